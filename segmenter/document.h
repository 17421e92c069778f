/* document.h: one plan's text parsed into its heading tree, articles, paragraphs, items and clauses. */
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
 *   top-level heading; boxes (专栏N) count apart from numbered headings and read "b1", "b2";
 *   an article (第X条) reads "a" and its printed number, "a31" for 第三十一条 (articles are
 *   numbered through a whole law, so the number is what readers cite; a number printed twice
 *   under one parent reads "a31-2" the second time). The root's path is "0". Paths come
 *   from the structure alone, never from build order.
 * - A paragraph is a non-blank line of the body that is not a heading (or the rest of a
 *   run-in heading's line, or of an article's first line), trimmed of white space; when
 *   the line ends mid-sentence and the next non-blank line goes on with it (lines.h), the
 *   paragraph runs on over both lines, the break and any blank lines between included. An
 *   article's paragraphs are its 款.
 * - A list item is a paragraph that starts with an enumeration marker: inside an article,
 *   every numbered line that is not a division of the law ((一)…; is a 项, 1. under it a
 *   目); elsewhere, a run of two or more lines numbered in one style from 1 that follows a
 *   line ending in ：, each ending in ；，or 。, with no body text between them (a reader
 *   sees a list, not headings). Items never become sections.
 * - A clause is a paragraph's piece up to 。！？； (clauses.h). A heading's own clause (its
 *   number, title and terminator) is clause 0 of its section; body clauses are numbered 1, 2,
 *   … through the section's paragraphs, so "<plan>/<path>/<n>" names a clause uniquely.
 *   Clauses also know their sentence: sentences end at 。！？ (or at the end of a
 *   paragraph), so a clause split off at ； is a part of its sentence.
 * - Which numbered lines are headings is decided for the whole document: decimal numbering
 *   (1.1, 5.1.1) only where the document numbers so consistently (each run from x.1), and
 *   articles only where there are several numbered in sequence; a table of contents (a line
 *   目录 followed by headings that the body then repeats) is text, not headings.
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
	int parts[SEG_DECIMAL_PARTS]; /* a decimal number's parts (5.1.2); unused else */
	char *label;             /* the marker as printed: "（三）", "第二章", "专栏3"; "" for root */
	char *title;             /* the title, Markdown ** removed; "" for the root and for an
				  * article that prints none */
	char *path;              /* "0", "2", "2.3", "3.1.b1", "4.a31" */
	size_t heading_start;    /* the heading's clause; both 0 for the root */
	size_t heading_end;
	int line;                /* line of the heading (of the body's start for the root) */
	int n_numbered_children; /* counters that give children their ordinals */
	int n_box_children;
	int n_clauses;           /* body clauses directly in this section */
	int n_paragraphs;        /* paragraphs directly in this section */
	int n_sentences;         /* sentences of its own body */
} seg_section_t;

typedef struct seg_paragraph {
	int section; /* index into sections */
	int ordinal; /* 1-based among the section's own paragraphs, items included */
	size_t start, end;
	int line;       /* line of its first byte */
	int end_line;   /* line of its last byte (> line for a sentence the source broke) */
	int item_level; /* 0 for a paragraph; 1 for a list item (an article's 项), 2 for an item
			 * of an item (目), … */
	int item_number; /* the item's printed number, 0 for a paragraph */
} seg_paragraph_t;

typedef struct seg_clause {
	int section;   /* index into sections */
	int paragraph; /* index into paragraphs; -1 for a heading's own clause */
	int ordinal;   /* 0 for the heading's clause, else 1-based within the section */
	int sentence;  /* 1-based sentence of the section's own body; 0 for the heading */
	int part;      /* 1-based place of the clause in its sentence; 0 for the heading */
	size_t start, end;
	int line;      /* line of its first byte */
} seg_clause_t;

/* Something about the document's numbering a reader should check (a skipped number, a
 * style used once, numbering that looks like headings but was read as text). */
typedef struct seg_warning {
	int line;
	char *message; /* one sentence, without the file name or line */
} seg_warning_t;

typedef struct seg_document {
	seg_section_t *sections; /* sections[0] is the root; parents come before children */
	size_t n_sections;
	seg_paragraph_t *paragraphs; /* in text order */
	size_t n_paragraphs;
	seg_clause_t *clauses; /* in text order */
	size_t n_clauses;
	seg_warning_t *warnings; /* in line order */
	size_t n_warnings;
	int toc_first_line, toc_last_line; /* a table of contents read as text; 0 if none */
} seg_document_t;

/* The largest text a document may be: line numbers and clause ordinals are ints, and ICU
 * takes int32_t lengths. */
#define SEG_MAX_DOCUMENT_BYTES (1L << 30)

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
