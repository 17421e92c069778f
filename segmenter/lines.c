/* lines.c: the rule that joins a line broken mid-sentence to the next, and what counts as CJK. */
#include "lines.h"

#include "clauses.h"
#include "heading.h"
#include "utf8.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

bool seg_is_cjk(int32_t c)
{
	if (c < 0x2000)
		return c == 0x00B7; /* · in names, 马克思·韦伯 */
	if (c == 0x2014 || c == 0x2015 || c == 0x2018 || c == 0x2019 || c == 0x201C ||
	    c == 0x201D || c == 0x2026 || c == 0x2027 || c == 0x2030 || c == 0x203B)
		return true; /* — ‘ ’ “ ” … ‧ ‰ ※ as Chinese text uses them */
	if ((c >= 0x2460 && c <= 0x24FF) ||   /* ① ⑴ ⒈ */
	    (c >= 0x2E80 && c <= 0x2FDF) ||   /* radicals, Kangxi radicals */
	    (c >= 0x2FF0 && c <= 0x303F) ||   /* description characters, 、。〈〉「」【】〔〕 */
	    (c >= 0x3190 && c <= 0x31EF) ||   /* kanbun, strokes */
	    (c >= 0x3200 && c <= 0x33FF) ||   /* enclosed CJK, CJK compatibility */
	    (c >= 0xFE10 && c <= 0xFE1F) ||   /* vertical forms */
	    (c >= 0xFE30 && c <= 0xFE6F) ||   /* compatibility and small forms */
	    (c >= 0xFF00 && c <= 0xFFEF) ||   /* full-width and half-width forms */
	    (c >= 0x1F200 && c <= 0x1F2FF))   /* enclosed ideographs */
		return true;
	UErrorCode status = U_ZERO_ERROR;
	return uscript_getScript(c, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

static bool is_ascii_digit(int32_t c)
{
	return c >= '0' && c <= '9';
}

/* The last character can end a sentence or a clause (clauses.h's terminators, a colon, an
 * ellipsis, an ASCII full stop), or closes a quotation or bracket. */
static bool ends_complete(int32_t c)
{
	return seg_clause_may_end_after(c) || c == 0xFF1A || c == ':' || c == 0x2026 || c == '.' ||
	       c == 0x3015 /* 〕 */ || c == '"';
}

/* Prose holds a comma or sentence mark; a title, a heading and a table cell hold none (an
 * ASCII comma between digits is a thousands separator, 1,000). */
static bool reads_as_prose(const char *s, size_t start, size_t end)
{
	int32_t before = -1;
	for (size_t i = start; i < end;) {
		int32_t c = utf8_next(s, &i, end);
		switch (c) {
		case 0xFF0C: /* ， */
		case 0x3001: /* 、 */
		case 0x3002: /* 。 */
		case 0xFF1B: /* ； */
		case 0xFF1A: /* ： */
		case 0xFF01: /* ！ */
		case 0xFF1F: /* ？ */
			return true;
		case ',':
		case ';': {
			size_t j = i;
			int32_t after = j < end ? utf8_next(s, &j, end) : -1;
			if (!(is_ascii_digit(before) && is_ascii_digit(after)))
				return true;
			break;
		}
		default: break;
		}
		before = c;
	}
	return false;
}

/* Whether the line text[start, end) opens with a short label and a colon, 年工作日：… or
 * 日工资：…: a line of a list of such lines, each standing alone. */
static bool starts_with_label(const char *s, size_t start, size_t end)
{
	int chars = 0;
	for (size_t i = start; i < end && chars <= 12; chars++) {
		int32_t c = utf8_next(s, &i, end);
		if (c == 0xFF1A || c == ':')
			return chars > 0;
		if (c == 0xFF0C || c == 0x3001 || c == 0x3002 || c == 0xFF1B || c == ',' || c == ';')
			return false;
	}
	return false;
}

/* A bullet that starts an item of its own (大连's ◆培育…). */
static bool is_bullet(int32_t c)
{
	switch (c) {
	case 0x25C6: /* ◆ */
	case 0x25C7: /* ◇ */
	case 0x25CF: /* ● */
	case 0x25CB: /* ○ */
	case 0x25A0: /* ■ */
	case 0x25A1: /* □ */
	case 0x2605: /* ★ */
	case 0x2606: /* ☆ */
	case 0x25B2: /* ▲ */
	case 0x25B3: /* △ */
	case 0x25B6: /* ▶ */
	case 0x25BA: /* ► */
	case 0x2022: /* • */
	case 0x203B: /* ※ */
	case 0x2192: /* → */
	case 0x2014: /* — */
	case '-':
	case '*':
	case '>':
		return true;
	default:
		return false;
	}
}

bool seg_line_continues(const char *text, size_t line_start, size_t line_end, size_t next_start,
			size_t next_end)
{
	size_t s = line_start, e = line_end;
	utf8_trim(text, &s, &e);
	if (s == e)
		return false;
	seg_heading_t h;
	if (seg_heading_parse(text + line_start, line_end - line_start, &h)) {
		if (!h.run_in)
			return false;
		s = line_start + h.end; /* the body after a run-in title */
		utf8_trim(text, &s, &e);
		if (s == e)
			return false;
	}
	size_t last = e;
	if (ends_complete(utf8_prev(text, s, &last)) || !reads_as_prose(text, s, e) ||
	    starts_with_label(text, s, e))
		return false;

	size_t ns = next_start, ne = next_end;
	utf8_trim(text, &ns, &ne);
	if (ns == ne)
		return false;
	size_t first = ns;
	if (is_bullet(utf8_next(text, &first, ne)) || starts_with_label(text, ns, ne))
		return false;
	if (seg_heading_parse(text + next_start, next_end - next_start, &h))
		return false;
	return reads_as_prose(text, ns, ne);
}
