/* status.c: the names of the project's statuses. */
#include "status.h"

#include <stddef.h>

const char *ps_status_to_string(ps_status_t status)
{
	switch (status) {
	case PS_OK: return "ok";
	case PS_ERR_NO_MEMORY: return "out of memory";
	case PS_ERR_IO: return "input/output error";
	case PS_ERR_INVALID: return "invalid request";
	case PS_ERR_FAILED: return "failed";
	case PS_ERR_MANIFEST: return "bad manifest";
	case PS_ERR_MISSING_FILE: return "missing plan file";
	case PS_ERR_INVALID_TEXT: return "invalid text";
	case PS_ERR_ENCODING: return "undeclared encoding";
	case PS_ERR_BINARY: return "binary file";
	case PS_ERR_EMPTY: return "empty plan";
	case PS_ERR_BODY_LINES: return "body_lines outside the file";
	case PS_ERR_NO_INDEX: return "no index";
	case PS_ERR_INDEX_EMPTY: return "empty index";
	case PS_ERR_FOREIGN: return "not a policy-search index";
	case PS_ERR_CORRUPT: return "damaged index";
	case PS_ERR_SCHEMA: return "index of another schema";
	case PS_ERR_DENIED: return "permission denied";
	case PS_ERR_LOCKED: return "locked by another build";
	case PS_ERR_NOT_FOUND: return "database not found";
	case PS_ERR_VERSION: return "unsupported database version";
	case PS_ERR_MODIFIED: return "database modified";
	case PS_ERR_NETWORK: return "a remote shard did not answer";
	case PS_ERR_XAPIAN: return "Xapian error";
	case PS_ERR_UNKNOWN: return "unknown error";
	case PS_STATUS_COUNT: break;
	}
	return "unknown status";
}

const char *ps_error_message(const char *message, ps_status_t status)
{
	return message != NULL && *message != '\0' ? message
		: status == PS_OK ? "failed" : ps_status_to_string(status);
}
