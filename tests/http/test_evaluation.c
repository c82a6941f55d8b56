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
static Login admin, binhai, binhai_base;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "binhai_reporter", "area", "binhai");
	server_add_user(&srv, "binhai_base", "base", "3");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "binhai_reporter", TEST_USER_PASSWORD, &binhai) ||
	    http_login(srv.port, "binhai_base", TEST_USER_PASSWORD, &binhai_base))
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
	assert_string_equal(json_string_value(json_object_get(area, "gap")), "还差 3.2 万㎡"); /* 18,000 of 50,000 */
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

/* A verdict's note of 2,000 characters reaches the audit trail whole: the
 * row is written with jansson (it was a 512-byte printf buffer that cut the
 * note and left invalid JSON, shown by `hatchery audit --json` as null). */
static void test_verdict_long_note_audited_whole(void **state)
{
	char note[2000 * 3 + 1];
	size_t n = 0;
	for (int i = 0; i < 2000; i++) {
		const char *c = i % 10 == 9 ? "\"" : i % 2 ? "核" : "a"; /* quotes, CJK, ASCII */
		memcpy(note + n, c, strlen(c));
		n += strlen(c);
	}
	note[n] = 0;
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "rule_set", "qigeyi", "rule_id", "qigeyi-3",
	                         "verdict", "fail", "note", note);
	char *text = json_dumps(body, JSON_COMPACT);
	int st;
	json_t *j = call(&admin, "POST", "/api/v1/bases/4/verdicts", text, &st);
	assert_int_equal(st, 200);
	json_decref(j);
	free(text);
	json_decref(body);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "'%s' audit --db '%s' --kind rule_verdicts --json", getenv("HATCHERY_BIN"), srv.db);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	while (getline(&line, &cap, p) > 0) {
		json_error_t e;
		json_t *row = json_loads(line, 0, &e);
		assert_non_null(row);
		if (!strcmp(json_string_value(json_object_get(row, "record_id")), "4/qigeyi/qigeyi-3")) {
			json_t *after = json_object_get(row, "after");
			assert_true(json_is_object(after));
			assert_string_equal(json_string_value(json_object_get(after, "note")), note);
			assert_string_equal(json_string_value(json_object_get(after, "verdict")), "fail");
			found = 1;
		}
		json_decref(row);
	}
	free(line);
	assert_int_equal(pclose(p), 0);
	assert_true(found);
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
	j = call(&admin, "GET", "/api/v1/bases/20/evaluation?rules=national-incubator-2018&as_of=2025-06-01", NULL, &st);
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
	/* opened 2022-02-20: three years full on 2025-02-20 (民法典 第二百零二条) */
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?rules=national-incubator-2018", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(j, "as_of")), "2024-12-31"); /* the plan's last day */
	assert_non_null(strstr(json_string_value(json_object_get(rule_of(j, "operating"), "gap")), "2025-02-20 期满"));
	assert_string_equal(json_string_value(json_object_get(rule_of(j, "graduates"), "result")), "pass"); /* 20: on it */
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?rules=national-incubator-2018&as_of=2025-02-19", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(rule_of(j, "operating"), "result")), "fail");
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?rules=national-incubator-2018&as_of=2025-02-20", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(rule_of(j, "operating"), "result")), "pass");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "rule_sets"), 0), "failed")), 0);
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

/* Apply (the base), endorse (its area), file (the office): the filing
 * counts toward the target from its date. */
static void test_recognition_journey(void **state)
{
	double before = demo_bases_actual(2024);
	int st;
	json_t *j = call(&binhai_base, "POST", "/api/v1/bases/3/recognitions", "{\"level\":\"demonstration\"}", &st);
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

static json_t *set_of(json_t *eval, const char *code)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(eval, "rule_sets"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "rule_set")), code))
			return x;
	return NULL;
}

static int names_set(json_t *arr, const char *code)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "rule_set")), code))
			return 1;
	return 0;
}

/* A maker space is judged by the maker-space sets only; an incubator by
 * the incubator sets in force; the matrix says 不适用 for the rest. */
static void test_sets_by_kind(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/bases/16/evaluation", NULL, &st); /* 安阳文创众创空间, 3,000 m² */
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "maker_space");
	assert_non_null(set_of(j, "national-makerspace-2017"));
	assert_non_null(set_of(j, "zhejiang-makerspace-2021"));
	assert_null(set_of(j, "qigeyi"));
	assert_null(set_of(j, "national-incubator-2018"));
	assert_true(names_set(json_object_get(j, "not_applied"), "qigeyi"));
	json_decref(j);
	/* asked by name, it is evaluated and says it does not apply */
	j = call(&admin, "GET", "/api/v1/bases/16/evaluation?rules=qigeyi", NULL, &st);
	assert_false(json_is_true(json_object_get(set_of(j, "qigeyi"), "applies")));
	json_decref(j);
	/* an incubator as of 2021-10-30 and 2021-10-31: Wenzhou's 2018 trial rules, then 温科发〔2021〕31号 */
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?as_of=2021-10-30", NULL, &st);
	assert_non_null(set_of(j, "wenzhou-incubator-2018"));
	assert_null(set_of(j, "wenzhou-incubator-2021"));
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?as_of=2021-10-31", NULL, &st);
	assert_null(set_of(j, "wenzhou-incubator-2018"));
	assert_non_null(set_of(j, "wenzhou-incubator-2021"));
	json_decref(j);
	/* a specialised incubator (上望, base 23) gets the specialised sets */
	j = call(&admin, "GET", "/api/v1/bases/23/evaluation", NULL, &st);
	assert_non_null(set_of(j, "national-incubator-2018-specialised"));
	assert_null(set_of(j, "national-incubator-2018"));
	json_t *only = json_pack("{s:[O]}", "rule_sets", set_of(j, "national-incubator-2018-specialised"));
	assert_non_null(rule_of(only, "staff-share"));
	json_decref(only);
	json_decref(j);
	/* the matrix: a maker space has no 七个一 result */
	j = call(&admin, "GET", "/api/v1/evaluation", NULL, &st);
	size_t i;
	json_t *x;
	int seen = 0;
	json_array_foreach(json_object_get(j, "items"), i, x)
		if (json_integer_value(json_object_get(x, "base_id")) == 16) {
			seen = 1;
			assert_null(json_object_get(json_object_get(x, "results"), "qigeyi"));
			assert_non_null(json_object_get(json_object_get(x, "results"), "national-makerspace-2017"));
		}
	assert_true(seen);
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/evaluation", NULL, &r), 0);
	assert_non_null(strstr(r.body, "不适用"));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &admin, "GET", "/bases/16/evaluation", NULL, &r), 0);
	assert_non_null(strstr(r.body, "不适用的规则集"));
	assert_non_null(strstr(r.body, "基地类型不适用"));
	response_free(&r);
}

/* Evaluated as of a day, every dated record counts only from its date:
 * the own fund's investments, firms entering and graduating. */
static void test_as_of_respects_dates(void **state)
{
	int st;
	/* 安阳's seed fund invested first on 2022-09-15 */
	json_t *j = call(&admin, "GET", "/api/v1/bases/17/evaluation?rules=national-incubator-2018&as_of=2022-09-14", NULL, &st);
	assert_true(json_number_value(json_object_get(rule_of(j, "financed-cases"), "value")) == 0);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?rules=national-incubator-2018&as_of=2022-09-15", NULL, &st);
	assert_true(json_number_value(json_object_get(rule_of(j, "financed-cases"), "value")) == 1);
	json_decref(j);
	/* before the base opened: no firms yet, no area */
	j = call(&admin, "GET", "/api/v1/bases/17/evaluation?rules=national-incubator-2018&as_of=2022-02-19", NULL, &st);
	assert_true(json_number_value(json_object_get(rule_of(j, "area"), "value")) == 0);
	assert_string_equal(json_string_value(json_object_get(rule_of(j, "operating"), "result")), "unknown");
	json_decref(j);
	/* 经开区激光光电加速器 grew by 25,000 m² on 2022-09-01 */
	j = call(&admin, "GET", "/api/v1/bases/5/evaluation?rules=qigeyi&as_of=2022-08-31", NULL, &st);
	assert_true(json_number_value(json_object_get(rule_of(j, "qigeyi-1a"), "value")) == 30000);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/5/evaluation?rules=qigeyi&as_of=2022-09-01", NULL, &st);
	assert_true(json_number_value(json_object_get(rule_of(j, "qigeyi-1a"), "value")) == 55000);
	json_decref(j);
	/* a fund set up later does not count: 滨海新能源创投基金 (2023-04-01) inside base 3 */
	j = call(&admin, "GET", "/api/v1/bases/3/evaluation?rules=qigeyi&as_of=2023-03-31", NULL, &st);
	assert_true(json_number_value(json_object_get(rule_of(j, "qigeyi-6a"), "value")) == 0);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/bases/3/evaluation?rules=qigeyi&as_of=2023-04-01", NULL, &st);
	assert_true(json_number_value(json_object_get(rule_of(j, "qigeyi-6a"), "value")) == 300e6);
	json_decref(j);
}

/* Item 10: the base says 103 firms, 59 in its leading industry; 7 are
 * registered, 6 of them leading: flagged, and not 达标 on 6 of 7. */
static void test_two_sources_flagged(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/bases/1/evaluation?rules=qigeyi", NULL, &st);
	json_t *q4 = rule_of(j, "qigeyi-4");
	assert_string_equal(json_string_value(json_object_get(q4, "result")), "unknown");
	assert_non_null(strstr(json_string_value(json_object_get(q4, "conflict")), "基地当前填报在孵企业 103 家"));
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/bases/1/evaluation", NULL, &r), 0);
	assert_non_null(strstr(r.body, "class=\"conflict\""));
	assert_non_null(strstr(r.body, "登记少于填报"));
	response_free(&r);
}

/* Items 5 and 6: 龙头企业 count only in the 六比 figure; correcting a base's
 * opening date moves its opening floor area to the new year. */
static double actual(const char *query, const char *indicator)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/progress?%s", query);
	int st;
	json_t *j = call(NULL, "GET", path, NULL, &st);
	double v = -1;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "indicators"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "indicator")), indicator))
			v = json_number_value(json_object_get(x, "actual"));
	json_decref(j);
	return v;
}

static void test_operators_and_opening(void **state)
{
	/* 示例·上望新材料集团孵化中心 (a 龙头企业, 2024-02-01) */
	assert_true(actual("year=2024&kind=competition", "race_operators") == actual("year=2024", "operators") + 1);
	assert_true(actual("year=2023&kind=competition", "race_operators") == actual("year=2023", "operators"));
	/* 江南科创孵化器 (base 38, 10,000 m², opened 2019-08-01) is corrected to 2022-03-01 */
	double before = actual("year=2022&area=jiangnan", "area_added");
	int st;
	json_t *j = call(&admin, "PATCH", "/api/v1/bases/38", "{\"opened_on\":\"2022-03-01\"}", &st);
	if (st != 200) {
		char *d = json_dumps(j, JSON_COMPACT);
		fail_msg("PATCH: %d %s", st, d);
	}
	json_decref(j);
	assert_true(actual("year=2022&area=jiangnan", "area_added") == before + 10000);
	/* and back: the area leaves 2022 again */
	j = call(&admin, "PATCH", "/api/v1/bases/38", "{\"opened_on\":\"2019-08-01\"}", &st);
	json_decref(j);
	assert_int_equal(st, 200);
	assert_true(actual("year=2022&area=jiangnan", "area_added") == before);
}

/* 标准出处: every rule with its document, article, date and verbatim or not. */
static void test_sources_page(void **state)
{
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/sources", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "国科发区〔2018〕300号"));
	assert_non_null(strstr(r.body, "温科发〔2021〕31号"));
	assert_non_null(strstr(r.body, "浙科发高〔2021〕24号"));
	assert_non_null(strstr(r.body, "第七条第3项"));
	assert_non_null(strstr(r.body, "转述"));
	assert_non_null(strstr(r.body, "瑞政办〔2022〕52号"));
	assert_non_null(strstr(r.body, "新增孵化场地面积"));
	assert_non_null(strstr(r.body, "未核实"));
	response_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qigeyi_of_a_demo_base),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_verdict_long_note_audited_whole),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_one_rule_away),
		cmocka_unit_test(test_recognition_journey),
		cmocka_unit_test(test_rubric),
		cmocka_unit_test(test_sets_by_kind),
		cmocka_unit_test(test_as_of_respects_dates),
		cmocka_unit_test(test_two_sources_flagged),
		cmocka_unit_test(test_operators_and_opening),
		cmocka_unit_test(test_sources_page),
	};
	return cmocka_run_group_tests_name("evaluation", tests, setup, teardown);
}
