/*
 * progress_areas.c — the city's figures and every area's lag for 工作台
 * (progress.h: progress_lags_kept), kept on the connection between
 * requests: an area's row is made again only when the stamps say a commit
 * may have changed it (store_watch: a record's change moves its area's
 * stamp and those above it; the plan and targets move every row's), so a
 * reporter's change in one area costs that area's dozen figures, not the
 * 381 areas' (docs/BENCHMARKS.md, round 4). Made in full, each indicator's
 * figures of every area are read in one statement (every_area).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

/* The lag of one area from its figures. */
static void lag_of(const Progress *g, int n, AreaLag *l)
{
	l->at_risk = l->behind = 0;
	l->worst = NULL;
	for (int k = 0; k < n; k++) {
		if (!g[k].has_target)
			continue;
		if (g[k].status == PS_AT_RISK) {
			l->at_risk++;
			if (!l->worst)
				l->worst = g[k].ind;
		} else if (g[k].status == PS_BEHIND)
			l->behind++;
	}
	if (!l->worst)
		for (int k = 0; k < n && !l->worst; k++)
			if (g[k].has_target && g[k].status == PS_BEHIND)
				l->worst = g[k].ind;
}

/* The row of area ar with the targets t; actual and at_start (NULL: read
 * them) per indicator of p, as progress_compute_given takes them. */
static int row_make(Store *s, const Plan *p, const Area *ar, int year, const char *as_of, const Target *t, int nt,
                    const double *actual, const double *at_start, AreaLag *out)
{
	Arena a = {0};
	const Target *at;
	int nat = store_targets_of_scope(t, nt, ar->code, &at);
	Progress *g;
	int n = progress_compute_given(s, p, &a, ar->code, year, as_of, "plan", at, nat, actual, at_start, &g);
	if (n >= 0) {
		out->area = ar;
		lag_of(g, n, out);
	}
	arena_free(&a);
	return n < 0 ? -1 : 0;
}

typedef struct CodeAt {
	const char *code;
	int i;
} CodeAt;

static int code_cmp(const void *a, const void *b)
{
	return strcmp(((const CodeAt *)a)->code, ((const CodeAt *)b)->code);
}

/* Every area's figures of kind "plan" in year as of as_of, read for all
 * areas at once (store_measure_every_area): (*actual)[area * ni + i] from
 * the plan's start to min(as_of, the year's end), (*start)[...] to the end
 * of the year before; NAN where not read (progress_compute_given then
 * reads it). 0, or -1 on a store error. */
static int every_area(Store *s, const Plan *p, Arena *a, int year, const char *as_of, double **actual, double **start)
{
	int na = p->nareas, ni = p->nindicators;
	double *act = arena_alloc(a, sizeof *act * (size_t)(na * ni + 1));
	double *beg = arena_alloc(a, sizeof *beg * (size_t)(na * ni + 1));
	for (int k = 0; k < na * ni; k++)
		act[k] = beg[k] = NAN;
	*actual = act;
	*start = beg;
	if (!na)
		return 0;
	char to[24], prev_end[24];
	snprintf(to, sizeof to, "%04d-12-31", year);
	if (strcmp(as_of, to) < 0)
		snprintf(to, sizeof to, "%s", as_of);
	snprintf(prev_end, sizeof prev_end, "%04d-12-31", year - 1);
	CodeAt *at = arena_alloc(a, sizeof *at * (size_t)na);
	for (int j = 0; j < na; j++)
		at[j] = (CodeAt){p->areas[j].code, j};
	qsort(at, (size_t)na, sizeof *at, code_cmp);
	for (int i = 0; i < ni; i++) {
		const Indicator *in = &p->indicators[i];
		if (strcmp(in->kind, "plan") != 0)
			continue;
		for (int w = 0; w < 2; w++) {
			const char **codes;
			double *v;
			int got = store_measure_every_area(s, a, in->measure, in->level, p->start, w ? prev_end : to, &codes, &v);
			if (got < 0)
				return -1;
			for (int j = 0; j < got; j++) {
				CodeAt key = {codes[j], 0};
				const CodeAt *f = codes[j] ? bsearch(&key, at, (size_t)na, sizeof *at, code_cmp) : NULL;
				if (f)
					(w ? beg : act)[f->i * ni + i] = v[j];
			}
		}
	}
	return 0;
}

int progress_lags(Store *s, const Plan *p, Arena *a, int year, const char *as_of, AreaLag **lags)
{
	Target *t;
	int nt = store_targets_by_scope(s, a, &t);
	if (nt < 0)
		return -1;
	AreaLag *v = arena_alloc(a, sizeof *v * (size_t)(p->nareas + 1));
	int n = 0;
	for (int i = 0; i < p->nareas; i++) {
		if (strcmp(p->areas[i].level, "area") != 0)
			continue;
		if (row_make(s, p, &p->areas[i], year, as_of, t, nt, NULL, NULL, &v[n]) < 0)
			return -1;
		n++;
	}
	*lags = v;
	return n;
}

typedef struct LagsKept {
	int ok;
	const Plan *plan;
	int year;
	char as_of[11];
	StoreWatch watch;
	AreaLag *lags; /* malloc'd, p->nareas at most */
	int n;
	Arena city_arena;
	Progress *city;
	int ncity;
	unsigned long long gen;
	long long rows_made;
} LagsKept;

static char lags_tag;

static void *lags_make(void)
{
	return calloc(1, sizeof(LagsKept));
}

static void lags_forget(LagsKept *k)
{
	free(k->lags);
	arena_free(&k->city_arena);
	k->lags = NULL;
	k->city = NULL;
	k->n = k->ncity = 0;
	k->ok = 0;
	k->watch.known = 0;
}

static void lags_drop(void *v)
{
	lags_forget(v);
	free(v);
}

static int same_progress(const Progress *a, const Progress *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i].ind != b[i].ind || a[i].actual != b[i].actual || a[i].has_target != b[i].has_target ||
		    a[i].target != b[i].target || a[i].expected != b[i].expected || a[i].ratio != b[i].ratio ||
		    a[i].status != b[i].status || a[i].has_forecast != b[i].has_forecast || a[i].forecast != b[i].forecast ||
		    strcmp(a[i].to, b[i].to) != 0 || (a[i].op != b[i].op && (!a[i].op || !b[i].op || strcmp(a[i].op, b[i].op))) ||
		    (a[i].wording != b[i].wording && (!a[i].wording || !b[i].wording || strcmp(a[i].wording, b[i].wording))))
			return 0;
	return 1;
}

/* The city's figures again; *moved when they differ from the kept ones. */
static int city_refresh(Store *s, LagsKept *k, int *moved)
{
	Arena a = {0};
	Progress *g;
	int n = progress_compute(s, k->plan, &a, k->plan->city.code, k->year, k->as_of, "plan", &g);
	if (n < 0) {
		arena_free(&a);
		return -1;
	}
	if (!k->city || n != k->ncity || !same_progress(g, k->city, n))
		*moved = 1;
	arena_free(&k->city_arena);
	k->city_arena = a;
	k->city = g;
	k->ncity = n;
	return 0;
}

int progress_lags_kept(Store *s, const Plan *p, int year, const char *as_of, const Progress **city, int *ncity,
                       const AreaLag **lags, unsigned long long *gen)
{
	LagsKept *k = store_kept(s, &lags_tag, lags_make, lags_drop);
	if (!k || !as_of || strlen(as_of) != 10)
		return -1;
	if (k->ok && (k->plan != p || k->year != year || strcmp(k->as_of, as_of) != 0))
		lags_forget(k);
	Arena tmp = {0};
	int all = 0, nch = 0, moved = 0;
	const char **changed = NULL;
	int w = store_watch(s, &k->watch, &tmp, &all, &changed, &nch);
	if (w < 0 || (w == 0 && !k->ok))
		all = 1;
	if (w < 0 && store_watch(s, &k->watch, &tmp, &all, &changed, &nch) < 0) {
		arena_free(&tmp);
		lags_forget(k);
		return -1;
	}
	int rc = 0;
	if (all) {
		/* every row, valid at the stamps just read */
		lags_forget(k);
		k->watch.known = 0;
		if (store_watch(s, &k->watch, &tmp, &all, &changed, &nch) < 0) {
			arena_free(&tmp);
			return -1;
		}
		k->plan = p;
		k->year = year;
		memcpy(k->as_of, as_of, 11);
		k->lags = calloc((size_t)p->nareas + 1, sizeof *k->lags);
		Target *t;
		int nt = k->lags ? store_targets_by_scope(s, &tmp, &t) : -1;
		double *act = NULL, *beg = NULL;
		if (nt >= 0 && every_area(s, p, &tmp, year, as_of, &act, &beg) < 0)
			nt = -1;
		for (int i = 0; nt >= 0 && i < p->nareas; i++) {
			if (strcmp(p->areas[i].level, "area") != 0)
				continue;
			if (row_make(s, p, &p->areas[i], year, as_of, t, nt, act + (size_t)i * (size_t)p->nindicators,
			             beg + (size_t)i * (size_t)p->nindicators, &k->lags[k->n]) < 0) {
				nt = -1;
				break;
			}
			k->n++;
			k->rows_made++;
		}
		rc = nt < 0 ? -1 : city_refresh(s, k, &moved);
		moved = 1;
	} else if (w == 0) {
		Target *t;
		int nt = store_targets_by_scope(s, &tmp, &t);
		rc = nt < 0 ? -1 : 0;
		for (int j = 0; rc == 0 && j < nch; j++)
			for (int i = 0; i < k->n; i++) {
				if (strcmp(k->lags[i].area->code, changed[j]) != 0)
					continue;
				AreaLag l;
				if (row_make(s, p, k->lags[i].area, year, as_of, t, nt, NULL, NULL, &l) < 0) {
					rc = -1;
					break;
				}
				k->rows_made++;
				if (l.at_risk != k->lags[i].at_risk || l.behind != k->lags[i].behind || l.worst != k->lags[i].worst) {
					k->lags[i] = l;
					moved = 1;
				}
			}
		if (rc == 0)
			rc = city_refresh(s, k, &moved);
	}
	arena_free(&tmp);
	if (rc < 0) {
		long long made = k->rows_made;
		lags_forget(k);
		k->rows_made = made;
		return -1;
	}
	k->ok = 1;
	if (moved)
		k->gen++;
	*city = k->city;
	*ncity = k->ncity;
	*lags = k->lags;
	*gen = k->gen;
	return k->n;
}

long long progress_lags_rows_made(Store *s)
{
	LagsKept *k = store_kept(s, &lags_tag, lags_make, lags_drop);
	return k ? k->rows_made : 0;
}
