/* api.h: the server's answers: the JSON API over the engine and renderers, and the page's files. */
#ifndef SV_API_H
#define SV_API_H

#include "pool.h"
#include "thesaurus.h"

#include <stdbool.h>
#include <stddef.h>

/* One query-string parameter, decoded: value holds len bytes and a NUL after them (it may
 * hold NUL bytes of its own, which every parameter refuses). */
typedef struct sv_param {
	const char *key;
	const char *value;
	size_t len;
} sv_param_t;

/* What the server answers. */
typedef struct sv_response {
	unsigned status;          /* 200, 400, 404, 409, 500, 503 */
	const char *content_type; /* a string literal */
	const char *filename;     /* a download's name (Content-Disposition), or NULL */
	char *body;               /* len bytes: malloc'd, or an embedded file's when is_static */
	size_t len;
	bool is_static;
} sv_response_t;

typedef struct sv_api {
	sv_pool_t *pool;    /* the indexes */
	const char *corpus; /* where cite checks plan files (NULL: where the index was built) */
	const pq_thesaurus_t *thesaurus; /* for any= and ~CONCEPT (read only, shared by the
					  * threads); NULL for none */
} sv_api_t;

/* The most parameters a request may carry, and the most values one list parameter (city,
 * province, id, terms) may take. */
#define SV_MAX_PARAMS 256
/* The largest limit=, so that one answer stays a page. */
#define SV_MAX_LIMIT 10000

/*
 * Answer GET `path` (decoded, without the query string) with these parameters:
 *   /api/search /api/cite /api/freq /api/kwic /api/plans /api/outline  (README, "Web page")
 *   /  and  /<file>   the page's files (serve/page/), embedded in the binary
 * A bad parameter, query or id is 400 with {"error": "..."} (the message policy-query
 * prints), an unknown path 404, an index that cannot be opened 503, a failure 500. Never
 * reads a file a client names. Fills *out (free with sv_response_clear); cannot fail: no
 * memory is a 500 whose body is static.
 */
void sv_api_answer(const sv_api_t *api, const char *path, const sv_param_t *params,
		   size_t n_params, sv_response_t *out);

/* Set *out to an error answer: status and {"error": message}. */
void sv_response_error(sv_response_t *out, unsigned status, const char *message);

/* Free what the answer holds. */
void sv_response_clear(sv_response_t *out);

#endif
