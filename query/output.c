/* output.c: text and JSON renderings of search results. */
#include "output.h"

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

/* The plan's title as shown: a supplied title in brackets. */
static void document_title(const pq_plan_t *plan, strbuf_t *sb)
{
	if (plan->title_supplied)
		strbuf_printf(sb, "[%s]", plan->title);
	else
		strbuf_append_str(sb, plan->title);
}

/* "（三）实施…", "第二章 “十四五”…": a label that ends in a mark joins its title directly. */
static void section_heading(const char *number, const char *title, strbuf_t *sb)
{
	static const char *const joiners[] = {".", "、", "）", ")", "．", "】"};
	size_t n = strlen(number);
	bool join = *title == '\0';
	for (size_t i = 0; !join && i < sizeof joiners / sizeof joiners[0]; i++) {
		size_t j = strlen(joiners[i]);
		join = n >= j && strcmp(number + n - j, joiners[i]) == 0;
	}
	strbuf_printf(sb, "%s%s%s", number, join ? "" : " ", title);
}

static void section_path(const pq_hit_t *hit, strbuf_t *sb)
{
	json_object *section;
	if (!json_object_object_get_ex(hit->data, "section", &section))
		return;
	size_t n = json_object_array_length(section);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(section, i), *num, *title;
		json_object_object_get_ex(e, "number", &num);
		json_object_object_get_ex(e, "title", &title);
		if (i > 0)
			strbuf_append_str(sb, " › ");
		section_heading(json_object_get_string(num), json_object_get_string(title), sb);
	}
	if (n == 0)
		strbuf_append_str(sb, "(preamble)");
}

static int write_text(FILE *out, pq_index_t *index, pq_results_t *r,
		      const pq_output_options_t *o, char **error)
{
	size_t shown = r->n_hits < o->limit ? r->n_hits : o->limit;
	for (size_t i = 0; i < shown; i++) {
		pq_hit_t *hit = &r->hits[i];
		strbuf_t line = STRBUF_INIT;
		if (pq_hit_find_matches(r, hit, error) != 0)
			return -1;
		if (hit->plan) {
			strbuf_printf(&line, "%s · ", hit->plan->city);
			document_title(hit->plan, &line);
		}
		fprintf(out, "%s[%zu] %s%s\n", o->color ? "\033[1m" : "", i + 1, line.data ? line.data : "",
			o->color ? HIGHLIGHT_OFF : "");
		line.len = 0;
		section_path(hit, &line);
		fprintf(out, "    %s\n", line.data ? line.data : "");
		fprintf(out, "    %s%s · %s line %lld%s\n", o->color ? DIM_ON : "",
			pq_hit_string(hit, "id"), pq_hit_string(hit, "file"),
			pq_hit_int(hit, "line"), o->color ? HIGHLIGHT_OFF : "");
		strbuf_free(&line);

		const char *text = pq_hit_string(hit, "text");
		size_t at = 0;
		fputs("    ", out);
		for (size_t m = 0; m < hit->n_matches; m++) {
			fwrite(text + at, 1, hit->matches[m].start - at, out);
			fputs(o->color ? HIGHLIGHT_ON : "", out);
			fwrite(text + hit->matches[m].start, 1,
			       hit->matches[m].end - hit->matches[m].start, out);
			fputs(o->color ? HIGHLIGHT_OFF : "", out);
			at = hit->matches[m].end;
		}
		fprintf(out, "%s\n\n", text + at);
	}

	size_t n_plans;
	const pq_plan_t *plans = pq_index_plans(index, &n_plans);
	fprintf(out, "%zu passage%s", r->n_hits, r->n_hits == 1 ? "" : "s");
	const char *sep = ": ";
	for (size_t p = 0; p < n_plans; p++) {
		if (r->per_plan[p] == 0)
			continue;
		fprintf(out, "%s%s %zu", sep, plans[p].city, r->per_plan[p]);
		sep = " · ";
	}
	if (shown < r->n_hits)
		fprintf(out, " (showing %zu; --all for every one)", shown);
	fputc('\n', out);
	return 0;
}

static json_object *hit_json(const pq_hit_t *hit)
{
	json_object *o = json_object_new_object(), *section, *v;
	strbuf_t doc = STRBUF_INIT;
	json_object_object_add(o, "id", json_object_new_string(pq_hit_string(hit, "id")));
	if (hit->plan) {
		document_title(hit->plan, &doc);
		json_object_object_add(o, "city", json_object_new_string(hit->plan->city));
		json_object_object_add(o, "city_id", json_object_new_string(hit->plan->city_id));
		json_object_object_add(o, "province", json_object_new_string(hit->plan->province));
		json_object_object_add(o, "document", json_object_new_string(doc.data ? doc.data : ""));
		json_object_object_add(o, "document_title_supplied",
				       json_object_new_boolean(hit->plan->title_supplied));
	}
	strbuf_free(&doc);
	json_object *path = json_object_new_array();
	if (json_object_object_get_ex(hit->data, "section", &section)) {
		for (size_t i = 0; i < json_object_array_length(section); i++) {
			json_object *e = json_object_array_get_idx(section, i), *entry;
			entry = json_object_new_object();
			if (json_object_object_get_ex(e, "number", &v))
				json_object_object_add(entry, "number", json_object_get(v));
			if (json_object_object_get_ex(e, "title", &v))
				json_object_object_add(entry, "title", json_object_get(v));
			json_object_array_add(path, entry);
		}
	}
	json_object_object_add(o, "section", path);
	static const char *const copied[] = {"text", "file", "start", "end", "line"};
	for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
		if (json_object_object_get_ex(hit->data, copied[i], &v))
			json_object_object_add(o, copied[i], json_object_get(v));
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

static int write_json(FILE *out, pq_results_t *r, const pq_output_options_t *o, char **error)
{
	json_object *root = json_object_new_object();
	json_object *hits = json_object_new_array();
	size_t shown = r->n_hits < o->limit ? r->n_hits : o->limit;
	int rc = -1;
	if (root == NULL || hits == NULL) {
		json_object_put(hits);
		goto oom;
	}
	json_object_object_add(root, "query", json_object_new_string(o->query ? o->query : ""));
	json_object_object_add(root, "total", json_object_new_int64((int64_t)r->n_hits));
	json_object_object_add(root, "hits", hits);
	for (size_t i = 0; i < shown; i++) {
		if (pq_hit_find_matches(r, &r->hits[i], error) != 0)
			goto out;
		json_object *h = hit_json(&r->hits[i]);
		if (h == NULL)
			goto oom;
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
	int rc = options->format == PQ_FORMAT_JSON ? write_json(out, results, options, error)
						   : write_text(out, index, results, options, error);
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		strbuf_printf_new(error, "cannot write the results");
		rc = -1;
	}
	return rc;
}
