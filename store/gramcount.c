/* gramcount.c: counting n-grams per plan in a bounded hash table, written as sorted runs and merged into the counts file. */
#include "gramcount.h"

#include "format.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t ps_varint_put(uint8_t *buf, uint32_t n)
{
	size_t i = 0;
	while (n >= 0x80) {
		buf[i++] = (uint8_t)(n | 0x80);
		n >>= 7;
	}
	buf[i++] = (uint8_t)n;
	return i;
}

size_t ps_posting_put(uint8_t *buf, uint32_t delta, uint32_t n, uint32_t p)
{
	size_t len = ps_varint_put(buf, delta);
	len += ps_varint_put(buf + len, n << 1 | (p < n));
	if (p < n)
		len += ps_varint_put(buf + len, n - p);
	return len;
}

/*
 * Two hash tables. The plan's: every occurrence is counted here, in a table the size of
 * one plan's n-grams, which stays in the processor's caches. The corpus's: when the plan
 * ends (or a run is due), each n-gram the plan holds adds one posting here. The corpus's
 * table is big and read at random, so it is read once per n-gram of a plan, not once per
 * occurrence.
 */

/* An n-gram of the current plan. */
typedef struct local {
	uint8_t key[PS_GRAM_KEY_BYTES]; /* zero-padded; a zero first byte: an empty slot */
	uint32_t n, p, last_clause;     /* places, clauses holding it whole, the last one */
	uint32_t reserved;
} local_t;

/* An n-gram of the corpus: its postings so far (format.h; a run's list starts its deltas
 * from 0). */
typedef struct gram {
	uint8_t key[PS_GRAM_KEY_BYTES];
	uint32_t prev_plan; /* the plan of its last posting */
	uint32_t len, cap;
	uint8_t *postings;
} gram_t;

typedef struct table {
	void *slots; /* a power of two of them, at most half in use */
	size_t size, cap, used;
} table_t;

struct ps_gramcount {
	char *dir;
	table_t plan_table;   /* local_t */
	uint32_t *plan_used;  /* the plan table's used slots, to empty it quickly */
	table_t grams;        /* gram_t */
	size_t bytes;         /* postings held, for the budget */
	uint32_t plan;
	char *runs_path;
	FILE *runs;
	uint64_t *run_starts; /* each run's offset in the runs file */
	size_t n_runs, cap_runs;
	uint64_t runs_size;
};

static uint64_t hash_key(const uint8_t *key)
{
	uint64_t a, b;
	memcpy(&a, key, 8);
	memcpy(&b, key + 8, 8);
	uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
	return h ^ (h >> 31);
}

/* A key's first byte starts a UTF-8 character of text, never NUL (plans with NUL bytes are
 * refused as binary): a zero first byte marks an empty slot. Both slot types start with
 * their key. */
static bool empty_slot(const void *slot)
{
	return ((const uint8_t *)slot)[0] == 0;
}

static bool same_key(const uint8_t *a, const uint8_t *b)
{
	uint64_t a0, a1, b0, b1;
	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, b + 8, 8);
	return a0 == b0 && a1 == b1;
}

static void *slot_at(const table_t *t, size_t i)
{
	return (char *)t->slots + i * t->size;
}

static int table_grow(table_t *t, size_t first_cap)
{
	size_t cap = t->cap ? t->cap * 2 : first_cap;
	char *slots = calloc(cap, t->size);
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		const void *g = slot_at(t, i);
		if (empty_slot(g))
			continue;
		size_t k = hash_key(g) & (cap - 1);
		while (!empty_slot(slots + k * t->size))
			k = (k + 1) & (cap - 1);
		memcpy(slots + k * t->size, g, t->size);
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

/* The slot of key, claimed if it was empty (*added then set). NULL when memory runs out. */
static void *table_find(table_t *t, const uint8_t *key, size_t first_cap, bool *added)
{
	if (2 * (t->used + 1) > t->cap && table_grow(t, first_cap) != 0)
		return NULL;
	size_t k = hash_key(key) & (t->cap - 1);
	for (;; k = (k + 1) & (t->cap - 1)) {
		uint8_t *slot = slot_at(t, k);
		if (empty_slot(slot)) {
			memcpy(slot, key, PS_GRAM_KEY_BYTES);
			t->used++;
			*added = true;
			return slot;
		}
		if (same_key(slot, key)) {
			*added = false;
			return slot;
		}
	}
}

/* Add a posting for `plan` to the corpus's n-gram. */
static int add_posting(ps_gramcount_t *gc, const uint8_t *key, uint32_t plan, uint32_t n,
		       uint32_t p)
{
	bool added;
	gram_t *g = table_find(&gc->grams, key, 1u << 16, &added);
	if (g == NULL)
		return -1;
	if (g->cap - g->len < 15) {
		uint32_t cap = g->cap ? g->cap * 2 : 16;
		uint8_t *b = realloc(g->postings, cap);
		if (b == NULL)
			return -1;
		gc->bytes += cap - g->cap;
		g->postings = b;
		g->cap = cap;
	}
	/* the first posting's delta is from plan 0 (prev_plan starts at 0) */
	g->len += (uint32_t)ps_posting_put(g->postings + g->len, plan - g->prev_plan, n, p);
	g->prev_plan = plan;
	return 0;
}

/* Hand the plan table's counts to the corpus's table and empty it. */
static int settle_plan(ps_gramcount_t *gc)
{
	table_t *t = &gc->plan_table;
	int rc = 0;
	for (size_t i = 0; i < t->used; i++) {
		local_t *l = slot_at(t, gc->plan_used[i]);
		if (rc == 0 && add_posting(gc, l->key, gc->plan, l->n, l->p) != 0)
			rc = -1;
		memset(l, 0, sizeof *l);
	}
	t->used = 0;
	return rc;
}

int ps_gramcount_new(const char *dir, ps_gramcount_t **out, char **error)
{
	ps_gramcount_t *gc = calloc(1, sizeof *gc);
	strbuf_t path = STRBUF_INIT;
	if (gc == NULL || (gc->dir = strdup(dir)) == NULL ||
	    strbuf_printf(&path, "%s/%s.runs", dir, PS_COUNTS_FILE) != 0)
		goto oom;
	gc->plan_table.size = sizeof(local_t);
	gc->grams.size = sizeof(gram_t);
	gc->runs_path = strbuf_steal(&path);
	if (gc->runs_path == NULL)
		goto oom;
	gc->runs = fopen(gc->runs_path, "w+bx");
	if (gc->runs != NULL)
		setvbuf(gc->runs, NULL, _IOFBF, 1 << 20);
	if (gc->runs == NULL) {
		strbuf_printf_new(error, "%s: cannot create: %s", gc->runs_path, strerror(errno));
		ps_gramcount_free(gc);
		return -1;
	}
	*out = gc;
	return 0;
oom:
	strbuf_free(&path);
	ps_gramcount_free(gc);
	strbuf_printf_new(error, "out of memory");
	return -1;
}

void ps_gramcount_free(ps_gramcount_t *gc)
{
	if (gc == NULL)
		return;
	for (size_t i = 0; i < gc->grams.cap; i++)
		free(((gram_t *)slot_at(&gc->grams, i))->postings);
	free(gc->grams.slots);
	free(gc->plan_table.slots);
	free(gc->plan_used);
	if (gc->runs != NULL)
		fclose(gc->runs);
	if (gc->runs_path != NULL)
		unlink(gc->runs_path);
	free(gc->runs_path);
	free(gc->run_starts);
	free(gc->dir);
	free(gc);
}

int ps_gramcount_plan(ps_gramcount_t *gc, uint32_t plan, char **error)
{
	if (settle_plan(gc) != 0) {
		strbuf_printf_new(error, "out of memory while counting n-grams");
		return -1;
	}
	gc->plan = plan;
	return ps_gramcount_full(gc) ? ps_gramcount_spill(gc, error) : 0;
}

bool ps_gramcount_full(const ps_gramcount_t *gc)
{
	return gc->bytes + gc->grams.cap * sizeof(gram_t) +
		       gc->plan_table.cap * (sizeof(local_t) + sizeof(uint32_t)) >
	       PS_GRAMCOUNT_MEMORY;
}

int ps_gramcount_add(ps_gramcount_t *gc, const char *gram, size_t len, uint32_t clause)
{
	uint8_t key[PS_GRAM_KEY_BYTES] = {0};
	bool added;
	if (len == 0 || len > PS_GRAM_KEY_BYTES)
		return 0;
	memcpy(key, gram, len);
	table_t *t = &gc->plan_table;
	size_t old_cap = t->cap;
	local_t *l = table_find(t, key, 1u << 12, &added);
	if (l == NULL)
		return -1;
	if (t->cap != old_cap) { /* grown: the used slots moved; list them again */
		uint32_t *used = realloc(gc->plan_used, t->cap / 2 * sizeof *used);
		if (used == NULL)
			return -1;
		gc->plan_used = used;
		size_t k = 0;
		for (size_t i = 0; i < t->cap; i++)
			if (!empty_slot(slot_at(t, i)) && slot_at(t, i) != (void *)l)
				used[k++] = (uint32_t)i;
		used[k] = (uint32_t)(((char *)l - (char *)t->slots) / (ptrdiff_t)t->size);
	} else if (added) {
		gc->plan_used[t->used - 1] =
			(uint32_t)(((char *)l - (char *)t->slots) / (ptrdiff_t)t->size);
	}
	l->n++;
	if (clause != 0 && l->last_clause != clause) {
		l->p++;
		l->last_clause = clause;
	}
	return 0;
}

/* A gram to write, sorted by key: its key as two big-endian numbers (so that comparing
 * them compares the bytes), and its slot. */
typedef struct sorted {
	uint64_t hi, lo;
	uint32_t slot;
} sorted_t;

static uint64_t big_endian(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* Sort by (hi, lo): a byte at a time from the last, each pass stable (LSD radix sort); a
 * pass where every key has the same byte is skipped. Uses tmp (as many items). */
static void radix_sort(sorted_t *items, sorted_t *tmp, size_t n)
{
	for (int pass = 0; pass < 16; pass++) {
		size_t count[256] = {0};
		int shift = (pass % 8) * 8;
		bool hi = pass >= 8;
		for (size_t i = 0; i < n; i++)
			count[((hi ? items[i].hi : items[i].lo) >> shift) & 0xff]++;
		if (count[((hi ? items[0].hi : items[0].lo) >> shift) & 0xff] == n)
			continue;
		size_t at = 0;
		for (int b = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[((hi ? items[i].hi : items[i].lo) >> shift) & 0xff]++] = items[i];
		memcpy(items, tmp, n * sizeof *items);
	}
}

int ps_gramcount_spill(ps_gramcount_t *gc, char **error)
{
	table_t *t = &gc->grams;
	sorted_t *order = NULL, *tmp = NULL;
	size_t m = 0;
	int rc = -1;
	if (settle_plan(gc) != 0)
		goto oom;
	order = malloc((t->used ? t->used : 1) * sizeof *order);
	tmp = malloc((t->used ? t->used : 1) * sizeof *tmp);
	if (order == NULL || tmp == NULL)
		goto oom;
	for (size_t i = 0; i < t->cap; i++) {
		const gram_t *g = slot_at(t, i);
		if (empty_slot(g))
			continue;
		order[m].hi = big_endian(g->key);
		order[m].lo = big_endian(g->key + 8);
		order[m++].slot = (uint32_t)i;
	}
	if (m == 0) {
		rc = 0;
		goto out;
	}
	radix_sort(order, tmp, m);
	if (gc->n_runs == gc->cap_runs) {
		size_t cap = gc->cap_runs ? gc->cap_runs * 2 : 16;
		uint64_t *r = realloc(gc->run_starts, cap * sizeof *r);
		if (r == NULL)
			goto oom;
		gc->run_starts = r;
		gc->cap_runs = cap;
	}
	gc->run_starts[gc->n_runs++] = gc->runs_size;
	/* a run: per gram in key order, its key, the length of its postings, its postings */
	strbuf_t buf = STRBUF_INIT;
	for (size_t i = 0; i < m; i++) {
		gram_t *g = slot_at(t, order[i].slot);
		uint32_t len = g->len;
		if (strbuf_append(&buf, (const char *)g->key, PS_GRAM_KEY_BYTES) != 0 ||
		    strbuf_append(&buf, (const char *)&len, sizeof len) != 0 ||
		    strbuf_append(&buf, (const char *)g->postings, len) != 0) {
			strbuf_free(&buf);
			goto oom;
		}
		if (buf.len >= (1u << 20) || i + 1 == m) {
			if (fwrite(buf.data, 1, buf.len, gc->runs) != buf.len) {
				strbuf_free(&buf);
				strbuf_printf_new(error, "%s: cannot write: %s", gc->runs_path,
						  strerror(errno));
				goto out;
			}
			gc->runs_size += buf.len;
			buf.len = 0;
		}
	}
	strbuf_free(&buf);
	for (size_t i = 0; i < t->cap; i++)
		free(((gram_t *)slot_at(t, i))->postings);
	memset(t->slots, 0, t->cap * t->size);
	t->used = 0;
	gc->bytes = 0;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while counting n-grams");
out:
	free(order);
	free(tmp);
	return rc;
}

/* ---- merging the runs ---- */

/* A run being read, a record at a time, through a buffer of its own (so that the merge's
 * memory is a buffer per run, not the runs' size). */
typedef struct cursor {
	int fd;
	uint64_t pos, end;    /* the run's bytes in the runs file not yet buffered */
	uint8_t *buf;
	size_t len, at, cap;  /* buffered: [at, len) not yet read */
	uint8_t key[PS_GRAM_KEY_BYTES]; /* the current record */
	const uint8_t *postings;
	uint32_t postings_len;
} cursor_t;

#define CURSOR_BUFFER (1u << 18)

/* Have n bytes at c->buf + c->at, reading more of the run; 0, 1 when the run has fewer
 * left, -1 when it cannot be read or memory runs out. */
static int cursor_need(cursor_t *c, size_t n)
{
	if (c->len - c->at >= n)
		return 0;
	memmove(c->buf, c->buf + c->at, c->len - c->at);
	c->len -= c->at;
	c->at = 0;
	if (n > c->cap) {
		uint8_t *b = realloc(c->buf, n);
		if (b == NULL)
			return -1;
		c->buf = b;
		c->cap = n;
	}
	while (c->len < n && c->pos < c->end) {
		size_t want = c->cap - c->len;
		if (want > c->end - c->pos)
			want = (size_t)(c->end - c->pos);
		ssize_t got = pread(c->fd, c->buf + c->len, want, (off_t)c->pos);
		if (got <= 0)
			return -1;
		c->len += (size_t)got;
		c->pos += (uint64_t)got;
	}
	return c->len - c->at >= n ? 0 : 1;
}

/* Read the run's next record: 1 when there is one, 0 at its end, -1 when it does not read
 * back. */
static int cursor_next(cursor_t *c)
{
	uint32_t len;
	int rc = cursor_need(c, PS_GRAM_KEY_BYTES + sizeof len);
	if (rc != 0)
		return c->len == c->at && c->pos >= c->end ? 0 : -1;
	memcpy(c->key, c->buf + c->at, PS_GRAM_KEY_BYTES);
	memcpy(&len, c->buf + c->at + PS_GRAM_KEY_BYTES, sizeof len);
	if (cursor_need(c, PS_GRAM_KEY_BYTES + sizeof len + len) != 0)
		return -1;
	c->postings = c->buf + c->at + PS_GRAM_KEY_BYTES + sizeof len;
	c->postings_len = len;
	c->at += PS_GRAM_KEY_BYTES + sizeof len + len;
	return 1;
}

/* The heap of runs by their current key, then by run (plan order). */
typedef struct heap {
	cursor_t *runs;
	size_t *items, n;
} heap_t;

static bool before(const heap_t *h, size_t a, size_t b)
{
	int c = memcmp(h->runs[a].key, h->runs[b].key, PS_GRAM_KEY_BYTES);
	return c < 0 || (c == 0 && a < b);
}

static void sift_down(heap_t *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && before(h, h->items[l], h->items[m]))
			m = l;
		if (r < h->n && before(h, h->items[r], h->items[m]))
			m = r;
		if (m == i)
			return;
		size_t t = h->items[i];
		h->items[i] = h->items[m];
		h->items[m] = t;
		i = m;
	}
}

/* The output: postings streamed to the counts file, the dictionary to a second file
 * appended after them. */
typedef struct merged {
	FILE *out, *dict;
	uint64_t postings_len, n_grams;
	uint8_t *buf;
	size_t len, cap;
} merged_t;

static int buf_reserve(merged_t *m, size_t more)
{
	if (m->cap - m->len >= more)
		return 0;
	size_t cap = m->cap ? m->cap * 2 : 4096;
	while (cap - m->len < more)
		cap *= 2;
	uint8_t *b = realloc(m->buf, cap);
	if (b == NULL)
		return -1;
	m->buf = b;
	m->cap = cap;
	return 0;
}

/* Append one run's postings of the current gram to m->buf, re-based on *prev (the plan of
 * the last posting written, *any once there is one), joining a plan a run cut in two.
 * Returns 0, -1 when memory runs out, -2 for a run that does not read back. */
static int append_postings(merged_t *m, const uint8_t *p, const uint8_t *end, uint32_t *prev,
			   size_t *last_at, bool *any)
{
	uint32_t plan = 0;
	while (p < end) {
		uint32_t delta, n, k;
		if (!ps_posting_get(&p, end, &delta, &n, &k))
			return -2;
		plan += delta;
		if (*any && plan == *prev) { /* the same plan, counted in two runs: add up */
			const uint8_t *q = m->buf + *last_at, *qe = m->buf + m->len;
			uint32_t d0, n0, k0;
			if (!ps_posting_get(&q, qe, &d0, &n0, &k0))
				return -2;
			n += n0;
			k += k0;
			delta = d0;
			m->len = *last_at;
		} else {
			delta = plan - (*any ? *prev : 0);
		}
		if (buf_reserve(m, 15) != 0)
			return -1;
		*last_at = m->len;
		m->len += ps_posting_put(m->buf + m->len, delta, n, k);
		*prev = plan;
		*any = true;
	}
	return 0;
}

/* The dictionary being written: entries to m->dict, a block index entry every
 * PS_COUNT_BLOCK n-grams. */
typedef struct dict_writer {
	ps_count_block_t *blocks;
	size_t n_blocks, cap_blocks;
	uint8_t prev[PS_GRAM_KEY_BYTES];
	size_t in_block;
	uint64_t dict_len;
} dict_writer_t;

static size_t key_len(const uint8_t *key)
{
	size_t n = PS_GRAM_KEY_BYTES;
	while (n > 0 && key[n - 1] == 0)
		n--;
	return n;
}

static int dict_add(dict_writer_t *d, FILE *f, const uint8_t *key, uint64_t postings_at,
		    uint32_t postings_len)
{
	uint8_t entry[2 + PS_GRAM_KEY_BYTES + 5];
	size_t shared = 0, len = key_len(key);
	if (d->in_block == PS_COUNT_BLOCK)
		d->in_block = 0;
	if (d->in_block == 0) {
		if (d->n_blocks == d->cap_blocks) {
			size_t cap = d->cap_blocks ? d->cap_blocks * 2 : 1024;
			ps_count_block_t *b = realloc(d->blocks, cap * sizeof *b);
			if (b == NULL)
				return -1;
			d->blocks = b;
			d->cap_blocks = cap;
		}
		ps_count_block_t *b = &d->blocks[d->n_blocks++];
		memcpy(b->key, key, PS_GRAM_KEY_BYTES);
		b->dict_at = d->dict_len;
		b->postings_at = postings_at;
	} else {
		while (shared < len && d->prev[shared] == key[shared])
			shared++;
	}
	entry[0] = (uint8_t)shared;
	entry[1] = (uint8_t)(len - shared);
	memcpy(entry + 2, key + shared, len - shared);
	size_t n = 2 + len - shared;
	n += ps_varint_put(entry + n, postings_len);
	if (fwrite(entry, 1, n, f) != n)
		return -2;
	d->dict_len += n;
	memcpy(d->prev, key, PS_GRAM_KEY_BYTES);
	d->in_block++;
	return 0;
}

/* Copy what `from` holds (from its start) to the end of `to`. */
static int copy_file(FILE *from, FILE *to)
{
	char buf[1 << 16];
	size_t got;
	if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
		return -1;
	while ((got = fread(buf, 1, sizeof buf, from)) > 0)
		if (fwrite(buf, 1, got, to) != got)
			return -1;
	return ferror(from) ? -1 : 0;
}

static int pad8(FILE *f, uint64_t *at)
{
	static const char zeros[8] = {0};
	size_t pad = (size_t)((8 - *at % 8) % 8);
	*at += pad;
	return fwrite(zeros, 1, pad, f) == pad ? 0 : -1;
}

int ps_gramcount_finish(ps_gramcount_t *gc, char **error)
{
	strbuf_t path = STRBUF_INIT, dict_path = STRBUF_INIT;
	merged_t m = {0};
	heap_t h = {0};
	dict_writer_t dw = {0};
	int rc = -1;

	if (ps_gramcount_spill(gc, error) != 0)
		return -1;
	if (fflush(gc->runs) != 0) {
		strbuf_printf_new(error, "%s: cannot write: %s", gc->runs_path, strerror(errno));
		return -1;
	}
	if (strbuf_printf(&path, "%s/%s", gc->dir, PS_COUNTS_FILE) != 0 ||
	    strbuf_printf(&dict_path, "%s/%s.dict", gc->dir, PS_COUNTS_FILE) != 0)
		goto oom;
	m.out = fopen(path.data, "wbx");
	m.dict = fopen(dict_path.data, "w+bx");
	if (m.out != NULL)
		setvbuf(m.out, NULL, _IOFBF, 1 << 20);
	if (m.dict != NULL)
		setvbuf(m.dict, NULL, _IOFBF, 1 << 20);
	if (m.out == NULL || m.dict == NULL) {
		strbuf_printf_new(error, "%s: cannot create: %s", m.out ? dict_path.data : path.data,
				  strerror(errno));
		goto out;
	}
	ps_file_head_t head = {.schema = PS_SCHEMA_VERSION};
	memcpy(head.magic, PS_MAGIC_COUNTS, strlen(PS_MAGIC_COUNTS));
	ps_counts_head_t ch = {0};
	if (fwrite(&head, sizeof head, 1, m.out) != 1 || fwrite(&ch, sizeof ch, 1, m.out) != 1)
		goto write_failed;
	h.runs = calloc(gc->n_runs ? gc->n_runs : 1, sizeof *h.runs);
	h.items = calloc(gc->n_runs ? gc->n_runs : 1, sizeof *h.items);
	if (h.runs == NULL || h.items == NULL)
		goto oom;
	for (size_t r = 0; r < gc->n_runs; r++) {
		cursor_t *c = &h.runs[r];
		c->fd = fileno(gc->runs);
		c->pos = gc->run_starts[r];
		c->end = r + 1 < gc->n_runs ? gc->run_starts[r + 1] : gc->runs_size;
		if ((c->buf = malloc(CURSOR_BUFFER)) == NULL)
			goto oom;
		c->cap = CURSOR_BUFFER;
		int crc = cursor_next(c);
		if (crc < 0)
			goto corrupt;
		if (crc > 0)
			h.items[h.n++] = r;
	}
	for (size_t i = h.n / 2; i-- > 0;)
		sift_down(&h, i);
	while (h.n > 0) {
		uint8_t key[PS_GRAM_KEY_BYTES];
		uint32_t prev = 0;
		size_t last_at = 0;
		bool any = false;
		memcpy(key, h.runs[h.items[0]].key, sizeof key);
		m.len = 0;
		/* every run holding this key, in run order */
		while (h.n > 0 && memcmp(h.runs[h.items[0]].key, key, sizeof key) == 0) {
			cursor_t *c = &h.runs[h.items[0]];
			int arc = append_postings(&m, c->postings, c->postings + c->postings_len, &prev,
						  &last_at, &any);
			if (arc == -1)
				goto oom;
			if (arc != 0)
				goto corrupt;
			int crc = cursor_next(c);
			if (crc < 0)
				goto corrupt;
			if (crc == 0)
				h.items[0] = h.items[--h.n];
			sift_down(&h, 0);
		}
		int drc = m.len > UINT32_MAX ? -1 : dict_add(&dw, m.dict, key, m.postings_len,
								  (uint32_t)m.len);
		if (drc == -1)
			goto oom;
		if (drc != 0 || (m.len > 0 && fwrite(m.buf, 1, m.len, m.out) != m.len))
			goto write_failed;
		m.postings_len += m.len;
		m.n_grams++;
	}
	/* the dictionary and its block index after the postings, 8-byte aligned */
	uint64_t at = sizeof head + sizeof ch + m.postings_len;
	if (pad8(m.out, &at) != 0)
		goto write_failed;
	ch.dict_offset = at;
	ch.dict_len = dw.dict_len;
	at += dw.dict_len;
	if (copy_file(m.dict, m.out) != 0 || pad8(m.out, &at) != 0)
		goto write_failed;
	ch.index_offset = at;
	ch.n_blocks = dw.n_blocks;
	if (dw.n_blocks > 0 && fwrite(dw.blocks, sizeof *dw.blocks, dw.n_blocks, m.out) != dw.n_blocks)
		goto write_failed;
	ch.n_grams = m.n_grams;
	ch.postings_len = m.postings_len;
	if (fseek(m.out, (long)sizeof head, SEEK_SET) != 0 ||
	    fwrite(&ch, sizeof ch, 1, m.out) != 1 || fflush(m.out) != 0 ||
	    fsync(fileno(m.out)) != 0)
		goto write_failed;
	rc = 0;
	goto out;
corrupt:
	strbuf_printf_new(error, "%s: the counts written so far do not read back", gc->runs_path);
	goto out;
write_failed:
	strbuf_printf_new(error, "%s: cannot write the index: %s", path.data, strerror(errno));
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while writing the n-gram counts");
out:
	for (size_t r = 0; h.runs != NULL && r < gc->n_runs; r++)
		free(h.runs[r].buf);
	if (m.out != NULL && fclose(m.out) != 0 && rc == 0) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", path.data,
				  strerror(errno));
		rc = -1;
	}
	if (m.dict != NULL)
		fclose(m.dict);
	if (dict_path.data != NULL)
		unlink(dict_path.data);
	free(m.buf);
	free(dw.blocks);
	free(h.runs);
	free(h.items);
	strbuf_free(&path);
	strbuf_free(&dict_path);
	return rc;
}

/* ---- reading the dictionary back ---- */

static bool read_varint(FILE *f, uint32_t *n)
{
	uint32_t v = 0;
	for (int shift = 0; shift < 35; shift += 7) {
		int b = getc(f);
		if (b == EOF)
			return false;
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*n = v;
			return true;
		}
	}
	return false;
}

int ps_gramcount_each(const char *path, ps_gram_fn fn, void *ctx, char **error)
{
	FILE *f = fopen(path, "rb");
	ps_file_head_t head;
	ps_counts_head_t ch;
	uint8_t gram[PS_GRAM_KEY_BYTES];
	int rc = -1;
	if (f == NULL) {
		strbuf_printf_new(error, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	if (fread(&head, sizeof head, 1, f) != 1 || fread(&ch, sizeof ch, 1, f) != 1 ||
	    memcmp(head.magic, PS_MAGIC_COUNTS, strlen(PS_MAGIC_COUNTS)) != 0 ||
	    ch.dict_offset > (uint64_t)LONG_MAX || fseek(f, (long)ch.dict_offset, SEEK_SET) != 0)
		goto damaged;
	/* an entry: bytes shared with the one before, bytes that follow, those bytes, and the
	 * length of its postings (format.h) */
	for (uint64_t n = 0; n < ch.n_grams; n++) {
		int shared = getc(f), more = getc(f);
		uint32_t postings;
		if (shared == EOF || more == EOF || shared + more > PS_GRAM_KEY_BYTES ||
		    shared + more == 0 || fread(gram + shared, 1, (size_t)more, f) != (size_t)more ||
		    !read_varint(f, &postings))
			goto damaged;
		if (fn(ctx, gram, (size_t)(shared + more)) != 0)
			break;
	}
	rc = 0;
	goto out;
damaged:
	strbuf_printf_new(error, "%s: the n-gram counts do not read back", path);
out:
	fclose(f);
	return rc;
}
