/* status.h: why a build failed, one status per cause; policy-index maps each to an exit status. */
#ifndef PI_STATUS_H
#define PI_STATUS_H

/*
 * Every function of the indexer that can fail because of its input returns one of these;
 * PI_OK is 0, so `!= 0` still tests for failure. The message that goes with a failure
 * (naming the file, and the line and byte where they apply) comes back through the
 * function's `char **error`. indexer/main.c maps each status to its own exit status.
 */
typedef enum pi_status {
	PI_OK = 0,
	PI_ERR_FAILED,       /* the build itself failed: the index cannot be written, another
			      * build holds the lock, memory ran out */
	PI_ERR_MANIFEST,     /* manifest.json is missing, not JSON, or has a wrong value */
	PI_ERR_MISSING_FILE, /* a plan file the manifest lists is missing or unreadable */
	PI_ERR_INVALID_TEXT, /* invalid UTF-8, or invalid in the encoding the manifest gives */
	PI_ERR_ENCODING,     /* text in an encoding the manifest does not declare (GB18030/GBK,
			      * UTF-16); the message names the likely encoding */
	PI_ERR_BINARY,       /* not text: NUL bytes, control bytes, a PDF or Office file */
	PI_ERR_EMPTY,        /* an empty file, or body lines with no text */
	PI_ERR_BODY_LINES,   /* the manifest's body_lines go past the end of the file */
	PI_STATUS_COUNT      /* not a status: the number of them */
} pi_status_t;

/* A short English name of a status ("invalid text"); never NULL, also for unknown values. */
const char *pi_status_to_string(pi_status_t status);

#endif
