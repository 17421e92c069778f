/* test_manifest.c: the corpus manifest and plan loading: the real manifest, and what bad input says. */
#include "test.h"

#include "manifest.h"
#include "plan.h"
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
	assert_int_equal(pi_manifest_load(*state, &m, &error), -1);
	assert_null(m);
	assert_non_null(strstr(error, "manifest.json:3:"));
	free(error);
}

static void test_a_missing_field_names_the_plan_and_field(void **state)
{
	write_manifest(*state, "{\"city_id\": \"x\", \"file\": \"x.txt\"}");
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(*state, &m, &error), -1);
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
	assert_int_equal(pi_manifest_load(*state, &m, &error), -1);
	assert_non_null(strstr(error, "repeats"));
	free(error);
}

static void test_a_missing_manifest_says_so(void **state)
{
	pi_manifest_t *m = NULL;
	char *error = NULL;
	assert_int_equal(pi_manifest_load(*state, &m, &error), -1);
	assert_non_null(strstr(error, "manifest.json"));
	free(error);
}

static void load_one(const char *dir, pi_manifest_t **m, pi_plan_t **plan, int expect_rc,
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
	load_one(*state, &m, &plan, 0, &error);
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
	load_one(*state, &m, &plan, -1, &error);
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
	load_one(*state, &m, &plan, -1, &error);
	assert_non_null(strstr(error, "body_lines"));
	free(error);
	pi_manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_bundled_manifest_lists_the_five_plans),
#define T(fn) cmocka_unit_test_setup_teardown(fn, tmpdir_setup, tmpdir_teardown)
		T(test_malformed_json_names_the_file_and_line),
		T(test_a_missing_field_names_the_plan_and_field),
		T(test_repeated_city_ids_are_refused),
		T(test_a_missing_manifest_says_so),
		T(test_a_plan_is_parsed_within_its_body_lines),
		T(test_invalid_utf8_names_the_file_line_and_byte),
		T(test_body_lines_past_the_end_of_the_file_are_refused),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
