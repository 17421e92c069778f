/* terms.h: the index terms of a normal form (what the writer indexes) and what a query looks up for it. */
#ifndef PS_TERMS_H
#define PS_TERMS_H

#include <stddef.h>

/*
 * A clause is indexed by "B" + each pair of characters of its normal form with no white
 * space between them (a bigram), and "U" + the last character of each run of characters
 * (one followed by white space or the end). Every occurrence of a character c is thus
 * either the first of a bigram (B c x) or a run's last (U c): a clause holds c exactly
 * when it holds U c or a bigram starting with c; and it holds two characters side by side
 * exactly when it holds their bigram. Not indexing every character as a unigram halves the
 * terms a clause adds (format.h).
 */

/* Called once per term (an occurrence; the index keeps counts, not positions). `gram` is
 * the term without its prefix. Non-zero stops. */
typedef int (*ps_term_fn)(void *ctx, const char *term, size_t term_len, const char *gram,
			  size_t gram_len);

/* A run of one character c: the clauses holding c are those with the term `term` (U c) or
 * any term starting with `prefix` (B c). Non-zero stops. */
typedef int (*ps_char_fn)(void *ctx, const char *term, size_t term_len, const char *prefix,
			  size_t prefix_len, const char *gram, size_t gram_len);

/* The longest term the index takes, prefix included (Xapian's glass backend's limit). */
#define PS_MAX_TERM_BYTES 245

/* The terms the writer indexes for norm[0,len), in text order. Returns 0, fn's non-zero
 * value, or -1 with a malloc'd message in *error for invalid UTF-8. */
int ps_terms_index(const char *norm, size_t len, ps_term_fn fn, void *ctx, char **error);

/* What a clause holding norm[0,len) literally must hold, run by run (runs of characters
 * between white space): a run of two or more characters, each of its bigram terms
 * (`bigram`); a run of one, what that character is looked up by (`character`). Returns 0,
 * a callback's non-zero value, or -1 with a message for invalid UTF-8. */
int ps_terms_lookup(const char *norm, size_t len, ps_term_fn bigram, ps_char_fn character,
		    void *ctx, char **error);

#endif
