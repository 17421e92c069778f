/* settle.c: a lone term's candidates taken a plan at a time and settled by the plan's count of clauses holding it. */
#include "settle.h"

#include "counts.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

typedef struct held {
	unsigned first, end; /* the plan's clause documents, [first, end) */
	size_t passages;     /* how many of them hold the term */
} held_t;

typedef struct candidate {
	unsigned docid;
	double score;
} candidate_t;

struct pq_settle {
	held_t *plans; /* the plans holding the term, by document id */
	size_t n_plans, cap_plans, at;
	candidate_t *group; /* the candidates of one plan, and the one after them */
	size_t n_group, cap_group, next;
	bool group_sure, ended, have_ahead, failed;
	candidate_t ahead; /* the first candidate of the next plan, already taken */
};

static int add_plan(void *ctx, const ps_plan_t *plan, size_t occurrences, size_t passages)
{
	pq_settle_t *s = ctx;
	(void)occurrences;
	if (passages == 0)
		return 0;
	if (s->n_plans == s->cap_plans) {
		size_t cap = s->cap_plans ? s->cap_plans * 2 : 64;
		held_t *plans = realloc(s->plans, cap * sizeof *plans);
		if (plans == NULL) {
			s->failed = true;
			return -1;
		}
		s->plans = plans;
		s->cap_plans = cap;
	}
	s->plans[s->n_plans++] = (held_t){plan->first_docid,
					  plan->first_docid + (unsigned)plan->passages, passages};
	return 0;
}

static int by_first(const void *a, const void *b)
{
	const held_t *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

int pq_settle_new(ps_store_t *store, const pq_query_t *query, pq_settle_t **out, char **error)
{
	*out = NULL;
	if (query->n_terms != 1 || query->root->kind != PQ_NODE_TERM)
		return 0;
	const char *norm = query->terms[0].norm;
	size_t len = strlen(norm);
	if (!ps_counts_cover(norm, len))
		return 0;
	pq_settle_t *s = calloc(1, sizeof *s);
	if (s == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	ps_status_t st = ps_store_count(store, norm, len, add_plan, s, error);
	if (st != PS_OK) {
		pq_settle_free(s);
		return -1; /* the counts are damaged: *error says so */
	}
	if (s->failed) { /* the walk stopped short: the plans missing would read as "none" */
		pq_settle_free(s);
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	if (s->n_plans > 1) /* qsort may not be given NULL, which no plan leaves */
		qsort(s->plans, s->n_plans, sizeof *s->plans, by_first);
	*out = s;
	return 0;
}

/* Take the candidates of the next plan that has any into the group, and settle them:
 * sure when the plan's count of clauses holding the term equals them, dropped when the
 * plan holds it nowhere. Returns 1 with a group, 0 at the end, -1 with a message. */
static int take_group(pq_settle_t *s, pq_match_t *match, char **error)
{
	for (;;) {
		s->n_group = s->next = 0;
		candidate_t c;
		if (s->have_ahead) {
			c = s->ahead;
			s->have_ahead = false;
		} else {
			if (s->ended)
				return 0;
			int got = pq_match_next(match, &c.docid, &c.score, error);
			if (got <= 0) {
				s->ended = true;
				return got;
			}
		}
		while (s->at < s->n_plans && s->plans[s->at].end <= c.docid)
			s->at++;
		bool held = s->at < s->n_plans && s->plans[s->at].first <= c.docid;
		/* the candidates up to the plan's end (or, where no plan holds the term, up to
		 * the next plan that does) */
		unsigned end = held ? s->plans[s->at].end
				    : s->at < s->n_plans ? s->plans[s->at].first : ~0u;
		for (;;) {
			if (held) {
				if (s->n_group == s->cap_group) {
					size_t cap = s->cap_group ? s->cap_group * 2 : 256;
					candidate_t *g = realloc(s->group, cap * sizeof *g);
					if (g == NULL) {
						strbuf_printf_new(error, "out of memory");
						return -1;
					}
					s->group = g;
					s->cap_group = cap;
				}
				s->group[s->n_group++] = c;
			}
			int got = pq_match_next(match, &c.docid, &c.score, error);
			if (got < 0)
				return -1;
			if (got == 0) {
				s->ended = true;
				break;
			}
			if (c.docid >= end) {
				s->ahead = c;
				s->have_ahead = true;
				break;
			}
		}
		if (held) {
			s->group_sure = s->n_group == s->plans[s->at].passages;
			return 1;
		}
	}
}

int pq_settle_next(pq_settle_t *s, pq_match_t *match, unsigned *docid, double *score,
		   bool *sure, char **error)
{
	while (s->next == s->n_group) {
		int got = take_group(s, match, error);
		if (got <= 0)
			return got;
	}
	*docid = s->group[s->next].docid;
	*score = s->group[s->next].score;
	*sure = s->group_sure;
	s->next++;
	return 1;
}

void pq_settle_free(pq_settle_t *s)
{
	if (s == NULL)
		return;
	free(s->plans);
	free(s->group);
	free(s);
}
