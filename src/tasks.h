/*
 * tasks.h — the work system (督查督办): tasks from the plan's sub-clauses
 * and those the office, a meeting or an event adds; milestones and updates
 * from the responsible units; 督办单 (issue → 签收 → 反馈 with evidence →
 * accepted or 催办 again); the lamps (green, amber within 7 days, red
 * overdue with the days) in Beijing time; the supervision table by unit;
 * the leadership group's agendas and their decisions, each a task.
 *
 * Every workflow is a function over (Store *, const Actor *, input) that
 * checks who may, holds its transaction, writes its audit rows and answers
 * a DomResult; the pages, the API and the command line call them.
 * Who may: the office (admin) everything; the leadership group (viewer)
 * reads; a department or an area reads the tasks it is responsible for
 * (leading or co-responsible; an area those of "各镇街、功能区" too) and
 * answers — updates, signs for and answers 督办单 — only where it leads.
 */
#ifndef HATCHERY_TASKS_H
#define HATCHERY_TASKS_H

#include <time.h>

#include "domain.h"
#include "store_tasks.h"

/* ---- days and lamps (Beijing time) ---- */

/* The Beijing calendar day (UTC+8) of the moment t: "2025-01-03". */
void beijing_day(time_t t, char out[11]);
/* Today in Beijing: of $HATCHERY_NOW when set (tests pin it), else the clock. */
void tasks_today(char out[11]);

typedef enum { LAMP_NONE = 0, LAMP_DONE, LAMP_GREEN, LAMP_AMBER, LAMP_RED } Lamp;
#define LAMP_AMBER_DAYS 7
/* The lamp of something due on the day due (inclusive) as of the day today:
 * red once today is after due (*days_over = the days since due), amber while
 * due is within LAMP_AMBER_DAYS days from today (today included), green
 * further away; NONE without a valid due day. */
Lamp lamp_of(const char *due, const char *today, int *days_over);
const char *lamp_code(Lamp l); /* none, done, green, amber, red */
const char *lamp_zh(Lamp l);   /* 无期限, 已完成, 正常, 临期, 逾期 */
/* A task's lamp: DONE when done; else by the earlier of its due day and its
 * open 督办单's (store_tasks' open_sup_due). *due: the day it read (may be NULL). */
Lamp task_lamp(const TaskRec *t, const char *today, int *days_over, const char **due);

/* A unit's name: a department's, an area's, or 各镇街、功能区 for "@areas". */
const char *unit_name(const Plan *p, const char *code);
/* The actor's own unit (department or area code), NULL for others. */
const char *actor_unit(const Actor *who);
/* How the actor stands to a task: 3 the office, 2 leads it, 1 reads it
 * (co-responsible, or the leadership group), 0 nothing, -1 store error,
 * -2 no such task. */
int task_access(Store *s, const Actor *who, long long task_id);

/* ---- tasks ---- */

typedef struct TaskInput {
	const char *title, *detail;
	const char *lead;           /* a department code, an area code or "@areas" */
	const char *const *co;      /* co-responsible units */
	int nco;
	const char *start_on, *due_on;
	const char *indicator;      /* a plan indicator measuring it, or NULL */
	const char *record_kind;    /* or a count of records of a registry kind ("projects"), or NULL */
	double target;
	int has_target;
	const char *source;         /* office (default), meeting, event, plan */
	const char *source_ref;     /* e.g. "agenda/3", "event/12" */
	const char *code, *work_item; /* a plan sub-clause's, or NULL */
} TaskInput;

/* The office creates a task (the events and meetings' follow-ups too): the
 * fields checked (a title, a known lead and co-units, real days, a known
 * indicator or record kind), in its own transaction with its audit row. */
DomResult task_create(Store *s, const Actor *who, const TaskInput *in, long long *id);
/* The same inside the caller's transaction (a decision, an event's follow-up). */
DomResult task_create_in_tx(Store *s, const Actor *who, const TaskInput *in, long long *id);
/* The plan's sub-clauses as tasks (source plan), due at the end of the
 * plan's last year; skips those already there. Inside the caller's
 * transaction (init). H_OK or H_ERR. */
int tasks_seed_plan(Store *s, const Plan *p, const char *now);

/* The lead unit (or the office) reports progress: text, percent 0..100 or -1. */
DomResult task_post_update(Store *s, const Actor *who, long long task_id, const char *text, int percent,
                           long long *update_id);
/* The office adds a milestone; the lead or the office marks one reached today. */
DomResult task_add_milestone(Store *s, const Actor *who, long long task_id, const char *title, const char *due_on);
DomResult task_milestone_reached(Store *s, const Actor *who, long long task_id, long long milestone_id);
/* The office closes a task ("done", dated today), reopens ("open") or moves its due day (due_on not NULL). */
DomResult task_set(Store *s, const Actor *who, long long task_id, const char *status, const char *due_on);
/* Evidence for a task ("task") or a 督办单's answer ("supervision", of this
 * task): the lead unit or the office, checked by content (attachments.h). */
DomResult task_attach(Store *s, const Actor *who, long long task_id, const char *owner_kind, long long owner_id,
                      const char *name, const unsigned char *data, size_t len, long long *file_id);

/* ---- 督办单 ---- */

/* The office issues one: what (demand), by when (due_on, not before today),
 * to whom (unit: the task's lead, or an area when 各镇街、功能区 lead). */
DomResult supervision_issue(Store *s, const Actor *who, long long task_id, const char *unit, const char *demand,
                            const char *due_on, long long *id);
/* The unit it is addressed to signs for it (签收). */
DomResult supervision_sign(Store *s, const Actor *who, long long task_id, long long sup_id);
/* The unit answers (反馈): text, with at least one file of evidence attached
 * to the 督办单 before (task_attach); signs it too when not yet signed. */
DomResult supervision_answer(Store *s, const Actor *who, long long task_id, long long sup_id, const char *text);
/* The same with files of evidence stored in the same transaction (a plain
 * form's photo): a file refused refuses the answer, and nothing is kept. */
struct EvidenceFile;
DomResult supervision_answer_with(Store *s, const Actor *who, long long task_id, long long sup_id, const char *text,
                                  const struct EvidenceFile *files, int nfiles);
/* The office accepts the answer (note optional). */
DomResult supervision_accept(Store *s, const Actor *who, long long task_id, long long sup_id, const char *note);
/* The office presses again (催办): the note says why; a new round to the
 * same unit with a new due day (not before today) is issued. */
DomResult supervision_press(Store *s, const Actor *who, long long task_id, long long sup_id, const char *note,
                            const char *due_on, long long *new_id);
const char *supervision_status_zh(const char *status);

/* ---- the supervision table (the leadership group's view) ---- */

typedef struct UnitLamps {
	const char *unit, *name;
	int tasks, done, green, amber, red, none; /* lamps of the tasks it leads */
	int max_over;                              /* the most days a task of it is overdue */
	int sup_open, sup_overdue, sup_unsigned, sup_answered; /* its 督办单 not yet accepted */
} UnitLamps;
/* One row per department of the plan (with tasks or none) and per other
 * unit that leads or led a task or has a 督办单 (areas, then
 * 各镇街、功能区), as of today. Count or -1. */
int supervision_table(Store *s, Arena *a, const Plan *p, const char *today, UnitLamps **out);

/* A unit's lamp in the table: red with a task or 督办单 overdue, amber with
 * one due within 7 days, green with others open, DONE when every task it
 * led is done, NONE when it leads none (无任务). */
Lamp unit_lamp(const UnitLamps *u);

/* 催办 of every overdue 督办单 not yet answered: one message to the outbox
 * per 督办单 and day (kind task_reminder) and an audit row. *sent: how many. */
DomResult tasks_remind(Store *s, const Actor *who, const char *today, int *sent);

/* ---- the leadership group's agenda (议题) ---- */

/* The office gathers a draft agenda for a meeting: the plan's indicators
 * behind (滞后/严重滞后) with their figures, overdue tasks with their days,
 * the requests for help of the latest monthly reports and the recognitions
 * waiting; title and meeting day given. */
DomResult agenda_draft(Store *s, const Actor *who, const char *title, const char *meeting_on, long long *id);
/* Gathers those items into agenda id as of today, inside the caller's
 * transaction (agenda_draft, the sample). H_OK or H_ERR. */
int agenda_gather_in_tx(Store *s, const Actor *who, long long id, const char *today);
/* The office records a decision of agenda id (item_id 0: none in
 * particular): it becomes a task of lead (and due_on), source "meeting". */
DomResult agenda_decide(Store *s, const Actor *who, long long agenda_id, long long item_id, const char *text,
                        const char *lead, const char *due_on, long long *task_id);
/* The meeting was held: the agenda is closed for new items. */
DomResult agenda_held(Store *s, const Actor *who, long long agenda_id);
const char *agenda_kind_zh(const char *kind);

#endif
