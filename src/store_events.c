/*
 * store_events.c — the SQL of events and the roadshow pipeline (see
 * store_events.h; the tables are schema step 10). Fixed texts, values bound.
 */
#include <string.h>

#include "store_events.h"
#include "store_internal.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

#define EVENT_COLUMNS \
	"e.id, e.kind, e.name, e.organiser, e.area, e.base_id, b.name, e.starts_on, e.ends_on, e.place, e.mode, " \
	"e.participants, e.attendees, e.summary, e.status, e.created_by, e.created_at, e.updated_at"
#define EVENT_NCOLS 18

static void read_event(Arena *a, sqlite3_stmt *st, EventRec *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->kind = col_text(a, st, 1);
	e->name = col_text(a, st, 2);
	e->organiser = col_text(a, st, 3);
	e->area = col_text(a, st, 4);
	e->base_id = sqlite3_column_int64(st, 5);
	e->base_name = col_text(a, st, 6);
	e->starts_on = col_text(a, st, 7);
	e->ends_on = col_text(a, st, 8);
	e->place = col_text(a, st, 9);
	e->mode = col_text(a, st, 10);
	e->participants = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 11);
	e->attendees = col_text(a, st, 12);
	e->summary = col_text(a, st, 13);
	e->status = col_text(a, st, 14);
	e->created_by = col_text(a, st, 15);
	e->created_at = col_text(a, st, 16);
	e->updated_at = col_text(a, st, 17);
}

/* The funnel columns, from column i on (the FUNNEL_SELECT order). */
static void read_funnel(sqlite3_stmt *st, int i, EventFunnel *f)
{
	f->registered = sqlite3_column_int64(st, i);
	f->presented = sqlite3_column_int64(st, i + 1);
	f->interest = sqlite3_column_int64(st, i + 2);
	f->diligence = sqlite3_column_int64(st, i + 3);
	f->invested = sqlite3_column_int64(st, i + 4);
	f->settled = sqlite3_column_int64(st, i + 5);
	f->dropped = sqlite3_column_int64(st, i + 6);
	f->converted = sqlite3_column_int64(st, i + 7);
	f->invested_yuan = sqlite3_column_double(st, i + 8);
}

#define FUNNEL_SELECT \
	"count(p.id), count(p.presented_on), count(p.interest_on), count(p.diligence_on), count(p.invested_on), " \
	"count(p.settled_on), count(p.dropped_on), " \
	"coalesce(sum(CASE WHEN p.invested_on IS NOT NULL OR p.settled_on IS NOT NULL THEN 1 ELSE 0 END), 0), " \
	"coalesce(sum(i.amount_yuan), 0)"
#define EVENT_WHERE \
	"(?1 IS NULL OR e.kind = ?1) AND (?2 IS NULL OR e.area = ?2) AND (?3 IS NULL OR e.starts_on >= ?3) " \
	"AND (?4 IS NULL OR e.starts_on <= ?4) AND (?5 = 0 OR e.base_id = ?5)"

static void bind_filter(sqlite3_stmt *st, const EventFilter *f)
{
	bind_text(st, 1, f->kind);
	bind_text(st, 2, f->area);
	bind_text(st, 3, f->from);
	bind_text(st, 4, f->to);
	sqlite3_bind_int64(st, 5, f->base_id);
}

int store_events(Store *s, Arena *a, const EventFilter *f, EventRow **out, long long *total, EventFunnel *sum)
{
	static const char sql[] =
		"SELECT " EVENT_COLUMNS ", " FUNNEL_SELECT " FROM event e LEFT JOIN base b ON b.id = e.base_id "
		"LEFT JOIN event_project p ON p.event_id = e.id LEFT JOIN investment i ON i.id = p.investment_id "
		"WHERE " EVENT_WHERE " GROUP BY e.id ORDER BY e.starts_on DESC, e.id DESC LIMIT ?6 OFFSET ?7";
	static const char sql_sum[] =
		"SELECT count(DISTINCT e.id), " FUNNEL_SELECT " FROM event e "
		"LEFT JOIN event_project p ON p.event_id = e.id LEFT JOIN investment i ON i.id = p.investment_id "
		"WHERE " EVENT_WHERE;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_filter(st, f);
	sqlite3_bind_int(st, 6, f->limit > 0 ? f->limit : 1000);
	sqlite3_bind_int(st, 7, f->offset > 0 ? f->offset : 0);
	int n = 0, cap = 0, rc;
	EventRow *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		EventRow *x = arena_push(a, &v, &n, &cap, sizeof *v);
		read_event(a, st, &x->e);
		read_funnel(st, EVENT_NCOLS, &x->f);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, "list events");
		return -1;
	}
	*out = v;
	if (total || sum) {
		st = store_stmt(s, sql_sum);
		if (!st)
			return -1;
		bind_filter(st, f);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			store_fail(s, "count events");
			return -1;
		}
		if (total)
			*total = sqlite3_column_int64(st, 0);
		if (sum)
			read_funnel(st, 1, sum);
		sqlite3_reset(st);
	}
	return n;
}

int store_events_upcoming(Store *s, Arena *a, const char *from, int limit, EventRec **out)
{
	static const char sql[] = "SELECT " EVENT_COLUMNS " FROM event e LEFT JOIN base b ON b.id = e.base_id "
	                          "WHERE e.status <> 'cancelled' AND coalesce(e.ends_on, e.starts_on) >= ?1 "
	                          "ORDER BY e.starts_on, e.id LIMIT ?2";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, from);
	sqlite3_bind_int(st, 2, limit > 0 ? limit : 200);
	int n = 0, cap = 0, rc;
	EventRec *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_event(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, "list upcoming events");
		return -1;
	}
	*out = v;
	return n;
}

int store_event_get(Store *s, Arena *a, long long id, EventRec *out)
{
	static const char sql[] = "SELECT " EVENT_COLUMNS " FROM event e LEFT JOIN base b ON b.id = e.base_id WHERE e.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_event(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read event");
	}
	sqlite3_reset(st);
	return found;
}

/* Binds e's writable columns as ?2 … ?14. */
static void bind_event(sqlite3_stmt *st, const EventRec *e)
{
	bind_text(st, 2, e->kind);
	bind_text(st, 3, e->name);
	bind_text(st, 4, e->organiser);
	bind_text(st, 5, e->area);
	bind_id_or_null(st, 6, e->base_id);
	bind_text(st, 7, e->starts_on);
	bind_text(st, 8, e->ends_on);
	bind_text(st, 9, e->place);
	bind_text(st, 10, e->mode ? e->mode : "offline");
	if (e->participants >= 0)
		sqlite3_bind_int64(st, 11, e->participants);
	else
		sqlite3_bind_null(st, 11);
	bind_text(st, 12, e->attendees);
	bind_text(st, 13, e->summary);
	bind_text(st, 14, e->status ? e->status : "planned");
}

long long store_event_insert(Store *s, const EventRec *e, const char *by)
{
	static const char sql[] =
		"INSERT INTO event(kind, name, organiser, area, base_id, starts_on, ends_on, place, mode, participants, "
		"attendees, summary, status, created_by, created_at, updated_at) "
		"VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?1, " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, by);
	bind_event(st, e);
	if (store_step_done(s, st, "save event") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_event_update(Store *s, const EventRec *e)
{
	static const char sql[] =
		"UPDATE event SET kind = ?2, name = ?3, organiser = ?4, area = ?5, base_id = ?6, starts_on = ?7, ends_on = ?8, "
		"place = ?9, mode = ?10, participants = ?11, attendees = ?12, summary = ?13, status = ?14, updated_at = " NOW
		" WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, e->id);
	bind_event(st, e);
	return store_step_done(s, st, "update event");
}

int store_events_ready(Store *s)
{
	static const char sql[] = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'event'";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

/* ---- the pipeline ---- */

#define PIPELINE_COLUMNS \
	"p.id, p.event_id, p.investment_id, p.project_id, p.settled_base_id, p.name, p.team, p.field, p.note, " \
	"p.registered_on, p.presented_on, p.interest_on, p.investor, p.diligence_on, p.invested_on, p.settled_on, " \
	"p.dropped_on, p.drop_reason, i.investee, f.name, pr.name, sb.name, e.name, e.kind, i.amount_yuan, " \
	"p.created_by, p.created_at, p.updated_at"
#define PIPELINE_FROM \
	" FROM event_project p JOIN event e ON e.id = p.event_id LEFT JOIN investment i ON i.id = p.investment_id " \
	"LEFT JOIN fund f ON f.id = i.fund_id LEFT JOIN project pr ON pr.id = p.project_id " \
	"LEFT JOIN base sb ON sb.id = p.settled_base_id "

static void read_pipeline(Arena *a, sqlite3_stmt *st, PipelineRec *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->event_id = sqlite3_column_int64(st, 1);
	p->investment_id = sqlite3_column_int64(st, 2);
	p->project_id = sqlite3_column_int64(st, 3);
	p->settled_base_id = sqlite3_column_int64(st, 4);
	p->name = col_text(a, st, 5);
	p->team = col_text(a, st, 6);
	p->field = col_text(a, st, 7);
	p->note = col_text(a, st, 8);
	p->registered_on = col_text(a, st, 9);
	p->presented_on = col_text(a, st, 10);
	p->interest_on = col_text(a, st, 11);
	p->investor = col_text(a, st, 12);
	p->diligence_on = col_text(a, st, 13);
	p->invested_on = col_text(a, st, 14);
	p->settled_on = col_text(a, st, 15);
	p->dropped_on = col_text(a, st, 16);
	p->drop_reason = col_text(a, st, 17);
	p->investee = col_text(a, st, 18);
	p->fund_name = col_text(a, st, 19);
	p->project_name = col_text(a, st, 20);
	p->settled_base_name = col_text(a, st, 21);
	p->event_name = col_text(a, st, 22);
	p->event_kind = col_text(a, st, 23);
	p->amount_yuan = sqlite3_column_double(st, 24);
	p->created_by = col_text(a, st, 25);
	p->created_at = col_text(a, st, 26);
	p->updated_at = col_text(a, st, 27);
}

int store_pipeline(Store *s, Arena *a, long long event_id, PipelineRec **out)
{
	static const char sql[] = "SELECT " PIPELINE_COLUMNS PIPELINE_FROM
	                          "WHERE ?1 = 0 OR p.event_id = ?1 ORDER BY p.registered_on, p.id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, event_id);
	int n = 0, cap = 0, rc;
	PipelineRec *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_pipeline(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, "read pipeline");
		return -1;
	}
	*out = v;
	return n;
}

/* Runs st (bound) for at most one pipeline row: 1, 0, -1. */
static int one_pipeline(Store *s, Arena *a, sqlite3_stmt *st, PipelineRec *out)
{
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_pipeline(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read pipeline row");
	}
	sqlite3_reset(st);
	return found;
}

int store_pipeline_get(Store *s, Arena *a, long long id, PipelineRec *out)
{
	static const char sql[] = "SELECT " PIPELINE_COLUMNS PIPELINE_FROM "WHERE p.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return one_pipeline(s, a, st, out);
}

int store_pipeline_by_link(Store *s, Arena *a, const char *kind, long long id, PipelineRec *out)
{
	static const char sql_inv[] = "SELECT " PIPELINE_COLUMNS PIPELINE_FROM "WHERE p.investment_id = ?1";
	static const char sql_proj[] = "SELECT " PIPELINE_COLUMNS PIPELINE_FROM "WHERE p.project_id = ?1";
	sqlite3_stmt *st = store_stmt(s, strcmp(kind, "investments") ? sql_proj : sql_inv);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return one_pipeline(s, a, st, out);
}

long long store_pipeline_insert(Store *s, const PipelineRec *p, const char *by)
{
	static const char sql[] =
		"INSERT INTO event_project(event_id, name, team, field, note, registered_on, presented_on, created_by, "
		"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, p->event_id);
	bind_text(st, 2, p->name);
	bind_text(st, 3, p->team);
	bind_text(st, 4, p->field);
	bind_text(st, 5, p->note);
	bind_text(st, 6, p->registered_on);
	bind_text(st, 7, p->presented_on);
	bind_text(st, 8, by);
	if (store_step_done(s, st, "save pipeline row") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_pipeline_update(Store *s, const PipelineRec *p)
{
	static const char sql[] =
		"UPDATE event_project SET presented_on = ?2, interest_on = ?3, investor = ?4, diligence_on = ?5, "
		"invested_on = ?6, investment_id = ?7, settled_on = ?8, project_id = ?9, settled_base_id = ?10, "
		"dropped_on = ?11, drop_reason = ?12, note = ?13, updated_at = " NOW " WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, p->id);
	bind_text(st, 2, p->presented_on);
	bind_text(st, 3, p->interest_on);
	bind_text(st, 4, p->investor);
	bind_text(st, 5, p->diligence_on);
	bind_text(st, 6, p->invested_on);
	bind_id_or_null(st, 7, p->investment_id);
	bind_text(st, 8, p->settled_on);
	bind_id_or_null(st, 9, p->project_id);
	bind_id_or_null(st, 10, p->settled_base_id);
	bind_text(st, 11, p->dropped_on);
	bind_text(st, 12, p->drop_reason);
	bind_text(st, 13, p->note);
	return store_step_done(s, st, "update pipeline row");
}

/* ---- the registry records a pipeline row may link ---- */

#define INV_LINK \
	"SELECT i.id, i.base_id, i.investee, i.invested_on, i.area, f.name, i.review_status, i.amount_yuan " \
	"FROM investment i JOIN fund f ON f.id = i.fund_id "
#define PROJ_LINK \
	"SELECT pr.id, pr.base_id, pr.name, pr.arrived_on, pr.area, b.name, pr.review_status, 0 " \
	"FROM project pr LEFT JOIN base b ON b.id = pr.base_id "

static void read_link(Arena *a, sqlite3_stmt *st, LinkRec *l)
{
	l->id = sqlite3_column_int64(st, 0);
	l->base_id = sqlite3_column_int64(st, 1);
	l->name = col_text(a, st, 2);
	l->on = col_text(a, st, 3);
	l->area = col_text(a, st, 4);
	l->extra = col_text(a, st, 5);
	l->review_status = col_text(a, st, 6);
	l->amount = sqlite3_column_double(st, 7);
}

int store_link_get(Store *s, Arena *a, const char *kind, long long id, LinkRec *out)
{
	static const char sql_inv[] = INV_LINK "WHERE i.id = ?1";
	static const char sql_proj[] = PROJ_LINK "WHERE pr.id = ?1";
	sqlite3_stmt *st = store_stmt(s, strcmp(kind, "investments") ? sql_proj : sql_inv);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_link(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read linked record");
	}
	sqlite3_reset(st);
	return found;
}

int store_link_candidates(Store *s, Arena *a, const char *kind, const char *area, const char *from, int limit,
                          LinkRec **out)
{
	static const char sql_inv[] =
		INV_LINK "WHERE i.invested_on >= ?1 AND (?2 IS NULL OR i.area = ?2) "
		"AND NOT EXISTS (SELECT 1 FROM event_project p WHERE p.investment_id = i.id) "
		"ORDER BY i.invested_on, i.id LIMIT ?3";
	static const char sql_proj[] =
		PROJ_LINK "WHERE pr.arrived_on >= ?1 AND (?2 IS NULL OR pr.area = ?2) "
		"AND NOT EXISTS (SELECT 1 FROM event_project p WHERE p.project_id = pr.id) "
		"ORDER BY pr.arrived_on, pr.id LIMIT ?3";
	sqlite3_stmt *st = store_stmt(s, strcmp(kind, "investments") ? sql_proj : sql_inv);
	if (!st)
		return -1;
	bind_text(st, 1, from ? from : "");
	bind_text(st, 2, area);
	sqlite3_bind_int(st, 3, limit);
	int n = 0, cap = 0, rc;
	LinkRec *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_link(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, "list linkable records");
		return -1;
	}
	*out = v;
	return n;
}
