/* main.c: policy-query, dispatching to its subcommands (search when none is named). */
#include "cli.h"
#include "file.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command_t;

static const command_t commands[] = {
	{"search", pq_cmd_search, "the passages that match a query (the default)"},
	{"cite", pq_cmd_cite, "the exact text and place of passages, by id, checked"},
	{"freq", pq_cmd_freq, "how often terms occur per city, plan, chapter or section"},
	{"kwic", pq_cmd_kwic, "every occurrence of a query in its context (a concordance)"},
};

static void usage(FILE *out)
{
	fputs("Usage: policy-query [COMMAND] [OPTIONS] ARGS...\n\nCommands:\n", out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nWith no command, the arguments are a search: policy-query 双减 is\n"
	      "policy-query search 双减 (to search for a command's name, name the command).\n"
	      "policy-query COMMAND --help describes each.\n",
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
	for (size_t i = 0; argc >= 2 && i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (argc < 2) {
		usage(stderr);
		return PQ_EXIT_USAGE;
	}
	/* "policy-query --db x cite ID" would search for the word cite: say where the
	 * command goes instead */
	for (int a = 2; argv[1][0] == '-' && a < argc; a++)
		for (size_t i = 1; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[a], commands[i].name) == 0) {
				fprintf(stderr, "policy-query: the command goes first: policy-query %s "
					"[OPTIONS] …; to search for the word %s, write policy-query "
					"search [OPTIONS] … %s\n", commands[i].name, commands[i].name,
					commands[i].name);
				return PQ_EXIT_USAGE;
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
