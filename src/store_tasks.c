/*
 * store_tasks.c — the SQL of tasks, milestones, updates, 督办单 and the
 * leadership group's agendas (see store_tasks.h). Fixed statement texts,
 * values bound; the callers own the transactions.
 */
#include "store_internal.h"
#include "store_tasks.h"

#include <string.h>

#define TASK_COLS \
	"t.id, t.code, t.work_item, t.title, t.detail, t.lead, t.start_on, t.due_on, t.status, t.indicator, " \
	"t.record_kind, t.target, t.source, t.source_ref, t.done_on, t.created_by, t.created_at, t.updated_at"

static void read_task(Arena *a, sqlite3_stmt *st, TaskRec *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->code = col_text(a, st, 1);
	t->work_item = col_text(a, st, 2);
	t->title = col_text(a, st, 3);
	t->detail = col_text(a, st, 4);
	t->lead = col_text(a, st, 5);
	t->start_on = col_text(a, st, 6);
	t->due_on = col_text(a, st, 7);
	t->status = col_text(a, st, 8);
	t->indicator = col_text(a, st, 9);
	t->record_kind = col_text(a, st, 10);
	t->has_target = sqlite3_column_type(st, 11) != SQLITE_NULL;
	t->target = sqlite3_column_double(st, 11);
	t->source = col_text(a, st, 12);
	t->source_ref = col_text(a, st, 13);
	t->done_on = col_text(a, st, 14);
	t->created_by = col_text(a, st, 15);
	t->created_at = col_text(a, st, 16);
	t->updated_at = col_text(a, st, 17);
}

long long store_task_insert(Store *s, const TaskRec *t, const char *now)
{
	static const char sql[] =
		"INSERT INTO task(code, work_item, title, detail, lead, start_on, due_on, status, indicator, record_kind, "
		"target, source, source_ref, done_on, created_by, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, 'open'), ?9, ?10, ?11, coalesce(?12, 'office'), ?13, ?14, "
		"?15, ?16, ?16)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, t->code);
	bind_text(st, 2, t->work_item);
	bind_text(st, 3, t->title);
	bind_text(st, 4, t->detail);
	bind_text(st, 5, t->lead);
	bind_text(st, 6, t->start_on);
	bind_text(st, 7, t->due_on);
	bind_text(st, 8, t->status);
	bind_text(st, 9, t->indicator);
	bind_text(st, 10, t->record_kind);
	if (t->has_target)
		sqlite3_bind_double(st, 11, t->target);
	bind_text(st, 12, t->source);
	bind_text(st, 13, t->source_ref);
	bind_text(st, 14, t->done_on);
	bind_text(st, 15, t->created_by ? t->created_by : "system");
	bind_text(st, 16, now);
	if (store_step_done(s, st, "save task") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_task_unit_add(Store *s, long long task_id, const char *unit, int lead, int ord)
{
	static const char sql[] = "INSERT INTO task_unit(task_id, unit, lead, ord) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, task_id);
	bind_text(st, 2, unit);
	sqlite3_bind_int(st, 3, lead);
	sqlite3_bind_int(st, 4, ord);
	return store_step_done(s, st, "save task unit");
}

int store_task_update(Store *s, const TaskRec *t, const char *now)
{
	static const char sql[] =
		"UPDATE task SET status = ?2, done_on = ?3, due_on = ?4, title = ?5, detail = ?6, updated_at = ?7 "
		"WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, t->id);
	bind_text(st, 2, t->status);
	bind_text(st, 3, t->done_on);
	bind_text(st, 4, t->due_on);
	bind_text(st, 5, t->title);
	bind_text(st, 6, t->detail);
	bind_text(st, 7, now);
	return store_step_done(s, st, "update task");
}

/* The units of task t, lead first. */
static int read_units(Store *s, Arena *a, TaskRec *t)
{
	static const char sql[] = "SELECT unit, lead FROM task_unit WHERE task_id = ?1 ORDER BY lead DESC, ord, unit";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, t->id);
	int cap = 8, rc;
	t->units = arena_alloc(a, sizeof *t->units * (size_t)cap);
	t->unit_lead = arena_alloc(a, sizeof *t->unit_lead * (size_t)cap);
	t->nunits = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->nunits == cap) {
			const char **u = arena_alloc(a, sizeof *u * (size_t)cap * 2);
			int *l = arena_alloc(a, sizeof *l * (size_t)cap * 2);
			memcpy(u, t->units, sizeof *u * (size_t)cap);
			memcpy(l, t->unit_lead, sizeof *l * (size_t)cap);
			t->units = u;
			t->unit_lead = l;
			cap *= 2;
		}
		t->units[t->nunits] = col_text(a, st, 0);
		t->unit_lead[t->nunits++] = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? H_OK : store_fail(s, "read task units");
}

int store_task_get(Store *s, Arena *a, long long id, TaskRec *out)
{
	static const char sql[] = "SELECT " TASK_COLS " FROM task t WHERE t.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_task(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read task");
	}
	sqlite3_reset(st);
	if (found == 1 && read_units(s, a, out) != H_OK)
		return -1;
	return found;
}

long long store_task_by_code(Store *s, const char *code)
{
	static const char sql[] = "SELECT id FROM task WHERE code = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
	if (id < 0)
		store_fail(s, "read task");
	sqlite3_reset(st);
	return id;
}

int store_tasks(Store *s, Arena *a, const TaskFilter *f, TaskRec **out)
{
	static const char sql[] =
		"SELECT " TASK_COLS ", "
		"  (SELECT v.id FROM supervision v WHERE v.task_id = t.id AND v.status IN ('issued', 'signed', 'answered') "
		"    ORDER BY v.due_on, v.id LIMIT 1), "
		"  (SELECT v.due_on FROM supervision v WHERE v.task_id = t.id AND v.status IN ('issued', 'signed', 'answered') "
		"    ORDER BY v.due_on, v.id LIMIT 1), "
		"  (SELECT v.status FROM supervision v WHERE v.task_id = t.id AND v.status IN ('issued', 'signed', 'answered') "
		"    ORDER BY v.due_on, v.id LIMIT 1), "
		"  (SELECT v.unit FROM supervision v WHERE v.task_id = t.id AND v.status IN ('issued', 'signed', 'answered') "
		"    ORDER BY v.due_on, v.id LIMIT 1), "
		"  (SELECT max(u.at) FROM task_update u WHERE u.task_id = t.id) "
		"FROM task t "
		"WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM task_unit tu WHERE tu.task_id = t.id "
		"        AND (tu.unit = ?1 OR (?2 AND tu.unit = '@areas')) AND (NOT ?3 OR tu.lead))) "
		"  AND (?4 IS NULL OR t.status = ?4) AND (?5 IS NULL OR t.source = ?5) "
		"  AND (?6 IS NULL OR instr(t.title, ?6) > 0) AND (?7 IS NULL OR t.source_ref = ?7) "
		"ORDER BY t.due_on IS NULL, t.due_on, t.code IS NULL, t.code, t.id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, f ? f->unit : NULL);
	sqlite3_bind_int(st, 2, f ? f->unit_is_area : 0);
	sqlite3_bind_int(st, 3, f ? f->lead_only : 0);
	bind_text(st, 4, f ? f->status : NULL);
	bind_text(st, 5, f ? f->source : NULL);
	bind_text(st, 6, f && f->q && *f->q ? f->q : NULL);
	bind_text(st, 7, f ? f->source_ref : NULL);
	int n = 0, cap = 32, rc;
	TaskRec *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			TaskRec *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		TaskRec *t = &v[n++];
		read_task(a, st, t);
		t->open_sup_id = sqlite3_column_int64(st, 18);
		t->open_sup_due = col_text(a, st, 19);
		t->open_sup_status = col_text(a, st, 20);
		t->open_sup_unit = col_text(a, st, 21);
		t->last_update_at = col_text(a, st, 22);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list tasks"), -1;
	for (int i = 0; i < n; i++)
		if (read_units(s, a, &v[i]) != H_OK)
			return -1;
	*out = v;
	return n;
}

int store_task_role(Store *s, long long task_id, const char *unit, int unit_is_area)
{
	static const char sql[] =
		"SELECT (SELECT 1 FROM task WHERE id = ?1), "
		"  (SELECT max(CASE WHEN lead THEN 2 ELSE 1 END) FROM task_unit "
		"    WHERE task_id = ?1 AND (unit = ?2 OR (?3 AND unit = '@areas')))";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, task_id);
	bind_text(st, 2, unit ? unit : "");
	sqlite3_bind_int(st, 3, unit_is_area);
	int rc = sqlite3_step(st), role = -1;
	if (rc == SQLITE_ROW)
		role = sqlite3_column_type(st, 0) == SQLITE_NULL ? -2 : col_int_or(st, 1, 0);
	else
		store_fail(s, "read task units");
	sqlite3_reset(st);
	return role;
}

/* ---- milestones ---- */

long long store_milestone_insert(Store *s, long long task_id, const char *title, const char *due_on)
{
	static const char sql[] = "INSERT INTO task_milestone(task_id, title, due_on) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, task_id);
	bind_text(st, 2, title);
	bind_text(st, 3, due_on);
	if (store_step_done(s, st, "save milestone") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

static void read_milestone(Arena *a, sqlite3_stmt *st, Milestone *m)
{
	m->id = sqlite3_column_int64(st, 0);
	m->task_id = sqlite3_column_int64(st, 1);
	m->title = col_text(a, st, 2);
	m->due_on = col_text(a, st, 3);
	m->done_on = col_text(a, st, 4);
	m->done_by = col_text(a, st, 5);
}

int store_milestones(Store *s, Arena *a, long long task_id, Milestone **out)
{
	static const char sql[] = "SELECT id, task_id, title, due_on, done_on, done_by FROM task_milestone "
	                          "WHERE task_id = ?1 ORDER BY due_on, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, task_id);
	int n = 0, cap = 8, rc;
	Milestone *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			Milestone *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		read_milestone(a, st, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list milestones"), -1;
	*out = v;
	return n;
}

int store_milestone_get(Store *s, Arena *a, long long id, Milestone *out)
{
	static const char sql[] = "SELECT id, task_id, title, due_on, done_on, done_by FROM task_milestone WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_milestone(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read milestone");
	}
	sqlite3_reset(st);
	return found;
}

int store_milestone_done(Store *s, long long id, const char *done_on, const char *by)
{
	static const char sql[] = "UPDATE task_milestone SET done_on = ?2, done_by = ?3 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, done_on);
	bind_text(st, 3, by);
	return store_step_done(s, st, "update milestone");
}

/* ---- updates ---- */

long long store_task_update_insert(Store *s, const TaskUpdate *u)
{
	static const char sql[] =
		"INSERT INTO task_update(task_id, unit, text, percent, by_user, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, u->task_id);
	bind_text(st, 2, u->unit);
	bind_text(st, 3, u->text);
	if (u->percent >= 0)
		sqlite3_bind_int(st, 4, u->percent);
	bind_text(st, 5, u->by_user);
	bind_text(st, 6, u->at);
	if (store_step_done(s, st, "save task update") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_task_updates(Store *s, Arena *a, long long task_id, TaskUpdate **out)
{
	static const char sql[] = "SELECT id, task_id, unit, text, percent, by_user, at FROM task_update "
	                          "WHERE task_id = ?1 ORDER BY at DESC, id DESC LIMIT 200";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, task_id);
	int n = 0, cap = 8, rc;
	TaskUpdate *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			TaskUpdate *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		TaskUpdate *u = &v[n++];
		u->id = sqlite3_column_int64(st, 0);
		u->task_id = sqlite3_column_int64(st, 1);
		u->unit = col_text(a, st, 2);
		u->text = col_text(a, st, 3);
		u->percent = col_int_or(st, 4, -1);
		u->by_user = col_text(a, st, 5);
		u->at = col_text(a, st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list task updates"), -1;
	*out = v;
	return n;
}

/* ---- 督办单 ---- */

#define SUP_COLS \
	"v.id, v.task_id, v.previous_id, v.round, v.unit, v.demand, v.due_on, v.status, v.issued_by, v.issued_at, " \
	"v.signed_by, v.signed_at, v.answer, v.answered_by, v.answered_at, v.verdict, v.verdict_by, v.verdict_at, t.title"

static void read_sup(Arena *a, sqlite3_stmt *st, Supervision *v)
{
	v->id = sqlite3_column_int64(st, 0);
	v->task_id = sqlite3_column_int64(st, 1);
	v->previous_id = sqlite3_column_int64(st, 2);
	v->round = sqlite3_column_int(st, 3);
	v->unit = col_text(a, st, 4);
	v->demand = col_text(a, st, 5);
	v->due_on = col_text(a, st, 6);
	v->status = col_text(a, st, 7);
	v->issued_by = col_text(a, st, 8);
	v->issued_at = col_text(a, st, 9);
	v->signed_by = col_text(a, st, 10);
	v->signed_at = col_text(a, st, 11);
	v->answer = col_text(a, st, 12);
	v->answered_by = col_text(a, st, 13);
	v->answered_at = col_text(a, st, 14);
	v->verdict = col_text(a, st, 15);
	v->verdict_by = col_text(a, st, 16);
	v->verdict_at = col_text(a, st, 17);
	v->task_title = col_text(a, st, 18);
}

long long store_supervision_insert(Store *s, const Supervision *v)
{
	static const char sql[] =
		"INSERT INTO supervision(task_id, previous_id, round, unit, demand, due_on, status, issued_by, issued_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 'issued'), ?8, ?9)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, v->task_id);
	bind_id_or_null(st, 2, v->previous_id);
	sqlite3_bind_int(st, 3, v->round > 0 ? v->round : 1);
	bind_text(st, 4, v->unit);
	bind_text(st, 5, v->demand);
	bind_text(st, 6, v->due_on);
	bind_text(st, 7, v->status);
	bind_text(st, 8, v->issued_by);
	bind_text(st, 9, v->issued_at);
	if (store_step_done(s, st, "save supervision") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_supervision_update(Store *s, const Supervision *v)
{
	static const char sql[] =
		"UPDATE supervision SET status = ?2, signed_by = ?3, signed_at = ?4, answer = ?5, answered_by = ?6, "
		"answered_at = ?7, verdict = ?8, verdict_by = ?9, verdict_at = ?10 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, v->id);
	bind_text(st, 2, v->status);
	bind_text(st, 3, v->signed_by);
	bind_text(st, 4, v->signed_at);
	bind_text(st, 5, v->answer);
	bind_text(st, 6, v->answered_by);
	bind_text(st, 7, v->answered_at);
	bind_text(st, 8, v->verdict);
	bind_text(st, 9, v->verdict_by);
	bind_text(st, 10, v->verdict_at);
	return store_step_done(s, st, "update supervision");
}

int store_supervision_get(Store *s, Arena *a, long long id, Supervision *out)
{
	static const char sql[] = "SELECT " SUP_COLS " FROM supervision v JOIN task t ON t.id = v.task_id WHERE v.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_sup(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read supervision");
	}
	sqlite3_reset(st);
	return found;
}

int store_supervisions(Store *s, Arena *a, long long task_id, const char *unit, const char *statuses,
                       Supervision **out)
{
	static const char by_task[] = "SELECT " SUP_COLS " FROM supervision v JOIN task t ON t.id = v.task_id "
	                              "WHERE v.task_id = ?1 ORDER BY v.round, v.id";
	static const char by_unit[] =
		"SELECT " SUP_COLS " FROM supervision v JOIN task t ON t.id = v.task_id "
		"WHERE (?1 IS NULL OR v.unit = ?1) AND (?2 IS NULL OR instr(',' || ?2 || ',', ',' || v.status || ',') > 0) "
		"ORDER BY v.due_on, v.id LIMIT 500";
	sqlite3_stmt *st = store_stmt(s, task_id > 0 ? by_task : by_unit);
	if (!st)
		return -1;
	if (task_id > 0) {
		sqlite3_bind_int64(st, 1, task_id);
	} else {
		bind_text(st, 1, unit);
		bind_text(st, 2, statuses);
	}
	int n = 0, cap = 8, rc;
	Supervision *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			Supervision *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		read_sup(a, st, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list supervisions"), -1;
	*out = v;
	return n;
}

/* ---- agendas ---- */

long long store_agenda_insert(Store *s, const AgendaRec *g)
{
	static const char sql[] =
		"INSERT INTO agenda(title, meeting_on, status, created_by, created_at) VALUES (?1, ?2, 'draft', ?3, ?4)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, g->title);
	bind_text(st, 2, g->meeting_on);
	bind_text(st, 3, g->created_by);
	bind_text(st, 4, g->created_at);
	if (store_step_done(s, st, "save agenda") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_agenda_held(Store *s, long long id, const char *by, const char *at)
{
	static const char sql[] = "UPDATE agenda SET status = 'held', held_by = ?2, held_at = ?3 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, by);
	bind_text(st, 3, at);
	return store_step_done(s, st, "update agenda");
}

#define AGENDA_COLS "id, title, meeting_on, status, created_by, created_at, held_by, held_at"

static void read_agenda(Arena *a, sqlite3_stmt *st, AgendaRec *g)
{
	g->id = sqlite3_column_int64(st, 0);
	g->title = col_text(a, st, 1);
	g->meeting_on = col_text(a, st, 2);
	g->status = col_text(a, st, 3);
	g->created_by = col_text(a, st, 4);
	g->created_at = col_text(a, st, 5);
	g->held_by = col_text(a, st, 6);
	g->held_at = col_text(a, st, 7);
}

int store_agenda_get(Store *s, Arena *a, long long id, AgendaRec *out)
{
	static const char sql[] = "SELECT " AGENDA_COLS " FROM agenda WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_agenda(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read agenda");
	}
	sqlite3_reset(st);
	return found;
}

int store_agendas(Store *s, Arena *a, AgendaRec **out)
{
	static const char sql[] = "SELECT " AGENDA_COLS " FROM agenda ORDER BY id DESC LIMIT 200";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 8, rc;
	AgendaRec *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			AgendaRec *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		read_agenda(a, st, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list agendas"), -1;
	*out = v;
	return n;
}

long long store_agenda_item_insert(Store *s, const AgendaItem *i)
{
	static const char sql[] =
		"INSERT INTO agenda_item(agenda_id, ord, kind, ref, title, figures) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, i->agenda_id);
	sqlite3_bind_int(st, 2, i->ord);
	bind_text(st, 3, i->kind);
	bind_text(st, 4, i->ref);
	bind_text(st, 5, i->title);
	bind_text(st, 6, i->figures);
	if (store_step_done(s, st, "save agenda item") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_agenda_items(Store *s, Arena *a, long long agenda_id, AgendaItem **out)
{
	static const char sql[] = "SELECT id, agenda_id, ord, kind, ref, title, figures FROM agenda_item "
	                          "WHERE agenda_id = ?1 ORDER BY ord, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, agenda_id);
	int n = 0, cap = 16, rc;
	AgendaItem *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			AgendaItem *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		AgendaItem *i = &v[n++];
		i->id = sqlite3_column_int64(st, 0);
		i->agenda_id = sqlite3_column_int64(st, 1);
		i->ord = sqlite3_column_int(st, 2);
		i->kind = col_text(a, st, 3);
		i->ref = col_text(a, st, 4);
		i->title = col_text(a, st, 5);
		i->figures = col_text(a, st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list agenda items"), -1;
	*out = v;
	return n;
}

long long store_agenda_decision_insert(Store *s, const AgendaDecision *d)
{
	static const char sql[] = "INSERT INTO agenda_decision(agenda_id, item_id, text, task_id, created_by, created_at) "
	                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, d->agenda_id);
	bind_id_or_null(st, 2, d->item_id);
	bind_text(st, 3, d->text);
	bind_id_or_null(st, 4, d->task_id);
	bind_text(st, 5, d->created_by);
	bind_text(st, 6, d->created_at);
	if (store_step_done(s, st, "save decision") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_agenda_decisions(Store *s, Arena *a, long long agenda_id, AgendaDecision **out)
{
	static const char sql[] = "SELECT id, agenda_id, item_id, task_id, text, created_by, created_at "
	                          "FROM agenda_decision WHERE agenda_id = ?1 ORDER BY id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, agenda_id);
	int n = 0, cap = 8, rc;
	AgendaDecision *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			AgendaDecision *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		AgendaDecision *d = &v[n++];
		d->id = sqlite3_column_int64(st, 0);
		d->agenda_id = sqlite3_column_int64(st, 1);
		d->item_id = sqlite3_column_int64(st, 2);
		d->task_id = sqlite3_column_int64(st, 3);
		d->text = col_text(a, st, 4);
		d->created_by = col_text(a, st, 5);
		d->created_at = col_text(a, st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list decisions"), -1;
	*out = v;
	return n;
}

int store_help_requests(Store *s, Arena *a, const char *form, const char *field, HelpRequest **out)
{
	static const char sql[] =
		"SELECT r.org, r.period, v.text, r.status FROM report r JOIN report_value v ON v.report_id = r.id "
		"WHERE r.form = ?1 AND v.field = ?2 AND trim(coalesce(v.text, '')) <> '' "
		"  AND r.status IN ('submitted', 'approved', 'accepted') "
		"  AND r.period = (SELECT max(r2.period) FROM report r2 JOIN report_value v2 ON v2.report_id = r2.id "
		"                  WHERE r2.form = ?1 AND r2.org = r.org AND v2.field = ?2 AND trim(coalesce(v2.text, '')) <> '' "
		"                    AND r2.status IN ('submitted', 'approved', 'accepted')) "
		"ORDER BY r.org LIMIT 100";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, form);
	bind_text(st, 2, field);
	int n = 0, cap = 8, rc;
	HelpRequest *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			HelpRequest *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		HelpRequest *h = &v[n++];
		h->org = col_text(a, st, 0);
		h->period = col_text(a, st, 1);
		h->text = col_text(a, st, 2);
		h->status = col_text(a, st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "read help requests"), -1;
	*out = v;
	return n;
}

long long store_task_record_count(Store *s, const char *kind, const char *from, const char *to)
{
	static const char sql[] =
		"SELECT CASE ?1 "
		" WHEN 'bases' THEN (SELECT count(*) FROM base WHERE review_status = 'approved' AND opened_on BETWEEN ?2 AND ?3) "
		" WHEN 'operators' THEN (SELECT count(*) FROM operator WHERE review_status = 'approved' "
		"                        AND introduced_on BETWEEN ?2 AND ?3) "
		" WHEN 'funds' THEN (SELECT count(*) FROM fund WHERE review_status = 'approved' AND established_on BETWEEN ?2 AND ?3) "
		" WHEN 'investments' THEN (SELECT count(*) FROM investment WHERE review_status = 'approved' "
		"                          AND invested_on BETWEEN ?2 AND ?3) "
		" WHEN 'projects' THEN (SELECT count(*) FROM project WHERE review_status = 'approved' AND arrived_on BETWEEN ?2 AND ?3) "
		" WHEN 'firms' THEN (SELECT count(*) FROM firm WHERE review_status = 'approved' AND entered_on BETWEEN ?2 AND ?3) "
		" END";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, kind);
	bind_text(st, 2, from ? from : "0000-01-01");
	bind_text(st, 3, to ? to : "9999-12-31");
	int rc = sqlite3_step(st);
	long long n = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ? sqlite3_column_int64(st, 0) : -1;
	if (rc != SQLITE_ROW)
		store_fail(s, "count records");
	sqlite3_reset(st);
	return n;
}
