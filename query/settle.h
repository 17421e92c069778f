/* settle.h: a lone term's candidate clauses settled plan by plan from the index's counts, so only doubtful plans are read. */
#ifndef PQ_SETTLE_H
#define PQ_SETTLE_H

#include "match.h"
#include "parse.h"
#include "store.h"

#include <stdbool.h>

/*
 * A walk over the rarest bigrams of a term yields every clause holding the term and maybe
 * some that only hold the bigrams. For a term the index counts (counts.h: one to four
 * characters), the counts say how many of each plan's clauses hold it whole. Where a plan
 * yields exactly that many candidates, every one holds the term; where the counts say
 * none does, every one is a false candidate. Only plans in between need their clauses read.
 */
typedef struct pq_settle pq_settle_t;

/* The settling of `query`'s candidates, or NULL in *out when the query is not one positive
 * term the index counts (the caller then checks every candidate). Returns 0, or -1 with a
 * malloc'd message when memory runs out or the counts are damaged. */
int pq_settle_new(ps_store_t *store, const pq_query_t *query, pq_settle_t **out, char **error);

/* The next candidate of `match` that is not known to be false: 1 with its document id,
 * score and whether it is known to hold the term (*sure; otherwise its text must be
 * checked), 0 at the end, or -1 with a malloc'd message. Candidates come in document id
 * order. */
int pq_settle_next(pq_settle_t *settle, pq_match_t *match, unsigned *docid, double *score,
		   bool *sure, char **error);

/* Free. Accepts NULL. */
void pq_settle_free(pq_settle_t *settle);

#endif
