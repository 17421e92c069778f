/* table.h: CSV (RFC 4180) and TSV fields, and output files that appear whole or not at all. */
#ifndef PQ_TABLE_H
#define PQ_TABLE_H

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

/* pq_table_field for a NUL-terminated string. */
int pq_table_str(FILE *out, pq_table_format_t format, bool first, const char *text);

/* End a record: CRLF for CSV, LF for TSV. Returns 0, or -1 when the write fails. */
int pq_table_end(FILE *out, pq_table_format_t format);

/* The UTF-8 byte order mark that makes Excel read a CSV or TSV file as UTF-8. */
#define PQ_TABLE_BOM "\xEF\xBB\xBF"

/*
 * An output file written whole or not at all: pq_outfile_open with a path creates a
 * temporary file beside it (mkstemp, so on the same file system), pq_outfile_commit
 * renames it over the path, and pq_outfile_abort removes it, leaving the path as it was.
 * With a NULL path the output is standard output and commit only flushes it.
 */
typedef struct pq_outfile {
	FILE *f;    /* write here */
	char *path; /* NULL for standard output */
	char *tmp;  /* the temporary file's name */
} pq_outfile_t;

/* Returns 0 and a file to commit or abort, or -1 with a malloc'd message naming the
 * directory in *error. */
int pq_outfile_open(const char *path, pq_outfile_t **out, char **error);

/* Flush, close and rename into place; the outfile is freed either way. Returns 0, or -1
 * with a malloc'd message in *error (a failed write: disk full, I/O error), in which case
 * the temporary file is removed and the path untouched. */
int pq_outfile_commit(pq_outfile_t *file, char **error);

/* Remove the temporary file and free. Accepts NULL. */
void pq_outfile_abort(pq_outfile_t *file);

#endif
