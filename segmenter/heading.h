/* heading.h: recognising a numbered heading at the start of a line, in every style the plans use. */
#ifndef SEG_HEADING_H
#define SEG_HEADING_H

#include <stdbool.h>
#include <stddef.h>

/* Numbering styles. Full-width and half-width forms are the same style: （一） and (一),
 * （1） and (1), 1. and 1． and 1、. Which level a style sits at differs from plan to plan
 * and is decided by structure.c, not here. */
typedef enum seg_style {
	SEG_STYLE_CHAPTER,      /* 第一章 */
	SEG_STYLE_SECTION,      /* 第一节 */
	SEG_STYLE_HAN_COMMA,    /* 一、 */
	SEG_STYLE_PAREN_HAN,    /* （一）  (一) */
	SEG_STYLE_ARABIC,       /* 1.  1．  1、 */
	SEG_STYLE_PAREN_ARABIC, /* （1）  (1)  ⑴ */
	SEG_STYLE_CIRCLED,      /* ① */
	SEG_STYLE_BOX,          /* 专栏3 …, 文本框: 重点项目2: a boxed list, not a numbered level */
	SEG_STYLE_COUNT
} seg_style_t;

/* A heading found at the start of a line. Offsets are bytes into the line. */
typedef struct seg_heading {
	seg_style_t style;
	int number;                      /* the printed number (1 for 一, 3 for 专栏3) */
	size_t start;                    /* first byte of the marker, after leading white space */
	size_t label_start, label_end;   /* the marker as shown: （三） 第二章 1. 专栏3 重点项目2 */
	size_t title_start, title_end;   /* the title, trimmed, without its terminator; may be empty */
	size_t end;                      /* end of the heading's clause: after the 。！？ that ends a
					  * run-in title, else the end of the trimmed line */
	bool run_in;                     /* body text follows the title on the same line */
} seg_heading_t;

/* Recognise a heading at the start of `line` (len bytes, no newline, valid UTF-8).
 * Returns true and fills *out if the line starts with a numbering marker followed by a
 * title: a table cell such as "1", "90.4" or "3.7:6.3", and "一是…", are not headings.
 * A run-in heading ("（三）实施…工程。减轻学生作业负担。…") has its title end at the first
 * 。！？; a line with none of them is a title in full. Never fails otherwise. */
bool seg_heading_parse(const char *line, size_t len, seg_heading_t *out);

/* Name of a style for messages and tests ("paren-han", …); never NULL. */
const char *seg_style_name(seg_style_t style);

#endif
