/* clauses.h: splitting a paragraph into clauses at 。！？； (full- or half-width). */
#ifndef SEG_CLAUSES_H
#define SEG_CLAUSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Called for each clause with its byte range [start,end) in the text; non-zero stops. */
typedef int (*seg_clause_fn)(void *ctx, size_t start, size_t end);

/*
 * Split text[start,end) into clauses. A clause ends after a terminator (。！？； ! ? ;)
 * together with the closing quotes, brackets and Markdown ** that follow it
 * (…工作。” ends after ”); white space around a clause is not part of it, and a stretch with
 * no terminator is a clause of its own. Returns 0, or the callback's non-zero value.
 * The text must be valid UTF-8; nothing is allocated.
 */
int seg_clauses_split(const char *text, size_t start, size_t end, seg_clause_fn fn, void *ctx);

/* Whether a clause can end right after code point c: a terminator or a closing mark (in
 * their normalised forms too). A clause boundary never falls elsewhere. */
bool seg_clause_may_end_after(int32_t c);

#endif
