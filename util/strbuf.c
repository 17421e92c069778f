/* strbuf.c: growable byte buffer and malloc'd printf. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(strbuf_t *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return 0;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1) {
		if (cap > ((size_t)-1) / 2)
			return -1;
		cap *= 2;
	}
	char *data = realloc(sb->data, cap);
	if (data == NULL)
		return -1;
	sb->data = data;
	sb->cap = cap;
	return 0;
}

int strbuf_reserve(strbuf_t *sb, size_t extra)
{
	if (extra > ((size_t)-1) / 2 - sb->len)
		return -1;
	if (sb->len + extra + 1 <= sb->cap)
		return 0;
	char *data = realloc(sb->data, sb->len + extra + 1);
	if (data == NULL)
		return -1;
	sb->data = data;
	sb->cap = sb->len + extra + 1;
	return 0;
}

int strbuf_append(strbuf_t *sb, const char *bytes, size_t n)
{
	if (reserve(sb, n) != 0)
		return -1;
	if (n > 0)
		memcpy(sb->data + sb->len, bytes, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
	return 0;
}

int strbuf_append_str(strbuf_t *sb, const char *s)
{
	return strbuf_append(sb, s, strlen(s));
}

static int vappend(strbuf_t *sb, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || reserve(sb, (size_t)n) != 0)
		return -1;
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int strbuf_printf(strbuf_t *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vappend(sb, fmt, ap);
	va_end(ap);
	return rc;
}

char *strbuf_steal(strbuf_t *sb)
{
	char *data = sb->data;
	if (data == NULL)
		data = calloc(1, 1);
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return data;
}

void strbuf_free(strbuf_t *sb)
{
	if (sb == NULL)
		return;
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}

char *strbuf_shell_word(const char *s)
{
	static const char plain[] = "_@%+=:,./-";
	bool quote = *s == '\0';
	for (const char *p = s; *p && !quote; p++) {
		unsigned char c = (unsigned char)*p;
		quote = !(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || strchr(plain, c) != NULL);
	}
	if (!quote)
		return strdup(s);
	strbuf_t sb = STRBUF_INIT;
	int rc = strbuf_append_str(&sb, "'");
	for (const char *p = s; *p && rc == 0; p++)
		rc = *p == '\'' ? strbuf_append_str(&sb, "'\\''") : strbuf_append(&sb, p, 1);
	if (rc != 0 || strbuf_append_str(&sb, "'") != 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_steal(&sb);
}

void strbuf_printf_new(char **out, const char *fmt, ...)
{
	if (out == NULL || *out != NULL)
		return;
	strbuf_t sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = vappend(&sb, fmt, ap);
	va_end(ap);
	if (rc != 0) {
		strbuf_free(&sb);
		return;
	}
	*out = strbuf_steal(&sb);
}
