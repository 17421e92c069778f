/* cli.c: helpers shared by the policy-query subcommands. */
#include "cli.h"
#include "status.h"

#include "select.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
