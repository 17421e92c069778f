/* words.c: ICU word break (locale zh) over normalised UTF-8, in bounded chunks, byte offsets. */
#include "tokenize.h"

#include "strbuf.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

struct seg_words {
	UBreakIterator *bi;
};

int seg_words_open(seg_words_t **out, char **error)
{
	UErrorCode status = U_ZERO_ERROR;
	seg_words_t *w = calloc(1, sizeof *w);
	if (w == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	w->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
	if (U_FAILURE(status)) {
		strbuf_printf_new(error, "cannot open ICU word break iterator: %s",
				  u_errorName(status));
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void seg_words_close(seg_words_t *words)
{
	if (words == NULL)
		return;
	ubrk_close(words->bi);
	free(words);
}

/* Where to end the chunk that starts at `start`: the whole rest if it fits, otherwise just
 * after the last space or punctuation character in the allowed window, otherwise at the
 * last code point boundary inside it. */
static size_t chunk_end(const char *text, size_t start, size_t len)
{
	if (len - start <= SEG_WORDS_CHUNK_BYTES)
		return len;
	size_t limit = start + SEG_WORDS_CHUNK_BYTES;
	size_t i = start, cut = 0, last_boundary = start;
	while (i < limit) {
		UChar32 c;
		c = utf8_next(text, &i, len);
		if (i > limit)
			break;
		last_boundary = i;
		if (c >= 0 && (u_isUWhiteSpace(c) || u_ispunct(c)))
			cut = i;
	}
	if (cut > start + SEG_WORDS_CHUNK_BYTES / 2)
		return cut;
	return last_boundary > start ? last_boundary : limit;
}

int seg_words_run(seg_words_t *words, const char *text, size_t len, seg_token_fn fn, void *ctx,
		  char **error)
{
	size_t start = 0;
	while (start < len) {
		size_t end = chunk_end(text, start, len);
		UErrorCode status = U_ZERO_ERROR;
		UText *ut = utext_openUTF8(NULL, text + start, (int64_t)(end - start), &status);
		if (U_SUCCESS(status))
			ubrk_setUText(words->bi, ut, &status);
		if (U_FAILURE(status)) {
			utext_close(ut);
			strbuf_printf_new(error, "ICU word break failed: %s", u_errorName(status));
			return -1;
		}
		/* With a UTF-8 UText, ICU's boundaries are byte offsets into the chunk. */
		int32_t prev = ubrk_first(words->bi);
		for (int32_t next = ubrk_next(words->bi); next != UBRK_DONE;
		     prev = next, next = ubrk_next(words->bi)) {
			int32_t rule = ubrk_getRuleStatus(words->bi);
			if (rule >= UBRK_WORD_NONE && rule < UBRK_WORD_NONE_LIMIT)
				continue;
			size_t s = start + (size_t)prev, e = start + (size_t)next;
			int rc = fn(ctx, text + s, e - s, s, e);
			if (rc != 0) {
				utext_close(ut);
				return rc;
			}
		}
		utext_close(ut);
		start = end;
	}
	return 0;
}
