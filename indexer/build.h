/* build.h: building a whole index from a corpus directory. */
#ifndef PI_BUILD_H
#define PI_BUILD_H

#include "corpus.h"
#include "plan.h"
#include "status.h"
#include "writer.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct pi_build_options {
	const char *corpus_dir; /* holds manifest.json and the plan files */
	const char *db_dir;     /* the index directory (generation.h) */
	bool progress;          /* draw a progress line on stderr */
	const char *only;       /* NULL, or the ids of the manifest's plans to index
				 * ("dandong,fuxin"): one shard of the corpus */
	bool shard;             /* keep the files in the database too (ps_writer_embed):
				 * for xapian-tcpsrv to serve */
	bool frequent_off;      /* keep no search answers for frequent grams */
	unsigned frequent_min, frequent_top; /* ps_writer_set_frequent's; 0: its defaults */
	pi_warn_fn warn;        /* told of what is indexed but looks wrong; may be NULL */
	void *warn_ctx;
} pi_build_options_t;

typedef struct pi_build_stats {
	size_t plans;
	size_t passages;
} pi_build_stats_t;

/* Index every plan of the manifest into a new generation of db_dir and switch to it.
 * Returns PS_OK (filling *stats if not NULL), or the status that says why it failed
 * (status.h) with a malloc'd message in *error; on failure the new generation is deleted
 * and the previous index stays live. Warnings (a plan with no headings, a file in the
 * corpus directory the manifest does not list) go to options->warn. */
ps_status_t pi_build(const pi_build_options_t *options, pi_build_stats_t *stats,
		     char **error);

/* Write a loaded plan into a new generation (writer.h), after the plans written before.
 * Returns as ps_writer_add_plan (the writer must be aborted after a failure). */
ps_status_t pi_build_add_plan(ps_writer_t *writer, const pi_plan_t *plan, char **error);

/* Warn (through warn, if not NULL) of what the plan's parser noticed about its numbering
 * (document.h: a skipped number, a style used once, numbering read as text), one warning a
 * line, and when the plan has no headings: it is indexed as one section, the root. Cannot
 * fail. */
void pi_build_warn_plan(const pi_plan_t *plan, pi_warn_fn warn, void *warn_ctx);

#endif
