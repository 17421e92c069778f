/* structure.h: inferring heading levels per plan from the order numbering styles appear in. */
#ifndef SEG_STRUCTURE_H
#define SEG_STRUCTURE_H

#include "heading.h"

#include <stddef.h>

/* Deepest heading level kept; deeper headings become siblings at this depth, so no input
 * can make the outline grow without bound. */
#define SEG_MAX_DEPTH 12

typedef struct seg_open {
	int section;       /* caller's id for the open section */
	seg_style_t style; /* the numbering style its level is using now */
	int number;        /* its printed number */
} seg_open_t;

/* The chain of open headings from the root (open[0], the plan's preamble) to the latest. */
typedef struct seg_outline {
	seg_open_t open[SEG_MAX_DEPTH + 1];
	size_t depth; /* open entries after the root; 0 at the start of a plan */
} seg_outline_t;

/* Start an outline whose root is the caller's section `root_section`. */
void seg_outline_init(seg_outline_t *outline, int root_section);

/*
 * Place a new heading and return its parent's section id; afterwards the heading is the
 * latest open entry with the caller's id `section`. Levels are not fixed per style: the
 * plan's own order decides them, by these rules, first match wins:
 *  1. A box (专栏N) is a sibling of an open box, else a child of the latest heading.
 *  2. A heading numbered 1 right after a box heading starts the box's own list, unless
 *     its style is the one the plan's top-level headings use (一、 after a box is the next
 *     top-level heading's sibling, by rule 3).
 *  3. A style already open is a sibling of that entry (the entry numbered n-1 if several
 *     levels use the style, else the nearest), closing everything opened after it.
 *  4. A style not open, numbered 1, is a child of the latest heading (a new level).
 *  5. A style not open, numbered n > 1, continues a list whose numbering changed style: it
 *     is a sibling of the nearest open entry of the same bracket family numbered n-1
 *     (Tonghua's “（1）” followed by “（二）”), and that level uses the new style from then on.
 *  6. Otherwise it is a child of the latest heading.
 * Never fails.
 */
int seg_outline_place(seg_outline_t *outline, const seg_heading_t *heading, int section);

/* Depth of the latest open heading (1 for a top-level heading). */
size_t seg_outline_depth(const seg_outline_t *outline);

#endif
