/* plan.h: one plan loaded from the corpus: its bytes, its body range and its parsed structure. */
#ifndef PI_PLAN_H
#define PI_PLAN_H

#include "document.h"
#include "manifest.h"
#include "status.h"

#include <stddef.h>

/* The largest plan file: line numbers and clause ordinals are ints, and ICU takes int32_t
 * lengths. A bigger file fails the build (PS_ERR_FAILED) before it is read. */
#define PI_MAX_PLAN_BYTES SEG_MAX_DOCUMENT_BYTES

typedef struct pi_plan {
	const pi_plan_info_t *info; /* borrowed from the manifest */
	char *text;                 /* the file's bytes, NUL-terminated; owned. For a file the
				     * manifest says is GB18030, its conversion to UTF-8: every
				     * offset then refers to that conversion */
	size_t len;
	size_t body_start, body_end; /* bytes of the manifest's body_lines */
	seg_document_t *doc;        /* owned */
} pi_plan_t;

/* Read CORPUS_DIR/info->file, check that it is text in its encoding (converting GB18030 to
 * UTF-8), find the body lines and parse them. Returns PS_OK and a plan the caller frees with
 * pi_plan_free, or a status (status.h: missing file, empty, binary, invalid text, an
 * undeclared encoding, body_lines outside the file, PS_ERR_FAILED for memory) with a
 * malloc'd message in *error naming the file, and the line and byte where they apply;
 * *out untouched then. */
ps_status_t pi_plan_load(const char *corpus_dir, const pi_plan_info_t *info, pi_plan_t **out,
			 char **error);

/* Free a plan. Accepts NULL. */
void pi_plan_free(pi_plan_t *plan);

#endif
