/* table.h: CSV (RFC 4180) and TSV fields, and output files that appear whole or not at all. */
#ifndef PQ_TABLE_H
#define PQ_TABLE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum pq_table_format {
	PQ_TABLE_CSV,  /* RFC 4180: a field with a comma, quote, CR or LF is quoted, its quotes
			* doubled; records end in CRLF */
	PQ_TABLE_TSV,  /* tab-separated: a tab, CR or LF in a field becomes a space; records
			* end in LF */
	PQ_TABLE_JSON, /* not a table: one JSON object (each command writes its own) */
	PQ_TABLE_TEXT, /* not a table: for people (kwic) */
} pq_table_format_t;

/* Parse "csv", "tsv", "json" or "text". Returns 0, or -1 for anything else. */
int pq_table_format_parse(const char *name, pq_table_format_t *out);

/* Write one field of n bytes (CSV or TSV), preceded by the separator unless it is the
 * record's first. Returns 0, or -1 when the write fails. */
int pq_table_field(FILE *out, pq_table_format_t format, bool first, const char *text, size_t n);

/* Append the bytes pq_table_field would write for text[0,n) (without the separator) to sb,
 * for a field written many times. Returns 0, or -1 when memory runs out. */
struct strbuf;
int pq_table_escape(pq_table_format_t format, const char *text, size_t n, struct strbuf *sb);

/* pq_table_field for a NUL-terminated string. */
int pq_table_str(FILE *out, pq_table_format_t format, bool first, const char *text);

/* End a record: CRLF for CSV, LF for TSV. Returns 0, or -1 when the write fails. */
int pq_table_end(FILE *out, pq_table_format_t format);

/*
 * One JSON object whose last member is an array written entry by entry, so that the
 * entries need not all be held: pq_json_open_array writes `head` (an object, its other
 * members; it may be empty) without its closing brace, then ,"name":[ (name a plain key
 * that needs no escaping); pq_json_array_entry writes one entry
 * (a comma before all but the first); pq_json_close_array writes ]} and a newline. The
 * bytes are those json-c would write for the whole object (JSON_C_TO_STRING_PLAIN, "/" not
 * escaped). Each returns 0, or -1 with errno set when a write fails or memory runs out.
 */
int pq_json_open_array(FILE *out, json_object *head, const char *name);
int pq_json_array_entry(FILE *out, json_object *entry, bool first);
int pq_json_close_array(FILE *out);

/* Append `value` as json-c writes it in such an object (JSON_C_TO_STRING_PLAIN, "/" not
 * escaped) to sb: for an entry written piece by piece, its strings and doubles in the same
 * bytes as pq_json_array_entry would give them. Returns 0, or -1 with errno set when
 * memory runs out. */
int pq_json_append(json_object *value, struct strbuf *sb);

/* The UTF-8 byte order mark that makes Excel read a CSV or TSV file as UTF-8. */
#define PQ_TABLE_BOM "\xEF\xBB\xBF"

#endif
