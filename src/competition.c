/*
 * competition.c — the 六比竞赛 over a period (see competition.h): the
 * period's window, each area's figures (store_measure, the progress
 * measures), the period's share of its targets, scores and ranks within the
 * method's groups and across all, the previous period's ranks and the
 * progress rank. Nothing is written; everything returned lives in the
 * Competition's own arena.
 */
#include "competition.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the method ---- */

const CompMethod *competition_method(const Plan *p, Arena *a)
{
	if (p->competition)
		return p->competition;
	/* the default: one group per area group; every competition indicator,
	 * weight 1, ranked by amount (the plan states no area targets for them) */
	CompMethod *m = arena_alloc(a, sizeof *m);
	m->name = "六比竞赛";
	m->prorate = 1;
	m->cap = 1.0;
	m->ties = "shared";
	m->missing_target = "skip";
	m->groups = arena_alloc(a, sizeof *m->groups * (size_t)(p->ngroups + 1));
	for (int i = 0; i < p->ngroups; i++) {
		CompGroup *g = &m->groups[m->ngroups++];
		g->code = p->groups[i].code;
		g->name = p->groups[i].name;
		g->area_groups = arena_alloc(a, sizeof *g->area_groups);
		g->area_groups[0] = p->groups[i].code;
		g->narea_groups = 1;
	}
	m->items = arena_alloc(a, sizeof *m->items * (size_t)(p->nindicators + 1));
	for (int i = 0; i < p->nindicators; i++) {
		if (strcmp(p->indicators[i].kind, "competition") != 0)
			continue;
		CompItem *it = &m->items[m->nitems++];
		it->indicator = it->target = p->indicators[i].code;
		it->by = "amount";
		it->weight = 1;
	}
	return m;
}

/* The method's group of an area: its index, or -1. */
static int group_of(const CompMethod *m, const Area *ar)
{
	if (!ar->group)
		return -1;
	for (int g = 0; g < m->ngroups; g++)
		for (int k = 0; k < m->groups[g].narea_groups; k++)
			if (strcmp(m->groups[g].area_groups[k], ar->group) == 0)
				return g;
	return -1;
}

/* ---- periods ---- */

static void ymd(char out[11], int y, int m, int d)
{
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = 0;
}

/* The last day of month m of year y. */
static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static const char *const quarter_zh[] = {"第一季度", "第二季度", "第三季度", "第四季度"};

/* "2024年1—11月" when to is a month's end, else "2024年1月1日至11月15日"
 * (from and to in one year); across years with the years written. */
static void span_label(char *out, size_t n, const char *from, const char *to)
{
	int fy = digits_value(from, 4), fm = digits_value(from + 5, 2), fd = digits_value(from + 8, 2);
	int ty = digits_value(to, 4), tm = digits_value(to + 5, 2), td = digits_value(to + 8, 2);
	int month_end = td == month_days(ty, tm);
	if (fd == 1 && month_end) {
		if (fy == ty && fm == tm)
			snprintf(out, n, "%d年%d月", fy, fm);
		else if (fy == ty)
			snprintf(out, n, "%d年%d—%d月", fy, fm, tm);
		else
			snprintf(out, n, "%d年%d月至%d年%d月", fy, fm, ty, tm);
	} else if (fy == ty) {
		snprintf(out, n, "%d年%d月%d日至%d月%d日", fy, fm, fd, tm, td);
	} else {
		snprintf(out, n, "%d年%d月%d日至%d年%d月%d日", fy, fm, fd, ty, tm, td);
	}
}

DomResult competition_period(const Plan *p, const char *spec, const char *as_of, CompPeriod *out)
{
	memset(out, 0, sizeof *out);
	if (!as_of || !date_valid(as_of))
		return dom_result(DOM_INVALID, "bad_as_of", "数据截至日期应为 YYYY-MM-DD 格式的日期。");
	int last_year = p->years[p->nyears - 1];
	char plan_end[11];
	ymd(plan_end, last_year, 12, 31);
	size_t n = spec ? strlen(spec) : 0;
	int y = 0;
	if (n == 0 || n > 10)
		return dom_result(DOM_INVALID, "bad_period",
		                  "期间应为月份（2024-11）、季度（2024-Q4）、年度（2024）、ytd（本年至今）或 plan（规划以来）。");
	if (strcmp(spec, "plan") == 0) {
		out->kind = CP_PLAN;
		snprintf(out->key, sizeof out->key, "plan");
		memcpy(out->from, p->start, 10);
		memcpy(out->end, plan_end, 11);
	} else if (strcmp(spec, "ytd") == 0) {
		out->kind = CP_YTD;
		y = digits_value(as_of, 4);
		snprintf(out->key, sizeof out->key, "ytd");
		ymd(out->from, y, 1, 1);
		ymd(out->end, y, 12, 31);
	} else if (n == 4 && all_digits(spec, 4)) {
		out->kind = CP_YEAR;
		y = digits_value(spec, 4);
		snprintf(out->key, sizeof out->key, "%04d", y);
		ymd(out->from, y, 1, 1);
		ymd(out->end, y, 12, 31);
	} else if (n == 7 && all_digits(spec, 4) && spec[4] == '-' && spec[5] == 'Q' && spec[6] >= '1' && spec[6] <= '4') {
		out->kind = CP_QUARTER;
		y = digits_value(spec, 4);
		int q = spec[6] - '0';
		snprintf(out->key, sizeof out->key, "%04d-Q%d", y, q);
		ymd(out->from, y, q * 3 - 2, 1);
		ymd(out->end, y, q * 3, month_days(y, q * 3));
	} else if (n == 7 && all_digits(spec, 4) && spec[4] == '-' && all_digits(spec + 5, 2) &&
	           digits_value(spec + 5, 2) >= 1 && digits_value(spec + 5, 2) <= 12) {
		out->kind = CP_MONTH;
		y = digits_value(spec, 4);
		int m = digits_value(spec + 5, 2);
		snprintf(out->key, sizeof out->key, "%04d-%02d", y, m);
		ymd(out->from, y, m, 1);
		ymd(out->end, y, m, month_days(y, m));
	} else {
		return dom_result(DOM_INVALID, "bad_period",
		                  "期间应为月份（2024-11）、季度（2024-Q4）、年度（2024）、ytd（本年至今）或 plan（规划以来）。");
	}
	if (strcmp(out->end, p->start) < 0 || strcmp(out->from, plan_end) > 0)
		return dom_result(DOM_INVALID, "outside_plan",
		                  "该期间不在规划期内，请选择规划期内的月份、季度或年度。");
	if (strcmp(out->from, p->start) < 0)
		memcpy(out->from, p->start, 10);
	if (strcmp(as_of, out->from) < 0)
		return dom_result(DOM_INVALID, "not_begun", "该期间在数据截至日期时尚未开始，请选择更早的期间或更晚的截至日期。");
	memcpy(out->to, strcmp(as_of, out->end) < 0 ? as_of : out->end, 11);
	int complete = strcmp(out->to, out->end) == 0;
	switch (out->kind) {
	case CP_MONTH:
		if (complete)
			snprintf(out->label, sizeof out->label, "%d年%d月", y, digits_value(out->from + 5, 2));
		else
			span_label(out->label, sizeof out->label, out->from, out->to);
		break;
	case CP_QUARTER:
		if (complete)
			snprintf(out->label, sizeof out->label, "%d年%s", y, quarter_zh[(digits_value(out->from + 5, 2) - 1) / 3]);
		else
			span_label(out->label, sizeof out->label, out->from, out->to);
		break;
	case CP_YEAR:
	case CP_YTD:
		if (complete && strcmp(out->from + 4, "-01-01") == 0)
			snprintf(out->label, sizeof out->label, "%d年全年", y);
		else
			span_label(out->label, sizeof out->label, out->from, out->to);
		break;
	case CP_PLAN: {
		char l[48];
		span_label(l, sizeof l, out->from, out->to);
		snprintf(out->label, sizeof out->label, "规划以来（%s）", l);
		break;
	}
	}
	return dom_result(DOM_OK, NULL, NULL);
}

/* The period compared with: the month or quarter before; for a year or the
 * plan, the same period as it stood at the end of the month before `to`'s.
 * 0 when it would begin before the plan or end before it begins. */
static int previous_period(const Plan *p, const CompPeriod *cur, const char *as_of, CompPeriod *prev)
{
	char key[48], asof[11];
	memcpy(asof, as_of, 11);
	int y = digits_value(cur->from, 4), m = digits_value(cur->from + 5, 2);
	switch (cur->kind) {
	case CP_MONTH:
		snprintf(key, sizeof key, "%04d-%02d", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
		break;
	case CP_QUARTER: {
		int q = (m - 1) / 3 + 1;
		snprintf(key, sizeof key, "%04d-Q%d", q == 1 ? y - 1 : y, q == 1 ? 4 : q - 1);
		break;
	}
	default: {
		int ty = digits_value(cur->to, 4), tm = digits_value(cur->to + 5, 2);
		if (tm == 1)
			ymd(asof, ty - 1, 12, 31);
		else
			ymd(asof, ty, tm - 1, month_days(ty, tm - 1));
		snprintf(key, sizeof key, "%s", cur->kind == CP_YTD ? "" : cur->key);
		if (cur->kind == CP_YTD) /* the same year, not the year of the earlier date */
			snprintf(key, sizeof key, "%04d", digits_value(cur->from, 4));
		break;
	}
	}
	if (!dom_done(competition_period(p, key, asof, prev)))
		return 0;
	/* a month or quarter whose start the plan cuts is still compared; a
	 * year or plan window must have begun */
	return strcmp(prev->to, prev->from) >= 0;
}

const char *competition_prev_key(const Competition *c, Arena *a)
{
	return c->has_prev ? arena_strdup(a, c->prev.key) : NULL;
}

/* ---- ranks ---- */

/* a and b equal up to rounding (figures are sums of decimals) */
static int same(double a, double b)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
	return fabs(a - b) <= 1e-9 * (m > 1 ? m : 1);
}

static int desc_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a < b) - (a > b);
}

/* The shared ranks of competition_rank in O(n log n): the valid keys
 * sorted, greater ones found by bisection, and those of them "the same" as
 * the key (same(): within 1e-9 of the larger) taken off; such keys all lie
 * within 2e-9 × max(|key|, 1) above it, so only that window is walked.
 * 0 when a key is not finite (the quadratic loop then decides). */
static int rank_shared(const double *key, const int *valid, int n, int *rank)
{
	double *v = malloc(sizeof *v * (size_t)(n + 1));
	if (!v)
		return 0;
	int m = 0;
	for (int i = 0; i < n; i++)
		if (valid[i]) {
			if (!isfinite(key[i])) {
				free(v);
				return 0;
			}
			v[m++] = key[i];
		}
	qsort(v, (size_t)m, sizeof *v, desc_cmp);
	for (int i = 0; i < n; i++) {
		rank[i] = 0;
		if (!valid[i])
			continue;
		double k = key[i];
		int lo = 0, hi = m; /* the first sorted key not greater than k */
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			if (v[mid] > k)
				lo = mid + 1;
			else
				hi = mid;
		}
		int greater = lo;
		double w = 2e-9 * (fabs(k) > 1 ? fabs(k) : 1);
		for (int j = lo - 1; j >= 0 && v[j] - k <= w; j--)
			if (same(v[j], k))
				greater--;
		rank[i] = 1 + greater;
	}
	free(v);
	return 1;
}

void competition_rank(const double *key, const int *valid, int n, int dense, int *rank)
{
	if (!dense && n > 16 && rank_shared(key, valid, n, rank))
		return;
	for (int i = 0; i < n; i++) {
		rank[i] = 0;
		if (!valid[i])
			continue;
		int r = 1;
		for (int j = 0; j < n; j++) {
			if (!valid[j] || same(key[j], key[i]) || key[j] < key[i])
				continue;
			if (dense) { /* count each greater key once */
				int first = 1;
				for (int k = 0; k < j && first; k++)
					if (valid[k] && key[k] > key[i] && !same(key[k], key[i]) && same(key[k], key[j]))
						first = 0;
				r += first;
			} else {
				r++;
			}
		}
		rank[i] = r;
	}
}

/* Ranks the rows' keys (valid per row) within each method group (rg; 0 for
 * an area outside every group) and across all (ra). */
static void rank_rows(Arena *a, const Competition *c, const double *key, const int *valid, int dense, int *rg, int *ra)
{
	int n = c->nrows;
	competition_rank(key, valid, n, dense, ra);
	double *k2 = arena_alloc(a, sizeof *k2 * (size_t)(n + 1));
	int *v2 = arena_alloc(a, sizeof *v2 * (size_t)(n + 1));
	int *r2 = arena_alloc(a, sizeof *r2 * (size_t)(n + 1));
	int *at = arena_alloc(a, sizeof *at * (size_t)(n + 1));
	for (int g = -1; g < c->method->ngroups; g++) {
		int m = 0;
		for (int i = 0; i < n; i++)
			if (c->rows[i].group == g) {
				k2[m] = key[i];
				v2[m] = valid[i];
				at[m++] = i;
			}
		competition_rank(k2, v2, m, dense, r2);
		for (int i = 0; i < m; i++)
			rg[at[i]] = g < 0 ? 0 : r2[i]; /* an area outside every group has no group rank */
	}
}

/* ---- targets ---- */

static const Target *target_of(const Target *t, int n, const char *ind, const char *scope, int year)
{
	for (int i = 0; i < n; i++)
		if (t[i].year == year && strcmp(t[i].indicator, ind) == 0 && strcmp(t[i].scope, scope) == 0)
			return &t[i];
	return NULL;
}

/* The target of [from, to] for scope: per plan year the window touches,
 * that year's increment (its cumulative target less the last one stated
 * before it, 0 when none), all of it or (prorate) its share of the year's
 * days in the window. 0 (no target) when a touched year states none. */
int competition_target(const Plan *p, const Target *t, int nt, const char *ind, const char *scope, const char *from,
                       const char *to, int prorate, double *out)
{
	int y0 = digits_value(from, 4), y1 = digits_value(to, 4);
	double sum = 0;
	for (int y = y0; y <= y1; y++) {
		const Target *cur = target_of(t, nt, ind, scope, y);
		if (!cur)
			return 0;
		double base = 0;
		for (int yy = y - 1; yy >= digits_value(p->start, 4); yy--) {
			const Target *pv = target_of(t, nt, ind, scope, yy);
			if (pv) {
				base = pv->value;
				break;
			}
		}
		double inc = cur->value - base;
		if (prorate) {
			char jan1[11], dec31[11];
			ymd(jan1, y, 1, 1);
			ymd(dec31, y, 12, 31);
			const char *a = strcmp(from, jan1) > 0 ? from : jan1, *b = strcmp(to, dec31) < 0 ? to : dec31;
			double days = (double)(date_days(dec31) - date_days(jan1) + 1);
			inc *= (double)(date_days(b) - date_days(a) + 1) / days;
		}
		sum += inc;
	}
	*out = sum;
	return 1;
}

/* ---- the computation ---- */

/* A row's index by its area's code (fill_values' lookup of the values of
 * every area). */
typedef struct CodeAt {
	const char *code;
	int i;
} CodeAt;

static int code_cmp(const void *a, const void *b)
{
	return strcmp(((const CodeAt *)a)->code, ((const CodeAt *)b)->code);
}

/* The figures of the rows (only those with only[i] set, when only is not
 * NULL) over [from, to]: each cell's value, target and completion; and of
 * the city when city is not NULL. The cells must be allocated. Scores and
 * ranks are rank_period's. Every row made (only NULL): each indicator's
 * values of every area are read in one statement (store_measure_every_area),
 * the same values store_measure gives one area at a time. */
static DomResult fill_values(Store *s, const Competition *c, const Target *t, int nt, const char *from, const char *to,
                             CompRow *rows, const unsigned char *only, CompCell *city)
{
	const Plan *p = c->plan;
	const CompMethod *m = c->method;
	int n = c->nrows, ni = m->nitems;
	Arena tmp = {0};
	double *val = NULL;           /* [k * n + i] */
	unsigned char *have = NULL;   /* val[k * n + i] was read */
	if (!only && n > 0) {
		CodeAt *at = arena_alloc(&tmp, sizeof *at * (size_t)n);
		for (int i = 0; i < n; i++)
			at[i] = (CodeAt){rows[i].area->code, i};
		qsort(at, (size_t)n, sizeof *at, code_cmp);
		val = arena_alloc(&tmp, sizeof *val * (size_t)(n * ni + 1));
		have = arena_alloc(&tmp, (size_t)(n * ni + 1));
		for (int k = 0; k < ni; k++) {
			const char **codes;
			double *v;
			int got = store_measure_every_area(s, &tmp, c->ind[k]->measure, c->ind[k]->level, from, to, &codes, &v);
			if (got < 0) {
				arena_free(&tmp);
				return dom_store_failed();
			}
			for (int j = 0; j < got; j++) {
				CodeAt key = {codes[j], 0};
				const CodeAt *f = codes[j] ? bsearch(&key, at, (size_t)n, sizeof *at, code_cmp) : NULL;
				if (f) {
					val[k * n + f->i] = v[j];
					have[k * n + f->i] = 1;
				}
			}
		}
	}
	for (int pass = city ? 0 : 1; pass < 2; pass++) {
		int last = pass == 0 ? 1 : n;
		for (int i = 0; i < last; i++) {
			if (pass == 1 && only && !only[i])
				continue;
			const char *scope = pass == 0 ? p->city.code : rows[i].area->code;
			/* the scope's targets (t is ordered by scope: store_targets_by_scope) */
			const Target *st;
			int snt = store_targets_of_scope(t, nt, scope, &st);
			for (int k = 0; k < ni; k++) {
				const CompItem *it = &m->items[k];
				const Indicator *in = c->ind[k];
				CompCell *cl = pass == 0 ? &city[k] : &rows[i].cells[k];
				int ok = 1;
				if (pass == 1 && have && have[k * n + i])
					cl->value = val[k * n + i];
				else
					cl->value = store_measure(s, in->measure, in->level, pass == 0 ? NULL : scope, from, to, &ok);
				if (!ok) {
					arena_free(&tmp);
					return dom_store_failed();
				}
				cl->has_target = competition_target(p, st, snt, it->target, scope, from, to, m->prorate, &cl->target);
				cl->rate = 0;
				if (cl->has_target)
					cl->rate = cl->target > 0 ? cl->value / cl->target : cl->value > 0 ? m->cap : 1;
				else
					cl->target = 0;
			}
		}
	}
	arena_free(&tmp);
	return dom_result(DOM_OK, NULL, NULL);
}

/* Each cell's score and ranks, and each row's overall score and ranks,
 * from the rows' figures (fill_values); scratch in tmp. */
static void rank_period(const Competition *c, Arena *tmp, CompRow *rows)
{
	const CompMethod *m = c->method;
	int n = c->nrows;
	double *key = arena_alloc(tmp, sizeof *key * (size_t)(n + 1));
	int *valid = arena_alloc(tmp, sizeof *valid * (size_t)(n + 1));
	int *rg = arena_alloc(tmp, sizeof *rg * (size_t)(n + 1));
	int *ra = arena_alloc(tmp, sizeof *ra * (size_t)(n + 1));
	int zero = strcmp(m->missing_target, "zero") == 0;
	/* the best value of each method group (index group + 1) */
	double *best = arena_alloc(tmp, sizeof *best * (size_t)(m->ngroups + 2));
	for (int k = 0; k < m->nitems; k++) {
		int completion = strcmp(m->items[k].by, "completion") == 0;
		/* scores: completion capped; amount against the best of the group */
		for (int g = 0; g < m->ngroups + 2; g++)
			best[g] = 0;
		for (int j = 0; j < n; j++)
			if (rows[j].cells[k].value > best[rows[j].group + 1]) /* group_of: -1 .. ngroups - 1 */
				best[rows[j].group + 1] = rows[j].cells[k].value;
		for (int i = 0; i < n; i++) {
			CompCell *cl = &rows[i].cells[k];
			if (completion) {
				cl->scored = cl->has_target || zero;
				double r = cl->has_target ? cl->rate : 0;
				cl->score = r < 0 ? 0 : r > m->cap ? m->cap : r;
				key[i] = r;
				valid[i] = cl->scored;
			} else {
				double b = best[rows[i].group + 1];
				cl->scored = 1;
				cl->score = b > 0 && cl->value > 0 ? cl->value / b : 0;
				key[i] = cl->value;
				valid[i] = 1;
			}
		}
		rank_rows(tmp, c, key, valid, strcmp(m->ties, "dense") == 0, rg, ra);
		for (int i = 0; i < n; i++) {
			rows[i].cells[k].rank_group = rg[i];
			rows[i].cells[k].rank_all = ra[i];
		}
	}
	/* the overall score: 100 × the weighted mean of the scored cells */
	for (int i = 0; i < n; i++) {
		double w = 0, sum = 0;
		for (int k = 0; k < m->nitems; k++)
			if (rows[i].cells[k].scored) {
				w += m->items[k].weight;
				sum += m->items[k].weight * rows[i].cells[k].score;
			}
		rows[i].has_score = w > 0;
		rows[i].score = w > 0 ? 100.0 * sum / w : 0;
		key[i] = rows[i].score;
		valid[i] = rows[i].has_score;
	}
	rank_rows(tmp, c, key, valid, strcmp(m->ties, "dense") == 0, rg, ra);
	for (int i = 0; i < n; i++) {
		rows[i].rank_group = rg[i];
		rows[i].rank_all = ra[i];
	}
}

/* The rank changes since the previous period (c->prev_rows) and the
 * progress ranks; scratch in tmp. */
static void rank_progress(Competition *c, Arena *tmp)
{
	int n = c->nrows;
	double *key = arena_alloc(tmp, sizeof *key * (size_t)(n + 1));
	int *valid = arena_alloc(tmp, sizeof *valid * (size_t)(n + 1));
	int *rg = arena_alloc(tmp, sizeof *rg * (size_t)(n + 1));
	int *ra = arena_alloc(tmp, sizeof *ra * (size_t)(n + 1));
	const CompRow *prev = c->prev_rows;
	for (int i = 0; i < n; i++) {
		CompRow *w = &c->rows[i];
		w->has_prev = prev[i].has_score;
		w->prev_score = prev[i].score;
		w->prev_rank_group = prev[i].rank_group;
		w->prev_rank_all = prev[i].rank_all;
		w->change_group = w->change_all = 0;
		w->has_progress = 0;
		w->progress = 0;
		if (w->has_prev && w->has_score) {
			w->change_group = w->rank_group && w->prev_rank_group ? w->prev_rank_group - w->rank_group : 0;
			w->change_all = w->prev_rank_all - w->rank_all;
			w->has_progress = 1;
			w->progress = w->score - w->prev_score;
		}
		key[i] = w->progress;
		valid[i] = w->has_progress;
	}
	rank_rows(tmp, c, key, valid, strcmp(c->method->ties, "dense") == 0, rg, ra);
	for (int i = 0; i < n; i++) {
		c->rows[i].progress_rank_group = rg[i];
		c->rows[i].progress_rank_all = ra[i];
	}
}

static CompRow *new_rows(Competition *c)
{
	Arena *a = &c->arena;
	CompRow *rows = arena_alloc(a, sizeof *rows * (size_t)(c->nrows + 1));
	for (int i = 0; i < c->nrows; i++) {
		rows[i].area = &c->plan->areas[i];
		rows[i].group = group_of(c->method, &c->plan->areas[i]);
		rows[i].cells = arena_alloc(a, sizeof *rows[i].cells * (size_t)(c->method->nitems + 1));
	}
	return rows;
}

DomResult competition_compute(Store *s, const Plan *p, const char *period, const char *as_of, Competition *out)
{
	memset(out, 0, sizeof *out);
	char today[11];
	if (!as_of) {
		date_today(today);
		as_of = today;
	}
	out->plan = p;
	DomResult r = competition_period(p, period, as_of, &out->period);
	if (!dom_done(r))
		return r;
	memcpy(out->as_of, as_of, 11);
	Arena *a = &out->arena;
	const CompMethod *m = out->method = competition_method(p, a);
	out->nitems = m->nitems;
	out->ind = arena_alloc(a, sizeof *out->ind * (size_t)(m->nitems + 1));
	for (int k = 0; k < m->nitems; k++) {
		out->ind[k] = plan_indicator(p, m->items[k].indicator);
		if (!out->ind[k]) /* the default method and a checked plan name known ones */
			return dom_result(DOM_FAILED, "bad_method", "竞赛办法中的指标不在规划中，请联系管理员。");
	}
	out->nrows = p->nareas;
	out->rows = new_rows(out);
	Arena tmp = {0};
	Target *t;
	int nt = store_targets_by_scope(s, &tmp, &t); /* each area's found by bisection */
	if (nt < 0) {
		arena_free(&tmp);
		return dom_store_failed();
	}
	out->city = arena_alloc(a, sizeof *out->city * (size_t)(m->nitems + 1));
	r = fill_values(s, out, t, nt, out->period.from, out->period.to, out->rows, NULL, out->city);
	if (dom_done(r)) {
		rank_period(out, &tmp, out->rows);
		out->has_prev = previous_period(p, &out->period, as_of, &out->prev);
	}
	if (dom_done(r) && out->has_prev) {
		out->prev_rows = new_rows(out);
		r = fill_values(s, out, t, nt, out->prev.from, out->prev.to, out->prev_rows, NULL, NULL);
		if (dom_done(r)) {
			rank_period(out, &tmp, out->prev_rows);
			rank_progress(out, &tmp);
		}
	}
	arena_free(&tmp);
	return r;
}

/* ---- kept per connection (competition_kept) ---- */

#define KEPT_MAX 4 /* the (period, as_of) kept on a connection, the least recently used made room for */

typedef struct KeptComp {
	Competition c;
	const Plan *plan;
	char period[16];     /* as asked: the spec (a normalised key may differ: "ytd") */
	StoreWatch watch;    /* the stamps the rows are valid at */
	unsigned long long gen, used;
	int ok;
} KeptComp;

typedef struct KeptComps {
	KeptComp slot[KEPT_MAX];
	unsigned long long clock, gens;
	long long rows_made; /* rows made again since the connection opened (tests) */
} KeptComps;

static char kept_tag;

static void *kept_make(void)
{
	return calloc(1, sizeof(KeptComps));
}

static void kept_drop(void *p)
{
	KeptComps *k = p;
	for (int i = 0; i < KEPT_MAX; i++)
		competition_free(&k->slot[i].c);
	free(k);
}

/* 1 when the figures of a and b (value, target, completion) are the same. */
static int same_cells(const CompCell *a, const CompCell *b, int n)
{
	for (int k = 0; k < n; k++)
		if (a[k].value != b[k].value || a[k].has_target != b[k].has_target || a[k].target != b[k].target ||
		    a[k].rate != b[k].rate)
			return 0;
	return 1;
}

/* Makes the rows of the areas in stale (and the city) again in both
 * periods; when a figure moved, every score and rank. *moved set then. */
static DomResult kept_refresh(Store *s, KeptComp *e, const unsigned char *stale, int *moved)
{
	Competition *c = &e->c;
	int n = c->nrows, ni = c->nitems;
	*moved = 0;
	Arena tmp = {0};
	Target *t;
	int nt = store_targets_by_scope(s, &tmp, &t);
	if (nt < 0) {
		arena_free(&tmp);
		return dom_store_failed();
	}
	/* the new figures in scratch rows, compared with the kept ones */
	CompRow *rows = arena_alloc(&tmp, sizeof *rows * (size_t)(n + 1));
	CompRow *prev = arena_alloc(&tmp, sizeof *prev * (size_t)(n + 1));
	CompCell *city = arena_alloc(&tmp, sizeof *city * (size_t)(ni + 1));
	for (int i = 0; i < n; i++) {
		rows[i] = c->rows[i];
		rows[i].cells = arena_alloc(&tmp, sizeof *rows[i].cells * (size_t)(ni + 1));
		if (c->has_prev) {
			prev[i] = c->prev_rows[i];
			prev[i].cells = arena_alloc(&tmp, sizeof *prev[i].cells * (size_t)(ni + 1));
		}
	}
	DomResult r = fill_values(s, c, t, nt, c->period.from, c->period.to, rows, stale, city);
	if (dom_done(r) && c->has_prev)
		r = fill_values(s, c, t, nt, c->prev.from, c->prev.to, prev, stale, NULL);
	if (!dom_done(r)) {
		arena_free(&tmp);
		return r;
	}
	KeptComps *all = store_kept(s, &kept_tag, kept_make, kept_drop);
	if (!same_cells(city, c->city, ni)) {
		memcpy(c->city, city, sizeof *city * (size_t)ni);
		*moved = 1;
	}
	for (int i = 0; i < n; i++) {
		if (!stale[i])
			continue;
		if (all)
			all->rows_made++;
		if (!same_cells(rows[i].cells, c->rows[i].cells, ni)) {
			for (int k = 0; k < ni; k++) {
				CompCell *d = &c->rows[i].cells[k];
				d->value = rows[i].cells[k].value;
				d->has_target = rows[i].cells[k].has_target;
				d->target = rows[i].cells[k].target;
				d->rate = rows[i].cells[k].rate;
			}
			*moved = 1;
		}
		if (c->has_prev && !same_cells(prev[i].cells, c->prev_rows[i].cells, ni)) {
			for (int k = 0; k < ni; k++) {
				CompCell *d = &c->prev_rows[i].cells[k];
				d->value = prev[i].cells[k].value;
				d->has_target = prev[i].cells[k].has_target;
				d->target = prev[i].cells[k].target;
				d->rate = prev[i].cells[k].rate;
			}
			*moved = 1;
		}
	}
	if (*moved) { /* ranks are a sort over the kept rows */
		rank_period(c, &tmp, c->rows);
		if (c->has_prev) {
			rank_period(c, &tmp, c->prev_rows);
			rank_progress(c, &tmp);
		}
	}
	arena_free(&tmp);
	return r;
}

DomResult competition_kept(Store *s, const Plan *p, const char *period, const char *as_of, const Competition **out,
                           unsigned long long *gen)
{
	*out = NULL;
	*gen = 0;
	CompPeriod check;
	DomResult valid = competition_period(p, period, as_of, &check);
	if (!dom_done(valid))
		return valid;
	KeptComps *k = store_kept(s, &kept_tag, kept_make, kept_drop);
	if (!k || strlen(period) >= sizeof k->slot[0].period || strlen(as_of) != 10)
		return dom_result(DOM_FAILED, "not_kept", "竞赛排名暂时无法计算，请稍后再试。");
	KeptComp *e = NULL, *lru = &k->slot[0];
	for (int i = 0; i < KEPT_MAX; i++) {
		KeptComp *x = &k->slot[i];
		if (x->ok && x->plan == p && strcmp(x->period, period) == 0 && strcmp(x->c.as_of, as_of) == 0)
			e = x;
		if (!x->ok || (lru->ok && x->used < lru->used))
			lru = x;
	}
	Arena tmp = {0};
	int all = 1, nch = 0;
	const char **changed = NULL;
	if (e) {
		int w = store_watch(s, &e->watch, &tmp, &all, &changed, &nch);
		if (w < 0) {
			arena_free(&tmp);
			e->ok = 0;
			competition_free(&e->c);
			return dom_store_failed();
		}
		if (w == 0 && !all) {
			unsigned char *stale = arena_alloc(&tmp, (size_t)e->c.nrows + 1);
			for (int j = 0; j < nch; j++)
				for (int i = 0; i < e->c.nrows; i++)
					if (strcmp(e->c.rows[i].area->code, changed[j]) == 0)
						stale[i] = 1;
			int moved = 0;
			DomResult r = kept_refresh(s, e, stale, &moved);
			if (!dom_done(r)) {
				arena_free(&tmp);
				e->ok = 0;
				competition_free(&e->c);
				return r;
			}
			if (moved)
				e->gen = ++k->gens;
		}
	}
	if (!e || all) {
		/* made in full: the stamps read first, so the rows are valid at them */
		e = e ? e : lru;
		competition_free(&e->c);
		memset(e, 0, sizeof *e);
		if (store_watch(s, &e->watch, &tmp, &all, &changed, &nch) < 0) {
			arena_free(&tmp);
			return dom_store_failed();
		}
		DomResult r = competition_compute(s, p, period, as_of, &e->c);
		if (!dom_done(r)) {
			competition_free(&e->c);
			memset(e, 0, sizeof *e);
			arena_free(&tmp);
			return r;
		}
		k->rows_made += e->c.nrows;
		e->ok = 1;
		e->plan = p;
		snprintf(e->period, sizeof e->period, "%s", period);
		e->gen = ++k->gens;
	}
	arena_free(&tmp);
	e->used = ++k->clock;
	*out = &e->c;
	*gen = e->gen;
	return dom_result(DOM_OK, NULL, NULL);
}

long long competition_kept_rows_made(Store *s)
{
	KeptComps *k = store_kept(s, &kept_tag, kept_make, kept_drop);
	return k ? k->rows_made : 0;
}

void competition_free(Competition *c)
{
	arena_free(&c->arena);
	memset(c, 0, sizeof *c);
}

const CompRow *competition_row(const Competition *c, const char *area)
{
	for (int i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].area->code, area) == 0)
			return &c->rows[i];
	return NULL;
}

/* ---- the method in words ---- */

const char *competition_method_zh(const CompMethod *m, const Plan *p, Arena *a)
{
	Buf b = {0};
	buf_printf(&b, "比拼内容：");
	for (int k = 0; k < m->nitems; k++) {
		const Indicator *in = plan_indicator(p, m->items[k].indicator);
		buf_printf(&b, "%s%s", k ? "、" : "", in ? in->name : m->items[k].indicator);
	}
	buf_printf(&b, "。\n");
	buf_printf(&b, "分组：");
	for (int g = 0; g < m->ngroups; g++) {
		buf_printf(&b, "%s%s（", g ? "；" : "", m->groups[g].name);
		for (int k = 0; k < m->groups[g].narea_groups; k++)
			buf_printf(&b, "%s%s", k ? "、" : "", group_name(p, m->groups[g].area_groups[k]));
		buf_printf(&b, "%s%s）", m->groups[g].note ? "，" : "", m->groups[g].note ? m->groups[g].note : "");
	}
	buf_printf(&b, "，组内排名，另列全市总排名。\n");
	for (int k = 0; k < m->nitems; k++) {
		const CompItem *it = &m->items[k];
		const Indicator *in = plan_indicator(p, it->indicator);
		const Indicator *tg = plan_indicator(p, it->target);
		if (strcmp(it->by, "completion") == 0)
			buf_printf(&b, "%s：按目标完成率排名（目标取“%s”的分解目标）", in ? in->name : it->indicator,
			           tg ? tg->name : it->target);
		else
			buf_printf(&b, "%s：按数量排名", in ? in->name : it->indicator);
		buf_printf(&b, "，权重 %g。\n", it->weight);
	}
	buf_printf(&b, "期间目标：%s\n", m->prorate ? "年度新增目标按期间天数占全年天数的比例折算（序时进度）。"
	                                            : "期间所跨年度的全年新增目标。");
	buf_printf(&b, "综合得分：各项得分按权重加权平均后乘以 100。按完成率排名的指标，得分为完成率（最高按 %g%% 计）；"
	               "按数量排名的指标，得分为本项数值与本组最高值之比。\n", m->cap * 100);
	buf_printf(&b, "未设目标：%s\n", strcmp(m->missing_target, "zero") == 0
	                                     ? "按完成率排名的指标未设目标的，完成率按 0 计。"
	                                     : "按完成率排名的指标未设目标的，该项不参与排名，综合得分按其余指标计算。");
	buf_printf(&b, "并列：%s\n", strcmp(m->ties, "dense") == 0 ? "数值相同者名次相同，其后名次依次递补（如 1、2、2、3）。"
	                                                          : "数值相同者名次相同，其后名次顺延（如 1、2、2、4）。");
	buf_printf(&b, "名次变化：与上一期相比；进步排名按综合得分较上一期的增加值排名。");
	const char *res = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return res;
}

/* ---- as JSON (the API, the command line, the bulletins' snapshot) ---- */

static const char *kind_code(CompPeriodKind k)
{
	static const char *const names[] = {"month", "quarter", "year", "ytd", "plan"};
	return names[k];
}

static json_t *period_json(const CompPeriod *p)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "key", p->key, "kind", kind_code(p->kind), "label", p->label, "from",
	                 p->from, "to", p->to, "end", p->end);
}

static json_t *num_or_null(int has, double v)
{
	return has ? json_real(v) : json_null();
}

static json_t *rank_or_null(int r)
{
	return r ? json_integer(r) : json_null();
}

/* The records behind a cell: the progress page over the period's window. */
static json_t *records_url(const Competition *c, const Indicator *in, const char *area, const CompPeriod *p)
{
	char *u = NULL;
	if (asprintf(&u, "/progress/%s?year=%.4s&from=%s&as_of=%s%s%s", in->code, p->to, p->from, p->to,
	             area ? "&area=" : "", area ? area : "") < 0)
		return json_null();
	(void)c;
	json_t *j = json_string(u);
	free(u);
	return j;
}

json_t *competition_json(const Competition *c)
{
	const CompMethod *m = c->method;
	const Plan *p = c->plan;
	Arena tmp = {0};
	json_t *groups = json_array();
	for (int g = 0; g < m->ngroups; g++) {
		json_t *areas = json_array();
		for (int i = 0; i < c->nrows; i++)
			if (c->rows[i].group == g)
				json_array_append_new(areas, json_string(c->rows[i].area->code));
		json_t *o = json_pack("{s:s,s:s,s:o}", "code", m->groups[g].code, "name", m->groups[g].name, "areas", areas);
		json_object_set_new(o, "note", m->groups[g].note ? json_string(m->groups[g].note) : json_null());
		json_array_append_new(groups, o);
	}
	json_t *items = json_array();
	json_t *city = json_array();
	for (int k = 0; k < c->nitems; k++) {
		const CompItem *it = &m->items[k];
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f}", "indicator", it->indicator, "name",
		                                       c->ind[k]->name, "unit", c->ind[k]->unit, "by", it->by, "target",
		                                       it->target, "weight", it->weight));
		const CompCell *cl = &c->city[k];
		json_t *o = json_pack("{s:s,s:f}", "indicator", it->indicator, "value", cl->value);
		json_object_set_new(o, "target", num_or_null(cl->has_target, cl->target));
		json_object_set_new(o, "rate", num_or_null(cl->has_target, cl->rate));
		json_object_set_new(o, "records", records_url(c, c->ind[k], NULL, &c->period));
		json_array_append_new(city, o);
	}
	json_t *method = json_pack("{s:s,s:o,s:o,s:b,s:f,s:s,s:s,s:s}", "name", m->name, "groups", groups, "indicators", items,
	                           "prorate", m->prorate, "cap", m->cap, "ties", m->ties, "missing_target",
	                           m->missing_target, "text_zh", competition_method_zh(m, p, &tmp));
	json_t *areas = json_array();
	for (int i = 0; i < c->nrows; i++) {
		const CompRow *w = &c->rows[i];
		json_t *cells = json_array();
		for (int k = 0; k < c->nitems; k++) {
			const CompCell *cl = &w->cells[k];
			json_t *o = json_pack("{s:s,s:f,s:b}", "indicator", m->items[k].indicator, "value", cl->value, "scored",
			                      cl->scored);
			json_object_set_new(o, "target", num_or_null(cl->has_target, cl->target));
			json_object_set_new(o, "rate", num_or_null(cl->has_target, cl->rate));
			json_object_set_new(o, "score", num_or_null(cl->scored, cl->score));
			json_object_set_new(o, "rank_group", rank_or_null(cl->rank_group));
			json_object_set_new(o, "rank_all", rank_or_null(cl->rank_all));
			json_object_set_new(o, "records", records_url(c, c->ind[k], w->area->code, &c->period));
			json_array_append_new(cells, o);
		}
		json_t *o = json_pack("{s:s,s:s,s:o}", "code", w->area->code, "name", w->area->name, "indicators", cells);
		json_object_set_new(o, "group", w->group >= 0 ? json_string(m->groups[w->group].code) : json_null());
		json_object_set_new(o, "score", num_or_null(w->has_score, w->score));
		json_object_set_new(o, "rank_group", rank_or_null(w->rank_group));
		json_object_set_new(o, "rank_all", rank_or_null(w->rank_all));
		if (w->has_prev) {
			json_object_set_new(o, "previous", json_pack("{s:f,s:o,s:o}", "score", w->prev_score, "rank_group",
			                                             rank_or_null(w->prev_rank_group), "rank_all",
			                                             rank_or_null(w->prev_rank_all)));
			json_object_set_new(o, "change_group", json_integer(w->change_group));
			json_object_set_new(o, "change_all", json_integer(w->change_all));
		} else {
			json_object_set_new(o, "previous", json_null());
			json_object_set_new(o, "change_group", json_null());
			json_object_set_new(o, "change_all", json_null());
		}
		json_object_set_new(o, "progress", num_or_null(w->has_progress, w->progress));
		json_object_set_new(o, "progress_rank_group", rank_or_null(w->progress_rank_group));
		json_object_set_new(o, "progress_rank_all", rank_or_null(w->progress_rank_all));
		json_array_append_new(areas, o);
	}
	json_t *res = json_pack("{s:s,s:o,s:o,s:o,s:o}", "as_of", c->as_of, "period", period_json(&c->period), "method",
	                        method, "city", city, "areas", areas);
	json_object_set_new(res, "previous", c->has_prev ? period_json(&c->prev) : json_null());
	arena_free(&tmp);
	return res;
}
