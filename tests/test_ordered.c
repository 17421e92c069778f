/* test_ordered.c: rows made on several threads are written in row order, and a failure stops
 * exactly the rows from it on. */
#include "ordered.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Rows whose fetch puts the row's number in the thread's room and whose make writes
 * "row <n> " and a length that varies, so that rows taken by different threads and handed
 * the wrong room, or written out of turn, show. */
typedef struct job {
	size_t fail_fetch; /* the row whose fetch fails, or SIZE_MAX */
	size_t fail_make;  /* the row whose make fails, or SIZE_MAX */
} job_t;

static int fetch(void *ctx, size_t i, void *room, const void **got, char **error)
{
	const job_t *j = ctx;
	if (i == j->fail_fetch) {
		*error = strdup("the counts are damaged");
		return -1;
	}
	*(size_t *)room = i;
	*got = room;
	return 0;
}

static int make(void *ctx, size_t i, const void *got, strbuf_t *out)
{
	const job_t *j = ctx;
	if (i == j->fail_make)
		return -1;
	size_t n = *(const size_t *)got;
	/* uneven work: some rows take far longer to make than the next */
	volatile unsigned spin = 0;
	for (size_t k = 0; k < (n % 7) * 2000; k++)
		spin++;
	if (strbuf_printf(out, "row %zu ", n) != 0)
		return -1;
	for (size_t k = 0; k < n % 13; k++)
		if (strbuf_append(out, "x", 1) != 0)
			return -1;
	return strbuf_append(out, "\n", 1);
}

/* What rows [0, n) write. */
static char *expected(size_t n)
{
	strbuf_t sb = STRBUF_INIT;
	job_t none = {SIZE_MAX, SIZE_MAX};
	size_t i;
	for (i = 0; i < n; i++) {
		strbuf_t row = STRBUF_INIT;
		assert_int_equal(make(&none, i, &i, &row), 0);
		assert_int_equal(strbuf_append(&sb, row.data, row.len), 0);
		strbuf_free(&row);
	}
	assert_int_equal(strbuf_append(&sb, "", 0), 0);
	return sb.data ? sb.data : strdup("");
}

/* Run the job into memory; returns pq_ordered_write's result, the bytes in *text. */
static int run(job_t *j, size_t n_rows, unsigned threads, char **text, char **error, int *err)
{
	size_t len = 0;
	FILE *out = open_memstream(text, &len);
	assert_non_null(out);
	pq_ordered_rows_t rows = {.n_rows = n_rows, .room = sizeof(size_t), .fetch = fetch,
				  .make = make, .ctx = j};
	errno = 0;
	int rc = pq_ordered_write(out, &rows, threads, error);
	*err = errno;
	assert_int_equal(fclose(out), 0);
	return rc;
}

static const unsigned thread_counts[] = {1, 2, 3, 8};

static void test_every_row_is_written_once_in_row_order_on_any_number_of_threads(void **s)
{
	(void)s;
	static const size_t sizes[] = {0, 1, 7, 2000};
	for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++) {
		char *want = expected(sizes[a]);
		for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
			job_t j = {SIZE_MAX, SIZE_MAX};
			char *text = NULL, *error = NULL;
			int err;
			assert_int_equal(run(&j, sizes[a], thread_counts[t], &text, &error, &err), 0);
			if (strcmp(text, want) != 0)
				fail_msg("%zu rows on %u threads: the output differs", sizes[a],
					 thread_counts[t]);
			assert_null(error);
			free(text);
		}
		free(want);
	}
}

static void test_a_failed_fetch_writes_every_row_before_it_and_none_after(void **s)
{
	(void)s;
	static const size_t failing[] = {0, 1, 500, 1999};
	for (size_t a = 0; a < sizeof failing / sizeof failing[0]; a++) {
		char *want = expected(failing[a]);
		for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
			job_t j = {failing[a], SIZE_MAX};
			char *text = NULL, *error = NULL;
			int err;
			assert_int_equal(run(&j, 2000, thread_counts[t], &text, &error, &err), -1);
			assert_non_null(error);
			assert_string_equal(error, "the counts are damaged");
			if (strcmp(text, want) != 0)
				fail_msg("fetch failing at row %zu on %u threads: not exactly the "
					 "rows before it", failing[a], thread_counts[t]);
			free(error);
			free(text);
		}
		free(want);
	}
}

static void test_a_failed_make_is_out_of_memory_and_stops_at_its_row(void **s)
{
	(void)s;
	for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
		job_t j = {SIZE_MAX, 777};
		char *text = NULL, *error = NULL, *want = expected(777);
		int err;
		assert_int_equal(run(&j, 2000, thread_counts[t], &text, &error, &err), -1);
		assert_null(error);
		assert_int_equal(err, ENOMEM);
		assert_string_equal(text, want);
		free(text);
		free(want);
	}
}

static void test_a_failed_write_sets_errno_and_leaves_error_alone(void **s)
{
	(void)s;
	FILE *full = fopen("/dev/full", "w");
	if (full == NULL)
		skip();
	setvbuf(full, NULL, _IONBF, 0); /* each row's write fails at once */
	for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
		job_t j = {SIZE_MAX, SIZE_MAX};
		pq_ordered_rows_t rows = {.n_rows = 500, .room = sizeof(size_t), .fetch = fetch,
					  .make = make, .ctx = &j};
		char *error = NULL;
		errno = 0;
		assert_int_equal(pq_ordered_write(full, &rows, thread_counts[t], &error), -1);
		assert_int_equal(errno, ENOSPC);
		assert_null(error);
		clearerr(full);
	}
	fclose(full);
}

static void test_small_jobs_run_on_one_thread_and_big_ones_on_at_most_four(void **s)
{
	(void)s;
	assert_int_equal(pq_ordered_threads(0), 1);
	assert_int_equal(pq_ordered_threads(1000), 1);
	unsigned big = pq_ordered_threads((size_t)1 << 30);
	assert_true(big >= 1 && big <= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_is_written_once_in_row_order_on_any_number_of_threads),
		cmocka_unit_test(test_a_failed_fetch_writes_every_row_before_it_and_none_after),
		cmocka_unit_test(test_a_failed_make_is_out_of_memory_and_stops_at_its_row),
		cmocka_unit_test(test_a_failed_write_sets_errno_and_leaves_error_alone),
		cmocka_unit_test(test_small_jobs_run_on_one_thread_and_big_ones_on_at_most_four),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
