/* fuzz_document.c: libFuzzer target for the plan parser (seg_document_parse) and its invariants. */
#include "clauses.h"
#include "document.h"
#include "normalize.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                            \
	do {                                                                                   \
		if (!(cond))                                                                   \
			__builtin_trap();                                                      \
	} while (0)

/* Inputs the indexer would refuse before parsing (NUL bytes, invalid UTF-8) are rejected
 * here too; the first byte picks where the body starts, as body_lines would. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	if (memchr(text, '\0', len) != NULL)
		return -1;
	for (size_t i = 0; i < len;)
		if (utf8_next(text, &i, len) < 0)
			return -1;
	size_t body_start = 0;
	for (unsigned skip = data[0] % 4; skip > 0 && body_start < len; skip--) {
		const char *nl = memchr(text + body_start, '\n', len - body_start);
		body_start = nl ? (size_t)(nl - text) + 1 : len;
	}

	seg_document_t *doc = NULL;
	char *error = NULL;
	if (seg_document_parse(text, len, body_start, len, &doc, &error) != 0) {
		CHECK(error != NULL); /* only out of memory can fail */
		free(error);
		return 0;
	}
	CHECK(doc->n_sections >= 1 && doc->sections[0].parent == -1);
	for (size_t s = 1; s < doc->n_sections; s++) {
		const seg_section_t *sec = &doc->sections[s];
		CHECK(sec->parent >= 0 && (size_t)sec->parent < s);
		CHECK(sec->depth == doc->sections[sec->parent].depth + 1);
		CHECK(sec->heading_start < sec->heading_end && sec->heading_end <= len);
		CHECK(sec->heading_start >= body_start);
		CHECK(sec->heading_end - sec->heading_start <= SEG_MAX_HEADING_BYTES);
		CHECK(sec->path != NULL && sec->label != NULL && sec->title != NULL);
		for (size_t t = 0; t < s; t++) /* paths name sections uniquely */
			CHECK(strcmp(doc->sections[t].path, sec->path) != 0);
	}
	for (size_t i = 0; i < doc->n_paragraphs; i++) {
		const seg_paragraph_t *p = &doc->paragraphs[i];
		CHECK(p->line <= p->end_line && p->start < p->end && p->end <= len);
		CHECK((p->item_level == 0) == (p->item_number == 0) || p->item_level > 0);
		CHECK(i == 0 || p->start >= doc->paragraphs[i - 1].end);
	}
	for (size_t w = 0; w < doc->n_warnings; w++)
		CHECK(doc->warnings[w].message != NULL &&
		      (w == 0 || doc->warnings[w].line >= doc->warnings[w - 1].line));
	size_t prev_end = body_start;
	for (size_t c = 0; c < doc->n_clauses; c++) {
		const seg_clause_t *cl = &doc->clauses[c];
		CHECK(cl->start >= prev_end && cl->start < cl->end && cl->end <= len);
		CHECK(cl->section >= 0 && (size_t)cl->section < doc->n_sections);
		CHECK(cl->paragraph < 0 || (size_t)cl->paragraph < doc->n_paragraphs);
		CHECK(cl->paragraph >= 0 || cl->ordinal == 0);
		if (cl->paragraph >= 0) {
			const seg_paragraph_t *p = &doc->paragraphs[cl->paragraph];
			CHECK(cl->start >= p->start && cl->end <= p->end);
			CHECK(cl->end - cl->start <= SEG_MAX_CLAUSE_BYTES);
		}
		/* both ends on character boundaries */
		CHECK(((uint8_t)text[cl->start] & 0xC0) != 0x80);
		CHECK(cl->end == len || ((uint8_t)text[cl->end] & 0xC0) != 0x80);
		CHECK((cl->ordinal == 0) == (cl->sentence == 0) && (cl->sentence == 0) == (cl->part == 0));
		char ref[600];
		CHECK(seg_clause_ref(doc, cl, ref, sizeof ref) > 0);
		/* the parser and the normaliser agree on every line break: one the parser kept
		 * inside a paragraph is one the normal form drops */
		if (cl->paragraph >= 0) {
			seg_norm_t norm;
			if (seg_normalize_in(text, len, cl->start, cl->end, false, &norm, &error) == 0) {
				CHECK(memchr(norm.text, '\n', norm.len) == NULL);
				seg_norm_clear(&norm);
			} else {
				free(error);
				error = NULL;
			}
		}
		prev_end = cl->end;
	}
	seg_document_free(doc);
	return 0;
}
