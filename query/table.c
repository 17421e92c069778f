/* table.c: CSV and TSV fields, and the temporary-file-then-rename output file. */
#include "table.h"

#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pq_table_format_parse(const char *name, pq_table_format_t *out)
{
	static const char *const names[] = {"csv", "tsv", "json", "text"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (pq_table_format_t)i;
			return 0;
		}
	return -1;
}

int pq_table_field(FILE *out, pq_table_format_t format, bool first, const char *text, size_t n)
{
	if (!first && fputc(format == PQ_TABLE_TSV ? '\t' : ',', out) == EOF)
		return -1;
	if (format == PQ_TABLE_TSV) {
		for (size_t i = 0; i < n; i++) {
			char c = text[i];
			if (fputc(c == '\t' || c == '\r' || c == '\n' ? ' ' : c, out) == EOF)
				return -1;
		}
		return 0;
	}
	bool quote = false;
	for (size_t i = 0; i < n && !quote; i++)
		quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
	if (!quote)
		return n == 0 || fwrite(text, 1, n, out) == n ? 0 : -1;
	if (fputc('"', out) == EOF)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((text[i] == '"' && fputc('"', out) == EOF) || fputc(text[i], out) == EOF)
			return -1;
	return fputc('"', out) == EOF ? -1 : 0;
}

int pq_table_str(FILE *out, pq_table_format_t format, bool first, const char *text)
{
	return pq_table_field(out, format, first, text, strlen(text));
}

int pq_table_end(FILE *out, pq_table_format_t format)
{
	return fputs(format == PQ_TABLE_CSV ? "\r\n" : "\n", out) == EOF ? -1 : 0;
}

int pq_outfile_open(const char *path, pq_outfile_t **out, char **error)
{
	pq_outfile_t *o = calloc(1, sizeof *o);
	int fd = -1;
	if (o == NULL)
		goto oom;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		*out = o;
		return 0;
	}
	/* an existing file keeps its mode, and a symbolic link is written through */
	struct stat st;
	bool exists = stat(path, &st) == 0;
	char *resolved = exists ? realpath(path, NULL) : NULL;
	if (resolved != NULL)
		path = resolved;
	const char *slash = strrchr(path, '/');
	strbuf_t tmp = STRBUF_INIT;
	if (slash != NULL)
		strbuf_append(&tmp, path, (size_t)(slash - path) + 1);
	strbuf_append_str(&tmp, ".policy-query-XXXXXX");
	o->path = strdup(path);
	o->tmp = strbuf_steal(&tmp);
	free(resolved);
	if (o->path == NULL || o->tmp == NULL)
		goto oom;
	if ((fd = mkstemp(o->tmp)) < 0) {
		strbuf_printf_new(error, "cannot write beside %s: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		goto fail;
	}
	mode_t mask = umask(0);
	umask(mask);
	mode_t mode = exists ? st.st_mode & 07777 : 0666 & ~mask;
	if (fchmod(fd, mode) != 0 || (o->f = fdopen(fd, "wb")) == NULL) {
		strbuf_printf_new(error, "cannot write %s: %s", o->tmp, strerror(errno));
		close(fd);
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

int pq_outfile_commit(pq_outfile_t *o, char **error)
{
	int rc = -1;
	if (o->path == NULL) {
		if (fflush(o->f) != 0 || ferror(o->f)) {
			strbuf_printf_new(error, "cannot write the output: %s", strerror(errno));
			goto out;
		}
		rc = 0;
		goto out;
	}
	bool bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
	int saved = errno;
	bad |= fclose(o->f) != 0;
	o->f = NULL;
	if (bad) {
		strbuf_printf_new(error, "cannot write %s: %s", o->path,
				  strerror(saved ? saved : errno));
		goto out;
	}
	if (rename(o->tmp, o->path) != 0) {
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
	free(o);
}
