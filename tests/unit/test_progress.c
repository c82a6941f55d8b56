/*
 * test_progress.c — progress arithmetic (src/progress.c, src/store_progress.c)
 * over an in-memory database holding the embedded Ruian plan and a few
 * hand-inserted records (no demo data): the counted window and its edges,
 * as_of, review status, area scope, the status against the expected-by-now
 * value and its thresholds, indicators without a target, and each measure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "testutil.h"

typedef struct Fx {
	Arena a;
	Plan *p;
	Store *s;
} Fx;

static int setup(void **state)
{
	Fx *f = xcalloc(1, sizeof *f);
	f->p = tu_embedded_plan(&f->a);
	f->s = tu_store_memory();
	tu_save_plan(f->s, f->p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fx *f = *state;
	store_close(f->s);
	arena_free(&f->a);
	free(f);
	return 0;
}

/* A base and its opening (the whole area on opened_on), as the registry
 * records one; status NULL means approved. */
static long long add_base(Fx *f, const char *area, const char *opened, double m2, const char *status)
{
	Base b = {.name = "测试基地", .kind = "incubator", .area = area, .opened_on = opened,
	          .total_area_m2 = m2, .review_status = status,
	          .firms_total = -1, .firms_leading_industry = -1, .talents = -1, .teams = -1};
	long long id = store_base_insert(f->s, &b);
	if (!id)
		fail_msg("store_base_insert: %s", store_errmsg(f->s));
	assert_int_equal(store_base_area_change(f->s, id, opened, m2, 0, "opening"), H_OK);
	return id;
}

static void add_change(Fx *f, long long base, const char *on, double m2)
{
	assert_int_equal(store_base_area_change(f->s, base, on, m2, 0, NULL), H_OK);
}

/* The figure of indicator ind for scope, year, as_of (all indicators computed). */
static const Progress *get(Fx *f, const char *scope, int year, const char *as_of, const char *ind)
{
	Progress *v = NULL;
	int n = progress_compute(f->s, f->p, &f->a, scope, year, as_of, NULL, &v);
	if (n < 0)
		fail_msg("progress_compute: %s", store_errmsg(f->s));
	assert_int_equal(n, 12);
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].ind->code, ind) == 0) {
			assert_int_equal(v[i].year, year);
			return &v[i];
		}
	fail_msg("no indicator %s", ind);
	return NULL;
}

static double actual(Fx *f, const char *scope, int year, const char *as_of, const char *ind)
{
	return get(f, scope, year, as_of, ind)->actual;
}

/* ---- the window ---- */

static void test_window_edges(void **state)
{
	Fx *f = *state;
	/* Distinct powers of two: the sum tells which bases counted. */
	add_base(f, "feiyun", "2022-01-01", 1000, NULL);  /* the plan's first day */
	add_base(f, "feiyun", "2021-12-31", 2000, NULL);  /* before the plan */
	add_base(f, "tangxia", "2022-12-31", 4000, NULL); /* last day of 2022 */
	add_base(f, "tangxia", "2023-01-01", 8000, NULL); /* first day of 2023 */
	add_base(f, "binhai", "2022-07-01", 16000, NULL);
	add_base(f, "binhai", "2022-06-30", 32000, NULL);

	const Progress *g = get(f, "ruian", 2022, "2022-12-31", "area_added");
	assert_near(g->actual, 1000 + 4000 + 16000 + 32000, 0);
	assert_string_equal(g->from, "2022-01-01");
	assert_string_equal(g->to, "2022-12-31");
	/* A later as_of is capped at the end of the year. */
	g = get(f, "ruian", 2022, "2024-03-01", "area_added");
	assert_string_equal(g->to, "2022-12-31");
	assert_near(g->actual, 53000, 0);
	/* 2023 is cumulative from the plan's start. */
	assert_near(actual(f, "ruian", 2023, "2023-12-31", "area_added"), 61000, 0);
	assert_near(actual(f, "ruian", 2024, "2024-12-31", "area_added"), 61000, 0);
	/* as_of includes its own day and nothing after. */
	g = get(f, "ruian", 2022, "2022-06-30", "area_added");
	assert_string_equal(g->to, "2022-06-30");
	assert_near(g->actual, 1000 + 32000, 0);
	assert_near(actual(f, "ruian", 2022, "2022-06-29", "area_added"), 1000, 0);
	assert_near(actual(f, "ruian", 2022, "2022-01-01", "area_added"), 1000, 0);
	/* Before the plan's start nothing counts. */
	assert_near(actual(f, "ruian", 2022, "2021-12-31", "area_added"), 0, 0);
	/* The competition figure uses the same measure. */
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "race_area"), 53000, 0);
}

static void test_area_change_nets_to_zero(void **state)
{
	Fx *f = *state;
	long long id = add_base(f, "yunzhou", "2021-06-01", 10000, NULL);
	add_change(f, id, "2022-03-01", 5000);
	add_change(f, id, "2022-09-01", -5000);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "area_added"), 0, 0);
	assert_near(actual(f, "ruian", 2022, "2022-06-30", "area_added"), 5000, 0);
	/* A base that opens and gives back part of its floor counts the net. */
	long long id2 = add_base(f, "yunzhou", "2023-02-01", 7000, NULL);
	add_change(f, id2, "2023-06-01", -3000);
	assert_near(actual(f, "yunzhou", 2023, "2023-12-31", "area_added"), 4000, 0);
}

static void test_review_status(void **state)
{
	Fx *f = *state;
	add_base(f, "feiyun", "2022-03-01", 1000, "pending");
	add_base(f, "feiyun", "2022-03-01", 2000, "returned");
	add_base(f, "feiyun", "2022-03-01", 4000, "draft");
	add_base(f, "feiyun", "2022-03-01", 8000, "approved");
	add_base(f, "feiyun", "2022-03-01", 16000, NULL); /* approved by default */
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "area_added"), 24000, 0);

	Operator o = {.name = "运营甲", .area = "feiyun", .introduced_on = "2022-04-01"};
	assert_true(store_operator_insert(f->s, &o) > 0);
	o.review_status = "pending";
	assert_true(store_operator_insert(f->s, &o) > 0);
	o.review_status = "returned";
	assert_true(store_operator_insert(f->s, &o) > 0);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "operators"), 1, 0);

	/* A recognition of a base still under review does not count. */
	long long pend = add_base(f, "feiyun", "2021-01-01", 500, "pending");
	assert_int_equal(store_base_level_set(f->s, pend, "provincial", "2022-05-01", NULL), H_OK);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "provincial"), 0, 0);
}

static void test_area_scope(void **state)
{
	Fx *f = *state;
	add_base(f, "feiyun", "2022-05-01", 7000, NULL);
	assert_near(actual(f, "feiyun", 2022, "2022-12-31", "area_added"), 7000, 0);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "area_added"), 7000, 0);
	assert_near(actual(f, "xianjiang", 2022, "2022-12-31", "area_added"), 0, 0);
	add_base(f, "xianjiang", "2022-05-02", 3000, NULL);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "area_added"), 10000, 0);
	assert_near(actual(f, "xianjiang", 2022, "2022-12-31", "area_added"), 3000, 0);
	assert_near(actual(f, "feiyun", 2022, "2022-12-31", "area_added"), 7000, 0);
	/* The plan sets targets for the city only: an area has none. */
	const Progress *g = get(f, "feiyun", 2022, "2022-12-31", "area_added");
	assert_int_equal(g->has_target, 0);
	assert_int_equal(g->status, PS_NO_TARGET);
}

/* ---- status and expected-by-now ---- */

static void expect_status(Fx *f, int year, const char *as_of, double want_ratio, ProgressStatus want)
{
	const Progress *g = get(f, "ruian", year, as_of, "area_added");
	assert_int_equal(g->has_target, 1);
	assert_near(g->ratio, want_ratio, 1e-9);
	if (g->status != want)
		fail_msg("actual %.1f of %.0f (expected %.1f): status %s, wanted %s", g->actual, g->target,
		         g->expected, progress_status_code(g->status), progress_status_code(want));
}

static void test_status_year_end(void **state)
{
	Fx *f = *state;
	long long id = add_base(f, "tangxia", "2022-03-01", 200000, NULL);
	const Progress *g = get(f, "ruian", 2022, "2022-12-31", "area_added");
	assert_near(g->target, 250000, 0);
	assert_near(g->expected, 250000, 1e-9);
	assert_string_equal(g->op, ">=");
	assert_contains(g->wording, "25万平方米");
	expect_status(f, 2022, "2022-12-31", 0.8, PS_AT_RISK);
	add_change(f, id, "2022-04-01", 12499);
	expect_status(f, 2022, "2022-12-31", 212499.0 / 250000, PS_AT_RISK);
	add_change(f, id, "2022-04-02", 1); /* 0.85 exactly: behind, not at risk */
	expect_status(f, 2022, "2022-12-31", 0.85, PS_BEHIND);
	add_change(f, id, "2022-04-03", 7500);
	expect_status(f, 2022, "2022-12-31", 0.88, PS_BEHIND);
	add_change(f, id, "2022-04-04", 17500); /* 0.95 exactly: on track */
	expect_status(f, 2022, "2022-12-31", 0.95, PS_ON_TRACK);
	add_change(f, id, "2022-04-05", 2500);
	expect_status(f, 2022, "2022-12-31", 0.96, PS_ON_TRACK);
	add_change(f, id, "2022-04-06", 9999.5);
	expect_status(f, 2022, "2022-12-31", 249999.5 / 250000, PS_ON_TRACK);
	add_change(f, id, "2022-04-07", 0.5);
	expect_status(f, 2022, "2022-12-31", 1, PS_DONE);
	/* Done stays done later in the year's window; 2023 asks for 600000. */
	expect_status(f, 2022, "2023-05-01", 1, PS_DONE);
	expect_status(f, 2023, "2023-12-31", 250000.0 / 600000, PS_AT_RISK);
}

/* With op ">" reaching the number itself is not done. */
static void test_status_strict_op(void **state)
{
	Fx *f = *state;
	assert_int_equal(sqlite3_exec(store_db(f->s),
	                              "INSERT INTO target(indicator, scope, year, value, op, source) "
	                              "VALUES ('race_area', 'ruian', 2022, 250000, '>', 'entered')",
	                              NULL, NULL, NULL), SQLITE_OK);
	long long id = add_base(f, "tangxia", "2022-03-01", 250000, NULL);
	const Progress *g = get(f, "ruian", 2022, "2022-12-31", "race_area");
	assert_string_equal(g->op, ">");
	assert_int_equal(g->status, PS_ON_TRACK);
	assert_int_equal(get(f, "ruian", 2022, "2022-12-31", "area_added")->status, PS_DONE);
	add_change(f, id, "2022-05-01", 1);
	assert_int_equal(get(f, "ruian", 2022, "2022-12-31", "race_area")->status, PS_DONE);
}

static void test_expected_linear(void **state)
{
	Fx *f = *state;
	/* 2022-07-02 is day 183 of 365. */
	const Progress *g = get(f, "ruian", 2022, "2022-07-02", "area_added");
	assert_near(g->expected, 250000.0 * 183 / 365, 1e-6);
	assert_near(g->target, 250000, 0);
	assert_near(get(f, "ruian", 2022, "2022-01-01", "area_added")->expected, 250000.0 / 365, 1e-6);
	/* From the previous year's cumulative target. */
	assert_near(get(f, "ruian", 2023, "2023-01-01", "area_added")->expected,
	            250000 + (600000.0 - 250000) * 1 / 365, 1e-6);
	assert_near(get(f, "ruian", 2023, "2023-07-02", "area_added")->expected,
	            250000 + 350000.0 * 183 / 365, 1e-6);
	/* 2024 is a leap year: 2024-02-29 is day 60 of 366. */
	assert_near(get(f, "ruian", 2024, "2024-02-29", "area_added")->expected,
	            600000 + 400000.0 * 60 / 366, 1e-6);
	assert_near(get(f, "ruian", 2024, "2024-12-31", "area_added")->expected, 1000000, 1e-6);

	/* The status compares with the expected value, not the year's target. */
	add_base(f, "tangxia", "2022-02-01", 120000, NULL);
	g = get(f, "ruian", 2022, "2022-07-02", "area_added");
	assert_near(g->ratio, 120000.0 / 250000, 1e-9);
	assert_int_equal(g->status, PS_ON_TRACK); /* 120000 / 125342.5 = 0.957 */
	assert_int_equal(get(f, "ruian", 2022, "2022-12-31", "area_added")->status, PS_AT_RISK);
}

/* What is expected by a date does not depend on which year is shown: by
 * 2022-06-30 the plan asks for 181/365 of the 2022 target, also when the
 * 2023 figure is computed as of that day. */
static void test_expected_before_year(void **state)
{
	Fx *f = *state;
	add_base(f, "tangxia", "2022-02-01", 120000, NULL);
	const Progress *g22 = get(f, "ruian", 2022, "2022-06-30", "area_added");
	assert_near(g22->expected, 250000.0 * 181 / 365, 1e-6);
	assert_int_equal(g22->status, PS_ON_TRACK);
	const Progress *g23 = get(f, "ruian", 2023, "2022-06-30", "area_added");
	assert_string_equal(g23->to, "2022-06-30");
	assert_near(g23->actual, 120000, 0);
	assert_near(g23->expected, 250000.0 * 181 / 365, 1e-6);
	assert_int_equal(g23->status, g22->status);
}

/* A plan may leave a year without a target ("absent, never 0"); the year
 * after it starts from the last target stated before it, not from 0. */
static void test_expected_after_missing_year(void **state)
{
	Fx *f = *state;
	json_error_t je;
	json_t *root = json_loads(plan_embedded_ruian, 0, &je);
	assert_non_null(root);
	json_t *targets = json_object_get(root, "targets");
	assert_string_equal(json_string_value(json_object_get(json_array_get(targets, 6), "indicator")), "area_added");
	assert_int_equal(json_array_remove(targets, 6), 0); /* area_added 2023 */
	char *text = json_dumps(root, 0);
	json_decref(root);
	char err[512] = "";
	Plan *p = plan_parse(&f->a, text, strlen(text), "gap.json", err, sizeof err);
	free(text);
	if (!p)
		fail_msg("plan without the 2023 area target refused: %s", err);
	store_close(f->s);
	f->p = p;
	f->s = tu_store_memory();
	tu_save_plan(f->s, p);

	assert_int_equal(get(f, "ruian", 2023, "2023-12-31", "area_added")->has_target, 0);
	add_base(f, "tangxia", "2022-02-01", 100000, NULL);
	const Progress *g = get(f, "ruian", 2024, "2024-01-01", "area_added");
	assert_int_equal(g->has_target, 1);
	assert_near(g->expected, 250000 + (1000000.0 - 250000) * 1 / 366, 1e-6);
	assert_int_equal(g->status, PS_AT_RISK); /* 100000 of about 252000 */
}

static void test_no_target(void **state)
{
	Fx *f = *state;
	Operator o = {.name = "运营乙", .area = "tangxia", .introduced_on = "2024-03-01"};
	assert_true(store_operator_insert(f->s, &o) > 0);
	const Progress *g = get(f, "ruian", 2024, "2024-12-31", "operators");
	assert_int_equal(g->has_target, 0);
	assert_int_equal(g->status, PS_NO_TARGET);
	assert_near(g->actual, 1, 0);
	assert_near(g->target, 0, 0);
	assert_null(g->op);
	/* 2023 has one: 8 operators. */
	g = get(f, "ruian", 2023, "2023-12-31", "operators");
	assert_int_equal(g->has_target, 1);
	assert_near(g->target, 8, 0);
	g = get(f, "ruian", 2022, "2022-12-31", "national");
	assert_int_equal(g->has_target, 0);
	assert_int_equal(g->status, PS_NO_TARGET);
	assert_int_equal(get(f, "ruian", 2024, "2024-12-31", "national")->has_target, 1);
	/* The competition figures have no targets in the plan. */
	assert_int_equal(get(f, "ruian", 2022, "2022-12-31", "race_projects")->status, PS_NO_TARGET);
}

/* ---- the measures ---- */

static void test_bases_recognised(void **state)
{
	Fx *f = *state;
	long long b1 = add_base(f, "anyang", "2020-01-01", 100, NULL);
	long long b2 = add_base(f, "anyang", "2020-01-01", 100, NULL);
	long long b3 = add_base(f, "yuhai", "2020-01-01", 100, NULL);
	long long b4 = add_base(f, "yuhai", "2020-01-01", 100, NULL);
	long long b5 = add_base(f, "jinhu", "2020-01-01", 100, NULL);
	long long b6 = add_base(f, "jinhu", "2020-01-01", 100, NULL);
	assert_int_equal(store_base_level_set(f->s, b1, "provincial", "2022-05-01", "文件1"), H_OK);
	assert_int_equal(store_base_level_set(f->s, b2, "provincial", "2021-12-31", NULL), H_OK); /* before */
	assert_int_equal(store_base_level_set(f->s, b3, "municipal", "2022-06-01", NULL), H_OK);
	assert_int_equal(store_base_level_set(f->s, b4, "national", "2022-07-01", NULL), H_OK);
	assert_int_equal(store_base_level_set(f->s, b5, "demonstration", "2022-08-01", NULL), H_OK);
	assert_int_equal(store_base_level_set(f->s, b6, "provincial", "2023-02-01", NULL), H_OK);
	assert_int_equal(store_base_level_set(f->s, b4, "provincial", "2022-12-31", NULL), H_OK);

	const Progress *g = get(f, "ruian", 2022, "2022-12-31", "provincial");
	assert_near(g->actual, 2, 0); /* b1, b4 */
	assert_int_equal(g->status, PS_DONE); /* target 1 */
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "national"), 1, 0);
	g = get(f, "ruian", 2022, "2022-12-31", "demo_bases");
	assert_near(g->actual, 1, 0);
	assert_int_equal(g->status, PS_AT_RISK); /* 1 of 2 */
	assert_near(actual(f, "ruian", 2023, "2023-12-31", "provincial"), 3, 0);
	assert_near(actual(f, "yuhai", 2022, "2022-12-31", "provincial"), 1, 0);
	assert_near(actual(f, "anyang", 2022, "2022-07-01", "provincial"), 1, 0);
	assert_near(actual(f, "anyang", 2022, "2022-04-30", "provincial"), 0, 0);

	/* A new date replaces the old one. */
	assert_int_equal(store_base_level_set(f->s, b1, "provincial", "2024-01-05", "文件2"), H_OK);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "provincial"), 1, 0);
	assert_near(actual(f, "ruian", 2024, "2024-12-31", "provincial"), 3, 0);
}

static void test_funds_and_investments(void **state)
{
	Fx *f = *state;
	long long base = add_base(f, "tangxia", "2020-01-01", 100, NULL);
	Fund fd = {.name = "基金甲", .area = "tangxia", .origin = "new", .established_on = "2022-02-01"};
	long long fund = store_fund_insert(f->s, &fd);
	assert_true(fund > 0);
	fd.origin = "brought_in";
	fd.established_on = "2022-03-01";
	assert_true(store_fund_insert(f->s, &fd) > 0);
	fd.established_on = "2021-12-31"; /* before the plan */
	assert_true(store_fund_insert(f->s, &fd) > 0);
	fd.established_on = "2022-04-01";
	fd.review_status = "pending";
	assert_true(store_fund_insert(f->s, &fd) > 0);
	fd.review_status = NULL;
	fd.established_on = NULL; /* no date: never counts */
	assert_true(store_fund_insert(f->s, &fd) > 0);
	fd.established_on = "2023-01-01";
	fd.area = "binhai";
	assert_true(store_fund_insert(f->s, &fd) > 0);

	assert_near(actual(f, "ruian", 2022, "2022-12-31", "funds"), 2, 0);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "race_funds"), 2, 0);
	assert_near(actual(f, "ruian", 2023, "2023-12-31", "funds"), 3, 0);
	assert_near(actual(f, "tangxia", 2023, "2023-12-31", "funds"), 2, 0);
	assert_near(actual(f, "ruian", 2022, "2022-02-28", "funds"), 1, 0);

	Investment inv = {.fund_id = fund, .investee = "企业甲", .base_id = base, .area = "tangxia",
	                  .amount_yuan = 1000000, .invested_on = "2022-05-01"};
	assert_true(store_investment_insert(f->s, &inv) > 0);
	inv.base_id = 0; /* not in a base: does not count */
	inv.amount_yuan = 5000000;
	assert_true(store_investment_insert(f->s, &inv) > 0);
	inv.base_id = base;
	inv.amount_yuan = 2500000;
	inv.invested_on = "2023-01-10";
	assert_true(store_investment_insert(f->s, &inv) > 0);
	inv.review_status = "pending";
	inv.amount_yuan = 7000000;
	assert_true(store_investment_insert(f->s, &inv) > 0);

	assert_near(actual(f, "ruian", 2022, "2022-12-31", "race_investment"), 1000000, 0);
	assert_near(actual(f, "ruian", 2023, "2023-12-31", "race_investment"), 3500000, 0);
	assert_near(actual(f, "binhai", 2023, "2023-12-31", "race_investment"), 0, 0);
}

static void test_projects_and_talents(void **state)
{
	Fx *f = *state;
	Project pr = {.name = "项目甲", .area = "jiangnan", .arrived_on = "2022-03-03"};
	assert_true(store_project_insert(f->s, &pr) > 0);
	pr.kind = "team";
	pr.arrived_on = "2022-12-31";
	assert_true(store_project_insert(f->s, &pr) > 0);
	pr.arrived_on = "2021-12-31";
	assert_true(store_project_insert(f->s, &pr) > 0);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "race_projects"), 2, 0);

	ReportFigure r = {.area = "jiangnan", .period = "2022-Q1", .period_end = "2022-03-31",
	                  .field = "talents_new", .value = 12};
	assert_true(store_report_figure_insert(f->s, &r) > 0);
	r.period = "2022-Q2";
	r.period_end = "2022-06-30";
	r.value = 30;
	assert_true(store_report_figure_insert(f->s, &r) > 0);
	r.field = "firms_new"; /* another figure */
	assert_true(store_report_figure_insert(f->s, &r) > 0);
	r.field = "talents_new";
	r.review_status = "pending";
	assert_true(store_report_figure_insert(f->s, &r) > 0);
	assert_near(actual(f, "ruian", 2022, "2022-12-31", "race_talents"), 42, 0);
	assert_near(actual(f, "ruian", 2022, "2022-06-29", "race_talents"), 12, 0);
}

/* ---- kinds, names, default year ---- */

static void test_kind_filter(void **state)
{
	Fx *f = *state;
	static const char *const kinds[] = {"plan", "competition"};
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		Progress *v = NULL;
		int n = progress_compute(f->s, f->p, &f->a, "ruian", 2023, "2023-06-30", kinds[k], &v);
		assert_int_equal(n, 6);
		for (int i = 0; i < n; i++)
			assert_string_equal(v[i].ind->kind, kinds[k]);
	}
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(progress_status_zh(PS_DONE), "已完成");
	assert_string_equal(progress_status_zh(PS_ON_TRACK), "正常");
	assert_string_equal(progress_status_zh(PS_BEHIND), "滞后");
	assert_string_equal(progress_status_zh(PS_AT_RISK), "严重滞后");
	assert_string_equal(progress_status_zh(PS_NO_TARGET), "无目标");
	assert_string_equal(progress_status_code(PS_DONE), "done");
	assert_string_equal(progress_status_code(PS_ON_TRACK), "on_track");
	assert_string_equal(progress_status_code(PS_BEHIND), "behind");
	assert_string_equal(progress_status_code(PS_AT_RISK), "at_risk");
	assert_string_equal(progress_status_code(PS_NO_TARGET), "no_target");
}

static void test_default_year(void **state)
{
	Fx *f = *state;
	assert_int_equal(progress_default_year(f->p, "2021-05-01"), 2022);
	assert_int_equal(progress_default_year(f->p, "2022-01-01"), 2022);
	assert_int_equal(progress_default_year(f->p, "2023-06-15"), 2023);
	assert_int_equal(progress_default_year(f->p, "2024-12-31"), 2024);
	assert_int_equal(progress_default_year(f->p, "2026-01-01"), 2024);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_window_edges),
		T(test_area_change_nets_to_zero),
		T(test_review_status),
		T(test_area_scope),
		T(test_status_year_end),
		T(test_status_strict_op),
		T(test_expected_linear),
		T(test_expected_before_year),
		T(test_expected_after_missing_year),
		T(test_no_target),
		T(test_bases_recognised),
		T(test_funds_and_investments),
		T(test_projects_and_talents),
		T(test_kind_filter),
		cmocka_unit_test(test_status_names),
		T(test_default_year),
	};
	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
