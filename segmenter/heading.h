/* heading.h: recognising a numbered heading at the start of a line, in every style the plans use. */
#ifndef SEG_HEADING_H
#define SEG_HEADING_H

#include <stdbool.h>
#include <stddef.h>

/* Numbering styles. Full-width and half-width forms are the same style: （一） and (一),
 * （1） and (1), 1. and 1． and 1、, 一、 and 一． and 一. Which level a style sits at differs
 * from plan to plan and is decided by structure.c, not here; the divisions of laws and
 * long plans (编, 分编, 部分, 篇, 章, 节, 条) also have a fixed rank among themselves
 * (seg_style_rank). */
typedef enum seg_style {
	SEG_STYLE_VOLUME,       /* 第一编 (a code's 编) */
	SEG_STYLE_SUBVOLUME,    /* 第一分编 */
	SEG_STYLE_PART,         /* 第一部分 */
	SEG_STYLE_PIAN,         /* 第一篇 (the national plan outlines' 篇) */
	SEG_STYLE_CHAPTER,      /* 第一章 */
	SEG_STYLE_SECTION,      /* 第一节 */
	SEG_STYLE_ARTICLE,      /* 第一条: an article of a law or regulation (条) */
	SEG_STYLE_HAN_COMMA,    /* 一、  一．  一. */
	SEG_STYLE_PAREN_HAN,    /* （一）  (一) */
	SEG_STYLE_ARABIC,       /* 1.  1．  1、 */
	SEG_STYLE_PAREN_ARABIC, /* （1）  (1)  ⑴ */
	SEG_STYLE_CIRCLED,      /* ① */
	SEG_STYLE_DECIMAL2,     /* 1.1   (decimal numbering: the style is the number of parts) */
	SEG_STYLE_DECIMAL3,     /* 1.1.1 */
	SEG_STYLE_DECIMAL4,     /* 1.1.1.1 */
	SEG_STYLE_BOX,          /* 专栏3 …, 文本框: 重点项目2: a boxed list, not a numbered level */
	SEG_STYLE_COUNT
} seg_style_t;

/* Most parts of a decimal number (5.1.1.2). */
#define SEG_DECIMAL_PARTS 4

/* A heading found at the start of a line. Offsets are bytes into the line. */
typedef struct seg_heading {
	seg_style_t style;
	int number;                      /* the printed number (1 for 一, 3 for 专栏3, 105 for
					  * 第一百零五条, the last part of 5.1.2) */
	int parts[SEG_DECIMAL_PARTS];    /* a decimal number's parts (5, 1, 2); unused else */
	size_t start;                    /* first byte of the marker, after leading white space */
	size_t label_start, label_end;   /* the marker as shown: （三） 第二章 1. 专栏3 重点项目2 */
	size_t title_start, title_end;   /* the title, trimmed, without its terminator; may be
					  * empty. An article (第X条) has a title only when it
					  * prints one in brackets, 第一条【立法目的】 */
	size_t end;                      /* end of the heading's clause: after the 。！？ that ends a
					  * run-in title, else the end of the trimmed line; for an
					  * article, after its label and bracketed title */
	bool run_in;                     /* body text follows the heading on the same line */
} seg_heading_t;

/* Recognise a heading at the start of `line` (len bytes, no newline, valid UTF-8).
 * Returns true and fills *out if the line starts with a numbering marker followed by a
 * title: a table cell such as "1", "90.4" or "3.7:6.3", a quantity such as "1.5倍", a grade
 * range such as "一、二年级", a lesson such as "第一节课" and "一是…" are not headings.
 * A run-in heading ("（三）实施…工程。减轻学生作业负担。…") has its title end at the first
 * 。！？; a line with none of them is a title in full. An article's text after its label
 * ("第一条　为了…") is its body, not a title. This is the line's own view: whether a
 * candidate is a heading, a list item or neither is decided for the whole document
 * (document.h). Never fails otherwise. */
bool seg_heading_parse(const char *line, size_t len, seg_heading_t *out);

/* The fixed rank of a division of laws and long plans: 1 for 编, 部分 and 篇, 2 for 分编,
 * 3 for 章, 4 for 节, 5 for 条; 0 for a style whose level each plan decides by its order. */
int seg_style_rank(seg_style_t style);

/* Name of a style for messages and tests ("paren-han", …); never NULL. */
const char *seg_style_name(seg_style_t style);

#endif
