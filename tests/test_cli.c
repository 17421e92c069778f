/* test_cli.c: the policy-index and policy-query programs as a user runs them: output and exit status. */
#include "test.h"

#include "run.h"
#include "tmpdir.h"

#include <stdbool.h>
#include <json-c/json.h>
#include <sys/stat.h>

static char *dir;
static char db[1024];

/* Run argv (argv[0] a path) with stdout and stderr captured, stdin empty. */
static run_t run(const char *const *argv)
{
	return run_program(dir, argv);
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&dir) != 0)
		return -1;
	snprintf(db, sizeof db, "%s/index", dir);
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--corpus", test_env("CORPUS_DIR"),
				       "--db", db, NULL});
	int ok = r.status == 0 && strstr(r.out, "indexed") != NULL;
	if (!ok)
		fprintf(stderr, "policy-index failed (%d): %s\n", r.status, r.err);
	run_free(&r);
	return ok ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	tmpdir_teardown((void **)&dir);
	return 0;
}

static void test_search_prints_the_four_passages_with_their_section_paths(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "4 passages: 丹东市 1 · 鞍山市 1 · 通化市 2");
	assert_contains(r.out, "二、主要任务 › （三）实施“双减”工作、全面构建优良教育生态工程");
	assert_contains(r.out, "第二章 “十四五”时期教育改革和发展的指导思想与规划目标 › （二）规划目标");
	assert_contains(r.out, "三、主要任务 › （四）全力推进义务教育优质均衡发展 › 专栏6");
	assert_contains(r.out, "〔通化市“十四五”教育事业发展规划〕");
	assert_contains(r.out, "dandong/2.2/6 · dandong.txt line 98");
	assert_null(strchr(r.out, '\033')); /* no colour when stdout is not a terminal */
	run_free(&r);
}

static void test_json_output_is_one_object_with_the_exact_total(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "--limit", "1", "教育", NULL});
	assert_int_equal(r.status, 0);
	json_object *root = json_tokener_parse(r.out), *v;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "total", &v));
	assert_true(json_object_get_int(v) > 100);
	assert_true(json_object_object_get_ex(root, "hits", &v));
	assert_int_equal(json_object_array_length(v), 1);
	json_object_put(root);
	run_free(&r);
}

static void test_city_filter_accepts_the_short_chinese_name(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--city", "通化",
				       "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "2 passages: 通化市 2");
	run_free(&r);
}

static void test_a_missing_index_says_how_to_build_one_and_exits_2(void **state)
{
	(void)state;
	char missing[1100];
	snprintf(missing, sizeof missing, "%s/no-such-index", dir);
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", missing, "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "policy-index --corpus corpus --db");
	assert_string_equal(r.out, "");
	run_free(&r);
}

static void test_an_unknown_city_lists_the_known_ones_and_exits_2(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--city", "北京",
				       "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "unknown city '北京'");
	assert_contains(r.err, "丹东市 (dandong)");
	assert_contains(r.err, "通化市 (tonghua)");
	run_free(&r);
}

/* A literal search uses no thesaurus: one that cannot be read only leaves the suggested
 * --any run without it, and the search that finds nothing still answers. */
static void test_an_unreadable_thesaurus_does_not_fail_a_literal_search(void **state)
{
	(void)state;
	setenv("POLICY_SEARCH_THESAURUS", "/nonexistent/thesaurus.txt", 1);
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "不存在的词", NULL});
	run_t j = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "不存在的词", NULL});
	run_t any = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--any", "双减",
					 NULL});
	unsetenv("POLICY_SEARCH_THESAURUS");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0 passages"));
	assert_int_equal(j.status, 0);
	assert_non_null(strstr(j.out, "\"total\":0"));
	assert_int_equal(any.status, 2); /* --any asks for the thesaurus: bad usage */
	run_free(&r);
	run_free(&j);
	run_free(&any);
}

static void test_bad_usage_exits_2_with_a_message(void **state)
{
	(void)state;
	static const char *const cases[][6] = {
		{"--db", NULL},                     /* no query, and --db lacks its value */
		{"--limit", "many", "双减", NULL},  /* not a number */
		{"--format", "xml", "双减", NULL},  /* unknown format */
		{"\xe5\x8f", NULL},                 /* invalid UTF-8 in the query */
		{"   ", NULL},                      /* only white space */
		{"\xe2\x80\x8b", NULL},            /* a zero-width space: nothing to search for */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *argv[10] = {test_env("POLICY_QUERY"), "--db", db};
		size_t n = 3;
		for (size_t k = 0; cases[i][k]; k++)
			argv[n++] = cases[i][k];
		argv[n] = NULL;
		run_t r = run(argv);
		if (r.status != 2 || strstr(r.err, "policy-query") == NULL)
			fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
		run_free(&r);
	}
}

static void test_policy_index_refuses_stray_arguments(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "stray", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "unexpected argument");
	run_free(&r);
}

/* Parse a run's JSON output; fails the test if it is not one object. */
static json_object *json_of(const run_t *r)
{
	json_object *root = json_tokener_parse(r->out);
	if (root == NULL || !json_object_is_type(root, json_type_object))
		fail_msg("not a JSON object: %s", r->out);
	return root;
}

static long long json_int(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no \"%s\"", key);
	return (long long)json_object_get_int64(v);
}

typedef struct bad_query {
	const char *query;
	const char *message;
} bad_query_t;

static void test_bad_queries_exit_2_with_one_line_that_points_at_the_place(void **state)
{
	(void)state;
	static const bad_query_t cases[] = {
		{"双减 \"课后", "character 4"}, {"(双减", "character 1"},
		{"双减)", "character 3"},       {"双减 NOT", "character 4"},
		{"-双减", "only excludes"},     {"双减 OR -作业", "only excluded"},
		{"\xe5\x8f", "not valid UTF-8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* after --, so that -双减 is the query's, not an unknown option */
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--",
					       cases[i].query, NULL});
		if (r.status != 2)
			fail_msg("'%s' exited %d", cases[i].query, r.status);
		assert_contains(r.err, cases[i].message);
		assert_int_equal(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err));
		assert_string_equal(r.out, "");
		run_free(&r);
	}
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "empty");
	run_free(&r);
}

static void test_a_minus_word_is_an_excluded_term_not_an_option(void **state)
{
	(void)state;
	run_t all = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
					 "双减", NULL});
	run_t some = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format",
					  "json", "双减", "-课后服务", NULL});
	assert_int_equal(all.status, 0);
	assert_int_equal(some.status, 0);
	json_object *a = json_of(&all), *b = json_of(&some), *hits, *text;
	assert_int_equal(json_int(a, "total"), 4);
	assert_true(json_int(b, "total") < 4);
	assert_true(json_object_object_get_ex(b, "hits", &hits));
	for (size_t i = 0; i < json_object_array_length(hits); i++) {
		json_object_object_get_ex(json_object_array_get_idx(hits, i), "text", &text);
		assert_null(strstr(json_object_get_string(text), "课后服务"));
	}
	json_object_put(a);
	json_object_put(b);
	run_free(&all);
	run_free(&some);
}

static void test_paragraph_scope_lists_paragraphs_with_every_match_marked(void **state)
{
	(void)state;
	/* 双减 and 作业 share a paragraph of Tonghua's plan but never a clause */
	run_t c = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "双减", "作业", NULL});
	run_t p = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "--scope", "paragraph", "双减", "作业", NULL});
	json_object *cj = json_of(&c), *pj = json_of(&p), *hits, *v;
	assert_int_equal(json_int(cj, "total"), 0);
	assert_true(json_int(pj, "total") >= 1);
	assert_true(json_object_object_get_ex(pj, "scope", &v));
	assert_string_equal(json_object_get_string(v), "paragraph");
	assert_true(json_object_object_get_ex(pj, "hits", &hits));
	json_object *h = json_object_array_get_idx(hits, 0), *matches;
	assert_true(json_object_object_get_ex(h, "unit", &v));
	assert_string_equal(json_object_get_string(v), "paragraph");
	assert_true(json_object_object_get_ex(h, "id", &v));
	assert_non_null(strstr(json_object_get_string(v), "/p"));
	json_object_object_get_ex(h, "text", &v);
	const char *text = json_object_get_string(v);
	assert_true(json_object_object_get_ex(h, "matches", &matches));
	size_t marked_shuang = 0, marked_zuoye = 0, n_shuang = 0, n_zuoye = 0;
	for (size_t i = 0; i < json_object_array_length(matches); i++) {
		json_object *m = json_object_array_get_idx(matches, i);
		size_t s = (size_t)json_object_get_int(json_object_array_get_idx(m, 0));
		size_t e = (size_t)json_object_get_int(json_object_array_get_idx(m, 1));
		marked_shuang += e - s == 6 && memcmp(text + s, "双减", 6) == 0;
		marked_zuoye += e - s == 6 && memcmp(text + s, "作业", 6) == 0;
	}
	for (const char *t = text; (t = strstr(t, "双减")) != NULL; t++)
		n_shuang++;
	for (const char *t = text; (t = strstr(t, "作业")) != NULL; t++)
		n_zuoye++;
	assert_true(n_shuang > 0 && n_zuoye > 1);
	assert_int_equal(marked_shuang, n_shuang);
	assert_int_equal(marked_zuoye, n_zuoye);
	json_object_put(cj);
	json_object_put(pj);
	run_free(&c);
	run_free(&p);
}

static void test_facets_count_every_hit_and_offset_pages_through_them(void **state)
{
	(void)state;
	run_t all = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
					 "--all", "教育", "质量", NULL});
	run_t page = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format",
					  "json", "--offset", "5", "--limit", "3", "教育", "质量",
					  NULL});
	json_object *a = json_of(&all), *p = json_of(&page), *ah, *ph, *facets, *city, *chapter;
	long long total = json_int(a, "total");
	assert_true(total > 8);
	assert_int_equal(json_int(p, "total"), total);
	assert_int_equal(json_int(p, "offset"), 5);
	json_object_object_get_ex(a, "hits", &ah);
	json_object_object_get_ex(p, "hits", &ph);
	assert_int_equal(json_object_array_length(ah), total);
	assert_int_equal(json_object_array_length(ph), 3);
	for (size_t i = 0; i < 3; i++) {
		json_object *x, *y;
		json_object_object_get_ex(json_object_array_get_idx(ah, 5 + i), "id", &x);
		json_object_object_get_ex(json_object_array_get_idx(ph, i), "id", &y);
		assert_string_equal(json_object_get_string(x), json_object_get_string(y));
	}
	/* the page's facets are the whole query's: per city, the hits of that city */
	assert_true(json_object_object_get_ex(p, "facets", &facets));
	assert_true(json_object_object_get_ex(facets, "city", &city));
	assert_true(json_object_object_get_ex(facets, "chapter", &chapter));
	long long sum = 0;
	json_object_object_foreach(city, name, count) {
		long long n = 0, in_chapters = 0;
		for (size_t i = 0; i < json_object_array_length(ah); i++) {
			json_object *c;
			json_object_object_get_ex(json_object_array_get_idx(ah, i), "city", &c);
			n += strcmp(json_object_get_string(c), name) == 0;
		}
		assert_int_equal(json_object_get_int64(count), n);
		json_object *chapters;
		if (json_object_object_get_ex(chapter, name, &chapters)) {
			json_object_object_foreach(chapters, label, k) {
				(void)label;
				in_chapters += json_object_get_int64(k);
			}
		}
		assert_int_equal(in_chapters, n);
		sum += n;
	}
	assert_int_equal(sum, total);
	json_object_put(a);
	json_object_put(p);
	run_free(&all);
	run_free(&page);
}

/* Every page of a search is the slice of the whole ranking it names, with the whole
 * query's total and facets: whatever walk the query takes (one list, a character's union
 * of lists, an AND, an exclusion, document order), and with no hits at all (--limit 0). */
static void test_every_page_is_a_slice_of_the_whole_ranking_with_its_counts(void **state)
{
	(void)state;
	static const char *const queries[][3] = {
		{"教育", NULL}, {"校", NULL}, {"教育", "质量", NULL}, {"校", "-教育", NULL},
		{"学", NULL},
	};
	static const char *const pages[][2] = {{"0", "0"}, {"0", "1"}, {"3", "4"}, {"0", "25"},
					       {"40", "0"}};
	for (size_t o = 0; o < 2; o++) {
		const char *order = o == 0 ? "score" : "document";
		for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
			const char *argv[16] = {test_env("POLICY_QUERY"), "--db", db, "--format",
						"json", "--sort", order, "--all"};
			size_t n = 8;
			for (size_t i = 0; queries[q][i] != NULL; i++)
				argv[n++] = queries[q][i];
			run_t all = run(argv);
			json_object *a = json_of(&all), *ah, *af;
			long long total = json_int(a, "total");
			assert_true(json_object_object_get_ex(a, "hits", &ah));
			assert_true(json_object_object_get_ex(a, "facets", &af));
			assert_int_equal(json_object_array_length(ah), total);
			for (size_t p = 0; p < sizeof pages / sizeof *pages; p++) {
				const char *pv[16];
				memcpy(pv, argv, sizeof pv);
				/* --offset X --limit Y in place of --all */
				size_t m = 7;
				pv[m++] = "--offset";
				pv[m++] = pages[p][0];
				pv[m++] = "--limit";
				pv[m++] = pages[p][1];
				for (size_t i = 0; queries[q][i] != NULL; i++)
					pv[m++] = queries[q][i];
				pv[m] = NULL;
				run_t page = run(pv);
				json_object *j = json_of(&page), *jh, *jf;
				assert_int_equal(page.status, 0);
				assert_int_equal(json_int(j, "total"), total);
				assert_true(json_object_object_get_ex(j, "facets", &jf));
				assert_string_equal(json_object_to_json_string(jf),
						    json_object_to_json_string(af));
				assert_true(json_object_object_get_ex(j, "hits", &jh));
				long long off = atoll(pages[p][0]), lim = atoll(pages[p][1]);
				long long want = total - off < lim ? total - off : lim;
				assert_int_equal(json_object_array_length(jh), want < 0 ? 0 : want);
				for (long long i = 0; i < want; i++) {
					json_object *x, *y;
					json_object_object_get_ex(
						json_object_array_get_idx(ah, (size_t)(off + i)), "id", &x);
					json_object_object_get_ex(
						json_object_array_get_idx(jh, (size_t)i), "id", &y);
					assert_string_equal(json_object_get_string(x),
							    json_object_get_string(y));
				}
				json_object_put(j);
				run_free(&page);
			}
			json_object_put(a);
			run_free(&all);
		}
	}
}

static void test_section_and_level_filters_keep_matching_sections(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "--all", "--section", "保障", "--level", "2", "教育", NULL});
	json_object *root = json_of(&r), *hits;
	assert_int_equal(r.status, 0);
	assert_true(json_int(root, "total") > 0);
	json_object_object_get_ex(root, "hits", &hits);
	for (size_t i = 0; i < json_object_array_length(hits); i++) {
		json_object *section, *title;
		json_object_object_get_ex(json_object_array_get_idx(hits, i), "section", &section);
		assert_int_equal(json_object_array_length(section), 2);
		bool found = false;
		for (size_t k = 0; k < 2; k++) {
			json_object_object_get_ex(json_object_array_get_idx(section, k), "title",
						  &title);
			found |= strstr(json_object_get_string(title), "保障") != NULL;
		}
		assert_true(found);
	}
	json_object_put(root);
	run_free(&r);
}

/* A JSON run's hits, each checked to have an id no hit before it has; returns how many. */
static size_t distinct_hit_ids(json_object *root)
{
	json_object *hits, *v;
	json_object_object_get_ex(root, "hits", &hits);
	size_t n = json_object_array_length(hits);
	for (size_t i = 0; i < n; i++) {
		json_object_object_get_ex(json_object_array_get_idx(hits, i), "id", &v);
		const char *id = json_object_get_string(v);
		for (size_t k = 0; k < i; k++) {
			json_object *w;
			json_object_object_get_ex(json_object_array_get_idx(hits, k), "id", &w);
			assert_string_not_equal(id, json_object_get_string(w));
		}
	}
	return n;
}

static void test_any_ranks_distinct_paragraphs_that_match_some_words(void **state)
{
	(void)state;
	run_t exact = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format",
					   "json", "减轻学生课业负担的措施", NULL});
	run_t any = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
					 "--any", "减轻学生课业负担的措施", NULL});
	json_object *e = json_of(&exact), *a = json_of(&any), *hits, *v, *h0;
	assert_int_equal(json_int(e, "total"), 0);
	assert_true(json_int(a, "total") > 0);
	json_object_object_get_ex(a, "scope", &v);
	assert_string_equal(json_object_get_string(v), "paragraph");
	json_object_object_get_ex(a, "hits", &hits);
	h0 = json_object_array_get_idx(hits, 0);
	json_object_object_get_ex(h0, "text", &v);
	const char *best = json_object_get_string(v);
	assert_true(strstr(best, "课业负担") != NULL);
	/* the score and the units it holds are there; a paragraph names its best clause */
	json_object_object_get_ex(h0, "score", &v);
	assert_true(json_object_get_double(v) > 0);
	assert_true(json_object_object_get_ex(h0, "matched_units", &v));
	assert_true(json_object_array_length(v) > 0);
	json_object_object_get_ex(h0, "unit", &v);
	if (strcmp(json_object_get_string(v), "paragraph") == 0) {
		assert_true(json_object_object_get_ex(h0, "clauses", &v));
		assert_true(json_object_array_length(v) > 0);
	}
	/* 课后服务: no paragraph twice (鞍山's one paragraph held 7 of the top 10 clauses) */
	run_t dup = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
					 "--any", "--limit", "10", "课后服务", NULL});
	json_object *d = json_of(&dup);
	assert_int_equal(distinct_hit_ids(d), 10);
	json_object_put(d);
	run_free(&dup);
	/* --scope clause still ranks clauses */
	run_t cl = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
					"--any", "--scope", "clause", "--limit", "5", "双减", NULL});
	json_object *c = json_of(&cl);
	json_object_object_get_ex(c, "scope", &v);
	assert_string_equal(json_object_get_string(v), "clause");
	assert_int_equal(distinct_hit_ids(c), 5);
	json_object_put(c);
	run_free(&cl);
	json_object_put(e);
	json_object_put(a);
	run_free(&exact);
	run_free(&any);
}

/* 通化's heading （八）保障特殊群体教育权利。 holds only 教育 of 特殊教育, but the paragraphs
 * under it are the plan's special-education measures: it ranks among the first 20 with
 * them (28th when a heading gets nothing from its paragraphs). */
static void test_any_ranks_a_heading_with_the_paragraphs_under_it(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "--any", "--limit", "20", "特殊教育", NULL});
	json_object *root = json_of(&r), *hits, *v;
	assert_int_equal(r.status, 0);
	json_object_object_get_ex(root, "hits", &hits);
	bool found = false;
	for (size_t i = 0; i < json_object_array_length(hits); i++) {
		json_object_object_get_ex(json_object_array_get_idx(hits, i), "id", &v);
		found |= strcmp(json_object_get_string(v), "tonghua/3.8/0") == 0;
	}
	assert_true(found);
	json_object_put(root);
	run_free(&r);
}

/* The position of the hit with this id among the first `limit` of --any QUERY (JSON), or
 * -1 when it is not among them. */
static int any_rank_of(const char *query, const char *limit, const char *id)
{
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "--any", "--limit", limit, query, NULL});
	json_object *root = json_of(&r), *hits, *v;
	assert_int_equal(r.status, 0);
	json_object_object_get_ex(root, "hits", &hits);
	int at = -1;
	for (size_t i = 0; i < json_object_array_length(hits) && at < 0; i++) {
		json_object_object_get_ex(json_object_array_get_idx(hits, i), "id", &v);
		if (strcmp(json_object_get_string(v), id) == 0)
			at = (int)i;
	}
	json_object_put(root);
	run_free(&r);
	return at;
}

/* 通化's box heading 专栏9 民族教育发展推进工程 is governed by （七）加快发展民族教育 as the
 * box's text is: for 如何加强民族教育 it ranks among the first 10 (15th when a heading gets
 * nothing from the headings above it). */
static void test_any_ranks_a_heading_with_the_heading_that_governs_it(void **state)
{
	(void)state;
	int at = any_rank_of("如何加强民族教育", "10", "tonghua/3.7.b1/0");
	assert_true(at >= 0);
}

/* 通化's box 专栏14 校园校车安全保障工程 has its text under its items' headings (2.学校校园
 * 安全保障建设项目 …): for 校园安全 it ranks among the first 20 with the box's best
 * paragraph (26th when only a paragraph right under a heading counts for it). */
static void test_any_ranks_a_box_heading_with_the_paragraphs_of_its_items(void **state)
{
	(void)state;
	int at = any_rank_of("校园安全", "20", "tonghua/4.2.b1/0");
	assert_true(at >= 0);
}

/* 丹东's paragraph 办学行为进一步规范。严格落实课程计划，严查违规征订教辅材料… opens with a
 * title that names the topic, then goes on to 作业, 体育锻炼, 课后服务: for 规范办学行为 it
 * ranks among the first 10 (15th when a paragraph's title sentence counts no more than
 * the rest of its text). */
static void test_any_ranks_a_paragraph_with_the_title_sentence_it_opens_with(void **state)
{
	(void)state;
	int at = any_rank_of("规范办学行为", "10", "dandong/1.1.5/p1");
	assert_true(at >= 0);
}

/* 大连's 发展形势 section names 教育对外开放 as the situation the plan faces; the plans'
 * measures (阜新's 一带一路 paragraph) rank above it (it was 3rd, above them, when a
 * context section counted in full). */
static void test_any_ranks_a_plans_measures_above_its_statement_of_the_situation(void **state)
{
	(void)state;
	int situation = any_rank_of("如何推进教育对外开放", "20", "dalian/1.2.3/p1");
	int measures = any_rank_of("如何推进教育对外开放", "20", "fuxin/2.4.17/p1");
	assert_true(measures >= 0);
	assert_true(situation < 0 || situation > measures);
}

/* A literal search that finds nothing says why and what would, each with a command. */
static void test_zero_hits_say_what_would_find_something(void **state)
{
	(void)state;
	static const struct {
		const char *query, *said;
	} cases[] = {
		/* terms that occur apart, and the scope where they meet */
		{"双减 作业", "双减 alone: 4 passages"},
		{"双减 作业", "policy-query --scope paragraph 双减 作业"},
		/* a ranked run */
		{"学前教育普惠率目标是多少", "policy-query --any 学前教育普惠率目标是多少"},
		/* a long term no plan spells so: its words and where they meet */
		{"普通高中特色发展", "普通高中特色发展 holds the words"},
		/* a typo: the closest indexed term */
		{"义务教肓", "close to 义务教肓 in the index: 义务教育"},
		/* a lower-case operator */
		{"双减 or 减负", "policy-query 双减 OR 减负"},
		/* traditional characters: searched as simplified */
		{"雙減 作业", "雙減 was searched as 双减"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, cases[i].query,
					       NULL});
		assert_int_equal(r.status, 0);
		assert_contains(r.out, "0 passages");
		assert_contains(r.out, cases[i].said);
		run_free(&r);
	}
	/* JSON carries them as objects with the query to run */
	run_t j = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "义务教肓", NULL});
	json_object *root = json_of(&j), *list, *v;
	assert_true(json_object_object_get_ex(root, "suggestions", &list));
	bool typo = false;
	for (size_t k = 0; k < json_object_array_length(list); k++) {
		json_object *s = json_object_array_get_idx(list, k);
		json_object_object_get_ex(s, "kind", &v);
		if (strcmp(json_object_get_string(v), "typo") == 0) {
			json_object_object_get_ex(s, "query", &v);
			assert_string_equal(json_object_get_string(v), "义务教育");
			typo = true;
		}
	}
	assert_true(typo);
	json_object_put(root);
	run_free(&j);
	/* a search with hits has none */
	run_t hit = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "双减", NULL});
	assert_null(strstr(hit.out, "Nothing matched"));
	run_free(&hit);
}

/* ~双减 searches every term of the concept literally, marks each, and says which. */
static void test_a_concept_searches_its_variants_and_says_which(void **state)
{
	(void)state;
	run_t lit = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
					 "双减", NULL});
	run_t con = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
					 "--all", "~双减", NULL});
	json_object *l = json_of(&lit), *c = json_of(&con), *also, *list;
	assert_true(json_int(c, "total") > json_int(l, "total"));
	assert_true(json_object_object_get_ex(c, "also_searched", &also));
	assert_true(json_object_object_get_ex(also, "~双减", &list));
	assert_true(json_object_array_length(list) > 3);
	json_object_put(l);
	json_object_put(c);
	run_free(&lit);
	run_free(&con);
	run_t text = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "~双减", NULL});
	assert_contains(text.out, "~双减 searched as: 双减 · ");
	assert_contains(text.out, "减负");
	run_free(&text);
	/* freq counts the concept: at least as often as any one of its terms */
	run_t f = run((const char *[]){test_env("POLICY_QUERY"), "freq", "--db", db, "--by",
				       "document", "~双减", "双减", NULL});
	assert_int_equal(f.status, 0);
	assert_contains(f.out, "~双减,");
	run_free(&f);
	/* a concept the thesaurus does not hold is refused, with the way to search it literally */
	run_t bad = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "~作业", NULL});
	assert_int_equal(bad.status, 2);
	assert_contains(bad.err, "no concept group");
	run_free(&bad);
}

/* --thesaurus FILE adds a user's groups; a malformed one stops with its line. */
static void test_a_user_thesaurus_adds_groups_and_a_bad_one_is_refused(void **state)
{
	(void)state;
	char good[1100], bad[1100];
	snprintf(good, sizeof good, "%s/my-thesaurus.txt", dir);
	snprintf(bad, sizeof bad, "%s/bad-thesaurus.txt", dir);
	const char g[] = "# mine\n智慧校园 = 班班通 | 人人通\n", b[] = "智慧校园 = 班班通 | | 人人通\n";
	tmpdir_write(dir, "my-thesaurus.txt", g, strlen(g));
	tmpdir_write(dir, "bad-thesaurus.txt", b, strlen(b));
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--thesaurus", good,
				       "--any", "--format", "json", "智慧校园", NULL});
	assert_int_equal(r.status, 0);
	json_object *root = json_of(&r), *also, *list;
	assert_true(json_object_object_get_ex(root, "also_searched", &also));
	assert_true(json_object_object_get_ex(also, "thesaurus", &list));
	bool found = false;
	for (size_t k = 0; k < json_object_array_length(list); k++)
		found |= strcmp(json_object_get_string(json_object_array_get_idx(list, k)),
				"班班通") == 0;
	assert_true(found);
	json_object_put(root);
	run_free(&r);
	run_t e = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--thesaurus", bad,
				       "--any", "智慧校园", NULL});
	assert_int_equal(e.status, 2);
	assert_contains(e.err, "bad-thesaurus.txt:1: an empty variant");
	run_free(&e);
	/* --no-thesaurus: nothing besides what was typed */
	run_t n = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--no-thesaurus",
				       "--any", "--format", "json", "双减", NULL});
	json_object *nr = json_of(&n);
	assert_false(json_object_object_get_ex(nr, "also_searched", &also));
	json_object_put(nr);
	run_free(&n);
}

static void test_bad_option_values_exit_2(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"--scope", "chapter"}, {"--level", "0"}, {"--offset", "-1"}, {"--format", "xml"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, cases[i][0],
					       cases[i][1], "双减", NULL});
		if (r.status != 2)
			fail_msg("%s %s exited %d", cases[i][0], cases[i][1], r.status);
		assert_contains(r.err, cases[i][0]);
		run_free(&r);
	}
}

/* A number with a sign or white space around it was taken by strtoull (" 5" as 5). */
static void test_numbers_with_a_sign_or_white_space_are_refused(void **state)
{
	(void)state;
	static const char *const cases[][4] = {
		{NULL, "--limit", " 5"},      {NULL, "--limit", "+5"},     {NULL, "--limit", "5 "},
		{NULL, "--offset", "\t3"},    {NULL, "--offset", " 0"},    {NULL, "--level", " 1"},
		{"kwic", "--width", " 5"},    {"kwic", "--width", "+5"},   {"cite", "--context", " 1"},
		{NULL, "--limit", "99999999999999999999999"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *argv[8] = {test_env("POLICY_QUERY")};
		size_t n = 1;
		if (cases[i][0] != NULL)
			argv[n++] = cases[i][0];
		argv[n++] = "--db";
		argv[n++] = db;
		argv[n++] = cases[i][1];
		argv[n++] = cases[i][2];
		argv[n++] = cases[i][0] && strcmp(cases[i][0], "cite") == 0 ? "dalian/3.8.1/2" : "双减";
		argv[n] = NULL;
		run_t r = run(argv);
		if (r.status != 2 || strstr(r.err, cases[i][1]) == NULL)
			fail_msg("%s '%s': exit %d, stderr: %s", cases[i][1], cases[i][2], r.status,
				 r.err);
		run_free(&r);
	}
}

/* JSON's "offset" is the one asked for, past the last hit too (it used to show the last
 * hit's rank instead), whether the index or the text answers. */
static void test_json_offset_is_the_one_asked_for_even_past_the_last_hit(void **state)
{
	(void)state;
	static const struct {
		const char *scope, *offset, *says;
	} cases[] = {
		{"clause", "0", "\"total\":4,\"offset\":0,"},
		{"clause", "2", "\"total\":4,\"offset\":2,"},
		{"clause", "100", "\"total\":4,\"offset\":100,"},
		{"clause", "5000000000", "\"total\":4,\"offset\":5000000000,"},
		{"paragraph", "50", "\"total\":4,\"offset\":50,"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format",
					       "json", "--scope", cases[i].scope, "--offset",
					       cases[i].offset, "双减", NULL});
		if (r.status != 0 || strstr(r.out, cases[i].says) == NULL)
			fail_msg("--offset %s: exit %d, stdout: %.200s", cases[i].offset, r.status,
				 r.out);
		run_free(&r);
	}
}

/* Paste the policy-index command after "with: " in `message` into sh, in the scratch
 * directory, with the built program for its first word; fails unless it exits 0. */
static void paste_fix(const char *message)
{
	const char *with = message ? strstr(message, "with: policy-index") : NULL;
	if (with == NULL)
		fail_msg("no command to paste in: %s", message ? message : "(nothing)");
	const char *rest = with + strlen("with: policy-index"), *program = test_env("POLICY_INDEX");
	size_t len = strcspn(rest, "\n");
	char *cmd = malloc(strlen(program) + len + 1);
	assert_non_null(cmd);
	sprintf(cmd, "%s%.*s", program, (int)len, rest);
	run_t r = run_in(dir, dir, NULL, (const char *[]){"/bin/sh", "-c", cmd, NULL});
	if (r.status != 0)
		fail_msg("%s: exit %d, stderr: %s", cmd, r.status, r.err);
	run_free(&r);
	free(cmd);
}

/* Paths in the commands that messages give were not quoted: a directory with a space gave a
 * command that did something else when pasted. Each is pasted into sh here, and works. */
static void test_fix_commands_in_messages_paste_into_a_shell_as_they_are(void **state)
{
	(void)state;
	char corpus_link[1100], index[1100], corpus[1100], copy[1200];
	snprintf(corpus_link, sizeof corpus_link, "%s/corpus", dir); /* the commands' --corpus */
	unlink(corpus_link);
	assert_int_equal(symlink(test_env("CORPUS_DIR"), corpus_link), 0);
	snprintf(index, sizeof index, "%s/my index's copy", dir);

	/* no index there: the query's message says how to build one */
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", index, "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "--db '");
	paste_fix(r.err);
	run_free(&r);
	r = run((const char *[]){test_env("POLICY_QUERY"), "--db", index, "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "4 passages");
	run_free(&r);

	/* a plan changed: --check says how to update it */
	snprintf(corpus, sizeof corpus, "%s/my corpus", dir);
	mkdir(corpus, 0755);
	static const char *const files[] = {"manifest.json", "dandong.txt", "fuxin.txt",
					    "anshan.txt", "dalian.txt", "tonghua.txt"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(copy, sizeof copy, "%s/%s", test_env("CORPUS_DIR"), files[i]);
		size_t len;
		char *text = run_slurp(copy, &len); /* room for one more byte: its NUL */
		if (strcmp(files[i], "dalian.txt") == 0)
			text[len++] = '\n'; /* a blank line after the page chrome */
		tmpdir_write(corpus, files[i], text, len);
		free(text);
	}
	const char *check[] = {test_env("POLICY_INDEX"), "--check", "--corpus", corpus, "--db",
			       index, NULL};
	r = run(check);
	assert_int_equal(r.status, 1);
	paste_fix(strstr(r.out, "dalian.txt ("));
	run_free(&r);
	r = run(check);
	if (r.status != 0)
		fail_msg("--check after the update: exit %d, stdout: %s", r.status, r.out);
	run_free(&r);
}

/* Write a corpus `name` under the scratch directory, with a manifest and files given as
 * name, text pairs (NULL-terminated), index it into db_out, and fail unless that works. */
static void index_small_corpus(const char *name, const char *manifest,
			       const char *const *files, char *db_out, size_t size)
{
	char corpus[1100];
	snprintf(corpus, sizeof corpus, "%s/%s", dir, name);
	snprintf(db_out, size, "%s/%s-index", dir, name);
	mkdir(corpus, 0755);
	tmpdir_write(corpus, "manifest.json", manifest, strlen(manifest));
	for (size_t i = 0; files[i] != NULL; i += 2)
		tmpdir_write(corpus, files[i], files[i + 1], strlen(files[i + 1]));
	run_t b = run((const char *[]){test_env("POLICY_INDEX"), "--quiet", "--corpus", corpus,
				       "--db", db_out, NULL});
	assert_int_equal(b.status, 0);
	run_free(&b);
}

/* Two plans of one city: --city selects both, and every count names each plan, in facets,
 * freq --by city and kwic, instead of adding them up under the city. */
static void test_plans_of_one_city_are_named_apart_and_city_selects_them_all(void **state)
{
	(void)state;
	char db2[1100];
	static const char manifest[] =
		"{\"plans\": ["
		"{\"city_id\": \"a\", \"file\": \"a.txt\", \"city\": \"甲市\", \"province\": \"乙省\","
		" \"title\": \"甲市规划\", \"title_supplied\": false, \"date\": null,"
		" \"body_lines\": [1, 2]},"
		"{\"city_id\": \"b\", \"file\": \"b.txt\", \"city\": \"甲市\", \"province\": \"乙省\","
		" \"title\": \"甲市另一规划\", \"title_supplied\": true, \"date\": null,"
		" \"body_lines\": [1, 2]},"
		"{\"city_id\": \"c\", \"file\": \"c.txt\", \"city\": \"丙市\", \"province\": \"乙省\","
		" \"title\": \"丙市规划\", \"title_supplied\": false, \"date\": null,"
		" \"body_lines\": [1, 2]},"
		"{\"city_id\": \"d\", \"file\": \"d.txt\", \"city\": \"甲市\", \"province\": \"乙省\","
		" \"title\": \"甲市规划\", \"title_supplied\": false, \"date\": null,"
		" \"body_lines\": [1, 2]}]}";
	index_small_corpus("two-plans", manifest,
			   (const char *[]){"a.txt", "一、总则\n各级学校推进改革。\n", "b.txt",
					    "一、总则\n学校推进改革，学校。\n", "c.txt",
					    "一、总则\n学校。\n", "d.txt", "一、总则\n没有那个词。\n", NULL},
			   db2, sizeof db2);
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db2, "--city", "甲",
				       "学校", NULL});
	assert_int_equal(r.status, 0);
	/* two plans share city and title too: their ids tell them apart */
	assert_contains(r.out, "2 passages: 甲市《甲市规划》（a） 1 · 甲市〔甲市另一规划〕 1\n");
	assert_contains(r.out, "  甲市《甲市规划》（a）: 一、总则 1\n  甲市〔甲市另一规划〕: 一、总则 1\n");
	run_free(&r);
	r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db2, "--format", "json",
				 "学校", NULL});
	json_object *root = json_of(&r), *facets, *city, *chapter, *n;
	assert_true(json_object_object_get_ex(root, "facets", &facets));
	assert_true(json_object_object_get_ex(facets, "city", &city));
	assert_true(json_object_object_get_ex(city, "甲市《甲市规划》（a）", &n));
	assert_int_equal(json_object_get_int(n), 1);
	/* a plan without hits has no count: the facets grow with the hits, not the index */
	assert_false(json_object_object_get_ex(city, "甲市《甲市规划》（d）", &n));
	assert_true(json_object_object_get_ex(city, "甲市〔甲市另一规划〕", &n));
	assert_int_equal(json_object_get_int(n), 1);
	assert_true(json_object_object_get_ex(city, "丙市", &n)); /* a city of one plan */
	assert_int_equal(json_object_get_int(n), 1);
	assert_false(json_object_object_get_ex(city, "甲市", NULL));
	assert_true(json_object_object_get_ex(facets, "chapter", &chapter));
	assert_true(json_object_object_get_ex(chapter, "甲市〔甲市另一规划〕", NULL));
	json_object_put(root);
	run_free(&r);
	/* freq --by city: a row per plan of the shared city, with its own id */
	r = run((const char *[]){test_env("POLICY_QUERY"), "freq", "--db", db2, "学校", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "学校,甲市,a,1,1,");
	assert_contains(r.out, "学校,甲市,b,2,1,");
	assert_contains(r.out, "学校,丙市,c,1,1,");
	assert_contains(r.out, "学校,甲市,d,0,0,");
	run_free(&r);
	r = run((const char *[]){test_env("POLICY_QUERY"), "freq", "--db", db2, "--wide", "学校",
				 NULL});
	assert_contains(r.out, "term,甲市《甲市规划》（a）,甲市〔甲市另一规划〕,丙市,甲市《甲市规划》（d）\r\n");
	run_free(&r);
	r = run((const char *[]){test_env("POLICY_QUERY"), "kwic", "--db", db2, "学校", NULL});
	assert_contains(r.out, "4 occurrences: 甲市《甲市规划》（a） 1 · 甲市〔甲市另一规划〕 2 · 丙市 1\n");
	run_free(&r);
}

/* The index answers a plain clause-scope query alone, by phrases of bigrams: white space
 * parts bigrams (甲乙 乙丙 is not 甲乙丙), repeated bigrams count once per place (哈哈哈),
 * and a term holding a space is checked on the text. Each total is the --all hit count. */
static void test_phrases_of_bigrams_match_exactly_what_the_text_holds(void **state)
{
	(void)state;
	char db2[1100];
	static const char manifest[] =
		"{\"plans\": [{\"city_id\": \"a\", \"file\": \"a.txt\", \"city\": \"甲市\","
		" \"province\": \"乙省\", \"title\": \"甲市规划\", \"title_supplied\": false,"
		" \"date\": null, \"body_lines\": [1, 3]}]}";
	index_small_corpus("phrases", manifest,
			   (const char *[]){"a.txt", "一、总则\nAB BC 哈哈哈哈 甲乙 乙丙。\n丙丁。甲乙丙丁。\n",
					    NULL},
			   db2, sizeof db2);
	static const struct {
		const char *query;
		int total;
	} cases[] = {
		{"甲乙丙", 1},      {"abc", 0},        {"\"ab bc\"", 1}, {"哈哈哈", 1},
		{"哈哈哈哈哈", 0},  {"\"乙 乙\"", 1}, {"丙丁", 2},       {"丙", 3},
		{"甲乙 -丁", 1},    {"哈哈 OR 丁", 3}, {"乙丙丁", 1},     {"\"乙 乙丙\"", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db2, "--format",
					       "json", "--all", cases[i].query, NULL});
		if (r.status != 0)
			fail_msg("'%s': exit %d: %s", cases[i].query, r.status, r.err);
		json_object *root = json_of(&r), *hits;
		assert_true(json_object_object_get_ex(root, "hits", &hits));
		if (json_int(root, "total") != cases[i].total ||
		    (int)json_object_array_length(hits) != cases[i].total)
			fail_msg("'%s': total %lld, %zu hits; the text holds it in %d clauses",
				 cases[i].query, json_int(root, "total"),
				 json_object_array_length(hits), cases[i].total);
		json_object_put(root);
		run_free(&r);
	}
}

static void test_a_command_after_an_option_runs_that_command(void **state)
{
	(void)state;
	static const struct {
		const char *argv[8], *expect;
	} cases[] = {
		{{"--db", "DB", "freq", "双减", NULL}, "双减,通化市,tonghua,2,2"},
		{{"--db", "DB", "kwic", "--format", "csv", "双减", NULL}, "tonghua/"},
		{{"--db", "DB", "cite", "dandong/2.2/6", NULL}, "落地见效"},
		{{"--format", "json", "--db", "DB", "plans", NULL}, "\"city_id\":\"tonghua\""},
		{{"--db", "DB", "双减", "cite", NULL}, "0 passages"}, /* a term, not a command */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *argv[10] = {test_env("POLICY_QUERY")};
		size_t n = 1;
		for (size_t k = 0; cases[i].argv[k] != NULL; k++) /* "DB": the test's index */
			argv[n++] = strcmp(cases[i].argv[k], "DB") == 0 ? db : cases[i].argv[k];
		run_t r = run(argv);
		if (r.status != 0 || strstr(r.out, cases[i].expect) == NULL)
			fail_msg("case %zu: exit %d, stdout %.300s, stderr %s", i, r.status, r.out,
				 r.err);
		run_free(&r);
	}
}

static void test_touching_matches_are_each_marked(void **state)
{
	(void)state;
	/* ① normalises to 1, and fuxin.txt prints years such as 2011: the two 1s touch and
	 * are two matches, not one */
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "json",
				       "--all", "--city", "fuxin", "①", NULL});
	json_object *root = json_of(&r), *hits, *v;
	json_object_object_get_ex(root, "hits", &hits);
	bool touching = false;
	for (size_t i = 0; i < json_object_array_length(hits); i++) {
		json_object *h = json_object_array_get_idx(hits, i), *m;
		json_object_object_get_ex(h, "text", &v);
		const char *text = json_object_get_string(v);
		json_object_object_get_ex(h, "matches", &m);
		size_t prev_end = SIZE_MAX;
		for (size_t k = 0; k < json_object_array_length(m); k++) {
			json_object *pair = json_object_array_get_idx(m, k);
			size_t a = (size_t)json_object_get_int(json_object_array_get_idx(pair, 0));
			size_t b = (size_t)json_object_get_int(json_object_array_get_idx(pair, 1));
			bool one = (b - a == 1 && text[a] == '1') ||
				   (b - a == 3 && memcmp(text + a, "①", 3) == 0);
			if (!one)
				fail_msg("match [%zu,%zu) is '%.*s', not one ①", a, b, (int)(b - a),
					 text + a);
			touching |= a == prev_end;
			prev_end = b;
		}
	}
	assert_true(touching);
	json_object_put(root);
	run_free(&r);
}

static void test_a_directory_only_named_like_a_generation_is_never_deleted(void **state)
{
	(void)state;
	char db2[1100], mine[1200];
	struct stat st;
	snprintf(db2, sizeof db2, "%s/not-an-index", dir);
	snprintf(mine, sizeof mine, "%s/generation-old", db2);
	mkdir(db2, 0755);
	mkdir(mine, 0755);
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--quiet", "--corpus",
				       test_env("CORPUS_DIR"), "--db", db2, NULL});
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "not a policy-search index");
	assert_int_equal(stat(mine, &st), 0);
	run_free(&r);
}

/* Searches with no hit that the text decides (not the index alone) used to hand memmove a
 * null pointer, which UndefinedBehaviorSanitizer stops (the suite runs under it too). */
static void test_zero_hit_searches_checked_on_the_text_print_zero_and_exit_0(void **state)
{
	(void)state;
	static const struct {
		const char *args[6];
		const char *says;
	} cases[] = {
		{{"--scope", "paragraph", "不存在的词", NULL}, "0 paragraphs\n"},
		{{"--scope", "section", "不存在的词", NULL}, "0 sections\n"},
		{{"--scope", "section", "--level", "1", "不存在的词", NULL}, "0 sections\n"},
		{{"\"教育 不存在\"", NULL}, "0 passages\n"}, /* a phrase with a space */
		{{"--section", "保障措施", "不存在的词", NULL}, "0 passages\n"},
		{{"--level", "2", "不存在的词", NULL}, "0 passages\n"},
		{{"--scope", "paragraph", "--format", "json", "不存在的词", NULL}, "\"total\":0,"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *argv[12] = {test_env("POLICY_QUERY"), "--db", db};
		size_t n = 3;
		for (size_t k = 0; cases[i].args[k] != NULL; k++)
			argv[n++] = cases[i].args[k];
		argv[n] = NULL;
		run_t r = run(argv);
		if (r.status != 0 || strstr(r.out, cases[i].says) == NULL)
			fail_msg("case %zu: exit %d, stdout: %s, stderr: %s", i, r.status, r.out, r.err);
		run_free(&r);
	}
}

static void test_help_describes_every_option(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "search", "--help", NULL});
	assert_int_equal(r.status, 0);
	static const char *const options[] = {"--db",    "--city",   "--limit", "--all",
					      "--format", "--scope", "--section", "--level",
					      "--any",   "--offset", " OR ",     "NOT"};
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		assert_contains(r.out, options[i]);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_prints_the_four_passages_with_their_section_paths),
		cmocka_unit_test(test_json_output_is_one_object_with_the_exact_total),
		cmocka_unit_test(test_city_filter_accepts_the_short_chinese_name),
		cmocka_unit_test(test_a_missing_index_says_how_to_build_one_and_exits_2),
		cmocka_unit_test(test_an_unknown_city_lists_the_known_ones_and_exits_2),
		cmocka_unit_test(test_an_unreadable_thesaurus_does_not_fail_a_literal_search),
		cmocka_unit_test(test_bad_usage_exits_2_with_a_message),
		cmocka_unit_test(test_policy_index_refuses_stray_arguments),
		cmocka_unit_test(test_bad_queries_exit_2_with_one_line_that_points_at_the_place),
		cmocka_unit_test(test_a_minus_word_is_an_excluded_term_not_an_option),
		cmocka_unit_test(test_paragraph_scope_lists_paragraphs_with_every_match_marked),
		cmocka_unit_test(test_facets_count_every_hit_and_offset_pages_through_them),
		cmocka_unit_test(test_every_page_is_a_slice_of_the_whole_ranking_with_its_counts),
		cmocka_unit_test(test_section_and_level_filters_keep_matching_sections),
		cmocka_unit_test(test_any_ranks_distinct_paragraphs_that_match_some_words),
		cmocka_unit_test(test_any_ranks_a_heading_with_the_paragraphs_under_it),
		cmocka_unit_test(test_any_ranks_a_heading_with_the_heading_that_governs_it),
		cmocka_unit_test(test_any_ranks_a_box_heading_with_the_paragraphs_of_its_items),
		cmocka_unit_test(test_any_ranks_a_paragraph_with_the_title_sentence_it_opens_with),
		cmocka_unit_test(test_any_ranks_a_plans_measures_above_its_statement_of_the_situation),
		cmocka_unit_test(test_zero_hits_say_what_would_find_something),
		cmocka_unit_test(test_a_concept_searches_its_variants_and_says_which),
		cmocka_unit_test(test_a_user_thesaurus_adds_groups_and_a_bad_one_is_refused),
		cmocka_unit_test(test_bad_option_values_exit_2),
		cmocka_unit_test(test_numbers_with_a_sign_or_white_space_are_refused),
		cmocka_unit_test(test_json_offset_is_the_one_asked_for_even_past_the_last_hit),
		cmocka_unit_test(test_fix_commands_in_messages_paste_into_a_shell_as_they_are),
		cmocka_unit_test(test_plans_of_one_city_are_named_apart_and_city_selects_them_all),
		cmocka_unit_test(test_phrases_of_bigrams_match_exactly_what_the_text_holds),
		cmocka_unit_test(test_a_command_after_an_option_runs_that_command),
		cmocka_unit_test(test_touching_matches_are_each_marked),
		cmocka_unit_test(test_a_directory_only_named_like_a_generation_is_never_deleted),
		cmocka_unit_test(test_zero_hit_searches_checked_on_the_text_print_zero_and_exit_0),
		cmocka_unit_test(test_help_describes_every_option),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
