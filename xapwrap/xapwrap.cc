// xapwrap.cc: the C API of xapwrap.h implemented over Xapian; every exception stops here.
#include "xapwrap.h"

#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

struct _xw_writer {
	Xapian::WritableDatabase db;
	std::string last_error;
};

struct _xw_doc {
	Xapian::Document doc;
};

struct _xw_db {
	Xapian::Database db;
	std::string last_error;
};

struct _xw_postlist {
	Xapian::PostingIterator it, end;
	Xapian::doccount termfreq;
	std::string last_error;
};

namespace {

// Store a message without letting an allocation failure escape (the callers are noexcept):
// the status still says what happened if the text cannot be kept.
template <typename Text> void set_message(std::string &message, Text &&text) noexcept
{
	try {
		message = text();
	} catch (...) {
		message.clear();
	}
}

// Map the exception being handled to a status and its message. Must be called from
// inside a catch block: it rethrows the current exception to look at its type, most
// specific Xapian errors first.
ps_status_t map_current_exception(std::string &message) noexcept
{
	try {
		throw;
	} catch (const Xapian::Error &e) {
		set_message(message, [&] { return e.get_description(); });
		try {
			throw;
		} catch (const Xapian::DatabaseNotFoundError &) {
			return PS_ERR_NOT_FOUND;
		} catch (const Xapian::DatabaseLockError &) {
			return PS_ERR_LOCKED;
		} catch (const Xapian::DatabaseVersionError &) {
			return PS_ERR_VERSION;
		} catch (const Xapian::DatabaseOpeningError &) {
			return PS_ERR_NOT_FOUND;
		} catch (const Xapian::DatabaseCorruptError &) {
			return PS_ERR_CORRUPT;
		} catch (const Xapian::DatabaseModifiedError &) {
			return PS_ERR_MODIFIED;
		} catch (const Xapian::DatabaseError &) {
			return PS_ERR_IO; // DatabaseCreateError and other file system failures
		} catch (const Xapian::InvalidArgumentError &) {
			return PS_ERR_INVALID;
		} catch (...) {
			return PS_ERR_XAPIAN;
		}
	} catch (const std::bad_alloc &) {
		set_message(message, [] { return "out of memory"; });
		return PS_ERR_NO_MEMORY;
	} catch (const std::exception &e) {
		set_message(message, [&] { return e.what(); });
		return PS_ERR_UNKNOWN;
	} catch (...) {
		set_message(message, [] { return "unknown exception"; });
		return PS_ERR_UNKNOWN;
	}
}

// Copy a message into a malloc'd C string for an error_out parameter (NULL-safe).
void give_error(char **error_out, const std::string &message) noexcept
{
	if (error_out == nullptr)
		return;
	*error_out = strdup(message.c_str());
}

// Record the current exception on a handle that keeps a last_error string.
template <typename Handle> ps_status_t fail(Handle *handle) noexcept
{
	return map_current_exception(handle->last_error);
}

// For functions with no handle to keep the message on.
ps_status_t fail_quietly() noexcept
{
	std::string message;
	return map_current_exception(message);
}

} // namespace

extern "C" {

/* ---- Writing ---- */

ps_status_t xw_writer_create_lean(const char *path, unsigned options, xw_writer_t **out,
				  char **error_out)
{
	if (path == nullptr || out == nullptr)
		return PS_ERR_INVALID;
	try {
		xw_writer_t *writer = new xw_writer_t;
		try {
			int flags = Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS;
			if (options & XW_NO_TERMLIST)
				flags |= Xapian::DB_NO_TERMLIST;
			if (options & XW_NO_SYNC)
				flags |= Xapian::DB_NO_SYNC;
			writer->db = Xapian::WritableDatabase(path, flags);
		} catch (...) {
			delete writer;
			throw;
		}
		*out = writer;
		return PS_OK;
	} catch (...) {
		std::string message;
		ps_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

// A metadata value into a malloc'd, NUL-terminated copy; NULL for a missing key.
static void copy_metadata(const std::string &value, char **out, size_t *out_len)
{
	if (value.empty()) {
		*out = nullptr;
		if (out_len != nullptr)
			*out_len = 0;
		return;
	}
	char *copy = static_cast<char *>(malloc(value.size() + 1));
	if (copy == nullptr)
		throw std::bad_alloc();
	memcpy(copy, value.data(), value.size());
	copy[value.size()] = '\0';
	*out = copy;
	if (out_len != nullptr)
		*out_len = value.size();
}

ps_status_t xw_writer_add_document(xw_writer_t *writer, const xw_doc_t *doc)
{
	if (writer == nullptr || doc == nullptr)
		return PS_ERR_INVALID;
	try {
		writer->db.add_document(doc->doc);
		return PS_OK;
	} catch (...) {
		return fail(writer);
	}
}

ps_status_t xw_writer_set_metadata(xw_writer_t *writer, const char *key, const char *value,
				   size_t value_len)
{
	if (writer == nullptr || key == nullptr || *key == '\0' || value == nullptr)
		return PS_ERR_INVALID;
	try {
		writer->db.set_metadata(key, std::string(value, value_len));
		return PS_OK;
	} catch (...) {
		return fail(writer);
	}
}

ps_status_t xw_writer_commit(xw_writer_t *writer)
{
	if (writer == nullptr)
		return PS_ERR_INVALID;
	try {
		writer->db.commit();
		return PS_OK;
	} catch (...) {
		return fail(writer);
	}
}

const char *xw_writer_last_error(const xw_writer_t *writer)
{
	return writer == nullptr ? "" : writer->last_error.c_str();
}

void xw_writer_destroy(xw_writer_t *writer)
{
	if (writer == nullptr)
		return;
	try {
		// Closing releases the lock; uncommitted changes are discarded.
		writer->db.close();
	} catch (...) {
		// Nothing useful can be done with a failure to close.
	}
	delete writer;
}

ps_status_t xw_doc_create(xw_doc_t **out)
{
	if (out == nullptr)
		return PS_ERR_INVALID;
	try {
		*out = new xw_doc_t;
		return PS_OK;
	} catch (...) {
		return fail_quietly();
	}
}

ps_status_t xw_doc_add_term(xw_doc_t *doc, const char *term, size_t term_len, unsigned wdf_inc)
{
	if (doc == nullptr || term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES)
		return PS_ERR_INVALID;
	try {
		doc->doc.add_term(std::string(term, term_len), wdf_inc);
		return PS_OK;
	} catch (...) {
		return fail_quietly();
	}
}

void xw_doc_destroy(xw_doc_t *doc)
{
	delete doc;
}

/* ---- Reading ---- */

ps_status_t xw_db_open(const char *path, xw_db_t **out, char **error_out)
{
	if (path == nullptr || out == nullptr)
		return PS_ERR_INVALID;
	try {
		xw_db_t *db = new xw_db_t;
		try {
			db->db = Xapian::Database(path);
		} catch (...) {
			delete db;
			throw;
		}
		*out = db;
		return PS_OK;
	} catch (...) {
		std::string message;
		ps_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

ps_status_t xw_db_get_metadata(xw_db_t *db, const char *key, char **out, size_t *out_len)
{
	if (db == nullptr || key == nullptr || *key == '\0' || out == nullptr)
		return PS_ERR_INVALID;
	try {
		copy_metadata(db->db.get_metadata(key), out, out_len);
		return PS_OK;
	} catch (...) {
		return fail(db);
	}
}

const char *xw_db_last_error(const xw_db_t *db)
{
	return db == nullptr ? "" : db->last_error.c_str();
}

void xw_db_destroy(xw_db_t *db)
{
	delete db;
}

ps_status_t xw_compact(const char *const *from, size_t n_from, const char *to,
		       char **error_out)
{
	if (from == nullptr || n_from == 0 || to == nullptr)
		return PS_ERR_INVALID;
	for (size_t i = 0; i < n_from; i++)
		if (from[i] == nullptr)
			return PS_ERR_INVALID;
	try {
		// the sources' documents follow one another: each source's ids are offset
		// past the previous source's last
		Xapian::Database source(from[0]);
		for (size_t i = 1; i < n_from; i++)
			source.add_database(Xapian::Database(from[i]));
		source.compact(to, Xapian::DBCOMPACT_MULTIPASS);
		return PS_OK;
	} catch (...) {
		std::string message;
		ps_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

/* ---- Testing ---- */

ps_status_t xw_debug_map_exception(const char *kind, char **error_out)
{
	try {
		std::string k = kind == nullptr ? "" : kind;
		if (k == "DatabaseNotFoundError")
			throw Xapian::DatabaseNotFoundError("test: not found");
		if (k == "DatabaseOpeningError")
			throw Xapian::DatabaseOpeningError("test: cannot open");
		if (k == "DatabaseLockError")
			throw Xapian::DatabaseLockError("test: locked");
		if (k == "DatabaseVersionError")
			throw Xapian::DatabaseVersionError("test: old format");
		if (k == "DatabaseCorruptError")
			throw Xapian::DatabaseCorruptError("test: corrupt");
		if (k == "DatabaseModifiedError")
			throw Xapian::DatabaseModifiedError("test: modified");
		if (k == "DatabaseError")
			throw Xapian::DatabaseError("test: io");
		if (k == "InvalidArgumentError")
			throw Xapian::InvalidArgumentError("test: bad argument");
		if (k == "RangeError")
			throw Xapian::RangeError("test: range");
		if (k == "bad_alloc")
			throw std::bad_alloc();
		if (k == "runtime_error")
			throw std::runtime_error("test: runtime");
		if (k == "int")
			throw 42;
		give_error(error_out, "no exception thrown");
		return PS_OK;
	} catch (...) {
		std::string message;
		ps_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

} // extern "C"

ps_status_t xw_postlist_open(xw_db_t *db, const char *term, size_t term_len,
			     xw_postlist_t **out)
{
	if (db == nullptr || term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES ||
	    out == nullptr)
		return PS_ERR_INVALID;
	try {
		std::string t(term, term_len);
		xw_postlist_t *pl = new xw_postlist_t{db->db.postlist_begin(t), db->db.postlist_end(t),
						      db->db.get_termfreq(t), std::string()};
		*out = pl;
		return PS_OK;
	} catch (...) {
		return fail(db);
	}
}

ps_status_t xw_postlist_read(xw_postlist_t *pl, unsigned *docids, unsigned *wdfs, size_t n,
			     size_t *got)
{
	if (pl == nullptr || docids == nullptr || wdfs == nullptr || got == nullptr)
		return PS_ERR_INVALID;
	try {
		size_t k = 0;
		for (; k < n && pl->it != pl->end; ++pl->it, k++) {
			docids[k] = *pl->it;
			wdfs[k] = pl->it.get_wdf();
		}
		*got = k;
		return PS_OK;
	} catch (...) {
		return fail(pl);
	}
}

ps_status_t xw_postlist_skip_to(xw_postlist_t *pl, unsigned docid)
{
	if (pl == nullptr)
		return PS_ERR_INVALID;
	try {
		if (pl->it != pl->end)
			pl->it.skip_to(docid);
		return PS_OK;
	} catch (...) {
		return fail(pl);
	}
}

unsigned xw_postlist_termfreq(const xw_postlist_t *pl)
{
	return pl != nullptr ? pl->termfreq : 0;
}

const char *xw_postlist_last_error(const xw_postlist_t *pl)
{
	return pl != nullptr ? pl->last_error.c_str() : "";
}

void xw_postlist_destroy(xw_postlist_t *pl)
{
	delete pl;
}

ps_status_t xw_db_terms_with_prefix(xw_db_t *db, const char *prefix, size_t prefix_len,
				    xw_term_fn fn, void *ctx)
{
	if (db == nullptr || prefix == nullptr || prefix_len == 0 || fn == nullptr)
		return PS_ERR_INVALID;
	try {
		std::string p(prefix, prefix_len);
		for (Xapian::TermIterator it = db->db.allterms_begin(p); it != db->db.allterms_end(p);
		     ++it) {
			const std::string &t = *it;
			if (fn(ctx, t.data(), t.size()) != 0)
				break;
		}
		return PS_OK;
	} catch (...) {
		return fail(db);
	}
}
