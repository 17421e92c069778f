/* cmd_kwic.c: `policy-query kwic`, every occurrence of a query in its context (a concordance). */
#include "cli.h"
#include "kwic.h"
#include "parse.h"
#include "status.h"
#include "kwic_format.h"
#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_WIDTH 20
#define MAX_WIDTH 10000

static void usage(FILE *out)
{
	fputs("Usage: policy-query kwic [OPTIONS] QUERY...\n"
	      "\n"
	      "Every occurrence of QUERY with the text on either side (keyword in context),\n"
	      "ordered by plan and position. A single term: each of its non-overlapping\n"
	      "occurrences in the plans' bodies (the ones policy-query freq counts); a query\n"
	      "with operators (policy-query --help): each occurrence of its terms inside the\n"
	      "passages it finds at --scope.\n"
	      "\n"
	      "  --width N      characters of context on each side (default 20), cut at the\n"
	      "                 plan body's edges\n"
	      "  --format F     text (default; aligned lines, line breaks shown as spaces),\n"
	      "                 csv (RFC 4180, CRLF line ends), tsv or json, with the fields\n"
	      "                 city, city_id, id, line, section, left, match, right, start, end\n"
	      "  --excel        start csv or tsv with a UTF-8 byte order mark\n"
	      "  --scope S      clause (default), paragraph or section: what id names, and for\n"
	      "                 a query with operators what its terms must share\n"
	      "  --city C       only this plan: 丹东, 丹东市 or dandong; repeat for several\n"
	      "  -o, --output F write to F as freq does (a regular file whole or not at all);\n"
	      "                 default, or -, standard output\n"
	      "  --db DIR       the index (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --help         this text\n"
	      "\n"
	      "Exit status: 0 written (with or without occurrences), 1 failed, 2 bad usage, a\n"
	      "bad query, unknown city, or no usable index.\n",
	      out);
}

typedef struct args {
	const char *db, *output;
	size_t width;
	pq_scope_t scope;
	pq_table_format_t format;
	bool excel, help;
	const char **cities, **query;
	size_t n_cities, n_query;
} args_t;

/* Options start with "--", or are -o and -h; any other argument is part of the query. */
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
		bool is_short = strcmp(arg, "-o") == 0;
		if (!is_short && strncmp(arg, "--", 2) != 0) {
			a->query[a->n_query++] = arg;
			continue;
		}
		const char *name = is_short ? "output" : arg + 2;
		const char *eq = is_short ? NULL : strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
#define IS(opt) (n == strlen(opt) && strncmp(name, opt, n) == 0)
		if (IS("excel")) {
			if (eq != NULL)
				return pq_cli_bad_value(arg, eq + 1, "no value");
			a->excel = true;
			continue;
		}
		const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		pq_cli_shared_t shared = {&a->db, a->cities, &a->n_cities, &a->output};
		int taken = pq_cli_shared_option(&shared, arg, name, n, v);
		if (taken != 0) {
			if (taken < 0)
				return -1;
			continue;
		}
		if (IS("width")) {
			if (v == NULL || pq_cli_parse_size(v, &a->width) != 0 ||
			    a->width > MAX_WIDTH)
				return pq_cli_bad_value("--width", v, "a number of characters, to 10000");
		} else if (IS("format")) {
			if (v == NULL || pq_table_format_parse(v, &a->format) != 0)
				return pq_cli_bad_value("--format", v, "text, csv, tsv or json");
		} else if (IS("scope")) {
			if (v == NULL || pq_scope_parse(v, &a->scope) != 0)
				return pq_cli_bad_value("--scope", v, "clause, paragraph or section");
		} else {
			fprintf(stderr, "policy-query: unknown option '%s' (policy-query kwic "
				"--help lists them)\n", arg);
			return -1;
		}
#undef IS
	}
	return 0;
}

int pq_cmd_kwic(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .width = DEFAULT_WIDTH, .format = PQ_TABLE_TEXT};
	const ps_plan_t **cities = NULL;
	ps_store_t *index = NULL;
	pq_query_t *query = NULL;
	pq_kwic_t *kwic = NULL;
	pq_outfile_t *out = NULL;
	char *error = NULL;
	int status = PQ_EXIT_USAGE;

	a.cities = calloc((size_t)argc, sizeof *a.cities);
	a.query = calloc((size_t)argc, sizeof *a.query);
	if (a.cities == NULL || a.query == NULL) {
		status = PQ_EXIT_FAILED;
		goto done;
	}
	if (parse_args(argc, argv, &a) != 0) {
		fputs("policy-query: policy-query kwic --help describes the options\n", stderr);
		goto done;
	}
	if (a.help) {
		usage(stdout);
		status = PQ_EXIT_OK;
		goto done;
	}
	if (a.excel && a.format != PQ_TABLE_CSV && a.format != PQ_TABLE_TSV) {
		fputs("policy-query: --excel is for csv and tsv\n", stderr);
		goto done;
	}
	if (a.n_query == 0) {
		fputs("policy-query: no query given (policy-query kwic --help shows how)\n",
		      stderr);
		goto done;
	}
	if (pq_query_parse(a.query, a.n_query, &query, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		goto done;
	}
	if ((index = pq_cli_open_index(a.db)) == NULL)
		goto done;
	if (pq_cli_resolve_plans(index, (char *const *)a.cities, a.n_cities, NULL, 0, &cities,
				  &a.n_cities) != 0)
		goto done;
	status = PQ_EXIT_FAILED;
	pq_kwic_request_t req = {.query = query, .scope = a.scope, .cities = cities,
				 .n_cities = a.n_cities, .width = a.width};
	if (pq_kwic_run(index, &req, &kwic, &error) != 0 ||
	    pq_outfile_open(a.output, &out, &error) != 0)
		goto failed;
	pq_kwic_format_t fmt = {.format = a.format, .excel = a.excel, .query = query->text,
				.scope = a.scope, .width = a.width};
	if (pq_kwic_write(out->f, index, kwic, &fmt, &error) != 0) {
		pq_outfile_write_error(out, errno, &error);
		goto failed;
	}
	pq_outfile_t *o = out;
	out = NULL;
	if (pq_outfile_commit(o, &error) != 0)
		goto failed;
	status = PQ_EXIT_OK;
	goto done;
failed:
	fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
done:
	pq_outfile_abort(out);
	free(error);
	pq_kwic_free(kwic);
	free(cities);
	ps_store_close(index);
	pq_query_free(query);
	free(a.cities);
	free(a.query);
	return status;
}
