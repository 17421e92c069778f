/* test_safety.c: the index is never lost (kills, concurrency, full disks); --check, --add, --remove; bad indexes. */
#define _GNU_SOURCE /* unshare(2) and mount(2), to make a read-only or full file system */
#include "test.h"

#include "store.h"
#include "nobody.h"
#include "parse.h"
#include "format.h"
#include "search.h"
#include "tmpdir.h"
#include "xapwrap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *dir; /* this test's temporary directory */

typedef struct run {
	int status; /* exit status, or -1 if it did not exit normally */
	char *out;
	char *err;
} run_t;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);
	size_t n = f ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	if (len)
		*len = n;
	return buf;
}

/* What a child does between fork and exec. */
typedef void (*prepare_fn)(void);

/* Start argv with stdout and stderr going to files in dir (named by tag), stdin empty,
 * `env` (NAME=VALUE or NULL) added to the environment. Returns the child's pid. */
static pid_t start(const char *const *argv, const char *tag, const char *env, prepare_fn prep)
{
	char out_path[1200], err_path[1200];
	snprintf(out_path, sizeof out_path, "%s/%s.stdout", dir, tag);
	snprintf(err_path, sizeof err_path, "%s/%s.stderr", dir, tag);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		if (env != NULL)
			putenv((char *)env);
		if (prep != NULL)
			prep();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0) /* never let a failed fork turn kill(pid) into kill(-1) */
		abort();
	return pid;
}

static run_t finish(pid_t pid, const char *tag)
{
	char out_path[1200], err_path[1200];
	int wstatus = 0;
	snprintf(out_path, sizeof out_path, "%s/%s.stdout", dir, tag);
	snprintf(err_path, sizeof err_path, "%s/%s.stderr", dir, tag);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	run_t r = {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, slurp(out_path, NULL),
		   slurp(err_path, NULL)};
	return r;
}

static run_t run_with(const char *const *argv, const char *env, prepare_fn prep)
{
	return finish(start(argv, "run", env, prep), "run");
}

static run_t run(const char *const *argv)
{
	return run_with(argv, NULL, NULL);
}

static void run_free(run_t *r)
{
	free(r->out);
	free(r->err);
}

static void path_in(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

/* policy-index with the given arguments after the program's name. */
static run_t policy_index(const char *a, const char *b, const char *c, const char *d,
			  const char *e, const char *f)
{
	const char *argv[] = {test_env("POLICY_INDEX"), a, b, c, d, e, f, NULL};
	return run(argv);
}

static void build(const char *corpus, const char *db)
{
	run_t r = policy_index("--quiet", "--corpus", corpus, "--db", db, NULL);
	if (r.status != 0)
		fail_msg("policy-index --db %s failed (%d): %s", db, r.status, r.err);
	run_free(&r);
}

/* Search the open index for one literal term. Returns 0 and results, or -1. */
static int search_term(ps_store_t *index, const char *term, pq_results_t **out)
{
	pq_query_t *q = NULL;
	char *error = NULL;
	int rc = -1;
	if (pq_query_from_literals(&term, 1, &q, &error) == 0) {
		pq_request_t req = {.query = q};
		rc = pq_search(index, &req, out, &error) == 0 ? 0 : -1;
	}
	if (rc != 0)
		fprintf(stderr, "search for %s: %s\n", term, error);
	free(error);
	pq_query_free(q);
	return rc;
}

/* The number of passages the live index finds for 双减, read in this process. */
static long shuang_jian_hits(const char *db)
{
	ps_store_t *index = NULL;
	pq_results_t *r = NULL;
	char *error = NULL;
	long n = -1;
	if (ps_store_open(db, &index, &error) != PS_OK) {
		fprintf(stderr, "open %s: %s\n", db, error);
		free(error);
		return -1;
	}
	if (search_term(index, "双减", &r) == 0)
		n = (long)r->n_hits;
	pq_results_free(r);
	ps_store_close(index);
	return n;
}

/* Entries of db whose names start with prefix (and, if suffix is not NULL, end with it). */
static size_t count_entries(const char *db, const char *prefix, const char *suffix)
{
	DIR *d = opendir(db);
	struct dirent *e;
	size_t n = 0;
	while (d && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name), sl = suffix ? strlen(suffix) : 0;
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		     (suffix == NULL || (len >= sl && strcmp(e->d_name + len - sl, suffix) == 0));
	}
	if (d)
		closedir(d);
	return n;
}

static size_t generations(const char *db)
{
	return count_entries(db, PS_GENERATION_PREFIX, NULL);
}

static void copy_file(const char *from_dir, const char *to_dir, const char *name)
{
	char path[1200];
	size_t len;
	snprintf(path, sizeof path, "%s/%s", from_dir, name);
	char *text = slurp(path, &len);
	tmpdir_write(to_dir, name, text, len);
	free(text);
}

/* A copy of the bundled corpus at dir/name; returns its path in out. */
static void copy_corpus(const char *name, char *out, size_t size)
{
	const char *files[] = {"manifest.json", "dandong.txt", "fuxin.txt", "anshan.txt",
			       "dalian.txt", "tonghua.txt"};
	path_in(out, size, name);
	mkdir(out, 0755);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		copy_file(test_env("CORPUS_DIR"), out, files[i]);
}

/* Rewrite corpus/manifest.json without the plan city_id. */
static void manifest_drop(const char *corpus, const char *city_id)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/manifest.json", corpus);
	json_object *root = json_object_from_file(path), *plans, *kept = json_object_new_array();
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "plans", &plans));
	for (size_t i = 0; i < json_object_array_length(plans); i++) {
		json_object *p = json_object_array_get_idx(plans, i), *id;
		json_object_object_get_ex(p, "city_id", &id);
		if (strcmp(json_object_get_string(id), city_id) != 0)
			json_object_array_add(kept, json_object_get(p));
	}
	json_object_object_add(root, "plans", kept);
	assert_int_equal(json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY), 0);
	json_object_put(root);
}

/* Replace the first occurrence of `from` in corpus/file with `to` (same length). */
static void edit_file(const char *corpus, const char *file, const char *from, const char *to)
{
	char path[1200];
	size_t len;
	assert_int_equal(strlen(from), strlen(to));
	snprintf(path, sizeof path, "%s/%s", corpus, file);
	char *text = slurp(path, &len);
	char *at = strstr(text, from);
	assert_non_null(at);
	memcpy(at, to, strlen(to));
	tmpdir_write(corpus, file, text, len);
	free(text);
}

static int copy_entry(const char *from, const char *to)
{
	struct stat st;
	if (lstat(from, &st) != 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(from);
		struct dirent *e;
		int rc = mkdir(to, 0755);
		while (rc == 0 && d && (e = readdir(d)) != NULL) {
			char a[1400], b[1400];
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(a, sizeof a, "%s/%s", from, e->d_name);
			snprintf(b, sizeof b, "%s/%s", to, e->d_name);
			rc = copy_entry(a, b);
		}
		if (d)
			closedir(d);
		return rc;
	}
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[1 << 16];
	size_t n;
	int rc = in && out ? 0 : -1;
	while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
		rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* An index of the bundled corpus, built once for the whole suite; tests that need an index
 * to start from get a copy (a build is the slowest thing here, above all under ASan). */
static char *pristine_dir;
static char pristine[1100];

/* Copy the pristine index to db. */
static void fresh_index(const char *db)
{
	assert_int_equal(copy_entry(pristine, db), 0);
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&pristine_dir) != 0)
		return -1;
	snprintf(pristine, sizeof pristine, "%s/index", pristine_dir);
	const char *argv[] = {test_env("POLICY_INDEX"), "--quiet", "--corpus",
			      test_env("CORPUS_DIR"), "--db", pristine, NULL};
	dir = pristine_dir;
	run_t r = run(argv);
	int rc = r.status == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "policy-index failed: %s\n", r.err);
	run_free(&r);
	return rc;
}

static int group_teardown(void **state)
{
	(void)state;
	return tmpdir_teardown((void **)&pristine_dir);
}

static int setup(void **state)
{
	int rc = tmpdir_setup(state);
	dir = *state;
	return rc;
}

static int teardown(void **state)
{
	return tmpdir_teardown(state);
}

/* ---- killed builds ---- */

/* Stop policy-index at `stage` (install.h), kill it there, and check that the index gives
 * `expected` passages for 双减: the old index's, or the new one's once the stub switched. */
static void kill_at_stage(const char *db, const char *const *argv, const char *stage,
			  long expected)
{
	char env[100];
	snprintf(env, sizeof env, "POLICY_INDEX_TEST_STOP_AT=%s", stage);
	pid_t pid = start(argv, "killed", env, NULL);
	int wstatus = 0;
	assert_int_equal(waitpid(pid, &wstatus, WUNTRACED), pid);
	if (!WIFSTOPPED(wstatus))
		fail_msg("policy-index %s did not reach stage %s (status %d)", argv[1], stage,
			 wstatus);
	kill(pid, SIGKILL);
	run_t r = finish(pid, "killed");
	run_free(&r);
	long hits = shuang_jian_hits(db);
	if (hits != expected)
		fail_msg("after a kill at %s (%s), 双减 gives %ld passages, not %ld", stage, argv[1],
			 hits, expected);
}

static void test_a_build_killed_at_any_stage_leaves_the_old_index_and_the_next_cleans_up(
	void **state)
{
	(void)state;
	static const char *const stages[] = {"locked", "indexing", "written", "switched"};
	char db[1100];
	path_in(db, sizeof db, "index");
	const char *corpus = test_env("CORPUS_DIR");
	fresh_index(db);
	const char *rebuild[] = {test_env("POLICY_INDEX"), "--quiet", "--corpus", corpus,
				 "--db", db, NULL};
	const char *add[] = {test_env("POLICY_INDEX"), "--add", "dalian.txt", "--corpus",
			     corpus, "--db", db, NULL};
	const char *remove[] = {test_env("POLICY_INDEX"), "--remove", "tonghua", "--db", db,
				NULL};
	const char *const *commands[] = {rebuild, add, remove};
	for (size_t c = 0; c < 3; c++)
		for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++)
			/* Once switched, removing tonghua is done: its two passages are gone. */
			kill_at_stage(db, commands[c], stages[s],
				      commands[c] == remove && s == 3 ? 2 : 4);
	/* The kills left half-built generations behind (so the clean-up below is real). */
	assert_true(generations(db) > 1);
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--quiet", "--add", "tonghua.txt",
				       "--corpus", corpus, "--db", db, NULL});
	assert_int_equal(r.status, 0); /* an update after all those kills works */
	run_free(&r);
	assert_int_equal(shuang_jian_hits(db), 4);

	/* Kills at random moments of a real build, with a fixed seed. */
	srand(6);
	for (int i = 0; i < 6; i++) {
		pid_t pid = start(rebuild, "random", NULL, NULL);
		struct timespec delay = {0, (long)(rand() % 400) * 1000000L};
		nanosleep(&delay, NULL);
		kill(pid, SIGKILL);
		run_t killed = finish(pid, "random");
		run_free(&killed);
		assert_int_equal(shuang_jian_hits(db), 4);
	}

	build(corpus, db); /* succeeds, and deletes whatever the killed ones left */
	assert_int_equal(generations(db), 1);
	assert_int_equal(count_entries(db, PS_STUB_NAME ".", ".tmp"), 0);
	assert_int_equal(shuang_jian_hits(db), 4);
}

static void chdir_to_dir(void)
{
	if (chdir(dir) != 0)
		_exit(126);
}

/* A stub the builder cannot make sense of might still be someone's only way to the live
 * index: a build that then fails must not have deleted any generation. */
static void test_a_failed_build_deletes_nothing_when_the_stub_cannot_be_read(void **state)
{
	(void)state;
	char db[1100], generation[1200], corpus[1100];
	path_in(db, sizeof db, "index");
	mkdir(db, 0755);
	snprintf(generation, sizeof generation, "%s/generation-20260101T000000.1-1", db);
	mkdir(generation, 0755);
	tmpdir_write(db, PS_STUB_NAME, "garbled", 7);
	copy_corpus("corpus", corpus, sizeof corpus);
	tmpdir_write(corpus, "anshan.txt", "坏\xff\n", 5); /* the build fails after the lock */
	/* Relative paths, as people type them. */
	const char *argv[] = {test_env("POLICY_INDEX"), "--quiet", "--corpus", "corpus", "--db",
			      "index", NULL};
	run_t r = run_with(argv, NULL, chdir_to_dir);
	assert_int_equal(r.status, 5); /* invalid UTF-8 (policy-index --help) */
	run_free(&r);
	struct stat st;
	assert_int_equal(stat(generation, &st), 0);
}

/* ---- what others can plant in the index directory ---- */

/* The new stub was written to XAPIANDB.<pid>.tmp, opened without O_EXCL or O_NOFOLLOW:
 * whoever could write to the index directory could plant a link there and have the build
 * truncate and overwrite any file it can write. A link at that name, planted while the
 * build is stopped before the switch, must leave its target as it was. */
static void test_a_link_planted_at_a_predictable_temporary_stub_name_is_not_written(void **s)
{
	(void)s;
	char db[1100], victim[1100], planted[1300];
	path_in(db, sizeof db, "index");
	path_in(victim, sizeof victim, "victim.txt");
	fresh_index(db);
	tmpdir_write(dir, "victim.txt", "precious", 8);
	const char *argv[] = {test_env("POLICY_INDEX"), "--quiet", "--corpus",
			      test_env("CORPUS_DIR"), "--db", db, NULL};
	pid_t pid = start(argv, "planted", "POLICY_INDEX_TEST_STOP_AT=written", NULL);
	int wstatus = 0;
	assert_int_equal(waitpid(pid, &wstatus, WUNTRACED), pid);
	if (!WIFSTOPPED(wstatus)) {
		kill(pid, SIGKILL);
		fail_msg("policy-index did not reach the stage written (status %d)", wstatus);
	}
	/* every name the builder might pick from what others can know: its pid */
	snprintf(planted, sizeof planted, "%s/%s.%ld.tmp", db, PS_STUB_NAME, (long)pid);
	assert_int_equal(symlink(victim, planted), 0);
	kill(pid, SIGCONT);
	run_t r = finish(pid, "planted");
	if (r.status != 0)
		fail_msg("the build failed (%d): %s", r.status, r.err);
	run_free(&r);
	char *now = slurp(victim, NULL);
	assert_string_equal(now, "precious");
	free(now);
	char stub[1200];
	struct stat st;
	snprintf(stub, sizeof stub, "%s/%s", db, PS_STUB_NAME);
	assert_int_equal(lstat(stub, &st), 0);
	assert_true(S_ISREG(st.st_mode)); /* the stub is the builder's own file, not the link */
	assert_int_equal(shuang_jian_hits(db), 4);
}

/* A lock file that is a link must not be followed: it used to create a file at its target. */
static void test_a_lock_file_that_is_a_link_is_refused_and_creates_nothing(void **state)
{
	(void)state;
	char db[1100], target[1100], lock[1300];
	path_in(db, sizeof db, "index");
	path_in(target, sizeof target, "created-through-the-lock");
	fresh_index(db);
	snprintf(lock, sizeof lock, "%s/%s.lock", db, PS_STUB_NAME);
	unlink(lock);
	assert_int_equal(symlink(target, lock), 0);
	const char *argv[] = {test_env("POLICY_INDEX"), "--quiet", "--corpus",
			      test_env("CORPUS_DIR"), "--db", db, NULL};
	run_t r = run(argv);
	if (r.status != 1 || strstr(r.err, "XAPIANDB.lock is a symbolic link") == NULL)
		fail_msg("exit %d, stderr: %s", r.status, r.err);
	run_free(&r);
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(shuang_jian_hits(db), 4);
	assert_int_equal(generations(db), 1);
}

/* ---- queries during rebuilds ---- */

static void test_queries_during_rebuilds_all_see_the_four_passages(void **state)
{
	(void)state;
	char db[1100];
	path_in(db, sizeof db, "index");
	const char *corpus = test_env("CORPUS_DIR");
	fresh_index(db);

	/* An index opened before two rebuilds: its generation must outlive them (keeping only
	 * the generation just replaced would not be enough). */
	ps_store_t *early = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(db, &early, &error), PS_OK);

	pid_t builder = fork();
	if (builder == 0) {
		for (int i = 0; i < 2; i++) {
			run_t r = policy_index("--quiet", "--corpus", corpus, "--db", db, NULL);
			if (r.status != 0)
				_exit(1);
			run_free(&r);
		}
		_exit(0);
	}
	const char *query[] = {test_env("POLICY_QUERY"), "--db", db, "双减", NULL};
	int queries = 0, wstatus = 0;
	for (;;) {
		pid_t done = waitpid(builder, &wstatus, WNOHANG);
		run_t r = finish(start(query, "query", NULL, NULL), "query");
		if (r.status != 0 || strstr(r.out, "4 passages: 丹东市 1 · 鞍山市 1 · 通化市 2") == NULL)
			fail_msg("query %d during the rebuilds: exit %d\n%s%s", queries, r.status,
				 r.out, r.err);
		run_free(&r);
		queries++;
		if (done == builder)
			break;
	}
	assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	assert_true(queries >= 2);

	pq_results_t *res = NULL;
	assert_int_equal(search_term(early, "双减", &res), 0);
	assert_int_equal(res->n_hits, 4);
	pq_results_free(res);
	assert_true(generations(db) >= 2); /* the early reader's generation is still there */
	ps_store_close(early);
	build(corpus, db); /* now nobody holds it: it goes */
	assert_int_equal(generations(db), 1);
}

/* ---- incremental updates ---- */

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids and scores a query gives, sorted by id, as "id score" lines. */
static char *results_of(const char *db, const char *term)
{
	ps_store_t *index = NULL;
	pq_results_t *r = NULL;
	char *error = NULL;
	if (ps_store_open(db, &index, &error) != PS_OK || search_term(index, term, &r) != 0)
		fail_msg("%s: %s", db, error ? error : "the search failed");
	char **lines = calloc(r->n_hits + 1, sizeof *lines);
	size_t total = 1;
	for (size_t i = 0; i < r->n_hits; i++) {
		char line[400];
		/* Scores agree to many digits, not to the last bit: the two indexes sum the
		 * same statistics in different orders. */
		snprintf(line, sizeof line, "%s %.9g\n", r->hits[i].id, r->hits[i].score);
		lines[i] = strdup(line);
		total += strlen(line);
	}
	qsort(lines, r->n_hits, sizeof *lines, cmp_lines);
	char *all = calloc(1, total);
	for (size_t i = 0; i < r->n_hits; i++) {
		strcat(all, lines[i]);
		free(lines[i]);
	}
	free(lines);
	pq_results_free(r);
	ps_store_close(index);
	return all;
}

static bool same_string(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

/* Assert two indexes hold the same plans (catalogue, bytes, outlines, normal forms, clause
 * records) and give the same passages and scores for a set of queries. */
static void assert_same_index(const char *a, const char *b)
{
	static const char *const queries[] = {"双减", "教育", "的", "课后服务", "产教融合",
					      "学校", "2025", "（一）"};
	ps_store_t *sa = NULL, *sb = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(a, &sa, &error), PS_OK);
	assert_int_equal(ps_store_open(b, &sb, &error), PS_OK);
	assert_int_equal(ps_store_n_docs(sa), ps_store_n_docs(sb));
	assert_int_equal(ps_store_n_facets(sa), ps_store_n_facets(sb));
	size_t na, nb;
	const ps_plan_t *pa = ps_store_plans(sa, &na), *pb = ps_store_plans(sb, &nb);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		const ps_plan_t *x = &pa[i], *y = &pb[i];
		if (!same_string(x->city_id, y->city_id) || !same_string(x->city, y->city) ||
		    !same_string(x->province, y->province) || !same_string(x->title, y->title) ||
		    !same_string(x->date, y->date) || !same_string(x->file, y->file) ||
		    x->title_supplied != y->title_supplied || x->gb18030 != y->gb18030 ||
		    x->city_shared != y->city_shared || x->title_shared != y->title_shared ||
		    x->passages != y->passages || x->bytes != y->bytes ||
		    strcmp(x->sha256, y->sha256) != 0 || x->body_start != y->body_start ||
		    x->body_end != y->body_end || x->characters != y->characters ||
		    x->first_docid != y->first_docid)
			fail_msg("plan %zu (%s, %s) differs", i, x->city_id, y->city_id);
		const char *ta, *tb;
		size_t la, lb;
		assert_int_equal(ps_store_plan_source(sa, x, &ta, &la, &error), 0);
		assert_int_equal(ps_store_plan_source(sb, y, &tb, &lb, &error), 0);
		assert_int_equal(la, lb);
		assert_memory_equal(ta, tb, la);
		assert_int_equal(ps_store_plan_norm(sa, x, &ta, &la, &error), 0);
		assert_int_equal(ps_store_plan_norm(sb, y, &tb, &lb, &error), 0);
		assert_int_equal(la, lb);
		assert_memory_equal(ta, tb, la);
		const ps_outline_t *oa, *ob;
		assert_int_equal(ps_store_plan_outline(sa, x, &oa, &error), 0);
		assert_int_equal(ps_store_plan_outline(sb, y, &ob, &error), 0);
		assert_int_equal(oa->n_sections, ob->n_sections);
		assert_int_equal(oa->n_paragraphs, ob->n_paragraphs);
		assert_int_equal(oa->n_clauses, ob->n_clauses);
		for (size_t k = 0; k < oa->n_sections; k++)
			assert_string_equal(oa->sections[k].path, ob->sections[k].path);
		assert_memory_equal(oa->paragraphs, ob->paragraphs,
				    oa->n_paragraphs * sizeof *oa->paragraphs);
		assert_memory_equal(oa->clauses, ob->clauses, oa->n_clauses * sizeof *oa->clauses);
	}
	for (unsigned d = 1; d <= ps_store_n_docs(sa); d++) {
		ps_doc_t x, y;
		assert_true(ps_store_doc(sa, d, &x));
		assert_true(ps_store_doc(sb, d, &y));
		assert_int_equal(x.plan - pa, y.plan - pb);
		assert_int_equal(x.clause, y.clause);
		assert_int_equal(x.section, y.section);
		assert_int_equal(x.paragraph, y.paragraph);
		assert_int_equal(x.facet, y.facet);
		assert_int_equal(x.norm_len, y.norm_len);
		assert_memory_equal(x.norm, y.norm, x.norm_len);
	}
	ps_store_close(sa);
	ps_store_close(sb);
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		char *ra = results_of(a, queries[q]), *rb = results_of(b, queries[q]);
		if (strcmp(ra, rb) != 0)
			fail_msg("%s gives different passages or scores", queries[q]);
		assert_true(strlen(ra) > 0 || strcmp(queries[q], "双减") != 0);
		free(ra);
		free(rb);
	}
}

static void test_add_and_remove_give_the_index_a_full_rebuild_gives(void **state)
{
	(void)state;
	char corpus[1100], inc[1100], full[1100];
	copy_corpus("corpus", corpus, sizeof corpus);
	path_in(inc, sizeof inc, "incremental");
	path_in(full, sizeof full, "full");
	fresh_index(inc);

	/* Remove a plan: the same as building without it. */
	run_t r = policy_index("--remove", "fuxin", "--db", inc, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "removed 293 passages of fuxin");
	run_free(&r);
	char without[1100];
	copy_corpus("corpus-without-fuxin", without, sizeof without);
	manifest_drop(without, "fuxin");
	build(without, full);
	assert_same_index(inc, full);

	/* Add it back: the same as a full build of the whole corpus. */
	r = policy_index("--add", "fuxin.txt", "--corpus", corpus, "--db", inc);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "indexed 293 passages of fuxin (replacing 0)");
	run_free(&r);
	assert_same_index(inc, pristine);

	/* Re-index a changed plan (by its path this time). */
	edit_file(corpus, "tonghua.txt", "持续开展“双减”", "持续开展“双增”");
	char path[1200];
	snprintf(path, sizeof path, "%s/tonghua.txt", corpus);
	r = policy_index("--add", path, "--corpus", corpus, "--db", inc);
	assert_int_equal(r.status, 0);
	run_free(&r);
	build(corpus, full);
	assert_same_index(inc, full);
	assert_int_equal(shuang_jian_hits(inc), 3);
	assert_int_equal(generations(inc), 1);
}

/* The clause database is written in shards that the build compacts into one (writer.c):
 * shards of 300 clauses give the index one shard gives, document ids and all. */
static void test_a_build_written_in_many_shards_is_the_index_one_shard_gives(void **state)
{
	(void)state;
	char sharded[1100];
	path_in(sharded, sizeof sharded, "sharded");
	setenv("POLICY_INDEX_TEST_SHARD_DOCS", "300", 1);
	run_t r = policy_index("--quiet", "--corpus", test_env("CORPUS_DIR"), "--db", sharded, NULL);
	unsetenv("POLICY_INDEX_TEST_SHARD_DOCS");
	assert_int_equal(r.status, 0);
	run_free(&r);
	assert_same_index(sharded, pristine);
}

static void test_add_and_remove_refuse_what_they_cannot_do_and_keep_the_index(void **state)
{
	(void)state;
	char corpus[1100], db[1100], missing[1100];
	copy_corpus("corpus", corpus, sizeof corpus);
	path_in(db, sizeof db, "index");
	path_in(missing, sizeof missing, "no-index");
	fresh_index(db);
	tmpdir_write(corpus, "stray.txt", "一、总则\n", 10);
	tmpdir_write(corpus, "dalian.txt", "坏\xff\n", 5); /* listed, but not UTF-8 */
	static const struct {
		const char *args[6];
		const char *message;
	} cases[] = {
		{{"--add", "stray.txt", "--corpus", NULL, "--db", NULL}, "is not listed in"},
		{{"--add", "dalian.txt", "--corpus", NULL, "--db", NULL}, "dalian.txt"},
		{{"--remove", "beijing", "--db", NULL}, "has no plan 'beijing'; it has: dandong"},
		{{"--remove", "fuxin", "--db", "MISSING"}, "no index at"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *a[6];
		for (size_t k = 0; k < 6; k++) {
			a[k] = cases[i].args[k];
			if (k == 3 && a[k] == NULL && strcmp(a[0], "--add") == 0)
				a[k] = corpus;
			if (k == 3 && a[k] == NULL && strcmp(a[0], "--remove") == 0)
				a[k] = db;
			if (k == 5 && a[k] == NULL && strcmp(a[0], "--add") == 0)
				a[k] = db;
			if (a[k] != NULL && strcmp(a[k], "MISSING") == 0)
				a[k] = missing;
		}
		run_t r = policy_index(a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r.status != 1 || strstr(r.err, cases[i].message) == NULL)
			fail_msg("case %zu: exit %d, stderr: %s", i, r.status, r.err);
		run_free(&r);
		assert_int_equal(shuang_jian_hits(db), 4);
		assert_int_equal(generations(db), 1);
	}
	struct stat st;
	assert_int_not_equal(stat(missing, &st), 0); /* --remove created nothing */
}

/* ---- --check ---- */

static void test_check_says_current_changed_missing_and_extra_plans(void **state)
{
	(void)state;
	char corpus[1100], db[1100], path[1200];
	copy_corpus("corpus", corpus, sizeof corpus);
	path_in(db, sizeof db, "index");
	fresh_index(db);

	run_t r = policy_index("--check", "--corpus", corpus, "--db", db, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "dalian.txt (dalian): current, 490 passages");
	assert_contains(r.out, "current: the index at");
	run_free(&r);

	edit_file(corpus, "dalian.txt", "教育", "教学");      /* same size, other bytes */
	snprintf(path, sizeof path, "%s/fuxin.txt", corpus); /* a plan file gone */
	unlink(path);
	r = policy_index("--check", "--corpus", corpus, "--db", db, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out, "dalian.txt (dalian): changed since it was indexed");
	assert_contains(r.out, "--add dalian.txt");
	assert_contains(r.out, "fuxin.txt (fuxin): cannot be indexed as it is now");
	assert_contains(r.out, "anshan.txt (anshan): current");
	assert_contains(r.out, "stale: 2 of 5 plans");
	run_free(&r);

	manifest_drop(corpus, "fuxin"); /* the index now has a plan the manifest lacks */
	r = policy_index("--check", "--corpus", corpus, "--db", db, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out, "fuxin.txt (fuxin): in the index, not in the manifest");
	assert_contains(r.out, "--remove fuxin");
	run_free(&r);

	/* Doing what it says makes the index current again. */
	r = policy_index("--add", "dalian.txt", "--corpus", corpus, "--db", db);
	assert_int_equal(r.status, 0);
	run_free(&r);
	r = policy_index("--remove", "fuxin", "--db", db, NULL, NULL);
	assert_int_equal(r.status, 0);
	run_free(&r);
	r = policy_index("--check", "--corpus", corpus, "--db", db, NULL);
	assert_int_equal(r.status, 0);
	run_free(&r);

	/* A plan listed but never indexed. */
	copy_corpus("corpus-full", path, sizeof path);
	r = policy_index("--check", "--corpus", path, "--db", db, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out, "fuxin.txt (fuxin): not in the index; update it with:");
	run_free(&r);

	char missing[1100];
	path_in(missing, sizeof missing, "nothing-here");
	r = policy_index("--check", "--corpus", corpus, "--db", missing, NULL);
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "no index at");
	run_free(&r);
}

/* ---- bad indexes on the query side ---- */

static char live_generation_path[1200];

/* The live generation's directory of db, in live_generation_path. */
static const char *live_generation(const char *db)
{
	char stub[1200];
	snprintf(stub, sizeof stub, "%s/%s", db, PS_STUB_NAME);
	char *text = slurp(stub, NULL);
	text[strcspn(text, "\n")] = '\0';
	assert_true(strncmp(text, "glass ", 6) == 0);
	snprintf(live_generation_path, sizeof live_generation_path, "%s/%s", db, text + 6);
	free(text);
	return live_generation_path;
}

/* Make the live generation's database one that says it has schema `version` (a generation
 * is written once, without term lists, so it is replaced rather than changed). */
static void set_schema(const char *db, const char *version)
{
	xw_writer_t *w = NULL;
	tmpdir_remove(live_generation(db));
	assert_int_equal(xw_writer_create_lean(live_generation(db), 0, &w, NULL), PS_OK);
	assert_int_equal(xw_writer_set_metadata(w, PS_META_SCHEMA, version, strlen(version)),
			 PS_OK);
	assert_int_equal(xw_writer_commit(w), PS_OK);
	xw_writer_destroy(w);
}

static void make_foreign_database(const char *path)
{
	xw_writer_t *w = NULL;
	xw_doc_t *doc = NULL;
	assert_int_equal(xw_writer_create_lean(path, 0, &w, NULL), PS_OK);
	assert_int_equal(xw_doc_create(&doc), PS_OK);
	assert_int_equal(xw_doc_add_term(doc, "hello", 5, 1), PS_OK);
	assert_int_equal(xw_writer_add_document(w, doc), PS_OK);
	assert_int_equal(xw_writer_commit(w), PS_OK);
	xw_doc_destroy(doc);
	xw_writer_destroy(w);
}

static void test_each_bad_index_has_its_own_message_and_exit_2(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		ps_status_t status;
		const char *message;
		bool rebuild_here; /* the fix is a build into the same directory (tried) */
	} cases[] = {
		{"missing", PS_ERR_NO_INDEX, "no index at", true},
		{"empty", PS_ERR_INDEX_EMPTY, "is empty: there is no index there yet", true},
		{"leftovers", PS_ERR_INDEX_EMPTY, "only what an unfinished build left", false},
		{"no-plans", PS_ERR_INDEX_EMPTY, "holds no plans", false},
		{"xapian-no-stub", PS_ERR_FOREIGN, "is a Xapian database but not a policy-search "
						    "index", false},
		{"stub-elsewhere", PS_ERR_FOREIGN, "not one of our generations", false},
		{"stub-foreign-db", PS_ERR_FOREIGN, "has no schema version", false},
		{"other-files", PS_ERR_FOREIGN, "holds other files", false},
		{"stub-dangling", PS_ERR_CORRUPT, "which is missing", false},
		{"truncated", PS_ERR_CORRUPT, "is damaged or unreadable", true},
		{"bad-version-file", PS_ERR_CORRUPT, "is damaged or unreadable", false},
		{"old-schema", PS_ERR_SCHEMA, "built by an older version of policy-search (index "
					       "schema 1; this one reads schema " PS_SCHEMA_VERSION_TEXT,
		 false},
		{"new-schema", PS_ERR_SCHEMA, "built by a newer version", false},
	};
	const char *corpus = test_env("CORPUS_DIR");
	char db[1100], path[1300];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *name = cases[i].name;
		path_in(db, sizeof db, name);
		if (strcmp(name, "no-plans") == 0 || strcmp(name, "truncated") == 0 ||
		    strcmp(name, "bad-version-file") == 0 || strstr(name, "-schema") != NULL)
			fresh_index(db);
		else if (strcmp(name, "missing") != 0 && strcmp(name, "xapian-no-stub") != 0)
			mkdir(db, 0755);
		if (strcmp(name, "leftovers") == 0) {
			snprintf(path, sizeof path, "%s/generation-20260101T000000.1-1", db);
			mkdir(path, 0755);
			tmpdir_write(db, "XAPIANDB.lock", "", 0);
		} else if (strcmp(name, "no-plans") == 0) {
			static const char *const ids[] = {"dandong", "fuxin", "anshan", "dalian",
							  "tonghua"};
			for (size_t k = 0; k < 5; k++) {
				run_t r = policy_index("--remove", ids[k], "--db", db, NULL, NULL);
				assert_int_equal(r.status, 0);
				run_free(&r);
			}
		} else if (strcmp(name, "xapian-no-stub") == 0) {
			make_foreign_database(db);
		} else if (strcmp(name, "stub-elsewhere") == 0) {
			snprintf(path, sizeof path, "glass %s/other\n", dir);
			tmpdir_write(db, PS_STUB_NAME, path, strlen(path));
		} else if (strcmp(name, "stub-foreign-db") == 0) {
			snprintf(path, sizeof path, "%s/generation-theirs", db);
			make_foreign_database(path);
			tmpdir_write(db, PS_STUB_NAME, "glass generation-theirs\n", 24);
		} else if (strcmp(name, "other-files") == 0) {
			tmpdir_write(db, "notes.txt", "mine", 4);
		} else if (strcmp(name, "stub-dangling") == 0) {
			tmpdir_write(db, PS_STUB_NAME, "glass generation-gone\n", 22);
		} else if (strcmp(name, "truncated") == 0) {
			snprintf(path, sizeof path, "%s/postlist.glass", live_generation(db));
			assert_int_equal(truncate(path, 0), 0);
		} else if (strcmp(name, "bad-version-file") == 0) {
			snprintf(path, sizeof path, "%s/iamglass", live_generation(db));
			assert_int_equal(truncate(path, 3), 0);
		} else if (strcmp(name, "old-schema") == 0) {
			set_schema(db, "1");
		} else if (strcmp(name, "new-schema") == 0) {
			set_schema(db, "99");
		}

		ps_store_t *index = NULL;
		char *error = NULL;
		ps_status_t st = ps_store_open(db, &index, &error);
		if (st != cases[i].status)
			fail_msg("%s: status %d, expected %d (%s)", name, st, cases[i].status, error);
		assert_null(index);
		free(error);

		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "双减", NULL});
		if (r.status != 2 || strstr(r.err, cases[i].message) == NULL ||
		    strstr(r.err, "policy-index --corpus corpus --db") == NULL)
			fail_msg("%s: exit %d, stderr: %s", name, r.status, r.err);
		assert_string_equal(r.out, "");
		run_free(&r);

		/* The fix the message names works (tried on a few: each is a whole build), and
		 * what is plainly not ours is never overwritten. */
		if (cases[i].rebuild_here) {
			r = policy_index("--quiet", "--corpus", corpus, "--db", db, NULL);
			if (r.status != 0)
				fail_msg("%s: the rebuild failed: %s", name, r.err);
			run_free(&r);
			assert_int_equal(shuang_jian_hits(db), 4);
		} else if (strcmp(name, "xapian-no-stub") == 0 || strcmp(name, "other-files") == 0) {
			r = policy_index("--quiet", "--corpus", corpus, "--db", db, NULL);
			assert_int_equal(r.status, 1);
			run_free(&r);
		}
	}
}

/* freq counts most short terms as it writes their rows (freq.h, pq_freq_row): damaged
 * n-gram counts found then still fail the command with the index named as damaged, in every
 * format, and a file given with -o is not left half written. */
static void test_freq_over_damaged_counts_fails_naming_them_and_writes_no_file(void **state)
{
	(void)state;
	char db[1100], counts[1300], out[1300];
	path_in(db, sizeof db, "damaged-counts");
	fresh_index(db);
	snprintf(counts, sizeof counts, "%s/../%s", live_generation(db), PS_COUNTS_FILE);
	/* postings that never end: every byte a varint's continuation */
	int fd = open(counts, O_RDWR);
	ps_counts_head_t head;
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &head, sizeof head, sizeof(ps_file_head_t)), sizeof head);
	assert_true(head.postings_len > 0 && head.postings_len < 1 << 30);
	char *ff = malloc(head.postings_len);
	assert_non_null(ff);
	memset(ff, 0xFF, head.postings_len);
	assert_int_equal(pwrite(fd, ff, head.postings_len,
				sizeof(ps_file_head_t) + sizeof(ps_counts_head_t)),
			 (ssize_t)head.postings_len);
	free(ff);
	close(fd);
	static const char *const formats[][2] = {{"--format", "csv"}, {"--format", "tsv"},
						 {"--format", "json"}, {"--wide", "--excel"}};
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		snprintf(out, sizeof out, "%s/freq-%zu.out", dir, i);
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "freq", "--db", db, "-o",
					       out, formats[i][0], formats[i][1], "双减", "教育",
					       NULL});
		if (r.status != 1 || strstr(r.err, "damaged") == NULL)
			fail_msg("%s %s: exit %d, stderr: %s", formats[i][0], formats[i][1],
				 r.status, r.err);
		assert_int_equal(access(out, F_OK), -1);
		run_free(&r);
	}
}

/* An index, or an index directory, that this user may not read is reported as such
 * ("Permission denied"), not as "not a policy-search index" or "damaged": by a query, a
 * build, --check and --add. Run as nobody when the tests run as root. */
static void test_an_index_we_may_not_read_is_reported_as_permission_denied(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		mode_t dir_mode, stub_mode, generation_mode; /* 0: leave as built */
		size_t tries; /* of a build, --check and --add, how many are tried */
	} cases[] = {
		{"closed", 01000, 0, 0, 3}, /* 01000: mode 0, set below */
		{"search-only", 0111, 0, 0, 1}, /* we may enter it (and see no stub), not list it */
		{"stub-unreadable", 0, 01000, 0, 0},
		{"generation-unreadable", 0, 0, 01000, 0},
	};
	assert_int_equal(chmod(dir, 0755), 0); /* nobody may reach the indexes */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char db[1100], path[1300];
		path_in(db, sizeof db, cases[i].name);
		if (strcmp(cases[i].name, "search-only") == 0)
			mkdir(db, 0755); /* no stub: what is in it cannot be told */
		else
			fresh_index(db);
		if (cases[i].stub_mode) {
			snprintf(path, sizeof path, "%s/%s", db, PS_STUB_NAME);
			assert_int_equal(chmod(path, cases[i].stub_mode & 0777), 0);
		}
		if (cases[i].generation_mode)
			assert_int_equal(chmod(live_generation(db), cases[i].generation_mode & 0777), 0);
		if (cases[i].dir_mode)
			assert_int_equal(chmod(db, cases[i].dir_mode & 0777), 0);

		run_t r = run_with((const char *[]){test_env("POLICY_QUERY"), "--db", db, "双减",
						    NULL},
				   NULL, run_as_nobody);
		if (r.status != 2 || strstr(r.err, "Permission denied") == NULL ||
		    strstr(r.err, "not a policy-search index") != NULL ||
		    strstr(r.err, "damaged") != NULL)
			fail_msg("%s: exit %d, stderr: %s", cases[i].name, r.status, r.err);
		run_free(&r);
		const char *const tries[][9] = {
			{test_env("POLICY_INDEX"), "--quiet", "--corpus", test_env("CORPUS_DIR"),
			 "--db", db, NULL},
			{test_env("POLICY_INDEX"), "--check", "--corpus", test_env("CORPUS_DIR"),
			 "--db", db, NULL},
			{test_env("POLICY_INDEX"), "--add", "dalian.txt", "--corpus",
			 test_env("CORPUS_DIR"), "--db", db, NULL},
		};
		for (size_t k = 0; k < cases[i].tries; k++) {
			r = run_with(tries[k], NULL, run_as_nobody);
			if (r.status == 0 || strstr(r.err, "Permission denied") == NULL ||
			    strstr(r.err, "not a policy-search index") != NULL ||
			    strstr(r.err, "no index at") != NULL)
				fail_msg("%s: %s: exit %d, stderr: %s", cases[i].name, tries[k][1],
					 r.status, r.err);
			run_free(&r);
		}
		chmod(db, 0755); /* for the teardown */
	}
}

/* ---- read-only and full file systems ---- */

static char mount_dir[1100];

/* In a new mount namespace (a child's own), remount mount_dir read-only. */
static void make_read_only(void)
{
	if (getuid() != 0) {
		chmod(mount_dir, 0555); /* enough where permissions apply */
		return;
	}
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount(mount_dir, mount_dir, NULL, MS_BIND, NULL) != 0 ||
	    mount(NULL, mount_dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
		_exit(77);
}

static void test_a_read_only_index_directory_is_reported_and_the_index_kept(void **state)
{
	(void)state;
	char db[1100];
	path_in(db, sizeof db, "index");
	fresh_index(db);
	snprintf(mount_dir, sizeof mount_dir, "%s", db);
	const char *argv[] = {test_env("POLICY_INDEX"), "--quiet", "--corpus",
			      test_env("CORPUS_DIR"), "--db", db, NULL};
	run_t r = run_with(argv, NULL, make_read_only);
	chmod(db, 0755);
	if (r.status == 77) {
		run_free(&r);
		skip(); /* neither a mount namespace nor permissions can make it read-only */
	}
	if (r.status != 1 || strstr(r.err, "is not writable") == NULL)
		fail_msg("exit %d, stderr: %s", r.status, r.err);
	run_free(&r);
	assert_int_equal(shuang_jian_hits(db), 4);
	assert_int_equal(generations(db), 1);
}

static void limit_file_size(void)
{
	struct rlimit lim = {256 * 1024, 256 * 1024};
	signal(SIGXFSZ, SIG_IGN); /* so writes fail with EFBIG instead of killing */
	setrlimit(RLIMIT_FSIZE, &lim);
}

static void test_a_build_that_cannot_write_its_files_keeps_the_old_index(void **state)
{
	(void)state;
	char db[1100];
	path_in(db, sizeof db, "index");
	fresh_index(db);
	const char *argv[] = {test_env("POLICY_INDEX"), "--quiet", "--corpus",
			      test_env("CORPUS_DIR"), "--db", db, NULL};
	run_t r = run_with(argv, NULL, limit_file_size);
	if (r.status != 1 || strstr(r.err, "File too large") == NULL)
		fail_msg("exit %d, stderr: %s", r.status, r.err);
	run_free(&r);
	assert_int_equal(generations(db), 1); /* the half-written one is gone */
	assert_int_equal(shuang_jian_hits(db), 4);
}

/* In a child with its own mount namespace: an index on a tmpfs, then a file that leaves
 * the tmpfs nearly full (so that the test does not hang on how much a build needs), a
 * rebuild that runs out of space, and the old index must still answer. Exits 0, 77
 * (cannot mount) or 1. */
static int full_disk_child(void)
{
	char db[1200], filler[1300];
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mkdir(mount_dir, 0755) != 0 ||
	    mount("tmpfs", mount_dir, "tmpfs", 0, "size=64m") != 0)
		return 77;
	snprintf(db, sizeof db, "%s/index", mount_dir);
	run_t r = policy_index("--quiet", "--corpus", test_env("CORPUS_DIR"), "--db", db, NULL);
	if (r.status != 0) {
		fprintf(stderr, "the first build does not fit: %s\n", r.err);
		return 1;
	}
	run_free(&r);
	struct statvfs vfs;
	snprintf(filler, sizeof filler, "%s/filler", mount_dir);
	int fd = open(filler, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || statvfs(mount_dir, &vfs) != 0) {
		fprintf(stderr, "cannot fill the tmpfs: %s\n", strerror(errno));
		return 1;
	}
	/* leave 512 KiB: less than a build of the bundled plans writes (a few MB) */
	size_t left = (size_t)vfs.f_bavail * vfs.f_frsize, keep = 512u << 10;
	static char block[1 << 16];
	for (size_t done = 0; left > keep && done < left - keep;) {
		size_t n = left - keep - done < sizeof block ? left - keep - done : sizeof block;
		ssize_t w = write(fd, block, n);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	r = policy_index("--quiet", "--corpus", test_env("CORPUS_DIR"), "--db", db, NULL);
	if (r.status != 1 || strstr(r.err, "No space left on device") == NULL) {
		fprintf(stderr, "the second build: exit %d, %s\n", r.status, r.err);
		return 1;
	}
	run_free(&r);
	if (generations(db) != 1 || shuang_jian_hits(db) != 4) {
		fprintf(stderr, "the old index is not intact\n");
		return 1;
	}
	r = run((const char *[]){test_env("POLICY_QUERY"), "--db", db, "双减", NULL});
	int ok = r.status == 0 && strstr(r.out, "4 passages") != NULL;
	run_free(&r);
	return ok ? 0 : 1;
}

static void test_a_full_disk_is_reported_and_the_old_index_kept(void **state)
{
	(void)state;
	path_in(mount_dir, sizeof mount_dir, "small-disk");
	pid_t pid = fork();
	if (pid == 0)
		_exit(full_disk_child());
	int wstatus = 0;
	waitpid(pid, &wstatus, 0);
	assert_true(WIFEXITED(wstatus));
	if (WEXITSTATUS(wstatus) == 77)
		skip(); /* no mount namespace here; the file-size limit test above still runs */
	assert_int_equal(WEXITSTATUS(wstatus), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_a_build_killed_at_any_stage_leaves_the_old_index_and_the_next_cleans_up,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_failed_build_deletes_nothing_when_the_stub_cannot_be_read, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a_link_planted_at_a_predictable_temporary_stub_name_is_not_written,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_lock_file_that_is_a_link_is_refused_and_creates_nothing, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_queries_during_rebuilds_all_see_the_four_passages, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_add_and_remove_give_the_index_a_full_rebuild_gives, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_build_written_in_many_shards_is_the_index_one_shard_gives, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_add_and_remove_refuse_what_they_cannot_do_and_keep_the_index, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_check_says_current_changed_missing_and_extra_plans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_bad_index_has_its_own_message_and_exit_2,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_freq_over_damaged_counts_fails_naming_them_and_writes_no_file, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_an_index_we_may_not_read_is_reported_as_permission_denied, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a_read_only_index_directory_is_reported_and_the_index_kept, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a_build_that_cannot_write_its_files_keeps_the_old_index, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_a_full_disk_is_reported_and_the_old_index_kept,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
