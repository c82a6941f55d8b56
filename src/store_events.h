/*
 * store_events.h — the SQL of events and the roadshow pipeline
 * (store_events.c): events with their funnel counts, the pipeline rows of
 * an event (one per project it took in) with the registry records they
 * brought, and the registry records a pipeline may link. No rules here:
 * the workflows (events.c) decide, this reads and writes.
 */
#ifndef HATCHERY_STORE_EVENTS_H
#define HATCHERY_STORE_EVENTS_H

#include "store.h"

typedef struct EventRec {
	long long id, base_id;         /* base_id 0: none */
	const char *kind, *name, *organiser;
	const char *area;              /* NULL: the city's (the office's) */
	const char *base_name;         /* read only */
	const char *starts_on, *ends_on, *place, *mode, *attendees, *summary, *status;
	long long participants;        /* -1: not given */
	const char *created_by, *created_at, *updated_at;
} EventRec;

/* How far the projects of one event (or of many) went: the rows with each
 * step dated, and those that ended in an investment or a settlement. */
typedef struct EventFunnel {
	long long registered, presented, interest, diligence, invested, settled, dropped, converted;
	double invested_yuan;          /* the linked investments' amounts */
} EventFunnel;

typedef struct EventRow {
	EventRec e;
	EventFunnel f;
} EventRow;

/* NULL / 0: no filter. from/to bound starts_on (inclusive). */
typedef struct EventFilter {
	const char *kind, *area, *from, *to;
	long long base_id;
	int limit, offset;             /* limit 0: 1000 */
} EventFilter;

/* Events matching f, newest first, with their funnels; *total (may be NULL)
 * how many match, *sum (may be NULL) the funnel over all of them. Count or -1. */
int store_events(Store *s, Arena *a, const EventFilter *f, EventRow **out, long long *total, EventFunnel *sum);
/* Events not cancelled whose last day is on or after from (a day), the
 * soonest first, at most limit (0: 200). Count or -1. */
int store_events_upcoming(Store *s, Arena *a, const char *from, int limit, EventRec **out);
/* One event: 1 found, 0 not, -1 error. */
int store_event_get(Store *s, Arena *a, long long id, EventRec *out);
long long store_event_insert(Store *s, const EventRec *e, const char *by); /* new id, 0 on error */
/* Writes every column of e (by id). */
int store_event_update(Store *s, const EventRec *e);

/* 1 when the database has the event tables (schema step 10), 0 not yet (the
 * upgrade tests load the sample into an older schema), -1 on error. */
int store_events_ready(Store *s);

/* One project in an event's pipeline, with what it links to. */
typedef struct PipelineRec {
	long long id, event_id, investment_id, project_id, settled_base_id;
	const char *name, *team, *field, *note;
	const char *registered_on, *presented_on, *interest_on, *investor, *diligence_on;
	const char *invested_on, *settled_on, *dropped_on, *drop_reason;
	/* read only: the linked records */
	const char *investee, *fund_name, *project_name, *settled_base_name, *event_name, *event_kind;
	double amount_yuan;
	const char *created_by, *created_at, *updated_at;
} PipelineRec;

/* The pipeline of an event (event_id 0: every event's), by registration. Count or -1. */
int store_pipeline(Store *s, Arena *a, long long event_id, PipelineRec **out);
int store_pipeline_get(Store *s, Arena *a, long long id, PipelineRec *out); /* 1, 0, -1 */
long long store_pipeline_insert(Store *s, const PipelineRec *p, const char *by); /* new id, 0 on error */
/* Writes the step columns of p (presented_on … note) by id. */
int store_pipeline_update(Store *s, const PipelineRec *p);
/* The pipeline row that links investment (kind "investments") or project
 * ("projects") id: 1 found, 0 none, -1 error. */
int store_pipeline_by_link(Store *s, Arena *a, const char *kind, long long id, PipelineRec *out);

/* A registry record a pipeline row may link: an investment (name: the
 * investee, extra: the fund, amount) or a project (extra: its base). */
typedef struct LinkRec {
	long long id, base_id;
	const char *name, *on, *area, *extra, *review_status;
	double amount;
} LinkRec;
int store_link_get(Store *s, Arena *a, const char *kind, long long id, LinkRec *out); /* 1, 0, -1 */
/* Records of kind not yet linked by any pipeline row, dated on or after
 * from, of area (NULL: any), oldest first, at most limit. Count or -1. */
int store_link_candidates(Store *s, Arena *a, const char *kind, const char *area, const char *from, int limit,
                          LinkRec **out);

#endif
