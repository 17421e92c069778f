/* label.c: plan titles, section headings and section paths as people read them. */
#include "label.h"

#include <stdbool.h>
#include <string.h>

int pq_label_document(const ps_plan_t *plan, strbuf_t *sb)
{
	if (plan->title_supplied)
		return strbuf_printf(sb, "〔%s〕", plan->title);
	return strbuf_append_str(sb, plan->title);
}

int pq_label_title(const ps_plan_t *plan, strbuf_t *sb)
{
	if (plan->title_supplied)
		return strbuf_printf(sb, "〔%s〕", plan->title);
	int rc = strbuf_append_str(sb, "《");
	for (const char *t = plan->title; rc == 0 && *t != '\0';) {
		if (strncmp(t, "《", 3) == 0 || strncmp(t, "》", 3) == 0) {
			rc = strbuf_append_str(sb, t[2] == '\x8A' ? "〈" : "〉");
			t += 3;
		} else {
			rc = strbuf_append(sb, t++, 1);
		}
	}
	return rc == 0 ? strbuf_append_str(sb, "》") : rc;
}

int pq_label_city(const ps_plan_t *plan, strbuf_t *sb)
{
	if (!plan->city_shared)
		return strbuf_append_str(sb, plan->city);
	if (strbuf_append_str(sb, plan->city) != 0 || pq_label_title(plan, sb) != 0)
		return -1;
	return plan->title_shared ? strbuf_printf(sb, "（%s）", plan->city_id) : 0;
}

int pq_label_section_heading(const ps_section_t *s, strbuf_t *sb)
{
	static const char *const joiners[] = {".", "、", "）", ")", "．", "】"};
	size_t n = strlen(s->number);
	bool join = *s->title == '\0';
	for (size_t k = 0; !join && k < sizeof joiners / sizeof joiners[0]; k++) {
		size_t j = strlen(joiners[k]);
		join = n >= j && strcmp(s->number + n - j, joiners[k]) == 0;
	}
	return strbuf_printf(sb, "%s%s%s", s->number, join ? "" : " ", s->title);
}

int pq_label_heading(const ps_outline_t *o, int i, strbuf_t *sb)
{
	if (i <= 0)
		return strbuf_append_str(sb, "(preamble)");
	return pq_label_section_heading(&o->sections[i], sb);
}

int pq_label_section_path(const ps_outline_t *o, int i, strbuf_t *sb)
{
	int chain[64], n = 0; /* deeper paths are cut at the top: plans nest far less */
	for (int s = i; s > 0 && n < 64; s = o->sections[s].parent)
		chain[n++] = s;
	if (n == 0)
		return strbuf_append_str(sb, "(preamble)");
	for (int k = n - 1; k >= 0; k--)
		if ((k < n - 1 && strbuf_append_str(sb, " › ") != 0) ||
		    pq_label_heading(o, chain[k], sb) != 0)
			return -1;
	return 0;
}
