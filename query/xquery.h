/* xquery.h: Xapian queries that propose candidates for a parsed query (store/terms.h's terms). */
#ifndef PQ_XQUERY_H
#define PQ_XQUERY_H

#include "xapwrap.h"
#include "parse.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Candidates are clauses. A clause holding a term literally holds every character bigram
 * of it (a one-character term: the character), so the AND of those is a superset of the
 * clauses that match; the exact check comes later, on the text.
 *
 * A term can run across a clause boundary inside a paragraph or a section ("。双减"), where
 * no clause holds it whole. So a term is split into pieces after each character that can
 * end a clause (clauses.h), and each piece is looked up on its own; a unit holds the term
 * only if it holds every piece.
 */

/* The pieces of a normalised term, as Xapian queries that match the clauses holding each
 * piece (AND of its n-grams, which weigh by BM25). Pieces with nothing to look up (white
 * space) are left out. Returns 0 with a malloc'd array of *n queries (free with
 * pq_xquery_free_list), or -1 with a message. */
int pq_xquery_term_pieces(const char *norm, xw_query_t ***pieces, size_t *n, char **error);

/* The candidates for the whole query at clause scope: positive terms combined as the query
 * combines them, their n-grams weighing by BM25; an excluded term the index
 * says exactly (one or two characters) as AND_NOT, the others left to the check on the
 * text. With `any`, instead the OR of every positive term's n-grams (its bigrams, or its
 * character), ranked by BM25. *exact says
 * whether every match satisfies the query, so that no check on the text is needed: every
 * term is one or two characters without white space (a clause holds the bigram of two
 * characters only where they stand side by side) or, with `any`, no term is excluded.
 * Returns a query to destroy, or NULL with a message. */
xw_query_t *pq_xquery_clauses(const pq_query_t *query, bool any, bool *exact, char **error);

/* Destroy n queries and the array. Accepts NULL. */
void pq_xquery_free_list(xw_query_t **list, size_t n);

#endif
