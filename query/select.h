/* select.h: the plans a request is limited to, named by city and by province. */
#ifndef PQ_SELECT_H
#define PQ_SELECT_H

#include "status.h"
#include "store.h"

#include <stddef.h>

/*
 * The plans named by cities[0..n_cities) (丹东, 丹东市 or dandong: ps_store_find_cities)
 * and provinces[0..n_provinces) (辽宁省 or 辽宁: the plan's province exactly, or without a
 * 省/市/自治区 suffix), each plan once, in index order: with cities only, every plan of
 * those cities; with provinces only, every plan in them; with both, the plans of those
 * cities that lie in those provinces. With neither, *out is NULL and *n_out 0 (no limit).
 * Returns PS_OK and a malloc'd array of borrowed plans (free the array only);
 * PS_ERR_INVALID with a malloc'd message in *error for a name no plan has (it lists the
 * cities or provinces the index holds) or cities none of which lies in the provinces; or
 * PS_ERR_NO_MEMORY. Names are escaped in messages (escape.h).
 */
ps_status_t pq_select_plans(ps_store_t *index, const char *const *cities, size_t n_cities,
			    const char *const *provinces, size_t n_provinces,
			    const ps_plan_t ***out, size_t *n_out, char **error);

/* Whether name names the province (the rules above). Cannot fail. */
bool pq_province_is(const char *province, const char *name);

#endif
