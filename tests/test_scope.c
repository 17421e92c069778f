/* test_scope.c: scopes, boolean operators, --level, --section and facets against a direct scan. */
#include "test.h"

#include "build.h"
#include "facets.h"
#include "store.h"
#include "manifest.h"
#include "normalize.h"
#include "output.h"
#include "parse.h"
#include "plan.h"
#include "search.h"
#include "tmpdir.h"
#include "tokenize.h"

#include <json-c/json.h>
#include <stdbool.h>

#define MAX_PLANS 16
#define N_SCOPES 3
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The direct scan. It knows nothing of query/: each scope's units are built here from the
 * segmenter's document of every plan, and a term matches a unit when its normalised form
 * occurs in the unit's normalised bytes.
 */
typedef struct unit {
	char id[160];
	int plan;       /* index into fx.plans */
	int section;    /* the segmenter's section index: the unit's own section */
	pq_unit_t kind; /* what the search should call it */
	size_t start, end;
	char *norm;     /* seg_normalize of the file's bytes [start,end) */
} unit_t;

typedef struct units {
	unit_t *u;
	size_t n, cap;
} units_t;

static struct {
	char *dir;
	char db[1100];
	pi_manifest_t *manifest;
	pi_plan_t *plans[MAX_PLANS];
	size_t n_plans;
	char **titles[MAX_PLANS];     /* each section's normalised title */
	int *section_unit[MAX_PLANS]; /* each section's index in units[PQ_SCOPE_SECTION] */
	units_t units[N_SCOPES];      /* by pq_scope_t */
	ps_store_t *index;
	seg_words_t *words;
} fx;

/* ---- fixture ---- */

/* The normalised form of text[start, end), malloc'd; NULL (with a message) if it fails.
 * Line breaks are read in the context of the whole text, as the index reads them. */
static char *norm_in(const char *text, size_t start, size_t end)
{
	seg_norm_t n;
	char *error = NULL;
	if (seg_normalize_in(text, strlen(text), start, end, false, &n, &error) != 0) {
		fprintf(stderr, "cannot normalise: %s\n", error);
		free(error);
		return NULL;
	}
	return n.text;
}

static char *norm_dup(const char *s, size_t len)
{
	return norm_in(s, 0, len);
}

static const char *city_of(int plan)
{
	return fx.plans[plan]->info->city_id;
}

static const seg_document_t *doc_of(int plan)
{
	return fx.plans[plan]->doc;
}

static int add_unit(pq_scope_t scope, int plan, int section, pq_unit_t kind, size_t start,
		    size_t end, const char *suffix)
{
	units_t *l = &fx.units[scope];
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		unit_t *grown = realloc(l->u, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		l->u = grown;
		l->cap = cap;
	}
	unit_t *u = &l->u[l->n];
	snprintf(u->id, sizeof u->id, "%s/%s", city_of(plan), suffix);
	u->plan = plan;
	u->section = section;
	u->kind = kind;
	u->start = start;
	u->end = end;
	u->norm = norm_in(fx.plans[plan]->text, start, end);
	if (u->norm == NULL)
		return -1;
	l->n++;
	return 0;
}

/* Clause scope: every clause of the document, a heading's own clause included. */
static int add_clause_units(int p)
{
	const seg_document_t *doc = doc_of(p);
	for (size_t c = 0; c < doc->n_clauses; c++) {
		const seg_clause_t *cl = &doc->clauses[c];
		char ref[128];
		seg_clause_ref(doc, cl, ref, sizeof ref);
		pq_unit_t kind = cl->paragraph < 0 ? PQ_UNIT_HEADING : PQ_UNIT_CLAUSE;
		if (add_unit(PQ_SCOPE_CLAUSE, p, cl->section, kind, cl->start, cl->end, ref) != 0)
			return -1;
	}
	return 0;
}

/* Paragraph scope: every paragraph, and every heading's own clause as a unit of its own. */
static int add_paragraph_units(int p)
{
	const seg_document_t *doc = doc_of(p);
	char ref[128];
	for (size_t i = 0; i < doc->n_paragraphs; i++) {
		const seg_paragraph_t *para = &doc->paragraphs[i];
		snprintf(ref, sizeof ref, "%s/p%d", doc->sections[para->section].path,
			 para->ordinal);
		if (add_unit(PQ_SCOPE_PARAGRAPH, p, para->section, PQ_UNIT_PARAGRAPH, para->start,
			     para->end, ref) != 0)
			return -1;
	}
	for (size_t s = 1; s < doc->n_sections; s++) {
		const seg_section_t *sec = &doc->sections[s];
		snprintf(ref, sizeof ref, "%s/0", sec->path);
		if (add_unit(PQ_SCOPE_PARAGRAPH, p, (int)s, PQ_UNIT_HEADING, sec->heading_start,
			     sec->heading_end, ref) != 0)
			return -1;
	}
	return 0;
}

/* Section scope: every section but the root, from its heading to the end of the last clause
 * under it; and the preamble (its first clause to its last, before the first heading) when
 * the plan has one. */
static int add_section_units(int p)
{
	const seg_document_t *doc = doc_of(p);
	size_t *end = calloc(doc->n_sections, sizeof *end);
	size_t pre_start = SIZE_MAX, pre_end = 0;
	int rc = -1;
	fx.section_unit[p] = malloc(doc->n_sections * sizeof *fx.section_unit[p]);
	if (end == NULL || fx.section_unit[p] == NULL)
		goto out;
	for (size_t c = 0; c < doc->n_clauses; c++) {
		const seg_clause_t *cl = &doc->clauses[c];
		if (cl->section == 0 && cl->start < pre_start)
			pre_start = cl->start;
		if (cl->section == 0 && cl->end > pre_end)
			pre_end = cl->end;
		for (int s = cl->section; s > 0; s = doc->sections[s].parent)
			if (cl->end > end[s])
				end[s] = cl->end;
	}
	fx.section_unit[p][0] = -1;
	if (pre_start != SIZE_MAX) {
		fx.section_unit[p][0] = (int)fx.units[PQ_SCOPE_SECTION].n;
		if (add_unit(PQ_SCOPE_SECTION, p, 0, PQ_UNIT_SECTION, pre_start, pre_end, "0") != 0)
			goto out;
	}
	for (size_t s = 1; s < doc->n_sections; s++) {
		fx.section_unit[p][s] = (int)fx.units[PQ_SCOPE_SECTION].n;
		if (add_unit(PQ_SCOPE_SECTION, p, (int)s, PQ_UNIT_SECTION,
			     doc->sections[s].heading_start, end[s], doc->sections[s].path) != 0)
			goto out;
	}
	rc = 0;
out:
	free(end);
	return rc;
}

static int build_index(void)
{
	pi_build_options_t opt = {.corpus_dir = test_env("CORPUS_DIR"), .db_dir = fx.db};
	char *error = NULL;
	if (pi_build(&opt, NULL, &error) != 0) {
		fprintf(stderr, "build failed: %s\n", error);
		free(error);
		return -1;
	}
	if (ps_store_open(fx.db, &fx.index, &error) != PS_OK) {
		fprintf(stderr, "cannot open the index: %s\n", error);
		free(error);
		return -1;
	}
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	char *error = NULL;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	if (build_index() != 0)
		return -1;
	if (seg_words_open(&fx.words, &error) != 0) {
		fprintf(stderr, "word breaker: %s\n", error);
		free(error);
		return -1;
	}
	if (pi_manifest_load(test_env("CORPUS_DIR"), &fx.manifest, &error) != 0 ||
	    fx.manifest->n_plans > MAX_PLANS) {
		fprintf(stderr, "manifest: %s\n", error ? error : "too many plans");
		free(error);
		return -1;
	}
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		if (pi_plan_load(test_env("CORPUS_DIR"), &fx.manifest->plans[p], &fx.plans[p],
				 &error) != 0) {
			fprintf(stderr, "plan: %s\n", error);
			free(error);
			return -1;
		}
		fx.n_plans++;
		const seg_document_t *doc = doc_of((int)p);
		fx.titles[p] = calloc(doc->n_sections, sizeof *fx.titles[p]);
		if (fx.titles[p] == NULL)
			return -1;
		for (size_t s = 0; s < doc->n_sections; s++) {
			const char *t = doc->sections[s].title;
			if ((fx.titles[p][s] = norm_dup(t, strlen(t))) == NULL)
				return -1;
		}
		if (add_clause_units((int)p) != 0 || add_paragraph_units((int)p) != 0 ||
		    add_section_units((int)p) != 0)
			return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	ps_store_close(fx.index);
	seg_words_close(fx.words);
	for (int s = 0; s < N_SCOPES; s++) {
		for (size_t i = 0; i < fx.units[s].n; i++)
			free(fx.units[s].u[i].norm);
		free(fx.units[s].u);
	}
	for (size_t p = 0; p < fx.n_plans; p++) {
		for (size_t s = 0; fx.titles[p] && s < fx.plans[p]->doc->n_sections; s++)
			free(fx.titles[p][s]);
		free(fx.titles[p]);
		free(fx.section_unit[p]);
		pi_plan_free(fx.plans[p]);
	}
	pi_manifest_free(fx.manifest);
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

/* ---- the scan ---- */

/* For each unit of the scope: whether the term occurs in it. Free with free(). */
static bool *scan(pq_scope_t scope, const char *term)
{
	const units_t *l = &fx.units[scope];
	char *t = norm_dup(term, strlen(term));
	bool *m = calloc(l->n + 1, sizeof *m);
	assert_non_null(t);
	assert_non_null(m);
	for (size_t i = 0; i < l->n; i++)
		m[i] = strstr(l->u[i].norm, t) != NULL;
	free(t);
	return m;
}

static size_t count_true(const bool *m, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += m[i];
	return k;
}

/* Whether the unit's section, or an ancestor other than the root, has a title holding the
 * normalised filter. */
static bool under_title(const unit_t *u, const char *filter)
{
	const seg_document_t *doc = doc_of(u->plan);
	for (int s = u->section; s > 0; s = doc->sections[s].parent)
		if (strstr(fx.titles[u->plan][s], filter) != NULL)
			return true;
	return false;
}

/* The units the search must return, given which units satisfy the query: at the level,
 * under the section filter and, at section scope without a level, only the narrowest
 * sections. Returns a malloc'd array of *n pointers. */
static const unit_t **expected_units(pq_scope_t scope, int level, const char *section,
				     const bool *match, size_t *n)
{
	const units_t *l = &fx.units[scope];
	const unit_t **out = calloc(l->n + 1, sizeof *out);
	bool *wider = calloc(l->n + 1, sizeof *wider);
	char *filter = section ? norm_dup(section, strlen(section)) : NULL;
	assert_non_null(out);
	assert_non_null(wider);
	assert_true(section == NULL || filter != NULL);
	if (scope == PQ_SCOPE_SECTION && level == 0)
		for (size_t i = 0; i < l->n; i++) {
			const unit_t *u = &l->u[i];
			if (!match[i] || u->section == 0)
				continue;
			const seg_document_t *doc = doc_of(u->plan);
			for (int s = doc->sections[u->section].parent; s > 0;
			     s = doc->sections[s].parent)
				wider[fx.section_unit[u->plan][s]] = true;
		}
	*n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const unit_t *u = &l->u[i];
		if (!match[i] || wider[i])
			continue;
		if (level > 0 && doc_of(u->plan)->sections[u->section].depth != level)
			continue;
		if (filter != NULL && !under_title(u, filter))
			continue;
		out[(*n)++] = u;
	}
	free(wider);
	free(filter);
	return out;
}

/* ---- the search ---- */

/* One request: a typed query (pq_query_parse), or terms taken literally. */
typedef struct ask {
	const char *query;
	const char *const *literals; /* used instead of query when n_literals > 0 */
	size_t n_literals;
	pq_scope_t scope;
	int level;
	const char *section;
} ask_t;

typedef struct run {
	pq_query_t *q;
	pq_request_t req;
	pq_results_t *r;
} run_t;

static void run_free(run_t *run)
{
	pq_results_free(run->r);
	pq_query_free(run->q);
}

static const char *ask_text(const ask_t *a, char *buf, size_t size)
{
	if (a->n_literals == 0)
		return a->query;
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < a->n_literals && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "", a->literals[i]);
	return buf;
}

/* Search as asked; with check_text, every candidate is checked on its text even where the
 * index alone answers (the two ways must agree). */
static run_t search_with(const ask_t *a, bool check_text)
{
	run_t run = {0};
	char *error = NULL;
	int rc = a->n_literals > 0
			 ? pq_query_from_literals(a->literals, a->n_literals, &run.q, &error)
			 : pq_query_parse(&a->query, 1, &run.q, &error);
	if (rc != 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", error);
		free(error);
		fail_msg("query '%s' is refused: %s", a->n_literals ? a->literals[0] : a->query,
			 msg);
	}
	run.req = (pq_request_t){.query = run.q, .scope = a->scope, .level = a->level,
				 .section = a->section, .check_text = check_text};
	if (pq_search(fx.index, &run.req, &run.r, &error) != 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", error);
		free(error);
		pq_query_free(run.q);
		fail_msg("search failed: %s", msg);
	}
	return run;
}

static run_t search(const ask_t *a)
{
	return search_with(a, false);
}

/* Fail unless two results list the same hits in the same order with the same scores, and
 * the same total and facets. */
static void assert_same_results(const pq_results_t *a, const pq_results_t *b, const char *what)
{
	if (a->total != b->total || a->n_hits != b->n_hits || a->offset != b->offset)
		fail_msg("%s: %zu hits of %zu from %zu against %zu of %zu from %zu", what,
			 a->n_hits, a->total, a->offset, b->n_hits, b->total, b->offset);
	for (size_t i = 0; i < a->n_hits; i++)
		if (strcmp(a->hits[i].id, b->hits[i].id) != 0 ||
		    a->hits[i].score != b->hits[i].score || a->hits[i].start != b->hits[i].start ||
		    a->hits[i].end != b->hits[i].end || a->hits[i].line != b->hits[i].line ||
		    a->hits[i].unit != b->hits[i].unit || a->hits[i].section != b->hits[i].section)
			fail_msg("%s: hit %zu is %s (score %.17g), against %s (score %.17g)", what, i,
				 a->hits[i].id, a->hits[i].score, b->hits[i].id, b->hits[i].score);
	if (a->n_facets != b->n_facets)
		fail_msg("%s: %zu facets against %zu", what, a->n_facets, b->n_facets);
	for (size_t i = 0; i < a->n_facets; i++)
		if (a->facets[i].plan != b->facets[i].plan ||
		    a->facets[i].chapter != b->facets[i].chapter ||
		    a->facets[i].count != b->facets[i].count ||
		    strcmp(a->facets[i].heading.path, b->facets[i].heading.path) != 0 ||
		    strcmp(a->facets[i].heading.number, b->facets[i].heading.number) != 0 ||
		    strcmp(a->facets[i].heading.title, b->facets[i].heading.title) != 0)
			fail_msg("%s: facet %zu is %s chapter %d: %zu, against %s chapter %d: %zu",
				 what, i, a->facets[i].plan->city_id, a->facets[i].chapter,
				 a->facets[i].count, b->facets[i].plan->city_id, b->facets[i].chapter,
				 b->facets[i].count);
}

typedef struct pair {
	const char *id;
	const void *what; /* a pq_hit_t or a unit_t */
} pair_t;

static int cmp_pair(const void *a, const void *b)
{
	return strcmp(((const pair_t *)a)->id, ((const pair_t *)b)->id);
}

/* Append up to `max` ids of a that are not in b (both sorted) to msg. */
static void list_missing(const pair_t *a, size_t na, const pair_t *b, size_t nb, size_t max,
			 char *msg, size_t size)
{
	size_t j = 0, shown = 0, len = strlen(msg);
	for (size_t i = 0; i < na && len < size; i++) {
		while (j < nb && strcmp(b[j].id, a[i].id) < 0)
			j++;
		if (j < nb && strcmp(b[j].id, a[i].id) == 0)
			continue;
		if (shown++ < max)
			len += (size_t)snprintf(msg + len, size - len, " %s", a[i].id);
	}
	if (shown > max && len < size)
		snprintf(msg + len, size - len, " (+%zu)", shown - max);
}

/* Compare the search's hits with the scan's units: the same ids, and each hit has its
 * unit's bytes, kind and section. Returns "" or a description of the difference. */
static void compare(const ask_t *a, const pq_results_t *r, const unit_t **exp, size_t n_exp,
		    char *msg, size_t size)
{
	pair_t *found = calloc(r->n_hits + 1, sizeof *found);
	pair_t *want = calloc(n_exp + 1, sizeof *want);
	char text[256];
	assert_non_null(found);
	assert_non_null(want);
	msg[0] = '\0';
	for (size_t i = 0; i < r->n_hits; i++)
		found[i] = (pair_t){r->hits[i].id, &r->hits[i]};
	for (size_t i = 0; i < n_exp; i++)
		want[i] = (pair_t){exp[i]->id, exp[i]};
	qsort(found, r->n_hits, sizeof *found, cmp_pair);
	qsort(want, n_exp, sizeof *want, cmp_pair);
	bool same = r->n_hits == n_exp;
	for (size_t i = 0; same && i < n_exp; i++)
		same = strcmp(found[i].id, want[i].id) == 0;
	int at = snprintf(msg, size, "'%s' at %s scope (level %d, section %s): ",
			  ask_text(a, text, sizeof text), pq_scope_name(a->scope), a->level,
			  a->section ? a->section : "-");
	if (!same) {
		snprintf(msg + at, size - (size_t)at,
			 "the search found %zu, the scan %zu; only the search:", r->n_hits, n_exp);
		list_missing(found, r->n_hits, want, n_exp, 6, msg, size);
		size_t len = strlen(msg);
		snprintf(msg + len, size - len, "; only the scan:");
		list_missing(want, n_exp, found, r->n_hits, 6, msg, size);
		goto out;
	}
	for (size_t i = 0; i < n_exp; i++) {
		const pq_hit_t *h = found[i].what;
		const unit_t *u = want[i].what;
		const ps_outline_t *o = NULL;
		char *error = NULL;
		if (ps_store_plan_outline(fx.index, h->plan, &o, &error) != 0) {
			snprintf(msg + at, size - (size_t)at, "no outline: %s", error);
			free(error);
			goto out;
		}
		const char *path = doc_of(u->plan)->sections[u->section].path;
		if (h->start != u->start || h->end != u->end || h->unit != u->kind ||
		    h->section < 0 || (size_t)h->section >= o->n_sections ||
		    strcmp(o->sections[h->section].path, path) != 0) {
			snprintf(msg + at, size - (size_t)at,
				 "%s is [%zu,%zu) unit %d in section %d, the scan says [%zu,%zu) "
				 "unit %d in section %s", h->id, h->start, h->end, (int)h->unit,
				 h->section, u->start, u->end, (int)u->kind, path);
			goto out;
		}
	}
	msg[0] = '\0';
out:
	free(found);
	free(want);
}

/* Search, and fail unless the hits are the units the scan expects from `match`. Returns the
 * run (the caller frees it with run_free) and the expected units in *exp_out if asked. */
static run_t check_run(const ask_t *a, const bool *match, const unit_t ***exp_out,
		       size_t *n_exp_out)
{
	size_t n_exp;
	const unit_t **exp = expected_units(a->scope, a->level, a->section, match, &n_exp);
	run_t run = search(a);
	char msg[2048];
	compare(a, run.r, exp, n_exp, msg, sizeof msg);
	if (msg[0] != '\0') {
		free(exp);
		run_free(&run);
		fail_msg("%s", msg);
	}
	/* the index's exact answer and the check of every candidate on its text agree */
	run_t checked = search_with(a, true);
	char text[256];
	snprintf(msg, sizeof msg, "'%s' at %s scope, answered by the index and checked on the "
		 "text", ask_text(a, text, sizeof text), pq_scope_name(a->scope));
	assert_same_results(run.r, checked.r, msg);
	run_free(&checked);
	if (exp_out != NULL) {
		*exp_out = exp;
		*n_exp_out = n_exp;
	} else {
		free(exp);
	}
	return run;
}

/* As check_run; returns the number of hits. */
static size_t check(const ask_t *a, const bool *match)
{
	run_t run = check_run(a, match, NULL, NULL);
	size_t n = run.r->n_hits;
	run_free(&run);
	return n;
}

/* ---- deterministic draws from the corpus ---- */

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1664525u + 1013904223u;
	return *seed >> 8;
}

/* The code point at s[*i], advancing *i (valid UTF-8 assumed: it is normalised text). */
static uint32_t next_cp(const char *s, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	if (u[0] < 0x80) {
		*i += 1;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*i += 2;
		return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
	}
	if (u[0] < 0xF0) {
		*i += 3;
		return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	}
	*i += 4;
	return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
	       (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
}

static bool is_han(uint32_t c)
{
	return c >= 0x4E00 && c <= 0x9FFF;
}

/* Picks the k-th word of two or more Han characters from ICU's words of a text. */
typedef struct word_pick {
	size_t k, seen;
	char *out;
	size_t size;
} word_pick_t;

static int on_word(void *ctx, const char *token, size_t len, size_t start, size_t end)
{
	(void)start;
	(void)end;
	word_pick_t *w = ctx;
	size_t i = 0, chars = 0;
	while (i < len) {
		if (!is_han(next_cp(token, &i)))
			return 0;
		chars++;
	}
	if (chars < 2)
		return 0;
	if (w->seen++ == w->k) {
		snprintf(w->out, w->size, "%.*s", (int)len, token);
		return 1;
	}
	return 0;
}

/* The k-th (mod their number) Han word of two or more characters in the normalised text,
 * into out. Returns false if the text has none. */
static bool han_word(const char *s, uint32_t k, char *out, size_t size)
{
	char *error = NULL;
	word_pick_t w = {.k = SIZE_MAX, .out = out, .size = size};
	if (seg_words_run(fx.words, s, strlen(s), on_word, &w, &error) != 0)
		fail_msg("word break failed: %s", error);
	if (w.seen == 0)
		return false;
	w = (word_pick_t){.k = k % w.seen, .out = out, .size = size};
	return seg_words_run(fx.words, s, strlen(s), on_word, &w, &error) == 1;
}

/* ---- tests ---- */

static const pq_scope_t all_scopes[] = {PQ_SCOPE_CLAUSE, PQ_SCOPE_PARAGRAPH,
					PQ_SCOPE_SECTION};

/* The AND of two terms: at every scope, the hits are the units holding both. */
static size_t check_pair_all_scopes(const char *a, const char *b, size_t hits[N_SCOPES])
{
	size_t total = 0;
	for (size_t k = 0; k < N_OF(all_scopes); k++) {
		pq_scope_t scope = all_scopes[k];
		bool *ma = scan(scope, a), *mb = scan(scope, b);
		for (size_t i = 0; i < fx.units[scope].n; i++)
			ma[i] = ma[i] && mb[i];
		const char *terms[] = {a, b};
		ask_t ask = {.literals = terms, .n_literals = 2, .scope = scope};
		size_t n = check(&ask, ma);
		free(ma);
		free(mb);
		hits[scope] += n;
		total += n;
	}
	return total;
}

static void test_two_term_and_equals_the_scan_at_every_scope(void **state)
{
	(void)state;
	static const char *const fixed[][2] = {
		{"双减", "作业"}, {"双减", "课后服务"}, {"课后服务", "作业"}, {"体育", "美育"},
		{"家庭", "学校"}, {"教师", "培训"},    {"质量", "提升"},
	};
	size_t hits[N_SCOPES] = {0};
	for (size_t i = 0; i < N_OF(fixed); i++)
		check_pair_all_scopes(fixed[i][0], fixed[i][1], hits);

	/* Twelve pairs drawn with a fixed seed: a word of a clause, and a word of a clause up to
	 * three away in the same plan, so that many pairs share a paragraph or a section
	 * without sharing a clause. */
	const units_t *cl = &fx.units[PQ_SCOPE_CLAUSE];
	uint32_t seed = 20240611;
	size_t drawn = 0;
	for (int attempt = 0; attempt < 1000 && drawn < 12; attempt++) {
		size_t c1 = next_random(&seed) % cl->n;
		size_t c2 = c1 + next_random(&seed) % 7;
		c2 = c2 < 3 ? c1 : c2 - 3;
		if (c2 >= cl->n || cl->u[c2].plan != cl->u[c1].plan)
			c2 = c1;
		char a[64], b[64];
		if (!han_word(cl->u[c1].norm, next_random(&seed), a, sizeof a) ||
		    !han_word(cl->u[c2].norm, next_random(&seed), b, sizeof b) ||
		    strstr(a, b) != NULL || strstr(b, a) != NULL)
			continue;
		check_pair_all_scopes(a, b, hits);
		drawn++;
	}
	assert_int_equal(drawn, 12);
	/* not vacuous: each scope found something, and wider scopes more */
	assert_true(hits[PQ_SCOPE_CLAUSE] > 0);
	assert_true(hits[PQ_SCOPE_PARAGRAPH] > hits[PQ_SCOPE_CLAUSE]);
	assert_true(hits[PQ_SCOPE_SECTION] > 0);
}

static void test_shuang_jian_and_homework_share_a_paragraph_but_no_clause(void **state)
{
	(void)state;
	const char *terms[] = {"双减", "作业"};
	size_t n[N_SCOPES];
	for (size_t k = 0; k < N_OF(all_scopes); k++) {
		pq_scope_t scope = all_scopes[k];
		bool *ma = scan(scope, terms[0]), *mb = scan(scope, terms[1]);
		for (size_t i = 0; i < fx.units[scope].n; i++)
			ma[i] = ma[i] && mb[i];
		ask_t ask = {.literals = terms, .n_literals = 2, .scope = scope};
		n[scope] = check(&ask, ma);
		free(ma);
		free(mb);
	}
	assert_int_equal(n[PQ_SCOPE_CLAUSE], 0);
	assert_true(n[PQ_SCOPE_PARAGRAPH] >= 1);
	assert_true(n[PQ_SCOPE_SECTION] >= 1);
}

/* "$a", "$b" and "$c" in tmpl replaced by the terms. */
static void expand(const char *tmpl, const char *const terms[3], char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = tmpl; *p && n + 1 < size; p++) {
		if (p[0] == '$' && p[1] >= 'a' && p[1] <= 'c') {
			n += (size_t)snprintf(out + n, size - n, "%s", terms[p[1] - 'a']);
			p++;
		} else {
			out[n++] = *p;
		}
	}
	out[n < size ? n : size - 1] = '\0';
}

static bool op_or(bool a, bool b, bool c)
{
	(void)c;
	return a || b;
}

static bool op_and(bool a, bool b, bool c)
{
	(void)c;
	return a && b;
}

static bool op_and_not(bool a, bool b, bool c)
{
	(void)c;
	return a && !b;
}

static bool op_or_then_and(bool a, bool b, bool c)
{
	return (a || b) && c;
}

static bool op_and_or(bool a, bool b, bool c)
{
	return a && (b || c);
}

static bool op_not_either(bool a, bool b, bool c)
{
	return a && !(b || c);
}

/* OR binds loosest: a OR (b AND NOT c) */
static bool op_or_looser(bool a, bool b, bool c)
{
	return a || (b && !c);
}

static bool op_xor(bool a, bool b, bool c)
{
	(void)c;
	return (a || b) && !(a && b);
}

static void test_boolean_operators_equal_set_algebra_over_the_scan(void **state)
{
	(void)state;
	static const struct {
		const char *tmpl;
		bool (*f)(bool, bool, bool);
	} ops[] = {
		{"$a OR $b", op_or},
		{"$a | $b", op_or},
		{"$a AND $b", op_and},
		{"$a -$b", op_and_not},
		{"$a NOT $b", op_and_not},
		{"-$b $a", op_and_not},
		{"($a OR $b) $c", op_or_then_and},
		{"$a ($b | $c)", op_and_or},
		{"$a NOT ($b OR $c)", op_not_either},
		{"$a -($b OR $c)", op_not_either},
		{"$a OR $b -$c", op_or_looser},
		{"($a OR $b) NOT ($a $b)", op_xor},
	};
	static const char *const triples[][3] = {
		{"双减", "课后服务", "作业"},
		{"体育", "美育", "劳动"},
		{"教师", "培训", "乡村"},
		{"学前", "普惠", "幼儿园"},
	};
	static const pq_scope_t scopes[] = {PQ_SCOPE_CLAUSE, PQ_SCOPE_PARAGRAPH};
	size_t not_hits = 0, or_hits = 0;
	for (size_t k = 0; k < N_OF(scopes); k++) {
		pq_scope_t scope = scopes[k];
		for (size_t t = 0; t < N_OF(triples); t++) {
			bool *m[3], *want = calloc(fx.units[scope].n + 1, sizeof *want);
			for (int j = 0; j < 3; j++)
				m[j] = scan(scope, triples[t][j]);
			for (size_t o = 0; o < N_OF(ops); o++) {
				char query[256];
				expand(ops[o].tmpl, triples[t], query, sizeof query);
				for (size_t i = 0; i < fx.units[scope].n; i++)
					want[i] = ops[o].f(m[0][i], m[1][i], m[2][i]);
				ask_t ask = {.query = query, .scope = scope};
				size_t n = check(&ask, want);
				if (ops[o].f == op_and_not || ops[o].f == op_not_either)
					not_hits += n;
				if (ops[o].f == op_or)
					or_hits += n;
			}
			for (int j = 0; j < 3; j++)
				free(m[j]);
			free(want);
		}
	}
	assert_true(not_hits > 0);
	assert_true(or_hits > 0);
}

/* A phrase "X Y" whose white space is in the text: found where the text has it. */
static void test_a_phrase_keeps_its_inner_space(void **state)
{
	(void)state;
	const units_t *cl = &fx.units[PQ_SCOPE_CLAUSE];
	char phrase[64] = "";
	for (size_t c = 0; c < cl->n && phrase[0] == '\0'; c++) {
		const char *s = cl->u[c].norm;
		for (const char *sp = strchr(s, ' '); sp != NULL && phrase[0] == '\0';
		     sp = strchr(sp + 1, ' ')) {
			/* the characters on either side must be Han or digits */
			size_t before = (size_t)(sp - s), i = before + 1, b0 = before;
			while (b0 > 0 && ((unsigned char)s[b0 - 1] & 0xC0) == 0x80)
				b0--;
			if (b0 == 0)
				continue;
			b0--; /* the lead byte of the character before the space */
			size_t j = b0;
			uint32_t left = next_cp(s, &j);
			if (s[i] == '\0')
				continue;
			size_t e = i;
			uint32_t right = next_cp(s, &e);
			bool ok_l = is_han(left) || (left >= '0' && left <= '9');
			bool ok_r = is_han(right) || (right >= '0' && right <= '9');
			if (ok_l && ok_r)
				snprintf(phrase, sizeof phrase, "%.*s", (int)(e - b0), s + b0);
		}
	}
	if (phrase[0] == '\0')
		return; /* the corpus has no such space: nothing to test */
	char quoted[80], spaced[80];
	snprintf(quoted, sizeof quoted, "\"%s\"", phrase);
	/* the same phrase typed with an ideographic space, which normalises to a space */
	char *sp = strchr(phrase, ' ');
	snprintf(spaced, sizeof spaced, "\"%.*s\u3000%s\"", (int)(sp - phrase), phrase, sp + 1);
	static const pq_scope_t scopes[] = {PQ_SCOPE_CLAUSE, PQ_SCOPE_PARAGRAPH};
	for (size_t k = 0; k < N_OF(scopes); k++) {
		bool *m = scan(scopes[k], phrase);
		assert_true(count_true(m, fx.units[scopes[k]].n) >= 1);
		ask_t ask = {.query = quoted, .scope = scopes[k]};
		check(&ask, m);
		ask.query = spaced;
		check(&ask, m);
		free(m);
	}
}

static void test_level_and_section_filters_equal_the_scan(void **state)
{
	(void)state;
	static const struct {
		pq_scope_t scope;
		int level;
		const char *section;
	} cases[] = {
		{PQ_SCOPE_CLAUSE, 2, NULL},         {PQ_SCOPE_CLAUSE, 1, NULL},
		{PQ_SCOPE_CLAUSE, 3, NULL},         {PQ_SCOPE_PARAGRAPH, 2, NULL},
		{PQ_SCOPE_SECTION, 1, NULL},        {PQ_SCOPE_SECTION, 2, NULL},
		{PQ_SCOPE_CLAUSE, 0, "主要任务"},   {PQ_SCOPE_CLAUSE, 0, "保障措施"},
		{PQ_SCOPE_PARAGRAPH, 0, "主要任务"}, {PQ_SCOPE_PARAGRAPH, 0, "保障措施"},
		{PQ_SCOPE_SECTION, 0, "主要任务"},  {PQ_SCOPE_SECTION, 0, "保障措施"},
		{PQ_SCOPE_CLAUSE, 2, "主要任务"},   {PQ_SCOPE_SECTION, 2, "保障措施"},
	};
	static const char *const queries[] = {"教育", "双减", "教师 培训", "体育 OR 美育"};
	size_t filtered = 0;
	for (size_t c = 0; c < N_OF(cases); c++) {
		pq_scope_t scope = cases[c].scope;
		bool *edu = scan(scope, "教育"), *sj = scan(scope, "双减");
		bool *t1 = scan(scope, "教师"), *t2 = scan(scope, "培训");
		bool *p1 = scan(scope, "体育"), *p2 = scan(scope, "美育");
		bool *want = calloc(fx.units[scope].n + 1, sizeof *want);
		for (size_t q = 0; q < N_OF(queries); q++) {
			for (size_t i = 0; i < fx.units[scope].n; i++)
				want[i] = q == 0 ? edu[i]
					  : q == 1 ? sj[i]
					  : q == 2 ? t1[i] && t2[i]
						   : p1[i] || p2[i];
			ask_t ask = {.query = queries[q], .scope = scope, .level = cases[c].level,
				     .section = cases[c].section};
			filtered += check(&ask, want);
		}
		free(edu);
		free(sj);
		free(t1);
		free(t2);
		free(p1);
		free(p2);
		free(want);
	}
	assert_true(filtered > 0);
}

/* The scan's count of hits per top-level section (index 0: the root), for one plan. */
static size_t *chapter_counts(int plan, const unit_t **exp, size_t n_exp, size_t *n_out)
{
	const seg_document_t *doc = doc_of(plan);
	size_t *per = calloc(doc->n_sections, sizeof *per);
	size_t *out = calloc(doc->n_sections, sizeof *out);
	assert_non_null(per);
	assert_non_null(out);
	for (size_t i = 0; i < n_exp; i++) {
		if (exp[i]->plan != plan)
			continue;
		int s = exp[i]->section;
		while (s > 0 && doc->sections[s].parent > 0)
			s = doc->sections[s].parent;
		per[s]++;
	}
	*n_out = 0;
	for (size_t s = 0; s < doc->n_sections; s++)
		if (per[s] > 0)
			out[(*n_out)++] = per[s];
	free(per);
	return out;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static long long get_int(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		fail_msg("no integer \"%s\" in the JSON", key);
	return (long long)json_object_get_int64(v);
}

/* Search for the page [offset, offset+limit), write it as JSON and check its facets against the scan's hits. */
static void check_facets(run_t *run, const char *query, const unit_t **exp, size_t n_exp,
			 size_t offset, size_t limit)
{
	char *buf = NULL, *error = NULL;
	size_t size = 0;
	pq_request_t req = run->req;
	pq_results_t *r = NULL;
	req.page = true;
	req.offset = offset;
	req.limit = limit;
	if (pq_search(fx.index, &req, &r, &error) != 0)
		fail_msg("search failed: %s", error);
	/* the page is that slice of the whole ranked list */
	assert_int_equal(r->total, run->r->n_hits);
	for (size_t i = 0; i < r->n_hits; i++)
		assert_string_equal(r->hits[i].id, run->r->hits[offset + i].id);
	FILE *out = open_memstream(&buf, &size);
	assert_non_null(out);
	pq_output_options_t opt = {.format = PQ_FORMAT_JSON, .request = &req, .query = query};
	int rc = pq_output_write(out, fx.index, r, &opt, &error);
	fclose(out);
	pq_results_free(r);
	if (rc != 0) {
		free(buf);
		fail_msg("output failed: %s", error);
	}
	json_object *root = json_tokener_parse(buf), *facets, *city, *chapter;
	free(buf);
	assert_non_null(root);
	assert_int_equal(get_int(root, "total"), n_exp);
	assert_int_equal(get_int(root, "offset"), offset);
	json_object *hits;
	assert_true(json_object_object_get_ex(root, "hits", &hits));
	size_t page = offset >= n_exp ? 0 : n_exp - offset < limit ? n_exp - offset : limit;
	assert_int_equal(json_object_array_length(hits), page);
	assert_true(json_object_object_get_ex(root, "facets", &facets));
	assert_true(json_object_object_get_ex(facets, "city", &city));
	assert_true(json_object_object_get_ex(facets, "chapter", &chapter));
	long long sum = 0;
	json_object_object_foreach(city, city_name, value) {
		(void)city_name;
		sum += json_object_get_int64(value);
	}
	if (sum != (long long)n_exp)
		fail_msg("'%s': the city facets add up to %lld, the total is %zu", query, sum,
			 n_exp);
	for (size_t p = 0; p < fx.n_plans; p++) {
		const char *name = fx.plans[p]->info->city;
		size_t want = 0;
		for (size_t i = 0; i < n_exp; i++)
			want += exp[i]->plan == (int)p;
		json_object *v, *chapters;
		assert_true(json_object_object_get_ex(city, name, &v));
		if (json_object_get_int64(v) != (long long)want)
			fail_msg("'%s': the facet of %s is %lld, the scan finds %zu", query, name,
				 (long long)json_object_get_int64(v), want);
		if (!json_object_object_get_ex(chapter, name, &chapters)) {
			assert_int_equal(want, 0); /* a city without hits may have no chapters */
			continue;
		}
		/* the chapter counts are the scan's counts per top-level section */
		size_t n_want, n_got = 0, got_sum = 0;
		size_t *wanted = chapter_counts((int)p, exp, n_exp, &n_want);
		size_t *got = calloc((size_t)json_object_object_length(chapters) + 1, sizeof *got);
		json_object_object_foreach(chapters, label, count) {
			(void)label;
			got[n_got] = (size_t)json_object_get_int64(count);
			got_sum += got[n_got++];
		}
		qsort(wanted, n_want, sizeof *wanted, cmp_size);
		qsort(got, n_got, sizeof *got, cmp_size);
		bool same = n_got == n_want;
		for (size_t i = 0; same && i < n_want; i++)
			same = got[i] == wanted[i];
		free(wanted);
		free(got);
		if (got_sum != want)
			fail_msg("'%s': the chapter facets of %s add up to %zu, its hits are %zu",
				 query, name, got_sum, want);
		if (!same)
			fail_msg("'%s': %s has %zu chapter facets, the scan's hits fall in %zu "
				 "chapters (or the counts differ)", query, name, n_got, n_want);
	}
	json_object_put(root);
}

static void test_facets_count_every_hit_not_just_the_page(void **state)
{
	(void)state;
	static const struct {
		const char *query;
		pq_scope_t scope;
		int level;
	} cases[] = {
		{"教育", PQ_SCOPE_CLAUSE, 0},       {"双减 OR 课后服务", PQ_SCOPE_PARAGRAPH, 0},
		{"教师 培训", PQ_SCOPE_SECTION, 0}, {"学生 -教师", PQ_SCOPE_PARAGRAPH, 0},
		{"发展", PQ_SCOPE_SECTION, 1},      {"规划", PQ_SCOPE_SECTION, 0},
	};
	for (size_t c = 0; c < N_OF(cases); c++) {
		pq_scope_t scope = cases[c].scope;
		bool *want;
		if (strcmp(cases[c].query, "双减 OR 课后服务") == 0) {
			bool *b = scan(scope, "课后服务");
			want = scan(scope, "双减");
			for (size_t i = 0; i < fx.units[scope].n; i++)
				want[i] = want[i] || b[i];
			free(b);
		} else if (strcmp(cases[c].query, "教师 培训") == 0) {
			bool *b = scan(scope, "培训");
			want = scan(scope, "教师");
			for (size_t i = 0; i < fx.units[scope].n; i++)
				want[i] = want[i] && b[i];
			free(b);
		} else if (strcmp(cases[c].query, "学生 -教师") == 0) {
			bool *b = scan(scope, "教师");
			want = scan(scope, "学生");
			for (size_t i = 0; i < fx.units[scope].n; i++)
				want[i] = want[i] && !b[i];
			free(b);
		} else {
			want = scan(scope, cases[c].query);
		}
		ask_t ask = {.query = cases[c].query, .scope = scope, .level = cases[c].level};
		const unit_t **exp;
		size_t n_exp;
		run_t run = check_run(&ask, want, &exp, &n_exp);
		free(want);
		assert_true(n_exp >= 2);
		check_facets(&run, cases[c].query, exp, n_exp, 0, SIZE_MAX);
		check_facets(&run, cases[c].query, exp, n_exp, 1, 1);
		free(exp);
		run_free(&run);
	}
}

/* Terms that run across a clause boundary inside a paragraph: the end of one clause and the
 * start of the next. Found at paragraph (and section) scope, never at clause scope. */
static void check_crossing(const char *term)
{
	size_t n[N_SCOPES];
	for (size_t k = 0; k < N_OF(all_scopes); k++) {
		bool *m = scan(all_scopes[k], term);
		ask_t ask = {.query = term, .scope = all_scopes[k]};
		n[all_scopes[k]] = count_true(m, fx.units[all_scopes[k]].n);
		check(&ask, m);
		free(m);
	}
	assert_int_equal(n[PQ_SCOPE_CLAUSE], 0);
	if (n[PQ_SCOPE_PARAGRAPH] < 1)
		fail_msg("the scan finds '%s' in no paragraph", term);
}

/* The first place in plan p where a clause ending with `tail` (bytes) is followed directly
 * by another clause of the same paragraph: the tail and the next clause's first two
 * characters, normalised, into out. Returns false if there is none. */
static bool find_crossing(int p, const char *tail, char *out, size_t size)
{
	const seg_document_t *doc = doc_of(p);
	const char *text = fx.plans[p]->text;
	size_t tl = strlen(tail);
	for (size_t c = 0; c + 1 < doc->n_clauses; c++) {
		const seg_clause_t *a = &doc->clauses[c], *b = &doc->clauses[c + 1];
		if (a->paragraph < 0 || a->paragraph != b->paragraph || a->end != b->start ||
		    a->end - a->start <= tl || memcmp(text + a->end - tl, tail, tl) != 0)
			continue;
		size_t e = b->start;
		bool ok = true;
		for (int k = 0; k < 2 && ok; k++) {
			if (e >= b->end) {
				ok = false;
				break;
			}
			ok = is_han(next_cp(text, &e));
		}
		if (!ok)
			continue;
		char *n = norm_dup(text + a->end - tl, e - (a->end - tl));
		assert_non_null(n);
		snprintf(out, size, "%s", n);
		free(n);
		return true;
	}
	return false;
}

static void test_a_term_across_clauses_is_found_in_their_paragraph_only(void **state)
{
	(void)state;
	size_t tested = 0;
	for (size_t p = 0; p < fx.n_plans; p++) {
		char term[64];
		if (find_crossing((int)p, "。", term, sizeof term)) {
			check_crossing(term);
			tested++;
		}
		/* and after a closing quote or bracket that ends the clause with its 。 */
		if (find_crossing((int)p, "。”", term, sizeof term) ||
		    find_crossing((int)p, "；", term, sizeof term)) {
			check_crossing(term);
			tested++;
		}
	}
	assert_true(tested >= 1);
}

/* The first run-in heading of plan p whose text follows its heading clause directly: the
 * heading clause's last two characters and the text's first two, normalised, into out. */
static bool find_run_in(int p, char *out, size_t size)
{
	const seg_document_t *doc = doc_of(p);
	const char *text = fx.plans[p]->text;
	for (size_t c = 0; c + 1 < doc->n_clauses; c++) {
		const seg_clause_t *a = &doc->clauses[c], *b = &doc->clauses[c + 1];
		if (a->paragraph >= 0 || b->paragraph < 0 || a->end != b->start)
			continue;
		size_t from = a->end;
		for (int k = 0; k < 2 && from > a->start; k++)
			do
				from--;
			while (from > a->start && ((unsigned char)text[from] & 0xC0) == 0x80);
		size_t e = b->start;
		bool ok = true;
		for (int k = 0; k < 2 && ok; k++)
			ok = e < b->end && is_han(next_cp(text, &e));
		if (!ok)
			continue;
		char *n = norm_dup(text + from, e - from);
		assert_non_null(n);
		snprintf(out, size, "%s", n);
		free(n);
		return true;
	}
	return false;
}

static void test_a_term_across_a_run_in_heading_is_found_in_its_section_only(void **state)
{
	(void)state;
	size_t tested = 0;
	for (size_t p = 0; p < fx.n_plans; p++) {
		char term[64];
		if (!find_run_in((int)p, term, sizeof term))
			continue;
		size_t n[N_SCOPES];
		for (size_t k = 0; k < N_OF(all_scopes); k++) {
			bool *m = scan(all_scopes[k], term);
			ask_t ask = {.query = term, .scope = all_scopes[k]};
			n[all_scopes[k]] = count_true(m, fx.units[all_scopes[k]].n);
			check(&ask, m);
			free(m);
		}
		assert_int_equal(n[PQ_SCOPE_CLAUSE], 0);
		assert_int_equal(n[PQ_SCOPE_PARAGRAPH], 0);
		if (n[PQ_SCOPE_SECTION] < 1)
			fail_msg("the scan finds '%s' in no section", term);
		tested++;
	}
	if (tested == 0)
		skip(); /* no plan has a run-in heading */
}

static void test_the_preamble_is_a_section_unit_of_its_own(void **state)
{
	(void)state;
	size_t tested = 0;
	for (size_t p = 0; p < fx.n_plans; p++) {
		int u = fx.section_unit[p][0];
		char word[64];
		if (u < 0 || !han_word(fx.units[PQ_SCOPE_SECTION].u[u].norm, 0, word, sizeof word))
			continue;
		const unit_t *preamble = &fx.units[PQ_SCOPE_SECTION].u[u];
		bool *m = scan(PQ_SCOPE_SECTION, word);
		ask_t ask = {.query = word, .scope = PQ_SCOPE_SECTION};
		const unit_t **exp;
		size_t n_exp;
		bool found = false;
		run_t run = check_run(&ask, m, &exp, &n_exp);
		for (size_t i = 0; i < n_exp; i++)
			found |= exp[i] == preamble;
		free(exp);
		run_free(&run);
		if (!found)
			fail_msg("'%s' is not found in the preamble %s", word, preamble->id);
		ask.level = 1; /* then the units are the chapters: no preamble */
		check(&ask, m);
		free(m);
		tested++;
	}
	if (tested == 0)
		skip(); /* no plan has a preamble */
}

/* The characters of a clause as byte offsets: starts[i] is the i-th character's. Returns how
 * many, up to max. */
static size_t char_starts(const char *s, size_t *starts, size_t max)
{
	size_t n = 0, i = 0, len = strlen(s);
	while (i < len && n < max) {
		starts[n++] = i;
		next_cp(s, &i);
	}
	return n;
}

/* A lone term of three or four characters is settled plan by plan from the index's counts
 * (where a plan's candidates number its clauses holding the term, none is read); its hits,
 * total and facets stay those of the scan and of checking every candidate. Drawn both as
 * words of the text and as strings whose bigrams a clause holds apart ("AB…BC" gives ABC),
 * so that many plans hold false candidates next to true ones. */
static void test_a_lone_counted_term_is_settled_without_changing_its_hits(void **state)
{
	(void)state;
	const units_t *cl = &fx.units[PQ_SCOPE_CLAUSE];
	uint32_t seed = 20261130;
	size_t words = 0, spliced = 0, with_false = 0, hits = 0;
	for (int attempt = 0; attempt < 4000 && (words < 10 || spliced < 10); attempt++) {
		const char *s = cl->u[next_random(&seed) % cl->n].norm;
		size_t at[512];
		size_t n = char_starts(s, at, N_OF(at) - 1);
		if (n < 4)
			continue;
		at[n] = strlen(s);
		char term[32];
		bool splice = words >= 10 || attempt % 2 == 1;
		if (!splice) { /* three or four characters as printed */
			size_t k = 3 + next_random(&seed) % 2, i = next_random(&seed) % (n - k + 1);
			snprintf(term, sizeof term, "%.*s", (int)(at[i + k] - at[i]), s + at[i]);
		} else { /* A B at i, the same B again at j, then C: ABC */
			size_t i = next_random(&seed) % (n - 1), j = i + 2;
			size_t blen = at[i + 2] - at[i + 1];
			while (j + 1 < n && !(at[j + 1] - at[j] == blen &&
					      memcmp(s + at[j], s + at[i + 1], blen) == 0))
				j++;
			if (j + 1 >= n)
				continue;
			snprintf(term, sizeof term, "%.*s%.*s", (int)(at[i + 2] - at[i]), s + at[i],
				 (int)(at[j + 2] - at[j + 1]), s + at[j + 1]);
		}
		size_t chars = 0, b = 0;
		bool han = true;
		while (term[b] != '\0') {
			han &= is_han(next_cp(term, &b));
			chars++;
		}
		if (!han || chars < 3)
			continue;
		bool *m = scan(PQ_SCOPE_CLAUSE, term);
		/* the clauses holding every bigram of the term: its candidates */
		size_t n_held = 0, n_candidates = 0;
		bool *cand = calloc(cl->n + 1, sizeof *cand);
		assert_non_null(cand);
		for (size_t u = 0; u < cl->n; u++)
			cand[u] = true;
		b = 0;
		for (size_t c = 0; c + 1 < chars; c++) {
			size_t from = b, mid;
			next_cp(term, &b);
			mid = b;
			next_cp(term, &mid);
			char bigram[16];
			snprintf(bigram, sizeof bigram, "%.*s", (int)(mid - from), term + from);
			bool *mb = scan(PQ_SCOPE_CLAUSE, bigram);
			for (size_t u = 0; u < cl->n; u++)
				cand[u] = cand[u] && mb[u];
			free(mb);
		}
		for (size_t u = 0; u < cl->n; u++) {
			n_held += m[u];
			n_candidates += cand[u];
		}
		free(cand);
		if (n_candidates > n_held && n_held > 0)
			with_false++;
		ask_t ask = {.query = term, .scope = PQ_SCOPE_CLAUSE};
		hits += check(&ask, m);
		free(m);
		if (splice)
			spliced++;
		else
			words++;
	}
	assert_int_equal(words, 10);
	assert_int_equal(spliced, 10);
	assert_true(hits > 0);
	assert_true(with_false > 0); /* not vacuous: some terms had false candidates and hits */
}

static void test_the_facet_of_every_clause_is_found_from_any_hint(void **state)
{
	(void)state;
	/* every chapter of the five plans holds a clause: each is seen once */
	assert_int_equal(assert_facet_of_finds_every_clause(fx.index), ps_store_n_facets(fx.index));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_term_and_equals_the_scan_at_every_scope),
		cmocka_unit_test(test_shuang_jian_and_homework_share_a_paragraph_but_no_clause),
		cmocka_unit_test(test_boolean_operators_equal_set_algebra_over_the_scan),
		cmocka_unit_test(test_a_phrase_keeps_its_inner_space),
		cmocka_unit_test(test_level_and_section_filters_equal_the_scan),
		cmocka_unit_test(test_facets_count_every_hit_not_just_the_page),
		cmocka_unit_test(test_a_term_across_clauses_is_found_in_their_paragraph_only),
		cmocka_unit_test(test_a_term_across_a_run_in_heading_is_found_in_its_section_only),
		cmocka_unit_test(test_the_preamble_is_a_section_unit_of_its_own),
		cmocka_unit_test(test_a_lone_counted_term_is_settled_without_changing_its_hits),
		cmocka_unit_test(test_the_facet_of_every_clause_is_found_from_any_hint),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
