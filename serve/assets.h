/* assets.h: the page's files (serve/page/), embedded into policy-serve at build time by embed.py. */
#ifndef SV_ASSETS_H
#define SV_ASSETS_H

#include <stddef.h>

typedef struct sv_asset {
	const char *path;         /* relative to serve/page/: "index.html", "js/app.js" */
	const char *content_type; /* "text/html; charset=utf-8" */
	const unsigned char *data;
	size_t len;
} sv_asset_t;

/* Every embedded file, sorted by path (assets.c, generated). */
extern const sv_asset_t sv_assets[];
extern const size_t sv_n_assets;

/* The file at path (relative, no leading slash), or NULL. Binary search; cannot fail. */
const sv_asset_t *sv_asset_find(const char *path);

#endif
