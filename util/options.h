/* options.h: a command's options as one table that both parses its arguments and prints its --help. */
#ifndef UTIL_OPTIONS_H
#define UTIL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One option. A table ends with an entry whose name is NULL. */
typedef struct util_option {
	const char *name;   /* the long name, without its dashes: "limit" is --limit */
	char short_name;    /* 'o' for -o, or 0 */
	const char *value;  /* the value's name in --help ("N", "DIR"); NULL for a switch */
	const char *expect; /* what the value must be, for messages: "a whole number" */
	const char *help;   /* what it does; each '\n' starts a line under the first */
	int id;             /* the command's own code for it */
} util_option_t;

typedef struct util_command {
	const char *program;      /* for messages: "policy-query" */
	const char *usage;        /* --help before the options ("Usage: …\n\n…\n\n") */
	const util_option_t *options;
	const char *footer;       /* --help after the options ("\nExit status: …\n"), or NULL */
	const char *unknown_hint; /* after "unknown option '--x'": "(policy-query --help lists
				   * them)" */
	bool dash_words;          /* "-word" after an argument (or after "--") is an argument
				   * (a query's NOT), not an unknown option */
} util_command_t;

/* Called for each option met, in order, with its value (NULL for a switch). Returns 0;
 * -1 when the value is not what the option takes (the parser then prints "PROGRAM: --name
 * takes EXPECT, not 'VALUE'"); or -2 after printing a message of its own. */
typedef int (*util_option_take_t)(void *ctx, const util_option_t *option, const char *value);

/*
 * Parse argv[1..argc): "--name value", "--name=value", "-x value" and "-xvalue" for an
 * option with a value, "--name" or "-x" for a switch, wherever they stand; "--" ends the
 * options; "-" and every other argument go to args[*n_args] in order (args has room for
 * argc entries). With dash_words, "-word" that is no option goes there too once an
 * argument or "--" came before it; before that it is an unknown option, as "--word"
 * always is. Returns 0, or -1 after printing to stderr why (an unknown option with the
 * nearest known one, a missing or unwanted value, what take refused).
 */
int util_options_parse(const util_command_t *cmd, int argc, char **argv,
		       util_option_take_t take, void *ctx, const char **args, size_t *n_args);

/* The index of the first argument in argv[1..argc) that is not an option or an option's
 * value, as util_options_parse would read them (argc when there is none, or when "--"
 * comes first). Prints nothing; cannot fail. */
int util_options_first_arg(const util_command_t *cmd, int argc, char **argv);

/* The known option nearest to `typed` ("--limt", "-limit", "-l"; dashes and any "=value"
 * ignored): a long name a third of whose letters or fewer differ, one it begins, or for a
 * single letter the only option starting with it. NULL when none is near. */
const util_option_t *util_option_nearest(const util_command_t *cmd, const char *typed);

/* Print the command's --help: its usage, one aligned entry per option ("  -o, --output F
 * what it does"), its footer. Returns 0, or -1 when a write fails. */
int util_options_help(FILE *out, const util_command_t *cmd);

/* Print "PROGRAM: --name takes EXPECT, not 'VALUE'" (or "needs a value (EXPECT)" when value
 * is NULL) to stderr. Returns -2, what a take function returns after it. */
int util_option_refuse(const util_command_t *cmd, const char *name, const char *value,
		       const char *expect);

#endif
