/* generation.h: building an index beside the live one and switching to it in one rename. */
#ifndef PS_GENERATION_H
#define PS_GENERATION_H

#include "status.h"

/*
 * An index directory DIR holds generations, DIR/generation-<time>.<ns>-<pid>/ (each a
 * complete index: format.h), and the stub file DIR/XAPIANDB that names the live one (as a
 * Xapian stub naming its xapian/ database, so Xapian's own tools open DIR too). A rebuild
 * writes a new generation, then renames a new stub over the old: readers see the old index
 * or the new one, never a mix, and a build that fails before the rename leaves the old one
 * untouched. One build at a time: a build holds an exclusive
 * lock on DIR/XAPIANDB.lock from ps_generation_begin until it commits or aborts.
 */
typedef struct ps_generation ps_generation_t;

/* Make sure DIR can hold generations (creating it if missing; refusing a directory that
 * holds something other than a policy-search index, or one that is not writable), take the
 * build lock (refusing, not waiting, when another build holds it), delete what killed
 * builds left and old generations no query holds, and pick a fresh generation path.
 * Returns PS_OK and a handle that must go to ps_generation_commit or ps_generation_abort,
 * or with a malloc'd message in *error: PS_ERR_LOCKED (another build runs), PS_ERR_FOREIGN
 * (the directory holds other files), PS_ERR_DENIED (not writable), PS_ERR_IO or
 * PS_ERR_NO_MEMORY. */
ps_status_t ps_generation_begin(const char *dir, ps_generation_t **out, char **error);

/* Read the stub at stub_path. Returns 1 and the generation's directory name (malloc'd) when
 * it names one our builds write, 0 with *line (malloc'd) holding what it says instead, or
 * -1 when it cannot be read (errno set). */
int ps_generation_read_stub(const char *stub_path, char **generation, char **line);

/* Where the new generation goes (a directory not yet made); owned by the handle. */
const char *ps_generation_path(const ps_generation_t *gen);

/* Make the new generation the live index, delete the generations no query holds,
 * release the lock and free the handle. Returns PS_OK, or PS_ERR_IO with a message (the
 * new generation is then deleted and the old index is still live). */
ps_status_t ps_generation_commit(ps_generation_t *gen, char **error);

/* Delete the directory `path` and everything in it, links not followed (a database written
 * inside the new generation before it was compacted, say). Errors are ignored. */
void ps_generation_remove_tree(const char *path);

/* Delete the new generation, release the lock and free the handle. Accepts NULL. */
void ps_generation_abort(ps_generation_t *gen);

/* Test-only: when $POLICY_INDEX_TEST_STOP_AT names `stage`, stop this process with SIGSTOP
 * there, so a test can kill it at a known point. The stages, in order: "locked" (the
 * build lock is held), "indexing" (the first plan is in the new generation, uncommitted),
 * "written" (the new generation is complete, the stub not switched), "switched" (the stub
 * names the new generation, old ones not yet deleted). Does nothing otherwise. */
void ps_generation_test_stop(const char *stage);

#endif
