/* build.c: plans → clauses → Xapian documents (terms, filters, stored data) → a new generation. */
#include "build.h"

#include "buildplan.h"
#include "install.h"
#include "manifest.h"
#include "normalize.h"
#include "plan.h"
#include "planmeta.h"
#include "schema.h"
#include "strbuf.h"
#include "terms.h"
#include "xapwrap.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Xapian keeps the postings of uncommitted documents in memory; committing the new (not yet
 * live) generation after this many bounds the build's memory by this, not by the corpus. */
#define PI_FLUSH_POSTINGS 1000000

typedef struct builder {
	xw_writer_t *writer;
	seg_words_t *words;
	char **error;
	size_t postings; /* added since the last commit */
} builder_t;

typedef struct posting_ctx {
	xw_doc_t *doc;
	size_t *count;
} posting_ctx_t;

static int add_posting(void *ctx, const char *term, size_t len, unsigned pos)
{
	posting_ctx_t *p = ctx;
	(*p->count)++;
	return xw_doc_add_posting(p->doc, term, len, pos) == XW_OK ? 0 : -1;
}

static int add_count(void *ctx, const char *term, size_t len, unsigned pos)
{
	(void)pos;
	return xw_doc_add_term(ctx, term, len, 1) == XW_OK ? 0 : -1;
}

/* JSON strings with non-ASCII kept as UTF-8 and "/" unescaped. */
static const char *to_json(json_object *obj)
{
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE);
}

static json_object *string_n(const char *s, size_t n)
{
	return json_object_new_string_len(s, (int)n);
}

static int add_boolean(xw_doc_t *doc, strbuf_t *term, const char *prefix, const char *fmt,
		       const char *a, const char *b)
{
	term->len = 0;
	if (strbuf_append_str(term, prefix) != 0 || strbuf_printf(term, fmt, a, b) != 0)
		return -1;
	return xw_doc_add_boolean_term(doc, term->data) == XW_OK ? 0 : -1;
}

static int index_clause(builder_t *b, const pi_plan_t *plan, const seg_clause_t *clause)
{
	const seg_document_t *sd = plan->doc;
	const seg_section_t *sec = &sd->sections[clause->section];
	const char *city = plan->info->city_id;
	seg_norm_t norm = {0};
	xw_doc_t *doc = NULL;
	json_object *data = NULL;
	strbuf_t term = STRBUF_INIT;
	char ref[300], id[400];
	int rc = -1;

	seg_clause_ref(sd, clause, ref, sizeof ref);
	snprintf(id, sizeof id, "%s/%s", city, ref);
	if (seg_normalize_in(plan->text, plan->len, clause->start, clause->end, false, &norm,
			     b->error) != 0)
		goto out;
	if (xw_doc_create(&doc) != XW_OK)
		goto oom;
	posting_ctx_t pctx = {doc, &b->postings};
	if (pi_terms_generate(b->words, norm.text, norm.len, PI_TERMS_POSITIONAL, add_posting,
			      &pctx, b->error) != 0 ||
	    pi_terms_generate(b->words, norm.text, norm.len, PI_TERMS_ALL & ~PI_TERMS_POSITIONAL,
			      add_count, doc, b->error) != 0) {
		strbuf_printf_new(b->error, "%s: cannot add the terms of %s", plan->info->file, id);
		goto out;
	}
	if (add_boolean(doc, &term, PI_PREFIX_ID, "%s%s", id, "") ||
	    add_boolean(doc, &term, PI_PREFIX_CITY, "%s%s", city, "") ||
	    add_boolean(doc, &term, PI_PREFIX_PLAN, "%s%s", city, ""))
		goto oom;
	for (int s = clause->section; s >= 0; s = sd->sections[s].parent)
		if (add_boolean(doc, &term, PI_PREFIX_SECTION, "%s/%s", city, sd->sections[s].path))
			goto oom;
	if (clause->paragraph >= 0) {
		char para[64];
		snprintf(para, sizeof para, "p%d", sd->paragraphs[clause->paragraph].ordinal);
		term.len = 0;
		if (strbuf_printf(&term, "%s%s/%s/%s", PI_PREFIX_PARAGRAPH, city, sec->path, para) ||
		    xw_doc_add_boolean_term(doc, term.data) != XW_OK)
			goto oom;
	}

	int chapter = clause->section; /* the top-level section holding the clause */
	while (chapter > 0 && sd->sections[chapter].parent > 0)
		chapter = sd->sections[chapter].parent;
	term.len = 0;
	const seg_section_t *top = &sd->sections[chapter];
	if (strbuf_printf(&term, "%s\t%d\t%s\t%s\t%s", city, chapter, top->path, top->label,
			  top->title) != 0 ||
	    xw_doc_add_value(doc, PI_SLOT_FACET, term.data, term.len) != XW_OK)
		goto oom;

	data = json_object_new_object();
	if (data == NULL)
		goto oom;
	json_object_object_add(data, "id", json_object_new_string(id));
	json_object_object_add(data, "plan", json_object_new_string(city));
	json_object_object_add(data, "start", json_object_new_int64((int64_t)clause->start));
	json_object_object_add(data, "end", json_object_new_int64((int64_t)clause->end));
	json_object_object_add(data, "line", json_object_new_int(clause->line));
	json_object_object_add(data, "s", json_object_new_int(clause->section));
	json_object_object_add(data, "p", json_object_new_int(clause->paragraph));
	json_object_object_add(data, "norm", string_n(norm.text, norm.len));
	const char *json = to_json(data);
	if (json == NULL || xw_doc_set_data(doc, json, strlen(json)) != XW_OK)
		goto oom;
	if (xw_writer_add_document(b->writer, doc) != XW_OK) {
		strbuf_printf_new(b->error, "cannot add %s to the index: %s", id,
				  xw_writer_last_error(b->writer));
		goto out;
	}
	if (b->postings >= PI_FLUSH_POSTINGS) {
		b->postings = 0;
		if (xw_writer_commit(b->writer) != XW_OK) {
			strbuf_printf_new(b->error, "cannot write the index: %s",
					  xw_writer_last_error(b->writer));
			goto out;
		}
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(b->error, "out of memory while indexing %s", id);
out:
	json_object_put(data);
	xw_doc_destroy(doc);
	strbuf_free(&term);
	seg_norm_clear(&norm);
	return rc;
}

static int index_plan(builder_t *b, const pi_plan_t *plan)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < plan->doc->n_clauses; i++)
		rc = index_clause(b, plan, &plan->doc->clauses[i]);
	return rc;
}

static int set_meta(builder_t *b, const char *prefix, const char *city_id, const char *value,
		    size_t len)
{
	strbuf_t key = STRBUF_INIT;
	int rc = -1;
	if (strbuf_printf(&key, "%s%s", prefix, city_id) == 0 &&
	    xw_writer_set_metadata(b->writer, key.data, value, len) == XW_OK)
		rc = 0;
	else
		strbuf_printf_new(b->error, "cannot store %s in the index: %s", key.data,
				  xw_writer_last_error(b->writer));
	strbuf_free(&key);
	return rc;
}

/* The plan's summary goes in the plan list; its bytes and outline in metadata of their own. */
static int store_plan(builder_t *b, const pi_plan_t *plan, json_object *plans_meta)
{
	json_object *summary = pi_plan_summary(plan), *outline = pi_plan_outline(plan);
	const char *outline_json = outline ? to_json(outline) : NULL;
	int rc = -1;

	if (summary == NULL || outline_json == NULL ||
	    json_object_array_add(plans_meta, summary) != 0) {
		json_object_put(summary);
		strbuf_printf_new(b->error, "out of memory while indexing %s", plan->info->file);
		goto out;
	}
	const char *id = plan->info->city_id;
	if (set_meta(b, PI_META_SOURCE_PREFIX, id, plan->text, plan->len) != 0 ||
	    set_meta(b, PI_META_OUTLINE_PREFIX, id, outline_json, strlen(outline_json)) != 0)
		goto out;
	rc = 0;
out:
	json_object_put(outline);
	return rc;
}

int pi_build_plan(xw_writer_t *writer, seg_words_t *words, const pi_plan_t *plan,
		  json_object **summary, char **error)
{
	builder_t b = {.writer = writer, .words = words, .error = error};
	json_object *one = json_object_new_array();
	int rc = -1;
	if (one == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (index_plan(&b, plan) != 0 || store_plan(&b, plan, one) != 0)
		goto out;
	*summary = json_object_get(json_object_array_get_idx(one, 0));
	rc = 0;
out:
	json_object_put(one);
	return rc;
}

const char *pi_build_json(json_object *obj)
{
	return to_json(obj);
}

static void progress(const pi_build_options_t *opt, size_t done, size_t total, const char *file)
{
	if (!opt->progress)
		return;
	fprintf(stderr, "\rindexing [%zu/%zu] %-40s", done, total, file ? file : "done");
	if (file == NULL)
		fputc('\n', stderr);
	fflush(stderr);
}

void pi_build_warn_plan(const pi_plan_t *plan, pi_warn_fn warn, void *warn_ctx)
{
	char msg[1200];
	if (warn == NULL)
		return;
	for (size_t i = 0; i < plan->doc->n_warnings; i++) {
		snprintf(msg, sizeof msg, "%.300s line %d: %.800s", plan->info->file,
			 plan->doc->warnings[i].line, plan->doc->warnings[i].message);
		warn(warn_ctx, msg);
	}
	if (plan->doc->n_sections > 1)
		return;
	snprintf(msg, sizeof msg, "%.300s: no headings found in body_lines [%ld, %ld]: indexed as "
		 "one section (path 0)", plan->info->file, plan->info->body_first,
		 plan->info->body_last);
	warn(warn_ctx, msg);
}

pi_status_t pi_build(const pi_build_options_t *opt, pi_build_stats_t *stats, char **error)
{
	builder_t b = {.error = error};
	pi_manifest_t *manifest = NULL;
	pi_install_t *install = NULL;
	json_object *plans_meta = NULL;
	size_t passages = 0;
	char *corpus_path = NULL;
	pi_status_t rc = PI_ERR_FAILED;

	if ((rc = pi_manifest_load(opt->corpus_dir, &manifest, error)) != PI_OK ||
	    (rc = pi_corpus_check(opt->corpus_dir, manifest, opt->warn, opt->warn_ctx, error)) !=
		    PI_OK)
		goto out;
	rc = PI_ERR_FAILED;
	if (pi_install_begin(opt->db_dir, &install, error) != 0)
		goto out;
	const char *generation = pi_install_path(install);
	if (setenv("XAPIAN_FLUSH_THRESHOLD", PI_FLUSH_DOCS, 0) != 0) /* read when Xapian opens */
		goto out;
	char *xerr = NULL;
	xw_status_t st = xw_writer_create(generation, &b.writer, &xerr);
	if (st != XW_OK) {
		strbuf_printf_new(error, "%s: cannot create the index: %s", generation,
				  xerr ? xerr : xw_status_to_string(st));
		free(xerr);
		goto out;
	}
	if (seg_words_open(&b.words, error) != 0)
		goto out;
	plans_meta = json_object_new_array();
	if (plans_meta == NULL)
		goto out;
	for (size_t i = 0; i < manifest->n_plans; i++) {
		pi_plan_t *plan = NULL;
		progress(opt, i + 1, manifest->n_plans, manifest->plans[i].file);
		rc = pi_plan_load(opt->corpus_dir, &manifest->plans[i], &plan, error);
		if (rc != PI_OK)
			goto out;
		rc = PI_ERR_FAILED;
		pi_build_warn_plan(plan, opt->warn, opt->warn_ctx);
		int prc = index_plan(&b, plan);
		if (prc == 0)
			prc = store_plan(&b, plan, plans_meta);
		size_t n = plan->doc->n_clauses;
		pi_plan_free(plan);
		if (prc != 0)
			goto out;
		passages += n;
		if (i == 0)
			pi_install_test_stop("indexing");
	}
	progress(opt, manifest->n_plans, manifest->n_plans, NULL);
	corpus_path = realpath(opt->corpus_dir, NULL);
	if (corpus_path != NULL &&
	    xw_writer_set_metadata(b.writer, PI_META_CORPUS, corpus_path, strlen(corpus_path)) !=
		    XW_OK) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", generation,
				  xw_writer_last_error(b.writer));
		goto out;
	}
	const char *meta = to_json(plans_meta);
	if (xw_writer_set_metadata(b.writer, PI_META_PLANS, meta, strlen(meta)) != XW_OK ||
	    xw_writer_set_metadata(b.writer, PI_META_SCHEMA, PI_SCHEMA_VERSION,
				   strlen(PI_SCHEMA_VERSION)) != XW_OK ||
	    xw_writer_commit(b.writer) != XW_OK) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", generation,
				  xw_writer_last_error(b.writer));
		goto out;
	}
	xw_writer_destroy(b.writer);
	b.writer = NULL;
	pi_install_test_stop("written");
	int crc = pi_install_commit(install, error);
	install = NULL; /* committed or, on failure, aborted */
	if (crc != 0)
		goto out;
	if (stats != NULL) {
		stats->plans = manifest->n_plans;
		stats->passages = passages;
	}
	rc = PI_OK;
out:
	if (rc != PI_OK && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	xw_writer_destroy(b.writer);
	seg_words_close(b.words);
	pi_install_abort(install);
	json_object_put(plans_meta);
	pi_manifest_free(manifest);
	free(corpus_path);
	return rc;
}
