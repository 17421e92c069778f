/* outline.h: a plan's heading tree and paragraphs as the index stores them (schema.h). */
#ifndef PQ_OUTLINE_H
#define PQ_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pq_section {
	char *path;    /* "0" for the root (the preamble), "2.3", "3.1.b1" */
	char *number;  /* the marker as printed, "（三）"; "" for the root */
	char *title;   /* "" for the root, and for an article that prints none */
	bool article;  /* an article of a law (第X条): its paragraphs are its 款 */
	int parent;    /* index of the parent, -1 for the root */
	int depth;     /* 0 for the root, 1 for a top-level heading */
	int line;
	size_t start;       /* bytes of the plan's file: the heading (the root: its first
			     * clause) ... */
	size_t heading_end; /* ... the end of the heading's own clause ... */
	size_t end;         /* ... the end of the last clause under it, sub-sections included */
} pq_section_t;

typedef struct pq_paragraph {
	int section; /* index into sections */
	int ordinal; /* 1-based within its section */
	int line;
	size_t start, end;
	int end_line;    /* line of its last byte: a sentence the source broke spans lines */
	int item_level;  /* 0 for a paragraph, 1 for a list item (项), 2 for its items (目), … */
	int item_number; /* a list item's printed number */
} pq_paragraph_t;

typedef struct pq_clause {
	int section;   /* index into sections */
	int paragraph; /* index into paragraphs; -1 for a heading's own clause */
	int ordinal;   /* 0 for a heading's own clause, else 1-based within its section */
	int line;
	size_t start, end;
	int sentence;  /* 1-based sentence of its section's own body (0 for a heading) */
	int part;      /* 1-based place in that sentence: a clause cut at ； is a part */
} pq_clause_t;

typedef struct pq_outline {
	pq_section_t *sections; /* in text order; sections[0] is the root */
	size_t n_sections;
	pq_paragraph_t *paragraphs; /* in text order */
	size_t n_paragraphs;
	pq_clause_t *clauses; /* in text order, heading clauses included */
	size_t n_clauses;
} pq_outline_t;

/* Parse the stored outline JSON. Returns 0 and an outline to free with pq_outline_free,
 * or -1 with a malloc'd message in *error when it is malformed or memory runs out. */
int pq_outline_parse(const char *json, size_t len, pq_outline_t **out, char **error);

/* Free an outline. Accepts NULL. */
void pq_outline_free(pq_outline_t *outline);

/* The index of the section with this path, or -1. */
int pq_outline_find_section(const pq_outline_t *outline, const char *path);

/* The index of the paragraph with this 1-based ordinal in section `section`, or -1. */
int pq_outline_find_paragraph(const pq_outline_t *outline, int section, int ordinal);

/* The index of the clause whose [start, end) holds byte `offset`, or of the last clause
 * that starts before it when none holds it (the gap after a clause); -1 when no clause
 * starts at or before offset. Binary search; cannot fail. */
int pq_outline_clause_at(const pq_outline_t *outline, size_t offset);

/* The section whose own text, up to the next section in text order, holds byte offset
 * (0, the root, before the first heading). Binary search; cannot fail. */
int pq_outline_section_at(const pq_outline_t *outline, size_t offset);

/* The end of section i's own text, its sub-sections left out: the end of its last own
 * paragraph, else of its heading (the root: its start, when it has no paragraph). */
size_t pq_outline_own_end(const pq_outline_t *outline, int i);

#endif
