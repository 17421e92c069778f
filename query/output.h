/* output.h: writing search results for people (text) and for programs (JSON); one module, every format. */
#ifndef PQ_OUTPUT_H
#define PQ_OUTPUT_H

#include "search.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum pq_format {
	PQ_FORMAT_TEXT,
	PQ_FORMAT_JSON,
} pq_format_t;

typedef struct pq_output_options {
	pq_format_t format;
	const pq_request_t *request; /* what was searched for: the scope, the terms to mark */
	bool color;        /* highlight matches with ANSI colour (text only) */
	const char *query; /* the query as typed, echoed in JSON */
} pq_output_options_t;

/* Parse "text" or "json". Returns 0, or -1 for another name. */
int pq_format_parse(const char *name, pq_format_t *out);

/*
 * Write the results: the hits they hold (the request's page, pq_request_t), numbered from
 * their offset, and the total and facets of every hit. Text: per hit the city and plan, the
 * section path with numbers and titles, the id, file and line, and the text with every
 * match highlighted; then the total with a count per city and per chapter. JSON: one
 * object, {"query", "scope", "total", "offset", "facets": {"city": {city: n, …},
 * "chapter": {city: {chapter: n, …}, …}}, "hits": [{"id", "unit", "city", "city_id",
 * "province", "document", "document_title_supplied", "section": [{"number", "title",
 * "path"}…], "text", "file", "start", "end", "line", "score", "matches": [[s,e]…]}]},
 * where text is the exact bytes [start,end) of file, matches are byte ranges in text,
 * and the facets count every hit, not just the page. Returns 0, or -1 with a malloc'd
 * message in *error.
 */
int pq_output_write(FILE *out, pq_index_t *index, pq_results_t *results,
		    const pq_output_options_t *options, char **error);

#endif
