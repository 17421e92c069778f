/* escape.c: control and bidirectional formatting characters written as <U+XXXX> for terminals. */
#include "escape.h"

#include "utf8.h"

#include <string.h>

bool util_char_is_unsafe(int32_t c)
{
	return (c >= 0 && c < 0x20) || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E ||
	       c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

int util_escape_text(strbuf_t *sb, const char *s, size_t n)
{
	size_t i = 0, plain = 0; /* s[plain, i) is safe and not yet appended */
	while (i < n) {
		size_t at = i;
		int32_t c = utf8_next(s, &i, n);
		bool kept = c == '\t' || c == '\n' || (c == '\r' && i < n && s[i] == '\n');
		if (c >= 0 && (kept || !util_char_is_unsafe(c)))
			continue;
		if (strbuf_append(sb, s + plain, at - plain) != 0 ||
		    (c < 0 ? strbuf_printf(sb, "<0x%02X>", (unsigned char)s[at])
			   : strbuf_printf(sb, "<U+%04X>", (unsigned)c)) != 0)
			return -1;
		if (c < 0)
			i = at + 1; /* one byte at a time, each shown */
		plain = i;
	}
	return strbuf_append(sb, s + plain, n - plain);
}

int util_fput_escaped(FILE *out, const char *s, size_t n)
{
	strbuf_t sb = STRBUF_INIT;
	int rc = util_escape_text(&sb, s, n);
	if (rc == 0 && sb.len > 0 && fwrite(sb.data, 1, sb.len, out) != sb.len)
		rc = -1;
	strbuf_free(&sb);
	return rc;
}

int util_fputs_escaped(FILE *out, const char *s)
{
	return util_fput_escaped(out, s, strlen(s));
}
