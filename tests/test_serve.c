/* test_serve.c: policy-serve over HTTP: every endpoint answers policy-query's bytes, bad input its status, many clients and a rebuild alike. */
#include "test.h"

#include "catalogue.h"
#include "run.h"
#include "strbuf.h"
#include "store.h"
#include "tmpdir.h"

#include <curl/curl.h>
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <strings.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

static char *dir;          /* the scratch directory */
static char db[1100];      /* the index the server reads */
static char corpus[1100];  /* a copy of the bundled corpus it was built from */
static char log_path[1100];
static pid_t server = -1;
static unsigned port;

/* ---- the server and the CLI ---- */

static run_t run(const char *const *argv)
{
	return run_in(dir, NULL, NULL, argv);
}

static bool copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = run_slurp(from, &len);
	FILE *f = fopen(to, "wb");
	bool ok = f != NULL && fwrite(data, 1, len, f) == len;
	ok = (f != NULL && fclose(f) == 0) && ok;
	free(data);
	return ok;
}

/* The bundled corpus copied to dir/corpus, so the rebuild test can change it. */
static bool copy_corpus(void)
{
	static const char *const files[] = {"manifest.json", "anshan.txt", "dalian.txt",
					    "dandong.txt", "fuxin.txt", "tonghua.txt"};
	snprintf(corpus, sizeof corpus, "%s/corpus", dir);
	if (mkdir(corpus, 0755) != 0)
		return false;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char from[2200], to[2200];
		snprintf(from, sizeof from, "%s/%s", test_env("CORPUS_DIR"), files[i]);
		snprintf(to, sizeof to, "%s/%s", corpus, files[i]);
		if (!copy_file(from, to))
			return false;
	}
	return true;
}

/* Start policy-serve on a free loopback port; its stderr goes to log_path, whose first
 * line names the port. Returns 0, or -1. */
static int start_server(void)
{
	snprintf(log_path, sizeof log_path, "%s/serve.log", dir);
	fflush(NULL);
	server = fork();
	if (server < 0)
		abort();
	if (server == 0) {
		int err = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(err, 2);
		execl(test_env("POLICY_SERVE"), "policy-serve", "--db", db, "--listen",
		      "127.0.0.1:0", "--threads", "4", (char *)NULL);
		_exit(127);
	}
	for (int tries = 0; tries < 600; tries++) { /* 60 s, for a slow sanitizer build */
		char *log = run_slurp(log_path, NULL);
		const char *at = strstr(log, "on http://127.0.0.1:");
		if (at != NULL)
			port = (unsigned)strtoul(at + strlen("on http://127.0.0.1:"), NULL, 10);
		free(log);
		if (port != 0)
			return 0;
		if (waitpid(server, NULL, WNOHANG) == server) {
			server = -1;
			return -1;
		}
		struct timespec t = {0, 100 * 1000 * 1000};
		nanosleep(&t, NULL);
	}
	return -1;
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&dir) != 0 || !copy_corpus())
		return -1;
	snprintf(db, sizeof db, "%s/index", dir);
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--quiet", "--corpus", corpus,
				       "--db", db, NULL});
	int ok = r.status == 0;
	if (!ok)
		fprintf(stderr, "policy-index failed (%d): %s\n", r.status, r.err);
	run_free(&r);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return ok && start_server() == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	if (server > 0) {
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
	}
	curl_global_cleanup();
	tmpdir_teardown((void **)&dir);
	return 0;
}

/* policy-query ARGS... against the server's index. */
static run_t cli(const char *const *args)
{
	const char *argv[64] = {test_env("POLICY_QUERY")};
	size_t n = 1;
	if (args[0] != NULL && strcmp(args[0], "cite") != 0 && strcmp(args[0], "freq") != 0 &&
	    strcmp(args[0], "kwic") != 0) {
		argv[n++] = "--db";
		argv[n++] = db;
	} else if (args[0] != NULL) {
		argv[n++] = args[0];
		argv[n++] = "--db";
		argv[n++] = db;
		args++;
	}
	for (; *args != NULL && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return run(argv);
}

/* ---- HTTP ---- */

typedef struct answer {
	long status;
	char *body;
	size_t len;
	char *type;        /* Content-Type */
	char *disposition; /* Content-Disposition, or NULL */
} answer_t;

static size_t take_body(char *data, size_t size, size_t n, void *ctx)
{
	answer_t *a = ctx;
	char *grown = realloc(a->body, a->len + size * n + 1);
	if (grown == NULL)
		return 0;
	a->body = grown;
	memcpy(a->body + a->len, data, size * n);
	a->len += size * n;
	a->body[a->len] = '\0';
	return size * n;
}

static size_t take_header(char *data, size_t size, size_t n, void *ctx)
{
	answer_t *a = ctx;
	size_t len = size * n;
	if (len > 20 && strncasecmp(data, "Content-Disposition:", 20) == 0)
		a->disposition = strndup(data + 21, len - 21 - 2);
	return len;
}

/* Send method (GET or POST, with body of body_len bytes) to path, which holds its query
 * string already escaped; a connection the server drops fails the test unless may_drop
 * (the status is then 0). */
static answer_t http_or_drop(const char *method, const char *path, const char *body,
			     size_t body_len, bool may_drop)
{
	answer_t a = {0};
	size_t url_len = strlen(path) + 64;
	char *url = malloc(url_len);
	snprintf(url, url_len, "http://127.0.0.1:%u%s", port, path);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, take_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* send /../ as it is */
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK && !may_drop)
		fail_msg("%s %.200s: %s", method, path, curl_easy_strerror(rc));
	const char *type = NULL;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
	a.type = strdup(type ? type : "");
	if (a.body == NULL)
		a.body = calloc(1, 1);
	curl_easy_cleanup(c);
	free(url);
	return a;
}

static answer_t http(const char *method, const char *path, const char *body, size_t body_len)
{
	return http_or_drop(method, path, body, body_len, false);
}

static answer_t get(const char *path)
{
	return http("GET", path, NULL, 0);
}

static void answer_free(answer_t *a)
{
	free(a->body);
	free(a->type);
	free(a->disposition);
	memset(a, 0, sizeof *a);
}

/* path?k=v&k=v… with every value percent-escaped; pairs ends with NULL. */
static char *url_of(const char *path, const char *const *pairs)
{
	size_t cap = 1 << 16, n;
	char *url = malloc(cap);
	n = (size_t)snprintf(url, cap, "%s", path);
	for (size_t i = 0; pairs[i] != NULL; i += 2) {
		char *v = curl_easy_escape(NULL, pairs[i + 1], 0);
		n += (size_t)snprintf(url + n, cap - n, "%c%s=%s", i ? '&' : '?', pairs[i], v);
		curl_free(v);
	}
	return url;
}

/* The "error" member of an answer's JSON (NULL if none); owned by the caller. */
static char *error_of(const answer_t *a)
{
	json_object *o = json_tokener_parse(a->body), *e;
	char *s = NULL;
	if (o != NULL && json_object_object_get_ex(o, "error", &e))
		s = strdup(json_object_get_string(e));
	json_object_put(o);
	return s;
}

/* The message policy-query printed first ("policy-query: MESSAGE\n"), without its
 * prefix. */
static char *cli_message(const run_t *r)
{
	const char *s = r->err;
	if (strncmp(s, "policy-query: ", 14) == 0)
		s += 14;
	return strndup(s, strcspn(s, "\n"));
}

#define assert_same_bytes(a, alen, b, blen)                                                    \
	do {                                                                                   \
		if ((alen) != (blen) || memcmp((a), (b), (alen)) != 0)                         \
			fail_msg("the server's %zu bytes differ from the CLI's %zu:\n%.400s\n---\n" \
				 "%.400s", (size_t)(alen), (size_t)(blen), (a), (b));           \
	} while (0)

/* ---- every endpoint answers as policy-query does ---- */

typedef struct same_case {
	const char *path;
	const char *params[16]; /* key, value, …, NULL */
	const char *args[16];   /* policy-query's arguments, NULL-terminated */
	const char *type;       /* the Content-Type's start */
	const char *download;   /* the file name a download is given, or NULL */
} same_case_t;

static const same_case_t same_cases[] = {
	{"/api/search", {"q", "双减", NULL}, {"--format", "json", "双减", NULL}, "application/json", NULL},
	{"/api/search", {"q", "双减 作业", "scope", "paragraph", NULL},
	 {"--format", "json", "--scope", "paragraph", "双减", "作业", NULL}, "application/json", NULL},
	{"/api/search", {"q", "课后服务", "city", "丹东", "city", "dalian", "limit", "2", "offset", "1",
			 NULL},
	 {"--format", "json", "--city", "丹东", "--city", "dalian", "--limit", "2", "--offset", "1",
	  "课后服务", NULL}, "application/json", NULL},
	{"/api/search", {"q", "双减 OR 减负", "province", "辽宁", NULL},
	 {"--format", "json", "--province", "辽宁", "双减 OR 减负", NULL}, "application/json", NULL},
	{"/api/search", {"q", "减轻学生课业负担的措施", "any", "1", "limit", "3", NULL},
	 {"--format", "json", "--any", "--limit", "3", "减轻学生课业负担的措施", NULL},
	 "application/json", NULL},
	/* --any at a scope given, a concept, and a search that finds nothing (its
	 * suggestions): the same thesaurus and the same suggesting sink as the CLI */
	{"/api/search", {"q", "双减", "any", "1", "scope", "clause", NULL},
	 {"--format", "json", "--any", "--scope", "clause", "双减", NULL}, "application/json", NULL},
	{"/api/search", {"q", "~双减", NULL}, {"--format", "json", "~双减", NULL}, "application/json",
	 NULL},
	{"/api/search", {"q", "义务教肓", NULL}, {"--format", "json", "义务教肓", NULL},
	 "application/json", NULL},
	{"/api/search", {"q", "双减 or 减负", NULL}, {"--format", "json", "双减 or 减负", NULL},
	 "application/json", NULL},
	{"/api/search", {"q", "教育", "section", "主要任务", "level", "2", "scope", "section", NULL},
	 {"--format", "json", "--section", "主要任务", "--level", "2", "--scope", "section", "教育",
	  NULL}, "application/json", NULL},
	{"/api/search", {"q", "\"教育 现代化\" -双减", NULL},
	 {"--format", "json", "\"教育 现代化\" -双减", NULL}, "application/json", NULL},
	/* sort, date and the table formats, as policy-query takes them */
	{"/api/search", {"q", "教育", "sort", "document", "limit", "5", "offset", "3", NULL},
	 {"--format", "json", "--sort", "document", "--limit", "5", "--offset", "3", "教育", NULL},
	 "application/json", NULL},
	{"/api/search", {"q", "教育", "date", "2021..2021-12", NULL},
	 {"--format", "json", "--date", "2021..2021-12", "教育", NULL}, "application/json", NULL},
	{"/api/search", {"q", "教育", "date", "2021..", "city", "大连", "city", "丹东", NULL},
	 {"--format", "json", "--date", "2021..", "--city", "大连", "--city", "丹东", "教育", NULL},
	 "application/json", NULL},
	{"/api/search", {"q", "双减", "format", "csv", NULL}, {"--format", "csv", "双减", NULL},
	 "text/csv", "search.csv"},
	{"/api/search", {"q", "产教融合", "format", "tsv", "excel", "1", "city", "大连", NULL},
	 {"--format", "tsv", "--excel", "--city", "大连", "产教融合", NULL},
	 "text/tab-separated-values", "search-excel.tsv"},
	{"/api/cite", {"id", "dalian/3.8.1/2", "context", "1", NULL},
	 {"cite", "--format", "json", "--context", "1", "dalian/3.8.1/2", NULL}, "application/json", NULL},
	{"/api/cite", {"id", "dalian/3.8.1/p1", "id", "anshan/2.3", "id", "fuxin/0", NULL},
	 {"cite", "--format", "json", "dalian/3.8.1/p1", "anshan/2.3", "fuxin/0", NULL},
	 "application/json", NULL},
	{"/api/cite", {"id", "tonghua/3.4.b1.3/1", "format", "markdown", NULL},
	 {"cite", "--format", "markdown", "tonghua/3.4.b1.3/1", NULL}, "text/markdown", NULL},
	{"/api/freq", {"terms", "双减", "terms", "课后服务", "terms", "双减 OR 减负", NULL},
	 {"freq", "--format", "json", "双减", "课后服务", "双减 OR 减负", NULL}, "application/json", NULL},
	{"/api/freq", {"terms", "~双减", NULL}, {"freq", "--format", "json", "~双减", NULL},
	 "application/json", NULL},
	{"/api/freq", {"terms", "双减\n产教融合", "by", "chapter", "format", "csv", NULL},
	 {"freq", "--by", "chapter", "双减", "产教融合", NULL}, "text/csv", "freq.csv"},
	{"/api/freq", {"terms", "双减", "format", "csv", "excel", "1", "wide", "1", "by", "document",
		       NULL},
	 {"freq", "--excel", "--wide", "--by", "document", "双减", NULL}, "text/csv",
	 "freq-excel.csv"},
	{"/api/freq", {"terms", "课后服务", "format", "tsv", "city", "大连", "scope", "paragraph", NULL},
	 {"freq", "--format", "tsv", "--city", "大连", "--scope", "paragraph", "课后服务", NULL},
	 "text/tab-separated-values", "freq.tsv"},
	{"/api/kwic", {"q", "双减", "width", "4", NULL},
	 {"kwic", "--format", "json", "--width", "4", "双减", NULL}, "application/json", NULL},
	/* a concept: the CLI opens the bundled thesaurus for it as the server did at start */
	{"/api/kwic", {"q", "~双减", NULL}, {"kwic", "--format", "json", "~双减", NULL},
	 "application/json", NULL},
	{"/api/kwic", {"q", "产教融合", "city", "鞍山", "format", "csv", NULL},
	 {"kwic", "--format", "csv", "--city", "鞍山", "产教融合", NULL}, "text/csv", "kwic.csv"},
	{"/api/kwic", {"q", "课后服务", "format", "text", "width", "6", NULL},
	 {"kwic", "--width", "6", "课后服务", NULL}, "text/plain", NULL},
};

/* text with every occurrence of `from` taken out, in place; returns its new length. */
static size_t cut_all(char *text, size_t len, const char *from)
{
	size_t n = strlen(from), out = 0;
	for (size_t i = 0; i < len;) {
		if (n > 0 && i + n <= len && memcmp(text + i, from, n) == 0) {
			i += n;
			continue;
		}
		text[out++] = text[i++];
	}
	text[out] = '\0';
	return out;
}

/* The corpus directory and a slash, as text ("DIR/") and inside a JSON string ("DIR\/"). */
static void corpus_prefixes(char *plain, size_t plain_size, char *json, size_t json_size)
{
	snprintf(plain, plain_size, "%s/", corpus);
	size_t k = 0;
	for (const char *p = plain; *p && k + 2 < json_size; p++) {
		if (*p == '/')
			json[k++] = '\\';
		json[k++] = *p;
	}
	json[k] = '\0';
}

static void test_every_endpoint_answers_the_bytes_policy_query_writes(void **state)
{
	(void)state;
	char plain[1200], json[2400];
	corpus_prefixes(plain, sizeof plain, json, sizeof json);
	for (size_t i = 0; i < sizeof same_cases / sizeof same_cases[0]; i++) {
		const same_case_t *c = &same_cases[i];
		char *url = url_of(c->path, c->params);
		answer_t a = get(url);
		run_t r = cli(c->args);
		if (r.status != 0)
			fail_msg("policy-query %s … failed: %s", c->args[0], r.err);
		/* the CLI names a plan's file by where it read it, the server as the manifest
		 * does (a page's reader is not told the server's directories) */
		if (strcmp(c->path, "/api/cite") == 0) {
			assert_null(strstr(a.body, corpus));
			r.out_len = cut_all(r.out, r.out_len, plain);
			r.out_len = cut_all(r.out, r.out_len, json);
		}
		if (a.status != 200)
			fail_msg("%s: %ld %s", url, a.status, a.body);
		assert_same_bytes(a.body, a.len, r.out, r.out_len);
		assert_true(strncmp(a.type, c->type, strlen(c->type)) == 0);
		if (c->download != NULL) {
			char want[128];
			snprintf(want, sizeof want, "attachment; filename=\"%s\"", c->download);
			assert_non_null(a.disposition);
			assert_string_equal(a.disposition, want);
		} else {
			assert_null(a.disposition);
		}
		run_free(&r);
		answer_free(&a);
		free(url);
	}
}

/* A plan file that cannot be checked is named as the manifest names it, in every format,
 * and neither the corpus directory nor where a symbolic link leads is shown: a missing file,
 * and a file replaced by a link to one outside the corpus. */
static void test_cite_names_plan_files_without_the_servers_directories(void **state)
{
	(void)state;
	char file[1300], away[1300], outside[1300];
	snprintf(file, sizeof file, "%s/dalian.txt", corpus);
	snprintf(away, sizeof away, "%s/dalian.txt.away", corpus);
	snprintf(outside, sizeof outside, "%s/elsewhere-dalian.txt", dir);
	static const char *const urls[] = {"/api/cite?id=dalian/3.8.1/2&format=text",
					   "/api/cite?id=dalian/3.8.1/2",
					   "/api/cite?id=dalian/3.8.1/2&format=markdown"};
	static const char *const why[] = {"dalian.txt", "dalian.txt leads outside the corpus "
							 "directory through a symbolic link"};
	char *bad = NULL; /* the first wrong answer: reported once the corpus is whole again,
			   * which the tests after this one need */
	for (int round = 0; round < 2; round++) {
		assert_int_equal(rename(file, round == 0 ? away : outside), 0);
		if (round == 1)
			assert_int_equal(symlink(outside, file), 0);
		for (size_t i = 0; i < sizeof urls / sizeof urls[0] && bad == NULL; i++) {
			answer_t a = get(urls[i]);
			if (a.status != 200 || strstr(a.body, why[round]) == NULL ||
			    strstr(a.body, dir) != NULL)
				strbuf_printf_new(&bad, "%s, %s: %ld %s",
						  round ? "a link out" : "missing", urls[i], a.status,
						  a.body);
			answer_free(&a);
		}
		if (round == 1)
			assert_int_equal(unlink(file), 0);
		assert_int_equal(rename(round == 0 ? away : outside, file), 0);
	}
	if (bad != NULL)
		fail_msg("%s", bad);
	answer_t a = get(urls[0]); /* back, and checked again */
	assert_int_equal(a.status, 200);
	assert_contains(a.body, "dalian.txt");
	assert_null(strstr(a.body, dir));
	answer_free(&a);
}

/* The query in the issue: curl 'http://127.0.0.1:PORT/api/search?q=双减' (a UTF-8 query
 * string sent as it is, not escaped) is policy-query --format json 双减. */
static void test_search_for_shuangjian_unescaped_is_the_cli_json(void **state)
{
	(void)state;
	answer_t a = get("/api/search?q=双减");
	run_t r = cli((const char *[]){"--format", "json", "双减", NULL});
	assert_int_equal(a.status, 200);
	assert_same_bytes(a.body, a.len, r.out, r.out_len);
	assert_contains(a.body, "\"total\":4");
	run_free(&r);
	answer_free(&a);
}

/* /api/plans and /api/outline are the catalogue renderer's bytes, and every section the
 * outline lists cites. */
static void test_plans_and_outlines_are_the_catalogue_and_every_section_cites(void **state)
{
	(void)state;
	ps_store_t *index = NULL;
	char *error = NULL, *data = NULL;
	size_t len = 0;
	assert_int_equal(ps_store_open(db, &index, &error), PS_OK);
	FILE *f = open_memstream(&data, &len);
	assert_int_equal(pq_catalogue_write_plans(f, index, &error), PS_OK);
	fclose(f);
	answer_t a = get("/api/plans");
	assert_int_equal(a.status, 200);
	assert_same_bytes(a.body, a.len, data, len);
	free(data);
	json_object *plans = json_tokener_parse(a.body), *list, *total;
	assert_non_null(plans);
	assert_true(json_object_object_get_ex(plans, "plans", &list));
	assert_true(json_object_object_get_ex(plans, "total", &total));
	size_t n_plans;
	ps_store_plans(index, &n_plans);
	assert_int_equal(json_object_array_length(list), n_plans);
	assert_int_equal(json_object_get_int(total), (int)n_plans);
	for (size_t p = 0; p < n_plans; p++) {
		json_object *plan = json_object_array_get_idx(list, p), *id;
		assert_true(json_object_object_get_ex(plan, "city_id", &id));
		const char *pairs[] = {"plan", json_object_get_string(id), NULL};
		char *url = url_of("/api/outline", pairs);
		answer_t o = get(url);
		assert_int_equal(o.status, 200);
		f = open_memstream(&data, &len);
		assert_int_equal(pq_catalogue_write_outline(f, index, &ps_store_plans(index, &n_plans)[p],
							    &error), PS_OK);
		fclose(f);
		assert_same_bytes(o.body, o.len, data, len);
		free(data);
		json_object *outline = json_tokener_parse(o.body), *sections;
		assert_true(json_object_object_get_ex(outline, "sections", &sections));
		assert_true(json_object_array_length(sections) > 1);
		for (size_t s = 0; s < json_object_array_length(sections); s++) {
			json_object *sec = json_object_array_get_idx(sections, s), *sid;
			assert_true(json_object_object_get_ex(sec, "id", &sid));
			const char *cp[] = {"id", json_object_get_string(sid), NULL};
			char *curl = url_of("/api/cite", cp);
			answer_t c = get(curl);
			if (c.status != 200)
				fail_msg("%s: %ld %s", curl, c.status, c.body);
			answer_free(&c);
			free(curl);
		}
		json_object_put(outline);
		answer_free(&o);
		free(url);
	}
	json_object_put(plans);
	answer_free(&a);
	ps_store_close(index);
}

/* ---- bad input ---- */

typedef struct bad_case {
	const char *path;  /* escaped already */
	long status;
	const char *error; /* a part of the error message */
	const char *cli[8]; /* the same request to policy-query, whose message must be the
			     * server's exactly; {NULL} when it has none */
} bad_case_t;

static const bad_case_t bad_cases[] = {
	{"/api/search?q=%E5%8F%8C%E5%87%8F&date=1999", 400, "no plan is dated within 1999",
	 {"--date", "1999", "双减", NULL}},
	{"/api/search?q=%E5%8F%8C%E5%87%8F&date=2022..2021", 400, "date takes", {NULL}},
	{"/api/search?q=%E5%8F%8C%E5%87%8F&sort=best", 400, "sort takes score or document",
	 {NULL}},
	{"/api/search?q=%E5%8F%8C%E5%87%8F&format=text", 400, "format takes json, csv or tsv",
	 {NULL}},
	{"/api/search?q=%E5%8F%8C%E5%87%8F&excel=1", 400, "excel is for csv and tsv", {NULL}},
	{"/api/search?q=(%E5%8F%8C%E5%87%8F", 400, "never closed", {"(双减", NULL}},
	{"/api/search?q=%E5%8F%8C%E5%87%8F%20OR", 400, "", {"双减 OR", NULL}},
	{"/api/search?q=-%E5%8F%8C%E5%87%8F", 400, "", {"--", "-双减", NULL}},
	{"/api/search?q=%FF%FE", 400, "invalid UTF-8", {NULL}},
	{"/api/search?q=%E5%8F", 400, "invalid UTF-8", {NULL}},
	{"/api/search?q=a%00b", 400, "NUL", {NULL}},
	{"/api/search?q%FF=a", 400, "invalid UTF-8", {NULL}},
	{"/api/search", 400, "no query", {NULL}},
	{"/api/search?q=a&limit=x", 400, "limit takes", {NULL}},
	{"/api/search?q=a&limit=-1", 400, "limit takes", {NULL}},
	{"/api/search?q=a&limit=99999999999999999999999", 400, "limit takes", {NULL}},
	{"/api/search?q=a&level=0", 400, "level takes", {NULL}},
	{"/api/search?q=a&scope=page", 400, "scope takes", {NULL}},
	{"/api/search?q=a&any=maybe", 400, "any takes", {NULL}},
	{"/api/search?q=a&q=b", 400, "twice", {NULL}},
	{"/api/search?q=a&colour=red", 400, "unknown parameter", {NULL}},
	{"/api/search?q=%E5%8F%8C%E5%87%8F&city=nowhere", 400, "unknown city",
	 {"--city", "nowhere", "双减", NULL}},
	{"/api/search?q=%E5%8F%8C%E5%87%8F&province=nowhere", 400, "unknown province",
	 {"--province", "nowhere", "双减", NULL}},
	{"/api/cite?id=dalain/3.8.1/2", 400, "closest ids", {"cite", "dalain/3.8.1/2", NULL}},
	{"/api/cite?id=dalian/99.99", 400, "", {"cite", "dalian/99.99", NULL}},
	{"/api/cite?id=..%2F..%2Fetc%2Fpasswd", 400, "", {"cite", "../../etc/passwd", NULL}},
	{"/api/cite", 400, "no id", {NULL}},
	{"/api/cite?id=dalian/3.8.1/2&format=pdf", 400, "format takes", {NULL}},
	{"/api/freq", 400, "no terms", {NULL}},
	{"/api/freq?terms=(x", 400, "term '(x'", {"freq", "(x", NULL}},
	{"/api/freq?terms=x&by=county", 400, "by takes", {NULL}},
	{"/api/freq?terms=x&format=xlsx", 400, "format takes", {NULL}},
	{"/api/freq?terms=x&wide=1", 400, "wide is for csv and tsv", {NULL}},
	{"/api/kwic?q=x&width=10001", 400, "width takes", {NULL}},
	{"/api/kwic?q=x&excel=1", 400, "excel is for csv", {NULL}},
	{"/api/outline?plan=nowhere", 400, "unknown plan", {NULL}},
	{"/api/outline", 400, "no plan", {NULL}},
	{"/api/plans?x=1", 400, "unknown parameter", {NULL}},
	{"/api/nothing", 404, "no such page", {NULL}},
	{"/nothing.html", 404, "no such page", {NULL}},
	{"/../../../../etc/passwd", 404, "no such page", {NULL}},
	{"/%2e%2e/%2e%2e/meson.build", 404, "no such page", {NULL}},
	{"/serve/page/index.html", 404, "no such page", {NULL}},
};

static void test_bad_input_is_answered_with_its_status_and_the_cli_message(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const bad_case_t *c = &bad_cases[i];
		answer_t a = get(c->path);
		if (a.status != c->status)
			fail_msg("%s: %ld, expected %ld: %s", c->path, a.status, c->status, a.body);
		assert_true(strncmp(a.type, "application/json", 16) == 0);
		char *e = error_of(&a);
		if (e == NULL || strstr(e, c->error) == NULL)
			fail_msg("%s: error %s, expected one with '%s'", c->path, a.body, c->error);
		if (c->cli[0] != NULL) {
			const char *args[10] = {0};
			size_t n = 0;
			if (strcmp(c->cli[0], "cite") == 0 || strcmp(c->cli[0], "freq") == 0)
				args[n++] = c->cli[0];
			else
				args[n++] = "--format", args[n++] = "json";
			for (size_t k = args[0] == c->cli[0]; c->cli[k] != NULL; k++)
				args[n++] = c->cli[k];
			run_t r = cli(args);
			assert_int_equal(r.status, 2);
			char *m = cli_message(&r);
			assert_string_equal(e, m);
			free(m);
			run_free(&r);
		}
		free(e);
		answer_free(&a);
	}
}

static void test_oversized_requests_are_414_and_413_and_it_keeps_serving(void **state)
{
	(void)state;
	size_t n = 20000;
	char *url = malloc(n + 32);
	strcpy(url, "/api/search?q=");
	memset(url + strlen(url), 'a', n);
	url[14 + n] = '\0';
	answer_t a = get(url);
	assert_int_equal(a.status, 414);
	answer_free(&a);
	free(url);

	/* a megabyte of target: past what libmicrohttpd reads at all, which refuses it or
	 * drops the connection */
	n = 1 << 20;
	url = malloc(n + 32);
	strcpy(url, "/api/search?q=");
	memset(url + strlen(url), 'b', n);
	url[14 + n] = '\0';
	a = http_or_drop("GET", url, NULL, 0, true);
	assert_true(a.status == 0 || a.status == 414 || a.status == 431 || a.status == 413);
	answer_free(&a);
	free(url);

	char *body = calloc(1, 200000);
	memset(body, 'x', 199999);
	a = http("POST", "/api/search?q=a", body, 199999);
	assert_int_equal(a.status, 413);
	answer_free(&a);
	a = http("POST", "/api/search?q=a", "q=b", 3);
	assert_int_equal(a.status, 405);
	answer_free(&a);
	free(body);

	/* too many parameters */
	url = malloc(8000);
	strcpy(url, "/api/plans?");
	for (int i = 0; i < 400; i++)
		strcat(url, "_=1&");
	a = get(url);
	assert_int_equal(a.status, 400);
	answer_free(&a);
	free(url);

	a = get("/api/search?q=%E5%8F%8C%E5%87%8F");
	assert_int_equal(a.status, 200);
	answer_free(&a);
}

/* Random bytes, percent-escaped, as the values (and sometimes the names) of each
 * endpoint's parameters: every answer is one of the statuses the API gives, and the server
 * is still there after (under the sanitizers, any memory error would have stopped it). */
static void test_random_parameters_never_crash_it(void **state)
{
	(void)state;
	static const char *const paths[] = {"/api/search", "/api/cite", "/api/freq", "/api/kwic",
					    "/api/outline", "/api/plans"};
	static const char *const names[] = {"q", "id", "terms", "plan", "scope", "city",
					    "province", "section", "level", "any", "limit",
					    "offset", "format", "context", "verify", "by", "wide",
					    "excel", "width"};
	static const char pieces[][8] = {"双", "减", "(", ")", "\"", "-", "|", " OR ", " ",
					 "/", "0", "9", "\xff", "\xe5", "%", "\n", "a31", "/p1",
					 "dalian", "丹东", "辽宁", ".", "NOT "};
	unsigned seed = 14;
	for (int i = 0; i < 300; i++) {
		char value[200] = "", *url;
		const char *pairs[7] = {0};
		int n_pieces = (int)(rand_r(&seed) % 12);
		for (int k = 0; k < n_pieces; k++)
			strcat(value, pieces[rand_r(&seed) % (sizeof pieces / sizeof pieces[0])]);
		size_t np = 0;
		pairs[np++] = names[rand_r(&seed) % 4];
		pairs[np++] = value;
		if (rand_r(&seed) % 2) {
			pairs[np++] = names[rand_r(&seed) % (sizeof names / sizeof names[0])];
			pairs[np++] = value + strlen(value) / 2;
		}
		url = url_of(paths[rand_r(&seed) % (sizeof paths / sizeof paths[0])], pairs);
		answer_t a = get(url);
		if (a.status != 200 && a.status != 400 && a.status != 409)
			fail_msg("%s: %ld %s", url, a.status, a.body);
		answer_free(&a);
		free(url);
	}
	answer_t a = get("/api/plans");
	assert_int_equal(a.status, 200);
	answer_free(&a);
}

static void test_the_page_is_served_from_the_binary(void **state)
{
	(void)state;
	answer_t a = get("/");
	assert_int_equal(a.status, 200);
	assert_true(strncmp(a.type, "text/html", 9) == 0);
	answer_t b = get("/index.html");
	assert_int_equal(b.status, 200);
	assert_same_bytes(a.body, a.len, b.body, b.len);
	answer_free(&a);
	answer_free(&b);
}

/* ---- many clients ---- */

#define CLIENTS 8
#define ROUNDS 12

static const char *const concurrent_paths[] = {
	"/api/search?q=%E5%8F%8C%E5%87%8F",
	"/api/search?q=%E8%AF%BE%E5%90%8E%E6%9C%8D%E5%8A%A1&scope=paragraph&limit=50",
	"/api/freq?terms=%E5%8F%8C%E5%87%8F&terms=%E4%BD%9C%E4%B8%9A&by=chapter&format=json",
	"/api/kwic?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88",
	"/api/cite?id=dalian/3.8.1/2&context=2",
	"/api/outline?plan=tonghua",
};
#define N_PATHS (sizeof concurrent_paths / sizeof concurrent_paths[0])

static answer_t expected_answers[N_PATHS];

typedef struct client {
	int id;
	size_t mismatches, done;
} client_t;

static void *client_run(void *arg)
{
	client_t *c = arg;
	for (int r = 0; r < ROUNDS; r++) {
		size_t k = (size_t)(c->id + r) % N_PATHS;
		answer_t a = get(concurrent_paths[k]);
		if (a.status != 200 || a.len != expected_answers[k].len ||
		    memcmp(a.body, expected_answers[k].body, a.len) != 0)
			c->mismatches++;
		c->done++;
		answer_free(&a);
	}
	return NULL;
}

static void test_concurrent_clients_get_the_answers_one_client_gets(void **state)
{
	(void)state;
	for (size_t k = 0; k < N_PATHS; k++) {
		expected_answers[k] = get(concurrent_paths[k]);
		assert_int_equal(expected_answers[k].status, 200);
	}
	pthread_t threads[CLIENTS];
	client_t clients[CLIENTS];
	for (int i = 0; i < CLIENTS; i++) {
		clients[i] = (client_t){.id = i};
		assert_int_equal(pthread_create(&threads[i], NULL, client_run, &clients[i]), 0);
	}
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(clients[i].done, ROUNDS);
		assert_int_equal(clients[i].mismatches, 0);
	}
	for (size_t k = 0; k < N_PATHS; k++)
		answer_free(&expected_answers[k]);
}

/* ---- a rebuild while clients query ---- */

typedef struct reader {
	volatile bool *stop;
	size_t old, new, bad;
	char first_bad[300];
} reader_t;

/* The total of a search answer, or -1 if it is not a 200 with a total. */
static long total_of(const answer_t *a)
{
	if (a->status != 200)
		return -1;
	json_object *o = json_tokener_parse(a->body), *t;
	long total = o && json_object_object_get_ex(o, "total", &t) ? json_object_get_int(t) : -1;
	json_object_put(o);
	return total;
}

static void *reader_run(void *arg)
{
	reader_t *r = arg;
	while (!*r->stop) {
		answer_t a = get("/api/search?q=%E5%8F%8C%E5%87%8F");
		long t = total_of(&a);
		if (t == 4)
			r->old++;
		else if (t == 2)
			r->new++;
		else if (r->bad++ == 0)
			snprintf(r->first_bad, sizeof r->first_bad, "%ld %.200s", a.status, a.body);
		answer_free(&a);
	}
	return NULL;
}

/* The manifest without tonghua (whose plan holds two of 双减's four passages). */
static void drop_tonghua(void)
{
	char path[2200];
	snprintf(path, sizeof path, "%s/manifest.json", corpus);
	json_object *m = json_object_from_file(path), *plans, *kept = json_object_new_array();
	assert_non_null(m);
	assert_true(json_object_object_get_ex(m, "plans", &plans));
	for (size_t i = 0; i < json_object_array_length(plans); i++) {
		json_object *p = json_object_array_get_idx(plans, i), *id;
		assert_true(json_object_object_get_ex(p, "city_id", &id));
		if (strcmp(json_object_get_string(id), "tonghua") != 0)
			json_object_array_add(kept, json_object_get(p));
	}
	json_object_object_add(m, "plans", kept);
	assert_int_equal(json_object_to_file_ext(path, m, JSON_C_TO_STRING_PRETTY), 0);
	json_object_put(m);
}

static void test_a_rebuild_while_clients_query_switches_every_client_to_the_new_index(void **state)
{
	(void)state;
	volatile bool stop = false;
	reader_t readers[4];
	pthread_t threads[4];
	for (int i = 0; i < 4; i++) {
		readers[i] = (reader_t){.stop = &stop};
		assert_int_equal(pthread_create(&threads[i], NULL, reader_run, &readers[i]), 0);
	}
	drop_tonghua();
	run_t r = run((const char *[]){test_env("POLICY_INDEX"), "--quiet", "--corpus", corpus,
				       "--db", db, NULL});
	assert_int_equal(r.status, 0);
	run_free(&r);
	struct timespec t = {0, 300 * 1000 * 1000};
	nanosleep(&t, NULL);
	stop = true;
	size_t old = 0, new = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		if (readers[i].bad != 0)
			fail_msg("reader %d: %zu bad answers, the first: %s", i, readers[i].bad,
				 readers[i].first_bad);
		old += readers[i].old;
		new += readers[i].new;
	}
	assert_true(old > 0);
	assert_true(new > 0);
	/* from now on, the new generation only */
	for (int i = 0; i < 20; i++) {
		answer_t a = get("/api/search?q=%E5%8F%8C%E5%87%8F");
		assert_int_equal(total_of(&a), 2);
		answer_free(&a);
	}
	answer_t p = get("/api/plans");
	assert_contains(p.body, "\"total\":4");
	answer_free(&p);
	answer_t a = get("/api/search?q=%E5%8F%8C%E5%87%8F");
	run_t c = cli((const char *[]){"--format", "json", "双减", NULL});
	assert_same_bytes(a.body, a.len, c.out, c.out_len);
	run_free(&c);
	answer_free(&a);
}

/* ---- the log and the stop ---- */

static void test_sigterm_stops_it_cleanly_after_one_log_line_per_request(void **state)
{
	(void)state;
	answer_t a = get("/api/plans?_=log-probe");
	answer_free(&a);
	a = get("/no-such-file");
	answer_free(&a);
	assert_int_equal(kill(server, SIGTERM), 0);
	int status = -1;
	assert_int_equal(waitpid(server, &status, 0), server);
	server = -1;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	char *log = run_slurp(log_path, NULL);
	assert_contains(log, "GET /api/plans 200 ");
	assert_contains(log, "GET /no-such-file 404 ");
	assert_contains(log, "GET /api/search 400 ");
	assert_contains(log, "POST /api/search 413 ");
	assert_contains(log, "SIGTERM: stopping");
	/* one line per request: every line but the first and last is METHOD PATH STATUS MS */
	size_t lines = 0;
	for (const char *p = log; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_true(lines > 100);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_endpoint_answers_the_bytes_policy_query_writes),
		cmocka_unit_test(test_search_for_shuangjian_unescaped_is_the_cli_json),
		cmocka_unit_test(test_cite_names_plan_files_without_the_servers_directories),
		cmocka_unit_test(test_plans_and_outlines_are_the_catalogue_and_every_section_cites),
		cmocka_unit_test(test_bad_input_is_answered_with_its_status_and_the_cli_message),
		cmocka_unit_test(test_oversized_requests_are_414_and_413_and_it_keeps_serving),
		cmocka_unit_test(test_random_parameters_never_crash_it),
		cmocka_unit_test(test_the_page_is_served_from_the_binary),
		cmocka_unit_test(test_concurrent_clients_get_the_answers_one_client_gets),
		cmocka_unit_test(test_a_rebuild_while_clients_query_switches_every_client_to_the_new_index),
		cmocka_unit_test(test_sigterm_stops_it_cleanly_after_one_log_line_per_request),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
