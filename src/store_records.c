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
 * A list's filters take, always in these places: ?1 area, ?2 review
 * status, ?3 a search text (name LIKE), ?4 from date, ?5 to date (on the
 * kind's date), ?6 and ?7 two kind-specific filters; ?10 limit, ?11
 * offset. Its statement is made of the clauses of the filters given only
 * (list_sql), so SQLite can use an index for them: a clause written for
 * every filter (`?4 IS NULL OR …`) cannot, and the table was scanned and
 * sorted for any filter (issue 20). The texts are put together from the
 * fixed fragments below, never from a request; values are always bound.
 */
#include "store_internal.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

/* the columns of the kind's fields (registry.c) in their order, as an export reads them */
#define BASE_COLS \
	"b.id, b.name, b.kind, b.area, b.layout_unit, b.specialised, b.leading_industry, b.status, b.opened_on, " \
	"b.operator_id, b.total_area_m2, b.incubation_area_m2, b.public_service_area_m2, b.has_public_platform, " \
	"b.public_platform, b.facilities, b.firms_total, b.firms_leading_industry, b.talents, b.teams, b.address, " \
	"b.space_source, b.contact, b.review_status"
#define BASE_ORDER "b.area, b.name, b.id" /* the default order, kept by the index base_area_name (ties: by id) */
/* the clauses of ?1..?7, each used when its filter is given */
#define BASE_WHERE \
	{"b.area = ?1", "b.review_status = ?2", "(b.name LIKE '%' || ?3 || '%' OR b.leading_industry LIKE '%' || ?3 || '%')", \
	 "b.opened_on >= ?4", "b.opened_on <= ?5", "b.kind = ?6", \
	 "EXISTS (SELECT 1 FROM base_level l WHERE l.base_id = b.id AND l.level = ?7)"}
/* what a list may be sorted by (?sort=), the default order after it */
#define BASE_SORTS \
	{{"name", "b.name"}, {"opened_on", "b.opened_on"}, {"area", "b.area"}, {"kind", "b.kind"}, \
	 {"review_status", "b.review_status"}, {"total_area_m2", "b.total_area_m2"}}

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
static const char base_scope[] = "SELECT area, id, review_status FROM base WHERE id = ?1";
static const char base_delete[] = "DELETE FROM base WHERE id = ?1";
static const char base_review[] = "UPDATE base SET review_status = ?2, review_note = ?3, updated_at = " NOW " WHERE id = ?1";
static const char base_deps[] =
	"SELECT (SELECT count(*) FROM fund WHERE base_id = ?1) || ' 支基金', "
	"(SELECT count(*) FROM investment WHERE base_id = ?1) || ' 笔投资', "
	"(SELECT count(*) FROM firm WHERE base_id = ?1) || ' 家在孵企业', "
	"(SELECT count(*) FROM project WHERE base_id = ?1) || ' 个项目（团队）', "
	"(SELECT count(*) FROM report_figure WHERE base_id = ?1) || ' 条报表数据', "
	"(SELECT count(*) FROM user WHERE role = 'base' AND scope = CAST(?1 AS TEXT)) || ' 个运营机构账号'";


/* ---- 运营机构 ---- */

#define OPERATOR_JSON \
	"json_object('id', o.id, 'name', o.name, 'area', o.area, 'introduced_on', o.introduced_on, " \
	"'leading_firm', o.leading_firm, 'capabilities', json(o.capabilities), 'evidence', o.evidence, 'note', o.note, " \
	"'review_status', o.review_status, 'review_note', o.review_note, " \
	"'bases', (SELECT json_group_array(json_object('id', b.id, 'name', b.name)) FROM base b WHERE b.operator_id = o.id), " \
	"'created_by', o.created_by, 'created_at', o.created_at, 'updated_at', o.updated_at)"
#define OPERATOR_COLS \
	"o.id, o.name, o.area, o.introduced_on, o.leading_firm, o.capabilities, o.evidence, o.note, o.review_status"
#define OPERATOR_ORDER "o.area, o.name, o.id"
#define OPERATOR_WHERE \
	{"o.area = ?1", "o.review_status = ?2", "o.name LIKE '%' || ?3 || '%'", "o.introduced_on >= ?4", \
	 "o.introduced_on <= ?5", "o.leading_firm = CAST(?6 AS INTEGER)", \
	 "EXISTS (SELECT 1 FROM json_each(o.capabilities) WHERE value = ?7)"}
#define OPERATOR_SORTS {{"name", "o.name"}, {"introduced_on", "o.introduced_on"}, {"area", "o.area"}}

static const char operator_insert[] =
	"INSERT INTO operator(name, area, introduced_on, leading_firm, capabilities, evidence, note, review_status, "
	"created_by, created_at, updated_at) VALUES (?1, ?2, ?3, coalesce(?4, 0), coalesce(?5, '[]'), ?6, ?7, ?8, ?9, "
	NOW ", " NOW ")";
static const char operator_update[] =
	"UPDATE operator SET name = ?1, area = ?2, introduced_on = ?3, leading_firm = coalesce(?4, 0), "
	"capabilities = coalesce(?5, '[]'), evidence = ?6, note = ?7, review_status = ?8, updated_at = " NOW
	" WHERE id = ?9";
static const char operator_json[] = "SELECT " OPERATOR_JSON " FROM operator o WHERE o.id = ?1";
static const char operator_scope[] = "SELECT area, 0, review_status FROM operator WHERE id = ?1";
static const char operator_delete[] = "DELETE FROM operator WHERE id = ?1";
static const char operator_review[] =
	"UPDATE operator SET review_status = ?2, review_note = ?3, updated_at = " NOW " WHERE id = ?1";
static const char operator_deps[] = "SELECT (SELECT count(*) FROM base WHERE operator_id = ?1) || ' 个孵化基地'";

/* ---- 基金 ---- */

#define FUND_JSON \
	"json_object('id', f.id, 'name', f.name, 'kind', f.kind, 'stage', f.stage, 'size_yuan', f.size_yuan, " \
	"'origin', f.origin, 'established_on', f.established_on, 'manager', f.manager, 'area', f.area, " \
	"'base_id', f.base_id, 'inside_base', f.inside_base, 'targets_leading_industry', f.targets_leading_industry, " \
	"'review_status', f.review_status, 'review_note', f.review_note, " \
	"'base_name', (SELECT b.name FROM base b WHERE b.id = f.base_id), " \
	"'created_by', f.created_by, 'created_at', f.created_at, 'updated_at', f.updated_at)"
#define FUND_COLS \
	"f.id, f.name, f.kind, f.stage, f.size_yuan, f.origin, f.established_on, f.manager, f.area, f.base_id, " \
	"f.inside_base, f.targets_leading_industry, f.review_status"
#define FUND_ORDER "f.established_on, f.name, f.id"
#define FUND_WHERE \
	{"f.area = ?1", "f.review_status = ?2", "f.name LIKE '%' || ?3 || '%'", "f.established_on >= ?4", \
	 "f.established_on <= ?5", "f.stage = ?6", "f.origin = ?7"}
#define FUND_SORTS \
	{{"name", "f.name"}, {"established_on", "f.established_on"}, {"area", "f.area"}, {"size_yuan", "f.size_yuan"}}

static const char fund_insert[] =
	"INSERT INTO fund(name, kind, stage, size_yuan, origin, established_on, manager, area, base_id, inside_base, "
	"targets_leading_industry, review_status, created_by, created_at, updated_at) VALUES (?1, ?2, "
	"coalesce(?3, 'other'), coalesce(?4, 0), coalesce(?5, 'new'), ?6, ?7, ?8, ?9, coalesce(?10, 0), coalesce(?11, 0), "
	"?12, ?13, " NOW ", " NOW ")";
static const char fund_update[] =
	"UPDATE fund SET name = ?1, kind = ?2, stage = coalesce(?3, 'other'), size_yuan = coalesce(?4, 0), "
	"origin = coalesce(?5, 'new'), established_on = ?6, manager = ?7, area = ?8, base_id = ?9, "
	"inside_base = coalesce(?10, 0), targets_leading_industry = coalesce(?11, 0), review_status = ?12, "
	"updated_at = " NOW " WHERE id = ?13";
static const char fund_json[] = "SELECT " FUND_JSON " FROM fund f WHERE f.id = ?1";
static const char fund_scope[] = "SELECT area, coalesce(base_id, 0), review_status FROM fund WHERE id = ?1";
static const char fund_delete[] = "DELETE FROM fund WHERE id = ?1";
static const char fund_review[] = "UPDATE fund SET review_status = ?2, review_note = ?3, updated_at = " NOW " WHERE id = ?1";
static const char fund_deps[] = "SELECT (SELECT count(*) FROM investment WHERE fund_id = ?1) || ' 笔投资'";

/* ---- 基金投资 ---- */

#define INVESTMENT_JSON \
	"json_object('id', i.id, 'fund_id', i.fund_id, 'investee', i.investee, 'base_id', i.base_id, 'area', i.area, " \
	"'amount_yuan', i.amount_yuan, 'invested_on', i.invested_on, 'review_status', i.review_status, " \
	"'review_note', i.review_note, 'name', i.investee, " \
	"'fund_name', (SELECT f.name FROM fund f WHERE f.id = i.fund_id), " \
	"'base_name', (SELECT b.name FROM base b WHERE b.id = i.base_id), " \
	"'created_by', i.created_by, 'created_at', i.created_at, 'updated_at', i.updated_at)"
#define INVESTMENT_COLS \
	"i.id, i.fund_id, i.investee, i.base_id, i.area, i.amount_yuan, i.invested_on, i.review_status"
#define INVESTMENT_ORDER "i.invested_on, i.id"
#define INVESTMENT_WHERE \
	{"i.area = ?1", "i.review_status = ?2", "i.investee LIKE '%' || ?3 || '%'", "i.invested_on >= ?4", \
	 "i.invested_on <= ?5", "i.fund_id = CAST(?6 AS INTEGER)", "i.base_id = CAST(?7 AS INTEGER)"}
#define INVESTMENT_SORTS \
	{{"name", "i.investee"}, {"invested_on", "i.invested_on"}, {"area", "i.area"}, {"amount_yuan", "i.amount_yuan"}}

static const char investment_insert[] =
	"INSERT INTO investment(fund_id, investee, base_id, area, amount_yuan, invested_on, review_status, created_by, "
	"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, coalesce(?5, 0), ?6, ?7, ?8, " NOW ", " NOW ")";
static const char investment_update[] =
	"UPDATE investment SET fund_id = ?1, investee = ?2, base_id = ?3, area = ?4, amount_yuan = coalesce(?5, 0), "
	"invested_on = ?6, review_status = ?7, updated_at = " NOW " WHERE id = ?8";
static const char investment_json[] = "SELECT " INVESTMENT_JSON " FROM investment i WHERE i.id = ?1";
static const char investment_scope[] = "SELECT area, coalesce(base_id, 0), review_status FROM investment WHERE id = ?1";
static const char investment_delete[] = "DELETE FROM investment WHERE id = ?1";
static const char investment_review[] =
	"UPDATE investment SET review_status = ?2, review_note = ?3, updated_at = " NOW " WHERE id = ?1";

/* ---- 科创项目(团队) ---- */

#define PROJECT_JSON \
	"json_object('id', p.id, 'name', p.name, 'kind', p.kind, 'base_id', p.base_id, 'area', p.area, " \
	"'field', p.field, 'source', p.source, 'arrived_on', p.arrived_on, 'review_status', p.review_status, " \
	"'review_note', p.review_note, 'base_name', (SELECT b.name FROM base b WHERE b.id = p.base_id), " \
	"'created_by', p.created_by, 'created_at', p.created_at, 'updated_at', p.updated_at)"
#define PROJECT_COLS \
	"p.id, p.name, p.kind, p.base_id, p.area, p.field, p.source, p.arrived_on, p.review_status"
#define PROJECT_ORDER "p.arrived_on, p.id"
#define PROJECT_WHERE \
	{"p.area = ?1", "p.review_status = ?2", "(p.name LIKE '%' || ?3 || '%' OR p.field LIKE '%' || ?3 || '%')", \
	 "p.arrived_on >= ?4", "p.arrived_on <= ?5", "p.kind = ?6", "p.source = ?7"}
#define PROJECT_SORTS {{"name", "p.name"}, {"arrived_on", "p.arrived_on"}, {"area", "p.area"}}

static const char project_insert[] =
	"INSERT INTO project(name, kind, base_id, area, field, source, arrived_on, review_status, created_by, "
	"created_at, updated_at) VALUES (?1, coalesce(?2, 'project'), ?3, ?4, ?5, ?6, ?7, ?8, ?9, " NOW ", " NOW ")";
static const char project_update[] =
	"UPDATE project SET name = ?1, kind = coalesce(?2, 'project'), base_id = ?3, area = ?4, field = ?5, "
	"source = ?6, arrived_on = ?7, review_status = ?8, updated_at = " NOW " WHERE id = ?9";
static const char project_json[] = "SELECT " PROJECT_JSON " FROM project p WHERE p.id = ?1";
static const char project_scope[] = "SELECT area, coalesce(base_id, 0), review_status FROM project WHERE id = ?1";
static const char project_delete[] = "DELETE FROM project WHERE id = ?1";
static const char project_review[] =
	"UPDATE project SET review_status = ?2, review_note = ?3, updated_at = " NOW " WHERE id = ?1";

/* ---- 在孵企业 ---- */

#define FIRM_JSON \
	"json_object('id', c.id, 'name', c.name, 'uscc', c.uscc, 'base_id', c.base_id, 'area', c.area, " \
	"'entered_on', c.entered_on, 'founded_on', c.founded_on, 'industry', c.industry, " \
	"'in_leading_industry', c.in_leading_industry, 'graduated_on', c.graduated_on, 'high_tech', c.high_tech, " \
	"'review_status', c.review_status, 'review_note', c.review_note, " \
	"'base_name', (SELECT b.name FROM base b WHERE b.id = c.base_id), " \
	"'created_by', c.created_by, 'created_at', c.created_at, 'updated_at', c.updated_at)"
#define FIRM_COLS \
	"c.id, c.name, c.uscc, c.base_id, c.area, c.entered_on, c.founded_on, c.industry, c.in_leading_industry, " \
	"c.graduated_on, c.high_tech, c.review_status"
#define FIRM_ORDER "c.base_id, c.name, c.id"
#define FIRM_WHERE \
	{"c.area = ?1", "c.review_status = ?2", "(c.name LIKE '%' || ?3 || '%' OR c.uscc = upper(?3))", \
	 "c.entered_on >= ?4", "c.entered_on <= ?5", "c.base_id = CAST(?6 AS INTEGER)", \
	 "c.high_tech = CAST(?7 AS INTEGER)"}
#define FIRM_SORTS {{"name", "c.name"}, {"entered_on", "c.entered_on"}, {"area", "c.area"}}

static const char firm_insert[] =
	"INSERT INTO firm(name, uscc, base_id, area, entered_on, founded_on, industry, in_leading_industry, "
	"graduated_on, high_tech, review_status, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	"?7, coalesce(?8, 0), ?9, coalesce(?10, 0), ?11, ?12, " NOW ", " NOW ")";
static const char firm_update[] =
	"UPDATE firm SET name = ?1, uscc = ?2, base_id = ?3, area = ?4, entered_on = ?5, founded_on = ?6, "
	"industry = ?7, in_leading_industry = coalesce(?8, 0), graduated_on = ?9, high_tech = coalesce(?10, 0), "
	"review_status = ?11, updated_at = " NOW " WHERE id = ?12";
static const char firm_json[] = "SELECT " FIRM_JSON " FROM firm c WHERE c.id = ?1";
static const char firm_scope[] = "SELECT area, base_id, review_status FROM firm WHERE id = ?1";
static const char firm_delete[] = "DELETE FROM firm WHERE id = ?1";
static const char firm_review[] = "UPDATE firm SET review_status = ?2, review_note = ?3, updated_at = " NOW " WHERE id = ?1";

/* Any kind's total as the list first opens (filtered by area and review
 * status at most), from the kept counts (?12 the kind). */
static const char count_plain[] =
	"SELECT coalesce(sum(n), 0) FROM record_count WHERE kind = ?12 AND (?1 IS NULL OR area = ?1) "
	"AND (?2 IS NULL OR review_status = ?2)";

#define LIST_FILTERS 7 /* ?1..?7 */
#define LIST_SORTS 6   /* at most, per kind */

typedef struct KindSql {
	const char *kind;
	const char *insert, *update, *json, *scope, *del, *review, *deps;
	int nvalues;                     /* writable fields bound by insert and update */
	const char *from;                /* the table and its alias */
	const char *id;                  /* the alias's id */
	const char *where[LIST_FILTERS]; /* each filter's clause */
	struct {
		const char *name, *expr;
	} sorts[LIST_SORTS];
	const char *order;               /* the default order, last in every list's (an index keeps it) */
	const char *cols;                /* the columns an export reads (its fields') */
} KindSql;

static const KindSql kinds[] = {
	{"bases", base_insert, base_update, base_json, base_scope, base_delete, base_review, base_deps, 22, "base b",
	 "b.id", BASE_WHERE, BASE_SORTS, BASE_ORDER, BASE_COLS},
	{"operators", operator_insert, operator_update, operator_json, operator_scope, operator_delete, operator_review,
	 operator_deps, 7, "operator o", "o.id", OPERATOR_WHERE, OPERATOR_SORTS, OPERATOR_ORDER, OPERATOR_COLS},
	{"funds", fund_insert, fund_update, fund_json, fund_scope, fund_delete, fund_review, fund_deps, 11, "fund f", "f.id",
	 FUND_WHERE, FUND_SORTS, FUND_ORDER, FUND_COLS},
	{"investments", investment_insert, investment_update, investment_json, investment_scope, investment_delete,
	 investment_review, NULL, 6, "investment i", "i.id", INVESTMENT_WHERE, INVESTMENT_SORTS, INVESTMENT_ORDER, INVESTMENT_COLS},
	{"projects", project_insert, project_update, project_json, project_scope, project_delete, project_review, NULL, 7,
	 "project p", "p.id", PROJECT_WHERE, PROJECT_SORTS, PROJECT_ORDER, PROJECT_COLS},
	{"firms", firm_insert, firm_update, firm_json, firm_scope, firm_delete, firm_review, NULL, 10, "firm c", "c.id",
	 FIRM_WHERE, FIRM_SORTS, FIRM_ORDER, FIRM_COLS},
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
	store_memo_forget(s);
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
	store_memo_forget(s);
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

/* ---- new records in runs (an import) ----
 *
 * A run of new records of one kind is inserted by one statement per
 * RUN_ROWS rows (its cursors stay open from row to row, where a statement
 * per row opens the table and each index and seeks them from the root
 * again) and audited by one statement per run: one "create" row per record,
 * by the importer, at the time the records carry as created_at and
 * updated_at. Its after is compact: the columns the insert wrote, as a
 * JSON array in the insert's column order, without the keys, the names
 * looked up (a base's, a fund's) and what the audit row itself says (id,
 * created_by, created_at, updated_at) — a third of the record's JSON
 * object, which was half of the transaction's bytes. store_audit_after
 * gives it back as that object. The statements are made from the kind's
 * insert at first use and kept for the process's life (store_stmt keys
 * its cache by the text's address). */

#define RUN_ROWS 64 /* rows per insert statement of a run */

enum { RUN_MANY, RUN_ONE, RUN_AUDIT, RUN_SQLS };
static pthread_mutex_t run_sql_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *run_sql_made[ARRAY_LEN(kinds)][RUN_SQLS];

static char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *t = arena_alloc(a, n + 1);
	memcpy(t, s, n);
	t[n] = 0;
	return t;
}

/* k's insert as its table, its column list and its values' tuple (in a). */
static void insert_parts(const KindSql *k, Arena *a, const char **table, const char **cols, const char **tuple)
{
	const char *p = k->insert + strlen("INSERT INTO "), *open = strchr(p, '('), *close = strchr(open, ')');
	const char *values = strstr(close, "VALUES (");
	if (strncmp(k->insert, "INSERT INTO ", 12) != 0 || !open || !close || !values)
		fatal("store_records: the insert of %s is not INSERT INTO t(cols) VALUES (...)", k->kind);
	*table = arena_strndup(a, p, (size_t)(open - p));
	*cols = arena_strndup(a, open + 1, (size_t)(close - open - 1));
	*tuple = values + strlen("VALUES ");
}

/* The tuple of row r of a run statement: ?N becomes ?(1 + r * stride + N),
 * the current time (NOW) ?1, bound once. */
static void put_run_tuple(Buf *b, const char *tuple, int r, int stride)
{
	for (const char *p = tuple; *p;) {
		if (*p == '?' && p[1] >= '1' && p[1] <= '9') {
			char *end;
			long n = strtol(p + 1, &end, 10);
			buf_printf(b, "?%ld", 1 + (long)r * stride + n);
			p = end;
		} else if (strncmp(p, NOW, strlen(NOW)) == 0) {
			buf_puts(b, "?1");
			p += strlen(NOW);
		} else {
			buf_putc(b, *p++);
		}
	}
}

/* The run statement `which` of k: RUN_MANY (RUN_ROWS rows), RUN_ONE, or
 * RUN_AUDIT (?1..?2 the ids, ?3 user, ?4 addr, ?5 the time). */
static const char *run_sql(const KindSql *k, int which)
{
	const char **slot = &run_sql_made[k - kinds][which];
	pthread_mutex_lock(&run_sql_lock);
	if (!*slot) {
		Arena a = {0};
		const char *table, *cols, *tuple;
		insert_parts(k, &a, &table, &cols, &tuple);
		const char *alias = strchr(k->from, ' ') + 1;
		Buf b = {0};
		if (which == RUN_AUDIT) {
			buf_printf(&b, "INSERT INTO audit(at, user_name, addr, action, record_kind, record_id, before_json, after_json) "
			               "SELECT ?5, ?3, ?4, 'create', '%s', %s.id, NULL, json_array(", k->kind, alias);
			/* the columns but those the audit row says itself; a JSON column as JSON (as the record's JSON has it) */
			int n = 0;
			for (const char *c = cols; *c;) {
				size_t len = strcspn(c, ",");
				const char *col = arena_strndup(&a, c, len);
				if (strcmp(col, "created_by") && strcmp(col, "created_at") && strcmp(col, "updated_at")) {
					const char *as_json = arena_printf(&a, "json(%s.%s)", alias, col);
					buf_printf(&b, "%s%s", n++ ? ", " : "", strstr(k->json, as_json) ? as_json : arena_printf(&a, "%s.%s", alias, col));
				}
				c += len;
				while (*c == ',' || *c == ' ')
					c++;
			}
			buf_printf(&b, ") FROM %s WHERE %s.id BETWEEN ?1 AND ?2 ORDER BY %s.id", k->from, alias, alias);
		} else {
			buf_printf(&b, "INSERT INTO %s(%s) VALUES ", table, cols);
			for (int r = 0; r < (which == RUN_MANY ? RUN_ROWS : 1); r++) {
				if (r)
					buf_puts(&b, ", ");
				put_run_tuple(&b, tuple, r, k->nvalues + 2);
			}
		}
		*slot = buf_detach(&b);
		arena_free(&a);
	}
	const char *sql = *slot;
	pthread_mutex_unlock(&run_sql_lock);
	return sql;
}

/* The rows from..to-1 of a run by the statement st (RUN_MANY or RUN_ONE):
 * H_OK, else H_ERR. */
static int run_insert(Store *s, sqlite3_stmt *st, const char *const *const *values, int from, int to, int nvalues,
                      const char *now, const char *review_status, const char *actor)
{
	bind_text(st, 1, now);
	for (int r = from; r < to; r++) {
		int first = 2 + (r - from) * (nvalues + 2);
		bind_values(st, first, values[r], nvalues);
		bind_text(st, first + nvalues, review_status);
		bind_text(st, first + nvalues + 1, actor);
	}
	return store_step_done(s, st, "save records");
}

int store_records_insert_run(Store *s, const char *kind, const char *const *const *values, int n,
                             const char *review_status, const char *actor, const char *addr, long long *ids,
                             int *failed_at)
{
	store_memo_forget(s);
	*failed_at = -1;
	const KindSql *k = kind_sql(s, kind);
	if (!k || n <= 0)
		return k ? H_OK : H_ERR;
	sqlite3_stmt *now_st = store_stmt(s, "SELECT " NOW);
	if (!now_st || sqlite3_step(now_st) != SQLITE_ROW) {
		if (now_st)
			sqlite3_reset(now_st);
		return store_fail(s, "read the time");
	}
	char now[32];
	snprintf(now, sizeof now, "%s", (const char *)sqlite3_column_text(now_st, 0));
	sqlite3_reset(now_st);
	for (int r = 0; r < n;) {
		int many = n - r >= RUN_ROWS;
		sqlite3_stmt *st = store_stmt(s, run_sql(k, many ? RUN_MANY : RUN_ONE));
		if (!st)
			return H_ERR;
		int to = r + (many ? RUN_ROWS : 1);
		if (run_insert(s, st, values, r, to, k->nvalues, now, review_status, actor) != H_OK) {
			if (!many || !store_constraint_failed(s)) {
				*failed_at = r;
				return H_ERR;
			}
			/* the statement was undone: its rows one by one name the one refused */
			st = store_stmt(s, run_sql(k, RUN_ONE));
			for (int i = r; i < to; i++)
				if (!st || run_insert(s, st, values, i, i + 1, k->nvalues, now, review_status, actor) != H_OK) {
					*failed_at = i;
					return H_ERR;
				}
		}
		/* the rows of one statement take consecutive ids after the largest
		 * (no AUTOINCREMENT): the audit statement counts them below */
		long long last = sqlite3_last_insert_rowid(s->db);
		for (int i = r; i < to; i++)
			ids[i] = last - (to - 1 - i);
		r = to;
	}
	sqlite3_stmt *st = store_stmt(s, run_sql(k, RUN_AUDIT));
	if (!st)
		return H_ERR;
	for (int r = 0; r < n;) {
		int e = r + 1;
		while (e < n && ids[e] == ids[e - 1] + 1)
			e++;
		sqlite3_bind_int64(st, 1, ids[r]);
		sqlite3_bind_int64(st, 2, ids[e - 1]);
		bind_text(st, 3, actor ? actor : "system");
		bind_text(st, 4, addr);
		bind_text(st, 5, now);
		if (store_step_done(s, st, "write audit") != H_OK)
			return H_ERR;
		if (sqlite3_changes(s->db) != e - r) {
			snprintf(s->err, sizeof s->err, "write audit: %d rows for the %d records %lld..%lld", sqlite3_changes(s->db),
			         e - r, ids[r], ids[e - 1]);
			return H_ERR;
		}
		r = e;
	}
	return H_OK;
}

const char *store_audit_after(Arena *a, const char *kind, const char *action, const char *record_id,
                              const char *user, const char *at, const char *after)
{
	if (!after || after[0] != '[' || !action || strcmp(action, "create") != 0 || !kind)
		return after;
	const KindSql *k = NULL;
	for (size_t i = 0; i < ARRAY_LEN(kinds) && !k; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			k = &kinds[i];
	json_t *arr = k ? json_loads(after, JSON_DECODE_ANY, NULL) : NULL;
	if (!json_is_array(arr)) {
		json_decref(arr);
		return after;
	}
	const char *table, *cols, *tuple;
	insert_parts(k, a, &table, &cols, &tuple);
	json_t *o = json_object();
	long long id = id_or_zero(record_id);
	json_object_set_new(o, "id", id > 0 ? json_integer(id) : json_null());
	size_t i = 0;
	for (const char *c = cols; *c;) {
		size_t len = strcspn(c, ",");
		const char *col = arena_strndup(a, c, len);
		if (strcmp(col, "created_by") && strcmp(col, "created_at") && strcmp(col, "updated_at")) {
			json_t *v = json_array_get(arr, i++);
			json_object_set(o, col, v ? v : json_null());
		}
		c += len;
		while (*c == ',' || *c == ' ')
			c++;
	}
	json_object_set_new(o, "created_by", json_string(user ? user : ""));
	json_object_set_new(o, "created_at", json_string(at ? at : ""));
	json_object_set_new(o, "updated_at", json_string(at ? at : ""));
	char *text = json_dumps(o, JSON_COMPACT);
	const char *out = text ? arena_strdup(a, text) : after;
	free(text);
	json_decref(o);
	json_decref(arr);
	return out;
}

/* A record's JSON as SQLite's json_object() wrote it, made readable for
 * jansson: a NUL inside a stored text (a hand edit, CAST(X'00' AS TEXT);
 * the doors refuse it) is written "\u0000", which jansson refuses, and the
 * record would vanish from lists; it reads as U+FFFD, like any other byte
 * that is not text (col_text). j is the caller's arena copy. */
static const char *json_nul_as_fffd(const char *j)
{
	if (!j || !strstr(j, "\\u0000"))
		return j;
	char *w = (char *)j;
	for (char *p = strstr(w, "\\u0000"); p; p = strstr(p + 6, "\\u0000")) {
		size_t slashes = 0; /* an escape when an even number of backslashes comes before */
		while (p - slashes > w && *(p - slashes - 1) == '\\')
			slashes++;
		if (slashes % 2 == 0)
			memcpy(p, "\\ufffd", 6);
	}
	return j;
}

int store_record_json_get(Store *s, Arena *a, const char *kind, long long id, const char **out)
{
	*out = NULL;
	const KindSql *k = kind_sql(s, kind);
	sqlite3_stmt *st = k ? store_stmt(s, k->json) : NULL;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		*out = json_nul_as_fffd(col_text(a, st, 0));
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read record");
	}
	sqlite3_reset(st);
	return found;
}

const char *store_record_json(Store *s, Arena *a, const char *kind, long long id)
{
	const char *j;
	return store_record_json_get(s, a, kind, id, &j) == 1 ? j : NULL;
}

/* ---- the lists' statements ----
 *
 * One statement per kind, set of filters given, sort and direction, put
 * together on first use from the kind's fragments (KindSql) and kept for
 * the process's life: the statement cache is keyed by the text's address
 * (store_stmt), so each text is made once and shared by every connection.
 * At most 6 kinds × 128 sets × 7 orders × 2 directions × 2 shapes (a
 * page's ids, an export's rows) + 6 × 128 counts, a few hundred bytes
 * each; in practice the few combinations people use.
 *
 * A page reads its ids in order (from an index where one keeps the order),
 * then each record by id. An export reads every column it writes from one
 * statement instead, and in the table's order: the filters pick the ids in
 * a subquery (from their index), the rows are read in rowid order (each
 * page of the table once, in file order) and SQLite sorts them after. Read
 * in the list's order, the firms of a half-year window were 98,921 reads of
 * pages at random over a 600 MB file (issue 20). No LIMIT: with one,
 * SQLite keeps the sorted rows in a temporary b-tree, 4× slower for a
 * million than its sorter; the cursor stops at its limit instead. */

static pthread_mutex_t list_sql_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *list_sql_made[ARRAY_LEN(kinds)][1 << LIST_FILTERS][LIST_SORTS + 1][2][2];
static const char *count_sql_made[ARRAY_LEN(kinds)][1 << LIST_FILTERS];

/* The filters given: bit i for ?(i+1). NULL is "not given"; "" is a value
 * (as the generic statement's `?N IS NULL OR` had it). */
static unsigned filter_mask(const RecordFilter *f)
{
	const char *v[LIST_FILTERS] = {f->area, f->review_status, f->q, f->from, f->to, f->extra1, f->extra2};
	unsigned m = 0;
	for (int i = 0; i < LIST_FILTERS; i++)
		if (v[i])
			m |= 1u << i;
	return m;
}

/* Binds the filters given (the statement names no other). */
static void bind_filter(sqlite3_stmt *st, const RecordFilter *f)
{
	const char *v[LIST_FILTERS] = {f->area, f->review_status, f->q, f->from, f->to, f->extra1, f->extra2};
	for (int i = 0; i < LIST_FILTERS; i++)
		if (v[i])
			bind_text(st, i + 1, v[i]);
}

/* "WHERE a AND b ..." of the filters in mask, or nothing. */
static void put_where(Buf *b, const KindSql *k, unsigned mask)
{
	const char *sep = " WHERE ";
	for (int i = 0; i < LIST_FILTERS; i++)
		if (mask & (1u << i)) {
			buf_puts(b, sep);
			buf_puts(b, k->where[i]);
			sep = " AND ";
		}
}

/* The count of the records matching the filters in mask. */
static const char *count_sql(const KindSql *k, unsigned mask)
{
	const char **slot = &count_sql_made[k - kinds][mask];
	pthread_mutex_lock(&list_sql_lock);
	if (!*slot) {
		Buf b = {0};
		buf_printf(&b, "SELECT count(*) FROM %s", k->from);
		put_where(&b, k, mask);
		*slot = buf_detach(&b);
	}
	const char *sql = *slot;
	pthread_mutex_unlock(&list_sql_lock);
	return sql;
}

/* The records matching the filters in mask, sorted by the kind's sort
 * sort (1..; 0: none) ascending or descending, then in the default order:
 * a page's ids (?10 limit, ?11 offset), or (export) an export's columns,
 * every row. */
static const char *list_sql(const KindSql *k, unsigned mask, int sort, int desc, int export)
{
	const char **slot = &list_sql_made[k - kinds][mask][sort][desc][export];
	pthread_mutex_lock(&list_sql_lock);
	if (!*slot) {
		Buf b = {0};
		if (!export) {
			buf_printf(&b, "SELECT %s FROM %s", k->id, k->from);
			put_where(&b, k, mask);
		} else {
			buf_printf(&b, "SELECT %s FROM %s NOT INDEXED", k->cols, k->from);
			if (mask) {
				buf_printf(&b, " WHERE %s IN (SELECT %s FROM %s", k->id, k->id, k->from);
				put_where(&b, k, mask);
				buf_putc(&b, ')');
			}
		}
		buf_puts(&b, " ORDER BY ");
		if (sort)
			buf_printf(&b, "%s%s, ", k->sorts[sort - 1].expr, desc ? " DESC" : "");
		buf_puts(&b, k->order);
		if (!export)
			buf_puts(&b, " LIMIT ?10 OFFSET ?11");
		*slot = buf_detach(&b);
	}
	const char *sql = *slot;
	pthread_mutex_unlock(&list_sql_lock);
	return sql;
}

/* The sort f asks for: 1.. a sort of the kind, 0 none (an unknown name is
 * none: the default order, ascending). */
static int sort_of(const KindSql *k, const RecordFilter *f)
{
	for (int i = 0; f->sort && i < LIST_SORTS && k->sorts[i].name; i++)
		if (strcmp(k->sorts[i].name, f->sort) == 0)
			return i + 1;
	return 0;
}

/* Counts the records f matches into *total and returns the list's
 * statement bound: stepping it gives their ids in order (limit, offset), or
 * with export their rows (list_sql). NULL on failure (s->err). Filtered by
 * area and review status at most, the count is the kept one
 * (record_count). */
static sqlite3_stmt *list_open(Store *s, const KindSql *k, const RecordFilter *f, int limit, int offset, int export,
                               long long *total)
{
	unsigned mask = filter_mask(f);
	int plain = (mask & ~3u) == 0;
	sqlite3_stmt *st = store_stmt(s, plain ? count_plain : count_sql(k, mask));
	if (!st)
		return NULL;
	if (plain) {
		bind_text(st, 1, f->area);
		bind_text(st, 2, f->review_status);
		bind_text(st, 12, k->kind);
	} else {
		bind_filter(st, f);
	}
	int rc = sqlite3_step(st);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		store_fail(s, "count records");
		return NULL;
	}
	int sort = sort_of(k, f);
	if (!(st = store_stmt(s, list_sql(k, mask, sort, sort && f->desc, export))))
		return NULL;
	bind_filter(st, f);
	if (!export) {
		sqlite3_bind_int(st, 10, limit);
		sqlite3_bind_int(st, 11, offset);
	}
	return st;
}

const char *store_record_list_sql(const char *kind, const RecordFilter *f, const char **count, int export)
{
	const KindSql *k = NULL;
	for (size_t i = 0; i < ARRAY_LEN(kinds) && !k; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			k = &kinds[i];
	if (!k)
		return NULL;
	unsigned mask = filter_mask(f);
	if (count)
		*count = count_sql(k, mask);
	int sort = sort_of(k, f);
	return list_sql(k, mask, sort, sort && f->desc, export);
}

int store_record_list(Store *s, Arena *a, const char *kind, const RecordFilter *f, const char ***rows,
                      long long *total)
{
	const KindSql *k = kind_sql(s, kind);
	if (!k)
		return -1;
	sqlite3_stmt *st = list_open(s, k, f, f->limit > 0 ? f->limit : 50, f->offset, 0, total);
	if (!st)
		return -1;
	/* The list statement gives the page's ids in order (sorting ids only is
	 * cheap); each record's JSON is then read by its key. */
	int n = 0, cap = 0;
	long long *ids = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*(long long *)arena_push(a, &ids, &n, &cap, sizeof *ids) = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list records");
	const char **v = arena_alloc(a, sizeof *v * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		if (!(v[i] = store_record_json(s, a, kind, ids[i])))
			return store_fail(s, "read listed record");
	*rows = v;
	return n;
}

/* An export's read of the records, one at a time (store.h), each a row of
 * the columns it writes (list_sql's export shape). It holds one read
 * transaction from the count to the last record: the file is one
 * consistent state even while others write (WAL: writers are not blocked,
 * and a reader never waits for them). The price: while it is open, a
 * checkpoint cannot copy into the database the pages committed after its
 * snapshot began, so the WAL grows by what is written meanwhile and is
 * reset only after the export ends (the checkpointer catches up then). An
 * export of a million firms holds it for seconds; a client that reads
 * slowly holds it longer, so the callers bound an export's time
 * (TRANSFER_EXPORT_SECONDS) and close it when the client goes. */
struct RecordCursor {
	Store *s;
	sqlite3_stmt *st;
	int ncols;
	const char **names; /* in keep */
	long long limit, rows;
	int done;
	Arena keep;         /* the names */
	Arena row;          /* a row's texts that were not stored as UTF-8 */
};

RecordCursor *store_record_cursor(Store *s, const char *kind, const RecordFilter *f, long long *total)
{
	const KindSql *k = kind_sql(s, kind);
	if (!k)
		return NULL;
	/* SQLite sorts the rows, holding them (200 bytes or so each: 200 MB
	 * for a million) in memory while sorting when temp files are kept in
	 * memory (store_open's temp_store, for the statement journals of
	 * writes); a read has no journal: its sort spills to temp files past
	 * the page cache's size instead. */
	if (sqlite3_exec(s->db, "PRAGMA temp_store = FILE; BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s, "begin export");
		sqlite3_exec(s->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
		return NULL;
	}
	sqlite3_stmt *st = list_open(s, k, f, 0, 0, 1, total);
	if (!st) {
		store_rollback(s);
		sqlite3_exec(s->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
		return NULL;
	}
	RecordCursor *c = xcalloc(1, sizeof *c);
	c->s = s;
	c->st = st;
	c->limit = f->limit > 0 ? f->limit : LLONG_MAX;
	c->ncols = sqlite3_column_count(st);
	c->names = arena_alloc(&c->keep, sizeof *c->names * (size_t)(c->ncols + 1));
	for (int i = 0; i < c->ncols; i++)
		c->names[i] = arena_strdup(&c->keep, sqlite3_column_name(st, i));
	return c;
}

int store_record_cursor_columns(const RecordCursor *c, const char *const **names)
{
	*names = c->names;
	return c->ncols;
}

/* Column i of the cursor's row as the record's JSON (store_record_json)
 * gives it, which is what exports wrote before they read the columns
 * themselves: a real to 15 significant digits (json_object's "%!.15g"),
 * a NUL byte in a text as U+FFFD (json_nul_as_fffd), and so any byte that
 * is not UTF-8 (col_text). */
static StoreValue cursor_value(RecordCursor *c, int i)
{
	sqlite3_stmt *st = c->st;
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return (StoreValue){.type = SV_NULL};
	case SQLITE_INTEGER:
		return (StoreValue){.type = SV_NUM, .num = (double)sqlite3_column_int64(st, i)};
	case SQLITE_FLOAT: {
		double d = sqlite3_column_double(st, i);
		if (!(d == floor(d) && fabs(d) < 1e15)) { /* whole numbers below 1e15 have 15 digits or fewer */
			char t[64];
			sqlite3_snprintf(sizeof t, t, "%!.15g", d);
			d = strtod(t, NULL);
		}
		return (StoreValue){.type = SV_NUM, .num = d};
	}
	default: {
		const char *t = (const char *)sqlite3_column_text(st, i);
		size_t n = (size_t)sqlite3_column_bytes(st, i);
		if (!t)
			return (StoreValue){.type = SV_NULL};
		if (memchr(t, 0, n)) {
			Buf b = {0};
			for (size_t j = 0; j < n; j++) {
				if (t[j])
					buf_putc(&b, t[j]);
				else
					buf_append(&b, "\xEF\xBF\xBD", 3);
			}
			t = arena_strdup(&c->row, buf_str(&b));
			n = b.len;
			buf_free(&b);
		}
		if (!utf8_valid(t, n)) /* as col_text */
			t = utf8_sanitize(&c->row, arena_strdup(&c->row, t));
		return (StoreValue){.type = SV_TEXT, .text = t};
	}
	}
}

int store_record_cursor_next(RecordCursor *c, StoreValue *v)
{
	arena_free(&c->row);
	if (c->done)
		return 0;
	if (c->rows >= c->limit) {
		c->done = 1;
		return 0;
	}
	int rc = sqlite3_step(c->st);
	if (rc != SQLITE_ROW) {
		c->done = 1;
		if (rc == SQLITE_DONE)
			return 0;
		store_fail(c->s, "read records");
		return -1;
	}
	c->rows++;
	for (int i = 0; i < c->ncols; i++)
		v[i] = cursor_value(c, i);
	return 1;
}

void store_record_cursor_close(RecordCursor *c)
{
	if (!c)
		return;
	sqlite3_reset(c->st);
	store_rollback(c->s); /* ends the read transaction */
	sqlite3_exec(c->s->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	arena_free(&c->row);
	arena_free(&c->keep);
	free(c);
}

int store_record_scope(Store *s, Arena *a, const char *kind, long long id, const char **area, long long *base_id)
{
	const char *status;
	return store_record_visibility(s, a, kind, id, area, base_id, &status);
}

int store_record_visibility(Store *s, Arena *a, const char *kind, long long id, const char **area,
                            long long *base_id, const char **review_status)
{
	const KindSql *k = kind_sql(s, kind);
	/* a base, as an import asks for each of its firms (store_memo.c) */
	char key[32] = "";
	StoreMemoValue m;
	if (k && s->memo && strcmp(kind, "bases") == 0) {
		snprintf(key, sizeof key, "b\x1f%lld", id);
		if (store_memo_get(s, key, &m)) {
			if (m.id) { /* found: as the query sets them (absent: left as they are) */
				*area = m.text ? arena_strdup(a, m.text) : NULL;
				*base_id = m.id2;
				*review_status = m.text2 ? arena_strdup(a, m.text2) : NULL;
			}
			return (int)m.id;
		}
	}
	sqlite3_stmt *st = k ? store_stmt(s, k->scope) : NULL;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		*area = col_text(a, st, 0);
		*base_id = sqlite3_column_int64(st, 1);
		*review_status = col_text(a, st, 2);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read record");
	}
	sqlite3_reset(st);
	if (*key && found >= 0) {
		m = (StoreMemoValue){found, found ? *base_id : 0, found ? (char *)*area : NULL, found ? (char *)*review_status : NULL};
		store_memo_put(s, key, &m);
	}
	return found;
}

int store_record_set_review(Store *s, const char *kind, long long id, const char *status, const char *note)
{
	store_memo_forget(s);
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
	store_memo_forget(s);
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
	if (s->memo && sql == q_base) { /* as an import asks (store_memo.c) */
		Arena a = {0};
		const char *area, *status;
		long long b;
		int found = store_record_visibility(s, &a, "bases", id, &area, &b, &status);
		arena_free(&a);
		return found;
	}
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

/* The picker's SQL per referenced table: [0] by exact name, [1] by part of
 * the name (area first), [2] by id. */
static const char *const *ref_sql(const char *table)
{
#define REF_SQL(T) \
	"SELECT id, name, area FROM " T " WHERE name = ?1 ORDER BY id LIMIT ?2", \
	"SELECT id, name, area FROM " T " WHERE (?1 = '' OR instr(name, ?1) > 0) " \
	"ORDER BY (area = ?2) DESC, name, id LIMIT ?3", \
	"SELECT id, name, area FROM " T " WHERE id = ?1"
	static const char *const op[] = {REF_SQL("operator")}, *const base[] = {REF_SQL("base")},
	                         *const fund[] = {REF_SQL("fund")};
#undef REF_SQL
	const char *const *sql = !strcmp(table, "operator") ? op : !strcmp(table, "base") ? base : !strcmp(table, "fund") ? fund : NULL;
	if (!sql)
		fatal("ref_sql: unknown table %s", table);
	return sql;
}

/* Reads the rows of a bound picker statement into *out (at most max). */
static int ref_rows(sqlite3_stmt *st, Arena *a, int max, RefChoice **out)
{
	RefChoice *rows = arena_alloc(a, sizeof *rows * (size_t)(max > 0 ? max : 1));
	int n = 0, rc;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows[n].id = sqlite3_column_int64(st, 0);
		rows[n].name = col_text(a, st, 1);
		rows[n].area = col_text(a, st, 2);
		n++;
	}
	sqlite3_reset(st);
	*out = rows;
	return n;
}

int store_ref_named(Store *s, Arena *a, const char *table, const char *name, int max, RefChoice **out)
{
	sqlite3_stmt *st = store_stmt(s, ref_sql(table)[0]);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, max);
	return ref_rows(st, a, max, out);
}

int store_ref_choices(Store *s, Arena *a, const char *table, const char *q, const char *area, int limit, RefChoice **out)
{
	sqlite3_stmt *st = store_stmt(s, ref_sql(table)[1]);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, q ? q : "", -1, SQLITE_TRANSIENT);
	if (area)
		sqlite3_bind_text(st, 2, area, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int(st, 3, limit);
	return ref_rows(st, a, limit, out);
}

int store_ref_get(Store *s, Arena *a, const char *table, long long id, RefChoice *out)
{
	sqlite3_stmt *st = store_stmt(s, ref_sql(table)[2]);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	RefChoice *row;
	int n = ref_rows(st, a, 1, &row);
	if (n == 1)
		*out = row[0];
	return n;
}

long long store_record_uscc_owner(Store *s, const char *kind, const char *uscc, long long except_id)
{
	static const char sql[] = "SELECT id FROM firm WHERE uscc = ?1 AND id <> ?2 LIMIT 1";
	if (strcmp(kind, "firms") != 0 || !uscc || !*uscc)
		return 0;
	/* the code is UNIQUE: the one firm that has it, kept while an import runs (store_memo.c) */
	char *key = NULL;
	if (s->memo) {
		key = xmalloc(strlen(uscc) + 3);
		sprintf(key, "u\x1f%s", uscc);
	}
	StoreMemoValue m;
	if (key && store_memo_get(s, key, &m)) {
		free(key);
		return m.id != except_id ? m.id : 0;
	}
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st) {
		free(key);
		return -1;
	}
	bind_text(st, 1, uscc);
	sqlite3_bind_int64(st, 2, except_id);
	int rc = sqlite3_step(st);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
	if (id < 0)
		store_fail(s, "read uscc");
	sqlite3_reset(st);
	if (key && (id > 0 || (id == 0 && except_id <= 0))) {
		m = (StoreMemoValue){id, 0, NULL, NULL};
		store_memo_put(s, key, &m);
	}
	free(key);
	return id;
}

/* The record of kind with the natural key (registry_natural_key) given by
 * the key's field names and values, other than except_id: its id, 0 when
 * none, -1 on error. One statement per kind and key. */
long long store_record_by_key(Store *s, const char *kind, const char *const *key, const char *const *vals,
                              long long except_id)
{
	static const struct {
		const char *kind, *key, *sql;
	} q[] = {
		{"bases", "name,area", "SELECT id FROM base WHERE name = ?1 AND area = ?2 AND id <> ?9 ORDER BY id LIMIT 1"},
		{"operators", "name", "SELECT id FROM operator WHERE name = ?1 AND id <> ?9 ORDER BY id LIMIT 1"},
		{"funds", "name,established_on",
		 "SELECT id FROM fund WHERE name = ?1 AND established_on = ?2 AND id <> ?9 ORDER BY id LIMIT 1"},
		{"investments", "fund_id,investee,invested_on",
		 "SELECT id FROM investment WHERE fund_id = ?1 AND investee = ?2 AND invested_on = ?3 AND id <> ?9 "
		 "ORDER BY id LIMIT 1"},
		{"projects", "name,area,arrived_on",
		 "SELECT id FROM project WHERE name = ?1 AND area = ?2 AND arrived_on = ?3 AND id <> ?9 ORDER BY id LIMIT 1"},
		{"firms", "uscc", "SELECT id FROM firm WHERE uscc = ?1 AND id <> ?9 ORDER BY id LIMIT 1"},
		{"firms", "name,base_id", "SELECT id FROM firm WHERE name = ?1 AND base_id = ?2 AND id <> ?9 ORDER BY id LIMIT 1"},
	};
	char names[128] = "";
	size_t len = 0;
	int n = 0;
	for (; key && key[n]; n++)
		len += (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0, "%s%s", n ? "," : "", key[n]);
	if (strcmp(kind, "firms") == 0 && strcmp(names, "uscc") == 0) /* the same question (a UNIQUE code) */
		return store_record_uscc_owner(s, kind, vals[0], except_id);
	for (size_t i = 0; i < ARRAY_LEN(q); i++) {
		if (strcmp(q[i].kind, kind) != 0 || strcmp(q[i].key, names) != 0)
			continue;
		/* while an import runs (store_memo.c): the first record with the key, or none */
		Buf kb = {0};
		StoreMemoValue m;
		if (s->memo) {
			buf_printf(&kb, "k\x1f%s\x1f%s", kind, names);
			for (int k = 0; k < n; k++)
				buf_printf(&kb, "\x1f%s", vals[k] ? vals[k] : "");
			if (store_memo_get(s, buf_str(&kb), &m) && m.id != except_id) {
				buf_free(&kb);
				return m.id;
			}
		}
		sqlite3_stmt *st = store_stmt(s, q[i].sql);
		if (!st) {
			buf_free(&kb);
			return -1;
		}
		for (int k = 0; k < n; k++)
			bind_text(st, k + 1, vals[k]);
		sqlite3_bind_int64(st, 9, except_id);
		int rc = sqlite3_step(st);
		long long id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
		if (id < 0)
			store_fail(s, "find a record by its key");
		sqlite3_reset(st);
		if (kb.len && id >= 0 && except_id <= 0) {
			m = (StoreMemoValue){id, 0, NULL, NULL};
			store_memo_put(s, buf_str(&kb), &m);
		}
		buf_free(&kb);
		return id;
	}
	return 0;
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

#define CHANGE_COLUMNS \
	"id, kind, record_id, area, payload, status, submitted_by, submitted_at, reviewed_by, reviewed_at, note"

/* Reads the CHANGE_COLUMNS of the current row. */
static void read_change(Arena *a, sqlite3_stmt *st, PendingChange *c)
{
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

int store_changes(Store *s, Arena *a, const char *area, const char *kind, long long record_id, PendingChange **out)
{
	static const char sql[] =
		"SELECT " CHANGE_COLUMNS " FROM pending_change WHERE status = 'pending' AND (?1 IS NULL OR area = ?1) "
		"AND (?2 IS NULL OR kind = ?2) AND (?3 = 0 OR record_id = ?3) ORDER BY submitted_at, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, area);
	bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, record_id);
	int n = 0, cap = 0;
	PendingChange *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		read_change(a, st, arena_push(a, &v, &n, &cap, sizeof(PendingChange)));
	sqlite3_reset(st);
	*out = v;
	return n;
}

int store_change_get(Store *s, Arena *a, long long id, PendingChange *c)
{
	static const char sql[] = "SELECT " CHANGE_COLUMNS " FROM pending_change WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		read_change(a, st, c);
	sqlite3_reset(st);
	return found;
}

int store_change_open_by(Store *s, Arena *a, const char *kind, long long record_id, const char *by, PendingChange *c)
{
	static const char sql[] = "SELECT " CHANGE_COLUMNS " FROM pending_change WHERE status = 'pending' AND kind = ?1 "
	                          "AND record_id = ?2 AND submitted_by = ?3 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, record_id);
	bind_text(st, 3, by);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_change(a, st, c);
	else if (rc != SQLITE_DONE)
		store_fail(s, "read open proposed change");
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_change_replace(Store *s, long long id, const char *area, const char *payload)
{
	static const char sql[] = "UPDATE pending_change SET area = ?2, payload = ?3, submitted_at = " NOW " "
	                          "WHERE id = ?1 AND status = 'pending'";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, area);
	bind_text(st, 3, payload);
	if (store_step_done(s, st, "replace proposed change") != H_OK)
		return H_ERR;
	return sqlite3_changes(s->db) == 1 ? H_OK : H_ERR;
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

/* The waiting new records of every kind, one row each (kind, id, name,
 * area, review_status, by, at); ?1 an area (with the areas under it) or
 * NULL, ?2 a kind or NULL. Each table is read through its (area,
 * review_status) index, one area at a time (every area of the plan when ?1
 * is NULL): a scan of the table would read a million firms to find none. */
#define REVIEW_AREAS \
	"area IN (SELECT area FROM area_ancestor WHERE ancestor = ?1 UNION ALL SELECT code FROM area WHERE ?1 IS NULL) " \
	"AND review_status = 'pending'"
#define REVIEW_BRANCH(kind, table, name) \
	"SELECT '" kind "' AS kind, id, " name " AS name, area, review_status, created_by, updated_at FROM " table " " \
	"WHERE " REVIEW_AREAS " AND (?2 IS NULL OR ?2 = '" kind "')"
#define REVIEW_QUEUE \
	REVIEW_BRANCH("bases", "base", "name") " UNION ALL " REVIEW_BRANCH("operators", "operator", "name") \
	" UNION ALL " REVIEW_BRANCH("funds", "fund", "name") " UNION ALL " REVIEW_BRANCH("investments", "investment", "investee") \
	" UNION ALL " REVIEW_BRANCH("projects", "project", "name") " UNION ALL " REVIEW_BRANCH("firms", "firm", "name")

/* Binds a review filter's area and kind as ?1 and ?2. */
static void bind_review_filter(sqlite3_stmt *st, const ReviewFilter *f)
{
	bind_text(st, 1, f ? f->area : NULL);
	bind_text(st, 2, f ? f->kind : NULL);
}

/* Runs a count(*) statement with the filter bound: the count, -1 on error. */
static int review_count(Store *s, const char *sql, const ReviewFilter *f)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_review_filter(st, f);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	if (n < 0)
		store_fail(s, "count the review queue");
	sqlite3_reset(st);
	return n;
}

/* The page statement sql of a review list with the filter, limit (?3) and
 * offset (?4) bound, after counting what matches with count_sql into
 * *total (when total is given); NULL on error. */
static sqlite3_stmt *review_page(Store *s, const char *sql, const char *count_sql, const ReviewFilter *f, int *total)
{
	if (total && (*total = review_count(s, count_sql, f)) < 0)
		return NULL;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return NULL;
	bind_review_filter(st, f);
	sqlite3_bind_int(st, 3, f && f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int(st, 4, f && f->offset > 0 ? f->offset : 0);
	return st;
}

int store_review_queue(Store *s, Arena *a, const ReviewFilter *f, ReviewItem **out, int *total)
{
	static const char sql[] = "SELECT * FROM (" REVIEW_QUEUE ") ORDER BY updated_at, kind, id LIMIT ?3 OFFSET ?4";
	static const char count_sql[] = "SELECT count(*) FROM (" REVIEW_QUEUE ")";
	*out = NULL;
	sqlite3_stmt *st = review_page(s, sql, count_sql, f, total);
	if (!st)
		return -1;
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

int store_changes_waiting(Store *s, Arena *a, const ReviewFilter *f, PendingChange **out, int *total)
{
#define CHANGES_WAITING \
	"FROM pending_change WHERE status = 'pending' " \
	"AND (?1 IS NULL OR area IN (SELECT area FROM area_ancestor WHERE ancestor = ?1)) AND (?2 IS NULL OR kind = ?2)"
	static const char sql[] = "SELECT " CHANGE_COLUMNS " " CHANGES_WAITING " ORDER BY submitted_at, id LIMIT ?3 OFFSET ?4";
	static const char count_sql[] = "SELECT count(*) " CHANGES_WAITING;
#undef CHANGES_WAITING
	*out = NULL;
	sqlite3_stmt *st = review_page(s, sql, count_sql, f, total);
	if (!st)
		return -1;
	int n = 0, cap = 0;
	PendingChange *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		read_change(a, st, arena_push(a, &v, &n, &cap, sizeof(PendingChange)));
	sqlite3_reset(st);
	*out = v;
	return n;
}
