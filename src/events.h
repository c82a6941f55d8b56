/*
 * events.h — events of the plan's 三(七) (the 世界青年科学家峰会云江科创大会,
 * 中国瑞安创新创业大赛, 双创活动周, professional contests at big incubators,
 * roadshows, and the 现场会 of 四(三)) and the standing roadshow pipeline
 * (常态化路演机制): each project an event takes in goes registered →
 * presented → investor interest → due diligence → invested and/or settled
 * in a base, each step dated, the outcome linked to the registry's
 * investment or project, so that a record traces back to the event that
 * brought it and the office sees conversion per event.
 *
 * The rules (events.c):
 *  - who: the office creates and changes any event; an area reporter those
 *    of its own area (and of bases in it); a base user those its base
 *    hosts. Departments and leaders read. Every logged-in user reads.
 *  - order: a step is recorded once, never before the step it follows:
 *    presentation on a day of the event (not a cancelled one); interest,
 *    due diligence, investment and settlement only after presentation and
 *    not dated before any step already recorded. Interest and due
 *    diligence may be skipped when an outcome is learned late; the funnel
 *    then counts only the dated steps (a skipped step is not invented).
 *    An investment made before the project was presented is not this
 *    event's doing: it is refused here and stays in the registry, recorded
 *    directly, outside any pipeline. The outcome's date is the registry
 *    record's (the investment's date, the project's arrival).
 *  - links: a registry record is brought by one pipeline row at most; an
 *    area reporter links its own area's records, a base user its base's.
 *  - a dropped project takes no more steps; an invested or settled one is
 *    not dropped.
 * Each workflow owns its transaction and writes its audit rows.
 */
#ifndef HATCHERY_EVENTS_H
#define HATCHERY_EVENTS_H

#include "domain.h"
#include "store_events.h"

/* What a form or the API gives for an event, as text; NULL: not given
 * (an update keeps the stored value), "": cleared. */
typedef struct EventInput {
	const char *kind, *name, *organiser, *area, *base_id, *starts_on, *ends_on, *place, *mode, *participants,
		*attendees, *summary, *status;
} EventInput;

/* Errors by field (the input's field names), Chinese messages. */
#define EVENT_MAX_ERRORS 16
typedef struct EventErrors {
	const char *field[EVENT_MAX_ERRORS], *message[EVENT_MAX_ERRORS];
	int n;
} EventErrors;
/* The message for field, NULL when none. */
const char *event_error(const EventErrors *e, const char *field);

/* Creates an event (DOM_OK, *new_id) or says what is wrong (DOM_INVALID
 * with errs by field; DOM_FORBIDDEN outside the actor's scope). */
DomResult event_create(Store *s, const Actor *who, const EventInput *in, EventErrors *errs, long long *new_id);
/* Changes the given fields of event id. */
DomResult event_update(Store *s, const Actor *who, long long id, const EventInput *in, EventErrors *errs);

/* A project registering for an event: name (required), team, field, the
 * registration date (required), and optionally the presentation date. */
typedef struct PipelineInput {
	const char *name, *team, *field, *registered_on, *presented_on, *note;
} PipelineInput;
DomResult event_project_add(Store *s, const Actor *who, long long event_id, const PipelineInput *in, EventErrors *errs,
                            long long *new_id);

/* The steps, in order (EVENT_STEP_REGISTERED is the row itself). */
typedef enum {
	EVENT_STEP_REGISTERED = 0,
	EVENT_STEP_PRESENTED,
	EVENT_STEP_INTEREST,
	EVENT_STEP_DILIGENCE,
	EVENT_STEP_INVESTED,
	EVENT_STEP_SETTLED,
	EVENT_STEP_DROPPED,
	EVENT_STEP_COUNT
} EventStep;
/* "registered" … "dropped" → the step, -1 for anything else. */
int event_step_parse(const char *code);
const char *event_step_code(int step);
const char *event_step_zh(int step);

/* One step for the pipeline row pid of event event_id: on (the date;
 * ignored for invested and settled, whose date is the linked record's),
 * investor (interest, optional), link (invested: an investment's id;
 * settled: a project's id), reason (dropped, required). */
typedef struct StepInput {
	const char *step, *on, *investor, *reason;
	long long link;
} StepInput;
DomResult event_step(Store *s, const Actor *who, long long event_id, long long pid, const StepInput *in);

/* The office adds a follow-up task of event event_id (what a 现场会 decided):
 * the task's fields as task_create takes them; source "event" and
 * source_ref "event/ID" are set here. Not for a cancelled event. One
 * transaction: the task with its audit row and the event's ("followup"). */
struct TaskInput;
DomResult event_followup_add(Store *s, const Actor *who, long long event_id, const struct TaskInput *in,
                             long long *task_id);
/* The source_ref of event id's follow-up tasks ("event/12"), in a. */
const char *event_task_ref(Arena *a, long long id);

/* Photos and scans of event event_id (现场照片, 签到表) by whoever may change
 * it: each checked by content (attachments.h), owner "event"; one
 * transaction, a file refused refuses them all. *file_id: the last one's. */
struct EvidenceFile;
DomResult event_attach(Store *s, const Actor *who, long long event_id, const struct EvidenceFile *files, int nfiles,
                       long long *file_id);

/* NULL when the actor may change ev (and add to its pipeline); else why not. */
const char *event_refusal(const Actor *who, const EventRec *ev);
/* 1 when the actor may create events at all (the office, areas, bases). */
int event_may_create(const Actor *who);
/* The furthest step a row reached (dropped counts as itself). */
int event_stage(const PipelineRec *p);
/* The conversion rate of a funnel: converted / presented (0 when none presented). */
double event_conversion(const EventFunnel *f);

/* An event as JSON (a new reference): its fields as the audit trail keeps
 * them, or with api also its id, kind_name and base_name (/api/v1/events). */
struct json_t;
struct json_t *event_record_json(const EventRec *e, int api);

/* Chinese names of the codes. */
const char *event_kind_zh(const char *kind);
const char *event_mode_zh(const char *mode);
const char *event_status_zh(const char *status);
/* The kinds in order (NULL-terminated), for forms and filters. */
extern const char *const event_kinds[];

#endif
