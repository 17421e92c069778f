/* run.h: running a built program as a user would: given input; its output, status and peak memory. */
#ifndef TESTS_RUN_H
#define TESTS_RUN_H

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

/* Run argv (argv[0] a path, NULL-terminated) in `cwd` (NULL: the current directory) with
 * `input` as standard input (NULL: empty), using files in scratch_dir for the streams. */
static inline run_t run_in(const char *scratch_dir, const char *cwd, const char *input,
			   const char *const *argv)
{
	char in_path[1100], out_path[1100], err_path[1100];
	snprintf(in_path, sizeof in_path, "%s/stdin", scratch_dir);
	snprintf(out_path, sizeof out_path, "%s/stdout", scratch_dir);
	snprintf(err_path, sizeof err_path, "%s/stderr", scratch_dir);
	FILE *f = fopen(in_path, "wb");
	if (f == NULL || (input && fputs(input, f) < 0) || fclose(f) != 0)
		abort();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(in_path, O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		if (cwd != NULL && chdir(cwd) != 0)
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int wstatus = 0;
	struct rusage usage = {0};
	if (waitpid(pid, &wstatus, 0) != pid || getrusage(RUSAGE_CHILDREN, &usage) != 0)
		abort();
	run_t r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, NULL, 0, NULL,
		   usage.ru_maxrss};
	r.out = run_slurp(out_path, &r.out_len);
	r.err = run_slurp(err_path, NULL);
	return r;
}

/* Run argv with standard input empty, in the current directory. */
static inline run_t run_program(const char *scratch_dir, const char *const *argv)
{
	return run_in(scratch_dir, NULL, NULL, argv);
}

static inline void run_free(run_t *r)
{
	free(r->out);
	free(r->err);
}

#endif
