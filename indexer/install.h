/* install.h: building an index beside the live one and switching to it in one rename. */
#ifndef PI_INSTALL_H
#define PI_INSTALL_H

/*
 * An index directory DIR holds generations, DIR/generation-<time>-<pid>/ (each a complete
 * Xapian database), and the stub file DIR/XAPIANDB that names the live one; Xapian opens
 * DIR through the stub. A rebuild writes a new generation, then renames a new stub over the
 * old: readers see the old index or the new one, never a mix, and a build that fails before
 * the rename leaves the old one untouched.
 */

/* Make sure DIR can hold generations (creating it if missing; refusing a directory that
 * holds something other than a policy-search index) and pick a fresh generation path,
 * returned malloc'd in *generation. Returns 0, or -1 with a malloc'd message in *error. */
int pi_install_prepare(const char *dir, char **generation, char **error);

/* Make `generation` (a path under DIR) the live index, then delete generations older than
 * the one it replaced. Returns 0, or -1 with a message; on failure the old index is still
 * live. */
int pi_install_commit(const char *dir, const char *generation, char **error);

/* Delete a generation that will not be installed. Accepts NULL. */
void pi_install_discard(const char *generation);

#endif
