/* structure.c: the per-plan outline of open headings and the rules that place a new one. */
#include "structure.h"

#include <stdbool.h>
#include <string.h>

void seg_outline_init(seg_outline_t *outline, int root_section)
{
	memset(outline, 0, sizeof *outline);
	outline->open[0] = (seg_open_t){.section = root_section, .style = SEG_STYLE_COUNT};
}

/* Styles whose markers look alike: parenthesised, delimiter after the number, or other. */
static int family(seg_style_t style)
{
	switch (style) {
	case SEG_STYLE_PAREN_HAN:
	case SEG_STYLE_PAREN_ARABIC: return 1;
	case SEG_STYLE_HAN_COMMA:
	case SEG_STYLE_ARABIC: return 2;
	default: return 3 + (int)style;
	}
}

/* Make the heading the child of open[parent_depth]; returns the parent's section. */
static int push_under(seg_outline_t *o, size_t parent_depth, const seg_heading_t *h, int section)
{
	if (parent_depth >= SEG_MAX_DEPTH)
		parent_depth = SEG_MAX_DEPTH - 1;
	o->depth = parent_depth + 1;
	o->open[o->depth] = (seg_open_t){section, h->style, h->number};
	o->styles_used[o->depth] |= 1u << h->style;
	return o->open[parent_depth].section;
}

static bool is_item_style(seg_style_t style)
{
	return style == SEG_STYLE_ARABIC || style == SEG_STYLE_PAREN_ARABIC ||
	       style == SEG_STYLE_CIRCLED;
}

int seg_outline_place(seg_outline_t *o, const seg_heading_t *h, int section)
{
	size_t d, box = 0; /* depth of the innermost open box, 0 if none */

	for (d = 1; d <= o->depth; d++)
		if (o->open[d].style == SEG_STYLE_BOX)
			box = d;
	if (h->style == SEG_STYLE_BOX) /* rule 1 */
		return push_under(o, box ? box - 1 : o->depth, h, section);
	int rank = seg_style_rank(h->style);
	if (rank > 0) /* rule 0 */
		for (d = 1; d <= o->depth; d++)
			if (seg_style_rank(o->open[d].style) >= rank)
				return push_under(o, d - 1, h, section);

	/* Where this style is open, if it is: every rule below opens a level only in a style
	 * that is not open, so it is open at one depth at most. */
	size_t same = 0;
	for (d = 1; d <= o->depth; d++)
		if (o->open[d].style == h->style)
			same = d;
	if (box != 0 && box == o->depth && h->number <= 1 && is_item_style(h->style) &&
	    same == 0) /* rule 2 */
		return push_under(o, box, h, section);
	if (same != 0) /* rule 3 */
		return push_under(o, same - 1, h, section);

	size_t top = box ? box - 1 : o->depth; /* close an open box */
	if (h->number > 1) { /* rule 4 */
		for (d = top; d >= 1; d--) {
			const seg_open_t *e = &o->open[d];
			if (e->style != SEG_STYLE_BOX && family(e->style) == family(h->style) &&
			    e->number == h->number - 1 && (o->styles_used[d] & (1u << h->style)))
				return push_under(o, d - 1, h, section);
		}
	}
	return push_under(o, top, h, section); /* rule 5 */
}

size_t seg_outline_depth(const seg_outline_t *outline)
{
	return outline->depth;
}
