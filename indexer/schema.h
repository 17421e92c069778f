/* schema.h: how a policy-search index is laid out in Xapian, shared by the indexer and the query side. */
#ifndef PI_SCHEMA_H
#define PI_SCHEMA_H

/* Bumped whenever terms, stored data or metadata change meaning; the query side refuses
 * an index with another version and says how to rebuild it. */
#define PI_SCHEMA_VERSION "6"

/* Metadata keys. */
#define PI_META_SCHEMA "policy-search.schema" /* PI_SCHEMA_VERSION */
#define PI_META_PLANS "policy-search.plans"   /* JSON array: one object per plan
					       * (planmeta.h: manifest fields, bytes,
					       * sha256, body [start, end], passages,
					       * encoding: "utf-8", or "gb18030" when the
					       * file was converted and bytes, sha256, the
					       * source and every offset refer to its UTF-8
					       * conversion) */
#define PI_META_CORPUS "policy-search.corpus" /* the corpus directory it was built from,
						* absolute; where `cite` looks for the files */
/* Per plan, the key followed by the plan's city_id: */
#define PI_META_SOURCE_PREFIX "policy-search.source."   /* the file's bytes, exactly (its
							 * UTF-8 conversion for gb18030) */
#define PI_META_OUTLINE_PREFIX "policy-search.outline." /* JSON {sections: [{path, number,
							* style, title, parent, depth, line,
							* start, heading_end, end}],
							* paragraphs: [{section, ordinal,
							* line, end_line, start, end, and
							* item: [level, number] for a list
							* item}], clauses: [[section,
							* paragraph, ordinal, start, end,
							* line, sentence, part]] in text
							* order, paragraph -1 for a heading's
							* own clause}; a section's
							* start..end covers its sub-sections;
							* style is seg_style_name's, "root"
							* for the root (schema 6) */

/* Schema 6: the normal form drops white space next to Chinese characters, keeps a line
 * break only where a paragraph ends, and folds traditional characters to simplified
 * (normalize.h); articles, list items and sentences are in the outline. */

/* One Xapian document per clause. Terms over the clause's normalised text, with positions
 * for the kinds in PI_TERMS_POSITIONAL (terms.h), as counts (wdf) only for the others: */
#define PI_PREFIX_WORD "W"    /* ICU words (seg_words_run); no positions since schema 5 */
#define PI_PREFIX_BIGRAM "B"  /* character bigrams (seg_ngrams_run, n = 2); positional,
			       * with a gap where white space parts two runs (schema 5) */
#define PI_PREFIX_UNIGRAM "U" /* single characters (seg_ngrams_run, n = 1); no positions
			       * since schema 3 */
/* Boolean terms: */
#define PI_PREFIX_ID "Q"        /* the clause id, "anshan/2.3/1" */
#define PI_PREFIX_CITY "XC"     /* the plan's city_id */
#define PI_PREFIX_PLAN "XD"     /* the plan (document) id */
#define PI_PREFIX_SECTION "XS"  /* "anshan/2.3" for the clause's section and each ancestor */
#define PI_PREFIX_PARAGRAPH "XP" /* "anshan/2.3/p1"; heading clauses have none */

/* Value slots: */
#define PI_SLOT_FACET 0 /* "<plan id>\t<chapter>\t<path>\t<number>\t<title>": the index in
			 * the plan's outline of the top-level section holding the clause (0
			 * for the preamble), and that section's path, number and title; what
			 * search counts its per-city and per-chapter facets over, naming
			 * chapters without reading outlines (schema 5) */

/* The stored data is a JSON object: id, plan, start, end (bytes of the plan's file, end
 * exclusive), line, s and p (the indexes of its section and paragraph, -1 for a heading's
 * clause, in the plan's outline), and norm (the normalised text a candidate is checked
 * against). The clause's bytes and its section path are not repeated here: the plan's
 * source and outline hold them once (schema 5). */

/* An index directory holds this stub file, naming the live Xapian database beside it;
 * a rebuild writes a new database and renames a new stub over the old one. */
#define PI_STUB_NAME "XAPIANDB"
#define PI_GENERATION_PREFIX "generation-"
/* A generation being deleted is first renamed to its name plus this suffix. */
#define PI_DOOMED_SUFFIX ".deleting"
/* A query pins the generation it reads with a shared flock(2) on the generation's
 * directory, taken after reading the stub and kept until it closes the index; the builder
 * deletes only generations it can lock exclusively (indexer/install.c, prune_one). */

#endif
