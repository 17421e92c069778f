/* search.c: candidates from the index → units of the scope → the exact check on their text → ranked hits. */
#include "search.h"

#include "label.h"
#include "normalize.h"
#include "schema.h"
#include "strbuf.h"
#include "terms.h"
#include "xquery.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int pq_scope_parse(const char *name, pq_scope_t *out)
{
	static const char *const names[] = {"clause", "paragraph", "section"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (pq_scope_t)i;
			return 0;
		}
	return -1;
}

const char *pq_scope_name(pq_scope_t scope)
{
	return scope == PQ_SCOPE_PARAGRAPH ? "paragraph"
	       : scope == PQ_SCOPE_SECTION ? "section"
					   : "clause";
}

/* ---- what a candidate clause's stored data says about it ---- */

typedef struct clause_info {
	const pq_plan_t *plan;
	const char *id, *norm;
	int section, paragraph; /* outline indexes; paragraph -1 for a heading's clause */
	size_t start, end;
	int line;
} clause_info_t;

static long long get_int(json_object *o, const char *key, long long fallback)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return fallback;
	return (long long)json_object_get_int64(v);
}

static const char *get_string(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Read the clause's data; -1 if it does not fit the plan's outline (a damaged index). */
static int clause_info(pq_index_t *index, json_object *data, clause_info_t *c, char **error)
{
	const pq_outline_t *o;
	const char *plan = get_string(data, "plan");
	c->plan = plan ? pq_index_plan_by_id(index, plan) : NULL;
	c->id = get_string(data, "id");
	c->norm = get_string(data, "norm");
	if (c->plan == NULL || c->id == NULL || c->norm == NULL)
		goto bad;
	if (pq_index_plan_outline(index, c->plan, &o, error) != 0)
		return -1;
	long long s = get_int(data, "s", -2), p = get_int(data, "p", -2);
	long long start = get_int(data, "start", -1), end = get_int(data, "end", -1);
	if (s < 0 || (size_t)s >= o->n_sections || p < -1 || p >= (long long)o->n_paragraphs ||
	    start < 0 || end < start || (size_t)end > c->plan->bytes)
		goto bad;
	c->section = (int)s;
	c->paragraph = (int)p;
	c->start = (size_t)start;
	c->end = (size_t)end;
	c->line = (int)get_int(data, "line", 0);
	return 0;
bad:
	strbuf_printf_new(error, "a stored passage does not fit its plan's outline; rebuild the "
			  "index with policy-index");
	return -1;
}

/* ---- growing the hit list ---- */

typedef struct hits {
	pq_results_t *r;
	size_t cap;
} hits_t;

static pq_hit_t *add_hit(hits_t *h)
{
	pq_results_t *r = h->r;
	if (r->n_hits == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		pq_hit_t *grown = realloc(r->hits, cap * sizeof *grown);
		if (grown == NULL)
			return NULL;
		r->hits = grown;
		h->cap = cap;
	}
	pq_hit_t *hit = &r->hits[r->n_hits++];
	memset(hit, 0, sizeof *hit);
	return hit;
}

/* Which terms occur in a normalised text, into present[]. */
static void terms_present(const pq_query_t *q, const char *norm, bool *present)
{
	for (size_t i = 0; i < q->n_terms; i++)
		present[i] = strstr(norm, q->terms[i].norm) != NULL;
}

/* ---- clause scope: one Xapian query, each candidate checked on its stored text ---- */

typedef struct facet_run facet_run_t;

typedef struct clause_run {
	pq_index_t *index;
	const pq_request_t *req;
	hits_t hits;
	bool *present;
	bool exact; /* every match satisfies the query: no check on the text */
	json_tokener *tok;
	char **error;
	int failed;
	/* answered by the index alone (search_indexed): */
	const pq_sink_t *sink;  /* each hit goes here as it comes, not into hits; may be NULL */
	facet_run_t *facets;    /* counted before the first match comes */
	const unsigned *total;  /* set before the first match comes */
	size_t offset;
	bool counted;           /* the total and facets are in hits.r (and sent to sink) */
} clause_run_t;

static int indexed_counts(clause_run_t *run);

static int on_clause(void *ctx, unsigned docid, double weight, const char *data, size_t len)
{
	(void)docid;
	clause_run_t *run = ctx;
	const pq_query_t *q = run->req->query;
	clause_info_t c;
	json_object *obj;
	int rc = 1;

	json_tokener_reset(run->tok);
	obj = json_tokener_parse_ex(run->tok, data, (int)len);
	if (obj == NULL) {
		strbuf_printf_new(run->error, "a stored passage is unreadable; rebuild the index");
		goto out;
	}
	if (clause_info(run->index, obj, &c, run->error) != 0)
		goto out;
	rc = 0;
	if (!run->exact) {
		terms_present(q, c.norm, run->present);
		if (run->req->any) /* positive terms only weigh; excluded ones still exclude */
			for (size_t i = 0; i < q->n_terms; i++)
				run->present[i] |= q->terms[i].positive;
		if (!pq_query_eval(q, run->present))
			goto out;
	}
	if (run->sink != NULL) { /* written as it comes, then forgotten */
		pq_hit_t one = {.plan = c.plan, .unit = c.paragraph < 0 ? PQ_UNIT_HEADING
									 : PQ_UNIT_CLAUSE,
				.id = strdup(c.id), .section = c.section, .start = c.start,
				.end = c.end, .line = c.line, .score = weight};
		if (one.id == NULL)
			strbuf_printf_new(run->error, "out of memory");
		rc = one.id == NULL || indexed_counts(run) != 0 ||
		     run->sink->hit(run->sink->ctx, &one, run->error) != 0;
		free(one.id);
		free(one.matches);
		goto out;
	}
	pq_hit_t *hit = add_hit(&run->hits);
	char *id = strdup(c.id);
	if (hit == NULL || id == NULL) {
		free(id);
		if (hit != NULL)
			run->hits.r->n_hits--;
		strbuf_printf_new(run->error, "out of memory");
		rc = 1;
		goto out;
	}
	*hit = (pq_hit_t){.plan = c.plan, .unit = c.paragraph < 0 ? PQ_UNIT_HEADING : PQ_UNIT_CLAUSE,
			  .id = id, .section = c.section, .start = c.start, .end = c.end,
			  .line = c.line, .score = weight};
out:
	json_object_put(obj);
	if (rc != 0)
		run->failed = 1;
	return rc;
}

static int search_clauses(pq_index_t *index, const pq_request_t *req, seg_words_t *words,
			  hits_t *hits, char **error)
{
	clause_run_t run = {.index = index, .req = req, .hits = *hits, .error = error};
	xw_query_t *xq = pq_xquery_clauses(words, req->query, req->any, req->cities,
					   req->n_cities, error);
	int rc = -1;

	run.present = calloc(req->query->n_terms, sizeof *run.present);
	run.tok = json_tokener_new();
	if (xq == NULL)
		goto out;
	if (run.present == NULL || run.tok == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	xw_status_t st = xw_db_search(pq_index_db(index), xq, on_clause, &run);
	if (st != XW_OK && !run.failed)
		strbuf_printf_new(error, "the search failed: %s", xw_db_last_error(pq_index_db(index)));
	if (st == XW_OK && !run.failed)
		rc = 0;
out:
	*hits = run.hits;
	if (run.tok != NULL)
		json_tokener_free(run.tok);
	free(run.present);
	xw_query_destroy(xq);
	return rc;
}

/* ---- clause scope answered by the index alone ---- */

struct facet_run {
	pq_index_t *index;
	pq_facet_t *items;
	size_t n, cap;
	int failed; /* 1: a damaged value; 2: out of memory */
};

static void facets_free(pq_facet_t *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++) {
		free(items[i].heading.path);
		free(items[i].heading.number);
		free(items[i].heading.title);
	}
	free(items);
}

/* Add a facet with copies of the heading's path, number and title (len[k] bytes each). */
static int facet_push(facet_run_t *f, const pq_plan_t *plan, int chapter, size_t count,
		      const char *const heading[3], const size_t len[3])
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		pq_facet_t *items = realloc(f->items, cap * sizeof *items);
		if (items == NULL)
			return -1;
		f->items = items;
		f->cap = cap;
	}
	pq_facet_t *x = &f->items[f->n];
	*x = (pq_facet_t){.plan = plan, .chapter = chapter, .count = count};
	x->heading.path = strndup(heading[0], len[0]);
	x->heading.number = strndup(heading[1], len[1]);
	x->heading.title = strndup(heading[2], len[2]);
	f->n++;
	if (x->heading.path == NULL || x->heading.number == NULL || x->heading.title == NULL)
		return -1;
	return 0;
}

/* One value of PI_SLOT_FACET, "<plan id>\t<chapter>\t<path>\t<number>\t<title>", and its
 * count. */
static int on_facet(void *ctx, const char *value, size_t len, unsigned count)
{
	facet_run_t *f = ctx;
	const char *field[5], *end = value + len;
	size_t flen[5];
	char id[256];
	const char *at = value;
	for (int k = 0; k < 5; k++) { /* the title is the rest, tabs and all */
		const char *tab = k < 4 ? memchr(at, '\t', (size_t)(end - at)) : NULL;
		if (k < 4 && tab == NULL)
			goto bad;
		field[k] = at;
		flen[k] = (size_t)((tab ? tab : end) - at);
		at = tab ? tab + 1 : end;
	}
	if (flen[0] >= sizeof id || flen[1] == 0 || flen[1] > 9)
		goto bad;
	memcpy(id, field[0], flen[0]);
	id[flen[0]] = '\0';
	const pq_plan_t *plan = pq_index_plan_by_id(f->index, id);
	int chapter = 0;
	for (size_t k = 0; k < flen[1]; k++) {
		if (field[1][k] < '0' || field[1][k] > '9')
			goto bad;
		chapter = chapter * 10 + (field[1][k] - '0');
	}
	if (plan == NULL)
		goto bad;
	if (facet_push(f, plan, chapter, count, field + 2, flen + 2) != 0) {
		f->failed = 2;
		return 1;
	}
	return 0;
bad:
	f->failed = 1;
	return 1;
}

static int cmp_facet(const void *a, const void *b)
{
	const pq_facet_t *x = a, *y = b;
	if (x->plan != y->plan)
		return x->plan < y->plan ? -1 : 1;
	return x->chapter < y->chapter ? -1 : x->chapter > y->chapter;
}

/* Hand the counted facets to the results, in plan and chapter order. */
static void facets_to_results(facet_run_t *f, pq_results_t *r)
{
	if (f->n > 1)
		qsort(f->items, f->n, sizeof *f->items, cmp_facet);
	r->facets = f->items;
	r->n_facets = f->n;
	*f = (facet_run_t){0};
}

/* Whether the index alone can answer the request exactly (search.h). */
static bool index_answers(const pq_request_t *req)
{
	return req->scope == PQ_SCOPE_CLAUSE && !req->any && req->section == NULL &&
	       req->level == 0 && !req->check_text;
}

/* The total and facets of a search the index answers, into the results (and to the sink,
 * if any), once: before the first hit is written, or after the search when none came.
 * Returns 0, or -1 with a message. */
static int indexed_counts(clause_run_t *run)
{
	if (run->counted)
		return 0;
	run->counted = true;
	if (run->facets->failed == 2) {
		strbuf_printf_new(run->error, "out of memory");
		return -1;
	}
	if (run->facets->failed) {
		strbuf_printf_new(run->error, "the index's facet values are damaged; rebuild it "
				  "with policy-index");
		return -1;
	}
	pq_results_t *r = run->hits.r;
	facets_to_results(run->facets, r);
	r->total = *run->total;
	r->offset = run->offset;
	return run->sink != NULL ? run->sink->head(run->sink->ctx, r, run->error) : 0;
}

/* Run a clause-scope query the index answers exactly: the total and facets from Xapian,
 * only the kept hits read (and, with a sink, each handed to it as it is read, not kept).
 * Returns 0, 1 when the query is not one it answers exactly (nothing done), or -1 with a
 * message. */
static int search_indexed(pq_index_t *index, const pq_request_t *req, seg_words_t *words,
			  const pq_sink_t *sink, hits_t *hits, char **error)
{
	bool inexact = false;
	xw_query_t *xq = pq_xquery_exact(words, req->query, req->cities, req->n_cities, &inexact,
					 error);
	facet_run_t facets = {.index = index};
	unsigned total = 0;
	clause_run_t run = {.index = index, .req = req, .hits = *hits, .error = error,
			    .exact = true, .tok = json_tokener_new(), .sink = sink,
			    .facets = &facets, .total = &total,
			    .offset = req->page ? req->offset : 0};
	int rc = -1;

	if (xq == NULL) {
		rc = inexact ? 1 : -1;
		goto out;
	}
	if (run.tok == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	/* Xapian counts in unsigned ints; a page past them is empty anyway */
	size_t limit = req->page ? req->limit : 0;
	xw_page_t page = {.offset = run.offset > UINT32_MAX ? UINT32_MAX : (unsigned)run.offset,
			  .limit = limit >= UINT32_MAX ? 0 : (unsigned)limit,
			  .facet_slot = PI_SLOT_FACET, .match = on_clause, .match_ctx = &run,
			  .facet = on_facet, .facet_ctx = &facets};
	if (req->page && limit == 0)
		page.match = NULL; /* only the counts */
	xw_status_t st = xw_db_search_page(pq_index_db(index), xq, &page, &total);
	if (run.failed)
		goto out;
	if (st != XW_OK) {
		strbuf_printf_new(error, "the search failed: %s", xw_db_last_error(pq_index_db(index)));
		goto out;
	}
	if (indexed_counts(&run) != 0)
		goto out;
	rc = 0;
out:
	*hits = run.hits;
	facets_free(facets.items, facets.n);
	if (run.tok != NULL)
		json_tokener_free(run.tok);
	xw_query_destroy(xq);
	return rc;
}

/* ---- paragraph and section scope: units as sets of keys ---- */

/* A unit of a plan, as one sortable key: the plan's index in the high half, the unit's
 * number in the low half (paragraph scope: a paragraph's index, or n_paragraphs + a
 * section's index for its heading; section scope: a section's index). */
typedef struct unit_set {
	uint64_t *keys; /* sorted, distinct */
	double *weights;
	size_t n, cap;
} unit_set_t;

static void unit_set_free(unit_set_t *s)
{
	free(s->keys);
	free(s->weights);
	*s = (unit_set_t){0};
}

static int unit_set_push(unit_set_t *s, uint64_t key, double weight)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *keys = realloc(s->keys, cap * sizeof *keys);
		if (keys == NULL)
			return -1;
		s->keys = keys;
		double *weights = realloc(s->weights, cap * sizeof *weights);
		if (weights == NULL)
			return -1;
		s->weights = weights;
		s->cap = cap;
	}
	s->keys[s->n] = key;
	s->weights[s->n++] = weight;
	return 0;
}

typedef struct keyed {
	uint64_t key;
	double weight;
} keyed_t;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_keyed(const void *a, const void *b)
{
	const keyed_t *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Sort a freshly pushed set and merge equal keys, adding their weights. */
static int unit_set_normalise(unit_set_t *s)
{
	keyed_t *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp);
	if (tmp == NULL)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		tmp[i] = (keyed_t){s->keys[i], s->weights[i]};
	qsort(tmp, s->n, sizeof *tmp, cmp_keyed);
	size_t m = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (m > 0 && s->keys[m - 1] == tmp[i].key) {
			s->weights[m - 1] += tmp[i].weight;
		} else {
			s->keys[m] = tmp[i].key;
			s->weights[m++] = tmp[i].weight;
		}
	}
	s->n = m;
	free(tmp);
	return 0;
}

/* a ∩ b or a ∪ b into out (weights add up). */
static int unit_set_merge(const unit_set_t *a, const unit_set_t *b, bool intersect,
			  unit_set_t *out)
{
	size_t i = 0, j = 0;
	*out = (unit_set_t){0};
	while (i < a->n || j < b->n) {
		int rc = 0;
		if (j >= b->n || (i < a->n && a->keys[i] < b->keys[j])) {
			if (!intersect)
				rc = unit_set_push(out, a->keys[i], a->weights[i]);
			i++;
		} else if (i >= a->n || b->keys[j] < a->keys[i]) {
			if (!intersect)
				rc = unit_set_push(out, b->keys[j], b->weights[j]);
			j++;
		} else {
			rc = unit_set_push(out, a->keys[i], a->weights[i] + b->weights[j]);
			i++;
			j++;
		}
		if (rc != 0) {
			unit_set_free(out);
			return -1;
		}
	}
	return 0;
}

typedef struct unit_run {
	pq_index_t *index;
	const pq_request_t *req;
	const pq_plan_t *plans;
	unit_set_t *set;
	json_tokener *tok;
	char **error;
	int failed;
} unit_run_t;

/* The units a clause belongs to at the request's scope. */
static int clause_units(unit_run_t *run, const clause_info_t *c, double weight)
{
	const pq_outline_t *o;
	if (pq_index_plan_outline(run->index, c->plan, &o, run->error) != 0)
		return -1;
	uint64_t plan = (uint64_t)(c->plan - run->plans) << 32;
	if (run->req->scope == PQ_SCOPE_PARAGRAPH) {
		uint64_t u = c->paragraph >= 0 ? (uint64_t)c->paragraph
					       : (uint64_t)(o->n_paragraphs + (size_t)c->section);
		return unit_set_push(run->set, plan | u, weight);
	}
	if (c->section == 0) /* the preamble is a unit of its own, under no other */
		return run->req->level > 0 ? 0 : unit_set_push(run->set, plan, weight);
	for (int s = c->section; s > 0; s = o->sections[s].parent)
		if (run->req->level == 0 || o->sections[s].depth == run->req->level)
			if (unit_set_push(run->set, plan | (uint64_t)s, weight) != 0)
				return -1;
	return 0;
}

static int on_unit_clause(void *ctx, unsigned docid, double weight, const char *data,
			  size_t len)
{
	(void)docid;
	unit_run_t *run = ctx;
	clause_info_t c;
	json_tokener_reset(run->tok);
	json_object *obj = json_tokener_parse_ex(run->tok, data, (int)len);
	int rc = obj == NULL ? -1 : clause_info(run->index, obj, &c, run->error);
	if (rc == 0 && clause_units(run, &c, weight) != 0) {
		strbuf_printf_new(run->error, "out of memory");
		rc = -1;
	}
	if (obj == NULL)
		strbuf_printf_new(run->error, "a stored passage is unreadable; rebuild the index");
	json_object_put(obj);
	if (rc != 0)
		run->failed = 1;
	return rc != 0;
}

/* The units holding every piece of term i. */
static int term_units(unit_run_t *run, seg_words_t *words, size_t i, unit_set_t *out)
{
	const pq_request_t *req = run->req;
	xw_query_t **pieces = NULL;
	size_t n_pieces = 0;
	unit_set_t acc = {0};
	int rc = -1;

	if (pq_xquery_term_pieces(words, req->query->terms[i].norm, req->cities, req->n_cities,
				  &pieces, &n_pieces, run->error) != 0)
		goto out;
	if (n_pieces == 0) {
		strbuf_printf_new(run->error, "a term of the query has nothing the index can look up");
		goto out;
	}
	for (size_t k = 0; k < n_pieces; k++) {
		unit_set_t found = {0}, merged;
		run->set = &found;
		xw_status_t st = xw_db_search(pq_index_db(run->index), pieces[k], on_unit_clause, run);
		if (st != XW_OK || run->failed || unit_set_normalise(&found) != 0) {
			if (!run->failed)
				strbuf_printf_new(run->error, "the search failed: %s",
						  xw_db_last_error(pq_index_db(run->index)));
			unit_set_free(&found);
			goto out;
		}
		if (k == 0) {
			acc = found;
			continue;
		}
		int mrc = unit_set_merge(&acc, &found, true, &merged);
		unit_set_free(&found);
		unit_set_free(&acc);
		if (mrc != 0)
			goto oom;
		acc = merged;
	}
	*out = acc;
	acc = (unit_set_t){0};
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(run->error, "out of memory");
out:
	unit_set_free(&acc);
	pq_xquery_free_list(pieces, n_pieces);
	return rc;
}

/* The candidate units of a node: a term's units; AND intersects its positive parts; OR
 * unites; a NOT constrains nothing here (*unbounded), the exact check decides. */
static int node_units(const pq_node_t *n, unit_set_t *term_sets, unit_set_t *out,
		      bool *unbounded)
{
	*unbounded = false;
	if (n->kind == PQ_NODE_TERM)
		return unit_set_merge(&term_sets[n->term], &(unit_set_t){0}, false, out);
	if (n->kind == PQ_NODE_NOT) {
		*unbounded = true;
		*out = (unit_set_t){0};
		return 0;
	}
	bool have = false;
	*out = (unit_set_t){0};
	for (size_t i = 0; i < n->n_kids; i++) {
		unit_set_t kid, merged;
		bool kid_unbounded;
		if (node_units(n->kids[i], term_sets, &kid, &kid_unbounded) != 0)
			return -1;
		if (kid_unbounded)
			continue; /* in an AND; parse.h makes every side of an OR bounded */
		if (!have) {
			*out = kid;
			have = true;
			continue;
		}
		int rc = unit_set_merge(out, &kid, n->kind == PQ_NODE_AND, &merged);
		unit_set_free(&kid);
		unit_set_free(out);
		if (rc != 0)
			return -1;
		*out = merged;
	}
	*unbounded = !have;
	return 0;
}

/* The bytes, id, line and section of a unit. */
static int unit_describe(const pq_plan_t *plan, const pq_outline_t *o, pq_scope_t scope,
			 uint32_t u, pq_hit_t *hit)
{
	strbuf_t id = STRBUF_INIT;
	hit->plan = plan;
	if (scope == PQ_SCOPE_PARAGRAPH && u < o->n_paragraphs) {
		const pq_paragraph_t *p = &o->paragraphs[u];
		hit->unit = PQ_UNIT_PARAGRAPH;
		hit->section = p->section;
		hit->start = p->start;
		hit->end = p->end;
		hit->line = p->line;
		strbuf_printf(&id, "%s/%s/p%d", plan->city_id, o->sections[p->section].path,
			      p->ordinal);
	} else if (scope == PQ_SCOPE_PARAGRAPH) {
		const pq_section_t *s = &o->sections[u - o->n_paragraphs];
		hit->unit = PQ_UNIT_HEADING;
		hit->section = (int)(u - o->n_paragraphs);
		hit->start = s->start;
		hit->end = s->heading_end;
		hit->line = s->line;
		strbuf_printf(&id, "%s/%s/0", plan->city_id, s->path);
	} else {
		const pq_section_t *s = &o->sections[u];
		hit->unit = PQ_UNIT_SECTION;
		hit->section = (int)u;
		hit->start = s->start;
		hit->end = u == 0 ? pq_outline_own_end(o, 0) : s->end;
		hit->line = s->line;
		strbuf_printf(&id, "%s/%s", plan->city_id, s->path);
	}
	hit->id = strbuf_steal(&id);
	return hit->id != NULL && hit->start <= hit->end && hit->end <= plan->bytes ? 0 : -1;
}

/* Check each candidate unit on its own normalised text; keep those that satisfy the query. */
static int check_units(pq_index_t *index, const pq_request_t *req, const unit_set_t *cands,
		       hits_t *hits, char **error)
{
	size_t n_plans;
	const pq_plan_t *plans = pq_index_plans(index, &n_plans);
	bool *present = calloc(req->query->n_terms, sizeof *present);
	int rc = -1;

	if (present == NULL)
		goto oom;
	for (size_t i = 0; i < cands->n; i++) {
		const pq_plan_t *plan = &plans[cands->keys[i] >> 32];
		const pq_outline_t *o;
		const char *src;
		size_t src_len;
		if (pq_index_plan_outline(index, plan, &o, error) != 0 ||
		    pq_index_plan_source(index, plan, &src, &src_len, error) != 0)
			goto out;
		pq_hit_t *hit = add_hit(hits);
		if (hit == NULL)
			goto oom;
		hit->score = cands->weights[i];
		if (unit_describe(plan, o, req->scope, (uint32_t)cands->keys[i], hit) != 0) {
			strbuf_printf_new(error, "the index's outline of %s is damaged; rebuild it",
					  plan->file);
			goto out;
		}
		seg_norm_t norm;
		if (seg_normalize_in(src, src_len, hit->start, hit->end, false, &norm, error) != 0)
			goto out;
		terms_present(req->query, norm.text, present);
		seg_norm_clear(&norm);
		if (!pq_query_eval(req->query, present)) {
			free(hit->id);
			hits->r->n_hits--;
		}
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(present);
	return rc;
}

/* With section scope and no --level, a section is listed only when none of its
 * sub-sections is: the narrowest sections that satisfy the query. */
static int keep_narrowest(pq_index_t *index, pq_results_t *r, char **error)
{
	size_t kept = 0;
	for (size_t i = 0; i < r->n_hits; i++) {
		pq_hit_t *h = &r->hits[i];
		bool wider = false;
		/* hits are in plan order, sections in text order: descendants follow */
		for (size_t j = i + 1; j < r->n_hits && !wider && r->hits[j].plan == h->plan; j++) {
			const pq_outline_t *o;
			if (pq_index_plan_outline(index, h->plan, &o, error) != 0)
				return -1;
			for (int s = o->sections[r->hits[j].section].parent; s > 0 && !wider;
			     s = o->sections[s].parent)
				wider = s == h->section;
		}
		if (wider && h->section != 0)
			free(h->id);
		else
			r->hits[kept++] = *h;
	}
	r->n_hits = kept;
	return 0;
}

static int search_units(pq_index_t *index, const pq_request_t *req, seg_words_t *words,
			hits_t *hits, char **error)
{
	const pq_query_t *q = req->query;
	size_t n_plans;
	unit_run_t run = {.index = index, .req = req, .error = error,
			  .plans = pq_index_plans(index, &n_plans), .tok = json_tokener_new()};
	unit_set_t *term_sets = calloc(q->n_terms, sizeof *term_sets), cands = {0};
	bool unbounded;
	int rc = -1;

	if (term_sets == NULL || run.tok == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < q->n_terms; i++) {
		if (!q->terms[i].positive)
			continue;
		size_t same = 0; /* a term typed twice is looked up once */
		while (same < i && !(q->terms[same].positive &&
				     strcmp(q->terms[same].norm, q->terms[i].norm) == 0))
			same++;
		int rc2 = same < i ? unit_set_merge(&term_sets[same], &(unit_set_t){0}, false,
						     &term_sets[i])
				   : term_units(&run, words, i, &term_sets[i]);
		if (rc2 != 0) {
			strbuf_printf_new(error, "out of memory");
			goto out;
		}
	}
	if (node_units(q->root, term_sets, &cands, &unbounded) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (check_units(index, req, &cands, hits, error) != 0)
		goto out;
	if (req->scope == PQ_SCOPE_SECTION && req->level == 0 &&
	    keep_narrowest(index, hits->r, error) != 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; term_sets && i < q->n_terms; i++)
		unit_set_free(&term_sets[i]);
	free(term_sets);
	unit_set_free(&cands);
	if (run.tok != NULL)
		json_tokener_free(run.tok);
	return rc;
}

/* ---- filters, order, and the entry point ---- */

/* Whether the hit's section or one of its ancestors has a heading (number and title, as
 * 第三条 or 第二章 “十四五”…) containing `needle` (normalised), and the section is at the
 * requested depth. */
static int passes_filters(pq_index_t *index, const pq_request_t *req, const char *needle,
			  const pq_hit_t *hit, bool *pass, char **error)
{
	const pq_outline_t *o;
	if (pq_index_plan_outline(index, hit->plan, &o, error) != 0)
		return -1;
	*pass = req->level == 0 || o->sections[hit->section].depth == req->level;
	if (!*pass || needle == NULL)
		return 0;
	*pass = false;
	strbuf_t heading = STRBUF_INIT;
	for (int s = hit->section; s > 0 && !*pass; s = o->sections[s].parent) {
		seg_norm_t title;
		heading.len = 0;
		if (pq_label_section_heading(&o->sections[s], &heading) != 0 ||
		    seg_normalize(heading.data, heading.len, false, &title, error) != 0) {
			strbuf_printf_new(error, "out of memory");
			strbuf_free(&heading);
			return -1;
		}
		*pass = strstr(title.text, needle) != NULL;
		seg_norm_clear(&title);
	}
	strbuf_free(&heading);
	return 0;
}

static int apply_filters(pq_index_t *index, const pq_request_t *req, pq_results_t *r,
			 char **error)
{
	seg_norm_t needle = {0};
	size_t kept = 0;
	int rc = -1;
	if (req->section != NULL &&
	    seg_normalize(req->section, strlen(req->section), false, &needle, error) != 0)
		return -1;
	for (size_t i = 0; i < r->n_hits; i++) {
		bool pass;
		if (passes_filters(index, req, req->section ? needle.text : NULL, &r->hits[i], &pass,
				   error) != 0) {
			for (size_t j = i; j < r->n_hits; j++) /* keep the rest freeable */
				r->hits[kept++] = r->hits[j];
			r->n_hits = kept;
			goto out;
		}
		if (pass)
			r->hits[kept++] = r->hits[i];
		else
			free(r->hits[i].id);
	}
	r->n_hits = kept;
	rc = 0;
out:
	seg_norm_clear(&needle);
	return rc;
}

static int cmp_hits(const void *a, const void *b)
{
	const pq_hit_t *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->plan != y->plan)
		return x->plan < y->plan ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_hits_position(const void *a, const void *b)
{
	const pq_hit_t *x = a, *y = b;
	if (x->plan != y->plan)
		return x->plan < y->plan ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int check_request(const pq_request_t *req, char **error)
{
	if (req->any && req->scope != PQ_SCOPE_CLAUSE) {
		strbuf_printf_new(error, "--any ranks clauses; it cannot be combined with --scope %s",
				  pq_scope_name(req->scope));
		return -1;
	}
	if (req->level < 0) {
		strbuf_printf_new(error, "--level takes a depth of 1 or more");
		return -1;
	}
	if (req->section != NULL) {
		seg_norm_t n;
		char *err = NULL;
		int rc = seg_normalize(req->section, strlen(req->section), false, &n, &err);
		bool empty = rc == 0 && n.len == 0;
		seg_norm_clear(&n);
		if (rc != 0 || empty) {
			strbuf_printf_new(error, "--section '%s' %s", req->section,
					  rc != 0 ? err : "has nothing to look for");
			free(err);
			return -1;
		}
	}
	return 0;
}

/* Count every hit per plan and chapter into r->facets. */
static int count_facets(pq_index_t *index, pq_results_t *r, char **error)
{
	size_t n_plans;
	const pq_plan_t *plans = pq_index_plans(index, &n_plans);
	uint64_t *keys = malloc((r->n_hits ? r->n_hits : 1) * sizeof *keys);
	facet_run_t f = {0};
	int rc = -1;

	if (keys == NULL)
		goto oom;
	for (size_t i = 0; i < r->n_hits; i++) {
		const pq_outline_t *o;
		if (pq_index_plan_outline(index, r->hits[i].plan, &o, error) != 0)
			goto out;
		keys[i] = (uint64_t)(r->hits[i].plan - plans) << 32 |
			  (uint64_t)pq_label_chapter_of(o, r->hits[i].section);
	}
	if (r->n_hits > 1)
		qsort(keys, r->n_hits, sizeof *keys, cmp_u64);
	for (size_t i = 0; i < r->n_hits; i++) {
		if (i > 0 && keys[i] == keys[i - 1]) {
			f.items[f.n - 1].count++;
			continue;
		}
		const pq_plan_t *plan = &plans[keys[i] >> 32];
		const pq_outline_t *o;
		if (pq_index_plan_outline(index, plan, &o, error) != 0)
			goto out;
		const pq_section_t *top = &o->sections[(uint32_t)keys[i]];
		const char *heading[3] = {top->path, top->number, top->title};
		size_t len[3] = {strlen(top->path), strlen(top->number), strlen(top->title)};
		if (facet_push(&f, plan, (int)(uint32_t)keys[i], 1, heading, len) != 0)
			goto oom;
	}
	facets_to_results(&f, r);
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(keys);
	facets_free(f.items, f.n);
	return rc;
}

/* Keep only the request's page of the ranked hits. */
static void keep_page(const pq_request_t *req, pq_results_t *r)
{
	size_t first = req->offset < r->n_hits ? req->offset : r->n_hits;
	size_t end = r->n_hits - first < req->limit ? r->n_hits : first + req->limit;
	for (size_t i = 0; i < r->n_hits; i++)
		if (i < first || i >= end) {
			free(r->hits[i].id);
			free(r->hits[i].matches);
		}
	if (end > first) /* no hits: r->hits is NULL, which memmove may not be given */
		memmove(r->hits, r->hits + first, (end - first) * sizeof *r->hits);
	r->n_hits = end - first;
	r->offset = req->offset;
}

/* Hand collected results to the sink: the counts, then each hit, whose matches are freed
 * once it is written so that they do not pile up. */
static int deliver(pq_results_t *r, const pq_sink_t *sink, char **error)
{
	pq_results_t head = *r;
	head.hits = NULL;
	head.n_hits = 0;
	if (sink->head(sink->ctx, &head, error) != 0)
		return -1;
	for (size_t i = 0; i < r->n_hits; i++) {
		if (sink->hit(sink->ctx, &r->hits[i], error) != 0)
			return -1;
		free(r->hits[i].matches);
		r->hits[i].matches = NULL;
		r->hits[i].n_matches = 0;
	}
	return 0;
}

/* pq_search and pq_search_each: the results into *out, or to the sink. */
static int search(pq_index_t *index, const pq_request_t *req, const pq_sink_t *sink,
		  pq_results_t **out, char **error)
{
	pq_results_t *r = calloc(1, sizeof *r);
	hits_t hits = {.r = r};
	seg_words_t *words = NULL;
	int rc = -1;

	if (r == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	if (check_request(req, error) != 0) {
		rc = PQ_SEARCH_BAD_QUERY;
		goto out;
	}
	if (seg_words_open(&words, error) != 0)
		goto out;
	if (index_answers(req)) {
		int irc = search_indexed(index, req, words, sink, &hits, error);
		if (irc < 0)
			goto out;
		if (irc == 0)
			goto done;
	}
	if (req->scope == PQ_SCOPE_CLAUSE ? search_clauses(index, req, words, &hits, error)
					  : search_units(index, req, words, &hits, error))
		goto out;
	if (apply_filters(index, req, r, error) != 0)
		goto out;
	/* a stable order whatever order Xapian gave ties in */
	if (r->n_hits > 1) {
		qsort(r->hits, r->n_hits, sizeof *r->hits, cmp_hits_position);
		qsort(r->hits, r->n_hits, sizeof *r->hits, cmp_hits);
	}
	r->total = r->n_hits;
	if (count_facets(index, r, error) != 0)
		goto out;
	if (req->page)
		keep_page(req, r);
	if (sink != NULL && deliver(r, sink, error) != 0)
		goto out;
done:
	if (out != NULL) {
		*out = r;
		r = NULL;
	}
	rc = 0;
out:
	seg_words_close(words);
	pq_results_free(r);
	return rc;
}

int pq_search(pq_index_t *index, const pq_request_t *req, pq_results_t **out, char **error)
{
	return search(index, req, NULL, out, error);
}

int pq_search_each(pq_index_t *index, const pq_request_t *req, const pq_sink_t *sink,
		   char **error)
{
	return search(index, req, sink, NULL, error);
}

/* ---- matches and text ---- */

const char *pq_hit_text(pq_index_t *index, const pq_hit_t *hit, size_t *len, char **error)
{
	const char *src;
	size_t src_len;
	if (pq_index_plan_source(index, hit->plan, &src, &src_len, error) != 0)
		return NULL;
	*len = hit->end - hit->start;
	return src + hit->start;
}

int pq_hit_normalize(pq_index_t *index, const pq_hit_t *hit, bool with_map, seg_norm_t *norm,
		     char **error)
{
	const char *src;
	size_t src_len;
	if (pq_index_plan_source(index, hit->plan, &src, &src_len, error) != 0)
		return -1;
	return seg_normalize_in(src, src_len, hit->start, hit->end, with_map, norm, error);
}

static int cmp_range(const void *a, const void *b)
{
	const pq_range_t *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

typedef struct needles {
	char **items;
	size_t n, cap;
} needles_t;

static int needles_push(needles_t *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **items = realloc(l->items, cap * sizeof *items);
		if (items == NULL)
			return -1;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n] = strndup(s, len);
	return l->items[l->n++] == NULL ? -1 : 0;
}

/* A word term (terms.h, prefix included) of two or more characters becomes a needle. */
static int push_word_needle(void *ctx, const char *term, size_t len, unsigned pos)
{
	(void)pos;
	size_t cps = 0;
	for (size_t i = 1; i < len; i++)
		cps += ((unsigned char)term[i] & 0xC0) != 0x80;
	return cps < 2 ? 0 : needles_push(ctx, term + 1, len - 1);
}

/* What to mark: the positive terms; with --any, also their words of two or more characters. */
static int collect_needles(const pq_request_t *req, needles_t *l, char **error)
{
	const pq_query_t *q = req->query;
	seg_words_t *words = NULL;
	int rc = -1;
	for (size_t i = 0; i < q->n_terms; i++)
		if (q->terms[i].positive &&
		    needles_push(l, q->terms[i].norm, strlen(q->terms[i].norm)) != 0)
			goto oom;
	if (req->any) {
		if (seg_words_open(&words, error) != 0)
			goto out;
		for (size_t i = 0; i < q->n_terms; i++)
			if (q->terms[i].positive &&
			    pi_terms_generate(words, q->terms[i].norm, strlen(q->terms[i].norm),
					      PI_TERMS_WORDS, push_word_needle, l, error) != 0)
				goto oom;
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	seg_words_close(words);
	return rc;
}

int pq_hit_find_matches(pq_index_t *index, const pq_request_t *req, pq_hit_t *hit,
			char **error)
{
	needles_t needles = {0};
	seg_norm_t norm = {0};
	pq_range_t *ranges = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	if (hit->matches != NULL)
		return 0;
	if (collect_needles(req, &needles, error) != 0 ||
	    pq_hit_normalize(index, hit, true, &norm, error) != 0)
		goto out;
	for (size_t t = 0; t < needles.n; t++) {
		const char *needle = needles.items[t];
		size_t nlen = strlen(needle);
		for (const char *p = norm.text; nlen > 0 && (p = strstr(p, needle)) != NULL; p++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				pq_range_t *grown = realloc(ranges, cap * sizeof *ranges);
				if (grown == NULL)
					goto oom;
				ranges = grown;
			}
			size_t s = (size_t)(p - norm.text);
			seg_norm_source_range(&norm, s, s + nlen, &ranges[n].start, &ranges[n].end);
			n++;
		}
	}
	if (n > 0)
		qsort(ranges, n, sizeof *ranges, cmp_range);
	size_t merged = 0; /* overlapping ranges become one; touching ones stay two matches */
	for (size_t i = 0; i < n; i++) {
		if (merged > 0 && ranges[i].start < ranges[merged - 1].end) {
			if (ranges[i].end > ranges[merged - 1].end)
				ranges[merged - 1].end = ranges[i].end;
		} else {
			ranges[merged++] = ranges[i];
		}
	}
	hit->matches = ranges ? ranges : malloc(sizeof *ranges);
	ranges = NULL;
	hit->n_matches = merged;
	if (hit->matches == NULL)
		goto oom;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(ranges);
	seg_norm_clear(&norm);
	for (size_t i = 0; i < needles.n; i++)
		free(needles.items[i]);
	free(needles.items);
	return rc;
}

void pq_results_free(pq_results_t *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_hits; i++) {
		free(r->hits[i].id);
		free(r->hits[i].matches);
	}
	free(r->hits);
	facets_free(r->facets, r->n_facets);
	free(r);
}
