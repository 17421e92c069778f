/* search.h: running a parsed query: candidates from the index, exactness from the text, units of a scope. */
#ifndef PQ_SEARCH_H
#define PQ_SEARCH_H

#include "store.h"
#include "normalize.h"
#include "parse.h"
#include "thesaurus.h"

#include <stdbool.h>
#include <stddef.h>

/* What a hit is, and what all of a query's positive terms must fall inside. */
typedef enum pq_scope {
	PQ_SCOPE_CLAUSE,    /* one clause (同句); the default */
	PQ_SCOPE_PARAGRAPH, /* one paragraph (同段); a heading counts as a paragraph of its own */
	PQ_SCOPE_SECTION,   /* one section with its sub-sections (同节) */
} pq_scope_t;

/* Parse "clause", "paragraph" or "section". Returns 0, or -1 for anything else. */
int pq_scope_parse(const char *name, pq_scope_t *out);
const char *pq_scope_name(pq_scope_t scope);

/* The order of the hits. */
typedef enum pq_order {
	PQ_ORDER_SCORE,    /* best first (BM25), then plan and text order; the default */
	PQ_ORDER_DOCUMENT, /* plan order (the index's), then text order: to read every hit in
			    * sequence */
} pq_order_t;

/* Parse "score" or "document". Returns 0, or -1 for anything else. */
int pq_order_parse(const char *name, pq_order_t *out);

typedef struct pq_request {
	const pq_query_t *query;
	pq_scope_t scope;
	bool any;                       /* rank the units (of the scope) holding some of the
					 * query's words, bigrams or concept variants (rank.h)
					 * instead of requiring every term */
	const pq_thesaurus_t *thesaurus; /* with any: whose variants count too; NULL for none */
	const ps_plan_t *const *cities; /* only these plans; none means all */
	size_t n_cities;
	const char *section;            /* only hits under a section whose title contains
					 * this (normalised); NULL for all */
	int level;                      /* only hits whose section is at this depth (with
					 * PQ_SCOPE_SECTION: the sections at this depth are the
					 * units); 0 for all */
	bool page;                      /* keep only the hits [offset, offset + limit) of
					 * the ranked list (the total and the facets still
					 * count every hit); false keeps every hit */
	size_t offset, limit;           /* with page; limit SIZE_MAX for the rest */
	pq_order_t order;               /* how the hits (and so the page) are ordered */
	bool check_text;                /* check every candidate on its text even where the
					 * index alone answers exactly (match.h, settle.h; tests compare
					 * the two) */
} pq_request_t;

typedef struct pq_range {
	size_t start, end; /* bytes, end exclusive */
} pq_range_t;

typedef enum pq_unit {
	PQ_UNIT_CLAUSE,    /* a body clause */
	PQ_UNIT_HEADING,   /* a heading's own clause */
	PQ_UNIT_PARAGRAPH,
	PQ_UNIT_SECTION,   /* a section with its sub-sections; the root: the preamble only */
} pq_unit_t;

typedef struct pq_hit {
	const ps_plan_t *plan; /* borrowed from the index */
	pq_unit_t unit;
	char *id;              /* "dalian/3.8.1/2", "dalian/3.8.1/p1", "dalian/3.8.1"; owned */
	int section;           /* index of its section in the plan's outline */
	bool in_row;           /* a clause or paragraph that lies within the cells of one row
				* of an indicator table (store.h): the renderers show the row
				* (its id <plan>/<path>/t<j>.<r>, its cells under their headers);
				* what the hit is (id, bytes, unit, counts) stays the same */
	int table, row;        /* with in_row: its table in the outline and its row there */
	size_t start, end;     /* bytes of the plan's file */
	int line;
	double score;          /* BM25, summed over a unit's clauses */
	pq_range_t *matches;   /* byte ranges in [start,end) of every positive term, sorted,
				* relative to start, overlapping ones (two terms sharing
				* characters) merged; NULL until pq_hit_find_matches */
	size_t n_matches;
	char **units;          /* with --any: the query units it holds (rank.h), heaviest
				* first; owned; NULL otherwise */
	size_t n_units;
	char **clauses;        /* --any at paragraph scope: the ids of its clauses that hold a
				* unit, the best (highest scoring) first; owned; else NULL */
	size_t n_clauses;
} pq_hit_t;

/* How many hits one chapter of one plan holds. */
typedef struct pq_facet {
	const ps_plan_t *plan; /* borrowed from the index */
	int chapter;           /* its top-level section in the plan's outline, 0 for the
				* preamble (ps_outline_chapter_of of the hit's section) */
	ps_section_t heading;  /* that section's path, number and title (borrowed from the
				* index); its other fields are 0 */
	size_t count;          /* never 0 */
} pq_facet_t;

typedef struct pq_results {
	pq_hit_t *hits;      /* the hits kept (every one, or the request's page), best first,
			      * then in plan order and position */
	size_t n_hits;       /* how many hits[] holds */
	size_t total;        /* every hit of the query: the exact total, not an estimate */
	size_t offset;       /* the rank of hits[0] among them, from 0 */
	pq_facet_t *facets;  /* every hit counted per plan and chapter, in index and outline
			      * order; chapters without a hit are left out */
	size_t n_facets;
	char **also;         /* with --any: the thesaurus variants searched besides what was
			      * typed, in the thesaurus's order; owned */
	size_t n_also;
} pq_results_t;

/*
 * Run the request. Every hit satisfies the query exactly: each positive term occurs
 * literally (after normalisation) in the hit's text and each excluded one does not. At
 * clause scope, a walk over the posting lists (match.h) yields the candidate clauses in
 * document order; where the n-grams alone cannot say (terms of three or more characters)
 * each is checked on its stored normal form; every hit is counted per chapter, and only
 * the kept hits are described (their outlines alone are read). At paragraph and section
 * scope, each term's clauses are grouped into units, the units holding every term are
 * checked on their stored normal form, and only the kept ones are described. Returns PS_OK
 * and results the caller frees with pq_results_free; PS_ERR_INVALID with a malloc'd
 * message in *error for a request that cannot be run as asked (--any with another scope,
 * a --section that normalises to nothing); or PS_ERR_FAILED with a message when the search
 * fails (an unreadable index, no memory).
 */
ps_status_t pq_search(ps_store_t *store, const pq_request_t *request, pq_results_t **out,
		      char **error);

/* Where pq_search_each hands its results, in this order: `head` once, with the total, the
 * offset and the facets (a pq_results_t whose hits[] is empty), then `hit` for each kept
 * hit, best first. The hit is lent for the call only (the callee may fill its matches;
 * they are freed after). A non-zero return, with a malloc'd message in *error, stops the
 * search. */
typedef struct pq_sink {
	int (*head)(void *ctx, const pq_results_t *counts, char **error);
	int (*hit)(void *ctx, pq_hit_t *hit, char **error);
	void *ctx;
} pq_sink_t;

/* Run the request as pq_search does, handing the results to `sink` instead of keeping
 * them: each kept hit is described, handed over and freed, so memory does not grow with
 * the number of hits written (--all) beyond what ranking them takes. Returns as pq_search
 * (PS_ERR_FAILED also when the sink stopped it, with its message). */
ps_status_t pq_search_each(ps_store_t *store, const pq_request_t *request,
			   const pq_sink_t *sink, char **error);

/* Fill hit->matches with every occurrence in the hit's text of every positive term of the
 * query (with request->any, of every word the query's terms break into). Returns 0, or -1
 * with a message in *error. Calling it twice is harmless. */
int pq_hit_find_matches(ps_store_t *index, const pq_request_t *request, pq_hit_t *hit,
			char **error);

/* The hit's original bytes: a pointer into the index's copy of the plan (ps_store_plan_source),
 * *len bytes, not NUL-terminated. Returns NULL with a message when the index cannot be read. */
const char *pq_hit_text(ps_store_t *index, const pq_hit_t *hit, size_t *len, char **error);

/* The hit's normal form (normalize.h), read in the context of its plan's source so that
 * line breaks are judged as the index judged them; with its byte map when with_map (offsets
 * from the hit's start). Returns 0, or -1 with a malloc'd message in *error. Free *norm with
 * seg_norm_clear. */
int pq_hit_normalize(ps_store_t *index, const pq_hit_t *hit, bool with_map, seg_norm_t *norm,
		     char **error);

/* Free what a hit owns (id, matches, units, clauses), leaving it empty. Accepts NULL. */
void pq_hit_clear(pq_hit_t *hit);

/* Free results. Accepts NULL. */
void pq_results_free(pq_results_t *results);

#endif
