/* update.c: one plan in or out of an index: copy the live generation, change it, switch to it. */
#include "update.h"

#include "buildplan.h"
#include "install.h"
#include "manifest.h"
#include "plan.h"
#include "schema.h"
#include "strbuf.h"
#include "xapwrap.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* An update in progress: the install handle, the writer on the new generation and the
 * plan list read from it. */
typedef struct update {
	const char *db_dir;
	pi_install_t *install;
	xw_writer_t *writer;
	json_object *plans; /* the plan list as it was */
} update_t;

static void update_free(update_t *u)
{
	xw_writer_destroy(u->writer);
	pi_install_abort(u->install);
	json_object_put(u->plans);
}

/* Take the build lock, copy the live generation, open it for writing, check its schema
 * and read its plan list. Returns 0, or -1 with a message. */
static int update_begin(update_t *u, char **error)
{
	strbuf_t stub = STRBUF_INIT;
	struct stat st;
	char *xerr = NULL, *value = NULL;
	char *qdb = strbuf_shell_word(u->db_dir); /* in the commands to paste */
	int rc = -1;

	if (qdb == NULL || strbuf_printf(&stub, "%s/%s", u->db_dir, PI_STUB_NAME) != 0)
		goto oom;
	if (stat(stub.data, &st) != 0) {
		if (errno != ENOENT) /* a directory we may not look into, say */
			strbuf_printf_new(error, "cannot read the index at %s: %s", u->db_dir,
					  strerror(errno));
		else
			strbuf_printf_new(error, "no index at %s to update; build one with: "
					  "policy-index --corpus corpus --db %s", u->db_dir, qdb);
		goto out;
	}
	if (pi_install_begin(u->db_dir, &u->install, error) != 0 ||
	    pi_install_copy_live(u->install, error) != 0)
		goto out;
	const char *generation = pi_install_path(u->install);
	xw_status_t xst = xw_writer_open(generation, &u->writer, &xerr);
	if (xst != XW_OK) {
		strbuf_printf_new(error, "cannot open a copy of the index at %s (%s: %s); rebuild "
				  "it with: policy-index --corpus corpus --db %s", u->db_dir,
				  xw_status_to_string(xst), xerr ? xerr : "", qdb);
		goto out;
	}
	if (xw_writer_get_metadata(u->writer, PI_META_SCHEMA, &value, NULL) != XW_OK)
		goto read_failed;
	if (value == NULL || strcmp(value, PI_SCHEMA_VERSION) != 0) {
		strbuf_printf_new(error, "the index at %s has schema %s, this program writes %s; "
				  "rebuild it whole with: policy-index --corpus corpus --db %s",
				  u->db_dir, value ? value : "none", PI_SCHEMA_VERSION, qdb);
		goto out;
	}
	free(value);
	value = NULL;
	if (xw_writer_get_metadata(u->writer, PI_META_PLANS, &value, NULL) != XW_OK)
		goto read_failed;
	u->plans = value ? json_tokener_parse(value) : NULL;
	if (u->plans == NULL || !json_object_is_type(u->plans, json_type_array)) {
		strbuf_printf_new(error, "the index at %s has no readable plan list; rebuild it "
				  "with: policy-index --corpus corpus --db %s", u->db_dir, qdb);
		goto out;
	}
	rc = 0;
	goto out;
read_failed:
	strbuf_printf_new(error, "cannot read the index at %s: %s", u->db_dir,
			  xw_writer_last_error(u->writer));
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(qdb);
	free(value);
	free(xerr);
	strbuf_free(&stub);
	return rc;
}

/* Store the new plan list, commit, and make the new generation live. */
static int update_finish(update_t *u, json_object *plans, char **error)
{
	const char *json = pi_build_json(plans);
	if (json == NULL ||
	    xw_writer_set_metadata(u->writer, PI_META_PLANS, json, strlen(json)) != XW_OK ||
	    xw_writer_commit(u->writer) != XW_OK) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", u->db_dir,
				  json ? xw_writer_last_error(u->writer) : "out of memory");
		return -1;
	}
	xw_writer_destroy(u->writer);
	u->writer = NULL;
	pi_install_test_stop("written");
	int rc = pi_install_commit(u->install, error);
	u->install = NULL; /* committed or, on failure, aborted */
	return rc;
}

static const char *entry_id(json_object *entry)
{
	json_object *v;
	if (!json_object_object_get_ex(entry, "city_id", &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

static size_t entry_passages(json_object *entry)
{
	json_object *v;
	return json_object_object_get_ex(entry, "passages", &v) ? (size_t)json_object_get_int64(v)
								: 0;
}

/* Delete the plan's passages and its source and outline metadata. */
static int drop_plan(update_t *u, const char *city_id, char **error)
{
	strbuf_t key = STRBUF_INIT;
	int rc = -1;
	if (strbuf_printf(&key, "%s%s", PI_PREFIX_PLAN, city_id) != 0)
		goto oom;
	if (xw_writer_delete_term(u->writer, key.data) != XW_OK)
		goto failed;
	static const char *const prefixes[] = {PI_META_SOURCE_PREFIX, PI_META_OUTLINE_PREFIX};
	for (size_t i = 0; i < 2; i++) {
		key.len = 0;
		if (strbuf_printf(&key, "%s%s", prefixes[i], city_id) != 0)
			goto oom;
		if (xw_writer_set_metadata(u->writer, key.data, "", 0) != XW_OK) /* "" deletes */
			goto failed;
	}
	rc = 0;
	goto out;
failed:
	strbuf_printf_new(error, "%s: cannot remove %s from the index: %s", u->db_dir, city_id,
			  xw_writer_last_error(u->writer));
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	strbuf_free(&key);
	return rc;
}

/* The manifest entry for `file`: its name as listed, or a path to the same file. */
static const pi_plan_info_t *find_entry(const char *corpus_dir, const pi_manifest_t *m,
					const char *file)
{
	struct stat want, st;
	bool have = stat(file, &want) == 0;
	for (size_t i = 0; i < m->n_plans; i++) {
		if (strcmp(m->plans[i].file, file) == 0)
			return &m->plans[i];
		strbuf_t path = STRBUF_INIT;
		bool same = have && strbuf_printf(&path, "%s/%s", corpus_dir, m->plans[i].file) == 0 &&
			    stat(path.data, &st) == 0 && st.st_dev == want.st_dev &&
			    st.st_ino == want.st_ino;
		strbuf_free(&path);
		if (same)
			return &m->plans[i];
	}
	return NULL;
}

/* The plan list after adding `added`: the manifest's order, as a full build gives it, then
 * any plans the index holds that the manifest no longer lists, in their old order. */
static json_object *merged_plans(const pi_manifest_t *m, json_object *old, json_object *added)
{
	json_object *list = json_object_new_array();
	size_t n_old = json_object_array_length(old);
	bool *used = calloc(n_old ? n_old : 1, sizeof *used);
	if (list == NULL || used == NULL)
		goto oom;
	for (size_t i = 0; i < m->n_plans; i++) {
		const char *id = m->plans[i].city_id;
		json_object *entry = NULL;
		if (strcmp(id, entry_id(added)) == 0)
			entry = added;
		for (size_t k = 0; k < n_old; k++)
			if (!used[k] && strcmp(entry_id(json_object_array_get_idx(old, k)), id) == 0) {
				used[k] = true;
				if (entry == NULL)
					entry = json_object_array_get_idx(old, k);
			}
		if (entry != NULL && json_object_array_add(list, json_object_get(entry)) != 0)
			goto oom;
	}
	for (size_t k = 0; k < n_old; k++)
		if (!used[k] && json_object_array_add(list, json_object_get(
					      json_object_array_get_idx(old, k))) != 0)
			goto oom;
	free(used);
	return list;
oom:
	free(used);
	json_object_put(list);
	return NULL;
}

int pi_update_add(const char *corpus_dir, const char *db_dir, const char *file,
		  pi_update_stats_t *stats, char **error)
{
	update_t u = {.db_dir = db_dir};
	pi_manifest_t *manifest = NULL;
	pi_plan_t *plan = NULL;
	seg_words_t *words = NULL;
	json_object *summary = NULL, *plans = NULL;
	int rc = -1;

	if (pi_manifest_load(corpus_dir, &manifest, error) != 0)
		goto out;
	const pi_plan_info_t *info = find_entry(corpus_dir, manifest, file);
	if (info == NULL) {
		strbuf_printf_new(error, "%s is not listed in %s/manifest.json; add an entry for "
				  "it there first (README: The corpus and its manifest)", file,
				  corpus_dir);
		goto out;
	}
	/* Read and parse the plan before touching the index: a bad file costs nothing. */
	if (pi_plan_load(corpus_dir, info, &plan, error) != 0 || update_begin(&u, error) != 0)
		goto out;
	size_t removed = 0;
	for (size_t k = 0; k < json_object_array_length(u.plans); k++)
		if (strcmp(entry_id(json_object_array_get_idx(u.plans, k)), info->city_id) == 0)
			removed += entry_passages(json_object_array_get_idx(u.plans, k));
	if (drop_plan(&u, info->city_id, error) != 0 || seg_words_open(&words, error) != 0 ||
	    pi_build_plan(u.writer, words, plan, &summary, error) != 0)
		goto out;
	pi_install_test_stop("indexing");
	plans = merged_plans(manifest, u.plans, summary);
	if (plans == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (update_finish(&u, plans, error) != 0)
		goto out;
	if (stats != NULL) {
		snprintf(stats->city_id, sizeof stats->city_id, "%s", info->city_id);
		stats->removed = removed;
		stats->added = plan->doc->n_clauses;
		stats->plans = json_object_array_length(plans);
	}
	rc = 0;
out:
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	update_free(&u);
	json_object_put(plans);
	json_object_put(summary);
	seg_words_close(words);
	pi_plan_free(plan);
	pi_manifest_free(manifest);
	return rc;
}

int pi_update_remove(const char *db_dir, const char *city_id, pi_update_stats_t *stats,
		     char **error)
{
	update_t u = {.db_dir = db_dir};
	json_object *plans = NULL;
	strbuf_t known = STRBUF_INIT;
	size_t removed = 0;
	bool found = false;
	int rc = -1;

	if (update_begin(&u, error) != 0)
		goto out;
	plans = json_object_new_array();
	if (plans == NULL)
		goto out;
	for (size_t k = 0; k < json_object_array_length(u.plans); k++) {
		json_object *entry = json_object_array_get_idx(u.plans, k);
		const char *id = entry_id(entry);
		if (strbuf_printf(&known, "%s%s", k ? ", " : "", id) != 0)
			goto out;
		if (strcmp(id, city_id) == 0) {
			found = true;
			removed += entry_passages(entry);
		} else if (json_object_array_add(plans, json_object_get(entry)) != 0) {
			goto out;
		}
	}
	if (!found) {
		strbuf_printf_new(error, "the index at %s has no plan '%s'; it has: %s", db_dir,
				  city_id, known.data ? known.data : "none");
		goto out;
	}
	if (drop_plan(&u, city_id, error) != 0)
		goto out;
	pi_install_test_stop("indexing");
	if (update_finish(&u, plans, error) != 0)
		goto out;
	if (stats != NULL) {
		snprintf(stats->city_id, sizeof stats->city_id, "%s", city_id);
		stats->removed = removed;
		stats->added = 0;
		stats->plans = json_object_array_length(plans);
	}
	rc = 0;
out:
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	update_free(&u);
	json_object_put(plans);
	strbuf_free(&known);
	return rc;
}
