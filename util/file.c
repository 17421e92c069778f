/* file.c: whole-file reads with a size limit and messages that name the file. */
#include "file.h"

#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *util_size_name(size_t bytes, char *buf, size_t size)
{
	if (bytes > 0 && bytes % (1UL << 30) == 0)
		snprintf(buf, size, "%zu GiB", bytes >> 30);
	else if (bytes > 0 && bytes % (1UL << 20) == 0)
		snprintf(buf, size, "%zu MiB", bytes >> 20);
	else
		snprintf(buf, size, "%zu bytes", bytes);
	return buf;
}

int util_path_inside(const char *dir, const char *name, char **resolved)
{
	strbuf_t path = STRBUF_INIT;
	char *real_dir = realpath(dir, NULL), *real = NULL;
	int rc = -1;
	if (real_dir == NULL)
		goto out;
	if (strbuf_printf(&path, "%s/%s", dir, name) != 0) {
		errno = ENOMEM;
		goto out;
	}
	if ((real = realpath(path.data, NULL)) == NULL)
		goto out;
	size_t n = strlen(real_dir);
	bool root = n == 1; /* "/": everything is inside */
	rc = root || (strncmp(real, real_dir, n) == 0 && real[n] == '/') ? 0 : 1;
	*resolved = real;
out:
	free(real_dir);
	strbuf_free(&path);
	return rc;
}

int util_stdout_flush(char **error)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	strbuf_printf_new(error, "cannot write the output: %s", strerror(errno ? errno : EIO));
	return -1;
}

static const char *kind_of(mode_t mode)
{
	return S_ISDIR(mode)    ? "a directory"
	       : S_ISCHR(mode)  ? "a character device"
	       : S_ISBLK(mode)  ? "a block device"
	       : S_ISFIFO(mode) ? "a FIFO"
	       : S_ISSOCK(mode) ? "a socket"
				: "not a regular file";
}

int util_read_file(const char *path, const char *what, size_t max, bool regular_only,
		   char **data, size_t *len, char **error)
{
	strbuf_t sb = STRBUF_INIT;
	struct stat st;
	char buf[65536], limit[32];
	int rc = -1;
	/* O_NONBLOCK: opening a FIFO to read must not wait for a writer before it is refused */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (regular_only ? O_NONBLOCK : 0));

	if (fd < 0) {
		strbuf_printf_new(error, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		strbuf_printf_new(error, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode) || (regular_only && !S_ISREG(st.st_mode))) {
		strbuf_printf_new(error, "%s: %s must be a regular file, not %s", path, what,
				  kind_of(st.st_mode));
		goto out;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)
		goto too_big;
	/* A regular file's size is known: one allocation of exactly that much, no doubling. */
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    strbuf_reserve(&sb, (size_t)st.st_size + 1) != 0)
		goto oom;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			strbuf_printf_new(error, "%s: read error: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if ((size_t)n > max - sb.len)
			goto too_big;
		if (strbuf_append(&sb, buf, (size_t)n) != 0)
			goto oom;
	}
	size_t n_read = sb.len;
	char *bytes = strbuf_steal(&sb);
	if (bytes == NULL)
		goto oom;
	*data = bytes;
	*len = n_read;
	rc = 0;
	goto out;
too_big:
	strbuf_printf_new(error, "%s: %s may hold at most %s; this one holds more", path, what,
			  util_size_name(max, limit, sizeof limit));
	goto out;
oom:
	strbuf_printf_new(error, "%s: out of memory reading the file", path);
out:
	strbuf_free(&sb);
	close(fd);
	return rc;
}
