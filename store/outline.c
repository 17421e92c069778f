/* outline.c: a plan's outline as the index keeps it (format.h): decoding it, and finding sections, clauses and rows in it. */
#include "format.h"
#include "internal.h"
#include "store.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- the outline ---------------------------------------------------------------- */

int ps_outline_find_section(const ps_outline_t *o, const char *path)
{
	for (size_t i = 0; i < o->n_sections; i++)
		if (strcmp(o->sections[i].path, path) == 0)
			return (int)i;
	return -1;
}

int ps_outline_find_paragraph(const ps_outline_t *o, int section, int ordinal)
{
	for (size_t i = 0; i < o->n_paragraphs; i++)
		if (o->paragraphs[i].section == section && o->paragraphs[i].ordinal == ordinal)
			return (int)i;
	return -1;
}

int ps_outline_clause_at(const ps_outline_t *o, size_t offset)
{
	size_t lo = 0, hi = o->n_clauses; /* the first clause starting after offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->clauses[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

int ps_outline_section_at(const ps_outline_t *o, size_t offset)
{
	size_t lo = 1, hi = o->n_sections; /* the first section starting after offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->sections[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

size_t ps_outline_own_end(const ps_outline_t *o, int i)
{
	size_t end = i == 0 ? o->sections[0].start : o->sections[i].heading_end;
	for (size_t k = 0; k < o->n_paragraphs; k++)
		if (o->paragraphs[k].section == i && o->paragraphs[k].end > end)
			end = o->paragraphs[k].end;
	return end;
}

int ps_outline_chapter_of(const ps_outline_t *o, int i)
{
	while (i > 0 && o->sections[i].parent > 0)
		i = o->sections[i].parent;
	return i;
}

static bool cell_decode(const char *cells, uint32_t n_cells, uint32_t k, size_t plan_bytes,
			ps_table_cell_t *out)
{
	ps_cell_rec_t r;
	if (k >= n_cells)
		return false;
	memcpy(&r, cells + (size_t)k * sizeof r, sizeof r);
	if (r.end < r.start || r.end > plan_bytes || r.cmp > SEG_CMP_ABOUT)
		return false;
	*out = (ps_table_cell_t){.start = r.start, .end = r.end, .line = r.line,
				 .has_number = r.has_number != 0, .number = r.number,
				 .cmp = (seg_cmp_t)r.cmp};
	return true;
}

/* The tables part of an outline blob (format.h), at data, into o (whose sections are
 * decoded). The records are read with memcpy: they follow records whose sizes are not
 * multiples of 8. Returns 0, or -1 when they are malformed or memory runs out (what o
 * holds is freed by ps_outline_free). */
static int decode_tables(ps_outline_t *o, const ps_outline_head_t *h, const char *data,
			 size_t plan_bytes)
{
	const char *trec = data;
	const char *colrec = trec + h->n_tables * sizeof(ps_table_rec_t);
	const char *rowrec = colrec + h->n_columns * sizeof(ps_column_rec_t);
	const char *cellrec = rowrec + h->n_rows * sizeof(ps_row_rec_t);
	ps_table_t *tables = calloc(h->n_tables ? h->n_tables : 1, sizeof *tables);
	ps_table_column_t *columns = calloc(h->n_columns ? h->n_columns : 1, sizeof *columns);
	ps_table_row_t *rows = calloc(h->n_rows ? h->n_rows : 1, sizeof *rows);
	ps_table_cell_t *cells = calloc(h->n_cells ? h->n_cells : 1, sizeof *cells);
	char(*units)[16] = calloc(h->n_rows ? h->n_rows : 1, sizeof *units);
	/* owned by the outline from here on, freed with it */
	o->tables = tables;
	o->table_parts[0] = columns;
	o->table_parts[1] = rows;
	o->table_parts[2] = cells;
	o->table_parts[3] = units;
	if (tables == NULL || columns == NULL || rows == NULL || cells == NULL || units == NULL)
		return -1;
	for (uint32_t k = 0; k < h->n_cells; k++)
		if (!cell_decode(cellrec, h->n_cells, k, plan_bytes, &cells[k]))
			return -1;
	for (uint32_t i = 0; i < h->n_columns; i++) {
		ps_column_rec_t r;
		memcpy(&r, colrec + (size_t)i * sizeof r, sizeof r);
		if (r.role > SEG_COLUMN_VALUE || r.header_cell >= h->n_cells)
			return -1;
		columns[i] = (ps_table_column_t){.role = (seg_column_role_t)r.role, .year = r.year,
						 .header = cells[r.header_cell]};
	}
	for (uint32_t i = 0; i < h->n_tables; i++) {
		ps_table_rec_t r;
		memcpy(&r, trec + (size_t)i * sizeof r, sizeof r);
		if (r.title_cell >= h->n_cells || r.n_columns == 0 || r.n_rows == 0 ||
		    r.first_column > h->n_columns || h->n_columns - r.first_column < r.n_columns ||
		    r.first_row > h->n_rows || h->n_rows - r.first_row < r.n_rows ||
		    r.label_column < 0 || (uint32_t)r.label_column >= r.n_columns ||
		    r.serial_column >= (int32_t)r.n_columns ||
		    r.attribute_column >= (int32_t)r.n_columns ||
		    r.unit_column >= (int32_t)r.n_columns || r.end < r.start || r.end > plan_bytes)
			return -1;
		ps_table_t *t = &tables[i];
		*t = (ps_table_t){
			.title = cells[r.title_cell], .line = r.line, .end_line = r.end_line,
			.start = r.start, .end = r.end, .columns = columns + r.first_column,
			.n_columns = r.n_columns, .label_column = r.label_column,
			.serial_column = r.serial_column, .attribute_column = r.attribute_column,
			.unit_column = r.unit_column, .rows = rows + r.first_row, .n_rows = r.n_rows,
		};
		t->section = ps_outline_section_at(o, t->title.start);
		t->ordinal = 1;
		for (uint32_t j = i; j-- > 0;)
			if (tables[j].section == t->section)
				t->ordinal++;
		for (uint32_t k = r.first_row; k < r.first_row + r.n_rows; k++) {
			ps_row_rec_t rr;
			memcpy(&rr, rowrec + (size_t)k * sizeof rr, sizeof rr);
			if (rr.first_cell > h->n_cells || h->n_cells - rr.first_cell < r.n_columns ||
			    rr.attribute > SEG_ATTRIBUTE_BINDING ||
			    rr.unit_from > SEG_UNIT_LABEL_NUMBER ||
			    memchr(rr.unit, '\0', sizeof rr.unit) == NULL)
				return -1;
			memcpy(units[k], rr.unit, sizeof rr.unit);
			const ps_table_cell_t *c = cells + rr.first_cell;
			rows[k] = (ps_table_row_t){
				.cells = c, .name_end = rr.name_end, .serial = rr.serial,
				.attribute = (seg_attribute_t)rr.attribute, .unit = units[k],
				.unit_from = (seg_unit_source_t)rr.unit_from, .line = rr.line,
				.end_line = rr.end_line, .start = c[0].start,
				.end = c[r.n_columns - 1].end,
			};
			const ps_table_cell_t *label = &c[r.label_column];
			if (rows[k].end < rows[k].start || rr.name_end < label->start ||
			    rr.name_end > label->end)
				return -1;
		}
		if (i > 0 && t->start < tables[i - 1].end)
			return -1;
	}
	o->n_tables = h->n_tables;
	return 0;
}

bool ps_outline_row_at(const ps_outline_t *o, size_t offset, int *table, int *row)
{
	size_t lo = 0, hi = o->n_tables; /* the last table starting at or before offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->tables[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || offset >= o->tables[lo - 1].end)
		return false;
	const ps_table_t *t = &o->tables[lo - 1];
	size_t a = 0, b = t->n_rows;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (t->rows[mid].start <= offset)
			a = mid + 1;
		else
			b = mid;
	}
	if (a == 0 || offset >= t->rows[a - 1].end)
		return false;
	*table = (int)(lo - 1);
	*row = (int)(a - 1);
	return true;
}

int ps_outline_find_table(const ps_outline_t *o, int section, int ordinal)
{
	for (size_t i = 0; i < o->n_tables; i++)
		if (o->tables[i].section == section && o->tables[i].ordinal == ordinal)
			return (int)i;
	return -1;
}

/* Decode the outline blob at data[0,len) (format.h) into arrays whose strings point into
 * the blob. NULL when it is malformed or memory runs out. */
ps_outline_t *ps_outline_decode(const char *data, size_t len, size_t plan_bytes)
{
	ps_outline_head_t head;
	if (len < sizeof head)
		return NULL;
	memcpy(&head, data, sizeof head);
	size_t need = sizeof head + head.n_sections * sizeof(ps_section_rec_t) +
		      head.n_paragraphs * sizeof(ps_paragraph_rec_t) +
		      head.n_clauses * sizeof(ps_clause_rec_t);
	size_t table_bytes = head.n_tables * sizeof(ps_table_rec_t) +
			     head.n_columns * sizeof(ps_column_rec_t) +
			     head.n_rows * sizeof(ps_row_rec_t) +
			     head.n_cells * sizeof(ps_cell_rec_t);
	if (head.n_sections == 0 || need > len || len - need < table_bytes ||
	    len - need - table_bytes < head.strings_len)
		return NULL;
	const ps_section_rec_t *srec = (const void *)(data + sizeof head);
	const ps_paragraph_rec_t *prec = (const void *)(srec + head.n_sections);
	const ps_clause_rec_t *crec = (const void *)(prec + head.n_paragraphs);
	const char *table_data = (const char *)(crec + head.n_clauses);
	const char *strings = table_data + table_bytes;
	if (head.strings_len == 0 || strings[head.strings_len - 1] != '\0')
		return NULL;

	ps_outline_t *o = calloc(1, sizeof *o);
	ps_section_t *sections = calloc(head.n_sections, sizeof *sections);
	ps_paragraph_t *paras = calloc(head.n_paragraphs ? head.n_paragraphs : 1, sizeof *paras);
	ps_clause_t *clauses = calloc(head.n_clauses ? head.n_clauses : 1, sizeof *clauses);
	if (o == NULL || sections == NULL || paras == NULL || clauses == NULL)
		goto bad;
	for (size_t i = 0; i < head.n_sections; i++) {
		const ps_section_rec_t *r = &srec[i];
		if (r->path >= head.strings_len || r->number >= head.strings_len ||
		    r->title >= head.strings_len || r->parent >= (int32_t)i ||
		    (i > 0) != (r->parent >= 0) || r->end < r->start || r->end > plan_bytes ||
		    r->end_clause < r->first_clause || r->end_clause > head.n_clauses)
			goto bad;
		sections[i] = (ps_section_t){
			.path = strings + r->path, .number = strings + r->number,
			.title = strings + r->title, .article = r->article != 0,
			.parent = r->parent, .depth = r->depth, .line = r->line,
			.first_clause = (int)r->first_clause, .end_clause = (int)r->end_clause,
			.start = (size_t)r->start, .heading_end = (size_t)r->heading_end,
			.end = (size_t)r->end,
		};
	}
	for (size_t i = 0; i < head.n_paragraphs; i++) {
		const ps_paragraph_rec_t *r = &prec[i];
		if (r->section < 0 || (uint32_t)r->section >= head.n_sections || r->end < r->start ||
		    r->end > plan_bytes || r->end_clause < r->first_clause ||
		    r->end_clause > head.n_clauses)
			goto bad;
		paras[i] = (ps_paragraph_t){
			.section = r->section, .ordinal = r->ordinal, .line = r->line,
			.end_line = r->end_line, .item_level = r->item_level,
			.item_number = r->item_number, .first_clause = (int)r->first_clause,
			.end_clause = (int)r->end_clause, .start = (size_t)r->start,
			.end = (size_t)r->end,
		};
	}
	for (size_t i = 0; i < head.n_clauses; i++) {
		const ps_clause_rec_t *r = &crec[i];
		if (r->section < 0 || (uint32_t)r->section >= head.n_sections ||
		    r->paragraph < -1 || r->paragraph >= (int32_t)head.n_paragraphs ||
		    r->end < r->start || r->end > plan_bytes || r->norm_end < r->norm_start ||
		    (i > 0 && r->start < clauses[i - 1].end))
			goto bad;
		clauses[i] = (ps_clause_t){
			.section = r->section, .paragraph = r->paragraph, .ordinal = r->ordinal,
			.line = r->line, .sentence = r->sentence, .part = r->part,
			.start = (size_t)r->start, .end = (size_t)r->end,
			.norm_start = (size_t)r->norm_start, .norm_end = (size_t)r->norm_end,
		};
	}
	o->sections = sections;
	o->n_sections = head.n_sections;
	o->paragraphs = paras;
	o->n_paragraphs = head.n_paragraphs;
	o->clauses = clauses;
	o->n_clauses = head.n_clauses;
	if (decode_tables(o, &head, table_data, plan_bytes) != 0) {
		ps_outline_free(o);
		return NULL;
	}
	return o;
bad:
	free(o);
	free(sections);
	free(paras);
	free(clauses);
	return NULL;
}

void ps_outline_free(ps_outline_t *o)
{
	if (o == NULL)
		return;
	free((void *)o->sections);
	free((void *)o->paragraphs);
	free((void *)o->clauses);
	free((void *)o->tables);
	for (size_t i = 0; i < sizeof o->table_parts / sizeof o->table_parts[0]; i++)
		free(o->table_parts[i]);
	free(o);
}

