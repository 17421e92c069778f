/* xquery.c: building the Xapian candidate queries for terms and whole queries. */
#include "xquery.h"

#include "clauses.h"
#include "schema.h"
#include "strbuf.h"
#include "terms.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* A growing list of query handles, destroyed together. */
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

static void qlist_clear(qlist_t *l)
{
	for (size_t i = 0; i < l->n; i++)
		xw_query_destroy(l->items[i]);
	l->n = 0;
}

static void qlist_free(qlist_t *l)
{
	qlist_clear(l);
	free(l->items);
	l->items = NULL;
	l->cap = 0;
}

void pq_xquery_free_list(xw_query_t **list, size_t n)
{
	if (list == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		xw_query_destroy(list[i]);
	free(list);
}

static int push_term(void *ctx, const char *term, size_t len, unsigned pos)
{
	(void)pos;
	xw_query_t *q = NULL;
	if (xw_query_term(term, len, &q) != XW_OK)
		return -1;
	return qlist_push(ctx, q);
}

/* One query combining the list's items (which the list keeps); NULL for an empty list or
 * on failure. */
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

typedef struct strlist {
	char **items;
	size_t n, cap;
} strlist_t;

static int collect_term(void *ctx, const char *term, size_t len, unsigned pos)
{
	(void)pos;
	strlist_t *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **items = realloc(l->items, cap * sizeof *items);
		if (items == NULL)
			return -1;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n] = strndup(term, len);
	return l->items[l->n++] == NULL ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Push each distinct term of the given kinds of text[0,len) once, so a long repetitive
 * phrase stays a small query. */
static int push_distinct(seg_words_t *words, const char *text, size_t len, unsigned kinds,
			 qlist_t *l, char **error)
{
	strlist_t terms = {0};
	int rc = -1;
	if (pi_terms_generate(words, text, len, kinds, collect_term, &terms, error) != 0)
		goto out;
	if (terms.n > 1)
		qsort(terms.items, terms.n, sizeof *terms.items, cmp_str);
	for (size_t i = 0; i < terms.n; i++)
		if ((i == 0 || strcmp(terms.items[i], terms.items[i - 1]) != 0) &&
		    push_term(l, terms.items[i], strlen(terms.items[i]), 0) != 0)
			goto out;
	rc = 0;
out:
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	for (size_t i = 0; i < terms.n; i++)
		free(terms.items[i]);
	free(terms.items);
	return rc;
}

/* Push the n-gram terms a clause holding text[0,len) literally must hold: its bigrams, or
 * for one character (or a run of one between spaces) the character. */
static int push_ngrams(seg_words_t *words, const char *text, size_t len, qlist_t *l,
		       char **error)
{
	unsigned kind = count_code_points(text, len) >= 2 ? PI_TERMS_BIGRAMS : PI_TERMS_UNIGRAMS;
	if (memchr(text, ' ', len) != NULL)
		kind |= PI_TERMS_UNIGRAMS;
	return push_distinct(words, text, len, kind, l, error);
}

/* Restrict q to the cities, if any; takes q. NULL on failure. */
static xw_query_t *filter_cities(xw_query_t *q, const pq_plan_t *const *cities, size_t n)
{
	qlist_t l = {0};
	xw_query_t *out = NULL;
	if (q == NULL || n == 0)
		return q;
	for (size_t i = 0; i < n; i++) {
		strbuf_t term = STRBUF_INIT;
		xw_query_t *cq = NULL;
		if (strbuf_printf(&term, "%s%s", PI_PREFIX_CITY, cities[i]->city_id) == 0)
			xw_query_term(term.data, term.len, &cq);
		strbuf_free(&term);
		if (qlist_push(&l, cq) != 0)
			goto out;
	}
	xw_query_t *any_city = combine(XW_QUERY_OR, &l);
	xw_query_t *pair[2] = {q, any_city};
	if (any_city != NULL)
		xw_query_combine(XW_QUERY_FILTER, pair, 2, &out);
	xw_query_destroy(any_city);
out:
	qlist_free(&l);
	xw_query_destroy(q);
	return out;
}

/* base AND_MAYBE the OR of the words of text (if it has any); takes base. */
static xw_query_t *weigh_by_words(seg_words_t *words, xw_query_t *base, const char *const *texts,
				  size_t n_texts, char **error)
{
	qlist_t w = {0};
	xw_query_t *out = NULL;
	if (base == NULL)
		return NULL;
	for (size_t i = 0; i < n_texts; i++)
		if (push_distinct(words, texts[i], strlen(texts[i]), PI_TERMS_WORDS, &w, error) != 0)
			goto out;
	if (w.n == 0) {
		out = base;
		base = NULL;
		goto out;
	}
	xw_query_t *weights = combine(XW_QUERY_OR, &w);
	xw_query_t *pair[2] = {base, weights};
	if (weights != NULL)
		xw_query_combine(XW_QUERY_AND_MAYBE, pair, 2, &out);
	xw_query_destroy(weights);
out:
	xw_query_destroy(base);
	qlist_free(&w);
	return out;
}

int pq_xquery_term_pieces(seg_words_t *words, const char *norm,
			  const pq_plan_t *const *cities, size_t n_cities,
			  xw_query_t ***pieces_out, size_t *n_out, char **error)
{
	qlist_t pieces = {0}, grams = {0};
	size_t len = strlen(norm), start = 0, i = 0;
	int rc = -1;

	while (start < len) {
		/* the piece runs to just after the next character a clause can end with */
		while (i < len && !seg_clause_may_end_after(utf8_next(norm, &i, len)))
			;
		qlist_clear(&grams);
		if (push_ngrams(words, norm + start, i - start, &grams, error) != 0)
			goto out;
		if (grams.n > 0) {
			char *piece = strndup(norm + start, i - start);
			const char *texts[1] = {piece};
			xw_query_t *q = piece ? combine(XW_QUERY_AND, &grams) : NULL;
			q = weigh_by_words(words, q, texts, 1, error);
			free(piece);
			if (qlist_push(&pieces, filter_cities(q, cities, n_cities)) != 0)
				goto out;
		}
		start = i;
	}
	*pieces_out = pieces.items;
	*n_out = pieces.n;
	pieces.items = NULL;
	pieces.n = 0;
	rc = 0;
out:
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "cannot build the query");
	qlist_free(&pieces);
	qlist_free(&grams);
	return rc;
}

/* The clause-scope candidates of a node: NULL for a NOT (left to the exact check), or on
 * failure (then *failed is set). */
static xw_query_t *compile(seg_words_t *words, const pq_query_t *q, const pq_node_t *n,
			   int *failed, char **error)
{
	qlist_t l = {0};
	xw_query_t *out = NULL;

	switch (n->kind) {
	case PQ_NODE_NOT: return NULL;
	case PQ_NODE_TERM: {
		const char *norm = q->terms[n->term].norm;
		if (push_ngrams(words, norm, strlen(norm), &l, error) != 0)
			goto fail;
		break;
	}
	case PQ_NODE_AND:
	case PQ_NODE_OR:
		for (size_t i = 0; i < n->n_kids; i++) {
			xw_query_t *kid = compile(words, q, n->kids[i], failed, error);
			if (*failed)
				goto fail;
			if (kid != NULL && qlist_push(&l, kid) != 0)
				goto fail;
		}
		break;
	}
	if (l.n == 0) { /* a term with no n-gram to look up (cannot happen for real text) */
		strbuf_printf_new(error, "a term of the query has nothing the index can look up");
		goto fail;
	}
	out = combine(n->kind == PQ_NODE_OR ? XW_QUERY_OR : XW_QUERY_AND, &l);
	if (out == NULL)
		goto fail;
	qlist_free(&l);
	return out;
fail:
	*failed = 1;
	qlist_free(&l);
	return NULL;
}

xw_query_t *pq_xquery_clauses(seg_words_t *words, const pq_query_t *q, bool any,
			      const pq_plan_t *const *cities, size_t n_cities, char **error)
{
	const char **texts = calloc(q->n_terms ? q->n_terms : 1, sizeof *texts);
	size_t n_texts = 0;
	xw_query_t *base = NULL;
	qlist_t l = {0};
	int failed = 0;

	if (texts == NULL)
		goto out;
	for (size_t i = 0; i < q->n_terms; i++)
		if (q->terms[i].positive)
			texts[n_texts++] = q->terms[i].norm;
	if (any) {
		for (size_t i = 0; i < n_texts; i++)
			if (push_distinct(words, texts[i], strlen(texts[i]),
					  PI_TERMS_WORDS | PI_TERMS_BIGRAMS, &l, error) != 0 ||
			    (count_code_points(texts[i], strlen(texts[i])) == 1 &&
			     push_ngrams(words, texts[i], strlen(texts[i]), &l, error) != 0))
				goto out;
		base = combine(XW_QUERY_OR, &l);
		if (base == NULL)
			strbuf_printf_new(error, "the query has nothing the index can look up");
	} else {
		base = compile(words, q, q->root, &failed, error);
		base = weigh_by_words(words, base, texts, n_texts, error);
	}
	base = filter_cities(base, cities, n_cities);
out:
	if (base == NULL && error != NULL && *error == NULL)
		strbuf_printf_new(error, "cannot build the query");
	qlist_free(&l);
	free(texts);
	return base;
}

/* ---- exact queries ---- */

#define PHRASE_MAX 64 /* bigrams in the longest phrase an exact query uses */

typedef struct gram_list {
	strlist_t terms;
	unsigned last_pos;
} gram_list_t;

static int collect_gram(void *ctx, const char *term, size_t len, unsigned pos)
{
	gram_list_t *g = ctx;
	g->last_pos = pos;
	return collect_term(&g->terms, term, len, pos);
}

/* A query from one term string; NULL on failure. */
static xw_query_t *term_query(const char *term)
{
	xw_query_t *q = NULL;
	return xw_query_term(term, strlen(term), &q) == XW_OK ? q : NULL;
}

/* The clauses holding a normalised term literally; NULL with *inexact when it holds white
 * space, or on failure (*error set). */
static xw_query_t *exact_term(seg_words_t *words, const char *norm, bool *inexact,
			      char **error)
{
	size_t len = strlen(norm), n_cp = count_code_points(norm, len);
	gram_list_t g = {0};
	qlist_t all = {0};
	xw_query_t *out = NULL;

	if (pi_terms_generate(words, norm, len, n_cp == 1 ? PI_TERMS_UNIGRAMS : PI_TERMS_BIGRAMS,
			      collect_gram, &g, error) != 0)
		goto out;
	/* every character (pair) was a term, at consecutive positions: no white space; and a
	 * phrase of at most PHRASE_MAX bigrams: a longer term's bigrams find so few candidates
	 * that checking their text is quicker than a phrase of thousands of terms */
	size_t want = n_cp == 1 ? 1 : n_cp - 1;
	if (n_cp == 0 || g.terms.n != want || g.last_pos != want || want > PHRASE_MAX) {
		*inexact = true;
		goto out;
	}
	if (want == 1) {
		out = term_query(g.terms.items[0]);
		goto out;
	}
	for (size_t i = 0; i < g.terms.n; i++)
		if (qlist_push(&all, term_query(g.terms.items[i])) != 0)
			goto out;
	out = combine(XW_QUERY_PHRASE, &all);
out:
	if (out == NULL && !*inexact && error != NULL && *error == NULL)
		strbuf_printf_new(error, "cannot build the query");
	for (size_t i = 0; i < g.terms.n; i++)
		free(g.terms.items[i]);
	free(g.terms.items);
	qlist_free(&all);
	return out;
}

/* The clauses satisfying a node exactly; NULL with *inexact or on failure. */
static xw_query_t *compile_exact(seg_words_t *words, const pq_query_t *q, const pq_node_t *n,
				 bool *inexact, char **error)
{
	qlist_t pos = {0}, neg = {0};
	xw_query_t *out = NULL;

	if (n->kind == PQ_NODE_TERM)
		return exact_term(words, q->terms[n->term].norm, inexact, error);
	if (n->kind == PQ_NODE_NOT) { /* only under an AND, which handles it; parse.h */
		*inexact = true;
		return NULL;
	}
	for (size_t i = 0; i < n->n_kids; i++) {
		const pq_node_t *kid = n->kids[i];
		bool negated = n->kind == PQ_NODE_AND && kid->kind == PQ_NODE_NOT;
		xw_query_t *kq = compile_exact(words, q, negated ? kid->kids[0] : kid, inexact,
					       error);
		if (kq == NULL || qlist_push(negated ? &neg : &pos, kq) != 0)
			goto out;
	}
	if (pos.n == 0) { /* parse.h refuses a side that only excludes */
		*inexact = true;
		goto out;
	}
	out = combine(n->kind == PQ_NODE_OR ? XW_QUERY_OR : XW_QUERY_AND, &pos);
	if (out != NULL && neg.n > 0) {
		xw_query_t *excluded = combine(XW_QUERY_OR, &neg);
		xw_query_t *pair[2] = {out, excluded}, *both = NULL;
		if (excluded != NULL)
			xw_query_combine(XW_QUERY_AND_NOT, pair, 2, &both);
		xw_query_destroy(excluded);
		xw_query_destroy(out);
		out = both;
	}
out:
	if (out == NULL && !*inexact && error != NULL && *error == NULL)
		strbuf_printf_new(error, "cannot build the query");
	qlist_free(&pos);
	qlist_free(&neg);
	return out;
}

xw_query_t *pq_xquery_exact(seg_words_t *words, const pq_query_t *q,
			    const pq_plan_t *const *cities, size_t n_cities, bool *inexact,
			    char **error)
{
	xw_query_t *out = NULL, *exact, *weighed = NULL;

	*inexact = false;
	exact = compile_exact(words, q, q->root, inexact, error);
	if (exact != NULL)
		weighed = pq_xquery_clauses(words, q, false, cities, n_cities, error);
	/* the candidates weigh (so hits rank exactly as when checked on their text); the
	 * exact query decides which match */
	xw_query_t *pair[2] = {weighed, exact};
	if (weighed != NULL)
		xw_query_combine(XW_QUERY_FILTER, pair, 2, &out);
	if (out == NULL && !*inexact && error != NULL && *error == NULL)
		strbuf_printf_new(error, "cannot build the query");
	xw_query_destroy(weighed);
	xw_query_destroy(exact);
	return out;
}
