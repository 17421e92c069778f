/* printed.c: the plan's bytes for text output, with the source's breaks inside sentences marked. */
#include "printed.h"

#include "lines.h"
#include "utf8.h"

#include <string.h>

static bool blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int pq_printed_append(strbuf_t *sb, const char *source, size_t len, size_t start, size_t end)
{
	size_t at = start;
	while (at < end) {
		const char *nl = memchr(source + at, '\n', end - at);
		if (nl == NULL)
			break;
		size_t brk = (size_t)(nl - source); /* the first break after `at` */
		/* the white space around the break, inside the range */
		size_t run_start = brk, run_end = brk + 1;
		while (run_start > at && blank_byte(source[run_start - 1]))
			run_start--;
		while (run_end < end && blank_byte(source[run_end]))
			run_end++;
		size_t line_start = brk;
		while (line_start > 0 && source[line_start - 1] != '\n')
			line_start--;
		const char *next_nl = memchr(source + run_end, '\n', len - run_end);
		size_t next_end = next_nl ? (size_t)(next_nl - source) : len;
		bool soft = run_end < end &&
			    seg_line_continues(source, line_start, brk, run_end, next_end);
		size_t upto = soft ? run_start : run_end;
		if (strbuf_append(sb, source + at, upto - at) != 0 ||
		    (soft && strbuf_append_str(sb, PQ_SOFT_BREAK) != 0))
			return -1;
		at = run_end;
	}
	return strbuf_append(sb, source + at, end - at);
}
