/* xapwrap.h: the project's thin C API over Xapian (the only C++ in the tree lives behind it). */
#ifndef XAPWRAP_H
#define XAPWRAP_H

#include "status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Conventions (after notmuch's lib/notmuch.h):
 * - Every function returns a ps_status_t (the project's, status.h); results come back
 *   through out-parameters, which are written only on success.
 * - No C++ exception ever crosses this boundary: each exported function catches
 *   Xapian::Error, std::bad_alloc and anything else and maps it to a status.
 * - The text of the last error is kept on the handle (xw_db_last_error,
 *   xw_writer_last_error); constructors that have no handle yet hand it back through
 *   an optional `char **error_out` the caller frees with free().
 * - Every destructor accepts NULL.
 */

/* Longest term Xapian's glass backend accepts, in bytes. */
#define XW_MAX_TERM_BYTES 245

/* ---- Writing ------------------------------------------------------------------ */

typedef struct _xw_writer xw_writer_t;
typedef struct _xw_doc xw_doc_t;

/* Options of a database that is written once and only read after: */
enum {
	XW_NO_TERMLIST = 1, /* keep no list of each document's terms: smaller and quicker to
			     * write, but a document can then be neither replaced nor deleted,
			     * and the database not opened for writing again */
	XW_NO_SYNC = 2,     /* do not fsync on each commit (the caller syncs what it must) */
};

/* Create a new, empty database at `path` (a directory, created if missing; an existing
 * database there is overwritten), with the options above. On failure *out is untouched
 * and, if error_out is not NULL, *error_out receives a malloc'd message (PS_ERR_LOCKED
 * when another writer has it open). */
ps_status_t xw_writer_create_lean(const char *path, unsigned options, xw_writer_t **out,
				  char **error_out);

/* Add a finished document; the writer copies it, the caller still owns `doc`. Documents
 * get the ids 1, 2, … in the order they are added. */
ps_status_t xw_writer_add_document(xw_writer_t *writer, const xw_doc_t *doc);

/* Store a key/value pair in the database's metadata (value may hold NUL bytes). */
ps_status_t xw_writer_set_metadata(xw_writer_t *writer, const char *key, const char *value,
				   size_t value_len);

/* Flush everything to disk. */
ps_status_t xw_writer_commit(xw_writer_t *writer);

/* The last error's text, or "" when there was none; owned by the writer. */
const char *xw_writer_last_error(const xw_writer_t *writer);

/* Close without committing pending changes and free the handle. Accepts NULL. */
void xw_writer_destroy(xw_writer_t *writer);

/* Write one compacted database to the new directory `to` (what xapian-compact does) from
 * the n_from databases at from[]: smaller, and quicker to read than they were. Their
 * documents follow one another in the given order, each database's ids offset past the
 * previous one's last. On failure *error_out (if not NULL) receives a malloc'd message. */
ps_status_t xw_compact(const char *const *from, size_t n_from, const char *to,
		       char **error_out);

/* A document under construction. Fails only with PS_ERR_NO_MEMORY. */
ps_status_t xw_doc_create(xw_doc_t **out);

/* Add `wdf_inc` occurrences of `term` (no positions are kept). PS_ERR_INVALID for an
 * empty term or one over XW_MAX_TERM_BYTES. */
ps_status_t xw_doc_add_term(xw_doc_t *doc, const char *term, size_t term_len, unsigned wdf_inc);

/* Free a document. Accepts NULL. */
void xw_doc_destroy(xw_doc_t *doc);

/* ---- Reading ------------------------------------------------------------------ */

typedef struct _xw_db xw_db_t;

/* Open a database (a glass directory, or a directory holding a XAPIANDB stub file)
 * for reading. On failure *out is untouched and *error_out (if not NULL) receives a
 * malloc'd message. */
ps_status_t xw_db_open(const char *path, xw_db_t **out, char **error_out);

/* Open the database a `xapian-tcpsrv --port PORT` serves on host (a name or an address).
 * timeout_ms bounds the connection and every exchange after it (0: wait for ever); a
 * server that does not answer within it is PS_ERR_NETWORK. On failure *out is untouched
 * and *error_out (if not NULL) receives a malloc'd message. */
ps_status_t xw_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
			      xw_db_t **out, char **error_out);

/* Open the database a program serves on its standard input and output (xapian-progsrv,
 * run as `program args`), as xw_db_open_remote. */
ps_status_t xw_db_open_program(const char *program, const char *args, unsigned timeout_ms,
			       xw_db_t **out, char **error_out);

/* One database made of n others, one after the other: part i's documents get ids offset
 * by the n_docs of the parts before it (each part's ids must run 1 .. n_docs[i]), so
 * posting lists come in part order and a term's frequency is the sum of its parts'. The
 * parts stay the caller's to close, before or after this one (it holds its own reference
 * to each), and may not be concatenations themselves. An error in part i is reported on
 * the posting list as "names[i]: ...". Only the posting lists and terms are read across
 * parts: metadata comes from part 0. On failure *error_out (if not NULL) receives a
 * malloc'd message. */
ps_status_t xw_db_concat(xw_db_t *const *parts, const char *const *names,
			 const unsigned *n_docs, size_t n, xw_db_t **out, char **error_out);

/* Read a metadata value into a malloc'd, NUL-terminated buffer the caller frees;
 * a missing key gives PS_OK with *out = NULL. */
ps_status_t xw_db_get_metadata(xw_db_t *db, const char *key, char **out, size_t *out_len);

/* Bring the database up to date (for a remote one, what its server now has open; that
 * also asks the server whether it is still there): *changed is 1 when it changed since it
 * was opened or last brought up to date, else 0. A server that does not answer gives
 * PS_ERR_NETWORK. */
ps_status_t xw_db_reopen(xw_db_t *db, int *changed);

/* The last error's text, or "" when there was none; owned by the handle. */
const char *xw_db_last_error(const xw_db_t *db);

/* Close and free. Accepts NULL. */
void xw_db_destroy(xw_db_t *db);

/* ---- Posting lists ------------------------------------------------------------- */

/* A term's posting list, read in document id order: for callers that run their own match
 * (the engine counts every match of a query, which Xapian's matcher does several times
 * slower). */
typedef struct _xw_postlist xw_postlist_t;

/* Open the posting list of term[0,term_len) (empty when no document holds it). */
ps_status_t xw_postlist_open(xw_db_t *db, const char *term, size_t term_len,
			     xw_postlist_t **out);

/* Read up to n postings from where the list stands into docids[] and wdfs[] (the term's
 * count in each document); *got is how many, 0 at the end. */
ps_status_t xw_postlist_read(xw_postlist_t *pl, unsigned *docids, unsigned *wdfs, size_t n,
			     size_t *got);

/* Move to the first posting whose document id is docid or more (never back): the next
 * read starts there. */
ps_status_t xw_postlist_skip_to(xw_postlist_t *pl, unsigned docid);

/* How many documents hold the term. Cannot fail. */
unsigned xw_postlist_termfreq(const xw_postlist_t *pl);

/* The last error's text, or ""; owned by the handle. */
const char *xw_postlist_last_error(const xw_postlist_t *pl);

/* Close. Accepts NULL. */
void xw_postlist_destroy(xw_postlist_t *pl);

/* Called for each term of a database with a prefix, in byte order. Non-zero stops. */
typedef int (*xw_term_fn)(void *ctx, const char *term, size_t term_len);

/* Hand fn every term of the database that starts with prefix[0,prefix_len). */
ps_status_t xw_db_terms_with_prefix(xw_db_t *db, const char *prefix, size_t prefix_len,
				    xw_term_fn fn, void *ctx);

/* Called for each term of a database with a prefix and the number of documents holding
 * it, in byte order. Non-zero stops. */
typedef int (*xw_term_freq_fn)(void *ctx, const char *term, size_t term_len, unsigned termfreq);

/* Hand fn every term of the database that starts with prefix[0,prefix_len), with its
 * frequency (read from the term list itself: no posting list is opened). */
ps_status_t xw_db_term_freqs_with_prefix(xw_db_t *db, const char *prefix, size_t prefix_len,
					 xw_term_freq_fn fn, void *ctx);

/* ---- Testing ------------------------------------------------------------------ */

/* Throw an exception of the named kind ("DatabaseCorruptError", "bad_alloc", "int", ...)
 * inside the wrapper's boundary and return the status it maps to, with the message in
 * *error_out. Exists so the tests can pin the exception mapping. */
ps_status_t xw_debug_map_exception(const char *kind, char **error_out);

#ifdef __cplusplus
}
#endif

#endif
