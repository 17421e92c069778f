/* suggest.h: when a literal search finds nothing, why, and what would find something. */
#ifndef PQ_SUGGEST_H
#define PQ_SUGGEST_H

#include "search.h"

#include <stddef.h>

/*
 * What pq_suggest looks at, in this order (each a suggestion when it applies):
 *
 * - "operator": a lower-case or mixed-case or/and/not typed as a word of its own, which is
 *   searched as a word; in capitals it is the operator;
 * - "folded": a term whose traditional characters were searched as simplified (the plans
 *   are found in either form, so this only explains the search);
 * - "term": each positive term searched alone at clause scope with the same filters: how
 *   many passages hold it, or that none does;
 * - "words": for a term no passage holds, its ICU words (rank.h) with how many passages
 *   hold each, and the narrowest scope at which all of them meet;
 * - "typo": for a term no passage holds (two to ten characters), the indexed strings that
 *   differ from it by one character left out, added, replaced or two swapped, with how
 *   often each occurs, most frequent first;
 * - "scope": when every term occurs but not together, the first wider scope (paragraph,
 *   then section) at which the query holds, with its count;
 * - "any": the ranked run (--any, distinct paragraphs): how many passages hold some of
 *   the query, and the ids of the best three.
 */

typedef struct pq_suggestion {
	const char *kind; /* "operator", "folded", "term", "words", "typo", "scope", "any"
			   * (static) */
	char *message;    /* one line for people, owned */
	char *query;      /* what to run instead, as arguments for policy-query joined by
			   * spaces ("--scope paragraph 双减 作业"), owned; NULL when there is
			   * nothing to run */
} pq_suggestion_t;

typedef struct pq_suggestions {
	pq_suggestion_t *items;
	size_t n;
} pq_suggestions_t;

/* The suggestions for `request` (a literal search that found nothing; the same filters are
 * used). Returns PS_OK with *out filled (possibly empty; free with pq_suggestions_clear),
 * or PS_ERR_FAILED / PS_ERR_NO_MEMORY with a malloc'd message when the index cannot be
 * read or memory runs out. */
ps_status_t pq_suggest(ps_store_t *store, const pq_request_t *request, pq_suggestions_t *out,
		       char **error);

/* Free what out holds and empty it. Accepts NULL. */
void pq_suggestions_clear(pq_suggestions_t *out);

#endif
