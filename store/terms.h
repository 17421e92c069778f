/* terms.h: the index terms of a normal form, the same for a clause and for a query. */
#ifndef PS_TERMS_H
#define PS_TERMS_H

#include "tokenize.h"

#include <stddef.h>

enum {
	PS_TERMS_WORDS = 1,    /* "W" + each ICU word */
	PS_TERMS_BIGRAMS = 2,  /* "B" + each character bigram */
	PS_TERMS_UNIGRAMS = 4, /* "U" + each character */
	PS_TERMS_ALL = 7,
};

/* Called once per term occurrence (the index keeps counts, not positions: format.h).
 * Non-zero stops. */
typedef int (*ps_term_fn)(void *ctx, const char *term, size_t term_len);

/* The longest term the index takes, prefix included (Xapian's glass backend's limit). */
#define PS_MAX_TERM_BYTES 245

/* Generate the terms of the kinds asked for, prefix included, over normalised UTF-8.
 * Terms longer than Xapian accepts are skipped. Returns 0, the callback's non-zero value,
 * or -1 with a malloc'd message in *error. */
int ps_terms_generate(seg_words_t *words, const char *norm, size_t len, unsigned kinds,
		      ps_term_fn fn, void *ctx, char **error);

#endif
