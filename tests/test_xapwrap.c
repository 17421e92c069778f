/* test_xapwrap.c: the Xapian C wrapper: exception mapping, errors on handles, writing, posting lists, compaction. */
#include "test.h"

#include "tmpdir.h"
#include "xapwrap.h"

#include <stdbool.h>

static void test_every_exception_kind_maps_to_its_status(void **state)
{
	(void)state;
	static const struct {
		const char *kind;
		ps_status_t status;
	} cases[] = {
		{"DatabaseNotFoundError", PS_ERR_NOT_FOUND},
		{"DatabaseOpeningError", PS_ERR_NOT_FOUND},
		{"DatabaseLockError", PS_ERR_LOCKED},
		{"DatabaseVersionError", PS_ERR_VERSION},
		{"DatabaseCorruptError", PS_ERR_CORRUPT},
		{"DatabaseModifiedError", PS_ERR_MODIFIED},
		{"DatabaseError", PS_ERR_IO},
		{"InvalidArgumentError", PS_ERR_INVALID},
		{"RangeError", PS_ERR_XAPIAN},
		{"bad_alloc", PS_ERR_NO_MEMORY},
		{"runtime_error", PS_ERR_UNKNOWN},
		{"int", PS_ERR_UNKNOWN},
		{"none", PS_OK},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *message = NULL;
		ps_status_t st = xw_debug_map_exception(cases[i].kind, &message);
		if (st != cases[i].status)
			fail_msg("%s mapped to %s, expected %s", cases[i].kind,
				 ps_status_to_string(st), ps_status_to_string(cases[i].status));
		assert_non_null(message);
		assert_true(strlen(message) > 0);
		free(message);
	}
}

static void test_every_status_has_a_distinct_name(void **state)
{
	(void)state;
	for (int a = 0; a < PS_STATUS_COUNT; a++) {
		assert_non_null(ps_status_to_string((ps_status_t)a));
		for (int b = 0; b < a; b++)
			assert_string_not_equal(ps_status_to_string((ps_status_t)a),
						ps_status_to_string((ps_status_t)b));
	}
	assert_string_equal(ps_status_to_string(PS_STATUS_COUNT), "unknown status");
	assert_string_equal(ps_error_message(NULL, PS_ERR_NO_MEMORY), "out of memory");
	assert_string_equal(ps_error_message("", PS_ERR_IO), "input/output error");
	assert_string_equal(ps_error_message("disk full", PS_ERR_IO), "disk full");
	assert_non_null(ps_error_message(NULL, PS_OK));
}

static void test_opening_a_missing_database_is_not_found_with_a_message(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/nothing-here", (char *)*state);
	xw_db_t *db = (xw_db_t *)0x1;
	char *message = NULL;
	assert_int_equal(xw_db_open(path, &db, &message), PS_ERR_NOT_FOUND);
	assert_ptr_equal(db, (xw_db_t *)0x1); /* out-parameter untouched on failure */
	assert_non_null(message);
	free(message);
}

static void test_a_second_writer_is_refused_as_locked(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	xw_writer_t *first = NULL, *second = NULL;
	char *message = NULL;
	assert_int_equal(xw_writer_create_lean(path, 0, &first, NULL), PS_OK);
	assert_int_equal(xw_writer_create_lean(path, 0, &second, &message), PS_ERR_LOCKED);
	assert_null(second);
	assert_non_null(message);
	free(message);
	xw_writer_destroy(first);
}

static void test_invalid_arguments_are_refused_without_exceptions(void **state)
{
	(void)state;
	xw_doc_t *doc = NULL;
	char long_term[XW_MAX_TERM_BYTES + 2];
	memset(long_term, 'a', sizeof long_term - 1);
	long_term[sizeof long_term - 1] = '\0';
	assert_int_equal(xw_doc_create(&doc), PS_OK);
	assert_int_equal(xw_doc_add_term(doc, "", 0, 1), PS_ERR_INVALID);
	assert_int_equal(xw_doc_add_term(doc, long_term, strlen(long_term), 1), PS_ERR_INVALID);
	assert_int_equal(xw_writer_add_document(NULL, doc), PS_ERR_INVALID);
	assert_int_equal(xw_compact(NULL, 0, "x", NULL), PS_ERR_INVALID);
	assert_int_equal(xw_postlist_open(NULL, "a", 1, NULL), PS_ERR_INVALID);
	assert_int_equal(xw_postlist_skip_to(NULL, 1), PS_ERR_INVALID);
	assert_int_equal(xw_db_terms_with_prefix(NULL, "B", 1, NULL, NULL), PS_ERR_INVALID);
	xw_doc_destroy(doc);
}

static void test_destructors_accept_null(void **state)
{
	(void)state;
	xw_writer_destroy(NULL);
	xw_db_destroy(NULL);
	xw_doc_destroy(NULL);
	xw_postlist_destroy(NULL);
	assert_string_equal(xw_db_last_error(NULL), "");
	assert_string_equal(xw_writer_last_error(NULL), "");
	assert_string_equal(xw_postlist_last_error(NULL), "");
	assert_int_equal(xw_postlist_termfreq(NULL), 0);
}

/* Write documents 1..n, document i holding term "T" i times when i is odd, and "Bx<i%3>"
 * once, into a lean database at path. */
static void write_numbered(const char *path, unsigned n)
{
	xw_writer_t *w = NULL;
	assert_int_equal(xw_writer_create_lean(path, XW_NO_TERMLIST | XW_NO_SYNC, &w, NULL), PS_OK);
	for (unsigned i = 1; i <= n; i++) {
		xw_doc_t *doc = NULL;
		char term[8];
		assert_int_equal(xw_doc_create(&doc), PS_OK);
		if (i % 2 == 1)
			assert_int_equal(xw_doc_add_term(doc, "T", 1, i), PS_OK);
		snprintf(term, sizeof term, "Bx%u", i % 3);
		assert_int_equal(xw_doc_add_term(doc, term, strlen(term), 1), PS_OK);
		assert_int_equal(xw_writer_add_document(w, doc), PS_OK);
		xw_doc_destroy(doc);
	}
	assert_int_equal(xw_writer_set_metadata(w, "k", "v", 1), PS_OK);
	assert_int_equal(xw_writer_commit(w), PS_OK);
	xw_writer_destroy(w);
}

/* A posting list reads in document order with its counts, in batches of any size, skips
 * ahead without going back, and says how many documents hold the term; a term no
 * document holds reads as empty. */
static void test_posting_lists_read_in_order_in_batches_and_skip_ahead(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	write_numbered(path, 1000);
	xw_db_t *db = NULL;
	assert_int_equal(xw_db_open(path, &db, NULL), PS_OK);
	xw_postlist_t *pl = NULL;
	assert_int_equal(xw_postlist_open(db, "T", 1, &pl), PS_OK);
	assert_int_equal(xw_postlist_termfreq(pl), 500);
	unsigned docs[7], wdfs[7], expect = 1;
	size_t got, total = 0;
	do { /* an odd batch size, so that batches end anywhere */
		assert_int_equal(xw_postlist_read(pl, docs, wdfs, 7, &got), PS_OK);
		for (size_t i = 0; i < got; i++, expect += 2) {
			assert_int_equal(docs[i], expect);
			assert_int_equal(wdfs[i], expect);
		}
		total += got;
	} while (got > 0);
	assert_int_equal(total, 500);
	xw_postlist_destroy(pl);

	assert_int_equal(xw_postlist_open(db, "T", 1, &pl), PS_OK);
	assert_int_equal(xw_postlist_skip_to(pl, 600), PS_OK);
	assert_int_equal(xw_postlist_read(pl, docs, wdfs, 2, &got), PS_OK);
	assert_int_equal(got, 2);
	assert_int_equal(docs[0], 601);
	assert_int_equal(docs[1], 603);
	assert_int_equal(xw_postlist_skip_to(pl, 10), PS_OK); /* never back */
	assert_int_equal(xw_postlist_read(pl, docs, wdfs, 1, &got), PS_OK);
	assert_int_equal(docs[0], 605);
	assert_int_equal(xw_postlist_skip_to(pl, 5000), PS_OK); /* past the end */
	assert_int_equal(xw_postlist_read(pl, docs, wdfs, 1, &got), PS_OK);
	assert_int_equal(got, 0);
	xw_postlist_destroy(pl);

	assert_int_equal(xw_postlist_open(db, "nothing", 7, &pl), PS_OK);
	assert_int_equal(xw_postlist_termfreq(pl), 0);
	assert_int_equal(xw_postlist_read(pl, docs, wdfs, 7, &got), PS_OK);
	assert_int_equal(got, 0);
	xw_postlist_destroy(pl);
	xw_db_destroy(db);
}

typedef struct terms_seen {
	char terms[8][16];
	size_t n;
} terms_seen_t;

static int remember_term(void *ctx, const char *term, size_t len)
{
	terms_seen_t *t = ctx;
	if (t->n < 8)
		snprintf(t->terms[t->n], sizeof t->terms[0], "%.*s", (int)len, term);
	t->n++;
	return 0;
}

/* The terms with a prefix come in byte order, and only those. */
static void test_terms_with_a_prefix_are_listed_in_byte_order(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	write_numbered(path, 10);
	xw_db_t *db = NULL;
	assert_int_equal(xw_db_open(path, &db, NULL), PS_OK);
	terms_seen_t seen = {0};
	assert_int_equal(xw_db_terms_with_prefix(db, "Bx", 2, remember_term, &seen), PS_OK);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.terms[0], "Bx0");
	assert_string_equal(seen.terms[1], "Bx1");
	assert_string_equal(seen.terms[2], "Bx2");
	memset(&seen, 0, sizeof seen);
	assert_int_equal(xw_db_terms_with_prefix(db, "Q", 1, remember_term, &seen), PS_OK);
	assert_int_equal(seen.n, 0);
	xw_db_destroy(db);
}

/* Compacting several databases numbers the second's documents after the first's, keeps
 * their counts and metadata, and the result reads as one database. */
static void test_compacting_shards_numbers_their_documents_one_after_another(void **state)
{
	char a[512], b[512], to[512];
	snprintf(a, sizeof a, "%s/a", (char *)*state);
	snprintf(b, sizeof b, "%s/b", (char *)*state);
	snprintf(to, sizeof to, "%s/whole", (char *)*state);
	write_numbered(a, 5);
	write_numbered(b, 4);
	const char *from[] = {a, b};
	assert_int_equal(xw_compact(from, 2, to, NULL), PS_OK);
	xw_db_t *db = NULL;
	assert_int_equal(xw_db_open(to, &db, NULL), PS_OK);
	xw_postlist_t *pl = NULL;
	unsigned docs[8], wdfs[8];
	size_t got;
	assert_int_equal(xw_postlist_open(db, "T", 1, &pl), PS_OK);
	assert_int_equal(xw_postlist_read(pl, docs, wdfs, 8, &got), PS_OK);
	/* a's 1, 3, 5, then b's 1 and 3 as 6 and 8 */
	static const unsigned want[] = {1, 3, 5, 6, 8}, want_wdf[] = {1, 3, 5, 1, 3};
	assert_int_equal(got, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(docs[i], want[i]);
		assert_int_equal(wdfs[i], want_wdf[i]);
	}
	xw_postlist_destroy(pl);
	char *value = NULL;
	assert_int_equal(xw_db_get_metadata(db, "k", &value, NULL), PS_OK);
	assert_string_equal(value, "v");
	free(value);
	assert_int_equal(xw_db_get_metadata(db, "missing", &value, NULL), PS_OK);
	assert_null(value);
	xw_db_destroy(db);
	char *message = NULL;
	const char *nowhere[] = {"/nonexistent/db"};
	assert_int_not_equal(xw_compact(nowhere, 1, to, &message), PS_OK);
	assert_non_null(message);
	free(message);
}

static void test_a_garbage_directory_does_not_open_as_a_database(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/iamglass", (char *)*state);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not really a database\n", f);
	fclose(f);
	xw_db_t *db = NULL;
	char *message = NULL;
	ps_status_t st = xw_db_open(*state, &db, &message);
	assert_int_not_equal(st, PS_OK);
	assert_null(db);
	assert_non_null(message);
	free(message);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_exception_kind_maps_to_its_status),
		cmocka_unit_test(test_every_status_has_a_distinct_name),
		cmocka_unit_test_setup_teardown(test_opening_a_missing_database_is_not_found_with_a_message,
						tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_a_second_writer_is_refused_as_locked,
						tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test(test_invalid_arguments_are_refused_without_exceptions),
		cmocka_unit_test(test_destructors_accept_null),
		cmocka_unit_test_setup_teardown(
			test_posting_lists_read_in_order_in_batches_and_skip_ahead, tmpdir_setup,
			tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_terms_with_a_prefix_are_listed_in_byte_order,
						tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(
			test_compacting_shards_numbers_their_documents_one_after_another,
			tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_a_garbage_directory_does_not_open_as_a_database,
						tmpdir_setup, tmpdir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
