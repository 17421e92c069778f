/* sha256.c: SHA-256 in hex, through nettle. */
#include "sha256.h"

#include <nettle/sha2.h>
#include <stdint.h>

void ps_sha256_hex(const char *data, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[PS_SHA256_HEX_LEN] = '\0';
}
