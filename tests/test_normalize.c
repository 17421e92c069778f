/* test_normalize.c: seg_normalize's folding (NFKC_Casefold, white space as printed, traditional to simplified), its byte map back to the source, its errors, and the walk over plain text that maps without it. */
#include "test.h"

#include "normalize.h"

#include <stdbool.h>

typedef struct fold_case {
	const char *src;
	const char *expect;
} fold_case_t;

/* Normalise the NUL-terminated `src` with a map, failing the test on error. */
static void normalize_ok(const char *src, seg_norm_t *out)
{
	char *error = NULL;
	int rc = seg_normalize(src, strlen(src), true, out, &error);
	if (rc != 0)
		fail_msg("seg_normalize(\"%s\") failed: %s", src, error ? error : "(no message)");
	assert_null(error);
	assert_non_null(out->text);
	assert_int_equal(out->text[out->len], '\0');
}

static void check_fold_table(const fold_case_t *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		seg_norm_t norm;
		normalize_ok(cases[i].src, &norm);
		if (norm.len != strlen(cases[i].expect) ||
		    memcmp(norm.text, cases[i].expect, norm.len) != 0)
			print_error("case %zu: \"%s\" normalised to \"%s\"\n", i, cases[i].src,
				    norm.text);
		assert_int_equal(norm.len, strlen(cases[i].expect));
		assert_bytes_equal(norm.text, 0, norm.len, cases[i].expect);
		seg_norm_clear(&norm);
	}
}

static void test_fullwidth_halfwidth_and_case_fold_together(void **state)
{
	(void)state;
	static const fold_case_t cases[] = {
		{"，", ","},
		{"（", "("},
		{"）", ")"},
		{"２", "2"},
		{"Ｇ", "g"},
		{"ＡＢＣ", "abc"},
		{"ABC", "abc"},
		{"abc", "abc"},
		{"\u3000", ""},           /* ideographic space, at the edge of the text */
		{"a\u3000b", "a b"},      /* ideographic space between letters */
		{"：", ":"},
		{"．", "."},
		{"％", "%"},
		{"ｶ", "カ"},               /* half-width katakana widens */
		{"（一）指导思想", "(一)指导思想"},
		{"２０２５年", "2025年"},
		{"ＧＤＰ增长", "gdp增长"},
		{"　　加强教育督导评估", "加强教育督导评估"},
		{"大连市教育事业发展“十四五”规划 (征求意见稿)",
		 "大连市教育事业发展“十四五”规划(征求意见稿)"},
	};
	check_fold_table(cases, sizeof cases / sizeof cases[0]);
}

static void test_curly_quotes_and_ideographic_comma_and_full_stop_stay(void **state)
{
	(void)state;
	static const fold_case_t cases[] = {
		{"“", "“"},
		{"”", "”"},
		{"“双减”", "“双减”"},
		{"、", "、"},
		{"。", "。"},
		{"打造有效、高效课堂。", "打造有效、高效课堂。"},
		{"推进“双减”工作。”", "推进“双减”工作。”"},
	};
	check_fold_table(cases, sizeof cases / sizeof cases[0]);
}

static void test_default_ignorable_characters_vanish(void **state)
{
	(void)state;
	static const fold_case_t cases[] = {
		{"a\u00ADb", "ab"},       /* soft hyphen */
		{"双\u200B减", "双减"},     /* zero width space */
	};
	check_fold_table(cases, sizeof cases / sizeof cases[0]);
}

/* White space as printed: gone where it touches a Chinese character (judged on the source
 * character, so a full-width form counts), one space between other characters, none at
 * the ends. */
static void test_white_space_next_to_chinese_is_dropped_and_elsewhere_one_space(void **state)
{
	(void)state;
	static const fold_case_t cases[] = {
		{"2025 年", "2025年"},
		{"2025年", "2025年"},
		{"投入资金 2.8 亿元", "投入资金2.8亿元"},
		{"教育 现代化", "教育现代化"},
		{"第 一 章　总　　则", "第一章总则"},
		{"“双减” 工作", "“双减”工作"},
		{"职业院校在校生达 1.5 万人", "职业院校在校生达1.5万人"},
		{"5G 网络", "5g网络"},
		{"PM2.5 浓度", "pm2.5浓度"},
		{"（ 一 ）", "(一)"},            /* full-width brackets are Chinese text */
		{"，　2025", ",2025"},
		{"AB  BC", "ab bc"},
		{"Windows\t10", "windows 10"},
		{"1 000 元", "1 000元"},     /* between digits one space stays */
		{"x , y", "x , y"},
		{"  双减  ", "双减"},
		{" \t　", ""},
	};
	check_fold_table(cases, sizeof cases / sizeof cases[0]);
}

/* A line break stays a break ("\n", which no term holds) where a paragraph ends, and is
 * dropped like any white space where the source broke a sentence (lines.h). */
static void test_line_break_kept_at_paragraph_end_and_dropped_inside_a_sentence(void **state)
{
	(void)state;
	static const fold_case_t cases[] = {
		/* 阜新 line 107: a word broken across lines, a blank line between */
		{"推进课后服务，完善课后服务机\n\n制，提高服务质量。",
		 "推进课后服务,完善课后服务机制,提高服务质量。"},
		{"稳定在 95% 以上。建成 1 所国家级和 2\n所省级示范校。", "稳定在95%以上。建成1所国家级和2所省级示范校。"},
		{"the digital, green and\nopen economy, as planned", "the digital, green and open economy, as planned"},
		/* a finished sentence, a title, a heading, a table cell: the break stays */
		{"推进改革。\n完善机制，提高质量。", "推进改革。\n完善机制,提高质量。"},
		{"前言\n“十三五”期间，全市教育发展。", "前言\n“十三五”期间,全市教育发展。"},
		{"持续推进改革，加快\n二、主要任务", "持续推进改革,加快\n二、主要任务"},
		{"学前三年毛入园率%\n\n90.4", "学前三年毛入园率%\n90.4"},
		{"获得感明显增强，\n “十三五”教育事业发展主要指标完成情况",
		 "获得感明显增强,\n“十三五”教育事业发展主要指标完成情况"},
		{"培育一批示范学校，\n◆设立劳动教育必修课程。", "培育一批示范学校,\n◆设立劳动教育必修课程。"},
		/* lines that open with a label and a colon stand alone */
		{"年工作日：365天－104天＝250天\n\n季工作日：250天÷4季＝62.5天",
		 "年工作日:365天-104天=250天\n季工作日:250天÷4季=62.5天"},
	};
	check_fold_table(cases, sizeof cases / sizeof cases[0]);
}

/* Traditional characters fold to simplified with OpenCC's t2s, phrases first; simplified
 * text is left alone. */
static void test_traditional_characters_fold_to_simplified(void **state)
{
	(void)state;
	static const fold_case_t cases[] = {
		{"中小學生", "中小学生"},
		{"雙減", "双减"},
		{"課後服務", "课后服务"},
		{"“雙減”工作", "“双减”工作"},
		{"某縣教育事業發展規劃", "某县教育事业发展规划"},
		{"乾隆年間", "乾隆年间"},    /* a phrase keeps 乾 */
		{"乾燥", "干燥"},
		{"沈默", "沉默"},             /* a phrase with no traditional character */
		{"沈阳市教育局", "沈阳市教育局"},
		{"全縣 2025 年", "全县2025年"},
		/* ○ printed for the zero among Han digits is 〇; a circle elsewhere is itself */
		{"二○二○年", "二〇二〇年"},
		{"二◯二五年", "二〇二五年"},
		{"○ 注意事项", "○注意事项"},
		{"推动“双减”落地见效，学生综合素养大幅提升。", "推动“双减”落地见效,学生综合素养大幅提升。"},
	};
	check_fold_table(cases, sizeof cases / sizeof cases[0]);
}

/* A clause normalised alone reads its line breaks from the whole text around it
 * (seg_normalize_in), as the index and the plan's body scan do. */
static void test_range_reads_its_line_breaks_from_the_whole_text(void **state)
{
	(void)state;
	const char *text = "教育改革取得新突破。开展课堂教学改革，打造有效高效\n\n课堂；推进课程改革。";
	const char *clause = strstr(text, "打造");
	size_t start = (size_t)(clause - text), end = (size_t)(strstr(text, "；") - text) + 3;
	seg_norm_t in_context, alone;
	char *error = NULL;
	assert_int_equal(seg_normalize_in(text, strlen(text), start, end, true, &in_context, &error),
			 0);
	assert_string_equal(in_context.text, "打造有效高效课堂;");
	assert_int_equal(in_context.src_start[0], 0); /* offsets count from the range */
	/* alone, "打造有效高效" holds no comma: it reads as a title, and the break stays */
	assert_int_equal(seg_normalize(clause, end - start, false, &alone, &error), 0);
	assert_string_equal(alone.text, "打造有效高效\n课堂;");
	seg_norm_clear(&in_context);
	seg_norm_clear(&alone);
	assert_int_equal(seg_normalize_in(text, strlen(text), 5, 2, false, &alone, &error), -1);
	assert_non_null(error);
	free(error);
}

/* Every normalised byte maps to a non-empty range of whole source characters, the ranges
 * advance with the text, and each range normalises on its own to exactly the bytes that
 * claim it (for these texts, whose white space touches Chinese text and vanishes). */
static void test_every_normalised_byte_maps_to_a_valid_source_range(void **state)
{
	(void)state;
	static const char *const sources[] = {
		"推动“双减”落地，２０２５年",
		"（三）实施“双减”工作、全面构建优良教育生态工程。ＡＢＣ　ｄｅｆ 1.5倍",
		"文本框: 重点项目1\t专栏3  立德树人工程",
		"a\u00ADb ｶﾞ Ｇ", /* a vanishing character, and half-width ka + voiced mark */
	};
	for (size_t k = 0; k < sizeof sources / sizeof sources[0]; k++) {
		const char *src = sources[k];
		size_t src_len = strlen(src);
		seg_norm_t norm;
		normalize_ok(src, &norm);
		assert_true(norm.len > 0);
		assert_non_null(norm.src_start);
		assert_non_null(norm.src_end);
		for (size_t i = 0; i < norm.len; i++) {
			size_t s = norm.src_start[i], e = norm.src_end[i];
			assert_true(s < e);
			assert_true(e <= src_len);
			/* both ends on character boundaries of the source */
			assert_true(((unsigned char)src[s] & 0xC0) != 0x80);
			assert_true(e == src_len || ((unsigned char)src[e] & 0xC0) != 0x80);
			if (i > 0) {
				assert_true(s >= norm.src_start[i - 1]);
				assert_true(e >= norm.src_end[i - 1]);
			}
		}
		/* Group normalised bytes by their source chunk and renormalise each chunk. */
		for (size_t i = 0; i < norm.len;) {
			size_t j = i;
			while (j < norm.len && norm.src_start[j] == norm.src_start[i] &&
			       norm.src_end[j] == norm.src_end[i])
				j++;
			seg_norm_t part;
			char *error = NULL;
			assert_int_equal(seg_normalize(src + norm.src_start[i],
						       norm.src_end[i] - norm.src_start[i], false,
						       &part, &error),
					 0);
			assert_int_equal(part.len, j - i);
			assert_memory_equal(part.text, norm.text + i, j - i);
			seg_norm_clear(&part);
			i = j;
		}
		seg_norm_clear(&norm);
	}
}

/* Find `needle` in the normalised text, map it back and compare with the source bytes. */
static void check_maps_back(const char *src, const char *needle_norm, const char *expect_src)
{
	seg_norm_t norm;
	normalize_ok(src, &norm);
	const char *hit = strstr(norm.text, needle_norm);
	if (hit == NULL)
		fail_msg("\"%s\" not found in normalised \"%s\"", needle_norm, norm.text);
	size_t a = (size_t)(hit - norm.text), b = a + strlen(needle_norm);
	size_t s = 0, e = 0;
	seg_norm_source_range(&norm, a, b, &s, &e);
	assert_bytes_equal(src, s, e, expect_src);
	seg_norm_clear(&norm);
}

static void test_match_in_normalised_text_maps_back_to_original_bytes(void **state)
{
	(void)state;
	const char *src = "推动“双减”落地，２０２５年";
	check_maps_back(src, "2025", "２０２５");
	check_maps_back(src, "双减", "双减");
	check_maps_back(src, "“双减”", "“双减”");
	check_maps_back(src, ",", "，");
	check_maps_back(src, "落地,2025年", "落地，２０２５年");
	check_maps_back(src, "推动", "推动");
	check_maps_back("（一）指导思想", "(一)", "（一）");
	check_maps_back("ＧＤＰ增长", "gdp", "ＧＤＰ");
	check_maps_back("ＧＤＰ增长", "d", "Ｄ");
	check_maps_back("　　加强", "加强", "加强");
	check_maps_back("双\u200B减", "双减", "双\u200B减");
	/* white space, traditional characters and a broken line map back to what was printed */
	check_maps_back("到 2025 年，", "2025年", "2025 年");
	check_maps_back("投入资金 2.8 亿元", "2.8亿元", "2.8 亿元");
	check_maps_back("推進課後服務", "课后服务", "課後服務");
	check_maps_back("中小學生德智体美劳", "学生", "學生");
	check_maps_back("打造有效、高效课堂，完善課後服務機\n\n制，", "服务机制", "服務機\n\n制");
	check_maps_back("乾隆年間", "乾隆年间", "乾隆年間");
}

static void test_map_is_optional_and_text_is_the_same_without_it(void **state)
{
	(void)state;
	const char *src = "推动“双减”落地，２０２５年ＡＢＣ";
	seg_norm_t with, without;
	char *error = NULL;
	normalize_ok(src, &with);
	assert_int_equal(seg_normalize(src, strlen(src), false, &without, &error), 0);
	assert_null(error);
	assert_null(without.src_start);
	assert_null(without.src_end);
	assert_int_equal(without.len, with.len);
	assert_memory_equal(without.text, with.text, with.len);
	assert_int_equal(without.text[without.len], '\0');
	seg_norm_clear(&with);
	seg_norm_clear(&without);
}

static void test_input_need_not_be_nul_terminated(void **state)
{
	(void)state;
	/* only the first two full-width letters (6 bytes) are read */
	const char src[] = "ＡＢＣＤ";
	seg_norm_t norm;
	char *error = NULL;
	assert_int_equal(seg_normalize(src, 6, true, &norm, &error), 0);
	assert_null(error);
	assert_int_equal(norm.len, 2);
	assert_string_equal(norm.text, "ab");
	assert_int_equal(norm.src_end[1], 6);
	seg_norm_clear(&norm);
}

typedef struct invalid_case {
	const char *src;
	size_t len;
	size_t offset; /* the byte offset the message must name */
} invalid_case_t;

static void test_invalid_utf8_fails_naming_the_byte_offset(void **state)
{
	(void)state;
	static const invalid_case_t cases[] = {
		{"abc\xff", 4, 3},
		{"推动\xC0\x80落地", 12, 6},      /* overlong NUL */
		{"ab\xE4\xB8", 4, 2},            /* truncated sequence at the end */
		{"教育\xED\xA0\x80", 9, 6},       /* encoded surrogate */
		{"\x80", 1, 0},                  /* stray continuation byte */
		{"２０２５\xF5\x80\x80\x80", 16, 12}, /* beyond U+10FFFF */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		seg_norm_t norm;
		char *error = NULL;
		memset(&norm, 0x5A, sizeof norm); /* garbage that must be reset */
		int rc = seg_normalize(cases[i].src, cases[i].len, true, &norm, &error);
		if (rc != -1)
			fail_msg("case %zu: invalid UTF-8 accepted (rc %d)", i, rc);
		assert_non_null(error);
		const char *at = strstr(error, "byte ");
		if (at == NULL || strtoul(at + 5, NULL, 10) != cases[i].offset)
			fail_msg("case %zu: message \"%s\" does not name byte %zu", i, error,
				 cases[i].offset);
		/* failure leaves *out empty */
		assert_null(norm.text);
		assert_int_equal(norm.len, 0);
		assert_null(norm.src_start);
		assert_null(norm.src_end);
		seg_norm_clear(&norm);
		free(error);
	}
}

static void test_empty_input_gives_empty_nul_terminated_text(void **state)
{
	(void)state;
	char *error = NULL;
	seg_norm_t norm;
	assert_int_equal(seg_normalize("", 0, true, &norm, &error), 0);
	assert_null(error);
	assert_non_null(norm.text);
	assert_int_equal(norm.len, 0);
	assert_int_equal(norm.text[0], '\0');
	seg_norm_clear(&norm);

	assert_int_equal(seg_normalize("ignored", 0, false, &norm, &error), 0);
	assert_null(error);
	assert_non_null(norm.text);
	assert_int_equal(norm.len, 0);
	assert_string_equal(norm.text, "");
	seg_norm_clear(&norm);
}

static void test_norm_clear_accepts_null_and_resets_to_empty(void **state)
{
	(void)state;
	seg_norm_clear(NULL);

	seg_norm_t norm;
	normalize_ok("ＡＢＣ", &norm);
	seg_norm_clear(&norm);
	assert_null(norm.text);
	assert_int_equal(norm.len, 0);
	assert_null(norm.src_start);
	assert_null(norm.src_end);
	seg_norm_clear(&norm); /* an empty value again */

	seg_norm_t zero = {0};
	seg_norm_clear(&zero);
	assert_null(zero.text);
}

/* Check a walk over text[start, end) against seg_normalize_in's map of the same range: the
 * same length and text, and for every range [a, b) of the normal form between character boundaries
 * (short ones, asked in increasing order, then the whole backwards), the same source range. */
static void check_walk_agrees_with_map(const char *text, size_t start, size_t end, bool known)
{
	seg_norm_t norm;
	seg_norm_walk_t walk;
	char *error = NULL;
	if (seg_normalize_in(text, strlen(text), start, end, true, &norm, &error) != 0)
		fail_msg("seg_normalize_in(\"%s\") failed: %s", text, error);
	if (known)
		assert_true(seg_norm_walk_start_known(&walk, text, start, end, norm.text, norm.len));
	else
		assert_true(seg_norm_walk_start(&walk, text, start, end));
	assert_int_equal(walk.norm_len, norm.len);
	strbuf_t form = STRBUF_INIT;
	assert_int_equal(strbuf_append_str(&form, "kept:"), 0); /* appended to what it holds */
	assert_int_equal(seg_norm_walk_text(&walk, &form, &error), 0);
	assert_int_equal(form.len, 5 + norm.len);
	assert_memory_equal(form.data, "kept:", 5);
	assert_memory_equal(form.data + 5, norm.text, norm.len + 1); /* with the NUL */
	strbuf_free(&form);
	size_t bounds[256], n = 0; /* the character boundaries of the normal form */
	for (size_t i = 0; i <= norm.len && n < 256; i++)
		if (i == norm.len || ((unsigned char)norm.text[i] & 0xC0) != 0x80)
			bounds[n++] = i;
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k + 1 < n; k++) {
			size_t a = pass ? n - 2 - k : k; /* forwards, then backwards */
			for (size_t b = a + 1; b < n && b <= a + 3; b++) {
				size_t ms, me, ws, we;
				seg_norm_source_range(&norm, bounds[a], bounds[b], &ms, &me);
				seg_norm_walk_range(&walk, bounds[a], bounds[b], &ws, &we);
				if (ms != ws || me != we)
					fail_msg("\"%s\": normal bytes [%zu,%zu) map to [%zu,%zu), "
						 "the walk says [%zu,%zu)", text, bounds[a], bounds[b],
						 ms, me, ws, we);
			}
		}
	seg_norm_clear(&norm);
}

static void test_a_walk_over_a_plain_range_reads_and_maps_as_the_normal_form_does(void **state)
{
	(void)state;
	static const char *const plain[] = {
		"教育发展",
		"（一）指导思想。",
		"坚持教育优先发展，推进教育现代化；",
		"ＧＤＰ增长２０２５年目标，Ａｂｃ",
		"ABC教育",
		"兼容字符㎏教育½教育ﬁ教育",       /* a character that folds to several */
		"“双减”、85%、1+X。",
		"",
	};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		for (int known = 0; known < 2; known++) /* the same knowing the form */
			check_walk_agrees_with_map(plain[i], 0, strlen(plain[i]), known);
	/* a range of a longer text counts from its start */
	const char *text = "一、总体要求\n（一）指导思想。坚持教育优先发展。";
	const char *from = strstr(text, "坚持");
	check_walk_agrees_with_map(text, (size_t)(from - text), strlen(text), false);
}

static void test_a_walk_refuses_what_must_be_read_in_context(void **state)
{
	(void)state;
	static const char *const not_plain[] = {
		"教育 发展",        /* white space: dropped, kept or a line break by its neighbours */
		"教育\n发展",
		"教育\t发展",
		"全角　空格",
		"二○二○年",         /* a circle among Han digits is the zero */
		"组合字符e\u0301",  /* a combining mark joins the character before it */
		"q\u0301",
		"零宽\u200b教育",    /* characters that vanish join a chunk with their neighbour */
		"连接\u200d",
		"软\u00ad连字符",
		"發展",              /* t2s folds it, by its run of Han characters */
		"中小學生",
		"𠀀教育",            /* beyond the Basic Multilingual Plane */
		"\xff教育",         /* not UTF-8 */
		"\xe6\x95",        /* a character cut short */
	};
	for (size_t i = 0; i < sizeof not_plain / sizeof not_plain[0]; i++) {
		seg_norm_walk_t walk = {.norm_len = 12345};
		if (seg_norm_walk_start(&walk, not_plain[i], 0, strlen(not_plain[i])))
			fail_msg("case %zu: \"%s\" was taken as plain", i, not_plain[i]);
		assert_int_equal(walk.norm_len, 12345); /* untouched */
	}
}

static void test_a_walk_knowing_the_normal_form_takes_characters_t2s_left_as_they_were(void **state)
{
	(void)state;
	/* 得 and 覆 start t2s phrases (t2s.h), and 取得 and 全覆盖 are none that it changes */
	static const char *const unchanged[] = {"取得显著成效", "实现全覆盖，", "沈阳、大连"};
	for (size_t i = 0; i < sizeof unchanged / sizeof unchanged[0]; i++) {
		seg_norm_walk_t walk;
		if (seg_norm_walk_start(&walk, unchanged[i], 0, strlen(unchanged[i])))
			fail_msg("\"%s\" holds no character t2s may change", unchanged[i]);
		check_walk_agrees_with_map(unchanged[i], 0, strlen(unchanged[i]), true);
	}
	struct {
		const char *text, *known;
	} refused[] = {
		{"發展教育", "发展教育"}, /* t2s changed it: the walk cannot read it */
		{"中小學生", "中小学生"},
		{"取得成效", "取得成果"}, /* not the form of the text */
		{"取得成效", "取得成"},
		{"取得成效", "取得成效。"},
		{"取得成效", ""},
		{"教育 发展", "教育发展"}, /* white space, whatever the form */
		{"二○二○年", "二〇二〇年"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		seg_norm_walk_t walk = {.norm_len = 12345};
		if (seg_norm_walk_start_known(&walk, refused[i].text, 0, strlen(refused[i].text),
					      refused[i].known, strlen(refused[i].known)))
			fail_msg("case %zu: \"%s\" was walked as \"%s\"", i, refused[i].text,
				 refused[i].known);
		assert_int_equal(walk.norm_len, 12345); /* untouched */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fullwidth_halfwidth_and_case_fold_together),
		cmocka_unit_test(test_curly_quotes_and_ideographic_comma_and_full_stop_stay),
		cmocka_unit_test(test_default_ignorable_characters_vanish),
		cmocka_unit_test(test_white_space_next_to_chinese_is_dropped_and_elsewhere_one_space),
		cmocka_unit_test(test_line_break_kept_at_paragraph_end_and_dropped_inside_a_sentence),
		cmocka_unit_test(test_traditional_characters_fold_to_simplified),
		cmocka_unit_test(test_range_reads_its_line_breaks_from_the_whole_text),
		cmocka_unit_test(test_every_normalised_byte_maps_to_a_valid_source_range),
		cmocka_unit_test(test_match_in_normalised_text_maps_back_to_original_bytes),
		cmocka_unit_test(test_map_is_optional_and_text_is_the_same_without_it),
		cmocka_unit_test(test_input_need_not_be_nul_terminated),
		cmocka_unit_test(test_invalid_utf8_fails_naming_the_byte_offset),
		cmocka_unit_test(test_empty_input_gives_empty_nul_terminated_text),
		cmocka_unit_test(test_norm_clear_accepts_null_and_resets_to_empty),
		cmocka_unit_test(test_a_walk_over_a_plain_range_reads_and_maps_as_the_normal_form_does),
		cmocka_unit_test(test_a_walk_refuses_what_must_be_read_in_context),
		cmocka_unit_test(test_a_walk_knowing_the_normal_form_takes_characters_t2s_left_as_they_were),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
