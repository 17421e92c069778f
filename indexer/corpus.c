/* corpus.c: what is in the corpus directory compared with what manifest.json lists. */
#include "corpus.h"

#include "file.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool listed(const pi_manifest_t *m, const char *name)
{
	for (size_t i = 0; i < m->n_plans; i++)
		if (strcmp(m->plans[i].file, name) == 0)
			return true;
	return false;
}

static ps_status_t warn_unlisted(const char *dir, const pi_manifest_t *m, pi_warn_fn warn,
				 void *ctx)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	strbuf_t path = STRBUF_INIT, msg = STRBUF_INIT;
	ps_status_t rc = PS_OK;

	if (d == NULL)
		return PS_OK; /* the manifest was read from it: nothing more to say */
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (e->d_name[0] == '.' || strcmp(e->d_name, "manifest.json") == 0 ||
		    listed(m, e->d_name))
			continue;
		path.len = msg.len = 0;
		if (strbuf_printf(&path, "%s/%s", dir, e->d_name) != 0) {
			rc = PS_ERR_FAILED;
			break;
		}
		if (stat(path.data, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (strbuf_printf(&msg, "%s is not listed in manifest.json: not indexed",
				  path.data) != 0) {
			rc = PS_ERR_FAILED;
			break;
		}
		warn(ctx, msg.data);
	}
	closedir(d);
	strbuf_free(&path);
	strbuf_free(&msg);
	return rc;
}

ps_status_t pi_corpus_check(const char *corpus_dir, const pi_manifest_t *manifest,
			    pi_warn_fn warn, void *warn_ctx, char **error)
{
	strbuf_t path = STRBUF_INIT, missing = STRBUF_INIT, outside = STRBUF_INIT;
	size_t n_missing = 0, n_outside = 0;
	ps_status_t rc = PS_ERR_FAILED;

	for (size_t i = 0; i < manifest->n_plans; i++) {
		struct stat st;
		const char *file = manifest->plans[i].file;
		path.len = 0;
		if (strbuf_printf(&path, "%s/%s", corpus_dir, file) != 0)
			goto oom;
		int err = stat(path.data, &st) == 0 ? 0 : errno;
		if (err == 0 && S_ISREG(st.st_mode)) {
			char *real = NULL;
			if (util_path_inside(corpus_dir, file, &real) == 1) {
				int prc = strbuf_printf(&outside, "%s%s (plans[%zu], %s) leads to %s",
							n_outside++ ? ", " : "", file, i,
							manifest->plans[i].city_id, real);
				free(real);
				if (prc != 0)
					goto oom;
			} else {
				free(real);
			}
			continue;
		}
		const char *why = err == 0 ? "not a regular file"
				  : err == ENOENT ? ""
						  : strerror(err);
		if (strbuf_printf(&missing, "%s%s (plans[%zu], %s)%s%s", n_missing ? ", " : "",
				  file, i, manifest->plans[i].city_id, *why ? ": " : "", why) != 0)
			goto oom;
		n_missing++;
	}
	if (n_missing > 0) {
		strbuf_printf_new(error, "%s: %zu file%s listed in manifest.json %s missing: %s",
				  corpus_dir, n_missing, n_missing == 1 ? "" : "s",
				  n_missing == 1 ? "is" : "are", missing.data);
		rc = PS_ERR_MISSING_FILE;
		goto out;
	}
	if (n_outside > 0) {
		strbuf_printf_new(error, "%s: %zu file%s listed in manifest.json lead%s outside the "
				  "corpus directory, through a symbolic link: %s; a plan must be a "
				  "file in the corpus directory (copy it in)", corpus_dir, n_outside,
				  n_outside == 1 ? "" : "s", n_outside == 1 ? "s" : "", outside.data);
		rc = PS_ERR_MISSING_FILE;
		goto out;
	}
	rc = warn ? warn_unlisted(corpus_dir, manifest, warn, warn_ctx) : PS_OK;
	if (rc != PS_OK)
		goto oom;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PS_ERR_FAILED;
out:
	strbuf_free(&path);
	strbuf_free(&missing);
	strbuf_free(&outside);
	return rc;
}
