/* test_parse.c: the query language, table-driven: what each query means and how each bad one is refused. */
#include "test.h"

#include "parse.h"

#include <stdbool.h>

typedef struct meaning {
	const char *query;
	const char *tree; /* pq_query_describe: AND(…), OR(…), NOT(…), «term» normalised */
} meaning_t;

static const meaning_t meanings[] = {
	{"双减", "«双减»"},
	{"双减 课后服务", "AND(«双减» «课后服务»)"},
	{"双减　课后服务", "AND(«双减» «课后服务»)"}, /* the ideographic space separates too */
	{"双减 AND 课后服务", "AND(«双减» «课后服务»)"},
	{"双减 OR 减负", "OR(«双减» «减负»)"},
	{"双减 | 减负", "OR(«双减» «减负»)"},
	{"双减|减负", "OR(«双减» «减负»)"},
	{"双减 -作业", "AND(«双减» NOT(«作业»))"},
	{"双减 NOT 作业", "AND(«双减» NOT(«作业»))"},
	{"A B OR C", "OR(AND(«a» «b») «c»)"}, /* AND binds tighter than OR */
	{"A (B OR C)", "AND(«a» OR(«b» «c»))"},
	{"(双减 OR 减负) 作业 -高中", "AND(OR(«双减» «减负») «作业» NOT(«高中»))"},
	{"双减 -(作业 OR 考试)", "AND(«双减» NOT(OR(«作业» «考试»)))"},
	{"双减 -\"课后 服务\"", "AND(«双减» NOT(«课后服务»))"},
	{"\"教育 现代化\"", "«教育现代化»"},  /* white space next to Chinese text is no part of it */
	{"\"Smart Campus\"", "«smart campus»"}, /* a phrase keeps its space between words */
	{"\"2025 年\"", "«2025年»"},
	{"雙減", "«双减»"},                                /* traditional folds to simplified */
	{"\"(六)\"", "«(六)»"},                            /* quoted ASCII brackets are text */
	{"\"OR\"", "«or»"},                                /* a quoted operator is a term */
	{"（六）", "«(六)»"},                              /* full-width brackets are text */
	{"“双减”", "«“双减”»"},                            /* curly quotes are text */
	{"2021-2025", "«2021-2025»"},                      /* '-' inside a word is text */
	{"or and not", "AND(«or» «and» «not»)"},           /* operators are capitals only */
	{"ＯＲ", "«or»"},                                  /* full-width OR is text */
	{"１＋Ｘ", "«1+x»"},
	{"a\"b c\"d", "AND(«a» «b c» «d»)"},
	{"((双减))", "«双减»"},
};

static void test_each_query_parses_to_the_tree_the_grammar_gives(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof meanings / sizeof meanings[0]; i++) {
		pq_query_t *q = NULL;
		char *error = NULL;
		if (pq_query_parse(&meanings[i].query, 1, &q, &error) != 0)
			fail_msg("'%s' was refused: %s", meanings[i].query, error);
		char *tree = pq_query_describe(q);
		if (strcmp(tree, meanings[i].tree) != 0)
			fail_msg("'%s' parsed as %s, expected %s", meanings[i].query, tree,
				 meanings[i].tree);
		free(tree);
		pq_query_free(q);
	}
}

typedef struct refusal {
	const char *query;
	const char *message; /* part of the message */
	const char *marked;  /* the text between ⟪ ⟫, or NULL when no position applies */
} refusal_t;

static const refusal_t refusals[] = {
	{"", "empty", NULL},
	{"   ", "empty", NULL},
	{"\"双减", "never closed", "\""},
	{"双减 \"课后 服务", "never closed", "\""},
	{"(双减 OR 减负", "never closed", "("},
	{"双减)", "no '('", ")"},
	{"()", "empty parentheses", "("},
	{"NOT", "'NOT' needs a term", "NOT"},
	{"双减 NOT", "'NOT' needs a term", "NOT"},
	{"双减 -", "'-' needs a term", "-"},
	{"双减 - 作业", "'-' needs a term", "-"},
	{"OR 双减", "'OR' needs a term on each side", "OR"},
	{"双减 OR", "'OR' needs a term on each side", "OR"},
	{"双减 OR OR 减负", "'OR' needs a term on each side", "OR"},
	{"双减 |", "'OR' needs a term on each side", "|"},
	{"AND 双减", "'AND' needs a term", "AND"},
	{"-双减", "only excludes", "-"},
	{"NOT 双减", "only excludes", "NOT"},
	{"-双减 -作业", "only excludes", "-"},
	{"双减 OR -作业", "only excluded terms", "-"},
	{"\"\"", "empty phrase", "\""},
	{"双减 --作业", "a NOT of a NOT", "-"},
	{"双减 NOT NOT 作业", "a NOT of a NOT", "NOT"},
	{"双减 -NOT 作业", "a NOT of a NOT", "NOT"},
	{"双减\n作业\n(", "never closed", "("}, /* the message stays one line */
	{"\"  \"", "empty phrase", "\""},
	{"\xe2\x80\x8b", "nothing to search for", NULL}, /* a zero-width space vanishes */
};

static void test_each_bad_query_is_refused_with_a_message_that_marks_the_place(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		const refusal_t *r = &refusals[i];
		pq_query_t *q = NULL;
		char *error = NULL;
		if (pq_query_parse(&r->query, 1, &q, &error) == 0)
			fail_msg("'%s' was accepted", r->query);
		assert_null(q);
		assert_non_null(error);
		if (strstr(error, r->message) == NULL)
			fail_msg("'%s': message '%s' lacks '%s'", r->query, error, r->message);
		assert_null(strchr(error, '\n'));
		if (r->marked != NULL) {
			char mark[64];
			snprintf(mark, sizeof mark, "⟪%s", r->marked);
			if (strstr(error, mark) == NULL)
				fail_msg("'%s': message '%s' does not mark '%s'", r->query, error,
					 r->marked);
		}
		free(error);
	}
}

static void test_the_message_gives_the_character_not_the_byte(void **state)
{
	(void)state;
	const char *query = "双减 课后服务 作业)"; /* ')' is the 11th character, byte 25 */
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse(&query, 1, &q, &error), PS_ERR_INVALID);
	assert_non_null(strstr(error, "character 11"));
	free(error);
}

static void test_invalid_utf8_names_the_argument_and_byte(void **state)
{
	(void)state;
	const char *args[] = {"双减", "ab\xff"};
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse(args, 2, &q, &error), PS_ERR_INVALID);
	assert_non_null(strstr(error, "argument 2"));
	assert_non_null(strstr(error, "byte 3"));
	free(error);
}

static void test_arguments_are_joined_by_spaces_so_quotes_may_span_them(void **state)
{
	(void)state;
	const char *args[] = {"\"教育", "现代化\"", "OR", "双减"};
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse(args, 4, &q, &error), 0);
	char *tree = pq_query_describe(q);
	assert_string_equal(tree, "OR(«教育现代化» «双减»)");
	assert_string_equal(q->text, "\"教育 现代化\" OR 双减");
	free(tree);
	pq_query_free(q);
}

static void test_terms_under_not_are_not_positive(void **state)
{
	(void)state;
	const char *query = "双减 -作业 (减负 OR 考试) -(高中 OR 初中)";
	static const bool positive[] = {true, false, true, true, false, false};
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse(&query, 1, &q, &error), 0);
	assert_int_equal(q->n_terms, 6);
	for (size_t i = 0; i < q->n_terms; i++)
		assert_int_equal(q->terms[i].positive, positive[i]);
	pq_query_free(q);
}

static void test_eval_follows_and_or_not(void **state)
{
	(void)state;
	const char *query = "a (b OR c) -d";
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse(&query, 1, &q, &error), 0);
	/* every combination of the four terms, against the formula written out */
	for (unsigned m = 0; m < 16; m++) {
		bool p[4] = {m & 1, m & 2, m & 4, m & 8};
		bool want = p[0] && (p[1] || p[2]) && !p[3];
		assert_int_equal(pq_query_eval(q, p), want);
	}
	pq_query_free(q);
}

static void test_too_many_terms_or_too_deep_nesting_is_refused(void **state)
{
	(void)state;
	size_t n = PQ_QUERY_MAX_TERMS + 1, deep = PQ_QUERY_MAX_DEPTH + 1;
	char *many = malloc(n * 2 + 1), *nested = malloc(deep * 2 + 2);
	for (size_t i = 0; i < n; i++)
		memcpy(many + 2 * i, "x ", 2);
	many[n * 2] = '\0';
	for (size_t i = 0; i < deep; i++) {
		nested[i] = '(';
		nested[deep + 1 + i] = ')';
	}
	nested[deep] = 'x';
	nested[2 * deep + 1] = '\0';
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse((const char *const *)&many, 1, &q, &error), PS_ERR_INVALID);
	assert_non_null(strstr(error, "too many terms"));
	free(error);
	error = NULL;
	assert_int_equal(pq_query_parse((const char *const *)&nested, 1, &q, &error), PS_ERR_INVALID);
	assert_non_null(strstr(error, "nests too deeply"));
	free(error);
	free(many);
	free(nested);
}

static void test_nesting_up_to_the_limit_is_accepted(void **state)
{
	(void)state;
	/* each '(' or NOT is a level; the term inside is not */
	size_t deep = PQ_QUERY_MAX_DEPTH;
	char *nested = malloc(deep * 2 + 2);
	for (size_t i = 0; i < deep; i++) {
		nested[i] = '(';
		nested[deep + 1 + i] = ')';
	}
	nested[deep] = 'x';
	nested[2 * deep + 1] = '\0';
	pq_query_t *q = NULL;
	char *error = NULL;
	if (pq_query_parse((const char *const *)&nested, 1, &q, &error) != 0)
		fail_msg("%d levels refused: %s", PQ_QUERY_MAX_DEPTH, error);
	pq_query_free(q);
	free(nested);
}

static void test_a_100_kilobyte_phrase_is_parsed(void **state)
{
	(void)state;
	size_t reps = 100 * 1024 / 6;
	char *big = malloc(reps * 6 + 3);
	big[0] = '"';
	for (size_t i = 0; i < reps; i++)
		memcpy(big + 1 + 6 * i, "双减", 6);
	memcpy(big + 1 + 6 * reps, "\"", 2);
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_parse((const char *const *)&big, 1, &q, &error), 0);
	assert_int_equal(q->n_terms, 1);
	assert_int_equal(strlen(q->terms[0].norm), reps * 6);
	pq_query_free(q);
	free(big);
}

static void test_literals_are_taken_whole_operators_included(void **state)
{
	(void)state;
	const char *terms[] = {"(六)", "OR", "-作业", "\"双减\""};
	pq_query_t *q = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_from_literals(terms, 4, &q, &error), 0);
	char *tree = pq_query_describe(q);
	assert_string_equal(tree, "AND(«(六)» «or» «-作业» «\"双减\"»)");
	free(tree);
	pq_query_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_query_parses_to_the_tree_the_grammar_gives),
		cmocka_unit_test(test_each_bad_query_is_refused_with_a_message_that_marks_the_place),
		cmocka_unit_test(test_the_message_gives_the_character_not_the_byte),
		cmocka_unit_test(test_invalid_utf8_names_the_argument_and_byte),
		cmocka_unit_test(test_arguments_are_joined_by_spaces_so_quotes_may_span_them),
		cmocka_unit_test(test_terms_under_not_are_not_positive),
		cmocka_unit_test(test_eval_follows_and_or_not),
		cmocka_unit_test(test_too_many_terms_or_too_deep_nesting_is_refused),
		cmocka_unit_test(test_nesting_up_to_the_limit_is_accepted),
		cmocka_unit_test(test_a_100_kilobyte_phrase_is_parsed),
		cmocka_unit_test(test_literals_are_taken_whole_operators_included),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
