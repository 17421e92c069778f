/* run.h: running a built program as a user would: given input; its output, status and peak memory. */
#ifndef TESTS_RUN_H
#define TESTS_RUN_H

#include "test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run {
	int status;     /* exit status, or -1 if it did not exit normally */
	char *out;      /* stdout, NUL-terminated */
	size_t out_len; /* bytes of stdout, without the NUL */
	char *err;      /* stderr, NUL-terminated */
	long max_rss_kb; /* peak resident set size of the largest child waited for so far
			  * (getrusage's RUSAGE_CHILDREN): an upper bound for this one */
} run_t;

/* Read a whole file (NUL-terminated, *len bytes); an empty buffer if it cannot be read. */
static inline char *run_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf != NULL && f != NULL) {
		if (n + 1 == cap) {
			char *grown = realloc(buf, cap *= 2);
			if (grown == NULL)
				break;
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		if (got == 0)
			break;
		n += got;
	}
	if (f != NULL)
		fclose(f);
	if (buf == NULL)
		abort();
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/* How a child is run, beyond its arguments. */
typedef struct run_opts {
	const char *cwd;        /* NULL: the current directory */
	const char *input;      /* standard input's text (NULL: empty), unless input_path */
	const char *input_path; /* a file (a device, a FIFO) to read standard input from */
	const char *out_path;   /* where standard output goes (NULL: a file read back into
				 * run_t.out); another path, /dev/full say, is not read back */
	void (*prepare)(void);  /* called in the child just before exec; may be NULL */
} run_opts_t;

/* Run argv (argv[0] a path, NULL-terminated) as `opts` says, using files in scratch_dir for
 * the streams. */
static inline run_t run_opts(const char *scratch_dir, const run_opts_t *opts,
			     const char *const *argv)
{
	char in_path[1100], out_path[1100], err_path[1100];
	snprintf(in_path, sizeof in_path, "%s/stdin", scratch_dir);
	snprintf(out_path, sizeof out_path, "%s/stdout", scratch_dir);
	snprintf(err_path, sizeof err_path, "%s/stderr", scratch_dir);
	FILE *f = fopen(in_path, "wb");
	if (f == NULL || (opts->input && fputs(opts->input, f) < 0) || fclose(f) != 0)
		abort();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(opts->input_path ? opts->input_path : in_path, O_RDONLY);
		int out = open(opts->out_path ? opts->out_path : out_path,
			       O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		if (opts->cwd != NULL && chdir(opts->cwd) != 0)
			_exit(126);
		if (opts->prepare != NULL)
			opts->prepare();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0) /* never let a failed fork turn a later kill(pid) into kill(-1) */
		abort();
	int wstatus = 0;
	struct rusage usage = {0};
	if (waitpid(pid, &wstatus, 0) != pid || getrusage(RUSAGE_CHILDREN, &usage) != 0)
		abort();
	run_t r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, NULL, 0, NULL,
		   usage.ru_maxrss};
	r.out = opts->out_path ? calloc(1, 1) : run_slurp(out_path, &r.out_len);
	r.err = run_slurp(err_path, NULL);
	if (r.out == NULL)
		abort();
	return r;
}

/* Run argv in `cwd` (NULL: the current directory) with `input` as standard input (NULL:
 * empty), using files in scratch_dir for the streams. */
static inline run_t run_in(const char *scratch_dir, const char *cwd, const char *input,
			   const char *const *argv)
{
	run_opts_t opts = {.cwd = cwd, .input = input};
	return run_opts(scratch_dir, &opts, argv);
}

/* In a child under AddressSanitizer, add `option` ("quarantine_size_mb=16") to the
 * ASAN_OPTIONS it inherited; elsewhere nothing. */
static inline void run_asan_option(const char *option)
{
#if UNDER_ASAN
	char options[1024];
	const char *was = getenv("ASAN_OPTIONS");
	snprintf(options, sizeof options, "%s%s%s", was ? was : "", was && *was ? ":" : "",
		 option);
	setenv("ASAN_OPTIONS", options, 1);
#else
	(void)option;
#endif
}

/* For run_opts_t.prepare: in the child, a guard for a program that might read without end
 * (the code before a fix did): at most 1 GB of memory (under AddressSanitizer, whose shadow
 * memory an address-space limit would refuse, its own hard_rss_limit_mb), and SIGALRM after
 * 60 seconds for one that would wait for ever. A guard only: what the tests assert is the
 * program's own message and status, long before either. */
static inline void run_guard_child(void)
{
#if UNDER_ASAN
	run_asan_option("hard_rss_limit_mb=1024");
#else
	struct rlimit lim = {1UL << 30, 1UL << 30};
	setrlimit(RLIMIT_AS, &lim);
#endif
	alarm(60);
}

/* Run argv with standard input empty, in the current directory. */
static inline run_t run_program(const char *scratch_dir, const char *const *argv)
{
	return run_in(scratch_dir, NULL, NULL, argv);
}

/* Index `corpus` into `db` with the built policy-index, quietly (streams in scratch_dir).
 * Returns 0, or -1 after printing why: for a suite's group setup. */
static inline int run_index(const char *scratch_dir, const char *corpus, const char *db)
{
	const char *argv[] = {getenv("POLICY_INDEX"), "--corpus", corpus, "--db", db, "--quiet",
			      NULL};
	if (argv[0] == NULL) {
		fprintf(stderr, "POLICY_INDEX is not set (run the tests with meson test)\n");
		return -1;
	}
	run_t r = run_program(scratch_dir, argv);
	int rc = r.status == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "policy-index failed (%d): %s\n", r.status, r.err);
	free(r.out);
	free(r.err);
	return rc;
}

static inline void run_free(run_t *r)
{
	free(r->out);
	free(r->err);
}

/* Build an index of the corpus directory `corpus` into db with the built policy-index,
 * quietly, run from scratch_dir. Returns 0, or -1 after printing policy-index's message. */
static inline int run_build_index(const char *scratch_dir, const char *corpus, const char *db)
{
	run_t r = run_program(scratch_dir, (const char *[]){test_env("POLICY_INDEX"), "--corpus",
							   corpus, "--db", db, "--quiet", NULL});
	int rc = r.status == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "policy-index --corpus %s failed (%d): %s\n", corpus, r.status,
			r.err);
	run_free(&r);
	return rc;
}

#endif
