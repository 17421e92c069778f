/* termlist.c: a list of distinct terms, each parsed as a query. */
#include "termlist.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

void pq_termlist_clear(pq_termlist_t *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->text[i]);
		pq_query_free(t->query[i]);
	}
	free(t->text);
	free(t->query);
	util_strmap_free(&t->seen);
	pq_thesaurus_free(t->own_thesaurus);
	memset(t, 0, sizeof *t);
}

ps_status_t pq_termlist_add(pq_termlist_t *t, const char *s, size_t len, const char *where,
			    char **error)
{
	if (util_strmap_get(&t->seen, s, len, NULL))
		return PS_OK;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **text = realloc(t->text, cap * sizeof *text);
		if (text != NULL)
			t->text = text;
		pq_query_t **query = realloc(t->query, cap * sizeof *query);
		if (query != NULL)
			t->query = query;
		if (text == NULL || query == NULL)
			goto oom;
		t->cap = cap;
	}
	char *copy = strndup(s, len), *why = NULL;
	pq_query_t *q = NULL;
	if (copy == NULL)
		goto oom;
	const char *args[] = {copy};
	ps_status_t rc;
	if (strchr(copy, '~') != NULL && t->thesaurus == NULL) {
		if ((rc = pq_thesaurus_open(true, NULL, 0, &t->own_thesaurus, error)) != PS_OK) {
			free(copy);
			return rc;
		}
		t->thesaurus = t->own_thesaurus;
	}
	rc = pq_query_parse_concepts(args, 1, t->thesaurus, &q, &why);
	if (rc != PS_OK) {
		if (where != NULL)
			strbuf_printf_new(error, "%s: %s", where, ps_error_message(why, rc));
		else
			strbuf_printf_new(error, "term '%s': %s", copy, ps_error_message(why, rc));
		free(why);
		free(copy);
		return rc == PS_ERR_NO_MEMORY ? rc : PS_ERR_INVALID;
	}
	if (util_strmap_put(&t->seen, copy, len, t->n, NULL) < 0) {
		pq_query_free(q);
		free(copy);
		goto oom;
	}
	t->text[t->n] = copy;
	t->query[t->n++] = q;
	return PS_OK;
oom:
	strbuf_printf_new(error, "out of memory");
	return PS_ERR_NO_MEMORY;
}
