/*
 * test_evaluation.c — evaluation over the real server: the 七个一 of a demo
 * base with its gaps and judged rules; a reviewer's verdict; annual figures
 * changing a result; the matrix finding the base one rule short of national
 * recognition; and the recognition journey (apply, endorse, file) raising
 * the demonstration-bases figure from the filing date.
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
static Login admin, binhai;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "binhai_reporter", "area", "binhai");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "binhai_reporter", TEST_USER_PASSWORD, &binhai))
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
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	response_free(&r);
	return j;
}

static json_t *rule_of(json_t *eval, const char *id)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(json_array_get(json_object_get(eval, "rule_sets"), 0), "rules"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "id")), id))
			return x;
	return NULL;
}

/* 示例·滨海新能源大孵化器 (base 3) sits exactly on the 七个一's floor-area thresholds. */
static void test_qigeyi_of_a_demo_base(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/bases/3/evaluation?rules=qigeyi", NULL, &st);
	assert_int_equal(st, 200);
	json_t *a = rule_of(j, "qigeyi-1a"), *b = rule_of(j, "qigeyi-1b"), *judged = rule_of(j, "qigeyi-3");
	assert_true(json_number_value(json_object_get(a, "value")) == 50000);
	assert_string_equal(json_string_value(json_object_get(a, "result")), "pass"); /* 5万平方米以上: on it passes */
	assert_true(json_number_value(json_object_get(b, "value")) == 35000);
	assert_string_equal(json_string_value(json_object_get(b, "result")), "pass");
	assert_string_equal(json_string_value(json_object_get(judged, "result")), "unknown");
	json_decref(j);
	/* a base without a platform fails rule 5, with the gap said */
	j = call(&admin, "GET", "/api/v1/bases/22/evaluation?rules=qigeyi", NULL, &st);
	json_t *p = rule_of(j, "qigeyi-5"), *area = rule_of(j, "qigeyi-1a");
	assert_string_equal(json_string_value(json_object_get(p, "result")), "fail");
	assert_string_equal(json_string_value(json_object_get(area, "gap")), "还差 32,000 ㎡"); /* 18,000 of 50,000 */
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/3/evaluation?rules=nope", NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
}

static void test_verdict(void **state)
{
	int st;
	json_t *j = call(&admin, "POST", "/api/v1/bases/3/verdicts",
	                 "{\"rule_set\":\"qigeyi\",\"rule_id\":\"qigeyi-3\",\"verdict\":\"pass\"}", &st);
	assert_int_equal(st, 400); /* a verdict needs its note */
	json_decref(j);
	j = call(&admin, "POST", "/api/v1/bases/3/verdicts",
	         "{\"rule_set\":\"qigeyi\",\"rule_id\":\"qigeyi-1a\",\"verdict\":\"pass\",\"note\":\"x\"}", &st);
	assert_int_equal(st, 400); /* an automatic rule takes no verdict */
	json_decref(j);
	j = call(&admin, "POST", "/api/v1/bases/3/verdicts",
	         "{\"rule_set\":\"qigeyi\",\"rule_id\":\"qigeyi-3\",\"verdict\":\"pass\",\"note\":\"引进青年人才团队 12 个,已核查名单\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/3/evaluation?rules=qigeyi", NULL, &st);
	json_t *judged = rule_of(j, "qigeyi-3");
	assert_string_equal(json_string_value(json_object_get(judged, "result")), "pass");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(judged, "verdict"), "note")), "已核查"));
	json_decref(j);
}

/* Annual figures feed the national rules; a bad figure is refused by name. */
static void test_figures(void **state)
{
	int st;
	json_t *j = call(&admin, "PUT", "/api/v1/bases/20/figures", "{\"year\":2025,\"figures\":{\"mentors\":-1}}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "mentors");
	json_decref(j);
	j = call(&admin, "PUT", "/api/v1/bases/20/figures", "{\"year\":2025,\"figures\":{\"moons\":1}}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* 锦湖 passes every national rule; with 2 mentors for its 55 firms it fails one */
	j = call(&admin, "GET", "/api/v1/bases/20/evaluation?rules=national-incubator-2018", NULL, &st);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "rule_sets"), 0), "failed")), 0);
	json_decref(j);
	j = call(&admin, "PUT", "/api/v1/bases/20/figures", "{\"year\":2025,\"figures\":{\"mentors\":2}}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/20/evaluation?rules=national-incubator-2018&as_of=2025-06-30", NULL, &st);
	json_t *m = rule_of(j, "mentors-per-10");
	assert_string_equal(json_string_value(json_object_get(m, "result")), "fail");
	assert_non_null(strstr(json_string_value(json_object_get(m, "source")), "2025"));
	json_decref(j);
	/* evaluated as of 2024 the 2025 figure does not count yet */
	j = call(&admin, "GET", "/api/v1/bases/20/evaluation?rules=national-incubator-2018&as_of=2024-12-31", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(rule_of(j, "mentors-per-10"), "result")), "pass");
	json_decref(j);
	j = call(&admin, "PUT", "/api/v1/bases/20/figures", "{\"year\":2025,\"figures\":{\"mentors\":null}}", &st);
	json_decref(j);
}

/* One click finds the base one rule short of national recognition. */
static void test_one_rule_away(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/evaluation?rules=national-incubator-2018&away=1", NULL, &st);
	assert_int_equal(st, 200);
	json_t *items = json_object_get(j, "items");
	if (json_array_size(items) != 1) {
		char *dump = json_dumps(items, JSON_COMPACT);
		fail_msg("one base expected: %s", dump);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "name")), "示例·安阳科技企业孵化器");
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?rules=national-incubator-2018", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(rule_of(j, "graduates"), "gap")), "还差 2 家");
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/evaluation?rules=national-incubator-2018&away=1", NULL, &r), 0);
	assert_non_null(strstr(r.body, "示例·安阳科技企业孵化器"));
	assert_non_null(strstr(r.body, "共 <strong id=\"total\">1</strong> 个基地"));
	response_free(&r);
}

static double demo_bases_actual(int year)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/progress?year=%d", year);
	int st;
	json_t *j = call(NULL, "GET", path, NULL, &st);
	double v = json_number_value(json_object_get(json_array_get(json_object_get(j, "indicators"), 0), "actual"));
	json_decref(j);
	return v;
}

/* Apply, endorse, file: the filing counts toward the target from its date. */
static void test_recognition_journey(void **state)
{
	double before = demo_bases_actual(2024);
	int st;
	json_t *j = call(&binhai, "POST", "/api/v1/bases/3/recognitions", "{\"level\":\"demonstration\"}", &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	j = call(&binhai, "POST", "/api/v1/bases/3/recognitions", "{\"level\":\"demonstration\"}", &st);
	assert_int_equal(st, 409); /* one open application per level */
	json_decref(j);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/recognitions/%lld/file", id);
	j = call(&admin, "POST", path, "{\"filed_on\":\"2024-11-01\"}", &st);
	assert_int_equal(st, 409); /* not endorsed yet */
	json_decref(j);
	j = call(&binhai, "POST", path, "{\"filed_on\":\"2024-11-01\"}", &st);
	assert_int_equal(st, 403); /* only the office files */
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/recognitions/%lld/endorse", id);
	j = call(&binhai, "POST", path, "{}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/recognitions/%lld/file", id);
	j = call(&admin, "POST", path, "{\"filed_on\":\"2024-13-01\"}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	assert_true(demo_bases_actual(2024) == before);
	j = call(&admin, "POST", path, "{\"filed_on\":\"2024-11-01\",\"document\":\"瑞科〔2024〕99号\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	assert_true(demo_bases_actual(2024) == before + 1);
	/* counted from the filing date: as of the day before, not yet */
	j = call(NULL, "GET", "/api/v1/progress?year=2024&as_of=2024-10-31", NULL, &st);
	double oct = json_number_value(json_object_get(json_array_get(json_object_get(j, "indicators"), 0), "actual"));
	json_decref(j);
	assert_true(oct == before - 1 || oct == before); /* the demo's own 2024 filing is dated 2024-10-30 */
	j = call(NULL, "GET", "/api/v1/progress?year=2024&as_of=2024-11-01", NULL, &st);
	double nov = json_number_value(json_object_get(json_array_get(json_object_get(j, "indicators"), 0), "actual"));
	json_decref(j);
	assert_true(nov == oct + 1);
	/* the overview shows it */
	Response r;
	assert_int_equal(http_as(srv.port, NULL, "GET", "/?year=2024", NULL, &r), 0);
	char want[64];
	snprintf(want, sizeof want, ">%.0f 个</a>", before + 1);
	assert_non_null(strstr(r.body, want));
	response_free(&r);
}

/* The office's rubric: points per rule, the score of the passed ones. */
static void test_rubric(void **state)
{
	int st;
	json_t *j = call(&admin, "PUT", "/api/v1/rules/wenzhou-incubator-2018/scores",
	                 "{\"operating\":10,\"premises\":10,\"area\":30,\"area-share\":20,\"firms\":30}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	j = call(&admin, "PUT", "/api/v1/rules/wenzhou-incubator-2018/scores", "{\"nope\":1}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	j = call(&admin, "PUT", "/api/v1/rules/wenzhou-incubator-2018/scores", "{\"area\":-3}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* 锦湖 (base 20): operating, premises (lease 10 years), area 14,000, share and 55 firms: all pass */
	j = call(&admin, "GET", "/api/v1/bases/20/evaluation?rules=wenzhou-incubator-2018", NULL, &st);
	json_t *set = json_array_get(json_object_get(j, "rule_sets"), 0);
	assert_true(json_number_value(json_object_get(set, "max_score")) == 100);
	assert_true(json_number_value(json_object_get(set, "score")) == 100);
	json_decref(j);
	/* a base without figures: the premises rule is unknown and scores nothing */
	j = call(&admin, "GET", "/api/v1/bases/1/evaluation?rules=wenzhou-incubator-2018", NULL, &st);
	set = json_array_get(json_object_get(j, "rule_sets"), 0);
	assert_true(json_number_value(json_object_get(set, "score")) <= 90);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qigeyi_of_a_demo_base),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_one_rule_away),
		cmocka_unit_test(test_recognition_journey),
		cmocka_unit_test(test_rubric),
	};
	return cmocka_run_group_tests_name("evaluation", tests, setup, teardown);
}
