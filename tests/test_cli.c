/* test_cli.c: the policy-index and policy-query programs as a user runs them: output and exit status. */
#include "test.h"

#include "tmpdir.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;
static char db[1024];

typedef struct run {
	int status;  /* exit status, or -1 if it did not exit normally */
	char *out;   /* stdout, NUL-terminated */
	char *err;   /* stderr, NUL-terminated */
} run_t;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);
	size_t n = f ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* Run argv (argv[0] a path) with stdout and stderr captured, stdin empty. */
static run_t run(const char *const *argv)
{
	char out_path[1100], err_path[1100];
	snprintf(out_path, sizeof out_path, "%s/stdout", dir);
	snprintf(err_path, sizeof err_path, "%s/stderr", dir);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int wstatus = 0;
	waitpid(pid, &wstatus, 0);
	run_t r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, slurp(out_path), slurp(err_path)};
	return r;
}

static void run_free(run_t *r)
{
	free(r->out);
	free(r->err);
}

#define assert_contains(haystack, needle)                                                      \
	do {                                                                                   \
		if (strstr((haystack), (needle)) == NULL)                                      \
			fail_msg("expected \"%s\" in:\n%s", (needle), (haystack));              \
	} while (0)

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
	assert_contains(r.out, "[通化市“十四五”教育事业发展规划]");
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

static void test_help_describes_every_option(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "search", "--help", NULL});
	assert_int_equal(r.status, 0);
	static const char *const options[] = {"--db", "--city", "--limit", "--all", "--format"};
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
		cmocka_unit_test(test_bad_usage_exits_2_with_a_message),
		cmocka_unit_test(test_policy_index_refuses_stray_arguments),
		cmocka_unit_test(test_help_describes_every_option),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
