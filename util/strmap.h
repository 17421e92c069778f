/* strmap.h: a hash table from byte strings to numbers (open addressing), for finding repeats. */
#ifndef UTIL_STRMAP_H
#define UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct util_strmap_entry {
	const char *key; /* borrowed: the caller keeps it alive as long as the map; NULL: free */
	size_t len;
	uint64_t hash;
	size_t value;
} util_strmap_entry_t;

typedef struct util_strmap {
	util_strmap_entry_t *slots; /* a power of two of them, at most half in use */
	size_t n, cap;
} util_strmap_t;

#define UTIL_STRMAP_INIT {NULL, 0, 0}

/* Look up the len bytes at key (not NULL; any bytes, NUL included). Returns 1 and its value in *value
 * (if not NULL) when the key is there, 0 when it is not. Cannot fail. */
int util_strmap_get(const util_strmap_t *map, const char *key, size_t len, size_t *value);

/* Add key (len bytes, borrowed) with `value` unless it is there already. Returns 1 when
 * added, 0 when the key was there (its value, unchanged, in *existing if not NULL), or -1
 * when out of memory (the map is then unchanged). */
int util_strmap_put(util_strmap_t *map, const char *key, size_t len, size_t value,
		    size_t *existing);

/* Free the table (not the keys) and reset the map. Accepts NULL. */
void util_strmap_free(util_strmap_t *map);

#endif
