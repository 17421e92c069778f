/* file.h: reading a whole file into memory. */
#ifndef UTIL_FILE_H
#define UTIL_FILE_H

#include <stddef.h>

/* Read all of `path` into a malloc'd, NUL-terminated buffer (*len excludes the NUL; the
 * file may itself contain NUL bytes). Returns 0, or -1 with a malloc'd message naming the
 * file in *error; *data untouched on failure. */
int util_read_file(const char *path, char **data, size_t *len, char **error);

#endif
