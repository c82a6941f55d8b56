/*
 * store_reports.c — the SQL of periodic reports (see store_reports.h).
 * Fixed statement texts, values bound; the callers own the transactions.
 */
#include "store_internal.h"
#include "store_reports.h"

#include <string.h>

#define REPORT_COLS \
	"id, base_id, form, period, period_end, org, area, status, stage, submitted_by, submitted_at, " \
	"first_submitted_at, approved_by, approved_at, accepted_by, accepted_at, returned_by, returned_at, " \
	"return_reason, unlock_reason, unlock_by, unlock_at, created_by, created_at, updated_at"

static void read_report(Arena *a, sqlite3_stmt *st, ReportRec *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->base_id = sqlite3_column_int64(st, 1);
	r->form = col_text(a, st, 2);
	r->period = col_text(a, st, 3);
	r->period_end = col_text(a, st, 4);
	r->org = col_text(a, st, 5);
	r->area = col_text(a, st, 6);
	r->status = col_text(a, st, 7);
	r->stage = sqlite3_column_int(st, 8);
	r->submitted_by = col_text(a, st, 9);
	r->submitted_at = col_text(a, st, 10);
	r->first_submitted_at = col_text(a, st, 11);
	r->approved_by = col_text(a, st, 12);
	r->approved_at = col_text(a, st, 13);
	r->accepted_by = col_text(a, st, 14);
	r->accepted_at = col_text(a, st, 15);
	r->returned_by = col_text(a, st, 16);
	r->returned_at = col_text(a, st, 17);
	r->return_reason = col_text(a, st, 18);
	r->unlock_reason = col_text(a, st, 19);
	r->unlock_by = col_text(a, st, 20);
	r->unlock_at = col_text(a, st, 21);
	r->created_by = col_text(a, st, 22);
	r->created_at = col_text(a, st, 23);
	r->updated_at = col_text(a, st, 24);
}

/* Steps a one-row query into *out: 1, 0 or -1. */
static int one_report(Store *s, Arena *a, sqlite3_stmt *st, ReportRec *out)
{
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_report(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read report");
	}
	sqlite3_reset(st);
	return found;
}

int store_report_get(Store *s, Arena *a, const char *form, const char *period, const char *org, ReportRec *out)
{
	static const char sql[] = "SELECT " REPORT_COLS " FROM report WHERE form = ?1 AND period = ?2 AND org = ?3";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, form);
	bind_text(st, 2, period);
	bind_text(st, 3, org);
	return one_report(s, a, st, out);
}

int store_report_by_id(Store *s, Arena *a, long long id, ReportRec *out)
{
	static const char sql[] = "SELECT " REPORT_COLS " FROM report WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return one_report(s, a, st, out);
}

/* Binds the workflow columns ?3.. in the order of the UPDATE below. */
static void bind_flow(sqlite3_stmt *st, const ReportRec *r)
{
	bind_text(st, 3, r->status);
	sqlite3_bind_int(st, 4, r->stage);
	bind_text(st, 5, r->submitted_by);
	bind_text(st, 6, r->submitted_at);
	bind_text(st, 7, r->first_submitted_at);
	bind_text(st, 8, r->approved_by);
	bind_text(st, 9, r->approved_at);
	bind_text(st, 10, r->accepted_by);
	bind_text(st, 11, r->accepted_at);
	bind_text(st, 12, r->returned_by);
	bind_text(st, 13, r->returned_at);
	bind_text(st, 14, r->return_reason);
	bind_text(st, 15, r->unlock_reason);
	bind_text(st, 16, r->unlock_by);
	bind_text(st, 17, r->unlock_at);
}

long long store_report_insert(Store *s, const ReportRec *r, const char *now)
{
	static const char sql[] =
		"INSERT INTO report(id, updated_at, status, stage, submitted_by, submitted_at, first_submitted_at, "
		"approved_by, approved_at, accepted_by, accepted_at, returned_by, returned_at, return_reason, "
		"unlock_reason, unlock_by, unlock_at, form, period, period_end, org, area, base_id, created_by, created_at) "
		"VALUES (NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
		"?18, ?19, ?20, ?21, ?22, ?23, ?24, ?2)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 2, now);
	bind_flow(st, r);
	bind_text(st, 18, r->form);
	bind_text(st, 19, r->period);
	bind_text(st, 20, r->period_end);
	bind_text(st, 21, r->org);
	bind_text(st, 22, r->area);
	bind_id_or_null(st, 23, r->base_id);
	bind_text(st, 24, r->created_by);
	if (store_step_done(s, st, "save report") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_report_update(Store *s, const ReportRec *r, const char *now)
{
	static const char sql[] =
		"UPDATE report SET updated_at = ?2, status = ?3, stage = ?4, submitted_by = ?5, submitted_at = ?6, "
		"first_submitted_at = ?7, approved_by = ?8, approved_at = ?9, accepted_by = ?10, accepted_at = ?11, "
		"returned_by = ?12, returned_at = ?13, return_reason = ?14, unlock_reason = ?15, unlock_by = ?16, "
		"unlock_at = ?17 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, r->id);
	bind_text(st, 2, now);
	bind_flow(st, r);
	return store_step_done(s, st, "update report");
}

/* Collects the rows of a report query. */
static int many_reports(Store *s, Arena *a, sqlite3_stmt *st, ReportRec **out)
{
	int n = 0, cap = 0, rc;
	ReportRec *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_report(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list reports");
	*out = v;
	return n;
}

int store_reports_of_period(Store *s, Arena *a, const char *form, const char *period, const char *area, ReportRec **out)
{
	static const char sql[] =
		"SELECT " REPORT_COLS " FROM report WHERE form = ?1 AND period = ?2 "
		"AND (?3 IS NULL OR area IN (SELECT area FROM area_ancestor WHERE ancestor = ?3)) ORDER BY org";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, form);
	bind_text(st, 2, period);
	bind_text(st, 3, area);
	return many_reports(s, a, st, out);
}

int store_reports_find(Store *s, Arena *a, const char *area, const char *org, const char *statuses, int limit,
                       ReportRec **out)
{
	static const char sql[] =
		"SELECT " REPORT_COLS " FROM report WHERE (?1 IS NULL OR area = ?1) AND (?2 IS NULL OR org = ?2) "
		"AND instr(',' || ?3 || ',', ',' || status || ',') > 0 ORDER BY updated_at DESC, id DESC LIMIT ?4";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, area);
	bind_text(st, 2, org);
	bind_text(st, 3, statuses);
	sqlite3_bind_int(st, 4, limit);
	return many_reports(s, a, st, out);
}

int store_report_values_clear(Store *s, long long id)
{
	static const char v[] = "DELETE FROM report_value WHERE report_id = ?1";
	static const char r[] = "DELETE FROM report_row WHERE report_id = ?1";
	sqlite3_stmt *st = store_stmt(s, v);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	if (store_step_done(s, st, "clear report values") != H_OK || !(st = store_stmt(s, r)))
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "clear report rows");
}

int store_report_value_put(Store *s, long long id, const char *field, const char *text, int has_num, double num,
                           const char *note)
{
	static const char sql[] = "INSERT INTO report_value(report_id, field, num, text, note) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, field);
	if (has_num)
		sqlite3_bind_double(st, 3, num);
	bind_text(st, 4, text);
	bind_text(st, 5, note);
	return store_step_done(s, st, "save report value");
}

int store_report_row_put(Store *s, long long id, const char *list, int row_no, const char *data)
{
	static const char sql[] = "INSERT INTO report_row(report_id, list, row_no, data) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, list);
	sqlite3_bind_int(st, 3, row_no);
	bind_text(st, 4, data);
	return store_step_done(s, st, "save report row");
}

int store_report_values(Store *s, Arena *a, long long id, ReportValueRow **out)
{
	static const char sql[] = "SELECT field, text, note, num FROM report_value WHERE report_id = ?1 ORDER BY field";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int n = 0, cap = 0, rc;
	ReportValueRow *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportValueRow *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->field = col_text(a, st, 0);
		x->text = col_text(a, st, 1);
		x->note = col_text(a, st, 2);
		x->has_num = sqlite3_column_type(st, 3) != SQLITE_NULL;
		x->num = sqlite3_column_double(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "read report values");
	*out = v;
	return n;
}

int store_report_rows(Store *s, Arena *a, long long id, ReportRowRec **out)
{
	static const char sql[] = "SELECT list, row_no, data FROM report_row WHERE report_id = ?1 ORDER BY list, row_no";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int n = 0, cap = 0, rc;
	ReportRowRec *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReportRowRec *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->list = col_text(a, st, 0);
		x->row_no = sqlite3_column_int(st, 1);
		x->data = col_text(a, st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "read report rows");
	*out = v;
	return n;
}

int store_report_history_since(Store *s, Arena *a, const char *form, const char *org, const char *field,
                               const char *from, const char *before, int limit, double **out)
{
	static const char sql[] =
		"SELECT v.num FROM report r JOIN report_value v ON v.report_id = r.id AND v.field = ?3 "
		"WHERE r.org = ?2 AND r.form = ?1 AND r.period < ?4 AND (?6 IS NULL OR r.period >= ?6) "
		"AND r.status IN ('submitted', 'approved', 'accepted') "
		"AND v.num IS NOT NULL ORDER BY r.period DESC LIMIT ?5";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, form);
	bind_text(st, 2, org);
	bind_text(st, 3, field);
	bind_text(st, 4, before);
	sqlite3_bind_int(st, 5, limit);
	bind_text(st, 6, from);
	double *v = arena_alloc(a, sizeof *v * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit)
		v[n++] = sqlite3_column_double(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, "read report history");
	*out = v;
	return n;
}

int store_report_history(Store *s, Arena *a, const char *form, const char *org, const char *field,
                         const char *before, int limit, double **out)
{
	return store_report_history_since(s, a, form, org, field, NULL, before, limit, out);
}

int store_report_figures_delete(Store *s, long long report_id)
{
	static const char sql[] = "DELETE FROM report_figure WHERE report_id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, report_id);
	return store_step_done(s, st, "remove reported figures");
}

int store_report_figure_add(Store *s, long long report_id, const char *area, long long base_id, const char *period,
                            const char *period_end, const char *field, double value, const char *by)
{
	static const char sql[] =
		"INSERT INTO report_figure(area, base_id, period, period_end, field, value, review_status, created_by, "
		"created_at, updated_at, report_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'approved', ?7, "
		"strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?8)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, area);
	bind_id_or_null(st, 2, base_id);
	bind_text(st, 3, period);
	bind_text(st, 4, period_end);
	bind_text(st, 5, field);
	sqlite3_bind_double(st, 6, value);
	bind_text(st, 7, by);
	sqlite3_bind_int64(st, 8, report_id);
	return store_step_done(s, st, "save reported figure");
}

double store_report_field_sum(Store *s, const char *form, const char *field, const char *area, const char *from,
                              const char *to, int *ok)
{
	static const char sql[] =
		"SELECT coalesce(sum(v.num), 0) FROM report r JOIN report_value v ON v.report_id = r.id AND v.field = ?2 "
		"WHERE r.form = ?1 AND r.status = 'accepted' AND r.period_end BETWEEN ?4 AND ?5 "
		"AND (?3 IS NULL OR r.area IN (SELECT area FROM area_ancestor WHERE ancestor = ?3))";
	*ok = 0;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, form);
	bind_text(st, 2, field);
	bind_text(st, 3, area);
	bind_text(st, 4, from);
	bind_text(st, 5, to);
	double v = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_double(st, 0);
		*ok = 1;
	} else {
		store_fail(s, "sum a reported field");
	}
	sqlite3_reset(st);
	return v;
}

static void read_base(Arena *a, sqlite3_stmt *st, ReportBase *b)
{
	b->id = sqlite3_column_int64(st, 0);
	b->name = col_text(a, st, 1);
	b->kind = col_text(a, st, 2);
	b->area = col_text(a, st, 3);
	b->opened_on = col_text(a, st, 4);
	b->status = col_text(a, st, 5);
	b->closed_on = sqlite3_column_count(st) > 6 ? col_text(a, st, 6) : NULL;
}

int store_report_bases(Store *s, Arena *a, const char *by, ReportBase **out)
{
	static const char sql[] =
		"SELECT id, name, kind, area, opened_on, status, "
		"CASE WHEN status = 'closed' THEN (SELECT substr(max(at), 1, 10) FROM audit WHERE record_kind = 'bases' "
		"AND record_id = CAST(base.id AS TEXT) AND json_valid(after_json) AND json_extract(after_json, '$.status') = 'closed' "
		"AND (before_json IS NULL OR NOT json_valid(before_json) OR json_extract(before_json, '$.status') IS NOT 'closed')) END "
		"FROM base WHERE review_status = 'approved' "
		"AND status NOT IN ('planned', 'building') AND (opened_on IS NULL OR opened_on <= ?1) ORDER BY area, name, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, by);
	int n = 0, cap = 0, rc;
	ReportBase *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_base(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list reporting bases");
	*out = v;
	return n;
}

int store_report_base(Store *s, Arena *a, long long id, ReportBase *out)
{
	static const char sql[] = "SELECT id, name, kind, area, opened_on, status FROM base WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_base(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read base");
	}
	sqlite3_reset(st);
	return found;
}

long long store_report_exception_add(Store *s, const char *form, const char *period, const char *org,
                                     const char *until, const char *reason, const char *by, const char *now)
{
	static const char sql[] = "INSERT INTO report_exception(form, period, org, until, reason, granted_by, granted_at) "
	                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, form);
	bind_text(st, 2, period);
	bind_text(st, 3, org);
	bind_text(st, 4, until);
	bind_text(st, 5, reason);
	bind_text(st, 6, by);
	bind_text(st, 7, now);
	if (store_step_done(s, st, "grant exception") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

const char *store_report_exception_until(Store *s, Arena *a, const char *form, const char *period, const char *org)
{
	static const char sql[] = "SELECT max(until) FROM report_exception WHERE form = ?1 AND period = ?2 AND org = ?3";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return NULL;
	bind_text(st, 1, form);
	bind_text(st, 2, period);
	bind_text(st, 3, org);
	const char *v = sqlite3_step(st) == SQLITE_ROW ? col_text(a, st, 0) : NULL;
	sqlite3_reset(st);
	return v;
}

long long store_report_reminder_add(Store *s, const ReminderRec *r)
{
	static const char sql[] = "INSERT INTO report_reminder(form, period, org, area, text, sent_by, sent_at) "
	                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, r->form);
	bind_text(st, 2, r->period);
	bind_text(st, 3, r->org);
	bind_text(st, 4, r->area);
	bind_text(st, 5, r->text);
	bind_text(st, 6, r->sent_by);
	bind_text(st, 7, r->sent_at);
	if (store_step_done(s, st, "save reminder") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_report_reminders(Store *s, Arena *a, const char *org, const char *form, const char *period, int limit,
                           ReminderRec **out)
{
	static const char sql[] =
		"SELECT id, form, period, org, area, text, sent_by, sent_at FROM report_reminder "
		"WHERE (?1 IS NULL OR org = ?1) AND (?2 IS NULL OR form = ?2) AND (?3 IS NULL OR period = ?3) "
		"ORDER BY sent_at DESC, id DESC LIMIT ?4";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, org);
	bind_text(st, 2, form);
	bind_text(st, 3, period);
	sqlite3_bind_int(st, 4, limit);
	int n = 0, cap = 0, rc;
	ReminderRec *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ReminderRec *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->id = sqlite3_column_int64(st, 0);
		x->form = col_text(a, st, 1);
		x->period = col_text(a, st, 2);
		x->org = col_text(a, st, 3);
		x->area = col_text(a, st, 4);
		x->text = col_text(a, st, 5);
		x->sent_by = col_text(a, st, 6);
		x->sent_at = col_text(a, st, 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "read reminders");
	*out = v;
	return n;
}

long long store_outbox_add(Store *s, const char *key, const char *kind, const char *body, const char *now)
{
	static const char sql[] =
		"INSERT INTO outbox(key, kind, body, next_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, key);
	bind_text(st, 2, kind);
	bind_text(st, 3, body);
	bind_text(st, 4, now);
	if (store_step_done(s, st, "queue message") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_outbox_next(Store *s, Arena *a, const char *now, OutboxRec *out)
{
	static const char sql[] =
		"SELECT id, key, kind, body, status, next_at, last_error, attempts FROM outbox "
		"WHERE status = 'pending' AND next_at <= ?1 ORDER BY next_at, id LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, now);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->key = col_text(a, st, 1);
		out->kind = col_text(a, st, 2);
		out->body = col_text(a, st, 3);
		out->status = col_text(a, st, 4);
		out->next_at = col_text(a, st, 5);
		out->last_error = col_text(a, st, 6);
		out->attempts = sqlite3_column_int(st, 7);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read outbox");
	}
	sqlite3_reset(st);
	return found;
}

int store_outbox_result(Store *s, long long id, const char *status, int attempts, const char *next_at,
                        const char *error, const char *now)
{
	static const char sql[] =
		"UPDATE outbox SET status = ?2, attempts = ?3, next_at = coalesce(?4, next_at), last_error = ?5, "
		"sent_at = CASE WHEN ?2 = 'sent' THEN ?6 ELSE sent_at END WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, status);
	sqlite3_bind_int(st, 3, attempts);
	bind_text(st, 4, next_at);
	bind_text(st, 5, error);
	bind_text(st, 6, now);
	return store_step_done(s, st, "update outbox");
}

int store_outbox_count(Store *s, const char *status)
{
	static const char sql[] = "SELECT count(*) FROM outbox WHERE status = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, status);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}
