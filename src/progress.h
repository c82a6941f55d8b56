/*
 * progress.h — targets against what the approved records add up to.
 *
 * A figure is cumulative from the plan's start to min(as_of, end of year),
 * compared with the target of that year. Its status compares the actual
 * with what was expected by as_of: the target spread linearly over the
 * year, from the last cumulative target stated before it (0 before the
 * first); before a year starts, the earlier years' line applies.
 */
#ifndef HATCHERY_PROGRESS_H
#define HATCHERY_PROGRESS_H

#include "plan.h"
#include "store.h"

typedef enum {
	PS_NO_TARGET = 0, /* 无目标: the plan states none */
	PS_DONE,          /* 已完成 */
	PS_ON_TRACK,      /* 正常 */
	PS_BEHIND,        /* 滞后 */
	PS_AT_RISK,       /* 严重滞后 */
} ProgressStatus;

typedef struct Progress {
	const Indicator *ind;
	int year;
	const char *from, *to;    /* the counted window, both days included */
	double actual;
	int has_target;
	double target;            /* cumulative, end of year */
	const char *op, *wording; /* of the target */
	double expected;          /* what the target asks for by `to` */
	double ratio;             /* actual / target (0 without target) */
	ProgressStatus status;
	int has_forecast;         /* the year has begun */
	double forecast;          /* at year end, at the pace of the year so far */
} Progress;

/*
 * Computes every indicator of kind (NULL: all) for scope (the city's code
 * or an area's) in year, as it stood on as_of (NULL: today). Returns the
 * number of entries written to *out (allocated in a), or -1 when a query
 * failed (store_errmsg tells why).
 */
int progress_compute(Store *s, const Plan *p, Arena *a, const char *scope, int year,
                     const char *as_of, const char *kind, Progress **out);

/* The same with the targets given (those of scope, or any superset: the
 * rows of other scopes are not used), for a page of many areas that reads
 * every target once (store_targets_by_scope). */
int progress_compute_with(Store *s, const Plan *p, Arena *a, const char *scope, int year, const char *as_of,
                          const char *kind, const Target *targets, int nt, Progress **out);

/* The same with, per indicator of p (index into p->indicators; NAN or a
 * NULL array: read it), the figure from the plan's start to min(as_of,
 * the year's end) (actual) and to the end of the year before (at_start),
 * as store_measure gives them: a page of every area reads them for all
 * areas at once (store_measure_every_area). */
int progress_compute_given(Store *s, const Plan *p, Arena *a, const char *scope, int year, const char *as_of,
                           const char *kind, const Target *targets, int nt, const double *actual,
                           const double *at_start, Progress **out);

/* One month of an indicator's line: the cumulative actual at the month's
 * last day, and what the targets expected by then. */
typedef struct SeriesPoint {
	char date[11];
	double actual, expected;
	int has_expected;
} SeriesPoint;

/* The monthly line of one indicator for scope, from the plan's first month
 * to the month of as_of (at most the last plan year). Returns the number
 * of points (in a), or -1. */
int progress_series(Store *s, const Plan *p, Arena *a, const char *scope, const Indicator *in, const char *as_of,
                    SeriesPoint **out);

/* One area's count of indicators behind in a year (工作台's lagging areas). */
typedef struct AreaLag {
	const Area *area;
	int at_risk, behind;  /* indicators with a target 严重滞后, 滞后 */
	const Indicator *worst; /* the first one 严重滞后, else the first 滞后; NULL when none */
} AreaLag;

/*
 * The city's figures of kind "plan" in year as of as_of (progress_compute)
 * and every area of level "area" with its lag (in the plan's order), kept
 * on s's connection (progress_areas.c): an area's row is made again only
 * when its stamp moved, every row when what is in no area did (the plan,
 * targets). *city, *lags valid until the next call on s; *gen changes
 * whenever any of them may have. Returns the number of lags, -1 on a store
 * error. The rows equal progress_lags' (test_progress_areas).
 */
int progress_lags_kept(Store *s, const Plan *p, int year, const char *as_of, const Progress **city, int *ncity,
                       const AreaLag **lags, unsigned long long *gen);
/* The same made afresh, in a (the reference of the kept rows). */
int progress_lags(Store *s, const Plan *p, Arena *a, int year, const char *as_of, AreaLag **lags);
/* How many area rows progress_lags_kept made on s's connection (tests). */
long long progress_lags_rows_made(Store *s);

/* The status in Chinese (已完成 …) and as an API code (done …). */
const char *progress_status_zh(ProgressStatus st);
const char *progress_status_code(ProgressStatus st);

/* The year a date falls in when the plan covers it, else the plan year
 * nearest to it. */
int progress_default_year(const Plan *p, const char *date);

#endif
