/*
 * test_reports_http.c — periodic reports through the real server, its
 * clock pinned to 3 January 2025, 10:00 Beijing time (HATCHERY_NOW): the
 * API's answers and error objects (422 with the issues, field by field;
 * nothing saved), the town's report accepted and 新增人才数 moving by its
 * figure, a town refused another's bases, and a reminder posted to a
 * webhook by the server's sender thread with its idempotency key, retried
 * after the gateway refuses it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "client.h"
#include "xlsx_read.h"
#include "xlsx_write.h"

static TestServer srv;
static Login admin, feiyun, xianjiang, base10, feiyun_leader, kjj;

static int setup(void **state)
{
	setenv("HATCHERY_NOW", "2025-01-03T10:00:00+08:00", 1);
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "xianjiang_reporter", "area", "xianjiang");
	server_add_user(&srv, "base10", "base", "10");
	server_add_user(&srv, "feiyun_leader", "area", "feiyun"); /* the town's sign-off of its own monthly report */
	server_add_user(&srv, "kjj_clerk", "department", "kjj");
	if (http_login(srv.port, "feiyun_leader", TEST_USER_PASSWORD, &feiyun_leader) ||
	    http_login(srv.port, "kjj_clerk", TEST_USER_PASSWORD, &kjj))
		return -1;
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) || http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &feiyun) ||
	    http_login(srv.port, "xianjiang_reporter", TEST_USER_PASSWORD, &xianjiang) ||
	    http_login(srv.port, "base10", TEST_USER_PASSWORD, &base10))
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

static double talents_2024(void)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/progress?year=2024", NULL, &st);
	assert_int_equal(st, 200);
	double v = -1;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "indicators"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "indicator")), "race_talents"))
			v = json_number_value(json_object_get(x, "actual"));
	json_decref(j);
	assert_true(v >= 0);
	return v;
}

#define MONTHLY "/api/v1/reports/area-monthly/2024-12/feiyun"
#define GOOD "{\"values\":{\"talents_new\":3,\"talents_master_phd\":1,\"projects_new\":1,\"teams_new\":1," \
	"\"team_members_new\":4,\"events\":2,\"event_participants\":60,\"narrative\":\"本月完成走访。\"," \
	"\"talent_list\":[{\"name\":\"张三\",\"degree\":\"phd\",\"arrived_on\":\"2024-12-09\"}]}}"

static void test_api_errors_and_acceptance(void **state)
{
	int st;
	json_t *before = call(&feiyun, "GET", MONTHLY, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(before, "status")), "returned");
	/* a value that cannot be read: 422 with the field, nothing saved */
	json_t *j = call(&feiyun, "PUT", MONTHLY, "{\"values\":{\"talents_new\":\"十二\",\"nope\":1}}", &st);
	assert_int_equal(st, 422);
	json_t *err = json_object_get(j, "error");
	assert_string_equal(json_string_value(json_object_get(err, "code")), "invalid");
	json_t *issues = json_object_get(err, "issues");
	assert_int_equal(json_array_size(issues), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(issues, 0), "field")), "talents_new");
	json_decref(j);
	json_t *after = call(&feiyun, "GET", MONTHLY, NULL, &st);
	assert_true(json_equal(json_object_get(before, "values"), json_object_get(after, "values")));
	json_decref(after);
	json_decref(before);
	/* a broken hard rule blocks the submission */
	j = call(&feiyun, "POST", MONTHLY "/submit", "{\"values\":{\"talents_new\":1,\"talents_master_phd\":2}}", &st);
	assert_int_equal(st, 422);
	json_decref(j);
	/* another town may not read or change it */
	j = call(&xianjiang, "PUT", MONTHLY, GOOD, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	double t0 = talents_2024();
	j = call(&feiyun, "POST", MONTHLY "/submit", GOOD, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "submitted");
	/* timeliness reads the first submission, before it was returned */
	assert_string_equal(json_string_value(json_object_get(j, "submitted_at")), "2025-01-03T10:00:00+08:00");
	assert_true(strcmp(json_string_value(json_object_get(j, "first_submitted_at")), "2025-01-03T10:00:00+08:00") < 0);
	json_decref(j);
	assert_true(talents_2024() == t0); /* submitted is not counted */
	/* the reporter does not sign off what it submitted; the office does not accept before the town's sign-off */
	j = call(&feiyun, "POST", MONTHLY "/approve", "{}", &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&admin, "POST", MONTHLY "/accept", "{}", &st);
	assert_int_equal(st, 409);
	json_decref(j);
	j = call(&feiyun_leader, "POST", MONTHLY "/approve", "{}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "approved");
	assert_string_equal(json_string_value(json_object_get(j, "approved_by")), "feiyun_leader");
	json_decref(j);
	assert_true(talents_2024() == t0); /* approved by the town is not counted either */
	j = call(&admin, "POST", MONTHLY "/accept", "{}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "accepted");
	json_decref(j);
	assert_true(talents_2024() == t0 + 3);
	/* locked now */
	j = call(&feiyun, "PUT", MONTHLY, GOOD, &st);
	assert_int_equal(st, 409);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "locked");
	json_decref(j);
	/* the figure behind 新增人才数 opens the report */
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/progress/race_talents?year=2024&area=feiyun", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "href=\"/reports/area-monthly/2024-12/feiyun\""));
	response_free(&r);
}

static void test_base_chain_over_api(void **state)
{
	int st;
	const char *good = "{\"values\":{\"income_total_yuan\":4000000,\"income_service_yuan\":1000000,\"income_property_yuan\":"
	                   "2000000,\"income_investment_yuan\":500000,\"income_other_yuan\":500000,\"grants_yuan\":100000,"
	                   "\"incubation_fund_yuan\":5000000,\"staff_total\":12,\"staff_professional\":10,\"mentors\":5,"
	                   "\"area_total_m2\":10000,\"area_firms_m2\":8000,\"area_public_m2\":1000,\"firms_incubated\":40,"
	                   "\"firms_employees\":400,\"firms_new\":8,\"firms_graduated\":2,\"firms_graduated_total\":20,"
	                   "\"firms_income_yuan\":9000000,\"firms_rd_yuan\":800000,\"firms_financed\":4,"
	                   "\"firms_financing_yuan\":3000000,\"ip_applied\":30,\"ip_granted\":20,\"invention_patents\":3}}";
	json_t *j = call(&base10, "POST", "/api/v1/reports/torch-incubator/2024/base-10/submit", good, &st);
	assert_int_equal(st, 200);
	json_decref(j);
	/* 仙降 does not approve a 飞云 base's report: refused at the door */
	j = call(&xianjiang, "POST", "/api/v1/reports/torch-incubator/2024/base-10/approve", "{}", &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&feiyun, "POST", "/api/v1/reports/torch-incubator/2024/approve", "{\"orgs\":[\"base-10\",\"base-13\"]}", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "done")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "skipped")), 1);
	json_decref(j);
	j = call(&base10, "GET", "/api/v1/reports/torch-incubator/2024/base-10", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "approved");
	assert_true(json_number_value(json_object_get(json_object_get(j, "values"), "income_total_yuan")) == 4000000);
	json_decref(j);
}

/* A department fills its quarterly form over the API and the pages; the office accepts it. */
static void test_department_over_api(void **state)
{
	int st;
	const char *dq = "/api/v1/reports/dept-quarterly/2024-Q4/dept-kjj";
	const char *good = "{\"values\":{\"policies_issued\":1,\"funds_paid_yuan\":2000000,\"bases_supported\":3,"
	                   "\"firms_supported\":20,\"services\":2,\"narrative\":\"兑现扶持资金。\"}}";
	/* another reporter may not read it; an unknown department is not a reporter */
	json_t *j = call(&feiyun, "GET", dq, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&kjj, "GET", "/api/v1/reports/dept-quarterly/2024-Q4/dept-fgj", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/reports/dept-quarterly/2024-Q4/dept-nope", NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);
	j = call(&kjj, "POST", "/api/v1/reports/dept-quarterly/2024-Q4/dept-kjj/submit", good, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "submitted");
	assert_string_equal(json_string_value(json_object_get(j, "name")), "市科技局");
	json_decref(j);
	j = call(&admin, "POST", "/api/v1/reports/dept-quarterly/2024-Q4/dept-kjj/accept", "{}", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "accepted");
	json_decref(j);
	/* its page shows the figure in 万元; its 填报 lists its own form only */
	Response r;
	assert_int_equal(http_as(srv.port, &kjj, "GET", "/reports/dept-quarterly/2024-Q4/dept-kjj", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "200 万元"));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &kjj, "GET", "/reports", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "data-form=\"dept-quarterly\""));
	assert_null(strstr(r.body, "data-form=\"area-monthly\""));
	response_free(&r);
	/* the office's completeness table lists the departments */
	j = call(&admin, "GET", "/api/v1/reports/dept-quarterly/2024-Q4", NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "accepted")), 1);
	assert_true(json_integer_value(json_object_get(j, "expected")) > 1);
	json_decref(j);
}

/* 工作台 shows a town its report due with the deadline, and the 填报 badge counts it. */
static void test_workbench_rows(void **state)
{
	Response r;
	assert_int_equal(http_as(srv.port, &xianjiang, "GET", "/workbench", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "id=\"work-reports\""));
	assert_non_null(strstr(r.body, "2024年12月《月报》"));
	assert_non_null(strstr(r.body, "截止：北京时间 2025-01-05 23:59"));
	response_free(&r);
	/* the office sees what waits for its acceptance */
	assert_int_equal(http_as(srv.port, &admin, "GET", "/workbench", NULL, &r), 0);
	assert_non_null(strstr(r.body, "待我审核"));
	response_free(&r);
}

/* A workbook as the page's download is shaped: sheet 填报 with 代码 and 本期. */
static void workbook(Buf *out, const char *const *codes, const char *const *values, int n, const char *list_name)
{
	static const XlsxColumn cols[] = {{.header = "代码"}, {.header = "项目"}, {.header = "本期"}, {.header = "说明"}};
	XlsxCell cells[40 * 4];
	for (int i = 0; i < n; i++) {
		cells[i * 4] = xlsx_str(codes[i]);
		cells[i * 4 + 1] = xlsx_str("x");
		cells[i * 4 + 2] = xlsx_str(values[i]);
		cells[i * 4 + 3] = xlsx_str(NULL);
	}
	static const XlsxColumn lcols[] = {{.header = "姓名（必填）"}, {.header = "学历（必填）"}, {.header = "引进日期（必填）"}};
	XlsxCell lcells[] = {xlsx_str("王五"), xlsx_str("博士"), xlsx_str("2024-12-02"),
	                     xlsx_str("赵六"), xlsx_str("硕士"), xlsx_str("2025-01-02")};
	XlsxTable t[2] = {{.name = "填报", .cols = cols, .ncols = 4, .cells = cells, .nrows = n},
	                  {.name = list_name, .cols = lcols, .ncols = 3, .cells = lcells, .nrows = 2}};
	XlsxBook book = {.tables = t, .ntables = list_name ? 2 : 1};
	char err[256];
	if (xlsx_write_table(NULL, out, &book, err, sizeof err) != H_OK)
		fail_msg("workbook: %s", err);
}

static void test_fill_in_workbook(void **state)
{
	/* the download holds the figures with their units */
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/reports/area-monthly/2024-12/dongshan/fill.xlsx", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	Arena a = {0};
	char err[256];
	XlsxSheet *sh = xlsx_read_sheet(&a, r.body, r.body_len, "填报", err, sizeof err);
	assert_non_null(sh);
	assert_string_equal(xlsx_cell_text(sh, 0, 0), "代码");
	assert_string_equal(xlsx_cell_text(sh, 1, 0), "talents_new");
	assert_string_equal(xlsx_cell_text(sh, 1, 3), "人");
	response_free(&r);
	/* a bad value and a date outside the period: each named by sheet and row, nothing saved */
	static const char *const codes[] = {"talents_new", "talents_master_phd", "projects_new", "teams_new", "team_members_new",
	                                    "events", "event_participants", "narrative"};
	static const char *const bad[] = {"三", "0", "0", "0", "0", "1", "10", "本月工作。"};
	Buf wb = {0};
	workbook(&wb, codes, bad, 8, "新引进人才名单");
	char hdr[512];
	snprintf(hdr, sizeof hdr, "%sX-CSRF-Token: %s\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n",
	         admin.cookie, admin.csrf);
	assert_int_equal(http_request(srv.port, "POST", "/api/v1/reports/area-monthly/2024-12/dongshan/upload?submit=1", hdr,
	                              wb.data, wb.len, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "「填报」第 2 行"));
	assert_non_null(strstr(r.body, "「新引进人才名单」第 3 行"));
	response_free(&r);
	buf_free(&wb);
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/reports/area-monthly/2024-12/dongshan", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "none");
	json_decref(j);
	/* right: read and submitted; the list's labels become codes */
	static const char *const good[] = {"2", "1", "0", "0", "0", "1", "10", "本月工作。"};
	workbook(&wb, codes, good, 8, NULL);
	assert_int_equal(http_request(srv.port, "POST", "/api/v1/reports/area-monthly/2024-12/dongshan/upload?submit=1", hdr,
	                              wb.data, wb.len, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	buf_free(&wb);
	j = call(&admin, "GET", "/api/v1/reports/area-monthly/2024-12/dongshan", NULL, &st);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "submitted");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "values"), "talents_new")), 2);
	json_decref(j);
	arena_free(&a);
}

/* ---- a webhook that answers 500 first, then 200 ---- */

typedef struct Hook {
	int fd, port, answers[2], n, max; /* max: requests to take (0: two) */
	char requests[2][4096];
} Hook;

static void *hook_serve(void *arg)
{
	Hook *h = arg;
	for (h->n = 0; h->n < (h->max ? h->max : 2); h->n++) {
		int c = accept(h->fd, NULL, NULL);
		if (c < 0)
			break;
		struct timeval tv = {5, 0};
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		size_t len = 0;
		char *req = h->requests[h->n];
		while (len < sizeof h->requests[0] - 1) {
			ssize_t k = recv(c, req + len, sizeof h->requests[0] - 1 - len, 0);
			if (k <= 0)
				break;
			len += (size_t)k;
			req[len] = 0;
			char *body = strstr(req, "\r\n\r\n");
			const char *cl = strstr(req, "Content-Length: ");
			if (body && cl && strlen(body + 4) >= (size_t)atoi(cl + 16))
				break;
		}
		char ans[128];
		snprintf(ans, sizeof ans, "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", h->answers[h->n]);
		if (send(c, ans, strlen(ans), MSG_NOSIGNAL) < 0)
			break;
		close(c);
	}
	return NULL;
}

static int db_int(const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_reminder_through_webhook(void **state)
{
	Hook h = {.answers = {500, 200}};
	h.fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(h.fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t al = sizeof a;
	getsockname(h.fd, (struct sockaddr *)&a, &al);
	listen(h.fd, 4);
	h.port = ntohs(a.sin_port);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' outbox webhook --db '%s' http://127.0.0.1:%d/hook >/dev/null", getenv("HATCHERY_BIN"),
	         srv.db, h.port);
	assert_int_equal(system(cmd), 0);
	pthread_t th;
	pthread_create(&th, NULL, hook_serve, &h);
	int st;
	json_t *j = call(&admin, "POST", "/api/v1/reports/area-monthly/2024-12/remind", "{\"orgs\":[\"tangxia\"]}", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "sent")), 1);
	json_decref(j);
	/* the server's sender posts within seconds; the gateway refuses; it stays pending with a try counted */
	for (int i = 0; i < 100 && db_int("SELECT attempts FROM outbox") < 1; i++)
		usleep(100 * 1000);
	assert_int_equal(db_int("SELECT attempts FROM outbox"), 1);
	assert_int_equal(db_int("SELECT count(*) FROM outbox WHERE status = 'pending'"), 1);
	assert_non_null(strstr(h.requests[0], "Idempotency-Key: reminder-"));
	assert_non_null(strstr(h.requests[0], "塘下新区"));
	/* brought forward, it is posted again with the same key and marked sent */
	char key[64] = "";
	const char *k = strstr(h.requests[0], "Idempotency-Key: ");
	sscanf(k + 17, "%63[^\r]", key);
	sqlite3 *db;
	sqlite3_open(srv.db, &db);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "UPDATE outbox SET next_at = '2000-01-01T00:00:00Z'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	for (int i = 0; i < 100 && db_int("SELECT count(*) FROM outbox WHERE status = 'sent'") < 1; i++)
		usleep(100 * 1000);
	assert_int_equal(db_int("SELECT count(*) FROM outbox WHERE status = 'sent'"), 1);
	pthread_join(th, NULL);
	close(h.fd);
	char want[96];
	snprintf(want, sizeof want, "Idempotency-Key: %s\r\n", key);
	assert_non_null(strstr(h.requests[1], want));
	/* the reminder is on the town's list and in the audit trail */
	assert_int_equal(db_int("SELECT count(*) FROM report_reminder WHERE org = 'tangxia'"), 1);
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'remind' AND record_id = 'area-monthly/2024-12/tangxia'"), 1);
}

/* A form POST as the logged-in user (csrf 0: without the token). */
static int form_post(const Login *l, const char *path, const char *body, int csrf, Response *r)
{
	char hdr[512];
	snprintf(hdr, sizeof hdr, "%sContent-Type: application/x-www-form-urlencoded\r\n%s%s%s", l->cookie,
	         csrf ? "X-CSRF-Token: " : "", csrf ? l->csrf : "", csrf ? "\r\n" : "");
	return http_request(srv.port, "POST", path, hdr, body, strlen(body), r);
}

/* The office sets the webhook on its page: the address checked, the secret
 * kept out of sight and out of the audit trail, on and off, a signed test
 * send the gateway receives; each change audited; CSRF required. */
static void test_webhook_settings_page(void **state)
{
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/admin/webhook", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "id=\"webhook-form\""));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &feiyun, "GET", "/admin/webhook", NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);
	int audits = db_int("SELECT count(*) FROM audit WHERE record_kind = 'settings'");
	/* a bad address: refused in Chinese, the form kept, nothing written */
	static const char *const bad[] = {"url=ftp%3A%2F%2F10.0.0.1%2Fx&enabled=1", "url=https%3A%2F%2Fgw.example%2Fsend&enabled=1",
	                                  "url=http%3A%2F%2Fgw%20x%2Fsend", "url=http%3A%2F%2F10.0.0.1%3A99999%2Fsend",
	                                  "url=&enabled=1", "url=http%3A%2F%2F10.0.0.1%2Fsend&secret=short"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(form_post(&admin, "/admin/webhook", bad[i], 1, &r), 0);
		if (r.status != 400 || !strstr(r.body, "field-error"))
			fail_msg("%s: %d", bad[i], r.status);
		response_free(&r);
	}
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE record_kind = 'settings'"), audits);
	/* without the CSRF token: refused */
	assert_int_equal(form_post(&admin, "/admin/webhook", "url=http%3A%2F%2F127.0.0.1%3A9%2Fx&enabled=1", 0, &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);
	/* a gateway on a loopback port: saved with a secret, on */
	Hook h = {.answers = {200, 200}, .max = 1};
	h.fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(h.fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t al = sizeof a;
	getsockname(h.fd, (struct sockaddr *)&a, &al);
	listen(h.fd, 4);
	h.port = ntohs(a.sin_port);
	const char *secret = "SECtest-0123456789abcdef";
	char body[300];
	snprintf(body, sizeof body, "url=http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Frobot%%2Fsend%%3Faccess_token%%3Dabc&enabled=1&secret=%s",
	         h.port, secret);
	assert_int_equal(form_post(&admin, "/admin/webhook", body, 1, &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	assert_int_equal(db_int("SELECT count(*) FROM setting WHERE key = 'webhook_enabled' AND value = '1'"), 1);
	/* the secret is never shown again nor written into the trail */
	assert_int_equal(http_as(srv.port, &admin, "GET", "/admin/webhook", NULL, &r), 0);
	assert_null(strstr(r.body, secret));
	assert_non_null(strstr(r.body, "已设置"));
	response_free(&r);
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE record_kind = 'settings' AND record_id = 'webhook' "
	                        "AND action = 'update' AND after_json LIKE '%\"secret_set\":true%'"),
	                 1);
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE before_json LIKE '%SECtest%' OR after_json LIKE '%SECtest%'"), 0);
	/* a test send: the gateway receives it signed (timestamp and sign on the address) */
	pthread_t th;
	pthread_create(&th, NULL, hook_serve, &h);
	assert_int_equal(form_post(&admin, "/admin/webhook/test", "", 1, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "测试消息已送达"));
	response_free(&r);
	pthread_join(th, NULL);
	close(h.fd);
	const char *req = h.requests[0];
	assert_non_null(strstr(req, "POST /robot/send?access_token=abc&timestamp="));
	char ts[32] = "", sign[128] = "";
	assert_int_equal(sscanf(strstr(req, "timestamp=") + 10, "%31[0-9]&sign=%127[^ ]", ts, sign), 2);
	/* the signature as a gateway checks it */
	char text[200];
	snprintf(text, sizeof text, "%s\n%s", ts, secret);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state hs;
	crypto_auth_hmacsha256_init(&hs, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&hs, (const unsigned char *)text, strlen(text));
	crypto_auth_hmacsha256_final(&hs, mac);
	char b64[100], want[140] = "";
	sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
	for (const char *p = b64; *p; p++)
		snprintf(want + strlen(want), sizeof want - strlen(want), *p == '+' ? "%%2B" : *p == '/' ? "%%2F" : *p == '=' ? "%%3D" : "%c",
		         *p);
	assert_string_equal(sign, want);
	assert_non_null(strstr(req, "测试"));
	assert_int_equal(db_int("SELECT count(*) FROM audit WHERE record_kind = 'settings' AND action = 'test'"), 1);
	/* off: a reminder shows on the reporter's 工作台 but nothing goes into the outbox */
	snprintf(body, sizeof body, "url=http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Frobot%%2Fsend", h.port);
	assert_int_equal(form_post(&admin, "/admin/webhook", body, 1, &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	int queued = db_int("SELECT count(*) FROM outbox"), reminders = db_int("SELECT count(*) FROM report_reminder");
	int st;
	json_t *j = call(&admin, "POST", "/api/v1/reports/area-monthly/2024-12/remind", "{\"orgs\":[\"kaifaqu\"]}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	assert_int_equal(db_int("SELECT count(*) FROM report_reminder"), reminders + 1);
	assert_int_equal(db_int("SELECT count(*) FROM outbox"), queued);
	/* the secret removed */
	assert_int_equal(form_post(&admin, "/admin/webhook", "url=&clear_secret=1", 1, &r), 0);
	assert_int_equal(r.status, 303);
	response_free(&r);
	assert_int_equal(db_int("SELECT count(*) FROM setting WHERE key = 'webhook_secret' AND value <> ''"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_errors_and_acceptance),
		cmocka_unit_test(test_base_chain_over_api),
		cmocka_unit_test(test_department_over_api),
		cmocka_unit_test(test_fill_in_workbook),
		cmocka_unit_test(test_workbench_rows),
		cmocka_unit_test(test_reminder_through_webhook),
		cmocka_unit_test(test_webhook_settings_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
