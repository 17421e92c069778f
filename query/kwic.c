/* kwic.c: occurrences of a query with their context, their clause and their line. */
#define _GNU_SOURCE /* memmem */
#include "kwic.h"

#include "counts.h"
#include "ids.h"
#include "normalize.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct collect {
	ps_store_t *index;
	const pq_kwic_request_t *req;
	pq_kwic_t *k;
	size_t cap;
	const ps_plan_t *plan;
	const ps_outline_t *o;
	const char *src;
	size_t src_len;
	const char *norm;    /* one-term queries: the plan's normal form, as the index holds it */
	size_t norm_len;
	const char *unit_id; /* operator queries: the hit's id */
	char **error;
} collect_t;

static size_t walk_back(const char *src, size_t floor, size_t at, size_t n)
{
	while (n-- > 0 && at > floor)
		utf8_prev(src, floor, &at);
	return at;
}

static size_t walk_on(const char *src, size_t ceil, size_t at, size_t n)
{
	while (n-- > 0 && at < ceil)
		utf8_next(src, &at, ceil);
	return at;
}

/* The id of the clause, paragraph or narrowest section holding [s, e) (clause: the one
 * holding s); cl is ps_outline_clause_at(s). */
static int unit_id(const collect_t *c, int cl, size_t s, size_t e, strbuf_t *id)
{
	const ps_outline_t *o = c->o;
	const char *city = c->plan->city_id;
	if (c->req->scope == PQ_SCOPE_SECTION || cl < 0) {
		int sec = ps_outline_section_at(o, s);
		while (sec > 0 && e > o->sections[sec].end)
			sec = o->sections[sec].parent;
		return ps_id_section(id, city, o->sections[sec].path);
	}
	const ps_clause_t *k = &o->clauses[cl];
	if (c->req->scope == PQ_SCOPE_PARAGRAPH && k->paragraph >= 0 &&
	    e <= o->paragraphs[k->paragraph].end)
		return ps_id_paragraph(id, city, o->sections[k->section].path,
				       o->paragraphs[k->paragraph].ordinal);
	return ps_id_clause(id, city, o->sections[k->section].path, k->ordinal);
}

static int add_line(collect_t *c, size_t s, size_t e)
{
	pq_kwic_t *k = c->k;
	const ps_outline_t *o = c->o;
	if (k->n_lines == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		pq_kwic_line_t *lines = realloc(k->lines, cap * sizeof *lines);
		if (lines == NULL)
			goto oom;
		k->lines = lines;
		c->cap = cap;
	}
	strbuf_t id = STRBUF_INIT;
	int cl = ps_outline_clause_at(o, s);
	if (c->unit_id ? strbuf_append_str(&id, c->unit_id) : unit_id(c, cl, s, e, &id))
		goto oom;
	pq_kwic_line_t *l = &k->lines[k->n_lines];
	*l = (pq_kwic_line_t){.plan = c->plan, .id = strbuf_steal(&id), .start = s, .end = e,
			      .section = ps_outline_section_at(o, s)};
	if (l->id == NULL)
		goto oom;
	k->n_lines++;
	if (cl < 0) {
		l->line = utf8_line_of(c->src, s);
	} else {
		l->line = o->clauses[cl].line;
		for (const char *p = c->src + o->clauses[cl].start, *z = c->src + s;
		     p < z && (p = memchr(p, '\n', (size_t)(z - p))) != NULL; p++)
			l->line++;
	}
	l->left = walk_back(c->src, c->plan->body_start, s, c->req->width);
	l->right = walk_on(c->src, c->plan->body_end, e, c->req->width);
	return 0;
oom:
	strbuf_printf_new(c->error, "out of memory");
	return -1;
}

/* Where an occurrence found in a plan's normal form lies in its file: mapped through the
 * normal form of the one clause that holds it (kept while occurrences stay in that clause:
 * a walk over it when it is plain, most are, else its normal form with the map), or, for one
 * that runs across clauses or lies between them, of the whole body (made once per plan,
 * when first needed). */
typedef struct mapper {
	int clause;        /* the clause `walk` or `clause_map` is of, -1 for none */
	bool plain;        /* the clause is plain: `walk` maps it, not `clause_map` */
	seg_norm_walk_t walk;
	seg_norm_t clause_map;
	bool have_body;
	seg_norm_t body_map;
} mapper_t;

static void mapper_clear(mapper_t *m)
{
	seg_norm_clear(&m->clause_map);
	seg_norm_clear(&m->body_map);
	*m = (mapper_t){.clause = -1};
}

/* The clause whose normal form starts at or before `off` (the last such), or -1. */
static int clause_at_norm(const ps_outline_t *o, size_t off)
{
	size_t lo = 0, hi = o->n_clauses;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->clauses[mid].norm_start <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

/* The file's bytes [*s, *e) of the normal form's [ns, ne). Returns 0, or -1 with a message. */
static int map_back(collect_t *c, mapper_t *m, size_t ns, size_t ne, size_t *s, size_t *e)
{
	const ps_outline_t *o = c->o;
	int k = clause_at_norm(o, ns);
	if (k >= 0 && ne <= o->clauses[k].norm_end) {
		const ps_clause_t *cl = &o->clauses[k];
		if (m->clause != k) {
			seg_norm_clear(&m->clause_map);
			m->clause = -1;
			/* plain, or plain but for characters t2s left as they were in the
			 * index's normal form of the clause */
			m->plain = seg_norm_walk_start(&m->walk, c->src, cl->start, cl->end) ||
				   (cl->norm_end <= c->norm_len &&
				    seg_norm_walk_start_known(&m->walk, c->src, cl->start, cl->end,
							      c->norm + cl->norm_start,
							      cl->norm_end - cl->norm_start));
			if (!m->plain && seg_normalize_in(c->src, c->src_len, cl->start, cl->end,
							  true, &m->clause_map, c->error) != 0)
				return -1;
			m->clause = k;
		}
		size_t len = m->plain ? m->walk.norm_len : m->clause_map.len;
		if (ne - cl->norm_start <= len) {
			if (m->plain)
				seg_norm_walk_range(&m->walk, ns - cl->norm_start,
						    ne - cl->norm_start, s, e);
			else
				seg_norm_source_range(&m->clause_map, ns - cl->norm_start,
						      ne - cl->norm_start, s, e);
			*s += cl->start;
			*e += cl->start;
			return 0;
		}
	}
	const ps_plan_t *p = c->plan; /* across clauses, or between them: the whole body */
	if (!m->have_body) {
		if (seg_normalize_in(c->src, p->body_end, p->body_start, p->body_end, true,
				     &m->body_map, c->error) != 0)
			return -1;
		m->have_body = true;
	}
	if (ne > m->body_map.len) {
		strbuf_printf_new(c->error, "the index's normal form of %s does not fit its file; "
				  "rebuild the index with policy-index", p->file);
		return -1;
	}
	seg_norm_source_range(&m->body_map, ns, ne, s, e);
	*s += p->body_start;
	*e += p->body_start;
	return 0;
}

typedef struct scan {
	collect_t *c;
	mapper_t map;
} scan_t;

/* Each non-overlapping occurrence of pattern[0, len) in the normal form norm[0, norm_len),
 * leftmost first (the next is looked for after the last one's end: memmem, which for one
 * pattern outruns the many-pattern matcher). Returns 0, or -1 with a message. */
static int scan_term(scan_t *sc, const char *norm, size_t norm_len, const char *pattern,
		     size_t len)
{
	collect_t *c = sc->c;
	for (size_t at = 0; at < norm_len;) {
		const char *p = memmem(norm + at, norm_len - at, pattern, len);
		if (p == NULL)
			break;
		size_t ns = (size_t)(p - norm), s, e;
		if (map_back(c, &sc->map, ns, ns + len, &s, &e) != 0 || add_line(c, s, e) != 0)
			return -1;
		at = ns + len;
	}
	return 0;
}

static int set_plan(collect_t *c, const ps_plan_t *plan)
{
	c->plan = plan;
	return ps_store_plan_outline(c->index, plan, &c->o, c->error) != PS_OK ||
			       ps_store_plan_source(c->index, plan, &c->src, &c->src_len,
						    c->error) != PS_OK
		       ? -1
		       : 0;
}

/* The plans a term can occur in, marked in `can` (per plan of the index): where the
 * index counts it, those its counts name; else every plan. */
typedef struct can_ctx {
	const ps_plan_t *plans;
	bool *can;
} can_ctx_t;

static int on_can(void *ctx, const ps_plan_t *plan, size_t occurrences, size_t passages)
{
	(void)passages;
	can_ctx_t *cc = ctx;
	cc->can[plan - cc->plans] = occurrences > 0;
	return 0;
}

static int one_term(collect_t *c)
{
	const pq_kwic_request_t *req = c->req;
	const char *pattern = req->query->terms[0].norm;
	size_t len = strlen(pattern), n_plans;
	const ps_plan_t *plans = ps_store_plans(c->index, &n_plans);
	bool *can = calloc(n_plans ? n_plans : 1, sizeof *can);
	int rc = -1;
	if (can == NULL) {
		strbuf_printf_new(c->error, "out of memory");
		return -1;
	}
	if (len == 0) { /* the parser refuses such a term; memmem would find it everywhere */
		strbuf_printf_new(c->error, "an empty string cannot be searched for");
		goto out;
	}
	if (ps_counts_cover(pattern, len)) {
		can_ctx_t cc = {plans, can};
		if (ps_store_count(c->index, pattern, len, on_can, &cc, c->error) != PS_OK)
			goto out;
	} else {
		for (size_t p = 0; p < n_plans; p++)
			can[p] = true;
	}
	for (size_t p = 0; p < n_plans; p++) {
		bool chosen = req->n_cities == 0;
		for (size_t i = 0; i < req->n_cities && !chosen; i++)
			chosen = req->cities[i] == &plans[p];
		if (!chosen || !can[p])
			continue;
		scan_t sc = {c, {.clause = -1}};
		int src = set_plan(c, &plans[p]) != 0 ||
				  ps_store_plan_norm(c->index, &plans[p], &c->norm, &c->norm_len,
						     c->error) != PS_OK
			  ? -1
			  : scan_term(&sc, c->norm, c->norm_len, pattern, len);
		mapper_clear(&sc.map);
		if (src != 0)
			goto out;
	}
	rc = 0;
out:
	free(can);
	return rc;
}

/* Each distinct positive term's non-overlapping occurrences in the hit, found in its normal
 * form: read off a walk when the hit is plain (then the walk maps them), else made with its
 * map. */
static int hit_lines(collect_t *c, const pq_hit_t *hit)
{
	const pq_query_t *q = c->req->query;
	seg_norm_t norm = {0};
	seg_norm_walk_t walk;
	strbuf_t text = STRBUF_INIT;
	if (set_plan(c, hit->plan) != 0)
		return -1;
	bool plain = seg_norm_walk_start(&walk, c->src, hit->start, hit->end);
	if (plain ? seg_norm_walk_text(&walk, &text, c->error) != 0
		  : seg_normalize_in(c->src, c->src_len, hit->start, hit->end, true, &norm,
				     c->error) != 0) {
		strbuf_free(&text); /* what a walk read before memory ran out */
		return -1;
	}
	const char *body = plain ? text.data : norm.text;
	c->unit_id = hit->id;
	int rc = 0;
	for (size_t i = 0; i < q->n_terms && rc == 0; i++) {
		bool seen = !q->terms[i].positive;
		for (size_t j = 0; j < i && !seen; j++)
			seen = q->terms[j].positive &&
			       strcmp(q->terms[j].norm, q->terms[i].norm) == 0;
		const char *term = q->terms[i].norm;
		size_t len = strlen(term);
		const char *p = body;
		for (; !seen && rc == 0 && (p = strstr(p, term)) != NULL; p += len) {
			size_t s, e, a = (size_t)(p - body);
			if (plain)
				seg_norm_walk_range(&walk, a, a + len, &s, &e);
			else
				seg_norm_source_range(&norm, a, a + len, &s, &e);
			rc = add_line(c, hit->start + s, hit->start + e);
		}
	}
	c->unit_id = NULL;
	seg_norm_clear(&norm);
	strbuf_free(&text);
	return rc;
}

static int cmp_line(const void *a, const void *b)
{
	const pq_kwic_line_t *x = a, *y = b;
	if (x->plan != y->plan)
		return x->plan < y->plan ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

ps_status_t pq_kwic_run(ps_store_t *index, const pq_kwic_request_t *req, pq_kwic_t **out,
			char **error)
{
	pq_kwic_t *k = calloc(1, sizeof *k);
	pq_results_t *r = NULL;
	collect_t c = {.index = index, .req = req, .k = k, .error = error};
	const pq_query_t *q = req->query;
	ps_status_t rc = PS_ERR_FAILED;

	if (k == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (q->n_terms == 1 && q->root->kind == PQ_NODE_TERM && q->terms[0].positive) {
		if (one_term(&c) != 0)
			goto out;
	} else {
		pq_request_t sreq = {.query = q, .scope = req->scope, .cities = req->cities,
				     .n_cities = req->n_cities};
		if (pq_search(index, &sreq, &r, error) != 0)
			goto out;
		for (size_t h = 0; h < r->n_hits; h++)
			if (hit_lines(&c, &r->hits[h]) != 0)
				goto out;
	}
	/* one term's lines come in order already: sort only when they are not (strictly in
	 * order, no two alike, so any sort would leave them as they are) */
	size_t sorted = 1;
	while (sorted < k->n_lines && cmp_line(&k->lines[sorted - 1], &k->lines[sorted]) < 0)
		sorted++;
	if (sorted < k->n_lines)
		qsort(k->lines, k->n_lines, sizeof *k->lines, cmp_line);
	*out = k;
	k = NULL;
	rc = PS_OK;
out:
	pq_results_free(r);
	pq_kwic_free(k);
	return rc;
}

void pq_kwic_free(pq_kwic_t *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->n_lines; i++)
		free(k->lines[i].id);
	free(k->lines);
	free(k);
}
