/* format.h: how a policy-search index is laid out on disk (private to store/). */
#ifndef PS_FORMAT_H
#define PS_FORMAT_H

#include <stdint.h>

/*
 * An index directory DIR holds generations, DIR/generation-<time>.<ns>-<pid>/, and the stub
 * file DIR/XAPIANDB naming the live one (generation.h). A generation holds:
 *
 *   xapian/        the clauses: one Xapian document per clause, every plan's in text order,
 *                  so plan k's clauses are documents first_docid .. first_docid + passages - 1.
 *                  Terms, counts only (no positions), no stored data or values, no term
 *                  lists (DB_NO_TERMLIST), compacted after the build:
 *                    U<c>     each character of the clause's normal form (not white space)
 *                    B<cd>    each pair of characters with no white space between
 *                    W<word>  each ICU word (words.c), for ranking
 *                  and in its metadata the schema version and the corpus directory.
 *   counts/        the n-gram counts freq reads: one Xapian document per plan (or several
 *                  for a plan too big to count in memory at once, in plan order), with
 *                    N<g>     each 1- to 4-character n-gram g of the plan's normal form, its
 *                             wdf the number of places it starts at (overlaps counted)
 *                    P<g>     the number of clauses holding g, where that differs from N<g>
 *   catalogue      the plans (below)
 *   docs           one ps_doc_rec_t per clause document, indexed by document id - 1
 *   outlines       each plan's outline (below), at its plan record's outline_offset
 *   sources        each plan's file as indexed (its UTF-8 conversion for GB18030)
 *   norms          each plan's normal form (store.h, ps_store_plan_norm)
 *
 * Every number is little-endian as the machine writes it (the index is not meant to move
 * between machines of another byte order), every record 8-byte aligned, every string
 * NUL-terminated UTF-8 in a string table and named by its offset there (PS_NO_STRING for
 * none). A file starts with an 8-byte magic and the schema version.
 */

/* Bumped whenever terms, records or files change meaning; an index of another version is
 * refused with the command that rebuilds it. */
#define PS_SCHEMA_VERSION 7u
#define PS_SCHEMA_VERSION_TEXT "7"

#define PS_STUB_NAME "XAPIANDB"
#define PS_LOCK_NAME "XAPIANDB.lock"
#define PS_GENERATION_PREFIX "generation-"
#define PS_DOOMED_SUFFIX ".deleting" /* a generation being deleted is first renamed so */

#define PS_XAPIAN_DIR "xapian"
#define PS_COUNTS_DIR "counts"
#define PS_CATALOGUE_FILE "catalogue"
#define PS_DOCS_FILE "docs"
#define PS_OUTLINES_FILE "outlines"
#define PS_SOURCES_FILE "sources"
#define PS_NORMS_FILE "norms"

/* Xapian metadata of xapian/. */
#define PS_META_SCHEMA "policy-search.schema" /* PS_SCHEMA_VERSION_TEXT */
#define PS_META_CORPUS "policy-search.corpus" /* the corpus directory, absolute */

/* Term prefixes of xapian/ and counts/. */
#define PS_PREFIX_UNIGRAM "U"
#define PS_PREFIX_BIGRAM "B"
#define PS_PREFIX_WORD "W"
#define PS_PREFIX_COUNT "N"
#define PS_PREFIX_PASSAGES "P"

/* The longest n-gram counted per plan, in characters: longer terms are counted from the
 * plan's normal form. */
#define PS_MAX_COUNTED_GRAM 4

#define PS_NO_STRING UINT32_MAX

/* Every file's first 16 bytes. */
typedef struct ps_file_head {
	char magic[8];   /* "PSCATLG\0", "PSDOCS\0\0", … (below) */
	uint32_t schema; /* PS_SCHEMA_VERSION */
	uint32_t reserved;
} ps_file_head_t;

#define PS_MAGIC_CATALOGUE "PSCATLG"
#define PS_MAGIC_DOCS "PSDOCS"
#define PS_MAGIC_OUTLINES "PSOUTLN"
#define PS_MAGIC_SOURCES "PSSRCS"
#define PS_MAGIC_NORMS "PSNORMS"

/* catalogue: ps_file_head_t, ps_catalogue_head_t, then n_plans ps_plan_rec_t, then n_plans
 * uint32 plan indexes sorted by city_id, then the string table. */
typedef struct ps_catalogue_head {
	uint32_t n_plans;
	uint32_t n_docs;         /* clause documents in xapian/ */
	uint64_t strings_offset; /* from the start of the file */
	uint64_t strings_len;
	uint32_t corpus_dir;     /* a string, or PS_NO_STRING */
	uint32_t reserved;
} ps_catalogue_head_t;

enum {
	PS_PLAN_TITLE_SUPPLIED = 1,
	PS_PLAN_GB18030 = 2,
	PS_PLAN_CITY_SHARED = 4,
	PS_PLAN_TITLE_SHARED = 8,
};

typedef struct ps_plan_rec {
	uint32_t city_id, city, province, title, date, file; /* strings; date may be none */
	uint32_t flags;                                      /* PS_PLAN_* */
	uint32_t first_docid, passages;
	uint32_t count_first_docid, count_docs; /* its documents in counts/ */
	uint32_t reserved;
	uint64_t bytes, body_start, body_end;
	uint64_t source_offset;           /* in sources; bytes long */
	uint64_t norm_offset, norm_len;   /* in norms */
	uint64_t outline_offset, outline_len; /* in outlines */
	char sha256[72];                  /* 64 hex digits, NUL-padded */
} ps_plan_rec_t;

/* docs: ps_file_head_t, then one record per clause document. */
typedef struct ps_doc_rec {
	uint64_t norm_offset; /* of the clause's normal form, in norms */
	uint32_t norm_len;
	uint32_t plan;        /* index in the catalogue */
	uint32_t clause;      /* index in the plan's outline */
	uint32_t chapter;     /* the top-level section holding it, 0 for the preamble */
} ps_doc_rec_t;

/* outlines: ps_file_head_t, then per plan: ps_outline_head_t, its sections, paragraphs and
 * clauses as the records below, and its string table. */
typedef struct ps_outline_head {
	uint32_t n_sections, n_paragraphs, n_clauses, strings_len;
} ps_outline_head_t;

typedef struct ps_section_rec {
	uint32_t path, number, title;      /* strings of the plan's table */
	int32_t parent, depth, line;
	uint32_t first_clause, end_clause;
	uint32_t article, reserved;
	uint64_t start, heading_end, end;
} ps_section_rec_t;

typedef struct ps_paragraph_rec {
	int32_t section, ordinal, line, end_line, item_level, item_number;
	uint32_t first_clause, end_clause;
	uint64_t start, end;
} ps_paragraph_rec_t;

typedef struct ps_clause_rec {
	int32_t section, paragraph, ordinal, line, sentence, part;
	uint64_t start, end;
	uint64_t norm_start, norm_end; /* in the plan's normal form */
} ps_clause_rec_t;

#endif
