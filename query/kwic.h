/* kwic.h: keyword in context: every occurrence of a query with the text around it. */
#ifndef PQ_KWIC_H
#define PQ_KWIC_H

#include "store.h"
#include "parse.h"
#include "search.h"

#include <stddef.h>

typedef struct pq_kwic_line {
	const ps_plan_t *plan; /* borrowed from the index */
	char *id;              /* the clause holding the occurrence's start (with --scope
				* paragraph or section: that unit); owned */
	int section;           /* the section whose own text holds the start (outline index) */
	int line;              /* 1-based line of the start */
	size_t start, end;     /* the occurrence: bytes of the plan's file */
	size_t left, right;    /* its context: [left, start) and [end, right) */
} pq_kwic_line_t;

typedef struct pq_kwic {
	pq_kwic_line_t *lines; /* by plan (index order), then position */
	size_t n_lines;
} pq_kwic_t;

typedef struct pq_kwic_request {
	const pq_query_t *query;
	pq_scope_t scope;
	const ps_plan_t *const *cities; /* only these plans; none means all */
	size_t n_cities;
	size_t width;                   /* characters of context on each side */
} pq_kwic_request_t;

/*
 * Find every occurrence. A query that is one term: its non-overlapping occurrences
 * (leftmost first) in the normalised body of each plan, the ones `policy-query freq`
 * counts. A query with operators: the non-overlapping occurrences of each of its distinct
 * positive terms inside each of its search hits at the scope. The context is `width`
 * code points of the original text on each side, cut at the edges of the plan's body.
 * Returns PS_OK and lines to free with pq_kwic_free, or PS_ERR_FAILED with a malloc'd
 * message in *error (an unreadable index, no memory).
 */
ps_status_t pq_kwic_run(ps_store_t *store, const pq_kwic_request_t *request, pq_kwic_t **out,
			char **error);

/* Free. Accepts NULL. */
void pq_kwic_free(pq_kwic_t *kwic);

#endif
