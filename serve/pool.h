/* pool.h: the server's open indexes: one per request in flight, reopened when a rebuild switches generations. */
#ifndef SV_POOL_H
#define SV_POOL_H

#include "status.h"
#include "store.h"

/*
 * An open index (ps_store_t) is not shared between threads: it decodes outlines on first
 * use and holds one Xapian database. The pool lends each request an index of its own,
 * kept open for the next request once returned. Before lending one it looks at the stub
 * DIR/XAPIANDB that names the live generation: when a rebuild has renamed a new stub over
 * it, the indexes of the old generation are closed as they come back (an index open on a
 * generation pins it, so a request that holds one reads it whole to the end) and new ones
 * are opened on the new generation. A request sees one generation, never a mix.
 */
typedef struct sv_pool sv_pool_t;

/* A pool over the index directory dir (copied; or a stub file of shards), each index opened
 * with open_flags (ps_store_open_with: PS_OPEN_ALLOW_PARTIAL). Opens one index to check
 * that it can be read. Returns PS_OK and a pool to free with sv_pool_free, or the status
 * of ps_store_open with its malloc'd message in *error (no index, a damaged one, …). */
ps_status_t sv_pool_new(const char *dir, unsigned open_flags, sv_pool_t **out, char **error);

/* Lend an index of the live generation for one request (thread-safe). Returns PS_OK and
 * *store to give back with sv_pool_return, or the status of ps_store_open with a malloc'd
 * message in *error (the index was removed or damaged meanwhile). */
ps_status_t sv_pool_lend(sv_pool_t *pool, ps_store_t **store, char **error);

/* Close a lent index instead of giving it back (thread-safe). Accepts NULL. */
void sv_pool_discard(sv_pool_t *pool, ps_store_t *store);

/* Give a lent index back (thread-safe): kept for the next request, or closed if its
 * generation is no longer the live one. Accepts NULL. */
void sv_pool_return(sv_pool_t *pool, ps_store_t *store);

/* How many times the pool has seen the live generation change since it was made. */
unsigned long sv_pool_switches(sv_pool_t *pool);

/* Close every index and free. Every lent index must have been given back. Accepts NULL. */
void sv_pool_free(sv_pool_t *pool);

#endif
