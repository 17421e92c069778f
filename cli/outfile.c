/* outfile.c: an output file (-o) that appears whole or not at all. */
#include "outfile.h"

#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory a path lies in, as written: "a/b" -> "a", "b" -> ".", "/b" -> "/". */
static int dir_of(const char *path, strbuf_t *out)
{
	const char *slash = strrchr(path, '/');
	out->len = 0;
	if (slash == NULL)
		return strbuf_append_str(out, ".");
	return strbuf_append(out, path, slash == path ? 1 : (size_t)(slash - path));
}

/* Whether the link `link` (lstat'd into *st) may be followed: not when it lies in a sticky,
 * world-writable directory and belongs neither to us nor to the directory's owner. Returns
 * 0 when it may, or -1 with a message. */
static int may_follow(const char *name, const char *link, const struct stat *st, char **error)
{
	strbuf_t dir = STRBUF_INIT;
	struct stat dst;
	int rc = -1;
	if (dir_of(link, &dir) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (stat(dir.data, &dst) != 0) {
		strbuf_printf_new(error, "cannot write %s: %s: %s", name, dir.data, strerror(errno));
		goto out;
	}
	if ((dst.st_mode & S_ISVTX) && (dst.st_mode & S_IWOTH) && st->st_uid != geteuid() &&
	    st->st_uid != dst.st_uid) {
		strbuf_printf_new(error, "refusing to write %s: %s is a symbolic link in the "
				  "sticky, world-writable directory %s and belongs to another user "
				  "(uid %ld); give the file's own path", name, link, dir.data,
				  (long)st->st_uid);
		goto out;
	}
	rc = 0;
out:
	strbuf_free(&dir);
	return rc;
}

/* Follow the chain of symbolic links at the end of `path`, by their text, as far as it goes:
 * *out is the first path along it that is not a link (it may not exist). Each link must be
 * one that may be followed. Returns 0, or -1 with a message. */
static int follow_links(const char *name, char **out, char **error)
{
	enum { MAX_LINKS = 40 }; /* as the kernel's own limit */
	strbuf_t cur = STRBUF_INIT, next = STRBUF_INIT;
	int rc = -1;
	if (strbuf_append_str(&cur, name) != 0)
		goto oom;
	for (int hops = 0;; hops++) {
		struct stat st;
		if (lstat(cur.data, &st) != 0 || !S_ISLNK(st.st_mode))
			break;
		if (hops == MAX_LINKS) {
			strbuf_printf_new(error, "cannot write %s: %s", name, strerror(ELOOP));
			goto out;
		}
		if (may_follow(name, cur.data, &st, error) != 0)
			goto out;
		char target[4096];
		ssize_t n = readlink(cur.data, target, sizeof target - 1);
		if (n < 0 || (size_t)n >= sizeof target - 1) {
			strbuf_printf_new(error, "cannot write %s: cannot read the link %s: %s", name,
					  cur.data, n < 0 ? strerror(errno) : "too long");
			goto out;
		}
		target[n] = '\0';
		if (target[0] != '/' && (dir_of(cur.data, &next) != 0 ||
					 strbuf_append_str(&next, "/") != 0))
			goto oom;
		if (target[0] == '/')
			next.len = 0;
		if (strbuf_append_str(&next, target) != 0)
			goto oom;
		strbuf_t swap = cur;
		cur = next;
		next = swap;
	}
	if ((*out = strbuf_steal(&cur)) == NULL)
		goto oom;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	strbuf_free(&cur);
	strbuf_free(&next);
	return rc;
}

/* Open a special file (a device, a FIFO, a pipe) to write into it as it is. */
static int open_in_place(pq_outfile_t *o, char **error)
{
	int fd = open(o->name, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || (o->f = fdopen(fd, "wb")) == NULL) {
		strbuf_printf_new(error, "cannot write %s: %s", o->name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

/* Make the temporary file beside o->path; an existing file's mode is kept. */
static int open_temporary(pq_outfile_t *o, const struct stat *existing, char **error)
{
	strbuf_t tmp = STRBUF_INIT;
	int fd = -1;
	if (dir_of(o->path, &tmp) != 0 || strbuf_append_str(&tmp, "/.policy-query-XXXXXX") != 0 ||
	    (o->tmp = strbuf_steal(&tmp)) == NULL) {
		strbuf_free(&tmp);
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	if ((fd = mkstemp(o->tmp)) < 0) {
		int err = errno;
		strbuf_t dir = STRBUF_INIT;
		dir_of(o->path, &dir);
		strbuf_printf_new(error, "cannot write %s: no temporary file can be made in %s to "
				  "replace it with (%s)", o->name, dir.data ? dir.data : "its directory",
				  strerror(err));
		strbuf_free(&dir);
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	mode_t mode = existing ? existing->st_mode & 07777 : 0666 & ~mask;
	if (fchmod(fd, mode) != 0 || (o->f = fdopen(fd, "wb")) == NULL) {
		strbuf_printf_new(error, "cannot write %s: %s", o->tmp, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

int pq_outfile_open(const char *path, pq_outfile_t **out, char **error)
{
	pq_outfile_t *o = calloc(1, sizeof *o);
	struct stat st, end;
	if (o == NULL)
		goto oom;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		*out = o;
		return 0;
	}
	if ((o->name = strdup(path)) == NULL)
		goto oom;
	/* every link on the way is checked before anything is opened through it */
	if (follow_links(path, &o->path, error) != 0)
		goto fail;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT) {
			strbuf_printf_new(error, "cannot write %s: %s", path, strerror(errno));
			goto fail;
		}
		/* nothing there yet, or a link to nothing: create its target */
		if (open_temporary(o, NULL, error) != 0)
			goto fail;
	} else if (S_ISDIR(st.st_mode)) {
		strbuf_printf_new(error, "cannot write %s: %s", path, strerror(EISDIR));
		goto fail;
	} else if (!S_ISREG(st.st_mode)) {
		free(o->path);
		o->path = NULL;
		if (open_in_place(o, error) != 0)
			goto fail;
	} else {
		/* the file the links lead to by their text must be the one the kernel opens
		 * (not so for a deleted file behind /proc/self/fd/N) */
		if (lstat(o->path, &end) != 0 || end.st_dev != st.st_dev || end.st_ino != st.st_ino) {
			strbuf_printf_new(error, "cannot write %s: cannot tell which file it names "
					  "(its links lead to %s); give the file's own path", path,
					  o->path);
			goto fail;
		}
		if (open_temporary(o, &st, error) != 0)
			goto fail;
	}
	*out = o;
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
fail:
	pq_outfile_abort(o);
	return -1;
}

void pq_outfile_write_error(const pq_outfile_t *o, int err, char **error)
{
	strbuf_printf_new(error, "cannot write %s: %s", o->name ? o->name : "the output",
			  strerror(err ? err : EIO));
}

int pq_outfile_write(const char *path, pq_outfile_fill_fn fill, void *ctx, char **error)
{
	pq_outfile_t *o = NULL;
	if (pq_outfile_open(path, &o, error) != 0)
		return -1;
	errno = 0;
	if (fill(o->f, ctx, error) != 0) {
		pq_outfile_write_error(o, errno, error); /* unless fill said why */
		pq_outfile_abort(o);
		return -1;
	}
	return pq_outfile_commit(o, error);
}

int pq_outfile_commit(pq_outfile_t *o, char **error)
{
	int rc = -1;
	errno = 0;
	bool bad = fflush(o->f) != 0 || ferror(o->f);
	if (!bad && o->tmp != NULL && fsync(fileno(o->f)) != 0)
		bad = true;
	int saved = errno;
	if (o->f != stdout) {
		if (fclose(o->f) != 0 && !bad) {
			bad = true;
			saved = errno;
		}
		o->f = NULL;
	}
	if (bad) {
		pq_outfile_write_error(o, saved, error);
		goto out;
	}
	if (o->tmp != NULL && rename(o->tmp, o->path) != 0) {
		strbuf_printf_new(error, "cannot replace %s: %s", o->path, strerror(errno));
		goto out;
	}
	free(o->tmp);
	o->tmp = NULL;
	rc = 0;
out:
	pq_outfile_abort(o);
	return rc;
}

void pq_outfile_abort(pq_outfile_t *o)
{
	if (o == NULL)
		return;
	if (o->f != NULL && o->f != stdout)
		fclose(o->f);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	free(o->name);
	free(o);
}

const char *pq_outfile_format(const char *path)
{
	static const char *const ext[][2] = {
		{".csv", "csv"}, {".tsv", "tsv"}, {".json", "json"}, {".md", "markdown"}};
	size_t n = path ? strlen(path) : 0;
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t e = strlen(ext[i][0]);
		if (n > e && strcasecmp(path + n - e, ext[i][0]) == 0)
			return ext[i][1];
	}
	return NULL;
}

const char *pq_outfile_choose_format(const char *output, const char *given,
				     const char *fallback, const char *const *known)
{
	const char *wanted = output && strcmp(output, "-") != 0 ? pq_outfile_format(output) : NULL;
	bool can = false;
	for (size_t i = 0; wanted != NULL && known[i] != NULL; i++)
		can |= strcmp(known[i], wanted) == 0;
	if (wanted != NULL && given != NULL && strcmp(wanted, given) != 0) {
		fprintf(stderr, "policy-query: -o %s names a %s file, but --format is %s (drop "
			"one, or name the file for its format)\n", output, wanted, given);
		return NULL;
	}
	if (given != NULL)
		return given;
	if (wanted != NULL && !can) {
		fprintf(stderr, "policy-query: -o %s names a %s file, which this command does not "
			"write (--format chooses one of its formats)\n", output, wanted);
		return NULL;
	}
	return wanted ? wanted : fallback;
}
