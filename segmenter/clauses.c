/* clauses.c: clause boundaries inside one paragraph. */
#include "clauses.h"

#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>

static bool is_terminator(UChar32 c)
{
	return c == 0x3002 || c == 0xFF61 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '!' ||
	       c == '?' ||
	       c == ';';
}

static bool is_closer(UChar32 c)
{
	switch (c) {
	case 0x201D: /* ” */
	case 0x2019: /* ’ */
	case 0xFF09: /* ） */
	case ')':
	case 0x300D: /* 」 */
	case 0x300F: /* 』 */
	case 0x3011: /* 】 */
	case 0x300B: /* 》 */
	case '*': return true;
	default: return false;
	}
}

bool seg_clause_may_end_after(int32_t c)
{
	return is_terminator(c) || is_closer(c);
}

/* Emit [s,e) without surrounding white space, if anything is left, cut into pieces of at
 * most SEG_MAX_CLAUSE_BYTES that end at character boundaries. */
static int emit(const char *text, size_t s, size_t e, seg_clause_fn fn, void *ctx)
{
	utf8_trim(text, &s, &e);
	while (e - s > SEG_MAX_CLAUSE_BYTES) {
		size_t cut = s + SEG_MAX_CLAUSE_BYTES;
		while (cut > s && ((uint8_t)text[cut] & 0xC0) == 0x80) /* not inside a character */
			cut--;
		size_t ps = s, pe = cut;
		utf8_trim(text, &ps, &pe);
		if (pe > ps) {
			int rc = fn(ctx, ps, pe);
			if (rc != 0)
				return rc;
		}
		s = cut;
		utf8_trim(text, &s, &e);
	}
	return e > s ? fn(ctx, s, e) : 0;
}

int seg_clauses_split(const char *text, size_t start, size_t end, seg_clause_fn fn, void *ctx)
{
	size_t clause_start = start, i = start;
	while (i < end) {
		UChar32 c;
		c = utf8_next(text, &i, end);
		if (!is_terminator(c))
			continue;
		/* take further terminators and closers: "！？", "。”", "。**" */
		while (i < end) {
			size_t j = i;
			UChar32 next;
			next = utf8_next(text, &j, end);
			if (!is_terminator(next) && !is_closer(next))
				break;
			i = j;
		}
		int rc = emit(text, clause_start, i, fn, ctx);
		if (rc != 0)
			return rc;
		clause_start = i;
	}
	return emit(text, clause_start, end, fn, ctx);
}
