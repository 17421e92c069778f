/* planmeta.c: the plan summary, checksum and outline stored in the index's metadata. */
#include "planmeta.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>

void pi_sha256_hex(const char *data, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[PI_SHA256_HEX_LEN] = '\0';
}

static json_object *new_size(size_t n)
{
	return json_object_new_int64((int64_t)n);
}

json_object *pi_plan_summary(const pi_plan_t *plan)
{
	const pi_plan_info_t *info = plan->info;
	char sha[PI_SHA256_HEX_LEN + 1];
	json_object *o = json_object_new_object(), *body = json_object_new_array();

	if (o == NULL || body == NULL) {
		json_object_put(o);
		json_object_put(body);
		return NULL;
	}
	pi_sha256_hex(plan->text, plan->len, sha);
	json_object_array_add(body, new_size(plan->body_start));
	json_object_array_add(body, new_size(plan->body_end));
	json_object_object_add(o, "city_id", json_object_new_string(info->city_id));
	json_object_object_add(o, "city", json_object_new_string(info->city));
	json_object_object_add(o, "province", json_object_new_string(info->province));
	json_object_object_add(o, "title", json_object_new_string(info->title));
	json_object_object_add(o, "title_supplied", json_object_new_boolean(info->title_supplied));
	json_object_object_add(o, "date", info->date ? json_object_new_string(info->date) : NULL);
	json_object_object_add(o, "file", json_object_new_string(info->file));
	json_object_object_add(o, "encoding",
			       json_object_new_string(pi_encoding_name(info->encoding)));
	json_object_object_add(o, "bytes", new_size(plan->len));
	json_object_object_add(o, "sha256", json_object_new_string(sha));
	json_object_object_add(o, "body", body);
	json_object_object_add(o, "passages", new_size(plan->doc->n_clauses));
	return o;
}

/* Each section's extent with its sub-sections: from its heading (the root: its first
 * clause) to the end of the last clause under it. Parents come before children, so one
 * pass over the clauses, widening each clause's section and its ancestors, does it. */
static void section_extents(const seg_document_t *doc, size_t body_start, size_t *start,
			    size_t *end)
{
	for (size_t i = 0; i < doc->n_sections; i++) {
		start[i] = i == 0 ? (doc->n_clauses ? doc->clauses[0].start : body_start)
				  : doc->sections[i].heading_start;
		end[i] = start[i];
	}
	for (size_t c = 0; c < doc->n_clauses; c++)
		for (int s = doc->clauses[c].section; s >= 0; s = doc->sections[s].parent)
			if (doc->clauses[c].end > end[s])
				end[s] = doc->clauses[c].end;
}

json_object *pi_plan_outline(const pi_plan_t *plan)
{
	const seg_document_t *doc = plan->doc;
	size_t *start = calloc(doc->n_sections ? doc->n_sections : 1, 2 * sizeof *start);
	json_object *o = json_object_new_object(), *sections = json_object_new_array(),
		    *paragraphs = json_object_new_array(), *clauses = json_object_new_array();

	if (start == NULL || o == NULL || sections == NULL || paragraphs == NULL ||
	    clauses == NULL) {
		free(start);
		json_object_put(o);
		json_object_put(sections);
		json_object_put(paragraphs);
		json_object_put(clauses);
		return NULL;
	}
	size_t *end = start + (doc->n_sections ? doc->n_sections : 1);
	section_extents(doc, plan->body_start, start, end);
	json_object_object_add(o, "sections", sections);
	json_object_object_add(o, "paragraphs", paragraphs);
	json_object_object_add(o, "clauses", clauses);
	for (size_t i = 0; i < doc->n_sections; i++) {
		const seg_section_t *s = &doc->sections[i];
		json_object *e = json_object_new_object();
		if (e == NULL || json_object_array_add(sections, e) != 0) {
			json_object_put(e);
			goto oom;
		}
		json_object_object_add(e, "path", json_object_new_string(s->path));
		json_object_object_add(e, "number", json_object_new_string(s->label));
		json_object_object_add(e, "style", json_object_new_string(
						   i == 0 ? "root" : seg_style_name(s->style)));
		json_object_object_add(e, "title", json_object_new_string(s->title));
		json_object_object_add(e, "parent", json_object_new_int(s->parent));
		json_object_object_add(e, "depth", json_object_new_int(s->depth));
		json_object_object_add(e, "line", json_object_new_int(s->line));
		json_object_object_add(e, "start", new_size(start[i]));
		json_object_object_add(e, "heading_end", new_size(s->heading_end));
		json_object_object_add(e, "end", new_size(end[i]));
	}
	for (size_t i = 0; i < doc->n_paragraphs; i++) {
		const seg_paragraph_t *p = &doc->paragraphs[i];
		json_object *e = json_object_new_object();
		if (e == NULL || json_object_array_add(paragraphs, e) != 0) {
			json_object_put(e);
			goto oom;
		}
		json_object_object_add(e, "section", json_object_new_int(p->section));
		json_object_object_add(e, "ordinal", json_object_new_int(p->ordinal));
		json_object_object_add(e, "line", json_object_new_int(p->line));
		json_object_object_add(e, "end_line", json_object_new_int(p->end_line));
		json_object_object_add(e, "start", new_size(p->start));
		json_object_object_add(e, "end", new_size(p->end));
		if (p->item_level > 0) { /* [level, printed number] of a list item */
			json_object *item = json_object_new_array();
			json_object_array_add(item, json_object_new_int(p->item_level));
			json_object_array_add(item, json_object_new_int(p->item_number));
			json_object_object_add(e, "item", item);
		}
	}
	for (size_t i = 0; i < doc->n_clauses; i++) {
		const seg_clause_t *c = &doc->clauses[i];
		json_object *e = json_object_new_array();
		if (e == NULL || json_object_array_add(clauses, e) != 0) {
			json_object_put(e);
			goto oom;
		}
		json_object_array_add(e, json_object_new_int(c->section));
		json_object_array_add(e, json_object_new_int(c->paragraph));
		json_object_array_add(e, json_object_new_int(c->ordinal));
		json_object_array_add(e, new_size(c->start));
		json_object_array_add(e, new_size(c->end));
		json_object_array_add(e, json_object_new_int(c->line));
		json_object_array_add(e, json_object_new_int(c->sentence));
		json_object_array_add(e, json_object_new_int(c->part));
	}
	free(start);
	return o;
oom:
	free(start);
	json_object_put(o);
	return NULL;
}
