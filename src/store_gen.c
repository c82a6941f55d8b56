/*
 * store_gen.c — the bulk inserts of `hatchery gen` (store_gen.h). Same
 * columns as store_registry.c's inserts, with the timestamps bound so that
 * a seed always gives the same rows.
 */
#include "store_internal.h"
#include "store_gen.h"

#include <stdio.h>

static long long insert_done(Store *s, sqlite3_stmt *st, const char *what)
{
	if (store_step_done(s, st, what) != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_gen_bulk_begin(Store *s)
{
	char *msg = NULL;
	/* 256 MB of page cache at most, only for this connection and only
	 * while it loads; temp b-trees in memory. */
	if (sqlite3_exec(s->db, "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY", NULL, NULL, &msg) !=
	    SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "bulk settings: %s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return H_ERR;
	}
	return H_OK;
}

int store_gen_analyze(Store *s)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, "ANALYZE", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "analyze: %s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return H_ERR;
	}
	return H_OK;
}

long long store_gen_operator(Store *s, const char *name, const char *area, const char *introduced_on,
                             const char *review_status, const char *at)
{
	static const char sql[] =
		"INSERT INTO operator(name, area, introduced_on, capabilities, evidence, review_status, created_by, "
		"created_at, updated_at) VALUES (?1, ?2, ?3, '[\"resource_linking\",\"investment_integration\",\"training\"]', "
		"'模拟数据：对接创新资源、投融资对接、创业辅导', ?4, 'gen', ?5, ?5)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, name);
	bind_text(st, 2, area);
	bind_text(st, 3, introduced_on);
	bind_text(st, 4, review_status);
	bind_text(st, 5, at);
	return insert_done(s, st, "gen operator");
}

long long store_gen_base(Store *s, const Base *b, const char *at)
{
	static const char sql[] =
		"INSERT INTO base(name, kind, area, leading_industry, status, opened_on, operator_id, total_area_m2, "
		"incubation_area_m2, public_service_area_m2, has_public_platform, public_platform, facilities, "
		"firms_total, firms_leading_industry, talents, teams, address, contact, review_status, created_by, "
		"created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, 'operating', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
		"'模拟地址（虚构）', '模拟联系人', ?17, 'gen', ?18, ?18)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, b->name);
	bind_text(st, 2, b->kind);
	bind_text(st, 3, b->area);
	bind_text(st, 4, b->leading_industry);
	bind_text(st, 5, b->opened_on);
	bind_id_or_null(st, 6, b->operator_id);
	sqlite3_bind_double(st, 7, b->total_area_m2);
	sqlite3_bind_double(st, 8, b->incubation_area_m2);
	sqlite3_bind_double(st, 9, b->public_service_area_m2);
	sqlite3_bind_int(st, 10, b->has_public_platform);
	bind_text(st, 11, b->public_platform);
	bind_text(st, 12, b->facilities);
	bind_int_or_null(st, 13, b->firms_total);
	bind_int_or_null(st, 14, b->firms_leading_industry);
	bind_int_or_null(st, 15, b->talents);
	bind_int_or_null(st, 16, b->teams);
	bind_text(st, 17, b->review_status);
	bind_text(st, 18, at);
	return insert_done(s, st, "gen base");
}

long long store_gen_fund(Store *s, const Fund *f, const char *at)
{
	static const char sql[] =
		"INSERT INTO fund(name, kind, stage, size_yuan, origin, established_on, manager, area, base_id, "
		"inside_base, targets_leading_industry, review_status, created_by, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, '模拟基金管理有限公司', ?7, ?8, ?9, ?10, ?11, 'gen', ?12, ?12)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, f->name);
	bind_text(st, 2, f->kind);
	bind_text(st, 3, f->stage);
	sqlite3_bind_double(st, 4, f->size_yuan);
	bind_text(st, 5, f->origin);
	bind_text(st, 6, f->established_on);
	bind_text(st, 7, f->area);
	bind_id_or_null(st, 8, f->base_id);
	sqlite3_bind_int(st, 9, f->inside_base);
	sqlite3_bind_int(st, 10, f->targets_leading_industry);
	bind_text(st, 11, f->review_status);
	bind_text(st, 12, at);
	return insert_done(s, st, "gen fund");
}

long long store_gen_investment(Store *s, const Investment *i, const char *at)
{
	static const char sql[] =
		"INSERT INTO investment(fund_id, investee, base_id, area, amount_yuan, invested_on, review_status, "
		"created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'gen', ?8, ?8)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, i->fund_id);
	bind_text(st, 2, i->investee);
	bind_id_or_null(st, 3, i->base_id);
	bind_text(st, 4, i->area);
	sqlite3_bind_double(st, 5, i->amount_yuan);
	bind_text(st, 6, i->invested_on);
	bind_text(st, 7, i->review_status);
	bind_text(st, 8, at);
	return insert_done(s, st, "gen investment");
}

long long store_gen_project(Store *s, const Project *p, const char *at)
{
	static const char sql[] =
		"INSERT INTO project(name, kind, base_id, area, field, source, arrived_on, review_status, created_by, "
		"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'gen', ?9, ?9)";
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
	bind_text(st, 8, p->review_status);
	bind_text(st, 9, at);
	return insert_done(s, st, "gen project");
}

long long store_gen_firm(Store *s, const char *name, const char *uscc, long long base_id, const char *area,
                         const char *entered_on, const char *founded_on, const char *industry,
                         int in_leading_industry, int high_tech, const char *at)
{
	static const char sql[] =
		"INSERT INTO firm(name, uscc, base_id, area, entered_on, founded_on, industry, in_leading_industry, "
		"high_tech, review_status, created_by, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'approved', 'gen', ?10, ?10)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uscc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, base_id);
	sqlite3_bind_text(st, 4, area, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, entered_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, founded_on, -1, SQLITE_STATIC);
	bind_text(st, 7, industry);
	sqlite3_bind_int(st, 8, in_leading_industry);
	sqlite3_bind_int(st, 9, high_tech);
	sqlite3_bind_text(st, 10, at, -1, SQLITE_STATIC);
	return insert_done(s, st, "gen firm");
}

long long store_gen_report(Store *s, const char *area, const char *period, const char *period_end, double value,
                           const char *at)
{
	static const char sql[] =
		"INSERT INTO report_figure(area, period, period_end, field, value, review_status, created_by, "
		"created_at, updated_at) VALUES (?1, ?2, ?3, 'talents_new', ?4, 'approved', 'gen', ?5, ?5)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, area);
	bind_text(st, 2, period);
	bind_text(st, 3, period_end);
	sqlite3_bind_double(st, 4, value);
	bind_text(st, 5, at);
	return insert_done(s, st, "gen reported figure");
}
