/* ngrams.c: the clause lists kept for 3- and 4-character n-grams made of frequent bigrams, written after the build. */
#include "ngrams.h"

#include "format.h"
#include "frequent.h"
#include "gramcount.h"
#include "store.h"
#include "strbuf.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	MAX_BIGRAMS = 3,           /* distinct bigrams of a 4-character n-gram, at most */
	DOCS_WINDOW = 4096,        /* clause records read at a time */
	SPAN_CAP = 32 << 20,       /* a window's normal forms read in one piece up to this */
	BUFFER_BUDGET = 8 << 20,   /* the second pass's buffers, all n-grams together */
	BUFFER_MIN = 64,
	ENTRY_MAX = 5 * (1 + MAX_BIGRAMS), /* an entry's varints */
	KEY_PAD = PS_GRAM_KEY_BYTES,
};

/* One n-gram kept: its bytes, its distinct bigrams (places in its bytes), and its list as
 * the passes build it. */
typedef struct gram {
	uint8_t key[PS_GRAM_KEY_BYTES]; /* NUL-padded */
	uint8_t len, n_bigrams;
	uint8_t bigram_at[MAX_BIGRAMS], bigram_len[MAX_BIGRAMS];
	uint32_t clauses;    /* clauses holding it, so far */
	uint32_t last_docid; /* the clause last taken, 0 before the first */
	uint64_t bytes;      /* its list's bytes (the first pass sizes them) */
	uint64_t write_at;   /* second pass: where its buffer goes in the file */
	uint8_t *buf;        /* second pass: its bytes not yet written */
	uint32_t n_buf, cap_buf;
} gram_t;

typedef struct ngrams {
	const char *path;
	int fd;
	unsigned min;
	uint64_t *frequent; /* the bigrams in at least min clauses, packed (pack), sorted */
	size_t n_frequent, cap_frequent;
	gram_t *grams; /* in the counts file's order: byte order */
	size_t n_grams, cap_grams;
	uint32_t *table; /* open addressing over grams: index + 1, 0 for empty */
	struct key2 *keys; /* each gram's key as two numbers (find) */
	size_t mask;
	/* the clause being scanned: its bigrams' counts, taken when it holds a kept n-gram */
	uint64_t *pair_keys; /* open addressing, stamped: a slot is the clause's when its */
	uint32_t *pair_counts, *pair_stamps; /* stamp is `stamp` */
	size_t pair_mask;
	uint32_t stamp;
	bool paired; /* the clause's pairs are counted */
	bool second;     /* the pass that writes */
	bool oom;
	char **error;
} ngrams_t;

static size_t lead_len(uint8_t lead)
{
	return lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/* A bigram's bytes (at most 8) as one number, to sort and search. */
static uint64_t pack(const uint8_t *b, size_t len)
{
	uint64_t v = 0;
	memcpy(&v, b, len);
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Make room for `need` items of `size` bytes in *p (doubling from 64). 0, or -1 when memory
 * runs out (*p unchanged). */
static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static bool is_frequent(const ngrams_t *n, const uint8_t *b, size_t len)
{
	uint64_t key = pack(b, len);
	return bsearch(&key, n->frequent, n->n_frequent, sizeof key, cmp_u64) != NULL;
}

static int on_bigram_freq(void *ctx, const char *term, size_t len, unsigned freq)
{
	ngrams_t *n = ctx;
	if (freq < n->min || len < 3 || len - 1 > 8)
		return 0;
	if (grow((void **)&n->frequent, &n->cap_frequent, n->n_frequent + 1, sizeof *n->frequent)) {
		n->oom = true;
		return 1;
	}
	n->frequent[n->n_frequent++] = pack((const uint8_t *)term + 1, len - 1);
	return 0;
}

/* An n-gram of the counts file: kept when it is three or four characters, none white
 * space, each bigram frequent. */
static int on_gram(void *ctx, const uint8_t *gram, size_t len)
{
	ngrams_t *n = ctx;
	size_t at[5], chars = 0;
	for (size_t i = 0; i < len && chars < 5;) {
		at[chars++] = i;
		size_t next = i;
		int32_t c = utf8_next((const char *)gram, &next, len);
		if (c < 0 || utf8_is_space(c))
			return 0;
		i = next;
	}
	if (chars < 3 || chars > 4)
		return 0;
	at[chars] = len;
	gram_t g = {.len = (uint8_t)len};
	memcpy(g.key, gram, len);
	for (size_t k = 0; k + 1 < chars; k++) {
		size_t blen = at[k + 2] - at[k];
		if (!is_frequent(n, gram + at[k], blen))
			return 0;
		bool seen = false;
		for (size_t j = 0; j < g.n_bigrams && !seen; j++)
			seen = g.bigram_len[j] == blen &&
			       memcmp(gram + g.bigram_at[j], gram + at[k], blen) == 0;
		if (!seen) {
			g.bigram_at[g.n_bigrams] = (uint8_t)at[k];
			g.bigram_len[g.n_bigrams++] = (uint8_t)blen;
		}
	}
	if (grow((void **)&n->grams, &n->cap_grams, n->n_grams + 1, sizeof *n->grams)) {
		n->oom = true;
		return 1;
	}
	n->grams[n->n_grams++] = g;
	return 0;
}

/* A key as two numbers: its first eight bytes and its next eight (NUL-padded). */
typedef struct key2 {
	uint64_t a, b;
} key2_t;

static uint64_t hash_key(key2_t k)
{
	uint64_t h = k.a * 0x9e3779b97f4a7c15u ^ k.b * 0xc2b2ae3d27d4eb4fu;
	h ^= h >> 32; /* every byte of the key reaches the low bits the table uses */
	h *= 0xff51afd7ed558ccdu;
	return h ^ (h >> 29);
}

static key2_t key_of(const uint8_t *key)
{
	key2_t k;
	memcpy(&k.a, key, 8);
	memcpy(&k.b, key + 8, 8);
	return k;
}

static int make_table(ngrams_t *n)
{
	size_t size = 64;
	while (size < n->n_grams * 2)
		size *= 2;
	if ((n->table = calloc(size, sizeof *n->table)) == NULL ||
	    (n->keys = malloc(n->n_grams * sizeof *n->keys)) == NULL)
		return -1;
	n->mask = size - 1;
	for (size_t i = 0; i < n->n_grams; i++) {
		n->keys[i] = key_of(n->grams[i].key);
		size_t s = (size_t)hash_key(n->keys[i]) & n->mask;
		while (n->table[s] != 0)
			s = (s + 1) & n->mask;
		n->table[s] = (uint32_t)i + 1;
	}
	return 0;
}

/* The kept n-gram bytes[0,len) (len <= 16), or NULL. The 16 bytes from `bytes` must be
 * readable (pass pads its buffer): the key is loaded whole, what lies past len masked off. */
static gram_t *find(const ngrams_t *n, const char *bytes, size_t len)
{
	key2_t k;
	memcpy(&k, bytes, sizeof k);
	if (len < 8) {
		k.a &= ((uint64_t)1 << (8 * len)) - 1;
		k.b = 0;
	} else if (len < 16) {
		k.b &= len == 8 ? 0 : ((uint64_t)1 << (8 * (len - 8))) - 1;
	}
	for (size_t s = (size_t)hash_key(k) & n->mask; n->table[s] != 0; s = (s + 1) & n->mask) {
		uint32_t i = n->table[s] - 1;
		if (n->keys[i].a == k.a && n->keys[i].b == k.b)
			return &n->grams[i];
	}
	return NULL;
}

/* Count every pair of neighbouring characters of the clause text[0,len) in the pair table
 * (terms.c indexes each such pair without white space as a bigram term, so a bigram's
 * count there is its wdf). Returns 0, or -1 when memory runs out. */
static int count_pairs(ngrams_t *n, const char *text, size_t len)
{
	if (n->pair_mask + 1 < 2 * len + 2) { /* characters <= bytes: load under a half */
		size_t size = 64;
		while (size < 2 * len + 2)
			size *= 2;
		free(n->pair_keys);
		free(n->pair_counts);
		free(n->pair_stamps);
		n->pair_keys = malloc(size * sizeof *n->pair_keys);
		n->pair_counts = malloc(size * sizeof *n->pair_counts);
		n->pair_stamps = calloc(size, sizeof *n->pair_stamps);
		n->pair_mask = size - 1;
		n->stamp = 0;
		if (n->pair_keys == NULL || n->pair_counts == NULL || n->pair_stamps == NULL) {
			n->pair_mask = 0;
			return -1;
		}
	}
	if (++n->stamp == 0) { /* wrapped: every slot is free again */
		memset(n->pair_stamps, 0, (n->pair_mask + 1) * sizeof *n->pair_stamps);
		n->stamp = 1;
	}
	for (size_t i = 0; i < len;) {
		size_t mid = i + lead_len((uint8_t)text[i]);
		if (mid >= len)
			break;
		size_t end = mid + lead_len((uint8_t)text[mid]);
		if (end > len)
			break;
		uint64_t key = pack((const uint8_t *)text + i, end - i);
		size_t s = (size_t)((key * 0x9e3779b97f4a7c15u) >> 32) & n->pair_mask;
		while (n->pair_stamps[s] == n->stamp && n->pair_keys[s] != key)
			s = (s + 1) & n->pair_mask;
		if (n->pair_stamps[s] != n->stamp) {
			n->pair_stamps[s] = n->stamp;
			n->pair_keys[s] = key;
			n->pair_counts[s] = 0;
		}
		n->pair_counts[s]++;
		i = mid;
	}
	n->paired = true;
	return 0;
}

/* A bigram's count in the clause whose pairs are counted (count_pairs). */
static uint32_t pair_count(const ngrams_t *n, const uint8_t *b, size_t blen)
{
	uint64_t key = pack(b, blen);
	size_t s = (size_t)((key * 0x9e3779b97f4a7c15u) >> 32) & n->pair_mask;
	while (n->pair_stamps[s] == n->stamp) {
		if (n->pair_keys[s] == key)
			return n->pair_counts[s];
		s = (s + 1) & n->pair_mask;
	}
	return 0;
}

static size_t varint_len(uint32_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static int flush(ngrams_t *n, gram_t *g)
{
	size_t done = 0;
	while (done < g->n_buf) {
		ssize_t w = pwrite(n->fd, g->buf + done, g->n_buf - done, (off_t)(g->write_at + done));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			strbuf_printf_new(n->error, "%s: cannot write the index: %s", n->path,
					  strerror(errno));
			return -1;
		}
		done += (size_t)w;
	}
	g->write_at += g->n_buf;
	g->n_buf = 0;
	return 0;
}

/* Clause docid holds g: one more entry of its list, sized (first pass) or written. */
static int take(ngrams_t *n, gram_t *g, unsigned docid, const char *text, size_t len)
{
	uint32_t counts[MAX_BIGRAMS];
	bool more = false;
	if (!n->paired && count_pairs(n, text, len) != 0) {
		strbuf_printf_new(n->error, "out of memory");
		return -1;
	}
	for (size_t j = 0; j < g->n_bigrams; j++) {
		counts[j] = pair_count(n, g->key + g->bigram_at[j], g->bigram_len[j]);
		more |= counts[j] != 1;
	}
	uint32_t head = (docid - g->last_docid) * 2 + more;
	g->last_docid = docid;
	g->clauses++;
	if (!n->second) {
		g->bytes += varint_len(head);
		for (size_t j = 0; more && j < g->n_bigrams; j++)
			g->bytes += varint_len(counts[j]);
		return 0;
	}
	uint8_t entry[ENTRY_MAX];
	size_t k = ps_varint_put(entry, head);
	for (size_t j = 0; more && j < g->n_bigrams; j++)
		k += ps_varint_put(entry + k, counts[j]);
	if (g->cap_buf - g->n_buf < k && flush(n, g) != 0)
		return -1;
	memcpy(g->buf + g->n_buf, entry, k);
	g->n_buf += (uint32_t)k;
	return 0;
}

/* The kept n-grams clause docid's normal form text[0,len) holds, each taken once. */
static int scan(ngrams_t *n, unsigned docid, const char *text, size_t len)
{
	n->paired = false;
	for (size_t i = 0; i < len; i += lead_len((uint8_t)text[i])) {
		size_t end = i;
		for (size_t chars = 1; chars <= 4 && end < len; chars++) {
			end += lead_len((uint8_t)text[end]);
			if (end > len || end - i > PS_GRAM_KEY_BYTES)
				break;
			if (chars < 3)
				continue;
			gram_t *g = find(n, text + i, end - i);
			if (g == NULL)
				break; /* a 4-gram is kept only with its first three characters */
			if (g->last_docid != docid && take(n, g, docid, text, len) != 0)
				return -1;
		}
	}
	return 0;
}

/* One pass over every clause's normal form, in document id order. */
static int pass(ngrams_t *n, int docs_fd, int norms_fd, unsigned n_docs)
{
	ps_doc_rec_t *recs = malloc(DOCS_WINDOW * sizeof *recs);
	char *span = NULL;
	size_t cap_span = 0;
	int rc = -1;
	if (recs == NULL)
		goto oom;
	for (unsigned first = 1; first <= n_docs; first += DOCS_WINDOW) {
		size_t want = n_docs - first + 1 < DOCS_WINDOW ? n_docs - first + 1 : DOCS_WINDOW;
		off_t off = (off_t)sizeof(ps_file_head_t) + (off_t)(first - 1) * (off_t)sizeof *recs;
		if (pread(docs_fd, recs, want * sizeof *recs, off) != (ssize_t)(want * sizeof *recs))
			goto unreadable;
		uint64_t lo = UINT64_MAX, hi = 0;
		for (size_t i = 0; i < want; i++) {
			if (recs[i].norm_offset < lo)
				lo = recs[i].norm_offset;
			if (recs[i].norm_offset + recs[i].norm_len > hi)
				hi = recs[i].norm_offset + recs[i].norm_len;
		}
		/* the window's clauses follow one another in norms: read them in one piece,
		 * else (never, as the writer lays them out) one by one */
		bool whole = hi - lo <= SPAN_CAP;
		size_t need = whole ? (size_t)(hi - lo) : 0;
		for (size_t i = 0; !whole && i < want; i++)
			if (recs[i].norm_len > need)
				need = recs[i].norm_len;
		if (need + KEY_PAD > cap_span) { /* find loads 16 bytes past any start */
			char *p = realloc(span, need + KEY_PAD);
			if (p == NULL)
				goto oom;
			span = p;
			cap_span = need + KEY_PAD;
		}
		memset(span + need, 0, KEY_PAD);
		if (whole && pread(norms_fd, span, need, (off_t)lo) != (ssize_t)need)
			goto unreadable;
		for (size_t i = 0; i < want; i++) {
			const char *text = span + (whole ? recs[i].norm_offset - lo : 0);
			if (!whole && pread(norms_fd, span, recs[i].norm_len,
					    (off_t)recs[i].norm_offset) != (ssize_t)recs[i].norm_len)
				goto unreadable;
			if (scan(n, first + (unsigned)i, text, recs[i].norm_len) != 0)
				goto out;
		}
	}
	rc = 0;
	goto out;
unreadable:
	strbuf_printf_new(n->error, "%s: cannot read the clauses just written", n->path);
	goto out;
oom:
	strbuf_printf_new(n->error, "out of memory");
out:
	free(recs);
	free(span);
	return rc;
}

static int open_in(const char *dir, const char *name, int *fd, char **error)
{
	strbuf_t path = STRBUF_INIT;
	if (strbuf_printf(&path, "%s/%s", dir, name) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	*fd = open(path.data, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		strbuf_printf_new(error, "%s: cannot read: %s", path.data, strerror(errno));
	strbuf_free(&path);
	return *fd < 0 ? -1 : 0;
}

static int put_at(ngrams_t *n, const void *data, size_t len, uint64_t at);

/* ---- what a search for a common n-gram alone finds ---- */

/* A count vector seen in an n-gram's list, with how many clauses had it so far. */
typedef struct vector {
	uint32_t counts[MAX_BIGRAMS];
	uint64_t clauses;
} vector_t;

typedef struct answers {
	uint8_t *list; /* the n-gram's list, read back */
	size_t cap_list;
	ps_ngram_top_t *best;
	size_t n_best, cap_best;
	vector_t *vectors;
	size_t n_vectors, cap_vectors;
	uint8_t *fbytes;
	size_t n_fbytes, cap_fbytes;
} answers_t;

static void answers_free(answers_t *a)
{
	free(a->list);
	free(a->best);
	free(a->vectors);
	free(a->fbytes);
}

static int put_pair(answers_t *a, uint32_t gap, uint32_t clauses)
{
	if (grow((void **)&a->fbytes, &a->cap_fbytes, a->n_fbytes + 10, 1) != 0)
		return -1;
	a->n_fbytes += ps_varint_put(a->fbytes + a->n_fbytes, gap);
	a->n_fbytes += ps_varint_put(a->fbytes + a->n_fbytes, clauses);
	return 0;
}

/* Whether the clause with `counts` is dominated by `top` or more clauses before it (each
 * with at least its count of every bigram); counts it among them for the clauses after. */
static int dominated(answers_t *a, const uint32_t *counts, size_t n_bigrams, uint64_t top,
		     bool *out)
{
	vector_t *own = NULL;
	uint64_t before = 0;
	for (size_t i = 0; i < a->n_vectors; i++) {
		vector_t *v = &a->vectors[i];
		bool ge = true, same = true;
		for (size_t j = 0; j < n_bigrams; j++) {
			ge &= v->counts[j] >= counts[j];
			same &= v->counts[j] == counts[j];
		}
		if (same)
			own = v;
		if (ge)
			before += v->clauses;
	}
	if (own == NULL) {
		if (grow((void **)&a->vectors, &a->cap_vectors, a->n_vectors + 1,
			 sizeof *a->vectors) != 0)
			return -1;
		own = &a->vectors[a->n_vectors++];
		*own = (vector_t){0};
		memcpy(own->counts, counts, n_bigrams * sizeof *counts);
	}
	own->clauses++;
	*out = before >= top;
	return 0;
}

/* Read g's list back from the file and write after `*at` its best clauses and its chapters
 * (format.h), filling rec. */
static int write_answers(ngrams_t *n, answers_t *a, const ps_facet_rec_t *facets,
			 size_t n_facets, unsigned n_docs, uint64_t top, ps_ngram_rec_t *rec,
			 uint64_t *at)
{
	if (grow((void **)&a->list, &a->cap_list, rec->len ? rec->len : 1, 1) != 0)
		goto oom;
	if (pread(n->fd, a->list, rec->len, (off_t)rec->offset) != (ssize_t)rec->len) {
		strbuf_printf_new(n->error, "%s: cannot read the lists just written", n->path);
		return -1;
	}
	ps_ngram_clauses_t l = {.clauses = rec->clauses, .n_bigrams = rec->n_bigrams,
				.at = a->list, .end = a->list + rec->len, .n_docs = n_docs};
	a->n_best = a->n_vectors = a->n_fbytes = 0;
	size_t facet = 0, last_written = 0;
	uint32_t in_facet = 0;
	unsigned ids[256], counts[256][PS_NGRAM_MAX_BIGRAMS];
	bool ones[256];
	size_t got;
	int r;
	while ((r = ps_ngram_read(&l, ids, counts, ones, 256, &got)) > 0) {
		for (size_t i = 0; i < got; i++) {
			/* its chapter: the facets are consecutive ranges, and ids ascend */
			if (facet + 1 < n_facets && ids[i] >= facets[facet + 1].first_docid) {
				if (in_facet > 0 &&
				    put_pair(a, (uint32_t)(facet + 1 - last_written), in_facet) != 0)
					goto oom;
				if (in_facet > 0)
					last_written = facet + 1;
				in_facet = 0;
				while (facet + 1 < n_facets && ids[i] >= facets[facet + 1].first_docid)
					facet++;
			}
			in_facet++;
			bool out;
			uint32_t c[MAX_BIGRAMS] = {0};
			for (size_t j = 0; j < rec->n_bigrams; j++)
				c[j] = counts[i][j];
			if (dominated(a, c, rec->n_bigrams, top, &out) != 0)
				goto oom;
			if (out)
				continue;
			if (grow((void **)&a->best, &a->cap_best, a->n_best + 1, sizeof *a->best) != 0)
				goto oom;
			ps_ngram_top_t *b = &a->best[a->n_best++];
			*b = (ps_ngram_top_t){.docid = ids[i]};
			memcpy(b->counts, c, sizeof b->counts);
		}
	}
	if (r < 0) {
		strbuf_printf_new(n->error, "%s: the lists just written do not read back", n->path);
		return -1;
	}
	if (in_facet > 0 && put_pair(a, (uint32_t)(facet + 1 - last_written), in_facet) != 0)
		goto oom;
	uint64_t top_at = (*at + 7) / 8 * 8;
	uint8_t zeros[8] = {0};
	if (put_at(n, zeros, (size_t)(top_at - *at), *at) != 0 ||
	    put_at(n, a->best, a->n_best * sizeof *a->best, top_at) != 0 ||
	    put_at(n, a->fbytes, a->n_fbytes, top_at + a->n_best * sizeof *a->best) != 0)
		return -1;
	rec->has_answers = 1;
	rec->n_top = (uint32_t)a->n_best;
	rec->top_offset = top_at;
	rec->facets_offset = top_at + a->n_best * sizeof *a->best;
	rec->facets_len = a->n_fbytes;
	*at = rec->facets_offset + a->n_fbytes;
	return 0;
oom:
	strbuf_printf_new(n->error, "out of memory");
	return -1;
}

static int put_at(ngrams_t *n, const void *data, size_t len, uint64_t at)
{
	if (pwrite(n->fd, data, len, (off_t)at) != (ssize_t)len) {
		strbuf_printf_new(n->error, "%s: cannot write the index: %s", n->path,
				  strerror(errno));
		return -1;
	}
	return 0;
}

int ps_ngrams_write(const char *dir, xw_db_t *db, const ps_facet_rec_t *facets,
		    size_t n_facets, unsigned n_docs, unsigned min_clauses, unsigned top,
		    char **error)
{
	answers_t answers = {0};
	ngrams_t n = {.fd = -1, .min = min_clauses, .error = error};
	strbuf_t path = STRBUF_INIT, counts = STRBUF_INIT;
	int docs_fd = -1, norms_fd = -1, rc = -1;
	ps_ngram_rec_t *recs = NULL;
	uint8_t *arena = NULL;

	if (strbuf_printf(&path, "%s/%s", dir, PS_NGRAMS_FILE) != 0 ||
	    strbuf_printf(&counts, "%s/%s", dir, PS_COUNTS_FILE) != 0)
		goto oom;
	n.path = path.data;
	if ((n.fd = open(path.data, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
		strbuf_printf_new(error, "%s: cannot create: %s", path.data, strerror(errno));
		goto out;
	}
	/* an entry's head is the document id gap times two: past 2^31 documents it would
	 * not fit its 32 bits, and the index keeps no lists (it walks) */
	if (n_docs > 0 && n_docs < (1u << 31)) {
		if (xw_db_term_freqs_with_prefix(db, PS_PREFIX_BIGRAM, 1, on_bigram_freq, &n) !=
		    PS_OK) {
			if (n.oom)
				goto oom;
			strbuf_printf_new(error, "cannot read the index's terms: %s",
					  xw_db_last_error(db));
			goto out;
		}
		if (n.oom)
			goto oom;
		if (n.n_frequent > 0) { /* none: no n-gram is kept */
			qsort(n.frequent, n.n_frequent, sizeof *n.frequent, cmp_u64);
			if (ps_gramcount_each(counts.data, on_gram, &n, error) != 0)
				goto out;
		}
		if (n.oom)
			goto oom;
	}
	if (n.n_grams > 0) {
		if (make_table(&n) != 0)
			goto oom;
		if (open_in(dir, PS_DOCS_FILE, &docs_fd, error) != 0 ||
		    open_in(dir, PS_NORMS_FILE, &norms_fd, error) != 0 ||
		    pass(&n, docs_fd, norms_fd, n_docs) != 0)
			goto out;
	}
	/* lay the lists out, give each a buffer, and write them in the second pass */
	uint64_t at = sizeof(ps_file_head_t) + sizeof(ps_ngrams_head_t), arena_size = 0;
	size_t per = BUFFER_BUDGET / (n.n_grams ? n.n_grams : 1);
	if (per < BUFFER_MIN)
		per = BUFFER_MIN;
	if (per < ENTRY_MAX)
		per = ENTRY_MAX;
	for (size_t i = 0; i < n.n_grams; i++) {
		gram_t *g = &n.grams[i];
		g->write_at = at;
		at += g->bytes;
		g->cap_buf = (uint32_t)(g->bytes < per ? g->bytes : per);
		arena_size += g->cap_buf;
	}
	if (n.n_grams > 0 && (arena = malloc(arena_size ? arena_size : 1)) == NULL)
		goto oom;
	if ((recs = calloc(n.n_grams ? n.n_grams : 1, sizeof *recs)) == NULL)
		goto oom;
	arena_size = 0;
	for (size_t i = 0; i < n.n_grams; i++) {
		gram_t *g = &n.grams[i];
		recs[i] = (ps_ngram_rec_t){.clauses = g->clauses, .n_bigrams = g->n_bigrams,
					   .offset = g->write_at, .len = g->bytes};
		memcpy(recs[i].gram, g->key, sizeof recs[i].gram);
		g->buf = arena + arena_size;
		arena_size += g->cap_buf;
		g->clauses = 0;
		g->last_docid = 0;
	}
	n.second = true;
	if (n.n_grams > 0 && pass(&n, docs_fd, norms_fd, n_docs) != 0)
		goto out;
	for (size_t i = 0; i < n.n_grams; i++) {
		gram_t *g = &n.grams[i];
		if (flush(&n, g) != 0)
			goto out;
		if (g->clauses != recs[i].clauses || g->write_at != recs[i].offset + recs[i].len) {
			strbuf_printf_new(error, "%s: the clauses read twice differ", path.data);
			goto out;
		}
	}
	/* the common n-grams' answers, after every list */
	for (size_t i = 0; i < n.n_grams; i++)
		if (recs[i].clauses >= min_clauses && n_facets > 0 &&
		    write_answers(&n, &answers, facets, n_facets, n_docs, top ? top : PS_FREQUENT_TOP,
				  &recs[i], &at) != 0)
			goto out;
	uint64_t records_offset = (at + 7) / 8 * 8;
	ps_file_head_t head = {.schema = PS_SCHEMA_VERSION};
	memcpy(head.magic, PS_MAGIC_NGRAMS, strlen(PS_MAGIC_NGRAMS));
	ps_ngrams_head_t nhead = {.n_grams = (uint32_t)n.n_grams, .n_docs = n_docs,
				  .records_offset = records_offset, .n_facets = (uint32_t)n_facets,
				  .top = top ? top : PS_FREQUENT_TOP};
	uint8_t zeros[8] = {0};
	if (put_at(&n, zeros, (size_t)(records_offset - at), at) != 0 ||
	    put_at(&n, recs, n.n_grams * sizeof *recs, records_offset) != 0 ||
	    put_at(&n, &head, sizeof head, 0) != 0 ||
	    put_at(&n, &nhead, sizeof nhead, sizeof head) != 0)
		goto out;
	if (fsync(n.fd) != 0) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", path.data,
				  strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	if (n.fd >= 0 && close(n.fd) != 0 && rc == 0) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", path.data,
				  strerror(errno));
		rc = -1;
	}
	if (docs_fd >= 0)
		close(docs_fd);
	if (norms_fd >= 0)
		close(norms_fd);
	free(recs);
	free(arena);
	answers_free(&answers);
	free(n.frequent);
	free(n.grams);
	free(n.table);
	free(n.keys);
	free(n.pair_keys);
	free(n.pair_counts);
	free(n.pair_stamps);
	strbuf_free(&path);
	strbuf_free(&counts);
	return rc;
}

/* ---- reading ---- */

int ps_ngram_read(ps_ngram_clauses_t *l, unsigned *docids,
		  unsigned (*counts)[PS_NGRAM_MAX_BIGRAMS], bool *ones, size_t cap, size_t *n)
{
	const uint8_t *p = l->at, *end = l->end;
	unsigned last = l->last, n_bigrams = l->n_bigrams;
	size_t k = 0;
	*n = 0;
	for (; k < cap && p < end; k++) {
		uint32_t head, c;
		if (*p < 0x80)
			head = *p++;
		else if (!ps_varint_get(&p, end, &head))
			return -1;
		if (head < 2)
			return -1; /* ids ascend */
		last += head >> 1; /* cannot wrap: last <= n_docs < 2^31 (checked below) */
		docids[k] = last;
		ones[k] = !(head & 1);
		for (unsigned j = 0; j < n_bigrams; j++) {
			if (ones[k])
				c = 1;
			else if (p < end && *p < 0x80 && *p > 0)
				c = *p++;
			else if (!ps_varint_get(&p, end, &c) || c == 0)
				return -1;
			counts[k][j] = c;
		}
		if (last > l->n_docs)
			return -1;
	}
	if (l->clauses - l->seen < k)
		return -1; /* more than the record says */
	l->at = p;
	l->last = last;
	l->seen += (unsigned)k;
	*n = k;
	if (k > 0)
		return 1;
	return l->seen == l->clauses ? 0 : -1; /* the last: as many as the record says */
}
