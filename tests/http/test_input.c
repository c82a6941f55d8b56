/*
 * test_input.c — issue 12's H1 and H2 over the real server. H1: text that
 * is not UTF-8 (or holds control characters) is refused at every door —
 * form, JSON, query, path (by its type), CSV and .xlsx imports — with a Chinese error
 * naming the field or the cell; and records stored with such bytes before
 * (written here straight into the database) still list and open, and the
 * evaluation API no longer stops the server. H2: an upload costs memory in
 * proportion to its bytes, measured as the server's peak size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define FFFD "\xEF\xBF\xBD"

static TestServer srv;
static Login admin, reporter;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &reporter))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* Fails unless the server process is still there and answering. */
static void assert_alive(void)
{
	if (kill(srv.pid, 0) != 0)
		fail_msg("the server process is gone");
	Response r;
	if (http_as(srv.port, &admin, "GET", "/api/v1/session", NULL, &r) != 0)
		fail_msg("the server does not answer");
	assert_int_equal(r.status, 200);
	response_free(&r);
}

/* A request as l (JSON body when body is set); the answer parsed. */
static json_t *call(const Login *l, const char *method, const char *path, const char *body, int *status)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, method, path, body, &r), 0);
	*status = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	if (!j)
		fail_msg("%s %s: status %d, not JSON: %.300s", method, path, r.status, r.body);
	response_free(&r);
	return j;
}

static const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static const char *err_message(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "message"));
}

/* Asserts a 400 invalid_utf8 whose message contains says. */
static void assert_refused(json_t *j, int status, const char *says)
{
	if (status != 400 || !err_code(j) || strcmp(err_code(j), "invalid_utf8") != 0)
		fail_msg("expected 400 invalid_utf8, got %d %s", status, err_code(j) ? err_code(j) : "(no code)");
	if (!strstr(err_message(j), says))
		fail_msg("\"%s\" does not say \"%s\"", err_message(j), says);
}

/* ---- H1: the doors ---- */

static void test_form_refuses_bad_text(void **state)
{
	long long before = server_db_num(&srv, "SELECT count(*) FROM base");
	static const char *const names[] = {"%ED%A0%80",  /* a surrogate */
	                                    "%C0%AF",     /* an overlong "/" */
	                                    "a%00b",      /* NUL */
	                                    "a%01b",      /* a control character */
	                                    "%E4%B8"};    /* cut short */
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char headers[512], body[1024];
		snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", reporter.cookie);
		snprintf(body, sizeof body,
		         "csrf=%s&name=%s&kind=maker_space&area=feiyun&status=operating&opened_on=2024-06-01"
		         "&total_area_m2=3000&incubation_area_m2=2000",
		         reporter.csrf, names[i]);
		Response r;
		assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
		if (r.status != 400 || !strstr(r.body, "“名称”含有无法识别的字符"))
			fail_msg("name=%s: status %d: %.400s", names[i], r.status, r.body);
		response_free(&r);
	}
	/* an unknown field is checked too */
	char headers[512], body[256];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", reporter.cookie);
	snprintf(body, sizeof body, "csrf=%s&x%%FF=1", reporter.csrf);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "无法识别的字符"));
	response_free(&r);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM base"), before);
	/* tab, CR and LF are text: this one gets in (as pending) */
	snprintf(body, sizeof body,
	         "csrf=%s&name=%%E5%%A5%%BD%%09%%E5%%90%%8D&kind=maker_space&area=feiyun&status=operating"
	         "&opened_on=2024-06-01&total_area_m2=3000&incubation_area_m2=2000&contact=a%%0D%%0Ab",
	         reporter.csrf);
	assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
	if (r.status != 303 && r.status != 200)
		fail_msg("a good form: status %d: %.300s", r.status, r.body);
	response_free(&r);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM base"), before + 1);
}

static void test_json_refuses_bad_text(void **state)
{
	long long before = server_db_num(&srv, "SELECT count(*) FROM base");
	int st;
	const char *fmt = "{\"name\":\"%s\",\"kind\":\"maker_space\",\"area\":\"feiyun\",\"status\":\"planned\","
	                  "\"opened_on\":\"2024-09-09\",\"total_area_m2\":100,\"incubation_area_m2\":50}";
	char body[512];
	/* raw bytes that are not UTF-8 */
	snprintf(body, sizeof body, fmt, "\xED\xA0\x80");
	json_t *j = call(&reporter, "POST", "/api/v1/bases", body, &st);
	assert_refused(j, st, "无效的 UTF-8 编码");
	json_decref(j);
	snprintf(body, sizeof body, fmt, "\xC0\xAF");
	j = call(&reporter, "POST", "/api/v1/bases", body, &st);
	assert_refused(j, st, "无效的 UTF-8 编码");
	json_decref(j);
	/* a control character as a JSON escape: the field is named */
	snprintf(body, sizeof body, fmt, "a\\u0001b");
	j = call(&reporter, "POST", "/api/v1/bases", body, &st);
	assert_refused(j, st, "字段“名称”含有无法识别的字符（不可见的控制字符）");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "name");
	json_decref(j);
	/* a lone surrogate as an escape, and NUL: jansson refuses them */
	snprintf(body, sizeof body, fmt, "\\ud800");
	j = call(&reporter, "POST", "/api/v1/bases", body, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	snprintf(body, sizeof body, fmt, "a\\u0000b");
	j = call(&reporter, "POST", "/api/v1/bases", body, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* deep inside an array */
	j = call(&admin, "PATCH", "/api/v1/bases/1", "{\"facilities\":[\"ok\",\"x\\u001f\"]}", &st);
	assert_refused(j, st, "无法识别的字符");
	json_decref(j);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM base"), before);
}

static void test_query_and_path_refuse_bad_text(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/bases?q=%ED%A0%80", NULL, &st);
	assert_refused(j, st, "地址中的参数“q”含有无法识别的字符");
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases?area=a%00b", NULL, &st);
	assert_refused(j, st, "参数“area”");
	json_decref(j);
	/* path parameters are typed: route matching refuses them */
	static const char *const paths[] = {"/api/v1/areas/%C0%AF", "/api/v1/areas/a%0Ab", "/api/v1/bases/%ED%A0%80"};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		j = call(&admin, "GET", paths[i], NULL, &st);
		if (st != 404 && st != 400)
			fail_msg("%s: %d", paths[i], st);
		json_decref(j);
	}
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/bases?q=%FF", NULL, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "含有无法识别的字符"));
	response_free(&r);
	assert_alive();
}

/* Reads tests/fixtures/<dir>/<name>. */
static char *fixture(const char *dir, const char *name, size_t *len)
{
	const char *src = getenv("HATCHERY_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/fixtures/%s/%s", src && *src ? src : ".", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read fixture %s (set HATCHERY_SRC to the source tree)", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = malloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* POSTs a file to the bases' import (mode=check); the answer parsed. */
static json_t *upload(const char *ctype, const void *body, size_t len, int *status)
{
	char headers[512];
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: %s\r\n", admin.cookie, admin.csrf, ctype);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/api/v1/bases/import?mode=check", headers, body, len, &r), 0);
	*status = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	if (!j)
		fail_msg("import: status %d, not JSON: %.300s", r.status, r.body);
	response_free(&r);
	return j;
}

static void test_imports_refuse_bad_text(void **state)
{
	static const struct {
		const char *dir, *name, *ctype, *says;
	} cases[] = {
		{"csv", "bom_surrogate.csv", "text/csv", "第 3 行 B 列（地址）含有无法识别的字符"},
		{"csv", "bom_overlong.csv", "text/csv", "第 3 行 A 列（名称）含有无法识别的字符"},
		{"csv", "control.csv", "text/csv", "第 2 行 B 列（地址）含有无法识别的字符（不可见的控制字符）"},
		{"xlsx", "control_inline.xlsx", XLSX_MIME, "第 3 行 B 列（地址）含有无法识别的字符"},
		{"xlsx", "control_shared.xlsx", XLSX_MIME, "第 2 行 C 列（备注）含有无法识别的字符"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len;
		char *data = fixture(cases[i].dir, cases[i].name, &len);
		int st;
		json_t *j = upload(cases[i].ctype, data, len, &st);
		if (st != 400 || !err_message(j) || !strstr(err_message(j), cases[i].says))
			fail_msg("%s: %d %s", cases[i].name, st, err_message(j) ? err_message(j) : "(no message)");
		json_decref(j);
		free(data);
	}
	assert_alive();
}

/* ---- H1: what is stored already ---- */

static void test_stored_bad_bytes_still_list_and_open(void **state)
{
	/* An old database or a hand edit: bytes that are not UTF-8 in a base's
	 * name (a surrogate, an overlong, a cut sequence) and address. */
	server_db_exec(&srv, "UPDATE base SET name = '坏' || CAST(X'EDA080' AS TEXT) || 'x' || CAST(X'C0AF' AS TEXT) || CAST(X'E4B8' AS TEXT),"
	               " address = CAST(X'FF' AS TEXT) WHERE id = 1");
	/* and a NUL inside a text, which SQLite's JSON writes as \u0000 */
	server_db_exec(&srv, "UPDATE base SET name = 'N' || CAST(X'00' AS TEXT) || 'ul' WHERE id = 2");
	int st;
	/* the evaluation API used to stop the server here, every time */
	json_t *j = call(&admin, "GET", "/api/v1/bases/1/evaluation", NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "坏" FFFD FFFD FFFD "x" FFFD FFFD FFFD);
	json_decref(j);
	assert_alive();
	/* the list keeps the record (it used to answer items: [] beside total: 1) */
	j = call(&admin, "GET", "/api/v1/bases?limit=100", NULL, &st);
	assert_int_equal(st, 200);
	json_t *items = json_object_get(j, "items");
	assert_int_equal((long long)json_array_size(items), json_integer_value(json_object_get(j, "total")));
	int found = 0;
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x)
		found |= json_integer_value(json_object_get(x, "id")) == 1 ? 1 : json_integer_value(json_object_get(x, "id")) == 2 ? 2 : 0;
	assert_int_equal(found, 3);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/2", NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "N" FFFD "ul");
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/1", NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "address")), FFFD);
	json_decref(j);
	/* pages too */
	static const char *const pages[] = {"/bases/1", "/bases", "/bases/1/evaluation", "/evaluation"};
	for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++) {
		Response r;
		assert_int_equal(http_as(srv.port, &admin, "GET", pages[k], NULL, &r), 0);
		if (r.status != 200)
			fail_msg("%s: status %d", pages[k], r.status);
		if (k == 0 && !strstr(r.body, "坏" FFFD))
			fail_msg("%s does not show the name with U+FFFD", pages[k]);
		response_free(&r);
	}
	assert_alive();
	server_db_exec(&srv, "UPDATE base SET name = '示例·修好', address = NULL WHERE id = 1;"
	               "UPDATE base SET name = '示例·修好二' WHERE id = 2");
}

/* ---- H2: memory follows the bytes ---- */

/* A field of the server's /proc/PID/status, in KiB. */
static long server_kib(const char *field)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)srv.pid);
	FILE *f = fopen(path, "r");
	long v = -1;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = atol(line + n + 1);
	if (f)
		fclose(f);
	return v;
}

/* Sets the server's peak size back to its size now; returns that size. */
static long server_peak_reset(void)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/clear_refs", (int)srv.pid);
	FILE *f = fopen(path, "w");
	if (!f || fputs("5", f) < 0)
		fail_msg("cannot reset the server's peak size through %s", path);
	fclose(f);
	return server_kib("VmRSS");
}

/* What an upload adds to the server's peak size, in KiB. */
static long upload_peak_kib(const char *ctype, const void *body, size_t len, int *status)
{
	long before = server_peak_reset();
	json_t *j = upload(ctype, body, len, status);
	json_decref(j);
	return server_kib("VmHWM") - before;
}

static void test_upload_memory_follows_the_bytes(void **state)
{
	/* 4 MiB of newlines as a CSV: 2.2 GB before (a row per blank line) */
	size_t len = 4u << 20;
	char *blank = malloc(len);
	memset(blank, '\n', len);
	int st;
	long kib = upload_peak_kib("text/csv", blank, len, &st);
	print_message("4 MiB of blank lines as CSV: %d, server +%ld KiB at peak\n", st, kib);
	free(blank);
	if (kib > 64 * 1024)
		fail_msg("4 MiB of blank lines cost the server %ld KiB (more than 64 MiB)", kib);
	/* 4.7 KB of .xlsx with 610 cells at column XFC: 300 MB before */
	char *far = fixture("xlsx", "far_column.xlsx", &len);
	kib = upload_peak_kib(XLSX_MIME, far, len, &st);
	print_message("far_column.xlsx (%zu bytes): %d, server +%ld KiB at peak\n", len, st, kib);
	free(far);
	assert_int_equal(st, 400);
	if (kib > 64 * 1024)
		fail_msg("far_column.xlsx cost the server %ld KiB (more than 64 MiB)", kib);
	assert_alive();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_refuses_bad_text),
		cmocka_unit_test(test_json_refuses_bad_text),
		cmocka_unit_test(test_query_and_path_refuse_bad_text),
		cmocka_unit_test(test_imports_refuse_bad_text),
		cmocka_unit_test(test_stored_bad_bytes_still_list_and_open),
		cmocka_unit_test(test_upload_memory_follows_the_bytes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
