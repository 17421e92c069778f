/* thesaurus.c: policy-concept groups read from HEAD = VARIANT | VARIANT lines, kept normalised. */
#include "thesaurus.h"

#include "file.h"
#include "normalize.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A thesaurus is small (hundreds of groups), so lookups scan it. */
typedef struct group {
	char *head;
	char **variants;
	size_t n_variants;
} group_t;

struct pq_thesaurus {
	group_t *groups;
	size_t n, cap;
};

#define MAX_FILE_BYTES (16u << 20)

pq_thesaurus_t *pq_thesaurus_new(void)
{
	return calloc(1, sizeof(pq_thesaurus_t));
}

static void group_free(group_t *g)
{
	free(g->head);
	for (size_t i = 0; i < g->n_variants; i++)
		free(g->variants[i]);
	free(g->variants);
	*g = (group_t){0};
}

void pq_thesaurus_free(pq_thesaurus_t *th)
{
	if (th == NULL)
		return;
	for (size_t i = 0; i < th->n; i++)
		group_free(&th->groups[i]);
	free(th->groups);
	free(th);
}

size_t pq_thesaurus_size(const pq_thesaurus_t *th)
{
	return th ? th->n : 0;
}

void pq_thesaurus_group(const pq_thesaurus_t *th, size_t i, pq_concept_t *out)
{
	const group_t *g = &th->groups[i];
	*out = (pq_concept_t){.head = g->head, .variants = (const char *const *)g->variants,
			      .n_variants = g->n_variants};
}

static bool same(const char *a, const char *norm, size_t len)
{
	return strlen(a) == len && memcmp(a, norm, len) == 0;
}

bool pq_thesaurus_group_has(const pq_thesaurus_t *th, size_t i, const char *norm, size_t len)
{
	const group_t *g = &th->groups[i];
	if (same(g->head, norm, len))
		return true;
	for (size_t k = 0; k < g->n_variants; k++)
		if (same(g->variants[k], norm, len))
			return true;
	return false;
}

long pq_thesaurus_find(const pq_thesaurus_t *th, const char *norm, size_t len)
{
	if (th == NULL)
		return -1;
	for (size_t i = 0; i < th->n; i++)
		if (same(th->groups[i].head, norm, len))
			return (long)i;
	for (size_t i = 0; i < th->n; i++)
		if (pq_thesaurus_group_has(th, i, norm, len))
			return (long)i;
	return -1;
}

/* One term of a line, text[start,end), trimmed and normalised into *out. Returns 0; 1 when
 * it is empty (after trimming or normalising); -1 with a message. */
static int take_term(const char *text, size_t start, size_t end, char **out, char **error)
{
	utf8_trim(text, &start, &end);
	if (start == end)
		return 1;
	seg_norm_t n;
	if (seg_normalize(text + start, end - start, false, &n, error) != 0)
		return -1;
	if (n.len == 0) {
		seg_norm_clear(&n);
		return 1;
	}
	*out = n.text; /* NUL-terminated, owned now */
	return 0;
}

/* Parse one group line text[start,end) into *g. Returns 0, or -1 with what is wrong in
 * *why (a static string) or a message in *error when normalising failed. */
static int parse_line(const char *text, size_t start, size_t end, group_t *g, const char **why,
		      char **error)
{
	*g = (group_t){0};
	const char *eq = NULL;
	if (end - start >= 2 && text[start] == '=' && text[start + 1] == ' ') {
		*why = "the head before ' = ' is empty";
		return -1;
	}
	for (size_t i = start; i + 3 <= end; i++)
		if (memcmp(text + i, " = ", 3) == 0) {
			eq = text + i;
			break;
		}
	if (eq == NULL) {
		*why = "a group is HEAD = VARIANT | VARIANT …; this line has no ' = '";
		return -1;
	}
	size_t eq_at = (size_t)(eq - text);
	int rc = take_term(text, start, eq_at, &g->head, error);
	if (rc != 0) {
		if (rc > 0)
			*why = "the head before ' = ' is empty";
		goto fail;
	}
	for (size_t at = eq_at + 3; at <= end;) {
		size_t bar = at;
		while (bar < end && text[bar] != '|')
			bar++;
		char *v = NULL;
		rc = take_term(text, at, bar, &v, error);
		if (rc != 0) {
			if (rc > 0)
				*why = "an empty variant (two '|' in a row, or one at an end)";
			goto fail;
		}
		if (strstr(v, " = ") != NULL) {
			free(v);
			*why = "a variant holds a second ' = '";
			goto fail;
		}
		bool dup = strcmp(v, g->head) == 0;
		for (size_t k = 0; k < g->n_variants && !dup; k++)
			dup = strcmp(v, g->variants[k]) == 0;
		if (dup) {
			free(v);
			*why = "a term occurs twice in the group";
			goto fail;
		}
		char **grown = realloc(g->variants, (g->n_variants + 1) * sizeof *grown);
		if (grown == NULL) {
			free(v);
			strbuf_printf_new(error, "out of memory");
			goto fail;
		}
		g->variants = grown;
		g->variants[g->n_variants++] = v;
		at = bar + 1;
	}
	return 0;
fail:
	group_free(g);
	return -1;
}

static int add_group(pq_thesaurus_t *th, group_t *g)
{
	for (size_t i = 0; i < th->n; i++)
		if (strcmp(th->groups[i].head, g->head) == 0) {
			group_free(&th->groups[i]);
			th->groups[i] = *g;
			return 0;
		}
	if (th->n == th->cap) {
		size_t cap = th->cap ? th->cap * 2 : 64;
		group_t *grown = realloc(th->groups, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		th->groups = grown;
		th->cap = cap;
	}
	th->groups[th->n++] = *g;
	return 0;
}

ps_status_t pq_thesaurus_load_text(pq_thesaurus_t *th, const char *name, const char *text,
				   size_t len, char **error)
{
	group_t *parsed = NULL;
	size_t n = 0, cap = 0, line = 0;
	ps_status_t rc = PS_ERR_INVALID;
	size_t at = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	while (at < len) {
		size_t end = at;
		while (end < len && text[end] != '\n')
			end++;
		size_t s = at, e = end;
		line++;
		at = end + 1;
		utf8_trim(text, &s, &e);
		if (s == e || text[s] == '#')
			continue;
		if (memchr(text + s, '\0', e - s) != NULL) {
			strbuf_printf_new(error, "%s:%zu: a NUL byte in the line", name, line);
			goto out;
		}
		group_t g;
		const char *why = NULL;
		char *err = NULL;
		if (parse_line(text, s, e, &g, &why, &err) != 0) {
			if (why != NULL) {
				strbuf_printf_new(error, "%s:%zu: %s", name, line, why);
				free(err);
			} else {
				strbuf_printf_new(error, "%s:%zu: %s", name, line,
						  ps_error_message(err, PS_ERR_FAILED));
				free(err);
			}
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			if (strcmp(parsed[i].head, g.head) == 0) {
				strbuf_printf_new(error, "%s:%zu: the head '%s' heads an earlier group "
						  "of this file too", name, line, g.head);
				group_free(&g);
				goto out;
			}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			group_t *grown = realloc(parsed, cap * sizeof *grown);
			if (grown == NULL) {
				group_free(&g);
				rc = PS_ERR_NO_MEMORY;
				strbuf_printf_new(error, "out of memory");
				goto out;
			}
			parsed = grown;
		}
		parsed[n++] = g;
	}
	for (size_t i = 0; i < n; i++) {
		if (add_group(th, &parsed[i]) != 0) {
			for (; i < n; i++)
				group_free(&parsed[i]);
			rc = PS_ERR_NO_MEMORY;
			strbuf_printf_new(error, "out of memory");
			n = 0;
			goto out;
		}
	}
	n = 0;
	rc = PS_OK;
out:
	for (size_t i = 0; i < n; i++)
		group_free(&parsed[i]);
	free(parsed);
	return rc;
}

ps_status_t pq_thesaurus_load(pq_thesaurus_t *th, const char *path, char **error)
{
	char *data = NULL;
	size_t len = 0;
	if (util_read_file(path, "a thesaurus", MAX_FILE_BYTES, true, &data, &len, error) != 0)
		return PS_ERR_IO;
	ps_status_t rc = pq_thesaurus_load_text(th, path, data, len, error);
	free(data);
	return rc;
}

#ifndef PQ_THESAURUS_INSTALLED
#define PQ_THESAURUS_INSTALLED ""
#endif
#ifndef PQ_THESAURUS_SOURCE
#define PQ_THESAURUS_SOURCE ""
#endif

const char *pq_thesaurus_default_path(void)
{
	const char *env = getenv("POLICY_SEARCH_THESAURUS");
	if (env != NULL)
		return env[0] ? env : NULL;
	if (PQ_THESAURUS_INSTALLED[0] && access(PQ_THESAURUS_INSTALLED, R_OK) == 0)
		return PQ_THESAURUS_INSTALLED;
	if (PQ_THESAURUS_SOURCE[0] && access(PQ_THESAURUS_SOURCE, R_OK) == 0)
		return PQ_THESAURUS_SOURCE;
	return NULL;
}

ps_status_t pq_thesaurus_open(bool with_default, const char *const *files, size_t n,
			      pq_thesaurus_t **out, char **error)
{
	pq_thesaurus_t *th = pq_thesaurus_new();
	ps_status_t rc = PS_ERR_NO_MEMORY;
	*out = NULL;
	if (th == NULL) {
		strbuf_printf_new(error, "out of memory");
		return rc;
	}
	const char *bundled = with_default ? pq_thesaurus_default_path() : NULL;
	if (bundled != NULL && (rc = pq_thesaurus_load(th, bundled, error)) != PS_OK)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if ((rc = pq_thesaurus_load(th, files[i], error)) != PS_OK)
			goto fail;
	*out = th;
	return PS_OK;
fail:
	pq_thesaurus_free(th);
	return rc;
}
