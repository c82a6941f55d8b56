/*
 * test_domain.c — the rules the write workflows (domain.h) keep whoever
 * calls them, over the real server: a base user changes only its own base's
 * records and never moves one to another base or area (its own base
 * included); a 统一社会信用代码 already taken is a field error, never a 500,
 * and an import's check names it (against the database and within the
 * file); a list's page far out of range is a 400, not an overflow.
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

#include "client.h"
#include "registry.h"

static TestServer srv;
static Login admin, anyang, base1;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "anyang_reporter", "area", "anyang-center");
	server_add_user(&srv, "base1_user", "base", "1");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "anyang_reporter", TEST_USER_PASSWORD, &anyang) ||
	    http_login(srv.port, "base1_user", TEST_USER_PASSWORD, &base1))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

static json_t *call(const Login *l, const char *method, const char *path, const char *body, int *status)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, method, path, body, &r), 0);
	*status = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	response_free(&r);
	return j;
}

/* A string of the database, read by this process (malloc'd; NULL when none). */
static char *db_text(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	char *out = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static long long db_num(const char *sql)
{
	char *t = db_text(sql);
	long long n = t ? atoll(t) : -1;
	free(t);
	return n;
}

static const char *error_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

static const char *error_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

/* A valid 统一社会信用代码 that no record has: 17 characters from seed and its check digit. */
static void new_uscc(int seed, char out[19])
{
	snprintf(out, 19, "91330381MA%07dX", seed);
	const char *digits = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	for (const char *d = digits; *d; d++) {
		out[17] = *d;
		if (uscc_valid(out))
			return;
	}
	fail_msg("no check digit for %s", out);
}

/* M2: a base user moved a pending firm to another base and area by PATCH. */
static void test_base_user_cannot_move_records(void **state)
{
	int st;
	/* the area reporter registers a firm in base 1: it waits for review */
	json_t *j = call(&anyang, "POST", "/api/v1/firms",
	                 "{\"name\":\"示例·迁移测试企业\",\"base_id\":1,\"area\":\"anyang-center\"}", &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[64], sql[128];
	snprintf(path, sizeof path, "/api/v1/firms/%lld", id);

	/* base 1's user may not move it to base 2 in 塘下 */
	j = call(&base1, "PATCH", path, "{\"base_id\":2,\"area\":\"tangxia\"}", &st);
	assert_int_equal(st, 400);
	char *said = json_dumps(json_object_get(j, "error"), 0);
	assert_non_null(strstr(said, "孵化基地"));
	free(said);
	json_decref(j);
	snprintf(sql, sizeof sql, "SELECT base_id || area FROM firm WHERE id = %lld", id);
	char *where = db_text(sql);
	assert_string_equal(where, "1anyang-center");
	free(where);
	/* nor only its area */
	j = call(&base1, "PATCH", path, "{\"area\":\"tangxia\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "area");
	json_decref(j);
	/* nor by PUT, leaving the base out */
	j = call(&base1, "PUT", path, "{\"name\":\"示例·迁移测试企业\",\"area\":\"anyang-center\"}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* but it may change what is its to change */
	j = call(&base1, "PATCH", path, "{\"industry\":\"生物医药\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);

	/* nor propose moving its own base to another area */
	long long changes = db_num("SELECT count(*) FROM pending_change");
	j = call(&base1, "PATCH", "/api/v1/bases/1", "{\"area\":\"tangxia\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "area");
	json_decref(j);
	assert_int_equal(db_num("SELECT count(*) FROM pending_change"), changes);
	/* a change of its own base's other fields is still proposed */
	j = call(&base1, "PATCH", "/api/v1/bases/1", "{\"address\":\"东新路 1 号\"}", &st);
	assert_int_equal(st, 202);
	json_decref(j);
	/* another base is not its own */
	j = call(&base1, "PATCH", "/api/v1/bases/2", "{\"address\":\"x\"}", &st);
	assert_int_equal(st, 403);
	json_decref(j);
}

/* L5: a 统一社会信用代码 already taken answered 500 (and the check said the row was good). */
static void test_duplicate_uscc(void **state)
{
	char *taken = db_text("SELECT uscc FROM firm WHERE id = 1");
	assert_non_null(taken);
	char body[512];
	int st;
	snprintf(body, sizeof body, "{\"name\":\"示例·重复代码企业\",\"uscc\":\"%s\",\"base_id\":1,\"area\":\"anyang-center\"}", taken);
	json_t *j = call(&admin, "POST", "/api/v1/firms", body, &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "uscc");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "编号 1"));
	json_decref(j);
	/* a change to another firm taking it */
	snprintf(body, sizeof body, "{\"uscc\":\"%s\"}", taken);
	j = call(&admin, "PATCH", "/api/v1/firms/2", body, &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "uscc");
	json_decref(j);
	/* its own code is no duplicate */
	j = call(&admin, "PATCH", "/api/v1/firms/1", body, &st);
	assert_int_equal(st, 200);
	json_decref(j);

	/* an import's check names it: against the database, and within the file */
	char fresh[19];
	new_uscc(4242, fresh);
	char csv[1024];
	snprintf(csv, sizeof csv,
	         "企业名称,统一社会信用代码,孵化基地编号,所属区域\r\n"
	         "示例·甲,%s,1,anyang-center\r\n"
	         "示例·乙,%s,1,anyang-center\r\n"
	         "示例·丙,%s,1,anyang-center\r\n",
	         taken, fresh, fresh);
	char headers[512];
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: text/csv\r\n", admin.cookie, admin.csrf);
	long long firms = db_num("SELECT count(*) FROM firm");
	for (int pass = 0; pass < 2; pass++) {
		Response r;
		assert_int_equal(http_request(srv.port, "POST", pass ? "/api/v1/firms/import?mode=all" : "/api/v1/firms/import?mode=check",
		                              headers, csv, strlen(csv), &r), 0);
		assert_int_equal(r.status, pass ? 422 : 200);
		j = json_loads(r.body, 0, NULL);
		response_free(&r);
		assert_non_null(j);
		assert_int_equal(json_integer_value(json_object_get(j, "good")), 1);
		json_t *errs = json_object_get(j, "errors");
		assert_int_equal(json_array_size(errs), 2);
		json_t *e0 = json_array_get(errs, 0), *e1 = json_array_get(errs, 1);
		assert_int_equal(json_integer_value(json_object_get(e0, "row")), 2);
		assert_string_equal(json_string_value(json_object_get(e0, "cell")), "B2");
		assert_non_null(strstr(json_string_value(json_object_get(e0, "message")), "已由编号 1"));
		assert_int_equal(json_integer_value(json_object_get(e1, "row")), 4);
		assert_string_equal(json_string_value(json_object_get(e1, "cell")), "B4");
		assert_non_null(strstr(json_string_value(json_object_get(e1, "message")), "第 3 行"));
		json_decref(j);
	}
	assert_int_equal(db_num("SELECT count(*) FROM firm"), firms);
	free(taken);
}

/* L7: ?page=2147483647 made (page - 1) * limit overflow. */
static void test_paging_out_of_range(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/firms?page=2147483647", NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_code(j), "bad_paging");
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/firms?page=2147483647&limit=1", NULL, &r), 0);
	assert_int_equal(r.status, 200); /* the last page that can be: empty */
	response_free(&r);
	j = call(&admin, "GET", "/api/v1/firms?limit=1000&page=3000000", NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/firms?page=2&limit=5", NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 5);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_user_cannot_move_records),
		cmocka_unit_test(test_duplicate_uscc),
		cmocka_unit_test(test_paging_out_of_range),
	};
	return cmocka_run_group_tests_name("domain", tests, setup, teardown);
}
