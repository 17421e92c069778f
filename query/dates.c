/* dates.c: reading printed dates and --date ranges, and keeping the plans dated inside one. */
#include "dates.h"

#include "escape.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One digit at *p, ASCII or full-width (U+FF10..U+FF19, EF BC 90..99): its value, *p moved
 * past it; -1 and *p unmoved for anything else. */
static int digit(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	if (s[0] >= '0' && s[0] <= '9') {
		*p += 1;
		return s[0] - '0';
	}
	if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
		*p += 3;
		return s[2] - 0x90;
	}
	return -1;
}

/* Up to `max` digits: their value, or -1 when there are none. */
static long number(const char **p, int max)
{
	long v = -1;
	for (int i = 0, d; i < max && (d = digit(p)) >= 0; i++)
		v = (v < 0 ? 0 : v * 10) + d;
	return v;
}

/* Skip one separator (年 月 - . /); whether there was one. */
static bool separator(const char **p)
{
	static const char *const seps[] = {"年", "月", "-", ".", "/"};
	for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++)
		if (strncmp(*p, seps[i], strlen(seps[i])) == 0) {
			*p += strlen(seps[i]);
			return true;
		}
	return false;
}

static int days_in(long year, long month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* Read a date at *p, moving *p past it (and a closing 日). */
static int read_date(const char **p, pq_date_span_t *out)
{
	const char *s = *p;
	long year = number(&s, 4), month = -1, day = -1;
	if (year < 1000)
		return -1;
	const char *at = s;
	if (separator(&s) && (month = number(&s, 2)) >= 0) {
		if (month < 1 || month > 12)
			return -1;
		at = s;
		if (separator(&s) && (day = number(&s, 2)) >= 0) {
			if (day < 1 || day > days_in(year, month))
				return -1;
			if (strncmp(s, "日", strlen("日")) == 0)
				s += strlen("日");
			at = s;
		}
	} else if (strncmp(s, "年", strlen("年")) == 0) {
		at = s + strlen("年");
	}
	*p = at;
	out->first = year * 10000 + (month > 0 ? month : 1) * 100 + (day > 0 ? day : 1);
	out->last = year * 10000 + (month > 0 ? month : 12) * 100 +
		    (day > 0 ? day : days_in(year, month > 0 ? month : 12));
	return 0;
}

int pq_date_read(const char *text, pq_date_span_t *out)
{
	const char *p = text;
	return read_date(&p, out);
}

int pq_date_range_parse(const char *text, pq_date_span_t *out)
{
	const char *dots = strstr(text, "..");
	pq_date_span_t from = {0, 0}, to = {99999999, 99999999};
	const char *p = text;
	if (dots == NULL) {
		if (read_date(&p, &from) != 0 || *p != '\0')
			return -1;
		*out = from;
		return 0;
	}
	if (dots == text && dots[2] == '\0')
		return -1; /* ".." alone: no date at all */
	if (dots > text && (read_date(&p, &from) != 0 || p != dots))
		return -1;
	p = dots + 2;
	if (*p != '\0' && (read_date(&p, &to) != 0 || *p != '\0'))
		return -1;
	if (from.first > to.last)
		return -1;
	*out = (pq_date_span_t){from.first, to.last};
	return 0;
}

ps_status_t pq_select_dated(ps_store_t *index, const ps_plan_t *const *in, size_t n_in,
			    const pq_date_span_t *range, const char *range_text,
			    const ps_plan_t ***out, size_t *n_out, size_t *n_undated,
			    char **error)
{
	size_t n_all;
	const ps_plan_t *all = ps_store_plans(index, &n_all);
	size_t n = in ? n_in : n_all, kept = 0;
	const ps_plan_t **sel = malloc((n ? n : 1) * sizeof *sel);
	if (sel == NULL)
		return PS_ERR_NO_MEMORY;
	*n_undated = 0;
	for (size_t i = 0; i < n; i++) {
		const ps_plan_t *plan = in ? in[i] : &all[i];
		pq_date_span_t d;
		if (plan->date == NULL || pq_date_read(plan->date, &d) != 0)
			++*n_undated;
		else if (d.first >= range->first && d.last <= range->last)
			sel[kept++] = plan;
	}
	if (kept > 0) {
		*out = sel;
		*n_out = kept;
		return PS_OK;
	}
	/* none: say which dates there are */
	strbuf_t sb = STRBUF_INIT;
	strbuf_append_str(&sb, "no plan is dated within ");
	util_escape_text(&sb, range_text, strlen(range_text));
	const char *sep = " (the plans' dates: ";
	for (size_t i = 0; i < n; i++) {
		const ps_plan_t *plan = in ? in[i] : &all[i];
		if (plan->date == NULL)
			continue;
		strbuf_append_str(&sb, sep);
		util_escape_text(&sb, plan->city, strlen(plan->city));
		strbuf_append_str(&sb, " ");
		util_escape_text(&sb, plan->date, strlen(plan->date));
		sep = ", ";
	}
	strbuf_printf(&sb, "%s%zu %s no date)", *sep == ',' ? "; " : " (", *n_undated,
		      *n_undated == 1 ? "plan has" : "plans have");
	free(sel);
	if (sb.data == NULL)
		return PS_ERR_NO_MEMORY;
	*error = sb.data;
	return PS_ERR_INVALID;
}
