/* heading.c: numbered-heading recognition for one line of a plan. */
#include "heading.h"

#include "utf8.h"

#include <stdint.h>
#include <string.h>
#include <unicode/uchar.h>

/* A small cursor over the line's code points. */
typedef struct cursor {
	const char *s;
	size_t len;
	size_t pos;
} cursor_t;

static UChar32 peek(const cursor_t *c, size_t *next)
{
	size_t i = c->pos;
	UChar32 cp;
	if (i >= c->len)
		return -1;
	cp = utf8_next(c->s, &i, c->len);
	if (next != NULL)
		*next = i;
	return cp;
}

static UChar32 take(cursor_t *c)
{
	size_t next = 0;
	UChar32 cp = peek(c, &next);
	if (cp >= 0)
		c->pos = next;
	return cp;
}

static bool accept(cursor_t *c, UChar32 want)
{
	size_t next = 0;
	if (peek(c, &next) != want)
		return false;
	c->pos = next;
	return true;
}

static bool accept_any(cursor_t *c, const UChar32 *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (accept(c, set[i]))
			return true;
	return false;
}

static void skip_space(cursor_t *c)
{
	size_t next = 0;
	UChar32 cp;
	while ((cp = peek(c, &next)) >= 0 && utf8_is_space(cp))
		c->pos = next;
}

static bool accept_literal(cursor_t *c, const char *utf8)
{
	size_t n = strlen(utf8);
	if (c->len - c->pos < n || memcmp(c->s + c->pos, utf8, n) != 0)
		return false;
	c->pos += n;
	return true;
}

static int han_digit(UChar32 cp)
{
	static const UChar32 digits[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
					 0x516D, 0x4E03, 0x516B, 0x4E5D}; /* 一…九 */
	for (int i = 0; i < 9; i++)
		if (digits[i] == cp)
			return i + 1;
	return 0;
}

#define HAN_TEN 0x5341 /* 十 */

/* A Han numeral from 1 to 99 written the usual way (三, 十, 十二, 二十, 二十三); -1 if the
 * text at the cursor is not one. Strict, so 十四五 is not a number. */
static int han_number(cursor_t *c)
{
	size_t save = c->pos;
	int tens = 0, units = 0;
	int d = han_digit(peek(c, NULL));
	if (d > 0) {
		take(c);
		if (accept(c, HAN_TEN)) {
			tens = d;
			units = han_digit(peek(c, NULL));
			if (units > 0)
				take(c);
		} else {
			units = d;
		}
	} else if (accept(c, HAN_TEN)) {
		tens = 1;
		units = han_digit(peek(c, NULL));
		if (units > 0)
			take(c);
	} else {
		c->pos = save;
		return -1;
	}
	/* A further numeral means this was not a number of the accepted shape. */
	UChar32 after = peek(c, NULL);
	if (han_digit(after) > 0 || after == HAN_TEN) {
		c->pos = save;
		return -1;
	}
	return tens * 10 + units;
}

static int ascii_digit(UChar32 cp)
{
	if (cp >= '0' && cp <= '9')
		return cp - '0';
	if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width digits */
		return cp - 0xFF10;
	return -1;
}

/* One to three Arabic digits (ASCII or full-width), not starting a longer number. */
static int arabic_number(cursor_t *c)
{
	size_t save = c->pos;
	int value = 0, n = 0, d;
	while ((d = ascii_digit(peek(c, NULL))) >= 0) {
		take(c);
		value = value * 10 + d;
		if (++n > 3) {
			c->pos = save;
			return -1;
		}
	}
	if (n == 0)
		return -1;
	return value;
}

static const UChar32 open_paren[] = {'(', 0xFF08};
static const UChar32 close_paren[] = {')', 0xFF09};
static const UChar32 arabic_delim[] = {'.', 0xFF0E, 0x3001}; /* . ． 、 */
static const UChar32 terminators[] = {0x3002, 0xFF61, 0xFF01, 0xFF1F}; /* 。｡！？ */

/* Recognise the marker at the cursor; on success the cursor is just after it. */
static bool parse_marker(cursor_t *c, seg_style_t *style, int *number, size_t *label_start)
{
	size_t start = c->pos;
	int n;
	UChar32 cp = peek(c, NULL);

	*label_start = start;
	if (accept_literal(c, "第")) {
		if ((n = han_number(c)) < 0 && (n = arabic_number(c)) < 0)
			goto no;
		if (accept_literal(c, "章")) {
			*style = SEG_STYLE_CHAPTER;
		} else if (accept_literal(c, "节")) {
			/* "第一节课前…" is a lesson, not a section: 第X节 stands apart */
			UChar32 next = peek(c, NULL);
			if (next >= 0 && !utf8_is_space(next))
				goto no;
			*style = SEG_STYLE_SECTION;
		} else {
			goto no;
		}
		*number = n;
		return true;
	}
	if (accept_any(c, open_paren, 2)) {
		if ((n = han_number(c)) >= 0)
			*style = SEG_STYLE_PAREN_HAN;
		else if ((n = arabic_number(c)) >= 0)
			*style = SEG_STYLE_PAREN_ARABIC;
		else
			goto no;
		if (!accept_any(c, close_paren, 2))
			goto no;
		*number = n;
		return true;
	}
	if (cp >= 0x2460 && cp <= 0x2473) { /* ① … ⑳ */
		take(c);
		*style = SEG_STYLE_CIRCLED;
		*number = cp - 0x2460 + 1;
		return true;
	}
	if (cp >= 0x2474 && cp <= 0x2487) { /* ⑴ … ⒇ */
		take(c);
		*style = SEG_STYLE_PAREN_ARABIC;
		*number = cp - 0x2474 + 1;
		return true;
	}
	if ((n = han_number(c)) >= 0) {
		if (!accept(c, 0x3001)) /* 、 */
			goto no;
		/* "一、二年级…", "三、四年级…": a range of numbers, not a heading */
		UChar32 next = peek(c, NULL);
		if (han_digit(next) > 0 || next == HAN_TEN)
			goto no;
		*style = SEG_STYLE_HAN_COMMA;
		*number = n;
		return true;
	}
	if ((n = arabic_number(c)) >= 0) {
		if (!accept_any(c, arabic_delim, 3))
			goto no;
		/* "90.4", "3.7:6.3", "1.5倍": a number, not a heading */
		if (ascii_digit(peek(c, NULL)) >= 0)
			goto no;
		*style = SEG_STYLE_ARABIC;
		*number = n;
		return true;
	}
	/* Boxed lists: "专栏3  立德树人工程", and Word's "文本框: 重点项目2". */
	if (accept_literal(c, "文本框")) {
		if (!accept(c, ':') && !accept(c, 0xFF1A))
			goto no;
		skip_space(c);
		*label_start = c->pos;
	}
	if (accept_literal(c, "专栏") || accept_literal(c, "重点项目")) {
		skip_space(c);
		if ((n = arabic_number(c)) < 0 && (n = han_number(c)) < 0)
			goto no;
		*style = SEG_STYLE_BOX;
		*number = n;
		return true;
	}
no:
	c->pos = start;
	return false;
}

bool seg_heading_parse(const char *line, size_t len, seg_heading_t *out)
{
	cursor_t c = {line, len, 0};
	seg_heading_t h = {0};

	skip_space(&c);
	h.start = c.pos;
	if (!parse_marker(&c, &h.style, &h.number, &h.label_start))
		return false;
	h.label_end = c.pos;
	skip_space(&c);
	h.title_start = c.pos;

	/* Trim trailing white space, back to the marker if nothing else follows it. */
	size_t end_of_text = len;
	while (end_of_text > h.label_end) {
		size_t i = end_of_text;
		UChar32 cp = utf8_prev(line, h.label_end, &i);
		if (!utf8_is_space(cp))
			break;
		end_of_text = i;
	}
	if (h.title_start > end_of_text)
		h.title_start = end_of_text;
	h.title_end = end_of_text;
	h.end = end_of_text;
	/* The title runs to the first terminator, or to the end of the line. */
	while (c.pos < end_of_text) {
		size_t before = c.pos;
		if (accept_any(&c, terminators, 4)) {
			h.title_end = before;
			h.end = c.pos;
			/* run-in only if something other than space (or closing **) follows */
			cursor_t rest = c;
			skip_space(&rest);
			h.run_in = rest.pos < end_of_text;
			break;
		}
		take(&c);
	}
	/* Markdown emphasis around a run-in title: （1）**强化师德师风建设。** — the closing
	 * ** belongs to the heading clause. */
	if (h.run_in && len - h.end >= 2 && memcmp(line + h.end, "**", 2) == 0) {
		h.end += 2;
		cursor_t rest = {line, end_of_text, h.end};
		skip_space(&rest);
		h.run_in = rest.pos < end_of_text;
	}
	/* A bare "1." or "（一）" is not a heading; a chapter or box label may stand alone. */
	if (h.title_end <= h.title_start && h.style != SEG_STYLE_CHAPTER &&
	    h.style != SEG_STYLE_SECTION && h.style != SEG_STYLE_BOX)
		return false;
	*out = h;
	return true;
}

const char *seg_style_name(seg_style_t style)
{
	switch (style) {
	case SEG_STYLE_CHAPTER: return "chapter";
	case SEG_STYLE_SECTION: return "section";
	case SEG_STYLE_HAN_COMMA: return "han-comma";
	case SEG_STYLE_PAREN_HAN: return "paren-han";
	case SEG_STYLE_ARABIC: return "arabic";
	case SEG_STYLE_PAREN_ARABIC: return "paren-arabic";
	case SEG_STYLE_CIRCLED: return "circled";
	case SEG_STYLE_BOX: return "box";
	case SEG_STYLE_COUNT: break;
	}
	return "unknown";
}
