/* xquery.h: Xapian queries that propose candidates for a parsed query (terms.h's terms, schema.h's prefixes). */
#ifndef PQ_XQUERY_H
#define PQ_XQUERY_H

#include "index.h"
#include "parse.h"
#include "tokenize.h"

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
 * piece (AND of its n-grams, weighted by its words too), restricted to `cities` if any.
 * Pieces with nothing to look up (white space) are left out. Returns 0 with a malloc'd
 * array of *n queries (free with pq_xquery_free_list), or -1 with a message. */
int pq_xquery_term_pieces(seg_words_t *words, const char *norm,
			  const pq_plan_t *const *cities, size_t n_cities,
			  xw_query_t ***pieces, size_t *n, char **error);

/* The candidates for the whole query at clause scope: positive terms combined as the query
 * combines them (excluded terms are left to the exact check), weighted by the words of
 * every positive term, restricted to `cities` if any. With `any`, instead the OR of every
 * positive term's words and bigrams. Returns a query to destroy, or NULL with a message. */
xw_query_t *pq_xquery_clauses(seg_words_t *words, const pq_query_t *query, bool any,
			      const pq_plan_t *const *cities, size_t n_cities, char **error);

/* The clauses that satisfy the whole query, exactly, from the index alone: a one-character
 * term is its character, a longer one the phrase of its bigrams (terms.h keeps bigrams
 * adjacent only where they overlap in the text), NOT is AND_NOT. Matches are weighted by
 * pq_xquery_clauses's candidates (so they rank as when checked on their text), and
 * restricted to `cities` if any. Returns a query to destroy; NULL with
 * *inexact set when some term holds white space, where n-grams cannot say it exactly, or
 * runs past 65 characters, where a phrase would cost more than checking the few candidates
 * (the caller then checks candidates on their text); NULL with a message on failure. */
xw_query_t *pq_xquery_exact(seg_words_t *words, const pq_query_t *query,
			    const pq_plan_t *const *cities, size_t n_cities, bool *inexact,
			    char **error);

/* Destroy n queries and the array. Accepts NULL. */
void pq_xquery_free_list(xw_query_t **list, size_t n);

#endif
