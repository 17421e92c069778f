/* planmeta.h: what the index stores about each plan besides its passages: summary, checksum, outline. */
#ifndef PI_PLANMETA_H
#define PI_PLANMETA_H

#include "plan.h"

#include <json-c/json.h>

/* The length of a SHA-256 digest written as lower-case hex, without the NUL. */
#define PI_SHA256_HEX_LEN 64

/* Write the SHA-256 of data[0,len) as lower-case hex into hex (PI_SHA256_HEX_LEN + 1
 * bytes). Cannot fail. */
void pi_sha256_hex(const char *data, size_t len, char *hex);

/* The plan's entry in the index's plan list (schema.h, PI_META_PLANS): the manifest's
 * fields, the file's size and SHA-256, its body range and the number of clauses. Returns a
 * new object the caller puts, or NULL when memory runs out. */
json_object *pi_plan_summary(const pi_plan_t *plan);

/* The plan's outline (schema.h, PI_META_OUTLINE_PREFIX): every section with its byte
 * extent including sub-sections, every paragraph, and every clause (heading clauses
 * included) as [section, paragraph, ordinal, start, end, line, sentence, part] (schema.h).
 * Returns a new object the caller puts, or NULL when memory runs out. */
json_object *pi_plan_outline(const pi_plan_t *plan);

#endif
