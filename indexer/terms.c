/* terms.c: prefixing the segmenter's words and n-grams into index terms. */
#include "terms.h"

#include "schema.h"

#include <stdbool.h>
#include <string.h>

/* Xapian's glass backend takes terms up to 245 bytes. */
#define MAX_TERM 245

typedef struct emitter {
	const char *prefix;
	size_t prefix_len;
	unsigned pos;
	pi_term_fn fn;
	void *ctx;
	bool gaps;       /* leave a position free where white space parted two bigrams */
	size_t last_end; /* where the previous token ended, for gaps */
} emitter_t;

static int emit(void *ctx, const char *token, size_t token_len, size_t start, size_t end)
{
	emitter_t *e = ctx;
	char term[MAX_TERM + 1];
	/* bigrams of one run overlap; one that starts at or after the previous one's end
	 * comes after white space, and must not look adjacent to it in a phrase */
	if (e->gaps && e->pos > 0 && start >= e->last_end)
		e->pos++;
	e->last_end = end;
	e->pos++;
	if (e->prefix_len + token_len > MAX_TERM)
		return 0;
	memcpy(term, e->prefix, e->prefix_len);
	memcpy(term + e->prefix_len, token, token_len);
	return e->fn(e->ctx, term, e->prefix_len + token_len, e->pos);
}

int pi_terms_generate(seg_words_t *words, const char *norm, size_t len, unsigned kinds,
		      pi_term_fn fn, void *ctx, char **error)
{
	int rc = 0;
	if (kinds & PI_TERMS_WORDS) {
		emitter_t e = {PI_PREFIX_WORD, strlen(PI_PREFIX_WORD), 0, fn, ctx, false, 0};
		rc = seg_words_run(words, norm, len, emit, &e, error);
	}
	if (rc == 0 && (kinds & PI_TERMS_BIGRAMS)) {
		emitter_t e = {PI_PREFIX_BIGRAM, strlen(PI_PREFIX_BIGRAM), 0, fn, ctx, true, 0};
		rc = seg_ngrams_run(norm, len, 2, emit, &e, error);
	}
	if (rc == 0 && (kinds & PI_TERMS_UNIGRAMS)) {
		emitter_t e = {PI_PREFIX_UNIGRAM, strlen(PI_PREFIX_UNIGRAM), 0, fn, ctx, false, 0};
		rc = seg_ngrams_run(norm, len, 1, emit, &e, error);
	}
	return rc;
}
