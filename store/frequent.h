/* frequent.h: writing the answers kept for the characters and bigrams in the most clauses (private to store/). */
#ifndef PS_FREQUENT_H
#define PS_FREQUENT_H

#include "format.h"
#include "xapwrap.h"

#include <stddef.h>
#include <stdint.h>

/*
 * A search for one common character or bigram alone (教育 is in half the clauses of a
 * corpus of education plans) reads its whole posting list to count the total and the
 * chapters and to rank the first page: about 20 ns a clause, which for a million clauses
 * is the whole cost of the command. The generation keeps, for every gram in at least a
 * threshold of clauses, the answers that walk gives (format.h, "frequent"): the number of
 * clauses, each chapter's, and the clauses with the highest counts (a lone term's score
 * grows with its count, so those are the first page by score). The query side reads them
 * instead of the list when a search is that gram alone (query/search.c says when).
 */

/* The threshold when none is given: grams in at least this many clauses... */
#define PS_FREQUENT_MIN_CLAUSES 16384u
/* ... or in this share of the index's clauses, when that is more (1/128): the grams kept
 * stay a few hundred however big the index grows. */
#define PS_FREQUENT_MIN_SHARE 128u
/* The top clauses kept a gram when none is given: pages up to this deep are answered. */
#define PS_FREQUENT_TOP 256u

/* The threshold of clauses for min_clauses given (policy-index --frequent N, taken as it
 * is; 0: the default) in an index of n_docs clauses: the default is `least`
 * (PS_FREQUENT_MIN_CLAUSES for characters and bigrams), or 1/PS_FREQUENT_MIN_SHARE of the
 * clauses when that is more. Cannot fail. */
unsigned ps_frequent_threshold(unsigned n_docs, unsigned min_clauses, unsigned least);

/* Write `path` (which must not exist) from the compacted clause database db: the grams in
 * at least min_clauses clauses (0: the default above), each with its top clauses (at most
 * `top`, 0: the default) and its clauses per facet (facets[0, n_facets), the catalogue's:
 * consecutive ranges of document ids from 1 to n_docs). Memory: 4 MB (a window of a
 * million documents' counts) and a gram's chapters. Returns 0, or -1 with a malloc'd message in *error (the file may
 * be left; the caller deletes the generation). */
int ps_frequent_write(xw_db_t *db, const char *path, const ps_facet_rec_t *facets,
		      size_t n_facets, unsigned n_docs, unsigned min_clauses, unsigned top,
		      char **error);

#endif
