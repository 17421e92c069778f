/* ngrams.h: writing the clause lists kept for 3- and 4-character n-grams made of frequent bigrams (private to store/). */
#ifndef PS_NGRAMS_H
#define PS_NGRAMS_H

#include "format.h"
#include "xapwrap.h"

#include <stddef.h>

/*
 * A term of three or more characters is walked as the AND of its two rarest bigrams, and
 * each clause that holds both is read and checked on its text. When both bigrams are common
 * (职业 and 教育 are each in a sixth of an education corpus), that is every such clause's
 * text, most of them not holding the term: 职业教育 checked a hundred thousand clauses of the
 * 1000× corpus to find 87,764. For every 3- and 4-character n-gram of the corpus whose
 * bigrams are all in at least the frequent threshold of clauses (frequent.h), the generation
 * keeps the clauses that hold it, with its bigrams' counts in each (format.h, "ngrams"), so
 * the query side walks that list instead, and checks nothing (query/match.c, N_KEPT).
 *
 * The n-grams come from the counts file's dictionary; their clauses from two passes over
 * the clauses' normal forms (the first sizes each n-gram's list, the second writes it in
 * place), so memory is the n-grams' table, a window of normal forms and a bounded buffer,
 * whatever the corpus.
 */

/* The threshold of clauses a bigram must be in for the n-grams made of it to be kept, when
 * none is given: a walk over this many candidates takes a millisecond or two, where the
 * n-gram's list is read in a tenth of that... */
#define PS_NGRAMS_MIN_CLAUSES 4096u

/* ... or the frequent grams' share of the index's clauses (PS_FREQUENT_MIN_SHARE), when
 * that is more: ps_frequent_threshold with this floor. */

/* Write DIR/ngrams (which must not exist) for the generation directory `dir`, whose
 * counts, docs and norms files are written and whose compacted clause database is db:
 * n_docs clause documents in the catalogue's facets[0, n_facets) (consecutive ranges of
 * document ids), bigrams frequent when in at least min_clauses clauses (the resolved
 * threshold: ps_frequent_threshold). An n-gram in at least min_clauses clauses also gets
 * what a search for it alone finds: its chapters, and the clauses that may rank among its
 * first `top` (0: PS_FREQUENT_TOP). Returns 0, or -1 with a malloc'd message in *error (the
 * file may be left; the caller deletes the generation). */
int ps_ngrams_write(const char *dir, xw_db_t *db, const ps_facet_rec_t *facets,
		    size_t n_facets, unsigned n_docs, unsigned min_clauses, unsigned top,
		    char **error);

#endif
