/* index.c: opening an index, checking its schema, and the plan list from its metadata. */
#include "index.h"

#include "schema.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* What is loaded on demand for each plan. */
typedef struct plan_cache {
	char *source;
	size_t source_len;
	pq_outline_t *outline;
} plan_cache_t;

struct pq_index {
	xw_db_t *db;
	int pin_fd;   /* the generation's directory, shared-locked while the index is open */
	pq_plan_t *plans;
	plan_cache_t *cache; /* parallel to plans */
	size_t n_plans;
	const pq_plan_t **by_id; /* the plans sorted by city_id, for pq_index_plan_by_id */
};

static int cmp_plan_id(const void *a, const void *b)
{
	return strcmp((*(const pq_plan_t *const *)a)->city_id,
		      (*(const pq_plan_t *const *)b)->city_id);
}

static int cmp_plan_city_title(const void *a, const void *b)
{
	const pq_plan_t *x = *(const pq_plan_t *const *)a, *y = *(const pq_plan_t *const *)b;
	int c = strcmp(x->city, y->city);
	return c != 0 ? c : strcmp(x->title, y->title);
}

static char *dup_field(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static int load_plans(pq_index_t *index, const char *json, char **error)
{
	json_object *arr = json_tokener_parse(json);
	int rc = -1;
	if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
		strbuf_printf_new(error, "the index's plan list is unreadable");
		goto out;
	}
	size_t n = json_object_array_length(arr);
	index->plans = calloc(n ? n : 1, sizeof *index->plans);
	index->cache = calloc(n ? n : 1, sizeof *index->cache);
	if (index->plans == NULL || index->cache == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i), *v;
		pq_plan_t *p = &index->plans[i];
		index->n_plans = i + 1;
		p->city_id = dup_field(o, "city_id");
		p->city = dup_field(o, "city");
		p->province = dup_field(o, "province");
		p->title = dup_field(o, "title");
		p->date = dup_field(o, "date");
		p->file = dup_field(o, "file");
		if (json_object_object_get_ex(o, "title_supplied", &v))
			p->title_supplied = json_object_get_boolean(v);
		p->gb18030 = json_object_object_get_ex(o, "encoding", &v) &&
			     json_object_is_type(v, json_type_string) &&
			     strcmp(json_object_get_string(v), "gb18030") == 0;
		if (json_object_object_get_ex(o, "passages", &v))
			p->passages = (size_t)json_object_get_int64(v);
		if (json_object_object_get_ex(o, "bytes", &v))
			p->bytes = (size_t)json_object_get_int64(v);
		if (json_object_object_get_ex(o, "sha256", &v) &&
		    json_object_get_string_len(v) == (int)sizeof p->sha256 - 1)
			memcpy(p->sha256, json_object_get_string(v), sizeof p->sha256);
		if (json_object_object_get_ex(o, "body", &v) &&
		    json_object_is_type(v, json_type_array) && json_object_array_length(v) == 2) {
			p->body_start = (size_t)json_object_get_int64(json_object_array_get_idx(v, 0));
			p->body_end = (size_t)json_object_get_int64(json_object_array_get_idx(v, 1));
		}
		if (!p->city_id || !p->city || !p->province || !p->title || !p->file ||
		    p->sha256[0] == '\0' || p->body_start > p->body_end || p->body_end > p->bytes) {
			strbuf_printf_new(error, "the index's plan list is incomplete");
			goto out;
		}
	}
	/* every search looks plans up by id, once per hit or facet: a sorted list keeps
	 * that a binary search at thousands of plans */
	index->by_id = malloc((n ? n : 1) * sizeof *index->by_id);
	if (index->by_id == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		index->by_id[i] = &index->plans[i];
	/* plans of a city that has several (and of one title too): sorted by city and title,
	 * they stand side by side */
	qsort(index->by_id, n, sizeof *index->by_id, cmp_plan_city_title);
	for (size_t i = 1; i < n; i++) {
		pq_plan_t *a = &index->plans[index->by_id[i - 1] - index->plans],
			  *b = &index->plans[index->by_id[i] - index->plans];
		if (strcmp(a->city, b->city) == 0) {
			a->city_shared = b->city_shared = true;
			if (strcmp(a->title, b->title) == 0)
				a->title_shared = b->title_shared = true;
		}
	}
	qsort(index->by_id, n, sizeof *index->by_id, cmp_plan_id);
	rc = 0;
out:
	json_object_put(arr);
	return rc;
}

/* The rebuild command every message ends with. */
/* The rebuild command every message ends with; its %s is the directory as a shell word
 * (strbuf_shell_word), so that the command pastes as it is. */
#define REBUILD "policy-index --corpus corpus --db %s"

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
		if (strncmp(n, PI_GENERATION_PREFIX, strlen(PI_GENERATION_PREFIX)) == 0 ||
		    strncmp(n, PI_STUB_NAME ".", strlen(PI_STUB_NAME) + 1) == 0)
			kind = DIR_LEFTOVERS;
		else
			kind = DIR_OTHER;
	}
	closedir(d);
	return kind;
}

/* Read DIR's stub. Returns 1 and the generation's directory name (malloc'd) when it is
 * one our builds write, 0 with *line (malloc'd) holding what it says instead, or -1 when
 * it cannot be read (errno set). */
static int read_stub(const char *path, char **generation, char **line)
{
	char buf[512];
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	const char *name = strncmp(buf, "glass ", 6) == 0 ? buf + 6 : NULL;
	if (name != NULL &&
	    strncmp(name, PI_GENERATION_PREFIX, strlen(PI_GENERATION_PREFIX)) == 0 &&
	    strchr(name, '/') == NULL && strstr(name, "..") == NULL) {
		*generation = strdup(name);
		return *generation ? 1 : -1;
	}
	*line = strdup(buf);
	return *line ? 0 : -1;
}

/* Open DIR/generation and take a shared lock on it, making sure it is still there under
 * that name once locked (a build renames a generation away before deleting it). Returns
 * the locked descriptor, or -1 (errno ENOENT when the generation is gone). Why a lock and
 * not a reopen when Xapian reports the database modified: a generation is never modified,
 * it is deleted, and a reader half-way through one could not recover; see prune_one in
 * indexer/install.c for the builder's side. */
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
 * ones under us. Fills *generation_path on PQ_OPEN_OK. */
static pq_open_status_t open_generation(const char *dir, const char *qdir, const char *stub,
					int *pin_fd, char **generation_path, char **error)
{
	enum { ATTEMPTS = 50 };
	for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
		char *name = NULL, *line = NULL;
		int r = read_stub(stub, &name, &line);
		if (r < 0 && (errno == EACCES || errno == EPERM)) { /* not ours to read: no rebuild */
			strbuf_printf_new(error, "cannot read the index at %s: %s: %s", dir, stub,
					  strerror(errno));
			return PQ_OPEN_FAILED;
		}
		if (r < 0) {
			strbuf_printf_new(error, "cannot read %s: %s; rebuild the index with: "
					  REBUILD, stub, strerror(errno), qdir);
			return errno == ENOMEM ? PQ_OPEN_FAILED : PQ_OPEN_CORRUPT;
		}
		if (r == 0) {
			strbuf_printf_new(error, "%s is not a policy-search index: its %s names "
					  "\"%.100s\", not one of our generations; build an index "
					  "in a new directory with: policy-index --corpus corpus "
					  "--db index", dir, PI_STUB_NAME, line);
			free(line);
			return PQ_OPEN_FOREIGN;
		}
		strbuf_t path = STRBUF_INIT;
		if (strbuf_printf(&path, "%s/%s", dir, name) != 0) {
			free(name);
			strbuf_printf_new(error, "out of memory");
			return PQ_OPEN_FAILED;
		}
		int fd = pin_generation(path.data);
		if (fd >= 0) {
			free(name);
			*pin_fd = fd;
			*generation_path = strbuf_steal(&path);
			return PQ_OPEN_OK;
		}
		int saved = errno;
		strbuf_free(&path);
		if (saved != ENOENT) {
			strbuf_printf_new(error, "cannot open the index at %s (%s: %s)", dir, name,
					  strerror(saved));
			free(name);
			return PQ_OPEN_FAILED;
		}
		/* Gone: either a build switched the stub since we read it (read it again), or
		 * the stub names a generation that is not there at all. */
		char *again = NULL, *again_line = NULL;
		bool moved = read_stub(stub, &again, &again_line) == 1 && strcmp(again, name) != 0;
		free(again);
		free(again_line);
		if (!moved) {
			strbuf_printf_new(error, "the index at %s is damaged: %s names %s, which is "
					  "missing; rebuild it with: " REBUILD, dir, PI_STUB_NAME,
					  name, qdir);
			free(name);
			return PQ_OPEN_CORRUPT;
		}
		free(name);
	}
	strbuf_printf_new(error, "the index at %s kept changing while it was being opened; "
			  "try again", dir);
	return PQ_OPEN_FAILED;
}

/* The message for a directory that exists but has no stub. */
static pq_open_status_t no_stub(const char *dir, const char *qdir, char **error)
{
	switch (classify_dir(dir)) {
	case DIR_EMPTY:
		strbuf_printf_new(error, "%s is empty: there is no index there yet; build one "
				  "with: " REBUILD, dir, qdir);
		return PQ_OPEN_EMPTY;
	case DIR_LEFTOVERS:
		strbuf_printf_new(error, "%s holds no index, only what an unfinished build left; "
				  "build one with: " REBUILD, dir, qdir);
		return PQ_OPEN_EMPTY;
	case DIR_XAPIAN:
		strbuf_printf_new(error, "%s is a Xapian database but not a policy-search index "
				  "(it has no %s file); build an index in a new directory with: "
				  "policy-index --corpus corpus --db index", dir, PI_STUB_NAME);
		return PQ_OPEN_FOREIGN;
	case DIR_UNREADABLE:
		strbuf_printf_new(error, "cannot read the index at %s: %s", dir, strerror(errno));
		return PQ_OPEN_FAILED;
	case DIR_OTHER:
		break;
	}
	strbuf_printf_new(error, "%s is not a policy-search index (it holds other files and "
			  "no %s); build an index in a new directory with: policy-index "
			  "--corpus corpus --db index", dir, PI_STUB_NAME);
	return PQ_OPEN_FOREIGN;
}

pq_open_status_t pq_index_open(const char *dir, pq_index_t **out, char **error)
{
	pq_index_t *index = NULL;
	strbuf_t stub = STRBUF_INIT;
	char *xerr = NULL, *value = NULL, *generation = NULL;
	char *qdir = strbuf_shell_word(dir); /* in the commands to paste */
	struct stat st;
	pq_open_status_t rc = PQ_OPEN_FAILED;

	if (qdir == NULL || strbuf_printf(&stub, "%s/%s", dir, PI_STUB_NAME) != 0)
		goto oom;
	if (stat(dir, &st) != 0) {
		strbuf_printf_new(error, "no index at %s; build one with: " REBUILD, dir, qdir);
		rc = errno == ENOENT ? PQ_OPEN_MISSING : PQ_OPEN_FAILED;
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		strbuf_printf_new(error, "%s is a file, not an index directory; build an index "
				  "in a new directory with: policy-index --corpus corpus --db index",
				  dir);
		rc = PQ_OPEN_FOREIGN;
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
	index = calloc(1, sizeof *index);
	if (index == NULL)
		goto oom;
	index->pin_fd = -1;
	rc = open_generation(dir, qdir, stub.data, &index->pin_fd, &generation, error);
	if (rc != PQ_OPEN_OK)
		goto out;
	rc = PQ_OPEN_FAILED;
	xw_status_t st_open = xw_db_open(generation, &index->db, &xerr);
	if (st_open != XW_OK) {
		strbuf_printf_new(error, "the index at %s is damaged or unreadable (%s: %s); "
				  "rebuild it with: " REBUILD, dir, xw_status_to_string(st_open),
				  xerr ? xerr : "", qdir);
		rc = st_open == XW_ERR_NO_MEMORY ? PQ_OPEN_FAILED : PQ_OPEN_CORRUPT;
		goto out;
	}
	if (xw_db_get_metadata(index->db, PI_META_SCHEMA, &value, NULL) != XW_OK) {
		strbuf_printf_new(error, "the index at %s is damaged or unreadable (%s); rebuild "
				  "it with: " REBUILD, dir, xw_db_last_error(index->db), qdir);
		rc = PQ_OPEN_CORRUPT;
		goto out;
	}
	if (value == NULL) {
		strbuf_printf_new(error, "%s is not a policy-search index: the database its %s "
				  "names has no schema version; build an index in a new directory "
				  "with: policy-index --corpus corpus --db index", dir, PI_STUB_NAME);
		rc = PQ_OPEN_FOREIGN;
		goto out;
	}
	if (strcmp(value, PI_SCHEMA_VERSION) != 0) {
		bool older = strtol(value, NULL, 10) < strtol(PI_SCHEMA_VERSION, NULL, 10);
		strbuf_printf_new(error, "the index at %s was built by %s version of policy-search "
				  "(index schema %.20s; this one reads schema %s); rebuild it with: "
				  REBUILD, dir, older ? "an older" : "a newer", value,
				  PI_SCHEMA_VERSION, qdir);
		rc = PQ_OPEN_SCHEMA;
		goto out;
	}
	free(value);
	value = NULL;
	if (xw_db_get_metadata(index->db, PI_META_PLANS, &value, NULL) != XW_OK || value == NULL ||
	    load_plans(index, value, NULL) != 0) {
		strbuf_printf_new(error, "the index at %s is damaged: it has no readable plan "
				  "list; rebuild it with: " REBUILD, dir, qdir);
		rc = PQ_OPEN_CORRUPT;
		goto out;
	}
	if (index->n_plans == 0) {
		strbuf_printf_new(error, "the index at %s holds no plans; build it with: " REBUILD
				  " (or add one with policy-index --db %s --add FILE)", dir, qdir, qdir);
		rc = PQ_OPEN_EMPTY;
		goto out;
	}
	*out = index;
	index = NULL;
	rc = PQ_OPEN_OK;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
	rc = PQ_OPEN_FAILED;
out:
	free(qdir);
	free(value);
	free(xerr);
	free(generation);
	strbuf_free(&stub);
	pq_index_close(index);
	return rc;
}

void pq_index_close(pq_index_t *index)
{
	if (index == NULL)
		return;
	for (size_t i = 0; i < index->n_plans; i++) {
		pq_plan_t *p = &index->plans[i];
		free(p->city_id);
		free(p->city);
		free(p->province);
		free(p->title);
		free(p->date);
		free(p->file);
		if (index->cache != NULL) {
			free(index->cache[i].source);
			pq_outline_free(index->cache[i].outline);
		}
	}
	free(index->plans);
	free(index->by_id);
	free(index->cache);
	xw_db_destroy(index->db);
	if (index->pin_fd >= 0)
		close(index->pin_fd); /* releases the pin: a later build may delete it */
	free(index);
}

xw_db_t *pq_index_db(pq_index_t *index)
{
	return index->db;
}

const pq_plan_t *pq_index_plans(const pq_index_t *index, size_t *n_plans)
{
	*n_plans = index->n_plans;
	return index->plans;
}

/* True if city is name followed by one administrative-division suffix. */
static bool is_city_with_suffix(const char *city, const char *name)
{
	static const char *const suffixes[] = {"市", "县", "区", "州", "省", "盟"};
	size_t n = strlen(name);
	if (n == 0 || strncmp(city, name, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (strcmp(city + n, suffixes[i]) == 0)
			return true;
	return false;
}

bool pq_plan_is_city(const pq_plan_t *p, const char *name)
{
	return strcasecmp(p->city_id, name) == 0 || strcmp(p->city, name) == 0 ||
	       is_city_with_suffix(p->city, name);
}

const pq_plan_t *pq_index_find_city(const pq_index_t *index, const char *name)
{
	for (size_t i = 0; i < index->n_plans; i++)
		if (pq_plan_is_city(&index->plans[i], name))
			return &index->plans[i];
	return NULL;
}

const pq_plan_t *pq_index_plan_by_id(const pq_index_t *index, const char *city_id)
{
	size_t lo = 0, hi = index->by_id ? index->n_plans : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(index->by_id[mid]->city_id, city_id);
		if (c == 0)
			return index->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Read the plan's metadata value under prefix+city_id; -1 with a message if missing. */
static int read_plan_meta(pq_index_t *index, const pq_plan_t *plan, const char *prefix,
			  char **value, size_t *len, char **error)
{
	strbuf_t key = STRBUF_INIT;
	int rc = -1;
	if (strbuf_printf(&key, "%s%s", prefix, plan->city_id) != 0) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (xw_db_get_metadata(index->db, key.data, value, len) != XW_OK) {
		strbuf_printf_new(error, "cannot read %s from the index: %s", key.data,
				  xw_db_last_error(index->db));
		goto out;
	}
	if (*value == NULL) {
		strbuf_printf_new(error, "the index has no %s; rebuild it with policy-index",
				  key.data);
		goto out;
	}
	rc = 0;
out:
	strbuf_free(&key);
	return rc;
}

int pq_index_plan_source(pq_index_t *index, const pq_plan_t *plan, const char **text,
			 size_t *len, char **error)
{
	plan_cache_t *c = &index->cache[plan - index->plans];
	if (c->source == NULL) {
		if (read_plan_meta(index, plan, PI_META_SOURCE_PREFIX, &c->source,
				   &c->source_len, error) != 0)
			return -1;
		if (c->source_len != plan->bytes) {
			strbuf_printf_new(error, "the index's copy of %s is %zu bytes, not %zu; "
					  "rebuild it with policy-index", plan->file,
					  c->source_len, plan->bytes);
			free(c->source);
			c->source = NULL;
			return -1;
		}
	}
	*text = c->source;
	*len = c->source_len;
	return 0;
}

int pq_index_plan_outline(pq_index_t *index, const pq_plan_t *plan, const pq_outline_t **out,
			  char **error)
{
	plan_cache_t *c = &index->cache[plan - index->plans];
	if (c->outline == NULL) {
		char *json = NULL;
		size_t len = 0;
		if (read_plan_meta(index, plan, PI_META_OUTLINE_PREFIX, &json, &len, error) != 0)
			return -1;
		int rc = pq_outline_parse(json, len, &c->outline, error);
		free(json);
		if (rc != 0)
			return -1;
		for (size_t i = 0; i < c->outline->n_sections; i++)
			if (c->outline->sections[i].end > plan->bytes) {
				pq_outline_free(c->outline);
				c->outline = NULL;
				strbuf_printf_new(error, "the index's outline of %s is out of "
						  "range; rebuild it with policy-index", plan->file);
				return -1;
			}
	}
	*out = c->outline;
	return 0;
}
