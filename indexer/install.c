/* install.c: index generations and the atomic switch of the XAPIANDB stub. */
#include "install.h"

#include "schema.h"
#include "strbuf.h"

#include <dirent.h>
#include <sys/file.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pi_install {
	char *dir;
	char *generation; /* DIR/generation-… */
	int lock_fd;
};

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Delete a generation directory and everything in it. */
static void discard(const char *generation)
{
	nftw(generation, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* True if every entry of DIR is one an index directory holds. */
static bool looks_like_ours(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool ours = true;
	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (strcmp(e->d_name, PI_STUB_NAME) != 0 &&
		    strncmp(e->d_name, PI_GENERATION_PREFIX, strlen(PI_GENERATION_PREFIX)) != 0 &&
		    strncmp(e->d_name, PI_STUB_NAME ".", strlen(PI_STUB_NAME) + 1) != 0)
			ours = false;
	}
	closedir(d);
	return ours;
}

static void install_free(pi_install_t *in)
{
	if (in == NULL)
		return;
	if (in->lock_fd >= 0)
		close(in->lock_fd); /* releases the flock */
	free(in->dir);
	free(in->generation);
	free(in);
}

int pi_install_begin(const char *dir, pi_install_t **out, char **error)
{
	struct stat st;
	strbuf_t path = STRBUF_INIT;
	pi_install_t *in = calloc(1, sizeof *in);
	int rc = -1;

	if (in == NULL || (in->dir = strdup(dir)) == NULL)
		goto oom;
	in->lock_fd = -1;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		strbuf_printf_new(error, "%s: cannot create the index directory: %s", dir,
				  strerror(errno));
		goto out;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		strbuf_printf_new(error, "%s: not a directory", dir);
		goto out;
	}
	if (!looks_like_ours(dir)) {
		strbuf_printf_new(error, "%s: holds files that are not a policy-search index; "
				  "refusing to write there (choose an empty or new directory)", dir);
		goto out;
	}
	if (strbuf_printf(&path, "%s/%s.lock", dir, PI_STUB_NAME) != 0)
		goto oom;
	in->lock_fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (in->lock_fd < 0) {
		strbuf_printf_new(error, "%s: cannot open: %s", path.data, strerror(errno));
		goto out;
	}
	if (flock(in->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		strbuf_printf_new(error, "%s: another build of this index is running; try again "
				  "when it has finished", dir);
		goto out;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct tm tm;
	gmtime_r(&now.tv_sec, &tm);
	path.len = 0;
	if (strbuf_printf(&path, "%s/" PI_GENERATION_PREFIX "%04d%02d%02dT%02d%02d%02d.%09ld-%ld",
			  dir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			  tm.tm_min, tm.tm_sec, now.tv_nsec, (long)getpid()) != 0)
		goto oom;
	in->generation = strbuf_steal(&path);
	*out = in;
	in = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	strbuf_free(&path);
	install_free(in);
	return rc;
}

const char *pi_install_path(const pi_install_t *install)
{
	return install->generation;
}

void pi_install_abort(pi_install_t *install)
{
	if (install == NULL)
		return;
	discard(install->generation);
	install_free(install);
}

/* The generation the stub names now, malloc'd, or NULL. */
static char *live_generation(const char *dir)
{
	strbuf_t path = STRBUF_INIT;
	char line[512];
	char *name = NULL;
	if (strbuf_printf(&path, "%s/%s", dir, PI_STUB_NAME) != 0)
		return NULL;
	FILE *f = fopen(path.data, "r");
	strbuf_free(&path);
	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof line, f) != NULL) {
		char *sp = strchr(line, ' ');
		if (sp != NULL) {
			sp[strcspn(sp, "\n")] = '\0';
			name = strdup(sp + 1);
		}
	}
	fclose(f);
	return name;
}

/* Delete every generation in DIR except the two named. */
static void prune(const char *dir, const char *keep1, const char *keep2)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, PI_GENERATION_PREFIX, strlen(PI_GENERATION_PREFIX)) != 0)
			continue;
		if ((keep1 && strcmp(e->d_name, keep1) == 0) || (keep2 && strcmp(e->d_name, keep2) == 0))
			continue;
		strbuf_t path = STRBUF_INIT;
		if (strbuf_printf(&path, "%s/%s", dir, e->d_name) == 0)
			discard(path.data);
		strbuf_free(&path);
	}
	closedir(d);
}

int pi_install_commit(pi_install_t *install, char **error)
{
	const char *dir = install->dir, *generation = install->generation;
	const char *name = strrchr(generation, '/');
	strbuf_t tmp = STRBUF_INIT, stub = STRBUF_INIT;
	char *previous = NULL;
	int fd = -1, rc = -1;

	name = name ? name + 1 : generation;
	if (strbuf_printf(&tmp, "%s/%s.%ld.tmp", dir, PI_STUB_NAME, (long)getpid()) != 0 ||
	    strbuf_printf(&stub, "%s/%s", dir, PI_STUB_NAME) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	previous = live_generation(dir);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		strbuf_printf_new(error, "%s: cannot write: %s", tmp.data, strerror(errno));
		goto out;
	}
	/* A Xapian stub: the backend and a path relative to the stub's directory. */
	char line[512];
	int n = snprintf(line, sizeof line, "glass %s\n", name);
	if (n < 0 || (size_t)n >= sizeof line || write(fd, line, (size_t)n) != n || fsync(fd) != 0) {
		strbuf_printf_new(error, "%s: cannot write: %s", tmp.data, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp.data, stub.data) != 0) {
		strbuf_printf_new(error, "%s: cannot replace: %s", stub.data, strerror(errno));
		goto out;
	}
	/* Keep the generation just replaced: a query that opened it a moment ago can finish. */
	prune(dir, name, previous);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp.data != NULL)
		unlink(tmp.data);
	free(previous);
	strbuf_free(&tmp);
	strbuf_free(&stub);
	if (rc != 0)
		pi_install_abort(install);
	else
		install_free(install);
	return rc;
}
