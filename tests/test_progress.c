/* test_progress.c: the indexer's progress line: what it says, and when it is drawn. */
#include "progress.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct line_case {
	size_t plans, bytes, plans_done, bytes_done;
	const char *file;
	double elapsed;
	const char *want;
} line_case_t;

static void test_the_line_says_plans_megabytes_speed_and_time_left(void **state)
{
	(void)state;
	static const line_case_t cases[] = {
		/* nothing to go on yet: no speed, no estimate */
		{5051, 235750000, 0, 0, NULL, 0.2, "indexing 0/5051 plans · 0.0/235.8 MB"},
		{5051, 235750000, 1, 46000, "s00000.txt", 0.5,
		 "indexing 1/5051 plans · 0.0/235.8 MB · s00000.txt"},
		/* 23.6 MB in 23.6 s: 1 MB/s, 212 MB (3m32s) left */
		{5051, 235750000, 505, 23575000, "s00504.txt", 23.575,
		 "indexing 505/5051 plans · 23.6/235.8 MB · 1.00 MB/s · 3m32s left · s00504.txt"},
		/* over an hour left */
		{100, 10000000000, 1, 1000000, "a.txt", 1.0,
		 "indexing 1/100 plans · 1.0/10000.0 MB · 1.00 MB/s · 2h46m left · a.txt"},
		/* one plan: no plural */
		{1, 1000, 1, 1000, "one.txt", 2.0,
		 "indexing 1/1 plan · 0.0/0.0 MB · 0.00 MB/s · 0s left · one.txt"},
		{5, 240000, 5, 240000, "writing the index", 3.0,
		 "indexing 5/5 plans · 0.2/0.2 MB · 0.08 MB/s · 0s left · writing the index"},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		const line_case_t *c = &cases[i];
		pi_progress_t p = {.plans = c->plans, .bytes = c->bytes,
				   .plans_done = c->plans_done, .bytes_done = c->bytes_done};
		char buf[256];
		pi_progress_format(&p, c->file, c->elapsed, buf, sizeof buf);
		assert_string_equal(buf, c->want);
	}
}

static void test_a_long_file_name_is_cut_not_overflowed(void **state)
{
	(void)state;
	char name[400];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	pi_progress_t p = {.plans = 2, .bytes = 10, .plans_done = 1, .bytes_done = 5};
	char buf[64];
	pi_progress_format(&p, name, 0, buf, sizeof buf);
	assert_int_equal(strlen(buf), sizeof buf - 1);
}

/* Run a job of three plans drawn into memory; returns what was written (caller frees). */
static char *draw_job(FILE *(*open)(char **, size_t *), char **text, size_t *len)
{
	FILE *out = open ? open(text, len) : NULL;
	pi_progress_t p;
	pi_progress_start(&p, out, 3, 300);
	pi_progress_plan(&p, "a.txt", 100);
	pi_progress_plan(&p, "b.txt", 100); /* within a tenth of a second: not drawn */
	pi_progress_plan(&p, "c.txt", 100);
	pi_progress_stage(&p, "writing the index");
	pi_progress_end(&p);
	pi_progress_end(&p); /* a second end adds nothing */
	if (out != NULL)
		fclose(out);
	return out ? *text : NULL;
}

static void test_the_first_and_last_plans_and_the_stage_are_drawn_then_one_newline(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	draw_job(open_memstream, &text, &len);
	assert_non_null(text);
	assert_non_null(strstr(text, "\rindexing 1/3 plans · 0.0/0.0 MB · a.txt\033[K"));
	assert_null(strstr(text, "b.txt"));
	assert_non_null(strstr(text, "3/3 plans"));
	assert_non_null(strstr(text, "c.txt\033[K"));
	assert_non_null(strstr(text, "writing the index\033[K\n"));
	size_t newlines = 0;
	for (size_t i = 0; i < len; i++)
		newlines += text[i] == '\n';
	assert_int_equal(newlines, 1); /* the line is redrawn in place, ended once */
	assert_int_equal(text[len - 1], '\n');
	free(text);
}

static void test_nothing_is_drawn_without_a_stream(void **state)
{
	(void)state;
	assert_null(draw_job(NULL, NULL, NULL));
	pi_progress_t zero = {0}; /* as a build that draws nothing leaves it */
	pi_progress_plan(&zero, "a.txt", 1);
	pi_progress_stage(&zero, "writing the index");
	pi_progress_end(&zero);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_line_says_plans_megabytes_speed_and_time_left),
		cmocka_unit_test(test_a_long_file_name_is_cut_not_overflowed),
		cmocka_unit_test(
			test_the_first_and_last_plans_and_the_stage_are_drawn_then_one_newline),
		cmocka_unit_test(test_nothing_is_drawn_without_a_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
