/* build.h: building a whole index from a corpus directory. */
#ifndef PI_BUILD_H
#define PI_BUILD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pi_build_options {
	const char *corpus_dir; /* holds manifest.json and the plan files */
	const char *db_dir;     /* the index directory (install.h) */
	bool progress;          /* draw a progress line on stderr */
} pi_build_options_t;

typedef struct pi_build_stats {
	size_t plans;
	size_t passages;
} pi_build_stats_t;

/* Documents (clauses) Xapian holds in memory before it merges them into the database,
 * unless XAPIAN_FLUSH_THRESHOLD is set in the environment: this, not the corpus size,
 * bounds the build's memory. Xapian's own default is 10,000; a smaller batch keeps its
 * per-term maps of pending postings small, which was measured faster (bench/run). */
#define PI_FLUSH_DOCS "1000"

/* Index every plan of the manifest into a new generation of db_dir and switch to it.
 * Returns 0 (filling *stats if not NULL), or -1 with a malloc'd message in *error; on
 * failure the new generation is deleted and the previous index stays live. */
int pi_build(const pi_build_options_t *options, pi_build_stats_t *stats, char **error);

#endif
