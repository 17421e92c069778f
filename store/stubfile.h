/* stubfile.h: reading a stub file that names the shards of one index (private to store/). */
#ifndef PS_STUBFILE_H
#define PS_STUBFILE_H

#include "status.h"

#include <stddef.h>

/*
 * A stub file lists shards, one a line, in Xapian's own stub format (so Xapian's tools read
 * it too), and the store searches them as one index, in the order given:
 *   auto PATH              a policy-search index directory on this machine (glass PATH
 *                          too); a relative PATH is taken from the stub file's directory
 *   remote HOST:PORT       an index served by `xapian-tcpsrv --port PORT` on HOST (a
 *                          host name or an IPv4 address: Xapian 1.4 has no IPv6 here)
 *   remote :PROGRAM ARGS   one served by a program on its standard input and output
 *                          (xapian-progsrv ARGS), run in the current directory
 * Blank lines and lines starting with # are skipped.
 */

typedef enum ps_shard_kind { PS_SHARD_LOCAL, PS_SHARD_TCP, PS_SHARD_PROGRAM } ps_shard_kind_t;

typedef struct ps_shard_spec {
	ps_shard_kind_t kind;
	char *name;    /* the line as an error names it: "remote 10.0.0.2:33333" */
	char *path;    /* LOCAL: the directory (relative ones made relative to the stub's) */
	char *host;    /* TCP */
	unsigned port; /* TCP */
	char *program, *args; /* PROGRAM */
	int line;      /* in the stub file, 1-based */
} ps_shard_spec_t;

/* Read the stub file at path into *specs (n of them, at least one). Returns PS_OK, or
 * PS_ERR_INVALID (a line of another form, or no shard at all) or PS_ERR_IO (unreadable)
 * with a malloc'd message in *error naming the file and line. Free with
 * ps_shard_specs_free. */
ps_status_t ps_stubfile_read(const char *path, ps_shard_spec_t **specs, size_t *n,
			     char **error);

/* Free what ps_stubfile_read gave. Accepts NULL. */
void ps_shard_specs_free(ps_shard_spec_t *specs, size_t n);

#endif
