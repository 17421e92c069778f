/* lines.h: when a line break in a plan is the source's wrapping of a sentence that goes on. */
#ifndef SEG_LINES_H
#define SEG_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Text extracted from PDFs and web pages breaks lines in the middle of sentences, even in the
 * middle of a word (阜新: "…完善课后服务机" / "制，扩大范围…"), often with a blank line in
 * between. Such a break is not a paragraph break: the two lines are one paragraph, a clause
 * runs across them, and the normal form (normalize.h) drops the break like any white space
 * between two Chinese characters, so 课后服务机制 is found.
 *
 * The rule is local, so that the structure parser (document.c) and the normaliser, which sees
 * only a stretch of text, always agree. Line `line` continues into the next non-blank line
 * `next` when all of these hold:
 *  - `line` is body text: not a heading (seg_heading_parse), or the body after a run-in
 *    heading's title on that line;
 *  - that text ends mid-sentence: its last character is not a sentence or clause end
 *    (。！？；：… and their ASCII forms) nor a closing quote or bracket;
 *  - it reads as prose, not as a title or a table cell: it holds a comma, an enumeration
 *    comma or a sentence mark (，、。；：！？, or an ASCII , or ; not between two digits);
 *  - neither line opens with a short label and a colon (年工作日：… / 季工作日：…, lines that
 *    stand alone side by side);
 *  - `next` is body text too: not a heading candidate, not a bulleted item (◆ ● ■ …), and
 *    prose by the same test.
 * A table title ("“十三五”教育事业发展主要指标完成情况") or a heading after an unfinished line
 * therefore starts a new paragraph, and the unfinished sentence ends where the source ends it.
 */

/* Whether the line text[line_start, line_end) continues into the next non-blank line
 * text[next_start, next_end) (both without their newline; white space at either end is
 * ignored). The text must be valid UTF-8. Cannot fail. */
bool seg_line_continues(const char *text, size_t line_start, size_t line_end, size_t next_start,
			size_t next_end);

/* Whether code point c is written as part of Chinese text: a Han character, CJK punctuation
 * and symbols (、。“”…), full-width forms (，（２Ａ), enclosed numbers (①) and the other CJK
 * blocks. White space next to such a character is not part of the text (normalize.h). */
bool seg_is_cjk(int32_t c);

#endif
