/* test_output.c: where output goes: -o into devices, FIFOs, pipes and through links, and write errors reported. */
#define _DEFAULT_SOURCE /* setgroups, lchown */
#include "test.h"

#include "nobody.h"
#include "run.h"
#include "strbuf.h"
#include "tmpdir.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static struct {
	char *dir;     /* this suite's temporary directory, readable by everyone */
	char db[1100]; /* the bundled corpus, indexed */
} fx;

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&fx.dir) != 0 || chmod(fx.dir, 0755) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	return run_index(fx.dir, test_env("CORPUS_DIR"), fx.db);
}

static int group_teardown(void **state)
{
	(void)state;
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

static void path_in(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", fx.dir, name);
}

/* The commands that take -o, each writing a table of 双减 to `out`. */
typedef struct command {
	const char *name;
	const char *args[8];
	const char *expect; /* a line the output holds */
} command_t;

static const command_t commands[] = {
	{"freq csv", {"freq", NULL}, "双减,通化市,tonghua,2,2,"},
	{"freq json", {"freq", "--format", "json", NULL}, "\"term\":\"双减\""},
	{"kwic text", {"kwic", NULL}, "tonghua/3.4/4"},
	{"kwic csv", {"kwic", "--format", "csv", NULL}, "通化市,tonghua,tonghua/3.4/4"},
};

/* argv of `c` with --db and -o out, the term last; static storage, valid until the next call */
static const char *const *argv_of(const command_t *c, const char *out)
{
	static const char *argv[24];
	size_t n = 0;
	argv[n++] = test_env("POLICY_QUERY");
	for (size_t i = 0; c->args[i] != NULL; i++)
		argv[n++] = c->args[i];
	argv[n++] = "--db";
	argv[n++] = fx.db;
	argv[n++] = "-o";
	argv[n++] = out;
	argv[n++] = "双减";
	argv[n] = NULL;
	return argv;
}

/* What `c` writes to standard output, for comparison. */
static char *expected_output(const command_t *c)
{
	run_t r = run_program(fx.dir, argv_of(c, "-"));
	assert_int_equal(r.status, 0);
	assert_contains(r.out, c->expect);
	free(r.err);
	return r.out;
}

static bool temp_left(const char *dir)
{
	return tmpdir_holds(dir, ".policy-query-");
}

/* Assert that path (not followed) is of this kind: S_IFLNK, S_IFIFO, S_IFREG. */
static void assert_kind(const char *path, mode_t kind)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	if ((st.st_mode & S_IFMT) != kind)
		fail_msg("%s is of kind %o, not %o", path, st.st_mode & S_IFMT, kind);
}

/* A character device of our own like /dev/null (minor 3) or /dev/full (minor 7), made in
 * the test directory as root, so that the code before the fix, which replaced it, replaced
 * nothing of the machine's; elsewhere the machine's own, which a user cannot replace.
 * Skips when neither can be written. */
static void char_device(const char *name, unsigned minor, char *path, size_t size)
{
	path_in(path, size, name);
	if (geteuid() != 0 || mknod(path, S_IFCHR | 0666, makedev(1, minor)) != 0)
		snprintf(path, size, "%s", minor == 3 ? "/dev/null" : "/dev/full");
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		skip(); /* a file system that refuses devices (nodev) */
	close(fd);
}

static void assert_still_device(const char *path, unsigned minor)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	if (!S_ISCHR(st.st_mode))
		fail_msg("%s is no longer a character device (mode %o)", path, st.st_mode);
	assert_int_equal(major(st.st_rdev), 1);
	assert_int_equal(minor(st.st_rdev), minor);
}

/* Every command with -o into our own device like /dev/null or /dev/full (minor 3 or 7):
 * it exits `status` with stderr `says` (a format for the device's path; "" for nothing),
 * writes nothing to standard output, and the device stays a device. */
static void run_into_device(const char *name, unsigned minor, int status, const char *says)
{
	char device[1200], expect[1400];
	char_device(name, minor, device, sizeof device);
	snprintf(expect, sizeof expect, says, device);
	for (size_t i = 0; i < N_OF(commands); i++) {
		run_t r = run_program(fx.dir, argv_of(&commands[i], device));
		if (r.status != status || strcmp(r.err, expect) != 0)
			fail_msg("%s: exit %d, stderr: %s", commands[i].name, r.status, r.err);
		assert_int_equal(r.out_len, 0);
		run_free(&r);
		assert_still_device(device, minor);
		assert_false(temp_left(fx.dir));
	}
}

static void test_output_to_dev_null_writes_through_without_rename(void **state)
{
	(void)state;
	run_into_device("null", 3, 0, "");
}

static void test_output_to_dev_full_reports_no_space_and_exits_1(void **state)
{
	(void)state;
	run_into_device("full", 7, 1, "policy-query: cannot write %s: No space left on device\n");
}

static void test_output_to_a_fifo_is_read_by_its_reader_and_the_fifo_stays(void **state)
{
	(void)state;
	char fifo[1200], got[1200];
	path_in(fifo, sizeof fifo, "fifo");
	path_in(got, sizeof got, "fifo-read");
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	for (size_t i = 0; i < N_OF(commands); i++) {
		char *expected = expected_output(&commands[i]);
		pid_t reader = fork();
		if (reader == 0) { /* copies the FIFO to a file */
			alarm(60);
			FILE *in = fopen(fifo, "rb"), *out = fopen(got, "wb");
			int ch;
			while (in && out && (ch = getc(in)) != EOF)
				putc(ch, out);
			_exit(in && out && fclose(out) == 0 ? 0 : 1);
		}
		run_opts_t opts = {.prepare = run_guard_child};
		run_t r = run_opts(fx.dir, &opts, argv_of(&commands[i], fifo));
		int wstatus = 0;
		if (r.status != 0) {
			kill(reader, SIGKILL);
			fail_msg("%s: exit %d, stderr: %s", commands[i].name, r.status, r.err);
		}
		assert_int_equal(waitpid(reader, &wstatus, 0), reader);
		assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
		char *read_back = run_slurp(got, NULL);
		assert_string_equal(read_back, expected);
		assert_kind(fifo, S_IFIFO);
		assert_false(temp_left(fx.dir));
		free(read_back);
		free(expected);
		run_free(&r);
	}
}

/* Run argv with standard output a pipe, as `policy-query … | less` has it; what came through
 * the pipe in *out. Returns the exit status. */
static int run_into_pipe(const char *const *argv, char **out)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(60);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	close(fds[1]);
	strbuf_t sb = STRBUF_INIT;
	char buf[4096];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) > 0)
		strbuf_append(&sb, buf, (size_t)n);
	close(fds[0]);
	int wstatus = 0;
	assert_int_equal(waitpid(pid, &wstatus, 0), pid);
	*out = strbuf_steal(&sb);
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

/* /dev/stdout is a link to /proc/self/fd/1; a link of our own to it stands in for it, so
 * that the code before the fix replaced our link and not the machine's. */
static void test_output_through_a_link_to_standard_output_reaches_the_pipe(void **state)
{
	(void)state;
	char link[1200];
	path_in(link, sizeof link, "stdout-link");
	unlink(link);
	assert_int_equal(symlink("/proc/self/fd/1", link), 0);
	for (size_t i = 0; i < N_OF(commands); i++) {
		char *expected = expected_output(&commands[i]), *got = NULL;
		int status = run_into_pipe(argv_of(&commands[i], link), &got);
		if (status != 0)
			fail_msg("%s: exit %d", commands[i].name, status);
		assert_string_equal(got, expected);
		assert_kind(link, S_IFLNK);
		assert_false(temp_left(fx.dir));
		free(got);
		free(expected);
	}
}

/* A link to nothing has its target created, and the link stays, as README says; so does
 * each link of a chain. */
static void test_a_dangling_link_is_written_through_to_its_target(void **state)
{
	(void)state;
	char a[1200], b[1200], c[1200];
	path_in(a, sizeof a, "chain-a");
	path_in(b, sizeof b, "chain-b");
	path_in(c, sizeof c, "chain-c.out");
	unlink(a);
	unlink(b);
	unlink(c);
	assert_int_equal(symlink("chain-b", a), 0); /* relative: beside the link */
	assert_int_equal(symlink(c, b), 0);
	char *expected = expected_output(&commands[0]);
	for (size_t k = 0; k < 2; k++) { /* created, then replaced */
		run_t r = run_program(fx.dir, argv_of(&commands[0], a));
		if (r.status != 0)
			fail_msg("exit %d, stderr: %s", r.status, r.err);
		run_free(&r);
		assert_kind(a, S_IFLNK);
		assert_kind(b, S_IFLNK);
		assert_kind(c, S_IFREG);
		char *now = run_slurp(c, NULL);
		assert_string_equal(now, expected);
		free(now);
		assert_false(temp_left(fx.dir));
	}
	free(expected);
}

/* An existing file in a directory where no temporary file can be made: the message names
 * the file and the directory and why, intact (it used to print freed memory). */
static void test_a_file_that_cannot_be_replaced_is_named_with_the_reason(void **state)
{
	(void)state;
	char locked[1200], out[1300], says[4000];
	path_in(locked, sizeof locked, "locked");
	mkdir(locked, 0755);
	snprintf(out, sizeof out, "%s/out-with-a-long-enough-name.out", locked);
	tmpdir_write(locked, "out-with-a-long-enough-name.out", "old", 3);
	assert_int_equal(chmod(out, 0666), 0);
	assert_int_equal(chmod(locked, 0555), 0);
	snprintf(says, sizeof says, "policy-query: cannot write %s: no temporary file can be made "
		 "in %s to replace it with (Permission denied)\n", out, locked);
	for (size_t i = 0; i < N_OF(commands); i++) {
		run_opts_t opts = {.prepare = run_as_nobody};
		run_t r = run_opts(fx.dir, &opts, argv_of(&commands[i], out));
		if (r.status != 1 || strcmp(r.err, says) != 0)
			fail_msg("%s: exit %d, stderr: %s", commands[i].name, r.status, r.err);
		run_free(&r);
		char *now = run_slurp(out, NULL);
		assert_string_equal(now, "old");
		free(now);
	}
	chmod(locked, 0755);
}

/* In a sticky, world-writable directory (/tmp), a link is followed only when it is ours or
 * the directory owner's: another user's link to a file of ours must not get it replaced. */
static void test_a_link_in_a_sticky_directory_is_followed_only_when_ours_or_its_owners(void **s)
{
	(void)s;
	static const struct {
		bool link_ours, dir_ours, followed;
	} cases[] = {
		{false, true, false}, /* someone else's link in our /tmp */
		{true, true, true},   /* our own */
		{false, false, true}, /* the directory's owner's */
	};
	const uid_t us = geteuid();
	char sticky[1200], target[1200], link[1300];
	path_in(sticky, sizeof sticky, "sticky");
	path_in(target, sizeof target, "precious.out");
	snprintf(link, sizeof link, "%s/link.out", sticky);
	mkdir(sticky, 0755);
	assert_int_equal(chmod(sticky, 01777), 0);
	char *expected = expected_output(&commands[0]);
	for (size_t i = 0; i < N_OF(cases); i++) {
		tmpdir_write(fx.dir, "precious.out", "precious", 8);
		unlink(link);
		assert_int_equal(symlink(target, link), 0);
		if (lchown(link, cases[i].link_ours ? us : NOBODY, (gid_t)-1) != 0 ||
		    chown(sticky, cases[i].dir_ours ? us : NOBODY, (gid_t)-1) != 0) {
			if (us == 0)
				fail_msg("root cannot chown: %s", strerror(errno));
			continue; /* only root can give a file away; the other cases still run */
		}
		run_t r = run_program(fx.dir, argv_of(&commands[0], link));
		char *now = run_slurp(target, NULL);
		if (cases[i].followed) {
			if (r.status != 0)
				fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
			assert_string_equal(now, expected);
		} else {
			if (r.status != 1 || strstr(r.err, "belongs to another user") == NULL)
				fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
			assert_string_equal(now, "precious");
		}
		assert_kind(link, S_IFLNK);
		assert_false(temp_left(sticky));
		assert_false(temp_left(fx.dir));
		free(now);
		run_free(&r);
	}
	free(expected);
	assert_int_equal(chown(sticky, us, (gid_t)-1), 0);
}

/* Standard output on a full disk: every command says so and exits non-zero (policy-index
 * used to exit 0 after --help, --outline and --check, and policy-query after --help). */
static void test_every_command_reports_standard_output_it_cannot_write(void **state)
{
	(void)state;
	char full[1200], db[1200];
	char_device("full", 7, full, sizeof full);
	path_in(db, sizeof db, "full-stdout-index");
	const char *pi = test_env("POLICY_INDEX"), *pq = test_env("POLICY_QUERY"),
		   *corpus = test_env("CORPUS_DIR");
	const char *const cases[][12] = {
		{pi, "--help", NULL},
		{pi, "--outline", "--corpus", corpus, NULL},
		{pi, "--corpus", corpus, "--db", db, NULL}, /* a build's summary line */
		{pi, "--check", "--corpus", corpus, "--db", db, NULL},
		{pi, "--add", "dalian.txt", "--corpus", corpus, "--db", db, NULL},
		{pi, "--remove", "dalian", "--db", db, NULL},
		{pq, "--help", NULL},
		{pq, "cite", "--help", NULL},
		{pq, "freq", "--help", NULL},
		{pq, "kwic", "--help", NULL},
		{pq, "--db", fx.db, "双减", NULL},
		{pq, "--db", fx.db, "--format", "json", "双减", NULL},
		{pq, "cite", "--db", fx.db, "--format", "json", "dalian/3.8.1/2", NULL},
		{pq, "kwic", "--db", fx.db, "双减", NULL},
		{pq, "freq", "--db", fx.db, "双减", NULL},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		run_opts_t opts = {.out_path = full};
		run_t r = run_opts(fx.dir, &opts, cases[i]);
		if (r.status != 1 || strstr(r.err, "No space left on device") == NULL)
			fail_msg("%s %s: exit %d, stderr: %s", cases[i][0], cases[i][1], r.status,
				 r.err);
		run_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_to_dev_null_writes_through_without_rename),
		cmocka_unit_test(test_output_to_dev_full_reports_no_space_and_exits_1),
		cmocka_unit_test(test_output_to_a_fifo_is_read_by_its_reader_and_the_fifo_stays),
		cmocka_unit_test(test_output_through_a_link_to_standard_output_reaches_the_pipe),
		cmocka_unit_test(test_a_dangling_link_is_written_through_to_its_target),
		cmocka_unit_test(test_a_file_that_cannot_be_replaced_is_named_with_the_reason),
		cmocka_unit_test(
			test_a_link_in_a_sticky_directory_is_followed_only_when_ours_or_its_owners),
		cmocka_unit_test(test_every_command_reports_standard_output_it_cannot_write),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
