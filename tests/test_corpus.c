/* test_corpus.c: end to end on the bundled corpus: build an index, search it, compare with a direct scan. */
#include "test.h"

#include "build.h"
#include "store.h"
#include "generation.h"
#include "manifest.h"
#include "normalize.h"
#include "output.h"
#include "plan.h"
#include "search.h"
#include "tmpdir.h"

#include <dirent.h>
#include <json-c/json.h>

/* One clause of the corpus as the direct scan sees it. */
typedef struct scan_clause {
	char id[128];
	const pi_plan_t *plan;
	size_t start, end;
	int line;
	char *norm;
} scan_clause_t;

/* Shared by every test: one index built in setup, and the corpus parsed directly. */
static struct {
	char *dir;
	char db[1024];
	pi_manifest_t *manifest;
	pi_plan_t *plans[16];
	scan_clause_t *clauses;
	size_t n_clauses;
	ps_store_t *index;
} fx;

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

static int group_setup(void **state)
{
	(void)state;
	char *error = NULL;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	if (build_into(test_env("CORPUS_DIR"), fx.db) != 0)
		return -1;
	if (ps_store_open(fx.db, &fx.index, &error) != PS_OK)
		return -1;
	if (pi_manifest_load(test_env("CORPUS_DIR"), &fx.manifest, &error) != 0)
		return -1;
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		if (pi_plan_load(test_env("CORPUS_DIR"), &fx.manifest->plans[p], &fx.plans[p],
				 &error) != 0)
			return -1;
		const seg_document_t *doc = fx.plans[p]->doc;
		fx.clauses = realloc(fx.clauses, (fx.n_clauses + doc->n_clauses) * sizeof *fx.clauses);
		for (size_t c = 0; c < doc->n_clauses; c++) {
			scan_clause_t *sc = &fx.clauses[fx.n_clauses++];
			char ref[100];
			seg_norm_t norm;
			seg_clause_ref(doc, &doc->clauses[c], ref, sizeof ref);
			snprintf(sc->id, sizeof sc->id, "%s/%s", fx.manifest->plans[p].city_id, ref);
			sc->plan = fx.plans[p];
			sc->start = doc->clauses[c].start;
			sc->end = doc->clauses[c].end;
			sc->line = doc->clauses[c].line;
			if (seg_normalize_in(fx.plans[p]->text, fx.plans[p]->len, sc->start, sc->end,
					     false, &norm, &error) != 0)
				return -1;
			sc->norm = norm.text;
		}
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	ps_store_close(fx.index);
	for (size_t i = 0; i < fx.n_clauses; i++)
		free(fx.clauses[i].norm);
	free(fx.clauses);
	for (size_t p = 0; fx.manifest && p < fx.manifest->n_plans; p++)
		pi_plan_free(fx.plans[p]);
	pi_manifest_free(fx.manifest);
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

static pq_results_t *search(ps_store_t *index, const char *const *terms, size_t n_terms,
			    const ps_plan_t *city)
{
	pq_query_t *q = NULL;
	pq_results_t *r = NULL;
	char *error = NULL;
	if (pq_query_from_literals(terms, n_terms, &q, &error) != 0)
		fail_msg("bad terms: %s", error);
	pq_request_t req = {.query = q, .cities = &city, .n_cities = city ? 1 : 0};
	if (pq_search(index, &req, &r, &error) != 0)
		fail_msg("search failed: %s", error);
	pq_query_free(q);
	return r;
}

static size_t hits_in(const pq_results_t *r, const char *city_id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_hits; i++)
		n += strcmp(r->hits[i].plan->city_id, city_id) == 0;
	return n;
}

static void test_shuang_jian_finds_four_passages_dandong_1_anshan_1_tonghua_2(void **state)
{
	(void)state;
	pq_results_t *r = search(fx.index, (const char *[]){"双减"}, 1, NULL);
	assert_int_equal(r->n_hits, 4);
	assert_int_equal(hits_in(r, "dandong"), 1);
	assert_int_equal(hits_in(r, "anshan"), 1);
	assert_int_equal(hits_in(r, "tonghua"), 2);
	assert_int_equal(hits_in(r, "dalian") + hits_in(r, "fuxin"), 0);
	pq_results_free(r);
}

static const scan_clause_t *scan_by_id(const char *id)
{
	for (size_t i = 0; i < fx.n_clauses; i++)
		if (strcmp(fx.clauses[i].id, id) == 0)
			return &fx.clauses[i];
	return NULL;
}

/* Every hit's text is its file's bytes at [start,end), on the recorded line. */
static void check_hits_against_files(pq_results_t *r)
{
	for (size_t i = 0; i < r->n_hits; i++) {
		pq_hit_t *h = &r->hits[i];
		const scan_clause_t *sc = scan_by_id(h->id);
		char *error = NULL;
		size_t len;
		assert_non_null(sc);
		assert_int_equal(h->start, sc->start);
		assert_int_equal(h->end, sc->end);
		const char *text = pq_hit_text(fx.index, h, &len, &error);
		assert_non_null(text);
		assert_int_equal(len, sc->end - sc->start);
		assert_memory_equal(text, sc->plan->text + sc->start, len);
		assert_string_equal(h->plan->file, sc->plan->info->file);
		int line = 1;
		for (size_t b = 0; b < h->start; b++)
			line += sc->plan->text[b] == '\n';
		assert_int_equal(h->line, line);
	}
}

static void test_every_hit_text_is_the_exact_bytes_of_its_file(void **state)
{
	(void)state;
	const char *queries[] = {"双减", "教育", "（六）", "1+X", "85%", "的"};
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		pq_results_t *r = search(fx.index, &queries[q], 1, NULL);
		assert_true(r->n_hits > 0);
		check_hits_against_files(r);
		pq_results_free(r);
	}
}

static void test_matches_are_byte_ranges_of_the_term_in_the_original_text(void **state)
{
	(void)state;
	/* typed full-width, printed half-width in the plans: the match points at the original */
	pq_query_t *q = NULL;
	pq_results_t *r = NULL;
	char *error = NULL;
	assert_int_equal(pq_query_from_literals((const char *[]){"２０２５"}, 1, &q, &error), 0);
	pq_request_t req = {.query = q};
	assert_int_equal(pq_search(fx.index, &req, &r, &error), 0);
	assert_true(r->n_hits > 0);
	for (size_t i = 0; i < r->n_hits; i++) {
		size_t len;
		assert_int_equal(pq_hit_find_matches(fx.index, &req, &r->hits[i], &error), 0);
		assert_true(r->hits[i].n_matches > 0);
		const char *text = pq_hit_text(fx.index, &r->hits[i], &len, &error);
		for (size_t m = 0; m < r->hits[i].n_matches; m++) {
			seg_norm_t norm;
			pq_range_t g = r->hits[i].matches[m];
			assert_true(g.end <= len);
			assert_int_equal(seg_normalize(text + g.start, g.end - g.start, false, &norm,
						       &error), 0);
			assert_string_equal(norm.text, "2025");
			seg_norm_clear(&norm);
		}
	}
	pq_results_free(r);
	pq_query_free(q);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The two lists hold the same n ids, in any order (both are sorted in place). */
static void assert_same_ids(char **a, char **b, size_t n)
{
	qsort(a, n, sizeof *a, cmp_str);
	qsort(b, n, sizeof *b, cmp_str);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(a[i], b[i]);
}

/* The ids the index finds for `terms`, and the ids a direct scan finds, must be the same. */
static void check_against_scan(const char *const *terms, size_t n_terms)
{
	pq_results_t *r = search(fx.index, terms, n_terms, NULL);
	char **found = calloc(r->n_hits + 1, sizeof *found);
	char **expected = calloc(fx.n_clauses + 1, sizeof *expected);
	size_t n_expected = 0;
	for (size_t i = 0; i < r->n_hits; i++)
		found[i] = r->hits[i].id;
	for (size_t c = 0; c < fx.n_clauses; c++) {
		bool all = true;
		for (size_t t = 0; t < n_terms && all; t++) {
			seg_norm_t nt;
			char *error = NULL;
			assert_int_equal(seg_normalize(terms[t], strlen(terms[t]), false, &nt, &error), 0);
			all = strstr(fx.clauses[c].norm, nt.text) != NULL;
			seg_norm_clear(&nt);
		}
		if (all)
			expected[n_expected++] = fx.clauses[c].id;
	}
	if (r->n_hits != n_expected)
		fail_msg("'%s'%s: the index found %zu passages, a direct scan %zu", terms[0],
			 n_terms > 1 ? " …" : "", r->n_hits, n_expected);
	assert_same_ids(found, expected, n_expected);
	free(found);
	free(expected);
	pq_results_free(r);
}

/* `s` with printable ASCII turned into its full-width form (a-z also upper-cased). */
static void widen(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (; *s && n + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c > 0x20 && c < 0x7F) {
			unsigned cp = 0xFF01 + (unsigned)((c >= 'a' && c <= 'z' ? c - 32 : c) - 0x21);
			out[n++] = (char)(0xE0 | (cp >> 12));
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[n++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
}

/* The typed form of a term finds exactly the passages the term finds. */
static void same_hits(const char *term, const char *typed)
{
	pq_results_t *a = search(fx.index, &term, 1, NULL);
	pq_results_t *b = search(fx.index, &typed, 1, NULL);
	if (a->n_hits != b->n_hits)
		fail_msg("'%s' finds %zu passages, '%s' %zu", term, a->n_hits, typed, b->n_hits);
	for (size_t i = 0; i < a->n_hits; i++)
		assert_string_equal(a->hits[i].id, b->hits[i].id);
	pq_results_free(a);
	pq_results_free(b);
}

/* Hundreds of strings drawn from the corpus, and some special ones, searched in fx.index:
 * each finds exactly what a direct scan of the plans finds. */
static void literal_search_equals_a_direct_scan(void)
{
	/* Strings drawn from the corpus with a fixed seed: 1 to 10 characters from a random
	 * clause at a random character position, cut at white space. */
	uint32_t seed = 20261123;
	size_t tested = 0, widened = 0;
	for (int k = 0; k < 400; k++) {
		seed = seed * 1664525u + 1013904223u;
		const scan_clause_t *sc = &fx.clauses[(seed >> 8) % fx.n_clauses];
		const char *s = sc->norm;
		size_t len = strlen(s), chars = 0;
		for (size_t i = 0; i < len; i++)
			chars += ((unsigned char)s[i] & 0xC0) != 0x80;
		seed = seed * 1664525u + 1013904223u;
		size_t from = (seed >> 8) % chars, want = 1 + (seed >> 20) % 10, at = 0, ci = 0;
		while (ci < from) /* byte offset of code point `from` */
			ci += ((unsigned char)s[++at] & 0xC0) != 0x80;
		size_t end = at, taken = 0;
		while (end < len && taken < want && s[end] != ' ' && s[end] != '\t') {
			end++;
			while (end < len && ((unsigned char)s[end] & 0xC0) == 0x80)
				end++;
			taken++;
		}
		if (taken == 0)
			continue;
		char term[128];
		snprintf(term, sizeof term, "%.*s", (int)(end - at), s + at);
		const char *terms[] = {term};
		check_against_scan(terms, 1);
		tested++;
		/* A term with ASCII again as a user might type it: ASCII in full-width forms,
		 * letters in upper case. It must find exactly what the term itself finds. */
		if (strpbrk(term, "abcdefghijklmnopqrstuvwxyz0123456789%+.,()-:") != NULL) {
			char typed[512];
			widen(term, typed, sizeof typed);
			same_hits(term, typed);
			widened++;
		}
	}
	assert_true(tested >= 300);
	if (widened < 10)
		fail_msg("only %zu of the drawn terms hold ASCII to widen", widened);
	/* punctuation and mixed scripts, and several terms at once */
	const char *special[][2] = {{"1+X", NULL},  {"85%", NULL},   {"“双减”", NULL},
				    {"，", NULL},    {"(六)", NULL},  {"双减", "课后服务"},
				    {"教育", "质量"}, {"ＧＤＰ", NULL}, {"2025年", NULL}};
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		check_against_scan(special[i], special[i][1] ? 2 : 1);
}

static void test_literal_search_equals_a_direct_scan_for_hundreds_of_corpus_strings(void **state)
{
	(void)state;
	literal_search_equals_a_direct_scan();
}

/* A command's store (PS_OPEN_ONE_SHOT) reads scattered candidates with pread rather than
 * through the mapping: the same strings find the same passages. */
static void test_a_commands_store_reading_with_pread_finds_what_the_scan_finds(void **state)
{
	(void)state;
	ps_store_t *mapped = fx.index, *one_shot = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open_with(fx.db, PS_OPEN_ONE_SHOT, &one_shot, &error), PS_OK);
	assert_true(ps_store_one_shot(one_shot));
	fx.index = one_shot;
	literal_search_equals_a_direct_scan();
	fx.index = mapped;
	ps_store_close(one_shot);
}

/* Every clause read with pread is the clause the mapping gives: its plan, place, facet and
 * normal form; one too long for the buffer comes from the mapping. */
static void test_a_clause_read_with_pread_is_the_clause_the_mapping_gives(void **state)
{
	(void)state;
	char buf[1024];
	size_t caps[] = {sizeof buf, 8};
	for (unsigned id = 1; id <= ps_store_n_docs(fx.index); id++) {
		ps_doc_t a, b;
		assert_true(ps_store_doc(fx.index, id, &a));
		for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
			assert_true(ps_store_doc_read(fx.index, id, &b, buf, caps[c]));
			assert_ptr_equal(a.plan, b.plan);
			assert_int_equal(a.clause, b.clause);
			assert_int_equal(a.section, b.section);
			assert_int_equal(a.paragraph, b.paragraph);
			assert_int_equal(a.facet, b.facet);
			assert_int_equal(a.norm_len, b.norm_len);
			assert_memory_equal(a.norm, b.norm, a.norm_len);
			if (a.norm_len > caps[c])
				assert_ptr_equal(a.norm, b.norm);
		}
	}
	ps_doc_t d;
	assert_false(ps_store_doc_read(fx.index, 0, &d, buf, sizeof buf));
	assert_false(ps_store_doc_read(fx.index, ps_store_n_docs(fx.index) + 1, &d, buf,
				       sizeof buf));
}

static void test_heading_text_is_searchable_as_the_headings_own_clause(void **state)
{
	(void)state;
	pq_results_t *r = search(fx.index, (const char *[]){"规划目标"}, 1,
				 ps_store_find_city(fx.index, "dandong"));
	bool found = false;
	for (size_t i = 0; i < r->n_hits; i++)
		found |= strcmp(r->hits[i].id, "dandong/2.2/0") == 0;
	assert_true(found);
	pq_results_free(r);
}

static void test_city_is_found_by_id_full_name_and_short_name(void **state)
{
	(void)state;
	const ps_plan_t *a = ps_store_find_city(fx.index, "dandong");
	assert_non_null(a);
	assert_ptr_equal(ps_store_find_city(fx.index, "丹东市"), a);
	assert_ptr_equal(ps_store_find_city(fx.index, "丹东"), a);
	assert_ptr_equal(ps_store_find_city(fx.index, "Dandong"), a);
	assert_null(ps_store_find_city(fx.index, "丹"));
	assert_null(ps_store_find_city(fx.index, "北京"));
	pq_results_t *r = search(fx.index, (const char *[]){"双减"}, 1,
				 ps_store_find_city(fx.index, "通化"));
	assert_int_equal(r->n_hits, 2);
	assert_int_equal(hits_in(r, "tonghua"), 2);
	pq_results_free(r);
}

static void test_section_path_of_a_hit_has_numbers_and_titles(void **state)
{
	(void)state;
	pq_results_t *r = search(fx.index, (const char *[]){"双减"}, 1,
				 ps_store_find_city(fx.index, "dandong"));
	assert_int_equal(r->n_hits, 1);
	const ps_outline_t *o;
	char *error = NULL;
	assert_int_equal(ps_store_plan_outline(fx.index, r->hits[0].plan, &o, &error), 0);
	const ps_section_t *s = &o->sections[r->hits[0].section];
	assert_int_equal(s->depth, 2);
	assert_string_equal(s->number, "（二）");
	assert_string_equal(s->title, "规划目标");
	assert_string_equal(o->sections[s->parent].number, "第二章");
	pq_results_free(r);
}

static void test_json_output_has_every_field_and_text_equals_file_bytes(void **state)
{
	(void)state;
	pq_results_t *r = search(fx.index, (const char *[]){"双减"}, 1, NULL);
	char *buf = NULL, *error = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	pq_query_t *q = NULL;
	assert_int_equal(pq_query_from_literals((const char *[]){"双减"}, 1, &q, &error), 0);
	pq_request_t req = {.query = q};
	pq_output_options_t opt = {.format = PQ_FORMAT_JSON, .query = "双减",
				   .request = &req};
	assert_int_equal(pq_output_write(out, fx.index, r, &opt, &error), 0);
	fclose(out);
	json_object *root = json_tokener_parse(buf), *hits, *v;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "total", &v));
	assert_int_equal(json_object_get_int(v), 4);
	assert_true(json_object_object_get_ex(root, "query", &v));
	assert_string_equal(json_object_get_string(v), "双减");
	assert_true(json_object_object_get_ex(root, "hits", &hits));
	assert_int_equal(json_object_array_length(hits), 4);
	for (size_t i = 0; i < 4; i++) {
		json_object *h = json_object_array_get_idx(hits, i);
		static const char *const keys[] = {"id", "city", "city_id", "province", "document",
						   "section", "text", "file", "start", "end",
						   "line", "score", "matches"};
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (!json_object_object_get_ex(h, keys[k], &v))
				fail_msg("hit %zu has no \"%s\"", i, keys[k]);
		json_object_object_get_ex(h, "id", &v);
		const scan_clause_t *sc = scan_by_id(json_object_get_string(v));
		assert_non_null(sc);
		json_object_object_get_ex(h, "text", &v);
		const char *text = json_object_get_string(v);
		assert_bytes_equal(sc->plan->text, sc->start, sc->end, text);
		json_object_object_get_ex(h, "matches", &v);
		assert_true(json_object_array_length(v) >= 1);
		json_object *m = json_object_array_get_idx(v, 0);
		size_t ms = (size_t)json_object_get_int(json_object_array_get_idx(m, 0));
		size_t me = (size_t)json_object_get_int(json_object_array_get_idx(m, 1));
		assert_bytes_equal(text, ms, me, "双减");
		json_object_object_get_ex(h, "city_id", &v);
		if (strcmp(json_object_get_string(v), "tonghua") == 0) {
			json_object_object_get_ex(h, "document", &v);
			assert_string_equal(json_object_get_string(v), "〔通化市“十四五”教育事业发展规划〕");
		}
	}
	json_object_put(root);
	free(buf);
	pq_results_free(r);
	pq_query_free(q);
}

static void test_ids_are_unique_and_the_same_after_an_independent_rebuild(void **state)
{
	(void)state;
	char **ids = calloc(fx.n_clauses, sizeof *ids);
	for (size_t i = 0; i < fx.n_clauses; i++)
		ids[i] = fx.clauses[i].id;
	qsort(ids, fx.n_clauses, sizeof *ids, cmp_str);
	for (size_t i = 1; i < fx.n_clauses; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			fail_msg("id %s is given to two passages", ids[i]);
	free(ids);

	char other[1100];
	ps_store_t *second = NULL;
	char *error = NULL;
	snprintf(other, sizeof other, "%s/second", fx.dir);
	assert_int_equal(build_into(test_env("CORPUS_DIR"), other), 0);
	assert_int_equal(ps_store_open(other, &second, &error), PS_OK);
	const char *terms[] = {"教育"};
	pq_results_t *a = search(fx.index, terms, 1, NULL), *b = search(second, terms, 1, NULL);
	assert_int_equal(a->n_hits, b->n_hits);
	for (size_t i = 0; i < a->n_hits; i++) {
		assert_string_equal(a->hits[i].id, b->hits[i].id);
		size_t la, lb;
		const char *ta = pq_hit_text(fx.index, &a->hits[i], &la, &error);
		const char *tb = pq_hit_text(second, &b->hits[i], &lb, &error);
		assert_int_equal(la, lb);
		assert_memory_equal(ta, tb, la);
	}
	pq_results_free(a);
	pq_results_free(b);
	ps_store_close(second);
}

static size_t count_generations(const char *db)
{
	DIR *d = opendir(db);
	struct dirent *e;
	size_t n = 0;
	while (d && (e = readdir(d)) != NULL)
		n += strncmp(e->d_name, "generation-", 11) == 0;
	if (d)
		closedir(d);
	return n;
}

static void copy_corpus(const char *to, const char *broken_file)
{
	mkdir(to, 0755);
	for (size_t p = 0; p < fx.manifest->n_plans; p++) {
		const pi_plan_t *plan = fx.plans[p];
		bool broken = broken_file && strcmp(plan->info->file, broken_file) == 0;
		if (broken)
			tmpdir_write(to, plan->info->file, "坏\xff", 4);
		else
			tmpdir_write(to, plan->info->file, plan->text, plan->len);
	}
	char *manifest = NULL, path[1200];
	size_t len = 0;
	FILE *f;
	snprintf(path, sizeof path, "%s/manifest.json", test_env("CORPUS_DIR"));
	f = fopen(path, "rb");
	assert_non_null(f);
	manifest = malloc(1 << 16);
	len = fread(manifest, 1, 1 << 16, f);
	fclose(f);
	tmpdir_write(to, "manifest.json", manifest, len);
	free(manifest);
}

static void test_a_failed_rebuild_leaves_the_previous_index_answering(void **state)
{
	(void)state;
	char corpus[1100], db[1100];
	snprintf(corpus, sizeof corpus, "%s/broken-corpus", fx.dir);
	snprintf(db, sizeof db, "%s/rebuilt", fx.dir);
	copy_corpus(corpus, NULL);
	assert_int_equal(build_into(corpus, db), 0);
	assert_int_equal(build_into(corpus, db), 0);
	assert_int_equal(build_into(corpus, db), 0);
	assert_true(count_generations(db) <= 2); /* the live one and the one it replaced */

	copy_corpus(corpus, "dalian.txt"); /* invalid UTF-8: this build must fail */
	size_t before = count_generations(db);
	assert_int_not_equal(build_into(corpus, db), 0);
	assert_int_equal(count_generations(db), before); /* the half-built one is gone */

	ps_store_t *index = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(db, &index, &error), PS_OK);
	pq_results_t *r = search(index, (const char *[]){"双减"}, 1, NULL);
	assert_int_equal(r->n_hits, 4);
	pq_results_free(r);
	ps_store_close(index);
}

/* Adding a plan (listed first, so build order changes too) leaves the other plans' ids and
 * texts as they were. */
static void test_adding_a_sixth_plan_leaves_the_other_ids_unchanged(void **state)
{
	(void)state;
	char corpus[1100], db[1100], path[1200];
	snprintf(corpus, sizeof corpus, "%s/six-corpus", fx.dir);
	snprintf(db, sizeof db, "%s/six-index", fx.dir);
	copy_corpus(corpus, NULL);
	const char *sixth = "第六市教育规划\n一、总体要求\n推进教育现代化，落实“双减”。\n";
	tmpdir_write(corpus, "sixth.txt", sixth, strlen(sixth));
	char *manifest = NULL, *error = NULL;
	size_t len = 0;
	snprintf(path, sizeof path, "%s/manifest.json", corpus);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	manifest = calloc(1, 1 << 17);
	len = fread(manifest, 1, (1 << 16), f);
	fclose(f);
	const char *anchor = "\"plans\": [";
	char *at = strstr(manifest, anchor);
	assert_non_null(at);
	at += strlen(anchor);
	const char *entry = "{\"city_id\": \"sixth\", \"file\": \"sixth.txt\", \"city\": \"第六市\", "
			    "\"province\": \"辽宁省\", \"title\": \"第六市教育规划\", "
			    "\"title_supplied\": false, \"date\": null, \"body_lines\": [2, 3]},";
	memmove(at + strlen(entry), at, len - (size_t)(at - manifest) + 1);
	memcpy(at, entry, strlen(entry));
	tmpdir_write(corpus, "manifest.json", manifest, strlen(manifest));
	free(manifest);
	assert_int_equal(build_into(corpus, db), 0);

	ps_store_t *six = NULL;
	assert_int_equal(ps_store_open(db, &six, &error), PS_OK);
	const char *terms[] = {"的"};
	pq_results_t *a = search(fx.index, terms, 1, NULL), *b = search(six, terms, 1, NULL);
	char **ida = calloc(a->n_hits + 1, sizeof *ida), **idb = calloc(b->n_hits + 1, sizeof *idb);
	size_t na = 0, nb = 0;
	for (size_t i = 0; i < a->n_hits; i++)
		ida[na++] = a->hits[i].id;
	for (size_t i = 0; i < b->n_hits; i++)
		if (strcmp(b->hits[i].plan->city_id, "sixth") != 0)
			idb[nb++] = b->hits[i].id;
	assert_true(na > 500);
	assert_int_equal(na, nb);
	assert_same_ids(ida, idb, na);
	free(ida);
	free(idb);
	pq_results_free(a);
	pq_results_free(b);
	/* and the new plan is searchable */
	const ps_plan_t *p6 = ps_store_find_city(six, "第六");
	assert_non_null(p6);
	pq_results_t *c = search(six, (const char *[]){"双减"}, 1, p6);
	assert_int_equal(c->n_hits, 1);
	assert_string_equal(c->hits[0].id, "sixth/1/1");
	pq_results_free(c);
	ps_store_close(six);
}

static void test_a_second_build_of_the_same_index_is_refused_while_one_runs(void **state)
{
	(void)state;
	char db[1100];
	snprintf(db, sizeof db, "%s/locked", fx.dir);
	assert_int_equal(build_into(test_env("CORPUS_DIR"), db), 0);

	ps_generation_t *running = NULL; /* a build in progress holds the lock */
	char *error = NULL;
	assert_int_equal(ps_generation_begin(db, &running, &error), 0);
	pi_build_options_t opt = {.corpus_dir = test_env("CORPUS_DIR"), .db_dir = db};
	assert_int_not_equal(pi_build(&opt, NULL, &error), 0);
	assert_non_null(strstr(error, "another build"));
	free(error);
	error = NULL;

	ps_store_t *index = NULL; /* the live index still answers */
	assert_int_equal(ps_store_open(db, &index, &error), PS_OK);
	pq_results_t *r = search(index, (const char *[]){"双减"}, 1, NULL);
	assert_int_equal(r->n_hits, 4);
	pq_results_free(r);
	ps_store_close(index);

	ps_generation_abort(running); /* releases the lock: building works again */
	assert_int_equal(count_generations(db), 1);
	assert_int_equal(build_into(test_env("CORPUS_DIR"), db), 0);
}

static void test_a_directory_that_is_not_an_index_is_not_overwritten(void **state)
{
	(void)state;
	char dir[1100], path[1200];
	snprintf(dir, sizeof dir, "%s/precious", fx.dir);
	mkdir(dir, 0755);
	tmpdir_write(dir, "thesis.txt", "mine", 4);
	assert_int_not_equal(build_into(test_env("CORPUS_DIR"), dir), 0);
	snprintf(path, sizeof path, "%s/thesis.txt", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(count_generations(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shuang_jian_finds_four_passages_dandong_1_anshan_1_tonghua_2),
		cmocka_unit_test(test_every_hit_text_is_the_exact_bytes_of_its_file),
		cmocka_unit_test(test_matches_are_byte_ranges_of_the_term_in_the_original_text),
		cmocka_unit_test(test_literal_search_equals_a_direct_scan_for_hundreds_of_corpus_strings),
		cmocka_unit_test(test_a_commands_store_reading_with_pread_finds_what_the_scan_finds),
		cmocka_unit_test(test_a_clause_read_with_pread_is_the_clause_the_mapping_gives),
		cmocka_unit_test(test_heading_text_is_searchable_as_the_headings_own_clause),
		cmocka_unit_test(test_city_is_found_by_id_full_name_and_short_name),
		cmocka_unit_test(test_section_path_of_a_hit_has_numbers_and_titles),
		cmocka_unit_test(test_json_output_has_every_field_and_text_equals_file_bytes),
		cmocka_unit_test(test_ids_are_unique_and_the_same_after_an_independent_rebuild),
		cmocka_unit_test(test_a_failed_rebuild_leaves_the_previous_index_answering),
		cmocka_unit_test(test_a_directory_that_is_not_an_index_is_not_overwritten),
		cmocka_unit_test(test_adding_a_sixth_plan_leaves_the_other_ids_unchanged),
		cmocka_unit_test(test_a_second_build_of_the_same_index_is_refused_while_one_runs),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
