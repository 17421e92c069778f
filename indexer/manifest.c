/* manifest.c: corpus/manifest.json into pi_manifest_t, with messages that say what is wrong. */
#include "manifest.h"

#include "file.h"
#include "strbuf.h"
#include "utf8.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A required string field; *error names the plan and the field when it is missing. */
static int get_string(json_object *obj, const char *key, bool nullable, char **out,
		      const char *path, size_t index, char **error)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(obj, key, &v) ||
	    (v == NULL && !nullable) ||
	    (v != NULL && !json_object_is_type(v, json_type_string))) {
		strbuf_printf_new(error, "%s: plans[%zu]: \"%s\" must be a string%s", path, index,
				  key, nullable ? " or null" : "");
		return -1;
	}
	if (v == NULL) {
		*out = NULL;
		return 0;
	}
	*out = strdup(json_object_get_string(v));
	if (*out == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	return 0;
}

static bool valid_id(const char *id)
{
	if (*id == '\0' || strlen(id) > PI_MAX_CITY_ID)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

static int read_plan(json_object *obj, pi_plan_info_t *plan, const char *path, size_t i,
		     char **error)
{
	json_object *v;
	if (!json_object_is_type(obj, json_type_object)) {
		strbuf_printf_new(error, "%s: plans[%zu] must be an object", path, i);
		return -1;
	}
	if (get_string(obj, "city_id", false, &plan->city_id, path, i, error) ||
	    get_string(obj, "file", false, &plan->file, path, i, error) ||
	    get_string(obj, "city", false, &plan->city, path, i, error) ||
	    get_string(obj, "province", false, &plan->province, path, i, error) ||
	    get_string(obj, "title", false, &plan->title, path, i, error) ||
	    get_string(obj, "date", true, &plan->date, path, i, error))
		return -1;
	if (!valid_id(plan->city_id)) {
		strbuf_printf_new(error, "%s: plans[%zu]: city_id \"%.80s\" must be 1 to %d lower-case "
				  "ASCII letters, digits, - or _", path, i, plan->city_id, PI_MAX_CITY_ID);
		return -1;
	}
	if (strchr(plan->file, '/') != NULL || plan->file[0] == '.' || plan->file[0] == '\0') {
		strbuf_printf_new(error, "%s: plans[%zu]: file \"%s\" must be a plain file name in "
				  "the corpus directory", path, i, plan->file);
		return -1;
	}
	if (!json_object_object_get_ex(obj, "title_supplied", &v) ||
	    !json_object_is_type(v, json_type_boolean)) {
		strbuf_printf_new(error, "%s: plans[%zu]: \"title_supplied\" must be true or false",
				  path, i);
		return -1;
	}
	plan->title_supplied = json_object_get_boolean(v);
	if (!json_object_object_get_ex(obj, "body_lines", &v) ||
	    !json_object_is_type(v, json_type_array) || json_object_array_length(v) != 2 ||
	    !json_object_is_type(json_object_array_get_idx(v, 0), json_type_int) ||
	    !json_object_is_type(json_object_array_get_idx(v, 1), json_type_int)) {
		strbuf_printf_new(error, "%s: plans[%zu]: \"body_lines\" must be [first, last], two "
				  "line numbers", path, i);
		return -1;
	}
	int64_t first = json_object_get_int64(json_object_array_get_idx(v, 0));
	int64_t last = json_object_get_int64(json_object_array_get_idx(v, 1));
	if (first < 1 || last < first || last > PI_MAX_LINES) {
		strbuf_printf_new(error, "%s: plans[%zu]: body_lines [%lld, %lld] must have 1 <= first "
				  "<= last <= %ld", path, i, (long long)first, (long long)last,
				  PI_MAX_LINES);
		return -1;
	}
	plan->body_first = (long)first;
	plan->body_last = (long)last;
	return 0;
}

static json_object *parse_json_file(const char *path, char **error)
{
	char *text = NULL;
	size_t len = 0;
	json_object *root = NULL;
	json_tokener *tok = NULL;

	if (util_read_file(path, &text, &len, error) != 0)
		return NULL;
	tok = json_tokener_new();
	if (tok == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (root == NULL || jerr != json_tokener_success) {
		size_t at = json_tokener_get_parse_end(tok);
		strbuf_printf_new(error, "%s:%d: malformed JSON: %s", path,
				  utf8_line_of(text, at < len ? at : len),
				  jerr == json_tokener_continue ? "unexpected end of file"
								: json_tokener_error_desc(jerr));
		json_object_put(root);
		root = NULL;
	}
out:
	json_tokener_free(tok);
	free(text);
	return root;
}

int pi_manifest_load(const char *corpus_dir, pi_manifest_t **out, char **error)
{
	strbuf_t path = STRBUF_INIT;
	pi_manifest_t *m = NULL;
	json_object *root = NULL, *plans;
	int rc = -1;

	if (strbuf_printf(&path, "%s/manifest.json", corpus_dir) != 0)
		goto oom;
	root = parse_json_file(path.data, error);
	if (root == NULL)
		goto out;
	if (!json_object_object_get_ex(root, "plans", &plans) ||
	    !json_object_is_type(plans, json_type_array) || json_object_array_length(plans) == 0) {
		strbuf_printf_new(error, "%s: expected an object with a non-empty \"plans\" array",
				  path.data);
		goto out;
	}
	m = calloc(1, sizeof *m);
	size_t n = json_object_array_length(plans);
	if (m == NULL || (m->plans = calloc(n, sizeof *m->plans)) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		m->n_plans = i + 1;
		if (read_plan(json_object_array_get_idx(plans, i), &m->plans[i], path.data, i,
			      error) != 0)
			goto out;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(m->plans[j].city_id, m->plans[i].city_id) == 0 ||
			    strcmp(m->plans[j].file, m->plans[i].file) == 0) {
				strbuf_printf_new(error, "%s: plans[%zu] repeats the city_id or file "
						  "of plans[%zu]", path.data, i, j);
				goto out;
			}
		}
	}
	*out = m;
	m = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	pi_manifest_free(m);
	json_object_put(root);
	strbuf_free(&path);
	return rc;
}

void pi_manifest_free(pi_manifest_t *manifest)
{
	if (manifest == NULL)
		return;
	for (size_t i = 0; i < manifest->n_plans; i++) {
		pi_plan_info_t *p = &manifest->plans[i];
		free(p->city_id);
		free(p->file);
		free(p->city);
		free(p->province);
		free(p->title);
		free(p->date);
	}
	free(manifest->plans);
	free(manifest);
}
