/* test.h: what every test file includes: cmocka in the order it needs, and domain asserts. */
#ifndef TESTS_TEST_H
#define TESTS_TEST_H

/* cmocka needs these before its own header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 in a build with AddressSanitizer (-Db_sanitize=address,...): its shadow memory and
 * quarantine change what a memory measurement means. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* Assert that bytes [start,end) of `text` are exactly the NUL-terminated `expected`. */
#define assert_bytes_equal(text, start, end, expected)                                         \
	do {                                                                                   \
		size_t _s = (start), _e = (end);                                               \
		const char *_x = (expected);                                                   \
		if (_e - _s != strlen(_x) || memcmp((text) + _s, _x, _e - _s) != 0)            \
			fail_msg("bytes [%zu,%zu) are \"%.*s\", expected \"%s\"", _s, _e,       \
				 (int)(_e - _s), (text) + _s, _x);                               \
	} while (0)

/* Assert that the string haystack contains needle, showing haystack when it does not. */
#define assert_contains(haystack, needle)                                                      \
	do {                                                                                   \
		if (strstr((haystack), (needle)) == NULL)                                      \
			fail_msg("expected \"%s\" in:\n%s", (needle), (haystack));              \
	} while (0)

/* The corpus directory and built programs, from the environment meson test sets. */
static inline const char *test_env(const char *name)
{
	const char *v = getenv(name);
	if (v == NULL || *v == '\0') {
		fprintf(stderr, "test: %s is not set (run the tests with meson test)\n", name);
		exit(1);
	}
	return v;
}

#endif
