/* manifest.h: reading corpus/manifest.json, the list of plans and what is known about each. */
#ifndef PI_MANIFEST_H
#define PI_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pi_plan_info {
	char *city_id;       /* "dandong": the plan's id, lower-case ASCII, unique */
	char *file;          /* file name inside the corpus directory */
	char *city;          /* "丹东市" */
	char *province;      /* "辽宁省" */
	char *title;         /* the plan's title, as printed or supplied */
	bool title_supplied; /* true when the plan prints no title */
	char *date;          /* as printed, or NULL */
	long body_first;     /* 1-based, inclusive line range of the plan's own text */
	long body_last;
} pi_plan_info_t;

/* Limits the manifest reader enforces. */
#define PI_MAX_CITY_ID 64         /* bytes in a city_id (ids go into index terms) */
#define PI_MAX_LINES 100000000L   /* a body_lines value */

typedef struct pi_manifest {
	pi_plan_info_t *plans;
	size_t n_plans;
} pi_manifest_t;

/* Read and check DIR/manifest.json. Returns 0 and a manifest the caller frees with
 * pi_manifest_free, or -1 with a malloc'd message in *error that names the file, and the
 * line for a JSON syntax error or the plan and field for a missing or wrong value. */
int pi_manifest_load(const char *corpus_dir, pi_manifest_t **out, char **error);

/* Free a manifest. Accepts NULL. */
void pi_manifest_free(pi_manifest_t *manifest);

#endif
