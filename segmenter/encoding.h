/* encoding.h: telling GB18030 text from UTF-8, and converting it, with ICU's converters. */
#ifndef SEG_ENCODING_H
#define SEG_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

/* Convert `len` bytes of GB18030 (which includes GBK and GB2312) to UTF-8. Returns 0 and a
 * malloc'd, NUL-terminated *out (*out_len bytes, the caller frees it), or -1 with a malloc'd
 * message in *error; *bad is then the offset of the first byte that is not GB18030, or
 * (size_t)-1 when ICU or memory failed. *out untouched on failure. */
int seg_gb18030_to_utf8(const char *in, size_t len, char **out, size_t *out_len, size_t *bad,
		       char **error);

/* True when `len` bytes decode as GB18030 without an error and at least half of their
 * non-ASCII characters are CJK ideographs or CJK punctuation: what a Chinese text saved as
 * GBK looks like. Reads the bytes in bounded chunks; allocates nothing; cannot fail. */
bool seg_looks_like_gb18030(const char *in, size_t len);

#endif
