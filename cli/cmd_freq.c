/* cmd_freq.c: `policy-query freq`, how often terms occur per city, plan, chapter or section. */
#include "cli.h"
#include "file.h"
#include "freq.h"
#include "parse.h"
#include "status.h"
#include "strbuf.h"
#include "termlist.h"
#include "freq_format.h"
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

static void usage(FILE *out)
{
	fputs("Usage: policy-query freq [OPTIONS] TERM... | -f FILE\n"
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
	      "\n"
	      "  --by G         city (default), document, chapter (each top-level section, and\n"
	      "                 the preamble) or section (each section's own text, without its\n"
	      "                 sub-sections, and the preamble)\n"
	      "  --format F     csv (default; RFC 4180, CRLF line ends), tsv (tabs and line\n"
	      "                 breaks inside a field become spaces) or json\n"
	      "  --wide         one row per term and one column per group, cells = occurrences\n"
	      "  --excel        start the file with a UTF-8 byte order mark (csv, tsv)\n"
	      "  --scope S      what a passage is: clause (default), paragraph or section\n"
	      "  --city C       only this plan: 丹东, 丹东市 or dandong; repeat for several\n"
	      "  -f, --file F   read terms from F: one a line, UTF-8 (a BOM is fine), blank\n"
	      "                 lines and lines starting with # ignored, repeats listed once;\n"
	      "                 - is standard input\n"
	      "  -o, --output F write to F: a regular file whole or not at all (a temporary\n"
	      "                 file is renamed over it, its mode kept), a device, FIFO or\n"
	      "                 pipe as it is; a symbolic link is followed to its target,\n"
	      "                 except another user's in a sticky directory such as /tmp;\n"
	      "                 default, or -, standard output\n"
	      "  --db DIR       the index (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --help         this text\n"
	      "\n"
	      "Exit status: 0 written, 1 failed, 2 bad usage, a bad term or terms file, unknown\n"
	      "city, or no usable index.\n",
	      out);
}

typedef struct args {
	const char *db, *file, *output;
	pq_group_by_t by;
	pq_scope_t scope;
	pq_table_format_t format;
	bool wide, excel, help;
	const char **cities, **terms;
	size_t n_cities, n_terms;
} args_t;

/* Options start with "--", or are -o, -f and -h; everything else is a term. */
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
		bool is_short = strcmp(arg, "-o") == 0 || strcmp(arg, "-f") == 0;
		if (!is_short && strncmp(arg, "--", 2) != 0) {
			a->terms[a->n_terms++] = arg;
			continue;
		}
		const char *name = is_short ? (arg[1] == 'o' ? "output" : "file") : arg + 2;
		const char *eq = is_short ? NULL : strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
#define IS(opt) (n == strlen(opt) && strncmp(name, opt, n) == 0)
		if (IS("wide") || IS("excel")) {
			if (eq != NULL)
				return pq_cli_bad_value(arg, eq + 1, "no value");
			*(IS("wide") ? &a->wide : &a->excel) = true;
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
		if (IS("file")) {
			if (v == NULL || *v == '\0' || a->file != NULL)
				return pq_cli_bad_value(arg, v, a->file ? "one file of terms, once"
							       : "a file of terms");
			a->file = v;
		} else if (IS("by")) {
			if (v == NULL || pq_group_by_parse(v, &a->by) != 0)
				return pq_cli_bad_value("--by", v, "city, document, chapter or section");
		} else if (IS("format")) {
			if (v == NULL || pq_table_format_parse(v, &a->format) != 0 ||
			    a->format == PQ_TABLE_TEXT)
				return pq_cli_bad_value("--format", v, "csv, tsv or json");
		} else if (IS("scope")) {
			if (v == NULL || pq_scope_parse(v, &a->scope) != 0)
				return pq_cli_bad_value("--scope", v, "clause, paragraph or section");
		} else {
			fprintf(stderr, "policy-query: unknown option '%s' (policy-query freq "
				"--help lists them)\n", arg);
			return -1;
		}
#undef IS
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

int pq_cmd_freq(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .format = PQ_TABLE_CSV};
	pq_termlist_t terms = PQ_TERMLIST_INIT;
	const ps_plan_t **cities = NULL;
	ps_store_t *index = NULL;
	pq_freq_t *freq = NULL;
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
		fputs("policy-query: policy-query freq --help describes the options\n", stderr);
		goto done;
	}
	if (a.help) {
		usage(stdout);
		status = PQ_EXIT_OK;
		goto done;
	}
	if ((a.wide || a.excel) && a.format == PQ_TABLE_JSON) {
		fprintf(stderr, "policy-query: --%s is for csv and tsv, not json\n",
			a.wide ? "wide" : "excel");
		goto done;
	}
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
	if ((index = pq_cli_open_index(a.db)) == NULL)
		goto done;
	if (pq_cli_resolve_plans(index, (char *const *)a.cities, a.n_cities, NULL, 0, &cities,
				  &a.n_cities) != 0)
		goto done;
	pq_freq_request_t req = {.queries = (const pq_query_t *const *)terms.query,
				 .n_queries = terms.n, .by = a.by, .scope = a.scope,
				 .cities = cities, .n_cities = a.n_cities};
	if (terms.n > PROGRESS_MIN_TERMS && isatty(STDERR_FILENO))
		req.progress = progress;
	status = PQ_EXIT_FAILED;
	if (pq_freq_run(index, &req, &freq, &error) != 0)
		goto failed;
	if (pq_outfile_open(a.output, &out, &error) != 0)
		goto failed;
	pq_freq_format_t fmt = {.format = a.format, .wide = a.wide, .excel = a.excel};
	if (pq_freq_write(out->f, freq, (const char *const *)terms.text, &fmt) != 0) {
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
	pq_freq_free(freq);
	free(cities);
	ps_store_close(index);
	pq_termlist_clear(&terms);
	free(a.cities);
	free(a.terms);
	return status;
}
