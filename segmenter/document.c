/* document.c: a plan's body, line by line, into sections, articles, paragraphs, items and clauses. */
#include "document.h"

#include "clauses.h"
#include "lines.h"
#include "strbuf.h"
#include "structure.h"
#include "tables.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the document-wide passes decide each non-blank line is. */
typedef enum line_kind {
	LINE_BODY,    /* body text (a paragraph, or part of one) */
	LINE_HEADING, /* a heading: a new section */
	LINE_ITEM,    /* a list item: a paragraph of its own, marked as an item */
	LINE_TOC,     /* a line of a table of contents: body text, never joined */
} line_kind_t;

typedef struct line {
	size_t start, end; /* the line without its newline */
	size_t ts, te;     /* trimmed; ts == te for a blank line */
	int number;        /* 1-based line of the file */
	bool candidate;    /* seg_heading_parse found a marker (h) */
	seg_heading_t h;   /* offsets relative to start */
	line_kind_t kind;
	int item_level;
} line_t;

typedef struct parser {
	const char *text;
	seg_document_t *doc;
	line_t *lines;
	size_t n_lines;
	size_t cap_sections, cap_paragraphs, cap_clauses, cap_warnings;
	seg_outline_t outline;
	int section;         /* the section text currently belongs to */
	int clause_line;     /* the line of byte clause_at, while a paragraph is split */
	size_t clause_at;
	bool sentence_open;  /* the section's last clause did not end its sentence */
} parser_t;

/* Grow *items (of `size` bytes each) so that one more fits. */
static int grow(void **items, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 64;
	void *p = realloc(*items, n * size);
	if (p == NULL)
		return -1;
	*items = p;
	*cap = n;
	return 0;
}

static char *dup_range(const char *s, size_t start, size_t end)
{
	char *out = malloc(end - start + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, s + start, end - start);
	out[end - start] = '\0';
	return out;
}

/* A title without Markdown emphasis markers ("**强化师德师风建设" → "强化师德师风建设"). */
static char *clean_title(const char *s, size_t start, size_t end)
{
	char *out = malloc(end - start + 1);
	size_t n = 0;
	if (out == NULL)
		return NULL;
	for (size_t i = start; i < end; i++) {
		if (s[i] == '*' && i + 1 < end && s[i + 1] == '*') {
			i++;
			continue;
		}
		out[n++] = s[i];
	}
	out[n] = '\0';
	return out;
}

static int add_warning(parser_t *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int add_warning(parser_t *p, int line, const char *fmt, ...)
{
	seg_document_t *doc = p->doc;
	if (grow((void **)&doc->warnings, &p->cap_warnings, doc->n_warnings, sizeof *doc->warnings))
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (msg = malloc((size_t)n + 1)) == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	doc->warnings[doc->n_warnings++] = (seg_warning_t){line, msg};
	return 0;
}

/* ---- pass 1: lines and their heading candidates ------------------------------------ */

static int split_lines(parser_t *p, size_t body_start, size_t body_end, int first_line)
{
	size_t cap = 0;
	int number = first_line;
	for (size_t start = body_start; start < body_end; number++) {
		const char *nl = memchr(p->text + start, '\n', body_end - start);
		size_t end = nl ? (size_t)(nl - p->text) : body_end;
		if (grow((void **)&p->lines, &cap, p->n_lines, sizeof *p->lines))
			return -1;
		line_t *l = &p->lines[p->n_lines++];
		memset(l, 0, sizeof *l);
		l->start = l->ts = start;
		l->end = l->te = end;
		l->number = number;
		utf8_trim(p->text, &l->ts, &l->te);
		if (l->ts < l->te && seg_heading_parse(p->text + start, end - start, &l->h) &&
		    l->h.end - l->h.start <= SEG_MAX_HEADING_BYTES) {
			l->candidate = true;
			l->kind = LINE_HEADING;
		}
		start = end + 1;
	}
	return 0;
}

static bool blank(const line_t *l)
{
	return l->ts == l->te;
}

static bool is_decimal(seg_style_t style)
{
	return style == SEG_STYLE_DECIMAL2 || style == SEG_STYLE_DECIMAL3 ||
	       style == SEG_STYLE_DECIMAL4;
}

static int decimal_parts(seg_style_t style)
{
	return style == SEG_STYLE_DECIMAL2 ? 2 : style == SEG_STYLE_DECIMAL3 ? 3 : 4;
}

/* The line's text with every white space character left out, into buf (NUL-terminated,
 * cut at size): how a table of contents entry and the heading it lists compare. */
static void squeeze(const char *text, size_t start, size_t end, char *buf, size_t size)
{
	size_t n = 0;
	for (size_t i = start; i < end && n + 4 < size;) {
		size_t at = i;
		int32_t c = utf8_next(text, &i, end);
		if (c < 0 || utf8_is_space(c))
			continue;
		memcpy(buf + n, text + at, i - at);
		n += i - at;
	}
	buf[n] = '\0';
}

/* ---- pass 2: which candidates are headings ----------------------------------------- */

/* A table of contents: a line 目录 followed by heading lines (and page numbers) only,
 * until the body repeats the first of them. Those lines are text. */
static void find_toc(parser_t *p)
{
	for (size_t i = 0; i < p->n_lines; i++) {
		char word[64], first[512], here[512];
		squeeze(p->text, p->lines[i].ts, p->lines[i].te, word, sizeof word);
		if (strcmp(word, "目录") != 0 && strcmp(word, "目錄") != 0)
			continue;
		size_t k = i + 1, entries = 0, first_entry = 0;
		while (k < p->n_lines && blank(&p->lines[k]))
			k++;
		if (k == p->n_lines || !p->lines[k].candidate)
			continue;
		first_entry = k;
		/* from the marker on: "- 第一章 总则" lists what "## 第一章 总则" heads */
		squeeze(p->text, p->lines[k].start + p->lines[k].h.start, p->lines[k].te, first,
			sizeof first);
		for (k++; k < p->n_lines; k++) {
			const line_t *l = &p->lines[k];
			if (blank(l))
				continue;
			if (!l->candidate)
				break;
			entries++;
			squeeze(p->text, l->start + l->h.start, l->te, here, sizeof here);
			if (strcmp(here, first) == 0) { /* the body starts again at the first entry */
				for (size_t t = i; t < k; t++)
					if (!blank(&p->lines[t]))
						p->lines[t].kind = LINE_TOC;
				p->doc->toc_first_line = p->lines[i].number;
				p->doc->toc_last_line = p->lines[k - 1].number;
				(void)first_entry;
				return;
			}
		}
		(void)entries;
	}
}

/* Decimal headings sorted by style and prefix, then by line: the first of each run. */
static const line_t *sort_lines;

static int cmp_decimal(const void *a, const void *b)
{
	const line_t *x = &sort_lines[*(const size_t *)a], *y = &sort_lines[*(const size_t *)b];
	if (x->h.style != y->h.style)
		return x->h.style < y->h.style ? -1 : 1;
	for (int k = 0; k < decimal_parts(x->h.style) - 1; k++)
		if (x->h.parts[k] != y->h.parts[k])
			return x->h.parts[k] < y->h.parts[k] ? -1 : 1;
	return x->number < y->number ? -1 : x->number > y->number;
}

/* Decimal numbering is read as headings only where the document numbers so consistently:
 * every run of numbers sharing a prefix (2.1, 2.2, … under 2) starts at 1, and there are
 * at least two such headings. Anything else is text (2.8亿元 at the start of a line). */
static int decide_decimals(parser_t *p)
{
	size_t n = 0, accepted = 0;
	size_t *order = NULL;
	for (size_t i = 0; i < p->n_lines; i++)
		n += p->lines[i].kind == LINE_HEADING && is_decimal(p->lines[i].h.style);
	if (n == 0)
		return 0;
	if ((order = malloc(n * sizeof *order)) == NULL)
		return -1;
	n = 0;
	for (size_t i = 0; i < p->n_lines; i++)
		if (p->lines[i].kind == LINE_HEADING && is_decimal(p->lines[i].h.style))
			order[n++] = i;
	sort_lines = p->lines;
	qsort(order, n, sizeof *order, cmp_decimal);
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		line_t *l = &p->lines[order[k]];
		const line_t *prev = k > 0 ? &p->lines[order[k - 1]] : NULL;
		bool first_of_run = prev == NULL || prev->h.style != l->h.style ||
				    memcmp(prev->h.parts, l->h.parts,
					   (size_t)(decimal_parts(l->h.style) - 1) * sizeof(int)) != 0;
		/* a run is judged by its first heading: one from x.1 is the document's numbering */
		if (first_of_run ? l->h.number != 1 : prev->kind != LINE_HEADING) {
			l->kind = LINE_BODY;
			if (first_of_run)
				rc = add_warning(p, l->number, "%.*s looks like decimal numbering, "
						 "but its run does not start at .1: read as text",
						 (int)(l->h.label_end - l->h.label_start),
						 p->text + l->start + l->h.label_start);
			continue;
		}
		accepted++;
	}
	free(order);
	if (rc != 0)
		return -1;
	if (accepted >= 2)
		return 0;
	for (size_t i = 0; i < p->n_lines; i++) /* a lone 1.1 is no numbering system */
		if (p->lines[i].kind == LINE_HEADING && is_decimal(p->lines[i].h.style))
			p->lines[i].kind = LINE_BODY;
	return 0;
}

/* Articles (第X条) are a level only in a document that numbers several in sequence: a plan
 * sentence that happens to start with 第一条 is text. */
static int decide_articles(parser_t *p)
{
	size_t n = 0, in_sequence = 0;
	int last = 0;
	for (size_t i = 0; i < p->n_lines; i++) {
		const line_t *l = &p->lines[i];
		if (l->kind != LINE_HEADING || l->h.style != SEG_STYLE_ARTICLE)
			continue;
		if (n > 0 && l->h.number == last + 1)
			in_sequence++;
		last = l->h.number;
		n++;
	}
	if (n >= 2 && in_sequence * 2 >= n - 1)
		return 0;
	for (size_t i = 0; i < p->n_lines; i++) {
		line_t *l = &p->lines[i];
		if (l->kind == LINE_HEADING && l->h.style == SEG_STYLE_ARTICLE) {
			l->kind = LINE_BODY;
			if (n >= 2 && add_warning(p, l->number, "%.*s is not numbered in sequence with "
						  "the document's other articles: read as text",
						  (int)(l->h.label_end - l->h.label_start),
						  p->text + l->start + l->h.label_start) != 0)
				return -1;
		}
	}
	return 0;
}

/* The last character of the line, closing quotes and brackets skipped. */
static int32_t last_char(const parser_t *p, const line_t *l)
{
	size_t i = l->te;
	while (i > l->ts) {
		int32_t c = utf8_prev(p->text, l->ts, &i);
		if (c != 0x201D && c != 0x2019 && c != 0xFF09 && c != ')' && c != 0x300B &&
		    c != '*')
			return c;
	}
	return -1;
}

static bool ends_with_colon(const parser_t *p, const line_t *l)
{
	int32_t c = last_char(p, l);
	return c == 0xFF1A || c == ':';
}

/* An item ends its line with ；，。 (or ： when items of its own follow). */
static bool ends_like_item(const parser_t *p, const line_t *l)
{
	int32_t c = last_char(p, l);
	return c == 0xFF1B || c == ';' || c == 0xFF0C || c == ',' || c == 0x3002 ||
	       c == 0xFF1A || c == ':';
}

/* Whether lines from `from` are a list of one style numbered from 1 at `level`: each item
 * a candidate ending like an item, consecutive, no body between. Marks them as items and
 * returns the line after the list; or, if there is no list there (fewer than two items),
 * leaves every line as it was and returns 0. An item that ends in ： may open a list of
 * its own one level down, in a style no enclosing list uses (so nesting is bounded). */
static size_t mark_list(parser_t *p, size_t from, int level, unsigned styles_above)
{
	size_t i = from, n = 0;
	seg_style_t style = SEG_STYLE_COUNT;
	while (i < p->n_lines) {
		size_t k = i;
		while (k < p->n_lines && blank(&p->lines[k]))
			k++;
		if (k == p->n_lines)
			break;
		line_t *l = &p->lines[k];
		if (l->kind != LINE_HEADING || seg_style_rank(l->h.style) > 0 ||
		    l->h.style == SEG_STYLE_BOX || !ends_like_item(p, l) ||
		    (styles_above & (1u << l->h.style)))
			break;
		if (n == 0)
			style = l->h.style;
		if (l->h.style != style || l->h.number != (int)n + 1)
			break;
		l->kind = LINE_ITEM;
		l->item_level = level;
		n++;
		i = k + 1;
		if (ends_with_colon(p, l)) {
			size_t after = mark_list(p, i, level + 1, styles_above | (1u << style));
			if (after != 0)
				i = after;
		}
	}
	if (n >= 2)
		return i;
	for (size_t k = from; k < i; k++) /* no list: undo */
		if (p->lines[k].kind == LINE_ITEM) {
			p->lines[k].kind = LINE_HEADING;
			p->lines[k].item_level = 0;
		}
	return 0;
}

/* Lists after a line ending in ： that read as lists (document.h). An article's other
 * numbered lines are decided while the tree is built (build), where it is known which
 * styles are open above the article. */
static void decide_lists(parser_t *p)
{
	for (size_t i = 0; i < p->n_lines; i++) {
		const line_t *l = &p->lines[i];
		if (blank(l) || l->kind == LINE_TOC || !ends_with_colon(p, l))
			continue;
		size_t after = mark_list(p, i + 1, 1, 0);
		if (after != 0)
			i = after - 1;
	}
}

/* ---- pass 3: sections, paragraphs and clauses --------------------------------------- */

/* Whether the clause text[start,end) ends its sentence: a 。！？ at its end (closing marks
 * after it aside). A clause cut at ； goes on into the next. */
static bool ends_sentence(const char *text, size_t start, size_t end)
{
	size_t i = end;
	while (i > start) {
		int32_t c = utf8_prev(text, start, &i);
		if (c == 0x3002 || c == 0xFF61 || c == 0xFF01 || c == 0xFF1F || c == '!' ||
		    c == '?')
			return true;
		if (!seg_clause_may_end_after(c) || c == 0xFF1B || c == ';')
			return false;
	}
	return false;
}

static int add_clause_cb(void *ctx, size_t start, size_t end)
{
	parser_t *p = ctx;
	seg_document_t *doc = p->doc;
	if (grow((void **)&doc->clauses, &p->cap_clauses, doc->n_clauses, sizeof *doc->clauses))
		return -1;
	seg_section_t *sec = &doc->sections[p->section];
	/* clauses come in text order: count the line breaks since the last one */
	for (const char *q = p->text + p->clause_at;
	     (q = memchr(q, '\n', (size_t)(p->text + start - q))) != NULL; q++)
		p->clause_line++;
	p->clause_at = start;
	int line = p->clause_line;
	if (!p->sentence_open)
		sec->n_sentences++;
	int part = p->sentence_open ? doc->clauses[doc->n_clauses - 1].part + 1 : 1;
	doc->clauses[doc->n_clauses++] = (seg_clause_t){
		.section = p->section,
		.paragraph = (int)doc->n_paragraphs - 1,
		.ordinal = ++sec->n_clauses,
		.sentence = sec->n_sentences,
		.part = part,
		.start = start,
		.end = end,
		.line = line,
	};
	p->sentence_open = !ends_sentence(p->text, start, end);
	return 0;
}

static int add_paragraph(parser_t *p, size_t start, size_t end, int line, int end_line,
			 const line_t *item)
{
	seg_document_t *doc = p->doc;
	if (grow((void **)&doc->paragraphs, &p->cap_paragraphs, doc->n_paragraphs,
		 sizeof *doc->paragraphs))
		return -1;
	seg_section_t *sec = &doc->sections[p->section];
	doc->paragraphs[doc->n_paragraphs++] = (seg_paragraph_t){
		.section = p->section,
		.ordinal = ++sec->n_paragraphs,
		.start = start,
		.end = end,
		.line = line,
		.end_line = end_line,
		.item_level = item ? item->item_level : 0,
		.item_number = item ? item->h.number : 0,
	};
	p->clause_line = line;
	p->clause_at = start;
	p->sentence_open = false; /* a paragraph starts a sentence */
	int rc = seg_clauses_split(p->text, start, end, add_clause_cb, p) == 0 ? 0 : -1;
	p->sentence_open = false;
	return rc;
}

/* Append a section (already placed under `parent`) and give it its path. */
static int add_section(parser_t *p, int parent, const seg_heading_t *h, size_t line_start,
		       int line)
{
	seg_document_t *doc = p->doc;
	if (grow((void **)&doc->sections, &p->cap_sections, doc->n_sections, sizeof *doc->sections))
		return -1;
	seg_section_t *par = &doc->sections[parent];
	char component[32], path[512];
	if (h->style == SEG_STYLE_BOX) {
		snprintf(component, sizeof component, "b%d", ++par->n_box_children);
	} else if (h->style == SEG_STYLE_ARTICLE) {
		/* the printed number; the k-th article numbered n under one parent reads an-k */
		int same = 0;
		for (size_t i = 1; i < doc->n_sections; i++)
			if (doc->sections[i].parent == parent &&
			    doc->sections[i].style == SEG_STYLE_ARTICLE &&
			    doc->sections[i].number == h->number)
				same++;
		if (same == 0)
			snprintf(component, sizeof component, "a%d", h->number);
		else
			snprintf(component, sizeof component, "a%d-%d", h->number, same + 1);
	} else {
		snprintf(component, sizeof component, "%d", ++par->n_numbered_children);
	}
	if (parent == 0)
		snprintf(path, sizeof path, "%s", component);
	else
		snprintf(path, sizeof path, "%s.%s", par->path, component);

	seg_section_t sec = {
		.parent = parent,
		.depth = par->depth + 1,
		.style = h->style,
		.number = h->number,
		.parts = {h->parts[0], h->parts[1], h->parts[2], h->parts[3]},
		.label = dup_range(p->text, line_start + h->label_start, line_start + h->label_end),
		.title = clean_title(p->text, line_start + h->title_start,
				     line_start + h->title_end),
		.path = strdup(path),
		.heading_start = line_start + h->start,
		.heading_end = line_start + h->end,
		.line = line,
	};
	doc->sections[doc->n_sections++] = sec;
	if (sec.label == NULL || sec.title == NULL || sec.path == NULL)
		return -1;
	return 0;
}

static int add_heading(parser_t *p, const line_t *l)
{
	seg_document_t *doc = p->doc;
	int index = (int)doc->n_sections;
	int parent = seg_outline_place(&p->outline, &l->h, index);
	if (add_section(p, parent, &l->h, l->start, l->number) != 0)
		return -1;
	p->section = index;
	p->sentence_open = false;
	if (grow((void **)&doc->clauses, &p->cap_clauses, doc->n_clauses, sizeof *doc->clauses))
		return -1;
	doc->clauses[doc->n_clauses++] = (seg_clause_t){
		.section = index,
		.paragraph = -1,
		.ordinal = 0,
		.start = l->start + l->h.start,
		.end = l->start + l->h.end,
		.line = l->number,
	};
	return 0;
}

/* The next non-blank line after i, or n_lines. */
static size_t next_text_line(const parser_t *p, size_t i)
{
	for (i++; i < p->n_lines && blank(&p->lines[i]); i++)
		;
	return i;
}

/* A paragraph from text[start, ...) on line i: it runs on over the following lines while
 * each continues into the next (lines.h). Returns the last line it covers. */
static size_t paragraph_from(parser_t *p, size_t i, size_t start, const line_t *item)
{
	size_t last = i, k;
	if (p->lines[i].kind != LINE_TOC)
		while ((k = next_text_line(p, last)) < p->n_lines &&
		       p->lines[k].kind == LINE_BODY &&
		       seg_line_continues(p->text, p->lines[last].start, p->lines[last].end,
					  p->lines[k].start, p->lines[k].end))
			last = k;
	size_t end = p->lines[last].te;
	return add_paragraph(p, start, end, p->lines[i].number, p->lines[last].number, item) == 0
		       ? last
		       : (size_t)-1;
}

/* Depth of the open article in the outline, 0 when none is open. */
static size_t open_article(const seg_outline_t *o)
{
	for (size_t d = o->depth; d >= 1; d--)
		if (o->open[d].style == SEG_STYLE_ARTICLE)
			return d;
	return 0;
}

/* Inside an article, a numbered line is one of its items (项, and 目 under them), unless
 * it is numbered in a style open above the article: 二、 after 一、's articles in a
 * judicial interpretation is the next heading. */
static void article_item(parser_t *p, line_t *l, const seg_style_t *styles, const int *n_styles)
{
	size_t article = open_article(&p->outline);
	if (article == 0 || l->kind != LINE_HEADING || seg_style_rank(l->h.style) > 0)
		return;
	for (size_t d = 1; d < article; d++)
		if (p->outline.open[d].style == l->h.style)
			return;
	int k = 0; /* a style seen at a level is that level again; a new one goes a level down */
	while (k < *n_styles && styles[k] != l->h.style)
		k++;
	if (k == SEG_MAX_DEPTH)
		k--;
	l->kind = LINE_ITEM;
	l->item_level = k + 1;
}

static int build(parser_t *p)
{
	seg_style_t item_styles[SEG_MAX_DEPTH]; /* the open article's item styles, by level */
	int n_item_styles = 0;
	for (size_t i = 0; i < p->n_lines; i++) {
		line_t *l = &p->lines[i];
		if (blank(l))
			continue;
		size_t start = l->ts;
		article_item(p, l, item_styles, &n_item_styles);
		if (l->kind == LINE_ITEM && l->item_level <= SEG_MAX_DEPTH) { /* its level's style */
			item_styles[l->item_level - 1] = l->h.style;
			n_item_styles = l->item_level;
		}
		if (l->kind == LINE_HEADING) {
			n_item_styles = 0;
			if (add_heading(p, l) != 0)
				return -1;
			if (!l->h.run_in)
				continue;
			start = l->start + l->h.end;
			size_t e = l->te;
			utf8_trim(p->text, &start, &e);
			if (start == e)
				continue;
		}
		size_t last = paragraph_from(p, i, start, l->kind == LINE_ITEM ? l : NULL);
		if (last == (size_t)-1)
			return -1;
		i = last;
	}
	return 0;
}

/* ---- pass 4: what a reader should check ------------------------------------------- */

/* The heading numbered just before section i in its own sequence: the previous article of
 * the document (articles are numbered through a whole law), the previous decimal heading
 * with the same prefix (6.1 starts a new run after 5.3), else the previous sibling in the
 * same style. NULL when i starts its sequence. */
static const seg_section_t *previous_in_sequence(const seg_document_t *doc, size_t i)
{
	const seg_section_t *s = &doc->sections[i];
	/* looking back a bounded way keeps a document of many thousand headings linear; a
	 * sequence interrupted by more than this many others is not checked */
	size_t floor = i > 1000 ? i - 1000 : 1;
	for (size_t j = i - 1; j >= floor; j--) {
		const seg_section_t *e = &doc->sections[j];
		if (s->style == SEG_STYLE_ARTICLE) {
			if (e->style == SEG_STYLE_ARTICLE)
				return e;
			continue;
		}
		if (is_decimal(s->style)) {
			if (e->style == s->style &&
			    memcmp(e->parts, s->parts,
				   (size_t)(decimal_parts(s->style) - 1) * sizeof(int)) == 0)
				return e;
			continue;
		}
		if (e->parent == s->parent && e->style == s->style)
			return e;
		if ((int)j == s->parent)
			return NULL;
	}
	return NULL;
}

static int warn_numbering(parser_t *p)
{
	const seg_document_t *doc = p->doc;
	int per_style[SEG_STYLE_COUNT] = {0}, only[SEG_STYLE_COUNT] = {0};
	for (size_t i = 1; i < doc->n_sections; i++) {
		const seg_section_t *s = &doc->sections[i];
		per_style[s->style]++;
		only[s->style] = (int)i;
		if (s->style == SEG_STYLE_BOX)
			continue;
		const seg_section_t *prev = previous_in_sequence(doc, i);
		if (prev != NULL && s->number != prev->number + 1 &&
		    add_warning(p, s->line, "%s follows %s (line %d): a number is %s", s->label,
				prev->label, prev->line,
				s->number > prev->number ? "skipped" : "repeated or out of order") != 0)
			return -1;
	}
	for (int st = 0; st < SEG_STYLE_COUNT; st++) {
		if (per_style[st] != 1 || st == SEG_STYLE_BOX || seg_style_rank((seg_style_t)st) > 0)
			continue;
		const seg_section_t *s = &doc->sections[only[st]];
		if (add_warning(p, s->line, "%s is the only heading numbered this way; read as a "
				"heading at level %d (section %s)", s->label, s->depth, s->path) != 0)
			return -1;
	}
	return 0;
}

static int cmp_warning(const void *a, const void *b)
{
	const seg_warning_t *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

/* ---- the entry point --------------------------------------------------------------- */

int seg_document_parse(const char *text, size_t len, size_t body_start, size_t body_end,
		       seg_document_t **out, char **error)
{
	parser_t p = {.text = text};
	int rc = -1;

	if (body_start > body_end || body_end > len) {
		strbuf_printf_new(error, "body range %zu..%zu is outside the text (%zu bytes)",
				  body_start, body_end, len);
		return -1;
	}
	p.doc = calloc(1, sizeof *p.doc);
	if (p.doc == NULL)
		goto oom;
	if (grow((void **)&p.doc->sections, &p.cap_sections, 0, sizeof *p.doc->sections))
		goto oom;
	int first_line = utf8_line_of(text, body_start);
	p.doc->sections[0] = (seg_section_t){
		.parent = -1,
		.style = SEG_STYLE_COUNT,
		.label = strdup(""),
		.title = strdup(""),
		.path = strdup("0"),
		.line = first_line,
	};
	p.doc->n_sections = 1;
	if (!p.doc->sections[0].label || !p.doc->sections[0].title || !p.doc->sections[0].path)
		goto oom;
	seg_outline_init(&p.outline, 0);

	if (split_lines(&p, body_start, body_end, first_line) != 0)
		goto oom;
	find_toc(&p);
	if (decide_decimals(&p) != 0 || decide_articles(&p) != 0)
		goto oom;
	decide_lists(&p);
	if (build(&p) != 0 || warn_numbering(&p) != 0)
		goto oom;
	if (p.doc->n_warnings > 1)
		qsort(p.doc->warnings, p.doc->n_warnings, sizeof *p.doc->warnings, cmp_warning);
	if (seg_tables_find(text, len, body_start, body_end, &p.doc->tables, error) != 0)
		goto out;
	*out = p.doc;
	p.doc = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while parsing the plan's structure");
out:
	free(p.lines);
	seg_document_free(p.doc);
	return rc;
}

void seg_document_free(seg_document_t *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->n_sections; i++) {
		free(doc->sections[i].label);
		free(doc->sections[i].title);
		free(doc->sections[i].path);
	}
	for (size_t i = 0; i < doc->n_warnings; i++)
		free(doc->warnings[i].message);
	free(doc->sections);
	free(doc->paragraphs);
	free(doc->clauses);
	free(doc->warnings);
	seg_tables_free(doc->tables);
	free(doc);
}

int seg_clause_ref(const seg_document_t *doc, const seg_clause_t *clause, char *buf,
		   size_t size)
{
	return snprintf(buf, size, "%s/%d", doc->sections[clause->section].path, clause->ordinal);
}
