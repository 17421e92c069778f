/* occur.h: finding many literal strings at once (Aho–Corasick) in a plan's normalised body. */
#ifndef PQ_OCCUR_H
#define PQ_OCCUR_H

#include <stddef.h>

/*
 * A matcher holds any number of byte strings (patterns) and reports, in one left-to-right
 * pass over a text, every place where any of them occurs, overlapping occurrences
 * included. Occurrences are reported in order of their end; those of one pattern are
 * therefore also in order of their start. Patterns may repeat: each copy is reported.
 */
typedef struct pq_matcher pq_matcher_t;

/* Build a matcher for patterns[i] (lens[i] bytes each, none empty). Returns 0 and a
 * matcher to free with pq_matcher_free, or -1 with a malloc'd message in *error (an empty
 * pattern, too many, out of memory). */
int pq_matcher_new(const char *const *patterns, const size_t *lens, size_t n,
		   pq_matcher_t **out, char **error);

/* Free a matcher. Accepts NULL. */
void pq_matcher_free(pq_matcher_t *matcher);

/* Called for each occurrence of pattern `pattern` at bytes [start, end) of the text the
 * matcher runs over; a non-zero return stops the run. */
typedef int (*pq_match_fn)(void *ctx, size_t pattern, size_t start, size_t end);

/* Run over text[0,len). Returns 0, or the first non-zero value fn returned. */
int pq_matcher_run(const pq_matcher_t *matcher, const char *text, size_t len, pq_match_fn fn,
		   void *ctx);

/* Called for each occurrence in a plan's body: [norm_start, norm_end) in the normalised
 * body (what non-overlap is judged on), [start, end) the source bytes of the plan's file it
 * came from. A non-zero return stops the scan. */
typedef int (*pq_occur_fn)(void *ctx, size_t pattern, size_t norm_start, size_t norm_end,
			   size_t start, size_t end);

/* Normalise a plan's body, text[body_start, body_end) of its file's bytes (normalize.h),
 * and report every occurrence of every pattern in it, mapped back to the file's bytes.
 * Returns 0, the first non-zero value fn returned, or -1 with a malloc'd message in
 * *error (invalid UTF-8, out of memory). */
int pq_occur_scan_body(const char *text, size_t body_start, size_t body_end,
		       const pq_matcher_t *matcher, pq_occur_fn fn, void *ctx, char **error);

/* The number of characters (code points, white space excluded: utf8.h) in text[start,end).
 * Cannot fail. */
size_t pq_occur_characters(const char *text, size_t start, size_t end);

/* Non-overlapping occurrences (leftmost first) of needle in haystack, both NUL-terminated;
 * 0 for an empty needle. Cannot fail. */
size_t pq_occur_count(const char *haystack, const char *needle);

#endif
