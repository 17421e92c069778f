/* cmd_indicators.c: `policy-query indicators`, the plans' indicator tables as data, row by row or compared across plans. */
#include "cli.h"
#include "indicators.h"
#include "indicators_out.h"
#include "status.h"
#include "table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fputs("Usage: policy-query indicators [OPTIONS] [TERM...]\n"
	      "\n"
	      "The rows of the plans' indicator tables (主要发展指标 and the like): each\n"
	      "indicator with its unit, 属性 and values under their headers, as printed, where\n"
	      "it stands (file, line) and its id, which policy-query cite quotes. With TERMs,\n"
	      "only the rows whose label holds one of them (compared in normal form, so\n"
	      "full-width and traditional forms match).\n"
	      "\n"
	      "  --compare      one row per indicator and a column per plan and year (or\n"
	      "                 other header): 丹东市 2025, 大连市 2020, 大连市 2025 …. The rows\n"
	      "                 whose label holds a TERM are one indicator when no table holds\n"
	      "                 two of them (学前教育毛入园率 and 学前三年毛入园率 are 毛入园率);\n"
	      "                 otherwise rows are grouped by label. The output says how.\n"
	      "  --format F     text (default), csv (RFC 4180, CRLF line ends), tsv or json\n"
	      "  --city C       only this plan: 丹东, 丹东市 or dandong; repeat for several\n"
	      "  -o, --output F write to F: a regular file whole or not at all, a device, FIFO\n"
	      "                 or pipe as it is; default, or -, standard output\n"
	      "  --db DIR       the index (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --help         this text\n"
	      "\n"
	      "A value column is named by its year where its header is only a year (2025,\n"
	      "2025年), else by its header as printed (完成情况, 累计). JSON gives each value as\n"
	      "printed (99%, 50%以上, 保持高水平) and, where it reads as a number, the number\n"
	      "and its comparator (≥ for 以上).\n"
	      "\n"
	      "Exit status: 0 written (no row found included), 1 failed, 2 bad usage, unknown\n"
	      "city, or no usable index.\n",
	      out);
}

typedef struct args {
	const char *db, *output;
	pq_table_format_t format;
	bool compare, help;
	const char **cities, **terms;
	size_t n_cities, n_terms;
} args_t;

/* Options start with "--", or are -o and -h; everything else is a term. */
static int parse_args(int argc, char **argv, args_t *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			while (++i < argc)
				a->terms[a->n_terms++] = argv[i];
			break;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			a->help = true;
			continue;
		}
		bool is_short = strcmp(arg, "-o") == 0;
		if (!is_short && strncmp(arg, "--", 2) != 0) {
			a->terms[a->n_terms++] = arg;
			continue;
		}
		const char *name = is_short ? "output" : arg + 2;
		const char *eq = is_short ? NULL : strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
#define IS(opt) (n == strlen(opt) && strncmp(name, opt, n) == 0)
		if (IS("compare")) {
			if (eq != NULL)
				return pq_cli_bad_value(arg, eq + 1, "no value");
			a->compare = true;
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
		if (IS("format")) {
			if (v == NULL || pq_table_format_parse(v, &a->format) != 0)
				return pq_cli_bad_value("--format", v, "text, csv, tsv or json");
		} else {
			fprintf(stderr, "policy-query: unknown option '%s' (policy-query indicators "
				"--help lists them)\n", arg);
			return -1;
		}
#undef IS
	}
	return 0;
}

int pq_cmd_indicators(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .format = PQ_TABLE_TEXT};
	const ps_plan_t **plans = NULL;
	ps_store_t *index = NULL;
	pq_indicators_t *ind = NULL;
	pq_outfile_t *out = NULL;
	char *error = NULL;
	int status = PQ_EXIT_USAGE;

	a.cities = calloc((size_t)argc, sizeof *a.cities);
	a.terms = calloc((size_t)argc, sizeof *a.terms);
	if (a.cities == NULL || a.terms == NULL) {
		status = PQ_EXIT_FAILED;
		goto done;
	}
	if (parse_args(argc, argv, &a) != 0) {
		fputs("policy-query: policy-query indicators --help describes the options\n",
		      stderr);
		goto done;
	}
	if (a.help) {
		usage(stdout);
		status = PQ_EXIT_OK;
		goto done;
	}
	if ((index = pq_cli_open_index(a.db)) == NULL)
		goto done;
	size_t n_plans = a.n_cities;
	if (pq_cli_resolve_cities(index, (char *const *)a.cities, a.n_cities, &plans,
				  &n_plans) != 0)
		goto done;
	pq_indicators_request_t req = {.terms = a.terms, .n_terms = a.n_terms,
				       .plans = plans, .n_plans = n_plans};
	ps_status_t st = pq_indicators_find(index, &req, &ind, &error);
	if (st != PS_OK) {
		status = st == PS_ERR_INVALID ? PQ_EXIT_USAGE : PQ_EXIT_FAILED;
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, st));
		goto done;
	}
	status = PQ_EXIT_FAILED;
	if (pq_outfile_open(a.output, &out, &error) != 0)
		goto failed;
	if (pq_indicators_write(out->f, ind, a.format, a.compare) != 0) {
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
	pq_indicators_free(ind);
	free(plans);
	ps_store_close(index);
	free(a.cities);
	free(a.terms);
	return status;
}
