/* outfile.h: an output file (-o) that appears whole or not at all. */
#ifndef PQ_OUTFILE_H
#define PQ_OUTFILE_H

#include <stdio.h>

/*
 * An output file (-o): a regular file is written whole or not at all, anything else is
 * written into as it is.
 *
 * - A regular file, or a path where nothing is yet: a temporary file is made beside it
 *   (mkstemp, in the same directory, so on the same file system), pq_outfile_commit renames
 *   it over the path, pq_outfile_abort removes it and leaves the path as it was. An existing
 *   file keeps its permissions.
 * - A character device (/dev/null, /dev/full, a terminal), a FIFO, a pipe (/dev/stdout is a
 *   link to /proc/self/fd/1) or another special file: opened and written into, never
 *   replaced.
 * - A symbolic link is followed to what it names, the chain of links as far as it goes: a
 *   link to a regular file or to nothing (a dangling link) has its target written, and the
 *   link stays. A link in a sticky, world-writable directory (/tmp) that belongs to someone
 *   else than us and the directory's owner is not followed: the output is refused, as Linux
 *   refuses to open through such a link with fs.protected_symlinks (realpath and rename
 *   would otherwise step around that rule).
 * - NULL or "-" is standard output; commit only flushes it.
 */
typedef struct pq_outfile {
	FILE *f;    /* write here */
	char *name; /* the path as given, for messages; NULL for standard output */
	char *path; /* the regular file to replace, links followed; NULL when written in place */
	char *tmp;  /* the temporary file beside it; NULL when written in place */
} pq_outfile_t;

/* The format an output file's name asks for, by its extension (case ignored): "csv",
 * "tsv", "json" or "markdown" (.md); NULL for a name with none of them (or NULL). */
const char *pq_outfile_format(const char *path);

/*
 * The format a command writes: `given` (--format, or NULL), else what -o's name asks for
 * (pq_outfile_format), else `fallback`; names outside `known` (a NULL-terminated list) are
 * not inferred. Returns the name, or NULL after printing why to stderr: a --format that
 * -o's extension contradicts ("-o x.csv --format json"), or an extension the command
 * cannot write (a search to x.md).
 */
const char *pq_outfile_choose_format(const char *output, const char *given,
				     const char *fallback, const char *const *known);

/* Returns 0 and a file to commit or abort, or -1 with a malloc'd message naming the path in
 * *error (a link not to follow, a directory, no temporary file can be made beside it, a
 * special file that cannot be opened). */
int pq_outfile_open(const char *path, pq_outfile_t **out, char **error);

/* Set *error (if not already set) to "cannot write NAME: <strerror(err)>", NAME the path as
 * given or "the output" for standard output: for a writer that failed with errno err. */
void pq_outfile_write_error(const pq_outfile_t *file, int err, char **error);

/* Flush and close; rename a temporary file into place. The outfile is freed either way.
 * Returns 0, or -1 with a malloc'd message in *error that names the path and the reason (a
 * failed write: No space left on device, an I/O error), in which case a temporary file is
 * removed and the path left as it was. */
int pq_outfile_commit(pq_outfile_t *file, char **error);

/* Remove the temporary file, if any, and free. Accepts NULL. */
void pq_outfile_abort(pq_outfile_t *file);

/* Fills an output file: 0, or -1 with errno set (the caller names the file) or with a
 * malloc'd message already in *error. */
typedef int (*pq_outfile_fill_fn)(FILE *f, void *ctx, char **error);

/* The whole of writing a command's output to path (NULL or "-": standard output): open it,
 * fill it, commit it, so that the path gets all of it or keeps what it held. Returns 0, or
 * -1 with a malloc'd message in *error (pq_outfile_open's, fill's, or a failed write's
 * naming the path). */
int pq_outfile_write(const char *path, pq_outfile_fill_fn fill, void *ctx, char **error);

#endif
