/* rank.h: --any's ranking: a query broken into weighted units (its own phrasing, its words, their bigrams, concept variants) and a passage's BM25 score from the counts of each in its text. */
#ifndef PQ_RANK_H
#define PQ_RANK_H

#include "parse.h"
#include "thesaurus.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * What a query is broken into, per positive term (its normal form):
 *
 * - PHRASE: the term as typed, when it is longer than a word of it;
 * - TYPED: a thesaurus term the query holds (高中阶段毛入学率 in 高中阶段毛入学率目标): the
 *   query's own phrasing, though ICU's dictionary may break it (it does not know 毛入学率);
 * - WORD: each ICU word of two or more characters (segmenter/tokenize.h), question words
 *   and a question's frame (如何, 怎样, 多少, 哪些, 举措, 具体 …), the kind of place a
 *   哪些/什么 asks for (城市 in 哪些城市…) and the verbs that frame a plan's sentences
 *   (加强, 推进 …) left out unless they are all the term has;
 * - BIGRAM: each pair of characters inside one such word, or beside a character ICU left
 *   alone (a word it does not know: 县管校聘); CROSS: a pair that straddles two words of
 *   two characters or more (生课 in 学生课业), weighed far less, since it is as often an
 *   accident of the phrasing as a unit of meaning;
 * - CHAR: a term of one character; and, at `lone`, a word of one character between
 *   longer words (党 in 怎样加强党对教育工作的领导), not a particle, a preposition or a
 *   question word, nor beside another such character (双减's 双 and 减 are pieces of a word
 *   ICU does not know, which the bigrams stand for);
 * - VARIANT: each term of a thesaurus group that one of the query's terms or words
 *   belongs to (or, for a term of four or more characters, one of whose terms of four or
 *   more characters it holds whole), weighed less than what was typed; every variant a
 *   passage holds adds up, as the wordings of one policy do. A group that lists another
 *   group's head without being listed back is the broader concept, and a term of the
 *   narrower group does not reach it (校车 stays with 校车安全; 校园安全 finds 校车安全):
 *   data/README.md.
 *
 * A unit that arises twice keeps its heaviest kind. A passage's score is the sum over the
 * units it holds of weight × idf^idfpow × BM25's saturated count (k1, with length
 * normalisation b against the average candidate passage), times a coverage factor (the
 * share of the query's words, by idf, the passage holds itself or through a variant, to
 * the power `cover`; 0 by default: every power above it scored worse). A question that
 * asks for a figure (多少, 几, 比例, 目标, 率 …) adds `figure` to the factor for a passage
 * one of whose clauses states a quantity (95%, 45人; not a year) and holds `figshare` of
 * the query (pq_ranker_share) or more, and in proportion for a clause that holds less: the
 * figure should be stated of what was asked (班额不超过45人, not 作业不超过60分钟). Counts
 * are of literal, non-overlapping occurrences in the passage's normal form, which is what
 * the index's texts hold. A passage also gets `heading` times the score of its section's
 * heading and `parent` times that of the heading above (search.c): a plan's heading says
 * what the text under it is about, in words the text may not repeat. A heading gets `up`
 * times what its own governing headings would add to a paragraph beside it (a sub-heading
 * is governed by the title above it as the text is). At paragraph scope a heading that
 * holds some of the query gets `child` times the best own score of the paragraphs right
 * under it (a box's heading, 专栏14 …: of those anywhere in the box). Neither for a
 * question asking for a figure: a heading states none. A passage (or heading) in a section
 * whose heading names the plan's context rather than its measures (pq_rank_context_title:
 * 面临形势, 存在问题, 指导思想) keeps 1 − `context` of its score, the heading's share
 * included: there a plan names a topic as background; unless the query names the context
 * itself (教育发展存在的问题): then it asks for it. A paragraph that opens with a title
 * sentence (pq_rank_lead_title: 提升课后服务质量。…, as most of a plan's paragraphs do) also
 * gets `lead` times that sentence's score, as it gets its heading's: the title names what
 * the paragraph is about, and a passing mention later in a long paragraph does not.
 *
 * The parameters below were chosen on bench/judged/ (bench/ranking/README.md has the
 * method). POLICY_SEARCH_RANK="k1=1.2 b=0.3 …" overrides them, for tuning only.
 */

typedef enum pq_rank_kind {
	PQ_RANK_PHRASE,
	PQ_RANK_TYPED,
	PQ_RANK_WORD,
	PQ_RANK_BIGRAM,
	PQ_RANK_CROSS,
	PQ_RANK_CHAR,
	PQ_RANK_VARIANT,
} pq_rank_kind_t;

typedef struct pq_rank_unit {
	char *norm;          /* normalised, NUL-terminated; owned */
	size_t len;          /* bytes */
	pq_rank_kind_t kind;
	double weight;       /* from its kind (the parameters) */
	double idf;          /* set by pq_ranker_set_stats; 0 before */
	long concept;        /* VARIANT: its group in the thesaurus; -1 otherwise */
	long word;           /* the word (index in units) it covers for coverage, or -1 */
} pq_rank_unit_t;

typedef struct pq_ranker {
	pq_rank_unit_t *units;
	size_t n_units;
	double k1, b, cover, figure, idfpow; /* idf is raised to idfpow */
	double vsum;         /* 0: a concept counts by its best variant; else every variant */
	double heading, parent; /* the shares of its section's heading's score, and of the
				 * heading above, that a passage gets (search.c) */
	double figshare;     /* the share of the query (pq_ranker_share) that the clause of a
			      * figure must hold for the figure bonus */
	double child;        /* the share of the best paragraph right under it that a
			      * heading that holds some of the query gets (search.c) */
	double up;           /* the share of heading + parent that a heading gets from the
			      * headings above it (search.c) */
	double context;      /* the share a unit in a context section loses (search.c); 0
			      * when the query names the context itself */
	double lead;         /* the share of its title sentence's score that a paragraph gets
			      * on top of its own (search.c) */
	bool wants_figure;   /* the query asks for a number */
	double avg_len;      /* bytes of an average passage */
} pq_ranker_t;

/* Break the query's positive terms into units, with the thesaurus's variants (NULL for
 * none). Returns PS_OK and a ranker to free with pq_ranker_free; PS_ERR_FAILED with a
 * malloc'd message when ICU cannot be opened; PS_ERR_NO_MEMORY. A query whose terms hold
 * only question words still gets units (their words are kept then). */
ps_status_t pq_ranker_new(const pq_query_t *query, const pq_thesaurus_t *thesaurus,
			  pq_ranker_t **out, char **error);

/* Count each unit's literal, non-overlapping occurrences in text[0,len) into tf[n_units].
 * Returns how many units occur. Cannot fail. */
size_t pq_ranker_count(const pq_ranker_t *r, const char *text, size_t len, unsigned *tf);

/* The collection: n passages, df[i] of them holding unit i, avg_len bytes on average.
 * Cannot fail. */
void pq_ranker_set_stats(pq_ranker_t *r, double n, const size_t *df, double avg_len);

/* The share of the query's own units (by weight × idf; variants left out) that counts tf
 * hold, from 0 to 1. Cannot fail. */
double pq_ranker_share(const pq_ranker_t *r, const unsigned *tf);

/* The score of a passage of len bytes with counts tf (from pq_ranker_count); has_figure
 * says whether a clause of it that holds a unit states a quantity. 0 when it holds no
 * unit. Cannot fail. */
double pq_ranker_score(const pq_ranker_t *r, const unsigned *tf, size_t len, bool has_figure);

/* Whether unit i is worth naming among a passage's matches given its counts: every unit
 * that occurs but a bigram inside a longer unit that occurs too. Cannot fail. */
bool pq_ranker_names(const pq_ranker_t *r, const unsigned *tf, size_t i);

/* Whether a section whose heading's normal form is norm[0, len) (segmenter/normalize.h:
 * traditional characters folded to simplified, full-width to half-width, as the index
 * holds it) holds the plan's context rather than its measures, targets or results: a
 * heading that names the situation (形势, 挑战), the problems the plan has (存在问题,
 * 面临的问题; not 解决大班额问题, a task) or the guiding ideology (指导思想), and not a
 * target (目标) or an achievement (成就) too (一、主要成就及存在问题 governs both). Cannot
 * fail. */
bool pq_rank_context_title(const char *norm, size_t len);

/* The most characters a paragraph's title sentence holds: about as long as nine in ten of
 * the five plans' headings (their text, numbering left out, up to 20 characters). */
#define PQ_RANK_LEAD_CHARS 20

/* Whether a paragraph's first clause, in normal form norm[0, len), is the paragraph's title:
 * a sentence (ending in 。, ! or ?, closing marks after it allowed; not an item of a list
 * ending in ;) of at most PQ_RANK_LEAD_CHARS characters of text (Chinese characters,
 * letters, digits; marks not counted). Plans open most paragraphs so (深化办学体制改革。积极
 * 探索民办学校管理机制…), naming the topic as a heading does. Cannot fail. */
bool pq_rank_lead_title(const char *norm, size_t len);

/* Free. Accepts NULL. */
void pq_ranker_free(pq_ranker_t *r);

#endif
