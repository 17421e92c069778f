/* manifest.c: corpus/manifest.json into pi_manifest_t, with messages that say what is wrong. */
#include "manifest.h"

#include "escape.h"
#include "file.h"
#include "strbuf.h"
#include "strmap.h"
#include "utf8.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	/* Every string here reaches terminals as it is (search results, citations): a control
	 * or bidirectional formatting character (an escape sequence, U+202E) is refused. */
	const char *text = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	for (size_t i = 0; i < len;) {
		size_t at = i;
		int32_t c = utf8_next(text, &i, len);
		if (c < 0 || util_char_is_unsafe(c)) {
			strbuf_printf_new(error, "%s: plans[%zu]: \"%s\" holds U+%04X at byte %zu, a "
					  "control or bidirectional formatting character; remove it",
					  path, index, key, c < 0 ? 0xFFFDu : (unsigned)c, at);
			return -1;
		}
	}
	*out = strdup(text);
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

/* The optional "encoding": absent or null is UTF-8. */
static int read_encoding(json_object *obj, pi_plan_info_t *plan, const char *path, size_t i,
			 char **error)
{
	static const struct {
		const char *name;
		pi_encoding_t encoding;
	} names[] = {
		{"utf-8", PI_ENCODING_UTF8},       {"utf8", PI_ENCODING_UTF8},
		{"gb18030", PI_ENCODING_GB18030}, {"gbk", PI_ENCODING_GB18030},
		{"gb2312", PI_ENCODING_GB18030},
	};
	json_object *v = NULL;
	plan->encoding = PI_ENCODING_UTF8;
	if (!json_object_object_get_ex(obj, "encoding", &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
			if (strcasecmp(json_object_get_string(v), names[k].name) == 0) {
				plan->encoding = names[k].encoding;
				return 0;
			}
		}
	}
	strbuf_printf_new(error, "%s: plans[%zu]: \"encoding\" must be \"utf-8\" or \"gb18030\" "
			  "(\"gbk\" and \"gb2312\" are read as gb18030)", path, i);
	return -1;
}

/* JSON text into an object; *error gives the line, column and what json-c expected. */
static json_object *parse_json(const char *text, size_t len, const char *name, char **error)
{
	json_object *root = NULL;
	json_tokener *tok = json_tokener_new();
	size_t at = 0;
	const char *what = NULL;

	if (tok == NULL) {
		strbuf_printf_new(error, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	at = json_tokener_get_parse_end(tok);
	if (root == NULL || jerr != json_tokener_success) {
		what = jerr == json_tokener_continue
			       ? "unexpected end of file, the JSON is not closed"
			       : json_tokener_error_desc(jerr);
	} else {
		while (at < len && strchr(" \t\r\n", text[at]) != NULL)
			at++;
		if (at < len)
			what = "text after the end of the JSON object";
	}
	if (what != NULL) {
		if (at > len)
			at = len;
		size_t line_start = at;
		while (line_start > 0 && text[line_start - 1] != '\n')
			line_start--;
		unsigned char c = at < len ? (unsigned char)text[at] : 0;
		char found[40] = "";
		if (c >= 0x21 && c < 0x7f)
			snprintf(found, sizeof found, " (found '%c')", c);
		strbuf_printf_new(error, "%s:%d:%zu: malformed JSON at byte %zu: %s%s", name,
				  utf8_line_of(text, at), at - line_start + 1, at, what, found);
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

ps_status_t pi_manifest_load(const char *corpus_dir, pi_manifest_t **out, char **error)
{
	strbuf_t path = STRBUF_INIT;
	char *text = NULL;
	size_t len = 0;
	ps_status_t rc = PS_ERR_MANIFEST;

	if (strbuf_printf(&path, "%s/manifest.json", corpus_dir) != 0) {
		strbuf_printf_new(error, "out of memory");
		rc = PS_ERR_FAILED;
		goto out;
	}
	/* a manifest that is a link to /dev/zero or a FIFO is refused before it is read */
	if (util_read_file(path.data, "a manifest", PI_MAX_MANIFEST_BYTES, true, &text, &len,
			   error) != 0)
		goto out;
	rc = pi_manifest_parse(text, len, path.data, out, error);
out:
	free(text);
	strbuf_free(&path);
	return rc;
}

ps_status_t pi_manifest_parse(const char *text, size_t len, const char *path,
			      pi_manifest_t **out, char **error)
{
	pi_manifest_t *m = NULL;
	json_object *root = NULL, *plans;
	util_strmap_t ids = UTIL_STRMAP_INIT, files = UTIL_STRMAP_INIT;
	ps_status_t rc = PS_ERR_MANIFEST;

	if (len > (size_t)PI_MAX_MANIFEST_BYTES) {
		strbuf_printf_new(error, "%s: %zu bytes is too big for a manifest (at most %ld)",
				  path, len, PI_MAX_MANIFEST_BYTES);
		goto out;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* saved by a Windows editor */
		text += 3;
		len -= 3;
	}
	root = parse_json(text, len, path, error);
	if (root == NULL)
		goto out;
	if (!json_object_object_get_ex(root, "plans", &plans) ||
	    !json_object_is_type(plans, json_type_array) || json_object_array_length(plans) == 0) {
		strbuf_printf_new(error, "%s: expected an object with a non-empty \"plans\" array",
				  path);
		goto out;
	}
	m = calloc(1, sizeof *m);
	size_t n = json_object_array_length(plans);
	if (m == NULL || (m->plans = calloc(n, sizeof *m->plans)) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(plans, i);
		m->n_plans = i + 1;
		if (read_plan(entry, &m->plans[i], path, i, error) != 0 ||
		    read_encoding(entry, &m->plans[i], path, i, error) != 0)
			goto out;
		/* each city_id and file once: hashed, so a long manifest costs no more per plan */
		const char *field = "city_id", *value = m->plans[i].city_id;
		size_t first;
		int put = util_strmap_put(&ids, value, strlen(value), i, &first);
		if (put == 1) {
			field = "file";
			value = m->plans[i].file;
			put = util_strmap_put(&files, value, strlen(value), i, &first);
		}
		if (put < 0)
			goto oom;
		if (put == 0) {
			strbuf_printf_new(error, "%s: plans[%zu] repeats the %s \"%s\" of plans[%zu]",
					  path, i, field, value, first);
			goto out;
		}
	}
	*out = m;
	m = NULL;
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PS_ERR_FAILED;
out:
	util_strmap_free(&ids);
	util_strmap_free(&files);
	pi_manifest_free(m);
	json_object_put(root);
	return rc;
}

const char *pi_encoding_name(pi_encoding_t encoding)
{
	return encoding == PI_ENCODING_GB18030 ? "gb18030" : "utf-8";
}

static void plan_info_free(pi_plan_info_t *p)
{
	free(p->city_id);
	free(p->file);
	free(p->city);
	free(p->province);
	free(p->title);
	free(p->date);
}

void pi_manifest_free(pi_manifest_t *manifest)
{
	if (manifest == NULL)
		return;
	for (size_t i = 0; i < manifest->n_plans; i++)
		plan_info_free(&manifest->plans[i]);
	free(manifest->plans);
	free(manifest);
}

ps_status_t pi_manifest_keep(pi_manifest_t *m, const char *ids, char **error)
{
	char *list = strdup(ids), *save = NULL;
	bool *keep = calloc(m->n_plans ? m->n_plans : 1, sizeof *keep);
	ps_status_t rc = PS_ERR_FAILED;
	size_t named = 0;
	if (list == NULL || keep == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	for (char *id = strtok_r(list, ", ", &save); id != NULL; id = strtok_r(NULL, ", ", &save)) {
		size_t i = 0;
		while (i < m->n_plans && strcmp(m->plans[i].city_id, id) != 0)
			i++;
		if (i == m->n_plans) {
			strbuf_printf_new(error, "--only names %s, which manifest.json does not list "
					  "(its ids are its plans' city_id values)", id);
			rc = PS_ERR_MANIFEST;
			goto out;
		}
		keep[i] = true;
		named++;
	}
	if (named == 0) {
		strbuf_printf_new(error, "--only names no plan: give their ids, dandong,fuxin");
		rc = PS_ERR_MANIFEST;
		goto out;
	}
	size_t k = 0;
	for (size_t i = 0; i < m->n_plans; i++) {
		if (keep[i])
			m->plans[k++] = m->plans[i];
		else
			plan_info_free(&m->plans[i]);
	}
	m->n_plans = k;
	rc = PS_OK;
out:
	free(list);
	free(keep);
	return rc;
}
