/* search.c: query terms → Xapian candidates (n-gram ANDs, word weights) → exact check → hits. */
#include "search.h"

#include "normalize.h"
#include "schema.h"
#include "strbuf.h"
#include "terms.h"

#include <stdlib.h>
#include <string.h>

/* A growing list of query handles, freed together. */
typedef struct qlist {
	xw_query_t **items;
	size_t n, cap;
} qlist_t;

static int qlist_push(qlist_t *l, xw_query_t *q)
{
	if (q == NULL)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		xw_query_t **items = realloc(l->items, cap * sizeof *items);
		if (items == NULL) {
			xw_query_destroy(q);
			return -1;
		}
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = q;
	return 0;
}

static void qlist_free(qlist_t *l)
{
	for (size_t i = 0; i < l->n; i++)
		xw_query_destroy(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

static int push_term(void *ctx, const char *term, size_t len, unsigned pos)
{
	(void)pos;
	xw_query_t *q = NULL;
	if (xw_query_term(term, len, &q) != XW_OK)
		return -1;
	return qlist_push(ctx, q);
}

/* Combine a list into one query (the list keeps its parts); NULL for an empty list. */
static xw_query_t *combine(xw_query_op_t op, const qlist_t *l)
{
	xw_query_t *q = NULL;
	if (l->n == 0 || xw_query_combine(op, l->items, l->n, &q) != XW_OK)
		return NULL;
	return q;
}

static size_t count_code_points(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* Build the Xapian query: AND over every term's n-grams (bigrams, or the character itself
 * for a one-character term) decides the candidates, the terms' ICU words add weight, and
 * the city filter restricts. */
static xw_query_t *build_query(seg_words_t *words, const pq_results_t *r,
			       const pq_request_t *req, char **error)
{
	qlist_t must = {0}, words_q = {0}, cities = {0}, parts = {0};
	xw_query_t *q = NULL;

	for (size_t i = 0; i < r->n_terms; i++) {
		const char *t = r->norm_terms[i];
		size_t len = strlen(t);
		unsigned kind = count_code_points(t, len) >= 2 ? PI_TERMS_BIGRAMS : PI_TERMS_UNIGRAMS;
		/* a term with spaces inside may have single-character runs: add their unigrams */
		if (strchr(t, ' ') != NULL)
			kind |= PI_TERMS_UNIGRAMS;
		if (pi_terms_generate(words, t, len, kind, push_term, &must, error) != 0 ||
		    pi_terms_generate(words, t, len, PI_TERMS_WORDS, push_term, &words_q, error) != 0)
			goto out;
	}
	xw_query_t *candidates = combine(XW_QUERY_AND, &must);
	if (candidates == NULL || qlist_push(&parts, candidates) != 0)
		goto out;
	xw_query_t *weights = combine(XW_QUERY_OR, &words_q);
	if (weights != NULL && qlist_push(&parts, weights) != 0)
		goto out;
	xw_query_t *ranked = parts.n > 1 ? combine(XW_QUERY_AND_MAYBE, &parts) : NULL;
	if (parts.n > 1 && ranked == NULL)
		goto out;
	if (ranked != NULL && qlist_push(&parts, ranked) != 0)
		goto out;
	xw_query_t *base = parts.items[parts.n - 1];

	for (size_t i = 0; i < req->n_cities; i++) {
		strbuf_t term = STRBUF_INIT;
		xw_query_t *cq = NULL;
		if (strbuf_printf(&term, "%s%s", PI_PREFIX_CITY, req->cities[i]->city_id) == 0)
			xw_query_term(term.data, term.len, &cq);
		strbuf_free(&term);
		if (qlist_push(&cities, cq) != 0)
			goto out;
	}
	if (cities.n > 0) {
		xw_query_t *any_city = combine(XW_QUERY_OR, &cities);
		xw_query_t *pair[2] = {base, any_city};
		if (any_city == NULL || qlist_push(&cities, any_city) != 0 ||
		    xw_query_combine(XW_QUERY_FILTER, pair, 2, &q) != XW_OK)
			q = NULL;
	} else if (xw_query_combine(XW_QUERY_AND, &base, 1, &q) != XW_OK) {
		q = NULL;
	}
out:
	if (q == NULL)
		strbuf_printf_new(error, "cannot build the query");
	qlist_free(&must);
	qlist_free(&words_q);
	qlist_free(&cities);
	qlist_free(&parts);
	return q;
}

typedef struct collect {
	pq_index_t *index;
	const pq_plan_t *plans; /* the index's plans, to count hits per plan */
	json_tokener *tok;
	pq_results_t *r;
	size_t cap;
	int failed;
} collect_t;

static int on_match(void *ctx, unsigned docid, double weight, const char *data, size_t len)
{
	(void)docid;
	collect_t *c = ctx;
	pq_results_t *r = c->r;
	json_tokener_reset(c->tok);
	json_object *obj = json_tokener_parse_ex(c->tok, data, (int)len);
	json_object *norm_obj;
	if (obj == NULL || !json_object_object_get_ex(obj, "norm", &norm_obj)) {
		json_object_put(obj);
		c->failed = 1;
		return 1;
	}
	const char *norm = json_object_get_string(norm_obj);
	for (size_t i = 0; i < r->n_terms; i++) {
		if (strstr(norm, r->norm_terms[i]) == NULL) { /* a candidate, not a match */
			json_object_put(obj);
			return 0;
		}
	}
	if (r->n_hits == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		pq_hit_t *hits = realloc(r->hits, cap * sizeof *hits);
		if (hits == NULL) {
			json_object_put(obj);
			c->failed = 1;
			return 1;
		}
		r->hits = hits;
		c->cap = cap;
	}
	pq_hit_t *hit = &r->hits[r->n_hits++];
	*hit = (pq_hit_t){.data = obj, .score = weight};
	hit->plan = pq_index_plan_by_id(c->index, pq_hit_string(hit, "plan"));
	if (hit->plan != NULL)
		r->per_plan[hit->plan - c->plans]++;
	return 0;
}

/* Normalise the request's terms; a term that normalises to nothing is an error. */
static int normalise_terms(const pq_request_t *req, pq_results_t *r, char **error)
{
	r->norm_terms = calloc(req->n_terms ? req->n_terms : 1, sizeof *r->norm_terms);
	if (r->norm_terms == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < req->n_terms; i++) {
		seg_norm_t norm;
		if (seg_normalize(req->terms[i], strlen(req->terms[i]), false, &norm, error) != 0)
			return -1;
		r->norm_terms[r->n_terms++] = norm.text;
		norm.text = NULL;
		size_t len = norm.len;
		seg_norm_clear(&norm);
		if (len == 0) {
			strbuf_printf_new(error, "the term '%s' has nothing to search for",
					  req->terms[i]);
			return -1;
		}
	}
	return 0;
}

int pq_search(pq_index_t *index, const pq_request_t *req, pq_results_t **out, char **error)
{
	pq_results_t *r = calloc(1, sizeof *r);
	seg_words_t *words = NULL;
	xw_query_t *q = NULL;
	int rc = -1;

	if (r == NULL)
		goto oom;
	if (req->n_terms == 0) {
		strbuf_printf_new(error, "nothing to search for");
		rc = PQ_SEARCH_BAD_QUERY;
		goto out;
	}
	const pq_plan_t *plans = pq_index_plans(index, &r->n_plans);
	r->per_plan = calloc(r->n_plans ? r->n_plans : 1, sizeof *r->per_plan);
	if (r->per_plan == NULL)
		goto oom;
	if (normalise_terms(req, r, error) != 0) {
		rc = PQ_SEARCH_BAD_QUERY;
		goto out;
	}
	if (seg_words_open(&words, error) != 0)
		goto out;
	q = build_query(words, r, req, error);
	if (q == NULL)
		goto out;
	collect_t c = {.index = index, .plans = plans, .r = r, .tok = json_tokener_new()};
	if (c.tok == NULL)
		goto oom;
	xw_status_t st = xw_db_search(pq_index_db(index), q, on_match, &c);
	json_tokener_free(c.tok);
	if (st != XW_OK || c.failed) {
		strbuf_printf_new(error, "the search failed: %s",
				  st != XW_OK ? xw_db_last_error(pq_index_db(index))
					      : "a stored passage is unreadable or memory ran out");
		goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	xw_query_destroy(q);
	seg_words_close(words);
	pq_results_free(r);
	return rc;
}

static int cmp_range(const void *a, const void *b)
{
	const pq_range_t *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

int pq_hit_find_matches(const pq_results_t *r, pq_hit_t *hit, char **error)
{
	const char *text = pq_hit_string(hit, "text");
	seg_norm_t norm;
	pq_range_t *ranges = NULL;
	size_t n = 0, cap = 0;

	if (hit->matches != NULL)
		return 0;
	if (seg_normalize(text, strlen(text), true, &norm, error) != 0)
		return -1;
	for (size_t t = 0; t < r->n_terms; t++) {
		const char *term = r->norm_terms[t];
		size_t tlen = strlen(term);
		for (const char *p = norm.text; tlen > 0 && (p = strstr(p, term)) != NULL; p++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				pq_range_t *grown = realloc(ranges, cap * sizeof *ranges);
				if (grown == NULL) {
					free(ranges);
					seg_norm_clear(&norm);
					strbuf_printf_new(error, "out of memory");
					return -1;
				}
				ranges = grown;
			}
			size_t s = (size_t)(p - norm.text);
			seg_norm_source_range(&norm, s, s + tlen, &ranges[n].start, &ranges[n].end);
			n++;
		}
	}
	seg_norm_clear(&norm);
	/* sort and merge overlapping or touching ranges */
	if (n > 0)
		qsort(ranges, n, sizeof *ranges, cmp_range);
	size_t merged = 0;
	for (size_t i = 0; i < n; i++) {
		if (merged > 0 && ranges[i].start <= ranges[merged - 1].end) {
			if (ranges[i].end > ranges[merged - 1].end)
				ranges[merged - 1].end = ranges[i].end;
		} else {
			ranges[merged++] = ranges[i];
		}
	}
	hit->matches = ranges ? ranges : malloc(sizeof *ranges);
	hit->n_matches = merged;
	if (hit->matches == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	return 0;
}

void pq_results_free(pq_results_t *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_hits; i++) {
		json_object_put(r->hits[i].data);
		free(r->hits[i].matches);
	}
	free(r->hits);
	for (size_t i = 0; i < r->n_terms; i++)
		free(r->norm_terms[i]);
	free(r->norm_terms);
	free(r->per_plan);
	free(r);
}

const char *pq_hit_string(const pq_hit_t *hit, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(hit->data, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

long long pq_hit_int(const pq_hit_t *hit, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(hit->data, key, &v) || v == NULL)
		return 0;
	return (long long)json_object_get_int64(v);
}
