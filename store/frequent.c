/* frequent.c: the answers kept for the most frequent characters and bigrams: written after the build, read per search. */
#include "frequent.h"

#include "gramcount.h"
#include "store.h"
#include "strbuf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- writing ---- */

enum { READ_BATCH = 256 };

/* A character's upper bound: the clauses of its run-end term plus those of every bigram it
 * starts (a clause holding several is counted for each). */
typedef struct char_freq {
	char c[5]; /* its UTF-8 bytes, NUL-terminated */
	uint64_t freq;
} char_freq_t;

typedef struct candidates {
	char (*bigrams)[9]; /* bigram grams (without the prefix), NUL-terminated */
	size_t n_bigrams, cap_bigrams;
	char_freq_t *run_ends; /* from the U terms, in byte order */
	size_t n_run_ends, cap_run_ends;
	char_freq_t *starts;   /* from the B terms, summed per first character, in byte order */
	size_t n_starts, cap_starts;
	unsigned min;
	bool oom;
} candidates_t;

static size_t utf8_len(unsigned char lead)
{
	return lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

static int push_char(char_freq_t **items, size_t *n, size_t *cap, const char *c, size_t len,
		     uint64_t freq)
{
	if (*n == *cap) {
		size_t grown = *cap ? *cap * 2 : 256;
		char_freq_t *p = realloc(*items, grown * sizeof *p);
		if (p == NULL)
			return -1;
		*items = p;
		*cap = grown;
	}
	char_freq_t *e = &(*items)[(*n)++];
	memset(e, 0, sizeof *e);
	memcpy(e->c, c, len);
	e->freq = freq;
	return 0;
}

static int on_run_end(void *ctx, const char *term, size_t len, unsigned freq)
{
	candidates_t *c = ctx;
	if (len < 2 || len - 1 > 4)
		return 0; /* not one character: not a term the writer makes */
	if (push_char(&c->run_ends, &c->n_run_ends, &c->cap_run_ends, term + 1, len - 1, freq) != 0) {
		c->oom = true;
		return 1;
	}
	return 0;
}

static int on_bigram_term(void *ctx, const char *term, size_t len, unsigned freq)
{
	candidates_t *c = ctx;
	const char *gram = term + 1;
	size_t glen = len - 1, first = utf8_len((unsigned char)gram[0]);
	if (glen == 0 || glen > 8 || first >= glen)
		return 0; /* not two characters: not a term the writer makes */
	if (c->n_starts > 0 && strlen(c->starts[c->n_starts - 1].c) == first &&
	    memcmp(c->starts[c->n_starts - 1].c, gram, first) == 0) {
		c->starts[c->n_starts - 1].freq += freq;
	} else if (push_char(&c->starts, &c->n_starts, &c->cap_starts, gram, first, freq) != 0) {
		c->oom = true;
		return 1;
	}
	if (freq < c->min)
		return 0;
	if (c->n_bigrams == c->cap_bigrams) {
		size_t grown = c->cap_bigrams ? c->cap_bigrams * 2 : 256;
		char(*p)[9] = realloc(c->bigrams, grown * sizeof *p);
		if (p == NULL) {
			c->oom = true;
			return 1;
		}
		c->bigrams = p;
		c->cap_bigrams = grown;
	}
	memset(c->bigrams[c->n_bigrams], 0, sizeof c->bigrams[0]);
	memcpy(c->bigrams[c->n_bigrams++], gram, glen);
	return 0;
}

/* What is being written: the file, the records so far, and one gram's answers as its
 * clauses come in document id order. */
typedef struct writing {
	FILE *f;
	const char *path;
	uint64_t size;
	ps_frequent_rec_t *recs;
	size_t n_recs, cap_recs;
	const ps_facet_rec_t *facets;
	size_t n_facets;
	unsigned n_docs, top;
	/* the gram being taken */
	ps_frequent_top_t *heap; /* its best `top` so far; heap[0] the worst of them */
	size_t n_heap;
	uint8_t *fbytes;         /* its facets' varint pairs */
	size_t n_fbytes, cap_fbytes;
	size_t facet;            /* the facet of the clause last taken */
	unsigned facet_end;      /* that facet's end */
	uint32_t facet_clauses;  /* clauses of the gram in it so far (0: none yet) */
	size_t last_written;     /* the facet number of the last pair written, + 1 */
	uint64_t clauses;
	unsigned last_docid;     /* the clause last taken, 0 before the first */
	char **error;
} writing_t;

/* Whether a ranks after b among the top: a lower count, then a higher document id. */
static bool worse(const ps_frequent_top_t *a, const ps_frequent_top_t *b)
{
	return a->count != b->count ? a->count < b->count : a->docid > b->docid;
}

static void heap_down(ps_frequent_top_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && worse(&h[l], &h[w]))
			w = l;
		if (r < n && worse(&h[r], &h[w]))
			w = r;
		if (w == i)
			return;
		ps_frequent_top_t x = h[i];
		h[i] = h[w];
		h[w] = x;
		i = w;
	}
}

static int cmp_top(const void *a, const void *b)
{
	const ps_frequent_top_t *x = a, *y = b;
	return worse(y, x) ? -1 : worse(x, y) ? 1 : 0;
}

static int put_facet(writing_t *w)
{
	if (w->facet_clauses == 0)
		return 0;
	if (w->cap_fbytes - w->n_fbytes < 10) {
		size_t grown = w->cap_fbytes ? w->cap_fbytes * 2 : 4096;
		uint8_t *p = realloc(w->fbytes, grown);
		if (p == NULL)
			return -1;
		w->fbytes = p;
		w->cap_fbytes = grown;
	}
	w->n_fbytes += ps_varint_put(w->fbytes + w->n_fbytes,
				     (uint32_t)(w->facet + 1 - w->last_written));
	w->n_fbytes += ps_varint_put(w->fbytes + w->n_fbytes, w->facet_clauses);
	w->last_written = w->facet + 1;
	w->facet_clauses = 0;
	return 0;
}

static void gram_begin(writing_t *w)
{
	w->n_heap = 0;
	w->n_fbytes = 0;
	w->facet = 0;
	w->facet_end = 0;
	w->facet_clauses = 0;
	w->last_written = 0;
	w->clauses = 0;
	w->last_docid = 0;
}

/* Take the gram's clause docid (ascending) holding it `count` times. 0, or -1 with a
 * message. */
static int gram_take(writing_t *w, unsigned docid, unsigned count)
{
	if (docid <= w->last_docid || docid > w->n_docs) {
		strbuf_printf_new(w->error, "%s: a posting list is out of order or names a "
				  "document the catalogue does not have", w->path);
		return -1;
	}
	w->last_docid = docid;
	if (docid >= w->facet_end) {
		if (put_facet(w) != 0)
			goto oom;
		while (w->facet + 1 < w->n_facets && w->facets[w->facet + 1].first_docid <= docid)
			w->facet++;
		w->facet_end = w->facet + 1 < w->n_facets ? w->facets[w->facet + 1].first_docid
							   : w->n_docs + 1;
	}
	w->facet_clauses++;
	w->clauses++;
	ps_frequent_top_t x = {docid, count};
	if (w->n_heap < w->top) {
		size_t i = w->n_heap++;
		w->heap[i] = x;
		while (i > 0 && worse(&w->heap[i], &w->heap[(i - 1) / 2])) {
			ps_frequent_top_t p = w->heap[(i - 1) / 2];
			w->heap[(i - 1) / 2] = w->heap[i];
			w->heap[i] = p;
			i = (i - 1) / 2;
		}
	} else if (w->top > 0 && worse(&w->heap[0], &x)) {
		w->heap[0] = x;
		heap_down(w->heap, w->n_heap, 0);
	}
	return 0;
oom:
	strbuf_printf_new(w->error, "out of memory");
	return -1;
}

static int put(writing_t *w, const void *data, size_t len)
{
	if (len > 0 && fwrite(data, 1, len, w->f) != len) {
		strbuf_printf_new(w->error, "%s: cannot write the index: %s", w->path,
				  strerror(errno));
		return -1;
	}
	w->size += len;
	return 0;
}

static int put_align(writing_t *w)
{
	static const char zeros[8] = {0};
	return put(w, zeros, (size_t)((8 - w->size % 8) % 8));
}

/* The gram's answers into the file and its record, when it is in min clauses or more. */
static int gram_end(writing_t *w, const char *gram, unsigned min)
{
	if (put_facet(w) != 0) {
		strbuf_printf_new(w->error, "out of memory");
		return -1;
	}
	if (w->clauses < min || w->clauses > UINT32_MAX)
		return 0;
	if (w->n_recs == w->cap_recs) {
		size_t grown = w->cap_recs ? w->cap_recs * 2 : 256;
		ps_frequent_rec_t *p = realloc(w->recs, grown * sizeof *p);
		if (p == NULL) {
			strbuf_printf_new(w->error, "out of memory");
			return -1;
		}
		w->recs = p;
		w->cap_recs = grown;
	}
	qsort(w->heap, w->n_heap, sizeof *w->heap, cmp_top);
	ps_frequent_rec_t *r = &w->recs[w->n_recs++];
	memset(r, 0, sizeof *r);
	memcpy(r->gram, gram, strnlen(gram, sizeof r->gram));
	r->clauses = (uint32_t)w->clauses;
	r->n_top = (uint32_t)w->n_heap;
	r->top_offset = w->size;
	if (put(w, w->heap, w->n_heap * sizeof *w->heap) != 0)
		return -1;
	r->facets_offset = w->size;
	r->facets_len = w->n_fbytes;
	return put(w, w->fbytes, w->n_fbytes) != 0 ? -1 : put_align(w);
}

/* Hand each(ctx, ...) the postings of term whose documents lie in [lo, hi), a buffer at a
 * time. 0, or -1 with a message. */
static int read_list(writing_t *w, xw_db_t *db, const char *term, size_t len, unsigned lo,
		     unsigned hi, int (*each)(void *, const unsigned *, const unsigned *, size_t),
		     void *ctx)
{
	xw_postlist_t *pl = NULL;
	unsigned docs[READ_BATCH], wdfs[READ_BATCH];
	int rc = -1;
	if (xw_postlist_open(db, term, len, &pl) != PS_OK) {
		strbuf_printf_new(w->error, "cannot read the index's posting lists: %s",
				  xw_db_last_error(db));
		goto out;
	}
	if (lo > 1 && xw_postlist_skip_to(pl, lo) != PS_OK)
		goto failed;
	for (;;) {
		size_t got = 0;
		if (xw_postlist_read(pl, docs, wdfs, READ_BATCH, &got) != PS_OK)
			goto failed;
		size_t in = 0;
		while (in < got && docs[in] < hi)
			in++;
		if (in > 0 && each(ctx, docs, wdfs, in) != 0)
			goto out;
		if (in < got || got == 0)
			break;
	}
	rc = 0;
	goto out;
failed:
	strbuf_printf_new(w->error, "cannot read the index's posting lists: %s",
			  xw_postlist_last_error(pl));
out:
	xw_postlist_destroy(pl);
	return rc;
}

static int take_list(void *ctx, const unsigned *docs, const unsigned *wdfs, size_t n)
{
	writing_t *w = ctx;
	for (size_t i = 0; i < n; i++)
		if (gram_take(w, docs[i], wdfs[i]) != 0)
			return -1;
	return 0;
}

/* A character's union, a window of document ids at a time (memory stays the window's
 * whatever the index's size): every list's counts in the window added up per document, the
 * documents touched marked in a bitmap, swept in order. */
enum { WINDOW = 1 << 20 };

typedef struct union_counts {
	writing_t *w;
	unsigned window;  /* WINDOW, or a test's smaller multiple of 64 */
	unsigned lo;      /* the window's first document id */
	uint32_t *counts; /* per document id from lo, `window` of them */
	uint64_t *touched;
	char **kids;      /* the bigram terms it starts */
	size_t n_kids, cap_kids;
	bool oom;
} union_counts_t;

static int add_list(void *ctx, const unsigned *docs, const unsigned *wdfs, size_t n)
{
	union_counts_t *u = ctx;
	for (size_t i = 0; i < n; i++) {
		if (docs[i] > u->w->n_docs || docs[i] < u->lo) {
			strbuf_printf_new(u->w->error, "%s: a posting list names a document the "
				       "catalogue does not have", u->w->path);
			return -1;
		}
		unsigned d = docs[i] - u->lo;
		u->counts[d] += wdfs[i];
		u->touched[d / 64] |= (uint64_t)1 << (d % 64);
	}
	return 0;
}

static int on_kid(void *ctx, const char *term, size_t len)
{
	union_counts_t *u = ctx;
	if (u->n_kids == u->cap_kids) {
		size_t grown = u->cap_kids ? u->cap_kids * 2 : 64;
		char **p = realloc(u->kids, grown * sizeof *p);
		if (p == NULL) {
			u->oom = true;
			return 1;
		}
		u->kids = p;
		u->cap_kids = grown;
	}
	if ((u->kids[u->n_kids] = strndup(term, len)) == NULL) {
		u->oom = true;
		return 1;
	}
	u->n_kids++;
	return 0;
}

static int take_char(union_counts_t *u, xw_db_t *db, const char *c, unsigned min)
{
	writing_t *w = u->w;
	char term[6] = PS_PREFIX_UNIGRAM;
	size_t clen = strlen(c);
	int rc = -1;
	memcpy(term + 1, c, clen);
	term[0] = PS_PREFIX_BIGRAM[0];
	if (xw_db_terms_with_prefix(db, term, clen + 1, on_kid, u) != PS_OK || u->oom) {
		strbuf_printf_new(w->error, u->oom ? "out of memory"
						   : "cannot read the index's terms: %s",
				  xw_db_last_error(db));
		goto out;
	}
	term[0] = PS_PREFIX_UNIGRAM[0];
	gram_begin(w);
	for (u->lo = 1; u->lo <= w->n_docs; u->lo += u->window) {
		unsigned hi = w->n_docs - u->lo + 1 > u->window ? u->lo + u->window : w->n_docs + 1;
		if (read_list(w, db, term, clen + 1, u->lo, hi, add_list, u) != 0)
			goto out;
		for (size_t i = 0; i < u->n_kids; i++)
			if (read_list(w, db, u->kids[i], strlen(u->kids[i]), u->lo, hi, add_list,
				      u) != 0)
				goto out;
		for (size_t k = 0; k < u->window / 64; k++) {
			uint64_t bits = u->touched[k];
			u->touched[k] = 0;
			while (bits != 0) {
				unsigned d = (unsigned)(k * 64 + (size_t)__builtin_ctzll(bits));
				bits &= bits - 1;
				if (gram_take(w, u->lo + d, u->counts[d]) != 0)
					goto out;
				u->counts[d] = 0;
			}
		}
	}
	rc = gram_end(w, c, min);
out:
	for (size_t i = 0; i < u->n_kids; i++)
		free(u->kids[i]);
	u->n_kids = 0;
	return rc;
}

static int cmp_rec(const void *a, const void *b)
{
	return memcmp(((const ps_frequent_rec_t *)a)->gram, ((const ps_frequent_rec_t *)b)->gram,
		      sizeof ((const ps_frequent_rec_t *)a)->gram);
}

unsigned ps_frequent_threshold(unsigned n_docs, unsigned min_clauses, unsigned least)
{
	if (min_clauses != 0)
		return min_clauses;
	return n_docs / PS_FREQUENT_MIN_SHARE > least ? n_docs / PS_FREQUENT_MIN_SHARE : least;
}

int ps_frequent_write(xw_db_t *db, const char *path, const ps_facet_rec_t *facets,
		      size_t n_facets, unsigned n_docs, unsigned min_clauses, unsigned top,
		      char **error)
{
	candidates_t c = {0};
	writing_t w = {.path = path, .facets = facets, .n_facets = n_facets, .n_docs = n_docs,
		       .error = error};
	union_counts_t u = {.w = &w, .window = WINDOW};
	int rc = -1;
	/* test-only: a small window, so that the tests' small indexes take several */
	const char *test_window = getenv("POLICY_INDEX_TEST_FREQUENT_WINDOW");
	if (test_window != NULL && atoi(test_window) >= 64)
		u.window = (unsigned)atoi(test_window) / 64 * 64;

	min_clauses = ps_frequent_threshold(n_docs, min_clauses, PS_FREQUENT_MIN_CLAUSES);
	w.top = top ? top : PS_FREQUENT_TOP;
	c.min = min_clauses;
	if ((w.f = fopen(path, "wbx")) == NULL) {
		strbuf_printf_new(error, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	ps_file_head_t head = {.schema = PS_SCHEMA_VERSION};
	memcpy(head.magic, PS_MAGIC_FREQUENT, strlen(PS_MAGIC_FREQUENT));
	ps_frequent_head_t fhead = {.n_facets = (uint32_t)n_facets, .n_docs = n_docs,
				    .top = w.top};
	if (put(&w, &head, sizeof head) != 0 || put(&w, &fhead, sizeof fhead) != 0)
		goto out;
	if (n_facets == 0 || n_docs == 0)
		goto records; /* no plans: nothing is frequent */
	/* a gram's best: no more than the index's clauses, whatever top says (--frequent-top
	 * takes up to 2^32 - 1) */
	if ((w.heap = malloc((w.top < n_docs ? w.top : n_docs) * sizeof *w.heap)) == NULL)
		goto oom;
	if (xw_db_term_freqs_with_prefix(db, PS_PREFIX_UNIGRAM, 1, on_run_end, &c) != PS_OK ||
	    xw_db_term_freqs_with_prefix(db, PS_PREFIX_BIGRAM, 1, on_bigram_term, &c) != PS_OK) {
		if (c.oom)
			goto oom;
		strbuf_printf_new(error, "cannot read the index's terms: %s", xw_db_last_error(db));
		goto out;
	}
	if (c.oom)
		goto oom;
	for (size_t i = 0; i < c.n_bigrams; i++) {
		char term[10] = PS_PREFIX_BIGRAM;
		size_t len = strlen(c.bigrams[i]);
		memcpy(term + 1, c.bigrams[i], len);
		gram_begin(&w);
		if (read_list(&w, db, term, len + 1, 1, n_docs + 1, take_list, &w) != 0 ||
		    gram_end(&w, c.bigrams[i], min_clauses) != 0)
			goto out;
	}
	/* characters: both lists are in byte order of the character */
	size_t i = 0, j = 0;
	while (i < c.n_run_ends || j < c.n_starts) {
		int order = i == c.n_run_ends ? 1
			    : j == c.n_starts ? -1
					      : strcmp(c.run_ends[i].c, c.starts[j].c);
		const char *ch = order <= 0 ? c.run_ends[i].c : c.starts[j].c;
		uint64_t bound = (order <= 0 ? c.run_ends[i].freq : 0) +
				 (order >= 0 ? c.starts[j].freq : 0);
		if (bound >= min_clauses) {
			if (u.counts == NULL &&
			    ((u.counts = calloc(u.window, sizeof *u.counts)) == NULL ||
			     (u.touched = calloc(u.window / 64, sizeof *u.touched)) == NULL))
				goto oom;
			if (take_char(&u, db, ch, min_clauses) != 0)
				goto out;
		}
		i += order <= 0;
		j += order >= 0;
	}
records:
	if (put_align(&w) != 0)
		goto out;
	fhead.n_grams = (uint32_t)w.n_recs;
	fhead.records_offset = w.size;
	if (w.n_recs > 0)
		qsort(w.recs, w.n_recs, sizeof *w.recs, cmp_rec);
	if (put(&w, w.recs, w.n_recs * sizeof *w.recs) != 0)
		goto out;
	if (fseek(w.f, sizeof head, SEEK_SET) != 0 || fwrite(&fhead, sizeof fhead, 1, w.f) != 1 ||
	    fflush(w.f) != 0 || fsync(fileno(w.f)) != 0) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	if (w.f != NULL && fclose(w.f) != 0 && rc == 0) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", path, strerror(errno));
		rc = -1;
	}
	free(w.recs);
	free(w.heap);
	free(w.fbytes);
	free(c.bigrams);
	free(c.run_ends);
	free(c.starts);
	free(u.counts);
	free(u.touched);
	free(u.kids);
	return rc;
}

/* ---- reading ---- */

int ps_frequent_next_facet(ps_frequent_t *f, size_t *facet, unsigned *clauses)
{
	uint32_t gap, n;
	if (f->at == f->end) /* the last: the chapters must add up to the whole */
		return f->seen == f->clauses ? 0 : -1;
	if (!ps_varint_get(&f->at, f->end, &gap) || !ps_varint_get(&f->at, f->end, &n) ||
	    gap == 0 || n == 0 || f->next_facet + gap - 1 >= f->n_facets ||
	    n > f->clauses - f->seen)
		return -1;
	f->next_facet += gap;
	f->seen += n;
	*facet = f->next_facet - 1;
	*clauses = n;
	return 1;
}
