/* test_frequent.c: the answers an index keeps for frequent grams give what walking their posting lists gives. */
#include "test.h"

#include "build.h"
#include "format.h"
#include "kept.h"
#include "parse.h"
#include "run.h"
#include "search.h"
#include "store.h"
#include "tmpdir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Three indexes of the corpus: one keeping no answers (every search walks), one keeping
 * them for every gram with the best 5 clauses of each (so most pages lie deeper than what
 * is kept), one with the default 256. */
enum { WALKED, TOP5, TOP256, N_INDEXES };

static struct {
	char *dir;
	char db[N_INDEXES][1100];
	ps_store_t *store[N_INDEXES];
} fx;

static int build(int which, bool keep, unsigned top)
{
	pi_build_options_t opt = {.corpus_dir = test_env("CORPUS_DIR"), .db_dir = fx.db[which],
				  .frequent_off = !keep, .frequent_min = 1, .frequent_top = top};
	char *error = NULL;
	if (pi_build(&opt, NULL, &error) != PS_OK ||
	    ps_store_open(fx.db[which], &fx.store[which], &error) != PS_OK) {
		fprintf(stderr, "%s: %s\n", fx.db[which], error);
		free(error);
		return -1;
	}
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	for (int i = 0; i < N_INDEXES; i++)
		snprintf(fx.db[i], sizeof fx.db[i], "%s/index%d", fx.dir, i);
	/* a character's clauses are added up a window of documents at a time: the small
	 * index is read in windows of 128 here, so that several windows meet */
	setenv("POLICY_INDEX_TEST_FREQUENT_WINDOW", "128", 1);
	int top5 = build(TOP5, true, 5);
	unsetenv("POLICY_INDEX_TEST_FREQUENT_WINDOW");
	return build(WALKED, false, 0) || top5 || build(TOP256, true, 0) ? -1 : 0;
}

static int group_teardown(void **state)
{
	for (int i = 0; i < N_INDEXES; i++)
		ps_store_close(fx.store[i]);
	(void)state;
	return tmpdir_teardown((void **)&fx.dir);
}

/* ---- one request against each index ---- */

typedef struct ask {
	const char *query;
	const char *cities[3]; /* NULL-terminated */
	size_t offset, limit;  /* limit 0 with all: every hit */
	bool all;
	pq_order_t order;
} ask_t;

static pq_results_t *run(ps_store_t *store, const ask_t *a, pq_query_t **q)
{
	const ps_plan_t *cities[3];
	size_t n_cities = 0;
	char *error = NULL;
	pq_results_t *r = NULL;
	for (; n_cities < 3 && a->cities[n_cities] != NULL; n_cities++) {
		cities[n_cities] = ps_store_find_city(store, a->cities[n_cities]);
		assert_non_null(cities[n_cities]);
	}
	if (pq_query_parse(&a->query, 1, q, &error) != 0)
		fail_msg("query '%s' is refused: %s", a->query, error);
	pq_request_t req = {.query = *q, .scope = PQ_SCOPE_CLAUSE, .cities = cities,
			    .n_cities = n_cities, .page = !a->all, .offset = a->offset,
			    .limit = a->limit, .order = a->order};
	if (pq_search(store, &req, &r, &error) != PS_OK)
		fail_msg("'%s' failed: %s", a->query, error);
	return r;
}

/* The request on every index: the same results as the walk. */
static void assert_as_walked(const ask_t *a)
{
	pq_query_t *q0 = NULL;
	pq_results_t *walked = run(fx.store[WALKED], a, &q0);
	for (int i = TOP5; i < N_INDEXES; i++) {
		char what[256];
		snprintf(what, sizeof what, "'%s' cities %s%s offset %zu limit %zu%s%s (index %d)",
			 a->query, a->cities[0] ? a->cities[0] : "all",
			 a->cities[0] && a->cities[1] ? "+" : "", a->offset, a->limit,
			 a->all ? " all" : "", a->order == PQ_ORDER_DOCUMENT ? " by document" : "",
			 i);
		pq_query_t *q = NULL;
		pq_results_t *kept = run(fx.store[i], a, &q);
		assert_same_results(kept, walked, what);
		pq_results_free(kept);
		pq_query_free(q);
	}
	pq_results_free(walked);
	pq_query_free(q0);
}

/* Lone characters and bigrams, common and rare, in the ways a page can be asked for. */
static const char *const lone_grams[] = {
	"教育", "学校", "发展", "双减", "学", "校", "的", "。", "2", "育", "教", "中", "体系",
	"\"教 育\"", /* normalised, the phrase is 教育 */
	"ＡＢ", "ab",   /* folded, as the index folds them */
};

static const ask_t shapes[] = {
	{.limit = 20},
	{.limit = 1},
	{.limit = 5},
	{.offset = 3, .limit = 2},
	{.offset = 4, .limit = 10},
	{.offset = 250, .limit = 20},
	{.limit = 0},
	{.all = true},
	{.cities = {"大连"}, .limit = 5},
	{.cities = {"丹东", "鞍山"}, .offset = 2, .limit = 6},
	{.cities = {"通化"}, .limit = 300},
	{.order = PQ_ORDER_DOCUMENT, .limit = 20},
	{.order = PQ_ORDER_DOCUMENT, .offset = 7, .limit = 3},
	{.order = PQ_ORDER_DOCUMENT, .cities = {"阜新"}, .offset = 1, .limit = 4},
};

static void test_kept_answers_give_the_walks_total_chapters_and_page(void **state)
{
	(void)state;
	for (size_t g = 0; g < N_OF(lone_grams); g++)
		for (size_t s = 0; s < N_OF(shapes); s++) {
			ask_t a = shapes[s];
			a.query = lone_grams[g];
			assert_as_walked(&a);
		}
}

/* Queries that are not one gram alone walk as before, on every index. */
static void test_other_queries_walk_as_before(void **state)
{
	(void)state;
	static const char *const queries[] = {"教育 学校", "教育 OR 学生", "教育 -学校",
					      "教育发展", "教 学", "~双减", "教育局", "学 -校"};
	for (size_t i = 0; i < N_OF(queries); i++)
		for (size_t s = 0; s < N_OF(shapes); s++) {
			ask_t a = shapes[s];
			a.query = queries[i];
			assert_as_walked(&a);
		}
}

/* ---- what the store keeps ---- */

static void test_store_keeps_a_frequent_grams_clauses_and_best(void **state)
{
	(void)state;
	ps_frequent_t f;
	assert_int_equal(ps_store_frequent(fx.store[TOP5], "教育", strlen("教育"), &f), 1);
	assert_int_equal(f.n_top, 5);
	assert_true(f.clauses > 5);
	for (size_t i = 1; i < f.n_top; i++)
		assert_true(f.top[i].count < f.top[i - 1].count ||
			    (f.top[i].count == f.top[i - 1].count && f.top[i].docid > f.top[i - 1].docid));
	size_t facet, sum = 0, last = 0;
	unsigned n;
	int got;
	bool first = true;
	while ((got = ps_frequent_next_facet(&f, &facet, &n)) > 0) {
		assert_true(first || facet > last);
		first = false;
		last = facet;
		sum += n;
	}
	assert_int_equal(got, 0);
	assert_int_equal(sum, f.clauses);
	/* the walk's total for the same gram */
	ask_t a = {.query = "教育", .limit = 0};
	pq_query_t *q = NULL;
	pq_results_t *r = run(fx.store[WALKED], &a, &q);
	assert_int_equal(r->total, f.clauses);
	pq_results_free(r);
	pq_query_free(q);
	/* the index that keeps none, and a gram no index holds */
	assert_int_equal(ps_store_frequent(fx.store[WALKED], "教育", strlen("教育"), &f), 0);
	assert_int_equal(ps_store_frequent(fx.store[TOP5], "龘龘", strlen("龘龘"), &f), 0);
	assert_int_equal(ps_store_frequent(fx.store[TOP5], "", 0, &f), 0);
}

static void copy_tree(const char *from, const char *to)
{
	char cmd[2600];
	snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
}

/* A copy of the default index, named `name` under the fixture's directory, into copy, and
 * its frequent file's path into path. */
static void copy_index(const char *name, char *copy, size_t copy_size, char *path,
		       size_t path_size)
{
	char gen[1300];
	snprintf(copy, copy_size, "%s/%s", fx.dir, name);
	copy_tree(fx.db[TOP256], copy);
	generation_of(copy, gen, sizeof gen);
	snprintf(path, path_size, "%s/%s", gen, PS_FREQUENT_FILE);
}

/* An index whose kept answers do not add up is refused as damaged, not answered wrongly:
 * and the search reads them (the walk would not notice). */
static void test_damaged_kept_answers_are_reported_not_used(void **state)
{
	(void)state;
	char copy[1200], path[1400];
	copy_index("damaged", copy, sizeof copy, path, sizeof path);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	ps_frequent_head_t head;
	assert_int_equal(pread(fd, &head, sizeof head, sizeof(ps_file_head_t)), sizeof head);
	assert_true(head.n_grams > 0);
	/* every gram's clause count one more than its chapters add up to */
	for (uint32_t i = 0; i < head.n_grams; i++) {
		ps_frequent_rec_t rec;
		off_t at = (off_t)(head.records_offset + i * sizeof rec);
		assert_int_equal(pread(fd, &rec, sizeof rec, at), sizeof rec);
		rec.clauses++;
		rec.n_top = rec.n_top < head.top ? rec.n_top : head.top;
		assert_int_equal(pwrite(fd, &rec, sizeof rec, at), sizeof rec);
	}
	close(fd);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(copy, &store, &error), PS_OK);
	pq_query_t *q = NULL;
	const char *text = "教育";
	assert_int_equal(pq_query_parse(&text, 1, &q, &error), 0);
	pq_request_t req = {.query = q, .page = true, .limit = 5};
	pq_results_t *r = NULL;
	assert_int_not_equal(pq_search(store, &req, &r, &error), PS_OK);
	assert_non_null(strstr(error, "damaged"));
	free(error);
	error = NULL;
	/* a query that is not one gram alone does not read them */
	pq_query_free(q);
	const char *two = "教育 学校";
	assert_int_equal(pq_query_parse(&two, 1, &q, &error), 0);
	req.query = q;
	assert_int_equal(pq_search(store, &req, &r, &error), PS_OK);
	pq_results_free(r);
	pq_query_free(q);
	ps_store_close(store);
	tmpdir_remove(copy);
}

/* An index built before the answers were kept (no file) walks, with the same results. */
static void test_index_without_kept_answers_walks(void **state)
{
	(void)state;
	char copy[1200], path[1400];
	copy_index("without", copy, sizeof copy, path, sizeof path);
	assert_int_equal(unlink(path), 0);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(copy, &store, &error), PS_OK);
	ps_frequent_t f;
	assert_int_equal(ps_store_frequent(store, "教育", strlen("教育"), &f), 0);
	ask_t a = {.query = "教育", .limit = 10};
	pq_query_t *q1 = NULL, *q2 = NULL;
	pq_results_t *r1 = run(store, &a, &q1), *r2 = run(fx.store[WALKED], &a, &q2);
	assert_same_results(r1, r2, "教育 without the file");
	pq_results_free(r1);
	pq_results_free(r2);
	pq_query_free(q1);
	pq_query_free(q2);
	ps_store_close(store);
	tmpdir_remove(copy);
}

/* A file of another index (its catalogue's chapters or clauses differ) is refused. */
static void test_kept_answers_of_another_index_are_refused(void **state)
{
	(void)state;
	char copy[1200], path[1400];
	copy_index("foreign", copy, sizeof copy, path, sizeof path);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	ps_frequent_head_t head;
	assert_int_equal(pread(fd, &head, sizeof head, sizeof(ps_file_head_t)), sizeof head);
	head.n_docs++;
	assert_int_equal(pwrite(fd, &head, sizeof head, sizeof(ps_file_head_t)), sizeof head);
	close(fd);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(copy, &store, &error), PS_ERR_CORRUPT);
	assert_non_null(strstr(error, "damaged"));
	free(error);
	tmpdir_remove(copy);
}

/* Only grams in at least the threshold's clauses are kept. */
static void test_only_grams_past_the_threshold_are_kept(void **state)
{
	(void)state;
	char db[1200];
	snprintf(db, sizeof db, "%s/threshold", fx.dir);
	ask_t a = {.query = "双减", .limit = 0};
	pq_query_t *q = NULL;
	pq_results_t *r = run(fx.store[WALKED], &a, &q);
	size_t shuangjian = r->total;
	pq_results_free(r);
	pq_query_free(q);
	assert_true(shuangjian > 1);
	pi_build_options_t opt = {.corpus_dir = test_env("CORPUS_DIR"), .db_dir = db,
				  .frequent_min = (unsigned)shuangjian + 1};
	char *error = NULL;
	ps_store_t *store = NULL;
	assert_int_equal(pi_build(&opt, NULL, &error), PS_OK);
	assert_int_equal(ps_store_open(db, &store, &error), PS_OK);
	ps_frequent_t f;
	assert_int_equal(ps_store_frequent(store, "双减", strlen("双减"), &f), 0);
	assert_int_equal(ps_store_frequent(store, "教育", strlen("教育"), &f), 1);
	assert_true(f.clauses >= shuangjian + 1);
	ps_store_close(store);
	tmpdir_remove(db);
}

/* ---- policy-index's options ---- */

/* Whether the index built at db keeps answers for frequent grams (its generation has the
 * file). */
static bool keeps_answers(const char *db)
{
	char gen[1300], path[1400];
	struct stat st;
	generation_of(db, gen, sizeof gen);
	snprintf(path, sizeof path, "%s/%s", gen, PS_FREQUENT_FILE);
	return stat(path, &st) == 0;
}

/* Build the corpus into fx.dir/name with policy-index and the options args (NULL-ended, at
 * most 4); its exit status, the index left for the caller to look at and remove. */
static int index_with(const char *name, const char *const *args, void (*prepare)(void),
		      char *db, size_t size)
{
	const char *argv[12] = {test_env("POLICY_INDEX"), "--corpus", test_env("CORPUS_DIR"),
				"--db", db, "--quiet"};
	size_t n = 6;
	snprintf(db, size, "%s/%s", fx.dir, name);
	for (size_t i = 0; args[i] != NULL && n < N_OF(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	run_opts_t opts = {.prepare = prepare};
	run_t r = run_opts(fx.dir, &opts, argv);
	if (r.status != 0)
		fprintf(stderr, "policy-index %s: %s\n", name, r.err);
	int status = r.status;
	run_free(&r);
	return status;
}

/* The last --frequent given decides, as with any option given twice: --frequent 0 then
 * --frequent 1 keeps the answers, --frequent 1 then --frequent 0 keeps none. */
static void test_the_last_frequent_option_given_decides(void **state)
{
	(void)state;
	char db[1200];
	assert_int_equal(index_with("zero-then-one", (const char *[]){"--frequent", "0",
								       "--frequent", "1", NULL},
				    NULL, db, sizeof db),
			 0);
	assert_true(keeps_answers(db));
	tmpdir_remove(db);
	assert_int_equal(index_with("one-then-zero", (const char *[]){"--frequent", "1",
								       "--frequent", "0", NULL},
				    NULL, db, sizeof db),
			 0);
	assert_false(keeps_answers(db));
	tmpdir_remove(db);
}

/* In the child: at most 1 GB of memory (run.h), and under AddressSanitizer an allocation
 * past that refused, as the address-space limit refuses it elsewhere. */
static void guard_allocations(void)
{
	run_asan_option("max_allocation_size_mb=1024:allocator_may_return_null=1");
	run_guard_child();
}

/* --frequent-top takes any count up to 2^32 - 1; one past the index's clauses keeps them
 * all, in no more memory than they take. */
static void test_a_frequent_top_past_the_clauses_keeps_them_all(void **state)
{
	(void)state;
	char db[1200];
	assert_int_equal(index_with("top-max", (const char *[]){"--frequent", "1", "--frequent-top",
								 "4294967295", NULL},
				    guard_allocations, db, sizeof db),
			 0);
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(db, &store, &error), PS_OK);
	ps_frequent_t f;
	assert_int_equal(ps_store_frequent(store, "教育", strlen("教育"), &f), 1);
	assert_int_equal(f.n_top, f.clauses);
	ask_t a = {.query = "教育", .offset = 3, .limit = 7};
	pq_query_t *q1 = NULL, *q2 = NULL;
	pq_results_t *r1 = run(store, &a, &q1), *r2 = run(fx.store[WALKED], &a, &q2);
	assert_same_results(r1, r2, "教育 with every clause kept");
	pq_results_free(r1);
	pq_results_free(r2);
	pq_query_free(q1);
	pq_query_free(q2);
	ps_store_close(store);
	tmpdir_remove(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_answers_give_the_walks_total_chapters_and_page),
		cmocka_unit_test(test_other_queries_walk_as_before),
		cmocka_unit_test(test_store_keeps_a_frequent_grams_clauses_and_best),
		cmocka_unit_test(test_damaged_kept_answers_are_reported_not_used),
		cmocka_unit_test(test_index_without_kept_answers_walks),
		cmocka_unit_test(test_kept_answers_of_another_index_are_refused),
		cmocka_unit_test(test_only_grams_past_the_threshold_are_kept),
		cmocka_unit_test(test_the_last_frequent_option_given_decides),
		cmocka_unit_test(test_a_frequent_top_past_the_clauses_keeps_them_all),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
