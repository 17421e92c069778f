/* terms.c: a normal form's bigram and run-end terms (terms.h), prefixed as format.h names them. */
#include "terms.h"

#include "format.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdbool.h>
#include <string.h>

/* Call fn with prefix + s[0,len), unless that is longer than the index takes. */
static int emit(ps_term_fn fn, void *ctx, char prefix, const char *s, size_t len)
{
	char term[PS_MAX_TERM_BYTES + 1];
	if (len + 1 > PS_MAX_TERM_BYTES)
		return 0;
	term[0] = prefix;
	memcpy(term + 1, s, len);
	return fn(ctx, term, len + 1, s, len);
}

/* Walk the runs of norm: for each character, whether it starts a bigram (another follows
 * it in its run) and where the pair ends. Calls on_pair for each bigram [a, c) and on_last
 * for each run's last character [a, b), with the run's length in characters. */
typedef int (*pair_fn)(void *ctx, const char *norm, size_t a, size_t c);
typedef int (*last_fn)(void *ctx, const char *norm, size_t a, size_t b, size_t run);

static int walk(const char *norm, size_t len, pair_fn on_pair, last_fn on_last, void *ctx,
		char **error)
{
	size_t prev = 0, run = 0; /* the previous character's start, the run's characters */
	for (size_t i = 0; i < len;) {
		size_t at = i;
		int32_t c = utf8_next(norm, &i, len);
		if (c < 0) {
			strbuf_printf_new(error, "invalid UTF-8 at byte %zu", at);
			return -1;
		}
		if (utf8_is_space(c)) {
			int rc = run > 0 ? on_last(ctx, norm, prev, at, run) : 0;
			if (rc != 0)
				return rc;
			run = 0;
			continue;
		}
		if (run > 0) {
			int rc = on_pair(ctx, norm, prev, i);
			if (rc != 0)
				return rc;
		}
		prev = at;
		run++;
	}
	return run > 0 ? on_last(ctx, norm, prev, len, run) : 0;
}

typedef struct index_ctx {
	ps_term_fn fn;
	void *ctx;
} index_ctx_t;

static int index_pair(void *ctx, const char *norm, size_t a, size_t c)
{
	index_ctx_t *x = ctx;
	return emit(x->fn, x->ctx, PS_PREFIX_BIGRAM[0], norm + a, c - a);
}

static int index_last(void *ctx, const char *norm, size_t a, size_t b, size_t run)
{
	(void)run;
	index_ctx_t *x = ctx;
	return emit(x->fn, x->ctx, PS_PREFIX_UNIGRAM[0], norm + a, b - a);
}

int ps_terms_index(const char *norm, size_t len, ps_term_fn fn, void *ctx, char **error)
{
	index_ctx_t x = {fn, ctx};
	return walk(norm, len, index_pair, index_last, &x, error);
}

typedef struct lookup_ctx {
	ps_term_fn bigram;
	ps_char_fn character;
	void *ctx;
} lookup_ctx_t;

static int lookup_pair(void *ctx, const char *norm, size_t a, size_t c)
{
	lookup_ctx_t *x = ctx;
	return emit(x->bigram, x->ctx, PS_PREFIX_BIGRAM[0], norm + a, c - a);
}

static int lookup_last(void *ctx, const char *norm, size_t a, size_t b, size_t run)
{
	lookup_ctx_t *x = ctx;
	char term[1 + 4], prefix[1 + 4];
	if (run != 1 || b - a > 4)
		return 0; /* its bigrams say it */
	term[0] = PS_PREFIX_UNIGRAM[0];
	prefix[0] = PS_PREFIX_BIGRAM[0];
	memcpy(term + 1, norm + a, b - a);
	memcpy(prefix + 1, norm + a, b - a);
	return x->character(x->ctx, term, b - a + 1, prefix, b - a + 1, norm + a, b - a);
}

int ps_terms_lookup(const char *norm, size_t len, ps_term_fn bigram, ps_char_fn character,
		    void *ctx, char **error)
{
	lookup_ctx_t x = {bigram, character, ctx};
	return walk(norm, len, lookup_pair, lookup_last, &x, error);
}
