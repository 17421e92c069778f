/* test_memory.c: the memory of search, cite, kwic and freq does not grow with what they write. */
#define _DEFAULT_SOURCE /* wait4, for the peak memory of one child */
#include "test.h"

#include "run.h"
#include "tmpdir.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A plan of this many one-clause lines, each holding 措施: as many hits, ids, occurrences. */
#define N_LINES 20000

/* How much more the big run may take than the small one, in KB: far less than what holding
 * every hit took before (JSON: some 8 KB a hit, 160 MB here; cite: some 14 KB an id). Under
 * AddressSanitizer freed memory waits in a quarantine (16 MB here, see run_peak) before it is
 * reused. */
#if UNDER_ASAN
#define GROWTH_KB (48 * 1024)
#else
#define GROWTH_KB (12 * 1024)
#endif

static struct {
	char *dir;
	char corpus[1100], db[1100];
	char ids[1200];   /* N_LINES ids, one a line */
	char one_id[1200]; /* the first of them */
	char terms[1200]; /* N_LINES made-up terms, one a line */
} fx;

static void write_synthetic_corpus(void)
{
	char path[1200];
	snprintf(fx.corpus, sizeof fx.corpus, "%s/corpus", fx.dir);
	mkdir(fx.corpus, 0755);
	snprintf(path, sizeof path, "%s/syn.txt", fx.corpus);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("合成规划\n一、总则\n", f);
	for (int i = 0; i < N_LINES; i++)
		fprintf(f, "第%d项措施要落实到位。\n", i);
	assert_int_equal(fclose(f), 0);
	char manifest[600];
	int n = snprintf(manifest, sizeof manifest,
			 "{\"plans\": [{\"city_id\": \"syn\", \"file\": \"syn.txt\", \"city\": "
			 "\"合成市\", \"province\": \"测试省\", \"title\": \"合成规划\", "
			 "\"title_supplied\": false, \"date\": null, \"body_lines\": [2, %d]}]}\n",
			 N_LINES + 2);
	tmpdir_write(fx.corpus, "manifest.json", manifest, (size_t)n);

	snprintf(fx.ids, sizeof fx.ids, "%s/ids.txt", fx.dir);
	snprintf(fx.one_id, sizeof fx.one_id, "%s/one-id.txt", fx.dir);
	snprintf(fx.terms, sizeof fx.terms, "%s/terms.txt", fx.dir);
	FILE *ids = fopen(fx.ids, "wb"), *terms = fopen(fx.terms, "wb");
	assert_non_null(ids);
	assert_non_null(terms);
	for (int i = 1; i <= N_LINES; i++) {
		fprintf(ids, "syn/1/%d\n", i);
		fprintf(terms, "%d项\n", i);
	}
	assert_int_equal(fclose(ids), 0);
	assert_int_equal(fclose(terms), 0);
	tmpdir_write(fx.dir, "one-id.txt", "syn/1/1\n", 8);
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	write_synthetic_corpus();
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	return run_index(fx.dir, fx.corpus, fx.db);
}

static int group_teardown(void **state)
{
	(void)state;
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

/* Run policy-query with `args` (after the program's name), standard input from `input`
 * (NULL: /dev/null), standard output to /dev/null; returns its own peak resident memory in
 * KB, and fails the test unless it exits 0. */
static long run_peak(const char *const *args, const char *input)
{
	const char *argv[24] = {test_env("POLICY_QUERY")};
	size_t n = 1;
	for (; *args != NULL && n < 23; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	char err_path[1200];
	snprintf(err_path, sizeof err_path, "%s/stderr", fx.dir);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(input ? input : "/dev/null", O_RDONLY);
		int out = open("/dev/null", O_WRONLY);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		run_asan_option("quarantine_size_mb=16");
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	int wstatus = 0;
	struct rusage usage = {0};
	assert_int_equal(wait4(pid, &wstatus, 0, &usage), pid);
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
		char *err = run_slurp(err_path, NULL);
		fail_msg("%s %s: status %d: %s", argv[1], argv[2], wstatus, err);
	}
	return usage.ru_maxrss;
}

/* Each case runs the same work twice, writing little and writing everything; the second
 * may take at most GROWTH_KB more. */
typedef struct pair {
	const char *what;
	const char *small[12], *small_input;
	const char *big[12], *big_input;
} pair_t;

static void check_pairs(const pair_t *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		long small = run_peak(pairs[i].small, pairs[i].small_input);
		long big = run_peak(pairs[i].big, pairs[i].big_input);
		fprintf(stderr, "# %s: %ld KB, writing everything %ld KB\n", pairs[i].what, small,
			big);
		if (big - small > GROWTH_KB)
			fail_msg("%s: %ld KB writing everything, %ld KB writing little: it grows "
				 "with the output", pairs[i].what, big, small);
	}
}

static void test_search_all_holds_no_hit_once_it_is_written(void **state)
{
	(void)state;
	const pair_t pairs[] = {
		{"search --all json",
		 {"--db", fx.db, "--format", "json", "--limit", "1", "措施", NULL}, NULL,
		 {"--db", fx.db, "--format", "json", "--all", "措施", NULL}, NULL},
		{"search --all text",
		 {"--db", fx.db, "--limit", "1", "措施", NULL}, NULL,
		 {"--db", fx.db, "--all", "措施", NULL}, NULL},
		{"search --all json, paragraph scope",
		 {"--db", fx.db, "--format", "json", "--scope", "paragraph", "--limit", "1", "措施",
		  NULL}, NULL,
		 {"--db", fx.db, "--format", "json", "--scope", "paragraph", "--all", "措施", NULL},
		 NULL},
	};
	check_pairs(pairs, N_OF(pairs));
}

static void test_cite_of_many_ids_holds_no_citation_once_it_is_written(void **state)
{
	(void)state;
	const pair_t pairs[] = {
		{"cite json", {"cite", "--db", fx.db, "--format", "json", "-", NULL}, fx.one_id,
		 {"cite", "--db", fx.db, "--format", "json", "-", NULL}, fx.ids},
		{"cite text", {"cite", "--db", fx.db, "-", NULL}, fx.one_id,
		 {"cite", "--db", fx.db, "-", NULL}, fx.ids},
	};
	check_pairs(pairs, N_OF(pairs));
}

/* kwic and freq compute everything before they write: the same work written as a table and
 * as JSON must take the same memory. */
static void test_kwic_json_takes_no_more_than_its_table(void **state)
{
	(void)state;
	const pair_t pairs[] = {
		{"kwic json", {"kwic", "--db", fx.db, "--width", "200", "--format", "csv", "措施",
			       NULL}, NULL,
		 {"kwic", "--db", fx.db, "--width", "200", "--format", "json", "措施", NULL}, NULL},
	};
	check_pairs(pairs, N_OF(pairs));
}

static void test_freq_json_takes_no_more_than_its_table(void **state)
{
	(void)state;
	const pair_t pairs[] = {
		{"freq json", {"freq", "--db", fx.db, "-f", fx.terms, NULL}, NULL,
		 {"freq", "--db", fx.db, "--format", "json", "-f", fx.terms, NULL}, NULL},
	};
	check_pairs(pairs, N_OF(pairs));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_all_holds_no_hit_once_it_is_written),
		cmocka_unit_test(test_cite_of_many_ids_holds_no_citation_once_it_is_written),
		cmocka_unit_test(test_kwic_json_takes_no_more_than_its_table),
		cmocka_unit_test(test_freq_json_takes_no_more_than_its_table),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
