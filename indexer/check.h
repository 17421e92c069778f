/* check.h: comparing an index with the corpus it was built from, plan by plan. */
#ifndef PI_CHECK_H
#define PI_CHECK_H

#include "status.h"

#include <stdbool.h>
#include <stdio.h>

/* Compare the index at db_dir with corpus_dir: for each plan of the manifest, that the
 * index holds it, that the file's size and SHA-256 are those indexed, that its manifest
 * entry and passage count (the file parsed now) are those indexed, and that the index's
 * copy of the file and its outline agree with its record; and that the index holds no plan
 * the manifest no longer lists. An index of another schema is stale. Writes one line per
 * plan, each stale one with the command that updates it, and a summary line, to `out`.
 * Returns PS_OK with *current saying whether everything matched, or the status that kept
 * the check from running (an unreadable manifest, no index, a damaged one) with a
 * malloc'd message in *error. */
ps_status_t pi_check(const char *corpus_dir, const char *db_dir, FILE *out, bool *current,
		     char **error);

#endif
