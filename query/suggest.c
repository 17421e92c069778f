/* suggest.c: why a literal search found nothing and what would: terms alone, wider scopes, --any, operators, folding, near spellings. */
#define _GNU_SOURCE /* memmem */
#include "suggest.h"

#include "normalize.h"
#include "rank.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>

enum {
	TYPO_SCAN = 400,   /* hits of a piece read when looking for near spellings */
	TYPO_SHOW = 5,     /* near spellings named */
	TYPO_MAX_CHARS = 10,
	ANY_SHOW = 3,
};

typedef struct list {
	pq_suggestions_t *out;
	size_t cap;
	char **error;
} list_t;

/* Append a suggestion; message and query (NULL for none) are taken over. */
static int push(list_t *l, const char *kind, char *message, char *query)
{
	pq_suggestions_t *o = l->out;
	if (message == NULL)
		goto oom;
	if (o->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		pq_suggestion_t *grown = realloc(o->items, cap * sizeof *grown);
		if (grown == NULL)
			goto oom;
		o->items = grown;
		l->cap = cap;
	}
	o->items[o->n++] = (pq_suggestion_t){.kind = kind, .message = message, .query = query};
	return 0;
oom:
	free(message);
	free(query);
	strbuf_printf_new(l->error, "out of memory");
	return -1;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* How many units of `scope` hold `query` under the request's filters (the exact total).
 * Returns 0, or -1 with a message. */
static int count_query(ps_store_t *store, const pq_request_t *req, const pq_query_t *query,
		       pq_scope_t scope, size_t *total, char **error)
{
	pq_request_t r = *req;
	pq_results_t *res = NULL;
	r.query = query;
	r.scope = scope;
	r.any = false;
	r.page = true;
	r.offset = 0;
	r.limit = 0;
	if (pq_search(store, &r, &res, error) != PS_OK)
		return -1;
	*total = res->total;
	pq_results_free(res);
	return 0;
}

/* The same for one literal term at clause scope. */
static int count_term(ps_store_t *store, const pq_request_t *req, const char *term,
		      size_t *total, char **error)
{
	pq_query_t *q = NULL;
	if (pq_query_from_literals(&term, 1, &q, error) != PS_OK)
		return -1;
	int rc = count_query(store, req, q, PQ_SCOPE_CLAUSE, total, error);
	pq_query_free(q);
	return rc;
}

/* ---- operators typed in lower case ---- */

static int suggest_operators(list_t *l, const pq_query_t *q)
{
	static const char *const OPS[] = {"or", "and", "not"};
	strbuf_t fixed = STRBUF_INIT;
	const char *word = NULL;
	for (size_t i = 0; i < q->n_terms; i++)
		for (size_t k = 0; k < 3; k++)
			if (strcasecmp(q->terms[i].text, OPS[k]) == 0 && word == NULL)
				word = q->terms[i].text;
	if (word == NULL)
		return 0;
	/* the query with every such word in capitals */
	const char *s = q->text;
	size_t len = strlen(s), at = 0;
	while (at < len) {
		size_t end = at;
		while (end < len && s[end] != ' ')
			end++;
		bool op = false;
		for (size_t k = 0; k < 3; k++)
			op |= end - at == strlen(OPS[k]) && strncasecmp(s + at, OPS[k], end - at) == 0;
		for (size_t i = at; i < end; i++)
			if (strbuf_printf(&fixed, "%c", op ? (char)(s[i] & ~0x20) : s[i]) != 0)
				goto oom;
		if (end < len && strbuf_append(&fixed, " ", 1) != 0)
			goto oom;
		at = end + 1;
	}
	char *query = strbuf_steal(&fixed);
	if (query == NULL)
		goto oom;
	char *msg = format("'%s' was searched as a word; the operators are OR, AND and NOT in "
			   "capitals: %s", word, query);
	return push(l, "operator", msg, query);
oom:
	strbuf_free(&fixed);
	strbuf_printf_new(l->error, "out of memory");
	return -1;
}

/* ---- traditional characters folded ---- */

static bool is_han(int32_t c)
{
	return u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
}

/* Whether text and norm hold the same number of characters and differ in a Han one. */
static bool folded_han(const char *text, const char *norm)
{
	size_t a = 0, b = 0, la = strlen(text), lb = strlen(norm);
	bool differ = false;
	while (a < la && b < lb) {
		int32_t x = utf8_next(text, &a, la), y = utf8_next(norm, &b, lb);
		if (x != y && is_han(x) && is_han(y))
			differ = true;
	}
	return differ;
}

static int suggest_folded(list_t *l, const pq_query_t *q)
{
	for (size_t i = 0; i < q->n_terms; i++) {
		if (!folded_han(q->terms[i].text, q->terms[i].norm))
			continue;
		char *msg = format("%s was searched as %s: traditional characters are folded to "
				   "simplified, so plans printed in either form are found",
				   q->terms[i].text, q->terms[i].norm);
		if (push(l, "folded", msg, NULL) != 0)
			return -1;
	}
	return 0;
}

/* ---- near spellings ---- */

typedef struct near {
	char *text;
	size_t seen;  /* occurrences among the hits read */
	size_t total; /* passages holding it (counted for the best only) */
} near_t;

typedef struct nears {
	near_t *items;
	size_t n, cap;
} nears_t;

static void nears_free(nears_t *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->items[i].text);
	free(n->items);
	*n = (nears_t){0};
}

static int nears_add(nears_t *n, const char *s, size_t len, size_t seen)
{
	for (size_t i = 0; i < n->n; i++)
		if (strlen(n->items[i].text) == len && memcmp(n->items[i].text, s, len) == 0) {
			n->items[i].seen += seen;
			return 0;
		}
	if (n->n == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 16;
		near_t *grown = realloc(n->items, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		n->items = grown;
		n->cap = cap;
	}
	char *copy = strndup(s, len);
	if (copy == NULL)
		return -1;
	n->items[n->n++] = (near_t){.text = copy, .seen = seen};
	return 0;
}

/* Strings a + one letter, digit or Han character + b in the passages that hold the longer
 * of a and b (the first TYPO_SCAN of them), into *found. */
static int find_gap(ps_store_t *store, const pq_request_t *req, const char *a, size_t alen,
		    const char *b, size_t blen, nears_t *found, char **error)
{
	bool by_a = alen >= blen;
	const char *piece = by_a ? a : b;
	size_t plen = by_a ? alen : blen;
	char *p = strndup(piece, plen);
	pq_query_t *q = NULL;
	pq_results_t *res = NULL;
	int rc = -1;
	if (p == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	if (pq_query_from_literals((const char *const *)&p, 1, &q, error) != PS_OK)
		goto out;
	pq_request_t r = *req;
	r.query = q;
	r.scope = PQ_SCOPE_CLAUSE;
	r.any = false;
	r.page = true;
	r.offset = 0;
	r.limit = TYPO_SCAN;
	if (pq_search(store, &r, &res, error) != PS_OK)
		goto out;
	for (size_t h = 0; h < res->n_hits; h++) {
		seg_norm_t norm = {0};
		if (pq_hit_normalize(store, &res->hits[h], false, &norm, error) != 0)
			goto out;
		const char *t = norm.text, *end = norm.text + norm.len;
		for (const char *at = t; (at = memmem(at, (size_t)(end - at), piece, plen)) != NULL;
		     at++) {
			size_t start, gap, after; /* byte offsets in t */
			if (by_a) {
				start = (size_t)(at - t);
				gap = start + alen;
				if (gap >= norm.len)
					continue;
				after = gap;
				utf8_next(t, &after, norm.len);
				if (after + blen > norm.len || memcmp(t + after, b, blen) != 0)
					continue;
			} else {
				after = (size_t)(at - t);
				if (after == 0)
					continue;
				gap = after;
				utf8_prev(t, 0, &gap);
				if (gap < alen || memcmp(t + gap - alen, a, alen) != 0)
					continue;
				start = gap - alen;
			}
			size_t g = gap;
			int32_t c = utf8_next(t, &g, norm.len);
			if (!u_isalnum(c))
				continue;
			if (nears_add(found, t + start, after + blen - start, 1) != 0) {
				seg_norm_clear(&norm);
				strbuf_printf_new(error, "out of memory");
				goto out;
			}
		}
		seg_norm_clear(&norm);
	}
	rc = 0;
out:
	pq_results_free(res);
	pq_query_free(q);
	free(p);
	return rc;
}

static int cmp_near(const void *x, const void *y)
{
	const near_t *a = x, *b = y;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	if (a->seen != b->seen)
		return a->seen > b->seen ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* The indexed strings one edit away from term, into *found (counted, best first). */
static int near_spellings(ps_store_t *store, const pq_request_t *req, const char *term,
			  nears_t *found, char **error)
{
	size_t len = strlen(term), at[TYPO_MAX_CHARS + 1], k = 0;
	for (size_t i = 0; i < len && k <= TYPO_MAX_CHARS;) {
		at[k++] = i;
		utf8_next(term, &i, len);
	}
	if (k > TYPO_MAX_CHARS || k < 2)
		return 0;
	at[k] = len;
	strbuf_t cand = STRBUF_INIT;
	for (size_t i = 0; i < k; i++) {
		/* one replaced (a + ? + b) and one missing before i (a + ? + rest) */
		if (find_gap(store, req, term, at[i], term + at[i + 1], len - at[i + 1], found,
			     error) != 0 ||
		    (i > 0 && find_gap(store, req, term, at[i], term + at[i], len - at[i], found,
				       error) != 0))
			goto fail;
		/* one left out, and two swapped: whole strings, counted below */
		cand.len = 0;
		if (k > 2 && (strbuf_append(&cand, term, at[i]) != 0 ||
			      strbuf_append(&cand, term + at[i + 1], len - at[i + 1]) != 0 ||
			      nears_add(found, cand.data, cand.len, 0) != 0))
			goto oom;
		cand.len = 0;
		if (i + 1 < k && (strbuf_append(&cand, term, at[i]) != 0 ||
				  strbuf_append(&cand, term + at[i + 1], at[i + 2] - at[i + 1]) != 0 ||
				  strbuf_append(&cand, term + at[i], at[i + 1] - at[i]) != 0 ||
				  strbuf_append(&cand, term + at[i + 2], len - at[i + 2]) != 0 ||
				  nears_add(found, cand.data, cand.len, 0) != 0))
			goto oom;
	}
	strbuf_free(&cand);
	/* the exact count of each; those no passage holds are dropped */
	size_t kept = 0;
	for (size_t i = 0; i < found->n; i++) {
		near_t *n = &found->items[i];
		n->total = 0;
		if (strcmp(n->text, term) != 0 &&
		    count_term(store, req, n->text, &n->total, error) != 0) {
			for (size_t j = i; j < found->n; j++)
				free(found->items[j].text);
			found->n = kept;
			return -1;
		}
		if (n->total == 0) {
			free(n->text);
			continue;
		}
		found->items[kept++] = *n;
	}
	found->n = kept;
	/* a piece of another candidate that occurs no more often says nothing more (义务教
	 * beside 义务教育): marked first, then dropped, as every candidate is compared */
	bool *drop = calloc(found->n ? found->n : 1, sizeof *drop);
	if (drop == NULL)
		goto oom;
	for (size_t i = 0; i < found->n; i++) {
		const near_t *n = &found->items[i];
		for (size_t j = 0; j < found->n && !drop[i]; j++)
			drop[i] = j != i && found->items[j].total >= n->total &&
				  strlen(found->items[j].text) > strlen(n->text) &&
				  strstr(found->items[j].text, n->text) != NULL;
	}
	kept = 0;
	for (size_t i = 0; i < found->n; i++) {
		if (drop[i])
			free(found->items[i].text);
		else
			found->items[kept++] = found->items[i];
	}
	free(drop);
	found->n = kept;
	if (kept > 1)
		qsort(found->items, kept, sizeof *found->items, cmp_near);
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
fail:
	strbuf_free(&cand);
	return -1;
}

/* The query text with term t (a word, or a quoted phrase) replaced by `to`; NULL when
 * memory runs out. */
static char *replace_term(const pq_query_t *q, const pq_term_t *t, const char *to)
{
	strbuf_t b = STRBUF_INIT;
	size_t at = t->pos, end = at + strlen(t->text), len = strlen(q->text);
	if (at < len && q->text[at] == '"') { /* the phrase with its quotes */
		const char *close = strchr(q->text + at + 1, '"');
		end = close ? (size_t)(close - q->text) + 1 : len;
	}
	if (end > len)
		end = len;
	if (strbuf_append(&b, q->text, at) != 0 || strbuf_append_str(&b, to) != 0 ||
	    strbuf_append_str(&b, q->text + end) != 0) {
		strbuf_free(&b);
		return NULL;
	}
	return strbuf_steal(&b);
}

/* ---- a long term no passage holds: its words, and where they meet ---- */

static int suggest_words(list_t *l, ps_store_t *store, const pq_request_t *req,
			 const pq_term_t *t)
{
	pq_query_t *one = NULL;
	pq_ranker_t *r = NULL;
	const char *norm = t->norm;
	const char **words = NULL;
	size_t n = 0;
	strbuf_t m = STRBUF_INIT, query = STRBUF_INIT;
	int rc = -1;
	if (pq_query_from_literals(&norm, 1, &one, l->error) != PS_OK ||
	    pq_ranker_new(one, NULL, &r, l->error) != PS_OK)
		goto out;
	if ((words = calloc(r->n_units + 1, sizeof *words)) == NULL)
		goto oom;
	for (size_t i = 0; i < r->n_units; i++)
		if (r->units[i].kind == PQ_RANK_WORD)
			words[n++] = r->units[i].norm;
	if (n < 2) {
		rc = 0;
		goto out;
	}
	strbuf_printf(&m, "%s holds the words", t->text);
	for (size_t i = 0; i < n; i++) {
		size_t total;
		if (count_term(store, req, words[i], &total, l->error) != 0)
			goto out;
		strbuf_printf(&m, "%s %s (%zu)", i ? "," : "", words[i], total);
		strbuf_printf(&query, "%s%s", i ? " " : "", words[i]);
	}
	pq_query_t *all = NULL;
	if (pq_query_from_literals(words, n, &all, l->error) != PS_OK)
		goto out;
	size_t total = 0;
	pq_scope_t s = PQ_SCOPE_CLAUSE;
	for (; s <= PQ_SCOPE_SECTION; s++) {
		if (count_query(store, req, all, s, &total, l->error) != 0) {
			pq_query_free(all);
			goto out;
		}
		if (total > 0)
			break;
	}
	pq_query_free(all);
	char *run = NULL;
	if (total > 0) {
		strbuf_printf(&m, "; all of them meet in %zu %s%s", total, pq_scope_name(s),
			      total == 1 ? "" : "s");
		run = s == PQ_SCOPE_CLAUSE ? strdup(query.data)
					   : format("--scope %s %s", pq_scope_name(s), query.data);
		if (run == NULL)
			goto oom;
	} else {
		strbuf_printf(&m, "; they never meet in one section");
	}
	rc = push(l, "words", strbuf_steal(&m), run);
	goto out;
oom:
	strbuf_printf_new(l->error, "out of memory");
out:
	strbuf_free(&m);
	strbuf_free(&query);
	free(words);
	pq_ranker_free(r);
	pq_query_free(one);
	return rc;
}

/* Whether a term is a lower-case operator word (or, and, not), which suggest_operators
 * explains. */
static bool operator_word(const pq_term_t *t)
{
	return strcasecmp(t->text, "or") == 0 || strcasecmp(t->text, "and") == 0 ||
	       strcasecmp(t->text, "not") == 0;
}

/* ---- the whole ---- */

ps_status_t pq_suggest(ps_store_t *store, const pq_request_t *req, pq_suggestions_t *out,
		       char **error)
{
	const pq_query_t *q = req->query;
	list_t l = {.out = out, .error = error};
	size_t *alone = calloc(q->n_terms ? q->n_terms : 1, sizeof *alone);
	nears_t nears = {0};
	ps_status_t rc = PS_ERR_FAILED;
	*out = (pq_suggestions_t){0};
	if (alone == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	if (suggest_operators(&l, q) != 0 || suggest_folded(&l, q) != 0)
		goto out;
	/* each positive term alone */
	size_t n_positive = 0, n_found = 0;
	for (size_t i = 0; i < q->n_terms; i++) {
		const pq_term_t *t = &q->terms[i];
		if (!t->positive)
			continue;
		bool again = false;
		for (size_t j = 0; j < i && !again; j++)
			again = q->terms[j].positive && strcmp(q->terms[j].norm, t->norm) == 0;
		if (again || operator_word(t))
			continue;
		n_positive++;
		if (count_term(store, req, t->norm, &alone[i], error) != 0)
			goto out;
		n_found += alone[i] > 0;
		char *msg = alone[i] > 0
				    ? format("%s alone: %zu passage%s", t->text, alone[i],
					     alone[i] == 1 ? "" : "s")
				    : format("%s occurs in no passage%s", t->text,
					     req->n_cities || req->section || req->level
						     ? " (with these filters)" : "");
		if (push(&l, "term", msg, NULL) != 0)
			goto out;
		if (alone[i] > 0)
			continue;
		if (suggest_words(&l, store, req, t) != 0)
			goto out;
		nears_free(&nears);
		if (near_spellings(store, req, t->norm, &nears, error) != 0)
			goto out;
		if (nears.n == 0)
			continue;
		strbuf_t m = STRBUF_INIT;
		strbuf_printf(&m, "close to %s in the index:", t->text);
		for (size_t k = 0; k < nears.n && k < TYPO_SHOW; k++)
			strbuf_printf(&m, "%s %s (%zu)", k ? "," : "", nears.items[k].text,
				      nears.items[k].total);
		char *msg2 = strbuf_steal(&m);
		if (push(&l, "typo", msg2, replace_term(q, t, nears.items[0].text)) != 0)
			goto out;
	}
	/* every term occurs, but not together: the first wider scope where they meet */
	if (n_positive > 1 && n_found == n_positive) {
		for (pq_scope_t s = req->scope + 1; s <= PQ_SCOPE_SECTION; s++) {
			size_t total;
			if (count_query(store, req, q, s, &total, error) != 0)
				goto out;
			if (total == 0)
				continue;
			char *msg = format("the terms never meet in one %s, but do in %zu %s%s "
					   "(--scope %s)", pq_scope_name(req->scope), total,
					   pq_scope_name(s), total == 1 ? "" : "s",
					   pq_scope_name(s));
			if (push(&l, "scope", msg, format("--scope %s %s", pq_scope_name(s),
							  q->text)) != 0)
				goto out;
			break;
		}
	}
	/* a ranked run */
	{
		pq_request_t r = *req;
		pq_results_t *res = NULL;
		r.any = true;
		r.scope = PQ_SCOPE_PARAGRAPH;
		r.page = true;
		r.offset = 0;
		r.limit = ANY_SHOW;
		if (pq_search(store, &r, &res, error) != PS_OK)
			goto out;
		if (res->total > 0) {
			strbuf_t m = STRBUF_INIT;
			strbuf_printf(&m, "--any ranks %zu paragraph%s holding some of the query; the "
				      "best:", res->total, res->total == 1 ? "" : "s");
			for (size_t k = 0; k < res->n_hits; k++)
				strbuf_printf(&m, "%s %s", k ? "," : "", res->hits[k].id);
			char *msg = strbuf_steal(&m);
			if (push(&l, "any", msg, format("--any %s", q->text)) != 0) {
				pq_results_free(res);
				goto out;
			}
		}
		pq_results_free(res);
	}
	rc = PS_OK;
out:
	nears_free(&nears);
	free(alone);
	if (rc != PS_OK)
		pq_suggestions_clear(out);
	return rc;
}

void pq_suggestions_clear(pq_suggestions_t *out)
{
	if (out == NULL)
		return;
	for (size_t i = 0; i < out->n; i++) {
		free(out->items[i].message);
		free(out->items[i].query);
	}
	free(out->items);
	*out = (pq_suggestions_t){0};
}
