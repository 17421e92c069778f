/* update.c: one plan in or out of an index: a new generation written from the new plan and the others' stored text. */
#include "update.h"

#include "build.h"
#include "document.h"
#include "generation.h"
#include "manifest.h"
#include "plan.h"
#include "progress.h"
#include "store.h"
#include "strbuf.h"
#include "writer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * An index holds each plan's text as it was indexed (store.h), so an update needs no other
 * file than the one it adds: it takes the build lock, opens the live index, and writes a
 * new generation holding every plan (each kept plan parsed again from its stored text,
 * which gives the same clauses and ids), then switches to it as a build does. The cost is
 * that of a build of the whole index minus reading the corpus: segmenting and indexing
 * every plan again (README, Performance).
 */

/* An update in progress: the new generation and the live index it starts from. */
typedef struct update {
	const char *db_dir;
	FILE *progress_to; /* where the progress line goes, or NULL */
	ps_writer_t *writer;
	ps_store_t *live;
	pi_progress_t progress;
} update_t;

static void update_free(update_t *u)
{
	pi_progress_end(&u->progress);
	ps_writer_abort(u->writer);
	ps_store_close(u->live);
}

/* Take the build lock and open the live index. Returns 0, or -1 with a message. */
static ps_status_t update_begin(update_t *u, char **error)
{
	/* first as a query would: no index, or one that cannot be read, is said so before
	 * a build begins (which would make the directory) */
	struct stat st_dir;
	if (stat(u->db_dir, &st_dir) == 0 && !S_ISDIR(st_dir.st_mode)) {
		strbuf_printf_new(error, "%s is a stub file of shards: --add and --remove change "
				  "one index directory; run them on the shard's own directory, on "
				  "the machine that holds it", u->db_dir);
		return PS_ERR_INVALID;
	}
	ps_status_t st = ps_store_open_to_update(u->db_dir, &u->live, error);
	if (st != PS_OK)
		return st;
	ps_store_close(u->live);
	u->live = NULL;
	/* then under the build lock, so that no build switches the index meanwhile */
	if ((st = ps_writer_begin(u->db_dir, &u->writer, error)) != PS_OK ||
	    (st = ps_store_open_to_update(u->db_dir, &u->live, error)) != PS_OK)
		return st;
	if (ps_store_is_shard(u->live)) /* built with --shard: it stays one */
		ps_writer_embed(u->writer);
	/* every plan is written again: the progress counts them all */
	size_t n_live, bytes = 0;
	const ps_plan_t *live = ps_store_plans(u->live, &n_live);
	for (size_t k = 0; k < n_live; k++)
		bytes += live[k].bytes;
	if (u->progress_to != NULL)
		pi_progress_start(&u->progress, u->progress_to, n_live, bytes);
	return PS_OK;
}

/* Write a plan the live index holds into the new generation, parsed again from its stored
 * text. */
static ps_status_t keep_plan(update_t *u, const ps_plan_t *p, char **error)
{
	const char *text;
	size_t len;
	seg_document_t *doc = NULL;
	ps_status_t st = ps_store_plan_source(u->live, p, &text, &len, error);
	if (st != PS_OK)
		return st;
	if (seg_document_parse(text, len, p->body_start, p->body_end, &doc, error) != 0)
		return PS_ERR_NO_MEMORY; /* the parser fails only for want of memory */
	ps_plan_fields_t fields = {
		.city_id = p->city_id, .city = p->city, .province = p->province, .title = p->title,
		.file = p->file, .date = p->date, .title_supplied = p->title_supplied,
		.gb18030 = p->gb18030,
	};
	st = ps_writer_add_plan(u->writer, &fields, text, len, p->body_start, p->body_end, doc,
				error);
	seg_document_free(doc);
	if (st == PS_OK)
		pi_progress_plan(&u->progress, p->file, p->bytes);
	return st;
}

/* Close the live index and switch to the new generation. */
static ps_status_t update_finish(update_t *u, const char *corpus_dir, char **error)
{
	char *corpus = corpus_dir ? strdup(corpus_dir) : NULL;
	if (corpus_dir != NULL && corpus == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	ps_store_close(u->live); /* unpinned, so that the commit may delete it */
	u->live = NULL;
	pi_progress_stage(&u->progress, "writing the index");
	ps_status_t st = ps_writer_commit(u->writer, corpus, error);
	u->writer = NULL; /* committed or, on failure, deleted */
	pi_progress_end(&u->progress);
	free(corpus);
	return st;
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

ps_status_t pi_update_add(const char *corpus_dir, const char *db_dir, const char *file,
			  FILE *progress, pi_update_stats_t *stats, char **error)
{
	update_t u = {.db_dir = db_dir, .progress_to = progress};
	pi_manifest_t *manifest = NULL;
	pi_plan_t *plan = NULL;
	char *corpus_path = NULL;
	bool *written = NULL;
	size_t removed = 0, n_written = 0;
	ps_status_t rc = PS_ERR_FAILED;

	if ((rc = pi_manifest_load(corpus_dir, &manifest, error)) != PS_OK)
		goto out;
	rc = PS_ERR_FAILED;
	const pi_plan_info_t *info = find_entry(corpus_dir, manifest, file);
	if (info == NULL) {
		strbuf_printf_new(error, "%s is not listed in %s/manifest.json; add an entry for "
				  "it there first (README: The corpus and its manifest)", file,
				  corpus_dir);
		rc = PS_ERR_INVALID;
		goto out;
	}
	/* Read and parse the plan before touching the index: a bad file costs nothing. */
	if ((rc = pi_plan_load(corpus_dir, info, &plan, error)) != PS_OK ||
	    (rc = update_begin(&u, error)) != PS_OK)
		goto out;
	rc = PS_ERR_NO_MEMORY;
	size_t n_live;
	const ps_plan_t *live = ps_store_plans(u.live, &n_live);
	if ((written = calloc(n_live ? n_live : 1, sizeof *written)) == NULL)
		goto out;
	bool is_new = true; /* a plan the index does not hold yet adds to the progress's job */
	for (size_t k = 0; k < n_live; k++)
		is_new &= strcmp(live[k].city_id, info->city_id) != 0;
	if (is_new) {
		u.progress.plans++;
		u.progress.bytes += plan->len;
	}
	/* the manifest's order, as a full build gives it, then the plans the index holds that
	 * the manifest no longer lists, in their old order */
	for (size_t i = 0; i < manifest->n_plans; i++) {
		const char *id = manifest->plans[i].city_id;
		bool added = strcmp(id, info->city_id) == 0, done = false;
		for (size_t k = 0; k < n_live; k++) {
			if (written[k] || strcmp(live[k].city_id, id) != 0)
				continue;
			written[k] = true;
			if (added) {
				removed += live[k].passages;
			} else if (!done) {
				if ((rc = keep_plan(&u, &live[k], error)) != PS_OK)
					goto out;
				done = true;
				n_written++;
			}
		}
		if (added) {
			if ((rc = pi_build_add_plan(u.writer, plan, error)) != PS_OK)
				goto out;
			pi_progress_plan(&u.progress, info->file, plan->len);
			n_written++;
		}
		if (n_written == 1 && (added || done))
			ps_generation_test_stop("indexing");
	}
	for (size_t k = 0; k < n_live; k++)
		if (!written[k]) {
			if ((rc = keep_plan(&u, &live[k], error)) != PS_OK)
				goto out;
			n_written++;
		}
	corpus_path = realpath(corpus_dir, NULL);
	if ((rc = update_finish(&u, corpus_path, error)) != PS_OK)
		goto out;
	if (stats != NULL) {
		snprintf(stats->city_id, sizeof stats->city_id, "%s", info->city_id);
		stats->removed = removed;
		stats->added = plan->doc->n_clauses;
		stats->plans = n_written;
	}
	rc = PS_OK;
out:
	if (rc != PS_OK && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	update_free(&u);
	free(written);
	free(corpus_path);
	pi_plan_free(plan);
	pi_manifest_free(manifest);
	return rc;
}

ps_status_t pi_update_remove(const char *db_dir, const char *city_id, FILE *progress,
			     pi_update_stats_t *stats, char **error)
{
	update_t u = {.db_dir = db_dir, .progress_to = progress};
	strbuf_t known = STRBUF_INIT, which = STRBUF_INIT;
	size_t removed = 0, n_written = 0;
	bool found = false;
	ps_status_t rc = PS_ERR_NO_MEMORY;

	if ((rc = update_begin(&u, error)) != PS_OK)
		goto out;
	rc = PS_ERR_NO_MEMORY;
	size_t n_live, named = 0;
	const ps_plan_t *live = ps_store_plans(u.live, &n_live);
	/* the plan's id; else the city's name, with or without 市 (ps_plan_is_city), when it
	 * names one plan only */
	const char *name = city_id;
	if (ps_store_plan_by_id(u.live, name) == NULL)
		for (size_t k = 0; k < n_live; k++)
			if (ps_plan_is_city(&live[k], name) && named++ == 0)
				city_id = live[k].city_id;
	for (size_t k = 0; k < n_live; k++) {
		if (strbuf_printf(&known, "%s%s (%s)", k ? ", " : "", live[k].city_id,
				  live[k].city) != 0)
			goto out;
		if (named > 1 && ps_plan_is_city(&live[k], name) &&
		    strbuf_printf(&which, "%s%s", which.len ? ", " : "", live[k].city_id) != 0)
			goto out;
		if (strcmp(live[k].city_id, city_id) == 0) {
			found = true;
			removed += live[k].passages;
		}
	}
	/* the live index is let go when the update is finished: the id is kept apart */
	char id[sizeof stats->city_id];
	snprintf(id, sizeof id, "%s", city_id);
	if (named > 1) {
		strbuf_printf_new(error, "'%s' names %zu plans of the index at %s (%s); --remove "
				  "takes one: name it by its id", name, named, db_dir, which.data);
		rc = PS_ERR_INVALID;
		goto out;
	}
	if (!found) {
		strbuf_printf_new(error, "the index at %s has no plan '%s'; it has: %s", db_dir,
				  name, known.data ? known.data : "none");
		rc = PS_ERR_INVALID;
		goto out;
	}
	for (size_t k = 0; k < n_live; k++) {
		if (strcmp(live[k].city_id, city_id) == 0)
			continue;
		if ((rc = keep_plan(&u, &live[k], error)) != PS_OK)
			goto out;
		if (++n_written == 1)
			ps_generation_test_stop("indexing");
	}
	if ((rc = update_finish(&u, ps_store_corpus_dir(u.live), error)) != PS_OK)
		goto out;
	if (stats != NULL) {
		snprintf(stats->city_id, sizeof stats->city_id, "%s", id);
		stats->removed = removed;
		stats->added = 0;
		stats->plans = n_written;
	}
	rc = PS_OK;
out:
	if (rc != PS_OK && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	update_free(&u);
	strbuf_free(&known);
	strbuf_free(&which);
	return rc;
}
