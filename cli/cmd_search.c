/* cmd_search.c: `policy-query [search] QUERY...`, the passages that match a query. */
#include "cli.h"
#include "options.h"
#include "outfile.h"
#include "output.h"
#include "parse.h"
#include "search.h"
#include "status.h"
#include "thesaurus.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define DEFAULT_LIMIT 20

enum { OPT_DATE, OPT_SORT, OPT_SCOPE, OPT_CITY, OPT_PROVINCE, OPT_SECTION, OPT_LEVEL, OPT_ANY,
       OPT_THESAURUS, OPT_NO_THESAURUS, OPT_LIMIT, OPT_ALL, OPT_OFFSET, OPT_FORMAT, OPT_OUTPUT,
       OPT_EXCEL, OPT_COLOR, OPT_FULL, OPT_DB, OPT_ALLOW_PARTIAL, OPT_VERSION, OPT_HELP };

static const util_option_t options[] = {
	{"scope", 0, "S", "clause, paragraph or section",
	 "clause (default, 同句), paragraph (同段) or section (同节,\n"
	 "with its sub-sections): every term must fall inside one\n"
	 "such unit, and the hits are those units",
	 OPT_SCOPE},
	{"city", 0, "C", "a city", "only this plan's passages: 丹东, 丹东市 or dandong;\nrepeat for several",
	 OPT_CITY},
	{"province", 0, "P", "a province",
	 "only the plans of this province: 辽宁 or 辽宁省; repeat for\n"
	 "several (with --city: those cities' plans in it)",
	 OPT_PROVINCE},
	{"date", 0, "FROM..TO", "a date range such as 2021..2022-06",
	 "only plans dated within FROM..TO (2021, 2021-05, 2021-05-10,\n"
	 "2021年5月; either side may be left out: 2022..); a date printed\n"
	 "without a day is the whole month; undated plans are left out",
	 OPT_DATE},
	{"section", 0, "TEXT", "part of a section title",
	 "only hits under a section whose title contains TEXT\n(主要任务, 保障措施, …)", OPT_SECTION},
	{"level", 0, "N", "a depth from 1 to 64",
	 "only hits whose section is at depth N (1 = top level); with\n"
	 "--scope section the sections at depth N are the units",
	 OPT_LEVEL},
	{"any", 0, NULL, NULL,
	 "rank the passages that hold some of the query: its own\n"
	 "phrasing, its ICU words and their bigrams, and the\n"
	 "thesaurus's variants of its concepts (weighed less), by\n"
	 "BM25; for questions such as 减轻学生课业负担的措施. Hits\n"
	 "are distinct paragraphs unless --scope says otherwise",
	 OPT_ANY},
	{"thesaurus", 0, "FILE", "a thesaurus file",
	 "add FILE's concept groups (HEAD = VARIANT | …) to the\n"
	 "bundled thesaurus; repeat for several",
	 OPT_THESAURUS},
	{"no-thesaurus", 0, NULL, NULL, "use no thesaurus, not even the bundled one",
	 OPT_NO_THESAURUS},
	{"limit", 'n', "N", "a whole number", "show N hits (default 20); --all shows every hit",
	 OPT_LIMIT},
	{"all", 0, NULL, NULL, "show every hit", OPT_ALL},
	{"sort", 0, "BY", "score or document",
	 "score (default: best first) or document: plan order, then\n"
	 "text order, to read every hit of a term in sequence",
	 OPT_SORT},
	{"offset", 0, "N", "a whole number", "skip the first N hits (paging)", OPT_OFFSET},
	{"format", 0, "F", "text, json, csv or tsv",
	 "text (default), json, or csv or tsv: one row per hit with id,\n"
	 "city, city_id, province, document, section, text, file, line,\n"
	 "start, end, score, matches (byte ranges in text: 3-9 12-18)",
	 OPT_FORMAT},
	{"output", 'o', "F", "a file name",
	 "write to F, whole or not at all (as freq -o does); its\n"
	 "extension .csv, .tsv or .json sets the format unless --format\n"
	 "does (a contradiction is refused); default, or -, standard output",
	 OPT_OUTPUT},
	{"excel", 0, NULL, NULL, "start csv or tsv with a UTF-8 byte order mark", OPT_EXCEL},
	{"color", 0, "WHEN", "auto, always or never",
	 "colour the matches: auto (default: on a terminal, unless\n"
	 "$NO_COLOR is set), always or never; without colour, text\n"
	 "output marks each match ⟪so⟫",
	 OPT_COLOR},
	{"full", 0, NULL, NULL,
	 "print long paragraph and section hits whole (by default one\n"
	 "longer than 600 bytes is shown as the text around its first\n"
	 "matches)",
	 OPT_FULL},
	{"db", 0, "DIR", "a directory", "the index (default: $POLICY_SEARCH_DB, else index)", OPT_DB},
	PQ_CLI_OPTION_ALLOW_PARTIAL(OPT_ALLOW_PARTIAL),
	{"version", 0, NULL, NULL, "the program's version", OPT_VERSION},
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{NULL, 0, NULL, NULL, NULL, 0},
};

const util_command_t pq_search_command = {
	.program = "policy-query",
	.usage = "Usage: policy-query [search] [OPTIONS] QUERY...\n"
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
		 "  A word starting with - is an option (-n 5, -o hits.csv) until a term or --\n"
		 "  has come: then -word excludes word. -课后服务 first is an unknown option;\n"
		 "  write 双减 -课后服务, or -- -课后服务 双减. Options may stand anywhere before --.\n"
		 "\n",
	.options = options,
	.footer = "\n"
		  "Exit status: 0 searched (with or without hits), 1 the search failed,\n"
		  "2 bad usage or a bad query, unknown city, or no usable index.\n",
	.unknown_hint = "(policy-query --help lists them; to exclude a term, write it after "
			"another term or after --)",
	.dash_words = true,
};

typedef struct args {
	const char *db, *date, *output, *format, *color;
	bool allow_partial; /* --allow-partial */
	pq_output_options_t out;
	pq_request_t req;
	const char **cities, **provinces, **query;
	size_t n_cities, n_provinces, n_query;
	bool help, version, scope_given;
	pq_cli_thesaurus_t th;
} args_t;

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	size_t num;
	switch (o->id) {
	case OPT_SCOPE: a->scope_given = true; return pq_scope_parse(v, &a->req.scope);
	case OPT_CITY: a->cities[a->n_cities++] = v; return 0;
	case OPT_PROVINCE: a->provinces[a->n_provinces++] = v; return 0;
	case OPT_DATE: a->date = v; return pq_cli_check_date(v);
	case OPT_SORT: return pq_order_parse(v, &a->req.order);
	case OPT_SECTION: a->req.section = v; return 0;
	case OPT_LEVEL:
		if (pq_cli_parse_size(v, &num) != 0 || num < 1 || num > 64)
			return -1;
		a->req.level = (int)num;
		return 0;
	case OPT_ANY: a->req.any = true; return 0;
	case OPT_THESAURUS:
	case OPT_NO_THESAURUS: return pq_cli_thesaurus_take(&a->th, o->id == OPT_NO_THESAURUS, v);
	case OPT_LIMIT: return pq_cli_parse_size(v, &a->req.limit);
	case OPT_ALL: a->req.limit = SIZE_MAX; return 0;
	case OPT_OFFSET: return pq_cli_parse_size(v, &a->req.offset);
	case OPT_FORMAT: a->format = v; return pq_format_parse(v, &a->out.format);
	case OPT_OUTPUT:
		if (*v == '\0' || a->output != NULL)
			return util_option_refuse(&pq_search_command, "--output", v,
						  a->output ? "one file name, once" : "a file name");
		a->output = v;
		return 0;
	case OPT_EXCEL: a->out.excel = true; return 0;
	case OPT_COLOR:
		if (strcmp(v, "auto") != 0 && strcmp(v, "always") != 0 && strcmp(v, "never") != 0)
			return -1;
		a->color = v;
		return 0;
	case OPT_FULL: a->out.full = true; return 0;
	case OPT_DB: a->db = v; return 0;
	case OPT_ALLOW_PARTIAL: a->allow_partial = true; return 0;
	case OPT_VERSION: a->version = true; return 0;
	case OPT_HELP: a->help = true; return 0;
	}
	return 0;
}

int pq_cmd_search(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .color = "auto",
		    .req = {.page = true, .limit = DEFAULT_LIMIT},
		    .out = {.format = PQ_FORMAT_TEXT}};
	static const char *const formats[] = {"text", "json", "csv", "tsv", NULL};
	pq_outfile_t *file = NULL;
	const ps_plan_t **cities = NULL;
	ps_store_t *index = NULL;
	pq_query_t *query = NULL;
	pq_output_t *out = NULL;
	pq_thesaurus_t *thesaurus = NULL;
	pq_suggesting_t suggesting = {0};
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
	int parsed = pq_cli_parse(&pq_search_command, "", argc, argv, take, &a, a.query, &a.n_query,
				  &a.help);
	if (parsed >= 0) {
		status = parsed;
		goto done;
	}
	if (a.version) {
		pq_cli_print_version();
		status = PQ_EXIT_OK;
		goto done;
	}
	const char *format = pq_outfile_choose_format(a.output, a.format, "text", formats);
	if (format == NULL || pq_format_parse(format, &a.out.format) != 0)
		goto done;
	if (a.out.excel && a.out.format != PQ_FORMAT_CSV && a.out.format != PQ_FORMAT_TSV) {
		fputs("policy-query: --excel is for csv and tsv\n", stderr);
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
	if (pq_cli_open_thesaurus(a.req.any || concept, &a.th, &thesaurus) != 0)
		goto done;
	a.req.thesaurus = thesaurus;
	if (pq_query_parse_concepts(a.query, a.n_query, thesaurus, &query, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	if ((index = pq_cli_open_index(a.db, a.allow_partial, &status)) == NULL)
		goto done;
	if (pq_cli_resolve_plans(index, (char *const *)a.cities, a.n_cities,
				 (char *const *)a.provinces, a.n_provinces, a.date, &cities,
				  &a.n_cities, &status) != 0)
		goto done;
	a.req.query = query;
	a.req.cities = cities;
	a.req.n_cities = a.n_cities;
	a.out.query = query->text;
	a.out.request = &a.req;
	if (pq_outfile_open(a.output, &file, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		status = PQ_EXIT_FAILED;
		goto done;
	}
	a.out.color = pq_cli_color(a.color, file->f);
	a.out.markers = !a.out.color;
	if (pq_output_open(file->f, index, &a.out, &out, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		status = PQ_EXIT_FAILED;
		goto done;
	}
	/* each hit is written as it is found, so that --all holds none of them */
	suggesting.thesaurus_default = !a.th.none; /* as --any would open it */
	suggesting.thesaurus_files = a.th.files;
	suggesting.n_thesaurus_files = a.th.n_files;
	pq_sink_t sink = pq_output_sink_suggesting(out, index, &a.req, &suggesting);
	ps_status_t src = pq_search_each(index, &a.req, &sink, &error);
	if (src != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		status = src == PS_ERR_INVALID ? PQ_EXIT_USAGE : PQ_EXIT_FAILED;
		goto done;
	}
	status = PQ_EXIT_FAILED;
	if (pq_output_close(out, &error) != 0) {
		out = NULL;
		if (a.output != NULL) { /* name the file, not "the results" */
			free(error);
			error = NULL;
			pq_outfile_write_error(file, errno, &error);
		}
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	out = NULL;
	pq_outfile_t *f = file;
	file = NULL;
	if (pq_outfile_commit(f, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	status = PQ_EXIT_OK;
done:
	pq_outfile_abort(file);
	free(error);
	pq_output_free(out);
	free(cities);
	ps_store_close(index);
	pq_query_free(query);
	free(a.cities);
	free(a.provinces);
	free(a.query);
	free(a.th.files);
	pq_suggesting_clear(&suggesting);
	pq_thesaurus_free(thesaurus);
	return status;
}
