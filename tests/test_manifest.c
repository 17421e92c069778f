/* test_manifest.c: the corpus manifest and plan loading: the real manifest, and what bad input says. */
#include "test.h"

#include "manifest.h"
#include "plan.h"
#include "strbuf.h"
#include "tmpdir.h"

static const char *plan_entry =
	"{\"city_id\": \"testcity\", \"file\": \"plan.txt\", \"city\": \"测试市\", "
	"\"province\": \"辽宁省\", \"title\": \"测试规划\", \"title_supplied\": false, "
	"\"date\": null, \"body_lines\": [2, 3]}";

static void write_manifest(const char *dir, const char *plans_json)
{
	char text[4096];
	int n = snprintf(text, sizeof text, "{\n  \"plans\": [\n    %s\n  ]\n}\n", plans_json);
	tmpdir_write(dir, "manifest.json", text, (size_t)n);
}

static void test_the_bundled_manifest_lists_the_five_plans(void **state)
{
	(void)state;
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(test_env("CORPUS_DIR"), &m, &error), 0);
	assert_int_equal(m->n_plans, 5);
	const char *ids[] = {"dandong", "fuxin", "anshan", "dalian", "tonghua"};
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(m->plans[i].city_id, ids[i]);
	assert_true(m->plans[4].title_supplied); /* Tonghua prints no title */
	assert_false(m->plans[0].title_supplied);
	assert_string_equal(m->plans[4].province, "吉林省");
	assert_null(m->plans[1].date);
	pi_manifest_free(m);
}

static void test_malformed_json_names_the_file_and_line(void **state)
{
	const char *text = "{\n  \"plans\": [\n    {\"city_id\": \"x\",,}\n  ]\n}\n";
	tmpdir_write(*state, "manifest.json", text, strlen(text));
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(*state, &m, &error), PS_ERR_MANIFEST);
	assert_null(m);
	assert_non_null(strstr(error, "manifest.json:3:"));
	free(error);
}

static void test_a_missing_field_names_the_plan_and_field(void **state)
{
	write_manifest(*state, "{\"city_id\": \"x\", \"file\": \"x.txt\"}");
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(*state, &m, &error), PS_ERR_MANIFEST);
	assert_non_null(strstr(error, "plans[0]"));
	assert_non_null(strstr(error, "\"city\""));
	free(error);
}

static void test_repeated_city_ids_are_refused(void **state)
{
	char both[2048];
	snprintf(both, sizeof both, "%s,\n    %s", plan_entry, plan_entry);
	write_manifest(*state, both);
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(*state, &m, &error), PS_ERR_MANIFEST);
	assert_non_null(strstr(error, "repeats"));
	free(error);
}

/* A manifest of n plans, c<i> in c<i>.txt; plan `at` (if below n) takes plan `of`'s city_id
 * (field "city_id") or file (field "file"). Returns a malloc'd text. */
static char *long_manifest(size_t n, size_t at, size_t of, const char *field)
{
	strbuf_t sb = STRBUF_INIT;
	strbuf_append_str(&sb, "{\"plans\": [");
	for (size_t i = 0; i < n; i++) {
		size_t id = i == at && strcmp(field, "city_id") == 0 ? of : i;
		size_t file = i == at && strcmp(field, "file") == 0 ? of : i;
		strbuf_printf(&sb, "%s{\"city_id\": \"c%zu\", \"file\": \"c%zu.txt\", "
			      "\"city\": \"测试市\", \"province\": \"辽宁省\", \"title\": \"规划\", "
			      "\"title_supplied\": false, \"date\": null, \"body_lines\": [1, 2]}",
			      i ? ",\n" : "", id, file);
	}
	strbuf_append_str(&sb, "]}\n");
	return strbuf_steal(&sb);
}

static void test_a_repeat_anywhere_in_a_long_manifest_names_the_field_and_both_plans(void **state)
{
	(void)state;
	enum { N = 20000 };
	static const struct {
		size_t at, of;
		const char *field, *message; /* NULL: no repeat, the manifest loads */
	} cases[] = {
		{N, 0, "city_id", NULL},
		{N - 1, 7, "city_id", "plans[19999] repeats the city_id \"c7\" of plans[7]"},
		{N - 1, 0, "file", "plans[19999] repeats the file \"c0.txt\" of plans[0]"},
		{1, 0, "city_id", "plans[1] repeats the city_id \"c0\" of plans[0]"},
		{12345, 12344, "file", "plans[12345] repeats the file \"c12344.txt\" of plans[12344]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = long_manifest(N, cases[i].at, cases[i].of, cases[i].field);
		pi_manifest_t *m = NULL;
		char *error = NULL;
		ps_status_t st = pi_manifest_parse(text, strlen(text), "long.json", &m, &error);
		if (cases[i].message == NULL) {
			if (st != PS_OK)
				fail_msg("case %zu: %s", i, error);
			assert_int_equal(m->n_plans, N);
			assert_string_equal(m->plans[N - 1].file, "c19999.txt");
		} else {
			assert_int_equal(st, PS_ERR_MANIFEST);
			assert_null(m);
			assert_contains(error, cases[i].message);
		}
		pi_manifest_free(m);
		free(error);
		free(text);
	}
}

/* A manifest string reaches terminals as it is: an escape sequence in a city, a bell in a
 * title, a C1 control or a right-to-left override used to print raw. Each field, each kind
 * of character. */
static void test_control_characters_in_manifest_strings_are_refused_naming_the_field(void **s)
{
	(void)s;
	static const char *const fields[] = {"city", "title", "province", "date", "file"};
	static const struct {
		const char *json; /* as written in the JSON string */
		const char *says;
	} chars[] = {
		{"\\u001b[31m", "U+001B"}, {"\\u0007", "U+0007"}, {"\\u0000", "U+0000"},
		{"\\t", "U+0009"},         {"\\n", "U+000A"},     {"\\u007f", "U+007F"},
		{"\xC2\x9B", "U+009B"}, {"\xC2\x85", "U+0085"}, {"\xE2\x80\xAE", "U+202E"},
		{"\xE2\x81\xA6", "U+2066"}, {"\xE2\x80\x8F", "U+200F"},
	};
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
		for (size_t c = 0; c < sizeof chars / sizeof chars[0]; c++) {
			char entry[1024], text[1200], says[200];
			snprintf(entry, sizeof entry,
				 "{\"city_id\": \"x\", \"file\": \"%sx.txt\", \"city\": \"%s测试市\", "
				 "\"province\": \"%s辽宁省\", \"title\": \"%s规划\", "
				 "\"title_supplied\": false, \"date\": \"%s2021\", \"body_lines\": [1, 2]}",
				 f == 4 ? chars[c].json : "", f == 0 ? chars[c].json : "",
				 f == 2 ? chars[c].json : "", f == 1 ? chars[c].json : "",
				 f == 3 ? chars[c].json : "");
			snprintf(text, sizeof text, "{\"plans\": [%s]}", entry);
			pi_manifest_t *m = NULL;
			char *error = NULL;
			ps_status_t st = pi_manifest_parse(text, strlen(text), "m.json", &m, &error);
			snprintf(says, sizeof says, "plans[0]: \"%s\" holds %s", fields[f],
				 chars[c].says);
			if (st != PS_ERR_MANIFEST || error == NULL || strstr(error, says) == NULL)
				fail_msg("%s with %s: status %d, %s", fields[f], chars[c].says, st,
					 error ? error : "no message");
			assert_null(m);
			free(error);
		}
}

static void test_a_missing_manifest_says_so(void **state)
{
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(*state, &m, &error), PS_ERR_MANIFEST);
	assert_non_null(strstr(error, "manifest.json"));
	free(error);
}

static void load_one(const char *dir, pi_manifest_t **m, pi_plan_t **plan, ps_status_t expect_rc,
		     char **error)
{
	write_manifest(dir, plan_entry);
	assert_int_equal(pi_manifest_load(dir, m, error), 0);
	assert_int_equal(pi_plan_load(dir, &(*m)->plans[0], plan, error), expect_rc);
}

static void test_a_plan_is_parsed_within_its_body_lines(void **state)
{
	const char *text = "测试规划\n一、总则\n坚持教育优先。推进“双减”。\n页脚 一、不是标题\n";
	tmpdir_write(*state, "plan.txt", text, strlen(text));
	pi_manifest_t *m = NULL;
	pi_plan_t *plan = NULL;
	char *error = NULL;
	load_one(*state, &m, &plan, PS_OK, &error);
	assert_int_equal(plan->doc->n_sections, 2); /* root and 一、; line 4 is outside the body */
	assert_int_equal(plan->doc->n_clauses, 3);  /* the heading, and two sentences */
	assert_bytes_equal(plan->text, plan->doc->clauses[2].start, plan->doc->clauses[2].end,
			   "推进“双减”。");
	assert_int_equal(plan->doc->clauses[2].line, 3);
	pi_plan_free(plan);
	pi_manifest_free(m);
}

static void test_invalid_utf8_names_the_file_line_and_byte(void **state)
{
	const char text[] = "标题\n一、总则\n坏\xff字节\n";
	tmpdir_write(*state, "plan.txt", text, sizeof text - 1);
	pi_manifest_t *m = NULL;
	pi_plan_t *plan = NULL;
	char *error = NULL;
	load_one(*state, &m, &plan, PS_ERR_INVALID_TEXT, &error);
	assert_null(plan);
	assert_non_null(strstr(error, "plan.txt"));
	assert_non_null(strstr(error, "line 3"));
	assert_non_null(strstr(error, "byte 23"));
	free(error);
	pi_manifest_free(m);
}

static void test_body_lines_past_the_end_of_the_file_are_refused(void **state)
{
	const char *text = "只有一行\n";
	tmpdir_write(*state, "plan.txt", text, strlen(text));
	pi_manifest_t *m = NULL;
	pi_plan_t *plan = NULL;
	char *error = NULL;
	load_one(*state, &m, &plan, PS_ERR_BODY_LINES, &error);
	assert_non_null(strstr(error, "body_lines"));
	free(error);
	pi_manifest_free(m);
}

/* A manifest with one plan whose body_lines and city_id are given. */
static void write_manifest_with(const char *dir, const char *city_id, const char *body_lines)
{
	char entry[1024];
	snprintf(entry, sizeof entry,
		 "{\"city_id\": \"%s\", \"file\": \"plan.txt\", \"city\": \"测试市\", "
		 "\"province\": \"辽宁省\", \"title\": \"测试规划\", \"title_supplied\": false, "
		 "\"date\": null, \"body_lines\": %s}",
		 city_id, body_lines);
	write_manifest(dir, entry);
}

static void test_body_lines_must_name_lines_the_file_has(void **state)
{
	const char *text = "第一行\n第二行\n"; /* two lines; the final newline starts no third */
	tmpdir_write(*state, "plan.txt", text, strlen(text));
	static const struct {
		const char *body_lines;
		int ok;
	} cases[] = {
		{"[1, 2]", 1}, {"[2, 2]", 1}, {"[3, 3]", 0}, {"[2, 3]", 0}, {"[0, 2]", 0},
		{"[2, 1]", 0}, {"[1, 2147483647]", 0}, {"[1, 9999999999]", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pi_manifest_t *m = NULL;
		pi_plan_t *plan = NULL;
		char *error = NULL;
		write_manifest_with(*state, "testcity", cases[i].body_lines);
		int rc = pi_manifest_load(*state, &m, &error);
		if (rc == 0)
			rc = pi_plan_load(*state, &m->plans[0], &plan, &error);
		if ((rc == 0) != cases[i].ok)
			fail_msg("body_lines %s: %s", cases[i].body_lines,
				 error ? error : "accepted");
		if (rc == 0) {
			assert_int_equal(plan->body_end, strlen(text));
			assert_int_equal(plan->body_start,
					 strcmp(cases[i].body_lines, "[1, 2]") == 0 ? 0 : 10);
		} else {
			assert_non_null(strstr(error, "body_lines"));
		}
		free(error);
		pi_plan_free(plan);
		pi_manifest_free(m);
	}
}

static void test_a_nul_byte_is_refused_naming_line_and_byte(void **state)
{
	const char text[] = "标题\n一、总则\n内容\0隐藏\n";
	tmpdir_write(*state, "plan.txt", text, sizeof text - 1);
	pi_manifest_t *m = NULL;
	pi_plan_t *plan = NULL;
	char *error = NULL;
	load_one(*state, &m, &plan, PS_ERR_BINARY, &error);
	assert_non_null(strstr(error, "NUL byte"));
	assert_non_null(strstr(error, "line 3"));
	assert_non_null(strstr(error, "byte 26"));
	free(error);
	pi_manifest_free(m);
}

static void test_an_over_long_city_id_is_refused(void **state)
{
	char id[200];
	memset(id, 'a', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	write_manifest_with(*state, id, "[1, 1]");
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(*state, &m, &error), PS_ERR_MANIFEST);
	assert_non_null(strstr(error, "city_id"));
	free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_bundled_manifest_lists_the_five_plans),
#define T(fn) cmocka_unit_test_setup_teardown(fn, tmpdir_setup, tmpdir_teardown)
		T(test_malformed_json_names_the_file_and_line),
		T(test_a_missing_field_names_the_plan_and_field),
		T(test_repeated_city_ids_are_refused),
		T(test_control_characters_in_manifest_strings_are_refused_naming_the_field),
		T(test_a_missing_manifest_says_so),
		T(test_a_repeat_anywhere_in_a_long_manifest_names_the_field_and_both_plans),
		T(test_a_plan_is_parsed_within_its_body_lines),
		T(test_invalid_utf8_names_the_file_line_and_byte),
		T(test_body_lines_past_the_end_of_the_file_are_refused),
		T(test_body_lines_must_name_lines_the_file_has),
		T(test_a_nul_byte_is_refused_naming_line_and_byte),
		T(test_an_over_long_city_id_is_refused),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
