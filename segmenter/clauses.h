/* clauses.h: splitting a paragraph into clauses at 。！？； (full- or half-width). */
#ifndef SEG_CLAUSES_H
#define SEG_CLAUSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest clause, in bytes. A stretch with no terminator for longer than this (a whole
 * file on one line, a table flattened into text) is cut into clauses of at most this many
 * bytes, each cut at a character boundary, so that no clause, and nothing built from one,
 * grows with the input. The plans' longest clause is about 1,000 bytes. */
#define SEG_MAX_CLAUSE_BYTES 4096

/* Called for each clause with its byte range [start,end) in the text; non-zero stops. */
typedef int (*seg_clause_fn)(void *ctx, size_t start, size_t end);

/*
 * Split text[start,end) into clauses. A clause ends after a terminator (。！？； ! ? ;)
 * together with the closing quotes, brackets and Markdown ** that follow it
 * (…工作。” ends after ”); white space around a clause is not part of it, and a stretch with
 * no terminator is a clause of its own. A clause longer than SEG_MAX_CLAUSE_BYTES is cut
 * into pieces of at most that size at character boundaries. Returns 0, or the callback's
 * non-zero value.
 * The text must be valid UTF-8; nothing is allocated.
 */
int seg_clauses_split(const char *text, size_t start, size_t end, seg_clause_fn fn, void *ctx);

/* Whether a clause can end right after code point c: a terminator or a closing mark (in
 * their normalised forms too). A clause boundary never falls elsewhere. */
bool seg_clause_may_end_after(int32_t c);

#endif
