/* test_ids.c: passage ids as ids.h spells them, their numbers written as printf's %d would. */
#include "test.h"

#include "ids.h"

#include <limits.h>

typedef int (*id_fn)(strbuf_t *, const char *, const char *, int);

/* Each id built with `fn` for `ordinal` is the text snprintf makes of `format`. */
static void check_id(id_fn fn, const char *format, int ordinal)
{
	char want[128];
	strbuf_t sb = STRBUF_INIT;
	snprintf(want, sizeof want, format, "dalian", "3.8.1", ordinal);
	assert_int_equal(fn(&sb, "dalian", "3.8.1", ordinal), 0);
	assert_string_equal(sb.data, want);
	strbuf_free(&sb);
}

static void test_clause_and_paragraph_ids_write_their_numbers_as_decimal(void **state)
{
	(void)state;
	static const int ordinals[] = {0, 1, 9, 10, 11, 99, 100, 1234, 999999999, INT_MAX,
				       -1, -10, INT_MIN};
	for (size_t i = 0; i < sizeof ordinals / sizeof ordinals[0]; i++) {
		check_id(ps_id_clause, "%s/%s/%d", ordinals[i]);
		check_id(ps_id_paragraph, "%s/%s/p%d", ordinals[i]);
	}
}

static void test_a_section_id_is_its_plan_and_path(void **state)
{
	(void)state;
	strbuf_t sb = STRBUF_INIT;
	assert_int_equal(ps_id_section(&sb, "anshan", "0"), 0);
	assert_string_equal(sb.data, "anshan/0");
	sb.len = 0;
	assert_int_equal(ps_id_section(&sb, "tonghua", "3.4.b1.3"), 0);
	assert_string_equal(sb.data, "tonghua/3.4.b1.3");
	strbuf_free(&sb);
}

static void test_ids_append_to_what_the_buffer_holds(void **state)
{
	(void)state;
	strbuf_t sb = STRBUF_INIT;
	assert_int_equal(strbuf_append_str(&sb, "id: "), 0);
	assert_int_equal(ps_id_clause(&sb, "dandong", "2.2", 6), 0);
	assert_int_equal(strbuf_append_str(&sb, ", "), 0);
	assert_int_equal(ps_id_paragraph(&sb, "dandong", "2.2", 3), 0);
	assert_string_equal(sb.data, "id: dandong/2.2/6, dandong/2.2/p3");
	strbuf_free(&sb);
}

static void test_a_built_id_parses_back_to_its_kind_path_and_number(void **state)
{
	(void)state;
	strbuf_t sb = STRBUF_INIT;
	ps_id_t id;
	assert_int_equal(ps_id_clause(&sb, "p", "4.a31", 120), 0);
	assert_int_equal(ps_id_parse(sb.data + 2, &id), 0);
	assert_int_equal(id.kind, PS_ID_CLAUSE);
	assert_string_equal(id.path, "4.a31");
	assert_int_equal(id.ordinal, 120);
	sb.len = 0;
	assert_int_equal(ps_id_paragraph(&sb, "p", "2.3", 7), 0);
	assert_int_equal(ps_id_parse(sb.data + 2, &id), 0);
	assert_int_equal(id.kind, PS_ID_PARAGRAPH);
	assert_string_equal(id.path, "2.3");
	assert_int_equal(id.ordinal, 7);
	strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clause_and_paragraph_ids_write_their_numbers_as_decimal),
		cmocka_unit_test(test_a_section_id_is_its_plan_and_path),
		cmocka_unit_test(test_ids_append_to_what_the_buffer_holds),
		cmocka_unit_test(test_a_built_id_parses_back_to_its_kind_path_and_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
