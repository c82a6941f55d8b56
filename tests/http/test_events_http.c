/*
 * test_events_http.c — events and the roadshow pipeline through the real
 * server on the demo database: the API's answers and error objects (bad
 * fields named one by one, unknown fields, wrong types; nothing written),
 * the scopes (a department and a leader create nothing, a town another
 * town's event only reads), a project through the pipeline with the order
 * rules as answers (409 before presentation, 400 for an investment made
 * before the roadshow, 409 for an investment another event brought), the
 * funnel counts of the demo's roadshows, the pages' forms keeping what was
 * typed, and `hatchery event list`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static TestServer srv;
static Login admin, feiyun, xianjiang, dept, leader;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "xianjiang_reporter", "area", "xianjiang");
	server_add_user(&srv, "kjj_clerk", "department", "kjj");
	server_add_user(&srv, "leader", "viewer", NULL);
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &feiyun) ||
	    http_login(srv.port, "xianjiang_reporter", TEST_USER_PASSWORD, &xianjiang) ||
	    http_login(srv.port, "kjj_clerk", TEST_USER_PASSWORD, &dept) || http_login(srv.port, "leader", TEST_USER_PASSWORD, &leader))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* A request; the answer's JSON (caller decrefs) and status. */
static json_t *call(const Login *l, const char *method, const char *path, const char *body, int *status)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, method, path, body, &r), 0);
	*status = r.status;
	json_t *j = json_loads(r.body ? r.body : "", 0, NULL);
	if (!j)
		fail_msg("%s %s: not JSON: %s", method, path, r.body ? r.body : "");
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

static long long count_events(void)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/events", NULL, &st);
	assert_int_equal(st, 200);
	long long n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

static void test_api_input(void **state)
{
	int st;
	long long before = count_events();
	json_t *j = call(&admin, "POST", "/api/v1/events",
	                 "{\"kind\":\"party\",\"name\":\"\",\"starts_on\":\"2024-02-30\",\"participants\":-5,\"area\":\"nowhere\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "invalid");
	json_t *fields = json_object_get(json_object_get(j, "error"), "fields");
	assert_non_null(strstr(json_string_value(json_object_get(fields, "kind")), "活动类型"));
	assert_non_null(strstr(json_string_value(json_object_get(fields, "name")), "请填写活动名称"));
	assert_non_null(strstr(json_string_value(json_object_get(fields, "organiser")), "主办单位"));
	assert_non_null(strstr(json_string_value(json_object_get(fields, "starts_on")), "2024-02-30"));
	assert_non_null(strstr(json_string_value(json_object_get(fields, "participants")), "“-5”"));
	assert_non_null(strstr(json_string_value(json_object_get(fields, "area")), "镇街或功能区"));
	json_decref(j);
	j = call(&admin, "POST", "/api/v1/events", "{\"kind\":\"roadshow\",\"colour\":\"red\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "unknown_field");
	json_decref(j);
	j = call(&admin, "POST", "/api/v1/events", "{\"kind\":\"roadshow\",\"name\":[1]}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "bad_type");
	json_decref(j);
	j = call(&admin, "POST", "/api/v1/events", "[1,2]", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	assert_int_equal(count_events(), before);
	/* a good one, numbers as numbers */
	j = call(&admin, "POST", "/api/v1/events",
	         "{\"kind\":\"activity_week\",\"name\":\"接口测试双创周\",\"organiser\":\"市科技局\",\"starts_on\":\"2025-10-13\","
	         "\"ends_on\":\"2025-10-19\",\"participants\":2000,\"mode\":\"both\"}",
	         &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/events/%lld", id);
	j = call(&admin, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "participants")), 2000);
	assert_true(json_is_null(json_object_get(j, "area")));
	assert_string_equal(json_string_value(json_object_get(j, "kind_name")), "双创活动周");
	json_decref(j);
	/* an end before the start, by PATCH: refused, nothing changed */
	j = call(&admin, "PATCH", path, "{\"ends_on\":\"2025-10-01\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "ends_on");
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/events/999999", NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);
}

static void test_api_scopes(void **state)
{
	int st;
	static const char body[] = "{\"kind\":\"roadshow\",\"name\":\"范围测试路演\",\"organiser\":\"街道\",\"starts_on\":\"2025-03-01\"}";
	/* a department and a leader read events, and create none */
	json_t *j = call(&dept, "POST", "/api/v1/events", body, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&leader, "POST", "/api/v1/events", body, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&dept, "GET", "/api/v1/events", NULL, &st);
	assert_int_equal(st, 200);
	json_decref(j);
	/* a town creates its own; the other town reads it and changes nothing */
	j = call(&feiyun, "POST", "/api/v1/events", body, &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/events/%lld", id);
	j = call(&xianjiang, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "area")), "feiyun");
	json_decref(j);
	j = call(&xianjiang, "PATCH", path, "{\"place\":\"仙降\"}", &st);
	assert_int_equal(st, 403);
	assert_string_equal(err_code(j), "forbidden_scope");
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/events/%lld/projects", id);
	j = call(&xianjiang, "POST", path, "{\"name\":\"越权\",\"registered_on\":\"2025-02-01\"}", &st);
	assert_int_equal(st, 403);
	json_decref(j);
	/* nor does a town create one for the other */
	j = call(&xianjiang, "POST", "/api/v1/events",
	         "{\"kind\":\"roadshow\",\"name\":\"冒名路演\",\"organiser\":\"街道\",\"area\":\"feiyun\",\"starts_on\":\"2025-03-01\"}", &st);
	assert_int_equal(st, 400);
	assert_non_null(strstr(err_message(j), "本辖区"));
	json_decref(j);
}

/* A new investment of the registry dated on (an office record, approved at once). */
static long long new_investment(const char *investee, const char *on)
{
	int st;
	json_t *f = call(&admin, "GET", "/api/v1/funds?area=feiyun&limit=1", NULL, &st);
	json_t *fund = json_array_get(json_object_get(f, "items"), 0);
	assert_non_null(fund);
	json_t *rec = json_pack("{s:O,s:s,s:s,s:i,s:s}", "fund_id", json_object_get(fund, "id"), "investee", investee, "area",
	                        "feiyun", "amount_yuan", 500000, "invested_on", on);
	if (json_is_integer(json_object_get(fund, "base_id")))
		json_object_set(rec, "base_id", json_object_get(fund, "base_id"));
	char *body = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	json_decref(f);
	json_t *j = call(&admin, "POST", "/api/v1/investments", body, &st);
	free(body);
	if (st != 201)
		fail_msg("investment not created: %d %s", st, err_message(j));
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static void test_pipeline(void **state)
{
	int st;
	json_t *j = call(&admin, "POST", "/api/v1/events",
	                 "{\"kind\":\"roadshow\",\"name\":\"接口测试路演\",\"organiser\":\"市科技局\",\"starts_on\":\"2023-01-10\","
	                 "\"status\":\"held\"}",
	                 &st);
	assert_int_equal(st, 201);
	long long ev = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[128], steps[160];
	snprintf(path, sizeof path, "/api/v1/events/%lld/projects", ev);
	j = call(&admin, "POST", path, "{\"name\":\"接口测试项目\",\"team\":\"测试团队\",\"registered_on\":\"2023-01-02\"}", &st);
	assert_int_equal(st, 201);
	long long pid = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	j = call(&admin, "POST", path, "{\"name\":\"接口测试项目\",\"registered_on\":\"2023-01-03\"}", &st);
	assert_int_equal(st, 409);
	json_decref(j);
	snprintf(steps, sizeof steps, "/api/v1/events/%lld/projects/%lld/steps", ev, pid);
	long long inv = new_investment("接口测试企业", "2023-02-01");
	long long early = new_investment("接口测试早投企业", "2023-01-05");
	char body[160];
	snprintf(body, sizeof body, "{\"step\":\"invested\",\"investment_id\":%lld}", inv);
	/* no investment before the roadshow */
	j = call(&admin, "POST", steps, body, &st);
	assert_int_equal(st, 409);
	assert_string_equal(err_code(j), "not_presented");
	json_decref(j);
	j = call(&admin, "POST", steps, "{\"step\":\"presented\",\"on\":\"2023-01-11\"}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	j = call(&admin, "POST", steps, "{\"step\":\"presented\",\"on\":\"2023-01-10\"}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "project"), "stage")), "presented");
	json_decref(j);
	/* an investment made before it is not its doing */
	snprintf(body, sizeof body, "{\"step\":\"invested\",\"investment_id\":%lld}", early);
	j = call(&admin, "POST", steps, body, &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "before_presentation");
	assert_non_null(strstr(err_message(j), "2023-01-05"));
	json_decref(j);
	snprintf(body, sizeof body, "{\"step\":\"invested\",\"investment_id\":%lld}", inv);
	j = call(&admin, "POST", steps, body, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "project"), "stage")), "invested");
	json_decref(j);
	/* the same investment is not brought by a second project */
	j = call(&admin, "POST", path, "{\"name\":\"第二个项目\",\"registered_on\":\"2023-01-02\",\"presented_on\":\"2023-01-10\"}", &st);
	assert_int_equal(st, 201);
	long long pid2 = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(steps, sizeof steps, "/api/v1/events/%lld/projects/%lld/steps", ev, pid2);
	j = call(&admin, "POST", steps, body, &st);
	assert_int_equal(st, 409);
	assert_string_equal(err_code(j), "already_linked");
	assert_non_null(strstr(err_message(j), "接口测试路演"));
	json_decref(j);
	j = call(&admin, "POST", steps, "{\"step\":\"dropped\",\"on\":\"2023-02-01\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "reason_required");
	json_decref(j);
	j = call(&admin, "POST", steps, "{\"step\":\"dropped\",\"on\":\"2023-02-01\",\"reason\":\"团队放弃\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	/* the funnel of the event */
	snprintf(path, sizeof path, "/api/v1/events/%lld", ev);
	j = call(&admin, "GET", path, NULL, &st);
	json_t *f = json_object_get(j, "funnel");
	assert_int_equal(json_integer_value(json_object_get(f, "registered")), 2);
	assert_int_equal(json_integer_value(json_object_get(f, "presented")), 2);
	assert_int_equal(json_integer_value(json_object_get(f, "invested")), 1);
	assert_int_equal(json_integer_value(json_object_get(f, "dropped")), 1);
	assert_int_equal(json_integer_value(json_object_get(f, "converted")), 1);
	assert_true(fabs(json_real_value(json_object_get(f, "conversion")) - 0.5) < 1e-9);
	json_decref(j);
	/* a step that is none, an id that is not a number */
	j = call(&admin, "POST", steps, "{\"step\":\"won\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "bad_step");
	json_decref(j);
	j = call(&admin, "POST", steps, "{\"step\":\"invested\",\"investment_id\":\"x1\"}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
}

static void test_demo_roadshows(void **state)
{
	int st;
	json_t *j = call(&leader, "GET", "/api/v1/events?kind=roadshow", NULL, &st);
	assert_int_equal(st, 200);
	json_t *items = json_object_get(j, "items");
	assert_true(json_array_size(items) >= 3);
	json_t *f = json_object_get(j, "funnel");
	assert_true(json_integer_value(json_object_get(f, "invested")) >= 3);
	assert_true(json_integer_value(json_object_get(f, "settled")) >= 2);
	json_decref(j);
	/* an investment a roadshow brought names it on its registry page */
	j = call(&leader, "GET", "/api/v1/events/2", NULL, &st);
	long long inv = 0;
	json_t *ps = json_object_get(j, "projects");
	for (size_t i = 0; i < json_array_size(ps) && !inv; i++)
		inv = json_integer_value(json_object_get(json_object_get(json_array_get(ps, i), "investment"), "id"));
	json_decref(j);
	assert_true(inv > 0);
	char page[64];
	snprintf(page, sizeof page, "/investments/%lld", inv);
	Response r;
	assert_int_equal(http_as(srv.port, &leader, "GET", page, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "来源活动"));
	assert_non_null(strstr(r.body, "示例·大孵化集群常态化路演（第一期）"));
	response_free(&r);
	/* the roadshow page names what each brought; the summit is there as an event */
	assert_int_equal(http_as(srv.port, &leader, "GET", "/roadshows", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "示例·塘下智造专场路演"));
	assert_non_null(strstr(r.body, "href=\"/investments/"));
	assert_non_null(strstr(r.body, "href=\"/projects/"));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &leader, "GET", "/events?kind=summit", NULL, &r), 0);
	assert_non_null(strstr(r.body, "示例·2024世界青年科学家峰会云江科创大会"));
	response_free(&r);
	/* the form keeps what was typed and names the field */
	char headers[256], form[256];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", admin.cookie);
	snprintf(form, sizeof form, "csrf=%s&kind=roadshow&name=%%E8%%A1%%A8%%E5%%8D%%95%%E6%%B5%%8B%%E8%%AF%%95&organiser=&starts_on=2024-13-01",
	         admin.csrf);
	assert_int_equal(http_request(srv.port, "POST", "/events/new", headers, form, strlen(form), &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "value=\"表单测试\""));
	assert_non_null(strstr(r.body, "请填写主办单位"));
	assert_non_null(strstr(r.body, "“2024-13-01”不是有效日期"));
	response_free(&r);
}

static void test_cli(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "'%s' event list --db '%s' --kind roadshow --json", getenv("HATCHERY_BIN"), srv.db);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = 0;
	assert_int_equal(pclose(p), 0);
	json_t *j = json_loads(buf, 0, NULL);
	assert_non_null(j);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 3);
	json_decref(j);
	snprintf(cmd, sizeof cmd, "'%s' event list --db '%s' --year 2024", getenv("HATCHERY_BIN"), srv.db);
	p = popen(cmd, "r");
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = 0;
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(buf, "示例·2024世界青年科学家峰会云江科创大会"));
	assert_non_null(strstr(buf, "conversion"));
	snprintf(cmd, sizeof cmd, "'%s' event list --db '%s' --kind party 2>/dev/null", getenv("HATCHERY_BIN"), srv.db);
	p = popen(cmd, "r");
	while (fread(buf, 1, sizeof buf, p) > 0)
		;
	assert_int_equal(WEXITSTATUS(pclose(p)), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_input),
		cmocka_unit_test(test_api_scopes),
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_demo_roadshows),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
