/*
 * test_keys.c — one record per natural key (issue 14, items 11 and 12),
 * over the real server and the command line: importing the same file twice
 * leaves every figure where one import put it, each row saying what was
 * done ("第 2 行：未变化，已跳过", "已存在，已更新"); importing the good rows,
 * fixing the bad one and importing the whole file again adds only the fixed
 * row; two rows naming one new record are refused; a duplicate entered by
 * hand (API or form) is refused with the way to the existing record; a
 * firm's area is its base's, whatever is typed.
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
#include <sys/wait.h>

#include "client.h"

static TestServer srv;
static Login admin;

static int setup(void **state)
{
	server_start(&srv, NULL);
	return http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ? -1 : 0;
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
	json_t *j = json_loads(r.body, 0, NULL);
	response_free(&r);
	return j;
}

static json_t *upload(const char *kind, const char *mode, const char *csv, int *status)
{
	char path[128], headers[512];
	snprintf(path, sizeof path, "/api/v1/%s/import?mode=%s", kind, mode);
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: text/csv\r\n", admin.cookie, admin.csrf);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", path, headers, csv, strlen(csv), &r), 0);
	*status = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	response_free(&r);
	assert_non_null(j);
	return j;
}

/* An indicator's actual figure of a year for an area. */
static double actual(int year, const char *area, const char *indicator)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/progress?year=%d&area=%s", year, area);
	int st;
	json_t *j = call("GET", path, NULL, &st);
	double v = -1;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "indicators"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "indicator")), indicator))
			v = json_number_value(json_object_get(x, "actual"));
	json_decref(j);
	return v;
}

static long long num(json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

static const char *result_message(json_t *j, int k)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(j, "results"), (size_t)k), "message"));
}

#define BASES "名称,类型,所属区域,运营状态,开业日期,总面积(㎡),孵化面积(㎡)\r\n"

/* The same file twice: the second import changes nothing, and says so row by row. */
static void test_same_file_twice(void **state)
{
	const char *csv = BASES "示例·键测试基地甲,incubator,nanbin,运营中,2023-05-01,4000,3000\r\n"
	                  "示例·键测试基地乙,maker_space,nanbin,运营中,2023-06-01,5000,4000\r\n"
	                  "示例·键测试基地丙,incubator,nanbin,运营中,2023-07-01,6000,4000\r\n";
	double before = actual(2023, "nanbin", "area_added");
	long long bases = server_db_num(&srv, "SELECT count(*) FROM base");
	int st;
	json_t *j = upload("bases", "all", csv, &st);
	assert_int_equal(st, 200);
	assert_int_equal(num(j, "created"), 3);
	assert_non_null(strstr(result_message(j, 0), "第 2 行：已新增"));
	json_decref(j);
	assert_true(actual(2023, "nanbin", "area_added") == before + 15000);
	/* the check says what a second import would do */
	j = upload("bases", "check", csv, &st);
	assert_int_equal(num(j, "good"), 3);
	assert_non_null(strstr(result_message(j, 1), "第 3 行：未变化"));
	json_decref(j);
	long long audit = server_db_num(&srv, "SELECT count(*) FROM audit");
	j = upload("bases", "all", csv, &st);
	assert_int_equal(st, 200);
	assert_int_equal(num(j, "created"), 0);
	assert_int_equal(num(j, "unchanged"), 3);
	assert_non_null(strstr(result_message(j, 0), "第 2 行：未变化，已跳过"));
	json_decref(j);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM base"), bases + 3);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM audit"), audit); /* nothing written */
	assert_true(actual(2023, "nanbin", "area_added") == before + 15000);
	/* a row changed: that record is updated, the others skipped */
	const char *changed = BASES "示例·键测试基地甲,incubator,nanbin,运营中,2023-05-01,4000,3500\r\n"
	                      "示例·键测试基地乙,maker_space,nanbin,运营中,2023-06-01,5000,4000\r\n";
	j = upload("bases", "all", changed, &st);
	assert_int_equal(num(j, "updated"), 1);
	assert_int_equal(num(j, "unchanged"), 1);
	assert_non_null(strstr(result_message(j, 0), "第 2 行：已存在，已更新"));
	assert_non_null(strstr(result_message(j, 1), "第 3 行：未变化，已跳过"));
	json_decref(j);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM base"), bases + 3);
	assert_int_equal(server_db_num(&srv, "SELECT incubation_area_m2 FROM base WHERE name = '示例·键测试基地甲'"), 3500);
}

/* Good rows first, the bad one fixed, the whole file again: as one import would. */
static void test_fix_and_reimport(void **state)
{
	const char *bad = "名称,投资阶段,规模(元),来源,设立或引进日期,所属区域\r\n"
	                  "示例·键测试基金甲,seed,1000000,new,2023-03-01,nanbin\r\n"
	                  "示例·键测试基金乙,seed,一百万,new,2023-04-01,nanbin\r\n";
	const char *fixed = "名称,投资阶段,规模(元),来源,设立或引进日期,所属区域\r\n"
	                    "示例·键测试基金甲,seed,1000000,new,2023-03-01,nanbin\r\n"
	                    "示例·键测试基金乙,seed,1000000,new,2023-04-01,nanbin\r\n";
	double before = actual(2023, "nanbin", "funds");
	int st;
	json_t *j = upload("funds", "good", bad, &st);
	assert_int_equal(st, 200);
	assert_int_equal(num(j, "created"), 1);
	json_decref(j);
	assert_true(actual(2023, "nanbin", "funds") == before + 1);
	j = upload("funds", "all", fixed, &st);
	assert_int_equal(st, 200);
	assert_int_equal(num(j, "created"), 1);
	assert_int_equal(num(j, "unchanged"), 1);
	json_decref(j);
	assert_true(actual(2023, "nanbin", "funds") == before + 2);
	/* and once more: nothing moves */
	j = upload("funds", "all", fixed, &st);
	assert_int_equal(num(j, "unchanged"), 2);
	json_decref(j);
	assert_true(actual(2023, "nanbin", "funds") == before + 2);
	/* two rows of one file naming the same new project: the second is refused */
	const char *twice = "名称,类别,所属区域,落地日期\r\n"
	                    "示例·键测试项目,project,nanbin,2023-08-08\r\n"
	                    "示例·键测试项目,project,nanbin,2023-08-08\r\n";
	j = upload("projects", "check", twice, &st);
	assert_int_equal(num(j, "bad"), 1);
	json_t *e = json_array_get(json_object_get(j, "errors"), 0);
	assert_int_equal(num(e, "row"), 3);
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "与第 2 行"));
	json_decref(j);
}

/* A duplicate typed by hand is refused, with the way to the existing record. */
static void test_duplicate_by_hand(void **state)
{
	int st;
	/* base 1: 示例·东新科创大孵化器 in 安阳中心城区 */
	json_t *j = call("POST", "/api/v1/bases",
	                 "{\"name\":\"示例·东新科创大孵化器\",\"kind\":\"incubator\",\"area\":\"anyang-center\",\"status\":\"operating\","
	                 "\"opened_on\":\"2024-01-01\",\"total_area_m2\":100,\"incubation_area_m2\":50}",
	                 &st);
	assert_int_equal(st, 400);
	json_t *err = json_object_get(j, "error");
	assert_string_equal(json_string_value(json_object_get(err, "code")), "duplicate");
	assert_string_equal(json_string_value(json_object_get(err, "field")), "name");
	assert_int_equal(num(json_object_get(err, "existing"), "id"), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(err, "existing"), "href")), "/bases/1");
	assert_non_null(strstr(json_string_value(json_object_get(err, "message")), "编号 1"));
	json_decref(j);
	/* the same name in another area is another base */
	j = call("POST", "/api/v1/bases",
	         "{\"name\":\"示例·东新科创大孵化器\",\"kind\":\"incubator\",\"area\":\"nanbin\",\"status\":\"operating\","
	         "\"opened_on\":\"2024-01-01\",\"total_area_m2\":100,\"incubation_area_m2\":50}",
	         &st);
	assert_int_equal(st, 201);
	json_decref(j);
	/* changing a record to another's key is refused too */
	j = call("PATCH", "/api/v1/bases/2", "{\"name\":\"示例·东新科创大孵化器\",\"area\":\"anyang-center\"}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* the form links to it */
	char headers[512], body[1024];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", admin.cookie);
	snprintf(body, sizeof body,
	         "csrf=%s&name=%%E7%%A4%%BA%%E4%%BE%%8B%%C2%%B7%%E4%%B8%%9C%%E6%%96%%B0%%E7%%A7%%91%%E5%%88%%9B%%E5%%A4%%A7%%E5%%AD%%B5"
	         "%%E5%%8C%%96%%E5%%99%%A8&kind=incubator&area=anyang-center&status=operating&opened_on=2024-06-01"
	         "&total_area_m2=3000&incubation_area_m2=2000",
	         admin.csrf);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 400);
	const char *e = strstr(r.body, "id=\"e-name\"");
	assert_non_null(e);
	assert_non_null(strstr(e, "href=\"/bases/1\""));
	response_free(&r);
	/* a fund: its name and set-up date */
	j = call("POST", "/api/v1/funds",
	         "{\"name\":\"示例·云江天使投资基金\",\"stage\":\"angel\",\"size_yuan\":1,\"origin\":\"new\",\"established_on\":\"2022-03-01\","
	         "\"area\":\"anyang-center\"}",
	         &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "duplicate");
	json_decref(j);
}

/* Item 12: a firm's area is its base's, typed or not. */
static void test_firm_area_from_base(void **state)
{
	int st;
	json_t *j = call("POST", "/api/v1/firms", "{\"name\":\"示例·区域自动企业\",\"base_id\":2}", &st);
	assert_int_equal(st, 201);
	long long id = num(j, "id");
	json_decref(j);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT area = (SELECT area FROM base WHERE id = 2) FROM firm WHERE id = %lld", id);
	assert_int_equal(server_db_num(&srv, sql), 1);
	j = call("POST", "/api/v1/firms", "{\"name\":\"示例·区域填错企业\",\"base_id\":2,\"area\":\"feiyun\"}", &st);
	assert_int_equal(st, 201);
	id = num(j, "id");
	json_decref(j);
	snprintf(sql, sizeof sql, "SELECT area = (SELECT area FROM base WHERE id = 2) FROM firm WHERE id = %lld", id);
	assert_int_equal(server_db_num(&srv, sql), 1);
	/* and a firm moved to another base moves to its area */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/firms/%lld", id);
	j = call("PATCH", path, "{\"base_id\":3}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	snprintf(sql, sizeof sql, "SELECT area = (SELECT area FROM base WHERE id = 3) FROM firm WHERE id = %lld", id);
	assert_int_equal(server_db_num(&srv, sql), 1);
	/* a base moved to another area takes its firms along */
	j = call("PATCH", "/api/v1/bases/3", "{\"area\":\"feiyun\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM firm WHERE base_id = 3 AND area <> 'feiyun'"), 0);
	assert_true(server_db_num(&srv, "SELECT count(*) FROM firm WHERE base_id = 3") > 1);
	j = call("PATCH", "/api/v1/bases/3", "{\"area\":\"binhai\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM firm WHERE base_id = 3 AND area <> 'binhai'"), 0);
	/* the form shows the area, it does not ask for it */
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/firms/new", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "name=\"area\""));
	assert_non_null(strstr(r.body, "自动取所在孵化基地的区域"));
	response_free(&r);
}

static int run(char *out, size_t outsz, const char *fmt, ...)
{
	char args[1536], cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	const char *b = getenv("HATCHERY_BIN");
	snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", b && *b ? b : "build/hatchery", args);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, outsz - 1, p);
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The command line: the same file twice, the second skipped row by row. */
static void test_cli_twice(void **state)
{
	static char out[65536];
	char file[256];
	snprintf(file, sizeof file, "%s/keys-operators.csv", srv.dir);
	FILE *f = fopen(file, "wb");
	assert_non_null(f);
	fputs("名称,所属区域,引进日期\r\n示例·键测试运营机构,nanbin,2023-09-09\r\n", f);
	fclose(f);
	long long ops = server_db_num(&srv, "SELECT count(*) FROM operator");
	int rc = run(out, sizeof out, "import operators '%s' --db '%s'", file, srv.db);
	if (rc != 0)
		fail_msg("import: %d %s", rc, out);
	assert_non_null(strstr(out, "第 2 行：已新增"));
	rc = run(out, sizeof out, "import operators '%s' --db '%s'", file, srv.db);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "第 2 行：未变化，已跳过"));
	assert_int_equal(server_db_num(&srv, "SELECT count(*) FROM operator"), ops + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_file_twice),
		cmocka_unit_test(test_fix_and_reimport),
		cmocka_unit_test(test_duplicate_by_hand),
		cmocka_unit_test(test_firm_area_from_base),
		cmocka_unit_test(test_cli_twice),
	};
	return cmocka_run_group_tests_name("keys", tests, setup, teardown);
}
