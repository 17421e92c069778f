/* freq_format.c: frequency tables as CSV, TSV (long and wide) and JSON. */
#include "freq_format.h"
#include "ordered.h"
#include "partial.h"

#include "strbuf.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *group_heading_name(pq_group_by_t by)
{
	return by == PQ_BY_CHAPTER ? "chapter" : "section";
}

/* Rows are written through a cursor into a buffer whose room was made once for the whole
 * row or term (a frequency table can have millions of cells, most of them zero): put*
 * copy and return where the next byte goes, with no checks of their own. */

/* Room for one cell's numbers in a long row: occurrences, passages and per_10k_chars (each
 * at most 20 digits, per_10k_chars with a point and three decimals), their three
 * separators and the end of line. */
enum { NUMBERS_ROOM = 3 * 20 + 4 + 3 + 2 };
/* Room for what printf makes of a double with "%.3f" (DBL_MAX has 309 digits). */
enum { DOUBLE_ROOM = 320 };

/* Make room for `need` more bytes, doubling the buffer when it must grow so that a row at
 * a time costs no more than one growth in many. Returns 0, or -1 when out of memory. */
static int room(strbuf_t *sb, size_t need)
{
	if (sb->cap > sb->len + need)
		return 0;
	return strbuf_reserve(sb, need > sb->cap ? need : sb->cap);
}

static char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* A whole number in decimal. */
static char *put_size(char *p, size_t n)
{
	char buf[24], *end = buf + sizeof buf, *d = end;
	do
		*--d = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	return put(p, d, (size_t)(end - d));
}

/* What "%.3f" prints for pq_freq_per_10k(occurrences, characters), without printf: the
 * exact quotient rounded to thousandths. The double printf is given differs from the exact
 * value by less than any non-tie's distance to a rounding boundary (for fewer than 4e8
 * occurrences), so the two round alike; an exact tie, which printf rounds to even on the
 * double, and anything past those bounds go to printf. Needs DOUBLE_ROOM bytes. */
static char *put_per_10k(char *p, size_t occurrences, size_t characters)
{
	if (occurrences == 0)
		return put(p, "0.000", 5);
	size_t q = occurrences * 10000000u, milli = characters ? q / characters : 0;
	if (characters == 0 || occurrences >= 400000000u || 2 * (q % characters) == characters) {
		int n = snprintf(p, DOUBLE_ROOM, "%.3f",
				 pq_freq_per_10k(occurrences, characters));
		return p + (n > 0 && n < DOUBLE_ROOM ? n : 0);
	}
	if (2 * (q % characters) > characters)
		milli++;
	p = put_size(p, milli / 1000);
	*p++ = '.';
	*p++ = (char)('0' + milli / 100 % 10);
	*p++ = (char)('0' + milli / 10 % 10);
	*p++ = (char)('0' + milli % 10);
	return p;
}

/* Short copies. Most pieces of a long row are under SHORT bytes (a term, a group's fields,
 * a cell's numbers), and a copy of a fixed SHORT bytes is a few instructions where memcpy
 * of a varying length is a call and a dispatch: a table of a thousand terms by five
 * thousand cities is five million rows. The source must have SHORT readable bytes from s
 * and the destination SHORT writable bytes from p, whatever n is; the bytes past n are
 * overwritten by what follows or never written out. */
enum { SHORT = 64 };

static inline char *put_short(char *p, const char *s, size_t n)
{
	if (n <= SHORT)
		memcpy(p, s, SHORT);
	else
		memcpy(p, s, n);
	return p + n;
}

/* Each group's fields that every row of it repeats, escaped once, in one buffer with SHORT
 * bytes to spare at its end: city, city_id, and the document or the id and heading, each
 * after a separator; then the same followed by the numbers of a cell where the term does
 * not occur and the end of line (`zero`). */
typedef struct group_fields {
	strbuf_t text;
	size_t *prefix, *prefix_len; /* per group: its fields in text */
	size_t *zero, *zero_len;     /* per group: its fields and a zero cell's numbers */
	size_t longest;              /* the longest fields */
} group_fields_t;

static void group_fields_free(group_fields_t *gf)
{
	strbuf_free(&gf->text);
	free(gf->prefix);
	free(gf->prefix_len);
	free(gf->zero);
	free(gf->zero_len);
}

static int group_fields(pq_table_format_t fm, const pq_freq_t *f, group_fields_t *gf)
{
	const char *sep = fm == PQ_TABLE_TSV ? "\t" : ",";
	const char *zero_tail = fm == PQ_TABLE_TSV ? "\t0\t0\t0.000\n" : ",0,0,0.000\r\n";
	size_t n = f->n_groups ? f->n_groups : 1;
	strbuf_t *t = &gf->text;
	memset(gf, 0, sizeof *gf);
	gf->prefix = malloc(n * sizeof *gf->prefix);
	gf->prefix_len = malloc(n * sizeof *gf->prefix_len);
	gf->zero = malloc(n * sizeof *gf->zero);
	gf->zero_len = malloc(n * sizeof *gf->zero_len);
	if (!gf->prefix || !gf->prefix_len || !gf->zero || !gf->zero_len)
		return -1;
	for (size_t g = 0; g < f->n_groups; g++) {
		const pq_group_t *grp = &f->groups[g];
		size_t at = t->len;
		int bad = strbuf_append_str(t, sep) |
			  pq_table_escape(fm, grp->plan->city, strlen(grp->plan->city), t) |
			  strbuf_append_str(t, sep) |
			  pq_table_escape(fm, grp->plan->city_id, strlen(grp->plan->city_id), t);
		if (f->by == PQ_BY_DOCUMENT)
			bad |= strbuf_append_str(t, sep) |
			       pq_table_escape(fm, grp->column, strlen(grp->column), t);
		if (f->by == PQ_BY_CHAPTER || f->by == PQ_BY_SECTION)
			bad |= strbuf_append_str(t, sep) |
			       pq_table_escape(fm, grp->id, strlen(grp->id), t) |
			       strbuf_append_str(t, sep) |
			       pq_table_escape(fm, grp->heading, strlen(grp->heading), t);
		if (bad)
			return -1;
		gf->prefix[g] = at;
		gf->prefix_len[g] = t->len - at;
		if (gf->prefix_len[g] > gf->longest)
			gf->longest = gf->prefix_len[g];
		/* the zero row's copy of the fields (room first: the copy is from t itself) */
		gf->zero[g] = t->len;
		if (strbuf_reserve(t, gf->prefix_len[g]) != 0 ||
		    strbuf_append(t, t->data + at, gf->prefix_len[g]) != 0 ||
		    strbuf_append_str(t, zero_tail) != 0)
			return -1;
		gf->zero_len[g] = t->len - gf->zero[g];
	}
	return room(t, SHORT);
}

/* A long row's end, from the separator before the group's fields to the end of line, made
 * before the rows for each group and each cell whose occurrences and passages are one small
 * number (zero included): most cells are a term not in a city's plans or in it once or
 * twice, in as many clauses; a row is then its term and one copy. END bytes each, so that a
 * copy of SHORT bytes from a text stays inside the array (which has room past its last). */
enum { ENDS_KEPT = 8, END = 64 };
typedef struct row_end {
	uint8_t len; /* 0: not kept (the group's fields are too long) */
	char text[END - 1];
} row_end_t;

/* What the threads making a table's rows share, read-only while they run. */
typedef struct rows_ctx {
	const pq_freq_t *f;
	const char *const *terms;
	pq_table_format_t fm;
	char sep;
	const char *eol;
	size_t eol_len;
	group_fields_t gf; /* long */
	row_end_t *ends;   /* long: per count below ENDS_KEPT, per group (a term's rows read one
			    * count's ends in group order) */
} rows_ctx_t;

/* The numbers of cell c of group g and the end of line, at p. Needs NUMBERS_ROOM +
 * DOUBLE_ROOM bytes at p. */
static char *put_numbers(char *p, const rows_ctx_t *x, const pq_freq_cell_t *c, size_t g)
{
	*p++ = x->sep;
	p = put_size(p, c->occurrences);
	*p++ = x->sep;
	p = put_size(p, c->passages);
	*p++ = x->sep;
	p = put_per_10k(p, c->occurrences, x->f->groups[g].characters);
	return put(p, x->eol, x->eol_len);
}

/* Fill x->ends. Returns 0, or -1 when out of memory. */
static int make_ends(rows_ctx_t *x)
{
	size_t n = x->f->n_groups * ENDS_KEPT;
	char buf[NUMBERS_ROOM + DOUBLE_ROOM + SHORT];
	if ((x->ends = calloc(n + SHORT / sizeof(row_end_t) + 1, sizeof *x->ends)) == NULL)
		return -1;
	for (size_t k = 0; k < n; k++) {
		size_t count = k / x->f->n_groups, g = k % x->f->n_groups;
		pq_freq_cell_t c = {count, count};
		const group_fields_t *gf = &x->gf;
		if (gf->prefix_len[g] >= sizeof x->ends[k].text)
			continue;
		memcpy(buf, gf->text.data + gf->prefix[g], gf->prefix_len[g]);
		size_t len = (size_t)(put_numbers(buf + gf->prefix_len[g], x, &c, g) - buf);
		if (len <= sizeof x->ends[k].text) {
			memcpy(x->ends[k].text, buf, len);
			x->ends[k].len = (uint8_t)len;
		}
	}
	return 0;
}

/* pq_ordered_rows_t's fetch: a term's row of cells. */
static int fetch_row(void *ctx, size_t i, void *room, const void **got, char **error)
{
	const rows_ctx_t *x = ctx;
	const pq_freq_cell_t *cells;
	if (pq_freq_row_in(x->f, i, room, &cells, error) != PS_OK)
		return -1;
	*got = cells;
	return 0;
}

/* pq_ordered_rows_t's make: a term's rows of the long table, one per group. */
static int make_long(void *ctx, size_t i, const void *got, strbuf_t *row)
{
	const rows_ctx_t *x = ctx;
	const pq_freq_t *f = x->f;
	const pq_freq_cell_t *cells = got;
	strbuf_t term = STRBUF_INIT;
	int bad = pq_table_escape(x->fm, x->terms[i], strlen(x->terms[i]), &term) |
		  room(&term, SHORT);
	const char *fields = x->gf.text.data;
	size_t per_row = term.len + x->gf.longest + NUMBERS_ROOM + DOUBLE_ROOM + SHORT;
	for (size_t g = 0; g < f->n_groups && !bad; g++) {
		const pq_freq_cell_t *c = &cells[g];
		if ((bad = room(row, per_row)) != 0)
			break;
		char *p = put_short(row->data + row->len, term.data, term.len);
		const row_end_t *e = c->occurrences == c->passages && c->occurrences < ENDS_KEPT
					     ? &x->ends[c->occurrences * f->n_groups + g]
					     : NULL;
		if (e != NULL && e->len != 0) /* most cells of a big table */
			p = put_short(p, e->text, e->len);
		else if (c->occurrences == 0 && c->passages == 0)
			p = put_short(p, fields + x->gf.zero[g], x->gf.zero_len[g]);
		else
			p = put_numbers(put_short(p, fields + x->gf.prefix[g], x->gf.prefix_len[g]),
					x, c, g);
		row->len = (size_t)(p - row->data);
	}
	strbuf_free(&term);
	return bad ? -1 : 0;
}

/* pq_ordered_rows_t's make: a term's row of the wide table. */
static int make_wide(void *ctx, size_t i, const void *got, strbuf_t *row)
{
	const rows_ctx_t *x = ctx;
	const pq_freq_cell_t *cells = got;
	/* a separator and up to 20 digits per cell, and the end of line */
	if (pq_table_escape(x->fm, x->terms[i], strlen(x->terms[i]), row) != 0 ||
	    strbuf_reserve(row, x->f->n_groups * 21 + 2) != 0)
		return -1;
	char *p = row->data + row->len;
	for (size_t g = 0; g < x->f->n_groups; g++) {
		*p++ = x->sep;
		p = put_size(p, cells[g].occurrences);
	}
	p = put(p, x->eol, x->eol_len);
	row->len = (size_t)(p - row->data);
	return 0;
}

/* Every term's rows, made on as many threads as the table is worth (ordered.h). */
static int write_rows(FILE *out, rows_ctx_t *x,
		      int (*make)(void *, size_t, const void *, strbuf_t *), unsigned threads,
		      char **error)
{
	const pq_freq_t *f = x->f;
	pq_ordered_rows_t rows = {.n_rows = f->n_terms,
				  .room = (f->n_groups ? f->n_groups : 1) * sizeof(pq_freq_cell_t),
				  .fetch = fetch_row, .make = make, .ctx = x};
	if (threads == 0)
		threads = pq_ordered_threads(f->n_terms * f->n_groups);
	return pq_ordered_write(out, &rows, threads, error);
}

static int write_long(FILE *out, pq_table_format_t fm, const pq_freq_t *f,
		      const char *const *terms, unsigned threads, char **error)
{
	rows_ctx_t x = {.f = f, .terms = terms, .fm = fm, .sep = fm == PQ_TABLE_TSV ? '\t' : ',',
			.eol = fm == PQ_TABLE_TSV ? "\n" : "\r\n"};
	x.eol_len = strlen(x.eol);
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
	bad = bad || group_fields(fm, f, &x.gf) != 0 || make_ends(&x) != 0 ||
	      write_rows(out, &x, make_long, threads, error) != 0;
	group_fields_free(&x.gf);
	free(x.ends);
	return bad ? -1 : 0;
}

static int write_wide(FILE *out, pq_table_format_t fm, const pq_freq_t *f,
		      const char *const *terms, unsigned threads, char **error)
{
	rows_ctx_t x = {.f = f, .terms = terms, .fm = fm, .sep = fm == PQ_TABLE_TSV ? '\t' : ',',
			.eol = fm == PQ_TABLE_TSV ? "\n" : "\r\n"};
	x.eol_len = strlen(x.eol);
	int bad = pq_table_str(out, fm, true, "term");
	for (size_t g = 0; g < f->n_groups; g++)
		bad |= pq_table_str(out, fm, false, f->groups[g].column);
	bad |= pq_table_end(out, fm);
	return bad || write_rows(out, &x, make_wide, threads, error) != 0 ? -1 : 0;
}

/* A cell where the term does not occur, as json-c writes it. */
#define ZERO_CELL "{\"occurrences\":0,\"passages\":0,\"per_10k_chars\":0.0}"

/* A whole number in decimal at the end of sb. Returns 0, or -1 when out of memory. */
static int append_size(strbuf_t *sb, size_t n)
{
	if (room(sb, 24) != 0)
		return -1;
	char *end = put_size(sb->data + sb->len, n);
	sb->len = (size_t)(end - sb->data);
	sb->data[sb->len] = '\0';
	return 0;
}

static json_object *json_size(size_t n)
{
	return json_object_new_int64((int64_t)n);
}

/* The rates of small counts, as json-c writes them, kept per group: a rate is a double
 * printed to 17 digits, which costs more than the rest of its cell, and most cells that
 * are not zero hold the same few counts. */
enum { RATES_KEPT = 16, RATE_TEXT = 40 };
typedef struct rates {
	char (*text)[RATE_TEXT]; /* per group and count below RATES_KEPT; "" until made */
} rates_t;

/* Append group g's rate of `occurrences` to sb, from the kept text or made by json-c with
 * `rate` (a double object to reuse). Returns 0, or -1 when out of memory. */
static int append_rate(rates_t *r, json_object *rate, size_t g, size_t occurrences,
		       size_t characters, strbuf_t *sb)
{
	char *kept = occurrences < RATES_KEPT ? r->text[g * RATES_KEPT + occurrences] : NULL;
	if (kept != NULL && kept[0] != '\0')
		return strbuf_append_str(sb, kept);
	size_t at = sb->len;
	if (!json_object_set_double(rate, pq_freq_per_10k(occurrences, characters)) ||
	    pq_json_append(rate, sb) != 0)
		return -1;
	if (kept != NULL && sb->len - at < RATE_TEXT) {
		memcpy(kept, sb->data + at, sb->len - at);
		kept[sb->len - at] = '\0';
	}
	return 0;
}

/* One object: its groups, then its "terms" written one row at a time, so that the JSON of
 * every cell is never held at once. */
static int write_json(FILE *out, const pq_freq_t *f, const char *const *terms,
		      const ps_store_t *format_index, char **error)
{
	json_object *head = json_object_new_object(), *groups = json_object_new_array(),
		    *o = NULL, *rate = NULL;
	strbuf_t row = STRBUF_INIT;
	rates_t rates = {NULL};
	int rc = -1;
	if (head == NULL || groups == NULL) {
		json_object_put(groups);
		goto out;
	}
	json_object_object_add(head, "by", json_object_new_string(pq_group_by_name(f->by)));
	json_object_object_add(head, "scope", json_object_new_string(pq_scope_name(f->scope)));
	if (pq_json_note_partial(head, format_index) != 0) {
		json_object_put(groups);
		goto out;
	}
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
	/* Each row is written piece by piece into one buffer: a table can have millions of
	 * cells, and an object for each costs many times the writing. The bytes are those of
	 * the row as a json-c object: json-c itself writes the term and each rate. */
	if ((rate = json_object_new_double(0)) == NULL ||
	    (rates.text = calloc(f->n_groups ? f->n_groups * RATES_KEPT : 1,
				 sizeof *rates.text)) == NULL)
		goto out;
	for (size_t i = 0; i < f->n_terms; i++) {
		const pq_freq_cell_t *cells;
		size_t occ = 0, pas = 0;
		if (pq_freq_row(f, i, &cells, error) != PS_OK)
			goto out;
		for (size_t g = 0; g < f->n_groups; g++) {
			occ += cells[g].occurrences;
			pas += cells[g].passages;
		}
		json_object *term = json_object_new_string(terms[i]);
		row.len = 0;
		int bad = term == NULL || strbuf_append_str(&row, i == 0 ? "{\"term\":" : ",{\"term\":") ||
			  pq_json_append(term, &row) ||
			  strbuf_append_str(&row, ",\"occurrences\":") || append_size(&row, occ) ||
			  strbuf_append_str(&row, ",\"passages\":") || append_size(&row, pas) ||
			  strbuf_append_str(&row, ",\"groups\":[");
		json_object_put(term);
		for (size_t g = 0; g < f->n_groups && !bad; g++) {
			const pq_freq_cell_t *c = &cells[g];
			if (g > 0)
				bad |= strbuf_append(&row, ",", 1);
			if (c->occurrences == 0 && c->passages == 0) {
				bad |= strbuf_append_str(&row, ZERO_CELL);
				continue;
			}
			bad |= strbuf_append_str(&row, "{\"occurrences\":") ||
			       append_size(&row, c->occurrences) ||
			       strbuf_append_str(&row, ",\"passages\":") ||
			       append_size(&row, c->passages) ||
			       strbuf_append_str(&row, ",\"per_10k_chars\":") ||
			       append_rate(&rates, rate, g, c->occurrences, f->groups[g].characters,
					   &row) ||
			       strbuf_append(&row, "}", 1);
		}
		if (bad || strbuf_append(&row, "]}", 2) != 0 ||
		    fwrite(row.data, 1, row.len, out) != row.len)
			goto out;
	}
	rc = pq_json_close_array(out);
out:
	json_object_put(o);
	json_object_put(rate);
	json_object_put(head);
	strbuf_free(&row);
	free(rates.text);
	return rc;
}

int pq_freq_write(FILE *out, const pq_freq_t *f, const char *const *terms,
		  const pq_freq_format_t *format, char **error)
{
	if (format->format == PQ_TABLE_JSON)
		return write_json(out, f, terms, format->index, error);
	if (format->excel && fputs(PQ_TABLE_BOM, out) == EOF)
		return -1;
	return format->wide ? write_wide(out, format->format, f, terms, format->threads, error)
			    : write_long(out, format->format, f, terms, format->threads, error);
}
