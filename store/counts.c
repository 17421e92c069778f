/* counts.c: an n-gram's per-plan counts, read from the counts file's dictionary and postings. */
#include "counts.h"

#include "format.h"
#include "gramcount.h"
#include "internal.h"
#include "strbuf.h"
#include "utf8.h"

#include <string.h>

bool ps_counts_cover(const char *norm, size_t len)
{
	size_t chars = 0;
	for (size_t i = 0; i < len;) {
		int32_t c = utf8_next(norm, &i, len);
		if (c < 0 || c == ' ' || c == '\n' || ++chars > PS_MAX_COUNTED_GRAM)
			return false;
	}
	return chars > 0;
}

/* The postings of `key` in the mapped counts file: [*from, *to) of the postings area.
 * Returns 1 when found, 0 when no plan holds it, -1 when the file is damaged. */
static int find_gram(const char *data, size_t size, const ps_counts_head_t *h,
		     const uint8_t *key, uint64_t *from, uint64_t *to)
{
	if (h->index_offset > size || h->index_offset % 8 != 0 ||
	    h->n_blocks > (size - h->index_offset) / sizeof(ps_count_block_t) ||
	    h->dict_offset > size || h->dict_len > size - h->dict_offset)
		return -1;
	const ps_count_block_t *blocks = (const void *)(data + h->index_offset);
	size_t lo = 0, hi = (size_t)h->n_blocks; /* the first block whose first key > key */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(blocks[mid].key, key, PS_GRAM_KEY_BYTES) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	const ps_count_block_t *b = &blocks[lo - 1];
	if (b->dict_at > h->dict_len || b->postings_at > h->postings_len)
		return -1;
	const uint8_t *p = (const uint8_t *)data + h->dict_offset + b->dict_at;
	const uint8_t *end = (const uint8_t *)data + h->dict_offset + h->dict_len;
	uint8_t cur[PS_GRAM_KEY_BYTES] = {0};
	uint64_t at = b->postings_at;
	for (int i = 0; i < PS_COUNT_BLOCK && p < end; i++) {
		if (end - p < 2)
			return -1;
		size_t shared = p[0], more = p[1];
		p += 2;
		uint32_t len;
		if (shared + more > PS_GRAM_KEY_BYTES || (size_t)(end - p) < more)
			return -1;
		memset(cur + shared, 0, PS_GRAM_KEY_BYTES - shared);
		memcpy(cur + shared, p, more);
		p += more;
		if (!ps_varint_get(&p, end, &len))
			return -1;
		int c = memcmp(cur, key, PS_GRAM_KEY_BYTES);
		if (c == 0) {
			if (at + len > h->postings_len)
				return -1;
			*from = at;
			*to = at + len;
			return 1;
		}
		if (c > 0)
			return 0;
		at += len;
	}
	return 0;
}

/* The counts of key in one part's counts file: 0 walked (or stopped by fn), 1 fn stopped
 * the walk, -1 damaged. */
static int count_in_part(ps_store_t *s, const char *data, size_t size, size_t plan_base,
			 const uint8_t *key, ps_count_fn fn, void *ctx)
{
	ps_counts_head_t head;
	uint64_t from, to;
	size_t at = sizeof(ps_file_head_t);
	if (size - at < sizeof head)
		return -1;
	memcpy(&head, data + at, sizeof head);
	at += sizeof head;
	if (head.postings_len > size - at)
		return -1;
	int found = find_gram(data, size, &head, key, &from, &to);
	if (found <= 0)
		return found; /* damaged, or in no plan of this part */
	const uint8_t *p = (const uint8_t *)data + at + from, *end = (const uint8_t *)data + at + to;
	size_t n_plans;
	const ps_plan_t *plans = ps_store_plans(s, &n_plans);
	uint32_t plan = 0;
	while (p < end) {
		uint32_t delta, n, k;
		if (!ps_posting_get(&p, end, &delta, &n, &k))
			return -1;
		plan += delta;
		if (plan_base + plan >= n_plans)
			return -1;
		if (fn(ctx, &plans[plan_base + plan], n, k) != 0)
			return 1;
	}
	return 0;
}

ps_status_t ps_store_count(ps_store_t *s, const char *norm, size_t len, ps_count_fn fn,
			   void *ctx, char **error)
{
	uint8_t key[PS_GRAM_KEY_BYTES] = {0};
	if (len == 0 || len > sizeof key) {
		strbuf_printf_new(error, "an n-gram of %zu bytes is not counted", len);
		return PS_ERR_INVALID;
	}
	memcpy(key, norm, len);
	/* the parts in order: their plans follow one another */
	for (size_t k = 0; k < ps_store_n_parts(s); k++) {
		const char *data;
		size_t size, plan_base;
		ps_status_t st = ps_store_part_counts(s, k, &data, &size, &plan_base, error);
		if (st != PS_OK)
			return st;
		int r = count_in_part(s, data, size, plan_base, key, fn, ctx);
		if (r < 0) {
			strbuf_printf_new(error, "the index's n-gram counts are damaged; rebuild it "
					  "with policy-index");
			return PS_ERR_CORRUPT;
		}
		if (r > 0)
			break;
	}
	return PS_OK;
}
