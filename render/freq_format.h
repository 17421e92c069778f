/* freq_format.h: a frequency table (freq.h) written as CSV, TSV (long or wide) or JSON. */
#ifndef PQ_FREQ_FORMAT_H
#define PQ_FREQ_FORMAT_H

#include "freq.h"
#include "table.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct pq_freq_format {
	pq_table_format_t format; /* csv, tsv or json (text is not a freq format) */
	bool wide;  /* csv, tsv: one row per term, one column per group, cells = occurrences */
	bool excel; /* csv, tsv: start with a UTF-8 byte order mark */
	const ps_store_t *index; /* JSON: the index counted in, whose shards left out mark
				  * it partial (partial.h); may be NULL */
	unsigned threads; /* csv, tsv: rows made on up to this many threads; 0: as many as
			   * the table is worth (pq_ordered_threads) */
} pq_freq_format_t;

/*
 * Write the table f of the terms terms[0 .. f->n_terms) (as given, one per row) to out.
 * Long (the default): a header, then per term and group term, city, city_id, [document |
 * id, chapter/section], occurrences, passages, per_10k_chars (README, "Counting terms").
 * Wide: term and one column per group. JSON: {"by", "scope", "groups": [{"city",
 * "city_id", ["document" | "id", "chapter"/"section"], "characters"}…], "terms": [{"term",
 * "occurrences", "passages", "groups": [{"occurrences", "passages", "per_10k_chars"}…]}…]},
 * written row by row. Rows the index's n-gram counts answer are read from the index as
 * they are written (pq_freq_row), so the index f was counted in must still be open.
 * Returns 0; or -1 with a malloc'd message in *error when a row cannot be read (damaged
 * counts), or with *error untouched and errno set when a write fails or memory runs out
 * (the caller names the file). Output written before a failure stays written.
 */
int pq_freq_write(FILE *out, const pq_freq_t *f, const char *const *terms,
		  const pq_freq_format_t *format, char **error);

#endif
