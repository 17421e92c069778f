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
 *                  (ICU words are not indexed: ranking by character n-grams measured
 *                  better on bench/judged, and indexing them cost a fifth of the build)
 *                  and in its metadata the schema version and the corpus directory.
 *   counts         the n-gram counts freq reads: for each 1- to 4-character n-gram g of
 *                  any plan's normal form, the plans holding it with the number of places
 *                  it starts at in each (overlaps counted) and of clauses holding it whole
 *   catalogue      the plans (below)
 *   docs           one ps_doc_rec_t per clause document, indexed by document id - 1
 *   outlines       each plan's outline (below), at its plan record's outline_offset
 *   sources        each plan's file as indexed (its UTF-8 conversion for GB18030)
 *   norms          each plan's normal form (store.h, ps_store_plan_norm)
 *   frequent       for the characters and bigrams in the most clauses, what a search for
 *                  one of them alone answers without its posting lists (frequent.h,
 *                  below); optional: an index without it walks them
 *   ngrams         for each 3- and 4-character n-gram made only of such bigrams, the
 *                  clauses that hold it (ngrams.h, below): a search for it reads them
 *                  instead of checking the text of every clause holding its bigrams;
 *                  optional, like frequent
 *
 * Every number is little-endian as the machine writes it (the index is not meant to move
 * between machines of another byte order), every record 8-byte aligned, every string
 * NUL-terminated UTF-8 in a string table and named by its offset there (PS_NO_STRING for
 * none). A file starts with an 8-byte magic and the schema version.
 */

/* Bumped whenever terms, records or files change meaning; an index of another version is
 * refused with the command that rebuilds it. */
#define PS_SCHEMA_VERSION 8u
#define PS_SCHEMA_VERSION_TEXT "8"

#define PS_STUB_NAME "XAPIANDB"
#define PS_LOCK_NAME "XAPIANDB.lock"
#define PS_GENERATION_PREFIX "generation-"
#define PS_DOOMED_SUFFIX ".deleting" /* a generation being deleted is first renamed so */

#define PS_XAPIAN_DIR "xapian"
#define PS_COUNTS_FILE "counts"
#define PS_CATALOGUE_FILE "catalogue"
#define PS_DOCS_FILE "docs"
#define PS_OUTLINES_FILE "outlines"
#define PS_SOURCES_FILE "sources"
#define PS_NORMS_FILE "norms"
#define PS_FREQUENT_FILE "frequent"
#define PS_NGRAMS_FILE "ngrams"

/* Xapian metadata of xapian/. */
#define PS_META_SCHEMA "policy-search.schema" /* PS_SCHEMA_VERSION_TEXT */
#define PS_META_CORPUS "policy-search.corpus" /* the corpus directory, absolute */

/* A shard (policy-index --shard) also keeps each file above in xapian/'s metadata, so that
 * a server of that database alone (xapian-tcpsrv) serves the whole index (embed.h):
 *   policy-search.file.<name>      "<bytes> <chunks>", in decimal: written last, so a file
 *                                  with a head has all its chunks
 *   policy-search.file.<name>.<k>  bytes [k * PS_EMBED_CHUNK, (k + 1) * PS_EMBED_CHUNK) */
#define PS_META_FILE "policy-search.file."
#define PS_EMBED_CHUNK ((size_t)1 << 20)

/* Term prefixes of xapian/. */
#define PS_PREFIX_UNIGRAM "U"
#define PS_PREFIX_BIGRAM "B"

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
#define PS_MAGIC_COUNTS "PSCOUNT"
#define PS_MAGIC_FREQUENT "PSFREQ"
#define PS_MAGIC_NGRAMS "PSNGRAM"

/* frequent: ps_file_head_t, ps_frequent_head_t, then each gram's data (8-byte aligned), then
 * (at records_offset) n_grams ps_frequent_rec_t sorted by gram (its bytes, NUL-padded to 8,
 * compared as bytes). A gram's data: n_top ps_frequent_top_t (its clauses with the highest
 * counts, by count downward then document id), then its chapters as varint pairs: the facet
 * number's gap from the previous one's (the first: from 0), then the gram's clauses there
 * (at least 1). A gram's count in a clause is what a search counts: a bigram's wdf, and for a
 * character the sum of its run-end term's and the bigrams' it starts (terms.h). */
typedef struct ps_frequent_head {
	uint32_t n_grams;
	uint32_t n_facets; /* the catalogue's: a file of another index is refused */
	uint32_t n_docs;
	uint32_t top;      /* at most this many top clauses a gram */
	uint64_t records_offset;
} ps_frequent_head_t;

typedef struct ps_frequent_rec {
	char gram[8];           /* one or two characters, NUL-padded */
	uint32_t clauses;       /* clauses holding it */
	uint32_t n_top;         /* min(clauses, head top) */
	uint64_t top_offset;    /* from the start of the file */
	uint64_t facets_offset; /* from the start of the file */
	uint64_t facets_len;
} ps_frequent_rec_t;

typedef struct ps_frequent_top {
	uint32_t docid, count;
} ps_frequent_top_t;

/* ngrams: ps_file_head_t, ps_ngrams_head_t, then each n-gram's clauses, then (8-byte
 * aligned, at records_offset) n_grams ps_ngram_rec_t sorted by gram (its bytes, NUL-padded
 * to 16, compared as bytes). An n-gram's clauses are every clause document whose normal form
 * holds it, in document id order, each a varint: its document id less the previous one's
 * (the first: less 0), times two, plus one when one of the n-gram's bigrams occurs more than
 * once in the clause; and then, if so, each bigram's count in the clause (its wdf: terms.h),
 * as varints. The bigrams are the n-gram's distinct ones, in the order they first occur in
 * it (the order ps_terms_lookup gives them). An n-gram in many clauses also has, after its
 * list, its best clauses (ps_ngram_top_t, 4-byte aligned) and its chapters. */
typedef struct ps_ngrams_head {
	uint32_t n_grams;
	uint32_t n_docs; /* the catalogue's: a file of another index is refused */
	uint64_t records_offset;
	uint32_t n_facets; /* the catalogue's */
	uint32_t top;      /* the `top` the best clauses were chosen for */
} ps_ngrams_head_t;

typedef struct ps_ngram_rec {
	char gram[16];      /* three or four characters, NUL-padded */
	uint32_t clauses;   /* clauses holding it */
	uint32_t n_bigrams; /* its distinct bigrams: 1 to 3 */
	uint64_t offset;    /* its clauses, from the start of the file */
	uint64_t len;       /* their bytes */
	/* for an n-gram in at least the threshold's clauses, what a search for it alone
	 * finds (as frequent keeps for a gram; 0 and 0 for the others) */
	uint32_t n_top;         /* its best clauses kept (below) */
	uint32_t has_answers;   /* 1 when these are kept */
	uint64_t top_offset;    /* n_top ps_ngram_top_t, in document id order */
	uint64_t facets_offset; /* its chapters as varint pairs, as frequent's */
	uint64_t facets_len;
} ps_ngram_rec_t;

/* A clause that may rank among an n-gram's first `top` by score, whatever its bigrams'
 * weights: one that fewer than `top` clauses dominate (a clause dominates another when
 * it has a lower document id and at least its count of every bigram: it then ranks ahead
 * of it under any positive weights). The first `top` by score are among these. */
typedef struct ps_ngram_top {
	uint32_t docid;
	uint32_t counts[3]; /* its bigrams' counts, as in its list */
} ps_ngram_top_t;

/* sources and norms: ps_file_head_t, then each plan's bytes followed by a NUL (so a plan's
 * text can be handed on as a C string), at the offsets its plan record gives. */

/* catalogue: ps_file_head_t, ps_catalogue_head_t, then n_plans ps_plan_rec_t, then n_plans
 * uint32 plan indexes sorted by city_id, then n_plans sorted by city (bytes, then index),
 * then (8-byte aligned) n_facets ps_facet_rec_t, then the string table. */
typedef struct ps_catalogue_head {
	uint32_t n_plans;
	uint32_t n_docs;         /* clause documents in xapian/ */
	uint64_t strings_offset; /* from the start of the file */
	uint64_t strings_len;
	uint32_t corpus_dir;     /* a string, or PS_NO_STRING */
	uint32_t n_facets;       /* chapters, over every plan: what search counts hits by */
} ps_catalogue_head_t;

/* A facet: one chapter (top-level section, or the preamble) of one plan. Numbered across
 * the index in plan and text order; a clause document's record names its facet, so hits
 * are counted per chapter in an array, without reading an outline. */
typedef struct ps_facet_rec {
	uint32_t plan, chapter;      /* the plan's index; the section's index in its outline */
	uint32_t path, number, title; /* the chapter's heading: strings */
	uint32_t first_docid;        /* its first clause document: a facet's documents run to
				      * the next facet's first */
} ps_facet_rec_t;

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
	uint64_t bytes, body_start, body_end;
	uint64_t characters;              /* of its body, white space left out (utf8.h) */
	uint64_t source_offset;           /* in sources; bytes long */
	uint64_t norm_offset, norm_len;   /* in norms */
	uint64_t outline_offset, outline_len; /* in outlines */
	char sha256[72];                  /* 64 hex digits, then NULs */
} ps_plan_rec_t;

/* docs: ps_file_head_t, then one record per clause document: what a match needs to be
 * checked, counted and grouped into its paragraph or section without the plan's outline. */
typedef struct ps_doc_rec {
	uint64_t norm_offset; /* of the clause's normal form, in norms */
	uint32_t norm_len;
	uint32_t plan;        /* index in the catalogue */
	uint32_t clause;      /* index in the plan's outline */
	int32_t paragraph;    /* its paragraph in the outline, -1 for a heading's own clause */
	uint32_t section;     /* its section in the outline */
	uint32_t facet;       /* its chapter's facet (ps_facet_rec_t) */
} ps_doc_rec_t;

/* outlines: ps_file_head_t, then per plan: ps_outline_head_t, its sections, paragraphs and
 * clauses as the records below, its indicator tables (the tables, their columns, their
 * rows, and the cells of all of them, as ps_table_rec_t … ps_cell_rec_t; read with memcpy,
 * since they follow records of sizes that are not multiples of 8), and its string table.
 * Only the tables the segmenter read are kept (tables.h: an unread one is text). */
typedef struct ps_outline_head {
	uint32_t n_sections, n_paragraphs, n_clauses, strings_len;
	uint32_t n_tables, n_columns, n_rows, n_cells;
} ps_outline_head_t;

/* Offsets in a plan's file and normal form are 32-bit: a plan is at most
 * SEG_MAX_DOCUMENT_BYTES (document.h). */
typedef struct ps_section_rec {
	uint32_t path, number, title;      /* strings of the plan's table */
	int32_t parent, depth, line;
	uint32_t first_clause, end_clause;
	uint32_t article;
	uint32_t start, heading_end, end;
} ps_section_rec_t;

typedef struct ps_paragraph_rec {
	int32_t section, ordinal, line, end_line, item_level, item_number;
	uint32_t first_clause, end_clause;
	uint32_t start, end;
} ps_paragraph_rec_t;

typedef struct ps_clause_rec {
	int32_t section, paragraph, ordinal, line, sentence, part;
	uint32_t start, end;
	uint32_t norm_start, norm_end; /* in the plan's normal form */
} ps_clause_rec_t;

/* An indicator table (segmenter/tables.h): its columns are columns[first_column, +n_columns),
 * its rows rows[first_row, +n_rows); the title is a cell. */
typedef struct ps_table_rec {
	uint32_t title_cell;
	int32_t line, end_line;
	uint32_t start, end;
	uint32_t first_column, n_columns, first_row, n_rows;
	int32_t label_column, serial_column, attribute_column, unit_column;
	uint32_t row_per_line;
} ps_table_rec_t;

typedef struct ps_column_rec {
	uint32_t role;        /* seg_column_role_t */
	int32_t year;
	uint32_t header_cell; /* its header; a cell of start == end == line == 0 if unprinted */
} ps_column_rec_t;

typedef struct ps_row_rec {
	uint32_t first_cell; /* its table's n_columns cells, in column order */
	int32_t serial;
	uint32_t attribute;  /* seg_attribute_t */
	uint32_t unit_from;  /* seg_unit_source_t */
	int32_t line, end_line;
	uint32_t name_end;
	char unit[16];       /* NUL-terminated */
} ps_row_rec_t;

typedef struct ps_cell_rec {
	double number;       /* when has_number */
	uint32_t start, end; /* bytes of the plan's file */
	int32_t line;
	uint32_t has_number, cmp; /* cmp: seg_cmp_t */
} ps_cell_rec_t;

/* counts: ps_file_head_t, ps_counts_head_t, then the postings, the dictionary and its block
 * index (the last two 8-byte aligned, at the head's offsets from the start of the file).
 *
 * Postings: per n-gram, per plan holding it in plan order, varints (7 bits a byte, low
 * first): the plan's index less the previous posting's (the first: less 0); then the places
 * the n-gram starts at in the plan's normal form, times two, plus one if the clauses
 * holding it whole are fewer; and if so, by how many.
 *
 * Dictionary: the n-grams in byte order, in blocks of PS_COUNT_BLOCK; each entry is the
 * number of leading bytes it shares with the entry before it in its block (0 for a block's
 * first), the number of bytes that follow, those bytes, and a varint: the length of its
 * postings, which follow those of the entry before it. The block index gives each block's
 * first n-gram whole, where its entries start in the dictionary, and where its first
 * n-gram's postings start (both counted from the start of their part). */
#define PS_COUNT_BLOCK 16

typedef struct ps_counts_head {
	uint64_t n_grams;
	uint64_t postings_len;      /* the postings start right after this head */
	uint64_t dict_offset, dict_len;
	uint64_t index_offset, n_blocks;
} ps_counts_head_t;

typedef struct ps_count_block {
	uint8_t key[16]; /* its first n-gram's bytes, zero-padded */
	uint64_t dict_at, postings_at;
} ps_count_block_t;

#endif
