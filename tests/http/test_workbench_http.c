/*
 * test_workbench_http.c — 工作台 (/workbench) follows every change to what
 * it shows, with its sections and badges kept per connection
 * (page_workbench.c: under the data stamp, the day and the user) and with
 * the page cache on top. Each test checks two servers: one with the page
 * cache off (--page-cache 0: every answer made, its kept sections marked
 * X-Page-Part: hit) and one with it on; one thread each, so every request
 * meets what the one before kept.
 *
 * For the office: a 督办单 answered (by another process) and accepted (over
 * the API), a follow-up task of an event created, a report accepted, a
 * policy application approved and paid, a recognition applied for and
 * endorsed — each is in the next answer, section and badge, and the page is
 * kept again after it. Two area reporters on the same connection each get
 * their own returned records. A login or a logout keeps what was kept (a
 * session is not programme data), while the audit trail and the users'
 * page still show it.
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

/* The two servers, and the one the checks below talk to. */
static TestServer servers[2];
static Login admins[2];
static int cache_on; /* the server in use: 0 page cache off, 1 on */
#define srv (servers[cache_on])
#define admin (admins[cache_on])

static int setup(void **state)
{
	(void)state;
	const char *off[] = {"--page-cache", "0", "--threads", "1", NULL};
	const char *on[] = {"--threads", "1", NULL};
	for (cache_on = 0; cache_on < 2; cache_on++) {
		server_start(&srv, cache_on ? on : off);
		server_add_user(&srv, "wb-feiyun", "area", "feiyun");
		server_add_user(&srv, "wb-tangxia", "area", "tangxia");
		server_add_user(&srv, "wb-viewer", "viewer", NULL);
		server_add_user(&srv, "wb-anyang", "area", "anyang-center");
		if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) != 0)
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&servers[0]);
	server_stop(&servers[1]);
	return 0;
}

/* A test: its checks on the server without the page cache, then on the one with it. */
#define ON_BOTH(name)                             \
	static void name(void **state)            \
	{                                         \
		(void)state;                      \
		for (cache_on = 0; cache_on < 2; cache_on++) \
			check_##name();           \
	}

/* The page without the minute it was printed at (the print frame's
 * printed-at), which is the only thing of it that moves with the clock. */
static char *without_clock(const char *body)
{
	char *s = strdup(body);
	char *p = strstr(s, "<time class=\"printed-at\">");
	if (p) {
		char *q = strstr(p, "</time>");
		if (q)
			memmove(p, q, strlen(q) + 1);
	}
	return s;
}

/* GET /workbench as l: the page (malloc'd, without the clock); *kept says
 * whether it was made from what was kept (a kept section, or the page cache). */
static char *workbench(const Login *l, int *kept)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, "GET", "/workbench", NULL, &r), 0);
	if (r.status != 200)
		fail_msg("/workbench: status %d", r.status);
	char *part = response_header(&r, "X-Page-Part"), *hit = response_header(&r, "X-Page-Cache");
	*kept = (part && !strcmp(part, "hit")) || (hit && !strcmp(hit, "hit"));
	if (!cache_on)
		assert_null(hit);
	free(part);
	free(hit);
	char *s = without_clock(r.body);
	response_free(&r);
	return s;
}

/* Fails with the first place where a and b differ. */
static void same_bytes(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	if (a[i] || b[i])
		fail_msg("the page differs at byte %zu (page cache %s): \"%.80s\" vs \"%.80s\"", i, cache_on ? "on" : "off",
		         a + i, b + i);
}

/* The page as l sees it now, asked twice: the second answer is made from
 * what the first kept, with the same bytes. */
static char *settled(const Login *l)
{
	int kept;
	char *a = workbench(l, &kept), *b = workbench(l, &kept);
	if (!kept)
		fail_msg("/workbench: nothing kept on the second request (page cache %s)", cache_on ? "on" : "off");
	same_bytes(a, b);
	free(a);
	return b;
}

/* The next answer after a change: made again (not what was kept). */
static char *after_change(const Login *l)
{
	int kept;
	char *a = workbench(l, &kept);
	if (cache_on)
		assert_false(kept); /* the page cache's entry went with the stamp */
	return a;
}

static void has(const char *page, const char *text)
{
	if (!strstr(page, text))
		fail_msg("the page lacks \"%s\" (page cache %s)", text, cache_on ? "on" : "off");
}

static void lacks(const char *page, const char *text)
{
	if (strstr(page, text))
		fail_msg("the page still has \"%s\" (page cache %s)", text, cache_on ? "on" : "off");
}

/* POST path with body as l; the answer's status must be want. */
static void post(const Login *l, const char *path, const char *body, int want)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, "POST", path, body, &r), 0);
	if (r.status != want)
		fail_msg("POST %s: status %d, expected %d: %s", path, r.status, want, r.body ? r.body : "");
	response_free(&r);
}

/* A 督办单 answered elsewhere waits for the office's review; accepted over
 * the API it is gone. The badge 督办 counts it. */
static void check_test_supervision(void)
{
	char *p = settled(&admin);
	has(p, "待审核的督办反馈（0）");
	lacks(p, "#sup-3\"");
	free(p);
	server_db_exec(&srv, "UPDATE supervision SET status = 'answered', answer = '已按要求完成。', answered_by = 'jxj-user', "
	              "answered_at = '2026-12-01T01:00:00Z' WHERE id = 3");
	p = after_change(&admin);
	has(p, "待审核的督办反馈（1）");
	has(p, "/tasks/4#sup-3\"");
	has(p, "督办 <span class=\"count\" title=\"待处理 1 项\">1</span>");
	free(p);
	free(settled(&admin));
	post(&admin, "/api/v1/tasks/4/supervisions/3/accept", "{\"note\":\"同意。\"}", 200);
	p = after_change(&admin);
	has(p, "待审核的督办反馈（0）");
	lacks(p, "#sup-3\"");
	lacks(p, "督办 <span class=\"count\"");
	free(p);
}

/* A new follow-up task of an event is counted under the event. */
static void check_test_task(void)
{
	char *p = settled(&admin);
	has(p, "/events/7#follow-up\"");
	has(p, "在办后续任务 1 项");
	free(p);
	post(&admin, "/api/v1/tasks",
	     "{\"title\":\"路演项目对接\",\"lead\":\"kjj\",\"due_on\":\"2030-06-30\",\"source\":\"event\",\"source_ref\":\"event/7\"}",
	     201);
	p = after_change(&admin);
	has(p, "在办后续任务 2 项");
	free(p);
	free(settled(&admin));
	/* closed by another process: one open again */
	server_db_exec(&srv, "UPDATE task SET status = 'done' WHERE title = '路演项目对接'");
	p = after_change(&admin);
	has(p, "在办后续任务 1 项");
	free(p);
}

/* A report accepted by the office leaves its list. */
static void check_test_report(void)
{
	char *p = settled(&admin);
	has(p, "/reports/area-monthly/2024-12/nanbin\"");
	has(p, "/reports/area-monthly/2024-12/huling\"");
	free(p);
	post(&admin, "/api/v1/reports/area-monthly/2024-12/nanbin/accept", "{}", 200);
	p = after_change(&admin);
	lacks(p, "/reports/area-monthly/2024-12/nanbin\"");
	has(p, "/reports/area-monthly/2024-12/huling\"");
	free(p);
}

/* A policy application approved changes its state; paid, it leaves the
 * list and the badge 政策 counts one less. */
static void check_test_policy(void)
{
	char *p = settled(&admin);
	has(p, "/policy-applications/4\"");
	has(p, "政策 <span class=\"count\" title=\"待处理 4 项\">4</span>");
	const char *endorsed = "<a href=\"/policy-applications/4\">";
	char *at = strstr(p, endorsed);
	assert_non_null(at);
	has(at, "<span class=\"review endorsed\">");
	free(p);
	post(&admin, "/api/v1/policy-applications/4/approve", "{\"amount_yuan\":1000,\"reason\":\"按实际核定。\"}", 200);
	p = after_change(&admin);
	at = strstr(p, endorsed);
	assert_non_null(at);
	assert_non_null(strstr(at, "<span class=\"review approved\">"));
	assert_true(strstr(at, "<span class=\"review approved\">") < strstr(at, "</li>"));
	free(p);
	free(settled(&admin));
	post(&admin, "/api/v1/policy-applications/4/pay",
	     "{\"paid_on\":\"2026-11-30\",\"amount_yuan\":1000,\"voucher_no\":\"记-2026-118\"}", 200);
	p = after_change(&admin);
	lacks(p, "/policy-applications/4\"");
	has(p, "政策 <span class=\"count\" title=\"待处理 3 项\">3</span>");
	free(p);
}

/* An application for recognition waits for the office once endorsed. */
static void check_test_recognition(void)
{
	char *p = settled(&admin);
	lacks(p, "待备案的认定申请");
	lacks(p, "认定 <span class=\"count\"");
	free(p);
	/* base 1's area applies; the office endorses (not its own) */
	Login ay = http_login_user(srv.port, "wb-anyang");
	int st;
	Response r;
	assert_int_equal(http_as(srv.port, &ay, "POST", "/api/v1/bases/1/recognitions", "{\"level\":\"municipal\"}", &r), 0);
	st = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	response_free(&r);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	p = after_change(&admin); /* applied: for the area to endorse, not yet the office's */
	lacks(p, "待备案的认定申请");
	free(p);
	free(settled(&admin));
	char path[64];
	snprintf(path, sizeof path, "/api/v1/recognitions/%lld/endorse", id);
	post(&admin, path, "{}", 200);
	p = after_change(&admin);
	has(p, "待备案的认定申请（1）");
	has(p, "认定 <span class=\"count\" title=\"待处理 1 项\">1</span>");
	free(p);
}

/* Two reporters on one connection: each their own returned records. */
static void check_test_each_user_their_own(void)
{
	Login fy = http_login_user(srv.port, "wb-feiyun"), tx = http_login_user(srv.port, "wb-tangxia");
	server_db_exec(&srv, "UPDATE base SET review_status = 'returned', review_note = '请补充孵化面积。' "
	              "WHERE id = (SELECT min(id) FROM base WHERE area = 'feiyun')");
	char *a = settled(&fy), *b = settled(&tx);
	has(a, "请补充孵化面积。");
	lacks(b, "请补充孵化面积。");
	free(a);
	free(b);
	/* the office's page is its own too */
	char *o = settled(&admin);
	lacks(o, "请补充孵化面积。");
	has(o, "待审核的督办反馈");
	free(o);
	a = settled(&fy);
	has(a, "请补充孵化面积。");
	lacks(a, "待审核的督办反馈");
	free(a);
}

/* A login or a logout moves nothing a page shows: what was kept stays
 * kept (the data stamp does not move), while the audit trail and the
 * users' page (never kept) show them. */
static void check_test_login_keeps_pages(void)
{
	char *p = settled(&admin);
	Login v = http_login_user(srv.port, "wb-viewer");
	int kept;
	char *q = workbench(&admin, &kept);
	assert_true(kept);
	same_bytes(p, q);
	free(q);
	Response r;
	assert_int_equal(http_as(srv.port, &v, "POST", "/logout", NULL, &r), 0);
	response_free(&r);
	q = workbench(&admin, &kept);
	assert_true(kept);
	same_bytes(p, q);
	free(q);
	free(p);
	assert_int_equal(http_as(srv.port, &admin, "GET", "/admin/audit?user=wb-viewer", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	has(r.body, "登录");
	has(r.body, "退出");
	response_free(&r);
	/* a failed login, throttled or not, keeps them too */
	Login bad;
	assert_int_not_equal(http_login(srv.port, "wb-viewer", "wrong-password-1", &bad), 0);
	q = workbench(&admin, &kept);
	assert_true(kept);
	free(q);
	/* while a change of a user (another process) is seen */
	server_db_exec(&srv, "UPDATE user SET disabled = 1 WHERE name = 'wb-tangxia'");
	q = workbench(&admin, &kept);
	if (cache_on)
		assert_false(kept);
	free(q);
}

ON_BOTH(test_supervision)
ON_BOTH(test_task)
ON_BOTH(test_report)
ON_BOTH(test_policy)
ON_BOTH(test_recognition)
ON_BOTH(test_each_user_their_own)
ON_BOTH(test_login_keeps_pages)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supervision),
		cmocka_unit_test(test_task),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_recognition),
		cmocka_unit_test(test_each_user_their_own),
		cmocka_unit_test(test_login_keeps_pages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
