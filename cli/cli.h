/* cli.h: what every policy-query subcommand shares: exit statuses, the index to open, the plans named. */
#ifndef PQ_CLI_H
#define PQ_CLI_H

#include "options.h"
#include "store.h"
#include "thesaurus.h"


#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses of every subcommand. */
enum { PQ_EXIT_OK = 0, PQ_EXIT_FAILED = 1, PQ_EXIT_USAGE = 2 };

/* The most a terms file (freq -f) or a list of ids on standard input (cite) may hold:
 * endless input (/dev/zero, a stream that never ends) is refused once it passes this. */
#define PQ_MAX_INPUT_BYTES (16UL << 20)

/* The index directory: $POLICY_SEARCH_DB if set and not empty, else "index". */
const char *pq_cli_default_db(void);

/* Open the index at dir (or the shards a stub file there names; with allow_partial, those
 * that do not answer are left out, each with a warning on stderr); on failure print the
 * reason (which says how to fix it) to stderr and return NULL, setting *status to
 * PQ_EXIT_FAILED when a shard did not answer (a failure, not bad usage) and leaving it
 * as it is otherwise. */
ps_store_t *pq_cli_open_index(const char *dir, bool allow_partial, int *status);

/* Parse the options of subcommand `name` ("freq"; "" for search) into ctx through take,
 * the other arguments into rest[0, *n_rest) (util_options_parse); *help is ctx's --help,
 * set by take. Returns -1 when the command goes on; else the exit status it ends with:
 * PQ_EXIT_USAGE after bad usage (said on stderr, with how to get help), PQ_EXIT_OK after
 * --help printed (standard output is checked when main flushes it). */
int pq_cli_parse(const util_command_t *command, const char *name, int argc, char **argv,
		 util_option_take_t take, void *ctx, const char **rest, size_t *n_rest,
		 const bool *help);

/* --allow-partial, as every command that reads an index takes it (PS_OPEN_ALLOW_PARTIAL:
 * pq_cli_open_index then warns of each shard left out). */
#define PQ_CLI_OPTION_ALLOW_PARTIAL(id)                                                    \
	{"allow-partial", 0, NULL, NULL,                                                    \
	 "with shards (--db FILE): answer from those that answer, with a\n"                 \
	 "warning naming the others (JSON: \"partial\": true)",                             \
	 (id)}

/* Resolve --city and --province names to plans (pq_select_plans), then keep those dated
 * within --date (pq_select_dated; NULL for no --date), saying on stderr how many undated
 * plans that left out: 0 and a malloc'd array of *n_out borrowed pointers (free the array
 * only; NULL and 0 when nothing is given, no limit); -1 after printing why to stderr (an
 * unknown name, with the ones the index holds; no plan in the dates). When shards were
 * left out (--allow-partial), a name the index lacks may be on one of them: that is said
 * too, and *status set to PQ_EXIT_FAILED (else it is left as it is). */
/* When shards were left out (--allow-partial), say on stderr that a plan or id not found
 * may be on one of them, and set *status to PQ_EXIT_FAILED: not the user's mistake. */
void pq_cli_note_missing(const ps_store_t *index, int *status);

int pq_cli_resolve_plans(ps_store_t *index, char *const *cities, size_t n_cities,
			char *const *provinces, size_t n_provinces, const char *date,
			const ps_plan_t ***out, size_t *n_out, int *status);

/* Whether text is a --date range (pq_date_range_parse). Returns 0, or -1. */
int pq_cli_check_date(const char *text);

/* "1 plan", "2 plans": n and the noun, with an s unless n is 1, into buf. Returns buf. */
const char *pq_cli_count(char *buf, size_t size, size_t n, const char *noun);

/* The two options every command that parses queries takes for ~CONCEPT (search has its
 * own wording, as --any uses the thesaurus too). */
#define PQ_CLI_THESAURUS_OPTIONS(id_file, id_none)                                          \
	{"thesaurus", 0, "FILE", "a thesaurus file",                                        \
	 "add FILE's concept groups (HEAD = VARIANT | …) to the\n"                          \
	 "bundled thesaurus that ~CONCEPT uses; repeat for several",                        \
	 (id_file)},                                                                        \
	{"no-thesaurus", 0, NULL, NULL, "use no thesaurus, not even the bundled one", (id_none)}

/* What --thesaurus FILE... and --no-thesaurus asked for. */
typedef struct pq_cli_thesaurus {
	const char **files; /* room for argc entries, calloc'd by the command; free it */
	size_t n_files;
	bool none;
} pq_cli_thesaurus_t;

/* Take --no-thesaurus (none) or --thesaurus v. Returns 0, or -1 for an empty file name
 * (a util_option_take_t's answer). */
int pq_cli_thesaurus_take(pq_cli_thesaurus_t *t, bool none, const char *v);

/* The thesaurus a command uses (pq_thesaurus_open): opened when `needed` (--any, or the
 * query has a ~CONCEPT), or files or --no-thesaurus were given, as policy-serve opens it at
 * start; else NULL. Returns 0 with *out (to free), or -1 after printing why (a bad file:
 * bad usage). */
int pq_cli_open_thesaurus(bool needed, const pq_cli_thesaurus_t *t, pq_thesaurus_t **out);

/* Parse a whole non-negative decimal number, digits only (no sign, no white space).
 * Returns 0, or -1 if s is anything else or too big. */
int pq_cli_parse_size(const char *s, size_t *out);

/* Print "policy-query VERSION (index schema N)" to standard output. Cannot fail (a
 * failed write shows at exit). */
void pq_cli_print_version(void);

/* Whether to colour output to `out` for --color WHEN: "always", "never", or "auto": when
 * out is a terminal and $NO_COLOR is unset or empty. Cannot fail. */
bool pq_cli_color(const char *when, FILE *out);

/* The option tables of the subcommands, for policy-query's own parsing (main.c). */
extern const util_command_t pq_search_command, pq_cite_command, pq_freq_command,
	pq_kwic_command, pq_plans_command, pq_indicators_command;

/* The subcommands (cmd_*.c): each takes the arguments after its name (argv[0] is the
 * subcommand's name) and returns an exit status. */
int pq_cmd_search(int argc, char **argv);
int pq_cmd_cite(int argc, char **argv);
int pq_cmd_freq(int argc, char **argv);
int pq_cmd_kwic(int argc, char **argv);
int pq_cmd_indicators(int argc, char **argv);
int pq_cmd_plans(int argc, char **argv);

#endif
