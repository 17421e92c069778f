/* corpus.h: the corpus directory against its manifest: missing files, unlisted files. */
#ifndef PI_CORPUS_H
#define PI_CORPUS_H

#include "manifest.h"
#include "status.h"

/* Called with one warning (a NUL-terminated line without "warning:") at a time. */
typedef void (*pi_warn_fn)(void *ctx, const char *message);

/* Check that every file the manifest lists exists in corpus_dir as a regular file that
 * lies inside corpus_dir (a symbolic link to another file in it is fine; one that leads
 * outside is not), and report (through warn, if not NULL) each regular file there that the
 * manifest does not list, other than manifest.json and hidden files. Returns PS_OK, or
 * PS_ERR_MISSING_FILE with a malloc'd message in *error naming every missing file, or else
 * every file that leads outside (PS_ERR_FAILED when memory runs out). Unlisted files are
 * warnings, never failures. */
ps_status_t pi_corpus_check(const char *corpus_dir, const pi_manifest_t *manifest,
			    pi_warn_fn warn, void *warn_ctx, char **error);

#endif
