/* test_indicators.c: indicator tables through the index: search shows a cell's row, indicators lists and compares rows, cite quotes one. */
#include "test.h"

#include "run.h"
#include "tmpdir.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/stat.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static struct {
	char *dir;
	char db[1024];      /* the bundled corpus */
	char other_db[1024]; /* tests/documents-tables as a corpus of its own */
	char *other_build_err; /* what policy-index printed building it */
} fx;

/* ---- every row of the bundled plans' three tables, as the index must give it back ---- */

typedef struct want_value {
	const char *key;   /* the column's key: a year alone, or the header as printed */
	const char *value; /* as printed */
	int line;
	bool has_number;
	double number;
	const char *cmp;   /* "" or ≥ … */
} want_value_t;

typedef struct want_row {
	const char *id;
	const char *label;     /* as printed */
	const char *unit;
	int line;              /* the row's first printed cell */
	const char *term;      /* a search that finds the row among its plan's passages */
	const char *shown;     /* the row as search shows it */
	want_value_t values[2];
} want_row_t;

#define V(k, v, l, x) {k, v, l, true, x, ""}
#define VGE(k, v, l, x) {k, v, l, true, x, "≥"}
#define VT(k, v, l) {k, v, l, false, 0, ""}

static const want_row_t rows[] = {
	/* 丹东, lines 14–50: the 十三五's results, 序号 · 指标名称 · 完成情况 */
	{"dandong/1.1/t1.1", "学前三年毛入园率达到85%", "%", 20, "学前三年毛入园率达到",
	 "学前三年毛入园率达到85% · 序号: 1 · 完成情况: 95%", {V("完成情况", "95%", 22, 95)}},
	{"dandong/1.1/t1.2", "义务教育巩固率达到97.5%", "%", 24, "义务教育巩固率达到",
	 "义务教育巩固率达到97.5% · 序号: 2 · 完成情况: 99%", {V("完成情况", "99%", 26, 99)}},
	{"dandong/1.1/t1.3", "普通高中学业水平考试合格率达95%", "%", 28, "学业水平考试合格率",
	 "普通高中学业水平考试合格率达95% · 序号: 3 · 完成情况: 97%",
	 {V("完成情况", "97%", 30, 97)}},
	{"dandong/1.1/t1.4", "高中阶段职普比大体相当", "", 32, "职普比大体相当",
	 "高中阶段职普比大体相当 · 序号: 4 · 完成情况: 3.7:6.3",
	 {VT("完成情况", "3.7:6.3", 34)}},
	{"dandong/1.1/t1.5", "普惠性幼儿园学位覆盖率达到80%", "%", 36, "学位覆盖率达到80",
	 "普惠性幼儿园学位覆盖率达到80% · 序号: 5 · 完成情况: 86.6%",
	 {V("完成情况", "86.6%", 38, 86.6)}},
	{"dandong/1.1/t1.6", "义务教育学校标准化率要达到100%", "%", 40, "标准化率要达到",
	 "义务教育学校标准化率要达到100% · 序号: 6 · 完成情况: 100%",
	 {V("完成情况", "100%", 42, 100)}},
	{"dandong/1.1/t1.7", "50%的普通高中成为特色高中", "%", 44, "普通高中成为特色高中",
	 "50%的普通高中成为特色高中 · 序号: 7 · 完成情况: 50%", {V("完成情况", "50%", 46, 50)}},
	{"dandong/1.1/t1.8", "创建2-3所国家和省级中等职业教育改革示范校", "所", 48,
	 "中等职业教育改革示范校",
	 "创建2-3所国家和省级中等职业教育改革示范校 · 序号: 8 · 完成情况: 3",
	 {V("完成情况", "3", 50, 3)}},
	/* 丹东, lines 103–136: the 十四五's targets, 指标 · 2025年 */
	{"dandong/2.2/t1.1", "学前教育毛入园率", "%", 108, "学前教育毛入园率",
	 "学前教育毛入园率 · 2025年: 95%", {V("2025", "95%", 109, 95)}},
	{"dandong/2.2/t1.2", "公办幼儿园在园幼儿数占比", "%", 111, "在园幼儿数占比",
	 "公办幼儿园在园幼儿数占比 · 2025年: 50%以上", {VGE("2025", "50%以上", 112, 50)}},
	{"dandong/2.2/t1.3", "学前教育普惠率", "%", 114, "学前教育普惠率",
	 "学前教育普惠率 · 2025年: 80%以上", {VGE("2025", "80%以上", 115, 80)}},
	{"dandong/2.2/t1.4", "域内义务教育优质均衡县（市）区数量", "个", 117, "优质均衡县",
	 "域内义务教育优质均衡县（市）区数量 · 2025年: 3个", {V("2025", "3个", 118, 3)}},
	{"dandong/2.2/t1.5", "九年义务教育巩固率", "%", 120, "九年义务教育巩固率",
	 "九年义务教育巩固率 · 2025年: 99%", {V("2025", "99%", 121, 99)}},
	{"dandong/2.2/t1.6", "义务教育专任教师中本科以上学历比例", "%", 123, "本科以上学历比例",
	 "义务教育专任教师中本科以上学历比例 · 2025年: 90%", {V("2025", "90%", 124, 90)}},
	{"dandong/2.2/t1.7", "优质特色普通高中在校生占比", "%", 126, "在校生占比",
	 "优质特色普通高中在校生占比 · 2025年: 65%以上", {VGE("2025", "65%以上", 127, 65)}},
	{"dandong/2.2/t1.8", "省级示范高中数量", "所", 129, "省级示范高中数量",
	 "省级示范高中数量 · 2025年: 10所", {V("2025", "10所", 130, 10)}},
	{"dandong/2.2/t1.9", "建设省级以上中等职业教育优秀学校", "个", 132, "中等职业教育优秀学校",
	 "建设省级以上中等职业教育优秀学校 · 2025年: 2个", {V("2025", "2个", 133, 2)}},
	{"dandong/2.2/t1.10", "建设省级以上中等职业教育优质专业", "个", 135,
	 "中等职业教育优质专业", "建设省级以上中等职业教育优质专业 · 2025年: 10个",
	 {V("2025", "10个", 136, 10)}},
	/* 大连, lines 72–138: 2020 and 2025, the label column unnamed */
	{"dalian/2.3.2/t1.1", "学前三年毛入园率%", "%", 80, "毛入园率",
	 "学前三年毛入园率% · 2020: 90.4 · 2025: 95",
	 {V("2020", "90.4", 82, 90.4), V("2025", "95", 84, 95)}},
	{"dalian/2.3.2/t1.2", "公办幼儿园在园幼儿比率%", "%", 86, "在园幼儿比率",
	 "公办幼儿园在园幼儿比率% · 2020: 48.2 · 2025: 55",
	 {V("2020", "48.2", 88, 48.2), V("2025", "55", 90, 55)}},
	{"dalian/2.3.2/t1.3", "九年义务教育巩固率%", "%", 92, "九年义务教育巩固率",
	 "九年义务教育巩固率% · 2020: 99.1 · 2025: 保持高水平",
	 {V("2020", "99.1", 94, 99.1), VT("2025", "保持高水平", 96)}},
	{"dalian/2.3.2/t1.4", "残疾儿童义务教育阶段入学率%", "%", 98, "义务教育阶段入学率",
	 "残疾儿童义务教育阶段入学率% · 2020: 99 · 2025: 保持高水平",
	 {V("2020", "99", 100, 99), VT("2025", "保持高水平", 102)}},
	{"dalian/2.3.2/t1.5", "高中阶段毛入学率%", "%", 104, "高中阶段毛入学率",
	 "高中阶段毛入学率% · 2020: 100 · 2025: 100",
	 {V("2020", "100", 106, 100), V("2025", "100", 108, 100)}},
	{"dalian/2.3.2/t1.6", "中小学生体质健康标准达标优良率%", "%", 110, "达标优良率",
	 "中小学生体质健康标准达标优良率% · 2020: 31.2 · 2025: 50",
	 {V("2020", "31.2", 112, 31.2), V("2025", "50", 114, 50)}},
	{"dalian/2.3.2/t1.7", "学前教育教师接受专业教育比例%", "%", 116, "接受专业教育比例",
	 "学前教育教师接受专业教育比例% · 2020: 79 · 2025: 85",
	 {V("2020", "79", 118, 79), V("2025", "85", 120, 85)}},
	{"dalian/2.3.2/t1.8", "义务教育专任教师中本科以上学历比例%", "%", 122,
	 "本科以上学历比例", "义务教育专任教师中本科以上学历比例% · 2020: 88.9 · 2025: 95",
	 {V("2020", "88.9", 124, 88.9), V("2025", "95", 126, 95)}},
	{"dalian/2.3.2/t1.9", "职业教育双师型教师比例%", "%", 128, "双师型教师比例",
	 "职业教育双师型教师比例% · 2020: 65.8 · 2025: 80",
	 {V("2020", "65.8", 130, 65.8), V("2025", "80", 132, 80)}},
	/* the source prints empty brackets where the unit was: none is guessed */
	{"dalian/2.3.2/t1.10", "新增劳动力平均受教育年限()", "", 134, "平均受教育年限",
	 "新增劳动力平均受教育年限() · 2020: 15.4 · 2025: 15.6",
	 {V("2020", "15.4", 136, 15.4), V("2025", "15.6", 138, 15.6)}},
};

static const char *city_of(const char *id)
{
	return strncmp(id, "dandong/", 8) == 0 ? "dandong" : "dalian";
}

/* ---- running policy-query ---- */

static run_t query(const char *db, const char *const *args)
{
	const char *argv[32] = {test_env("POLICY_QUERY")};
	size_t n = 1;
	while (*args && n < 29)
		argv[n++] = *args++;
	argv[n++] = "--db";
	argv[n++] = db;
	argv[n] = NULL;
	return run_program(fx.dir, argv);
}

/* Run and parse standard output as JSON; fails the test unless it exits 0 with JSON. */
static json_object *query_json(const char *db, const char *const *args)
{
	run_t r = query(db, args);
	if (r.status != 0)
		fail_msg("policy-query %s … exited %d: %s", args[0], r.status, r.err);
	json_object *o = json_tokener_parse(r.out);
	if (o == NULL)
		fail_msg("not JSON: %s", r.out);
	run_free(&r);
	return o;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		fail_msg("no string \"%s\" in %s", key, json_object_to_json_string(o));
	return json_object_get_string(v);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return v;
}

static int build_indexes(void);

static int setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	if (build_indexes() != 0) { /* no teardown follows a failed setup */
		tmpdir_teardown((void **)&fx.dir);
		return -1;
	}
	return 0;
}

/* The bundled corpus's index, and one of tests/documents-tables. Returns 0, or -1. */
static int build_indexes(void)
{
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	snprintf(fx.other_db, sizeof fx.other_db, "%s/other-index", fx.dir);
	if (run_index(fx.dir, test_env("CORPUS_DIR"), fx.db) != 0)
		return -1;
	/* the documents in other layouts, and ragged.txt's five tables that must be refused */
	char corpus[1100], src[4096];
	snprintf(corpus, sizeof corpus, "%s/other", fx.dir);
	if (mkdir(corpus, 0700) != 0)
		return -1;
	static const char *const files[] = {"tabs.txt", "shuxing.txt", "leiji.txt", "ragged.txt"};
	char manifest[4096] = "{\"plans\": [";
	for (size_t i = 0; i < N_OF(files); i++) {
		snprintf(src, sizeof src, "%s/../documents-tables/%s", test_env("DOCUMENTS_DIR"),
			 files[i]);
		size_t len;
		char *text = run_slurp(src, &len);
		if (len == 0)
			return -1;
		tmpdir_write(corpus, files[i], text, len);
		int lines = 0;
		for (size_t k = 0; k < len; k++)
			lines += text[k] == '\n';
		free(text);
		char id[32];
		snprintf(id, sizeof id, "%.*s", (int)(strlen(files[i]) - 4), files[i]);
		snprintf(manifest + strlen(manifest), sizeof manifest - strlen(manifest),
			 "%s{\"city_id\": \"%s\", \"file\": \"%s\", \"city\": \"%s市\", "
			 "\"province\": \"测试省\", \"title\": \"%s的规划\", \"title_supplied\": false, \"date\": null, "
			 "\"body_lines\": [1, %d]}", i ? ", " : "", id, files[i], id, id, lines);
	}
	strcat(manifest, "]}\n");
	tmpdir_write(corpus, "manifest.json", manifest, strlen(manifest));
	const char *argv[] = {test_env("POLICY_INDEX"), "--corpus", corpus, "--db", fx.other_db,
			      "--quiet", NULL};
	run_t r = run_program(fx.dir, argv);
	if (r.status != 0) {
		fprintf(stderr, "policy-index (other layouts): %s\n", r.err);
		run_free(&r);
		return -1;
	}
	fx.other_build_err = r.err;
	free(r.out);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(fx.other_build_err);
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

/* ---- the tests ---- */

/* The entry of `list` (a JSON array of objects) whose `key` is `value`, or NULL. */
static json_object *find_by(json_object *list, const char *key, const char *value)
{
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *e = json_object_array_get_idx(list, i), *v;
		if (json_object_object_get_ex(e, key, &v) && v != NULL &&
		    strcmp(json_object_get_string(v), value) == 0)
			return e;
	}
	return NULL;
}

static void test_indicators_lists_every_row_of_the_three_tables_with_values_units_and_lines(
	void **state)
{
	(void)state;
	const char *args[] = {"indicators", "--format", "json", NULL};
	json_object *root = query_json(fx.db, args);
	json_object *list = get(root, "indicators");
	assert_int_equal(json_object_array_length(list), N_OF(rows));
	for (size_t i = 0; i < N_OF(rows); i++) {
		const want_row_t *w = &rows[i];
		json_object *e = json_object_array_get_idx(list, i); /* in index and text order */
		assert_string_equal(get_str(e, "id"), w->id);
		assert_string_equal(get_str(e, "city_id"), city_of(w->id));
		assert_string_equal(get_str(e, "label"), w->label);
		assert_string_equal(get_str(e, "unit"), w->unit);
		assert_int_equal(json_object_get_int(get(e, "line")), w->line);
		json_object *values = get(e, "values"), *lines = get(e, "lines");
		json_object *parsed = get(e, "parsed");
		size_t n = w->values[1].key ? 2 : 1;
		assert_int_equal(json_object_object_length(values), n);
		for (size_t k = 0; k < n; k++) {
			const want_value_t *v = &w->values[k];
			assert_string_equal(get_str(values, v->key), v->value);
			assert_int_equal(json_object_get_int(get(lines, v->key)), v->line);
			json_object *p;
			bool has = json_object_object_get_ex(parsed, v->key, &p);
			if (has != v->has_number)
				fail_msg("%s %s: parsed %d, expected %d", w->id, v->key, has,
					 v->has_number);
			if (has) {
				assert_true(json_object_get_double(get(p, "number")) == v->number);
				assert_string_equal(get_str(p, "comparator"), v->cmp);
			}
		}
	}
	json_object_put(root);
}

/* Drop the ⟪ ⟫ that mark matches in text output without colour, in place, so that a row
 * can be compared as printed. */
static void strip_marks(char *s)
{
	static const char *const marks[] = {"⟪", "⟫"};
	for (size_t k = 0; k < 2; k++) {
		size_t n = strlen(marks[k]);
		char *at;
		while ((at = strstr(s, marks[k])) != NULL)
			memmove(at, at + n, strlen(at + n) + 1);
	}
}

static void test_a_search_hit_in_a_table_cell_shows_its_row_under_the_tables_title(
	void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(rows); i++) {
		const want_row_t *w = &rows[i];
		const char *args[] = {"search", "--format", "json", "--all", "--city",
				      city_of(w->id), w->term, NULL};
		json_object *root = query_json(fx.db, args), *hits = get(root, "hits"), *found = NULL;
		for (size_t h = 0; h < json_object_array_length(hits) && !found; h++) {
			json_object *hit = json_object_array_get_idx(hits, h), *row;
			if (json_object_object_get_ex(hit, "row", &row) && row != NULL &&
			    strcmp(get_str(row, "id"), w->id) == 0)
				found = hit;
		}
		if (found == NULL)
			fail_msg("searching %s in %s shows no row %s", w->term, city_of(w->id), w->id);
		json_object *row = get(found, "row"), *section = get(found, "section");
		assert_string_equal(get_str(row, "text"), w->shown);
		assert_int_equal(json_object_get_int(get(row, "line")), w->line);
		/* the table's title ends the section path */
		json_object *last = json_object_array_get_idx(section,
							      json_object_array_length(section) - 1);
		assert_string_equal(get_str(last, "title"), get_str(get(row, "table"), "title"));
		json_object_put(root);

		/* and the text output shows the row, its id and the title */
		const char *targs[] = {"search", "--all", "--city", city_of(w->id), w->term, NULL};
		run_t r = query(fx.db, targs);
		assert_int_equal(r.status, 0);
		strip_marks(r.out);
		char want[512];
		snprintf(want, sizeof want, "    %s\n", w->shown);
		assert_contains(r.out, want);
		snprintf(want, sizeof want, "%s (", w->id);
		assert_contains(r.out, want);
		run_free(&r);
	}
}

/* -o's extension sets the format, as it does for search, freq and kwic; a file named for
 * a format the command does not write, or against --format, is refused (exit 2). */
static void test_the_output_file_extension_sets_the_format(void **state)
{
	(void)state;
	char path[1100], md[1100];
	snprintf(path, sizeof path, "%s/ind.csv", fx.dir);
	snprintf(md, sizeof md, "%s/ind.md", fx.dir);
	const char *args[] = {"indicators", "-o", path, "毛入园率", NULL};
	run_t r = query(fx.db, args);
	assert_int_equal(r.status, 0);
	run_free(&r);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[256] = "";
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_true(strncmp(line, "city,city_id,document,table,", 28) == 0);
	const char *bad_md[] = {"indicators", "-o", md, "毛入园率", NULL};
	r = query(fx.db, bad_md);
	assert_int_equal(r.status, 2);
	run_free(&r);
	const char *clash[] = {"indicators", "--format", "json", "-o", path, "毛入园率", NULL};
	r = query(fx.db, clash);
	assert_int_equal(r.status, 2);
	run_free(&r);
}

static void test_a_search_for_a_value_shows_the_row_it_belongs_to(void **state)
{
	(void)state;
	const char *args[] = {"search", "--city", "大连", "90.4", NULL};
	run_t r = query(fx.db, args);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "2020: ⟪90.4⟫ · "); /* the match marked inside its cell */
	strip_marks(r.out);
	assert_contains(r.out, "› 大连教育事业发展主要指标\n");
	assert_contains(r.out, "dalian/2.3.2/t1.1 (dalian/2.3.2/7) · dalian.txt line 80 · score ");
	assert_contains(r.out, "    学前三年毛入园率% · 2020: 90.4 · 2025: 95\n");
	run_free(&r);

	/* CSV's section column is the path as text shows it: the table's title ends it */
	const char *csv_args[] = {"search", "--format", "csv", "--city", "大连", "90.4", NULL};
	r = query(fx.db, csv_args);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "2.“十四五”时期发展目标 › 大连教育事业发展主要指标,");
	run_free(&r);
}

static void test_compare_lays_dandong_and_dalian_side_by_side_and_says_how_it_grouped(
	void **state)
{
	(void)state;
	static const struct {
		const char *term;
		const char *cells[4][2]; /* column label, value */
		const char *labels[3];   /* the grouped labels, each with its city */
	} want[] = {
		{"毛入园率",
		 {{"丹东市 完成情况", "95%"}, {"丹东市 2025", "95%"}, {"大连市 2020", "90.4"},
		  {"大连市 2025", "95"}},
		 {"学前三年毛入园率达到85%（丹东市）", "学前教育毛入园率（丹东市）",
		  "学前三年毛入园率（大连市）"}},
		{"巩固率",
		 {{"丹东市 完成情况", "99%"}, {"丹东市 2025", "99%"}, {"大连市 2020", "99.1"},
		  {"大连市 2025", "保持高水平"}},
		 {"义务教育巩固率达到97.5%（丹东市）", "九年义务教育巩固率（丹东市）",
		  "九年义务教育巩固率（大连市）"}},
	};
	for (size_t t = 0; t < N_OF(want); t++) {
		const char *args[] = {"indicators", "--compare", "--format", "json", want[t].term,
				      NULL};
		json_object *root = query_json(fx.db, args);
		json_object *columns = get(root, "columns"), *list = get(root, "indicators");
		assert_int_equal(json_object_array_length(list), 1);
		json_object *ind = json_object_array_get_idx(list, 0);
		assert_string_equal(get_str(ind, "indicator"), want[t].term);
		assert_string_equal(get_str(ind, "unit"), "%");
		assert_int_equal(json_object_array_length(columns), 4);
		json_object *values = get(ind, "values");
		for (size_t c = 0; c < 4; c++) {
			json_object *col = json_object_array_get_idx(columns, c);
			assert_string_equal(get_str(col, "label"), want[t].cells[c][0]);
			assert_string_equal(json_object_get_string(json_object_array_get_idx(values, c)),
					    want[t].cells[c][1]);
		}
		for (size_t l = 0; l < 3; l++)
			assert_contains(get_str(ind, "grouping"), want[t].labels[l]);
		json_object_put(root);

		const char *targs[] = {"indicators", "--compare", want[t].term, NULL};
		run_t r = query(fx.db, targs);
		assert_int_equal(r.status, 0);
		assert_contains(r.out, "丹东市 2025");
		assert_contains(r.out, "大连市 2020");
		assert_contains(r.out, "How the rows were grouped:");
		run_free(&r);
	}
}

static void test_compare_keeps_labels_apart_where_one_table_holds_several_with_the_term(
	void **state)
{
	(void)state;
	/* 大连's table holds three labels with 教师: they are three indicators */
	const char *args[] = {"indicators", "--compare", "--format", "json", "教师", NULL};
	json_object *root = query_json(fx.db, args), *list = get(root, "indicators");
	assert_int_equal(json_object_array_length(list), 3);
	assert_non_null(find_by(list, "indicator", "义务教育专任教师中本科以上学历比例"));
	assert_non_null(find_by(list, "indicator", "学前教育教师接受专业教育比例"));
	assert_non_null(find_by(list, "indicator", "职业教育双师型教师比例"));
	assert_contains(get_str(json_object_array_get_idx(list, 0), "grouping"),
			"is in several labels of one table");
	json_object_put(root);
}

static void test_indicators_csv_and_tsv_have_a_column_per_value_key(void **state)
{
	(void)state;
	const char *args[] = {"indicators", "--format", "csv", "--city", "dalian", "毛入园率",
			      NULL};
	run_t r = query(fx.db, args);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out,
		"city,city_id,document,table,table_id,indicator,label,unit,attribute,serial,2020,"
		"2025,file,line,id\r\n"
		"大连市,dalian,大连市教育事业发展“十四五”规划 (征求意见稿),大连教育事业发展主要指标,"
		"dalian/2.3.2/t1,学前三年毛入园率,学前三年毛入园率%,%,,,90.4,95,dalian.txt,80,"
		"dalian/2.3.2/t1.1\r\n");
	run_free(&r);
	const char *targs[] = {"indicators", "--format", "tsv", "--compare", "毛入园率", NULL};
	r = query(fx.db, targs);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "indicator\tunit\t丹东市 完成情况\t丹东市 2025\t大连市 2020\t"
			       "大连市 2025\tgrouping\n毛入园率\t%\t95%\t95%\t90.4\t95\t");
	run_free(&r);
}

static void test_cite_of_a_row_quotes_it_with_its_table_title_and_headers(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(rows); i++) {
		const want_row_t *w = &rows[i];
		const char *args[] = {"cite", "--format", "json", w->id, NULL};
		json_object *root = query_json(fx.db, args);
		json_object *c = json_object_array_get_idx(get(root, "citations"), 0);
		assert_string_equal(get_str(c, "kind"), "row");
		assert_int_equal(json_object_get_int(get(c, "line")), w->line);
		json_object *table = get(c, "table");
		assert_string_equal(get_str(table, "unit"), w->unit);
		size_t n = w->values[1].key ? 2 : 1;
		for (size_t k = 0; k < n; k++) {
			/* the header as printed: 2025年 for 丹东's key 2025 */
			json_object *values = get(table, "values");
			bool found = false;
			json_object_object_foreach(values, key, val) {
				(void)key;
				found |= strcmp(json_object_get_string(val), w->values[k].value) == 0;
			}
			assert_true(found);
		}
		/* the quote names the table and holds the label */
		assert_contains(get_str(c, "citation"), "表：“");
		assert_contains(get_str(c, "citation"), w->label);
		assert_string_equal(get_str(get(c, "check"), "status"), "unchanged");
		json_object_put(root);

		const char *targs[] = {"cite", w->id, NULL};
		run_t r = query(fx.db, targs);
		assert_int_equal(r.status, 0);
		assert_contains(r.out, "  表格  ");
		assert_contains(r.out, "  表头  ");
		char want[512];
		snprintf(want, sizeof want, "  本行  %s\n", w->shown);
		assert_contains(r.out, want);
		run_free(&r);
	}
	/* the exact line to paste */
	const char *args[] = {"cite", "dalian/2.3.2/t1.1", NULL};
	run_t r = query(fx.db, args);
	assert_contains(r.out, "2.“十四五”时期发展目标，“大连教育事业发展主要指标”表："
			       "“学前三年毛入园率%（2020：90.4；2025：95）”\n");
	assert_contains(r.out, "  表头  （指标） · 2020 · 2025\n");
	run_free(&r);
}

static void test_cite_of_a_row_or_table_that_is_not_there_says_what_is(void **state)
{
	(void)state;
	static const struct {
		const char *id, *why;
	} cases[] = {
		{"dalian/2.3.2/t1.11", "table t1 of section 2.3.2 of dalian has rows 1 to 10, no row 11"},
		{"dalian/2.3.2/t2.1", "section 2.3.2 of dalian has no indicator table t2"},
		{"dalian/2.3.2/t1.0", "is not an id"},
		{"dalian/2.3.2/t1", "is not an id"},
		{"fuxin/0/t1.1", "section 0 of fuxin has no indicator table t1"},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		const char *args[] = {"cite", cases[i].id, NULL};
		run_t r = query(fx.db, args);
		assert_int_equal(r.status, 2); /* an unknown or malformed id */
		assert_contains(r.err, cases[i].why);
		run_free(&r);
	}
}

/* Tables in other layouts (tests/documents-tables) read through the index, or refused. */
static void test_other_layouts_are_read_through_the_index_or_refused_with_a_warning(
	void **state)
{
	(void)state;
	static const struct {
		const char *id, *label, *unit, *attribute;
		const char *key, *value, *cmp; /* one value, and its comparator if it reads */
		int line;
	} want[] = {
		/* a row per line apart by tabs, with 序号 */
		{"tabs/1/t1.1", "学前教育毛入园率（%）", "%", "", "2025", "≥95", "≥", 9},
		{"tabs/1/t1.3", "新增公办幼儿园学位", "个", "", "2020", "—", NULL, 11},
		{"tabs/1/t1.5", "劳动年龄人口平均受教育年限（年）", "年", "", "2020", "11.2", "", 13},
		/* a row per line aligned by spaces, with 单位 and 属性 */
		{"shuxing/1/t1.1", "学前教育毛入园率", "%", "约束性", "2025", "不低于95", "≥", 8},
		{"shuxing/1/t1.5", "校外培训机构数量", "个", "预期性", "2025", "不超过60", "≤", 12},
		{"shuxing/1/t1.6", "生均校舍面积", "平方米", "预期性", "2025", "＞9", ">", 13},
		/* a 2020 baseline, a 2025 target and the five years' total */
		{"leiji/1/t1.1", "新建改扩建幼儿园（所）", "所", "", "基期值（2020年）", "12", "", 10},
		{"leiji/1/t1.1", "新建改扩建幼儿园（所）", "所", "", "“十四五”累计", "40", "", 10},
		{"leiji/1/t1.4", "学前教育毛入园率（%）", "%", "", "目标值（2025年）", "95", "", 22},
	};
	const char *args[] = {"indicators", "--format", "json", NULL};
	json_object *root = query_json(fx.other_db, args), *list = get(root, "indicators");
	/* tabs 5 rows, shuxing 6, leiji 4; ragged's five tables none */
	assert_int_equal(json_object_array_length(list), 5 + 6 + 4);
	for (size_t i = 0; i < json_object_array_length(list); i++)
		assert_string_not_equal(get_str(json_object_array_get_idx(list, i), "city_id"),
					"ragged");
	for (size_t i = 0; i < N_OF(want); i++) {
		json_object *e = find_by(list, "id", want[i].id);
		if (e == NULL)
			fail_msg("no row %s in %s", want[i].id, json_object_to_json_string(list));
		assert_string_equal(get_str(e, "label"), want[i].label);
		assert_string_equal(get_str(e, "unit"), want[i].unit);
		assert_string_equal(get_str(e, "attribute"), want[i].attribute);
		assert_int_equal(json_object_get_int(get(e, "line")), want[i].line);
		assert_string_equal(get_str(get(e, "values"), want[i].key), want[i].value);
		json_object *p;
		bool has = json_object_object_get_ex(get(e, "parsed"), want[i].key, &p);
		assert_int_equal(has, want[i].cmp != NULL);
		if (has)
			assert_string_equal(get_str(p, "comparator"), want[i].cmp);
	}
	json_object_put(root);
	/* every refused table was named with its lines when the index was built */
	static const char *const refused[] = {
		"ragged.txt line 5: ", "lines 5–20", "ragged.txt line 25: ", "lines 25–45",
		"ragged.txt line 50: ", "ragged.txt line 58: ", "ragged.txt line 90: ", "stay text",
	};
	for (size_t i = 0; i < N_OF(refused); i++)
		assert_contains(fx.other_build_err, refused[i]);
	/* and a search in a refused table's cell shows the cell, not a row */
	const char *sargs[] = {"search", "--format", "json", "--city", "ragged", "学前三年毛入园率",
			       NULL};
	json_object *s = query_json(fx.other_db, sargs), *hits = get(s, "hits");
	assert_true(json_object_array_length(hits) > 0);
	for (size_t h = 0; h < json_object_array_length(hits); h++) {
		json_object *row;
		assert_false(json_object_object_get_ex(json_object_array_get_idx(hits, h), "row",
						       &row));
	}
	json_object_put(s);
}

static void test_row_ids_stay_when_the_index_is_rebuilt_with_another_plan(void **state)
{
	(void)state;
	/* the bundled corpus with tabs.txt added: every bundled row keeps its id and values */
	char corpus[1100], db[1100], path[1200];
	snprintf(corpus, sizeof corpus, "%s/bundled-plus", fx.dir);
	snprintf(db, sizeof db, "%s/bundled-plus-index", fx.dir);
	assert_int_equal(mkdir(corpus, 0700), 0);
	static const char *const files[] = {"dandong.txt", "fuxin.txt", "anshan.txt", "dalian.txt",
					    "tonghua.txt"};
	for (size_t i = 0; i < N_OF(files); i++) {
		size_t len;
		snprintf(path, sizeof path, "%s/%s", test_env("CORPUS_DIR"), files[i]);
		char *text = run_slurp(path, &len);
		tmpdir_write(corpus, files[i], text, len);
		free(text);
	}
	size_t len;
	snprintf(path, sizeof path, "%s/manifest.json", test_env("CORPUS_DIR"));
	char *manifest = run_slurp(path, &len);
	char *end = strrchr(manifest, ']');
	assert_non_null(end);
	*end = '\0';
	char *grown = malloc(len + 512);
	snprintf(grown, len + 512, "%s, {\"city_id\": \"tabs\", \"file\": \"tabs.txt\", \"city\": "
		 "\"表市\", \"province\": \"测试省\", \"title\": \"表\", \"title_supplied\": false, \"date\": null, "
		 "\"body_lines\": [1, 13]}]}\n", manifest);
	free(manifest);
	tmpdir_write(corpus, "manifest.json", grown, strlen(grown));
	free(grown);
	snprintf(path, sizeof path, "%s/../documents-tables/tabs.txt", test_env("DOCUMENTS_DIR"));
	char *tabs = run_slurp(path, &len);
	tmpdir_write(corpus, "tabs.txt", tabs, len);
	free(tabs);
	assert_int_equal(run_index(fx.dir, corpus, db), 0);
	const char *args[] = {"indicators", "--format", "json", NULL};
	json_object *before = query_json(fx.db, args), *after = query_json(db, args);
	json_object *a = get(before, "indicators"), *b = get(after, "indicators");
	assert_int_equal(json_object_array_length(b), json_object_array_length(a) + 5);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *x = json_object_array_get_idx(a, i);
		json_object *y = find_by(b, "id", get_str(x, "id"));
		assert_non_null(y);
		assert_string_equal(json_object_to_json_string(x), json_object_to_json_string(y));
	}
	json_object_put(before);
	json_object_put(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indicators_lists_every_row_of_the_three_tables_with_values_units_and_lines),
		cmocka_unit_test(test_a_search_hit_in_a_table_cell_shows_its_row_under_the_tables_title),
		cmocka_unit_test(test_a_search_for_a_value_shows_the_row_it_belongs_to),
		cmocka_unit_test(test_the_output_file_extension_sets_the_format),
		cmocka_unit_test(test_compare_lays_dandong_and_dalian_side_by_side_and_says_how_it_grouped),
		cmocka_unit_test(test_compare_keeps_labels_apart_where_one_table_holds_several_with_the_term),
		cmocka_unit_test(test_indicators_csv_and_tsv_have_a_column_per_value_key),
		cmocka_unit_test(test_cite_of_a_row_quotes_it_with_its_table_title_and_headers),
		cmocka_unit_test(test_cite_of_a_row_or_table_that_is_not_there_says_what_is),
		cmocka_unit_test(test_other_layouts_are_read_through_the_index_or_refused_with_a_warning),
		cmocka_unit_test(test_row_ids_stay_when_the_index_is_rebuilt_with_another_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
