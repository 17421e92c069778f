/* http.h: the HTTP side of policy-serve: libmicrohttpd, its thread pool, limits and the request log. */
#ifndef SV_HTTP_H
#define SV_HTTP_H

#include "api.h"

#include <stdio.h>
#include <sys/socket.h>

/* The longest request target (path and query string) answered, in bytes; a longer one is
 * 414. */
#define SV_MAX_TARGET 16384
/* The largest request body read (and ignored: the API is GET); a larger one is 413. */
#define SV_MAX_BODY 65536

typedef struct sv_http sv_http_t;

typedef struct sv_http_options {
	const struct sockaddr *addr; /* where to listen (port 0: any free port) */
	socklen_t addr_len;
	unsigned threads;            /* the pool's threads */
	FILE *log;                   /* one line per request; NULL for none */
} sv_http_options_t;

/* Start serving api (borrowed, it must outlive the server) on its own threads. Returns
 * PS_OK and a server to stop with sv_http_stop, or PS_ERR_IO with a malloc'd message in
 * *error (the address is taken, not ours, …). */
ps_status_t sv_http_start(const sv_api_t *api, const sv_http_options_t *options,
			  sv_http_t **out, char **error);

/* The port listened on (what port 0 became). */
unsigned sv_http_port(const sv_http_t *http);

/* Stop: close the listening socket and every connection, wait for the threads, free.
 * Accepts NULL. */
void sv_http_stop(sv_http_t *http);

#endif
