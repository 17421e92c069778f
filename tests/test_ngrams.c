/* test_ngrams.c: the clauses an index keeps for common 3- and 4-character n-grams give what checking every candidate's text gives. */
#include "test.h"

#include "build.h"
#include "format.h"
#include "kept.h"
#include "parse.h"
#include "search.h"
#include "store.h"
#include "tmpdir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Three indexes of the corpus: one keeping nothing (every term of three characters or more
 * is walked by its bigrams and checked on the text), one keeping the clauses of every
 * n-gram (a threshold of one clause: every bigram is frequent), and one keeping them with
 * the best clauses chosen for the first 2 only (so most pages lie deeper and read the
 * list). */
enum { WALKED, KEPT, TOP2, N_INDEXES };

static struct {
	char *dir;
	char db[N_INDEXES][1100];
	ps_store_t *store[N_INDEXES];
} fx;

static int build(const char *db, bool keep, unsigned min, unsigned top, ps_store_t **store)
{
	pi_build_options_t opt = {.corpus_dir = test_env("CORPUS_DIR"), .db_dir = db,
				  .frequent_off = !keep, .frequent_min = min, .frequent_top = top};
	char *error = NULL;
	if (pi_build(&opt, NULL, &error) != PS_OK || ps_store_open(db, store, &error) != PS_OK) {
		fprintf(stderr, "%s: %s\n", db, error);
		free(error);
		return -1;
	}
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	for (int i = 0; i < N_INDEXES; i++)
		snprintf(fx.db[i], sizeof fx.db[i], "%s/index%d", fx.dir, i);
	return build(fx.db[WALKED], false, 0, 0, &fx.store[WALKED]) ||
			       build(fx.db[KEPT], true, 1, 0, &fx.store[KEPT]) ||
			       build(fx.db[TOP2], true, 1, 2, &fx.store[TOP2])
		       ? -1
		       : 0;
}

static int group_teardown(void **state)
{
	for (int i = 0; i < N_INDEXES; i++)
		ps_store_close(fx.store[i]);
	(void)state;
	return tmpdir_teardown((void **)&fx.dir);
}

/* ---- one request against both indexes ---- */

typedef struct ask {
	const char *query;
	const char *city;
	size_t offset, limit;
	bool all;
	pq_order_t order;
	pq_scope_t scope;
	const char *section;
	int level;
} ask_t;

/* The request's results, or NULL with the error in *error. */
static pq_results_t *ask(ps_store_t *store, const ask_t *a, char **error)
{
	const ps_plan_t *city = a->city ? ps_store_find_city(store, a->city) : NULL;
	pq_query_t *q = NULL;
	pq_results_t *r = NULL;
	if (pq_query_parse(&a->query, 1, &q, error) != 0)
		fail_msg("query '%s' is refused: %s", a->query, *error);
	pq_request_t req = {.query = q, .scope = a->scope, .cities = &city, .n_cities = city != NULL,
			    .page = !a->all, .offset = a->offset, .limit = a->limit,
			    .order = a->order, .section = a->section, .level = a->level};
	if (pq_search(store, &req, &r, error) != PS_OK)
		r = NULL;
	pq_query_free(q);
	return r;
}

static void assert_as_walked(const ask_t *a)
{
	char *e1 = NULL, what[300];
	pq_results_t *walked = ask(fx.store[WALKED], a, &e1);
	for (int i = KEPT; i < N_INDEXES; i++) {
		char *e2 = NULL;
		snprintf(what, sizeof what, "'%s' city %s offset %zu limit %zu%s%s scope %d (index %d)",
			 a->query, a->city ? a->city : "all", a->offset, a->limit, a->all ? " all" : "",
			 a->order == PQ_ORDER_DOCUMENT ? " by document" : "", (int)a->scope, i);
		pq_results_t *kept = ask(fx.store[i], a, &e2);
		if (walked == NULL || kept == NULL) {
			if (walked != NULL || kept != NULL || strcmp(e1, e2) != 0)
				fail_msg("%s: '%s' against '%s'", what, e2 ? e2 : "(answered)",
					 e1 ? e1 : "(answered)");
		} else {
			assert_same_results(kept, walked, what);
		}
		pq_results_free(kept);
		free(e2);
	}
	pq_results_free(walked);
	free(e1);
}

/* Common and rare n-grams, with a bigram named twice, folded forms, and none held. */
static const char *const ngrams[] = {
	"教育发展", "职业教育", "教育教学", "学校教育", "教师队伍", "产教融合", "高质量", "现代化",
	"课后服务", "义务教育", "的教育", "发展的", "教育教育", "龘龘龘", "ＡＢＣ", "2025", "十四五",
};

static const ask_t shapes[] = {
	{.limit = 20},
	{.limit = 1},
	{.offset = 3, .limit = 2},
	{.offset = 40, .limit = 20},
	{.offset = 1, .limit = 1}, /* the page ends at 2, the top kept in index TOP2 */
	{.offset = 1, .limit = 2},
	{.limit = 0},
	{.all = true},
	{.city = "大连", .limit = 5},
	{.city = "通化", .limit = 300},
	{.order = PQ_ORDER_DOCUMENT, .limit = 20},
	{.order = PQ_ORDER_DOCUMENT, .city = "阜新", .offset = 1, .limit = 4},
	{.section = "任务", .limit = 10},
	{.level = 2, .limit = 10},
	{.scope = PQ_SCOPE_PARAGRAPH, .limit = 10},
	{.scope = PQ_SCOPE_SECTION, .limit = 5},
};

static void test_kept_ngram_clauses_give_the_walks_total_chapters_and_page(void **state)
{
	(void)state;
	for (size_t g = 0; g < N_OF(ngrams); g++)
		for (size_t s = 0; s < N_OF(shapes); s++) {
			ask_t a = shapes[s];
			a.query = ngrams[g];
			assert_as_walked(&a);
		}
}

/* An n-gram with others: under AND and NOT its kept clauses stand for its walk; under OR
 * (where the walk scores a candidate by every term standing on it) the walk is kept. */
static void test_ngrams_in_larger_queries_give_the_walks_results(void **state)
{
	(void)state;
	static const char *const queries[] = {
		"职业教育 学校", "教育发展 -职业教育", "职业教育 OR 教育教学", "教育教学 | 双减",
		"(职业教育 OR 义务教育) 质量", "教育教学 教师队伍 发展", "学校 -教育教学",
		"\"教育 发展\"", "高质量发展", "职业教育 NOT (学校 OR 教师)", "~双减 教育教学",
	};
	for (size_t i = 0; i < N_OF(queries); i++)
		for (size_t s = 0; s < N_OF(shapes); s++) {
			ask_t a = shapes[s];
			a.query = queries[i];
			assert_as_walked(&a);
		}
}

/* ---- what the store keeps ---- */

/* How often needle occurs in text[0,len), overlaps counted. */
static unsigned occurrences(const char *text, size_t len, const char *needle)
{
	unsigned k = 0;
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		k += memcmp(text + i, needle, n) == 0;
	return k;
}

/* The list of an n-gram is every clause whose normal form holds it, with the counts of its
 * distinct bigrams there, in the order they first occur in it. */
static void test_store_keeps_every_clause_holding_an_ngram_with_its_bigram_counts(void **state)
{
	(void)state;
	static const struct {
		const char *gram;
		const char *bigrams[3];
	} cases[] = {
		{"职业教育", {"职业", "业教", "教育"}},
		{"教育发展", {"教育", "育发", "发展"}},
		{"高质量", {"高质", "质量"}},
		{"教育教育", {"教育", "育教"}}, /* 教育 named twice: counted once */
	};
	ps_store_t *s = fx.store[KEPT];
	unsigned n_docs = ps_store_n_docs(s);
	for (size_t c = 0; c < N_OF(cases); c++) {
		ps_ngram_clauses_t l;
		int got = ps_store_ngram(s, cases[c].gram, strlen(cases[c].gram), &l);
		size_t n_bigrams = 0;
		while (n_bigrams < 3 && cases[c].bigrams[n_bigrams] != NULL)
			n_bigrams++;
		if (got == 0) { /* only an n-gram the corpus does not hold may be missing */
			for (unsigned d = 1; d <= n_docs; d++) {
				ps_doc_t doc;
				assert_true(ps_store_doc(s, d, &doc));
				assert_int_equal(occurrences(doc.norm, doc.norm_len, cases[c].gram), 0);
			}
			continue;
		}
		assert_int_equal(got, 1);
		assert_int_equal(l.n_bigrams, n_bigrams);
		unsigned ids[16], counts[16][PS_NGRAM_MAX_BIGRAMS], seen = 0;
		bool ones[16];
		size_t n = 0, at = 0;
		int more = 1;
		for (unsigned d = 1; d <= n_docs; d++) {
			ps_doc_t doc;
			assert_true(ps_store_doc(s, d, &doc));
			if (occurrences(doc.norm, doc.norm_len, cases[c].gram) == 0)
				continue;
			if (at == n) {
				more = ps_ngram_read(&l, ids, counts, ones, N_OF(ids), &n);
				at = 0;
				assert_int_equal(more, 1);
			}
			if (ids[at] != d)
				fail_msg("%s: clause %u kept, %u holds it", cases[c].gram, ids[at], d);
			bool all_one = true;
			for (size_t j = 0; j < n_bigrams; j++) {
				unsigned want = occurrences(doc.norm, doc.norm_len, cases[c].bigrams[j]);
				assert_int_equal(counts[at][j], want);
				all_one &= want == 1;
			}
			assert_int_equal(ones[at], all_one);
			at++;
			seen++;
		}
		assert_int_equal(at, n);
		assert_int_equal(ps_ngram_read(&l, ids, counts, ones, N_OF(ids), &n), 0);
		assert_int_equal(seen, l.clauses);
		assert_true(seen > 0);
	}
	/* not kept: two characters, five, white space, an index that keeps none */
	ps_ngram_clauses_t l;
	assert_int_equal(ps_store_ngram(s, "教育", strlen("教育"), &l), 0);
	assert_int_equal(ps_store_ngram(s, "职业教育的", strlen("职业教育的"), &l), 0);
	assert_int_equal(ps_store_ngram(s, "教育 发展", strlen("教育 发展"), &l), 0);
	assert_int_equal(ps_store_ngram(fx.store[WALKED], "职业教育", strlen("职业教育"), &l), 0);
}

/* ---- a copy of the kept index, changed ---- */

/* A copy of the kept index under the fixture's directory into copy, its ngrams file's
 * path into path. */
static void copy_index(const char *name, char *copy, size_t copy_size, char *path,
		       size_t path_size)
{
	char gen[1300], cmd[2600];
	snprintf(copy, copy_size, "%s/%s", fx.dir, name);
	snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", fx.db[KEPT], copy);
	assert_int_equal(system(cmd), 0);
	generation_of(copy, gen, sizeof gen);
	snprintf(path, path_size, "%s/%s", gen, PS_NGRAMS_FILE);
}

/* The record of `gram` in the ngrams file open as fd, and where it lies. */
static off_t find_record(int fd, const char *gram, ps_ngram_rec_t *rec)
{
	ps_ngrams_head_t head;
	assert_int_equal(pread(fd, &head, sizeof head, sizeof(ps_file_head_t)), sizeof head);
	for (uint32_t i = 0; i < head.n_grams; i++) {
		off_t at = (off_t)(head.records_offset + i * sizeof *rec);
		assert_int_equal(pread(fd, rec, sizeof *rec, at), sizeof *rec);
		if (strncmp(rec->gram, gram, sizeof rec->gram) == 0)
			return at;
	}
	fail_msg("%s is not kept", gram);
	return -1;
}

static void assert_search_says_damaged(ps_store_t *store, const char *query, const char *city)
{
	ask_t a = {.query = query, .city = city, .limit = 5};
	char *error = NULL;
	pq_results_t *r = ask(store, &a, &error);
	if (r != NULL)
		fail_msg("'%s' (city %s) answered %zu hits from a damaged list", query,
			 city ? city : "all", r->total);
	assert_non_null(strstr(error, "damaged"));
	free(error);
}

/* A list that does not fit its record (a clause more or fewer, an id out of order or past
 * the index), or answers that do not (chapters that do not add up, best clauses out of
 * order), is reported as damage, not answered from: the answers when a search reads them
 * (the n-gram alone), the list when it is walked (with a city, or with other terms). */
static void test_damaged_ngram_clauses_are_reported_not_used(void **state)
{
	(void)state;
	char copy[1200], path[1400];
	copy_index("damaged", copy, sizeof copy, path, sizeof path);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	ps_ngram_rec_t rec;
	/* 职业教育: one clause more than its list and its chapters hold */
	off_t at = find_record(fd, "职业教育", &rec);
	assert_true(rec.clauses > 1 && rec.len > 0 && rec.has_answers);
	rec.clauses++;
	assert_int_equal(pwrite(fd, &rec, sizeof rec, at), sizeof rec);
	/* 教育发展: its first entry's id gap 0 (ids must ascend) */
	find_record(fd, "教育发展", &rec);
	uint8_t zero = 0, big[5] = {0xff, 0xff, 0xff, 0xff, 0x0f};
	assert_int_equal(pwrite(fd, &zero, 1, (off_t)rec.offset), 1);
	/* 教育教学: its first entry's id past the index's */
	find_record(fd, "教育教学", &rec);
	assert_true(rec.len >= sizeof big);
	assert_int_equal(pwrite(fd, big, sizeof big, (off_t)rec.offset), sizeof big);
	/* 高质量: a list running past the file's records */
	at = find_record(fd, "高质量", &rec);
	rec.len = UINT64_MAX / 2;
	assert_int_equal(pwrite(fd, &rec, sizeof rec, at), sizeof rec);
	/* 现代化: its best clauses out of order (the first given the second's id) */
	find_record(fd, "现代化", &rec);
	assert_true(rec.has_answers && rec.n_top > 1);
	ps_ngram_top_t second;
	assert_int_equal(pread(fd, &second, sizeof second, (off_t)rec.top_offset + sizeof second),
			 sizeof second);
	assert_int_equal(pwrite(fd, &second.docid, sizeof second.docid, (off_t)rec.top_offset),
			 sizeof second.docid);
	close(fd);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(copy, &store, &error), PS_OK);
	assert_search_says_damaged(store, "职业教育", NULL);
	assert_search_says_damaged(store, "教育发展", "大连");
	assert_search_says_damaged(store, "教育教学", "大连");
	assert_search_says_damaged(store, "教育教学 -学校", NULL);
	assert_search_says_damaged(store, "高质量", NULL);
	assert_search_says_damaged(store, "现代化", NULL);
	assert_search_says_damaged(store, "职业教育 -学校", NULL); /* read to its end */
	/* a search that does not read them answers */
	ask_t a = {.query = "义务教育", .limit = 5};
	pq_results_t *r = ask(store, &a, &error);
	assert_non_null(r);
	pq_results_free(r);
	ps_store_close(store);
	tmpdir_remove(copy);
}

/* Fewer best clauses than a page within the kept `top` needs (their count lowered, or the
 * head's `top` raised past what they were chosen for) is damage: answered from, the page
 * would come out short or wrong. */
static void test_too_few_best_ngram_clauses_are_reported_not_used(void **state)
{
	(void)state;
	char copy[1200], path[1400];
	copy_index("short", copy, sizeof copy, path, sizeof path);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	ps_ngram_rec_t rec;
	off_t at = find_record(fd, "职业教育", &rec); /* 87 clauses, all of them best */
	assert_true(rec.has_answers && rec.n_top > 5);
	rec.n_top = 1;
	assert_int_equal(pwrite(fd, &rec, sizeof rec, at), sizeof rec);
	close(fd);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(copy, &store, &error), PS_OK);
	assert_search_says_damaged(store, "职业教育", NULL);
	ps_store_close(store);
	tmpdir_remove(copy);
}

/* An index without the file (built before it, or with --frequent 0) walks, with the same
 * results. */
static void test_index_without_ngram_clauses_walks(void **state)
{
	(void)state;
	char copy[1200], path[1400];
	copy_index("without", copy, sizeof copy, path, sizeof path);
	assert_int_equal(unlink(path), 0);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(copy, &store, &error), PS_OK);
	ps_ngram_clauses_t l;
	assert_int_equal(ps_store_ngram(store, "职业教育", strlen("职业教育"), &l), 0);
	ask_t a = {.query = "职业教育", .limit = 10};
	pq_results_t *r1 = ask(store, &a, &error), *r2 = ask(fx.store[WALKED], &a, &error);
	assert_non_null(r1);
	assert_non_null(r2);
	assert_same_results(r1, r2, "职业教育 without the file");
	pq_results_free(r1);
	pq_results_free(r2);
	ps_store_close(store);
	tmpdir_remove(copy);
}

/* A file of another index (its clauses differ) is refused when the index is opened. */
static void test_ngram_clauses_of_another_index_are_refused(void **state)
{
	(void)state;
	char copy[1200], path[1400];
	copy_index("foreign", copy, sizeof copy, path, sizeof path);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	ps_ngrams_head_t head;
	assert_int_equal(pread(fd, &head, sizeof head, sizeof(ps_file_head_t)), sizeof head);
	head.n_docs++;
	assert_int_equal(pwrite(fd, &head, sizeof head, sizeof(ps_file_head_t)), sizeof head);
	close(fd);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(copy, &store, &error), PS_ERR_CORRUPT);
	assert_non_null(strstr(error, "damaged"));
	free(error);
	tmpdir_remove(copy);
}

/* The clauses holding a bigram, by the walk: its total as a lone term. */
static size_t clauses_of(const char *gram)
{
	ask_t a = {.query = gram, .limit = 0};
	char *error = NULL;
	pq_results_t *r = ask(fx.store[WALKED], &a, &error);
	assert_non_null(r);
	size_t total = r->total;
	pq_results_free(r);
	return total;
}

/* The clauses of an n-gram's rarest bigram. */
static size_t rarest_bigram(const char *const *bigrams)
{
	size_t least = SIZE_MAX;
	for (size_t i = 0; bigrams[i] != NULL; i++) {
		size_t n = clauses_of(bigrams[i]);
		least = n < least ? n : least;
	}
	return least;
}

/* Only n-grams whose every bigram is in at least the threshold's clauses are kept: with
 * the threshold just past 高质量's rarest bigram, 职业教育 (whose bigrams are all in more
 * clauses) is kept and 高质量 is not. */
static void test_only_ngrams_of_frequent_bigrams_are_kept(void **state)
{
	(void)state;
	size_t kept = rarest_bigram((const char *[]){"职业", "业教", "教育", NULL}),
	       left = rarest_bigram((const char *[]){"高质", "质量", NULL});
	assert_true(left + 1 <= kept);
	char db[1200];
	snprintf(db, sizeof db, "%s/threshold", fx.dir);
	ps_store_t *store = NULL;
	assert_int_equal(build(db, true, (unsigned)left + 1, 0, &store), 0);
	ps_ngram_clauses_t l;
	assert_int_equal(ps_store_ngram(store, "职业教育", strlen("职业教育"), &l), 1);
	assert_int_equal(ps_store_ngram(store, "高质量", strlen("高质量"), &l), 0);
	ps_store_close(store);
	tmpdir_remove(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_ngram_clauses_give_the_walks_total_chapters_and_page),
		cmocka_unit_test(test_ngrams_in_larger_queries_give_the_walks_results),
		cmocka_unit_test(test_store_keeps_every_clause_holding_an_ngram_with_its_bigram_counts),
		cmocka_unit_test(test_damaged_ngram_clauses_are_reported_not_used),
		cmocka_unit_test(test_too_few_best_ngram_clauses_are_reported_not_used),
		cmocka_unit_test(test_index_without_ngram_clauses_walks),
		cmocka_unit_test(test_ngram_clauses_of_another_index_are_refused),
		cmocka_unit_test(test_only_ngrams_of_frequent_bigrams_are_kept),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
