/* plan.h: one plan loaded from the corpus: its bytes, its body range and its parsed structure. */
#ifndef PI_PLAN_H
#define PI_PLAN_H

#include "document.h"
#include "manifest.h"

#include <stddef.h>

typedef struct pi_plan {
	const pi_plan_info_t *info; /* borrowed from the manifest */
	char *text;                 /* the file's bytes, NUL-terminated; owned */
	size_t len;
	size_t body_start, body_end; /* bytes of the manifest's body_lines */
	seg_document_t *doc;        /* owned */
} pi_plan_t;

/* Read CORPUS_DIR/info->file, check it is UTF-8, find the body lines and parse them.
 * Returns 0 and a plan the caller frees with pi_plan_free, or -1 with a malloc'd message
 * naming the file (and the line and byte of invalid UTF-8) in *error. */
int pi_plan_load(const char *corpus_dir, const pi_plan_info_t *info, pi_plan_t **out,
		 char **error);

/* Free a plan. Accepts NULL. */
void pi_plan_free(pi_plan_t *plan);

#endif
