/* internal.h: what the store's own files share and no one else may call. */
#ifndef PS_INTERNAL_H
#define PS_INTERNAL_H

#include "store.h"

/* The indexes the store reads as one: 1 for an index directory, else a stub file's shards. */
size_t ps_store_n_parts(const ps_store_t *store);

/* Part k's counts file (format.h): *len bytes at *data, the head checked (a remote shard's
 * read from its database the first time), and *plan_base, the store's number of the part's
 * first plan (its counts number plans from 0). Returns PS_OK, or the status that kept it
 * from being read (PS_ERR_NETWORK, PS_ERR_CORRUPT) with a malloc'd message in *error. */
ps_status_t ps_store_part_counts(ps_store_t *store, size_t k, const char **data, size_t *len,
				 size_t *plan_base, char **error);


/* Decode a plan's outline from its record in the outlines file (format.h): len bytes at
 * data, every offset checked against plan_bytes. Returns a malloc'd outline to free with
 * ps_outline_free, or NULL when the record is malformed or memory runs out. */
ps_outline_t *ps_outline_decode(const char *data, size_t len, size_t plan_bytes);

/* Free a decoded outline. Accepts NULL. */
void ps_outline_free(ps_outline_t *outline);

#endif
