/* index.c: opening an index, checking its schema, and the plan list from its metadata. */
#include "index.h"

#include "schema.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* What is loaded on demand for each plan. */
typedef struct plan_cache {
	char *source;
	size_t source_len;
	pq_outline_t *outline;
} plan_cache_t;

struct pq_index {
	xw_db_t *db;
	pq_plan_t *plans;
	plan_cache_t *cache; /* parallel to plans */
	size_t n_plans;
};

static char *dup_field(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static int load_plans(pq_index_t *index, const char *json, char **error)
{
	json_object *arr = json_tokener_parse(json);
	int rc = -1;
	if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
		strbuf_printf_new(error, "the index's plan list is unreadable");
		goto out;
	}
	size_t n = json_object_array_length(arr);
	index->plans = calloc(n ? n : 1, sizeof *index->plans);
	index->cache = calloc(n ? n : 1, sizeof *index->cache);
	if (index->plans == NULL || index->cache == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i), *v;
		pq_plan_t *p = &index->plans[i];
		index->n_plans = i + 1;
		p->city_id = dup_field(o, "city_id");
		p->city = dup_field(o, "city");
		p->province = dup_field(o, "province");
		p->title = dup_field(o, "title");
		p->date = dup_field(o, "date");
		p->file = dup_field(o, "file");
		if (json_object_object_get_ex(o, "title_supplied", &v))
			p->title_supplied = json_object_get_boolean(v);
		if (json_object_object_get_ex(o, "passages", &v))
			p->passages = (size_t)json_object_get_int64(v);
		if (json_object_object_get_ex(o, "bytes", &v))
			p->bytes = (size_t)json_object_get_int64(v);
		if (json_object_object_get_ex(o, "sha256", &v) &&
		    json_object_get_string_len(v) == (int)sizeof p->sha256 - 1)
			memcpy(p->sha256, json_object_get_string(v), sizeof p->sha256);
		if (json_object_object_get_ex(o, "body", &v) &&
		    json_object_is_type(v, json_type_array) && json_object_array_length(v) == 2) {
			p->body_start = (size_t)json_object_get_int64(json_object_array_get_idx(v, 0));
			p->body_end = (size_t)json_object_get_int64(json_object_array_get_idx(v, 1));
		}
		if (!p->city_id || !p->city || !p->province || !p->title || !p->file ||
		    p->sha256[0] == '\0' || p->body_start > p->body_end || p->body_end > p->bytes) {
			strbuf_printf_new(error, "the index's plan list is incomplete");
			goto out;
		}
	}
	rc = 0;
out:
	json_object_put(arr);
	return rc;
}

pq_open_status_t pq_index_open(const char *dir, pq_index_t **out, char **error)
{
	pq_index_t *index = NULL;
	strbuf_t stub = STRBUF_INIT;
	char *xerr = NULL, *value = NULL;
	struct stat st;
	pq_open_status_t rc = PQ_OPEN_FAILED;

	if (strbuf_printf(&stub, "%s/%s", dir, PI_STUB_NAME) != 0)
		goto oom;
	if (stat(dir, &st) != 0 || (S_ISDIR(st.st_mode) && stat(stub.data, &st) != 0)) {
		strbuf_printf_new(error, "no index at %s; build one with: policy-index --corpus "
				  "corpus --db %s", dir, dir);
		rc = PQ_OPEN_MISSING;
		goto out;
	}
	index = calloc(1, sizeof *index);
	if (index == NULL)
		goto oom;
	xw_status_t st_open = xw_db_open(dir, &index->db, &xerr);
	if (st_open != XW_OK) {
		strbuf_printf_new(error, "cannot open the index at %s (%s: %s); rebuild it with: "
				  "policy-index --corpus corpus --db %s", dir,
				  xw_status_to_string(st_open), xerr ? xerr : "", dir);
		rc = st_open == XW_ERR_NOT_FOUND ? PQ_OPEN_INVALID : PQ_OPEN_FAILED;
		goto out;
	}
	if (xw_db_get_metadata(index->db, PI_META_SCHEMA, &value, NULL) != XW_OK) {
		strbuf_printf_new(error, "cannot read the index at %s: %s", dir,
				  xw_db_last_error(index->db));
		goto out;
	}
	if (value == NULL || strcmp(value, PI_SCHEMA_VERSION) != 0) {
		strbuf_printf_new(error, "%s is %s (schema %s, this program reads %s); rebuild it "
				  "with: policy-index --corpus corpus --db %s", dir,
				  value ? "an index of another version" : "not a policy-search index",
				  value ? value : "none", PI_SCHEMA_VERSION, dir);
		rc = PQ_OPEN_INVALID;
		goto out;
	}
	free(value);
	value = NULL;
	if (xw_db_get_metadata(index->db, PI_META_PLANS, &value, NULL) != XW_OK || value == NULL ||
	    load_plans(index, value, error) != 0) {
		strbuf_printf_new(error, "the index at %s has no readable plan list; rebuild it "
				  "with: policy-index --corpus corpus --db %s", dir, dir);
		rc = PQ_OPEN_INVALID;
		goto out;
	}
	*out = index;
	index = NULL;
	rc = PQ_OPEN_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(value);
	free(xerr);
	strbuf_free(&stub);
	pq_index_close(index);
	return rc;
}

void pq_index_close(pq_index_t *index)
{
	if (index == NULL)
		return;
	for (size_t i = 0; i < index->n_plans; i++) {
		pq_plan_t *p = &index->plans[i];
		free(p->city_id);
		free(p->city);
		free(p->province);
		free(p->title);
		free(p->date);
		free(p->file);
		if (index->cache != NULL) {
			free(index->cache[i].source);
			pq_outline_free(index->cache[i].outline);
		}
	}
	free(index->plans);
	free(index->cache);
	xw_db_destroy(index->db);
	free(index);
}

xw_db_t *pq_index_db(pq_index_t *index)
{
	return index->db;
}

const pq_plan_t *pq_index_plans(const pq_index_t *index, size_t *n_plans)
{
	*n_plans = index->n_plans;
	return index->plans;
}

/* True if city is name followed by one administrative-division suffix. */
static bool is_city_with_suffix(const char *city, const char *name)
{
	static const char *const suffixes[] = {"市", "县", "区", "州", "省", "盟"};
	size_t n = strlen(name);
	if (n == 0 || strncmp(city, name, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (strcmp(city + n, suffixes[i]) == 0)
			return true;
	return false;
}

const pq_plan_t *pq_index_find_city(const pq_index_t *index, const char *name)
{
	for (size_t i = 0; i < index->n_plans; i++) {
		const pq_plan_t *p = &index->plans[i];
		if (strcasecmp(p->city_id, name) == 0 || strcmp(p->city, name) == 0 ||
		    is_city_with_suffix(p->city, name))
			return p;
	}
	return NULL;
}

const pq_plan_t *pq_index_plan_by_id(const pq_index_t *index, const char *city_id)
{
	for (size_t i = 0; i < index->n_plans; i++)
		if (strcmp(index->plans[i].city_id, city_id) == 0)
			return &index->plans[i];
	return NULL;
}

/* Read the plan's metadata value under prefix+city_id; -1 with a message if missing. */
static int read_plan_meta(pq_index_t *index, const pq_plan_t *plan, const char *prefix,
			  char **value, size_t *len, char **error)
{
	strbuf_t key = STRBUF_INIT;
	int rc = -1;
	if (strbuf_printf(&key, "%s%s", prefix, plan->city_id) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (xw_db_get_metadata(index->db, key.data, value, len) != XW_OK) {
		strbuf_printf_new(error, "cannot read %s from the index: %s", key.data,
				  xw_db_last_error(index->db));
		goto out;
	}
	if (*value == NULL) {
		strbuf_printf_new(error, "the index has no %s; rebuild it with policy-index",
				  key.data);
		goto out;
	}
	rc = 0;
out:
	strbuf_free(&key);
	return rc;
}

int pq_index_plan_source(pq_index_t *index, const pq_plan_t *plan, const char **text,
			 size_t *len, char **error)
{
	plan_cache_t *c = &index->cache[plan - index->plans];
	if (c->source == NULL) {
		if (read_plan_meta(index, plan, PI_META_SOURCE_PREFIX, &c->source,
				   &c->source_len, error) != 0)
			return -1;
		if (c->source_len != plan->bytes) {
			strbuf_printf_new(error, "the index's copy of %s is %zu bytes, not %zu; "
					  "rebuild it with policy-index", plan->file,
					  c->source_len, plan->bytes);
			free(c->source);
			c->source = NULL;
			return -1;
		}
	}
	*text = c->source;
	*len = c->source_len;
	return 0;
}

int pq_index_plan_outline(pq_index_t *index, const pq_plan_t *plan, const pq_outline_t **out,
			  char **error)
{
	plan_cache_t *c = &index->cache[plan - index->plans];
	if (c->outline == NULL) {
		char *json = NULL;
		size_t len = 0;
		if (read_plan_meta(index, plan, PI_META_OUTLINE_PREFIX, &json, &len, error) != 0)
			return -1;
		int rc = pq_outline_parse(json, len, &c->outline, error);
		free(json);
		if (rc != 0)
			return -1;
		for (size_t i = 0; i < c->outline->n_sections; i++)
			if (c->outline->sections[i].end > plan->bytes) {
				pq_outline_free(c->outline);
				c->outline = NULL;
				strbuf_printf_new(error, "the index's outline of %s is out of "
						  "range; rebuild it with policy-index", plan->file);
				return -1;
			}
	}
	*out = c->outline;
	return 0;
}
