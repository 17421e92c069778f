/* ids.c: building and parsing passage ids. */
#include "ids.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int ps_id_section(strbuf_t *sb, const char *plan, const char *path)
{
	return strbuf_printf(sb, "%s/%s", plan, path);
}

int ps_id_paragraph(strbuf_t *sb, const char *plan, const char *path, int ordinal)
{
	return strbuf_printf(sb, "%s/%s/p%d", plan, path, ordinal);
}

int ps_id_clause(strbuf_t *sb, const char *plan, const char *path, int ordinal)
{
	return strbuf_printf(sb, "%s/%s/%d", plan, path, ordinal);
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
	if (*s == '\0') {
		out->kind = PS_ID_SECTION;
		return 0;
	}
	if (*s++ != '/')
		return -1;
	if (*s == 'p') {
		out->kind = PS_ID_PARAGRAPH;
		s++;
		n = scan_number(s, false, &out->ordinal);
	} else {
		out->kind = PS_ID_CLAUSE;
		n = scan_number(s, true, &out->ordinal);
	}
	return n > 0 && s[n] == '\0' ? 0 : -1;
}
