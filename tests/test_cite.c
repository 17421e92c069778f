/* test_cite.c: cite by id: exact bytes of every passage, stable ids, corpus check, bad ids. */
#include "test.h"

#include <unicode/ucnv.h>

#include "build.h"
#include "cite.h"
#include "store.h"
#include "manifest.h"
#include "plan.h"
#include "run.h"
#include "parse.h"
#include "search.h"
#include "tmpdir.h"

#include <ctype.h>
#include <json-c/json.h>
#include <limits.h>

#define MAX_PLANS 16

/* One build of the bundled corpus, the corpus parsed by the segmenter, and its files as
 * read directly from disk (what every citation is compared with). */
static struct {
	char *dir;
	char db[1024];
	pi_manifest_t *manifest;
	pi_plan_t *plans[MAX_PLANS];
	char *files[MAX_PLANS];
	size_t file_len[MAX_PLANS];
	ps_store_t *index;
	pq_citer_t *citer;
} fx;

/* ---- Helpers ---- */

static char *read_raw(const char *dir, const char *name, size_t *len)
{
	char path[2048];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int build_into(const char *corpus, const char *db)
{
	pi_build_options_t opt = {.corpus_dir = corpus, .db_dir = db};
	char *error = NULL;
	int rc = pi_build(&opt, NULL, &error);
	if (rc != 0) {
		fprintf(stderr, "build failed: %s\n", error);
		free(error);
	}
	return rc;
}

static ps_store_t *open_index(const char *db)
{
	ps_store_t *index = NULL;
	char *error = NULL;
	if (ps_store_open(db, &index, &error) != PS_OK)
		fail_msg("cannot open %s: %s", db, error);
	return index;
}

static pq_citer_t *new_citer(ps_store_t *index, const char *corpus)
{
	pq_citer_t *c = NULL;
	char *error = NULL;
	if (pq_citer_new(index, corpus, &c, &error) != 0)
		fail_msg("pq_citer_new: %s", error);
	return c;
}

static pq_citation_t *cite(pq_citer_t *citer, const char *id, size_t context)
{
	pq_citation_t *c = NULL;
	char *error = NULL;
	if (pq_citer_cite(citer, id, context, &c, &error) != 0)
		fail_msg("cite %s failed: %s", id, error);
	return c;
}

static size_t plan_index(const char *city_id)
{
	for (size_t p = 0; p < fx.manifest->n_plans; p++)
		if (strcmp(fx.manifest->plans[p].city_id, city_id) == 0)
			return p;
	fail_msg("no plan %s", city_id);
	return 0;
}

static int line_of(const char *text, size_t offset)
{
	int line = 1;
	for (size_t i = 0; i < offset; i++)
		line += text[i] == '\n';
	return line;
}

/* The citation is found and is exactly bytes [start,end) of plan p's file as read from disk. */
static void assert_cites_bytes(const pq_citation_t *c, size_t p, size_t start, size_t end)
{
	if (c->status != PQ_CITE_FOUND)
		fail_msg("%s not found: %s", c->given, c->message);
	if (c->start != start || c->end != end)
		fail_msg("%s cites bytes %zu-%zu, expected %zu-%zu", c->id, c->start, c->end, start,
			 end);
	assert_true(end <= fx.file_len[p]);
	if (memcmp(c->text, fx.files[p] + start, end - start) != 0)
		fail_msg("%s: the cited text is not the file's bytes", c->id);
	assert_int_equal(c->line, line_of(fx.files[p], start));
	assert_string_equal(c->plan->city_id, fx.manifest->plans[p].city_id);
	assert_int_equal(c->check, PQ_CHECK_UNCHANGED);
	assert_true(c->text_matches);
}

/* Section s's extent with its sub-sections, computed here from the segmenter's clauses;
 * the root's (s = 0) is the preamble, its own clauses only. */
static void section_extent(const seg_document_t *doc, size_t s, size_t *start, size_t *end)
{
	*start = s == 0 ? doc->clauses[0].start : doc->sections[s].heading_start;
	*end = *start;
	for (size_t k = 0; k < doc->n_clauses; k++)
		for (int a = doc->clauses[k].section; a >= 0; a = doc->sections[a].parent)
			if ((size_t)a == s && doc->clauses[k].end > *end &&
			    (s > 0 || doc->clauses[k].section == 0))
				*end = doc->clauses[k].end;
}

static void clause_id(size_t p, size_t k, char *buf, size_t size)
{
	const seg_document_t *doc = fx.plans[p]->doc;
	char ref[200];
	seg_clause_ref(doc, &doc->clauses[k], ref, sizeof ref);
	snprintf(buf, size, "%s/%s", fx.manifest->plans[p].city_id, ref);
}

/* Copy the bundled corpus to `to` (files and manifest, byte for byte). */
static void copy_corpus(const char *to)
{
	mkdir(to, 0755);
	for (size_t p = 0; p < fx.manifest->n_plans; p++)
		tmpdir_write(to, fx.manifest->plans[p].file, fx.files[p], fx.file_len[p]);
	size_t len;
	char *manifest = read_raw(test_env("CORPUS_DIR"), "manifest.json", &len);
	assert_non_null(manifest);
	tmpdir_write(to, "manifest.json", manifest, len);
	free(manifest);
}

static size_t expected_bytes(const char *id, size_t *start, size_t *end);

/* ---- Fixture ---- */

static int group_setup(void **state)
{
	(void)state;
	char *error = NULL;
	const char *corpus = test_env("CORPUS_DIR");
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	if (build_into(corpus, fx.db) != 0 ||
	    ps_store_open(fx.db, &fx.index, &error) != PS_OK ||
	    pq_citer_new(fx.index, corpus, &fx.citer, &error) != 0 ||
	    pi_manifest_load(corpus, &fx.manifest, &error) != 0 || fx.manifest->n_plans > MAX_PLANS)
		return -1;
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		if (pi_plan_load(corpus, &fx.manifest->plans[p], &fx.plans[p], &error) != 0)
			return -1;
		fx.files[p] = read_raw(corpus, fx.manifest->plans[p].file, &fx.file_len[p]);
		if (fx.files[p] == NULL)
			return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	pq_citer_free(fx.citer);
	ps_store_close(fx.index);
	for (size_t p = 0; fx.manifest && p < fx.manifest->n_plans; p++) {
		pi_plan_free(fx.plans[p]);
		free(fx.files[p]);
	}
	pi_manifest_free(fx.manifest);
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

/* ---- Every passage, round trip ---- */

static const char *str_of(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return json_object_get_string(v);
}

static long long int_of(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(o));
	return (long long)json_object_get_int64(v);
}

static void test_every_clause_of_the_index_cites_to_the_exact_bytes_of_its_file(void **state)
{
	(void)state;
	size_t total = 0;
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		/* what a search hands out: each clause document, described from the outline */
		const ps_plan_t *plan = ps_store_plan_by_id(fx.index, fx.manifest->plans[p].city_id);
		const ps_outline_t *o = NULL;
		char *error = NULL;
		assert_non_null(plan);
		assert_int_equal(ps_store_plan_outline(fx.index, plan, &o, &error), 0);
		const seg_document_t *doc = fx.plans[p]->doc;
		assert_int_equal(plan->passages, doc->n_clauses); /* every clause the segmenter finds */
		for (size_t i = 0; i < plan->passages; i++) {
			ps_doc_t d;
			assert_true(ps_store_doc(fx.index, plan->first_docid + (unsigned)i, &d));
			assert_ptr_equal(d.plan, plan);
			assert_int_equal(d.clause, (int)i);
			const ps_clause_t *k = &o->clauses[i];
			char id[300];
			snprintf(id, sizeof id, "%s/%s/%d", plan->city_id, o->sections[k->section].path,
				 k->ordinal);
			pq_citation_t *c = cite(fx.citer, id, 0);
			assert_cites_bytes(c, p, k->start, k->end);
			assert_int_equal(c->kind, PQ_PASSAGE_CLAUSE);
			assert_string_equal(c->id, id);
			assert_int_equal(c->line, k->line);
			/* the clause the segmenter gives this id has the same bytes */
			char expect[256];
			clause_id(p, i, expect, sizeof expect);
			assert_string_equal(expect, id);
			assert_int_equal(doc->clauses[i].start, k->start);
			assert_int_equal(doc->clauses[i].end, k->end);
			assert_int_equal(c->ordinal, doc->clauses[i].ordinal);
			pq_citation_free(c);
		}
		total += plan->passages;
	}
	assert_true(total > 1500);
}

static void test_every_paragraph_cites_to_its_line_of_the_file(void **state)
{
	(void)state;
	size_t total = 0;
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		const seg_document_t *doc = fx.plans[p]->doc;
		for (size_t i = 0; i < doc->n_paragraphs; i++) {
			const seg_paragraph_t *para = &doc->paragraphs[i];
			char id[300];
			snprintf(id, sizeof id, "%s/%s/p%d", fx.manifest->plans[p].city_id,
				 doc->sections[para->section].path, para->ordinal);
			pq_citation_t *c = cite(fx.citer, id, 0);
			assert_cites_bytes(c, p, para->start, para->end);
			assert_int_equal(c->kind, PQ_PASSAGE_PARAGRAPH);
			assert_int_equal(c->ordinal, para->ordinal);
			/* one line, or the lines of a sentence the source broke */
			assert_int_equal(c->end_line, para->end_line);
			if (para->end_line == para->line)
				assert_null(memchr(c->text, '\n', c->end - c->start));
			else
				assert_non_null(memchr(c->text, '\n', c->end - c->start));
			pq_citation_free(c);
			total++;
		}
	}
	assert_true(total > 400);
}

static void test_every_section_cites_to_its_heading_through_its_last_sub_section(void **state)
{
	(void)state;
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		const seg_document_t *doc = fx.plans[p]->doc;
		for (size_t s = 0; s < doc->n_sections; s++) {
			char id[300];
			size_t start, end;
			snprintf(id, sizeof id, "%s/%s", fx.manifest->plans[p].city_id,
				 doc->sections[s].path);
			section_extent(doc, s, &start, &end);
			pq_citation_t *c = cite(fx.citer, id, 0);
			if (s == 0 && start == end) { /* no preamble: nothing to cite */
				assert_int_equal(c->status, PQ_CITE_UNKNOWN);
				assert_non_null(strstr(c->message, "has no preamble"));
				pq_citation_free(c);
				continue;
			}
			assert_cites_bytes(c, p, start, end);
			assert_int_equal(c->kind, PQ_PASSAGE_SECTION);
			assert_int_equal(c->n_levels, (size_t)doc->sections[s].depth);
			if (s > 0) {
				const ps_section_t *last = c->levels[c->n_levels - 1];
				assert_string_equal(last->path, doc->sections[s].path);
				assert_string_equal(last->number, doc->sections[s].label);
				assert_string_equal(last->title, doc->sections[s].title);
			}
			size_t last = end > start ? end - 1 : end;
			assert_int_equal(c->end_line, line_of(fx.files[p], last));
			pq_citation_free(c);
		}
	}
}

/* Search hits of every scope (clause, paragraph, section) give ids that cite to the hit's
 * own bytes. */
static void test_search_hit_ids_of_every_scope_cite_to_the_hits_bytes(void **state)
{
	(void)state;
	static const pq_scope_t scopes[] = {PQ_SCOPE_CLAUSE, PQ_SCOPE_PARAGRAPH, PQ_SCOPE_SECTION};
	const char *terms[] = {"双减"};
	char *error = NULL;
	pq_query_t *q = NULL;
	assert_int_equal(pq_query_from_literals(terms, 1, &q, &error), 0);
	for (size_t k = 0; k < sizeof scopes / sizeof scopes[0]; k++) {
		pq_request_t req = {.query = q, .scope = scopes[k]};
		pq_results_t *r = NULL;
		assert_int_equal(pq_search(fx.index, &req, &r, &error), 0);
		assert_true(r->n_hits >= 3);
		for (size_t i = 0; i < r->n_hits; i++) {
			const pq_hit_t *h = &r->hits[i];
			pq_citation_t *c = cite(fx.citer, h->id, 0);
			size_t p = plan_index(h->plan->city_id), end = h->end;
			if (h->unit == PQ_UNIT_SECTION && strcmp(c->section_path, "0") == 0)
				while (end > h->start && strchr(" \t\r\n", fx.files[p][end - 1]))
					end--; /* the preamble without the blank lines after it */
			assert_cites_bytes(c, p, h->start, end);
			assert_int_equal(c->kind, h->unit == PQ_UNIT_PARAGRAPH ? PQ_PASSAGE_PARAGRAPH
						  : h->unit == PQ_UNIT_SECTION ? PQ_PASSAGE_SECTION
									       : PQ_PASSAGE_CLAUSE);
			pq_citation_free(c);
		}
		pq_results_free(r);
	}
	pq_query_free(q);
}

/* ---- Context ---- */

/* The context of clause k of plan p, with n clauses each side, is the segmenter's clauses
 * next to it in text order, stopping at the plan's start and end. */
static void check_context(size_t p, size_t k, size_t n)
{
	const seg_document_t *doc = fx.plans[p]->doc;
	char id[256], expect[256];
	clause_id(p, k, id, sizeof id);
	pq_citation_t *c = cite(fx.citer, id, n);
	size_t want_before = k < n ? k : n;
	size_t want_after = doc->n_clauses - 1 - k < n ? doc->n_clauses - 1 - k : n;
	assert_int_equal(c->n_before, want_before);
	assert_int_equal(c->n_after, want_after);
	for (size_t i = 0; i < c->n_before; i++) {
		clause_id(p, k - want_before + i, expect, sizeof expect);
		assert_string_equal(c->before[i].id, expect);
		assert_int_equal(c->before[i].start, doc->clauses[k - want_before + i].start);
	}
	for (size_t i = 0; i < c->n_after; i++) {
		clause_id(p, k + 1 + i, expect, sizeof expect);
		assert_string_equal(c->after[i].id, expect);
		assert_int_equal(c->after[i].end, doc->clauses[k + 1 + i].end);
	}
	pq_citation_free(c);
}

static void test_context_is_the_clauses_around_it_in_text_order_up_to_the_plans_ends(void **state)
{
	(void)state;
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		size_t n = fx.plans[p]->doc->n_clauses;
		check_context(p, 0, 3);         /* the plan's first clause: nothing before */
		check_context(p, 1, 3);         /* one before */
		check_context(p, n / 2, 2);     /* the middle, across section boundaries */
		check_context(p, n - 2, 3);     /* one after */
		check_context(p, n - 1, 3);     /* the last clause: nothing after */
		check_context(p, n / 3, 0);     /* none asked for */
		check_context(p, n / 4, 100000); /* more than the plan has */
	}
}

static void test_context_of_a_paragraph_starts_before_its_first_clause(void **state)
{
	(void)state;
	pq_citation_t *c = cite(fx.citer, "dalian/3.8.1/p1", 1);
	assert_int_equal(c->n_before, 1);
	assert_string_equal(c->before[0].id, "dalian/3.8.1/0"); /* its heading */
	assert_int_equal(c->n_after, 1);
	assert_string_equal(c->after[0].id, "dalian/3.8.2/0");
	assert_string_equal(c->first_clause, "dalian/3.8.1/1");
	assert_string_equal(c->last_clause, "dalian/3.8.1/5");
	pq_citation_free(c);
}

/* ---- Stable ids ---- */

/* Every id of the bundled plans cites to the same bytes through `other`. */
static void assert_same_passages(pq_citer_t *other)
{
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		const seg_document_t *doc = fx.plans[p]->doc;
		const char *city = fx.manifest->plans[p].city_id;
		size_t n = doc->n_clauses + doc->n_paragraphs + doc->n_sections;
		for (size_t i = 0; i < n; i++) {
			char id[300];
			if (i < doc->n_clauses) {
				clause_id(p, i, id, sizeof id);
			} else if (i < doc->n_clauses + doc->n_paragraphs) {
				const seg_paragraph_t *q = &doc->paragraphs[i - doc->n_clauses];
				snprintf(id, sizeof id, "%s/%s/p%d", city,
					 doc->sections[q->section].path, q->ordinal);
			} else {
				size_t s = i - doc->n_clauses - doc->n_paragraphs;
				snprintf(id, sizeof id, "%s/%s", city, doc->sections[s].path);
			}
			pq_citation_t *a = cite(fx.citer, id, 0), *b = cite(other, id, 0);
			if (b->status != a->status)
				fail_msg("%s: status %d here, %d in the other index", id, a->status,
					 b->status);
			if (a->status != PQ_CITE_FOUND) { /* a plan without a preamble */
				assert_string_equal(a->message, b->message);
				pq_citation_free(a);
				pq_citation_free(b);
				continue;
			}
			assert_int_equal(a->start, b->start);
			assert_int_equal(a->end, b->end);
			assert_memory_equal(a->text, b->text, a->end - a->start);
			pq_citation_free(a);
			pq_citation_free(b);
		}
	}
}

static void test_ids_cite_the_same_bytes_after_an_independent_rebuild(void **state)
{
	(void)state;
	char db[1100];
	snprintf(db, sizeof db, "%s/second", fx.dir);
	assert_int_equal(build_into(test_env("CORPUS_DIR"), db), 0);
	ps_store_t *second = open_index(db);
	pq_citer_t *citer = new_citer(second, test_env("CORPUS_DIR"));
	assert_same_passages(citer);
	pq_citer_free(citer);
	ps_store_close(second);
}

static void test_ids_cite_the_same_bytes_after_a_sixth_plan_is_added_first(void **state)
{
	(void)state;
	char corpus[1100], db[1100];
	snprintf(corpus, sizeof corpus, "%s/six-corpus", fx.dir);
	snprintf(db, sizeof db, "%s/six-index", fx.dir);
	copy_corpus(corpus);
	const char *sixth = "第六市教育规划\n一、总体要求\n推进教育现代化，落实“双减”。\n";
	tmpdir_write(corpus, "sixth.txt", sixth, strlen(sixth));
	size_t len;
	char *manifest = read_raw(corpus, "manifest.json", &len);
	char *grown = calloc(1, len + 1024);
	const char *anchor = "\"plans\": [";
	char *at = strstr(manifest, anchor);
	assert_non_null(at);
	size_t head = (size_t)(at - manifest) + strlen(anchor);
	snprintf(grown, len + 1024, "%.*s{\"city_id\": \"sixth\", \"file\": \"sixth.txt\", "
		 "\"city\": \"第六市\", \"province\": \"辽宁省\", \"title\": \"第六市教育规划\", "
		 "\"title_supplied\": false, \"date\": null, \"body_lines\": [2, 3]},%s",
		 (int)head, manifest, manifest + head);
	tmpdir_write(corpus, "manifest.json", grown, strlen(grown));
	free(manifest);
	free(grown);
	assert_int_equal(build_into(corpus, db), 0);

	ps_store_t *six = open_index(db);
	size_t n_plans;
	ps_store_plans(six, &n_plans);
	assert_int_equal(n_plans, fx.manifest->n_plans + 1);
	pq_citer_t *citer = new_citer(six, corpus);
	assert_same_passages(citer);
	pq_citation_t *c = cite(citer, "sixth/1/1", 0);
	assert_int_equal(c->status, PQ_CITE_FOUND);
	assert_bytes_equal(c->text, 0, c->end - c->start, "推进教育现代化，落实“双减”。");
	pq_citation_free(c);
	pq_citer_free(citer);
	ps_store_close(six);
}

/* ---- Checking the corpus ---- */

/* A copy of the corpus, restored to the bundled files on every call, and an index built
 * from it once (changing a file afterwards does not change the index). */
static void build_copy(char *corpus, char *db, size_t size)
{
	static bool built;
	snprintf(corpus, size, "%s/copy-corpus", fx.dir);
	snprintf(db, size, "%s/copy-index", fx.dir);
	copy_corpus(corpus);
	if (!built)
		assert_int_equal(build_into(corpus, db), 0);
	built = true;
}

static pq_citation_t *cite_fresh(ps_store_t *index, const char *corpus, const char *id)
{
	pq_citer_t *citer = new_citer(index, corpus);
	pq_citation_t *c = cite(citer, id, 0);
	pq_citer_free(citer);
	return c;
}

static void test_the_index_records_its_corpus_and_cite_checks_against_it(void **state)
{
	(void)state;
	char corpus[1100], db[1100], real[PATH_MAX];
	build_copy(corpus, db, sizeof corpus);
	ps_store_t *index = open_index(db);
	pq_citer_t *citer = new_citer(index, NULL);
	assert_non_null(realpath(corpus, real));
	assert_string_equal(pq_citer_corpus_dir(citer), real);
	pq_citation_t *c = cite(citer, "dalian/3.8.1/2", 0);
	assert_int_equal(c->check, PQ_CHECK_UNCHANGED);
	assert_non_null(strstr(c->file_path, real));
	pq_citation_free(c);
	pq_citer_free(citer);
	ps_store_close(index);
}

static void test_a_changed_byte_inside_the_cited_text_is_reported_as_a_mismatch(void **state)
{
	(void)state;
	char corpus[1100], db[1100];
	build_copy(corpus, db, sizeof corpus);
	ps_store_t *index = open_index(db);
	pq_citation_t *c = cite_fresh(index, corpus, "dalian/3.8.1/2");
	assert_int_equal(c->check, PQ_CHECK_UNCHANGED);
	size_t p = plan_index("dalian");
	char *copy = malloc(fx.file_len[p]);
	memcpy(copy, fx.files[p], fx.file_len[p]);
	char *comma = memchr(copy + c->start, ',', c->end - c->start);
	assert_non_null(comma);
	*comma = ';'; /* one byte inside the clause */
	tmpdir_write(corpus, "dalian.txt", copy, fx.file_len[p]);
	free(copy);
	pq_citation_free(c);

	c = cite_fresh(index, corpus, "dalian/3.8.1/2");
	assert_int_equal(c->check, PQ_CHECK_CHANGED);
	assert_false(c->text_matches);
	assert_int_equal(c->bytes_now, fx.file_len[p]);
	assert_string_not_equal(c->sha256_now, c->plan->sha256);
	assert_memory_equal(c->text, fx.files[p] + c->start, c->end - c->start); /* the indexed */
	char *m = pq_citation_check_message(c, false);
	assert_non_null(strstr(m, "has CHANGED since it was indexed"));
	assert_non_null(strstr(m, "no longer match"));
	free(m);
	pq_citation_free(c);
	/* a passage of another, unchanged plan is still fine */
	c = cite_fresh(index, corpus, "anshan/2.3/0");
	assert_int_equal(c->check, PQ_CHECK_UNCHANGED);
	pq_citation_free(c);
	ps_store_close(index);
}

static void test_a_change_outside_the_cited_text_says_the_cited_bytes_still_match(void **state)
{
	(void)state;
	char corpus[1100], db[1100];
	build_copy(corpus, db, sizeof corpus);
	size_t p = plan_index("dalian");
	char *copy = malloc(fx.file_len[p] + 1);
	memcpy(copy, fx.files[p], fx.file_len[p]);
	copy[fx.file_len[p]] = '\n'; /* one byte added at the end */
	tmpdir_write(corpus, "dalian.txt", copy, fx.file_len[p] + 1);
	free(copy);
	ps_store_t *index = open_index(db);
	pq_citation_t *c = cite_fresh(index, corpus, "dalian/3.8.1/2");
	assert_int_equal(c->check, PQ_CHECK_CHANGED);
	assert_true(c->text_matches);
	assert_int_equal(c->bytes_now, fx.file_len[p] + 1);
	char *m = pq_citation_check_message(c, false);
	assert_non_null(strstr(m, "still match"));
	free(m);
	pq_citation_free(c);
	ps_store_close(index);
}

static void test_a_missing_corpus_file_is_reported_and_the_indexed_text_still_cited(void **state)
{
	(void)state;
	char corpus[1100], db[1100], path[1200];
	build_copy(corpus, db, sizeof corpus);
	snprintf(path, sizeof path, "%s/dalian.txt", corpus);
	assert_int_equal(unlink(path), 0);
	ps_store_t *index = open_index(db);
	pq_citation_t *c = cite_fresh(index, corpus, "dalian/3.8.1/2");
	assert_int_equal(c->status, PQ_CITE_FOUND);
	assert_int_equal(c->check, PQ_CHECK_MISSING);
	size_t p = plan_index("dalian");
	assert_memory_equal(c->text, fx.files[p] + c->start, c->end - c->start);
	char *m = pq_citation_check_message(c, false);
	assert_non_null(strstr(m, "NOT CHECKED"));
	assert_non_null(strstr(m, "dalian.txt"));
	free(m);
	pq_citation_free(c);
	ps_store_close(index);
}

/* A corpus file that has become a link out of the corpus directory is not read to check
 * it, even when what it leads to holds the very bytes indexed. */
static void test_a_corpus_file_that_leads_outside_the_corpus_is_not_read(void **state)
{
	(void)state;
	char corpus[1100], db[1100], path[1200], outside[1200];
	build_copy(corpus, db, sizeof corpus);
	size_t p = plan_index("dalian");
	tmpdir_write(fx.dir, "dalian-outside.txt", fx.files[p], fx.file_len[p]);
	snprintf(outside, sizeof outside, "%s/dalian-outside.txt", fx.dir);
	snprintf(path, sizeof path, "%s/dalian.txt", corpus);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(outside, path), 0);
	ps_store_t *index = open_index(db);
	pq_citation_t *c = cite_fresh(index, corpus, "dalian/3.8.1/2");
	assert_int_equal(c->status, PQ_CITE_FOUND);
	assert_int_equal(c->check, PQ_CHECK_MISSING);
	assert_string_equal(c->sha256_now, "");
	char *m = pq_citation_check_message(c, false);
	assert_contains(m, "NOT CHECKED");
	assert_contains(m, "leads outside the corpus directory");
	free(m);
	pq_citation_free(c);
	ps_store_close(index);
	assert_int_equal(unlink(path), 0); /* the next copy of the corpus writes a file there */
}

static run_t cite_cli(const char *cwd, const char *input, const char *const *args)
{
	const char *argv[32] = {test_env("POLICY_QUERY"), "cite"};
	size_t n = 2;
	for (size_t i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return run_in(fx.dir, cwd, input, argv);
}

static void test_cite_verify_exits_1_when_the_file_changed_and_still_prints_the_text(void **state)
{
	(void)state;
	char corpus[1100], db[1100];
	build_copy(corpus, db, sizeof corpus);
	/* before the change: verified, exit 0, from another directory (the recorded corpus) */
	run_t r = cite_cli("/", NULL, (const char *[]){"--db", db, "--verify", "dalian/3.8.1/2",
						      NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "自建索引以来未改动");
	run_free(&r);

	size_t p = plan_index("dalian");
	char *copy = malloc(fx.file_len[p]);
	memcpy(copy, fx.files[p], fx.file_len[p]);
	copy[fx.file_len[p] - 2] ^= 1; /* a byte near the end, outside 3.8.1 */
	tmpdir_write(corpus, "dalian.txt", copy, fx.file_len[p]);
	free(copy);

	r = cite_cli("/", NULL, (const char *[]){"--db", db, "--verify", "dalian/3.8.1/2",
						 "anshan/2.3/0", NULL});
	assert_int_equal(r.status, 1);
	assert_contains(r.out, "第2句：“搭建学校体育");
	assert_contains(r.out, "dalian.txt 自建索引以来已改动");
	size_t start, end;
	expected_bytes("dalian/3.8.1/2", &start, &end);
	char want[200];
	snprintf(want, sizeof want, "所引字节 %zu–%zu 仍然一致", start, end);
	assert_contains(r.out, want);
	assert_contains(r.out, "anshan.txt 自建索引以来未改动");
	snprintf(want, sizeof want, "the cited bytes %zu–%zu still match", start, end);
	assert_contains(r.err, want); /* messages stay English */
	assert_contains(r.err, "dalian/3.8.1/2:");
	assert_contains(r.err, "1 of 2 citations failed verification");
	run_free(&r);

	/* without --verify the change is reported but not an error */
	r = cite_cli("/", NULL, (const char *[]){"--db", db, "dalian/3.8.1/2", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "已改动");
	run_free(&r);

	/* against the bundled corpus, it verifies */
	r = cite_cli(NULL, NULL, (const char *[]){"--db", db, "--corpus", test_env("CORPUS_DIR"),
						  "--verify", "dalian/3.8.1/2", NULL});
	assert_int_equal(r.status, 0);
	run_free(&r);

	/* a corpus without the file: not verified */
	r = cite_cli(NULL, NULL, (const char *[]){"--db", db, "--corpus", fx.dir, "--verify",
						  "dalian/3.8.1/2", NULL});
	assert_int_equal(r.status, 1);
	assert_contains(r.out, "未核对");
	assert_contains(r.err, "NOT CHECKED");
	run_free(&r);
}

/* Write plan p's file into corpus with one space before it: every quote one byte later. */
static void write_shifted(const char *corpus, size_t p)
{
	char *shifted = malloc(fx.file_len[p] + 1);
	shifted[0] = ' ';
	memcpy(shifted + 1, fx.files[p], fx.file_len[p]);
	tmpdir_write(corpus, fx.manifest->plans[p].file, shifted, fx.file_len[p] + 1);
	free(shifted);
}

/* A plan with one byte more at its top: every quote is where it was, one byte later. */
static void test_cite_verify_finds_a_quote_that_moved_and_says_where(void **state)
{
	(void)state;
	char corpus[1100], db[1100];
	snprintf(corpus, sizeof corpus, "%s/moved-corpus", fx.dir);
	snprintf(db, sizeof db, "%s/moved-index", fx.dir);
	copy_corpus(corpus);
	assert_int_equal(build_into(corpus, db), 0);
	size_t p = plan_index("anshan");
	write_shifted(corpus, p);

	ps_store_t *index = open_index(db);
	pq_citation_t *c = cite_fresh(index, corpus, "anshan/2.3/0");
	assert_int_equal(c->check, PQ_CHECK_MOVED);
	assert_false(c->text_matches);
	assert_int_equal(c->moved_start, c->start + 1);
	assert_int_equal(c->moved_end, c->end + 1);
	assert_int_equal(c->moved_line, c->line);
	char *m = pq_citation_check_message(c, false);
	char want[200];
	snprintf(want, sizeof want, "MOVED to line %d, bytes %zu–%zu", c->line, c->start + 1,
		 c->end + 1);
	assert_contains(m, want);
	free(m);
	pq_citation_free(c);
	/* a quote that is gone is "changed", not "moved" */
	const char *other = "一、总体要求\n别的内容。\n";
	tmpdir_write(corpus, "anshan.txt", other, strlen(other));
	c = cite_fresh(index, corpus, "anshan/2.3/0");
	assert_int_equal(c->check, PQ_CHECK_CHANGED);
	m = pq_citation_check_message(c, false);
	assert_contains(m, "no longer match and the quote is nowhere in the file");
	free(m);
	pq_citation_free(c);
	ps_store_close(index);

	/* the command: exit 1 with --verify, and JSON says where it moved */
	write_shifted(corpus, p);
	run_t r = cite_cli(NULL, NULL, (const char *[]){"--db", db, "--verify", "--format", "json",
						   "anshan/2.3/0", NULL});
	assert_int_equal(r.status, 1);
	assert_contains(r.out, "\"status\":\"moved\"");
	assert_contains(r.out, "\"moved_to\":{\"line\":32,");
	assert_contains(r.err, "MOVED to line 32");
	run_free(&r);
}

/* A plan the manifest declares GB18030 is checked as the text it decodes to, which is what
 * the index holds: right after indexing it verifies. */
static void test_cite_verify_decodes_a_gb18030_plan_as_it_was_indexed(void **state)
{
	(void)state;
	char corpus[1100], db[1100];
	snprintf(corpus, sizeof corpus, "%s/gb-corpus", fx.dir);
	snprintf(db, sizeof db, "%s/gb-index", fx.dir);
	copy_corpus(corpus);
	size_t p = plan_index("anshan");
	UErrorCode st = U_ZERO_ERROR;
	char *gb = malloc(fx.file_len[p] * 2);
	int32_t n = ucnv_convert("gb18030", "utf-8", gb, (int32_t)fx.file_len[p] * 2, fx.files[p],
				 (int32_t)fx.file_len[p], &st);
	assert_true(U_SUCCESS(st));
	tmpdir_write(corpus, "anshan.txt", gb, (size_t)n);
	free(gb);
	/* the manifest: anshan's entry says it is GB18030 */
	size_t len;
	char *manifest = read_raw(corpus, "manifest.json", &len);
	char *entry = strstr(manifest, "\"file\": \"anshan.txt\",");
	assert_non_null(entry);
	strbuf_t edited = STRBUF_INIT;
	strbuf_append(&edited, manifest, (size_t)(entry - manifest));
	strbuf_append_str(&edited, "\"encoding\": \"gb18030\", ");
	strbuf_append_str(&edited, entry);
	tmpdir_write(corpus, "manifest.json", edited.data, edited.len);
	strbuf_free(&edited);
	free(manifest);
	assert_int_equal(build_into(corpus, db), 0);

	run_t r = cite_cli(NULL, NULL, (const char *[]){"--db", db, "--verify", "anshan/2.3/0",
						   "anshan/3.4.1/7", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "anshan.txt 自建索引以来未改动");
	assert_contains(r.out, "“（三）实施‘双减’工作");
	run_free(&r);
}

/* ---- Bad ids ---- */

static void test_malformed_and_unknown_ids_say_why_and_suggest_the_closest_real_ids(void **state)
{
	(void)state;
	static const struct {
		const char *id;
		pq_cite_status_t status;
		const char *message;
		const char *first; /* the first suggestion, or NULL for any */
	} cases[] = {
		{"dalian/3.8.1/99", PQ_CITE_UNKNOWN, "no clause 99", "dalian/3.8.1/5"},
		{"dalian/3.9.9/1", PQ_CITE_UNKNOWN, "dalian has no section 3.9.9", "dalian/3.9"},
		{"dalian/3.8.1/p9", PQ_CITE_UNKNOWN, "no p9", "dalian/3.8.1/p1"},
		{"anshan/0/0", PQ_CITE_UNKNOWN, "no clause 0", "anshan/0/1"},
		{"dalain/3.8.1/2", PQ_CITE_UNKNOWN, "no plan 'dalain'", "dalian/3.8.1/2"},
		{"beijing/1/1", PQ_CITE_UNKNOWN, "no plan 'beijing'", NULL},
		{"dalian/3,8,1/2", PQ_CITE_MALFORMED, "is not an id", "dalian/3.8.1/2"},
		{"dalian/3.8.1/", PQ_CITE_MALFORMED, "is not an id", "dalian/3.8.1"},
		{"dalian/3..8/1", PQ_CITE_MALFORMED, "is not an id", NULL},
		{"dalian/3.8.1/2/1", PQ_CITE_MALFORMED, "is not an id", NULL},
		{"dalian/3.8.1/-1", PQ_CITE_MALFORMED, "is not an id", NULL},
		{"dalian/3.8.1/02", PQ_CITE_MALFORMED, "is not an id", NULL},
		{"dalian/3.8.1/99999999999", PQ_CITE_MALFORMED, "is not an id", NULL},
		{"dalian/三.8/1", PQ_CITE_MALFORMED, "is not an id", NULL},
		{"dalian", PQ_CITE_MALFORMED, "is not an id", "dalian/0"},
		{"", PQ_CITE_MALFORMED, "is not an id", NULL},
		{"/", PQ_CITE_UNKNOWN, "no plan ''", NULL},
		{"dal\xff\x01ian/3.8.1/2", PQ_CITE_UNKNOWN, "no plan", "dalian/3.8.1/2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pq_citation_t *c = cite(fx.citer, cases[i].id, 2);
		if (c->status != cases[i].status)
			fail_msg("'%s': status %d, expected %d", cases[i].id, c->status,
				 cases[i].status);
		if (strstr(c->message, cases[i].message) == NULL)
			fail_msg("'%s': message \"%s\" lacks \"%s\"", cases[i].id, c->message,
				 cases[i].message);
		if (c->n_suggestions == 0)
			fail_msg("'%s': no suggestions", cases[i].id);
		if (cases[i].first && strcmp(c->suggestions[0], cases[i].first) != 0)
			fail_msg("'%s': first suggestion %s, expected %s", cases[i].id,
				 c->suggestions[0], cases[i].first);
		for (size_t k = 0; k < c->n_suggestions; k++) { /* each one is a real id */
			pq_citation_t *s = cite(fx.citer, c->suggestions[k], 0);
			if (s->status != PQ_CITE_FOUND)
				fail_msg("'%s': suggestion %s is not found", cases[i].id,
					 c->suggestions[k]);
			pq_citation_free(s);
		}
		pq_citation_free(c);
	}
	/* and nothing in a message is invalid UTF-8 or a control character */
	pq_citation_t *c = cite(fx.citer, "dal\xff\x01ian/1/1", 0);
	assert_null(strchr(c->message, '\x01'));
	assert_null(strstr(c->message, "\xff"));
	pq_citation_free(c);
	char long_id[4000];
	memset(long_id, '1', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	memcpy(long_id, "dalian/", 7);
	c = cite(fx.citer, long_id, 0);
	assert_int_equal(c->status, PQ_CITE_MALFORMED);
	pq_citation_free(c);
}

static void test_ids_are_trimmed_and_the_plan_may_be_named_by_its_city(void **state)
{
	(void)state;
	static const char *const forms[] = {"dalian/3.8.1/2", "  dalian/3.8.1/2\t", "大连/3.8.1/2",
					    "大连市/3.8.1/2", "Dalian/3.8.1/2"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		pq_citation_t *c = cite(fx.citer, forms[i], 0);
		if (c->status != PQ_CITE_FOUND)
			fail_msg("'%s' not found: %s", forms[i], c->message);
		assert_string_equal(c->id, "dalian/3.8.1/2");
		pq_citation_free(c);
	}
}

static void test_cli_unknown_ids_exit_2_with_suggestions_after_citing_the_others(void **state)
{
	(void)state;
	run_t r = cite_cli(NULL, NULL, (const char *[]){"--db", fx.db, "dalian/3.8.1/99",
							"anshan/2.3/0", "nope", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "'dalian/3.8.1/99' is not in the index");
	assert_contains(r.err, "closest ids: dalian/3.8.1/5");
	assert_contains(r.err, "'nope' is not an id");
	assert_contains(r.out, "anshan/2.3/0"); /* the good one is cited all the same */
	run_free(&r);

	static const char *const usage[][4] = {
		{"--format", "xml", "dalian/3.8.1/2", NULL},
		{"--context", "some", "dalian/3.8.1/2", NULL},
		{"--no-such-option", "dalian/3.8.1/2", NULL},
	};
	for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
		const char *args[8] = {"--db", fx.db};
		size_t n = 2;
		for (size_t k = 0; usage[i][k]; k++)
			args[n++] = usage[i][k];
		args[n] = NULL;
		r = cite_cli(NULL, NULL, args);
		if (r.status != 2 || strstr(r.err, "policy-query") == NULL)
			fail_msg("usage case %zu: exit %d, stderr %s", i, r.status, r.err);
		run_free(&r);
	}
}

/* ---- Standard input ---- */

static json_object *parse_citations(const char *out, size_t expected)
{
	json_object *root = json_tokener_parse(out), *arr;
	if (root == NULL)
		fail_msg("not JSON: %s", out);
	assert_true(json_object_object_get_ex(root, "citations", &arr));
	assert_int_equal(json_object_array_length(arr), expected);
	return root;
}

static const char *nth_id(json_object *root, size_t i)
{
	json_object *arr;
	json_object_object_get_ex(root, "citations", &arr);
	return str_of(json_object_array_get_idx(arr, i), "id");
}

static void test_ids_are_read_from_standard_input_one_a_line(void **state)
{
	(void)state;
	const char *input = "dalian/3.8.1/2\n\n# a comment\n  anshan/2.3/0 \r\ntonghua/3.4\n";
	run_t r = cite_cli(NULL, input, (const char *[]){"--db", fx.db, "--format", "json", NULL});
	assert_int_equal(r.status, 0);
	json_object *root = parse_citations(r.out, 3);
	assert_string_equal(nth_id(root, 0), "dalian/3.8.1/2");
	assert_string_equal(nth_id(root, 1), "anshan/2.3/0");
	assert_string_equal(nth_id(root, 2), "tonghua/3.4");
	json_object_put(root);
	run_free(&r);

	/* "-" reads them where it stands among the arguments */
	r = cite_cli(NULL, "dalian/3.8.1/2\n", (const char *[]){"--db", fx.db, "--format", "json",
							       "tonghua/0/1", "-", "anshan/2.3/0",
							       NULL});
	assert_int_equal(r.status, 0);
	root = parse_citations(r.out, 3);
	assert_string_equal(nth_id(root, 0), "tonghua/0/1");
	assert_string_equal(nth_id(root, 1), "dalian/3.8.1/2");
	assert_string_equal(nth_id(root, 2), "anshan/2.3/0");
	json_object_put(root);
	run_free(&r);

	/* a bad line among good ones: all are answered, exit 2 */
	r = cite_cli(NULL, "dalian/3.8.1/2\nnot-an-id\n",
		     (const char *[]){"--db", fx.db, "--format", "json", NULL});
	assert_int_equal(r.status, 2);
	root = parse_citations(r.out, 2);
	json_object *arr, *bad, *v;
	json_object_object_get_ex(root, "citations", &arr);
	bad = json_object_array_get_idx(arr, 1);
	assert_true(json_object_object_get_ex(bad, "found", &v));
	assert_false(json_object_get_boolean(v));
	assert_string_equal(str_of(bad, "error"), "malformed");
	assert_true(json_object_object_get_ex(bad, "suggestions", &v));
	assert_true(json_object_array_length(v) > 0);
	json_object_put(root);
	run_free(&r);

	/* nothing at all */
	r = cite_cli(NULL, "\n# only a comment\n", (const char *[]){"--db", fx.db, NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "no id given");
	run_free(&r);
}

/* Standard input past 16 MiB, or without end, stops there with the limit named; the ids
 * before it are cited. */
static void test_ids_on_standard_input_past_16_mib_stop_there_naming_the_limit(void **state)
{
	(void)state;
	char big[1100];
	snprintf(big, sizeof big, "%s/long-ids.txt", fx.dir);
	FILE *f = fopen(big, "wb");
	assert_non_null(f);
	fputs("dalian/3.8.1/2\n", f);
	for (size_t i = 0; i < (17u << 20) / 16; i++)
		fputs("xxxxxxxxxxxxxxxx", f); /* one line that never ends before the limit */
	assert_int_equal(fclose(f), 0);
	const char *const inputs[] = {big, "/dev/zero"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		const char *argv[] = {test_env("POLICY_QUERY"), "cite", "--db", fx.db, "-", NULL};
		run_opts_t opts = {.input_path = inputs[i], .prepare = run_guard_child};
		run_t r = run_opts(fx.dir, &opts, argv);
		if (r.status != 2 || strstr(r.err, "standard input holds more than 16 MiB of ids") ==
					     NULL || strstr(r.err, "no id given") != NULL)
			fail_msg("%s: exit %d, stderr: %s", inputs[i], r.status, r.err);
		if (i == 0)
			assert_contains(r.out, "dalian/3.8.1/2（第3.8.1节第2分句）");
		run_free(&r);
	}
}

/* ---- Formats parsed back ---- */

typedef struct expect {
	const char *id;
	const char *place; /* what follows the section path in the citation line */
} expect_t;

static const expect_t format_cases[] = {
	{"dalian/3.8.1/2", "，第2句：“"},
	{"anshan/2.3/0", "，标题：“"},
	{"dalian/3.8.1/p1", "，第1段：“"},
	{"tonghua/3.4.b1.3/1", "，第1句：“"},
	{"tonghua/0/1", "开篇，第1句：“"},
	{"dandong/1.1.1", "（全节）"},
	{"fuxin/0", "开篇"},
};

/* A copy of a citation's quote with its quotation marks back up a level: the line writes
 * the passage's “ ” as ‘ ’ and its ‘ ’ as “ ”, inside the quote's own “ ”. */
static char *unnest_quotes(const char *q)
{
	static const char *const swaps[][2] = {{"‘", "“"}, {"’", "”"}, {"“", "‘"}, {"”", "’"}};
	size_t len = strlen(q);
	char *out = calloc(1, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t k = 0;
		/* the quote's own closing ” at the very end stays */
		while (k < 4 && !(strncmp(q + i, swaps[k][0], 3) == 0 && i + 3 < len))
			k++;
		if (k < 4) {
			memcpy(out + n, swaps[k][1], 3);
			n += 3;
			i += 3;
		} else {
			out[n++] = q[i++];
		}
	}
	return out;
}

/* The citation's plan index and [start,end), from the library (already checked above). */
static size_t expected_bytes(const char *id, size_t *start, size_t *end)
{
	pq_citation_t *c = cite(fx.citer, id, 0);
	assert_int_equal(c->status, PQ_CITE_FOUND);
	size_t p = plan_index(c->plan->city_id);
	*start = c->start;
	*end = c->end;
	pq_citation_free(c);
	return p;
}

static void test_text_output_parses_back_to_the_files_bytes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof format_cases / sizeof format_cases[0]; i++) {
		const expect_t *e = &format_cases[i];
		size_t start, end, p = expected_bytes(e->id, &start, &end);
		const pi_plan_info_t *info = &fx.manifest->plans[p];
		run_t r = cite_cli(NULL, NULL, (const char *[]){"--db", fx.db, e->id, NULL});
		assert_int_equal(r.status, 0);
		char *nl = strchr(r.out, '\n');
		assert_non_null(nl);
		*nl = '\0';
		const char *line = r.out, *rest = nl + 1;
		char head[1024];
		snprintf(head, sizeof head, info->title_supplied ? "〔%s〕" : "《%s》", info->title);
		if (strncmp(line, head, strlen(head)) != 0)
			fail_msg("%s: the line does not start with %s: %s", e->id, head, line);
		const char *place = strstr(line, e->place);
		if (place == NULL)
			fail_msg("%s: no \"%s\" in %s", e->id, e->place, line);
		if (strstr(e->place, "“") != NULL) {
			/* the quote runs from the mark to the line's closing ” */
			char *q = unnest_quotes(place + strlen(e->place));
			size_t qlen = strlen(q) - strlen("”");
			assert_string_equal(q + qlen, "”");
			assert_int_equal(qlen, end - start);
			assert_memory_equal(q, fx.files[p] + start, qlen);
			free(q);
		} else {
			/* a section: its text follows, each line indented by four spaces */
			const char *t = strstr(rest, "\n  正文\n");
			assert_non_null(t);
			t += strlen("\n  正文\n");
			char *joined = calloc(1, strlen(t) + 1);
			size_t n = 0;
			while (strncmp(t, "    ", 4) == 0) {
				t += 4;
				const char *eol = strchr(t, '\n');
				memcpy(joined + n, t, (size_t)(eol - t));
				n += (size_t)(eol - t);
				joined[n++] = '\n';
				t = eol + 1;
			}
			assert_true(n > 0);
			n--; /* the last line's newline is the output's */
			assert_int_equal(n, end - start);
			assert_memory_equal(joined, fx.files[p] + start, n);
			free(joined);
		}
		char want[512];
		snprintf(want, sizeof want, "  编号  %s（", e->id);
		assert_contains(rest, want);
		snprintf(want, sizeof want, "  城市  %s · %s · %s\n", info->city, info->province,
			 info->date ? info->date : "未注明日期");
		assert_contains(rest, want);
		int line_no = line_of(fx.files[p], start);
		snprintf(want, sizeof want, "  出处  %s 第%d%s", info->file, line_no,
			 line_of(fx.files[p], end) > line_no ? "–" : "行");
		assert_contains(rest, want);
		assert_contains(rest, "自建索引以来未改动");
		run_free(&r);
	}
}

/* Undo Markdown escaping the way a CommonMark reader does for what cite writes: "\X" for
 * ASCII punctuation X gives X, "&#N;" gives character N (ASCII here), and a backslash at the
 * end of a line is a hard break. */
static char *md_unescape(const char *s, size_t len)
{
	char *out = calloc(1, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\n') {
			continue; /* hard break: the newline follows */
		} else if (s[i] == '\\' && i + 1 < len && ispunct((unsigned char)s[i + 1])) {
			out[n++] = s[++i];
		} else if (s[i] == '&' && s[i + 1] == '#') {
			char *semi;
			long cp = strtol(s + i + 2, &semi, 10);
			assert_true(*semi == ';' && cp > 0 && cp < 128);
			out[n++] = (char)cp;
			i = (size_t)(semi - s);
		} else {
			out[n++] = s[i];
		}
	}
	return out;
}

/* The block quote a Markdown citation opens with, its markers removed. */
static char *md_quote(const char *md)
{
	char *out = calloc(1, strlen(md) + 1);
	size_t n = 0;
	const char *s = md;
	while (*s == '>') {
		s += s[1] == ' ' ? 2 : 1;
		const char *eol = strchr(s, '\n');
		memcpy(out + n, s, (size_t)(eol - s) + 1);
		n += (size_t)(eol - s) + 1;
		s = eol + 1;
	}
	if (n > 0)
		out[--n] = '\0';
	return out;
}

static void test_markdown_escaping_round_trips_text_markdown_would_read(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"1. 党的建设", "2) 第二", "# 标题", "- 列表", "+ 加", "> 引", "a*b*c_d_", "`code`",
		"<b>&amp;</b>", "[链接](x)", "  两个空格开头", "\t制表符", "行一\n行二", "段一\n\n段二",
		"\\ 反斜杠\\", "90.4%", "~~删~~|表|", "x\n", "12.3. 不是列表", "=== 不是标题",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strbuf_t sb = STRBUF_INIT;
		assert_int_equal(pq_markdown_escape(cases[i], strlen(cases[i]), &sb), 0);
		char *back = md_unescape(sb.data ? sb.data : "", sb.len);
		if (strcmp(back, cases[i]) != 0)
			fail_msg("'%s' escaped as '%s' reads back as '%s'", cases[i], sb.data,
				 back);
		/* nothing Markdown would read as structure is left at a line start */
		for (const char *l = sb.data; l != NULL; l = strchr(l, '\n')) {
			l += *l == '\n';
			assert_true(strchr("#-+=>*` \t", *l) == NULL || *l == '\0');
			size_t d = strspn(l, "0123456789");
			assert_false(d > 0 && (l[d] == '.' || l[d] == ')'));
		}
		free(back);
		strbuf_free(&sb);
	}
}

static void test_markdown_output_parses_back_to_the_files_bytes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof format_cases / sizeof format_cases[0]; i++) {
		const expect_t *e = &format_cases[i];
		size_t start, end, p = expected_bytes(e->id, &start, &end);
		run_t r = cite_cli(NULL, NULL, (const char *[]){"--db", fx.db, "--format",
								"markdown", "--context", "1",
								e->id, NULL});
		assert_int_equal(r.status, 0);
		char *quote = md_quote(r.out);
		char *text = md_unescape(quote, strlen(quote));
		if (strlen(text) != end - start ||
		    memcmp(text, fx.files[p] + start, end - start) != 0)
			fail_msg("%s: the Markdown quote reads back as\n%s", e->id, text);
		char want[512];
		snprintf(want, sizeof want, "`%s`", e->id);
		assert_contains(r.out, want);
		assert_contains(r.out, "\n— ");
		assert_contains(r.out, "上下文：");
		free(quote);
		free(text);
		run_free(&r);
	}
}

static void test_json_output_parses_back_with_every_field(void **state)
{
	(void)state;
	const char *args[32] = {"--db", fx.db, "--format", "json", "--context", "2"};
	size_t n = 6, n_cases = sizeof format_cases / sizeof format_cases[0];
	for (size_t i = 0; i < n_cases; i++)
		args[n++] = format_cases[i].id;
	args[n++] = "dalian/3.8.1/99";
	args[n] = NULL;
	run_t r = cite_cli(NULL, NULL, args);
	assert_int_equal(r.status, 2); /* the last id is unknown */
	json_object *root = parse_citations(r.out, n_cases + 1), *arr, *v;
	json_object_object_get_ex(root, "citations", &arr);
	for (size_t i = 0; i < n_cases; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		size_t start, end, p = expected_bytes(format_cases[i].id, &start, &end);
		const pi_plan_info_t *info = &fx.manifest->plans[p];
		assert_string_equal(str_of(o, "id"), format_cases[i].id);
		assert_true(json_object_object_get_ex(o, "found", &v));
		assert_true(json_object_get_boolean(v));
		assert_int_equal(int_of(o, "start"), start);
		assert_int_equal(int_of(o, "end"), end);
		assert_int_equal(int_of(o, "line"), line_of(fx.files[p], start));
		assert_true(json_object_object_get_ex(o, "text", &v));
		assert_int_equal((size_t)json_object_get_string_len(v), end - start);
		assert_memory_equal(json_object_get_string(v), fx.files[p] + start, end - start);
		assert_string_equal(str_of(o, "file"), info->file);
		assert_string_equal(str_of(o, "city"), info->city);
		assert_string_equal(str_of(o, "province"), info->province);
		assert_true(json_object_object_get_ex(o, "date", &v));
		if (info->date)
			assert_string_equal(json_object_get_string(v), info->date);
		else
			assert_true(json_object_is_type(v, json_type_null));
		assert_true(json_object_object_get_ex(o, "document_title_supplied", &v));
		assert_int_equal(json_object_get_boolean(v), info->title_supplied);
		char head[1024];
		snprintf(head, sizeof head, info->title_supplied ? "〔%s〕" : "《%s》", info->title);
		assert_true(strncmp(str_of(o, "citation"), head, strlen(head)) == 0);
		assert_non_null(strstr(str_of(o, "citation"), format_cases[i].place));
		/* the section path: each level's path extends its parent's */
		json_object *section;
		assert_true(json_object_object_get_ex(o, "section", &section));
		const char *prev = "";
		for (size_t k = 0; k < json_object_array_length(section); k++) {
			const char *path = str_of(json_object_array_get_idx(section, k), "path");
			assert_true(strncmp(path, prev, strlen(prev)) == 0);
			prev = path;
		}
		if (json_object_array_length(section) > 0)
			assert_string_equal(prev, str_of(o, "section_path"));
		/* context texts are the file's bytes */
		json_object *context, *side;
		assert_true(json_object_object_get_ex(o, "context", &context));
		static const char *const sides[] = {"before", "after"};
		for (size_t s = 0; s < 2; s++) {
			assert_true(json_object_object_get_ex(context, sides[s], &side));
			assert_true(json_object_array_length(side) <= 2);
			for (size_t k = 0; k < json_object_array_length(side); k++) {
				json_object *cl = json_object_array_get_idx(side, k);
				size_t cs = (size_t)int_of(cl, "start");
				size_t ce = (size_t)int_of(cl, "end");
				assert_bytes_equal(fx.files[p], cs, ce, str_of(cl, "text"));
				assert_true(s == 0 ? ce <= start : cs >= end);
			}
		}
		json_object *check;
		assert_true(json_object_object_get_ex(o, "check", &check));
		assert_string_equal(str_of(check, "status"), "unchanged");
		assert_string_equal(str_of(check, "sha256_now"), str_of(check, "sha256_indexed"));
		assert_int_equal(int_of(check, "bytes_now"), fx.file_len[p]);
	}
	json_object *bad = json_object_array_get_idx(arr, n_cases);
	assert_string_equal(str_of(bad, "id"), "dalian/3.8.1/99");
	assert_string_equal(str_of(bad, "error"), "unknown");
	assert_true(json_object_object_get_ex(bad, "suggestions", &v));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)),
			    "dalian/3.8.1/5");
	json_object_put(root);
	run_free(&r);
}

static void test_cite_help_describes_every_option_and_the_id_forms(void **state)
{
	(void)state;
	run_t r = cite_cli(NULL, NULL, (const char *[]){"--help", NULL});
	assert_int_equal(r.status, 0);
	static const char *const words[] = {"--db", "--corpus", "--format", "--context", "--verify",
					    "dalian/3.8.1/2", "dalian/3.8.1/p1", "standard input"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		assert_contains(r.out, words[i]);
	run_free(&r);
	r = run_in(fx.dir, NULL, NULL, (const char *[]){test_env("POLICY_QUERY"), "--help", NULL});
	assert_contains(r.out, "cite");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_every_clause_of_the_index_cites_to_the_exact_bytes_of_its_file),
		cmocka_unit_test(test_every_paragraph_cites_to_its_line_of_the_file),
		cmocka_unit_test(
			test_every_section_cites_to_its_heading_through_its_last_sub_section),
		cmocka_unit_test(test_search_hit_ids_of_every_scope_cite_to_the_hits_bytes),
		cmocka_unit_test(
			test_context_is_the_clauses_around_it_in_text_order_up_to_the_plans_ends),
		cmocka_unit_test(test_context_of_a_paragraph_starts_before_its_first_clause),
		cmocka_unit_test(test_ids_cite_the_same_bytes_after_an_independent_rebuild),
		cmocka_unit_test(test_ids_cite_the_same_bytes_after_a_sixth_plan_is_added_first),
		cmocka_unit_test(test_the_index_records_its_corpus_and_cite_checks_against_it),
		cmocka_unit_test(
			test_a_changed_byte_inside_the_cited_text_is_reported_as_a_mismatch),
		cmocka_unit_test(
			test_a_change_outside_the_cited_text_says_the_cited_bytes_still_match),
		cmocka_unit_test(
			test_a_missing_corpus_file_is_reported_and_the_indexed_text_still_cited),
		cmocka_unit_test(test_a_corpus_file_that_leads_outside_the_corpus_is_not_read),
		cmocka_unit_test(
			test_cite_verify_exits_1_when_the_file_changed_and_still_prints_the_text),
		cmocka_unit_test(test_cite_verify_finds_a_quote_that_moved_and_says_where),
		cmocka_unit_test(test_cite_verify_decodes_a_gb18030_plan_as_it_was_indexed),
		cmocka_unit_test(
			test_malformed_and_unknown_ids_say_why_and_suggest_the_closest_real_ids),
		cmocka_unit_test(test_ids_are_trimmed_and_the_plan_may_be_named_by_its_city),
		cmocka_unit_test(
			test_cli_unknown_ids_exit_2_with_suggestions_after_citing_the_others),
		cmocka_unit_test(test_ids_are_read_from_standard_input_one_a_line),
		cmocka_unit_test(test_ids_on_standard_input_past_16_mib_stop_there_naming_the_limit),
		cmocka_unit_test(test_text_output_parses_back_to_the_files_bytes),
		cmocka_unit_test(test_markdown_escaping_round_trips_text_markdown_would_read),
		cmocka_unit_test(test_markdown_output_parses_back_to_the_files_bytes),
		cmocka_unit_test(test_json_output_parses_back_with_every_field),
		cmocka_unit_test(test_cite_help_describes_every_option_and_the_id_forms),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
