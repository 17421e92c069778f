/* ngrams.c: character unigrams and bigrams over runs of non-space code points. */
#include "tokenize.h"

#include "strbuf.h"
#include "utf8.h"

#include <stdint.h>
#include <unicode/uchar.h>

int seg_ngrams_run(const char *text, size_t len, int n, seg_token_fn fn, void *ctx,
		   char **error)
{
	/* starts[k % 2] is where the k-th code point of the current run begins */
	size_t starts[2] = {0, 0};
	size_t run = 0; /* code points in the current run of non-space characters */
	size_t i = 0;

	if (n != 1 && n != 2) {
		strbuf_printf_new(error, "n-grams of %d characters are not supported", n);
		return -1;
	}
	while (i < len) {
		size_t cp_start = i;
		UChar32 c;
		c = utf8_next(text, &i, len);
		if (c < 0) {
			strbuf_printf_new(error, "invalid UTF-8 at byte %zu", cp_start);
			return -1;
		}
		if (u_isUWhiteSpace(c)) {
			run = 0;
			continue;
		}
		starts[run % 2] = cp_start;
		run++;
		if (run < (size_t)n)
			continue;
		size_t s = n == 1 ? cp_start : starts[run % 2];
		int rc = fn(ctx, text + s, i - s, s, i);
		if (rc != 0)
			return rc;
	}
	return 0;
}
