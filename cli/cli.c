/* cli.c: helpers shared by the policy-query subcommands. */
#include "cli.h"
#include "status.h"

#include "select.h"
#include "version.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *pq_cli_default_db(void)
{
	const char *env_db = getenv("POLICY_SEARCH_DB");
	return env_db && *env_db ? env_db : "index";
}

ps_store_t *pq_cli_open_index(const char *dir)
{
	ps_store_t *index = NULL;
	char *error = NULL;
	if (ps_store_open(dir, &index, &error) != PS_OK) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		free(error);
		return NULL;
	}
	return index;
}

int pq_cli_resolve_plans(ps_store_t *index, char *const *cities, size_t n_cities,
			char *const *provinces, size_t n_provinces, const ps_plan_t ***out,
			size_t *n_out)
{
	char *error = NULL;
	if (pq_select_plans(index, (const char *const *)cities, n_cities,
			    (const char *const *)provinces, n_provinces, out, n_out, &error) != PS_OK) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		free(error);
		return -1;
	}
	return 0;
}

int pq_cli_parse_size(const char *s, size_t *out)
{
	char *end;
	if (*s < '0' || *s > '9') /* strtoull would take " 5", "+5" and "-5" */
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

void pq_cli_print_version(void)
{
	printf("policy-query %s (index schema %s)\n", PS_VERSION, ps_store_schema());
}

bool pq_cli_color(const char *when, FILE *out)
{
	if (strcmp(when, "always") == 0)
		return true;
	if (strcmp(when, "never") == 0)
		return false;
	const char *no_color = getenv("NO_COLOR");
	return isatty(fileno(out)) && (no_color == NULL || *no_color == '\0');
}
