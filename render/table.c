/* table.c: CSV and TSV fields, and a JSON object whose last array is written entry by entry. */
#include "table.h"

#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	/* the bytes between those changed are written a run at a time: text[plain, i) */
	size_t plain = 0;
	if (format == PQ_TABLE_TSV) {
		for (size_t i = 0; i < n; i++) {
			char c = text[i];
			if (c != '\t' && c != '\r' && c != '\n')
				continue;
			if ((i > plain && fwrite(text + plain, 1, i - plain, out) != i - plain) ||
			    fputc(' ', out) == EOF)
				return -1;
			plain = i + 1;
		}
		return n == plain || fwrite(text + plain, 1, n - plain, out) == n - plain ? 0 : -1;
	}
	bool quote = false;
	for (size_t i = 0; i < n && !quote; i++)
		quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
	if (!quote)
		return n == 0 || fwrite(text, 1, n, out) == n ? 0 : -1;
	if (fputc('"', out) == EOF)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (text[i] != '"')
			continue;
		/* up to and with the quote, then the quote again */
		if (fwrite(text + plain, 1, i + 1 - plain, out) != i + 1 - plain ||
		    fputc('"', out) == EOF)
			return -1;
		plain = i + 1;
	}
	if (n > plain && fwrite(text + plain, 1, n - plain, out) != n - plain)
		return -1;
	return fputc('"', out) == EOF ? -1 : 0;
}

int pq_table_escape(pq_table_format_t format, const char *text, size_t n, strbuf_t *sb)
{
	if (format == PQ_TABLE_TSV) {
		size_t at = sb->len;
		if (strbuf_append(sb, text, n) != 0)
			return -1;
		for (size_t i = at; i < sb->len; i++)
			if (sb->data[i] == '\t' || sb->data[i] == '\r' || sb->data[i] == '\n')
				sb->data[i] = ' ';
		return 0;
	}
	bool quote = false;
	for (size_t i = 0; i < n && !quote; i++)
		quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
	if (!quote)
		return strbuf_append(sb, text, n);
	int rc = strbuf_append(sb, "\"", 1);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = text[i] == '"' ? strbuf_append(sb, "\"\"", 2) : strbuf_append(sb, text + i, 1);
	return rc != 0 ? -1 : strbuf_append(sb, "\"", 1);
}

int pq_table_str(FILE *out, pq_table_format_t format, bool first, const char *text)
{
	return pq_table_field(out, format, first, text, strlen(text));
}

int pq_table_end(FILE *out, pq_table_format_t format)
{
	return fputs(format == PQ_TABLE_CSV ? "\r\n" : "\n", out) == EOF ? -1 : 0;
}

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

int pq_json_open_array(FILE *out, json_object *head, const char *name)
{
	size_t len;
	const char *s = json_object_to_json_string_length(head, JSON_FLAGS, &len);
	if (s == NULL || len < 2) {
		errno = ENOMEM;
		return -1;
	}
	/* {"a":1} less its brace; an empty head, {}, gives "{" and no comma */
	bool empty = len == 2;
	if (fwrite(s, 1, len - 1, out) != len - 1 || fputs(empty ? "\"" : ",\"", out) == EOF ||
	    fputs(name, out) == EOF || fputs("\":[", out) == EOF)
		return -1;
	return 0;
}

int pq_json_array_entry(FILE *out, json_object *entry, bool first)
{
	const char *s = json_object_to_json_string_ext(entry, JSON_FLAGS);
	if (s == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return (!first && fputc(',', out) == EOF) || fputs(s, out) == EOF ? -1 : 0;
}

int pq_json_append(json_object *value, struct strbuf *sb)
{
	size_t len;
	const char *s = json_object_to_json_string_length(value, JSON_FLAGS, &len);
	if (s == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return strbuf_append(sb, s, len) != 0 ? (errno = ENOMEM, -1) : 0;
}

int pq_json_close_array(FILE *out)
{
	return fputs("]}\n", out) == EOF ? -1 : 0;
}
