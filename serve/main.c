/* main.c: policy-serve, the search engine over HTTP: a JSON API and a page, the index opened once. */
#include "api.h"
#include "heap.h"
#include "http.h"
#include "options.h"
#include "pool.h"
#include "status.h"
#include "store.h"
#include "version.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_THREADS 4
#define MAX_THREADS 256

enum { OPT_DB, OPT_ALLOW_PARTIAL, OPT_LISTEN, OPT_THREADS, OPT_CORPUS, OPT_THESAURUS,
       OPT_NO_THESAURUS, OPT_QUIET, OPT_VERSION, OPT_HELP };

static const util_option_t options[] = {
	{"db", 0, "DIR", "a directory", "the index (default: $POLICY_SEARCH_DB, else index)",
	 OPT_DB},
	{"allow-partial", 0, NULL, NULL,
	 "with shards (--db FILE): answer from those that answer (JSON:\n"
	 "\"partial\": true and the missing shards) instead of failing",
	 OPT_ALLOW_PARTIAL},
	{"listen", 0, "ADDR:PORT", "an address and port such as 127.0.0.1:8080 or [::1]:8080",
	 "where to listen (default " DEFAULT_LISTEN "; port 0: any free port,\n"
	 "which the first line on stderr names)",
	 OPT_LISTEN},
	{"threads", 0, "N", "a number of threads from 1 to 256",
	 "threads that answer requests (default 4)", OPT_THREADS},
	{"corpus", 0, "DIR", "a directory",
	 "where /api/cite checks plan files (default: the corpus the\n"
	 "index was built from)",
	 OPT_CORPUS},
	{"thesaurus", 0, "FILE", "a thesaurus file",
	 "add FILE's concept groups to the bundled thesaurus that\n"
	 "any= and ~CONCEPT use (as policy-query); repeat for several",
	 OPT_THESAURUS},
	{"no-thesaurus", 0, NULL, NULL, "use no thesaurus, not even the bundled one",
	 OPT_NO_THESAURUS},
	{"quiet", 'q', NULL, NULL, "no line per request on stderr", OPT_QUIET},
	{"version", 0, NULL, NULL, "the version, and exit", OPT_VERSION},
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static const util_command_t command = {
	.program = "policy-serve",
	.usage = "Usage: policy-serve [--db DIR] [--listen ADDR:PORT] [OPTIONS]\n"
		 "\n"
		 "Serve the index over HTTP: a search page at http://ADDR:PORT/ and a JSON API\n"
		 "(/api/search, /api/cite, /api/freq, /api/kwic, /api/plans, /api/outline) that\n"
		 "answers what policy-query --format json answers, byte for byte. The index is\n"
		 "opened once; when policy-index rebuilds it, the next requests read the new\n"
		 "generation, with no restart. One line per request (method, path, status,\n"
		 "milliseconds) goes to stderr. SIGINT or SIGTERM stops it.\n"
		 "\n",
	.options = options,
	.footer = "\nExit status: 0 stopped by a signal, 1 failed (the index cannot be opened, the\n"
		  "address cannot be listened on), 2 bad usage.\n",
	.unknown_hint = "(policy-serve --help lists them)",
};

typedef struct args {
	const char *db, *listen, *corpus;
	const char **thesauri; /* room for argc */
	size_t n_thesauri;
	unsigned threads;
	bool quiet, version, help, no_thesaurus, allow_partial;
} args_t;

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	char *end;
	switch (o->id) {
	case OPT_DB: a->db = v; break;
	case OPT_ALLOW_PARTIAL: a->allow_partial = true; break;
	case OPT_LISTEN: a->listen = v; break;
	case OPT_CORPUS: a->corpus = v; break;
	case OPT_THESAURUS: a->thesauri[a->n_thesauri++] = v; break;
	case OPT_NO_THESAURUS: a->no_thesaurus = true; break;
	case OPT_THREADS: {
		errno = 0;
		unsigned long n = *v >= '0' && *v <= '9' ? strtoul(v, &end, 10) : 0;
		if (*v < '0' || *v > '9' || errno != 0 || *end != '\0' || n < 1 || n > MAX_THREADS)
			return -1;
		a->threads = (unsigned)n;
		break;
	}
	case OPT_QUIET: a->quiet = true; break;
	case OPT_VERSION: a->version = true; break;
	case OPT_HELP: a->help = true; break;
	}
	return 0;
}

/* ADDR:PORT, ADDR an IPv4 address, [an IPv6 address] or a host name. Returns 0 and the
 * address, or -1 after printing why. */
static int parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *len)
{
	char host[256];
	const char *colon = strrchr(s, ':'), *h = s;
	size_t n = colon ? (size_t)(colon - s) : 0;
	if (colon == NULL || colon[1] == '\0' || n == 0 || n >= sizeof host)
		goto bad;
	if (s[0] == '[' && s[n - 1] == ']') {
		h = s + 1;
		n -= 2;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	for (const char *p = colon + 1; *p; p++)
		if (*p < '0' || *p > '9')
			goto bad;
	if (strtoul(colon + 1, NULL, 10) > 65535)
		goto bad;
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *res = NULL;
	int rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "policy-serve: --listen %s: %s\n", s, gai_strerror(rc));
		return -1;
	}
	memcpy(out, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
bad:
	util_option_refuse(&command, "--listen", s, options[1].expect);
	return -1;
}

/* The address as a URL's host and port. */
static void url_of(const struct sockaddr_storage *a, unsigned port, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN];
	if (a->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)a)->sin6_addr, host, sizeof host);
		snprintf(buf, size, "http://[%s]:%u/", host, port);
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr, host, sizeof host);
		snprintf(buf, size, "http://%s:%u/", host, port);
	}
}

int main(int argc, char **argv)
{
	const char *env_db = getenv("POLICY_SEARCH_DB");
	args_t a = {.db = env_db && *env_db ? env_db : "index", .listen = DEFAULT_LISTEN,
		    .threads = DEFAULT_THREADS};
	const char **rest = calloc((size_t)argc + 1, sizeof *rest);
	size_t n_rest = 0;
	struct sockaddr_storage addr;
	socklen_t addr_len = 0;
	sv_pool_t *pool = NULL;
	sv_http_t *http = NULL;
	pq_thesaurus_t *thesaurus = NULL;
	char *error = NULL, url[128];
	int status = 2;
	a.thesauri = calloc((size_t)argc + 1, sizeof *a.thesauri);
	if (rest == NULL || a.thesauri == NULL ||
	    util_options_parse(&command, argc, argv, take, &a, rest, &n_rest) != 0)
		goto out;
	if (a.help) {
		status = util_options_help(stdout, &command) == 0 && fflush(stdout) == 0 ? 0 : 1;
		goto out;
	}
	if (a.version) {
		printf("policy-serve %s (index schema %s)\n", PS_VERSION, ps_store_schema());
		status = fflush(stdout) == 0 ? 0 : 1;
		goto out;
	}
	if (n_rest > 0) {
		fprintf(stderr, "policy-serve: unexpected argument '%s' (policy-serve --help)\n",
			rest[0]);
		goto out;
	}
	if (parse_listen(a.listen, &addr, &addr_len) != 0)
		goto out;
	/* read once, shared read-only by the threads (a bad file is bad usage, as in
	 * policy-query) */
	ps_status_t th = pq_thesaurus_open(!a.no_thesaurus, a.thesauri, a.n_thesauri, &thesaurus,
					   &error);
	if (th != PS_OK) {
		fprintf(stderr, "policy-serve: %s\n", ps_error_message(error, th));
		goto out;
	}
	status = 1;
	util_heap_keep_freed(); /* each request reuses the pages the last one freed */
	ps_status_t st = sv_pool_new(a.db, a.allow_partial ? PS_OPEN_ALLOW_PARTIAL : 0, &pool,
				     &error);
	if (st != PS_OK) {
		fprintf(stderr, "policy-serve: %s\n", ps_error_message(error, st));
		goto out;
	}
	/* SIGINT and SIGTERM are blocked in every thread and taken by sigwait below */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	sv_api_t api = {.pool = pool, .corpus = a.corpus, .thesaurus = thesaurus};
	sv_http_options_t ho = {.addr = (const struct sockaddr *)&addr, .addr_len = addr_len,
				.threads = a.threads, .log = a.quiet ? NULL : stderr};
	if ((st = sv_http_start(&api, &ho, &http, &error)) != PS_OK) {
		fprintf(stderr, "policy-serve: %s: %s\n", a.listen, ps_error_message(error, st));
		goto out;
	}
	url_of(&addr, sv_http_port(http), url, sizeof url);
	fprintf(stderr, "policy-serve: serving %s on %s (%u threads; Ctrl-C stops)\n", a.db, url,
		a.threads);
	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "policy-serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	status = 0;
out:
	sv_http_stop(http);
	sv_pool_free(pool);
	pq_thesaurus_free(thesaurus);
	free(error);
	free(rest);
	free(a.thesauri);
	return status;
}
