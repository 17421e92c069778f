/* kwic_format.c: concordance lines as aligned text, CSV, TSV and JSON. */
#include "kwic_format.h"

#include "escape.h"
#include "label.h"
#include "partial.h"
#include "strbuf.h"
#include "utf8.h"

#include <json-c/json.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* ---- text: aligned lines ---- */

/* What a code point is to a line of text: the columns a terminal gives it (2 for wide and
 * full-width characters, else 1), or FLAT_UNSAFE for one shown, not obeyed
 * (util_char_is_unsafe). What ICU says of a BMP character is remembered (0 for not yet
 * asked), so a long concordance asks it once per character, not once per character written;
 * the table may be filled by several threads at once, each writing the value the others
 * would. */
#define FLAT_UNSAFE 3
static _Atomic unsigned char flat_known[0x10000];

static unsigned flat_class(int32_t c)
{
	if (c >= 0x20 && c < 0x7F)
		return 1; /* printable ASCII: narrow (ICU: Na), safe */
	bool bmp = c >= 0 && c < 0x10000;
	unsigned char n = bmp ? atomic_load_explicit(&flat_known[c], memory_order_relaxed) : 0;
	if (n == 0) {
		int w = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
		n = util_char_is_unsafe(c) ? FLAT_UNSAFE
		    : w == U_EA_WIDE || w == U_EA_FULLWIDTH ? 2
							     : 1;
		if (bmp)
			atomic_store_explicit(&flat_known[c], n, memory_order_relaxed);
	}
	return n;
}

/* Append src[s,e) to sb (NULL: only measure it) with tabs and line breaks as spaces and any
 * other control or bidirectional formatting character shown, not obeyed (<U+202E>,
 * escape.h); returns its width in columns, or (size_t)-1 when memory runs out. */
static size_t append_flat(strbuf_t *sb, const char *src, size_t s, size_t e)
{
	size_t width = 0, plain = s; /* src[plain, i) is written as it is, not yet appended */
	int bad = 0;
	for (size_t i = s; i < e;) {
		size_t at = i;
		int32_t c = utf8_next(src, &i, e);
		unsigned cls = c >= 0 ? flat_class(c) : FLAT_UNSAFE;
		if (cls != FLAT_UNSAFE) {
			width += cls;
			continue;
		}
		if (sb != NULL)
			bad |= strbuf_append(sb, src + plain, at - plain);
		if (c == '\n' || c == '\r' || c == '\t') {
			if (sb != NULL)
				bad |= strbuf_append(sb, " ", 1);
			width++;
		} else {
			strbuf_t shown = STRBUF_INIT; /* ASCII: a column a byte */
			strbuf_t *to = sb != NULL ? sb : &shown;
			size_t before = to->len;
			bad |= util_escape_text(to, src + at, c < 0 ? 1 : i - at);
			width += to->len - before;
			strbuf_free(&shown);
			i = c < 0 ? at + 1 : i;
		}
		plain = i;
	}
	if (sb != NULL)
		bad |= strbuf_append(sb, src + plain, e - plain);
	return bad ? (size_t)-1 : width;
}

/* Append n spaces. Returns 0, or -1 when out of memory. */
static int append_spaces(strbuf_t *sb, size_t n)
{
	static const char spaces[] = "                                ";
	int bad = 0;
	for (size_t k; n > 0 && !bad; n -= k) {
		k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		bad = strbuf_append(sb, spaces, k);
	}
	return bad;
}

/* Write the lines through one buffer, a block at a time (below this many bytes held). */
#define TEXT_BLOCK 65536

static int write_text(FILE *out, ps_store_t *index, const pq_kwic_t *k, char **error)
{
	size_t id_w = 0, line_w = 0, left_w = 0;
	char num[32];
	strbuf_t sb = STRBUF_INIT;
	size_t *widths = malloc((k->n_lines ? k->n_lines : 1) * sizeof *widths);
	int bad = 0;
	if (widths == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < k->n_lines; i++) { /* the columns' widths */
		const pq_kwic_line_t *l = &k->lines[i];
		const char *src;
		size_t len, n = strlen(l->id);
		if (ps_store_plan_source(index, l->plan, &src, &len, error) != 0) {
			free(widths);
			return -1;
		}
		id_w = n > id_w ? n : id_w;
		n = (size_t)snprintf(num, sizeof num, "%d", l->line);
		line_w = n > line_w ? n : line_w;
		widths[i] = append_flat(NULL, src, l->left, l->start); /* as it will be written */
		left_w = widths[i] > left_w && widths[i] != (size_t)-1 ? widths[i] : left_w;
	}
	for (size_t i = 0; i < k->n_lines && !bad; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		const char *src;
		size_t len, id_n = strlen(l->id);
		ps_store_plan_source(index, l->plan, &src, &len, error);
		int num_n = snprintf(num, sizeof num, "%d", l->line);
		/* id left-aligned, line right-aligned, the left context right-aligned */
		bad = widths[i] == (size_t)-1 || strbuf_append(&sb, l->id, id_n) ||
		      append_spaces(&sb, id_w - id_n + 1 + line_w - (size_t)num_n) ||
		      strbuf_append(&sb, num, (size_t)num_n) ||
		      append_spaces(&sb, 2 + left_w - widths[i]) ||
		      append_flat(&sb, src, l->left, l->start) == (size_t)-1 ||
		      strbuf_append_str(&sb, "⟪") ||
		      append_flat(&sb, src, l->start, l->end) == (size_t)-1 ||
		      strbuf_append_str(&sb, "⟫") ||
		      append_flat(&sb, src, l->end, l->right) == (size_t)-1 ||
		      strbuf_append(&sb, "\n", 1);
		if (!bad && (sb.len >= TEXT_BLOCK || i + 1 == k->n_lines)) {
			bad = fwrite(sb.data, 1, sb.len, out) != sb.len;
			sb.len = 0;
		}
	}
	free(widths);
	strbuf_free(&sb);
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
static int write_json(FILE *out, ps_store_t *index, const pq_kwic_t *k,
		      const pq_kwic_format_t *a, char **error)
{
	json_object *head = json_object_new_object(), *o = NULL;
	int rc = -1;
	if (head == NULL)
		goto oom;
	json_object_object_add(head, "query", json_object_new_string(a->query));
	json_object_object_add(head, "scope", json_object_new_string(pq_scope_name(a->scope)));
	json_object_object_add(head, "width", json_object_new_int64((int64_t)a->width));
	json_object_object_add(head, "total", json_object_new_int64((int64_t)k->n_lines));
	if (pq_json_note_partial(head, index) != 0)
		goto oom;
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

int pq_kwic_write(FILE *out, ps_store_t *index, const pq_kwic_t *k,
		  const pq_kwic_format_t *format, char **error)
{
	if (format->excel && fputs(PQ_TABLE_BOM, out) == EOF)
		return -1;
	switch (format->format) {
	case PQ_TABLE_TEXT: return write_text(out, index, k, error);
	case PQ_TABLE_JSON: return write_json(out, index, k, format, error);
	default: return write_table(out, index, k, format->format, error);
	}
}
