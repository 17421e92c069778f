/* facets.h: a check that ps_store_facet_of finds every clause's facet, whatever its hint. */
#ifndef TESTS_FACETS_H
#define TESTS_FACETS_H

#include "store.h"

#include <stdint.h>

/* For every clause of the store: the facet ps_store_facet_of names holds it (its range
 * [first, end) as ps_store_facet reads it, and the same end), from a hint of the first
 * facet, of the facet before, of the facet found for the clause before (what a walk in
 * ascending ids passes) and of the last facet (past it: bisection). Ids no clause has are
 * refused. Returns how many facets were seen, for the caller to check it is not vacuous. */
static inline size_t assert_facet_of_finds_every_clause(ps_store_t *store)
{
	size_t n_facets = ps_store_n_facets(store), seen = 0, walked = 0;
	unsigned n_docs = ps_store_n_docs(store), end = 0;
	assert_true(n_facets > 0);
	for (unsigned d = 1; d <= n_docs; d++) {
		const size_t hints[] = {0, walked > 0 ? walked - 1 : 0, walked, n_facets - 1};
		size_t first = SIZE_MAX;
		for (size_t h = 0; h < sizeof hints / sizeof *hints; h++) {
			ps_facet_t f;
			size_t got = ps_store_facet_of(store, d, hints[h], &end);
			assert_true(got < n_facets);
			assert_true(ps_store_facet(store, got, &f));
			if (f.first_docid > d || d >= f.end_docid || end != f.end_docid)
				fail_msg("clause %u: facet %zu [%u, %u), end %u, from hint %zu", d, got,
					 f.first_docid, f.end_docid, end, hints[h]);
			if (first == SIZE_MAX)
				first = got;
			assert_int_equal(got, first);
		}
		if (first != walked || d == 1)
			seen++;
		walked = first;
	}
	end = 7;
	assert_int_equal(ps_store_facet_of(store, 0, 0, &end), SIZE_MAX);
	assert_int_equal(ps_store_facet_of(store, n_docs + 1, 0, &end), SIZE_MAX);
	assert_int_equal(ps_store_facet_of(store, UINT32_MAX, n_facets - 1, &end), SIZE_MAX);
	assert_int_equal(end, 7);
	return seen;
}

#endif
