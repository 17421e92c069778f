/* freq_format.c: frequency tables as CSV, TSV (long and wide) and JSON. */
#include "freq_format.h"
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
static int group_prefixes(pq_table_format_t fm, const pq_freq_t *f, strbuf_t **out)
{
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

static int write_long(FILE *out, pq_table_format_t fm, const pq_freq_t *f,
		      const char *const *terms)
{
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
	bad |= group_prefixes(fm, f, &prefix);
	/* a term's rows are built in one buffer and written at once */
	for (size_t i = 0; i < f->n_terms && !bad; i++) {
		strbuf_t term = STRBUF_INIT;
		bad |= pq_table_escape(fm, terms[i], strlen(terms[i]), &term);
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

static int write_wide(FILE *out, pq_table_format_t fm, const pq_freq_t *f,
		      const char *const *terms)
{
	const char *sep = fm == PQ_TABLE_TSV ? "\t" : ",", *eol = fm == PQ_TABLE_TSV ? "\n" : "\r\n";
	strbuf_t row = STRBUF_INIT;
	int bad = pq_table_str(out, fm, true, "term");
	for (size_t g = 0; g < f->n_groups; g++)
		bad |= pq_table_str(out, fm, false, f->groups[g].column);
	bad |= pq_table_end(out, fm);
	for (size_t i = 0; i < f->n_terms && !bad; i++) {
		row.len = 0;
		bad |= pq_table_escape(fm, terms[i], strlen(terms[i]), &row);
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
static int write_json(FILE *out, const pq_freq_t *f, const char *const *terms,
		      const ps_store_t *format_index)
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
	for (size_t i = 0; i < f->n_terms; i++) {
		json_object *cells = json_object_new_array();
		size_t occ = 0, pas = 0;
		if ((o = json_object_new_object()) == NULL || cells == NULL) {
			json_object_put(cells);
			goto out;
		}
		json_object_object_add(o, "term", json_object_new_string(terms[i]));
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

int pq_freq_write(FILE *out, const pq_freq_t *f, const char *const *terms,
		  const pq_freq_format_t *format)
{
	if (format->format == PQ_TABLE_JSON)
		return write_json(out, f, terms, format->index);
	if (format->excel && fputs(PQ_TABLE_BOM, out) == EOF)
		return -1;
	return format->wide ? write_wide(out, format->format, f, terms)
			    : write_long(out, format->format, f, terms);
}
