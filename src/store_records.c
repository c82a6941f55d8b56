/*
 * store_records.c — the registry's records by kind: one fixed set of SQL
 * texts per kind (insert, update, read as JSON, list with filters, scope,
 * dependents, delete), used by the generic registry pages and API.
 *
 * Values arrive as text in the order of the kind's writable fields
 * (registry.c); empty text binds NULL and the columns' affinity stores
 * numbers as numbers. A record is read as one JSON object whose keys are
 * the field names, so pages, API, audit and export all see the same thing.
 *
 * List statements take, always in these places: ?1 area, ?2 review status,
 * ?3 a search text (name LIKE), ?4 from date, ?5 to date (on the kind's
 * date), ?6 and ?7 two kind-specific filters, ?8 the sort field (one of
 * the whitelisted names in the ORDER BY), ?9 1 for descending, ?10 limit,
 * ?11 offset.
 */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* ---- 孵化基地 ---- */

#define BASE_JSON \
	"json_object('id', b.id, 'name', b.name, 'kind', b.kind, 'area', b.area, 'layout_unit', b.layout_unit, " \
	"'specialised', b.specialised, 'leading_industry', b.leading_industry, 'status', b.status, " \
	"'opened_on', b.opened_on, 'operator_id', b.operator_id, 'total_area_m2', b.total_area_m2, " \
	"'incubation_area_m2', b.incubation_area_m2, 'public_service_area_m2', b.public_service_area_m2, " \
	"'has_public_platform', b.has_public_platform, 'public_platform', b.public_platform, " \
	"'facilities', json(b.facilities), 'firms_total', b.firms_total, " \
	"'firms_leading_industry', b.firms_leading_industry, 'talents', b.talents, 'teams', b.teams, " \
	"'address', b.address, 'space_source', b.space_source, 'contact', b.contact, " \
	"'review_status', b.review_status, 'review_note', b.review_note, " \
	"'operator_name', (SELECT o.name FROM operator o WHERE o.id = b.operator_id), " \
	"'levels', (SELECT json_group_array(json_object('level', l.level, 'recognised_on', l.recognised_on)) " \
	"FROM base_level l WHERE l.base_id = b.id), " \
	"'created_by', b.created_by, 'created_at', b.created_at, 'updated_at', b.updated_at)"

#define BASE_FILTER \
	"WHERE (?1 IS NULL OR b.area = ?1) AND (?2 IS NULL OR b.review_status = ?2) " \
	"AND (?3 IS NULL OR b.name LIKE '%' || ?3 || '%' OR b.leading_industry LIKE '%' || ?3 || '%') " \
	"AND (?4 IS NULL OR b.opened_on >= ?4) AND (?5 IS NULL OR b.opened_on <= ?5) " \
	"AND (?6 IS NULL OR b.kind = ?6) " \
	"AND (?7 IS NULL OR EXISTS (SELECT 1 FROM base_level l WHERE l.base_id = b.id AND l.level = ?7)) "

static const char base_insert[] =
	"INSERT INTO base(name, kind, area, layout_unit, specialised, leading_industry, status, opened_on, "
	"operator_id, total_area_m2, incubation_area_m2, public_service_area_m2, has_public_platform, "
	"public_platform, facilities, firms_total, firms_leading_industry, talents, teams, address, "
	"space_source, contact, review_status, created_by, created_at, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, coalesce(?5, 0), ?6, coalesce(?7, 'operating'), ?8, ?9, coalesce(?10, 0), "
	"coalesce(?11, 0), coalesce(?12, 0), coalesce(?13, 0), ?14, coalesce(?15, '[]'), ?16, ?17, ?18, ?19, "
	"?20, ?21, ?22, ?23, ?24, " NOW ", " NOW ")";
static const char base_update[] =
	"UPDATE base SET name = ?1, kind = ?2, area = ?3, layout_unit = ?4, specialised = coalesce(?5, 0), "
	"leading_industry = ?6, status = coalesce(?7, 'operating'), opened_on = ?8, operator_id = ?9, "
	"total_area_m2 = coalesce(?10, 0), incubation_area_m2 = coalesce(?11, 0), "
	"public_service_area_m2 = coalesce(?12, 0), has_public_platform = coalesce(?13, 0), public_platform = ?14, "
	"facilities = coalesce(?15, '[]'), firms_total = ?16, firms_leading_industry = ?17, talents = ?18, "
	"teams = ?19, address = ?20, space_source = ?21, contact = ?22, review_status = ?23, "
	"updated_at = " NOW " WHERE id = ?24";
static const char base_json[] = "SELECT " BASE_JSON " FROM base b WHERE b.id = ?1";
static const char base_list[] =
	"SELECT " BASE_JSON " FROM base b " BASE_FILTER
	"ORDER BY CASE WHEN ?9 THEN NULL ELSE CASE ?8 WHEN 'name' THEN b.name WHEN 'opened_on' THEN b.opened_on "
	"WHEN 'area' THEN b.area WHEN 'kind' THEN b.kind WHEN 'review_status' THEN b.review_status END END ASC, "
	"CASE WHEN ?9 THEN CASE ?8 WHEN 'name' THEN b.name WHEN 'opened_on' THEN b.opened_on "
	"WHEN 'area' THEN b.area WHEN 'kind' THEN b.kind WHEN 'review_status' THEN b.review_status END END DESC, "
	"CASE WHEN ?8 = 'total_area_m2' AND NOT ?9 THEN b.total_area_m2 END ASC, "
	"CASE WHEN ?8 = 'total_area_m2' AND ?9 THEN b.total_area_m2 END DESC, "
	"b.area, b.name LIMIT ?10 OFFSET ?11";
static const char base_count[] = "SELECT count(*) FROM base b " BASE_FILTER;
static const char base_scope[] = "SELECT area, id FROM base WHERE id = ?1";
static const char base_delete[] = "DELETE FROM base WHERE id = ?1";
static const char base_review[] = "UPDATE base SET review_status = ?2, review_note = ?3, updated_at = " NOW " WHERE id = ?1";
static const char base_deps[] =
	"SELECT (SELECT count(*) FROM fund WHERE base_id = ?1) || ' 支基金', "
	"(SELECT count(*) FROM investment WHERE base_id = ?1) || ' 笔投资', "
	"(SELECT count(*) FROM firm WHERE base_id = ?1) || ' 家在孵企业', "
	"(SELECT count(*) FROM project WHERE base_id = ?1) || ' 个项目(团队)', "
	"(SELECT count(*) FROM report_figure WHERE base_id = ?1) || ' 条报表数据', "
	"(SELECT count(*) FROM user WHERE role = 'base' AND scope = CAST(?1 AS TEXT)) || ' 个运营机构账号'";

typedef struct KindSql {
	const char *kind;
	const char *insert, *update, *json, *list, *count, *scope, *del, *review, *deps;
	int nvalues; /* writable fields bound by insert and update */
} KindSql;

static const KindSql kinds[] = {
	{"bases", base_insert, base_update, base_json, base_list, base_count, base_scope, base_delete, base_review,
	 base_deps, 22},
};

static const KindSql *kind_sql(Store *s, const char *kind)
{
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	snprintf(s->err, sizeof s->err, "unknown record kind %s", kind);
	return NULL;
}

/* Binds text values; "" and NULL bind NULL. */
static void bind_values(sqlite3_stmt *st, int first, const char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		bind_text(st, first + i, v[i] && *v[i] ? v[i] : NULL);
}

long long store_record_insert(Store *s, const char *kind, const char *const *values, int n,
                              const char *review_status, const char *actor)
{
	const KindSql *k = kind_sql(s, kind);
	if (!k)
		return 0;
	if (n != k->nvalues)
		fatal("store_record_insert(%s): %d values, the statement takes %d", kind, n, k->nvalues);
	sqlite3_stmt *st = store_stmt(s, k->insert);
	if (!st)
		return 0;
	bind_values(st, 1, values, n);
	bind_text(st, n + 1, review_status);
	bind_text(st, n + 2, actor);
	if (store_step_done(s, st, "save record") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_record_update(Store *s, const char *kind, long long id, const char *const *values, int n,
                        const char *review_status)
{
	const KindSql *k = kind_sql(s, kind);
	if (!k)
		return H_ERR;
	if (n != k->nvalues)
		fatal("store_record_update(%s): %d values, the statement takes %d", kind, n, k->nvalues);
	sqlite3_stmt *st = store_stmt(s, k->update);
	if (!st)
		return H_ERR;
	bind_values(st, 1, values, n);
	bind_text(st, n + 1, review_status);
	sqlite3_bind_int64(st, n + 2, id);
	return store_step_done(s, st, "update record");
}

const char *store_record_json(Store *s, Arena *a, const char *kind, long long id)
{
	const KindSql *k = kind_sql(s, kind);
	sqlite3_stmt *st = k ? store_stmt(s, k->json) : NULL;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	const char *j = sqlite3_step(st) == SQLITE_ROW ? col_text(a, st, 0) : NULL;
	sqlite3_reset(st);
	return j;
}

static void bind_filter(sqlite3_stmt *st, const RecordFilter *f)
{
	bind_text(st, 1, f->area);
	bind_text(st, 2, f->review_status);
	bind_text(st, 3, f->q);
	bind_text(st, 4, f->from);
	bind_text(st, 5, f->to);
	bind_text(st, 6, f->extra1);
	bind_text(st, 7, f->extra2);
}

int store_record_list(Store *s, Arena *a, const char *kind, const RecordFilter *f, const char ***rows,
                      long long *total)
{
	const KindSql *k = kind_sql(s, kind);
	if (!k)
		return -1;
	sqlite3_stmt *st = store_stmt(s, k->count);
	if (!st)
		return -1;
	bind_filter(st, f);
	*total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!(st = store_stmt(s, k->list)))
		return -1;
	bind_filter(st, f);
	bind_text(st, 8, f->sort);
	sqlite3_bind_int(st, 9, f->desc);
	sqlite3_bind_int(st, 10, f->limit > 0 ? f->limit : 50);
	sqlite3_bind_int(st, 11, f->offset);
	int n = 0, cap = 0;
	const char **v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*(const char **)arena_push(a, &v, &n, &cap, sizeof *v) = col_text(a, st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list records");
	*rows = v;
	return n;
}

int store_record_scope(Store *s, Arena *a, const char *kind, long long id, const char **area, long long *base_id)
{
	const KindSql *k = kind_sql(s, kind);
	sqlite3_stmt *st = k ? store_stmt(s, k->scope) : NULL;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		*area = col_text(a, st, 0);
		*base_id = sqlite3_column_int64(st, 1);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read record");
	}
	sqlite3_reset(st);
	return found;
}

int store_record_set_review(Store *s, const char *kind, long long id, const char *status, const char *note)
{
	const KindSql *k = kind_sql(s, kind);
	sqlite3_stmt *st = k ? store_stmt(s, k->review) : NULL;
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, status);
	bind_text(st, 3, note);
	return store_step_done(s, st, "review record");
}

int store_record_delete(Store *s, const char *kind, long long id)
{
	const KindSql *k = kind_sql(s, kind);
	sqlite3_stmt *st = k ? store_stmt(s, k->del) : NULL;
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "delete record");
}

const char *store_record_dependents(Store *s, Arena *a, const char *kind, long long id)
{
	const KindSql *k = kind_sql(s, kind);
	sqlite3_stmt *st = k && k->deps ? store_stmt(s, k->deps) : NULL;
	if (!st)
		return k && !k->deps ? "" : NULL;
	sqlite3_bind_int64(st, 1, id);
	Buf out = {0};
	if (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);
			if (t && t[0] != '0') {
				if (out.len)
					buf_puts(&out, "、");
				buf_puts(&out, t);
			}
		}
	}
	sqlite3_reset(st);
	const char *r = arena_strdup(a, buf_str(&out));
	buf_free(&out);
	return r;
}

int store_record_exists(Store *s, const char *table, long long id)
{
	static const char q_operator[] = "SELECT count(*) FROM operator WHERE id = ?1";
	static const char q_base[] = "SELECT count(*) FROM base WHERE id = ?1";
	static const char q_fund[] = "SELECT count(*) FROM fund WHERE id = ?1";
	const char *sql = strcmp(table, "operator") == 0 ? q_operator : strcmp(table, "base") == 0 ? q_base
	                : strcmp(table, "fund") == 0 ? q_fund : NULL;
	if (!sql)
		fatal("store_record_exists: unknown table %s", table);
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

/* ---- proposed changes ---- */

long long store_change_propose(Store *s, const char *kind, long long record_id, const char *area,
                               const char *payload, const char *by)
{
	static const char sql[] =
		"INSERT INTO pending_change(kind, record_id, area, payload, submitted_by, submitted_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, record_id);
	bind_text(st, 3, area);
	bind_text(st, 4, payload);
	bind_text(st, 5, by);
	if (store_step_done(s, st, "save proposed change") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_changes(Store *s, Arena *a, const char *area, const char *kind, long long record_id, PendingChange **out)
{
	static const char sql[] =
		"SELECT id, kind, record_id, area, payload, status, submitted_by, submitted_at, reviewed_by, "
		"reviewed_at, note FROM pending_change WHERE status = 'pending' AND (?1 IS NULL OR area = ?1) "
		"AND (?2 IS NULL OR kind = ?2) AND (?3 = 0 OR record_id = ?3) ORDER BY submitted_at, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, area);
	bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, record_id);
	int n = 0, cap = 0;
	PendingChange *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		PendingChange *c = arena_push(a, &v, &n, &cap, sizeof *c);
		c->id = sqlite3_column_int64(st, 0);
		c->kind = col_text(a, st, 1);
		c->record_id = sqlite3_column_int64(st, 2);
		c->area = col_text(a, st, 3);
		c->payload = col_text(a, st, 4);
		c->status = col_text(a, st, 5);
		c->submitted_by = col_text(a, st, 6);
		c->submitted_at = col_text(a, st, 7);
		c->reviewed_by = col_text(a, st, 8);
		c->reviewed_at = col_text(a, st, 9);
		c->note = col_text(a, st, 10);
	}
	sqlite3_reset(st);
	*out = v;
	return n;
}

int store_change_get(Store *s, Arena *a, long long id, PendingChange *c)
{
	static const char sql[] =
		"SELECT id, kind, record_id, area, payload, status, submitted_by, submitted_at FROM pending_change "
		"WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int found = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(st, 0);
		c->kind = col_text(a, st, 1);
		c->record_id = sqlite3_column_int64(st, 2);
		c->area = col_text(a, st, 3);
		c->payload = col_text(a, st, 4);
		c->status = col_text(a, st, 5);
		c->submitted_by = col_text(a, st, 6);
		c->submitted_at = col_text(a, st, 7);
		found = 1;
	}
	sqlite3_reset(st);
	return found;
}

int store_change_close(Store *s, long long id, const char *status, const char *by, const char *note)
{
	static const char sql[] =
		"UPDATE pending_change SET status = ?2, reviewed_by = ?3, reviewed_at = " NOW ", note = ?4 "
		"WHERE id = ?1 AND status = 'pending'";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, status);
	bind_text(st, 3, by);
	bind_text(st, 4, note);
	if (store_step_done(s, st, "close proposed change") != H_OK)
		return H_ERR;
	return sqlite3_changes(s->db) == 1 ? H_OK : H_ERR;
}

int store_review_queue(Store *s, Arena *a, const char *area, ReviewItem **out)
{
	static const char sql[] =
		"SELECT 'bases', id, name, area, review_status, created_by, updated_at FROM base "
		"WHERE review_status = 'pending' AND (?1 IS NULL OR area = ?1) ORDER BY updated_at, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, area);
	int n = 0, cap = 0;
	ReviewItem *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		ReviewItem *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->kind = col_text(a, st, 0);
		x->id = sqlite3_column_int64(st, 1);
		x->name = col_text(a, st, 2);
		x->area = col_text(a, st, 3);
		x->review_status = col_text(a, st, 4);
		x->by = col_text(a, st, 5);
		x->at = col_text(a, st, 6);
	}
	sqlite3_reset(st);
	*out = v;
	return n;
}
