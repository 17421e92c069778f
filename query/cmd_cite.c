/* cmd_cite.c: `policy-query cite ID...`: passages cited by id and checked with the corpus. */
#include "cite.h"
#include "cli.h"
#include "file.h"
#include "status.h"
#include "strbuf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fputs("Usage: policy-query cite [--db DIR] [--corpus DIR] [--format text|markdown|json]\n"
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
	      "\n"
	      "  --db DIR         the index (default: $POLICY_SEARCH_DB, else index)\n"
	      "  --corpus DIR     where the plan files are checked (default: the corpus directory\n"
	      "                   the index was built from, else ./corpus)\n"
	      "  --format F       text (default), markdown or json\n"
	      "  --context N      also show N clauses before and after (default 0)\n"
	      "  --verify         exit 1 when a cited file has changed or cannot be read\n"
	      "  --help           this text\n"
	      "\n"
	      "Exit status: 0 every id was cited (and, with --verify, every file is unchanged);\n"
	      "1 a file changed or is missing (--verify), or the index could not be read;\n"
	      "2 an unknown or malformed id (the message names the closest ids), bad usage,\n"
	      "or no usable index. With several ids, each is cited and the worst status wins.\n",
	      out);
}

typedef struct run {
	pq_citer_t *citer;
	pq_cite_writer_t *writer;
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
		worse(r, PQ_EXIT_USAGE);
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
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},     {"corpus", required_argument, NULL, 'C'},
		{"format", required_argument, NULL, 'f'}, {"context", required_argument, NULL, 'n'},
		{"verify", no_argument, NULL, 'v'},       {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = pq_cli_default_db(), *corpus = NULL;
	pq_cite_format_t format = PQ_CITE_TEXT;
	run_t r = {0};
	ps_store_t *index = NULL;
	char *error = NULL;
	int status = PQ_EXIT_USAGE, c;

	while ((c = getopt_long(argc, argv, "d:C:f:n:vh", options, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'C': corpus = optarg; break;
		case 'f':
			if (pq_cite_format_parse(optarg, &format) != 0) {
				fprintf(stderr, "policy-query: unknown format '%s' (text, "
					"markdown or json)\n", optarg);
				goto done;
			}
			break;
		case 'n':
			if (pq_cli_parse_size(optarg, &r.context) != 0) {
				fprintf(stderr, "policy-query: --context takes a whole number, not "
					"'%s'\n", optarg);
				goto done;
			}
			break;
		case 'v': r.verify = true; break;
		case 'h': usage(stdout); status = PQ_EXIT_OK; goto done;
		default: usage(stderr); goto done;
		}
	}
	if (optind >= argc && isatty(STDIN_FILENO)) {
		fputs("policy-query: no id given (give ids, or pipe them in one a line)\n", stderr);
		usage(stderr);
		goto done;
	}
	if ((index = pq_cli_open_index(db)) == NULL)
		goto done;
	status = PQ_EXIT_FAILED;
	if (pq_citer_new(index, corpus, &r.citer, &error) != 0 ||
	    pq_cite_writer_new(stdout, format, &r.writer, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		goto done;
	}
	if (optind >= argc)
		cite_stdin(&r);
	for (int i = optind; i < argc && !r.stop; i++) {
		if (strcmp(argv[i], "-") == 0)
			cite_stdin(&r);
		else
			cite_one(&r, argv[i]);
	}
	if (r.seen == 0 && !r.stop) {
		fprintf(stderr, "policy-query: no id given\n");
		worse(&r, PQ_EXIT_USAGE);
	}
	if (pq_cite_writer_finish(r.writer, &error) != 0) {
		fprintf(stderr, "policy-query: %s\n", ps_error_message(error, PS_ERR_FAILED));
		worse(&r, PQ_EXIT_FAILED);
	}
	if (r.verify && r.failed_checks > 0)
		fprintf(stderr, "policy-query: %zu of %zu citations failed verification against "
			"%s\n", r.failed_checks, r.cited, pq_citer_corpus_dir(r.citer));
	status = r.status;
done:
	free(error);
	pq_cite_writer_free(r.writer);
	pq_citer_free(r.citer);
	ps_store_close(index);
	return status;
}
