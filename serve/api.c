/* api.c: the HTTP API's endpoints: parameters checked, the engine run, its answer rendered as policy-query renders it. */
#include "api.h"

#include "assets.h"
#include "catalogue.h"
#include "cite.h"
#include "cite_format.h"
#include "dates.h"
#include "freq.h"
#include "freq_format.h"
#include "kwic.h"
#include "kwic_format.h"
#include "output.h"
#include "parse.h"
#include "search.h"
#include "select.h"
#include "strbuf.h"
#include "termlist.h"
#include "utf8.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_TYPE "application/json; charset=utf-8"
#define DEFAULT_LIMIT 20   /* policy-query search's */
#define DEFAULT_WIDTH 20   /* policy-query kwic's */
#define MAX_WIDTH 10000    /* policy-query kwic's */
/* The most cells a frequency table may have (terms × groups), and the most bytes a
 * concordance's context may take, so that no request makes the server hold gigabytes:
 * policy-query writes those to a file instead. */
#define MAX_FREQ_CELLS 20000000
#define MAX_KWIC_BYTES (256UL << 20)

void sv_response_clear(sv_response_t *r)
{
	if (!r->is_static)
		free(r->body);
	memset(r, 0, sizeof *r);
}

static const char oom_body[] = "{\"error\":\"out of memory\"}\n";

static void set_oom(sv_response_t *r)
{
	sv_response_clear(r);
	r->status = 500;
	r->content_type = JSON_TYPE;
	r->body = (char *)oom_body;
	r->len = sizeof oom_body - 1;
	r->is_static = true;
}

void sv_response_error(sv_response_t *r, unsigned status, const char *message)
{
	sv_response_clear(r);
	json_object *o = json_object_new_object();
	const char *s;
	if (o == NULL) {
		set_oom(r);
		return;
	}
	json_object_object_add(o, "error", json_object_new_string(message));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s != NULL)
		strbuf_printf_new(&r->body, "%s\n", s);
	if (r->body == NULL) {
		json_object_put(o);
		set_oom(r);
		return;
	}
	json_object_put(o);
	r->len = strlen(r->body);
	r->status = status;
	r->content_type = JSON_TYPE;
}

/* An error whose message is malloc'd (NULL: the status's name); frees it. */
static void fail(sv_response_t *r, unsigned status, char *message, ps_status_t st)
{
	sv_response_error(r, status, ps_error_message(message, st));
	free(message);
}

/* ---- parameters ---- */

typedef struct params {
	const sv_param_t *p;
	size_t n;
	sv_response_t *r;
	const pq_thesaurus_t *thesaurus; /* the api's, for ~CONCEPT in queries */
} params_t;

/* The one value of `name`, or NULL when absent; -1 (and a 400) when given twice. */
static int param_one(const params_t *q, const char *name, const char **out)
{
	*out = NULL;
	for (size_t i = 0; i < q->n; i++) {
		if (strcmp(q->p[i].key, name) != 0)
			continue;
		if (*out != NULL) {
			char *m = NULL;
			strbuf_printf_new(&m, "%s is given twice; give it once", name);
			fail(q->r, 400, m, PS_ERR_INVALID);
			return -1;
		}
		*out = q->p[i].value;
	}
	return 0;
}

/* Every value of `name`, in order, into a malloc'd array of borrowed strings (NULL when
 * none). Returns 0, or -1 with a 500 (no memory). */
static int param_all(const params_t *q, const char *name, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < q->n; i++)
		*n += strcmp(q->p[i].key, name) == 0;
	if (*n == 0)
		return 0;
	if ((*out = calloc(*n, sizeof **out)) == NULL) {
		set_oom(q->r);
		return -1;
	}
	for (size_t i = 0, k = 0; i < q->n; i++)
		if (strcmp(q->p[i].key, name) == 0)
			(*out)[k++] = q->p[i].value;
	return 0;
}

/* "NAME takes EXPECTED, not 'VALUE'" as a 400: policy-query's message for a bad option
 * value, with the parameter's name. Returns -1. */
static int bad_value(const params_t *q, const char *name, const char *value, const char *expected)
{
	char *m = NULL;
	strbuf_printf_new(&m, "%s takes %s, not '%s'", name, expected, value);
	fail(q->r, 400, m, PS_ERR_INVALID);
	return -1;
}

/* Refuse a parameter this endpoint does not take (names starting with _ are left to the
 * page, a cache breaker say). Returns 0, or -1 with a 400 naming the ones it takes. */
static int known_params(const params_t *q, const char *const *names)
{
	for (size_t i = 0; i < q->n; i++) {
		if (q->p[i].key[0] == '_')
			continue;
		bool known = false;
		for (size_t k = 0; names[k] != NULL && !known; k++)
			known = strcmp(q->p[i].key, names[k]) == 0;
		if (known)
			continue;
		strbuf_t sb = STRBUF_INIT;
		strbuf_printf(&sb, "unknown parameter '%s'; this takes", q->p[i].key);
		for (size_t k = 0; names[k] != NULL; k++)
			strbuf_printf(&sb, "%s%s", k ? ", " : " ", names[k]);
		fail(q->r, 400, strbuf_steal(&sb), PS_ERR_NO_MEMORY);
		strbuf_free(&sb);
		return -1;
	}
	return 0;
}

/* A whole number from min to max; absent leaves *out. Returns 0 or -1 (a 400). */
static int param_size(const params_t *q, const char *name, size_t min, size_t max,
		      const char *expected, size_t *out)
{
	const char *v;
	if (param_one(q, name, &v) != 0)
		return -1;
	if (v == NULL)
		return 0;
	char *end;
	errno = 0;
	unsigned long long n = *v >= '0' && *v <= '9' ? strtoull(v, &end, 10) : 0;
	if (*v < '0' || *v > '9' || errno != 0 || *end != '\0' || n < min || n > max)
		return bad_value(q, name, v, expected);
	*out = (size_t)n;
	return 0;
}

/* A switch: absent, 0, false, no or off is false; present with no value, 1, true, yes or
 * on is true. Returns 0 or -1 (a 400). */
static int param_bool(const params_t *q, const char *name, bool *out)
{
	static const char *const yes[] = {"", "1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};
	const char *v;
	if (param_one(q, name, &v) != 0)
		return -1;
	*out = false;
	if (v == NULL)
		return 0;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcmp(v, yes[i]) == 0)
			return (*out = true), 0;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcmp(v, no[i]) == 0)
			return 0;
	return bad_value(q, name, v, "1 or 0");
}

/* scope=clause|paragraph|section. Returns 0 or -1 (a 400). */
static int param_scope(const params_t *q, pq_scope_t *out)
{
	const char *v;
	if (param_one(q, "scope", &v) != 0)
		return -1;
	if (v != NULL && pq_scope_parse(v, out) != 0)
		return bad_value(q, "scope", v, "clause, paragraph or section");
	return 0;
}

/* A query from the value of `name` (required). Returns 0 and the query, or -1 with a 400
 * carrying the parser's message (as policy-query prints it). */
static int param_query(const params_t *q, const char *name, pq_query_t **out)
{
	const char *v;
	char *error = NULL;
	*out = NULL;
	if (param_one(q, name, &v) != 0)
		return -1;
	if (v == NULL) {
		strbuf_printf_new(&error, "no query given (%s=… is missing)", name);
		fail(q->r, 400, error, PS_ERR_INVALID);
		return -1;
	}
	ps_status_t rc = pq_query_parse_concepts(&v, 1, q->thesaurus, out, &error);
	if (rc != PS_OK) {
		fail(q->r, rc == PS_ERR_NO_MEMORY ? 500 : 400, error, rc);
		return -1;
	}
	return 0;
}

/* The plans city= and province= (both repeatable) limit a request to (pq_select_plans).
 * Returns 0, or -1 with a 400 (an unknown name) or a 500. */
static int param_plans(const params_t *q, ps_store_t *index, const ps_plan_t ***out,
		       size_t *n_out)
{
	const char **cities = NULL, **provinces = NULL;
	size_t n_cities, n_provinces;
	char *error = NULL;
	int rc = -1;
	*out = NULL;
	*n_out = 0;
	if (param_all(q, "city", &cities, &n_cities) != 0 ||
	    param_all(q, "province", &provinces, &n_provinces) != 0)
		goto out;
	ps_status_t st = pq_select_plans(index, cities, n_cities, provinces, n_provinces, out,
					 n_out, &error);
	if (st != PS_OK) {
		fail(q->r, st == PS_ERR_INVALID ? 400 : 500, error, st);
		goto out;
	}
	rc = 0;
out:
	free(cities);
	free(provinces);
	return rc;
}

/* ---- answers ---- */

/* An output in memory that becomes the body. */
typedef struct body {
	FILE *f;
	char *data;
	size_t len;
} body_t;

static int body_open(body_t *b, sv_response_t *r)
{
	memset(b, 0, sizeof *b);
	if ((b->f = open_memstream(&b->data, &b->len)) == NULL) {
		set_oom(r);
		return -1;
	}
	return 0;
}

/* Close the body and make it the answer (200, type), or a 500 when it failed. The body is
 * the response's (or freed) after: b is left empty, for body_abort to find nothing. */
static void body_finish(body_t *b, sv_response_t *r, const char *type, const char *filename)
{
	if (fclose(b->f) != 0) {
		free(b->data);
		set_oom(r);
	} else {
		sv_response_clear(r);
		r->status = 200;
		r->content_type = type;
		r->filename = filename;
		r->body = b->data;
		r->len = b->len;
	}
	b->f = NULL;
	b->data = NULL;
}

static void body_abort(body_t *b)
{
	if (b->f != NULL)
		fclose(b->f);
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* Lend an index, or answer 503. Returns 0 or -1. */
static int lend(const sv_api_t *api, sv_response_t *r, ps_store_t **index)
{
	char *error = NULL;
	ps_status_t st = sv_pool_lend(api->pool, index, &error);
	if (st != PS_OK) {
		fail(r, 503, error, st);
		return -1;
	}
	return 0;
}

/* A table's content type and download name. */
static void table_type(pq_table_format_t f, bool excel, const char *stem, const char **type,
		       const char **filename)
{
	static const char *const csv[] = {"freq.csv",   "freq-excel.csv",  "kwic.csv",
					  "kwic-excel.csv", "search.csv", "search-excel.csv"};
	static const char *const tsv[] = {"freq.tsv",   "freq-excel.tsv",  "kwic.tsv",
					  "kwic-excel.tsv", "search.tsv", "search-excel.tsv"};
	size_t k = (strcmp(stem, "kwic") == 0     ? 2
		    : strcmp(stem, "search") == 0 ? 4
						  : 0) +
		   (excel ? 1 : 0);
	switch (f) {
	case PQ_TABLE_CSV:
		*type = "text/csv; charset=utf-8; header=present";
		*filename = csv[k];
		break;
	case PQ_TABLE_TSV:
		*type = "text/tab-separated-values; charset=utf-8";
		*filename = tsv[k];
		break;
	case PQ_TABLE_TEXT:
		*type = "text/plain; charset=utf-8";
		*filename = NULL;
		break;
	default:
		*type = JSON_TYPE;
		*filename = NULL;
	}
}

/* GET /api/search: policy-query --format F [search] as the parameters say (F: json, csv or
 * tsv; sort and date as --sort and --date take them). */
static void api_search(const sv_api_t *api, const params_t *q)
{
	static const char *const names[] = {"q",   "scope", "city",   "province", "section",
					    "level", "any", "limit", "offset", "sort",
					    "date", "format", "excel", NULL};
	pq_request_t req = {.page = true, .limit = DEFAULT_LIMIT};
	pq_output_options_t opt = {.format = PQ_FORMAT_JSON, .request = &req};
	pq_query_t *query = NULL;
	ps_store_t *index = NULL;
	const ps_plan_t **plans = NULL, **dated = NULL;
	pq_output_t *w = NULL;
	pq_suggesting_t suggesting = {0};
	body_t b = {0};
	char *error = NULL;
	const char *sort, *date, *format, *type, *filename;
	pq_date_span_t range;
	size_t level = 0, n_dated = 0, n_undated = 0;
	if (known_params(q, names) != 0 || param_scope(q, &req.scope) != 0 ||
	    param_one(q, "section", &req.section) != 0 ||
	    param_size(q, "level", 1, 64, "a depth from 1 to 64", &level) != 0 ||
	    param_bool(q, "any", &req.any) != 0 ||
	    param_size(q, "limit", 0, SV_MAX_LIMIT, "a whole number to 10000", &req.limit) != 0 ||
	    param_size(q, "offset", 0, SIZE_MAX, "a whole number", &req.offset) != 0 ||
	    param_one(q, "sort", &sort) != 0 || param_one(q, "date", &date) != 0 ||
	    param_one(q, "format", &format) != 0 || param_bool(q, "excel", &opt.excel) != 0)
		goto out;
	/* as policy-query takes them, but no text: that is for a terminal */
	if (sort != NULL && pq_order_parse(sort, &req.order) != 0) {
		bad_value(q, "sort", sort, "score or document");
		goto out;
	}
	if (format != NULL && (pq_format_parse(format, &opt.format) != 0 ||
			       opt.format == PQ_FORMAT_TEXT)) {
		bad_value(q, "format", format, "json, csv or tsv");
		goto out;
	}
	if (opt.excel && opt.format == PQ_FORMAT_JSON) {
		sv_response_error(q->r, 400, "excel is for csv and tsv");
		goto out;
	}
	if (date != NULL && pq_date_range_parse(date, &range) != 0) {
		bad_value(q, "date", date, "a date range such as 2021..2022-06");
		goto out;
	}
	if (param_query(q, "q", &query) != 0 || lend(api, q->r, &index) != 0 ||
	    param_plans(q, index, &plans, &req.n_cities) != 0)
		goto out;
	req.cities = plans;
	if (date != NULL) { /* of the plans named (or all), those dated within the range */
		ps_status_t st = pq_select_dated(index, plans, req.n_cities, &range, date, &dated,
						 &n_dated, &n_undated, &error);
		if (st != PS_OK) {
			fail(q->r, st == PS_ERR_INVALID ? 400 : 500, error, st);
			goto out;
		}
		req.cities = dated;
		req.n_cities = n_dated;
	}
	req.level = (int)level;
	req.query = query;
	req.thesaurus = api->thesaurus;
	const char *scope_given;
	if (req.any && param_one(q, "scope", &scope_given) == 0 && scope_given == NULL)
		req.scope = PQ_SCOPE_PARAGRAPH; /* distinct passages, as policy-query --any */
	opt.query = query->text;
	if (body_open(&b, q->r) != 0)
		goto out;
	ps_status_t st = pq_output_open(b.f, index, &opt, &w, &error);
	if (st == PS_OK) {
		pq_sink_t sink = pq_output_sink_suggesting(w, index, &req, &suggesting);
		st = pq_search_each(index, &req, &sink, &error);
	}
	if (st == PS_OK) {
		st = pq_output_close(w, &error);
		w = NULL;
	}
	if (st != PS_OK) {
		fail(q->r, st == PS_ERR_INVALID ? 400 : 500, error, st);
		goto out;
	}
	table_type(opt.format == PQ_FORMAT_CSV   ? PQ_TABLE_CSV
		   : opt.format == PQ_FORMAT_TSV ? PQ_TABLE_TSV
						 : PQ_TABLE_JSON,
		   opt.excel, "search", &type, &filename);
	body_finish(&b, q->r, type, filename);
out:
	pq_output_free(w);
	pq_suggesting_clear(&suggesting);
	body_abort(&b);
	free(plans);
	free(dated);
	sv_pool_return(api->pool, index);
	pq_query_free(query);
}

/* GET /api/cite: policy-query cite --format F [--context N] [--verify] ID... */
static void api_cite(const sv_api_t *api, const params_t *q)
{
	static const char *const names[] = {"id", "format", "context", "verify", NULL};
	const char **ids = NULL, *format_name;
	size_t n_ids = 0, context = 0;
	bool verify = false;
	pq_cite_format_t format = PQ_CITE_JSON;
	ps_store_t *index = NULL;
	pq_citer_t *citer = NULL;
	pq_cite_writer_t *w = NULL;
	pq_citation_t *c = NULL;
	body_t b = {0};
	char *error = NULL, *refused = NULL;
	unsigned refused_status = 0;
	if (known_params(q, names) != 0 || param_one(q, "format", &format_name) != 0 ||
	    param_size(q, "context", 0, SIZE_MAX, "a whole number", &context) != 0 ||
	    param_bool(q, "verify", &verify) != 0 || param_all(q, "id", &ids, &n_ids) != 0)
		goto out;
	if (format_name != NULL && pq_cite_format_parse(format_name, &format) != 0) {
		bad_value(q, "format", format_name, "text, markdown or json");
		goto out;
	}
	if (n_ids == 0) {
		sv_response_error(q->r, 400, "no id given (id=… is missing)");
		goto out;
	}
	if (lend(api, q->r, &index) != 0 || body_open(&b, q->r) != 0)
		goto out;
	ps_status_t st = pq_citer_new(index, api->corpus, &citer, &error);
	if (st == PS_OK) /* a page's reader is not told where the server keeps its files */
		pq_citer_name_files_relative(citer);
	if (st == PS_OK)
		st = pq_cite_writer_new(b.f, format, index, &w, &error);
	for (size_t i = 0; i < n_ids && st == PS_OK; i++) {
		if ((st = pq_citer_cite(citer, ids[i], context, &c, &error)) != PS_OK)
			break;
		if (c->status != PQ_CITE_FOUND && refused_status != 400) {
			/* as policy-query reports it: the reason and the closest ids */
			strbuf_t sb = STRBUF_INIT;
			strbuf_append_str(&sb, c->message);
			for (size_t k = 0; k < c->n_suggestions; k++)
				strbuf_printf(&sb, "%s%s", k ? ", " : "; closest ids: ",
					      c->suggestions[k]);
			free(refused);
			refused = strbuf_steal(&sb);
			strbuf_free(&sb);
			refused_status = 400;
		} else if (c->status == PQ_CITE_FOUND && verify && c->check != PQ_CHECK_UNCHANGED &&
			   refused_status == 0) {
			char *m = pq_citation_check_message(c, false);
			strbuf_printf_new(&refused, "%s: %s", c->id, m ? m : "not verified");
			free(m);
			refused_status = 409;
		}
		st = pq_cite_writer_add(w, c, &error);
		pq_citation_free(c);
		c = NULL;
	}
	if (st == PS_OK)
		st = pq_cite_writer_finish(w, &error);
	if (st != PS_OK) {
		fail(q->r, 500, error, st);
		goto out;
	}
	if (refused_status != 0) {
		fail(q->r, refused_status, refused, PS_ERR_INVALID);
		refused = NULL;
		goto out;
	}
	body_finish(&b, q->r,
		    format == PQ_CITE_JSON ? JSON_TYPE
		    : format == PQ_CITE_MARKDOWN ? "text/markdown; charset=utf-8"
						 : "text/plain; charset=utf-8",
		    NULL);
out:
	free(refused);
	pq_citation_free(c);
	pq_cite_writer_free(w);
	pq_citer_free(citer);
	body_abort(&b);
	sv_pool_return(api->pool, index);
	free(ids);
}


/* format= of freq (csv, tsv, json) or kwic (also text); the default json. */
static int param_table_format(const params_t *q, bool text_too, pq_table_format_t *out)
{
	const char *v;
	*out = PQ_TABLE_JSON;
	if (param_one(q, "format", &v) != 0)
		return -1;
	if (v != NULL && (pq_table_format_parse(v, out) != 0 || (!text_too && *out == PQ_TABLE_TEXT)))
		return bad_value(q, "format", v, text_too ? "text, csv, tsv or json"
							  : "csv, tsv or json");
	return 0;
}

/* Each line of each terms= value is a term (blank lines skipped), as policy-query freq
 * takes its TERM arguments. Returns 0, or -1 with a 400 (a term that is not a query). */
static int param_terms(const params_t *q, pq_termlist_t *terms)
{
	for (size_t i = 0; i < q->n; i++) {
		if (strcmp(q->p[i].key, "terms") != 0)
			continue;
		const char *v = q->p[i].value;
		size_t len = q->p[i].len;
		for (size_t pos = 0; pos < len;) {
			const char *nl = memchr(v + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - v) : len, s = pos, e = end;
			pos = nl ? end + 1 : len;
			utf8_trim(v, &s, &e);
			if (s == e)
				continue;
			char *error = NULL;
			ps_status_t st = pq_termlist_add(terms, v + s, e - s, NULL, &error);
			if (st != PS_OK) {
				fail(q->r, st == PS_ERR_INVALID ? 400 : 500, error, st);
				return -1;
			}
		}
	}
	if (terms->n == 0) {
		sv_response_error(q->r, 400, "no terms given (terms=… is missing)");
		return -1;
	}
	return 0;
}

/* Refuse a table of more than MAX_FREQ_CELLS cells before it is counted: the groups are
 * the plans (city, document), their chapters or their sections (the outlines are read,
 * as the count would read them). Returns 0, or -1 with a 400 (or a 500). */
static int too_many_cells(const params_t *q, ps_store_t *index, const pq_freq_request_t *req)
{
	size_t n_plans, groups = 0;
	const ps_plan_t *plans = ps_store_plans(index, &n_plans);
	size_t n = req->n_cities ? req->n_cities : n_plans;
	for (size_t i = 0; i < n; i++) {
		const ps_plan_t *plan = req->n_cities ? req->cities[i] : &plans[i];
		const ps_outline_t *o;
		char *error = NULL;
		if (req->by == PQ_BY_CITY || req->by == PQ_BY_DOCUMENT) {
			groups++;
			continue;
		}
		ps_status_t st = ps_store_plan_outline(index, plan, &o, &error);
		if (st != PS_OK) {
			fail(q->r, 500, error, st);
			return -1;
		}
		for (size_t k = 0; k < o->n_sections; k++)
			groups += req->by == PQ_BY_SECTION || o->sections[k].depth <= 1;
	}
	if (groups == 0 || req->n_queries <= MAX_FREQ_CELLS / groups)
		return 0;
	char *m = NULL;
	strbuf_printf_new(&m, "that table would have %zu terms × %zu groups, more than the %d "
		"cells the server counts at once; give fewer terms, a coarser by=, or cities "
		"(policy-query freq writes any size to a file)", req->n_queries, groups,
		MAX_FREQ_CELLS);
	fail(q->r, 400, m, PS_ERR_INVALID);
	return -1;
}

/* GET /api/freq: policy-query freq --format F [--by G] … TERM... */
static void api_freq(const sv_api_t *api, const params_t *q)
{
	static const char *const names[] = {"terms", "by", "format", "wide", "excel", "scope",
					    "city", "province", NULL};
	pq_termlist_t terms = PQ_TERMLIST_INIT;
	pq_freq_format_t fmt = {0};
	pq_freq_request_t req = {0};
	const char *by, *type, *filename;
	ps_store_t *index = NULL;
	const ps_plan_t **plans = NULL;
	pq_freq_t *freq = NULL;
	body_t b = {0};
	char *error = NULL;
	if (known_params(q, names) != 0 || param_one(q, "by", &by) != 0 ||
	    param_table_format(q, false, &fmt.format) != 0 ||
	    param_bool(q, "wide", &fmt.wide) != 0 || param_bool(q, "excel", &fmt.excel) != 0 ||
	    param_scope(q, &req.scope) != 0)
		goto out;
	if (by != NULL && pq_group_by_parse(by, &req.by) != 0) {
		bad_value(q, "by", by, "city, document, chapter or section");
		goto out;
	}
	if ((fmt.wide || fmt.excel) && fmt.format == PQ_TABLE_JSON) {
		sv_response_error(q->r, 400, fmt.wide ? "wide is for csv and tsv, not json"
						      : "excel is for csv and tsv, not json");
		goto out;
	}
	terms.thesaurus = api->thesaurus;
	if (param_terms(q, &terms) != 0 || lend(api, q->r, &index) != 0 ||
	    param_plans(q, index, &plans, &req.n_cities) != 0)
		goto out;
	req.queries = (const pq_query_t *const *)terms.query;
	req.n_queries = terms.n;
	req.cities = plans;
	if (too_many_cells(q, index, &req) != 0)
		goto out;
	ps_status_t st = pq_freq_run(index, &req, &freq, &error);
	if (st != PS_OK) {
		fail(q->r, 500, error, st);
		goto out;
	}
	if (body_open(&b, q->r) != 0)
		goto out;
	fmt.index = index;
	if (pq_freq_write(b.f, freq, (const char *const *)terms.text, &fmt, &error) != 0) {
		if (error != NULL) /* a row the index could not give: its message says why */
			fail(q->r, 500, error, PS_ERR_FAILED);
		else
			set_oom(q->r);
		error = NULL;
		goto out;
	}
	table_type(fmt.format, fmt.excel, "freq", &type, &filename);
	body_finish(&b, q->r, type, filename);
out:
	body_abort(&b);
	pq_freq_free(freq);
	free(plans);
	sv_pool_return(api->pool, index);
	pq_termlist_clear(&terms);
}

/* GET /api/kwic: policy-query kwic --format F [--width N] … QUERY */
static void api_kwic(const sv_api_t *api, const params_t *q)
{
	static const char *const names[] = {"q", "width", "format", "excel", "scope", "city",
					    "province", NULL};
	pq_kwic_request_t req = {.width = DEFAULT_WIDTH};
	pq_kwic_format_t fmt = {0};
	const char *type, *filename;
	pq_query_t *query = NULL;
	ps_store_t *index = NULL;
	const ps_plan_t **plans = NULL;
	pq_kwic_t *kwic = NULL;
	body_t b = {0};
	char *error = NULL;
	if (known_params(q, names) != 0 ||
	    param_size(q, "width", 0, MAX_WIDTH, "a number of characters, to 10000",
		       &req.width) != 0 ||
	    param_table_format(q, true, &fmt.format) != 0 ||
	    param_bool(q, "excel", &fmt.excel) != 0 || param_scope(q, &req.scope) != 0)
		goto out;
	if (fmt.excel && fmt.format != PQ_TABLE_CSV && fmt.format != PQ_TABLE_TSV) {
		sv_response_error(q->r, 400, "excel is for csv and tsv");
		goto out;
	}
	if (param_query(q, "q", &query) != 0 || lend(api, q->r, &index) != 0 ||
	    param_plans(q, index, &plans, &req.n_cities) != 0)
		goto out;
	req.query = query;
	req.cities = plans;
	ps_status_t st = pq_kwic_run(index, &req, &kwic, &error);
	if (st != PS_OK) {
		fail(q->r, 500, error, st);
		goto out;
	}
	size_t bytes = 0;
	for (size_t i = 0; i < kwic->n_lines; i++) /* escaping may double it, fields add some */
		bytes += 2 * (kwic->lines[i].right - kwic->lines[i].left) + 512;
	if (bytes > MAX_KWIC_BYTES) {
		strbuf_printf_new(&error, "the %zu occurrences would take some %zu MB, more than "
			"the %lu MB the server answers with; narrow the query, width= or city= "
			"(policy-query kwic -o writes any size to a file)", kwic->n_lines,
			bytes >> 20, MAX_KWIC_BYTES >> 20);
		fail(q->r, 400, error, PS_ERR_INVALID);
		goto out;
	}
	fmt.query = query->text;
	fmt.scope = req.scope;
	fmt.width = req.width;
	if (body_open(&b, q->r) != 0)
		goto out;
	if (pq_kwic_write(b.f, index, kwic, &fmt, &error) != 0) {
		fail(q->r, 500, error, PS_ERR_NO_MEMORY);
		goto out;
	}
	table_type(fmt.format, fmt.excel, "kwic", &type, &filename);
	body_finish(&b, q->r, type, filename);
out:
	body_abort(&b);
	pq_kwic_free(kwic);
	free(plans);
	sv_pool_return(api->pool, index);
	pq_query_free(query);
}

/* GET /api/plans: every plan and its metadata. */
static void api_plans(const sv_api_t *api, const params_t *q)
{
	static const char *const names[] = {NULL};
	ps_store_t *index = NULL;
	body_t b = {0};
	char *error = NULL;
	if (known_params(q, names) != 0 || lend(api, q->r, &index) != 0 ||
	    body_open(&b, q->r) != 0)
		goto out;
	ps_status_t st = pq_catalogue_write_plans(b.f, index, &error);
	if (st != PS_OK) {
		fail(q->r, 500, error, st);
		goto out;
	}
	body_finish(&b, q->r, JSON_TYPE, NULL);
out:
	body_abort(&b);
	sv_pool_return(api->pool, index);
}

/* GET /api/outline?plan=ID: one plan's sections. */
static void api_outline(const sv_api_t *api, const params_t *q)
{
	static const char *const names[] = {"plan", NULL};
	const char *name;
	ps_store_t *index = NULL;
	body_t b = {0};
	char *error = NULL;
	if (known_params(q, names) != 0 || param_one(q, "plan", &name) != 0)
		goto out;
	if (name == NULL) {
		sv_response_error(q->r, 400, "no plan given (plan=… is missing)");
		goto out;
	}
	if (lend(api, q->r, &index) != 0)
		goto out;
	const ps_plan_t *plan = pq_catalogue_find_plan(index, name);
	if (plan == NULL) {
		strbuf_printf_new(&error, "unknown plan '%s' (/api/plans lists them)", name);
		fail(q->r, 400, error, PS_ERR_INVALID);
		goto out;
	}
	if (body_open(&b, q->r) != 0)
		goto out;
	ps_status_t st = pq_catalogue_write_outline(b.f, index, plan, &error);
	if (st != PS_OK) {
		fail(q->r, 500, error, st);
		goto out;
	}
	body_finish(&b, q->r, JSON_TYPE, NULL);
out:
	body_abort(&b);
	sv_pool_return(api->pool, index);
}

/* ---- routing ---- */

static const struct route {
	const char *path;
	void (*answer)(const sv_api_t *api, const params_t *q);
} routes[] = {
	{"/api/search", api_search}, {"/api/cite", api_cite},   {"/api/freq", api_freq},
	{"/api/kwic", api_kwic},     {"/api/plans", api_plans}, {"/api/outline", api_outline},
};

/* Whether s[0,len) is UTF-8 without NUL bytes. */
static bool clean_text(const char *s, size_t len)
{
	for (size_t at = 0; at < len;) {
		size_t before = at;
		if (utf8_next(s, &at, len) < 0 || s[before] == '\0')
			return false;
	}
	return true;
}

/* Every key and value must be UTF-8 without NUL bytes. Returns 0, or -1 with a 400. */
static int check_text(const params_t *q)
{
	for (size_t i = 0; i < q->n; i++) {
		const char *key = q->p[i].key;
		bool key_ok = clean_text(key, strlen(key));
		if (key_ok && clean_text(q->p[i].value, q->p[i].len))
			continue;
		char *m = NULL;
		if (key_ok)
			strbuf_printf_new(&m, "parameter '%s' holds invalid UTF-8 or a NUL byte", key);
		else
			strbuf_printf_new(&m, "a parameter's name holds invalid UTF-8 or a NUL byte");
		fail(q->r, 400, m, PS_ERR_INVALID);
		return -1;
	}
	return 0;
}

void sv_api_answer(const sv_api_t *api, const char *path, const sv_param_t *params,
		   size_t n_params, sv_response_t *out)
{
	params_t q = {params, n_params, out, api->thesaurus};
	memset(out, 0, sizeof *out);
	if (n_params > SV_MAX_PARAMS) {
		sv_response_error(out, 400, "too many parameters");
		return;
	}
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (strcmp(path, routes[i].path) != 0)
			continue;
		if (check_text(&q) == 0)
			routes[i].answer(api, &q);
		return;
	}
	/* the page's files: / is index.html; nothing is looked up on disk */
	const sv_asset_t *a = strncmp(path, "/api/", 5) == 0 ? NULL
			      : sv_asset_find(strcmp(path, "/") == 0 ? "index.html" : path + 1);
	if (path[0] != '/' || a == NULL) {
		sv_response_error(out, 404, "no such page");
		return;
	}
	out->status = 200;
	out->content_type = a->content_type;
	out->body = (char *)a->data;
	out->len = a->len;
	out->is_static = true;
}
