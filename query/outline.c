/* outline.c: reading a plan's stored outline into arrays. */
#include "outline.h"

#include "strbuf.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int get_int(json_object *o, const char *key, long long min, long long max,
		   long long *out)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return -1;
	long long x = (long long)json_object_get_int64(v);
	if (x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

static char *get_string(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static int read_section(json_object *o, size_t i, pq_section_t *s)
{
	long long parent, depth, line, start, heading_end, end;
	s->path = get_string(o, "path");
	s->number = get_string(o, "number");
	s->title = get_string(o, "title");
	if (s->path == NULL || s->number == NULL || s->title == NULL ||
	    get_int(o, "parent", -1, (long long)i - 1, &parent) != 0 ||
	    get_int(o, "depth", 0, INT32_MAX, &depth) != 0 ||
	    get_int(o, "line", 0, INT32_MAX, &line) != 0 ||
	    get_int(o, "start", 0, INT64_MAX, &start) != 0 ||
	    get_int(o, "heading_end", 0, INT64_MAX, &heading_end) != 0 ||
	    get_int(o, "end", start, INT64_MAX, &end) != 0 || (i > 0) != (parent >= 0))
		return -1;
	json_object *style;
	s->article = json_object_object_get_ex(o, "style", &style) &&
		     json_object_is_type(style, json_type_string) &&
		     strcmp(json_object_get_string(style), "article") == 0;
	s->parent = (int)parent;
	s->depth = (int)depth;
	s->line = (int)line;
	s->start = (size_t)start;
	s->heading_end = (size_t)heading_end;
	s->end = (size_t)end;
	return 0;
}

static int read_paragraph(json_object *o, size_t n_sections, pq_paragraph_t *p)
{
	long long section, ordinal, line, end_line, start, end;
	if (get_int(o, "section", 0, (long long)n_sections - 1, &section) != 0 ||
	    get_int(o, "ordinal", 1, INT32_MAX, &ordinal) != 0 ||
	    get_int(o, "line", 0, INT32_MAX, &line) != 0 ||
	    get_int(o, "end_line", line, INT32_MAX, &end_line) != 0 ||
	    get_int(o, "start", 0, INT64_MAX, &start) != 0 ||
	    get_int(o, "end", start, INT64_MAX, &end) != 0)
		return -1;
	*p = (pq_paragraph_t){(int)section, (int)ordinal, (int)line, (size_t)start, (size_t)end,
			      (int)end_line, 0, 0};
	json_object *item;
	if (json_object_object_get_ex(o, "item", &item)) { /* [level, number] */
		json_object *level = json_object_array_get_idx(item, 0),
			    *number = json_object_array_get_idx(item, 1);
		if (!json_object_is_type(item, json_type_array) ||
		    !json_object_is_type(level, json_type_int) ||
		    !json_object_is_type(number, json_type_int) ||
		    json_object_get_int(level) < 1 || json_object_get_int(number) < 0)
			return -1;
		p->item_level = json_object_get_int(level);
		p->item_number = json_object_get_int(number);
	}
	return 0;
}

/* [section, paragraph, ordinal, start, end, line, sentence, part] */
static int read_clause(json_object *o, const pq_outline_t *out, pq_clause_t *c)
{
	long long v[8];
	static const long long lo[8] = {0, -1, 0, 0, 0, 0, 0, 0};
	long long hi[8] = {(long long)out->n_sections - 1, (long long)out->n_paragraphs - 1,
			   INT32_MAX, INT64_MAX, INT64_MAX, INT32_MAX, INT32_MAX, INT32_MAX};
	if (!json_object_is_type(o, json_type_array) || json_object_array_length(o) != 8)
		return -1;
	for (size_t k = 0; k < 8; k++) {
		json_object *e = json_object_array_get_idx(o, k);
		if (!json_object_is_type(e, json_type_int))
			return -1;
		v[k] = (long long)json_object_get_int64(e);
		if (v[k] < lo[k] || v[k] > hi[k])
			return -1;
	}
	if (v[4] < v[3])
		return -1;
	*c = (pq_clause_t){(int)v[0], (int)v[1], (int)v[2], (int)v[5], (size_t)v[3],
			   (size_t)v[4], (int)v[6], (int)v[7]};
	return 0;
}

int pq_outline_parse(const char *json, size_t len, pq_outline_t **out, char **error)
{
	json_tokener *tok = json_tokener_new();
	json_object *root = tok ? json_tokener_parse_ex(tok, json, (int)len) : NULL;
	json_object *sections, *paragraphs, *clauses;
	pq_outline_t *o = calloc(1, sizeof *o);
	int rc = -1;

	if (o == NULL || tok == NULL)
		goto out;
	if (len > INT32_MAX || root == NULL ||
	    !json_object_object_get_ex(root, "sections", &sections) ||
	    !json_object_object_get_ex(root, "paragraphs", &paragraphs) ||
	    !json_object_object_get_ex(root, "clauses", &clauses) ||
	    !json_object_is_type(clauses, json_type_array) ||
	    !json_object_is_type(sections, json_type_array) ||
	    !json_object_is_type(paragraphs, json_type_array) ||
	    json_object_array_length(sections) == 0)
		goto bad;
	size_t ns = json_object_array_length(sections), np = json_object_array_length(paragraphs);
	size_t nc = json_object_array_length(clauses);
	o->sections = calloc(ns, sizeof *o->sections);
	o->paragraphs = calloc(np ? np : 1, sizeof *o->paragraphs);
	o->clauses = calloc(nc ? nc : 1, sizeof *o->clauses);
	if (o->sections == NULL || o->paragraphs == NULL || o->clauses == NULL)
		goto out;
	for (size_t i = 0; i < ns; i++) {
		o->n_sections = i + 1;
		if (read_section(json_object_array_get_idx(sections, i), i, &o->sections[i]) != 0)
			goto bad;
	}
	for (size_t i = 0; i < np; i++) {
		o->n_paragraphs = i + 1;
		if (read_paragraph(json_object_array_get_idx(paragraphs, i), ns,
				   &o->paragraphs[i]) != 0)
			goto bad;
	}
	for (size_t i = 0; i < nc; i++) {
		if (read_clause(json_object_array_get_idx(clauses, i), o, &o->clauses[i]) != 0 ||
		    (i > 0 && o->clauses[i].start < o->clauses[i - 1].end))
			goto bad;
		o->n_clauses = i + 1;
	}
	*out = o;
	o = NULL;
	rc = 0;
	goto out;
bad:
	strbuf_printf_new(error, "a plan's stored outline is malformed");
out:
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	json_object_put(root);
	if (tok != NULL)
		json_tokener_free(tok);
	pq_outline_free(o);
	return rc;
}

void pq_outline_free(pq_outline_t *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->n_sections; i++) {
		free(o->sections[i].path);
		free(o->sections[i].number);
		free(o->sections[i].title);
	}
	free(o->sections);
	free(o->paragraphs);
	free(o->clauses);
	free(o);
}

int pq_outline_find_section(const pq_outline_t *o, const char *path)
{
	for (size_t i = 0; i < o->n_sections; i++)
		if (strcmp(o->sections[i].path, path) == 0)
			return (int)i;
	return -1;
}

int pq_outline_find_paragraph(const pq_outline_t *o, int section, int ordinal)
{
	for (size_t i = 0; i < o->n_paragraphs; i++)
		if (o->paragraphs[i].section == section && o->paragraphs[i].ordinal == ordinal)
			return (int)i;
	return -1;
}

int pq_outline_clause_at(const pq_outline_t *o, size_t offset)
{
	size_t lo = 0, hi = o->n_clauses; /* the first clause starting after offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->clauses[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

int pq_outline_section_at(const pq_outline_t *o, size_t offset)
{
	size_t lo = 1, hi = o->n_sections; /* the first section starting after offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->sections[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

size_t pq_outline_own_end(const pq_outline_t *o, int i)
{
	size_t end = i == 0 ? o->sections[0].start : o->sections[i].heading_end;
	for (size_t k = 0; k < o->n_paragraphs; k++)
		if (o->paragraphs[k].section == i && o->paragraphs[k].end > end)
			end = o->paragraphs[k].end;
	return end;
}
