/* utf8.h: UTF-8 stepping with size_t offsets (ICU's U8_PREV wants int32_t), white space, lines. */
#ifndef UTIL_UTF8_H
#define UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Decode the code point at *i (which must be < len) and advance *i past it.
 * Returns the code point, or -1 for an ill-formed sequence (*i then skips it). */
static inline int32_t utf8_next(const char *s, size_t *i, size_t len)
{
	UChar32 c;
	size_t at = *i;
	U8_NEXT((const uint8_t *)s, at, len, c);
	*i = at;
	return c;
}

/* Step *i (which must be > start) back to the start of the code point before it and return
 * that code point, or -1 if the bytes there are ill-formed (then *i moves back one byte). */
static inline int32_t utf8_prev(const char *s, size_t start, size_t *i)
{
	size_t end = *i, at = end - 1;
	while (at > start && end - at < 4 && ((uint8_t)s[at] & 0xC0) == 0x80)
		at--;
	size_t probe = at;
	int32_t c = utf8_next(s, &probe, end);
	if (c < 0 || probe != end) {
		*i = end - 1;
		return -1;
	}
	*i = at;
	return c;
}

/* White space as the plans use it: ASCII blanks, tabs, CR, U+3000, NBSP, a byte order mark
 * (U+FEFF, which files saved on Windows start with) and every other Unicode white space
 * character. */
static inline int utf8_is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0 || c == 0xFEFF ||
	       (c > 0 && u_isUWhiteSpace(c));
}

/* Narrow [*start,*end) of s so that it neither starts nor ends with white space. */
static inline void utf8_trim(const char *s, size_t *start, size_t *end)
{
	while (*start < *end) {
		size_t i = *start;
		if (!utf8_is_space(utf8_next(s, &i, *end)))
			break;
		*start = i;
	}
	while (*end > *start) {
		size_t i = *end;
		if (!utf8_is_space(utf8_prev(s, *start, &i)))
			break;
		*end = i;
	}
}

/* The 1-based line on which byte `offset` of text lies. */
static inline int utf8_line_of(const char *text, size_t offset)
{
	int line = 1;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + offset - p))) != NULL; p++)
		line++;
	return line;
}

#endif
