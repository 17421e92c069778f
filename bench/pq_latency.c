/* pq_latency.c: warm in-process search latency for bench/run: one open index, many searches. */
/*
 *   bench-pq-latency --db DIR --runs N [--warmup K] [--budget S] -- QUERY ARGS...
 *
 * Opens the index once, parses the query once, then runs it K times unmeasured (default 1)
 * and up to N times measured, stopping early once the measured runs have taken S seconds
 * (after at least one; no limit by default). A run is what `policy-query search` does after
 * opening the index: pq_search, the text output of the first page of 20 hits (to
 * /dev/null), pq_results_free; each is timed with CLOCK_MONOTONIC. QUERY ARGS are words
 * and phrases as policy-query search takes them, with --scope S and --city C (repeatable)
 * among them. The heap keeps freed memory as policy-serve's does (heap.h). Prints one JSON line, {"runs": N, "ms": [...], "total": HITS}. Exit status
 * 0, or 1 with a message on stderr.
 */
#include "cli.h"
#include "heap.h"
#include "output.h"
#include "parse.h"
#include "search.h"
#include "status.h"
#include "store.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 20 /* policy-query search's default --limit */

/*
 * One search as policy-query search runs it: the search for the request's page, its text
 * written to sink, the results freed. Sets *total to the number of hits. Returns 0, or -1
 * with a malloc'd message in *error.
 */
static int run_once(ps_store_t *index, const pq_request_t *request, FILE *sink,
		    size_t *total, char **error)
{
	pq_output_options_t options = {.format = PQ_FORMAT_TEXT, .request = request,
				       .color = false, .query = request->query->text};
	pq_results_t *results = NULL;
	int rc = -1;
	if (pq_search(index, request, &results, error) != 0)
		goto out;
	if (pq_output_write(sink, index, results, &options, error) != 0)
		goto out;
	*total = results->total;
	rc = 0;
out:
	pq_results_free(results);
	return rc;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* A whole non-negative number (min..max). Returns 0, or -1 with a message on stderr. */
static int parse_count(const char *name, const char *s, unsigned long min, unsigned long max,
		       unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;
	if (s == NULL || errno != 0 || end == s || *end != '\0' || *s == '-' || v < min ||
	    v > max) {
		fprintf(stderr, "bench-pq-latency: %s takes a whole number from %lu to %lu\n", name,
			min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Seconds, a non-negative decimal (0: no limit). Returns 0, or -1 with a message on stderr. */
static int parse_seconds(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = s ? strtod(s, &end) : -1;
	if (s == NULL || errno != 0 || end == s || *end != '\0' || !(v >= 0 && v <= 86400)) {
		fprintf(stderr, "bench-pq-latency: --budget takes seconds (0 for no limit)\n");
		return -1;
	}
	*out = v;
	return 0;
}

static void usage(void)
{
	fputs("usage: bench-pq-latency --db DIR --runs N [--warmup K] [--budget S] -- "
	      "[--scope S] [--city C]... QUERY...\n",
	      stderr);
}

int main(int argc, char **argv)
{
	const char *db = NULL;
	unsigned long runs = 0, warmup = 1;
	double budget_s = 0, spent = 0;
	const char **words = calloc((size_t)argc, sizeof *words);
	const char **names = calloc((size_t)argc, sizeof *names);
	size_t n_words = 0, n_names = 0, n_cities = 0, total = 0, done = 0;
	const ps_plan_t **cities = NULL;
	pq_request_t request = {.scope = PQ_SCOPE_CLAUSE, .page = true, .limit = PAGE};
	ps_store_t *index = NULL;
	pq_query_t *query = NULL;
	double *ms = NULL;

	util_heap_keep_freed(); /* as policy-serve does: one search reuses the last one's pages */
	FILE *sink = NULL;
	char *error = NULL;
	int rc = 1;
	int i = 1;

	if (words == NULL || names == NULL) {
		fprintf(stderr, "bench-pq-latency: out of memory\n");
		goto out;
	}
	/* each option takes a value: two arguments at a time */
	for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--db") == 0 && v != NULL)
			db = v;
		else if (strcmp(argv[i], "--runs") == 0) {
			if (parse_count("--runs", v, 1, 1000000, &runs) != 0)
				goto out;
		} else if (strcmp(argv[i], "--warmup") == 0) {
			if (parse_count("--warmup", v, 0, 1000000, &warmup) != 0)
				goto out;
		} else if (strcmp(argv[i], "--budget") == 0) {
			if (parse_seconds(v, &budget_s) != 0)
				goto out;
		} else {
			usage();
			goto out;
		}
	}
	/* the query arguments: --scope and --city as policy-query search takes them */
	for (i++; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--scope") == 0) {
			if (v == NULL || pq_scope_parse(v, &request.scope) != 0) {
				fprintf(stderr, "bench-pq-latency: --scope takes clause, paragraph "
					"or section\n");
				goto out;
			}
			i++;
		} else if (strcmp(argv[i], "--city") == 0) {
			if (v == NULL) {
				fprintf(stderr, "bench-pq-latency: --city needs a city\n");
				goto out;
			}
			names[n_names++] = v;
			i++;
		} else if (strncmp(argv[i], "--", 2) == 0) {
			fprintf(stderr, "bench-pq-latency: unsupported query option '%s'\n", argv[i]);
			goto out;
		} else {
			words[n_words++] = argv[i];
		}
	}
	if (db == NULL || runs == 0 || n_words == 0) {
		usage();
		goto out;
	}

	if (pq_query_parse(words, n_words, &query, &error) != 0)
		goto fail;
	if (ps_store_open(db, &index, &error) != PS_OK)
		goto fail;
	int ignored;
	if (pq_cli_resolve_plans(index, (char *const *)names, n_names, NULL, 0, NULL, &cities,
				 &n_cities, &ignored) != 0)
		goto out;
	request.query = query;
	request.cities = cities;
	request.n_cities = n_cities;
	if ((sink = fopen("/dev/null", "w")) == NULL) {
		fprintf(stderr, "bench-pq-latency: cannot open /dev/null\n");
		goto out;
	}
	if ((ms = calloc(runs, sizeof *ms)) == NULL) {
		fprintf(stderr, "bench-pq-latency: out of memory\n");
		goto out;
	}

	for (unsigned long k = 0; k < warmup; k++)
		if (run_once(index, &request, sink, &total, &error) != 0)
			goto fail;
	while (done < runs && !(done > 0 && budget_s > 0 && spent > budget_s * 1e3)) {
		double t0 = now_ms();
		if (run_once(index, &request, sink, &total, &error) != 0)
			goto fail;
		ms[done] = now_ms() - t0;
		spent += ms[done++];
	}

	printf("{\"runs\": %zu, \"ms\": [", done);
	for (size_t k = 0; k < done; k++)
		printf("%s%.3f", k ? ", " : "", ms[k]);
	printf("], \"total\": %zu}\n", total);
	rc = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
	goto out;
fail:
	fprintf(stderr, "bench-pq-latency: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
out:
	if (sink != NULL)
		fclose(sink);
	free(ms);
	free(error);
	free(cities);
	ps_store_close(index);
	pq_query_free(query);
	free(words);
	free(names);
	return rc;
}
