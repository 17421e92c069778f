/* freq.h: how often each of many queries occurs, per city, document, chapter or section. */
#ifndef PQ_FREQ_H
#define PQ_FREQ_H

#include "store.h"
#include "parse.h"
#include "search.h"

#include <stdbool.h>
#include <stddef.h>

/* What the rows of a frequency table are grouped by. */
typedef enum pq_group_by {
	PQ_BY_CITY,     /* a city's plans together (one plan per city today) */
	PQ_BY_DOCUMENT, /* each plan */
	PQ_BY_CHAPTER,  /* each top-level section of each plan, and its preamble */
	PQ_BY_SECTION,  /* each section's own text (sub-sections apart), and the preamble */
} pq_group_by_t;

/* Parse "city", "document", "chapter" or "section". Returns 0, or -1 for anything else. */
int pq_group_by_parse(const char *name, pq_group_by_t *out);
const char *pq_group_by_name(pq_group_by_t by);

/* A group: a stretch of text that the counts are reported for. */
typedef struct pq_group {
	const ps_plan_t *plan; /* its (first) plan, borrowed from the index */
	int section;           /* chapter and section: the section in the plan's outline (0:
				* the preamble); -1 for city and document */
	char *id;              /* "dalian" (city, document), "dalian/3", "dalian/0" */
	char *heading;         /* chapter and section: the section path, "三、重点任务 ›
				* （八）…", or "(preamble)"; "" otherwise */
	char *column;          /* the --wide column header: the city, the document's title,
				* or "<id> <heading of the section itself>" */
	size_t characters;     /* code points of its original text, white space excluded */
} pq_group_t;

typedef struct pq_freq_cell {
	size_t occurrences, passages;
} pq_freq_cell_t;

typedef struct pq_freq {
	pq_group_by_t by;
	pq_scope_t scope;
	pq_group_t *groups; /* in index order, then text order */
	size_t n_groups;
	size_t n_terms;
	struct pq_freq_rows *rows; /* the engine's: each term's cells, or how to count them
				    * (pq_freq_row) */
} pq_freq_t;

typedef struct pq_freq_request {
	const pq_query_t *const *queries; /* one per term (row) */
	size_t n_queries;
	pq_group_by_t by;
	pq_scope_t scope;                 /* what a passage is */
	const ps_plan_t *const *cities;   /* only these plans; none means all */
	size_t n_cities;
	/* Called now and then with the work done so far out of the total; may be NULL. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
} pq_freq_request_t;

/*
 * Count. For a query that is one term, occurrences are the non-overlapping occurrences
 * (leftmost first) of its normalised text in the normalised text of each group (a group's
 * text is its bytes of the plan's body, page chrome excluded), and passages are the units
 * of the scope in the group that contain it (the units `policy-query search --scope S
 * TERM` lists). A term of one to four characters counted per city or document at clause
 * scope is read from the index's n-gram counts (counts.h), whatever the plans' size; other
 * terms are found in one pass over the stored normal form of each plan that can hold them.
 * For a query with operators, passages are its search hits in the group (pq_search) and
 * occurrences the non-overlapping occurrences of its distinct positive terms in those
 * hits, added up. Returns PS_OK and a table to free with pq_freq_free, or PS_ERR_FAILED
 * with a malloc'd message in *error (an unreadable index, no memory).
 *
 * A row the n-gram counts answer alone is not counted here but when it is read
 * (pq_freq_row): a table of a thousand terms by five thousand cities is never held whole.
 * So the table borrows `store`, which must stay open until pq_freq_free.
 */
ps_status_t pq_freq_run(ps_store_t *store, const pq_freq_request_t *request, pq_freq_t **out,
			char **error);

/* Free a table. Accepts NULL. */
void pq_freq_free(pq_freq_t *freq);

/*
 * The n_groups cells of term t's row (t < n_terms), in group order, into *cells: the
 * table's own, valid until the next pq_freq_row on this table or pq_freq_free. A row the
 * n-gram counts answer is read from the index now, so this can fail: then PS_ERR_CORRUPT
 * (damaged counts) or PS_ERR_NO_MEMORY, with a malloc'd message in *error. Rows can be read
 * in any order, and again; one thread at a time per table.
 */
ps_status_t pq_freq_row(const pq_freq_t *f, size_t t, const pq_freq_cell_t **cells,
			char **error);

/* As pq_freq_row, but a row read from the index now is counted into room (n_groups cells,
 * the caller's) and *cells stays valid while room does: for rows read one after another
 * on several threads (one call at a time per table; the cells may then be used at once). */
ps_status_t pq_freq_row_in(const pq_freq_t *f, size_t t, pq_freq_cell_t *room,
			   const pq_freq_cell_t **cells, char **error);

/* occurrences × 10000 / characters; 0 when characters is 0. Cannot fail. */
double pq_freq_per_10k(size_t occurrences, size_t characters);

#endif
