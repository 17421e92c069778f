/* cite.h: citing passages by id: the exact text, its place, context, and a corpus check. */
#ifndef PQ_CITE_H
#define PQ_CITE_H

#include "store.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Ids (README, "Passages and ids"), each starting with the plan's city_id:
 *   a clause     <plan>/<section path>/<n>   dalian/3.8.1/2 (n = 0: the heading's own clause)
 *   a paragraph  <plan>/<section path>/p<k>  dalian/3.8.1/p1
 *   a row        <plan>/<section path>/t<j>.<r>  dalian/2.3.2/t1.1: row r of the j-th
 *                                            indicator table whose caption is in the
 *                                            section's own text (store.h)
 *   a section    <plan>/<section path>       dalian/3.8.1 (with its sub-sections;
 *                                            dalian/0 is the preamble before the first
 *                                            heading, as search's section scope has it)
 * A section path is "0" or dot-separated ordinals, boxes written b1, b2: 3.4.b1.3, and
 * articles (第X条) their printed number after an a: 4.a31 (a31-2 for a second article
 * numbered 31 under one parent). An article may also be named by its number alone,
 * <plan>/a31, wherever it stands in the tree.
 */

typedef enum pq_passage_kind {
	PQ_PASSAGE_CLAUSE,
	PQ_PASSAGE_PARAGRAPH,
	PQ_PASSAGE_SECTION,
	PQ_PASSAGE_ROW,
} pq_passage_kind_t;

typedef enum pq_cite_status {
	PQ_CITE_FOUND = 0, /* the id names a passage of the index */
	PQ_CITE_MALFORMED, /* the id is not of any of the three forms */
	PQ_CITE_UNKNOWN,   /* well formed, but no such plan or passage */
} pq_cite_status_t;

/* How the corpus file compares with what was indexed. The file is compared as text in its
 * declared encoding (a GB18030 plan is decoded first, as it was for indexing). */
typedef enum pq_check {
	PQ_CHECK_UNCHANGED = 0, /* the text that was indexed, exactly (same SHA-256) */
	PQ_CHECK_CHANGED,       /* another text now; text_matches says whether the cited bytes
				 * at the recorded offsets are still the same (and if not, the
				 * quote is not in the file any more) */
	PQ_CHECK_MOVED,         /* another text now, and the quote is no longer at its bytes
				 * but still in the file: moved_* say where */
	PQ_CHECK_MISSING,       /* the file cannot be read (or decoded) */
} pq_check_t;

/* A clause shown as context: its id and bytes of the plan's file. */
typedef struct pq_cite_clause {
	char *id;
	size_t start, end;
	int line;
} pq_cite_clause_t;

typedef struct pq_citation {
	pq_cite_status_t status;
	char *given;          /* the id as given */
	/* When status is not PQ_CITE_FOUND: */
	char *message;        /* why, in a sentence */
	char **suggestions;   /* the closest known ids, best first */
	size_t n_suggestions;
	/* When status is PQ_CITE_FOUND: */
	char *id;             /* the canonical id */
	pq_passage_kind_t kind;
	const ps_plan_t *plan;        /* borrowed from the index */
	const ps_section_t **levels;  /* the section path from the top level down to the
				       * passage's section (borrowed); none for the root */
	size_t n_levels;
	const char *section_path;     /* "3.8.1", "0" (borrowed) */
	int ordinal;                  /* the clause's n, the paragraph's k or the row's r; 0
				       * for a section */
	const ps_table_t *table;      /* a row: its table and the row (borrowed); its bytes
				       * are from its first cell to its last */
	const ps_table_row_t *row;
	size_t start, end;            /* bytes of the plan's file, end exclusive */
	int line, end_line;           /* 1-based lines of the first and last byte */
	const char *text;             /* the indexed bytes [start,end), exactly; not
				       * NUL-terminated; borrowed from the index */
	char *first_clause, *last_clause; /* ids of the clauses it covers (NULL if none) */
	/* Where it stands as readers cite it (cite_format.c writes 第N句, 第X条第Y款第Z项): */
	int sentence, n_sentences;    /* a clause: its sentence, counted from 1 in its section
				       * (in its paragraph, 款 or item, in an article), and how
				       * many there are there; 0 for a heading */
	int part, n_parts;            /* a clause: its place among its sentence's clauses */
	const ps_section_t *article;  /* the article (第X条) it is or is in, else NULL */
	int kuan, n_kuan;             /* in an article: its 款 (0 for the whole article) and
				       * how many the article has */
	int items[4], n_items;        /* the printed numbers of the list items (项, 目) it is
				       * in, outermost first */
	pq_cite_clause_t *before, *after; /* context, in text order */
	size_t n_before, n_after;
	/* The check against the corpus: */
	pq_check_t check;
	bool text_matches;            /* the file's bytes [start,end) now equal text */
	char *file_path;              /* where the file was looked for; or, from a citer that
				       * names files relative, its name in the corpus */
	char sha256_now[65];          /* "" when the file cannot be read */
	size_t bytes_now;             /* the text's bytes now (decoded as UTF-8) */
	size_t moved_start, moved_end; /* PQ_CHECK_MOVED: where the quote is now (bytes of the
					* decoded text), and its line */
	int moved_line;
	char *check_error;            /* why it cannot be read (PQ_CHECK_MISSING) */
} pq_citation_t;

typedef struct pq_citer pq_citer_t;

/* A citer over an open index (borrowed; it must outlive the citer). corpus_dir is where the
 * plan files are checked; NULL means the directory recorded when the index was built, else
 * "corpus". Returns PS_OK and a citer to free with pq_citer_free, or PS_ERR_NO_MEMORY with
 * a malloc'd message in *error. */
ps_status_t pq_citer_new(ps_store_t *index, const char *corpus_dir, pq_citer_t **out,
			 char **error);

/* The corpus directory the citer checks against; owned by the citer. */
const char *pq_citer_corpus_dir(const pq_citer_t *citer);

/* Name plan files in citations (file_path) and in the reasons a file cannot be checked
 * (check_error) as the manifest names them, relative to the corpus directory ("dalian.txt"),
 * not by where they are read, and leave out where a symbolic link leading outside the corpus
 * points: for a server, whose users should not learn its file system. Call before citing.
 * Cannot fail. */
void pq_citer_name_files_relative(pq_citer_t *citer);

/* Free a citer. Accepts NULL. */
void pq_citer_free(pq_citer_t *citer);

/*
 * Resolve one id (leading and trailing white space ignored; the plan may also be named as
 * 大连 or 大连市) into a citation with `context` clauses before and after it, and check it
 * against the corpus file. Returns PS_OK and a citation to free with pq_citation_free,
 * whose status says whether the id was found (a malformed or unknown id is not an error:
 * the citation then carries a message and suggestions); or PS_ERR_FAILED with a malloc'd
 * message in *error when the index cannot be read or is inconsistent, or memory runs out.
 */
ps_status_t pq_citer_cite(pq_citer_t *citer, const char *id, size_t context,
			  pq_citation_t **out, char **error);

/* Free a citation. Accepts NULL. */
void pq_citation_free(pq_citation_t *citation);

#endif
