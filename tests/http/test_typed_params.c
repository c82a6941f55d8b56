/*
 * test_typed_params.c — typed route parameters and query readers (http.h)
 * over the real server: an id that is not a positive decimal number (text,
 * negative, zero, a leading zero, a sign, past 2^63−1) is a 404 on the page
 * and in the API of several features before any handler runs; an unknown
 * area or indicator in the path is a 404 naming it; ?page=2147483647,
 * ?limit=-1, ?year=abc, ?as_of= not a date and the evaluation matrix's
 * ?away= and ?rules= are refused alike (400, or clamped to an empty page)
 * by a feature's page and its API; the server answers /healthz after all of
 * it (the same program runs under ASan+UBSan in tests/run-all). Also the
 * strict number readers of util.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "util.h"

static TestServer srv;
static Login admin, feiyun;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &feiyun))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* One request's status, and that its body holds want (NULL: anything);
 * API answers must carry the error object with code (NULL: any). */
static void expect(const Login *l, const char *method, const char *path, int status, const char *want)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, method, path, method[0] == 'G' ? NULL : "{}", &r), 0);
	if (r.status != status || (want && !strstr(r.body, want)))
		fail_msg("%s %s: %d, want %d with \"%s\":\n%.400s", method, path, r.status, status, want ? want : "", r.body);
	if (!strncmp(path, "/api/", 5) && status >= 400) {
		json_t *j = json_loads(r.body, 0, NULL);
		if (!json_is_string(json_object_get(json_object_get(j, "error"), "code")) ||
		    !json_is_string(json_object_get(json_object_get(j, "error"), "message")))
			fail_msg("%s %s: no {\"error\":{code,message}}:\n%.400s", method, path, r.body);
		json_decref(j);
	} else if (status >= 400) {
		char *ct = response_header(&r, "Content-Type");
		assert_non_null(ct);
		assert_non_null(strstr(ct, "text/html"));
		free(ct);
	}
	response_free(&r);
}

static void test_bad_ids_are_404_on_pages_and_api(void **state)
{
	static const char *const bad[] = {"abc", "-1", "0", "007", "1.5", "1e3", "%2B1",
	                                  "9223372036854775808", "99999999999999999999999999"};
	/* records (every kind the same), evaluation, recognitions, review, users */
	static const struct {
		const char *method, *fmt;
	} places[] = {
		{"GET", "/bases/%s"},           {"GET", "/api/v1/bases/%s"},           {"GET", "/firms/%s/edit"},
		{"PATCH", "/api/v1/funds/%s"},  {"DELETE", "/api/v1/projects/%s"},     {"GET", "/bases/%s/evaluation"},
		{"GET", "/api/v1/bases/%s/evaluation"}, {"GET", "/bases/%s/figures"}, {"GET", "/api/v1/bases/%s/figures"},
		{"POST", "/recognitions/%s/endorse"},   {"POST", "/api/v1/recognitions/%s/file"},
		{"POST", "/review/changes/%s"},  {"POST", "/api/v1/review/changes/%s"}, {"GET", "/admin/users/%s"},
		{"PATCH", "/api/v1/users/%s"},
	};
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			char path[256];
			snprintf(path, sizeof path, places[i].fmt, bad[k]);
			expect(&admin, places[i].method, path, 404, strncmp(path, "/api/", 5) ? "编号应为正整数" : "\"not_found\"");
		}
	/* an area user meets the same 404, before the scope check */
	expect(&feiyun, "GET", "/bases/abc", 404, "编号应为正整数");
	expect(&feiyun, "GET", "/api/v1/bases/-3", 404, "\"not_found\"");
	/* a well-formed id that names nothing is the handler's 404 */
	expect(&admin, "GET", "/api/v1/bases/9223372036854775807", 404, NULL);
	expect(&admin, "GET", "/bases/999999", 404, "没有这条记录");
	/* the pages around a typed part still answer: /bases/new is not an id */
	expect(&admin, "GET", "/bases/new", 200, NULL);
	expect(&admin, "DELETE", "/bases/new", 405, NULL);
	expect(&admin, "GET", "/bases/1", 200, NULL);
}

static void test_unknown_area_and_indicator_in_the_path(void **state)
{
	expect(&admin, "GET", "/areas/nowhere", 404, "没有这个区域");
	expect(&admin, "GET", "/api/v1/areas/nowhere", 404, "\"unknown_area\"");
	expect(&admin, "GET", "/areas/%00", 404, NULL);
	expect(&admin, "GET", "/progress/nothing", 404, "没有这个指标");
	expect(&admin, "GET", "/static/..%2F..%2Fetc%2Fpasswd", 404, NULL);
	expect(&admin, "GET", "/rules/%3Cscript%3E", 404, NULL);
	expect(&admin, "GET", "/areas/feiyun", 200, "飞云街道");
	/* the path is decoded once (by libmicrohttpd): %25 stays a '%' */
	expect(&admin, "GET", "/areas/fei%79un", 200, "飞云街道");
	expect(&admin, "GET", "/areas/fei%2579un", 404, "没有这个区域");
	expect(&admin, "GET", "/bases/%2531", 404, "编号应为正整数");
	expect(&admin, "GET", "/static/app%252Ejs", 404, NULL);
}

/* ?page= far out of range and ?limit=-1: refused or an empty page, the page and the API alike. */
static void test_paging_on_pages_and_api(void **state)
{
	static const char *const lists[] = {"/bases", "/firms", "/funds", "/admin/audit"};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		char page[128], api[128];
		const char *api_of = !strcmp(lists[i], "/admin/audit") ? "/api/v1/audit" : NULL;
		snprintf(api, sizeof api, "%s", api_of ? api_of : "");
		if (!api_of)
			snprintf(api, sizeof api, "/api/v1%s", lists[i]);
		static const char *const bad[] = {"?page=2147483647", "?page=99999999999999999999", "?limit=-1", "?limit=0",
		                                  "?limit=1001", "?limit=abc", "?offset=-1", "?offset=1e3", "?page=-2x"};
		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			snprintf(page, sizeof page, "%s%s", lists[i], bad[k]);
			char a[160];
			snprintf(a, sizeof a, "%s%s", api, bad[k]);
			expect(&admin, "GET", page, 400, NULL);
			expect(&admin, "GET", a, 400, "\"bad_paging\"");
		}
		/* the last page there can be, one row a page: an empty list, not an overflow */
		snprintf(page, sizeof page, "%s?page=2147483647&limit=1", lists[i]);
		expect(&admin, "GET", page, 200, NULL);
		char a[160];
		snprintf(a, sizeof a, "%s?page=2147483647&limit=1", api);
		expect(&admin, "GET", a, 200, NULL);
		snprintf(a, sizeof a, "%s?page=0", api); /* page 0 reads as the first */
		expect(&admin, "GET", a, 200, NULL);
	}
}

static void test_years_and_dates_on_pages_and_api(void **state)
{
	static const char *const pages_api[][2] = {
		{"/?year=abc", "/api/v1/progress?year=abc"},
		{"/?year=2023x", "/api/v1/progress?year=2023x"},
		{"/?year=99999999999999999999", "/api/v1/progress?year=-2023"},
		{"/areas/feiyun?year=abc", "/api/v1/targets?year=abc"},
		{"/compare?indicator=area_added&year=1999", "/api/v1/targets?year=2031"},
		{"/bases/3/figures?year=abc", "/api/v1/progress?year=2023.0"},
	};
	for (size_t i = 0; i < sizeof pages_api / sizeof pages_api[0]; i++) {
		expect(&admin, "GET", pages_api[i][0], 400, "year");
		expect(&admin, "GET", pages_api[i][1], 400, "\"bad_year\"");
	}
	expect(&admin, "GET", "/api/v1/targets?year=2023", 200, "\"sum_check\"");
	expect(&admin, "GET", "/bases/3/figures?year=2024", 200, "2024 年");
	expect(&admin, "GET", "/?as_of=2024-02-30", 400, "年-月-日");
	expect(&admin, "GET", "/api/v1/progress?as_of=yesterday", 400, "\"bad_as_of\"");
	expect(&admin, "GET", "/bases/3/evaluation?as_of=2024-13-01", 400, "年-月-日");
	expect(&admin, "GET", "/api/v1/bases/3/evaluation?as_of=2024-13-01", 400, "\"bad_as_of\"");
	expect(&admin, "GET", "/bases?from=2024-1-1", 400, "年-月-日");
	expect(&admin, "GET", "/api/v1/bases?to=20240101", 400, "\"bad_to\"");
	expect(&admin, "GET", "/admin/audit?since=2024-13-01", 400, "年-月-日");
	expect(&admin, "GET", "/api/v1/audit?until=tomorrow", 400, "\"bad_until\"");
}

/* The evaluation matrix: its API refused no ?away= its page refused. */
static void test_evaluation_matrix_page_and_api_agree(void **state)
{
	static const char *const bad[] = {"?away=9", "?away=-1", "?away=abc", "?away=1.5", "?rules=nope"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char page[96], api[96];
		snprintf(page, sizeof page, "/evaluation%s", bad[i]);
		snprintf(api, sizeof api, "/api/v1/evaluation%s", bad[i]);
		const char *key = strstr(bad[i], "away") ? "away" : "rules";
		expect(&admin, "GET", page, 400, key);
		expect(&admin, "GET", api, 400, strstr(bad[i], "away") ? "\"bad_away\"" : "\"bad_rules\"");
	}
	expect(&admin, "GET", "/evaluation?away=1", 200, "对照评价");
	expect(&admin, "GET", "/api/v1/evaluation?away=1&rules=qigeyi", 200, "\"items\"");
}

/* After every bad address and query above, the server still answers. */
static void test_server_stays_up(void **state)
{
	static const char *const odd[] = {"/bases/%", "/bases/%zz", "/bases/%FF%FE", "/bases//edit", "/api/v1/bases/1/",
	                                  "/recognitions/1/%2e%2e/endorse"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		Response r;
		assert_int_equal(http_as(srv.port, &admin, "GET", odd[i], NULL, &r), 0);
		assert_true(r.status == 404 || r.status == 405);
		response_free(&r);
	}
	expect(NULL, "GET", "/healthz", 200, "ok");
}

static void test_strict_number_readers(void **state)
{
	long long v;
	double d;
	assert_true(parse_int("42", 0, 100, &v) && v == 42);
	assert_true(parse_int("-5", -10, 10, &v) && v == -5);
	assert_true(parse_int("9223372036854775807", 0, LLONG_MAX, &v) && v == LLONG_MAX);
	assert_true(parse_int("-9223372036854775808", LLONG_MIN, 0, &v) && v == LLONG_MIN);
	static const char *const bad[] = {"", "-", "12abc", " 1", "1 ", "+1", "0x10", "9223372036854775808",
	                                  "-9223372036854775809", "1.0", "١"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse_int(bad[i], LLONG_MIN, LLONG_MAX, &v))
			fail_msg("parse_int took \"%s\"", bad[i]);
	assert_false(parse_int(NULL, 0, 1, &v));
	assert_false(parse_int("101", 0, 100, &v));
	assert_true(parse_real("31.5", &d) && d == 31.5);
	assert_true(parse_real("-2e3", &d) && d == -2000);
	static const char *const badr[] = {"", "inf", "nan", "0x1p3", "1e999", "3万", " 1", "1,000"};
	for (size_t i = 0; i < sizeof badr / sizeof badr[0]; i++)
		if (parse_real(badr[i], &d))
			fail_msg("parse_real took \"%s\"", badr[i]);
	assert_int_equal(id_or_zero("17"), 17);
	assert_int_equal(id_or_zero("17x"), 0);
	assert_int_equal(id_or_zero("-3"), 0);
	assert_int_equal(id_or_zero(NULL), 0);
	assert_int_equal(digits_value("2024-03-05", 4), 2024);
	assert_int_equal(digits_value("2024-03-05" + 5, 2), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strict_number_readers),
		cmocka_unit_test(test_bad_ids_are_404_on_pages_and_api),
		cmocka_unit_test(test_unknown_area_and_indicator_in_the_path),
		cmocka_unit_test(test_paging_on_pages_and_api),
		cmocka_unit_test(test_years_and_dates_on_pages_and_api),
		cmocka_unit_test(test_evaluation_matrix_page_and_api_agree),
		cmocka_unit_test(test_server_stays_up),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
