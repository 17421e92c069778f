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
 * holds something other than a policy-search index), take the build lock (refusing, not
 * waiting, when another build holds it) and pick a fresh generation path. Returns 0 and a
 * handle that must go to pi_install_commit or pi_install_abort, or -1 with a malloc'd
 * message in *error. */
int pi_install_begin(const char *dir, pi_install_t **out, char **error);

/* Where the new generation's database goes; owned by the handle. */
const char *pi_install_path(const pi_install_t *install);

/* Make the new generation the live index, delete generations older than the one it
 * replaced, release the lock and free the handle. Returns 0, or -1 with a message (the
 * new generation is then deleted and the old index is still live). */
int pi_install_commit(pi_install_t *install, char **error);

/* Delete the new generation, release the lock and free the handle. Accepts NULL. */
void pi_install_abort(pi_install_t *install);

#endif
