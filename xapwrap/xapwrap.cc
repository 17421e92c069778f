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
	Xapian::Database db; // one database; for a concatenation, all of them (for allterms)
	std::string last_error;
	bool remote = false; // opened through xapian-tcpsrv or a program (xw_db_open_remote)
	// A concatenation (xw_db_concat): its parts in order, the document id each part's
	// ids are offset by, the name an error in each is reported under, and whether it is
	// remote. Empty for one database opened by itself.
	std::vector<Xapian::Database> parts;
	std::vector<Xapian::docid> bases;
	std::vector<std::string> names;
	std::vector<bool> remotes;
};

// A term's postings: for a concatenation, each part's list in turn, ids offset by its base.
// A remote part's list is fetched whole, in one exchange, into ids and wdfs (see
// fetch_postings): Xapian 1.4's remote protocol sends a posting list itself one message a
// posting, some ten times slower.
struct _xw_postlist {
	Xapian::PostingIterator it, end; // in the part being read, when it is not fetched
	Xapian::doccount termfreq;
	std::string last_error;
	const _xw_db *db;     // for a concatenation's parts; nullptr otherwise
	std::string term;     // for a concatenation: what the next part's list is opened for
	size_t part;          // the part being read
	Xapian::docid base;   // its offset
	std::vector<Xapian::doccount> part_termfreqs; // a concatenation's, per part
	bool fetched;         // the part being read is in ids and wdfs, from at on
	std::vector<Xapian::docid> ids;
	std::vector<Xapian::termcount> wdfs;
	size_t at;
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
		} catch (const Xapian::NetworkError &) {
			return PS_ERR_NETWORK; // NetworkTimeoutError too: a shard that went quiet
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

// Open a database through `open` (which may throw) into a new handle.
template <typename Open> ps_status_t open_db(Open &&open, xw_db_t **out, char **error_out)
{
	try {
		xw_db_t *db = new xw_db_t;
		try {
			db->db = open();
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
	return open_db([&] { return Xapian::Database(path); }, out, error_out);
}

ps_status_t xw_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
			      xw_db_t **out, char **error_out)
{
	if (host == nullptr || *host == '\0' || port == 0 || port > 65535 || out == nullptr)
		return PS_ERR_INVALID;
	ps_status_t st = open_db(
		[&] { return Xapian::Remote::open(host, port, timeout_ms, timeout_ms); }, out,
		error_out);
	if (st == PS_OK)
		(*out)->remote = true;
	return st;
}

ps_status_t xw_db_open_program(const char *program, const char *args, unsigned timeout_ms,
			       xw_db_t **out, char **error_out)
{
	if (program == nullptr || *program == '\0' || args == nullptr || out == nullptr)
		return PS_ERR_INVALID;
	ps_status_t st =
		open_db([&] { return Xapian::Remote::open(program, args, timeout_ms); }, out, error_out);
	if (st == PS_OK)
		(*out)->remote = true;
	return st;
}

ps_status_t xw_db_concat(xw_db_t *const *parts, const char *const *names,
			 const unsigned *n_docs, size_t n, xw_db_t **out, char **error_out)
{
	if (parts == nullptr || names == nullptr || n_docs == nullptr || n == 0 || out == nullptr)
		return PS_ERR_INVALID;
	for (size_t i = 0; i < n; i++)
		if (parts[i] == nullptr || !parts[i]->parts.empty() || names[i] == nullptr)
			return PS_ERR_INVALID;
	xw_db_t *db = nullptr;
	try {
		db = new xw_db_t;
		Xapian::docid base = 0;
		for (size_t i = 0; i < n; i++) {
			db->db.add_database(parts[i]->db); // a handle: the connection is shared
			db->parts.push_back(parts[i]->db);
			db->bases.push_back(base);
			db->names.push_back(names[i]);
			db->remotes.push_back(parts[i]->remote);
			base += n_docs[i];
		}
		*out = db;
		return PS_OK;
	} catch (...) {
		delete db;
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

ps_status_t xw_db_reopen(xw_db_t *db, int *changed)
{
	if (db == nullptr || changed == nullptr)
		return PS_ERR_INVALID;
	try {
		*changed = db->db.reopen() ? 1 : 0;
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

// Record the current exception on a posting list, naming the concatenation's part it came
// from ("remote 10.0.0.2:33333: NetworkError: ...").
static ps_status_t fail_postlist(xw_postlist_t *pl) noexcept
{
	ps_status_t status = map_current_exception(pl->last_error);
	if (pl->db != nullptr && pl->part < pl->db->names.size())
		set_message(pl->last_error,
			    [&] { return pl->db->names[pl->part] + ": " + pl->last_error; });
	return status;
}

// Fetch a remote part's whole posting list of pl->term in one exchange: a match of the term
// alone in which each document's weight is its wdf (TfIdfWeight "nnn": the wdf, no idf, no
// normalisation), which stock xapian-tcpsrv runs, every match asked for; sorted by id here.
static void fetch_postings(xw_postlist_t *pl, const Xapian::Database &d, Xapian::doccount tf)
{
	pl->ids.clear();
	pl->wdfs.clear();
	pl->at = 0;
	if (tf == 0)
		return;
	Xapian::Enquire enquire(d);
	enquire.set_query(Xapian::Query(pl->term));
	enquire.set_weighting_scheme(Xapian::TfIdfWeight("nnn"));
	enquire.set_docid_order(Xapian::Enquire::ASCENDING);
	Xapian::MSet mset = enquire.get_mset(0, tf, tf);
	std::vector<std::pair<Xapian::docid, Xapian::termcount>> got;
	got.reserve(mset.size());
	for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m)
		got.emplace_back(*m, static_cast<Xapian::termcount>(m.get_weight() + 0.5));
	std::sort(got.begin(), got.end());
	pl->ids.reserve(got.size());
	pl->wdfs.reserve(got.size());
	for (const auto &g : got) {
		pl->ids.push_back(g.first);
		pl->wdfs.push_back(g.second);
	}
}

// Make part k of a concatenation the one pl reads, from its start.
static void load_part(xw_postlist_t *pl, size_t k)
{
	pl->part = k;
	pl->base = pl->db->bases[k];
	const Xapian::Database &d = pl->db->parts[k];
	pl->fetched = pl->db->remotes[k];
	if (pl->fetched) {
		pl->it = pl->end = Xapian::PostingIterator();
		fetch_postings(pl, d, pl->part_termfreqs[k]);
	} else {
		pl->it = d.postlist_begin(pl->term);
		pl->end = d.postlist_end(pl->term);
	}
}

// Move a concatenation's list to its next part; false when there is none.
static bool next_part(xw_postlist_t *pl)
{
	if (pl->db == nullptr || pl->part + 1 >= pl->db->parts.size())
		return false;
	load_part(pl, pl->part + 1);
	return true;
}

// Whether the part being read has no more postings.
static bool part_done(const xw_postlist_t *pl)
{
	return pl->fetched ? pl->at >= pl->ids.size() : pl->it == pl->end;
}

ps_status_t xw_postlist_open(xw_db_t *db, const char *term, size_t term_len,
			     xw_postlist_t **out)
{
	if (db == nullptr || term == nullptr || term_len == 0 || term_len > XW_MAX_TERM_BYTES ||
	    out == nullptr)
		return PS_ERR_INVALID;
	xw_postlist_t *pl = nullptr;
	try {
		pl = new xw_postlist_t();
		pl->term.assign(term, term_len);
		if (db->parts.empty()) {
			pl->it = db->db.postlist_begin(pl->term);
			pl->end = db->db.postlist_end(pl->term);
			pl->termfreq = db->db.get_termfreq(pl->term);
		} else {
			// every part's frequency now (the global statistics a ranking needs), each
			// part's postings when the reading reaches it
			pl->db = db;
			for (pl->part = 0; pl->part < db->parts.size(); pl->part++) {
				Xapian::doccount tf = db->parts[pl->part].get_termfreq(pl->term);
				pl->part_termfreqs.push_back(tf);
				pl->termfreq += tf;
			}
			load_part(pl, 0);
		}
		*out = pl;
		return PS_OK;
	} catch (...) {
		ps_status_t status = PS_ERR_UNKNOWN;
		if (pl != nullptr) {
			status = fail_postlist(pl);
			set_message(db->last_error, [&] { return pl->last_error; });
		} else {
			status = fail(db);
		}
		delete pl;
		return status;
	}
}

ps_status_t xw_postlist_read(xw_postlist_t *pl, unsigned *docids, unsigned *wdfs, size_t n,
			     size_t *got)
{
	if (pl == nullptr || docids == nullptr || wdfs == nullptr || got == nullptr)
		return PS_ERR_INVALID;
	try {
		size_t k = 0;
		while (k < n) {
			if (pl->fetched) {
				for (; k < n && pl->at < pl->ids.size(); pl->at++, k++) {
					docids[k] = pl->ids[pl->at] + pl->base;
					wdfs[k] = pl->wdfs[pl->at];
				}
			} else {
				for (; k < n && pl->it != pl->end; ++pl->it, k++) {
					docids[k] = *pl->it + pl->base;
					wdfs[k] = pl->it.get_wdf();
				}
			}
			if (k < n && !next_part(pl))
				break;
		}
		*got = k;
		return PS_OK;
	} catch (...) {
		return fail_postlist(pl);
	}
}

ps_status_t xw_postlist_skip_to(xw_postlist_t *pl, unsigned docid)
{
	if (pl == nullptr)
		return PS_ERR_INVALID;
	try {
		// past the parts that end before docid
		while (pl->db != nullptr && pl->part + 1 < pl->db->parts.size() &&
		       docid > pl->db->bases[pl->part + 1])
			next_part(pl);
		if (part_done(pl) || docid <= pl->base)
			return PS_OK;
		Xapian::docid want = docid - pl->base;
		if (pl->fetched)
			pl->at = static_cast<size_t>(
				std::lower_bound(pl->ids.begin() + static_cast<std::ptrdiff_t>(pl->at),
						 pl->ids.end(), want) -
				pl->ids.begin());
		else
			pl->it.skip_to(want);
		return PS_OK;
	} catch (...) {
		return fail_postlist(pl);
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

/* Call take(iterator) for every term of db starting with prefix[0,prefix_len), in byte order,
 * until it returns non-zero. */
template <typename Take>
static ps_status_t each_term(xw_db_t *db, const char *prefix, size_t prefix_len, Take take)
{
	if (db == nullptr || prefix == nullptr || prefix_len == 0)
		return PS_ERR_INVALID;
	try {
		std::string p(prefix, prefix_len);
		for (Xapian::TermIterator it = db->db.allterms_begin(p); it != db->db.allterms_end(p);
		     ++it)
			if (take(it) != 0)
				break;
		return PS_OK;
	} catch (...) {
		return fail(db);
	}
}

ps_status_t xw_db_terms_with_prefix(xw_db_t *db, const char *prefix, size_t prefix_len,
				    xw_term_fn fn, void *ctx)
{
	if (fn == nullptr)
		return PS_ERR_INVALID;
	return each_term(db, prefix, prefix_len, [&](const Xapian::TermIterator &it) {
		const std::string &t = *it;
		return fn(ctx, t.data(), t.size());
	});
}

ps_status_t xw_db_term_freqs_with_prefix(xw_db_t *db, const char *prefix, size_t prefix_len,
					 xw_term_freq_fn fn, void *ctx)
{
	if (fn == nullptr)
		return PS_ERR_INVALID;
	return each_term(db, prefix, prefix_len, [&](const Xapian::TermIterator &it) {
		const std::string &t = *it;
		return fn(ctx, t.data(), t.size(), it.get_termfreq());
	});
}
