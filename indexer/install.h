/* install.h: building an index beside the live one and switching to it in one rename. */
#ifndef PI_INSTALL_H
#define PI_INSTALL_H

/*
 * An index directory DIR holds generations, DIR/generation-<time>-<pid>/ (each a complete
 * Xapian database), and the stub file DIR/XAPIANDB that names the live one; Xapian opens
 * DIR through the stub. A rebuild writes a new generation, then renames a new stub over the
 * old: readers see the old index or the new one, never a mix, and a build that fails before
 * the rename leaves the old one untouched. One build at a time: a build holds an exclusive
 * lock on DIR/XAPIANDB.lock from pi_install_begin until it commits or aborts.
 */
typedef struct pi_install pi_install_t;

/* Make sure DIR can hold generations (creating it if missing; refusing a directory that
 * holds something other than a policy-search index, or one that is not writable), take the
 * build lock (refusing, not waiting, when another build holds it), delete what killed
 * builds left and old generations no query holds, and pick a fresh generation path.
 * Returns 0 and a
 * handle that must go to pi_install_commit or pi_install_abort, or -1 with a malloc'd
 * message in *error. */
int pi_install_begin(const char *dir, pi_install_t **out, char **error);

/* Where the new generation's database goes; owned by the handle. */
const char *pi_install_path(const pi_install_t *install);

/* Start the new generation as a copy of the live one's files (for an update that changes
 * one plan). Returns 0, or -1 with a malloc'd message when there is no live index or a
 * file cannot be copied (the handle must still be aborted). */
int pi_install_copy_live(pi_install_t *install, char **error);

/* Make the new generation the live index, delete the generations no query holds,
 * release the lock and free the handle. Returns 0, or -1 with a message (the
 * new generation is then deleted and the old index is still live). */
int pi_install_commit(pi_install_t *install, char **error);

/* Delete the new generation, release the lock and free the handle. Accepts NULL. */
void pi_install_abort(pi_install_t *install);

/* Test-only: when $POLICY_INDEX_TEST_STOP_AT names `stage`, stop this process with SIGSTOP
 * there, so a test can kill it at a known point. The stages, in order: "locked" (the
 * build lock is held), "indexing" (the first plan is in the new generation, uncommitted),
 * "written" (the new generation is complete, the stub not switched), "switched" (the stub
 * names the new generation, old ones not yet deleted). Does nothing otherwise. */
void pi_install_test_stop(const char *stage);

#endif
