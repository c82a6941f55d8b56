/*
 * store_competition.h — what the yearly assessment (appraisal.c) reads
 * from the store beyond the progress measures: how often reports were
 * returned, from the audit trail (store_competition.c).
 */
#ifndef HATCHERY_STORE_COMPETITION_H
#define HATCHERY_STORE_COMPETITION_H

#include "store.h"

/* One return of a report ("reports" audit row with action "return"). */
typedef struct ReportReturn {
	const char *form, *period, *org, *at; /* at: UTC ISO */
} ReportReturn;

/* The returns of reports of form whose period key starts with prefix
 * ("2024"), made before `before` (UTC ISO), oldest first: every "return"
 * row of the audit trail, and the last return a report's header records
 * when the trail has none for it. Count (rows in a) or -1. */
int store_report_returns(Store *s, Arena *a, const char *form, const char *prefix, const char *before,
                         ReportReturn **out);

#endif
