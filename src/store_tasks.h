/*
 * store_tasks.h — the SQL of the work system (store_tasks.c): tasks and
 * their responsible units, milestones, updates, 督办单 (supervision), the
 * leadership group's agendas and decisions. No rules here: the workflows
 * (tasks.c) decide who may and hold the transactions; this reads and writes.
 * Times are UTC ISO texts given by the caller; days are Beijing calendar days.
 */
#ifndef HATCHERY_STORE_TASKS_H
#define HATCHERY_STORE_TASKS_H

#include "store.h"

typedef struct TaskRec {
	long long id;
	const char *code, *work_item, *title, *detail, *lead, *start_on, *due_on, *status;
	const char *indicator, *record_kind;
	double target;
	int has_target;
	const char *source, *source_ref, *done_on, *created_by, *created_at, *updated_at;
	/* the responsible units as stored, lead(s) first, then in the plan's order */
	const char **units;
	int *unit_lead;
	int nunits;
	/* read with lists: the open 督办单 with the earliest date (0: none) */
	long long open_sup_id;
	const char *open_sup_due, *open_sup_status, *open_sup_unit;
	const char *last_update_at;
} TaskRec;

typedef struct TaskFilter {
	const char *unit;     /* NULL: every task; else the tasks this unit is responsible for */
	int unit_is_area;     /* unit is an area: "@areas" tasks are its too */
	int lead_only;        /* only where unit leads */
	const char *status;   /* "open", "done", NULL: any */
	const char *source;   /* NULL: any */
	const char *q;        /* words in the title, NULL: any */
	const char *source_ref; /* NULL: any; "event/12": an event's follow-ups */
} TaskFilter;

long long store_task_insert(Store *s, const TaskRec *t, const char *now);
int store_task_unit_add(Store *s, long long task_id, const char *unit, int lead, int ord);
/* Status, done day, due day, title and detail from t. */
int store_task_update(Store *s, const TaskRec *t, const char *now);
/* 1 found (units read too), 0 none, -1 error. */
int store_task_get(Store *s, Arena *a, long long id, TaskRec *out);
/* The task of a plan sub-clause's code: its id, 0 none, -1 error. */
long long store_task_by_code(Store *s, const char *code);
/* Tasks matching f, due first (no due day last). Count or -1. */
int store_tasks(Store *s, Arena *a, const TaskFilter *f, TaskRec **out);
/* How unit stands to a task: 2 it leads, 1 it is co-responsible, 0 not
 * responsible, -1 error, -2 no such task. An area counts for "@areas". */
int store_task_role(Store *s, long long task_id, const char *unit, int unit_is_area);

typedef struct Milestone {
	long long id, task_id;
	const char *title, *due_on, *done_on, *done_by;
} Milestone;
long long store_milestone_insert(Store *s, long long task_id, const char *title, const char *due_on);
int store_milestones(Store *s, Arena *a, long long task_id, Milestone **out);
int store_milestone_get(Store *s, Arena *a, long long id, Milestone *out);
int store_milestone_done(Store *s, long long id, const char *done_on, const char *by);

typedef struct TaskUpdate {
	long long id, task_id;
	const char *unit, *text, *by_user, *at;
	int percent; /* -1: none */
} TaskUpdate;
long long store_task_update_insert(Store *s, const TaskUpdate *u);
int store_task_updates(Store *s, Arena *a, long long task_id, TaskUpdate **out);

typedef struct Supervision {
	long long id, task_id, previous_id;
	int round;
	const char *unit, *demand, *due_on, *status;
	const char *issued_by, *issued_at, *signed_by, *signed_at;
	const char *answer, *answered_by, *answered_at;
	const char *verdict, *verdict_by, *verdict_at;
	const char *task_title; /* joined */
} Supervision;
long long store_supervision_insert(Store *s, const Supervision *v);
/* Writes status, the signing, answer and verdict columns from v. */
int store_supervision_update(Store *s, const Supervision *v);
int store_supervision_get(Store *s, Arena *a, long long id, Supervision *out);
/* A task's 督办单, oldest round first (task_id > 0); or, task_id 0, those
 * to unit (NULL any) in one of statuses ("issued,signed"), due first. */
int store_supervisions(Store *s, Arena *a, long long task_id, const char *unit, const char *statuses,
                       Supervision **out);

typedef struct AgendaRec {
	long long id;
	const char *title, *meeting_on, *status, *created_by, *created_at, *held_by, *held_at;
} AgendaRec;
typedef struct AgendaItem {
	long long id, agenda_id;
	int ord;
	const char *kind, *ref, *title, *figures;
} AgendaItem;
typedef struct AgendaDecision {
	long long id, agenda_id, item_id, task_id;
	const char *text, *created_by, *created_at;
} AgendaDecision;
long long store_agenda_insert(Store *s, const AgendaRec *g);
int store_agenda_held(Store *s, long long id, const char *by, const char *at);
int store_agenda_get(Store *s, Arena *a, long long id, AgendaRec *out);
int store_agendas(Store *s, Arena *a, AgendaRec **out); /* newest first */
long long store_agenda_item_insert(Store *s, const AgendaItem *i);
int store_agenda_items(Store *s, Arena *a, long long agenda_id, AgendaItem **out);
long long store_agenda_decision_insert(Store *s, const AgendaDecision *d);
int store_agenda_decisions(Store *s, Arena *a, long long agenda_id, AgendaDecision **out);

/* Approved records of a registry kind (bases, operators, funds, investments,
 * projects, firms) dated (opened, introduced, set up, invested, arrived,
 * entered) between from and to, both included (NULL: open); -1 on error or
 * an unknown kind. A task's measurable result when it counts records. */
long long store_task_record_count(Store *s, const char *kind, const char *from, const char *to);

/* Requests for help from the areas' monthly reports: the non-empty text of
 * field (e.g. "problems") in each reporter's latest report (submitted or
 * further) that has one. Count or -1. */
typedef struct HelpRequest {
	const char *org, *period, *text, *status;
} HelpRequest;
int store_help_requests(Store *s, Arena *a, const char *form, const char *field, HelpRequest **out);

#endif
