/* store.h: a policy-search index as the query side reads it: plans, outlines, text and postings. */
#ifndef PS_STORE_H
#define PS_STORE_H

#include "tables.h"
#include "xapwrap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The store owns everything an index holds on disk (format.h says how it is laid out):
 * - a catalogue of the plans (one ps_plan_t each), read without parsing;
 * - per plan, its source text as indexed, its outline (sections, paragraphs, clauses) and
 *   its normal form (normalize.h), all memory-mapped, read per hit;
 * - one Xapian document per clause, in plan order, so a plan's clauses (and a chapter's,
 *   a section's, a paragraph's) are a range of document ids: facets, units and filters are
 *   ranges, and a clause's text is found by its id;
 * - per plan, the counts of its character n-grams (freq, counts.h).
 * The query side opens an index once per command (ps_store_open) and asks it; the indexer
 * writes one through writer.h. No other part of the project knows a file name, a record
 * layout, a term prefix or a metadata key.
 */

/* A plan of the index: the manifest's fields and where its parts are. Strings are owned by
 * the store (date NULL when undated). */
typedef struct ps_plan {
	const char *city_id, *city, *province, *title, *date, *file;
	bool title_supplied;
	bool gb18030;        /* the file is GB18030 text: bytes, sha256 and every offset refer to
			      * its UTF-8 conversion, which the index holds */
	bool city_shared;    /* another plan of the index is of the same city */
	bool title_shared;   /* ... of the same city and the same title */
	size_t passages;     /* its clauses, heading clauses included */
	size_t bytes;        /* the file's size when it was indexed */
	const char *sha256;  /* its SHA-256, 64 lower-case hex digits */
	size_t body_start, body_end; /* the body's bytes (the manifest's body_lines) */
	size_t characters;   /* code points of the body, white space left out (utf8.h) */
	unsigned first_docid; /* its first clause's Xapian document id; clause i is
			       * first_docid + i (i counting heading clauses, in text order) */
} ps_plan_t;

/* ---- The outline: a plan's sections, paragraphs and clauses ------------------------ */

typedef struct ps_section {
	const char *path;   /* "0" for the root (the preamble), "2.3", "3.1.b1", "4.a31" */
	const char *number; /* the marker as printed, "（三）", "第三条"; "" for the root */
	const char *title;  /* "" for the root, and for an article that prints none */
	bool article;       /* an article of a law (第X条): its paragraphs are its 款 */
	int parent;         /* index of the parent, -1 for the root */
	int depth;          /* 0 for the root, 1 for a top-level heading */
	int line;
	int first_clause, end_clause; /* its clauses and its sub-sections', [first, end) */
	size_t start;       /* bytes of the plan's file: the heading (the root: its first
			     * clause) ... */
	size_t heading_end; /* ... the end of the heading's own clause ... */
	size_t end;         /* ... the end of the last clause under it, sub-sections included */
} ps_section_t;

typedef struct ps_paragraph {
	int section;     /* index into sections */
	int ordinal;     /* 1-based within its section */
	int line;
	int end_line;    /* line of its last byte: a sentence the source broke spans lines */
	int item_level;  /* 0 for a paragraph, 1 for a list item (项), 2 for its items (目), … */
	int item_number; /* a list item's printed number */
	int first_clause, end_clause; /* its clauses, [first, end) */
	size_t start, end;
} ps_paragraph_t;

typedef struct ps_clause {
	int section;   /* index into sections */
	int paragraph; /* index into paragraphs; -1 for a heading's own clause */
	int ordinal;   /* 0 for a heading's own clause, else 1-based within its section */
	int line;
	int sentence;  /* 1-based sentence of its section's own body (0 for a heading) */
	int part;      /* 1-based place in that sentence: a clause cut at ； is a part */
	size_t start, end;         /* bytes of the plan's file */
	size_t norm_start, norm_end; /* bytes of the plan's normal form (ps_store_plan_norm) */
} ps_clause_t;

/* An indicator table the segmenter read (segmenter/tables.h has what each part means). Its
 * cells stand in the plan's file, so its lines are paragraphs and clauses of the outline
 * too; a table is structure beside them: a row is a passage of its own (ids.h). */
typedef struct ps_table_cell {
	size_t start, end; /* bytes of the plan's file; 0, 0 for an unprinted header */
	int line;          /* 0 for an unprinted header */
	bool has_number;
	double number;
	seg_cmp_t cmp;
} ps_table_cell_t;

typedef struct ps_table_column {
	seg_column_role_t role;
	int year;               /* the year its header names, else 0 */
	ps_table_cell_t header;
} ps_table_column_t;

typedef struct ps_table_row {
	const ps_table_cell_t *cells; /* its table's n_columns cells, in column order */
	size_t name_end;        /* the label's end without a unit marker ending it */
	int serial;             /* its 序号, 0 without that column */
	seg_attribute_t attribute;
	const char *unit;       /* "%", "个", "" for none */
	seg_unit_source_t unit_from;
	int line, end_line;
	size_t start, end;      /* from its first cell's start to its last cell's end */
} ps_table_row_t;

typedef struct ps_table {
	int section;            /* the section whose own text holds its caption */
	int ordinal;            /* 1-based among the tables of that section: its id is
				 * <plan>/<section path>/t<ordinal> (ids.h) */
	ps_table_cell_t title;  /* the caption */
	int line, end_line;
	size_t start, end;      /* from the caption to the end of its last cell */
	const ps_table_column_t *columns;
	size_t n_columns;
	int label_column, serial_column, attribute_column, unit_column; /* -1: none (never
				 * for the label) */
	const ps_table_row_t *rows; /* in text order, at least one */
	size_t n_rows;
} ps_table_t;

typedef struct ps_outline {
	const ps_section_t *sections; /* in text order; sections[0] is the root */
	size_t n_sections;
	const ps_paragraph_t *paragraphs; /* in text order */
	size_t n_paragraphs;
	const ps_clause_t *clauses; /* in text order, heading clauses included */
	size_t n_clauses;
	const ps_table_t *tables;   /* the indicator tables read, in text order */
	size_t n_tables;
	void *table_parts[4];       /* private: what the tables point into */
} ps_outline_t;

/* The table and row whose cells' bytes, [row start, row end), hold byte `offset`: returns
 * true and their indexes (into tables, and into that table's rows), or false when offset is
 * in no row (a caption, a header, text). Binary search; cannot fail. */
bool ps_outline_row_at(const ps_outline_t *outline, size_t offset, int *table, int *row);

/* The index of the table with this section and 1-based ordinal, or -1. */
int ps_outline_find_table(const ps_outline_t *outline, int section, int ordinal);

/* The index of the section with this path, or -1. */
int ps_outline_find_section(const ps_outline_t *outline, const char *path);

/* The index of the paragraph with this 1-based ordinal in section `section`, or -1. */
int ps_outline_find_paragraph(const ps_outline_t *outline, int section, int ordinal);

/* The index of the clause whose [start, end) holds byte `offset`, or of the last clause
 * that starts before it when none holds it (the gap after a clause); -1 when no clause
 * starts at or before offset. Binary search; cannot fail. */
int ps_outline_clause_at(const ps_outline_t *outline, size_t offset);

/* The section whose own text, up to the next section in text order, holds byte offset
 * (0, the root, before the first heading). Binary search; cannot fail. */
int ps_outline_section_at(const ps_outline_t *outline, size_t offset);

/* The end of section i's own text, its sub-sections left out: the end of its last own
 * paragraph, else of its heading (the root: its start, when it has no paragraph). */
size_t ps_outline_own_end(const ps_outline_t *outline, int i);

/* The top-level section that holds section i (i itself at depth 1; 0 for the root). */
int ps_outline_chapter_of(const ps_outline_t *outline, int i);

/* ---- An open index --------------------------------------------------------------- */

typedef struct ps_store ps_store_t;



/* Open the index directory `dir` (or a stub file of shards: ps_store_n_shards below). The generation its stub names is pinned with a shared
 * lock until ps_store_close, so a rebuild that switches to a new generation meanwhile
 * cannot delete it: a query sees the old index or the new, whole. Nothing is parsed: the
 * catalogue, outlines and text are mapped and read where used. Returns PS_OK and a
 * handle to close with ps_store_close, or another status with a malloc'd message in *error
 * that says what is wrong and the command that fixes it. */
ps_status_t ps_store_open(const char *dir, ps_store_t **out, char **error);

/* As ps_store_open, but an index of no plans (every one removed) opens too: what an update
 * that adds one to it needs. */
ps_status_t ps_store_open_to_update(const char *dir, ps_store_t **out, char **error);

/* How ps_store_open_with opens, or-ed: */
enum {
	PS_OPEN_NO_PLANS = 1,      /* an index of no plans opens too (ps_store_open_to_update) */
	PS_OPEN_ALLOW_PARTIAL = 2, /* a stub file's remote shards that do not answer are left
				    * out (ps_store_n_missing says which), as long as one answers */
	PS_OPEN_ONE_SHOT = 4,      /* for one command and then closed: scattered clauses are
				    * better read than faulted in (ps_store_one_shot) */
};

/* Whether the store was opened PS_OPEN_ONE_SHOT. Cannot fail. */
bool ps_store_one_shot(const ps_store_t *store);

/* ps_store_open with the flags above. */
ps_status_t ps_store_open_with(const char *dir, unsigned flags, ps_store_t **out, char **error);

/* Close. Accepts NULL. */
void ps_store_close(ps_store_t *store);

/* The Xapian database of the clauses; owned by the store. */
xw_db_t *ps_store_db(ps_store_t *store);

/* The plans in index order; owned by the store. */
const ps_plan_t *ps_store_plans(const ps_store_t *store, size_t *n_plans);

/* Every plan with this city id (dandong, case-insensitive), city name (丹东市) or city name
 * without its 市/县/区/州/省/盟 suffix (丹东), into out[] (room for every plan of the index),
 * in index order; returns how many. A few binary searches, whatever the index's size. */
size_t ps_store_find_cities(const ps_store_t *store, const char *name, const ps_plan_t **out);

/* The longest name ps_store_find_cities looks up as an id (longer ones cannot be one). */
#define PS_MAX_ID_LOOKUP 64

/* The first plan ps_store_find_cities finds, or NULL if none (or memory runs out). */
const ps_plan_t *ps_store_find_city(const ps_store_t *store, const char *name);

/* Whether name names the plan's city, by the rules of ps_store_find_city. */
bool ps_plan_is_city(const ps_plan_t *plan, const char *name);

/* The plan with this city id exactly, or NULL. Binary search. */
const ps_plan_t *ps_store_plan_by_id(const ps_store_t *store, const char *city_id);

/* A clause document as the store knows it, without reading its plan's outline. */
typedef struct ps_doc {
	const ps_plan_t *plan; /* owned by the store */
	int clause;            /* its index in the plan's outline (docid - first_docid) */
	int section;           /* its section in the outline */
	int paragraph;         /* its paragraph in the outline, -1 for a heading's own clause */
	unsigned facet;        /* its chapter, numbered across the index (ps_store_facet) */
	const char *norm;      /* its normal form (normalize.h), norm_len bytes, not
				* NUL-terminated; owned by the store: what a candidate is
				* checked against */
	size_t norm_len;
} ps_doc_t;

/* The clause document `docid` into *out. Returns true, or false for an id no clause has.
 * Constant time. */
bool ps_store_doc(const ps_store_t *store, unsigned docid, ps_doc_t *out);

/* As ps_store_doc, but the record and the normal form (when it fits in cap bytes) are read
 * with pread, the normal form into buf, instead of through the mapping: for a process that
 * reads a few clauses scattered over a big index once (a command), where faulting in the
 * mapping's pages costs more than the reads (each fault maps the pages around it too).
 * out->norm points into buf, or into the mapping for a longer one (or a remote shard's).
 * Returns as ps_store_doc. */
bool ps_store_doc_read(const ps_store_t *store, unsigned docid, ps_doc_t *out, char *buf,
		       size_t cap);

/* Ask the processor to start reading the record of clause document `docid` (no effect
 * otherwise): a caller about to read many records at scattered ids overlaps their misses. */
void ps_store_prefetch_doc(const ps_store_t *store, unsigned docid);

/* Clause documents in the index: their ids are 1 .. this. */
unsigned ps_store_n_docs(const ps_store_t *store);

/* Facets: every chapter (top-level section, and the preamble) of every plan, numbered
 * 0 .. ps_store_n_facets() - 1 in plan and text order. */
size_t ps_store_n_facets(const ps_store_t *store);

typedef struct ps_facet {
	const ps_plan_t *plan; /* owned by the store, as the strings are */
	int chapter;           /* the chapter's index in the plan's outline, 0 for the preamble */
	const char *path, *number, *title; /* its heading, as ps_section_t has them */
	unsigned first_docid, end_docid; /* its clause documents, [first, end): facets are
					  * consecutive ranges of document ids */
} ps_facet_t;

/* Facet f into *out, read without the plan's outline. Returns true, or false for a number
 * no facet has. Constant time. */
bool ps_store_facet(const ps_store_t *store, size_t f, ps_facet_t *out);

/* The facet holding clause docid, and in *end the id just past its clauses, found from the
 * facets' first ids alone (no facet's strings read): galloping forward from facet `hint`
 * when docid lies at or after its start (a walk in ascending ids passes its last facet),
 * else by bisection. Returns SIZE_MAX for an id no clause has (*end untouched).
 * O(log distance) from the hint. */
size_t ps_store_facet_of(const ps_store_t *store, unsigned docid, size_t hint, unsigned *end);

/* The plan's file as it was indexed, byte for byte: *text (owned by the store, *len bytes
 * followed by a NUL). Returns PS_OK, or PS_ERR_CORRUPT with a malloc'd message in *error
 * when the index is damaged. */
ps_status_t ps_store_plan_source(ps_store_t *store, const ps_plan_t *plan, const char **text,
				 size_t *len, char **error);

/* The plan's normal form: its clauses' normal forms in text order with what stands between
 * them (a space between two words, a line break where a paragraph ends; normalize.h), so
 * a unit's normal form is the stretch from its first clause's norm_start to its last
 * clause's norm_end, and the whole is the normal form of the plan's body. Owned by the
 * store; *len bytes followed by a NUL. Returns PS_OK, or PS_ERR_CORRUPT with a message. */
ps_status_t ps_store_plan_norm(ps_store_t *store, const ps_plan_t *plan, const char **text,
			       size_t *len, char **error);

/* The plan's outline, owned by the store (decoded on first use and kept). Returns PS_OK, or
 * PS_ERR_CORRUPT with a malloc'd message in *error (a damaged outline, or no memory to
 * decode it). */
ps_status_t ps_store_plan_outline(ps_store_t *store, const ps_plan_t *plan,
				  const ps_outline_t **out, char **error);

/* The corpus directory the index was built from (absolute), or NULL if it recorded none;
 * owned by the store. For shards, the first shard's: see ps_store_plan_corpus_dir. */
const char *ps_store_corpus_dir(const ps_store_t *store);

/* The corpus directory the plan was indexed from, as the index (or the shard) that holds
 * it recorded it (a directory of the machine that built it), or NULL; owned by the store. */
const char *ps_store_plan_corpus_dir(const ps_store_t *store, const ps_plan_t *plan);

/* ---- Frequent grams: a search's answers kept ---------------------------------------- */

/* For the characters and bigrams in the most clauses of an index directory, the index keeps
 * what a search for one of them alone finds (frequent.h): how many clauses hold it, how
 * many in each chapter, and the clauses that hold it most often. */
typedef struct ps_gram_clause {
	uint32_t docid, count; /* a clause document, and how often it holds the gram (a
				* bigram's occurrences; a character's, as first of a bigram or
				* last of a run: terms.h) */
} ps_gram_clause_t;

typedef struct ps_frequent {
	unsigned clauses;             /* clauses holding the gram */
	const ps_gram_clause_t *top;  /* the first n_top of its clauses ordered by count
				       * downward, then document id; all of them when n_top ==
				       * clauses. Owned by the store */
	size_t n_top;
	/* private: ps_frequent_next_facet's place */
	const uint8_t *at, *end;
	size_t next_facet, n_facets;
	unsigned seen;
} ps_frequent_t;

/* The kept answers for gram[0,len) (one or two characters of a normal form, no white
 * space): 1 with them in *out, 0 when the index keeps none for it (a gram in fewer clauses
 * than the index's threshold, an index built without them, a stub file's shards), -1 when
 * what it keeps is damaged. Binary search; cannot fail otherwise. */
int ps_store_frequent(const ps_store_t *store, const char *gram, size_t len, ps_frequent_t *out);

/* The next chapter holding the gram, in facet order (ps_store_facet): 1 with its facet
 * number and the gram's clauses there, 0 after the last, -1 when the kept answers are
 * damaged (a facet past the index's, chapters that do not add up to f->clauses). */
int ps_frequent_next_facet(ps_frequent_t *f, size_t *facet, unsigned *clauses);

/* ---- Common n-grams: their clauses kept ----------------------------------------------- */

/* For the 3- and 4-character n-grams whose bigrams are all frequent, an index directory
 * keeps the clauses holding each (ngrams.h), with the counts of its distinct bigrams there,
 * so that a search reads that list instead of checking the text of every clause holding
 * the bigrams. */
#define PS_NGRAM_MAX_BIGRAMS 3

/* A clause of an n-gram's best: its document id and its bigrams' counts there. */
typedef struct ps_ngram_best {
	uint32_t docid;
	uint32_t counts[PS_NGRAM_MAX_BIGRAMS];
} ps_ngram_best_t;

typedef struct ps_ngram_clauses {
	unsigned clauses;   /* clause documents holding the n-gram */
	unsigned n_bigrams; /* its distinct bigrams, in the order ps_terms_lookup names them
			     * (a bigram named again is left out): 1 to PS_NGRAM_MAX_BIGRAMS */
	/* For an n-gram in at least the threshold's clauses, what a search for it alone
	 * finds, when has_answers: its chapters (read with ps_frequent_next_facet, as a
	 * frequent gram's), and in document id order every clause that fewer than `top` of
	 * its clauses dominate (a lower document id, and at least its count of every
	 * bigram): its first `top` by score, whatever the bigrams' weights, are among them. */
	bool has_answers;
	ps_frequent_t chapters;
	const ps_ngram_best_t *best; /* owned by the store */
	size_t n_best;
	unsigned top;
	/* private: ps_ngram_next's place */
	const uint8_t *at, *end;
	unsigned last, seen, n_docs;
} ps_ngram_clauses_t;

/* The kept clauses of gram[0,len) (three or four characters of a normal form, no white
 * space): 1 with a reader in *out, 0 when the index keeps none for it (a bigram in fewer
 * clauses than the threshold, an index built without them, a stub file's shards), -1 when
 * what it keeps is damaged. Binary search; cannot fail otherwise. */
int ps_store_ngram(const ps_store_t *store, const char *gram, size_t len,
		   ps_ngram_clauses_t *out);

/* The next clauses holding the n-gram, in document id order, up to cap of them: their
 * document ids into docids[0, *n), and into counts[i][0, n_bigrams) each one's bigram
 * counts there (their wdfs); ones[i] says whether those are all 1. Returns 1 with *n > 0,
 * 0 after the last, -1 when the list is damaged (a document past the index's, ids out of
 * order, a count of 0, fewer or more clauses than the record says). */
int ps_ngram_read(ps_ngram_clauses_t *l, unsigned *docids,
		  unsigned (*counts)[PS_NGRAM_MAX_BIGRAMS], bool *ones, size_t cap, size_t *n);

/* ---- Shards ------------------------------------------------------------------------ */

/* `dir` given to ps_store_open may also be a stub file naming shards (one a line: "auto
 * DIR" for an index directory on this machine, "remote HOST:PORT" for one xapian-tcpsrv
 * serves, "remote :PROGRAM ARGS"), which are then read as one index holding their plans in
 * the stub's order: plans, facets and document ids of each shard follow the last shard's,
 * a term's frequency is the sum of its shards', and every answer is the one an index built
 * of the same plans in that order gives. A remote shard's files are read from its database
 * (a shard is built with policy-index --shard): the catalogue, clause records and normal
 * forms when it is opened, the outlines, sources and counts when first needed, each once
 * per open store. A shard that does not answer is PS_ERR_NETWORK with a message naming it;
 * a plan in two shards is PS_ERR_INVALID. */

/* The indexes read as one: 1 for an index directory. Cannot fail. */
size_t ps_store_n_shards(const ps_store_t *store);

/* Shard k's name as messages give it ("remote 10.0.0.2:33333", a directory), or NULL past
 * the last; owned by the store. */
const char *ps_store_shard_name(const ps_store_t *store, size_t k);

/* The number of the shard that holds the plan (ps_store_shard_name names it). */
size_t ps_store_plan_shard(const ps_store_t *store, const ps_plan_t *plan);

/* The shards opening left out (PS_OPEN_ALLOW_PARTIAL): how many, and for each the message
 * that says which and why ("shard remote 10.0.0.2:33333 did not answer (...)"; owned by
 * the store, NULL past the last). Answers then hold only the other shards' plans. */
size_t ps_store_n_missing(const ps_store_t *store);
const char *ps_store_missing(const ps_store_t *store, size_t k);

/* Whether any shard is remote. Cannot fail. */
bool ps_store_remote(const ps_store_t *store);

/* Whether a stub file's shards are still what the store read: each shard directory's stub
 * still names the generation the store pinned (a file read each), and each remote shard
 * still answers on the connection it opened (one round trip each). A store kept open
 * across requests (policy-serve) is closed and opened again when not. A remote shard
 * rebuilt on its machine is not seen here: its server keeps the generation a connection
 * opened for that connection's life, so a store of remote shards must be opened again
 * from time to time (policy-serve: every minute). True at once for an index directory.
 * Cannot fail: a shard that does not answer is not current. */
bool ps_store_current(ps_store_t *store);

/* Whether this is one index directory whose database also holds its files (built with
 * --shard): an update of it must keep it so. */
bool ps_store_is_shard(const ps_store_t *store);

/* The schema this build reads and writes ("8"): an index of another schema must be
 * rebuilt. A static string; cannot fail. */
const char *ps_store_schema(void);

#endif
