/* search.h: literal search over the index: candidates from the index, exactness from the stored text. */
#ifndef PQ_SEARCH_H
#define PQ_SEARCH_H

#include "index.h"

#include <json-c/json.h>
#include <stddef.h>

typedef struct pq_range {
	size_t start, end; /* bytes, end exclusive */
} pq_range_t;

typedef struct pq_hit {
	json_object *data;      /* the passage's stored data (schema.h); owned */
	const pq_plan_t *plan;  /* borrowed from the index */
	double score;           /* BM25 over words and bigrams */
	pq_range_t *matches;    /* byte ranges in the passage's text, sorted, merged;
				 * NULL until pq_hit_find_matches */
	size_t n_matches;
} pq_hit_t;

typedef struct pq_request {
	const char *const *terms;         /* each must occur literally after normalisation */
	size_t n_terms;
	const pq_plan_t *const *cities;   /* restrict to these plans; none means all */
	size_t n_cities;
} pq_request_t;

typedef struct pq_results {
	pq_hit_t *hits;      /* every matching passage, best first */
	size_t n_hits;       /* the exact total, not an estimate */
	char **norm_terms;   /* the request's terms, normalised */
	size_t n_terms;
	size_t *per_plan;    /* hits per plan, in the index's plan order */
	size_t n_plans;
} pq_results_t;

/* Find every passage in which every term occurs literally after normalisation
 * (normalize.h), ranked by BM25. Returns 0 and results the caller frees with
 * pq_results_free; PQ_SEARCH_BAD_QUERY with a malloc'd message in *error for a request
 * that cannot be searched (no terms, a term that is not UTF-8 or normalises to nothing);
 * or -1 with a message when the search itself fails (index read error, out of memory). */
#define PQ_SEARCH_BAD_QUERY (-2)
int pq_search(pq_index_t *index, const pq_request_t *request, pq_results_t **out, char **error);

/* Fill hit->matches with every occurrence of every term, as byte ranges of its text.
 * Returns 0, or -1 with a message in *error. Calling it twice is harmless. */
int pq_hit_find_matches(const pq_results_t *results, pq_hit_t *hit, char **error);

/* Free results. Accepts NULL. */
void pq_results_free(pq_results_t *results);

/* Helpers for reading a hit's stored data: a string ("" if missing), a number (0). */
const char *pq_hit_string(const pq_hit_t *hit, const char *key);
long long pq_hit_int(const pq_hit_t *hit, const char *key);

#endif
