/* status.c: names of the indexer's statuses. */
#include "status.h"

const char *pi_status_to_string(pi_status_t status)
{
	switch (status) {
	case PI_OK: return "ok";
	case PI_ERR_FAILED: return "build failed";
	case PI_ERR_MANIFEST: return "bad manifest";
	case PI_ERR_MISSING_FILE: return "missing plan file";
	case PI_ERR_INVALID_TEXT: return "invalid text";
	case PI_ERR_ENCODING: return "undeclared encoding";
	case PI_ERR_BINARY: return "binary file";
	case PI_ERR_EMPTY: return "empty plan";
	case PI_ERR_BODY_LINES: return "body_lines outside the file";
	case PI_STATUS_COUNT: break;
	}
	return "unknown status";
}
