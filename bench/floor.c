/* floor.c: the floor a one-hit policy-query command is measured against: a program that loads the same libraries and does nothing. */
/*
 *   bench-floor
 *
 * Linked with what policy-query is linked with (the query library and, through it, Xapian,
 * ICU, OpenCC, json-c and nettle), so that starting it maps and relocates the same shared
 * libraries and runs their initialisers; then it exits 0 without reading anything. The
 * references below keep every library in (the linker drops a library nothing calls); they
 * are never taken, since no one passes 99 arguments.
 */
#include "cite.h"
#include "freq.h"
#include "kwic.h"
#include "output.h"
#include "search.h"
#include "store.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc < 99)
		return 0;
	/* never reached: what makes the linker keep every library policy-query loads */
	ps_store_t *store = NULL;
	char *error = NULL;
	if (ps_store_open(argv[1], &store, &error) == PS_OK) {
		pq_search(store, NULL, NULL, &error);
		pq_freq_run(store, NULL, NULL, &error);
		pq_kwic_run(store, NULL, NULL, &error);
		pq_output_write(stdout, store, NULL, NULL, &error);
	}
	pq_citer_t *citer = NULL;
	pq_citer_new(store, NULL, &citer, &error);
	pq_citer_free(citer);
	ps_store_close(store);
	puts(error ? error : "");
	return 1;
}
