/* parse.h: turning the query as typed into the list of literal terms it asks for. */
#ifndef PQ_PARSE_H
#define PQ_PARSE_H

#include <stddef.h>

/* Split the query arguments at white space (any Unicode white space, so a full-width
 * space separates terms too) into terms, each of which must occur literally. Returns 0
 * and a malloc'd array of malloc'd strings (free with pq_terms_free), or -1 with a
 * malloc'd message in *error for invalid UTF-8 (naming the argument and byte) or an
 * empty query. */
int pq_parse_terms(const char *const *args, size_t n_args, char ***terms, size_t *n_terms,
		   char **error);

/* Free what pq_parse_terms returned. Accepts NULL. */
void pq_terms_free(char **terms, size_t n_terms);

#endif
