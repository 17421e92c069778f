/* rows.c: an indicator table's row as one line of text, its cells under their headers. */
#include "rows.h"

#include <stdio.h>
#include <stdlib.h>

size_t pq_row_order(const ps_table_t *t, int order[SEG_TABLE_MAX_COLUMNS])
{
	size_t n = 0;
	order[n++] = t->label_column;
	for (size_t c = 0; c < t->n_columns && n < SEG_TABLE_MAX_COLUMNS; c++)
		if ((int)c != t->label_column)
			order[n++] = (int)c;
	return n;
}

int pq_row_header(const char *src, const ps_table_t *t, size_t c, strbuf_t *sb)
{
	const ps_table_cell_t *h = &t->columns[c].header;
	return strbuf_append(sb, src + h->start, h->end - h->start);
}

int pq_row_line(const char *src, const ps_table_t *t, const ps_table_row_t *row, strbuf_t *sb)
{
	int order[SEG_TABLE_MAX_COLUMNS];
	size_t n = pq_row_order(t, order);
	for (size_t k = 0; k < n; k++) {
		const ps_table_cell_t *cell = &row->cells[order[k]];
		if (k > 0 && (strbuf_append(sb, " · ", sizeof " · " - 1) != 0 ||
			      pq_row_header(src, t, (size_t)order[k], sb) != 0 ||
			      strbuf_append(sb, ": ", 2) != 0))
			return -1;
		if (strbuf_append(sb, src + cell->start, cell->end - cell->start) != 0)
			return -1;
	}
	return 0;
}

const char *pq_row_name(const char *src, const ps_table_t *t, const ps_table_row_t *row,
			size_t *len)
{
	const ps_table_cell_t *label = &row->cells[t->label_column];
	*len = row->name_end - label->start;
	return src + label->start;
}

json_object *pq_json_number(double number)
{
	char buf[32];
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(buf, sizeof buf, "%.*g", digits, number);
		if (strtod(buf, NULL) == number)
			break;
	}
	return json_object_new_double_s(number, buf);
}
