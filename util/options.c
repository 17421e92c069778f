/* options.c: parsing arguments and printing --help from one table of options. */
#include "options.h"

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

int util_options_parse(const util_command_t *cmd, int argc, char **argv,
		       util_option_take_t take, void *ctx, const char **args, size_t *n_args)
{
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
			if (o == NULL && cmd->dash_words) {
				args[(*n_args)++] = arg;
				continue;
			}
			has_value = o != NULL && o->value != NULL && arg[2] != '\0';
			value = has_value ? arg + 2 : NULL;
			snprintf(typed, sizeof typed, "-%c", arg[1]);
		}
		if (o == NULL) {
			fprintf(stderr, "%s: unknown option '%s'%s%s\n", cmd->program, arg,
				cmd->unknown_hint ? " " : "",
				cmd->unknown_hint ? cmd->unknown_hint : "");
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
