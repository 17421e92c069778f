/* build.c: a corpus's plans, loaded and parsed one at a time, written into a new generation of the index. */
#include "build.h"

#include "generation.h"
#include "manifest.h"
#include "plan.h"
#include "progress.h"
#include "strbuf.h"
#include "tables.h"
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* The bytes of the manifest's files (those that cannot be read count as none: loading them
 * says why). */
static size_t corpus_bytes(const char *corpus_dir, const pi_manifest_t *manifest)
{
	size_t total = 0;
	for (size_t i = 0; i < manifest->n_plans; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", corpus_dir, manifest->plans[i].file);
		if (stat(path, &st) == 0 && st.st_size > 0)
			total += (size_t)st.st_size;
	}
	return total;
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
	const seg_tables_t *tables = plan->doc->tables;
	for (size_t i = 0; tables != NULL && i < tables->n_warnings; i++) {
		snprintf(msg, sizeof msg, "%.300s line %d: %.800s", plan->info->file,
			 tables->warnings[i].line, tables->warnings[i].message);
		warn(warn_ctx, msg);
	}
	if (plan->doc->n_sections > 1)
		return;
	snprintf(msg, sizeof msg, "%.300s: no headings found in body_lines [%ld, %ld]: indexed as "
		 "one section (path 0)", plan->info->file, plan->info->body_first,
		 plan->info->body_last);
	warn(warn_ctx, msg);
}

ps_status_t pi_build_add_plan(ps_writer_t *writer, const pi_plan_t *plan, char **error)
{
	const pi_plan_info_t *info = plan->info;
	ps_plan_fields_t fields = {
		.city_id = info->city_id, .city = info->city, .province = info->province,
		.title = info->title, .file = info->file, .date = info->date,
		.title_supplied = info->title_supplied,
		.gb18030 = info->encoding == PI_ENCODING_GB18030,
	};
	return ps_writer_add_plan(writer, &fields, plan->text, plan->len, plan->body_start,
				  plan->body_end, plan->doc, error);
}

ps_status_t pi_build(const pi_build_options_t *opt, pi_build_stats_t *stats, char **error)
{
	pi_manifest_t *manifest = NULL;
	ps_writer_t *writer = NULL;
	char *corpus_path = NULL;
	pi_progress_t progress = {0};
	ps_status_t rc;

	if ((rc = pi_manifest_load(opt->corpus_dir, &manifest, error)) != PS_OK ||
	    (rc = pi_corpus_check(opt->corpus_dir, manifest, opt->warn, opt->warn_ctx, error)) !=
		    PS_OK ||
	    (opt->only != NULL && (rc = pi_manifest_keep(manifest, opt->only, error)) != PS_OK))
		goto out;
	if ((rc = ps_writer_begin(opt->db_dir, &writer, error)) != PS_OK)
		goto out;
	if (opt->shard)
		ps_writer_embed(writer);
	ps_writer_set_frequent(writer, !opt->frequent_off, opt->frequent_min, opt->frequent_top);
	if (opt->progress)
		pi_progress_start(&progress, stderr, manifest->n_plans,
				  corpus_bytes(opt->corpus_dir, manifest));
	for (size_t i = 0; i < manifest->n_plans; i++) {
		pi_plan_t *plan = NULL;
		rc = pi_plan_load(opt->corpus_dir, &manifest->plans[i], &plan, error);
		if (rc != PS_OK)
			goto out;
		pi_build_warn_plan(plan, opt->warn, opt->warn_ctx);
		rc = pi_build_add_plan(writer, plan, error);
		size_t bytes = plan->len;
		pi_plan_free(plan); /* one plan in memory at a time */
		if (rc != PS_OK)
			goto out;
		pi_progress_plan(&progress, manifest->plans[i].file, bytes);
		if (i == 0)
			ps_generation_test_stop("indexing");
	}
	pi_progress_stage(&progress, "writing the index");
	corpus_path = realpath(opt->corpus_dir, NULL);
	size_t passages = ps_writer_passages(writer);
	rc = ps_writer_commit(writer, corpus_path, error);
	writer = NULL; /* committed or, on failure, deleted */
	pi_progress_end(&progress);
	if (rc != PS_OK)
		goto out;
	if (stats != NULL) {
		stats->plans = manifest->n_plans;
		stats->passages = passages;
	}
	rc = PS_OK;
out:
	pi_progress_end(&progress); /* a failure's message starts on a line of its own */
	if (rc != PS_OK && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	ps_writer_abort(writer);
	pi_manifest_free(manifest);
	free(corpus_path);
	return rc;
}
