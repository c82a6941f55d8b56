/*
 * reports.h — the periodic reporting workflows (填报): entry, submission,
 * approval up the hierarchy (base → its area → the office), return with a
 * reason, acceptance (then the figures count), unlock requests, exceptions
 * after closing, completeness and timeliness, reminders (催报).
 *
 * Each function works over (Store *, const Actor *, input), checks
 * who may do it, owns its transaction and writes the audit trail. Pages,
 * the API and the command line only parse and render.
 *
 * The actor is the domain layer's Actor (domain.h): name, role, scope, address.
 */
#ifndef HATCHERY_REPORTS_H
#define HATCHERY_REPORTS_H

#include "domain.h"
#include "forms.h"
#include "plan.h"
#include "store.h"
#include "store_reports.h"



/* The result vocabulary of a workflow: an HTTP-like status with a stable
 * code for the API and a Chinese message that says what to do. */
typedef struct ReportOutcome {
	int status;          /* 200, 400, 403, 404, 409, 422, 500 */
	const char *code;    /* ok, bad_input, forbidden_scope, not_found, locked, closed, invalid, store_error */
	const char *message;
	Issues issues;       /* field by field, for 422 (and warnings on 200) */
} ReportOutcome;

/* The forms the database's plan uses, parsed once; NULL (with a message on
 * stderr) when none can be read. */
const FormSet *reports_forms(Store *s, const Plan *p);

/* A reporter: an area (org = its code), a base (org = "base-ID") or a
 * department of the plan (org = "dept-CODE", its area the city). */
typedef struct ReportOrg {
	const char *org, *kind;   /* "area", "base" or "department" */
	const char *name, *area;  /* display name; the area it belongs to (a department: the city) */
	long long base_id;
	const char *base_kind, *opened_on;
} ReportOrg;

/* Reads org for form f: 1 it is one of f's reporters, 0 not (msg says why), -1 store error. */
int report_org(Store *s, Arena *a, const Plan *p, const Form *f, const char *org, ReportOrg *out, const char **msg);

/* What may the actor do with a report in its state (1 yes). */
typedef struct ReportRights {
	int view, edit, submit, approve, accept, ret, request_unlock, grant_unlock;
	const char *why_not_edit; /* Chinese, when the reporter cannot edit now */
} ReportRights;

/* One report as a page shows it: the header (exists 0 when never saved),
 * its values, last period's values, the checks, the window. */
typedef struct ReportView {
	const Form *form;
	Period period, prev;
	ReportOrg org;
	int exists;
	ReportRec rec;
	ReportData *data, *last;  /* last: the previous period's (NULL fields when none) */
	Issues issues;
	const char *state;        /* period_state() now */
	const char *exception_until; /* UTC ISO, when one was granted */
	ReportRights rights;
	ReminderRec *reminders;
	int nreminders;
} ReportView;

/* Loads a report for viewing or editing; outcome 404/403 when the form,
 * period or org is not one, or the actor may not see it. */
int report_view(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
                const char *org, time_t now, ReportView *v, ReportOutcome *out);

/* Saves what the reporter typed (d, with format issues already in
 * out->issues) as a draft, or submits it (submit 1). Nothing is saved when
 * a value could not be read; a submission is refused while a hard rule is
 * broken or a warning has no note. Returns out->status. */
int report_save(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
                const char *org, ReportData *d, int submit, time_t now, ReportOutcome *out);

/* approve (the next level), accept (the office, last level), return (with
 * reason), unlock_request (the reporter, with reason), unlock (the office
 * grants it: back to draft, no longer counted). */
int report_act(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
               const char *org, const char *action, const char *reason, time_t now, ReportOutcome *out);

/* The office lets one reporter enter after closing for `days` days. */
int report_grant_exception(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form,
                           const char *period, const char *org, int days, const char *reason, time_t now,
                           ReportOutcome *out);

/* Completeness and timeliness of one form and period. */
typedef struct CompletenessRow {
	ReportOrg org;
	const char *status;       /* "none" when never saved */
	int reported, on_time, late; /* late: not reported and past due */
	int stage;
	const char *submitted_at, *return_reason;
	int reminders;            /* reminders sent for this period */
} CompletenessRow;
typedef struct AreaCompleteness {
	const char *area, *name;
	int expected, reported, on_time;
} AreaCompleteness;
typedef struct Completeness {
	const Form *form;
	Period period;
	const char *state;
	int expected, reported, on_time, accepted, waiting, late;
	CompletenessRow *rows;    /* expected reporters, area order */
	int nrows;
	AreaCompleteness *areas;  /* per area, for base forms (and each area itself for area forms) */
	int nareas;
} Completeness;
/* area: only the reporters of this area (NULL: all). */
int report_completeness(Store *s, Arena *a, const Plan *p, const char *form, const char *period, const char *area,
                        time_t now, Completeness *c, ReportOutcome *out);

/* Sends a reminder to each reporter in orgs (NULL: every one not reported),
 * on its 工作台 and, when a webhook is configured, through the outbox. *sent
 * is how many. */
int report_remind(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
                  const char *const *orgs, int norgs, time_t now, int *sent, ReportOutcome *out);

/* Approves (or, at the office's level, accepts) each of orgs that waits for
 * the actor; the others are left and counted in *skipped. One transaction. */
int report_batch_approve(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form,
                         const char *period, const char *const *orgs, int norgs, time_t now, int *done, int *skipped,
                         ReportOutcome *out);

/* Reports that wait for the actor (to approve or accept), and the actor's
 * own returned reports and reminders: what 工作台 and 填报 list. */
typedef struct ReportTodo {
	ReportRec *waiting;  int nwaiting;   /* for the actor to approve or accept */
	ReportRec *returned; int nreturned;  /* the actor's own, sent back */
	ReportRec *unlocks;  int nunlocks;   /* unlock requests (the office) */
	ReminderRec *reminders; int nreminders; /* the actor's, newest first */
} ReportTodo;
int report_todo(Store *s, Arena *a, const Plan *p, const Actor *actor, ReportTodo *t);

/* Chinese names. */
const char *report_status_zh(const Form *f, const char *status, int stage);
const char *report_action_zh(const char *action);

/* Values as a JSON object {field: value (numbers in base units), ..., list: [{col: v}]}. */
struct json_t;
struct json_t *report_data_json(const Form *f, const ReportData *d, int with_notes);
/* Reads {"values":{...},"notes":{...}} (base units) into d; issues for bad values. */
void report_data_from_json(Arena *a, const Form *f, const Period *p, struct json_t *body, ReportData *d, Issues *is);

#endif
