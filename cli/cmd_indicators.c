/* cmd_indicators.c: `policy-query indicators`, the plans' indicator tables as data, row by row or compared across plans. */
#include "cli.h"
#include "indicators.h"
#include "indicators_out.h"
#include "options.h"
#include "outfile.h"
#include "status.h"
#include "table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_COMPARE, OPT_FORMAT, OPT_CITY, OPT_PROVINCE, OPT_OUTPUT, OPT_DB, OPT_ALLOW_PARTIAL,
       OPT_HELP };

static const util_option_t options[] = {
	{"compare", 0, NULL, NULL,
	 "one row per indicator and a column per plan and year (or\n"
	 "other header): 丹东市 2025, 大连市 2020, 大连市 2025 …. The rows\n"
	 "whose label holds a TERM are one indicator when no table holds\n"
	 "two of them (学前教育毛入园率 and 学前三年毛入园率 are 毛入园率);\n"
	 "otherwise rows are grouped by label. The output says how.",
	 OPT_COMPARE},
	{"format", 0, "F", "text, csv, tsv or json",
	 "text (default), csv (RFC 4180, CRLF line ends), tsv or json", OPT_FORMAT},
	{"city", 0, "C", "a city", "only this plan: 丹东, 丹东市 or dandong; repeat for several",
	 OPT_CITY},
	{"province", 0, "P", "a province",
	 "only the plans of this province: 辽宁 or 辽宁省; repeat for several", OPT_PROVINCE},
	{"output", 'o', "F", "a file name",
	 "write to F: a regular file whole or not at all, a device, FIFO\n"
	 "or pipe as it is; its extension .csv, .tsv or .json sets the\n"
	 "format unless --format does; default, or -, standard output",
	 OPT_OUTPUT},
	{"db", 0, "DIR", "a directory", "the index (default: $POLICY_SEARCH_DB, else index)", OPT_DB},
	PQ_CLI_OPTION_ALLOW_PARTIAL(OPT_ALLOW_PARTIAL),
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{NULL, 0, NULL, NULL, NULL, 0},
};

const util_command_t pq_indicators_command = {
	.program = "policy-query",
	.usage = "Usage: policy-query indicators [OPTIONS] [TERM...]\n"
		 "\n"
		 "The rows of the plans' indicator tables (主要发展指标 and the like): each\n"
		 "indicator with its unit, 属性 and values under their headers, as printed, where\n"
		 "it stands (file, line) and its id, which policy-query cite quotes. With TERMs,\n"
		 "only the rows whose label holds one of them (compared in normal form, so\n"
		 "full-width and traditional forms match).\n"
		 "\n",
	.options = options,
	.footer = "\n"
		  "A value column is named by its year where its header is only a year (2025,\n"
		  "2025年), else by its header as printed (完成情况, 累计). JSON gives each value as\n"
		  "printed (99%, 50%以上, 保持高水平) and, where it reads as a number, the number\n"
		  "and its comparator (≥ for 以上).\n"
		  "\n"
		  "Exit status: 0 written (no row found included), 1 failed, 2 bad usage, unknown\n"
		  "city, or no usable index.\n",
	.unknown_hint = "(policy-query indicators --help lists them)",
};

typedef struct args {
	const char *db, *output, *format_name;
	bool allow_partial; /* --allow-partial */
	pq_table_format_t format;
	bool compare, help;
	const char **cities, **provinces, **terms;
	size_t n_cities, n_provinces, n_terms;
} args_t;

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	switch (o->id) {
	case OPT_COMPARE: a->compare = true; return 0;
	case OPT_FORMAT: a->format_name = v; return pq_table_format_parse(v, &a->format);
	case OPT_CITY: a->cities[a->n_cities++] = v; return 0;
	case OPT_PROVINCE: a->provinces[a->n_provinces++] = v; return 0;
	case OPT_OUTPUT:
		if (*v == '\0' || a->output != NULL)
			return util_option_refuse(&pq_indicators_command, "--output", v,
						  a->output ? "one file name, once" : "a file name");
		a->output = v;
		return 0;
	case OPT_DB: a->db = v; return 0;
	case OPT_ALLOW_PARTIAL: a->allow_partial = true; return 0;
	case OPT_HELP: a->help = true; return 0;
	}
	return 0;
}

/* What the output file is filled with (pq_outfile_write). */
typedef struct indicators_out {
	const ps_store_t *index;
	const pq_indicators_t *ind;
	pq_table_format_t format;
	bool compare;
} indicators_out_t;

static int fill_indicators(FILE *f, void *ctx, char **error)
{
	(void)error; /* pq_indicators_write fails only with errno set */
	const indicators_out_t *o = ctx;
	return pq_indicators_write(f, o->index, o->ind, o->format, o->compare);
}

int pq_cmd_indicators(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .format = PQ_TABLE_TEXT};
	const ps_plan_t **plans = NULL;
	ps_store_t *index = NULL;
	pq_indicators_t *ind = NULL;
	char *error = NULL;
	int status = PQ_EXIT_USAGE;

	a.cities = calloc((size_t)argc, sizeof *a.cities);
	a.provinces = calloc((size_t)argc, sizeof *a.provinces);
	a.terms = calloc((size_t)argc, sizeof *a.terms);
	if (a.cities == NULL || a.provinces == NULL || a.terms == NULL) {
		status = PQ_EXIT_FAILED;
		goto done;
	}
	int parsed = pq_cli_parse(&pq_indicators_command, "indicators", argc, argv, take, &a, a.terms, &a.n_terms,
				  &a.help);
	if (parsed >= 0) {
		status = parsed;
		goto done;
	}
	/* -o's extension sets the format as for search, freq and kwic (a contradiction with
	 * --format, or .md, is refused) */
	static const char *const formats[] = {"text", "csv", "tsv", "json", NULL};
	const char *format = pq_outfile_choose_format(a.output, a.format_name, "text", formats);
	if (format == NULL || pq_table_format_parse(format, &a.format) != 0)
		goto done;
	if ((index = pq_cli_open_index(a.db, a.allow_partial, &status)) == NULL)
		goto done;
	size_t n_plans = 0;
	if (pq_cli_resolve_plans(index, (char *const *)a.cities, a.n_cities,
				 (char *const *)a.provinces, a.n_provinces, NULL, &plans, &n_plans,
				 &status) != 0)
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
	indicators_out_t fill = {index, ind, a.format, a.compare};
	if (pq_outfile_write(a.output, fill_indicators, &fill, &error) != 0)
		goto failed;
	status = PQ_EXIT_OK;
	goto done;
failed:
	fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
done:
	free(error);
	pq_indicators_free(ind);
	free(plans);
	ps_store_close(index);
	free(a.cities);
	free(a.provinces);
	free(a.terms);
	return status;
}
