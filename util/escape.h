/* escape.h: text made safe for a terminal: control and bidirectional-override characters shown, not obeyed. */
#ifndef UTIL_ESCAPE_H
#define UTIL_ESCAPE_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Whether code point c must not reach a terminal as it is: a C0 control (U+0000–U+001F),
 * DEL, a C1 control (U+0080–U+009F: U+009B is CSI, which starts an escape sequence), or a
 * bidirectional formatting character, which reorders the text after it (U+061C, U+200E,
 * U+200F, U+202A–U+202E, U+2066–U+2069). Tab and line feed count as unsafe here; text
 * output keeps them (util_escape_text). Cannot fail. */
bool util_char_is_unsafe(int32_t c);

/* Append s[0,n) to sb, each unsafe character (util_char_is_unsafe) but tab, line feed and
 * a carriage return before a line feed written visibly as <U+001B>, and each byte that is
 * not UTF-8 as <0x9B>. Returns 0, or -1 when out of memory. */
int util_escape_text(strbuf_t *sb, const char *s, size_t n);

/* Write s[0,n) to out escaped as util_escape_text does. Returns 0, or -1 when a write
 * fails or memory runs out. */
int util_fput_escaped(FILE *out, const char *s, size_t n);

/* util_fput_escaped for a NUL-terminated string. */
int util_fputs_escaped(FILE *out, const char *s);

#endif
