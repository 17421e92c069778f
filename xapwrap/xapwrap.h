/* xapwrap.h: the project's thin C API over Xapian (the only C++ in the tree lives behind it). */
#ifndef XAPWRAP_H
#define XAPWRAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Conventions (after notmuch's lib/notmuch.h):
 * - Every function returns an xw_status_t; results come back through out-parameters,
 *   which are written only on success.
 * - No C++ exception ever crosses this boundary: each exported function catches
 *   Xapian::Error, std::bad_alloc and anything else and maps it to a status.
 * - The text of the last error is kept on the handle (xw_db_last_error,
 *   xw_writer_last_error); constructors that have no handle yet hand it back through
 *   an optional `char **error_out` the caller frees with free().
 * - Every destructor accepts NULL.
 */

typedef enum xw_status {
	XW_OK = 0,               /* success */
	XW_ERR_NOT_FOUND,        /* no database at that path (or it cannot be opened) */
	XW_ERR_CORRUPT,          /* the database's files are damaged */
	XW_ERR_VERSION,          /* the database format is not one this Xapian reads */
	XW_ERR_LOCKED,           /* another writer holds the database's lock */
	XW_ERR_MODIFIED,         /* the database changed under a reader; reopen and retry */
	XW_ERR_INVALID_ARGUMENT, /* a NULL handle, an empty or over-long term, a bad slot */
	XW_ERR_IO,               /* a file system error while reading or writing */
	XW_ERR_NO_MEMORY,        /* std::bad_alloc */
	XW_ERR_XAPIAN,           /* any other Xapian::Error */
	XW_ERR_UNKNOWN,          /* any other exception */
	XW_STATUS_LAST           /* sentinel, not a status */
} xw_status_t;

/* A static, human-readable name for a status; never NULL. */
const char *xw_status_to_string(xw_status_t status);

/* Longest term Xapian's glass backend accepts, in bytes. */
#define XW_MAX_TERM_BYTES 245

/* ---- Writing ------------------------------------------------------------------ */

typedef struct _xw_writer xw_writer_t;
typedef struct _xw_doc xw_doc_t;

/* Create a new, empty database at `path` (a directory, created if missing; an existing
 * database there is overwritten). On failure *out is untouched and, if error_out is not
 * NULL, *error_out receives a malloc'd message. */
xw_status_t xw_writer_create(const char *path, xw_writer_t **out, char **error_out);

/* Options of a database that is written once and only read after: */
enum {
	XW_NO_TERMLIST = 1, /* keep no list of each document's terms: smaller and quicker to
			     * write, but a document can then be neither replaced nor deleted */
	XW_NO_SYNC = 2,     /* do not fsync on each commit (the caller syncs what it must) */
};

/* As xw_writer_create, with the options above. */
xw_status_t xw_writer_create_lean(const char *path, unsigned options, xw_writer_t **out,
				  char **error_out);

/* Write one compacted database to the new directory `to` (what xapian-compact does) from
 * the n_from databases at from[]: smaller, and quicker to read than they were. Their
 * documents follow one another in the given order, each database's ids offset past the
 * previous one's last. On failure *error_out (if not NULL) receives a malloc'd message. */
xw_status_t xw_compact(const char *const *from, size_t n_from, const char *to,
		       char **error_out);

/* Open an existing database at `path` for writing (a glass directory; nothing is created).
 * Same failure contract as xw_writer_create. */
xw_status_t xw_writer_open(const char *path, xw_writer_t **out, char **error_out);

/* Delete every document indexed by `term` (none is not an error). */
xw_status_t xw_writer_delete_term(xw_writer_t *writer, const char *term);

/* Read a metadata value as xw_db_get_metadata does: a malloc'd, NUL-terminated copy the
 * caller frees, or XW_OK with *out = NULL for a missing key. */
xw_status_t xw_writer_get_metadata(xw_writer_t *writer, const char *key, char **out,
				   size_t *out_len);

/* Add a finished document; the writer copies it, the caller still owns `doc`. */
xw_status_t xw_writer_add_document(xw_writer_t *writer, const xw_doc_t *doc);

/* Store a key/value pair in the database's metadata (value may hold NUL bytes). */
xw_status_t xw_writer_set_metadata(xw_writer_t *writer, const char *key, const char *value,
				   size_t value_len);

/* Flush everything to disk. */
xw_status_t xw_writer_commit(xw_writer_t *writer);

/* The last error's text, or "" when there was none; owned by the writer. */
const char *xw_writer_last_error(const xw_writer_t *writer);

/* Close without committing pending changes and free the handle. Accepts NULL. */
void xw_writer_destroy(xw_writer_t *writer);

/* A document under construction. Fails only with XW_ERR_NO_MEMORY. */
xw_status_t xw_doc_create(xw_doc_t **out);

/* Add one occurrence of `term` at term position `pos` (positions start at 1).
 * XW_ERR_INVALID_ARGUMENT for an empty term or one over XW_MAX_TERM_BYTES. */
xw_status_t xw_doc_add_posting(xw_doc_t *doc, const char *term, size_t term_len, unsigned pos);

/* Add `wdf_inc` occurrences of `term` without positions: it counts for ranking (BM25) and
 * matching but cannot take part in a phrase. Same errors as xw_doc_add_posting. */
xw_status_t xw_doc_add_term(xw_doc_t *doc, const char *term, size_t term_len, unsigned wdf_inc);

/* Add a boolean (filter) term: no positions, no effect on ranking. */
xw_status_t xw_doc_add_boolean_term(xw_doc_t *doc, const char *term);

/* Set value slot `slot` to value[0,len) (what xw_db_search_page counts facets over).
 * XW_ERR_INVALID_ARGUMENT for a NULL value or a slot of XW_BAD_VALUE_SLOT or above. */
#define XW_BAD_VALUE_SLOT 0xFFFFFFFFu
xw_status_t xw_doc_add_value(xw_doc_t *doc, unsigned slot, const char *value, size_t len);

/* Set the document's stored data (returned with every match). */
xw_status_t xw_doc_set_data(xw_doc_t *doc, const char *data, size_t len);

/* Free a document. Accepts NULL. */
void xw_doc_destroy(xw_doc_t *doc);

/* ---- Reading ------------------------------------------------------------------ */

typedef struct _xw_db xw_db_t;
typedef struct _xw_query xw_query_t;

/* Open a database (a glass directory, or a directory holding a XAPIANDB stub file)
 * for reading. On failure *out is untouched and *error_out (if not NULL) receives a
 * malloc'd message. */
xw_status_t xw_db_open(const char *path, xw_db_t **out, char **error_out);

/* Number of documents. */
xw_status_t xw_db_doc_count(xw_db_t *db, unsigned *out);

/* Read a metadata value into a malloc'd, NUL-terminated buffer the caller frees;
 * a missing key gives XW_OK with *out = NULL. */
xw_status_t xw_db_get_metadata(xw_db_t *db, const char *key, char **out, size_t *out_len);

/* The number of documents indexed by `term` (0 when none). */
xw_status_t xw_db_term_freq(xw_db_t *db, const char *term, unsigned *out);

/* The last error's text, or "" when there was none; owned by the handle. */
const char *xw_db_last_error(const xw_db_t *db);

/* Close and free. Accepts NULL. */
void xw_db_destroy(xw_db_t *db);

/* Query trees. A query built from sub-queries copies them, so the caller frees every
 * query it created, in any order. All constructors fail only with XW_ERR_NO_MEMORY or
 * XW_ERR_INVALID_ARGUMENT. */
typedef enum xw_query_op {
	XW_QUERY_AND,       /* every sub-query matches; weights add up */
	XW_QUERY_OR,        /* any sub-query matches */
	XW_QUERY_AND_MAYBE, /* the first sub-query decides; the others only add weight */
	XW_QUERY_FILTER,    /* the first sub-query decides and weighs; the others must match */
	XW_QUERY_AND_NOT,   /* the first sub-query matches and none of the others does */
	XW_QUERY_PHRASE,    /* every sub-query (terms with positions) matches, at consecutive
			     * positions in the order given; weights add up */
	XW_QUERY_SYNONYM,   /* any sub-query matches; weighed as if they were one term */
} xw_query_op_t;

xw_status_t xw_query_term(const char *term, size_t term_len, xw_query_t **out);

/* Every term that starts with prefix[0,prefix_len), expanded when the query runs, weighed
 * as one term (XW_QUERY_SYNONYM); matches nothing when there is none. */
xw_status_t xw_query_prefix(const char *prefix, size_t prefix_len, xw_query_t **out);
xw_status_t xw_query_combine(xw_query_op_t op, xw_query_t *const *subs, size_t n_subs,
			     xw_query_t **out);
void xw_query_destroy(xw_query_t *query);

/* Called once per match, best first. Return non-zero to stop the run. `data` is the
 * document's stored data (not NUL-terminated), valid only during the call. */
typedef int (*xw_match_fn)(void *ctx, unsigned docid, double weight, const char *data,
			   size_t data_len);

/* Run `query` with BM25 and hand every match (all of them, not an estimate) to `fn`.
 * A non-zero return from `fn` ends the run early and is not an error. */
xw_status_t xw_db_search(xw_db_t *db, const xw_query_t *query, xw_match_fn fn, void *ctx);

/* Whether the candidate `docid` matches (non-zero) or not: a check the index cannot make,
 * such as on the document's text. */
typedef int (*xw_decide_fn)(void *ctx, unsigned docid);

/* Told of every match, after the decider, in document id order. */
typedef void (*xw_spy_fn)(void *ctx, unsigned docid);

typedef struct xw_page {
	unsigned offset, limit;  /* the matches handed to the match function: best first,
				  * [offset, offset + limit); limit 0 for every one */
	xw_decide_fn decide;     /* may be NULL: every candidate matches */
	void *decide_ctx;
	xw_spy_fn spy;           /* may be NULL */
	void *spy_ctx;
	xw_match_fn match;       /* may be NULL; it is given no stored data */
	void *match_ctx;
} xw_page_t;

/* Run `query` with BM25, ties in document id order: every candidate goes past
 * page->decide, every match to page->spy, so *total (when not NULL) is the exact number of
 * matches, not an estimate, and the spy has seen them all; then the page's matches go to
 * page->match, best first (no document is read). A non-zero return from the match function
 * ends that part early and is not an error. */
xw_status_t xw_db_search_page(xw_db_t *db, const xw_query_t *query, const xw_page_t *page,
			      unsigned *total);

/* Called for each document holding a term, in document id order, with the term's count in
 * it (wdf). Return non-zero to stop. */
typedef int (*xw_posting_fn)(void *ctx, unsigned docid, unsigned wdf);

/* Hand every posting of the term term[0,term_len) to fn (none is not an error). */
xw_status_t xw_db_postings(xw_db_t *db, const char *term, size_t term_len, xw_posting_fn fn,
			   void *ctx);

/* The stored data of the document that holds the boolean term `term` (the one with the
 * lowest document id if several do), copied into a malloc'd, NUL-terminated buffer the
 * caller frees, its length in *out_len (which may be NULL). No document with the term gives
 * XW_OK with *out = NULL. XW_ERR_INVALID_ARGUMENT for an empty or over-long term. */
xw_status_t xw_db_find_term(xw_db_t *db, const char *term, char **out, size_t *out_len);

/* ---- Posting lists ------------------------------------------------------------- */

/* A term's posting list, read in document id order: for callers that run their own match
 * (the engine counts every match of a query, which Xapian's matcher does several times
 * slower). */
typedef struct _xw_postlist xw_postlist_t;

/* Open the posting list of term[0,term_len) (empty when no document holds it). */
xw_status_t xw_postlist_open(xw_db_t *db, const char *term, size_t term_len,
			     xw_postlist_t **out);

/* Read up to n postings from where the list stands into docids[] and wdfs[] (the term's
 * count in each document); *got is how many, 0 at the end. */
xw_status_t xw_postlist_read(xw_postlist_t *pl, unsigned *docids, unsigned *wdfs, size_t n,
			     size_t *got);

/* Move to the first posting whose document id is docid or more (never back): the next
 * read starts there. */
xw_status_t xw_postlist_skip_to(xw_postlist_t *pl, unsigned docid);

/* How many documents hold the term. Cannot fail. */
unsigned xw_postlist_termfreq(const xw_postlist_t *pl);

/* The last error's text, or ""; owned by the handle. */
const char *xw_postlist_last_error(const xw_postlist_t *pl);

/* Close. Accepts NULL. */
void xw_postlist_destroy(xw_postlist_t *pl);

/* Called for each term of a database with a prefix, in byte order. Non-zero stops. */
typedef int (*xw_term_fn)(void *ctx, const char *term, size_t term_len);

/* Hand fn every term of the database that starts with prefix[0,prefix_len). */
xw_status_t xw_db_terms_with_prefix(xw_db_t *db, const char *prefix, size_t prefix_len,
				    xw_term_fn fn, void *ctx);

/* ---- Testing ------------------------------------------------------------------ */

/* Throw an exception of the named kind ("DatabaseCorruptError", "bad_alloc", "int", ...)
 * inside the wrapper's boundary and return the status it maps to, with the message in
 * *error_out. Exists so the tests can pin the exception mapping. */
xw_status_t xw_debug_map_exception(const char *kind, char **error_out);

#ifdef __cplusplus
}
#endif

#endif
