/* ordered.c: rows of output made on several threads at once and written in their order. */
#include "ordered.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

/* Below this many steps a job runs on one thread (a thread's start and the hand-overs cost
 * tens of microseconds; a table cell a few nanoseconds). */
enum { THREADED_WORK = 1 << 18, MOST_THREADS = 4 };

/*
 * Rows are claimed in order, one at a time, by whichever worker is free: it fetches the
 * row under the lock, makes it without, then waits for the row before it to be written and
 * writes its own. A failure at row k stops rows k and after; the rows before k are all
 * claimed by then, and their workers still write them.
 */
typedef struct shared {
	const pq_ordered_rows_t *rows;
	FILE *out;
	pthread_mutex_t lock; /* guards all below, and every fetch */
	pthread_cond_t turn;  /* next moved, or a failure */
	size_t claimed;       /* rows claimed so far: the next to claim */
	size_t next;          /* the row to write next */
	bool failed;
	size_t failed_row;    /* the first row, in row order, that failed */
	char *error;          /* its fetch's message, or NULL */
	int err;              /* else its errno */
} shared_t;

typedef struct worker {
	shared_t *s;
	pthread_t thread;
} worker_t;

/* Record row i's failure unless a row before it failed already; wakes everyone. Takes
 * ownership of error. Call with the lock held. */
static void fail_locked(shared_t *s, size_t i, char *error, int err)
{
	if (!s->failed || i < s->failed_row) {
		free(s->error);
		s->failed = true;
		s->failed_row = i;
		s->error = error;
		s->err = err ? err : EIO;
	} else {
		free(error);
	}
	pthread_cond_broadcast(&s->turn);
}

/* Whether row i is not to be written: a row at or before it failed. */
static bool stopped(const shared_t *s, size_t i)
{
	return s->failed && i >= s->failed_row;
}

static void *work(void *arg)
{
	worker_t *w = arg;
	shared_t *s = w->s;
	const pq_ordered_rows_t *rows = s->rows;
	strbuf_t out = STRBUF_INIT;
	void *room = malloc(rows->room ? rows->room : 1);
	pthread_mutex_lock(&s->lock);
	for (;;) {
		/* claim the next row and fetch it, under the lock */
		size_t i = s->claimed;
		if (i == rows->n_rows || stopped(s, i))
			break;
		s->claimed++;
		const void *got = NULL;
		char *error = NULL;
		if (room == NULL) {
			fail_locked(s, i, NULL, ENOMEM);
			break;
		}
		if (rows->fetch(rows->ctx, i, room, &got, &error) != 0) {
			fail_locked(s, i, error, EIO);
			break;
		}
		pthread_mutex_unlock(&s->lock);
		out.len = 0;
		int made = rows->make(rows->ctx, i, got, &out);
		pthread_mutex_lock(&s->lock);
		if (made != 0) {
			fail_locked(s, i, NULL, ENOMEM);
			break;
		}
		while (s->next != i && !stopped(s, i))
			pthread_cond_wait(&s->turn, &s->lock);
		if (stopped(s, i))
			break;
		/* row i's turn: no other thread writes until next moves on */
		pthread_mutex_unlock(&s->lock);
		errno = 0;
		bool written = out.len == 0 || fwrite(out.data, 1, out.len, s->out) == out.len;
		int err = errno;
		pthread_mutex_lock(&s->lock);
		if (!written) {
			fail_locked(s, i, NULL, err);
			break;
		}
		s->next++;
		pthread_cond_broadcast(&s->turn);
	}
	pthread_mutex_unlock(&s->lock);
	strbuf_free(&out);
	free(room);
	return NULL;
}

int pq_ordered_write(FILE *out, const pq_ordered_rows_t *rows, unsigned threads, char **error)
{
	shared_t s = {.rows = rows, .out = out};
	unsigned n = threads ? threads : 1, started;
	worker_t *w = calloc(n, sizeof *w);
	if (w == NULL) {
		errno = ENOMEM;
		return -1;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.turn, NULL);
	for (unsigned k = 0; k < n; k++)
		w[k].s = &s;
	/* the others on threads of their own (as many as start: fewer only means slower),
	 * the first on this one */
	for (started = 1; started < n; started++)
		if (pthread_create(&w[started].thread, NULL, work, &w[started]) != 0)
			break;
	work(&w[0]);
	for (unsigned k = 1; k < started; k++)
		pthread_join(w[k].thread, NULL);
	pthread_cond_destroy(&s.turn);
	pthread_mutex_destroy(&s.lock);
	free(w);
	if (!s.failed)
		return 0;
	if (s.error != NULL)
		*error = s.error;
	else
		errno = s.err;
	return -1;
}

unsigned pq_ordered_threads(size_t work)
{
	if (work < THREADED_WORK)
		return 1;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores < 1 ? 1 : cores > MOST_THREADS ? MOST_THREADS : (unsigned)cores;
}
