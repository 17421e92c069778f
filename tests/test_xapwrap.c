/* test_xapwrap.c: the Xapian C wrapper: exception mapping, errors on handles, writing and searching. */
#include "test.h"

#include "tmpdir.h"
#include "xapwrap.h"

#include <stdbool.h>

static void test_every_exception_kind_maps_to_its_status(void **state)
{
	(void)state;
	static const struct {
		const char *kind;
		xw_status_t status;
	} cases[] = {
		{"DatabaseNotFoundError", XW_ERR_NOT_FOUND},
		{"DatabaseOpeningError", XW_ERR_NOT_FOUND},
		{"DatabaseLockError", XW_ERR_LOCKED},
		{"DatabaseVersionError", XW_ERR_VERSION},
		{"DatabaseCorruptError", XW_ERR_CORRUPT},
		{"DatabaseModifiedError", XW_ERR_MODIFIED},
		{"DatabaseError", XW_ERR_IO},
		{"InvalidArgumentError", XW_ERR_INVALID_ARGUMENT},
		{"RangeError", XW_ERR_XAPIAN},
		{"bad_alloc", XW_ERR_NO_MEMORY},
		{"runtime_error", XW_ERR_UNKNOWN},
		{"int", XW_ERR_UNKNOWN},
		{"none", XW_OK},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *message = NULL;
		xw_status_t st = xw_debug_map_exception(cases[i].kind, &message);
		if (st != cases[i].status)
			fail_msg("%s mapped to %s, expected %s", cases[i].kind,
				 xw_status_to_string(st), xw_status_to_string(cases[i].status));
		assert_non_null(message);
		assert_true(strlen(message) > 0);
		free(message);
	}
}

static void test_every_status_has_a_distinct_name(void **state)
{
	(void)state;
	for (int a = 0; a < XW_STATUS_LAST; a++) {
		assert_non_null(xw_status_to_string((xw_status_t)a));
		for (int b = 0; b < a; b++)
			assert_string_not_equal(xw_status_to_string((xw_status_t)a),
						xw_status_to_string((xw_status_t)b));
	}
	assert_string_equal(xw_status_to_string(XW_STATUS_LAST), "invalid status");
}

static void test_opening_a_missing_database_is_not_found_with_a_message(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/nothing-here", (char *)*state);
	xw_db_t *db = (xw_db_t *)0x1;
	char *message = NULL;
	assert_int_equal(xw_db_open(path, &db, &message), XW_ERR_NOT_FOUND);
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
	assert_int_equal(xw_writer_create(path, &first, NULL), XW_OK);
	assert_int_equal(xw_writer_create(path, &second, &message), XW_ERR_LOCKED);
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
	assert_int_equal(xw_doc_create(&doc), XW_OK);
	assert_int_equal(xw_doc_add_posting(doc, "", 0, 1), XW_ERR_INVALID_ARGUMENT);
	assert_int_equal(xw_doc_add_posting(doc, long_term, strlen(long_term), 1),
			 XW_ERR_INVALID_ARGUMENT);
	assert_int_equal(xw_doc_add_boolean_term(doc, long_term), XW_ERR_INVALID_ARGUMENT);
	assert_int_equal(xw_doc_add_term(doc, "", 0, 1), XW_ERR_INVALID_ARGUMENT);
	assert_int_equal(xw_doc_add_term(doc, long_term, strlen(long_term), 1),
			 XW_ERR_INVALID_ARGUMENT);
	assert_int_equal(xw_writer_add_document(NULL, doc), XW_ERR_INVALID_ARGUMENT);
	assert_int_equal(xw_query_combine(XW_QUERY_AND, NULL, 0, NULL), XW_ERR_INVALID_ARGUMENT);
	xw_doc_destroy(doc);
}

static void test_destructors_accept_null(void **state)
{
	(void)state;
	xw_writer_destroy(NULL);
	xw_db_destroy(NULL);
	xw_doc_destroy(NULL);
	xw_query_destroy(NULL);
	assert_string_equal(xw_db_last_error(NULL), "");
	assert_string_equal(xw_writer_last_error(NULL), "");
}

typedef struct seen {
	int count;
	char data[4][32];
	int stop_after;
} seen_t;

static int remember(void *ctx, unsigned docid, double weight, const char *data, size_t len)
{
	(void)docid;
	(void)weight;
	seen_t *s = ctx;
	if (s->count < 4)
		snprintf(s->data[s->count], sizeof s->data[0], "%.*s", (int)len, data);
	s->count++;
	return s->stop_after > 0 && s->count >= s->stop_after;
}

static void add_doc(xw_writer_t *w, const char *data, const char *const *terms, const char *flag)
{
	xw_doc_t *doc = NULL;
	assert_int_equal(xw_doc_create(&doc), XW_OK);
	for (unsigned i = 0; terms[i]; i++)
		assert_int_equal(xw_doc_add_posting(doc, terms[i], strlen(terms[i]), i + 1), XW_OK);
	assert_int_equal(xw_doc_add_boolean_term(doc, flag), XW_OK);
	assert_int_equal(xw_doc_set_data(doc, data, strlen(data)), XW_OK);
	assert_int_equal(xw_writer_add_document(w, doc), XW_OK);
	xw_doc_destroy(doc);
}

static void test_terms_without_positions_match_and_rank_by_their_count(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	xw_writer_t *w = NULL;
	assert_int_equal(xw_writer_create(path, &w, NULL), XW_OK);
	/* "once" has Uab once in a text of 3 terms, "thrice" three times in 3: BM25 puts
	 * "thrice" first, which it can only do if the counts were kept. */
	const char *names[] = {"once", "thrice", "none"};
	const unsigned ab[] = {1, 3, 0};
	for (int i = 0; i < 3; i++) {
		xw_doc_t *doc = NULL;
		assert_int_equal(xw_doc_create(&doc), XW_OK);
		if (ab[i] > 0)
			assert_int_equal(xw_doc_add_term(doc, "Uab", 3, ab[i]), XW_OK);
		if (3 - ab[i] > 0)
			assert_int_equal(xw_doc_add_term(doc, "Uzz", 3, 3 - ab[i]), XW_OK);
		assert_int_equal(xw_doc_set_data(doc, names[i], strlen(names[i])), XW_OK);
		assert_int_equal(xw_writer_add_document(w, doc), XW_OK);
		xw_doc_destroy(doc);
	}
	assert_int_equal(xw_writer_commit(w), XW_OK);
	xw_writer_destroy(w);

	xw_db_t *db = NULL;
	xw_query_t *q = NULL;
	seen_t seen = {0};
	assert_int_equal(xw_db_open(path, &db, NULL), XW_OK);
	assert_int_equal(xw_query_term("Uab", 3, &q), XW_OK);
	assert_int_equal(xw_db_search(db, q, remember, &seen), XW_OK);
	assert_int_equal(seen.count, 2);
	assert_string_equal(seen.data[0], "thrice");
	assert_string_equal(seen.data[1], "once");
	xw_query_destroy(q);
	xw_db_destroy(db);
}

static void test_written_documents_are_found_with_their_data_and_filters(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	xw_writer_t *w = NULL;
	assert_int_equal(xw_writer_create(path, &w, NULL), XW_OK);
	add_doc(w, "one", (const char *[]){"Bab", "Bbc", NULL}, "XCa");
	add_doc(w, "two", (const char *[]){"Bab", NULL}, "XCb");
	add_doc(w, "three", (const char *[]){"Bzz", NULL}, "XCa");
	assert_int_equal(xw_writer_set_metadata(w, "k", "v\0w", 3), XW_OK);
	assert_int_equal(xw_writer_commit(w), XW_OK);
	xw_writer_destroy(w);

	xw_db_t *db = NULL;
	unsigned count = 0;
	assert_int_equal(xw_db_open(path, &db, NULL), XW_OK);
	assert_int_equal(xw_db_doc_count(db, &count), XW_OK);
	assert_int_equal(count, 3);
	char *value = NULL;
	size_t len = 0;
	assert_int_equal(xw_db_get_metadata(db, "k", &value, &len), XW_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(value, "v\0w", 3);
	free(value);
	assert_int_equal(xw_db_get_metadata(db, "missing", &value, &len), XW_OK);
	assert_null(value);

	xw_query_t *ab = NULL, *city = NULL, *filtered = NULL;
	assert_int_equal(xw_query_term("Bab", 3, &ab), XW_OK);
	seen_t seen = {0};
	assert_int_equal(xw_db_search(db, ab, remember, &seen), XW_OK);
	assert_int_equal(seen.count, 2);

	assert_int_equal(xw_query_term("XCa", 3, &city), XW_OK);
	xw_query_t *pair[2] = {ab, city};
	assert_int_equal(xw_query_combine(XW_QUERY_FILTER, pair, 2, &filtered), XW_OK);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(xw_db_search(db, filtered, remember, &seen), XW_OK);
	assert_int_equal(seen.count, 1);
	assert_string_equal(seen.data[0], "one");

	memset(&seen, 0, sizeof seen);
	seen.stop_after = 1; /* a non-zero return stops the run */
	assert_int_equal(xw_db_search(db, ab, remember, &seen), XW_OK);
	assert_int_equal(seen.count, 1);

	xw_query_destroy(ab);
	xw_query_destroy(city);
	xw_query_destroy(filtered);
	xw_db_destroy(db);
}

static void test_find_term_gives_the_data_of_the_document_holding_a_boolean_term(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	xw_writer_t *w = NULL;
	assert_int_equal(xw_writer_create(path, &w, NULL), XW_OK);
	add_doc(w, "first", (const char *[]){"Bab", NULL}, "Qa/1/1");
	add_doc(w, "second", (const char *[]){"Bab", NULL}, "Qa/1/2");
	assert_int_equal(xw_writer_commit(w), XW_OK);
	xw_writer_destroy(w);

	xw_db_t *db = NULL;
	char *data = (char *)0x1;
	size_t len = 99;
	assert_int_equal(xw_db_open(path, &db, NULL), XW_OK);
	assert_int_equal(xw_db_find_term(db, "Qa/1/2", &data, &len), XW_OK);
	assert_string_equal(data, "second");
	assert_int_equal(len, 6);
	free(data);
	assert_int_equal(xw_db_find_term(db, "Qa/1/3", &data, &len), XW_OK);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_int_equal(xw_db_find_term(db, "", &data, NULL), XW_ERR_INVALID_ARGUMENT);
	assert_int_equal(xw_db_find_term(NULL, "Qa/1/2", &data, NULL), XW_ERR_INVALID_ARGUMENT);
	xw_db_destroy(db);
}

/* What a paged search saw: the matches handed over (by id), what the spy was told, and
 * which candidates the decider turned away. */
typedef struct paged {
	unsigned matched[8], n_matched;
	unsigned spied[8], n_spied;
	unsigned refuse; /* a docid the decider refuses; 0 for none */
	unsigned decided;
} paged_t;

static int page_match(void *ctx, unsigned docid, double weight, const char *data, size_t len)
{
	(void)weight;
	paged_t *p = ctx;
	assert_null(data); /* a page reads no document */
	assert_int_equal(len, 0);
	if (p->n_matched < 8)
		p->matched[p->n_matched] = docid;
	p->n_matched++;
	return 0;
}

static void page_spy(void *ctx, unsigned docid)
{
	paged_t *p = ctx;
	if (p->n_spied < 8)
		p->spied[p->n_spied] = docid;
	p->n_spied++;
}

static int page_decide(void *ctx, unsigned docid)
{
	paged_t *p = ctx;
	p->decided++;
	return docid != p->refuse;
}

/* A phrase needs its terms at consecutive positions in order; AND_NOT excludes; a page of
 * matches reads only its own documents while the total and the spy cover every match, and
 * a decider's refusals are neither counted nor handed over. */
static void test_phrase_and_not_and_a_page_count_every_match(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	xw_writer_t *w = NULL;
	assert_int_equal(xw_writer_create(path, &w, NULL), XW_OK);
	static const struct {
		const char *terms[4];
	} docs[] = {
		{{"Bab", "Bbc", NULL}},        /* 1 ab bc: the phrase */
		{{"Bbc", "Bab", NULL}},        /* 2 bc ab: not it */
		{{"Bab", "Bzz", "Bbc", NULL}}, /* 3 ab .. bc: not it */
		{{"Bzz", "Bab", "Bbc", NULL}}, /* 4 .. ab bc: the phrase */
		{{"Bab", "Bbc", "Bno", NULL}}, /* 5 the phrase, flagged */
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		xw_doc_t *doc = NULL;
		assert_int_equal(xw_doc_create(&doc), XW_OK);
		for (unsigned k = 0; docs[i].terms[k]; k++)
			assert_int_equal(xw_doc_add_posting(doc, docs[i].terms[k],
							    strlen(docs[i].terms[k]), k + 1),
					 XW_OK);
		assert_int_equal(xw_writer_add_document(w, doc), XW_OK);
		xw_doc_destroy(doc);
	}
	assert_int_equal(xw_writer_commit(w), XW_OK);
	xw_writer_destroy(w);

	xw_db_t *db = NULL;
	xw_query_t *ab = NULL, *bc = NULL, *no = NULL, *phrase = NULL, *q = NULL;
	assert_int_equal(xw_db_open(path, &db, NULL), XW_OK);
	assert_int_equal(xw_query_term("Bab", 3, &ab), XW_OK);
	assert_int_equal(xw_query_term("Bbc", 3, &bc), XW_OK);
	assert_int_equal(xw_query_term("Bno", 3, &no), XW_OK);
	assert_int_equal(xw_query_combine(XW_QUERY_PHRASE, (xw_query_t *[]){ab, bc}, 2, &phrase),
			 XW_OK);
	assert_int_equal(xw_query_combine(XW_QUERY_AND_NOT, (xw_query_t *[]){phrase, no}, 2, &q),
			 XW_OK);

	/* the phrase alone: three documents; every one counted and spied, one handed over */
	paged_t seen = {0};
	unsigned total = 0;
	xw_page_t page = {.offset = 0, .limit = 1, .spy = page_spy, .spy_ctx = &seen,
			  .match = page_match, .match_ctx = &seen};
	assert_int_equal(xw_db_search_page(db, phrase, &page, &total), XW_OK);
	assert_int_equal(total, 3);
	assert_int_equal(seen.n_matched, 1);
	assert_int_equal(seen.n_spied, 3);

	/* AND_NOT drops the flagged one; limit 0 hands out every match */
	memset(&seen, 0, sizeof seen);
	page.limit = 0;
	assert_int_equal(xw_db_search_page(db, q, &page, &total), XW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(seen.n_matched, 2);
	assert_int_equal(seen.n_spied, 2);
	bool got_1 = false, got_4 = false;
	for (int i = 0; i < 2; i++) {
		got_1 |= seen.matched[i] == 1;
		got_4 |= seen.matched[i] == 4;
	}
	assert_true(got_1 && got_4);

	/* a decider sees every candidate; what it refuses is not a match */
	memset(&seen, 0, sizeof seen);
	seen.refuse = 4;
	page.decide = page_decide;
	page.decide_ctx = &seen;
	assert_int_equal(xw_db_search_page(db, phrase, &page, &total), XW_OK);
	assert_int_equal(seen.decided, 3);
	assert_int_equal(total, 2);
	assert_int_equal(seen.n_spied, 2);
	assert_int_equal(seen.n_matched, 2);
	for (unsigned i = 0; i < seen.n_matched; i++)
		assert_int_not_equal(seen.matched[i], 4);

	/* a page past the end is empty, and the total still exact */
	memset(&seen, 0, sizeof seen);
	page = (xw_page_t){.offset = 10, .limit = 5, .match = page_match, .match_ctx = &seen};
	assert_int_equal(xw_db_search_page(db, q, &page, &total), XW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(seen.n_matched, 0);
	assert_int_equal(xw_db_search_page(db, NULL, &page, &total), XW_ERR_INVALID_ARGUMENT);

	xw_query_destroy(ab);
	xw_query_destroy(bc);
	xw_query_destroy(no);
	xw_query_destroy(phrase);
	xw_query_destroy(q);
	xw_db_destroy(db);
}

/* A prefix query matches every document with a term that starts with it, and a synonym of
 * it and a term matches the union, weighed as one term; wdf counts come back from the
 * postings. */
static void test_a_prefix_query_and_a_synonym_match_the_union(void **state)
{
	char path[512];
	snprintf(path, sizeof path, "%s/db", (char *)*state);
	xw_writer_t *w = NULL;
	assert_int_equal(xw_writer_create_lean(path, XW_NO_TERMLIST | XW_NO_SYNC, &w, NULL), XW_OK);
	static const char *const docs[][3] = {
		{"Bxa", "Bxb", NULL}, /* 1: two bigrams from x */
		{"Ux", NULL, NULL},   /* 2: x at the end of a run */
		{"Bax", NULL, NULL},  /* 3: x second only: not a match */
		{"Bya", NULL, NULL},  /* 4: no x */
	};
	for (size_t i = 0; i < 4; i++) {
		xw_doc_t *doc = NULL;
		assert_int_equal(xw_doc_create(&doc), XW_OK);
		for (unsigned k = 0; docs[i][k]; k++)
			assert_int_equal(xw_doc_add_term(doc, docs[i][k], strlen(docs[i][k]), 2),
					 XW_OK);
		assert_int_equal(xw_writer_add_document(w, doc), XW_OK);
		xw_doc_destroy(doc);
	}
	assert_int_equal(xw_writer_commit(w), XW_OK);
	xw_writer_destroy(w);

	xw_db_t *db = NULL;
	xw_query_t *prefix = NULL, *unigram = NULL, *either = NULL, *none = NULL;
	assert_int_equal(xw_db_open(path, &db, NULL), XW_OK);
	assert_int_equal(xw_query_prefix("Bx", 2, &prefix), XW_OK);
	assert_int_equal(xw_query_prefix("Bq", 2, &none), XW_OK);
	assert_int_equal(xw_query_term("Ux", 2, &unigram), XW_OK);
	assert_int_equal(xw_query_combine(XW_QUERY_SYNONYM, (xw_query_t *[]){prefix, unigram}, 2,
					  &either),
			 XW_OK);
	paged_t seen = {0};
	unsigned total = 0;
	xw_page_t page = {.spy = page_spy, .spy_ctx = &seen, .match = page_match,
			  .match_ctx = &seen};
	assert_int_equal(xw_db_search_page(db, prefix, &page, &total), XW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(seen.matched[0], 1);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(xw_db_search_page(db, either, &page, &total), XW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(seen.n_spied, 2);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(xw_db_search_page(db, none, &page, &total), XW_OK);
	assert_int_equal(total, 0);
	assert_int_equal(xw_query_prefix("", 0, &none), XW_ERR_INVALID_ARGUMENT);

	xw_query_destroy(prefix);
	xw_query_destroy(unigram);
	xw_query_destroy(either);
	xw_query_destroy(none);
	xw_db_destroy(db);
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
	xw_status_t st = xw_db_open(*state, &db, &message);
	assert_int_not_equal(st, XW_OK);
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
		cmocka_unit_test_setup_teardown(test_terms_without_positions_match_and_rank_by_their_count,
						tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_written_documents_are_found_with_their_data_and_filters,
						tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(
			test_find_term_gives_the_data_of_the_document_holding_a_boolean_term,
			tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_a_prefix_query_and_a_synonym_match_the_union,
						tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_phrase_and_not_and_a_page_count_every_match,
						tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_a_garbage_directory_does_not_open_as_a_database,
						tmpdir_setup, tmpdir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
