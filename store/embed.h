/* embed.h: an index's companion files kept inside its Xapian database, for a server of that database alone. */
#ifndef PS_EMBED_H
#define PS_EMBED_H

#include "status.h"
#include "xapwrap.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * xapian-tcpsrv serves a Xapian database and nothing beside it; an index is that database
 * and its companion files (format.h). A shard (policy-index --shard) therefore also keeps
 * each companion file in its database's metadata (format.h, PS_META_FILE), cut into
 * chunks, and a client reads them through the remote protocol. Private to store/.
 */

/* Copy the named files of the directory generation_dir into the metadata of the database
 * being written. Returns 0, or -1 with a malloc'd message in *error (a file that cannot be
 * read, or Xapian's error). Memory: one chunk at a time. */
int ps_embed_write(xw_writer_t *writer, const char *generation_dir, const char *const *names,
		   size_t n_names, char **error);

/* Whether the database holds embedded files, and if so the size of file `name` in *len.
 * Returns PS_OK (*present false when it holds none, or not that one), or Xapian's status
 * (a shard that does not answer: PS_ERR_NETWORK) with its message in *error. */
ps_status_t ps_embed_size(xw_db_t *db, const char *name, bool *present, size_t *len,
			  char **error);

/* Read file `name` back whole into a malloc'd buffer (*data, *len bytes, then a NUL) the
 * caller frees. Returns PS_OK, PS_ERR_CORRUPT when it is missing or its chunks do not add
 * up, or Xapian's status, each with a malloc'd message in *error. */
ps_status_t ps_embed_read(xw_db_t *db, const char *name, char **data, size_t *len,
			  char **error);

#endif
