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

/* n in decimal, as %zu writes it, into buf (room for 21 bytes). */
static void decimal(char *buf, size_t n)
{
	char digits[24], *d = digits + sizeof digits;
	*--d = '\0';
	do
		*--d = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	memcpy(buf, d, (size_t)(digits + sizeof digits - d));
}

/* A line number in decimal, as %d writes it, into buf (room for 32 bytes); returns its
 * length. */
static size_t line_number(char *buf, int line)
{
	if (line < 0) /* never: lines count from 1 */
		return (size_t)snprintf(buf, 32, "%d", line);
	decimal(buf, (size_t)line);
	return strlen(buf);
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
		n = line_number(num, l->line);
		line_w = n > line_w ? n : line_w;
		widths[i] = append_flat(NULL, src, l->left, l->start); /* as it will be written */
		left_w = widths[i] > left_w && widths[i] != (size_t)-1 ? widths[i] : left_w;
	}
	for (size_t i = 0; i < k->n_lines && !bad; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		const char *src;
		size_t len, id_n = strlen(l->id);
		ps_store_plan_source(index, l->plan, &src, &len, error);
		size_t num_n = line_number(num, l->line);
		/* id left-aligned, line right-aligned, the left context right-aligned */
		bad = widths[i] == (size_t)-1 || strbuf_append(&sb, l->id, id_n) ||
		      append_spaces(&sb, id_w - id_n + 1 + line_w - num_n) ||
		      strbuf_append(&sb, num, num_n) ||
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
	const char *section; /* borrowed from the section_label_t it was made with */
	const char *src;
} fields_t;

/* The section path of the last line written: the next line, in the same section more often
 * than not, borrows it instead of building it again. */
typedef struct section_label {
	const ps_plan_t *plan; /* NULL until the first line */
	int section;
	strbuf_t text;
} section_label_t;

static int fields_of(ps_store_t *index, const pq_kwic_line_t *l, section_label_t *label,
		     fields_t *f, char **error)
{
	const ps_outline_t *o;
	size_t len;
	if (ps_store_plan_source(index, l->plan, &f->src, &len, error) != 0 ||
	    ps_store_plan_outline(index, l->plan, &o, error) != 0)
		return -1;
	line_number(f->line, l->line);
	decimal(f->start, l->start);
	decimal(f->end, l->end);
	if (label->plan != l->plan || label->section != l->section) {
		label->plan = NULL;
		label->text.len = 0;
		if (pq_label_section_path(o, l->section, &label->text) != 0 ||
		    strbuf_append(&label->text, "", 0) != 0) { /* the NUL even when empty */
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
		label->plan = l->plan;
		label->section = l->section;
	}
	f->section = label->text.data;
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
	section_label_t label = {0};
	for (size_t i = 0; i < k->n_lines && !bad; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		fields_t f;
		if (fields_of(index, l, &label, &f, error) != 0) {
			strbuf_free(&label.text);
			return -1;
		}
		bad |= pq_table_str(out, fm, true, l->plan->city) |
		       pq_table_str(out, fm, false, l->plan->city_id) |
		       pq_table_str(out, fm, false, l->id) | pq_table_str(out, fm, false, f.line) |
		       pq_table_str(out, fm, false, f.section) |
		       pq_table_field(out, fm, false, f.src + l->left, l->start - l->left) |
		       pq_table_field(out, fm, false, f.src + l->start, l->end - l->start) |
		       pq_table_field(out, fm, false, f.src + l->end, l->right - l->end) |
		       pq_table_str(out, fm, false, f.start) | pq_table_str(out, fm, false, f.end) |
		       pq_table_end(out, fm);
	}
	strbuf_free(&label.text);
	return bad ? -1 : 0; /* the caller names the file and the reason */
}

/* The flags table.c's JSON writers give json-c, so that a string reads the same here. */
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Append s[0, n) as a JSON string, escaped by json-c as a string member of an object is.
 * Returns 0, or -1 when memory runs out. (A new string object each time: reusing one with
 * json_object_set_string_len leaks in json-c 0.16 when a string goes from long to empty.) */
static int append_json_string(strbuf_t *sb, const char *s, size_t n)
{
	size_t len;
	const char *t;
	json_object *str = n <= INT32_MAX ? json_object_new_string_len(s, (int)n) : NULL;
	int rc = str == NULL ||
			 (t = json_object_to_json_string_length(str, JSON_FLAGS, &len)) == NULL ||
			 strbuf_append(sb, t, len) != 0
		 ? -1
		 : 0;
	json_object_put(str);
	return rc;
}

/* One object, its "occurrences" written one by one, each built as json-c writes an object
 * of those members (PLAIN: no spaces; json-c escapes every string) into a buffer written a
 * block at a time, so that the JSON of every occurrence is never held at once. */
static int write_json(FILE *out, ps_store_t *index, const pq_kwic_t *k,
		      const pq_kwic_format_t *a, char **error)
{
	json_object *head = json_object_new_object();
	section_label_t label = {0};
	strbuf_t sb = STRBUF_INIT;
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
		const char *city = l->plan->city, *city_id = l->plan->city_id, *file = l->plan->file;
		fields_t f;
		if (fields_of(index, l, &label, &f, error) != 0)
			goto out;
		if ((i > 0 && strbuf_append(&sb, ",", 1)) || strbuf_append_str(&sb, "{\"city\":") ||
		    append_json_string(&sb, city, strlen(city)) ||
		    strbuf_append_str(&sb, ",\"city_id\":") ||
		    append_json_string(&sb, city_id, strlen(city_id)) ||
		    strbuf_append_str(&sb, ",\"id\":") ||
		    append_json_string(&sb, l->id, strlen(l->id)) ||
		    strbuf_append_str(&sb, ",\"line\":") || strbuf_append_str(&sb, f.line) ||
		    strbuf_append_str(&sb, ",\"section\":") ||
		    append_json_string(&sb, f.section, strlen(f.section)) ||
		    strbuf_append_str(&sb, ",\"left\":") ||
		    append_json_string(&sb, f.src + l->left, l->start - l->left) ||
		    strbuf_append_str(&sb, ",\"match\":") ||
		    append_json_string(&sb, f.src + l->start, l->end - l->start) ||
		    strbuf_append_str(&sb, ",\"right\":") ||
		    append_json_string(&sb, f.src + l->end, l->right - l->end) ||
		    strbuf_append_str(&sb, ",\"start\":") || strbuf_append_str(&sb, f.start) ||
		    strbuf_append_str(&sb, ",\"end\":") || strbuf_append_str(&sb, f.end) ||
		    strbuf_append_str(&sb, ",\"file\":") ||
		    append_json_string(&sb, file, strlen(file)) || strbuf_append(&sb, "}", 1))
			goto oom;
		if (sb.len >= TEXT_BLOCK || i + 1 == k->n_lines) {
			if (fwrite(sb.data, 1, sb.len, out) != sb.len)
				goto out;
			sb.len = 0;
		}
	}
	if (pq_json_close_array(out) != 0)
		goto out;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	strbuf_free(&sb);
	strbuf_free(&label.text);
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
