/* label.h: how plans and sections are named for people: titles, section paths, chapters. */
#ifndef PQ_LABEL_H
#define PQ_LABEL_H

#include "store.h"
#include "strbuf.h"

/* Append the plan's title as shown: a supplied title (the plan prints none) marked as
 * bibliographies mark one, "〔通化市…规划〕".
 * Returns 0, or -1 when memory runs out. */
int pq_label_document(const ps_plan_t *plan, strbuf_t *sb);

/* Append the plan's title as a citation names it: 《title》, a title inside it stepped down
 * to 〈 〉 (《…关于适用〈中华人民共和国民事诉讼法〉的解释》), or 〔title〕 for a title the
 * plan does not print. Returns 0, or -1 when memory runs out. */
int pq_label_title(const ps_plan_t *plan, strbuf_t *sb);

/* Append the plan's place as results group it: its city, "大连市", or where the index holds
 * several plans of that city, the city and the document, "大连市《大连市…“十三五”规划》"
 * (pq_label_title), and the plan's id after it where two plans share city and title.
 * Returns 0, or -1 when memory runs out. */
int pq_label_city(const ps_plan_t *plan, strbuf_t *sb);

/* Append a section's heading, "（三）实施…" or "第二章 “十四五”…": a number that ends in a
 * mark joins its title directly. Returns 0, or -1 when memory runs out. */
int pq_label_section_heading(const ps_section_t *section, strbuf_t *sb);

/* Append section i's heading, "（三）实施…" or "第二章 “十四五”…" (a number that ends in a
 * mark joins its title directly), or "(preamble)" for the root. Returns 0 or -1 (memory). */
int pq_label_heading(const ps_outline_t *outline, int i, strbuf_t *sb);

/* Append section i's path from the top level down, headings joined by " › ", or
 * "(preamble)" for the root. Returns 0, or -1 when memory runs out. */
int pq_label_section_path(const ps_outline_t *outline, int i, strbuf_t *sb);

#endif
