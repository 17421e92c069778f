/* cite_format.c: citations written as text, Markdown or JSON, and the line ready to paste. */
#include "cite_format.h"
#include "partial.h"


#include "escape.h"
#include "label.h"
#include "printed.h"
#include "rows.h"
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
	case PQ_PASSAGE_ROW: return "row";
	}
	return "passage";
}

/* n (1 to 9999) in Chinese numerals, as laws number their 款 and 项: 二, 十二, 一百零五. */
static void han_numeral(int n, strbuf_t *sb)
{
	static const char *const digits[] = {"零", "一", "二", "三", "四",
					     "五", "六", "七", "八", "九"};
	static const char *const units[] = {"千", "百", "十", ""};
	static const int values[] = {1000, 100, 10, 1};
	if (n <= 0 || n > 9999) {
		strbuf_printf(sb, "%d", n);
		return;
	}
	bool started = false, zero = false;
	for (int k = 0; k < 4; k++) {
		int d = n / values[k] % 10;
		if (d == 0) {
			zero = started;
			continue;
		}
		if (zero)
			strbuf_append_str(sb, digits[0]);
		zero = false;
		if (!(d == 1 && k == 2 && !started)) /* 十二, not 一十二 */
			strbuf_append_str(sb, digits[d]);
		strbuf_append_str(sb, units[k]);
		started = true;
	}
}

/* The title: 《title》, or 〔title〕 for one the plan does not print (label.h). */
static void title_label(const ps_plan_t *plan, strbuf_t *sb)
{
	pq_label_title(plan, sb);
}

/* The title, then the section path; a passage of a law is cited by its article alone. */
static void line_head(const pq_citation_t *c, strbuf_t *sb)
{
	title_label(c->plan, sb);
	if (c->article != NULL)
		return;
	for (size_t i = 0; i < c->n_levels; i++) {
		if (i > 0)
			strbuf_append_str(sb, " ");
		pq_label_section_heading(c->levels[i], sb);
	}
	if (c->n_levels == 0)
		strbuf_append_str(sb, "开篇");
}

/* 第2句, or 第2句（第1分句） for a clause cut off its sentence at ；; in an article, the
 * sentence only where its 款 or item has several. */
static void sentence_place(const pq_citation_t *c, bool han, strbuf_t *sb)
{
	if (!han || c->n_sentences > 1) {
		strbuf_append_str(sb, "第");
		if (han)
			han_numeral(c->sentence, sb);
		else
			strbuf_printf(sb, "%d", c->sentence);
		strbuf_append_str(sb, "句");
	}
	if (c->n_parts > 1) {
		strbuf_append_str(sb, "（第");
		if (han)
			han_numeral(c->part, sb);
		else
			strbuf_printf(sb, "%d", c->part);
		strbuf_append_str(sb, "分句）");
	}
}

/* In a law: 第三条, 第三条第二款, 第三条第一款第二项第一目, then 第一句 where the 款 or item
 * has more than one sentence (第一款 is left out of an article of one 款). */
static void article_place(const pq_citation_t *c, strbuf_t *sb)
{
	strbuf_append_str(sb, c->article->number);
	if (c->kind == PQ_PASSAGE_SECTION || (c->kind == PQ_PASSAGE_CLAUSE && c->ordinal == 0))
		return;
	if (c->n_kuan > 1 && c->kuan > 0) {
		strbuf_append_str(sb, "第");
		han_numeral(c->kuan, sb);
		strbuf_append_str(sb, "款");
	}
	for (int i = 0; i < c->n_items; i++) {
		strbuf_append_str(sb, "第");
		han_numeral(c->items[i], sb);
		strbuf_append_str(sb, i == 0 ? "项" : "目");
	}
	if (c->kind == PQ_PASSAGE_CLAUSE && (c->n_sentences > 1 || c->n_parts > 1))
		sentence_place(c, true, sb);
}

/* Where in the section: ，第2句, ，标题, ，第1段, （全节）, or a law's 第X条第Y款…. */
/* text[0, len) with its quotation marks one level down: “ ” as ‘ ’, and ‘ ’ as “ ”. */
static void append_swapped(const char *text, size_t len, strbuf_t *sb)
{
	static const char *const swaps[][2] = {
		{"“", "‘"}, {"”", "’"}, {"‘", "“"}, {"’", "”"}};
	for (size_t i = 0; i < len;) {
		size_t k = 0;
		while (k < 4 && (len - i < 3 || strncmp(text + i, swaps[k][0], 3) != 0))
			k++;
		if (k < 4) {
			strbuf_append_str(sb, swaps[k][1]);
			i += 3;
		} else {
			strbuf_append(sb, text + i, 1);
			i++;
		}
	}
}

static void row_quote(const pq_citation_t *c, strbuf_t *sb);

static void line_place(const pq_citation_t *c, strbuf_t *sb)
{
	if (c->article != NULL) {
		article_place(c, sb);
		return;
	}
	switch (c->kind) {
	case PQ_PASSAGE_CLAUSE:
		if (c->ordinal == 0) {
			strbuf_append_str(sb, "，标题");
		} else {
			strbuf_append_str(sb, "，");
			sentence_place(c, false, sb);
		}
		break;
	case PQ_PASSAGE_PARAGRAPH: strbuf_printf(sb, "，第%d段", c->ordinal); break;
	case PQ_PASSAGE_SECTION:
		if (c->n_levels > 0)
			strbuf_append_str(sb, "（全节）");
		break;
	case PQ_PASSAGE_ROW: { /* ，“…主要指标”表 */
		const ps_table_cell_t *t = &c->table->title;
		strbuf_append_str(sb, "，“");
		append_swapped(c->text - c->start + t->start, t->end - t->start, sb);
		strbuf_append_str(sb, "”表");
		break;
	}
	}
}

/* A row as quoted: its label, then its other cells under their headers in brackets,
 * 学前三年毛入园率%（2020：90.4；2025：95）. */
static void row_quote(const pq_citation_t *c, strbuf_t *sb)
{
	const char *src = c->text - c->start;
	int order[SEG_TABLE_MAX_COLUMNS];
	size_t n = pq_row_order(c->table, order);
	for (size_t k = 0; k < n; k++) {
		const ps_table_cell_t *cell = &c->row->cells[order[k]];
		if (k > 0) {
			strbuf_append_str(sb, k == 1 ? "（" : "；");
			pq_row_header(src, c->table, (size_t)order[k], sb);
			strbuf_append_str(sb, "：");
		}
		strbuf_append(sb, src + cell->start, cell->end - cell->start);
	}
	if (n > 1)
		strbuf_append_str(sb, "）");
}

/* The passage as quoted inside “ ”: its quotation marks one level down (“ ” as ‘ ’, and
 * ‘ ’ as “ ”), and a line break the source put inside a sentence as ⏎. */
static void append_quote(const pq_citation_t *c, strbuf_t *sb)
{
	strbuf_t printed = STRBUF_INIT;
	if (c->kind == PQ_PASSAGE_ROW)
		row_quote(c, &printed);
	else
		pq_printed_append(&printed, c->text - c->start, c->plan->bytes, c->start, c->end);
	append_swapped(printed.data ? printed.data : "", printed.len, sb);
	strbuf_free(&printed);
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
		append_quote(c, &sb);
		strbuf_append_str(&sb, "”");
	}
	return strbuf_steal(&sb);
}

char *pq_citation_check_message(const pq_citation_t *c, bool chinese)
{
	if (c == NULL || c->status != PQ_CITE_FOUND)
		return NULL;
	strbuf_t sb = STRBUF_INIT;
	switch (c->check) {
	case PQ_CHECK_UNCHANGED:
		strbuf_printf(&sb, chinese ? "%s 自建索引以来未改动（SHA-256 %.12s…）"
					   : "%s is unchanged since it was indexed (SHA-256 %.12s…)",
			      c->file_path, c->sha256_now);
		break;
	case PQ_CHECK_CHANGED:
	case PQ_CHECK_MOVED:
		strbuf_printf(&sb, chinese ? "%s 自建索引以来已改动（SHA-256 现为 %.12s…，原为 %.12s…；"
					     "现 %zu 字节，原 %zu 字节）；"
					   : "%s has CHANGED since it was indexed (SHA-256 %.12s… now, "
					     "%.12s… then; %zu bytes now, %zu then); ",
			      c->file_path, c->sha256_now, c->plan->sha256, c->bytes_now,
			      c->plan->bytes);
		if (c->check == PQ_CHECK_MOVED)
			strbuf_printf(&sb, chinese ? "引文未变，但已移到第%d行，字节 %zu–%zu（原在字节 "
						     "%zu–%zu）"
						   : "the quote is unchanged but MOVED to line %d, bytes "
						     "%zu–%zu (it was at bytes %zu–%zu)",
				      c->moved_line, c->moved_start, c->moved_end, c->start, c->end);
		else if (c->text_matches)
			strbuf_printf(&sb, chinese ? "所引字节 %zu–%zu 仍然一致"
						   : "the cited bytes %zu–%zu still match",
				      c->start, c->end);
		else
			strbuf_printf(&sb, chinese ? "所引字节 %zu–%zu 已不一致，文件中也找不到这段引文"
						     "（此处为建索引时的原文）"
						   : "the cited bytes %zu–%zu no longer match and the "
						     "quote is nowhere in the file (the text here is the "
						     "one indexed)",
				      c->start, c->end);
		break;
	case PQ_CHECK_MISSING:
		strbuf_printf(&sb, chinese ? "未核对：%s；请用 --corpus DIR 指定语料目录"
					   : "NOT CHECKED: %s; give the corpus directory with --corpus DIR",
			      c->check_error ? c->check_error : c->file_path);
		break;
	}
	return strbuf_steal(&sb);
}

/* What the id names: 第3.8.1节第2分句, 第3.8.1节第1段（分句 … 至 …）, 第3.8.1节及其下各节. */
static void describe(const pq_citation_t *c, strbuf_t *sb)
{
	bool root = strcmp(c->section_path, "0") == 0;
	strbuf_t where = STRBUF_INIT;
	if (root)
		strbuf_append_str(&where, "开篇（首个标题之前）");
	else if (c->article != NULL)
		strbuf_append_str(&where, c->article->number);
	else
		strbuf_printf(&where, "第%s节", c->section_path);
	const char *w = where.data ? where.data : "";
	switch (c->kind) {
	case PQ_PASSAGE_CLAUSE:
		if (c->ordinal == 0)
			strbuf_printf(sb, "%s的标题", w);
		else
			strbuf_printf(sb, "%s第%d分句", w, c->ordinal);
		break;
	case PQ_PASSAGE_PARAGRAPH: strbuf_printf(sb, "%s第%d段", w, c->ordinal); break;
	case PQ_PASSAGE_SECTION:
		strbuf_printf(sb, root || c->article ? "%s" : "%s及其下各节", w);
		break;
	case PQ_PASSAGE_ROW:
		strbuf_printf(sb, "%s指标表%d第%d行", w, c->table->ordinal, c->ordinal);
		break;
	}
	if (c->first_clause != NULL)
		strbuf_printf(sb, "，分句 %s 至 %s", c->first_clause, c->last_clause);
	strbuf_free(&where);
}

/* "dalian.txt 第257行，字节 41200–41530" */
static void source_place(const pq_citation_t *c, strbuf_t *sb)
{
	if (c->end_line > c->line)
		strbuf_printf(sb, "%s 第%d–%d行", c->plan->file, c->line, c->end_line);
	else
		strbuf_printf(sb, "%s 第%d行", c->plan->file, c->line);
	strbuf_printf(sb, "，字节 %zu–%zu", c->start, c->end);
}

static const char *plan_date(const ps_plan_t *plan)
{
	return plan->date ? plan->date : "未注明日期";
}

/* The text of a context clause, from the plan's bytes the citation points into. */
static const char *clause_text(const pq_citation_t *c, const pq_cite_clause_t *k)
{
	return c->text - c->start + k->start;
}

/* ---- Text ---- */

/* Bytes [start, end) of the plan's source as shown: a break inside a sentence as ⏎. */
static void printed(const pq_citation_t *c, size_t start, size_t end, strbuf_t *sb)
{
	sb->len = 0;
	pq_printed_append(sb, c->text - c->start, c->plan->bytes, start, end);
	strbuf_append(sb, "", 0);
}

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

/* The text format: the line to paste, then what it rests on, labelled in Chinese. */
static void write_text(FILE *out, const pq_citation_t *c, bool first)
{
	strbuf_t sb = STRBUF_INIT;
	char *line = pq_citation_line(c), *check = pq_citation_check_message(c, true);
	if (!first)
		fputc('\n', out);
	fprintf(out, "%s\n", line ? line : "");
	describe(c, &sb);
	fprintf(out, "  编号  %s（%s）\n", c->id, sb.data ? sb.data : "");
	sb.len = 0;
	title_label(c->plan, &sb);
	fprintf(out, "  文件  %s%s\n", sb.data ? sb.data : "",
		c->plan->title_supplied ? "（题名为编目者所拟，原件未印题名）" : "");
	fprintf(out, "  城市  %s · %s · %s\n", c->plan->city, c->plan->province,
		plan_date(c->plan));
	sb.len = 0;
	source_place(c, &sb);
	fprintf(out, "  出处  %s\n", sb.data ? sb.data : "");
	fprintf(out, "  核对  %s\n", check ? check : "");
	if (c->kind == PQ_PASSAGE_ROW) { /* the table, its headers, and the row under them */
		const char *src = c->text - c->start;
		const ps_table_cell_t *t = &c->table->title;
		sb.len = 0;
		strbuf_append(&sb, src + t->start, t->end - t->start);
		fputs("  表格  ", out);
		util_fput_escaped(out, sb.data ? sb.data : "", sb.len);
		fprintf(out, "（第%d–%d行）\n", c->table->line, c->table->end_line);
		sb.len = 0;
		for (size_t k = 0; k < c->table->n_columns; k++) {
			if (k > 0)
				strbuf_append_str(&sb, " · ");
			const ps_table_cell_t *h = &c->table->columns[k].header;
			if (h->end > h->start)
				strbuf_append(&sb, src + h->start, h->end - h->start);
			else
				strbuf_append_str(&sb, "（指标）");
		}
		fputs("  表头  ", out);
		util_fput_escaped(out, sb.data ? sb.data : "", sb.len);
		sb.len = 0;
		pq_row_line(src, c->table, c->row, &sb);
		fputs("\n  本行  ", out);
		util_fput_escaped(out, sb.data ? sb.data : "", sb.len);
		fputc('\n', out);
	}
	if (c->kind == PQ_PASSAGE_SECTION) {
		fputs("  正文\n", out);
		printed(c, c->start, c->end, &sb);
		write_indented(out, "    ", sb.data ? sb.data : "", sb.len);
	}
	if (c->n_before + c->n_after > 0) {
		fputs("  上下文\n", out);
		for (size_t i = 0; i < c->n_before + c->n_after + 1; i++) {
			if (i == c->n_before) {
				fprintf(out, "  > %s  （本段引文）\n", c->id);
				continue;
			}
			const pq_cite_clause_t *k =
				i < c->n_before ? &c->before[i] : &c->after[i - c->n_before - 1];
			printed(c, k->start, k->end, &sb);
			fprintf(out, "    %s  %s\n", k->id, sb.data ? sb.data : "");
		}
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
	char *check = pq_citation_check_message(c, true);
	if (!first)
		fputs("\n---\n\n", out);
	if (c->kind == PQ_PASSAGE_ROW) { /* the row under its headers, not its scattered cells */
		row_quote(c, &head);
		pq_markdown_escape(head.data ? head.data : "", head.len, &sb);
		head.len = 0;
	} else {
		pq_markdown_escape(c->text, c->end - c->start, &sb);
	}
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
		fprintf(out, "\n**注意：** %s\n", sb.data ? sb.data : "");
	}
	if (c->n_before + c->n_after > 0) {
		fputs("\n上下文：\n\n", out);
		for (size_t i = 0; i < c->n_before + c->n_after + 1; i++) {
			if (i == c->n_before) {
				fprintf(out, "- **`%s`**（本段引文）\n", c->id);
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
	static const char *const names[] = {"unchanged", "changed", "moved", "missing"};
	json_object *o = json_object_new_object();
	char *message = pq_citation_check_message(c, false);
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
	if (c->check == PQ_CHECK_MOVED) {
		json_object *m = json_object_new_object();
		json_object_object_add(m, "line", json_object_new_int(c->moved_line));
		json_object_object_add(m, "start", size_json(c->moved_start));
		json_object_object_add(m, "end", size_json(c->moved_end));
		json_object_object_add(o, "moved_to", m);
	}
	json_object_object_add(o, "message", json_object_new_string(message ? message : ""));
	free(message);
	return o;
}

/* A row's table and the row: {"title","number","line","end_line","headers":[…],
 * "indicator","unit","attribute","values":{header: value as printed},"cells":[…]}. */
static json_object *row_table_json(const pq_citation_t *c)
{
	const char *src = c->text - c->start;
	const ps_table_t *t = c->table;
	const ps_table_row_t *r = c->row;
	json_object *o = json_object_new_object(), *headers = json_object_new_array();
	json_object *values = json_object_new_object(), *cells = json_object_new_array();
	strbuf_t sb = STRBUF_INIT;
	json_object_object_add(o, "title", string_n(src + t->title.start,
						     t->title.end - t->title.start));
	json_object_object_add(o, "number", json_object_new_int(t->ordinal));
	json_object_object_add(o, "line", json_object_new_int(t->line));
	json_object_object_add(o, "end_line", json_object_new_int(t->end_line));
	for (size_t k = 0; k < t->n_columns; k++) {
		sb.len = 0;
		pq_row_header(src, t, k, &sb);
		json_object_array_add(headers, string_n(sb.data ? sb.data : "", sb.len));
	}
	json_object_object_add(o, "headers", headers);
	size_t name_len;
	const char *name = pq_row_name(src, t, r, &name_len);
	json_object_object_add(o, "indicator", string_n(name, name_len));
	json_object_object_add(o, "unit", json_object_new_string(r->unit));
	json_object_object_add(o, "attribute",
			       json_object_new_string(seg_attribute_name(r->attribute)));
	for (size_t k = 0; k < t->n_columns; k++) {
		const ps_table_cell_t *cell = &r->cells[k];
		json_object *e = json_object_new_object();
		sb.len = 0;
		pq_row_header(src, t, k, &sb);
		json_object_object_add(e, "header", string_n(sb.data ? sb.data : "", sb.len));
		json_object_object_add(e, "role", json_object_new_string(
			seg_column_role_name(t->columns[k].role)));
		json_object_object_add(e, "value", string_n(src + cell->start,
							     cell->end - cell->start));
		if (cell->has_number) {
			json_object_object_add(e, "number", pq_json_number(cell->number));
			json_object_object_add(e, "comparator",
					       json_object_new_string(seg_cmp_symbol(cell->cmp)));
		}
		json_object_object_add(e, "line", json_object_new_int(cell->line));
		json_object_array_add(cells, e);
		if (t->columns[k].role == SEG_COLUMN_VALUE)
			json_object_object_add(values, sb.data ? sb.data : "",
					       string_n(src + cell->start, cell->end - cell->start));
	}
	json_object_object_add(o, "values", values);
	json_object_object_add(o, "cells", cells);
	strbuf_free(&sb);
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
	strbuf_printf(&doc, c->plan->title_supplied ? "〔%s〕" : "%s", c->plan->title);
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
		if (c->ordinal > 0) {
			json_object_object_add(o, "sentence", json_object_new_int(c->sentence));
			json_object_object_add(o, "sentence_part", json_object_new_int(c->part));
			json_object_object_add(o, "sentence_parts", json_object_new_int(c->n_parts));
		}
	} else if (c->kind == PQ_PASSAGE_PARAGRAPH) {
		json_object_object_add(o, "paragraph", json_object_new_int(c->ordinal));
	} else if (c->kind == PQ_PASSAGE_ROW) {
		json_object_object_add(o, "row", json_object_new_int(c->ordinal));
		json_object_object_add(o, "table", row_table_json(c));
	}
	if (c->article != NULL) { /* 第X条, its 款 and the items (项, 目) the passage is in */
		json_object_object_add(o, "article", json_object_new_string(c->article->number));
		json_object_object_add(o, "article_paragraph",
				       c->kuan > 0 ? json_object_new_int(c->kuan) : NULL);
		json_object_object_add(o, "article_paragraphs", json_object_new_int(c->n_kuan));
		v = json_object_new_array();
		for (int i = 0; i < c->n_items; i++)
			json_object_array_add(v, json_object_new_int(c->items[i]));
		json_object_object_add(o, "items", v);
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
	const ps_store_t *index; /* its shards left out mark JSON partial; may be NULL */
};

ps_status_t pq_cite_writer_new(FILE *out, pq_cite_format_t format, const ps_store_t *index,
			       pq_cite_writer_t **w, char **error)
{
	pq_cite_writer_t *n = calloc(1, sizeof *n);
	if (n == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_IO;
	}
	n->out = out;
	n->format = format;
	n->index = index;
	*w = n;
	return PS_OK;
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
	int rc = head && pq_json_note_partial(head, w->index) == 0
			 ? pq_json_open_array(w->out, head, "citations")
			 : -1;
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

ps_status_t pq_cite_writer_add(pq_cite_writer_t *w, const pq_citation_t *c, char **error)
{
	if (w->format == PQ_CITE_JSON)
		return add_json(w, c, error) == 0 ? PS_OK : PS_ERR_IO;
	if (c->status != PQ_CITE_FOUND)
		return PS_OK;
	/* text and Markdown are for terminals: written whole into memory, then out with every
	 * control or bidirectional formatting character of the plan's shown, not obeyed */
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (m == NULL) {
		strbuf_printf_new(error, "out of memory");
		return PS_ERR_IO;
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
		return PS_ERR_IO;
	}
	errno = 0;
	bad = util_fput_escaped(w->out, buf, len) != 0 || ferror(w->out);
	free(buf);
	if (bad) {
		write_failed(error);
		return PS_ERR_IO;
	}
	return PS_OK;
}

ps_status_t pq_cite_writer_finish(pq_cite_writer_t *w, char **error)
{
	if ((w->format == PQ_CITE_JSON &&
	     ((w->written == 0 && open_json(w) != 0) || pq_json_close_array(w->out) != 0)) ||
	    fflush(w->out) != 0 || ferror(w->out)) {
		write_failed(error);
		return PS_ERR_IO;
	}
	return PS_OK;
}

void pq_cite_writer_free(pq_cite_writer_t *w)
{
	free(w);
}
