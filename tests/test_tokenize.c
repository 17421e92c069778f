/* test_tokenize.c: the shared tokenizer contract: ICU word tokens (seg_words_run) and character n-grams (seg_ngrams_run). */
#include "test.h"

#include "normalize.h"
#include "tokenize.h"

#include <stdbool.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Every token a run reported, checked against the contract as it arrives. */
typedef struct tokens {
	const char *text;
	size_t len;
	size_t n, cap;
	size_t *start, *end;
	size_t stop_at;  /* return stop_value from this call (1-based); 0 never */
	int stop_value;
	bool contract_ok; /* token == text + start and token_len == end - start, every time */
} tokens_t;

static void tokens_init(tokens_t *t, const char *text, size_t len)
{
	memset(t, 0, sizeof *t);
	t->text = text;
	t->len = len;
	t->contract_ok = true;
}

static void tokens_free(tokens_t *t)
{
	free(t->start);
	free(t->end);
	t->start = t->end = NULL;
	t->n = t->cap = 0;
}

static int collect(void *ctx, const char *token, size_t token_len, size_t start, size_t end)
{
	tokens_t *t = ctx;
	if (token != t->text + start || token_len != end - start || start >= end || end > t->len)
		t->contract_ok = false;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		size_t *s = realloc(t->start, cap * sizeof *s);
		assert_non_null(s);
		t->start = s;
		size_t *e = realloc(t->end, cap * sizeof *e);
		assert_non_null(e);
		t->end = e;
		t->cap = cap;
	}
	t->start[t->n] = start;
	t->end[t->n] = end;
	t->n++;
	if (t->stop_at != 0 && t->n == t->stop_at)
		return t->stop_value;
	return 0;
}

static UChar32 next_cp(const char *s, size_t *i, size_t len)
{
	UChar32 c;
	size_t at = *i;
	U8_NEXT((const uint8_t *)s, at, len, c);
	*i = at;
	return c;
}

static bool is_space_or_punct(UChar32 c)
{
	return u_isUWhiteSpace(c) || u_ispunct(c);
}

/* Tokens equal text[start,end), come in order without overlapping, never start or end with
 * white space or punctuation and never contain white space. */
static void check_word_tokens(const tokens_t *t)
{
	assert_true(t->contract_ok);
	for (size_t k = 0; k < t->n; k++) {
		size_t s = t->start[k], e = t->end[k];
		assert_true(s < e);
		assert_true(e <= t->len);
		if (k > 0)
			assert_true(t->end[k - 1] <= s);
		size_t i = s;
		UChar32 first = next_cp(t->text, &i, e), last = first;
		assert_true(first >= 0);
		while (i < e) {
			last = next_cp(t->text, &i, e);
			assert_true(last >= 0);
			if (u_isUWhiteSpace(last))
				fail_msg("token \"%.*s\" contains white space", (int)(e - s), t->text + s);
		}
		if (is_space_or_punct(first) || is_space_or_punct(last))
			fail_msg("token \"%.*s\" is or ends in space/punctuation", (int)(e - s),
				 t->text + s);
	}
}

/* Some single token covers text[a,b). */
static bool one_token_covers(const tokens_t *t, size_t a, size_t b)
{
	for (size_t k = 0; k < t->n; k++)
		if (t->start[k] <= a && b <= t->end[k])
			return true;
	return false;
}

/* Every byte of text[a,b) lies in some token. */
static bool tokens_cover(const tokens_t *t, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		bool in = false;
		for (size_t k = 0; k < t->n && !in; k++)
			in = t->start[k] <= i && i < t->end[k];
		if (!in)
			return false;
	}
	return true;
}

static seg_words_t *open_words(void)
{
	seg_words_t *w = NULL;
	char *error = NULL;
	if (seg_words_open(&w, &error) != 0)
		fail_msg("seg_words_open: %s", error ? error : "(no message)");
	assert_non_null(w);
	return w;
}

static void run_words(seg_words_t *w, tokens_t *t)
{
	char *error = NULL;
	int rc = seg_words_run(w, t->text, t->len, collect, t, &error);
	if (rc != 0)
		fail_msg("seg_words_run returned %d: %s", rc, error ? error : "(no message)");
	assert_null(error);
}

static void test_word_tokens_are_in_order_and_never_punctuation_or_space(void **state)
{
	(void)state;
	static const char *const sources[] = {
		"推动“双减”落地，２０２５年全市学前教育毛入园率达到90.4%。",
		"（三）实施“双减”工作、全面构建优良教育生态工程。减轻学生作业负担。",
		"文本框: 重点项目1 ◆以立德树人为根本,以理想信念教育为核心,评选典型案例***个。",
		"　　教育发展水平逐步提升。ＧＤＰ增长　Word's test！？……——",
		"“，。、；：？！（）《》【】",
	};
	seg_words_t *w = open_words();
	for (size_t k = 0; k < N_ITEMS(sources); k++) {
		seg_norm_t norm;
		char *error = NULL;
		assert_int_equal(seg_normalize(sources[k], strlen(sources[k]), false, &norm, &error),
				 0);
		tokens_t t;
		tokens_init(&t, norm.text, norm.len);
		run_words(w, &t);
		check_word_tokens(&t);
		if (k < 4)
			assert_true(t.n > 0);
		else
			assert_int_equal(t.n, 0); /* punctuation only */
		tokens_free(&t);
		seg_norm_clear(&norm);
	}
	seg_words_close(w);
}

static void test_shuangjian_and_year_come_out_as_tokens(void **state)
{
	(void)state;
	const char *src = "推动“双减”落地，２０２５年全市学前教育毛入园率达到90.4%。";
	seg_norm_t norm;
	char *error = NULL;
	assert_int_equal(seg_normalize(src, strlen(src), false, &norm, &error), 0);
	seg_words_t *w = open_words();
	tokens_t t;
	tokens_init(&t, norm.text, norm.len);
	run_words(w, &t);
	check_word_tokens(&t);

	/* 双减: every character is in a word (ICU's dictionary may split it) */
	const char *hit = strstr(norm.text, "双减");
	assert_non_null(hit);
	size_t a = (size_t)(hit - norm.text);
	assert_true(tokens_cover(&t, a, a + strlen("双减")));
	/* 2025, normalised from full-width digits, is one number token */
	hit = strstr(norm.text, "2025");
	assert_non_null(hit);
	a = (size_t)(hit - norm.text);
	assert_true(one_token_covers(&t, a, a + 4));
	/* and so is 90.4 */
	hit = strstr(norm.text, "90.4");
	assert_non_null(hit);
	a = (size_t)(hit - norm.text);
	assert_true(one_token_covers(&t, a, a + 4));
	/* the quotes around 双减 are in no token */
	hit = strstr(norm.text, "“");
	a = (size_t)(hit - norm.text);
	assert_false(tokens_cover(&t, a, a + 1));

	tokens_free(&t);
	seg_words_close(w);
	seg_norm_clear(&norm);
}

static void test_words_input_need_not_be_nul_terminated(void **state)
{
	(void)state;
	const char *text = "教育2025年发展";
	size_t len = strlen("教育2025");
	seg_words_t *w = open_words();
	tokens_t t;
	tokens_init(&t, text, len);
	run_words(w, &t);
	check_word_tokens(&t);
	assert_true(t.n > 0);
	assert_int_equal(t.end[t.n - 1], len);
	assert_true(one_token_covers(&t, strlen("教育"), len));
	tokens_free(&t);

	/* an empty input gives no tokens */
	tokens_init(&t, text, 0);
	run_words(w, &t);
	assert_int_equal(t.n, 0);
	tokens_free(&t);
	seg_words_close(w);
}

/* A Han run far longer than a chunk: all tokens inside the text and no longer than a
 * chunk, and no character lost at a chunk edge. */
static void test_long_han_run_is_tokenised_in_bounded_chunks(void **state)
{
	(void)state;
	const char *phrase = "教育发展"; /* 4 characters, 12 bytes */
	const size_t reps = 3000;
	size_t plen = strlen(phrase), len = plen * reps;
	assert_true(len > 10 * SEG_WORDS_CHUNK_BYTES);
	char *text = malloc(len + 1);
	assert_non_null(text);
	for (size_t i = 0; i < reps; i++)
		memcpy(text + i * plen, phrase, plen);
	text[len] = '\0';

	seg_words_t *w = open_words();
	tokens_t t;
	tokens_init(&t, text, len);
	run_words(w, &t);
	check_word_tokens(&t);
	assert_true(t.n >= reps); /* at least one word per repetition */
	for (size_t k = 0; k < t.n; k++) {
		assert_true(t.end[k] <= len);
		assert_true(t.end[k] - t.start[k] <= SEG_WORDS_CHUNK_BYTES);
		assert_true(t.start[k] % 3 == 0); /* on character boundaries */
		assert_true(t.end[k] % 3 == 0);
	}
	/* every ideograph is part of a word: consecutive tokens touch */
	assert_int_equal(t.start[0], 0);
	for (size_t k = 1; k < t.n; k++)
		assert_int_equal(t.start[k], t.end[k - 1]);
	assert_int_equal(t.end[t.n - 1], len);
	tokens_free(&t);

	/* the same with a punctuation mark every so often: nothing lost either */
	for (size_t i = 700; i < reps; i += 701)
		memcpy(text + i * plen + 9, "，", 3); /* replace the 4th character */
	tokens_init(&t, text, len);
	run_words(w, &t);
	check_word_tokens(&t);
	for (size_t k = 0; k < t.n; k++)
		assert_true(t.end[k] - t.start[k] <= SEG_WORDS_CHUNK_BYTES);
	assert_true(tokens_cover(&t, 0, 700 * plen + 9));
	assert_int_equal(t.end[t.n - 1], len);
	tokens_free(&t);

	/* shifted by one ASCII byte, so a chunk of SEG_WORDS_CHUNK_BYTES would end inside a
	 * character: every token still starts and ends on a character boundary */
	char *shifted = malloc(len + 2);
	assert_non_null(shifted);
	shifted[0] = 'x';
	for (size_t i = 0; i < reps; i++)
		memcpy(shifted + 1 + i * plen, phrase, plen);
	shifted[len + 1] = '\0';
	tokens_init(&t, shifted, len + 1);
	run_words(w, &t);
	check_word_tokens(&t);
	assert_int_equal(t.start[0], 0);
	assert_int_equal(t.end[0], 1); /* "x" */
	for (size_t k = 1; k < t.n; k++) {
		assert_true(t.end[k] - t.start[k] <= SEG_WORDS_CHUNK_BYTES);
		assert_true((t.start[k] - 1) % 3 == 0);
		assert_true((t.end[k] - 1) % 3 == 0);
		assert_int_equal(t.start[k], t.end[k - 1]);
	}
	assert_int_equal(t.end[t.n - 1], len + 1);
	tokens_free(&t);
	free(shifted);

	seg_words_close(w);
	free(text);
}

static void test_words_callback_nonzero_stops_and_is_returned(void **state)
{
	(void)state;
	const char *text = "持续开展双减工作,到2025年,abc word test";
	seg_words_t *w = open_words();
	char *error = NULL;

	tokens_t all;
	tokens_init(&all, text, strlen(text));
	run_words(w, &all);
	assert_true(all.n > 3);

	tokens_t t;
	tokens_init(&t, text, strlen(text));
	t.stop_at = 3;
	t.stop_value = 42;
	assert_int_equal(seg_words_run(w, text, strlen(text), collect, &t, &error), 42);
	assert_null(error);
	assert_int_equal(t.n, 3);
	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(t.start[k], all.start[k]);
		assert_int_equal(t.end[k], all.end[k]);
	}
	tokens_free(&t);

	/* the breaker is usable again after a stopped run */
	tokens_t again;
	tokens_init(&again, text, strlen(text));
	run_words(w, &again);
	assert_int_equal(again.n, all.n);
	tokens_free(&again);
	tokens_free(&all);

	seg_words_close(w);
	seg_words_close(NULL);
}

/* ---- n-grams ------------------------------------------------------------------------ */

typedef struct ngram_case {
	const char *text;
	int n;
	size_t count;
	const char *grams[8];
} ngram_case_t;

static void check_ngram_table(const ngram_case_t *cases, size_t n_cases)
{
	for (size_t k = 0; k < n_cases; k++) {
		const char *text = cases[k].text;
		tokens_t t;
		char *error = NULL;
		tokens_init(&t, text, strlen(text));
		assert_int_equal(seg_ngrams_run(text, strlen(text), cases[k].n, collect, &t, &error),
				 0);
		assert_null(error);
		assert_true(t.contract_ok);
		if (t.n != cases[k].count)
			fail_msg("\"%s\" n=%d: %zu n-grams, expected %zu", text, cases[k].n, t.n,
				 cases[k].count);
		for (size_t i = 0; i < t.n; i++) {
			if (i > 0)
				assert_true(t.start[i - 1] < t.start[i]);
			assert_bytes_equal(text, t.start[i], t.end[i], cases[k].grams[i]);
		}
		tokens_free(&t);
	}
}

static void test_unigrams_are_every_non_space_character(void **state)
{
	(void)state;
	static const ngram_case_t cases[] = {
		{"双减政策", 1, 4, {"双", "减", "政", "策"}},
		{"ab cd", 1, 4, {"a", "b", "c", "d"}},
		{"“双减”", 1, 4, {"“", "双", "减", "”"}},
		{"2025年", 1, 5, {"2", "0", "2", "5", "年"}},
		{" \t\n　", 1, 0, {NULL}},
		{"", 1, 0, {NULL}},
	};
	check_ngram_table(cases, N_ITEMS(cases));
}

static void test_bigrams_never_span_white_space(void **state)
{
	(void)state;
	static const ngram_case_t cases[] = {
		{"双减政策", 2, 3, {"双减", "减政", "政策"}},
		{"ab cd", 2, 2, {"ab", "cd"}},
		{"教育\n发展", 2, 2, {"教育", "发展"}},
		{"教育　发展", 2, 2, {"教育", "发展"}}, /* ideographic space */
		{"a b c", 2, 0, {NULL}},
		{"推动“双减”", 2, 5, {"推动", "动“", "“双", "双减", "减”"}},
		{"x2025年", 2, 5, {"x2", "20", "02", "25", "5年"}},
		{"双", 2, 0, {NULL}},
		{"", 2, 0, {NULL}},
	};
	check_ngram_table(cases, N_ITEMS(cases));
}

static void test_ngrams_offsets_are_byte_offsets(void **state)
{
	(void)state;
	const char *text = "a双 减b";
	tokens_t t;
	char *error = NULL;
	tokens_init(&t, text, strlen(text));
	assert_int_equal(seg_ngrams_run(text, strlen(text), 2, collect, &t, &error), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.start[0], 0);
	assert_int_equal(t.end[0], 4);
	assert_int_equal(t.start[1], 5);
	assert_int_equal(t.end[1], 9);
	tokens_free(&t);

	/* only len bytes are read */
	tokens_init(&t, text, 4);
	assert_int_equal(seg_ngrams_run(text, 4, 1, collect, &t, &error), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.end[1], 4);
	tokens_free(&t);
}

static void test_ngrams_other_than_one_or_two_fail_with_a_message(void **state)
{
	(void)state;
	static const int bad[] = {3, 0, -1, 4};
	for (size_t i = 0; i < N_ITEMS(bad); i++) {
		tokens_t t;
		char *error = NULL;
		tokens_init(&t, "双减政策", strlen("双减政策"));
		assert_int_equal(seg_ngrams_run(t.text, t.len, bad[i], collect, &t, &error), -1);
		assert_non_null(error);
		assert_true(strlen(error) > 0);
		assert_int_equal(t.n, 0);
		free(error);
		tokens_free(&t);
	}
}

static void test_ngrams_invalid_utf8_fails(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len;
		size_t offset;
	} cases[] = {
		{"ab\xff" "cd", 5, 2},
		{"双减\xE6\x94", 8, 6}, /* truncated 政 */
		{"\xC0\xAF", 2, 0},     /* overlong / */
	};
	for (size_t i = 0; i < N_ITEMS(cases); i++) {
		for (int n = 1; n <= 2; n++) {
			tokens_t t;
			char *error = NULL;
			tokens_init(&t, cases[i].text, cases[i].len);
			assert_int_equal(seg_ngrams_run(cases[i].text, cases[i].len, n, collect, &t,
							 &error),
					 -1);
			assert_non_null(error);
			const char *at = strstr(error, "byte ");
			if (at == NULL || strtoul(at + 5, NULL, 10) != cases[i].offset)
				fail_msg("case %zu: message \"%s\" does not name byte %zu", i, error,
					 cases[i].offset);
			free(error);
			tokens_free(&t);
		}
	}
}

static void test_ngrams_callback_nonzero_stops_and_is_returned(void **state)
{
	(void)state;
	const char *text = "全面贯彻落实立德树人根本任务";
	tokens_t t;
	char *error = NULL;
	tokens_init(&t, text, strlen(text));
	t.stop_at = 5;
	t.stop_value = -9;
	assert_int_equal(seg_ngrams_run(text, strlen(text), 2, collect, &t, &error), -9);
	assert_null(error);
	assert_int_equal(t.n, 5);
	assert_bytes_equal(text, t.start[4], t.end[4], "落实");
	tokens_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_tokens_are_in_order_and_never_punctuation_or_space),
		cmocka_unit_test(test_shuangjian_and_year_come_out_as_tokens),
		cmocka_unit_test(test_words_input_need_not_be_nul_terminated),
		cmocka_unit_test(test_long_han_run_is_tokenised_in_bounded_chunks),
		cmocka_unit_test(test_words_callback_nonzero_stops_and_is_returned),
		cmocka_unit_test(test_unigrams_are_every_non_space_character),
		cmocka_unit_test(test_bigrams_never_span_white_space),
		cmocka_unit_test(test_ngrams_offsets_are_byte_offsets),
		cmocka_unit_test(test_ngrams_other_than_one_or_two_fail_with_a_message),
		cmocka_unit_test(test_ngrams_invalid_utf8_fails),
		cmocka_unit_test(test_ngrams_callback_nonzero_stops_and_is_returned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
