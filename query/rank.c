/* rank.c: --any's query units (phrase, ICU words, bigrams, lone characters, concept variants) and BM25 over their counts in a passage. */
#define _GNU_SOURCE /* memmem */
#include "rank.h"

#include "strbuf.h"
#include "tokenize.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The parameters, chosen on bench/judged/ (bench/ranking/README.md, "Tuning"). */
typedef struct params {
	double k1, b, cover, figure, idfpow, vsum, heading, parent;
	double lone;                   /* a word of one character inside a longer run */
	double child;                  /* a heading's share of its best paragraph's score */
	double figshare;               /* the share of the query a figure's clause must hold */
	double up;                     /* a heading's share of what governs it */
	double context;                /* what a unit in a context section loses */
	double lead;                   /* a paragraph's share of its title sentence's score */
	double w[PQ_RANK_VARIANT + 1]; /* per kind */
} params_t;

static const params_t DEFAULTS = {
	.k1 = 1.2, .b = 0.3, .cover = 0.0, .figure = 0.5, .idfpow = 1.5, .vsum = 1.0,
	.heading = 0.5, .parent = 0.5, .lone = 0.5, .child = 0.15, .figshare = 0.3,
	.up = 0.5, .context = 0.5, .lead = 0.5,
	.w = {[PQ_RANK_PHRASE] = 1.0, [PQ_RANK_TYPED] = 1.0, [PQ_RANK_WORD] = 1.0,
	      [PQ_RANK_BIGRAM] = 0.5, [PQ_RANK_CROSS] = 0.1, [PQ_RANK_CHAR] = 1.0,
	      [PQ_RANK_VARIANT] = 0.6},
};

/* Words that make a question a question, and the verbs that frame nearly every sentence of
 * a Chinese policy plan (加强, 推进, 完善 …): they say nothing of the topic. Measured on the
 * judged set, leaving the verbs out too lifts questions 0.852 → 0.861 and nothing falls. */
static const char *const QUESTION_WORDS[] = {
	"如何", "怎样", "怎么", "怎么样", "多少", "什么", "哪些", "哪个", "是否", "为何",
	"为什么", "几个", "多大", "哪里", "有何", "有哪些", "是什么", "何种", "怎样才能",
	"如何才能", "目标是", "情况", "方面", "问题", "措施", "的", "了", "是", "和", "与",
	"及", "在", "对", "把", "有", "要", "能", "中",
	"加强", "推进", "推动", "提高", "提升", "完善", "促进", "实施", "做好", "健全", "深化",
	"落实",
	/* the frame of a researcher's question: what kind of answer it wants, not its topic */
	"有什么", "哪几个", "哪几", "哪些方面", "哪方面", "举措", "做法", "办法", "途径", "具体",
	"主要", "分别", "请问", "关于", "各地", "各市", "怎么办",
};

/* Words that, right after 哪些, 哪个, 什么 …, name the kind of thing asked for: 哪些城市推行
 * 校长职级制 asks for plans, and a plan does not say 城市 where it answers. */
static const char *const WHICH_WORDS[] = {"哪些", "哪个", "哪几个", "哪几", "什么", "何种", "有哪些", "哪"};
static const char *const ASKED_KINDS[] = {
	"城市", "地区", "地方", "市", "城区", "县区", "区县", "市县", "省份", "省", "规划", "文件",
};

static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return true;
	return false;
}

/* Characters that ICU leaves alone as words of their own but that carry no topic: particles,
 * prepositions, conjunctions, measure words. Any other word of one character (党, 县, 园)
 * names something and counts, at `lone` (see add_run). */
static const char *const FUNCTION_CHARS[] = {
	"为", "以", "从", "等", "或", "被", "让", "给", "向", "由", "于", "其", "将", "就", "都",
	"也", "还", "又", "并", "而", "已", "该", "这", "那", "个", "些", "吗", "呢", "吧", "啊",
	"着", "过", "地", "得", "之", "所", "按", "至", "到", "各", "每", "则", "即", "如", "若",
	"来", "去", "上", "下", "后", "前", "内", "外", "里", "可", "会", "应", "须", "使",
	"不", "没", "很", "更", "最", "多", "少", "几", "何", "啥", "谁", "哪", "怎", "么",
};

static bool is_function_char(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof FUNCTION_CHARS / sizeof *FUNCTION_CHARS; i++)
		if (strlen(FUNCTION_CHARS[i]) == len && memcmp(FUNCTION_CHARS[i], s, len) == 0)
			return true;
	return false;
}

/* Words by which a question asks for a figure. */
static const char *const FIGURE_WORDS[] = {
	"多少", "几", "比例", "比率", "占比", "百分之", "达到", "目标", "数量", "不超过", "不低于",
	"不少于", "率",
};

static bool is_question_word(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof QUESTION_WORDS / sizeof *QUESTION_WORDS; i++)
		if (strlen(QUESTION_WORDS[i]) == len && memcmp(QUESTION_WORDS[i], s, len) == 0)
			return true;
	return false;
}

static void params_override(params_t *p)
{
	const char *env = getenv("POLICY_SEARCH_RANK");
	if (env == NULL)
		return;
	static const char *const KIND[] = {"phrase", "typed", "word", "bigram", "cross", "char", "variant"};
	char name[32];
	double v;
	int used;
	while (sscanf(env, " %31[a-z0-9]=%lf%n", name, &v, &used) == 2) {
		env += used;
		if (strcmp(name, "k1") == 0)
			p->k1 = v;
		else if (strcmp(name, "b") == 0)
			p->b = v;
		else if (strcmp(name, "cover") == 0)
			p->cover = v;
		else if (strcmp(name, "figure") == 0)
			p->figure = v;
		else if (strcmp(name, "idfpow") == 0)
			p->idfpow = v;
		else if (strcmp(name, "vsum") == 0)
			p->vsum = v;
		else if (strcmp(name, "heading") == 0)
			p->heading = v;
		else if (strcmp(name, "parent") == 0)
			p->parent = v;
		else if (strcmp(name, "lone") == 0)
			p->lone = v;
		else if (strcmp(name, "child") == 0)
			p->child = v;
		else if (strcmp(name, "figshare") == 0)
			p->figshare = v;
		else if (strcmp(name, "up") == 0)
			p->up = v;
		else if (strcmp(name, "context") == 0)
			p->context = v;
		else if (strcmp(name, "lead") == 0)
			p->lead = v;

		for (int k = 0; k <= PQ_RANK_VARIANT; k++)
			if (strcmp(name, KIND[k]) == 0)
				p->w[k] = v;
	}
}

typedef struct build {
	pq_ranker_t *r;
	params_t p;
	size_t cap;
	/* the words of the term being broken, as byte ranges of it */
	size_t (*words)[2];
	size_t n_words, cap_words;
} build_t;

/* Add a unit (or upgrade the kind of one already there). Returns its index, or -1 when
 * memory runs out. */
static long add_unit_weighed(build_t *b, const char *s, size_t len, pq_rank_kind_t kind,
			     double weight, long concept)
{
	pq_ranker_t *r = b->r;
	for (size_t i = 0; i < r->n_units; i++)
		if (r->units[i].len == len && memcmp(r->units[i].norm, s, len) == 0) {
			pq_rank_unit_t *u = &r->units[i];
			if (weight > u->weight) {
				u->kind = kind;
				u->weight = weight;
				u->concept = concept;
			}
			return (long)i;
		}
	if (r->n_units == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		pq_rank_unit_t *grown = realloc(r->units, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		r->units = grown;
		b->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	r->units[r->n_units] = (pq_rank_unit_t){.norm = copy, .len = len, .kind = kind,
						.weight = weight, .concept = concept,
						.word = -1};
	return (long)r->n_units++;
}

/* add_unit_weighed at its kind's weight. */
static long add_unit(build_t *b, const char *s, size_t len, pq_rank_kind_t kind, long concept)
{
	return add_unit_weighed(b, s, len, kind, b->p.w[kind], concept);
}

static int on_word(void *ctx, const char *token, size_t token_len, size_t start, size_t end)
{
	(void)token;
	(void)token_len;
	build_t *b = ctx;
	if (b->n_words == b->cap_words) {
		size_t cap = b->cap_words ? b->cap_words * 2 : 16;
		size_t(*grown)[2] = realloc(b->words, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		b->words = grown;
		b->cap_words = cap;
	}
	b->words[b->n_words][0] = start;
	b->words[b->n_words++][1] = end;
	return 0;
}

static size_t chars_in(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* The word of the term that holds byte `at`, or -1. */
static long word_at(const build_t *b, size_t at)
{
	for (size_t w = 0; w < b->n_words; w++)
		if (b->words[w][0] <= at && at < b->words[w][1])
			return (long)w;
	return -1;
}

/* Whether the word w is a question word, or the kind of thing a question word before it
 * asks for (城市 in 哪些城市). */
static bool word_is_question(const build_t *b, const char *term, long w)
{
	if (w < 0)
		return false;
	const char *s = term + b->words[w][0];
	size_t len = b->words[w][1] - b->words[w][0];
	if (is_question_word(s, len))
		return true;
	if (w == 0 || !in_list(ASKED_KINDS, sizeof ASKED_KINDS / sizeof *ASKED_KINDS, s, len))
		return false;
	return in_list(WHICH_WORDS, sizeof WHICH_WORDS / sizeof *WHICH_WORDS,
		       term + b->words[w - 1][0], b->words[w - 1][1] - b->words[w - 1][0]);
}

/* Whether word w of term s is one Chinese character that names something: not a particle,
 * a preposition or a question word, not a digit, a letter or a sign. */
static bool is_lone_content(const build_t *b, const char *s, size_t w)
{
	size_t ws = b->words[w][0], we = b->words[w][1];
	return chars_in(s + ws, we - ws) == 1 && (unsigned char)s[ws] >= 0xE4 &&
	       !word_is_question(b, s, (long)w) && !is_function_char(s + ws, we - ws);
}

/* Every variant of group g but the term itself. Returns 0, or -1 (no memory). */
static int add_group(build_t *b, const pq_thesaurus_t *th, long g)
{
	pq_concept_t c;
	pq_thesaurus_group(th, (size_t)g, &c);
	if (add_unit(b, c.head, strlen(c.head), PQ_RANK_VARIANT, g) < 0)
		return -1;
	for (size_t k = 0; k < c.n_variants; k++)
		if (add_unit(b, c.variants[k], strlen(c.variants[k]), PQ_RANK_VARIANT, g) < 0)
			return -1;
	return 0;
}

/* Whether group c lists term as one of its variants. */
static bool lists_variant(const pq_concept_t *c, const char *term)
{
	for (size_t k = 0; k < c->n_variants; k++)
		if (strcmp(c->variants[k], term) == 0)
			return true;
	return false;
}

/* Whether term t[0,tl) of group c reaches c: always as its head; as a variant, unless t
 * belongs to a narrower group of c, one whose head c lists as a variant without being
 * listed back (校园安全 lists 校车安全, whose terms 校车 and 校车奖补 are: a search for
 * 校车 stays with 校车安全, and a search for 校园安全 still finds 校车安全). Two groups that
 * list each other's heads (学区化, 集团化办学) are one policy seen from two sides and reach
 * each other. */
static bool term_reaches(const pq_thesaurus_t *th, const pq_concept_t *c, const char *t,
			 size_t tl)
{
	if (strlen(c->head) == tl && memcmp(c->head, t, tl) == 0)
		return true;
	size_t n = pq_thesaurus_size(th);
	for (size_t g = 0; g < n; g++) {
		pq_concept_t narrower;
		pq_thesaurus_group(th, g, &narrower);
		if (narrower.head != c->head && pq_thesaurus_group_has(th, g, t, tl) &&
		    lists_variant(c, narrower.head) && !lists_variant(&narrower, c->head))
			return false;
	}
	return true;
}

/* The thesaurus's groups reached from text s[0,len): a group with a term equal to it, or
 * (for four characters or more) one whose term of four or more characters it holds; not a
 * broader group through a term of a narrower one (term_reaches). */
static int add_concepts(build_t *b, const pq_thesaurus_t *th, const char *s, size_t len)
{
	size_t n = pq_thesaurus_size(th);
	for (size_t g = 0; g < n; g++) {
		pq_concept_t c;
		pq_thesaurus_group(th, g, &c);
		bool hit = pq_thesaurus_group_has(th, g, s, len) && term_reaches(th, &c, s, len);
		if (!hit && chars_in(s, len) >= 4) {
			for (size_t k = 0; k <= c.n_variants && !hit; k++) {
				const char *t = k == 0 ? c.head : c.variants[k - 1];
				size_t tl = strlen(t);
				hit = tl <= len && chars_in(t, tl) >= 4 && memmem(s, len, t, tl) != NULL &&
				      term_reaches(th, &c, t, tl);
			}
		}
		if (hit && add_group(b, th, (long)g) != 0)
			return -1;
	}
	return 0;
}

/* Break one run (no white space) of a term into units. */
static int add_run(build_t *b, const pq_thesaurus_t *th, seg_words_t *words, const char *s,
		   size_t len, char **error)
{
	b->n_words = 0;
	int rc = seg_words_run(words, s, len, on_word, b, error);
	if (rc != 0) {
		if (rc > 0)
			strbuf_printf_new(error, "out of memory");
		return -1;
	}
	size_t n_chars = chars_in(s, len);
	/* content words: those of two characters or more that are not question words */
	size_t content = 0;
	for (size_t w = 0; w < b->n_words; w++) {
		size_t ws = b->words[w][0], we = b->words[w][1];
		if (chars_in(s + ws, we - ws) >= 2 && !word_is_question(b, s, (long)w))
			content++;
	}
	bool keep_questions = content == 0;
	if (n_chars >= 2 && (b->n_words != 1 || b->words[0][0] != 0 || b->words[0][1] != len) &&
	    add_unit(b, s, len, PQ_RANK_PHRASE, -1) < 0)
		goto oom;
	if (add_concepts(b, th, s, len) != 0)
		goto oom;
	for (size_t w = 0; w < b->n_words; w++) {
		size_t ws = b->words[w][0], we = b->words[w][1];
		if (chars_in(s + ws, we - ws) < 2 ||
		    (!keep_questions && word_is_question(b, s, (long)w)))
			continue;
		if (add_unit(b, s + ws, we - ws, PQ_RANK_WORD, -1) < 0 ||
		    add_concepts(b, th, s + ws, we - ws) != 0)
			goto oom;
	}
	/* bigrams; a character no bigram covers counts alone */
	size_t at = 0, prev = SIZE_MAX;
	while (at < len) {
		size_t here = at;
		utf8_next(s, &at, len);
		if (prev != SIZE_MAX) {
			long wa = word_at(b, prev), wb = word_at(b, here);
			bool qa = word_is_question(b, s, wa), qb = word_is_question(b, s, wb);
			if (keep_questions || (!qa && !qb)) {
				/* across two words of two or more characters: CROSS; a pair
				 * holding a character ICU left alone may be a word it does not
				 * know (县管校聘), so it stays a BIGRAM */
				bool cross = wa != wb && wa >= 0 && wb >= 0 &&
					     chars_in(s + b->words[wa][0],
						      b->words[wa][1] - b->words[wa][0]) >= 2 &&
					     chars_in(s + b->words[wb][0],
						      b->words[wb][1] - b->words[wb][0]) >= 2;
				pq_rank_kind_t k = cross ? PQ_RANK_CROSS : PQ_RANK_BIGRAM;
				if (add_unit(b, s + prev, at - prev, k, -1) < 0)
					goto oom;
			}
		}
		prev = here;
	}
	if (n_chars == 1 && add_unit(b, s, len, PQ_RANK_CHAR, -1) < 0)
		goto oom;
	/* a word of one character between longer words (党 in 怎样加强党对教育工作的领导): the
	 * pairs beside it straddle it with its neighbours (强党, 党对), so nothing longer stands
	 * for it; it counts at `lone`, less than a word, unless it is a particle or a
	 * preposition. Beside another such character it is a piece of a word ICU does not
	 * know (双减, 县管校聘), which the bigrams stand for: it does not count then. */
	for (size_t w = 0; n_chars > 1 && b->p.lone > 0 && w < b->n_words; w++) {
		size_t ws = b->words[w][0], we = b->words[w][1];
		if (!is_lone_content(b, s, w) || (w > 0 && is_lone_content(b, s, w - 1)) ||
		    (w + 1 < b->n_words && is_lone_content(b, s, w + 1)))
			continue;
		if (add_unit_weighed(b, s + ws, we - ws, PQ_RANK_CHAR, b->p.lone, -1) < 0)
			goto oom;
	}
	return 0;
oom:
	strbuf_printf_new(error, "out of memory");
	return -1;
}

/* Link each unit to the word it stands for in the coverage: a word or phrase to itself, a
 * variant to the first word or phrase of the query its group holds, a bigram to nothing. */
static void link_words(pq_ranker_t *r, const pq_thesaurus_t *th)
{
	for (size_t i = 0; i < r->n_units; i++) {
		pq_rank_unit_t *u = &r->units[i];
		if (u->kind == PQ_RANK_WORD || u->kind == PQ_RANK_CHAR ||
		    (u->kind == PQ_RANK_PHRASE))
			u->word = (long)i;
	}
	for (size_t i = 0; i < r->n_units; i++) {
		pq_rank_unit_t *u = &r->units[i];
		if (u->kind != PQ_RANK_VARIANT)
			continue;
		for (size_t j = 0; j < r->n_units; j++) {
			const pq_rank_unit_t *t = &r->units[j];
			if (t->word == (long)j && t->kind != PQ_RANK_PHRASE &&
			    pq_thesaurus_group_has(th, (size_t)u->concept, t->norm, t->len)) {
				u->word = (long)j;
				break;
			}
		}
	}
}

ps_status_t pq_ranker_new(const pq_query_t *q, const pq_thesaurus_t *th, pq_ranker_t **out,
			  char **error)
{
	build_t b = {.p = DEFAULTS};
	seg_words_t *words = NULL;
	ps_status_t rc = PS_ERR_NO_MEMORY;
	params_override(&b.p);
	if ((b.r = calloc(1, sizeof *b.r)) == NULL) {
		strbuf_printf_new(error, "out of memory");
		return rc;
	}
	b.r->k1 = b.p.k1;
	b.r->b = b.p.b;
	b.r->cover = b.p.cover;
	b.r->figure = b.p.figure;
	b.r->idfpow = b.p.idfpow;
	b.r->vsum = b.p.vsum;
	b.r->heading = b.p.heading;
	b.r->parent = b.p.parent;
	b.r->child = b.p.child;
	b.r->figshare = b.p.figshare;
	b.r->up = b.p.up;
	b.r->context = b.p.context;
	b.r->lead = b.p.lead;

	if (seg_words_open(&words, error) != 0) {
		rc = PS_ERR_FAILED;
		goto out;
	}
	for (size_t t = 0; t < q->n_terms; t++) {
		const char *norm = q->terms[t].norm;
		size_t len = strlen(norm);
		if (!q->terms[t].positive)
			continue;
		for (size_t i = 0; i < sizeof FIGURE_WORDS / sizeof *FIGURE_WORDS; i++)
			if (strstr(norm, FIGURE_WORDS[i]) != NULL)
				b.r->wants_figure = true;
		/* runs between white space */
		for (size_t at = 0; at < len;) {
			size_t start = at, end = at;
			while (end < len) {
				size_t next = end;
				if (utf8_is_space(utf8_next(norm, &next, len)))
					break;
				end = next;
			}
			if (end > start && add_run(&b, th, words, norm + start, end - start, error) != 0)
				goto out;
			at = end;
			if (at < len)
				utf8_next(norm, &at, len);
		}
	}
	/* a query that names the plan's context itself (存在问题, 面临形势) asks for it */
	for (size_t t = 0; t < q->n_terms; t++)
		if (q->terms[t].positive &&
		    pq_rank_context_title(q->terms[t].norm, strlen(q->terms[t].norm)))
			b.r->context = 0;
	/* a variant the query holds was typed: it counts as the query's own phrasing */
	for (size_t i = 0; i < b.r->n_units; i++) {
		pq_rank_unit_t *u = &b.r->units[i];
		for (size_t t = 0; t < q->n_terms && u->kind == PQ_RANK_VARIANT; t++)
			if (q->terms[t].positive && strstr(q->terms[t].norm, u->norm) != NULL) {
				u->kind = PQ_RANK_TYPED;
				u->weight = b.p.w[PQ_RANK_TYPED];
			}
	}
	link_words(b.r, th);
	*out = b.r;
	b.r = NULL;
	rc = PS_OK;
out:
	seg_words_close(words);
	free(b.words);
	pq_ranker_free(b.r);
	return rc;
}

size_t pq_ranker_count(const pq_ranker_t *r, const char *text, size_t len, unsigned *tf)
{
	size_t found = 0;
	for (size_t i = 0; i < r->n_units; i++) {
		const pq_rank_unit_t *u = &r->units[i];
		unsigned n = 0;
		const char *at = text, *end = text + len;
		while ((size_t)(end - at) >= u->len) {
			const char *hit = memmem(at, (size_t)(end - at), u->norm, u->len);
			if (hit == NULL)
				break;
			n++;
			at = hit + u->len;
		}
		tf[i] = n;
		found += n > 0;
	}
	return found;
}

void pq_ranker_set_stats(pq_ranker_t *r, double n, const size_t *df, double avg_len)
{
	for (size_t i = 0; i < r->n_units; i++) {
		double d = (double)df[i];
		if (d > n)
			n = d;
		r->units[i].idf = pow(log(1.0 + (n - d + 0.5) / (d + 0.5)), r->idfpow);
	}
	r->avg_len = avg_len > 0 ? avg_len : 1;
}

double pq_ranker_score(const pq_ranker_t *r, const unsigned *tf, size_t len, bool has_figure)
{
	double score = 0, mass = 0, held = 0;
	double norm = r->k1 * (1 - r->b + r->b * (double)len / r->avg_len);
	for (size_t i = 0; i < r->n_units; i++) {
		const pq_rank_unit_t *u = &r->units[i];
		if (tf[i] > 0 && (u->kind != PQ_RANK_VARIANT || r->vsum > 0))
			score += u->weight * u->idf * tf[i] * (r->k1 + 1) / (tf[i] + norm);
		if (tf[i] > 0 && u->kind == PQ_RANK_VARIANT && r->vsum == 0) {
			/* a concept counts once, by its best variant: variants overlap
			 * (减负, 减负提质) and a group's many wordings are one idea */
			double c = u->weight * u->idf * tf[i] * (r->k1 + 1) / (tf[i] + norm);
			bool first = true;
			for (size_t j = 0; j < i && first; j++)
				first = !(r->units[j].kind == PQ_RANK_VARIANT &&
					  r->units[j].concept == u->concept);
			if (first) {
				for (size_t j = i + 1; j < r->n_units; j++) {
					const pq_rank_unit_t *v = &r->units[j];
					if (v->kind != PQ_RANK_VARIANT || v->concept != u->concept ||
					    tf[j] == 0)
						continue;
					double d = v->weight * v->idf * tf[j] * (r->k1 + 1) /
						   (tf[j] + norm);
					if (d > c)
						c = d;
				}
				score += c;
			}
		}
		if (r->cover > 0 && u->word == (long)i && u->kind != PQ_RANK_PHRASE) {
			mass += u->idf;
			bool has = tf[i] > 0;
			for (size_t j = 0; j < r->n_units && !has; j++)
				has = r->units[j].word == (long)i && tf[j] > 0 &&
				      r->units[j].kind == PQ_RANK_VARIANT;
			if (has)
				held += u->idf;
		}
	}
	if (score == 0)
		return 0;
	double factor = mass > 0 ? pow(held / mass, r->cover) : 1;
	if (factor < 0.05)
		factor = 0.05;
	if (r->wants_figure && has_figure)
		factor *= 1 + r->figure;
	return score * factor;
}

double pq_ranker_share(const pq_ranker_t *r, const unsigned *tf)
{
	double held = 0, all = 0;
	for (size_t i = 0; i < r->n_units; i++) {
		const pq_rank_unit_t *u = &r->units[i];
		if (u->kind == PQ_RANK_VARIANT)
			continue;
		all += u->weight * u->idf;
		if (tf[i] > 0)
			held += u->weight * u->idf;
	}
	return all > 0 ? held / all : 0;
}

bool pq_ranker_names(const pq_ranker_t *r, const unsigned *tf, size_t i)
{
	const pq_rank_unit_t *u = &r->units[i];
	if (tf[i] == 0)
		return false;
	if (u->kind != PQ_RANK_BIGRAM && u->kind != PQ_RANK_CROSS)
		return true;
	for (size_t j = 0; j < r->n_units; j++)
		if (j != i && tf[j] > 0 && r->units[j].len > u->len &&
		    memmem(r->units[j].norm, r->units[j].len, u->norm, u->len) != NULL)
			return false;
	return true;
}

static bool holds(const char *text, size_t len, const char *word)
{
	return memmem(text, len, word, strlen(word)) != NULL;
}

bool pq_rank_context_title(const char *norm, size_t len)
{
	/* what a plan says before its measures: the situation it faces, the problems it
	 * found, the ideology that guides it; not its principles (坚持党的领导 is a
	 * commitment that answers a question), nor a task that names a problem to solve
	 * (着力解决大班额问题): problems are those it has (存在, 面临) */
	static const char *const CONTEXT[] = {"形势", "挑战", "指导思想"};
	static const char *const MEASURES[] = {"目标", "成就"};
	bool context = holds(norm, len, "问题") &&
		       (holds(norm, len, "存在") || holds(norm, len, "面临"));
	for (size_t i = 0; i < sizeof CONTEXT / sizeof *CONTEXT && !context; i++)
		context = holds(norm, len, CONTEXT[i]);
	for (size_t i = 0; i < sizeof MEASURES / sizeof *MEASURES && context; i++)
		context = !holds(norm, len, MEASURES[i]);
	return context;
}

bool pq_rank_lead_title(const char *norm, size_t len)
{
	/* the closing marks a sentence's full stop may have after it (…质量。” or **…。**) */
	size_t end = len;
	while (end > 0) {
		size_t at = end;
		int32_t c = utf8_prev(norm, 0, &at);
		if (c != 0x201D && c != 0x2019 && c != 0xFF09 && c != ')' && c != 0x300D &&
		    c != 0x300F && c != 0x3011 && c != 0x300B && c != '*' && !utf8_is_space(c))
			break;
		end = at;
	}
	size_t at = end;
	int32_t last = end > 0 ? utf8_prev(norm, 0, &at) : 0;
	if (last != 0x3002 && last != '!' && last != '?')
		return false; /* not a sentence: a clause ending in ; is an item of a list */
	/* its text: Chinese characters, letters and digits, not its marks */
	size_t chars = 0;
	for (size_t i = 0; i < end;) {
		int32_t c = utf8_next(norm, &i, end);
		chars += c >= 0x3400 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			 (c >= 'A' && c <= 'Z');
	}
	return chars > 0 && chars <= PQ_RANK_LEAD_CHARS;
}

void pq_ranker_free(pq_ranker_t *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_units; i++)
		free(r->units[i].norm);
	free(r->units);
	free(r);
}
