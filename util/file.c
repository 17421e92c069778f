/* file.c: whole-file reads with messages that name the file. */
#include "file.h"

#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int util_read_file(const char *path, char **data, size_t *len, char **error)
{
	FILE *f = fopen(path, "rb");
	strbuf_t sb = STRBUF_INIT;
	struct stat st;
	char buf[65536];
	size_t n;
	int rc = -1;

	if (f == NULL) {
		strbuf_printf_new(error, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		strbuf_printf_new(error, "%s: cannot read: %s", path, strerror(EISDIR));
		goto out;
	}
	/* A regular file's size is known: one allocation of exactly that much, no doubling. */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    strbuf_reserve(&sb, (size_t)st.st_size + 1) != 0) {
		strbuf_printf_new(error, "%s: out of memory reading the file", path);
		goto out;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (strbuf_append(&sb, buf, n) != 0) {
			strbuf_printf_new(error, "%s: out of memory reading the file", path);
			goto out;
		}
	}
	if (ferror(f)) {
		strbuf_printf_new(error, "%s: read error: %s", path, strerror(errno));
		goto out;
	}
	size_t n_read = sb.len;
	char *bytes = strbuf_steal(&sb);
	if (bytes == NULL) {
		strbuf_printf_new(error, "%s: out of memory reading the file", path);
		goto out;
	}
	*data = bytes;
	*len = n_read;
	rc = 0;
out:
	strbuf_free(&sb);
	fclose(f);
	return rc;
}
