/* test_search_export.c: search results as CSV/TSV files, -o and its extensions, colour and match markers, snippets of long hits. */
#include "test.h"

#include "csvtab.h"
#include "run.h"
#include "tmpdir.h"

#include <stdbool.h>
#include <sys/stat.h>

static char *dir;
static char db[1024];

static run_t run(const char *const *argv)
{
	return run_program(dir, argv);
}

/* Run argv with $NO_COLOR set in the child. */
static void set_no_color(void)
{
	setenv("NO_COLOR", "1", 1);
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&dir) != 0)
		return -1;
	snprintf(db, sizeof db, "%s/index", dir);
	return run_build_index(dir, test_env("CORPUS_DIR"), db);
}

static int group_teardown(void **state)
{
	(void)state;
	tmpdir_teardown((void **)&dir);
	return 0;
}

static void path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	unlink(buf);
}

static const char *const columns[] = {"id", "city", "city_id", "province", "document",
				      "section", "text", "file", "line", "start", "end",
				      "score", "matches"};

static void test_csv_gives_one_row_per_hit_with_every_column(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "csv",
				       "--all", "双减", NULL});
	assert_int_equal(r.status, 0);
	csvtab_t t = {0};
	assert_true(csvtab_parse_csv(r.out, r.out_len, &t));
	assert_int_equal(t.n_rows, 5); /* the header and the 4 passages */
	for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++)
		assert_string_equal(t.rows[0][c], columns[c]);
	int text = csvtab_column(&t, "text"), matches = csvtab_column(&t, "matches");
	int province = csvtab_column(&t, "province"), section = csvtab_column(&t, "section");
	for (size_t row = 1; row < t.n_rows; row++) {
		assert_int_equal(t.n_fields[row], sizeof columns / sizeof columns[0]);
		assert_contains(t.rows[row][text], "双减");
		/* the match's byte range picks 双减 out of the text */
		unsigned s, e;
		assert_int_equal(sscanf(t.rows[row][matches], "%u-%u", &s, &e), 2);
		assert_int_equal(e - s, strlen("双减"));
		assert_memory_equal(t.rows[row][text] + s, "双减", e - s);
		assert_true(strcmp(t.rows[row][province], "辽宁省") == 0 ||
			    strcmp(t.rows[row][province], "吉林省") == 0);
		assert_true(strlen(t.rows[row][section]) > 0);
	}
	assert_int_equal(strstr(r.out, "\r\n") != NULL, 1); /* RFC 4180 line ends */
	csvtab_free(&t);
	run_free(&r);
}

static void test_tsv_and_excel_rows_match_the_json_hits(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--format", "tsv",
				       "--excel", "--province", "吉林省", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "\xEF\xBB\xBF", 3);
	csvtab_t t = {0};
	csvtab_parse_tsv(r.out + 3, r.out_len - 3, &t);
	assert_int_equal(t.n_rows, 3); /* the 2 通化 passages */
	int city = csvtab_column(&t, "city_id");
	assert_string_equal(t.rows[1][city], "tonghua");
	assert_string_equal(t.rows[2][city], "tonghua");
	csvtab_free(&t);
	run_free(&r);
}

static void test_output_file_takes_its_format_from_its_extension(void **state)
{
	(void)state;
	static const struct {
		const char *name, *starts;
	} cases[] = {
		{"hits.csv", "id,city,city_id,"},
		{"hits.TSV", "id\tcity\tcity_id\t"},
		{"hits.json", "{\"query\":\"双减\""},
		{"hits.txt", "[1] "},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[1200];
		path_in(path, sizeof path, cases[i].name);
		/* -o before the query: its value is not a search term */
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "-o", path,
					       "双减", NULL});
		if (r.status != 0 || r.out_len != 0)
			fail_msg("%s: exit %d, stdout %s, stderr %s", cases[i].name, r.status, r.out,
				 r.err);
		char *got = run_slurp(path, NULL);
		if (strncmp(got, cases[i].starts, strlen(cases[i].starts)) != 0)
			fail_msg("%s holds %.80s", cases[i].name, got);
		free(got);
		run_free(&r);
	}
}

static void test_a_format_the_extension_contradicts_is_refused_and_nothing_written(void **state)
{
	(void)state;
	static const char *const cases[][7] = {
		{"-o", "x.csv", "--format", "json", "双减", NULL},
		{"--format", "tsv", "-o", "x.json", "双减", NULL},
		{"-o", "x.md", "双减", NULL}, /* search writes no Markdown */
		{"kwic", "-o", "x.tsv", "--format", "csv", "双减", NULL},
		{"freq", "-o", "x.md", "双减", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *argv[12] = {test_env("POLICY_QUERY"), "--db", db};
		char paths[7][1200];
		size_t n = 3;
		for (size_t k = 0; cases[i][k] != NULL; k++) {
			const char *a = cases[i][k];
			if (k > 0 && strcmp(cases[i][k - 1], "-o") == 0) {
				path_in(paths[k], sizeof paths[k], a);
				a = paths[k];
			}
			argv[n++] = a;
		}
		run_t r = run(argv);
		if (r.status != 2)
			fail_msg("case %zu: exit %d: %s", i, r.status, r.err);
		assert_contains(r.err, "names a");
		assert_false(tmpdir_holds(dir, "x."));
		run_free(&r);
	}
}

static void test_kwic_to_a_csv_file_writes_csv(void **state)
{
	(void)state;
	char path[1200];
	path_in(path, sizeof path, "concordance.csv");
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "kwic", "--db", db, "-o", path,
				       "双减", NULL});
	assert_int_equal(r.status, 0);
	size_t len;
	char *got = run_slurp(path, &len);
	csvtab_t t = {0};
	assert_true(csvtab_parse_csv(got, len, &t));
	assert_int_equal(t.n_rows, 5);
	assert_string_equal(t.rows[0][0], "city");
	assert_string_equal(t.rows[1][csvtab_column(&t, "match")], "双减");
	csvtab_free(&t);
	free(got);
	run_free(&r);
}

static void test_matches_are_marked_without_colour_and_coloured_when_asked(void **state)
{
	(void)state;
	run_opts_t no_color = {.prepare = set_no_color};
	static const struct {
		const char *when;
		bool no_color_env, colour;
	} cases[] = {
		{NULL, false, false},     /* auto, not a terminal */
		{"never", false, false},  {"always", false, true},
		{"always", true, true},   /* the option outranks $NO_COLOR */
		{"auto", true, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *argv[10] = {test_env("POLICY_QUERY"), "--db", db};
		size_t n = 3;
		char opt[40];
		if (cases[i].when != NULL) {
			snprintf(opt, sizeof opt, "--color=%s", cases[i].when);
			argv[n++] = opt;
		}
		argv[n++] = "双减";
		run_t r = cases[i].no_color_env ? run_opts(dir, &no_color, argv) : run(argv);
		assert_int_equal(r.status, 0);
		if ((strstr(r.out, "\033[") != NULL) != cases[i].colour)
			fail_msg("case %zu: colour %d expected", i, cases[i].colour);
		if ((strstr(r.out, "⟪双减⟫") != NULL) == cases[i].colour)
			fail_msg("case %zu: markers %d expected", i, !cases[i].colour);
		run_free(&r);
	}
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--color", "sometimes",
				       "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "auto, always or never");
	run_free(&r);
}

/* Every line of a hit's text is indented: before the summary, each line is blank, a hit's
 * "[n] " header, or indented. Returns the first line that is not, or NULL. */
static const char *unindented_line(const char *out)
{
	for (const char *line = out; *line != '\0';) {
		const char *nl = strchr(line, '\n');
		if (line[0] != '\n' && line[0] != '[' && strncmp(line, "    ", 4) != 0)
			return strstr(line, " sections") || strstr(line, " paragraphs") ? NULL : line;
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return NULL;
}

static void test_long_sections_are_snippets_unless_full_and_every_line_is_indented(void **state)
{
	(void)state;
	run_t s = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--scope", "section",
				       "--level", "1", "职业教育", NULL});
	run_t f = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "--scope", "section",
				       "--level", "1", "--full", "职业教育", NULL});
	assert_int_equal(s.status, 0);
	assert_int_equal(f.status, 0);
	/* the whole sections are some 220 KB; their snippets a tenth of that */
	assert_true(f.out_len > 150000);
	assert_true(s.out_len < f.out_len / 5);
	assert_contains(s.out, "--full shows the whole section");
	assert_null(strstr(f.out, "--full shows"));
	assert_contains(s.out, "⟪职业教育⟫");
	const char *bad = unindented_line(s.out);
	if (bad == NULL)
		bad = unindented_line(f.out);
	if (bad != NULL)
		fail_msg("not indented: %.120s", bad);
	/* the same totals either way */
	assert_non_null(strstr(s.out, " sections:"));
	assert_string_equal(strstr(s.out, " sections:"), strstr(f.out, " sections:"));
	run_free(&s);
	run_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_gives_one_row_per_hit_with_every_column),
		cmocka_unit_test(test_tsv_and_excel_rows_match_the_json_hits),
		cmocka_unit_test(test_output_file_takes_its_format_from_its_extension),
		cmocka_unit_test(test_a_format_the_extension_contradicts_is_refused_and_nothing_written),
		cmocka_unit_test(test_kwic_to_a_csv_file_writes_csv),
		cmocka_unit_test(test_matches_are_marked_without_colour_and_coloured_when_asked),
		cmocka_unit_test(test_long_sections_are_snippets_unless_full_and_every_line_is_indented),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
