/* terms.h: the positional terms of a normalised text, the same for a passage and for a query. */
#ifndef PI_TERMS_H
#define PI_TERMS_H

#include "tokenize.h"

#include <stddef.h>

enum {
	PI_TERMS_WORDS = 1,    /* "W" + each ICU word */
	PI_TERMS_BIGRAMS = 2,  /* "B" + each character bigram */
	PI_TERMS_UNIGRAMS = 4, /* "U" + each character */
	PI_TERMS_ALL = 7,
	/* The kinds the index stores with positions (schema.h); the others only count. Only
	 * bigrams: a phrase of them is how a query finds a literal term; words only weigh. */
	PI_TERMS_POSITIONAL = PI_TERMS_BIGRAMS,
};

/* Called once per term occurrence; `pos` counts from 1 within each kind. Bigram positions
 * skip one where white space parts two runs of characters, so two bigrams are at adjacent
 * positions exactly when they overlap in the text by one character: a phrase of a term's
 * bigrams then matches exactly the texts holding the term. Non-zero stops. */
typedef int (*pi_term_fn)(void *ctx, const char *term, size_t term_len, unsigned pos);

/* Generate the terms of the kinds asked for, prefix included, over normalised UTF-8.
 * Terms longer than Xapian accepts are skipped. Returns 0, the callback's non-zero value,
 * or -1 with a malloc'd message in *error. */
int pi_terms_generate(seg_words_t *words, const char *norm, size_t len, unsigned kinds,
		      pi_term_fn fn, void *ctx, char **error);

#endif
