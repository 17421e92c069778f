/* freq.c: counting queries per group: short terms from the index's n-gram counts, other terms in one pass over the stored normal forms, queries with operators by a search. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "freq.h"

#include "counts.h"
#include "ids.h"
#include "label.h"
#include "normalize.h"
#include "occur.h"
#include "strbuf.h"
#include "strmap.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int pq_group_by_parse(const char *name, pq_group_by_t *out)
{
	static const char *const names[] = {"city", "document", "chapter", "section"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (pq_group_by_t)i;
			return 0;
		}
	return -1;
}

const char *pq_group_by_name(pq_group_by_t by)
{
	return by == PQ_BY_DOCUMENT  ? "document"
	       : by == PQ_BY_CHAPTER ? "chapter"
	       : by == PQ_BY_SECTION ? "section"
				     : "city";
}

double pq_freq_per_10k(size_t occurrences, size_t characters)
{
	return characters ? (double)occurrences * 10000.0 / (double)characters : 0.0;
}

/*
 * Three ways to count a row, the cheapest that answers exactly:
 * - a single term of one to four characters that cannot overlap itself, counted per city or
 *   document at clause scope: the index's n-gram counts (counts.h) give each plan's
 *   occurrences and clauses directly;
 * - any other single term: one pass of a matcher (occur.h) over each plan's stored normal
 *   form (store.h), every such term at once, placed in sections and units by the outline's
 *   offsets into that normal form;
 * - a query with operators: its search (pq_search), and its terms counted in each hit.
 */

/* ---- each plan: its normal form, and where its sections and clauses lie in it ---- */

typedef struct plan_map {
	const ps_plan_t *plan;
	const ps_outline_t *o; /* read when a pass or the groups need it */
	const char *src;       /* chapter and section grouping: the plan's file */
	const char *norm;
	size_t norm_len;
	size_t *sec_start;     /* per section: where its own text starts in the normal form */
	int *group;            /* per section (chapter, section), or [0] for the plan */
} plan_map_t;

static void plan_map_free(plan_map_t *m)
{
	free(m->sec_start);
	free(m->group);
}

/* The outline, the normal form and the section starts of a plan, once. */
static int map_load(ps_store_t *store, plan_map_t *m, char **error)
{
	if (m->o != NULL)
		return 0;
	size_t src_len;
	const ps_outline_t *o;
	if (ps_store_plan_outline(store, m->plan, &o, error) != 0 ||
	    ps_store_plan_norm(store, m->plan, &m->norm, &m->norm_len, error) != 0 ||
	    ps_store_plan_source(store, m->plan, &m->src, &src_len, error) != 0)
		return -1;
	m->sec_start = calloc(o->n_sections, sizeof *m->sec_start);
	if (m->sec_start == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	for (size_t i = 1; i < o->n_sections; i++) {
		const ps_section_t *s = &o->sections[i];
		size_t at = s->end_clause > s->first_clause
				    ? o->clauses[s->first_clause].norm_start
				    : m->sec_start[i - 1];
		if (at < m->sec_start[i - 1]) {
			strbuf_printf_new(error, "the index's outline of %s is out of order; rebuild "
					  "the index with policy-index", m->plan->file);
			return -1;
		}
		m->sec_start[i] = at;
	}
	m->o = o;
	return 0;
}

/* The section whose own text, up to the next section, holds normal-form offset `off`. */
static int section_at(const plan_map_t *m, size_t off)
{
	size_t lo = 1, hi = m->o->n_sections; /* the first section starting after off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->sec_start[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

/* The clause whose normal form starts at or before `off` (the last such), or -1. */
static int clause_at(const ps_outline_t *o, size_t off)
{
	size_t lo = 0, hi = o->n_clauses;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->clauses[mid].norm_start <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

/* ---- groups ---- */

static pq_group_t *add_group(pq_freq_t *f, size_t *cap)
{
	if (f->n_groups == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		pq_group_t *g = realloc(f->groups, n * sizeof *g);
		if (g == NULL)
			return NULL;
		f->groups = g;
		*cap = n;
	}
	pq_group_t *g = &f->groups[f->n_groups++];
	memset(g, 0, sizeof *g);
	return g;
}

/* A chapter or section group for section i of the plan. */
static int section_group(pq_freq_t *f, size_t *cap, const plan_map_t *m, int i)
{
	strbuf_t id = STRBUF_INIT, heading = STRBUF_INIT, column = STRBUF_INIT;
	pq_group_t *g = add_group(f, cap);
	if (g == NULL)
		return -1;
	g->plan = m->plan;
	g->section = i;
	ps_id_section(&id, m->plan->city_id, m->o->sections[i].path);
	pq_label_section_path(m->o, i, &heading);
	strbuf_printf(&column, "%s ", id.data ? id.data : "");
	pq_label_heading(m->o, i, &column);
	g->id = strbuf_steal(&id);
	g->heading = strbuf_steal(&heading);
	g->column = strbuf_steal(&column);
	return g->id && g->heading && g->column ? 0 : -1;
}

/* The bytes of section i's own text, up to the next section in text order, in the body. */
static void own_range(const plan_map_t *m, size_t i, size_t *start, size_t *end)
{
	const ps_plan_t *p = m->plan;
	size_t s = i == 0 ? p->body_start : m->o->sections[i].start;
	size_t e = i + 1 < m->o->n_sections ? m->o->sections[i + 1].start : p->body_end;
	*start = s < p->body_start ? p->body_start : s;
	*end = e > p->body_end ? p->body_end : e;
	if (*end < *start)
		*end = *start;
}

/* City and document groups: one per plan (a city's plans together, unless the index holds
 * several of that city: then each is named apart, label.h). No outline is read. */
static int plan_groups(pq_freq_t *f, plan_map_t *maps, size_t n_maps, char **error)
{
	size_t cap = 0;
	util_strmap_t by_city = UTIL_STRMAP_INIT; /* a city's group (its name is the store's) */
	for (size_t k = 0; k < n_maps; k++) {
		plan_map_t *m = &maps[k];
		const char *city = m->plan->city;
		size_t found;
		int g = -1;
		if ((m->group = calloc(1, sizeof *m->group)) == NULL)
			goto oom;
		if (f->by == PQ_BY_CITY && !m->plan->city_shared &&
		    util_strmap_get(&by_city, city, strlen(city), &found))
			g = (int)found;
		if (g < 0) {
			pq_group_t *grp = add_group(f, &cap);
			if (grp == NULL)
				goto oom;
			grp->plan = m->plan;
			grp->section = -1;
			grp->id = strdup(m->plan->city_id);
			grp->heading = strdup("");
			strbuf_t col = STRBUF_INIT;
			if (f->by == PQ_BY_CITY)
				pq_label_city(m->plan, &col);
			else
				pq_label_document(m->plan, &col);
			grp->column = strbuf_steal(&col);
			if (!grp->id || !grp->heading || !grp->column)
				goto oom;
			g = (int)f->n_groups - 1;
			if (f->by == PQ_BY_CITY && !m->plan->city_shared &&
			    util_strmap_put(&by_city, city, strlen(city), (size_t)g, NULL) < 0)
				goto oom;
		}
		m->group[0] = g;
		f->groups[g].characters += m->plan->characters;
	}
	util_strmap_free(&by_city);
	return 0;
oom:
	util_strmap_free(&by_city);
	strbuf_printf_new(error, "out of memory");
	return -1;
}

/* Chapter and section groups: every section of every plan gets its group (-1 for an empty
 * preamble). */
static int section_groups(ps_store_t *store, pq_freq_t *f, plan_map_t *maps, size_t n_maps,
			  char **error)
{
	size_t cap = 0;
	for (size_t k = 0; k < n_maps; k++) {
		plan_map_t *m = &maps[k];
		if (map_load(store, m, error) != 0)
			return -1;
		const ps_outline_t *o = m->o;
		if ((m->group = calloc(o->n_sections, sizeof *m->group)) == NULL)
			goto oom;
		for (size_t i = 0; i < o->n_sections; i++) {
			size_t s, e;
			own_range(m, i, &s, &e);
			size_t chars = pq_occur_characters(m->src, s, e);
			int g = -1;
			if (f->by == PQ_BY_CHAPTER && i > 0 && o->sections[i].depth > 1)
				g = m->group[ps_outline_chapter_of(o, (int)i)];
			else if (i > 0 || chars > 0) {
				if (section_group(f, &cap, m, (int)i) != 0)
					goto oom;
				g = (int)f->n_groups - 1;
			}
			m->group[i] = g;
			if (g >= 0)
				f->groups[g].characters += chars;
		}
	}
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

static bool by_plan(const pq_freq_t *f)
{
	return f->by == PQ_BY_CITY || f->by == PQ_BY_DOCUMENT;
}

/* The group of normal-form offset `off` of a plan. */
static int group_at(const pq_freq_t *f, const plan_map_t *m, size_t off)
{
	return by_plan(f) ? m->group[0] : m->group[section_at(m, off)];
}

/* Where each row's cells come from. A row the n-gram counts answer alone is counted when
 * it is read (pq_freq_row), into one row of room; the others are counted by pq_freq_run
 * into a block of their own. */
struct pq_freq_rows {
	ps_store_t *store;       /* borrowed: the index the late rows are read from */
	const ps_plan_t *plans;  /* the index's plans */
	int *plan_group;         /* per plan of the index: its group, -1 when not counted */
	char **late;             /* per term: its normal form when its row is counted when
				  * read, else NULL */
	size_t *stored;          /* per term: its row in `cells`, or SIZE_MAX */
	pq_freq_cell_t *cells;   /* the stored rows, n_groups cells each */
	size_t n_stored;
	pq_freq_cell_t *scratch; /* n_groups cells: the late row read last */
};

/* Zeroed room for n cells, freed by cells_free. Rows counted by a pass over the plans'
 * text are touched cell by cell as the counts arrive: mapped on their own and marked for
 * huge pages, a big block costs tens of page faults instead of tens of thousands (each of
 * them twice, a read then a write). Returns NULL when out of memory. */
static pq_freq_cell_t *cells_alloc(size_t n)
{
	size_t bytes = (n ? n : 1) * sizeof(pq_freq_cell_t);
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
#endif
	return p;
}

static void cells_free(pq_freq_cell_t *cells, size_t n)
{
	if (cells != NULL)
		munmap(cells, (n ? n : 1) * sizeof *cells);
}

/* A stored row's cell of group g. */
static pq_freq_cell_t *cell(pq_freq_t *f, size_t row, int g)
{
	return &f->rows->cells[f->rows->stored[row] * f->n_groups + (size_t)g];
}

static void rows_free(struct pq_freq_rows *r, size_t n_terms, size_t n_groups)
{
	if (r == NULL)
		return;
	for (size_t i = 0; r->late != NULL && i < n_terms; i++)
		free(r->late[i]);
	free(r->late);
	free(r->stored);
	free(r->plan_group);
	cells_free(r->cells, r->n_stored * n_groups);
	free(r->scratch);
	free(r);
}

/* ---- single terms the index's n-gram counts answer ---- */

/* Whether a normalised term can overlap itself ("哈哈" in 哈哈哈): some proper prefix, on
 * a character boundary, is also its suffix. Then its non-overlapping occurrences are not
 * the places it starts at. */
static bool self_overlapping(const char *t)
{
	size_t len = strlen(t);
	for (size_t k = 1; k < len; k++)
		if (((unsigned char)t[k] & 0xC0) != 0x80 && memcmp(t, t + len - k, k) == 0)
			return true;
	return false;
}

typedef struct count_ctx {
	pq_freq_cell_t *row;   /* the term's n_groups cells */
	const int *plan_group; /* per plan of the index: its group, -1 when not counted */
	const ps_plan_t *plans;
	const int *plan_map;   /* per plan of the index: its map (with scan) */
	uint8_t *scan;         /* a term that can overlap itself: per map, 1 where its places
				* and clauses differ, so that the plan's text must be read; NULL
				* for a term that cannot */
} count_ctx_t;

static int on_count(void *ctx, const ps_plan_t *plan, size_t occurrences, size_t passages)
{
	count_ctx_t *c = ctx;
	int g = c->plan_group[plan - c->plans];
	if (g < 0)
		return 0;
	/* As many places as clauses holding it whole: each place lies in a clause of its
	 * own, so no two overlap and the places are the non-overlapping occurrences. Else a
	 * term that can overlap itself is counted on the plan's text. */
	if (c->scan != NULL && occurrences != passages) {
		c->scan[c->plan_map[plan - c->plans]] = 1;
		return 0;
	}
	c->row[g].occurrences += occurrences;
	c->row[g].passages += passages;
	return 0;
}

/* Plans where a term can occur: those holding each of its n-grams the index counts (every
 * stretch of up to PS_MAX_COUNTED_GRAM characters without white space, taken at each
 * place). */
typedef struct window_ctx {
	const int *plan_map;
	const ps_plan_t *plans;
	uint32_t *seen;  /* per map: how many of the windows so far it holds */
	uint32_t round;  /* the window being counted, from 1 */
} window_ctx_t;

static int on_window(void *ctx, const ps_plan_t *plan, size_t occurrences, size_t passages)
{
	(void)passages;
	window_ctx_t *w = ctx;
	int k = w->plan_map[plan - w->plans];
	if (k >= 0 && occurrences > 0 && w->seen[k] == w->round - 1)
		w->seen[k] = w->round;
	return 0;
}

/* Mark in candidate[] (per map) the plans the term t may occur in. */
static int term_candidates(ps_store_t *store, const char *t, const int *plan_map,
			   const ps_plan_t *plans, size_t n_maps, uint8_t *candidate,
			   char **error)
{
	window_ctx_t w = {plan_map, plans, calloc(n_maps ? n_maps : 1, sizeof *w.seen), 0};
	size_t len = strlen(t);
	int rc = -1;
	if (w.seen == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	for (size_t at = 0; at < len;) { /* each window: up to 4 characters from here */
		size_t end = at, chars = 0;
		while (end < len && chars < PS_MAX_COUNTED_GRAM) {
			size_t next = end;
			int32_t c = utf8_next(t, &next, len);
			if (c < 0 || utf8_is_space(c))
				break;
			end = next;
			chars++;
		}
		if (end > at && ps_counts_cover(t + at, end - at)) {
			w.round++;
			if (ps_store_count(store, t + at, end - at, on_window, &w, error) != 0)
				goto out;
		}
		utf8_next(t, &at, len);
	}
	for (size_t k = 0; k < n_maps; k++)
		candidate[k] = w.seen[k] == w.round;
	rc = 0;
out:
	free(w.seen);
	return rc;
}

/* ---- other single terms: one matcher pass over each plan's normal form ---- */

typedef struct term_state {
	size_t row;      /* the query's row */
	size_t last_end; /* end of the last counted occurrence in the normal form */
	int64_t last_unit;
	int *marks;      /* section scope: the narrowest section holding each occurrence */
	size_t n_marks, cap_marks;
} term_state_t;

typedef struct pass {
	pq_freq_t *f;
	const plan_map_t *m;
	term_state_t *terms;
	const uint8_t *const *candidate; /* per scanned term: per plan map, whether to count */
	size_t map;                      /* the plan map being scanned */
	char **error;
} pass_t;

static int mark_section(term_state_t *t, int s)
{
	if (t->n_marks > 0 && t->marks[t->n_marks - 1] == s)
		return 0;
	if (t->n_marks == t->cap_marks) {
		size_t cap = t->cap_marks ? t->cap_marks * 2 : 8;
		int *marks = realloc(t->marks, cap * sizeof *marks);
		if (marks == NULL)
			return -1;
		t->marks = marks;
		t->cap_marks = cap;
	}
	t->marks[t->n_marks++] = s;
	return 0;
}

/* Where section i's clauses lie in the normal form: [*start, *end), its sub-sections
 * included (the root: its own clauses only). False when it has none. */
static bool section_span(const ps_outline_t *o, int i, size_t *start, size_t *end)
{
	int first = o->sections[i].first_clause, last = o->sections[i].end_clause;
	if (i == 0)
		for (last = 0; last < (int)o->n_clauses && o->clauses[last].section == 0; last++)
			;
	if (last <= first)
		return false;
	*start = o->clauses[first].norm_start;
	*end = o->clauses[last - 1].norm_end;
	return true;
}

/* The unit of the scope that holds normal-form bytes [s, e): its key and where it starts;
 * -1 when no unit holds all of it. Section scope: the narrowest section. */
static int64_t unit_of(const plan_map_t *m, pq_scope_t scope, size_t s, size_t e,
		       size_t *unit_start)
{
	const ps_outline_t *o = m->o;
	size_t us, ue;
	if (scope == PQ_SCOPE_SECTION) {
		int sec = section_at(m, s);
		while (sec > 0 && !(section_span(o, sec, &us, &ue) && s >= us && e <= ue))
			sec = o->sections[sec].parent;
		if (sec == 0 && !(section_span(o, 0, &us, &ue) && s >= us && e <= ue))
			return -1;
		*unit_start = m->sec_start[sec];
		return sec;
	}
	int c = clause_at(o, s);
	if (c < 0)
		return -1;
	const ps_clause_t *cl = &o->clauses[c];
	us = cl->norm_start;
	ue = cl->norm_end;
	int64_t key = c;
	if (scope == PQ_SCOPE_PARAGRAPH && cl->paragraph >= 0) {
		const ps_paragraph_t *p = &o->paragraphs[cl->paragraph];
		us = o->clauses[p->first_clause].norm_start;
		ue = o->clauses[p->end_clause - 1].norm_end;
		key = cl->paragraph;
	} else if (scope == PQ_SCOPE_PARAGRAPH) {
		key = (int64_t)o->n_paragraphs + cl->section;
	}
	if (s < us || e > ue)
		return -1;
	*unit_start = us;
	return key;
}

static int on_occurrence(void *ctx, size_t pattern, size_t s, size_t e)
{
	pass_t *p = ctx;
	term_state_t *t = &p->terms[pattern];
	const plan_map_t *m = p->m;
	if (!p->candidate[pattern][p->map])
		return 0; /* counted otherwise, or cannot be here */
	int g = group_at(p->f, m, s);
	if (g >= 0 && g == group_at(p->f, m, e - 1) && s >= t->last_end) {
		cell(p->f, t->row, g)->occurrences++;
		t->last_end = e;
	}
	size_t us;
	int64_t unit = unit_of(m, p->f->scope, s, e, &us);
	if (unit < 0 || unit == t->last_unit)
		return 0;
	t->last_unit = unit;
	if (p->f->scope == PQ_SCOPE_SECTION) {
		if (mark_section(t, (int)unit) != 0) {
			strbuf_printf_new(p->error, "out of memory");
			return -1;
		}
	} else if ((g = group_at(p->f, m, us)) >= 0) {
		cell(p->f, t->row, g)->passages++;
	}
	return 0;
}

/* Section scope: count the marked sections with no marked section under them. */
static void count_sections(pq_freq_t *f, const plan_map_t *m, term_state_t *t, uint8_t *flags)
{
	const ps_outline_t *o = m->o;
	for (size_t k = 0; k < t->n_marks; k++) {
		flags[t->marks[k]] |= 1;
		for (int a = o->sections[t->marks[k]].parent; a > 0 && !(flags[a] & 2);
		     a = o->sections[a].parent)
			flags[a] |= 2;
	}
	for (size_t k = 0; k < t->n_marks; k++) {
		int s = t->marks[k];
		int g = by_plan(f) ? m->group[0] : m->group[s];
		if (flags[s] == 1 && g >= 0)
			cell(f, t->row, g)->passages++;
		flags[s] |= 4; /* counted: a repeated mark is not counted again */
	}
	for (size_t k = 0; k < t->n_marks; k++)
		for (int a = t->marks[k]; a >= 0 && flags[a] != 0; a = o->sections[a].parent)
			flags[a] = 0;
	t->n_marks = 0;
}

static int count_scanned(ps_store_t *store, pq_freq_t *f, plan_map_t *maps, size_t n_maps,
			 const pq_freq_request_t *req, const size_t *rows,
			 uint8_t *const *candidate, size_t n_rows, size_t *done, size_t total,
			 char **error)
{
	const char **patterns = calloc(n_rows ? n_rows : 1, sizeof *patterns);
	size_t *lens = calloc(n_rows ? n_rows : 1, sizeof *lens);
	term_state_t *terms = calloc(n_rows ? n_rows : 1, sizeof *terms);
	pq_matcher_t *matcher = NULL;
	uint8_t *flags = NULL;
	int rc = -1;

	if (patterns == NULL || lens == NULL || terms == NULL)
		goto oom;
	for (size_t i = 0; i < n_rows; i++) {
		patterns[i] = req->queries[rows[i]]->terms[0].norm;
		lens[i] = strlen(patterns[i]);
		terms[i].row = rows[i];
	}
	if (pq_matcher_new(patterns, lens, n_rows, &matcher, error) != 0)
		goto out;
	for (size_t k = 0; k < n_maps; k++) {
		bool wanted = false; /* a plan none of the terms can be in is not read */
		for (size_t i = 0; i < n_rows && !wanted; i++)
			wanted = candidate[i][k];
		if (!wanted) {
			if (req->progress)
				req->progress(req->progress_ctx, ++*done, total);
			continue;
		}
		if (map_load(store, &maps[k], error) != 0)
			goto out;
		for (size_t i = 0; i < n_rows; i++) {
			terms[i].last_end = 0;
			terms[i].last_unit = -1;
		}
		pass_t pass = {f, &maps[k], terms, (const uint8_t *const *)candidate, k, error};
		if (pq_matcher_run(matcher, maps[k].norm, maps[k].norm_len, on_occurrence, &pass) !=
		    0)
			goto out;
		if (f->scope == PQ_SCOPE_SECTION) {
			free(flags);
			if ((flags = calloc(maps[k].o->n_sections, 1)) == NULL)
				goto oom;
			for (size_t i = 0; i < n_rows; i++)
				count_sections(f, &maps[k], &terms[i], flags);
		}
		if (req->progress)
			req->progress(req->progress_ctx, ++*done, total);
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	for (size_t i = 0; terms && i < n_rows; i++)
		free(terms[i].marks);
	free(terms);
	free(patterns);
	free(lens);
	free(flags);
	pq_matcher_free(matcher);
	return rc;
}

/* ---- queries with operators: one search each ---- */

/* The non-overlapping occurrences in text of the positive terms of ~CONCEPT `concept`,
 * counted as one term: leftmost first, the longest term at a place (减负提质 is one
 * occurrence, not also one of 减负). */
static size_t concept_occurrences(const pq_query_t *q, const char *concept, const char *text)
{
	size_t n = 0, len = strlen(text);
	for (size_t at = 0; at < len;) {
		size_t best = 0;
		for (size_t i = 0; i < q->n_terms; i++) {
			const pq_term_t *t = &q->terms[i];
			size_t tl = strlen(t->norm);
			if (t->positive && t->concept && strcmp(t->concept, concept) == 0 &&
			    tl > best && tl <= len - at && memcmp(text + at, t->norm, tl) == 0)
				best = tl;
		}
		if (best > 0) {
			n++;
			at += best;
		} else {
			at++;
		}
	}
	return n;
}

/* The non-overlapping occurrences of the query's distinct positive terms in a hit; the
 * terms of one ~CONCEPT count as one term. */
static int hit_occurrences(ps_store_t *store, const pq_query_t *q, const pq_hit_t *hit,
			   size_t *n, char **error)
{
	seg_norm_t norm = {0};
	if (pq_hit_normalize(store, hit, false, &norm, error) != 0)
		return -1;
	*n = 0;
	for (size_t i = 0; i < q->n_terms; i++) {
		const char *c = q->terms[i].concept;
		bool seen = !q->terms[i].positive;
		for (size_t j = 0; j < i && !seen; j++)
			seen = q->terms[j].positive &&
			       (c ? q->terms[j].concept && strcmp(q->terms[j].concept, c) == 0
				  : strcmp(q->terms[j].norm, q->terms[i].norm) == 0);
		if (!seen)
			*n += c ? concept_occurrences(q, c, norm.text)
				: pq_occur_count(norm.text, q->terms[i].norm);
	}
	seg_norm_clear(&norm);
	return 0;
}

static int count_query(ps_store_t *store, pq_freq_t *f, plan_map_t *maps, const int *plan_map,
		       const ps_plan_t *plans, const pq_freq_request_t *req, size_t row,
		       char **error)
{
	pq_request_t sreq = {.query = req->queries[row], .scope = req->scope,
			     .cities = req->cities, .n_cities = req->n_cities};
	pq_results_t *r = NULL;
	int rc = -1;

	if (pq_search(store, &sreq, &r, error) != 0)
		goto out;
	for (size_t h = 0; h < r->n_hits; h++) {
		const pq_hit_t *hit = &r->hits[h];
		int k = plan_map[hit->plan - plans];
		if (k < 0)
			continue;
		int g = maps[k].group[by_plan(f) ? 0 : hit->section];
		size_t n;
		if (g < 0)
			continue;
		if (hit_occurrences(store, req->queries[row], hit, &n, error) != 0)
			goto out;
		cell(f, row, g)->passages++;
		cell(f, row, g)->occurrences += n;
	}
	rc = 0;
out:
	pq_results_free(r);
	return rc;
}

/* ---- the whole table ---- */

static bool is_plain(const pq_query_t *q)
{
	return q->n_terms == 1 && q->root != NULL && q->root->kind == PQ_NODE_TERM &&
	       q->terms[0].positive;
}

/* Whether the n-gram counts answer a plain term's row (a term that can overlap itself:
 * in the plans where its places and clauses agree, on_count). */
static bool counted(const pq_freq_t *f, const pq_query_t *q)
{
	const char *t = q->terms[0].norm;
	return by_plan(f) && f->scope == PQ_SCOPE_CLAUSE && ps_counts_cover(t, strlen(t));
}

/* Decide where each row's cells come from (f->rows): a plain term the n-gram counts answer
 * alone (one that cannot overlap itself) is counted when read, every other row gets room in
 * the stored block. Returns 0, or -1 when out of memory. */
static int rows_plan(ps_store_t *store, pq_freq_t *f, const pq_freq_request_t *req,
		     const ps_plan_t *plans, size_t n_plans, const int *plan_map,
		     const plan_map_t *maps)
{
	struct pq_freq_rows *r = calloc(1, sizeof *r);
	size_t n = f->n_terms ? f->n_terms : 1;
	if ((f->rows = r) == NULL)
		return -1;
	r->store = store;
	r->plans = plans;
	r->late = calloc(n, sizeof *r->late);
	r->stored = malloc(n * sizeof *r->stored);
	r->plan_group = malloc((n_plans ? n_plans : 1) * sizeof *r->plan_group);
	r->scratch = calloc(f->n_groups ? f->n_groups : 1, sizeof *r->scratch);
	if (r->late == NULL || r->stored == NULL || r->plan_group == NULL || r->scratch == NULL)
		return -1;
	for (size_t p = 0; p < n_plans; p++) /* only by city or document: one group a plan */
		r->plan_group[p] = plan_map[p] >= 0 && by_plan(f) ? maps[plan_map[p]].group[0] : -1;
	for (size_t i = 0; i < f->n_terms; i++) {
		const pq_query_t *q = req->queries[i];
		r->stored[i] = SIZE_MAX;
		if (is_plain(q) && counted(f, q) && !self_overlapping(q->terms[0].norm)) {
			if ((r->late[i] = strdup(q->terms[0].norm)) == NULL)
				return -1;
		} else {
			r->stored[i] = r->n_stored++;
		}
	}
	if (f->n_groups != 0 && r->n_stored > SIZE_MAX / sizeof *r->cells / f->n_groups)
		return -1;
	return (r->cells = cells_alloc(r->n_stored * f->n_groups)) == NULL ? -1 : 0;
}

ps_status_t pq_freq_run(ps_store_t *store, const pq_freq_request_t *req, pq_freq_t **out,
			char **error)
{
	pq_freq_t *f = calloc(1, sizeof *f);
	size_t n_plans;
	const ps_plan_t *plans = ps_store_plans(store, &n_plans);
	plan_map_t *maps = calloc(n_plans ? n_plans : 1, sizeof *maps);
	int *plan_map = malloc((n_plans ? n_plans : 1) * sizeof *plan_map);
	size_t n_maps = 0, *scanned = NULL, n_scanned = 0, n_searched = 0;
	uint8_t **candidate = NULL;
	ps_status_t rc = PS_ERR_FAILED;

	if (f == NULL || maps == NULL || plan_map == NULL)
		goto oom;
	f->by = req->by;
	f->scope = req->scope;
	f->n_terms = req->n_queries;
	for (size_t p = 0; p < n_plans; p++) { /* the plans counted, in index order */
		bool chosen = req->n_cities == 0;
		for (size_t c = 0; c < req->n_cities && !chosen; c++)
			chosen = req->cities[c] == &plans[p];
		plan_map[p] = chosen ? (int)n_maps : -1;
		if (chosen)
			maps[n_maps++].plan = &plans[p];
	}
	if ((by_plan(f) ? plan_groups(f, maps, n_maps, error)
			: section_groups(store, f, maps, n_maps, error)) != 0)
		goto out;
	if (rows_plan(store, f, req, plans, n_plans, plan_map, maps) != 0)
		goto oom;
	scanned = calloc(req->n_queries ? req->n_queries : 1, sizeof *scanned);
	candidate = calloc(req->n_queries ? req->n_queries : 1, sizeof *candidate);
	if (scanned == NULL || candidate == NULL)
		goto oom;
	for (size_t i = 0; i < req->n_queries; i++) {
		const pq_query_t *q = req->queries[i];
		if (f->rows->late[i] != NULL)
			continue; /* counted when read */
		if (!is_plain(q)) {
			n_searched++;
			continue;
		}
		const char *t = q->terms[0].norm;
		if ((candidate[n_scanned] = calloc(n_maps ? n_maps : 1, 1)) == NULL)
			goto oom;
		if (counted(f, q)) { /* a term that can overlap itself */
			count_ctx_t c = {&f->rows->cells[f->rows->stored[i] * f->n_groups],
					 f->rows->plan_group, plans, plan_map,
					 candidate[n_scanned]};
			if (ps_store_count(store, t, strlen(t), on_count, &c, error) != 0)
				goto out;
		} else if (term_candidates(store, t, plan_map, plans, n_maps, candidate[n_scanned],
					   error) != 0) {
			goto out;
		}
		scanned[n_scanned++] = i;
	}
	size_t done = 0, total = (n_scanned ? n_maps : 0) + n_searched;
	if (n_scanned > 0 && count_scanned(store, f, maps, n_maps, req, scanned, candidate,
					   n_scanned, &done, total, error) != 0)
		goto out;
	for (size_t i = 0; i < req->n_queries; i++) {
		if (is_plain(req->queries[i]))
			continue;
		if (count_query(store, f, maps, plan_map, plans, req, i, error) != 0)
			goto out;
		if (req->progress)
			req->progress(req->progress_ctx, ++done, total);
	}
	*out = f;
	f = NULL;
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	for (size_t k = 0; k < n_maps; k++)
		plan_map_free(&maps[k]);
	free(maps);
	free(plan_map);
	free(scanned);
	for (size_t i = 0; candidate != NULL && i < req->n_queries; i++)
		free(candidate[i]);
	free(candidate);
	pq_freq_free(f);
	return rc;
}

void pq_freq_free(pq_freq_t *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n_groups; i++) {
		free(f->groups[i].id);
		free(f->groups[i].heading);
		free(f->groups[i].column);
	}
	free(f->groups);
	rows_free(f->rows, f->n_terms, f->n_groups);
	free(f);
}

ps_status_t pq_freq_row_in(const pq_freq_t *f, size_t t, pq_freq_cell_t *room,
			   const pq_freq_cell_t **cells, char **error)
{
	const struct pq_freq_rows *r = f->rows;
	if (r->late[t] == NULL) {
		*cells = &r->cells[r->stored[t] * f->n_groups];
		return PS_OK;
	}
	memset(room, 0, f->n_groups * sizeof *room);
	count_ctx_t c = {room, r->plan_group, r->plans, NULL, NULL};
	ps_status_t st = ps_store_count(r->store, r->late[t], strlen(r->late[t]), on_count, &c,
					error);
	if (st == PS_OK)
		*cells = room;
	return st;
}

ps_status_t pq_freq_row(const pq_freq_t *f, size_t t, const pq_freq_cell_t **cells,
			char **error)
{
	return pq_freq_row_in(f, t, f->rows->scratch, cells, error);
}
