/* strmap.c: an open-addressing hash table (FNV-1a, linear probing) from byte strings to numbers. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *key, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot holding key, or the free slot where it would go. The table is never full. */
static util_strmap_entry_t *find(const util_strmap_t *map, const char *key, size_t len,
				 uint64_t hash)
{
	size_t mask = map->cap - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		util_strmap_entry_t *e = &map->slots[i];
		if (e->key == NULL ||
		    (e->hash == hash && e->len == len && memcmp(e->key, key, len) == 0))
			return e;
	}
}

static int grow(util_strmap_t *map)
{
	size_t cap = map->cap ? map->cap * 2 : 64;
	if (cap < map->cap || cap > ((size_t)-1) / sizeof *map->slots)
		return -1;
	util_strmap_t bigger = {calloc(cap, sizeof *map->slots), map->n, cap};
	if (bigger.slots == NULL)
		return -1;
	for (size_t i = 0; i < map->cap; i++)
		if (map->slots[i].key != NULL)
			*find(&bigger, map->slots[i].key, map->slots[i].len, map->slots[i].hash) =
				map->slots[i];
	free(map->slots);
	*map = bigger;
	return 0;
}

int util_strmap_get(const util_strmap_t *map, const char *key, size_t len, size_t *value)
{
	if (map->cap == 0)
		return 0;
	const util_strmap_entry_t *e = find(map, key, len, hash_bytes(key, len));
	if (e->key == NULL)
		return 0;
	if (value != NULL)
		*value = e->value;
	return 1;
}

int util_strmap_put(util_strmap_t *map, const char *key, size_t len, size_t value,
		    size_t *existing)
{
	uint64_t hash = hash_bytes(key, len);
	if (map->cap > 0) {
		const util_strmap_entry_t *e = find(map, key, len, hash);
		if (e->key != NULL) {
			if (existing != NULL)
				*existing = e->value;
			return 0;
		}
	}
	if ((map->n + 1) * 2 > map->cap && grow(map) != 0)
		return -1;
	*find(map, key, len, hash) = (util_strmap_entry_t){key, len, hash, value};
	map->n++;
	return 1;
}

void util_strmap_free(util_strmap_t *map)
{
	if (map == NULL)
		return;
	free(map->slots);
	*map = (util_strmap_t)UTIL_STRMAP_INIT;
}
