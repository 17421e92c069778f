/* label.h: how plans and sections are named for people: titles, section paths, chapters. */
#ifndef PQ_LABEL_H
#define PQ_LABEL_H

#include "index.h"
#include "strbuf.h"

/* Append the plan's title as shown: a supplied title in brackets, "[通化市…规划]".
 * Returns 0, or -1 when memory runs out. */
int pq_label_document(const pq_plan_t *plan, strbuf_t *sb);

/* Append a section's heading, "（三）实施…" or "第二章 “十四五”…": a number that ends in a
 * mark joins its title directly. Returns 0, or -1 when memory runs out. */
int pq_label_section_heading(const pq_section_t *section, strbuf_t *sb);

/* Append section i's heading, "（三）实施…" or "第二章 “十四五”…" (a number that ends in a
 * mark joins its title directly), or "(preamble)" for the root. Returns 0 or -1 (memory). */
int pq_label_heading(const pq_outline_t *outline, int i, strbuf_t *sb);

/* Append section i's path from the top level down, headings joined by " › ", or
 * "(preamble)" for the root. Returns 0, or -1 when memory runs out. */
int pq_label_section_path(const pq_outline_t *outline, int i, strbuf_t *sb);

/* The top-level section that holds section i (i itself at depth 1; 0 for the root). Cannot
 * fail. */
int pq_label_chapter_of(const pq_outline_t *outline, int i);

#endif
