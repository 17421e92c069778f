/* encoding.c: GB18030 → UTF-8 through ICU's converter, in bounded chunks. */
#include "encoding.h"

#include "strbuf.h"

#include <unicode/ucnv.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* What decoding counted, and where it stopped. */
typedef struct decoded {
	size_t non_ascii, cjk;
	size_t bad; /* offset of the first invalid byte, or (size_t)-1 */
} decoded_t;

static bool is_cjk(UChar32 c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0x3000 && c <= 0x303F) ||
	       (c >= 0xFF00 && c <= 0xFFEF) || c == 0x201C || c == 0x201D;
}

/* Decode `in` as GB18030, appending UTF-8 to *out if it is not NULL. Returns 0, or -1 when
 * the bytes are not GB18030 (d->bad set) or on ICU/memory failure (d->bad stays -1). */
static int decode(const char *in, size_t len, strbuf_t *out, decoded_t *d)
{
	UErrorCode st = U_ZERO_ERROR;
	UConverter *cnv = ucnv_open("gb18030", &st);
	const char *src = in, *end = in + len;
	UChar buf[4096 + 1];
	int32_t carry = 0; /* a lead surrogate left from the last chunk */
	int rc = -1;

	d->non_ascii = d->cjk = 0;
	d->bad = (size_t)-1;
	if (U_FAILURE(st))
		return -1;
	ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
	if (U_FAILURE(st))
		goto out;
	for (;;) {
		UChar *target = buf + carry;
		st = U_ZERO_ERROR;
		UChar *limit = buf + sizeof buf / sizeof buf[0];
		ucnv_toUnicode(cnv, &target, limit, &src, end, NULL, 1, &st);
		bool more = st == U_BUFFER_OVERFLOW_ERROR;
		if (U_FAILURE(st) && !more) {
			char invalid[32];
			int8_t n = sizeof invalid;
			UErrorCode st2 = U_ZERO_ERROR;
			ucnv_getInvalidChars(cnv, invalid, &n, &st2);
			if (st == U_ILLEGAL_CHAR_FOUND || st == U_INVALID_CHAR_FOUND ||
			    st == U_TRUNCATED_CHAR_FOUND)
				d->bad = (size_t)(src - in) - (U_SUCCESS(st2) ? (size_t)n : 0);
			goto out;
		}
		int32_t n = (int32_t)(target - buf), i = 0;
		carry = 0;
		while (i < n) {
			if (U16_IS_LEAD(buf[i]) && i + 1 == n && more) {
				buf[0] = buf[i];
				carry = 1;
				break;
			}
			UChar32 c;
			U16_NEXT(buf, i, n, c);
			if (c >= 0x80) {
				d->non_ascii++;
				d->cjk += is_cjk(c);
			}
			if (out != NULL) {
				char u8[4];
				int32_t k = 0;
				U8_APPEND_UNSAFE(u8, k, c);
				if (strbuf_append(out, u8, (size_t)k) != 0)
					goto out;
			}
		}
		if (!more)
			break;
	}
	rc = 0;
out:
	ucnv_close(cnv);
	return rc;
}

int seg_gb18030_to_utf8(const char *in, size_t len, char **out, size_t *out_len, size_t *bad,
		       char **error)
{
	strbuf_t sb = STRBUF_INIT;
	decoded_t d = {.bad = (size_t)-1};
	int rc = -1;

	/* Chinese text grows from two bytes a character to three: reserve that once. */
	if (strbuf_reserve(&sb, len + len / 2 + 16) != 0 || decode(in, len, &sb, &d) != 0) {
		*bad = d.bad;
		if (d.bad != (size_t)-1)
			strbuf_printf_new(error, "invalid GB18030 at byte %zu", d.bad);
		else
			strbuf_printf_new(error, "out of memory, or ICU has no GB18030 converter");
		goto out;
	}
	*out_len = sb.len;
	*out = strbuf_steal(&sb);
	if (*out == NULL) {
		*bad = (size_t)-1;
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	rc = 0;
out:
	strbuf_free(&sb);
	return rc;
}

bool seg_looks_like_gb18030(const char *in, size_t len)
{
	decoded_t d;
	return decode(in, len, NULL, &d) == 0 && d.cjk > 0 && d.cjk * 2 >= d.non_ascii;
}
