/*
 * store_registry.c — the registry's records: inserts and the lists the
 * pages show. The edit, review and import paths of the registry issue add
 * their statements here.
 */
#include "store_internal.h"

#include <string.h>

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* Finishes an INSERT: the new rowid, or 0 with the reason kept. */
static long long insert_done(Store *s, sqlite3_stmt *st, const char *what)
{
	if (store_step_done(s, st, what) != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

static const char *status_or_approved(const char *st)
{
	return st ? st : "approved";
}

long long store_operator_insert(Store *s, const Operator *o)
{
	static const char sql[] =
		"INSERT INTO operator(name, area, introduced_on, capabilities, leading_firm, note, "
		"review_status, created_by, created_at, updated_at, evidence) "
		"VALUES (?1, ?2, ?3, coalesce(?4, '[]'), ?5, ?6, ?7, ?8, " NOW ", " NOW ", ?9)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, o->name);
	bind_text(st, 2, o->area);
	bind_text(st, 3, o->introduced_on);
	bind_text(st, 4, o->capabilities);
	sqlite3_bind_int(st, 5, o->leading_firm);
	bind_text(st, 6, o->note);
	bind_text(st, 7, status_or_approved(o->review_status));
	bind_text(st, 8, o->created_by);
	bind_text(st, 9, o->evidence);
	return insert_done(s, st, "save operator");
}

long long store_base_insert(Store *s, const Base *b)
{
	static const char sql[] =
		"INSERT INTO base(name, kind, area, layout_unit, specialised, leading_industry, status, "
		"opened_on, operator_id, total_area_m2, incubation_area_m2, public_service_area_m2, "
		"has_public_platform, public_platform, facilities, firms_total, firms_leading_industry, "
		"talents, teams, address, space_source, contact, review_status, created_by, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 'operating'), ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
		"coalesce(?15, '[]'), ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, b->name);
	bind_text(st, 2, b->kind);
	bind_text(st, 3, b->area);
	bind_text(st, 4, b->layout_unit);
	sqlite3_bind_int(st, 5, b->specialised);
	bind_text(st, 6, b->leading_industry);
	bind_text(st, 7, b->status);
	bind_text(st, 8, b->opened_on);
	bind_id_or_null(st, 9, b->operator_id);
	sqlite3_bind_double(st, 10, b->total_area_m2);
	sqlite3_bind_double(st, 11, b->incubation_area_m2);
	sqlite3_bind_double(st, 12, b->public_service_area_m2);
	sqlite3_bind_int(st, 13, b->has_public_platform);
	bind_text(st, 14, b->public_platform);
	bind_text(st, 15, b->facilities);
	bind_int_or_null(st, 16, b->firms_total);
	bind_int_or_null(st, 17, b->firms_leading_industry);
	bind_int_or_null(st, 18, b->talents);
	bind_int_or_null(st, 19, b->teams);
	bind_text(st, 20, b->address);
	bind_text(st, 21, b->space_source);
	bind_text(st, 22, b->contact);
	bind_text(st, 23, status_or_approved(b->review_status));
	bind_text(st, 24, b->created_by);
	return insert_done(s, st, "save base");
}

int store_base_area_change(Store *s, long long base_id, const char *on,
                           double total_delta_m2, double incubation_delta_m2, const char *note)
{
	static const char sql[] =
		"INSERT INTO base_area_change(base_id, changed_on, total_delta_m2, incubation_delta_m2, note) "
		"VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, on);
	sqlite3_bind_double(st, 3, total_delta_m2);
	sqlite3_bind_double(st, 4, incubation_delta_m2);
	bind_text(st, 5, note);
	return store_step_done(s, st, "save area change");
}

int store_base_level_set(Store *s, long long base_id, const char *level, const char *on,
                         const char *document)
{
	static const char sql[] =
		"INSERT INTO base_level(base_id, level, recognised_on, document) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT(base_id, level) DO UPDATE SET recognised_on = excluded.recognised_on, "
		"document = excluded.document";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, level);
	bind_text(st, 3, on);
	bind_text(st, 4, document);
	return store_step_done(s, st, "save recognition");
}

long long store_fund_insert(Store *s, const Fund *f)
{
	static const char sql[] =
		"INSERT INTO fund(name, kind, stage, size_yuan, origin, established_on, manager, area, "
		"base_id, inside_base, targets_leading_industry, review_status, created_by, created_at, updated_at) "
		"VALUES (?1, ?2, coalesce(?3, 'other'), ?4, coalesce(?5, 'new'), ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
		NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, f->name);
	bind_text(st, 2, f->kind);
	bind_text(st, 3, f->stage);
	sqlite3_bind_double(st, 4, f->size_yuan);
	bind_text(st, 5, f->origin);
	bind_text(st, 6, f->established_on);
	bind_text(st, 7, f->manager);
	bind_text(st, 8, f->area);
	bind_id_or_null(st, 9, f->base_id);
	sqlite3_bind_int(st, 10, f->inside_base);
	sqlite3_bind_int(st, 11, f->targets_leading_industry);
	bind_text(st, 12, status_or_approved(f->review_status));
	bind_text(st, 13, f->created_by);
	return insert_done(s, st, "save fund");
}

long long store_investment_insert(Store *s, const Investment *i)
{
	static const char sql[] =
		"INSERT INTO investment(fund_id, investee, base_id, area, amount_yuan, invested_on, "
		"review_status, created_by, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, i->fund_id);
	bind_text(st, 2, i->investee);
	bind_id_or_null(st, 3, i->base_id);
	bind_text(st, 4, i->area);
	sqlite3_bind_double(st, 5, i->amount_yuan);
	bind_text(st, 6, i->invested_on);
	bind_text(st, 7, status_or_approved(i->review_status));
	bind_text(st, 8, i->created_by);
	return insert_done(s, st, "save investment");
}

long long store_project_insert(Store *s, const Project *p)
{
	static const char sql[] =
		"INSERT INTO project(name, kind, base_id, area, field, source, arrived_on, "
		"review_status, created_by, created_at, updated_at) "
		"VALUES (?1, coalesce(?2, 'project'), ?3, ?4, ?5, ?6, ?7, ?8, ?9, " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, p->name);
	bind_text(st, 2, p->kind);
	bind_id_or_null(st, 3, p->base_id);
	bind_text(st, 4, p->area);
	bind_text(st, 5, p->field);
	bind_text(st, 6, p->source);
	bind_text(st, 7, p->arrived_on);
	bind_text(st, 8, status_or_approved(p->review_status));
	bind_text(st, 9, p->created_by);
	return insert_done(s, st, "save project");
}

long long store_report_figure_insert(Store *s, const ReportFigure *r)
{
	static const char sql[] =
		"INSERT INTO report_figure(area, base_id, period, period_end, field, value, "
		"review_status, created_by, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, r->area);
	bind_id_or_null(st, 2, r->base_id);
	bind_text(st, 3, r->period);
	bind_text(st, 4, r->period_end);
	bind_text(st, 5, r->field);
	sqlite3_bind_double(st, 6, r->value);
	bind_text(st, 7, status_or_approved(r->review_status));
	bind_text(st, 8, r->created_by);
	return insert_done(s, st, "save reported figure");
}

/* The columns every base read selects, and the reader that matches them. */
#define BASE_SELECT \
	"SELECT b.id, b.name, b.kind, b.area, b.layout_unit, b.leading_industry, b.status, " \
	"b.opened_on, b.total_area_m2, b.incubation_area_m2, b.public_service_area_m2, " \
	"b.has_public_platform, b.specialised, b.operator_id, o.name, b.review_status, " \
	"(SELECT group_concat(l.level || ':' || l.recognised_on, ',') FROM base_level l " \
	" WHERE l.base_id = b.id), b.firms_total, b.firms_leading_industry, b.talents, b.teams, " \
	"b.address, b.space_source, b.contact, b.public_platform, b.facilities, b.created_by " \
	"FROM base b LEFT JOIN operator o ON o.id = b.operator_id "

static void read_base(Arena *a, sqlite3_stmt *st, Base *b)
{
	b->id = sqlite3_column_int64(st, 0);
	b->name = col_text(a, st, 1);
	b->kind = col_text(a, st, 2);
	b->area = col_text(a, st, 3);
	b->layout_unit = col_text(a, st, 4);
	b->leading_industry = col_text(a, st, 5);
	b->status = col_text(a, st, 6);
	b->opened_on = col_text(a, st, 7);
	b->total_area_m2 = sqlite3_column_double(st, 8);
	b->incubation_area_m2 = sqlite3_column_double(st, 9);
	b->public_service_area_m2 = sqlite3_column_double(st, 10);
	b->has_public_platform = sqlite3_column_int(st, 11);
	b->specialised = sqlite3_column_int(st, 12);
	b->operator_id = sqlite3_column_int64(st, 13);
	b->operator_name = col_text(a, st, 14);
	b->review_status = col_text(a, st, 15);
	b->levels = col_text(a, st, 16);
	b->firms_total = col_int_or(st, 17, -1);
	b->firms_leading_industry = col_int_or(st, 18, -1);
	b->talents = col_int_or(st, 19, -1);
	b->teams = col_int_or(st, 20, -1);
	b->address = col_text(a, st, 21);
	b->space_source = col_text(a, st, 22);
	b->contact = col_text(a, st, 23);
	b->public_platform = col_text(a, st, 24);
	b->facilities = col_text(a, st, 25);
	b->created_by = col_text(a, st, 26);
}

int store_bases(Store *s, Arena *a, const char *area, Base **out)
{
	/* Two texts: "?1 IS NULL OR b.area = ?1" would keep the area index unused. */
	static const char all[] = BASE_SELECT "ORDER BY b.area, b.name";
	static const char one[] = BASE_SELECT "WHERE b.area = ?1 ORDER BY b.name";
	sqlite3_stmt *st = store_stmt(s, area ? one : all);
	if (!st)
		return -1;
	if (area)
		bind_text(st, 1, area);
	int n = 0, cap = 0;
	Base *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		read_base(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	*out = v;
	return n;
}

/* One read of a base's name and area; name may be NULL when only the area is wanted. */
int store_base_name_area(Store *s, Arena *a, long long id, const char **name, const char **area)
{
	static const char sql[] = "SELECT name, area FROM base WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		if (name)
			*name = col_text(a, st, 0);
		*area = col_text(a, st, 1);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read base");
	}
	sqlite3_reset(st);
	return found;
}

int store_base_area(Store *s, Arena *a, long long id, const char **area)
{
	return store_base_name_area(s, a, id, NULL, area);
}

int store_area_stats(Store *s, Arena *a, AreaStat **out)
{
	static const char sql[] =
		"SELECT a.code, count(b.id), count(CASE WHEN b.review_status = 'approved' THEN 1 END), "
		"coalesce(sum(CASE WHEN b.review_status = 'approved' THEN b.total_area_m2 END), 0) "
		"FROM area a LEFT JOIN base b ON b.area = a.code "
		"WHERE a.level = 'area' GROUP BY a.code ORDER BY a.sort";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 0;
	AreaStat *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		AreaStat *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->area = col_text(a, st, 0);
		x->bases = sqlite3_column_int(st, 1);
		x->bases_approved = sqlite3_column_int(st, 2);
		x->total_area_m2 = sqlite3_column_double(st, 3);
	}
	sqlite3_reset(st);
	*out = v;
	return n;
}

int store_registry_counts(Store *s, RegistryCounts *c)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM base), (SELECT count(*) FROM operator), "
		"(SELECT count(*) FROM fund), (SELECT count(*) FROM investment), "
		"(SELECT count(*) FROM project), (SELECT count(*) FROM firm), "
		"(SELECT count(*) FROM report_figure), (SELECT count(*) FROM user), "
		"(SELECT count(*) FROM audit)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	memset(c, 0, sizeof *c);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail(s, "count records");
	}
	c->bases = sqlite3_column_int64(st, 0);
	c->operators = sqlite3_column_int64(st, 1);
	c->funds = sqlite3_column_int64(st, 2);
	c->investments = sqlite3_column_int64(st, 3);
	c->projects = sqlite3_column_int64(st, 4);
	c->firms = sqlite3_column_int64(st, 5);
	c->report_figures = sqlite3_column_int64(st, 6);
	c->users = sqlite3_column_int64(st, 7);
	c->audit = sqlite3_column_int64(st, 8);
	sqlite3_reset(st);
	return H_OK;
}

int store_base_area_changes(Store *s, Arena *a, long long base_id, AreaChange **out)
{
	static const char sql[] =
		"SELECT changed_on, note, total_delta_m2, incubation_delta_m2 FROM base_area_change "
		"WHERE base_id = ?1 ORDER BY changed_on, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, base_id);
	int n = 0, cap = 0;
	AreaChange *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		AreaChange *c = arena_push(a, &v, &n, &cap, sizeof *c);
		c->on = col_text(a, st, 0);
		c->note = col_text(a, st, 1);
		c->total_delta = sqlite3_column_double(st, 2);
		c->incubation_delta = sqlite3_column_double(st, 3);
	}
	sqlite3_reset(st);
	*out = v;
	return n;
}

long long store_firm_insert(Store *s, const char *name, const char *uscc, long long base_id, const char *area,
                            const char *entered_on, const char *founded_on, const char *industry,
                            int in_leading_industry, int high_tech, const char *graduated_on)
{
	static const char sql[] =
		"INSERT INTO firm(name, uscc, base_id, area, entered_on, founded_on, industry, in_leading_industry, "
		"high_tech, graduated_on, review_status, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		"?7, ?8, ?9, ?10, 'approved', 'demo', " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, name);
	bind_text(st, 2, uscc);
	sqlite3_bind_int64(st, 3, base_id);
	bind_text(st, 4, area);
	bind_text(st, 5, entered_on);
	bind_text(st, 6, founded_on);
	bind_text(st, 7, industry);
	sqlite3_bind_int(st, 8, in_leading_industry);
	sqlite3_bind_int(st, 9, high_tech);
	bind_text(st, 10, graduated_on);
	return insert_done(s, st, "save firm");
}
