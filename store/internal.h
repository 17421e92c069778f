/* internal.h: what the store's own files share and no one else may call. */
#ifndef PS_INTERNAL_H
#define PS_INTERNAL_H

#include "store.h"

/* The database of n-gram counts (format.h), opened on first use and kept by the store;
 * NULL with a malloc'd message in *error when it cannot be opened. */
xw_db_t *ps_store_counts_db(ps_store_t *store, char **error);

/* The plan a counts document belongs to, or NULL. Binary search. */
const ps_plan_t *ps_store_plan_of_counts(const ps_store_t *store, unsigned count_docid);

#endif
