/* kept.h: what the suites of kept answers share: two searches' results compared to the last bit, and an index's live generation. */
#ifndef TESTS_KEPT_H
#define TESTS_KEPT_H

#include "format.h"
#include "search.h"

#include <stdio.h>
#include <string.h>

/* Fail, saying `what` and where, unless a and b have the same total, offset, hits (ids and
 * scores to the last bit) and chapters (plan, chapter, count). */
static inline void assert_same_results(const pq_results_t *a, const pq_results_t *b,
				       const char *what)
{
	if (a->total != b->total || a->n_hits != b->n_hits || a->offset != b->offset)
		fail_msg("%s: %zu hits of %zu from %zu, against %zu of %zu from %zu", what,
			 a->n_hits, a->total, a->offset, b->n_hits, b->total, b->offset);
	for (size_t i = 0; i < a->n_hits; i++)
		if (strcmp(a->hits[i].id, b->hits[i].id) != 0 || a->hits[i].score != b->hits[i].score)
			fail_msg("%s: hit %zu is %s (score %.17g), against %s (score %.17g)", what, i,
				 a->hits[i].id, a->hits[i].score, b->hits[i].id, b->hits[i].score);
	if (a->n_facets != b->n_facets)
		fail_msg("%s: %zu chapters against %zu", what, a->n_facets, b->n_facets);
	for (size_t i = 0; i < a->n_facets; i++)
		if (strcmp(a->facets[i].plan->city_id, b->facets[i].plan->city_id) != 0 ||
		    a->facets[i].chapter != b->facets[i].chapter ||
		    a->facets[i].count != b->facets[i].count)
			fail_msg("%s: chapter %zu is %s %d: %zu, against %s %d: %zu", what, i,
				 a->facets[i].plan->city_id, a->facets[i].chapter, a->facets[i].count,
				 b->facets[i].plan->city_id, b->facets[i].chapter, b->facets[i].count);
}

/* The generation directory of the index at db (its stub's second word) into out. */
static inline void generation_of(const char *db, char *out, size_t size)
{
	char stub[1200], line[512], name[400];
	int n = snprintf(stub, sizeof stub, "%s/%s", db, PS_STUB_NAME);
	assert_true(n > 0 && (size_t)n < sizeof stub);
	FILE *f = fopen(stub, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_int_equal(sscanf(line, "%*s %399s", name), 1);
	char *slash = strchr(name, '/');
	if (slash != NULL)
		*slash = '\0';
	n = snprintf(out, size, "%s/%s", db, name);
	assert_true(n > 0 && (size_t)n < size);
}

#endif
