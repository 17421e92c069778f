/* run.h: running a built program as a user would: given input, captured output and status. */
#ifndef TESTS_RUN_H
#define TESTS_RUN_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct run {
	int status; /* exit status, or -1 if it did not exit normally */
	char *out;  /* stdout, NUL-terminated */
	char *err;  /* stderr, NUL-terminated */
} run_t;

static inline char *run_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 22);
	size_t n = f && buf ? fread(buf, 1, (1 << 22) - 1, f) : 0;
	if (buf != NULL)
		buf[n] = '\0';
	if (f)
		fclose(f);
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
	waitpid(pid, &wstatus, 0);
	run_t r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, run_slurp(out_path),
		   run_slurp(err_path)};
	return r;
}

static inline void run_free(run_t *r)
{
	free(r->out);
	free(r->err);
}

#endif
