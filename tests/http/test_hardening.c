/*
 * test_hardening.c — what a hostile client could do (issue 12), kept
 * fixed, against the real server: sessions ended by a password change,
 * redirects after login only to local paths, an access log that cannot be
 * forged, login throttling per account and address that slows an attacker
 * without locking the office out, the size of a login at the door, slow
 * clients, the scope of a base's pages, passwords, and a full disk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"

static TestServer srv;

static int setup(void **state)
{
	server_start_logged(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "two_desks", "viewer", NULL);
	server_add_user(&srv, "tangxia_reporter", "area", "tangxia");
	server_add_user(&srv, "hard_dept", "department", "kjj");
	server_add_user(&srv, "reset_me", "viewer", NULL);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(server_stop(&srv), 0);
	return 0;
}

/* The whole of a file, malloc'd ("" when it cannot be read). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t k = fread(s, 1, (size_t)n, f);
	s[k] = 0;
	fclose(f);
	return s;
}

/* Changing one's password ends one's other sessions; this one stays. */
static void test_password_change_ends_other_sessions(void **state)
{
	Login desk1, desk2;
	assert_int_equal(http_login(srv.port, "two_desks", TEST_USER_PASSWORD, &desk1), 0);
	assert_int_equal(http_login(srv.port, "two_desks", TEST_USER_PASSWORD, &desk2), 0);
	Response r;
	char body[256];
	snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"Quite-another-pass-77\"}",
	         TEST_USER_PASSWORD);
	assert_int_equal(http_as(srv.port, &desk1, "PUT", "/api/v1/session/password", body, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &desk2, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &desk1, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
}

/* An admin's reset of a user's password ends that user's sessions. */
static void test_admin_reset_ends_sessions(void **state)
{
	Login admin, user;
	assert_int_equal(http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin), 0);
	assert_int_equal(http_login(srv.port, "reset_me", TEST_USER_PASSWORD, &user), 0);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/api/v1/users", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	const char *p = strstr(r.body, "\"reset_me\"");
	assert_non_null(p);
	/* the id is the "id" just before the name in the user's object */
	const char *obj = p;
	while (obj > r.body && *obj != '{')
		obj--;
	long long id = 0;
	const char *idp = strstr(obj, "\"id\":");
	assert_non_null(idp);
	id = atoll(idp + 5);
	response_free(&r);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", id);
	assert_int_equal(http_as(srv.port, &admin, "PATCH", path, "{\"reset_password\":true}", &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &user, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_free(&r);
}

/* After login, only a local path: "/%09/evil" would be "//evil" to a browser. */
static void test_login_next_stays_local(void **state)
{
	static const char *const bad[] = {"/%09/evil.example", "//evil.example", "/%5Cevil.example",
	                                  "/\\evil.example", "https://evil.example", "/%0d%0aSet-Cookie:x=1",
	                                  "/ok//evil.example", "/%20/evil.example", "evil.example"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char body[512];
		snprintf(body, sizeof body, "user=admin&password=%s&next=%s", TEST_ADMIN_PASSWORD, bad[i]);
		Response r;
		assert_int_equal(http_request(srv.port, "POST", "/login",
		                              "Content-Type: application/x-www-form-urlencoded\r\n", body, strlen(body),
		                              &r), 0);
		assert_int_equal(r.status, 303);
		char *loc = response_header(&r, "Location");
		assert_non_null(loc);
		if (strcmp(loc, "/workbench") != 0) /* the home */
			fail_msg("next=%s went to \"%s\"", bad[i], loc);
		free(loc);
		response_free(&r);
	}
	/* and a local path is kept */
	char body[256];
	snprintf(body, sizeof body, "user=admin&password=%s&next=%%2Fareas%%3Fyear%%3D2023", TEST_ADMIN_PASSWORD);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n",
	                              body, strlen(body), &r), 0);
	char *loc = response_header(&r, "Location");
	assert_string_equal(loc, "/areas?year=2023");
	free(loc);
	response_free(&r);
}

/* A path with CR LF or quotes cannot forge a line of the access log. */
static void test_access_log_not_forged(void **state)
{
	Response r;
	assert_int_equal(http_request(srv.port, "GET",
	                              "/nothing%0d%0a2026-01-01T00:00:00Z%20203.0.113.9%20%22GET%20/admin%22%20200", NULL,
	                              NULL, 0, &r), 0);
	assert_int_equal(r.status, 404);
	response_free(&r);
	usleep(200 * 1000);
	char *log = slurp(srv.log);
	assert_null(strstr(log, "\n2026-01-01T00:00:00Z 203.0.113.9"));
	const char *line = strstr(log, "/nothing");
	assert_non_null(line);
	/* the request is one line, with its control characters and quotes escaped */
	const char *eol = strchr(line, '\n');
	assert_non_null(eol);
	assert_non_null(strstr(line, "\\x0d\\x0a2026-01-01T00:00:00Z 203.0.113.9 \\x22GET /admin\\x22 200\" 404"));
	assert_true(strstr(line, "\" 404") < eol);
	free(log);
}

/* Another area's pending base is not there, on any of its pages and
 * their API, as on its own page; its area and the office see it. */
static void test_pending_record_scope(void **state)
{
	Login fy, tx, admin, dept;
	assert_int_equal(http_login(srv.port, "hard_dept", TEST_USER_PASSWORD, &dept), 0);
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &fy), 0);
	assert_int_equal(http_login(srv.port, "tangxia_reporter", TEST_USER_PASSWORD, &tx), 0);
	assert_int_equal(http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin), 0);
	Response r;
	assert_int_equal(http_as(srv.port, &fy, "POST", "/api/v1/bases",
	                         "{\"name\":\"飞云待审核基地\",\"kind\":\"incubator\",\"area\":\"feiyun\","
	                         "\"status\":\"operating\",\"opened_on\":\"2024-03-15\",\"total_area_m2\":100,"
	                         "\"incubation_area_m2\":80}", &r), 0);
	assert_int_equal(r.status, 201);
	const char *idp = strstr(r.body, "\"id\":");
	assert_non_null(idp);
	long long id = atoll(idp + 5);
	response_free(&r);
	static const char *const paths[] = {"/bases/%lld", "/bases/%lld/evaluation", "/bases/%lld/figures",
	                                    "/bases/%lld/recognitions", "/api/v1/bases/%lld",
	                                    "/api/v1/bases/%lld/evaluation", "/api/v1/bases/%lld/figures"};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		char path[96];
		snprintf(path, sizeof path, paths[i], id);
		assert_int_equal(http_as(srv.port, &tx, "GET", path, NULL, &r), 0);
		if (r.status != 404)
			fail_msg("another area's reporter: GET %s answered %d", path, r.status);
		assert_null(strstr(r.body, "飞云待审核基地"));
		response_free(&r);
		assert_int_equal(http_as(srv.port, &dept, "GET", path, NULL, &r), 0);
		if (r.status != 404)
			fail_msg("a department: GET %s answered %d", path, r.status);
		response_free(&r);
		assert_int_equal(http_as(srv.port, &fy, "GET", path, NULL, &r), 0);
		if (r.status != 200)
			fail_msg("its own area's reporter: GET %s answered %d", path, r.status);
		response_free(&r);
		assert_int_equal(http_as(srv.port, &admin, "GET", path, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		response_free(&r);
	}
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Slow clients (slowloris): one address holds at most --max-per-address
 * connections, a request that trickles in (a header line every half
 * second, never idle) is cut after --request-timeout seconds, and a
 * normal request from elsewhere is answered at once meanwhile. */
static void test_slow_clients(void **state)
{
	TestServer t;
	const char *const args[] = {"--max-per-address", "3", "--request-timeout", "2", NULL};
	server_start(&t, args);
	http_set_source("127.0.0.2");
	int fds[3];
	for (int i = 0; i < 3; i++) {
		fds[i] = http_connect(t.port);
		assert_true(fds[i] >= 0);
		const char *start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
		assert_int_equal(send(fds[i], start, strlen(start), MSG_NOSIGNAL), (ssize_t)strlen(start));
	}
	usleep(200 * 1000);
	/* a fourth from the same address is closed without an answer */
	int extra = http_connect(t.port);
	assert_true(extra >= 0);
	const char *get = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	send(extra, get, strlen(get), MSG_NOSIGNAL);
	char buf[256];
	ssize_t k = recv(extra, buf, sizeof buf, 0);
	assert_true(k <= 0 && !(k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)));
	close(extra);
	http_set_source(NULL);
	/* someone else is answered at once */
	double t0 = mono();
	Response r;
	assert_int_equal(http_request(t.port, "GET", "/healthz", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_true(mono() - t0 < 1.0);
	/* the slow ones trickle on; within a few seconds they are cut */
	t0 = mono();
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 3; i++)
			send(fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL);
		usleep(500 * 1000);
	}
	for (int i = 0; i < 3; i++) {
		k = recv(fds[i], buf, sizeof buf, MSG_DONTWAIT);
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			fail_msg("a request trickling in for %.1f s is still open", mono() - t0);
		close(fds[i]);
	}
	/* and the address may connect again */
	http_set_source("127.0.0.2");
	assert_int_equal(http_request(t.port, "GET", "/healthz", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	http_set_source(NULL);
	assert_int_equal(server_stop(&t), 0);
}

/* A save on a full disk (here: a file size limit put on the running
 * server) is answered 507 with the error object and a Chinese message,
 * and the server's log says what failed; once there is room, saving works
 * again and nothing was half-written. */
static void test_disk_full(void **state)
{
	TestServer t;
	server_start_logged(&t, NULL);
	Login admin;
	assert_int_equal(http_login(t.port, "admin", TEST_ADMIN_PASSWORD, &admin), 0);
	static const char base[] = "{\"name\":\"磁盘测试基地%d\",\"kind\":\"incubator\",\"area\":\"feiyun\","
	                           "\"status\":\"operating\",\"opened_on\":\"2024-03-15\",\"total_area_m2\":100,"
	                           "\"incubation_area_m2\":80}";
	char body[512];
	struct rlimit full = {4096, RLIM_INFINITY}, room = {RLIM_INFINITY, RLIM_INFINITY};
	assert_int_equal(prlimit(t.pid, RLIMIT_FSIZE, &full, NULL), 0);
	Response r;
	snprintf(body, sizeof body, base, 1);
	assert_int_equal(http_as(t.port, &admin, "POST", "/api/v1/bases", body, &r), 0);
	assert_int_equal(r.status, 507);
	assert_non_null(strstr(r.body, "\"code\":\"disk_full\""));
	assert_non_null(strstr(r.body, "磁盘"));
	response_free(&r);
	assert_int_equal(prlimit(t.pid, RLIMIT_FSIZE, &room, NULL), 0);
	snprintf(body, sizeof body, base, 2);
	assert_int_equal(http_as(t.port, &admin, "POST", "/api/v1/bases", body, &r), 0);
	assert_int_equal(r.status, 201);
	response_free(&r);
	usleep(200 * 1000);
	char *log = slurp(t.log);
	assert_non_null(strstr(log, "hatchery: store: "));
	assert_non_null(strstr(log, "\"POST /api/v1/bases\" 507"));
	free(log);
	/* all or nothing: the refused base is not there, the later one is */
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(t.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT (SELECT count(*) FROM base WHERE name = '磁盘测试基地1'), "
	                                    "(SELECT count(*) FROM base WHERE name = '磁盘测试基地2'), "
	                                    "(SELECT integrity_check FROM pragma_integrity_check)",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(server_stop(&t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_change_ends_other_sessions),
		cmocka_unit_test(test_admin_reset_ends_sessions),
		cmocka_unit_test(test_login_next_stays_local),
		cmocka_unit_test(test_access_log_not_forged),
		cmocka_unit_test(test_pending_record_scope),
		cmocka_unit_test(test_slow_clients),
		cmocka_unit_test(test_disk_full),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
