/*
 * store_reports.h — the SQL of periodic reports (store_reports.c): report
 * headers and values, list rows, the figures an accepted report counts as,
 * exceptions after closing, reminders and the outbox of messages. No rules
 * here: the workflows (reports.c) decide, this reads and writes.
 * Times are UTC ISO texts ("2024-12-05T03:00:00Z") given by the caller.
 */
#ifndef HATCHERY_STORE_REPORTS_H
#define HATCHERY_STORE_REPORTS_H

#include "store.h"

typedef struct ReportRec {
	long long id, base_id;
	const char *form, *period, *period_end, *org, *area, *status;
	int stage;
	const char *submitted_by, *submitted_at, *first_submitted_at;
	const char *approved_by, *approved_at, *accepted_by, *accepted_at;
	const char *returned_by, *returned_at, *return_reason;
	const char *unlock_reason, *unlock_by, *unlock_at;
	const char *created_by, *created_at, *updated_at;
} ReportRec;

/* One report: 1 found (*out filled), 0 none, -1 error. */
int store_report_get(Store *s, Arena *a, const char *form, const char *period, const char *org, ReportRec *out);
int store_report_by_id(Store *s, Arena *a, long long id, ReportRec *out);
/* Inserts a header (status and times from r); the new id or 0. */
long long store_report_insert(Store *s, const ReportRec *r, const char *now);
/* Writes the header's workflow columns (status ... unlock_at) from r. */
int store_report_update(Store *s, const ReportRec *r, const char *now);
/* The reports of a form and period (area NULL: all areas), by org. Count or -1. */
int store_reports_of_period(Store *s, Arena *a, const char *form, const char *period, const char *area, ReportRec **out);
/* Reports waiting for someone or belonging to someone: of area (NULL all) or
 * org (NULL any) in any of the statuses ("submitted,approved"), newest first. */
int store_reports_find(Store *s, Arena *a, const char *area, const char *org, const char *statuses, int limit,
                       ReportRec **out);

typedef struct ReportValueRow {
	const char *field, *text, *note;
	double num;
	int has_num;
} ReportValueRow;
typedef struct ReportRowRec {
	const char *list, *data;   /* data: JSON {column: value} */
	int row_no;
} ReportRowRec;

/* Removes every value and row of a report (before writing them again). */
int store_report_values_clear(Store *s, long long id);
int store_report_value_put(Store *s, long long id, const char *field, const char *text, int has_num, double num,
                           const char *note);
int store_report_row_put(Store *s, long long id, const char *list, int row_no, const char *data);
int store_report_values(Store *s, Arena *a, long long id, ReportValueRow **out); /* count or -1 */
int store_report_rows(Store *s, Arena *a, long long id, ReportRowRec **out);     /* count or -1 */

/* Earlier values of a field of one reporter's reports of a form: periods in
 * [from, before) (from NULL: no lower bound) whose report stands submitted,
 * approved or accepted (not a draft, not returned), newest first, at most
 * limit. Count or -1. */
int store_report_history_since(Store *s, Arena *a, const char *form, const char *org, const char *field,
                               const char *from, const char *before, int limit, double **out);
int store_report_history(Store *s, Arena *a, const char *form, const char *org, const char *field,
                         const char *before, int limit, double **out);

/* The figures an accepted report counts as (report_figure, approved): replaced whole. */
int store_report_figures_delete(Store *s, long long report_id);
int store_report_figure_add(Store *s, long long report_id, const char *area, long long base_id, const char *period,
                            const char *period_end, const char *field, double value, const char *by);

/* The sum of a numeric field over a form's reports in a status set
 * ("accepted"), of an area and the areas under it (NULL: all), periods in [from, to]. */
double store_report_field_sum(Store *s, const char *form, const char *field, const char *area, const char *from,
                              const char *to, int *ok);

/* Bases that may be expected to report: approved, opened by `by` (or with no
 * opening date), not planned or building. A closed one comes with the day
 * it was closed (closed_on: the audit trail's last change of its status to
 * closed, NULL when the trail does not say). Count or -1. */
typedef struct ReportBase {
	long long id;
	const char *name, *kind, *area, *opened_on, *status;
	const char *closed_on;
} ReportBase;
int store_report_bases(Store *s, Arena *a, const char *by, ReportBase **out);
int store_report_base(Store *s, Arena *a, long long id, ReportBase *out); /* 1, 0, -1 */

/* Exceptions: the latest `until` granted for a reporter, NULL when none. */
long long store_report_exception_add(Store *s, const char *form, const char *period, const char *org,
                                     const char *until, const char *reason, const char *by, const char *now);
const char *store_report_exception_until(Store *s, Arena *a, const char *form, const char *period, const char *org);

/* Reminders (催报). */
typedef struct ReminderRec {
	long long id;
	const char *form, *period, *org, *area, *text, *sent_by, *sent_at;
} ReminderRec;
long long store_report_reminder_add(Store *s, const ReminderRec *r);
/* Reminders of an org (or, with area set and org NULL, of every reporter of an area). Count or -1. */
int store_report_reminders(Store *s, Arena *a, const char *org, const char *form, const char *period, int limit,
                           ReminderRec **out);

/* The outbox. add answers the id, 0 on error (a repeated key is an error). */
typedef struct OutboxRec {
	long long id;
	const char *key, *kind, *body, *status, *next_at, *last_error;
	int attempts;
} OutboxRec;
long long store_outbox_add(Store *s, const char *key, const char *kind, const char *body, const char *now);
/* The oldest pending message due at `now`: 1 found, 0 none, -1 error. */
int store_outbox_next(Store *s, Arena *a, const char *now, OutboxRec *out);
int store_outbox_result(Store *s, long long id, const char *status, int attempts, const char *next_at,
                        const char *error, const char *now);
int store_outbox_count(Store *s, const char *status); /* count or -1 */

#endif
