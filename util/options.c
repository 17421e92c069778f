/* options.c: parsing arguments and printing --help from one table of options. */
#include "options.h"

#include <stdint.h>
#include <string.h>

int util_option_refuse(const util_command_t *cmd, const char *name, const char *value,
		       const char *expect)
{
	if (value == NULL)
		fprintf(stderr, "%s: %s needs a value (%s)\n", cmd->program, name, expect);
	else
		fprintf(stderr, "%s: %s takes %s, not '%s'\n", cmd->program, name, expect, value);
	return -2;
}

static const util_option_t *find_long(const util_command_t *cmd, const char *name, size_t n)
{
	for (const util_option_t *o = cmd->options; o->name != NULL; o++)
		if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			return o;
	return NULL;
}

static const util_option_t *find_short(const util_command_t *cmd, char c)
{
	for (const util_option_t *o = cmd->options; o->name != NULL; o++)
		if (o->short_name != 0 && o->short_name == c)
			return o;
	return NULL;
}

/* Edit distance of a[0,na) and b[0,nb), bytes, a swap of two neighbours counting as one
 * edit (--scpoe is one from --scope); capped at 64 bytes each (longer names are not options
 * anyone meant). */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
	size_t d[65][65];
	if (na > 64 || nb > 64)
		return SIZE_MAX;
	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[na][nb];
}

const util_option_t *util_option_nearest(const util_command_t *cmd, const char *typed)
{
	while (*typed == '-')
		typed++;
	size_t n = strcspn(typed, "="), best = SIZE_MAX;
	const util_option_t *nearest = NULL;
	if (n == 0)
		return NULL;
	if (n == 1) { /* -x: the one long option that starts with x, if only one does */
		for (const util_option_t *o = cmd->options; o->name != NULL; o++)
			if (o->name[0] == typed[0]) {
				if (nearest != NULL)
					return NULL;
				nearest = o;
			}
		return nearest;
	}
	for (const util_option_t *o = cmd->options; o->name != NULL; o++) {
		size_t d = distance(typed, n, o->name, strlen(o->name));
		/* a prefix of an option (--lim) is near it whatever its length */
		if (strncmp(o->name, typed, n) == 0)
			d = 1;
		if (d < best) {
			best = d;
			nearest = o;
		}
	}
	/* at most a third of the name wrong: --limt, --fromat, --citty, not --x for --db */
	return best <= 1 || best * 3 <= n ? nearest : NULL;
}

/* "PROGRAM: unknown option 'ARG' (did you mean --NAME?) HINT" */
static void unknown(const util_command_t *cmd, const char *arg)
{
	const util_option_t *o = util_option_nearest(cmd, arg);
	fprintf(stderr, "%s: unknown option '%s'", cmd->program, arg);
	if (o != NULL)
		fprintf(stderr, " (did you mean --%s?)", o->name);
	if (cmd->unknown_hint != NULL)
		fprintf(stderr, " %s", cmd->unknown_hint);
	fputc('\n', stderr);
}

/* Whether arg is an option of cmd as it would be read at that point (not "-", not a
 * "-word" after an argument), and whether it takes the next argument as its value. */
static bool is_option(const util_command_t *cmd, const char *arg, bool after_arg,
		      bool *takes_next)
{
	*takes_next = false;
	if (arg[0] != '-' || arg[1] == '\0')
		return false;
	const util_option_t *o;
	if (arg[1] == '-') {
		const char *name = arg + 2, *eq = strchr(name, '=');
		o = find_long(cmd, name, eq ? (size_t)(eq - name) : strlen(name));
		*takes_next = o != NULL && o->value != NULL && eq == NULL;
		return true;
	}
	o = find_short(cmd, arg[1]);
	if (o != NULL && o->value == NULL && arg[2] != '\0')
		o = NULL;
	if (o == NULL)
		return !(cmd->dash_words && after_arg);
	*takes_next = o->value != NULL && arg[2] == '\0';
	return true;
}

int util_options_first_arg(const util_command_t *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		bool takes_next;
		if (strcmp(argv[i], "--") == 0)
			return argc;
		if (!is_option(cmd, argv[i], false, &takes_next))
			return i;
		i += takes_next;
	}
	return argc;
}

int util_options_parse(const util_command_t *cmd, int argc, char **argv,
		       util_option_take_t take, void *ctx, const char **args, size_t *n_args)
{
	bool after_arg = false; /* an argument or "--" came before: "-word" is a word */
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		const util_option_t *o = NULL;
		char typed[80]; /* the option as typed, without its value, for messages */
		if (strcmp(arg, "--") == 0) {
			while (++i < argc)
				args[(*n_args)++] = argv[i];
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			args[(*n_args)++] = arg;
			after_arg = true;
			continue;
		}
		bool has_value = false;
		if (arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			o = find_long(cmd, name, n);
			has_value = eq != NULL;
			value = eq ? eq + 1 : NULL;
			snprintf(typed, sizeof typed, "--%.*s", (int)(n < 60 ? n : 60), name);
		} else {
			o = find_short(cmd, arg[1]);
			if (o != NULL && o->value == NULL && arg[2] != '\0')
				o = NULL; /* -hx: not a switch we know */
			if (o == NULL && cmd->dash_words && after_arg) {
				args[(*n_args)++] = arg;
				continue;
			}
			has_value = o != NULL && o->value != NULL && arg[2] != '\0';
			value = has_value ? arg + 2 : NULL;
			snprintf(typed, sizeof typed, "-%c", arg[1]);
		}
		if (o == NULL) {
			unknown(cmd, arg);
			return -1;
		}
		if (o->value == NULL && has_value) {
			util_option_refuse(cmd, typed, value, "no value");
			return -1;
		}
		if (o->value != NULL && !has_value) {
			if (i + 1 >= argc) {
				util_option_refuse(cmd, typed, NULL, o->expect);
				return -1;
			}
			value = argv[++i];
		}
		int rc = take(ctx, o, value);
		if (rc == -1)
			util_option_refuse(cmd, typed, value, o->expect);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int util_options_help(FILE *out, const util_command_t *cmd)
{
	size_t width = 0;
	char head[96];
	for (const util_option_t *o = cmd->options; o->name != NULL; o++) {
		int n = snprintf(head, sizeof head, "%s--%s%s%s", o->short_name ? "-x, " : "",
				 o->name, o->value ? " " : "", o->value ? o->value : "");
		if ((size_t)n > width)
			width = (size_t)n;
	}
	width += 2;
	int bad = fputs(cmd->usage, out) == EOF;
	for (const util_option_t *o = cmd->options; o->name != NULL; o++) {
		if (o->short_name)
			snprintf(head, sizeof head, "-%c, --%s%s%s", o->short_name, o->name,
				 o->value ? " " : "", o->value ? o->value : "");
		else
			snprintf(head, sizeof head, "--%s%s%s", o->name, o->value ? " " : "",
				 o->value ? o->value : "");
		bad |= fprintf(out, "  %-*s", (int)width, head) < 0;
		for (const char *p = o->help; *p != '\0';) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			bad |= fprintf(out, "%.*s\n", (int)n, p) < 0;
			p += n + (nl != NULL);
			if (*p != '\0')
				bad |= fprintf(out, "  %-*s", (int)width, "") < 0;
		}
	}
	if (cmd->footer != NULL)
		bad |= fputs(cmd->footer, out) == EOF;
	return bad ? -1 : 0;
}
