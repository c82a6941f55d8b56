/*
 * test_store.c — the store (src/store*.c): opening a database (pragmas,
 * refusing what is not SQLite), the stepwise migrations, saving the plan,
 * the append-only audit trail, foreign keys, settings, and the demo data
 * set (its counts, and that two loads give the same database).
 *
 * Databases are ":memory:" or mkstemp files under /tmp, removed at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "plan.h"
#include "store.h"
#include "store_admin.h"
#include "store_internal.h"
#include "testutil.h"

/* ---- helpers ---- */

/* A fresh temp path (the file exists, empty). */
static void temp_path(char out[64])
{
	snprintf(out, 64, "/tmp/hatchery-test-XXXXXX");
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
}


/* The first column of the first row of sql, as a double; fails the test on error. */
static double q_num(Store *s, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(s)));
	double v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Same as text, copied into out. */
static void q_text(Store *s, const char *sql, char *out, size_t outsz)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(s)));
	out[0] = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static int table_exists(Store *s, const char *name)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", name);
	return q_num(s, sql) > 0;
}

static int column_exists(Store *s, const char *table, const char *col)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = '%s'", table, col);
	return q_num(s, sql) > 0;
}

/* An in-memory store holding the embedded plan (parsed into a). */
static Store *store_with_plan(Arena *a, Plan **pp)
{
	Plan *p = tu_embedded_plan(a);
	Store *s = tu_store_memory();
	tu_save_plan(s, p);
	if (pp)
		*pp = p;
	return s;
}

/* ---- opening ---- */

static void test_new_file_db(void **state)
{
	(void)state;
	char path[64], err[512] = "", mode[32] = "", mode2[32] = "";
	temp_path(path);
	int latest = store_migrations[store_migration_count - 1].version;
	int version = -1, user_version = -1, fk = -1, app_id = -1, tables = 0, version2 = -1;
	Store *s = store_open(path, STORE_CREATE, err, sizeof err);
	if (s) {
		version = store_version(s);
		user_version = (int)q_num(s, "PRAGMA user_version");
		q_text(s, "PRAGMA journal_mode", mode, sizeof mode);
		fk = (int)q_num(s, "PRAGMA foreign_keys");
		app_id = (int)q_num(s, "PRAGMA application_id");
		tables = table_exists(s, "audit") && table_exists(s, "base_area_change");
		store_close(s);
		/* Reopening an existing database needs no STORE_CREATE. */
		s = store_open(path, 0, err, sizeof err);
		if (s) {
			version2 = store_version(s);
			q_text(s, "PRAGMA journal_mode", mode2, sizeof mode2);
			store_close(s);
		}
	}
	tu_remove_db(path);
	if (!s)
		fail_msg("store_open: %s", err);
	assert_true(latest >= 1);
	assert_int_equal(version, latest);
	assert_int_equal(user_version, latest);
	assert_string_equal(mode, "wal");
	assert_int_equal(fk, 1);
	assert_int_equal(app_id, 0x48415443);
	assert_true(tables);
	assert_int_equal(version2, latest);
	assert_string_equal(mode2, "wal");
}

static void test_memory_db(void **state)
{
	(void)state;
	Store *s = tu_store_memory();
	assert_int_equal(store_version(s), store_migrations[store_migration_count - 1].version);
	assert_int_equal((int)q_num(s, "PRAGMA foreign_keys"), 1);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM plan_doc"), 0);
	store_close(s);
}

/* The statement cache: more distinct statements than slots are prepared,
 * the least recently used make room (none fatal), each answers right when
 * asked again, and a statement whose rows are being read is never
 * finalized under its reader. */
static char stmt_texts[STMT_CACHE_SLOTS * 2 + 50][48]; /* static storage: the cache's keys */

static long long stmt_value(Store *s, const char *sql)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static void test_stmt_cache_evicts(void **state)
{
	(void)state;
	Store *s = tu_store_memory();
	const int n = (int)ARRAY_LEN(stmt_texts);
	for (int i = 0; i < n; i++)
		snprintf(stmt_texts[i], sizeof stmt_texts[i], "SELECT %d + 0", i);
	/* a reader part-way through a statement's rows */
	static const char rows_sql[] = "SELECT value FROM json_each('[10, 20, 30]') ORDER BY value";
	sqlite3_stmt *rows = store_stmt(s, rows_sql);
	assert_non_null(rows);
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(rows, 0), 10);
	/* a hot statement, used all along: kept */
	static const char hot[] = "SELECT 7";
	for (int i = 0; i < n; i++) {
		assert_int_equal(stmt_value(s, stmt_texts[i]), i);
		assert_int_equal(stmt_value(s, hot), 7);
	}
	assert_true(store_stmt_evictions(s) >= n - STMT_CACHE_SLOTS);
	/* the reader still reads its rows */
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(rows, 0), 20);
	sqlite3_reset(rows);
	/* and again, the other way round: evicted ones are prepared again */
	for (int i = n - 1; i >= 0; i--) {
		assert_int_equal(stmt_value(s, stmt_texts[i]), i);
		assert_int_equal(stmt_value(s, hot), 7);
	}
	long long before = store_stmt_evictions(s);
	assert_int_equal(stmt_value(s, hot), 7);
	assert_int_equal(stmt_value(s, stmt_texts[0]), 0); /* just used: still there */
	assert_int_equal(store_stmt_evictions(s), before);
	store_close(s);
}

static void test_open_missing_without_create(void **state)
{
	(void)state;
	char path[64], err[512] = "";
	temp_path(path);
	tu_remove_db(path);
	assert_null(store_open(path, 0, err, sizeof err));
	assert_contains(err, "cannot open database");
	assert_contains(err, path);
	assert_int_equal(access(path, F_OK), -1); /* not created */
}

static void test_open_not_sqlite(void **state)
{
	(void)state;
	char path[64], err[512] = "";
	temp_path(path);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fprintf(f, "this is a plain text file, line %d, and not a database\n", i);
	fclose(f);
	size_t before = 0, after = 0;
	char *orig = file_read(path, &before);
	assert_non_null(orig);

	Store *s = store_open(path, STORE_CREATE, err, sizeof err);
	int opened = s != NULL;
	store_close(s);
	char *now = file_read(path, &after);
	int same = now && after == before && memcmp(now, orig, before) == 0;
	free(orig);
	free(now);
	tu_remove_db(path);

	assert_false(opened);
	assert_contains(err, path);
	assert_contains(err, "not a database");
	assert_true(same); /* the file is left as it was */
}

/* An SQLite database of another program (its own application_id) is not
 * a hatchery database: opening it must refuse it and leave it untouched,
 * not stamp hatchery's id on it and create hatchery's tables inside. */
static void test_open_foreign_sqlite(void **state)
{
	(void)state;
	char path[64], err[512] = "";
	temp_path(path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 305419896; CREATE TABLE notes(x); "
	                                  "INSERT INTO notes VALUES ('keep');", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	Store *s = store_open(path, 0, err, sizeof err);
	int opened = s != NULL;
	store_close(s);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT application_id FROM pragma_application_id), "
	                                        "(SELECT count(*) FROM sqlite_master WHERE name = 'setting')",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int app_id = sqlite3_column_int(st, 0), has_setting = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	tu_remove_db(path);

	assert_int_equal(app_id, 305419896);
	assert_int_equal(has_setting, 0);
	assert_false(opened);
	assert_contains(err, path);
}

/* ---- migrations ---- */

static const StoreMigration migs[] = {
	{1, "CREATE TABLE a(x)"},
	{2, "ALTER TABLE a ADD COLUMN y"},
	{3, "CREATE TABLE b(x); bogus"},
};

static Store *open_unmigrated(void)
{
	char err[512] = "";
	Store *s = store_open(":memory:", STORE_CREATE | STORE_NO_MIGRATE, err, sizeof err);
	if (!s)
		fail_msg("store_open: %s", err);
	return s;
}

static void test_migrate_stepwise(void **state)
{
	(void)state;
	char err[512] = "";
	Store *s = open_unmigrated();
	assert_int_equal(store_version(s), 0);
	assert_false(table_exists(s, "setting")); /* STORE_NO_MIGRATE applied nothing */

	assert_int_equal(store_migrate(s, migs, 1, err, sizeof err), H_OK);
	assert_int_equal(store_version(s), 1);
	assert_true(table_exists(s, "a"));
	assert_false(column_exists(s, "a", "y"));

	assert_int_equal(store_migrate(s, migs, 2, err, sizeof err), H_OK);
	assert_int_equal(store_version(s), 2);
	assert_true(column_exists(s, "a", "y"));

	/* Applying again is a no-op (step 2 would fail if it ran twice). */
	assert_int_equal(store_migrate(s, migs, 2, err, sizeof err), H_OK);
	assert_int_equal(store_version(s), 2);
	store_close(s);
}

static void test_migrate_failing_step(void **state)
{
	(void)state;
	char err[512] = "";
	Store *s = open_unmigrated();
	assert_int_equal(store_migrate(s, migs, 3, err, sizeof err), H_ERR);
	assert_contains(err, "schema version 3");
	assert_int_equal(store_version(s), 2);
	assert_true(column_exists(s, "a", "y"));
	assert_false(table_exists(s, "b")); /* the first statement of step 3 was rolled back */
	assert_int_equal(sqlite3_get_autocommit(store_db(s)), 1); /* no transaction left open */
	store_close(s);
}

/* Step numbers given out ahead of time: a database migrated by a program
 * with steps 1, 2 and 4 keeps 3 as skipped; a later program with 1–4 applies
 * step 3 then (after 4) and drops the list; a database made by the later
 * program from the start never has it. */
static void test_migrate_gap(void **state)
{
	(void)state;
	static const StoreMigration early[] = {
		{1, "CREATE TABLE a(x)"},
		{2, "ALTER TABLE a ADD COLUMN y"},
		{4, "CREATE TABLE d(x)"},
	};
	static const StoreMigration later[] = {
		{1, "CREATE TABLE a(x)"},
		{2, "ALTER TABLE a ADD COLUMN y"},
		{3, "CREATE TABLE c(x)"},
		{4, "CREATE TABLE d(x)"},
	};
	char err[512] = "";
	Store *s = open_unmigrated();
	assert_int_equal(store_migrate(s, early, 2, err, sizeof err), H_OK);
	assert_false(table_exists(s, "schema_step_skipped")); /* no gap crossed yet */
	assert_int_equal(store_migrate(s, early, 3, err, sizeof err), H_OK);
	assert_int_equal(store_version(s), 4);
	assert_true(table_exists(s, "d"));
	assert_false(table_exists(s, "c"));
	assert_true(q_num(s, "SELECT group_concat(version) FROM schema_step_skipped") == 3);
	/* the same program again: nothing to do, 3 still waits */
	assert_int_equal(store_migrate(s, early, 3, err, sizeof err), H_OK);
	assert_true(q_num(s, "SELECT count(*) FROM schema_step_skipped") == 1);
	/* the later program applies step 3 and drops the list */
	assert_int_equal(store_migrate(s, later, 4, err, sizeof err), H_OK);
	assert_int_equal(store_version(s), 4);
	assert_true(table_exists(s, "c"));
	assert_false(table_exists(s, "schema_step_skipped"));
	/* and again: step 3 is not run twice (it would fail) */
	assert_int_equal(store_migrate(s, later, 4, err, sizeof err), H_OK);
	store_close(s);

	/* a failing step that fills a gap leaves its number for the next try */
	static const StoreMigration failing[] = {
		{1, "CREATE TABLE a(x)"},
		{2, "ALTER TABLE a ADD COLUMN y"},
		{3, "CREATE TABLE c(x); bogus"},
		{4, "CREATE TABLE d(x)"},
	};
	s = open_unmigrated();
	assert_int_equal(store_migrate(s, early, 3, err, sizeof err), H_OK);
	assert_int_equal(store_migrate(s, failing, 4, err, sizeof err), H_ERR);
	assert_contains(err, "schema version 3");
	assert_false(table_exists(s, "c"));
	assert_true(q_num(s, "SELECT count(*) FROM schema_step_skipped WHERE version = 3") == 1);
	assert_int_equal(store_migrate(s, later, 4, err, sizeof err), H_OK);
	assert_true(table_exists(s, "c"));
	assert_false(table_exists(s, "schema_step_skipped"));
	store_close(s);

	/* from scratch with the later program: no list at all */
	s = open_unmigrated();
	assert_int_equal(store_migrate(s, later, 4, err, sizeof err), H_OK);
	assert_false(table_exists(s, "schema_step_skipped"));
	store_close(s);
}

static void test_migrate_refuses_newer(void **state)
{
	(void)state;
	char err[512] = "";
	Store *s = open_unmigrated();
	assert_int_equal(store_migrate(s, migs, 2, err, sizeof err), H_OK);
	assert_int_equal(sqlite3_exec(store_db(s), "PRAGMA user_version = 3", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_migrate(s, migs, 2, err, sizeof err), H_ERR);
	assert_contains(err, "newer");
	assert_int_equal(store_version(s), 3);
	store_close(s);

	/* store_open refuses a file written by a newer program. */
	char path[64];
	temp_path(path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	err[0] = 0;
	s = store_open(path, 0, err, sizeof err);
	int opened = s != NULL;
	store_close(s);
	tu_remove_db(path);
	assert_int_equal(rc, SQLITE_OK);
	assert_false(opened);
	assert_contains(err, "newer");
}

/* ---- the plan ---- */

static void test_plan_save(void **state)
{
	(void)state;
	Arena a = {0};
	Plan *p;
	Store *s = store_with_plan(&a, &p);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM area"), 26);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM area WHERE level = 'city'"), 1);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM area WHERE parent = 'ruian'"), 25);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM target"), 15);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM indicator"), 12);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM plan_year"), 3);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM rule WHERE rule_set = 'qigeyi'"), 9);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM rule WHERE threshold IS NULL"), 2);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM work_item"), 8);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM department"), p->ndepartments);
	char note[128];
	q_text(s, "SELECT note FROM area WHERE code = 'tongpu'", note, sizeof note);
	assert_contains(note, "桐铺镇");

	const char *json = store_plan_json(s, &a);
	assert_non_null(json);
	assert_string_equal(json, plan_embedded_ruian);

	Target *t;
	assert_int_equal(store_targets(s, &a, "ruian", &t), 15);
	assert_int_equal(store_targets(s, &a, NULL, &t), 15);
	assert_int_equal(store_targets(s, &a, "feiyun", &t), 0);
	assert_int_equal(store_targets(s, &a, "ruian", &t), 15);
	assert_string_equal(t[0].indicator, "demo_bases"); /* indicator order, then year */
	assert_int_equal(t[0].year, 2022);
	assert_string_equal(t[0].source, "plan");

	/* A second plan is refused and nothing changes. */
	assert_int_equal(store_begin(s), H_OK);
	assert_int_equal(store_plan_save(s, p), H_ERR);
	assert_contains(store_errmsg(s), "already holds a plan");
	store_rollback(s);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM area"), 26);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM target"), 15);
	store_close(s);
	arena_free(&a);
}

/* An area may name as parent an area listed after it. */
static void test_plan_save_nested_parent(void **state)
{
	(void)state;
	json_error_t je;
	json_t *root = json_loads(plan_embedded_ruian, 0, &je);
	assert_non_null(root);
	json_t *area0 = json_array_get(json_object_get(root, "areas"), 0);
	json_object_set_new(area0, "parent", json_string("tangxia"));
	char *text = json_dumps(root, 0);
	json_decref(root);

	Arena a = {0};
	char err[512] = "";
	Plan *p = plan_parse(&a, text, strlen(text), "nested.json", err, sizeof err);
	free(text);
	if (!p)
		fail_msg("nested plan refused: %s", err);
	Store *s = tu_store_memory();
	tu_save_plan(s, p);
	char parent[64];
	q_text(s, "SELECT parent FROM area WHERE code = 'anyang-center'", parent, sizeof parent);
	assert_string_equal(parent, "tangxia");
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM area"), 26);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	store_close(s);
	arena_free(&a);
}

/* ---- integrity ---- */

static void test_audit_append_only(void **state)
{
	(void)state;
	Store *s = tu_store_memory();
	assert_int_equal(store_audit(s, NULL, "127.0.0.1", "load", "plan", "1", NULL, "{}"), H_OK);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM audit"), 1);
	char who[32];
	q_text(s, "SELECT user_name FROM audit", who, sizeof who);
	assert_string_equal(who, "system");

	assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE audit SET action = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_contains(sqlite3_errmsg(store_db(s)), "cannot be changed");
	assert_int_not_equal(sqlite3_exec(store_db(s), "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	assert_contains(sqlite3_errmsg(store_db(s)), "cannot be deleted");

	char action[32];
	q_text(s, "SELECT action FROM audit", action, sizeof action);
	assert_string_equal(action, "load");
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM audit"), 1);
	store_close(s);
}

static void test_foreign_keys(void **state)
{
	(void)state;
	Arena a = {0};
	Store *s = store_with_plan(&a, NULL);
	Base b = {.name = "外星孵化器", .kind = "incubator", .area = "atlantis", .opened_on = "2022-05-01",
	          .total_area_m2 = 100, .firms_total = -1, .firms_leading_industry = -1, .talents = -1, .teams = -1};
	assert_int_equal(store_base_insert(s, &b), 0);
	assert_contains(store_errmsg(s), "FOREIGN KEY");
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM base"), 0);

	b.area = "feiyun";
	b.layout_unit = "nowhere";
	assert_int_equal(store_base_insert(s, &b), 0);

	b.layout_unit = "qingnian";
	long long id = store_base_insert(s, &b);
	assert_true(id > 0);
	assert_int_equal(store_base_area_change(s, id + 100, "2022-05-01", 10, 0, NULL), H_ERR);
	assert_int_equal(store_base_area_change(s, id, "2022-05-01", 10, 0, NULL), H_OK);

	Fund f = {.name = "无主基金", .area = "feiyun", .established_on = "2022-01-01", .base_id = id + 100};
	assert_int_equal(store_fund_insert(s, &f), 0);
	Investment inv = {.fund_id = 4242, .investee = "x", .area = "feiyun", .amount_yuan = 1,
	                  .invested_on = "2022-02-02"};
	assert_int_equal(store_investment_insert(s, &inv), 0);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	store_close(s);
	arena_free(&a);
}

static void test_settings_and_rollback(void **state)
{
	(void)state;
	Arena a = {0};
	Store *s = tu_store_memory();
	assert_null(store_setting_get(s, &a, "demo"));
	assert_int_equal(store_setting_set(s, "demo", "0"), H_OK);
	assert_int_equal(store_setting_set(s, "demo", "1"), H_OK);
	assert_string_equal(store_setting_get(s, &a, "demo"), "1");
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM setting"), 1);

	assert_int_equal(store_begin(s), H_OK);
	assert_int_equal(store_setting_set(s, "other", "x"), H_OK);
	store_rollback(s);
	assert_null(store_setting_get(s, &a, "other"));
	store_rollback(s); /* no transaction: harmless */
	store_close(s);
	arena_free(&a);
}

/* ---- the demo data ---- */

typedef struct DemoSummary {
	RegistryCounts c;
	double area_sum, invest_sum, talents_sum;
	char digest[96];
} DemoSummary;

/* An in-memory store with the Ruian plan and the demo data. */
static Store *store_with_demo(Arena *a)
{
	Plan *p;
	Store *s = store_with_plan(a, &p);
	tu_load_demo(s, p);
	return s;
}

static void load_demo(DemoSummary *d)
{
	Arena a = {0};
	Store *s = store_with_demo(&a);
	assert_int_equal(store_registry_counts(s, &d->c), H_OK);
	d->area_sum = q_num(s, "SELECT sum(total_delta_m2) FROM base_area_change");
	d->invest_sum = q_num(s, "SELECT sum(amount_yuan) FROM investment");
	d->talents_sum = q_num(s, "SELECT sum(value) FROM report_figure");
	/* The dates drawn by the generator, too. */
	q_text(s, "SELECT (SELECT max(invested_on) || '/' || min(invested_on) FROM investment) || '/' || "
	          "(SELECT group_concat(arrived_on, '') FROM (SELECT arrived_on FROM project ORDER BY id LIMIT 3))",
	       d->digest, sizeof d->digest);
	assert_string_equal(store_setting_get(s, &a, "demo"), "1");
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/* every returned area report has the office's return in the audit, with its reason */
	assert_true(q_num(s, "SELECT count(*) FROM report WHERE status = 'returned' AND form = 'area-monthly'") > 0);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM report r WHERE r.status = 'returned' AND r.form = 'area-monthly' AND NOT EXISTS "
	                               "(SELECT 1 FROM audit u WHERE u.record_kind = 'reports' AND u.action = 'return' "
	                               "AND u.record_id = r.form || '/' || r.period || '/' || r.org "
	                               "AND json_extract(u.after_json, '$.reason') = r.return_reason)"),
	                 0);
	store_close(s);
	arena_free(&a);
}

static void test_demo_load(void **state)
{
	(void)state;
	DemoSummary x, y;
	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	load_demo(&x);
	assert_int_equal(x.c.bases, 40);
	assert_true(x.c.operators > 0);
	assert_true(x.c.funds > 0);
	assert_true(x.c.investments > 0);
	assert_true(x.c.projects > 0);
	assert_true(x.c.report_figures > 0);
	assert_true(x.area_sum > 0);
	assert_true(x.invest_sum > 0);
	assert_true(strlen(x.digest) > 30);

	load_demo(&y);
	assert_int_equal(x.c.bases, y.c.bases);
	assert_int_equal(x.c.operators, y.c.operators);
	assert_int_equal(x.c.funds, y.c.funds);
	assert_int_equal(x.c.investments, y.c.investments);
	assert_int_equal(x.c.projects, y.c.projects);
	assert_int_equal(x.c.report_figures, y.c.report_figures);
	assert_true(x.area_sum == y.area_sum);
	assert_true(x.invest_sum == y.invest_sum);
	assert_true(x.talents_sum == y.talents_sum);
	assert_string_equal(x.digest, y.digest);
}

/* A run of new records (store_records_insert_run): 130 firms by two
 * statements of 64 and two of one, consecutive ids, one compact audit row
 * each at the firm's created_at, shown as the firm by store_audit_after;
 * a 统一社会信用代码 given twice inside a statement of 64 names its row and
 * leaves nothing of that statement. */
static void test_insert_run(void **state)
{
	(void)state;
	Arena a = {0};
	Store *s = store_with_demo(&a);
	long long base = (long long)q_num(s, "SELECT min(id) FROM base");
	char area[64], bid[24];
	q_text(s, "SELECT area FROM base ORDER BY id LIMIT 1", area, sizeof area);
	snprintf(bid, sizeof bid, "%lld", base);
	enum { N = 130 };
	const char *vals[N][10];
	const char *const *rows[N];
	for (int r = 0; r < N; r++) {
		const char *v[10] = {arena_printf(&a, "成批企业%03d", r), arena_printf(&a, "RUN%015d", r), bid, area,
		                     "2025-01-02", r % 2 ? "2024-05-06" : NULL, "主导产业", "1", NULL, r % 3 ? "0" : "1"};
		memcpy(vals[r], v, sizeof v);
		rows[r] = vals[r];
	}
	long long ids[N];
	int at = 0;
	double audits = q_num(s, "SELECT count(*) FROM audit");
	assert_int_equal(store_begin(s), H_OK);
	vals[40][1] = vals[3][1];
	assert_int_equal(store_records_insert_run(s, "firms", rows, N, "approved", "admin", "127.0.0.1", ids, &at), H_ERR);
	assert_int_equal(at, 40);
	assert_true(store_constraint_failed(s));
	assert_true(q_num(s, "SELECT count(*) FROM firm WHERE name LIKE '成批企业%'") == 40); /* the rows before it */
	store_rollback(s);
	vals[40][1] = arena_printf(&a, "RUN%015d", 40);
	assert_int_equal(store_begin(s), H_OK);
	assert_int_equal(store_records_insert_run(s, "firms", rows, N, "approved", "admin", "127.0.0.1", ids, &at), H_OK);
	assert_int_equal(store_commit(s), H_OK);
	for (int r = 1; r < N; r++)
		assert_true(ids[r] == ids[r - 1] + 1);
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM firm c JOIN audit a ON a.record_kind = 'firms' AND a.record_id = CAST(c.id AS TEXT) "
	                          "WHERE c.id BETWEEN %lld AND %lld AND a.action = 'create' AND a.user_name = 'admin' "
	                          "AND a.addr = '127.0.0.1' AND a.at = c.created_at AND a.at = c.updated_at AND a.before_json IS NULL",
	         ids[0], ids[N - 1]);
	assert_true(q_num(s, sql) == N);
	assert_true(q_num(s, "SELECT count(*) FROM audit") == audits + N);
	/* as the audit's readers show it: the firm's JSON but the names it looks up and review_note */
	for (int r = 0; r < N; r += 43) {
		AuditFilter f = {.kind = "firms", .record_id = arena_printf(&a, "%lld", ids[r])};
		AuditRow *x;
		long long total;
		assert_int_equal(store_audit_list(s, &a, &f, &x, &total), 1);
		json_t *got = json_loads(x[0].after_json, 0, NULL), *want = json_loads(store_record_json(s, &a, "firms", ids[r]), 0, NULL);
		assert_non_null(got);
		json_object_del(want, "base_name");
		json_object_del(want, "review_note");
		if (!json_equal(got, want))
			fail_msg("row %d: %s, the firm %s", r, x[0].after_json, json_dumps(want, JSON_COMPACT));
		json_decref(got);
		json_decref(want);
	}
	store_close(s);
	arena_free(&a);
}

/* An import's lookups kept (store_memo.c): inside store_memo_begin a
 * base's area and a firm's code are answered from memory after the first
 * time (a change made behind the store's back is not seen: the memory
 * answers), any write through the store forgets them (a base created in
 * the same transaction is found), and the transaction's end ends them. */
static void test_memo_per_transaction(void **state)
{
	(void)state;
	Arena a = {0};
	Store *s = store_with_demo(&a);
	long long base = (long long)q_num(s, "SELECT min(id) FROM base");
	long long next = (long long)q_num(s, "SELECT max(id) + 1 FROM base");
	char was[64], other[64];
	q_text(s, "SELECT area FROM base ORDER BY id LIMIT 1", was, sizeof was);
	q_text(s, "SELECT code FROM area WHERE level = 'area' AND code <> (SELECT area FROM base ORDER BY id LIMIT 1) LIMIT 1",
	       other, sizeof other);
	const char *area;
	long long b;
	double was_cache = q_num(s, "PRAGMA cache_size");
	assert_int_equal(store_begin(s), H_OK);
	store_memo_begin(s, 100000);
	assert_true(q_num(s, "PRAGMA cache_size") == -32768);
	assert_int_equal(store_record_scope(s, &a, "bases", base, &area, &b), 1);
	assert_string_equal(area, was);
	assert_int_equal(store_record_exists(s, "base", next), 0);
	assert_int_equal(store_record_uscc_owner(s, "firms", "91330381MA2MEM0T1M", 0), 0);
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE base SET area = '%s' WHERE id = %lld", other, base);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_record_scope(s, &a, "bases", base, &area, &b), 1);
	assert_string_equal(area, was); /* answered from memory */
	/* a write through the store forgets: a base made now is found */
	const char *values[22] = {"记忆测试空间", "maker_space", other};
	assert_int_equal(store_record_insert(s, "bases", values, 22, "approved", "admin"), next);
	assert_int_equal(store_record_exists(s, "base", next), 1);
	assert_int_equal(store_record_scope(s, &a, "bases", base, &area, &b), 1);
	assert_string_equal(area, other);
	store_rollback(s);
	/* ended with the transaction: nothing answers from memory */
	StoreMemoValue m;
	snprintf(sql, sizeof sql, "b\x1f%lld", base);
	assert_int_equal(store_memo_get(s, sql, &m), 0);
	assert_int_equal(store_record_scope(s, &a, "bases", base, &area, &b), 1);
	assert_string_equal(area, was);
	assert_int_equal(store_record_exists(s, "base", next), 0);
	/* the page cache back to its size (raised for 100,000 rows meanwhile) */
	assert_true(q_num(s, "PRAGMA cache_size") == was_cache);
	store_close(s);
	arena_free(&a);
}

/* The data stamp (http_cache.c) moves with any change to any table but the
 * sessions' and the login throttle's (and a login's own writes: the next
 * test): every other table has its three
 * triggers — a table added later without them fails here — and a write
 * through them moves the stamp, a session's does not. */
static void test_data_stamp(void **state)
{
	(void)state;
	Store *s = tu_store_memory();
	sqlite3 *db = store_db(s);
	/* record_count and measure_total change only with the record tables, whose triggers move the stamp */
	static const char *const unstamped[] = {"session", "login_failure", "data_stamp", "record_count", "measure_total", "area_stamp",
	                                       "schema_step_skipped" /* the migrations' own (store.c) */};
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
		-1, &st, NULL), SQLITE_OK);
	int tables = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int skip = 0;
		for (size_t i = 0; i < sizeof unstamped / sizeof unstamped[0]; i++)
			skip |= strcmp(t, unstamped[i]) == 0;
		if (skip)
			continue;
		tables++;
		static const char *const ops[] = {"insert", "update", "delete"};
		for (int i = 0; i < 3; i++) {
			char q[256];
			snprintf(q, sizeof q,
			         "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '%s' "
			         "AND name = '%s_stamp_%s' AND sql LIKE '%%UPDATE data_stamp SET n = n + 1%%'", t, t, ops[i]);
			if (q_num(s, q) != 1)
				fail_msg("table %s has no %s trigger moving data_stamp: add it in a schema step", t, ops[i]);
		}
	}
	sqlite3_finalize(st);
	assert_true(tables >= 30);

	long long v0 = store_data_stamp(s);
	assert_true(v0 >= 0);
	assert_int_equal(store_setting_set(s, "x", "1"), H_OK);
	long long v1 = store_data_stamp(s);
	assert_true(v1 > v0);
	/* a rolled-back change leaves it */
	assert_int_equal(store_begin(s), H_OK);
	assert_int_equal(store_setting_set(s, "x", "2"), H_OK);
	store_rollback(s);
	assert_int_equal(store_data_stamp(s), v1);
	/* sessions and the throttle do not move it */
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO user(name, role, password_hash, created_at, updated_at) VALUES ('u', 'viewer', 'x', 'n', 'n')",
		NULL, NULL, NULL), SQLITE_OK);
	long long v2 = store_data_stamp(s);
	assert_true(v2 > v1);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO session(token_hash, user_id, csrf, created_at, last_seen) VALUES ('h', 1, 'c', 1, 1);"
		"UPDATE session SET last_seen = 2; INSERT INTO login_failure(key, at) VALUES ('user:u', 1);"
		"DELETE FROM session", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_data_stamp(s), v2);
	store_close(s);
}

/* A login's write (its session, the user's last login, its audit row) with
 * the stamp held and put back leaves the data stamp where it was, and the
 * area stamps too; the same with a change to a record of an area in the
 * transaction leaves it moved; outside a write transaction both refuse. */
static void test_stamp_put_back(void **state)
{
	(void)state;
	Arena a = {0};
	Store *s = store_with_demo(&a);
	StampHold h;
	assert_int_equal(store_stamp_hold(s, &h), H_ERR);
	long long n0 = store_data_stamp(s), g0, a0, now;
	assert_int_equal(store_area_stamps(s, "feiyun", &now, &g0, &a0), H_OK);
	assert_int_equal(store_begin(s), H_OK);
	assert_int_equal(store_stamp_hold(s, &h), H_OK);
	assert_int_equal(store_user_logged_in(s, 1), H_OK);
	assert_int_equal(store_audit(s, "admin", "127.0.0.1", "login", "session", "admin", NULL, NULL), H_OK);
	assert_true(store_data_stamp(s) > n0); /* the triggers moved it inside */
	assert_int_equal(store_stamp_put_back(s, &h), H_OK);
	assert_int_equal(store_commit(s), H_OK);
	long long n1, g1, a1;
	assert_int_equal(store_area_stamps(s, "feiyun", &n1, &g1, &a1), H_OK);
	assert_int_equal(n1, n0);
	assert_int_equal(g1, g0);
	assert_int_equal(a1, a0);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM audit WHERE action = 'login'"), 1);
	/* a record of an area changed in the same transaction: the stamp stays moved */
	assert_int_equal(store_begin(s), H_OK);
	assert_int_equal(store_stamp_hold(s, &h), H_OK);
	assert_int_equal(sqlite3_exec(store_db(s), "UPDATE base SET contact = 'x' WHERE id = (SELECT min(id) FROM base WHERE area = 'feiyun')",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_stamp_put_back(s, &h), H_OK);
	assert_int_equal(store_commit(s), H_OK);
	long long n2, g2, a2;
	assert_int_equal(store_area_stamps(s, "feiyun", &n2, &g2, &a2), H_OK);
	assert_true(n2 > n0);
	assert_true(a2 > a0);
	assert_int_equal(a2, n2);
	assert_int_equal(store_stamp_put_back(s, &h), H_ERR);
	store_close(s);
	arena_free(&a);
}

/* record_count holds exactly what counting the record tables gives. */
static void assert_counts_kept(Store *s)
{
	static const char counted[] =
		"SELECT 'bases', area, review_status, count(*) FROM base GROUP BY 2, 3 UNION ALL "
		"SELECT 'operators', area, review_status, count(*) FROM operator GROUP BY 2, 3 UNION ALL "
		"SELECT 'funds', area, review_status, count(*) FROM fund GROUP BY 2, 3 UNION ALL "
		"SELECT 'investments', area, review_status, count(*) FROM investment GROUP BY 2, 3 UNION ALL "
		"SELECT 'projects', area, review_status, count(*) FROM project GROUP BY 2, 3 UNION ALL "
		"SELECT 'firms', area, review_status, count(*) FROM firm GROUP BY 2, 3";
	char q[2048];
	snprintf(q, sizeof q, "SELECT count(*) FROM (SELECT kind, area, review_status, n FROM record_count WHERE n <> 0 "
	                      "EXCEPT SELECT * FROM (%s))", counted);
	assert_int_equal((int)q_num(s, q), 0);
	snprintf(q, sizeof q, "SELECT count(*) FROM (SELECT * FROM (%s) EXCEPT SELECT kind, area, review_status, n FROM record_count)",
	         counted);
	assert_int_equal((int)q_num(s, q), 0);
	assert_true(q_num(s, "SELECT count(*) FROM record_count WHERE n > 0") > 20);
	assert_int_equal((int)q_num(s, "SELECT count(*) FROM record_count WHERE n < 0"), 0);
}

/* record_count (schema step 2) holds, after any mix of inserts, changes of
 * area or review status, other updates and deletes, exactly what counting
 * the tables gives. */
static void test_record_count_kept(void **state)
{
	(void)state;
	Arena a = {0};
	Store *s = store_with_demo(&a);
	static const char changes[] =
		"UPDATE base SET area = 'feiyun' WHERE id IN (SELECT id FROM base WHERE area <> 'feiyun' LIMIT 3);"
		"UPDATE firm SET review_status = 'pending' WHERE id % 3 = 0;"
		"UPDATE fund SET review_status = 'returned', area = 'tangxia' WHERE id % 4 = 1;"
		"UPDATE investment SET amount_yuan = amount_yuan + 1;"
		"UPDATE project SET area = area, review_status = review_status;"
		"DELETE FROM investment WHERE id % 2 = 0;"
		"DELETE FROM project WHERE id % 5 = 0;"
		"UPDATE operator SET review_status = 'pending' WHERE id = (SELECT min(id) FROM operator);";
	char *xerr = NULL;
	if (sqlite3_exec(store_db(s), changes, NULL, NULL, &xerr) != SQLITE_OK)
		fail_msg("changes: %s", xerr);
	assert_counts_kept(s);
	store_close(s);
	arena_free(&a);
}

/* The statements a connection runs, as written (sqlite3_trace_v2). */
typedef struct Traced {
	char sql[8][1024];
	int n;
} Traced;

static int trace_stmt(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)p;
	Traced *t = ctx;
	if (t->n < 8)
		snprintf(t->sql[t->n++], sizeof t->sql[0], "%s", (const char *)x);
	return 0;
}

/* The office's waiting count (store_review_waiting: the 审核 badge and
 * 工作台) reads record_count's pending rows through schema step 16's index,
 * not the whole table, and equals counting the record tables. */
static void test_waiting_count_uses_index(void **state)
{
	(void)state;
	Arena a = {0};
	Store *s = store_with_demo(&a);
	sqlite3 *db = store_db(s);
	char *xerr = NULL;
	if (sqlite3_exec(db, "UPDATE firm SET review_status = 'pending' WHERE id % 3 = 0;"
	                     "UPDATE fund SET review_status = 'pending' WHERE id % 4 = 1;", NULL, NULL, &xerr) != SQLITE_OK)
		fail_msg("changes: %s", xerr);
	Traced t = {0};
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_stmt, &t);
	long long n = store_review_waiting(s);
	sqlite3_trace_v2(db, 0, NULL, NULL);
	long long want = (long long)q_num(s,
		"SELECT (SELECT count(*) FROM base WHERE review_status = 'pending') + "
		"(SELECT count(*) FROM operator WHERE review_status = 'pending') + "
		"(SELECT count(*) FROM fund WHERE review_status = 'pending') + "
		"(SELECT count(*) FROM investment WHERE review_status = 'pending') + "
		"(SELECT count(*) FROM project WHERE review_status = 'pending') + "
		"(SELECT count(*) FROM firm WHERE review_status = 'pending') + "
		"(SELECT count(*) FROM pending_change WHERE status = 'pending')");
	assert_true(want > 10);
	assert_int_equal(n, want);
	int found = 0;
	for (int i = 0; i < t.n; i++) {
		if (!strstr(t.sql[i], "record_count"))
			continue;
		found++;
		char eqp[1200];
		snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", t.sql[i]);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, eqp, -1, &st, NULL) != SQLITE_OK)
			fail_msg("%s: %s", t.sql[i], sqlite3_errmsg(db));
		char plan[2048] = "";
		while (sqlite3_step(st) == SQLITE_ROW) {
			size_t len = strlen(plan);
			snprintf(plan + len, sizeof plan - len, "%s\n", (const char *)sqlite3_column_text(st, 3));
		}
		sqlite3_finalize(st);
		if (!strstr(plan, "record_count_waiting") || strstr(plan, "SCAN record_count"))
			fail_msg("%s\nplanned as:\n%s(wanted the index record_count_waiting)", t.sql[i], plan);
	}
	assert_int_equal(found, 1);
	store_close(s);
	arena_free(&a);
}

/* A database made before schema step 2, with records, is brought up to
 * date: its counts are counted, its triggers made, its stamp starts. */
static void test_upgrade_from_v1_with_records(void **state)
{
	(void)state;
	char err[512] = "";
	Arena a = {0};
	Plan *p = tu_embedded_plan(&a);
	Store *s = open_unmigrated();
	assert_int_equal(store_migrate(s, store_migrations, 1, err, sizeof err), H_OK);
	assert_false(table_exists(s, "record_count"));
	/* the plan without its rule sets: rule_set's later columns (step 3)
	 * are not there yet; the records are what this upgrade is about */
	Plan without = *p;
	without.nrule_sets = 0;
	tu_save_plan(s, &without);
	assert_int_equal(store_begin(s), H_OK);
	if (demo_load(s, p, err, sizeof err) != H_OK)
		fail_msg("demo_load: %s", err);
	assert_int_equal(store_commit(s), H_OK);
	if (store_migrate(s, store_migrations, store_migration_count, err, sizeof err) != H_OK)
		fail_msg("migrate: %s", err);
	assert_int_equal(store_version(s), store_migrations[store_migration_count - 1].version);
	assert_counts_kept(s);
	assert_true(q_num(s, "SELECT sum(n) FROM record_count WHERE kind = 'bases'") == 40);
	assert_true(q_num(s, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_stamp_*'") >= 90);
	long long v = store_data_stamp(s);
	assert_int_equal(v, 0);
	assert_int_equal(sqlite3_exec(store_db(s), "UPDATE base SET name = name || '·' WHERE id = 1", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_true(store_data_stamp(s) > v);
	store_close(s);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file_db),
		cmocka_unit_test(test_stamp_put_back),
		cmocka_unit_test(test_memory_db),
		cmocka_unit_test(test_stmt_cache_evicts),
		cmocka_unit_test(test_open_missing_without_create),
		cmocka_unit_test(test_open_not_sqlite),
		cmocka_unit_test(test_open_foreign_sqlite),
		cmocka_unit_test(test_migrate_stepwise),
		cmocka_unit_test(test_migrate_failing_step),
		cmocka_unit_test(test_migrate_refuses_newer),
		cmocka_unit_test(test_migrate_gap),
		cmocka_unit_test(test_plan_save),
		cmocka_unit_test(test_plan_save_nested_parent),
		cmocka_unit_test(test_audit_append_only),
		cmocka_unit_test(test_foreign_keys),
		cmocka_unit_test(test_settings_and_rollback),
		cmocka_unit_test(test_demo_load),
		cmocka_unit_test(test_data_stamp),
		cmocka_unit_test(test_memo_per_transaction),
		cmocka_unit_test(test_insert_run),
		cmocka_unit_test(test_record_count_kept),
		cmocka_unit_test(test_waiting_count_uses_index),
		cmocka_unit_test(test_upgrade_from_v1_with_records),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
