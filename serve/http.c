/* http.c: requests from libmicrohttpd to the API: parameters decoded, limits enforced, one log line each. */
#include "http.h"

#include "escape.h"
#include "strbuf.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sv_http {
	struct MHD_Daemon *daemon;
	const sv_api_t *api;
	FILE *log;
};

/* One request, from its first line to its end. */
typedef struct request {
	struct timespec start;
	size_t target_len; /* the request target as sent, in bytes */
	size_t body_len;
	bool started;      /* the handler has seen it */
	char *method, *path;
	unsigned status;   /* 0 until answered by us */
} request_t;

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the request's context, made as soon as its line is read. */
static void *request_begin(void *cls, const char *uri, struct MHD_Connection *c)
{
	request_t *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->target_len = strlen(uri);
	return r;
}

/* MHD_OPTION_NOTIFY_COMPLETED: the log line, and the context freed. */
static void request_end(void *cls, struct MHD_Connection *c, void **con_cls,
			enum MHD_RequestTerminationCode toe)
{
	sv_http_t *h = cls;
	request_t *r = *con_cls;
	if (r == NULL)
		return;
	if (h->log != NULL && r->method != NULL) {
		strbuf_t line = STRBUF_INIT;
		util_escape_text(&line, r->method, strlen(r->method));
		strbuf_append_str(&line, " ");
		util_escape_text(&line, r->path, strlen(r->path));
		if (r->status != 0)
			strbuf_printf(&line, " %u", r->status);
		else
			strbuf_append_str(&line, " -");
		strbuf_printf(&line, " %.1f ms%s\n", ms_since(&r->start),
			      toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection lost)");
		if (line.data != NULL)
			fputs(line.data, h->log); /* one write: lines of threads do not mix */
		strbuf_free(&line);
	}
	free(r->method);
	free(r->path);
	free(r);
	*con_cls = NULL;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* MHD_OPTION_UNESCAPE_CALLBACK: %XX decoded and + as a space (what a form and
 * URLSearchParams send); a % not followed by two hex digits stays as it is. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	for (const char *p = s; *p != '\0'; p++) {
		int hi, lo;
		if (*p == '+') {
			*w++ = ' ';
		} else if (*p == '%' && (hi = hex(p[1])) >= 0 && (lo = hex(p[2])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* MHD_OPTION_NOTIFY_CONNECTION: TCP_NODELAY on each new connection. An answer larger than
 * a segment otherwise waits for the client's delayed acknowledgement (some 40 ms) before
 * its last part goes out. */
static void connection_event(void *cls, struct MHD_Connection *c, void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	int on = 1;
	if (i != NULL)
		setsockopt(i->connect_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

typedef struct collect {
	sv_param_t *p;
	size_t n, cap;
	bool too_many;
} collect_t;

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
				     size_t key_size, const char *value, size_t value_size)
{
	collect_t *c = cls;
	if (c->n == c->cap) {
		c->too_many = true;
		return MHD_NO;
	}
	c->p[c->n++] = (sv_param_t){.key = key, .value = value ? value : "",
				    .len = value ? value_size : 0};
	return MHD_YES;
}

static enum MHD_Result send_answer(struct MHD_Connection *c, request_t *r, sv_response_t *a)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		a->len, a->body, a->is_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		sv_response_clear(a);
		return MHD_NO;
	}
	a->body = NULL; /* the response's now */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (strncmp(r->path, "/api/", 5) == 0) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	} else {
		/* the page: scripts and styles only from its own files */
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; script-src 'self'; "
					"style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
					"object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
	}
	if (a->filename != NULL) {
		char disp[128];
		snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", a->filename);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
	}
	if (a->status == 405)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	r->status = a->status;
	enum MHD_Result ok = MHD_queue_response(c, a->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	sv_http_t *h = cls;
	request_t *r = *con_cls;
	sv_response_t a = {0};
	if (r == NULL)
		return MHD_NO; /* no memory for its context: drop the connection */
	if (!r->started) {
		r->started = true;
		r->method = strdup(method);
		r->path = strdup(url);
		if (r->method == NULL || r->path == NULL)
			return MHD_NO;
		return MHD_YES; /* the body, if any, comes next */
	}
	if (*upload_data_size != 0) {
		r->body_len += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->target_len > SV_MAX_TARGET) {
		char m[128];
		snprintf(m, sizeof m, "the request target is longer than %d bytes", SV_MAX_TARGET);
		sv_response_error(&a, 414, m);
	} else if (r->body_len > SV_MAX_BODY) {
		char m[128];
		snprintf(m, sizeof m, "the request body is larger than %d bytes", SV_MAX_BODY);
		sv_response_error(&a, 413, m);
	} else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		sv_response_error(&a, 405, "only GET and HEAD are answered");
	} else {
		sv_param_t params[SV_MAX_PARAMS + 1];
		collect_t col = {params, 0, SV_MAX_PARAMS + 1, false};
		MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_param, &col);
		if (col.too_many)
			sv_response_error(&a, 400, "too many parameters");
		else
			sv_api_answer(h->api, url, params, col.n, &a);
	}
	return send_answer(c, r, &a);
}

ps_status_t sv_http_start(const sv_api_t *api, const sv_http_options_t *o, sv_http_t **out,
			  char **error)
{
	sv_http_t *h = calloc(1, sizeof *h);
	*out = NULL;
	if (h == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	h->api = api;
	h->log = o->log;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	if (o->addr->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, h,
		MHD_OPTION_SOCK_ADDR, o->addr,
		MHD_OPTION_THREAD_POOL_SIZE, o->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		/* a request line or header block past this is refused by libmicrohttpd itself
		 * (414, 431); below it, SV_MAX_TARGET is ours */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(4 * SV_MAX_TARGET + 65536),
		MHD_OPTION_URI_LOG_CALLBACK, request_begin, h,
		MHD_OPTION_NOTIFY_COMPLETED, request_end, h,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, h,
		MHD_OPTION_NOTIFY_CONNECTION, connection_event, h,
		MHD_OPTION_END);
	if (h->daemon == NULL) {
		strbuf_printf_new(error, "cannot listen there (is the address taken, or not "
			"this machine's?)");
		free(h);
		return PS_ERR_IO;
	}
	*out = h;
	return PS_OK;
}

unsigned sv_http_port(const sv_http_t *h)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(h->daemon,
							    MHD_DAEMON_INFO_BIND_PORT);
	return i ? i->port : 0;
}

void sv_http_stop(sv_http_t *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->daemon);
	free(h);
}
