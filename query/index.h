/* index.h: opening a policy-search index for queries, and the plans it holds. */
#ifndef PQ_INDEX_H
#define PQ_INDEX_H

#include "outline.h"
#include "xapwrap.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct pq_plan {
	char *city_id, *city, *province, *title, *date, *file; /* date may be NULL */
	bool title_supplied;
	size_t passages;
	size_t bytes;                /* the file's size when it was indexed */
	char sha256[65];             /* its SHA-256, lower-case hex */
	size_t body_start, body_end; /* the body's bytes (the manifest's body_lines) */
	bool gb18030;                /* the file is GB18030 text: bytes, sha256 and every offset
				      * refer to its UTF-8 conversion, which the index holds */
	bool city_shared;            /* another plan of the index is of the same city: labels
				      * name the document too (label.h, pq_label_city) */
	bool title_shared;           /* ... of the same city and title: labels add its id */
} pq_plan_t;

typedef struct pq_index pq_index_t;

/* Why an index could not be opened; each comes with its own message. */
typedef enum pq_open_status {
	PQ_OPEN_OK = 0,
	PQ_OPEN_MISSING, /* no such directory: build an index there */
	PQ_OPEN_EMPTY,   /* the directory holds no index (or only what a killed build left),
			  * or an index of no plans */
	PQ_OPEN_FOREIGN, /* not a policy-search index: other files, a Xapian database of
			  * someone else's, or a stub naming something that is not ours */
	PQ_OPEN_CORRUPT, /* ours, but damaged: a stub naming a missing generation, files
			  * Xapian cannot read, no plan list */
	PQ_OPEN_SCHEMA,  /* ours, built by a version with another schema (schema.h) */
	PQ_OPEN_FAILED,  /* it cannot be read for another reason (permissions, memory) */
} pq_open_status_t;

/* Open the index directory `dir` (install.h). The generation the stub names is pinned
 * with a shared lock (schema.h) until pq_index_close, so a rebuild that switches to a new
 * generation meanwhile cannot delete it: a query sees the old index or the new, whole.
 * Returns PQ_OPEN_OK and a handle to close with pq_index_close, or another status with a
 * malloc'd message in *error that says what is wrong and the command that fixes it. */
pq_open_status_t pq_index_open(const char *dir, pq_index_t **out, char **error);

/* Close. Accepts NULL. */
void pq_index_close(pq_index_t *index);

/* The Xapian database; owned by the index. */
xw_db_t *pq_index_db(pq_index_t *index);

/* The plans in index order; owned by the index. */
const pq_plan_t *pq_index_plans(const pq_index_t *index, size_t *n_plans);

/* The plan with this city id (dandong, case-insensitive), city name (丹东市) or city name
 * without its 市/县/区/州/省 suffix (丹东); NULL if none. */
const pq_plan_t *pq_index_find_city(const pq_index_t *index, const char *name);

/* Whether name names the plan's city, by the rules of pq_index_find_city. Several plans
 * may share a city. */
bool pq_plan_is_city(const pq_plan_t *plan, const char *name);

/* The plan's file as it was indexed, byte for byte: sets *text (NUL-terminated, owned by
 * the index and kept until it closes) and *len. Returns 0, or -1 with a malloc'd message
 * in *error when the index cannot be read. Loaded on first use. */
int pq_index_plan_source(pq_index_t *index, const pq_plan_t *plan, const char **text,
			 size_t *len, char **error);

/* The plan's outline (outline.h), owned by the index. Returns 0, or -1 with a malloc'd
 * message in *error. Loaded on first use. */
int pq_index_plan_outline(pq_index_t *index, const pq_plan_t *plan, const pq_outline_t **out,
			  char **error);

/* The plan with this city id exactly, or NULL. */
const pq_plan_t *pq_index_plan_by_id(const pq_index_t *index, const char *city_id);

#endif
