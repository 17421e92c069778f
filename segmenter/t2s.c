/* t2s.c: OpenCC's traditional-to-simplified conversion, loaded once per process. */
#include "t2s.h"

#include "strbuf.h"

#include <opencc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool seg_t2s_is_key(int32_t c)
{
	if (c < 0)
		return false;
	if (c < 0x30000)
		return (seg_t2s_key_bitmap[c >> 3] >> (c & 7)) & 1;
	for (const int *k = seg_t2s_keys_beyond; *k >= 0; k++)
		if (*k == c)
			return true;
	return false;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static opencc_t converter = (opencc_t)-1;
static char load_error[256];

static void load(void)
{
	converter = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
	if (converter == (opencc_t)-1) {
		const char *why = opencc_error();
		snprintf(load_error, sizeof load_error, "%s", why ? why : "unknown error");
	}
}

int seg_t2s_convert(const char *in, size_t len, char **out, size_t *out_len, char **error)
{
	pthread_once(&once, load);
	if (converter == (opencc_t)-1) {
		strbuf_printf_new(error, "cannot load OpenCC's %s (traditional to simplified "
				  "Chinese): %s; install Debian's libopencc1.1 and its data",
				  OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP, load_error);
		return -1;
	}
	/* OpenCC wants a NUL-terminated input for its buffer variant; its output is never
	 * longer than four bytes a character of input plus the NUL */
	char *copy = malloc(len + 1), *buf = malloc(len * 4 + 1);
	if (copy == NULL || buf == NULL) {
		free(copy);
		free(buf);
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	memcpy(copy, in, len);
	copy[len] = '\0';
	size_t n = opencc_convert_utf8_to_buffer(converter, copy, len, buf);
	free(copy);
	if (n == (size_t)-1) {
		free(buf);
		const char *why = opencc_error();
		strbuf_printf_new(error, "OpenCC could not convert the text: %s",
				  why ? why : "unknown error");
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return 0;
}
