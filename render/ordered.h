/* ordered.h: rows of output made on several threads at once and written in their order. */
#ifndef PQ_ORDERED_H
#define PQ_ORDERED_H

#include "strbuf.h"

#include <stddef.h>
#include <stdio.h>

/*
 * Rows 0 .. n_rows-1 of an output. Each is fetched (its data read: one thread at a time)
 * and then made (its bytes put together: on several threads at once), and written in row
 * order. A big table spends most of its time making rows; this spreads that over the
 * machine's cores while what the rows are made from is read one row at a time.
 */
typedef struct pq_ordered_rows {
	size_t n_rows;
	size_t room; /* bytes of room each thread gets for fetch */
	/* Row i's data: into room, or anywhere that stays valid until this thread's next
	 * fetch, in *got. Called with a lock held, one call at a time. Returns 0, or -1
	 * with a malloc'd message in *error. */
	int (*fetch)(void *ctx, size_t i, void *room, const void **got, char **error);
	/* Append row i's bytes, made from what fetch gave, to out (its len is 0 on entry).
	 * Called on several threads at once, so it may only read what ctx shares. Returns
	 * 0, or -1 when out of memory. */
	int (*make)(void *ctx, size_t i, const void *got, strbuf_t *out);
	void *ctx;
} pq_ordered_rows_t;

/*
 * Write every row to out in order, made on up to `threads` threads (this one among them;
 * 1: only this one, no thread is started; a thread that cannot be started is done
 * without). A failure at a row stops that row and the ones after it; every row before it
 * is written.
 * Returns 0; or -1 with fetch's message in *error; or -1 with *error untouched and errno
 * set when a write fails or memory runs out.
 */
int pq_ordered_write(FILE *out, const pq_ordered_rows_t *rows, unsigned threads, char **error);

/* How many threads a job of `work` small steps (cells of a table) is worth on this
 * machine: 1 for small jobs, where starting a thread costs more than it saves; else the
 * cores online, at most 4. Cannot fail. */
unsigned pq_ordered_threads(size_t work);

#endif
