/* parse.h: the query language: terms, "phrases", OR, NOT, parentheses → a tree of literal terms. */
#ifndef PQ_PARSE_H
#define PQ_PARSE_H

#include "status.h"
#include "thesaurus.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The grammar, over the query arguments joined by single spaces (operators are ASCII and
 * are recognised before normalisation, so full-width （ ） and curly “ ” are ordinary
 * characters of a term):
 *
 *   query   = or
 *   or      = and { ("OR" | "|") and }            loosest
 *   and     = unary { ["AND"] unary }             juxtaposition means AND
 *   unary   = ("NOT" | "-") unary | primary       "-" only at the start of a word
 *   primary = "(" or ")" | '"' phrase '"' | word
 *
 * A word is a run of characters other than white space (any Unicode white space, the
 * ideographic space too), '"', '(', ')' and '|'; the words OR, AND and NOT in capitals are
 * operators. A phrase keeps its inner white space. Every word and phrase is a term, which
 * matches where its normalised text (normalize.h) occurs literally.
 *
 * A query must say what to look for: it may not be empty, and every side of an OR and the
 * query as a whole needs a term outside any NOT ("-课后服务" alone is refused).
 */

/* Limits that keep a hostile query cheap to refuse. */
#define PQ_QUERY_MAX_TERMS 1024
#define PQ_QUERY_MAX_DEPTH 64

typedef enum pq_node_kind {
	PQ_NODE_TERM,
	PQ_NODE_AND,
	PQ_NODE_OR,
	PQ_NODE_NOT,
} pq_node_kind_t;

typedef struct pq_node {
	pq_node_kind_t kind;
	size_t term;           /* PQ_NODE_TERM: index into the query's terms */
	struct pq_node **kids; /* AND and OR: two or more; NOT: one */
	size_t n_kids;
	size_t pos;            /* byte offset in the query text where the node starts */
} pq_node_t;

typedef struct pq_term {
	char *text;    /* as typed (a phrase without its quotes) */
	char *norm;    /* normalised: what must occur literally */
	size_t pos;    /* byte offset in the query text */
	bool positive; /* outside every NOT: it is searched for and its matches are marked */
	char *concept; /* a term of ~CONCEPT: the word as typed ("~双减"), owned; else NULL */
} pq_term_t;

typedef struct pq_query {
	char *text;       /* the arguments joined by single spaces */
	pq_node_t *root;
	pq_term_t *terms; /* in the order they were typed; the same text may occur twice */
	size_t n_terms;
} pq_query_t;

/*
 * Parse the query arguments. Returns PS_OK and a query the caller frees with
 * pq_query_free, or with a malloc'd one-line message in *error: PS_ERR_INVALID for a query
 * that breaks the grammar (it names the character where the problem is and shows the text
 * around it), invalid UTF-8 (the argument and byte), a term that normalises to nothing or
 * a query over the limits above; PS_ERR_NO_MEMORY when memory runs out.
 */
ps_status_t pq_query_parse(const char *const *args, size_t n_args, pq_query_t **out,
			   char **error);

/* The same, with ~CONCEPT words: a word starting with '~' becomes the OR of every term
 * of the thesaurus group its rest names (pq_thesaurus_find), each a literal term whose
 * `concept` is the word; a word no group holds is refused (PS_ERR_INVALID). With a NULL
 * thesaurus, '~' is an ordinary character (as pq_query_parse). A quoted "~双减" is always
 * literal. */
ps_status_t pq_query_parse_concepts(const char *const *args, size_t n_args,
				    const pq_thesaurus_t *thesaurus, pq_query_t **out,
				    char **error);

/* A query that is the AND of the given terms taken literally, operators and quotes
 * included (for callers that hold terms rather than a typed query: tests, term lists).
 * Returns PS_OK and a query to free with pq_query_free, or PS_ERR_INVALID with a malloc'd
 * message for no terms, invalid UTF-8, a term that normalises to nothing, or too many
 * terms (PS_ERR_NO_MEMORY when memory runs out). */
ps_status_t pq_query_from_literals(const char *const *terms, size_t n_terms, pq_query_t **out,
				   char **error);

/* Free a query. Accepts NULL. */
void pq_query_free(pq_query_t *query);

/* Whether the query holds for a text in which term i occurs exactly when present[i].
 * Cannot fail. */
bool pq_query_eval(const pq_query_t *query, const bool *present);

/* Whether the node holds, as pq_query_eval. */
bool pq_node_eval(const pq_node_t *node, const bool *present);

/* Write the query back in canonical form, fully parenthesised, for tests and --explain:
 * AND(…), OR(…), NOT(…) and terms in «». Returns a malloc'd string, NULL when memory
 * runs out. */
char *pq_query_describe(const pq_query_t *query);

#endif
