/* rows.h: an indicator table's row as people read it: "学前三年毛入园率% · 2020: 90.4 · 2025: 95". */
#ifndef PQ_ROWS_H
#define PQ_ROWS_H

#include "store.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/* The order a row's cells are shown in: the label first, then every other column in printed
 * order (序号, 属性, 单位 and the values). Writes up to SEG_TABLE_MAX_COLUMNS indexes into
 * order[] and returns how many (the table's n_columns). Cannot fail. */
size_t pq_row_order(const ps_table_t *table, int order[SEG_TABLE_MAX_COLUMNS]);

/* Append column c's header as printed (src is the plan's source), or "" for the label
 * column a table does not name. Returns 0, or -1 when memory runs out. */
int pq_row_header(const char *src, const ps_table_t *table, size_t c, strbuf_t *sb);

/* Append the row as one line: its label as printed, then " · <header>: <cell>" for every
 * other column (pq_row_order). Cells are appended as their bytes are, unescaped: a caller
 * writing to a terminal escapes the line (escape.h). Returns 0, or -1 (memory). */
int pq_row_line(const char *src, const ps_table_t *table, const ps_table_row_t *row,
		strbuf_t *sb);

/* The row's label without a unit marker that ends it ("学前三年毛入园率"), as bytes of src:
 * *len bytes at the pointer returned. Cannot fail. */
const char *pq_row_name(const char *src, const ps_table_t *table, const ps_table_row_t *row,
			size_t *len);

/* A cell's number as JSON, written in the fewest digits that read back as it (92.3, not
 * json-c's 92.299999999999997). NULL when memory runs out. */
json_object *pq_json_number(double number);

#endif
