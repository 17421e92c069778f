/* main.c: policy-index, the command that builds an index from a corpus directory. */
#include "build.h"
#include "manifest.h"
#include "plan.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Print each plan's heading tree: path, label, title, line. */
static int print_outline(const char *corpus_dir)
{
	pi_manifest_t *manifest = NULL;
	char *error = NULL;
	int rc = 0;
	if (pi_manifest_load(corpus_dir, &manifest, &error) != 0) {
		fprintf(stderr, "policy-index: %s\n", error);
		free(error);
		return 1;
	}
	for (size_t i = 0; i < manifest->n_plans && rc == 0; i++) {
		pi_plan_t *plan = NULL;
		if (pi_plan_load(corpus_dir, &manifest->plans[i], &plan, &error) != 0) {
			fprintf(stderr, "policy-index: %s\n", error);
			free(error);
			rc = 1;
			break;
		}
		printf("%s (%s)\n", manifest->plans[i].city_id, manifest->plans[i].file);
		for (size_t s = 1; s < plan->doc->n_sections; s++) {
			const seg_section_t *sec = &plan->doc->sections[s];
			printf("%*s%s%s%s  [%s, line %d]\n", sec->depth * 2, "", sec->label, *sec->title ? " " : "", sec->title,
			       sec->path, sec->line);
		}
		pi_plan_free(plan);
	}
	pi_manifest_free(manifest);
	return rc;
}

static void usage(FILE *out)
{
	fputs("Usage: policy-index [--corpus DIR] [--db DIR] [--quiet]\n"
	      "       policy-index --outline [--corpus DIR]\n"
	      "\n"
	      "Build a search index of the plans listed in DIR/manifest.json.\n"
	      "\n"
	      "  --corpus DIR  the corpus directory (default: corpus)\n"
	      "  --db DIR      the index directory (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --quiet       no progress line and no summary\n"
	      "  --outline     print each plan's heading tree (path, number, title, line)\n"
	      "                instead of building\n"
	      "  --help        this text\n"
	      "\n"
	      "The new index is built beside the old one and switched to in one rename: a\n"
	      "failed build leaves the previous index answering queries.\n"
	      "Exit status: 0 built, 1 the build failed, 2 bad usage.\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"corpus", required_argument, NULL, 'c'},
		{"db", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{"outline", no_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *env_db = getenv("POLICY_SEARCH_DB");
	pi_build_options_t opt = {
		.corpus_dir = "corpus",
		.db_dir = env_db && *env_db ? env_db : "index",
		.progress = isatty(STDERR_FILENO),
	};
	int quiet = 0, outline = 0, c;

	while ((c = getopt_long(argc, argv, "c:d:qoh", options, NULL)) != -1) {
		switch (c) {
		case 'c': opt.corpus_dir = optarg; break;
		case 'd': opt.db_dir = optarg; break;
		case 'q': quiet = 1; break;
		case 'o': outline = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "policy-index: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (outline)
		return print_outline(opt.corpus_dir);
	if (quiet)
		opt.progress = 0;

	pi_build_stats_t stats;
	char *error = NULL;
	if (pi_build(&opt, &stats, &error) != 0) {
		fprintf(stderr, "policy-index: %s\n", error ? error : "the build failed");
		free(error);
		return 1;
	}
	if (!quiet)
		printf("indexed %zu passages from %zu plans into %s\n", stats.passages, stats.plans,
		       opt.db_dir);
	return 0;
}
