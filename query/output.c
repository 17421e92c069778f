/* output.c: text and JSON renderings of search results. */
#include "output.h"

#include "label.h"
#include "printed.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <string.h>

#define HIGHLIGHT_ON "\033[1;31m"
#define HIGHLIGHT_OFF "\033[0m"
#define DIM_ON "\033[2m"

int pq_format_parse(const char *name, pq_format_t *out)
{
	if (strcmp(name, "text") == 0)
		*out = PQ_FORMAT_TEXT;
	else if (strcmp(name, "json") == 0)
		*out = PQ_FORMAT_JSON;
	else
		return -1;
	return 0;
}

static const char *unit_name(pq_unit_t unit)
{
	static const char *const names[] = {"clause", "heading", "paragraph", "section"};
	return names[unit];
}

/* Counts per city (every plan of the index, zeros included) and per city and chapter, in
 * plan and text order, over every hit (the results' facets). */
static json_object *facets(pq_index_t *index, const pq_results_t *r, char **error)
{
	size_t n_plans;
	const pq_plan_t *plans = pq_index_plans(index, &n_plans);
	json_object *root = json_object_new_object(), *city = json_object_new_object(),
		    *chapter = json_object_new_object();
	size_t *per_plan = calloc(n_plans ? n_plans : 1, sizeof *per_plan);
	strbuf_t key = STRBUF_INIT;

	if (root == NULL || city == NULL || chapter == NULL || per_plan == NULL) {
		json_object_put(city);
		json_object_put(chapter);
		goto oom;
	}
	json_object_object_add(root, "city", city);
	json_object_object_add(root, "chapter", chapter);
	for (size_t i = 0; i < r->n_facets; i++)
		per_plan[r->facets[i].plan - plans] += r->facets[i].count;
	for (size_t p = 0; p < n_plans; p++) {
		/* a city counts as one, unless it has several plans: each is named then */
		json_object *before = NULL;
		key.len = 0;
		if (pq_label_city(&plans[p], &key) != 0)
			goto oom;
		int64_t earlier = json_object_object_get_ex(city, key.data, &before)
					  ? json_object_get_int64(before) : 0;
		json_object_object_add(city, key.data,
				       json_object_new_int64(earlier + (int64_t)per_plan[p]));
	}
	/* facets come in plan order, then chapter order, and name their chapters: no outline
	 * is read for them */
	for (size_t i = 0; i < r->n_facets; i++) {
		const pq_facet_t *f = &r->facets[i];
		json_object *chapters = NULL;
		key.len = 0;
		if (pq_label_city(f->plan, &key) != 0)
			goto oom;
		if (!json_object_object_get_ex(chapter, key.data, &chapters)) {
			if ((chapters = json_object_new_object()) == NULL)
				goto oom;
			json_object_object_add(chapter, key.data, chapters);
		}
		key.len = 0;
		if (f->chapter == 0)
			strbuf_append_str(&key, "(preamble)");
		else
			pq_label_section_heading(&f->heading, &key);
		if (json_object_object_get_ex(chapters, key.data ? key.data : "", NULL))
			strbuf_printf(&key, " [%s/%s]", f->plan->city_id,
				      f->heading.path); /* the same title twice */
		json_object_object_add(chapters, key.data ? key.data : "",
				       json_object_new_int64((int64_t)f->count));
	}
	free(per_plan);
	strbuf_free(&key);
	return root;
oom:
	strbuf_printf_new(error, "out of memory");
	free(per_plan);
	strbuf_free(&key);
	json_object_put(root);
	return NULL;
}

static int write_hit_text(FILE *out, pq_index_t *index, const pq_output_options_t *o,
			  size_t number, pq_hit_t *hit, char **error)
{
	const pq_outline_t *outline;
	strbuf_t line = STRBUF_INIT;
	size_t len;
	const char *text;
	if (pq_hit_find_matches(index, o->request, hit, error) != 0 ||
	    pq_index_plan_outline(index, hit->plan, &outline, error) != 0 ||
	    (text = pq_hit_text(index, hit, &len, error)) == NULL)
		return -1;
	strbuf_printf(&line, "%s · ", hit->plan->city);
	pq_label_document(hit->plan, &line);
	fprintf(out, "%s[%zu] %s%s\n", o->color ? "\033[1m" : "", number,
		line.data ? line.data : "", o->color ? HIGHLIGHT_OFF : "");
	line.len = 0;
	pq_label_section_path(outline, hit->section, &line);
	fprintf(out, "    %s\n", line.data ? line.data : "");
	fprintf(out, "    %s%s · %s line %d%s\n", o->color ? DIM_ON : "", hit->id, hit->plan->file,
		hit->line, o->color ? HIGHLIGHT_OFF : "");
	line.len = 0;

	/* the text with every match marked, and the source's breaks inside a sentence as ⏎ */
	const char *src = text - hit->start;
	size_t at = 0;
	for (size_t m = 0; m < hit->n_matches; m++) {
		pq_printed_append(&line, src, hit->plan->bytes, hit->start + at,
				  hit->start + hit->matches[m].start);
		strbuf_append_str(&line, o->color ? HIGHLIGHT_ON : "");
		pq_printed_append(&line, src, hit->plan->bytes, hit->start + hit->matches[m].start,
				  hit->start + hit->matches[m].end);
		strbuf_append_str(&line, o->color ? HIGHLIGHT_OFF : "");
		at = hit->matches[m].end;
	}
	pq_printed_append(&line, src, hit->plan->bytes, hit->start + at, hit->start + len);
	fprintf(out, "    %s\n\n", line.data ? line.data : "");
	strbuf_free(&line);
	return 0;
}

static int write_text(FILE *out, pq_index_t *index, pq_results_t *r,
		      const pq_output_options_t *o, char **error)
{
	static const char *const units[] = {"passage", "paragraph", "section"};
	size_t first = r->offset < r->total ? r->offset : r->total, end = first + r->n_hits;
	for (size_t i = 0; i < r->n_hits; i++)
		if (write_hit_text(out, index, o, first + i + 1, &r->hits[i], error) != 0)
			return -1;

	json_object *f = facets(index, r, error);
	if (f == NULL)
		return -1;
	fprintf(out, "%zu %s%s", r->total, units[o->request->scope], r->total == 1 ? "" : "s");
	const char *sep = ": ";
	json_object *city, *chapter;
	json_object_object_get_ex(f, "city", &city);
	json_object_object_get_ex(f, "chapter", &chapter);
	json_object_object_foreach(city, name, count) {
		if (json_object_get_int64(count) == 0)
			continue;
		fprintf(out, "%s%s %lld", sep, name, (long long)json_object_get_int64(count));
		sep = " · ";
	}
	if (r->n_hits < r->total) {
		if (end > first)
			fprintf(out, " (showing %zu–%zu", first + 1, end);
		else
			fprintf(out, " (showing none");
		fprintf(out, "; %s)", end < r->total ? "--offset N for more, --all for every one"
						       : "--offset 0 for the first");
	}
	fputc('\n', out);
	json_object_object_foreach(chapter, city_name, chapters) {
		fprintf(out, "  %s:", city_name);
		sep = " ";
		json_object_object_foreach(chapters, label, n) {
			fprintf(out, "%s%s %lld", sep, label, (long long)json_object_get_int64(n));
			sep = " · ";
		}
		fputc('\n', out);
	}
	json_object_put(f);
	return 0;
}

static json_object *hit_json(pq_index_t *index, const pq_hit_t *hit, char **error)
{
	const pq_outline_t *outline;
	size_t len;
	const char *text = pq_hit_text(index, hit, &len, error);
	if (text == NULL || pq_index_plan_outline(index, hit->plan, &outline, error) != 0)
		return NULL;
	json_object *o = json_object_new_object();
	strbuf_t doc = STRBUF_INIT;
	if (o == NULL)
		return NULL;
	pq_label_document(hit->plan, &doc);
	json_object_object_add(o, "id", json_object_new_string(hit->id));
	json_object_object_add(o, "unit", json_object_new_string(unit_name(hit->unit)));
	json_object_object_add(o, "city", json_object_new_string(hit->plan->city));
	json_object_object_add(o, "city_id", json_object_new_string(hit->plan->city_id));
	json_object_object_add(o, "province", json_object_new_string(hit->plan->province));
	json_object_object_add(o, "document", json_object_new_string(doc.data ? doc.data : ""));
	json_object_object_add(o, "document_title_supplied",
			       json_object_new_boolean(hit->plan->title_supplied));
	strbuf_free(&doc);
	json_object *path = json_object_new_array();
	int chain[64], n = 0;
	for (int s = hit->section; s > 0 && n < 64; s = outline->sections[s].parent)
		chain[n++] = s;
	for (int k = n - 1; k >= 0; k--) {
		const pq_section_t *s = &outline->sections[chain[k]];
		json_object *entry = json_object_new_object();
		json_object_object_add(entry, "number", json_object_new_string(s->number));
		json_object_object_add(entry, "title", json_object_new_string(s->title));
		json_object_object_add(entry, "path", json_object_new_string(s->path));
		json_object_array_add(path, entry);
	}
	json_object_object_add(o, "section", path);
	json_object_object_add(o, "text", json_object_new_string_len(text, (int)len));
	json_object_object_add(o, "file", json_object_new_string(hit->plan->file));
	json_object_object_add(o, "start", json_object_new_int64((int64_t)hit->start));
	json_object_object_add(o, "end", json_object_new_int64((int64_t)hit->end));
	json_object_object_add(o, "line", json_object_new_int(hit->line));
	json_object_object_add(o, "score", json_object_new_double(hit->score));
	json_object *matches = json_object_new_array();
	for (size_t m = 0; m < hit->n_matches; m++) {
		json_object *pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_int64((int64_t)hit->matches[m].start));
		json_object_array_add(pair, json_object_new_int64((int64_t)hit->matches[m].end));
		json_object_array_add(matches, pair);
	}
	json_object_object_add(o, "matches", matches);
	return o;
}

static int write_json(FILE *out, pq_index_t *index, pq_results_t *r,
		      const pq_output_options_t *o, char **error)
{
	json_object *root = json_object_new_object();
	json_object *hits = json_object_new_array();
	size_t first = r->offset < r->total ? r->offset : r->total;
	int rc = -1;
	if (root == NULL || hits == NULL) {
		json_object_put(hits);
		goto oom;
	}
	json_object_object_add(root, "query", json_object_new_string(o->query ? o->query : ""));
	json_object_object_add(root, "scope",
			       json_object_new_string(pq_scope_name(o->request->scope)));
	json_object_object_add(root, "total", json_object_new_int64((int64_t)r->total));
	json_object_object_add(root, "offset", json_object_new_int64((int64_t)first));
	json_object *f = facets(index, r, error);
	if (f == NULL)
		goto out;
	json_object_object_add(root, "facets", f);
	json_object_object_add(root, "hits", hits);
	for (size_t i = 0; i < r->n_hits; i++) {
		if (pq_hit_find_matches(index, o->request, &r->hits[i], error) != 0)
			goto out;
		json_object *h = hit_json(index, &r->hits[i], error);
		if (h == NULL)
			goto out;
		json_object_array_add(hits, h);
	}
	const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
								     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s == NULL)
		goto oom;
	fprintf(out, "%s\n", s);
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	json_object_put(root);
	return rc;
}

int pq_output_write(FILE *out, pq_index_t *index, pq_results_t *results,
		    const pq_output_options_t *options, char **error)
{
	int rc = options->format == PQ_FORMAT_JSON
			 ? write_json(out, index, results, options, error)
			 : write_text(out, index, results, options, error);
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		strbuf_printf_new(error, "cannot write the results");
		rc = -1;
	}
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	return rc;
}
