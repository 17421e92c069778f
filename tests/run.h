/* run.h: run a program as a user would, with stdout and stderr captured (binary-safe). */
#ifndef TESTS_RUN_H
#define TESTS_RUN_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run {
	int status;     /* exit status, or -1 if it did not exit normally */
	char *out;      /* stdout, NUL-terminated */
	size_t out_len; /* bytes of stdout, without the NUL */
	char *err;      /* stderr, NUL-terminated */
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

/* Run argv (argv[0] a path) with stdin empty, capturing into files under dir. */
static inline run_t run_program(const char *dir, const char *const *argv)
{
	char out_path[4200], err_path[4200];
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
	run_t r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, NULL, 0, NULL};
	r.out = run_slurp(out_path, &r.out_len);
	r.err = run_slurp(err_path, NULL);
	return r;
}

static inline void run_free(run_t *r)
{
	free(r->out);
	free(r->err);
}

#endif
