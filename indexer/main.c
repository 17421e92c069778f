/* main.c: policy-index, the command that builds an index from a corpus directory. */
#include "build.h"
#include "check.h"
#include "manifest.h"
#include "plan.h"
#include "update.h"

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

/* --check: 0 current, 1 stale, 2 cannot check. */
static int run_check(const pi_build_options_t *opt)
{
	char *error = NULL;
	pi_check_result_t r = pi_check(opt->corpus_dir, opt->db_dir, stdout, &error);
	if (r == PI_CHECK_ERROR) {
		fprintf(stderr, "policy-index: %s\n", error ? error : "out of memory");
		free(error);
		return 2;
	}
	return r == PI_CHECK_CURRENT ? 0 : 1;
}

/* --add FILE or --remove ID. */
static int run_update(const pi_build_options_t *opt, const char *add, const char *remove,
		      int quiet)
{
	pi_update_stats_t stats;
	char *error = NULL;
	int rc = add ? pi_update_add(opt->corpus_dir, opt->db_dir, add, &stats, &error)
		     : pi_update_remove(opt->db_dir, remove, &stats, &error);
	if (rc != 0) {
		fprintf(stderr, "policy-index: %s\n", error ? error : "the update failed");
		free(error);
		return 1;
	}
	if (!quiet && add)
		printf("indexed %zu passages of %s (replacing %zu); %s now holds %zu plans\n",
		       stats.added, stats.city_id, stats.removed, opt->db_dir, stats.plans);
	else if (!quiet)
		printf("removed %zu passages of %s; %s now holds %zu plans\n", stats.removed,
		       stats.city_id, opt->db_dir, stats.plans);
	return 0;
}

static void usage(FILE *out)
{
	fputs("Usage: policy-index [--corpus DIR] [--db DIR] [--quiet]\n"
	      "       policy-index --outline [--corpus DIR]\n"
	      "       policy-index --check [--corpus DIR] [--db DIR]\n"
	      "       policy-index --add FILE [--corpus DIR] [--db DIR] [--quiet]\n"
	      "       policy-index --remove ID [--db DIR] [--quiet]\n"
	      "\n"
	      "Build a search index of the plans listed in DIR/manifest.json.\n"
	      "\n"
	      "  --corpus DIR  the corpus directory (default: corpus)\n"
	      "  --db DIR      the index directory (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --quiet       no progress line and no summary\n"
	      "  --outline     print each plan's heading tree (path, number, title, line)\n"
	      "                instead of building\n"
	      "  --check       compare the index with the corpus: say which plans are stale\n"
	      "                and the command that updates each\n"
	      "  --add FILE    index or re-index one plan (a file the manifest lists),\n"
	      "                leaving the others as they are\n"
	      "  --remove ID   drop one plan (its city_id) from the index\n"
	      "  --help        this text\n"
	      "\n"
	      "The new index is built beside the old one and switched to in one rename: a\n"
	      "failed or killed build leaves the previous index answering queries. A second\n"
	      "build of the same index while one runs is refused, not queued.\n"
	      "Exit status: 0 built (--check: the index is current), 1 the build failed\n"
	      "(--check: the index is stale), 2 bad usage (--check: it cannot be checked).\n",
	      out);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"corpus", required_argument, NULL, 'c'},
		{"db", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{"outline", no_argument, NULL, 'o'},
		{"check", no_argument, NULL, 'k'},
		{"add", required_argument, NULL, 'a'},
		{"remove", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *env_db = getenv("POLICY_SEARCH_DB");
	pi_build_options_t opt = {
		.corpus_dir = "corpus",
		.db_dir = env_db && *env_db ? env_db : "index",
		.progress = isatty(STDERR_FILENO),
	};
	int quiet = 0, outline = 0, check = 0, c;
	const char *add = NULL, *remove = NULL;

	while ((c = getopt_long(argc, argv, "c:d:qoka:r:h", options, NULL)) != -1) {
		switch (c) {
		case 'c': opt.corpus_dir = optarg; break;
		case 'd': opt.db_dir = optarg; break;
		case 'q': quiet = 1; break;
		case 'o': outline = 1; break;
		case 'k': check = 1; break;
		case 'a': add = optarg; break;
		case 'r': remove = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "policy-index: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (outline + check + (add != NULL) + (remove != NULL) > 1) {
		fprintf(stderr, "policy-index: --outline, --check, --add and --remove are "
			"separate tasks; give one\n");
		return 2;
	}
	if (outline)
		return print_outline(opt.corpus_dir);
	if (quiet)
		opt.progress = 0;
	if (check)
		return run_check(&opt);
	if (add != NULL || remove != NULL)
		return run_update(&opt, add, remove, quiet);

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
