/* parse.c: query arguments → literal terms. */
#include "parse.h"

#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

static int push(char ***terms, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		char **grown = realloc(*terms, c * sizeof *grown);
		if (grown == NULL)
			return -1;
		*terms = grown;
		*cap = c;
	}
	char *t = malloc(len + 1);
	if (t == NULL)
		return -1;
	memcpy(t, s, len);
	t[len] = '\0';
	(*terms)[(*n)++] = t;
	return 0;
}

int pq_parse_terms(const char *const *args, size_t n_args, char ***terms_out, size_t *n_out,
		   char **error)
{
	char **terms = NULL;
	size_t n = 0, cap = 0;

	for (size_t a = 0; a < n_args; a++) {
		const char *s = args[a];
		size_t len = strlen(s), i = 0, start = 0;
		while (i < len) {
			size_t at = i;
			int32_t c = utf8_next(s, &i, len);
			if (c < 0) {
				strbuf_printf_new(error, "query argument %zu is not valid UTF-8 (byte %zu)",
						  a + 1, at + 1);
				goto fail;
			}
			if (!u_isUWhiteSpace(c))
				continue;
			if (at > start && push(&terms, &n, &cap, s + start, at - start) != 0)
				goto oom;
			start = i;
		}
		if (len > start && push(&terms, &n, &cap, s + start, len - start) != 0)
			goto oom;
	}
	if (n == 0) {
		strbuf_printf_new(error, "the query is empty");
		goto fail;
	}
	*terms_out = terms;
	*n_out = n;
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
fail:
	pq_terms_free(terms, n);
	return -1;
}

void pq_terms_free(char **terms, size_t n_terms)
{
	if (terms == NULL)
		return;
	for (size_t i = 0; i < n_terms; i++)
		free(terms[i]);
	free(terms);
}
