/* main.c: policy-query, dispatching to its subcommands (search when none is named). */
#include "cli.h"
#include "options.h"
#include "file.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const util_command_t *options;
	const char *summary;
} command_t;

static const command_t commands[] = {
	{"search", pq_cmd_search, &pq_search_command,
	 "the passages that match a query (the default)"},
	{"cite", pq_cmd_cite, &pq_cite_command,
	 "the exact text and place of passages, by id, checked"},
	{"freq", pq_cmd_freq, &pq_freq_command,
	 "how often terms occur per city, plan, chapter or section"},
	{"kwic", pq_cmd_kwic, &pq_kwic_command,
	 "every occurrence of a query in its context (a concordance)"},
	{"indicators", pq_cmd_indicators, &pq_indicators_command,
	 "the rows of the plans' indicator tables, or compared"},
	{"plans", pq_cmd_plans, &pq_plans_command, "the plans the index holds, with their ids"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
	fputs("Usage: policy-query [COMMAND] [OPTIONS] ARGS...\n\nCommands:\n", out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nWith no command, the arguments are a search: policy-query 双减 is\n"
	      "policy-query search 双减 (to search for a command's name, name the command).\n"
	      "Options may come before or after COMMAND (policy-query --db DIR freq 双减);\n"
	      "policy-query COMMAND --help describes each, policy-query --version the version.\n",
	      out);
}

static int run(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		fputs("\n", stdout);
		char *search_help[] = {"search", "--help", NULL};
		return pq_cmd_search(2, search_help);
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		pq_cli_print_version();
		return PQ_EXIT_OK;
	}
	if (argc < 2) {
		usage(stderr);
		return PQ_EXIT_USAGE;
	}
	/* The command is the first argument that is not an option or an option's value, as
	 * that command's own table reads them: "policy-query --db X freq 双减" is freq with
	 * --db X. It moves to the front, the options before it following it. */
	for (size_t i = 0; i < N_COMMANDS; i++) {
		int at = util_options_first_arg(commands[i].options, argc, argv);
		if (at >= argc || strcmp(argv[at], commands[i].name) != 0)
			continue;
		char *name = argv[at];
		memmove(argv + 2, argv + 1, (size_t)(at - 1) * sizeof *argv);
		argv[1] = name;
		return commands[i].run(argc - 1, argv + 1);
	}
	return pq_cmd_search(argc, argv);
}

int main(int argc, char **argv)
{
	int status = run(argc, argv);
	char *error = NULL;
	/* --help to /dev/full must not exit 0; a command that failed to write said so itself */
	if (util_stdout_flush(&error) != 0 && status == PQ_EXIT_OK) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_IO));
		status = PQ_EXIT_FAILED;
	}
	free(error);
	return status;
}
