/* freq.c: counting queries per group: one pass per plan for plain terms, a search for the rest. */
#include "freq.h"

#include "label.h"
#include "normalize.h"
#include "occur.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- each plan's sections, in text order, and the group each belongs to ---- */

typedef struct plan_map {
	const ps_plan_t *plan;
	const ps_outline_t *o;
	const char *src;
	int *group; /* per section: its group, -1 for an empty preamble */
} plan_map_t;

static int group_at(const plan_map_t *m, size_t off)
{
	return m->group[ps_outline_section_at(m->o, off)];
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
	strbuf_printf(&id, "%s/%s", m->plan->city_id, m->o->sections[i].path);
	pq_label_section_path(m->o, i, &heading);
	strbuf_printf(&column, "%s ", id.data ? id.data : "");
	pq_label_heading(m->o, i, &column);
	g->id = strbuf_steal(&id);
	g->heading = strbuf_steal(&heading);
	g->column = strbuf_steal(&column);
	return g->id && g->heading && g->column ? 0 : -1;
}

/* Make the groups and give every section of every plan its group. */
static int make_groups(pq_freq_t *f, plan_map_t *maps, size_t n_maps, char **error)
{
	size_t cap = 0;
	for (size_t k = 0; k < n_maps; k++) {
		plan_map_t *m = &maps[k];
		const ps_outline_t *o = m->o;
		for (size_t i = 0; i < o->n_sections; i++) {
			size_t s, e;
			own_range(m, i, &s, &e);
			size_t chars = pq_occur_characters(m->src, s, e);
			int g = -1;
			if (f->by == PQ_BY_CITY && i > 0) {
				g = m->group[0];
			} else if (f->by == PQ_BY_CITY && !m->plan->city_shared) {
				/* a city's plans count together, unless it has several: then
				 * each plan is a group of its own, named (label.h) */
				for (size_t j = 0; j < f->n_groups && g < 0; j++)
					if (strcmp(f->groups[j].plan->city, m->plan->city) == 0)
						g = (int)j;
			} else if (f->by == PQ_BY_DOCUMENT) {
				g = i == 0 ? -1 : m->group[0];
			} else if (f->by == PQ_BY_CHAPTER && i > 0 && o->sections[i].depth > 1) {
				g = m->group[ps_outline_chapter_of(o, (int)i)];
			}
			if (g < 0 && (f->by == PQ_BY_CITY || f->by == PQ_BY_DOCUMENT)) {
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
			} else if (g < 0 && (i > 0 || chars > 0)) {
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

/* ---- plain terms: one automaton pass per plan ---- */

typedef struct term_state {
	size_t row;      /* the query's row */
	size_t last_end; /* end of the last counted occurrence in the normalised body */
	int64_t last_unit;
	int *marks;      /* section scope: the narrowest section holding each occurrence */
	size_t n_marks, cap_marks;
} term_state_t;

typedef struct pass {
	pq_freq_t *f;
	const plan_map_t *m;
	term_state_t *terms;
	char **error;
} pass_t;

static pq_freq_cell_t *cell(pq_freq_t *f, size_t row, int g)
{
	return &f->cells[row * f->n_groups + (size_t)g];
}

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

/* The unit of the scope that holds source bytes [s, e): its key and the byte it starts
 * at; -1 when no unit holds all of it. Section scope: the narrowest section. */
static int64_t unit_of(const ps_outline_t *o, pq_scope_t scope, size_t s, size_t e,
		       size_t *unit_start)
{
	if (scope == PQ_SCOPE_SECTION) {
		int sec = ps_outline_section_at(o, s);
		while (sec > 0 && e > o->sections[sec].end)
			sec = o->sections[sec].parent;
		if (sec == 0 && (s < o->sections[0].start || e > ps_outline_own_end(o, 0)))
			return -1;
		*unit_start = o->sections[sec].start;
		return sec;
	}
	int c = ps_outline_clause_at(o, s);
	if (c < 0)
		return -1;
	const ps_clause_t *cl = &o->clauses[c];
	size_t us = cl->start, ue = cl->end;
	int64_t key = c;
	if (scope == PQ_SCOPE_PARAGRAPH && cl->paragraph >= 0) {
		us = o->paragraphs[cl->paragraph].start;
		ue = o->paragraphs[cl->paragraph].end;
		key = cl->paragraph;
	} else if (scope == PQ_SCOPE_PARAGRAPH) {
		key = (int64_t)o->n_paragraphs + cl->section;
	}
	if (s < us || e > ue)
		return -1;
	*unit_start = us;
	return key;
}

static int on_occurrence(void *ctx, size_t pattern, size_t ns, size_t ne, size_t s, size_t e)
{
	pass_t *p = ctx;
	term_state_t *t = &p->terms[pattern];
	const plan_map_t *m = p->m;
	int g = group_at(m, s);
	if (g >= 0 && g == group_at(m, e - 1) && ns >= t->last_end) {
		cell(p->f, t->row, g)->occurrences++;
		t->last_end = ne;
	}
	size_t us;
	int64_t unit = unit_of(m->o, p->f->scope, s, e, &us);
	if (unit < 0 || unit == t->last_unit)
		return 0;
	t->last_unit = unit;
	if (p->f->scope == PQ_SCOPE_SECTION) {
		if (mark_section(t, (int)unit) != 0) {
			strbuf_printf_new(p->error, "out of memory");
			return -1;
		}
	} else if ((g = group_at(m, us)) >= 0) {
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
		if (flags[s] == 1 && m->group[s] >= 0)
			cell(f, t->row, m->group[s])->passages++;
		flags[s] |= 4; /* counted: a repeated mark is not counted again */
	}
	for (size_t k = 0; k < t->n_marks; k++)
		for (int a = t->marks[k]; a >= 0 && flags[a] != 0; a = o->sections[a].parent)
			flags[a] = 0;
	t->n_marks = 0;
}

static int count_plain(pq_freq_t *f, const plan_map_t *maps, size_t n_maps,
		       const pq_freq_request_t *req, const size_t *rows, size_t n_plain,
		       size_t *done, size_t total, char **error)
{
	const char **patterns = calloc(n_plain ? n_plain : 1, sizeof *patterns);
	size_t *lens = calloc(n_plain ? n_plain : 1, sizeof *lens);
	term_state_t *terms = calloc(n_plain ? n_plain : 1, sizeof *terms);
	pq_matcher_t *matcher = NULL;
	uint8_t *flags = NULL;
	int rc = -1;

	if (patterns == NULL || lens == NULL || terms == NULL)
		goto oom;
	for (size_t i = 0; i < n_plain; i++) {
		patterns[i] = req->queries[rows[i]]->terms[0].norm;
		lens[i] = strlen(patterns[i]);
		terms[i].row = rows[i];
	}
	if (pq_matcher_new(patterns, lens, n_plain, &matcher, error) != 0)
		goto out;
	for (size_t k = 0; k < n_maps; k++) {
		for (size_t i = 0; i < n_plain; i++) {
			terms[i].last_end = 0;
			terms[i].last_unit = -1;
		}
		pass_t pass = {f, &maps[k], terms, error};
		const ps_plan_t *plan = maps[k].plan;
		if (pq_occur_scan_body(maps[k].src, plan->body_start, plan->body_end, matcher,
				       on_occurrence, &pass, error) != 0)
			goto out;
		if (f->scope == PQ_SCOPE_SECTION) {
			free(flags);
			if ((flags = calloc(maps[k].o->n_sections, 1)) == NULL)
				goto oom;
			for (size_t i = 0; i < n_plain; i++)
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
	for (size_t i = 0; terms && i < n_plain; i++)
		free(terms[i].marks);
	free(terms);
	free(patterns);
	free(lens);
	free(flags);
	pq_matcher_free(matcher);
	return rc;
}

/* ---- queries with operators: one search each ---- */

/* The non-overlapping occurrences of the query's distinct positive terms in a hit. */
static int hit_occurrences(ps_store_t *index, const pq_query_t *q, const pq_hit_t *hit,
			   size_t *n, char **error)
{
	seg_norm_t norm = {0};
	if (pq_hit_normalize(index, hit, false, &norm, error) != 0)
		return -1;
	*n = 0;
	for (size_t i = 0; i < q->n_terms; i++) {
		bool seen = !q->terms[i].positive;
		for (size_t j = 0; j < i && !seen; j++)
			seen = q->terms[j].positive &&
			       strcmp(q->terms[j].norm, q->terms[i].norm) == 0;
		if (!seen)
			*n += pq_occur_count(norm.text, q->terms[i].norm);
	}
	seg_norm_clear(&norm);
	return 0;
}

static int count_query(ps_store_t *index, pq_freq_t *f, const plan_map_t *maps, size_t n_maps,
		       const pq_freq_request_t *req, size_t row, char **error)
{
	pq_request_t sreq = {.query = req->queries[row], .scope = req->scope,
			     .cities = req->cities, .n_cities = req->n_cities};
	pq_results_t *r = NULL;
	int rc = -1;

	if (pq_search(index, &sreq, &r, error) != 0)
		goto out;
	for (size_t h = 0; h < r->n_hits; h++) {
		const pq_hit_t *hit = &r->hits[h];
		const plan_map_t *m = NULL;
		for (size_t k = 0; k < n_maps && m == NULL; k++)
			if (maps[k].plan == hit->plan)
				m = &maps[k];
		if (m == NULL || hit->section < 0 || (size_t)hit->section >= m->o->n_sections)
			continue;
		int g = m->group[hit->section];
		size_t n;
		if (g < 0)
			continue;
		if (hit_occurrences(index, req->queries[row], hit, &n, error) != 0)
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

static int load_maps(ps_store_t *index, const pq_freq_request_t *req, plan_map_t **out,
		     size_t *n_out, char **error)
{
	size_t n_plans;
	const ps_plan_t *plans = ps_store_plans(index, &n_plans);
	plan_map_t *maps = calloc(n_plans ? n_plans : 1, sizeof *maps);
	size_t n = 0;
	if (maps == NULL)
		goto oom;
	for (size_t p = 0; p < n_plans; p++) {
		bool chosen = req->n_cities == 0;
		for (size_t c = 0; c < req->n_cities && !chosen; c++)
			chosen = req->cities[c] == &plans[p];
		if (!chosen)
			continue;
		plan_map_t *m = &maps[n++];
		size_t len;
		m->plan = &plans[p];
		if (ps_store_plan_outline(index, m->plan, &m->o, error) != 0 ||
		    ps_store_plan_source(index, m->plan, &m->src, &len, error) != 0)
			goto fail;
		for (size_t i = 2; i < m->o->n_sections; i++)
			if (m->o->sections[i].start < m->o->sections[i - 1].start) {
				strbuf_printf_new(error, "the index's outline of %s is out of "
						  "order; rebuild the index with policy-index",
						  m->plan->file);
				goto fail;
			}
		if ((m->group = calloc(m->o->n_sections, sizeof *m->group)) == NULL)
			goto oom;
	}
	*out = maps;
	*n_out = n;
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
fail:
	for (size_t k = 0; k < n; k++)
		free(maps[k].group);
	free(maps);
	return -1;
}

int pq_freq_run(ps_store_t *index, const pq_freq_request_t *req, pq_freq_t **out,
		char **error)
{
	pq_freq_t *f = calloc(1, sizeof *f);
	plan_map_t *maps = NULL;
	size_t n_maps = 0, *plain = NULL, n_plain = 0;
	int rc = -1;

	if (f == NULL)
		goto oom;
	f->by = req->by;
	f->scope = req->scope;
	f->n_terms = req->n_queries;
	if (load_maps(index, req, &maps, &n_maps, error) != 0 ||
	    make_groups(f, maps, n_maps, error) != 0)
		goto out;
	if (f->n_groups != 0 && f->n_terms > SIZE_MAX / sizeof *f->cells / f->n_groups)
		goto oom;
	size_t n_cells = f->n_terms * f->n_groups;
	f->cells = calloc(n_cells ? n_cells : 1, sizeof *f->cells);
	plain = calloc(req->n_queries ? req->n_queries : 1, sizeof *plain);
	if (f->cells == NULL || plain == NULL)
		goto oom;
	for (size_t i = 0; i < req->n_queries; i++)
		if (is_plain(req->queries[i]))
			plain[n_plain++] = i;
	size_t done = 0, total = (n_plain ? n_maps : 0) + (req->n_queries - n_plain);
	if (n_plain > 0 &&
	    count_plain(f, maps, n_maps, req, plain, n_plain, &done, total, error) != 0)
		goto out;
	for (size_t i = 0; i < req->n_queries; i++) {
		if (is_plain(req->queries[i]))
			continue;
		if (count_query(index, f, maps, n_maps, req, i, error) != 0)
			goto out;
		if (req->progress)
			req->progress(req->progress_ctx, ++done, total);
	}
	*out = f;
	f = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	for (size_t k = 0; k < n_maps; k++)
		free(maps[k].group);
	free(maps);
	free(plain);
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
	free(f->cells);
	free(f);
}
