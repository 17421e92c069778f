/* cli.c: helpers shared by the policy-query subcommands. */
#include "cli.h"
#include "status.h"

#include "dates.h"
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

ps_store_t *pq_cli_open_index(const char *dir, bool allow_partial, int *status)
{
	ps_store_t *index = NULL;
	char *error = NULL;
	/* a command reads what it needs once: PS_OPEN_ONE_SHOT */
	ps_status_t rc = ps_store_open_with(
		dir, PS_OPEN_ONE_SHOT | (allow_partial ? PS_OPEN_ALLOW_PARTIAL : 0), &index, &error);
	if (rc != PS_OK) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		if (rc == PS_ERR_NO_INDEX) /* perhaps there is one, elsewhere */
			fputs("policy-query: or point --db DIR or $POLICY_SEARCH_DB at an "
			      "existing index\n", stderr);
		if (rc == PS_ERR_NETWORK)
			*status = PQ_EXIT_FAILED;
		free(error);
		return NULL;
	}
	for (size_t k = 0; k < ps_store_n_missing(index); k++)
		fprintf(stderr, "policy-query: warning: %s; answering without its plans "
			"(--allow-partial)\n", ps_store_missing(index, k));
	return index;
}

void pq_cli_note_missing(const ps_store_t *index, int *status)
{
	size_t n = ps_store_n_missing(index);
	if (n == 0)
		return;
	fprintf(stderr, "policy-query: %zu shard%s did not answer (--allow-partial): what is "
		"missing may be on %s\n", n, n == 1 ? "" : "s", n == 1 ? "it" : "one of them");
	*status = PQ_EXIT_FAILED;
}

int pq_cli_parse(const util_command_t *command, const char *name, int argc, char **argv,
		 util_option_take_t take, void *ctx, const char **rest, size_t *n_rest,
		 const bool *help)
{
	if (util_options_parse(command, argc, argv, take, ctx, rest, n_rest) != 0) {
		fprintf(stderr, "policy-query: policy-query %s%s--help describes the options\n", name,
			*name ? " " : "");
		return PQ_EXIT_USAGE;
	}
	if (*help) {
		/* a failed write is main's to report, when it flushes standard output */
		util_options_help(stdout, command);
		return PQ_EXIT_OK;
	}
	return -1;
}

int pq_cli_resolve_plans(ps_store_t *index, char *const *cities, size_t n_cities,
			char *const *provinces, size_t n_provinces, const char *date,
			const ps_plan_t ***out, size_t *n_out, int *status)
{
	char *error = NULL, count[64];
	const ps_plan_t **named = NULL, **dated = NULL;
	size_t n_named = 0, n_dated = 0, n_undated = 0;
	pq_date_span_t range;
	if (pq_select_plans(index, (const char *const *)cities, n_cities,
			    (const char *const *)provinces, n_provinces, &named, &n_named,
			    &error) != PS_OK)
		goto failed;
	if (date == NULL) {
		*out = named;
		*n_out = n_named;
		return 0;
	}
	if (pq_date_range_parse(date, &range) != 0) { /* checked when the option was read */
		free(named);
		return -1;
	}
	ps_status_t rc = pq_select_dated(index, (const ps_plan_t *const *)named, n_named,
					 &range, date, &dated, &n_dated, &n_undated, &error);
	free(named);
	if (rc != PS_OK)
		goto failed;
	if (n_undated > 0)
		fprintf(stderr, "policy-query: --date leaves out %s with no date\n",
			pq_cli_count(count, sizeof count, n_undated, "plan"));
	*out = dated;
	*n_out = n_dated;
	return 0;
failed:
	fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
	free(error);
	pq_cli_note_missing(index, status);
	return -1;
}

int pq_cli_check_date(const char *text)
{
	pq_date_span_t range;
	return pq_date_range_parse(text, &range);
}

const char *pq_cli_count(char *buf, size_t size, size_t n, const char *noun)
{
	snprintf(buf, size, "%zu %s%s", n, noun, n == 1 ? "" : "s");
	return buf;
}

int pq_cli_thesaurus_take(pq_cli_thesaurus_t *t, bool none, const char *v)
{
	if (none) {
		t->none = true;
		return 0;
	}
	if (*v == '\0')
		return -1;
	t->files[t->n_files++] = v;
	return 0;
}

int pq_cli_open_thesaurus(bool needed, const pq_cli_thesaurus_t *t, pq_thesaurus_t **out)
{
	char *error = NULL;
	*out = NULL;
	if (!needed && !t->none && t->n_files == 0)
		return 0;
	ps_status_t st = pq_thesaurus_open(!t->none, t->files, t->n_files, out, &error);
	if (st != PS_OK)
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, st));
	free(error);
	return st == PS_OK ? 0 : -1;
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
