/*
 * chart.h — SVG charts written by hand (no chart framework): one code path
 * for the web pages now, and for PDF/PNG through librsvg later.
 */
#ifndef HATCHERY_CHART_H
#define HATCHERY_CHART_H

#include "util.h"

/* A grouped horizontal bar chart of completion ratios: one group per
 * category (an indicator), one bar per series (a year), a 100% line. */
typedef struct ChartRatios {
	const char *title;          /* the accessible name of the chart */
	const char **categories;    /* ncat labels */
	int ncat;
	const char **series;        /* nser labels (legend) */
	int nser;
	const double *ratios;       /* ncat * nser values, row-major; < 0 = no target */
} ChartRatios;

void chart_ratio_bars(Buf *out, const ChartRatios *c);

/* One bar per item (an area), with an optional target mark. */
typedef struct ChartBar {
	const char *label, *href;     /* href: the bar links there (may be NULL) */
	double value;
	int has_mark;
	double mark;                  /* the target */
	const char *status, *status_zh; /* progress status code and words, NULL: none */
} ChartBar;

typedef struct ChartBars {
	const char *title, *unit;
	ChartBar *bars;
	int n;
} ChartBars;

/* The one unit of a bar chart's figures (fmt_column_unit of its largest
 * value or mark): the table beside it uses the same. */
const char *chart_bars_unit(const ChartBars *c);

/* A line of cumulative values by month, with the targets' line dashed. */
typedef struct ChartLine {
	const char *title, *unit;
	int n;
	const char *const *dates;   /* n labels, YYYY-MM-DD */
	const double *actual;       /* n values */
	const double *expected;     /* n values, or NULL when there is no target */
} ChartLine;
void chart_line(Buf *out, const ChartLine *c);

/* Sorts bars by value, largest first (ties by label). */
void chart_sort_bars(ChartBar *bars, int n);
/* Sorts bars by completion rate (value / mark), highest first; bars
 * without a target last: a ranking of a competition. */
void chart_sort_bars_by_ratio(ChartBar *bars, int n);
/* Horizontal bars scaled to the largest value or mark, each with its mark. */
void chart_bars(Buf *out, const ChartBars *c);

#endif
