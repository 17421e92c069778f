/* cmd_plans.c: `policy-query plans`, the plans an index holds (for people, scripts and shell completion). */
#include "catalogue.h"
#include "cli.h"
#include "label.h"
#include "options.h"
#include "status.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_FORMAT, OPT_DB, OPT_ALLOW_PARTIAL, OPT_HELP };

static const util_option_t options[] = {
	{"format", 0, "F", "text or json",
	 "text (default: one plan a line, its id, city, province, date\n"
	 "or -, and title, separated by tabs) or json (as policy-serve's\n"
	 "/api/plans)",
	 OPT_FORMAT},
	{"db", 0, "DIR", "a directory", "the index (default: $POLICY_SEARCH_DB, else index)", OPT_DB},
	PQ_CLI_OPTION_ALLOW_PARTIAL(OPT_ALLOW_PARTIAL),
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{NULL, 0, NULL, NULL, NULL, 0},
};

const util_command_t pq_plans_command = {
	.program = "policy-query",
	.usage = "Usage: policy-query plans [--format text|json] [--db DIR]\n"
		 "\n"
		 "The plans the index holds, in index order. The id and the city (丹东市, or 丹东)\n"
		 "are what --city, cite's ids and policy-index --remove take.\n"
		 "\n",
	.options = options,
	.footer = "\nExit status: 0 listed, 1 failed, 2 bad usage or no usable index.\n",
	.unknown_hint = "(policy-query plans --help lists them)",
};

typedef struct args {
	const char *db;
	bool allow_partial; /* --allow-partial */
	bool json, help;
} args_t;

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	switch (o->id) {
	case OPT_FORMAT:
		if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
			return -1;
		a->json = strcmp(v, "json") == 0;
		return 0;
	case OPT_DB: a->db = v; return 0;
	case OPT_ALLOW_PARTIAL: a->allow_partial = true; return 0;
	case OPT_HELP: a->help = true; return 0;
	}
	return 0;
}

/* A field of the text listing: tabs and line breaks as spaces, so each plan is one line. */
static void put_field(const char *s, bool last)
{
	for (; *s != '\0'; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
	putchar(last ? '\n' : '\t');
}

int pq_cmd_plans(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db()};
	const char **extra = calloc((size_t)argc, sizeof *extra);
	size_t n_extra = 0;
	ps_store_t *index = NULL;
	char *error = NULL;
	int status = PQ_EXIT_USAGE;
	if (extra == NULL) {
		status = PQ_EXIT_FAILED;
		goto out;
	}
	int parsed = pq_cli_parse(&pq_plans_command, "plans", argc, argv, take, &a, extra, &n_extra,
				  &a.help);
	if (parsed >= 0) {
		status = parsed;
		goto out;
	}
	if (n_extra > 0) {
		fprintf(stderr, "policy-query: plans takes no arguments, not '%s'\n", extra[0]);
		goto out;
	}
	if ((index = pq_cli_open_index(a.db, a.allow_partial, &status)) == NULL)
		goto out;
	status = PQ_EXIT_FAILED;
	if (a.json) {
		if (pq_catalogue_write_plans(stdout, index, &error) != PS_OK) {
			fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_IO));
			goto out;
		}
	} else {
		size_t n;
		const ps_plan_t *plans = ps_store_plans(index, &n);
		strbuf_t doc = STRBUF_INIT;
		for (size_t i = 0; i < n; i++) {
			doc.len = 0;
			pq_label_document(&plans[i], &doc);
			put_field(plans[i].city_id, false);
			put_field(plans[i].city, false);
			put_field(plans[i].province, false);
			put_field(plans[i].date ? plans[i].date : "-", false);
			put_field(doc.data ? doc.data : "", true);
		}
		strbuf_free(&doc);
	}
	status = PQ_EXIT_OK;
out:
	free(error);
	free(extra);
	ps_store_close(index);
	return status;
}
