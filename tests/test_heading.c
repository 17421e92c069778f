/* test_heading.c: seg_heading_parse on real heading lines of every numbering style, and on lines that are not headings. */
#include "test.h"

#include "heading.h"

#include <stdbool.h>

/* One line and what seg_heading_parse must make of it. For a heading, label, title and
 * heading_clause are the exact bytes of the line that [label_start,label_end),
 * [title_start,title_end) and [start,end) must cover. */
typedef struct heading_case {
	const char *line;
	bool expect_heading;
	seg_style_t style;
	int number;
	const char *label;
	const char *title;
	bool run_in;
	const char *heading_clause;
} heading_case_t;

#define N_CASES(a) (sizeof(a) / sizeof((a)[0]))

/* Compare line[s,e) with `want`, naming the line and the field when they differ. */
static void expect_bytes(const char *line, size_t s, size_t e, const char *want,
			 const char *field)
{
	if (e < s || e - s != strlen(want) || memcmp(line + s, want, e - s) != 0)
		print_error("line \"%s\": %s differs\n", line, field);
	assert_bytes_equal(line, s, e, want);
}

static void check_case(const heading_case_t *c)
{
	size_t len = strlen(c->line);
	seg_heading_t h;
	memset(&h, 0x5A, sizeof h);
	bool got = seg_heading_parse(c->line, len, &h);
	if (got != c->expect_heading)
		fail_msg("line \"%s\": expected %s, got %s", c->line,
			 c->expect_heading ? "a heading" : "no heading",
			 got ? "a heading" : "no heading");
	if (!got)
		return;
	if (h.style != c->style)
		fail_msg("line \"%s\": style %s, expected %s", c->line, seg_style_name(h.style),
			 seg_style_name(c->style));
	if (h.number != c->number)
		fail_msg("line \"%s\": number %d, expected %d", c->line, h.number, c->number);
	/* the offsets are ordered and inside the line */
	assert_true(h.start <= h.label_start);
	assert_true(h.label_start < h.label_end);
	assert_true(h.label_end <= h.title_start);
	assert_true(h.title_start <= h.title_end);
	assert_true(h.title_end <= h.end);
	assert_true(h.end <= len);
	expect_bytes(c->line, h.label_start, h.label_end, c->label, "label");
	expect_bytes(c->line, h.title_start, h.title_end, c->title, "title");
	expect_bytes(c->line, h.start, h.end, c->heading_clause, "heading clause");
	if (h.run_in != c->run_in)
		fail_msg("line \"%s\": run_in %d, expected %d", c->line, h.run_in, c->run_in);
}

static void check_cases(const heading_case_t *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_case(&cases[i]);
}

static void test_chapter_section_and_han_comma_headings(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"第一章  基础与背景", true, SEG_STYLE_CHAPTER, 1, "第一章", "基础与背景", false,
		 "第一章  基础与背景"},
		{"第四章 保障措施", true, SEG_STYLE_CHAPTER, 4, "第四章", "保障措施", false,
		 "第四章 保障措施"},
		{"第十二章　附则", true, SEG_STYLE_CHAPTER, 12, "第十二章", "附则", false,
		 "第十二章　附则"},
		{"第3章 主要任务", true, SEG_STYLE_CHAPTER, 3, "第3章", "主要任务", false,
		 "第3章 主要任务"},
		{"第二节 发展目标", true, SEG_STYLE_SECTION, 2, "第二节", "发展目标", false,
		 "第二节 发展目标"},
		{"一、总体要求", true, SEG_STYLE_HAN_COMMA, 1, "一、", "总体要求", false,
		 "一、总体要求"},
		{" 三、主要任务", true, SEG_STYLE_HAN_COMMA, 3, "三、", "主要任务", false,
		 "三、主要任务"},
		{"十、组织实施", true, SEG_STYLE_HAN_COMMA, 10, "十、", "组织实施", false,
		 "十、组织实施"},
		{"二十三、其他", true, SEG_STYLE_HAN_COMMA, 23, "二十三、", "其他", false,
		 "二十三、其他"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_chapter_label_may_stand_alone(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"第一章", true, SEG_STYLE_CHAPTER, 1, "第一章", "", false, "第一章"},
		{"\t第二节", true, SEG_STYLE_SECTION, 2, "第二节", "", false, "第二节"},
	};
	check_cases(cases, N_CASES(cases));
}

/* A label with no title ("第二节  "): the heading's clause is the trimmed line, without the
 * white space after the label. */
static void test_standalone_label_clause_excludes_trailing_space(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"第二节  ", true, SEG_STYLE_SECTION, 2, "第二节", "", false, "第二节"},
		{"第一章\t", true, SEG_STYLE_CHAPTER, 1, "第一章", "", false, "第一章"},
		{"文本框: 重点项目1　", true, SEG_STYLE_BOX, 1, "重点项目1", "", false,
		 "文本框: 重点项目1"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_paren_han_headings_in_full_and_half_width(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"（一）指导思想", true, SEG_STYLE_PAREN_HAN, 1, "（一）", "指导思想", false,
		 "（一）指导思想"},
		{"(三)基本原则", true, SEG_STYLE_PAREN_HAN, 3, "(三)", "基本原则", false,
		 "(三)基本原则"},
		{"(六) 加强教育督导评估", true, SEG_STYLE_PAREN_HAN, 6, "(六)", "加强教育督导评估",
		 false, "(六) 加强教育督导评估"},
		{"(六)深化教育综合改革,激发办学活力", true, SEG_STYLE_PAREN_HAN, 6, "(六)",
		 "深化教育综合改革,激发办学活力", false, "(六)深化教育综合改革,激发办学活力"},
		{"（十一）加强党的领导  ", true, SEG_STYLE_PAREN_HAN, 11, "（十一）", "加强党的领导",
		 false, "（十一）加强党的领导"},
		{"（二(mixed brackets）落实责任", false, 0, 0, NULL, NULL, false, NULL},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_arabic_headings_with_every_delimiter(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"1.党的建设取得新成效", true, SEG_STYLE_ARABIC, 1, "1.", "党的建设取得新成效", false,
		 "1.党的建设取得新成效"},
		{"3. 教育发展跃上新高度", true, SEG_STYLE_ARABIC, 3, "3.", "教育发展跃上新高度",
		 false, "3. 教育发展跃上新高度"},
		{"1、完善学前教育公共服务体系", true, SEG_STYLE_ARABIC, 1, "1、",
		 "完善学前教育公共服务体系", false, "1、完善学前教育公共服务体系"},
		{"1．推进义务教育优质均衡", true, SEG_STYLE_ARABIC, 1, "1．", "推进义务教育优质均衡",
		 false, "1．推进义务教育优质均衡"},
		{"１２．全角数字的标题", true, SEG_STYLE_ARABIC, 12, "１２．", "全角数字的标题", false,
		 "１２．全角数字的标题"},
		{"4. 全面提升基础教育发展水平", true, SEG_STYLE_ARABIC, 4, "4.",
		 "全面提升基础教育发展水平", false, "4. 全面提升基础教育发展水平"},
		{"\t1.时事新闻课项目", true, SEG_STYLE_ARABIC, 1, "1.", "时事新闻课项目", false,
		 "1.时事新闻课项目"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_paren_arabic_and_circled_headings(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"（1） 全面贯彻落实立德树人根本任务", true, SEG_STYLE_PAREN_ARABIC, 1, "（1）",
		 "全面贯彻落实立德树人根本任务", false, "（1） 全面贯彻落实立德树人根本任务"},
		{"(2)推动义务教育优质均衡发展", true, SEG_STYLE_PAREN_ARABIC, 2, "(2)",
		 "推动义务教育优质均衡发展", false, "(2)推动义务教育优质均衡发展"},
		{"（１０）全角数字", true, SEG_STYLE_PAREN_ARABIC, 10, "（１０）", "全角数字", false,
		 "（１０）全角数字"},
		{"⑴ 加强学生体育锻炼", true, SEG_STYLE_PAREN_ARABIC, 1, "⑴", "加强学生体育锻炼",
		 false, "⑴ 加强学生体育锻炼"},
		{"①学前教育普及普惠", true, SEG_STYLE_CIRCLED, 1, "①", "学前教育普及普惠", false,
		 "①学前教育普及普惠"},
		{"⑥ 特殊教育", true, SEG_STYLE_CIRCLED, 6, "⑥", "特殊教育", false, "⑥ 特殊教育"},
		{"⑳二十", true, SEG_STYLE_CIRCLED, 20, "⑳", "二十", false, "⑳二十"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_box_headings_label_the_box_number(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		/* Tonghua: tab-indented "专栏N  title" */
		{"\t专栏3  立德树人工程", true, SEG_STYLE_BOX, 3, "专栏3", "立德树人工程", false,
		 "专栏3  立德树人工程"},
		{"\t专栏14  校园校车安全保障工程", true, SEG_STYLE_BOX, 14, "专栏14",
		 "校园校车安全保障工程", false, "专栏14  校园校车安全保障工程"},
		/* Dalian: Word's text box, no title; the label skips the "文本框: " prefix but the
		 * heading's clause starts at the prefix */
		{"文本框: 重点项目1", true, SEG_STYLE_BOX, 1, "重点项目1", "", false,
		 "文本框: 重点项目1"},
		{"文本框：重点项目7", true, SEG_STYLE_BOX, 7, "重点项目7", "", false,
		 "文本框：重点项目7"},
		{"专栏 二  民族教育", true, SEG_STYLE_BOX, 2, "专栏 二", "民族教育", false,
		 "专栏 二  民族教育"},
		{"专栏：说明", false, 0, 0, NULL, NULL, false, NULL},
		{"文本框: 说明文字", false, 0, 0, NULL, NULL, false, NULL},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_runin_heading_splits_title_at_first_full_stop(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		/* Anshan: the title contains “双减” and 、 and ends at the first 。 */
		{"（三）实施“双减”工作、全面构建优良教育生态工程。减轻学生作业负担。着力抓好作业管理。",
		 true, SEG_STYLE_PAREN_HAN, 3, "（三）", "实施“双减”工作、全面构建优良教育生态工程",
		 true, "（三）实施“双减”工作、全面构建优良教育生态工程。"},
		/* Fuxin */
		{"(1) 推进学前教育普及普惠发展。坚持政府主导和公益普惠原则。", true,
		 SEG_STYLE_PAREN_ARABIC, 1, "(1)", "推进学前教育普及普惠发展", true,
		 "(1) 推进学前教育普及普惠发展。"},
		/* Tonghua: a comma does not end the title */
		{"3.持续开展“双减”工作，抓好义务教育段学生课后服务。落实消除大班额计划。", true,
		 SEG_STYLE_ARABIC, 3, "3.", "持续开展“双减”工作，抓好义务教育段学生课后服务", true,
		 "3.持续开展“双减”工作，抓好义务教育段学生课后服务。"},
		/* ！ and ？ end a title too */
		{"一、坚持党的领导！全面加强党的建设", true, SEG_STYLE_HAN_COMMA, 1, "一、",
		 "坚持党的领导", true, "一、坚持党的领导！"},
		{"（二）为什么要改革？因为需要。", true, SEG_STYLE_PAREN_HAN, 2, "（二）",
		 "为什么要改革", true, "（二）为什么要改革？"},
		/* a title with no terminator at all is the whole (trimmed) line */
		{"(二)  完善现代教育治理体系 \t", true, SEG_STYLE_PAREN_HAN, 2, "(二)",
		 "完善现代教育治理体系", false, "(二)  完善现代教育治理体系"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_runin_heading_clause_includes_closing_emphasis(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		/* Fuxin: the title keeps its opening ** (document.c strips it); the clause ends
		 * after the closing ** */
		{"（1）**强化师德师风建设。**建立政府、学校和社会参与的师德监督机制。", true,
		 SEG_STYLE_PAREN_ARABIC, 1, "（1）", "**强化师德师风建设", true,
		 "（1）**强化师德师风建设。**"},
		/* with nothing after the closing ** it is not run-in */
		{"（2）**优化教师资源配置。**", true, SEG_STYLE_PAREN_ARABIC, 2, "（2）",
		 "**优化教师资源配置", false, "（2）**优化教师资源配置。**"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_title_ending_in_full_stop_with_nothing_after_is_not_run_in(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"（一）发展基础。", true, SEG_STYLE_PAREN_HAN, 1, "（一）", "发展基础", false,
		 "（一）发展基础。"},
		{"（二）落实主体责任。  ", true, SEG_STYLE_PAREN_HAN, 2, "（二）", "落实主体责任",
		 false, "（二）落实主体责任。"},
		{"（1） 全面贯彻落实立德树人根本任务。", true, SEG_STYLE_PAREN_ARABIC, 1, "（1）",
		 "全面贯彻落实立德树人根本任务", false, "（1） 全面贯彻落实立德树人根本任务。"},
		{"2.学校体育美育提升计划。　", true, SEG_STYLE_ARABIC, 2, "2.",
		 "学校体育美育提升计划", false, "2.学校体育美育提升计划。"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_table_cells_and_enumerations_are_not_headings(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		/* Dandong's flattened indicator table: one cell a line */
		{"\t1", false, 0, 0, NULL, NULL, false, NULL},
		{"90.4", false, 0, 0, NULL, NULL, false, NULL},
		{"\t90.4", false, 0, 0, NULL, NULL, false, NULL},
		{"\t3.7:6.3", false, 0, 0, NULL, NULL, false, NULL},
		{"2025", false, 0, 0, NULL, NULL, false, NULL},
		{"2025年全市学前教育毛入园率达到90%", false, 0, 0, NULL, NULL, false, NULL},
		{"1.5倍", false, 0, 0, NULL, NULL, false, NULL},
		{"1.5倍以上", false, 0, 0, NULL, NULL, false, NULL},
		{"１．５倍", false, 0, 0, NULL, NULL, false, NULL},
		/* Fuxin's enumeration inside a paragraph */
		{"一是教育改革深入不够，教育评价体系不完善。", false, 0, 0, NULL, NULL, false, NULL},
		{"二是教育资源配置不够均衡", false, 0, 0, NULL, NULL, false, NULL},
		/* 十四 followed by 五 is not a numeral of the accepted shape */
		{"十四五、教育事业发展规划", false, 0, 0, NULL, NULL, false, NULL},
		{"“十四五”是通化绿色转型发展的关键期", false, 0, 0, NULL, NULL, false, NULL},
		/* prose */
		{"教育发展水平逐步提升。", false, 0, 0, NULL, NULL, false, NULL},
		{"第一批试点学校已经挂牌。", false, 0, 0, NULL, NULL, false, NULL},
		{"◆设立劳动教育必修课程。", false, 0, 0, NULL, NULL, false, NULL},
		{"", false, 0, 0, NULL, NULL, false, NULL},
		{" \t　", false, 0, 0, NULL, NULL, false, NULL},
		/* grade ranges, as 双减 rules word them: 一、二年级 is grades one and two */
		{"一、二年级不布置书面家庭作业。", false, 0, 0, NULL, NULL, false, NULL},
		{"三、四年级作业不超过60分钟。", false, 0, 0, NULL, NULL, false, NULL},
		{"五、十年级", false, 0, 0, NULL, NULL, false, NULL},
		{"一、二、三等奖获得者", false, 0, 0, NULL, NULL, false, NULL},
		/* quantities that start like decimal numbering */
		{"2.8亿元专项资金主要用于智慧校园建设。", false, 0, 0, NULL, NULL, false, NULL},
		{"1.2万名教师参加培训", false, 0, 0, NULL, NULL, false, NULL},
		{"3.5%的增长", false, 0, 0, NULL, NULL, false, NULL},
		{"1.1", false, 0, 0, NULL, NULL, false, NULL},
		{"1.1.1.1.1 太深的编号", false, 0, 0, NULL, NULL, false, NULL},
		{"第十四五条", false, 0, 0, NULL, NULL, false, NULL},
		/* a lesson, not a 第X节 section */
		{"第一节课前开展晨读。", false, 0, 0, NULL, NULL, false, NULL},
		{"第二節課後開展活動。", false, 0, 0, NULL, NULL, false, NULL},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_section_heading_and_byte_order_mark(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"第一节 总则", true, SEG_STYLE_SECTION, 1, "第一节", "总则", false, "第一节 总则"},
		{"第二节", true, SEG_STYLE_SECTION, 2, "第二节", "", false, "第二节"},
		/* a file saved on Windows starts with U+FEFF before its first heading */
		{"\xEF\xBB\xBF一、总体要求", true, SEG_STYLE_HAN_COMMA, 1, "一、", "总体要求", false,
		 "一、总体要求"},
	};
	check_cases(cases, N_CASES(cases));
}

static void test_bare_marker_is_not_heading(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"1.", false, 0, 0, NULL, NULL, false, NULL},
		{"（一）", false, 0, 0, NULL, NULL, false, NULL},
		{"(三)  ", false, 0, 0, NULL, NULL, false, NULL},
		{"一、", false, 0, 0, NULL, NULL, false, NULL},
		{"（1）", false, 0, 0, NULL, NULL, false, NULL},
		{"①", false, 0, 0, NULL, NULL, false, NULL},
		{"1、\t", false, 0, 0, NULL, NULL, false, NULL},
		/* a terminator right after the marker leaves an empty title too */
		{"（一）。", false, 0, 0, NULL, NULL, false, NULL},
	};
	check_cases(cases, N_CASES(cases));
}

/* Only `len` bytes are the line: a run-in heading cut before its body is a title in full. */
static void test_line_ends_at_len_not_at_nul(void **state)
{
	(void)state;
	const char *text = "（一）指导思想。坚持立德树人";
	size_t len = strlen("（一）指导思想");
	seg_heading_t h;
	assert_true(seg_heading_parse(text, len, &h));
	assert_int_equal(h.style, SEG_STYLE_PAREN_HAN);
	assert_bytes_equal(text, h.title_start, h.title_end, "指导思想");
	assert_int_equal(h.end, len);
	assert_false(h.run_in);

	/* "1.5" cut to "1." has no title */
	assert_false(seg_heading_parse("1.5倍", 2, &h));
}

/* The divisions of laws and long plans, with or without space between number and title,
 * Han ordinals into the thousands and Arabic ones. */
static void test_divisions_of_laws_and_plans_in_han_and_arabic_ordinals(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"第一编　总　　则", true, SEG_STYLE_VOLUME, 1, "第一编", "总　　则", false,
		 "第一编　总　　则"},
		{"第二分编 所有权", true, SEG_STYLE_SUBVOLUME, 2, "第二分编", "所有权", false,
		 "第二分编 所有权"},
		{"第三部分 保障措施", true, SEG_STYLE_PART, 3, "第三部分", "保障措施", false,
		 "第三部分 保障措施"},
		{"第一部分", true, SEG_STYLE_PART, 1, "第一部分", "", false, "第一部分"},
		{"第四篇　加快发展现代产业体系", true, SEG_STYLE_PIAN, 4, "第四篇",
		 "加快发展现代产业体系", false, "第四篇　加快发展现代产业体系"},
		{"第五节其他污染防治", true, SEG_STYLE_SECTION, 5, "第五节", "其他污染防治", false,
		 "第五节其他污染防治"},
		{"第十一章 附则", true, SEG_STYLE_CHAPTER, 11, "第十一章", "附则", false,
		 "第十一章 附则"},
		{"第二十章　附　　则", true, SEG_STYLE_CHAPTER, 20, "第二十章", "附　　则", false,
		 "第二十章　附　　则"},
		{"第12章 保障", true, SEG_STYLE_CHAPTER, 12, "第12章", "保障", false, "第12章 保障"},
		/* laws published in traditional characters */
		{"第一編 總則", true, SEG_STYLE_VOLUME, 1, "第一編", "總則", false, "第一編 總則"},
		{"第二分編 所有權", true, SEG_STYLE_SUBVOLUME, 2, "第二分編", "所有權", false,
		 "第二分編 所有權"},
		{"第三節 學校", true, SEG_STYLE_SECTION, 3, "第三節", "學校", false, "第三節 學校"},
		{"專欄2 重點工程", true, SEG_STYLE_BOX, 2, "專欄2", "重點工程", false,
		 "專欄2 重點工程"},
	};
	check_cases(cases, N_CASES(cases));
}

/* An article's label is its heading; the rest of the line is its first paragraph (款), and a
 * bracketed title after the label is the article's title. */
static void test_article_label_is_the_heading_and_the_rest_is_its_body(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"第一条　为了规范学前教育实施，制定本条例。", true, SEG_STYLE_ARTICLE, 1, "第一条",
		 "", true, "第一条"},
		{"第十条", true, SEG_STYLE_ARTICLE, 10, "第十条", "", false, "第十条"},
		{"第一百零五条　国家实行学校教育制度。", true, SEG_STYLE_ARTICLE, 105,
		 "第一百零五条", "", true, "第一百零五条"},
		{"第一千二百六十条 本法自2021年1月1日起施行。", true, SEG_STYLE_ARTICLE, 1260,
		 "第一千二百六十条", "", true, "第一千二百六十条"},
		{"第二百条 x", true, SEG_STYLE_ARTICLE, 200, "第二百条", "", true, "第二百条"},
		{"第二十一条", true, SEG_STYLE_ARTICLE, 21, "第二十一条", "", false, "第二十一条"},
		{"第105条 本办法自发布之日起施行。", true, SEG_STYLE_ARTICLE, 105, "第105条", "",
		 true, "第105条"},
		{"第三條 國家堅持以馬克思列寧主義為指導。", true, SEG_STYLE_ARTICLE, 3, "第三條", "",
		 true, "第三條"},
		{"第四条校外培训机构不得组织学科类培训。", true, SEG_STYLE_ARTICLE, 4, "第四条", "",
		 true, "第四条"},
		{"第一条【目的依据】为了规范办学行为，制定本办法。", true, SEG_STYLE_ARTICLE, 1,
		 "第一条", "目的依据", true, "第一条【目的依据】"},
		{"第二条（适用范围）本办法适用于本市。", true, SEG_STYLE_ARTICLE, 2, "第二条",
		 "适用范围", true, "第二条（适用范围）"},
		/* a parenthesis of the body is not a title */
		{"第三条（一）项所列情形除外。", true, SEG_STYLE_ARTICLE, 3, "第三条", "", true,
		 "第三条"},
		{"第四条 国家（政府）鼓励社会力量举办教育。", true, SEG_STYLE_ARTICLE, 4, "第四条",
		 "", true, "第四条"},
	};
	check_cases(cases, N_CASES(cases));
}

/* Laws published in Markdown: the marks before a heading are not part of it. */
static void test_markdown_marks_before_a_heading_are_skipped(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"## 第二章 学位工作体制", true, SEG_STYLE_CHAPTER, 2, "第二章", "学位工作体制", false,
		 "第二章 学位工作体制"},
		{"- 第一条　为了规范管理，制定本法。", true, SEG_STYLE_ARTICLE, 1, "第一条", "", true,
		 "第一条"},
		{"# 一、总体要求", true, SEG_STYLE_HAN_COMMA, 1, "一、", "总体要求", false,
		 "一、总体要求"},
		{"* （一）指导思想", true, SEG_STYLE_PAREN_HAN, 1, "（一）", "指导思想", false,
		 "（一）指导思想"},
		{"#话题", false, 0, 0, NULL, NULL, false, NULL},
		{"-1.5倍", false, 0, 0, NULL, NULL, false, NULL},
	};
	check_cases(cases, N_CASES(cases));
}

/* A title may start with a numeral: 一、一般规定 is a heading; a grade range is not. */
static void test_title_may_start_with_a_numeral(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"一、一般规定", true, SEG_STYLE_HAN_COMMA, 1, "一、", "一般规定", false,
		 "一、一般规定"},
		{"二、三大攻坚任务", true, SEG_STYLE_HAN_COMMA, 2, "二、", "三大攻坚任务", false,
		 "二、三大攻坚任务"},
		{"三、四个全面战略布局", true, SEG_STYLE_HAN_COMMA, 3, "三、", "四个全面战略布局", false,
		 "三、四个全面战略布局"},
		{"（一）一流学科建设", true, SEG_STYLE_PAREN_HAN, 1, "（一）", "一流学科建设", false,
		 "（一）一流学科建设"},
	};
	check_cases(cases, N_CASES(cases));
}

/* 一、 一． 一. are one style, as 1. 1． 1、 are. */
static void test_han_numbers_with_full_stop_are_the_han_comma_style(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"一.总体要求", true, SEG_STYLE_HAN_COMMA, 1, "一.", "总体要求", false, "一.总体要求"},
		{"二． 工作任务", true, SEG_STYLE_HAN_COMMA, 2, "二．", "工作任务", false,
		 "二． 工作任务"},
		{"十二.附则", true, SEG_STYLE_HAN_COMMA, 12, "十二.", "附则", false, "十二.附则"},
	};
	check_cases(cases, N_CASES(cases));
}

/* Decimal numbering: the style is the number of parts, the number the last part. Whether a
 * document numbers so consistently is decided for the whole document (document.h). */
static void test_decimal_numbering_by_number_of_parts(void **state)
{
	(void)state;
	static const heading_case_t cases[] = {
		{"1.1 指导思想", true, SEG_STYLE_DECIMAL2, 1, "1.1", "指导思想", false, "1.1 指导思想"},
		{"2.3发展目标", true, SEG_STYLE_DECIMAL2, 3, "2.3", "发展目标", false, "2.3发展目标"},
		{"5.1.2 建设数字资源平台", true, SEG_STYLE_DECIMAL3, 2, "5.1.2", "建设数字资源平台",
		 false, "5.1.2 建设数字资源平台"},
		{"3.1.1.4 “宽带网络校校通”", true, SEG_STYLE_DECIMAL4, 4, "3.1.1.4", "“宽带网络校校通”",
		 false, "3.1.1.4 “宽带网络校校通”"},
		{"1.2. 面临形势", true, SEG_STYLE_DECIMAL2, 2, "1.2.", "面临形势", false,
		 "1.2. 面临形势"},
		{"１．３ 主要任务", true, SEG_STYLE_DECIMAL2, 3, "１．３", "主要任务", false,
		 "１．３ 主要任务"},
	};
	check_cases(cases, N_CASES(cases));
	seg_heading_t h;
	const char *line = "5.1.2 建设数字资源平台";
	assert_true(seg_heading_parse(line, strlen(line), &h));
	assert_int_equal(h.parts[0], 5);
	assert_int_equal(h.parts[1], 1);
	assert_int_equal(h.parts[2], 2);
}

static void test_divisions_have_a_fixed_rank_and_other_styles_none(void **state)
{
	(void)state;
	assert_int_equal(seg_style_rank(SEG_STYLE_VOLUME), 1);
	assert_int_equal(seg_style_rank(SEG_STYLE_PART), 1);
	assert_int_equal(seg_style_rank(SEG_STYLE_PIAN), 1);
	assert_int_equal(seg_style_rank(SEG_STYLE_SUBVOLUME), 2);
	assert_int_equal(seg_style_rank(SEG_STYLE_CHAPTER), 3);
	assert_int_equal(seg_style_rank(SEG_STYLE_SECTION), 4);
	assert_int_equal(seg_style_rank(SEG_STYLE_ARTICLE), 5);
	assert_int_equal(seg_style_rank(SEG_STYLE_HAN_COMMA), 0);
	assert_int_equal(seg_style_rank(SEG_STYLE_DECIMAL2), 0);
	assert_int_equal(seg_style_rank(SEG_STYLE_BOX), 0);
}

static void test_style_names_are_distinct_and_never_null(void **state)
{
	(void)state;
	assert_string_equal(seg_style_name(SEG_STYLE_PAREN_HAN), "paren-han");
	for (int a = 0; a < SEG_STYLE_COUNT; a++) {
		const char *na = seg_style_name((seg_style_t)a);
		assert_non_null(na);
		assert_true(strlen(na) > 0);
		for (int b = 0; b < a; b++)
			assert_string_not_equal(na, seg_style_name((seg_style_t)b));
	}
	assert_non_null(seg_style_name(SEG_STYLE_COUNT));
	assert_non_null(seg_style_name((seg_style_t)99));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chapter_section_and_han_comma_headings),
		cmocka_unit_test(test_chapter_label_may_stand_alone),
		cmocka_unit_test(test_standalone_label_clause_excludes_trailing_space),
		cmocka_unit_test(test_paren_han_headings_in_full_and_half_width),
		cmocka_unit_test(test_arabic_headings_with_every_delimiter),
		cmocka_unit_test(test_paren_arabic_and_circled_headings),
		cmocka_unit_test(test_box_headings_label_the_box_number),
		cmocka_unit_test(test_runin_heading_splits_title_at_first_full_stop),
		cmocka_unit_test(test_runin_heading_clause_includes_closing_emphasis),
		cmocka_unit_test(test_title_ending_in_full_stop_with_nothing_after_is_not_run_in),
		cmocka_unit_test(test_table_cells_and_enumerations_are_not_headings),
		cmocka_unit_test(test_bare_marker_is_not_heading),
		cmocka_unit_test(test_section_heading_and_byte_order_mark),
		cmocka_unit_test(test_line_ends_at_len_not_at_nul),
		cmocka_unit_test(test_divisions_of_laws_and_plans_in_han_and_arabic_ordinals),
		cmocka_unit_test(test_article_label_is_the_heading_and_the_rest_is_its_body),
		cmocka_unit_test(test_title_may_start_with_a_numeral),
		cmocka_unit_test(test_markdown_marks_before_a_heading_are_skipped),
		cmocka_unit_test(test_han_numbers_with_full_stop_are_the_han_comma_style),
		cmocka_unit_test(test_decimal_numbering_by_number_of_parts),
		cmocka_unit_test(test_divisions_have_a_fixed_rank_and_other_styles_none),
		cmocka_unit_test(test_style_names_are_distinct_and_never_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
