/* internal.h: what the store's own files share and no one else may call. */
#ifndef PS_INTERNAL_H
#define PS_INTERNAL_H

#include "store.h"

/* The counts file (format.h) as mapped: *len bytes at *data, the head checked. */
void ps_store_counts_file(const ps_store_t *store, const char **data, size_t *len);

/* The plan at index i of the catalogue, or NULL. */
const ps_plan_t *ps_store_plan_at(const ps_store_t *store, size_t i);

#endif
