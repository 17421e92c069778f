/* thesaurus.h: policy-concept groups (data/thesaurus.txt's format): loading files, finding the groups a term belongs to. */
#ifndef PQ_THESAURUS_H
#define PQ_THESAURUS_H

#include "status.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * A group is a head (the concept's name) and its variants, the wordings researchers count
 * as the same policy (data/README.md has the format). Every term is kept in its normal
 * form (normalize.h), so it is compared with a query's terms and a plan's text as a typed
 * term is. Groups are kept in the order loaded; a later file's group whose head equals an
 * earlier group's head replaces that group in place.
 */
typedef struct pq_thesaurus pq_thesaurus_t;

typedef struct pq_concept {
	const char *head;           /* normalised; owned by the thesaurus */
	const char *const *variants; /* normalised, n_variants of them, in the file's order */
	size_t n_variants;
} pq_concept_t;

/* An empty thesaurus. Returns NULL when memory runs out. */
pq_thesaurus_t *pq_thesaurus_new(void);

/* Add the groups of the file at `path`. Returns PS_OK; PS_ERR_INVALID with a malloc'd
 * "FILE:LINE: what is wrong" in *error for a line that breaks the format (nothing of the
 * file is added then); PS_ERR_IO when the file cannot be read (message names it);
 * PS_ERR_NO_MEMORY. */
ps_status_t pq_thesaurus_load(pq_thesaurus_t *th, const char *path, char **error);

/* The same for text already in memory; `name` stands for the file in messages. */
ps_status_t pq_thesaurus_load_text(pq_thesaurus_t *th, const char *name, const char *text,
				   size_t len, char **error);

/* How many groups it holds. Accepts NULL (0). */
size_t pq_thesaurus_size(const pq_thesaurus_t *th);

/* Group i (i < size) into *out, borrowed from the thesaurus. Cannot fail. */
void pq_thesaurus_group(const pq_thesaurus_t *th, size_t i, pq_concept_t *out);

/* The group whose head, or failing that the first group one of whose variants, equals
 * the normalised term norm[0,len). Returns its index, or -1 when none does (and for NULL). */
long pq_thesaurus_find(const pq_thesaurus_t *th, const char *norm, size_t len);

/* Whether group i holds the normalised term (as head or variant). Cannot fail. */
bool pq_thesaurus_group_has(const pq_thesaurus_t *th, size_t i, const char *norm, size_t len);

/* Free. Accepts NULL. */
void pq_thesaurus_free(pq_thesaurus_t *th);

/* The bundled thesaurus's path: $POLICY_SEARCH_THESAURUS when set (an empty value: none),
 * else the installed data file when it exists, else the source tree's data/thesaurus.txt
 * when it exists (a build run in place), else NULL. Borrowed; cannot fail. */
const char *pq_thesaurus_default_path(void);

/* The thesaurus a command uses: the bundled one (pq_thesaurus_default_path) when
 * with_default and there is one, then each of files[0,n) in turn. Returns PS_OK and a
 * thesaurus to free (possibly empty), or as pq_thesaurus_load with *out NULL. */
ps_status_t pq_thesaurus_open(bool with_default, const char *const *files, size_t n,
			      pq_thesaurus_t **out, char **error);

#endif
