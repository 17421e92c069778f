/* indicators.c: the rows of the indicator tables, chosen by term in normal form, grouped into indicators. */
#include "indicators.h"

#include "ids.h"
#include "normalize.h"
#include "rows.h"
#include "strbuf.h"
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

/* What finding needs beside the results, per row. */
typedef struct work {
	pq_indicators_t *r;
	size_t cap_rows, cap_groups, cap_keys;
	size_t *term;      /* per row: the first term its label holds */
	char **norm;       /* per row: its name's normal form */
	size_t n_norm;     /* how many norm[] holds, to free */
	util_strmap_t keys; /* key -> index in r->keys */
	char **terms;      /* the terms' normal forms */
	size_t n_terms;
} work_t;

/* Grow *items (of size each) so that it holds n + 1. Returns 0, or -1 (memory). */
static int grow(void **items, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*items, c * size);
	if (p == NULL)
		return -1;
	*items = p;
	*cap = c;
	return 0;
}

int pq_indicator_key(const char *src, const ps_table_t *t, size_t c, strbuf_t *sb)
{
	const ps_table_column_t *col = &t->columns[c];
	const char *h = src + col->header.start;
	size_t n = col->header.end - col->header.start, digits = 0;
	while (digits < n && h[digits] >= '0' && h[digits] <= '9')
		digits++;
	bool bare_year = col->year != 0 && digits == 4 &&
			 (n == 4 || (n == 4 + strlen("年") && memcmp(h + 4, "年", n - 4) == 0));
	if (bare_year)
		return strbuf_printf(sb, "%d", col->year);
	return strbuf_append(sb, h, n);
}

int pq_indicator_key_index(const pq_indicators_t *ind, const pq_indicator_t *row, size_t c)
{
	if (row->table->columns[c].role != SEG_COLUMN_VALUE)
		return -1;
	strbuf_t sb = STRBUF_INIT;
	int found = -1;
	if (pq_indicator_key(row->src, row->table, c, &sb) == 0)
		for (size_t k = 0; k < ind->n_keys && found < 0; k++)
			if (strlen(ind->keys[k]) == sb.len && memcmp(ind->keys[k], sb.data, sb.len) == 0)
				found = (int)k;
	strbuf_free(&sb);
	return found;
}

/* The normal form of s[0,n) into *out (owned). Returns 0, or -1 with a message. */
static int normal_form(const char *s, size_t n, char **out, char **error)
{
	seg_norm_t norm = {0};
	if (seg_normalize(s, n, false, &norm, error) != 0)
		return -1;
	*out = norm.text; /* taken: nothing else of norm is allocated without a map */
	return 0;
}

/* Add the row to the results if its label holds a term (or there are none). */
static int add_row(work_t *w, const ps_plan_t *plan, const ps_outline_t *o, const char *src,
		   const ps_table_t *t, size_t r, char **error)
{
	pq_indicators_t *res = w->r;
	const ps_table_row_t *row = &t->rows[r];
	size_t name_len;
	const char *name = pq_row_name(src, t, row, &name_len);
	char *norm = NULL;
	if (normal_form(name, name_len, &norm, error) != 0)
		return -1;
	size_t term = 0;
	while (term < w->n_terms && strstr(norm, w->terms[term]) == NULL)
		term++;
	if (w->n_terms > 0 && term == w->n_terms) {
		free(norm);
		return 0;
	}
	size_t old_cap = w->cap_rows;
	if (grow((void **)&res->rows, &w->cap_rows, res->n_rows, sizeof *res->rows) != 0) {
		free(norm);
		goto oom;
	}
	if (w->cap_rows != old_cap) { /* term[] and norm[] run parallel to rows[] */
		size_t *terms = realloc(w->term, w->cap_rows * sizeof *terms);
		if (terms != NULL)
			w->term = terms;
		char **norms = realloc(w->norm, w->cap_rows * sizeof *norms);
		if (norms != NULL)
			w->norm = norms;
		if (terms == NULL || norms == NULL) {
			w->cap_rows = old_cap; /* so the next row tries again */
			free(norm);
			goto oom;
		}
	}
	strbuf_t id = STRBUF_INIT, tid = STRBUF_INIT;
	const char *path = o->sections[t->section].path;
	pq_indicator_t *ind = &res->rows[res->n_rows];
	*ind = (pq_indicator_t){.plan = plan, .table = t, .row = row, .src = src};
	if (ps_id_row(&id, plan->city_id, path, t->ordinal, (int)r + 1) != 0 ||
	    ps_id_table(&tid, plan->city_id, path, t->ordinal) != 0 ||
	    (ind->name = strndup(name, name_len)) == NULL) {
		strbuf_free(&id);
		strbuf_free(&tid);
		free(ind->name);
		free(norm);
		goto oom;
	}
	ind->id = strbuf_steal(&id);
	ind->table_id = strbuf_steal(&tid);
	w->term[res->n_rows] = term;
	w->norm[res->n_rows] = norm;
	w->n_norm = ++res->n_rows;
	for (size_t c = 0; c < t->n_columns; c++) { /* the value columns' keys */
		if (t->columns[c].role != SEG_COLUMN_VALUE)
			continue;
		strbuf_t key = STRBUF_INIT;
		if (pq_indicator_key(src, t, c, &key) != 0 ||
		    grow((void **)&res->keys, &w->cap_keys, res->n_keys, sizeof *res->keys) != 0) {
			strbuf_free(&key);
			goto oom;
		}
		char *k = key.data ? strbuf_steal(&key) : strdup("");
		if (k == NULL)
			goto oom;
		int added = util_strmap_put(&w->keys, k, strlen(k), res->n_keys, NULL);
		if (added < 0) {
			free(k);
			goto oom;
		}
		if (added == 0)
			free(k);
		else
			res->keys[res->n_keys++] = k;
	}
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

/* Append a new group; returns its index, or -1 (memory). name and how are taken. */
static long add_group(work_t *w, char *name, char *how)
{
	pq_indicators_t *r = w->r;
	if (name == NULL || how == NULL ||
	    grow((void **)&r->groups, &w->cap_groups, r->n_groups, sizeof *r->groups) != 0) {
		free(name);
		free(how);
		return -1;
	}
	r->groups[r->n_groups] = (pq_indicator_group_t){.name = name, .how = how};
	return (long)r->n_groups++;
}

/* "学前教育毛入园率（丹东市）、学前三年毛入园率（大连市）": each distinct label of
 * `members` (rows whose w->term is `term`, or every row when term is SIZE_MAX, whose norm is
 * `norm` unless NULL) with the cities that print it. */
static void list_labels(const work_t *w, size_t term, const char *norm, strbuf_t *sb)
{
	const pq_indicators_t *r = w->r;
	size_t listed = 0;
	for (size_t i = 0; i < r->n_rows; i++) {
		if ((term != SIZE_MAX && w->term[i] != term) || (norm && strcmp(w->norm[i], norm)))
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = (term == SIZE_MAX || w->term[j] == term) &&
			       (!norm || strcmp(w->norm[j], norm) == 0) &&
			       strcmp(r->rows[j].name, r->rows[i].name) == 0 &&
			       r->rows[j].plan == r->rows[i].plan;
		if (seen)
			continue;
		strbuf_printf(sb, "%s%s（%s）", listed++ ? "、" : "", r->rows[i].name,
			      r->rows[i].plan->city);
	}
}

/* Group rows [every row whose term is `term`, or all for SIZE_MAX] by their labels' normal
 * forms, `why` opening each group's sentence. Returns 0, or -1 (memory). */
static int group_by_name(work_t *w, size_t term, const char *why)
{
	pq_indicators_t *r = w->r;
	util_strmap_t names = UTIL_STRMAP_INIT;
	int rc = -1;
	for (size_t i = 0; i < r->n_rows; i++) {
		if (term != SIZE_MAX && w->term[i] != term)
			continue;
		size_t g;
		if (util_strmap_get(&names, w->norm[i], strlen(w->norm[i]), &g)) {
			r->rows[i].group = g;
			continue;
		}
		strbuf_t how = STRBUF_INIT;
		strbuf_printf(&how, "%sthe rows labelled “%s” (in normal form): ", why, w->norm[i]);
		list_labels(w, term, w->norm[i], &how);
		long n = add_group(w, strdup(r->rows[i].name), strbuf_steal(&how));
		if (n < 0 || util_strmap_put(&names, w->norm[i], strlen(w->norm[i]), (size_t)n,
					     NULL) < 0)
			goto out;
		r->rows[i].group = (size_t)n;
	}
	rc = 0;
out:
	util_strmap_free(&names);
	return rc;
}

/* Group the rows (see indicators.h). Returns 0, or -1 (memory). */
static int group_rows(work_t *w, const char *const *given)
{
	pq_indicators_t *r = w->r;
	if (w->n_terms == 0)
		return group_by_name(w, SIZE_MAX, "");
	for (size_t t = 0; t < w->n_terms; t++) {
		size_t first = SIZE_MAX;
		const ps_table_t *clash = NULL;
		for (size_t i = 0; i < r->n_rows; i++) {
			if (w->term[i] != t)
				continue;
			if (first == SIZE_MAX)
				first = i;
			for (size_t j = first; j < i && clash == NULL; j++)
				if (w->term[j] == t && r->rows[j].table == r->rows[i].table)
					clash = r->rows[i].table;
		}
		if (first == SIZE_MAX)
			continue;
		strbuf_t how = STRBUF_INIT;
		if (clash != NULL) {
			strbuf_printf(&how, "“%s” is in several labels of one table, so each label "
				      "is an indicator of its own: ", given[t]);
			char *why = strbuf_steal(&how);
			int rc = why ? group_by_name(w, t, why) : -1;
			free(why);
			if (rc != 0)
				return -1;
			continue;
		}
		strbuf_printf(&how, "the labels holding “%s”, at most one in each table: ",
			      given[t]);
		list_labels(w, t, NULL, &how);
		long g = add_group(w, strdup(given[t]), strbuf_steal(&how));
		if (g < 0)
			return -1;
		for (size_t i = first; i < r->n_rows; i++)
			if (w->term[i] == t)
				r->rows[i].group = (size_t)g;
	}
	return 0;
}

ps_status_t pq_indicators_find(ps_store_t *store, const pq_indicators_request_t *req,
			       pq_indicators_t **out, char **error)
{
	work_t w = {.keys = UTIL_STRMAP_INIT};
	ps_status_t st = PS_ERR_FAILED;
	size_t n_all;
	const ps_plan_t *all = ps_store_plans(store, &n_all);
	size_t n_plans = req->n_plans ? req->n_plans : n_all;
	if ((w.r = calloc(1, sizeof *w.r)) == NULL ||
	    (w.terms = calloc(req->n_terms ? req->n_terms : 1, sizeof *w.terms)) == NULL)
		goto oom;
	for (size_t t = 0; t < req->n_terms; t++, w.n_terms++) {
		if (normal_form(req->terms[t], strlen(req->terms[t]), &w.terms[t], error) != 0)
			goto out;
		if (w.terms[t][0] == '\0') {
			strbuf_printf_new(error, "the term '%s' is empty once normalised",
					  req->terms[t]);
			st = PS_ERR_INVALID;
			w.n_terms++;
			goto out;
		}
	}
	for (size_t p = 0; p < n_plans; p++) {
		const ps_plan_t *plan = req->n_plans ? req->plans[p] : &all[p];
		const ps_outline_t *o;
		const char *src;
		size_t len;
		if (ps_store_plan_outline(store, plan, &o, error) != 0)
			goto out;
		if (o->n_tables == 0)
			continue;
		if (ps_store_plan_source(store, plan, &src, &len, error) != 0)
			goto out;
		for (size_t t = 0; t < o->n_tables; t++)
			for (size_t r = 0; r < o->tables[t].n_rows; r++)
				if (add_row(&w, plan, o, src, &o->tables[t], r, error) != 0)
					goto out;
	}
	if (group_rows(&w, req->terms) != 0)
		goto oom;
	*out = w.r;
	w.r = NULL;
	st = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	for (size_t i = 0; i < w.n_norm; i++)
		free(w.norm[i]);
	free(w.norm);
	free(w.term);
	for (size_t t = 0; t < w.n_terms; t++)
		free(w.terms[t]);
	free(w.terms);
	util_strmap_free(&w.keys);
	pq_indicators_free(w.r);
	return st;
}

void pq_indicators_free(pq_indicators_t *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_rows; i++) {
		free(r->rows[i].id);
		free(r->rows[i].table_id);
		free(r->rows[i].name);
	}
	for (size_t g = 0; g < r->n_groups; g++) {
		free(r->groups[g].name);
		free(r->groups[g].how);
	}
	for (size_t k = 0; k < r->n_keys; k++)
		free(r->keys[k]);
	free(r->rows);
	free(r->groups);
	free(r->keys);
	free(r);
}
