/* structure.c: the per-plan outline of open headings and the rules that place a new one. */
#include "structure.h"

#include <stdbool.h>

void seg_outline_init(seg_outline_t *outline, int root_section)
{
	outline->depth = 0;
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
	return o->open[parent_depth].section;
}

int seg_outline_place(seg_outline_t *o, const seg_heading_t *h, int section)
{
	size_t d;

	if (h->style == SEG_STYLE_BOX) { /* rule 1 */
		for (d = 1; d <= o->depth; d++)
			if (o->open[d].style == SEG_STYLE_BOX)
				return push_under(o, d - 1, h, section);
		return push_under(o, o->depth, h, section);
	}
	if (h->number <= 1 && o->depth > 0 && o->open[o->depth].style == SEG_STYLE_BOX &&
	    !(o->depth > 1 && o->open[1].style == h->style)) /* rule 2 */
		return push_under(o, o->depth, h, section);

	/* rule 3: prefer the open entry of this style that this heading's number continues */
	size_t same = 0, continued = 0;
	for (d = o->depth; d >= 1; d--) {
		if (o->open[d].style != h->style)
			continue;
		if (same == 0)
			same = d;
		if (continued == 0 && o->open[d].number == h->number - 1)
			continued = d;
	}
	if (continued != 0 || same != 0)
		return push_under(o, (continued ? continued : same) - 1, h, section);

	if (h->number > 1) { /* rule 5 */
		for (d = o->depth; d >= 1; d--) {
			const seg_open_t *e = &o->open[d];
			if (e->style != SEG_STYLE_BOX && family(e->style) == family(h->style) &&
			    e->number == h->number - 1)
				return push_under(o, d - 1, h, section);
		}
	}
	return push_under(o, o->depth, h, section); /* rules 4 and 6 */
}

size_t seg_outline_depth(const seg_outline_t *outline)
{
	return outline->depth;
}
