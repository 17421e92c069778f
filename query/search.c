/* search.c: a query run on the store: candidates from Xapian, checked on the stored normal forms, grouped into the scope's units, counted, ranked, described. */
#define _GNU_SOURCE /* memmem */
#include "search.h"

#include "clauses.h"
#include "ids.h"
#include "label.h"
#include "normalize.h"
#include "settle.h"
#include "strbuf.h"
#include "terms.h"
#include "utf8.h"
#include "match.h"
#include "rank.h"

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

int pq_order_parse(const char *name, pq_order_t *out)
{
	if (strcmp(name, "score") == 0)
		*out = PQ_ORDER_SCORE;
	else if (strcmp(name, "document") == 0)
		*out = PQ_ORDER_DOCUMENT;
	else
		return -1;
	return 0;
}

const char *pq_scope_name(pq_scope_t scope)
{
	return scope == PQ_SCOPE_PARAGRAPH ? "paragraph"
	       : scope == PQ_SCOPE_SECTION ? "section"
					   : "clause";
}

#define DAMAGED "the index is damaged (a clause it holds is not in its catalogue); rebuild it " \
		"with policy-index"

/* ---- what the request keeps: --city, --section, --level ---- */

typedef struct filter {
	ps_store_t *store;
	const pq_request_t *req;
	const ps_plan_t *plans;
	size_t n_plans;
	bool *plan_ok;       /* per plan; NULL when every plan is wanted */
	bool by_section;     /* --section or --level: a hit's section decides too */
	seg_norm_t needle;   /* --section, normalised */
	int8_t **section_ok; /* per plan, per section: 1 kept, 0 not; made on first use */
} filter_t;

static void filter_free(filter_t *f)
{
	for (size_t i = 0; f->section_ok != NULL && i < f->n_plans; i++)
		free(f->section_ok[i]);
	free(f->section_ok);
	free(f->plan_ok);
	seg_norm_clear(&f->needle);
}

static int filter_init(filter_t *f, ps_store_t *store, const pq_request_t *req, char **error)
{
	*f = (filter_t){.store = store, .req = req};
	f->plans = ps_store_plans(store, &f->n_plans);
	if (req->n_cities > 0) {
		if ((f->plan_ok = calloc(f->n_plans ? f->n_plans : 1, sizeof *f->plan_ok)) == NULL)
			goto oom;
		for (size_t i = 0; i < req->n_cities; i++)
			f->plan_ok[req->cities[i] - f->plans] = true;
	}
	f->by_section = req->section != NULL || req->level > 0;
	if (f->by_section &&
	    (f->section_ok = calloc(f->n_plans ? f->n_plans : 1, sizeof *f->section_ok)) == NULL)
		goto oom;
	if (req->section != NULL &&
	    seg_normalize(req->section, strlen(req->section), false, &f->needle, error) != 0)
		return -1;
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

static bool filter_plan(const filter_t *f, const ps_plan_t *plan)
{
	return f->plan_ok == NULL || f->plan_ok[plan - f->plans];
}

/* Which sections of a plan the request keeps: at the requested depth, and with a heading
 * (number and title, as 第三条 or 第二章 “十四五”…) containing the --section text in the
 * section or one of its ancestors. */
static int8_t *sections_kept(filter_t *f, const ps_plan_t *plan, char **error)
{
	const ps_outline_t *o;
	size_t i = (size_t)(plan - f->plans);
	if (f->section_ok[i] != NULL)
		return f->section_ok[i];
	if (ps_store_plan_outline(f->store, plan, &o, error) != 0)
		return NULL;
	int8_t *named = calloc(o->n_sections, 1), *ok = calloc(o->n_sections, 1);
	strbuf_t heading = STRBUF_INIT;
	if (named == NULL || ok == NULL)
		goto oom;
	for (size_t s = 0; s < o->n_sections; s++) {
		bool here = f->req->section == NULL; /* no --section: every heading will do */
		if (!here && s > 0) {
			seg_norm_t title;
			heading.len = 0;
			if (pq_label_section_heading(&o->sections[s], &heading) != 0 ||
			    seg_normalize(heading.data, heading.len, false, &title, error) != 0)
				goto oom;
			here = strstr(title.text, f->needle.text) != NULL;
			seg_norm_clear(&title);
		}
		/* parents come before their children */
		named[s] = here || (s > 0 && o->sections[s].parent > 0 &&
				    named[o->sections[s].parent]);
		if (s == 0 && f->req->section != NULL)
			named[s] = 0; /* the preamble has no heading */
		ok[s] = named[s] && (f->req->level == 0 || o->sections[s].depth == f->req->level);
	}
	free(named);
	strbuf_free(&heading);
	f->section_ok[i] = ok;
	return ok;
oom:
	if (error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	free(named);
	free(ok);
	strbuf_free(&heading);
	return NULL;
}

/* Whether the request keeps a hit in section `section` of the plan: 1, 0, or -1 with a
 * message. */
static int filter_section(filter_t *f, const ps_plan_t *plan, int section, char **error)
{
	if (!f->by_section)
		return 1;
	int8_t *ok = sections_kept(f, plan, error);
	return ok == NULL ? -1 : ok[section];
}

/* ---- the check on the text ---- */

/* Whether needle[0,n) occurs in text[0,len). A clause's text is short: comparing its first
 * and last bytes at each place, then the rest, costs less than a general search's setup. */
static bool contains(const char *text, size_t len, const char *needle, size_t n)
{
	if (n == 0)
		return true;
	if (n > len)
		return false;
	if (len > 512)
		return memmem(text, len, needle, n) != NULL;
	char first = needle[0], last = needle[n - 1];
	for (size_t i = 0; i + n <= len; i++)
		if (text[i] == first && text[i + n - 1] == last &&
		    memcmp(text + i + 1, needle + 1, n > 2 ? n - 2 : 0) == 0)
			return true;
	return false;
}

/* Which terms occur in a normal form text[0,len), into present[]. */
static void terms_present(const pq_query_t *q, const char *text, size_t len, bool *present)
{
	for (size_t i = 0; i < q->n_terms; i++) {
		const char *t = q->terms[i].norm;
		present[i] = contains(text, len, t, strlen(t));
	}
}

/* Whether a normal form satisfies the query; with `any`, every positive term counts as
 * present (they only weigh), so only an excluded term can reject. */
static bool text_satisfies(const pq_query_t *q, bool any, const char *text, size_t len,
			   bool *present)
{
	terms_present(q, text, len, present);
	if (any)
		for (size_t i = 0; i < q->n_terms; i++)
			present[i] |= q->terms[i].positive;
	return pq_query_eval(q, present);
}

/* ---- facets: hits counted per chapter ---- */

/* The facets hit so far (store.h numbers them in plan and text order) and their counts:
 * hits come in document id order at clause scope, so facets come in order too and a hit
 * adds to the last one; memory grows with the chapters hit, not with the index. */
typedef struct facet_counts {
	unsigned *facet;
	size_t *count;
	size_t n, cap;
} facet_counts_t;

static void facet_counts_free(facet_counts_t *c)
{
	free(c->facet);
	free(c->count);
}

/* Count k hits of facet f. Returns 0, or -1 when memory runs out. */
static int facet_add(facet_counts_t *c, unsigned f, size_t k)
{
	if (c->n > 0 && c->facet[c->n - 1] == f) {
		c->count[c->n - 1] += k;
		return 0;
	}
	size_t at = c->n; /* where f goes: at the end, unless hits came out of order */
	if (c->n > 0 && f < c->facet[c->n - 1]) {
		size_t lo = 0, hi = c->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (c->facet[mid] < f)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (c->facet[lo] == f) {
			c->count[lo] += k;
			return 0;
		}
		at = lo;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		unsigned *facet = realloc(c->facet, cap * sizeof *facet);
		if (facet != NULL)
			c->facet = facet;
		size_t *count = realloc(c->count, cap * sizeof *count);
		if (count != NULL)
			c->count = count;
		if (facet == NULL || count == NULL)
			return -1;
		c->cap = cap;
	}
	memmove(c->facet + at + 1, c->facet + at, (c->n - at) * sizeof *c->facet);
	memmove(c->count + at + 1, c->count + at, (c->n - at) * sizeof *c->count);
	c->facet[at] = f;
	c->count[at] = k;
	c->n++;
	return 0;
}

/* Count a hit of facet f. Same return as facet_add. */
static int facet_count(facet_counts_t *c, unsigned f)
{
	return facet_add(c, f, 1);
}

/* The facet of each of ascending document ids, from the facets' ranges: no record read. */
typedef struct facet_cursor {
	ps_store_t *store;
	size_t f;
	unsigned end; /* the current facet's end; 0 before the first */
} facet_cursor_t;

static unsigned facet_at(facet_cursor_t *c, unsigned docid)
{
	if (docid >= c->end) {
		size_t f = ps_store_facet_of(c->store, docid, c->f, &c->end);
		if (f != SIZE_MAX) /* cannot fail for a document of the index */
			c->f = f;
	}
	return (unsigned)c->f;
}

/* Count hits at ascending document ids[0, n), a run of one facet at a time. Same return
 * as facet_add. */
static int facet_count_run(facet_counts_t *c, facet_cursor_t *cur, const unsigned *ids, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned f = facet_at(cur, ids[i]);
		size_t j = i + 1;
		while (j < n && ids[j] < cur->end)
			j++;
		if (facet_add(c, f, j - i) != 0)
			return -1;
		i = j;
	}
	return 0;
}

/* The chapters with hits, in plan and outline order, into the results. */
static int facet_counts_to_results(facet_counts_t *c, ps_store_t *store, pq_results_t *r,
				   char **error)
{
	size_t k = 0;
	r->facets = calloc(c->n ? c->n : 1, sizeof *r->facets);
	if (r->facets == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->n; i++) {
		ps_facet_t facet;
		if (!ps_store_facet(store, c->facet[i], &facet))
			continue;
		r->facets[k++] = (pq_facet_t){
			.plan = facet.plan, .chapter = facet.chapter, .count = c->count[i],
			.heading = {.path = facet.path, .number = facet.number,
				    .title = facet.title},
		};
	}
	r->n_facets = k;
	return 0;
}

/* ---- describing a kept hit: the only place an outline is read ---- */

/* Mark a described clause or paragraph hit that lies within one row of an indicator table
 * (in_row, its table and row). Cannot fail. */
static void find_row(const ps_outline_t *o, pq_hit_t *hit)
{
	int t, r;
	if (o->n_tables > 0 && ps_outline_row_at(o, hit->start, &t, &r) &&
	    hit->end <= o->tables[t].rows[r].end) {
		hit->in_row = true;
		hit->table = t;
		hit->row = r;
	}
}

/* The hit for clause document `docid`. Returns 0, or -1 with a message. */
static int describe_clause(ps_store_t *store, unsigned docid, double weight, pq_hit_t *hit,
			   char **error)
{
	ps_doc_t d;
	const ps_outline_t *o;
	strbuf_t id = STRBUF_INIT;
	if (!ps_store_doc(store, docid, &d)) {
		strbuf_printf_new(error, DAMAGED);
		return -1;
	}
	if (ps_store_plan_outline(store, d.plan, &o, error) != 0)
		return -1;
	const ps_clause_t *c = &o->clauses[d.clause];
	if (ps_id_clause(&id, d.plan->city_id, o->sections[c->section].path, c->ordinal) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	*hit = (pq_hit_t){.plan = d.plan, .unit = c->paragraph < 0 ? PQ_UNIT_HEADING
								  : PQ_UNIT_CLAUSE,
			  .id = strbuf_steal(&id), .section = c->section, .start = c->start,
			  .end = c->end, .line = c->line, .score = weight};
	if (c->paragraph >= 0)
		find_row(o, hit);
	return 0;
}

/* A unit of paragraph or section scope, found before it is described: the plan's clauses
 * [first, end) (as outline indexes) and what it is. */
typedef struct unit {
	const ps_plan_t *plan;
	pq_unit_t kind;  /* PQ_UNIT_PARAGRAPH, PQ_UNIT_HEADING or PQ_UNIT_SECTION */
	int index;       /* the paragraph's index, or the section's (a heading: its section) */
	int section;     /* the section it is in (a section: itself) */
	unsigned first_docid, end_docid; /* its clause documents */
	unsigned facet;
	double score;
} unit_t;

/* The hit for a unit. Returns 0, or -1 with a message. */
static int describe_unit(ps_store_t *store, const unit_t *u, pq_hit_t *hit, char **error)
{
	const ps_outline_t *o;
	const ps_plan_t *plan = u->plan;
	strbuf_t id = STRBUF_INIT;
	if (ps_store_plan_outline(store, plan, &o, error) != 0)
		return -1;
	*hit = (pq_hit_t){.plan = plan, .unit = u->kind, .section = u->section,
			  .score = u->score};
	if (u->kind == PQ_UNIT_PARAGRAPH) {
		const ps_paragraph_t *p = &o->paragraphs[u->index];
		hit->start = p->start;
		hit->end = p->end;
		hit->line = p->line;
		ps_id_paragraph(&id, plan->city_id, o->sections[p->section].path, p->ordinal);
	} else if (u->kind == PQ_UNIT_HEADING) {
		const ps_section_t *s = &o->sections[u->index];
		hit->start = s->start;
		hit->end = s->heading_end;
		hit->line = s->line;
		ps_id_clause(&id, plan->city_id, s->path, 0);
	} else {
		const ps_section_t *s = &o->sections[u->index];
		hit->start = s->start;
		hit->end = u->index == 0 ? ps_outline_own_end(o, 0) : s->end;
		hit->line = s->line;
		ps_id_section(&id, plan->city_id, s->path);
	}
	hit->id = strbuf_steal(&id);
	if (hit->id == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	if (hit->start > hit->end || hit->end > plan->bytes) {
		free(hit->id);
		hit->id = NULL;
		strbuf_printf_new(error, "the index's outline of %s is damaged; rebuild it",
				  plan->file);
		return -1;
	}
	if (u->kind == PQ_UNIT_PARAGRAPH)
		find_row(o, hit);
	return 0;
}

/* ---- handing hits over ---- */

/* Where described hits go: the results' list, or the sink one by one. */
typedef struct out {
	pq_results_t *r;
	size_t cap;
	const pq_sink_t *sink;
	bool head_sent;
} out_t;

/* The counts (total, offset, facets) to the sink, once, before the first hit. */
static int send_head(out_t *o, char **error)
{
	if (o->sink == NULL || o->head_sent)
		return 0;
	o->head_sent = true;
	pq_results_t head = *o->r;
	head.hits = NULL;
	head.n_hits = 0;
	return o->sink->head(o->sink->ctx, &head, error);
}

/* Take a described hit: keep it in the results, or hand it to the sink and free it. */
static int take_hit(out_t *o, pq_hit_t *hit, char **error)
{
	if (o->sink != NULL) {
		int rc = send_head(o, error);
		if (rc == 0)
			rc = o->sink->hit(o->sink->ctx, hit, error);
		pq_hit_clear(hit);
		return rc != 0 ? -1 : 0;
	}
	pq_results_t *r = o->r;
	if (r->n_hits == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 32;
		pq_hit_t *grown = realloc(r->hits, cap * sizeof *grown);
		if (grown == NULL) {
			pq_hit_clear(hit);
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
		r->hits = grown;
		o->cap = cap;
	}
	r->hits[r->n_hits++] = *hit;
	return 0;
}

/* ---- the clauses of --city: document id ranges ---- */

/* The chosen plans' clause documents as ranges (*n 0 and NULL when every plan is wanted). */
static int city_ranges(const filter_t *f, pq_docid_range_t **out, size_t *n, char **error)
{
	*out = NULL;
	*n = 0;
	if (f->plan_ok == NULL)
		return 0;
	pq_docid_range_t *r = malloc((f->n_plans ? f->n_plans : 1) * sizeof *r);
	if (r == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < f->n_plans; i++) { /* plans are in document id order */
		const ps_plan_t *p = &f->plans[i];
		if (f->plan_ok[i] && p->passages > 0)
			r[(*n)++] = (pq_docid_range_t){p->first_docid,
						       p->first_docid + (unsigned)p->passages};
	}
	*out = r;
	return 0;
}

/* ---- ranking: the best `keep` hits, by score then document ---- */

typedef struct ranked {
	double key;     /* what ranks: the score, or 0 for every hit in document order */
	double score;
	unsigned docid; /* clause scope: the clause; unit scopes: an index into the units */
} ranked_t;

/* Whether a ranks before b: a higher key, then the lower document id (plan order, then
 * text order). */
static bool ranks_before(const ranked_t *a, const ranked_t *b)
{
	return a->key != b->key ? a->key > b->key : a->docid < b->docid;
}

static int cmp_ranked(const void *a, const void *b)
{
	const ranked_t *x = a, *y = b;
	return ranks_before(x, y) ? -1 : ranks_before(y, x) ? 1 : 0;
}

/* The best `keep` offered (all of them when keep is SIZE_MAX): a heap whose top is the
 * worst kept, so that a better one replaces it. */
typedef struct top {
	ranked_t *items;
	size_t n, cap, keep;
	bool by_document; /* PQ_ORDER_DOCUMENT: every key 0 */
} top_t;

static void top_sift(top_t *t, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < t->n && ranks_before(&t->items[w], &t->items[l]))
			w = l;
		if (r < t->n && ranks_before(&t->items[w], &t->items[r]))
			w = r;
		if (w == i)
			return;
		ranked_t x = t->items[i];
		t->items[i] = t->items[w];
		t->items[w] = x;
		i = w;
	}
}

static int top_offer(top_t *t, double score, unsigned docid)
{
	ranked_t x = {t->by_document ? 0 : score, score, docid};
	if (t->keep == 0 || (t->n == t->keep && !ranks_before(&x, &t->items[0])))
		return 0; /* no better than the worst kept */
	if (t->n < t->keep) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;
			ranked_t *items = realloc(t->items, cap * sizeof *items);
			if (items == NULL)
				return -1;
			t->items = items;
			t->cap = cap;
		}
		size_t i = t->n++; /* sift up */
		t->items[i] = x;
		while (i > 0 && ranks_before(&t->items[(i - 1) / 2], &t->items[i])) {
			ranked_t p = t->items[(i - 1) / 2];
			t->items[(i - 1) / 2] = t->items[i];
			t->items[i] = p;
			i = (i - 1) / 2;
		}
		return 0;
	}
	if (ranks_before(&x, &t->items[0])) {
		t->items[0] = x;
		top_sift(t, 0);
	}
	return 0;
}

/* Offer hits at ascending document ids[0, n). Once `keep` are kept, a later document
 * ranks before the worst kept only with a higher key: the others are passed over here,
 * without a call each. Same return as top_offer. */
static int top_offer_run(top_t *t, const double *scores, const unsigned *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t->n == t->keep &&
		    (t->keep == 0 || t->by_document || scores[i] <= t->items[0].key))
			continue;
		if (top_offer(t, scores[i], ids[i]) != 0)
			return -1;
	}
	return 0;
}

/* The kept ones, best first. */
static void top_sort(top_t *t)
{
	if (t->n > 1)
		qsort(t->items, t->n, sizeof *t->items, cmp_ranked);
}

/* How many of the best a request needs: its page's end, or every one. */
static size_t keep_for(const pq_request_t *req)
{
	if (!req->page)
		return SIZE_MAX;
	if (req->limit == 0)
		return 0; /* only the counts */
	return req->limit > SIZE_MAX - req->offset ? SIZE_MAX : req->offset + req->limit;
}

/* ---- a frequent gram alone: the answers the index kept ---- */

/* The page alone from the walk m, when the index kept the total and the chapters: every
 * clause offered to the heap, or in document order only until the page is full. Returns 1,
 * or -1 with a message. */
static int page_from_walk(pq_match_t *m, top_t *top, char **error)
{
	enum { RUN = 256 };
	unsigned docids[RUN];
	double scores[RUN];
	size_t taken;
	int got;
	while ((got = pq_match_next_batch(m, docids, scores, RUN, &taken, error)) > 0) {
		if (top_offer_run(top, scores, docids, taken) != 0) {
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
		if (top->by_document && top->n == top->keep)
			break; /* the first in document order are all the page needs */
	}
	return got < 0 ? -1 : 1;
}


#define DAMAGED_FREQUENT "the index is damaged (the answers it keeps for frequent characters " \
			 "do not fit it); rebuild it with policy-index"

/* What a query's one term looks up, when that is one bigram or one lone character. */
typedef struct lone_gram {
	const char *gram;
	size_t len;
	int lookups;
} lone_gram_t;

static int lone_bigram(void *ctx, const char *term, size_t term_len, const char *gram,
		       size_t gram_len)
{
	(void)term;
	(void)term_len;
	lone_gram_t *l = ctx;
	l->gram = gram;
	l->len = gram_len;
	l->lookups++;
	return 0;
}

static int lone_character(void *ctx, const char *term, size_t term_len, const char *prefix,
			  size_t prefix_len, const char *gram, size_t gram_len)
{
	(void)prefix;
	(void)prefix_len;
	return lone_bigram(ctx, term, term_len, gram, gram_len);
}

/* Whether the request is one gram alone, searched so that the kept answers are its answers:
 * one positive term that the index looks up as one bigram or one character (match.h), at
 * clause scope, no text checked, no section asked for, a page asked for. */
static bool lone_gram(const pq_request_t *req, const filter_t *f, lone_gram_t *out)
{
	const pq_query_t *q = req->query;
	if (req->any || req->check_text || f->by_section || !req->page || q->n_terms != 1 ||
	    q->root == NULL || q->root->kind != PQ_NODE_TERM || !q->terms[0].positive ||
	    q->terms[0].concept != NULL)
		return false;
	const char *norm = q->terms[0].norm;
	*out = (lone_gram_t){0};
	return ps_terms_lookup(norm, strlen(norm), lone_bigram, lone_character, out, NULL) == 0 &&
	       out->lookups == 1;
}

/* Whether docid lies in one of ranges[0, n) (sorted, apart). */
static bool in_ranges(const pq_docid_range_t *ranges, size_t n, unsigned docid)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ranges[mid].end <= docid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ranges[lo].first <= docid;
}

/* For a request that is one frequent gram alone (lone_gram), the total, the chapters' counts
 * and the page from what the index kept (store.h, ps_store_frequent) instead of the walk m:
 * the chapters of the chosen plans (--city: `ranges`), and the page from its best clauses
 * when the page lies within them; else, or in document order, from as much of the walk as
 * the page needs. Returns 1 when it answered, 0 when the index keeps nothing for the request
 * (the caller walks), -1 with a message. */
static int frequent_answers(ps_store_t *store, const pq_request_t *req, const filter_t *f,
			    pq_match_t *m, const pq_docid_range_t *ranges, size_t n_ranges,
			    size_t *total, facet_counts_t *facets, top_t *top, char **error)
{
	lone_gram_t lone;
	ps_frequent_t kept;
	double score;
	size_t facet;
	unsigned n;
	if (!lone_gram(req, f, &lone) || !pq_match_lone_score(m, 1, &score))
		return 0;
	int got = ps_store_frequent(store, lone.gram, lone.len, &kept);
	if (got <= 0)
		goto damaged_or_none;
	while ((got = ps_frequent_next_facet(&kept, &facet, &n)) > 0) {
		ps_facet_t chapter;
		if (f->plan_ok != NULL) {
			if (!ps_store_facet(store, facet, &chapter))
				goto damaged;
			if (!filter_plan(f, chapter.plan))
				continue;
		}
		*total += n;
		if (facet_add(facets, (unsigned)facet, n) != 0)
			goto oom;
	}
	if (got < 0)
		goto damaged;
	if (top->keep == 0 || (f->plan_ok != NULL && n_ranges == 0))
		return 1; /* no page, or chosen plans without a clause: nothing to rank */
	if (!top->by_document) { /* the best clauses in order: those of the chosen plans */
		for (size_t i = 0; i < kept.n_top && top->n < top->keep; i++) {
			unsigned d = kept.top[i].docid;
			if (f->plan_ok != NULL && !in_ranges(ranges, n_ranges, d))
				continue;
			pq_match_lone_score(m, kept.top[i].count, &score);
			if (top_offer(top, score, d) != 0)
				goto oom;
		}
		if (top->n == top->keep || kept.n_top == kept.clauses)
			return 1;
		top->n = 0; /* a page deeper than the clauses kept: the walk ranks them all */
	}
	return page_from_walk(m, top, error);
damaged_or_none:
	if (got == 0)
		return 0;
damaged:
	strbuf_printf_new(error, DAMAGED_FREQUENT);
	return -1;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

/* ---- a common n-gram alone: the answers the index kept ---- */

/* For a request that is one common n-gram alone (lone_gram's conditions, the term kept as
 * an n-gram: pq_match_kept), over every plan: the total and the chapters from what the
 * index kept, and by score the page from its best clauses when the page lies within the
 * `top` they were kept for (the clauses that may rank among the first `top` whatever the
 * weights: scored here with the walk's weights, the first of them are the walk's); else,
 * or in document order, from as much of the walk as the page needs. Returns 1 when it
 * answered, 0 when the index keeps nothing for the request (the caller walks), -1 with a
 * message. */
static int ngram_answers(const pq_request_t *req, const filter_t *f, pq_match_t *m,
			 size_t *total, facet_counts_t *facets, top_t *top, char **error)
{
	const pq_query_t *q = req->query;
	const ps_ngram_clauses_t *kept = pq_match_kept(m);
	if (req->any || req->check_text || f->by_section || !req->page || f->plan_ok != NULL ||
	    q->n_terms != 1 || q->root == NULL || q->root->kind != PQ_NODE_TERM ||
	    !q->terms[0].positive || q->terms[0].concept != NULL || kept == NULL ||
	    !kept->has_answers)
		return 0;
	ps_frequent_t chapters = kept->chapters;
	size_t facet;
	unsigned n;
	int got;
	while ((got = ps_frequent_next_facet(&chapters, &facet, &n)) > 0) {
		*total += n;
		if (facet_add(facets, (unsigned)facet, n) != 0)
			goto oom;
	}
	if (got < 0) {
		strbuf_printf_new(error, "the index is damaged (the answers it keeps for common "
					 "n-grams do not fit it); rebuild it with policy-index");
		return -1;
	}
	if (top->keep == 0)
		return 1;
	if (!top->by_document && (top->keep <= kept->top || kept->n_best == kept->clauses)) {
		for (size_t i = 0; i < kept->n_best; i++)
			if (top_offer(top, pq_match_kept_score(m, kept->best[i].counts),
				      kept->best[i].docid) != 0)
				goto oom;
		return 1;
	}
	return page_from_walk(m, top, error);
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

/* ---- clause scope: one walk over the posting lists; candidates checked as they come ---- */

static int search_clauses(ps_store_t *store, const pq_request_t *req, filter_t *filter,
			  out_t *out, char **error)
{
	const pq_query_t *q = req->query;
	pq_match_t *m = NULL;
	pq_settle_t *settle = NULL;
	pq_docid_range_t *ranges = NULL;
	size_t n_ranges = 0, total = 0;
	facet_counts_t facets = {0};
	top_t top = {.keep = keep_for(req), .by_document = req->order == PQ_ORDER_DOCUMENT};
	bool exact, *present = calloc(q->n_terms, sizeof *present);
	char *norm_bufs = NULL; /* pread's normal forms, per stage and slot (below) */
	int rc = -1;

	if (present == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (city_ranges(filter, &ranges, &n_ranges, error) != 0 ||
	    pq_match_query(store, q, req->any, ranges, n_ranges, &m, &exact, error) != 0)
		goto out;
	bool check = !exact || req->check_text;
	facet_cursor_t cursor = {.store = store};
	int answered = exact ? frequent_answers(store, req, filter, m, ranges, n_ranges, &total,
					    &facets, &top, error)
			     : 0;
	if (answered == 0 && exact)
		answered = ngram_answers(req, filter, m, &total, &facets, &top, error);
	if (answered < 0)
		goto out;
	/* the index alone answers: no record is read */
	if (answered == 0 && !check && !filter->by_section) {
		enum { RUN = 256 };
		unsigned docids[RUN];
		double scores[RUN];
		size_t n;
		int got;
		while ((got = pq_match_next_batch(m, docids, scores, RUN, &n, error)) > 0) {
			total += n;
			if (facet_count_run(&facets, &cursor, docids, n) != 0 ||
			    top_offer_run(&top, scores, docids, n) != 0) {
				strbuf_printf_new(error, "out of memory");
				goto out;
			}
		}
		if (got < 0)
			goto out;
	}
	/* Candidates go through three stages, a batch at a time: gathered (their records
	 * asked for), then their records read (their texts asked for), then checked. Each
	 * record and text is a miss at a scattered place in a big file; a batch's misses
	 * overlap, and each stage's come in while the stages before work on other batches. */
	enum { BATCH = 64, STAGES = 3 };
	unsigned ids[STAGES][BATCH];
	double scores[STAGES][BATCH];
	ps_doc_t docs[STAGES][BATCH];
	/* In a command (a store opened once), a batch of candidates scattered over the index,
	 * more than a page of records apart on average, is read with pread: faulting each one's
	 * pages in, and the pages around them, costs several times more. Dense batches, and a
	 * server's warm mapping, go through the mapping. */
	enum { SPARSE_GAP = 128, NORM_CAP = 1024 };
	if (ps_store_one_shot(store) &&
	    (norm_bufs = malloc((size_t)STAGES * BATCH * NORM_CAP)) == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	size_t n_batch[STAGES] = {0};
	int more = answered == 0 && (check || filter->by_section);
	/* a lone counted term: the plans whose candidates the counts settle are not read
	 * (not with --any, where a candidate need not hold the whole term) */
	if (check && !req->check_text && !req->any && !filter->by_section &&
	    pq_settle_new(store, q, &settle, error) != 0)
		goto out;
	for (size_t round = 0; more || n_batch[(round + 1) % STAGES] > 0 ||
			       n_batch[(round + 2) % STAGES] > 0;
	     round++) {
		size_t gather = round % STAGES, read = (round + 2) % STAGES,
		       judge = (round + 1) % STAGES;
		size_t n = 0;
		while (more && n < BATCH) {
			bool sure = false;
			int got = settle ? pq_settle_next(settle, m, &ids[gather][n],
							  &scores[gather][n], &sure, error)
					 : pq_match_next(m, &ids[gather][n], &scores[gather][n], error);
			if (got < 0)
				goto out;
			if (got == 0) {
				more = 0;
			} else if (sure) { /* the counts vouch for it: nothing to read */
				total++;
				if (facet_count(&facets, facet_at(&cursor, ids[gather][n])) != 0 ||
				    top_offer(&top, scores[gather][n], ids[gather][n]) != 0) {
					strbuf_printf_new(error, "out of memory");
					goto out;
				}
			} else {
				ps_store_prefetch_doc(store, ids[gather][n++]);
			}
		}
		n_batch[gather] = n;
		size_t nr = round > 0 ? n_batch[read] : 0;
		bool sparse = norm_bufs != NULL && nr > 1 &&
			      (ids[read][nr - 1] - ids[read][0]) / (nr - 1) > SPARSE_GAP;
		for (size_t i = 0; i < nr; i++) {
			char *buf = sparse ? norm_bufs + ((size_t)read * BATCH + i) * NORM_CAP : NULL;
			if (!(sparse ? ps_store_doc_read(store, ids[read][i], &docs[read][i], buf,
							 NORM_CAP)
				     : ps_store_doc(store, ids[read][i], &docs[read][i]))) {
				strbuf_printf_new(error, DAMAGED);
				goto out;
			}
			if (check)
				__builtin_prefetch(docs[read][i].norm);
		}
		for (size_t i = 0; i < n_batch[judge] && round > 1; i++) {
			const ps_doc_t *d = &docs[judge][i];
			int kept = filter_section(filter, d->plan, d->section, error);
			if (kept < 0)
				goto out;
			if (!kept ||
			    (check && !text_satisfies(q, req->any, d->norm, d->norm_len, present)))
				continue;
			total++;
			if (facet_count(&facets, d->facet) != 0 ||
			    top_offer(&top, scores[judge][i], ids[judge][i]) != 0) {
				strbuf_printf_new(error, "out of memory");
				goto out;
			}
		}
		if (round > 1)
			n_batch[judge] = 0;
	}
	out->r->total = total;
	out->r->offset = req->page ? req->offset : 0;
	if (facet_counts_to_results(&facets, store, out->r, error) != 0 || send_head(out, error) != 0)
		goto out;
	top_sort(&top);
	for (size_t i = out->r->offset; i < top.n; i++) {
		pq_hit_t hit;
		if (describe_clause(store, top.items[i].docid, top.items[i].score, &hit, error) != 0 ||
		    take_hit(out, &hit, error) != 0)
			goto out;
	}
	rc = 0;
out:
	pq_settle_free(settle);
	pq_match_free(m);
	free(norm_bufs);
	free(ranges);
	free(present);
	free(top.items);
	facet_counts_free(&facets);
	return rc;
}

/* ---- paragraph and section scope: units as sets of keys ---- */

/* A unit of a plan as one sortable key: the plan's index in the high half; in the low half
 * a paragraph's index, or HEADING_KEY + a section's index for a heading's own clause
 * (paragraph scope), or a section's index (section scope). */
#define HEADING_KEY 0x80000000u

typedef struct unit_set {
	uint64_t *keys; /* sorted, distinct once normalised */
	double *weights;
	unsigned *docids; /* a clause of the unit that holds the term (the first seen) */
	size_t n, cap;
} unit_set_t;

static void unit_set_free(unit_set_t *s)
{
	free(s->keys);
	free(s->weights);
	free(s->docids);
	*s = (unit_set_t){0};
}

static int unit_set_push(unit_set_t *s, uint64_t key, double weight, unsigned docid)
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
		unsigned *docids = realloc(s->docids, cap * sizeof *docids);
		if (docids == NULL)
			return -1;
		s->docids = docids;
		s->cap = cap;
	}
	s->keys[s->n] = key;
	s->weights[s->n] = weight;
	s->docids[s->n++] = docid;
	return 0;
}

typedef struct keyed {
	uint64_t key;
	double weight;
	unsigned docid;
} keyed_t;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed_t *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* Sort a freshly pushed set and merge equal keys, adding their weights. */
static int unit_set_normalise(unit_set_t *s)
{
	keyed_t *tmp = malloc((s->n ? s->n : 1) * sizeof *tmp);
	if (tmp == NULL)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		tmp[i] = (keyed_t){s->keys[i], s->weights[i], s->docids[i]};
	qsort(tmp, s->n, sizeof *tmp, cmp_keyed);
	size_t m = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (m > 0 && s->keys[m - 1] == tmp[i].key) {
			s->weights[m - 1] += tmp[i].weight;
		} else {
			s->keys[m] = tmp[i].key;
			s->weights[m] = tmp[i].weight;
			s->docids[m++] = tmp[i].docid;
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
				rc = unit_set_push(out, a->keys[i], a->weights[i], a->docids[i]);
			i++;
		} else if (i >= a->n || b->keys[j] < a->keys[i]) {
			if (!intersect)
				rc = unit_set_push(out, b->keys[j], b->weights[j], b->docids[j]);
			j++;
		} else {
			unsigned docid = a->docids[i] < b->docids[j] ? a->docids[i] : b->docids[j];
			rc = unit_set_push(out, a->keys[i], a->weights[i] + b->weights[j], docid);
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
	ps_store_t *store;
	filter_t *filter;
	const pq_request_t *req;
	unit_set_t *set;
	char **error;
	int failed;
} unit_run_t;

/* The units a candidate clause belongs to at the request's scope. */
static int on_unit_clause(void *ctx, unsigned docid, double weight, const char *data,
			  size_t len)
{
	(void)data;
	(void)len;
	unit_run_t *run = ctx;
	ps_doc_t d;
	if (!ps_store_doc(run->store, docid, &d)) {
		strbuf_printf_new(run->error, DAMAGED);
		goto failed;
	}
	if (!filter_plan(run->filter, d.plan))
		return 0;
	uint64_t plan = (uint64_t)(d.plan - run->filter->plans) << 32;
	if (run->req->scope == PQ_SCOPE_PARAGRAPH) {
		uint64_t u = d.paragraph >= 0 ? (uint64_t)d.paragraph
					      : HEADING_KEY | (uint64_t)d.section;
		if (unit_set_push(run->set, plan | u, weight, docid) != 0)
			goto oom;
		return 0;
	}
	if (d.section == 0) { /* the preamble is a unit of its own, under no other */
		if (run->req->level == 0 && unit_set_push(run->set, plan, weight, docid) != 0)
			goto oom;
		return 0;
	}
	const ps_outline_t *o;
	if (ps_store_plan_outline(run->store, d.plan, &o, run->error) != 0)
		goto failed;
	for (int s = d.section; s > 0; s = o->sections[s].parent)
		if (run->req->level == 0 || o->sections[s].depth == run->req->level)
			if (unit_set_push(run->set, plan | (uint64_t)s, weight, docid) != 0)
				goto oom;
	return 0;
oom:
	strbuf_printf_new(run->error, "out of memory");
failed:
	run->failed = 1;
	return 1;
}

/* The units holding every piece of term i. */
static int term_units(unit_run_t *run, size_t i, const pq_docid_range_t *ranges,
		      size_t n_ranges, unit_set_t *out)
{
	const char *norm = run->req->query->terms[i].norm;
	size_t len = strlen(norm), start = 0, at = 0, n_pieces = 0;
	unit_set_t acc = {0};
	int rc = -1;

	while (start < len) {
		/* a piece runs to just after the next character a clause can end with */
		while (at < len && !seg_clause_may_end_after(utf8_next(norm, &at, len)))
			;
		pq_match_t *m = NULL;
		if (pq_match_text(run->store, norm + start, at - start, ranges, n_ranges, &m,
				  run->error) != 0)
			goto out;
		start = at;
		if (m == NULL)
			continue; /* white space: nothing to look up */
		unit_set_t found = {0}, merged;
		run->set = &found;
		unsigned docid;
		double score;
		int got;
		while ((got = pq_match_next(m, &docid, &score, run->error)) > 0)
			if (on_unit_clause(run, docid, score, NULL, 0) != 0)
				break;
		pq_match_free(m);
		if (got < 0 || run->failed || unit_set_normalise(&found) != 0) {
			if (got >= 0 && !run->failed)
				strbuf_printf_new(run->error, "out of memory");
			unit_set_free(&found);
			goto out;
		}
		if (n_pieces++ == 0) {
			acc = found;
			continue;
		}
		int mrc = unit_set_merge(&acc, &found, true, &merged);
		unit_set_free(&found);
		unit_set_free(&acc);
		if (mrc != 0) {
			strbuf_printf_new(run->error, "out of memory");
			goto out;
		}
		acc = merged;
	}
	if (n_pieces == 0) {
		strbuf_printf_new(run->error, "a term of the query has nothing the index can look up");
		goto out;
	}
	*out = acc;
	acc = (unit_set_t){0};
	rc = 0;
out:
	unit_set_free(&acc);
	return rc;
}

/* The candidate units of a node: a term's units; AND intersects its positive parts; OR
 * unites; a NOT constrains nothing here (*unbounded), the check on the text decides. */
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

/* The clause documents [first, end) of the unit `key` holds, from one of its clauses. A
 * paragraph's clauses are found around that one (their records name the paragraph); a
 * section's come from the outline. Returns 0, or -1 with a message. */
static int unit_extent(ps_store_t *store, const pq_request_t *req, uint64_t key,
		       unsigned docid, unit_t *u, char **error)
{
	ps_doc_t d, near;
	uint32_t low = (uint32_t)key;
	if (!ps_store_doc(store, docid, &d)) {
		strbuf_printf_new(error, DAMAGED);
		return -1;
	}
	u->plan = d.plan;
	if (req->scope == PQ_SCOPE_PARAGRAPH && (low & HEADING_KEY)) {
		u->kind = PQ_UNIT_HEADING;
		u->index = u->section = d.section;
		u->first_docid = docid;
		u->end_docid = docid + 1;
		return 0;
	}
	if (req->scope == PQ_SCOPE_PARAGRAPH) {
		unsigned first = docid, end = docid + 1;
		while (first > d.plan->first_docid && ps_store_doc(store, first - 1, &near) &&
		       near.plan == d.plan && near.paragraph == d.paragraph)
			first--;
		while (ps_store_doc(store, end, &near) && near.plan == d.plan &&
		       near.paragraph == d.paragraph)
			end++;
		u->kind = PQ_UNIT_PARAGRAPH;
		u->index = d.paragraph;
		u->section = d.section;
		u->first_docid = first;
		u->end_docid = end;
		return 0;
	}
	const ps_outline_t *o;
	if (ps_store_plan_outline(store, d.plan, &o, error) != 0)
		return -1;
	int s = (int)low, first = o->sections[s].first_clause, end = o->sections[s].end_clause;
	if (s == 0) /* the preamble: the clauses before the first heading */
		for (end = 0; end < (int)o->n_clauses && o->clauses[end].section == 0; end++)
			;
	u->kind = PQ_UNIT_SECTION;
	u->index = u->section = s;
	u->first_docid = d.plan->first_docid + (unsigned)first;
	u->end_docid = d.plan->first_docid + (unsigned)end;
	return 0;
}

/* The normal form of clause documents [first, end) of one plan: they lie side by side in
 * the plan's, with what stands between them. NULL when the index is damaged. */
static const char *span_norm(ps_store_t *store, unsigned first, unsigned end, size_t *len)
{
	ps_doc_t a, b;
	if (end <= first || !ps_store_doc(store, first, &a) || !ps_store_doc(store, end - 1, &b) ||
	    a.plan != b.plan || b.norm + b.norm_len < a.norm)
		return NULL;
	*len = (size_t)(b.norm + b.norm_len - a.norm);
	return a.norm;
}

/* Whether a unit of paragraph or section scope holds the query, judged on its normal form;
 * 1, 0, or -1 with a message. */
static int unit_satisfies(ps_store_t *store, const pq_request_t *req, const unit_t *u,
			  bool *present, char **error)
{
	size_t len;
	const char *text = span_norm(store, u->first_docid, u->end_docid, &len);
	if (text == NULL) {
		strbuf_printf_new(error, DAMAGED);
		return -1;
	}
	return text_satisfies(req->query, false, text, len, present);
}

static int cmp_unit_key(const void *a, const void *b)
{
	const unit_t *x = a, *y = b;
	if (x->plan != y->plan)
		return x->plan < y->plan ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* With section scope and no --level, a section is listed only when none of its
 * sub-sections is: the narrowest sections that satisfy the query (the preamble is under
 * no other). units[] is in plan and section order; the kept ones stay in it. */
static int keep_narrowest(ps_store_t *store, unit_t *units, size_t *n, char **error)
{
	size_t kept = 0;
	for (size_t i = 0; i < *n;) {
		const ps_plan_t *plan = units[i].plan;
		size_t end = i;
		while (end < *n && units[end].plan == plan)
			end++;
		const ps_outline_t *o;
		if (ps_store_plan_outline(store, plan, &o, error) != 0)
			return -1;
		uint8_t *wider = calloc(o->n_sections, 1);
		if (wider == NULL) {
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
		for (size_t k = i; k < end; k++)
			for (int a = o->sections[units[k].index].parent; a > 0 && !wider[a];
			     a = o->sections[a].parent)
				wider[a] = 1;
		for (size_t k = i; k < end; k++)
			if (!wider[units[k].index])
				units[kept++] = units[k];
		free(wider);
		i = end;
	}
	*n = kept;
	return 0;
}

static int cmp_unit_doc(const void *a, const void *b)
{
	const unit_t *x = a, *y = b;
	return x->first_docid < y->first_docid ? -1 : x->first_docid > y->first_docid;
}

static int cmp_unit_rank(const void *a, const void *b)
{
	const unit_t *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return cmp_unit_doc(a, b);
}

static int search_units(ps_store_t *store, const pq_request_t *req, filter_t *filter,
			out_t *out, char **error)
{
	const pq_query_t *q = req->query;
	unit_run_t run = {.store = store, .filter = filter, .req = req, .error = error};
	unit_set_t *term_sets = calloc(q->n_terms, sizeof *term_sets), cands = {0};
	unit_t *units = NULL;
	bool *present = calloc(q->n_terms, sizeof *present), unbounded;
	facet_counts_t facets = {0};
	size_t n = 0;
	int rc = -1;

	pq_docid_range_t *ranges = NULL;
	size_t n_ranges = 0;
	if (term_sets == NULL || present == NULL)
		goto oom;
	if (city_ranges(filter, &ranges, &n_ranges, error) != 0)
		goto out;
	for (size_t i = 0; i < q->n_terms; i++) {
		if (!q->terms[i].positive)
			continue;
		size_t same = 0; /* a term typed twice is looked up once */
		while (same < i && !(q->terms[same].positive &&
				     strcmp(q->terms[same].norm, q->terms[i].norm) == 0))
			same++;
		if (same < i) {
			if (unit_set_merge(&term_sets[same], &(unit_set_t){0}, false,
					   &term_sets[i]) != 0)
				goto oom;
		} else if (term_units(&run, i, ranges, n_ranges, &term_sets[i]) != 0) {
			goto out;
		}
	}
	if (node_units(q->root, term_sets, &cands, &unbounded) != 0)
		goto oom;
	/* each candidate checked on its normal form */
	if ((units = calloc(cands.n ? cands.n : 1, sizeof *units)) == NULL)
		goto oom;
	for (size_t i = 0; i < cands.n; i++) {
		unit_t *u = &units[n];
		if (unit_extent(store, req, cands.keys[i], cands.docids[i], u, error) != 0)
			goto out;
		u->score = cands.weights[i];
		int ok = unit_satisfies(store, req, u, present, error);
		if (ok < 0)
			goto out;
		n += ok;
	}
	if (req->scope == PQ_SCOPE_SECTION && req->level == 0) {
		qsort(units, n, sizeof *units, cmp_unit_key);
		if (keep_narrowest(store, units, &n, error) != 0)
			goto out;
	}
	/* --section and --level; then the facets, over every hit */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		int ok = filter_section(filter, units[i].plan, units[i].section, error);
		ps_doc_t d;
		if (ok < 0)
			goto out;
		if (!ok)
			continue;
		if (!ps_store_doc(store, units[i].first_docid, &d)) {
			strbuf_printf_new(error, DAMAGED);
			goto out;
		}
		units[i].facet = d.facet;
		if (facet_count(&facets, d.facet) != 0)
			goto oom;
		units[kept++] = units[i];
	}
	n = kept;
	qsort(units, n, sizeof *units,
	      req->order == PQ_ORDER_DOCUMENT ? cmp_unit_doc : cmp_unit_rank);
	out->r->total = n;
	out->r->offset = req->page ? req->offset : 0;
	if (facet_counts_to_results(&facets, store, out->r, error) != 0 || send_head(out, error) != 0)
		goto out;
	size_t first = req->page ? (req->offset < n ? req->offset : n) : 0;
	size_t end = req->page && n - first > req->limit ? first + req->limit : n;
	for (size_t i = first; i < end; i++) {
		pq_hit_t hit;
		if (describe_unit(store, &units[i], &hit, error) != 0 ||
		    take_hit(out, &hit, error) != 0)
			goto out;
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	for (size_t i = 0; term_sets && i < q->n_terms; i++)
		unit_set_free(&term_sets[i]);
	free(term_sets);
	unit_set_free(&cands);
	free(units);
	free(present);
	free(ranges);
	facet_counts_free(&facets);
	return rc;
}

/* ---- --any: units holding some of the query's units, ranked by rank.h ---- */

/* A candidate of --any: a unit of the scope (unit_t), and whether the filters keep it. */
typedef struct any_run {
	ps_store_t *store;
	const pq_request_t *req;
	filter_t *filter;
	pq_ranker_t *ranker;
	unsigned *tf;
} any_run_t;

/* The clause documents of candidate `key` (found through clause `docid`) into *u: at
 * clause scope the clause itself, else as unit_extent. Returns 0, or -1 with a message. */
static int any_extent(any_run_t *a, uint64_t key, unsigned docid, unit_t *u, char **error)
{
	if (a->req->scope != PQ_SCOPE_CLAUSE)
		return unit_extent(a->store, a->req, key, docid, u, error);
	ps_doc_t d;
	if (!ps_store_doc(a->store, docid, &d)) {
		strbuf_printf_new(error, DAMAGED);
		return -1;
	}
	*u = (unit_t){.plan = d.plan, .kind = d.paragraph < 0 ? PQ_UNIT_HEADING : PQ_UNIT_CLAUSE,
		      .index = d.clause, .section = d.section, .first_docid = docid,
		      .end_docid = docid + 1};
	return 0;
}

/* Whether text[0,len) (a normal form) states a quantity: a number followed by a unit
 * or a percent sign (95%, 45人, 60分钟, 2.8亿元), not a year or a clause number. */
static bool holds_digit(const char *text, size_t len)
{
	static const char *const UNITS[] = {
		"%", "人", "元", "万", "亿", "分钟", "小时", "所", "个", "名", "倍", "学时",
		"天", "平方米", "项", "以上", "以内", "左右", "家", "门", "次", "节", "周",
	};
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			continue;
		size_t e = i;
		while (e < len && ((text[e] >= '0' && text[e] <= '9') || text[e] == '.'))
			e++;
		while (e < len && text[e] == ' ')
			e++;
		for (size_t k = 0; k < sizeof UNITS / sizeof *UNITS; k++) {
			size_t n = strlen(UNITS[k]);
			if (e + n <= len && memcmp(text + e, UNITS[k], n) == 0)
				return true;
		}
		i = e;
	}
	return false;
}

/* What the headings above a paragraph or clause say of the query: a plan's heading names
 * what the text under it is about, so the score of the unit's section heading (the
 * ranker's `heading` share of it) and of the heading above that (`parent`) are added; a
 * heading that holds none of the query adds nothing. A heading is governed by the
 * headings above it as the text beside it is (1.“宽带网络校校通”项目 by 专栏13 教育信息化
 * 建设推进工程), at the ranker's `up` of those shares, except for a question asking for a
 * figure, which no heading states. Returns 0, or -1 with a message. */
static int any_heading_score(any_run_t *a, const unit_t *u, double *out, char **error)
{
	const ps_outline_t *o;
	*out = 0;
	if (a->ranker->heading == 0 && a->ranker->parent == 0)
		return 0;
	bool heading = u->kind == PQ_UNIT_HEADING;
	if (heading && (a->ranker->up <= 0 || a->ranker->wants_figure))
		return 0;
	if (ps_store_plan_outline(a->store, u->plan, &o, error) != 0)
		return -1;
	double share = heading ? a->ranker->up * a->ranker->heading : a->ranker->heading;
	double next = heading ? a->ranker->up * a->ranker->parent : a->ranker->parent;
	int first = heading && u->section > 0 ? o->sections[u->section].parent : u->section;
	for (int s = first, level = 0; s > 0 && level < 2; s = o->sections[s].parent, level++) {
		ps_doc_t d;
		unsigned docid = u->plan->first_docid + (unsigned)o->sections[s].first_clause;
		if (!ps_store_doc(a->store, docid, &d)) {
			strbuf_printf_new(error, DAMAGED);
			return -1;
		}
		if (d.paragraph < 0 && d.section == s &&
		    pq_ranker_count(a->ranker, d.norm, d.norm_len, a->tf) > 0)
			*out += share * pq_ranker_score(a->ranker, a->tf, d.norm_len, false);
		share = next;
	}
	return 0;
}

/* What a paragraph's title sentence says of the query: a paragraph of two clauses or more
 * whose first is a title (pq_rank_lead_title: 深化办学体制改革。…) gets the ranker's `lead`
 * share of that sentence's score, into *out (0 otherwise), as it gets its heading's. Returns
 * 0, or -1 with a message. */
static int any_lead_score(any_run_t *a, const unit_t *u, double *out, char **error)
{
	ps_doc_t d;
	*out = 0;
	if (a->ranker->lead <= 0 || u->kind != PQ_UNIT_PARAGRAPH ||
	    u->end_docid - u->first_docid < 2)
		return 0;
	if (!ps_store_doc(a->store, u->first_docid, &d)) {
		strbuf_printf_new(error, DAMAGED);
		return -1;
	}
	if (pq_rank_lead_title(d.norm, d.norm_len) &&
	    pq_ranker_count(a->ranker, d.norm, d.norm_len, a->tf) > 0)
		*out = a->ranker->lead * pq_ranker_score(a->ranker, a->tf, d.norm_len, false);
	return 0;
}

/* A kept paragraph of --any by its plan and section, with its own score. */
typedef struct child_score {
	const ps_plan_t *plan;
	int section;
	double own;
} child_score_t;

static int cmp_child(const void *x, const void *y)
{
	const child_score_t *a = x, *b = y;
	if (a->plan != b->plan)
		return (uintptr_t)a->plan < (uintptr_t)b->plan ? -1 : 1;
	return (a->section > b->section) - (a->section < b->section);
}

/* For each heading among units[kept[0..n)], the ranker's `child` share of the best own
 * score that c[0..m) (entries by plan and section) holds for its section. Sorts c. */
static void any_best_child(const any_run_t *a, unit_t *units, const size_t *kept, size_t n,
			   child_score_t *c, size_t m)
{
	qsort(c, m, sizeof *c, cmp_child);
	/* the best of each (plan, section) at its first entry */
	for (size_t k = m; k-- > 1;)
		if (cmp_child(&c[k - 1], &c[k]) == 0 && c[k].own > c[k - 1].own)
			c[k - 1].own = c[k].own;
	for (size_t k = 0; k < n; k++) {
		unit_t *u = &units[kept[k]];
		if (u->kind != PQ_UNIT_HEADING)
			continue;
		child_score_t key = {.plan = u->plan, .section = u->section};
		size_t lo = 0, hi = m;
		while (lo < hi) { /* the first entry not below the key */
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_child(&c[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < m && cmp_child(&c[lo], &key) == 0)
			u->score += a->ranker->child * c[lo].own;
	}
}

/* Whether section s is a box (专栏3 …, path "3.11.b1"): an aside whose heading names what
 * its items are about. */
static bool section_is_box(const ps_section_t *s)
{
	const char *last = strrchr(s->path, '.');
	return last != NULL && last[1] == 'b';
}

/* The entries any_best_child reads for the paragraphs among units[kept[0..n)] (own[k] the
 * own score of units[kept[k]]): one for the section a paragraph is in and one for each box
 * above it, into c when it is not NULL; how many into *m. Returns 0, or -1 with a
 * message. */
static int any_child_entries(const any_run_t *a, const unit_t *units, const size_t *kept,
			     const double *own, size_t n, child_score_t *c, size_t *m,
			     char **error)
{
	*m = 0;
	for (size_t k = 0; k < n; k++) {
		const unit_t *u = &units[kept[k]];
		const ps_outline_t *o;
		if (u->kind != PQ_UNIT_PARAGRAPH)
			continue;
		if (ps_store_plan_outline(a->store, u->plan, &o, error) != 0)
			return -1;
		for (int s = u->section; s > 0; s = o->sections[s].parent) {
			if (s != u->section && !section_is_box(&o->sections[s]))
				continue;
			if (c != NULL)
				c[*m] = (child_score_t){.plan = u->plan, .section = s, .own = own[k]};
			(*m)++;
		}
	}
	return 0;
}

/* What the paragraphs right under a heading say of the query: a heading that holds some of
 * it gets the ranker's `child` share of the best of them (their own scores, own[k] for
 * units[kept[k]]), as the heading names what its text is about; a box's heading (专栏14
 * 校园校车安全保障工程), whose text lies under its items' headings, gets it of the best
 * paragraph anywhere in the box. Nothing when the share is 0 or for a question asking for
 * a figure. Returns 0, or -1 with a message. */
static int any_heading_children(const any_run_t *a, unit_t *units, const size_t *kept,
				const double *own, size_t n, char **error)
{
	if (a->ranker->child <= 0 || a->req->scope != PQ_SCOPE_PARAGRAPH ||
	    a->ranker->wants_figure) /* a figure is stated in text, not in a heading */
		return 0;
	size_t m;
	if (any_child_entries(a, units, kept, own, n, NULL, &m, error) != 0)
		return -1;
	child_score_t *c = calloc(m ? m : 1, sizeof *c);
	if (c == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	int rc = any_child_entries(a, units, kept, own, n, c, &m, error);
	if (rc == 0)
		any_best_child(a, units, kept, n, c, m);
	free(c);
	return rc;
}

/* Whether unit u lies in a section whose heading, or one above it, names the plan's
 * context (pq_rank_context_title, on the heading's normal form) into *in. Returns 0, or -1
 * with a message. */
static int any_in_context(const any_run_t *a, const unit_t *u, bool *in, char **error)
{
	const ps_outline_t *o;
	*in = false;
	if (ps_store_plan_outline(a->store, u->plan, &o, error) != 0)
		return -1;
	/* each heading as the index holds it, folded as the query is (面臨形勢 reads 面临形势) */
	for (int s = u->section; s > 0 && !*in; s = o->sections[s].parent) {
		ps_doc_t d;
		unsigned docid = u->plan->first_docid + (unsigned)o->sections[s].first_clause;
		if (!ps_store_doc(a->store, docid, &d)) {
			strbuf_printf_new(error, DAMAGED);
			return -1;
		}
		if (d.paragraph < 0 && d.section == s) /* the heading's own clause */
			*in = pq_rank_context_title(d.norm, d.norm_len);
	}
	return 0;
}

/* The candidate units: those holding the first piece (up to a character a clause may end
 * with) of some query unit, keyed as the scope keys them (clause scope: by document id). */
static int any_candidates(any_run_t *a, const pq_docid_range_t *ranges, size_t n_ranges,
			  unit_set_t *out, char **error)
{
	unit_run_t run = {.store = a->store, .filter = a->filter, .req = a->req, .error = error};
	unit_set_t found = {0};
	run.set = &found;
	for (size_t i = 0; i < a->ranker->n_units; i++) {
		const char *norm = a->ranker->units[i].norm;
		size_t len = a->ranker->units[i].len, at = 0;
		while (at < len && !seg_clause_may_end_after(utf8_next(norm, &at, len)))
			;
		pq_match_t *m = NULL;
		if (pq_match_text(a->store, norm, at, ranges, n_ranges, &m, error) != 0)
			goto fail;
		if (m == NULL)
			continue;
		unsigned docid;
		double score;
		int got;
		while ((got = pq_match_next(m, &docid, &score, error)) > 0) {
			if (a->req->scope == PQ_SCOPE_CLAUSE) {
				if (unit_set_push(&found, docid, 0, docid) != 0) {
					strbuf_printf_new(error, "out of memory");
					got = -1;
					break;
				}
			} else if (on_unit_clause(&run, docid, 0, NULL, 0) != 0) {
				got = -1;
				break;
			}
		}
		pq_match_free(m);
		if (got < 0)
			goto fail;
	}
	if (unit_set_normalise(&found) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto fail;
	}
	*out = found;
	return 0;
fail:
	unit_set_free(&found);
	return -1;
}

/* The names of the units hit holds, heaviest kind first (rank.h's kinds are in that
 * order), into hit->units. Returns 0, or -1 (no memory). */
static int any_name_units(const pq_ranker_t *r, const unsigned *tf, pq_hit_t *hit)
{
	hit->units = calloc(r->n_units ? r->n_units : 1, sizeof *hit->units);
	if (hit->units == NULL)
		return -1;
	for (int kind = PQ_RANK_PHRASE; kind <= PQ_RANK_VARIANT; kind++)
		for (size_t i = 0; i < r->n_units; i++)
			if ((int)r->units[i].kind == kind && pq_ranker_names(r, tf, i)) {
				strbuf_t sb = STRBUF_INIT;
				if ((kind == PQ_RANK_VARIANT && strbuf_append_str(&sb, "~") != 0) ||
				    strbuf_append_str(&sb, r->units[i].norm) != 0) {
					strbuf_free(&sb);
					return -1;
				}
				hit->units[hit->n_units++] = strbuf_steal(&sb);
			}
	return 0;
}

/* At paragraph scope: the ids of the paragraph's clauses that hold a unit, the best first,
 * into hit->clauses. Returns 0, or -1 with a message. */
static int any_name_clauses(any_run_t *a, const unit_t *u, pq_hit_t *hit, char **error)
{
	size_t n = u->end_docid - u->first_docid, best = 0;
	double best_score = -1;
	hit->clauses = calloc(n ? n : 1, sizeof *hit->clauses);
	if (hit->clauses == NULL)
		goto oom;
	for (unsigned docid = u->first_docid; docid < u->end_docid; docid++) {
		ps_doc_t d;
		if (!ps_store_doc(a->store, docid, &d)) {
			strbuf_printf_new(error, DAMAGED);
			return -1;
		}
		if (pq_ranker_count(a->ranker, d.norm, d.norm_len, a->tf) == 0)
			continue;
		double s = pq_ranker_score(a->ranker, a->tf, d.norm_len,
					   holds_digit(d.norm, d.norm_len));
		pq_hit_t c;
		if (describe_clause(a->store, docid, s, &c, error) != 0)
			return -1;
		hit->clauses[hit->n_clauses] = c.id;
		if (s > best_score) {
			best_score = s;
			best = hit->n_clauses;
		}
		hit->n_clauses++;
	}
	if (best > 0) { /* the best first, the others in text order */
		char *b = hit->clauses[best];
		memmove(hit->clauses + 1, hit->clauses, best * sizeof *hit->clauses);
		hit->clauses[0] = b;
	}
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

/* The variants the ranker searched besides what was typed, into r->also. */
static int any_also(const pq_ranker_t *rk, pq_results_t *r)
{
	r->also = calloc(rk->n_units ? rk->n_units : 1, sizeof *r->also);
	if (r->also == NULL)
		return -1;
	for (size_t i = 0; i < rk->n_units; i++)
		if (rk->units[i].kind == PQ_RANK_VARIANT &&
		    (r->also[r->n_also] = strdup(rk->units[i].norm)) != NULL)
			r->n_also++;
		else if (rk->units[i].kind == PQ_RANK_VARIANT)
			return -1;
	return 0;
}

static int search_any(ps_store_t *store, const pq_request_t *req, filter_t *filter, out_t *out,
		      char **error)
{
	const pq_query_t *q = req->query;
	any_run_t a = {.store = store, .req = req, .filter = filter};
	unit_set_t cands = {0};
	unit_t *units = NULL;
	size_t *df = NULL, *kept = NULL, n = 0, clauses_in = 0;
	double *own = NULL;
	bool *present = calloc(q->n_terms, sizeof *present);
	pq_docid_range_t *ranges = NULL;
	size_t n_ranges = 0;
	facet_counts_t facets = {0};
	top_t top = {.keep = keep_for(req)};
	double len_sum = 0;
	int rc = -1;

	if (present == NULL)
		goto oom;
	ps_status_t st = pq_ranker_new(q, req->thesaurus, &a.ranker, error);
	if (st != PS_OK)
		goto out;
	if ((a.tf = calloc(a.ranker->n_units + 1, sizeof *a.tf)) == NULL ||
	    (df = calloc(a.ranker->n_units + 1, sizeof *df)) == NULL)
		goto oom;
	if (any_also(a.ranker, out->r) != 0)
		goto oom;
	if (city_ranges(filter, &ranges, &n_ranges, error) != 0 ||
	    any_candidates(&a, ranges, n_ranges, &cands, error) != 0)
		goto out;
	if ((units = calloc(cands.n ? cands.n : 1, sizeof *units)) == NULL)
		goto oom;
	/* first pass: the units the filters keep, which do not hold an excluded term, and
	 * how many of them hold each query unit */
	for (size_t i = 0; i < cands.n; i++) {
		unit_t *u = &units[n];
		if (any_extent(&a, cands.keys[i], cands.docids[i], u, error) != 0)
			goto out;
		size_t len;
		const char *text = span_norm(store, u->first_docid, u->end_docid, &len);
		if (text == NULL) {
			strbuf_printf_new(error, DAMAGED);
			goto out;
		}
		clauses_in += u->end_docid - u->first_docid;
		if (pq_ranker_count(a.ranker, text, len, a.tf) == 0)
			continue;
		if (!text_satisfies(q, true, text, len, present))
			continue; /* an excluded term */
		for (size_t k = 0; k < a.ranker->n_units; k++)
			df[k] += a.tf[k] > 0;
		len_sum += (double)len;
		n++;
	}
	if (req->scope == PQ_SCOPE_SECTION && req->level == 0) {
		qsort(units, n, sizeof *units, cmp_unit_key);
		if (keep_narrowest(store, units, &n, error) != 0)
			goto out;
	}
	/* the collection: the chosen plans' clauses, as units of the scope in the proportion
	 * the candidates have them */
	double n_clauses = 0;
	size_t n_plans;
	const ps_plan_t *plans = ps_store_plans(store, &n_plans);
	for (size_t i = 0; i < n_plans; i++)
		if (filter_plan(filter, &plans[i]))
			n_clauses += (double)plans[i].passages;
	double n_units = clauses_in > 0 ? n_clauses * (double)cands.n / (double)clauses_in
					: n_clauses;
	pq_ranker_set_stats(a.ranker, n_units, df, n ? len_sum / (double)n : 1);
	/* second pass: the filters, the facets, the scores */
	size_t total = 0;
	if ((kept = calloc(n ? n : 1, sizeof *kept)) == NULL ||
	    (own = calloc(n ? n : 1, sizeof *own)) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		unit_t *u = &units[i];
		int ok = filter_section(filter, u->plan, u->section, error);
		if (ok < 0)
			goto out;
		if (!ok)
			continue;
		size_t len;
		const char *text = span_norm(store, u->first_docid, u->end_docid, &len);
		ps_doc_t d;
		if (text == NULL || !ps_store_doc(store, u->first_docid, &d)) {
			strbuf_printf_new(error, DAMAGED);
			goto out;
		}
		/* a figure in a clause that holds a unit: the bonus in full when the clause
		 * holds `figshare` of the query or more, in proportion below that */
		double fig = 0;
		for (unsigned c = u->first_docid; a.ranker->wants_figure && fig < 1 &&
						   c < u->end_docid; c++) {
			ps_doc_t cd;
			if (!ps_store_doc(store, c, &cd)) {
				strbuf_printf_new(error, DAMAGED);
				goto out;
			}
			if (!holds_digit(cd.norm, cd.norm_len) ||
			    pq_ranker_count(a.ranker, cd.norm, cd.norm_len, a.tf) == 0)
				continue;
			double share = a.ranker->figshare > 0
					       ? pq_ranker_share(a.ranker, a.tf) / a.ranker->figshare
					       : 1;
			if (share > fig)
				fig = share > 1 ? 1 : share;
		}
		pq_ranker_count(a.ranker, text, len, a.tf);
		u->score = pq_ranker_score(a.ranker, a.tf, len, false) * (1 + a.ranker->figure * fig);
		double under = 0, lead = 0;
		bool context = false;
		if (any_heading_score(&a, u, &under, error) != 0 ||
		    any_lead_score(&a, u, &lead, error) != 0 ||
		    (a.ranker->context > 0 && any_in_context(&a, u, &context, error) != 0))
			goto out;
		under += lead;
		double keep = context ? 1 - a.ranker->context : 1;
		u->score *= keep;
		own[total] = u->score;
		u->score += keep * under;
		u->facet = d.facet;
		if (facet_count(&facets, d.facet) != 0)
			goto oom;
		kept[total++] = i;
	}
	if (any_heading_children(&a, units, kept, own, total, error) != 0)
		goto out;
	for (size_t k = 0; k < total; k++)
		if (top_offer(&top, units[kept[k]].score, (unsigned)kept[k]) != 0)
			goto oom;
	out->r->total = total;
	out->r->offset = req->page ? req->offset : 0;
	if (facet_counts_to_results(&facets, store, out->r, error) != 0 || send_head(out, error) != 0)
		goto out;
	top_sort(&top);
	for (size_t i = out->r->offset; i < top.n; i++) {
		const unit_t *u = &units[top.items[i].docid];
		pq_hit_t hit = {0};
		size_t len;
		const char *text = span_norm(store, u->first_docid, u->end_docid, &len);
		if (text == NULL) {
			strbuf_printf_new(error, DAMAGED);
			goto out;
		}
		pq_ranker_count(a.ranker, text, len, a.tf);
		if ((u->kind == PQ_UNIT_CLAUSE || (u->kind == PQ_UNIT_HEADING &&
						   req->scope == PQ_SCOPE_CLAUSE))
			    ? describe_clause(store, u->first_docid, u->score, &hit, error)
			    : describe_unit(store, u, &hit, error))
			goto out;
		if (any_name_units(a.ranker, a.tf, &hit) != 0) {
			pq_hit_clear(&hit);
			goto oom;
		}
		if (u->kind == PQ_UNIT_PARAGRAPH && any_name_clauses(&a, u, &hit, error) != 0) {
			pq_hit_clear(&hit);
			goto out;
		}
		if (take_hit(out, &hit, error) != 0)
			goto out;
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	pq_ranker_free(a.ranker);
	free(a.tf);
	free(df);
	unit_set_free(&cands);
	free(units);
	free(present);
	free(ranges);
	free(top.items);
	free(kept);
	free(own);
	facet_counts_free(&facets);
	return rc;
}

/* ---- the entry points ---- */

static int check_request(const pq_request_t *req, char **error)
{
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

/* pq_search and pq_search_each: the results into *out, or to the sink. */
static ps_status_t search(ps_store_t *store, const pq_request_t *req, const pq_sink_t *sink,
			  pq_results_t **results, char **error)
{
	pq_results_t *r = calloc(1, sizeof *r);
	out_t out = {.r = r, .sink = sink};
	filter_t filter = {0};
	ps_status_t rc = PS_ERR_FAILED;

	if (r == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	if (check_request(req, error) != 0) {
		rc = PS_ERR_INVALID;
		goto out;
	}
	if (filter_init(&filter, store, req, error) != 0)
		goto out;
	if (req->any ? search_any(store, req, &filter, &out, error)
	    : req->scope == PQ_SCOPE_CLAUSE ? search_clauses(store, req, &filter, &out, error)
					    : search_units(store, req, &filter, &out, error))
		goto out;
	if (send_head(&out, error) != 0) /* no hit was handed over */
		goto out;
	if (results != NULL) {
		*results = r;
		r = NULL;
	}
	rc = PS_OK;
out:
	filter_free(&filter);
	pq_results_free(r);
	return rc;
}

ps_status_t pq_search(ps_store_t *store, const pq_request_t *req, pq_results_t **out,
		      char **error)
{
	return search(store, req, NULL, out, error);
}

ps_status_t pq_search_each(ps_store_t *store, const pq_request_t *req, const pq_sink_t *sink,
			   char **error)
{
	return search(store, req, sink, NULL, error);
}

/* ---- matches and text ---- */

const char *pq_hit_text(ps_store_t *store, const pq_hit_t *hit, size_t *len, char **error)
{
	const char *src;
	size_t src_len;
	if (ps_store_plan_source(store, hit->plan, &src, &src_len, error) != 0)
		return NULL;
	*len = hit->end - hit->start;
	return src + hit->start;
}

int pq_hit_normalize(ps_store_t *store, const pq_hit_t *hit, bool with_map, seg_norm_t *norm,
		     char **error)
{
	const char *src;
	size_t src_len;
	if (ps_store_plan_source(store, hit->plan, &src, &src_len, error) != 0)
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

/* What --any matches a clause by (terms.h) become needles: the bigrams of a term, or a
 * character that stands alone in it. */
static int push_bigram_needle(void *ctx, const char *term, size_t len, const char *gram,
			      size_t glen)
{
	(void)term;
	(void)len;
	return needles_push(ctx, gram, glen);
}

static int push_char_needle(void *ctx, const char *term, size_t len, const char *prefix,
			    size_t prefix_len, const char *gram, size_t glen)
{
	(void)term;
	(void)len;
	(void)prefix;
	(void)prefix_len;
	return needles_push(ctx, gram, glen);
}

/* What to mark: the positive terms; with --any, also their n-grams (what --any matches a
 * clause by: the bigrams of a term, or its character). */
static int collect_needles(const pq_request_t *req, needles_t *l, char **error)
{
	const pq_query_t *q = req->query;
	for (size_t i = 0; i < q->n_terms; i++) {
		if (!q->terms[i].positive)
			continue;
		const char *t = q->terms[i].norm;
		if (needles_push(l, t, strlen(t)) != 0 ||
		    (req->any && ps_terms_lookup(t, strlen(t), push_bigram_needle, push_char_needle,
						 l, error) != 0)) {
			if (error != NULL && *error == NULL)
				strbuf_printf_new(error, "out of memory");
			return -1;
		}
	}
	return 0;
}

int pq_hit_find_matches(ps_store_t *store, const pq_request_t *req, pq_hit_t *hit,
			char **error)
{
	needles_t needles = {0};
	seg_norm_t norm = {0};
	pq_range_t *ranges = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	if (hit->matches != NULL)
		return 0;
	if (req->any && hit->n_units > 0) { /* the query units it was ranked by */
		for (size_t i = 0; i < hit->n_units; i++) {
			const char *u = hit->units[i];
			u += u[0] == '~';
			if (needles_push(&needles, u, strlen(u)) != 0)
				goto oom;
		}
	} else if (collect_needles(req, &needles, error) != 0) {
		goto out;
	}
	if (pq_hit_normalize(store, hit, true, &norm, error) != 0)
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
	for (size_t i = 0; i < r->n_hits; i++)
		pq_hit_clear(&r->hits[i]);
	free(r->hits);
	free(r->facets);
	for (size_t i = 0; i < r->n_also; i++)
		free(r->also[i]);
	free(r->also);
	free(r);
}

static void free_strings(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void pq_hit_clear(pq_hit_t *hit)
{
	if (hit == NULL)
		return;
	free(hit->id);
	free(hit->matches);
	free_strings(hit->units, hit->n_units);
	free_strings(hit->clauses, hit->n_clauses);
	hit->id = NULL;
	hit->matches = NULL;
	hit->units = hit->clauses = NULL;
	hit->n_matches = hit->n_units = hit->n_clauses = 0;
}
