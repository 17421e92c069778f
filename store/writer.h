/* writer.h: writing a new generation of an index, plan by plan, and switching to it. */
#ifndef PS_WRITER_H
#define PS_WRITER_H

#include "document.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>

/* What the catalogue keeps of a plan besides what the store works out (store.h's ps_plan_t):
 * the manifest's fields. Strings are copied. */
typedef struct ps_plan_fields {
	const char *city_id, *city, *province, *title, *file;
	const char *date; /* NULL when undated */
	bool title_supplied;
	bool gb18030; /* the file was GB18030: `text` below is its UTF-8 conversion */
} ps_plan_fields_t;

typedef struct ps_writer ps_writer_t;

/* Begin a new generation of the index directory `dir` (generation.h: the build lock is
 * taken, a killed build's leftovers deleted). Memory stays bounded by a batch of clauses
 * and of counted n-grams, whatever the plans' sizes or shapes. Returns PS_OK and a writer
 * that must go to ps_writer_commit or ps_writer_abort, or a status with a malloc'd message
 * in *error (ps_generation_begin's: another build runs, the directory is not ours or not
 * writable; PS_ERR_IO). */
ps_status_t ps_writer_begin(const char *dir, ps_writer_t **out, char **error);

/* Add a plan, after those added before: text[0, len) is its file (as UTF-8), body_start and
 * body_end its body, doc its parsed structure (document.h). Every clause becomes a document;
 * the plan's source, outline, normal form and n-gram counts are written beside them. Returns
 * PS_OK, or PS_ERR_IO or PS_ERR_NO_MEMORY with a malloc'd message in *error (the writer
 * must then be aborted). */
ps_status_t ps_writer_add_plan(ps_writer_t *writer, const ps_plan_fields_t *fields,
			       const char *text, size_t len, size_t body_start, size_t body_end,
			       const seg_document_t *doc, char **error);

/* Make the generation a shard: its companion files are also kept inside its Xapian
 * database (embed.h), so that xapian-tcpsrv serving that database alone serves the whole
 * index. Costs the files' size again on disk. Cannot fail. */
void ps_writer_embed(ps_writer_t *writer);

/* Which frequent grams the generation keeps a search's answers for (frequent.h): with keep
 * false, none; else those in at least min_clauses clauses, each with its top `top` clauses
 * (0 for either: the defaults, PS_FREQUENT_MIN_CLAUSES or 1/128 of the clauses, and
 * PS_FREQUENT_TOP 256). Without a call, the defaults. A shard (ps_writer_embed) keeps none.
 * Cannot fail. */
void ps_writer_set_frequent(ps_writer_t *writer, bool keep, unsigned min_clauses, unsigned top);

/* Finish the generation (compacting it), record corpus_dir (absolute, or NULL), and make it
 * the live index in one rename; the writer is freed. Returns PS_OK, or PS_ERR_IO with a
 * malloc'd message in *error, the new generation deleted and the old index still live. */
ps_status_t ps_writer_commit(ps_writer_t *writer, const char *corpus_dir, char **error);

/* Delete the new generation and free the writer. Accepts NULL. */
void ps_writer_abort(ps_writer_t *writer);

/* Clauses written so far, over every plan. */
size_t ps_writer_passages(const ps_writer_t *writer);

#endif
