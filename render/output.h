/* output.h: writing search results for people (text) and for programs (JSON); one module, every format. */
#ifndef PQ_OUTPUT_H
#define PQ_OUTPUT_H

#include "search.h"
#include "suggest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum pq_format {
	PQ_FORMAT_TEXT,
	PQ_FORMAT_JSON,
	PQ_FORMAT_CSV, /* RFC 4180 (table.h), one row per hit */
	PQ_FORMAT_TSV,
} pq_format_t;

typedef struct pq_output_options {
	pq_format_t format;
	const pq_request_t *request; /* what was searched for: the scope, the terms to mark */
	bool color;        /* highlight matches with ANSI colour (text only) */
	bool markers;      /* text without colour: each match between PQ_MARK_OPEN and
			    * PQ_MARK_CLOSE */
	bool full;         /* text: long paragraph and section hits whole, not as a snippet */
	bool excel;        /* csv, tsv: start with a UTF-8 byte order mark */
	const char *query; /* the query as typed, echoed in JSON */
} pq_output_options_t;

/* What marks a match in text output without colour (as kwic marks its keyword). */
#define PQ_MARK_OPEN "⟪"
#define PQ_MARK_CLOSE "⟫"

/* A paragraph or section hit longer than this many bytes of text is shown, without full,
 * as a snippet: PQ_SNIPPET_CONTEXT bytes (about a third as many CJK characters) on either
 * side of each of its first PQ_SNIPPET_MATCHES matches, joined by " … ". */
#define PQ_SNIPPET_MIN 600
#define PQ_SNIPPET_CONTEXT 120
#define PQ_SNIPPET_MATCHES 4

/* Parse "text", "json", "csv" or "tsv". Returns 0, or -1 for another name. */
int pq_format_parse(const char *name, pq_format_t *out);

/*
 * Write results: the hits (the request's page, pq_request_t), numbered from their offset,
 * and the total and facets of every hit. Text: per hit the city and plan, the section path
 * with numbers and titles, the id, file and line, and the text with every match
 * highlighted; then the total with a count per city and per chapter. JSON: one object,
 * {"query", "scope", "total", "offset", "facets": {"city": {city: n, …}, "chapter": {city:
 * {chapter: n, …}, …}}, "hits": [{"id", "unit", "city", "city_id", "province", "document",
 * "document_title_supplied", "section": [{"number", "title", "path"}…], "text", "file",
 * "start", "end", "line", "score", "matches": [[s,e]…]}]}, where text is the exact bytes
 * [start,end) of file, matches are byte ranges in text, offset is the one asked for, and
 * the facets count every hit, not just the page. CSV and TSV: a header, then one row per
 * hit: id, city, city_id, province, document, section (the path as text shows it), text
 * (the exact bytes), file, line, start, end, score, matches ("s-e" byte ranges in text,
 * separated by spaces).
 *
 * The writer takes the counts first and then one hit at a time and keeps none of them, so
 * its memory does not grow with the number of hits: open, head, hit for each, close.
 */
typedef struct pq_output pq_output_t;

/* A writer to `out` (borrowed, as are the index and options->request). Returns PS_OK, or
 * PS_ERR_IO with a malloc'd message in *error (no memory). */
ps_status_t pq_output_open(FILE *out, ps_store_t *index, const pq_output_options_t *options,
			   pq_output_t **w, char **error);

/* The total, offset and facets (counts->hits is not read). JSON writes them at once; text
 * keeps them for the end. Returns PS_OK, or PS_ERR_IO with a malloc'd message (a write
 * error says why). */
ps_status_t pq_output_head(pq_output_t *w, const pq_results_t *counts, char **error);

/* What to say when nothing was found (suggest.h), borrowed until the writer is closed;
 * call before pq_output_head. Text writes them after the counts, one per line with the
 * command to run; JSON as "suggestions": [{"kind", "message", "query"}] before "hits".
 * Cannot fail. */
void pq_output_suggest(pq_output_t *w, const pq_suggestions_t *suggestions);

/* Write one hit, finding its matches if they are not there yet. Returns PS_OK, or
 * PS_ERR_IO with a malloc'd message. */
ps_status_t pq_output_hit(pq_output_t *w, pq_hit_t *hit, char **error);

/* Finish (JSON's closing brackets, text's counts), flush, and free the writer. Returns
 * PS_OK, or PS_ERR_IO with a malloc'd message ("cannot write the results: No space left on
 * device"). */
ps_status_t pq_output_close(pq_output_t *w, char **error);

/* Free without finishing. Accepts NULL. */
void pq_output_free(pq_output_t *w);

/* The writer as a pq_search_each sink. */
pq_sink_t pq_output_sink(pq_output_t *w);

/* A sink that, when a literal search (not --any, first page) finds nothing, asks the
 * engine what would (pq_suggest) and writes that before the counts: what policy-query and
 * policy-serve both do. The state lives in the caller's pq_suggesting_t, which must
 * outlive the search and the writer's close, and is cleared with pq_suggesting_clear.
 * The --any run it suggests uses the request's thesaurus; where the request has none
 * (a literal search does not load it), set `thesaurus_default` and `thesaurus_files`
 * as --any would open them, and the sink opens that thesaurus only when it suggests
 * (one that cannot be read is left out of the suggestion; the search still answers). */
typedef struct pq_suggesting {
	pq_output_t *out;
	ps_store_t *index;
	const pq_request_t *request;
	bool thesaurus_default;
	const char *const *thesaurus_files;
	size_t n_thesaurus_files;
	pq_thesaurus_t *opened; /* owned: the thesaurus opened for a suggestion */
	pq_suggestions_t suggestions;
} pq_suggesting_t;

pq_sink_t pq_output_sink_suggesting(pq_output_t *w, ps_store_t *index,
				    const pq_request_t *request, pq_suggesting_t *state);

/* Free the suggestions a suggesting sink made. Accepts a zeroed state. */
void pq_suggesting_clear(pq_suggesting_t *state);

/* All at once: head, every hit of `results`, close. Returns PS_OK, or PS_ERR_IO with a
 * malloc'd message in *error. */
ps_status_t pq_output_write(FILE *out, ps_store_t *index, pq_results_t *results,
			    const pq_output_options_t *options, char **error);

#endif
