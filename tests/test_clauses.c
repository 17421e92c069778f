/* test_clauses.c: seg_clauses_split's clause boundaries at 。！？； ! ? ; with closers, trimming, and the callback's stop. */
#include "test.h"

#include "clauses.h"

#define MAX_CLAUSES 16
#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

typedef struct collected {
	size_t n;
	size_t start[MAX_CLAUSES], end[MAX_CLAUSES];
	int stop_at; /* return stop_value from this call (1-based); 0 never */
	int stop_value;
} collected_t;

static int collect(void *ctx, size_t start, size_t end)
{
	collected_t *c = ctx;
	assert_true(c->n < MAX_CLAUSES);
	c->start[c->n] = start;
	c->end[c->n] = end;
	c->n++;
	if (c->stop_at != 0 && (int)c->n == c->stop_at)
		return c->stop_value;
	return 0;
}

typedef struct clause_case {
	const char *text;
	size_t n;
	const char *clauses[6];
} clause_case_t;

static void check_split_table(const clause_case_t *cases, size_t n_cases)
{
	for (size_t k = 0; k < n_cases; k++) {
		const char *text = cases[k].text;
		size_t len = strlen(text);
		collected_t got = {0};
		assert_int_equal(seg_clauses_split(text, 0, len, collect, &got), 0);
		if (got.n != cases[k].n) {
			for (size_t i = 0; i < got.n; i++)
				print_error("  clause %zu: \"%.*s\"\n", i,
					    (int)(got.end[i] - got.start[i]), text + got.start[i]);
			fail_msg("\"%s\": %zu clauses, expected %zu", text, got.n, cases[k].n);
		}
		for (size_t i = 0; i < got.n; i++) {
			assert_true(got.start[i] < got.end[i]);
			assert_true(got.end[i] <= len);
			if (i > 0)
				assert_true(got.end[i - 1] <= got.start[i]);
			assert_bytes_equal(text, got.start[i], got.end[i], cases[k].clauses[i]);
		}
	}
}

static void test_splits_after_full_width_terminators(void **state)
{
	(void)state;
	static const clause_case_t cases[] = {
		{"坚持立德树人。推进改革！提高质量？落实责任；", 4,
		 {"坚持立德树人。", "推进改革！", "提高质量？", "落实责任；"}},
		{"教育发展水平逐步提升。学前教育毛入园率达到90%，比“十二五”期间提高6.7个百分点。", 2,
		 {"教育发展水平逐步提升。", "学前教育毛入园率达到90%，比“十二五”期间提高6.7个百分点。"}},
		{"新建维修校舍74万平方米；新建和改建实验室1957个", 2,
		 {"新建维修校舍74万平方米；", "新建和改建实验室1957个"}},
	};
	check_split_table(cases, N_ITEMS(cases));
}

static void test_splits_after_half_width_terminators(void **state)
{
	(void)state;
	static const clause_case_t cases[] = {
		{"half; width! ok? end", 4, {"half;", "width!", "ok?", "end"}},
		/* the half-width ideographic full stop ｡ (NFKC: 。) */
		{"第一句｡第二句｡", 2, {"第一句｡", "第二句｡"}},
		{"坚持公益普惠;坚持改革创新!提高质量?", 3,
		 {"坚持公益普惠;", "坚持改革创新!", "提高质量?"}},
		/* a full stop between digits or a comma is not a terminator */
		{"达到90.4%,提高1.5倍", 1, {"达到90.4%,提高1.5倍"}},
		{"一，二，三、四", 1, {"一，二，三、四"}},
	};
	check_split_table(cases, N_ITEMS(cases));
}

static void test_closing_quotes_and_brackets_stay_with_the_clause(void **state)
{
	(void)state;
	static const clause_case_t cases[] = {
		{"……工作。”下一句", 2, {"……工作。”", "下一句"}},
		{"做到“人物同防、家校联防”。推进各学段健康教育。", 2,
		 {"做到“人物同防、家校联防”。", "推进各学段健康教育。"}},
		{"引导中小学生树立“天下兴亡，匹夫有责！”的意识。", 2,
		 {"引导中小学生树立“天下兴亡，匹夫有责！”", "的意识。"}},
		{"（见附件。）其后", 2, {"（见附件。）", "其后"}},
		{"(see note!)next", 2, {"(see note!)", "next"}},
		{"他说：‘好。’然后", 2, {"他说：‘好。’", "然后"}},
		{"「完成。」『完成。』【完成。】《完成。》末", 5,
		 {"「完成。」", "『完成。』", "【完成。】", "《完成。》", "末"}},
		/* several closers and terminators in a row */
		{"真的吗？！”）好。", 2, {"真的吗？！”）", "好。"}},
		{"结束。。", 1, {"结束。。"}},
	};
	check_split_table(cases, N_ITEMS(cases));
}

static void test_markdown_emphasis_after_terminator_stays(void **state)
{
	(void)state;
	static const clause_case_t cases[] = {
		{"**强化师德师风建设。**建立政府、学校和社会参与的师德监督机制。", 2,
		 {"**强化师德师风建设。**", "建立政府、学校和社会参与的师德监督机制。"}},
		{"**优化教师资源配置。**", 1, {"**优化教师资源配置。**"}},
	};
	check_split_table(cases, N_ITEMS(cases));
}

static void test_surrounding_white_space_is_trimmed(void **state)
{
	(void)state;
	static const clause_case_t cases[] = {
		{"  前面有空格。  后面也有  ", 2, {"前面有空格。", "后面也有"}},
		{"\t\t专栏内容。\t", 1, {"专栏内容。"}},
		{"　　全角空格开头。　下一句。　", 2, {"全角空格开头。", "下一句。"}},
		/* space between a terminator and a quote: the quote starts the next clause */
		{"完成。 ”附", 2, {"完成。", "”附"}},
		/* space inside a clause stays */
		{"Word 's test; ok", 2, {"Word 's test;", "ok"}},
	};
	check_split_table(cases, N_ITEMS(cases));
}

static void test_text_without_terminator_is_one_clause(void **state)
{
	(void)state;
	static const clause_case_t cases[] = {
		{"没有终止符的一段话", 1, {"没有终止符的一段话"}},
		{"到2025年，基本实现教育现代化", 1, {"到2025年，基本实现教育现代化"}},
		{"x", 1, {"x"}},
		{"。", 1, {"。"}},
	};
	check_split_table(cases, N_ITEMS(cases));
}

static void test_empty_or_space_only_text_has_no_clauses(void **state)
{
	(void)state;
	static const clause_case_t cases[] = {
		{"", 0, {NULL}},
		{" ", 0, {NULL}},
		{"   \t　 ", 0, {NULL}},
		{"\u3000\u3000", 0, {NULL}},
	};
	check_split_table(cases, N_ITEMS(cases));
}

/* Offsets are into the whole text; bytes outside [start,end) are not looked at. */
static void test_sub_range_offsets_are_absolute(void **state)
{
	(void)state;
	const char *text = "前缀。中间一句。后半句！后缀。";
	size_t start = strlen("前缀。");
	size_t end = start + strlen("中间一句。后半句");
	collected_t got = {0};
	assert_int_equal(seg_clauses_split(text, start, end, collect, &got), 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.start[0], start);
	assert_bytes_equal(text, got.start[0], got.end[0], "中间一句。");
	assert_bytes_equal(text, got.start[1], got.end[1], "后半句");
	assert_int_equal(got.end[1], end);

	/* an empty range calls nothing */
	collected_t none = {0};
	assert_int_equal(seg_clauses_split(text, start, start, collect, &none), 0);
	assert_int_equal(none.n, 0);
}

static void test_callback_nonzero_stops_and_is_returned(void **state)
{
	(void)state;
	const char *text = "第一句。第二句！第三句？第四句";
	size_t len = strlen(text);

	collected_t got = {.stop_at = 2, .stop_value = 7};
	assert_int_equal(seg_clauses_split(text, 0, len, collect, &got), 7);
	assert_int_equal(got.n, 2);
	assert_bytes_equal(text, got.start[1], got.end[1], "第二句！");

	collected_t first = {.stop_at = 1, .stop_value = -3};
	assert_int_equal(seg_clauses_split(text, 0, len, collect, &first), -3);
	assert_int_equal(first.n, 1);

	/* the last clause has no terminator: stopping there still returns the value */
	collected_t last = {.stop_at = 4, .stop_value = 99};
	assert_int_equal(seg_clauses_split(text, 0, len, collect, &last), 99);
	assert_int_equal(last.n, 4);
	assert_bytes_equal(text, last.start[3], last.end[3], "第四句");

	/* a callback that always returns 0 sees every clause */
	collected_t all = {0};
	assert_int_equal(seg_clauses_split(text, 0, len, collect, &all), 0);
	assert_int_equal(all.n, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splits_after_full_width_terminators),
		cmocka_unit_test(test_splits_after_half_width_terminators),
		cmocka_unit_test(test_closing_quotes_and_brackets_stay_with_the_clause),
		cmocka_unit_test(test_markdown_emphasis_after_terminator_stays),
		cmocka_unit_test(test_surrounding_white_space_is_trimmed),
		cmocka_unit_test(test_text_without_terminator_is_one_clause),
		cmocka_unit_test(test_empty_or_space_only_text_has_no_clauses),
		cmocka_unit_test(test_sub_range_offsets_are_absolute),
		cmocka_unit_test(test_callback_nonzero_stops_and_is_returned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
