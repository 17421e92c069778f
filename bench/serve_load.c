/* serve_load.c: HTTP load for bench/serve: N clients, each on one kept-alive connection, timing every request. */
/*
 *   bench-serve-load --clients N --requests M [--warmup K] URL...
 *
 * Starts N threads; each sends K unmeasured requests, then M measured ones, cycling
 * through the URLs, on one libcurl handle (one kept-alive connection), and times each with
 * CLOCK_MONOTONIC. Every answer must be 200. Prints one JSON line: {"clients": N,
 * "requests": total measured, "seconds": wall time of the measured part, "rps": requests
 * per second, "p50_ms", "p95_ms", "max_ms"}. Exit status 0, or 1 with a message on stderr.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct client {
	char **urls;
	size_t n_urls, warmup, requests, first;
	double *ms;  /* requests entries */
	int failed;
	pthread_barrier_t *start;
} client_t;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static size_t discard(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	(void)ctx;
	return size * n;
}

static int fetch(CURL *c, const char *url)
{
	long status = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (curl_easy_perform(c) != CURLE_OK)
		return -1;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return status == 200 ? 0 : -1;
}

static void *client_run(void *arg)
{
	client_t *cl = arg;
	CURL *c = curl_easy_init();
	if (c == NULL) {
		cl->failed = 1;
		pthread_barrier_wait(cl->start);
		return NULL;
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	for (size_t i = 0; i < cl->warmup && !cl->failed; i++)
		cl->failed = fetch(c, cl->urls[(cl->first + i) % cl->n_urls]) != 0;
	pthread_barrier_wait(cl->start);
	for (size_t i = 0; i < cl->requests && !cl->failed; i++) {
		double t0 = now_ms();
		cl->failed = fetch(c, cl->urls[(cl->first + i) % cl->n_urls]) != 0;
		cl->ms[i] = now_ms() - t0;
	}
	curl_easy_cleanup(c);
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pick(const double *sorted, size_t n, double q)
{
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
	size_t clients = 1, requests = 100, warmup = 5;
	int a = 1;
	for (; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
		size_t v = strtoul(argv[a + 1], NULL, 10);
		if (strcmp(argv[a], "--clients") == 0 && v >= 1 && v <= 256)
			clients = v;
		else if (strcmp(argv[a], "--requests") == 0 && v >= 1)
			requests = v;
		else if (strcmp(argv[a], "--warmup") == 0)
			warmup = v;
		else
			break;
	}
	if (a >= argc || strncmp(argv[a], "http", 4) != 0) {
		fputs("usage: bench-serve-load [--clients N] [--requests M] [--warmup K] URL...\n",
		      stderr);
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pthread_t *threads = calloc(clients, sizeof *threads);
	client_t *cl = calloc(clients, sizeof *cl);
	double *all = calloc(clients * requests, sizeof *all);
	pthread_barrier_t start;
	if (threads == NULL || cl == NULL || all == NULL) {
		fputs("bench-serve-load: out of memory\n", stderr);
		return 1;
	}
	pthread_barrier_init(&start, NULL, (unsigned)clients + 1);
	for (size_t i = 0; i < clients; i++) {
		cl[i] = (client_t){.urls = argv + a, .n_urls = (size_t)(argc - a), .warmup = warmup,
				   .requests = requests, .first = i, .ms = all + i * requests,
				   .start = &start};
		pthread_create(&threads[i], NULL, client_run, &cl[i]);
	}
	pthread_barrier_wait(&start);
	double t0 = now_ms();
	int failed = 0;
	for (size_t i = 0; i < clients; i++) {
		pthread_join(threads[i], NULL);
		failed |= cl[i].failed;
	}
	double seconds = (now_ms() - t0) / 1e3;
	if (failed) {
		fputs("bench-serve-load: a request failed or was not answered 200\n", stderr);
		return 1;
	}
	size_t n = clients * requests;
	qsort(all, n, sizeof *all, by_value);
	printf("{\"clients\": %zu, \"requests\": %zu, \"seconds\": %.3f, \"rps\": %.1f, "
	       "\"p50_ms\": %.3f, \"p95_ms\": %.3f, \"max_ms\": %.3f}\n",
	       clients, n, seconds, (double)n / seconds, pick(all, n, 0.5), pick(all, n, 0.95),
	       all[n - 1]);
	pthread_barrier_destroy(&start);
	free(all);
	free(cl);
	free(threads);
	curl_global_cleanup();
	return 0;
}
