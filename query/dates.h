/* dates.h: the dates plans print (2023年1月, 2021-05-10) and --date ranges, as spans of days to compare. */
#ifndef PQ_DATES_H
#define PQ_DATES_H

#include "status.h"
#include "store.h"

#include <stddef.h>

/* The days a date covers, each as YYYYMMDD: 2023年1月 is 20230101..20230131 (a month or a
 * year without its day covers the whole of it). */
typedef struct pq_date_span {
	long first, last;
} pq_date_span_t;

/*
 * Read a date as a plan prints it: a four-digit year, then optionally a month and a day,
 * each of one or two digits, after 年, 月, -, . or / (2021, 2021年5月, 2021年5月10日,
 * 2021-05-10, 2021.5, 2021/5/10); ASCII or full-width digits; what follows is ignored.
 * Returns 0 and *out; -1 for text that starts otherwise or names no real month or day.
 */
int pq_date_read(const char *text, pq_date_span_t *out);

/*
 * Read a --date range: FROM..TO, either side a date as pq_date_read reads it and either
 * side may be left out (2021.., ..2022-06); or one date alone, its own span. Returns 0 and
 * *out (FROM's first day to TO's last); -1 when a side cannot be read, the text has no date,
 * or FROM comes after TO.
 */
int pq_date_range_parse(const char *text, pq_date_span_t *out);

/*
 * Of the plans in[0..n_in) (every plan of the index when in is NULL), those whose printed
 * date lies wholly inside range, in the same order; plans with no date, or one
 * pq_date_read cannot read, are left out and counted in *n_undated. Returns PS_OK and a
 * malloc'd array of borrowed plans (free the array only); PS_ERR_INVALID with a malloc'd
 * message in *error when no plan is left (it lists the dates the plans print); or
 * PS_ERR_NO_MEMORY.
 */
ps_status_t pq_select_dated(ps_store_t *index, const ps_plan_t *const *in, size_t n_in,
			    const pq_date_span_t *range, const char *range_text,
			    const ps_plan_t ***out, size_t *n_out, size_t *n_undated,
			    char **error);

#endif
