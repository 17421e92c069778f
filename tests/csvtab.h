/* csvtab.h: a CSV or TSV file read back into rows of fields, CSV through libcsv. */
#ifndef TESTS_CSVTAB_H
#define TESTS_CSVTAB_H

#include <csv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct csvtab {
	char ***rows;     /* rows[r][f], NUL-terminated */
	size_t *n_fields; /* per row */
	size_t n_rows;
	char **cur;       /* the row being read */
	size_t n_cur;
} csvtab_t;

static inline void csvtab_field(void *data, size_t len, void *ctx)
{
	csvtab_t *t = ctx;
	char *copy = malloc(len + 1);
	char **grown = realloc(t->cur, (t->n_cur + 1) * sizeof *grown);
	if (copy == NULL || grown == NULL)
		abort();
	memcpy(copy, data ? data : "", len);
	copy[len] = '\0';
	t->cur = grown;
	t->cur[t->n_cur++] = copy;
}

static inline void csvtab_record(int c, void *ctx)
{
	(void)c;
	csvtab_t *t = ctx;
	char ***rows = realloc(t->rows, (t->n_rows + 1) * sizeof *rows);
	size_t *n = realloc(t->n_fields, (t->n_rows + 1) * sizeof *n);
	if (rows == NULL || n == NULL)
		abort();
	t->rows = rows;
	t->n_fields = n;
	t->rows[t->n_rows] = t->cur;
	t->n_fields[t->n_rows++] = t->n_cur;
	t->cur = NULL;
	t->n_cur = 0;
}

/* RFC 4180 keeps spaces around fields; libcsv trims them unless told that nothing is one. */
static inline int csvtab_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Parse CSV strictly (RFC 4180 quoting) with libcsv. Returns false on a parse error. */
static inline bool csvtab_parse_csv(const char *text, size_t len, csvtab_t *t)
{
	struct csv_parser p;
	memset(t, 0, sizeof *t);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return false;
	csv_set_space_func(&p, csvtab_no_space);
	bool ok = csv_parse(&p, text, len, csvtab_field, csvtab_record, t) == len &&
		  csv_fini(&p, csvtab_field, csvtab_record, t) == 0;
	csv_free(&p);
	return ok;
}

/* Split TSV: fields at tabs, records at LF; no quoting. */
static inline void csvtab_parse_tsv(const char *text, size_t len, csvtab_t *t)
{
	memset(t, 0, sizeof *t);
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\t' && text[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		csvtab_field((void *)(text + start), i - start, t);
		if (i == len || text[i] == '\n')
			csvtab_record('\n', t);
		start = i + 1;
	}
}

static inline void csvtab_free(csvtab_t *t)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t f = 0; f < t->n_fields[r]; f++)
			free(t->rows[r][f]);
		free(t->rows[r]);
	}
	for (size_t f = 0; f < t->n_cur; f++)
		free(t->cur[f]);
	free(t->cur);
	free(t->rows);
	free(t->n_fields);
	memset(t, 0, sizeof *t);
}

/* The column named `name` in the first row, or -1. */
static inline int csvtab_column(const csvtab_t *t, const char *name)
{
	for (size_t f = 0; t->n_rows > 0 && f < t->n_fields[0]; f++)
		if (strcmp(t->rows[0][f], name) == 0)
			return (int)f;
	return -1;
}

#endif
