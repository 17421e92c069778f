/* stubfile.c: parsing a stub file of shards (auto PATH, remote HOST:PORT, remote :PROGRAM ARGS). */
#include "stubfile.h"

#include "file.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A stub file lists a few shards: anything past this is not one. */
#define MAX_STUB_BYTES (1u << 20)

void ps_shard_specs_free(ps_shard_spec_t *specs, size_t n)
{
	for (size_t i = 0; specs != NULL && i < n; i++) {
		free(specs[i].name);
		free(specs[i].path);
		free(specs[i].host);
		free(specs[i].program);
		free(specs[i].args);
	}
	free(specs);
}

/* s without its leading and trailing white space, in place. */
static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* HOST:PORT into spec: a host name or an IPv4 address (Xapian 1.4's remote backend does not
 * connect over IPv6, and its stub format has no brackets for one). 1, 0 if malformed, -1
 * out of memory. */
static int parse_tcp(const char *where, ps_shard_spec_t *spec)
{
	const char *colon = strchr(where, ':');
	if (colon == NULL || colon == where || colon[1] == '\0' || strchr(colon + 1, ':') != NULL ||
	    strchr(where, '[') != NULL)
		return 0;
	const char *host = where, *host_end = colon;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port <= 0 || port > 65535 || host_end <= host)
		return 0;
	spec->host = strndup(host, (size_t)(host_end - host));
	spec->port = (unsigned)port;
	return spec->host != NULL ? 1 : -1;
}

/* One line's shard into spec: 1 parsed, 0 malformed, -1 out of memory. */
static int parse_line(const char *stub_dir, char *text, ps_shard_spec_t *spec)
{
	char *sp = text;
	while (*sp != '\0' && !isspace((unsigned char)*sp))
		sp++;
	if (*sp == '\0')
		return 0;
	*sp = '\0';
	char *rest = trim(sp + 1);
	if (*rest == '\0')
		return 0;
	if (strcmp(text, "auto") == 0 || strcmp(text, "glass") == 0) {
		spec->kind = PS_SHARD_LOCAL;
		if (rest[0] == '/' || stub_dir == NULL)
			spec->path = strdup(rest);
		else
			strbuf_printf_new(&spec->path, "%s/%s", stub_dir, rest);
		if (spec->path == NULL)
			return -1;
		strbuf_printf_new(&spec->name, "%s", spec->path);
	} else if (strcmp(text, "remote") == 0 && rest[0] == ':') {
		spec->kind = PS_SHARD_PROGRAM;
		char *prog = rest + 1, *args = prog;
		while (*args != '\0' && !isspace((unsigned char)*args))
			args++;
		spec->program = strndup(prog, (size_t)(args - prog));
		spec->args = strdup(trim(args));
		if (spec->program == NULL || spec->args == NULL)
			return -1;
		if (*spec->program == '\0')
			return 0;
		strbuf_printf_new(&spec->name, "remote :%s%s%s", spec->program,
				  *spec->args ? " " : "", spec->args);
	} else if (strcmp(text, "remote") == 0) {
		spec->kind = PS_SHARD_TCP;
		int r = parse_tcp(rest, spec);
		if (r <= 0)
			return r;
		strbuf_printf_new(&spec->name, "remote %s", rest);
	} else {
		return 0;
	}
	return spec->name != NULL ? 1 : -1;
}

ps_status_t ps_stubfile_read(const char *path, ps_shard_spec_t **specs, size_t *n,
			     char **error)
{
	char *text = NULL, *dir = NULL;
	size_t len = 0, count = 0, cap = 0;
	ps_shard_spec_t *out = NULL;
	ps_status_t rc = PS_ERR_IO;
	if (util_read_file(path, "a stub file", MAX_STUB_BYTES, true, &text, &len, error) != 0)
		goto out;
	rc = PS_ERR_NO_MEMORY;
	const char *slash = strrchr(path, '/');
	if (slash != NULL && (dir = strndup(path, slash == path ? 1 : (size_t)(slash - path))) == NULL)
		goto oom;
	if (memchr(text, '\0', len) != NULL) {
		strbuf_printf_new(error, "%s is not a stub file (it holds NUL bytes)", path);
		rc = PS_ERR_INVALID;
		goto out;
	}
	int line = 0;
	for (char *at = text, *next; at != NULL && *at != '\0'; at = next) {
		line++;
		next = strchr(at, '\n');
		if (next != NULL)
			*next++ = '\0';
		char *t = trim(at);
		if (*t == '\0' || *t == '#')
			continue;
		if (count == cap) {
			size_t c = cap ? cap * 2 : 4;
			ps_shard_spec_t *grown = realloc(out, c * sizeof *grown);
			if (grown == NULL)
				goto oom;
			out = grown;
			cap = c;
		}
		out[count] = (ps_shard_spec_t){.line = line};
		count++;
		char *copy = strdup(t); /* parse_line cuts t up */
		int r = copy == NULL ? -1 : parse_line(dir, t, &out[count - 1]);
		if (r < 0) {
			free(copy);
			goto oom;
		}
		if (r == 0) {
			strbuf_printf_new(error, "%s is a file, so it should be a stub file naming "
					  "shards, but its line %d, \"%.80s\", names none: a line is "
					  "\"auto DIR\" (an index on this machine), \"remote "
					  "HOST:PORT\" (xapian-tcpsrv; a host name or an IPv4 "
					  "address) or \"remote :PROGRAM ARGS\"",
					  path, line, copy);
			free(copy);
			rc = PS_ERR_INVALID;
			goto out;
		}
		free(copy);
	}
	if (count == 0) {
		strbuf_printf_new(error, "%s names no shard: list one a line, \"auto DIR\" or "
				  "\"remote HOST:PORT\"", path);
		rc = PS_ERR_INVALID;
		goto out;
	}
	*specs = out;
	*n = count;
	out = NULL;
	count = 0;
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	ps_shard_specs_free(out, count);
	free(text);
	free(dir);
	return rc;
}
