/* status.h: the project's one way to say why something failed: a status, and a message that is never NULL. */
#ifndef PS_STATUS_H
#define PS_STATUS_H

/*
 * Every function that can fail for a reason a caller may act on returns a ps_status_t
 * (PS_OK is 0, so `!= 0` tests for failure); the words for a person come back through
 * the function's `char **error` (a malloc'd message the caller frees), or are kept on a
 * handle (xapwrap.h). ps_error_message turns the two into text that is never NULL, for
 * the one place that prints it. Functions that can only fail one way (memory) may return
 * -1 and set *error; they say so where they are declared.
 */
typedef enum ps_status {
	PS_OK = 0,
	/* anywhere */
	PS_ERR_NO_MEMORY,        /* memory ran out */
	PS_ERR_IO,               /* a file cannot be read or written (permissions, a full disk) */
	PS_ERR_INVALID,          /* a request that cannot be run as asked: a bad query, an
				  * argument out of range, options that do not go together */
	PS_ERR_FAILED,           /* anything else */
	/* the corpus (policy-index) */
	PS_ERR_MANIFEST,         /* manifest.json is missing, not JSON, or has a wrong value */
	PS_ERR_MISSING_FILE,     /* a plan file the manifest lists is missing or unreadable */
	PS_ERR_INVALID_TEXT,     /* invalid UTF-8, or invalid in the encoding the manifest gives */
	PS_ERR_ENCODING,         /* text in an encoding the manifest does not declare */
	PS_ERR_BINARY,           /* not text: NUL or control bytes, a PDF or Office file */
	PS_ERR_EMPTY,            /* an empty file, or body lines with no text */
	PS_ERR_BODY_LINES,       /* the manifest's body_lines go past the end of the file */
	/* an index */
	PS_ERR_NO_INDEX,         /* no such directory: build an index there */
	PS_ERR_INDEX_EMPTY,      /* the directory holds no index, or an index of no plans */
	PS_ERR_FOREIGN,          /* not a policy-search index */
	PS_ERR_CORRUPT,          /* ours, but damaged */
	PS_ERR_SCHEMA,           /* ours, built by a version with another schema */
	PS_ERR_DENIED,           /* it may not be read or written by this user */
	PS_ERR_LOCKED,           /* another build holds it */
	/* Xapian, through xapwrap.h */
	PS_ERR_NOT_FOUND,        /* no database at that path */
	PS_ERR_VERSION,          /* a database format this Xapian does not read */
	PS_ERR_MODIFIED,         /* the database changed under a reader */
	PS_ERR_NETWORK,          /* a remote shard (xapian-tcpsrv) did not answer, or hung up */
	PS_ERR_XAPIAN,           /* any other Xapian::Error */
	PS_ERR_UNKNOWN,          /* any other exception */
	PS_STATUS_COUNT          /* not a status: how many there are */
} ps_status_t;

/* A short English name for a status ("invalid text"); never NULL, also for a value that is
 * not a status. */
const char *ps_status_to_string(ps_status_t status);

/* What to print for a failure: `message` when there is one, else the status's name (a
 * function that failed for want of memory may have had none to give). Never NULL. */
const char *ps_error_message(const char *message, ps_status_t status);

#endif
