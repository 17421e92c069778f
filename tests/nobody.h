/* nobody.h: running a child as a user without privileges, for whom file permissions apply. */
#ifndef TESTS_NOBODY_H
#define TESTS_NOBODY_H

#include <grp.h> /* setgroups: the including file defines _DEFAULT_SOURCE or _GNU_SOURCE */
#include <unistd.h>

#define NOBODY 65534

/* For a child between fork and exec: as root, become nobody (uid and gid 65534, no other
 * groups); as anyone else, stay (permissions apply already). Exits 125 if it cannot. */
static inline void run_as_nobody(void)
{
	if (getuid() == 0 && (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
			      setuid(NOBODY) != 0))
		_exit(125);
}

#endif
