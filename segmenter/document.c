/* document.c: walks a plan's body line by line into sections, paragraphs and clauses. */
#include "document.h"

#include "clauses.h"
#include "strbuf.h"
#include "structure.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
	const char *text;
	seg_document_t *doc;
	size_t cap_sections, cap_paragraphs, cap_clauses;
	seg_outline_t outline;
	int section; /* the section text currently belongs to */
	int line;    /* line being parsed */
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

static int add_clause_cb(void *ctx, size_t start, size_t end)
{
	parser_t *p = ctx;
	seg_document_t *doc = p->doc;
	if (grow((void **)&doc->clauses, &p->cap_clauses, doc->n_clauses, sizeof *doc->clauses))
		return -1;
	seg_section_t *sec = &doc->sections[p->section];
	doc->clauses[doc->n_clauses++] = (seg_clause_t){
		.section = p->section,
		.paragraph = (int)doc->n_paragraphs - 1,
		.ordinal = ++sec->n_clauses,
		.start = start,
		.end = end,
		.line = p->line,
	};
	return 0;
}

static int add_paragraph(parser_t *p, size_t start, size_t end)
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
		.line = p->line,
	};
	return seg_clauses_split(p->text, start, end, add_clause_cb, p) == 0 ? 0 : -1;
}

/* Append a section (already placed under `parent`) and give it its path. */
static int add_section(parser_t *p, int parent, const seg_heading_t *h, size_t line_start)
{
	seg_document_t *doc = p->doc;
	if (grow((void **)&doc->sections, &p->cap_sections, doc->n_sections, sizeof *doc->sections))
		return -1;
	seg_section_t *par = &doc->sections[parent];
	bool box = h->style == SEG_STYLE_BOX;
	int ordinal = box ? ++par->n_box_children : ++par->n_numbered_children;
	char path[256];
	if (parent == 0)
		snprintf(path, sizeof path, "%s%d", box ? "b" : "", ordinal);
	else
		snprintf(path, sizeof path, "%s.%s%d", par->path, box ? "b" : "", ordinal);

	seg_section_t sec = {
		.parent = parent,
		.depth = par->depth + 1,
		.style = h->style,
		.number = h->number,
		.label = dup_range(p->text, line_start + h->label_start, line_start + h->label_end),
		.title = clean_title(p->text, line_start + h->title_start,
				     line_start + h->title_end),
		.path = strdup(path),
		.heading_start = line_start + h->start,
		.heading_end = line_start + h->end,
		.line = p->line,
	};
	doc->sections[doc->n_sections++] = sec;
	if (sec.label == NULL || sec.title == NULL || sec.path == NULL)
		return -1;
	return 0;
}

static int add_heading(parser_t *p, const seg_heading_t *h, size_t line_start)
{
	seg_document_t *doc = p->doc;
	int index = (int)doc->n_sections;
	int parent = seg_outline_place(&p->outline, h, index);
	if (add_section(p, parent, h, line_start) != 0)
		return -1;
	p->section = index;
	if (grow((void **)&doc->clauses, &p->cap_clauses, doc->n_clauses, sizeof *doc->clauses))
		return -1;
	doc->clauses[doc->n_clauses++] = (seg_clause_t){
		.section = index,
		.paragraph = -1,
		.ordinal = 0,
		.start = line_start + h->start,
		.end = line_start + h->end,
		.line = p->line,
	};
	return 0;
}

static int parse_line(parser_t *p, size_t start, size_t end)
{
	size_t s = start, e = end;
	utf8_trim(p->text, &s, &e);
	if (s == e)
		return 0;
	seg_heading_t h;
	if (seg_heading_parse(p->text + start, end - start, &h) &&
	    h.end - h.start <= SEG_MAX_HEADING_BYTES) {
		if (add_heading(p, &h, start) != 0)
			return -1;
		if (!h.run_in)
			return 0;
		s = start + h.end;
		utf8_trim(p->text, &s, &e);
		if (s == e)
			return 0;
	}
	return add_paragraph(p, s, e);
}

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
	p.line = utf8_line_of(text, body_start);
	p.doc->sections[0] = (seg_section_t){
		.parent = -1,
		.style = SEG_STYLE_COUNT,
		.label = strdup(""),
		.title = strdup(""),
		.path = strdup("0"),
		.line = p.line,
	};
	p.doc->n_sections = 1;
	if (!p.doc->sections[0].label || !p.doc->sections[0].title || !p.doc->sections[0].path)
		goto oom;
	seg_outline_init(&p.outline, 0);

	for (size_t start = body_start; start < body_end; p.line++) {
		const char *nl = memchr(text + start, '\n', body_end - start);
		size_t end = nl ? (size_t)(nl - text) : body_end;
		if (parse_line(&p, start, end) != 0)
			goto oom;
		start = end + 1;
	}
	*out = p.doc;
	p.doc = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while parsing the plan's structure");
out:
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
	free(doc->sections);
	free(doc->paragraphs);
	free(doc->clauses);
	free(doc);
}

int seg_clause_ref(const seg_document_t *doc, const seg_clause_t *clause, char *buf,
		   size_t size)
{
	return snprintf(buf, size, "%s/%d", doc->sections[clause->section].path, clause->ordinal);
}
