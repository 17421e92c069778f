/* parse.c: a recursive-descent parser for the query language of parse.h. */
#include "parse.h"

#include "normalize.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

typedef enum tok_kind {
	TOK_END,
	TOK_WORD,
	TOK_PHRASE,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_OR,
	TOK_AND,
	TOK_NOT,
} tok_kind_t;

typedef struct token {
	tok_kind_t kind;
	size_t pos;          /* where the token starts in the query text */
	size_t start, end;   /* the term's bytes (a phrase's without its quotes) */
} token_t;

typedef struct parser {
	pq_query_t *q;
	const char *s;
	size_t len;
	size_t i;         /* lexer position */
	bool word_start;  /* at the start of a word: a '-' here is NOT */
	token_t tok;      /* the current token */
	size_t cap_terms;
	int depth;
	char **error;
	bool out_of_memory; /* the failure was memory, not the query */
	const pq_thesaurus_t *thesaurus; /* where ~CONCEPT is looked up; NULL: '~' is literal */
} parser_t;

/* Fail for want of memory. */
static void no_memory(parser_t *p)
{
	strbuf_printf_new(p->error, "out of memory");
	p->out_of_memory = true;
}

static bool is_space(int32_t c)
{
	return utf8_is_space(c) || u_isUWhiteSpace(c);
}

static bool ends_word(int32_t c)
{
	return is_space(c) || c == '"' || c == '(' || c == ')' || c == '|';
}

static bool is_ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Report a problem at byte `pos` of the query: "what at character N: …context⟪x⟫context…". */
static int fail_at(parser_t *p, size_t pos, const char *what)
{
	enum { CONTEXT = 12 };
	size_t ch = 1, i = 0;
	while (i < pos)
		ch += ((unsigned char)p->s[i++] & 0xC0) != 0x80;
	size_t from = pos, to = pos;
	for (int k = 0; k < CONTEXT && from > 0; k++)
		utf8_prev(p->s, 0, &from);
	size_t mark_end = pos; /* one character, or a whole ASCII word such as OR */
	if (mark_end < p->len)
		utf8_next(p->s, &mark_end, p->len);
	while (mark_end < p->len && is_ascii_letter(p->s[pos]) && is_ascii_letter(p->s[mark_end]))
		mark_end++;
	to = mark_end;
	for (int k = 0; k < CONTEXT && to < p->len; k++)
		utf8_next(p->s, &to, p->len);
	/* the message is one line: control characters in the context show as spaces */
	char *ctx = strndup(p->s + from, to - from);
	if (ctx == NULL) {
		no_memory(p);
		return -1;
	}
	for (char *c = ctx; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	size_t at = pos - from, mark = mark_end - pos;
	if (pos >= p->len)
		strbuf_printf_new(p->error, "%s at the end of the query: %s%s⟪⟫", what,
				  from > 0 ? "…" : "", ctx);
	else
		strbuf_printf_new(p->error, "%s at character %zu: %s%.*s⟪%.*s⟫%s%s", what, ch,
				  from > 0 ? "…" : "", (int)at, ctx, (int)mark, ctx + at,
				  ctx + at + mark, to < p->len ? "…" : "");
	free(ctx);
	return -1;
}

/* Read the next token into p->tok. Returns 0, or -1 with a message. */
static int next_token(parser_t *p)
{
	const char *s = p->s;
	size_t j;
	int32_t c = 0;

	while (p->i < p->len) {
		j = p->i;
		c = utf8_next(s, &j, p->len);
		if (!is_space(c))
			break;
		p->i = j;
		p->word_start = true;
	}
	token_t *t = &p->tok;
	t->pos = t->start = t->end = p->i;
	if (p->i >= p->len) {
		t->kind = TOK_END;
		return 0;
	}
	j = p->i;
	c = utf8_next(s, &j, p->len);
	switch (c) {
	case '(': t->kind = TOK_LPAREN; p->i = j; p->word_start = true; return 0;
	case ')': t->kind = TOK_RPAREN; p->i = j; p->word_start = true; return 0;
	case '|': t->kind = TOK_OR; p->i = j; p->word_start = true; return 0;
	case '"': {
		const char *close = memchr(s + j, '"', p->len - j);
		if (close == NULL)
			return fail_at(p, p->i, "the quote opened here is never closed");
		t->kind = TOK_PHRASE;
		t->start = j;
		t->end = (size_t)(close - s);
		size_t ws = t->start, we = t->end;
		utf8_trim(s, &ws, &we);
		if (we == ws)
			return fail_at(p, p->i, "an empty phrase");
		p->i = t->end + 1;
		p->word_start = true;
		return 0;
	}
	case '-':
		if (p->word_start) {
			size_t k = j;
			int32_t next = k < p->len ? utf8_next(s, &k, p->len) : ' ';
			if (is_space(next) || next == ')' || next == '|')
				return fail_at(p, p->i, "'-' needs a term right after it");
			t->kind = TOK_NOT;
			p->i = j;
			p->word_start = true; /* -(…), -"…" and - -x read on */
			return 0;
		}
		break;
	default: break;
	}
	/* a word: up to white space or an operator character */
	size_t end = p->i;
	while (end < p->len) {
		size_t k = end;
		if (ends_word(utf8_next(s, &k, p->len)))
			break;
		end = k;
	}
	t->start = p->i;
	t->end = end;
	p->i = end;
	p->word_start = false;
	size_t n = end - t->start;
	if (n == 2 && memcmp(s + t->start, "OR", 2) == 0)
		t->kind = TOK_OR;
	else if (n == 3 && memcmp(s + t->start, "AND", 3) == 0)
		t->kind = TOK_AND;
	else if (n == 3 && memcmp(s + t->start, "NOT", 3) == 0)
		t->kind = TOK_NOT;
	else
		t->kind = TOK_WORD;
	if (t->kind != TOK_WORD)
		p->word_start = true;
	return 0;
}

static void node_free(pq_node_t *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n_kids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n);
}

static pq_node_t *node_new(parser_t *p, pq_node_kind_t kind, size_t pos)
{
	pq_node_t *n = calloc(1, sizeof *n);
	if (n == NULL)
		no_memory(p);
	else
		*n = (pq_node_t){.kind = kind, .pos = pos};
	return n;
}

/* Append kid to n's children; on failure frees kid. */
static int node_add(parser_t *p, pq_node_t *n, pq_node_t *kid)
{
	pq_node_t **kids = realloc(n->kids, (n->n_kids + 1) * sizeof *kids);
	if (kids == NULL) {
		node_free(kid);
		no_memory(p);
		return -1;
	}
	n->kids = kids;
	n->kids[n->n_kids++] = kid;
	return 0;
}

/* A TERM node for the normalised text `norm` (taken over, also on failure), typed as
 * text[0,text_len) at query position pos; `concept` (copied) names the ~CONCEPT it stands
 * for, or is NULL. */
static pq_node_t *add_term(parser_t *p, char *norm, const char *text, size_t text_len,
			   size_t pos, const char *concept)
{
	pq_query_t *q = p->q;
	if (q->n_terms == PQ_QUERY_MAX_TERMS) {
		free(norm);
		fail_at(p, pos, "too many terms (at most " STRINGIFY(PQ_QUERY_MAX_TERMS) ")");
		return NULL;
	}
	if (q->n_terms == p->cap_terms) {
		size_t cap = p->cap_terms ? p->cap_terms * 2 : 8;
		pq_term_t *terms = realloc(q->terms, cap * sizeof *terms);
		if (terms == NULL)
			goto oom;
		q->terms = terms;
		p->cap_terms = cap;
	}
	char *copy = strndup(text, text_len), *cname = concept ? strdup(concept) : NULL;
	pq_node_t *n = copy && (cname || !concept) ? node_new(p, PQ_NODE_TERM, pos) : NULL;
	if (n == NULL) {
		free(copy);
		free(cname);
		goto oom;
	}
	n->term = q->n_terms;
	q->terms[q->n_terms++] = (pq_term_t){.text = copy, .norm = norm, .pos = pos,
					     .concept = cname};
	return n;
oom:
	free(norm);
	no_memory(p);
	return NULL;
}

/* ~CONCEPT: an OR of every term of its thesaurus group, each a literal term. */
static pq_node_t *concept_node(parser_t *p)
{
	const token_t *t = &p->tok;
	seg_norm_t norm = {0};
	size_t at = t->start + 1; /* after the '~' */
	if (seg_normalize(p->s + at, t->end - at, false, &norm, p->error) != 0)
		return NULL;
	long g = norm.len ? pq_thesaurus_find(p->thesaurus, norm.text, norm.len) : -1;
	if (g < 0) {
		fail_at(p, t->start, norm.len ? "no concept group of the thesaurus holds this "
						"term (quote it, \"~…\", to search for it "
						"literally)"
					      : "'~' needs a concept after it");
		seg_norm_clear(&norm);
		return NULL;
	}
	seg_norm_clear(&norm);
	pq_concept_t c;
	pq_thesaurus_group(p->thesaurus, (size_t)g, &c);
	char *name = strndup(p->s + t->start, t->end - t->start);
	pq_node_t *or = name ? node_new(p, PQ_NODE_OR, t->pos) : NULL;
	if (or == NULL) {
		free(name);
		if (!p->out_of_memory)
			no_memory(p);
		return NULL;
	}
	for (size_t k = 0; k <= c.n_variants; k++) {
		const char *term = k == 0 ? c.head : c.variants[k - 1];
		char *copy = strdup(term);
		pq_node_t *kid = copy ? add_term(p, copy, term, strlen(term), t->pos, name) : NULL;
		if (copy == NULL)
			no_memory(p);
		if (kid == NULL || node_add(p, or, kid) != 0) {
			free(name);
			node_free(or);
			return NULL;
		}
	}
	free(name);
	return or;
}

/* The current word or phrase becomes a term and a TERM node (a ~CONCEPT word, an OR of
 * its group's terms). */
static pq_node_t *term_node(parser_t *p)
{
	const token_t *t = &p->tok;
	seg_norm_t norm = {0};

	if (p->thesaurus != NULL && t->kind == TOK_WORD && p->s[t->start] == '~')
		return concept_node(p);
	if (p->q->n_terms == PQ_QUERY_MAX_TERMS) {
		fail_at(p, t->pos, "too many terms (at most " STRINGIFY(PQ_QUERY_MAX_TERMS) ")");
		return NULL;
	}
	if (seg_normalize(p->s + t->start, t->end - t->start, false, &norm, p->error) != 0)
		return NULL;
	if (norm.len == 0) {
		seg_norm_clear(&norm);
		fail_at(p, t->start, "this term has nothing to search for once normalised");
		return NULL;
	}
	return add_term(p, norm.text, p->s + t->start, t->end - t->start, t->pos, NULL);
}

static pq_node_t *parse_or(parser_t *p);

static pq_node_t *parse_unary(parser_t *p)
{
	pq_node_t *n = NULL;
	/* a '(' or a NOT opens a level; a term does not */
	bool nests = p->tok.kind == TOK_NOT || p->tok.kind == TOK_LPAREN;
	if (nests && ++p->depth > PQ_QUERY_MAX_DEPTH) {
		fail_at(p, p->tok.pos, "the query nests too deeply");
		goto out;
	}
	switch (p->tok.kind) {
	case TOK_NOT: {
		size_t pos = p->tok.pos;
		if (next_token(p) != 0)
			goto out;
		tok_kind_t k = p->tok.kind;
		if (k == TOK_END || k == TOK_RPAREN || k == TOK_OR || k == TOK_AND) {
			fail_at(p, pos, "'NOT' needs a term after it");
			goto out;
		}
		if (k == TOK_NOT) { /* "- -x" or "NOT NOT x" would only mean x, or be a slip */
			fail_at(p, p->tok.pos, "a NOT of a NOT; write the term itself");
			goto out;
		}
		pq_node_t *kid = parse_unary(p);
		if (kid == NULL)
			goto out;
		n = node_new(p, PQ_NODE_NOT, pos);
		if (n == NULL || node_add(p, n, kid) != 0) {
			if (n == NULL)
				node_free(kid);
			node_free(n);
			n = NULL;
		}
		goto out;
	}
	case TOK_LPAREN: {
		size_t pos = p->tok.pos;
		if (next_token(p) != 0)
			goto out;
		if (p->tok.kind == TOK_RPAREN || p->tok.kind == TOK_END) {
			fail_at(p, pos, p->tok.kind == TOK_END ? "the '(' here is never closed"
							      : "empty parentheses");
			goto out;
		}
		n = parse_or(p);
		if (n == NULL)
			goto out;
		if (p->tok.kind != TOK_RPAREN) {
			fail_at(p, pos, "the '(' here is never closed");
			node_free(n);
			n = NULL;
			goto out;
		}
		if (next_token(p) != 0) {
			node_free(n);
			n = NULL;
		}
		goto out;
	}
	case TOK_WORD:
	case TOK_PHRASE:
		n = term_node(p);
		if (n != NULL && next_token(p) != 0) {
			node_free(n);
			n = NULL;
		}
		goto out;
	case TOK_RPAREN: fail_at(p, p->tok.pos, "this ')' has no '(' before it"); goto out;
	case TOK_OR: fail_at(p, p->tok.pos, "'OR' needs a term on each side"); goto out;
	case TOK_AND: fail_at(p, p->tok.pos, "'AND' needs a term on each side"); goto out;
	case TOK_END: fail_at(p, p->tok.pos, "a term is missing"); goto out;
	}
out:
	if (nests)
		p->depth--;
	return n;
}

/* Parse a sequence of `sub` separated by `sep` (or, when juxtaposed, implicitly for AND)
 * into one node of kind `kind`, or the single operand. */
static pq_node_t *parse_list(parser_t *p, pq_node_kind_t kind)
{
	pq_node_t *first = kind == PQ_NODE_OR ? parse_list(p, PQ_NODE_AND) : parse_unary(p);
	pq_node_t *list = NULL;
	if (first == NULL)
		return NULL;
	for (;;) {
		tok_kind_t k = p->tok.kind;
		size_t op_pos = p->tok.pos;
		bool more;
		if (kind == PQ_NODE_OR)
			more = k == TOK_OR;
		else
			more = k == TOK_AND || k == TOK_WORD || k == TOK_PHRASE || k == TOK_NOT ||
			       k == TOK_LPAREN;
		if (!more)
			break;
		if (k == TOK_OR || k == TOK_AND) {
			if (next_token(p) != 0)
				goto fail;
			tok_kind_t after = p->tok.kind;
			if (after == TOK_END || after == TOK_RPAREN || after == TOK_OR ||
			    after == TOK_AND) {
				fail_at(p, op_pos, k == TOK_OR ? "'OR' needs a term on each side"
							       : "'AND' needs a term on each side");
				goto fail;
			}
		}
		if (list == NULL) {
			list = node_new(p, kind, first->pos);
			if (list == NULL || node_add(p, list, first) != 0) {
				first = list == NULL ? first : NULL;
				goto fail;
			}
			first = NULL;
		}
		pq_node_t *next = kind == PQ_NODE_OR ? parse_list(p, PQ_NODE_AND) : parse_unary(p);
		if (next == NULL || node_add(p, list, next) != 0)
			goto fail;
	}
	return list ? list : first;
fail:
	node_free(first);
	node_free(list);
	return NULL;
}

static pq_node_t *parse_or(parser_t *p)
{
	return parse_list(p, PQ_NODE_OR);
}

/* Mark terms under a NOT, and refuse a query (or a side of an OR) with nothing to search
 * for. Returns whether the node has a term outside any NOT, or -1 after reporting. */
static int check_positive(parser_t *p, const pq_node_t *n, bool negated)
{
	switch (n->kind) {
	case PQ_NODE_TERM:
		p->q->terms[n->term].positive = !negated;
		return !negated;
	case PQ_NODE_NOT:
		return check_positive(p, n->kids[0], true) < 0 ? -1 : 0;
	case PQ_NODE_AND: {
		int any = 0;
		for (size_t i = 0; i < n->n_kids; i++) {
			int r = check_positive(p, n->kids[i], negated);
			if (r < 0)
				return -1;
			any |= r;
		}
		return any;
	}
	case PQ_NODE_OR:
		for (size_t i = 0; i < n->n_kids; i++) {
			int r = check_positive(p, n->kids[i], negated);
			if (r < 0)
				return -1;
			if (r == 0 && !negated) {
				fail_at(p, n->kids[i]->pos, "this side of 'OR' has only excluded "
					"terms, so it would match nearly everything");
				return -1;
			}
		}
		return !negated;
	}
	return 0;
}

/* Join the arguments with single spaces, checking each is valid UTF-8. */
static char *join_args(const char *const *args, size_t n_args, char **error)
{
	strbuf_t b = STRBUF_INIT;
	for (size_t a = 0; a < n_args; a++) {
		const char *s = args[a];
		size_t len = strlen(s), i = 0;
		while (i < len) {
			size_t at = i;
			if (utf8_next(s, &i, len) < 0) {
				strbuf_free(&b);
				strbuf_printf_new(error, "query argument %zu is not valid UTF-8 "
						  "(byte %zu)", a + 1, at + 1);
				return NULL;
			}
		}
		if ((a > 0 && strbuf_append(&b, " ", 1) != 0) || strbuf_append(&b, s, len) != 0) {
			strbuf_free(&b);
			strbuf_printf_new(error, "out of memory");
			return NULL;
		}
	}
	char *text = strbuf_steal(&b);
	if (text == NULL)
		strbuf_printf_new(error, "out of memory");
	return text;
}

ps_status_t pq_query_parse(const char *const *args, size_t n_args, pq_query_t **out,
			   char **error)
{
	return pq_query_parse_concepts(args, n_args, NULL, out, error);
}

ps_status_t pq_query_parse_concepts(const char *const *args, size_t n_args,
				    const pq_thesaurus_t *thesaurus, pq_query_t **out,
				    char **error)
{
	parser_t p = {.error = error, .word_start = true, .thesaurus = thesaurus};
	pq_query_t *q = calloc(1, sizeof *q);

	if (q == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	p.q = q;
	q->text = join_args(args, n_args, error);
	if (q->text == NULL) {
		/* join_args fails for invalid UTF-8 too, and says which */
		p.out_of_memory = error != NULL && *error != NULL &&
				  strcmp(*error, "out of memory") == 0;
		goto fail;
	}
	p.s = q->text;
	p.len = strlen(q->text);
	if (next_token(&p) != 0)
		goto fail;
	if (p.tok.kind == TOK_END) {
		strbuf_printf_new(error, "the query is empty");
		goto fail;
	}
	q->root = parse_or(&p);
	if (q->root == NULL)
		goto fail;
	if (p.tok.kind != TOK_END) { /* only a stray ')' stops the top level early */
		fail_at(&p, p.tok.pos, "this ')' has no '(' before it");
		goto fail;
	}
	int positive = check_positive(&p, q->root, false);
	if (positive < 0)
		goto fail;
	if (positive == 0) {
		fail_at(&p, q->root->pos, "the query only excludes; add a term to search for");
		goto fail;
	}
	*out = q;
	return PS_OK;
fail:
	pq_query_free(q);
	return p.out_of_memory ? PS_ERR_NO_MEMORY : PS_ERR_INVALID;
}

ps_status_t pq_query_from_literals(const char *const *terms, size_t n_terms, pq_query_t **out,
				   char **error)
{
	parser_t p = {.error = error};
	pq_query_t *q = calloc(1, sizeof *q);

	if (q == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	p.q = q;
	q->text = join_args(terms, n_terms, error);
	if (q->text == NULL) {
		p.out_of_memory = error != NULL && *error != NULL &&
				  strcmp(*error, "out of memory") == 0;
		goto fail;
	}
	p.s = q->text;
	p.len = strlen(q->text);
	if (n_terms == 0) {
		strbuf_printf_new(error, "the query is empty");
		goto fail;
	}
	q->root = node_new(&p, PQ_NODE_AND, 0);
	if (q->root == NULL)
		goto fail;
	size_t at = 0;
	for (size_t i = 0; i < n_terms; i++) {
		size_t len = strlen(terms[i]);
		p.tok = (token_t){.kind = TOK_WORD, .pos = at, .start = at, .end = at + len};
		at += len + 1;
		pq_node_t *n = term_node(&p);
		if (n == NULL || node_add(&p, q->root, n) != 0)
			goto fail;
		q->terms[n->term].positive = true;
	}
	*out = q;
	return PS_OK;
fail:
	pq_query_free(q);
	return p.out_of_memory ? PS_ERR_NO_MEMORY : PS_ERR_INVALID;
}

void pq_query_free(pq_query_t *q)
{
	if (q == NULL)
		return;
	node_free(q->root);
	for (size_t i = 0; i < q->n_terms; i++) {
		free(q->terms[i].text);
		free(q->terms[i].norm);
		free(q->terms[i].concept);
	}
	free(q->terms);
	free(q->text);
	free(q);
}

bool pq_node_eval(const pq_node_t *n, const bool *present)
{
	switch (n->kind) {
	case PQ_NODE_TERM: return present[n->term];
	case PQ_NODE_NOT: return !pq_node_eval(n->kids[0], present);
	case PQ_NODE_AND:
		for (size_t i = 0; i < n->n_kids; i++)
			if (!pq_node_eval(n->kids[i], present))
				return false;
		return true;
	case PQ_NODE_OR:
		for (size_t i = 0; i < n->n_kids; i++)
			if (pq_node_eval(n->kids[i], present))
				return true;
		return false;
	}
	return false;
}

bool pq_query_eval(const pq_query_t *q, const bool *present)
{
	return pq_node_eval(q->root, present);
}

static int describe(const pq_query_t *q, const pq_node_t *n, strbuf_t *b)
{
	static const char *const names[] = {"", "AND", "OR", "NOT"};
	if (n->kind == PQ_NODE_TERM)
		return strbuf_printf(b, "«%s»", q->terms[n->term].norm);
	if (strbuf_printf(b, "%s(", names[n->kind]) != 0)
		return -1;
	for (size_t i = 0; i < n->n_kids; i++)
		if ((i > 0 && strbuf_append(b, " ", 1) != 0) || describe(q, n->kids[i], b) != 0)
			return -1;
	return strbuf_append(b, ")", 1);
}

char *pq_query_describe(const pq_query_t *q)
{
	strbuf_t b = STRBUF_INIT;
	if (describe(q, q->root, &b) != 0) {
		strbuf_free(&b);
		return NULL;
	}
	return strbuf_steal(&b);
}
