/* cmd_search.c: `policy-query [search] QUERY...`, the passages that match a query. */
#include "cli.h"
#include "output.h"
#include "parse.h"
#include "search.h"
#include "strbuf.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_LIMIT 20

static void usage(FILE *out)
{
	fputs("Usage: policy-query [--db DIR] [--city C]... [--limit N | --all]\n"
	      "                    [--format text|json] QUERY...\n"
	      "\n"
	      "Find every passage (clause) of the indexed plans in which each white-space\n"
	      "separated term of QUERY occurs literally, after normalisation (NFKC and case\n"
	      "folding: ，and , or ２ and 2 are the same). Hits are ranked by BM25; the total\n"
	      "is exact.\n"
	      "\n"
	      "  --db DIR         the index (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --city C         only this plan's passages: 丹东, 丹东市 or dandong;\n"
	      "                   repeat for several\n"
	      "  --limit N        show the best N hits (default 20)\n"
	      "  --all            show every hit\n"
	      "  --format F       text (default) or json\n"
	      "  --help           this text\n"
	      "\n"
	      "Exit status: 0 searched (with or without hits), 1 the search failed,\n"
	      "2 bad usage, unknown city, or no usable index.\n",
	      out);
}

int pq_cmd_search(int argc, char **argv)
{
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},   {"city", required_argument, NULL, 'c'},
		{"limit", required_argument, NULL, 'n'}, {"all", no_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = pq_cli_default_db();
	pq_output_options_t out = {.format = PQ_FORMAT_TEXT, .limit = DEFAULT_LIMIT,
				   .color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL};
	char **city_names = calloc((size_t)argc, sizeof *city_names);
	size_t n_city_names = 0;
	char **terms = NULL;
	size_t n_terms = 0;
	const pq_plan_t **cities = NULL;
	pq_index_t *index = NULL;
	pq_results_t *results = NULL;
	strbuf_t query = STRBUF_INIT;
	char *error = NULL;
	int status = PQ_EXIT_USAGE, c;

	if (city_names == NULL)
		return PQ_EXIT_FAILED;
	while ((c = getopt_long(argc, argv, "d:c:n:af:h", options, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': city_names[n_city_names++] = optarg; break;
		case 'n':
			if (pq_cli_parse_size(optarg, &out.limit) != 0) {
				fprintf(stderr, "policy-query: --limit takes a whole number, not '%s'\n",
					optarg);
				goto done;
			}
			break;
		case 'a': out.limit = SIZE_MAX; break;
		case 'f':
			if (pq_format_parse(optarg, &out.format) != 0) {
				fprintf(stderr, "policy-query: unknown format '%s' (text or json)\n",
					optarg);
				goto done;
			}
			break;
		case 'h': usage(stdout); status = PQ_EXIT_OK; goto done;
		default: usage(stderr); goto done;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "policy-query: no query given\n");
		usage(stderr);
		goto done;
	}
	if (pq_parse_terms((const char *const *)argv + optind, (size_t)(argc - optind), &terms,
			   &n_terms, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", error);
		goto done;
	}
	for (int i = optind; i < argc; i++)
		strbuf_printf(&query, "%s%s", i > optind ? " " : "", argv[i]);

	if ((index = pq_cli_open_index(db)) == NULL)
		goto done;
	if (pq_cli_resolve_cities(index, city_names, n_city_names, &cities) != 0)
		goto done;
	pq_request_t req = {(const char *const *)terms, n_terms, cities, n_city_names};
	int src = pq_search(index, &req, &results, &error);
	if (src != 0) {
		fprintf(stderr, "policy-query: %s\n", error);
		status = src == PQ_SEARCH_BAD_QUERY ? PQ_EXIT_USAGE : PQ_EXIT_FAILED;
		goto done;
	}
	status = PQ_EXIT_FAILED;
	out.query = query.data;
	if (pq_output_write(stdout, index, results, &out, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", error);
		goto done;
	}
	status = PQ_EXIT_OK;
done:
	free(error);
	strbuf_free(&query);
	pq_results_free(results);
	free(cities);
	pq_index_close(index);
	pq_terms_free(terms, n_terms);
	free(city_names);
	return status;
}
