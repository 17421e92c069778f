/* kwic_format.h: a concordance (kwic.h) written as aligned text, CSV, TSV or JSON. */
#ifndef PQ_KWIC_FORMAT_H
#define PQ_KWIC_FORMAT_H

#include "kwic.h"
#include "table.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct pq_kwic_format {
	pq_table_format_t format; /* text, csv, tsv or json */
	bool excel;               /* csv, tsv: start with a UTF-8 byte order mark */
	const char *query;        /* the query as typed (JSON echoes it) */
	pq_scope_t scope;         /* what the ids name (JSON echoes it) */
	size_t width;             /* the context asked for (JSON echoes it) */
} pq_kwic_format_t;

/*
 * Write the lines of k to out. Text: one aligned line per occurrence (id, line, left
 * context right-aligned, ⟪match⟫, right context; line breaks and tabs as spaces, control
 * characters shown, not obeyed), then the count per plan. CSV/TSV: the columns city,
 * city_id, id, line, section, left, match, right, start, end. JSON: {"query", "scope",
 * "width", "total", "occurrences": [{… those fields, "file"}…]}, written entry by entry.
 * Returns 0; or -1 when a write fails (errno set, *error untouched: the caller names the
 * file) or the index cannot be read or memory runs out (a malloc'd message in *error).
 */
int pq_kwic_write(FILE *out, ps_store_t *index, const pq_kwic_t *k,
		  const pq_kwic_format_t *format, char **error);

#endif
