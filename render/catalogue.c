/* catalogue.c: the plan list and a plan's outline as JSON. */
#include "catalogue.h"
#include "partial.h"

#include "ids.h"
#include "label.h"
#include "strbuf.h"
#include "table.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

/* A plan's metadata as an object; NULL when memory runs out. */
static json_object *plan_object(const ps_plan_t *p)
{
	json_object *o = json_object_new_object();
	strbuf_t sb = STRBUF_INIT;
	if (o == NULL)
		return NULL;
	json_object_object_add(o, "city_id", json_object_new_string(p->city_id));
	json_object_object_add(o, "city", json_object_new_string(p->city));
	json_object_object_add(o, "province", json_object_new_string(p->province));
	json_object_object_add(o, "title", json_object_new_string(p->title));
	json_object_object_add(o, "title_supplied", json_object_new_boolean(p->title_supplied));
	if (pq_label_document(p, &sb) != 0)
		goto oom;
	json_object_object_add(o, "document", json_object_new_string(sb.data ? sb.data : ""));
	sb.len = 0;
	if (pq_label_city(p, &sb) != 0)
		goto oom;
	json_object_object_add(o, "label", json_object_new_string(sb.data ? sb.data : ""));
	json_object_object_add(o, "date", p->date ? json_object_new_string(p->date) : NULL);
	json_object_object_add(o, "file", json_object_new_string(p->file));
	json_object_object_add(o, "passages", json_object_new_int64((int64_t)p->passages));
	json_object_object_add(o, "characters", json_object_new_int64((int64_t)p->characters));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)p->bytes));
	json_object_object_add(o, "sha256", json_object_new_string(p->sha256));
	strbuf_free(&sb);
	return o;
oom:
	strbuf_free(&sb);
	json_object_put(o);
	return NULL;
}

static ps_status_t write_failed(char **error)
{
	strbuf_printf_new(error, "cannot write the catalogue: %s", strerror(errno));
	return PS_ERR_IO;
}

ps_status_t pq_catalogue_write_plans(FILE *out, ps_store_t *index, char **error)
{
	size_t n;
	const ps_plan_t *plans = ps_store_plans(index, &n);
	json_object *head = json_object_new_object(), *o = NULL;
	ps_status_t rc = PS_ERR_IO;
	errno = ENOMEM;
	if (head == NULL)
		goto failed;
	json_object_object_add(head, "total", json_object_new_int64((int64_t)n));
	if (pq_json_note_partial(head, index) != 0 || pq_json_open_array(out, head, "plans") != 0)
		goto failed;
	for (size_t i = 0; i < n; i++) {
		errno = ENOMEM;
		if ((o = plan_object(&plans[i])) == NULL || pq_json_array_entry(out, o, i == 0) != 0)
			goto failed;
		json_object_put(o);
		o = NULL;
	}
	if (pq_json_close_array(out) != 0 || fflush(out) != 0)
		goto failed;
	rc = PS_OK;
	goto out;
failed:
	rc = write_failed(error);
out:
	json_object_put(o);
	json_object_put(head);
	return rc;
}

ps_status_t pq_catalogue_write_outline(FILE *out, ps_store_t *index, const ps_plan_t *plan,
				       char **error)
{
	const ps_outline_t *ol;
	json_object *head = NULL, *o = NULL;
	strbuf_t sb = STRBUF_INIT;
	ps_status_t rc = ps_store_plan_outline(index, plan, &ol, error);
	if (rc != PS_OK)
		return rc;
	rc = PS_ERR_IO;
	errno = ENOMEM;
	if ((head = json_object_new_object()) == NULL || (o = plan_object(plan)) == NULL)
		goto failed;
	json_object_object_add(head, "plan", o);
	o = NULL;
	if (pq_json_open_array(out, head, "sections") != 0)
		goto failed;
	for (size_t i = 0; i < ol->n_sections; i++) {
		const ps_section_t *s = &ol->sections[i];
		errno = ENOMEM;
		if ((o = json_object_new_object()) == NULL)
			goto failed;
		sb.len = 0;
		if (ps_id_section(&sb, plan->city_id, s->path) != 0)
			goto failed;
		json_object_object_add(o, "id", json_object_new_string(sb.data));
		json_object_object_add(o, "path", json_object_new_string(s->path));
		json_object_object_add(o, "number", json_object_new_string(s->number));
		json_object_object_add(o, "title", json_object_new_string(s->title));
		sb.len = 0;
		if (pq_label_heading(ol, (int)i, &sb) != 0)
			goto failed;
		json_object_object_add(o, "heading", json_object_new_string(sb.data ? sb.data : ""));
		json_object_object_add(o, "depth", json_object_new_int(s->depth));
		json_object_object_add(o, "parent", json_object_new_int(s->parent));
		json_object_object_add(o, "article", json_object_new_boolean(s->article));
		json_object_object_add(o, "line", json_object_new_int(s->line));
		json_object_object_add(o, "clauses",
				       json_object_new_int(s->end_clause - s->first_clause));
		if (pq_json_array_entry(out, o, i == 0) != 0)
			goto failed;
		json_object_put(o);
		o = NULL;
	}
	if (pq_json_close_array(out) != 0 || fflush(out) != 0)
		goto failed;
	rc = PS_OK;
	goto out;
failed:
	rc = write_failed(error);
out:
	strbuf_free(&sb);
	json_object_put(o);
	json_object_put(head);
	return rc;
}

const ps_plan_t *pq_catalogue_find_plan(ps_store_t *index, const char *name)
{
	const ps_plan_t *p = ps_store_plan_by_id(index, name);
	return p ? p : ps_store_find_city(index, name);
}
