/* progress.c: the indexer's progress line, redrawn in place with a carriage return. */
#include "progress.h"

#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pi_progress_start(pi_progress_t *p, FILE *out, size_t plans, size_t bytes)
{
	*p = (pi_progress_t){.out = out, .plans = plans, .bytes = bytes, .started = now(),
			     .drawn = -1};
}

/* "1h02m", "3m05s", "42s" */
static void duration(double s, char *buf, size_t size)
{
	unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, size, "%luh%02lum", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, size, "%lum%02lus", t / 60, t % 60);
	else
		snprintf(buf, size, "%lus", t);
}

char *pi_progress_format(const pi_progress_t *p, const char *file, double elapsed, char *buf,
			 size_t size)
{
	double mb = (double)p->bytes_done / 1e6, total = (double)p->bytes / 1e6;
	int n = snprintf(buf, size, "indexing %zu/%zu plan%s · %.1f/%.1f MB", p->plans_done,
			 p->plans, p->plans == 1 ? "" : "s", mb, total);
	/* a speed and an estimate only once there is something to go on */
	if (n > 0 && (size_t)n < size && elapsed >= 1 && p->bytes_done > 0) {
		double rate = mb / elapsed;
		char left[32];
		duration((total - mb) / rate, left, sizeof left);
		n += snprintf(buf + n, size - (size_t)n, " · %.2f MB/s · %s left", rate, left);
	}
	if (n > 0 && (size_t)n < size && file != NULL)
		snprintf(buf + n, size - (size_t)n, " · %s", file);
	return buf;
}

static void draw(pi_progress_t *p, const char *file, bool force)
{
	if (p->out == NULL)
		return;
	double t = now();
	if (!force && p->drawn >= 0 && t - p->drawn < 0.1)
		return;
	p->drawn = t;
	char line[512];
	pi_progress_format(p, file, t - p->started, line, sizeof line);
	/* clear to the end of the line: the last one may have been longer */
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
}

void pi_progress_plan(pi_progress_t *p, const char *file, size_t bytes)
{
	p->plans_done++;
	p->bytes_done += bytes;
	draw(p, file, p->plans_done == 1 || p->plans_done == p->plans);
}

void pi_progress_stage(pi_progress_t *p, const char *stage)
{
	draw(p, stage, true);
}

void pi_progress_end(pi_progress_t *p)
{
	if (p->out != NULL && p->drawn >= 0)
		fputc('\n', p->out);
	p->drawn = -1;
}
