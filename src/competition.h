/*
 * competition.h — the 六比竞赛 (plan 四(三)): each area's six figures over a
 * period, its completion of its own targets, its rank on each indicator and
 * overall within its group (the 功能区 of annex 1, the 镇街 of annex 2, as
 * the plan file's "competition" section groups them) and across all, the
 * rank change since the previous period, and a progress rank (who moved
 * most). The method is data (docs/PLAN-FORMAT.md "Competition"); the
 * figures are the progress measures (store_measure) over the period's
 * window, so they are the numbers every other page shows.
 *
 * Pure computation over the store: nothing is written. Pages, the API, the
 * command line and the bulletins call it and render what it returns.
 */
#ifndef HATCHERY_COMPETITION_H
#define HATCHERY_COMPETITION_H

#include "domain.h"
#include "plan.h"
#include "store.h"

/* What a period spec names. */
typedef enum {
	CP_MONTH,   /* "2024-11" */
	CP_QUARTER, /* "2024-Q4" */
	CP_YEAR,    /* "2024": the year, counted up to as_of */
	CP_YTD,     /* "ytd": the year of as_of, up to as_of */
	CP_PLAN,    /* "plan": from the plan's start up to as_of */
} CompPeriodKind;

typedef struct CompPeriod {
	CompPeriodKind kind;
	char key[16];            /* the spec as normalised: 2024-11, 2024-Q4, 2024, ytd, plan */
	char from[11], end[11];  /* the period's first and last day (from clamped to the plan's start) */
	char to[11];             /* the last day counted: min(end, as_of) */
	char label[128];          /* Chinese: 2024年11月, 2024年第四季度, 2024年1—11月, ... */
} CompPeriod;

/* One indicator of one area (or of the city) in a period. */
typedef struct CompCell {
	double value;            /* the figure in [from, to], in the indicator's unit */
	int has_target;
	double target;           /* the period's target (see CompMethod.prorate) */
	double rate;             /* value / target when has_target (a target of 0: 1, or cap when value > 0) */
	int scored;              /* counted in the overall score */
	double score;            /* the item's score before its weight: rate capped to [0, cap], or value / group best */
	int rank_group, rank_all;/* 1 = first; 0 = not ranked (no target under "skip") */
} CompCell;

/* One area: its cells (one per method item, in the method's order) and ranks. */
typedef struct CompRow {
	const Area *area;
	int group;               /* index into method->groups; -1 when no group holds it */
	CompCell *cells;
	int has_score;
	double score;            /* 0..100 × cap: the weighted mean of the cells' scores × 100 */
	int rank_group, rank_all;
	int has_prev;            /* the previous period was computed and the area had a score then */
	double prev_score;
	int prev_rank_group, prev_rank_all;
	int change_group, change_all;  /* previous rank − rank: > 0 moved up */
	int has_progress;
	double progress;         /* score − prev_score */
	int progress_rank_group, progress_rank_all;
} CompRow;

typedef struct Competition {
	Arena arena;             /* everything below lives here; competition_free releases it */
	const Plan *plan;
	const CompMethod *method;/* the plan's, or the default one (competition_method) */
	char as_of[11];
	CompPeriod period, prev; /* prev: the period compared with (has_prev) */
	int has_prev;
	const Indicator **ind;   /* per method item */
	int nitems;
	CompCell *city;          /* per item: the city's value and target (no ranks) */
	CompRow *rows;           /* every area, in the plan's order */
	CompRow *prev_rows;      /* the same in the previous period (has_prev; else NULL) */
	int nrows;
} Competition;

/* The method in force: the plan's "competition" section, or the default
 * (one group per area group, every competition indicator weight 1 ranked by
 * amount). Never NULL; the default lives in a (NULL: a static). */
const CompMethod *competition_method(const Plan *p, Arena *a);

/*
 * Reads a period spec ("2024-11", "2024-Q4", "2024", "ytd", "plan") as of
 * as_of (YYYY-MM-DD) into *out. DOM_INVALID with a Chinese message when the
 * spec is not one, lies outside the plan, or has not begun by as_of.
 */
DomResult competition_period(const Plan *p, const char *spec, const char *as_of, CompPeriod *out);

/*
 * Computes the competition for period spec as of as_of (NULL: today in
 * Beijing). On DOM_OK *out holds everything, in its own arena: the caller
 * calls competition_free(out) afterwards (also after a failure: harmless).
 * DOM_INVALID: the period is not one (message says why); DOM_FAILED: the
 * store failed.
 */
DomResult competition_compute(Store *s, const Plan *p, const char *period, const char *as_of, Competition *out);
void competition_free(Competition *c);

/*
 * The same as competition_compute, kept on s's connection for the pages of
 * every area: each area's figures are made again only when its stamp moved
 * (a change to a record of it or of an area under it), all of them when
 * what is in no area moved (the plan, targets); when a figure moved, the
 * scores and ranks are sorted again over the kept rows. *out is valid
 * until the next call on s (do not free it); *gen changes whenever
 * anything in it may have (a rendering of the same gen is the same).
 * The figures equal competition_compute's (test_competition).
 */
DomResult competition_kept(Store *s, const Plan *p, const char *period, const char *as_of, const Competition **out,
                           unsigned long long *gen);
/* How many area rows competition_kept made on s's connection (tests). */
long long competition_kept_rows_made(Store *s);

/* The row of an area (NULL when not there). */
const CompRow *competition_row(const Competition *c, const char *area);

/*
 * Ranks n keys, the largest first. valid[i] 0 leaves i out (rank 0). Ties
 * (equal up to rounding) share a rank; "shared" then skips the following
 * ranks (1, 2, 2, 4), "dense" does not (1, 2, 2, 3).
 */
void competition_rank(const double *key, const int *valid, int n, int dense, int *rank);

/* The method in words, in Chinese, for the page and the bulletin: one
 * paragraph per line ("\n" between), in a. */
const char *competition_method_zh(const CompMethod *m, const Plan *p, Arena *a);

/* The target of indicator ind for scope over [from, to] from the targets t
 * (cumulative, per year): per plan year the window touches, the year's
 * increment (its target less the last stated before it, 0 when none), all
 * of it or (prorate) its share of the year's days in the window. 1 with
 * *out set; 0 when a touched year states no target. */
int competition_target(const Plan *p, const Target *t, int nt, const char *ind, const char *scope, const char *from,
                       const char *to, int prorate, double *out);

/* Everything of c as a JSON object (the API's answer, `hatchery competition
 * --json`, the bulletins' snapshot): period, previous, method (with its
 * words, text_zh), city, areas with their indicators; ranks 0 are null.
 * Each figure has "records", the page of the records behind it. */
struct json_t;
struct json_t *competition_json(const Competition *c);

/* The previous period's key of a spec (for links: "2024-10"), in a. */
const char *competition_prev_key(const Competition *c, Arena *a);

#endif
