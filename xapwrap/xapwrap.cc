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

struct _xw_query {
	Xapian::Query query;
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
xw_status_t map_current_exception(std::string &message) noexcept
{
	try {
		throw;
	} catch (const Xapian::Error &e) {
		set_message(message, [&] { return e.get_description(); });
		try {
			throw;
		} catch (const Xapian::DatabaseNotFoundError &) {
			return XW_ERR_NOT_FOUND;
		} catch (const Xapian::DatabaseLockError &) {
			return XW_ERR_LOCKED;
		} catch (const Xapian::DatabaseVersionError &) {
			return XW_ERR_VERSION;
		} catch (const Xapian::DatabaseOpeningError &) {
			return XW_ERR_NOT_FOUND;
		} catch (const Xapian::DatabaseCorruptError &) {
			return XW_ERR_CORRUPT;
		} catch (const Xapian::DatabaseModifiedError &) {
			return XW_ERR_MODIFIED;
		} catch (const Xapian::DatabaseError &) {
			return XW_ERR_IO; // DatabaseCreateError and other file system failures
		} catch (const Xapian::InvalidArgumentError &) {
			return XW_ERR_INVALID_ARGUMENT;
		} catch (...) {
			return XW_ERR_XAPIAN;
		}
	} catch (const std::bad_alloc &) {
		set_message(message, [] { return "out of memory"; });
		return XW_ERR_NO_MEMORY;
	} catch (const std::exception &e) {
		set_message(message, [&] { return e.what(); });
		return XW_ERR_UNKNOWN;
	} catch (...) {
		set_message(message, [] { return "unknown exception"; });
		return XW_ERR_UNKNOWN;
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
template <typename Handle> xw_status_t fail(Handle *handle) noexcept
{
	return map_current_exception(handle->last_error);
}

// For functions with no handle to keep the message on.
xw_status_t fail_quietly() noexcept
{
	std::string message;
	return map_current_exception(message);
}

} // namespace

extern "C" {

const char *xw_status_to_string(xw_status_t status)
{
	switch (status) {
	case XW_OK: return "success";
	case XW_ERR_NOT_FOUND: return "database not found";
	case XW_ERR_CORRUPT: return "database corrupt";
	case XW_ERR_VERSION: return "unsupported database version";
	case XW_ERR_LOCKED: return "database locked by another writer";
	case XW_ERR_MODIFIED: return "database modified while reading";
	case XW_ERR_INVALID_ARGUMENT: return "invalid argument";
	case XW_ERR_IO: return "file system error";
	case XW_ERR_NO_MEMORY: return "out of memory";
	case XW_ERR_XAPIAN: return "Xapian error";
	case XW_ERR_UNKNOWN: return "unknown error";
	case XW_STATUS_LAST: break;
	}
	return "invalid status";
}

/* ---- Writing ---- */

xw_status_t xw_writer_create(const char *path, xw_writer_t **out, char **error_out)
{
	return xw_writer_create_lean(path, 0, out, error_out);
}

xw_status_t xw_writer_create_lean(const char *path, unsigned options, xw_writer_t **out,
				  char **error_out)
{
	if (path == nullptr || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
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
		return XW_OK;
	} catch (...) {
		std::string message;
		xw_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

xw_status_t xw_writer_open(const char *path, xw_writer_t **out, char **error_out)
{
	if (path == nullptr || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		xw_writer_t *writer = new xw_writer_t;
		try {
			writer->db = Xapian::WritableDatabase(
				path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
		} catch (...) {
			delete writer;
			throw;
		}
		*out = writer;
		return XW_OK;
	} catch (...) {
		std::string message;
		xw_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

xw_status_t xw_writer_delete_term(xw_writer_t *writer, const char *term)
{
	if (writer == nullptr || term == nullptr || *term == '\0')
		return XW_ERR_INVALID_ARGUMENT;
	try {
		writer->db.delete_document(std::string(term));
		return XW_OK;
	} catch (...) {
		return fail(writer);
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

xw_status_t xw_writer_get_metadata(xw_writer_t *writer, const char *key, char **out,
				   size_t *out_len)
{
	if (writer == nullptr || key == nullptr || *key == '\0' || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		copy_metadata(writer->db.get_metadata(key), out, out_len);
		return XW_OK;
	} catch (...) {
		return fail(writer);
	}
}

xw_status_t xw_writer_add_document(xw_writer_t *writer, const xw_doc_t *doc)
{
	if (writer == nullptr || doc == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		writer->db.add_document(doc->doc);
		return XW_OK;
	} catch (...) {
		return fail(writer);
	}
}

xw_status_t xw_writer_set_metadata(xw_writer_t *writer, const char *key, const char *value,
				   size_t value_len)
{
	if (writer == nullptr || key == nullptr || *key == '\0' || value == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		writer->db.set_metadata(key, std::string(value, value_len));
		return XW_OK;
	} catch (...) {
		return fail(writer);
	}
}

xw_status_t xw_writer_commit(xw_writer_t *writer)
{
	if (writer == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		writer->db.commit();
		return XW_OK;
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

xw_status_t xw_doc_create(xw_doc_t **out)
{
	if (out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		*out = new xw_doc_t;
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

xw_status_t xw_doc_add_posting(xw_doc_t *doc, const char *term, size_t term_len, unsigned pos)
{
	if (doc == nullptr || term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		doc->doc.add_posting(std::string(term, term_len), pos);
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

xw_status_t xw_doc_add_term(xw_doc_t *doc, const char *term, size_t term_len, unsigned wdf_inc)
{
	if (doc == nullptr || term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		doc->doc.add_term(std::string(term, term_len), wdf_inc);
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

xw_status_t xw_doc_add_boolean_term(xw_doc_t *doc, const char *term)
{
	if (doc == nullptr || term == nullptr || *term == '\0' ||
	    strlen(term) > XW_MAX_TERM_BYTES)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		doc->doc.add_boolean_term(term);
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

xw_status_t xw_doc_add_value(xw_doc_t *doc, unsigned slot, const char *value, size_t len)
{
	if (doc == nullptr || value == nullptr || slot >= XW_BAD_VALUE_SLOT)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		doc->doc.add_value(slot, std::string(value, len));
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

xw_status_t xw_doc_set_data(xw_doc_t *doc, const char *data, size_t len)
{
	if (doc == nullptr || data == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		doc->doc.set_data(std::string(data, len));
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

void xw_doc_destroy(xw_doc_t *doc)
{
	delete doc;
}

/* ---- Reading ---- */

xw_status_t xw_db_open(const char *path, xw_db_t **out, char **error_out)
{
	if (path == nullptr || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		xw_db_t *db = new xw_db_t;
		try {
			db->db = Xapian::Database(path);
		} catch (...) {
			delete db;
			throw;
		}
		*out = db;
		return XW_OK;
	} catch (...) {
		std::string message;
		xw_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

xw_status_t xw_db_doc_count(xw_db_t *db, unsigned *out)
{
	if (db == nullptr || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		*out = db->db.get_doccount();
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}

xw_status_t xw_db_get_metadata(xw_db_t *db, const char *key, char **out, size_t *out_len)
{
	if (db == nullptr || key == nullptr || *key == '\0' || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		std::string value = db->db.get_metadata(key);
		if (value.empty()) {
			*out = nullptr;
			if (out_len != nullptr)
				*out_len = 0;
			return XW_OK;
		}
		char *copy = static_cast<char *>(malloc(value.size() + 1));
		if (copy == nullptr)
			throw std::bad_alloc();
		memcpy(copy, value.data(), value.size());
		copy[value.size()] = '\0';
		*out = copy;
		if (out_len != nullptr)
			*out_len = value.size();
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}

xw_status_t xw_db_term_freq(xw_db_t *db, const char *term, unsigned *out)
{
	if (db == nullptr || term == nullptr || *term == '\0' || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		*out = db->db.get_termfreq(term);
		return XW_OK;
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

xw_status_t xw_query_term(const char *term, size_t term_len, xw_query_t **out)
{
	if (term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		*out = new xw_query_t{Xapian::Query(std::string(term, term_len))};
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

xw_status_t xw_query_prefix(const char *prefix, size_t prefix_len, xw_query_t **out)
{
	if (prefix == nullptr || prefix_len == 0 || prefix_len > XW_MAX_TERM_BYTES || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		// expanded when the query runs, to every term of the database with the prefix,
		// weighed together as one (no limit on how many)
		*out = new xw_query_t{Xapian::Query(Xapian::Query::OP_WILDCARD,
						    std::string(prefix, prefix_len), 0,
						    Xapian::Query::WILDCARD_LIMIT_ERROR,
						    Xapian::Query::OP_SYNONYM)};
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

xw_status_t xw_query_combine(xw_query_op_t op, xw_query_t *const *subs, size_t n_subs,
			     xw_query_t **out)
{
	if (subs == nullptr || n_subs == 0 || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	Xapian::Query::op xop;
	switch (op) {
	case XW_QUERY_AND: xop = Xapian::Query::OP_AND; break;
	case XW_QUERY_OR: xop = Xapian::Query::OP_OR; break;
	case XW_QUERY_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
	case XW_QUERY_FILTER: xop = Xapian::Query::OP_FILTER; break;
	case XW_QUERY_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
	case XW_QUERY_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
	case XW_QUERY_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
	default: return XW_ERR_INVALID_ARGUMENT;
	}
	for (size_t i = 0; i < n_subs; i++)
		if (subs[i] == nullptr)
			return XW_ERR_INVALID_ARGUMENT;
	try {
		std::vector<Xapian::Query> parts;
		parts.reserve(n_subs);
		for (size_t i = 0; i < n_subs; i++)
			parts.push_back(subs[i]->query);
		// A phrase's window is its length: the terms must be at consecutive positions.
		Xapian::termcount window = op == XW_QUERY_PHRASE ? Xapian::termcount(n_subs) : 0;
		*out = new xw_query_t{Xapian::Query(xop, parts.begin(), parts.end(), window)};
		return XW_OK;
	} catch (...) {
		return fail_quietly();
	}
}

void xw_query_destroy(xw_query_t *query)
{
	delete query;
}

xw_status_t xw_db_search(xw_db_t *db, const xw_query_t *query, xw_match_fn fn, void *ctx)
{
	if (db == nullptr || query == nullptr || fn == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		Xapian::Enquire enquire(db->db);
		enquire.set_query(query->query);
		enquire.set_weighting_scheme(Xapian::BM25Weight());
		// Ask for every match: the caller needs the exact set, not an estimate.
		Xapian::doccount all = db->db.get_doccount();
		Xapian::MSet mset = enquire.get_mset(0, all, all);
		for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
			std::string data = it.get_document().get_data();
			if (fn(ctx, *it, it.get_weight(), data.data(), data.size()) != 0)
				break;
		}
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}

namespace {

// The caller's decision on each candidate, by document id (the document itself is never
// read: get_docid needs nothing from disk).
class CallbackDecider : public Xapian::MatchDecider {
    public:
	xw_decide_fn fn;
	void *ctx;
	CallbackDecider(xw_decide_fn f, void *c) : fn(f), ctx(c) {}
	bool operator()(const Xapian::Document &doc) const override
	{
		return fn(ctx, doc.get_docid()) != 0;
	}
};

// Hands the id of every match (after the decider) to the caller.
class CallbackSpy : public Xapian::MatchSpy {
    public:
	xw_spy_fn fn;
	void *ctx;
	CallbackSpy(xw_spy_fn f, void *c) : fn(f), ctx(c) {}
	void operator()(const Xapian::Document &doc, double) override
	{
		fn(ctx, doc.get_docid());
	}
};

} // namespace

xw_status_t xw_db_search_page(xw_db_t *db, const xw_query_t *query, const xw_page_t *page,
			      unsigned *total)
{
	if (db == nullptr || query == nullptr || page == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		Xapian::Enquire enquire(db->db);
		enquire.set_query(query->query);
		enquire.set_weighting_scheme(Xapian::BM25Weight());
		enquire.set_docid_order(Xapian::Enquire::ASCENDING);
		CallbackSpy spy(page->spy, page->spy_ctx);
		if (page->spy != nullptr)
			enquire.add_matchspy(&spy);
		CallbackDecider decider(page->decide, page->decide_ctx);
		// check_at_least = every document: the total and what the spy saw are then
		// exact, and every candidate went past the decider.
		Xapian::doccount all = db->db.get_doccount();
		Xapian::doccount limit = page->limit == 0 ? all : page->limit;
		Xapian::MSet mset = enquire.get_mset(page->offset, limit, all, nullptr,
						     page->decide != nullptr ? &decider : nullptr);
		if (total != nullptr)
			*total = mset.get_matches_estimated();
		if (page->match != nullptr)
			for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
				if (page->match(page->match_ctx, *it, it.get_weight(), nullptr, 0) != 0)
					break;
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}

xw_status_t xw_db_postings(xw_db_t *db, const char *term, size_t term_len, xw_posting_fn fn,
			   void *ctx)
{
	if (db == nullptr || term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES ||
	    fn == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		std::string t(term, term_len);
		Xapian::PostingIterator end = db->db.postlist_end(t);
		for (Xapian::PostingIterator it = db->db.postlist_begin(t); it != end; ++it)
			if (fn(ctx, *it, it.get_wdf()) != 0)
				break;
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}

xw_status_t xw_compact(const char *const *from, size_t n_from, const char *to,
		       char **error_out)
{
	if (from == nullptr || n_from == 0 || to == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	for (size_t i = 0; i < n_from; i++)
		if (from[i] == nullptr)
			return XW_ERR_INVALID_ARGUMENT;
	try {
		// the sources' documents follow one another: each source's ids are offset
		// past the previous source's last
		Xapian::Database source(from[0]);
		for (size_t i = 1; i < n_from; i++)
			source.add_database(Xapian::Database(from[i]));
		source.compact(to, Xapian::DBCOMPACT_MULTIPASS);
		return XW_OK;
	} catch (...) {
		std::string message;
		xw_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

xw_status_t xw_db_find_term(xw_db_t *db, const char *term, char **out, size_t *out_len)
{
	if (db == nullptr || term == nullptr || *term == '\0' ||
	    strlen(term) > XW_MAX_TERM_BYTES || out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		Xapian::PostingIterator it = db->db.postlist_begin(term);
		if (it == db->db.postlist_end(term)) {
			*out = nullptr;
			if (out_len != nullptr)
				*out_len = 0;
			return XW_OK;
		}
		std::string data = db->db.get_document(*it).get_data();
		char *copy = static_cast<char *>(malloc(data.size() + 1));
		if (copy == nullptr)
			throw std::bad_alloc();
		memcpy(copy, data.data(), data.size());
		copy[data.size()] = '\0';
		*out = copy;
		if (out_len != nullptr)
			*out_len = data.size();
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}

/* ---- Testing ---- */

xw_status_t xw_debug_map_exception(const char *kind, char **error_out)
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
		return XW_OK;
	} catch (...) {
		std::string message;
		xw_status_t status = map_current_exception(message);
		give_error(error_out, message);
		return status;
	}
}

} // extern "C"

xw_status_t xw_postlist_open(xw_db_t *db, const char *term, size_t term_len,
			     xw_postlist_t **out)
{
	if (db == nullptr || term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES ||
	    out == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		std::string t(term, term_len);
		xw_postlist_t *pl = new xw_postlist_t{db->db.postlist_begin(t), db->db.postlist_end(t),
						      db->db.get_termfreq(t), std::string()};
		*out = pl;
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}

xw_status_t xw_postlist_read(xw_postlist_t *pl, unsigned *docids, unsigned *wdfs, size_t n,
			     size_t *got)
{
	if (pl == nullptr || docids == nullptr || wdfs == nullptr || got == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		size_t k = 0;
		for (; k < n && pl->it != pl->end; ++pl->it, k++) {
			docids[k] = *pl->it;
			wdfs[k] = pl->it.get_wdf();
		}
		*got = k;
		return XW_OK;
	} catch (...) {
		return fail(pl);
	}
}

xw_status_t xw_postlist_skip_to(xw_postlist_t *pl, unsigned docid)
{
	if (pl == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		if (pl->it != pl->end)
			pl->it.skip_to(docid);
		return XW_OK;
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

xw_status_t xw_db_terms_with_prefix(xw_db_t *db, const char *prefix, size_t prefix_len,
				    xw_term_fn fn, void *ctx)
{
	if (db == nullptr || prefix == nullptr || prefix_len == 0 || fn == nullptr)
		return XW_ERR_INVALID_ARGUMENT;
	try {
		std::string p(prefix, prefix_len);
		for (Xapian::TermIterator it = db->db.allterms_begin(p); it != db->db.allterms_end(p);
		     ++it) {
			const std::string &t = *it;
			if (fn(ctx, t.data(), t.size()) != 0)
				break;
		}
		return XW_OK;
	} catch (...) {
		return fail(db);
	}
}
