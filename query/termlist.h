/* termlist.h: the terms a frequency table counts: each parsed as a query, each listed once. */
#ifndef PQ_TERMLIST_H
#define PQ_TERMLIST_H

#include "parse.h"
#include "status.h"
#include "strmap.h"
#include "thesaurus.h"

#include <stddef.h>

typedef struct pq_termlist {
	char **text;         /* as given; owned */
	pq_query_t **query;  /* text[i] parsed; owned */
	size_t n, cap;
	util_strmap_t seen;  /* text[i] -> i: a term given twice is listed once */
	/* for ~CONCEPT terms: set (and kept) by the caller, or opened (the bundled one) and
	 * owned by the list at the first term that has a '~' */
	const pq_thesaurus_t *thesaurus;
	pq_thesaurus_t *own_thesaurus;
} pq_termlist_t;

#define PQ_TERMLIST_INIT {0}

/* Add the term s[0,len) (one query: 双减 OR 减负 is one term) unless it is listed already;
 * `where` says where it came from for the message ("FILE line N"), NULL for "term 'X'".
 * A ~CONCEPT word counts every term of its thesaurus group (pq_query_parse_concepts).
 * Returns PS_OK; PS_ERR_INVALID with a malloc'd message in *error ("term '(双减': …") when
 * it is not a query; PS_ERR_NO_MEMORY with a message; the thesaurus's error when the
 * bundled one cannot be read. */
ps_status_t pq_termlist_add(pq_termlist_t *t, const char *s, size_t len, const char *where,
			    char **error);

/* Free what the list holds (not the list itself). Accepts an empty list. */
void pq_termlist_clear(pq_termlist_t *t);

#endif
