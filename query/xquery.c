/* xquery.c: building the Xapian candidate queries for terms and whole queries, exact where n-grams can be. */
#include "xquery.h"

#include "clauses.h"
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

static int push_term(qlist_t *l, const char *term, size_t len)
{
	xw_query_t *q = NULL;
	if (xw_query_term(term, len, &q) != XW_OK)
		return -1;
	return qlist_push(l, q);
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

static int collect_term(strlist_t *l, const char *term, size_t len)
{
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

/* What a text's lookups gather: its bigram terms (pushed once each, later), and the
 * queries of its characters standing alone (pushed as they come). */
typedef struct lookups {
	strlist_t bigrams;
	qlist_t *out;
} lookups_t;

static int on_bigram(void *ctx, const char *term, size_t len, const char *gram, size_t glen)
{
	(void)gram;
	(void)glen;
	return collect_term(&((lookups_t *)ctx)->bigrams, term, len);
}

/* A character alone: the clauses holding its run-end term or a bigram it starts, weighed
 * as one term (terms.h). */
static int on_character(void *ctx, const char *term, size_t len, const char *prefix,
			size_t prefix_len, const char *gram, size_t glen)
{
	(void)gram;
	(void)glen;
	lookups_t *lk = ctx;
	xw_query_t *parts[2] = {NULL, NULL}, *q = NULL;
	if (xw_query_term(term, len, &parts[0]) == XW_OK &&
	    xw_query_prefix(prefix, prefix_len, &parts[1]) == XW_OK)
		xw_query_combine(XW_QUERY_SYNONYM, parts, 2, &q);
	xw_query_destroy(parts[0]);
	xw_query_destroy(parts[1]);
	return qlist_push(lk->out, q);
}

/* Push what a clause holding text[0,len) literally must hold (terms.h, ps_terms_lookup):
 * each distinct bigram once, so a long repetitive phrase stays a small query, and each
 * character that stands alone between white space. */
static int push_ngrams(const char *text, size_t len, qlist_t *l, char **error)
{
	lookups_t lk = {.out = l};
	int rc = -1;
	if (ps_terms_lookup(text, len, on_bigram, on_character, &lk, error) != 0)
		goto out;
	strlist_t *t = &lk.bigrams;
	if (t->n > 1)
		qsort(t->items, t->n, sizeof *t->items, cmp_str);
	for (size_t i = 0; i < t->n; i++)
		if ((i == 0 || strcmp(t->items[i], t->items[i - 1]) != 0) &&
		    push_term(l, t->items[i], strlen(t->items[i])) != 0)
			goto out;
	rc = 0;
out:
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	for (size_t i = 0; i < lk.bigrams.n; i++)
		free(lk.bigrams.items[i]);
	free(lk.bigrams.items);
	return rc;
}

int pq_xquery_term_pieces(const char *norm, xw_query_t ***pieces_out, size_t *n_out,
			  char **error)
{
	qlist_t pieces = {0}, grams = {0};
	size_t len = strlen(norm), start = 0, i = 0;
	int rc = -1;

	while (start < len) {
		/* the piece runs to just after the next character a clause can end with */
		while (i < len && !seg_clause_may_end_after(utf8_next(norm, &i, len)))
			;
		qlist_clear(&grams);
		if (push_ngrams(norm + start, i - start, &grams, error) != 0)
			goto out;
		if (grams.n > 0) {
			char *piece = strndup(norm + start, i - start);
			xw_query_t *q = piece ? combine(XW_QUERY_AND, &grams) : NULL;
			free(piece);
			if (qlist_push(&pieces, q) != 0)
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

/* Whether the index alone says where a normalised term occurs: one character (its U term)
 * or two (its B term, which a clause holds only where the two stand side by side), no
 * white space. */
static bool index_exact(const char *norm)
{
	size_t len = strlen(norm);
	size_t n = count_code_points(norm, len);
	return (n == 1 || n == 2) && memchr(norm, ' ', len) == NULL;
}

/* AND_NOT of a query and the OR of others; takes base. NULL on failure. */
static xw_query_t *and_not(xw_query_t *base, const qlist_t *excluded)
{
	xw_query_t *out = NULL, *any = combine(XW_QUERY_OR, excluded);
	xw_query_t *pair[2] = {base, any};
	if (base != NULL && any != NULL)
		xw_query_combine(XW_QUERY_AND_NOT, pair, 2, &out);
	xw_query_destroy(any);
	xw_query_destroy(base);
	return out;
}

/* The clause-scope candidates of a node: NULL for a NOT that cannot be said exactly (left
 * to the check on the text; *exact cleared), or on failure (*failed set). An AND's excluded
 * terms that the index says exactly become an AND_NOT. */
static xw_query_t *compile(const pq_query_t *q, const pq_node_t *n,
			   bool *exact, int *failed, char **error)
{
	qlist_t l = {0}, excluded = {0};
	xw_query_t *out = NULL;

	switch (n->kind) {
	case PQ_NODE_NOT: /* only under an AND (parse.h), which takes what it can */
		*exact = false;
		return NULL;
	case PQ_NODE_TERM: {
		const char *norm = q->terms[n->term].norm;
		if (!index_exact(norm))
			*exact = false;
		if (push_ngrams(norm, strlen(norm), &l, error) != 0)
			goto fail;
		break;
	}
	case PQ_NODE_AND:
	case PQ_NODE_OR:
		for (size_t i = 0; i < n->n_kids; i++) {
			const pq_node_t *kid = n->kids[i];
			if (n->kind == PQ_NODE_AND && kid->kind == PQ_NODE_NOT) {
				bool inner_exact = true;
				xw_query_t *inner = compile(q, kid->kids[0], &inner_exact,
							    failed, error);
				if (*failed)
					goto fail;
				if (inner != NULL && inner_exact) {
					if (qlist_push(&excluded, inner) != 0)
						goto fail;
				} else {
					xw_query_destroy(inner);
					*exact = false;
				}
				continue;
			}
			xw_query_t *kq = compile(q, kid, exact, failed, error);
			if (*failed)
				goto fail;
			if (kq != NULL && qlist_push(&l, kq) != 0)
				goto fail;
		}
		break;
	}
	if (l.n == 0) { /* a term with no n-gram to look up (cannot happen for real text) */
		strbuf_printf_new(error, "a term of the query has nothing the index can look up");
		goto fail;
	}
	out = combine(n->kind == PQ_NODE_OR ? XW_QUERY_OR : XW_QUERY_AND, &l);
	if (out != NULL && excluded.n > 0)
		out = and_not(out, &excluded);
	if (out == NULL)
		goto fail;
	qlist_free(&l);
	qlist_free(&excluded);
	return out;
fail:
	*failed = 1;
	qlist_free(&l);
	qlist_free(&excluded);
	return NULL;
}

static bool has_excluded_term(const pq_query_t *q)
{
	for (size_t i = 0; i < q->n_terms; i++)
		if (!q->terms[i].positive)
			return true;
	return false;
}

xw_query_t *pq_xquery_clauses(const pq_query_t *q, bool any, bool *exact,
			      char **error)
{
	const char **texts = calloc(q->n_terms ? q->n_terms : 1, sizeof *texts);
	size_t n_texts = 0;
	xw_query_t *base = NULL;
	qlist_t l = {0};
	int failed = 0;

	*exact = true;
	if (texts == NULL)
		goto out;
	for (size_t i = 0; i < q->n_terms; i++)
		if (q->terms[i].positive)
			texts[n_texts++] = q->terms[i].norm;
	if (any) {
		/* every clause with one of the n-grams matches; only an excluded term is
		 * checked */
		*exact = !has_excluded_term(q);
		for (size_t i = 0; i < n_texts; i++)
			if (push_ngrams(texts[i], strlen(texts[i]), &l, error) != 0)
				goto out;
		base = combine(XW_QUERY_OR, &l);
		if (base == NULL)
			strbuf_printf_new(error, "the query has nothing the index can look up");
	} else {
		base = compile(q, q->root, exact, &failed, error);
	}
out:
	if (base == NULL && error != NULL && *error == NULL)
		strbuf_printf_new(error, "cannot build the query");
	qlist_free(&l);
	free(texts);
	return base;
}
