/* main.c: policy-index, the command that builds an index from a corpus directory. */
#include "build.h"
#include "check.h"
#include "escape.h"
#include "file.h"
#include "manifest.h"
#include "options.h"
#include "plan.h"
#include "status.h"
#include "strbuf.h"
#include "store.h"
#include "update.h"
#include "version.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The s of "1 plan", "2 plans". */
#define PLURAL(n) ((n) == 1 ? "" : "s")

/* Exit statuses, one per status.h status; --help prints this table. 2 is bad usage. */
static const struct {
	ps_status_t status;
	int exit;
	const char *meaning;
} exits[] = {
	{PS_OK, 0, "built"},
	{PS_ERR_FAILED, 1, "the build failed (the index cannot be written, another build"},
	{PS_ERR_FAILED, 1, "is running, out of memory)"},
	{PS_STATUS_COUNT, 2, "bad usage"},
	{PS_ERR_MANIFEST, 3, "manifest.json is missing, malformed or has a wrong value"},
	{PS_ERR_MISSING_FILE, 4, "a plan file the manifest lists is missing or unreadable,"},
	{PS_ERR_MISSING_FILE, 4, "or leads outside the corpus directory (a symbolic link)"},
	{PS_ERR_INVALID_TEXT, 5, "invalid UTF-8 (or invalid GB18030 where the manifest says so)"},
	{PS_ERR_ENCODING, 6, "GB18030/GBK or UTF-16 text the manifest does not declare"},
	{PS_ERR_BINARY, 7, "a binary file (NUL or control bytes, PDF, Word)"},
	{PS_ERR_EMPTY, 8, "an empty plan file, or body_lines with no text"},
	{PS_ERR_BODY_LINES, 9, "body_lines go past the end of the file"},
};

static int exit_status(ps_status_t status)
{
	for (size_t i = 0; i < sizeof exits / sizeof exits[0]; i++)
		if (exits[i].status == status)
			return exits[i].exit;
	return 1;
}

/* ctx: NULL, or a bool saying whether a progress line is drawn on stderr (then the warning
 * clears it first; the next plan draws it again below the warning). */
static void warn_stderr(void *ctx, const char *message)
{
	const bool *progress = ctx;
	fprintf(stderr, "%spolicy-index: warning: %s\n", progress && *progress ? "\r\033[K" : "",
		message);
}

/* The marker a list item starts with, "（三）", into buf. */
static void item_marker(const char *text, const seg_paragraph_t *para, char *buf, size_t size)
{
	seg_heading_t h;
	buf[0] = '\0';
	if (seg_heading_parse(text + para->start, para->end - para->start, &h))
		snprintf(buf, size, "%.*s", (int)(h.label_end - h.label_start),
			 text + para->start + h.label_start);
}

/* Each run of list items directly in section s, one line each: "· items （一）–（五），
 * lines 12–16". */
static void print_items(const pi_plan_t *plan, int s, int indent)
{
	const seg_document_t *doc = plan->doc;
	for (size_t i = 0; i < doc->n_paragraphs; i++) {
		const seg_paragraph_t *first = &doc->paragraphs[i];
		if (first->section != s || first->item_level == 0)
			continue;
		size_t j = i;
		while (j + 1 < doc->n_paragraphs && doc->paragraphs[j + 1].section == s &&
		       doc->paragraphs[j + 1].item_level >= first->item_level)
			j++;
		char a[64], b[64];
		item_marker(plan->text, first, a, sizeof a);
		item_marker(plan->text, &doc->paragraphs[j], b, sizeof b);
		printf("%*s· list items %s%s%s, lines %d–%d\n", indent, "", a, j > i ? "–" : "",
		       j > i ? b : "", first->line, doc->paragraphs[j].end_line);
		i = j;
	}
}

/* Print each plan's heading tree: path, label, title, line; list items and a table of
 * contents as what they were read as. Returns an exit status. */
static int print_outline(const char *corpus_dir)
{
	pi_manifest_t *manifest = NULL;
	char *error = NULL;
	ps_status_t st;
	int rc = 0;
	if ((st = pi_manifest_load(corpus_dir, &manifest, &error)) != PS_OK) {
		fprintf(stderr, "policy-index: %s\n", ps_error_message(error, PS_ERR_FAILED));
		free(error);
		return exit_status(st);
	}
	for (size_t i = 0; i < manifest->n_plans && rc == 0; i++) {
		pi_plan_t *plan = NULL;
		if ((st = pi_plan_load(corpus_dir, &manifest->plans[i], &plan, &error)) != PS_OK) {
			fprintf(stderr, "policy-index: %s\n", ps_error_message(error, PS_ERR_FAILED));
			free(error);
			rc = exit_status(st);
			break;
		}
		const seg_document_t *doc = plan->doc;
		pi_build_warn_plan(plan, warn_stderr, NULL);
		printf("%s (%s)\n", manifest->plans[i].city_id, manifest->plans[i].file);
		if (doc->toc_first_line > 0)
			printf("  · table of contents, lines %d–%d: read as text\n",
			       doc->toc_first_line, doc->toc_last_line);
		print_items(plan, 0, 2);
		strbuf_t line = STRBUF_INIT;
		for (size_t s = 1; s < doc->n_sections; s++) {
			const seg_section_t *sec = &doc->sections[s];
			line.len = 0;
			strbuf_printf(&line, "%*s%s%s%s  [%s, line %d]\n", sec->depth * 2, "",
				      sec->label, *sec->title ? " " : "", sec->title, sec->path,
				      sec->line);
			/* a heading's control characters are shown, not obeyed (escape.h) */
			util_fputs_escaped(stdout, line.data ? line.data : "");
			print_items(plan, (int)s, sec->depth * 2 + 2);
		}
		strbuf_free(&line);
		pi_plan_free(plan);
	}
	pi_manifest_free(manifest);
	return rc;
}

/* --check: 0 current, 1 stale, 2 cannot check. */
static int run_check(const pi_build_options_t *opt)
{
	char *error = NULL;
	bool current = false;
	ps_status_t st = pi_check(opt->corpus_dir, opt->db_dir, stdout, &current, &error);
	if (st != PS_OK) {
		fprintf(stderr, "policy-index: %s\n", ps_error_message(error, st));
		free(error);
		return 2;
	}
	return current ? 0 : 1;
}

/* --add FILE or --remove ID. */
static int run_update(const pi_build_options_t *opt, const char *add, const char *remove,
		      int quiet)
{
	pi_update_stats_t stats;
	char *error = NULL;
	FILE *progress = opt->progress ? stderr : NULL;
	ps_status_t st = add ? pi_update_add(opt->corpus_dir, opt->db_dir, add, progress, &stats,
					     &error)
			     : pi_update_remove(opt->db_dir, remove, progress, &stats, &error);
	if (st != PS_OK) {
		fprintf(stderr, "policy-index: %s\n", ps_error_message(error, st));
		free(error);
		return 1;
	}
	if (!quiet && add)
		printf("indexed %zu passage%s of %s (replacing %zu); %s now holds %zu plan%s\n",
		       stats.added, PLURAL(stats.added), stats.city_id, stats.removed, opt->db_dir,
		       stats.plans, PLURAL(stats.plans));
	else if (!quiet)
		printf("removed %zu passage%s of %s; %s now holds %zu plan%s\n", stats.removed,
		       PLURAL(stats.removed), stats.city_id, opt->db_dir, stats.plans,
		       PLURAL(stats.plans));
	return 0;
}

enum { OPT_CORPUS, OPT_DB, OPT_QUIET, OPT_OUTLINE, OPT_CHECK, OPT_ADD, OPT_REMOVE, OPT_HELP,
       OPT_VERSION, OPT_ONLY, OPT_SHARD, OPT_SHARDS, OPT_FREQUENT, OPT_FREQUENT_TOP };

static const util_option_t options[] = {
	{"corpus", 'c', "DIR", "a directory", "the corpus directory (default: corpus)", OPT_CORPUS},
	{"db", 'd', "DIR", "a directory",
	 "the index directory (default: $POLICY_SEARCH_DB, else index)", OPT_DB},
	{"quiet", 'q', NULL, NULL, "no progress line and no summary", OPT_QUIET},
	{"outline", 'o', NULL, NULL,
	 "print each plan's heading tree (path, number, title, line)\ninstead of building",
	 OPT_OUTLINE},
	{"check", 'k', NULL, NULL,
	 "compare the index with the corpus: say which plans are stale\n"
	 "and the command that updates each",
	 OPT_CHECK},
	{"add", 'a', "FILE", "a plan file",
	 "index or re-index one plan (a file the manifest lists),\n"
	 "leaving the others as they are",
	 OPT_ADD},
	{"remove", 'r', "PLAN", "a plan's id or city",
	 "drop one plan from the index: its id (dandong) or its\n"
	 "city (丹东市 or 丹东) when the city has one plan",
	 OPT_REMOVE},
	{"only", 0, "IDS", "plan ids",
	 "index only these plans of the manifest (dandong,fuxin): one\n"
	 "shard of a corpus too big for one machine (implies --shard)",
	 OPT_ONLY},
	{"shard", 0, NULL, NULL,
	 "build a shard: keep the whole index inside its Xapian database,\n"
	 "so that xapian-tcpsrv can serve it (README: Scaling out)",
	 OPT_SHARD},
	{"shards", 0, "FILE", "a stub file",
	 "with --check: check every shard a stub file names against the\n"
	 "corpus (the same as --db FILE)",
	 OPT_SHARDS},
	{"frequent", 0, "N", "a whole number",
	 "keep a search's answers for each character and bigram in at\n"
	 "least N clauses (default: 16384, or 1/128 of the clauses if\n"
	 "more), so a search for one alone reads no posting list, and\n"
	 "the clauses of each 3- and 4-character n-gram made of such\n"
	 "bigrams (default: 4096, or 1/128), so a search for it checks\n"
	 "no text; 0: none",
	 OPT_FREQUENT},
	{"frequent-top", 0, "K", "a whole number from 1",
	 "with them, the best K clauses of each: pages that deep are\n"
	 "answered from them (default 256)",
	 OPT_FREQUENT_TOP},
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{"version", 0, NULL, NULL, "the version, and the index schema it writes", OPT_VERSION},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static const util_command_t command = {
	.program = "policy-index",
	.usage = "Usage: policy-index [--corpus DIR] [--db DIR] [--quiet] [--frequent N]\n"
		 "                    [--frequent-top K]\n"
		 "       policy-index --outline [--corpus DIR]\n"
		 "       policy-index --check [--corpus DIR] [--db DIR | --shards FILE]\n"
		 "       policy-index --only IDS --shard [--corpus DIR] [--db DIR]\n"
		 "       policy-index --add FILE [--corpus DIR] [--db DIR] [--quiet]\n"
		 "       policy-index --remove PLAN [--db DIR] [--quiet]\n"
		 "\n"
		 "Build a search index of the plans listed in DIR/manifest.json.\n"
		 "\n",
	.options = options,
	.unknown_hint = "(policy-index --help lists them)",
};

/* The text after the options in --help: how builds replace an index, the exit statuses. */
static void usage_footer(FILE *out)
{
	fputs("\n"
	      "The new index is built beside the old one and switched to in one rename: a\n"
	      "failed or killed build leaves the previous index answering queries. A second\n"
	      "build of the same index while one runs is refused, not queued.\n"
	      "\n"
	      "Exit status (the message names the file, and the line and byte where they apply):\n",
	      out);
	for (size_t i = 0; i < sizeof exits / sizeof exits[0]; i++) {
		bool more = i > 0 && exits[i].exit == exits[i - 1].exit;
		if (more)
			fprintf(out, "     %s\n", exits[i].meaning);
		else
			fprintf(out, "  %d  %s\n", exits[i].exit, exits[i].meaning);
	}
	fputs("With --check: 0 the index is current, 1 it is stale, 2 it cannot be checked.\n"
	      "\nA plan with no headings, and a file in the corpus directory that the manifest\n"
	      "does not list, are warnings: the build goes on.\n",
	      out);
}

static void usage(FILE *out)
{
	util_options_help(out, &command);
	usage_footer(out);
}

typedef struct args {
	pi_build_options_t *opt;
	int quiet, outline, check, help, version;
	const char *add, *remove, *shards;
} args_t;

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	switch (o->id) {
	case OPT_CORPUS: a->opt->corpus_dir = v; return 0;
	case OPT_DB: a->opt->db_dir = v; return 0;
	case OPT_QUIET: a->quiet = 1; return 0;
	case OPT_OUTLINE: a->outline = 1; return 0;
	case OPT_CHECK: a->check = 1; return 0;
	case OPT_ADD: a->add = v; return 0;
	case OPT_REMOVE: a->remove = v; return 0;
	case OPT_HELP: a->help = 1; return 0;
	case OPT_VERSION: a->version = 1; return 0;
	case OPT_ONLY: /* a part of a corpus is a shard: built to be served */
		a->opt->only = v;
		a->opt->shard = true;
		return 0;
	case OPT_SHARD: a->opt->shard = true; return 0;
	case OPT_SHARDS: a->shards = v; return 0;
	case OPT_FREQUENT:
	case OPT_FREQUENT_TOP: {
		char *end = NULL;
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 || n > UINT32_MAX ||
		    (o->id == OPT_FREQUENT_TOP && n == 0))
			return -1; /* the parser says what it takes */
		if (o->id == OPT_FREQUENT_TOP) {
			a->opt->frequent_top = (unsigned)n;
		} else { /* the last --frequent given counts, 0 or not */
			a->opt->frequent_off = n == 0;
			a->opt->frequent_min = (unsigned)n;
		}
		return 0;
	}
	}
	return 0;
}

static int run(int argc, char **argv)
{
	const char *env_db = getenv("POLICY_SEARCH_DB");
	pi_build_options_t opt = {
		.corpus_dir = "corpus",
		.db_dir = env_db && *env_db ? env_db : "index",
		.progress = isatty(STDERR_FILENO),
		.warn = warn_stderr,
	};
	opt.warn_ctx = &opt.progress;
	args_t a = {.opt = &opt};
	const char **rest = calloc((size_t)argc + 1, sizeof *rest);
	size_t n_rest = 0;
	if (rest == NULL) {
		fputs("policy-index: out of memory\n", stderr);
		return 1;
	}
	int parsed = util_options_parse(&command, argc, argv, take, &a, rest, &n_rest);
	const char *stray = n_rest > 0 ? rest[0] : NULL;
	free(rest);
	if (parsed != 0) {
		fputs("policy-index: policy-index --help describes the options\n", stderr);
		return 2;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (a.version) {
		printf("policy-index %s (index schema %s)\n", PS_VERSION, ps_store_schema());
		return 0;
	}
	if (stray != NULL) {
		fprintf(stderr, "policy-index: unexpected argument '%s'\n", stray);
		usage(stderr);
		return 2;
	}
	int quiet = a.quiet, outline = a.outline, check = a.check;
	const char *add = a.add, *remove = a.remove;
	if (outline + check + (add != NULL) + (remove != NULL) > 1) {
		fprintf(stderr, "policy-index: --outline, --check, --add and --remove are "
			"separate tasks; give one\n");
		return 2;
	}
	if (outline)
		return print_outline(opt.corpus_dir);
	if (a.shards != NULL && !check) {
		fprintf(stderr, "policy-index: --shards is for --check; build each shard with "
			"--db DIR --only IDS --shard\n");
		return 2;
	}
	if (a.shards != NULL)
		opt.db_dir = a.shards;
	if ((opt.only != NULL || opt.shard) && (check || add != NULL || remove != NULL)) {
		fprintf(stderr, "policy-index: --only and --shard are for a build; --add and "
			"--remove keep a shard one\n");
		return 2;
	}
	if (quiet)
		opt.progress = 0;
	if (check)
		return run_check(&opt);
	if (add != NULL || remove != NULL)
		return run_update(&opt, add, remove, quiet);

	pi_build_stats_t stats;
	char *error = NULL;
	ps_status_t st = pi_build(&opt, &stats, &error);
	if (st != PS_OK) {
		fprintf(stderr, "policy-index: %s\n", ps_error_message(error, st));
		free(error);
		return exit_status(st);
	}
	if (!quiet)
		printf("indexed %zu passage%s from %zu plan%s into %s\n", stats.passages,
		       PLURAL(stats.passages), stats.plans, PLURAL(stats.plans), opt.db_dir);
	return 0;
}

int main(int argc, char **argv)
{
	int status = run(argc, argv);
	char *error = NULL;
	/* what went to standard output (--help, --outline, --check, the summary) must have
	 * arrived: a full disk or a closed pipe is a failure, not a silent exit 0 */
	if (util_stdout_flush(&error) != 0) {
		fprintf(stderr, "policy-index: %s\n", ps_error_message(error, PS_ERR_IO));
		free(error);
		if (status == 0)
			status = 1;
	}
	return status;
}
