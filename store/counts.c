/* counts.c: an n-gram's per-plan counts, from the counts database's two posting lists. */
#include "counts.h"

#include "format.h"
#include "internal.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

bool ps_counts_cover(const char *norm, size_t len)
{
	size_t chars = 0;
	for (size_t i = 0; i < len;) {
		int32_t c = utf8_next(norm, &i, len);
		if (c < 0 || c == ' ' || c == '\n' || ++chars > PS_MAX_COUNTED_GRAM)
			return false;
	}
	return chars > 0;
}

/* One counts document's figures for the n-gram (a plan counted in batches has several). */
typedef struct tally {
	unsigned docid;
	const ps_plan_t *plan;
	size_t occurrences, passages;
	bool passages_given; /* a P posting said how many clauses; else as many as places */
} tally_t;

typedef struct gather {
	ps_store_t *store;
	tally_t *items;
	size_t n, cap;
	size_t next; /* P postings: the tally to look at first */
	int failed;
} gather_t;

static int on_count(void *ctx, unsigned docid, unsigned wdf)
{
	gather_t *g = ctx;
	const ps_plan_t *plan = ps_store_plan_of_counts(g->store, docid);
	if (plan == NULL)
		return 0;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		tally_t *t = realloc(g->items, cap * sizeof *t);
		if (t == NULL) {
			g->failed = 1;
			return 1;
		}
		g->items = t;
		g->cap = cap;
	}
	g->items[g->n++] = (tally_t){docid, plan, wdf, 0, false};
	return 0;
}

static int on_passages(void *ctx, unsigned docid, unsigned wdf)
{
	gather_t *g = ctx;
	/* both lists run in document order: the tallies are met in order too */
	while (g->next < g->n && g->items[g->next].docid < docid)
		g->next++;
	if (g->next < g->n && g->items[g->next].docid == docid) {
		g->items[g->next].passages = wdf;
		g->items[g->next].passages_given = true;
	}
	return 0;
}

int ps_store_count(ps_store_t *s, const char *norm, size_t len, ps_count_fn fn, void *ctx,
		   char **error)
{
	char term[1 + 4 * PS_MAX_COUNTED_GRAM + 1];
	gather_t g = {.store = s};
	int rc = -1;
	xw_db_t *db = ps_store_counts_db(s, error);
	if (db == NULL)
		return -1;
	if (len + 1 >= sizeof term) {
		strbuf_printf_new(error, "an n-gram of %zu bytes is not counted", len);
		return -1;
	}
	memcpy(term + 1, norm, len);
	term[0] = PS_PREFIX_COUNT[0];
	if (xw_db_postings(db, term, len + 1, on_count, &g) != XW_OK)
		goto xapian;
	term[0] = PS_PREFIX_PASSAGES[0];
	if (!g.failed && xw_db_postings(db, term, len + 1, on_passages, &g) != XW_OK)
		goto xapian;
	if (g.failed) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	rc = 0;
	for (size_t i = 0; i < g.n && rc == 0;) { /* a plan's documents, added up */
		const ps_plan_t *plan = g.items[i].plan;
		size_t occurrences = 0, passages = 0;
		for (; i < g.n && g.items[i].plan == plan; i++) {
			occurrences += g.items[i].occurrences;
			passages += g.items[i].passages_given ? g.items[i].passages
							      : g.items[i].occurrences;
		}
		rc = fn(ctx, plan, occurrences, passages);
	}
	goto out;
xapian:
	strbuf_printf_new(error, "cannot read the index's n-gram counts: %s", xw_db_last_error(db));
out:
	free(g.items);
	return rc;
}
