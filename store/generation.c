/* generation.c: index generations, the build lock, and the atomic switch of the XAPIANDB stub. */
#include "generation.h"

#include "format.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct ps_generation {
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

void ps_generation_remove_tree(const char *path)
{
	discard(path);
}

/* Skip n ASCII digits (at least one when n is 0: any number of them); NULL if absent. */
static const char *skip_digits(const char *s, int n)
{
	int k = 0;
	while (s[k] >= '0' && s[k] <= '9' && (n == 0 || k < n))
		k++;
	return (n == 0 ? k > 0 : k == n) ? s + k : NULL;
}

/* True for the names builds give generations, "generation-20261123T151318.209663040-29490",
 * optionally with the PS_DOOMED_SUFFIX a prune gives them; a directory a person named
 * "generation-old" is left alone. */
static bool is_generation_name(const char *name)
{
	const char *s = name;
	if (strncmp(s, PS_GENERATION_PREFIX, strlen(PS_GENERATION_PREFIX)) != 0)
		return false;
	s += strlen(PS_GENERATION_PREFIX);
	if ((s = skip_digits(s, 8)) == NULL || *s++ != 'T' || (s = skip_digits(s, 6)) == NULL ||
	    *s++ != '.' || (s = skip_digits(s, 0)) == NULL || *s++ != '-' ||
	    (s = skip_digits(s, 0)) == NULL)
		return false;
	return *s == '\0' || strcmp(s, PS_DOOMED_SUFFIX) == 0;
}

/* 1 if every entry of DIR is one an index directory holds, 0 if not, -1 (errno set) when
 * DIR cannot be read. */
static int looks_like_ours(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ours = 1;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (strcmp(e->d_name, PS_STUB_NAME) != 0 && !is_generation_name(e->d_name) &&
		    strncmp(e->d_name, PS_STUB_NAME ".", strlen(PS_STUB_NAME) + 1) != 0)
			ours = 0;
	}
	closedir(d);
	return ours;
}

static void generation_free(ps_generation_t *in)
{
	if (in == NULL)
		return;
	if (in->lock_fd >= 0)
		close(in->lock_fd); /* releases the flock */
	free(in->dir);
	free(in->generation);
	free(in);
}

int ps_generation_read_stub(const char *stub_path, char **generation, char **line)
{
	char buf[512];
	FILE *f = fopen(stub_path, "r");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	/* "glass generation-…/xapian": a Xapian stub naming the generation's clauses, so
	 * Xapian's own tools open the index directory too; "glass generation-…" before schema
	 * 7, when a generation was one Xapian database (store.c tells the version) */
	const char *name = strncmp(buf, "glass ", 6) == 0 ? buf + 6 : NULL;
	const char *slash = name ? strchr(name, '/') : NULL;
	if (name != NULL && (slash == NULL || strcmp(slash + 1, PS_XAPIAN_DIR) == 0) &&
	    strncmp(name, PS_GENERATION_PREFIX, strlen(PS_GENERATION_PREFIX)) == 0 &&
	    strstr(name, "..") == NULL) {
		*generation = slash ? strndup(name, (size_t)(slash - name)) : strdup(name);
		return *generation ? 1 : -1;
	}
	*line = strdup(buf);
	return *line ? 0 : -1;
}

/* The generation the stub names now (its directory name), malloc'd, or NULL. */
static char *live_generation(const char *dir)
{
	strbuf_t path = STRBUF_INIT;
	char *name = NULL, *line = NULL;
	if (strbuf_printf(&path, "%s/%s", dir, PS_STUB_NAME) == 0 &&
	    ps_generation_read_stub(path.data, &name, &line) != 1)
		name = NULL;
	free(line);
	strbuf_free(&path);
	return name;
}

/*
 * Deleting a generation a query may be reading. A reader (query/index.c) opens the
 * generation directory the stub names, takes a shared flock on it, then checks that the
 * directory is still there under that name, and keeps the lock while the index is open.
 * The pruner takes an exclusive flock without waiting: when a reader holds the generation
 * it is left for a later build to delete; otherwise the pruner first renames it out of the
 * way (so a reader that opened it a moment ago sees the name gone and retries with the new
 * stub) and then deletes it. Why locks rather than retrying on Xapian's
 * DatabaseModifiedError: a generation is never modified, it disappears, and a reader that
 * has read half of one cannot recover by reopening; with the lock it never has to.
 */
static void prune_one(const char *dir, const char *name)
{
	strbuf_t path = STRBUF_INIT, doomed = STRBUF_INIT;
	int fd = -1;
	if (strbuf_printf(&path, "%s/%s", dir, name) != 0)
		goto out;
	fd = open(path.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
		goto out; /* gone already, or a query is reading it */
	if (strstr(name, PS_DOOMED_SUFFIX) == NULL) {
		if (strbuf_printf(&doomed, "%s%s", path.data, PS_DOOMED_SUFFIX) != 0 ||
		    rename(path.data, doomed.data) != 0)
			goto out;
		discard(doomed.data);
	} else {
		discard(path.data);
	}
out:
	if (fd >= 0)
		close(fd);
	strbuf_free(&path);
	strbuf_free(&doomed);
}

/* Delete every generation in DIR except `keep` and those a query holds, and stub files
 * left by a build that was killed. Called only with the build lock held. */
static void prune(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		bool tmp_stub = strncmp(e->d_name, PS_STUB_NAME ".", strlen(PS_STUB_NAME) + 1) == 0 &&
				strlen(e->d_name) > 4 &&
				strcmp(e->d_name + strlen(e->d_name) - 4, ".tmp") == 0;
		if (tmp_stub) {
			strbuf_t path = STRBUF_INIT;
			if (strbuf_printf(&path, "%s/%s", dir, e->d_name) == 0)
				unlink(path.data);
			strbuf_free(&path);
			continue;
		}
		if (!is_generation_name(e->d_name))
			continue;
		if (keep != NULL && strcmp(e->d_name, keep) == 0)
			continue;
		prune_one(dir, e->d_name);
	}
	closedir(d);
}

void ps_generation_test_stop(const char *stage)
{
	const char *at = getenv("POLICY_INDEX_TEST_STOP_AT");
	if (at != NULL && strcmp(at, stage) == 0)
		raise(SIGSTOP);
}

ps_status_t ps_generation_begin(const char *dir, ps_generation_t **out, char **error)
{
	struct stat st;
	strbuf_t path = STRBUF_INIT;
	ps_generation_t *in = calloc(1, sizeof *in);
	ps_status_t rc = PS_ERR_FAILED;

	if (in == NULL || (in->dir = strdup(dir)) == NULL)
		goto oom;
	in->lock_fd = -1;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		strbuf_printf_new(error, "%s: cannot create the index directory: %s", dir,
				  strerror(errno));
		rc = errno == EACCES || errno == EPERM || errno == EROFS ? PS_ERR_DENIED : PS_ERR_IO;
		goto out;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		strbuf_printf_new(error, "%s: not a directory", dir);
		goto out;
	}
	int ours = looks_like_ours(dir);
	if (ours < 0) {
		strbuf_printf_new(error, "%s: cannot read the index directory: %s; the index there, "
				  "if any, is unchanged", dir, strerror(errno));
		goto out;
	}
	if (!ours) {
		strbuf_printf_new(error, "%s: holds files that are not a policy-search index; "
				  "refusing to write there (choose an empty or new directory)", dir);
		rc = PS_ERR_FOREIGN;
		goto out;
	}
	if (strbuf_printf(&path, "%s/%s.lock", dir, PS_STUB_NAME) != 0)
		goto oom;
	/* never through a link: a link planted there would have the build create its target */
	in->lock_fd = open(path.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (in->lock_fd < 0 && errno == ELOOP) {
		strbuf_printf_new(error, "%s: %s.lock is a symbolic link; refusing to follow it "
				  "(remove it: a build makes its own)", dir, PS_STUB_NAME);
		goto out;
	}
	if (in->lock_fd < 0 || access(dir, W_OK) != 0) {
		strbuf_printf_new(error, "%s: the index directory is not writable (%s); the index "
				  "there, if any, is unchanged", dir, strerror(errno));
		rc = PS_ERR_DENIED;
		goto out;
	}
	if (flock(in->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		strbuf_printf_new(error, "%s: another build of this index is running; try again "
				  "when it has finished", dir);
		rc = PS_ERR_LOCKED;
		goto out;
	}
	/* Whatever a killed build left behind goes now, before it can pile up. */
	char *live = live_generation(dir);
	path.len = 0;
	if (strbuf_printf(&path, "%s/%s", dir, PS_STUB_NAME) != 0) {
		free(live);
		goto oom;
	}
	if (live != NULL || (stat(path.data, &st) != 0 && errno == ENOENT))
		prune(dir, live); /* never when a stub exists that could not be read */
	free(live);
	ps_generation_test_stop("locked");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct tm tm;
	gmtime_r(&now.tv_sec, &tm);
	path.len = 0;
	if (strbuf_printf(&path, "%s/" PS_GENERATION_PREFIX "%04d%02d%02dT%02d%02d%02d.%09ld-%ld",
			  dir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			  tm.tm_min, tm.tm_sec, now.tv_nsec, (long)getpid()) != 0)
		goto oom;
	in->generation = strbuf_steal(&path);
	*out = in;
	in = NULL;
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PS_ERR_NO_MEMORY;
out:
	strbuf_free(&path);
	generation_free(in);
	return rc;
}

const char *ps_generation_path(const ps_generation_t *gen)
{
	return gen->generation;
}

void ps_generation_abort(ps_generation_t *gen)
{
	if (gen == NULL)
		return;
	discard(gen->generation);
	generation_free(gen);
}

/* Create the new stub's temporary file, DIR/XAPIANDB.<16 random hex digits>.tmp: a name
 * no one can guess, made afresh (O_EXCL) and never through a link (O_NOFOLLOW), so that
 * whoever can write to the index directory cannot have the builder write another file.
 * Returns the descriptor with its name in *tmp, or -1 with errno set. */
static int create_temp_stub(const char *dir, strbuf_t *tmp)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char r[8];
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
			return -1;
		tmp->len = 0;
		if (strbuf_printf(tmp, "%s/%s.%02x%02x%02x%02x%02x%02x%02x%02x.tmp", dir,
				  PS_STUB_NAME, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) != 0) {
			errno = ENOMEM;
			return -1;
		}
		int fd = open(tmp->data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

ps_status_t ps_generation_commit(ps_generation_t *gen, char **error)
{
	const char *dir = gen->dir, *generation = gen->generation;
	const char *name = strrchr(generation, '/');
	strbuf_t tmp = STRBUF_INIT, stub = STRBUF_INIT;
	int fd = -1;
	ps_status_t rc = PS_ERR_IO;

	name = name ? name + 1 : generation;
	if (strbuf_printf(&stub, "%s/%s", dir, PS_STUB_NAME) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	fd = create_temp_stub(dir, &tmp);
	if (fd < 0) {
		strbuf_printf_new(error, "%s: cannot write a new %s: %s", dir, PS_STUB_NAME,
				  strerror(errno));
		strbuf_free(&tmp); /* nothing of ours to remove */
		goto out;
	}
	/* A Xapian stub: the backend and a path relative to the stub's directory. */
	char line[512];
	int n = snprintf(line, sizeof line, "glass %s/%s\n", name, PS_XAPIAN_DIR);
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
	/* Make the rename itself durable before anything old is deleted. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
		fd = -1;
	}
	ps_generation_test_stop("switched");
	/* Queries that hold an older generation keep it until a later build (see prune_one). */
	prune(dir, name);
	rc = PS_OK;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp.data != NULL)
		unlink(tmp.data);
	strbuf_free(&tmp);
	strbuf_free(&stub);
	if (rc != 0)
		ps_generation_abort(gen);
	else
		generation_free(gen);
	return rc;
}
