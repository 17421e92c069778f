/* check.c: policy-index --check: is the index what a build of the corpus now would give? */
#include "check.h"

#include "manifest.h"
#include "plan.h"
#include "planmeta.h"
#include "schema.h"
#include "strbuf.h"
#include "xapwrap.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *entry_string(json_object *entry, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(entry, key, &v) || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

static long long entry_int(json_object *entry, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(entry, key, &v) ? (long long)json_object_get_int64(v) : -1;
}

/* The first field of `now` whose value differs in `then`, or NULL when they are equal. */
static const char *first_difference(json_object *now, json_object *then)
{
	json_object_object_foreach(now, key, value) {
		json_object *old = NULL;
		if (!json_object_object_get_ex(then, key, &old) || !json_object_equal(value, old))
			return key;
	}
	return json_object_equal(now, then) ? NULL : "(a field the index has and a build would not)";
}

/* Passages the index holds for a plan, counted by its plan term. */
static long long indexed_passages(xw_db_t *db, const char *city_id)
{
	strbuf_t term = STRBUF_INIT;
	unsigned n = 0;
	long long rc = -1;
	if (strbuf_printf(&term, "%s%s", PI_PREFIX_PLAN, city_id) == 0 &&
	    xw_db_term_freq(db, term.data, &n) == XW_OK)
		rc = n;
	strbuf_free(&term);
	return rc;
}

/* True if the index's copy of the plan's bytes has the SHA-256 its plan list records. */
static bool source_intact(xw_db_t *db, json_object *entry)
{
	strbuf_t key = STRBUF_INIT;
	char *source = NULL, sha[PI_SHA256_HEX_LEN + 1];
	size_t len = 0;
	bool ok = false;
	if (strbuf_printf(&key, "%s%s", PI_META_SOURCE_PREFIX, entry_string(entry, "city_id")) == 0 &&
	    xw_db_get_metadata(db, key.data, &source, &len) == XW_OK && source != NULL) {
		pi_sha256_hex(source, len, sha);
		ok = strcmp(sha, entry_string(entry, "sha256")) == 0;
	}
	free(source);
	strbuf_free(&key);
	return ok;
}

/* The corpus and index directories as shell words, for the commands to paste. */
typedef struct quoted {
	char *corpus, *db;
} quoted_t;

/* Check one plan of the manifest against its entry in the index (NULL if none). Prints
 * one line; returns true if it is current. */
static bool check_plan(const char *corpus_dir, const quoted_t *q, xw_db_t *db,
		       const pi_plan_info_t *info, json_object *entry, FILE *out)
{
	pi_plan_t *plan = NULL;
	json_object *now = NULL;
	char *error = NULL, *qfile = NULL;
	bool current = false;
	const char *file = info->file;

	fprintf(out, "%s (%s): ", file, info->city_id);
	if (entry == NULL) {
		fprintf(out, "not in the index");
		goto fix;
	}
	if (pi_plan_load(corpus_dir, info, &plan, &error) != 0) {
		fprintf(out, "cannot be indexed as it is now: %s", error);
		free(error);
		goto fix;
	}
	char sha[PI_SHA256_HEX_LEN + 1];
	pi_sha256_hex(plan->text, plan->len, sha);
	if ((long long)plan->len != entry_int(entry, "bytes") ||
	    strcmp(sha, entry_string(entry, "sha256")) != 0) {
		if ((long long)plan->len != entry_int(entry, "bytes"))
			fprintf(out, "changed since it was indexed (%lld bytes then, %zu now)",
				entry_int(entry, "bytes"), plan->len);
		else
			fprintf(out, "changed since it was indexed (same size, other SHA-256)");
		goto fix;
	}
	now = pi_plan_summary(plan);
	const char *field = now ? first_difference(now, entry) : "(out of memory)";
	if (field != NULL) {
		fprintf(out, "its manifest entry or its parse changed since it was indexed (%s)",
			field);
		goto fix;
	}
	long long held = indexed_passages(db, info->city_id);
	if (held != entry_int(entry, "passages") || !source_intact(db, entry)) {
		fprintf(out, "the index is damaged (%lld passages held, %lld listed, or its copy "
			"of the file differs); rebuild it with: policy-index --corpus %s --db %s\n",
			held, entry_int(entry, "passages"), q->corpus, q->db);
		goto out;
	}
	fprintf(out, "current, %zu passages\n", plan->doc->n_clauses);
	current = true;
	goto out;
fix:
	qfile = strbuf_shell_word(file);
	fprintf(out, "; update it with: policy-index --corpus %s --db %s --add %s\n", q->corpus,
		q->db, qfile ? qfile : file);
out:
	free(qfile);
	json_object_put(now);
	pi_plan_free(plan);
	return current;
}

pi_check_result_t pi_check(const char *corpus_dir, const char *db_dir, FILE *out,
			   char **error)
{
	pi_manifest_t *manifest = NULL;
	xw_db_t *db = NULL;
	json_object *plans = NULL;
	strbuf_t stub = STRBUF_INIT;
	char *xerr = NULL, *value = NULL;
	quoted_t q = {strbuf_shell_word(corpus_dir), strbuf_shell_word(db_dir)};
	struct stat st;
	pi_check_result_t rc = PI_CHECK_ERROR;
	size_t stale = 0, total = 0;

	if (q.corpus == NULL || q.db == NULL)
		goto oom;
	if (pi_manifest_load(corpus_dir, &manifest, error) != 0)
		goto out;
	if (strbuf_printf(&stub, "%s/%s", db_dir, PI_STUB_NAME) != 0)
		goto oom;
	if (stat(stub.data, &st) != 0) {
		if (errno != ENOENT) /* a directory we may not look into, say */
			strbuf_printf_new(error, "cannot read the index at %s: %s", db_dir,
					  strerror(errno));
		else
			strbuf_printf_new(error, "no index at %s; build one with: policy-index "
					  "--corpus %s --db %s", db_dir, q.corpus, q.db);
		goto out;
	}
	xw_status_t xst = xw_db_open(db_dir, &db, &xerr);
	if (xst != XW_OK) {
		strbuf_printf_new(error, "cannot open the index at %s (%s: %s); rebuild it with: "
				  "policy-index --corpus %s --db %s", db_dir, xw_status_to_string(xst),
				  xerr ? xerr : "", q.corpus, q.db);
		goto out;
	}
	if (xw_db_get_metadata(db, PI_META_SCHEMA, &value, NULL) != XW_OK)
		goto read_failed;
	if (value == NULL || strcmp(value, PI_SCHEMA_VERSION) != 0) {
		fprintf(out, "stale: the index has schema %s, this program writes %s; rebuild it "
			"with: policy-index --corpus %s --db %s\n", value ? value : "none",
			PI_SCHEMA_VERSION, q.corpus, q.db);
		rc = PI_CHECK_STALE;
		goto out;
	}
	free(value);
	value = NULL;
	if (xw_db_get_metadata(db, PI_META_PLANS, &value, NULL) != XW_OK)
		goto read_failed;
	plans = value ? json_tokener_parse(value) : NULL;
	if (plans == NULL || !json_object_is_type(plans, json_type_array)) {
		strbuf_printf_new(error, "the index at %s has no readable plan list; rebuild it "
				  "with: policy-index --corpus %s --db %s", db_dir, q.corpus, q.db);
		goto out;
	}
	size_t n_indexed = json_object_array_length(plans);
	for (size_t i = 0; i < manifest->n_plans; i++) {
		json_object *entry = NULL;
		for (size_t k = 0; k < n_indexed && entry == NULL; k++)
			if (strcmp(entry_string(json_object_array_get_idx(plans, k), "city_id"),
				   manifest->plans[i].city_id) == 0)
				entry = json_object_array_get_idx(plans, k);
		total++;
		if (!check_plan(corpus_dir, &q, db, &manifest->plans[i], entry, out))
			stale++;
	}
	for (size_t k = 0; k < n_indexed; k++) {
		const char *id = entry_string(json_object_array_get_idx(plans, k), "city_id");
		bool listed = false;
		for (size_t i = 0; i < manifest->n_plans && !listed; i++)
			listed = strcmp(manifest->plans[i].city_id, id) == 0;
		if (listed)
			continue;
		total++;
		stale++;
		fprintf(out, "%s (%s): in the index, not in the manifest; remove it with: "
			"policy-index --db %s --remove %s\n",
			entry_string(json_object_array_get_idx(plans, k), "file"), id, q.db, id);
	}
	if (stale == 0)
		fprintf(out, "current: the index at %s matches %s (%zu plans)\n", db_dir, corpus_dir,
			total);
	else
		fprintf(out, "stale: %zu of %zu plans differ between the index at %s and %s\n",
			stale, total, db_dir, corpus_dir);
	rc = stale == 0 ? PI_CHECK_CURRENT : PI_CHECK_STALE;
	goto out;
read_failed:
	strbuf_printf_new(error, "cannot read the index at %s: %s", db_dir, xw_db_last_error(db));
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(q.corpus);
	free(q.db);
	json_object_put(plans);
	free(value);
	free(xerr);
	strbuf_free(&stub);
	xw_db_destroy(db);
	pi_manifest_free(manifest);
	return rc;
}
