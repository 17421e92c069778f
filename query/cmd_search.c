/* cmd_search.c: `policy-query [search] QUERY...`, the passages that match a query. */
#include "cli.h"
#include "output.h"
#include "parse.h"
#include "search.h"
#include "status.h"
#include "thesaurus.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_LIMIT 20

static void usage(FILE *out)
{
	fputs("Usage: policy-query [search] [OPTIONS] QUERY...\n"
	      "\n"
	      "Find the passages of the indexed plans that match QUERY. Terms match literally,\n"
	      "after normalisation (NFKC and case folding: ，and , or ２ and 2 are the same);\n"
	      "hits are ranked by BM25 and the total is exact.\n"
	      "\n"
	      "Query language (operators are ASCII; （ ） and “ ” are ordinary characters):\n"
	      "  双减 课后服务        both terms (AND)\n"
	      "  \"教育 现代化\"       a phrase: the words with the space between them\n"
	      "  双减 OR 减负        either (also: 双减 | 减负)\n"
	      "  双减 -课后服务      the first but not the second (also: NOT 课后服务)\n"
	      "  (双减 OR 减负) 作业  parentheses group; NOT binds tightest, then AND, then OR\n"
	      "  ~双减               the concept: every term of its thesaurus group, each\n"
	      "                   literally (双减, 减负, 减负提质 …); \"~双减\" is literal\n"
	      "  A query needs a term to search for: -课后服务 alone is refused. Quote a term\n"
	      "  to search for an operator itself: \"OR\", \"(六)\", \"-\".\n"
	      "\n"
	      "  --scope S        clause (default, 同句), paragraph (同段) or section (同节,\n"
	      "                   with its sub-sections): every term must fall inside one\n"
	      "                   such unit, and the hits are those units\n"
	      "  --city C         only this plan's passages: 丹东, 丹东市 or dandong;\n"
	      "                   repeat for several\n"
	      "  --section TEXT   only hits under a section whose title contains TEXT\n"
	      "                   (主要任务, 保障措施, …)\n"
	      "  --level N        only hits whose section is at depth N (1 = top level); with\n"
	      "                   --scope section the sections at depth N are the units\n"
	      "  --any            rank the passages that hold some of the query: its own\n"
	      "                   phrasing, its ICU words and their bigrams, and the\n"
	      "                   thesaurus's variants of its concepts (weighed less), by\n"
	      "                   BM25; for questions such as 减轻学生课业负担的措施. Hits\n"
	      "                   are distinct paragraphs unless --scope says otherwise\n"
	      "  --thesaurus FILE add FILE's concept groups (HEAD = VARIANT | …) to the\n"
	      "                   bundled thesaurus; repeat for several\n"
	      "  --no-thesaurus   use no thesaurus, not even the bundled one\n"
	      "  --limit N        show N hits (default 20); --all shows every hit\n"
	      "  --offset N       skip the first N hits (paging)\n"
	      "  --format F       text (default) or json\n"
	      "  --db DIR         the index (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --help           this text\n"
	      "\n"
	      "Exit status: 0 searched (with or without hits), 1 the search failed,\n"
	      "2 bad usage or a bad query, unknown city, or no usable index.\n",
	      out);
}

typedef struct args {
	const char *db;
	pq_output_options_t out;
	pq_request_t req;
	const char **cities, **query, **thesauri;
	size_t n_cities, n_query, n_thesauri;
	bool help, scope_given, no_thesaurus;
} args_t;

/* Take an option's value: "--name=value" or "--name value". NULL if missing. */
static const char *option_value(int argc, char **argv, int *i, const char *eq)
{
	if (eq != NULL)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/* Options start with "--" (or are -h); any other argument, "-课后服务" included, is part
 * of the query, as is everything after "--". */
static int parse_args(int argc, char **argv, args_t *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			while (++i < argc)
				a->query[a->n_query++] = argv[i];
			break;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			a->help = true;
			continue;
		}
		if (strncmp(arg, "--", 2) != 0) {
			a->query[a->n_query++] = arg;
			continue;
		}
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
#define IS(opt) (n == strlen(opt) && strncmp(name, opt, n) == 0)
		if (IS("no-thesaurus")) {
			if (eq != NULL)
				return pq_cli_bad_value("--no-thesaurus", eq + 1, "no value");
			a->no_thesaurus = true;
			continue;
		}
		if (IS("all") || IS("any")) {
			if (eq != NULL)
				return pq_cli_bad_value(IS("all") ? "--all" : "--any", eq + 1, "no value");
			if (IS("all"))
				a->req.limit = SIZE_MAX;
			else
				a->req.any = true;
			continue;
		}
		const char *v = option_value(argc, argv, &i, eq);
		size_t num;
		pq_cli_shared_t shared = {&a->db, a->cities, &a->n_cities, NULL};
		int taken = pq_cli_shared_option(&shared, arg, name, n, v);
		if (taken != 0) {
			if (taken < 0)
				return -1;
			continue;
		}
		if (IS("section")) {
			if (v == NULL)
				return pq_cli_bad_value("--section", v, "part of a section title");
			a->req.section = v;
		} else if (IS("limit")) {
			if (v == NULL || pq_cli_parse_size(v, &a->req.limit) != 0)
				return pq_cli_bad_value("--limit", v, "a whole number");
		} else if (IS("offset")) {
			if (v == NULL || pq_cli_parse_size(v, &a->req.offset) != 0)
				return pq_cli_bad_value("--offset", v, "a whole number");
		} else if (IS("level")) {
			if (v == NULL || pq_cli_parse_size(v, &num) != 0 || num < 1 || num > 64)
				return pq_cli_bad_value("--level", v, "a depth from 1 to 64");
			a->req.level = (int)num;
		} else if (IS("format")) {
			if (v == NULL || pq_format_parse(v, &a->out.format) != 0)
				return pq_cli_bad_value("--format", v, "text or json");
		} else if (IS("scope")) {
			if (v == NULL || pq_scope_parse(v, &a->req.scope) != 0)
				return pq_cli_bad_value("--scope", v, "clause, paragraph or section");
			a->scope_given = true;
		} else if (IS("thesaurus")) {
			if (v == NULL || v[0] == '\0')
				return pq_cli_bad_value("--thesaurus", v, "a thesaurus file");
			a->thesauri[a->n_thesauri++] = v;
		} else {
			fprintf(stderr, "policy-query: unknown option '%s' (policy-query --help lists "
				"them; to exclude a term write -term)\n", arg);
			return -1;
		}
#undef IS
	}
	return 0;
}

/* The output's head, with suggestions first when a literal search found nothing. */
typedef struct head_ctx {
	pq_output_t *out;
	ps_store_t *index;
	const pq_request_t *req;
	pq_suggestions_t suggestions;
} head_ctx_t;

static int head_with_suggestions(void *ctx, const pq_results_t *counts, char **error)
{
	head_ctx_t *h = ctx;
	if (counts->total == 0 && !h->req->any && h->req->offset == 0 &&
	    pq_suggest(h->index, h->req, &h->suggestions, error) != PS_OK)
		return -1;
	pq_output_suggest(h->out, &h->suggestions);
	return pq_output_head(h->out, counts, error);
}

static int hit_through(void *ctx, pq_hit_t *hit, char **error)
{
	head_ctx_t *h = ctx;
	return pq_output_hit(h->out, hit, error) == PS_OK ? 0 : -1;
}

int pq_cmd_search(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(),
		    .req = {.page = true, .limit = DEFAULT_LIMIT},
		    .out = {.format = PQ_FORMAT_TEXT,
			    .color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL}};
	const ps_plan_t **cities = NULL;
	ps_store_t *index = NULL;
	pq_query_t *query = NULL;
	pq_output_t *out = NULL;
	pq_thesaurus_t *thesaurus = NULL;
	head_ctx_t head = {0};
	char *error = NULL;
	int status = PQ_EXIT_USAGE;

	a.cities = calloc((size_t)argc, sizeof *a.cities);
	a.query = calloc((size_t)argc, sizeof *a.query);
	a.thesauri = calloc((size_t)argc, sizeof *a.thesauri);
	if (a.cities == NULL || a.query == NULL || a.thesauri == NULL) {
		status = PQ_EXIT_FAILED;
		goto done;
	}
	if (parse_args(argc, argv, &a) != 0) {
		fputs("policy-query: policy-query --help describes the options\n", stderr);
		goto done;
	}
	if (a.help) {
		usage(stdout);
		status = PQ_EXIT_OK;
		goto done;
	}
	if (a.n_query == 0) {
		fprintf(stderr, "policy-query: no query given (policy-query --help shows how)\n");
		goto done;
	}
	if (a.req.any && !a.scope_given)
		a.req.scope = PQ_SCOPE_PARAGRAPH; /* distinct passages */
	/* the thesaurus only where it is used: --any, a ~CONCEPT, or a file given */
	bool concept = false;
	for (size_t i = 0; i < a.n_query && !concept; i++)
		concept = strchr(a.query[i], '~') != NULL;
	if ((a.req.any || concept || a.n_thesauri > 0) &&
	    pq_thesaurus_open(!a.no_thesaurus, a.thesauri, a.n_thesauri, &thesaurus, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	a.req.thesaurus = thesaurus;
	if (pq_query_parse_concepts(a.query, a.n_query, thesaurus, &query, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	if ((index = pq_cli_open_index(a.db)) == NULL)
		goto done;
	if (pq_cli_resolve_cities(index, (char *const *)a.cities, a.n_cities, &cities,
				  &a.n_cities) != 0)
		goto done;
	a.req.query = query;
	a.req.cities = cities;
	a.req.n_cities = a.n_cities;
	a.out.query = query->text;
	a.out.request = &a.req;
	if (pq_output_open(stdout, index, &a.out, &out, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		status = PQ_EXIT_FAILED;
		goto done;
	}
	/* each hit is written as it is found, so that --all holds none of them */
	head.out = out;
	head.index = index;
	head.req = &a.req;
	pq_sink_t sink = {.head = head_with_suggestions, .hit = hit_through, .ctx = &head};
	ps_status_t src = pq_search_each(index, &a.req, &sink, &error);
	if (src != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		status = src == PS_ERR_INVALID ? PQ_EXIT_USAGE : PQ_EXIT_FAILED;
		goto done;
	}
	status = PQ_EXIT_FAILED;
	if (pq_output_close(out, &error) != 0) {
		out = NULL;
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	out = NULL;
	status = PQ_EXIT_OK;
done:
	free(error);
	pq_output_free(out);
	free(cities);
	ps_store_close(index);
	pq_query_free(query);
	free(a.cities);
	free(a.query);
	free(a.thesauri);
	pq_suggestions_clear(&head.suggestions);
	pq_thesaurus_free(thesaurus);
	return status;
}
