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

/* The UTF-8 byte order mark that makes Excel read a CSV or TSV file as UTF-8. */
#define PQ_TABLE_BOM "\xEF\xBB\xBF"

/*
 * An output file (-o): a regular file is written whole or not at all, anything else is
 * written into as it is.
 *
 * - A regular file, or a path where nothing is yet: a temporary file is made beside it
 *   (mkstemp, in the same directory, so on the same file system), pq_outfile_commit renames
 *   it over the path, pq_outfile_abort removes it and leaves the path as it was. An existing
 *   file keeps its permissions.
 * - A character device (/dev/null, /dev/full, a terminal), a FIFO, a pipe (/dev/stdout is a
 *   link to /proc/self/fd/1) or another special file: opened and written into, never
 *   replaced.
 * - A symbolic link is followed to what it names, the chain of links as far as it goes: a
 *   link to a regular file or to nothing (a dangling link) has its target written, and the
 *   link stays. A link in a sticky, world-writable directory (/tmp) that belongs to someone
 *   else than us and the directory's owner is not followed: the output is refused, as Linux
 *   refuses to open through such a link with fs.protected_symlinks (realpath and rename
 *   would otherwise step around that rule).
 * - NULL or "-" is standard output; commit only flushes it.
 */
typedef struct pq_outfile {
	FILE *f;    /* write here */
	char *name; /* the path as given, for messages; NULL for standard output */
	char *path; /* the regular file to replace, links followed; NULL when written in place */
	char *tmp;  /* the temporary file beside it; NULL when written in place */
} pq_outfile_t;

/* Returns 0 and a file to commit or abort, or -1 with a malloc'd message naming the path in
 * *error (a link not to follow, a directory, no temporary file can be made beside it, a
 * special file that cannot be opened). */
int pq_outfile_open(const char *path, pq_outfile_t **out, char **error);

/* Set *error (if not already set) to "cannot write NAME: <strerror(err)>", NAME the path as
 * given or "the output" for standard output: for a writer that failed with errno err. */
void pq_outfile_write_error(const pq_outfile_t *file, int err, char **error);

/* Flush and close; rename a temporary file into place. The outfile is freed either way.
 * Returns 0, or -1 with a malloc'd message in *error that names the path and the reason (a
 * failed write: No space left on device, an I/O error), in which case a temporary file is
 * removed and the path left as it was. */
int pq_outfile_commit(pq_outfile_t *file, char **error);

/* Remove the temporary file, if any, and free. Accepts NULL. */
void pq_outfile_abort(pq_outfile_t *file);

#endif
