/* test_table.c: seg_tables_find on the bundled plans' three indicator tables, row by row, on tables in other layouts, on text that only looks like a table, and its invariants over every plan. */
#include "test.h"

#include "file.h"
#include "tables.h"
#include "utf8.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A cell that reads as no number. */
#define NONE NAN

/*
 * What a table must be, written out from the files by hand. Every cell is its printed text,
 * its line, and what it reads as: a number and comparator (value cells), NONE elsewhere.
 * Cells are in column order; a row's name is its label without the unit marker that ends it.
 */
typedef struct want_cell {
	const char *text;
	int line;
	double number; /* NONE: has_number must be false */
	seg_cmp_t cmp;
} want_cell_t;

#define MAX_WANT_COLUMNS 6

typedef struct want_row {
	want_cell_t cells[MAX_WANT_COLUMNS];
	const char *name;
	const char *unit;
	seg_unit_source_t unit_from;
	int serial;
	seg_attribute_t attribute;
} want_row_t;

typedef struct want_column {
	seg_column_role_t role;
	const char *header; /* NULL: not printed */
	int line;
	int year;
} want_column_t;

typedef struct want_table {
	const char *title;
	int line, end_line;
	bool row_per_line;
	want_column_t columns[MAX_WANT_COLUMNS];
	size_t n_columns;
	const want_row_t *rows;
	size_t n_rows;
} want_table_t;

/* A cell with no number, a plain number, and a number with a comparator. */
#define TEXT(s, l) {s, l, NONE, SEG_CMP_NONE}
#define NUM(s, l, n) {s, l, n, SEG_CMP_NONE}
#define CMP(s, l, c, n) {s, l, n, c}

static void check_invariants(const char *file, const char *text, size_t len,
			     const seg_tables_t *t);

/* ---- reading files ----------------------------------------------------------------------- */

/* tests/documents-tables, next to the DOCUMENTS_DIR meson test sets. */
static const char *tables_dir(void)
{
	static char dir[1100];
	snprintf(dir, sizeof dir, "%s/../documents-tables", test_env("DOCUMENTS_DIR"));
	return dir;
}

/* The file dir/name, in a buffer of exactly its length (no NUL after it: nothing may read
 * past the end). */
static char *load(const char *dir, const char *name, size_t *len)
{
	char path[1200], *data = NULL, *error = NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (util_read_file(path, "a plan", 64u << 20, true, &data, len, &error) != 0)
		fail_msg("%s", error);
	char *exact = malloc(*len ? *len : 1);
	assert_non_null(exact);
	memcpy(exact, data, *len);
	free(data);
	return exact;
}

static seg_tables_t *find_all(const char *text, size_t len)
{
	seg_tables_t *t = NULL;
	char *error = NULL;
	if (seg_tables_find(text, len, 0, len, &t, &error) != 0)
		fail_msg("seg_tables_find: %s", error);
	assert_non_null(t);
	return t;
}

/* [*start,*end) of line `line` (1-based) of text, without its newline, counted here
 * independently of the code under test. */
static void line_bounds(const char *text, size_t len, int line, size_t *start, size_t *end)
{
	size_t i = 0;
	for (int n = 1; n < line; n++) {
		const char *nl = memchr(text + i, '\n', len - i);
		if (nl == NULL)
			fail_msg("the text has no line %d", line);
		i = (size_t)(nl - text) + 1;
	}
	const char *nl = memchr(text + i, '\n', len - i);
	*start = i;
	*end = nl ? (size_t)(nl - text) : len;
}

/* The cell's bytes are `want` exactly, and lie on line `line` of the file. */
static void check_cell_at(const char *text, size_t len, const seg_table_cell_t *c,
			  const char *want, int line, const char *where)
{
	size_t ls, le;
	if (c->line != line)
		fail_msg("%s: line %d, expected %d (\"%s\")", where, c->line, line, want);
	line_bounds(text, len, line, &ls, &le);
	if (c->start < ls || c->end > le || c->start > c->end)
		fail_msg("%s: bytes [%zu,%zu) are not on line %d [%zu,%zu)", where, c->start, c->end,
			 line, ls, le);
	if (c->end - c->start != strlen(want) || memcmp(text + c->start, want, strlen(want)) != 0)
		fail_msg("%s: \"%.*s\", expected \"%s\"", where, (int)(c->end - c->start),
			 text + c->start, want);
}

static void check_reading(const seg_table_cell_t *c, const want_cell_t *w, const char *where)
{
	if (isnan(w->number)) {
		if (c->has_number)
			fail_msg("%s: \"%s\" read as %g, expected no number", where, w->text, c->number);
		assert_int_equal(c->cmp, SEG_CMP_NONE);
		return;
	}
	if (!c->has_number)
		fail_msg("%s: \"%s\" has no number, expected %g", where, w->text, w->number);
	if (fabs(c->number - w->number) > 1e-9)
		fail_msg("%s: \"%s\" read as %g, expected %g", where, w->text, c->number, w->number);
	if (c->cmp != w->cmp)
		fail_msg("%s: \"%s\" compares as \"%s\", expected \"%s\"", where, w->text,
			 seg_cmp_symbol(c->cmp), seg_cmp_symbol(w->cmp));
}

/* The table is read and is `w`, cell by cell. */
static void check_table(const char *file, const char *text, size_t len, const seg_table_t *t,
			const want_table_t *w)
{
	char where[200];

	snprintf(where, sizeof where, "%s: title", file);
	assert_true(t->read);
	check_cell_at(text, len, &t->title, w->title, w->line, where);
	assert_int_equal(t->line, w->line);
	assert_int_equal(t->end_line, w->end_line);
	assert_int_equal(t->row_per_line, w->row_per_line);
	assert_int_equal(t->start, t->title.start);

	assert_int_equal(t->n_columns, w->n_columns);
	for (size_t c = 0; c < w->n_columns; c++) {
		const seg_table_column_t *col = &t->columns[c];
		const want_column_t *wc = &w->columns[c];
		snprintf(where, sizeof where, "%s: column %zu", file, c + 1);
		if (col->role != wc->role)
			fail_msg("%s: a %s column, expected %s", where, seg_column_role_name(col->role),
				 seg_column_role_name(wc->role));
		if (wc->header == NULL) {
			assert_int_equal(col->header.line, 0);
			assert_int_equal(col->header.start, 0);
			assert_int_equal(col->header.end, 0);
		} else {
			check_cell_at(text, len, &col->header, wc->header, wc->line, where);
		}
		assert_int_equal(col->year, wc->year);
		int *slot = wc->role == SEG_COLUMN_LABEL       ? (int *)&t->label_column
			    : wc->role == SEG_COLUMN_SERIAL    ? (int *)&t->serial_column
			    : wc->role == SEG_COLUMN_ATTRIBUTE ? (int *)&t->attribute_column
			    : wc->role == SEG_COLUMN_UNIT      ? (int *)&t->unit_column
							       : NULL;
		if (slot != NULL)
			assert_int_equal(*slot, (int)c);
	}

	if (t->n_rows != w->n_rows)
		fail_msg("%s: %zu rows, expected %zu", file, t->n_rows, w->n_rows);
	for (size_t r = 0; r < w->n_rows; r++) {
		const seg_table_row_t *row = &t->rows[r];
		const want_row_t *wr = &w->rows[r];
		for (size_t c = 0; c < w->n_columns; c++) {
			snprintf(where, sizeof where, "%s: row %zu (%s), column %zu", file, r + 1,
				 wr->name, c + 1);
			check_cell_at(text, len, &row->cells[c], wr->cells[c].text, wr->cells[c].line,
				      where);
			check_reading(&row->cells[c], &wr->cells[c], where);
		}
		snprintf(where, sizeof where, "%s: row %zu", file, r + 1);
		const seg_table_cell_t *label = &row->cells[t->label_column];
		assert_bytes_equal(text, label->start, row->name_end, wr->name);
		if (strcmp(row->unit, wr->unit) != 0 || row->unit_from != wr->unit_from)
			fail_msg("%s (%s): unit \"%s\" from %d, expected \"%s\" from %d", where,
				 wr->name, row->unit, row->unit_from, wr->unit, wr->unit_from);
		assert_int_equal(row->serial, wr->serial);
		assert_int_equal(row->attribute, wr->attribute);
		assert_int_equal(row->line, wr->cells[0].line);
		assert_int_equal(row->end_line, wr->cells[w->n_columns - 1].line);
	}
	const seg_table_row_t *last = &t->rows[t->n_rows - 1];
	assert_int_equal(t->end, last->cells[t->n_columns - 1].end);
}

/* ---- the bundled plans' tables ------------------------------------------------------------ */

/* 丹东 lines 14–50: the 十三五's results. A cell per line, each indented by a tab, a blank line
 * between rows. The labels print the target (达到85%); the value is what was achieved. */
static const want_row_t dandong_results[] = {
	{{TEXT("1", 20), TEXT("学前三年毛入园率达到85%", 21), NUM("95%", 22, 95)},
	 "学前三年毛入园率达到85%", "%", SEG_UNIT_VALUE, 1, SEG_ATTRIBUTE_NONE},
	{{TEXT("2", 24), TEXT("义务教育巩固率达到97.5%", 25), NUM("99%", 26, 99)},
	 "义务教育巩固率达到97.5%", "%", SEG_UNIT_VALUE, 2, SEG_ATTRIBUTE_NONE},
	{{TEXT("3", 28), TEXT("普通高中学业水平考试合格率达95%", 29), NUM("97%", 30, 97)},
	 "普通高中学业水平考试合格率达95%", "%", SEG_UNIT_VALUE, 3, SEG_ATTRIBUTE_NONE},
	{{TEXT("4", 32), TEXT("高中阶段职普比大体相当", 33), TEXT("3.7:6.3", 34)},
	 "高中阶段职普比大体相当", "", SEG_UNIT_NONE, 4, SEG_ATTRIBUTE_NONE},
	{{TEXT("5", 36), TEXT("普惠性幼儿园学位覆盖率达到80%", 37), NUM("86.6%", 38, 86.6)},
	 "普惠性幼儿园学位覆盖率达到80%", "%", SEG_UNIT_VALUE, 5, SEG_ATTRIBUTE_NONE},
	{{TEXT("6", 40), TEXT("义务教育学校标准化率要达到100%", 41), NUM("100%", 42, 100)},
	 "义务教育学校标准化率要达到100%", "%", SEG_UNIT_VALUE, 6, SEG_ATTRIBUTE_NONE},
	{{TEXT("7", 44), TEXT("50%的普通高中成为特色高中", 45), NUM("50%", 46, 50)},
	 "50%的普通高中成为特色高中", "%", SEG_UNIT_VALUE, 7, SEG_ATTRIBUTE_NONE},
	{{TEXT("8", 48), TEXT("创建2-3所国家和省级中等职业教育改革示范校", 49), NUM("3", 50, 3)},
	 "创建2-3所国家和省级中等职业教育改革示范校", "所", SEG_UNIT_LABEL_NUMBER, 8,
	 SEG_ATTRIBUTE_NONE},
};

static const want_table_t dandong_results_table = {
	"“十三五”教育事业发展主要指标完成情况", 14, 50, false,
	{{SEG_COLUMN_SERIAL, "序号", 16, 0},
	 {SEG_COLUMN_LABEL, "指标名称", 17, 0},
	 {SEG_COLUMN_VALUE, "完成情况", 18, 0}},
	3, dandong_results, N_ITEMS(dandong_results),
};

/* 丹东 lines 103–136: the 十四五's targets for 2025, the same layout without 序号. Line 124
 * prints "90%" and an ideographic space. */
static const want_row_t dandong_targets[] = {
	{{TEXT("学前教育毛入园率", 108), NUM("95%", 109, 95)},
	 "学前教育毛入园率", "%", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("公办幼儿园在园幼儿数占比", 111), CMP("50%以上", 112, SEG_CMP_GE, 50)},
	 "公办幼儿园在园幼儿数占比", "%", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("学前教育普惠率", 114), CMP("80%以上", 115, SEG_CMP_GE, 80)},
	 "学前教育普惠率", "%", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("域内义务教育优质均衡县（市）区数量", 117), NUM("3个", 118, 3)},
	 "域内义务教育优质均衡县（市）区数量", "个", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("九年义务教育巩固率", 120), NUM("99%", 121, 99)},
	 "九年义务教育巩固率", "%", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("义务教育专任教师中本科以上学历比例", 123), NUM("90%", 124, 90)},
	 "义务教育专任教师中本科以上学历比例", "%", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("优质特色普通高中在校生占比", 126), CMP("65%以上", 127, SEG_CMP_GE, 65)},
	 "优质特色普通高中在校生占比", "%", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("省级示范高中数量", 129), NUM("10所", 130, 10)},
	 "省级示范高中数量", "所", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("建设省级以上中等职业教育优秀学校", 132), NUM("2个", 133, 2)},
	 "建设省级以上中等职业教育优秀学校", "个", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("建设省级以上中等职业教育优质专业", 135), NUM("10个", 136, 10)},
	 "建设省级以上中等职业教育优质专业", "个", SEG_UNIT_VALUE, 0, SEG_ATTRIBUTE_NONE},
};

static const want_table_t dandong_targets_table = {
	"“十四五”时期教育事业主要发展指标", 103, 136, false,
	{{SEG_COLUMN_LABEL, "指标", 105, 0},
	 {SEG_COLUMN_VALUE, "2025年", 106, 2025}},
	2, dandong_targets, N_ITEMS(dandong_targets),
};

/* 大连 lines 72–138: a blank line between every cell (line 74, a lone NBSP, is one too); the
 * header prints only 2020 and 2025, so the label column has no header. Units end the labels. */
static const want_row_t dalian_targets[] = {
	{{TEXT("学前三年毛入园率%", 80), NUM("90.4", 82, 90.4), NUM("95", 84, 95)},
	 "学前三年毛入园率", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("公办幼儿园在园幼儿比率%", 86), NUM("48.2", 88, 48.2), NUM("55", 90, 55)},
	 "公办幼儿园在园幼儿比率", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("九年义务教育巩固率%", 92), NUM("99.1", 94, 99.1), TEXT("保持高水平", 96)},
	 "九年义务教育巩固率", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("残疾儿童义务教育阶段入学率%", 98), NUM("99", 100, 99), TEXT("保持高水平", 102)},
	 "残疾儿童义务教育阶段入学率", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("高中阶段毛入学率%", 104), NUM("100", 106, 100), NUM("100", 108, 100)},
	 "高中阶段毛入学率", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("中小学生体质健康标准达标优良率%", 110), NUM("31.2", 112, 31.2), NUM("50", 114, 50)},
	 "中小学生体质健康标准达标优良率", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("学前教育教师接受专业教育比例%", 116), NUM("79", 118, 79), NUM("85", 120, 85)},
	 "学前教育教师接受专业教育比例", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("义务教育专任教师中本科以上学历比例%", 122), NUM("88.9", 124, 88.9),
	  NUM("95", 126, 95)},
	 "义务教育专任教师中本科以上学历比例", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("职业教育双师型教师比例%", 128), NUM("65.8", 130, 65.8), NUM("80", 132, 80)},
	 "职业教育双师型教师比例", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	/* the source prints empty brackets where the unit was: no unit, and a warning */
	{{TEXT("新增劳动力平均受教育年限()", 134), NUM("15.4", 136, 15.4), NUM("15.6", 138, 15.6)},
	 "新增劳动力平均受教育年限", "", SEG_UNIT_NONE, 0, SEG_ATTRIBUTE_NONE},
};

static const want_table_t dalian_targets_table = {
	"大连教育事业发展主要指标", 72, 138, false,
	{{SEG_COLUMN_LABEL, NULL, 0, 0},
	 {SEG_COLUMN_VALUE, "2020", 76, 2020},
	 {SEG_COLUMN_VALUE, "2025", 78, 2025}},
	3, dalian_targets, N_ITEMS(dalian_targets),
};

static void test_dandong_results_table_reads_every_row_with_its_serial_label_and_result(void **state)
{
	(void)state;
	size_t len;
	char *text = load(test_env("CORPUS_DIR"), "dandong.txt", &len);
	seg_tables_t *t = find_all(text, len);
	assert_true(t->n_tables >= 1);
	check_table("dandong.txt", text, len, &t->tables[0], &dandong_results_table);
	seg_tables_free(t);
	free(text);
}

static void test_dandong_targets_table_reads_every_row_with_its_2025_value(void **state)
{
	(void)state;
	size_t len;
	char *text = load(test_env("CORPUS_DIR"), "dandong.txt", &len);
	seg_tables_t *t = find_all(text, len);
	assert_int_equal(t->n_tables, 2);
	check_table("dandong.txt", text, len, &t->tables[1], &dandong_targets_table);
	assert_int_equal(t->n_warnings, 0);
	seg_tables_free(t);
	free(text);
}

static void test_dalian_table_reads_every_row_under_2020_and_2025_with_an_unnamed_label_column(
	void **state)
{
	(void)state;
	size_t len;
	char *text = load(test_env("CORPUS_DIR"), "dalian.txt", &len);
	seg_tables_t *t = find_all(text, len);
	assert_int_equal(t->n_tables, 1);
	check_table("dalian.txt", text, len, &t->tables[0], &dalian_targets_table);
	seg_tables_free(t);
	free(text);
}

static void test_dalian_label_ending_in_empty_brackets_gets_no_unit_and_a_warning(void **state)
{
	(void)state;
	size_t len;
	char *text = load(test_env("CORPUS_DIR"), "dalian.txt", &len);
	seg_tables_t *t = find_all(text, len);
	assert_int_equal(t->n_warnings, 1);
	assert_int_equal(t->warnings[0].line, 134);
	assert_int_equal(t->warnings[0].end_line, 134);
	assert_contains(t->warnings[0].message, "新增劳动力平均受教育年限()");
	assert_contains(t->warnings[0].message, "大连教育事业发展主要指标");
	assert_true(t->tables[0].read); /* a warning, not a refusal */
	seg_tables_free(t);
	free(text);
}

static void test_bundled_plans_hold_exactly_the_three_tables_and_no_other(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		size_t tables;
	} plans[] = {{"dandong.txt", 2}, {"fuxin.txt", 0}, {"anshan.txt", 0},
		     {"dalian.txt", 1},  {"tonghua.txt", 0}};
	for (size_t i = 0; i < N_ITEMS(plans); i++) {
		size_t len;
		char *text = load(test_env("CORPUS_DIR"), plans[i].file, &len);
		seg_tables_t *t = find_all(text, len);
		if (t->n_tables != plans[i].tables)
			fail_msg("%s: %zu tables, expected %zu", plans[i].file, t->n_tables,
				 plans[i].tables);
		for (size_t k = 0; k < t->n_tables; k++)
			assert_true(t->tables[k].read);
		seg_tables_free(t);
		free(text);
	}
}

/* Take any one cell out of a bundled table, the line with it or only its text (an empty cell
 * printed as an empty line): the table is never read with the rest moved up or left, it is
 * refused with a warning from its caption's line. */
static void test_a_bundled_table_missing_any_one_cell_is_refused_not_guessed(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const want_table_t *table;
	} tables[] = {{"dandong.txt", &dandong_results_table},
		      {"dandong.txt", &dandong_targets_table},
		      {"dalian.txt", &dalian_targets_table}};
	for (size_t i = 0; i < N_ITEMS(tables); i++) {
		const want_table_t *w = tables[i].table;
		size_t len;
		char *text = load(test_env("CORPUS_DIR"), tables[i].file, &len);
		char *cut = malloc(len);
		assert_non_null(cut);
		for (int line = w->rows[0].cells[0].line; line <= w->end_line; line++) {
			size_t ls, le, ts, te;
			line_bounds(text, len, line, &ls, &le);
			ts = ls, te = le;
			utf8_trim(text, &ts, &te);
			if (ts == te)
				continue; /* a blank line, not a cell */
			for (int whole = 0; whole <= 1; whole++) {
				/* whole: the line and its newline; else the line's text only */
				size_t from = ls, to = whole ? le + 1 : le;
				memcpy(cut, text, from);
				memcpy(cut + from, text + to, len - to);
				seg_tables_t *t = find_all(cut, len - (to - from));
				const seg_table_t *found = NULL;
				for (size_t k = 0; k < t->n_tables; k++)
					if (t->tables[k].line == w->line)
						found = &t->tables[k];
				if (found == NULL || found->read)
					fail_msg("%s without %s line %d (%.*s): the table on line %d is %s",
						 tables[i].file, whole ? "its" : "the text of",
						 line, (int)(te - ts), text + ts, w->line,
						 found ? "read" : "not found");
				bool warned = false;
				for (size_t k = 0; k < t->n_warnings; k++)
					warned = warned || t->warnings[k].line == w->line;
				assert_true(warned);
				check_invariants(tables[i].file, cut, len - (to - from), t);
				seg_tables_free(t);
			}
		}
		free(cut);
		free(text);
	}
}

/* ---- tables in other layouts ------------------------------------------------------------- */

/* tabs.txt: a row per line, the cells apart by tabs, with 序号 and a caption 表1　…. */
static const want_row_t tabs_rows[] = {
	{{TEXT("1", 9), TEXT("学前教育毛入园率（%）", 9), NUM("92.3", 9, 92.3),
	  CMP("≥95", 9, SEG_CMP_GE, 95)},
	 "学前教育毛入园率", "%", SEG_UNIT_LABEL, 1, SEG_ATTRIBUTE_NONE},
	{{TEXT("2", 10), TEXT("九年义务教育巩固率（%）", 10), NUM("98.6", 10, 98.6),
	  CMP("99以上", 10, SEG_CMP_GE, 99)},
	 "九年义务教育巩固率", "%", SEG_UNIT_LABEL, 2, SEG_ATTRIBUTE_NONE},
	{{TEXT("3", 11), TEXT("新增公办幼儿园学位", 11), TEXT("—", 11), NUM("3,000个", 11, 3000)},
	 "新增公办幼儿园学位", "个", SEG_UNIT_VALUE, 3, SEG_ATTRIBUTE_NONE},
	{{TEXT("4", 12), TEXT("高中阶段毛入学率", 12), NUM("96%", 12, 96), NUM("98%", 12, 98)},
	 "高中阶段毛入学率", "%", SEG_UNIT_VALUE, 4, SEG_ATTRIBUTE_NONE},
	{{TEXT("5", 13), TEXT("劳动年龄人口平均受教育年限（年）", 13), NUM("11.2", 13, 11.2),
	  NUM("11.5", 13, 11.5)},
	 "劳动年龄人口平均受教育年限", "年", SEG_UNIT_LABEL, 5, SEG_ATTRIBUTE_NONE},
};

static const want_table_t tabs_table = {
	"表1　全市教育事业发展主要指标", 7, 13, true,
	{{SEG_COLUMN_SERIAL, "序号", 8, 0},
	 {SEG_COLUMN_LABEL, "指标", 8, 0},
	 {SEG_COLUMN_VALUE, "2020年", 8, 2020},
	 {SEG_COLUMN_VALUE, "2025年", 8, 2025}},
	4, tabs_rows, N_ITEMS(tabs_rows),
};

/* shuxing.txt: a row per line aligned with runs of spaces, with 单位 and 属性 columns, and
 * values with comparators in words and signs. */
static const want_row_t shuxing_rows[] = {
	{{TEXT("学前教育毛入园率", 8), TEXT("%", 8), NUM("90", 8, 90),
	  CMP("不低于95", 8, SEG_CMP_GE, 95), TEXT("约束性", 8)},
	 "学前教育毛入园率", "%", SEG_UNIT_COLUMN, 0, SEG_ATTRIBUTE_BINDING},
	{{TEXT("义务教育巩固率", 9), TEXT("%", 9), NUM("98.5", 9, 98.5), NUM("99", 9, 99),
	  TEXT("约束性", 9)},
	 "义务教育巩固率", "%", SEG_UNIT_COLUMN, 0, SEG_ATTRIBUTE_BINDING},
	{{TEXT("普惠性幼儿园覆盖率", 10), TEXT("%", 10), NUM("80", 10, 80),
	  CMP("85%以上", 10, SEG_CMP_GE, 85), TEXT("预期性", 10)},
	 "普惠性幼儿园覆盖率", "%", SEG_UNIT_COLUMN, 0, SEG_ATTRIBUTE_EXPECTED},
	{{TEXT("专任教师中研究生学历比例", 11), TEXT("%", 11), NUM("6.2", 11, 6.2),
	  CMP("约10", 11, SEG_CMP_ABOUT, 10), TEXT("预期性", 11)},
	 "专任教师中研究生学历比例", "%", SEG_UNIT_COLUMN, 0, SEG_ATTRIBUTE_EXPECTED},
	{{TEXT("校外培训机构数量", 12), TEXT("个", 12), NUM("120", 12, 120),
	  CMP("不超过60", 12, SEG_CMP_LE, 60), TEXT("预期性", 12)},
	 "校外培训机构数量", "个", SEG_UNIT_COLUMN, 0, SEG_ATTRIBUTE_EXPECTED},
	{{TEXT("生均校舍面积", 13), TEXT("平方米", 13), NUM("8.6", 13, 8.6),
	  CMP("＞9", 13, SEG_CMP_GT, 9), TEXT("预期性", 13)},
	 "生均校舍面积", "平方米", SEG_UNIT_COLUMN, 0, SEG_ATTRIBUTE_EXPECTED},
};

static const want_table_t shuxing_table = {
	"“十四五”时期教育发展主要指标", 5, 13, true,
	{{SEG_COLUMN_LABEL, "指标", 7, 0},
	 {SEG_COLUMN_UNIT, "单位", 7, 0},
	 {SEG_COLUMN_VALUE, "2020年", 7, 2020},
	 {SEG_COLUMN_VALUE, "2025年", 7, 2025},
	 {SEG_COLUMN_ATTRIBUTE, "属性", 7, 0}},
	5, shuxing_rows, N_ITEMS(shuxing_rows),
};

/* leiji.txt: a cell per line with no blank line anywhere: a 2020 baseline, a 2025 target and
 * the five years' total, the years inside brackets. */
static const want_row_t leiji_rows[] = {
	{{TEXT("新建改扩建幼儿园（所）", 10), NUM("12", 11, 12), NUM("20", 12, 20),
	  NUM("40", 13, 40)},
	 "新建改扩建幼儿园", "所", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("新增中小学学位（万个）", 14), NUM("1.2", 15, 1.2), NUM("1.8", 16, 1.8),
	  NUM("6.5", 17, 6.5)},
	 "新增中小学学位", "万个", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("培训教师（万人次）", 18), NUM("0.8", 19, 0.8), NUM("1.0", 20, 1.0),
	  NUM("4.5", 21, 4.5)},
	 "培训教师", "万人次", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
	{{TEXT("学前教育毛入园率（%）", 22), NUM("90.4", 23, 90.4), NUM("95", 24, 95),
	  TEXT("—", 25)},
	 "学前教育毛入园率", "%", SEG_UNIT_LABEL, 0, SEG_ATTRIBUTE_NONE},
};

static const want_table_t leiji_table = {
	"教育投入与保障主要指标", 5, 25, false,
	{{SEG_COLUMN_LABEL, "指标", 6, 0},
	 {SEG_COLUMN_VALUE, "基期值（2020年）", 7, 2020},
	 {SEG_COLUMN_VALUE, "目标值（2025年）", 8, 2025},
	 {SEG_COLUMN_VALUE, "“十四五”累计", 9, 0}},
	4, leiji_rows, N_ITEMS(leiji_rows),
};

static void check_document(const char *file, const want_table_t *want)
{
	size_t len;
	char *text = load(tables_dir(), file, &len);
	seg_tables_t *t = find_all(text, len);
	if (t->n_tables != 1)
		fail_msg("%s: %zu tables, expected 1", file, t->n_tables);
	check_table(file, text, len, &t->tables[0], want);
	assert_int_equal(t->n_warnings, 0);
	seg_tables_free(t);
	free(text);
}

static void test_a_row_per_line_apart_by_tabs_is_read_with_serials_and_units(void **state)
{
	(void)state;
	check_document("tabs.txt", &tabs_table);
}

static void test_a_row_per_line_aligned_by_spaces_reads_its_attribute_and_unit_columns(
	void **state)
{
	(void)state;
	check_document("shuxing.txt", &shuxing_table);
}

static void test_a_baseline_a_target_and_a_cumulative_column_read_from_unbroken_cells(
	void **state)
{
	(void)state;
	check_document("leiji.txt", &leiji_table);
}

/* ragged.txt: five tables that must not be read, each with its own fault. */
static void test_tables_whose_cells_do_not_fit_the_header_are_refused_with_a_warning(
	void **state)
{
	(void)state;
	static const struct {
		const char *title;
		int line, end_line;
		size_t columns; /* the header is kept */
		bool row_per_line;
		const char *why;
	} want[] = {
		/* a blank line between rows, and the second row misses its value */
		{"主要发展指标", 5, 20, 3, false, "the 2 cells on lines 15–16 are not a row of the "
						 "header's 3 columns"},
		/* a blank line between every cell, and 8 cells for 3 columns */
		{"大连式主要指标", 25, 45, 3, false, "its 8 cells on lines 31–45 do not divide into "
						   "rows of the header's 3 columns"},
		/* a row per line, one row short of a cell */
		{"发展指标一览", 50, 54, 3, true, "the row on line 53 has 2 cells, the header 3 columns"},
		/* 12 cells for 3 columns, but a value missing in one row and one too many in
		 * another: the count divides, the labels do not line up */
		{"主要指标对照", 58, 86, 3, false, "the label on line 76, “100”, is a value"},
		/* a 属性 that is neither 预期性 nor 约束性 */
		{"约束性指标", 90, 92, 3, true, "属性 on line 92 is “必须完成”, not 预期性 or 约束性"},
	};
	size_t len;
	char *text = load(tables_dir(), "ragged.txt", &len);
	seg_tables_t *t = find_all(text, len);
	assert_int_equal(t->n_tables, N_ITEMS(want));
	assert_int_equal(t->n_warnings, N_ITEMS(want));
	for (size_t i = 0; i < N_ITEMS(want); i++) {
		const seg_table_t *tb = &t->tables[i];
		const seg_table_warning_t *w = &t->warnings[i];
		check_cell_at(text, len, &tb->title, want[i].title, want[i].line, want[i].title);
		assert_false(tb->read);
		assert_int_equal(tb->n_rows, 0);
		assert_null(tb->rows);
		assert_int_equal(tb->n_columns, want[i].columns);
		assert_int_equal(tb->row_per_line, want[i].row_per_line);
		assert_int_equal(tb->line, want[i].line);
		assert_int_equal(tb->end_line, want[i].end_line);
		assert_int_equal(w->line, want[i].line);
		assert_int_equal(w->end_line, want[i].end_line);
		char lines[64];
		snprintf(lines, sizeof lines, "lines %d–%d", want[i].line, want[i].end_line);
		assert_contains(w->message, lines);
		assert_contains(w->message, want[i].title);
		assert_contains(w->message, want[i].why);
		assert_contains(w->message, "stay text");
	}
	seg_tables_free(t);
	free(text);
}

/* not-tables.txt: short paragraphs under a caption, a list under 评价指标, numbers on lines of
 * their own inside a sentence, and 目标 alone under 主要指标. */
static void test_short_paragraphs_and_numbers_alone_in_prose_are_not_tables(void **state)
{
	(void)state;
	size_t len;
	char *text = load(tables_dir(), "not-tables.txt", &len);
	seg_tables_t *t = find_all(text, len);
	assert_int_equal(t->n_tables, 0);
	assert_int_equal(t->n_warnings, 0);
	seg_tables_free(t);
	free(text);
}

/* The same table, with the caption and header printed a cell per line and the rows a row
 * per line, or the other way round: each part's own layout is read. */
static void test_header_and_rows_may_each_print_a_cell_or_a_row_per_line(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"主要指标\n\n指标\n2020年\n2025年\n\n学前教育毛入园率（%）\t90\t95\n"
		"义务教育巩固率（%）\t98\t99\n",
		"主要指标\n指标  2020年  2025年\n\n学前教育毛入园率（%）\n90\n95\n\n"
		"义务教育巩固率（%）\n98\n99\n",
	};
	for (size_t i = 0; i < N_ITEMS(docs); i++) {
		seg_tables_t *t = find_all(docs[i], strlen(docs[i]));
		assert_int_equal(t->n_tables, 1);
		const seg_table_t *tb = &t->tables[0];
		assert_true(tb->read);
		assert_int_equal(tb->row_per_line, i == 0);
		assert_int_equal(tb->n_columns, 3);
		assert_int_equal(tb->n_rows, 2);
		const seg_table_row_t *r = &tb->rows[1];
		assert_bytes_equal(docs[i], r->cells[0].start, r->name_end, "义务教育巩固率");
		assert_bytes_equal(docs[i], r->cells[2].start, r->cells[2].end, "99");
		assert_string_equal(r->unit, "%");
		seg_tables_free(t);
	}
}

/* A heading after the last row ends the table even with no blank line before it, and a
 * second table's caption ends the first. */
static void test_a_heading_or_the_next_tables_caption_ends_a_table(void **state)
{
	(void)state;
	static const char doc[] =
		"主要指标\n指标\n2025年\n学前教育毛入园率\n95%\n三、主要任务\n"
		"补充指标\n指标\n2020年\n2025年\n义务教育巩固率\n98%\n99%\n"
		"再一表的指标\n指标\t2025年\n高中阶段毛入学率\t98%\n";
	seg_tables_t *t = find_all(doc, strlen(doc));
	assert_int_equal(t->n_tables, 3);
	assert_int_equal(t->n_warnings, 0);
	assert_int_equal(t->tables[0].n_rows, 1);
	assert_int_equal(t->tables[0].end_line, 5);
	assert_int_equal(t->tables[1].line, 7);
	assert_int_equal(t->tables[1].end_line, 13);
	assert_int_equal(t->tables[2].line, 14);
	assert_int_equal(t->tables[2].n_rows, 1);
	seg_tables_free(t);
}

/* What a value reads as: its number, its comparator, and the unit it gives the row. */
static void test_values_read_as_a_number_a_comparator_and_a_unit_or_as_text_only(void **state)
{
	(void)state;
	static const struct {
		const char *value;
		double number;
		seg_cmp_t cmp;
		const char *unit;
	} cases[] = {
		{"95%", 95, SEG_CMP_NONE, "%"},
		{"90.4", 90.4, SEG_CMP_NONE, ""},
		{"50%以上", 50, SEG_CMP_GE, "%"},
		{"50%及以上", 50, SEG_CMP_GE, "%"},
		{"≥95%", 95, SEG_CMP_GE, "%"},
		{">=95", 95, SEG_CMP_GE, ""},
		{"不低于95", 95, SEG_CMP_GE, ""},
		{"不少于 3 所", 3, SEG_CMP_GE, "所"},
		{"不超过5%", 5, SEG_CMP_LE, "%"},
		{"5%以下", 5, SEG_CMP_LE, "%"},
		{"≤0.5‰", 0.5, SEG_CMP_LE, "‰"},
		{"＞9", 9, SEG_CMP_GT, ""},
		{"超过10个", 10, SEG_CMP_GT, "个"},
		{"<1%", 1, SEG_CMP_LT, "%"},
		{"约3万人", 3, SEG_CMP_ABOUT, "万人"},
		{"3万人左右", 3, SEG_CMP_ABOUT, "万人"},
		{"1,200", 1200, SEG_CMP_NONE, ""},
		{"3,000个", 3000, SEG_CMP_NONE, "个"},
		{"９５％", 95, SEG_CMP_NONE, "%"}, /* full-width digits and ％ */
		{"15.6年", 15.6, SEG_CMP_NONE, "年"},
		{"3.7:6.3", NONE, SEG_CMP_NONE, ""},   /* a ratio */
		{"2-3所", NONE, SEG_CMP_NONE, ""},     /* a range */
		{"保持高水平", NONE, SEG_CMP_NONE, ""},
		{"—", NONE, SEG_CMP_NONE, ""},
		{"1,20", NONE, SEG_CMP_NONE, ""},      /* not a thousands comma */
		{"不低于95%以上", NONE, SEG_CMP_NONE, ""}, /* two comparators */
		{"95%以上左右", NONE, SEG_CMP_NONE, ""},
		{"达到95%", NONE, SEG_CMP_NONE, ""},   /* a word, not a comparator */
	};
	char doc[4096];
	int n = snprintf(doc, sizeof doc, "数值指标\n指标\t2025年\n");
	for (size_t i = 0; i < N_ITEMS(cases); i++)
		n += snprintf(doc + n, sizeof doc - (size_t)n, "第%zu项\t%s\n", i + 1, cases[i].value);
	assert_true((size_t)n < sizeof doc);
	seg_tables_t *t = find_all(doc, (size_t)n);
	assert_int_equal(t->n_tables, 1);
	const seg_table_t *tb = &t->tables[0];
	assert_true(tb->read);
	assert_int_equal(tb->n_rows, N_ITEMS(cases));
	for (size_t i = 0; i < N_ITEMS(cases); i++) {
		const seg_table_cell_t *c = &tb->rows[i].cells[1];
		want_cell_t w = {cases[i].value, (int)i + 3, cases[i].number, cases[i].cmp};
		check_cell_at(doc, (size_t)n, c, cases[i].value, (int)i + 3, cases[i].value);
		check_reading(c, &w, cases[i].value);
		if (strcmp(tb->rows[i].unit, cases[i].unit) != 0)
			fail_msg("\"%s\" gives the unit \"%s\", expected \"%s\"", cases[i].value,
				 tb->rows[i].unit, cases[i].unit);
	}
	seg_tables_free(t);
}

/* A number and a unit inside the label give the row its unit when its values print none,
 * but a year or an ordinal does not. */
static void test_a_unit_after_a_number_in_the_label_counts_but_a_year_or_ordinal_does_not(
	void **state)
{
	(void)state;
	static const char doc[] = "主要指标\n指标\t完成情况\n创建2-3所示范校\t3\n"
				  "到2025年建成示范校\t10\n第2项工程\t5\n";
	seg_tables_t *t = find_all(doc, sizeof doc - 1);
	assert_int_equal(t->n_tables, 1);
	const seg_table_t *tb = &t->tables[0];
	assert_int_equal(tb->n_rows, 3);
	assert_string_equal(tb->rows[2].unit, "");
	assert_string_equal(tb->rows[0].unit, "所");
	assert_int_equal(tb->rows[0].unit_from, SEG_UNIT_LABEL_NUMBER);
	assert_string_equal(tb->rows[1].unit, "");
	assert_int_equal(tb->rows[1].unit_from, SEG_UNIT_NONE);
	seg_tables_free(t);
}

/* ---- the contract ------------------------------------------------------------------------ */

static void test_lines_and_offsets_count_from_the_file_when_the_body_starts_later(void **state)
{
	(void)state;
	size_t len, ls, le;
	char *text = load(test_env("CORPUS_DIR"), "dandong.txt", &len);
	line_bounds(text, len, 60, &ls, &le); /* after the first table */
	seg_tables_t *t = NULL;
	char *error = NULL;
	assert_int_equal(seg_tables_find(text, len, ls, len, &t, &error), 0);
	assert_int_equal(t->n_tables, 1);
	check_table("dandong.txt from line 60", text, len, &t->tables[0], &dandong_targets_table);
	seg_tables_free(t);

	/* a body that ends before the tables holds none */
	line_bounds(text, len, 13, &ls, &le);
	assert_int_equal(seg_tables_find(text, len, 0, le, &t, &error), 0);
	assert_int_equal(t->n_tables, 0);
	seg_tables_free(t);
	free(text);
}

static void test_crlf_line_ends_read_as_the_same_cells(void **state)
{
	(void)state;
	size_t len;
	char *text = load(test_env("CORPUS_DIR"), "dalian.txt", &len);
	char *crlf = malloc(2 * len + 1);
	assert_non_null(crlf);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = text[i];
	}
	seg_tables_t *a = find_all(text, len), *b = find_all(crlf, n);
	assert_int_equal(a->n_tables, b->n_tables);
	const seg_table_t *x = &a->tables[0], *y = &b->tables[0];
	assert_int_equal(x->n_rows, y->n_rows);
	for (size_t r = 0; r < x->n_rows; r++)
		for (size_t c = 0; c < x->n_columns; c++) {
			const seg_table_cell_t *p = &x->rows[r].cells[c], *q = &y->rows[r].cells[c];
			assert_int_equal(p->line, q->line);
			assert_int_equal(p->end - p->start, q->end - q->start);
			assert_memory_equal(text + p->start, crlf + q->start, p->end - p->start);
		}
	seg_tables_free(a);
	seg_tables_free(b);
	free(crlf);
	free(text);
}

static void test_a_body_range_outside_the_text_is_an_error_and_leaves_out_untouched(
	void **state)
{
	(void)state;
	static const char text[] = "主要指标\n指标\n2025年\n";
	seg_tables_t *sentinel = (seg_tables_t *)&text, *t = sentinel;
	char *error = NULL;
	assert_int_equal(seg_tables_find(text, sizeof text - 1, 0, sizeof text, &t, &error), -1);
	assert_ptr_equal(t, sentinel);
	assert_non_null(error);
	assert_contains(error, "outside the text");
	free(error);
	error = NULL;
	assert_int_equal(seg_tables_find(text, sizeof text - 1, 5, 4, &t, &error), -1);
	assert_ptr_equal(t, sentinel);
	free(error);
	seg_tables_free(NULL);
}

static void test_symbols_and_names_are_never_null(void **state)
{
	(void)state;
	assert_string_equal(seg_cmp_symbol(SEG_CMP_GE), "≥");
	assert_string_equal(seg_cmp_symbol(SEG_CMP_LE), "≤");
	assert_string_equal(seg_cmp_symbol(SEG_CMP_NONE), "");
	assert_string_equal(seg_attribute_name(SEG_ATTRIBUTE_EXPECTED), "预期性");
	assert_string_equal(seg_attribute_name(SEG_ATTRIBUTE_BINDING), "约束性");
	assert_string_equal(seg_attribute_name(SEG_ATTRIBUTE_NONE), "");
	assert_string_equal(seg_column_role_name(SEG_COLUMN_VALUE), "value");
}

/* Every table found in a file keeps the contract: cells are the file's bytes on their line,
 * trimmed, in ascending lines; tables and warnings in text order, never overlapping. */
static void check_invariants(const char *file, const char *text, size_t len,
			     const seg_tables_t *t)
{
	int last_line = 0;
	for (size_t i = 0; i < t->n_tables; i++) {
		const seg_table_t *tb = &t->tables[i];
		char where[200];
		snprintf(where, sizeof where, "%s: table %zu", file, i + 1);
		if (tb->line <= last_line)
			fail_msg("%s starts on line %d, not after line %d", where, tb->line, last_line);
		assert_true(tb->end_line >= tb->line);
		assert_true(tb->start == tb->title.start && tb->end > tb->start && tb->end <= len);
		assert_int_equal(tb->read, tb->n_rows > 0);
		assert_true(tb->label_column >= 0 && (size_t)tb->label_column < tb->n_columns);
		assert_int_equal(tb->columns[tb->label_column].role, SEG_COLUMN_LABEL);

		/* every printed cell, in text order: title, header, rows */
		const seg_table_cell_t *prev = &tb->title;
		size_t n_cells = 0;
		for (size_t k = 0; k <= tb->n_columns + tb->n_rows * tb->n_columns; k++) {
			const seg_table_cell_t *c;
			if (k == 0)
				c = &tb->title;
			else if (k <= tb->n_columns)
				c = &tb->columns[k - 1].header;
			else
				c = &tb->rows[(k - 1 - tb->n_columns) / tb->n_columns]
					     .cells[(k - 1 - tb->n_columns) % tb->n_columns];
			if (c->line == 0) { /* an unnamed label column */
				assert_true(k > 0 && k <= tb->n_columns);
				assert_int_equal(c->start, 0);
				assert_int_equal(c->end, 0);
				continue;
			}
			n_cells++;
			size_t ls, le, ts, te;
			line_bounds(text, len, c->line, &ls, &le);
			if (c->start < ls || c->end > le || c->start >= c->end)
				fail_msg("%s: a cell [%zu,%zu) is not on its line %d [%zu,%zu)", where,
					 c->start, c->end, c->line, ls, le);
			assert_null(memchr(text + c->start, '\n', c->end - c->start));
			ts = c->start, te = c->end;
			utf8_trim(text, &ts, &te);
			if (ts != c->start || te != c->end)
				fail_msg("%s: the cell \"%.*s\" on line %d is not trimmed", where,
					 (int)(c->end - c->start), text + c->start, c->line);
			if (c != &tb->title && (c->line < prev->line ||
						(c->line == prev->line && c->start < prev->end)))
				fail_msg("%s: a cell on line %d comes before the one on line %d", where,
					 c->line, prev->line);
			if (!tb->row_per_line && k > tb->n_columns) {
				/* a cell per line: the cell is its line, trimmed */
				ts = ls, te = le;
				utf8_trim(text, &ts, &te);
				assert_int_equal(ts, c->start);
				assert_int_equal(te, c->end);
			}
			prev = c;
		}
		assert_true(prev->line <= tb->end_line);
		if (tb->read) {
			assert_int_equal(prev->line, tb->end_line);
			assert_int_equal(prev->end, tb->end);
		}
		for (size_t r = 0; r < tb->n_rows; r++) {
			const seg_table_row_t *row = &tb->rows[r];
			const seg_table_cell_t *label = &row->cells[tb->label_column];
			assert_true(row->name_end > label->start && row->name_end <= label->end);
			assert_int_equal(row->line, row->cells[0].line);
			assert_int_equal(row->end_line, row->cells[tb->n_columns - 1].line);
			assert_int_equal(row->unit_from == SEG_UNIT_NONE, row->unit[0] == '\0');
			assert_true(strlen(row->unit) < SEG_TABLE_UNIT_MAX);
			assert_int_equal(row->serial > 0, tb->serial_column >= 0);
			assert_int_equal(row->attribute != SEG_ATTRIBUTE_NONE, tb->attribute_column >= 0);
			for (size_t c = 0; c < tb->n_columns; c++)
				if (tb->columns[c].role != SEG_COLUMN_VALUE)
					assert_false(row->cells[c].has_number);
		}
		last_line = tb->end_line;
	}
	for (size_t i = 1; i < t->n_warnings; i++)
		assert_true(t->warnings[i].line >= t->warnings[i - 1].line);
	for (size_t i = 0; i < t->n_warnings; i++) {
		assert_true(t->warnings[i].end_line >= t->warnings[i].line);
		assert_non_null(t->warnings[i].message);
		assert_true(strlen(t->warnings[i].message) > 0);
	}
}

static void check_directory(const char *dir, size_t *files)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		fail_msg("cannot open %s", dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".txt") != 0)
			continue;
		size_t len;
		char *text = load(dir, e->d_name, &len);
		seg_tables_t *t = find_all(text, len);
		check_invariants(e->d_name, text, len, t);
		seg_tables_free(t);
		free(text);
		(*files)++;
	}
	closedir(d);
}

static void test_every_table_in_every_plan_keeps_the_contract(void **state)
{
	(void)state;
	size_t files = 0;
	check_directory(test_env("CORPUS_DIR"), &files);
	assert_int_equal(files, 5);
	check_directory(tables_dir(), &files);
	check_directory(test_env("DOCUMENTS_DIR"), &files);
	assert_true(files > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dandong_results_table_reads_every_row_with_its_serial_label_and_result),
		cmocka_unit_test(test_dandong_targets_table_reads_every_row_with_its_2025_value),
		cmocka_unit_test(test_dalian_table_reads_every_row_under_2020_and_2025_with_an_unnamed_label_column),
		cmocka_unit_test(test_dalian_label_ending_in_empty_brackets_gets_no_unit_and_a_warning),
		cmocka_unit_test(test_bundled_plans_hold_exactly_the_three_tables_and_no_other),
		cmocka_unit_test(test_a_bundled_table_missing_any_one_cell_is_refused_not_guessed),
		cmocka_unit_test(test_a_row_per_line_apart_by_tabs_is_read_with_serials_and_units),
		cmocka_unit_test(test_a_row_per_line_aligned_by_spaces_reads_its_attribute_and_unit_columns),
		cmocka_unit_test(test_a_baseline_a_target_and_a_cumulative_column_read_from_unbroken_cells),
		cmocka_unit_test(test_tables_whose_cells_do_not_fit_the_header_are_refused_with_a_warning),
		cmocka_unit_test(test_short_paragraphs_and_numbers_alone_in_prose_are_not_tables),
		cmocka_unit_test(test_header_and_rows_may_each_print_a_cell_or_a_row_per_line),
		cmocka_unit_test(test_a_heading_or_the_next_tables_caption_ends_a_table),
		cmocka_unit_test(test_values_read_as_a_number_a_comparator_and_a_unit_or_as_text_only),
		cmocka_unit_test(test_a_unit_after_a_number_in_the_label_counts_but_a_year_or_ordinal_does_not),
		cmocka_unit_test(test_lines_and_offsets_count_from_the_file_when_the_body_starts_later),
		cmocka_unit_test(test_crlf_line_ends_read_as_the_same_cells),
		cmocka_unit_test(test_a_body_range_outside_the_text_is_an_error_and_leaves_out_untouched),
		cmocka_unit_test(test_symbols_and_names_are_never_null),
		cmocka_unit_test(test_every_table_in_every_plan_keeps_the_contract),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
