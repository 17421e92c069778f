/* normalize.h: matching normalisation (NFKC + case folding) with a map back to source bytes. */
#ifndef SEG_NORMALIZE_H
#define SEG_NORMALIZE_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The normal form is what matching, counting, kwic and facets compare: a text and a query
 * match when their normal forms do. It is the text after, in this order:
 *  1. ICU's NFKC_Casefold: full-width and half-width forms, compatibility characters and
 *     letter case fold together (，/,  （/(  ２/2  Ｇ/g), and default-ignorable characters
 *     vanish. Curly quotes, 、 and 。 have no compatibility mapping and stay as they are. A
 *     circle ○ next to a Han digit is the zero 〇 that documents often print it for
 *     (二○二○年 is 二〇二〇年).
 *  2. White space as printed is dropped where it touches a Chinese character (seg_is_cjk:
 *     Han, CJK punctuation, full-width forms, judged on the source character), so
 *     "2025 年" is 2025年 and "投入资金 2.8 亿元" is 投入资金2.8亿元; between two other
 *     characters (Latin letters, digits, ASCII marks) a run of white space is one space;
 *     at either end of the text it is dropped. A line break is kept as one "\n", which no
 *     term can contain, unless the line continues into the next (lines.h: a sentence the
 *     source broke), in which case it is white space like any other. To judge that, the
 *     whole lines around the break are read, from the text the range lies in.
 *  3. Traditional characters fold to simplified with OpenCC's t2s (phrases, then single
 *     characters; t2s.h), so 雙減 is 双减 and 中小學生 is 中小学生. Simplified text is left
 *     as it is.
 *
 * Every byte of the result knows the source bytes it came from: src_start[i]..src_end[i]
 * (end exclusive) is the stretch of the source that produced normalised byte i (one
 * character, a run of white space, or a converted phrase). A match [a,b) in the normalised
 * text is the source range [src_start[a], src_end[b-1]). Offsets count from the start of
 * the range that was normalised.
 */
typedef struct seg_norm {
	char *text;        /* normalised UTF-8, NUL-terminated; owned */
	size_t len;        /* bytes in text, without the NUL */
	size_t *src_start; /* len entries; NULL when the map was not asked for */
	size_t *src_end;   /* len entries; NULL when the map was not asked for */
} seg_norm_t;

/* Normalise `len` bytes of UTF-8 at `src` (need not be NUL-terminated) into *out, with the
 * offset map when `with_map`; the text is its own context for line breaks. Returns 0, or -1
 * with a malloc'd message in *error (invalid UTF-8 names its byte offset; ICU or OpenCC
 * failures and running out of memory also fail). On failure *out is left empty. Free the
 * result with seg_norm_clear. */
int seg_normalize(const char *src, size_t len, bool with_map, seg_norm_t *out, char **error);

/* The same for text[start,end) of a whole text of text_len bytes (a clause of a plan, say):
 * line breaks inside the range are judged by their whole lines in text, so a clause and the
 * plan around it agree on every break. Offsets in the map count from `start`. */
int seg_normalize_in(const char *text, size_t text_len, size_t start, size_t end,
		     bool with_map, seg_norm_t *out, char **error);

/* Append to *out the normal form of text[start, end), the stretch between two clauses of a
 * text (or before the first: at_start; after the last: at_end), as it stands inside the
 * normal form of a range that holds both clauses: white space at its ends is judged by the
 * characters just outside it, so plain white space becomes "\n" (a paragraph ends), " "
 * (between two words) or nothing. The normal form of a range is then its clauses' normal
 * forms with these between them (store.h, a plan's normal form). Returns 0, or -1 with a
 * malloc'd message in *error. */
int seg_normalize_gap(const char *text, size_t text_len, size_t start, size_t end,
		      bool at_start, bool at_end, strbuf_t *out, char **error);

/*
 * A walk maps normal-form offsets back to the source without building the normal form or its
 * map, for the text most plans are made of: a range is plain when every character in it is a
 * normalisation chunk of its own (ICU finds a boundary before it), is neither white space nor
 * a circle ○ ◯ (both read in context), and folds alone to at most 6 bytes that hold no white
 * space and no character t2s may change. The normal form of a plain range is then each of its
 * characters' own normal form in turn, and a walk answers what seg_normalize_in's map does.
 * What each character is, is worked out once per process and remembered (thread-safe).
 */
typedef struct seg_norm_walk {
	const char *text;   /* borrowed */
	size_t start, end;  /* the range of text walked */
	size_t norm_len;    /* bytes of its normal form */
	size_t at, norm_at; /* where the walk stands: a character's first source byte and the
			     * first byte of its normal form (from start) */
} seg_norm_walk_t;

/* Start a walk over text[start, end) when that range is plain (above): returns true and sets
 * *walk (its norm_len is what seg_normalize_in's len would be); false, with *walk untouched,
 * for any other range, invalid UTF-8 included: normalise that one with a map instead. Cannot
 * fail otherwise. */
bool seg_norm_walk_start(seg_norm_walk_t *walk, const char *text, size_t start, size_t end);

/* As seg_norm_walk_start, for a range whose normal form is known to be norm[0, norm_len)
 * (the index holds each clause's, made by seg_normalize_in: store.h): a character of a form
 * that t2s may change is walked too when the known form is every character's own form
 * unchanged. t2s then left each run of Han characters it read as it was, and with it the
 * map: a run it changed could not read the same, since t2s writes Han characters for Han
 * characters and a run ends at the end of the range or at a character that is not Han.
 * Returns false as seg_norm_walk_start does, and when the known form is anything else. This
 * trusts the known form to be what seg_normalize_in gives here: an index built where OpenCC's
 * data differs may not agree. Cannot fail. */
bool seg_norm_walk_start_known(seg_norm_walk_t *walk, const char *text, size_t start, size_t end,
			       const char *norm, size_t norm_len);

/* The source range [*src_start, *src_end) of the normal form's [start, end) (end > start,
 * end <= norm_len), counting from the walk's start: what seg_norm_source_range gives for
 * seg_normalize_in's map of the same range. Walks forward, so ranges asked in increasing
 * order cost the range's length once; one behind the last asked starts over. Cannot fail. */
void seg_norm_walk_range(seg_norm_walk_t *walk, size_t start, size_t end, size_t *src_start,
			 size_t *src_end);

/* Append the normal form of the walk's range to *out (norm_len bytes, then kept
 * NUL-terminated): what seg_normalize_in's text would be. Returns 0, or -1 with a malloc'd
 * message in *error when memory runs out. */
int seg_norm_walk_text(const seg_norm_walk_t *walk, strbuf_t *out, char **error);

/* Free what seg_normalize stored and reset *norm to empty. Accepts NULL and an empty value. */
void seg_norm_clear(seg_norm_t *norm);

/* Map the normalised range [start,end) (end > start) back to the source range it came from. */
void seg_norm_source_range(const seg_norm_t *norm, size_t start, size_t end, size_t *src_start,
			   size_t *src_end);

#endif
