/* writer.c: a new generation: clause documents, n-gram counts, catalogue, outlines, sources, norms. */
#include "writer.h"

#include "counts.h"
#include "ngrams.h"
#include "embed.h"
#include "frequent.h"
#include "format.h"
#include "generation.h"
#include "gramcount.h"
#include "normalize.h"
#include "sha256.h"
#include "strbuf.h"
#include "tables.h"
#include "terms.h"
#include "utf8.h"
#include "xapwrap.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>



/* A companion file being written, and how many bytes it holds. */
typedef struct out_file {
	FILE *f;
	char *path;
	uint64_t size;
} out_file_t;

/* One plan's record and its strings, kept until the catalogue is written. */
typedef struct plan_entry {
	ps_plan_rec_t rec;
} plan_entry_t;

struct ps_writer {
	ps_generation_t *generation;
	char *dir;           /* the generation directory */
	char *clauses_build; /* where the clause database is written before compaction, in
			      * shards: clauses_build/0, /1, … */
	xw_writer_t *clauses; /* the shard being written */
	size_t n_shards, shard_docs, shard_limit;
	ps_gramcount_t *grams;
	out_file_t docs, outlines, sources, norms;
	plan_entry_t *plans;
	size_t n_plans, cap_plans;
	ps_facet_rec_t *facets; /* every plan's chapters, in order */
	size_t n_facets, cap_facets;
	strbuf_t strings; /* the catalogue's string table */
	unsigned next_docid;
	size_t passages;
	bool embed; /* a shard: keep the files in the database too (embed.h) */
	bool frequent_off;          /* keep no answers for frequent grams */
	unsigned frequent_min, frequent_top; /* their threshold and top clauses; 0: defaults */
};

/* Clause documents Xapian holds in memory before it merges them into a shard (its
 * XAPIAN_FLUSH_THRESHOLD, unless that is set), and clause documents per shard (next_shard). */
#define FLUSH_DOCS "2000"
#define SHARD_DOCS 100000

/* ---- files ---- */

static int out_open(ps_writer_t *w, out_file_t *o, const char *name, const char *magic,
		    char **error)
{
	strbuf_t path = STRBUF_INIT;
	if (strbuf_printf(&path, "%s/%s", w->dir, name) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	o->path = strbuf_steal(&path);
	o->f = o->path ? fopen(o->path, "wbx") : NULL;
	if (o->f == NULL) {
		strbuf_printf_new(error, "%s: cannot create: %s", o->path ? o->path : w->dir,
				  strerror(errno));
		return -1;
	}
	ps_file_head_t head = {.schema = PS_SCHEMA_VERSION};
	memcpy(head.magic, magic, strlen(magic));
	if (fwrite(&head, sizeof head, 1, o->f) != 1) {
		strbuf_printf_new(error, "%s: cannot write: %s", o->path, strerror(errno));
		return -1;
	}
	o->size = sizeof head;
	return 0;
}

static int out_write(out_file_t *o, const void *data, size_t len, char **error)
{
	if (len > 0 && fwrite(data, 1, len, o->f) != len) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", o->path, strerror(errno));
		return -1;
	}
	o->size += len;
	return 0;
}

/* Pad to a multiple of 8 bytes, so the next record is aligned when mapped. */
static int out_align(out_file_t *o, char **error)
{
	static const char zeros[8] = {0};
	return out_write(o, zeros, (size_t)((8 - o->size % 8) % 8), error);
}

/* Flush, sync and close; 0 or -1 with a message. Accepts a file never opened. */
static int out_close(out_file_t *o, char **error)
{
	int rc = 0;
	if (o->f != NULL) {
		if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 || ferror(o->f)) {
			strbuf_printf_new(error, "%s: cannot write the index: %s", o->path,
					  strerror(errno));
			rc = -1;
		}
		if (fclose(o->f) != 0 && rc == 0) {
			strbuf_printf_new(error, "%s: cannot write the index: %s", o->path,
					  strerror(errno));
			rc = -1;
		}
		o->f = NULL;
	}
	return rc;
}

static void out_free(out_file_t *o)
{
	if (o->f != NULL)
		fclose(o->f);
	free(o->path);
	memset(o, 0, sizeof *o);
}

/* ---- strings ---- */

/* Add s to a string table; its offset, or PS_NO_STRING for NULL (UINT32_MAX - 1 when out of
 * memory or past 4 GiB: the caller checks). */
static uint32_t add_string(strbuf_t *table, const char *s)
{
	if (s == NULL)
		return PS_NO_STRING;
	size_t at = table->len;
	if (at > UINT32_MAX - 2 || strbuf_append(table, s, strlen(s) + 1) != 0)
		return UINT32_MAX - 1;
	return (uint32_t)at;
}

/* ---- begin, abort ---- */

size_t ps_writer_passages(const ps_writer_t *w)
{
	return w->passages;
}

void ps_writer_abort(ps_writer_t *w)
{
	if (w == NULL)
		return;
	xw_writer_destroy(w->clauses);
	ps_gramcount_free(w->grams);
	out_free(&w->docs);
	out_free(&w->outlines);
	out_free(&w->sources);
	out_free(&w->norms);
	ps_generation_abort(w->generation); /* deletes the directory and all in it */
	free(w->dir);
	free(w->clauses_build);
	free(w->plans);
	free(w->facets);
	strbuf_free(&w->strings);
	free(w);
}

/* The path of shard k of the clause database. NULL when memory runs out. */
static char *shard_path(const ps_writer_t *w, size_t k)
{
	strbuf_t path = STRBUF_INIT;
	if (strbuf_printf(&path, "%s/%zu", w->clauses_build, k) != 0)
		return NULL;
	return strbuf_steal(&path);
}

/* Finish the shard being written, if any, and start the next. Xapian merges what it holds
 * in memory into a database's posting lists every FLUSH_DOCS documents, and that costs more
 * the bigger the database is; so the clauses are written into shards of SHARD_DOCS, which
 * the commit compacts into one. Returns 0, or -1 with a message. */
static int next_shard(ps_writer_t *w, char **error)
{
	char *xerr = NULL, *path = NULL;
	if (w->clauses != NULL) {
		if (xw_writer_commit(w->clauses) != PS_OK) {
			strbuf_printf_new(error, "%s: cannot write the index: %s", w->dir,
					  xw_writer_last_error(w->clauses));
			return -1;
		}
		xw_writer_destroy(w->clauses);
		w->clauses = NULL;
	}
	if ((path = shard_path(w, w->n_shards)) == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	ps_status_t st = xw_writer_create_lean(path, XW_NO_TERMLIST | XW_NO_SYNC, &w->clauses, &xerr);
	if (st != PS_OK) {
		strbuf_printf_new(error, "%s: cannot create the index: %s", path,
				  xerr ? xerr : ps_status_to_string(st));
		free(xerr);
		free(path);
		return -1;
	}
	free(path);
	w->n_shards++;
	w->shard_docs = 0;
	return 0;
}

ps_status_t ps_writer_begin(const char *dir, ps_writer_t **out, char **error)
{
	ps_writer_t *w = calloc(1, sizeof *w);
	strbuf_t path = STRBUF_INIT;
	ps_status_t rc = PS_ERR_IO;
	if (w == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	w->next_docid = 1;
	w->shard_limit = SHARD_DOCS;
	/* test-only: smaller shards, so that the tests build several */
	const char *test_shard = getenv("POLICY_INDEX_TEST_SHARD_DOCS");
	if (test_shard != NULL && atoi(test_shard) > 0)
		w->shard_limit = (size_t)atoi(test_shard);
	if ((rc = ps_generation_begin(dir, &w->generation, error)) != PS_OK)
		goto fail;
	rc = PS_ERR_IO;
	if ((w->dir = strdup(ps_generation_path(w->generation))) == NULL)
		goto oom;
	if (mkdir(w->dir, 0755) != 0) {
		strbuf_printf_new(error, "%s: cannot create: %s", w->dir, strerror(errno));
		goto fail;
	}
	if (strbuf_printf(&path, "%s/%s.build", w->dir, PS_XAPIAN_DIR) != 0 ||
	    (w->clauses_build = strbuf_steal(&path)) == NULL)
		goto oom;
	if (setenv("XAPIAN_FLUSH_THRESHOLD", FLUSH_DOCS, 0) != 0) /* read when Xapian opens */
		goto oom;
	if (mkdir(w->clauses_build, 0755) != 0) {
		strbuf_printf_new(error, "%s: cannot create: %s", w->clauses_build, strerror(errno));
		goto fail;
	}
	if (next_shard(w, error) != 0 ||
	    ps_gramcount_new(w->dir, &w->grams, error) != 0 ||
	    out_open(w, &w->docs, PS_DOCS_FILE, PS_MAGIC_DOCS, error) != 0 ||
	    out_open(w, &w->outlines, PS_OUTLINES_FILE, PS_MAGIC_OUTLINES, error) != 0 ||
	    out_open(w, &w->sources, PS_SOURCES_FILE, PS_MAGIC_SOURCES, error) != 0 ||
	    out_open(w, &w->norms, PS_NORMS_FILE, PS_MAGIC_NORMS, error) != 0)
		goto fail;
	*out = w;
	return PS_OK;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PS_ERR_NO_MEMORY;
fail:
	strbuf_free(&path);
	ps_writer_abort(w);
	return rc;
}

/* ---- one plan ---- */

/* The plan's normal form, and each clause's place in it. */
typedef struct plan_norm {
	strbuf_t text;
	uint64_t *start, *end; /* per clause */
} plan_norm_t;

static int normalise_plan(const char *text, size_t len, size_t body_start, size_t body_end,
			  const seg_document_t *doc, plan_norm_t *pn, char **error)
{
	size_t n = doc->n_clauses;
	pn->start = malloc((n ? n : 1) * sizeof *pn->start);
	pn->end = malloc((n ? n : 1) * sizeof *pn->end);
	if (pn->start == NULL || pn->end == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	size_t prev_end = body_start;
	for (size_t i = 0; i < n; i++) {
		const seg_clause_t *c = &doc->clauses[i];
		seg_norm_t norm;
		if (seg_normalize_gap(text, len, prev_end, c->start, i == 0, false, &pn->text,
				      error) != 0 ||
		    seg_normalize_in(text, len, c->start, c->end, false, &norm, error) != 0)
			return -1;
		pn->start[i] = pn->text.len;
		int rc = strbuf_append(&pn->text, norm.text, norm.len);
		seg_norm_clear(&norm);
		if (rc != 0) {
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
		pn->end[i] = pn->text.len;
		prev_end = c->end;
	}
	/* what follows the last clause, to the body's end: the whole is the body's normal form */
	if (seg_normalize_gap(text, len, prev_end, body_end, n == 0, true, &pn->text, error) != 0)
		return -1;
	if (strbuf_append(&pn->text, "", 0) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	return 0;
}

static void plan_norm_free(plan_norm_t *pn)
{
	strbuf_free(&pn->text);
	free(pn->start);
	free(pn->end);
}

typedef struct doc_ctx {
	xw_doc_t *doc;
	int failed;
} doc_ctx_t;

static int add_term_cb(void *ctx, const char *term, size_t len, const char *gram, size_t glen)
{
	(void)gram;
	(void)glen;
	doc_ctx_t *d = ctx;
	if (xw_doc_add_term(d->doc, term, len, 1) != PS_OK) {
		d->failed = 1;
		return 1;
	}
	return 0;
}

/* The facet of chapter `chapter` of the plan being written: the last one made when it is the
 * same chapter, else a new one. Returns its number, or UINT32_MAX when memory runs out. */
static uint32_t facet_of(ps_writer_t *w, uint32_t plan, int chapter,
			 const seg_section_t *heading, uint32_t docid)
{
	/* chapters come in text order, so a chapter's clauses are one run of document ids */
	if (w->n_facets > 0 && w->facets[w->n_facets - 1].plan == plan &&
	    w->facets[w->n_facets - 1].chapter == (uint32_t)chapter)
		return (uint32_t)(w->n_facets - 1);
	if (w->n_facets == w->cap_facets) {
		size_t cap = w->cap_facets ? w->cap_facets * 2 : 256;
		ps_facet_rec_t *f = realloc(w->facets, cap * sizeof *f);
		if (f == NULL || cap > UINT32_MAX - 1)
			return UINT32_MAX;
		w->facets = f;
		w->cap_facets = cap;
	}
	ps_facet_rec_t *f = &w->facets[w->n_facets];
	*f = (ps_facet_rec_t){.plan = plan, .chapter = (uint32_t)chapter, .first_docid = docid};
	f->path = add_string(&w->strings, heading->path);
	f->number = add_string(&w->strings, heading->label);
	f->title = add_string(&w->strings, heading->title);
	if (f->path >= UINT32_MAX - 1 || f->number >= UINT32_MAX - 1 || f->title >= UINT32_MAX - 1)
		return UINT32_MAX;
	return (uint32_t)w->n_facets++;
}

/* The clause documents of the plan, and their records in docs. */
static int write_clauses(ps_writer_t *w, const seg_document_t *doc, const plan_norm_t *pn,
			 uint64_t norm_offset, uint32_t plan, const char *file, char **error)
{
	for (size_t i = 0; i < doc->n_clauses; i++) {
		const seg_clause_t *c = &doc->clauses[i];
		xw_doc_t *xdoc = NULL;
		if (xw_doc_create(&xdoc) != PS_OK) {
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
		doc_ctx_t d = {xdoc, 0};
		const char *norm = pn->text.data + pn->start[i];
		size_t len = (size_t)(pn->end[i] - pn->start[i]);
		int rc = ps_terms_index(norm, len, add_term_cb, &d, error);
		if (rc == 0 && !d.failed && w->shard_docs >= w->shard_limit && next_shard(w, error) != 0)
			rc = -2;
		if (rc == 0 && !d.failed && xw_writer_add_document(w->clauses, xdoc) != PS_OK) {
			strbuf_printf_new(error, "%s: cannot add a clause to the index: %s", file,
					  xw_writer_last_error(w->clauses));
			rc = -1;
		}
		xw_doc_destroy(xdoc);
		if (rc == -2)
			return -1;
		if (rc != 0 || d.failed) {
			strbuf_printf_new(error, "%s: cannot index its clauses (out of memory)", file);
			return -1;
		}
		w->shard_docs++;
		int chapter = c->section;
		while (chapter > 0 && doc->sections[chapter].parent > 0)
			chapter = doc->sections[chapter].parent;
		ps_doc_rec_t rec = {
			.norm_offset = norm_offset + pn->start[i],
			.norm_len = (uint32_t)len,
			.plan = plan,
			.clause = (uint32_t)i,
			.paragraph = c->paragraph,
			.section = (uint32_t)c->section,
			.facet = facet_of(w, plan, chapter, &doc->sections[chapter],
					 w->next_docid + (uint32_t)i),
		};
		if (rec.facet == UINT32_MAX) {
			strbuf_printf_new(error, "out of memory while indexing %s", file);
			return -1;
		}
		if (out_write(&w->docs, &rec, sizeof rec, error) != 0)
			return -1;
	}
	w->next_docid += (unsigned)doc->n_clauses;
	w->passages += doc->n_clauses;
	return 0;
}

/* ---- n-gram counts ---- */

/* Count every 1- to PS_MAX_COUNTED_GRAM-character n-gram of the plan's normal form (none
 * holds white space) and, per n-gram, the clauses holding it whole (gramcount.h). */
static int count_plan(ps_writer_t *w, const plan_norm_t *pn, size_t n_clauses, uint32_t plan,
		      const char *file, char **error)
{
	const char *t = pn->text.data;
	size_t len = pn->text.len, clause = 0; /* the clause at or after the position */
	if (ps_gramcount_plan(w->grams, plan, error) != 0)
		return -1;
	for (size_t i = 0; i < len;) {
		while (clause < n_clauses && pn->end[clause] <= i) {
			clause++; /* between two clauses: where a run may be written */
			if (ps_gramcount_full(w->grams) && ps_gramcount_spill(w->grams, error) != 0)
				return -1;
		}
		bool in_clause = clause < n_clauses && pn->start[clause] <= i;
		size_t clause_end = in_clause ? (size_t)pn->end[clause] : 0, j = i;
		for (int n = 1; n <= PS_MAX_COUNTED_GRAM && j < len; n++) {
			int32_t c = utf8_next(t, &j, len);
			if (c < 0 || c == ' ' || c == '\n')
				break;
			uint32_t whole = in_clause && j <= clause_end ? (uint32_t)clause + 1 : 0;
			if (ps_gramcount_add(w->grams, t + i, j - i, whole) != 0) {
				strbuf_printf_new(error, "out of memory while counting the n-grams "
						  "of %s", file);
				return -1;
			}
		}
		utf8_next(t, &i, len);
	}
	return 0;
}

/* ---- the outline ---- */

/* A plan's read indicator tables as the records format.h gives them. */
typedef struct tables_records {
	ps_table_rec_t *tables;
	ps_column_rec_t *columns;
	ps_row_rec_t *rows;
	ps_cell_rec_t *cells;
	size_t n_tables, n_columns, n_rows, n_cells;
} tables_records_t;

static void tables_records_free(tables_records_t *tr)
{
	free(tr->tables);
	free(tr->columns);
	free(tr->rows);
	free(tr->cells);
}

static ps_cell_rec_t cell_record(const seg_table_cell_t *c)
{
	return (ps_cell_rec_t){.number = c->has_number ? c->number : 0,
			       .start = (uint32_t)c->start, .end = (uint32_t)c->end,
			       .line = c->line, .has_number = c->has_number,
			       .cmp = (uint32_t)c->cmp};
}

/* Fill tr with the tables of `tables` that were read (NULL: none). Returns 0, or -1 when
 * memory runs out (tr then holds what to free). */
static int tables_records(const seg_tables_t *tables, tables_records_t *tr)
{
	size_t nt = 0, ncol = 0, nrow = 0, ncell = 0;
	for (size_t i = 0; tables != NULL && i < tables->n_tables; i++) {
		const seg_table_t *t = &tables->tables[i];
		if (!t->read)
			continue;
		nt++;
		ncol += t->n_columns;
		nrow += t->n_rows;
		ncell += 1 + t->n_columns + t->n_rows * t->n_columns;
	}
	if (ncell > UINT32_MAX / 2)
		return -1;
	tr->tables = calloc(nt ? nt : 1, sizeof *tr->tables);
	tr->columns = calloc(ncol ? ncol : 1, sizeof *tr->columns);
	tr->rows = calloc(nrow ? nrow : 1, sizeof *tr->rows);
	tr->cells = calloc(ncell ? ncell : 1, sizeof *tr->cells);
	if (tr->tables == NULL || tr->columns == NULL || tr->rows == NULL || tr->cells == NULL)
		return -1;
	for (size_t i = 0; tables != NULL && i < tables->n_tables; i++) {
		const seg_table_t *t = &tables->tables[i];
		if (!t->read)
			continue;
		ps_table_rec_t *r = &tr->tables[tr->n_tables++];
		*r = (ps_table_rec_t){
			.title_cell = (uint32_t)tr->n_cells, .line = t->line, .end_line = t->end_line,
			.start = (uint32_t)t->start, .end = (uint32_t)t->end,
			.first_column = (uint32_t)tr->n_columns, .n_columns = (uint32_t)t->n_columns,
			.first_row = (uint32_t)tr->n_rows, .n_rows = (uint32_t)t->n_rows,
			.label_column = t->label_column, .serial_column = t->serial_column,
			.attribute_column = t->attribute_column, .unit_column = t->unit_column,
			.row_per_line = t->row_per_line,
		};
		tr->cells[tr->n_cells++] = cell_record(&t->title);
		for (size_t c = 0; c < t->n_columns; c++) {
			tr->columns[tr->n_columns++] = (ps_column_rec_t){
				.role = (uint32_t)t->columns[c].role, .year = t->columns[c].year,
				.header_cell = (uint32_t)tr->n_cells,
			};
			tr->cells[tr->n_cells++] = cell_record(&t->columns[c].header);
		}
		for (size_t k = 0; k < t->n_rows; k++) {
			const seg_table_row_t *row = &t->rows[k];
			ps_row_rec_t *rr = &tr->rows[tr->n_rows++];
			*rr = (ps_row_rec_t){
				.first_cell = (uint32_t)tr->n_cells, .serial = row->serial,
				.attribute = (uint32_t)row->attribute,
				.unit_from = (uint32_t)row->unit_from, .line = row->line,
				.end_line = row->end_line, .name_end = (uint32_t)row->name_end,
			};
			snprintf(rr->unit, sizeof rr->unit, "%s", row->unit);
			for (size_t c = 0; c < t->n_columns; c++)
				tr->cells[tr->n_cells++] = cell_record(&row->cells[c]);
		}
	}
	return 0;
}

static int write_outline(ps_writer_t *w, const seg_document_t *doc, const plan_norm_t *pn,
			 size_t body_start, ps_plan_rec_t *rec, char **error)
{
	size_t ns = doc->n_sections, np = doc->n_paragraphs, nc = doc->n_clauses;
	ps_section_rec_t *sections = calloc(ns ? ns : 1, sizeof *sections);
	ps_paragraph_rec_t *paras = calloc(np ? np : 1, sizeof *paras);
	ps_clause_rec_t *clauses = calloc(nc ? nc : 1, sizeof *clauses);
	strbuf_t strings = STRBUF_INIT;
	tables_records_t tr = {0};
	int rc = -1;
	if (sections == NULL || paras == NULL || clauses == NULL)
		goto oom;
	for (size_t i = 0; i < ns; i++) {
		const seg_section_t *s = &doc->sections[i];
		ps_section_rec_t *r = &sections[i];
		r->path = add_string(&strings, s->path);
		r->number = add_string(&strings, s->label);
		r->title = add_string(&strings, s->title);
		if (r->path >= UINT32_MAX - 1 || r->number >= UINT32_MAX - 1 ||
		    r->title >= UINT32_MAX - 1)
			goto oom;
		r->parent = s->parent;
		r->depth = s->depth;
		r->line = s->line;
		r->article = s->style == SEG_STYLE_ARTICLE;
		/* extents: from the heading (the root: its first clause) to the end of the last
		 * clause under it; filled in below */
		r->start = (uint32_t)(i == 0 ? (nc ? doc->clauses[0].start : body_start)
					      : s->heading_start);
		r->heading_end = (uint32_t)s->heading_end;
		r->end = r->start;
		r->first_clause = UINT32_MAX;
		r->end_clause = 0;
	}
	for (size_t i = 0; i < np; i++) {
		const seg_paragraph_t *p = &doc->paragraphs[i];
		paras[i] = (ps_paragraph_rec_t){
			.section = p->section, .ordinal = p->ordinal, .line = p->line,
			.end_line = p->end_line, .item_level = p->item_level,
			.item_number = p->item_number, .first_clause = UINT32_MAX,
			.end_clause = 0, .start = (uint32_t)p->start, .end = (uint32_t)p->end,
		};
	}
	for (size_t i = 0; i < nc; i++) {
		const seg_clause_t *c = &doc->clauses[i];
		clauses[i] = (ps_clause_rec_t){
			.section = c->section, .paragraph = c->paragraph, .ordinal = c->ordinal,
			.line = c->line, .sentence = c->sentence, .part = c->part,
			.start = (uint32_t)c->start, .end = (uint32_t)c->end,
			.norm_start = (uint32_t)pn->start[i], .norm_end = (uint32_t)pn->end[i],
		};
		for (int s = c->section; s >= 0; s = doc->sections[s].parent) {
			ps_section_rec_t *r = &sections[s];
			if (c->end > r->end)
				r->end = (uint32_t)c->end;
			if (r->first_clause == UINT32_MAX)
				r->first_clause = (uint32_t)i;
			r->end_clause = (uint32_t)i + 1;
		}
		if (c->paragraph >= 0) {
			ps_paragraph_rec_t *p = &paras[c->paragraph];
			if (p->first_clause == UINT32_MAX)
				p->first_clause = (uint32_t)i;
			p->end_clause = (uint32_t)i + 1;
		}
	}
	for (size_t i = 0; i < ns; i++) /* a section of no clause: an empty range */
		if (sections[i].first_clause == UINT32_MAX)
			sections[i].first_clause = sections[i].end_clause = 0;
	for (size_t i = 0; i < np; i++)
		if (paras[i].first_clause == UINT32_MAX)
			paras[i].first_clause = paras[i].end_clause = 0;
	if (strings.len > UINT32_MAX || tables_records(doc->tables, &tr) != 0)
		goto oom;
	ps_outline_head_t head = {(uint32_t)ns, (uint32_t)np, (uint32_t)nc, (uint32_t)strings.len,
				  (uint32_t)tr.n_tables, (uint32_t)tr.n_columns,
				  (uint32_t)tr.n_rows, (uint32_t)tr.n_cells};
	if (out_align(&w->outlines, error) != 0)
		goto out;
	rec->outline_offset = w->outlines.size;
	if (out_write(&w->outlines, &head, sizeof head, error) != 0 ||
	    out_write(&w->outlines, sections, ns * sizeof *sections, error) != 0 ||
	    out_write(&w->outlines, paras, np * sizeof *paras, error) != 0 ||
	    out_write(&w->outlines, clauses, nc * sizeof *clauses, error) != 0 ||
	    out_write(&w->outlines, tr.tables, tr.n_tables * sizeof *tr.tables, error) != 0 ||
	    out_write(&w->outlines, tr.columns, tr.n_columns * sizeof *tr.columns, error) != 0 ||
	    out_write(&w->outlines, tr.rows, tr.n_rows * sizeof *tr.rows, error) != 0 ||
	    out_write(&w->outlines, tr.cells, tr.n_cells * sizeof *tr.cells, error) != 0 ||
	    out_write(&w->outlines, strings.data, strings.len, error) != 0)
		goto out;
	rec->outline_len = w->outlines.size - rec->outline_offset;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while writing an outline");
out:
	free(sections);
	free(paras);
	free(clauses);
	tables_records_free(&tr);
	strbuf_free(&strings);
	return rc;
}

ps_status_t ps_writer_add_plan(ps_writer_t *w, const ps_plan_fields_t *fields, const char *text,
		       size_t len, size_t body_start, size_t body_end,
		       const seg_document_t *doc, char **error)
{
	plan_norm_t pn = {STRBUF_INIT, NULL, NULL};
	ps_status_t rc = PS_ERR_IO;
	if (w->n_plans == w->cap_plans) {
		size_t cap = w->cap_plans ? w->cap_plans * 2 : 64;
		plan_entry_t *p = realloc(w->plans, cap * sizeof *p);
		if (p == NULL)
			goto oom;
		w->plans = p;
		w->cap_plans = cap;
	}
	if (len > UINT32_MAX / 2) { /* offsets are 32-bit (format.h); document.h allows less */
		strbuf_printf_new(error, "%s: too big to index (%zu bytes)", fields->file, len);
		goto out;
	}
	if (w->next_docid + doc->n_clauses < w->next_docid) {
		strbuf_printf_new(error, "%s: the index cannot hold more clauses", fields->file);
		goto out;
	}
	ps_plan_rec_t *rec = &w->plans[w->n_plans].rec;
	memset(rec, 0, sizeof *rec);
	rec->city_id = add_string(&w->strings, fields->city_id);
	rec->city = add_string(&w->strings, fields->city);
	rec->province = add_string(&w->strings, fields->province);
	rec->title = add_string(&w->strings, fields->title);
	rec->date = add_string(&w->strings, fields->date);
	rec->file = add_string(&w->strings, fields->file);
	if (rec->city_id >= UINT32_MAX - 1 || rec->city >= UINT32_MAX - 1 ||
	    rec->province >= UINT32_MAX - 1 || rec->title >= UINT32_MAX - 1 ||
	    rec->date == UINT32_MAX - 1 || rec->file >= UINT32_MAX - 1)
		goto oom;
	rec->flags = (fields->title_supplied ? PS_PLAN_TITLE_SUPPLIED : 0) |
		     (fields->gb18030 ? PS_PLAN_GB18030 : 0);
	rec->first_docid = w->next_docid;
	rec->passages = (uint32_t)doc->n_clauses;
	rec->bytes = len;
	rec->body_start = body_start;
	rec->body_end = body_end;
	for (size_t i = body_start; i < body_end;) {
		int32_t c = utf8_next(text, &i, body_end);
		rec->characters += c >= 0 && !utf8_is_space(c);
	}
	ps_sha256_hex(text, len, rec->sha256);

	rec->source_offset = w->sources.size;
	if (out_write(&w->sources, text, len, error) != 0 ||
	    out_write(&w->sources, "", 1, error) != 0 ||
	    normalise_plan(text, len, body_start, body_end, doc, &pn, error) != 0)
		goto out;
	if (pn.text.len > UINT32_MAX) {
		strbuf_printf_new(error, "%s: too big to index", fields->file);
		goto out;
	}
	rec->norm_offset = w->norms.size;
	rec->norm_len = pn.text.len;
	if (out_write(&w->norms, pn.text.data, pn.text.len + 1, error) != 0 ||
	    write_clauses(w, doc, &pn, rec->norm_offset, (uint32_t)w->n_plans, fields->file,
			  error) != 0 ||
	    write_outline(w, doc, &pn, body_start, rec, error) != 0)
		goto out;
	if (count_plan(w, &pn, doc->n_clauses, (uint32_t)w->n_plans, fields->file, error) != 0)
		goto out;
	w->n_plans++;
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while indexing %s", fields->file);
	rc = PS_ERR_NO_MEMORY;
out:
	plan_norm_free(&pn);
	return rc;
}

/* ---- commit ---- */

static const char *plan_string(const ps_writer_t *w, uint32_t at)
{
	return w->strings.data + at;
}

static const ps_writer_t *sort_writer;

static int cmp_id(const void *a, const void *b)
{
	const ps_plan_rec_t *x = &sort_writer->plans[*(const uint32_t *)a].rec,
			    *y = &sort_writer->plans[*(const uint32_t *)b].rec;
	return strcmp(plan_string(sort_writer, x->city_id), plan_string(sort_writer, y->city_id));
}

static int cmp_city_index(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const ps_plan_rec_t *x = &sort_writer->plans[i].rec, *y = &sort_writer->plans[j].rec;
	int c = strcmp(plan_string(sort_writer, x->city), plan_string(sort_writer, y->city));
	return c != 0 ? c : (i < j ? -1 : i > j);
}

static int cmp_city_title(const void *a, const void *b)
{
	const ps_plan_rec_t *x = &sort_writer->plans[*(const uint32_t *)a].rec,
			    *y = &sort_writer->plans[*(const uint32_t *)b].rec;
	int c = strcmp(plan_string(sort_writer, x->city), plan_string(sort_writer, y->city));
	return c != 0 ? c : strcmp(plan_string(sort_writer, x->title),
				   plan_string(sort_writer, y->title));
}

/* The catalogue: every plan's record, the plans in city_id order, the strings. */
static int write_catalogue(ps_writer_t *w, const char *corpus_dir, char **error)
{
	out_file_t cat = {0};
	uint32_t *order = malloc((w->n_plans ? w->n_plans : 1) * sizeof *order);
	uint32_t *by_city = malloc((w->n_plans ? w->n_plans : 1) * sizeof *by_city);
	int rc = -1;
	if (order == NULL || by_city == NULL)
		goto oom;
	uint32_t corpus = add_string(&w->strings, corpus_dir);
	if (corpus == UINT32_MAX - 1)
		goto oom;
	/* the plans of a city with several, and of one city and title: named apart */
	sort_writer = w;
	for (size_t i = 0; i < w->n_plans; i++)
		order[i] = (uint32_t)i;
	qsort(order, w->n_plans, sizeof *order, cmp_city_title);
	for (size_t i = 1; i < w->n_plans; i++) {
		ps_plan_rec_t *a = &w->plans[order[i - 1]].rec, *b = &w->plans[order[i]].rec;
		if (strcmp(plan_string(w, a->city), plan_string(w, b->city)) == 0) {
			a->flags |= PS_PLAN_CITY_SHARED;
			b->flags |= PS_PLAN_CITY_SHARED;
			if (strcmp(plan_string(w, a->title), plan_string(w, b->title)) == 0) {
				a->flags |= PS_PLAN_TITLE_SHARED;
				b->flags |= PS_PLAN_TITLE_SHARED;
			}
		}
	}
	for (size_t i = 0; i < w->n_plans; i++)
		by_city[i] = (uint32_t)i;
	qsort(by_city, w->n_plans, sizeof *by_city, cmp_city_index);
	qsort(order, w->n_plans, sizeof *order, cmp_id);
	if (out_open(w, &cat, PS_CATALOGUE_FILE, PS_MAGIC_CATALOGUE, error) != 0)
		goto out;
	ps_catalogue_head_t head = {
		.n_plans = (uint32_t)w->n_plans,
		.n_docs = w->next_docid - 1,
		.strings_len = w->strings.len,
		.corpus_dir = corpus,
		.n_facets = (uint32_t)w->n_facets,
	};
	uint64_t facets_offset = sizeof(ps_file_head_t) + sizeof head +
				 w->n_plans * sizeof(ps_plan_rec_t) + 2 * w->n_plans * sizeof(uint32_t);
	facets_offset += (8 - facets_offset % 8) % 8;
	head.strings_offset = facets_offset + w->n_facets * sizeof(ps_facet_rec_t);
	if (out_write(&cat, &head, sizeof head, error) != 0)
		goto out;
	for (size_t i = 0; i < w->n_plans; i++)
		if (out_write(&cat, &w->plans[i].rec, sizeof w->plans[i].rec, error) != 0)
			goto out;
	if (out_write(&cat, order, w->n_plans * sizeof *order, error) != 0 ||
	    out_write(&cat, by_city, w->n_plans * sizeof *by_city, error) != 0 ||
	    out_align(&cat, error) != 0 ||
	    out_write(&cat, w->facets, w->n_facets * sizeof *w->facets, error) != 0 ||
	    out_write(&cat, w->strings.data, w->strings.len, error) != 0)
		goto out;
	rc = out_close(&cat, error);
	goto out;
oom:
	strbuf_printf_new(error, "out of memory while writing the catalogue");
out:
	out_free(&cat);
	free(order);
	free(by_city);
	return rc;
}

/* Finish the last shard, compact every shard into the generation's clause database, and
 * delete the shards. */
static int finish_clauses(ps_writer_t *w, char **error)
{
	strbuf_t to = STRBUF_INIT;
	char *xerr = NULL, **shards = calloc(w->n_shards ? w->n_shards : 1, sizeof *shards);
	int rc = -1;
	if (shards == NULL)
		goto oom;
	if (xw_writer_commit(w->clauses) != PS_OK) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", w->dir,
				  xw_writer_last_error(w->clauses));
		goto out;
	}
	xw_writer_destroy(w->clauses);
	w->clauses = NULL;
	for (size_t k = 0; k < w->n_shards; k++)
		if ((shards[k] = shard_path(w, k)) == NULL)
			goto oom;
	if (strbuf_printf(&to, "%s/%s", w->dir, PS_XAPIAN_DIR) != 0)
		goto oom;
	ps_status_t st = xw_compact((const char *const *)shards, w->n_shards, to.data, &xerr);
	if (st != PS_OK) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", to.data,
				  xerr ? xerr : ps_status_to_string(st));
		goto out;
	}
	ps_generation_remove_tree(w->clauses_build);
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	for (size_t k = 0; shards != NULL && k < w->n_shards; k++)
		free(shards[k]);
	free(shards);
	free(xerr);
	strbuf_free(&to);
	return rc;
}

void ps_writer_embed(ps_writer_t *w)
{
	w->embed = true;
}

void ps_writer_set_frequent(ps_writer_t *w, bool keep, unsigned min_clauses, unsigned top)
{
	w->frequent_off = !keep;
	w->frequent_min = min_clauses;
	w->frequent_top = top;
}

/* The answers kept for frequent grams (frequent.h) and the clause lists kept for n-grams
 * made of frequent bigrams (ngrams.h), read from the compacted clauses. A
 * shard keeps none: a stub file's store reads several parts as one, whose grams and
 * chapters no one part's file describes. */
static int write_frequent(ps_writer_t *w, char **error)
{
	strbuf_t db_path = STRBUF_INIT, path = STRBUF_INIT;
	xw_db_t *db = NULL;
	char *xerr = NULL;
	int rc = -1;
	if (w->frequent_off || w->embed)
		return 0;
	if (strbuf_printf(&db_path, "%s/%s", w->dir, PS_XAPIAN_DIR) != 0 ||
	    strbuf_printf(&path, "%s/%s", w->dir, PS_FREQUENT_FILE) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (xw_db_open(db_path.data, &db, &xerr) != PS_OK) {
		strbuf_printf_new(error, "%s: cannot read the index just written: %s", db_path.data,
				  xerr ? xerr : "");
		goto out;
	}
	unsigned n_docs = w->next_docid - 1;
	unsigned min = ps_frequent_threshold(n_docs, w->frequent_min, PS_FREQUENT_MIN_CLAUSES);
	rc = ps_frequent_write(db, path.data, w->facets, w->n_facets, n_docs, min,
			       w->frequent_top, error);
	if (rc == 0)
		rc = ps_ngrams_write(w->dir, db, w->facets, w->n_facets, n_docs,
				     ps_frequent_threshold(n_docs, w->frequent_min,
							   PS_NGRAMS_MIN_CLAUSES),
				     w->frequent_top, error);
out:
	xw_db_destroy(db);
	free(xerr);
	strbuf_free(&db_path);
	strbuf_free(&path);
	return rc;
}

ps_status_t ps_writer_commit(ps_writer_t *w, const char *corpus_dir, char **error)
{
	ps_status_t rc = PS_ERR_IO;
	const char *schema = PS_SCHEMA_VERSION_TEXT;
	static const char *const files[] = {PS_CATALOGUE_FILE, PS_DOCS_FILE, PS_OUTLINES_FILE,
					    PS_SOURCES_FILE, PS_NORMS_FILE, PS_COUNTS_FILE};
	if (xw_writer_set_metadata(w->clauses, PS_META_SCHEMA, schema, strlen(schema)) != PS_OK ||
	    (corpus_dir != NULL &&
	     xw_writer_set_metadata(w->clauses, PS_META_CORPUS, corpus_dir, strlen(corpus_dir)) !=
		     PS_OK)) {
		strbuf_printf_new(error, "%s: cannot write the index: %s", w->dir,
				  xw_writer_last_error(w->clauses));
		goto out;
	}
	/* the files first: a shard copies them into the database before it is compacted */
	if (ps_gramcount_finish(w->grams, error) != 0 ||
	    out_close(&w->docs, error) != 0 || out_close(&w->outlines, error) != 0 ||
	    out_close(&w->sources, error) != 0 || out_close(&w->norms, error) != 0 ||
	    write_catalogue(w, corpus_dir, error) != 0 ||
	    (w->embed &&
	     ps_embed_write(w->clauses, w->dir, files, sizeof files / sizeof files[0], error) != 0) ||
	    finish_clauses(w, error) != 0 || write_frequent(w, error) != 0)
		goto out;
	ps_generation_test_stop("written");
	ps_generation_t *g = w->generation;
	w->generation = NULL;
	rc = ps_generation_commit(g, error); /* deletes it on failure */
out:
	if (rc != 0 && error != NULL && *error == NULL)
		strbuf_printf_new(error, "out of memory");
	ps_writer_abort(w); /* frees; deletes the new generation if it is still ours */
	return rc;
}
