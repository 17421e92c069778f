/* cite_format.h: citations written as text, Markdown or JSON. */
#ifndef PQ_CITE_FORMAT_H
#define PQ_CITE_FORMAT_H

#include "cite.h"
#include "status.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <stdio.h>

/* The line ready to paste, e.g. 《大连市…规划》三、重点任务 … 1.稳步推进国际交流合作，第2句：“…”,
 * or for a law 《…条例》第三条第一款第二项：“…”. A title the plan does not print is marked
 * 〔…〕 as bibliographies mark a supplied title; quotation marks inside the quote become
 * ‘ ’; a line break the source put inside a sentence is shown as ⏎. Returns a malloc'd
 * string, or NULL when memory runs out or the citation was not found. */
char *pq_citation_line(const pq_citation_t *citation);

/* The check's outcome in one sentence, naming the file: in English for messages ("dalian.txt
 * has changed since it was indexed …"), or in Chinese for the text and Markdown formats
 * when `chinese`. Returns a malloc'd string, or NULL when memory runs out or not found. */
char *pq_citation_check_message(const pq_citation_t *citation, bool chinese);

/* ---- Output: text, Markdown or JSON --------------------------------------------- */

typedef enum pq_cite_format {
	PQ_CITE_TEXT,
	PQ_CITE_MARKDOWN,
	PQ_CITE_JSON,
} pq_cite_format_t;

/* Parse "text", "markdown" (or "md") or "json". Returns 0, or -1 for another name. */
int pq_cite_format_parse(const char *name, pq_cite_format_t *out);

/* The citation as a JSON object (README, "Citing"), found or not. Returns a new object
 * the caller puts, or NULL when memory runs out. */
json_object *pq_citation_to_json(const pq_citation_t *citation);

/* Escape text for Markdown so that it renders as exactly these characters: ASCII
 * punctuation that Markdown reads gets a backslash, white space that starts a line is
 * written as a character reference, and a line break between two lines of text becomes a
 * hard break (a backslash before the newline); blank lines stay blank. Appends to sb;
 * returns 0, or -1 when out of memory. */
int pq_markdown_escape(const char *text, size_t len, strbuf_t *sb);

typedef struct pq_cite_writer pq_cite_writer_t;

/* A writer of citations to `out` (borrowed), from index (borrowed; NULL is allowed: its
 * shards left out mark the JSON partial, partial.h). Each citation is written as it is added and
 * not kept, whatever the format (JSON is one object {"citations": [...]}, whose end finish
 * writes), so memory does not grow with the number of ids. Returns PS_OK, or PS_ERR_IO with
 * a malloc'd message in *error (out of memory). */
ps_status_t pq_cite_writer_new(FILE *out, pq_cite_format_t format, const ps_store_t *index,
			       pq_cite_writer_t **w, char **error);

/* Write one citation; not-found ones are written as such in JSON and skipped in text and
 * Markdown (the caller reports them). Returns PS_OK, or PS_ERR_IO with a malloc'd message in
 * *error ("cannot write the citations: No space left on device"). */
ps_status_t pq_cite_writer_add(pq_cite_writer_t *w, const pq_citation_t *citation, char **error);

/* Finish: ends the JSON document, flushes, and reports a write error. Returns PS_OK, or
 * PS_ERR_IO with a malloc'd message in *error. */
ps_status_t pq_cite_writer_finish(pq_cite_writer_t *w, char **error);

/* Free. Accepts NULL. */
void pq_cite_writer_free(pq_cite_writer_t *w);

#endif
