/* match.c: a tree of posting-list walkers (lists, unions, AND, OR, AND NOT, document ranges) advanced a document at a time. */
#include "match.h"

#include "strbuf.h"
#include "terms.h"
#include "utf8.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DOC_END UINT32_MAX
#define BUFFERED 128 /* postings read from Xapian at a time */
#define K1 1.2
#define DENSE_KIDS 8  /* a union of more lists is read whole (materialise) */
#define WALKED 2      /* lists a checked term is walked by: its rarest */

typedef enum kind {
	N_LIST,   /* one term's posting list */
	N_UNION,  /* several lists weighed as one term (a character standing alone) */
	N_AND,
	N_OR,
	N_AND_NOT, /* kids[0] without any of the other kids */
	N_RANGES,  /* every document in the ranges */
	N_KEPT,    /* the clauses the index keeps for a common n-gram (store.h, ps_store_ngram) */
} kind_t;

typedef struct node node_t;
struct node {
	kind_t kind;
	unsigned doc; /* the current document; 0 before the first, DOC_END after the last */
	/* N_LIST */
	xw_postlist_t *pl;
	unsigned docs[BUFFERED], wdfs[BUFFERED];
	size_t at, n;   /* docs[at] is the current posting, when at < n */
	bool drained;   /* Xapian's list is read to its end */
	unsigned termfreq;
	/* N_LIST, N_UNION: the weight of the term; N_KEPT: a clause's score when it holds each
	 * of the term's bigrams once */
	double idf;
	unsigned n_docs; /* N_UNION: the index's documents */
	/* the others */
	node_t **kids;
	size_t n_kids;
	size_t *heap, n_heap; /* N_UNION, N_OR: kids still going, by their current document */
	/* N_UNION of many lists: read whole into one sorted array the first time it moves
	 * (a heap over hundreds of lists costs more per posting than a sort) */
	bool dense;
	unsigned *all_docs, *all_wdfs;
	size_t n_all, at_all;
	uint16_t *by_doc;   /* or, when the union holds much of the index, its counts by
			     * document id (0: not in it) */
	unsigned max_doc;
	const pq_docid_range_t *ranges;
	size_t n_ranges, r;
	/* N_LIST of a term's bigram: its place among the term's distinct bigrams */
	unsigned lookup;
	/* N_KEPT: the kept clauses, read into docs[] with their scores; kids[0] is the walk
	 * the term would have had (its bigrams' lists, never advanced), which scores them */
	ps_ngram_clauses_t kept;
	double *kscores; /* BUFFERED, then KEPT_CACHE for kcache */
	double *kcache;
};

struct pq_match {
	ps_store_t *store;
	xw_db_t *db;
	double n_docs;
	node_t *root;
	node_t **all; /* every node made, to free */
	size_t n_all, cap_all;
	bool started;
};

/* ---- nodes ---- */

static node_t *new_node(pq_match_t *m, kind_t kind)
{
	if (m->n_all == m->cap_all) {
		size_t cap = m->cap_all ? m->cap_all * 2 : 16;
		node_t **all = realloc(m->all, cap * sizeof *all);
		if (all == NULL)
			return NULL;
		m->all = all;
		m->cap_all = cap;
	}
	node_t *n = calloc(1, sizeof *n);
	if (n == NULL)
		return NULL;
	n->kind = kind;
	m->all[m->n_all++] = n;
	return n;
}

static int add_kid(node_t *parent, node_t *kid)
{
	node_t **kids = realloc(parent->kids, (parent->n_kids + 1) * sizeof *kids);
	if (kids == NULL)
		return -1;
	parent->kids = kids;
	parent->kids[parent->n_kids++] = kid;
	return 0;
}

static double idf_of(double n_docs, double termfreq)
{
	if (termfreq > n_docs)
		termfreq = n_docs;
	return log(1.0 + (n_docs - termfreq + 0.5) / (termfreq + 0.5));
}

/* A count's saturated weight, wdf (k1 + 1) / (wdf + k1); from a table for small counts. */
static double saturation_table[64];
static pthread_once_t saturation_once = PTHREAD_ONCE_INIT;

static void fill_saturation_table(void)
{
	for (unsigned i = 0; i < 64; i++)
		saturation_table[i] = i * (K1 + 1.0) / (i + K1);
}

/* The table is filled once, when the first walk is made, whichever thread makes it (the
 * server searches from many): match_new. */
static double saturate(unsigned wdf)
{
	if (wdf < 64)
		return saturation_table[wdf];
	return wdf * (K1 + 1.0) / (wdf + K1);
}

/* ---- advancing ---- */

static int advance(node_t *n, unsigned target, char **error);
static double score(const node_t *n);

/* A list's (or kept clauses') first document at or after target among those read into
 * docs[], or the end when nothing more is to be read: true, standing on it; false when the
 * buffer must be refilled. */
static bool stand_in_buffer(node_t *n, unsigned target)
{
	while (n->at < n->n && n->docs[n->at] < target)
		n->at++;
	if (n->at < n->n) {
		n->doc = n->docs[n->at];
		return true;
	}
	if (n->drained) {
		n->doc = DOC_END;
		return true;
	}
	return false;
}

/* The list's first posting at or after target. */
static int advance_list(node_t *n, unsigned target, char **error)
{
	if (stand_in_buffer(n, target))
		return 0;
	if (target > n->doc + 1 && xw_postlist_skip_to(n->pl, target) != PS_OK)
		goto failed;
	for (;;) {
		size_t got = 0;
		if (xw_postlist_read(n->pl, n->docs, n->wdfs, BUFFERED, &got) != PS_OK)
			goto failed;
		n->at = 0;
		n->n = got;
		if (got < BUFFERED)
			n->drained = true;
		if (stand_in_buffer(n, target))
			return 0;
	}
failed:
	strbuf_printf_new(error, "cannot read the index's posting lists: %s",
			  xw_postlist_last_error(n->pl));
	return -1;
}

/* The heap of a union's or an OR's kids, smallest current document on top. */
static void sift(node_t *n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, s = i;
		if (l < n->n_heap && n->kids[n->heap[l]]->doc < n->kids[n->heap[s]]->doc)
			s = l;
		if (r < n->n_heap && n->kids[n->heap[r]]->doc < n->kids[n->heap[s]]->doc)
			s = r;
		if (s == i)
			return;
		size_t t = n->heap[i];
		n->heap[i] = n->heap[s];
		n->heap[s] = t;
		i = s;
	}
}

/* Sort packed postings (document << 32 | count) by document, 11 bits a pass from the low
 * end (LSD radix: stable), as many passes as the highest document needs. tmp is scratch of
 * the same size. */
static void sort_postings(uint64_t *p, uint64_t *tmp, size_t n, unsigned max_doc)
{
	for (int shift = 32; shift < 64 && (shift == 32 || (max_doc >> (shift - 32)) != 0);
	     shift += 11) {
		size_t count[2049] = {0};
		for (size_t i = 0; i < n; i++)
			count[((p[i] >> shift) & 2047) + 1]++;
		for (int b = 0; b < 2048; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[(p[i] >> shift) & 2047]++] = p[i];
		memcpy(p, tmp, n * sizeof *p);
	}
}

/* A union of postings for more than this share of the index's documents is counted in an
 * array by document id (two bytes a document) rather than sorted. */
#define BY_DOC_SHARE 8

/* Read every kid of a dense union into n->by_doc. */
static int count_by_doc(node_t *n, unsigned n_docs, char **error)
{
	unsigned docs[BUFFERED], wdfs[BUFFERED];
	if ((n->by_doc = calloc((size_t)n_docs + 2, sizeof *n->by_doc)) == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	n->max_doc = n_docs;
	for (size_t i = 0; i < n->n_kids; i++) {
		node_t *k = n->kids[i];
		for (;;) {
			size_t got = 0;
			if (xw_postlist_read(k->pl, docs, wdfs, BUFFERED, &got) != PS_OK) {
				strbuf_printf_new(error, "cannot read the index's posting lists: %s",
						  xw_postlist_last_error(k->pl));
				return -1;
			}
			if (got == 0)
				break;
			for (size_t j = 0; j < got; j++) {
				if (docs[j] > n_docs)
					continue; /* cannot be: the index's own ids */
				unsigned sum = n->by_doc[docs[j]] + (wdfs[j] ? wdfs[j] : 1);
				n->by_doc[docs[j]] = (uint16_t)(sum > UINT16_MAX ? UINT16_MAX : sum);
			}
		}
	}
	return 0;
}

/* Read every kid of a dense union whole, sort, and add up the counts of each document. */
static int materialise(node_t *n, unsigned n_docs, char **error)
{
	size_t cap = 0, len = 0;
	unsigned max_doc = 0;
	for (size_t i = 0; i < n->n_kids; i++)
		cap += n->kids[i]->termfreq;
	if (cap > n_docs / BY_DOC_SHARE)
		return count_by_doc(n, n_docs, error);
	uint64_t *all = malloc((cap ? cap : 1) * sizeof *all);
	uint64_t *tmp = malloc((cap ? cap : 1) * sizeof *tmp);
	unsigned docs[BUFFERED], wdfs[BUFFERED];
	int rc = -1;
	if (all == NULL || tmp == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n->n_kids; i++) {
		node_t *k = n->kids[i];
		for (;;) {
			size_t got = 0;
			if (xw_postlist_read(k->pl, docs, wdfs, BUFFERED, &got) != PS_OK) {
				strbuf_printf_new(error, "cannot read the index's posting lists: %s",
						  xw_postlist_last_error(k->pl));
				goto out;
			}
			if (got == 0)
				break;
			for (size_t j = 0; j < got && len < cap; j++) {
				all[len++] = (uint64_t)docs[j] << 32 | wdfs[j];
				if (docs[j] > max_doc)
					max_doc = docs[j];
			}
		}
	}
	sort_postings(all, tmp, len, max_doc);
	n->all_docs = malloc((len ? len : 1) * sizeof *n->all_docs);
	n->all_wdfs = malloc((len ? len : 1) * sizeof *n->all_wdfs);
	if (n->all_docs == NULL || n->all_wdfs == NULL) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	size_t m = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(all[i] >> 32), w = (unsigned)all[i];
		if (m > 0 && n->all_docs[m - 1] == d) {
			n->all_wdfs[m - 1] += w;
		} else {
			n->all_docs[m] = d;
			n->all_wdfs[m++] = w;
		}
	}
	n->n_all = m;
	rc = 0;
out:
	free(all);
	free(tmp);
	return rc;
}

static int advance_dense(node_t *n, unsigned target, char **error)
{
	if (n->all_docs == NULL && n->by_doc == NULL && materialise(n, n->n_docs, error) != 0)
		return -1;
	if (n->by_doc != NULL) {
		unsigned d = target;
		while (d <= n->max_doc && n->by_doc[d] == 0)
			d++;
		n->doc = d <= n->max_doc ? d : DOC_END;
		return 0;
	}
	size_t lo = n->at_all, hi = n->n_all; /* the first at or after target */
	if (lo < hi && n->all_docs[lo] < target) {
		if (lo + 1 < hi && n->all_docs[lo + 1] >= target) {
			lo++;
		} else {
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (n->all_docs[mid] < target)
					lo = mid + 1;
				else
					hi = mid;
			}
		}
	}
	n->at_all = lo;
	n->doc = lo < n->n_all ? n->all_docs[lo] : DOC_END;
	return 0;
}

static int advance_any(node_t *n, unsigned target, char **error)
{
	if (n->dense)
		return advance_dense(n, target, error);
	while (n->n_heap > 0 && n->kids[n->heap[0]]->doc < target) {
		node_t *k = n->kids[n->heap[0]];
		if (advance(k, target, error) != 0)
			return -1;
		if (k->doc == DOC_END)
			n->heap[0] = n->heap[--n->n_heap];
		sift(n, 0);
	}
	n->doc = n->n_heap > 0 ? n->kids[n->heap[0]]->doc : DOC_END;
	return 0;
}

static int advance_and(node_t *n, unsigned target, char **error)
{
	unsigned t = target;
	for (size_t i = 0, agreed = 0; agreed < n->n_kids; i = (i + 1) % n->n_kids) {
		node_t *k = n->kids[i];
		if (k->doc < t && advance(k, t, error) != 0)
			return -1;
		if (k->doc == DOC_END) {
			n->doc = DOC_END;
			return 0;
		}
		if (k->doc > t) {
			t = k->doc;
			agreed = 1;
		} else {
			agreed++;
		}
	}
	n->doc = t;
	return 0;
}

static int advance_and_not(node_t *n, unsigned target, char **error)
{
	unsigned t = target;
	for (;;) {
		node_t *pos = n->kids[0];
		if (advance(pos, t, error) != 0)
			return -1;
		if (pos->doc == DOC_END) {
			n->doc = DOC_END;
			return 0;
		}
		bool excluded = false;
		for (size_t i = 1; i < n->n_kids && !excluded; i++) {
			node_t *k = n->kids[i];
			if (k->doc < pos->doc && advance(k, pos->doc, error) != 0)
				return -1;
			excluded = k->doc == pos->doc;
		}
		if (!excluded) {
			n->doc = pos->doc;
			return 0;
		}
		t = pos->doc + 1;
	}
}

static void advance_ranges(node_t *n, unsigned target)
{
	while (n->r < n->n_ranges && n->ranges[n->r].end <= target)
		n->r++;
	if (n->r == n->n_ranges)
		n->doc = DOC_END;
	else
		n->doc = target > n->ranges[n->r].first ? target : n->ranges[n->r].first;
}

/* The walk's own score for a kept clause: each of the term's walked lists (kids[0], or its
 * kids) stands on the clause's count of its bigram, and the walk's node is scored as the
 * walk scores it, so the two agree to the last bit. */
static double kept_score(node_t *n, const unsigned *counts)
{
	node_t *walk = n->kids[0];
	if (walk->kind == N_LIST) {
		walk->at = 0;
		walk->wdfs[0] = counts[walk->lookup];
	} else {
		for (size_t i = 0; i < walk->n_kids; i++) {
			walk->kids[i]->at = 0;
			walk->kids[i]->wdfs[0] = counts[walk->kids[i]->lookup];
		}
	}
	return score(walk);
}

/* kept_score, remembered for counts below KEPT_CACHED (a term's clauses repeat few of
 * them) in kcache, where 0 is not yet known: a score is positive. */
#define KEPT_CACHED 8
#define KEPT_CACHE (KEPT_CACHED * KEPT_CACHED * KEPT_CACHED)

static double kept_score_cached(node_t *n, const unsigned *counts)
{
	size_t key = 0;
	for (size_t j = 0; j < PS_NGRAM_MAX_BIGRAMS; j++) {
		unsigned c = j < n->kept.n_bigrams ? counts[j] : 0;
		if (c >= KEPT_CACHED)
			return kept_score(n, counts);
		key = key * KEPT_CACHED + c;
	}
	if (n->kcache[key] == 0)
		n->kcache[key] = kept_score(n, counts);
	return n->kcache[key];
}

#define DAMAGED_NGRAMS "the index is damaged (the clauses it keeps for common n-grams do not " \
		       "fit it); rebuild it with policy-index"

static int advance_kept(node_t *n, unsigned target, char **error)
{
	for (;;) {
		if (stand_in_buffer(n, target))
			return 0;
		unsigned counts[BUFFERED][PS_NGRAM_MAX_BIGRAMS];
		bool ones[BUFFERED];
		size_t got = 0;
		int r = ps_ngram_read(&n->kept, n->docs, counts, ones, BUFFERED, &got);
		if (r < 0) {
			strbuf_printf_new(error, DAMAGED_NGRAMS);
			return -1;
		}
		for (size_t i = 0; i < got; i++) /* most clauses hold each bigram once */
			n->kscores[i] = ones[i] ? n->idf : kept_score_cached(n, counts[i]);
		n->at = 0;
		n->n = got;
		n->drained = r == 0;
	}
}

/* Move n to its first document at or after target (never back). */
static int advance(node_t *n, unsigned target, char **error)
{
	if (n->doc >= target && n->doc != 0)
		return 0;
	switch (n->kind) {
	case N_LIST: return advance_list(n, target, error);
	case N_UNION:
	case N_OR: return advance_any(n, target, error);
	case N_AND: return advance_and(n, target, error);
	case N_AND_NOT: return advance_and_not(n, target, error);
	case N_RANGES: advance_ranges(n, target); return 0;
	case N_KEPT: return advance_kept(n, target, error);
	}
	return 0;
}

/* ---- scores ---- */

/* The summed counts of the union's kids that stand on document d (those on top of the
 * heap: a kid's children in the heap are never before it). */
static unsigned union_wdf(const node_t *n, size_t i, unsigned d)
{
	if (i >= n->n_heap || n->kids[n->heap[i]]->doc != d)
		return 0;
	const node_t *k = n->kids[n->heap[i]];
	return k->wdfs[k->at] + union_wdf(n, 2 * i + 1, d) + union_wdf(n, 2 * i + 2, d);
}

static double score(const node_t *n);

static double or_score(const node_t *n, size_t i, unsigned d)
{
	if (i >= n->n_heap || n->kids[n->heap[i]]->doc != d)
		return 0;
	return score(n->kids[n->heap[i]]) + or_score(n, 2 * i + 1, d) + or_score(n, 2 * i + 2, d);
}

/* The node's score at its current document. */
static double score(const node_t *n)
{
	double s = 0;
	switch (n->kind) {
	case N_LIST: return n->idf * saturate(n->wdfs[n->at]);
	case N_UNION:
		return n->idf * saturate(n->by_doc   ? n->by_doc[n->doc]
					 : n->dense ? n->all_wdfs[n->at_all]
						    : union_wdf(n, 0, n->doc));
	case N_OR: return or_score(n, 0, n->doc);
	case N_AND:
		for (size_t i = 0; i < n->n_kids; i++)
			s += score(n->kids[i]);
		return s;
	case N_AND_NOT: return score(n->kids[0]);
	case N_RANGES: return 0;
	case N_KEPT: return n->kscores[n->at];
	}
	return 0;
}

/* ---- building ---- */

/* Fill the heap of a union or an OR with its kids. */
static int make_heap(node_t *n)
{
	if ((n->heap = malloc((n->n_kids ? n->n_kids : 1) * sizeof *n->heap)) == NULL)
		return -1;
	for (size_t i = 0; i < n->n_kids; i++)
		n->heap[i] = i;
	n->n_heap = n->n_kids;
	return 0;
}

static node_t *list_node(pq_match_t *m, const char *term, size_t len, char **error)
{
	node_t *n = new_node(m, N_LIST);
	if (n == NULL) {
		strbuf_printf_new(error, "out of memory");
		return NULL;
	}
	if (xw_postlist_open(m->db, term, len, &n->pl) != PS_OK) {
		strbuf_printf_new(error, "cannot read the index's posting lists: %s",
				  xw_db_last_error(m->db));
		return NULL;
	}
	n->termfreq = xw_postlist_termfreq(n->pl);
	n->idf = idf_of(m->n_docs, n->termfreq);
	return n;
}

/* What a text's lookups make: a list per distinct bigram, a union per lone character. */
typedef struct gather {
	pq_match_t *m;
	node_t **nodes;
	size_t n, cap;
	char **terms; /* the bigram terms taken, to take each once */
	size_t n_terms;
	char **error;
	int failed;
} gather_t;

static int push_node(gather_t *g, node_t *n)
{
	if (n == NULL) {
		g->failed = 1;
		return 1;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		node_t **nodes = realloc(g->nodes, cap * sizeof *nodes);
		char **terms = realloc(g->terms, cap * sizeof *terms);
		if (nodes != NULL)
			g->nodes = nodes;
		if (terms != NULL)
			g->terms = terms;
		if (nodes == NULL || terms == NULL) {
			strbuf_printf_new(g->error, "out of memory");
			g->failed = 1;
			return 1;
		}
		g->cap = cap;
	}
	g->nodes[g->n++] = n;
	return 0;
}

static int on_bigram(void *ctx, const char *term, size_t len, const char *gram, size_t glen)
{
	(void)gram;
	(void)glen;
	gather_t *g = ctx;
	for (size_t i = 0; i < g->n_terms; i++)
		if (strlen(g->terms[i]) == len && memcmp(g->terms[i], term, len) == 0)
			return 0;
	node_t *l = list_node(g->m, term, len, g->error);
	if (l != NULL)
		l->lookup = (unsigned)g->n; /* the distinct bigrams so far */
	if (push_node(g, l) != 0)
		return 1;
	if ((g->terms[g->n_terms] = strndup(term, len)) == NULL) {
		strbuf_printf_new(g->error, "out of memory");
		g->failed = 1;
		return 1;
	}
	g->n_terms++;
	return 0;
}

typedef struct expand {
	pq_match_t *m;
	node_t *u;
	char **error;
	int failed;
} expand_t;

static int on_prefixed(void *ctx, const char *term, size_t len)
{
	expand_t *e = ctx;
	node_t *k = list_node(e->m, term, len, e->error);
	if (k == NULL || add_kid(e->u, k) != 0) {
		if (k != NULL)
			strbuf_printf_new(e->error, "out of memory");
		e->failed = 1;
		return 1;
	}
	return 0;
}

/* A character standing alone: the union of its run-end term and every bigram it starts. */
static int on_character(void *ctx, const char *term, size_t len, const char *prefix,
			size_t prefix_len, const char *gram, size_t glen)
{
	(void)gram;
	(void)glen;
	gather_t *g = ctx;
	node_t *u = new_node(g->m, N_UNION);
	expand_t e = {g->m, u, g->error, 0};
	if (u == NULL) {
		strbuf_printf_new(g->error, "out of memory");
		g->failed = 1;
		return 1;
	}
	node_t *k = list_node(g->m, term, len, g->error);
	if (k == NULL || add_kid(u, k) != 0) {
		if (k != NULL)
			strbuf_printf_new(g->error, "out of memory");
		g->failed = 1;
		return 1;
	}
	if (xw_db_terms_with_prefix(g->m->db, prefix, prefix_len, on_prefixed, &e) != PS_OK &&
	    !e.failed) {
		strbuf_printf_new(g->error, "cannot read the index's terms: %s",
				  xw_db_last_error(g->m->db));
		e.failed = 1;
	}
	if (e.failed || make_heap(u) != 0) {
		g->failed = 1;
		if (!e.failed)
			strbuf_printf_new(g->error, "out of memory");
		return 1;
	}
	double freq = 0;
	for (size_t i = 0; i < u->n_kids; i++)
		freq += u->kids[i]->termfreq;
	u->idf = idf_of(g->m->n_docs, freq);
	u->dense = u->n_kids > DENSE_KIDS;
	u->n_docs = (unsigned)g->m->n_docs;
	u->termfreq = freq > UINT32_MAX ? UINT32_MAX : (unsigned)freq;
	return push_node(g, u);
}

/* The nodes a clause holding norm[0,len) must hold, into g (pushed after what is there). */
static int gather(pq_match_t *m, gather_t *g, const char *norm, size_t len)
{
	g->m = m;
	if (ps_terms_lookup(norm, len, on_bigram, on_character, g, g->error) != 0 || g->failed) {
		if (g->error != NULL && *g->error == NULL)
			strbuf_printf_new(g->error, "out of memory");
		return -1;
	}
	return 0;
}

static void gather_free(gather_t *g)
{
	for (size_t i = 0; i < g->n_terms; i++)
		free(g->terms[i]);
	free(g->terms);
	free(g->nodes);
}

static int cmp_rarer(const void *a, const void *b);

/* One node over g's nodes: the only one, or their AND (the rarest first: it leads the
 * others, which skip to it) / OR. NULL for none or on failure. */
static node_t *combine(pq_match_t *m, gather_t *g, kind_t kind, char **error)
{
	if (g->n == 1)
		return g->nodes[0];
	if (kind == N_AND && g->n > 1)
		qsort(g->nodes, g->n, sizeof *g->nodes, cmp_rarer);
	node_t *n = g->n ? new_node(m, kind) : NULL;
	if (n == NULL) {
		if (g->n)
			strbuf_printf_new(error, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < g->n; i++)
		if (add_kid(n, g->nodes[i]) != 0) {
			strbuf_printf_new(error, "out of memory");
			return NULL;
		}
	if (kind == N_OR && make_heap(n) != 0) {
		strbuf_printf_new(error, "out of memory");
		return NULL;
	}
	return n;
}

/* Whether the index alone says where a normalised term occurs: one or two characters, no
 * white space (terms.h). */
static bool index_exact(const char *norm)
{
	size_t len = strlen(norm), n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)norm[i] & 0xC0) != 0x80;
	return (n == 1 || n == 2) && memchr(norm, ' ', len) == NULL;
}

static int cmp_rarer(const void *a, const void *b)
{
	const node_t *x = *(node_t *const *)a, *y = *(node_t *const *)b;
	return x->termfreq < y->termfreq ? -1 : x->termfreq > y->termfreq;
}

/* A term checked on the text (three characters or more) need not be walked by all its
 * bigrams: its WALKED rarest find nearly the same candidates, and each more list costs a
 * skip per candidate. Keeps the rarest in g. */
static void keep_rarest(gather_t *g)
{
	if (g->n <= WALKED)
		return;
	qsort(g->nodes, g->n, sizeof *g->nodes, cmp_rarer);
	g->n = WALKED;
}

/* The kept clauses of a checked term, when the index keeps them (store.h,
 * ps_store_ngram) and they can stand for the walk: a node over them, scored by `walk`
 * (what the term's lookups made, in g: its bigrams' lists, every one of them read from
 * the index, so n_bigrams tells the kept counts apart). NULL with *failed clear when the
 * index keeps none; NULL with *failed set (and a message) when what it keeps is damaged or
 * memory runs out. */
static node_t *kept_node(pq_match_t *m, const char *norm, const gather_t *g, node_t *walk,
			 int *failed, char **error)
{
	ps_ngram_clauses_t kept;
	int got = ps_store_ngram(m->store, norm, strlen(norm), &kept);
	if (got < 0) {
		strbuf_printf_new(error, DAMAGED_NGRAMS);
		*failed = 1;
		return NULL;
	}
	if (got == 0 || kept.n_bigrams != g->n_terms || g->n_terms != g->n)
		return NULL; /* not kept, or not the bigrams this walk looks up */
	node_t *n = new_node(m, N_KEPT);
	if (n == NULL || add_kid(n, walk) != 0 ||
	    (n->kscores = calloc(BUFFERED + KEPT_CACHE, sizeof *n->kscores)) == NULL) {
		strbuf_printf_new(error, "out of memory");
		*failed = 1;
		return NULL;
	}
	n->kcache = n->kscores + BUFFERED;
	n->kept = kept;
	n->termfreq = kept.clauses;
	n->idf = kept_score(n, (const unsigned[PS_NGRAM_MAX_BIGRAMS]){1, 1, 1}); /* a clause
		* holding each bigram once: most of them */
	return n;
}

/* A term's node: its lists' AND, or for a checked term (three characters or more) its
 * rarest lists' AND, whose candidates are checked on their text; or, for a checked term
 * the index keeps the clauses of, when `may_keep`, those clauses (*kept set: nothing to
 * check). NULL on failure, with a message. */
static node_t *term_node(pq_match_t *m, const char *norm, bool checked, bool may_keep,
			 bool *kept, char **error)
{
	gather_t g = {.error = error};
	node_t *n = NULL;
	*kept = false;
	if (gather(m, &g, norm, strlen(norm)) == 0) {
		size_t looked_up = g.n;
		if (checked)
			keep_rarest(&g);
		n = combine(m, &g, N_AND, error);
		if (n == NULL && g.n == 0)
			strbuf_printf_new(error, "a term of the query has nothing the index can "
					  "look up");
		if (n != NULL && checked && may_keep) {
			int failed = 0;
			g.n = looked_up;
			node_t *k = kept_node(m, norm, &g, n, &failed, error);
			if (failed)
				n = NULL;
			else if (k != NULL) {
				n = k;
				*kept = true;
			}
		}
	}
	gather_free(&g);
	return n;
}

/* The walk of a node of the query: NULL with *failed for a failure, NULL alone for a NOT
 * that cannot be said exactly (left to the check; *exact cleared). `in_or`: the node lies
 * under an OR, where a term's kept clauses do not stand for its walk (the walk scores an
 * OR's candidate by every kid standing on it, a term's false candidates included, and the
 * check keeps a candidate that another kid satisfies). */
static node_t *compile(pq_match_t *m, const pq_query_t *q, const pq_node_t *pn, bool in_or,
		       bool *exact, int *failed, char **error)
{
	if (pn->kind == PQ_NODE_NOT) { /* only under an AND (parse.h), which takes what it can */
		*exact = false;
		return NULL;
	}
	if (pn->kind == PQ_NODE_TERM) {
		const char *norm = q->terms[pn->term].norm;
		bool checked = !index_exact(norm), kept;
		node_t *n = term_node(m, norm, checked, !in_or, &kept, error);
		if (checked && !kept)
			*exact = false;
		if (n == NULL)
			*failed = 1;
		return n;
	}
	node_t *n = new_node(m, pn->kind == PQ_NODE_OR ? N_OR : N_AND);
	node_t *excluded = NULL;
	if (n == NULL)
		goto oom;
	for (size_t i = 0; i < pn->n_kids; i++) {
		const pq_node_t *kid = pn->kids[i];
		if (pn->kind == PQ_NODE_AND && kid->kind == PQ_NODE_NOT) {
			bool inner_exact = true;
			node_t *inner = compile(m, q, kid->kids[0], in_or, &inner_exact, failed,
						error);
			if (*failed)
				return NULL;
			if (inner == NULL || !inner_exact) {
				*exact = false; /* left to the check on the text */
				continue;
			}
			if (excluded == NULL && (excluded = new_node(m, N_AND_NOT)) == NULL)
				goto oom;
			if (add_kid(excluded, inner) != 0)
				goto oom;
			continue;
		}
		node_t *k = compile(m, q, kid, in_or || pn->kind == PQ_NODE_OR, exact, failed,
				    error);
		if (*failed)
			return NULL;
		if (k != NULL && add_kid(n, k) != 0)
			goto oom;
	}
	if (n->n_kids == 0) { /* parse.h refuses a side that only excludes */
		strbuf_printf_new(error, "a part of the query has nothing to look for");
		*failed = 1;
		return NULL;
	}
	if (n->kind == N_OR && make_heap(n) != 0)
		goto oom;
	if (n->n_kids == 1 && n->kind == N_AND)
		n = n->kids[0];
	if (excluded != NULL) { /* kids[0] is what is kept: move it to the front */
		if (add_kid(excluded, n) != 0)
			goto oom;
		memmove(excluded->kids + 1, excluded->kids,
			(excluded->n_kids - 1) * sizeof *excluded->kids);
		excluded->kids[0] = n;
		n = excluded;
	}
	return n;
oom:
	strbuf_printf_new(error, "out of memory");
	*failed = 1;
	return NULL;
}

static pq_match_t *match_new(ps_store_t *store, char **error)
{
	pq_match_t *m = calloc(1, sizeof *m);
	if (m == NULL) {
		strbuf_printf_new(error, "out of memory");
		return NULL;
	}
	pthread_once(&saturation_once, fill_saturation_table);
	m->store = store;
	m->db = ps_store_db(store);
	m->n_docs = ps_store_n_docs(store);
	return m;
}

/* Restrict the walk to ranges, if any. */
static int restrict_to(pq_match_t *m, const pq_docid_range_t *ranges, size_t n_ranges,
		       char **error)
{
	if (n_ranges == 0)
		return 0;
	node_t *r = new_node(m, N_RANGES), *both = new_node(m, N_AND);
	if (r == NULL || both == NULL || add_kid(both, r) != 0 || add_kid(both, m->root) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	r->ranges = ranges;
	r->n_ranges = n_ranges;
	m->root = both;
	return 0;
}

int pq_match_query(ps_store_t *store, const pq_query_t *q, bool any,
		   const pq_docid_range_t *ranges, size_t n_ranges, pq_match_t **out,
		   bool *exact, char **error)
{
	pq_match_t *m = match_new(store, error);
	int failed = 0;
	if (m == NULL)
		return -1;
	*exact = true;
	if (any) {
		gather_t g = {.error = error};
		for (size_t i = 0; i < q->n_terms && !failed; i++)
			if (q->terms[i].positive)
				failed = gather(m, &g, q->terms[i].norm, strlen(q->terms[i].norm));
			else
				*exact = false; /* only an excluded term is checked */
		if (!failed && (m->root = combine(m, &g, N_OR, error)) == NULL) {
			failed = 1;
			if (error != NULL && *error == NULL)
				strbuf_printf_new(error, "the query has nothing the index can look up");
		}
		gather_free(&g);
	} else {
		m->root = compile(m, q, q->root, false, exact, &failed, error);
		if (m->root == NULL)
			failed = 1;
	}
	if (failed || restrict_to(m, ranges, n_ranges, error) != 0) {
		if (error != NULL && *error == NULL)
			strbuf_printf_new(error, "cannot build the query");
		pq_match_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

int pq_match_text(ps_store_t *store, const char *norm, size_t len,
		  const pq_docid_range_t *ranges, size_t n_ranges, pq_match_t **out,
		  char **error)
{
	pq_match_t *m = match_new(store, error);
	gather_t g = {.error = error};
	if (m == NULL)
		return -1;
	int rc = gather(m, &g, norm, len);
	if (rc == 0 && g.n > 0) {
		keep_rarest(&g); /* a unit's text is checked */
		m->root = combine(m, &g, N_AND, error);
		rc = m->root != NULL ? restrict_to(m, ranges, n_ranges, error) : -1;
	}
	gather_free(&g);
	if (rc != 0 || g.n == 0) {
		pq_match_free(m);
		m = NULL;
	}
	*out = m;
	return rc;
}

int pq_match_next(pq_match_t *m, unsigned *docid, double *s, char **error)
{
	node_t *root = m->root;
	unsigned target = m->started ? root->doc + 1 : 1;
	if (m->started && root->doc == DOC_END)
		return 0;
	m->started = true;
	if (advance(root, target, error) != 0)
		return -1;
	if (root->doc == DOC_END)
		return 0;
	*docid = root->doc;
	*s = score(root);
	return 1;
}

/* After the root stood on a document: up to cap more of its documents straight from
 * what it holds read (a posting list's buffer, a union read whole), with their scores,
 * the root left on the last one taken, as pq_match_next would have left it. Other roots,
 * and a root with nothing more at hand, give none. */
static size_t take_held(node_t *n, unsigned *docids, double *scores, size_t cap)
{
	size_t k = 0;
	if (n->kind == N_LIST) {
		for (; k < cap && n->at + 1 < n->n; k++) {
			n->at++;
			docids[k] = n->docs[n->at];
			scores[k] = n->idf * saturate(n->wdfs[n->at]);
		}
	} else if (n->kind == N_KEPT) {
		for (; k < cap && n->at + 1 < n->n; k++) {
			n->at++;
			docids[k] = n->docs[n->at];
			scores[k] = n->kscores[n->at];
		}
	} else if (n->kind == N_UNION && n->by_doc != NULL) {
		unsigned d = n->doc + 1;
		for (; k < cap && d <= n->max_doc; d++) {
			if (n->by_doc[d] == 0)
				continue;
			docids[k] = d;
			scores[k++] = n->idf * saturate(n->by_doc[d]);
		}
	} else if (n->kind == N_UNION && n->all_docs != NULL) {
		for (; k < cap && n->at_all + 1 < n->n_all; k++) {
			n->at_all++;
			docids[k] = n->all_docs[n->at_all];
			scores[k] = n->idf * saturate(n->all_wdfs[n->at_all]);
		}
	}
	if (k > 0)
		n->doc = docids[k - 1];
	return k;
}

bool pq_match_lone_score(const pq_match_t *m, unsigned count, double *score)
{
	const node_t *n = m->root;
	if (n != NULL && n->kind == N_AND && n->n_kids == 2 && n->kids[0]->kind == N_RANGES)
		n = n->kids[1]; /* restrict_to's */
	if (n == NULL || (n->kind != N_LIST && n->kind != N_UNION))
		return false;
	*score = n->idf * saturate(count);
	return true;
}

const ps_ngram_clauses_t *pq_match_kept(const pq_match_t *m)
{
	const node_t *n = m->root;
	return n != NULL && n->kind == N_KEPT && !m->started ? &n->kept : NULL;
}

double pq_match_kept_score(pq_match_t *m, const unsigned *counts)
{
	return kept_score_cached(m->root, counts);
}

int pq_match_next_batch(pq_match_t *m, unsigned *docids, double *scores, size_t cap,
			size_t *n, char **error)
{
	size_t k = 0;
	int got = 1;
	while (k < cap && (got = pq_match_next(m, &docids[k], &scores[k], error)) > 0) {
		k++;
		k += take_held(m->root, docids + k, scores + k, cap - k);
	}
	*n = k;
	return got < 0 ? -1 : k > 0;
}

void pq_match_free(pq_match_t *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_all; i++) {
		xw_postlist_destroy(m->all[i]->pl);
		free(m->all[i]->kids);
		free(m->all[i]->heap);
		free(m->all[i]->all_docs);
		free(m->all[i]->all_wdfs);
		free(m->all[i]->by_doc);
		free(m->all[i]->kscores);
		free(m->all[i]);
	}
	free(m->all);
	free(m);
}
