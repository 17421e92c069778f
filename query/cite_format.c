/* cite_format.c: citations written as text, Markdown or JSON, and the line ready to paste. */
#include "cite.h"

#include "escape.h"
#include "label.h"
#include "strbuf.h"
#include "table.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int pq_cite_format_parse(const char *name, pq_cite_format_t *out)
{
	if (strcmp(name, "text") == 0)
		*out = PQ_CITE_TEXT;
	else if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0)
		*out = PQ_CITE_MARKDOWN;
	else if (strcmp(name, "json") == 0)
		*out = PQ_CITE_JSON;
	else
		return -1;
	return 0;
}

static const char *kind_name(pq_passage_kind_t kind)
{
	switch (kind) {
	case PQ_PASSAGE_CLAUSE: return "clause";
	case PQ_PASSAGE_PARAGRAPH: return "paragraph";
	case PQ_PASSAGE_SECTION: return "section";
	}
	return "passage";
}

/* 《title》 (in brackets when the title is the cataloguer's), then the section path. */
static void line_head(const pq_citation_t *c, strbuf_t *sb)
{
	strbuf_printf(sb, c->plan->title_supplied ? "[《%s》]" : "《%s》", c->plan->title);
	for (size_t i = 0; i < c->n_levels; i++) {
		if (i > 0)
			strbuf_append_str(sb, " ");
		pq_label_section_heading(c->levels[i], sb);
	}
	if (c->n_levels == 0)
		strbuf_append_str(sb, "开篇");
}

/* Where in the section: 第2句, 标题, 第1段, or nothing for a section. */
static void line_place(const pq_citation_t *c, strbuf_t *sb)
{
	switch (c->kind) {
	case PQ_PASSAGE_CLAUSE:
		if (c->ordinal == 0)
			strbuf_append_str(sb, "，标题");
		else
			strbuf_printf(sb, "，第%d句", c->ordinal);
		break;
	case PQ_PASSAGE_PARAGRAPH: strbuf_printf(sb, "，第%d段", c->ordinal); break;
	case PQ_PASSAGE_SECTION:
		if (c->n_levels > 0)
			strbuf_append_str(sb, "（全节）");
		break;
	}
}

char *pq_citation_line(const pq_citation_t *c)
{
	if (c == NULL || c->status != PQ_CITE_FOUND)
		return NULL;
	strbuf_t sb = STRBUF_INIT;
	line_head(c, &sb);
	line_place(c, &sb);
	if (c->kind != PQ_PASSAGE_SECTION) {
		strbuf_append_str(&sb, "：“");
		strbuf_append(&sb, c->text, c->end - c->start);
		strbuf_append_str(&sb, "”");
	}
	return strbuf_steal(&sb);
}

char *pq_citation_check_message(const pq_citation_t *c)
{
	if (c == NULL || c->status != PQ_CITE_FOUND)
		return NULL;
	strbuf_t sb = STRBUF_INIT;
	switch (c->check) {
	case PQ_CHECK_UNCHANGED:
		strbuf_printf(&sb, "%s is unchanged since it was indexed (SHA-256 %.12s…)",
			      c->file_path, c->sha256_now);
		break;
	case PQ_CHECK_CHANGED:
		strbuf_printf(&sb, "%s has CHANGED since it was indexed (SHA-256 %.12s… now, "
			      "%.12s… then; %zu bytes now, %zu then); the cited bytes %zu–%zu %s",
			      c->file_path, c->sha256_now, c->plan->sha256, c->bytes_now,
			      c->plan->bytes, c->start, c->end,
			      c->text_matches ? "still match" : "no longer match (the text here is "
								 "the one indexed)");
		break;
	case PQ_CHECK_MISSING:
		strbuf_printf(&sb, "NOT CHECKED: %s; give the corpus directory with --corpus DIR",
			      c->check_error ? c->check_error : c->file_path);
		break;
	}
	return strbuf_steal(&sb);
}

/* "clause 2 of section 3.8.1", "paragraph 1 of section 3.8.1: clauses … to …" */
static void describe(const pq_citation_t *c, strbuf_t *sb)
{
	bool root = strcmp(c->section_path, "0") == 0;
	const char *where = root ? "the preamble" : "section";
	const char *path = root ? "" : c->section_path;
	switch (c->kind) {
	case PQ_PASSAGE_CLAUSE:
		if (c->ordinal == 0)
			strbuf_printf(sb, "the heading of section %s", c->section_path);
		else
			strbuf_printf(sb, "clause %d of %s%s%s", c->ordinal, where, root ? "" : " ",
				      path);
		break;
	case PQ_PASSAGE_PARAGRAPH:
		strbuf_printf(sb, "paragraph %d of %s%s%s", c->ordinal, where, root ? "" : " ",
			      path);
		break;
	case PQ_PASSAGE_SECTION:
		if (root)
			strbuf_append_str(sb, "the preamble, before the first heading");
		else
			strbuf_printf(sb, "section %s with its sub-sections", c->section_path);
		break;
	}
	if (c->first_clause != NULL)
		strbuf_printf(sb, ": clauses %s to %s", c->first_clause, c->last_clause);
}

/* "dalian.txt line 257, bytes 41200–41530" */
static void source_place(const pq_citation_t *c, strbuf_t *sb)
{
	if (c->end_line > c->line)
		strbuf_printf(sb, "%s lines %d–%d", c->plan->file, c->line, c->end_line);
	else
		strbuf_printf(sb, "%s line %d", c->plan->file, c->line);
	strbuf_printf(sb, ", bytes %zu–%zu", c->start, c->end);
}

static const char *plan_date(const pq_plan_t *plan)
{
	return plan->date ? plan->date : "undated";
}

/* The text of a context clause, from the plan's bytes the citation points into. */
static const char *clause_text(const pq_citation_t *c, const pq_cite_clause_t *k)
{
	return c->text - c->start + k->start;
}

/* ---- Text ---- */

static void write_indented(FILE *out, const char *indent, const char *text, size_t len)
{
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		fprintf(out, "%s%.*s\n", indent, (int)(end - at), text + at);
		at = end + 1;
	}
}

static void write_text(FILE *out, const pq_citation_t *c, bool first)
{
	strbuf_t sb = STRBUF_INIT;
	char *line = pq_citation_line(c), *check = pq_citation_check_message(c);
	if (!first)
		fputc('\n', out);
	fprintf(out, "%s\n", line ? line : "");
	describe(c, &sb);
	fprintf(out, "  id       %s (%s)\n", c->id, sb.data ? sb.data : "");
	fprintf(out, "  plan     %s%s%s\n", c->plan->title_supplied ? "[" : "", c->plan->title,
		c->plan->title_supplied ? "] (title supplied: the plan prints none)" : "");
	fprintf(out, "  city     %s · %s · %s\n", c->plan->city, c->plan->province,
		plan_date(c->plan));
	sb.len = 0;
	source_place(c, &sb);
	fprintf(out, "  source   %s\n", sb.data ? sb.data : "");
	fprintf(out, "  check    %s\n", check ? check : "");
	if (c->kind == PQ_PASSAGE_SECTION) {
		fputs("  text\n", out);
		write_indented(out, "    ", c->text, c->end - c->start);
	}
	if (c->n_before + c->n_after > 0) {
		fputs("  context\n", out);
		for (size_t i = 0; i < c->n_before; i++)
			fprintf(out, "    %s  %.*s\n", c->before[i].id,
				(int)(c->before[i].end - c->before[i].start),
				clause_text(c, &c->before[i]));
		fprintf(out, "  > %s  (cited)\n", c->id);
		for (size_t i = 0; i < c->n_after; i++)
			fprintf(out, "    %s  %.*s\n", c->after[i].id,
				(int)(c->after[i].end - c->after[i].start),
				clause_text(c, &c->after[i]));
	}
	strbuf_free(&sb);
	free(line);
	free(check);
}

/* ---- Markdown ---- */

int pq_markdown_escape(const char *text, size_t len, strbuf_t *sb)
{
	static const char inline_marks[] = "\\`*_[]<>&|~";
	bool line_start = true;
	int rc = 0;
	for (size_t i = 0; i < len && rc == 0; i++) {
		char ch = text[i];
		if (ch == '\n') {
			/* a hard break keeps two lines of text apart; a blank line stays blank */
			bool hard = !line_start && i + 1 < len && text[i + 1] != '\n';
			rc = strbuf_append_str(sb, hard ? "\\\n" : "\n");
			line_start = true;
			continue;
		}
		if (line_start && (ch == ' ' || ch == '\t')) {
			rc = strbuf_printf(sb, "&#%d;", ch);
			continue;
		}
		bool escape = strchr(inline_marks, ch) != NULL && ch != '\0';
		if (line_start && !escape) {
			/* what starts a heading, list, rule, quote or ordered item */
			if (strchr("#-+=>", ch) != NULL && ch != '\0')
				escape = true;
		}
		if (!escape && (ch == '.' || ch == ')')) {
			/* "1." or "1)" at the start of a line opens an ordered list */
			size_t k = i;
			while (k > 0 && text[k - 1] >= '0' && text[k - 1] <= '9')
				k--;
			escape = k < i && (k == 0 || text[k - 1] == '\n');
		}
		if (escape)
			rc = strbuf_append(sb, "\\", 1);
		if (rc == 0)
			rc = strbuf_append(sb, &ch, 1);
		line_start = false;
	}
	return rc;
}

static void write_markdown(FILE *out, const pq_citation_t *c, bool first)
{
	strbuf_t sb = STRBUF_INIT, head = STRBUF_INIT;
	char *check = pq_citation_check_message(c);
	if (!first)
		fputs("\n---\n\n", out);
	pq_markdown_escape(c->text, c->end - c->start, &sb);
	fputs(sb.len > 0 && sb.data[0] != '\n' ? "> " : ">", out);
	for (size_t i = 0; sb.data && i < sb.len; i++) {
		fputc(sb.data[i], out);
		if (sb.data[i] == '\n' && i + 1 < sb.len)
			fputs(sb.data[i + 1] == '\n' ? ">" : "> ", out);
	}
	fputs("\n\n", out);
	line_head(c, &head);
	line_place(c, &head);
	sb.len = 0;
	pq_markdown_escape(head.data ? head.data : "", head.len, &sb);
	fprintf(out, "— %s  \n", sb.data ? sb.data : "");
	head.len = 0;
	source_place(c, &head);
	fprintf(out, "%s · %s · %s · %s · `%s`\n", c->plan->city, c->plan->province,
		plan_date(c->plan), head.data ? head.data : "", c->id);
	if (c->check != PQ_CHECK_UNCHANGED) {
		sb.len = 0;
		pq_markdown_escape(check ? check : "", check ? strlen(check) : 0, &sb);
		fprintf(out, "\n**Warning:** %s\n", sb.data ? sb.data : "");
	}
	if (c->n_before + c->n_after > 0) {
		fputs("\nContext:\n\n", out);
		for (size_t i = 0; i < c->n_before + c->n_after + 1; i++) {
			if (i == c->n_before) {
				fprintf(out, "- **`%s`** (cited)\n", c->id);
				continue;
			}
			const pq_cite_clause_t *k =
				i < c->n_before ? &c->before[i] : &c->after[i - c->n_before - 1];
			sb.len = 0;
			pq_markdown_escape(clause_text(c, k), k->end - k->start, &sb);
			fprintf(out, "- `%s` %s\n", k->id, sb.data ? sb.data : "");
		}
	}
	strbuf_free(&sb);
	strbuf_free(&head);
	free(check);
}

/* ---- JSON ---- */

static json_object *string_n(const char *s, size_t n)
{
	return json_object_new_string_len(s, (int)n);
}

static json_object *size_json(size_t n)
{
	return json_object_new_int64((int64_t)n);
}

static json_object *clauses_json(const pq_citation_t *c, const pq_cite_clause_t *k, size_t n)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; arr && i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(k[i].id));
		json_object_object_add(o, "line", json_object_new_int(k[i].line));
		json_object_object_add(o, "start", size_json(k[i].start));
		json_object_object_add(o, "end", size_json(k[i].end));
		json_object_object_add(o, "text",
				       string_n(clause_text(c, &k[i]), k[i].end - k[i].start));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *check_json(const pq_citation_t *c)
{
	static const char *const names[] = {"unchanged", "changed", "missing"};
	json_object *o = json_object_new_object();
	char *message = pq_citation_check_message(c);
	bool read = c->check != PQ_CHECK_MISSING;
	json_object_object_add(o, "status", json_object_new_string(names[c->check]));
	json_object_object_add(o, "file", json_object_new_string(c->file_path));
	json_object_object_add(o, "text_matches", read ? json_object_new_boolean(c->text_matches)
						       : NULL);
	json_object_object_add(o, "sha256_indexed", json_object_new_string(c->plan->sha256));
	json_object_object_add(o, "sha256_now",
			       read ? json_object_new_string(c->sha256_now) : NULL);
	json_object_object_add(o, "bytes_indexed", size_json(c->plan->bytes));
	json_object_object_add(o, "bytes_now", read ? size_json(c->bytes_now) : NULL);
	json_object_object_add(o, "message", json_object_new_string(message ? message : ""));
	free(message);
	return o;
}

static json_object *found_json(const pq_citation_t *c)
{
	json_object *o = json_object_new_object(), *v;
	char *line = pq_citation_line(c);
	strbuf_t doc = STRBUF_INIT;
	if (o == NULL || line == NULL) {
		json_object_put(o);
		free(line);
		return NULL;
	}
	strbuf_printf(&doc, c->plan->title_supplied ? "[%s]" : "%s", c->plan->title);
	json_object_object_add(o, "id", json_object_new_string(c->id));
	json_object_object_add(o, "given", json_object_new_string(c->given));
	json_object_object_add(o, "found", json_object_new_boolean(true));
	json_object_object_add(o, "kind", json_object_new_string(kind_name(c->kind)));
	json_object_object_add(o, "citation", json_object_new_string(line));
	json_object_object_add(o, "city", json_object_new_string(c->plan->city));
	json_object_object_add(o, "city_id", json_object_new_string(c->plan->city_id));
	json_object_object_add(o, "province", json_object_new_string(c->plan->province));
	json_object_object_add(o, "date", c->plan->date ? json_object_new_string(c->plan->date)
							: NULL);
	json_object_object_add(o, "document", json_object_new_string(doc.data ? doc.data : ""));
	json_object_object_add(o, "document_title_supplied",
			       json_object_new_boolean(c->plan->title_supplied));
	json_object *section = json_object_new_array();
	for (size_t i = 0; section && i < c->n_levels; i++) {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "number", json_object_new_string(c->levels[i]->number));
		json_object_object_add(e, "title", json_object_new_string(c->levels[i]->title));
		json_object_object_add(e, "path", json_object_new_string(c->levels[i]->path));
		json_object_array_add(section, e);
	}
	json_object_object_add(o, "section", section);
	json_object_object_add(o, "section_path", json_object_new_string(c->section_path));
	if (c->kind == PQ_PASSAGE_CLAUSE) {
		json_object_object_add(o, "clause", json_object_new_int(c->ordinal));
		json_object_object_add(o, "heading", json_object_new_boolean(c->ordinal == 0 &&
									  c->n_levels > 0));
	} else if (c->kind == PQ_PASSAGE_PARAGRAPH) {
		json_object_object_add(o, "paragraph", json_object_new_int(c->ordinal));
	}
	if (c->first_clause != NULL) {
		v = json_object_new_array();
		json_object_array_add(v, json_object_new_string(c->first_clause));
		json_object_array_add(v, json_object_new_string(c->last_clause));
		json_object_object_add(o, "clauses", v);
	}
	json_object_object_add(o, "file", json_object_new_string(c->plan->file));
	json_object_object_add(o, "start", size_json(c->start));
	json_object_object_add(o, "end", size_json(c->end));
	json_object_object_add(o, "line", json_object_new_int(c->line));
	json_object_object_add(o, "end_line", json_object_new_int(c->end_line));
	json_object_object_add(o, "text", string_n(c->text, c->end - c->start));
	v = json_object_new_object();
	json_object_object_add(v, "before", clauses_json(c, c->before, c->n_before));
	json_object_object_add(v, "after", clauses_json(c, c->after, c->n_after));
	json_object_object_add(o, "context", v);
	json_object_object_add(o, "check", check_json(c));
	strbuf_free(&doc);
	free(line);
	return o;
}

json_object *pq_citation_to_json(const pq_citation_t *c)
{
	if (c->status == PQ_CITE_FOUND)
		return found_json(c);
	json_object *o = json_object_new_object(), *s = json_object_new_array();
	if (o == NULL || s == NULL) {
		json_object_put(o);
		json_object_put(s);
		return NULL;
	}
	json_object_object_add(o, "id", json_object_new_string(c->given));
	json_object_object_add(o, "found", json_object_new_boolean(false));
	json_object_object_add(o, "error", json_object_new_string(
						   c->status == PQ_CITE_MALFORMED ? "malformed"
										  : "unknown"));
	json_object_object_add(o, "message", json_object_new_string(c->message ? c->message : ""));
	for (size_t i = 0; i < c->n_suggestions; i++)
		json_object_array_add(s, json_object_new_string(c->suggestions[i]));
	json_object_object_add(o, "suggestions", s);
	return o;
}

/* ---- The writer ---- */

struct pq_cite_writer {
	FILE *out;
	pq_cite_format_t format;
	size_t written;
};

int pq_cite_writer_new(FILE *out, pq_cite_format_t format, pq_cite_writer_t **w, char **error)
{
	pq_cite_writer_t *n = calloc(1, sizeof *n);
	if (n == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	n->out = out;
	n->format = format;
	*w = n;
	return 0;
}

/* "cannot write the citations: <why>", with the errno of the write that failed */
static int write_failed(char **error)
{
	strbuf_printf_new(error, "cannot write the citations: %s", strerror(errno ? errno : EIO));
	return -1;
}

/* JSON: {"citations":[ before the first entry, a comma before each other; each entry is
 * written as it comes and not kept. */
static int open_json(pq_cite_writer_t *w)
{
	json_object *head = json_object_new_object();
	int rc = head ? pq_json_open_array(w->out, head, "citations") : -1;
	json_object_put(head);
	return rc;
}

static int add_json(pq_cite_writer_t *w, const pq_citation_t *c, char **error)
{
	json_object *o = pq_citation_to_json(c);
	int rc = 0;
	if (o == NULL) {
		strbuf_printf_new(error, "out of memory");
		rc = -1;
	} else if ((w->written == 0 && open_json(w) != 0) ||
		   pq_json_array_entry(w->out, o, w->written == 0) != 0) {
		rc = write_failed(error);
	}
	w->written++;
	json_object_put(o);
	return rc;
}

int pq_cite_writer_add(pq_cite_writer_t *w, const pq_citation_t *c, char **error)
{
	if (w->format == PQ_CITE_JSON)
		return add_json(w, c, error);
	if (c->status != PQ_CITE_FOUND)
		return 0;
	/* text and Markdown are for terminals: written whole into memory, then out with every
	 * control or bidirectional formatting character of the plan's shown, not obeyed */
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (m == NULL) {
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	if (w->format == PQ_CITE_MARKDOWN)
		write_markdown(m, c, w->written == 0);
	else
		write_text(m, c, w->written == 0);
	w->written++;
	int bad = ferror(m) | fclose(m);
	if (bad || buf == NULL) {
		free(buf);
		strbuf_printf_new(error, "out of memory");
		return -1;
	}
	errno = 0;
	bad = util_fput_escaped(w->out, buf, len) != 0 || ferror(w->out);
	free(buf);
	return bad ? write_failed(error) : 0;
}

int pq_cite_writer_finish(pq_cite_writer_t *w, char **error)
{
	if (w->format == PQ_CITE_JSON &&
	    ((w->written == 0 && open_json(w) != 0) || pq_json_close_array(w->out) != 0))
		return write_failed(error);
	if (fflush(w->out) != 0 || ferror(w->out))
		return write_failed(error);
	return 0;
}

void pq_cite_writer_free(pq_cite_writer_t *w)
{
	free(w);
}
