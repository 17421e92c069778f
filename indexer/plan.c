/* plan.c: reading and checking one plan file and parsing its body. */
#include "plan.h"

#include "file.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* -1 if text is valid UTF-8 with no NUL byte, else the offset of the first bad byte. */
static long first_invalid_byte(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t at = i;
		if (text[i] == '\0')
			return (long)at;
		if ((unsigned char)text[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_next(text, &i, len) < 0)
			return (long)at;
	}
	return -1;
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

int pi_plan_load(const char *corpus_dir, const pi_plan_info_t *info, pi_plan_t **out,
		 char **error)
{
	strbuf_t path = STRBUF_INIT;
	pi_plan_t *plan = calloc(1, sizeof *plan);
	int rc = -1;

	if (plan == NULL || strbuf_printf(&path, "%s/%s", corpus_dir, info->file) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	plan->info = info;
	if (util_read_file(path.data, &plan->text, &plan->len, error) != 0)
		goto out;
	long bad = first_invalid_byte(plan->text, plan->len);
	if (bad >= 0) {
		strbuf_printf_new(error, "%s: %s at line %d, byte %ld", path.data,
				  plan->text[bad] == '\0' ? "a NUL byte (not a text file?)"
							  : "invalid UTF-8",
				  utf8_line_of(plan->text, (size_t)bad), bad);
		goto out;
	}
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
	if (seg_document_parse(plan->text, plan->len, plan->body_start, plan->body_end, &plan->doc,
			       error) != 0)
		goto out;
	*out = plan;
	plan = NULL;
	rc = 0;
out:
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
