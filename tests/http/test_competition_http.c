/*
 * test_competition_http.c — the 六比竞赛 and the yearly assessment against
 * the real binary on the demo database: the API's shape, groups (five
 * 功能区, twenty 镇街), ranks that follow the scores with ties sharing,
 * a figure equal to the progress API's difference over the same window
 * and to the total of the records page it links to, errors in Chinese,
 * the ranking page for the office and for an area (its card, its 工作台
 * row), the assessment's score arithmetic and deductions, its .xlsx read
 * back, who may see what, and `hatchery competition --json` giving the
 * API's numbers; made afresh (--page-cache 0), the next answer after
 * another connection's change has the new figure and ranks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "util.h"
#include "xlsx_read.h"

static TestServer srv;
static Login admin, feiyun, leader, base10;

static int setup(void **state)
{
	(void)state;
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "leader", "viewer", NULL);
	server_add_user(&srv, "base10", "base", "10");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &feiyun) ||
	    http_login(srv.port, "leader", TEST_USER_PASSWORD, &leader) ||
	    http_login(srv.port, "base10", TEST_USER_PASSWORD, &base10))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

static Response get(const Login *l, const char *path)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, "GET", path, NULL, &r), 0);
	return r;
}

static json_t *get_json(const Login *l, const char *path, int want)
{
	Response r = get(l, path);
	if (r.status != want)
		fail_msg("GET %s: %d, want %d: %.300s", path, r.status, want, r.body ? r.body : "");
	json_t *j = json_loads(r.body ? r.body : "", 0, NULL);
	if (!j)
		fail_msg("GET %s: not JSON", path);
	response_free(&r);
	return j;
}

static json_t *area_of(json_t *c, const char *code)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(c, "areas"), i, a)
		if (strcmp(json_string_value(json_object_get(a, "code")), code) == 0)
			return a;
	fail_msg("no area %s", code);
	return NULL;
}

static json_t *cell_of(json_t *area, const char *ind)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(area, "indicators"), i, x)
		if (strcmp(json_string_value(json_object_get(x, "indicator")), ind) == 0)
			return x;
	fail_msg("no indicator %s", ind);
	return NULL;
}

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		fail_msg("%s is not a number", key);
	return json_number_value(v);
}

/* The progress API's cumulative actual of indicator ind for area as of a date. */
static double progress_actual(const char *area, const char *as_of, const char *ind)
{
	char path[200];
	snprintf(path, sizeof path, "/api/v1/progress?year=%.4s&as_of=%s&area=%s", as_of, as_of, area);
	json_t *j = get_json(&admin, path, 200);
	double v = -1;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "indicators"), i, x)
		if (strcmp(json_string_value(json_object_get(x, "indicator")), ind) == 0)
			v = num(x, "actual");
	json_decref(j);
	assert_true(v >= 0);
	return v;
}

/* The API: shape, groups, ranks consistent with scores, figures equal to
 * the progress API's over the same window. */
static void test_api(void **state)
{
	(void)state;
	json_t *c = get_json(&admin, "/api/v1/competition?period=2024-11&as_of=2024-11-30", 200);
	json_t *per = json_object_get(c, "period");
	assert_string_equal(json_string_value(json_object_get(per, "key")), "2024-11");
	assert_string_equal(json_string_value(json_object_get(per, "label")), "2024年11月");
	assert_string_equal(json_string_value(json_object_get(per, "from")), "2024-11-01");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "previous"), "key")), "2024-10");
	json_t *groups = json_object_get(json_object_get(c, "method"), "groups");
	assert_int_equal(json_array_size(groups), 2);
	assert_int_equal(json_array_size(json_object_get(json_array_get(groups, 0), "areas")), 5);
	assert_int_equal(json_array_size(json_object_get(json_array_get(groups, 1), "areas")), 20);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(c, "method"), "text_zh")), "附件1"));
	assert_int_equal(json_array_size(json_object_get(c, "areas")), 25);
	assert_int_equal(json_array_size(json_object_get(c, "city")), 6);

	/* within each group, a higher score never ranks lower and equal scores share */
	size_t i, j;
	json_t *a, *b;
	int ranked = 0;
	json_array_foreach(json_object_get(c, "areas"), i, a) {
		assert_int_equal(json_array_size(json_object_get(a, "indicators")), 6);
		if (!json_is_number(json_object_get(a, "score")))
			continue;
		ranked++;
		int rg = (int)json_integer_value(json_object_get(a, "rank_group"));
		assert_true(rg >= 1);
		int higher = 0;
		json_array_foreach(json_object_get(c, "areas"), j, b)
			if (json_equal(json_object_get(a, "group"), json_object_get(b, "group")) &&
			    json_is_number(json_object_get(b, "score")) && num(b, "score") > num(a, "score") + 1e-9)
				higher++;
		assert_int_equal(rg, higher + 1);
		/* the change is the previous rank less this one */
		if (json_is_object(json_object_get(a, "previous")))
			assert_int_equal(json_integer_value(json_object_get(a, "change_group")),
			                 json_integer_value(json_object_get(json_object_get(a, "previous"), "rank_group")) - rg);
	}
	assert_int_equal(ranked, 25);

	/* November's figures are the progress API's end of November less end of October */
	const char *areas[] = {"tangxia", "feiyun", "anyang-center"};
	const char *inds[] = {"race_projects", "race_talents", "race_investment", "race_area"};
	for (size_t k = 0; k < 3; k++)
		for (size_t q = 0; q < 4; q++) {
			double want = progress_actual(areas[k], "2024-11-30", inds[q]) - progress_actual(areas[k], "2024-10-31", inds[q]);
			double got = num(cell_of(area_of(c, areas[k]), inds[q]), "value");
			if (fabs(got - want) > 1e-6)
				fail_msg("%s %s: %g, progress says %g", areas[k], inds[q], got, want);
		}
	/* the city's figure is the sum of the areas' (an amount measure) */
	double sum = 0;
	json_array_foreach(json_object_get(c, "areas"), i, a)
		sum += num(cell_of(a, "race_projects"), "value");
	json_t *cityc;
	json_array_foreach(json_object_get(c, "city"), i, cityc)
		if (!strcmp(json_string_value(json_object_get(cityc, "indicator")), "race_projects"))
			assert_true(fabs(num(cityc, "value") - sum) < 1e-9);
	json_decref(c);

	/* the year to date compares with itself at the end of the month before */
	c = get_json(&admin, "/api/v1/competition?period=ytd&as_of=2024-11-30", 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "previous"), "to")), "2024-10-31");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "period"), "label")), "2024年1—11月");
	json_decref(c);
	c = get_json(&admin, "/api/v1/competition?period=2024-Q3&as_of=2024-11-30", 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "period"), "label")), "2024年第三季度");
	json_decref(c);
	c = get_json(&leader, "/api/v1/competition?period=plan&as_of=2024-12-31", 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "period"), "from")), "2022-01-01");
	json_decref(c);
}

/* A figure's link opens the records behind it, adding up to it. */
static void test_records_link(void **state)
{
	(void)state;
	json_t *c = get_json(&admin, "/api/v1/competition?period=2024&as_of=2024-12-31", 200);
	json_t *cell = cell_of(area_of(c, "tangxia"), "race_projects");
	const char *url = json_string_value(json_object_get(cell, "records"));
	assert_non_null(strstr(url, "from=2024-01-01"));
	char want[64];
	snprintf(want, sizeof want, "<strong id=\"total\">%.0f 个</strong>", num(cell, "value"));
	Response r = get(&admin, url);
	assert_int_equal(r.status, 200);
	if (!strstr(r.body, want))
		fail_msg("%s does not show %s", url, want);
	assert_non_null(strstr(r.body, "2024-01-01 至 2024-12-31"));
	response_free(&r);
	json_decref(c);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *path, *code;
	} bad[] = {
		{"/api/v1/competition?period=2024-13", "bad_period"},
		{"/api/v1/competition?period=last", "bad_period"},
		{"/api/v1/competition?period=2030-01", "outside_plan"},
		{"/api/v1/competition?period=2024-12&as_of=2024-11-30", "not_begun"},
		{"/api/v1/competition?period=2024-11&as_of=2024-02-30", "bad_as_of"},
		{"/api/v1/assessment?year=2030", "bad_year"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = get_json(&admin, bad[i].path, 400);
		json_t *e = json_object_get(j, "error");
		assert_string_equal(json_string_value(json_object_get(e, "code")), bad[i].code);
		assert_non_null(json_string_value(json_object_get(e, "message")));
		json_decref(j);
	}
	Response r = get(&admin, "/competition?period=2024-13");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "期间应为月份"));
	response_free(&r);
	r = get(&admin, "/competition?view=sideways");
	assert_int_equal(r.status, 400);
	response_free(&r);
	r = get(&admin, "/competition?group=nowhere");
	assert_int_equal(r.status, 400);
	response_free(&r);
}

/* The page: the office's, an area's own card and note, 工作台, who may see. */
static void test_pages(void **state)
{
	(void)state;
	Response r = get(&admin, "/competition?period=2024-11&as_of=2024-11-30");
	assert_int_equal(r.status, 200);
	const char *want[] = {"六比竞赛排名", "2024年11月", "与2024年10月相比", "水平排名", "进步排名", "功能区水平排名（5 个）",
	                      "塘下新区", "排名办法", "按目标完成率排名", "全市六项指标", "/progress/race_projects?", NULL};
	for (int i = 0; want[i]; i++)
		if (!strstr(r.body, want[i]))
			fail_msg("/competition lacks %s", want[i]);
	assert_null(strstr(r.body, "飞云街道")); /* the towns are on their own tab */
	response_free(&r);
	r = get(&admin, "/competition?period=2024-11&as_of=2024-11-30&group=towns&view=progress");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "镇街进步排名（20 个）"));
	assert_non_null(strstr(r.body, "飞云街道"));
	response_free(&r);
	r = get(&admin, "/competition?period=2024-11&as_of=2024-11-30&group=all");
	assert_non_null(strstr(r.body, "全市水平排名（25 个）"));
	response_free(&r);
	/* an area lands on its own group and sees its card marked */
	r = get(&feiyun, "/competition?period=2024-11&as_of=2024-11-30");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "镇街水平排名（20 个）"));
	assert_non_null(strstr(r.body, "rank-card mine"));
	assert_non_null(strstr(r.body, "飞云街道：镇街第 "));
	response_free(&r);
	r = get(&feiyun, "/workbench");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "work-competition"));
	assert_non_null(strstr(r.body, "镇街第 "));
	response_free(&r);
	/* a base user reads the ranking but gets no links to records it may not open */
	r = get(&base10, "/competition?period=2024-11&as_of=2024-11-30");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "/progress/race_"));
	response_free(&r);
	r = get(NULL, "/api/v1/competition");
	assert_true(r.status == 401 || r.status == 403);
	response_free(&r);
	/* the assessment is the office's */
	r = get(&feiyun, "/assessment");
	assert_int_equal(r.status, 403);
	response_free(&r);
	r = get(&leader, "/api/v1/assessment");
	assert_int_equal(r.status, 403);
	response_free(&r);
}

/* The assessment: points, deductions and score add up; the demo's late and
 * returned reports cost points; ranks follow the score. */
static void test_assessment(void **state)
{
	(void)state;
	json_t *x = get_json(&admin, "/api/v1/assessment?year=2024&as_of=2025-01-31", 200);
	assert_int_equal((int)num(json_object_get(x, "rules"), "total"), 100);
	size_t i, j;
	json_t *a, *b;
	int late = 0, returned = 0;
	json_array_foreach(json_object_get(x, "areas"), i, a) {
		double earned = 0, possible = 0;
		json_t *it;
		size_t k;
		json_array_foreach(json_object_get(a, "indicators"), k, it)
			if (json_is_true(json_object_get(it, "counted"))) {
				earned += num(it, "points");
				possible += num(json_array_get(json_object_get(json_object_get(x, "rules"), "indicators"), k), "points");
			}
		assert_true(fabs(earned - num(a, "earned")) < 1e-6);
		double base = possible > 0 ? earned / possible * 100 : 0;
		assert_true(fabs(base - num(a, "base")) < 1e-6);
		double ded = num(a, "deduct_late") + num(a, "deduct_returned");
		assert_true(num(a, "deduct_late") <= 5 + 1e-9 && num(a, "deduct_returned") <= 3 + 1e-9);
		assert_true(fabs(num(a, "deduct_late") - fmin(5, num(a, "late") * 1)) < 1e-9);
		assert_true(fabs(num(a, "deduct_returned") - fmin(3, num(a, "returned") * 0.5)) < 1e-9);
		assert_true(fabs(num(a, "score") - fmax(0, base - ded)) < 1e-6);
		assert_int_equal(json_array_size(json_object_get(a, "late_periods")), (size_t)num(a, "late"));
		late += (int)num(a, "late");
		returned += (int)num(a, "returned");
		int higher = 0;
		json_array_foreach(json_object_get(x, "areas"), j, b)
			higher += num(b, "score") > num(a, "score") + 1e-9;
		assert_int_equal((int)num(a, "rank_all"), higher + 1);
	}
	/* the demo has late reports and one returned in January for December */
	assert_string_equal(json_string_value(json_object_get(x, "to")), "2024-12-31");
	assert_true(late > 0);
	assert_true(returned > 0);
	json_decref(x);

	Response r = get(&admin, "/assessment?year=2024&as_of=2024-12-31");
	assert_int_equal(r.status, 200);
	const char *want[] = {"大孵化集群建设年度考核（2024 年度）", "功能区（5 个）", "镇街（20 个）", "考核细则", "迟报漏报", "导出 Excel",
	                      NULL};
	for (int k = 0; want[k]; k++)
		if (!strstr(r.body, want[k]))
			fail_msg("/assessment lacks %s", want[k]);
	response_free(&r);

	/* the .xlsx for the 考绩办, read back */
	r = get(&admin, "/assessment.xlsx?year=2024&as_of=2024-12-31");
	assert_int_equal(r.status, 200);
	char *ct = response_header(&r, "Content-Type");
	assert_non_null(strstr(ct, "spreadsheetml"));
	free(ct);
	Arena ar = {0};
	char err[256];
	XlsxSheet *s = xlsx_read_sheet(&ar, r.body, r.body_len, "考核得分", err, sizeof err);
	if (!s)
		fail_msg("xlsx: %s", err);
	assert_int_equal(s->nrows, 26); /* header and 25 areas */
	int score_col = -1;
	for (int c = 0; c < s->ncols; c++)
		if (xlsx_cell_text(s, 0, c) && !strcmp(xlsx_cell_text(s, 0, c), "总分"))
			score_col = c;
	assert_true(score_col > 0);
	assert_string_equal(xlsx_cell_text(s, 1, 2), "功能区");
	XlsxSheet *note = xlsx_read_sheet(&ar, r.body, r.body_len, "说明", err, sizeof err);
	assert_non_null(note);
	assert_non_null(strstr(xlsx_cell_text(note, 0, 0), "2024年度"));
	arena_free(&ar);
	response_free(&r);
}

/* The ranking as a workbook: a sheet per group and one of all, ranked as
 * the API ranks them, and the method on 说明. */
static void test_ranking_xlsx(void **state)
{
	(void)state;
	Response r = get(&leader, "/competition.xlsx?period=2024-11&as_of=2024-11-30");
	assert_int_equal(r.status, 200);
	Arena ar = {0};
	char err[256];
	const char **names;
	int n = xlsx_sheet_names(&ar, r.body, r.body_len, &names, err, sizeof err);
	assert_true(n >= 4);
	assert_string_equal(names[0], "功能区");
	assert_string_equal(names[1], "镇街");
	assert_string_equal(names[2], "全市");
	XlsxSheet *zones = xlsx_read_sheet(&ar, r.body, r.body_len, "功能区", err, sizeof err);
	XlsxSheet *all = xlsx_read_sheet(&ar, r.body, r.body_len, "全市", err, sizeof err);
	assert_non_null(zones);
	assert_non_null(all);
	assert_int_equal(zones->nrows, 6);
	assert_int_equal(all->nrows, 26);
	json_t *c = get_json(&leader, "/api/v1/competition?period=2024-11&as_of=2024-11-30", 200);
	for (int row = 1; row < 6; row++) {
		json_t *a = NULL, *x;
		size_t i;
		json_array_foreach(json_object_get(c, "areas"), i, x)
			if (!strcmp(json_string_value(json_object_get(x, "name")), xlsx_cell_text(zones, row, 1)))
				a = x;
		assert_non_null(a);
		assert_int_equal((int)xlsx_cell(zones, row, 0)->number, (int)json_integer_value(json_object_get(a, "rank_group")));
		assert_true(fabs(xlsx_cell(zones, row, 2)->number - num(a, "score")) < 1e-9);
	}
	json_decref(c);
	XlsxSheet *note = xlsx_read_sheet(&ar, r.body, r.body_len, "说明", err, sizeof err);
	assert_non_null(note);
	assert_non_null(strstr(xlsx_cell_text(note, 0, 0), "2024年11月"));
	arena_free(&ar);
	response_free(&r);
}

/* `hatchery competition --json` gives the API's numbers; text lists the groups. */
static void test_cli(void **state)
{
	(void)state;
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "'%s' competition --db '%s' --period 2024-11 --as-of 2024-11-30 --json", getenv("HATCHERY_BIN"),
	         srv.db);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	json_error_t je;
	json_t *cli = json_loadf(f, 0, &je);
	assert_int_equal(pclose(f), 0);
	assert_non_null(cli);
	json_t *api = get_json(&admin, "/api/v1/competition?period=2024-11&as_of=2024-11-30", 200);
	assert_true(json_equal(json_object_get(cli, "areas"), json_object_get(api, "areas")));
	json_decref(cli);
	json_decref(api);
	snprintf(cmd, sizeof cmd, "'%s' competition --db '%s' --period 2024-13 2>&1", getenv("HATCHERY_BIN"), srv.db);
	f = popen(cmd, "r");
	char out[2000] = "";
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	assert_int_equal(WEXITSTATUS(pclose(f)), 2);
	assert_non_null(strstr(out, "期间应为月份"));
	snprintf(cmd, sizeof cmd, "'%s' competition --db '%s' --period 2024-11 --as-of 2024-11-30", getenv("HATCHERY_BIN"), srv.db);
	f = popen(cmd, "r");
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	assert_int_equal(pclose(f), 0);
	assert_non_null(strstr(out, "功能区"));
	assert_non_null(strstr(out, "镇街"));
	assert_non_null(strstr(out, "塘下新区"));
	char path[300];
	snprintf(path, sizeof path, "%s/assess.xlsx", srv.dir);
	snprintf(cmd, sizeof cmd, "'%s' assessment --db '%s' --year 2024 --as-of 2024-12-31 -o '%s' >/dev/null", getenv("HATCHERY_BIN"),
	         srv.db, path);
	assert_int_equal(system(cmd), 0);
	size_t len;
	char *bytes = file_read(path, &len);
	assert_non_null(bytes);
	assert_true(len > 1000 && bytes[0] == 'P' && bytes[1] == 'K');
	free(bytes);
}

/* Made afresh (serve --page-cache 0), the figures the server keeps below
 * the page (competition_kept) follow a change made by another connection,
 * as the reporter's during the benchmarks: the next answer has the area's
 * new figure and ranks that follow it, every other area's figures as
 * before, and the page itself changes. */
static void test_made_afresh_follows_a_change(void **state)
{
	(void)state;
	/* one thread: every answer from the same connection and its kept rows */
	static const char *const args[] = {"--page-cache", "0", "--threads", "1", NULL};
	TestServer fresh;
	server_start(&fresh, args);
	Login off;
	assert_int_equal(http_login(fresh.port, "admin", TEST_ADMIN_PASSWORD, &off), 0);
	const char *api = "/api/v1/competition?period=2024-06&as_of=2024-12-31";
	const char *page = "/competition?period=2024-06&as_of=2024-12-31&group=all";
	Response r;
	assert_int_equal(http_as(fresh.port, &off, "GET", api, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *before = json_loads(r.body, 0, NULL);
	response_free(&r);
	assert_int_equal(http_as(fresh.port, &off, "GET", page, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	char *page_before = strdup(r.body);
	response_free(&r);
	/* twice: the second answer is made from what the first kept */
	assert_int_equal(http_as(fresh.port, &off, "GET", api, NULL, &r), 0);
	json_t *again = json_loads(r.body, 0, NULL);
	response_free(&r);
	assert_true(json_equal(json_object_get(before, "areas"), json_object_get(again, "areas")));
	json_decref(again);

	/* three projects arrive in 飞云 in June 2024, committed by another connection */
	sqlite3 *h;
	assert_int_equal(sqlite3_open(fresh.db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	char *err = NULL;
	if (sqlite3_exec(h, "INSERT INTO project(name, area, arrived_on, created_at, updated_at) VALUES "
	                    "('新到项目一', 'feiyun', '2024-06-10', 'x', 'x'), ('新到项目二', 'feiyun', '2024-06-11', 'x', 'x'), "
	                    "('新到项目三', 'feiyun', '2024-06-12', 'x', 'x')",
	                 NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s", err);
	sqlite3_close(h);

	assert_int_equal(http_as(fresh.port, &off, "GET", api, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	json_t *after = json_loads(r.body, 0, NULL);
	response_free(&r);
	size_t i;
	json_t *a;
	int others = 0;
	json_array_foreach(json_object_get(before, "areas"), i, a) {
		const char *code = json_string_value(json_object_get(a, "code"));
		json_t *b = area_of(after, code);
		double v0 = num(cell_of(a, "race_projects"), "value"), v1 = num(cell_of(b, "race_projects"), "value");
		if (strcmp(code, "feiyun") == 0) {
			assert_true(v1 == v0 + 3);
		} else {
			assert_true(v1 == v0); /* ranks may move with 飞云's; figures do not */
			others++;
		}
	}
	assert_true(others >= 20);
	/* the ranks follow the new figure: 飞云's project rank is that of its
	 * value among all */
	json_t *fy = area_of(after, "feiyun");
	double mine = num(cell_of(fy, "race_projects"), "value");
	int higher = 0;
	json_array_foreach(json_object_get(after, "areas"), i, a)
		higher += num(cell_of(a, "race_projects"), "value") > mine + 1e-9;
	assert_int_equal(json_integer_value(json_object_get(cell_of(fy, "race_projects"), "rank_all")), higher + 1);
	assert_int_equal(http_as(fresh.port, &off, "GET", page, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(strcmp(r.body, page_before) != 0);
	response_free(&r);
	free(page_before);
	json_decref(before);
	json_decref(after);
	server_stop(&fresh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_records_link),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_assessment),
		cmocka_unit_test(test_ranking_xlsx),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_made_afresh_follows_a_change),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
