/* file.h: reading a whole file into memory, up to a stated size, and where a path leads. */
#ifndef UTIL_FILE_H
#define UTIL_FILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Read all of `path` into a malloc'd, NUL-terminated buffer (*len excludes the NUL; the file
 * may itself contain NUL bytes), reading no more than `max` bytes: a longer file (or an
 * endless one, /dev/zero) is refused once max is passed. With `regular_only`, anything but
 * a regular file, links followed (a device, a FIFO, a directory), is refused without being
 * read (a FIFO does not wait for a writer); otherwise only a directory is. `what` names the
 * kind of file in messages ("a manifest"). Returns 0, or -1 with a malloc'd message naming
 * the file in *error (cannot open, not a regular file, too big, a read error, no memory);
 * *data untouched on failure.
 */
int util_read_file(const char *path, const char *what, size_t max, bool regular_only,
		   char **data, size_t *len, char **error);

/* Where dir/name leads, links followed (realpath, dir's own links too): returns 0 when it
 * lies inside dir, 1 when it lies outside (a link to /etc/passwd), either with the path it
 * leads to in *resolved (malloc'd; the caller frees it), or -1 with errno set when it cannot
 * be resolved (ENOENT for a missing file or a link to nothing), *resolved untouched. */
int util_path_inside(const char *dir, const char *name, char **resolved);

/* Flush standard output and say whether all that was written to it arrived (a program's
 * last step: --help to /dev/full must not exit 0). Returns 0, or -1 with a malloc'd
 * "cannot write the output: <reason>" in *error. */
int util_stdout_flush(char **error);

/* "16 MiB", "1 GiB" or "100 bytes": a limit as messages and README state it, into buf.
 * Returns buf. */
const char *util_size_name(size_t bytes, char *buf, size_t size);

#endif
