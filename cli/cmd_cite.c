/* cmd_cite.c: `policy-query cite ID...`: passages cited by id and checked with the corpus. */
#include "cite_format.h"
#include "cli.h"
#include "file.h"
#include "options.h"
#include "status.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_DB, OPT_ALLOW_PARTIAL, OPT_CORPUS, OPT_FORMAT, OPT_CONTEXT, OPT_VERIFY, OPT_HELP };

static const util_option_t options[] = {
	{"db", 'd', "DIR", "a directory", "the index (default: $POLICY_SEARCH_DB, else index)", OPT_DB},
	PQ_CLI_OPTION_ALLOW_PARTIAL(OPT_ALLOW_PARTIAL),
	{"corpus", 'C', "DIR", "a directory",
	 "where the plan files are checked (default: the corpus directory\n"
	 "the index was built from, else ./corpus)",
	 OPT_CORPUS},
	{"format", 'f', "F", "text, markdown or json", "text (default), markdown or json", OPT_FORMAT},
	{"context", 'n', "N", "a whole number", "also show N clauses before and after (default 0)",
	 OPT_CONTEXT},
	{"verify", 'v', NULL, NULL, "exit 1 when a cited file has changed or cannot be read",
	 OPT_VERIFY},
	{"help", 'h', NULL, NULL, "this text", OPT_HELP},
	{NULL, 0, NULL, NULL, NULL, 0},
};

const util_command_t pq_cite_command = {
	.program = "policy-query",
	.usage = "Usage: policy-query cite [--db DIR] [--corpus DIR] [--format text|markdown|json]\n"
		 "                         [--context N] [--verify] [ID... | -]\n"
		 "\n"
		 "Cite passages by id: the exact text as printed in the plan, the plan's title,\n"
		 "city, province and date, the section path with numbers and titles, the clause,\n"
		 "paragraph and line numbers, and a line ready to paste. Ids are\n"
		 "  dalian/3.8.1/2    clause 2 of section 3.8.1 (0 is the heading itself)\n"
		 "  dalian/3.8.1/p1   paragraph 1 of section 3.8.1\n"
		 "  dalian/3.8.1      section 3.8.1 with its sub-sections (dalian/0: the preamble)\n"
		 "With no ID, or with -, ids are read from standard input, one a line (blank lines\n"
		 "and lines starting with # are skipped).\n"
		 "\n"
		 "Each cited file in the corpus is compared with the SHA-256 recorded when it was\n"
		 "indexed; a file that has changed since is reported, with whether the cited bytes\n"
		 "are still the same.\n"
		 "\n",
	.options = options,
	.footer = "\n"
		  "Exit status: 0 every id was cited (and, with --verify, every file is unchanged);\n"
		  "1 a file changed or is missing (--verify), or the index could not be read;\n"
		  "2 an unknown or malformed id (the message names the closest ids), bad usage,\n"
		  "or no usable index. With several ids, each is cited and the worst status wins.\n",
	.unknown_hint = "(policy-query cite --help lists them)",
};

typedef struct args {
	const char *db, *corpus;
	bool allow_partial; /* --allow-partial */
	pq_cite_format_t format;
	size_t context;
	bool verify, help;
} args_t;

static int take(void *ctx, const util_option_t *o, const char *v)
{
	args_t *a = ctx;
	switch (o->id) {
	case OPT_DB: a->db = v; return 0;
	case OPT_ALLOW_PARTIAL: a->allow_partial = true; return 0;
	case OPT_CORPUS: a->corpus = v; return 0;
	case OPT_FORMAT: return pq_cite_format_parse(v, &a->format);
	case OPT_CONTEXT: return pq_cli_parse_size(v, &a->context);
	case OPT_VERIFY: a->verify = true; return 0;
	case OPT_HELP: a->help = true; return 0;
	}
	return 0;
}

typedef struct run {
	pq_citer_t *citer;
	pq_cite_writer_t *writer;
	const ps_store_t *index;
	size_t context;
	bool verify;
	int status;
	size_t seen, cited, failed_checks;
	bool stop; /* the index cannot be read: no point going on */
} run_t;

static void worse(run_t *r, int status)
{
	if (status > r->status)
		r->status = status;
}

static void cite_one(run_t *r, const char *id)
{
	pq_citation_t *c = NULL;
	char *error = NULL;
	r->seen++;
	if (pq_citer_cite(r->citer, id, r->context, &c, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_NO_MEMORY));
		worse(r, PQ_EXIT_FAILED);
		r->stop = true;
		goto out;
	}
	if (c->status != PQ_CITE_FOUND) {
		fprintf(stderr, "policy-query: %s", c->message);
		for (size_t i = 0; i < c->n_suggestions; i++)
			fprintf(stderr, "%s%s", i ? ", " : "; closest ids: ", c->suggestions[i]);
		fputc('\n', stderr);
		/* with shards left out, an id not found may be on one: a failure, not a typo */
		int missing = PQ_EXIT_USAGE;
		pq_cli_note_missing(r->index, &missing);
		worse(r, missing);
	} else {
		r->cited++;
		if (c->check != PQ_CHECK_UNCHANGED && r->verify) {
			char *m = pq_citation_check_message(c, false);
			fprintf(stderr, "policy-query: %s: %s\n", c->id, m ? m : "not verified");
			free(m);
			r->failed_checks++;
			worse(r, PQ_EXIT_FAILED);
		}
	}
	if (pq_cite_writer_add(r->writer, c, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		worse(r, PQ_EXIT_FAILED);
		r->stop = true;
	}
out:
	pq_citation_free(c);
	free(error);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Ids from standard input, one a line, at most PQ_MAX_INPUT_BYTES in all: an endless
 * stream stops there with a message, after the ids before it are cited. */
static void cite_stdin(run_t *r)
{
	strbuf_t line = STRBUF_INIT;
	size_t total = 0;
	char limit[32];
	int ch = 0;
	while (!r->stop && ch != EOF) {
		line.len = 0;
		while ((ch = getc(stdin)) != EOF && ch != '\n' && total < PQ_MAX_INPUT_BYTES) {
			char c = (char)ch;
			total++;
			if (strbuf_append(&line, &c, 1) != 0) {
				fputs("policy-query: out of memory\n", stderr);
				worse(r, PQ_EXIT_FAILED);
				r->stop = true;
				goto out;
			}
		}
		if (ch != EOF && ch != '\n') {
			fprintf(stderr, "policy-query: standard input holds more than %s of ids, the "
				"most cite reads; give them in smaller batches\n",
				util_size_name(PQ_MAX_INPUT_BYTES, limit, sizeof limit));
			worse(r, PQ_EXIT_USAGE);
			r->stop = true;
			break;
		}
		total += ch == '\n';
		size_t s = 0, e = line.len;
		while (s < e && is_blank(line.data[s]))
			s++;
		while (e > s && is_blank(line.data[e - 1]))
			e--;
		if (s == e || line.data[s] == '#')
			continue;
		line.data[e] = '\0';
		if (memchr(line.data + s, '\0', e - s) != NULL) {
			fputs("policy-query: a line of standard input holds a NUL byte\n", stderr);
			worse(r, PQ_EXIT_USAGE);
			continue;
		}
		cite_one(r, line.data + s);
	}
	if (ferror(stdin)) {
		fputs("policy-query: cannot read standard input\n", stderr);
		worse(r, PQ_EXIT_FAILED);
	}
out:
	strbuf_free(&line);
}

int pq_cmd_cite(int argc, char **argv)
{
	args_t a = {.db = pq_cli_default_db(), .format = PQ_CITE_TEXT};
	run_t r = {0};
	ps_store_t *index = NULL;
	const char **ids = calloc((size_t)argc + 1, sizeof *ids);
	size_t n_ids = 0;
	char *error = NULL;
	int status = PQ_EXIT_USAGE;

	if (ids == NULL) {
		status = PQ_EXIT_FAILED;
		goto done;
	}
	int parsed = pq_cli_parse(&pq_cite_command, "cite", argc, argv, take, &a, ids, &n_ids,
				  &a.help);
	if (parsed >= 0) {
		status = parsed;
		goto done;
	}
	r.context = a.context;
	r.verify = a.verify;
	if (n_ids == 0 && isatty(STDIN_FILENO)) {
		fputs("policy-query: no id given (give ids, or pipe them in one a line)\n", stderr);
		util_options_help(stderr, &pq_cite_command);
		goto done;
	}
	if ((index = pq_cli_open_index(a.db, a.allow_partial, &status)) == NULL)
		goto done;
	status = PQ_EXIT_FAILED;
	r.index = index;
	if (pq_citer_new(index, a.corpus, &r.citer, &error) != 0 ||
	    pq_cite_writer_new(stdout, a.format, index, &r.writer, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	if (n_ids == 0)
		cite_stdin(&r);
	for (size_t i = 0; i < n_ids && !r.stop; i++) {
		if (strcmp(ids[i], "-") == 0)
			cite_stdin(&r);
		else
			cite_one(&r, ids[i]);
	}
	if (r.seen == 0 && !r.stop) {
		fprintf(stderr, "policy-query: no id given\n");
		worse(&r, PQ_EXIT_USAGE);
	}
	if (pq_cite_writer_finish(r.writer, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		worse(&r, PQ_EXIT_FAILED);
	}
	/* shards keep a corpus directory each: each failure above named its own file */
	if (r.verify && r.failed_checks > 0 && ps_store_n_shards(index) > 1)
		fprintf(stderr, "policy-query: %zu of %zu citation%s failed verification\n",
			r.failed_checks, r.cited, r.cited == 1 ? "" : "s");
	else if (r.verify && r.failed_checks > 0)
		fprintf(stderr, "policy-query: %zu of %zu citation%s failed verification "
			"against %s\n", r.failed_checks, r.cited, r.cited == 1 ? "" : "s",
			pq_citer_corpus_dir(r.citer));
	status = r.status;
done:
	free(error);
	pq_cite_writer_free(r.writer);
	pq_citer_free(r.citer);
	ps_store_close(index);
	free(ids);
	return status;
}
