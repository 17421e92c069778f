/* fuzz_manifest.c: libFuzzer target for the manifest reader (pi_manifest_parse). */
#include "manifest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                            \
	do {                                                                                   \
		if (!(cond))                                                                   \
			__builtin_trap();                                                      \
	} while (0)

/* Either a manifest whose every plan passed the checks, or PS_ERR_MANIFEST with a message. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pi_manifest_t *m = NULL;
	char *error = NULL;
	ps_status_t st = pi_manifest_parse((const char *)data, size, "manifest.json", &m, &error);
	if (st != PS_OK) {
		CHECK(m == NULL && error != NULL);
		CHECK(st == PS_ERR_MANIFEST || st == PS_ERR_FAILED);
		CHECK(strncmp(error, "manifest.json", 13) == 0 || st == PS_ERR_FAILED);
		free(error);
		return 0;
	}
	CHECK(error == NULL && m != NULL && m->n_plans > 0);
	for (size_t i = 0; i < m->n_plans; i++) {
		const pi_plan_info_t *p = &m->plans[i];
		size_t n = strlen(p->city_id);
		CHECK(n > 0 && n <= PI_MAX_CITY_ID);
		CHECK(strspn(p->city_id, "abcdefghijklmnopqrstuvwxyz0123456789-_") == n);
		CHECK(p->file[0] != '\0' && p->file[0] != '.' && strchr(p->file, '/') == NULL);
		CHECK(p->body_first >= 1 && p->body_first <= p->body_last);
		CHECK(p->body_last <= PI_MAX_LINES);
		CHECK(p->city && p->province && p->title);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(p->city_id, m->plans[j].city_id) != 0 &&
			      strcmp(p->file, m->plans[j].file) != 0);
	}
	pi_manifest_free(m);
	return 0;
}
