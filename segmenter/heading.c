/* heading.c: numbered-heading recognition for one line of a plan. */
#include "heading.h"

#include "utf8.h"

#include <stdint.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

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

/* Take the code point at the cursor; an ill-formed byte is stepped over (and returned as
 * -1), so a scan always ends even on text that is not UTF-8. */
static UChar32 take(cursor_t *c)
{
	size_t next = 0;
	UChar32 cp = peek(c, &next);
	if (c->pos < c->len)
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

#define HAN_TEN 0x5341     /* 十 */
#define HAN_HUNDRED 0x767E /* 百 */
#define HAN_THOUSAND 0x5343 /* 千 */
#define HAN_ZERO 0x96F6    /* 零 */
#define HAN_ZERO_CIRCLE 0x3007 /* 〇 */
#define HAN_TWO_LIANG 0x4E24   /* 两 */

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

/* A Han ordinal as articles and chapters count them, from 1 to 9999: 一百零五, 一千二百六十,
 * 二十, 十; -1 if the text at the cursor is not one. Digits may not follow digits except
 * after 零 (一百零五), and the units must fall (千 before 百 before 十). */
static int han_ordinal(cursor_t *c)
{
	size_t save = c->pos;
	int value = 0, digit = -1, last_unit = 100000, n = 0;
	bool after_zero = false;
	for (;;) {
		UChar32 cp = peek(c, NULL);
		int d = han_digit(cp);
		if (cp == HAN_TWO_LIANG)
			d = 2;
		if (cp == HAN_ZERO || cp == HAN_ZERO_CIRCLE) {
			if (digit >= 0 || n == 0)
				break;
			take(c);
			after_zero = true;
			n++;
			continue;
		}
		if (d > 0) {
			if (digit >= 0)
				break; /* 一二: not an ordinal */
			take(c);
			digit = d;
			after_zero = false;
			n++;
			continue;
		}
		int unit = cp == HAN_TEN ? 10 : cp == HAN_HUNDRED ? 100 : cp == HAN_THOUSAND ? 1000 : 0;
		if (unit == 0 || unit >= last_unit || after_zero)
			break;
		if (digit < 0 && !(unit == 10 && n == 0))
			break; /* a unit needs its digit, but 十二 is twelve */
		take(c);
		value += (digit < 0 ? 1 : digit) * unit;
		last_unit = unit;
		digit = -1;
		n++;
	}
	if (digit > 0)
		value += digit;
	if (n == 0 || value == 0 || value > 9999) {
		c->pos = save;
		return -1;
	}
	return value;
}

static int ascii_digit(UChar32 cp)
{
	if (cp >= '0' && cp <= '9')
		return cp - '0';
	if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width digits */
		return cp - 0xFF10;
	return -1;
}

/* One to `max` Arabic digits (ASCII or full-width), not starting a longer number. */
static int arabic_digits(cursor_t *c, int max)
{
	size_t save = c->pos;
	int value = 0, n = 0, d;
	while ((d = ascii_digit(peek(c, NULL))) >= 0) {
		take(c);
		value = value * 10 + d;
		if (++n > max) {
			c->pos = save;
			return -1;
		}
	}
	if (n == 0)
		return -1;
	return value;
}

static int arabic_number(cursor_t *c)
{
	return arabic_digits(c, 3);
}

static const UChar32 open_paren[] = {'(', 0xFF08};
static const UChar32 close_paren[] = {')', 0xFF09};
static const UChar32 arabic_delim[] = {'.', 0xFF0E, 0x3001}; /* . ． 、 */
static const UChar32 han_delim[] = {0x3001, 0xFF0E, '.'};    /* 、 ． . */
static const UChar32 decimal_dot[] = {'.', 0xFF0E};
static const UChar32 terminators[] = {0x3002, 0xFF61, 0xFF01, 0xFF1F}; /* 。｡！？ */

/* The divisions written 第X…: the unit after the ordinal and its style. */
static const struct {
	const char *unit;
	seg_style_t style;
} divisions[] = {
	/* simplified, then the traditional forms laws are also published in */
	{"分编", SEG_STYLE_SUBVOLUME}, {"编", SEG_STYLE_VOLUME},     {"部分", SEG_STYLE_PART},
	{"篇", SEG_STYLE_PIAN},        {"章", SEG_STYLE_CHAPTER},    {"节", SEG_STYLE_SECTION},
	{"条", SEG_STYLE_ARTICLE},     {"分編", SEG_STYLE_SUBVOLUME}, {"編", SEG_STYLE_VOLUME},
	{"節", SEG_STYLE_SECTION},     {"條", SEG_STYLE_ARTICLE},
};

/* After "N、" (N a Han numeral): a second numeral and a grade or class word make a range,
 * 一、二年级 or 一、二、三等奖, not a heading (一、一般规定 and 二、三大任务 are headings). */
static bool han_range_follows(cursor_t *c)
{
	cursor_t probe = *c;
	if (han_number(&probe) < 0)
		return false;
	static const char *const words[] = {"年级", "级", "、", "至", "到", "等", "类", "期", "批",
					    "档"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (accept_literal(&probe, words[i]))
			return true;
	return false;
}

/* A quantity after a decimal number: 1.5倍, 2.8亿元, 90.4%. */
static bool quantity_follows(const cursor_t *c)
{
	static const char *const units[] = {"倍", "万", "亿", "元", "%", "％", "个", "所", "人",
					    "岁", "米", "公里", "小时", "天", "次", "名", "家",
					    "亩", "吨", "平方", "千", "百", "分", "‰", ":", "：", "/"};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		size_t n = strlen(units[i]);
		if (c->len - c->pos >= n && memcmp(c->s + c->pos, units[i], n) == 0)
			return true;
	}
	return false;
}

/* 1.1, 5.1.1, 2.3.4.1 (up to SEG_DECIMAL_PARTS parts), with an optional final . or 、,
 * followed by white space or a title; -1 if none. */
static int decimal_number(cursor_t *c, int *parts)
{
	size_t save = c->pos;
	int n = 0, v;
	while ((v = arabic_number(c)) >= 0) {
		if (n == SEG_DECIMAL_PARTS)
			goto no;
		parts[n++] = v;
		size_t before_dot = c->pos;
		if (!accept_any(c, decimal_dot, 2))
			break;
		if (ascii_digit(peek(c, NULL)) < 0) {
			c->pos = before_dot; /* a final dot: 1.1. 指导思想 */
			accept_any(c, decimal_dot, 2);
			break;
		}
	}
	if (n < 2 || quantity_follows(c))
		goto no;
	accept(c, 0x3001); /* 1.1、 */
	return n;
no:
	c->pos = save;
	return -1;
}

/* Recognise the marker at the cursor; on success the cursor is just after it. */
static bool parse_marker(cursor_t *c, seg_heading_t *h)
{
	size_t start = c->pos;
	int n;
	UChar32 cp = peek(c, NULL);

	h->label_start = start;
	if (accept_literal(c, "第")) {
		if ((n = han_ordinal(c)) < 0 && (n = arabic_digits(c, 4)) < 0)
			goto no;
		size_t k = 0;
		while (k < sizeof divisions / sizeof divisions[0] &&
		       !accept_literal(c, divisions[k].unit))
			k++;
		if (k == sizeof divisions / sizeof divisions[0])
			goto no;
		/* "第一节课前…" is a lesson, not a section */
		if (divisions[k].style == SEG_STYLE_SECTION &&
		    (accept_literal(c, "课") || accept_literal(c, "課")))
			goto no;
		h->style = divisions[k].style;
		h->number = n;
		return true;
	}
	if (accept_any(c, open_paren, 2)) {
		if ((n = han_number(c)) >= 0)
			h->style = SEG_STYLE_PAREN_HAN;
		else if ((n = arabic_number(c)) >= 0)
			h->style = SEG_STYLE_PAREN_ARABIC;
		else
			goto no;
		if (!accept_any(c, close_paren, 2))
			goto no;
		h->number = n;
		return true;
	}
	if (cp >= 0x2460 && cp <= 0x2473) { /* ① … ⑳ */
		take(c);
		h->style = SEG_STYLE_CIRCLED;
		h->number = cp - 0x2460 + 1;
		return true;
	}
	if (cp >= 0x2474 && cp <= 0x2487) { /* ⑴ … ⒇ */
		take(c);
		h->style = SEG_STYLE_PAREN_ARABIC;
		h->number = cp - 0x2474 + 1;
		return true;
	}
	if ((n = han_number(c)) >= 0) {
		if (!accept_any(c, han_delim, 3))
			goto no;
		if (han_range_follows(c))
			goto no;
		h->style = SEG_STYLE_HAN_COMMA;
		h->number = n;
		return true;
	}
	int parts[SEG_DECIMAL_PARTS];
	int n_parts = decimal_number(c, parts);
	if (n_parts >= 2) {
		h->style = n_parts == 2 ? SEG_STYLE_DECIMAL2
			   : n_parts == 3 ? SEG_STYLE_DECIMAL3 : SEG_STYLE_DECIMAL4;
		memcpy(h->parts, parts, sizeof parts);
		h->number = parts[n_parts - 1];
		return true;
	}
	if ((n = arabic_number(c)) >= 0) {
		if (!accept_any(c, arabic_delim, 3))
			goto no;
		/* "90.4", "3.7:6.3", "1.5倍": a number, not a heading */
		if (ascii_digit(peek(c, NULL)) >= 0)
			goto no;
		h->style = SEG_STYLE_ARABIC;
		h->number = n;
		return true;
	}
	/* Boxed lists: "专栏3  立德树人工程", and Word's "文本框: 重点项目2". */
	if (accept_literal(c, "文本框")) {
		if (!accept(c, ':') && !accept(c, 0xFF1A))
			goto no;
		skip_space(c);
		h->label_start = c->pos;
	}
	if (accept_literal(c, "专栏") || accept_literal(c, "專欄") ||
	    accept_literal(c, "重点项目") || accept_literal(c, "重點項目")) {
		skip_space(c);
		if ((n = arabic_number(c)) < 0 && (n = han_number(c)) < 0)
			goto no;
		h->style = SEG_STYLE_BOX;
		h->number = n;
		return true;
	}
no:
	c->pos = start;
	return false;
}

static bool is_han_char(UChar32 cp)
{
	UErrorCode status = U_ZERO_ERROR;
	return cp >= 0 && uscript_getScript(cp, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

/* What a decimal heading's title may start with: a word or an opening quote or bracket
 * (1.1 指导思想, 1.2 “双减”…), not a quantity or another number. */
static bool starts_title(UChar32 cp)
{
	return is_han_char(cp) || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	       cp == 0x201C || cp == 0x300A || cp == 0xFF08 || cp == '(' || cp == 0x3010;
}

/* An article's bracketed title right after its label: 【立法目的】, 〔…〕, or a short
 * （…） of words alone. On success the cursor is after the closing bracket and
 * [*ts, *te) is the title. */
static bool article_title(cursor_t *c, size_t *ts, size_t *te)
{
	static const UChar32 opens[] = {0x3010, 0x3014, 0xFF3B, 0xFF08, '('};  /* 【 〔 ［ （ ( */
	static const UChar32 closes[] = {0x3011, 0x3015, 0xFF3D, 0xFF09, ')'}; /* 】 〕 ］ ） ) */
	cursor_t t = *c;
	UChar32 open = take(&t);
	size_t k = 0;
	while (k < 5 && opens[k] != open)
		k++;
	if (k == 5)
		return false;
	size_t start = t.pos;
	int chars = 0;
	for (UChar32 cp; (cp = peek(&t, NULL)) >= 0; chars++) {
		if (cp == closes[k])
			break;
		/* a parenthesis holding a sentence or a number is the body's, not a title */
		if (chars >= 30 || (k >= 3 && !is_han_char(cp) && cp != 0x3001 && cp != 0xB7))
			return false;
		take(&t);
	}
	if (peek(&t, NULL) != closes[k] || chars == 0)
		return false;
	cursor_t numeral = {c->s, t.pos, start}; /* （一） after 第三条 is an item, not a title */
	if (han_number(&numeral) >= 0 && numeral.pos == t.pos)
		return false;
	*ts = start;
	*te = t.pos;
	take(&t);
	*c = t;
	return true;
}

/* Markdown around a heading, as laws are published in it: "## 第二章", "- 第一条", "**第一章
 * 总则**" (the closing ** of a title is cleaned off it later). The heading starts after. */
static void skip_markdown(cursor_t *c)
{
	cursor_t t = *c;
	if (peek(&t, NULL) == '#') {
		while (accept(&t, '#'))
			;
		if (!utf8_is_space(peek(&t, NULL)))
			return;
		skip_space(&t);
	} else if (accept(&t, '-') || accept(&t, '*') || accept(&t, '+')) {
		if (!utf8_is_space(peek(&t, NULL))) {
			t = *c;
		} else {
			skip_space(&t);
		}
	}
	accept_literal(&t, "**");
	*c = t;
}

bool seg_heading_parse(const char *line, size_t len, seg_heading_t *out)
{
	cursor_t c = {line, len, 0};
	seg_heading_t h = {0};

	skip_space(&c);
	skip_markdown(&c);
	h.start = c.pos;
	if (!parse_marker(&c, &h))
		return false;
	h.label_end = c.pos;

	/* Trim trailing white space, back to the marker if nothing else follows it. */
	size_t end_of_text = len;
	while (end_of_text > h.label_end) {
		size_t i = end_of_text;
		UChar32 cp = utf8_prev(line, h.label_end, &i);
		if (!utf8_is_space(cp))
			break;
		end_of_text = i;
	}
	if (h.style == SEG_STYLE_ARTICLE) {
		/* 第一条　为了……: the label (and a bracketed title) is the heading, the rest of
		 * the line the article's first paragraph */
		cursor_t t = c;
		skip_space(&t);
		h.title_start = h.title_end = h.end = h.label_end;
		if (article_title(&t, &h.title_start, &h.title_end))
			h.end = t.pos;
		else
			h.title_start = h.title_end = h.label_end;
		skip_space(&t);
		h.run_in = t.pos < end_of_text;
		*out = h;
		return true;
	}
	skip_space(&c);
	h.title_start = c.pos;
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
	/* A bare "1." or "（一）" is not a heading; a division or box label may stand alone. */
	if (h.title_end <= h.title_start && seg_style_rank(h.style) == 0 &&
	    h.style != SEG_STYLE_BOX)
		return false;
	/* a decimal number needs a title that starts with a word: 1.1 指导思想 */
	if (h.style >= SEG_STYLE_DECIMAL2 && h.style <= SEG_STYLE_DECIMAL4) {
		size_t i = h.title_start;
		if (!starts_title(utf8_next(line, &i, len)))
			return false;
	}
	*out = h;
	return true;
}

int seg_style_rank(seg_style_t style)
{
	switch (style) {
	case SEG_STYLE_VOLUME:
	case SEG_STYLE_PART:
	case SEG_STYLE_PIAN: return 1;
	case SEG_STYLE_SUBVOLUME: return 2;
	case SEG_STYLE_CHAPTER: return 3;
	case SEG_STYLE_SECTION: return 4;
	case SEG_STYLE_ARTICLE: return 5;
	default: return 0;
	}
}

const char *seg_style_name(seg_style_t style)
{
	switch (style) {
	case SEG_STYLE_VOLUME: return "volume";
	case SEG_STYLE_SUBVOLUME: return "subvolume";
	case SEG_STYLE_PART: return "part";
	case SEG_STYLE_PIAN: return "pian";
	case SEG_STYLE_CHAPTER: return "chapter";
	case SEG_STYLE_SECTION: return "section";
	case SEG_STYLE_ARTICLE: return "article";
	case SEG_STYLE_HAN_COMMA: return "han-comma";
	case SEG_STYLE_PAREN_HAN: return "paren-han";
	case SEG_STYLE_ARABIC: return "arabic";
	case SEG_STYLE_PAREN_ARABIC: return "paren-arabic";
	case SEG_STYLE_CIRCLED: return "circled";
	case SEG_STYLE_DECIMAL2: return "decimal-2";
	case SEG_STYLE_DECIMAL3: return "decimal-3";
	case SEG_STYLE_DECIMAL4: return "decimal-4";
	case SEG_STYLE_BOX: return "box";
	case SEG_STYLE_COUNT: break;
	}
	return "unknown";
}
