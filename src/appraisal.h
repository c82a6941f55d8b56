/*
 * appraisal.h — the yearly assessment (考核, plan 四(三): the cluster counts
 * in the towns' and zones' assessment): each area's score for a year by
 * the office's scoring rules, the plan file's "assessment" section (points
 * per indicator, a cap, what a missing target means, deductions for late
 * or returned periodic reports). Named appraisal in the code because
 * assessment.c is the evaluation's input; the URL is /assessment.
 *
 * Pure computation over the store (nothing written): the figures are the
 * progress measures, the groups are the competition's, the reports'
 * timeliness is reports.c's completeness and the returns are the audit
 * trail's.
 */
#ifndef HATCHERY_APPRAISAL_H
#define HATCHERY_APPRAISAL_H

#include "domain.h"
#include "plan.h"
#include "store.h"
#include "util.h"

/* One indicator of one area. */
typedef struct AppraisalItem {
	double value;            /* the figure from 1 January (or the plan's start) to the date */
	int has_target;
	double target, rate;     /* the year's target (prorated to the date when the rules say so) */
	int counted;             /* its points count in the possible total (see missing_target) */
	double earned;           /* points earned */
} AppraisalItem;

typedef struct AppraisalRow {
	const Area *area;
	int group;               /* index into the competition's groups; -1 none */
	AppraisalItem *items;    /* one per rules item */
	double earned, possible; /* points earned and points counted */
	double base;             /* earned scaled to the full score: earned / possible × total */
	int late, returned;      /* reports late or missing past due; returns */
	const char **late_periods, **returned_periods; /* their period keys */
	double deduct_late, deduct_returned, deducted; /* each capped by its max */
	double score;            /* max(0, base − deducted) */
	int rank_group, rank_all;
} AppraisalRow;

typedef struct Appraisal {
	Arena arena;             /* everything below lives here */
	const Plan *plan;
	const AssessRules *rules;/* the plan's, or the default */
	const CompMethod *groups;/* the competition's method, for its groups */
	int year;
	char as_of[11], from[11], to[11];
	const Indicator **ind;   /* per rules item */
	int nitems;
	AppraisalRow *rows;      /* every area, in the plan's order */
	int nrows;
	const char *warning;     /* Chinese, when a deduction's form is not one of the plan's (NULL: none) */
} Appraisal;

/* The rules in force: the plan's "assessment", or the default (the
 * competition's indicators, 100 points shared equally, no deductions). */
const AssessRules *appraisal_rules(const Plan *p, Arena *a);

/*
 * Computes the assessment of year as of as_of (NULL: today; the window ends
 * at min(as_of, 31 December); late and returned reports are counted as of
 * as_of, so December's, due in January, count once as_of is past their
 * due time). DOM_INVALID when the year is not a plan year
 * or has not begun by as_of; DOM_FAILED when the store failed. The caller
 * calls appraisal_free(out) afterwards in every case.
 */
DomResult appraisal_compute(Store *s, const Plan *p, int year, const char *as_of, Appraisal *out);
void appraisal_free(Appraisal *x);

/* The rules in words, one paragraph per line, in a. */
const char *appraisal_rules_zh(const AssessRules *r, const Plan *p, Arena *a);

/* Everything as JSON (the API, the command line). */
struct json_t;
struct json_t *appraisal_json(const Appraisal *x);

/* The table for the city's assessment office (考绩办) as an .xlsx: one row
 * per area (figures, targets, completion, points, deductions, score,
 * ranks) and a 说明 sheet with the rules; to path, or appended to *out when
 * path is NULL. H_OK, or H_ERR with a Chinese message in err. */
int appraisal_xlsx(const Appraisal *x, const char *path, Buf *out, char *err, size_t errsz);

#endif
