/* store.c: opening an index (stub, pinned generation, schema) and reading its mapped parts. */
#include "store.h"

#include "format.h"
#include "generation.h"
#include "embed.h"
#include "internal.h"
#include "stubfile.h"
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

/* A file of an index: mapped read-only from a generation on this machine, or read whole
 * from a remote shard's database (embed.h). len is known before the bytes are: a remote
 * shard's outlines, sources and counts are read when first asked for. */
typedef struct mapped {
	const char *data;
	size_t len;
	bool fetched; /* malloc'd, read from the shard's database; else mapped */
} mapped_t;

/* One index the store reads: the index directory it was opened on, or one shard of a stub
 * file (stubfile.h). Its plans, facets and documents follow those of the parts before it. */
typedef struct part {
	char *name;       /* what messages call it: the directory, or "remote HOST:PORT" */
	xw_db_t *db;
	bool remote;      /* its files are read from its database's metadata */
	bool embedded;    /* its database holds a copy of its files (a shard: embed.h) */
	char *generation; /* on this machine: the pinned generation's directory */
	char *stub;       /* on this machine: the index directory's stub, which a rebuild
			   * renames a new one over */
	int pin_fd;       /* that directory, shared-locked while the store is open; or -1 */
	int docs_fd, norms_fd; /* on this machine: those files, for ps_store_doc_read; or -1 */
	mapped_t catalogue, docs, outlines, sources, norms, counts_file;
	mapped_t frequent;  /* optional: an index directory's kept answers (frequent.h) */
	const ps_frequent_head_t *frequent_head;
	const ps_frequent_rec_t *frequent_recs;
	mapped_t ngrams;    /* optional: its kept n-gram clauses (ngrams.h) */
	const ps_ngrams_head_t *ngrams_head;
	const ps_ngram_rec_t *ngram_recs;
	const ps_catalogue_head_t *head;
	const ps_plan_rec_t *recs;
	const uint32_t *by_id, *by_city;
	const ps_facet_rec_t *facets;
	size_t n_facets, n_docs, n_plans;
	const char *strings;
	const char *corpus_dir;
	size_t plan_base, facet_base; /* its first plan's and first facet's number in the store */
	unsigned doc_base;            /* its document ids are offset by this in the store's */
} part_t;

struct ps_store {
	part_t *parts;   /* one, or a stub file's shards in its order */
	size_t n_parts;
	xw_db_t *db;     /* the one part's database, or the parts' concatenation (owned) */
	bool concat;     /* db is a concatenation, to close */
	ps_plan_t *plans; /* every part's, in order */
	size_t n_plans;
	uint32_t *plan_part; /* per plan, its part; NULL for one part */
	const uint32_t *by_id, *by_city; /* plan numbers sorted by city id and by city */
	uint32_t *merged_order; /* where by_id and by_city live for several parts */
	ps_outline_t **outlines_cache; /* parallel to plans; decoded on first use */
	size_t n_facets, n_docs;
	char **missing;  /* PS_OPEN_ALLOW_PARTIAL: why each shard left out was */
	size_t n_missing;
	bool one_shot;   /* PS_OPEN_ONE_SHOT */
};

/* The rebuild command every message ends with; its %s is the directory as a shell word
 * (strbuf_shell_word), so that the command pastes as it is. */
#define REBUILD "policy-index --corpus corpus --db %s"

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

/* Whether m starts with the head of a file `magic` of this schema. */
static bool head_ok(const mapped_t *m, const char *magic)
{
	ps_file_head_t head;
	if (m->len < sizeof head)
		return false;
	memcpy(&head, m->data, sizeof head);
	return strncmp(head.magic, magic, sizeof head.magic) == 0 &&
	       head.schema == PS_SCHEMA_VERSION;
}

/* Map generation/name read-only and check its head. 0, or -1 (errno, or EINVAL for a head
 * that is not this file's of this schema). */
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
	*m = (mapped_t){.data = p, .len = (size_t)st.st_size};
	if (!head_ok(m, magic)) {
		errno = EINVAL;
		goto out;
	}
	rc = 0;
out:;
	int saved = errno; /* what failed, not what the cleanup does */
	if (fd >= 0)
		close(fd);
	strbuf_free(&path);
	errno = saved;
	return rc;
}

static void release(mapped_t *m)
{
	if (m->data != NULL && m->fetched)
		free((void *)m->data);
	else if (m->data != NULL)
		munmap((void *)m->data, m->len);
	*m = (mapped_t){0};
}

/* Make file `name` of part p readable: a remote shard's is read from its database the
 * first time (its length already known from its head, embed.h). */
static ps_status_t part_file(part_t *p, mapped_t *m, const char *name, const char *magic,
			     char **error)
{
	if (m->data != NULL || !p->remote)
		return PS_OK;
	char *data = NULL, *why = NULL;
	size_t len = 0;
	ps_status_t st = ps_embed_read(p->db, name, &data, &len, &why);
	if (st != PS_OK) {
		strbuf_printf_new(error, "shard %s: %s", p->name, why ? why : ps_status_to_string(st));
		free(why);
		return st;
	}
	mapped_t got = {.data = data, .len = len, .fetched = true};
	if (len != m->len || !head_ok(&got, magic)) {
		free(data);
		strbuf_printf_new(error, "shard %s is damaged: its %s does not fit its catalogue; "
				  "rebuild it with policy-index --shard", p->name, name);
		return PS_ERR_CORRUPT;
	}
	*m = got;
	return PS_OK;
}

/* The part's catalogue, checked against its files' lengths; -1 when they do not fit. */
static int load_catalogue(part_t *p)
{
	const char *c = p->catalogue.data;
	size_t len = p->catalogue.len, at = sizeof(ps_file_head_t);
	if (len < at + sizeof(ps_catalogue_head_t))
		return -1;
	p->head = (const void *)(c + at);
	at += sizeof *p->head;
	size_t n = p->head->n_plans, nf = p->head->n_facets;
	if (n > (len - at) / (sizeof(ps_plan_rec_t) + 2 * sizeof(uint32_t)))
		return -1;
	p->recs = (const void *)(c + at);
	p->by_id = (const void *)(c + at + n * sizeof(ps_plan_rec_t));
	p->by_city = p->by_id + n;
	at += n * (sizeof(ps_plan_rec_t) + 2 * sizeof(uint32_t));
	at += (8 - at % 8) % 8;
	if (at > len || nf > (len - at) / sizeof(ps_facet_rec_t))
		return -1;
	p->facets = (const void *)(c + at);
	p->n_facets = nf;
	/* each facet is checked when it is read (ps_store_facet): opening reads none */
	if (p->head->strings_offset > len || len - p->head->strings_offset < p->head->strings_len ||
	    p->head->strings_len == 0 || c[p->head->strings_offset + p->head->strings_len - 1] != '\0')
		return -1;
	p->strings = c + p->head->strings_offset;
	size_t slen = p->head->strings_len;
	p->n_docs = p->head->n_docs;
	if (p->docs.len - sizeof(ps_file_head_t) != p->n_docs * sizeof(ps_doc_rec_t))
		return -1;
	p->n_plans = n;
	for (size_t i = 0; i < n; i++) {
		const ps_plan_rec_t *r = &p->recs[i];
		uint32_t strs[] = {r->city_id, r->city, r->province, r->title, r->file};
		for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
			if (strs[k] >= slen)
				return -1;
		if ((r->date != PS_NO_STRING && r->date >= slen) || p->by_id[i] >= n ||
		    p->by_city[i] >= n ||
		    r->sha256[64] != '\0' ||
		    r->source_offset > p->sources.len ||
		    p->sources.len - r->source_offset <= r->bytes ||
		    r->norm_offset > p->norms.len || p->norms.len - r->norm_offset <= r->norm_len ||
		    r->outline_offset > p->outlines.len ||
		    p->outlines.len - r->outline_offset < r->outline_len ||
		    r->body_start > r->body_end || r->body_end > r->bytes ||
		    r->first_docid == 0 || r->first_docid - 1 + (uint64_t)r->passages > p->n_docs)
			return -1;
	}
	p->corpus_dir = p->head->corpus_dir < slen ? p->strings + p->head->corpus_dir : NULL;
	return 0;
}

/* The part's plans as the store shows them, into out[0, n_plans). */
static void fill_plans(const part_t *p, ps_plan_t *out)
{
	for (size_t i = 0; i < p->n_plans; i++) {
		const ps_plan_rec_t *r = &p->recs[i];
		out[i] = (ps_plan_t){
			.city_id = p->strings + r->city_id,
			.city = p->strings + r->city,
			.province = p->strings + r->province,
			.title = p->strings + r->title,
			.date = r->date == PS_NO_STRING ? NULL : p->strings + r->date,
			.file = p->strings + r->file,
			.title_supplied = r->flags & PS_PLAN_TITLE_SUPPLIED,
			.gb18030 = r->flags & PS_PLAN_GB18030,
			.city_shared = r->flags & PS_PLAN_CITY_SHARED,
			.title_shared = r->flags & PS_PLAN_TITLE_SHARED,
			.passages = r->passages,
			.bytes = (size_t)r->bytes,
			.sha256 = r->sha256, /* NUL-terminated by the writer (format.h) */
			.body_start = (size_t)r->body_start,
			.body_end = (size_t)r->body_end,
			.characters = (size_t)r->characters,
			.first_docid = r->first_docid + p->doc_base,
		};
	}
}

/* The schema the part's database records, checked. `who` names it in messages ("the index
 * at DIR", "shard remote HOST:PORT"), `rebuild` is the command that rebuilds it. */
static ps_status_t check_schema(part_t *p, const char *who, const char *rebuild, char **error)
{
	char *value = NULL;
	ps_status_t rc;
	if ((rc = xw_db_get_metadata(p->db, PS_META_SCHEMA, &value, NULL)) != PS_OK) {
		strbuf_printf_new(error, "%s %s (%s); %s", who,
				  rc == PS_ERR_NETWORK ? "did not answer" : "is damaged or unreadable",
				  xw_db_last_error(p->db), rebuild);
		return rc == PS_ERR_NETWORK ? rc : PS_ERR_CORRUPT;
	}
	if (value == NULL) {
		strbuf_printf_new(error, "%s is not a policy-search index: its database has no "
				  "schema version; build an index in a new directory with: "
				  "policy-index --corpus corpus --db index", who);
		return PS_ERR_FOREIGN;
	}
	rc = PS_OK;
	if (strcmp(value, PS_SCHEMA_VERSION_TEXT) != 0) {
		bool older = strtol(value, NULL, 10) < (long)PS_SCHEMA_VERSION;
		strbuf_printf_new(error, "%s was built by %s version of policy-search (index schema "
				  "%.20s; this one reads schema %s); %s", who,
				  older ? "an older" : "a newer", value, PS_SCHEMA_VERSION_TEXT,
				  rebuild);
		rc = PS_ERR_SCHEMA;
	}
	free(value);
	return rc;
}

/* A part that holds nothing yet: no descriptor to close. */
static void part_init(part_t *p)
{
	*p = (part_t){.pin_fd = -1, .docs_fd = -1, .norms_fd = -1};
}

static void part_close(part_t *p)
{
	release(&p->catalogue);
	release(&p->docs);
	release(&p->outlines);
	release(&p->sources);
	release(&p->norms);
	release(&p->counts_file);
	release(&p->frequent);
	release(&p->ngrams);
	xw_db_destroy(p->db);
	free(p->generation);
	free(p->stub);
	free(p->name);
	if (p->pin_fd >= 0)
		close(p->pin_fd); /* releases the pin: a later build may delete it */
	if (p->docs_fd >= 0)
		close(p->docs_fd);
	if (p->norms_fd >= 0)
		close(p->norms_fd);
	part_init(p);
}

/* The kept answers of an index directory (format.h, "frequent"), when it has them: its
 * head must fit the catalogue and its records the file. 0 (also without them), or -1 with
 * errno. */
static int map_frequent(part_t *p)
{
	if (map_file(p->generation, PS_FREQUENT_FILE, PS_MAGIC_FREQUENT, &p->frequent) != 0)
		return errno == ENOENT ? 0 : -1; /* none: built without them, or before them */
	const ps_frequent_head_t *h = (const void *)(p->frequent.data + sizeof(ps_file_head_t));
	size_t len = p->frequent.len;
	if (len < sizeof(ps_file_head_t) + sizeof *h || h->n_facets != p->n_facets ||
	    h->n_docs != p->n_docs || h->records_offset % 8 != 0 || h->records_offset > len ||
	    (len - h->records_offset) / sizeof(ps_frequent_rec_t) < h->n_grams) {
		errno = EINVAL;
		return -1;
	}
	p->frequent_head = h;
	p->frequent_recs = (const void *)(p->frequent.data + h->records_offset);
	return 0;
}

/* The kept n-gram clauses of an index directory (format.h, "ngrams"), when it has them: its
 * head must fit the catalogue and its records the file. 0 (also without them), or -1 with
 * errno. */
static int map_ngrams(part_t *p)
{
	if (map_file(p->generation, PS_NGRAMS_FILE, PS_MAGIC_NGRAMS, &p->ngrams) != 0)
		return errno == ENOENT ? 0 : -1;
	const ps_ngrams_head_t *h = (const void *)(p->ngrams.data + sizeof(ps_file_head_t));
	size_t len = p->ngrams.len;
	if (len < sizeof(ps_file_head_t) + sizeof *h || h->n_docs != p->n_docs ||
	    h->records_offset % 8 != 0 || h->records_offset > len ||
	    (len - h->records_offset) / sizeof(ps_ngram_rec_t) < h->n_grams) {
		errno = EINVAL;
		return -1;
	}
	p->ngrams_head = h;
	p->ngram_recs = (const void *)(p->ngrams.data + h->records_offset);
	return 0;
}

/* Open the index directory `dir` on this machine into p. */
static ps_status_t open_local_part(const char *dir, part_t *p, char **error)
{
	strbuf_t stub = STRBUF_INIT, path = STRBUF_INIT, who = STRBUF_INIT, again = STRBUF_INIT;
	char *xerr = NULL;
	char *qdir = strbuf_shell_word(dir); /* in the commands to paste */
	struct stat st;
	ps_status_t rc = PS_ERR_FAILED;

	if (qdir == NULL || strbuf_printf(&stub, "%s/%s", dir, PS_STUB_NAME) != 0 ||
	    (p->name = strdup(dir)) == NULL)
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
	if (stat(stub.data, &st) != 0) {
		if (errno != ENOENT) { /* a directory we may not look into, say */
			strbuf_printf_new(error, "cannot read the index at %s: %s", dir,
					  strerror(errno));
			goto out;
		}
		rc = no_stub(dir, qdir, error);
		goto out;
	}
	rc = open_generation(dir, qdir, stub.data, &p->pin_fd, &p->generation, error);
	if (rc != PS_OK)
		goto out;
	if ((p->stub = strdup(stub.data)) == NULL)
		goto oom;
	rc = PS_ERR_FAILED;
	if (strbuf_printf(&path, "%s/%s", p->generation, PS_XAPIAN_DIR) != 0)
		goto oom;
	struct stat xst;
	if (stat(path.data, &xst) == 0 && access(path.data, R_OK | X_OK) != 0) {
		strbuf_printf_new(error, "cannot read the index at %s: %s: %s", dir, path.data,
				  strerror(errno));
		rc = PS_ERR_DENIED;
		goto out;
	}
	ps_status_t st_open = xw_db_open(path.data, &p->db, &xerr);
	if (st_open == PS_ERR_NOT_FOUND && stat(path.data, &xst) != 0) {
		/* no xapian/: a generation of schema 6 or before, one database */
		free(xerr);
		xerr = NULL;
		st_open = xw_db_open(p->generation, &p->db, &xerr);
	}
	if (st_open != PS_OK) {
		strbuf_printf_new(error, "the index at %s is damaged or unreadable (%s: %s); "
				  "rebuild it with: " REBUILD, dir, ps_status_to_string(st_open),
				  xerr ? xerr : "", qdir);
		rc = st_open == PS_ERR_NO_MEMORY ? PS_ERR_FAILED : PS_ERR_CORRUPT;
		goto out;
	}
	if (strbuf_printf(&who, "the index at %s", dir) != 0 ||
	    strbuf_printf(&again, "rebuild it with: " REBUILD, qdir) != 0)
		goto oom;
	if ((rc = check_schema(p, who.data, again.data, error)) != PS_OK)
		goto out;
	rc = PS_ERR_FAILED;
	if (map_file(p->generation, PS_CATALOGUE_FILE, PS_MAGIC_CATALOGUE, &p->catalogue) != 0 ||
	    map_file(p->generation, PS_DOCS_FILE, PS_MAGIC_DOCS, &p->docs) != 0 ||
	    map_file(p->generation, PS_OUTLINES_FILE, PS_MAGIC_OUTLINES, &p->outlines) != 0 ||
	    map_file(p->generation, PS_SOURCES_FILE, PS_MAGIC_SOURCES, &p->sources) != 0 ||
	    map_file(p->generation, PS_NORMS_FILE, PS_MAGIC_NORMS, &p->norms) != 0 ||
	    map_file(p->generation, PS_COUNTS_FILE, PS_MAGIC_COUNTS, &p->counts_file) != 0 ||
	    load_catalogue(p) != 0 || map_frequent(p) != 0 ||
	    map_ngrams(p) != 0) {
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
	/* the clause records and normal forms, for reading a few scattered ones without
	 * faulting their pages in (ps_store_doc_read); the mapping serves if they fail */
	strbuf_t file = STRBUF_INIT;
	if (strbuf_printf(&file, "%s/%s", p->generation, PS_DOCS_FILE) == 0)
		p->docs_fd = open(file.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	file.len = 0;
	if (strbuf_printf(&file, "%s/%s", p->generation, PS_NORMS_FILE) == 0)
		p->norms_fd = open(file.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	strbuf_free(&file);
	/* a shard's database holds its files too: an update keeps it one */
	bool present = false;
	size_t ignored;
	char *why = NULL;
	if (ps_embed_size(p->db, PS_CATALOGUE_FILE, &present, &ignored, &why) == PS_OK)
		p->embedded = present;
	free(why);
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PS_ERR_FAILED;
out:
	free(qdir);
	free(xerr);
	strbuf_free(&stub);
	strbuf_free(&path);
	strbuf_free(&who);
	strbuf_free(&again);
	return rc;
}

/* How long a remote shard may keep a command waiting, at connecting and at each exchange
 * after: one that takes longer is an error naming it. POLICY_SEARCH_SHARD_TIMEOUT (in
 * milliseconds) overrides it. */
#define SHARD_TIMEOUT_MS 10000

/* Open the shard a stub file's remote line names into p: its database, and from its
 * metadata the catalogue, the clause records and the normal forms (what every search
 * reads); the outlines, sources and counts when first asked for. */
static ps_status_t open_remote_part(const ps_shard_spec_t *spec, part_t *p, char **error)
{
	char *xerr = NULL, *why = NULL, *rebuild = NULL, *who = NULL;
	ps_status_t rc = PS_ERR_NO_MEMORY;
	unsigned timeout = SHARD_TIMEOUT_MS;
	const char *env = getenv("POLICY_SEARCH_SHARD_TIMEOUT");
	if (env != NULL && atol(env) > 0)
		timeout = (unsigned)atol(env);
	p->remote = true;
	if ((p->name = strdup(spec->name)) == NULL)
		goto oom;
	strbuf_printf_new(&who, "shard %s", spec->name);
	strbuf_printf_new(&rebuild, "rebuild it with policy-index --shard on the machine that "
			  "serves it");
	if (who == NULL || rebuild == NULL)
		goto oom;
	rc = spec->kind == PS_SHARD_TCP
		     ? xw_db_open_remote(spec->host, spec->port, timeout, &p->db, &xerr)
		     : xw_db_open_program(spec->program, spec->args, timeout, &p->db, &xerr);
	if (rc != PS_OK) {
		/* only a shard that does not answer is PS_ERR_NETWORK, which --allow-partial
		 * leaves out; one that answers that it has no database is misconfigured */
		strbuf_printf_new(error, "%s %s (%s)", who,
				  rc == PS_ERR_NETWORK ? "did not answer" : "cannot be opened",
				  xerr ? xerr : ps_status_to_string(rc));
		if (rc != PS_ERR_NETWORK)
			rc = rc == PS_ERR_NO_MEMORY ? PS_ERR_FAILED : PS_ERR_CORRUPT;
		goto out;
	}
	if ((rc = check_schema(p, who, rebuild, error)) != PS_OK)
		goto out;
	struct {
		mapped_t *m;
		const char *name;
	} files[] = {
		{&p->catalogue, PS_CATALOGUE_FILE}, {&p->docs, PS_DOCS_FILE},
		{&p->outlines, PS_OUTLINES_FILE},   {&p->sources, PS_SOURCES_FILE},
		{&p->norms, PS_NORMS_FILE},         {&p->counts_file, PS_COUNTS_FILE},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		bool present = false;
		if ((rc = ps_embed_size(p->db, files[i].name, &present, &files[i].m->len, &why)) !=
		    PS_OK) {
			strbuf_printf_new(error, "%s: %s", who, why);
			goto out;
		}
		if (!present) {
			strbuf_printf_new(error, "%s holds a policy-search index built without "
					  "--shard: its database alone does not hold the whole index; "
					  "%s", who, rebuild);
			rc = PS_ERR_FOREIGN;
			goto out;
		}
	}
	p->embedded = true;
	if ((rc = part_file(p, &p->catalogue, PS_CATALOGUE_FILE, PS_MAGIC_CATALOGUE, error)) !=
		    PS_OK ||
	    (rc = part_file(p, &p->docs, PS_DOCS_FILE, PS_MAGIC_DOCS, error)) != PS_OK ||
	    (rc = part_file(p, &p->norms, PS_NORMS_FILE, PS_MAGIC_NORMS, error)) != PS_OK)
		goto out;
	if (load_catalogue(p) != 0) {
		strbuf_printf_new(error, "%s is damaged: its files do not fit together; %s", who,
				  rebuild);
		rc = PS_ERR_CORRUPT;
		goto out;
	}
	rc = PS_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PS_ERR_FAILED;
out:
	free(xerr);
	free(why);
	free(who);
	free(rebuild);
	return rc;
}

/* ---- several parts as one index ---------------------------------------------------- */

static const ps_store_t *sort_store; /* for the comparisons below (qsort has no context) */

static int cmp_by_id(const void *a, const void *b)
{
	const ps_plan_t *x = &sort_store->plans[*(const uint32_t *)a],
			*y = &sort_store->plans[*(const uint32_t *)b];
	return strcmp(x->city_id, y->city_id);
}

static int cmp_by_city(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	int c = strcmp(sort_store->plans[i].city, sort_store->plans[j].city);
	return c != 0 ? c : (i > j) - (i < j);
}

/* The plans of several parts in one order by id and one by city, the plans of a city
 * that two shards hold marked as a single index would mark them. A plan in two parts is
 * an error: its id would name two plans. */
static ps_status_t merge_orders(ps_store_t *s, char **error)
{
	size_t n = s->n_plans;
	if ((s->merged_order = malloc((2 * n + 1) * sizeof *s->merged_order)) == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_FAILED;
	}
	uint32_t *by_id = s->merged_order, *by_city = s->merged_order + n;
	for (size_t i = 0; i < n; i++)
		by_id[i] = by_city[i] = (uint32_t)i;
	sort_store = s;
	qsort(by_id, n, sizeof *by_id, cmp_by_id);
	qsort(by_city, n, sizeof *by_city, cmp_by_city);
	s->by_id = by_id;
	s->by_city = by_city;
	for (size_t i = 1; i < n; i++) {
		const ps_plan_t *a = &s->plans[by_id[i - 1]], *b = &s->plans[by_id[i]];
		if (strcmp(a->city_id, b->city_id) == 0) {
			strbuf_printf_new(error, "the plan %s is in two shards, %s and %s: build each "
					  "shard of other plans (policy-index --only)", a->city_id,
					  s->parts[s->plan_part[by_id[i - 1]]].name,
					  s->parts[s->plan_part[by_id[i]]].name);
			return PS_ERR_INVALID;
		}
	}
	for (size_t i = 0; i < n; i++)
		s->plans[i].city_shared = s->plans[i].title_shared = false;
	for (size_t i = 0; i < n;) { /* each run of one city */
		size_t j = i + 1;
		while (j < n && strcmp(s->plans[by_city[j]].city, s->plans[by_city[i]].city) == 0)
			j++;
		for (size_t a = i; a < j; a++)
			for (size_t b = a + 1; b < j; b++) {
				ps_plan_t *x = &s->plans[by_city[a]], *y = &s->plans[by_city[b]];
				x->city_shared = y->city_shared = true;
				if (strcmp(x->title, y->title) == 0)
					x->title_shared = y->title_shared = true;
			}
		i = j;
	}
	return PS_OK;
}

/* Number the parts' plans, facets and documents one after another and build what spans
 * them. */
static ps_status_t assemble(ps_store_t *s, char **error)
{
	size_t plans = 0, facets = 0;
	unsigned docs = 0;
	for (size_t k = 0; k < s->n_parts; k++) {
		part_t *p = &s->parts[k];
		p->plan_base = plans;
		p->facet_base = facets;
		p->doc_base = docs;
		plans += p->n_plans;
		facets += p->n_facets;
		if (p->n_docs > UINT32_MAX - 1 - docs) {
			strbuf_printf_new(error, "the shards hold more clauses than one index can "
					  "number");
			return PS_ERR_INVALID;
		}
		docs += (unsigned)p->n_docs;
	}
	s->n_plans = plans;
	s->n_facets = facets;
	s->n_docs = docs;
	s->plans = calloc(plans ? plans : 1, sizeof *s->plans);
	s->outlines_cache = calloc(plans ? plans : 1, sizeof *s->outlines_cache);
	if (s->plans == NULL || s->outlines_cache == NULL)
		goto oom;
	for (size_t k = 0; k < s->n_parts; k++)
		fill_plans(&s->parts[k], s->plans + s->parts[k].plan_base);
	ps_status_t rc;
	if (s->n_parts == 1) {
		s->by_id = s->parts[0].by_id;
		s->by_city = s->parts[0].by_city;
		s->db = s->parts[0].db;
		if (!s->parts[0].remote)
			return PS_OK;
		/* a stub of one remote shard: read through a concatenation all the same, for
		 * its one-exchange posting lists and its errors that name the shard */
	} else {
		if ((s->plan_part = malloc((plans ? plans : 1) * sizeof *s->plan_part)) == NULL)
			goto oom;
		for (size_t k = 0; k < s->n_parts; k++)
			for (size_t i = 0; i < s->parts[k].n_plans; i++)
				s->plan_part[s->parts[k].plan_base + i] = (uint32_t)k;
		if ((rc = merge_orders(s, error)) != PS_OK)
			return rc;
	}
	xw_db_t **dbs = calloc(s->n_parts, sizeof *dbs);
	const char **names = calloc(s->n_parts, sizeof *names);
	unsigned *n_docs = calloc(s->n_parts, sizeof *n_docs);
	char *xerr = NULL;
	rc = PS_ERR_FAILED;
	if (dbs != NULL && names != NULL && n_docs != NULL) {
		for (size_t k = 0; k < s->n_parts; k++) {
			dbs[k] = s->parts[k].db;
			names[k] = s->parts[k].name;
			n_docs[k] = (unsigned)s->parts[k].n_docs;
		}
		rc = xw_db_concat(dbs, names, n_docs, s->n_parts, &s->db, &xerr);
		if (rc == PS_OK)
			s->concat = true;
		else
			strbuf_printf_new(error, "cannot search the shards as one: %s",
					  xerr ? xerr : ps_status_to_string(rc));
	} else {
		strbuf_printf_new(error, "out of memory");
	}
	free(dbs);
	free(names);
	free(n_docs);
	free(xerr);
	return rc;
oom:
	strbuf_printf_new(error, "out of memory");
	return PS_ERR_FAILED;
}

/* Keep why a shard that did not answer is left out (its message, taken). 0 or -1. */
static int leave_out(ps_store_t *s, char *why)
{
	char **grown = realloc(s->missing, (s->n_missing + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	s->missing = grown;
	s->missing[s->n_missing++] = why;
	return 0;
}

/* Open the shards the stub file at path names into s->parts; with partial, those that do
 * not answer are left out (s->missing) as long as one does. */
static ps_status_t open_stub_file(const char *path, bool partial, ps_store_t *s, char **error)
{
	ps_shard_spec_t *specs = NULL;
	size_t n = 0;
	ps_status_t rc = ps_stubfile_read(path, &specs, &n, error);
	if (rc != PS_OK)
		return rc;
	if ((s->parts = calloc(n, sizeof *s->parts)) == NULL) {
		ps_shard_specs_free(specs, n);
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_FAILED;
	}
	for (size_t k = 0; k < n; k++)
		part_init(&s->parts[k]);
	/* s->n_parts counts the parts opened (or being opened): a shard left out takes none */
	s->n_parts = 0;
	for (size_t k = 0; k < n && rc == PS_OK; k++) {
		part_t *p = &s->parts[s->n_parts++];
		if (specs[k].kind == PS_SHARD_LOCAL) {
			struct stat st;
			if (stat(specs[k].path, &st) == 0 && !S_ISDIR(st.st_mode)) {
				strbuf_printf_new(error, "%s, line %d: %s is not an index directory "
						  "(a stub file may not name another)", path,
						  specs[k].line, specs[k].path);
				rc = PS_ERR_INVALID;
				break;
			}
			rc = open_local_part(specs[k].path, p, error);
			continue;
		}
		char *why = NULL;
		rc = open_remote_part(&specs[k], p, &why);
		if (rc != PS_ERR_NETWORK || !partial) {
			*error = why;
			continue;
		}
		part_close(p);
		s->n_parts--;
		rc = PS_OK;
		if (leave_out(s, why) != 0) {
			free(why);
			strbuf_printf_new(error, "out of memory");
			rc = PS_ERR_FAILED;
		}
	}
	if (rc == PS_OK && s->n_parts == 0) {
		strbuf_printf_new(error, "no shard of %s answered: %s", path, s->missing[0]);
		rc = PS_ERR_NETWORK;
	}
	ps_shard_specs_free(specs, n);
	return rc;
}

static ps_status_t open_store(const char *dir, unsigned flags, ps_store_t **out,
			      char **error)
{
	bool allow_no_plans = flags & PS_OPEN_NO_PLANS;
	ps_store_t *s = calloc(1, sizeof *s);
	struct stat st;
	ps_status_t rc = PS_ERR_FAILED;
	if (s == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_FAILED;
	}
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		/* a file: a stub file naming shards */
		rc = open_stub_file(dir, flags & PS_OPEN_ALLOW_PARTIAL, s, error);
	} else if ((s->parts = calloc(1, sizeof *s->parts)) == NULL) {
		strbuf_printf_new(error, "out of memory");
	} else {
		part_init(s->parts);
		s->n_parts = 1;
		rc = open_local_part(dir, s->parts, error);
	}
	if (rc != PS_OK || (rc = assemble(s, error)) != PS_OK)
		goto out;
	s->one_shot = flags & PS_OPEN_ONE_SHOT;
	if (s->n_plans == 0 && !allow_no_plans) {
		char *qdir = strbuf_shell_word(dir);
		strbuf_printf_new(error, "the index at %s holds no plans; build it with: " REBUILD
				  " (or add one with policy-index --db %s --add FILE)", dir,
				  qdir ? qdir : dir, qdir ? qdir : dir);
		free(qdir);
		rc = PS_ERR_INDEX_EMPTY;
		goto out;
	}
	*out = s;
	s = NULL;
out:
	ps_store_close(s);
	return rc;
}

ps_status_t ps_store_open(const char *dir, ps_store_t **out, char **error)
{
	return open_store(dir, 0, out, error);
}

ps_status_t ps_store_open_with(const char *dir, unsigned flags, ps_store_t **out, char **error)
{
	return open_store(dir, flags, out, error);
}

ps_status_t ps_store_open_to_update(const char *dir, ps_store_t **out, char **error)
{
	return open_store(dir, PS_OPEN_NO_PLANS, out, error);
}

void ps_store_close(ps_store_t *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; s->outlines_cache != NULL && i < s->n_plans; i++)
		ps_outline_free(s->outlines_cache[i]);
	free(s->outlines_cache);
	free(s->plans);
	free(s->plan_part);
	free(s->merged_order);
	if (s->concat)
		xw_db_destroy(s->db);
	for (size_t k = 0; k < s->n_parts; k++)
		part_close(&s->parts[k]);
	free(s->parts);
	for (size_t k = 0; k < s->n_missing; k++)
		free(s->missing[k]);
	free(s->missing);
	free(s);
}

/* ---- reading ----------------------------------------------------------------------- */

/* The part that holds plan number i, and the plan's number in it. */
static part_t *plan_part(const ps_store_t *s, size_t i, size_t *local)
{
	part_t *p = s->plan_part == NULL ? s->parts : &s->parts[s->plan_part[i]];
	*local = i - p->plan_base;
	return p;
}

/* The part that holds document docid (1 .. n_docs): the last whose base is below it. */
static inline const part_t *doc_part(const ps_store_t *s, unsigned docid)
{
	if (s->n_parts == 1)
		return s->parts;
	size_t lo = 0, hi = s->n_parts;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->parts[mid].doc_base < docid)
			lo = mid;
		else
			hi = mid;
	}
	return &s->parts[lo];
}

/* The part that holds facet f (< n_facets): the last whose first facet is f or before. */
static const part_t *facet_part(const ps_store_t *s, size_t f)
{
	size_t lo = 0, hi = s->n_parts;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->parts[mid].facet_base <= f)
			lo = mid;
		else
			hi = mid;
	}
	return &s->parts[lo];
}

xw_db_t *ps_store_db(ps_store_t *s)
{
	return s->db;
}

const ps_plan_t *ps_store_plans(const ps_store_t *s, size_t *n_plans)
{
	*n_plans = s->n_plans;
	return s->plans;
}

bool ps_store_one_shot(const ps_store_t *s)
{
	return s->one_shot;
}

size_t ps_store_n_missing(const ps_store_t *s)
{
	return s->n_missing;
}

const char *ps_store_missing(const ps_store_t *s, size_t k)
{
	return k < s->n_missing ? s->missing[k] : NULL;
}

bool ps_store_remote(const ps_store_t *s)
{
	for (size_t k = 0; k < s->n_parts; k++)
		if (s->parts[k].remote)
			return true;
	return false;
}

/* Whether the local part's stub still names the generation it pinned. */
static bool local_current(const part_t *p)
{
	char *name = NULL, *line = NULL;
	const char *slash = strrchr(p->generation, '/');
	bool same = ps_generation_read_stub(p->stub, &name, &line) == 1 &&
		    strcmp(name, slash != NULL ? slash + 1 : p->generation) == 0;
	free(name);
	free(line);
	return same;
}

bool ps_store_current(ps_store_t *s)
{
	if (s->n_parts == 1 && !s->parts[0].remote)
		return true; /* an index directory: policy-serve watches its stub itself */
	for (size_t k = 0; k < s->n_parts; k++) {
		const part_t *p = &s->parts[k];
		int changed = 0;
		if (p->remote ? xw_db_reopen(p->db, &changed) != PS_OK || changed
			      : !local_current(p))
			return false;
	}
	return true;
}

bool ps_store_is_shard(const ps_store_t *s)
{
	return s->n_parts == 1 && s->parts[0].embedded;
}

size_t ps_store_n_shards(const ps_store_t *s)
{
	return s->n_parts;
}

const char *ps_store_shard_name(const ps_store_t *s, size_t k)
{
	return k < s->n_parts ? s->parts[k].name : NULL;
}

size_t ps_store_plan_shard(const ps_store_t *s, const ps_plan_t *plan)
{
	return s->plan_part == NULL ? 0 : s->plan_part[plan - s->plans];
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
	const part_t *p = doc_part(s, docid);
	const ps_doc_rec_t *recs = (const void *)(p->docs.data + sizeof(ps_file_head_t));
	const ps_doc_rec_t *r = &recs[docid - p->doc_base - 1];
	if (r->plan >= p->n_plans || r->facet >= p->n_facets || r->norm_offset > p->norms.len ||
	    p->norms.len - r->norm_offset < r->norm_len)
		return false;
	*out = (ps_doc_t){
		.plan = &s->plans[p->plan_base + r->plan], .clause = (int)r->clause,
		.section = (int)r->section, .paragraph = r->paragraph,
		.facet = (unsigned)(p->facet_base + r->facet),
		.norm = p->norms.data + r->norm_offset, .norm_len = r->norm_len,
	};
	return true;
}

bool ps_store_doc_read(const ps_store_t *s, unsigned docid, ps_doc_t *out, char *buf,
		       size_t cap)
{
	if (docid == 0 || docid > s->n_docs)
		return false;
	const part_t *p = doc_part(s, docid);
	if (p->docs_fd < 0 || p->norms_fd < 0)
		return ps_store_doc(s, docid, out);
	ps_doc_rec_t r;
	off_t at = (off_t)sizeof(ps_file_head_t) +
		   (off_t)(docid - p->doc_base - 1) * (off_t)sizeof r;
	if (pread(p->docs_fd, &r, sizeof r, at) != (ssize_t)sizeof r)
		return ps_store_doc(s, docid, out);
	if (r.plan >= p->n_plans || r.facet >= p->n_facets || r.norm_offset > p->norms.len ||
	    p->norms.len - r.norm_offset < r.norm_len)
		return false;
	const char *norm = p->norms.data + r.norm_offset; /* a long one: through the mapping */
	if (r.norm_len <= cap &&
	    pread(p->norms_fd, buf, r.norm_len, (off_t)r.norm_offset) == (ssize_t)r.norm_len)
		norm = buf;
	*out = (ps_doc_t){
		.plan = &s->plans[p->plan_base + r.plan], .clause = (int)r.clause,
		.section = (int)r.section, .paragraph = r.paragraph,
		.facet = (unsigned)(p->facet_base + r.facet), .norm = norm, .norm_len = r.norm_len,
	};
	return true;
}

void ps_store_prefetch_doc(const ps_store_t *s, unsigned docid)
{
	if (docid > 0 && docid <= s->n_docs) {
		const part_t *p = doc_part(s, docid);
		__builtin_prefetch(p->docs.data + sizeof(ps_file_head_t) +
				   (docid - p->doc_base - 1) * sizeof(ps_doc_rec_t));
	}
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
	const part_t *p = facet_part(s, f);
	size_t local = f - p->facet_base;
	const ps_facet_rec_t *r = &p->facets[local];
	size_t slen = p->head->strings_len;
	if (r->plan >= p->n_plans || r->path >= slen || r->number >= slen || r->title >= slen ||
	    r->first_docid == 0 ||
	    (local + 1 < p->n_facets && p->facets[local + 1].first_docid <= r->first_docid))
		return false; /* a damaged catalogue: the facet is not there */
	*out = (ps_facet_t){
		.plan = &s->plans[p->plan_base + r->plan], .chapter = (int)r->chapter,
		.path = p->strings + r->path, .number = p->strings + r->number,
		.title = p->strings + r->title, .first_docid = r->first_docid + p->doc_base,
		.end_docid = (local + 1 < p->n_facets ? p->facets[local + 1].first_docid
						      : (unsigned)p->n_docs + 1) +
			     p->doc_base,
	};
	return true;
}

size_t ps_store_facet_of(const ps_store_t *s, unsigned docid, size_t hint, unsigned *end)
{
	if (s->n_parts == 0)
		return SIZE_MAX;
	const part_t *p = doc_part(s, docid);
	unsigned x = docid - p->doc_base;
	size_t lo, hi;
	if (docid <= p->doc_base || x > p->n_docs || p->n_facets == 0 || p->facets[0].first_docid > x)
		return SIZE_MAX;
	/* the last facet starting at or before x: galloping on from the hint, where the
	 * caller's ascending ids leave it, else from the part's first */
	lo = hint >= p->facet_base && hint - p->facet_base < p->n_facets &&
			     p->facets[hint - p->facet_base].first_docid <= x
		     ? hint - p->facet_base
		     : 0;
	size_t step = 1;
	hi = lo + 1;
	while (hi < p->n_facets && p->facets[hi].first_docid <= x) {
		lo = hi;
		step *= 2;
		hi = lo + step;
	}
	if (hi > p->n_facets)
		hi = p->n_facets;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->facets[mid].first_docid <= x)
			lo = mid;
		else
			hi = mid;
	}
	*end = (lo + 1 < p->n_facets ? p->facets[lo + 1].first_docid : (unsigned)p->n_docs + 1) +
	       p->doc_base;
	return p->facet_base + lo;
}

/* The message for a plan's text that does not end where its record says (a damaged
 * index). Checked when the text is asked for, not when the index is opened: opening
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
	size_t i;
	part_t *p = plan_part(s, (size_t)(plan - s->plans), &i);
	ps_status_t st = part_file(p, &p->sources, PS_SOURCES_FILE, PS_MAGIC_SOURCES, error);
	if (st != PS_OK)
		return st;
	const ps_plan_rec_t *r = &p->recs[i];
	if (p->sources.data[r->source_offset + r->bytes] != '\0') /* in range: checked at open */
		return text_damaged(plan, error);
	*text = p->sources.data + r->source_offset;
	*len = (size_t)r->bytes;
	return PS_OK;
}

ps_status_t ps_store_plan_norm(ps_store_t *s, const ps_plan_t *plan, const char **text,
			       size_t *len, char **error)
{
	size_t i;
	part_t *p = plan_part(s, (size_t)(plan - s->plans), &i);
	const ps_plan_rec_t *r = &p->recs[i];
	if (p->norms.data[r->norm_offset + r->norm_len] != '\0')
		return text_damaged(plan, error);
	*text = p->norms.data + r->norm_offset;
	*len = (size_t)r->norm_len;
	return PS_OK;
}

ps_status_t ps_store_plan_outline(ps_store_t *s, const ps_plan_t *plan, const ps_outline_t **out,
				  char **error)
{
	size_t g = (size_t)(plan - s->plans), i;
	part_t *p = plan_part(s, g, &i);
	if (s->outlines_cache[g] == NULL) {
		ps_status_t st = part_file(p, &p->outlines, PS_OUTLINES_FILE, PS_MAGIC_OUTLINES,
					   error);
		if (st != PS_OK)
			return st;
		const ps_plan_rec_t *r = &p->recs[i];
		s->outlines_cache[g] = ps_outline_decode(p->outlines.data + r->outline_offset,
							 (size_t)r->outline_len, plan->bytes);
		if (s->outlines_cache[g] == NULL) {
			strbuf_printf_new(error, "the index's outline of %s is damaged; rebuild it "
					  "with policy-index", plan->file);
			return PS_ERR_CORRUPT;
		}
		if (s->outlines_cache[g]->n_clauses != plan->passages) {
			ps_outline_free(s->outlines_cache[g]);
			s->outlines_cache[g] = NULL;
			strbuf_printf_new(error, "the index's outline of %s does not fit its "
					  "clauses; rebuild it with policy-index", plan->file);
			return PS_ERR_CORRUPT;
		}
	}
	*out = s->outlines_cache[g];
	return PS_OK;
}

const char *ps_store_schema(void)
{
	return PS_SCHEMA_VERSION_TEXT;
}

const char *ps_store_corpus_dir(const ps_store_t *s)
{
	return s->parts[0].corpus_dir;
}

const char *ps_store_plan_corpus_dir(const ps_store_t *s, const ps_plan_t *plan)
{
	size_t i;
	return plan_part(s, (size_t)(plan - s->plans), &i)->corpus_dir;
}

/* ---- counts (counts.h) -------------------------------------------------------------- */

size_t ps_store_n_parts(const ps_store_t *s)
{
	return s->n_parts;
}

ps_status_t ps_store_part_counts(ps_store_t *s, size_t k, const char **data, size_t *len,
				 size_t *plan_base, char **error)
{
	part_t *p = &s->parts[k];
	ps_status_t st = part_file(p, &p->counts_file, PS_COUNTS_FILE, PS_MAGIC_COUNTS, error);
	if (st != PS_OK)
		return st;
	*data = p->counts_file.data;
	*len = p->counts_file.len;
	*plan_base = p->plan_base;
	return PS_OK;
}

/* ---- frequent grams ---- */

_Static_assert(sizeof(ps_gram_clause_t) == sizeof(ps_frequent_top_t),
	       "a kept top clause is read as the file holds it");

int ps_store_frequent(const ps_store_t *s, const char *gram, size_t len, ps_frequent_t *out)
{
	if (s->n_parts != 1 || s->parts[0].frequent_head == NULL || len == 0 ||
	    len > sizeof s->parts[0].frequent_recs->gram || memchr(gram, 0, len) != NULL)
		return 0;
	const part_t *p = &s->parts[0];
	const ps_frequent_head_t *h = p->frequent_head;
	char key[sizeof p->frequent_recs->gram] = {0};
	memcpy(key, gram, len);
	size_t lo = 0, hi = h->n_grams;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(p->frequent_recs[mid].gram, key, sizeof key);
		if (c == 0) {
			lo = mid;
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= h->n_grams || memcmp(p->frequent_recs[lo].gram, key, sizeof key) != 0)
		return 0;
	const ps_frequent_rec_t *r = &p->frequent_recs[lo];
	uint64_t data_end = h->records_offset;
	if (r->n_top > r->clauses || r->n_top > h->top ||
	    (r->n_top < r->clauses && r->n_top < h->top) || r->top_offset % 8 != 0 ||
	    r->top_offset > data_end || (data_end - r->top_offset) / 8 < r->n_top ||
	    r->facets_offset > data_end || data_end - r->facets_offset < r->facets_len)
		return -1;
	const ps_gram_clause_t *top = (const void *)(p->frequent.data + r->top_offset);
	for (size_t i = 0; i < r->n_top; i++) /* in the index, in order, each counted */
		if (top[i].docid == 0 || top[i].docid > p->n_docs || top[i].count == 0 ||
		    (i > 0 && (top[i].count > top[i - 1].count ||
			       (top[i].count == top[i - 1].count &&
				top[i].docid <= top[i - 1].docid))))
			return -1;
	const uint8_t *facets = (const uint8_t *)p->frequent.data + r->facets_offset;
	*out = (ps_frequent_t){
		.clauses = r->clauses, .top = top, .n_top = r->n_top,
		.at = facets, .end = facets + r->facets_len, .n_facets = p->n_facets,
	};
	return 1;
}

/* ---- common n-grams ---- */

_Static_assert(sizeof(ps_ngram_best_t) == sizeof(ps_ngram_top_t),
	       "a kept best clause is read as the file holds it");

int ps_store_ngram(const ps_store_t *s, const char *gram, size_t len, ps_ngram_clauses_t *out)
{
	if (s->n_parts != 1 || s->parts[0].ngrams_head == NULL || len == 0 ||
	    len > sizeof s->parts[0].ngram_recs->gram || memchr(gram, 0, len) != NULL)
		return 0;
	const part_t *p = &s->parts[0];
	const ps_ngrams_head_t *h = p->ngrams_head;
	char key[sizeof p->ngram_recs->gram] = {0};
	memcpy(key, gram, len);
	size_t lo = 0, hi = h->n_grams; /* the first record not before key */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(p->ngram_recs[mid].gram, key, sizeof key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= h->n_grams || memcmp(p->ngram_recs[lo].gram, key, sizeof key) != 0)
		return 0;
	const ps_ngram_rec_t *r = &p->ngram_recs[lo];
	if (r->n_bigrams == 0 || r->n_bigrams > PS_NGRAM_MAX_BIGRAMS || r->clauses > p->n_docs ||
	    r->offset > h->records_offset || h->records_offset - r->offset < r->len)
		return -1;
	const uint8_t *at = (const uint8_t *)p->ngrams.data + r->offset;
	*out = (ps_ngram_clauses_t){.clauses = r->clauses, .n_bigrams = r->n_bigrams,
				    .at = at, .end = at + r->len, .n_docs = p->n_docs};
	if (!r->has_answers)
		return 1;
	uint64_t end = h->records_offset;
	if (h->n_facets != p->n_facets || r->top_offset % 8 != 0 || r->top_offset > end ||
	    (end - r->top_offset) / sizeof(ps_ngram_best_t) < r->n_top ||
	    r->n_top > r->clauses || r->facets_offset > end || end - r->facets_offset < r->facets_len)
		return -1;
	/* the first min(top, clauses) in document id order are never dominated: fewer best
	 * clauses than that (a count or the head's top changed) would answer a page short */
	if (r->n_top < (h->top < r->clauses ? h->top : r->clauses))
		return -1;
	const ps_ngram_best_t *best = (const void *)(p->ngrams.data + r->top_offset);
	for (size_t i = 0; i < r->n_top; i++) { /* in the index, in order, each counted */
		if (best[i].docid == 0 || best[i].docid > p->n_docs ||
		    (i > 0 && best[i].docid <= best[i - 1].docid))
			return -1;
		for (unsigned j = 0; j < r->n_bigrams; j++)
			if (best[i].counts[j] == 0)
				return -1;
	}
	const uint8_t *facets = (const uint8_t *)p->ngrams.data + r->facets_offset;
	out->has_answers = true;
	out->best = best;
	out->n_best = r->n_top;
	out->top = h->top;
	out->chapters = (ps_frequent_t){.clauses = r->clauses, .at = facets,
					.end = facets + r->facets_len, .n_facets = p->n_facets};
	return 1;
}
