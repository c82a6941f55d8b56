/*
 * test_registry.c — the registry over the real server (bases first): the
 * API's validation (each error names its field, in Chinese), review (a
 * reporter's new base waits, the office approves, progress rises by exactly
 * its area; a reporter's change to an approved base is proposed and the
 * record keeps counting as it was), return with a reason, forms that keep
 * what was typed, list filters, sort and paging, dated floor-area changes,
 * PUT versus PATCH, and deletes refused while others depend on a record.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static TestServer srv;
static Login admin, reporter;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) || http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &reporter))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* Sends a request and parses the JSON answer; *status gets the status. */
static json_t *call(const Login *l, const char *method, const char *path, const char *body, int *status)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, method, path, body, &r), 0);
	*status = r.status;
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	response_free(&r);
	return j;
}

/* The city's area_added actual for a year as of a date. */
static double area_added(int year, const char *as_of)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/progress?year=%d%s%s", year, as_of ? "&as_of=" : "", as_of ? as_of : "");
	int st;
	json_t *j = call(NULL, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	double v = -1;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "indicators"), i, x)
		if (strcmp(json_string_value(json_object_get(x, "indicator")), "area_added") == 0)
			v = json_number_value(json_object_get(x, "actual"));
	json_decref(j);
	return v;
}

static const char *error_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

static void test_validation_names_the_field(void **state)
{
	struct {
		const char *body, *field, *says;
	} cases[] = {
		{"{\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1}", "name", "请填写名称"},
		{"{\"name\":\"x\",\"kind\":\"spaceship\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1}", "kind", "下拉列表"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2023-02-29\",\"total_area_m2\":1,\"incubation_area_m2\":1}", "opened_on", "年-月-日"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":\"三万\",\"incubation_area_m2\":1}", "total_area_m2", "应为数字"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":-5,\"incubation_area_m2\":0}", "total_area_m2", "之间"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1000,\"incubation_area_m2\":2000}", "incubation_area_m2", "不能大于总面积"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"atlantis\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1}", "area", "区域"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1,\"operator_id\":9999}", "operator_id", "没有编号为 9999"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1,\"facilities\":[\"cafe\",\"moon\"]}", "facilities", "moon"},
		{"{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1,\"colour\":\"red\"}", "colour", "没有字段"},
		{"{\"name\":[1],\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1}", "name", "类型不对"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int st;
		json_t *j = call(&admin, "POST", "/api/v1/bases", cases[i].body, &st);
		if (st != 400 || !error_field(j) || strcmp(error_field(j), cases[i].field) != 0 ||
		    !strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), cases[i].says))
			fail_msg("case %zu: status %d field %s, want 400 %s \"%s\"", i, st, error_field(j) ? error_field(j) : "-",
			         cases[i].field, cases[i].says);
		json_decref(j);
	}
	/* a reporter registers in its own area only */
	int st;
	json_t *j = call(&reporter, "POST", "/api/v1/bases",
	                 "{\"name\":\"x\",\"kind\":\"incubator\",\"area\":\"xianjiang\",\"status\":\"operating\",\"opened_on\":\"2024-01-01\",\"total_area_m2\":1,\"incubation_area_m2\":1}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "area");
	json_decref(j);
}

/* The journey of the registry issue: a reporter registers, the office approves, the figure rises by exactly that area. */
static void test_review_then_progress_rises(void **state)
{
	double before = area_added(2024, NULL);
	int st;
	json_t *j = call(&reporter, "POST", "/api/v1/bases",
	                 "{\"name\":\"飞云新材料孵化器\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\","
	                 "\"opened_on\":\"2024-03-15\",\"total_area_m2\":12345,\"incubation_area_m2\":9000}", &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_string_value(json_object_get(j, "review_status")), "pending");
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	assert_true(area_added(2024, NULL) == before); /* pending: not counted */
	double day_before = area_added(2024, "2024-03-15") - area_added(2024, "2024-03-14");

	char path[96];
	snprintf(path, sizeof path, "/api/v1/bases/%lld/review", id);
	j = call(&admin, "POST", path, "{\"action\":\"return\"}", &st);
	assert_int_equal(st, 400); /* a return needs its reason */
	json_decref(j);
	j = call(&admin, "POST", path, "{\"action\":\"return\",\"note\":\"请补充地址\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/bases/%lld", id);
	j = call(&reporter, "GET", path, NULL, &st);
	assert_string_equal(json_string_value(json_object_get(j, "review_status")), "returned");
	assert_string_equal(json_string_value(json_object_get(j, "review_note")), "请补充地址");
	json_decref(j);
	/* 工作台 tells the reporter: the record, the reason, a way to fix it,
	 * and a count on 工作台 in the navigation */
	Response w;
	assert_int_equal(http_as(srv.port, &reporter, "GET", "/workbench", NULL, &w), 0);
	assert_int_equal(w.status, 200);
	const char *sec = strstr(w.body, "id=\"work-returned\"");
	assert_non_null(sec);
	assert_non_null(strstr(sec, "飞云新材料孵化器"));
	assert_non_null(strstr(sec, "请补充地址"));
	char edit[96];
	snprintf(edit, sizeof edit, "href=\"/bases/%lld/edit\"", id);
	assert_non_null(strstr(sec, edit));
	const char *badge = strstr(w.body, "href=\"/workbench\"");
	assert_non_null(badge);
	assert_non_null(strstr(badge, "class=\"count\""));
	assert_null(strstr(w.body, "T0")); /* times in 北京时间, not ISO */
	response_free(&w);
	/* the reporter fixes it: pending again, changed in place */
	j = call(&reporter, "PATCH", path, "{\"address\":\"飞云街道创业路 8 号\"}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "review_status")), "pending");
	json_decref(j);
	/* resubmitted: off the reporter's 工作台 */
	assert_int_equal(http_as(srv.port, &reporter, "GET", "/workbench", NULL, &w), 0);
	assert_null(strstr(w.body, "飞云新材料孵化器"));
	response_free(&w);
	snprintf(path, sizeof path, "/api/v1/bases/%lld/review", id);
	j = call(&admin, "POST", path, "{\"action\":\"approve\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	assert_true(area_added(2024, NULL) == before + 12345);
	/* counted from its opening day, not before */
	assert_true(area_added(2024, "2024-03-15") - area_added(2024, "2024-03-14") == day_before + 12345);
	/* approving twice is refused */
	j = call(&admin, "POST", path, "{\"action\":\"approve\"}", &st);
	assert_int_equal(st, 409);
	json_decref(j);
}

/* A reporter's change to an approved base waits; the record keeps counting as it was. */
static void test_proposed_change_keeps_the_record(void **state)
{
	double before = area_added(2024, NULL);
	int st;
	json_t *j = call(&reporter, "PATCH", "/api/v1/bases/10", "{\"total_area_m2\":30000,\"area_changed_on\":\"2024-05-01\"}", &st);
	assert_int_equal(st, 202);
	json_decref(j);
	assert_true(area_added(2024, NULL) == before);
	j = call(&admin, "GET", "/api/v1/review", NULL, &st);
	json_t *changes = json_object_get(j, "changes");
	long long cid = 0;
	size_t i;
	json_t *c;
	json_array_foreach(changes, i, c)
		if (json_integer_value(json_object_get(c, "record_id")) == 10)
			cid = json_integer_value(json_object_get(c, "id"));
	json_decref(j);
	assert_true(cid > 0);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/review/changes/%lld", cid);
	j = call(&admin, "POST", path, "{\"action\":\"approve\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	/* +2000 ㎡, counted from 2024-05-01 */
	assert_true(area_added(2024, NULL) == before + 2000);
	assert_true(area_added(2024, "2024-04-30") == area_added(2024, "2024-04-29"));
	assert_true(area_added(2024, "2024-05-01") == area_added(2024, "2024-04-30") + 2000);
}

/* s percent-encoded for a form body (every byte but letters and digits). */
static void form_escape(char *out, size_t outsz, const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < outsz; p++)
		n += (size_t)snprintf(out + n, outsz - n, ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		                                             (*p >= 'A' && *p <= 'Z')) ? "%c" : "%%%02X", *p);
	out[n] = 0;
}

/* The open change of record id of bases in the review queue, as JSON (a new reference), or NULL. */
static json_t *open_change_of(long long id)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/review?kind=bases&limit=1000", NULL, &st);
	assert_int_equal(st, 200);
	json_t *found = NULL, *c;
	size_t i;
	json_array_foreach(json_object_get(j, "changes"), i, c)
		if (json_integer_value(json_object_get(c, "record_id")) == id)
			found = json_incref(c);
	json_decref(j);
	return found;
}

/* A reporter's edit form shows their own change waiting for review, not
 * the record, and saving the form replaces that change: a field set back
 * to the record's value is set back. (The form showed the record, and a
 * field left as in the record kept what the earlier change said, so what
 * was proposed could be neither seen nor undone on the page.) */
static void test_edit_form_shows_own_proposal(void **state)
{
	int st;
	json_t *j = call(&admin, "POST", "/api/v1/bases",
	                 "{\"name\":\"示例·自有修改测试基地\",\"kind\":\"maker_space\",\"area\":\"feiyun\",\"status\":\"operating\","
	                 "\"opened_on\":\"2023-04-01\",\"total_area_m2\":2000,\"incubation_area_m2\":1500,"
	                 "\"contact\":\"原联系人\",\"address\":\"原地址\"}", &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/bases/%lld", id);
	j = call(&reporter, "PATCH", path, "{\"contact\":\"新联系人\"}", &st);
	assert_int_equal(st, 202);
	json_decref(j);
	json_t *c = open_change_of(id);
	assert_non_null(c);
	long long cid = json_integer_value(json_object_get(c, "id"));
	json_decref(c);

	/* the form: the proposed contact, the change named, a word on it */
	Response r;
	snprintf(path, sizeof path, "/bases/%lld/edit", id);
	assert_int_equal(http_as(srv.port, &reporter, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	char want[96];
	snprintf(want, sizeof want, "name=\"over\" value=\"%lld\"", cid);
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "id=\"own-proposal\""));
	assert_non_null(strstr(r.body, "value=\"新联系人\""));
	assert_null(strstr(r.body, "value=\"原联系人\""));
	assert_non_null(strstr(r.body, "value=\"原地址\""));
	response_free(&r);
	/* the office's form is the record's */
	assert_int_equal(http_as(srv.port, &admin, "GET", path, NULL, &r), 0);
	assert_non_null(strstr(r.body, "value=\"原联系人\""));
	assert_null(strstr(r.body, "own-proposal"));
	response_free(&r);

	/* saved with the contact set back and a new address: the change says so */
	char name[128], contact[64], address[64], headers[512], body[2048];
	form_escape(name, sizeof name, "示例·自有修改测试基地");
	form_escape(contact, sizeof contact, "原联系人");
	form_escape(address, sizeof address, "新地址");
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", reporter.cookie);
	snprintf(body, sizeof body,
	         "csrf=%s&over=%lld&name=%s&kind=maker_space&area=feiyun&status=operating&opened_on=2023-04-01"
	         "&total_area_m2=2000&incubation_area_m2=1500&contact=%s&address=%s",
	         reporter.csrf, cid, name, contact, address);
	assert_int_equal(http_request(srv.port, "POST", path, headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 303);
	char *loc = response_header(&r, "Location");
	assert_non_null(strstr(loc, "saved=merged"));
	free(loc);
	response_free(&r);
	c = open_change_of(id);
	assert_non_null(c);
	assert_int_equal(json_integer_value(json_object_get(c, "id")), cid); /* still one change */
	json_t *pay = json_object_get(c, "payload");
	assert_string_equal(json_string_value(json_object_get(pay, "contact")), "原联系人");
	assert_string_equal(json_string_value(json_object_get(pay, "address")), "新地址");
	json_decref(c);

	/* a save naming a change that is not this reporter's open one merges as before */
	form_escape(address, sizeof address, "原地址");
	snprintf(body, sizeof body,
	         "csrf=%s&over=%lld&name=%s&kind=maker_space&area=feiyun&status=operating&opened_on=2023-04-01"
	         "&total_area_m2=2000&incubation_area_m2=1500&contact=%s&address=%s",
	         reporter.csrf, cid + 100000, name, contact, address);
	assert_int_equal(http_request(srv.port, "POST", path, headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	c = open_change_of(id);
	pay = json_object_get(c, "payload");
	assert_string_equal(json_string_value(json_object_get(pay, "address")), "新地址"); /* left as in the record: kept */
	json_decref(c);
}

/* PUT replaces (required fields needed); PATCH changes what it names. */
static void test_put_and_patch(void **state)
{
	int st;
	json_t *j = call(&admin, "PUT", "/api/v1/bases/11", "{\"contact\":\"张三\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "name");
	json_decref(j);
	j = call(&admin, "PATCH", "/api/v1/bases/11", "{\"contact\":\"张三 13900000000\"}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "contact")), "张三 13900000000");
	assert_string_equal(json_string_value(json_object_get(j, "name")), "示例·飞云电商科创园");
	json_decref(j);
	j = call(&admin, "PATCH", "/api/v1/bases/11", "{\"area_changed_on\":\"2024-13-01\",\"total_area_m2\":1}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
}

/* The ids of a list answer, joined with commas, and its total. */
static char *listed_ids(const Login *l, const char *path, long long *total)
{
	int st;
	json_t *j = call(l, "GET", path, NULL, &st);
	if (st != 200)
		fail_msg("%s: status %d", path, st);
	*total = json_integer_value(json_object_get(j, "total"));
	char *out = calloc(1, 16 * 1024);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "items"), i, x)
		snprintf(out + strlen(out), 16 * 1024 - strlen(out), "%lld,", (long long)json_integer_value(json_object_get(x, "id")));
	json_decref(j);
	return out;
}

/* The list as it first opens (area and review status at most, default
 * order) is read through its own index-ordered statement; it gives the
 * same records in the same order, and the same total, as the generic
 * statement (forced here by a filter that keeps everything), for every
 * page, for the office and a reporter, with and without an area. */
static void test_plain_list_equals_generic(void **state)
{
	static const char *const kinds[] = {"bases", "operators", "funds", "investments", "projects", "firms"};
	static const char *const filters[] = {"", "area=feiyun&", "area=nanbin&", "review_status=approved&",
	                                      "area=feiyun&review_status=pending&"};
	const Login *who[] = {&admin, &reporter};
	int nonempty = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++)
			for (size_t w = 0; w < 2; w++)
				for (int offset = 0; offset < 12; offset += 5) {
					char plain[200], generic[240];
					snprintf(plain, sizeof plain, "/api/v1/%s?%slimit=5&offset=%d", kinds[k], filters[f], offset);
					snprintf(generic, sizeof generic, "/api/v1/%s?%slimit=5&offset=%d&%s=1900-01-01", kinds[k],
					         filters[f], offset, "from");
					long long t1, t2;
					char *a = listed_ids(who[w], plain, &t1), *b = listed_ids(who[w], generic, &t2);
					if (strcmp(a, b) != 0 || t1 != t2)
						fail_msg("%s: %s (total %lld), generic: %s (total %lld)", plain, a, t1, b, t2);
					nonempty += *a != 0;
					free(a);
					free(b);
				}
	assert_true(nonempty > 60);
}

static void test_list_filters_sort_paging(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/bases?kind=big_incubator", NULL, &st);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 4);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases?level=national", NULL, &st);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "name")),
	                    "示例·锦湖生物医药孵化器");
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases?q=%E5%A1%98%E4%B8%8B", NULL, &st); /* 塘下 */
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases?from=2024-01-01&to=2024-12-31&sort=total_area_m2&desc=1&limit=3", NULL, &st);
	json_t *items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 3);
	assert_true(json_integer_value(json_object_get(j, "total")) > 3);
	double prev = 1e12;
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) {
		double a = json_number_value(json_object_get(x, "total_area_m2"));
		assert_true(a <= prev);
		assert_true(strcmp(json_string_value(json_object_get(x, "opened_on")), "2024-01-01") >= 0);
		prev = a;
	}
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases?from=2024-02-30", NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* a reporter sees pending records of its own area only */
	j = call(&reporter, "GET", "/api/v1/bases?area=nanbin&review_status=pending", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&reporter, "GET", "/api/v1/bases?area=nanbin", NULL, &st);
	json_array_foreach(json_object_get(j, "items"), i, x)
		assert_string_equal(json_string_value(json_object_get(x, "review_status")), "approved");
	json_decref(j);
}

/* The form keeps what was typed and puts the error next to the field. */
static void test_form_keeps_input(void **state)
{
	char headers[512], body[1024];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", reporter.cookie);
	snprintf(body, sizeof body,
	         "csrf=%s&name=%%E6%%B5%%8B%%E8%%AF%%95%%E7%%A9%%BA%%E9%%97%%B4&kind=maker_space&area=feiyun&status=operating"
	         "&opened_on=2024-06-01&total_area_m2=%%E4%%B8%%89%%E4%%B8%%87&incubation_area_m2=2000",
	         reporter.csrf);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "value=\"测试空间\""));
	assert_non_null(strstr(r.body, "value=\"三万\""));
	const char *err = strstr(r.body, "id=\"e-total_area_m2\"");
	assert_non_null(err);
	assert_non_null(strstr(err, "应为数字"));
	assert_non_null(strstr(r.body, "有 1 处需要修改"));
	response_free(&r);
}

/* A reporter's new base (pending); its id. */
static long long new_pending_base(const char *name)
{
	char body[512];
	snprintf(body, sizeof body,
	         "{\"name\":\"%s\",\"kind\":\"maker_space\",\"area\":\"feiyun\",\"status\":\"operating\","
	         "\"opened_on\":\"2024-04-01\",\"total_area_m2\":\"1,500\",\"incubation_area_m2\":\"0.1万\"}", name);
	int st;
	json_t *j = call(&reporter, "POST", "/api/v1/bases", body, &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	assert_true(json_real_value(json_object_get(j, "incubation_area_m2")) == 1000 ||
	            json_integer_value(json_object_get(j, "incubation_area_m2")) == 1000); /* "0.1万" read as 1000 ㎡ */
	json_decref(j);
	return id;
}

static const char *review_status_of(long long id)
{
	static char st_out[32];
	char path[64];
	int st;
	snprintf(path, sizeof path, "/api/v1/bases/%lld", id);
	json_t *j = call(&admin, "GET", path, NULL, &st);
	snprintf(st_out, sizeof st_out, "%s", json_string_value(json_object_get(j, "review_status")));
	json_decref(j);
	return st_out;
}

static Response batch(const char *items, const char *rest)
{
	char headers[512], body[1024];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", admin.cookie);
	snprintf(body, sizeof body, "csrf=%s&%s&%s", admin.csrf, items, rest);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/review/batch", headers, body, strlen(body), &r), 0);
	return r;
}

/* 审核: checkboxes and one action for many; each item reviewed on its own. */
static void test_batch_review(void **state)
{
	long long a = new_pending_base("批量审核甲"), b = new_pending_base("批量审核乙");
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/review", NULL, &r), 0);
	char want[64];
	snprintf(want, sizeof want, "value=\"bases:%lld\" form=\"batch\"", a);
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "action=\"/review/batch\""));
	response_free(&r);

	char items[128];
	snprintf(items, sizeof items, "item=bases%%3A%lld&item=bases%%3A%lld", a, b);
	r = batch(items, "action=return");
	assert_int_equal(r.status, 400); /* a return needs its reason */
	assert_non_null(strstr(r.body, "退回原因"));
	response_free(&r);
	assert_string_equal(review_status_of(a), "pending");

	r = batch(items, "action=return&batch-note=%E8%AF%B7%E8%A1%A5%E5%85%85%E5%9C%B0%E5%9D%80"); /* 请补充地址 */
	assert_int_equal(r.status, 303);
	char *loc = response_header(&r, "Location");
	assert_non_null(strstr(loc, "/review?done="));
	free(loc);
	response_free(&r);
	assert_string_equal(review_status_of(a), "returned");
	assert_string_equal(review_status_of(b), "returned");

	/* one pending, one no longer pending: one done, the other said why */
	long long c = new_pending_base("批量审核丙");
	snprintf(items, sizeof items, "item=bases%%3A%lld&item=bases%%3A%lld", c, a);
	r = batch(items, "action=approve");
	assert_int_equal(r.status, 303);
	loc = response_header(&r, "Location");
	assert_non_null(loc);
	assert_non_null(strstr(loc, "1%20%E9%A1%B9"));                  /* "已通过 1 项" */
	assert_non_null(strstr(loc, "%E6%9C%AA%E5%A4%84%E7%90%86"));   /* "未处理" */
	free(loc);
	response_free(&r);
	assert_string_equal(review_status_of(c), "approved");
	assert_string_equal(review_status_of(a), "returned");

	r = batch("item=nope", "action=approve");
	assert_int_equal(r.status, 303); /* nothing done, and said so */
	response_free(&r);
	r = batch("x=1", "action=approve");
	assert_int_equal(r.status, 400); /* nothing chosen */
	response_free(&r);
}

/* 审核 at scale: the queue is read a page at a time, filtered by kind and by
 * area, with how many wait in all; page and API agree; an unknown kind or
 * area is a 400 naming it; the batch form returns to the tab, filter and
 * page it came from, and to nothing but the queue. */
static void test_review_pages_and_filters(void **state)
{
	for (int i = 0; i < 3; i++) {
		char name[64];
		snprintf(name, sizeof name, "分页审核%d", i);
		new_pending_base(name);
	}
	int st;
	json_t *all = call(&admin, "GET", "/api/v1/review?limit=1000", NULL, &st);
	assert_int_equal(st, 200);
	int total = (int)json_integer_value(json_object_get(all, "records_total"));
	assert_true(total >= 3);
	assert_int_equal((int)json_array_size(json_object_get(all, "records")), total);
	int bases = 0, feiyun = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(all, "records"), i, x) {
		bases += strcmp(json_string_value(json_object_get(x, "kind")), "bases") == 0;
		feiyun += strcmp(json_string_value(json_object_get(x, "area")), "feiyun") == 0;
	}
	/* two at a time: the second page is the third and fourth of the whole list */
	json_t *two = call(&admin, "GET", "/api/v1/review?limit=2&offset=2", NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal((int)json_array_size(json_object_get(two, "records")), total - 2 < 2 ? total - 2 : 2);
	assert_int_equal((int)json_integer_value(json_object_get(two, "records_total")), total);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(two, "records"), 0), "id")),
	                 json_integer_value(json_object_get(json_array_get(json_object_get(all, "records"), 2), "id")));
	json_decref(two);
	json_t *k = call(&admin, "GET", "/api/v1/review?kind=bases&limit=1000", NULL, &st);
	assert_int_equal((int)json_integer_value(json_object_get(k, "records_total")), bases);
	json_array_foreach(json_object_get(k, "records"), i, x)
		assert_string_equal(json_string_value(json_object_get(x, "kind")), "bases");
	json_decref(k);
	json_t *a = call(&admin, "GET", "/api/v1/review?area=feiyun&limit=1000", NULL, &st);
	assert_int_equal((int)json_integer_value(json_object_get(a, "records_total")), feiyun);
	json_array_foreach(json_object_get(a, "records"), i, x)
		assert_string_equal(json_string_value(json_object_get(x, "area")), "feiyun");
	json_decref(a);
	json_decref(all);
	json_t *bad = call(&admin, "GET", "/api/v1/review?kind=moon", NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(bad, "error"), "code")), "bad_kind");
	json_decref(bad);
	bad = call(&admin, "GET", "/api/v1/review?area=atlantis", NULL, &st);
	assert_int_equal(st, 400);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(bad, "error"), "message")), "atlantis"));
	json_decref(bad);

	/* the page: two a page, the second page says where it is and links back */
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/review?show=records&limit=2&page=2", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	char want[96];
	snprintf(want, sizeof want, "新登记（共 %d 项，第 3–4 项）", total);
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "rel=\"prev\""));
	assert_non_null(strstr(r.body, "name=\"back\" value=\"/review?show=records&amp;limit=2&amp;page=2\""));
	response_free(&r);
	/* the pager, the tabs and the way back keep every filter and the page
	 * size (the pager dropped limit=: page 2 of 2 a page led to page 1 of 50) */
	assert_true(bases >= 3 && feiyun >= 3);
	assert_int_equal(http_as(srv.port, &admin, "GET", "/review?show=records&kind=bases&area=feiyun&limit=1&page=2", NULL, &r),
	                 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "href=\"/review?show=records&amp;kind=bases&amp;area=feiyun&amp;limit=1\" rel=\"prev\""));
	assert_non_null(strstr(r.body, "href=\"/review?show=records&amp;kind=bases&amp;area=feiyun&amp;limit=1&amp;page=3\" rel=\"next\""));
	assert_non_null(strstr(r.body, "href=\"/review?show=changes&amp;kind=bases&amp;area=feiyun&amp;limit=1\""));
	assert_non_null(strstr(r.body, "value=\"/review?show=records&amp;kind=bases&amp;area=feiyun&amp;limit=1&amp;page=2\""));
	assert_non_null(strstr(r.body, "<option value=\"1\" selected>1 项</option>"));
	response_free(&r);
	/* without limit=, each tab keeps its own size and the links name none */
	assert_int_equal(http_as(srv.port, &admin, "GET", "/review?show=records&kind=bases", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "limit="));
	assert_non_null(strstr(r.body, "<option value=\"\">默认（50 项）</option>"));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &admin, "GET", "/review?kind=funds&area=atlantis", NULL, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "atlantis"));
	response_free(&r);

	/* the batch goes back where it came from, and only into the queue */
	long long one = new_pending_base("分页审核返回");
	char items[64];
	snprintf(items, sizeof items, "item=bases%%3A%lld", one);
	r = batch(items, "action=approve&back=%2Freview%3Fshow%3Drecords%26kind%3Dbases%26page%3D2");
	assert_int_equal(r.status, 303);
	char *loc = response_header(&r, "Location");
	assert_non_null(strstr(loc, "/review?show=records&kind=bases&page=2&done="));
	free(loc);
	response_free(&r);
	one = new_pending_base("分页审核外链");
	snprintf(items, sizeof items, "item=bases%%3A%lld", one);
	r = batch(items, "action=approve&back=https%3A%2F%2Fexample.org%2F");
	assert_int_equal(r.status, 303);
	loc = response_header(&r, "Location");
	assert_non_null(strstr(loc, "/review?done="));
	assert_null(strstr(loc, "example.org"));
	free(loc);
	response_free(&r);
}

/* 多选 as checkboxes: each checked box a value; none checked clears the field. */
static void test_checkboxes(void **state)
{
	char headers[512], body[1024];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", admin.cookie);
	snprintf(body, sizeof body,
	         "csrf=%s&name=%%E5%%A4%%9A%%E9%%80%%89%%E6%%B5%%8B%%E8%%AF%%95&kind=maker_space&area=feiyun&status=operating" /* 多选测试 */
	         "&opened_on=2024-06-01&total_area_m2=2000&incubation_area_m2=1000&facilities=&facilities=%s&facilities=%s",
	         admin.csrf, "commerce", "reading_room");
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
	if (r.status != 303)
		fail_msg("POST /bases/new: %d %.300s", r.status, strstr(r.body, "field-error\"") ? strstr(r.body, "field-error\"") : r.body);
	char *loc = response_header(&r, "Location");
	char path[96];
	snprintf(path, sizeof path, "/api/v1%s", loc);
	free(loc);
	response_free(&r);
	int st;
	json_t *j = call(&admin, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(j, "facilities")), 2);
	json_decref(j);

	/* codes typed in one text, separated as people write them: ',' '，' '、' */
	j = call(&admin, "PATCH", path, "{\"facilities\":\"commerce，reading_room、cafe, \"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	j = call(&admin, "GET", path, NULL, &st);
	json_t *fac = json_object_get(j, "facilities");
	assert_int_equal(json_array_size(fac), 3);
	assert_string_equal(json_string_value(json_array_get(fac, 0)), "commerce");
	assert_string_equal(json_string_value(json_array_get(fac, 1)), "reading_room");
	assert_string_equal(json_string_value(json_array_get(fac, 2)), "cafe");
	json_decref(j);
	/* a wrong one is named whole, never cut at a byte of '，' or '、' */
	j = call(&admin, "PATCH", path, "{\"facilities\":\"commerce、会议室\"}", &st);
	assert_int_equal(st, 400);
	const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
	if (!msg || !strstr(msg, "会议室"))
		fail_msg("the bad code not named whole: %s", msg ? msg : "(none)");
	json_decref(j);
}

/* Percent-encodes s for a form body. */
static void form_enc(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < cap; p++) {
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_')
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, cap - o, "%%%02X", *p);
	}
	out[o] = 0;
}

/* 运营机构 chosen by name from a picker (issue 15 / UI.md "Choosing, not
 * typing codes"): the form offers names, takes a name, shows the name back;
 * a name that is not there is refused naming it; the list filters by name. */
static void test_reference_picker(void **state)
{
	int st;
	json_t *ops = call(&admin, "GET", "/api/v1/operators?limit=1", NULL, &st);
	assert_int_equal(st, 200);
	json_t *op = json_array_get(json_object_get(ops, "items"), 0);
	assert_non_null(op);
	char opname[256];
	snprintf(opname, sizeof opname, "%s", json_string_value(json_object_get(op, "name")));
	long long opid = json_integer_value(json_object_get(op, "id"));
	json_decref(ops);

	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/bases/new", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<label for=\"f-operator_id\">运营机构</label>")); /* no "编号" */
	assert_non_null(strstr(r.body, "list=\"dl-operator_id\""));
	assert_non_null(strstr(r.body, "<datalist id=\"dl-operator_id\">"));
	char opt[320];
	snprintf(opt, sizeof opt, "<option value=\"%s\">", opname);
	assert_non_null(strstr(r.body, opt));
	const char *box = strstr(r.body, "id=\"f-operator_id\"");
	assert_non_null(box);
	const char *mode = strstr(box, "inputmode="), *close = strchr(box, '>');
	assert_true(!mode || mode > close); /* a name to search, not a number pad */
	response_free(&r);

	char headers[512], body[2048], enc[768];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", admin.cookie);
	form_enc(enc, sizeof enc, opname);
	snprintf(body, sizeof body,
	         "csrf=%s&name=%%E9%%80%%89%%E6%%8B%%A9%%E6%%B5%%8B%%E8%%AF%%95&kind=maker_space&area=feiyun&status=operating" /* 选择测试 */
	         "&opened_on=2024-06-01&total_area_m2=2000&incubation_area_m2=1000&operator_id=%s",
	         admin.csrf, enc);
	assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
	if (r.status != 303)
		fail_msg("POST /bases/new with an operator's name: %d %.300s", r.status,
		         strstr(r.body, "field-error\"") ? strstr(r.body, "field-error\"") : r.body);
	char *loc = response_header(&r, "Location");
	char path[96], api[128];
	snprintf(path, sizeof path, "%.*s", (int)strcspn(loc, "?"), loc);
	snprintf(api, sizeof api, "/api/v1%s", path);
	free(loc);
	response_free(&r);
	json_t *j = call(&admin, "GET", api, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "operator_id")), opid);
	json_decref(j);

	/* the edit form shows the name, not the number */
	snprintf(api, sizeof api, "%s/edit", path);
	assert_int_equal(http_as(srv.port, &admin, "GET", api, NULL, &r), 0);
	char val[320];
	snprintf(val, sizeof val, "id=\"f-operator_id\" name=\"operator_id\" type=\"search\" value=\"%s\"", opname);
	if (!strstr(r.body, val))
		fail_msg("the edit form does not show the operator's name (%s, %d): %.300s", api, r.status, strstr(r.body, "f-operator_id") ? strstr(r.body, "f-operator_id") : r.body);
	response_free(&r);

	/* a name that is not there: refused, repeating it */
	snprintf(body, sizeof body,
	         "csrf=%s&name=%%E9%%80%%89%%E6%%8B%%A9%%E6%%B5%%8B%%E8%%AF%%95%%E4%%BA%%8C&kind=maker_space&area=feiyun&status=operating"
	         "&opened_on=2024-06-01&total_area_m2=2000&incubation_area_m2=1000&operator_id=%%E6%%B2%%A1%%E6%%9C%%89%%E8%%BF%%99%%E5%%AE%%B6", /* 没有这家 */
	         admin.csrf);
	assert_int_equal(http_request(srv.port, "POST", "/bases/new", headers, body, strlen(body), &r), 0);
	assert_int_not_equal(r.status, 303);
	assert_non_null(strstr(r.body, "没有名为“没有这家”的运营机构"));
	response_free(&r);

	/* the API takes the name too, and still the number */
	snprintf(body, sizeof body, "{\"operator_id\":\"%s\"}", opname);
	snprintf(api, sizeof api, "/api/v1%s", path);
	j = call(&admin, "PATCH", api, body, &st);
	assert_int_equal(st, 200);
	json_decref(j);

	/* the investments' list filters by a fund chosen by name */
	assert_int_equal(http_as(srv.port, &admin, "GET", "/investments", NULL, &r), 0);
	const char *sel = strstr(r.body, "<select id=\"q-fund_id\" name=\"fund_id\">");
	assert_non_null(sel);
	assert_non_null(strstr(r.body, "<label for=\"q-fund_id\">基金</label>"));
	assert_non_null(strstr(sel, "<option value=\"1\"")); /* a fund by its name, its id the value */
	response_free(&r);
}

/* A reporter's list, city-wide and approved only, says what of their own
 * was returned or waits, and links to it (issue 15, item 1). */
static void test_reporter_list_points_to_returned(void **state)
{
	int st;
	json_t *j = call(&reporter, "POST", "/api/v1/bases",
	                 "{\"name\":\"退回提示测试\",\"kind\":\"maker_space\",\"area\":\"feiyun\",\"status\":\"operating\",\"opened_on\":\"2024-09-09\",\"total_area_m2\":100,\"incubation_area_m2\":50}", &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/bases/%lld/review", id);
	j = call(&admin, "POST", path, "{\"action\":\"return\",\"note\":\"请补充\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &reporter, "GET", "/bases", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	const char *notice = strstr(r.body, "id=\"mine-returned\"");
	if (!notice)
		fail_msg("no pointer to the returned records on the reporter's list");
	assert_non_null(strstr(notice, "href=\"/bases?area=feiyun&amp;review_status=returned\""));
	response_free(&r);
	/* the link's list has it */
	assert_int_equal(http_as(srv.port, &reporter, "GET", "/bases?area=feiyun&review_status=returned", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "退回提示测试"));
	response_free(&r);
	/* the office's list has no such line */
	assert_int_equal(http_as(srv.port, &admin, "GET", "/bases", NULL, &r), 0);
	assert_null(strstr(r.body, "id=\"mine-returned\""));
	response_free(&r);
}

static void test_delete(void **state)
{
	int st;
	json_t *j = call(&admin, "DELETE", "/api/v1/bases/10", NULL, &st);
	assert_int_equal(st, 409);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "支基金"));
	json_decref(j);
	j = call(&reporter, "POST", "/api/v1/bases",
	         "{\"name\":\"待删除\",\"kind\":\"maker_space\",\"area\":\"feiyun\",\"status\":\"planned\",\"opened_on\":\"2024-09-09\",\"total_area_m2\":100,\"incubation_area_m2\":50}", &st);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/bases/%lld", id);
	j = call(&reporter, "DELETE", path, NULL, &st);
	assert_int_equal(st, 200); /* not yet approved: its reporter may delete it */
	json_decref(j);
	j = call(&admin, "GET", path, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/audit?kind=bases&id=%lld", id);
	j = call(&admin, "GET", path, NULL, &st);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "action")), "delete");
	json_decref(j);
	j = call(&reporter, "DELETE", "/api/v1/bases/11", NULL, &st);
	assert_int_equal(st, 403); /* approved: only the office */
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation_names_the_field),
		cmocka_unit_test(test_review_then_progress_rises),
		cmocka_unit_test(test_batch_review),
		cmocka_unit_test(test_review_pages_and_filters),
		cmocka_unit_test(test_checkboxes),
		cmocka_unit_test(test_proposed_change_keeps_the_record),
		cmocka_unit_test(test_edit_form_shows_own_proposal),
		cmocka_unit_test(test_put_and_patch),
		cmocka_unit_test(test_list_filters_sort_paging),
		cmocka_unit_test(test_plain_list_equals_generic),
		cmocka_unit_test(test_form_keeps_input),
		cmocka_unit_test(test_reference_picker),
		cmocka_unit_test(test_reporter_list_points_to_returned),
		cmocka_unit_test(test_delete),
	};
	return cmocka_run_group_tests_name("registry", tests, setup, teardown);
}
