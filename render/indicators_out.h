/* indicators_out.h: writing indicator rows, or their comparison across plans, as text, CSV, TSV or JSON. */
#ifndef PQ_INDICATORS_OUT_H
#define PQ_INDICATORS_OUT_H

#include "indicators.h"
#include "table.h"

#include <stdbool.h>
#include <stdio.h>

/*
 * Without compare, one record per row (an indicator in one plan's table):
 * - text: each table under a line naming its city, document, title, id and lines; each row
 *   as search shows it (label, then header: value), with its unit, id and line;
 * - CSV/TSV: city, city_id, document, table, table_id, indicator, label, unit, attribute,
 *   serial, one column per value key (indicators.h) with the value as printed, file, line, id;
 * - JSON: {"indicators":[{"city","city_id","document","table","table_id","indicator",
 *   "label","unit","attribute","serial","values":{key: as printed},"parsed":{key:
 *   {"number","comparator"}} (the values that read as a number),"lines":{key: line},
 *   "file","line","id"}]}.
 * With compare, one record per indicator (a group) and a column per plan and key, in the
 * order they first appear: "丹东市 2025", "大连市 2020", … (a plan sharing its city with
 * another is named by its id too); a cell holds the value as printed ("; " between two rows
 * of one plan), empty where the plan states none; and how the rows were grouped:
 * - text: a grid, then each indicator's grouping;
 * - CSV/TSV: indicator, unit, the columns, grouping;
 * - JSON: {"columns":[{"city","city_id","key","label"}],"indicators":[{"indicator","unit",
 *   "values":[as printed or null, per column],"rows":[ids],"grouping"}]}.
 * JSON is marked partial when index (may be NULL) was opened without some shards.
 * Returns 0, or -1 with errno set when a write fails or memory runs out.
 */
int pq_indicators_write(FILE *out, const ps_store_t *index, const pq_indicators_t *ind,
			pq_table_format_t format, bool compare);

#endif
