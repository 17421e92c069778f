/* tables.c: indicator tables in a plan's text, found line by line and read row by row (tables.h). */
#include "tables.h"

#include "heading.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lines, read in place -------------------------------------------------------------- */

typedef struct line {
	size_t start, end; /* trimmed; start == end for a blank line */
	int no;            /* 1-based line of the file */
} line_t;

/* Where the next line starts, and its number. Copying a scanner is how to look ahead. */
typedef struct scan {
	const char *text;
	size_t pos, end;
	int no;
} scan_t;

static bool next_line(scan_t *s, line_t *out)
{
	if (s->pos >= s->end)
		return false;
	const char *nl = memchr(s->text + s->pos, '\n', s->end - s->pos);
	size_t e = nl ? (size_t)(nl - s->text) : s->end;
	out->start = s->pos;
	out->end = e;
	out->no = s->no;
	utf8_trim(s->text, &out->start, &out->end);
	s->pos = nl ? e + 1 : s->end;
	s->no++;
	return true;
}

/* The next non-blank line; *gap is how many blank lines came before it. */
static bool next_nonblank(scan_t *s, line_t *out, int *gap)
{
	*gap = 0;
	while (next_line(s, out)) {
		if (out->start < out->end)
			return true;
		(*gap)++;
	}
	return false;
}

/* ---- characters and words ------------------------------------------------------------ */

static int32_t cp_at(const char *text, size_t i, size_t end, size_t *next)
{
	size_t at = i;
	int32_t c = utf8_next(text, &at, end);
	if (next)
		*next = at;
	return c;
}

static int32_t last_cp(const char *text, size_t start, size_t end)
{
	size_t i = end;
	return end > start ? utf8_prev(text, start, &i) : -1;
}

/* A decimal digit, ASCII or full-width; -1 if not. */
static int digit_of(int32_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 0xFF10 && c <= 0xFF19)
		return c - 0xFF10;
	return -1;
}

static bool starts_with(const char *text, size_t i, size_t end, const char *word)
{
	size_t n = strlen(word);
	return end - i >= n && memcmp(text + i, word, n) == 0;
}

static bool equals(const char *text, size_t start, size_t end, const char *word)
{
	return end - start == strlen(word) && memcmp(text + start, word, end - start) == 0;
}

static bool contains(const char *text, size_t start, size_t end, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = start; i + n <= end; i++)
		if (memcmp(text + i, word, n) == 0)
			return true;
	return false;
}

static size_t skip_spaces(const char *text, size_t i, size_t end)
{
	while (i < end) {
		size_t next;
		if (!utf8_is_space(cp_at(text, i, end, &next)))
			break;
		i = next;
	}
	return i;
}

/* The unit printed at i, longest first; its length in bytes, 0 if none. */
static size_t unit_at(const char *text, size_t i, size_t end)
{
	static const char *const units[] = {
		"万人次", "平方米", "人次", "万人", "万元", "亿元", "万个", "小时", "学时",
		"%", "％", "‰", "元", "万", "亿", "个", "所", "年", "人", "名", "天", "岁",
		"册", "件", "项", "门", "次", "倍", "台", "座", "家", "间", "亩", "本", "套",
		"种", "条", "分", "张", "部", "班", "校", "园", "级", "星",
	};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (starts_with(text, i, end, units[k]))
			return strlen(units[k]);
	return 0;
}

/* Copy a unit into buf, ％ as %; false if it does not fit. */
static bool copy_unit(char buf[SEG_TABLE_UNIT_MAX], const char *text, size_t start, size_t end)
{
	if (equals(text, start, end, "％") || equals(text, start, end, "%")) {
		strcpy(buf, "%");
		return true;
	}
	if (end - start >= SEG_TABLE_UNIT_MAX)
		return false;
	memcpy(buf, text + start, end - start);
	buf[end - start] = '\0';
	return true;
}

/* A line or cell that ends in a sentence or clause mark: prose, not a cell. */
static bool ends_as_prose(const char *text, size_t start, size_t end)
{
	switch (last_cp(text, start, end)) {
	case 0x3002: /* 。 */
	case 0xFF01: /* ！ */
	case 0xFF1F: /* ？ */
	case 0xFF1B: /* ； */
	case 0xFF0C: /* ， */
	case 0x3001: /* 、 */
	case '!':
	case '?':
	case ';':
	case ',':
		return true;
	default:
		return false;
	}
}

/* A note under a table: 注：…, （注：…）, 备注：…, 说明：…, 资料来源…, 数据来源…. */
static bool is_note(const char *text, size_t start, size_t end)
{
	static const char *const notes[] = {"注：", "注:", "（注", "(注", "备注", "说明：",
					    "说明:", "资料来源", "数据来源"};
	for (size_t k = 0; k < sizeof notes / sizeof notes[0]; k++)
		if (starts_with(text, start, end, notes[k]))
			return true;
	return false;
}

static bool is_heading(const char *text, size_t start, size_t end)
{
	seg_heading_t h;
	return seg_heading_parse(text + start, end - start, &h);
}

/* ---- splitting a line into cells --------------------------------------------------------- */

typedef struct piece {
	size_t start, end;
} piece_t;

/* Split the trimmed line [start,end) into cells apart by a tab, an ideographic space or two
 * or more spaces. Stores at most SEG_TABLE_MAX_COLUMNS + 1 pieces and returns how many there
 * are, SEG_TABLE_MAX_COLUMNS + 1 meaning "more than a header may have". */
static size_t split_cells(const char *text, size_t start, size_t end,
			  piece_t pieces[SEG_TABLE_MAX_COLUMNS + 1])
{
	size_t n = 0, from = start, i = start;
	while (i < end) {
		size_t next;
		int32_t c = cp_at(text, i, end, &next);
		if (!utf8_is_space(c)) {
			i = next;
			continue;
		}
		size_t j = i;
		int spaces = 0;
		bool hard = false;
		while (j < end) {
			size_t k;
			int32_t d = cp_at(text, j, end, &k);
			if (!utf8_is_space(d))
				break;
			hard = hard || d == '\t' || d == 0x3000;
			spaces++;
			j = k;
		}
		if (hard || spaces >= 2) {
			if (n == SEG_TABLE_MAX_COLUMNS + 1)
				return n;
			pieces[n++] = (piece_t){from, i};
			from = j;
		}
		i = j;
	}
	if (n < SEG_TABLE_MAX_COLUMNS + 1)
		pieces[n++] = (piece_t){from, end};
	return n;
}

/* ---- values ------------------------------------------------------------------------------ */

typedef struct reading {
	double number;
	seg_cmp_t cmp;
	size_t unit_start, unit_end; /* the unit after the number; equal if none */
} reading_t;

/*
 * Whether [start,end) reads whole as a value: an optional comparator, a number (digits, an
 * optional decimal part, thousands apart by commas), an optional unit, an optional 以上 /
 * 以下 / 左右. Fills *r when it does.
 */
static bool read_value(const char *text, size_t start, size_t end, reading_t *r)
{
	static const struct {
		const char *word;
		seg_cmp_t cmp;
	} prefixes[] = {
		{"不低于", SEG_CMP_GE}, {"不少于", SEG_CMP_GE}, {"至少", SEG_CMP_GE},
		{"不超过", SEG_CMP_LE}, {"不高于", SEG_CMP_LE}, {"不多于", SEG_CMP_LE},
		{"超过", SEG_CMP_GT},   {"高于", SEG_CMP_GT},   {"大于", SEG_CMP_GT},
		{"低于", SEG_CMP_LT},   {"少于", SEG_CMP_LT},   {"小于", SEG_CMP_LT},
		{"约", SEG_CMP_ABOUT},  {"≈", SEG_CMP_ABOUT},   {"≥", SEG_CMP_GE},
		{"≧", SEG_CMP_GE},      {">=", SEG_CMP_GE},     {"≤", SEG_CMP_LE},
		{"≦", SEG_CMP_LE},      {"<=", SEG_CMP_LE},     {"＞", SEG_CMP_GT},
		{">", SEG_CMP_GT},      {"＜", SEG_CMP_LT},     {"<", SEG_CMP_LT},
	}, suffixes[] = {
		{"及以上", SEG_CMP_GE}, {"以上", SEG_CMP_GE}, {"及以下", SEG_CMP_LE},
		{"以下", SEG_CMP_LE},   {"左右", SEG_CMP_ABOUT},
	};
	reading_t out = {0};
	size_t i = start;

	for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
		if (starts_with(text, i, end, prefixes[k].word)) {
			out.cmp = prefixes[k].cmp;
			i = skip_spaces(text, i + strlen(prefixes[k].word), end);
			break;
		}

	/* the number, copied as ASCII for strtod */
	char buf[48];
	size_t n = 0, digits = 0;
	bool point = false;
	while (i < end) {
		size_t next;
		int32_t c = cp_at(text, i, end, &next);
		int d = digit_of(c);
		if (d >= 0) {
			if (n + 1 >= sizeof buf)
				return false;
			buf[n++] = (char)('0' + d);
			digits++;
		} else if ((c == '.' || c == 0xFF0E) && !point && digits > 0) {
			size_t k;
			if (next >= end || digit_of(cp_at(text, next, end, &k)) < 0)
				return false; /* "3." */
			if (n + 1 >= sizeof buf)
				return false;
			buf[n++] = '.';
			point = true;
		} else if ((c == ',' || c == 0xFF0C) && !point && digits > 0) {
			/* a thousands comma has three digits after it */
			size_t k = next, three = 0;
			while (k < end && three < 4 && digit_of(cp_at(text, k, end, &k)) >= 0)
				three++;
			if (three != 3)
				return false;
		} else {
			break;
		}
		i = next;
	}
	if (digits == 0)
		return false;
	buf[n] = '\0';
	out.number = strtod(buf, NULL);

	i = skip_spaces(text, i, end);
	size_t u = unit_at(text, i, end);
	out.unit_start = i;
	out.unit_end = i + u;
	i = skip_spaces(text, i + u, end);
	if (u == 0)
		out.unit_start = out.unit_end = 0;

	for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
		if (starts_with(text, i, end, suffixes[k].word)) {
			if (out.cmp != SEG_CMP_NONE)
				return false; /* "不低于95%以上": two comparators */
			out.cmp = suffixes[k].cmp;
			i += strlen(suffixes[k].word);
			break;
		}
	if (i != end)
		return false;
	*r = out;
	return true;
}

/* ---- header cells ------------------------------------------------------------------------ */

/*
 * Whether [start,end) is a header cell: a year, a known word, or both, around brackets and
 * quotes ("2025年", "基期值（2020年）", "“十四五”累计"). Gives its role and year.
 */
static bool read_header_cell(const char *text, size_t start, size_t end, seg_column_role_t *role,
			     int *year)
{
	static const struct {
		const char *word;
		seg_column_role_t role;
	} words[] = {
		{"序号", SEG_COLUMN_SERIAL},     {"指标", SEG_COLUMN_LABEL},
		{"指标名称", SEG_COLUMN_LABEL},  {"指标内容", SEG_COLUMN_LABEL},
		{"项目", SEG_COLUMN_LABEL},      {"名称", SEG_COLUMN_LABEL},
		{"属性", SEG_COLUMN_ATTRIBUTE},  {"指标属性", SEG_COLUMN_ATTRIBUTE},
		{"单位", SEG_COLUMN_UNIT},       {"计量单位", SEG_COLUMN_UNIT},
		{"完成情况", SEG_COLUMN_VALUE},  {"完成值", SEG_COLUMN_VALUE},
		{"目标值", SEG_COLUMN_VALUE},    {"目标", SEG_COLUMN_VALUE},
		{"基期值", SEG_COLUMN_VALUE},    {"基期", SEG_COLUMN_VALUE},
		{"基准值", SEG_COLUMN_VALUE},    {"现状值", SEG_COLUMN_VALUE},
		{"规划值", SEG_COLUMN_VALUE},    {"预期值", SEG_COLUMN_VALUE},
		{"累计", SEG_COLUMN_VALUE},      {"年均增长", SEG_COLUMN_VALUE},
	};
	static const char *const periods[] = {"十二五", "十三五", "十四五", "十五五"};
	char rest[64];
	size_t n = 0;
	int y = 0;

	if (end - start > 60)
		return false;
	size_t i = start;
	while (i < end) {
		size_t next;
		int32_t c = cp_at(text, i, end, &next);
		if (digit_of(c) >= 0) {
			/* one year of four digits, 19xx or 20xx */
			int v = 0, k = 0;
			size_t j = i;
			while (j < end) {
				size_t after;
				int d = digit_of(cp_at(text, j, end, &after));
				if (d < 0 || ++k > 4)
					break;
				v = v * 10 + d;
				j = after;
			}
			if (k != 4 || v < 1900 || v > 2099 || y != 0)
				return false;
			y = v;
			if (starts_with(text, j, end, "年"))
				j += strlen("年");
			if (starts_with(text, j, end, "底") || starts_with(text, j, end, "末"))
				j += strlen("底");
			i = j;
			continue;
		}
		switch (c) {
		case 0xFF08: case 0xFF09: case '(': case ')': /* （）() */
		case 0x3010: case 0x3011: case 0x3014: case 0x3015: /* 【】〔〕 */
		case '[': case ']': case 0x201C: case 0x201D: case '"': /* “” */
		case 0x300A: case 0x300B: /* 《》 */
			break;
		default:
			if (utf8_is_space(c))
				break;
			if (c < 0 || n + (next - i) >= sizeof rest)
				return false;
			memcpy(rest + n, text + i, next - i);
			n += next - i;
		}
		i = next;
	}
	rest[n] = '\0';
	char *word = rest;
	for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++)
		if (strncmp(word, periods[k], strlen(periods[k])) == 0) {
			word += strlen(periods[k]);
			break;
		}
	if (*word == '\0') {
		if (y == 0)
			return false;
		*role = SEG_COLUMN_VALUE;
		*year = y;
		return true;
	}
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
		if (strcmp(word, words[k].word) == 0) {
			if (y != 0 && words[k].role != SEG_COLUMN_VALUE)
				return false;
			*role = words[k].role;
			*year = y;
			return true;
		}
	return false;
}

static bool is_header_cell(const char *text, size_t start, size_t end)
{
	seg_column_role_t role;
	int year;
	return read_header_cell(text, start, end, &role, &year);
}

/* ---- the finder --------------------------------------------------------------------------- */

/* A cell gathered while reading a table's rows, before the rows are formed. */
typedef struct gathered {
	size_t start, end;
	int line;
	int group; /* cells between the same blank lines (a cell per line), or a row's line */
} gathered_t;

typedef struct header {
	seg_table_column_t cols[SEG_TABLE_MAX_COLUMNS];
	size_t n;
	int gap;      /* the longest blank run between its lines */
	int last_line;
	size_t end;   /* end of its last cell */
	scan_t after; /* the line after it */
} header_t;

typedef struct finder {
	const char *text;
	seg_tables_t *out;
	size_t cap_tables, cap_warnings;
	gathered_t *cells; /* the current table's, reused */
	size_t n_cells, cap_cells;
	char *why;         /* why the current table is not read; malloc'd */
	int why_line;      /* its last line, when the reason is found past the gathered cells */
} finder_t;

static int grow(void **items, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 16;
	void *p = realloc(*items, n * size);
	if (p == NULL)
		return -1;
	*items = p;
	*cap = n;
	return 0;
}

static int add_warning(finder_t *f, int line, int end_line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int add_warning(finder_t *f, int line, int end_line, const char *fmt, ...)
{
	seg_tables_t *o = f->out;
	if (grow((void **)&o->warnings, &f->cap_warnings, o->n_warnings, sizeof *o->warnings))
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = n < 0 ? NULL : malloc((size_t)n + 1);
	if (msg == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->warnings[o->n_warnings++] = (seg_table_warning_t){line, end_line, msg};
	return 0;
}

/* Record why the current table is not read (the first reason wins). Returns -1 when out of
 * memory. */
static int refuse(finder_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(finder_t *f, const char *fmt, ...)
{
	if (f->why != NULL)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	f->why = malloc((size_t)n + 1);
	if (f->why == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(f->why, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return 0;
}

/* A line that may be a table's caption (see tables.h). */
static bool is_caption(const char *text, const line_t *l)
{
	reading_t r;
	piece_t pieces[SEG_TABLE_MAX_COLUMNS + 1];
	if (l->start == l->end || l->end - l->start > SEG_TABLE_MAX_CAPTION)
		return false;
	if (ends_as_prose(text, l->start, l->end) || is_note(text, l->start, l->end) ||
	    is_header_cell(text, l->start, l->end) || read_value(text, l->start, l->end, &r))
		return false;
	/* a header printed on one line is not a caption */
	size_t n = split_cells(text, l->start, l->end, pieces);
	if (n >= 2 && n <= SEG_TABLE_MAX_COLUMNS) {
		size_t k = 0;
		while (k < n && is_header_cell(text, pieces[k].start, pieces[k].end))
			k++;
		if (k == n)
			return false;
	}
	return true;
}

static void add_header_cell(header_t *h, const char *text, size_t start, size_t end, int line)
{
	seg_table_column_t *c = &h->cols[h->n++];
	memset(c, 0, sizeof *c);
	read_header_cell(text, start, end, &c->role, &c->year);
	c->header.start = start;
	c->header.end = end;
	c->header.line = line;
}

/* The header after a caption, the scanner at the line after the caption: true and *h if there
 * is one. */
static bool read_header(const char *text, scan_t s, header_t *h)
{
	line_t l;
	int gap;
	piece_t pieces[SEG_TABLE_MAX_COLUMNS + 1];

	memset(h, 0, sizeof *h);
	if (!next_nonblank(&s, &l, &gap) || gap > SEG_TABLE_MAX_GAP)
		return false;
	size_t n = split_cells(text, l.start, l.end, pieces);
	if (n >= 2) {
		if (n > SEG_TABLE_MAX_COLUMNS)
			return false;
		for (size_t k = 0; k < n; k++)
			if (!is_header_cell(text, pieces[k].start, pieces[k].end))
				return false;
		for (size_t k = 0; k < n; k++)
			add_header_cell(h, text, pieces[k].start, pieces[k].end, l.no);
	} else {
		if (!is_header_cell(text, l.start, l.end))
			return false;
		add_header_cell(h, text, l.start, l.end, l.no);
		for (;;) {
			scan_t probe = s;
			line_t m;
			int g;
			if (h->n == SEG_TABLE_MAX_COLUMNS || !next_nonblank(&probe, &m, &g) ||
			    g > SEG_TABLE_MAX_GAP || !is_header_cell(text, m.start, m.end))
				break;
			add_header_cell(h, text, m.start, m.end, m.no);
			if (g > h->gap)
				h->gap = g;
			s = probe;
			l = m;
		}
	}
	h->last_line = l.no;
	h->end = l.end;
	h->after = s;
	return true;
}

/* Whether the line starts another table: a caption followed by two or more header cells. */
static bool starts_table(const char *text, const line_t *l, scan_t after)
{
	header_t h;
	return is_caption(text, l) && read_header(text, after, &h) && h.n >= 2;
}

/* A line that may hold a cell, or a row's cells. */
static bool may_be_cells(const char *text, const line_t *l, scan_t after)
{
	if (l->end - l->start > SEG_TABLE_MAX_CELL) {
		/* only as a row of cells each short enough */
		piece_t pieces[SEG_TABLE_MAX_COLUMNS + 1];
		size_t n = split_cells(text, l->start, l->end, pieces);
		if (n < 2 || n > SEG_TABLE_MAX_COLUMNS)
			return false;
		for (size_t k = 0; k < n; k++)
			if (pieces[k].end - pieces[k].start > SEG_TABLE_MAX_CELL)
				return false;
	}
	return l->start < l->end && !ends_as_prose(text, l->start, l->end) &&
	       !is_note(text, l->start, l->end) && !is_heading(text, l->start, l->end) &&
	       !starts_table(text, l, after);
}

static int gather(finder_t *f, size_t start, size_t end, int line, int group)
{
	if (grow((void **)&f->cells, &f->cap_cells, f->n_cells, sizeof *f->cells))
		return -1;
	f->cells[f->n_cells++] = (gathered_t){start, end, line, group};
	return 0;
}

/*
 * After a table that stopped at a blank run longer than its own (threshold), whether its
 * cells go on: a row of cells (a row per line), or up to a row's worth of lines that may be
 * cells with a value among them (a cell per line). On true, *s moves past every line that
 * goes on so, and *last is the last one's line.
 */
static bool cells_go_on(const char *text, scan_t *s, int threshold, size_t n_columns,
			bool row_per_line, int *last)
{
	piece_t pieces[SEG_TABLE_MAX_COLUMNS + 1];
	int far = threshold + SEG_TABLE_MAX_GAP, gap;
	scan_t probe = *s;
	line_t m, x;

	if (!next_nonblank(&probe, &m, &gap) || gap > far || !may_be_cells(text, &m, probe))
		return false;
	if (row_per_line) {
		if (split_cells(text, m.start, m.end, pieces) < 2)
			return false;
	} else {
		bool value = false;
		scan_t p = probe;
		x = m;
		for (size_t k = 1;; k++) {
			reading_t r;
			if (x.end - x.start > SEG_TABLE_MAX_CELL)
				return false;
			value = value || read_value(text, x.start, x.end, &r);
			if (k == n_columns || !next_nonblank(&p, &x, &gap) || gap > threshold ||
			    !may_be_cells(text, &x, p))
				break;
		}
		if (!value)
			return false;
	}
	*s = probe;
	*last = m.no;
	for (;;) {
		scan_t p = *s;
		if (!next_nonblank(&p, &x, &gap) || gap > far || !may_be_cells(text, &x, p))
			break;
		*s = p;
		*last = x.no;
	}
	return true;
}

/*
 * Gather the rows' cells after the header into f->cells. *s starts after the header and
 * ends after the table's last line. Sets *row_per_line. A reason not to read the table goes
 * to f->why. Returns -1 when out of memory.
 */
static int gather_rows(finder_t *f, const header_t *h, size_t n_columns, scan_t *s,
		       bool *row_per_line)
{
	const char *text = f->text;
	piece_t pieces[SEG_TABLE_MAX_COLUMNS + 1];
	line_t l;
	int gap;
	scan_t probe = *s;

	f->n_cells = 0;
	*row_per_line = false;
	if (!next_nonblank(&probe, &l, &gap) || gap > SEG_TABLE_MAX_GAP ||
	    !may_be_cells(text, &l, probe))
		return 0;
	int threshold = gap > h->gap ? gap : h->gap;
	if (threshold < 1)
		threshold = 1;
	size_t n = split_cells(text, l.start, l.end, pieces);
	*row_per_line = n >= 2;
	int group = 0;
	bool ended_by_gap = false;

	for (;;) {
		/* l is a line of the table, probe just after it */
		if (*row_per_line) {
			n = split_cells(text, l.start, l.end, pieces);
			if (n < 2)
				break;
			if (n != n_columns) {
				int rc = n > SEG_TABLE_MAX_COLUMNS
					 ? refuse(f, "the row on line %d has more than %d cells, the "
						  "header %zu columns", l.no, SEG_TABLE_MAX_COLUMNS,
						  n_columns)
					 : refuse(f, "the row on line %d has %zu cells, the header %zu "
						  "columns", l.no, n, n_columns);
				if (rc != 0)
					return -1;
				f->why_line = l.no;
			} else {
				for (size_t k = 0; k < n; k++)
					if (gather(f, pieces[k].start, pieces[k].end, l.no, group) != 0)
						return -1;
			}
			if (f->why != NULL && f->why_line < l.no)
				f->why_line = l.no;
			group++;
		} else {
			if (gap > 0 && f->n_cells > 0)
				group++;
			if (gather(f, l.start, l.end, l.no, group) != 0)
				return -1;
		}
		*s = probe;
		line_t m;
		scan_t next = probe;
		if (!next_nonblank(&next, &m, &gap))
			break;
		if (gap > threshold) {
			ended_by_gap = true;
			break;
		}
		if (!may_be_cells(text, &m, next) ||
		    (!*row_per_line && m.end - m.start > SEG_TABLE_MAX_CELL))
			break;
		l = m;
		probe = next;
	}

	/* A table that stops at a longer blank run than its own and goes on after it: a missing
	 * cell printed as an empty line looks so. */
	int last;
	if (ended_by_gap && f->why == NULL &&
	    cells_go_on(text, s, threshold, n_columns, *row_per_line, &last)) {
		if (refuse(f, "its cells go on after the blank lines before line %d, where a cell "
			   "may be missing", f->n_cells ? f->cells[f->n_cells - 1].line + 1 : l.no) != 0)
			return -1;
		f->why_line = last;
	}

	/* A row per line that stops at a line of one cell and goes on after it: the table is
	 * broken there, not ended. */
	if (*row_per_line && f->why == NULL) {
		scan_t next = *s;
		line_t m, after;
		int g1, g2;
		if (next_nonblank(&next, &m, &g1) && g1 <= threshold &&
		    may_be_cells(text, &m, next) && split_cells(text, m.start, m.end, pieces) == 1 &&
		    next_nonblank(&next, &after, &g2) && g2 <= threshold &&
		    split_cells(text, after.start, after.end, pieces) == n_columns &&
		    may_be_cells(text, &after, next)) {
			if (refuse(f, "line %d, between rows, is not a row of %zu cells", m.no,
				   n_columns) != 0)
				return -1;
			f->why_line = after.no;
			*s = next;
		}
	}
	return 0;
}

/* The length of a cell to quote in a message: at most about 20 characters, cut at a
 * character boundary. */
static int quote_len(const char *text, size_t start, size_t end)
{
	size_t n = end - start;
	if (n <= 60)
		return (int)n;
	size_t i = start + 60;
	while (i > start && ((unsigned char)text[i] & 0xC0) == 0x80)
		i--;
	return (int)(i - start);
}

/* Form t's rows from the gathered cells (see tables.h). A reason not to read goes to f->why.
 * Returns -1 when out of memory. */
static int form_rows(finder_t *f, seg_table_t *t)
{
	size_t n = t->n_columns;
	size_t n_cells = f->n_cells;

	if (n_cells == 0)
		return refuse(f, "no rows follow its header");
	if (!t->row_per_line) {
		/* groups of n, or cells in order with no blank line between rows */
		bool all_n = true, all_one = true;
		size_t bad = 0, bad_size = 0;
		bool one_group = f->cells[n_cells - 1].group == f->cells[0].group;
		for (size_t i = 0; i < n_cells;) {
			size_t j = i;
			while (j < n_cells && f->cells[j].group == f->cells[i].group)
				j++;
			if (j - i != n && all_n) {
				all_n = false;
				bad = i;
				bad_size = j - i;
			}
			if (j - i != 1)
				all_one = false;
			i = j;
		}
		if (!all_n && !all_one && !one_group)
			return refuse(f, "the %zu cells on lines %d–%d are not a row of the header's %zu "
				      "columns", bad_size, f->cells[bad].line,
				      f->cells[bad + bad_size - 1].line, n);
		if (!all_n && n_cells % n != 0)
			return refuse(f, "its %zu cells on lines %d–%d do not divide into rows of the "
				      "header's %zu columns", n_cells, f->cells[0].line,
				      f->cells[n_cells - 1].line, n);
	}
	size_t n_rows = n_cells / n;
	seg_table_cell_t *block = calloc(n_cells, sizeof *block);
	t->rows = calloc(n_rows, sizeof *t->rows);
	if (t->rows == NULL || block == NULL) {
		free(block);
		return -1;
	}
	t->n_rows = n_rows;
	for (size_t r = 0; r < n_rows; r++) {
		seg_table_row_t *row = &t->rows[r];
		row->cells = block + r * n;
		for (size_t c = 0; c < n; c++) {
			const gathered_t *g = &f->cells[r * n + c];
			row->cells[c] = (seg_table_cell_t){.start = g->start, .end = g->end,
							   .line = g->line};
		}
		row->line = row->cells[0].line;
		row->end_line = row->cells[n - 1].line;
	}
	return 0;
}

/* The label's name without a unit marker that ends it, and that unit: "…入园率%" gives "%",
 * "…比例（%）" and "…人数(万人)" theirs; "…年限()" sets *empty. */
static size_t label_name(const char *text, size_t ls, size_t le, char unit[SEG_TABLE_UNIT_MAX],
			 bool *empty)
{
	size_t i = le, name_end = le;
	int32_t last = utf8_prev(text, ls, &i);

	unit[0] = '\0';
	*empty = false;
	if (last == '%' || last == 0xFF05 || last == 0x2030) { /* % ％ ‰ */
		size_t j = i;
		/* "达到85%" is a number in the label, not its unit */
		if ((i == ls || digit_of(utf8_prev(text, ls, &j)) < 0) && copy_unit(unit, text, i, le))
			name_end = i;
	} else if (last == ')' || last == 0xFF09) {
		size_t j = i;
		while (j > ls && i - j <= SEG_TABLE_UNIT_MAX) {
			size_t k = j;
			int32_t c = utf8_prev(text, ls, &k);
			if (c == '(' || c == 0xFF08) {
				size_t us = j, ue = i;
				utf8_trim(text, &us, &ue);
				if (us == ue) {
					*empty = true;
					name_end = k;
				} else if (unit_at(text, us, ue) == ue - us &&
					   copy_unit(unit, text, us, ue)) {
					name_end = k;
				}
				break;
			}
			if (c == ')' || c == 0xFF09)
				break;
			j = k;
		}
	}
	while (name_end > ls) {
		size_t k = name_end;
		if (!utf8_is_space(utf8_prev(text, ls, &k)))
			break;
		name_end = k;
	}
	return name_end;
}

/* Read each row's cells by their columns' roles, then its name and unit. A reason not to read
 * goes to f->why. Returns -1 when out of memory. */
static int read_rows(finder_t *f, seg_table_t *t)
{
	const char *text = f->text;
	for (size_t r = 0; r < t->n_rows; r++) {
		seg_table_row_t *row = &t->rows[r];
		reading_t rd;

		for (size_t c = 0; c < t->n_columns; c++) {
			seg_table_cell_t *cell = &row->cells[c];
			size_t s = cell->start, e = cell->end;
			int q = quote_len(text, s, e);
			switch (t->columns[c].role) {
			case SEG_COLUMN_SERIAL: {
				int v = 0;
				size_t i = s;
				while (i < e && text[i] >= '0' && text[i] <= '9' && v < 100000)
					v = v * 10 + (text[i++] - '0');
				if (i != e || v == 0)
					return refuse(f, "序号 on line %d is “%.*s”, not a number",
						      cell->line, q, text + s);
				row->serial = v;
				break;
			}
			case SEG_COLUMN_LABEL:
				if (read_value(text, s, e, &rd))
					return refuse(f, "the label on line %d, “%.*s”, is a value",
						      cell->line, q, text + s);
				if (is_header_cell(text, s, e))
					return refuse(f, "the label on line %d, “%.*s”, is a header",
						      cell->line, q, text + s);
				break;
			case SEG_COLUMN_ATTRIBUTE:
				if (equals(text, s, e, "预期性"))
					row->attribute = SEG_ATTRIBUTE_EXPECTED;
				else if (equals(text, s, e, "约束性"))
					row->attribute = SEG_ATTRIBUTE_BINDING;
				else
					return refuse(f, "属性 on line %d is “%.*s”, not 预期性 or 约束性",
						      cell->line, q, text + s);
				break;
			case SEG_COLUMN_UNIT: {
				bool ok = true;
				for (size_t i = s; ok && i < e; i++)
					ok = !(text[i] >= '0' && text[i] <= '9');
				if (!ok || !copy_unit(row->unit, text, s, e))
					return refuse(f, "单位 on line %d is “%.*s”, not a unit",
						      cell->line, q, text + s);
				row->unit_from = SEG_UNIT_COLUMN;
				break;
			}
			case SEG_COLUMN_VALUE:
				if (read_value(text, s, e, &rd)) {
					cell->has_number = true;
					cell->number = rd.number;
					cell->cmp = rd.cmp;
				}
				break;
			}
		}
	}

	/* every row is read: names and units */
	for (size_t r = 0; r < t->n_rows; r++) {
		seg_table_row_t *row = &t->rows[r];
		const seg_table_cell_t *label = &row->cells[t->label_column];
		size_t ls = label->start, le = label->end;
		char unit[SEG_TABLE_UNIT_MAX];
		bool empty;
		reading_t rd;

		row->name_end = label_name(text, ls, le, unit, &empty);
		if (row->unit_from == SEG_UNIT_NONE && unit[0] != '\0') {
			strcpy(row->unit, unit);
			row->unit_from = SEG_UNIT_LABEL;
		}
		for (size_t c = 0; c < t->n_columns && row->unit_from == SEG_UNIT_NONE; c++) {
			const seg_table_cell_t *cell = &row->cells[c];
			if (t->columns[c].role == SEG_COLUMN_VALUE &&
			    read_value(text, cell->start, cell->end, &rd) && rd.unit_end > rd.unit_start &&
			    copy_unit(row->unit, text, rd.unit_start, rd.unit_end))
				row->unit_from = SEG_UNIT_VALUE;
		}
		/* a unit right after a number inside the label: 创建2-3所…; not 年, which there is
		 * a year far more often than a length of time (到2025年建成…), nor after an
		 * ordinal (第2项) */
		bool ordinal = false;
		for (size_t k = ls; k < le && row->unit_from == SEG_UNIT_NONE;) {
			size_t next, u;
			int32_t c = cp_at(text, k, le, &next);
			bool digit = digit_of(c) >= 0;
			if (digit && !ordinal && (u = unit_at(text, next, le)) > 0 &&
			    !starts_with(text, next, le, "年") &&
			    copy_unit(row->unit, text, next, next + u))
				row->unit_from = SEG_UNIT_LABEL_NUMBER;
			ordinal = c == 0x7B2C /* 第 */ || (ordinal && digit);
			k = next;
		}
		if (empty && row->unit_from == SEG_UNIT_NONE &&
		    add_warning(f, label->line, label->line,
				"the label “%.*s” in the table “%.*s” ends in empty brackets: the "
				"source does not print its unit, and the row is given none",
				quote_len(text, ls, le), text + ls,
				quote_len(text, t->title.start, t->title.end), text + t->title.start))
			return -1;
	}
	return 0;
}

/* t's columns from the header, with a label column first (after 序号 when 序号 comes first)
 * where the header names none. A reason not to read goes to f->why. Returns -1 when out of
 * memory. */
static int set_columns(finder_t *f, seg_table_t *t, const header_t *h)
{
	static const char *const names[] = {"指标 (the label)", "序号", "属性", "单位"};
	int seen[SEG_COLUMN_VALUE] = {0};

	for (size_t k = 0; k < h->n; k++)
		if (h->cols[k].role != SEG_COLUMN_VALUE)
			seen[h->cols[k].role]++;
	bool unnamed = seen[SEG_COLUMN_LABEL] == 0;
	t->columns = calloc(h->n + unnamed, sizeof *t->columns);
	if (t->columns == NULL)
		return -1;
	size_t at = unnamed && h->cols[0].role == SEG_COLUMN_SERIAL ? 1 : 0, o = 0;
	for (size_t k = 0; k <= h->n; k++) {
		if (unnamed && k == at)
			t->columns[o++] = (seg_table_column_t){.role = SEG_COLUMN_LABEL};
		if (k < h->n)
			t->columns[o++] = h->cols[k];
	}
	t->n_columns = o;
	t->label_column = t->serial_column = t->attribute_column = t->unit_column = -1;
	for (size_t k = 0; k < t->n_columns; k++) {
		seg_column_role_t role = t->columns[k].role;
		int *slot = role == SEG_COLUMN_LABEL       ? &t->label_column
			    : role == SEG_COLUMN_SERIAL    ? &t->serial_column
			    : role == SEG_COLUMN_ATTRIBUTE ? &t->attribute_column
			    : role == SEG_COLUMN_UNIT      ? &t->unit_column
							   : NULL;
		if (slot != NULL && *slot < 0)
			*slot = (int)k;
	}
	for (int role = 0; role < SEG_COLUMN_VALUE; role++)
		if (seen[role] > 1)
			return refuse(f, "its header names %s %d times", names[role], seen[role]);
	return 0;
}

/*
 * Read the table whose caption is `caption`, the scanner just after it, into a new entry of
 * f->out; on a table, *s ends after it. Returns 1 when there is a table there (read or not),
 * 0 when there is none, -1 when out of memory.
 */
static int read_table(finder_t *f, const line_t *caption, scan_t *s)
{
	const char *text = f->text;
	header_t h;
	seg_tables_t *o = f->out;

	if (!read_header(text, *s, &h))
		return 0;
	size_t values = 0;
	for (size_t k = 0; k < h.n; k++)
		values += h.cols[k].role == SEG_COLUMN_VALUE;
	/* a header of one cell is a year under a caption that names 指标: a lone 目标 or 累计
	 * under a heading is too common in prose to start a table */
	if (values == 0 ||
	    (h.n < 2 && (h.cols[0].year == 0 || !contains(text, caption->start, caption->end, "指标"))))
		return 0;
	/* SEG_TABLE_MAX_COLUMNS counts the label column the header may leave unnamed */
	bool named = false;
	for (size_t k = 0; k < h.n; k++)
		named = named || h.cols[k].role == SEG_COLUMN_LABEL;
	if (!named && h.n == SEG_TABLE_MAX_COLUMNS)
		return 0;

	if (grow((void **)&o->tables, &f->cap_tables, o->n_tables, sizeof *o->tables))
		return -1;
	seg_table_t *t = &o->tables[o->n_tables++];
	memset(t, 0, sizeof *t);
	t->title = (seg_table_cell_t){.start = caption->start, .end = caption->end,
				      .line = caption->no};
	t->line = caption->no;
	t->start = caption->start;
	free(f->why);
	f->why = NULL;
	f->why_line = 0;
	f->n_cells = 0;
	if (set_columns(f, t, &h) != 0)
		return -1;

	*s = h.after;
	t->end_line = h.last_line;
	t->end = h.end;
	if (f->why == NULL) {
		if (gather_rows(f, &h, t->n_columns, s, &t->row_per_line) != 0)
			return -1;
		if (f->n_cells > 0) {
			t->end_line = f->cells[f->n_cells - 1].line;
			t->end = f->cells[f->n_cells - 1].end;
		}
	}
	if (f->why == NULL && form_rows(f, t) != 0)
		return -1;
	if (f->why == NULL && read_rows(f, t) != 0)
		return -1;
	if (f->why_line > t->end_line)
		t->end_line = f->why_line;

	if (f->why == NULL) {
		t->read = true;
		return 1;
	}
	/* not read: no rows, and a warning */
	if (t->n_rows > 0)
		free(t->rows[0].cells);
	free(t->rows);
	t->rows = NULL;
	t->n_rows = 0;
	if (add_warning(f, t->line, t->end_line,
			"the table “%.*s” on lines %d–%d is not read, and its lines stay text: %s",
			quote_len(text, t->title.start, t->title.end), text + t->title.start, t->line,
			t->end_line, f->why) != 0)
		return -1;
	return 1;
}

/* ---- the entry point ---------------------------------------------------------------------- */

int seg_tables_find(const char *text, size_t len, size_t body_start, size_t body_end,
		    seg_tables_t **out, char **error)
{
	finder_t f = {.text = text};
	int rc = -1;

	if (body_start > body_end || body_end > len) {
		strbuf_printf_new(error, "body range %zu..%zu is outside the text (%zu bytes)",
				  body_start, body_end, len);
		return -1;
	}
	f.out = calloc(1, sizeof *f.out);
	if (f.out == NULL)
		goto oom;

	scan_t s = {text, body_start, body_end, utf8_line_of(text, body_start)};
	line_t l;
	while (next_line(&s, &l)) {
		if (!is_caption(text, &l))
			continue;
		scan_t after = s;
		int found = read_table(&f, &l, &after);
		if (found < 0)
			goto oom;
		if (found > 0)
			s = after;
	}
	*out = f.out;
	f.out = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while reading the plan's tables");
out:
	free(f.cells);
	free(f.why);
	seg_tables_free(f.out);
	return rc;
}

void seg_tables_free(seg_tables_t *tables)
{
	if (tables == NULL)
		return;
	for (size_t i = 0; i < tables->n_tables; i++) {
		seg_table_t *t = &tables->tables[i];
		if (t->n_rows > 0)
			free(t->rows[0].cells);
		free(t->rows);
		free(t->columns);
	}
	for (size_t i = 0; i < tables->n_warnings; i++)
		free(tables->warnings[i].message);
	free(tables->tables);
	free(tables->warnings);
	free(tables);
}

const char *seg_cmp_symbol(seg_cmp_t cmp)
{
	switch (cmp) {
	case SEG_CMP_GE: return "≥";
	case SEG_CMP_LE: return "≤";
	case SEG_CMP_GT: return ">";
	case SEG_CMP_LT: return "<";
	case SEG_CMP_ABOUT: return "≈";
	case SEG_CMP_NONE: break;
	}
	return "";
}

const char *seg_attribute_name(seg_attribute_t attribute)
{
	switch (attribute) {
	case SEG_ATTRIBUTE_EXPECTED: return "预期性";
	case SEG_ATTRIBUTE_BINDING: return "约束性";
	case SEG_ATTRIBUTE_NONE: break;
	}
	return "";
}

const char *seg_column_role_name(seg_column_role_t role)
{
	switch (role) {
	case SEG_COLUMN_LABEL: return "label";
	case SEG_COLUMN_SERIAL: return "serial";
	case SEG_COLUMN_ATTRIBUTE: return "attribute";
	case SEG_COLUMN_UNIT: return "unit";
	case SEG_COLUMN_VALUE: return "value";
	}
	return "?";
}
