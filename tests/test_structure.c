/* test_structure.c: seg_outline_place's per-plan level rules, and seg_document_parse's sections, paragraphs and clauses. */
#include "test.h"

#include "document.h"
#include "heading.h"
#include "structure.h"

#include <stdbool.h>

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- seg_outline_place ------------------------------------------------------------- */

/* One heading of a plan, in order: the heading placed as section i + 1 (the root is 0)
 * must get `parent` and end up at `depth`. `what` shows it as printed. */
typedef struct step {
	const char *what;
	seg_style_t style;
	int number;
	int parent;
	size_t depth;
} step_t;

static seg_heading_t make_heading(seg_style_t style, int number)
{
	seg_heading_t h;
	memset(&h, 0, sizeof h);
	h.style = style;
	h.number = number;
	return h;
}

static void run_steps(const step_t *steps, size_t n)
{
	seg_outline_t o;
	seg_outline_init(&o, 0);
	assert_int_equal(seg_outline_depth(&o), 0);
	for (size_t i = 0; i < n; i++) {
		seg_heading_t h = make_heading(steps[i].style, steps[i].number);
		int section = (int)i + 1;
		int parent = seg_outline_place(&o, &h, section);
		if (parent != steps[i].parent)
			fail_msg("heading %d \"%s\": parent %d, expected %d", section, steps[i].what,
				 parent, steps[i].parent);
		if (seg_outline_depth(&o) != steps[i].depth)
			fail_msg("heading %d \"%s\": depth %zu, expected %zu", section,
				 steps[i].what, seg_outline_depth(&o), steps[i].depth);
		/* the heading is now the latest open entry, right under its parent */
		assert_int_equal(o.open[o.depth].section, section);
		assert_int_equal(o.open[o.depth - 1].section, parent);
		assert_int_equal(o.open[0].section, 0);
	}
}

static void test_outline_starts_empty_at_the_given_root(void **state)
{
	(void)state;
	seg_outline_t o;
	seg_outline_init(&o, 42);
	assert_int_equal(seg_outline_depth(&o), 0);
	seg_heading_t h = make_heading(SEG_STYLE_HAN_COMMA, 1);
	assert_int_equal(seg_outline_place(&o, &h, 43), 42);
	assert_int_equal(seg_outline_depth(&o), 1);
}

/* Tonghua: under 三、主要任务 the first item is "（1）" and the next "（二）". */
static void test_tonghua_paren_arabic_then_paren_han_are_siblings(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、规划背景", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"（一）发展基础。", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"（二）基本原则。", SEG_STYLE_PAREN_HAN, 2, 1, 2},
		{"二、发展目标", SEG_STYLE_HAN_COMMA, 2, 0, 1},
		{"三、主要任务", SEG_STYLE_HAN_COMMA, 3, 0, 1},
		{"（1） 全面贯彻落实立德树人根本任务。", SEG_STYLE_PAREN_ARABIC, 1, 5, 2},
		{"（二）着力推进教育改革。", SEG_STYLE_PAREN_HAN, 2, 5, 2},
		{"（三）…", SEG_STYLE_PAREN_HAN, 3, 5, 2},
		{"四、保障措施", SEG_STYLE_HAN_COMMA, 4, 0, 1},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* The same, with Tonghua's boxes in between: the box under （1） is closed by （二）. */
static void test_tonghua_style_change_closes_the_box_under_the_first_item(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、规划背景", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"（一）发展基础。", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"三、主要任务", SEG_STYLE_HAN_COMMA, 3, 0, 1},
		{"（1） 全面贯彻落实立德树人根本任务。", SEG_STYLE_PAREN_ARABIC, 1, 3, 2},
		{"专栏3  立德树人工程", SEG_STYLE_BOX, 3, 4, 3},
		{"1.时事新闻课项目。", SEG_STYLE_ARABIC, 1, 5, 4},
		{"2.学校体育美育提升计划。", SEG_STYLE_ARABIC, 2, 5, 4},
		{"（二）着力推进教育改革。", SEG_STYLE_PAREN_HAN, 2, 3, 2},
		{"专栏4  深化教育改革开放工程", SEG_STYLE_BOX, 4, 8, 3},
		{"1.…", SEG_STYLE_ARABIC, 1, 9, 4},
		{"（三）…", SEG_STYLE_PAREN_HAN, 3, 3, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

static void test_box_is_child_of_latest_heading_and_numbered_one_starts_its_list(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"（一）", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"专栏3", SEG_STYLE_BOX, 3, 2, 3},
		{"1.", SEG_STYLE_ARABIC, 1, 3, 4},
		{"2.", SEG_STYLE_ARABIC, 2, 3, 4},
		/* the next box is a sibling of the first, closing the first box's list */
		{"专栏4", SEG_STYLE_BOX, 4, 2, 3},
		{"1.", SEG_STYLE_ARABIC, 1, 6, 4},
		{"专栏5", SEG_STYLE_BOX, 5, 2, 3},
		{"（二）", SEG_STYLE_PAREN_HAN, 2, 1, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A box before any heading hangs off the root; a box right under a top-level heading is
 * its child and is closed by the next heading of that level. */
static void test_box_without_open_box_nests_under_latest_heading_or_root(void **state)
{
	(void)state;
	static const step_t before_headings[] = {
		{"专栏1", SEG_STYLE_BOX, 1, 0, 1},
		{"1.", SEG_STYLE_ARABIC, 1, 1, 2},
		{"专栏2", SEG_STYLE_BOX, 2, 0, 1},
	};
	run_steps(before_headings, N_ITEMS(before_headings));
	static const step_t under_top_level[] = {
		{"一、", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"专栏3", SEG_STYLE_BOX, 3, 1, 2},
		{"二、", SEG_STYLE_HAN_COMMA, 2, 0, 1},
		{"专栏4 (a child of 二、, not a sibling of the closed 专栏3)", SEG_STYLE_BOX, 4, 3, 2},
	};
	run_steps(under_top_level, N_ITEMS(under_top_level));
}

/* Dalian: 2. → 文本框: 重点项目1 → 3.: the open style closes the box. */
static void test_dalian_open_style_after_box_closes_the_box(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"三、重点任务", SEG_STYLE_HAN_COMMA, 3, 0, 1},
		{"(一)落实立德树人,促进学生全面发展", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"1.改革创新思想政治教育。", SEG_STYLE_ARABIC, 1, 2, 3},
		{"2.加强德育体系化建设。", SEG_STYLE_ARABIC, 2, 2, 3},
		{"文本框: 重点项目1", SEG_STYLE_BOX, 1, 4, 4},
		{"3.提高智育水平。", SEG_STYLE_ARABIC, 3, 2, 3},
		{"4.提高学生身心素养。", SEG_STYLE_ARABIC, 4, 2, 3},
		{"文本框: 重点项目2", SEG_STYLE_BOX, 2, 7, 4},
		{"(二)…", SEG_STYLE_PAREN_HAN, 2, 1, 2},
		{"四、…", SEG_STYLE_HAN_COMMA, 4, 0, 1},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A box at the end of a top-level heading, then the next top-level heading numbered 1
 * in a plan whose preamble had a box: the top-level style is never swallowed by the box. */
static void test_top_level_style_after_a_box_is_not_the_boxs_item(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、总体要求", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"专栏1 …", SEG_STYLE_BOX, 1, 1, 2},
		{"1.项目", SEG_STYLE_ARABIC, 1, 2, 3},
		{"专栏2 …", SEG_STYLE_BOX, 2, 1, 2},
		{"一、(restarted numbering)", SEG_STYLE_HAN_COMMA, 1, 0, 1},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A box is an aside, not a level: a heading that is not the box's own item closes it. */
static void test_box_does_not_swallow_the_headings_after_it(void **state)
{
	(void)state;
	/* a box in the preamble, then the plan's top-level headings */
	static const step_t preamble[] = {
		{"专栏1 主要指标", SEG_STYLE_BOX, 1, 0, 1},
		{"一、总体要求", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"（一）指导思想", SEG_STYLE_PAREN_HAN, 1, 2, 2},
		{"二、主要任务", SEG_STYLE_HAN_COMMA, 2, 0, 1},
	};
	run_steps(preamble, N_ITEMS(preamble));
	/* an indicator box under 一、 before its first （一） */
	static const step_t indicators[] = {
		{"一、发展目标", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"专栏1 主要指标", SEG_STYLE_BOX, 1, 1, 2},
		{"（一）…", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"（二）…", SEG_STYLE_PAREN_HAN, 2, 1, 2},
	};
	run_steps(indicators, N_ITEMS(indicators));
}

/* A list whose first item stood inside a paragraph ("主要包括：（1）…；") does not take over
 * the level: （2） is a new level under （一）, and （二） still follows （一）. */
static void test_style_switch_needs_a_style_used_at_that_depth(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"（一）指导思想", SEG_STYLE_PAREN_HAN, 1, 0, 1},
		{"（2）坚持改革创新。", SEG_STYLE_PAREN_ARABIC, 2, 1, 2},
		{"（二）基本原则", SEG_STYLE_PAREN_HAN, 2, 0, 1},
		{"（三）发展目标", SEG_STYLE_PAREN_HAN, 3, 0, 1},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A box's own list never uses a style that is open outside the box: after 2. → 专栏1,
 * a 1. or 3. belongs to the outer list, and the box is closed. */
static void test_item_style_open_outside_a_box_is_not_the_boxs_list(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"1.", SEG_STYLE_ARABIC, 1, 1, 2},
		{"2.", SEG_STYLE_ARABIC, 2, 1, 2},
		{"专栏1", SEG_STYLE_BOX, 1, 3, 3},
		{"3. (continues the outer list)", SEG_STYLE_ARABIC, 3, 1, 2},
		{"专栏2", SEG_STYLE_BOX, 2, 5, 3},
		{"（1） (the box's own list: a style not open outside)", SEG_STYLE_PAREN_ARABIC, 1, 6, 4},
		{"（2）", SEG_STYLE_PAREN_ARABIC, 2, 6, 4},
		{"4. (closes the box)", SEG_STYLE_ARABIC, 4, 1, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A style seen before but no longer open starts a new level again. */
static void test_closed_style_numbered_one_is_a_new_level(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"（一）", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"1.", SEG_STYLE_ARABIC, 1, 2, 3},
		{"二、", SEG_STYLE_HAN_COMMA, 2, 0, 1},
		{"1. (straight under 二、)", SEG_STYLE_ARABIC, 1, 4, 2},
		{"（一） (now under 1.)", SEG_STYLE_PAREN_HAN, 1, 5, 3},
		{"2.", SEG_STYLE_ARABIC, 2, 4, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A new style numbered n > 1 with no n-1 of its bracket family open is a child. */
static void test_new_style_with_no_list_to_continue_is_a_child(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		/* （2） is paren-family; the open 一、 is not, so no list changes style */
		{"（2）", SEG_STYLE_PAREN_ARABIC, 2, 1, 2},
		/* 2. is in 一、's family and 一、 is numbered 1 = 2-1, but 1. style was never used at
		 * the top level, so this is no change of style: a new level */
		{"2. (not a switch from 一、)", SEG_STYLE_ARABIC, 2, 2, 3},
		{"③", SEG_STYLE_CIRCLED, 3, 3, 4},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* Dandong: 第一章 > （一） > 1. */
static void test_levels_chapter_paren_han_arabic(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"第一章  基础与背景", SEG_STYLE_CHAPTER, 1, 0, 1},
		{"（一）发展基础", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"1.党的建设取得新成效", SEG_STYLE_ARABIC, 1, 2, 3},
		{"2.…", SEG_STYLE_ARABIC, 2, 2, 3},
		{"3. 教育发展跃上新高度", SEG_STYLE_ARABIC, 3, 2, 3},
		{"（二）面临形势", SEG_STYLE_PAREN_HAN, 2, 1, 2},
		{"第二章", SEG_STYLE_CHAPTER, 2, 0, 1},
		{"(一)…", SEG_STYLE_PAREN_HAN, 1, 7, 2},
		{"1.…", SEG_STYLE_ARABIC, 1, 8, 3},
		{"(六) 加强教育督导评估", SEG_STYLE_PAREN_HAN, 6, 7, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* Fuxin: 一、 > （一） > 1. > (1); the same 1. sits one level lower than in Dandong's
 * chapters-first plan only because of what is above it. */
static void test_levels_han_comma_paren_han_arabic_paren_arabic(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"（一）", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"1.", SEG_STYLE_ARABIC, 1, 2, 3},
		{"(1) 推进学前教育普及普惠发展。", SEG_STYLE_PAREN_ARABIC, 1, 3, 4},
		{"(2) 推动义务教育优质均衡发展。", SEG_STYLE_PAREN_ARABIC, 2, 3, 4},
		{"①", SEG_STYLE_CIRCLED, 1, 5, 5},
		{"2.", SEG_STYLE_ARABIC, 2, 2, 3},
		{"（二）", SEG_STYLE_PAREN_HAN, 2, 1, 2},
		{"二、", SEG_STYLE_HAN_COMMA, 2, 0, 1},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A plan whose top level is 1. and whose second level is （一）: the reverse order. */
static void test_levels_follow_first_appearance_not_style(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"1.", SEG_STYLE_ARABIC, 1, 0, 1},
		{"（一）", SEG_STYLE_PAREN_HAN, 1, 1, 2},
		{"（二）", SEG_STYLE_PAREN_HAN, 2, 1, 2},
		{"2.", SEG_STYLE_ARABIC, 2, 0, 1},
		{"第一节", SEG_STYLE_SECTION, 1, 4, 2},
		{"一、", SEG_STYLE_HAN_COMMA, 1, 5, 3},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* The divisions of a law have a fixed rank: 第二章 closes the articles of 第一章, a 节 goes
 * under the open 章 after its articles, a 分编 under the open 编, whatever came between. */
static void test_divisions_of_a_law_close_what_ranks_below_them(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"第一编 总则", SEG_STYLE_VOLUME, 1, 0, 1},
		{"第一章 基本规定", SEG_STYLE_CHAPTER, 1, 1, 2},
		{"第一条", SEG_STYLE_ARTICLE, 1, 2, 3},
		{"第二条", SEG_STYLE_ARTICLE, 2, 2, 3},
		{"第二章", SEG_STYLE_CHAPTER, 2, 1, 2},
		{"第三条", SEG_STYLE_ARTICLE, 3, 5, 3},
		{"第一节 (under 第二章, closing 第三条)", SEG_STYLE_SECTION, 1, 5, 3},
		{"第四条", SEG_STYLE_ARTICLE, 4, 7, 4},
		{"第二编", SEG_STYLE_VOLUME, 2, 0, 1},
		{"第一分编", SEG_STYLE_SUBVOLUME, 1, 9, 2},
		{"第三章", SEG_STYLE_CHAPTER, 3, 10, 3},
		{"第五条", SEG_STYLE_ARTICLE, 5, 11, 4},
		{"第二分编 (closes 第三章 and its articles)", SEG_STYLE_SUBVOLUME, 2, 9, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* A judicial interpretation groups its articles under 一、 二、: an article goes under the
 * open heading, and 二、 closes the articles of 一、. */
static void test_articles_under_han_comma_groups(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"一、一般规定", SEG_STYLE_HAN_COMMA, 1, 0, 1},
		{"第一条", SEG_STYLE_ARTICLE, 1, 1, 2},
		{"第二条", SEG_STYLE_ARTICLE, 2, 1, 2},
		{"二、合同的解除", SEG_STYLE_HAN_COMMA, 2, 0, 1},
		{"第三条", SEG_STYLE_ARTICLE, 3, 4, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* Parts and decimal numbering: 1.1 under 第一部分, 2.1.1 under 2.1, 2.2 closes 2.1.1. */
static void test_decimal_numbering_nests_by_its_parts(void **state)
{
	(void)state;
	static const step_t steps[] = {
		{"第一部分", SEG_STYLE_PART, 1, 0, 1},
		{"1.1", SEG_STYLE_DECIMAL2, 1, 1, 2},
		{"1.2", SEG_STYLE_DECIMAL2, 2, 1, 2},
		{"第二部分", SEG_STYLE_PART, 2, 0, 1},
		{"2.1", SEG_STYLE_DECIMAL2, 1, 4, 2},
		{"2.1.1", SEG_STYLE_DECIMAL3, 1, 5, 3},
		{"2.1.2", SEG_STYLE_DECIMAL3, 2, 5, 3},
		{"2.2", SEG_STYLE_DECIMAL2, 2, 4, 2},
	};
	run_steps(steps, N_ITEMS(steps));
}

/* However headings come, the outline never grows past SEG_MAX_DEPTH and stays a chain. */
static void test_depth_never_exceeds_max_depth(void **state)
{
	(void)state;
	static const seg_style_t styles[] = {
		SEG_STYLE_CHAPTER, SEG_STYLE_SECTION, SEG_STYLE_HAN_COMMA,
		SEG_STYLE_PAREN_HAN, SEG_STYLE_ARABIC, SEG_STYLE_PAREN_ARABIC,
		SEG_STYLE_CIRCLED, SEG_STYLE_BOX,
	};
	const size_t n_styles = N_ITEMS(styles);
	seg_outline_t o;

	/* 100 headings numbered 1, a new style (or a box) each time */
	seg_outline_init(&o, 0);
	for (int i = 0; i < 100; i++) {
		seg_heading_t h = make_heading(styles[(size_t)i % n_styles], 1);
		int parent = seg_outline_place(&o, &h, i + 1);
		assert_true(parent >= 0 && parent <= i);
		assert_true(seg_outline_depth(&o) >= 1);
		assert_true(seg_outline_depth(&o) <= SEG_MAX_DEPTH);
		assert_int_equal(o.open[o.depth].section, i + 1);
		assert_int_equal(o.open[o.depth - 1].section, parent);
	}

	/* the same styles in reverse, then box / numbered 1 pairs */
	seg_outline_init(&o, 0);
	for (int i = 0; i < 100; i++) {
		seg_style_t st = i < 50 ? styles[n_styles - 1 - (size_t)i % n_styles]
					: (i % 2 ? SEG_STYLE_BOX : styles[(size_t)(i / 2) % (n_styles - 1)]);
		seg_heading_t h = make_heading(st, 1);
		int parent = seg_outline_place(&o, &h, i + 1);
		assert_true(parent >= 0 && parent <= i);
		assert_true(seg_outline_depth(&o) <= SEG_MAX_DEPTH);
		assert_int_equal(o.open[o.depth].section, i + 1);
	}

	/* a long deterministic pseudo-random sequence of styles and numbers */
	seg_outline_init(&o, 0);
	unsigned long x = 12345;
	for (int i = 0; i < 5000; i++) {
		x = x * 1103515245UL + 12345UL;
		seg_style_t st = styles[(x >> 16) % n_styles];
		int number = (int)((x >> 8) % 5);
		seg_heading_t h = make_heading(st, number);
		int parent = seg_outline_place(&o, &h, i + 1);
		assert_true(parent >= 0 && parent <= i);
		assert_true(seg_outline_depth(&o) >= 1);
		assert_true(seg_outline_depth(&o) <= SEG_MAX_DEPTH);
		assert_int_equal(o.open[o.depth].section, i + 1);
		assert_int_equal(o.open[o.depth - 1].section, parent);
	}
}

/* ---- seg_document_parse ------------------------------------------------------------- */

static seg_document_t *parse_ok(const char *text, size_t body_start, size_t body_end)
{
	seg_document_t *doc = NULL;
	char *error = NULL;
	int rc = seg_document_parse(text, strlen(text), body_start, body_end, &doc, &error);
	if (rc != 0)
		fail_msg("seg_document_parse failed: %s", error ? error : "(no message)");
	assert_null(error);
	assert_non_null(doc);
	return doc;
}

static void parse_whole(const char *text, seg_document_t **out)
{
	*out = parse_ok(text, 0, strlen(text));
}

/* Expected section: its path, label, title, parent, depth and heading line. */
typedef struct want_section {
	const char *path;
	const char *label;
	const char *title;
	int parent;
	int depth;
	int line;
} want_section_t;

/* Expected clause: section index, ordinal, line and exact bytes. */
typedef struct want_clause {
	int section;
	int ordinal;
	int line;
	const char *bytes;
	const char *ref;
} want_clause_t;

static void check_sections(const seg_document_t *doc, const want_section_t *want, size_t n)
{
	assert_int_equal(doc->n_sections, n);
	for (size_t i = 0; i < n; i++) {
		const seg_section_t *s = &doc->sections[i];
		if (strcmp(s->path, want[i].path) != 0)
			fail_msg("section %zu: path \"%s\", expected \"%s\"", i, s->path, want[i].path);
		assert_string_equal(s->label, want[i].label);
		assert_string_equal(s->title, want[i].title);
		assert_int_equal(s->parent, want[i].parent);
		assert_int_equal(s->depth, want[i].depth);
		if (s->line != want[i].line)
			fail_msg("section %zu (%s): line %d, expected %d", i, s->path, s->line,
				 want[i].line);
		if (i > 0)
			assert_true(s->parent < (int)i); /* parents come before children */
	}
	assert_int_equal(doc->sections[0].style, SEG_STYLE_COUNT);
	assert_int_equal(doc->sections[0].number, 0);
}

static void check_clauses(const char *text, const seg_document_t *doc, const want_clause_t *want,
			  size_t n)
{
	assert_int_equal(doc->n_clauses, n);
	for (size_t i = 0; i < n; i++) {
		const seg_clause_t *c = &doc->clauses[i];
		if (c->section != want[i].section || c->ordinal != want[i].ordinal ||
		    c->line != want[i].line)
			fail_msg("clause %zu \"%.*s\": section %d ordinal %d line %d, expected "
				 "section %d ordinal %d line %d",
				 i, (int)(c->end - c->start), text + c->start, c->section, c->ordinal,
				 c->line, want[i].section, want[i].ordinal, want[i].line);
		assert_bytes_equal(text, c->start, c->end, want[i].bytes);
		if (c->ordinal == 0) {
			assert_int_equal(c->paragraph, -1);
			assert_int_equal(c->start, doc->sections[c->section].heading_start);
			assert_int_equal(c->end, doc->sections[c->section].heading_end);
		} else {
			/* a body clause lies inside its paragraph, of the same section and line */
			assert_true(c->paragraph >= 0 && (size_t)c->paragraph < doc->n_paragraphs);
			const seg_paragraph_t *p = &doc->paragraphs[c->paragraph];
			assert_int_equal(p->section, c->section);
			assert_int_equal(p->line, c->line);
			assert_true(p->start <= c->start && c->end <= p->end);
		}
		if (i > 0)
			assert_true(doc->clauses[i - 1].end <= c->start); /* text order */
		if (want[i].ref != NULL) {
			char buf[64];
			int need = seg_clause_ref(doc, c, buf, sizeof buf);
			assert_int_equal(need, (int)strlen(want[i].ref));
			assert_string_equal(buf, want[i].ref);
		}
	}
}

/* A plan with a title block before the body and a footer after it. Line numbers: */
static const char plan_text[] =
	"某市教育事业发展“十四五”规划\n"                   /* 1: title block */
	"一、这一行在正文之外\n"                          /* 2: title block */
	"前言：为加快教育现代化，制定本规划。现予印发！\n"     /* 3: body starts */
	"一、总体要求\n"                                 /* 4 */
	"（一）指导思想\n"                               /* 5 */
	"坚持立德树人。推进“双减”工作。”\n"               /* 6 */
	"（二）基本原则。坚持公益普惠；坚持改革创新  \n"     /* 7 */
	"　 \n"                                          /* 8: blank */
	"二、发展目标\n"                                 /* 9 */
	"\t到2025年，基本实现教育现代化\n"                 /* 10 */
	"三、主要任务\n"                                 /* 11 */
	"（一）落实立德树人\n"                            /* 12 */
	"\t专栏1  立德树人工程\n"                         /* 13 */
	"\t1.时事新闻课项目。在中小学开设时事新闻课。\n"     /* 14 */
	"2.学校体育美育提升计划。\n"                      /* 15: body ends after this line */
	"（三）页脚之外的标题。\n"                        /* 16: footer */
	"版权所有。\n";                                  /* 17: footer */

static void plan_body(size_t *start, size_t *end)
{
	*start = (size_t)(strstr(plan_text, "前言") - plan_text);
	*end = (size_t)(strstr(plan_text, "（三）页脚") - plan_text);
}

static void test_document_section_paths_from_structure(void **state)
{
	(void)state;
	size_t bs, be;
	plan_body(&bs, &be);
	seg_document_t *doc = parse_ok(plan_text, bs, be);
	static const want_section_t want[] = {
		{"0", "", "", -1, 0, 3},
		{"1", "一、", "总体要求", 0, 1, 4},
		{"1.1", "（一）", "指导思想", 1, 2, 5},
		{"1.2", "（二）", "基本原则", 1, 2, 7},
		{"2", "二、", "发展目标", 0, 1, 9},
		{"3", "三、", "主要任务", 0, 1, 11},
		{"3.1", "（一）", "落实立德树人", 5, 2, 12},
		{"3.1.b1", "专栏1", "立德树人工程", 6, 3, 13},
		{"3.1.b1.1", "1.", "时事新闻课项目", 7, 4, 14},
		{"3.1.b1.2", "2.", "学校体育美育提升计划", 7, 4, 15},
	};
	check_sections(doc, want, N_ITEMS(want));
	assert_int_equal(doc->sections[6].n_box_children, 1);
	assert_int_equal(doc->sections[6].n_numbered_children, 0);
	assert_int_equal(doc->sections[7].n_numbered_children, 2);
	assert_int_equal(doc->sections[0].n_numbered_children, 3);
	seg_document_free(doc);
}

static void test_document_heading_clause_is_ordinal_zero_and_body_clauses_count_per_section(
	void **state)
{
	(void)state;
	size_t bs, be;
	plan_body(&bs, &be);
	seg_document_t *doc = parse_ok(plan_text, bs, be);
	static const want_clause_t want[] = {
		{0, 1, 3, "前言：为加快教育现代化，制定本规划。", "0/1"},
		{0, 2, 3, "现予印发！", "0/2"},
		{1, 0, 4, "一、总体要求", "1/0"},
		{2, 0, 5, "（一）指导思想", "1.1/0"},
		{2, 1, 6, "坚持立德树人。", "1.1/1"},
		{2, 2, 6, "推进“双减”工作。”", "1.1/2"},
		{3, 0, 7, "（二）基本原则。", "1.2/0"},
		{3, 1, 7, "坚持公益普惠；", "1.2/1"},
		{3, 2, 7, "坚持改革创新", "1.2/2"},
		{4, 0, 9, "二、发展目标", "2/0"},
		{4, 1, 10, "到2025年，基本实现教育现代化", "2/1"},
		{5, 0, 11, "三、主要任务", "3/0"},
		{6, 0, 12, "（一）落实立德树人", "3.1/0"},
		{7, 0, 13, "专栏1  立德树人工程", "3.1.b1/0"},
		{8, 0, 14, "1.时事新闻课项目。", "3.1.b1.1/0"},
		{8, 1, 14, "在中小学开设时事新闻课。", "3.1.b1.1/1"},
		{9, 0, 15, "2.学校体育美育提升计划。", "3.1.b1.2/0"},
	};
	check_clauses(plan_text, doc, want, N_ITEMS(want));
	assert_int_equal(doc->sections[0].n_clauses, 2);
	assert_int_equal(doc->sections[2].n_clauses, 2);
	assert_int_equal(doc->sections[3].n_clauses, 2);
	assert_int_equal(doc->sections[1].n_clauses, 0);
	seg_document_free(doc);
}

typedef struct want_paragraph {
	int section;
	int ordinal;
	int line;
	const char *bytes;
} want_paragraph_t;

static void test_document_paragraphs_are_trimmed_lines_with_file_line_numbers(void **state)
{
	(void)state;
	size_t bs, be;
	plan_body(&bs, &be);
	seg_document_t *doc = parse_ok(plan_text, bs, be);
	static const want_paragraph_t want[] = {
		{0, 1, 3, "前言：为加快教育现代化，制定本规划。现予印发！"},
		{2, 1, 6, "坚持立德树人。推进“双减”工作。”"},
		{3, 1, 7, "坚持公益普惠；坚持改革创新"}, /* the rest of a run-in heading's line */
		{4, 1, 10, "到2025年，基本实现教育现代化"},
		{8, 1, 14, "在中小学开设时事新闻课。"},
	};
	assert_int_equal(doc->n_paragraphs, N_ITEMS(want));
	for (size_t i = 0; i < N_ITEMS(want); i++) {
		const seg_paragraph_t *p = &doc->paragraphs[i];
		assert_int_equal(p->section, want[i].section);
		assert_int_equal(p->ordinal, want[i].ordinal);
		if (p->line != want[i].line)
			fail_msg("paragraph %zu: line %d, expected %d", i, p->line, want[i].line);
		assert_bytes_equal(plan_text, p->start, p->end, want[i].bytes);
	}
	seg_document_free(doc);
}

static void test_document_ignores_lines_outside_the_body(void **state)
{
	(void)state;
	size_t bs, be;
	plan_body(&bs, &be);
	seg_document_t *doc = parse_ok(plan_text, bs, be);
	/* nothing from lines 1-2 or 16-17 */
	for (size_t i = 0; i < doc->n_clauses; i++) {
		assert_true(doc->clauses[i].start >= bs);
		assert_true(doc->clauses[i].end <= be);
		assert_true(doc->clauses[i].line >= 3 && doc->clauses[i].line <= 15);
	}
	for (size_t i = 1; i < doc->n_sections; i++) {
		assert_true(doc->sections[i].heading_start >= bs);
		assert_string_not_equal(doc->sections[i].title, "这一行在正文之外");
		assert_string_not_equal(doc->sections[i].title, "页脚之外的标题");
	}
	seg_document_free(doc);

	/* the whole file as body: now the outside lines count, and the numbering shifts */
	parse_whole(plan_text, &doc);
	assert_int_equal(doc->sections[0].line, 1);
	assert_string_equal(doc->sections[1].title, "这一行在正文之外");
	assert_string_equal(doc->sections[1].path, "1");
	assert_string_equal(doc->sections[doc->n_sections - 1].title, "页脚之外的标题");
	assert_int_equal(doc->sections[doc->n_sections - 1].line, 16);
	seg_document_free(doc);

	/* a body that ends mid-file without a final newline still ends where it is told */
	size_t cut = (size_t)(strstr(plan_text, "二、发展目标") - plan_text);
	doc = parse_ok(plan_text, bs, cut);
	assert_int_equal(doc->n_sections, 4);
	assert_string_equal(doc->sections[3].path, "1.2");
	seg_document_free(doc);

	/* an empty body is just the root */
	doc = parse_ok(plan_text, bs, bs);
	assert_int_equal(doc->n_sections, 1);
	assert_int_equal(doc->n_clauses, 0);
	assert_int_equal(doc->n_paragraphs, 0);
	assert_string_equal(doc->sections[0].path, "0");
	assert_int_equal(doc->sections[0].line, 3);
	seg_document_free(doc);
}

/* Tonghua's shapes: the （1）→（二） style change, boxes, run-in headings with ** emphasis. */
static const char tonghua_text[] =
	"一、规划背景\n"                                        /* 1 */
	"（一）发展基础。\n"                                    /* 2 */
	"“十三五”期间，我市坚持教育优先发展战略。\n"              /* 3 */
	"二、主要任务\n"                                        /* 4 */
	"（1） 全面贯彻落实立德树人根本任务。\n"                  /* 5 */
	"\t专栏3  立德树人工程\n"                               /* 6 */
	"\n"                                                   /* 7 */
	"\t1.时事新闻课项目。在中小学开设时事新闻课；引导学生。\n"  /* 8 */
	"（二）着力推进教育改革。\n"                             /* 9 */
	"（三）深化课程改革。\n"                                 /* 10 */
	"（1）**强化师德师风建设。**建立监督机制。严格落实准则。\n" /* 11 */
	"文本框: 重点项目1\n"                                   /* 12 */
	"◆以立德树人为根本。";                                   /* 13: no final newline */

static void test_document_tonghua_style_change_boxes_and_emphasis(void **state)
{
	(void)state;
	seg_document_t *doc;
	parse_whole(tonghua_text, &doc);
	static const want_section_t sections[] = {
		{"0", "", "", -1, 0, 1},
		{"1", "一、", "规划背景", 0, 1, 1},
		{"1.1", "（一）", "发展基础", 1, 2, 2},
		{"2", "二、", "主要任务", 0, 1, 4},
		{"2.1", "（1）", "全面贯彻落实立德树人根本任务", 3, 2, 5},
		{"2.1.b1", "专栏3", "立德树人工程", 4, 3, 6},
		{"2.1.b1.1", "1.", "时事新闻课项目", 5, 4, 8},
		{"2.2", "（二）", "着力推进教育改革", 3, 2, 9},
		{"2.3", "（三）", "深化课程改革", 3, 2, 10},
		{"2.3.1", "（1）", "强化师德师风建设", 8, 3, 11},
		{"2.3.1.b1", "重点项目1", "", 9, 4, 12},
	};
	check_sections(doc, sections, N_ITEMS(sections));
	static const want_clause_t clauses[] = {
		{1, 0, 1, "一、规划背景", "1/0"},
		{2, 0, 2, "（一）发展基础。", "1.1/0"},
		{2, 1, 3, "“十三五”期间，我市坚持教育优先发展战略。", "1.1/1"},
		{3, 0, 4, "二、主要任务", "2/0"},
		{4, 0, 5, "（1） 全面贯彻落实立德树人根本任务。", "2.1/0"},
		{5, 0, 6, "专栏3  立德树人工程", "2.1.b1/0"},
		{6, 0, 8, "1.时事新闻课项目。", "2.1.b1.1/0"},
		{6, 1, 8, "在中小学开设时事新闻课；", "2.1.b1.1/1"},
		{6, 2, 8, "引导学生。", "2.1.b1.1/2"},
		{7, 0, 9, "（二）着力推进教育改革。", "2.2/0"},
		{8, 0, 10, "（三）深化课程改革。", "2.3/0"},
		{9, 0, 11, "（1）**强化师德师风建设。**", "2.3.1/0"},
		{9, 1, 11, "建立监督机制。", "2.3.1/1"},
		{9, 2, 11, "严格落实准则。", "2.3.1/2"},
		{10, 0, 12, "文本框: 重点项目1", "2.3.1.b1/0"},
		{10, 1, 13, "◆以立德树人为根本。", "2.3.1.b1/1"},
	};
	check_clauses(tonghua_text, doc, clauses, N_ITEMS(clauses));
	seg_document_free(doc);
}

/* The sections of a document as "path label title line" lines, for comparing with a
 * table. */
static void check_outline(const seg_document_t *doc, const char *const *want, size_t n)
{
	if (doc->n_sections - 1 != n)
		fail_msg("%zu sections, expected %zu", doc->n_sections - 1, n);
	for (size_t i = 1; i < doc->n_sections; i++) {
		const seg_section_t *sec = &doc->sections[i];
		char got[512];
		snprintf(got, sizeof got, "%s %s%s%s %d", sec->path, sec->label,
			 *sec->title ? " " : "", sec->title, sec->line);
		if (strcmp(got, want[i - 1]) != 0)
			fail_msg("section %zu is \"%s\", expected \"%s\"", i, got, want[i - 1]);
	}
}

/* Numbered lines after a line ending in ： that end like list items are a list; the same
 * numbering with bodies between, or after a line that does not end in ：, is headings. */
static void test_document_numbered_lines_after_a_colon_are_a_list(void **state)
{
	(void)state;
	const char *text = "一、主要任务\n"
			   "各地要做好以下工作：\n"
			   "1.完善课程指导体系；\n"
			   "2.加强教研指导；\n"
			   "3.健全质量评估制度。\n"
			   "二、保障措施\n"
			   "（一）加强组织领导\n"
			   "各级政府要压实责任。\n"
			   "（二）加大经费投入\n"
			   "逐步提高保障水平。\n";
	seg_document_t *doc;
	parse_whole(text, &doc);
	static const char *const outline[] = {"1 一、 主要任务 1", "2 二、 保障措施 6",
					      "2.1 （一） 加强组织领导 7",
					      "2.2 （二） 加大经费投入 9"};
	check_outline(doc, outline, N_ITEMS(outline));
	/* the paragraph and its three items, all in 一、 */
	assert_int_equal(doc->n_paragraphs, 6);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(doc->paragraphs[i].section, 1);
		assert_int_equal(doc->paragraphs[i].item_level, i == 0 ? 0 : 1);
		assert_int_equal(doc->paragraphs[i].item_number, i);
	}
	assert_int_equal(doc->n_warnings, 0);
	seg_document_free(doc);
}

/* A law's articles: the label is the heading, the rest of the line its first 款, its
 * numbered lines its items (项) and their items (目), never sections; a line numbered in a
 * style open above the article is the next heading. */
static void test_document_article_paragraphs_and_items(void **state)
{
	(void)state;
	const char *text = "一、一般规定\n"
			   "第一条　为了规范管理，制定本办法。\n"
			   "第二条　有下列情形之一的，予以处理：\n"
			   "（一）未经许可擅自办学的；\n"
			   "（二）有下列行为的：\n"
			   "1.虚假宣传；\n"
			   "2.违规收费；\n"
			   "（三）其他情形。\n"
			   "情节严重的，依法处理。\n"
			   "二、附则\n"
			   "第三条　本办法自发布之日起施行。\n";
	seg_document_t *doc;
	parse_whole(text, &doc);
	static const char *const outline[] = {"1 一、 一般规定 1", "1.a1 第一条 2", "1.a2 第二条 3",
					      "2 二、 附则 10", "2.a3 第三条 11"};
	check_outline(doc, outline, N_ITEMS(outline));
	static const struct {
		int section, ordinal, line, level, number;
	} paras[] = {
		{2, 1, 2, 0, 0}, {3, 1, 3, 0, 0}, {3, 2, 4, 1, 1}, {3, 3, 5, 1, 2}, {3, 4, 6, 2, 1},
		{3, 5, 7, 2, 2}, {3, 6, 8, 1, 3}, {3, 7, 9, 0, 0}, {5, 1, 11, 0, 0},
	};
	assert_int_equal(doc->n_paragraphs, N_ITEMS(paras));
	for (size_t i = 0; i < N_ITEMS(paras); i++) {
		const seg_paragraph_t *p = &doc->paragraphs[i];
		if (p->section != paras[i].section || p->ordinal != paras[i].ordinal ||
		    p->line != paras[i].line || p->item_level != paras[i].level ||
		    p->item_number != paras[i].number)
			fail_msg("paragraph %zu: section %d p%d line %d item %d/%d", i, p->section,
				 p->ordinal, p->line, p->item_level, p->item_number);
	}
	/* the article's heading clause is its label alone */
	assert_bytes_equal(text, doc->sections[2].heading_start, doc->sections[2].heading_end,
			   "第一条");
	seg_document_free(doc);
}

/* A line that ends mid-sentence goes on into the next non-blank line: one paragraph over
 * both, a clause across the break; a finished sentence, a heading or a title does not. */
static void test_document_sentence_broken_across_lines_is_one_paragraph(void **state)
{
	(void)state;
	const char *text = "一、主要成就\n"
			   "教育改革取得新突破。开展课堂教学改革，打造有效、高效\n"
			   "\n"
			   "课堂；推进课程改革。\n"
			   "前言\n"
			   "各地要做好工作。\n";
	seg_document_t *doc;
	parse_whole(text, &doc);
	assert_int_equal(doc->n_paragraphs, 3);
	const seg_paragraph_t *p = &doc->paragraphs[0];
	assert_int_equal(p->line, 2);
	assert_int_equal(p->end_line, 4);
	assert_bytes_equal(text, p->start, p->end,
			   "教育改革取得新突破。开展课堂教学改革，打造有效、高效\n\n"
			   "课堂；推进课程改革。");
	/* clauses: 教育改革取得新突破。 | 开展…高效⏎课堂； | 推进课程改革。 */
	const seg_clause_t *c = &doc->clauses[2];
	assert_bytes_equal(text, c->start, c->end, "开展课堂教学改革，打造有效、高效\n\n课堂；");
	assert_int_equal(c->line, 2);
	/* sentences: the clause cut at ； is the first part of sentence 2 */
	assert_int_equal(doc->clauses[1].sentence, 1);
	assert_int_equal(c->sentence, 2);
	assert_int_equal(c->part, 1);
	assert_int_equal(doc->clauses[3].sentence, 2);
	assert_int_equal(doc->clauses[3].part, 2);
	/* 前言 is a line of its own: a title, not a continuation */
	assert_int_equal(doc->paragraphs[1].line, 5);
	assert_int_equal(doc->paragraphs[1].end_line, 5);
	seg_document_free(doc);
}

/* A table of contents (目录 and the headings the body repeats) is text; decimal numbering
 * and articles are headings only where the document numbers so consistently. */
static void test_document_toc_and_inconsistent_numbering_are_text_with_warnings(void **state)
{
	(void)state;
	const char *toc = "目　录\n第一章　总则\n第二章　附则\n第一章　总则\n总的规定。\n"
			  "第二章　附则\n附带的规定。\n";
	seg_document_t *doc;
	parse_whole(toc, &doc);
	static const char *const toc_outline[] = {"1 第一章 总则 4", "2 第二章 附则 6"};
	check_outline(doc, toc_outline, N_ITEMS(toc_outline));
	assert_int_equal(doc->toc_first_line, 1);
	assert_int_equal(doc->toc_last_line, 3);
	seg_document_free(doc);

	/* the same law as published in traditional characters */
	const char *trad = "目　錄\n第一章　總則\n第二章　附則\n第一章　總則\n第一條　總的規定。\n"
			   "第二章　附則\n第二條　附帶的規定。\n";
	parse_whole(trad, &doc);
	static const char *const trad_outline[] = {"1 第一章 總則 4", "1.a1 第一條 5",
						   "2 第二章 附則 6", "2.a2 第二條 7"};
	check_outline(doc, trad_outline, N_ITEMS(trad_outline));
	assert_int_equal(doc->toc_last_line, 3);
	seg_document_free(doc);

	/* 2.8亿元… alone is no numbering; nor is one 第一条 in a plan */
	const char *lone = "一、投入\n2.8 亿元专项资金用于学校建设。\n第一条高速公路通到学校。\n";
	parse_whole(lone, &doc);
	static const char *const lone_outline[] = {"1 一、 投入 1"};
	check_outline(doc, lone_outline, N_ITEMS(lone_outline));
	seg_document_free(doc);

	/* articles are checked through the law, decimal numbers within their run */
	const char *laws = "第一章　总则\n第一条　甲。\n第二条　乙。\n第二章　附则\n第五条　丙。\n";
	parse_whole(laws, &doc);
	assert_int_equal(doc->n_warnings, 1);
	assert_contains(doc->warnings[0].message, "第五条 follows 第二条 (line 3)");
	seg_document_free(doc);
	const char *runs = "5.1 甲\n5.2 乙\n6.1 丙\n6.3 丁\n";
	parse_whole(runs, &doc);
	assert_int_equal(doc->n_warnings, 1);
	assert_int_equal(doc->warnings[0].line, 4);
	assert_contains(doc->warnings[0].message, "6.3 follows 6.1 (line 3)");
	seg_document_free(doc);

	/* a skipped number and a style used once are warned about, naming the line */
	const char *skips = "一、甲\n（一）子\n（三）丑\n二、乙\n（1）寅\n";
	parse_whole(skips, &doc);
	assert_int_equal(doc->n_warnings, 2);
	assert_int_equal(doc->warnings[0].line, 3);
	assert_contains(doc->warnings[0].message, "（三） follows （一） (line 2)");
	assert_int_equal(doc->warnings[1].line, 5);
	assert_contains(doc->warnings[1].message, "（1） is the only heading numbered this way");
	seg_document_free(doc);
}

static void test_document_body_range_outside_text_fails(void **state)
{
	(void)state;
	const char *text = "一、总体要求\n";
	size_t len = strlen(text);
	seg_document_t *doc = (seg_document_t *)(uintptr_t)0x1; /* must stay untouched */
	char *error = NULL;
	assert_int_equal(seg_document_parse(text, len, 0, len + 1, &doc, &error), -1);
	assert_non_null(error);
	assert_ptr_equal(doc, (seg_document_t *)(uintptr_t)0x1);
	free(error);
	error = NULL;
	assert_int_equal(seg_document_parse(text, len, 5, 4, &doc, &error), -1);
	assert_non_null(error);
	assert_ptr_equal(doc, (seg_document_t *)(uintptr_t)0x1);
	free(error);
	seg_document_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outline_starts_empty_at_the_given_root),
		cmocka_unit_test(test_tonghua_paren_arabic_then_paren_han_are_siblings),
		cmocka_unit_test(test_tonghua_style_change_closes_the_box_under_the_first_item),
		cmocka_unit_test(test_box_is_child_of_latest_heading_and_numbered_one_starts_its_list),
		cmocka_unit_test(test_box_without_open_box_nests_under_latest_heading_or_root),
		cmocka_unit_test(test_dalian_open_style_after_box_closes_the_box),
		cmocka_unit_test(test_top_level_style_after_a_box_is_not_the_boxs_item),
		cmocka_unit_test(test_closed_style_numbered_one_is_a_new_level),
		cmocka_unit_test(test_new_style_with_no_list_to_continue_is_a_child),
		cmocka_unit_test(test_item_style_open_outside_a_box_is_not_the_boxs_list),
		cmocka_unit_test(test_box_does_not_swallow_the_headings_after_it),
		cmocka_unit_test(test_style_switch_needs_a_style_used_at_that_depth),
		cmocka_unit_test(test_levels_chapter_paren_han_arabic),
		cmocka_unit_test(test_levels_han_comma_paren_han_arabic_paren_arabic),
		cmocka_unit_test(test_levels_follow_first_appearance_not_style),
		cmocka_unit_test(test_divisions_of_a_law_close_what_ranks_below_them),
		cmocka_unit_test(test_articles_under_han_comma_groups),
		cmocka_unit_test(test_decimal_numbering_nests_by_its_parts),
		cmocka_unit_test(test_depth_never_exceeds_max_depth),
		cmocka_unit_test(test_document_section_paths_from_structure),
		cmocka_unit_test(test_document_heading_clause_is_ordinal_zero_and_body_clauses_count_per_section),
		cmocka_unit_test(test_document_paragraphs_are_trimmed_lines_with_file_line_numbers),
		cmocka_unit_test(test_document_ignores_lines_outside_the_body),
		cmocka_unit_test(test_document_tonghua_style_change_boxes_and_emphasis),
		cmocka_unit_test(test_document_numbered_lines_after_a_colon_are_a_list),
		cmocka_unit_test(test_document_article_paragraphs_and_items),
		cmocka_unit_test(test_document_sentence_broken_across_lines_is_one_paragraph),
		cmocka_unit_test(test_document_toc_and_inconsistent_numbering_are_text_with_warnings),
		cmocka_unit_test(test_document_body_range_outside_text_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
