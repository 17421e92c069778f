/* store.c: opening an index (stub, pinned generation, schema) and reading its mapped parts. */
#include "store.h"

#include "format.h"
#include "generation.h"
#include "internal.h"
#include "strbuf.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file of the generation, mapped read-only. */
typedef struct mapped {
	const char *data;
	size_t len;
} mapped_t;

struct ps_store {
	xw_db_t *db;
	char *generation;
	int pin_fd; /* the generation's directory, shared-locked while the store is open */
	mapped_t catalogue, docs, outlines, sources, norms, counts_file;
	const ps_catalogue_head_t *head;
	const ps_plan_rec_t *recs;
	const uint32_t *by_id, *by_city;
	const ps_facet_rec_t *facets;
	size_t n_facets;
	const char *strings;
	size_t n_docs;
	ps_plan_t *plans;
	ps_outline_t **outlines_cache; /* parallel to plans; decoded on first use */
	size_t n_plans;
	const char *corpus_dir;
};

/* The rebuild command every message ends with; its %s is the directory as a shell word
 * (strbuf_shell_word), so that the command pastes as it is. */
#define REBUILD "policy-index --corpus corpus --db %s"

/* ---- the outline ---------------------------------------------------------------- */

int ps_outline_find_section(const ps_outline_t *o, const char *path)
{
	for (size_t i = 0; i < o->n_sections; i++)
		if (strcmp(o->sections[i].path, path) == 0)
			return (int)i;
	return -1;
}

int ps_outline_find_paragraph(const ps_outline_t *o, int section, int ordinal)
{
	for (size_t i = 0; i < o->n_paragraphs; i++)
		if (o->paragraphs[i].section == section && o->paragraphs[i].ordinal == ordinal)
			return (int)i;
	return -1;
}

int ps_outline_clause_at(const ps_outline_t *o, size_t offset)
{
	size_t lo = 0, hi = o->n_clauses; /* the first clause starting after offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->clauses[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

int ps_outline_section_at(const ps_outline_t *o, size_t offset)
{
	size_t lo = 1, hi = o->n_sections; /* the first section starting after offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->sections[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

size_t ps_outline_own_end(const ps_outline_t *o, int i)
{
	size_t end = i == 0 ? o->sections[0].start : o->sections[i].heading_end;
	for (size_t k = 0; k < o->n_paragraphs; k++)
		if (o->paragraphs[k].section == i && o->paragraphs[k].end > end)
			end = o->paragraphs[k].end;
	return end;
}

int ps_outline_chapter_of(const ps_outline_t *o, int i)
{
	while (i > 0 && o->sections[i].parent > 0)
		i = o->sections[i].parent;
	return i;
}

static void outline_free(ps_outline_t *o);

static bool cell_decode(const char *cells, uint32_t n_cells, uint32_t k, size_t plan_bytes,
			ps_table_cell_t *out)
{
	ps_cell_rec_t r;
	if (k >= n_cells)
		return false;
	memcpy(&r, cells + (size_t)k * sizeof r, sizeof r);
	if (r.end < r.start || r.end > plan_bytes || r.cmp > SEG_CMP_ABOUT)
		return false;
	*out = (ps_table_cell_t){.start = r.start, .end = r.end, .line = r.line,
				 .has_number = r.has_number != 0, .number = r.number,
				 .cmp = (seg_cmp_t)r.cmp};
	return true;
}

/* The tables part of an outline blob (format.h), at data, into o (whose sections are
 * decoded). The records are read with memcpy: they follow records whose sizes are not
 * multiples of 8. Returns 0, or -1 when they are malformed or memory runs out (what o
 * holds is freed by outline_free). */
static int decode_tables(ps_outline_t *o, const ps_outline_head_t *h, const char *data,
			 size_t plan_bytes)
{
	const char *trec = data;
	const char *colrec = trec + h->n_tables * sizeof(ps_table_rec_t);
	const char *rowrec = colrec + h->n_columns * sizeof(ps_column_rec_t);
	const char *cellrec = rowrec + h->n_rows * sizeof(ps_row_rec_t);
	ps_table_t *tables = calloc(h->n_tables ? h->n_tables : 1, sizeof *tables);
	ps_table_column_t *columns = calloc(h->n_columns ? h->n_columns : 1, sizeof *columns);
	ps_table_row_t *rows = calloc(h->n_rows ? h->n_rows : 1, sizeof *rows);
	ps_table_cell_t *cells = calloc(h->n_cells ? h->n_cells : 1, sizeof *cells);
	char(*units)[16] = calloc(h->n_rows ? h->n_rows : 1, sizeof *units);
	/* owned by the outline from here on, freed with it */
	o->tables = tables;
	o->table_parts[0] = columns;
	o->table_parts[1] = rows;
	o->table_parts[2] = cells;
	o->table_parts[3] = units;
	if (tables == NULL || columns == NULL || rows == NULL || cells == NULL || units == NULL)
		return -1;
	for (uint32_t k = 0; k < h->n_cells; k++)
		if (!cell_decode(cellrec, h->n_cells, k, plan_bytes, &cells[k]))
			return -1;
	for (uint32_t i = 0; i < h->n_columns; i++) {
		ps_column_rec_t r;
		memcpy(&r, colrec + (size_t)i * sizeof r, sizeof r);
		if (r.role > SEG_COLUMN_VALUE || r.header_cell >= h->n_cells)
			return -1;
		columns[i] = (ps_table_column_t){.role = (seg_column_role_t)r.role, .year = r.year,
						 .header = cells[r.header_cell]};
	}
	for (uint32_t i = 0; i < h->n_tables; i++) {
		ps_table_rec_t r;
		memcpy(&r, trec + (size_t)i * sizeof r, sizeof r);
		if (r.title_cell >= h->n_cells || r.n_columns == 0 || r.n_rows == 0 ||
		    r.first_column > h->n_columns || h->n_columns - r.first_column < r.n_columns ||
		    r.first_row > h->n_rows || h->n_rows - r.first_row < r.n_rows ||
		    r.label_column < 0 || (uint32_t)r.label_column >= r.n_columns ||
		    r.serial_column >= (int32_t)r.n_columns ||
		    r.attribute_column >= (int32_t)r.n_columns ||
		    r.unit_column >= (int32_t)r.n_columns || r.end < r.start || r.end > plan_bytes)
			return -1;
		ps_table_t *t = &tables[i];
		*t = (ps_table_t){
			.title = cells[r.title_cell], .line = r.line, .end_line = r.end_line,
			.start = r.start, .end = r.end, .columns = columns + r.first_column,
			.n_columns = r.n_columns, .label_column = r.label_column,
			.serial_column = r.serial_column, .attribute_column = r.attribute_column,
			.unit_column = r.unit_column, .rows = rows + r.first_row, .n_rows = r.n_rows,
		};
		t->section = ps_outline_section_at(o, t->title.start);
		t->ordinal = 1;
		for (uint32_t j = i; j-- > 0;)
			if (tables[j].section == t->section)
				t->ordinal++;
		for (uint32_t k = r.first_row; k < r.first_row + r.n_rows; k++) {
			ps_row_rec_t rr;
			memcpy(&rr, rowrec + (size_t)k * sizeof rr, sizeof rr);
			if (rr.first_cell > h->n_cells || h->n_cells - rr.first_cell < r.n_columns ||
			    rr.attribute > SEG_ATTRIBUTE_BINDING ||
			    rr.unit_from > SEG_UNIT_LABEL_NUMBER ||
			    memchr(rr.unit, '\0', sizeof rr.unit) == NULL)
				return -1;
			memcpy(units[k], rr.unit, sizeof rr.unit);
			const ps_table_cell_t *c = cells + rr.first_cell;
			rows[k] = (ps_table_row_t){
				.cells = c, .name_end = rr.name_end, .serial = rr.serial,
				.attribute = (seg_attribute_t)rr.attribute, .unit = units[k],
				.unit_from = (seg_unit_source_t)rr.unit_from, .line = rr.line,
				.end_line = rr.end_line, .start = c[0].start,
				.end = c[r.n_columns - 1].end,
			};
			const ps_table_cell_t *label = &c[r.label_column];
			if (rows[k].end < rows[k].start || rr.name_end < label->start ||
			    rr.name_end > label->end)
				return -1;
		}
		if (i > 0 && t->start < tables[i - 1].end)
			return -1;
	}
	o->n_tables = h->n_tables;
	return 0;
}

bool ps_outline_row_at(const ps_outline_t *o, size_t offset, int *table, int *row)
{
	size_t lo = 0, hi = o->n_tables; /* the last table starting at or before offset */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->tables[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || offset >= o->tables[lo - 1].end)
		return false;
	const ps_table_t *t = &o->tables[lo - 1];
	size_t a = 0, b = t->n_rows;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (t->rows[mid].start <= offset)
			a = mid + 1;
		else
			b = mid;
	}
	if (a == 0 || offset >= t->rows[a - 1].end)
		return false;
	*table = (int)(lo - 1);
	*row = (int)(a - 1);
	return true;
}

int ps_outline_find_table(const ps_outline_t *o, int section, int ordinal)
{
	for (size_t i = 0; i < o->n_tables; i++)
		if (o->tables[i].section == section && o->tables[i].ordinal == ordinal)
			return (int)i;
	return -1;
}

/* Decode the outline blob at data[0,len) (format.h) into arrays whose strings point into
 * the blob. NULL when it is malformed or memory runs out. */
static ps_outline_t *decode_outline(const char *data, size_t len, size_t plan_bytes)
{
	ps_outline_head_t head;
	if (len < sizeof head)
		return NULL;
	memcpy(&head, data, sizeof head);
	size_t need = sizeof head + head.n_sections * sizeof(ps_section_rec_t) +
		      head.n_paragraphs * sizeof(ps_paragraph_rec_t) +
		      head.n_clauses * sizeof(ps_clause_rec_t);
	size_t table_bytes = head.n_tables * sizeof(ps_table_rec_t) +
			     head.n_columns * sizeof(ps_column_rec_t) +
			     head.n_rows * sizeof(ps_row_rec_t) +
			     head.n_cells * sizeof(ps_cell_rec_t);
	if (head.n_sections == 0 || need > len || len - need < table_bytes ||
	    len - need - table_bytes < head.strings_len)
		return NULL;
	const ps_section_rec_t *srec = (const void *)(data + sizeof head);
	const ps_paragraph_rec_t *prec = (const void *)(srec + head.n_sections);
	const ps_clause_rec_t *crec = (const void *)(prec + head.n_paragraphs);
	const char *table_data = (const char *)(crec + head.n_clauses);
	const char *strings = table_data + table_bytes;
	if (head.strings_len == 0 || strings[head.strings_len - 1] != '\0')
		return NULL;

	ps_outline_t *o = calloc(1, sizeof *o);
	ps_section_t *sections = calloc(head.n_sections, sizeof *sections);
	ps_paragraph_t *paras = calloc(head.n_paragraphs ? head.n_paragraphs : 1, sizeof *paras);
	ps_clause_t *clauses = calloc(head.n_clauses ? head.n_clauses : 1, sizeof *clauses);
	if (o == NULL || sections == NULL || paras == NULL || clauses == NULL)
		goto bad;
	for (size_t i = 0; i < head.n_sections; i++) {
		const ps_section_rec_t *r = &srec[i];
		if (r->path >= head.strings_len || r->number >= head.strings_len ||
		    r->title >= head.strings_len || r->parent >= (int32_t)i ||
		    (i > 0) != (r->parent >= 0) || r->end < r->start || r->end > plan_bytes ||
		    r->end_clause < r->first_clause || r->end_clause > head.n_clauses)
			goto bad;
		sections[i] = (ps_section_t){
			.path = strings + r->path, .number = strings + r->number,
			.title = strings + r->title, .article = r->article != 0,
			.parent = r->parent, .depth = r->depth, .line = r->line,
			.first_clause = (int)r->first_clause, .end_clause = (int)r->end_clause,
			.start = (size_t)r->start, .heading_end = (size_t)r->heading_end,
			.end = (size_t)r->end,
		};
	}
	for (size_t i = 0; i < head.n_paragraphs; i++) {
		const ps_paragraph_rec_t *r = &prec[i];
		if (r->section < 0 || (uint32_t)r->section >= head.n_sections || r->end < r->start ||
		    r->end > plan_bytes || r->end_clause < r->first_clause ||
		    r->end_clause > head.n_clauses)
			goto bad;
		paras[i] = (ps_paragraph_t){
			.section = r->section, .ordinal = r->ordinal, .line = r->line,
			.end_line = r->end_line, .item_level = r->item_level,
			.item_number = r->item_number, .first_clause = (int)r->first_clause,
			.end_clause = (int)r->end_clause, .start = (size_t)r->start,
			.end = (size_t)r->end,
		};
	}
	for (size_t i = 0; i < head.n_clauses; i++) {
		const ps_clause_rec_t *r = &crec[i];
		if (r->section < 0 || (uint32_t)r->section >= head.n_sections ||
		    r->paragraph < -1 || r->paragraph >= (int32_t)head.n_paragraphs ||
		    r->end < r->start || r->end > plan_bytes || r->norm_end < r->norm_start ||
		    (i > 0 && r->start < clauses[i - 1].end))
			goto bad;
		clauses[i] = (ps_clause_t){
			.section = r->section, .paragraph = r->paragraph, .ordinal = r->ordinal,
			.line = r->line, .sentence = r->sentence, .part = r->part,
			.start = (size_t)r->start, .end = (size_t)r->end,
			.norm_start = (size_t)r->norm_start, .norm_end = (size_t)r->norm_end,
		};
	}
	o->sections = sections;
	o->n_sections = head.n_sections;
	o->paragraphs = paras;
	o->n_paragraphs = head.n_paragraphs;
	o->clauses = clauses;
	o->n_clauses = head.n_clauses;
	if (decode_tables(o, &head, table_data, plan_bytes) != 0) {
		outline_free(o);
		return NULL;
	}
	return o;
bad:
	free(o);
	free(sections);
	free(paras);
	free(clauses);
	return NULL;
}

static void outline_free(ps_outline_t *o)
{
	if (o == NULL)
		return;
	free((void *)o->sections);
	free((void *)o->paragraphs);
	free((void *)o->clauses);
	free((void *)o->tables);
	for (size_t i = 0; i < sizeof o->table_parts / sizeof o->table_parts[0]; i++)
		free(o->table_parts[i]);
	free(o);
}

/* ---- opening ---------------------------------------------------------------------- */

/* What a directory without a stub holds: nothing of note, only what our builds leave
 * (a lock file, generations, temporary stubs), a Xapian database, or other files; or it
 * cannot be read (errno set). */
typedef enum dir_kind { DIR_EMPTY, DIR_LEFTOVERS, DIR_XAPIAN, DIR_OTHER, DIR_UNREADABLE } dir_kind_t;

static dir_kind_t classify_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	dir_kind_t kind = DIR_EMPTY;
	if (d == NULL)
		return DIR_UNREADABLE;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (strncmp(n, "iam", 3) == 0 || strstr(n, ".glass") != NULL ||
		    strcmp(n, "flintlock") == 0) {
			kind = DIR_XAPIAN;
			break;
		}
		if (strncmp(n, PS_GENERATION_PREFIX, strlen(PS_GENERATION_PREFIX)) == 0 ||
		    strncmp(n, PS_STUB_NAME ".", strlen(PS_STUB_NAME) + 1) == 0)
			kind = DIR_LEFTOVERS;
		else
			kind = DIR_OTHER;
	}
	closedir(d);
	return kind;
}

/* Open DIR/generation and take a shared lock on it, making sure it is still there under
 * that name once locked (a build renames a generation away before deleting it). Returns
 * the locked descriptor, or -1 (errno ENOENT when the generation is gone). Why a lock and
 * not a reopen when Xapian reports the database modified: a generation is never modified,
 * it is deleted, and a reader half-way through one could not recover; see prune_one in
 * generation.c for the builder's side. */
static int pin_generation(const char *path)
{
	struct stat held, now;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_SH) != 0)
		if (errno != EINTR)
			goto failed;
	if (fstat(fd, &held) != 0)
		goto failed;
	if (stat(path, &now) != 0 || now.st_ino != held.st_ino || now.st_dev != held.st_dev) {
		errno = ENOENT;
		goto failed;
	}
	return fd;
failed:;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Read the stub and pin the generation it names, retrying while builds switch to newer
 * ones under us. Fills *generation_path on PS_OK. */
static ps_status_t open_generation(const char *dir, const char *qdir, const char *stub,
					int *pin_fd, char **generation_path, char **error)
{
	enum { ATTEMPTS = 50 };
	for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
		char *name = NULL, *line = NULL;
		int r = ps_generation_read_stub(stub, &name, &line);
		if (r < 0 && (errno == EACCES || errno == EPERM)) { /* not ours to read: no rebuild */
			strbuf_printf_new(error, "cannot read the index at %s: %s: %s", dir, stub,
					  strerror(errno));
			return PS_ERR_FAILED;
		}
		if (r < 0) {
			strbuf_printf_new(error, "cannot read %s: %s; rebuild the index with: "
					  REBUILD, stub, strerror(errno), qdir);
			return errno == ENOMEM ? PS_ERR_FAILED : PS_ERR_CORRUPT;
		}
		if (r == 0) {
			strbuf_printf_new(error, "%s is not a policy-search index: its %s names "
					  "\"%.100s\", not one of our generations; build an index "
					  "in a new directory with: policy-index --corpus corpus "
					  "--db index", dir, PS_STUB_NAME, line);
			free(line);
			return PS_ERR_FOREIGN;
		}
		strbuf_t path = STRBUF_INIT;
		if (strbuf_printf(&path, "%s/%s", dir, name) != 0) {
			free(name);
			strbuf_printf_new(error, "out of memory");
			return PS_ERR_FAILED;
		}
		int fd = pin_generation(path.data);
		if (fd >= 0) {
			free(name);
			*pin_fd = fd;
			*generation_path = strbuf_steal(&path);
			return PS_OK;
		}
		int saved = errno;
		strbuf_free(&path);
		if (saved != ENOENT) {
			strbuf_printf_new(error, "cannot open the index at %s (%s: %s)", dir, name,
					  strerror(saved));
			free(name);
			return PS_ERR_FAILED;
		}
		/* Gone: either a build switched the stub since we read it (read it again), or
		 * the stub names a generation that is not there at all. */
		char *again = NULL, *again_line = NULL;
		bool moved = ps_generation_read_stub(stub, &again, &again_line) == 1 &&
			     strcmp(again, name) != 0;
		free(again);
		free(again_line);
		if (!moved) {
			strbuf_printf_new(error, "the index at %s is damaged: %s names %s, which is "
					  "missing; rebuild it with: " REBUILD, dir, PS_STUB_NAME,
					  name, qdir);
			free(name);
			return PS_ERR_CORRUPT;
		}
		free(name);
	}
	strbuf_printf_new(error, "the index at %s kept changing while it was being opened; "
			  "try again", dir);
	return PS_ERR_FAILED;
}

/* The message for a directory that exists but has no stub. */
static ps_status_t no_stub(const char *dir, const char *qdir, char **error)
{
	switch (classify_dir(dir)) {
	case DIR_EMPTY:
		strbuf_printf_new(error, "%s is empty: there is no index there yet; build one "
				  "with: " REBUILD, dir, qdir);
		return PS_ERR_INDEX_EMPTY;
	case DIR_LEFTOVERS:
		strbuf_printf_new(error, "%s holds no index, only what an unfinished build left; "
				  "build one with: " REBUILD, dir, qdir);
		return PS_ERR_INDEX_EMPTY;
	case DIR_XAPIAN:
		strbuf_printf_new(error, "%s is a Xapian database but not a policy-search index "
				  "(it has no %s file); build an index in a new directory with: "
				  "policy-index --corpus corpus --db index", dir, PS_STUB_NAME);
		return PS_ERR_FOREIGN;
	case DIR_UNREADABLE:
		strbuf_printf_new(error, "cannot read the index at %s: %s", dir, strerror(errno));
		return PS_ERR_FAILED;
	case DIR_OTHER:
		break;
	}
	strbuf_printf_new(error, "%s is not a policy-search index (it holds other files and "
			  "no %s); build an index in a new directory with: policy-index "
			  "--corpus corpus --db index", dir, PS_STUB_NAME);
	return PS_ERR_FOREIGN;
}

/* Map generation/name read-only and check its head. 0, or -1 (errno, or EINVAL for a head
 * that is not this file's of this schema). An empty mapping for a file of no bytes. */
static int map_file(const char *generation, const char *name, const char *magic, mapped_t *m)
{
	strbuf_t path = STRBUF_INIT;
	int fd = -1, rc = -1;
	struct stat st;
	if (strbuf_printf(&path, "%s/%s", generation, name) != 0) {
		errno = ENOMEM;
		goto out;
	}
	fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size < sizeof(ps_file_head_t)) {
		errno = EINVAL;
		goto out;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out;
	m->data = p;
	m->len = (size_t)st.st_size;
	ps_file_head_t head;
	memcpy(&head, p, sizeof head);
	if (strncmp(head.magic, magic, sizeof head.magic) != 0 || head.schema != PS_SCHEMA_VERSION) {
		errno = EINVAL;
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	strbuf_free(&path);
	return rc;
}

static void unmap(mapped_t *m)
{
	if (m->data != NULL)
		munmap((void *)m->data, m->len);
	m->data = NULL;
	m->len = 0;
}

/* The plans from the mapped catalogue; -1 when it does not fit together. */
static int load_catalogue(ps_store_t *s)
{
	const char *c = s->catalogue.data;
	size_t len = s->catalogue.len, at = sizeof(ps_file_head_t);
	if (len < at + sizeof(ps_catalogue_head_t))
		return -1;
	s->head = (const void *)(c + at);
	at += sizeof *s->head;
	size_t n = s->head->n_plans, nf = s->head->n_facets;
	if (n > (len - at) / (sizeof(ps_plan_rec_t) + 2 * sizeof(uint32_t)))
		return -1;
	s->recs = (const void *)(c + at);
	s->by_id = (const void *)(c + at + n * sizeof(ps_plan_rec_t));
	s->by_city = s->by_id + n;
	at += n * (sizeof(ps_plan_rec_t) + 2 * sizeof(uint32_t));
	at += (8 - at % 8) % 8;
	if (at > len || nf > (len - at) / sizeof(ps_facet_rec_t))
		return -1;
	s->facets = (const void *)(c + at);
	s->n_facets = nf;
	/* each facet is checked when it is read (ps_store_facet): opening reads none */
	if (s->head->strings_offset > len || len - s->head->strings_offset < s->head->strings_len ||
	    s->head->strings_len == 0 || c[s->head->strings_offset + s->head->strings_len - 1] != '\0')
		return -1;
	s->strings = c + s->head->strings_offset;
	size_t slen = s->head->strings_len;
	s->n_docs = s->head->n_docs;
	if (s->docs.len - sizeof(ps_file_head_t) != s->n_docs * sizeof(ps_doc_rec_t))
		return -1;
	s->plans = calloc(n ? n : 1, sizeof *s->plans);
	s->outlines_cache = calloc(n ? n : 1, sizeof *s->outlines_cache);
	if (s->plans == NULL || s->outlines_cache == NULL)
		return -1;
	s->n_plans = n;
	for (size_t i = 0; i < n; i++) {
		const ps_plan_rec_t *r = &s->recs[i];
		ps_plan_t *p = &s->plans[i];
		uint32_t strs[] = {r->city_id, r->city, r->province, r->title, r->file};
		for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
			if (strs[k] >= slen)
				return -1;
		if ((r->date != PS_NO_STRING && r->date >= slen) || s->by_id[i] >= n ||
		    s->by_city[i] >= n ||
		    r->sha256[64] != '\0' ||
		    r->source_offset > s->sources.len ||
		    s->sources.len - r->source_offset <= r->bytes ||
		    r->norm_offset > s->norms.len || s->norms.len - r->norm_offset <= r->norm_len ||
		    r->outline_offset > s->outlines.len ||
		    s->outlines.len - r->outline_offset < r->outline_len ||
		    r->body_start > r->body_end || r->body_end > r->bytes ||
		    r->first_docid == 0 || r->first_docid - 1 + (uint64_t)r->passages > s->n_docs)
			return -1;
		p->city_id = s->strings + r->city_id;
		p->city = s->strings + r->city;
		p->province = s->strings + r->province;
		p->title = s->strings + r->title;
		p->date = r->date == PS_NO_STRING ? NULL : s->strings + r->date;
		p->file = s->strings + r->file;
		p->title_supplied = r->flags & PS_PLAN_TITLE_SUPPLIED;
		p->gb18030 = r->flags & PS_PLAN_GB18030;
		p->city_shared = r->flags & PS_PLAN_CITY_SHARED;
		p->title_shared = r->flags & PS_PLAN_TITLE_SHARED;
		p->passages = r->passages;
		p->bytes = (size_t)r->bytes;
		p->sha256 = r->sha256; /* NUL-terminated by the writer (format.h) */
		p->body_start = (size_t)r->body_start;
		p->body_end = (size_t)r->body_end;
		p->characters = (size_t)r->characters;
		p->first_docid = r->first_docid;
	}
	s->corpus_dir = s->head->corpus_dir < slen ? s->strings + s->head->corpus_dir : NULL;
	return 0;
}

static ps_status_t open_store(const char *dir, bool allow_no_plans, ps_store_t **out,
				   char **error)
{
	ps_store_t *s = NULL;
	strbuf_t stub = STRBUF_INIT, path = STRBUF_INIT;
	char *xerr = NULL, *value = NULL;
	char *qdir = strbuf_shell_word(dir); /* in the commands to paste */
	struct stat st;
	ps_status_t rc = PS_ERR_FAILED;

	if (qdir == NULL || strbuf_printf(&stub, "%s/%s", dir, PS_STUB_NAME) != 0)
		goto oom;
	if (stat(dir, &st) != 0) {
		/* the path in full: run elsewhere than the repository, "index" says little */
		char cwd[4096];
		bool relative = dir[0] != '/' && getcwd(cwd, sizeof cwd) != NULL;
		strbuf_printf_new(error, "no index at %s%s%s; build one with: " REBUILD,
				  relative ? cwd : "", relative ? "/" : "", dir, qdir);
		rc = errno == ENOENT ? PS_ERR_NO_INDEX : PS_ERR_FAILED;
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		strbuf_printf_new(error, "%s is a file, not an index directory; build an index "
				  "in a new directory with: policy-index --corpus corpus --db index",
				  dir);
		rc = PS_ERR_FOREIGN;
		goto out;
	}
	if (stat(stub.data, &st) != 0) {
		if (errno != ENOENT) { /* a directory we may not look into, say */
			strbuf_printf_new(error, "cannot read the index at %s: %s", dir,
					  strerror(errno));
			goto out;
		}
		rc = no_stub(dir, qdir, error);
		goto out;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL)
		goto oom;
	s->pin_fd = -1;
	rc = open_generation(dir, qdir, stub.data, &s->pin_fd, &s->generation, error);
	if (rc != PS_OK)
		goto out;
	rc = PS_ERR_FAILED;
	if (strbuf_printf(&path, "%s/%s", s->generation, PS_XAPIAN_DIR) != 0)
		goto oom;
	struct stat xst;
	if (stat(path.data, &xst) == 0 && access(path.data, R_OK | X_OK) != 0) {
		strbuf_printf_new(error, "cannot read the index at %s: %s: %s", dir, path.data,
				  strerror(errno));
		rc = PS_ERR_DENIED;
		goto out;
	}
	ps_status_t st_open = xw_db_open(path.data, &s->db, &xerr);
	if (st_open == PS_ERR_NOT_FOUND && stat(path.data, &xst) != 0) {
		/* no xapian/: a generation of schema 6 or before, one database */
		free(xerr);
		xerr = NULL;
		st_open = xw_db_open(s->generation, &s->db, &xerr);
	}
	if (st_open != PS_OK) {
		strbuf_printf_new(error, "the index at %s is damaged or unreadable (%s: %s); "
				  "rebuild it with: " REBUILD, dir, ps_status_to_string(st_open),
				  xerr ? xerr : "", qdir);
		rc = st_open == PS_ERR_NO_MEMORY ? PS_ERR_FAILED : PS_ERR_CORRUPT;
		goto out;
	}
	if (xw_db_get_metadata(s->db, PS_META_SCHEMA, &value, NULL) != PS_OK) {
		strbuf_printf_new(error, "the index at %s is damaged or unreadable (%s); rebuild "
				  "it with: " REBUILD, dir, xw_db_last_error(s->db), qdir);
		rc = PS_ERR_CORRUPT;
		goto out;
	}
	if (value == NULL) {
		strbuf_printf_new(error, "%s is not a policy-search index: the database its %s "
				  "names has no schema version; build an index in a new directory "
				  "with: policy-index --corpus corpus --db index", dir, PS_STUB_NAME);
		rc = PS_ERR_FOREIGN;
		goto out;
	}
	if (strcmp(value, PS_SCHEMA_VERSION_TEXT) != 0) {
		bool older = strtol(value, NULL, 10) < (long)PS_SCHEMA_VERSION;
		strbuf_printf_new(error, "the index at %s was built by %s version of policy-search "
				  "(index schema %.20s; this one reads schema %s); rebuild it with: "
				  REBUILD, dir, older ? "an older" : "a newer", value,
				  PS_SCHEMA_VERSION_TEXT, qdir);
		rc = PS_ERR_SCHEMA;
		goto out;
	}
	if (map_file(s->generation, PS_CATALOGUE_FILE, PS_MAGIC_CATALOGUE, &s->catalogue) != 0 ||
	    map_file(s->generation, PS_DOCS_FILE, PS_MAGIC_DOCS, &s->docs) != 0 ||
	    map_file(s->generation, PS_OUTLINES_FILE, PS_MAGIC_OUTLINES, &s->outlines) != 0 ||
	    map_file(s->generation, PS_SOURCES_FILE, PS_MAGIC_SOURCES, &s->sources) != 0 ||
	    map_file(s->generation, PS_NORMS_FILE, PS_MAGIC_NORMS, &s->norms) != 0 ||
	    map_file(s->generation, PS_COUNTS_FILE, PS_MAGIC_COUNTS, &s->counts_file) != 0 ||
	    load_catalogue(s) != 0) {
		int saved = errno;
		if (saved == EACCES || saved == EPERM) {
			strbuf_printf_new(error, "cannot read the index at %s: %s", dir,
					  strerror(saved));
			goto out;
		}
		strbuf_printf_new(error, "the index at %s is damaged: its files do not fit "
				  "together; rebuild it with: " REBUILD, dir, qdir);
		rc = PS_ERR_CORRUPT;
		goto out;
	}
	if (s->n_plans == 0 && !allow_no_plans) {
		strbuf_printf_new(error, "the index at %s holds no plans; build it with: " REBUILD
				  " (or add one with policy-index --db %s --add FILE)", dir, qdir, qdir);
		rc = PS_ERR_INDEX_EMPTY;
		goto out;
	}
	*out = s;
	s = NULL;
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PS_ERR_FAILED;
out:
	free(qdir);
	free(value);
	free(xerr);
	strbuf_free(&stub);
	strbuf_free(&path);
	ps_store_close(s);
	return rc;
}

ps_status_t ps_store_open(const char *dir, ps_store_t **out, char **error)
{
	return open_store(dir, false, out, error);
}

ps_status_t ps_store_open_to_update(const char *dir, ps_store_t **out, char **error)
{
	return open_store(dir, true, out, error);
}

void ps_store_close(ps_store_t *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; s->outlines_cache != NULL && i < s->n_plans; i++)
		outline_free(s->outlines_cache[i]);
	free(s->outlines_cache);
	free(s->plans);
	unmap(&s->catalogue);
	unmap(&s->docs);
	unmap(&s->outlines);
	unmap(&s->sources);
	unmap(&s->norms);
	unmap(&s->counts_file);
	xw_db_destroy(s->db);
	free(s->generation);
	if (s->pin_fd >= 0)
		close(s->pin_fd); /* releases the pin: a later build may delete it */
	free(s);
}

/* ---- reading ----------------------------------------------------------------------- */

xw_db_t *ps_store_db(ps_store_t *s)
{
	return s->db;
}

const ps_plan_t *ps_store_plans(const ps_store_t *s, size_t *n_plans)
{
	*n_plans = s->n_plans;
	return s->plans;
}

/* The administrative-division suffixes a city's name may be given without. */
static const char *const suffixes[] = {"市", "县", "区", "州", "省", "盟"};

/* True if city is name followed by one administrative-division suffix. */
static bool is_city_with_suffix(const char *city, const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || strncmp(city, name, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (strcmp(city + n, suffixes[i]) == 0)
			return true;
	return false;
}

bool ps_plan_is_city(const ps_plan_t *p, const char *name)
{
	return strcasecmp(p->city_id, name) == 0 || strcmp(p->city, name) == 0 ||
	       is_city_with_suffix(p->city, name);
}

/* The plans whose city is exactly `city` (the by_city index: a run), added to out. */
static size_t plans_named(const ps_store_t *s, const char *city, const ps_plan_t **out,
			  size_t n)
{
	size_t lo = 0, hi = s->n_plans; /* the first whose city is not before `city` */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->plans[s->by_city[mid]].city, city) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->n_plans && strcmp(s->plans[s->by_city[lo]].city, city) == 0; lo++)
		out[n++] = &s->plans[s->by_city[lo]];
	return n;
}

static int cmp_plan_ptr(const void *a, const void *b)
{
	const ps_plan_t *x = *(const ps_plan_t *const *)a, *y = *(const ps_plan_t *const *)b;
	return x < y ? -1 : x > y;
}

size_t ps_store_find_cities(const ps_store_t *s, const char *name, const ps_plan_t **out)
{
	size_t n = 0, len = strlen(name);
	char id[PS_MAX_ID_LOOKUP + 1], named[PS_MAX_ID_LOOKUP + 8];
	if (len <= PS_MAX_ID_LOOKUP) { /* ids are lower-case: `name` in any case */
		for (size_t i = 0; i <= len; i++)
			id[i] = (char)tolower((unsigned char)name[i]);
		const ps_plan_t *p = ps_store_plan_by_id(s, id);
		if (p != NULL)
			out[n++] = p;
	}
	n = plans_named(s, name, out, n);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0] && len + 4 <= sizeof named;
	     i++) {
		snprintf(named, sizeof named, "%s%s", name, suffixes[i]);
		n = plans_named(s, named, out, n);
	}
	if (n > 1) /* index order, each once */
		qsort(out, n, sizeof *out, cmp_plan_ptr);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || out[m - 1] != out[i])
			out[m++] = out[i];
	return m;
}

const ps_plan_t *ps_store_find_city(const ps_store_t *s, const char *name)
{
	const ps_plan_t **found = malloc((s->n_plans ? s->n_plans : 1) * sizeof *found);
	const ps_plan_t *p = NULL;
	if (found == NULL)
		return NULL;
	if (ps_store_find_cities(s, name, found) > 0)
		p = found[0];
	free(found);
	return p;
}

const ps_plan_t *ps_store_plan_by_id(const ps_store_t *s, const char *city_id)
{
	size_t lo = 0, hi = s->n_plans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const ps_plan_t *p = &s->plans[s->by_id[mid]];
		int c = strcmp(p->city_id, city_id);
		if (c == 0)
			return p;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool ps_store_doc(const ps_store_t *s, unsigned docid, ps_doc_t *out)
{
	if (docid == 0 || docid > s->n_docs)
		return false;
	const ps_doc_rec_t *recs = (const void *)(s->docs.data + sizeof(ps_file_head_t));
	const ps_doc_rec_t *r = &recs[docid - 1];
	if (r->plan >= s->n_plans || r->facet >= s->n_facets || r->norm_offset > s->norms.len ||
	    s->norms.len - r->norm_offset < r->norm_len)
		return false;
	*out = (ps_doc_t){
		.plan = &s->plans[r->plan], .clause = (int)r->clause, .section = (int)r->section,
		.paragraph = r->paragraph, .facet = r->facet,
		.norm = s->norms.data + r->norm_offset, .norm_len = r->norm_len,
	};
	return true;
}

void ps_store_prefetch_doc(const ps_store_t *s, unsigned docid)
{
	if (docid > 0 && docid <= s->n_docs)
		__builtin_prefetch(s->docs.data + sizeof(ps_file_head_t) +
				   (docid - 1) * sizeof(ps_doc_rec_t));
}

unsigned ps_store_n_docs(const ps_store_t *s)
{
	return (unsigned)s->n_docs;
}

size_t ps_store_n_facets(const ps_store_t *s)
{
	return s->n_facets;
}

bool ps_store_facet(const ps_store_t *s, size_t f, ps_facet_t *out)
{
	if (f >= s->n_facets)
		return false;
	const ps_facet_rec_t *r = &s->facets[f];
	size_t slen = s->head->strings_len;
	if (r->plan >= s->n_plans || r->path >= slen || r->number >= slen || r->title >= slen ||
	    r->first_docid == 0 ||
	    (f + 1 < s->n_facets && s->facets[f + 1].first_docid <= r->first_docid))
		return false; /* a damaged catalogue: the facet is not there */
	*out = (ps_facet_t){
		.plan = &s->plans[r->plan], .chapter = (int)r->chapter,
		.path = s->strings + r->path, .number = s->strings + r->number,
		.title = s->strings + r->title, .first_docid = r->first_docid,
		.end_docid = f + 1 < s->n_facets ? s->facets[f + 1].first_docid
						 : (unsigned)s->n_docs + 1,
	};
	return true;
}

/* The message for a plan's text that does not end where its record says (a damaged
 * index); -1. Checked when the text is asked for, not when the index is opened: opening
 * reads no plan's text. */
static ps_status_t text_damaged(const ps_plan_t *plan, char **error)
{
	strbuf_printf_new(error, "the index's copy of %s is damaged; rebuild it with policy-index",
			  plan->file);
	return PS_ERR_CORRUPT;
}

ps_status_t ps_store_plan_source(ps_store_t *s, const ps_plan_t *plan, const char **text,
				 size_t *len, char **error)
{
	const ps_plan_rec_t *r = &s->recs[plan - s->plans];
	if (s->sources.data[r->source_offset + r->bytes] != '\0') /* in range: checked at open */
		return text_damaged(plan, error);
	*text = s->sources.data + r->source_offset;
	*len = (size_t)r->bytes;
	return PS_OK;
}

ps_status_t ps_store_plan_norm(ps_store_t *s, const ps_plan_t *plan, const char **text,
			       size_t *len, char **error)
{
	const ps_plan_rec_t *r = &s->recs[plan - s->plans];
	if (s->norms.data[r->norm_offset + r->norm_len] != '\0')
		return text_damaged(plan, error);
	*text = s->norms.data + r->norm_offset;
	*len = (size_t)r->norm_len;
	return PS_OK;
}

ps_status_t ps_store_plan_outline(ps_store_t *s, const ps_plan_t *plan, const ps_outline_t **out,
				  char **error)
{
	size_t i = (size_t)(plan - s->plans);
	if (s->outlines_cache[i] == NULL) {
		const ps_plan_rec_t *r = &s->recs[i];
		s->outlines_cache[i] = decode_outline(s->outlines.data + r->outline_offset,
						      (size_t)r->outline_len, plan->bytes);
		if (s->outlines_cache[i] == NULL) {
			strbuf_printf_new(error, "the index's outline of %s is damaged; rebuild it "
					  "with policy-index", plan->file);
			return PS_ERR_CORRUPT;
		}
		if (s->outlines_cache[i]->n_clauses != plan->passages) {
			outline_free(s->outlines_cache[i]);
			s->outlines_cache[i] = NULL;
			strbuf_printf_new(error, "the index's outline of %s does not fit its "
					  "clauses; rebuild it with policy-index", plan->file);
			return PS_ERR_CORRUPT;
		}
	}
	*out = s->outlines_cache[i];
	return PS_OK;
}

const char *ps_store_schema(void)
{
	return PS_SCHEMA_VERSION_TEXT;
}

const char *ps_store_corpus_dir(const ps_store_t *s)
{
	return s->corpus_dir;
}

/* ---- counts (counts.h) -------------------------------------------------------------- */

void ps_store_counts_file(const ps_store_t *s, const char **data, size_t *len)
{
	*data = s->counts_file.data;
	*len = s->counts_file.len;
}

const ps_plan_t *ps_store_plan_at(const ps_store_t *s, size_t i)
{
	return i < s->n_plans ? &s->plans[i] : NULL;
}
