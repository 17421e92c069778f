/* heap.c: glibc's trim and mmap thresholds raised for long-running processes (heap.h). */
#include "heap.h"

#include <stdlib.h> /* defines __GLIBC__ on glibc */

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void util_heap_keep_freed(void)
{
#if defined(__GLIBC__)
	mallopt(M_TRIM_THRESHOLD, UTIL_HEAP_KEEP_MB << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20); /* the largest glibc takes on 64-bit machines */
#endif
}
