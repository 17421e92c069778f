/* cite.c: passage ids resolved to their exact text, place and context, checked with the corpus. */
#include "cite.h"

#include "document.h"
#include "encoding.h"
#include "file.h"
#include "ids.h"
#include "normalize.h"
#include "sha256.h"
#include "strbuf.h"
#include "utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ids longer than this are malformed (the longest in the corpus is about 30 bytes). */
#define MAX_ID_BYTES 256
#define MAX_SUGGESTIONS 3

/* What the citer learns about a plan, on first use. */
typedef struct plan_state {
	bool have_clauses;
	pq_cite_clause_t *clauses; /* every clause of the plan, in text order */
	size_t n_clauses;
	bool checked;
	pq_check_t check;
	char *file; /* the corpus file's bytes now (NULL if missing) */
	size_t file_len;
	char sha256[PS_SHA256_HEX_LEN + 1];
	char *file_path;   /* where the file is read */
	char *shown_path;  /* how citations name it (pq_citer_name_files_relative) */
	char *check_error;
	bool source_verified; /* the index's own copy matches its recorded SHA-256 */
} plan_state_t;

struct pq_citer {
	ps_store_t *index;
	char *corpus_dir;
	bool corpus_given;   /* by the caller: else each plan's own, as its shard recorded it */
	bool relative;       /* files named as the manifest names them, not where they are */
	plan_state_t *plans; /* parallel to the index's plans */
	size_t n_plans;
};

ps_status_t pq_citer_new(ps_store_t *index, const char *corpus_dir, pq_citer_t **out, char **error)
{
	pq_citer_t *c = calloc(1, sizeof *c);
	int rc = -1;
	if (c == NULL)
		goto out;
	c->index = index;
	ps_store_plans(index, &c->n_plans);
	c->plans = calloc(c->n_plans ? c->n_plans : 1, sizeof *c->plans);
	if (c->plans == NULL)
		goto out;
	c->corpus_given = corpus_dir != NULL;
	if (corpus_dir == NULL) {
		/* An index built before the directory was recorded has none: use ./corpus. */
		const char *recorded = ps_store_corpus_dir(index);
		corpus_dir = recorded && *recorded ? recorded : "corpus";
	}
	c->corpus_dir = strdup(corpus_dir);
	if (c->corpus_dir == NULL)
		goto out;
	*out = c;
	c = NULL;
	rc = 0;
out:
	if (rc != 0)
		strbuf_printf_new(error, "out of memory");
	pq_citer_free(c);
	return rc == 0 ? PS_OK : PS_ERR_NO_MEMORY;
}

const char *pq_citer_corpus_dir(const pq_citer_t *citer)
{
	return citer->corpus_dir;
}

static void free_clauses(pq_cite_clause_t *clauses, size_t n)
{
	for (size_t i = 0; clauses != NULL && i < n; i++)
		free(clauses[i].id);
	free(clauses);
}

void pq_citer_name_files_relative(pq_citer_t *c)
{
	c->relative = true;
}

void pq_citer_free(pq_citer_t *citer)
{
	if (citer == NULL)
		return;
	for (size_t i = 0; citer->plans != NULL && i < citer->n_plans; i++) {
		plan_state_t *s = &citer->plans[i];
		free_clauses(s->clauses, s->n_clauses);
		free(s->file);
		free(s->file_path);
		free(s->shown_path);
		free(s->check_error);
	}
	free(citer->plans);
	free(citer->corpus_dir);
	free(citer);
}

void pq_citation_free(pq_citation_t *c)
{
	if (c == NULL)
		return;
	free(c->given);
	free(c->message);
	for (size_t i = 0; i < c->n_suggestions; i++)
		free(c->suggestions[i]);
	free(c->suggestions);
	free(c->id);
	free(c->levels);
	free(c->first_clause);
	free(c->last_clause);
	free_clauses(c->before, c->n_before);
	free_clauses(c->after, c->n_after);
	free(c->file_path);
	free(c->check_error);
	free(c);
}

/* ---- Reading the index ---- */

static plan_state_t *state_of(pq_citer_t *c, const ps_plan_t *plan)
{
	size_t n;
	const ps_plan_t *plans = ps_store_plans(c->index, &n);
	return &c->plans[plan - plans];
}

/* Every clause of the plan, from its outline, in text order. */
static int load_clauses(pq_citer_t *c, const ps_plan_t *plan, char **error)
{
	plan_state_t *s = state_of(c, plan);
	const ps_outline_t *o;
	strbuf_t id = STRBUF_INIT;
	if (s->have_clauses)
		return 0;
	if (ps_store_plan_outline(c->index, plan, &o, error) != 0)
		return -1;
	s->clauses = calloc(o->n_clauses ? o->n_clauses : 1, sizeof *s->clauses);
	if (s->clauses == NULL)
		goto oom;
	for (size_t i = 0; i < o->n_clauses; i++) {
		const ps_clause_t *k = &o->clauses[i];
		id.len = 0;
		if (ps_id_clause(&id, plan->city_id, o->sections[k->section].path, k->ordinal) != 0)
			goto oom;
		s->clauses[i] = (pq_cite_clause_t){.id = strbuf_steal(&id), .start = k->start,
						   .end = k->end, .line = k->line};
		s->n_clauses = i + 1;
		if (s->clauses[i].id == NULL)
			goto oom;
	}
	s->have_clauses = true;
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	strbuf_free(&id);
	return -1;
}

/* The plan's bytes as indexed, checked once against the recorded SHA-256. */
static int plan_source(pq_citer_t *c, const ps_plan_t *plan, const char **text, size_t *len,
		       char **error)
{
	if (ps_store_plan_source(c->index, plan, text, len, error) != 0)
		return -1;
	plan_state_t *s = state_of(c, plan);
	if (!s->source_verified) {
		char sha[PS_SHA256_HEX_LEN + 1];
		ps_sha256_hex(*text, *len, sha);
		if (strcmp(sha, plan->sha256) != 0) {
			strbuf_printf_new(error, "the index's copy of %s does not match the "
					  "SHA-256 recorded for it; rebuild the index with "
					  "policy-index", plan->file);
			return -1;
		}
		s->source_verified = true;
	}
	return 0;
}

/* The corpus file read as GB18030, converted to UTF-8 as the indexer converted it. Returns
 * 0, or -1 with the reason in s->check_error. */
static int decode_gb18030(plan_state_t *s)
{
	char *utf8 = NULL, *why = NULL;
	size_t n = 0, bad = 0;
	if (seg_gb18030_to_utf8(s->file, s->file_len, &utf8, &n, &bad, &why) != 0) {
		if (bad != (size_t)-1)
			strbuf_printf_new(&s->check_error, "%s is not GB18030 text any more "
					  "(byte %zu), as its manifest entry says", s->shown_path,
					  bad);
		else
			s->check_error = why;
		if (s->check_error != why)
			free(why);
		return -1;
	}
	free(s->file);
	s->file = utf8;
	s->file_len = n;
	return 0;
}

/* message with every `path` in it named `shown` instead; takes message, returns the new one
 * (message itself when memory runs out: the reason stays, with the path as read). */
static char *name_relative(char *message, const char *path, const char *shown)
{
	strbuf_t sb = STRBUF_INIT;
	size_t len = strlen(path);
	const char *at = message, *hit;
	while ((hit = strstr(at, path)) != NULL) {
		strbuf_append(&sb, at, (size_t)(hit - at));
		strbuf_append_str(&sb, shown);
		at = hit + len;
	}
	if (strbuf_append_str(&sb, at) != 0 || sb.data == NULL) {
		strbuf_free(&sb);
		return message;
	}
	free(message);
	return strbuf_steal(&sb);
}

/* Read the corpus file once (decoded as it was for indexing) and compare its SHA-256 with
 * the one recorded then. */
static int check_file(pq_citer_t *c, const ps_plan_t *plan, char **error)
{
	plan_state_t *s = state_of(c, plan);
	if (s->checked)
		return 0;
	strbuf_t path = STRBUF_INIT;
	/* shards built from several corpus directories: the plan's own */
	const char *dir = c->corpus_dir, *recorded = ps_store_plan_corpus_dir(c->index, plan);
	if (!c->corpus_given && recorded != NULL && *recorded != '\0')
		dir = recorded;
	if (strbuf_printf(&path, "%s/%s", dir, plan->file) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	s->file_path = strbuf_steal(&path);
	s->shown_path = strdup(c->relative ? plan->file : s->file_path ? s->file_path : "");
	if (s->file_path == NULL || s->shown_path == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	char *real = NULL; /* a plan that leads outside the corpus directory is not read */
	if (util_path_inside(dir, plan->file, &real) == 1) {
		if (c->relative) /* not where it leads: that is the server's file system */
			strbuf_printf_new(&s->check_error, "%s leads outside the corpus directory "
					  "through a symbolic link", s->shown_path);
		else
			strbuf_printf_new(&s->check_error, "%s leads outside the corpus directory, "
					  "to %s, through a symbolic link", s->file_path, real);
	}
	free(real);
	bool unread = s->check_error != NULL ||
		      util_read_file(s->file_path, "a plan", SEG_MAX_DOCUMENT_BYTES, true,
				     &s->file, &s->file_len, &s->check_error) != 0;
	if (unread && c->relative && s->check_error != NULL)
		s->check_error = name_relative(s->check_error, s->file_path, s->shown_path);
	if (unread ||
	    (plan->gb18030 && decode_gb18030(s) != 0)) {
		s->check = PQ_CHECK_MISSING;
		free(s->file);
		s->file = NULL;
		s->file_len = 0;
		if (s->check_error == NULL) {
			strbuf_printf_new(error, "out of memory");
			return -1;
		}
	} else {
		ps_sha256_hex(s->file, s->file_len, s->sha256);
		s->check = strcmp(s->sha256, plan->sha256) == 0 && s->file_len == plan->bytes
				   ? PQ_CHECK_UNCHANGED
				   : PQ_CHECK_CHANGED;
	}
	s->checked = true;
	return 0;
}

/* ---- Parsing ids (ids.h) ---- */

typedef struct parsed_id {
	pq_passage_kind_t kind;
	char path[PS_ID_MAX_PATH + 1];
	int ordinal;
	int table; /* a row's table, t<j> */
} parsed_id_t;

/* Parse what follows "<plan>/" into the citer's kinds. */
static int parse_rest(const char *rest, parsed_id_t *out)
{
	ps_id_t id;
	if (ps_id_parse(rest, &id) != 0 || id.kind == PS_ID_TABLE) /* a table: cite its rows */
		return -1;
	out->kind = id.kind == PS_ID_SECTION     ? PQ_PASSAGE_SECTION
		    : id.kind == PS_ID_PARAGRAPH ? PQ_PASSAGE_PARAGRAPH
		    : id.kind == PS_ID_ROW       ? PQ_PASSAGE_ROW
						 : PQ_PASSAGE_CLAUSE;
	memcpy(out->path, id.path, sizeof out->path);
	out->ordinal = id.ordinal;
	out->table = id.table;
	return 0;
}

/* ---- Suggestions ---- */

/* Levenshtein distance between two byte strings (short: ids are capped). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[MAX_ID_BYTES + 2];
	if (la > MAX_ID_BYTES)
		la = MAX_ID_BYTES;
	if (lb > MAX_ID_BYTES)
		lb = MAX_ID_BYTES;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

typedef struct ranked {
	size_t score;
	char *id; /* the part after "<plan>/" */
} ranked_t;

/* Keep the MAX_SUGGESTIONS lowest scores; earlier candidates win ties. */
static int rank(ranked_t *best, size_t *n_best, const char *rest, const char *cand,
		bool near)
{
	size_t score = 2 * edit_distance(rest, cand) + (near ? 0 : 1);
	size_t at = *n_best;
	while (at > 0 && best[at - 1].score > score)
		at--;
	if (at >= MAX_SUGGESTIONS)
		return 0;
	char *copy = strdup(cand);
	if (copy == NULL)
		return -1;
	if (*n_best == MAX_SUGGESTIONS)
		free(best[--*n_best].id);
	memmove(&best[at + 1], &best[at], (*n_best - at) * sizeof *best);
	best[at] = (ranked_t){score, copy};
	++*n_best;
	return 0;
}

/* The deepest section of the outline whose path is a prefix (by components) of path. */
static int nearest_section(const ps_outline_t *o, const char *path)
{
	char buf[MAX_ID_BYTES + 1];
	snprintf(buf, sizeof buf, "%s", path);
	for (;;) {
		int i = ps_outline_find_section(o, buf);
		if (i >= 0)
			return i;
		char *dot = strrchr(buf, '.');
		if (dot == NULL)
			return 0;
		*dot = '\0';
	}
}

/* The closest ids of `plan` to `rest` (what followed "<plan>/" in the id as given). */
static int suggest(pq_citer_t *c, const ps_plan_t *plan, const char *rest, pq_citation_t *cit,
		   char **error)
{
	const ps_outline_t *o;
	ranked_t best[MAX_SUGGESTIONS + 1];
	size_t n_best = 0;
	char buf[MAX_ID_BYTES + 64], key[MAX_ID_BYTES + 1];
	int rc = -1;

	if (ps_store_plan_outline(c->index, plan, &o, error) != 0 ||
	    load_clauses(c, plan, error) != 0)
		return -1;
	/* what looks like the section part of rest, for nearness */
	snprintf(key, sizeof key, "%s", rest);
	char *slash = strchr(key, '/');
	if (slash != NULL)
		*slash = '\0';
	int near = nearest_section(o, key);
	const char *near_path = o->sections[near].path;
	bool preamble = ps_outline_own_end(o, 0) > o->sections[0].start;
	for (size_t i = preamble ? 0 : 1; i < o->n_sections; i++)
		if (rank(best, &n_best, rest, o->sections[i].path, (int)i == near) != 0)
			goto oom;
	for (size_t i = 0; i < o->n_paragraphs; i++) {
		const ps_paragraph_t *p = &o->paragraphs[i];
		snprintf(buf, sizeof buf, "%s/p%d", o->sections[p->section].path, p->ordinal);
		if (rank(best, &n_best, rest, buf, p->section == near) != 0)
			goto oom;
	}
	plan_state_t *s = state_of(c, plan);
	size_t prefix = strlen(plan->city_id) + 1;
	for (size_t i = 0; i < s->n_clauses; i++) {
		const char *id = s->clauses[i].id;
		if (strlen(id) <= prefix)
			continue;
		const char *r = id + prefix, *last = strrchr(r, '/');
		bool is_near = last && (size_t)(last - r) == strlen(near_path) &&
			       strncmp(r, near_path, strlen(near_path)) == 0;
		if (rank(best, &n_best, rest, r, is_near) != 0)
			goto oom;
	}
	/* after the one resolve may have put first (the nearest passage that exists) */
	char **all = realloc(cit->suggestions, (cit->n_suggestions + n_best + 1) * sizeof *all);
	if (all == NULL)
		goto oom;
	cit->suggestions = all;
	for (size_t i = 0; i < n_best && cit->n_suggestions < MAX_SUGGESTIONS; i++) {
		strbuf_t id = STRBUF_INIT;
		if (strbuf_printf(&id, "%s/%s", plan->city_id, best[i].id) != 0)
			goto oom;
		bool dup = false;
		for (size_t k = 0; k < cit->n_suggestions; k++)
			dup |= strcmp(cit->suggestions[k], id.data) == 0;
		if (dup)
			strbuf_free(&id);
		else
			cit->suggestions[cit->n_suggestions++] = id.data;
	}
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	for (size_t i = 0; i < n_best; i++)
		free(best[i].id);
	return rc;
}

/* ---- Resolving ---- */

/* The id as given, made printable: invalid UTF-8 and control characters become U+FFFD. */
static char *printable(const char *s)
{
	strbuf_t sb = STRBUF_INIT;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		size_t at = i;
		int32_t cp = utf8_next(s, &i, len);
		int bad = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
		if (strbuf_append(&sb, bad ? "\xEF\xBF\xBD" : s + at, bad ? 3 : i - at) != 0) {
			strbuf_free(&sb);
			return NULL;
		}
	}
	return strbuf_steal(&sb);
}

static int not_found(pq_citation_t *cit, pq_cite_status_t status, char **error,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int not_found(pq_citation_t *cit, pq_cite_status_t status, char **error,
		     const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0 && (msg = malloc((size_t)n + 1)) != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (msg == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	cit->status = status;
	cit->message = msg;
	return 0;
}

/* The plan whose city_id is closest to `name`. */
static const ps_plan_t *closest_plan(pq_citer_t *c, const char *name)
{
	size_t n, best = SIZE_MAX;
	const ps_plan_t *plans = ps_store_plans(c->index, &n), *found = NULL;
	char lower[MAX_ID_BYTES + 1];
	size_t i = 0;
	for (; name[i] && i < MAX_ID_BYTES; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[i] = '\0';
	for (size_t p = 0; p < n; p++) {
		size_t d = edit_distance(lower, plans[p].city_id);
		if (d < best) {
			best = d;
			found = &plans[p];
		}
	}
	return found;
}

static void trim_ascii(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && isspace((unsigned char)s[*start]))
		++*start;
	while (*end > *start && isspace((unsigned char)s[*end - 1]))
		--*end;
}

/* Fill the section path (levels) and section_path of a found citation. */
static int set_levels(pq_citation_t *cit, const ps_outline_t *o, int section)
{
	size_t depth = 0;
	for (int s = section; s > 0; s = o->sections[s].parent)
		depth++;
	cit->levels = calloc(depth ? depth : 1, sizeof *cit->levels);
	if (cit->levels == NULL)
		return -1;
	cit->n_levels = depth;
	for (int s = section; s > 0; s = o->sections[s].parent)
		cit->levels[--depth] = &o->sections[s];
	cit->section_path = o->sections[section].path;
	return 0;
}

/* Where the passage stands as readers cite it: its sentence and its part of it, and in an
 * article its 款 and the list items (项, 目) around it. */
static void set_place(pq_citation_t *cit, const ps_outline_t *o, int section)
{
	const ps_section_t *sec = &o->sections[section];
	int para = -1, clause = -1;
	cit->article = sec->article ? sec : NULL;
	if (cit->kind == PQ_PASSAGE_CLAUSE) {
		clause = ps_outline_clause_at(o, cit->start);
		para = o->clauses[clause].paragraph;
	} else if (cit->kind == PQ_PASSAGE_PARAGRAPH) {
		para = ps_outline_find_paragraph(o, section, cit->ordinal);
	}
	if (clause >= 0 && para >= 0) {
		const ps_clause_t *cl = &o->clauses[clause];
		/* the clauses of its section (of its paragraph, in an article) */
		size_t from = (size_t)clause, to = (size_t)clause + 1;
		while (from > 0 && o->clauses[from - 1].section == cl->section &&
		       (!cit->article || o->clauses[from - 1].paragraph == para))
			from--;
		while (to < o->n_clauses && o->clauses[to].section == cl->section &&
		       (!cit->article || o->clauses[to].paragraph == para))
			to++;
		while (o->clauses[from].paragraph < 0) /* the heading's own clause */
			from++;
		int base = o->clauses[from].sentence - 1;
		cit->sentence = cl->sentence - base;
		cit->n_sentences = o->clauses[to - 1].sentence - base;
		cit->part = cl->part;
		cit->n_parts = 0;
		for (size_t k = from; k < to; k++)
			cit->n_parts += o->clauses[k].sentence == cl->sentence;
	}
	if (cit->article == NULL)
		return;
	/* 款: a paragraph that is not a list item starts one (so does a first item with no
	 * paragraph before it); items belong to the 款 before them */
	int items[4] = {0}, kuan = 0;
	for (size_t i = 0; i < o->n_paragraphs; i++) {
		const ps_paragraph_t *p = &o->paragraphs[i];
		if (p->section != section)
			continue;
		if (p->item_level == 0 || kuan == 0) {
			kuan++;
			memset(items, 0, sizeof items);
		}
		if (p->item_level > 0 && p->item_level <= 4) {
			items[p->item_level - 1] = p->item_number;
			for (int l = p->item_level; l < 4; l++)
				items[l] = 0;
		}
		if ((int)i == para) {
			cit->kuan = kuan;
			cit->n_items = p->item_level > 4 ? 4 : p->item_level;
			memcpy(cit->items, items, sizeof items);
		}
	}
	cit->n_kuan = kuan;
}

static int copy_clause(pq_cite_clause_t *to, const pq_cite_clause_t *from)
{
	*to = *from;
	to->id = strdup(from->id);
	return to->id ? 0 : -1;
}

/* Context before and after, and the first and last clause the passage covers. */
static int set_context(pq_citer_t *c, pq_citation_t *cit, size_t context, char **error)
{
	if (load_clauses(c, cit->plan, error) != 0)
		return -1;
	plan_state_t *s = state_of(c, cit->plan);
	size_t first = s->n_clauses, last = s->n_clauses, n_before = 0;
	for (size_t i = 0; i < s->n_clauses; i++) {
		const pq_cite_clause_t *k = &s->clauses[i];
		if (k->end <= cit->start && !(k->start == cit->start && k->end == cit->end))
			n_before = i + 1;
		if (k->start >= cit->start && k->end <= cit->end) {
			if (first == s->n_clauses)
				first = i;
			last = i;
		}
	}
	if (cit->kind != PQ_PASSAGE_CLAUSE && first < s->n_clauses) {
		cit->first_clause = strdup(s->clauses[first].id);
		cit->last_clause = strdup(s->clauses[last].id);
		if (cit->first_clause == NULL || cit->last_clause == NULL)
			goto oom;
	}
	size_t from = n_before > context ? n_before - context : 0;
	cit->before = calloc(n_before - from + 1, sizeof *cit->before);
	if (cit->before == NULL)
		goto oom;
	for (size_t i = from; i < n_before; i++)
		if (copy_clause(&cit->before[cit->n_before++], &s->clauses[i]) != 0)
			goto oom;
	size_t after_from = s->n_clauses;
	for (size_t i = n_before; i < s->n_clauses; i++)
		if (s->clauses[i].start >= cit->end &&
		    !(s->clauses[i].start == cit->start && s->clauses[i].end == cit->end)) {
			after_from = i;
			break;
		}
	size_t n_after = s->n_clauses - after_from < context ? s->n_clauses - after_from : context;
	cit->after = calloc(n_after + 1, sizeof *cit->after);
	if (cit->after == NULL)
		goto oom;
	for (size_t i = 0; i < n_after; i++)
		if (copy_clause(&cit->after[cit->n_after++], &s->clauses[after_from + i]) != 0)
			goto oom;
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

/* A clause, found in its plan's outline by its section path and ordinal, and checked: its
 * stored normal form must be that of the index's copy of its bytes. Returns 1 if there is
 * no such clause. */
static int find_clause(pq_citer_t *c, pq_citation_t *cit, const parsed_id_t *pid,
		       const char *source, char **error)
{
	const ps_outline_t *o;
	seg_norm_t norm = {0};
	ps_doc_t d;
	int rc = -1;
	if (ps_store_plan_outline(c->index, cit->plan, &o, error) != 0)
		return -1;
	int s = ps_outline_find_section(o, pid->path), k = -1;
	for (int i = s < 0 ? 0 : o->sections[s].first_clause;
	     s >= 0 && i < o->sections[s].end_clause && k < 0; i++)
		if (o->clauses[i].section == s && o->clauses[i].ordinal == pid->ordinal)
			k = i;
	if (k < 0)
		return 1;
	const ps_clause_t *cl = &o->clauses[k];
	if (!ps_store_doc(c->index, cit->plan->first_docid + (unsigned)k, &d) ||
	    d.plan != cit->plan || d.clause != k ||
	    seg_normalize_in(source, cit->plan->bytes, cl->start, cl->end, false, &norm, NULL) != 0 ||
	    d.norm_len != norm.len || memcmp(d.norm, norm.text, norm.len) != 0) {
		strbuf_printf_new(error, "the index's data for %s does not match its copy of %s; "
				  "rebuild it with policy-index", cit->id, cit->plan->file);
		goto out;
	}
	cit->start = cl->start;
	cit->end = cl->end;
	cit->line = cl->line;
	rc = 0;
out:
	seg_norm_clear(&norm);
	return rc;
}

/* The quote is no longer at its bytes of a changed file: where it is now, if anywhere (the
 * occurrence nearest its old place), makes the check PQ_CHECK_MOVED. */
static void find_moved(pq_citation_t *cit, const char *file, size_t file_len)
{
	size_t n = cit->end - cit->start, best = SIZE_MAX, best_distance = SIZE_MAX;
	for (const char *p = file; file_len - (size_t)(p - file) >= n;) {
		/* the next place its first byte occurs and the rest follows (memmem is GNU's) */
		const char *hit = memchr(p, cit->text[0], file_len - (size_t)(p - file) - n + 1);
		if (hit == NULL)
			break;
		if (memcmp(hit, cit->text, n) != 0) {
			p = hit + 1;
			continue;
		}
		size_t at = (size_t)(hit - file);
		size_t distance = at > cit->start ? at - cit->start : cit->start - at;
		if (distance < best_distance) {
			best = at;
			best_distance = distance;
		}
		p = hit + 1;
	}
	if (best == SIZE_MAX)
		return;
	cit->check = PQ_CHECK_MOVED;
	cit->moved_start = best;
	cit->moved_end = best + n;
	cit->moved_line = utf8_line_of(file, best);
}

/* Put plan/<fmt…> first among the suggestions (the nearest passage that exists). */
static int suggest_first(pq_citation_t *cit, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int suggest_first(pq_citation_t *cit, const char *fmt, ...)
{
	va_list ap;
	char buf[MAX_ID_BYTES + 128];
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cit->suggestions = calloc(2, sizeof *cit->suggestions);
	if (cit->suggestions == NULL || (cit->suggestions[0] = strdup(buf)) == NULL)
		return -1;
	cit->n_suggestions = 1;
	return 0;
}

/* Resolve a well-formed id of a known plan. Leaves cit->status FOUND or sets UNKNOWN. */
static int resolve(pq_citer_t *c, pq_citation_t *cit, const parsed_id_t *given,
		   size_t context, char **error)
{
	parsed_id_t full_id = *given, *full = &full_id;
	const parsed_id_t *p = given;
	const ps_plan_t *plan = cit->plan;
	const ps_outline_t *o;
	const char *source;
	size_t source_len;
	strbuf_t id = STRBUF_INIT;

	if (ps_store_plan_outline(c->index, plan, &o, error) != 0 ||
	    plan_source(c, plan, &source, &source_len, error) != 0)
		return -1;
	int section = ps_outline_find_section(o, p->path);
	if (section < 0 && p->path[0] == 'a' && strchr(p->path, '.') == NULL) {
		/* an article by its number alone, <plan>/a31, wherever it stands */
		size_t n = strlen(p->path);
		for (size_t i = 1; i < o->n_sections && section < 0; i++) {
			const char *path = o->sections[i].path;
			size_t len = strlen(path);
			if (len > n && path[len - n - 1] == '.' && strcmp(path + len - n, p->path) == 0)
				section = (int)i;
		}
		if (section >= 0) {
			snprintf(full->path, sizeof full->path, "%s", o->sections[section].path);
			p = full;
		}
	}
	if (section < 0) {
		int near = nearest_section(o, p->path);
		if (near > 0 && suggest_first(cit, "%s/%s", plan->city_id, o->sections[near].path))
			goto oom;
		return not_found(cit, PQ_CITE_UNKNOWN, error, "%s has no section %s", plan->city_id,
				 p->path);
	}
	int rc = 0;
	switch (p->kind) {
	case PQ_PASSAGE_SECTION:
		rc = ps_id_section(&id, plan->city_id, p->path);
		cit->start = o->sections[section].start;
		/* the root is the preamble only, as search's section scope has it */
		cit->end = section == 0 ? ps_outline_own_end(o, 0) : o->sections[section].end;
		cit->line = o->sections[section].line;
		if (cit->end <= cit->start && section == 0) {
			strbuf_free(&id);
			return not_found(cit, PQ_CITE_UNKNOWN, error,
					 "%s has no preamble (its text starts with a heading)",
					 plan->city_id);
		}
		break;
	case PQ_PASSAGE_PARAGRAPH: {
		rc = ps_id_paragraph(&id, plan->city_id, p->path, p->ordinal);
		int para = ps_outline_find_paragraph(o, section, p->ordinal);
		if (para < 0) {
			int n = 0;
			for (size_t i = 0; i < o->n_paragraphs; i++)
				n += o->paragraphs[i].section == section;
			strbuf_free(&id);
			if (n > 0 && suggest_first(cit, "%s/%s/p%d", plan->city_id, p->path, n))
				goto oom;
			return not_found(cit, PQ_CITE_UNKNOWN, error,
					 "section %s of %s has %d paragraph%s of its own, no p%d",
					 p->path, plan->city_id, n, n == 1 ? "" : "s", p->ordinal);
		}
		cit->start = o->paragraphs[para].start;
		cit->end = o->paragraphs[para].end;
		cit->line = o->paragraphs[para].line;
		break;
	}
	case PQ_PASSAGE_CLAUSE:
		rc = ps_id_clause(&id, plan->city_id, p->path, p->ordinal);
		break;
	case PQ_PASSAGE_ROW: {
		int t = ps_outline_find_table(o, section, p->table);
		if (t < 0) {
			strbuf_free(&id);
			return not_found(cit, PQ_CITE_UNKNOWN, error,
					 "section %s of %s has no indicator table t%d", p->path,
					 plan->city_id, p->table);
		}
		const ps_table_t *table = &o->tables[t];
		if ((size_t)p->ordinal > table->n_rows) {
			strbuf_free(&id);
			if (suggest_first(cit, "%s/%s/t%d.%zu", plan->city_id, p->path, p->table,
					  table->n_rows))
				goto oom;
			return not_found(cit, PQ_CITE_UNKNOWN, error,
					 "table t%d of section %s of %s has rows 1 to %zu, no row %d",
					 p->table, p->path, plan->city_id, table->n_rows, p->ordinal);
		}
		rc = ps_id_row(&id, plan->city_id, p->path, p->table, p->ordinal);
		cit->table = table;
		cit->row = &table->rows[p->ordinal - 1];
		cit->start = cit->row->start;
		cit->end = cit->row->end;
		cit->line = cit->row->line;
		break;
	}
	}
	if (rc != 0 || (cit->id = strbuf_steal(&id)) == NULL) {
		strbuf_free(&id);
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	cit->kind = p->kind;
	cit->ordinal = p->ordinal;
	if (p->kind == PQ_PASSAGE_CLAUSE) {
		rc = find_clause(c, cit, p, source, error);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			if (load_clauses(c, plan, error) != 0)
				return -1;
			plan_state_t *s = state_of(c, plan);
			int max = -1;
			size_t prefix = strlen(plan->city_id) + 1 + strlen(p->path);
			for (size_t i = 0; i < s->n_clauses; i++) {
				const char *k = s->clauses[i].id;
				if (strncmp(k, cit->id, prefix) == 0 && k[prefix] == '/' &&
				    atoi(k + prefix + 1) > max)
					max = atoi(k + prefix + 1);
			}
			free(cit->id);
			cit->id = NULL;
			if (max < 0)
				return not_found(cit, PQ_CITE_UNKNOWN, error,
						 "section %s of %s has no clauses", p->path,
						 plan->city_id);
			if (p->ordinal > max &&
			    suggest_first(cit, "%s/%s/%d", plan->city_id, p->path, max))
				goto oom;
			return not_found(cit, PQ_CITE_UNKNOWN, error,
					 "section %s of %s has clauses %s to %d, no clause %d",
					 p->path, plan->city_id, section == 0 ? "1" : "0", max,
					 p->ordinal);
		}
	}
	if (cit->start > cit->end || cit->end > source_len) {
		strbuf_printf_new(error, "the index's offsets for %s are out of range; rebuild it "
				  "with policy-index", cit->id);
		return -1;
	}
	cit->text = source + cit->start;
	int newlines = 0;
	for (size_t i = cit->start; i < cit->end; i++)
		newlines += source[i] == '\n';
	cit->end_line = cit->line + newlines;
	set_place(cit, o, section);
	if (set_levels(cit, o, section) != 0) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	if (set_context(c, cit, context, error) != 0)
		return -1;

	if (check_file(c, plan, error) != 0)
		return -1;
	plan_state_t *s = state_of(c, plan);
	cit->check = s->check;
	cit->file_path = strdup(s->shown_path);
	if (cit->file_path == NULL)
		goto oom;
	if (s->check == PQ_CHECK_MISSING) {
		if ((cit->check_error = strdup(s->check_error)) == NULL)
			goto oom;
	} else {
		memcpy(cit->sha256_now, s->sha256, sizeof cit->sha256_now);
		cit->bytes_now = s->file_len;
		size_t n = cit->end - cit->start;
		cit->text_matches = s->file_len >= cit->end &&
				    memcmp(s->file + cit->start, cit->text, n) == 0;
		if (s->check == PQ_CHECK_CHANGED && !cit->text_matches && n > 0)
			find_moved(cit, s->file, s->file_len);
	}
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

ps_status_t pq_citer_cite(pq_citer_t *c, const char *given, size_t context, pq_citation_t **out,
		  char **error)
{
	pq_citation_t *cit = calloc(1, sizeof *cit);
	char *id = NULL;
	const char *example = "an id is <plan>/<section path>[/<clause>, /p<paragraph> or "
			      "/t<table>.<row>], e.g. dalian/3.8.1/2";
	parsed_id_t parsed;
	int rc = -1;

	if (cit == NULL || (cit->given = printable(given)) == NULL)
		goto oom;
	size_t start = 0, end = strlen(given);
	trim_ascii(given, &start, &end);
	if ((id = malloc(end - start + 1)) == NULL)
		goto oom;
	memcpy(id, given + start, end - start);
	id[end - start] = '\0';

	char *slash = strchr(id, '/');
	if (slash != NULL)
		*slash = '\0';
	const char *rest = slash ? slash + 1 : "";
	const ps_plan_t *plan = *id ? ps_store_find_city(c->index, id) : NULL;
	if (plan == NULL) {
		size_t n;
		const ps_plan_t *plans = ps_store_plans(c->index, &n);
		strbuf_t known = STRBUF_INIT;
		char *shown = printable(id);
		if (shown == NULL)
			goto oom;
		for (size_t i = 0; i < n; i++)
			strbuf_printf(&known, "%s%s", i ? ", " : "", plans[i].city_id);
		int nrc;
		if (n == 0)
			nrc = not_found(cit, PQ_CITE_UNKNOWN, error, "the index has no plans");
		else if (slash == NULL)
			nrc = not_found(cit, PQ_CITE_MALFORMED, error, "'%s' is not an id: %s",
					cit->given, example);
		else
			nrc = not_found(cit, PQ_CITE_UNKNOWN, error,
					"'%s': the index has no plan '%s' (it has %s)", cit->given,
					shown, known.data ? known.data : "");
		strbuf_free(&known);
		free(shown);
		if (nrc != 0)
			goto out;
		if (n > 0 && suggest(c, closest_plan(c, id), rest, cit, error) != 0)
			goto out;
		goto found;
	}
	cit->plan = plan;
	if (strlen(rest) > MAX_ID_BYTES || parse_rest(rest, &parsed) != 0) {
		if (not_found(cit, PQ_CITE_MALFORMED, error, "'%s' is not an id: %s", cit->given,
			      example) != 0 ||
		    suggest(c, plan, rest, cit, error) != 0)
			goto out;
		goto found;
	}
	if (resolve(c, cit, &parsed, context, error) != 0)
		goto out;
	if (cit->status != PQ_CITE_FOUND) {
		char *why = cit->message;
		cit->message = NULL;
		int nrc = not_found(cit, PQ_CITE_UNKNOWN, error, "'%s' is not in the index: %s",
				    cit->given, why);
		free(why);
		if (nrc != 0 || suggest(c, plan, rest, cit, error) != 0)
			goto out;
	}
found:
	*out = cit;
	cit = NULL;
	rc = 0;
	goto out;
oom:
	strbuf_printf_new(error, "out of memory");
out:
	free(id);
	pq_citation_free(cit);
	return rc == 0 ? PS_OK : PS_ERR_FAILED;
}
