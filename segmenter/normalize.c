/* normalize.c: NFKC_Casefold, white space as printed, and t2s folding, keeping a byte map. */
#include "normalize.h"

#include "lines.h"
#include "strbuf.h"
#include "t2s.h"
#include "utf8.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* UTF-16 units of one chunk before it is normalised on its own. Chunks are normally a
 * single character; a long run with no boundary (combining marks) is cut here. */
#define CHUNK_UNITS 64

/* The normal form being built: its bytes and, per byte, the source range it came from. */
typedef struct builder {
	strbuf_t text;
	size_t *src_start;
	size_t *src_end;
	size_t map_cap;
	bool with_map;
} builder_t;

/* Make room in the byte map for at least `need` bytes of normal form. */
static int builder_grow_map(builder_t *b, size_t need)
{
	size_t cap = b->map_cap ? b->map_cap : 64;
	while (cap < need)
		cap *= 2;
	size_t *s = realloc(b->src_start, cap * sizeof *s);
	if (s == NULL)
		return -1;
	b->src_start = s;
	size_t *e = realloc(b->src_end, cap * sizeof *e);
	if (e == NULL)
		return -1;
	b->src_end = e;
	b->map_cap = cap;
	return 0;
}

/* Append n bytes that came from the source range [from, to). */
static int builder_append(builder_t *b, const char *utf8, size_t n, size_t from, size_t to)
{
	size_t old = b->text.len;
	if (strbuf_append(&b->text, utf8, n) != 0)
		return -1;
	if (!b->with_map)
		return 0;
	if (b->text.len > b->map_cap && builder_grow_map(b, b->text.len) != 0)
		return -1;
	for (size_t i = old; i < b->text.len; i++) {
		b->src_start[i] = from;
		b->src_end[i] = to;
	}
	return 0;
}

static void builder_free(builder_t *b)
{
	strbuf_free(&b->text);
	free(b->src_start);
	free(b->src_end);
	memset(b, 0, sizeof *b);
}

/* ---- What a character of the Basic Multilingual Plane is to normalisation, remembered ----
 *
 * Every character of a text asks ICU whether it starts a chunk and whether it is white space,
 * and most are a chunk of their own, normalised alone: the same questions about the same few
 * thousand characters, each an ICU call through its C wrapper. The answers are a function of
 * the character, so they are worked out once per process and kept, one 64-bit word per code
 * point so that threads (policy-serve) may fill the table without a lock: a word is written
 * whole, and two threads that work out the same one write the same value. */
enum {
	MEMO_KNOWN = 1,    /* the word is filled in */
	MEMO_BOUNDARY = 2, /* ICU: a normalisation boundary before it (it starts a chunk) */
	MEMO_FORM = 4,     /* its normal form alone fits in the word (bytes 2..7, length byte 1) */
	MEMO_SPACE = 8,    /* utf8_is_space */
	MEMO_CJK = 16,     /* seg_is_cjk */
	MEMO_PLAIN = 32,   /* seg_norm_walk_start's plain character (normalize.h) */
	MEMO_T2S = 64,     /* plain but for a character of its form t2s may change */
};
#define MEMO_FORM_MAX 6

static _Atomic uint64_t memo_table[0x10000];

/* The NFKC_Casefold of the one-unit chunk u as flush_chunk makes it, into out8 (cap bytes);
 * returns its length, or -1 with status set (a form too long for the buffers included: then
 * it is not remembered, and flush_chunk asks ICU itself). */
static int32_t normalize_unit(const UNormalizer2 *n2, UChar u, char *out8, int32_t cap,
			      UErrorCode *status)
{
	/* Pure ASCII other than A-Z is its own normal form: skip ICU for it. */
	if (u < 0x80 && !(u >= 'A' && u <= 'Z')) {
		out8[0] = (char)u;
		return 1;
	}
	UChar out16[32]; /* one character's form is at most 18 (U+FDFA) */
	int32_t n16 = unorm2_normalize(n2, &u, 1, out16, (int32_t)(sizeof out16 / sizeof out16[0]),
				       status);
	int32_t n8 = 0;
	if (U_SUCCESS(*status))
		u_strToUTF8(out8, cap, &n8, out16, n16, status);
	return U_SUCCESS(*status) ? n8 : -1;
}

/* The remembered word of BMP code point c (not a surrogate), worked out now (memo_of). */
static uint64_t memo_fill(UChar32 c)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *n2 = unorm2_getNFKCCasefoldInstance(&status);
	if (U_FAILURE(status))
		return 0; /* not remembered: the caller asks ICU, which says what is wrong */
	uint64_t flags = MEMO_KNOWN;
	if (unorm2_hasBoundaryBefore(n2, c))
		flags |= MEMO_BOUNDARY;
	if (utf8_is_space(c))
		flags |= MEMO_SPACE;
	if (seg_is_cjk(c))
		flags |= MEMO_CJK;
	char form[32 * 3 + 1]; /* normalize_unit's 32 UTF-16 units as UTF-8 */
	int32_t n = normalize_unit(n2, (UChar)c, form, (int32_t)sizeof form, &status);
	uint64_t v = 0;
	if (n >= 0 && n <= MEMO_FORM_MAX) {
		flags |= MEMO_FORM;
		v |= (uint64_t)n << 8;
		for (int32_t i = 0; i < n; i++)
			v |= (uint64_t)(unsigned char)form[i] << (16 + 8 * i);
		/* plain: alone in its chunk, no white space and no circle (both are read in
		 * context), a form with no white space in it (the edges of a text trim it) and no
		 * character t2s may change (that needs its whole run of Han characters) */
		bool plain = (flags & MEMO_BOUNDARY) && !(flags & MEMO_SPACE) && c != 0x25CB &&
			     c != 0x25EF,
		     key = false;
		for (size_t i = 0; plain && i < (size_t)n;) {
			UChar32 d = utf8_next(form, &i, (size_t)n);
			plain = d > 0 && !utf8_is_space(d) && d != '\n';
			key |= seg_t2s_is_key(d);
		}
		if (plain)
			flags |= key ? MEMO_T2S : MEMO_PLAIN;
	}
	v |= flags;
	atomic_store_explicit(&memo_table[c], v, memory_order_relaxed);
	return v;
}

/* The remembered word of BMP code point c (not a surrogate), worked out on first use. */
static inline uint64_t memo_of(UChar32 c)
{
	uint64_t v = atomic_load_explicit(&memo_table[c], memory_order_relaxed);
	return v & MEMO_KNOWN ? v : memo_fill(c);
}

/* The remembered word of any code point: 0 (nothing known) beyond the BMP, for surrogates
 * and for -1. */
static inline uint64_t memo_get(UChar32 c)
{
	return c >= 0 && c < 0x10000 && !U16_IS_SURROGATE(c) ? memo_of(c) : 0;
}

static size_t memo_form_len(uint64_t v)
{
	return (size_t)(v >> 8) & 0xFF;
}

static void memo_form(uint64_t v, char *out)
{
	for (size_t i = 0, n = memo_form_len(v); i < n; i++)
		out[i] = (char)(v >> (16 + 8 * i));
}

static bool is_space(UChar32 c)
{
	uint64_t v = memo_get(c);
	return v ? (v & MEMO_SPACE) != 0 : utf8_is_space(c);
}

static bool is_cjk(UChar32 c)
{
	uint64_t v = memo_get(c);
	return v ? (v & MEMO_CJK) != 0 : seg_is_cjk(c);
}

static bool has_boundary_before(const UNormalizer2 *n2, UChar32 c)
{
	uint64_t v = memo_get(c);
	return v ? (v & MEMO_BOUNDARY) != 0 : unorm2_hasBoundaryBefore(n2, c);
}

/* Normalise one chunk of UTF-16 and append it as UTF-8. */
static int flush_chunk(builder_t *b, const UNormalizer2 *n2, const UChar *chunk, int32_t n,
		       size_t chunk_start, size_t chunk_end, char **error)
{
	UChar out16[CHUNK_UNITS * 18 + 16];
	char out8[sizeof out16 / sizeof out16[0] * 3 + 1];
	UErrorCode status = U_ZERO_ERROR;

	/* one character whose normal form is remembered (ASCII other than A-Z is its own) */
	uint64_t v = n == 1 ? memo_get(chunk[0]) : 0;
	if (v & MEMO_FORM) {
		char form[MEMO_FORM_MAX];
		memo_form(v, form);
		if (builder_append(b, form, memo_form_len(v), chunk_start, chunk_end) == 0)
			return 0;
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	int32_t n16 = unorm2_normalize(n2, chunk, n, out16, (int32_t)(sizeof out16 / sizeof out16[0]),
				       &status);
	int32_t n8 = 0;
	if (U_SUCCESS(status))
		u_strToUTF8(out8, (int32_t)sizeof out8, &n8, out16, n16, &status);
	if (U_FAILURE(status)) {
		strbuf_printf_new(error, "normalisation failed at byte %zu: %s", chunk_start,
				  u_errorName(status));
		return -1;
	}
	if (builder_append(b, out8, (size_t)n8, chunk_start, chunk_end) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	return 0;
}

/* Whether the white space text[run_start, run_end), which holds a line break, parts two
 * lines that are not one sentence: the line before it and the line after, read whole. */
static bool hard_break(const char *text, size_t text_len, size_t run_start, size_t run_end)
{
	const char *nl = memchr(text + run_start, '\n', run_end - run_start);
	size_t line_end = (size_t)(nl - text), line_start = run_start;
	while (line_start > 0 && text[line_start - 1] != '\n')
		line_start--;
	const char *next_nl = memchr(text + run_end, '\n', text_len - run_end);
	size_t next_end = next_nl ? (size_t)(next_nl - text) : text_len;
	return !seg_line_continues(text, line_start, line_end, run_end, next_end);
}

/* A Han digit, or a circle standing for zero among them. */
static bool han_digit_or_zero(UChar32 c)
{
	static const UChar32 digits[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
					 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x4E24, 0x25CB,
					 0x25EF}; /* 〇零一二三四五六七八九十两 ○ ◯ */
	for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
		if (digits[i] == c)
			return true;
	return false;
}

/* Steps 1 and 2: NFKC_Casefold by chunks, and white space as printed. Offsets in the map
 * count from `start`. */
static int fold_and_space(const char *text, size_t text_len, size_t start, size_t end,
			  builder_t *b, char **error)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *n2 = unorm2_getNFKCCasefoldInstance(&status);
	UChar chunk[CHUNK_UNITS + 2];
	int32_t chunk_len = 0;
	size_t chunk_start = 0;
	bool prev_cjk = false; /* the last character that was not space */
	UChar32 prev = -1;

	if (U_FAILURE(status)) {
		strbuf_printf_new(error, "cannot load ICU's NFKC_Casefold data: %s",
				  u_errorName(status));
		return -1;
	}
	for (size_t i = start; i < end;) {
		size_t cp_start = i;
		UChar32 c = utf8_next(text, &i, end);
		if (c < 0) {
			strbuf_printf_new(error, "invalid UTF-8 at byte %zu", cp_start - start);
			return -1;
		}
		if (chunk_len > 0 && (is_space(c) || has_boundary_before(n2, c) ||
				      chunk_len >= CHUNK_UNITS)) {
			if (flush_chunk(b, n2, chunk, chunk_len, chunk_start - start,
					cp_start - start, error) != 0)
				return -1;
			chunk_len = 0;
		}
		if (is_space(c)) {
			bool newline = c == '\n';
			size_t run_end = i;
			while (run_end < end) {
				size_t j = run_end;
				UChar32 d = utf8_next(text, &j, end);
				if (d < 0 || !is_space(d))
					break;
				newline |= d == '\n';
				run_end = j;
			}
			i = run_end;
			if (b->text.len == 0 || run_end >= end)
				continue; /* white space at either end is no part of the text */
			size_t j = run_end;
			UChar32 next = utf8_next(text, &j, end);
			const char *keep = NULL;
			if (newline && hard_break(text, text_len, cp_start, run_end))
				keep = "\n";
			else if (!prev_cjk && !is_cjk(next))
				keep = " ";
			if (keep == NULL)
				continue;
			char *last = &b->text.data[b->text.len - 1];
			if (*last == ' ' || *last == '\n') {
				/* two runs parted only by characters that vanished are one */
				if (*keep == '\n')
					*last = '\n';
				if (b->with_map)
					b->src_end[b->text.len - 1] = run_end - start;
				continue;
			}
			if (builder_append(b, keep, 1, cp_start - start, run_end - start) != 0) {
				strbuf_printf_new(error, "out of memory");
				return -1;
			}
			continue;
		}
		if (c == 0x25CB || c == 0x25EF) {
			/* 二○二○年: a circle among Han digits is the digit zero, 〇 */
			size_t j = i;
			if (han_digit_or_zero(prev) ||
			    (i < end && han_digit_or_zero(utf8_next(text, &j, end))))
				c = 0x3007;
		}
		prev = c;
		prev_cjk = is_cjk(c);
		if (chunk_len == 0)
			chunk_start = cp_start;
		U16_APPEND_UNSAFE(chunk, chunk_len, c);
	}
	if (chunk_len > 0 &&
	    flush_chunk(b, n2, chunk, chunk_len, chunk_start - start, end - start, error) != 0)
		return -1;
	/* white space before characters that vanished (U+200D at the end) ends the text */
	while (b->text.len > 0 &&
	       (b->text.data[b->text.len - 1] == ' ' || b->text.data[b->text.len - 1] == '\n'))
		b->text.data[--b->text.len] = '\0';
	return 0;
}

static bool is_han(UChar32 c)
{
	UErrorCode status = U_ZERO_ERROR;
	return uscript_getScript(c, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

/* Step 3 for one run of Han characters in[a, b) (holding a t2s key): convert it and append
 * the result, each character mapped to the source of the character it replaces (or, if
 * OpenCC changed the number of characters, the whole result to the whole run). */
static int convert_run(const builder_t *in, size_t a, size_t b, builder_t *out, char **error)
{
	char *conv = NULL;
	size_t conv_len = 0;
	if (seg_t2s_convert(in->text.data + a, b - a, &conv, &conv_len, error) != 0)
		return -1;
	size_t n_in = 0, n_out = 0;
	for (size_t i = a; i < b; n_in++)
		utf8_next(in->text.data, &i, b);
	for (size_t i = 0; i < conv_len; n_out++)
		utf8_next(conv, &i, conv_len);
	int rc = 0;
	if (n_in == n_out) {
		size_t i = a, k = 0;
		while (rc == 0 && k < conv_len) {
			size_t i0 = i, k0 = k;
			utf8_next(in->text.data, &i, b);
			utf8_next(conv, &k, conv_len);
			rc = builder_append(out, conv + k0, k - k0,
					    in->with_map ? in->src_start[i0] : 0,
					    in->with_map ? in->src_end[i - 1] : 0);
		}
	} else {
		rc = builder_append(out, conv, conv_len, in->with_map ? in->src_start[a] : 0,
				    in->with_map ? in->src_end[b - 1] : 0);
	}
	free(conv);
	if (rc != 0)
		strbuf_printf_new(error, "out of memory");
	return rc;
}

/* Append in[a, b) unchanged, with its map. */
static int copy_span(const builder_t *in, size_t a, size_t b, builder_t *out)
{
	if (a == b)
		return 0;
	size_t old = out->text.len;
	if (strbuf_append(&out->text, in->text.data + a, b - a) != 0)
		return -1;
	if (!out->with_map)
		return 0;
	if (out->text.len > out->map_cap && builder_grow_map(out, out->text.len) != 0)
		return -1;
	memcpy(out->src_start + old, in->src_start + a, (b - a) * sizeof *in->src_start);
	memcpy(out->src_end + old, in->src_end + a, (b - a) * sizeof *in->src_end);
	return 0;
}

/* Step 3: fold traditional characters to simplified. *b is replaced by its folded form only
 * when it holds a character t2s may change; most text is left alone without a copy. */
static int fold_traditional(builder_t *b, char **error)
{
	const char *t = b->text.data;
	size_t len = b->text.len, i = 0;
	while (i < len) { /* the first key character, if any */
		size_t at = i;
		if (seg_t2s_is_key(utf8_next(t, &i, len))) {
			i = at;
			break;
		}
	}
	if (i >= len)
		return 0;

	builder_t out = {.with_map = b->with_map};
	size_t copied = 0;
	int rc = -1;
	if (strbuf_reserve(&out.text, len) != 0 ||
	    (out.with_map && builder_grow_map(&out, len) != 0))
		goto oom;
	while (i < len) {
		size_t at = i;
		UChar32 c = utf8_next(t, &i, len);
		if (!seg_t2s_is_key(c))
			continue;
		/* the run of Han characters around it: phrases never cross anything else */
		size_t a = at, z = i;
		while (a > copied) {
			size_t p = a;
			if (!is_han(utf8_prev(t, copied, &p)))
				break;
			a = p;
		}
		while (z < len) {
			size_t q = z;
			if (!is_han(utf8_next(t, &q, len)))
				break;
			z = q;
		}
		if (copy_span(b, copied, a, &out) != 0)
			goto oom;
		if (convert_run(b, a, z, &out, error) != 0)
			goto out;
		copied = i = z;
	}
	if (copy_span(b, copied, len, &out) != 0)
		goto oom;
	builder_free(b);
	*b = out;
	out = (builder_t){0};
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	builder_free(&out);
	return rc;
}

int seg_normalize_in(const char *text, size_t text_len, size_t start, size_t end,
		     bool with_map, seg_norm_t *out, char **error)
{
	builder_t b = {.with_map = with_map};
	size_t len = end - start;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (start > end || end > text_len) {
		strbuf_printf_new(error, "range %zu..%zu is outside the text (%zu bytes)", start,
				  end, text_len);
		goto out;
	}
	if (len > INT32_MAX) {
		strbuf_printf_new(error, "text too long to normalise (%zu bytes)", len);
		goto out;
	}
	/* the normal form is rarely longer than the text: room for that much at once, instead of
	 * growing (and copying) the text and its map a dozen times for a whole plan */
	if (strbuf_reserve(&b.text, len) != 0 || (with_map && len > 0 && builder_grow_map(&b, len))) {
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	if (fold_and_space(text, text_len, start, end, &b, error) != 0 ||
	    fold_traditional(&b, error) != 0)
		goto out;
	if (strbuf_append(&b.text, "", 0) != 0) { /* make sure text exists and is terminated */
		strbuf_printf_new(error, "out of memory");
		goto out;
	}
	out->len = b.text.len;
	out->text = strbuf_steal(&b.text);
	out->src_start = b.src_start;
	out->src_end = b.src_end;
	b.src_start = b.src_end = NULL;
	rc = 0;
out:
	builder_free(&b);
	return rc;
}

/* The code point that starts at text[at] (-1 at the end), and the one that ends there (-1 at
 * the start). */
static UChar32 code_point_at(const char *text, size_t len, size_t at)
{
	return at < len ? utf8_next(text, &at, len) : -1;
}

static UChar32 code_point_before(const char *text, size_t at)
{
	return at > 0 ? utf8_prev(text, 0, &at) : -1;
}

/* What the white space text[start, end) (a maximal run) becomes between the characters
 * `before` and `after`: a line break, one space, or nothing (step 2). */
static const char *space_between(const char *text, size_t len, size_t start, size_t end,
				 UChar32 before, UChar32 after)
{
	if (memchr(text + start, '\n', end - start) != NULL && hard_break(text, len, start, end))
		return "\n";
	return seg_is_cjk(before) || seg_is_cjk(after) ? "" : " ";
}

int seg_normalize_gap(const char *text, size_t text_len, size_t start, size_t end,
		      bool at_start, bool at_end, strbuf_t *out, char **error)
{
	size_t a = start, b = end;
	utf8_trim(text, &a, &b);
	if (a == b) { /* white space only: decided by the characters around it */
		if (start == end || at_start || at_end)
			return 0;
		const char *keep = space_between(text, text_len, start, end,
						 code_point_before(text, start),
						 code_point_at(text, text_len, end));
		if (strbuf_append_str(out, keep) != 0) {
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
		return 0;
	}
	seg_norm_t middle;
	if (seg_normalize_in(text, text_len, a, b, false, &middle, error) != 0)
		return -1;
	const char *lead = a > start && !at_start && middle.len > 0
				   ? space_between(text, text_len, start, a,
						   code_point_before(text, start),
						   code_point_at(text, text_len, a))
				   : "";
	const char *trail = end > b && !at_end && middle.len > 0
				    ? space_between(text, text_len, b, end,
						    code_point_before(text, b),
						    code_point_at(text, text_len, end))
				    : "";
	int rc = strbuf_append_str(out, lead) | strbuf_append(out, middle.text, middle.len) |
		 strbuf_append_str(out, trail);
	seg_norm_clear(&middle);
	if (rc != 0)
		strbuf_printf_new(error, "out of memory");
	return rc != 0 ? -1 : 0;
}

int seg_normalize(const char *src, size_t len, bool with_map, seg_norm_t *out, char **error)
{
	return seg_normalize_in(src, len, 0, len, with_map, out, error);
}

void seg_norm_clear(seg_norm_t *norm)
{
	if (norm == NULL)
		return;
	free(norm->text);
	free(norm->src_start);
	free(norm->src_end);
	memset(norm, 0, sizeof *norm);
}

void seg_norm_source_range(const seg_norm_t *norm, size_t start, size_t end, size_t *src_start,
			   size_t *src_end)
{
	*src_start = norm->src_start[start];
	*src_end = norm->src_end[end - 1];
}

bool seg_norm_walk_start(seg_norm_walk_t *walk, const char *text, size_t start, size_t end)
{
	size_t norm_len = 0;
	for (size_t i = start; i < end;) {
		uint64_t v = memo_get(utf8_next(text, &i, end));
		if (!(v & MEMO_PLAIN))
			return false;
		norm_len += memo_form_len(v);
	}
	*walk = (seg_norm_walk_t){.text = text, .start = start, .end = end, .norm_len = norm_len,
				  .at = start, .norm_at = 0};
	return true;
}

bool seg_norm_walk_start_known(seg_norm_walk_t *walk, const char *text, size_t start, size_t end,
			       const char *norm, size_t norm_len)
{
	size_t at = 0;
	for (size_t i = start; i < end;) {
		uint64_t v = memo_get(utf8_next(text, &i, end));
		size_t n = memo_form_len(v);
		char form[MEMO_FORM_MAX];
		memo_form(v, form);
		if (!(v & (MEMO_PLAIN | MEMO_T2S)) || n > norm_len - at ||
		    memcmp(norm + at, form, n) != 0)
			return false;
		at += n;
	}
	if (at != norm_len)
		return false;
	*walk = (seg_norm_walk_t){.text = text, .start = start, .end = end, .norm_len = norm_len,
				  .at = start, .norm_at = 0};
	return true;
}

/* Move the walk on to the character whose normal form holds byte `norm` (from the start, when
 * that lies behind it); returns the length of that character's normal form. */
static size_t walk_to(seg_norm_walk_t *w, size_t norm)
{
	if (norm < w->norm_at) {
		w->at = w->start;
		w->norm_at = 0;
	}
	for (;;) {
		size_t next = w->at;
		size_t n = memo_form_len(memo_get(utf8_next(w->text, &next, w->end)));
		if (norm < w->norm_at + n)
			return n;
		w->norm_at += n;
		w->at = next;
	}
}

void seg_norm_walk_range(seg_norm_walk_t *walk, size_t start, size_t end, size_t *src_start,
			 size_t *src_end)
{
	walk_to(walk, start);
	*src_start = walk->at - walk->start;
	walk_to(walk, end - 1);
	size_t next = walk->at;
	utf8_next(walk->text, &next, walk->end);
	*src_end = next - walk->start;
}

int seg_norm_walk_text(const seg_norm_walk_t *walk, strbuf_t *out, char **error)
{
	if (strbuf_reserve(out, walk->norm_len) != 0)
		goto oom;
	for (size_t i = walk->start; i < walk->end;) {
		uint64_t v = memo_get(utf8_next(walk->text, &i, walk->end));
		char form[MEMO_FORM_MAX];
		memo_form(v, form);
		if (strbuf_append(out, form, memo_form_len(v)) != 0)
			goto oom;
	}
	if (strbuf_append(out, "", 0) == 0) /* terminated, even when empty */
		return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}
