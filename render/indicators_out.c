/* indicators_out.c: indicator rows and their comparison as text, CSV, TSV and JSON. */
#include "indicators_out.h"
#include "partial.h"

#include "escape.h"
#include "label.h"
#include "rows.h"
#include "strbuf.h"
#include "utf8.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* ---- helpers ---- */

/* The columns a terminal gives s[0,n): two for wide (East Asian) characters. */
static size_t display_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		int32_t c = utf8_next(s, &i, n);
		bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
			    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
			    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
			    (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000;
		w += wide ? 2 : 1;
	}
	return w;
}

/* A plan as a column names it: its city, with its id when another plan shares the city. */
static void plan_name(const ps_plan_t *plan, strbuf_t *sb)
{
	strbuf_append_str(sb, plan->city);
	if (plan->city_shared)
		strbuf_printf(sb, "（%s）", plan->city_id);
}

/* Row i's cell in value column c, as printed. */
static const char *cell_text(const pq_indicator_t *r, size_t c, size_t *n)
{
	const ps_table_cell_t *cell = &r->row->cells[c];
	*n = cell->end - cell->start;
	return r->src + cell->start;
}

/* ---- one record per row ---- */

static int write_rows_text(FILE *out, const pq_indicators_t *ind)
{
	strbuf_t sb = STRBUF_INIT;
	for (size_t i = 0; i < ind->n_rows; i++) {
		const pq_indicator_t *r = &ind->rows[i];
		sb.len = 0;
		if (i == 0 || r->table != ind->rows[i - 1].table) {
			const ps_table_cell_t *t = &r->table->title;
			strbuf_printf(&sb, "%s%s · ", i > 0 ? "\n" : "", r->plan->city);
			pq_label_document(r->plan, &sb);
			strbuf_append_str(&sb, " › ");
			strbuf_append(&sb, r->src + t->start, t->end - t->start);
			strbuf_printf(&sb, "\n  %s · %s lines %d–%d\n", r->table_id, r->plan->file,
				      r->table->line, r->table->end_line);
		}
		strbuf_append_str(&sb, "  ");
		pq_row_line(r->src, r->table, r->row, &sb);
		strbuf_append_str(&sb, "  [");
		if (r->row->unit[0] != '\0')
			strbuf_printf(&sb, "%s · ", r->row->unit);
		if (r->row->attribute != SEG_ATTRIBUTE_NONE)
			strbuf_printf(&sb, "%s · ", seg_attribute_name(r->row->attribute));
		strbuf_printf(&sb, "%s · line %d]\n", r->id, r->row->line);
		if (sb.data == NULL) {
			errno = ENOMEM;
			return -1;
		}
		util_fput_escaped(out, sb.data, sb.len);
	}
	if (ind->n_rows == 0)
		fputs("no indicator tables hold such a row\n", out);
	strbuf_free(&sb);
	return ferror(out) ? -1 : 0;
}

static int write_rows_table(FILE *out, const pq_indicators_t *ind, pq_table_format_t f)
{
	static const char *const head[] = {"city", "city_id", "document", "table", "table_id",
					   "indicator", "label", "unit", "attribute", "serial"};
	strbuf_t sb = STRBUF_INIT;
	const char **values = calloc(ind->n_keys ? ind->n_keys : 1, sizeof *values);
	size_t *lens = calloc(ind->n_keys ? ind->n_keys : 1, sizeof *lens);
	int rc = -1;
	if (values == NULL || lens == NULL)
		goto out;
	for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
		pq_table_str(out, f, k == 0, head[k]);
	for (size_t k = 0; k < ind->n_keys; k++)
		pq_table_str(out, f, false, ind->keys[k]);
	pq_table_str(out, f, false, "file");
	pq_table_str(out, f, false, "line");
	pq_table_str(out, f, false, "id");
	pq_table_end(out, f);
	for (size_t i = 0; i < ind->n_rows; i++) {
		const pq_indicator_t *r = &ind->rows[i];
		const ps_table_t *t = r->table;
		size_t n;
		memset(values, 0, ind->n_keys * sizeof *values);
		for (size_t c = 0; c < t->n_columns; c++) {
			int k = pq_indicator_key_index(ind, r, c);
			if (k >= 0)
				values[k] = cell_text(r, c, &lens[k]);
		}
		pq_table_str(out, f, true, r->plan->city);
		pq_table_str(out, f, false, r->plan->city_id);
		sb.len = 0;
		pq_label_document(r->plan, &sb);
		pq_table_field(out, f, false, sb.data ? sb.data : "", sb.len);
		pq_table_field(out, f, false, r->src + t->title.start,
			       t->title.end - t->title.start);
		pq_table_str(out, f, false, r->table_id);
		pq_table_str(out, f, false, r->name);
		const char *label = cell_text(r, (size_t)t->label_column, &n);
		pq_table_field(out, f, false, label, n);
		pq_table_str(out, f, false, r->row->unit);
		pq_table_str(out, f, false, seg_attribute_name(r->row->attribute));
		sb.len = 0;
		if (r->row->serial > 0)
			strbuf_printf(&sb, "%d", r->row->serial);
		pq_table_field(out, f, false, sb.data ? sb.data : "", sb.len);
		for (size_t k = 0; k < ind->n_keys; k++)
			pq_table_field(out, f, false, values[k] ? values[k] : "",
				       values[k] ? lens[k] : 0);
		pq_table_str(out, f, false, r->plan->file);
		sb.len = 0;
		strbuf_printf(&sb, "%d", r->row->line);
		pq_table_field(out, f, false, sb.data ? sb.data : "", sb.len);
		pq_table_str(out, f, false, r->id);
		if (pq_table_end(out, f) != 0)
			goto out;
	}
	rc = ferror(out) ? -1 : 0;
out:
	free(values);
	free(lens);
	strbuf_free(&sb);
	return rc;
}

static json_object *string_n(const char *s, size_t n)
{
	return json_object_new_string_len(s, (int)n);
}

static int write_rows_json(FILE *out, const ps_store_t *index, const pq_indicators_t *ind)
{
	json_object *head = json_object_new_object();
	strbuf_t sb = STRBUF_INIT;
	if (head == NULL || pq_json_note_partial(head, index) != 0 ||
	    pq_json_open_array(out, head, "indicators") != 0) {
		json_object_put(head);
		return -1;
	}
	json_object_put(head);
	for (size_t i = 0; i < ind->n_rows; i++) {
		const pq_indicator_t *r = &ind->rows[i];
		const ps_table_t *t = r->table;
		json_object *o = json_object_new_object(), *values = json_object_new_object();
		json_object *parsed = json_object_new_object(), *lines = json_object_new_object();
		size_t n;
		if (o == NULL || values == NULL || parsed == NULL || lines == NULL) {
			json_object_put(o);
			json_object_put(values);
			json_object_put(parsed);
			json_object_put(lines);
			errno = ENOMEM;
			return -1;
		}
		json_object_object_add(o, "city", json_object_new_string(r->plan->city));
		json_object_object_add(o, "city_id", json_object_new_string(r->plan->city_id));
		sb.len = 0;
		pq_label_document(r->plan, &sb);
		json_object_object_add(o, "document", string_n(sb.data ? sb.data : "", sb.len));
		json_object_object_add(o, "table", string_n(r->src + t->title.start,
							     t->title.end - t->title.start));
		json_object_object_add(o, "table_id", json_object_new_string(r->table_id));
		json_object_object_add(o, "indicator", json_object_new_string(r->name));
		const char *label = cell_text(r, (size_t)t->label_column, &n);
		json_object_object_add(o, "label", string_n(label, n));
		json_object_object_add(o, "unit", json_object_new_string(r->row->unit));
		json_object_object_add(o, "attribute", json_object_new_string(
			seg_attribute_name(r->row->attribute)));
		json_object_object_add(o, "serial", r->row->serial > 0
			? json_object_new_int(r->row->serial) : NULL);
		for (size_t c = 0; c < t->n_columns; c++) {
			int k = pq_indicator_key_index(ind, r, c);
			if (k < 0)
				continue;
			const ps_table_cell_t *cell = &r->row->cells[c];
			const char *key = ind->keys[k];
			json_object_object_add(values, key, string_n(r->src + cell->start,
								      cell->end - cell->start));
			json_object_object_add(lines, key, json_object_new_int(cell->line));
			if (!cell->has_number)
				continue;
			json_object *p = json_object_new_object();
			json_object_object_add(p, "number", pq_json_number(cell->number));
			json_object_object_add(p, "comparator",
					       json_object_new_string(seg_cmp_symbol(cell->cmp)));
			json_object_object_add(parsed, key, p);
		}
		json_object_object_add(o, "values", values);
		json_object_object_add(o, "parsed", parsed);
		json_object_object_add(o, "lines", lines);
		json_object_object_add(o, "file", json_object_new_string(r->plan->file));
		json_object_object_add(o, "line", json_object_new_int(r->row->line));
		json_object_object_add(o, "id", json_object_new_string(r->id));
		int rc = pq_json_array_entry(out, o, i == 0);
		json_object_put(o);
		if (rc != 0) {
			strbuf_free(&sb);
			return -1;
		}
	}
	strbuf_free(&sb);
	return pq_json_close_array(out);
}

/* ---- the comparison ---- */

typedef struct column {
	const ps_plan_t *plan;
	size_t key;
	char *label; /* "丹东市 2025" */
} column_t;

typedef struct grid {
	column_t *columns;
	size_t n_columns;
	strbuf_t *cells;   /* n_groups x n_columns, row-major */
	char **units;      /* per group: its rows' units, "%" or "%/个" */
} grid_t;

static void grid_free(grid_t *g, size_t n_groups)
{
	for (size_t c = 0; g->columns && c < g->n_columns; c++)
		free(g->columns[c].label);
	for (size_t i = 0; g->cells && i < n_groups * g->n_columns; i++)
		strbuf_free(&g->cells[i]);
	for (size_t i = 0; g->units && i < n_groups; i++)
		free(g->units[i]);
	free(g->columns);
	free(g->cells);
	free(g->units);
}

/* The columns (plan and key, in order of first use) and every group's cells. Returns 0, or
 * -1 (memory). */
static int grid_build(const pq_indicators_t *ind, grid_t *g)
{
	size_t cap = 0;
	for (size_t i = 0; i < ind->n_rows; i++)
		cap += ind->rows[i].table->n_columns;
	g->columns = calloc(cap ? cap : 1, sizeof *g->columns);
	g->units = calloc(ind->n_groups ? ind->n_groups : 1, sizeof *g->units);
	if (g->columns == NULL || g->units == NULL)
		return -1;
	for (size_t i = 0; i < ind->n_rows; i++) {
		const pq_indicator_t *r = &ind->rows[i];
		for (size_t c = 0; c < r->table->n_columns; c++) {
			int k = pq_indicator_key_index(ind, r, c);
			size_t x = 0;
			while (k >= 0 && x < g->n_columns &&
			       !(g->columns[x].plan == r->plan && g->columns[x].key == (size_t)k))
				x++;
			if (k < 0 || x < g->n_columns)
				continue;
			strbuf_t label = STRBUF_INIT;
			plan_name(r->plan, &label);
			strbuf_printf(&label, " %s", ind->keys[k]);
			if ((g->columns[x].label = strbuf_steal(&label)) == NULL)
				return -1;
			g->columns[x].plan = r->plan;
			g->columns[x].key = (size_t)k;
			g->n_columns++;
		}
	}
	g->cells = calloc(ind->n_groups * g->n_columns + 1, sizeof *g->cells);
	if (g->cells == NULL)
		return -1;
	for (size_t i = 0; i < ind->n_rows; i++) {
		const pq_indicator_t *r = &ind->rows[i];
		for (size_t c = 0; c < r->table->n_columns; c++) {
			int k = pq_indicator_key_index(ind, r, c);
			size_t x = 0, n;
			while (k >= 0 && !(g->columns[x].plan == r->plan &&
					   g->columns[x].key == (size_t)k))
				x++;
			if (k < 0)
				continue;
			strbuf_t *cell = &g->cells[r->group * g->n_columns + x];
			const char *v = cell_text(r, c, &n);
			if ((cell->len > 0 && strbuf_append_str(cell, "; ") != 0) ||
			    strbuf_append(cell, v, n) != 0)
				return -1;
		}
		char **u = &g->units[r->group];
		const char *unit = r->row->unit;
		if (unit[0] == '\0')
			continue;
		if (*u == NULL) {
			if ((*u = strdup(unit)) == NULL)
				return -1;
			continue;
		}
		bool seen = false; /* "%/个": each unit once */
		for (const char *p = *u; p && !seen;) {
			const char *slash = strchr(p, '/');
			size_t len = slash ? (size_t)(slash - p) : strlen(p);
			seen = len == strlen(unit) && memcmp(p, unit, len) == 0;
			p = slash ? slash + 1 : NULL;
		}
		if (!seen) {
			strbuf_t sb = STRBUF_INIT;
			strbuf_printf(&sb, "%s/%s", *u, unit);
			char *joined = strbuf_steal(&sb);
			if (joined == NULL)
				return -1;
			free(*u);
			*u = joined;
		}
	}
	return 0;
}

static void pad(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

static int write_compare_text(FILE *out, const pq_indicators_t *ind, const grid_t *g)
{
	size_t nc = g->n_columns + 2; /* indicator, unit, then the plans' columns */
	size_t *width = calloc(nc, sizeof *width);
	if (width == NULL)
		return -1;
	width[0] = display_width("indicator", 9);
	width[1] = display_width("unit", 4);
	for (size_t c = 0; c < g->n_columns; c++)
		width[c + 2] = display_width(g->columns[c].label, strlen(g->columns[c].label));
	for (size_t i = 0; i < ind->n_groups; i++) {
		const char *name = ind->groups[i].name, *unit = g->units[i] ? g->units[i] : "";
		if (display_width(name, strlen(name)) > width[0])
			width[0] = display_width(name, strlen(name));
		if (display_width(unit, strlen(unit)) > width[1])
			width[1] = display_width(unit, strlen(unit));
		for (size_t c = 0; c < g->n_columns; c++) {
			const strbuf_t *cell = &g->cells[i * g->n_columns + c];
			size_t w = cell->len ? display_width(cell->data, cell->len) : 1;
			if (w > width[c + 2])
				width[c + 2] = w;
		}
	}
	for (size_t row = 0; row <= ind->n_groups; row++) {
		for (size_t c = 0; c < nc; c++) {
			const char *s;
			size_t n;
			if (row == 0) {
				s = c == 0 ? "indicator" : c == 1 ? "unit" : g->columns[c - 2].label;
				n = strlen(s);
			} else if (c < 2) {
				s = c == 0 ? ind->groups[row - 1].name
				    : g->units[row - 1] ? g->units[row - 1] : "";
				n = strlen(s);
			} else {
				const strbuf_t *cell = &g->cells[(row - 1) * g->n_columns + c - 2];
				s = cell->len ? cell->data : "-";
				n = cell->len ? cell->len : 1;
			}
			util_fput_escaped(out, s, n);
			if (c + 1 < nc)
				pad(out, width[c] - display_width(s, n) + 2);
		}
		fputc('\n', out);
	}
	if (ind->n_groups > 0)
		fputs("\nHow the rows were grouped:\n", out);
	for (size_t i = 0; i < ind->n_groups; i++) {
		strbuf_t sb = STRBUF_INIT;
		strbuf_printf(&sb, "  %s: %s\n", ind->groups[i].name, ind->groups[i].how);
		util_fput_escaped(out, sb.data ? sb.data : "", sb.len);
		strbuf_free(&sb);
	}
	free(width);
	return ferror(out) ? -1 : 0;
}

static int write_compare_table(FILE *out, const pq_indicators_t *ind, const grid_t *g,
			       pq_table_format_t f)
{
	pq_table_str(out, f, true, "indicator");
	pq_table_str(out, f, false, "unit");
	for (size_t c = 0; c < g->n_columns; c++)
		pq_table_str(out, f, false, g->columns[c].label);
	pq_table_str(out, f, false, "grouping");
	pq_table_end(out, f);
	for (size_t i = 0; i < ind->n_groups; i++) {
		pq_table_str(out, f, true, ind->groups[i].name);
		pq_table_str(out, f, false, g->units[i] ? g->units[i] : "");
		for (size_t c = 0; c < g->n_columns; c++) {
			const strbuf_t *cell = &g->cells[i * g->n_columns + c];
			pq_table_field(out, f, false, cell->len ? cell->data : "", cell->len);
		}
		pq_table_str(out, f, false, ind->groups[i].how);
		if (pq_table_end(out, f) != 0)
			return -1;
	}
	return ferror(out) ? -1 : 0;
}

static int write_compare_json(FILE *out, const ps_store_t *index, const pq_indicators_t *ind,
			      const grid_t *g)
{
	json_object *root = json_object_new_object(), *columns = json_object_new_array();
	json_object *list = json_object_new_array();
	if (root == NULL || columns == NULL || list == NULL ||
	    pq_json_note_partial(root, index) != 0) {
		json_object_put(root);
		json_object_put(columns);
		json_object_put(list);
		errno = ENOMEM;
		return -1;
	}
	for (size_t c = 0; c < g->n_columns; c++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "city", json_object_new_string(g->columns[c].plan->city));
		json_object_object_add(o, "city_id",
				       json_object_new_string(g->columns[c].plan->city_id));
		json_object_object_add(o, "key", json_object_new_string(ind->keys[g->columns[c].key]));
		json_object_object_add(o, "label", json_object_new_string(g->columns[c].label));
		json_object_array_add(columns, o);
	}
	for (size_t i = 0; i < ind->n_groups; i++) {
		json_object *o = json_object_new_object(), *values = json_object_new_array();
		json_object *rows = json_object_new_array();
		json_object_object_add(o, "indicator", json_object_new_string(ind->groups[i].name));
		json_object_object_add(o, "unit", json_object_new_string(g->units[i] ? g->units[i]
										      : ""));
		for (size_t c = 0; c < g->n_columns; c++) {
			const strbuf_t *cell = &g->cells[i * g->n_columns + c];
			json_object_array_add(values, cell->len ? string_n(cell->data, cell->len)
								: NULL);
		}
		for (size_t r = 0; r < ind->n_rows; r++)
			if (ind->rows[r].group == i)
				json_object_array_add(rows, json_object_new_string(ind->rows[r].id));
		json_object_object_add(o, "values", values);
		json_object_object_add(o, "rows", rows);
		json_object_object_add(o, "grouping", json_object_new_string(ind->groups[i].how));
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "columns", columns);
	json_object_object_add(root, "indicators", list);
	const char *s = json_object_to_json_string_ext(root, JSON_FLAGS);
	int rc = s == NULL ? -1 : fprintf(out, "%s\n", s) < 0 ? -1 : 0;
	json_object_put(root);
	return rc;
}

int pq_indicators_write(FILE *out, const ps_store_t *index, const pq_indicators_t *ind,
			pq_table_format_t format, bool compare)
{
	if (!compare)
		return format == PQ_TABLE_TEXT   ? write_rows_text(out, ind)
		       : format == PQ_TABLE_JSON ? write_rows_json(out, index, ind)
						 : write_rows_table(out, ind, format);
	grid_t g = {0};
	int rc = -1;
	if (grid_build(ind, &g) != 0) {
		errno = ENOMEM;
		goto out;
	}
	rc = format == PQ_TABLE_TEXT   ? write_compare_text(out, ind, &g)
	     : format == PQ_TABLE_JSON ? write_compare_json(out, index, ind, &g)
				       : write_compare_table(out, ind, &g, format);
out:
	grid_free(&g, ind->n_groups);
	return rc;
}
