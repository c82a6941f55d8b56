/*
 * progress.c — computes progress figures and their status (see progress.h).
 * The counting itself is SQL in store_progress.c; this file decides the
 * windows, the expected value and the status.
 */
#include "progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *progress_status_zh(ProgressStatus st)
{
	switch (st) {
	case PS_DONE: return "已完成";
	case PS_ON_TRACK: return "正常";
	case PS_BEHIND: return "滞后";
	case PS_AT_RISK: return "严重滞后";
	default: return "无目标";
	}
}

const char *progress_status_code(ProgressStatus st)
{
	switch (st) {
	case PS_DONE: return "done";
	case PS_ON_TRACK: return "on_track";
	case PS_BEHIND: return "behind";
	case PS_AT_RISK: return "at_risk";
	default: return "no_target";
	}
}

int progress_default_year(const Plan *p, const char *date)
{
	int y = digits_value(date, 4);
	if (y < p->years[0])
		return p->years[0];
	if (y > p->years[p->nyears - 1])
		return p->years[p->nyears - 1];
	return y;
}

static const Target *find_target(const Target *t, int n, const char *ind, const char *scope, int year)
{
	for (int i = 0; i < n; i++)
		if (t[i].year == year && strcmp(t[i].indicator, ind) == 0 && strcmp(t[i].scope, scope) == 0)
			return &t[i];
	return NULL;
}

/* The cumulative value the targets ask for on date `to`: at the end of
 * each year with a stated target, that target; within such a year, a line
 * from the last target stated before it (0 when none) to the year's own;
 * within a year without a target, the last target stated before it. */
static double expected_at(const Target *t, int n, const char *ind, const char *scope, const char *to)
{
	int year = digits_value(to, 4);
	const Target *cur = NULL, *prev = NULL;
	for (int i = 0; i < n; i++) {
		if (strcmp(t[i].indicator, ind) != 0 || strcmp(t[i].scope, scope) != 0)
			continue;
		if (t[i].year == year)
			cur = &t[i];
		else if (t[i].year < year && (!prev || t[i].year > prev->year))
			prev = &t[i];
	}
	double base = prev ? prev->value : 0;
	if (!cur)
		return base;
	char jan1[11], dec31[11];
	snprintf(jan1, sizeof jan1, "%04d-01-01", year);
	snprintf(dec31, sizeof dec31, "%04d-12-31", year);
	double days = (double)(date_days(dec31) - date_days(jan1) + 1);
	double done = (double)(date_days(to) - date_days(jan1) + 1);
	return base + (cur->value - base) * done / days;
}

static int meets(double actual, double target, const char *op)
{
	return strcmp(op, ">") == 0 ? actual > target : actual >= target;
}

int progress_compute(Store *s, const Plan *p, Arena *a, const char *scope, int year,
                     const char *as_of, const char *kind, Progress **out)
{
	Target *targets; /* from the connection's memory of every target */
	int nt = store_targets_in_scope(s, a, scope, &targets);
	if (nt < 0)
		return -1;
	return progress_compute_with(s, p, a, scope, year, as_of, kind, targets, nt, out);
}

int progress_compute_with(Store *s, const Plan *p, Arena *a, const char *scope, int year, const char *as_of,
                          const char *kind, const Target *targets, int nt, Progress **out)
{
	return progress_compute_given(s, p, a, scope, year, as_of, kind, targets, nt, NULL, NULL, out);
}

int progress_compute_given(Store *s, const Plan *p, Arena *a, const char *scope, int year, const char *as_of,
                           const char *kind, const Target *targets, int nt, const double *actual,
                           const double *at_start_given, Progress **out)
{
	char today[11], dec31[11];
	if (!as_of) {
		date_today(today);
		as_of = today;
	}
	snprintf(dec31, sizeof dec31, "%04d-12-31", year);
	const char *to = arena_strdup(a, strcmp(as_of, dec31) < 0 ? as_of : dec31);
	const char *area = strcmp(scope, p->city.code) == 0 ? NULL : scope;
	char jan1[24], dec31y[24], prev_end[24];
	snprintf(jan1, sizeof jan1, "%04d-01-01", year);
	snprintf(dec31y, sizeof dec31y, "%04d-12-31", year);
	snprintf(prev_end, sizeof prev_end, "%04d-12-31", year - 1);

	Progress *v = arena_alloc(a, sizeof *v * (size_t)(p->nindicators + 1));
	int n = 0;
	for (int i = 0; i < p->nindicators; i++) {
		const Indicator *in = &p->indicators[i];
		if (kind && strcmp(in->kind, kind) != 0)
			continue;
		Progress *g = &v[n++];
		g->ind = in;
		g->year = year;
		g->from = p->start;
		g->to = to;
		int ok = 1;
		g->actual = strcmp(to, p->start) < 0 ? 0
		            : actual && !isnan(actual[i]) ? actual[i]
		                                          : store_measure(s, in->measure, in->level, area, p->start, to, &ok);
		if (!ok)
			return -1;
		/* The year-end forecast: what stood at the start of the year, plus the
		 * year's gain so far stretched over the whole year. */
		if (strcmp(to, jan1) >= 0) {
			double at_start = strcmp(prev_end, p->start) < 0                   ? 0
			                  : at_start_given && !isnan(at_start_given[i]) ? at_start_given[i]
			                                                                : store_measure(s, in->measure, in->level, area, p->start, prev_end, &ok);
			if (!ok)
				return -1;
			double elapsed = (double)(date_days(to) - date_days(jan1) + 1) /
			                 (double)(date_days(dec31y) - date_days(jan1) + 1);
			g->has_forecast = 1;
			g->forecast = at_start + (g->actual - at_start) / elapsed;
		}
		const Target *t = find_target(targets, nt, in->code, scope, year);
		if (!t) {
			g->status = PS_NO_TARGET;
			continue;
		}
		g->has_target = 1;
		g->target = t->value;
		g->op = t->op;
		g->wording = t->wording;
		g->ratio = t->value > 0 ? g->actual / t->value : 1;
		g->expected = expected_at(targets, nt, in->code, scope, to);
		if (meets(g->actual, t->value, t->op)) {
			g->status = PS_DONE;
		} else {
			double r = g->expected > 0 ? g->actual / g->expected : 1;
			g->status = r >= p->on_track ? PS_ON_TRACK : r >= p->behind ? PS_BEHIND : PS_AT_RISK;
		}
	}
	*out = v;
	return n;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (date_days without
 * the parsing). */
static long civil_days(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" of y (0–9999), m, d. */
static void put_date(char out[11], int y, int m, int d)
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = 0;
}

int progress_series(Store *s, const Plan *p, Arena *a, const char *scope, const Indicator *in, const char *as_of,
                    SeriesPoint **out)
{
	const char *area = strcmp(scope, p->city.code) == 0 ? NULL : scope;
	Target *targets;
	int nt = store_targets_in_scope(s, a, scope, &targets);
	if (nt < 0)
		return -1;
	/* this indicator's targets of scope, once (expected_at over them gives
	 * what it gives over all of them) */
	int nmine = 0;
	Target *mine = arena_alloc(a, sizeof *mine * (size_t)(nt + 1));
	for (int i = 0; i < nt; i++)
		if (strcmp(targets[i].indicator, in->code) == 0 && strcmp(targets[i].scope, scope) == 0)
			mine[nmine++] = targets[i];
	int has_any = 0;
	for (int i = 0; i < nt; i++)
		has_any |= strcmp(targets[i].indicator, in->code) == 0;
	int y0 = digits_value(p->start, 4), m0 = digits_value(p->start + 5, 2);
	int last_year = p->years[p->nyears - 1];
	/* the expected line within one year: from base at its start to the
	 * year's own target (cur) at its end (expected_at) */
	int line_year = -1;
	const Target *cur = NULL;
	double base = 0;
	long jan1 = 0, days = 1;
	int n = 0, cap = 0;
	SeriesPoint *v = NULL;
	for (int y = y0, m = m0; y <= last_year; m = m == 12 ? 1 : m + 1, y += m == 1) {
		char first[11], end[11];
		put_date(first, y, m, 1);
		if (strcmp(first, as_of) > 0)
			break;
		/* the month's last day: the day before the next month's first */
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int last = mdays[m - 1] + (m == 2 && leap);
		put_date(end, y, m, last);
		long end_days = civil_days(y, m, last);
		if (strcmp(end, as_of) > 0) {
			memcpy(end, as_of, 10); /* a date, YYYY-MM-DD */
			end[10] = 0;
			end_days = date_days(end);
		}
		int ok;
		SeriesPoint *pt = arena_push(a, &v, &n, &cap, sizeof *pt);
		memcpy(pt->date, end, 11);
		pt->actual = store_measure(s, in->measure, in->level, area, p->start, end, &ok);
		if (!ok)
			return -1;
		if (has_any) {
			int year = digits_value(end, 4);
			if (year != line_year) {
				const Target *prev = NULL;
				cur = NULL;
				for (int i = 0; i < nmine; i++) {
					if (mine[i].year == year)
						cur = &mine[i];
					else if (mine[i].year < year && (!prev || mine[i].year > prev->year))
						prev = &mine[i];
				}
				base = prev ? prev->value : 0;
				jan1 = civil_days(year, 1, 1);
				days = civil_days(year, 12, 31) - jan1 + 1;
				line_year = year;
			}
			pt->expected = !cur ? base : base + (cur->value - base) * (double)(end_days - jan1 + 1) / (double)days;
			pt->has_expected = 1;
		}
	}
	*out = v;
	return n;
}
