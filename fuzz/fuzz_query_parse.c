/* fuzz_query_parse.c: libFuzzer target for the query parser: any bytes, split into arguments at NUL. */
#include "parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input becomes up to 8 arguments (split at NUL bytes, as argv would be), parsed; an
 * accepted query is described and evaluated, a refused one must come with a message. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	const char *args[8];
	size_t n = 0;
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size && n < 8;) {
		args[n++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	pq_query_t *q = NULL;
	char *error = NULL;
	if (pq_query_parse(args, n, &q, &error) == 0) {
		if (q->n_terms == 0 || q->n_terms > PQ_QUERY_MAX_TERMS)
			abort();
		bool *present = calloc(q->n_terms, sizeof *present);
		for (size_t i = 0; present != NULL && i < q->n_terms; i++) {
			if (q->terms[i].norm[0] == '\0')
				abort(); /* every term has something to search for */
			present[i] = q->terms[i].positive;
		}
		/* every positive term present and no excluded one: a positive query holds */
		if (present != NULL && !pq_query_eval(q, present)) {
			bool any_negative = false;
			for (size_t i = 0; i < q->n_terms; i++)
				any_negative |= !q->terms[i].positive;
			if (!any_negative)
				abort();
		}
		free(present);
		free(pq_query_describe(q));
		pq_query_free(q);
	} else if (error == NULL || strchr(error, '\n') != NULL) {
		abort(); /* a refusal is one line */
	}
	free(error);
	free(copy);
	return 0;
}
