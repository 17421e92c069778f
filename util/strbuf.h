/* strbuf.h: a growable byte buffer and malloc'd printf, the project's only string helpers. */
#ifndef UTIL_STRBUF_H
#define UTIL_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
	char *data; /* NUL-terminated once anything was appended; owned */
	size_t len; /* bytes, without the NUL */
	size_t cap; /* bytes allocated */
} strbuf_t;

#define STRBUF_INIT {NULL, 0, 0}

/* Append n bytes (may contain NUL) and keep the buffer NUL-terminated.
 * Returns 0, or -1 when out of memory (the buffer is then unchanged). */
int strbuf_append(strbuf_t *sb, const char *bytes, size_t n);

/* Make room for `extra` more bytes and the NUL, growing to exactly that size if it must grow
 * (for a buffer whose final size is known). Returns 0, or -1 when out of memory. */
int strbuf_reserve(strbuf_t *sb, size_t extra);

/* Append a NUL-terminated string. Same return as strbuf_append. */
int strbuf_append_str(strbuf_t *sb, const char *s);

/* Append printf-formatted text. Returns 0, or -1 when out of memory. */
int strbuf_printf(strbuf_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hand the data to the caller (who frees it) and reset the buffer; never NULL unless out of
 * memory: an empty buffer gives a malloc'd "". */
char *strbuf_steal(strbuf_t *sb);

/* Free the data and reset the buffer. Accepts NULL. */
void strbuf_free(strbuf_t *sb);

/* s as one word of a POSIX shell command, for the commands messages give to paste: s
 * itself when it is not empty and holds only letters, digits, non-ASCII bytes and
 * _@%+=:,./-, else s in single quotes, a quote in it written '\'' ("my index" ->
 * 'my index'). Returns a malloc'd string, or NULL when out of memory. */
char *strbuf_shell_word(const char *s);

/* Store a malloc'd, printf-formatted message in *out, if out is not NULL and *out is NULL
 * (the first error wins). Silently does nothing when out of memory. */
void strbuf_printf_new(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
