/* check.c: policy-index --check: is the index what a build of the corpus now would give? */
#include "check.h"

#include "manifest.h"
#include "plan.h"
#include "sha256.h"
#include "store.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

static bool same_string(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

/* The first field of the plan as a build would index it now that differs from the index's
 * record of it, or NULL when none does. */
static const char *first_difference(const pi_plan_t *now, const ps_plan_t *then)
{
	const pi_plan_info_t *info = now->info;
	if (!same_string(info->city, then->city))
		return "city";
	if (!same_string(info->province, then->province))
		return "province";
	if (!same_string(info->title, then->title))
		return "title";
	if (info->title_supplied != then->title_supplied)
		return "title_supplied";
	if (!same_string(info->date, then->date))
		return "date";
	if (!same_string(info->file, then->file))
		return "file";
	if ((info->encoding == PI_ENCODING_GB18030) != then->gb18030)
		return "encoding";
	if (now->body_start != then->body_start || now->body_end != then->body_end)
		return "body";
	if (now->doc->n_clauses != then->passages)
		return "passages";
	return NULL;
}

/* True if the index's copy of the plan's bytes and its outline agree with its record. */
static bool plan_intact(ps_store_t *store, const ps_plan_t *p)
{
	const char *text;
	const ps_outline_t *o;
	size_t len;
	char sha[PS_SHA256_HEX_LEN + 1], *error = NULL;
	bool ok = ps_store_plan_source(store, p, &text, &len, &error) == 0 &&
		  ps_store_plan_outline(store, p, &o, &error) == 0;
	free(error);
	if (!ok || len != p->bytes)
		return false;
	ps_sha256_hex(text, len, sha);
	return strcmp(sha, p->sha256) == 0;
}

/* The corpus and index directories as shell words, for the commands to paste. */
typedef struct quoted {
	char *corpus, *db;
	bool stub; /* db is a stub file of shards: a plan is updated on its shard */
} quoted_t;

/* Where the command that updates a plan is run: "" for an index directory, else on the
 * shard that holds the entry (or on one, for a plan none holds). Prints the words before
 * the command and returns the --db to give it. */
static const char *fix_where(const quoted_t *q, ps_store_t *store, const ps_plan_t *entry,
			     FILE *out)
{
	if (!q->stub)
		return q->db;
	if (entry != NULL)
		fprintf(out, " on shard %s, on the machine that holds it,",
			ps_store_shard_name(store, ps_store_plan_shard(store, entry)));
	else
		fprintf(out, " on one shard, on the machine that holds it,");
	return "SHARD_DIR";
}

/* Check one plan of the manifest against the index's record of it (NULL if none). Prints
 * one line; returns true if it is current. */
static bool check_plan(const char *corpus_dir, const quoted_t *q, ps_store_t *store,
		       const pi_plan_info_t *info, const ps_plan_t *entry, FILE *out)
{
	pi_plan_t *plan = NULL;
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
	char sha[PS_SHA256_HEX_LEN + 1];
	ps_sha256_hex(plan->text, plan->len, sha);
	if (plan->len != entry->bytes || strcmp(sha, entry->sha256) != 0) {
		if (plan->len != entry->bytes)
			fprintf(out, "changed since it was indexed (%zu bytes then, %zu now)",
				entry->bytes, plan->len);
		else
			fprintf(out, "changed since it was indexed (same size, other SHA-256)");
		goto fix;
	}
	const char *field = first_difference(plan, entry);
	if (field != NULL) {
		fprintf(out, "its manifest entry or its parse changed since it was indexed (%s)",
			field);
		goto fix;
	}
	if (!plan_intact(store, entry)) {
		fprintf(out, "the index is damaged (its copy of the file or its outline differs "
			"from its record); rebuild it");
		const char *db = fix_where(q, store, entry, out);
		fprintf(out, " with: policy-index --corpus %s --db %s\n", q->corpus, db);
		goto out;
	}
	fprintf(out, "current, %zu passage%s\n", plan->doc->n_clauses,
		plan->doc->n_clauses == 1 ? "" : "s");
	current = true;
	goto out;
fix:
	qfile = strbuf_shell_word(file);
	fprintf(out, "; update it");
	const char *db = fix_where(q, store, entry, out);
	fprintf(out, " with: policy-index --corpus %s --db %s --add %s\n", q->corpus, db,
		qfile ? qfile : file);
out:
	free(qfile);
	pi_plan_free(plan);
	return current;
}

ps_status_t pi_check(const char *corpus_dir, const char *db_dir, FILE *out, bool *current,
		     char **error)
{
	pi_manifest_t *manifest = NULL;
	ps_store_t *store = NULL;
	struct stat st_db;
	quoted_t q = {strbuf_shell_word(corpus_dir), strbuf_shell_word(db_dir),
		      stat(db_dir, &st_db) == 0 && !S_ISDIR(st_db.st_mode)};
	ps_status_t rc = PS_ERR_NO_MEMORY;
	size_t stale = 0, total = 0;

	if (q.corpus == NULL || q.db == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if ((rc = pi_manifest_load(corpus_dir, &manifest, error)) != PS_OK)
		goto out;
	char *why = NULL;
	ps_status_t st = ps_store_open_to_update(db_dir, &store, &why);
	if (st == PS_ERR_SCHEMA) { /* ours, of another version: what a rebuild fixes */
		fprintf(out, "stale: %s\n", why);
		free(why);
		*current = false;
		rc = PS_OK;
		goto out;
	}
	if (st != PS_OK) {
		*error = why;
		rc = st;
		goto out;
	}
	size_t n_indexed;
	const ps_plan_t *plans = ps_store_plans(store, &n_indexed);
	if (q.stub) {
		/* a stub file: each shard answered (or opening failed above, naming it) */
		for (size_t k = 0; k < ps_store_n_shards(store); k++) {
			size_t n = 0;
			for (size_t i = 0; i < n_indexed; i++)
				n += ps_store_plan_shard(store, &plans[i]) == k;
			fprintf(out, "shard %s: answers, %zu plan%s\n", ps_store_shard_name(store, k),
				n, n == 1 ? "" : "s");
		}
	}
	for (size_t i = 0; i < manifest->n_plans; i++) {
		total++;
		if (!check_plan(corpus_dir, &q, store, &manifest->plans[i],
				ps_store_plan_by_id(store, manifest->plans[i].city_id), out))
			stale++;
	}
	for (size_t k = 0; k < n_indexed; k++) {
		const char *id = plans[k].city_id;
		bool listed = false;
		for (size_t i = 0; i < manifest->n_plans && !listed; i++)
			listed = strcmp(manifest->plans[i].city_id, id) == 0;
		if (listed)
			continue;
		total++;
		stale++;
		fprintf(out, "%s (%s): in the index, not in the manifest; remove it", plans[k].file,
			id);
		const char *db = fix_where(&q, store, &plans[k], out);
		fprintf(out, " with: policy-index --db %s --remove %s\n", db, id);
	}
	if (stale == 0)
		fprintf(out, "current: the index at %s matches %s (%zu plan%s)\n", db_dir,
			corpus_dir, total, total == 1 ? "" : "s");
	else
		fprintf(out, "stale: %zu of %zu plan%s %s between the index at %s and %s\n",
			stale, total, total == 1 ? "" : "s", stale == 1 ? "differs" : "differ",
			db_dir, corpus_dir);
	*current = stale == 0;
	rc = PS_OK;
out:
	free(q.corpus);
	free(q.db);
	ps_store_close(store);
	pi_manifest_free(manifest);
	return rc;
}
