/* cmd_kwic.c: `policy-query kwic`, every occurrence of a query in its context (a concordance). */
#include "cli.h"
#include "escape.h"
#include "kwic.h"
#include "label.h"
#include "parse.h"
#include "status.h"
#include "strbuf.h"
#include "table.h"
#include "utf8.h"

#include <errno.h>
#include <json-c/json.h>
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

/* ---- text: aligned lines ---- */

/* Columns a terminal gives a code point: 2 for wide and full-width characters. */
static size_t columns(int32_t c)
{
	int w = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
	return w == U_EA_WIDE || w == U_EA_FULLWIDTH ? 2 : 1;
}

/* Append src[s,e) with tabs and line breaks as spaces and any other control or
 * bidirectional formatting character shown, not obeyed (<U+202E>, escape.h); returns its
 * width in columns. */
static size_t append_flat(strbuf_t *sb, const char *src, size_t s, size_t e)
{
	size_t width = 0;
	for (size_t i = s; i < e;) {
		size_t at = i;
		int32_t c = utf8_next(src, &i, e);
		if (c == '\n' || c == '\r' || c == '\t') {
			strbuf_append(sb, " ", 1);
			width++;
		} else if (c < 0 || util_char_is_unsafe(c)) {
			size_t before = sb->len;
			util_escape_text(sb, src + at, c < 0 ? 1 : i - at);
			width += sb->len - before; /* ASCII: a column a byte */
			i = c < 0 ? at + 1 : i;
		} else {
			strbuf_append(sb, src + at, i - at);
			width += columns(c);
		}
	}
	return width;
}

static int write_text(FILE *out, ps_store_t *index, const pq_kwic_t *k, char **error)
{
	size_t id_w = 0, line_w = 0, left_w = 0;
	char num[32];
	strbuf_t sb = STRBUF_INIT;
	for (size_t i = 0; i < k->n_lines; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		const char *src;
		size_t len, n = strlen(l->id), w = 0;
		if (ps_store_plan_source(index, l->plan, &src, &len, error) != 0)
			return -1;
		id_w = n > id_w ? n : id_w;
		n = (size_t)snprintf(num, sizeof num, "%d", l->line);
		line_w = n > line_w ? n : line_w;
		strbuf_t left = STRBUF_INIT; /* measured as it will be written */
		w = append_flat(&left, src, l->left, l->start);
		strbuf_free(&left);
		left_w = w > left_w ? w : left_w;
	}
	int bad = 0;
	for (size_t i = 0; i < k->n_lines && !bad; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		const char *src;
		size_t len;
		ps_store_plan_source(index, l->plan, &src, &len, error);
		strbuf_t left = STRBUF_INIT;
		size_t w = append_flat(&left, src, l->left, l->start);
		sb.len = 0;
		strbuf_printf(&sb, "%-*s %*d  %*s%s⟪", (int)id_w, l->id, (int)line_w, l->line,
			      (int)(left_w - w), "", left.data ? left.data : "");
		append_flat(&sb, src, l->start, l->end);
		strbuf_append_str(&sb, "⟫");
		append_flat(&sb, src, l->end, l->right);
		bad = sb.data == NULL || fputs(sb.data, out) == EOF || fputc('\n', out) == EOF;
		strbuf_free(&left);
	}
	/* the count per plan, as search reports hits (the lines come in plan order) */
	bad |= fprintf(out, "%s%zu occurrence%s", k->n_lines ? "\n" : "", k->n_lines,
		       k->n_lines == 1 ? "" : "s") < 0;
	strbuf_t label = STRBUF_INIT;
	for (size_t i = 0, first = 1; i < k->n_lines;) {
		const ps_plan_t *plan = k->lines[i].plan;
		size_t n = 0;
		for (; i < k->n_lines && k->lines[i].plan == plan; i++)
			n++;
		label.len = 0;
		if (pq_label_city(plan, &label) == 0) {
			bad |= fputs(first ? ": " : " · ", out) == EOF ||
			       util_fputs_escaped(out, label.data) != 0 ||
			       fprintf(out, " %zu", n) < 0;
			first = 0;
		}
	}
	strbuf_free(&label);
	bad |= fputc('\n', out) == EOF;
	strbuf_free(&sb);
	return bad ? -1 : 0; /* the caller names the file and the reason */
}

/* ---- csv, tsv, json ---- */

typedef struct fields {
	char line[32], start[32], end[32];
	char *section;
	const char *src;
} fields_t;

static int fields_of(ps_store_t *index, const pq_kwic_line_t *l, fields_t *f, char **error)
{
	const ps_outline_t *o;
	size_t len;
	strbuf_t sb = STRBUF_INIT;
	if (ps_store_plan_source(index, l->plan, &f->src, &len, error) != 0 ||
	    ps_store_plan_outline(index, l->plan, &o, error) != 0)
		return -1;
	snprintf(f->line, sizeof f->line, "%d", l->line);
	snprintf(f->start, sizeof f->start, "%zu", l->start);
	snprintf(f->end, sizeof f->end, "%zu", l->end);
	if (pq_label_section_path(o, l->section, &sb) != 0 ||
	    (f->section = strbuf_steal(&sb)) == NULL) {
		strbuf_free(&sb);
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	return 0;
}

static const char *const columns_names[] = {"city", "city_id", "id", "line", "section",
					    "left", "match", "right", "start", "end"};

static int write_table(FILE *out, ps_store_t *index, const pq_kwic_t *k, pq_table_format_t fm,
		       char **error)
{
	int bad = 0;
	for (size_t c = 0; c < 10; c++)
		bad |= pq_table_str(out, fm, c == 0, columns_names[c]);
	bad |= pq_table_end(out, fm);
	for (size_t i = 0; i < k->n_lines && !bad; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		fields_t f;
		if (fields_of(index, l, &f, error) != 0)
			return -1;
		bad |= pq_table_str(out, fm, true, l->plan->city) |
		       pq_table_str(out, fm, false, l->plan->city_id) |
		       pq_table_str(out, fm, false, l->id) | pq_table_str(out, fm, false, f.line) |
		       pq_table_str(out, fm, false, f.section) |
		       pq_table_field(out, fm, false, f.src + l->left, l->start - l->left) |
		       pq_table_field(out, fm, false, f.src + l->start, l->end - l->start) |
		       pq_table_field(out, fm, false, f.src + l->end, l->right - l->end) |
		       pq_table_str(out, fm, false, f.start) | pq_table_str(out, fm, false, f.end) |
		       pq_table_end(out, fm);
		free(f.section);
	}
	return bad ? -1 : 0; /* the caller names the file and the reason */
}

/* One object, its "occurrences" written one by one, each as it is made and then freed, so
 * that the JSON of every occurrence is never held at once. */
static int write_json(FILE *out, ps_store_t *index, const pq_kwic_t *k, const args_t *a,
		      const pq_query_t *q, char **error)
{
	json_object *head = json_object_new_object(), *o = NULL;
	int rc = -1;
	if (head == NULL)
		goto oom;
	json_object_object_add(head, "query", json_object_new_string(q->text));
	json_object_object_add(head, "scope", json_object_new_string(pq_scope_name(a->scope)));
	json_object_object_add(head, "width", json_object_new_int64((int64_t)a->width));
	json_object_object_add(head, "total", json_object_new_int64((int64_t)k->n_lines));
	if (pq_json_open_array(out, head, "occurrences") != 0)
		goto out; /* the caller names the file and the reason */
	for (size_t i = 0; i < k->n_lines; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		fields_t f;
		if ((o = json_object_new_object()) == NULL)
			goto oom;
		if (fields_of(index, l, &f, error) != 0)
			goto out;
		json_object_object_add(o, "city", json_object_new_string(l->plan->city));
		json_object_object_add(o, "city_id", json_object_new_string(l->plan->city_id));
		json_object_object_add(o, "id", json_object_new_string(l->id));
		json_object_object_add(o, "line", json_object_new_int(l->line));
		json_object_object_add(o, "section", json_object_new_string(f.section));
		const char *src = f.src;
		json_object_object_add(o, "left", json_object_new_string_len(
						       src + l->left, (int)(l->start - l->left)));
		json_object_object_add(o, "match", json_object_new_string_len(
							src + l->start, (int)(l->end - l->start)));
		json_object_object_add(o, "right", json_object_new_string_len(
							src + l->end, (int)(l->right - l->end)));
		json_object_object_add(o, "start", json_object_new_int64((int64_t)l->start));
		json_object_object_add(o, "end", json_object_new_int64((int64_t)l->end));
		json_object_object_add(o, "file", json_object_new_string(l->plan->file));
		free(f.section);
		if (pq_json_array_entry(out, o, i == 0) != 0)
			goto out;
		json_object_put(o);
		o = NULL;
	}
	if (pq_json_close_array(out) != 0)
		goto out;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	json_object_put(o);
	json_object_put(head);
	return rc;
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
	if (pq_cli_resolve_cities(index, (char *const *)a.cities, a.n_cities, &cities,
				  &a.n_cities) != 0)
		goto done;
	status = PQ_EXIT_FAILED;
	pq_kwic_request_t req = {.query = query, .scope = a.scope, .cities = cities,
				 .n_cities = a.n_cities, .width = a.width};
	if (pq_kwic_run(index, &req, &kwic, &error) != 0 ||
	    pq_outfile_open(a.output, &out, &error) != 0)
		goto failed;
	int wrc = a.excel && fputs(PQ_TABLE_BOM, out->f) == EOF ? -1
		  : a.format == PQ_TABLE_TEXT ? write_text(out->f, index, kwic, &error)
		  : a.format == PQ_TABLE_JSON ? write_json(out->f, index, kwic, &a, query, &error)
					      : write_table(out->f, index, kwic, a.format, &error);
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
	pq_kwic_free(kwic);
	free(cities);
	ps_store_close(index);
	pq_query_free(query);
	free(a.cities);
	free(a.query);
	return status;
}
