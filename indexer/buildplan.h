/* buildplan.h: indexing one plan into an open writer, shared by full builds and updates. */
#ifndef PI_BUILDPLAN_H
#define PI_BUILDPLAN_H

#include "plan.h"
#include "tokenize.h"
#include "xapwrap.h"

#include <json-c/json.h>

/* Add one Xapian document per clause of `plan` to `writer` and store the plan's source
 * bytes and outline under its metadata keys (schema.h). Does not touch the plan list or
 * commit. Returns 0 and the plan's new entry for the plan list in *summary (a new object
 * the caller puts), or -1 with a malloc'd message in *error (the writer then holds part of
 * the plan and must be discarded). */
int pi_build_plan(xw_writer_t *writer, seg_words_t *words, const pi_plan_t *plan,
		  json_object **summary, char **error);

/* The plan list (or any JSON) as the index stores it: UTF-8 kept, "/" unescaped. The
 * string is owned by `obj`. Returns NULL when memory runs out. */
const char *pi_build_json(json_object *obj);

#endif
