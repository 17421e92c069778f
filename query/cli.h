/* cli.h: what every policy-query subcommand shares: exit statuses, the index to open, cities. */
#ifndef PQ_CLI_H
#define PQ_CLI_H

#include "store.h"

#include <stddef.h>

/* Exit statuses of every subcommand. */
enum { PQ_EXIT_OK = 0, PQ_EXIT_FAILED = 1, PQ_EXIT_USAGE = 2 };

/* The most a terms file (freq -f) or a list of ids on standard input (cite) may hold:
 * endless input (/dev/zero, a stream that never ends) is refused once it passes this. */
#define PQ_MAX_INPUT_BYTES (16UL << 20)

/* The index directory: $POLICY_SEARCH_DB if set and not empty, else "index". */
const char *pq_cli_default_db(void);

/* Open the index at dir; on failure print the reason (which says how to fix it) to stderr
 * and return NULL. */
ps_store_t *pq_cli_open_index(const char *dir);

/* Resolve --city names (丹东, 丹东市, dandong) to plans: every plan of a city the name
 * names, each once. Returns 0 and a malloc'd array of *n_out borrowed pointers (free the
 * array only); -1 after printing the unknown name and the known cities to stderr, or when
 * memory runs out. n_out may point at n's own variable. */
int pq_cli_resolve_cities(ps_store_t *index, char *const *names, size_t n,
			  const ps_plan_t ***out, size_t *n_out);

/* Report an option's missing or bad value ("policy-query: --limit takes a whole number, not
 * 'x'"); name as typed, with its dashes. Returns -1, for `return pq_cli_bad_value(…)`. */
int pq_cli_bad_value(const char *name, const char *value, const char *expected);

/* Where the options every subcommand that reads the index shares go: --db DIR, --city C
 * (repeatable, appended to cities[*n_cities], which has room for every argument) and,
 * where output is not NULL, --output F (at most once). */
typedef struct pq_cli_shared {
	const char **db;
	const char **cities;
	size_t *n_cities;
	const char **output;
} pq_cli_shared_t;

/* Take option `name` (n bytes, its dashes and any "=value" left off; `arg` as typed) with
 * value v (NULL when missing) if it is one of the shared ones. Returns 1 when taken, 0 when
 * it is another option, or -1 after reporting a missing or bad value (pq_cli_bad_value). */
int pq_cli_shared_option(const pq_cli_shared_t *shared, const char *arg, const char *name,
			 size_t n, const char *v);

/* Parse a whole non-negative decimal number, digits only (no sign, no white space).
 * Returns 0, or -1 if s is anything else or too big. */
int pq_cli_parse_size(const char *s, size_t *out);

/* The subcommands (cmd_*.c): each takes the arguments after its name (argv[0] is the
 * subcommand's name) and returns an exit status. */
int pq_cmd_search(int argc, char **argv);
int pq_cmd_cite(int argc, char **argv);
int pq_cmd_freq(int argc, char **argv);
int pq_cmd_kwic(int argc, char **argv);

#endif
