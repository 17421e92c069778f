/* partial.h: marking a JSON answer given without some shards (--allow-partial). */
#ifndef PQ_PARTIAL_H
#define PQ_PARTIAL_H

#include "store.h"

#include <json-c/json.h>

/* When the index was opened without some of its shards (PS_OPEN_ALLOW_PARTIAL), add to
 * `head` "partial": true and "missing_shards": [the message naming each, and why]; else
 * add nothing, so that a whole index's JSON is unchanged. index may be NULL (nothing is
 * added). Returns 0, or -1 when memory runs out. */
int pq_json_note_partial(json_object *head, const ps_store_t *index);

#endif
