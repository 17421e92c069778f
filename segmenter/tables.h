/* tables.h: indicator tables (主要指标) recognised in a plan's text: title, header, rows and cells. */
#ifndef SEG_TABLE_H
#define SEG_TABLE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Plans print their targets as tables that text extraction has flattened: one cell per line
 * (丹东: tab-indented, a blank line between rows; 大连: a blank line between every cell), or
 * a row per line with the cells apart. This finds them in a plan's text and reads each row.
 * It knows nothing of the document model (document.h): it takes the text and a body range
 * and returns tables, so the indexer can use it beside or instead of the paragraphs.
 *
 * The contract.
 * - Every offset is a byte offset into the plan's file, end exclusive; every line number is
 *   1-based and counts from the start of the file, even when the body starts later. A cell's
 *   bytes are the line's text trimmed of white space at both ends (utf8_is_space: blanks,
 *   tabs, U+3000, NBSP …), so text[start,end) is exactly what the cell prints: 丹东's
 *   "\t90%\u3000" is the cell "90%".
 * - A line that holds only white space (大连's lone NBSP lines too) is blank.
 * - A table is a caption line, its header and its rows:
 *   - the caption (the title) is a short line (at most SEG_TABLE_MAX_CAPTION bytes) that does
 *     not end in a sentence or clause mark (。！？；，、, a colon is allowed), is not a value,, is not itself a
 *     header cell, and is followed, after at most SEG_TABLE_MAX_GAP blank lines, by the
 *     header. A caption that names 指标 may have a header of one cell, a year; any other
 *     caption needs two or more (a caption followed by header cells).
 *   - the header is either one line split into cells (see below) each of which is a header
 *     cell, or a run of lines that are each one header cell. A header cell is a year (2020,
 *     2025年, 2020年底), a known word (序号; 指标, 指标名称, 指标内容, 项目, 名称; 属性, 指标属性;
 *     单位, 计量单位; 完成情况, 完成值, 目标值, 目标, 基期值, 基期, 基准值, 现状值, 规划值, 预期值,
 *     累计, 年均增长), or a year and a word together (2025年目标值, 基期值（2020年）, “十四五”
 *     累计). The header needs at least one value column (SEG_COLUMN_VALUE) and names each other
 *     role at most once. When it names no label column (大连 prints only 2020 and 2025), the
 *     table still has one, first (after 序号 when 序号 comes first): its cells are printed in
 *     every row, only its header is not.
 *   - rows follow the header either one per line, the cells apart by a tab, an ideographic
 *     space or a run of two or more spaces (so a label cannot hold those), or one cell per
 *     line, grouped by the blank lines between them: when every group has as many cells as
 *     the header has columns, each group is a row (丹东); when no blank line separates rows
 *     (every group is one cell, or there is one group), the cells are rows of that many in
 *     order (大连). The layout of the header and of the rows may differ; the first line after
 *     the header decides the rows'.
 *   - the table ends at a blank run longer than the longest one between its header's lines
 *     and between the header and the first row (at least 1), at a line that cannot be a cell
 *     (longer than SEG_TABLE_MAX_CELL bytes, ending in a sentence or clause mark, a heading
 *     by seg_heading_parse, a note 注：/（注/备注/说明：/资料来源/数据来源), at the caption and
 *     header of another table, or at the end of the body. Where it stops at a longer blank
 *     run, or (a row per line) at a line of one cell, and its cells go on after it (a row of
 *     cells; a cell per line, lines that may be cells with a value among a row's worth of
 *     them), it is refused: a missing cell printed as an empty line looks just so.
 * - A table is read only when every row is: its cells divide into the header's columns, its
 *   label is not a value (a cell that reads whole as a number, as "95%" or "3个" do), its 序号
 *   is a number, its 属性 is 预期性 or 约束性, its 单位 a short word without digits. A table that fails any
 *   of these is returned with read == false, its header but no rows, and a warning naming
 *   its lines and why; its lines are text. Nothing is guessed: a row missing a cell is never
 *   filled in, cells are never moved to other columns.
 * - Values are kept as printed (the cell's bytes: "99%", "50%以上", "保持高水平", "3.7:6.3");
 *   a value that reads whole as an optional comparator, a number, an optional unit and an
 *   optional 以上/以下/左右 also has that number (ASCII or full-width digits, a decimal point,
 *   thousands apart by commas) and comparator: "50%以上" is ≥ 50, "不超过
 *   5%" ≤ 5, "95%" = 95 with no comparator, "3.7:6.3" and "2-3所" have no number.
 * - A row's unit is, in this order: its 单位 cell; a unit marker ending the label, not right
 *   after a digit ("…入园率%", "…（%）", "…(万人)"); the unit printed after the number of its
 *   first value that prints one ("95%", "3个", "10所"); a unit printed right after a number in
 *   the label ("创建2-3所…"), 年 aside (there it is a year: "到2025年建成…"), an ordinal too
 *   ("第2项"). ％ reads as %. A label that ends in empty brackets ("…年限()")
 *   gets no unit and a warning: the source lost it, and it is not guessed.
 * - Tables are in text order and never overlap; rows are in text order, cells of a row in
 *   column order, which is text order too.
 * - Nothing here recurses. What is allocated grows with the number of tables, rows and
 *   cells: lines are read in place, a line is split into at most SEG_TABLE_MAX_COLUMNS + 1
 *   cells on the stack, and no line is copied.
 */
#define SEG_TABLE_MAX_CAPTION 180 /* bytes of a caption line */
#define SEG_TABLE_MAX_CELL 240    /* bytes of a cell */
#define SEG_TABLE_MAX_COLUMNS 16  /* columns of a table, an unnamed label column too */
#define SEG_TABLE_MAX_GAP 4       /* blank lines between a caption and its header */
#define SEG_TABLE_UNIT_MAX 16     /* bytes of a unit, with its NUL */

typedef enum seg_column_role {
	SEG_COLUMN_LABEL,     /* the indicator: 指标, 指标名称, …, or unprinted */
	SEG_COLUMN_SERIAL,    /* 序号 */
	SEG_COLUMN_ATTRIBUTE, /* 属性: 预期性 or 约束性 */
	SEG_COLUMN_UNIT,      /* 单位 */
	SEG_COLUMN_VALUE,     /* a year, 完成情况, 目标值, 基期值, 累计, …: a value per row */
} seg_column_role_t;

/* How a value's number compares with what the plan means: "50%以上" is SEG_CMP_GE 50. */
typedef enum seg_cmp {
	SEG_CMP_NONE, /* no comparator printed (or no number) */
	SEG_CMP_GE,   /* ≥ ≧ >= 不低于 不少于 至少 …以上 */
	SEG_CMP_LE,   /* ≤ ≦ <= 不超过 不高于 不多于 …以下 */
	SEG_CMP_GT,   /* > ＞ 超过 高于 大于 */
	SEG_CMP_LT,   /* < ＜ 低于 少于 小于 */
	SEG_CMP_ABOUT /* 约 …左右 ≈ */
} seg_cmp_t;

typedef enum seg_attribute {
	SEG_ATTRIBUTE_NONE,     /* no 属性 column */
	SEG_ATTRIBUTE_EXPECTED, /* 预期性 */
	SEG_ATTRIBUTE_BINDING,  /* 约束性 */
} seg_attribute_t;

/* Where a row's unit came from (see the contract). */
typedef enum seg_unit_source {
	SEG_UNIT_NONE,
	SEG_UNIT_COLUMN,       /* its 单位 cell */
	SEG_UNIT_LABEL,        /* a marker ending the label: 毛入园率%, 比例（%） */
	SEG_UNIT_VALUE,        /* after a value's number: 95%, 3个 */
	SEG_UNIT_LABEL_NUMBER, /* after a number inside the label: 创建2-3所… */
} seg_unit_source_t;

/* A cell as printed. For a value cell, also what it reads as. */
typedef struct seg_table_cell {
	size_t start, end; /* trimmed; start == end == 0 for the header of a label column
			    * the header does not name, the one cell that is not printed */
	int line;          /* 0 for that unprinted header */
	bool has_number;   /* the cell reads whole as a number (see the contract) */
	double number;     /* 0 unless has_number */
	seg_cmp_t cmp;     /* SEG_CMP_NONE unless has_number and a comparator is printed */
} seg_table_cell_t;

typedef struct seg_table_column {
	seg_column_role_t role;
	seg_table_cell_t header; /* unprinted for a label column the header does not name */
	int year;                /* the year the header names (2025 for 2025年), else 0 */
} seg_table_column_t;

typedef struct seg_table_row {
	seg_table_cell_t *cells; /* n_columns cells in column order; owned by the table */
	size_t name_end;         /* the label's end without a unit marker that ends it
				  * ("学前三年毛入园率%" -> "学前三年毛入园率"); the label's end if none */
	int serial;              /* its 序号, 0 without a 序号 column */
	seg_attribute_t attribute;
	char unit[SEG_TABLE_UNIT_MAX]; /* "%", "个", "万人"; "" for none */
	seg_unit_source_t unit_from;
	int line, end_line;      /* lines of its first and last printed cell */
} seg_table_row_t;

typedef struct seg_table {
	bool read;               /* false: found but not read (a warning says why): no rows */
	bool row_per_line;       /* the rows print a row per line (else a cell per line) */
	seg_table_cell_t title;  /* the caption line, trimmed */
	int line, end_line;      /* the caption's line and the table's last line */
	size_t start, end;       /* from the caption to the end of the last cell */
	seg_table_column_t *columns; /* in printed order */
	size_t n_columns;
	int label_column;        /* index into columns; always present */
	int serial_column;       /* index, or -1 when not printed; the same below */
	int attribute_column;
	int unit_column;
	seg_table_row_t *rows;   /* in text order; none when !read */
	size_t n_rows;
} seg_table_t;

/* Something a reader should check: a table left unread and why, a unit the source lost. */
typedef struct seg_table_warning {
	int line, end_line; /* the lines it is about */
	char *message;      /* one sentence, naming the table and the lines at fault, without
			     * the file name */
} seg_table_warning_t;

typedef struct seg_tables {
	seg_table_t *tables; /* in text order, read and unread */
	size_t n_tables;
	seg_table_warning_t *warnings; /* in line order */
	size_t n_warnings;
} seg_tables_t;

/*
 * Find the tables in the body text[body_start, body_end) of a plan whose whole file is
 * text[0,len). Lines outside the body are not looked at (a table runs to the body's end at
 * most), but offsets and lines count from the start of the file. The text must be valid
 * UTF-8 (an ill-formed byte is read as a character that is neither space nor a digit); it
 * need not be NUL-terminated. Returns 0 and the tables (perhaps none) in *out, which the
 * caller frees with seg_tables_free; or -1 with a malloc'd message in *error (out of memory,
 * a body range outside the text), *out untouched then. The result points into nothing: it
 * holds offsets, not copies, so it stays valid as long as the caller keeps it.
 */
int seg_tables_find(const char *text, size_t len, size_t body_start, size_t body_end,
		    seg_tables_t **out, char **error);

/* Free what seg_tables_find returned. Accepts NULL. */
void seg_tables_free(seg_tables_t *tables);

/* "≥", "≤", ">", "<", "≈"; "" for SEG_CMP_NONE. Never NULL. */
const char *seg_cmp_symbol(seg_cmp_t cmp);

/* "预期性", "约束性"; "" for SEG_ATTRIBUTE_NONE. Never NULL. */
const char *seg_attribute_name(seg_attribute_t attribute);

/* "label", "serial", "attribute", "unit", "value", for messages and tests. Never NULL. */
const char *seg_column_role_name(seg_column_role_t role);

#endif
