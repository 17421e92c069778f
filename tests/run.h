/* run.h: run a built program with its output captured, its exit status and its peak memory. */
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
	int status;      /* exit status, or -1 if it did not exit normally */
	char *out;       /* stdout, NUL-terminated; owned */
	char *err;       /* stderr, NUL-terminated; owned */
	long max_rss_kb; /* the child's peak resident set size */
} run_t;

static inline char *run_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);
	size_t n = f && buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	if (buf)
		buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/* Run argv (argv[0] a path) with stdin empty and stdout and stderr captured in files under
 * dir. Aborts if it cannot fork. Free the result with run_free. */
static inline run_t run_program(const char *dir, const char *const *argv)
{
	char out_path[4200], err_path[4200];
	snprintf(out_path, sizeof out_path, "%s/run-stdout", dir);
	snprintf(err_path, sizeof err_path, "%s/run-stderr", dir);
	pid_t pid = fork();
	if (pid < 0)
		abort();
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
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	wait4(pid, &wstatus, 0, &ru);
	run_t r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, run_slurp(out_path),
		   run_slurp(err_path), ru.ru_maxrss};
	return r;
}

static inline void run_free(run_t *r)
{
	free(r->out);
	free(r->err);
}

#endif
