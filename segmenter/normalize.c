/* normalize.c: NFKC_Casefold over UTF-8 by normalisation-boundary chunks, keeping a byte map. */
#include "normalize.h"

#include "strbuf.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* UTF-16 units of one chunk before it is normalised on its own. Chunks are normally a
 * single character; a long run with no boundary (combining marks) is cut here. */
#define CHUNK_UNITS 64

typedef struct builder {
	strbuf_t text;
	size_t *src_start;
	size_t *src_end;
	size_t map_cap;
	bool with_map;
} builder_t;

/* Make room in the byte map for at least `need` bytes of normal form. */
static int builder_grow_map(builder_t *b, size_t need)
{
	size_t cap = b->map_cap ? b->map_cap : 64;
	while (cap < need)
		cap *= 2;
	size_t *s = realloc(b->src_start, cap * sizeof *s);
	if (s == NULL)
		return -1;
	b->src_start = s;
	size_t *e = realloc(b->src_end, cap * sizeof *e);
	if (e == NULL)
		return -1;
	b->src_end = e;
	b->map_cap = cap;
	return 0;
}

static int builder_append(builder_t *b, const char *utf8, size_t n, size_t chunk_start,
			  size_t chunk_end)
{
	size_t old = b->text.len;
	if (strbuf_append(&b->text, utf8, n) != 0)
		return -1;
	if (!b->with_map)
		return 0;
	if (b->text.len > b->map_cap && builder_grow_map(b, b->text.len) != 0)
		return -1;
	for (size_t i = old; i < b->text.len; i++) {
		b->src_start[i] = chunk_start;
		b->src_end[i] = chunk_end;
	}
	return 0;
}

/* Normalise one chunk of UTF-16 and append it as UTF-8. */
static int flush_chunk(builder_t *b, const UNormalizer2 *n2, const UChar *chunk, int32_t n,
		       size_t chunk_start, size_t chunk_end, char **error)
{
	UChar out16[CHUNK_UNITS * 18 + 16];
	char out8[sizeof out16 / sizeof out16[0] * 3 + 1];
	UErrorCode status = U_ZERO_ERROR;

	/* Pure ASCII other than A-Z is its own normal form: skip ICU for it. */
	if (n == 1 && chunk[0] < 0x80 && !(chunk[0] >= 'A' && chunk[0] <= 'Z')) {
		char c = (char)chunk[0];
		if (builder_append(b, &c, 1, chunk_start, chunk_end) == 0)
			return 0;
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	int32_t n16 = unorm2_normalize(n2, chunk, n, out16, (int32_t)(sizeof out16 / sizeof out16[0]),
				       &status);
	int32_t n8 = 0;
	if (U_SUCCESS(status))
		u_strToUTF8(out8, (int32_t)sizeof out8, &n8, out16, n16, &status);
	if (U_FAILURE(status)) {
		strbuf_printf_new(error, "normalisation failed at byte %zu: %s", chunk_start,
				  u_errorName(status));
		return -1;
	}
	if (builder_append(b, out8, (size_t)n8, chunk_start, chunk_end) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	return 0;
}

int seg_normalize(const char *src, size_t len, bool with_map, seg_norm_t *out, char **error)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *n2 = unorm2_getNFKCCasefoldInstance(&status);
	builder_t b = {.with_map = with_map};
	UChar chunk[CHUNK_UNITS + 2];
	int32_t chunk_len = 0;
	size_t chunk_start = 0;
	size_t i = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (U_FAILURE(status)) {
		strbuf_printf_new(error, "cannot load ICU's NFKC_Casefold data: %s",
				  u_errorName(status));
		goto out;
	}
	if (len > INT32_MAX) {
		strbuf_printf_new(error, "text too long to normalise (%zu bytes)", len);
		goto out;
	}
	/* the normal form is rarely longer than the text: room for that much at once, instead of
	 * growing (and copying) the text and its map a dozen times for a whole plan */
	if (strbuf_reserve(&b.text, len) != 0 ||
	    (with_map && len > 0 && builder_grow_map(&b, len) != 0)) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	while (i < len) {
		size_t cp_start = i;
		UChar32 c;
		c = utf8_next(src, &i, len);
		if (c < 0) {
			strbuf_printf_new(error, "invalid UTF-8 at byte %zu", cp_start);
			goto out;
		}
		bool boundary = unorm2_hasBoundaryBefore(n2, c);
		if (chunk_len > 0 && (boundary || chunk_len >= CHUNK_UNITS)) {
			if (flush_chunk(&b, n2, chunk, chunk_len, chunk_start, cp_start, error) != 0)
				goto out;
			chunk_len = 0;
		}
		if (chunk_len == 0)
			chunk_start = cp_start;
		U16_APPEND_UNSAFE(chunk, chunk_len, c);
	}
	if (chunk_len > 0 && flush_chunk(&b, n2, chunk, chunk_len, chunk_start, len, error) != 0)
		goto out;
	if (strbuf_append(&b.text, "", 0) != 0) { /* make sure text exists and is terminated */
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	out->len = b.text.len;
	out->text = strbuf_steal(&b.text);
	out->src_start = b.src_start;
	out->src_end = b.src_end;
	b.src_start = b.src_end = NULL;
	rc = 0;
out:
	strbuf_free(&b.text);
	free(b.src_start);
	free(b.src_end);
	return rc;
}

void seg_norm_clear(seg_norm_t *norm)
{
	if (norm == NULL)
		return;
	free(norm->text);
	free(norm->src_start);
	free(norm->src_end);
	memset(norm, 0, sizeof *norm);
}

void seg_norm_source_range(const seg_norm_t *norm, size_t start, size_t end, size_t *src_start,
			   size_t *src_end)
{
	*src_start = norm->src_start[start];
	*src_end = norm->src_end[end - 1];
}
