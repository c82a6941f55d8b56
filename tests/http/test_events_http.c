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
static Login admin, feiyun, xianjiang, dept, leader, tangxia, base;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "xianjiang_reporter", "area", "xianjiang");
	server_add_user(&srv, "kjj_clerk", "department", "kjj");
	server_add_user(&srv, "leader", "viewer", NULL);
	server_add_user(&srv, "tangxia_reporter", "area", "tangxia");
	server_add_user(&srv, "base_user", "base", "1");
	if (http_login(srv.port, "tangxia_reporter", TEST_USER_PASSWORD, &tangxia) ||
	    http_login(srv.port, "base_user", TEST_USER_PASSWORD, &base) ||
	    http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
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

static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                                     0xff, 0xd9};

/* Posts raw bytes as l (the API's upload); the status and JSON in *out. */
static int post_bytes(const Login *l, const char *path, const void *data, size_t len, json_t **out)
{
	char headers[512];
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: application/octet-stream\r\n", l->cookie, l->csrf);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", path, headers, data, len, &r), 0);
	int st = r.status;
	*out = json_loads(r.body ? r.body : "", 0, NULL);
	if (!*out)
		fail_msg("%s: not JSON (%d): %s", path, st, r.body ? r.body : "");
	response_free(&r);
	return st;
}

/* A 现场会 (place, date, attendees) with follow-up tasks: the office
 * dispatches them (no one else), each a task of source "event" pointing
 * back at the meeting, listed on the meeting's page with its lamp and
 * linked from the task's page; and its photos, checked like evidence,
 * uploaded by whoever may change the event and read by every user. */
static void test_site_meeting(void **state)
{
	int st;
	json_t *j = call(&leader, "GET", "/api/v1/events?kind=site_meeting", NULL, &st);
	assert_int_equal(st, 200);
	/* the sample's held 现场会 (the next one is planned) */
	json_t *ev = NULL, *it;
	size_t k;
	json_array_foreach(json_object_get(j, "items"), k, it)
		if (!strcmp(json_string_value(json_object_get(it, "status")), "held"))
			ev = it;
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev, "name")), "示例·大孵化集群建设现场会");
	long long id = json_integer_value(json_object_get(ev, "id"));
	assert_true(id > 0);
	assert_non_null(json_string_value(json_object_get(ev, "place")));
	assert_non_null(json_string_value(json_object_get(ev, "attendees")));
	json_decref(j);
	char path[128], page[64];
	snprintf(path, sizeof path, "/api/v1/events/%lld/tasks", id);
	snprintf(page, sizeof page, "/events/%lld", id);
	static const char body[] = "{\"title\":\"完善塘下智造孵化园路演厅设施\",\"lead\":\"tangxia\",\"co\":[\"kjj\"],\"due_on\":\"2024-12-01\"}";
	/* only the office dispatches */
	j = call(&dept, "POST", path, body, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&tangxia, "POST", path, body, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&admin, "POST", path, "{\"title\":\"x\",\"lead\":\"nowhere\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "bad_lead");
	json_decref(j);
	j = call(&admin, "POST", "/api/v1/events/999999/tasks", body, &st);
	assert_int_equal(st, 404);
	json_decref(j);
	j = call(&admin, "POST", path, body, &st);
	assert_int_equal(st, 201);
	long long tid = json_integer_value(json_object_get(j, "task_id"));
	char ref[32];
	snprintf(ref, sizeof ref, "event/%lld", id);
	assert_string_equal(json_string_value(json_object_get(j, "source_ref")), ref);
	json_decref(j);
	/* the task points back at the meeting; the lead and the co-owner read it */
	char tpath[64];
	snprintf(tpath, sizeof tpath, "/api/v1/tasks/%lld", tid);
	j = call(&tangxia, "GET", tpath, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "source")), "event");
	assert_string_equal(json_string_value(json_object_get(j, "source_ref")), ref);
	assert_string_equal(json_string_value(json_object_get(j, "lamp")), "red"); /* due 2024-12-01 */
	assert_true(json_is_true(json_object_get(j, "may_answer")));
	json_decref(j);
	j = call(&dept, "GET", tpath, NULL, &st);
	assert_int_equal(st, 200);
	assert_false(json_is_true(json_object_get(j, "may_answer")));
	json_decref(j);
	/* a follow-up through /api/v1/tasks must name an event that is there */
	j = call(&admin, "POST", "/api/v1/tasks", "{\"title\":\"x\",\"lead\":\"kjj\",\"source\":\"event\",\"source_ref\":\"event/999999\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "bad_source_ref");
	json_decref(j);
	/* the meeting lists it with its lamp, over the API and on its page */
	snprintf(path, sizeof path, "/api/v1/events/%lld", id);
	j = call(&leader, "GET", path, NULL, &st);
	json_t *fu = json_object_get(j, "follow_up_tasks");
	assert_int_equal(json_array_size(fu), 3); /* the sample's two and this one */
	int mine = 0;
	json_array_foreach(fu, k, it)
		if (json_integer_value(json_object_get(it, "id")) == tid) {
			mine = 1;
			assert_string_equal(json_string_value(json_object_get(it, "lamp")), "red");
		}
	assert_true(mine);
	json_decref(j);
	Response r;
	char link[128];
	snprintf(link, sizeof link, "href=\"/tasks/%lld\"", tid);
	assert_int_equal(http_as(srv.port, &admin, "GET", page, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "id=\"follow-up-tasks\""));
	assert_non_null(strstr(r.body, "完善塘下智造孵化园路演厅设施"));
	assert_non_null(strstr(r.body, link));
	assert_non_null(strstr(r.body, "lamp red"));
	assert_non_null(strstr(r.body, "action=\"/events/")); /* the office's form */
	response_free(&r);
	/* a base user sees the title, not a link to a task it may not read */
	assert_int_equal(http_as(srv.port, &base, "GET", page, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "完善塘下智造孵化园路演厅设施"));
	assert_null(strstr(r.body, link));
	assert_null(strstr(r.body, "派发后续任务"));
	response_free(&r);
	snprintf(tpath, sizeof tpath, "/tasks/%lld", tid);
	snprintf(link, sizeof link, "href=\"/events/%lld\"", id);
	assert_int_equal(http_as(srv.port, &tangxia, "GET", tpath, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, link));
	assert_non_null(strstr(r.body, "的后续任务"));
	response_free(&r);
	/* the plain form: lead and co-units from the pickers */
	char headers[256], form[512];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", admin.cookie);
	snprintf(form, sizeof form, "csrf=%s&title=%%E7%%AD%%BE%%E5%%88%%B0&lead=kjj&co=fgj&co=jxj&due_on=2099-01-01", admin.csrf);
	snprintf(path, sizeof path, "/events/%lld/tasks", id);
	assert_int_equal(http_request(srv.port, "POST", path, headers, form, strlen(form), &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	snprintf(path, sizeof path, "/api/v1/events/%lld", id);
	j = call(&leader, "GET", path, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(j, "follow_up_tasks")), 4);
	json_decref(j);
	/* audited on the event too */
	j = call(&admin, "GET", "/api/v1/audit?kind=events", NULL, &st);
	char *dump = json_dumps(j, 0);
	assert_non_null(strstr(dump, "\"followup\""));
	free(dump);
	json_decref(j);

	/* photos: checked by content, by those who may change the event */
	snprintf(path, sizeof path, "/api/v1/events/%lld/attachments?name=%%E7%%8E%%B0%%E5%%9C%%BA.jpg", id);
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
	assert_int_equal(post_bytes(&admin, path, svg, sizeof svg - 1, &j), 400);
	assert_string_equal(err_code(j), "bad_file_type");
	json_decref(j);
	assert_int_equal(post_bytes(&feiyun, path, jpeg, sizeof jpeg, &j), 403); /* another town's meeting */
	json_decref(j);
	assert_int_equal(post_bytes(&dept, path, jpeg, sizeof jpeg, &j), 403);
	json_decref(j);
	assert_int_equal(post_bytes(&tangxia, path, jpeg, sizeof jpeg, &j), 201); /* its own town's */
	assert_string_equal(json_string_value(json_object_get(j, "name")), "现场.jpg");
	char url[64];
	snprintf(url, sizeof url, "%s", json_string_value(json_object_get(j, "url")));
	json_decref(j);
	/* every user reads them, as an image with nosniff; no one anonymous */
	const Login *readers[] = {&base, &dept, &feiyun, &leader};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(http_as(srv.port, readers[i], "GET", url, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		char *ct = response_header(&r, "Content-Type");
		assert_string_equal(ct, "image/jpeg");
		free(ct);
		response_free(&r);
	}
	assert_int_equal(http_as(srv.port, NULL, "GET", url, NULL, &r), 0);
	assert_true(r.status == 401 || r.status == 303);
	response_free(&r);
	/* the plain form (multipart) from a phone */
	snprintf(headers, sizeof headers, "%sContent-Type: multipart/form-data; boundary=zzz\r\n", tangxia.cookie);
	char mp[1024];
	size_t n = (size_t)snprintf(mp, sizeof mp,
	                            "--zzz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
	                            "--zzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"签到表.jpg\"\r\n"
	                            "Content-Type: image/jpeg\r\n\r\n", tangxia.csrf);
	memcpy(mp + n, jpeg, sizeof jpeg);
	n += sizeof jpeg;
	n += (size_t)snprintf(mp + n, sizeof mp - n, "\r\n--zzz--\r\n");
	snprintf(path, sizeof path, "/events/%lld/photos", id);
	assert_int_equal(http_request(srv.port, "POST", path, headers, mp, n, &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	snprintf(path, sizeof path, "/api/v1/events/%lld", id);
	j = call(&leader, "GET", path, NULL, &st);
	json_t *files = json_object_get(j, "files");
	assert_int_equal(json_array_size(files), 3); /* the sample's photo, and these two */
	assert_string_equal(json_string_value(json_object_get(json_array_get(files, 2), "name")), "签到表.jpg");
	json_decref(j);
	snprintf(link, sizeof link, "<img src=\"%s\"", url);
	assert_int_equal(http_as(srv.port, &leader, "GET", page, NULL, &r), 0);
	assert_non_null(strstr(r.body, link));
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
		cmocka_unit_test(test_site_meeting),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
