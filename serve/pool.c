/* pool.c: open indexes lent to requests, one each, and replaced when the stub names a new generation. */
#include "pool.h"

#include "format.h"
#include "strbuf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct slot {
	ps_store_t *store;
	unsigned long epoch; /* the pool's epoch when it was opened */
	time_t opened;
	bool lent;
} slot_t;

/* How long an index of remote shards is kept, in seconds. xapian-tcpsrv opens a shard's
 * live generation for each new connection and keeps it for the connection's life, so a
 * shard rebuilt on its machine reaches policy-serve when the index is opened again. */
#define REMOTE_MAX_AGE 60

struct sv_pool {
	char *stub_path;
	char *dir;
	unsigned open_flags; /* ps_store_open_with's */
	pthread_mutex_t mu;
	/* what the stub was when last looked at: a rebuild renames a new file over it, so its
	 * inode changes */
	dev_t stub_dev;
	ino_t stub_ino;
	struct timespec stub_mtime;
	unsigned long epoch; /* bumped each time the stub changes */
	slot_t *slots;
	size_t n, cap;
};

/* Whether the stub is another file than when last seen; records it. Under the lock. A
 * stub that cannot be read is left for ps_store_open to explain. */
static bool stub_changed(sv_pool_t *p)
{
	struct stat st;
	if (stat(p->stub_path, &st) != 0)
		return false;
	bool changed = st.st_dev != p->stub_dev || st.st_ino != p->stub_ino ||
		       st.st_mtim.tv_sec != p->stub_mtime.tv_sec ||
		       st.st_mtim.tv_nsec != p->stub_mtime.tv_nsec;
	p->stub_dev = st.st_dev;
	p->stub_ino = st.st_ino;
	p->stub_mtime = st.st_mtim;
	return changed;
}

/* Close the indexes of old epochs that no request holds. Under the lock. */
static void close_stale(sv_pool_t *p)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (!p->slots[i].lent && p->slots[i].epoch != p->epoch)
			ps_store_close(p->slots[i].store);
		else
			p->slots[k++] = p->slots[i];
	}
	p->n = k;
}

ps_status_t sv_pool_new(const char *dir, unsigned open_flags, sv_pool_t **out, char **error)
{
	sv_pool_t *p = calloc(1, sizeof *p);
	ps_store_t *first = NULL;
	*out = NULL;
	if (p != NULL) {
		pthread_mutex_init(&p->mu, NULL);
		p->dir = strdup(dir);
		p->open_flags = open_flags;
		struct stat st;
		if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
			p->stub_path = strdup(dir); /* a stub file of shards: it is the stub */
		else
			strbuf_printf_new(&p->stub_path, "%s/%s", dir, PS_STUB_NAME);
	}
	if (p == NULL || p->dir == NULL || p->stub_path == NULL) {
		sv_pool_free(p);
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_NO_MEMORY;
	}
	stub_changed(p);
	ps_status_t rc = sv_pool_lend(p, &first, error);
	if (rc != PS_OK) {
		sv_pool_free(p);
		return rc;
	}
	sv_pool_return(p, first);
	*out = p;
	return PS_OK;
}

ps_status_t sv_pool_lend(sv_pool_t *p, ps_store_t **store, char **error)
{
	pthread_mutex_lock(&p->mu);
	if (stub_changed(p)) {
		p->epoch++;
		close_stale(p);
	}
	ps_store_t *kept = NULL;
	bool old = false;
	time_t now = time(NULL);
	for (size_t i = 0; i < p->n; i++) {
		if (!p->slots[i].lent && p->slots[i].epoch == p->epoch) {
			p->slots[i].lent = true;
			kept = p->slots[i].store;
			/* one opened without a shard is opened again: the shard may be back */
			old = (now - p->slots[i].opened > REMOTE_MAX_AGE && ps_store_remote(kept)) ||
			      ps_store_n_missing(kept) > 0;
			break;
		}
	}
	unsigned long epoch = p->epoch;
	pthread_mutex_unlock(&p->mu);
	/* remote shards are asked, outside the lock, whether they still serve what this index
	 * read from them: one that was rebuilt, restarted or went away is read afresh */
	if (kept != NULL && !old && ps_store_current(kept)) {
		*store = kept;
		return PS_OK;
	}
	if (kept != NULL)
		sv_pool_discard(p, kept);

	/* none free: open one, outside the lock (it maps files and opens Xapian). Should the
	 * stub switch meanwhile, the index may be of the new generation yet carry the old
	 * epoch: it is then closed when it comes back, which costs a reopen, nothing more. */
	ps_store_t *s = NULL;
	ps_status_t rc = ps_store_open_with(p->dir, p->open_flags, &s, error);
	if (rc != PS_OK)
		return rc;
	pthread_mutex_lock(&p->mu);
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		slot_t *slots = realloc(p->slots, cap * sizeof *slots);
		if (slots == NULL) {
			pthread_mutex_unlock(&p->mu);
			ps_store_close(s);
			strbuf_printf_new(error, "out of memory");
			return PS_ERR_NO_MEMORY;
		}
		p->slots = slots;
		p->cap = cap;
	}
	p->slots[p->n++] = (slot_t){.store = s, .epoch = epoch, .opened = time(NULL), .lent = true};
	pthread_mutex_unlock(&p->mu);
	*store = s;
	return PS_OK;
}

void sv_pool_discard(sv_pool_t *p, ps_store_t *store)
{
	if (store == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->n; i++) {
		if (p->slots[i].store == store) {
			p->slots[i] = p->slots[--p->n];
			break;
		}
	}
	pthread_mutex_unlock(&p->mu);
	ps_store_close(store);
}

void sv_pool_return(sv_pool_t *p, ps_store_t *store)
{
	if (store == NULL)
		return;
	ps_store_t *stale = NULL;
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->n; i++) {
		if (p->slots[i].store != store)
			continue;
		if (p->slots[i].epoch != p->epoch) {
			stale = store;
			p->slots[i] = p->slots[--p->n];
		} else {
			p->slots[i].lent = false;
		}
		break;
	}
	pthread_mutex_unlock(&p->mu);
	ps_store_close(stale); /* its generation's pin goes with it */
}

unsigned long sv_pool_switches(sv_pool_t *p)
{
	pthread_mutex_lock(&p->mu);
	unsigned long e = p->epoch;
	pthread_mutex_unlock(&p->mu);
	return e;
}

void sv_pool_free(sv_pool_t *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++)
		ps_store_close(p->slots[i].store);
	free(p->slots);
	pthread_mutex_destroy(&p->mu);
	free(p->stub_path);
	free(p->dir);
	free(p);
}
