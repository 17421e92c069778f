/* test_table_fields.c: one field of a CSV (RFC 4180) or TSV row as pq_table_field writes it. */
#include "test.h"

#include "table.h"

typedef struct field_case {
	pq_table_format_t format;
	bool first;
	const char *text;
	size_t n; /* bytes of text, 0: strlen */
	const char *expect;
} field_case_t;

static void test_csv_quotes_a_field_only_when_it_must_and_doubles_its_quotes(void **state)
{
	(void)state;
	static const field_case_t cases[] = {
		{PQ_TABLE_CSV, true, "双减", 0, "双减"},
		{PQ_TABLE_CSV, false, "双减", 0, ",双减"},
		{PQ_TABLE_CSV, true, "", 0, ""},
		{PQ_TABLE_CSV, false, "", 0, ","},
		{PQ_TABLE_CSV, true, "a,b", 0, "\"a,b\""},
		{PQ_TABLE_CSV, true, "\"", 0, "\"\"\"\""},
		{PQ_TABLE_CSV, true, "推进“双减”和\"减负\"", 0, "\"推进“双减”和\"\"减负\"\"\""},
		{PQ_TABLE_CSV, true, "\"start", 0, "\"\"\"start\""},
		{PQ_TABLE_CSV, true, "end\"", 0, "\"end\"\"\""},
		{PQ_TABLE_CSV, true, "\"\"", 0, "\"\"\"\"\"\""},
		{PQ_TABLE_CSV, true, "two\nlines", 0, "\"two\nlines\""},
		{PQ_TABLE_CSV, true, "cr\r", 0, "\"cr\r\""},
		{PQ_TABLE_CSV, true, "tab\tstays", 0, "tab\tstays"},
		{PQ_TABLE_CSV, true, "a\"b,cut here", 4, "\"a\"\"b,\""},
	};
	static const field_case_t tsv[] = {
		{PQ_TABLE_TSV, true, "双减", 0, "双减"},
		{PQ_TABLE_TSV, false, "双减", 0, "\t双减"},
		{PQ_TABLE_TSV, true, "a\tb", 0, "a b"},
		{PQ_TABLE_TSV, true, "\tedges\n", 0, " edges "},
		{PQ_TABLE_TSV, true, "\r\n\t", 0, "   "},
		{PQ_TABLE_TSV, true, "quote\" and, comma", 0, "quote\" and, comma"},
		{PQ_TABLE_TSV, true, "one\ntwo\rthree", 7, "one two"},
		{PQ_TABLE_TSV, false, "", 0, "\t"},
	};
	const field_case_t *all[] = {cases, tsv};
	size_t n_all[] = {sizeof cases / sizeof cases[0], sizeof tsv / sizeof tsv[0]};
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 0; i < n_all[t]; i++) {
			const field_case_t *c = &all[t][i];
			char *buf = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&buf, &len);
			assert_non_null(f);
			assert_int_equal(pq_table_field(f, c->format, c->first, c->text,
							 c->n ? c->n : strlen(c->text)),
					 0);
			assert_int_equal(fclose(f), 0);
			if (len != strlen(c->expect) || memcmp(buf, c->expect, len) != 0)
				fail_msg("%s case %zu: wrote \"%.*s\", expected \"%s\"",
					 t ? "tsv" : "csv", i, (int)len, buf, c->expect);
			free(buf);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quotes_a_field_only_when_it_must_and_doubles_its_quotes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
