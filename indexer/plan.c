/* plan.c: reading and checking one plan file and parsing its body. */
#include "plan.h"

#include "encoding.h"
#include "file.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Why `text` is not text, or NULL: a known binary format's signature (*at is then
 * (size_t)-1), or a NUL byte, or control bytes in more than 1% of the first 64 KB (*at is
 * then the first such byte). */
static const char *binary_reason(const char *text, size_t len, size_t *at)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} formats[] = {
		{"%PDF-", 5, "a PDF file: extract its text first (pdftotext -layout)"},
		{"PK\x03\x04", 4, "a ZIP archive (a .docx or .wps file?): save it as UTF-8 text"},
		{"\xD0\xCF\x11\xE0", 4, "a Word 97-2003 (.doc) file: save it as UTF-8 text"},
	};
	*at = (size_t)-1;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (len >= formats[i].len && memcmp(text, formats[i].magic, formats[i].len) == 0)
			return formats[i].what;
	const char *nul = memchr(text, '\0', len);
	if (nul != NULL) {
		*at = (size_t)(nul - text);
		return "a NUL byte";
	}
	size_t n = len < 65536 ? len : 65536, controls = 0, first = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
			if (controls++ == 0)
				first = i;
		}
	}
	if (controls > 0 && controls * 100 > n) {
		*at = first;
		return "control bytes";
	}
	return NULL;
}

/* -1 if text is valid UTF-8, else the offset of the first bad byte. */
static long first_invalid_byte(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t at = i;
		if ((unsigned char)text[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_next(text, &i, len) < 0)
			return (long)at;
	}
	return -1;
}

/* Whether the text is nothing but white space (a byte order mark counts as white space). */
static bool all_white_space(const char *text, size_t len)
{
	size_t s = 0, e = len;
	utf8_trim(text, &s, &e);
	return s == e;
}

/* Check that plan->text is text in the file's encoding; convert GB18030 to UTF-8. */
static ps_status_t check_text(pi_plan_t *plan, const char *path, char **error)
{
	const char *t = plan->text;
	size_t len = plan->len, at;

	if (len == 0) {
		strbuf_printf_new(error, "%s: the file is empty", path);
		return PS_ERR_EMPTY;
	}
	if (len >= 2 && (memcmp(t, "\xFF\xFE", 2) == 0 || memcmp(t, "\xFE\xFF", 2) == 0)) {
		strbuf_printf_new(error, "%s: UTF-16 text (it starts with a UTF-16 byte order "
				  "mark): save it as UTF-8", path);
		return PS_ERR_ENCODING;
	}
	const char *why = binary_reason(t, len, &at);
	if (why != NULL) {
		if (at == (size_t)-1)
			strbuf_printf_new(error, "%s: not text but %s", path, why);
		else
			strbuf_printf_new(error, "%s: not text: %s at line %d, byte %zu (a binary "
					  "file?)", path, why, utf8_line_of(t, at), at);
		return PS_ERR_BINARY;
	}
	if (plan->info->encoding == PI_ENCODING_GB18030) {
		char *utf8 = NULL, *msg = NULL;
		size_t n = 0, bad = 0;
		if (seg_gb18030_to_utf8(t, len, &utf8, &n, &bad, &msg) != 0) {
			if (bad == (size_t)-1) {
				strbuf_printf_new(error, "%s: %s", path, msg);
				free(msg);
				return PS_ERR_FAILED;
			}
			strbuf_printf_new(error, "%s: invalid GB18030 at line %d, byte %zu (the "
					  "manifest gives \"encoding\": \"gb18030\")%s", path,
					  utf8_line_of(t, bad), bad,
					  first_invalid_byte(t, len) < 0
						  ? "; the file is valid UTF-8: drop the encoding"
						  : "");
			free(msg);
			return PS_ERR_INVALID_TEXT;
		}
		free(plan->text);
		plan->text = utf8;
		plan->len = n;
		t = utf8;
		len = n;
	} else {
		long bad = first_invalid_byte(t, len);
		if (bad >= 0 && seg_looks_like_gb18030(t, len)) {
			strbuf_printf_new(error,
					  "%s: not UTF-8 (line %d, byte %ld), but it reads as Chinese "
					  "in GB18030 (GBK): add \"encoding\": \"gb18030\" to its "
					  "manifest entry, or convert it with iconv -f GB18030 -t UTF-8",
					  path, utf8_line_of(t, (size_t)bad), bad);
			return PS_ERR_ENCODING;
		}
		if (bad >= 0) {
			strbuf_printf_new(error, "%s: invalid UTF-8 at line %d, byte %ld", path,
					  utf8_line_of(t, (size_t)bad), bad);
			return PS_ERR_INVALID_TEXT;
		}
	}
	if (all_white_space(t, len)) {
		strbuf_printf_new(error, "%s: the file has no text, only white space", path);
		return PS_ERR_EMPTY;
	}
	return PS_OK;
}

/* Lines in the text: a final newline ends the last line, it does not start another. */
static long count_lines(const char *text, size_t len)
{
	long n = 0;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))) != NULL; p++)
		n++;
	return n + (len > 0 && text[len - 1] != '\n');
}

/* Byte offset where 1-based `line` starts; the line must exist. */
static size_t line_start(const char *text, size_t len, long line)
{
	size_t i = 0;
	for (long l = 1; l < line; l++)
		i = (size_t)((const char *)memchr(text + i, '\n', len - i) - text) + 1;
	return i;
}

ps_status_t pi_plan_load(const char *corpus_dir, const pi_plan_info_t *info, pi_plan_t **out,
			 char **error)
{
	strbuf_t path = STRBUF_INIT;
	pi_plan_t *plan = calloc(1, sizeof *plan);
	char *real = NULL; /* where the path leads */
	ps_status_t rc = PS_ERR_FAILED;

	if (plan == NULL || strbuf_printf(&path, "%s/%s", corpus_dir, info->file) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	plan->info = info;
	/* read where the path leads, and only inside the corpus directory: a plan that is a
	 * link to /etc/passwd is not indexed (nor cited, nor its size told) */
	int inside = util_path_inside(corpus_dir, info->file, &real);
	if (inside == 1) {
		strbuf_printf_new(error, "%s leads outside the corpus directory, to %s, through a "
				  "symbolic link; a plan must be a file in the corpus directory "
				  "(copy it in)", path.data, real);
		rc = PS_ERR_MISSING_FILE;
		goto out;
	}
	const char *read_path = inside == 0 ? real : path.data; /* links resolved */
	struct stat st;
	if (stat(read_path, &st) == 0 && st.st_size > PI_MAX_PLAN_BYTES) {
		strbuf_printf_new(error, "%s: %lld bytes is more than a plan may have (%ld)",
				  path.data, (long long)st.st_size, PI_MAX_PLAN_BYTES);
		goto out;
	}
	int rrc = util_read_file(read_path, "a plan", PI_MAX_PLAN_BYTES, true, &plan->text,
				 &plan->len, error);
	free(real);
	real = NULL;
	if (rrc != 0) {
		rc = PS_ERR_MISSING_FILE;
		goto out;
	}
	rc = check_text(plan, path.data, error);
	if (rc != PS_OK)
		goto out;
	rc = PS_ERR_BODY_LINES;
	long lines = count_lines(plan->text, plan->len);
	if (info->body_last > lines) {
		strbuf_printf_new(error, "%s: the manifest's body_lines [%ld, %ld] go past the end "
				  "of the file (%ld lines)", path.data, info->body_first,
				  info->body_last, lines);
		goto out;
	}
	plan->body_start = line_start(plan->text, plan->len, info->body_first);
	plan->body_end = info->body_last == lines
				 ? plan->len
				 : line_start(plan->text, plan->len, info->body_last + 1);
	rc = PS_ERR_FAILED;
	if (seg_document_parse(plan->text, plan->len, plan->body_start, plan->body_end, &plan->doc,
			       error) != 0)
		goto out;
	if (plan->doc->n_clauses == 0) {
		strbuf_printf_new(error, "%s: the manifest's body_lines [%ld, %ld] hold no text",
				  path.data, info->body_first, info->body_last);
		rc = PS_ERR_EMPTY;
		goto out;
	}
	*out = plan;
	plan = NULL;
	rc = PS_OK;
out:
	free(real);
	pi_plan_free(plan);
	strbuf_free(&path);
	return rc;
}

void pi_plan_free(pi_plan_t *plan)
{
	if (plan == NULL)
		return;
	free(plan->text);
	seg_document_free(plan->doc);
	free(plan);
}
