/* test_kwic.c: policy-query kwic: every occurrence, its context equal to the source text. */
#include "test.h"

#include "build.h"
#include "csvtab.h"
#include "store.h"
#include "kwic.h"
#include "manifest.h"
#include "normalize.h"
#include "parse.h"
#include "plan.h"
#include "run.h"
#include "search.h"
#include "tmpdir.h"
#include "utf8.h"

#include <json-c/json.h>
#include <stdbool.h>

#define MAX_PLANS 16
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static struct {
	char *dir;
	char db[1024];
	ps_store_t *index;
	pi_manifest_t *manifest;
	pi_plan_t *plans[MAX_PLANS];
	char *body_norm[MAX_PLANS];
	size_t n_plans;
} fx;

static char *norm_range(const char *text, size_t start, size_t end)
{
	seg_norm_t n;
	char *error = NULL;
	/* in the context of the whole text, as the index reads line breaks (normalize.h) */
	if (seg_normalize_in(text, strlen(text), start, end, false, &n, &error) != 0) {
		fprintf(stderr, "normalise: %s\n", error);
		free(error);
		return NULL;
	}
	return n.text;
}

static int group_setup(void **state)
{
	(void)state;
	char *error = NULL;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	pi_build_options_t opt = {.corpus_dir = test_env("CORPUS_DIR"), .db_dir = fx.db};
	if (pi_build(&opt, NULL, &error) != 0 ||
	    ps_store_open(fx.db, &fx.index, &error) != PS_OK ||
	    pi_manifest_load(test_env("CORPUS_DIR"), &fx.manifest, &error) != 0) {
		fprintf(stderr, "setup: %s\n", error);
		free(error);
		return -1;
	}
	for (size_t p = 0; p < fx.manifest->n_plans && p < MAX_PLANS; p++) {
		pi_plan_t *plan;
		if (pi_plan_load(test_env("CORPUS_DIR"), &fx.manifest->plans[p], &plan, &error)) {
			fprintf(stderr, "plan: %s\n", error);
			free(error);
			return -1;
		}
		fx.plans[fx.n_plans] = plan;
		fx.body_norm[fx.n_plans++] =
			norm_range(plan->text, plan->body_start, plan->body_end);
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t p = 0; p < fx.n_plans; p++) {
		pi_plan_free(fx.plans[p]);
		free(fx.body_norm[p]);
	}
	pi_manifest_free(fx.manifest);
	ps_store_close(fx.index);
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

static size_t scan_count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
		n++;
	return n;
}

static size_t code_points(const char *text, size_t start, size_t end)
{
	size_t n = 0;
	for (size_t i = start; i < end; n++)
		utf8_next(text, &i, end);
	return n;
}

static pq_kwic_t *kwic(const char *query, pq_scope_t scope, size_t width, pq_query_t **q)
{
	const char *args[] = {query};
	pq_kwic_t *k = NULL;
	char *error = NULL;
	if (pq_query_parse(args, 1, q, &error) != 0)
		fail_msg("query '%s': %s", query, error);
	pq_kwic_request_t req = {.query = *q, .scope = scope, .width = width};
	if (pq_kwic_run(fx.index, &req, &k, &error) != 0)
		fail_msg("kwic '%s': %s", query, error);
	return k;
}

static int plan_index(const ps_plan_t *plan)
{
	for (size_t p = 0; p < fx.n_plans; p++)
		if (strcmp(fx.plans[p]->info->city_id, plan->city_id) == 0)
			return (int)p;
	fail_msg("no plan %s", plan->city_id);
	return -1;
}

/* Every line: the match is the term, the context is width characters cut at the body,
 * the line and the clause are where the match starts. */
static void check_lines(const char *term, const pq_kwic_t *k, size_t width)
{
	char *norm = norm_range(term, 0, strlen(term));
	size_t want = 0;
	for (size_t p = 0; p < fx.n_plans; p++)
		want += scan_count(fx.body_norm[p], norm);
	if (k->n_lines != want)
		fail_msg("'%s': kwic lists %zu occurrences, the scan counts %zu", term, k->n_lines,
			 want);
	for (size_t i = 0; i < k->n_lines; i++) {
		const pq_kwic_line_t *l = &k->lines[i];
		int p = plan_index(l->plan);
		const pi_plan_t *plan = fx.plans[p];
		const char *text = plan->text;
		char *m = norm_range(text, l->start, l->end);
		assert_string_equal(m, norm);
		free(m);
		if (i > 0 && k->lines[i - 1].plan == l->plan)
			assert_true(k->lines[i - 1].end <= l->start);
		if (i > 0)
			assert_true(plan_index(k->lines[i - 1].plan) <= p);
		size_t before = code_points(text, plan->body_start, l->start);
		size_t after = code_points(text, l->end, plan->body_end);
		assert_int_equal(code_points(text, l->left, l->start),
				 before < width ? before : width);
		assert_int_equal(code_points(text, l->end, l->right),
				 after < width ? after : width);
		assert_int_equal(l->line, utf8_line_of(text, l->start));
		const seg_document_t *d = plan->doc;
		const seg_clause_t *c = NULL;
		for (size_t j = 0; j < d->n_clauses && d->clauses[j].start <= l->start; j++)
			c = &d->clauses[j];
		assert_non_null(c);
		char id[200];
		int n = snprintf(id, sizeof id, "%s/", plan->info->city_id);
		seg_clause_ref(d, c, id + n, sizeof id - (size_t)n);
		assert_string_equal(l->id, id);
	}
	free(norm);
}

static void test_every_occurrence_is_listed_with_its_context_line_and_clause(void **s)
{
	(void)s;
	uint32_t seed = 4242;
	static const char *const fixed[] = {"双减", "教育", "，", "２０２５", "学校学校", "00",
					    "**"};
	for (size_t i = 0; i < N_OF(fixed); i++) {
		pq_query_t *q = NULL;
		pq_kwic_t *k = kwic(fixed[i], PQ_SCOPE_CLAUSE, 20, &q);
		check_lines(fixed[i], k, 20);
		pq_kwic_free(k);
		pq_query_free(q);
	}
	for (int round = 0; round < 60; round++) {
		seed = seed * 1103515245u + 12345u;
		const pi_plan_t *plan = fx.plans[(seed >> 8) % fx.n_plans];
		seed = seed * 1103515245u + 12345u;
		const seg_clause_t *c = &plan->doc->clauses[(seed >> 8) % plan->doc->n_clauses];
		size_t at = c->start, end = at, n = 1 + round % 4;
		for (size_t j = 0; j < n && end < c->end; j++)
			utf8_next(plan->text, &end, c->end);
		char term[64];
		snprintf(term, sizeof term, "%.*s", (int)(end - at), plan->text + at);
		if (strpbrk(term, "\"()| -") != NULL || strchr(term, '\t') ||
		    strstr(term, "　") != NULL)
			continue;
		pq_query_t *q = NULL;
		size_t width = (size_t)round % 3 == 0 ? 0 : 5 + (size_t)round;
		pq_kwic_t *k = kwic(term, PQ_SCOPE_CLAUSE, width, &q);
		check_lines(term, k, width);
		pq_kwic_free(k);
		pq_query_free(q);
	}
}

static void test_a_query_with_operators_lists_its_terms_inside_its_hits(void **s)
{
	(void)s;
	pq_query_t *q = NULL;
	pq_kwic_t *k = kwic("双减 OR 作业", PQ_SCOPE_PARAGRAPH, 10, &q);
	pq_request_t req = {.query = q, .scope = PQ_SCOPE_PARAGRAPH};
	pq_results_t *r = NULL;
	char *error = NULL;
	size_t want = 0;
	assert_int_equal(pq_search(fx.index, &req, &r, &error), 0);
	for (size_t h = 0; h < r->n_hits; h++) {
		const pi_plan_t *plan = fx.plans[plan_index(r->hits[h].plan)];
		char *text = norm_range(plan->text, r->hits[h].start, r->hits[h].end);
		want += scan_count(text, "双减") + scan_count(text, "作业");
		free(text);
	}
	assert_true(want > 4);
	assert_int_equal(k->n_lines, want);
	for (size_t i = 0; i < k->n_lines; i++) {
		bool found = false;
		for (size_t h = 0; h < r->n_hits && !found; h++)
			found = strcmp(r->hits[h].id, k->lines[i].id) == 0 &&
				r->hits[h].start <= k->lines[i].start &&
				k->lines[i].end <= r->hits[h].end;
		assert_true(found);
	}
	pq_results_free(r);
	pq_kwic_free(k);
	pq_query_free(q);
}

/* ---- the command line ---- */

static run_t kwic_cli(const char *const *extra)
{
	const char *argv[32] = {test_env("POLICY_QUERY"), "kwic", "--db", fx.db};
	size_t n = 4;
	while (*extra && n < 31)
		argv[n++] = *extra++;
	argv[n] = NULL;
	return run_program(fx.dir, argv);
}

static const pi_plan_t *plan_by_id(const char *city_id)
{
	for (size_t p = 0; p < fx.n_plans; p++)
		if (strcmp(fx.plans[p]->info->city_id, city_id) == 0)
			return fx.plans[p];
	fail_msg("no plan %s", city_id);
	return NULL;
}

/* left + match + right is the file's text around [start, end). */
static void check_context(const char *city_id, const char *left, const char *match,
			  const char *right, size_t start, size_t end)
{
	const pi_plan_t *p = plan_by_id(city_id);
	size_t ll = strlen(left), rl = strlen(right);
	assert_true(start >= ll && end + rl <= p->len && end - start == strlen(match));
	assert_memory_equal(p->text + start - ll, left, ll);
	assert_memory_equal(p->text + start, match, end - start);
	assert_memory_equal(p->text + end, right, rl);
}

static void test_csv_and_json_contexts_equal_the_source_text(void **s)
{
	(void)s;
	run_t rc = kwic_cli((const char *[]){"--format", "csv", "--width", "30", "课后服务", NULL});
	run_t rj =
		kwic_cli((const char *[]){"--format", "json", "--width", "30", "课后服务", NULL});
	run_t rt = kwic_cli((const char *[]){"--format", "tsv", "--width", "30", "课后服务", NULL});
	csvtab_t t, tt;
	assert_int_equal(rc.status, 0);
	assert_true(csvtab_parse_csv(rc.out, rc.out_len, &t));
	static const char *const header[] = {"city", "city_id", "id", "line", "section",
					     "left", "match", "right", "start", "end"};
	assert_int_equal(t.n_fields[0], N_OF(header));
	for (size_t c = 0; c < N_OF(header); c++)
		assert_string_equal(t.rows[0][c], header[c]);
	size_t want = 0;
	for (size_t p = 0; p < fx.n_plans; p++)
		want += scan_count(fx.body_norm[p], "课后服务");
	assert_int_equal(t.n_rows, 1 + want);
	for (size_t row = 1; row < t.n_rows; row++) {
		char **f = t.rows[row];
		check_context(f[1], f[5], f[6], f[7], strtoull(f[8], NULL, 10),
			      strtoull(f[9], NULL, 10));
		assert_int_equal(strtol(f[3], NULL, 10),
				 utf8_line_of(plan_by_id(f[1])->text, strtoull(f[8], NULL, 10)));
	}
	assert_int_equal(rt.status, 0);
	csvtab_parse_tsv(rt.out, rt.out_len, &tt);
	assert_int_equal(tt.n_rows, t.n_rows);
	json_object *root = json_tokener_parse(rj.out), *arr, *v;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "total", &v));
	assert_int_equal(json_object_get_int64(v), want);
	assert_true(json_object_object_get_ex(root, "occurrences", &arr));
	assert_int_equal(json_object_array_length(arr), want);
	for (size_t i = 0; i < want; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		const char *f[10];
		for (size_t c = 0; c < N_OF(header); c++) {
			assert_true(json_object_object_get_ex(o, header[c], &v));
			f[c] = json_object_get_string(v);
			if (c != 3 && c < 8) /* strings; line, start and end are numbers */
				assert_string_equal(f[c], t.rows[1 + i][c]);
		}
		check_context(f[1], f[5], f[6], f[7], strtoull(f[8], NULL, 10),
			      strtoull(f[9], NULL, 10));
	}
	json_object_put(root);
	csvtab_free(&t);
	csvtab_free(&tt);
	run_free(&rc);
	run_free(&rj);
	run_free(&rt);
}

static void test_text_lines_mark_the_match_and_end_with_the_count_per_city(void **s)
{
	(void)s;
	run_t r = kwic_cli((const char *[]){"双减", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "4 occurrences: 丹东市 1 · 鞍山市 1 · 通化市 2"));
	assert_non_null(strstr(r.out, "推动“⟪双减⟫”落地见效"));
	assert_non_null(strstr(r.out, "dandong/2.2/6"));
	/* the four lines put the match in the same column */
	const char *line = r.out;
	long col = -1;
	for (int i = 0; i < 4; i++) {
		const char *mark = strstr(line, "⟪"), *nl = strchr(line, '\n');
		assert_true(mark != NULL && nl != NULL && mark < nl);
		long width = 0; /* terminal columns before the mark */
		for (size_t j = 0, n = (size_t)(mark - line); j < n;) {
			int32_t c = utf8_next(line, &j, n);
			int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
			width += ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
		}
		assert_true(col < 0 || col == width);
		col = width;
		line = nl + 1;
	}
	run_free(&r);
}

/* With no context every left and right is empty, a string after longer ones (under the
 * sanitizer this also checks that the JSON writer frees each). */
static void test_json_with_no_context_has_empty_left_and_right_after_each_match(void **s)
{
	(void)s;
	run_t r = kwic_cli((const char *[]){"--format", "json", "--width", "0", "教育", NULL});
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	json_object *root = json_tokener_parse(r.out), *arr, *v;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "occurrences", &arr));
	size_t n = json_object_array_length(arr);
	assert_true(n > 1000);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		assert_true(json_object_object_get_ex(o, "left", &v));
		assert_string_equal(json_object_get_string(v), "");
		assert_true(json_object_object_get_ex(o, "match", &v));
		assert_string_equal(json_object_get_string(v), "教育");
		assert_true(json_object_object_get_ex(o, "right", &v));
		assert_string_equal(json_object_get_string(v), "");
	}
	json_object_put(root);
	run_free(&r);
}

/* Terminal columns of line[0, n). */
static long columns_of(const char *line, size_t n)
{
	long width = 0;
	for (size_t j = 0; j < n;) {
		int32_t c = utf8_next(line, &j, n);
		int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
		width += ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
	}
	return width;
}

static void test_text_lines_align_ids_line_numbers_and_matches_of_any_width(void **s)
{
	(void)s;
	run_t r = kwic_cli((const char *[]){"教育", NULL});
	assert_int_equal(r.status, 0);
	long mark_col = -1, num_end = -1;
	size_t lines = 0, id_lens[2] = {SIZE_MAX, 0}, num_lens[2] = {SIZE_MAX, 0};
	for (const char *line = r.out; *line != '\n'; lines++) { /* up to the blank line */
		const char *mark = strstr(line, "⟪"), *nl = strchr(line, '\n');
		assert_true(mark != NULL && nl != NULL && mark < nl);
		long col = columns_of(line, (size_t)(mark - line));
		assert_true(mark_col < 0 || col == mark_col);
		mark_col = col;
		/* "<id> <spaces><line>  ": the id, then the number ending in one column */
		size_t id_len = strcspn(line, " "), at = id_len;
		while (line[at] == ' ')
			at++;
		size_t num_len = strspn(line + at, "0123456789");
		assert_true(num_len > 0 && line[at + num_len] == ' ' && line[at + num_len + 1] == ' ');
		assert_true(num_end < 0 || (long)(at + num_len) == num_end);
		num_end = (long)(at + num_len);
		id_lens[0] = id_len < id_lens[0] ? id_len : id_lens[0];
		id_lens[1] = id_len > id_lens[1] ? id_len : id_lens[1];
		num_lens[0] = num_len < num_lens[0] ? num_len : num_lens[0];
		num_lens[1] = num_len > num_lens[1] ? num_len : num_lens[1];
		line = nl + 1;
	}
	assert_true(lines > 1000);
	assert_true(id_lens[0] < id_lens[1] && num_lens[0] < num_lens[1]); /* widths vary */
	assert_non_null(strstr(r.out, "\n\n1644 occurrences: "));
	run_free(&r);
}

static void test_bad_usage_exits_2_and_writes_nothing(void **s)
{
	(void)s;
	char out[4200];
	snprintf(out, sizeof out, "%s/kwic.csv", fx.dir);
	struct {
		const char *args[8];
		const char *message;
	} cases[] = {
		{{"--width", "-1", "-o", out, "双减", NULL}, "--width takes"},
		{{"--format", "xml", "-o", out, "双减", NULL}, "--format takes"},
		{{"--scope", "page", "-o", out, "双减", NULL}, "--scope takes"},
		{{"-o", out, "双减 OR", NULL}, "OR"},
		{{"-o", out, NULL}, "no query"},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		run_t r = kwic_cli(cases[i].args);
		if (r.status != 2 || strstr(r.err, cases[i].message) == NULL)
			fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
		assert_int_equal(access(out, F_OK), -1);
		run_free(&r);
	}
	run_t r = kwic_cli((const char *[]){"--format", "csv", "--excel", "-o", out, "双减", NULL});
	assert_int_equal(r.status, 0);
	char *text = run_slurp(out, NULL);
	assert_memory_equal(text, "\xEF\xBB\xBF" "city,", 8);
	free(text);
	run_free(&r);
}

/* The walk kwic maps an occurrence through, on every clause of every plan of the corpus that
 * is plain (or plain but for characters t2s left as they were in the index's normal form):
 * its text is the clause's normal form, fresh and as the index holds it; every range of the clause's normal form between character boundaries (from each
 * boundary to the next two and to the end) maps to the source bytes the clause's normal form
 * with its map gives, and those lie where the whole body's map puts the same bytes of the
 * plan's normal form. Most clauses of a plan are plain. */
static void test_a_walk_maps_every_plain_clause_of_the_corpus_as_the_normal_forms_do(void **state)
{
	(void)state;
	size_t n_plans, clauses = 0, plain = 0, known = 0, ranges = 0;
	const ps_plan_t *plans = ps_store_plans(fx.index, &n_plans);
	char *error = NULL;
	for (size_t p = 0; p < n_plans; p++) {
		const ps_outline_t *o;
		const char *src, *pnorm;
		size_t len, pnorm_len;
		seg_norm_t body;
		if (ps_store_plan_outline(fx.index, &plans[p], &o, &error) != PS_OK ||
		    ps_store_plan_source(fx.index, &plans[p], &src, &len, &error) != PS_OK ||
		    ps_store_plan_norm(fx.index, &plans[p], &pnorm, &pnorm_len, &error) != PS_OK ||
		    seg_normalize_in(src, plans[p].body_end, plans[p].body_start, plans[p].body_end,
				     true, &body, &error) != 0)
			fail_msg("%s: %s", plans[p].city_id, error);
		assert_int_equal(body.len, pnorm_len);
		for (size_t c = 0; c < o->n_clauses; c++, clauses++) {
			const ps_clause_t *cl = &o->clauses[c];
			seg_norm_t norm;
			seg_norm_walk_t walk;
			if (seg_normalize_in(src, len, cl->start, cl->end, true, &norm, &error) != 0)
				fail_msg("%s clause %zu: %s", plans[p].city_id, c, error);
			if (seg_norm_walk_start(&walk, src, cl->start, cl->end)) {
				plain++;
			} else if (seg_norm_walk_start_known(&walk, src, cl->start, cl->end,
							     pnorm + cl->norm_start,
							     cl->norm_end - cl->norm_start)) {
				plain++;
				known++; /* plain but for characters t2s left alone */
			} else {
				seg_norm_clear(&norm);
				continue;
			}
			assert_int_equal(walk.norm_len, norm.len);
			assert_int_equal(walk.norm_len, cl->norm_end - cl->norm_start);
			strbuf_t form = STRBUF_INIT;
			assert_int_equal(seg_norm_walk_text(&walk, &form, &error), 0);
			assert_int_equal(form.len, norm.len);
			assert_memory_equal(form.data, norm.text, norm.len);
			assert_memory_equal(form.data, pnorm + cl->norm_start, norm.len);
			strbuf_free(&form);
			for (size_t a = 0; a < norm.len; a++) {
				if (((unsigned char)norm.text[a] & 0xC0) == 0x80)
					continue;
				size_t ends[3], n_ends = 0;
				for (size_t b = a + 1; b <= norm.len && n_ends < 2; b++)
					if (b == norm.len || ((unsigned char)norm.text[b] & 0xC0) != 0x80)
						ends[n_ends++] = b;
				ends[n_ends++] = norm.len;
				for (size_t k = 0; k < n_ends; k++, ranges++) {
					size_t ms, me, ws, we, bs, be;
					seg_norm_source_range(&norm, a, ends[k], &ms, &me);
					seg_norm_walk_range(&walk, a, ends[k], &ws, &we);
					seg_norm_source_range(&body, cl->norm_start + a,
							      cl->norm_start + ends[k], &bs, &be);
					if (ws != ms || we != me ||
					    cl->start + ws != plans[p].body_start + bs ||
					    cl->start + we != plans[p].body_start + be)
						fail_msg("%s clause %zu: normal bytes [%zu,%zu) map to "
							 "[%zu,%zu) (body: [%zu,%zu)), the walk says "
							 "[%zu,%zu)", plans[p].city_id, c, a, ends[k],
							 ms, me, bs, be, ws, we);
				}
			}
			seg_norm_clear(&norm);
		}
		seg_norm_clear(&body);
	}
	assert_true(plain * 2 > clauses);
	assert_true(known > 10);
	assert_true(ranges > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_occurrence_is_listed_with_its_context_line_and_clause),
		cmocka_unit_test(test_a_query_with_operators_lists_its_terms_inside_its_hits),
		cmocka_unit_test(test_csv_and_json_contexts_equal_the_source_text),
		cmocka_unit_test(test_text_lines_mark_the_match_and_end_with_the_count_per_city),
		cmocka_unit_test(test_text_lines_align_ids_line_numbers_and_matches_of_any_width),
		cmocka_unit_test(test_json_with_no_context_has_empty_left_and_right_after_each_match),
		cmocka_unit_test(test_bad_usage_exits_2_and_writes_nothing),
		cmocka_unit_test(test_a_walk_maps_every_plain_clause_of_the_corpus_as_the_normal_forms_do),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
