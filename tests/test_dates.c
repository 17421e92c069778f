/* test_dates.c: printed plan dates and --date ranges read as spans of days. */
#include "test.h"

#include "dates.h"

typedef struct date_case {
	const char *text;
	long first, last; /* 0, 0: refused */
} date_case_t;

static void test_printed_dates_cover_the_days_they_name(void **state)
{
	(void)state;
	static const date_case_t cases[] = {
		{"2023年1月", 20230101, 20230131},      {"2021-05-10", 20210510, 20210510},
		{"2021年5月10日", 20210510, 20210510},   {"2020", 20200101, 20201231},
		{"2020年", 20200101, 20201231},         {"2024.2", 20240201, 20240229},
		{"2023/2", 20230201, 20230228},         {"２０２２年３月", 20220301, 20220331},
		{"2021年12月印发", 20211201, 20211231}, /* what follows is ignored */
		{"2021-13", 0, 0},                      {"2021-02-30", 0, 0},
		{"21年5月", 0, 0},                       {"二〇二一年", 0, 0},
		{"", 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pq_date_span_t d = {0, 0};
		int rc = pq_date_read(cases[i].text, &d);
		if ((rc == 0) != (cases[i].first != 0) ||
		    (rc == 0 && (d.first != cases[i].first || d.last != cases[i].last)))
			fail_msg("'%s': rc %d, %ld..%ld", cases[i].text, rc, d.first, d.last);
	}
}

static void test_ranges_run_from_the_first_day_of_from_to_the_last_of_to(void **state)
{
	(void)state;
	static const date_case_t cases[] = {
		{"2021..2022-06", 20210101, 20220630}, {"2021..", 20210101, 99999999},
		{"..2022", 0 + 0, 20221231},            {"2023", 20230101, 20231231},
		{"2021-05-10..2021-05-10", 20210510, 20210510},
		{"2022..2021", -1, -1},                 {"..", -1, -1},
		{"2021...2022", -1, -1},                {"2021..x", -1, -1},
		{"last year", -1, -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pq_date_span_t d = {-1, -1};
		int rc = pq_date_range_parse(cases[i].text, &d);
		bool ok = cases[i].last != -1;
		if ((rc == 0) != ok || (ok && (d.first != cases[i].first || d.last != cases[i].last)))
			fail_msg("'%s': rc %d, %ld..%ld", cases[i].text, rc, d.first, d.last);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printed_dates_cover_the_days_they_name),
		cmocka_unit_test(test_ranges_run_from_the_first_day_of_from_to_the_last_of_to),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
