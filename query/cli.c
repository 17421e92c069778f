/* cli.c: helpers shared by the policy-query subcommands. */
#include "cli.h"
#include "status.h"

#include "escape.h"

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

int pq_cli_resolve_cities(ps_store_t *index, char *const *names, size_t n,
			  const ps_plan_t ***out, size_t *n_out)
{
	size_t n_plans, found = 0;
	const ps_plan_t *plans = ps_store_plans(index, &n_plans);
	const ps_plan_t **cities = calloc(n_plans ? n_plans : 1, sizeof *cities);
	if (cities == NULL) {
		fprintf(stderr, "policy-query: out of memory\n");
		return -1;
	}
	const ps_plan_t **named = calloc(n_plans ? n_plans : 1, sizeof *named);
	if (named == NULL) {
		free(cities);
		fprintf(stderr, "policy-query: out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = ps_store_find_cities(index, names[i], named);
		for (size_t j = 0; j < k; j++) {
			bool listed = false;
			for (size_t c = 0; c < found && !listed; c++)
				listed = cities[c] == named[j];
			if (!listed)
				cities[found++] = named[j];
		}
		if (k > 0)
			continue;
		fputs("policy-query: unknown city '", stderr);
		util_fputs_escaped(stderr, names[i]);
		fputs("'; the index has:", stderr);
		enum { LISTED = 20 }; /* an index of thousands of plans names the first few */
		for (size_t p = 0; p < n_plans && p < LISTED; p++) {
			fputs(p ? ", " : " ", stderr);
			util_fputs_escaped(stderr, plans[p].city);
			fprintf(stderr, " (%s)", plans[p].city_id);
		}
		if (n_plans > LISTED)
			fprintf(stderr, " and %zu more", n_plans - LISTED);
		fputc('\n', stderr);
		free(cities);
		free(named);
		return -1;
	}
	free(named);
	*out = cities;
	*n_out = found;
	return 0;
}

int pq_cli_bad_value(const char *name, const char *value, const char *expected)
{
	if (value == NULL)
		fprintf(stderr, "policy-query: %s needs a value (%s)\n", name, expected);
	else
		fprintf(stderr, "policy-query: %s takes %s, not '%s'\n", name, expected, value);
	return -1;
}

int pq_cli_shared_option(const pq_cli_shared_t *sh, const char *arg, const char *name,
			 size_t n, const char *v)
{
#define IS(opt) (n == strlen(opt) && strncmp(name, opt, n) == 0)
	if (IS("db")) {
		if (v == NULL)
			return pq_cli_bad_value("--db", v, "a directory");
		*sh->db = v;
	} else if (IS("city")) {
		if (v == NULL)
			return pq_cli_bad_value("--city", v, "a city");
		sh->cities[(*sh->n_cities)++] = v;
	} else if (sh->output != NULL && IS("output")) {
		if (v == NULL || *v == '\0' || *sh->output != NULL)
			return pq_cli_bad_value(arg, v, *sh->output ? "one file name, once"
								    : "a file name");
		*sh->output = v;
	} else {
		return 0;
	}
#undef IS
	return 1;
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
