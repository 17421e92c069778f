/* cmd_freq.c: `policy-query freq`, how often terms occur per city, plan, chapter or section. */
#include "cli.h"
#include "file.h"
#include "freq.h"
#include "parse.h"
#include "status.h"
#include "strbuf.h"
#include "termlist.h"
#include "freq_format.h"
#include "options.h"
#include "outfile.h"
#include "utf8.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exports with more terms than this show a progress bar when stderr is a terminal. */
#define PROGRESS_MIN_TERMS 200

enum { OPT_DATE, OPT_BY, OPT_FORMAT, OPT_WIDE, OPT_EXCEL, OPT_SCOPE, OPT_CITY, OPT_PROVINCE, OPT_FILE,
       OPT_OUTPUT, OPT_THESAURUS, OPT_NO_THESAURUS, OPT_DB, OPT_ALLOW_PARTIAL, OPT_HELP };

static const util_option_t options[] = {
	{"by", 0, "G", "city, document, chapter or section",
	 "city (default), document, chapter (each top-level section, and\n"
	 "the preamble) or section (each section's own text, without its\n"
	 "sub-sections, and the preamble)",
	 OPT_BY},
	{"format", 0, "F", "csv, tsv or json",
	 "csv (default; RFC 4180, CRLF line ends), tsv (tabs and line\n"
	 "breaks inside a field become spaces) or json",
	 OPT_FORMAT},
	{"wide", 0, NULL, NULL, "one row per term and one column per group, cells = occurrences",
	 OPT_WIDE},
	{"excel", 0, NULL, NULL, "start the file with a UTF-8 byte order mark (csv, tsv)", OPT_EXCEL},
	{"scope", 0, "S", "clause, paragraph or section",
	 "what a passage is: clause (default), paragraph or section", OPT_SCOPE},
	{"city", 0, "C", "a city", "only this plan: 丹东, 丹东市 or dandong; repeat for several",
	 OPT_CITY},
	{"province", 0, "P", "a province",
	 "only the plans of this province: 辽宁 or 辽宁省; repeat for several", OPT_PROVINCE},
	{"date", 0, "FROM..TO", "a date range such as 2021..2022-06",
	 "only plans dated within FROM..TO (2021, 2021-05, 2021-05-10,\n"
	 "2021年5月; either side may be left out: 2022..); a date printed\n"
	 "without a day is the whole month; undated plans are left out",
	 OPT_DATE},
	{"file", 'f', "F", "a file of terms",
	 "read terms from F: one a line, UTF-8 (a BOM is fine), blank\n"
	 "lines and lines starting with # ignored, repeats listed once;\n"
	 "- is standard input",
	 OPT_FILE},
	{"output", 'o', "F", "a file name",
	 "write to F: a regular file whole or not at all (a temporary\n"
	 "file is renamed over it, its mode kept), a device, FIFO or\n"
	 "pipe as it is; a symbolic link is followed to its target,\n"
	 "except another user's in a sticky directory such as /tmp;\n"
	 "its extension .csv, .tsv or .json sets the format unless\n"
	 "--format does (a contradiction is refused); default, or -,\n"
	 "standard output",
	 OPT_OUTPUT},
	PQ_CLI_THESAURUS_OPTIONS(OPT_THESAURUS, OPT_NO_THESAURUS),
	{"db", 0, "DIR", "a directory", "the index (default: $POLICY_SEARCH_DB, else index)", OPT_DB},
	PQ_CLI_OPTION_ALLOW_PARTIAL(OPT_ALLOW_PARTIAL),
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{NULL, 0, NULL, NULL, NULL, 0},
};

const util_command_t pq_freq_command = {
	.program = "policy-query",
	.usage = "Usage: policy-query freq [OPTIONS] TERM... | -f FILE\n"
		 "\n"
		 "How often each TERM occurs in each city, plan, chapter or section: a complete\n"
		 "table, zeros included. Each TERM is one query (policy-query --help gives the\n"
		 "language), so '双减 OR 减负' is one row.\n"
		 "\n"
		 "  occurrences    a single term: its non-overlapping occurrences (leftmost\n"
		 "                 first) in the normalised text of the group (plan bodies, page\n"
		 "                 chrome excluded); a query with operators: the non-overlapping\n"
		 "                 occurrences of its positive terms inside its passages\n"
		 "  passages       the units of --scope in the group that contain the term (the\n"
		 "                 ones `policy-query search --scope S TERM` lists); with\n"
		 "                 operators, the search's hits in the group\n"
		 "  per_10k_chars  occurrences x 10000 / the group's characters (code points of\n"
		 "                 its original text, white space excluded)\n"
		 "\n",
	.options = options,
	.footer = "\n"
		  "Exit status: 0 written, 1 failed, 2 bad usage, a bad term or terms file, unknown\n"
		  "city, or no usable index.\n",
	.unknown_hint = "(policy-query freq --help lists them)",
	.dash_words = true,
};

typedef struct args {
	const char *db, *date, *file, *output, *format_name;
	bool allow_partial; /* --allow-partial */
	pq_group_by_t by;
	pq_scope_t scope;
	pq_table_format_t format;
	bool wide, excel, help;
	const char **cities, **provinces, **terms;
	size_t n_cities, n_provinces, n_terms;
	pq_cli_thesaurus_t th;
} args_t;

/* -o and --output, -f and --file: once each, not empty. */
static int take_once(const util_option_t *o, const char *v, const char **slot, const char *what,
		     const char *again)
{
	char typed[16];
	snprintf(typed, sizeof typed, "--%s", o->name);
	if (*v == '\0' || *slot != NULL)
		return util_option_refuse(&pq_freq_command, typed, v, *slot ? again : what);
	*slot = v;
	return 0;
}

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	switch (o->id) {
	case OPT_BY: return pq_group_by_parse(v, &a->by);
	case OPT_FORMAT:
		a->format_name = v;
		return pq_table_format_parse(v, &a->format) != 0 || a->format == PQ_TABLE_TEXT ? -1
											       : 0;
	case OPT_WIDE: a->wide = true; return 0;
	case OPT_EXCEL: a->excel = true; return 0;
	case OPT_SCOPE: return pq_scope_parse(v, &a->scope);
	case OPT_CITY: a->cities[a->n_cities++] = v; return 0;
	case OPT_PROVINCE: a->provinces[a->n_provinces++] = v; return 0;
	case OPT_DATE: a->date = v; return pq_cli_check_date(v);
	case OPT_FILE: return take_once(o, v, &a->file, "a file of terms", "one file of terms, once");
	case OPT_OUTPUT: return take_once(o, v, &a->output, "a file name", "one file name, once");
	case OPT_THESAURUS:
	case OPT_NO_THESAURUS: return pq_cli_thesaurus_take(&a->th, o->id == OPT_NO_THESAURUS, v);
	case OPT_DB: a->db = v; return 0;
	case OPT_ALLOW_PARTIAL: a->allow_partial = true; return 0;
	case OPT_HELP: a->help = true; return 0;
	}
	return 0;
}

/* ---- the terms ---- */

/* Add a term (pq_termlist_add). Returns 0, or -1 after printing why. */
static int terms_add(pq_termlist_t *t, const char *s, size_t len, const char *where)
{
	char *error = NULL;
	if (pq_termlist_add(t, s, len, where, &error) != PS_OK) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		free(error);
		return -1;
	}
	return 0;
}

/* Read one term a line from path. Returns 0, or -1 after printing why. */
static int terms_read(pq_termlist_t *t, const char *path)
{
	char *data = NULL, *error = NULL, where[4200];
	size_t len;
	int rc = -1;
	if (util_read_file(strcmp(path, "-") == 0 ? "/dev/stdin" : path, "a terms file",
			   PQ_MAX_INPUT_BYTES, false, &data, &len, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		goto out;
	}
	size_t pos = len >= 3 && memcmp(data, PQ_TABLE_BOM, 3) == 0 ? 3 : 0;
	for (long line = 1; pos < len; line++) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len, next = nl ? end + 1 : len;
		snprintf(where, sizeof where, "%s line %ld", path, line);
		for (size_t i = pos; i < end;) {
			size_t at = i;
			if (utf8_next(data, &i, end) < 0 || data[at] == '\0') {
				fprintf(stderr, "policy-query: %s: invalid UTF-8 at byte %zu of "
					"the line\n", where, at - pos + 1);
				goto out;
			}
		}
		size_t s = pos, e = end;
		utf8_trim(data, &s, &e);
		pos = next;
		if (s == e || data[s] == '#')
			continue;
		if (terms_add(t, data + s, e - s, where) != 0)
			goto out;
	}
	rc = 0;
out:
	free(error);
	free(data);
	return rc;
}

static void progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	int width = 30, filled = total ? (int)(done * (size_t)width / total) : width;
	fprintf(stderr, "\rfreq [%.*s%*s] %zu/%zu", filled,
		"##############################", width - filled, "", done, total);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* What the output file is filled with (pq_outfile_write). */
typedef struct freq_out {
	const pq_freq_t *freq;
	const char *const *terms;
	pq_freq_format_t format;
} freq_out_t;

static int fill_freq(FILE *f, void *ctx, char **error)
{
	const freq_out_t *o = ctx;
	return pq_freq_write(f, o->freq, o->terms, &o->format, error);
}

int pq_cmd_freq(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .format = PQ_TABLE_CSV};
	pq_termlist_t terms = PQ_TERMLIST_INIT;
	const ps_plan_t **cities = NULL;
	ps_store_t *index = NULL;
	pq_freq_t *freq = NULL;
	pq_thesaurus_t *thesaurus = NULL;
	char *error = NULL;
	int status = PQ_EXIT_USAGE;

	a.cities = calloc((size_t)argc, sizeof *a.cities);
	a.provinces = calloc((size_t)argc, sizeof *a.provinces);
	a.terms = calloc((size_t)argc, sizeof *a.terms);
	a.th.files = calloc((size_t)argc, sizeof *a.th.files);
	if (a.cities == NULL || a.provinces == NULL || a.terms == NULL || a.th.files == NULL) {
		status = PQ_EXIT_FAILED;
		goto done;
	}
	int parsed = pq_cli_parse(&pq_freq_command, "freq", argc, argv, take, &a, a.terms, &a.n_terms,
				  &a.help);
	if (parsed >= 0) {
		status = parsed;
		goto done;
	}
	static const char *const formats[] = {"csv", "tsv", "json", NULL};
	const char *format = pq_outfile_choose_format(a.output, a.format_name, "csv", formats);
	if (format == NULL || pq_table_format_parse(format, &a.format) != 0)
		goto done;
	if ((a.wide || a.excel) && a.format == PQ_TABLE_JSON) {
		fprintf(stderr, "policy-query: --%s is for csv and tsv, not json\n",
			a.wide ? "wide" : "excel");
		goto done;
	}
	/* given files or --no-thesaurus: that thesaurus now; else the term list opens the
	 * bundled one at the first ~CONCEPT (termlist.h) */
	if (pq_cli_open_thesaurus(false, &a.th, &thesaurus) != 0)
		goto done;
	terms.thesaurus = thesaurus;
	for (size_t i = 0; i < a.n_terms; i++)
		if (terms_add(&terms, a.terms[i], strlen(a.terms[i]), NULL) != 0)
			goto done;
	if (a.file != NULL && terms_read(&terms, a.file) != 0)
		goto done;
	if (terms.n == 0) {
		fputs("policy-query: no terms given (policy-query freq --help shows how)\n",
		      stderr);
		goto done;
	}
	if ((index = pq_cli_open_index(a.db, a.allow_partial, &status)) == NULL)
		goto done;
	if (pq_cli_resolve_plans(index, (char *const *)a.cities, a.n_cities,
				 (char *const *)a.provinces, a.n_provinces, a.date, &cities,
				  &a.n_cities, &status) != 0)
		goto done;
	pq_freq_request_t req = {.queries = (const pq_query_t *const *)terms.query,
				 .n_queries = terms.n, .by = a.by, .scope = a.scope,
				 .cities = cities, .n_cities = a.n_cities};
	if (terms.n > PROGRESS_MIN_TERMS && isatty(STDERR_FILENO))
		req.progress = progress;
	status = PQ_EXIT_FAILED;
	if (pq_freq_run(index, &req, &freq, &error) != 0)
		goto failed;
	freq_out_t fill = {freq, (const char *const *)terms.text,
			   {.format = a.format, .wide = a.wide, .excel = a.excel, .index = index}};
	if (pq_outfile_write(a.output, fill_freq, &fill, &error) != 0)
		goto failed;
	status = PQ_EXIT_OK;
	goto done;
failed:
	fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
done:
	free(error);
	pq_freq_free(freq);
	free(cities);
	ps_store_close(index);
	pq_termlist_clear(&terms);
	pq_thesaurus_free(thesaurus);
	free(a.th.files);
	free(a.cities);
	free(a.provinces);
	free(a.terms);
	return status;
}
