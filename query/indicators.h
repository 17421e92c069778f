/* indicators.h: the rows of the plans' indicator tables, chosen by term, grouped into indicators and laid side by side. */
#ifndef PQ_INDICATORS_H
#define PQ_INDICATORS_H

#include "status.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Every row of every indicator table the index holds (store.h: the tables the segmenter
 * read), or those whose label holds one of the terms, each term and label compared in their
 * normal form (normalize.h: full-width and traditional forms match). Rows are in index
 * order of their plans, then in text order.
 *
 * Rows are grouped into indicators, for comparing plans (policy-query indicators
 * --compare):
 * - by term: the rows whose label holds a term (the first term it holds, as given) are one
 *   indicator named by the term when no table holds two of them: 学前教育毛入园率 and
 *   学前三年毛入园率 are 毛入园率. Where one table holds several (教师 in 专任教师比例 and
 *   双师型教师比例), they are different indicators there, so each label is one of its own;
 * - without terms, or in that case: rows whose labels read the same (in normal form, with
 *   the unit marker that ends a label left off: 毛入园率% and 毛入园率) are one indicator.
 * Each group says in a sentence how it was formed.
 *
 * A value's column has a key: the year alone for a header that is only a year (2025,
 * 2025年), else the header as printed (完成情况, 2025年目标值, 累计), so plans that print
 * 2025 and 2025年 share the column 2025.
 */

typedef struct pq_indicator {
	const ps_plan_t *plan;         /* borrowed from the index */
	const ps_table_t *table;       /* borrowed from the plan's outline */
	const ps_table_row_t *row;
	const char *src;               /* the plan's text, which every cell's bytes are in */
	char *id;                      /* the row's id, dalian/2.3.2/t1.1; owned */
	char *table_id;                /* dalian/2.3.2/t1; owned */
	char *name;                    /* the label without the unit marker that ends it, as
					* printed; owned */
	size_t group;                  /* its indicator: an index into groups[] */
} pq_indicator_t;

typedef struct pq_indicator_group {
	char *name;  /* the term, or the label as the first row prints it (no unit marker) */
	char *how;   /* how its rows were grouped, one sentence naming the labels */
} pq_indicator_group_t;

typedef struct pq_indicators {
	pq_indicator_t *rows;
	size_t n_rows;
	pq_indicator_group_t *groups; /* in order of their first row */
	size_t n_groups;
	char **keys;                  /* every value column's key, in order of first use */
	size_t n_keys;
} pq_indicators_t;

typedef struct pq_indicators_request {
	const char *const *terms;       /* none: every row */
	size_t n_terms;
	const ps_plan_t *const *plans;  /* none: every plan */
	size_t n_plans;
} pq_indicators_request_t;

/* Find the rows. Returns PS_OK and results (perhaps none) the caller frees with
 * pq_indicators_free; PS_ERR_INVALID with a malloc'd message in *error for a term that
 * normalises to nothing; PS_ERR_FAILED with a message when the index cannot be read or
 * memory runs out. */
ps_status_t pq_indicators_find(ps_store_t *store, const pq_indicators_request_t *request,
			       pq_indicators_t **out, char **error);

/* The key of a table's value column c (see above), appended to sb. Returns 0, or -1 when
 * memory runs out. */
struct strbuf;
int pq_indicator_key(const char *src, const ps_table_t *table, size_t c, struct strbuf *sb);

/* The index in keys[] of the key of column c of row's table, or -1 if none (a column that
 * is not a value). Cannot fail but for memory (-1 then too). */
int pq_indicator_key_index(const pq_indicators_t *ind, const pq_indicator_t *row, size_t c);

/* Free. Accepts NULL. */
void pq_indicators_free(pq_indicators_t *indicators);

#endif
