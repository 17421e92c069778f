/* normalize.h: matching normalisation (NFKC + case folding) with a map back to source bytes. */
#ifndef SEG_NORMALIZE_H
#define SEG_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Text is compared after ICU's NFKC_Casefold: full-width and half-width forms, compatibility
 * characters and letter case all fold together (，/,  （/(  ２/2  Ｇ/g), and default-ignorable
 * characters vanish. Curly quotes, 、 and 。 have no compatibility mapping and stay as they are.
 *
 * The source is normalised one normalisation-boundary chunk at a time, so every byte of the
 * result knows the source bytes it came from: src_start[i]..src_end[i] (end exclusive) is the
 * chunk of the source that produced normalised byte i. A match [a,b) in the normalised text
 * is the source range [src_start[a], src_end[b-1]).
 */
typedef struct seg_norm {
	char *text;        /* normalised UTF-8, NUL-terminated; owned */
	size_t len;        /* bytes in text, without the NUL */
	size_t *src_start; /* len entries; NULL when the map was not asked for */
	size_t *src_end;   /* len entries; NULL when the map was not asked for */
} seg_norm_t;

/* Normalise `len` bytes of UTF-8 at `src` (need not be NUL-terminated) into *out, with the
 * offset map when `with_map`. Returns 0, or -1 with a malloc'd message in *error (invalid
 * UTF-8 names its byte offset; ICU failures and running out of memory also fail). On
 * failure *out is left empty. Free the result with seg_norm_clear. */
int seg_normalize(const char *src, size_t len, bool with_map, seg_norm_t *out, char **error);

/* Free what seg_normalize stored and reset *norm to empty. Accepts NULL and an empty value. */
void seg_norm_clear(seg_norm_t *norm);

/* Map the normalised range [start,end) (end > start) back to the source range it came from. */
void seg_norm_source_range(const seg_norm_t *norm, size_t start, size_t end, size_t *src_start,
			   size_t *src_end);

#endif
