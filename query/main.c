/* main.c: policy-query, the search command. */
#include "index.h"
#include "output.h"
#include "parse.h"
#include "search.h"
#include "strbuf.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

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

/* Resolve --city names; an unknown one lists the known cities. */
static int resolve_cities(pq_index_t *index, char **names, size_t n, const pq_plan_t ***out)
{
	const pq_plan_t **cities = calloc(n ? n : 1, sizeof *cities);
	if (cities == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		cities[i] = pq_index_find_city(index, names[i]);
		if (cities[i] != NULL)
			continue;
		size_t n_plans;
		const pq_plan_t *plans = pq_index_plans(index, &n_plans);
		fprintf(stderr, "policy-query: unknown city '%s'; the index has:", names[i]);
		for (size_t p = 0; p < n_plans; p++)
			fprintf(stderr, "%s %s (%s)", p ? "," : "", plans[p].city, plans[p].city_id);
		fputc('\n', stderr);
		free(cities);
		return -1;
	}
	*out = cities;
	return 0;
}

static int parse_limit(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-')
		return -1;
	*out = (size_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},   {"city", required_argument, NULL, 'c'},
		{"limit", required_argument, NULL, 'n'}, {"all", no_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *env_db = getenv("POLICY_SEARCH_DB");
	const char *db = env_db && *env_db ? env_db : "index";
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
	int status = EXIT_USAGE, c;

	if (city_names == NULL)
		return EXIT_FAILED;
	while ((c = getopt_long(argc, argv, "d:c:n:af:h", options, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': city_names[n_city_names++] = optarg; break;
		case 'n':
			if (parse_limit(optarg, &out.limit) != 0) {
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
		case 'h': usage(stdout); status = EXIT_OK; goto done;
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

	if (pq_index_open(db, &index, &error) != PQ_OPEN_OK) {
		fprintf(stderr, "policy-query: %s\n", error);
		goto done;
	}
	if (resolve_cities(index, city_names, n_city_names, &cities) != 0)
		goto done;
	pq_request_t req = {(const char *const *)terms, n_terms, cities, n_city_names};
	int src = pq_search(index, &req, &results, &error);
	if (src != 0) {
		fprintf(stderr, "policy-query: %s\n", error);
		status = src == PQ_SEARCH_BAD_QUERY ? EXIT_USAGE : EXIT_FAILED;
		goto done;
	}
	status = EXIT_FAILED;
	out.query = query.data;
	if (pq_output_write(stdout, index, results, &out, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", error);
		goto done;
	}
	status = EXIT_OK;
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
