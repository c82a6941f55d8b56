/*
 * test_tasks_http.c — the work system through the real server, its clock
 * pinned to 3 January 2025, 10:00 Beijing time (HATCHERY_NOW; the sample's
 * tasks are dated from that day): scopes (a department sees and answers its
 * own tasks and reads those it co-owns; an area answers the tasks of
 * 各镇街、功能区; others refused), the 督办单's steps over the API with
 * evidence, files refused by content (too large, wrong type, a renamed
 * executable, an SVG with script, HTML) and served never as HTML, the
 * supervision table, the agenda's figures and a decision becoming a task,
 * and `hatchery task list|remind`.
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
static Login admin, kjj, jxj, feiyun, leader, base10;

static int setup(void **state)
{
	(void)state;
	setenv("HATCHERY_NOW", "2025-01-03T10:00:00+08:00", 1);
	server_start(&srv, NULL);
	server_add_user(&srv, "kjj_clerk", "department", "kjj");
	server_add_user(&srv, "jxj_clerk", "department", "jxj");
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "leader", "viewer", NULL);
	server_add_user(&srv, "base10", "base", "10");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) || http_login(srv.port, "kjj_clerk", TEST_USER_PASSWORD, &kjj) ||
	    http_login(srv.port, "jxj_clerk", TEST_USER_PASSWORD, &jxj) ||
	    http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &feiyun) ||
	    http_login(srv.port, "leader", TEST_USER_PASSWORD, &leader) || http_login(srv.port, "base10", TEST_USER_PASSWORD, &base10))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
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
		fail_msg("%s %s: not JSON (%d): %s", method, path, r.status, r.body ? r.body : "");
	response_free(&r);
	return j;
}

static const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

/* The id of the task of a plan sub-clause. */
static long long task_id(const char *code)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/tasks?status=all", NULL, &st);
	assert_int_equal(st, 200);
	long long id = 0;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(j, "tasks"), i, t) {
		const char *c = json_string_value(json_object_get(t, "code"));
		if (c && !strcmp(c, code))
			id = json_integer_value(json_object_get(t, "id"));
	}
	json_decref(j);
	if (!id)
		fail_msg("no task %s", code);
	return id;
}

/* Uploads bytes as evidence; the status, the JSON answer in *out (caller decrefs). */
static int upload(const Login *l, long long task, const char *query, const void *data, size_t len, json_t **out)
{
	char headers[512], path[256];
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: application/octet-stream\r\n", l->cookie, l->csrf);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/attachments?%s", task, query);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", path, headers, data, len, &r), 0);
	int st = r.status;
	*out = json_loads(r.body ? r.body : "", 0, NULL);
	if (!*out)
		fail_msg("upload: not JSON (%d): %s", st, r.body ? r.body : "");
	response_free(&r);
	return st;
}

static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                                     0xff, 0xd9};

static void test_scopes(void **state)
{
	(void)state;
	int st;
	long long mentors = task_id("w5-3"), talents = task_id("w3-2"), facilities = task_id("w8-2");
	/* 市科技局 leads w5-3: in its list, red, 12 days over (due 2024-12-22) */
	json_t *j = call(&kjj, "GET", "/api/v1/tasks", NULL, &st);
	assert_int_equal(st, 200);
	int found = 0;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(j, "tasks"), i, t) {
		if (json_integer_value(json_object_get(t, "id")) == mentors) {
			found = 1;
			assert_string_equal(json_string_value(json_object_get(t, "lamp")), "red");
			assert_int_equal(json_integer_value(json_object_get(t, "days_overdue")), 12);
		}
		/* never a task 市科技局 has nothing to do with */
		assert_true(json_integer_value(json_object_get(t, "id")) != talents);
	}
	assert_true(found);
	json_decref(j);

	/* 市经信局 co-owns w5-3: reads it, may not report on it */
	char path[128];
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", mentors);
	j = call(&jxj, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	assert_false(json_is_true(json_object_get(j, "may_answer")));
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", mentors);
	j = call(&jxj, "POST", path, "{\"text\":\"配合单位的进展\"}", &st);
	assert_int_equal(st, 403);
	assert_string_equal(err_code(j), "not_lead");
	json_decref(j);
	j = call(&kjj, "POST", path, "{\"text\":\"已补充两家大孵化器的服务记录。\",\"percent\":80}", &st);
	assert_int_equal(st, 201);
	json_decref(j);
	j = call(&kjj, "POST", path, "{\"text\":\"x\",\"percent\":180}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "bad_percent");
	json_decref(j);

	/* neither may touch 人才新政 (市委组织部、市人力社保局) */
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", talents);
	j = call(&kjj, "GET", path, NULL, &st);
	assert_int_equal(st, 403);
	assert_string_equal(err_code(j), "forbidden_scope");
	json_decref(j);
	Response r;
	snprintf(path, sizeof path, "/tasks/%lld", talents);
	assert_int_equal(http_as(srv.port, &feiyun, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);
	/* leaders read all; a base user has no tasks at all */
	assert_int_equal(http_as(srv.port, &leader, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	j = call(&base10, "GET", "/api/v1/tasks", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);

	/* an area answers the tasks 各镇街、功能区 lead */
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", facilities);
	j = call(&feiyun, "POST", path, "{\"text\":\"飞云青年创业加速器路演厅已投用。\"}", &st);
	assert_int_equal(st, 201);
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", mentors);
	j = call(&feiyun, "POST", path, "{\"text\":\"配合\"}", &st);
	assert_int_equal(st, 403);
	json_decref(j);

	/* a result measured by a count of records: the office's task on projects */
	j = call(&admin, "GET", "/api/v1/tasks?status=done&q=%E7%A7%91%E5%88%9B%E9%A1%B9%E7%9B%AE", NULL, &st);
	assert_int_equal(st, 200);
	json_t *pt = json_array_get(json_object_get(j, "tasks"), 0);
	assert_non_null(pt);
	assert_string_equal(json_string_value(json_object_get(pt, "record_kind")), "projects");
	assert_true(json_integer_value(json_object_get(pt, "record_count")) > 100);
	json_decref(j);

	/* the page: a unit's own tasks first, the co-owned read-only */
	assert_int_equal(http_as(srv.port, &jxj, "GET", "/tasks", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "本单位牵头"));
	assert_non_null(strstr(r.body, "本单位配合"));
	assert_non_null(strstr(r.body, "lamp amber"));
	response_free(&r);
}

static void test_supervision_with_evidence(void **state)
{
	(void)state;
	int st;
	long long mentors = task_id("w5-3");
	char path[160], q[160];
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", mentors);
	json_t *j = call(&kjj, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	json_t *sups = json_object_get(j, "supervisions");
	assert_int_equal(json_array_size(sups), 2); /* two rounds */
	json_t *r2 = json_array_get(sups, 1);
	assert_int_equal(json_integer_value(json_object_get(r2, "round")), 2);
	assert_string_equal(json_string_value(json_object_get(r2, "status")), "issued");
	assert_string_equal(json_string_value(json_object_get(r2, "lamp")), "red"); /* due 2024-12-31 */
	long long sid = json_integer_value(json_object_get(r2, "id"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(sups, 0), "status")), "pressed");
	json_decref(j);

	/* a co-owner may not sign; the addressee signs */
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/supervisions/%lld/sign", mentors, sid);
	j = call(&jxj, "POST", path, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&kjj, "POST", path, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "signed");
	json_decref(j);

	/* no answer without evidence */
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/supervisions/%lld/answer", mentors, sid);
	j = call(&kjj, "POST", path, "{\"answer\":\"已补充。\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "evidence_required");
	json_decref(j);

	/* files refused by their content */
	snprintf(q, sizeof q, "owner=supervision&sid=%lld&name=%s", sid, "photo.jpg");
	unsigned char exe[256] = {'M', 'Z', 0x90, 0, 3};
	assert_int_equal(upload(&kjj, mentors, q, exe, sizeof exe, &j), 400);
	assert_string_equal(err_code(j), "bad_file_type");
	json_decref(j);
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(document.cookie)</script></svg>";
	snprintf(q, sizeof q, "owner=supervision&sid=%lld&name=%s", sid, "chart.svg");
	assert_int_equal(upload(&kjj, mentors, q, svg, sizeof svg - 1, &j), 400);
	assert_string_equal(err_code(j), "bad_file_type");
	json_decref(j);
	static const char html[] = "<!doctype html><html><body><script>alert(1)</script></body></html>";
	assert_int_equal(upload(&kjj, mentors, q, html, sizeof html - 1, &j), 400);
	json_decref(j);
	static const char text[] = "just some words, not a photo";
	assert_int_equal(upload(&kjj, mentors, q, text, sizeof text - 1, &j), 400);
	json_decref(j);
	size_t big = 8 * 1024 * 1024 + 1;
	unsigned char *b = calloc(1, big);
	memcpy(b, jpeg, 4);
	assert_int_equal(upload(&kjj, mentors, q, b, big, &j), 413);
	assert_string_equal(err_code(j), "file_too_large");
	json_decref(j);
	free(b);
	/* a co-owner may not add evidence */
	snprintf(q, sizeof q, "owner=supervision&sid=%lld&name=%s", sid, "x.jpg");
	assert_int_equal(upload(&jxj, mentors, q, jpeg, sizeof jpeg, &j), 403);
	json_decref(j);
	/* nothing of the refused ones was stored */
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", mentors);
	j = call(&kjj, "GET", path, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(j, "supervisions"), 1), "files")), 0);
	json_decref(j);

	/* a photo: stored with its hash, served as an image, never as HTML */
	snprintf(q, sizeof q, "owner=supervision&sid=%lld&name=%s", sid, "%E7%8E%B0%E5%9C%BA.jpg");
	assert_int_equal(upload(&kjj, mentors, q, jpeg, sizeof jpeg, &j), 201);
	assert_string_equal(json_string_value(json_object_get(j, "mime")), "image/jpeg");
	assert_string_equal(json_string_value(json_object_get(j, "name")), "现场.jpg");
	assert_int_equal(strlen(json_string_value(json_object_get(j, "sha256"))), 64);
	char url[64];
	snprintf(url, sizeof url, "%s", json_string_value(json_object_get(j, "url")));
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &kjj, "GET", url, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	char *ct = response_header(&r, "Content-Type"), *nosniff = response_header(&r, "X-Content-Type-Options");
	char *csp = response_header(&r, "Content-Security-Policy"), *cd = response_header(&r, "Content-Disposition");
	assert_string_equal(ct, "image/jpeg");
	assert_string_equal(nosniff, "nosniff");
	assert_non_null(strstr(csp, "default-src 'none'"));
	assert_non_null(strstr(csp, "sandbox"));
	assert_true(cd && !strncmp(cd, "inline", 6));
	assert_int_equal(r.body_len, sizeof jpeg);
	assert_memory_equal(r.body, jpeg, sizeof jpeg);
	free(ct);
	free(nosniff);
	free(csp);
	free(cd);
	response_free(&r);
	/* the co-owner and leaders read it; a unit with nothing to do with the task does not */
	assert_int_equal(http_as(srv.port, &jxj, "GET", url, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &leader, "GET", url, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &base10, "GET", url, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &kjj, "GET", "/attachments/999999", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_free(&r);

	/* answered, then accepted by the office */
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/supervisions/%lld/answer", mentors, sid);
	j = call(&kjj, "POST", path, "{\"answer\":\"已补充塘下、滨海两家大孵化器的服务记录，见照片。\"}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "answered");
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/supervisions/%lld/accept", mentors, sid);
	j = call(&kjj, "POST", path, "{}", &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&admin, "POST", path, "{\"note\":\"同意办结。\"}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "accepted");
	json_decref(j);

	/* the audit trail has every step */
	j = call(&admin, "GET", "/api/v1/audit?kind=supervisions", NULL, &st);
	assert_int_equal(st, 200);
	char *dump = json_dumps(j, 0);
	assert_non_null(strstr(dump, "\"sign\""));
	assert_non_null(strstr(dump, "\"answer\""));
	assert_non_null(strstr(dump, "\"accept\""));
	free(dump);
	json_decref(j);

	/* a new 督办单 from the office: to the lead only, not before today */
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/supervisions", mentors);
	j = call(&admin, "POST", path, "{\"unit\":\"jxj\",\"demand\":\"x\",\"due_on\":\"2025-01-10\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "bad_unit");
	json_decref(j);
	j = call(&admin, "POST", path, "{\"unit\":\"kjj\",\"demand\":\"x\",\"due_on\":\"2025-01-02\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(err_code(j), "bad_due_on");
	json_decref(j);
	j = call(&kjj, "POST", path, "{\"unit\":\"kjj\",\"demand\":\"x\",\"due_on\":\"2025-01-10\"}", &st);
	assert_int_equal(st, 403);
	json_decref(j);
}

/* A multipart/form-data body as a browser sends a plain form: text fields
 * (name, value pairs) and one file (file_field NULL: none). */
static size_t form_body(char *out, size_t cap, const char *const *fields, const char *file_field, const char *filename,
                        const void *data, size_t len)
{
	size_t n = 0;
	for (int i = 0; fields[i]; i += 2)
		n += (size_t)snprintf(out + n, cap - n, "--B0undary\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
		                      fields[i], fields[i + 1]);
	if (file_field) {
		n += (size_t)snprintf(out + n, cap - n,
		                      "--B0undary\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		                      "Content-Type: image/jpeg\r\n\r\n", file_field, filename);
		memcpy(out + n, data, len);
		n += len;
		n += (size_t)snprintf(out + n, cap - n, "\r\n");
	}
	n += (size_t)snprintf(out + n, cap - n, "--B0undary--\r\n");
	return n;
}

/* Posts a plain form (multipart) as l; csrf_header 0 sends the token only as the form field. */
static int post_form(const Login *l, const char *path, const char *body, size_t len, Response *r)
{
	char headers[512];
	snprintf(headers, sizeof headers, "%sContent-Type: multipart/form-data; boundary=B0undary\r\n", l->cookie);
	return http_request(srv.port, "POST", path, headers, body, len, r);
}

/* The status of 督办单 sid of task (over the API) and how many files it has. */
static const char *sup_state(long long task, long long sid, int *files)
{
	static char status[32];
	char path[96];
	int st;
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", task);
	json_t *j = call(&admin, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	size_t i;
	json_t *v;
	status[0] = 0;
	json_array_foreach(json_object_get(j, "supervisions"), i, v) {
		if (json_integer_value(json_object_get(v, "id")) != sid)
			continue;
		snprintf(status, sizeof status, "%s", json_string_value(json_object_get(v, "status")));
		*files = (int)json_array_size(json_object_get(v, "files"));
	}
	json_decref(j);
	return status;
}

/* Without a script: a phone's plain form answers a 督办单 with its photo
 * (multipart/form-data) in one step; a refused file refuses the answer and
 * keeps nothing; the CSRF token travels as a form field; a broken body is
 * refused; the plain upload form stores a task's evidence. */
static void test_plain_form_answer(void **state)
{
	(void)state;
	long long factories = task_id("w2-2");
	char path[160];
	int st;
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", factories);
	json_t *j = call(&jxj, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	json_t *sv = json_array_get(json_object_get(j, "supervisions"), 0);
	assert_string_equal(json_string_value(json_object_get(sv, "status")), "signed");
	long long sid = json_integer_value(json_object_get(sv, "id"));
	json_decref(j);
	int files = -1;
	assert_string_equal(sup_state(factories, sid, &files), "signed");
	assert_int_equal(files, 0);

	char key[32], body[4096];
	snprintf(key, sizeof key, "answer-%lld", sid);
	snprintf(path, sizeof path, "/tasks/%lld/supervisions/%lld/answer", factories, sid);
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
	const char *fields[] = {"csrf", jxj.csrf, key, "闲置厂房清单已报送，见照片。", NULL};
	Response r;

	/* an SVG with script named .jpg: refused by content, and the answer with it */
	size_t n = form_body(body, sizeof body, fields, "evidence", "厂房.jpg", svg, sizeof svg - 1);
	assert_int_equal(post_form(&jxj, path, body, n, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "网页代码") ? r.body : strstr(r.body, "SVG"));
	response_free(&r);
	assert_string_equal(sup_state(factories, sid, &files), "signed");
	assert_int_equal(files, 0);

	/* no token in the form: refused */
	const char *no_csrf[] = {key, "x", NULL};
	n = form_body(body, sizeof body, no_csrf, "evidence", "a.jpg", jpeg, sizeof jpeg);
	assert_int_equal(post_form(&jxj, path, body, n, &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);

	/* a body cut short (an interrupted upload): 400, nothing stored */
	n = form_body(body, sizeof body, fields, "evidence", "a.jpg", jpeg, sizeof jpeg);
	char headers[512];
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: multipart/form-data; boundary=B0undary\r\n",
	         jxj.cookie, jxj.csrf);
	assert_int_equal(http_request(srv.port, "POST", path, headers, body, n - 20, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "不完整"));
	response_free(&r);
	assert_string_equal(sup_state(factories, sid, &files), "signed");

	/* no photo and none uploaded before: evidence required */
	n = form_body(body, sizeof body, fields, "evidence", "", "", 0);
	assert_int_equal(post_form(&jxj, path, body, n, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "证明材料"));
	response_free(&r);

	/* a co-owner's form is refused (市科技局 does not lead w2-2) */
	const char *kfields[] = {"csrf", kjj.csrf, key, "x", NULL};
	n = form_body(body, sizeof body, kfields, "evidence", "a.jpg", jpeg, sizeof jpeg);
	assert_int_equal(post_form(&kjj, path, body, n, &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);

	/* the photo with the answer: one step, back to the 督办单 */
	n = form_body(body, sizeof body, fields, "evidence", "厂房现场.jpg", jpeg, sizeof jpeg);
	assert_int_equal(post_form(&jxj, path, body, n, &r), 0);
	assert_int_equal(r.status, 303);
	char *loc = response_header(&r, "Location");
	char want[96];
	snprintf(want, sizeof want, "/tasks/%lld?done=answered#sup-%lld", factories, sid);
	assert_string_equal(loc, want);
	free(loc);
	response_free(&r);
	assert_string_equal(sup_state(factories, sid, &files), "answered");
	assert_int_equal(files, 1);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", factories);
	j = call(&admin, "GET", path, NULL, &st);
	json_t *f0 = json_array_get(json_object_get(json_array_get(json_object_get(j, "supervisions"), 0), "files"), 0);
	assert_string_equal(json_string_value(json_object_get(f0, "name")), "厂房现场.jpg");
	assert_string_equal(json_string_value(json_object_get(f0, "mime")), "image/jpeg");
	json_decref(j);
	/* audited: the file and the answer */
	j = call(&admin, "GET", "/api/v1/audit?kind=attachments", NULL, &st);
	char *dump = json_dumps(j, 0);
	assert_non_null(strstr(dump, "厂房现场.jpg"));
	free(dump);
	json_decref(j);

	/* the plain upload form: the task's own evidence */
	int before = 0;
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", factories);
	j = call(&jxj, "GET", path, NULL, &st);
	before = (int)json_array_size(json_object_get(j, "files"));
	json_decref(j);
	const char *up[] = {"csrf", jxj.csrf, "owner", "task", "sid", "0", NULL};
	n = form_body(body, sizeof body, up, "file", "摸排表.jpg", jpeg, sizeof jpeg);
	snprintf(path, sizeof path, "/tasks/%lld/attachments", factories);
	assert_int_equal(post_form(&jxj, path, body, n, &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	n = form_body(body, sizeof body, up, NULL, NULL, NULL, 0); /* no file chosen */
	assert_int_equal(post_form(&jxj, path, body, n, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "请先选择"));
	response_free(&r);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", factories);
	j = call(&jxj, "GET", path, NULL, &st);
	assert_int_equal((int)json_array_size(json_object_get(j, "files")), before + 1);
	json_decref(j);
}

static void test_table_and_agenda(void **state)
{
	(void)state;
	int st;
	json_t *j = call(&leader, "GET", "/api/v1/supervision", NULL, &st);
	assert_int_equal(st, 200);
	int tangxia = 0, jrz = 0, zrj = 0, departments = 0;
	size_t i;
	json_t *u;
	static const char *const plan_departments[] = {"kjj", "fgj", "jxj", "zrj", "wglj", "zjj", "swj", "czj", "jyj", "tcz", "zzb",
	                                               "rsj", "jrz", "ybj", "kx", "wjj", "jtj", "zfj", "swb", "zfb", "scj", "tjj"};
	json_array_foreach(json_object_get(j, "units"), i, u) {
		const char *code = json_string_value(json_object_get(u, "unit"));
		for (size_t k = 0; k < sizeof plan_departments / sizeof plan_departments[0]; k++)
			departments += !strcmp(code, plan_departments[k]);
		if (!strcmp(code, "zrj")) {
			/* a department that leads no task is listed, its lamp "none" (无任务) */
			zrj = 1;
			assert_int_equal(json_integer_value(json_object_get(u, "tasks")), 0);
			assert_string_equal(json_string_value(json_object_get(u, "lamp")), "none");
		}
		if (!strcmp(code, "tangxia")) {
			tangxia = 1;
			assert_int_equal(json_integer_value(json_object_get(u, "unsigned")), 1);
			assert_int_equal(json_integer_value(json_object_get(u, "overdue_unanswered")), 1);
		}
		if (!strcmp(code, "jrz")) {
			jrz = 1;
			assert_int_equal(json_integer_value(json_object_get(u, "red")), 1);
			assert_int_equal(json_integer_value(json_object_get(u, "max_days_overdue")), 40);
			assert_string_equal(json_string_value(json_object_get(u, "lamp")), "red");
		}
	}
	assert_true(tangxia && jrz && zrj);
	assert_int_equal(departments, 22); /* every department of the plan, each once */
	json_decref(j);
	j = call(&kjj, "GET", "/api/v1/supervision", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &leader, "GET", "/supervision", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "市金融工作服务中心"));
	assert_non_null(strstr(r.body, "塘下新区"));
	assert_non_null(strstr(r.body, "40 天"));
	assert_non_null(strstr(r.body, "<tr class=\"unit-zrj\">"));
	assert_non_null(strstr(r.body, "无任务"));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &leader, "GET", "/supervision.xlsx", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.body_len > 100 && r.body[0] == 'P' && r.body[1] == 'K');
	response_free(&r);

	/* the next meeting's agenda: lagging items with their figures */
	j = call(&admin, "POST", "/api/v1/agendas", "{\"title\":\"领导小组专题会议\",\"meeting_on\":\"2025-01-10\"}", &st);
	assert_int_equal(st, 201);
	long long aid = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/agendas/%lld", aid);
	j = call(&leader, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	int tasks = 0, overdue40 = 0, help = 0;
	long long item = 0;
	json_array_foreach(json_object_get(j, "items"), i, u) {
		const char *kind = json_string_value(json_object_get(u, "kind"));
		const char *fig = json_string_value(json_object_get(u, "figures"));
		assert_non_null(fig);
		if (!strcmp(kind, "task")) {
			tasks++;
			overdue40 |= strstr(fig, "已逾期 40 天") != NULL;
		}
		if (!strcmp(kind, "help"))
			help++;
		if (!item)
			item = json_integer_value(json_object_get(u, "id"));
	}
	assert_true(tasks >= 3);
	assert_true(overdue40);
	assert_true(help >= 1); /* the monthly reports' 存在问题和需要协调事项 */
	json_decref(j);
	/* a decision becomes a task of its lead */
	snprintf(path, sizeof path, "/api/v1/agendas/%lld/decisions", aid);
	char body[256];
	snprintf(body, sizeof body, "{\"text\":\"市金融工作服务中心一月底前推出人才创业贷产品\",\"lead\":\"jrz\",\"due_on\":\"2025-01-31\",\"item\":%lld}", item);
	j = call(&admin, "POST", path, body, &st);
	assert_int_equal(st, 201);
	long long tid = json_integer_value(json_object_get(j, "task_id"));
	json_decref(j);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", tid);
	j = call(&admin, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "source")), "meeting");
	assert_string_equal(json_string_value(json_object_get(j, "lamp")), "green");
	json_decref(j);
}

/* The body of GET path as l (caller frees with response_free). */
static void page(const Login *l, const char *path, Response *r)
{
	assert_int_equal(http_as(srv.port, l, "GET", path, NULL, r), 0);
	assert_int_equal(r->status, 200);
}

/* 工作台: a department or an area sees the upcoming events it organises or
 * attends (the sample's next 现场会 invites 市科技局, 市经信局 and
 * 各镇街、功能区), not the held ones; the office sees the events whose
 * follow-up tasks are open, with the overdue ones counted. */
static void test_workbench_events(void **state)
{
	(void)state;
	Response r;
	const Login *invited[] = {&kjj, &jxj, &feiyun};
	for (size_t i = 0; i < 3; i++) {
		page(invited[i], "/workbench", &r);
		char *sec = strstr(r.body, "id=\"work-events\"");
		assert_non_null(sec);
		assert_non_null(strstr(sec, "示例·大孵化集群建设现场会（第二次）"));
		assert_non_null(strstr(sec, "2025-01-13"));
		assert_non_null(strstr(sec, "本单位参加"));
		/* held events are not upcoming */
		char *end = strstr(sec, "</section>");
		*end = 0;
		assert_null(strstr(sec, "示例·2024世界青年科学家峰会云江科创大会"));
		response_free(&r);
	}
	page(&admin, "/workbench", &r);
	char *sec = strstr(r.body, "id=\"work-events\"");
	assert_non_null(sec);
	assert_non_null(strstr(sec, "活动、现场会的后续任务"));
	assert_non_null(strstr(sec, "示例·大孵化集群建设现场会"));
	assert_non_null(strstr(sec, "在办后续任务 1 项"));
	assert_non_null(strstr(sec, "逾期 1 项"));
	response_free(&r);
	/* leaders have their own summary; bases no events section */
	page(&base10, "/workbench", &r);
	assert_null(strstr(r.body, "id=\"work-events\""));
	response_free(&r);
}

/* The office reads a task's trail from its page (操作记录) and the 督办单's
 * steps by kind, each named in Chinese, never as the code the store keeps. */
static void test_audit_trail(void **state)
{
	(void)state;
	Response r;
	page(&admin, "/tasks/1", &r);
	assert_non_null(strstr(r.body, "href=\"/admin/audit?kind=tasks&amp;id=1\""));
	response_free(&r);
	page(&kjj, "/tasks/1", &r);
	assert_null(strstr(r.body, "id=\"audit-link\"")); /* the trail is the office's */
	response_free(&r);
	page(&admin, "/admin/audit?kind=tasks&id=1", &r);
	assert_non_null(strstr(r.body, "只显示一条记录的操作：任务"));
	response_free(&r);
	page(&admin, "/admin/audit?kind=supervisions", &r);
	assert_non_null(strstr(r.body, "<option value=\"supervisions\" selected>督办单</option>"));
	/* the steps of the earlier tests, each named, with what was written */
	assert_non_null(strstr(r.body, "<td>签收 · 督办单</td>"));
	assert_non_null(strstr(r.body, "<td>反馈 · 督办单</td>"));
	assert_non_null(strstr(r.body, "<td>确认 · 督办单</td>"));
	assert_non_null(strstr(r.body, "状态：已签收，待反馈 → 已反馈，待审核"));
	assert_null(strstr(r.body, "其他操作"));
	response_free(&r);
}

static void test_command_line(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "%s task list --db %s --unit jrz --overdue 2>&1", getenv("HATCHERY_BIN"), srv.db);
	FILE *f = popen(cmd, "r");
	char out[8192] = "";
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	assert_int_equal(pclose(f), 0);
	assert_non_null(strstr(out, "人才创业贷"));
	assert_non_null(strstr(out, "逾期 40 天"));
	snprintf(cmd, sizeof cmd, "%s task remind --db %s 2>&1", getenv("HATCHERY_BIN"), srv.db);
	f = popen(cmd, "r");
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	assert_int_equal(pclose(f), 0);
	assert_non_null(strstr(out, "已催办 1 份"));
	/* once a day */
	f = popen(cmd, "r");
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	assert_int_equal(pclose(f), 0);
	assert_non_null(strstr(out, "已催办 0 份"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_supervision_with_evidence),
		cmocka_unit_test(test_plain_form_answer),
		cmocka_unit_test(test_table_and_agenda),
		cmocka_unit_test(test_workbench_events),
		cmocka_unit_test(test_audit_trail),
		cmocka_unit_test(test_command_line),
	};
	return cmocka_run_group_tests_name("tasks_http", tests, setup, teardown);
}
