/* heap.h: the C library's heap set up for a process that answers many queries in a row. */
#ifndef UTIL_HEAP_H
#define UTIL_HEAP_H

/*
 * A search allocates a few megabytes (posting-list blocks, facet and result arrays) and
 * frees them when it ends. By default glibc gives freed memory at the top of the heap, and
 * every block over its mmap threshold, back to the kernel at once, so the next search
 * faults the same pages in again: at 1000x a quarter of an in-process search's time went to
 * those page faults. Keeping up to UTIL_HEAP_KEEP_MB of freed memory, and serving blocks up
 * to 32 MB from the heap, lets one query reuse the last one's pages. For policy-serve and
 * the benchmark's in-process loop; a one-shot command gains nothing. Cannot fail (a C
 * library without mallopt keeps its defaults).
 */
#define UTIL_HEAP_KEEP_MB 64

void util_heap_keep_freed(void);

#endif
