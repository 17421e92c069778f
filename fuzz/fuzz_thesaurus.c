/* fuzz_thesaurus.c: libFuzzer target for thesaurus files and ~CONCEPT queries: any bytes as a file, then a query over it. */
#include "parse.h"
#include "thesaurus.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input up to its first NUL is a thesaurus file, the rest a query. An accepted file's
 * groups each have a head and a variant, every term normalised to something; a refused
 * one names the file and line in one line and adds nothing. The query is parsed with the
 * groups; a ~word that parses is an OR of terms that all name it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t file_len = nul ? (size_t)(nul - (const char *)data) : size;
	pq_thesaurus_t *th = pq_thesaurus_new();
	char *error = NULL;
	if (th == NULL)
		return 0;
	ps_status_t rc = pq_thesaurus_load_text(th, "fuzz.txt", (const char *)data, file_len,
						&error);
	if (rc == PS_OK) {
		for (size_t i = 0; i < pq_thesaurus_size(th); i++) {
			pq_concept_t c;
			pq_thesaurus_group(th, i, &c);
			if (c.head[0] == '\0' || c.n_variants == 0)
				abort();
			for (size_t k = 0; k < c.n_variants; k++)
				if (c.variants[k][0] == '\0')
					abort();
		}
	} else if (rc == PS_ERR_INVALID &&
		   (error == NULL || strncmp(error, "fuzz.txt:", 9) != 0 ||
		    strchr(error, '\n') != NULL || pq_thesaurus_size(th) != 0)) {
		abort();
	}
	free(error);
	error = NULL;
	if (nul != NULL) {
		size_t qlen = size - file_len - 1;
		char *query = malloc(qlen + 1);
		if (query != NULL) {
			memcpy(query, nul + 1, qlen);
			query[qlen] = '\0';
			const char *args[] = {query};
			pq_query_t *q = NULL;
			if (pq_query_parse_concepts(args, 1, th, &q, &error) == PS_OK) {
				for (size_t i = 0; i < q->n_terms; i++)
					if (q->terms[i].concept != NULL && q->terms[i].concept[0] != '~')
						abort();
				pq_query_free(q);
			} else if (error == NULL || strchr(error, '\n') != NULL) {
				abort();
			}
			free(error);
			free(query);
		}
	}
	pq_thesaurus_free(th);
	return 0;
}
