/* test_heap.c: a long-running process keeps the memory a query freed for the next one. */
#include "heap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* glibc's own allocator: AddressSanitizer replaces it (and mallinfo2 with it) */
#if defined(__SANITIZE_ADDRESS__)
#define GLIBC_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GLIBC_MALLOC 0
#endif
#endif
#if !defined(GLIBC_MALLOC) && defined(__GLIBC__)
#define GLIBC_MALLOC 1
#include <malloc.h>
#endif
#if !defined(GLIBC_MALLOC)
#define GLIBC_MALLOC 0
#endif

static void test_a_freed_block_of_megabytes_stays_in_the_heap_for_the_next_query(void **state)
{
	(void)state;
#if GLIBC_MALLOC
	util_heap_keep_freed();
	enum { BLOCK = 8 << 20 }; /* over glibc's default mmap threshold and trim threshold */
	char *a = malloc(BLOCK);
	assert_non_null(a);
	memset(a, 1, BLOCK);
	free(a);
	/* with glibc's defaults the block was a mapping of its own, unmapped by free: the
	 * heap (arena) would hold none of it */
	struct mallinfo2 m = mallinfo2();
	assert_true(m.arena >= BLOCK);
	assert_true(m.fordblks >= BLOCK); /* free, and kept */
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_a_freed_block_of_megabytes_stays_in_the_heap_for_the_next_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
