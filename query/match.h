/* match.h: the clauses that may match a query, found by walking the index's posting lists in document id order, each with its score. */
#ifndef PQ_MATCH_H
#define PQ_MATCH_H

#include "parse.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * A clause holding a term literally holds each of its bigrams and each character that
 * stands alone in it (store/terms.h), so the walk over those posting lists, combined as the
 * query combines its terms, yields every clause that matches: a superset when a term is
 * three characters or more (its bigrams may lie apart), which the caller checks on the
 * clause's text; exactly the matches otherwise. Every match is visited, in document id
 * order, touching only the posting lists of the query's terms: what a search costs grows
 * with its candidates, not with the index. Why not Xapian's own matcher: it counts every
 * match (which the total and the facets need) several times slower, and BM25's document
 * lengths cost a read per match.
 *
 * Scores are BM25 without length normalisation (b = 0, k1 = 1.2): each term's inverse
 * document frequency times its saturated count in the clause, added up over the query's
 * positive terms; a character standing alone counts as one term (its occurrences as a
 * bigram's first and as a run's last together).
 */

typedef struct pq_match pq_match_t;

/* A stretch of clause documents, [first, end). */
typedef struct pq_docid_range {
	unsigned first, end;
} pq_docid_range_t;

/* The walk for a parsed query at clause scope: positive terms combined as the query
 * combines them, an excluded term the index says exactly (one or two characters) left out
 * of the walk, the others left to the caller's check; with `any`, every clause holding
 * one of the positive terms' bigrams or characters instead. Only clauses inside `ranges`
 * (sorted, apart; n_ranges 0 for all) are visited. *exact says whether every clause the
 * walk yields satisfies the query (see above; with `any`, when no term is excluded).
 * Returns 0 and a walk to free with pq_match_free, or -1 with a malloc'd message. */
int pq_match_query(ps_store_t *store, const pq_query_t *query, bool any,
		   const pq_docid_range_t *ranges, size_t n_ranges, pq_match_t **out,
		   bool *exact, char **error);

/* The walk for the clauses holding every bigram and lone character of norm[0,len) (a piece
 * of a term, terms.h), restricted to `ranges` as above. Returns 0 and a walk (NULL when
 * the text has nothing to look up), or -1 with a message. */
int pq_match_text(ps_store_t *store, const char *norm, size_t len,
		  const pq_docid_range_t *ranges, size_t n_ranges, pq_match_t **out,
		  char **error);

/* The next clause: 1 with its document id and score, 0 when there are no more, or -1 with
 * a malloc'd message when the index cannot be read. */
int pq_match_next(pq_match_t *match, unsigned *docid, double *score, char **error);

/* The next clauses, up to cap of them (cap > 0), into docids[] and scores[] and their
 * number into *n: what pq_match_next would give one by one, taken a buffer at a time where
 * the walk is one term's list, without a call per clause. Returns 1 with *n > 0, 0 when
 * there are no more (*n 0), or -1 with a malloc'd message when the index cannot be read
 * (*n clauses were still given). */
int pq_match_next_batch(pq_match_t *match, unsigned *docids, double *scores, size_t cap,
			size_t *n, char **error);

/* When the walk is one term's list or one character's union (a query of one term of one or
 * two characters, however restricted to ranges): true, with *score what a clause holding
 * that term `count` times scores (what pq_match_next gives for it); false for any other
 * walk. Cannot fail. */
bool pq_match_lone_score(const pq_match_t *match, unsigned count, double *score);

/* When the walk is one common n-gram's kept clauses alone (a query of that term only, not
 * restricted to ranges, not yet advanced): their reader, with what the index keeps for a
 * search of it alone (store.h, ps_ngram_clauses_t); else NULL. Owned by the walk. */
const ps_ngram_clauses_t *pq_match_kept(const pq_match_t *match);

/* What a clause of that n-gram with its bigrams' counts[0, n_bigrams) scores: what
 * pq_match_next gives for it. Only after pq_match_kept returned its clauses. */
double pq_match_kept_score(pq_match_t *match, const unsigned *counts);

/* Free. Accepts NULL. */
void pq_match_free(pq_match_t *match);

#endif
