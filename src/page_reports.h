/*
 * page_reports.h — what the 填报 pages share (page_reports.c,
 * page_reports_period.c, page_reports_api.c, page_reports_xlsx.c); not for
 * other pages.
 * Strings returned are in the arena given (or the request's), or static.
 */
#ifndef HATCHERY_PAGE_REPORTS_H
#define HATCHERY_PAGE_REPORTS_H

#include <time.h>

#include <jansson.h>

#include "page.h"
#include "reports.h"

/* t as ISO 8601 in Beijing time with its offset ("2024-12-05T10:00:00+08:00"). */
const char *reports_page_iso(Arena *a, time_t t);
/* A stored UTC timestamp the same way; NULL when it does not parse. */
const char *reports_page_iso_text(Arena *a, const char *utc);
/* The last minute a time window ending at t includes, for people: "2024-12-05 23:59". */
const char *reports_page_until(Arena *a, time_t t);
/* A period's state (not_open, open, overdue, closed) in Chinese. */
const char *reports_page_state(const char *st);
/* The status lamp's class of a report status (done, on_track, at_risk, behind). */
const char *reports_page_status_class(const char *st);
/* /reports/{form}/{period}/{org}, each part URL-escaped. */
const char *reports_page_url(Arena *a, const char *form, const char *period, const char *org);
/* What was just done, by code (?done=CODE&n=N&k=K): no text from the
 * address is ever shown. NULL when the code is not one. f may be NULL. */
const char *reports_page_done(Req *r, const Form *f);
/* The issues of a check as JSON: [{field, message, soft, explained}] (a new reference). */
json_t *reports_page_issues_json(const Issues *is);
/* The report the route names ({form}/{period}/{org}) as the user sees it
 * at now, into v: 1, or 0 after answering o's refusal (o's issues stay for
 * the caller either way). */
int reports_page_view(Req *r, time_t now, ReportView *v, ReportOutcome *o);
/* A refused workflow answer: JSON for the API (with the issues), an error page otherwise. */
void reports_page_refuse(Req *r, const ReportOutcome *o);

#endif
