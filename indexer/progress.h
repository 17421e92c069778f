/* progress.h: the indexer's progress line on a terminal: plans, MB, MB/s and the time left. */
#ifndef PI_PROGRESS_H
#define PI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct pi_progress {
	FILE *out;           /* where the line goes; NULL draws nothing */
	size_t plans, bytes; /* the whole job */
	size_t plans_done, bytes_done;
	double started, drawn; /* monotonic seconds: the start, the last line drawn */
} pi_progress_t;

/* Start a job of `plans` plans holding `bytes` bytes, drawn on `out` (NULL for none).
 * Cannot fail. */
void pi_progress_start(pi_progress_t *p, FILE *out, size_t plans, size_t bytes);

/* A plan of `bytes` bytes named `file` is indexed: redraw the line (at most ten times a
 * second, and always for the first and the last plan). Cannot fail. */
void pi_progress_plan(pi_progress_t *p, const char *file, size_t bytes);

/* Every plan is read: say what is left to do (`stage`, e.g. "writing the index") on the
 * line. Cannot fail. */
void pi_progress_stage(pi_progress_t *p, const char *stage);

/* End the line (a newline once something was drawn). Cannot fail. */
void pi_progress_end(pi_progress_t *p);

/* The line as it would be drawn, into buf (for tests): plans done, MB done of the whole,
 * MB/s so far and the time left at that speed, and the file. `elapsed` is seconds since
 * the start. Returns buf. */
char *pi_progress_format(const pi_progress_t *p, const char *file, double elapsed, char *buf,
			 size_t size);

#endif
