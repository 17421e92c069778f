/* test_freq.c: policy-query freq against a direct scan of the corpus, every format read back. */
#include "test.h"

#include "build.h"
#include "csvtab.h"
#include "freq.h"
#include "freq_format.h"
#include "store.h"
#include "manifest.h"
#include "normalize.h"
#include "occur.h"
#include "parse.h"
#include "plan.h"
#include "run.h"
#include "search.h"
#include "tmpdir.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PLANS 16
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define N_DRAWN 300

/*
 * The direct scan knows nothing of query/: each plan is read from corpus/ and parsed by
 * the segmenter; a group's text is normalised on its own and its occurrences counted with
 * a plain strstr loop.
 */
typedef struct group {
	char id[200]; /* "dalian" or "dalian/3" */
	int plan;
	size_t start, end;
	char *norm;
	size_t characters;
} group_t;

typedef struct groups {
	group_t *g;
	size_t n;
} groups_t;

static struct {
	char *dir;
	char db[1024];
	ps_store_t *index;
	pi_manifest_t *manifest;
	pi_plan_t *plans[MAX_PLANS];
	size_t n_plans;
	groups_t by[4]; /* pq_group_by_t */
	char **terms;   /* drawn from the corpus, plus fixed cases */
	size_t n_terms;
} fx;

/* ---- the scan ---- */

static size_t scan_count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
		n++;
	return n;
}

static char *norm_range(const char *text, size_t start, size_t end)
{
	seg_norm_t n;
	char *error = NULL;
	/* in the context of the whole text, as the index reads line breaks (normalize.h) */
	if (seg_normalize_in(text, strlen(text), start, end, false, &n, &error) != 0) {
		fprintf(stderr, "normalise: %s\n", error);
		free(error);
		return NULL;
	}
	return n.text;
}

static size_t scan_characters(const char *text, size_t start, size_t end)
{
	size_t n = 0;
	for (size_t i = start; i < end;) {
		int32_t c = utf8_next(text, &i, end);
		n += !utf8_is_space(c);
	}
	return n;
}

static int add_group(groups_t *gs, int plan, const char *id, size_t start, size_t end,
		     bool keep_empty)
{
	const pi_plan_t *p = fx.plans[plan];
	size_t chars = scan_characters(p->text, start, end);
	if (!keep_empty && chars == 0)
		return 0;
	group_t *g = realloc(gs->g, (gs->n + 1) * sizeof *g);
	if (g == NULL)
		return -1;
	gs->g = g;
	g = &gs->g[gs->n++];
	snprintf(g->id, sizeof g->id, "%s", id);
	g->plan = plan;
	g->start = start;
	g->end = end;
	g->characters = chars;
	g->norm = norm_range(p->text, start, end);
	return g->norm ? 0 : -1;
}

/* Each plan's body cut at its headings, as the segmenter found them. */
static int make_groups(int plan)
{
	const pi_plan_t *p = fx.plans[plan];
	const seg_document_t *d = p->doc;
	const char *city = p->info->city_id;
	char id[200];
	if (add_group(&fx.by[PQ_BY_CITY], plan, city, p->body_start, p->body_end, true) != 0 ||
	    add_group(&fx.by[PQ_BY_DOCUMENT], plan, city, p->body_start, p->body_end, true) != 0)
		return -1;
	for (size_t i = 0; i < d->n_sections; i++) {
		size_t start = i == 0 ? p->body_start : d->sections[i].heading_start;
		size_t end = i + 1 < d->n_sections ? d->sections[i + 1].heading_start : p->body_end;
		snprintf(id, sizeof id, "%s/%s", city, d->sections[i].path);
		if (add_group(&fx.by[PQ_BY_SECTION], plan, id, start, end, i > 0) != 0)
			return -1;
		if (i > 0 && d->sections[i].depth != 1)
			continue;
		/* a chapter runs to the next top-level heading; the preamble to the first */
		for (size_t k = i + 1; k < d->n_sections && i > 0; k++)
			if (d->sections[k].depth == 1) {
				end = d->sections[k].heading_start;
				break;
			} else if (k + 1 == d->n_sections) {
				end = p->body_end;
			}
		if (add_group(&fx.by[PQ_BY_CHAPTER], plan, id, start, end, i > 0) != 0)
			return -1;
	}
	return 0;
}

/* ---- drawing terms ---- */

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) & 0xFFFFFF;
}

/* A term the query language reads as itself: one positive term, no operator characters. */
static bool plain_term(const char *s)
{
	if (*s == '\0' || *s == '-' || strpbrk(s, "\"()|#") != NULL || strcmp(s, "OR") == 0 ||
	    strcmp(s, "AND") == 0 || strcmp(s, "NOT") == 0)
		return false;
	for (size_t i = 0, n = strlen(s); i < n;)
		if (utf8_is_space(utf8_next(s, &i, n)))
			return false;
	pq_query_t *q = NULL;
	char *error = NULL;
	const char *args[] = {s};
	bool ok = pq_query_parse(args, 1, &q, &error) == 0 && q->n_terms == 1 &&
		  q->root->kind == PQ_NODE_TERM;
	pq_query_free(q);
	free(error);
	return ok;
}

static int add_term(const char *s, size_t len)
{
	char *t = strndup(s, len);
	if (t == NULL)
		return -1;
	for (size_t i = 0; i < fx.n_terms; i++)
		if (strcmp(fx.terms[i], t) == 0 || !plain_term(t)) {
			free(t);
			return 0;
		}
	if (!plain_term(t)) {
		free(t);
		return 0;
	}
	char **grown = realloc(fx.terms, (fx.n_terms + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	fx.terms = grown;
	fx.terms[fx.n_terms++] = t;
	return 0;
}

static int draw_terms(void)
{
	static const char *const fixed[] = {"，", "。", "“双减”", "1+X", "85%", "（六）", "、",
					    "２０２５", "Ｇ", "学校学校", "的", "教育",
					    "00", "**"};
	uint32_t seed = 20261123;
	for (size_t i = 0; i < N_OF(fixed); i++)
		if (add_term(fixed[i], strlen(fixed[i])) != 0)
			return -1;
	for (int tries = 0; fx.n_terms < N_DRAWN && tries < 100000; tries++) {
		const pi_plan_t *p = fx.plans[next_random(&seed) % fx.n_plans];
		const seg_clause_t *c = &p->doc->clauses[next_random(&seed) % p->doc->n_clauses];
		size_t at = c->start, skip = next_random(&seed) % 30;
		size_t n = 1 + next_random(&seed) % 6;
		for (size_t k = 0; k < skip && at < c->end; k++)
			utf8_next(p->text, &at, c->end);
		size_t end = at;
		for (size_t k = 0; k < n && end < c->end; k++)
			utf8_next(p->text, &end, c->end);
		if (end > at && add_term(p->text + at, end - at) != 0)
			return -1;
	}
	/* terms that run across a clause boundary: the end of one clause, the next's start */
	for (size_t p = 0; p < fx.n_plans; p++) {
		const seg_document_t *d = fx.plans[p]->doc;
		const char *text = fx.plans[p]->text;
		for (size_t c = 0, added = 0; c + 1 < d->n_clauses && added < 6; c++) {
			if (d->clauses[c].end != d->clauses[c + 1].start || c % 7 != 3)
				continue;
			size_t s = d->clauses[c].end, e = s;
			for (int k = 0; k < 2; k++) {
				utf8_prev(text, d->clauses[c].start, &s);
				utf8_next(text, &e, d->clauses[c + 1].end);
			}
			size_t before = fx.n_terms;
			if (add_term(text + s, e - s) != 0)
				return -1;
			added += fx.n_terms > before;
		}
	}
	return 0;
}

/* ---- fixture ---- */

static int group_setup(void **state)
{
	(void)state;
	char *error = NULL;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	pi_build_options_t opt = {.corpus_dir = test_env("CORPUS_DIR"), .db_dir = fx.db};
	if (pi_build(&opt, NULL, &error) != 0 ||
	    ps_store_open(fx.db, &fx.index, &error) != PS_OK ||
	    pi_manifest_load(test_env("CORPUS_DIR"), &fx.manifest, &error) != 0) {
		fprintf(stderr, "setup: %s\n", error);
		free(error);
		return -1;
	}
	for (size_t p = 0; p < fx.manifest->n_plans && p < MAX_PLANS; p++) {
		if (pi_plan_load(test_env("CORPUS_DIR"), &fx.manifest->plans[p], &fx.plans[p],
				 &error) != 0) {
			fprintf(stderr, "plan: %s\n", error);
			free(error);
			return -1;
		}
		fx.n_plans++;
		if (make_groups((int)p) != 0)
			return -1;
	}
	return draw_terms();
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t b = 0; b < 4; b++) {
		for (size_t i = 0; i < fx.by[b].n; i++)
			free(fx.by[b].g[i].norm);
		free(fx.by[b].g);
	}
	for (size_t i = 0; i < fx.n_terms; i++)
		free(fx.terms[i]);
	free(fx.terms);
	for (size_t p = 0; p < fx.n_plans; p++)
		pi_plan_free(fx.plans[p]);
	pi_manifest_free(fx.manifest);
	ps_store_close(fx.index);
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

/* ---- running freq as a library ---- */

typedef struct table {
	pq_query_t **queries;
	size_t n;
	pq_freq_t *freq;
} table_t;

static table_t count(const char *const *terms, size_t n, pq_group_by_t by, pq_scope_t scope,
		     const ps_plan_t *const *cities, size_t n_cities)
{
	table_t t = {calloc(n, sizeof *t.queries), n, NULL};
	char *error = NULL;
	assert_non_null(t.queries);
	for (size_t i = 0; i < n; i++) {
		const char *args[] = {terms[i]};
		if (pq_query_parse(args, 1, &t.queries[i], &error) != 0)
			fail_msg("query '%s': %s", terms[i], error);
	}
	pq_freq_request_t req = {.queries = (const pq_query_t *const *)t.queries, .n_queries = n,
				 .by = by, .scope = scope, .cities = cities, .n_cities = n_cities};
	if (pq_freq_run(fx.index, &req, &t.freq, &error) != 0)
		fail_msg("freq: %s", error);
	return t;
}

static void table_free(table_t *t)
{
	for (size_t i = 0; i < t->n; i++)
		pq_query_free(t->queries[i]);
	free(t->queries);
	pq_freq_free(t->freq);
}

/* The cell of term t and group g, its row read through pq_freq_row: valid until the next
 * read of that table. */
static const pq_freq_cell_t *cell_of(const pq_freq_t *f, size_t t, size_t g)
{
	const pq_freq_cell_t *cells = NULL;
	char *error = NULL;
	if (pq_freq_row(f, t, &cells, &error) != PS_OK)
		fail_msg("row %zu: %s", t, error ? error : "(no message)");
	assert_true(g < f->n_groups);
	return &cells[g];
}

static char *norm_of(const char *term)
{
	return norm_range(term, 0, strlen(term));
}

/* The groups of freq are the scan's groups, in the same order, with the same sizes. */
static void check_groups(const pq_freq_t *f, const groups_t *exp)
{
	assert_int_equal(f->n_groups, exp->n);
	for (size_t g = 0; g < exp->n; g++) {
		assert_string_equal(f->groups[g].id, exp->g[g].id);
		if (f->groups[g].characters != exp->g[g].characters)
			fail_msg("group %s: %zu characters, the scan counts %zu", exp->g[g].id,
				 f->groups[g].characters, exp->g[g].characters);
	}
}

static void check_occurrences_by(pq_group_by_t by)
{
	table_t t = count((const char *const *)fx.terms, fx.n_terms, by, PQ_SCOPE_CLAUSE, NULL, 0);
	const groups_t *exp = &fx.by[by];
	check_groups(t.freq, exp);
	size_t nonzero = 0;
	for (size_t i = 0; i < fx.n_terms; i++) {
		char *norm = norm_of(fx.terms[i]);
		assert_non_null(norm);
		for (size_t g = 0; g < exp->n; g++) {
			size_t want = scan_count(exp->g[g].norm, norm);
			size_t got = cell_of(t.freq, i, g)->occurrences;
			if (got != want)
				fail_msg("'%s' in %s: freq counts %zu, the scan %zu", fx.terms[i],
					 exp->g[g].id, got, want);
			nonzero += want > 0;
		}
		free(norm);
	}
	assert_true(nonzero > fx.n_terms / 2); /* the drawn terms do occur */
	table_free(&t);
}

static void test_occurrences_by_city_equal_a_plain_count_over_each_body(void **s)
{
	(void)s;
	assert_true(fx.n_terms >= N_DRAWN);
	check_occurrences_by(PQ_BY_CITY);
	check_occurrences_by(PQ_BY_DOCUMENT);
}

static void test_occurrences_by_chapter_equal_a_count_over_each_chapter_text(void **s)
{
	(void)s;
	check_occurrences_by(PQ_BY_CHAPTER);
}

static void test_occurrences_by_section_equal_a_count_over_its_own_text(void **s)
{
	(void)s;
	check_occurrences_by(PQ_BY_SECTION);
}

static void test_sections_partition_the_body_so_characters_add_up(void **s)
{
	(void)s;
	for (size_t p = 0; p < fx.n_plans; p++) {
		size_t chars = 0;
		for (size_t g = 0; g < fx.by[PQ_BY_SECTION].n; g++)
			if (fx.by[PQ_BY_SECTION].g[g].plan == (int)p)
				chars += fx.by[PQ_BY_SECTION].g[g].characters;
		assert_int_equal(chars, fx.by[PQ_BY_CITY].g[p].characters);
	}
}

/* passages: the hits of pq_search per plan and per chapter */
static void check_passages(pq_scope_t scope, const char *const *terms, size_t n)
{
	table_t city = count(terms, n, PQ_BY_CITY, scope, NULL, 0);
	table_t chap = count(terms, n, PQ_BY_CHAPTER, scope, NULL, 0);
	size_t n_plans, *per_chapter = calloc(chap.freq->n_groups, sizeof *per_chapter);
	const ps_plan_t *plans = ps_store_plans(fx.index, &n_plans);
	char *error = NULL;
	assert_non_null(per_chapter);
	for (size_t i = 0; i < n; i++) {
		pq_request_t req = {.query = city.queries[i], .scope = scope};
		pq_results_t *r = NULL;
		size_t per_plan[MAX_PLANS] = {0};
		if (pq_search(fx.index, &req, &r, &error) != 0)
			fail_msg("search: %s", error);
		memset(per_chapter, 0, chap.freq->n_groups * sizeof *per_chapter);
		for (size_t h = 0; h < r->n_hits; h++) {
			const pq_hit_t *hit = &r->hits[h];
			const ps_outline_t *o;
			assert_int_equal(ps_store_plan_outline(fx.index, hit->plan, &o, &error), 0);
			per_plan[hit->plan - plans]++;
			int top = hit->section;
			while (top > 0 && o->sections[top].parent > 0)
				top = o->sections[top].parent;
			char id[200];
			snprintf(id, sizeof id, "%s/%s", hit->plan->city_id, o->sections[top].path);
			size_t g = 0;
			while (g < chap.freq->n_groups && strcmp(chap.freq->groups[g].id, id) != 0)
				g++;
			assert_true(g < chap.freq->n_groups);
			per_chapter[g]++;
		}
		for (size_t p = 0; p < n_plans; p++)
			if (cell_of(city.freq, i, p)->passages != per_plan[p])
				fail_msg("'%s' at %s scope in %s: freq counts %zu passages, search "
					 "finds %zu", terms[i], pq_scope_name(scope),
					 plans[p].city_id, cell_of(city.freq, i, p)->passages,
					 per_plan[p]);
		for (size_t g = 0; g < chap.freq->n_groups; g++)
			if (cell_of(chap.freq, i, g)->passages != per_chapter[g])
				fail_msg("'%s' at %s scope in %s: freq counts %zu passages, search "
					 "finds %zu", terms[i], pq_scope_name(scope),
					 chap.freq->groups[g].id,
					 cell_of(chap.freq, i, g)->passages, per_chapter[g]);
		pq_results_free(r);
	}
	free(per_chapter);
	table_free(&city);
	table_free(&chap);
}

static void test_passages_equal_the_search_hits_at_clause_scope(void **s)
{
	(void)s;
	check_passages(PQ_SCOPE_CLAUSE, (const char *const *)fx.terms, fx.n_terms);
}

static void test_passages_equal_the_search_hits_at_paragraph_scope(void **s)
{
	(void)s;
	check_passages(PQ_SCOPE_PARAGRAPH, (const char *const *)fx.terms, fx.n_terms);
}

static void test_passages_equal_the_narrowest_sections_search_lists(void **s)
{
	(void)s;
	check_passages(PQ_SCOPE_SECTION, (const char *const *)fx.terms, fx.n_terms);
}

/* A query with operators: its hits, and its positive terms counted inside them. */
static void test_queries_with_operators_count_hits_and_terms_inside_them(void **s)
{
	(void)s;
	static const char *const queries[] = {"双减 OR 减负", "双减 -作业", "教育 学校",
					      "(课后服务 OR 托管) 学校",
					      "\"教育 现代化\" OR 现代化"};
	static const pq_scope_t scopes[] = {PQ_SCOPE_CLAUSE, PQ_SCOPE_PARAGRAPH,
					    PQ_SCOPE_SECTION};
	size_t n_plans;
	const ps_plan_t *plans = ps_store_plans(fx.index, &n_plans);
	char *error = NULL;
	check_passages(PQ_SCOPE_PARAGRAPH, queries, N_OF(queries));
	for (size_t k = 0; k < N_OF(scopes); k++) {
		table_t t = count(queries, N_OF(queries), PQ_BY_CITY, scopes[k], NULL, 0);
		for (size_t i = 0; i < N_OF(queries); i++) {
			pq_request_t req = {.query = t.queries[i], .scope = scopes[k]};
			pq_results_t *r = NULL;
			size_t occ[MAX_PLANS] = {0};
			assert_int_equal(pq_search(fx.index, &req, &r, &error), 0);
			for (size_t h = 0; h < r->n_hits; h++) {
				const pq_hit_t *hit = &r->hits[h];
				const pi_plan_t *p = fx.plans[hit->plan - plans];
				char *text = norm_range(p->text, hit->start, hit->end);
				const pq_query_t *q = t.queries[i];
				for (size_t j = 0; j < q->n_terms; j++) {
					const char *term = q->terms[j].norm;
					bool dup = false;
					for (size_t m = 0; m < j; m++)
						dup |= q->terms[m].positive &&
						       strcmp(q->terms[m].norm, term) == 0;
					if (q->terms[j].positive && !dup)
						occ[hit->plan - plans] += scan_count(text, term);
				}
				free(text);
			}
			size_t total = 0;
			for (size_t p = 0; p < n_plans; p++) {
				assert_int_equal(cell_of(t.freq, i, p)->occurrences, occ[p]);
				total += cell_of(t.freq, i, p)->passages;
			}
			assert_int_equal(total, r->n_hits);
			assert_true(k != 0 || i != 0 || total > 0);
			pq_results_free(r);
		}
		table_free(&t);
	}
}

static void test_city_filter_keeps_only_those_cities_groups(void **s)
{
	(void)s;
	const ps_plan_t *dalian = ps_store_find_city(fx.index, "大连");
	const char *terms[] = {"产教融合"};
	assert_non_null(dalian);
	table_t t = count(terms, 1, PQ_BY_CHAPTER, PQ_SCOPE_CLAUSE, &dalian, 1);
	assert_true(t.freq->n_groups > 1);
	size_t total = 0;
	for (size_t g = 0; g < t.freq->n_groups; g++) {
		assert_ptr_equal(t.freq->groups[g].plan, dalian);
		total += cell_of(t.freq, 0, g)->occurrences;
	}
	assert_int_equal(total, scan_count(fx.by[PQ_BY_CITY].g[dalian - ps_store_plans(fx.index,
					   &(size_t){0})].norm, "产教融合"));
	table_free(&t);
}

static void test_per_10k_chars_is_occurrences_per_ten_thousand_characters(void **s)
{
	(void)s;
	assert_true(pq_freq_per_10k(3, 20000) == 1.5);
	assert_true(pq_freq_per_10k(0, 100) == 0.0);
	assert_true(pq_freq_per_10k(5, 0) == 0.0);
}

/* ---- the automaton on its own, against brute force ---- */

typedef struct brute {
	const char *text;
	const char **pats;
	size_t got;
} brute_t;

/* Each reported occurrence really is its pattern at [start, end). */
static int on_match(void *c, size_t p, size_t start, size_t end)
{
	brute_t *b = c;
	if (memcmp(b->text + start, b->pats[p], end - start) != 0)
		fail_msg("pattern %zu reported at [%zu,%zu) where it is not", p, start, end);
	b->got++;
	return 0;
}

static void test_matcher_reports_every_occurrence_a_brute_force_search_finds(void **s)
{
	(void)s;
	uint32_t seed = 7;
	for (int round = 0; round < 300; round++) {
		char text[64], pats[8][5];
		const char *pp[8];
		size_t lens[8], n = 1 + next_random(&seed) % 8, len = next_random(&seed) % 60;
		for (size_t i = 0; i < len; i++)
			text[i] = "abc"[next_random(&seed) % 3];
		for (size_t p = 0; p < n; p++) {
			lens[p] = 1 + next_random(&seed) % 4;
			for (size_t i = 0; i < lens[p]; i++)
				pats[p][i] = "abc"[next_random(&seed) % 3];
			pp[p] = pats[p];
		}
		size_t want = 0;
		for (size_t p = 0; p < n; p++)
			for (size_t i = 0; i + lens[p] <= len; i++)
				want += memcmp(text + i, pats[p], lens[p]) == 0;
		pq_matcher_t *m = NULL;
		char *error = NULL;
		brute_t b = {text, pp, 0};
		assert_int_equal(pq_matcher_new(pp, lens, n, &m, &error), 0);
		assert_int_equal(pq_matcher_run(m, text, len, on_match, &b), 0);
		pq_matcher_free(m);
		assert_int_equal(b.got, want);
	}
}

/* pq_freq_write's output with rows made on `threads` threads (malloc'd). */
static char *written(const table_t *t, const char *const *terms, pq_table_format_t fm,
		     bool wide, unsigned threads)
{
	char *text = NULL, *error = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	pq_freq_format_t format = {.format = fm, .wide = wide, .threads = threads};
	if (pq_freq_write(out, t->freq, terms, &format, &error) != 0)
		fail_msg("writing: %s", error ? error : strerror(errno));
	assert_int_equal(fclose(out), 0);
	return text;
}

static void test_rows_made_on_several_threads_are_the_bytes_one_thread_writes(void **s)
{
	(void)s;
	/* every drawn term, some that the counts answer and some found on the text, and
	 * queries with operators: rows of each kind, interleaved */
	size_t n = fx.n_terms + 2;
	const char **terms = calloc(n, sizeof *terms);
	assert_non_null(terms);
	for (size_t i = 0; i < fx.n_terms; i++)
		terms[i] = fx.terms[i];
	terms[fx.n_terms] = "双减 OR 减负";
	terms[fx.n_terms + 1] = "学校 -课后服务";
	static const pq_group_by_t bys[] = {PQ_BY_CITY, PQ_BY_SECTION};
	static const struct {
		pq_table_format_t fm;
		bool wide;
	} formats[] = {{PQ_TABLE_CSV, false}, {PQ_TABLE_TSV, false}, {PQ_TABLE_CSV, true}};
	static const unsigned threads[] = {2, 3, 8};
	for (size_t b = 0; b < N_OF(bys); b++) {
		table_t t = count(terms, n, bys[b], PQ_SCOPE_CLAUSE, NULL, 0);
		for (size_t k = 0; k < N_OF(formats); k++) {
			char *one = written(&t, terms, formats[k].fm, formats[k].wide, 1);
			assert_true(strlen(one) > n * t.freq->n_groups * 2); /* a cell: 2 bytes or more */
			for (size_t h = 0; h < N_OF(threads); h++) {
				char *many = written(&t, terms, formats[k].fm, formats[k].wide,
						     threads[h]);
				if (strcmp(one, many) != 0)
					fail_msg("by %s, format %zu: %u threads write other bytes",
						 pq_group_by_name(bys[b]), k, threads[h]);
				free(many);
			}
			free(one);
		}
		table_free(&t);
	}
	free(terms);
}

/* ---- the command line: every format read back ---- */

static void write_file(const char *name, const char *text, size_t len, char *path, size_t size)
{
	tmpdir_write(fx.dir, name, text, len);
	snprintf(path, size, "%s/%s", fx.dir, name);
}

/* The terms file the CLI tests use: drawn terms, and some that need quoting in CSV. */
static void write_terms(char *path, size_t size, size_t n_drawn)
{
	static const char *const tricky[] = {"教育,", "\"教育 现代化\"", "双减 OR 减负",
					     "学校 -课后服务"};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	for (size_t i = 0; i < n_drawn && i < fx.n_terms; i++)
		fprintf(f, "%s\n", fx.terms[i]);
	for (size_t i = 0; i < N_OF(tricky); i++)
		fprintf(f, "%s\n", tricky[i]);
	fclose(f);
	write_file("terms.txt", buf, len, path, size);
	free(buf);
}

static run_t freq(const char *const *extra)
{
	const char *argv[32] = {test_env("POLICY_QUERY"), "freq", "--db", fx.db};
	size_t n = 4;
	while (*extra && n < 31)
		argv[n++] = *extra++;
	argv[n] = NULL;
	return run_program(fx.dir, argv);
}

static csvtab_t read_csv(const run_t *r)
{
	csvtab_t t;
	assert_int_equal(r->status, 0);
	if (!csvtab_parse_csv(r->out, r->out_len, &t))
		fail_msg("the CSV does not parse:\n%.500s", r->out);
	/* RFC 4180: every record ends in CRLF; a bare LF only inside a quoted field */
	assert_true(r->out_len >= 2 && memcmp(r->out + r->out_len - 2, "\r\n", 2) == 0);
	return t;
}

static size_t field_size(const csvtab_t *t, size_t row, const char *column)
{
	int c = csvtab_column(t, column);
	assert_true(c >= 0 && (size_t)c < t->n_fields[row]);
	return (size_t)strtoull(t->rows[row][c], NULL, 10);
}

static void test_csv_reads_back_through_libcsv_and_equals_the_scan(void **s)
{
	(void)s;
	char path[4200];
	write_terms(path, sizeof path, 60);
	run_t r = freq((const char *[]){"--by", "section", "-f", path, NULL});
	csvtab_t t = read_csv(&r);
	const groups_t *exp = &fx.by[PQ_BY_SECTION];
	static const char *const header[] = {"term", "city", "city_id", "id", "section",
					     "occurrences", "passages", "per_10k_chars"};
	assert_int_equal(t.n_fields[0], N_OF(header));
	for (size_t c = 0; c < N_OF(header); c++)
		assert_string_equal(t.rows[0][c], header[c]);
	size_t n_terms = 60 + 4;
	assert_int_equal(t.n_rows, 1 + n_terms * exp->n);
	for (size_t row = 1; row < t.n_rows; row++) {
		size_t term = (row - 1) / exp->n, g = (row - 1) % exp->n;
		assert_int_equal(t.n_fields[row], N_OF(header));
		assert_string_equal(t.rows[row][3], exp->g[g].id);
		assert_string_equal(t.rows[row][2], fx.plans[exp->g[g].plan]->info->city_id);
		size_t occ = field_size(&t, row, "occurrences");
		if (term < 60) {
			assert_string_equal(t.rows[row][0], fx.terms[term]);
			char *norm = norm_of(fx.terms[term]);
			assert_int_equal(occ, scan_count(exp->g[g].norm, norm));
			free(norm);
		}
		/* exactly what printf("%.3f") makes of the rate, zero cells too */
		char want[64];
		snprintf(want, sizeof want, "%.3f", pq_freq_per_10k(occ, exp->g[g].characters));
		assert_string_equal(t.rows[row][7], want);
	}
	/* the fields that need quoting came back whole */
	assert_string_equal(t.rows[1 + 60 * exp->n][0], "教育,");
	assert_string_equal(t.rows[1 + 61 * exp->n][0], "\"教育 现代化\"");
	assert_string_equal(t.rows[1 + 62 * exp->n][0], "双减 OR 减负");
	csvtab_free(&t);
	run_free(&r);
}

/* Look a term's long-form occurrences up by (term, group id). */
static size_t long_cell(const csvtab_t *t, const char *term, const char *id, int id_col)
{
	for (size_t row = 1; row < t->n_rows; row++)
		if (strcmp(t->rows[row][0], term) == 0 && strcmp(t->rows[row][id_col], id) == 0)
			return field_size(t, row, "occurrences");
	fail_msg("no row for '%s' in %s", term, id);
	return 0;
}

static void test_wide_equals_the_long_form_pivoted(void **s)
{
	(void)s;
	char path[4200];
	write_terms(path, sizeof path, 40);
	run_t rl = freq((const char *[]){"--by", "chapter", "-f", path, NULL});
	run_t rw = freq((const char *[]){"--by", "chapter", "--wide", "-f", path, NULL});
	csvtab_t l = read_csv(&rl), w = read_csv(&rw);
	const groups_t *exp = &fx.by[PQ_BY_CHAPTER];
	assert_int_equal(w.n_rows, 1 + 40 + 4);
	assert_int_equal(w.n_fields[0], 1 + exp->n);
	assert_string_equal(w.rows[0][0], "term");
	for (size_t g = 0; g < exp->n; g++) /* "<id> <heading>" */
		assert_int_equal(strncmp(w.rows[0][1 + g], exp->g[g].id, strlen(exp->g[g].id)), 0);
	for (size_t row = 1; row < w.n_rows; row++)
		for (size_t g = 0; g < exp->n; g++)
			assert_int_equal(strtoull(w.rows[row][1 + g], NULL, 10),
					 long_cell(&l, w.rows[row][0], exp->g[g].id, 3));
	csvtab_free(&l);
	csvtab_free(&w);
	run_free(&rl);
	run_free(&rw);
}

static void test_tsv_and_json_carry_the_same_figures_as_csv(void **s)
{
	(void)s;
	char path[4200];
	write_terms(path, sizeof path, 30);
	run_t rc = freq((const char *[]){"--by", "document", "-f", path, NULL});
	run_t rt = freq((const char *[]){"--by", "document", "--format", "tsv", "-f", path, NULL});
	run_t rj = freq((const char *[]){"--by", "document", "--format", "json", "--scope",
					 "clause", "-f", path, NULL});
	csvtab_t c = read_csv(&rc), t;
	assert_int_equal(rt.status, 0);
	assert_null(strchr(rt.out, '\r'));
	csvtab_parse_tsv(rt.out, rt.out_len, &t);
	assert_int_equal(t.n_rows, c.n_rows);
	for (size_t row = 0; row < c.n_rows; row++) {
		assert_int_equal(t.n_fields[row], c.n_fields[row]);
		for (size_t f = 0; f < c.n_fields[row]; f++)
			assert_string_equal(t.rows[row][f], c.rows[row][f]);
	}
	assert_int_equal(rj.status, 0);
	json_object *root = json_tokener_parse(rj.out), *groups, *terms, *v;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "by", &v));
	assert_string_equal(json_object_get_string(v), "document");
	assert_true(json_object_object_get_ex(root, "groups", &groups));
	assert_true(json_object_object_get_ex(root, "terms", &terms));
	size_t n_groups = json_object_array_length(groups);
	assert_int_equal(n_groups, fx.n_plans);
	assert_int_equal(json_object_array_length(terms) * n_groups, c.n_rows - 1);
	for (size_t g = 0; g < n_groups; g++) {
		json_object *grp = json_object_array_get_idx(groups, g);
		assert_true(json_object_object_get_ex(grp, "characters", &v));
		assert_int_equal(json_object_get_int64(v), fx.by[PQ_BY_DOCUMENT].g[g].characters);
	}
	size_t small_rates = 0, big_rates = 0; /* counts of 1-15, of 16 and more */
	for (size_t i = 0; i < json_object_array_length(terms); i++) {
		json_object *term = json_object_array_get_idx(terms, i), *cells;
		size_t total = 0;
		assert_true(json_object_object_get_ex(term, "groups", &cells));
		for (size_t g = 0; g < n_groups; g++) {
			size_t row = 1 + i * n_groups + g;
			json_object *cell = json_object_array_get_idx(cells, g);
			assert_true(json_object_object_get_ex(term, "term", &v));
			assert_string_equal(json_object_get_string(v), c.rows[row][0]);
			assert_true(json_object_object_get_ex(cell, "occurrences", &v));
			assert_int_equal(json_object_get_int64(v),
					 field_size(&c, row, "occurrences"));
			total += (size_t)json_object_get_int64(v);
			assert_true(json_object_object_get_ex(cell, "passages", &v));
			assert_int_equal(json_object_get_int64(v), field_size(&c, row, "passages"));
			/* the rate as printed is what json-c prints for the rate of the count (a
			 * parsed double keeps its text) */
			size_t occ = field_size(&c, row, "occurrences");
			json_object *want = json_object_new_double(
				pq_freq_per_10k(occ, fx.by[PQ_BY_DOCUMENT].g[g].characters));
			assert_true(json_object_object_get_ex(cell, "per_10k_chars", &v));
			assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
					    json_object_to_json_string_ext(want,
									   JSON_C_TO_STRING_PLAIN));
			json_object_put(want);
			small_rates += occ > 0 && occ < 16;
			big_rates += occ >= 16;
		}
		assert_true(json_object_object_get_ex(term, "occurrences", &v));
		assert_int_equal(json_object_get_int64(v), total);
	}
	assert_true(small_rates > 0 && big_rates > 0); /* the renderer keeps the former's text */
	json_object_put(root);
	csvtab_free(&c);
	csvtab_free(&t);
	run_free(&rc);
	run_free(&rt);
	run_free(&rj);
}

static void test_excel_starts_the_file_with_a_utf8_byte_order_mark(void **s)
{
	(void)s;
	run_t r = freq((const char *[]){"--excel", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "\xEF\xBB\xBF" "term,city,", 13);
	run_free(&r);
	r = freq((const char *[]){"--excel", "--format", "json", "双减", NULL});
	assert_int_equal(r.status, 2);
	run_free(&r);
}

/* Whether any temporary file of an -o export is left in the directory. */
static bool temp_left(void)
{
	return tmpdir_holds(fx.dir, ".policy-query-");
}

static void test_output_file_is_replaced_whole_or_left_untouched(void **s)
{
	(void)s;
	char out[4200], bad_utf8[4200], bad_term[4200], missing[4200], in_missing_dir[4200];
	write_file("out.csv", "old", 3, out, sizeof out);
	write_file("bad-utf8.txt", "双减\n课后\xff服务\n", 14, bad_utf8, sizeof bad_utf8);
	write_file("bad-term.txt", "双减\n(课后服务\n", 18, bad_term, sizeof bad_term);
	snprintf(missing, sizeof missing, "%s/no-such-terms.txt", fx.dir);
	snprintf(in_missing_dir, sizeof in_missing_dir, "%s/no-such-dir/out.csv", fx.dir);
	struct {
		const char *args[8];
		int status;
		const char *message;
	} cases[] = {
		{{"--by", "county", "-o", out, "双减", NULL}, 2, "--by takes city, document"},
		{{"--format", "xlsx", "-o", out, "双减", NULL}, 2, "--format takes csv"},
		{{"-f", bad_utf8, "-o", out, NULL}, 2, "bad-utf8.txt line 2: invalid UTF-8"},
		{{"-f", bad_term, "-o", out, NULL}, 2, "bad-term.txt line 2:"},
		{{"-f", missing, "-o", out, NULL}, 2, "no-such-terms.txt"},
		{{"--city", "北京", "-o", out, "双减", NULL}, 2, "unknown city"},
		{{"-o", out, "(双减", NULL}, 2, "term '(双减'"},
		{{"-o", in_missing_dir, "双减", NULL}, 1, "no-such-dir"},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		run_t r = freq(cases[i].args);
		if (r.status != cases[i].status || strstr(r.err, cases[i].message) == NULL)
			fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
		size_t len;
		char *now = run_slurp(out, &len);
		assert_string_equal(now, "old");
		assert_false(temp_left());
		free(now);
		run_free(&r);
	}
	run_t r = freq((const char *[]){"-o", out, "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_int_equal(r.out_len, 0);
	char *now = run_slurp(out, NULL);
	assert_non_null(strstr(now, "双减,通化市,tonghua,2,2,"));
	assert_false(temp_left());
	free(now);
	run_free(&r);
}

static void test_output_writes_through_a_link_keeps_the_mode_and_dash_is_standard_io(void **s)
{
	(void)s;
	char target[4200], link[4200], terms[4200];
	struct stat st;
	write_file("target.csv", "old", 3, target, sizeof target);
	write_file("dash-terms.txt", "双减\n", 7, terms, sizeof terms);
	snprintf(link, sizeof link, "%s/link.csv", fx.dir);
	unlink(link);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(chmod(target, 0640), 0);
	run_t r = freq((const char *[]){"-o", link, "双减", NULL});
	assert_int_equal(r.status, 0);
	run_free(&r);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode)); /* still a link, */
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640); /* the target keeps its mode */
	char *now = run_slurp(target, NULL);
	assert_non_null(strstr(now, "双减,通化市,tonghua,2,2,")); /* and holds the table */
	free(now);
	assert_false(temp_left());

	/* -o - is standard output; -f - would read standard input, here a file's copy */
	r = freq((const char *[]){"-o", "-", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "双减,通化市,tonghua,2,2,"));
	run_free(&r);
	const char *argv[] = {test_env("POLICY_QUERY"), "freq", "--db", fx.db, "-f", "-", NULL};
	r = run_in(fx.dir, NULL, "双减\n", argv);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "双减,通化市,tonghua,2,2,"));
	run_free(&r);

	r = freq((const char *[]){"-o", target, "-o", link, "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "once"));
	run_free(&r);
}

static void test_terms_file_tolerates_bom_comments_blanks_crlf_and_repeats(void **s)
{
	(void)s;
	static const char text[] = "\xEF\xBB\xBF# the terms\n\n双减\r\n  课后服务 \n双减\n"
				   "#产教融合\n\t\n产教融合";
	char path[4200];
	write_file("terms-bom.txt", text, sizeof text - 1, path, sizeof path);
	run_t r = freq((const char *[]){"--wide", "-f", path, "课后服务", NULL});
	csvtab_t t = read_csv(&r);
	assert_int_equal(t.n_rows, 4);
	assert_string_equal(t.rows[1][0], "课后服务"); /* the arguments come first */
	assert_string_equal(t.rows[2][0], "双减");
	assert_string_equal(t.rows[3][0], "产教融合");
	csvtab_free(&t);
	run_free(&r);
}

/* Term k of a made-up vocabulary: k in base 8 written with eight characters, 教育…. */
static void made_up_term(size_t k, char *out, size_t size)
{
	static const char *const digits[] = {"教", "育", "学", "校", "发", "展", "规", "划"};
	size_t n = 0;
	do {
		n += (size_t)snprintf(out + n, size - n, "%s", digits[k % 8]);
		k /= 8;
	} while (k > 0 && n + 4 < size);
}

/* 30,000 lines of 4,000 distinct terms, each repeated in a scattered order after its first
 * line: the table lists each once, in the order of its first line, after the arguments'
 * terms; the same file with a bad last line is refused before anything is written. */
static void test_a_long_terms_file_lists_each_term_once_where_it_first_appears(void **s)
{
	(void)s;
	enum { LINES = 30000, DISTINCT = 4000 };
	char *buf = NULL, term[64], path[4200], out[4200];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	for (size_t i = 0; i < LINES; i++) {
		/* lines 0..DISTINCT-1 introduce the terms in order; later lines repeat them */
		made_up_term(i < DISTINCT ? i : (i * 7919) % DISTINCT, term, sizeof term);
		fprintf(f, "%s\n", term);
	}
	fclose(f);
	write_file("long-terms.txt", buf, len, path, sizeof path);
	made_up_term(5, term, sizeof term); /* an argument the file repeats */
	run_t r = freq((const char *[]){"--wide", "-f", path, term, NULL});
	csvtab_t t = read_csv(&r);
	assert_int_equal(t.n_rows, 1 + DISTINCT);
	assert_string_equal(t.rows[1][0], term); /* the argument first, */
	for (size_t i = 0, row = 2; i < DISTINCT; i++) { /* then the file's, once each */
		made_up_term(i, term, sizeof term);
		if (i == 5)
			continue;
		if (strcmp(t.rows[row][0], term) != 0)
			fail_msg("row %zu is %s, expected %s", row, t.rows[row][0], term);
		row++;
	}
	csvtab_free(&t);
	run_free(&r);

	/* a bad last line: refused naming it, with nothing written */
	static const char bad[] = "(未闭合\n";
	char *with_bad = malloc(len + sizeof bad);
	assert_non_null(with_bad);
	memcpy(with_bad, buf, len);
	memcpy(with_bad + len, bad, sizeof bad);
	write_file("long-terms-bad.txt", with_bad, len + sizeof bad - 1, path, sizeof path);
	snprintf(out, sizeof out, "%s/long-terms.csv", fx.dir);
	r = freq((const char *[]){"-f", path, "-o", out, NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "long-terms-bad.txt line 30001:");
	assert_int_equal(r.out_len, 0);
	assert_int_equal(access(out, F_OK), -1);
	assert_false(temp_left());
	run_free(&r);
	free(with_bad);
	free(buf);
}

/* A terms file, or standard input, that would not end (/dev/zero) or is larger than 16 MiB
 * is refused with the limit named, and nothing is written. */
static void test_terms_past_16_mib_or_without_end_are_refused_naming_the_limit(void **s)
{
	(void)s;
	char big[4200], out[4200];
	snprintf(big, sizeof big, "%s/big-terms.txt", fx.dir);
	FILE *f = fopen(big, "wb");
	assert_non_null(f);
	for (size_t i = 0; i < (17u << 20) / 8; i++)
		fputs("双减\n课\n", f); /* 8 bytes a round: 17 MiB of valid terms */
	assert_int_equal(fclose(f), 0);
	snprintf(out, sizeof out, "%s/capped.csv", fx.dir);
	static const struct {
		const char *file, *stdin_path, *says;
	} cases[] = {
		{"/dev/zero", NULL, "/dev/zero: a terms file may hold at most 16 MiB"},
		{"-", "/dev/zero", "/dev/stdin: a terms file may hold at most 16 MiB"},
		{NULL, NULL, "big-terms.txt: a terms file may hold at most 16 MiB"},
		{"-", NULL, "/dev/stdin: a terms file may hold at most 16 MiB"},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		const char *argv[] = {test_env("POLICY_QUERY"), "freq", "--db", fx.db, "-o", out,
				      "-f", cases[i].file ? cases[i].file : big, NULL};
		/* the last case reads the big file as standard input */
		run_opts_t opts = {.input_path = i == 3 ? big : cases[i].stdin_path,
				   .prepare = run_guard_child};
		run_t r = run_opts(fx.dir, &opts, argv);
		if (r.status != 2 || strstr(r.err, cases[i].says) == NULL)
			fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
		assert_int_equal(r.out_len, 0);
		assert_int_equal(access(out, F_OK), -1);
		run_free(&r);
	}
}

static void test_a_long_export_shows_no_progress_unless_stderr_is_a_tty(void **s)
{
	(void)s;
	char path[4200], out[4200];
	assert_true(fx.n_terms > 250);
	write_terms(path, sizeof path, 250);
	snprintf(out, sizeof out, "%s/long.csv", fx.dir);
	run_t r = freq((const char *[]){"-f", path, "-o", out, NULL});
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	run_free(&r);
	char only_comments[4200];
	write_file("comments.txt", "# nothing\n\n", 11, only_comments, sizeof only_comments);
	r = freq((const char *[]){"-f", only_comments, NULL});
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "no terms given"));
	run_free(&r);
}

static void test_help_describes_the_counting(void **s)
{
	(void)s;
	run_t r = freq((const char *[]){"--help", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "non-overlapping"));
	assert_non_null(strstr(r.out, "per_10k_chars"));
	run_free(&r);
	r = freq((const char *[]){NULL});
	assert_int_equal(r.status, 2);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matcher_reports_every_occurrence_a_brute_force_search_finds),
		cmocka_unit_test(test_per_10k_chars_is_occurrences_per_ten_thousand_characters),
		cmocka_unit_test(test_occurrences_by_city_equal_a_plain_count_over_each_body),
		cmocka_unit_test(test_occurrences_by_chapter_equal_a_count_over_each_chapter_text),
		cmocka_unit_test(test_occurrences_by_section_equal_a_count_over_its_own_text),
		cmocka_unit_test(test_sections_partition_the_body_so_characters_add_up),
		cmocka_unit_test(test_passages_equal_the_search_hits_at_clause_scope),
		cmocka_unit_test(test_passages_equal_the_search_hits_at_paragraph_scope),
		cmocka_unit_test(test_passages_equal_the_narrowest_sections_search_lists),
		cmocka_unit_test(test_queries_with_operators_count_hits_and_terms_inside_them),
		cmocka_unit_test(test_city_filter_keeps_only_those_cities_groups),
		cmocka_unit_test(test_csv_reads_back_through_libcsv_and_equals_the_scan),
		cmocka_unit_test(test_wide_equals_the_long_form_pivoted),
		cmocka_unit_test(test_tsv_and_json_carry_the_same_figures_as_csv),
		cmocka_unit_test(test_excel_starts_the_file_with_a_utf8_byte_order_mark),
		cmocka_unit_test(test_output_file_is_replaced_whole_or_left_untouched),
		cmocka_unit_test(test_output_writes_through_a_link_keeps_the_mode_and_dash_is_standard_io),
		cmocka_unit_test(test_terms_file_tolerates_bom_comments_blanks_crlf_and_repeats),
		cmocka_unit_test(test_a_long_terms_file_lists_each_term_once_where_it_first_appears),
		cmocka_unit_test(test_terms_past_16_mib_or_without_end_are_refused_naming_the_limit),
		cmocka_unit_test(test_a_long_export_shows_no_progress_unless_stderr_is_a_tty),
		cmocka_unit_test(test_help_describes_the_counting),
		cmocka_unit_test(test_rows_made_on_several_threads_are_the_bytes_one_thread_writes),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
