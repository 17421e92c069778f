/* counts.h: how often a short n-gram occurs in each plan, and in how many of its clauses, read from the index. */
#ifndef PS_COUNTS_H
#define PS_COUNTS_H

#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/* The longest n-gram counted per plan, in characters: longer terms are counted from the
 * plans' normal forms. */
#define PS_MAX_COUNTED_GRAM 4

/* Whether the index counted norm[0,len) (a normal form): one to four characters, none of
 * them white space. Longer terms are counted on the plans' normal forms. Cannot fail. */
bool ps_counts_cover(const char *norm, size_t len);

/* Called for each plan where the n-gram occurs, in plan order: the places it starts in the
 * plan's normal form (overlapping occurrences each count: "哈哈" twice in 哈哈哈), and the
 * clauses holding it whole. Non-zero stops the walk. */
typedef int (*ps_count_fn)(void *ctx, const ps_plan_t *plan, size_t occurrences,
			   size_t passages);

/* Hand fn the counts of the covered n-gram norm[0,len) in every plan that has it: one
 * binary search and one posting list, whatever the size of the plans. Returns PS_OK (also
 * when fn stopped the walk), PS_ERR_INVALID for an n-gram the index does not count, or
 * PS_ERR_CORRUPT with a malloc'd message in *error when the counts are damaged. */
ps_status_t ps_store_count(ps_store_t *store, const char *norm, size_t len, ps_count_fn fn,
			   void *ctx, char **error);

#endif
