/* partial.c: "partial": true and the missing shards, in a JSON answer's head. */
#include "partial.h"

int pq_json_note_partial(json_object *head, const ps_store_t *index)
{
	size_t n = index != NULL ? ps_store_n_missing(index) : 0;
	if (n == 0)
		return 0;
	json_object *missing = json_object_new_array();
	if (missing == NULL)
		return -1;
	for (size_t k = 0; k < n; k++) {
		json_object *why = json_object_new_string(ps_store_missing(index, k));
		if (why == NULL || json_object_array_add(missing, why) != 0) {
			json_object_put(why);
			json_object_put(missing);
			return -1;
		}
	}
	json_object *flag = json_object_new_boolean(1);
	if (flag == NULL || json_object_object_add(head, "partial", flag) != 0) {
		json_object_put(flag);
		json_object_put(missing);
		return -1;
	}
	return json_object_object_add(head, "missing_shards", missing) == 0 ? 0 : -1;
}
