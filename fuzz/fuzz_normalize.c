/* fuzz_normalize.c: libFuzzer target for seg_normalize and the invariants of its byte map. */
#include "normalize.h"
#include "utf8.h"

#include <unicode/uscript.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                            \
	do {                                                                                   \
		if (!(cond))                                                                   \
			__builtin_trap();                                                      \
	} while (0)

/* A stretch with no white space, no Han character and no circle: the normal form of such a
 * stretch does not depend on what is around it (white space, traditional characters and a
 * ○ among Han digits do). */
static bool context_free(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		UChar32 c = utf8_next(s, &i, len);
		UErrorCode st = U_ZERO_ERROR;
		if (c < 0 || utf8_is_space(c) || uscript_getScript(c, &st) == USCRIPT_HAN ||
		    c == 0x25CB || c == 0x25EF)
			return false;
	}
	return true;
}

/* Every normalised byte maps to a non-empty source range inside the input; the ranges never
 * go backwards; a line break stands alone with text on both sides; and a
 * chunk that does not depend on its context normalises on its own to exactly the bytes
 * mapped to it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	bool valid = true;
	for (size_t i = 0; i < size && valid;)
		valid = utf8_next(src, &i, size) >= 0;

	seg_norm_t norm;
	char *error = NULL;
	int rc = seg_normalize(src, size, true, &norm, &error);
	if (!valid) {
		CHECK(rc != 0 && error != NULL && norm.text == NULL);
		free(error);
		return 0;
	}
	if (rc != 0) { /* only memory or ICU data can fail on valid input */
		free(error);
		return 0;
	}
	CHECK(norm.text != NULL && norm.text[norm.len] == '\0');
	for (size_t i = 0; i < norm.len;) /* the result is UTF-8 too */
		CHECK(utf8_next(norm.text, &i, norm.len) >= 0);
	for (size_t i = 0; i < norm.len; i++) {
		/* white space as printed is one ' ' or '\n' (NFKC itself writes a space for a few
		 * spacing marks, ¨ as " ̈"); a line break is never at an end nor next to another */
		CHECK(norm.text[i] != '\t' && norm.text[i] != '\r');
		if (norm.text[i] == '\n')
			CHECK(i > 0 && i + 1 < norm.len && norm.text[i - 1] != '\n');
		CHECK(norm.src_start[i] < norm.src_end[i] && norm.src_end[i] <= size);
		if (i > 0) {
			CHECK(norm.src_start[i] >= norm.src_start[i - 1]);
			CHECK(norm.src_end[i] >= norm.src_end[i - 1]);
		}
	}
	for (size_t i = 0; i < norm.len;) {
		size_t j = i;
		while (j < norm.len && norm.src_start[j] == norm.src_start[i] &&
		       norm.src_end[j] == norm.src_end[i])
			j++;
		seg_norm_t part;
		size_t from = norm.src_start[i], to = norm.src_end[i];
		if (!context_free(src + from, to - from)) {
			i = j;
			continue;
		}
		if (seg_normalize(src + from, to - from, false, &part, &error) == 0) {
			CHECK(part.len == j - i && memcmp(part.text, norm.text + i, j - i) == 0);
			seg_norm_clear(&part);
		} else {
			free(error);
			error = NULL;
		}
		size_t s, e;
		seg_norm_source_range(&norm, i, j, &s, &e);
		CHECK(s == norm.src_start[i] && e == norm.src_end[i]);
		i = j;
	}
	seg_norm_clear(&norm);
	return 0;
}
