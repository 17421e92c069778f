/* test_documents.c: documents beyond the five plans (a law, an opinion, a notice, a plan in parts, a judicial interpretation, traditional text): outlines, citations and searches as people expect them. */
#include "test.h"

#include "run.h"
#include "tmpdir.h"

#include <json-c/json.h>

/* tests/documents holds one document in each heading system (its manifest says which);
 * tests/expected holds their outline as policy-index --outline prints it, checked by hand,
 * and the bundled plans' outline from before articles, lists and joined lines existed. */

static struct {
	char *dir;       /* scratch */
	char db[1100];   /* an index of tests/documents */
	char plans[1100]; /* an index of the bundled plans */
} fx;

static run_t run(const char *const *argv)
{
	return run_in(fx.dir, NULL, NULL, argv);
}

static void build(const char *corpus, const char *db)
{
	if (run_build_index(fx.dir, corpus, db) != 0)
		exit(1);
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/documents-index", fx.dir);
	snprintf(fx.plans, sizeof fx.plans, "%s/plans-index", fx.dir);
	build(test_env("DOCUMENTS_DIR"), fx.db);
	build(test_env("CORPUS_DIR"), fx.plans);
	return 0;
}

static int group_teardown(void **state)
{
	tmpdir_teardown((void **)&fx.dir);
	(void)state;
	return 0;
}

/* Compare text with the file tests/expected/NAME, showing the first line that differs. */
static void assert_equals_expected(const char *text, const char *name)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", test_env("EXPECTED_DIR"), name);
	size_t len;
	char *want = run_slurp(path, &len);
	assert_true(len > 0);
	if (strcmp(text, want) != 0) {
		size_t i = 0, line = 1;
		while (text[i] != '\0' && text[i] == want[i])
			line += text[i++] == '\n';
		const char *got_line = text + i, *want_line = want + i;
		while (got_line > text && got_line[-1] != '\n')
			got_line--;
		while (want_line > want && want_line[-1] != '\n')
			want_line--;
		fail_msg("%s differs at line %zu:\n  got:      %.*s\n  expected: %.*s", name, line,
			 (int)strcspn(got_line, "\n"), got_line, (int)strcspn(want_line, "\n"),
			 want_line);
	}
	free(want);
}

/* Every heading system: 编/分编/章/节/条 with items and a table of contents, 一、（一）with a
 * list after ：, 一. and 1., 第一部分 with decimal numbering, articles under 一、, articles
 * with bracketed titles, traditional characters. */
static void test_outline_of_every_heading_system_is_as_expected(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--outline", "--corpus",
				       test_env("DOCUMENTS_DIR"), NULL});
	assert_int_equal(r.status, 0);
	assert_equals_expected(r.out, "documents-outline.txt");
	/* the code skips from 第一节 to 第五节: said, with the line */
	assert_contains(r.err, "fadian-bian.txt line 16: 第五节 follows 第一节 (line 14): a number "
			       "is skipped");
	/* articles are numbered through a law, across its chapters */
	assert_contains(r.err, "md-shishi-banfa.txt line 23: 第十五条 follows 第二条 (line 13): a "
			       "number is skipped");
	run_free(&r);
}

/* The five plans keep every section path they had: joined lines and lists change no
 * heading of theirs. */
static void test_bundled_plans_keep_every_section_path(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--outline", "--corpus",
				       test_env("CORPUS_DIR"), NULL});
	assert_int_equal(r.status, 0);
	assert_equals_expected(r.out, "corpus-outline.txt");
	/* 通化's （1） before （二） is the one numbering a reader should look at */
	assert_contains(r.err, "tonghua.txt line 29: （1） is the only heading numbered this way");
	run_free(&r);
}

/* An id and the citation line cite prints for it. */
typedef struct cite_case {
	const char *id;
	const char *line;
} cite_case_t;

static void check_citations(const char *db, const cite_case_t *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "cite", "--db", db,
					       cases[i].id, NULL});
		if (r.status != 0)
			fail_msg("cite %s: exit %d: %s", cases[i].id, r.status, r.err);
		size_t first = strcspn(r.out, "\n");
		if (strlen(cases[i].line) != first || strncmp(r.out, cases[i].line, first) != 0)
			fail_msg("cite %s:\n  got:      %.*s\n  expected: %s", cases[i].id,
				 (int)first, r.out, cases[i].line);
		run_free(&r);
	}
}

/* Laws are cited as readers write them: 第X条第Y款第Z项 (第一款 left out of an article of
 * one 款), a sentence of a 款 as 第一句, without the chapters above the article. */
static void test_articles_are_cited_by_article_paragraph_item_and_sentence(void **state)
{
	(void)state;
	static const cite_case_t cases[] = {
		{"xueqian-tiaoli/1.a3", "《某省学前教育条例》第三条"},
		{"xueqian-tiaoli/a3", "《某省学前教育条例》第三条"}, /* by its number alone */
		{"xueqian-tiaoli/1.a3/p1", "《某省学前教育条例》第三条第一款：“县级以上人民政府应当履行下列职责：”"},
		{"xueqian-tiaoli/1.a3/p3",
		 "《某省学前教育条例》第三条第一款第二项：“（二）合理配置学前教育资源，扩大普惠性学前教育资源供给；”"},
		{"xueqian-tiaoli/1.a3/7",
		 "《某省学前教育条例》第三条第二款第二句：“卫生健康、住房城乡建设等部门在各自职责范围内做好相关工作。”"},
		{"xueqian-tiaoli/2.a4/p4",
		 "《某省学前教育条例》第四条第二项第一目：“1.规划居住人口达到三千人以上的，配套建设幼儿园；”"},
		{"xueqian-tiaoli/3.1.a6/3", "《某省学前教育条例》第六条第二款（第二分句）：“寄宿制幼儿园不少于三小时。”"},
		{"xueqian-tiaoli/3.2.a8/1",
		 "《某省学前教育条例》第八条：“幼儿园应当以游戏为基本活动，不得提前教授小学阶段的课程内容。”"},
		{"sifa/1.a2/p3", "《最高人民法院关于审理教育培训合同纠纷案件适用法律若干问题的解释》第二条第二项："
				 "“（二）擅自变更培训内容、培训时间或者授课教师的；”"},
		/* a quotation inside the quote steps down to ‘ ’ */
		{"sifa/2.a3/p2", "《最高人民法院关于审理教育培训合同纠纷案件适用法律若干问题的解释》第三条第二款："
				 "“培训机构以已经收取的费用属于‘不予退还’为由抗辩的，人民法院不予支持。”"},
		{"banfa/a1/1", "《某市校外培训机构监督管理办法》第一条：“为了规范校外培训机构办学行为，减轻学生过重"
			       "校外培训负担，根据有关规定，制定本办法。”"},
		{"fadian/a6/1", "《某某教育法典（试拟稿，节选）》第六条：“学校不得分设重点班和非重点班。”"},
		/* a law in Markdown (## 第一章, - 第一条); a title inside the title steps down to
		 * 〈 〉; lines of a label and a colon stay paragraphs (款) of their own */
		{"md-banfa/a1/1", "《某省实施〈中华人民共和国学前教育法〉办法》第一条：“为了实施《中华人民共和国学前"
				  "教育法》，结合本省实际，制定本办法。”"},
		{"md-banfa/a2/p3", "《某省实施〈中华人民共和国学前教育法〉办法》第二条第三款：“年工作日：365天－104天"
				   "－11天＝250天”"},
		{"md-banfa/a16/p3", "《某省实施〈中华人民共和国学前教育法〉办法》第十六条第二项：“（二）取得相应资格。”"},
	};
	check_citations(fx.db, cases, sizeof cases / sizeof cases[0]);
}

/* Other documents are cited by their section path and 第N句 (sentences, not clauses) or
 * 第K段; a break the source put inside a sentence shows as ⏎. */
static void test_other_documents_are_cited_by_section_sentence_and_paragraph(void **state)
{
	(void)state;
	static const cite_case_t cases[] = {
		{"yijian/2.1/1", "《国务院关于进一步推进学前教育普及普惠发展的意见》二、重点任务 （三）扩大普惠性资源供"
				 "给，第1句：“各地要科学测算学龄人口变化，新建、改扩建一批公办幼儿园。”"},
		{"yijian/2.2/p2", "《国务院关于进一步推进学前教育普及普惠发展的意见》二、重点任务 （四）提升保教质量，"
				  "第2段：“1.完善幼儿园课程指导体系，防止和纠正‘小学化’倾向；”"},
		{"tongzhi/2.3/1", "《关于做好2025年义务教育招生入学工作的通知》二.工作任务 3．保障特殊群体入学，第1句："
				  "“做好进城务工人员随迁子女、残疾儿童少年等群体的入学工作。”"},
		{"xinxihua/3.1.1/1", "《某市“十四五”教育信息化发展规划》第三部分 主要任务 3.1 建设智慧校园 3.1.1 完善"
				     "网络基础设施，第1句：“推进校园网络提速扩容，实现千兆到校、百兆到班。”"},
		{"fanti/1/p2", "《某縣教育事業發展規劃（節選）》一、發展基礎，第2段：“堅持‘雙減’工作常態化，全面規範"
			       "校外培訓機構，推進課後服務提質增效，完善課後服務機⏎制，提高服務質量。”"},
	};
	check_citations(fx.db, cases, sizeof cases / sizeof cases[0]);
	/* 鞍山 3.4.1/7 is the fifth clause of the section's third sentence */
	static const cite_case_t plans[] = {
		{"anshan/3.4.1/7", "《鞍山市教育事业发展“十四五”规划》三、保障措施 （四）不断完善教育协同发展落实机制 "
				   "1.构建全方位协同推进教育高质量发展的有效机制，第3句（第5分句）：“财政部门充分发挥公共财政"
				   "的保障职能，足额拨付教育经费；”"},
		{"tonghua/3.4/4", "〔通化市“十四五”教育事业发展规划〕三、主要任务 （四）全力推进义务教育优质均衡发展，第4句："
				  "“持续开展‘双减’工作。”"},
	};
	check_citations(fx.plans, plans, sizeof plans / sizeof plans[0]);
}

/* A query and what must hold of its answer. */
typedef struct search_case {
	const char *args[8];
	const char *want; /* in the output */
} search_case_t;

/* Run each case as `policy-query COMMAND --db db ARGS…` (the command is args[0]). */
static void check_searches(const char *db, const search_case_t *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *argv[16] = {test_env("POLICY_QUERY"), cases[i].args[0], "--db", db};
		size_t k = 4;
		for (size_t a = 1; cases[i].args[a] != NULL && k < 15; a++)
			argv[k++] = cases[i].args[a];
		argv[k] = NULL;
		run_t r = run(argv);
		if (r.status != 0 || strstr(r.out, cases[i].want) == NULL)
			fail_msg("case %zu (%s %s …): exit %d, no \"%s\" in:\n%s%s", i,
				 cases[i].args[0], cases[i].args[1], r.status, cases[i].want, r.out,
				 r.err);
		run_free(&r);
	}
}

/* The normal form drops white space next to Chinese text and folds traditional characters,
 * so the bundled plans answer as printed: 2025 年 is 2025年, 雙減 is 双减, and a sentence
 * broken across lines is found whole. */
static void test_plans_are_matched_as_printed(void **state)
{
	(void)state;
	static const search_case_t cases[] = {
		{{"freq", "--city", "阜新", "2025年", NULL}, "2025年,阜新市,fuxin,20,"},
		{{"search", "2.8亿元", NULL}, "1 passage: 阜新市 1"},
		{{"search", "--city", "阜新", "中小学生", NULL}, "fuxin/1.1/34 · fuxin.txt line 27"},
		{{"search", "雙減", NULL}, "4 passages: 丹东市 1 · 鞍山市 1 · 通化市 2"},
		/* 阜新's two 课后服务 are one clause now that its broken sentence is whole */
		{{"search", "課後服務", "--city", "阜新", NULL}, "1 passage: 阜新市 1"},
		{{"search", "课后服务机制", "--city", "阜新", NULL}, "fuxin/2.4.4.2/5 · fuxin.txt line 107"},
		{{"search", "\"教育 现代化\"", NULL}, "passages: "},
	};
	check_searches(fx.plans, cases, sizeof cases / sizeof cases[0]);
}

/* The same on documents written with traditional characters and stray spaces, and
 * --section and facets on articles. */
static void test_documents_are_matched_as_printed_and_filtered_by_article(void **state)
{
	(void)state;
	static const search_case_t cases[] = {
		{{"search", "双减", "--city", "某縣", NULL}, "1 passage: 某縣 1"},
		{{"freq", "--city", "某縣", "2025年", "中小学生", "课后服务机制", NULL},
		 "2025年,某縣,fanti,2,2,"},
		{{"freq", "--city", "某縣", "中小学生", NULL}, "中小学生,某縣,fanti,1,1,"},
		{{"search", "课后服务机制", NULL}, "fanti/1/2 · fanti-jiaoyu.txt line 4"},
		{{"search", "缩小城乡差距", NULL}, "fanti/2.1/1 · fanti-jiaoyu.txt line 9"},
		/* 某省 has two documents: each is named */
		{{"search", "--section", "第三条", "人民政府", NULL}, "2 passages: 某省《某省学前教育条例》 2\n"},
		{{"search", "--section", "第二节", "幼儿园", NULL}, "2 passages: 某省《某省学前教育条例》 2\n"},
		{{"search", "--city", "某省", "幼儿园", NULL},
		 "14 passages: 某省《某省学前教育条例》 12 · 某省《某省实施〈中华人民共和国学前教育法〉办法》 2\n"
		 "  某省《某省学前教育条例》: 第一章 总　　则 1 · 第二章 规划与举办 5 · 第三章 保育与教育 6\n"
		 "  某省《某省实施〈中华人民共和国学前教育法〉办法》: 第二章 保育教育 2\n"},
		{{"search", "退还", NULL}, "sifa/2.a3/1"},
	};
	check_searches(fx.db, cases, sizeof cases / sizeof cases[0]);
}

/* The score --any gives passage `id` in the JSON of r; fails when it is not there. */
static double any_score(const run_t *r, const char *id)
{
	json_object *root = json_tokener_parse(r->out), *hits, *v;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "hits", &hits));
	for (size_t i = 0; i < json_object_array_length(hits); i++) {
		json_object *h = json_object_array_get_idx(hits, i);
		if (json_object_object_get_ex(h, "id", &v) &&
		    strcmp(json_object_get_string(v), id) == 0 &&
		    json_object_object_get_ex(h, "score", &v)) {
			double score = json_object_get_double(v);
			json_object_put(root);
			return score;
		}
	}
	fail_msg("no hit %s in:\n%.500s", id, r->out);
	json_object_put(root);
	return 0;
}

/* 某縣's plan says the same sentence among its tasks (二、（二）) and under a heading that
 * names its situation and problems, printed in traditional characters (三、面臨的形勢與存在
 * 問題): read as the index folds it, the heading marks the plan's context, where a passage
 * keeps half its score (README, --any). */
static void test_a_context_heading_in_traditional_characters_halves_its_passages(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", fx.db, "--any", "--city",
				       "某縣", "--format", "json", "教师信息技术应用能力", NULL});
	assert_int_equal(r.status, 0);
	double task = any_score(&r, "fanti/2.2/p1"), context = any_score(&r, "fanti/3/p1");
	/* the task's paragraph also gets its heading's share (教師): a little more than twice */
	assert_true(context > 0 && context < 0.6 * task);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outline_of_every_heading_system_is_as_expected),
		cmocka_unit_test(test_bundled_plans_keep_every_section_path),
		cmocka_unit_test(test_articles_are_cited_by_article_paragraph_item_and_sentence),
		cmocka_unit_test(test_other_documents_are_cited_by_section_sentence_and_paragraph),
		cmocka_unit_test(test_plans_are_matched_as_printed),
		cmocka_unit_test(test_documents_are_matched_as_printed_and_filtered_by_article),
		cmocka_unit_test(test_a_context_heading_in_traditional_characters_halves_its_passages),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
