/* sha256.h: a SHA-256 as 64 hex digits (nettle), what the index records of each plan's text. */
#ifndef PS_SHA256_H
#define PS_SHA256_H

#include <stddef.h>

#define PS_SHA256_HEX_LEN 64

/* Write the SHA-256 of data[0,len) as PS_SHA256_HEX_LEN lower-case hex digits and a NUL
 * into hex. Cannot fail. */
void ps_sha256_hex(const char *data, size_t len, char *hex);

#endif
