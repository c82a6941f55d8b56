/*
 * test_measures.c — the progress totals kept as the records change
 * (measure_total, schema step 6: src/store_measures_sql.h, store_totals.c,
 * store_measures.c). On the demo data, after a burst of writes of every
 * kind that moves a figure (new, changed, moved, reviewed and deleted
 * records; a base deleted with its changes, a base moved and reopened in
 * one statement; dates that are not dates; a new area above records that
 * named it before it existed; bulk writes with the triggers suspended):
 * the kept rows equal a full recomputation (store_measures_check), and
 * every measure, scope and window read from them equals what the records'
 * own SQL counts. A commit of another connection shows at once; `check`
 * finds a kept row changed by hand and `rebuild` mends it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "progress.h"
#include "store_totals.h"
#include "testutil.h"

#define DB "/tmp/hatchery-test-measures.db"

typedef struct Fx {
	Arena a;
	Plan *p;
	Store *s;
} Fx;

static int setup(void **state)
{
	Fx *f = xcalloc(1, sizeof *f);
	f->p = tu_embedded_plan(&f->a);
	f->s = tu_store_demo_file(DB, f->p);
	store_totals_set_enabled(1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fx *f = *state;
	store_close(f->s);
	arena_free(&f->a);
	free(f);
	tu_remove_db(DB);
	store_totals_set_enabled(1);
	return 0;
}

static long long num(Store *s, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(s)));
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

/* The kept rows equal a full recomputation. */
static void assert_exact(Fx *f)
{
	char **lines;
	long long rows;
	Arena a = {0};
	int n = store_measures_check(f->s, &a, 5, &lines, &rows);
	if (n != 0)
		fail_msg("%d kept rows differ, e.g. %s", n, n > 0 ? lines[0] : store_errmsg(f->s));
	assert_true(rows > 100);
	arena_free(&a);
}

/* Every measure of the plan, for the whole plan and each area, over
 * windows from the plan's start and from inside a month to month ends,
 * inside months and the days around a date that is not one: the totals
 * equal the records' own SQL. */
static void assert_same_as_records(Fx *f)
{
	static const char *const tos[] = {"2021-12-31", "2022-01-01", "2022-02-27", "2022-02-28", "2022-06-30",
	                                  "2022-12-31", "2023-02-28", "2023-03-01", "2023-06-15", "2023-12-31",
	                                  "2024-01-31", "2024-07-04", "2024-12-31", "2025-12-31"};
	static const char *const froms[] = {NULL, "2022-03-15", "2023-02-28", "2023-03-01"};
	int compared = 0;
	for (int si = -1; si < f->p->nareas; si++) {
		const char *area = si < 0 ? NULL : f->p->areas[si].code;
		for (int i = 0; i < f->p->nindicators; i++) {
			const Indicator *in = &f->p->indicators[i];
			for (size_t fi = 0; fi < ARRAY_LEN(froms); fi++)
				for (size_t ti = 0; ti < ARRAY_LEN(tos); ti++) {
					const char *from = froms[fi] ? froms[fi] : f->p->start;
					int ok1 = 0, ok2 = 0;
					store_totals_set_enabled(1);
					double kept = store_measure(f->s, in->measure, in->level, area, from, tos[ti], &ok1);
					store_totals_set_enabled(0);
					double counted = store_measure(f->s, in->measure, in->level, area, from, tos[ti], &ok2);
					store_totals_set_enabled(1);
					if (!ok1 || !ok2)
						fail_msg("%s: %s", in->measure, store_errmsg(f->s));
					if (!(fabs(kept - counted) <= 1e-6 * (fabs(counted) > 1 ? fabs(counted) : 1)))
						fail_msg("%s %s %s..%s: kept %.4f, counted %.4f", in->measure, area ? area : "(plan)", from,
						         tos[ti], kept, counted);
					compared++;
				}
		}
	}
	assert_true(compared > 1000);
}

static void test_demo_exact(void **state)
{
	Fx *f = *state;
	assert_exact(f);
	assert_same_as_records(f);
	/* the figures are not all zero */
	assert_true(num(f->s, "SELECT count(*) FROM measure_total WHERE scope = '*' AND g = 'm' AND v > 0") > 20);
}

/* Every kind of write that moves a figure, as a clerk, the review, the
 * sqlite3 shell or a bulk load would make it. */
static void test_burst_of_writes(void **state)
{
	Fx *f = *state;
	const char *a1 = f->p->areas[0].code, *a2 = f->p->areas[1].code;
	char sql[4096];
	snprintf(sql, sizeof sql,
	         "INSERT INTO operator(name, area, introduced_on, leading_firm, created_at, updated_at) VALUES "
	         "('o1', '%s', '2023-03-05', 0, 'x', 'x'), ('o2', '%s', '2023-03-05', 1, 'x', 'x'), "
	         "('o3', '%s', '2023-02-30', 0, 'x', 'x'), ('o4', '%s', '2023', 0, 'x', 'x');"
	         "INSERT INTO operator(name, area, introduced_on, review_status, created_at, updated_at) VALUES "
	         "('o5', '%s', '2023-04-01', 'pending', 'x', 'x');"
	         "UPDATE operator SET leading_firm = 1 - leading_firm WHERE name IN ('o1', 'o2');"
	         "UPDATE operator SET area = '%s' WHERE name = 'o1';"
	         "UPDATE operator SET introduced_on = NULL WHERE name = 'o2';"
	         "UPDATE operator SET review_status = 'approved' WHERE name = 'o5';"
	         "DELETE FROM operator WHERE name = 'o4';",
	         a1, a1, a2, a2, a1, a2);
	tu_exec(f->s, sql);
	snprintf(sql, sizeof sql,
	         "UPDATE fund SET review_status = 'pending' WHERE id = (SELECT min(id) FROM fund);"
	         "UPDATE fund SET area = '%s', established_on = '2024-01-31' WHERE id = (SELECT max(id) FROM fund);"
	         "INSERT INTO project(name, area, arrived_on, created_at, updated_at) VALUES ('p', '%s', '2024-02-30', 'x', 'x');"
	         "DELETE FROM project WHERE id = (SELECT min(id) FROM project);"
	         "UPDATE investment SET amount_yuan = 1234.56 WHERE id = (SELECT min(id) FROM investment);"
	         "UPDATE investment SET base_id = NULL WHERE id = (SELECT max(id) FROM investment);"
	         "UPDATE investment SET invested_on = '2022-02-28', area = '%s' WHERE id = (SELECT min(id) + 1 FROM investment);"
	         "DELETE FROM investment WHERE id = (SELECT min(id) + 2 FROM investment);"
	         "INSERT INTO report_figure(area, period, period_end, field, value, created_at, updated_at) "
	         "VALUES ('%s', '2023-06', '2023-06-30', 'talents_new', 12.5, 'x', 'x'), "
	         "('%s', '2023-06', '2023-06-30', 'other', 3, 'x', 'x');"
	         "UPDATE report_figure SET field = 'talents_new' WHERE field = 'other';"
	         "UPDATE report_figure SET value = value + 1 WHERE id = (SELECT min(id) FROM report_figure);",
	         a2, a1, a2, a1, a2);
	tu_exec(f->s, sql);
	/* bases: their changes and recognitions follow the base's review and area */
	snprintf(sql, sizeof sql,
	         "UPDATE base SET review_status = 'pending' WHERE id = (SELECT min(id) FROM base);"
	         "UPDATE base SET area = '%s' WHERE id = (SELECT min(id) + 1 FROM base);"
	         "INSERT INTO base(name, kind, area, opened_on, review_status, created_at, updated_at) "
	         "VALUES ('b-new', 'incubator', '%s', '2022-05-01', 'approved', 'x', 'x');"
	         "INSERT INTO base_area_change(base_id, changed_on, total_delta_m2, note) "
	         "VALUES ((SELECT id FROM base WHERE name = 'b-new'), '2022-05-01', 1000.25, '开业'), "
	         "((SELECT id FROM base WHERE name = 'b-new'), '2023-08-09', 500, NULL);"
	         "INSERT INTO base_level(base_id, level, recognised_on) VALUES "
	         "((SELECT id FROM base WHERE name = 'b-new'), 'demonstration', '2023-09-01'), "
	         "((SELECT id FROM base WHERE name = 'b-new'), 'provincial', '2024-09-01');"
	         "UPDATE base_level SET level = 'national' WHERE level = 'provincial' "
	         "AND base_id = (SELECT id FROM base WHERE name = 'b-new');"
	         /* moved and reopened in one statement (schema step 3's trigger moves the opening) */
	         "UPDATE base SET area = '%s', opened_on = '2022-07-07' WHERE name = 'b-new';"
	         "UPDATE base_area_change SET total_delta_m2 = 750 WHERE changed_on = '2023-08-09' "
	         "AND base_id = (SELECT id FROM base WHERE name = 'b-new');"
	         "INSERT INTO base(name, kind, area, opened_on, created_at, updated_at) "
	         "VALUES ('b-gone', 'incubator', '%s', '2022-05-01', 'x', 'x');"
	         "INSERT INTO base_area_change(base_id, changed_on, total_delta_m2) "
	         "VALUES ((SELECT id FROM base WHERE name = 'b-gone'), '2022-05-01', 300);"
	         "INSERT INTO base_level(base_id, level, recognised_on) "
	         "VALUES ((SELECT id FROM base WHERE name = 'b-gone'), 'demonstration', '2023-01-01');"
	         "DELETE FROM base WHERE name = 'b-gone';"
	         "UPDATE base_area_change SET base_id = (SELECT min(id) + 2 FROM base) "
	         "WHERE id = (SELECT max(id) FROM base_area_change);"
	         "DELETE FROM base_level WHERE rowid = (SELECT min(rowid) FROM base_level);",
	         a2, a1, a2, a1);
	tu_exec(f->s, sql);
	assert_int_equal(num(f->s, "SELECT count(*) FROM base_area_change WHERE base_id NOT IN (SELECT id FROM base)"), 0);
	/* records that named an area before it existed (foreign keys off, as
	 * in the sqlite3 shell), then the area under a1: a1 counts them */
	snprintf(sql, sizeof sql,
	         "PRAGMA foreign_keys = OFF;"
	         "INSERT INTO fund(name, area, established_on, created_at, updated_at) VALUES ('ghost', 'ghost', '2023-05-05', 'x', 'x');"
	         "INSERT INTO area(code, name, level, parent, sort) VALUES ('ghost', '新区', 'area', '%s', 99);"
	         "PRAGMA foreign_keys = ON;",
	         a1);
	tu_exec(f->s, sql);
	assert_int_equal(num(f->s, "SELECT v FROM measure_total WHERE measure = 'funds_established' AND scope = 'ghost' "
	                           "AND g = 'd' AND key = '2023-05-05'"),
	                 100);
	assert_exact(f);
	assert_same_as_records(f);
	/* a bulk write: the triggers suspended, the totals made again */
	Buf saved = {0};
	assert_int_equal(store_begin(f->s), H_OK);
	assert_int_equal(store_triggers_suspend(f->s, "funds", &saved), H_OK);
	snprintf(sql, sizeof sql,
	         "INSERT INTO fund(name, area, established_on, created_at, updated_at) "
	         "SELECT 'bulk ' || value, '%s', '2024-03-0' || (value %% 9 + 1), 'x', 'x' FROM json_each('[1,2,3,4,5,6,7,8,9,10,11]');",
	         a2);
	tu_exec(f->s, sql);
	assert_int_equal(store_triggers_restore(f->s, "funds", &saved), H_OK);
	assert_int_equal(store_commit(f->s), H_OK);
	assert_int_equal(num(f->s, "SELECT count(*) FROM sqlite_master WHERE name = 'fund_measure_insert'"), 1);
	assert_exact(f);
	assert_same_as_records(f);
	/* what waits for review comes from record_count: the same as counting */
	assert_int_equal(store_review_waiting(f->s),
	                 num(f->s, "SELECT (SELECT count(*) FROM base WHERE review_status = 'pending') "
	                           "+ (SELECT count(*) FROM operator WHERE review_status = 'pending') "
	                           "+ (SELECT count(*) FROM fund WHERE review_status = 'pending') "
	                           "+ (SELECT count(*) FROM investment WHERE review_status = 'pending') "
	                           "+ (SELECT count(*) FROM project WHERE review_status = 'pending') "
	                           "+ (SELECT count(*) FROM firm WHERE review_status = 'pending') "
	                           "+ (SELECT count(*) FROM pending_change WHERE status = 'pending')"));
	assert_true(store_review_waiting(f->s) >= 2);
}

/* Every measure of the plan for every scope, this year: reads what is not
 * kept yet. */
static double read_all(Fx *f, const char *area_of_sum)
{
	double sum = 0;
	int counted = 0; /* the measure of the first indicator that counts funds */
	for (int si = -1; si < f->p->nareas; si++) {
		const char *area = si < 0 ? NULL : f->p->areas[si].code;
		for (int i = 0; i < f->p->nindicators; i++) {
			const Indicator *in = &f->p->indicators[i];
			int ok = 0;
			double v = store_measure(f->s, in->measure, in->level, area, f->p->start, "2024-12-31", &ok);
			if (!ok)
				fail_msg("%s: %s", in->measure, store_errmsg(f->s));
			if (area_of_sum && area && strcmp(area, area_of_sum) == 0 && strcmp(in->measure, "funds_established") == 0 &&
			    !counted++)
				sum += v;
		}
	}
	return sum;
}

/* A connection keeps the series it read until a commit may have changed
 * them: another connection's change in one area drops that area's and the
 * whole plan's series only (the stamps, schema step 7); a change in no area
 * and a rebuild drop all. Every figure read after each stays exact. */
static void test_kept_by_area(void **state)
{
	Fx *f = *state;
	const char *a1 = f->p->areas[0].code, *a2 = f->p->areas[1].code;
	char err[512], sql[512];
	Store *other = store_open(DB, 0, err, sizeof err);
	assert_non_null(other);
	double f1 = read_all(f, a1);
	long long l0 = store_totals_loads(f->s);
	assert_true(l0 > 50);
	read_all(f, NULL);
	assert_int_equal(store_totals_loads(f->s), l0); /* all kept: none read again */

	snprintf(sql, sizeof sql,
	         "INSERT INTO fund(name, area, established_on, created_at, updated_at) VALUES ('kept', '%s', '2024-06-01', 'x', 'x')",
	         a1);
	tu_exec(other, sql);
	assert_true(store_data_stamp(f->s) > 0); /* the request's first read */
	int ok;
	long long l1 = store_totals_loads(f->s);
	store_measure(f->s, "funds_established", NULL, a2, f->p->start, "2024-12-31", &ok);
	assert_int_equal(store_totals_loads(f->s), l1); /* a2's series kept */
	assert_near(read_all(f, a1), f1 + 1, 1e-9);
	long long reread = store_totals_loads(f->s) - l1;
	/* a1's and the whole plan's series only: 2 scopes' worth */
	assert_true(reread > 0);
	assert_true(reread <= 2 * f->p->nindicators);
	assert_same_as_records(f);

	/* a change in no area (an operator) drops every series */
	tu_exec(other, "UPDATE operator SET name = name || '·' WHERE id = (SELECT min(id) FROM operator)");
	assert_true(store_data_stamp(f->s) > 0);
	long long l2 = store_totals_loads(f->s);
	store_measure(f->s, "funds_established", NULL, a2, f->p->start, "2024-12-31", &ok);
	assert_int_equal(store_totals_loads(f->s), l2 + 1);

	/* targets are kept by the connection too: another connection's change
	 * to one is in the next figures */
	Progress *g;
	int ng = progress_compute(f->s, f->p, &f->a, a1, 2024, "2024-12-31", NULL, &g);
	assert_true(ng > 0);
	int k = 0;
	while (k < ng && !g[k].has_target)
		k++;
	assert_true(k < ng);
	double t0 = g[k].target;
	snprintf(sql, sizeof sql, "UPDATE target SET value = value + 7 WHERE scope = '%s' AND indicator = '%s' AND year = 2024",
	         a1, g[k].ind->code);
	tu_exec(other, sql);
	ng = progress_compute(f->s, f->p, &f->a, a1, 2024, "2024-12-31", NULL, &g);
	assert_near(g[k].target, t0 + 7, 1e-9);
	Target *all;
	int nall = store_targets_by_scope(f->s, &f->a, &all);
	assert_int_equal(nall, num(f->s, "SELECT count(*) FROM target"));
	const Target *mine;
	int nmine = store_targets_of_scope(all, nall, a1, &mine);
	Target *listed;
	assert_int_equal(nmine, store_targets(f->s, &f->a, a1, &listed));
	assert_true(nmine > 0);

	/* a row changed by hand with no stamp, then a rebuild by another
	 * connection: the rebuild moves every stamp, nothing stale is kept */
	read_all(f, NULL);
	tu_exec(other, "UPDATE measure_total SET v = v + 100 WHERE measure = 'funds_established' AND scope = '*' AND g = 'm' "
	               "AND key = (SELECT max(key) FROM measure_total WHERE measure = 'funds_established' AND scope = '*' "
	               "AND g = 'm' AND key <= '2024-12')");
	assert_int_equal(store_begin(other), H_OK);
	assert_int_equal(store_measures_rebuild(other, "*"), H_OK);
	assert_int_equal(store_commit(other), H_OK);
	assert_true(store_data_stamp(f->s) > 0);
	long long l3 = store_totals_loads(f->s);
	assert_same_as_records(f);
	assert_true(store_totals_loads(f->s) > l3);
	store_close(other);
}

/* Another connection's commit shows in the next figure; check finds a kept
 * row changed by hand, rebuild mends it. */
static void test_other_connection_and_check(void **state)
{
	Fx *f = *state;
	const char *a1 = f->p->areas[0].code;
	char err[512];
	Store *other = store_open(DB, 0, err, sizeof err);
	assert_non_null(other);
	int ok;
	double before = store_measure(f->s, "funds_established", NULL, a1, f->p->start, "2024-12-31", &ok);
	assert_true(ok);
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO fund(name, area, established_on, created_at, updated_at) VALUES ('late', '%s', '2024-06-01', 'x', 'x')",
	         a1);
	tu_exec(other, sql);
	store_close(other);
	/* a request reads (its session, the data stamp) before any figure:
	 * that read finds the other connection's commit */
	assert_true(store_data_stamp(f->s) > 0);
	assert_near(store_measure(f->s, "funds_established", NULL, a1, f->p->start, "2024-12-31", &ok), before + 1, 1e-9);
	assert_near(store_measure(f->s, "funds_established", NULL, NULL, "2024-06-01", "2024-06-01", &ok),
	            (double)num(f->s, "SELECT count(*) FROM fund WHERE review_status = 'approved' AND established_on = '2024-06-01'"),
	            1e-9);

	tu_exec(f->s, "UPDATE measure_total SET v = v + 100 WHERE scope = '*' AND g = 'm' "
	              "AND rowid = (SELECT min(rowid) FROM measure_total WHERE scope = '*' AND g = 'm')");
	Arena a = {0};
	char **lines;
	long long rows;
	assert_int_equal(store_measures_check(f->s, &a, 5, &lines, &rows), 1);
	assert_contains(lines[0], "kept");
	assert_int_equal(store_begin(f->s), H_OK);
	assert_int_equal(store_measures_rebuild(f->s, "*"), H_OK);
	assert_int_equal(store_counts_rebuild(f->s), H_OK);
	assert_int_equal(store_commit(f->s), H_OK);
	assert_int_equal(store_measures_check(f->s, &a, 5, &lines, &rows), 0);
	arena_free(&a);
	assert_same_as_records(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_demo_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_of_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_connection_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_by_area, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
