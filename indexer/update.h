/* update.h: adding, re-indexing or removing one plan of an index without rebuilding the others. */
#ifndef PI_UPDATE_H
#define PI_UPDATE_H

#include "manifest.h"
#include "status.h"

#include <stddef.h>
#include <stdio.h>

typedef struct pi_update_stats {
	char city_id[PI_MAX_CITY_ID + 1]; /* the plan changed */
	size_t removed;      /* passages the index held for the plan before */
	size_t added;        /* passages it holds now */
	size_t plans;        /* plans in the index afterwards */
} pi_update_stats_t;

/* Index, or re-index, the plan whose file is `file` (a name in the manifest, or a path to
 * the same file) into the index at db_dir, leaving every other plan's passages as they
 * are (update.c: every plan is written again from the index's copy of its text), and
 * switch to the new generation as a build does (generation.h): a failure or a kill leaves
 * the live index unchanged. Returns PS_OK (filling *stats if not NULL), or a status with a
 * malloc'd message in *error: PS_ERR_INVALID (the file is not in the manifest), the
 * index's (no index yet, another schema: ps_store_open), the plan's (pi_plan_load), or the
 * writer's (another build runs, the index cannot be written: ps_writer_begin). A progress
 * line (progress.h) is drawn on `progress` unless it is NULL. */
ps_status_t pi_update_add(const char *corpus_dir, const char *db_dir, const char *file,
			  FILE *progress, pi_update_stats_t *stats, char **error);

/* Remove the plan `city_id` names (its id; else its city's name, 丹东市 or 丹东, when that
 * names one plan only) and all its passages from the index at db_dir, the same way.
 * Returns PS_OK, or a status with a malloc'd message (PS_ERR_INVALID for a name no plan
 * has, the message listing the ids and cities the index has, or a city of several plans,
 * the message listing their ids). */
ps_status_t pi_update_remove(const char *db_dir, const char *city_id, FILE *progress,
			     pi_update_stats_t *stats, char **error);

#endif
