/* document.h: one plan's text parsed into its heading tree, paragraphs and clauses. */
#ifndef SEG_DOCUMENT_H
#define SEG_DOCUMENT_H

#include "heading.h"

#include <stddef.h>

/*
 * The data model. Every offset is a byte offset into the plan's file, end exclusive, so a
 * clause's printed bytes are text[start,end) exactly; every line number is 1-based.
 *
 * - A section is the root (the plan's preamble, before its first heading) or a heading with
 *   everything under it. Its `path` is its place in the tree: the ordinals of its ancestors
 *   and itself among their siblings, "2.3" for the third numbered child of the second
 *   top-level heading; boxes (专栏N) count apart from numbered headings and read "b1", "b2".
 *   The root's path is "0". Paths come from the structure alone, never from build order.
 * - A paragraph is one non-blank line of the body that is not a heading (or the rest of a
 *   run-in heading's line), trimmed of white space.
 * - A clause is a paragraph's piece up to 。！？； (clauses.h). A heading's own clause (its
 *   number, title and terminator) is clause 0 of its section; body clauses are numbered 1, 2,
 *   … through the section's paragraphs, so "<plan>/<path>/<n>" names a clause uniquely.
 * - A line whose heading clause would be longer than SEG_MAX_HEADING_BYTES is body text: real
 *   headings are short (the plans' longest is about 320 bytes), and a heading's title is
 *   copied into every passage under it.
 * - A plan with no headings is one section, the root; its clauses are "0/1", "0/2", ….
 * - Nothing here recurses, and what is allocated grows with the number of lines and clauses,
 *   never with the length of one line (clauses.h caps a clause).
 */
#define SEG_MAX_HEADING_BYTES 1024

typedef struct seg_section {
	int parent;              /* index of the parent section, -1 for the root */
	int depth;               /* 0 for the root, 1 for a top-level heading */
	seg_style_t style;       /* SEG_STYLE_COUNT for the root */
	int number;              /* printed number, 0 for the root */
	char *label;             /* the marker as printed: "（三）", "第二章", "专栏3"; "" for root */
	char *title;             /* the title, Markdown ** removed; "" for the root */
	char *path;              /* "0", "2", "2.3", "3.1.b1" */
	size_t heading_start;    /* the heading's clause; both 0 for the root */
	size_t heading_end;
	int line;                /* line of the heading (of the body's start for the root) */
	int n_numbered_children; /* counters that give children their ordinals */
	int n_box_children;
	int n_clauses;           /* body clauses directly in this section */
	int n_paragraphs;        /* paragraphs directly in this section */
} seg_section_t;

typedef struct seg_paragraph {
	int section; /* index into sections */
	int ordinal; /* 1-based among the section's own paragraphs */
	size_t start, end;
	int line;
} seg_paragraph_t;

typedef struct seg_clause {
	int section;   /* index into sections */
	int paragraph; /* index into paragraphs; -1 for a heading's own clause */
	int ordinal;   /* 0 for the heading's clause, else 1-based within the section */
	size_t start, end;
	int line;
} seg_clause_t;

typedef struct seg_document {
	seg_section_t *sections; /* sections[0] is the root; parents come before children */
	size_t n_sections;
	seg_paragraph_t *paragraphs;
	size_t n_paragraphs;
	seg_clause_t *clauses; /* in text order */
	size_t n_clauses;
} seg_document_t;

/*
 * Parse the body text[body_start, body_end) of a plan whose whole file is text[0,len).
 * Lines outside the body (title blocks, page chrome) are not looked at, but offsets and
 * line numbers still count from the start of the file. The text must be valid UTF-8.
 * Returns 0 and a document the caller frees with seg_document_free, or -1 with a malloc'd
 * message in *error (out of memory, a body range outside the text); *out untouched then.
 */
int seg_document_parse(const char *text, size_t len, size_t body_start, size_t body_end,
		       seg_document_t **out, char **error);

/* Free a document. Accepts NULL. */
void seg_document_free(seg_document_t *doc);

/* The clause's id suffix: writes "<path>/<ordinal>" into buf (size bytes, always
 * NUL-terminated). Returns the length it needed, like snprintf. */
int seg_clause_ref(const seg_document_t *doc, const seg_clause_t *clause, char *buf,
		   size_t size);

#endif
