/* ids.h: passage ids ("dalian/3.8.1/2", "dalian/3.8.1/p1", "dalian/3.8.1"), built and parsed in one place. */
#ifndef PS_IDS_H
#define PS_IDS_H

#include "strbuf.h"

/*
 * An id is a plan's city_id, then a section's path ("0" for the preamble, "2.3", "3.1.b1" for
 * a box, "4.a31" or "a31-2" for an article), then nothing (the section with its
 * sub-sections), "/p<k>" (its k-th paragraph of its own) or "/<n>" (its n-th clause, 0 for
 * its heading). They stay valid as long as a plan's structure does: the schema may change,
 * the ids do not.
 */
typedef enum ps_id_kind {
	PS_ID_CLAUSE,
	PS_ID_PARAGRAPH,
	PS_ID_SECTION,
} ps_id_kind_t;

/* The longest section path an id may hold, in bytes. */
#define PS_ID_MAX_PATH 256

/* What follows an id's "<plan>/". */
typedef struct ps_id {
	ps_id_kind_t kind;
	char path[PS_ID_MAX_PATH + 1];
	int ordinal; /* the clause or paragraph number; 0 for a section */
} ps_id_t;

/* Append the id of a section, a paragraph of its own, or a clause of it to sb. Returns 0, or
 * -1 when memory runs out. */
int ps_id_section(strbuf_t *sb, const char *plan, const char *path);
int ps_id_paragraph(strbuf_t *sb, const char *plan, const char *path, int ordinal);
int ps_id_clause(strbuf_t *sb, const char *plan, const char *path, int ordinal);

/* Parse what follows "<plan>/" (the plan is found by its city_id apart). Numbers have no
 * leading zero (a clause may be 0), at most 9 digits. Returns 0, or -1 for anything that is
 * not an id. Cannot fail otherwise. */
int ps_id_parse(const char *rest, ps_id_t *out);

#endif
