/* tokenize.h: the one tokenizer contract shared by indexing and querying (ICU words, n-grams). */
#ifndef SEG_TOKENIZE_H
#define SEG_TOKENIZE_H

#include <stddef.h>

/*
 * Contract (after SQLite FTS5's fts5.h):
 * - Input is UTF-8 that has already been through seg_normalize; it need not be
 *   NUL-terminated and may be any length.
 * - Each token is reported with the byte offsets [start,end) of the input it covers (end
 *   exclusive); `token` points into the input and is token_len = end - start bytes long.
 * - Tokens come in input order. Spaces and punctuation are never word tokens.
 * - A non-zero return from the callback stops the run; the tokenizer then returns that
 *   value. Otherwise it returns 0, or -1 on an error with a message in *error.
 * The indexer and the query side both call these functions, which is what keeps the terms
 * of a passage and the terms of a query the same.
 */
typedef int (*seg_token_fn)(void *ctx, const char *token, size_t token_len, size_t start,
			    size_t end);

typedef struct seg_words seg_words_t;

/* Open an ICU word breaker for Chinese (locale "zh": dictionary segmentation of Han runs).
 * Returns 0, or -1 with a malloc'd message in *error; *out untouched on failure. */
int seg_words_open(seg_words_t **out, char **error);

/* Report every word of the input: ICU word-break segments whose rule status is not "none"
 * (letters, numbers, kana, ideographs). ICU's dictionary cost grows with the length of a
 * Han run, so the input is broken in bounded chunks (SEG_WORDS_CHUNK_BYTES at most, cut
 * after a space or punctuation mark where there is one); a word never spans a chunk edge. */
int seg_words_run(seg_words_t *words, const char *text, size_t len, seg_token_fn fn, void *ctx,
		  char **error);

/* Free the breaker. Accepts NULL. */
void seg_words_close(seg_words_t *words);

#define SEG_WORDS_CHUNK_BYTES 1536

/* Report every run of n consecutive code points (n = 1 or 2) that contains no white space:
 * character unigrams or bigrams, for every script. Any literal string without white space
 * that occurs in a text has all its n-grams among the text's n-grams, which is what lets
 * the index narrow a literal search to candidates. Fails only on invalid UTF-8. */
int seg_ngrams_run(const char *text, size_t len, int n, seg_token_fn fn, void *ctx,
		   char **error);

#endif
