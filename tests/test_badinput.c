/* test_badinput.c: policy-index on bad corpus input: message, exit status, the old index kept. */
#define _DEFAULT_SOURCE /* wait4, for the peak memory of one child */
#include "test.h"

#include "clauses.h"
#include "document.h"
#include "run.h"
#include "strbuf.h"
#include "tmpdir.h"

#include <iconv.h>
#include <json-c/json.h>
#include <sys/stat.h>

/* The four passages 双减 finds in the bundled corpus (README). */
static const char *const shuang_jian_ids[] = {
	"tonghua/3.4/4", "anshan/2.3/0", "tonghua/3.4.b1.3/0", "dandong/2.2/6"};

static struct {
	char *dir;     /* this suite's temporary directory */
	char db[1024]; /* the index every case rebuilds */
	char corpus[1100];
	bool guard;    /* run policy-index under run_guard_child */
} fx;

/* A whole file into memory (*len bytes, NUL-terminated); fails the test if it cannot. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static char *corpus_file(const char *name, size_t *len)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", test_env("CORPUS_DIR"), name);
	return read_all(path, len);
}

/* A fresh copy of the bundled corpus in fx.corpus. */
static void fresh_corpus(void)
{
	static const char *const files[] = {"manifest.json", "dandong.txt", "fuxin.txt",
					    "anshan.txt",    "dalian.txt",  "tonghua.txt"};
	tmpdir_remove(fx.corpus);
	mkdir(fx.corpus, 0755);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		size_t len;
		char *text = corpus_file(files[i], &len);
		tmpdir_write(fx.corpus, files[i], text, len);
		free(text);
	}
}

static void put_file(const char *name, const char *bytes, size_t len)
{
	tmpdir_write(fx.corpus, name, bytes, len);
}

/* Set one field of the manifest entry of `city_id` (value parsed as JSON; NULL removes it),
 * through json-c, and write the manifest back. */
static void set_manifest_field(const char *city_id, const char *key, const char *value_json)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/manifest.json", fx.corpus);
	json_object *root = json_object_from_file(path), *plans = NULL;
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "plans", &plans));
	for (size_t i = 0; i < json_object_array_length(plans); i++) {
		json_object *p = json_object_array_get_idx(plans, i), *id = NULL;
		json_object_object_get_ex(p, "city_id", &id);
		if (strcmp(json_object_get_string(id), city_id) != 0)
			continue;
		if (value_json == NULL)
			json_object_object_del(p, key);
		else
			json_object_object_add(p, key, json_tokener_parse(value_json));
	}
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	tmpdir_write(fx.corpus, "manifest.json", text, strlen(text));
	json_object_put(root);
}

/* `len` bytes of UTF-8 in another encoding, by glibc's iconv (not ICU, which the indexer
 * uses), into a malloc'd buffer. */
static char *convert(const char *to, const char *utf8, size_t len, size_t *out_len)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t cap = len * 2 + 16, left = cap;
	char *out = malloc(cap), *o = out, *in = (char *)utf8;
	assert_int_not_equal(iconv(cd, &in, &len, &o, &left), (size_t)-1);
	iconv_close(cd);
	*out_len = cap - left;
	return out;
}

/* The byte at which 1-based `line` starts, by a scan for newlines. */
static size_t offset_of_line(const char *text, int line)
{
	size_t at = 0;
	for (int l = 1; l < line; l++)
		at = (size_t)(strchr(text + at, '\n') - text) + 1;
	return at;
}

static run_t index_corpus(void)
{
	run_opts_t opts = {.prepare = fx.guard ? run_guard_child : NULL};
	return run_opts(fx.dir, &opts, (const char *[]){test_env("POLICY_INDEX"), "--corpus",
							fx.corpus, "--db", fx.db, "--quiet",
							NULL});
}

/* What policy-query --format json prints for `term` in `db` (parsed; the caller puts it). */
static json_object *query_json(const char *db, const char *const *extra, const char *term)
{
	const char *argv[16] = {test_env("POLICY_QUERY"), "--db", db, "--format", "json", "--all"};
	size_t n = 6;
	for (; extra && *extra; extra++)
		argv[n++] = *extra;
	argv[n++] = term;
	argv[n] = NULL;
	run_t r = run_program(fx.dir, argv);
	if (r.status != 0)
		fail_msg("policy-query %s exited %d: %s", term, r.status, r.err);
	json_object *root = json_tokener_parse(r.out);
	if (root == NULL)
		fail_msg("policy-query printed no JSON: %s", r.out);
	run_free(&r);
	return root;
}

/* The index in fx.db answers 双减 with exactly its four passages. */
static void assert_index_answers_shuang_jian(void)
{
	json_object *root = query_json(fx.db, NULL, "双减"), *total = NULL, *hits = NULL;
	assert_true(json_object_object_get_ex(root, "total", &total));
	assert_int_equal(json_object_get_int(total), 4);
	assert_true(json_object_object_get_ex(root, "hits", &hits));
	assert_int_equal(json_object_array_length(hits), 4);
	for (size_t k = 0; k < 4; k++) {
		bool found = false;
		for (size_t i = 0; i < 4; i++) {
			json_object *id = NULL;
			json_object_object_get_ex(json_object_array_get_idx(hits, i), "id", &id);
			found |= strcmp(json_object_get_string(id), shuang_jian_ids[k]) == 0;
		}
		if (!found)
			fail_msg("双减 no longer finds %s", shuang_jian_ids[k]);
	}
	json_object_put(root);
}

/* The live generation the index stub names. */
static char *live_generation(void)
{
	char path[1100];
	size_t len;
	snprintf(path, sizeof path, "%s/XAPIANDB", fx.db);
	return read_all(path, &len);
}

/* Index fx.corpus into fx.db and expect it to fail with `status` and a message holding every
 * string in `says` (NULL-terminated); the previous index must stay live and unchanged. */
static void expect_refused(int status, const char *const *says)
{
	char *before = live_generation();
	run_t r = index_corpus();
	if (r.status != status)
		fail_msg("policy-index exited %d, expected %d; it said: %s", r.status, status,
			 r.err);
	assert_contains(r.err, "policy-index: ");
	for (; *says; says++)
		assert_contains(r.err, *says);
	assert_int_equal(strchr(r.err, '\n') - r.err + 1, strlen(r.err)); /* one line */
	char *after = live_generation();
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	assert_index_answers_shuang_jian();
}

/* Index fx.corpus into fx.db and expect it to succeed; returns what it wrote on stderr. */
static char *expect_indexed(void)
{
	run_t r = index_corpus();
	if (r.status != 0)
		fail_msg("policy-index exited %d: %s", r.status, r.err);
	free(r.out);
	assert_index_answers_shuang_jian();
	return r.err;
}

static int group_setup(void **state)
{
	(void)state;
	if (tmpdir_setup((void **)&fx.dir) != 0)
		return -1;
	snprintf(fx.db, sizeof fx.db, "%s/index", fx.dir);
	snprintf(fx.corpus, sizeof fx.corpus, "%s/corpus", fx.dir);
	return run_index(fx.dir, test_env("CORPUS_DIR"), fx.db);
}

static int group_teardown(void **state)
{
	(void)state;
	tmpdir_teardown((void **)&fx.dir);
	return 0;
}

static int case_setup(void **state)
{
	(void)state;
	fresh_corpus();
	return 0;
}

static void test_invalid_utf8_exits_5_naming_file_line_and_byte(void **state)
{
	(void)state;
	size_t len;
	char *text = corpus_file("dalian.txt", &len), *bad = malloc(len + 1);
	assert_memory_equal(text + offset_of_line(text, 40), "3.加", 5);
	size_t at = offset_of_line(text, 40) + 5; /* after "3.加", at a character boundary */
	memcpy(bad, text, at);
	bad[at] = '\xff';
	memcpy(bad + at + 1, text + at, len - at);
	put_file("dalian.txt", bad, len + 1);
	char byte[64];
	snprintf(byte, sizeof byte, "line 40, byte %zu", at);
	expect_refused(5, (const char *[]){"dalian.txt", "invalid UTF-8", byte, NULL});
	free(text);
	free(bad);
}

static void test_undeclared_gbk_exits_6_with_a_hint_naming_gb18030(void **state)
{
	(void)state;
	size_t len, glen;
	char *text = corpus_file("anshan.txt", &len), *gbk = convert("GB18030", text, len, &glen);
	put_file("anshan.txt", gbk, glen);
	expect_refused(6, (const char *[]){"anshan.txt", "GB18030", "\"encoding\": \"gb18030\"",
					   "line 1, byte 0", NULL});
	free(text);
	free(gbk);
}

/* With "encoding": "gb18030" the plan is converted; its offsets are those of its UTF-8 text,
 * which is the bundled anshan.txt byte for byte. */
static void test_declared_gbk_is_converted_and_offsets_refer_to_its_utf8_text(void **state)
{
	(void)state;
	size_t len, glen;
	char *text = corpus_file("anshan.txt", &len), *gbk = convert("GBK", text, len, &glen);
	assert_int_not_equal(glen, len);
	put_file("anshan.txt", gbk, glen);
	set_manifest_field("anshan", "encoding", "\"gb18030\"");
	free(expect_indexed());
	json_object *root = query_json(fx.db, (const char *[]){"--city", "anshan", NULL}, "的");
	json_object *hits = NULL, *v = NULL;
	json_object_object_get_ex(root, "hits", &hits);
	assert_true(json_object_array_length(hits) > 50);
	for (size_t i = 0; i < json_object_array_length(hits); i++) {
		json_object *h = json_object_array_get_idx(hits, i);
		json_object_object_get_ex(h, "start", &v);
		size_t start = (size_t)json_object_get_int64(v);
		json_object_object_get_ex(h, "end", &v);
		size_t end = (size_t)json_object_get_int64(v);
		json_object_object_get_ex(h, "text", &v);
		assert_bytes_equal(text, start, end, json_object_get_string(v));
	}
	json_object_put(root);
	free(text);
	free(gbk);
}

static void test_declared_gb18030_with_a_bad_byte_exits_5_naming_line_and_byte(void **state)
{
	(void)state;
	size_t len, glen;
	char *text = corpus_file("anshan.txt", &len), *gbk = convert("GB18030", text, len, &glen);
	size_t at = offset_of_line(gbk, 3); /* GB18030 keeps ASCII newlines */
	gbk[at] = '\x81';                   /* a lead byte followed by a newline: invalid */
	gbk[at + 1] = '\n';
	put_file("anshan.txt", gbk, glen);
	set_manifest_field("anshan", "encoding", "\"gb18030\"");
	char byte[64];
	snprintf(byte, sizeof byte, "line 3, byte %zu", at);
	expect_refused(5, (const char *[]){"anshan.txt", "invalid GB18030", byte, NULL});
	free(text);
	free(gbk);
}

static void test_utf16_exits_6_saying_so(void **state)
{
	(void)state;
	size_t len, ulen;
	char *text = corpus_file("fuxin.txt", &len), *u16 = convert("UTF-16", text, len, &ulen);
	put_file("fuxin.txt", u16, ulen);
	expect_refused(6, (const char *[]){"fuxin.txt", "UTF-16", NULL});
	free(text);
	free(u16);
}

/* A byte order mark and CRLF line ends are accepted; every offset and line still points at
 * the file's own bytes, and no passage ends in a CR. */
static void test_bom_and_crlf_are_indexed_with_offsets_into_the_original_bytes(void **state)
{
	(void)state;
	size_t len, n = 3;
	char *text = corpus_file("anshan.txt", &len), *crlf = malloc(2 * len + 3);
	memcpy(crlf, "\xEF\xBB\xBF", 3);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = text[i];
	}
	put_file("anshan.txt", crlf, n);
	crlf[n] = '\0';
	free(expect_indexed());
	json_object *root = query_json(fx.db, (const char *[]){"--city", "anshan", NULL}, "的");
	json_object *hits = NULL, *v = NULL;
	json_object_object_get_ex(root, "hits", &hits);
	assert_true(json_object_array_length(hits) > 50);
	for (size_t i = 0; i < json_object_array_length(hits); i++) {
		json_object *h = json_object_array_get_idx(hits, i);
		json_object_object_get_ex(h, "start", &v);
		size_t start = (size_t)json_object_get_int64(v);
		json_object_object_get_ex(h, "end", &v);
		size_t end = (size_t)json_object_get_int64(v);
		json_object_object_get_ex(h, "line", &v);
		int line = 1;
		for (size_t b = 0; b < start; b++)
			line += crlf[b] == '\n';
		assert_int_equal(json_object_get_int(v), line);
		json_object_object_get_ex(h, "text", &v);
		assert_bytes_equal(crlf, start, end, json_object_get_string(v));
		assert_null(strchr(json_object_get_string(v), '\r'));
	}
	json_object_put(root);
	free(text);
	free(crlf);
}

static void test_an_empty_file_exits_8(void **state)
{
	(void)state;
	put_file("fuxin.txt", "", 0);
	expect_refused(8, (const char *[]){"fuxin.txt", "empty", NULL});
}

static void test_a_file_of_white_space_exits_8(void **state)
{
	(void)state;
	const char *blank = "\xEF\xBB\xBF  \r\n\xE3\x80\x80\n\n";
	put_file("fuxin.txt", blank, strlen(blank));
	expect_refused(8, (const char *[]){"fuxin.txt", "no text", NULL});
}

static void test_a_file_with_no_headings_is_one_section_with_a_warning(void **state)
{
	(void)state;
	const char *plain = "阜新市教育规划\n坚持立德树人。推进教育公平，办好人民满意的教育。\n"
			    "全面提高质量。\n";
	put_file("fuxin.txt", plain, strlen(plain));
	set_manifest_field("fuxin", "body_lines", "[2, 3]");
	char *err = expect_indexed();
	assert_contains(err, "policy-index: warning: fuxin.txt: no headings");
	free(err);
	json_object *root = query_json(fx.db, (const char *[]){"--city", "fuxin", NULL}, "教育公平");
	json_object *hits = NULL, *v = NULL;
	json_object_object_get_ex(root, "hits", &hits);
	assert_int_equal(json_object_array_length(hits), 1);
	json_object_object_get_ex(json_object_array_get_idx(hits, 0), "id", &v);
	assert_string_equal(json_object_get_string(v), "fuxin/0/2");
	json_object_put(root);
}

/* Bytes that must not reach a terminal raw: ESC, BEL, U+009B (CSI), U+202E (right-to-left
 * override). Fails naming what printed which. */
static void assert_no_raw_controls(const char *what, const char *out)
{
	static const char *const raw[] = {"\x1B", "\x07", "\xC2\x9B", "\xE2\x80\xAE"};
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
		if (strstr(out, raw[i]) != NULL)
			fail_msg("%s prints a raw control character (%zu):\n%s", what, i, out);
}

/* A plan may hold a control character here and there (fewer than 1% of its bytes) and, as
 * valid UTF-8, C1 controls and bidirectional overrides: every text output shows them as
 * <U+XXXX> instead of letting them drive the terminal. */
static void test_control_characters_in_plan_text_are_shown_escaped_in_text_output(void **state)
{
	(void)state;
	size_t len;
	char *text = corpus_file("tonghua.txt", &len);
	strbuf_t sb = STRBUF_INIT;
	const char *heading = strstr(text, "三、主要任务"), *body = strstr(text, "持续开展“双减”工作。");
	assert_non_null(heading);
	assert_non_null(body);
	assert_true(heading < body);
	strbuf_append(&sb, text, (size_t)(heading - text) + strlen("三、主要"));
	strbuf_append_str(&sb, "\xE2\x80\xAE"); /* U+202E inside a chapter's title */
	strbuf_append(&sb, heading + strlen("三、主要"), (size_t)(body - heading) - strlen("三、主要"));
	strbuf_append_str(&sb, "\x1B[31m\xC2\x9B\x07"); /* an escape sequence, CSI, BEL */
	strbuf_append(&sb, body, len - (size_t)(body - text));
	put_file("tonghua.txt", sb.data, sb.len);
	strbuf_free(&sb);
	free(text);
	free(expect_indexed());

	const char *pq = test_env("POLICY_QUERY");
	const char *const runs[][12] = {
		{pq, "--db", fx.db, "--city", "通化", "双减", NULL},
		{pq, "--db", fx.db, "--city", "通化", "--scope", "section", "--level", "2", "双减",
		 NULL},
		{pq, "cite", "--db", fx.db, "--corpus", fx.corpus, "tonghua/3.4", NULL},
		{pq, "cite", "--db", fx.db, "--corpus", fx.corpus, "--format", "markdown",
		 "tonghua/3.4", NULL},
		{pq, "kwic", "--db", fx.db, "--city", "通化", "--width", "30", "双减", NULL},
		{test_env("POLICY_INDEX"), "--outline", "--corpus", fx.corpus, NULL},
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		run_t r = run_program(fx.dir, runs[i]);
		if (r.status != 0)
			fail_msg("%s %s: exit %d: %s", runs[i][0], runs[i][1], r.status, r.err);
		assert_no_raw_controls(runs[i][1], r.out);
		bool body_shown = i < 5, heading_shown = i != 4;
		if (body_shown) { /* (Markdown escapes the [ between them) */
			assert_contains(r.out, "<U+001B>");
			assert_contains(r.out, "<U+009B><U+0007>持续开展");
		}
		if (heading_shown)
			assert_contains(r.out, "主要<U+202E>任务");
		run_free(&r);
	}
}

/* 50 MB on one line, mostly blank so that it indexes quickly: 12,800 stretches of text 4,096
 * bytes apart, with no clause terminator anywhere. It is indexed in pieces, and the build's
 * peak memory stays within a few times the file's size (one clause of the whole line used to
 * need its normalised copy, its stored text twice and its JSON escaping on top). */
static void test_a_50_mb_single_line_file_is_indexed_in_bounded_memory(void **state)
{
	(void)state;
	const char *words = "推进教育现代化";
	const size_t block = SEG_MAX_CLAUSE_BYTES, n_blocks = 12800, size = block * n_blocks;
	char *big = malloc(size + 1);
	assert_non_null(big);
	memset(big, ' ', size);
	for (size_t b = 0; b < n_blocks; b++)
		memcpy(big + b * block, words, strlen(words));
	memcpy(big + size - 20, "末尾标记", 12); /* found only if the end is indexed */
	big[size] = '\n';
	put_file("fuxin.txt", big, size + 1);
	free(big);
	set_manifest_field("fuxin", "body_lines", "[1, 1]");
	long limit_kb = 4 * (long)(size >> 10) + 200 * 1024;
#if UNDER_ASAN
	/* AddressSanitizer's shadow memory and its quarantine of freed blocks (256 MB unless
	 * told otherwise) are not the program's: shrink the one, allow for the other. */
	char asan[512], was_options[400];
	const char *was = getenv("ASAN_OPTIONS");
	if (was != NULL) { /* setenv may free the string getenv returned */
		snprintf(was_options, sizeof was_options, "%s", was);
		was = was_options;
	}
	snprintf(asan, sizeof asan, "%s%squarantine_size_mb=16", was ? was : "", was ? ":" : "");
	setenv("ASAN_OPTIONS", asan, 1);
	limit_kb += 200 * 1024;
#endif
	run_t r = index_corpus();
#if UNDER_ASAN
	if (was)
		setenv("ASAN_OPTIONS", was, 1);
	else
		unsetenv("ASAN_OPTIONS");
#endif
	if (r.status != 0)
		fail_msg("policy-index exited %d: %s", r.status, r.err);
	fprintf(stderr, "# peak memory indexing a %zu MB line: %ld MB (limit %ld MB)\n",
		size >> 20, r.max_rss_kb >> 10, limit_kb >> 10);
	assert_true(r.max_rss_kb < limit_kb);
	run_free(&r);
	assert_index_answers_shuang_jian();
	json_object *root = query_json(fx.db, NULL, "末尾标记"), *hits = NULL, *v = NULL;
	json_object_object_get_ex(root, "hits", &hits);
	assert_int_equal(json_object_array_length(hits), 1);
	json_object_object_get_ex(json_object_array_get_idx(hits, 0), "start", &v);
	assert_int_equal(json_object_get_int64(v), size - block); /* the last piece */
	json_object_object_get_ex(json_object_array_get_idx(hits, 0), "end", &v);
	assert_int_equal(json_object_get_int64(v), size - 8);
	json_object_put(root);
}

static void test_a_binary_file_exits_7(void **state)
{
	(void)state;
	const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	put_file("dalian.txt", png, sizeof png - 1);
	expect_refused(7, (const char *[]){"dalian.txt", "NUL byte", "line 3, byte 8", NULL});
}

static void test_a_pdf_exits_7_saying_it_is_a_pdf(void **state)
{
	(void)state;
	const char *pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
	put_file("dalian.txt", pdf, strlen(pdf));
	expect_refused(7, (const char *[]){"dalian.txt", "PDF", NULL});
}

static void test_a_listed_file_that_is_missing_exits_4_naming_every_one(void **state)
{
	(void)state;
	char path[1200];
	snprintf(path, sizeof path, "%s/tonghua.txt", fx.corpus);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof path, "%s/fuxin.txt", fx.corpus);
	assert_int_equal(unlink(path), 0);
	expect_refused(4, (const char *[]){"2 files listed in manifest.json are missing",
					   "tonghua.txt", "fuxin.txt", NULL});
}

/* A plan file that is a link to a file outside the corpus directory (p.txt -> /etc/passwd)
 * used to be indexed, and cite printed it: it is refused, by a build, --add and --check; a
 * link to another file inside the corpus is fine. */
static void test_a_plan_that_leads_outside_the_corpus_is_refused_and_one_inside_is_indexed(
	void **state)
{
	(void)state;
	char outside_dir[1200], outside[1300], inside[1300], path[1300], chain[1300];
	size_t len;
	char *text = corpus_file("fuxin.txt", &len); /* a valid plan, so only the place matters */
	snprintf(outside_dir, sizeof outside_dir, "%s/outside", fx.dir);
	mkdir(outside_dir, 0755);
	tmpdir_write(outside_dir, "fuxin.txt", text, len);
	snprintf(outside, sizeof outside, "%s/fuxin.txt", outside_dir);
	snprintf(path, sizeof path, "%s/fuxin.txt", fx.corpus);
	snprintf(chain, sizeof chain, "%s/chain.txt", fx.corpus);

	/* a link to the outside copy, directly or through a link inside the corpus */
	const char *const targets[] = {outside, "chain.txt"};
	assert_int_equal(symlink(outside, chain), 0);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(unlink(path), 0);
		assert_int_equal(symlink(targets[i], path), 0);
		expect_refused(4, (const char *[]){"fuxin.txt (plans[1], fuxin) leads to", outside,
						   "outside the corpus directory", NULL});
		const char *const argvs[][10] = {
			{test_env("POLICY_INDEX"), "--add", "fuxin.txt", "--corpus", fx.corpus,
			 "--db", fx.db, NULL},
			{test_env("POLICY_INDEX"), "--check", "--corpus", fx.corpus, "--db", fx.db,
			 NULL},
		};
		for (size_t k = 0; k < 2; k++) {
			run_t r = run_program(fx.dir, argvs[k]);
			const char *says = k == 0 ? r.err : r.out;
			if (r.status != 1 || strstr(says, "leads outside the corpus directory") == NULL)
				fail_msg("%s: exit %d, stdout: %s, stderr: %s", argvs[k][1], r.status,
					 r.out, r.err);
			run_free(&r);
		}
	}
	assert_index_answers_shuang_jian();

	/* a link to a file in a sub-directory of the corpus is indexed */
	snprintf(inside, sizeof inside, "%s/originals", fx.corpus);
	mkdir(inside, 0755);
	tmpdir_write(inside, "fuxin.txt", text, len);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("originals/fuxin.txt", path), 0);
	assert_int_equal(unlink(chain), 0);
	free(expect_indexed());
	free(text);
}

static void test_a_file_the_manifest_does_not_list_is_a_warning(void **state)
{
	(void)state;
	put_file("notes.txt", "草稿\n", 7);
	char *err = expect_indexed();
	assert_contains(err, "policy-index: warning: ");
	assert_contains(err, "notes.txt is not listed in manifest.json");
	free(err);
}

static void test_malformed_manifest_exits_3_with_line_column_and_what_was_expected(void **state)
{
	(void)state;
	size_t len;
	char *text = corpus_file("manifest.json", &len);
	char *at = strstr(text, "\"city_id\": \"fuxin\",");
	assert_non_null(at);
	at[strlen("\"city_id\": \"fuxin\"")] = ' '; /* the comma after it is gone */
	int line = 1;
	for (char *p = text; p < at; p++)
		line += *p == '\n';
	put_file("manifest.json", text, len);
	char where[64];
	snprintf(where, sizeof where, "manifest.json:%d:", line + 1); /* the next key's line */
	expect_refused(3, (const char *[]){where, "malformed JSON",
					   "object value separator ',' expected", NULL});
	free(text);
}

/* A manifest that is a link to /dev/zero used to be read until memory ran out, and a FIFO
 * with no writer made the build wait for ever: anything but a regular file is refused
 * before it is read. */
static void test_a_manifest_that_is_not_a_regular_file_exits_3_without_being_read(void **state)
{
	(void)state;
	static const struct {
		const char *make; /* "zero", "fifo", "dir" */
		const char *says;
	} cases[] = {
		{"zero", "manifest.json: a manifest must be a regular file, not a character device"},
		{"fifo", "manifest.json: a manifest must be a regular file, not a FIFO"},
		{"dir", "manifest.json: a manifest must be a regular file, not a directory"},
	};
	char path[1200];
	snprintf(path, sizeof path, "%s/manifest.json", fx.corpus);
	fx.guard = true;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(unlink(path), 0);
		if (strcmp(cases[i].make, "zero") == 0)
			assert_int_equal(symlink("/dev/zero", path), 0);
		else if (strcmp(cases[i].make, "fifo") == 0)
			assert_int_equal(mkfifo(path, 0644), 0);
		else
			assert_int_equal(mkdir(path, 0755), 0);
		expect_refused(3, (const char *[]){cases[i].says, NULL});
		assert_int_equal(remove(path), 0);
		tmpdir_write(fx.corpus, "manifest.json", "{}", 2);
	}
	fx.guard = false;
}

static void test_a_wrong_manifest_value_exits_3_naming_plan_and_field(void **state)
{
	(void)state;
	set_manifest_field("dalian", "body_lines", "\"14-286\"");
	expect_refused(3, (const char *[]){"plans[3]", "body_lines", NULL});
}

static void test_an_unknown_encoding_exits_3(void **state)
{
	(void)state;
	set_manifest_field("dalian", "encoding", "\"big5\"");
	expect_refused(3, (const char *[]){"plans[3]", "encoding", "gb18030", NULL});
}

static void test_body_lines_past_the_end_exit_9(void **state)
{
	(void)state;
	set_manifest_field("anshan", "body_lines", "[2, 5000]");
	expect_refused(9, (const char *[]){"anshan.txt", "body_lines [2, 5000]", NULL});
}

/* The segmenter cuts a line with no terminator into clauses of at most SEG_MAX_CLAUSE_BYTES,
 * at character boundaries, that together are the whole line. */
static void test_a_long_line_without_terminators_is_cut_at_character_boundaries(void **state)
{
	(void)state;
	const char *unit = "教育a"; /* 4 bytes: the cuts fall inside characters unless moved */
	size_t n = 300000, len = n * 4;
	char *text = malloc(len + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(text + 4 * i, unit, 4);
	text[len] = '\0';
	seg_document_t *doc = NULL;
	char *error = NULL;
	assert_int_equal(seg_document_parse(text, len, 0, len, &doc, &error), 0);
	assert_true(doc->n_clauses >= len / SEG_MAX_CLAUSE_BYTES);
	size_t next = 0;
	for (size_t c = 0; c < doc->n_clauses; c++) {
		const seg_clause_t *cl = &doc->clauses[c];
		assert_int_equal(cl->start, next);
		assert_true(cl->end - cl->start <= SEG_MAX_CLAUSE_BYTES);
		assert_true(((unsigned char)text[cl->start] & 0xC0) != 0x80);
		assert_int_equal(cl->ordinal, (int)c + 1);
		next = cl->end;
	}
	assert_int_equal(next, len);
	seg_document_free(doc);
	free(text);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, case_setup)
#define U(fn) cmocka_unit_test(fn)
	const struct CMUnitTest tests[] = {
		T(test_invalid_utf8_exits_5_naming_file_line_and_byte),
		T(test_undeclared_gbk_exits_6_with_a_hint_naming_gb18030),
		T(test_declared_gbk_is_converted_and_offsets_refer_to_its_utf8_text),
		T(test_declared_gb18030_with_a_bad_byte_exits_5_naming_line_and_byte),
		T(test_utf16_exits_6_saying_so),
		T(test_bom_and_crlf_are_indexed_with_offsets_into_the_original_bytes),
		T(test_an_empty_file_exits_8),
		T(test_a_file_of_white_space_exits_8),
		T(test_a_file_with_no_headings_is_one_section_with_a_warning),
		T(test_control_characters_in_plan_text_are_shown_escaped_in_text_output),
		T(test_a_50_mb_single_line_file_is_indexed_in_bounded_memory),
		T(test_a_binary_file_exits_7),
		T(test_a_pdf_exits_7_saying_it_is_a_pdf),
		T(test_a_listed_file_that_is_missing_exits_4_naming_every_one),
		T(test_a_plan_that_leads_outside_the_corpus_is_refused_and_one_inside_is_indexed),
		T(test_a_file_the_manifest_does_not_list_is_a_warning),
		T(test_malformed_manifest_exits_3_with_line_column_and_what_was_expected),
		T(test_a_manifest_that_is_not_a_regular_file_exits_3_without_being_read),
		T(test_a_wrong_manifest_value_exits_3_naming_plan_and_field),
		T(test_an_unknown_encoding_exits_3),
		T(test_body_lines_past_the_end_exit_9),
		U(test_a_long_line_without_terminators_is_cut_at_character_boundaries),
	};
#undef T
#undef U
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
