/* test_rank.c: --any's building blocks: the thesaurus file, ~CONCEPT in the query language, and the ranker's units and scores. */
#include "test.h"

#include "normalize.h"
#include "parse.h"
#include "rank.h"
#include "thesaurus.h"

#include <stdbool.h>

static const char SMALL[] = "\xEF\xBB\xBF# a comment\n"
			    "\n"
			    "双减 = 减负 | 减负提质 |  减轻学生过重课业负担  \n"
			    "  # an indented comment\n"
			    "智慧教育 = 教育信息化 | 三通两平台\n"
			    "特殊教育 = 随班就读 | 残疾儿童\n"
			    "随班就读 = 融合教育\n";

static pq_thesaurus_t *small(void)
{
	pq_thesaurus_t *th = pq_thesaurus_new();
	char *error = NULL;
	assert_non_null(th);
	if (pq_thesaurus_load_text(th, "small.txt", SMALL, strlen(SMALL), &error) != PS_OK)
		fail_msg("small.txt refused: %s", error);
	return th;
}

static void test_thesaurus_reads_groups_trimmed_and_normalised(void **state)
{
	(void)state;
	pq_thesaurus_t *th = small();
	pq_concept_t c;
	assert_int_equal(pq_thesaurus_size(th), 4);
	pq_thesaurus_group(th, 0, &c);
	assert_string_equal(c.head, "双减");
	assert_int_equal(c.n_variants, 3);
	assert_string_equal(c.variants[2], "减轻学生过重课业负担");
	/* a head finds its own group; a variant the first group that holds it; a term that
	 * heads a group and is another's variant finds the group it heads */
	assert_int_equal(pq_thesaurus_find(th, "双减", strlen("双减")), 0);
	assert_int_equal(pq_thesaurus_find(th, "三通两平台", strlen("三通两平台")), 1);
	assert_int_equal(pq_thesaurus_find(th, "随班就读", strlen("随班就读")), 3);
	assert_int_equal(pq_thesaurus_find(th, "作业", strlen("作业")), -1);
	pq_thesaurus_free(th);
}

static void test_thesaurus_file_that_breaks_the_format_is_refused_with_its_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
	} cases[] = {
		{"双减 = 减负\n双减减负\n", "bad.txt:2: a group is HEAD = VARIANT"},
		{" = 减负\n", "bad.txt:1: the head before ' = ' is empty"},
		{"双减 = 减负 | | 减负提质\n", "bad.txt:1: an empty variant"},
		{"双减 = 减负 |\n", "bad.txt:1: an empty variant"},
		{"双减 = 减负 | 减负\n", "bad.txt:1: a term occurs twice in the group"},
		{"双减 = 双减\n", "bad.txt:1: a term occurs twice in the group"},
		{"双减 = 减负\n# x\n双减 = 减负提质\n", "bad.txt:3: the head '双减' heads an earlier"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pq_thesaurus_t *th = small();
		char *error = NULL;
		ps_status_t rc = pq_thesaurus_load_text(th, "bad.txt", cases[i].text,
							strlen(cases[i].text), &error);
		assert_int_equal(rc, PS_ERR_INVALID);
		assert_non_null(error);
		if (strstr(error, cases[i].message) == NULL)
			fail_msg("case %zu: '%s', expected '%s'", i, error, cases[i].message);
		assert_int_equal(pq_thesaurus_size(th), 4); /* nothing of the file was added */
		free(error);
		pq_thesaurus_free(th);
	}
}

static void test_a_later_file_replaces_a_group_with_the_same_head(void **state)
{
	(void)state;
	pq_thesaurus_t *th = small();
	const char user[] = "双减 = 五项管理\n近视防控 = 视力健康\n";
	char *error = NULL;
	assert_int_equal(pq_thesaurus_load_text(th, "user.txt", user, strlen(user), &error), PS_OK);
	assert_int_equal(pq_thesaurus_size(th), 5);
	pq_concept_t c;
	pq_thesaurus_group(th, 0, &c);
	assert_string_equal(c.head, "双减");
	assert_int_equal(c.n_variants, 1);
	assert_string_equal(c.variants[0], "五项管理");
	assert_int_equal(pq_thesaurus_find(th, "视力健康", strlen("视力健康")), 4);
	pq_thesaurus_free(th);
}

static void test_the_bundled_thesaurus_loads_with_at_least_150_groups(void **state)
{
	(void)state;
	pq_thesaurus_t *th = NULL;
	char *error = NULL;
	unsetenv("POLICY_SEARCH_THESAURUS");
	assert_non_null(pq_thesaurus_default_path());
	if (pq_thesaurus_open(true, NULL, 0, &th, &error) != PS_OK)
		fail_msg("the bundled thesaurus was refused: %s", error);
	assert_true(pq_thesaurus_size(th) >= 150);
	assert_true(pq_thesaurus_find(th, "减负", strlen("减负")) >= 0);
	pq_thesaurus_free(th);
	/* an empty POLICY_SEARCH_THESAURUS means none */
	setenv("POLICY_SEARCH_THESAURUS", "", 1);
	assert_null(pq_thesaurus_default_path());
	unsetenv("POLICY_SEARCH_THESAURUS");
}

/* ---- ~CONCEPT ---- */

static void test_a_concept_is_the_or_of_its_terms_each_literal(void **state)
{
	(void)state;
	static const struct {
		const char *query, *tree;
		size_t concept_terms; /* terms that come from a ~word */
	} cases[] = {
		{"~双减", "OR(«双减» «减负» «减负提质» «减轻学生过重课业负担»)", 4},
		{"~减负 作业", "AND(OR(«双减» «减负» «减负提质» «减轻学生过重课业负担») «作业»)", 4},
		{"~雙減", "OR(«双减» «减负» «减负提质» «减轻学生过重课业负担»)", 4},
		{"\"~双减\"", "«~双减»", 0}, /* quoted: literal */
		{"课后 -~随班就读", "AND(«课后» NOT(OR(«随班就读» «融合教育»)))", 2},
	};
	pq_thesaurus_t *th = small();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pq_query_t *q = NULL;
		char *error = NULL;
		if (pq_query_parse_concepts(&cases[i].query, 1, th, &q, &error) != PS_OK)
			fail_msg("'%s' refused: %s", cases[i].query, error);
		char *tree = pq_query_describe(q);
		if (strcmp(tree, cases[i].tree) != 0)
			fail_msg("'%s' parsed as %s, expected %s", cases[i].query, tree,
				 cases[i].tree);
		/* each term of a concept names the ~word it came from */
		size_t from_concept = 0;
		for (size_t t = 0; t < q->n_terms; t++) {
			const char *c = q->terms[t].concept;
			if (c == NULL)
				continue;
			from_concept++;
			assert_int_equal(c[0], '~');
			assert_non_null(strstr(cases[i].query, c));
		}
		assert_int_equal(from_concept, cases[i].concept_terms);
		free(tree);
		pq_query_free(q);
	}
	/* no thesaurus: '~' is an ordinary character */
	pq_query_t *q = NULL;
	const char *plain = "~双减";
	assert_int_equal(pq_query_parse(&plain, 1, &q, NULL), PS_OK);
	assert_int_equal(q->n_terms, 1);
	assert_string_equal(q->terms[0].norm, "~双减");
	assert_null(q->terms[0].concept);
	pq_query_free(q);
	pq_thesaurus_free(th);
}

static void test_a_concept_no_group_holds_is_refused(void **state)
{
	(void)state;
	pq_thesaurus_t *th = small();
	static const char *const bad[] = {"~作业", "~", "双减 ~"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		pq_query_t *q = NULL;
		char *error = NULL;
		assert_int_equal(pq_query_parse_concepts(&bad[i], 1, th, &q, &error),
				 PS_ERR_INVALID);
		assert_non_null(error);
		assert_true(strstr(error, "concept") != NULL);
		free(error);
	}
	pq_thesaurus_free(th);
}

/* ---- the ranker ---- */

static pq_ranker_t *ranker_for(const char *query, const pq_thesaurus_t *th)
{
	pq_query_t *q = NULL;
	pq_ranker_t *r = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse(&query, 1, &q, &error), PS_OK);
	if (pq_ranker_new(q, th, &r, &error) != PS_OK)
		fail_msg("ranker for '%s': %s", query, error);
	pq_query_free(q);
	return r;
}

/* The kind of unit `text`, or -1 when the ranker has no such unit. */
static int kind_of(const pq_ranker_t *r, const char *text)
{
	for (size_t i = 0; i < r->n_units; i++)
		if (strcmp(r->units[i].norm, text) == 0)
			return (int)r->units[i].kind;
	return -1;
}

static void test_single_characters_count_only_when_nothing_longer_covers_them(void **state)
{
	(void)state;
	static const struct {
		const char *query, *unit;
		int kind;
	} cases[] = {
		{"双减", "双减", PQ_RANK_PHRASE},   /* ICU does not know it: the phrase typed */
		{"双减", "双", -1},                 /* no lone characters */
		{"双减", "减", -1},
		{"县管校聘", "县", -1},
		{"近视防控", "近视", PQ_RANK_WORD},
		{"近视防控", "近视防控", PQ_RANK_PHRASE},
		{"近视防控", "防", -1},
		{"减 课后", "减", PQ_RANK_CHAR},    /* a character standing alone counts */
		{"如何减轻学生课业负担", "如何", -1}, /* a question word says nothing of the topic */
		{"如何减轻学生课业负担", "何减", -1},
		{"如何减轻学生课业负担", "负担", PQ_RANK_WORD},
		{"如何", "如何", PQ_RANK_WORD},     /* kept when it is all there is */
		/* a word of one character between longer words names something: 党 counts,
		 * the preposition 对 beside it does not */
		{"怎样加强党对教育工作的领导", "党", PQ_RANK_CHAR},
		{"怎样加强党对教育工作的领导", "对", -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pq_ranker_t *r = ranker_for(cases[i].query, NULL);
		int kind = kind_of(r, cases[i].unit);
		if (kind != cases[i].kind)
			fail_msg("'%s': unit '%s' is of kind %d, expected %d", cases[i].query,
				 cases[i].unit, kind, cases[i].kind);
		pq_ranker_free(r);
	}
}

static void test_a_questions_frame_is_no_unit(void **state)
{
	(void)state;
	static const struct {
		const char *query, *unit;
		int kind;
	} cases[] = {
		/* the kind of thing 哪些 asks for is not the topic; elsewhere the word counts */
		{"哪些城市推行校长职级制改革", "城市", -1},
		{"哪些城市推行校长职级制改革", "校长", PQ_RANK_WORD},
		{"城市教育发展", "城市", PQ_RANK_WORD},
		/* what kind of answer a question wants */
		{"各地有哪些举措减轻学生负担", "举措", -1},
		{"各地有哪些举措减轻学生负担", "各地", -1},
		{"各地有哪些举措减轻学生负担", "负担", PQ_RANK_WORD},
		{"教师培训的具体要求是什么", "具体", -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pq_ranker_t *r = ranker_for(cases[i].query, NULL);
		int kind = kind_of(r, cases[i].unit);
		if (kind != cases[i].kind)
			fail_msg("'%s': unit '%s' is of kind %d, expected %d", cases[i].query,
				 cases[i].unit, kind, cases[i].kind);
		pq_ranker_free(r);
	}
}

static void test_concept_variants_join_the_query_weighing_less_than_typed_words(void **state)
{
	(void)state;
	pq_thesaurus_t *th = small();
	pq_ranker_t *r = ranker_for("双减", th);
	assert_int_equal(kind_of(r, "减负"), PQ_RANK_VARIANT);
	assert_int_equal(kind_of(r, "减轻学生过重课业负担"), PQ_RANK_VARIANT);
	int typed = -1, variant = -1;
	for (size_t i = 0; i < r->n_units; i++) {
		if (strcmp(r->units[i].norm, "双减") == 0)
			typed = (int)i;
		if (strcmp(r->units[i].norm, "减负") == 0)
			variant = (int)i;
	}
	assert_true(r->units[variant].weight < r->units[typed].weight);
	pq_ranker_free(r);
	/* a variant the query holds whole is the query's own phrasing */
	r = ranker_for("如何落实减负提质", th);
	assert_int_equal(kind_of(r, "减负提质"), PQ_RANK_TYPED);
	assert_int_equal(kind_of(r, "双减"), PQ_RANK_VARIANT);
	pq_ranker_free(r);
	pq_thesaurus_free(th);
}

/* A group that lists another group's head, without being listed back, is the broader
 * concept: a search for it finds the narrower one's head; a search for a term of the
 * narrower one stays there. Two groups that list each other are one policy. */
static void test_a_search_for_a_narrower_concept_stays_narrow(void **state)
{
	(void)state;
	static const char TEXT[] = "特殊教育 = 残疾儿童 | 随班就读\n"
				   "随班就读 = 融合教育\n"
				   "校园安全 = 平安校园 | 校车安全 | 校车\n"
				   "校车安全 = 校车 | 校车奖补\n"
				   "学区化 = 大学区 | 集团化办学\n"
				   "集团化办学 = 教育集团 | 学区化\n";
	static const struct {
		const char *query, *unit;
		int kind;
	} cases[] = {
		/* the broader concept reaches the narrower one's head */
		{"特殊教育", "随班就读", PQ_RANK_VARIANT},
		{"特殊教育", "残疾儿童", PQ_RANK_VARIANT},
		{"校园安全", "校车", PQ_RANK_VARIANT},
		/* the narrower one, by its head or any of its terms, stays narrow */
		{"随班就读", "融合教育", PQ_RANK_VARIANT},
		{"随班就读", "残疾儿童", -1},
		{"融合教育", "随班就读", PQ_RANK_VARIANT},
		{"融合教育", "残疾儿童", -1},
		{"校车", "校车奖补", PQ_RANK_VARIANT},
		{"校车", "平安校园", -1},
		{"校车安全", "平安校园", -1},
		/* groups that list each other reach each other */
		{"学区化", "教育集团", PQ_RANK_VARIANT},
		{"集团化办学", "大学区", PQ_RANK_VARIANT},
	};
	pq_thesaurus_t *th = pq_thesaurus_new();
	char *error = NULL;
	assert_non_null(th);
	if (pq_thesaurus_load_text(th, "narrow.txt", TEXT, strlen(TEXT), &error) != PS_OK)
		fail_msg("narrow.txt refused: %s", error);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pq_ranker_t *r = ranker_for(cases[i].query, th);
		int kind = kind_of(r, cases[i].unit);
		if (kind != cases[i].kind)
			fail_msg("'%s': unit '%s' of kind %d, expected %d", cases[i].query,
				 cases[i].unit, kind, cases[i].kind);
		pq_ranker_free(r);
	}
	pq_thesaurus_free(th);
}

/* The score of each text for a query, with the texts themselves as the collection. */
static void scores_for(const char *query, const char *const *texts, size_t n, double *out)
{
	pq_ranker_t *r = ranker_for(query, NULL);
	unsigned *tf = calloc(r->n_units + 1, sizeof *tf);
	size_t *df = calloc(r->n_units + 1, sizeof *df);
	double len = 0;
	for (size_t i = 0; i < n; i++) {
		pq_ranker_count(r, texts[i], strlen(texts[i]), tf);
		for (size_t k = 0; k < r->n_units; k++)
			df[k] += tf[k] > 0;
		len += (double)strlen(texts[i]);
	}
	pq_ranker_set_stats(r, (double)n * 4, df, len / (double)n);
	for (size_t i = 0; i < n; i++) {
		pq_ranker_count(r, texts[i], strlen(texts[i]), tf);
		out[i] = pq_ranker_score(r, tf, strlen(texts[i]), false);
	}
	free(tf);
	free(df);
	pq_ranker_free(r);
}

static void test_the_whole_outranks_its_half_and_stray_characters_score_nothing(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"加强学生近视防控工作。",       /* the whole */
		"抓好校园疫情常态防控。",       /* half of it, in another sense */
		"减材料、减环节、双语讲故事比赛。", /* only single characters of 双减 */
		"推动“双减”落地见效。",
	};
	double s[4];
	scores_for("近视防控", texts, 4, s);
	assert_true(s[0] > s[1]);
	assert_true(s[1] > 0);
	assert_true(s[2] == 0);
	scores_for("双减", texts, 4, s);
	assert_true(s[2] == 0);
	assert_true(s[3] > 0);
}

static void test_the_share_of_the_query_a_clause_holds_favours_the_asked_indicator(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"小学初中班额不超过45人。",   /* the whole question's topic */
		"省示范性高中班额不超过45人。", /* the indicator, another level */
		"书面作业时间不超过60分钟。",   /* a figure of something else */
		"加强学校体育工作。",         /* none of it */
	};
	pq_ranker_t *r = ranker_for("小学初中班额不超过多少人", NULL);
	unsigned *tf = calloc(r->n_units + 1, sizeof *tf);
	size_t *df = calloc(r->n_units + 1, sizeof *df);
	for (size_t i = 0; i < 4; i++) {
		pq_ranker_count(r, texts[i], strlen(texts[i]), tf);
		for (size_t k = 0; k < r->n_units; k++)
			df[k] += tf[k] > 0;
	}
	pq_ranker_set_stats(r, 16, df, 30);
	double share[4];
	for (size_t i = 0; i < 4; i++) {
		pq_ranker_count(r, texts[i], strlen(texts[i]), tf);
		share[i] = pq_ranker_share(r, tf);
	}
	assert_true(share[0] > share[1]);
	assert_true(share[1] > share[2]);
	assert_true(share[3] == 0);
	assert_true(share[0] <= 1);
	free(tf);
	free(df);
	pq_ranker_free(r);
}

static void test_a_title_naming_the_plans_situation_problems_or_ideology_marks_context(void **state)
{
	(void)state;
	static const struct {
		const char *title;
		bool context;
	} cases[] = {
		{"面临形势", true},
		{"发展形势", true},
		{"存在问题", true},
		{"“十三五”期间我市教育发展取得的成绩是显著的，但还存在一些亟待解决的问题，突出表现在：",
		 true},
		{"面临的机遇和挑战", true},
		{"指导思想", true},
		/* printed in traditional characters or full-width forms, as some plans are */
		{"二、面臨形勢與存在問題", true},
		{"（一）指導思想", true},
		{"主要成就及存在問題", false},
		/* a heading over both context and results or targets governs measures too */
		{"阜新市教育事业“十三五”主要成就及存在问题", false},
		{"“十四五”时期教育改革和发展的指导思想与规划目标", false},
		/* a task that names a problem to solve is a measure */
		{"着力解决大班额问题", false},
		/* principles are commitments a question may ask for */
		{"基本原则", false},
		{"主要任务", false},
		{"发展基础", false},
		{"", false},
	};
	/* each as the index holds a heading: its normal form */
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		seg_norm_t norm = {0};
		char *error = NULL;
		assert_int_equal(seg_normalize(cases[i].title, strlen(cases[i].title), false, &norm,
					       &error),
				 0);
		if (pq_rank_context_title(norm.text, norm.len) != cases[i].context)
			fail_msg("'%s': expected %s", cases[i].title,
				 cases[i].context ? "context" : "no context");
		seg_norm_clear(&norm);
	}
}

static void test_a_query_that_names_the_plans_context_asks_for_it(void **state)
{
	(void)state;
	static const struct {
		const char *query;
		bool discounted;
	} cases[] = {
		{"如何推进教育对外开放", true},
		{"如何解决大班额问题", true},      /* a problem to solve: measures wanted */
		{"教育发展存在的问题", false},     /* the problems the plans have */
		{"十四五教育面临的形势", false},
		{"指导思想", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pq_ranker_t *r = ranker_for(cases[i].query, NULL);
		if ((r->context > 0) != cases[i].discounted)
			fail_msg("'%s': context share %g", cases[i].query, r->context);
		pq_ranker_free(r);
	}
}

static void test_a_short_first_sentence_is_a_paragraphs_title(void **state)
{
	(void)state;
	static const struct {
		const char *clause;
		bool title;
	} cases[] = {
		{"深化办学体制改革。", true},
		{"提升课后服务质量。", true},
		{"教育系统党建工作全面加强。", true},
		/* closing marks after the full stop, as 阜新 prints its bold titles */
		{"——**坚持党对教育事业的全面领导。**", true},
		{"开展“青少年法治教育”。”", true},
		/* twenty characters of text at most (the marks do not count) */
		{"加快中小学新型智慧教育基础设施建设与应用。", true},
		{"加快中小学新型智慧教育基础设施建设与应用推广。", false},
		{"全面落实《中华人民共和国民办教育促进法实施条例》（中华人民共和国国务院令第741号）。",
		 false},
		/* not a sentence: an item of a list, a lead-in, a clause cut off */
		{"一是教育投入不足；", false},
		{"突出表现在：", false},
		{"优化中小学布局规划,全市新建、改扩建中小学40所", false},
		{"。", false},
		{"", false},
	};
	/* each as the index holds a clause: its normal form (；→;) */
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		seg_norm_t norm = {0};
		char *error = NULL;
		assert_int_equal(seg_normalize(cases[i].clause, strlen(cases[i].clause), false,
					       &norm, &error),
				 0);
		if (pq_rank_lead_title(norm.text, norm.len) != cases[i].title)
			fail_msg("'%s': expected %s", cases[i].clause,
				 cases[i].title ? "a title" : "no title");
		seg_norm_clear(&norm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thesaurus_reads_groups_trimmed_and_normalised),
		cmocka_unit_test(test_thesaurus_file_that_breaks_the_format_is_refused_with_its_line),
		cmocka_unit_test(test_a_later_file_replaces_a_group_with_the_same_head),
		cmocka_unit_test(test_the_bundled_thesaurus_loads_with_at_least_150_groups),
		cmocka_unit_test(test_a_concept_is_the_or_of_its_terms_each_literal),
		cmocka_unit_test(test_a_concept_no_group_holds_is_refused),
		cmocka_unit_test(test_single_characters_count_only_when_nothing_longer_covers_them),
		cmocka_unit_test(test_a_questions_frame_is_no_unit),
		cmocka_unit_test(test_concept_variants_join_the_query_weighing_less_than_typed_words),
		cmocka_unit_test(test_a_search_for_a_narrower_concept_stays_narrow),
		cmocka_unit_test(test_the_whole_outranks_its_half_and_stray_characters_score_nothing),
		cmocka_unit_test(test_the_share_of_the_query_a_clause_holds_favours_the_asked_indicator),
		cmocka_unit_test(test_a_title_naming_the_plans_situation_problems_or_ideology_marks_context),
		cmocka_unit_test(test_a_query_that_names_the_plans_context_asks_for_it),
		cmocka_unit_test(test_a_short_first_sentence_is_a_paragraphs_title),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
