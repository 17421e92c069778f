/* printed.h: a plan's bytes as text output shows them: a line break the source put inside a sentence as ⏎. */
#ifndef PQ_PRINTED_H
#define PQ_PRINTED_H

#include "strbuf.h"

#include <stddef.h>

/* What stands for a line break the source put inside a sentence (lines.h), with the white
 * space around it, in text and Markdown output. JSON keeps the exact bytes. */
#define PQ_SOFT_BREAK "⏎"

/* Append source[start,end) (a plan's source of len bytes) to sb: each line break inside a
 * sentence the source broke, with the white space around it, as PQ_SOFT_BREAK; every other
 * byte as it is. Returns 0, or -1 when memory runs out. */
int pq_printed_append(strbuf_t *sb, const char *source, size_t len, size_t start, size_t end);

#endif
