/* select.c: resolving --city and --province names into the plans a request searches. */
#include "select.h"

#include "escape.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* An index of thousands of plans names the first few of its cities in a message. */
#define LISTED 20

static const char *const province_suffixes[] = {"省", "市", "自治区", "特别行政区"};

bool pq_province_is(const char *province, const char *name)
{
	if (province == NULL || *name == '\0')
		return false;
	if (strcmp(province, name) == 0)
		return true;
	size_t n = strlen(name);
	if (strncmp(province, name, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof province_suffixes / sizeof province_suffixes[0]; i++)
		if (strcmp(province + n, province_suffixes[i]) == 0)
			return true;
	return false;
}

static ps_status_t unknown_city(const ps_plan_t *plans, size_t n_plans, const char *name,
				char **error)
{
	strbuf_t sb = STRBUF_INIT;
	strbuf_append_str(&sb, "unknown city '");
	util_escape_text(&sb, name, strlen(name));
	strbuf_append_str(&sb, "'; the index has:");
	for (size_t p = 0; p < n_plans && p < LISTED; p++) {
		strbuf_append_str(&sb, p ? ", " : " ");
		util_escape_text(&sb, plans[p].city, strlen(plans[p].city));
		strbuf_printf(&sb, " (%s)", plans[p].city_id);
	}
	if (n_plans > LISTED)
		strbuf_printf(&sb, " and %zu more", n_plans - LISTED);
	if ((*error = strbuf_steal(&sb)) == NULL) {
		strbuf_free(&sb);
		return PS_ERR_NO_MEMORY;
	}
	return PS_ERR_INVALID;
}

static ps_status_t unknown_province(const ps_plan_t *plans, size_t n_plans, const char *name,
				    char **error)
{
	strbuf_t sb = STRBUF_INIT;
	size_t listed = 0;
	strbuf_append_str(&sb, "unknown province '");
	util_escape_text(&sb, name, strlen(name));
	strbuf_append_str(&sb, "'; the index has:");
	for (size_t p = 0; p < n_plans && listed < LISTED; p++) {
		bool seen = false;
		for (size_t q = 0; q < p && !seen; q++)
			seen = strcmp(plans[q].province, plans[p].province) == 0;
		if (seen)
			continue;
		strbuf_append_str(&sb, listed++ ? ", " : " ");
		util_escape_text(&sb, plans[p].province, strlen(plans[p].province));
	}
	if ((*error = strbuf_steal(&sb)) == NULL) {
		strbuf_free(&sb);
		return PS_ERR_NO_MEMORY;
	}
	return PS_ERR_INVALID;
}

ps_status_t pq_select_plans(ps_store_t *index, const char *const *cities, size_t n_cities,
			    const char *const *provinces, size_t n_provinces,
			    const ps_plan_t ***out, size_t *n_out, char **error)
{
	size_t n_plans;
	const ps_plan_t *plans = ps_store_plans(index, &n_plans);
	bool *chosen = NULL;
	const ps_plan_t **named = NULL, **sel = NULL;
	ps_status_t rc = PS_ERR_NO_MEMORY;
	*out = NULL;
	*n_out = 0;
	if (n_cities == 0 && n_provinces == 0)
		return PS_OK;
	chosen = calloc(n_plans ? n_plans : 1, sizeof *chosen);
	named = calloc(n_plans ? n_plans : 1, sizeof *named);
	if (chosen == NULL || named == NULL)
		goto oom;
	/* cities: the plans they name; with none, every plan is a candidate */
	for (size_t p = 0; n_cities == 0 && p < n_plans; p++)
		chosen[p] = true;
	for (size_t i = 0; i < n_cities; i++) {
		size_t k = ps_store_find_cities(index, cities[i], named);
		if (k == 0) {
			rc = unknown_city(plans, n_plans, cities[i], error);
			goto out;
		}
		for (size_t j = 0; j < k; j++)
			chosen[named[j] - plans] = true;
	}
	/* provinces: keep the candidates in one of them */
	for (size_t i = 0; i < n_provinces; i++) {
		bool known = false;
		for (size_t p = 0; p < n_plans && !known; p++)
			known = pq_province_is(plans[p].province, provinces[i]);
		if (!known) {
			rc = unknown_province(plans, n_plans, provinces[i], error);
			goto out;
		}
	}
	size_t found = 0;
	for (size_t p = 0; p < n_plans; p++) {
		bool in = n_provinces == 0;
		for (size_t i = 0; i < n_provinces && !in && chosen[p]; i++)
			in = pq_province_is(plans[p].province, provinces[i]);
		chosen[p] = chosen[p] && in;
		found += chosen[p];
	}
	if (found == 0) {
		strbuf_printf_new(error, "none of the cities given lies in the provinces given");
		rc = PS_ERR_INVALID;
		goto out;
	}
	if ((sel = calloc(found, sizeof *sel)) == NULL)
		goto oom;
	for (size_t p = 0, k = 0; p < n_plans; p++)
		if (chosen[p])
			sel[k++] = &plans[p];
	*out = sel;
	*n_out = found;
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(chosen);
	free(named);
	return rc;
}
