/* gramcount.h: writing the counts file, each short n-gram's occurrences and clauses per plan (private to store/). */
#ifndef PS_GRAMCOUNT_H
#define PS_GRAMCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The counts file (format.h) is an inverted file of its own, built the way a search engine
 * builds one: occurrences are counted in a hash table of n-grams; when the table outgrows
 * its memory budget (PS_GRAMCOUNT_MEMORY) it is sorted and written out as a run; at the end
 * the runs are merged into the dictionary and the postings. Memory stays bounded by the
 * budget whatever the corpus; the runs take about as much disk as the counts file.
 */
typedef struct ps_gramcount ps_gramcount_t;

/* Bytes of counts held in memory before a run is written. */
#define PS_GRAMCOUNT_MEMORY (32u << 20)

/* The longest n-gram counted, in bytes: PS_MAX_COUNTED_GRAM characters of four bytes. */
#define PS_GRAM_KEY_BYTES 16

/* Begin counting for a new generation in directory `dir`. Returns 0, or -1 with a malloc'd
 * message in *error. */
int ps_gramcount_new(const char *dir, ps_gramcount_t **out, char **error);

/* Start counting plan `plan` (the plans come in increasing order). A run may be written
 * first. Returns 0, or -1 with a message. */
int ps_gramcount_plan(ps_gramcount_t *gc, uint32_t plan, char **error);

/* Count one occurrence of gram[0,len) (1 to PS_GRAM_KEY_BYTES bytes) in the current plan;
 * `clause` (1-based, 0 for text outside every clause) is the clause it lies in whole, which
 * counts once per clause. Returns 0, or -1 when memory runs out. */
int ps_gramcount_add(ps_gramcount_t *gc, const char *gram, size_t len, uint32_t clause);

/* Whether the counts held in memory have outgrown their budget: the caller then calls
 * ps_gramcount_spill between two clauses (a clause's grams are counted in one run). */
bool ps_gramcount_full(const ps_gramcount_t *gc);

/* Write the counts held in memory as a run. Returns 0, or -1 with a message. */
int ps_gramcount_spill(ps_gramcount_t *gc, char **error);

/* Merge the runs into DIR/counts (format.h) and delete them. Returns 0, or -1 with a
 * message. */
int ps_gramcount_finish(ps_gramcount_t *gc, char **error);

/* Called for each n-gram of a counts file, in byte order: its bytes (not NUL-terminated).
 * Non-zero stops the walk. */
typedef int (*ps_gram_fn)(void *ctx, const uint8_t *gram, size_t len);

/* Hand fn every n-gram of the counts file at `path` (one ps_gramcount_finish wrote), read
 * from its dictionary in order through a stdio buffer. Returns 0 (also when fn stopped the
 * walk), or -1 with a malloc'd message in *error: cannot read, or damaged. */
int ps_gramcount_each(const char *path, ps_gram_fn fn, void *ctx, char **error);

/* Free, deleting the runs. Accepts NULL. */
void ps_gramcount_free(ps_gramcount_t *gc);

/* Append n as a varint (7 bits a byte, low first) to buf; returns the bytes written
 * (at most 5). */
size_t ps_varint_put(uint8_t *buf, uint32_t n);

/* Read a varint at *p (not past end); false when it is cut short or too long. Inline: freq
 * reads millions of them a command. */
static inline bool ps_varint_get(const uint8_t **p, const uint8_t *end, uint32_t *n)
{
	if (*p < end && **p < 0x80) { /* most: one byte */
		*n = *(*p)++;
		return true;
	}
	uint32_t v = 0;
	for (int shift = 0; shift < 35 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*n = v;
			return true;
		}
	}
	return false;
}

/* Append a posting (format.h: plan delta, n occurrences, p clauses, p <= n) to buf; returns
 * the bytes written (at most 15). */
size_t ps_posting_put(uint8_t *buf, uint32_t delta, uint32_t n, uint32_t p);

/* Read a posting at *at (not past end); false when it does not read back. */
static inline bool ps_posting_get(const uint8_t **at, const uint8_t *end, uint32_t *delta,
				  uint32_t *n, uint32_t *p)
{
	uint32_t np, fewer = 0;
	if (!ps_varint_get(at, end, delta) || !ps_varint_get(at, end, &np) ||
	    ((np & 1) && !ps_varint_get(at, end, &fewer)))
		return false;
	*n = np >> 1;
	if (fewer > *n)
		return false;
	*p = *n - fewer;
	return true;
}

#endif
