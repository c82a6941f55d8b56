/*
 * test_targets.c — targets and the figures behind them over the real
 * server: the areas' targets set over the API and the grid, the sum check
 * and its shortfall, refusals (the city's targets, bad values, all or
 * nothing), an area's status against its own target, the year-end forecast,
 * the records behind a figure adding up to it, and the comparison sorted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static TestServer srv;
static Login admin;

static int setup(void **state)
{
	server_start(&srv, NULL);
	return http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin);
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

static json_t *call(const char *method, const char *path, const char *body, int *status)
{
	Response r;
	assert_int_equal(http_as(srv.port, &admin, method, path, body, &r), 0);
	*status = r.status;
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	response_free(&r);
	return j;
}

static json_t *check_for(json_t *answer, const char *indicator, int year)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(answer, "sum_check"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "indicator")), indicator) &&
		    json_integer_value(json_object_get(c, "year")) == year)
			return c;
	return NULL;
}

/* The sum over the areas' targets, from the list of targets. */
static double listed_sum(const char *indicator, int year)
{
	int st;
	char path[128];
	snprintf(path, sizeof path, "/api/v1/targets?indicator=%s&year=%d", indicator, year);
	json_t *j = call("GET", path, NULL, &st);
	double sum = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "items"), i, x)
		if (strcmp(json_string_value(json_object_get(x, "scope")), "ruian") != 0)
			sum += json_number_value(json_object_get(x, "value"));
	json_decref(j);
	return sum;
}

static void test_sum_check(void **state)
{
	int st;
	double before = listed_sum("area_added", 2022);
	/* the demo's break-down gives 塘下 30,000 and 飞云 13,000 for 2022 */
	json_t *j = call("PUT", "/api/v1/targets",
	                 "{\"targets\":[{\"indicator\":\"area_added\",\"scope\":\"tangxia\",\"year\":2022,\"value\":10000},"
	                 "{\"indicator\":\"area_added\",\"scope\":\"feiyun\",\"year\":2022,\"value\":3000},"
	                 "{\"indicator\":\"provincial\",\"scope\":\"jinhu\",\"year\":2022,\"value\":0}]}", &st);
	assert_int_equal(st, 200);
	json_t *c = check_for(j, "area_added", 2022);
	assert_non_null(c);
	double sum = json_number_value(json_object_get(c, "areas_sum"));
	assert_true(sum == before - 30000);
	assert_true(sum == listed_sum("area_added", 2022));
	assert_true(json_number_value(json_object_get(c, "shortfall")) == 250000 - sum);
	assert_false(json_is_true(json_object_get(c, "covered")));
	c = check_for(j, "funds", 2022);
	assert_true(json_is_true(json_object_get(c, "covered"))); /* 5 zones x 1 >= 4 */
	assert_true(json_number_value(json_object_get(c, "shortfall")) == 0);
	json_decref(j);
	/* the grid shows the same shortfall */
	Response r;
	assert_int_equal(http_as(srv.port, NULL, "GET", "/targets", NULL, &r), 0);
	const char *cell = strstr(r.body, "data-shortfall=\"area_added-2022\"");
	assert_non_null(cell);
	assert_non_null(strstr(cell, "少 3 万㎡"));
	response_free(&r);
}

static void test_refusals_write_nothing(void **state)
{
	const char *bad[][2] = {
		{"{\"targets\":[{\"indicator\":\"area_added\",\"scope\":\"ruian\",\"year\":2022,\"value\":1}]}", "scope"},
		{"{\"targets\":[{\"indicator\":\"area_added\",\"scope\":\"feiyun\",\"year\":2022,\"value\":-1}]}", "value"},
		{"{\"targets\":[{\"indicator\":\"nope\",\"scope\":\"feiyun\",\"year\":2022,\"value\":1}]}", "indicator"},
		{"{\"targets\":[{\"indicator\":\"area_added\",\"scope\":\"feiyun\",\"year\":2031,\"value\":1}]}", "year"},
		{"{\"targets\":[{\"indicator\":\"area_added\",\"scope\":\"feiyun\",\"year\":2023,\"value\":99},"
		 "{\"indicator\":\"area_added\",\"scope\":\"atlantis\",\"year\":2023,\"value\":1}]}", "scope"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int st;
		json_t *j = call("PUT", "/api/v1/targets", bad[i][0], &st);
		assert_int_equal(st, 400);
		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), bad[i][1]);
		json_decref(j);
	}
	int st;
	json_t *j = call("GET", "/api/v1/targets?scope=feiyun&year=2023&indicator=area_added", NULL, &st);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	/* the good first item of the refused request was not written: the demo's value stands */
	assert_true(json_number_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "value")) == 30000);
	json_decref(j);
}

/* The grid keeps what was typed, marks the bad cell, saves the good form, audits. */
static void test_grid_form(void **state)
{
	char headers[512], body[512];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", admin.cookie);
	snprintf(body, sizeof body, "csrf=%s&t%%3Aarea_added%%3Axianjiang%%3A2023=abc&t%%3Aarea_added%%3Amayu%%3A2023=5%%E4%%B8%%87", admin.csrf);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/targets", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "value=\"abc\""));
	assert_non_null(strstr(r.body, "应为数字"));
	assert_non_null(strstr(r.body, "value=\"5万\""));
	response_free(&r);
	snprintf(body, sizeof body, "csrf=%s&t%%3Aarea_added%%3Axianjiang%%3A2023=12%%2C000&t%%3Aarea_added%%3Amayu%%3A2023=5%%E4%%B8%%87", admin.csrf);
	assert_int_equal(http_request(srv.port, "POST", "/targets", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	int st;
	json_t *j = call("GET", "/api/v1/targets?scope=mayu&year=2023&indicator=area_added", NULL, &st);
	assert_true(json_number_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "value")) == 50000);
	json_decref(j);
	j = call("GET", "/api/v1/audit?kind=targets", NULL, &st);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 2);
	json_decref(j);
}

/* An area's progress is measured against its own target. */
static void test_area_status_against_its_target(void **state)
{
	int st;
	json_t *j = call("PUT", "/api/v1/targets",
	                 "{\"targets\":[{\"indicator\":\"area_added\",\"scope\":\"binhai\",\"year\":2023,\"value\":1000000}]}", &st);
	json_decref(j);
	j = call("GET", "/api/v1/progress?year=2023&area=binhai", NULL, &st);
	json_t *x = json_array_get(json_object_get(j, "indicators"), 1);
	assert_string_equal(json_string_value(json_object_get(x, "indicator")), "area_added");
	assert_true(json_number_value(json_object_get(x, "target")) == 1000000);
	assert_string_equal(json_string_value(json_object_get(x, "status")), "at_risk");
	json_decref(j);
}

/* The forecast extends the year's pace so far to the whole year. */
static void test_forecast(void **state)
{
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/?year=2024&as_of=2024-07-01", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "年底预计"));
	assert_non_null(strstr(r.body, "class=\"num forecast\""));
	response_free(&r);
	int st;
	json_t *a = call("GET", "/api/v1/progress?year=2023&as_of=2023-12-31", NULL, &st);
	json_t *b = call("GET", "/api/v1/progress?year=2024&as_of=2024-07-01", NULL, &st);
	double start = json_number_value(json_object_get(json_array_get(json_object_get(a, "indicators"), 1), "actual"));
	double now = json_number_value(json_object_get(json_array_get(json_object_get(b, "indicators"), 1), "actual"));
	double fc = json_number_value(json_object_get(json_array_get(json_object_get(b, "indicators"), 1), "forecast"));
	double want = start + (now - start) / (183.0 / 366.0); /* 2024-01-01..07-01 is 183 of 366 days */
	assert_true(fabs(fc - want) < 0.01);
	json_decref(a);
	json_decref(b);
}

/* The records behind a figure add up to it. */
static void test_records_behind_add_up(void **state)
{
	const char *inds[] = {"area_added", "funds", "race_projects", "race_investment"};
	for (size_t i = 0; i < 4; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/v1/progress?year=2023&area=tangxia");
		int st;
		json_t *j = call("GET", path, NULL, &st);
		double want = -1;
		size_t k;
		json_t *x;
		json_array_foreach(json_object_get(j, "indicators"), k, x)
			if (!strcmp(json_string_value(json_object_get(x, "indicator")), inds[i]))
				want = json_number_value(json_object_get(x, "actual"));
		json_decref(j);
		snprintf(path, sizeof path, "/progress/%s?year=2023&area=tangxia", inds[i]);
		Response r;
		assert_int_equal(http_as(srv.port, &admin, "GET", path, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		/* sum the 计入 column: its cells follow the record links */
		double sum = 0;
		for (const char *p = strstr(r.body, "id=\"behind\""); p && (p = strstr(p, "<td class=\"num\">")); p++) {
			char num[64] = {0};
			sscanf(p + 16, "%63[^<]", num);
			double v = 0, mult = 1;
			char clean[64];
			size_t o = 0;
			for (char *c = num; *c && o < sizeof clean - 1; c++)
				if (*c != ',')
					clean[o++] = *c;
			clean[o] = 0;
			v = atof(clean);
			if (strstr(num, "万"))
				mult = 1e4;
			if (strstr(num, "亿"))
				mult = 1e8;
			sum += v * mult;
		}
		if (fabs(sum - want) > want * 0.001 + 0.5)
			fail_msg("%s: records behind add up to %f, the figure is %f", inds[i], sum, want);
		response_free(&r);
	}
}

static void test_compare_sorted(void **state)
{
	Response r;
	assert_int_equal(http_as(srv.port, NULL, "GET", "/compare?indicator=area_added&year=2024", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	/* the table follows the bars' order: a ranking by completion rate,
	 * highest first, the areas without a target last */
	double prev = 1e18;
	int rows = 0, ranked = 0;
	for (const char *p = strstr(r.body, "id=\"compare\""); p && (p = strstr(p, "<td class=\"num rate\">")); p++) {
		char num[64] = {0};
		sscanf(p + strlen("<td class=\"num rate\">"), "%63[^<]", num);
		double v = strcmp(num, "—") == 0 ? -1 : atof(num);
		if (v >= 0)
			ranked++;
		assert_true(v <= prev + 1e-6);
		prev = v;
		rows++;
	}
	assert_int_equal(rows, 25);
	assert_true(ranked > 0);
	response_free(&r);
	assert_int_equal(http_as(srv.port, NULL, "GET", "/compare?indicator=nope", NULL, &r), 0);
	assert_int_equal(r.status, 400);
	response_free(&r);
}

/* The unit a shown figure ends with ("㎡", "万㎡", "亿元", ...), "" none. */
static const char *unit_of(const char *cell, char out[16])
{
	const char *sp = strrchr(cell, ' ');
	snprintf(out, 16, "%s", sp ? sp + 1 : "");
	return out;
}

/* Every figure in the cells starting with open after the marker uses one unit. */
static int one_unit(const char *body, const char *marker, const char *open, char unit[16], int *cells)
{
	unit[0] = 0;
	*cells = 0;
	for (const char *p = strstr(body, marker); p && (p = strstr(p, open)); p++) {
		char text[96] = {0}, u[16];
		sscanf(p + strlen(open), "%95[^<]", text);
		if (!strcmp(text, "—") || !*text)
			continue;
		unit_of(text, u);
		if (!unit[0])
			snprintf(unit, 16, "%s", u);
		else if (strcmp(unit, u) != 0) {
			print_error("\"%s\" in a column of %s\n", text, unit);
			return 0;
		}
		(*cells)++;
	}
	return 1;
}

/* One unit per column (UI.md "Numbers and units"): the comparison's table
 * and its chart, the records behind a figure, the targets grid's columns
 * and an area's bases never mix ㎡ and 万㎡. */
static void test_one_unit_per_column(void **state)
{
	Response r;
	char unit[16], chart_unit[16];
	int n;
	assert_int_equal(http_as(srv.port, NULL, "GET", "/compare?indicator=area_added&year=2024", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	const char *table = strstr(r.body, "id=\"compare\"");
	assert_non_null(table);
	assert_true(one_unit(table, "<tbody>", "<td class=\"num\">", unit, &n));
	assert_true(n >= 10);
	assert_string_equal(unit, "万㎡"); /* the largest is above 10,000 ㎡ */
	/* the chart's figures in the table's unit: "1.2 万㎡（…）" */
	int bars = 0;
	for (const char *p = strstr(r.body, "<svg"); p && p < table && (p = strstr(p, "text-anchor=\"end\">")); p++) {
		char text[128] = {0};
		sscanf(p + strlen("text-anchor=\"end\">"), "%127[^<（]", text);
		char *sp = strrchr(text, ' ');
		if (sp && !strcmp(sp, " 未分解目标")) {
			*sp = 0;
			sp = strrchr(text, ' ');
		}
		snprintf(chart_unit, sizeof chart_unit, "%s", sp ? sp + 1 : "");
		if (strcmp(chart_unit, unit) != 0)
			fail_msg("chart figure \"%s\" not in the table's %s", text, unit);
		bars++;
	}
	assert_int_equal(bars, 25);
	response_free(&r);

	assert_int_equal(http_as(srv.port, &admin, "GET", "/progress/area_added?year=2024", NULL, &r), 0);
	assert_true(one_unit(r.body, "id=\"behind\"", "<td class=\"num\">", unit, &n));
	assert_true(n > 1);
	response_free(&r);

	assert_int_equal(http_as(srv.port, &admin, "GET", "/areas/feiyun", NULL, &r), 0);
	const char *bases = strstr(r.body, "id=\"bases\"");
	assert_non_null(bases);
	/* 总面积 and 孵化面积: the 5th and 6th cells of each row */
	char col[2][16] = {"", ""};
	for (const char *row = strstr(bases, "<tr><th scope=\"row\">"); row; row = strstr(row + 1, "<tr><th scope=\"row\">")) {
		const char *c = row;
		int k = 0;
		while ((c = strstr(c + 1, "<td")) && k < 5) {
			k++;
			if (k >= 4) {
				char text[96] = {0}, u[16];
				sscanf(strchr(c, '>') + 1, "%95[^<]", text);
				unit_of(text, u);
				int which = k - 4;
				if (!col[which][0])
					snprintf(col[which], 16, "%s", u);
				else if (strcmp(col[which], u) != 0)
					fail_msg("an area's bases: \"%s\" in a column of %s", text, col[which]);
			}
		}
	}
	assert_true(col[0][0] != 0);
	response_free(&r);

	/* a base's floor-area history: 3,000 ㎡ and 1.5 万㎡ changes in one column (base 40) */
	assert_int_equal(http_as(srv.port, &admin, "GET", "/bases/40", NULL, &r), 0);
	const char *hist = strstr(r.body, "id=\"area-history\"");
	assert_non_null(hist);
	char first[16] = "";
	int rows = 0;
	for (const char *row = strstr(hist, "<tr><td>"); row; row = strstr(row + 1, "<tr><td>")) {
		const char *c = strstr(row, "<td class=\"num\">");
		char text[96] = {0}, u[16];
		sscanf(c + strlen("<td class=\"num\">"), "%95[^<]", text);
		unit_of(text, u);
		if (!first[0])
			snprintf(first, sizeof first, "%s", u);
		else if (strcmp(first, u) != 0)
			fail_msg("a base's area history: \"%s\" in a column of %s", text, first);
		rows++;
	}
	assert_true(rows >= 3);
	response_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sum_check),
		cmocka_unit_test(test_refusals_write_nothing),
		cmocka_unit_test(test_grid_form),
		cmocka_unit_test(test_area_status_against_its_target),
		cmocka_unit_test(test_forecast),
		cmocka_unit_test(test_records_behind_add_up),
		cmocka_unit_test(test_compare_sorted),
		cmocka_unit_test(test_one_unit_per_column),
	};
	return cmocka_run_group_tests_name("targets", tests, setup, teardown);
}
