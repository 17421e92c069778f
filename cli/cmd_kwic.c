/* cmd_kwic.c: `policy-query kwic`, every occurrence of a query in its context (a concordance). */
#include "cli.h"
#include "kwic.h"
#include "parse.h"
#include "status.h"
#include "kwic_format.h"
#include "options.h"
#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_WIDTH 20
#define MAX_WIDTH 10000

enum { OPT_DATE, OPT_WIDTH, OPT_FORMAT, OPT_EXCEL, OPT_SCOPE, OPT_CITY, OPT_PROVINCE,
       OPT_OUTPUT, OPT_THESAURUS, OPT_NO_THESAURUS, OPT_DB, OPT_ALLOW_PARTIAL, OPT_HELP };

static const util_option_t options[] = {
	{"width", 0, "N", "a number of characters, to 10000",
	 "characters of context on each side (default 20), cut at the\nplan body's edges",
	 OPT_WIDTH},
	{"format", 0, "F", "text, csv, tsv or json",
	 "text (default; aligned lines, line breaks shown as spaces),\n"
	 "csv (RFC 4180, CRLF line ends), tsv or json, with the fields\n"
	 "city, city_id, id, line, section, left, match, right, start, end",
	 OPT_FORMAT},
	{"excel", 0, NULL, NULL, "start csv or tsv with a UTF-8 byte order mark", OPT_EXCEL},
	{"scope", 0, "S", "clause, paragraph or section",
	 "clause (default), paragraph or section: what id names, and for\n"
	 "a query with operators what its terms must share",
	 OPT_SCOPE},
	{"city", 0, "C", "a city", "only this plan: 丹东, 丹东市 or dandong; repeat for several",
	 OPT_CITY},
	{"province", 0, "P", "a province",
	 "only the plans of this province: 辽宁 or 辽宁省; repeat for several", OPT_PROVINCE},
	{"date", 0, "FROM..TO", "a date range such as 2021..2022-06",
	 "only plans dated within FROM..TO (2021, 2021-05, 2021-05-10,\n"
	 "2021年5月; either side may be left out: 2022..); a date printed\n"
	 "without a day is the whole month; undated plans are left out",
	 OPT_DATE},
	{"output", 'o', "F", "a file name",
	 "write to F as freq does (a regular file whole or not at all);\n"
	 "its extension .csv, .tsv or .json sets the format unless\n"
	 "--format does; default, or -, standard output",
	 OPT_OUTPUT},
	PQ_CLI_THESAURUS_OPTIONS(OPT_THESAURUS, OPT_NO_THESAURUS),
	{"db", 0, "DIR", "a directory", "the index (default: $POLICY_SEARCH_DB, else index)", OPT_DB},
	PQ_CLI_OPTION_ALLOW_PARTIAL(OPT_ALLOW_PARTIAL),
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{NULL, 0, NULL, NULL, NULL, 0},
};

const util_command_t pq_kwic_command = {
	.program = "policy-query",
	.usage = "Usage: policy-query kwic [OPTIONS] QUERY...\n"
		 "\n"
		 "Every occurrence of QUERY with the text on either side (keyword in context),\n"
		 "ordered by plan and position. A single term: each of its non-overlapping\n"
		 "occurrences in the plans' bodies (the ones policy-query freq counts); a query\n"
		 "with operators (policy-query --help): each occurrence of its terms inside the\n"
		 "passages it finds at --scope.\n"
		 "\n",
	.options = options,
	.footer = "\n"
		  "Exit status: 0 written (with or without occurrences), 1 failed, 2 bad usage, a\n"
		  "bad query, unknown city, or no usable index.\n",
	.unknown_hint = "(policy-query kwic --help lists them)",
	.dash_words = true,
};

typedef struct args {
	const char *db, *date, *output, *format_name;
	bool allow_partial; /* --allow-partial */
	size_t width;
	pq_scope_t scope;
	pq_table_format_t format;
	bool excel, help;
	const char **cities, **provinces, **query;
	size_t n_cities, n_provinces, n_query;
	pq_cli_thesaurus_t th;
} args_t;

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	switch (o->id) {
	case OPT_WIDTH:
		return pq_cli_parse_size(v, &a->width) != 0 || a->width > MAX_WIDTH ? -1 : 0;
	case OPT_FORMAT: a->format_name = v; return pq_table_format_parse(v, &a->format);
	case OPT_EXCEL: a->excel = true; return 0;
	case OPT_SCOPE: return pq_scope_parse(v, &a->scope);
	case OPT_CITY: a->cities[a->n_cities++] = v; return 0;
	case OPT_PROVINCE: a->provinces[a->n_provinces++] = v; return 0;
	case OPT_DATE: a->date = v; return pq_cli_check_date(v);
	case OPT_OUTPUT:
		if (*v == '\0' || a->output != NULL)
			return util_option_refuse(&pq_kwic_command, "--output", v,
						  a->output ? "one file name, once" : "a file name");
		a->output = v;
		return 0;
	case OPT_THESAURUS:
	case OPT_NO_THESAURUS: return pq_cli_thesaurus_take(&a->th, o->id == OPT_NO_THESAURUS, v);
	case OPT_DB: a->db = v; return 0;
	case OPT_ALLOW_PARTIAL: a->allow_partial = true; return 0;
	case OPT_HELP: a->help = true; return 0;
	}
	return 0;
}

/* What the output file is filled with (pq_outfile_write). */
typedef struct kwic_out {
	ps_store_t *index;
	const pq_kwic_t *kwic;
	pq_kwic_format_t format;
} kwic_out_t;

static int fill_kwic(FILE *f, void *ctx, char **error)
{
	const kwic_out_t *o = ctx;
	return pq_kwic_write(f, o->index, o->kwic, &o->format, error);
}

int pq_cmd_kwic(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .width = DEFAULT_WIDTH, .format = PQ_TABLE_TEXT};
	const ps_plan_t **cities = NULL;
	ps_store_t *index = NULL;
	pq_query_t *query = NULL;
	pq_kwic_t *kwic = NULL;
	pq_thesaurus_t *thesaurus = NULL;
	char *error = NULL;
	int status = PQ_EXIT_USAGE;

	a.cities = calloc((size_t)argc, sizeof *a.cities);
	a.provinces = calloc((size_t)argc, sizeof *a.provinces);
	a.query = calloc((size_t)argc, sizeof *a.query);
	a.th.files = calloc((size_t)argc, sizeof *a.th.files);
	if (a.cities == NULL || a.provinces == NULL || a.query == NULL || a.th.files == NULL) {
		status = PQ_EXIT_FAILED;
		goto done;
	}
	int parsed = pq_cli_parse(&pq_kwic_command, "kwic", argc, argv, take, &a, a.query, &a.n_query,
				  &a.help);
	if (parsed >= 0) {
		status = parsed;
		goto done;
	}
	static const char *const formats[] = {"text", "csv", "tsv", "json", NULL};
	const char *format = pq_outfile_choose_format(a.output, a.format_name, "text", formats);
	if (format == NULL || pq_table_format_parse(format, &a.format) != 0)
		goto done;
	if (a.excel && a.format != PQ_TABLE_CSV && a.format != PQ_TABLE_TSV) {
		fputs("policy-query: --excel is for csv and tsv\n", stderr);
		goto done;
	}
	if (a.n_query == 0) {
		fputs("policy-query: no query given (policy-query kwic --help shows how)\n",
		      stderr);
		goto done;
	}
	bool concept = false;
	for (size_t i = 0; i < a.n_query && !concept; i++)
		concept = strchr(a.query[i], '~') != NULL;
	if (pq_cli_open_thesaurus(concept, &a.th, &thesaurus) != 0)
		goto done;
	if (pq_query_parse_concepts(a.query, a.n_query, thesaurus, &query, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		goto done;
	}
	if ((index = pq_cli_open_index(a.db, a.allow_partial, &status)) == NULL)
		goto done;
	if (pq_cli_resolve_plans(index, (char *const *)a.cities, a.n_cities,
				 (char *const *)a.provinces, a.n_provinces, a.date, &cities,
				  &a.n_cities, &status) != 0)
		goto done;
	status = PQ_EXIT_FAILED;
	pq_kwic_request_t req = {.query = query, .scope = a.scope, .cities = cities,
				 .n_cities = a.n_cities, .width = a.width};
	if (pq_kwic_run(index, &req, &kwic, &error) != 0)
		goto failed;
	kwic_out_t fill = {index, kwic,
			   {.format = a.format, .excel = a.excel, .query = query->text,
			    .scope = a.scope, .width = a.width}};
	if (pq_outfile_write(a.output, fill_kwic, &fill, &error) != 0)
		goto failed;
	status = PQ_EXIT_OK;
	goto done;
failed:
	fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
done:
	free(error);
	pq_kwic_free(kwic);
	free(cities);
	ps_store_close(index);
	pq_query_free(query);
	free(a.cities);
	free(a.provinces);
	free(a.query);
	free(a.th.files);
	pq_thesaurus_free(thesaurus);
	return status;
}
