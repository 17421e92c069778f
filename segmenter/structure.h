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
	unsigned styles_used[SEG_MAX_DEPTH + 1]; /* bit per style ever placed at each depth */
} seg_outline_t;

/* Start an outline whose root is the caller's section `root_section`. */
void seg_outline_init(seg_outline_t *outline, int root_section);

/*
 * Place a new heading and return its parent's section id; afterwards the heading is the
 * latest open entry with the caller's id `section`. Levels are not fixed per style: the
 * plan's own order decides them, by these rules, first match wins:
 *  0. A division with a fixed rank (seg_style_rank: 编, 部分, 篇 > 分编 > 章 > 节 > 条)
 *     closes the shallowest open division of its rank or below, and takes its place (第二章
 *     after 第一章's articles, 第一节 under 第二章 after them); with none open it is
 *     placed by the rules below.
 *  1. A box (专栏N) is a sibling of an open box, else a child of the latest heading.
 *  2. Right after a box heading, an item numbered 1 in 1. （1） or ① style starts the box's
 *     own list, unless that style is already open outside the box.
 *  3. A style already open is a sibling of that entry, closing everything opened after it.
 *     (Every rule opens a level only in a style not open, so a style is open at one level
 *     at most.)
 *  Any other heading closes an open box first (a box is an aside, not a level), then:
 *  4. Numbered n > 1 in a style not open, it continues a list whose numbering changed style
 *     if there is one: it is a sibling of the nearest open entry of the same bracket family
 *     numbered n-1, provided its own style has been used at that depth before (Tonghua's
 *     “（1）” followed by “（二）”, at the depth where （一） is the plan's usual style); that
 *     level then uses the new style.
 *  5. Otherwise it is a child of the latest heading: a new level.
 * Never fails.
 */
int seg_outline_place(seg_outline_t *outline, const seg_heading_t *heading, int section);

/* Depth of the latest open heading (1 for a top-level heading). */
size_t seg_outline_depth(const seg_outline_t *outline);

#endif
