/* t2s.h: folding traditional Chinese characters to simplified with OpenCC's t2s conversion. */
#ifndef SEG_T2S_H
#define SEG_T2S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Generated at build time from OpenCC's dictionaries (gen_t2s_keys.py): a bit per code point
 * below 0x30000 that triggers a t2s conversion (a character t2s changes, or one character
 * of each phrase it changes that holds no such character), and the rare ones above,
 * ending in -1. */
extern const unsigned char seg_t2s_key_bitmap[0x30000 / 8];
extern const int seg_t2s_keys_beyond[];

/* Whether c triggers a t2s conversion: a run of Han characters without any such character
 * is its own simplified form, so most text never reaches OpenCC. Cannot fail. */
bool seg_t2s_is_key(int32_t c);

/* Convert len bytes of UTF-8 at `in` with OpenCC's t2s.json (phrases first, then single
 * characters) into a malloc'd, NUL-terminated *out of *out_len bytes. OpenCC's data is
 * loaded on first use, once per process (thread-safe). Returns 0, or -1 with a malloc'd
 * message in *error (OpenCC's data cannot be loaded, memory). */
int seg_t2s_convert(const char *in, size_t len, char **out, size_t *out_len, char **error);

#endif
