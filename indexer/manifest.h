/* manifest.h: reading corpus/manifest.json, the list of plans and what is known about each. */
#ifndef PI_MANIFEST_H
#define PI_MANIFEST_H

#include "status.h"

#include <stdbool.h>
#include <stddef.h>

/* How a plan file is encoded (the manifest's optional "encoding"). A GB18030 file is
 * converted to UTF-8 when it is loaded, and every offset then refers to that conversion. */
typedef enum pi_encoding {
	PI_ENCODING_UTF8,    /* "utf-8", the default */
	PI_ENCODING_GB18030, /* "gb18030"; "gbk" and "gb2312" (its subsets) name it too */
} pi_encoding_t;

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
	pi_encoding_t encoding; /* of the file's bytes */
} pi_plan_info_t;

/* Limits the manifest reader enforces. */
#define PI_MAX_CITY_ID 64         /* bytes in a city_id (ids go into index terms) */
#define PI_MAX_LINES 100000000L   /* a body_lines value */
#define PI_MAX_MANIFEST_BYTES (16L << 20) /* manifest.json itself */

typedef struct pi_manifest {
	pi_plan_info_t *plans;
	size_t n_plans;
} pi_manifest_t;

/* Read and check DIR/manifest.json. Returns PS_OK and a manifest the caller frees with
 * pi_manifest_free, or PS_ERR_MANIFEST (PS_ERR_FAILED when memory runs out) with a malloc'd
 * message in *error that names the file, and the line, column and what was expected for a
 * JSON syntax error, or the plan and field for a missing or wrong value; *out untouched. */
ps_status_t pi_manifest_load(const char *corpus_dir, pi_manifest_t **out, char **error);

/* The same checks on a manifest already in memory: `len` bytes at `text` (need not be
 * NUL-terminated; a leading UTF-8 byte order mark is skipped), `name` used in messages.
 * Returns as pi_manifest_load. */
ps_status_t pi_manifest_parse(const char *text, size_t len, const char *name,
			      pi_manifest_t **out, char **error);

/* The name of an encoding as the manifest spells it ("utf-8", "gb18030"); never NULL. */
const char *pi_encoding_name(pi_encoding_t encoding);

/* Free a manifest. Accepts NULL. */
void pi_manifest_free(pi_manifest_t *manifest);

/* Keep only the plans whose city_id the comma-separated list ids names (policy-index
 * --only: one shard of a corpus), in the manifest's order. Returns PS_OK, or
 * PS_ERR_MANIFEST for an id the manifest does not list or a list of none (PS_ERR_FAILED
 * when memory runs out), with a malloc'd message in *error; the manifest is then as it
 * was. */
ps_status_t pi_manifest_keep(pi_manifest_t *manifest, const char *ids, char **error);

#endif
