/* occur.c: an Aho–Corasick automaton over bytes, and the scan of a plan's normalised body. */
#include "occur.h"

#include "normalize.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A state of the automaton: its edges are edge_byte/edge_to[edge0, edge0 + n_edges), sorted
 * by byte; fail is the longest proper suffix that is also a state; out the first pattern
 * ending here (-1 if none; more through next_same); dict the nearest state down the fail
 * chain with an output (0 if none). */
typedef struct state {
	uint32_t edge0, n_edges;
	int32_t fail, dict;
	int64_t out;
} state_t;

struct pq_matcher {
	state_t *states;
	size_t n_states;
	uint8_t *edge_byte;
	uint32_t *edge_to;
	uint32_t root[256];  /* the root's transitions, 0 where it has no edge */
	int64_t *next_same;  /* per pattern: the next pattern with the same bytes, or -1 */
	size_t *lens;
};

/* The trie while it is built: first child and next sibling lists. */
typedef struct trie {
	uint32_t *child, *sibling;
	uint8_t *byte;
	int64_t *out;
	size_t n, cap;
} trie_t;

static void trie_free(trie_t *t)
{
	free(t->child);
	free(t->sibling);
	free(t->byte);
	free(t->out);
}

static int64_t trie_add(trie_t *t, uint8_t byte)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		uint32_t *child = realloc(t->child, cap * sizeof *child);
		if (child != NULL)
			t->child = child;
		uint32_t *sibling = realloc(t->sibling, cap * sizeof *sibling);
		if (sibling != NULL)
			t->sibling = sibling;
		uint8_t *bytes = realloc(t->byte, cap);
		if (bytes != NULL)
			t->byte = bytes;
		int64_t *out = realloc(t->out, cap * sizeof *out);
		if (out != NULL)
			t->out = out;
		if (child == NULL || sibling == NULL || bytes == NULL || out == NULL ||
		    cap > UINT32_MAX)
			return -1;
		t->cap = cap;
	}
	t->child[t->n] = t->sibling[t->n] = 0;
	t->byte[t->n] = byte;
	t->out[t->n] = -1;
	return (int64_t)t->n++;
}

/* The edge of state s on byte b, or -1. */
static int64_t edge(const pq_matcher_t *m, uint32_t s, uint8_t b)
{
	if (s == 0)
		return m->root[b] ? (int64_t)m->root[b] : -1;
	uint32_t lo = m->states[s].edge0, hi = lo + m->states[s].n_edges;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->edge_byte[mid] < b)
			lo = mid + 1;
		else if (m->edge_byte[mid] > b)
			hi = mid;
		else
			return m->edge_to[mid];
	}
	return -1;
}

static uint32_t step(const pq_matcher_t *m, uint32_t s, uint8_t b)
{
	for (;;) {
		int64_t t = edge(m, s, b);
		if (t >= 0)
			return (uint32_t)t;
		if (s == 0)
			return 0;
		s = (uint32_t)m->states[s].fail;
	}
}

static int cmp_byte_node(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return *x < *y ? -1 : *x > *y;
}

/* Lay the trie out breadth first with sorted edges, then link failures and outputs. */
static int finish(pq_matcher_t *m, const trie_t *t)
{
	uint32_t *queue = malloc(t->n * sizeof *queue), *renum = malloc(t->n * sizeof *renum);
	uint64_t *kids = malloc(256 * sizeof *kids);
	int rc = -1;

	m->states = calloc(t->n, sizeof *m->states);
	m->edge_byte = malloc(t->n);
	m->edge_to = malloc(t->n * sizeof *m->edge_to);
	if (!queue || !renum || !kids || !m->states || !m->edge_byte || !m->edge_to)
		goto out;
	m->n_states = t->n;
	/* breadth first: queue[k] is the trie node that becomes state k */
	size_t head = 0, tail = 1, n_edges = 0;
	queue[0] = 0;
	renum[0] = 0;
	while (head < tail) {
		uint32_t node = queue[head], s = (uint32_t)head++;
		size_t n = 0;
		for (uint32_t c = t->child[node]; c != 0; c = t->sibling[c])
			kids[n++] = (uint64_t)t->byte[c] << 32 | c;
		qsort(kids, n, sizeof *kids, cmp_byte_node);
		m->states[s].edge0 = (uint32_t)n_edges;
		m->states[s].n_edges = (uint32_t)n;
		m->states[s].out = t->out[node];
		for (size_t k = 0; k < n; k++) {
			uint32_t c = (uint32_t)kids[k];
			renum[c] = (uint32_t)tail;
			queue[tail++] = c;
			m->edge_byte[n_edges] = (uint8_t)(kids[k] >> 32);
			m->edge_to[n_edges++] = renum[c];
			if (s == 0)
				m->root[(uint8_t)(kids[k] >> 32)] = renum[c];
		}
	}
	/* failure links in breadth-first order: a state's fail is shallower, so known */
	for (uint32_t s = 0; s < m->n_states; s++) {
		const state_t *st = &m->states[s];
		for (uint32_t e = st->edge0; e < st->edge0 + st->n_edges; e++) {
			uint32_t v = m->edge_to[e];
			uint32_t f = s == 0 ? 0 : step(m, (uint32_t)st->fail, m->edge_byte[e]);
			m->states[v].fail = (int32_t)f;
			m->states[v].dict = m->states[f].out >= 0 ? (int32_t)f : m->states[f].dict;
		}
	}
	rc = 0;
out:
	free(queue);
	free(renum);
	free(kids);
	return rc;
}

int pq_matcher_new(const char *const *patterns, const size_t *lens, size_t n,
		   pq_matcher_t **out, char **error)
{
	pq_matcher_t *m = calloc(1, sizeof *m);
	trie_t t = {0};
	int rc = -1;

	if (m == NULL || trie_add(&t, 0) != 0)
		goto oom;
	m->next_same = malloc((n ? n : 1) * sizeof *m->next_same);
	m->lens = malloc((n ? n : 1) * sizeof *m->lens);
	if (m->next_same == NULL || m->lens == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if (lens[i] == 0) {
			strbuf_printf_new(error, "an empty string cannot be searched for");
			goto out;
		}
		uint32_t node = 0;
		for (size_t k = 0; k < lens[i]; k++) {
			uint8_t b = (uint8_t)patterns[i][k];
			uint32_t c = t.child[node];
			while (c != 0 && t.byte[c] != b)
				c = t.sibling[c];
			if (c == 0) {
				int64_t added = trie_add(&t, b);
				if (added < 0)
					goto oom;
				c = (uint32_t)added;
				t.sibling[c] = t.child[node];
				t.child[node] = c;
			}
			node = c;
		}
		m->lens[i] = lens[i];
		m->next_same[i] = t.out[node];
		t.out[node] = (int64_t)i;
	}
	if (finish(m, &t) != 0)
		goto oom;
	*out = m;
	m = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	trie_free(&t);
	pq_matcher_free(m);
	return rc;
}

void pq_matcher_free(pq_matcher_t *m)
{
	if (m == NULL)
		return;
	free(m->states);
	free(m->edge_byte);
	free(m->edge_to);
	free(m->next_same);
	free(m->lens);
	free(m);
}

int pq_matcher_run(const pq_matcher_t *m, const char *text, size_t len, pq_match_fn fn,
		   void *ctx)
{
	uint32_t s = 0;
	for (size_t i = 0; i < len; i++) {
		s = step(m, s, (uint8_t)text[i]);
		for (int64_t t = m->states[s].out >= 0 ? (int64_t)s : m->states[s].dict; t > 0;
		     t = m->states[t].dict)
			for (int64_t p = m->states[t].out; p >= 0; p = m->next_same[p]) {
				int rc = fn(ctx, (size_t)p, i + 1 - m->lens[p], i + 1);
				if (rc != 0)
					return rc;
			}
	}
	return 0;
}

typedef struct scan {
	const seg_norm_t *norm;
	size_t base;
	pq_occur_fn fn;
	void *ctx;
} scan_t;

static int on_match(void *ctx, size_t pattern, size_t start, size_t end)
{
	scan_t *sc = ctx;
	size_t s, e;
	seg_norm_source_range(sc->norm, start, end, &s, &e);
	return sc->fn(sc->ctx, pattern, start, end, sc->base + s, sc->base + e);
}

int pq_occur_scan_body(const char *text, size_t body_start, size_t body_end,
		       const pq_matcher_t *matcher, pq_occur_fn fn, void *ctx, char **error)
{
	seg_norm_t norm = {0};
	if (seg_normalize_in(text, body_end, body_start, body_end, true, &norm, error) != 0)
		return -1;
	scan_t sc = {&norm, body_start, fn, ctx};
	int rc = pq_matcher_run(matcher, norm.text, norm.len, on_match, &sc);
	seg_norm_clear(&norm);
	return rc;
}

size_t pq_occur_characters(const char *text, size_t start, size_t end)
{
	size_t n = 0;
	for (size_t i = start; i < end;) {
		int32_t c = utf8_next(text, &i, end);
		n += c >= 0 && !utf8_is_space(c);
	}
	return n;
}

size_t pq_occur_count(const char *haystack, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	if (len == 0)
		return 0;
	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += len)
		n++;
	return n;
}
