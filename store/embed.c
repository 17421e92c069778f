/* embed.c: writing an index's companion files into its Xapian metadata, and reading them back. */
#include "embed.h"

#include "format.h"
#include "strbuf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The key of file `name`'s head (k < 0) or of its chunk k. 0, or -1 out of memory. */
static int file_key(strbuf_t *key, const char *name, long k)
{
	key->len = 0;
	return k < 0 ? strbuf_printf(key, "%s%s", PS_META_FILE, name)
		     : strbuf_printf(key, "%s%s.%ld", PS_META_FILE, name, k);
}

/* Embed one file: its chunks, then its head, "<bytes> <chunks>". 0 or -1 with a message. */
static int embed_file(xw_writer_t *writer, const char *dir, const char *name, char *chunk,
		      char **error)
{
	strbuf_t path = STRBUF_INIT, key = STRBUF_INIT;
	FILE *f = NULL;
	int rc = -1;
	uint64_t total = 0;
	long chunks = 0;
	if (strbuf_printf(&path, "%s/%s", dir, name) != 0)
		goto oom;
	if ((f = fopen(path.data, "rb")) == NULL) {
		strbuf_printf_new(error, "%s: cannot read: %s", path.data, strerror(errno));
		goto out;
	}
	for (;;) {
		size_t got = fread(chunk, 1, PS_EMBED_CHUNK, f);
		if (ferror(f)) {
			strbuf_printf_new(error, "%s: cannot read: %s", path.data, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		if (file_key(&key, name, chunks) != 0)
			goto oom;
		if (xw_writer_set_metadata(writer, key.data, chunk, got) != PS_OK)
			goto xapian;
		total += got;
		chunks++;
	}
	char head[64];
	int n = snprintf(head, sizeof head, "%" PRIu64 " %ld", total, chunks);
	if (file_key(&key, name, -1) != 0)
		goto oom;
	if (xw_writer_set_metadata(writer, key.data, head, (size_t)n) != PS_OK)
		goto xapian;
	rc = 0;
	goto out;
xapian:
	strbuf_printf_new(error, "cannot keep %s in the index's database: %s", name,
			  xw_writer_last_error(writer));
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	if (f != NULL)
		fclose(f);
	strbuf_free(&path);
	strbuf_free(&key);
	return rc;
}

int ps_embed_write(xw_writer_t *writer, const char *generation_dir, const char *const *names,
		   size_t n_names, char **error)
{
	char *chunk = malloc(PS_EMBED_CHUNK);
	int rc = 0;
	if (chunk == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n_names && rc == 0; i++)
		rc = embed_file(writer, generation_dir, names[i], chunk, error);
	free(chunk);
	return rc;
}

/* File `name`'s head: its size and chunk count. PS_OK with *present false when missing. */
static ps_status_t read_head(xw_db_t *db, const char *name, bool *present, uint64_t *len,
			     long *chunks, char **error)
{
	strbuf_t key = STRBUF_INIT;
	char *value = NULL;
	ps_status_t st = PS_ERR_NO_MEMORY;
	*present = false;
	if (file_key(&key, name, -1) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if ((st = xw_db_get_metadata(db, key.data, &value, NULL)) != PS_OK) {
		strbuf_printf_new(error, "%s", xw_db_last_error(db));
		goto out;
	}
	if (value != NULL) {
		char *end;
		errno = 0;
		unsigned long long bytes = strtoull(value, &end, 10);
		long n = *end == ' ' ? strtol(end + 1, &end, 10) : -1;
		if (errno != 0 || *end != '\0' || n < 0 ||
		    (uint64_t)n != (bytes + PS_EMBED_CHUNK - 1) / PS_EMBED_CHUNK) {
			strbuf_printf_new(error, "the copy of %s in the index's database is damaged",
					  name);
			st = PS_ERR_CORRUPT;
			goto out;
		}
		*present = true;
		*len = bytes;
		*chunks = n;
	}
	st = PS_OK;
out:
	free(value);
	strbuf_free(&key);
	return st;
}

ps_status_t ps_embed_size(xw_db_t *db, const char *name, bool *present, size_t *len,
			  char **error)
{
	uint64_t bytes = 0;
	long chunks;
	ps_status_t st = read_head(db, name, present, &bytes, &chunks, error);
	if (st == PS_OK && *present)
		*len = (size_t)bytes;
	return st;
}

ps_status_t ps_embed_read(xw_db_t *db, const char *name, char **data, size_t *len,
			  char **error)
{
	strbuf_t key = STRBUF_INIT;
	char *buf = NULL, *value = NULL;
	bool present;
	uint64_t bytes = 0;
	long chunks = 0;
	ps_status_t st = read_head(db, name, &present, &bytes, &chunks, error);
	if (st != PS_OK)
		goto out;
	st = PS_ERR_CORRUPT;
	if (!present) {
		strbuf_printf_new(error, "the index's database holds no copy of its %s", name);
		goto out;
	}
	if (bytes >= SIZE_MAX || (buf = malloc((size_t)bytes + 1)) == NULL) {
		strbuf_printf_new(error, "out of memory for the %s of %" PRIu64 " bytes", name,
				  bytes);
		st = PS_ERR_NO_MEMORY;
		goto out;
	}
	size_t at = 0;
	for (long k = 0; k < chunks; k++) {
		size_t got = 0;
		if (file_key(&key, name, k) != 0) {
			strbuf_printf_new(error, "out of memory");
			st = PS_ERR_NO_MEMORY;
			goto out;
		}
		free(value);
		value = NULL;
		if ((st = xw_db_get_metadata(db, key.data, &value, &got)) != PS_OK) {
			strbuf_printf_new(error, "%s", xw_db_last_error(db));
			goto out;
		}
		st = PS_ERR_CORRUPT;
		/* every chunk full but the last */
		size_t want = k + 1 < chunks ? PS_EMBED_CHUNK : (size_t)bytes - at;
		if (value == NULL || got != want) {
			strbuf_printf_new(error, "the copy of %s in the index's database is damaged "
					  "(chunk %ld)", name, k);
			goto out;
		}
		memcpy(buf + at, value, got);
		at += got;
	}
	buf[at] = '\0';
	*data = buf;
	*len = at;
	buf = NULL;
	st = PS_OK;
out:
	free(buf);
	free(value);
	strbuf_free(&key);
	return st;
}
