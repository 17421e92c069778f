/* check.h: comparing an index with the corpus it was built from, plan by plan. */
#ifndef PI_CHECK_H
#define PI_CHECK_H

#include <stdio.h>

/* What pi_check found. */
typedef enum pi_check_result {
	PI_CHECK_CURRENT = 0, /* every plan of the manifest is indexed as its file is now */
	PI_CHECK_STALE = 1,   /* at least one plan differs, is missing, or is extra */
	PI_CHECK_ERROR = -1,  /* the check could not run (no index, unreadable manifest) */
} pi_check_result_t;

/* Compare the index at db_dir with corpus_dir: for each plan of the manifest, that the
 * index holds it, that the file's size and SHA-256 are those indexed, that its manifest
 * entry and passage count (the file parsed now) are those indexed, and that the index
 * holds as many passages for it as its plan list says; and that the index holds no plan
 * the manifest no longer lists. Writes one line per plan, each stale one with the command
 * that updates it, and a summary line, to `out`. Returns PI_CHECK_CURRENT or
 * PI_CHECK_STALE, or PI_CHECK_ERROR with a malloc'd message in *error. */
pi_check_result_t pi_check(const char *corpus_dir, const char *db_dir, FILE *out,
			   char **error);

#endif
