/* utf8.h: code point stepping over UTF-8 with size_t offsets (ICU's U8_PREV wants int32_t). */
#ifndef UTIL_UTF8_H
#define UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>
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

#endif
