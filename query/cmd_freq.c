/* cmd_freq.c: `policy-query freq`, how often terms occur per city, plan, chapter or section. */
#include "cli.h"
#include "file.h"
#include "freq.h"
#include "parse.h"
#include "thesaurus.h"
#include "status.h"
#include "strbuf.h"
#include "strmap.h"
#include "table.h"
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

typedef struct terms {
	char **text;         /* as given, trimmed */
	pq_query_t **query;
	size_t n, cap;
	util_strmap_t seen;  /* text[i] -> i: a term given twice is listed once */
	pq_thesaurus_t *thesaurus; /* for ~CONCEPT, opened at the first one */
} terms_t;

static void terms_free(terms_t *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->text[i]);
		pq_query_free(t->query[i]);
	}
	free(t->text);
	free(t->query);
	util_strmap_free(&t->seen);
	pq_thesaurus_free(t->thesaurus);
}

/* Add a term unless it is there already; where says where it came from for messages
 * ("FILE line N" or NULL). Returns 0, or -1 after printing why. */
static int terms_add(terms_t *t, const char *s, size_t len, const char *where)
{
	if (util_strmap_get(&t->seen, s, len, NULL))
		return 0;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **text = realloc(t->text, cap * sizeof *text);
		if (text != NULL)
			t->text = text;
		pq_query_t **query = realloc(t->query, cap * sizeof *query);
		if (query != NULL)
			t->query = query;
		if (text == NULL || query == NULL) {
			fputs("policy-query: out of memory\n", stderr);
			return -1;
		}
		t->cap = cap;
	}
	char *copy = strndup(s, len), *error = NULL;
	pq_query_t *q = NULL;
	if (copy == NULL) {
		fputs("policy-query: out of memory\n", stderr);
		return -1;
	}
	const char *args[] = {copy};
	if (strchr(copy, '~') != NULL && t->thesaurus == NULL &&
	    pq_thesaurus_open(true, NULL, 0, &t->thesaurus, &error) != PS_OK) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		free(error);
		free(copy);
		return -1;
	}
	if (pq_query_parse_concepts(args, 1, t->thesaurus, &q, &error) != 0) {
		if (where != NULL)
			fprintf(stderr, "policy-query: %s: %s\n", where,
				ps_error_message(error, PS_ERR_NO_MEMORY));
		else
			fprintf(stderr, "policy-query: term '%s': %s\n", copy,
				ps_error_message(error, PS_ERR_NO_MEMORY));
		free(error);
		free(copy);
		return -1;
	}
	if (util_strmap_put(&t->seen, copy, len, t->n, NULL) < 0) {
		fputs("policy-query: out of memory\n", stderr);
		pq_query_free(q);
		free(copy);
		return -1;
	}
	t->text[t->n] = copy;
	t->query[t->n++] = q;
	return 0;
}

/* Read one term a line from path. Returns 0, or -1 after printing why. */
static int terms_read(terms_t *t, const char *path)
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

/* ---- writing ---- */

static const char *group_heading_name(pq_group_by_t by)
{
	return by == PQ_BY_CHAPTER ? "chapter" : "section";
}

/* A whole number's digits at the end of buf (20 bytes); returns where they start. */
static char *digits(size_t n, char *end)
{
	char *p = end;
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return p;
}

static int append_size(strbuf_t *sb, size_t n)
{
	char buf[24], *end = buf + sizeof buf, *p = digits(n, end);
	return strbuf_append(sb, p, (size_t)(end - p));
}

/* What "%.3f" prints for pq_freq_per_10k(occurrences, characters), without printf: the
 * exact quotient rounded to thousandths. The double printf is given differs from the exact
 * value by less than any non-tie's distance to a rounding boundary (for fewer than 4e8
 * occurrences), so the two round alike; an exact tie, which printf rounds to even on the
 * double, and anything past those bounds go to printf. */
static int append_per_10k(strbuf_t *sb, size_t occurrences, size_t characters)
{
	size_t q = occurrences * 10000000u, milli = characters ? q / characters : 0;
	if (characters == 0 || occurrences >= 400000000u || 2 * (q % characters) == characters)
		return strbuf_printf(sb, "%.3f", pq_freq_per_10k(occurrences, characters));
	if (2 * (q % characters) > characters)
		milli++;
	char frac[4] = {(char)('0' + milli / 100 % 10), (char)('0' + milli / 10 % 10),
			(char)('0' + milli % 10), 0};
	return append_size(sb, milli / 1000) | strbuf_append(sb, ".", 1) |
	       strbuf_append(sb, frac, 3);
}

/* Each group's fields that every row of it repeats, escaped once: city, city_id, and the
 * document or the id and heading. */
static int group_prefixes(const args_t *a, const pq_freq_t *f, strbuf_t **out)
{
	pq_table_format_t fm = a->format;
	const char *sep = fm == PQ_TABLE_TSV ? "\t" : ",";
	strbuf_t *p = calloc(f->n_groups ? f->n_groups : 1, sizeof *p);
	if (p == NULL)
		return -1;
	int bad = 0;
	for (size_t g = 0; g < f->n_groups && !bad; g++) {
		const pq_group_t *grp = &f->groups[g];
		bad |= strbuf_append_str(&p[g], sep) |
		       pq_table_escape(fm, grp->plan->city, strlen(grp->plan->city), &p[g]) |
		       strbuf_append_str(&p[g], sep) |
		       pq_table_escape(fm, grp->plan->city_id, strlen(grp->plan->city_id), &p[g]);
		if (f->by == PQ_BY_DOCUMENT)
			bad |= strbuf_append_str(&p[g], sep) |
			       pq_table_escape(fm, grp->column, strlen(grp->column), &p[g]);
		if (f->by == PQ_BY_CHAPTER || f->by == PQ_BY_SECTION)
			bad |= strbuf_append_str(&p[g], sep) |
			       pq_table_escape(fm, grp->id, strlen(grp->id), &p[g]) |
			       strbuf_append_str(&p[g], sep) |
			       pq_table_escape(fm, grp->heading, strlen(grp->heading), &p[g]);
	}
	*out = p;
	return bad ? -1 : 0;
}

static int write_long(FILE *out, const args_t *a, const pq_freq_t *f, const terms_t *t)
{
	pq_table_format_t fm = a->format;
	const char *sep = fm == PQ_TABLE_TSV ? "\t" : ",", *eol = fm == PQ_TABLE_TSV ? "\n" : "\r\n";
	strbuf_t *prefix = NULL, row = STRBUF_INIT;
	int bad = pq_table_str(out, fm, true, "term") | pq_table_str(out, fm, false, "city") |
		  pq_table_str(out, fm, false, "city_id");
	if (f->by == PQ_BY_DOCUMENT)
		bad |= pq_table_str(out, fm, false, "document");
	if (f->by == PQ_BY_CHAPTER || f->by == PQ_BY_SECTION)
		bad |= pq_table_str(out, fm, false, "id") |
		       pq_table_str(out, fm, false, group_heading_name(f->by));
	bad |= pq_table_str(out, fm, false, "occurrences") |
	       pq_table_str(out, fm, false, "passages") |
	       pq_table_str(out, fm, false, "per_10k_chars") | pq_table_end(out, fm);
	bad |= group_prefixes(a, f, &prefix);
	/* a term's rows are built in one buffer and written at once */
	for (size_t i = 0; i < t->n && !bad; i++) {
		strbuf_t term = STRBUF_INIT;
		bad |= pq_table_escape(fm, t->text[i], strlen(t->text[i]), &term);
		row.len = 0;
		for (size_t g = 0; g < f->n_groups && !bad; g++) {
			const pq_freq_cell_t *c = pq_freq_cell(f, i, g);
			bad |= strbuf_append(&row, term.data, term.len) |
			       strbuf_append(&row, prefix[g].data, prefix[g].len) |
			       strbuf_append_str(&row, sep) | append_size(&row, c->occurrences) |
			       strbuf_append_str(&row, sep) | append_size(&row, c->passages) |
			       strbuf_append_str(&row, sep) |
			       append_per_10k(&row, c->occurrences, f->groups[g].characters) |
			       strbuf_append_str(&row, eol);
		}
		strbuf_free(&term);
		if (!bad && row.len > 0 && fwrite(row.data, 1, row.len, out) != row.len)
			bad = 1;
	}
	for (size_t g = 0; prefix != NULL && g < f->n_groups; g++)
		strbuf_free(&prefix[g]);
	free(prefix);
	strbuf_free(&row);
	return bad ? -1 : 0;
}

static int write_wide(FILE *out, const args_t *a, const pq_freq_t *f, const terms_t *t)
{
	pq_table_format_t fm = a->format;
	const char *sep = fm == PQ_TABLE_TSV ? "\t" : ",", *eol = fm == PQ_TABLE_TSV ? "\n" : "\r\n";
	strbuf_t row = STRBUF_INIT;
	int bad = pq_table_str(out, fm, true, "term");
	for (size_t g = 0; g < f->n_groups; g++)
		bad |= pq_table_str(out, fm, false, f->groups[g].column);
	bad |= pq_table_end(out, fm);
	for (size_t i = 0; i < t->n && !bad; i++) {
		row.len = 0;
		bad |= pq_table_escape(fm, t->text[i], strlen(t->text[i]), &row);
		for (size_t g = 0; g < f->n_groups; g++)
			bad |= strbuf_append_str(&row, sep) |
			       append_size(&row, pq_freq_cell(f, i, g)->occurrences);
		bad |= strbuf_append_str(&row, eol);
		if (!bad && fwrite(row.data, 1, row.len, out) != row.len)
			bad = 1;
	}
	strbuf_free(&row);
	return bad ? -1 : 0;
}

static json_object *json_size(size_t n)
{
	return json_object_new_int64((int64_t)n);
}

/* One object: its groups, then its "terms" written one row at a time, each row's JSON
 * freed once written, so that the JSON of every cell is never held at once. */
static int write_json(FILE *out, const pq_freq_t *f, const terms_t *t)
{
	json_object *head = json_object_new_object(), *groups = json_object_new_array(),
		    *o = NULL;
	int rc = -1;
	if (head == NULL || groups == NULL) {
		json_object_put(groups);
		goto out;
	}
	json_object_object_add(head, "by", json_object_new_string(pq_group_by_name(f->by)));
	json_object_object_add(head, "scope", json_object_new_string(pq_scope_name(f->scope)));
	json_object_object_add(head, "groups", groups);
	for (size_t g = 0; g < f->n_groups; g++) {
		const pq_group_t *grp = &f->groups[g];
		if ((o = json_object_new_object()) == NULL || json_object_array_add(groups, o) != 0)
			goto out;
		json_object_object_add(o, "city", json_object_new_string(grp->plan->city));
		json_object_object_add(o, "city_id", json_object_new_string(grp->plan->city_id));
		if (f->by == PQ_BY_DOCUMENT)
			json_object_object_add(o, "document", json_object_new_string(grp->column));
		if (f->by == PQ_BY_CHAPTER || f->by == PQ_BY_SECTION) {
			json_object_object_add(o, "id", json_object_new_string(grp->id));
			json_object_object_add(o, group_heading_name(f->by),
					       json_object_new_string(grp->heading));
		}
		json_object_object_add(o, "characters", json_size(grp->characters));
		o = NULL; /* the array's */
	}
	if (pq_json_open_array(out, head, "terms") != 0)
		goto out;
	for (size_t i = 0; i < t->n; i++) {
		json_object *cells = json_object_new_array();
		size_t occ = 0, pas = 0;
		if ((o = json_object_new_object()) == NULL || cells == NULL) {
			json_object_put(cells);
			goto out;
		}
		json_object_object_add(o, "term", json_object_new_string(t->text[i]));
		for (size_t g = 0; g < f->n_groups; g++) {
			const pq_freq_cell_t *c = pq_freq_cell(f, i, g);
			json_object *cell = json_object_new_object();
			if (cell == NULL || json_object_array_add(cells, cell) != 0) {
				json_object_put(cell);
				json_object_put(cells);
				goto out;
			}
			json_object_object_add(cell, "occurrences", json_size(c->occurrences));
			json_object_object_add(cell, "passages", json_size(c->passages));
			json_object_object_add(cell, "per_10k_chars",
					       json_object_new_double(pq_freq_per_10k(
						       c->occurrences, f->groups[g].characters)));
			occ += c->occurrences;
			pas += c->passages;
		}
		json_object_object_add(o, "occurrences", json_size(occ));
		json_object_object_add(o, "passages", json_size(pas));
		json_object_object_add(o, "groups", cells);
		if (pq_json_array_entry(out, o, i == 0) != 0)
			goto out;
		json_object_put(o);
		o = NULL;
	}
	rc = pq_json_close_array(out);
out:
	json_object_put(o);
	json_object_put(head);
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
	terms_t terms = {0};
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
	if (pq_cli_resolve_cities(index, (char *const *)a.cities, a.n_cities, &cities,
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
	int wrc = a.format == PQ_TABLE_JSON ? write_json(out->f, freq, &terms)
		  : (a.excel && fputs(PQ_TABLE_BOM, out->f) == EOF) ? -1
		  : a.wide ? write_wide(out->f, &a, freq, &terms)
			   : write_long(out->f, &a, freq, &terms);
	if (wrc != 0) {
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
	terms_free(&terms);
	free(a.cities);
	free(a.terms);
	return status;
}
