/* test_shards.c: the bundled plans split over two xapian-tcpsrv shards answer as the one local index does. */
#include "test.h"

#include "counts.h"
#include "facets.h"
#include "run.h"
#include "store.h"
#include "tmpdir.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>

/* Every fixture lives in one temporary directory:
 *   whole/        the five plans, as quickstart builds them
 *   a/, b/        shards of the same corpus: dandong,fuxin,anshan and dalian,tonghua,
 *                 built with --only alone (which implies --shard)
 *   remote.stub   the two shards as two xapian-tcpsrv processes on loopback ports
 *   local.stub    the same shards as directories */
static char *dir;
static char whole[1024], remote_stub[1024], local_stub[1024];

typedef struct server {
	pid_t pid; /* 0 when stopped */
	int port;
	char db[1024];
} server_t;

static server_t servers[2];

static run_t run(const char *const *argv)
{
	return run_program(dir, argv);
}

/* A loopback port nothing listens on now. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static bool accepts(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Start xapian-tcpsrv on the server's port, in a process group of its own: it signals its
 * whole group when it stops, which must not reach this test. 0 once it accepts. */
static int server_start(server_t *s)
{
	char port[16];
	snprintf(port, sizeof port, "%d", s->port);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* a test that dies takes its servers along */
		int null = open("/dev/null", O_RDWR);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execl(test_env("XAPIAN_TCPSRV"), "xapian-tcpsrv", "--interface", "127.0.0.1",
		      "--port", port, "--quiet", s->db, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	s->pid = pid;
	for (int i = 0; i < 200; i++) { /* up to 10 s on a busy machine */
		if (accepts(s->port))
			return 0;
		struct timespec t = {0, 50 * 1000 * 1000};
		nanosleep(&t, NULL);
	}
	return -1;
}

static void server_stop(server_t *s)
{
	if (s->pid <= 0)
		return;
	kill(-s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
	/* its children serving connections die with the group; wait until none accepts */
	for (int i = 0; i < 100 && accepts(s->port); i++) {
		struct timespec t = {0, 20 * 1000 * 1000};
		nanosleep(&t, NULL);
	}
}

/* remote.stub naming the two servers' ports as they are now. */
static void write_remote_stub(void)
{
	char text[256];
	int n = snprintf(text, sizeof text, "# the bundled plans in two shards\n"
			 "remote 127.0.0.1:%d\nremote 127.0.0.1:%d\n", servers[0].port,
			 servers[1].port);
	tmpdir_write(dir, "remote.stub", text, (size_t)n);
}

/* Start a stopped server again, on a fresh port (the old one may linger in TIME_WAIT and
 * xapian-tcpsrv does not reuse it), and name it in remote.stub. */
static int server_restart(server_t *s)
{
	s->port = free_port();
	if (s->port < 0 || server_start(s) != 0)
		return -1;
	write_remote_stub();
	return 0;
}

static int build(const char *name, const char *only, bool shard)
{
	char db[1100];
	snprintf(db, sizeof db, "%s/%s", dir, name);
	const char *argv[10] = {test_env("POLICY_INDEX"), "--corpus", test_env("CORPUS_DIR"),
				"--db", db, "--quiet"};
	size_t n = 6;
	if (only != NULL) {
		argv[n++] = "--only";
		argv[n++] = only;
	}
	if (shard)
		argv[n++] = "--shard";
	run_t r = run(argv);
	int rc = r.status == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "policy-index %s failed (%d): %s\n", name, r.status, r.err);
	run_free(&r);
	return rc;
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&dir) != 0 || build("whole", NULL, false) != 0 ||
	    build("a", "dandong,fuxin,anshan", false) != 0 || build("b", "dalian,tonghua", false) != 0)
		return -1;
	snprintf(whole, sizeof whole, "%s/whole", dir);
	for (int k = 0; k < 2; k++) {
		snprintf(servers[k].db, sizeof servers[k].db, "%s/%s", dir, k == 0 ? "a" : "b");
		if ((servers[k].port = free_port()) < 0 || server_start(&servers[k]) != 0) {
			fprintf(stderr, "xapian-tcpsrv did not start on port %d\n", servers[k].port);
			return -1;
		}
	}
	write_remote_stub();
	snprintf(remote_stub, sizeof remote_stub, "%s/remote.stub", dir);
	tmpdir_write(dir, "local.stub", "auto a\nauto b\n", 14);
	snprintf(local_stub, sizeof local_stub, "%s/local.stub", dir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++)
		server_stop(&servers[k]);
	tmpdir_teardown((void **)&dir);
	return 0;
}

/* What a user runs, after `policy-query --db DB`: every command, every scope, facets,
 * --any, the concept syntax, filters, exports, and the messages of a search that finds
 * nothing. */
static const char *const commands[][8] = {
	{"双减"},
	{"--format", "json", "--all", "教育"},
	{"--all", "校"},
	{"--any", "如何", "推进", "课后服务"},
	{"--any", "--format", "json", "智慧教育"},
	{"--scope", "paragraph", "双减", "课后服务"},
	{"--scope", "section", "--format", "json", "学前", "普惠"},
	{"--scope", "paragraph", "--any", "双减", "作业"},
	{"--city", "大连", "--city", "丹东", "--format", "csv", "--all", "教育"},
	{"--province", "吉林省", "双减"},
	{"--format", "json", "~双减"},
	{"双减", "OR", "减负"},
	{"教育", "-双减"},
	{"--sort", "document", "--limit", "30", "学校"},
	{"--date", "2021..2022", "双减"},
	{"毛入园率"},
	{"不存在的词语组合"},
	{"双咸"},
	{"freq", "双减", "课后服务", "教育"},
	{"freq", "--by", "section", "--format", "csv", "双减"},
	{"freq", "--format", "json", "~双减", "质量提升"},
	{"kwic", "双减"},
	{"kwic", "--format", "json", "课后服务"},
	{"cite", "dandong/2.2/6", "tonghua/3.4/4"},
	{"cite", "--format", "json", "anshan/2.3/0", "dalian/2.3.2/t1.1"},
	{"plans", "--format", "json"},
	{"indicators", "--compare"},
};

/* Run one command against two indexes: the same status, output and messages. */
static void assert_same_answer(const char *db_a, const char *db_b, const char *const *cmd)
{
	const char *argv_a[12] = {test_env("POLICY_QUERY"), "--db", db_a};
	const char *argv_b[12] = {test_env("POLICY_QUERY"), "--db", db_b};
	size_t n = 3;
	for (size_t i = 0; i < 8 && cmd[i] != NULL; i++, n++)
		argv_a[n] = argv_b[n] = cmd[i];
	run_t a = run(argv_a), b = run(argv_b);
	if (a.status != b.status || strcmp(a.out, b.out) != 0 || strcmp(a.err, b.err) != 0)
		fail_msg("policy-query %s %s … differs:\n--- %s (%d)\n%.2000s\n%s\n--- %s (%d)\n"
			 "%.2000s\n%s", cmd[0], cmd[1] ? cmd[1] : "", db_a, a.status, a.out, a.err,
			 db_b, b.status, b.out, b.err);
	if (a.out_len == 0) /* each gives an answer, not two empty ones */
		fail_msg("policy-query %s %s … printed nothing (%d): %s", cmd[0],
			 cmd[1] ? cmd[1] : "", a.status, a.err);
	run_free(&a);
	run_free(&b);
}

static void test_every_command_through_two_tcpsrv_shards_answers_as_the_local_index(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		assert_same_answer(whole, remote_stub, commands[i]);
}

static void test_shards_named_as_directories_answer_as_the_local_index(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i += 3)
		assert_same_answer(whole, local_stub, commands[i]);
}

static void test_facets_count_both_shards_plans(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", remote_stub, "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "4 passages: 丹东市 1 · 鞍山市 1 · 通化市 2");
	run_free(&r);
}

static void test_check_reports_every_shard(void **state)
{
	(void)state;
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--shards", remote_stub, "--check",
				       "--corpus", test_env("CORPUS_DIR"), NULL});
	char a[128], b[128];
	snprintf(a, sizeof a, "shard remote 127.0.0.1:%d: answers, 3 plans", servers[0].port);
	snprintf(b, sizeof b, "shard remote 127.0.0.1:%d: answers, 2 plans", servers[1].port);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, a);
	assert_contains(r.out, b);
	assert_contains(r.out, "current:");
	run_free(&r);

	/* a plan changed since: the command that updates it is to be run on its shard */
	char script[2600], stale[1100], where[160];
	snprintf(stale, sizeof stale, "%s/stale-corpus", dir);
	snprintf(script, sizeof script, "cp -r '%s' '%s' && echo 新增一行。 >> '%s/dalian.txt'",
		 test_env("CORPUS_DIR"), stale, stale);
	r = run((const char *[]){"/bin/sh", "-c", script, NULL});
	assert_int_equal(r.status, 0);
	run_free(&r);
	r = run((const char *[]){test_env("POLICY_INDEX"), "--shards", remote_stub, "--check",
				 "--corpus", stale, NULL});
	snprintf(where, sizeof where, "update it on shard remote 127.0.0.1:%d, on the machine "
		 "that holds it, with: policy-index --corpus", servers[1].port);
	assert_int_equal(r.status, 1);
	assert_contains(r.out, "dalian.txt (dalian): changed");
	assert_contains(r.out, where);
	run_free(&r);
}

static void test_a_plan_in_two_shards_is_refused_naming_both(void **state)
{
	(void)state;
	tmpdir_write(dir, "twice.stub", "auto whole\nauto b\n", 18);
	char stub[1100];
	snprintf(stub, sizeof stub, "%s/twice.stub", dir);
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", stub, "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "is in two shards");
	assert_contains(r.err, "/whole and ");
	assert_contains(r.err, "/b");
	run_free(&r);
}

/* whole/ was built without --shard or --only: served by xapian-tcpsrv, its database alone
 * does not hold the index. */
static void test_a_shard_built_without_the_shard_option_is_refused_naming_it(void **state)
{
	(void)state;
	server_t plain = {.port = free_port()};
	snprintf(plain.db, sizeof plain.db, "%s/whole", dir);
	assert_int_equal(server_start(&plain), 0);
	char text[128], stub[1100], name[64];
	int n = snprintf(text, sizeof text, "remote 127.0.0.1:%d\nremote 127.0.0.1:%d\n",
			 servers[0].port, plain.port);
	tmpdir_write(dir, "plain.stub", text, (size_t)n);
	snprintf(stub, sizeof stub, "%s/plain.stub", dir);
	snprintf(name, sizeof name, "shard remote 127.0.0.1:%d", plain.port);
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", stub, "双减", NULL});
	server_stop(&plain);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, name);
	assert_contains(r.err, "--shard");
	run_free(&r);
}

static void test_a_malformed_stub_line_is_named_with_its_number(void **state)
{
	(void)state;
	tmpdir_write(dir, "bad.stub", "auto a\nremote nowhere\n", 22);
	char stub[1100];
	snprintf(stub, sizeof stub, "%s/bad.stub", dir);
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", stub, "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "line 2");
	assert_contains(r.err, "remote HOST:PORT");
	run_free(&r);
	/* Xapian 1.4 does not connect over IPv6: refused at the line, not at connecting */
	tmpdir_write(dir, "v6.stub", "remote [::1]:33333\n", 19);
	snprintf(stub, sizeof stub, "%s/v6.stub", dir);
	r = run((const char *[]){test_env("POLICY_QUERY"), "--db", stub, "双减", NULL});
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "line 1");
	assert_contains(r.err, "IPv4");
	run_free(&r);
}

/* A shard directory rebuilt under an open store: the store says it is no longer current
 * (what makes policy-serve open it again), and an index opened after reads the new one. */
static void test_a_rebuilt_local_shard_makes_an_open_store_stale(void **state)
{
	(void)state;
	ps_store_t *store = NULL;
	char *error = NULL;
	assert_int_equal(ps_store_open(local_stub, &store, &error), PS_OK);
	assert_true(ps_store_current(store));
	/* the facets of the two parts, numbered one after the other, are found from any hint */
	assert_int_equal(assert_facet_of_finds_every_clause(store), ps_store_n_facets(store));
	assert_int_equal(build("b", "dalian,tonghua", true), 0);
	assert_false(ps_store_current(store));
	ps_store_close(store);
	assert_int_equal(ps_store_open(local_stub, &store, &error), PS_OK);
	assert_true(ps_store_current(store));
	ps_store_close(store);
}

typedef struct body {
	char *data;
	size_t len;
} body_t;

static size_t take_body(char *data, size_t size, size_t n, void *ctx)
{
	body_t *b = ctx;
	char *grown = realloc(b->data, b->len + size * n + 1);
	if (grown == NULL)
		return 0;
	b->data = grown;
	memcpy(b->data + b->len, data, size * n);
	b->len += size * n;
	b->data[b->len] = '\0';
	return size * n;
}

/* GET http://127.0.0.1:port/path: its status, its body into *out (malloc'd). */
static long http_get(unsigned port, const char *path, char **out)
{
	char url[512];
	body_t b = {calloc(1, 1), 0};
	long status = 0;
	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	*out = b.data;
	return status;
}

/* policy-serve over the stub: the CLI's bytes; a 503 naming a shard that stopped; the
 * shard back (on another port, the stub rewritten) and the same bytes again. */
static void test_policy_serve_over_shards_answers_fails_and_recovers(void **state)
{
	(void)state;
	char log_path[1100], *body = NULL;
	snprintf(log_path, sizeof log_path, "%s/serve.log", dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int err = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(err, STDERR_FILENO);
		execl(test_env("POLICY_SERVE"), "policy-serve", "--db", remote_stub, "--listen",
		      "127.0.0.1:0", "--threads", "2", (char *)NULL);
		_exit(127);
	}
	unsigned port = 0;
	for (int tries = 0; tries < 600 && port == 0; tries++) { /* 60 s under a sanitizer */
		char *log = run_slurp(log_path, NULL);
		const char *at = strstr(log, "on http://127.0.0.1:");
		if (at != NULL)
			port = (unsigned)strtoul(at + strlen("on http://127.0.0.1:"), NULL, 10);
		free(log);
		struct timespec t = {0, 100 * 1000 * 1000};
		if (port == 0)
			nanosleep(&t, NULL);
	}
	assert_int_not_equal(port, 0);
	run_t local = run((const char *[]){test_env("POLICY_QUERY"), "--db", whole, "--format",
					   "json", "双减", NULL});
	const char *path = "/api/search?q=%E5%8F%8C%E5%87%8F";
	assert_int_equal(http_get(port, path, &body), 200);
	assert_string_equal(body, local.out);
	free(body);

	char name[64];
	snprintf(name, sizeof name, "shard remote 127.0.0.1:%d", servers[1].port);
	server_stop(&servers[1]);
	assert_int_equal(http_get(port, path, &body), 503);
	assert_contains(body, name);
	free(body);

	assert_int_equal(server_restart(&servers[1]), 0);
	assert_int_equal(http_get(port, path, &body), 200);
	assert_string_equal(body, local.out);
	free(body);
	run_free(&local);
	kill(pid, SIGTERM);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Runs last among those that use the servers: it stops one. */
static void test_a_stopped_shard_fails_every_command_naming_it(void **state)
{
	(void)state;
	char name[64];
	snprintf(name, sizeof name, "shard remote 127.0.0.1:%d", servers[1].port);
	server_stop(&servers[1]);
	static const char *const cmds[][3] = {{"双减"}, {"freq", "双减"}, {"cite", "dandong/2.2/6"},
					      {"plans"}};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", remote_stub,
					       cmds[i][0], cmds[i][1], NULL});
		assert_int_equal(r.status, 1);
		assert_contains(r.err, name);
		assert_contains(r.err, "did not answer");
		assert_string_equal(r.out, "");
		run_free(&r);
	}

	/* --allow-partial: the other shard's plans, a warning naming the one left out, and
	 * JSON that says it is partial */
	run_t r = run((const char *[]){test_env("POLICY_QUERY"), "--db", remote_stub,
				       "--allow-partial", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "2 passages: 丹东市 1 · 鞍山市 1");
	assert_contains(r.err, "warning: ");
	assert_contains(r.err, name);
	run_free(&r);
	/* a city of the missing shard: perhaps there, so a failure (1), not bad usage (2) */
	r = run((const char *[]){test_env("POLICY_QUERY"), "--db", remote_stub, "--allow-partial",
				 "--city", "大连", "双减", NULL});
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "unknown city '大连'");
	assert_contains(r.err, "may be on it");
	run_free(&r);
	static const char *const json_cmds[][4] = {{"--format", "json", "双减"},
						   {"freq", "--format", "json", "双减"},
						   {"kwic", "--format", "json", "双减"},
						   {"plans", "--format", "json"}};
	for (size_t i = 0; i < sizeof json_cmds / sizeof json_cmds[0]; i++) {
		r = run((const char *[]){test_env("POLICY_QUERY"), "--db", remote_stub,
					 "--allow-partial", json_cmds[i][0], json_cmds[i][1],
					 json_cmds[i][2], json_cmds[i][3], NULL});
		assert_int_equal(r.status, 0);
		assert_contains(r.out, "\"partial\":true,\"missing_shards\":[\"shard remote");
		assert_null(strstr(r.out, "通化"));
		run_free(&r);
	}
	assert_int_equal(server_restart(&servers[1]), 0);
	/* with every shard answering, the JSON is the local index's: no partial flag */
	r = run((const char *[]){test_env("POLICY_QUERY"), "--db", remote_stub, "--allow-partial",
				 "--format", "json", "双减", NULL});
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "partial"));
	assert_string_equal(r.err, "");
	run_free(&r);
}

static int count_cb(void *ctx, const ps_plan_t *plan, size_t occurrences, size_t passages)
{
	(void)plan;
	(void)passages;
	*(size_t *)ctx += occurrences;
	return 0;
}

/* A shard that goes away after the index was opened: what is read from it next (postings,
 * the counts read when first needed) fails with its name, not a partial answer. */
static void test_a_shard_stopped_mid_command_is_an_error_naming_it(void **state)
{
	(void)state;
	ps_store_t *store = NULL;
	char *error = NULL, name[64];
	snprintf(name, sizeof name, "remote 127.0.0.1:%d", servers[1].port);
	assert_int_equal(ps_store_open(remote_stub, &store, &error), PS_OK);
	assert_int_equal(ps_store_n_shards(store), 2);
	assert_true(ps_store_current(store));
	server_stop(&servers[1]);
	assert_false(ps_store_current(store));

	size_t total = 0;
	ps_status_t st = ps_store_count(store, "双减", strlen("双减"), count_cb, &total, &error);
	assert_int_equal(st, PS_ERR_NETWORK);
	assert_contains(error, name);
	free(error);
	error = NULL;

	xw_postlist_t *pl = NULL;
	unsigned docids[256], wdfs[256];
	size_t got = 0;
	st = xw_postlist_open(ps_store_db(store), "B双减", strlen("B双减"), &pl);
	if (st == PS_OK) /* the first shard's list is read first: the error comes on reading */
		while ((st = xw_postlist_read(pl, docids, wdfs, 256, &got)) == PS_OK && got > 0)
			;
	assert_int_equal(st, PS_ERR_NETWORK);
	assert_contains(pl != NULL ? xw_postlist_last_error(pl) : xw_db_last_error(ps_store_db(store)),
			name);
	xw_postlist_destroy(pl);
	ps_store_close(store);
	assert_int_equal(server_restart(&servers[1]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_through_two_tcpsrv_shards_answers_as_the_local_index),
		cmocka_unit_test(test_shards_named_as_directories_answer_as_the_local_index),
		cmocka_unit_test(test_facets_count_both_shards_plans),
		cmocka_unit_test(test_check_reports_every_shard),
		cmocka_unit_test(test_a_plan_in_two_shards_is_refused_naming_both),
		cmocka_unit_test(test_a_shard_built_without_the_shard_option_is_refused_naming_it),
		cmocka_unit_test(test_a_malformed_stub_line_is_named_with_its_number),
		cmocka_unit_test(test_a_rebuilt_local_shard_makes_an_open_store_stale),
		cmocka_unit_test(test_policy_serve_over_shards_answers_fails_and_recovers),
		cmocka_unit_test(test_a_stopped_shard_fails_every_command_naming_it),
		cmocka_unit_test(test_a_shard_stopped_mid_command_is_an_error_naming_it),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
