/* output.c: text and JSON renderings of search results. */
#include "output.h"
#include "partial.h"

#include "escape.h"
#include "ids.h"
#include "label.h"
#include "printed.h"
#include "rows.h"
#include "strbuf.h"
#include "table.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#define HIGHLIGHT_ON "\033[1;31m"
#define HIGHLIGHT_OFF "\033[0m"
#define DIM_ON "\033[2m"

int pq_format_parse(const char *name, pq_format_t *out)
{
	if (strcmp(name, "text") == 0)
		*out = PQ_FORMAT_TEXT;
	else if (strcmp(name, "json") == 0)
		*out = PQ_FORMAT_JSON;
	else if (strcmp(name, "csv") == 0)
		*out = PQ_FORMAT_CSV;
	else if (strcmp(name, "tsv") == 0)
		*out = PQ_FORMAT_TSV;
	else
		return -1;
	return 0;
}

static const char *unit_name(pq_unit_t unit)
{
	static const char *const names[] = {"clause", "heading", "paragraph", "section"};
	return names[unit];
}

/* The label of a chapter facet: its heading, or "(preamble)"; with the chapter's path when
 * `twice` (another chapter of the plan has the same heading). */
static int chapter_label(const pq_facet_t *f, bool twice, strbuf_t *key)
{
	key->len = 0;
	int rc = f->chapter == 0 ? strbuf_append_str(key, "(preamble)")
				 : pq_label_section_heading(&f->heading, key);
	if (rc == 0 && twice)
		rc = strbuf_printf(key, " [%s/%s]", f->plan->city_id, f->heading.path);
	return rc;
}

/* Counts per city and per city and chapter, in plan and text order, over every hit (the
 * results' facets); cities and chapters without a hit are left out. */
static json_object *facets(const pq_results_t *r, char **error)
{
	json_object *root = json_object_new_object(), *city = json_object_new_object(),
		    *chapter = json_object_new_object();
	strbuf_t key = STRBUF_INIT;

	if (root == NULL || city == NULL || chapter == NULL) {
		json_object_put(city);
		json_object_put(chapter);
		goto oom;
	}
	json_object_object_add(root, "city", city);
	json_object_object_add(root, "chapter", chapter);
	/* facets come in plan order, then chapter order, and name their chapters: no outline
	 * is read for them */
	for (size_t i = 0; i < r->n_facets;) {
		const ps_plan_t *plan = r->facets[i].plan;
		json_object *chapters = json_object_new_object();
		int64_t in_plan = 0;
		key.len = 0;
		if (chapters == NULL || pq_label_city(plan, &key) != 0) {
			json_object_put(chapters);
			goto oom;
		}
		/* a city counts as one, unless it has several plans: each is named then */
		json_object_object_add(chapter, key.data, chapters);
		for (; i < r->n_facets && r->facets[i].plan == plan; i++) {
			const pq_facet_t *f = &r->facets[i];
			if (chapter_label(f, false, &key) != 0 ||
			    (json_object_object_get_ex(chapters, key.data, NULL) &&
			     chapter_label(f, true, &key) != 0))
				goto oom;
			json_object_object_add(chapters, key.data,
					       json_object_new_int64((int64_t)f->count));
			in_plan += (int64_t)f->count;
		}
		key.len = 0;
		if (pq_label_city(plan, &key) != 0)
			goto oom;
		json_object_object_add(city, key.data, json_object_new_int64(in_plan));
	}
	strbuf_free(&key);
	return root;
oom:
	strbuf_printf_new(error, "out of memory");
	strbuf_free(&key);
	json_object_put(root);
	return NULL;
}

/* A hit's text is indented by four spaces, every line of it; an empty line gets none.
 * *bol: at the start of a line whose indent is not written yet. */
static void indent(FILE *out, bool *bol)
{
	if (*bol) {
		fputs("    ", out);
		*bol = false;
	}
}

/* Bytes [start, end) of a plan's source as text output shows them (printed.h), escaped
 * (escape.h), each line indented; tmp is scratch. */
static void write_printed(FILE *out, const char *src, size_t src_len, size_t start, size_t end,
			  strbuf_t *tmp, bool *bol)
{
	tmp->len = 0;
	pq_printed_append(tmp, src, src_len, start, end);
	const char *p = tmp->data ? tmp->data : "", *stop = p + tmp->len;
	while (p < stop) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(stop - p);
		if (n > 0) {
			indent(out, bol);
			util_fput_escaped(out, p, n);
		}
		if (nl == NULL)
			break;
		fputc('\n', out);
		*bol = true;
		p = nl + 1;
	}
}

/* The first byte at or after `at` that starts a UTF-8 character (at most `end`). */
static size_t char_start(const char *src, size_t at, size_t end)
{
	while (at < end && ((unsigned char)src[at] & 0xC0) == 0x80)
		at++;
	return at;
}

/* The parts of a long hit text output shows: [from[i], to[i]) for i < n, source bytes
 * around the first matches, merged where they touch. Returns n (at most
 * PQ_SNIPPET_MATCHES); 0 when the hit is to be shown whole. */
static size_t snippet(const pq_output_options_t *o, const pq_hit_t *hit, const char *src,
		      size_t len, size_t *from, size_t *to)
{
	if (o->full || hit->unit == PQ_UNIT_CLAUSE || hit->unit == PQ_UNIT_HEADING ||
	    len <= PQ_SNIPPET_MIN || hit->n_matches == 0)
		return 0;
	size_t n = 0, start = hit->start, end = hit->start + len;
	for (size_t m = 0; m < hit->n_matches; m++) {
		size_t ms = start + hit->matches[m].start, me = start + hit->matches[m].end;
		size_t f = ms > start + PQ_SNIPPET_CONTEXT ? ms - PQ_SNIPPET_CONTEXT : start;
		size_t t = me + PQ_SNIPPET_CONTEXT < end ? me + PQ_SNIPPET_CONTEXT : end;
		f = char_start(src, f, ms);
		t = char_start(src, t, end);
		if (n > 0 && f <= to[n - 1]) {
			to[n - 1] = t > to[n - 1] ? t : to[n - 1];
			continue;
		}
		if (n == PQ_SNIPPET_MATCHES)
			break;
		from[n] = f;
		to[n++] = t;
	}
	return n;
}

/* Characters (UTF-8 code points) in the parts [from[i], to[i]) of src. */
static size_t snippet_chars(const char *src, const size_t *from, const size_t *to, size_t n)
{
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t b = from[i]; b < to[i]; b++)
			chars += ((unsigned char)src[b] & 0xC0) != 0x80;
	return chars;
}

/* Bytes [from, to) of a plan's source (src) as text output shows them, with the parts that
 * hit's matches cover marked (matches are relative to hit->start). */
static void write_marked(FILE *out, const char *src, size_t src_len, const pq_hit_t *hit,
			 size_t from, size_t to, const char *on, const char *off, strbuf_t *tmp,
			 bool *bol)
{
	size_t at = from;
	for (size_t m = 0; m < hit->n_matches; m++) {
		size_t ms = hit->start + hit->matches[m].start, me = hit->start + hit->matches[m].end;
		if (me <= at || ms >= to)
			continue;
		if (ms < at)
			ms = at;
		if (me > to)
			me = to;
		write_printed(out, src, src_len, at, ms, tmp, bol);
		indent(out, bol);
		fputs(on, out);
		write_printed(out, src, src_len, ms, me, tmp, bol);
		fputs(off, out);
		at = me;
	}
	write_printed(out, src, src_len, at, to, tmp, bol);
}

/* A row hit's text: its label, then each other column's header and cell, the matches in
 * the cells marked with on/off, indented as every hit's text is. */
static void write_row_text(FILE *out, const char *src, const ps_outline_t *outline,
			   const pq_hit_t *hit, const char *on, const char *off, strbuf_t *tmp)
{
	bool bol = true;
	const ps_table_t *t = &outline->tables[hit->table];
	const ps_table_row_t *row = &t->rows[hit->row];
	int order[SEG_TABLE_MAX_COLUMNS];
	size_t n = pq_row_order(t, order);
	for (size_t k = 0; k < n; k++) {
		const ps_table_cell_t *cell = &row->cells[order[k]];
		if (k > 0) {
			tmp->len = 0;
			strbuf_append_str(tmp, " · ");
			pq_row_header(src, t, (size_t)order[k], tmp);
			strbuf_append_str(tmp, ": ");
			indent(out, &bol);
			util_fput_escaped(out, tmp->data ? tmp->data : "", tmp->len);
		}
		write_marked(out, src, hit->plan->bytes, hit, cell->start, cell->end, on, off, tmp,
			     &bol);
	}
}

/* --any: "matched: 课后服务 · 服务 · ~校外培训", and at paragraph scope the clause that
 * stands for the paragraph and its other clauses that hold a unit. */
static int write_hit_units(FILE *out, const pq_output_options_t *o, const pq_hit_t *hit)
{
	if (hit->n_units == 0 && hit->n_clauses == 0)
		return 0;
	fprintf(out, "    %s", o->color ? DIM_ON : "");
	const char *sep = "matched: ";
	for (size_t i = 0; i < hit->n_units; i++) {
		fputs(sep, out);
		util_fputs_escaped(out, hit->units[i]);
		sep = " · ";
	}
	if (hit->n_clauses > 0) {
		fprintf(out, "%sbest clause %s", hit->n_units ? "; " : "", hit->clauses[0]);
		for (size_t i = 1; i < hit->n_clauses; i++)
			fprintf(out, "%s%s", i == 1 ? ", also " : ", ", hit->clauses[i]);
	}
	fprintf(out, "%s\n", o->color ? HIGHLIGHT_OFF : "");
	return 0;
}

static int write_hit_text(FILE *out, ps_store_t *index, const pq_output_options_t *o,
			  size_t number, pq_hit_t *hit, char **error)
{
	const ps_outline_t *outline;
	strbuf_t line = STRBUF_INIT;
	size_t len;
	const char *text;
	if (pq_hit_find_matches(index, o->request, hit, error) != 0 ||
	    ps_store_plan_outline(index, hit->plan, &outline, error) != 0 ||
	    (text = pq_hit_text(index, hit, &len, error)) == NULL)
		return -1;
	/* what comes from the plans (names, headings, text) is escaped: a control or
	 * bidirectional formatting character in it is shown, not obeyed (escape.h); only our
	 * own colours are written as they are */
	strbuf_printf(&line, "%s · ", hit->plan->city);
	pq_label_document(hit->plan, &line);
	fprintf(out, "%s[%zu] ", o->color ? "\033[1m" : "", number);
	util_fputs_escaped(out, line.data ? line.data : "");
	fprintf(out, "%s\n    ", o->color ? HIGHLIGHT_OFF : "");
	line.len = 0;
	pq_label_section_path(outline, hit->section, &line);
	if (hit->in_row) { /* the table's title ends the path */
		const ps_table_cell_t *title = &outline->tables[hit->table].title;
		strbuf_append_str(&line, " › ");
		strbuf_append(&line, text - hit->start + title->start, title->end - title->start);
	}
	util_fputs_escaped(out, line.data ? line.data : "");
	fprintf(out, "\n    %s", o->color ? DIM_ON : "");
	line.len = 0;
	if (hit->in_row) { /* the row's id, then the cell's, which counts and cites as before */
		const ps_table_t *t = &outline->tables[hit->table];
		ps_id_row(&line, hit->plan->city_id, outline->sections[t->section].path, t->ordinal,
			  hit->row + 1);
		strbuf_printf(&line, " (%s) · %s line %d · score %.2f", hit->id, hit->plan->file,
			      t->rows[hit->row].line, hit->score);
	} else {
		strbuf_printf(&line, "%s · %s line %d · score %.2f", hit->id, hit->plan->file,
			      hit->line, hit->score);
	}
	util_fputs_escaped(out, line.data ? line.data : "");
	fprintf(out, "%s\n", o->color ? HIGHLIGHT_OFF : "");
	if (write_hit_units(out, o, hit) != 0)
		return -1;

	/* the text with every match marked, and the source's breaks inside a sentence as ⏎;
	 * a long paragraph or section as the parts around its first matches */
	const char *src = text - hit->start;
	const char *on = o->color ? HIGHLIGHT_ON : o->markers ? PQ_MARK_OPEN : "";
	const char *off = o->color ? HIGHLIGHT_OFF : o->markers ? PQ_MARK_CLOSE : "";
	size_t from[PQ_SNIPPET_MATCHES], to[PQ_SNIPPET_MATCHES];
	if (hit->in_row) { /* the row, not the cell: label, then each header and its cell */
		write_row_text(out, src, outline, hit, on, off, &line);
		fputs("\n\n", out);
		strbuf_free(&line);
		return 0;
	}
	size_t parts = snippet(o, hit, src, len, from, to), m = 0;
	if (parts == 0) {
		from[0] = hit->start;
		to[0] = hit->start + len;
	}
	bool bol = true;
	for (size_t p = 0; p < (parts ? parts : 1); p++) {
		size_t at = from[p];
		if (p > 0 || at > hit->start) {
			indent(out, &bol);
			fputs("… ", out);
		}
		for (; m < hit->n_matches && hit->start + hit->matches[m].start < to[p]; m++) {
			size_t ms = hit->start + hit->matches[m].start;
			size_t me = hit->start + hit->matches[m].end;
			write_printed(out, src, hit->plan->bytes, at, ms, &line, &bol);
			indent(out, &bol);
			fputs(on, out);
			write_printed(out, src, hit->plan->bytes, ms, me, &line, &bol);
			fputs(off, out);
			at = me;
		}
		write_printed(out, src, hit->plan->bytes, at, to[p], &line, &bol);
		if (to[p] < hit->start + len) {
			indent(out, &bol);
			fputs(" …", out);
		}
		if (p + 1 < parts) {
			fputc('\n', out);
			bol = true;
		}
	}
	if (parts > 0)
		fprintf(out, "\n    %s(%zu of %zu characters shown; --full shows the whole %s)%s",
			o->color ? DIM_ON : "", snippet_chars(src, from, to, parts),
			snippet_chars(src, &hit->start, &(size_t){hit->start + len}, 1),
			hit->unit == PQ_UNIT_PARAGRAPH ? "paragraph" : "section",
			o->color ? HIGHLIGHT_OFF : "");
	fputs("\n\n", out);
	strbuf_free(&line);
	return 0;
}

/* A row hit's "row": its id and line, its table ({"number":"","title","path":"<section>/t<j>"}, which also
 * ends the hit's "section"), its text as one line (pq_row_line), label, unit, attribute and
 * cells (header, value as printed, number and comparator where it reads as one, bytes and
 * line). NULL when memory runs out. */
static json_object *row_json(const char *src, const ps_outline_t *outline, const pq_hit_t *hit)
{
	const ps_table_t *t = &outline->tables[hit->table];
	const ps_table_row_t *r = &t->rows[hit->row];
	strbuf_t sb = STRBUF_INIT;
	json_object *o = json_object_new_object(), *table = json_object_new_object();
	json_object *cells = json_object_new_array();
	if (o == NULL || table == NULL || cells == NULL)
		goto oom;
	if (ps_id_row(&sb, hit->plan->city_id, outline->sections[t->section].path, t->ordinal,
		      hit->row + 1) != 0)
		goto oom;
	json_object_object_add(o, "id", json_object_new_string(sb.data));
	json_object_object_add(o, "line", json_object_new_int(r->line));
	sb.len = 0;
	json_object_object_add(table, "number", json_object_new_string(""));
	json_object_object_add(table, "title", json_object_new_string_len(
		src + t->title.start, (int)(t->title.end - t->title.start)));
	if (strbuf_printf(&sb, "%s/t%d", outline->sections[t->section].path, t->ordinal) != 0)
		goto oom;
	json_object_object_add(table, "path", json_object_new_string(sb.data));
	json_object_object_add(o, "table", table);
	table = NULL;
	sb.len = 0;
	if (pq_row_line(src, t, r, &sb) != 0)
		goto oom;
	json_object_object_add(o, "text", json_object_new_string_len(sb.data ? sb.data : "",
								      (int)sb.len));
	size_t name_len;
	const char *name = pq_row_name(src, t, r, &name_len);
	json_object_object_add(o, "indicator", json_object_new_string_len(name, (int)name_len));
	json_object_object_add(o, "unit", json_object_new_string(r->unit));
	json_object_object_add(o, "attribute",
			       json_object_new_string(seg_attribute_name(r->attribute)));
	int order[SEG_TABLE_MAX_COLUMNS];
	size_t n = pq_row_order(t, order);
	for (size_t k = 0; k < n; k++) {
		const ps_table_cell_t *c = &r->cells[order[k]];
		json_object *cell = json_object_new_object();
		if (cell == NULL)
			goto oom;
		sb.len = 0;
		pq_row_header(src, t, (size_t)order[k], &sb);
		json_object_object_add(cell, "header",
				       json_object_new_string_len(sb.data ? sb.data : "", (int)sb.len));
		json_object_object_add(cell, "role", json_object_new_string(
			seg_column_role_name(t->columns[order[k]].role)));
		json_object_object_add(cell, "value", json_object_new_string_len(
			src + c->start, (int)(c->end - c->start)));
		if (c->has_number) {
			json_object_object_add(cell, "number", pq_json_number(c->number));
			json_object_object_add(cell, "comparator",
					       json_object_new_string(seg_cmp_symbol(c->cmp)));
		}
		json_object_object_add(cell, "start", json_object_new_int64((int64_t)c->start));
		json_object_object_add(cell, "end", json_object_new_int64((int64_t)c->end));
		json_object_object_add(cell, "line", json_object_new_int(c->line));
		json_object_array_add(cells, cell);
	}
	json_object_object_add(o, "cells", cells);
	strbuf_free(&sb);
	return o;
oom:
	strbuf_free(&sb);
	json_object_put(o);
	json_object_put(table);
	json_object_put(cells);
	return NULL;
}

static json_object *hit_json(ps_store_t *index, const pq_hit_t *hit, char **error)
{
	const ps_outline_t *outline;
	size_t len;
	const char *text = pq_hit_text(index, hit, &len, error);
	if (text == NULL || ps_store_plan_outline(index, hit->plan, &outline, error) != 0)
		return NULL;
	json_object *o = json_object_new_object();
	strbuf_t doc = STRBUF_INIT;
	if (o == NULL)
		return NULL;
	pq_label_document(hit->plan, &doc);
	json_object_object_add(o, "id", json_object_new_string(hit->id));
	json_object_object_add(o, "unit", json_object_new_string(unit_name(hit->unit)));
	json_object_object_add(o, "city", json_object_new_string(hit->plan->city));
	json_object_object_add(o, "city_id", json_object_new_string(hit->plan->city_id));
	json_object_object_add(o, "province", json_object_new_string(hit->plan->province));
	json_object_object_add(o, "document", json_object_new_string(doc.data ? doc.data : ""));
	json_object_object_add(o, "document_title_supplied",
			       json_object_new_boolean(hit->plan->title_supplied));
	strbuf_free(&doc);
	json_object *path = json_object_new_array();
	int chain[64], n = 0;
	for (int s = hit->section; s > 0 && n < 64; s = outline->sections[s].parent)
		chain[n++] = s;
	for (int k = n - 1; k >= 0; k--) {
		const ps_section_t *s = &outline->sections[chain[k]];
		json_object *entry = json_object_new_object();
		json_object_object_add(entry, "number", json_object_new_string(s->number));
		json_object_object_add(entry, "title", json_object_new_string(s->title));
		json_object_object_add(entry, "path", json_object_new_string(s->path));
		json_object_array_add(path, entry);
	}
	json_object *row = NULL;
	if (hit->in_row) {
		if ((row = row_json(text - hit->start, outline, hit)) == NULL) {
			json_object_put(path);
			json_object_put(o);
			strbuf_printf_new(error, "out of memory");
			return NULL;
		}
		json_object_array_add(path, json_object_get(json_object_object_get(row, "table")));
	}
	json_object_object_add(o, "section", path);
	json_object_object_add(o, "text", json_object_new_string_len(text, (int)len));
	if (row != NULL)
		json_object_object_add(o, "row", row);
	json_object_object_add(o, "file", json_object_new_string(hit->plan->file));
	json_object_object_add(o, "start", json_object_new_int64((int64_t)hit->start));
	json_object_object_add(o, "end", json_object_new_int64((int64_t)hit->end));
	json_object_object_add(o, "line", json_object_new_int(hit->line));
	json_object_object_add(o, "score", json_object_new_double(hit->score));
	json_object *matches = json_object_new_array();
	for (size_t m = 0; m < hit->n_matches; m++) {
		json_object *pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_int64((int64_t)hit->matches[m].start));
		json_object_array_add(pair, json_object_new_int64((int64_t)hit->matches[m].end));
		json_object_array_add(matches, pair);
	}
	json_object_object_add(o, "matches", matches);
	if (hit->units != NULL) {
		json_object *u = json_object_new_array();
		for (size_t i = 0; i < hit->n_units; i++)
			json_object_array_add(u, json_object_new_string(hit->units[i]));
		json_object_object_add(o, "matched_units", u);
	}
	if (hit->clauses != NULL) {
		json_object *c = json_object_new_array();
		for (size_t i = 0; i < hit->n_clauses; i++)
			json_object_array_add(c, json_object_new_string(hit->clauses[i]));
		json_object_object_add(o, "clauses", c);
	}
	return o;
}

/* ---- CSV and TSV: one row per hit ---- */

static const char *const row_columns[] = {"id", "city", "city_id", "province", "document",
					   "section", "text", "file", "line", "start", "end",
					   "score", "matches", NULL};

static int write_row_head(FILE *out, const pq_output_options_t *o)
{
	pq_table_format_t t = o->format == PQ_FORMAT_CSV ? PQ_TABLE_CSV : PQ_TABLE_TSV;
	if (o->excel && fputs(PQ_TABLE_BOM, out) == EOF)
		return -1;
	for (size_t c = 0; row_columns[c] != NULL; c++)
		if (pq_table_str(out, t, c == 0, row_columns[c]) != 0)
			return -1;
	return pq_table_end(out, t);
}

/* Returns 0; -1 with *error set when the index cannot be read, or with errno when a write
 * fails (*error untouched). */
static int write_row(FILE *out, ps_store_t *index, const pq_output_options_t *o,
		     const pq_hit_t *hit, char **error)
{
	pq_table_format_t t = o->format == PQ_FORMAT_CSV ? PQ_TABLE_CSV : PQ_TABLE_TSV;
	const ps_outline_t *outline;
	size_t len;
	const char *text = pq_hit_text(index, hit, &len, error);
	if (text == NULL || ps_store_plan_outline(index, hit->plan, &outline, error) != 0)
		return -1;
	strbuf_t doc = STRBUF_INIT, path = STRBUF_INIT, num = STRBUF_INIT;
	pq_label_document(hit->plan, &doc);
	pq_label_section_path(outline, hit->section, &path);
	if (hit->in_row) { /* the table's title ends the path, as in text and JSON */
		const ps_table_cell_t *title = &outline->tables[hit->table].title;
		strbuf_append_str(&path, " › ");
		strbuf_append(&path, text - hit->start + title->start, title->end - title->start);
	}
	int rc = pq_table_str(out, t, true, hit->id) | pq_table_str(out, t, false, hit->plan->city) |
		 pq_table_str(out, t, false, hit->plan->city_id) |
		 pq_table_str(out, t, false, hit->plan->province) |
		 pq_table_field(out, t, false, doc.data ? doc.data : "", doc.len) |
		 pq_table_field(out, t, false, path.data ? path.data : "", path.len) |
		 pq_table_field(out, t, false, text, len) |
		 pq_table_str(out, t, false, hit->plan->file);
	strbuf_printf(&num, "%d", hit->line);
	rc |= pq_table_field(out, t, false, num.data, num.len);
	num.len = 0;
	strbuf_printf(&num, "%zu", hit->start);
	rc |= pq_table_field(out, t, false, num.data, num.len);
	num.len = 0;
	strbuf_printf(&num, "%zu", hit->end);
	rc |= pq_table_field(out, t, false, num.data, num.len);
	num.len = 0;
	strbuf_printf(&num, "%.6g", hit->score);
	rc |= pq_table_field(out, t, false, num.data, num.len);
	num.len = 0;
	for (size_t m = 0; m < hit->n_matches; m++)
		strbuf_printf(&num, "%s%zu-%zu", m ? " " : "", hit->matches[m].start,
			      hit->matches[m].end);
	rc |= pq_table_field(out, t, false, num.data ? num.data : "", num.len);
	rc |= pq_table_end(out, t);
	strbuf_free(&doc);
	strbuf_free(&path);
	strbuf_free(&num);
	return rc != 0 ? -1 : 0;
}

/* ---- the writer: the counts, then each hit as it comes, then the end ---- */

struct pq_output {
	FILE *out;
	ps_store_t *index;
	pq_output_options_t options;
	bool head_written;
	size_t total, offset; /* from the head */
	size_t written;       /* hits written so far */
	pq_facet_t *facets;   /* text: the counts, written after the hits (a copy) */
	size_t n_facets;
	pq_scope_t scope;
	const pq_suggestions_t *suggestions; /* borrowed; NULL for none */
};

void pq_output_suggest(pq_output_t *w, const pq_suggestions_t *suggestions)
{
	w->suggestions = suggestions;
}

/* The suggestions as JSON, or NULL for none. */
static json_object *suggestions_json(const pq_suggestions_t *s)
{
	if (s == NULL || s->n == 0)
		return NULL;
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < s->n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "kind", json_object_new_string(s->items[i].kind));
		json_object_object_add(o, "message", json_object_new_string(s->items[i].message));
		json_object_object_add(o, "query", s->items[i].query
							 ? json_object_new_string(s->items[i].query)
							 : NULL);
		json_object_array_add(list, o);
	}
	return list;
}

/* The suggestions for people: "nothing matched literally:", then one line each. */
static void write_suggestions_text(FILE *out, const pq_suggestions_t *s)
{
	if (s == NULL || s->n == 0)
		return;
	fputs("Nothing matched literally. What the index holds:\n", out);
	for (size_t i = 0; i < s->n; i++) {
		fputs("  - ", out);
		util_fputs_escaped(out, s->items[i].message);
		if (s->items[i].query != NULL) {
			fputs("\n      policy-query ", out);
			util_fputs_escaped(out, s->items[i].query);
		}
		fputc('\n', out);
	}
}

ps_status_t pq_output_open(FILE *out, ps_store_t *index, const pq_output_options_t *options,
		   pq_output_t **w, char **error)
{
	pq_output_t *n = calloc(1, sizeof *n);
	if (n == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_IO;
	}
	*n = (pq_output_t){.out = out, .index = index, .options = *options};
	*w = n;
	return PS_OK;
}

/* "cannot write the results: <why>", with the errno of the write that failed */
static int write_failed(char **error)
{
	strbuf_printf_new(error, "cannot write the results: %s", strerror(errno ? errno : EIO));
	return -1;
}

/* What was searched besides the words typed: {"~双减": [its terms], "thesaurus": [the
 * variants --any added]}; NULL when nothing was. */
static json_object *also_json(const pq_request_t *req, const pq_results_t *counts)
{
	json_object *o = NULL;
	const pq_query_t *q = req ? req->query : NULL;
	for (size_t i = 0; q != NULL && i < q->n_terms; i++) {
		const char *c = q->terms[i].concept;
		if (c == NULL)
			continue;
		if (o == NULL)
			o = json_object_new_object();
		json_object *list;
		if (!json_object_object_get_ex(o, c, &list)) {
			list = json_object_new_array();
			json_object_object_add(o, c, list);
		}
		json_object_array_add(list, json_object_new_string(q->terms[i].norm));
	}
	if (counts->n_also > 0) {
		if (o == NULL)
			o = json_object_new_object();
		json_object *list = json_object_new_array();
		for (size_t i = 0; i < counts->n_also; i++)
			json_object_array_add(list, json_object_new_string(counts->also[i]));
		json_object_object_add(o, "thesaurus", list);
	}
	return o;
}

/* The same for people, before the hits: "~双减 searched as: 双减 · 减负 · …" and "also
 * searched (thesaurus): …". */
static void write_also_text(FILE *out, const pq_request_t *req, const pq_results_t *counts)
{
	const pq_query_t *q = req ? req->query : NULL;
	const char *open = NULL;
	for (size_t i = 0; q != NULL && i < q->n_terms; i++) {
		const char *c = q->terms[i].concept;
		if (c == NULL)
			continue;
		if (open == NULL || strcmp(open, c) != 0) {
			fputs(open ? "\n" : "", out);
			util_fputs_escaped(out, c);
			fputs(" searched as: ", out);
		} else {
			fputs(" · ", out);
		}
		util_fputs_escaped(out, q->terms[i].norm);
		open = c;
	}
	if (open != NULL)
		fputs("\n", out);
	for (size_t i = 0; i < counts->n_also; i++) {
		fputs(i == 0 ? "also searched (thesaurus variants, weighed less): " : " · ", out);
		util_fputs_escaped(out, counts->also[i]);
	}
	if (counts->n_also > 0)
		fputs("\n\n", out);
	else if (open != NULL)
		fputs("\n", out);
}

ps_status_t pq_output_head(pq_output_t *w, const pq_results_t *counts, char **error)
{
	w->head_written = true;
	w->total = counts->total;
	w->offset = counts->offset;
	if (w->options.format == PQ_FORMAT_TEXT) { /* the counts come after the hits */
		write_also_text(w->out, w->options.request, counts);
		size_t n = counts->n_facets;
		w->facets = malloc((n ? n : 1) * sizeof *w->facets);
		if (w->facets == NULL) {
			strbuf_printf_new(error, "out of memory");
			return PS_ERR_IO;
		}
		if (n > 0)
			memcpy(w->facets, counts->facets, n * sizeof *w->facets);
		w->n_facets = n;
		return PS_OK;
	}
	if (w->options.format == PQ_FORMAT_CSV || w->options.format == PQ_FORMAT_TSV) {
		if (write_row_head(w->out, &w->options) != 0) {
			write_failed(error);
			return PS_ERR_IO;
		}
		return PS_OK;
	}
	json_object *f = facets(counts, error);
	if (f == NULL)
		return PS_ERR_IO;
	/* JSON: the object up to its "hits", whose entries follow one by one */
	json_object *root = json_object_new_object();
	int rc = -1;
	if (root == NULL) {
		json_object_put(f);
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_IO;
	}
	json_object_object_add(root, "query",
			       json_object_new_string(w->options.query ? w->options.query : ""));
	json_object_object_add(root, "scope",
			       json_object_new_string(pq_scope_name(w->options.request->scope)));
	json_object_object_add(root, "total", json_object_new_uint64(counts->total));
	json_object_object_add(root, "offset", json_object_new_uint64(counts->offset));
	json_object_object_add(root, "facets", f);
	json_object *sugg = suggestions_json(w->suggestions);
	if (sugg != NULL)
		json_object_object_add(root, "suggestions", sugg);
	json_object *also = also_json(w->options.request, counts);
	if (also != NULL)
		json_object_object_add(root, "also_searched", also);
	if (pq_json_note_partial(root, w->index) != 0 ||
	    pq_json_open_array(w->out, root, "hits") != 0)
		write_failed(error);
	else
		rc = 0;
	json_object_put(root);
	return rc == 0 ? PS_OK : PS_ERR_IO;
}

ps_status_t pq_output_hit(pq_output_t *w, pq_hit_t *hit, char **error)
{
	const pq_output_options_t *o = &w->options;
	size_t first = w->offset < w->total ? w->offset : w->total;
	if (o->format == PQ_FORMAT_TEXT) {
		if (write_hit_text(w->out, w->index, o, first + ++w->written, hit, error) != 0)
			return PS_ERR_IO;
		if (ferror(w->out)) {
			write_failed(error);
			return PS_ERR_IO;
		}
		return PS_OK;
	}
	if (pq_hit_find_matches(w->index, o->request, hit, error) != 0)
		return PS_ERR_IO;
	if (o->format == PQ_FORMAT_CSV || o->format == PQ_FORMAT_TSV) {
		errno = 0;
		if (write_row(w->out, w->index, o, hit, error) != 0) {
			if (*error == NULL)
				write_failed(error);
			return PS_ERR_IO;
		}
		w->written++;
		return PS_OK;
	}
	json_object *h = hit_json(w->index, hit, error);
	if (h == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_IO;
	}
	int rc = pq_json_array_entry(w->out, h, w->written++ == 0) != 0 ? write_failed(error) : 0;
	json_object_put(h);
	return rc == 0 ? PS_OK : PS_ERR_IO;
}

/* Cities the text output names with their counts; past this many, the ones with most hits
 * (a search over every city's plans would otherwise print thousands), and a note of the
 * rest, which JSON output lists whole. */
#define TEXT_CITIES 12

/* A city (a plan) with hits, for the text summary: its facets [first, end). */
typedef struct city_count {
	size_t first, end, count;
} city_count_t;

static int cmp_city_count(const void *a, const void *b)
{
	const city_count_t *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_city_first(const void *a, const void *b)
{
	const city_count_t *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* The count of every hit per city and chapter, after the hits. */
static int write_text_counts(pq_output_t *w)
{
	static const char *const units[] = {"passage", "paragraph", "section"};
	FILE *out = w->out;
	size_t total = w->total, first = w->offset < total ? w->offset : total;
	size_t end = first + w->written, n_cities = 0;
	city_count_t *cities = malloc((w->n_facets ? w->n_facets : 1) * sizeof *cities);
	strbuf_t key = STRBUF_INIT;
	if (cities == NULL)
		return -1;
	for (size_t i = 0; i < w->n_facets;) {
		city_count_t c = {i, i, 0};
		for (; c.end < w->n_facets && w->facets[c.end].plan == w->facets[i].plan; c.end++)
			c.count += w->facets[c.end].count;
		cities[n_cities++] = c;
		i = c.end;
	}
	size_t shown = n_cities;
	if (n_cities > TEXT_CITIES) { /* the most hits (the first TEXT_CITIES kept sorted) */
		qsort(cities, TEXT_CITIES, sizeof *cities, cmp_city_count);
		for (size_t c = TEXT_CITIES; c < n_cities; c++) {
			if (cmp_city_count(&cities[c], &cities[TEXT_CITIES - 1]) >= 0)
				continue;
			size_t at = TEXT_CITIES - 1;
			while (at > 0 && cmp_city_count(&cities[c], &cities[at - 1]) < 0)
				at--;
			memmove(cities + at + 1, cities + at,
				(TEXT_CITIES - 1 - at) * sizeof *cities);
			cities[at] = cities[c];
		}
		shown = TEXT_CITIES; /* then in index order */
		qsort(cities, shown, sizeof *cities, cmp_city_first);
	}
	fprintf(out, "%zu %s%s", total, units[w->options.request->scope], total == 1 ? "" : "s");
	const char *sep = ": ";
	for (size_t c = 0; c < shown; c++) {
		key.len = 0;
		pq_label_city(w->facets[cities[c].first].plan, &key);
		fputs(sep, out);
		util_fput_escaped(out, key.data ? key.data : "", key.len);
		fprintf(out, " %zu", cities[c].count);
		sep = " · ";
	}
	if (shown < n_cities)
		fprintf(out, " · and %zu more %s (--format json counts every one)",
			n_cities - shown, n_cities - shown == 1 ? "city" : "cities");
	if (w->written < total) {
		if (end > first)
			fprintf(out, " (showing %zu–%zu", first + 1, end);
		else
			fprintf(out, " (showing none");
		fprintf(out, "; %s)", end < total ? "--offset N for more, --all for every one"
						  : "--offset 0 for the first");
	}
	fputc('\n', out);
	for (size_t c = 0; c < shown; c++) {
		key.len = 0;
		pq_label_city(w->facets[cities[c].first].plan, &key);
		fputs("  ", out);
		util_fput_escaped(out, key.data ? key.data : "", key.len);
		fputc(':', out);
		sep = " ";
		for (size_t i = cities[c].first; i < cities[c].end; i++) {
			bool twice = false; /* two chapters of one heading: named by path */
			strbuf_t other = STRBUF_INIT;
			chapter_label(&w->facets[i], false, &key);
			for (size_t j = cities[c].first; j < i && !twice; j++) {
				chapter_label(&w->facets[j], false, &other);
				twice = other.data && key.data && strcmp(other.data, key.data) == 0;
			}
			strbuf_free(&other);
			if (twice)
				chapter_label(&w->facets[i], true, &key);
			fputs(sep, out);
			util_fput_escaped(out, key.data ? key.data : "", key.len);
			fprintf(out, " %zu", w->facets[i].count);
			sep = " · ";
		}
		fputc('\n', out);
	}
	strbuf_free(&key);
	free(cities);
	return 0;
}

ps_status_t pq_output_close(pq_output_t *w, char **error)
{
	int rc = -1;
	if (!w->head_written) {
		strbuf_printf_new(error, "no results to write");
		goto out;
	}
	if (w->options.format == PQ_FORMAT_TEXT) {
		write_text_counts(w);
		write_suggestions_text(w->out, w->suggestions);
	} else if (w->options.format == PQ_FORMAT_JSON && pq_json_close_array(w->out) != 0) {
		goto failed;
	}
	if (fflush(w->out) != 0 || ferror(w->out))
		goto failed;
	rc = 0;
	goto out;
failed:
	write_failed(error);
out:
	pq_output_free(w);
	return rc == 0 ? PS_OK : PS_ERR_IO;
}

void pq_output_free(pq_output_t *w)
{
	if (w == NULL)
		return;
	free(w->facets);
	free(w);
}

static int sink_head(void *ctx, const pq_results_t *counts, char **error)
{
	return pq_output_head(ctx, counts, error);
}

static int sink_hit(void *ctx, pq_hit_t *hit, char **error)
{
	return pq_output_hit(ctx, hit, error);
}

pq_sink_t pq_output_sink(pq_output_t *w)
{
	return (pq_sink_t){.head = sink_head, .hit = sink_hit, .ctx = w};
}

static int suggesting_head(void *ctx, const pq_results_t *counts, char **error)
{
	pq_suggesting_t *s = ctx;
	if (counts->total == 0 && !s->request->any && s->request->offset == 0) {
		pq_request_t asked = *s->request;
		if (asked.thesaurus == NULL &&
		    (s->thesaurus_default || s->n_thesaurus_files > 0)) {
			/* only for the --any run it suggests: a thesaurus that cannot be read
			 * leaves that run without one, and the search still answers */
			char *why = NULL;
			if (pq_thesaurus_open(s->thesaurus_default, s->thesaurus_files,
					      s->n_thesaurus_files, &s->opened, &why) != PS_OK)
				s->opened = NULL;
			free(why);
			asked.thesaurus = s->opened;
		}
		if (pq_suggest(s->index, &asked, &s->suggestions, error) != PS_OK)
			return -1;
	}
	pq_output_suggest(s->out, &s->suggestions);
	return pq_output_head(s->out, counts, error) == PS_OK ? 0 : -1;
}

static int suggesting_hit(void *ctx, pq_hit_t *hit, char **error)
{
	pq_suggesting_t *s = ctx;
	return pq_output_hit(s->out, hit, error) == PS_OK ? 0 : -1;
}

pq_sink_t pq_output_sink_suggesting(pq_output_t *w, ps_store_t *index,
				    const pq_request_t *request, pq_suggesting_t *state)
{
	state->out = w;
	state->index = index;
	state->request = request; /* the thesaurus fields stay as the caller set them */
	return (pq_sink_t){.head = suggesting_head, .hit = suggesting_hit, .ctx = state};
}

void pq_suggesting_clear(pq_suggesting_t *state)
{
	pq_suggestions_clear(&state->suggestions);
	pq_thesaurus_free(state->opened);
	state->opened = NULL;
}

ps_status_t pq_output_write(FILE *out, ps_store_t *index, pq_results_t *results,
		    const pq_output_options_t *options, char **error)
{
	pq_output_t *w = NULL;
	if (pq_output_open(out, index, options, &w, error) != 0)
		return PS_ERR_IO;
	pq_results_t head = *results;
	head.hits = NULL;
	head.n_hits = 0;
	int rc = pq_output_head(w, &head, error);
	for (size_t i = 0; rc == 0 && i < results->n_hits; i++)
		rc = pq_output_hit(w, &results->hits[i], error);
	if (rc != 0) {
		pq_output_free(w);
		return PS_ERR_IO;
	}
	return pq_output_close(w, error);
}
