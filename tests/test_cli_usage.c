/* test_cli_usage.c: how policy-query reads its arguments: options anywhere, unknown ones refused with the nearest, -word, --, --version. */
#include "test.h"

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

/* Run policy-query with --db first and then args (NULL-terminated). */
static run_t query(const char *const *args)
{
	const char *argv[24] = {test_env("POLICY_QUERY"), "--db", db};
	size_t n = 3;
	for (size_t i = 0; args[i] != NULL && n < 23; i++)
		argv[n++] = args[i];
	return run(argv);
}

static void test_an_unknown_option_exits_2_with_the_nearest_known_one(void **state)
{
	(void)state;
	static const struct {
		const char *args[6], *says;
	} cases[] = {
		{{"--limt", "3", "双减", NULL}, "unknown option '--limt' (did you mean --limit?)"},
		{{"-limit", "3", "双减", NULL}, "unknown option '-limit' (did you mean --limit?)"},
		{{"--fromat=csv", "双减", NULL}, "(did you mean --format?)"},
		{{"--citty", "通化", "双减", NULL}, "(did you mean --city?)"},
		{{"双减", "--scpoe", "section", NULL}, "(did you mean --scope?)"}, /* after a term */
		{{"freq", "--wdie", "双减", NULL}, "(did you mean --wide?)"},
		{{"kwic", "--widht", "5", "双减", NULL}, "(did you mean --width?)"},
		{{"-作业", "双减", NULL}, "unknown option '-作业'"}, /* before any term */
		{{"--nonsense-option", "双减", NULL}, "unknown option '--nonsense-option'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_t r = query(cases[i].args);
		if (r.status != 2 || strstr(r.err, cases[i].says) == NULL || r.out_len != 0)
			fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
		run_free(&r);
	}
	/* policy-index and policy-serve read their options the same way */
	static const char *const others[][3] = {{"POLICY_INDEX", "--quite", "--quiet"},
						{"POLICY_INDEX", "--chek", "--check"},
						{"POLICY_SERVE", "--thread", "--threads"}};
	for (size_t i = 0; i < 3; i++) {
		run_t r = run((const char *[]){test_env(others[i][0]), others[i][1], NULL});
		char says[96];
		snprintf(says, sizeof says, "(did you mean %s?)", others[i][2]);
		if (r.status != 2 || strstr(r.err, says) == NULL)
			fail_msg("%s %s: exit %d: %s", others[i][0], others[i][1], r.status, r.err);
		run_free(&r);
	}
	/* nothing near: no guess */
	run_t r = query((const char *[]){"--nonsense-option", "双减", NULL});
	assert_null(strstr(r.err, "did you mean"));
	run_free(&r);
}

static void test_short_options_take_their_values_instead_of_searching_for_them(void **state)
{
	(void)state;
	run_t r = query((const char *[]){"-n", "1", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "4 passages");
	assert_contains(r.out, "(showing 1–1;");
	run_free(&r);
	r = query((const char *[]){"双减", "-n", "2", NULL}); /* after the term too */
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "(showing 1–2;");
	run_free(&r);
}

static void test_a_dash_word_after_a_term_or_double_dash_is_an_exclusion(void **state)
{
	(void)state;
	static const char *const cases[][6] = {
		{"--format", "json", "双减", "-课后服务", NULL},
		{"--format", "json", "--", "-课后服务", "双减"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_t r = query(cases[i]);
		if (r.status != 0)
			fail_msg("case %zu: exit %d: %s", i, r.status, r.err);
		assert_contains(r.out, "-课后服务");
		assert_null(strstr(r.out, "\"total\":4")); /* fewer than 双减's 4 */
		run_free(&r);
	}
	/* after --, an option's name is a term: -n is excluded, not a limit */
	run_t r = query((const char *[]){"--format", "json", "--", "双减", "-n", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "\"total\":4");
	run_free(&r);
}

static void test_options_may_come_before_the_command(void **state)
{
	(void)state;
	run_t r = query((const char *[]){"--city", "通化", "freq", "--by", "document", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "双减,通化市,tonghua,");
	assert_null(strstr(r.out, "dandong"));
	run_free(&r);
	r = query((const char *[]){"--width", "3", "kwic", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "⟪双减⟫");
	run_free(&r);
}

static void test_version_names_the_program_and_the_index_schema(void **state)
{
	(void)state;
	static const char *const progs[][2] = {{"POLICY_QUERY", "policy-query "},
					       {"POLICY_INDEX", "policy-index "},
					       {"POLICY_SERVE", "policy-serve "}};
	for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		run_t r = run((const char *[]){test_env(progs[i][0]), "--version", NULL});
		assert_int_equal(r.status, 0);
		assert_true(strncmp(r.out, progs[i][1], strlen(progs[i][1])) == 0);
		assert_contains(r.out, "index schema");
		run_free(&r);
	}
	run_t r = query((const char *[]){"search", "--version", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "policy-query ");
	run_free(&r);
}

static void test_index_refuses_a_frequent_threshold_that_is_not_a_whole_number(void **state)
{
	(void)state;
	static const char *const bad[][2] = {
		{"--frequent", "x"},      {"--frequent", "-1"},      {"--frequent", "1.5"},
		{"--frequent", ""},       {"--frequent", "99999999999"},
		{"--frequent-top", "0"},  {"--frequent-top", "ten"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		run_t r = run((const char *[]){test_env("POLICY_INDEX"), bad[i][0], bad[i][1],
					       "--db", "/nonexistent/never-built", NULL});
		assert_int_equal(r.status, 2);
		assert_contains(r.err, bad[i][0]);
		assert_contains(r.err, "takes a whole number");
		run_free(&r);
	}
}

static void test_province_keeps_its_plans_only(void **state)
{
	(void)state;
	run_t r = query((const char *[]){"--province", "吉林省", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "2 passages: 通化市 2");
	run_free(&r);
}

static void test_date_keeps_plans_dated_inside_and_says_how_many_undated_it_left_out(void **state)
{
	(void)state;
	/* the corpus dates 丹东 2023年1月 and 大连 2021-05-10; three plans print no date */
	static const struct {
		const char *range, *says;
		int status;
	} cases[] = {
		{"2023", "1 passage: 丹东市 1", 0},
		{"2023-01", "1 passage: 丹东市 1", 0},
		{"2021..2023", "1 passage: 丹东市 1", 0},
		{"..2022", "0 passages", 0},
		{"2023-01-15..", "", 2}, /* 2023年1月 is the whole month: not inside */
		{"2023-13", "", 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_t r = query((const char *[]){"--date", cases[i].range, "双减", NULL});
		if (r.status != cases[i].status || strstr(r.out, cases[i].says) == NULL)
			fail_msg("%s: exit %d, stdout %s, stderr %s", cases[i].range, r.status, r.out,
				 r.err);
		if (r.status == 0)
			assert_contains(r.err, "--date leaves out 3 plans with no date");
		run_free(&r);
	}
	run_t r = query((const char *[]){"--date", "2030..", "双减", NULL});
	assert_contains(r.err, "no plan is dated within 2030..");
	assert_contains(r.err, "丹东市 2023年1月");
	run_free(&r);
	r = query((const char *[]){"kwic", "--date", "2021", "--format", "csv", "教育", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "dalian/");
	assert_null(strstr(r.out, "dandong/"));
	run_free(&r);
}

/* The ids of a TSV export, one a line, into ids (the header skipped). */
static size_t csv_ids(const char *out, char ids[][64], size_t max)
{
	size_t n = 0;
	const char *line = strchr(out, '\n');
	while (line != NULL && line[1] != '\0' && n < max) {
		line++;
		size_t len = strcspn(line, "\t");
		snprintf(ids[n++], 64, "%.*s", (int)len, line);
		line = strchr(line, '\n');
	}
	return n;
}

static void test_sort_document_gives_every_hit_in_plan_then_text_order(void **state)
{
	(void)state;
	static const char *const scopes[] = {"clause", "paragraph", "section"};
	for (size_t s = 0; s < 3; s++) {
		run_t d = query((const char *[]){"--sort", "document", "--scope", scopes[s], "--all",
						 "--format", "tsv", "职业教育", NULL});
		run_t p = query((const char *[]){"--sort", "document", "--scope", scopes[s], "-n",
						 "3", "--offset", "2", "--format", "tsv", "职业教育",
						 NULL});
		assert_int_equal(d.status, 0);
		assert_int_equal(p.status, 0);
		static char ids[400][64], page[3][64];
		size_t n = csv_ids(d.out, ids, 400);
		assert_true(n > 5);
		/* the plans in index order (dandong, fuxin, anshan, dalian, tonghua) and in each the
		 * hits by line (below) */
		static const char *const order[] = {"dandong", "fuxin", "anshan", "dalian", "tonghua"};
		size_t plan = 0;
		for (size_t i = 0; i < n; i++) {
			while (plan < 5 && strncmp(ids[i], order[plan], strlen(order[plan])) != 0)
				plan++;
			if (plan == 5)
				fail_msg("%s: %s out of plan order", scopes[s], ids[i]);
		}
		/* a page is a slice of the same order */
		assert_int_equal(csv_ids(p.out, page, 3), 3);
		for (size_t i = 0; i < 3; i++)
			assert_string_equal(page[i], ids[2 + i]);
		run_free(&d);
		run_free(&p);
	}
	/* within a plan, text order: 教育's hits in 通化 by line */
	run_t r = query((const char *[]){"--sort", "document", "--format", "tsv", "--city", "通化",
					 "--all", "教育", NULL});
	assert_int_equal(r.status, 0);
	long last = 0;
	size_t rows = 0;
	for (const char *line = strchr(r.out, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		const char *p = line + 1; /* the line number is the 9th column */
		for (int tabs = 0; tabs < 8 && p != NULL; tabs++)
			p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL;
		assert_non_null(p);
		long ln = strtol(p, NULL, 10);
		assert_true(ln >= last);
		last = ln;
		rows++;
	}
	assert_true(rows > 20);
	run_free(&r);
	r = query((const char *[]){"--sort", "date", "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "score or document");
	run_free(&r);
}

static void test_every_place_that_takes_a_plan_takes_its_city_name(void **state)
{
	(void)state;
	static const char *const names[] = {"丹东市", "丹东", "dandong"};
	for (size_t i = 0; i < 3; i++) {
		char id[64];
		snprintf(id, sizeof id, "%s/2.2/6", names[i]);
		run_t r = query((const char *[]){"cite", "--format", "json", id, NULL});
		if (r.status != 0 || strstr(r.out, "\"id\":\"dandong/2.2/6\"") == NULL)
			fail_msg("cite %s: exit %d: %s%s", id, r.status, r.out, r.err);
		run_free(&r);
		r = query((const char *[]){"kwic", "--city", names[i], "双减", NULL});
		assert_int_equal(r.status, 0);
		assert_contains(r.out, "dandong/2.2/6");
		run_free(&r);
	}
	/* policy-index --remove: by name, without 市, or by id; each its own index */
	static const char *const removes[] = {"通化市", "通化", "tonghua"};
	for (size_t i = 0; i < 3; i++) {
		char copy[1200];
		snprintf(copy, sizeof copy, "%s/index-remove-%zu", dir, i);
		run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--corpus",
					       test_env("CORPUS_DIR"), "--db", copy, "--quiet", NULL});
		assert_int_equal(r.status, 0);
		run_free(&r);
		r = run((const char *[]){test_env("POLICY_INDEX"), "--db", copy, "--remove",
					 removes[i], NULL});
		if (r.status != 0)
			fail_msg("--remove %s: exit %d: %s", removes[i], r.status, r.err);
		assert_contains(r.out, "passages of tonghua;");
		assert_contains(r.out, "now holds 4 plans");
		run_free(&r);
		r = run((const char *[]){test_env("POLICY_QUERY"), "--db", copy, "plans", NULL});
		assert_null(strstr(r.out, "tonghua"));
		assert_contains(r.out, "dandong\t丹东市\t辽宁省\t2023年1月\t");
		run_free(&r);
		r = run((const char *[]){test_env("POLICY_INDEX"), "--db", copy, "--remove", "北京",
					 NULL});
		assert_int_not_equal(r.status, 0);
		assert_contains(r.err, "has no plan '北京'; it has: dandong (丹东市)");
		run_free(&r);
	}
}

static void test_counts_of_one_are_singular(void **state)
{
	(void)state;
	run_t r = query((const char *[]){"--city", "丹东", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "\n1 passage: 丹东市 1");
	run_free(&r);
	r = query((const char *[]){"--city", "丹东", "--scope", "section", "--level", "1", "双减",
				   NULL});
	assert_contains(r.out, "\n1 section: 丹东市 1");
	run_free(&r);
	/* an index of one plan */
	char one[1200], corpus[1200];
	snprintf(corpus, sizeof corpus, "%s/one-corpus", dir);
	snprintf(one, sizeof one, "%s/one-index", dir);
	mkdir(corpus, 0755);
	char src[1200];
	snprintf(src, sizeof src, "%s/dandong.txt", test_env("CORPUS_DIR"));
	size_t len;
	char *text = run_slurp(src, &len);
	tmpdir_write(corpus, "dandong.txt", text, len);
	free(text);
	static const char manifest[] =
		"{\"plans\": [{\"city_id\": \"dandong\", \"file\": \"dandong.txt\", "
		"\"city\": \"丹东市\", \"province\": \"辽宁省\", \"title\": \"丹东\", \"title_supplied\": false, "
		"\"date\": null, \"body_lines\": [5, 282]}]}";
	tmpdir_write(corpus, "manifest.json", manifest, strlen(manifest));
	r = run((const char *[]){test_env("POLICY_INDEX"), "--corpus", corpus, "--db", one, NULL});
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	assert_contains(r.out, "from 1 plan into");
	run_free(&r);
	r = run((const char *[]){test_env("POLICY_INDEX"), "--corpus", corpus, "--db", one,
				 "--check", NULL});
	assert_contains(r.out, "(1 plan)");
	run_free(&r);
}

static void test_a_missing_index_is_named_in_full_with_the_ways_out(void **state)
{
	(void)state;
	/* run in the temporary directory: "index" there is a relative path */
	run_opts_t in_dir = {.cwd = dir};
	run_t r = run_opts(dir, &in_dir, (const char *[]){test_env("POLICY_QUERY"), "--db",
							  "no-such-index", "双减", NULL});
	assert_int_equal(r.status, 2);
	char full[1200];
	snprintf(full, sizeof full, "no index at %s/no-such-index;", dir);
	assert_contains(r.err, full);
	assert_contains(r.err, "$POLICY_SEARCH_DB");
	assert_contains(r.err, "--db");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_unknown_option_exits_2_with_the_nearest_known_one),
		cmocka_unit_test(test_short_options_take_their_values_instead_of_searching_for_them),
		cmocka_unit_test(test_a_dash_word_after_a_term_or_double_dash_is_an_exclusion),
		cmocka_unit_test(test_options_may_come_before_the_command),
		cmocka_unit_test(test_version_names_the_program_and_the_index_schema),
		cmocka_unit_test(test_index_refuses_a_frequent_threshold_that_is_not_a_whole_number),
		cmocka_unit_test(test_province_keeps_its_plans_only),
		cmocka_unit_test(test_date_keeps_plans_dated_inside_and_says_how_many_undated_it_left_out),
		cmocka_unit_test(test_sort_document_gives_every_hit_in_plan_then_text_order),
		cmocka_unit_test(test_every_place_that_takes_a_plan_takes_its_city_name),
		cmocka_unit_test(test_counts_of_one_are_singular),
		cmocka_unit_test(test_a_missing_index_is_named_in_full_with_the_ways_out),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
