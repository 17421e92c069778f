/* tmpdir.h: cmocka setup/teardown that give a test a fresh temporary directory in *state. */
#ifndef TESTS_TMPDIR_H
#define TESTS_TMPDIR_H

#include <dirent.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int tmpdir_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void tmpdir_remove(const char *dir)
{
	nftw(dir, tmpdir_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* setup: *state = a new, empty directory under /tmp */
static inline int tmpdir_setup(void **state)
{
	char *dir = strdup("/tmp/policy-search-test-XXXXXX");
	if (dir == NULL || mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

/* teardown: remove the directory and everything in it */
static inline int tmpdir_teardown(void **state)
{
	tmpdir_remove(*state);
	free(*state);
	return 0;
}

/* Whether DIR holds an entry whose name starts with `prefix` (a temporary file left
 * behind, say); false if DIR cannot be read. */
static inline bool tmpdir_holds(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	while (d != NULL && (e = readdir(d)) != NULL)
		found |= strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d != NULL)
		closedir(d);
	return found;
}

/* Write `text` to DIR/NAME; fails the test if it cannot. */
static inline void tmpdir_write(const char *dir, const char *name, const char *text, size_t len)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		abort();
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		abort();
	}
}

#endif
