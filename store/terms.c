/* terms.c: prefixing the segmenter's words and n-grams into index terms (format.h). */
#include "terms.h"

#include "format.h"

#include <stdbool.h>
#include <string.h>

typedef struct emitter {
	const char *prefix;
	size_t prefix_len;
	ps_term_fn fn;
	void *ctx;
} emitter_t;

static int emit(void *ctx, const char *token, size_t token_len, size_t start, size_t end)
{
	(void)start;
	(void)end;
	emitter_t *e = ctx;
	char term[PS_MAX_TERM_BYTES + 1];
	if (e->prefix_len + token_len > PS_MAX_TERM_BYTES)
		return 0;
	memcpy(term, e->prefix, e->prefix_len);
	memcpy(term + e->prefix_len, token, token_len);
	return e->fn(e->ctx, term, e->prefix_len + token_len);
}

int ps_terms_generate(seg_words_t *words, const char *norm, size_t len, unsigned kinds,
		      ps_term_fn fn, void *ctx, char **error)
{
	int rc = 0;
	if (kinds & PS_TERMS_WORDS) {
		emitter_t e = {PS_PREFIX_WORD, strlen(PS_PREFIX_WORD), fn, ctx};
		rc = seg_words_run(words, norm, len, emit, &e, error);
	}
	if (rc == 0 && (kinds & PS_TERMS_BIGRAMS)) {
		emitter_t e = {PS_PREFIX_BIGRAM, strlen(PS_PREFIX_BIGRAM), fn, ctx};
		rc = seg_ngrams_run(norm, len, 2, emit, &e, error);
	}
	if (rc == 0 && (kinds & PS_TERMS_UNIGRAMS)) {
		emitter_t e = {PS_PREFIX_UNIGRAM, strlen(PS_PREFIX_UNIGRAM), fn, ctx};
		rc = seg_ngrams_run(norm, len, 1, emit, &e, error);
	}
	return rc;
}
