/* plan.c: reading and checking one plan file and parsing its body. */
#include "plan.h"

#include "file.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

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

/* Byte offset where 1-based `line` starts, or -1 past the end of the text. */
static long line_start(const char *text, size_t len, int line)
{
	size_t i = 0;
	for (int l = 1; l < line; l++) {
		const char *nl = memchr(text + i, '\n', len - i);
		if (nl == NULL)
			return -1;
		i = (size_t)(nl - text) + 1;
	}
	return i <= len ? (long)i : -1;
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
		strbuf_printf_new(error, "%s: invalid UTF-8 at line %d, byte %ld", path.data,
				  utf8_line_of(plan->text, (size_t)bad), bad);
		goto out;
	}
	long first = line_start(plan->text, plan->len, info->body_first);
	long after = line_start(plan->text, plan->len, info->body_last + 1);
	if (first < 0 || (after < 0 && line_start(plan->text, plan->len, info->body_last) < 0)) {
		strbuf_printf_new(error, "%s: the manifest's body_lines [%d, %d] go past the end "
				  "of the file (%d lines)", path.data, info->body_first,
				  info->body_last, utf8_line_of(plan->text, plan->len));
		goto out;
	}
	plan->body_start = (size_t)first;
	plan->body_end = after < 0 ? plan->len : (size_t)after;
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
