/* ids.c: building and parsing passage ids. */
#include "ids.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Append plan "/" path, and then, when `mark` is not NULL, "/" mark and the number n in
 * decimal as %d writes it: without printf, which a concordance of a million lines would call
 * a million times. Returns 0, or -1 when out of memory. */
static int append_id(strbuf_t *sb, const char *plan, const char *path, const char *mark, int n)
{
	char digits[16], *d = digits + sizeof digits;
	unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;
	do
		*--d = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (n < 0)
		*--d = '-';
	return strbuf_append_str(sb, plan) || strbuf_append(sb, "/", 1) ||
	       strbuf_append_str(sb, path) ||
	       (mark != NULL && (strbuf_append(sb, "/", 1) || strbuf_append_str(sb, mark) ||
				 strbuf_append(sb, d, (size_t)(digits + sizeof digits - d))))
		       ? -1
		       : 0;
}

int ps_id_section(strbuf_t *sb, const char *plan, const char *path)
{
	return append_id(sb, plan, path, NULL, 0);
}

int ps_id_paragraph(strbuf_t *sb, const char *plan, const char *path, int ordinal)
{
	return append_id(sb, plan, path, "p", ordinal);
}

int ps_id_clause(strbuf_t *sb, const char *plan, const char *path, int ordinal)
{
	return append_id(sb, plan, path, "", ordinal);
}

int ps_id_table(strbuf_t *sb, const char *plan, const char *path, int table)
{
	return strbuf_printf(sb, "%s/%s/t%d", plan, path, table);
}

int ps_id_row(strbuf_t *sb, const char *plan, const char *path, int table, int row)
{
	return strbuf_printf(sb, "%s/%s/t%d.%d", plan, path, table, row);
}

/* A number of 1 to 9 digits with no leading zero (or "0" itself when zero_ok). Returns the
 * bytes it took, 0 if none. */
static size_t scan_number(const char *s, bool zero_ok, int *value)
{
	size_t n = 0;
	while (isdigit((unsigned char)s[n]) && n < 10)
		n++;
	if (n == 0 || n > 9 || (s[0] == '0' && (n > 1 || !zero_ok)))
		return 0;
	*value = atoi(s);
	return n;
}

int ps_id_parse(const char *rest, ps_id_t *out)
{
	const char *s = rest;
	int v;
	size_t n;
	if (s[0] == '0' && (s[1] == '/' || s[1] == '\0')) {
		s++;
	} else {
		for (;;) { /* 3, b1 (a box), a31 or a31-2 (an article) */
			bool article = *s == 'a';
			if (*s == 'b' || *s == 'a')
				s++;
			if ((n = scan_number(s, false, &v)) == 0)
				return -1;
			s += n;
			if (article && *s == '-') {
				if ((n = scan_number(s + 1, false, &v)) == 0)
					return -1;
				s += n + 1;
			}
			if (*s != '.')
				break;
			s++;
		}
	}
	size_t path_len = (size_t)(s - rest);
	if (path_len > PS_ID_MAX_PATH)
		return -1;
	memcpy(out->path, rest, path_len);
	out->path[path_len] = '\0';
	out->ordinal = 0;
	out->table = 0;
	if (*s == '\0') {
		out->kind = PS_ID_SECTION;
		return 0;
	}
	if (*s++ != '/')
		return -1;
	if (*s == 't') {
		if ((n = scan_number(s + 1, false, &out->table)) == 0)
			return -1;
		s += n + 1;
		if (*s == '\0') {
			out->kind = PS_ID_TABLE;
			return 0;
		}
		if (*s++ != '.')
			return -1;
		out->kind = PS_ID_ROW;
		n = scan_number(s, false, &out->ordinal);
	} else if (*s == 'p') {
		out->kind = PS_ID_PARAGRAPH;
		s++;
		n = scan_number(s, false, &out->ordinal);
	} else {
		out->kind = PS_ID_CLAUSE;
		n = scan_number(s, true, &out->ordinal);
	}
	return n > 0 && s[n] == '\0' ? 0 : -1;
}
