/*
 * test_accounts.c — accounts over the real server: password storage,
 * login over the form and the API, answers that never reveal whether a
 * user exists, throttling per account and address pair and per address,
 * the size of a login at the door, generated passwords
 * that must be changed, password rules, CSRF and origin checks, logout,
 * idle and absolute timeouts, ending sessions, disabling users, cookie
 * flags, no inline script (CSP), and the user commands of the CLI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

static TestServer srv;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "victim", "viewer", NULL);
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

static void sql_exec(const char *db, const char *sql)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	char *err = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(h);
}

static char *sql_text(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* Runs a command; returns its first output line (malloc'd) and exit status. */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[512] = {0};
	if (!fgets(line, sizeof line, p))
		line[0] = 0;
	char rest[512];
	while (fgets(rest, sizeof rest, p))
		;
	*status = pclose(p);
	return strdup(line);
}

static void test_password_is_argon2id(void **state)
{
	char *h = sql_text(srv.db, "SELECT password_hash FROM user WHERE name = 'admin'");
	assert_non_null(h);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_non_null(strstr(h, "$m=32768,t=3,p=1$")); /* 32 MiB, 3 passes (auth.c) */
	assert_null(strstr(h, TEST_ADMIN_PASSWORD));
	free(h);
}

/* A hash made with older settings (libsodium's interactive 64 MiB × 2) still
 * logs in, and is made again with the current ones at that login, noted in
 * the audit trail; a wrong password changes nothing. */
static void test_old_hash_rehashed_at_login(void **state)
{
	char old[crypto_pwhash_STRBYTES];
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(crypto_pwhash_str_alg(old, TEST_USER_PASSWORD, strlen(TEST_USER_PASSWORD),
	                                       crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	server_add_user(&srv, "old-hash", "viewer", NULL);
	char sql[512];
	snprintf(sql, sizeof sql, "UPDATE user SET password_hash = '%s', must_change = 0 WHERE name = 'old-hash'", old);
	sql_exec(srv.db, sql);
	Login l;
	assert_int_not_equal(http_login(srv.port, "old-hash", "Wrong-password-99", &l), 0);
	char *h = sql_text(srv.db, "SELECT password_hash FROM user WHERE name = 'old-hash'");
	assert_string_equal(h, old);
	free(h);
	assert_int_equal(http_login(srv.port, "old-hash", TEST_USER_PASSWORD, &l), 0);
	h = sql_text(srv.db, "SELECT password_hash FROM user WHERE name = 'old-hash'");
	assert_string_not_equal(h, old);
	assert_non_null(strstr(h, "$m=32768,t=3,p=1$"));
	free(h);
	char *n = sql_text(srv.db, "SELECT count(*) FROM audit WHERE action = 'rehash' AND user_name = 'old-hash'");
	assert_string_equal(n, "1");
	free(n);
	/* and the new hash logs in */
	assert_int_equal(http_login(srv.port, "old-hash", TEST_USER_PASSWORD, &l), 0);
	n = sql_text(srv.db, "SELECT count(*) FROM audit WHERE action = 'rehash' AND user_name = 'old-hash'");
	assert_string_equal(n, "1");
	free(n);
}

static Response form_login(int port, const char *user, const char *pw)
{
	char body[256];
	snprintf(body, sizeof body, "user=%s&password=%s&next=%%2Fareas", user, pw);
	Response r;
	assert_int_equal(http_request(port, "POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n", body,
	                              strlen(body), &r), 0);
	return r;
}

/* An unknown user and a wrong password get the same answer. */
static void test_login_does_not_reveal_users(void **state)
{
	Response a = form_login(srv.port, "admin", "wrong-password-1");
	Response b = form_login(srv.port, "nobody_here", "wrong-password-1");
	assert_int_equal(a.status, 401);
	assert_int_equal(b.status, a.status);
	assert_non_null(strstr(a.body, "用户名或密码错误"));
	assert_non_null(strstr(b.body, "用户名或密码错误"));
	response_free(&a);
	response_free(&b);
	Login l;
	assert_int_equal(http_login(srv.port, "nobody_here", "wrong-password-1", &l), -1);
	assert_int_equal(l.status, 401);
	/* the right password logs in, and the form goes where it was asked */
	Response ok = form_login(srv.port, "admin", TEST_ADMIN_PASSWORD);
	assert_int_equal(ok.status, 303);
	char *loc = response_header(&ok, "Location");
	assert_string_equal(loc, "/areas");
	char *cookie = response_header(&ok, "Set-Cookie");
	assert_non_null(strstr(cookie, "HttpOnly"));
	assert_non_null(strstr(cookie, "SameSite=Lax"));
	assert_null(strstr(cookie, "Secure"));
	free(loc);
	free(cookie);
	response_free(&ok);
}

/* Three failures of one name from one address make that pair wait (15 s,
 * then doubling), whoever the name is; the name from another address, and
 * other names from this one, are not held up: an attacker cannot lock the
 * office's admin out. Throttled answers do not tell whether a user exists. */
static void test_throttle_per_account_and_address(void **state)
{
	http_set_source("127.0.0.2"); /* the attacker */
	for (int i = 0; i < 3; i++) {
		Response r = form_login(srv.port, "victim", "not-the-password");
		assert_int_equal(r.status, 401);
		response_free(&r);
	}
	Response r = form_login(srv.port, "victim", TEST_USER_PASSWORD); /* even the right one waits */
	assert_int_equal(r.status, 429);
	char *ra = response_header(&r, "Retry-After");
	assert_non_null(ra);
	assert_true(atoi(ra) > 10 && atoi(ra) <= 15);
	char msg[128];
	snprintf(msg, sizeof msg, "登录失败次数过多，请 %d 秒后再试。", atoi(ra));
	assert_non_null(strstr(r.body, msg));
	free(ra);
	response_free(&r);
	for (int i = 0; i < 3; i++) {
		Response x = form_login(srv.port, "ghost_user", "not-the-password");
		response_free(&x);
	}
	Login g;
	assert_int_equal(http_login(srv.port, "ghost_user", "not-the-password", &g), -1);
	assert_int_equal(g.status, 429); /* the same answer for a name that does not exist */
	/* the attacker's own other names are not held up by the pair's wait */
	Login l;
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &l), 0);
	/* the victim, from their own desk, logs in at once */
	http_set_source(NULL);
	assert_int_equal(http_login(srv.port, "victim", TEST_USER_PASSWORD, &l), 0);
	/* once the wait is over, one more failure doubles it */
	sql_exec(srv.db, "UPDATE login_failure SET at = at - 16 WHERE key LIKE 'pair:%'");
	http_set_source("127.0.0.2");
	r = form_login(srv.port, "victim", "not-the-password");
	assert_int_equal(r.status, 401);
	response_free(&r);
	r = form_login(srv.port, "victim", TEST_USER_PASSWORD);
	assert_int_equal(r.status, 429);
	ra = response_header(&r, "Retry-After");
	assert_true(atoi(ra) > 25 && atoi(ra) <= 30); /* twice the first wait */
	free(ra);
	response_free(&r);
	http_set_source(NULL);
	/* waits are in the audit trail, with the tried name and the address */
	char *n = sql_text(srv.db, "SELECT count(*) FROM audit WHERE action = 'login_throttled' AND record_id = 'victim' "
	                           "AND addr = '127.0.0.2'");
	assert_non_null(n);
	assert_int_equal(atoi(n), 2);
	free(n);
	/* the throttle keeps no user name */
	n = sql_text(srv.db, "SELECT count(*) FROM login_failure WHERE key LIKE '%victim%' OR key LIKE '%ghost%'");
	assert_string_equal(n, "0");
	free(n);
}

/* Many failures from one address (an office behind one NAT) slow logins
 * from it by seconds; they never lock it out. */
static void test_throttle_per_address(void **state)
{
	TestServer t;
	server_start(&t, NULL);
	char sql[256];
	snprintf(sql, sizeof sql,
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120) "
	         "INSERT INTO login_failure(key, at) SELECT 'addr:127.0.0.1', %lld FROM n",
	         (long long)time(NULL));
	sql_exec(t.db, sql);
	Login l;
	assert_int_equal(http_login(t.port, "admin", TEST_ADMIN_PASSWORD, &l), -1);
	assert_int_equal(l.status, 429);
	/* another address is not concerned */
	http_set_source("127.0.0.4");
	assert_int_equal(http_login(t.port, "admin", TEST_ADMIN_PASSWORD, &l), 0);
	http_set_source(NULL);
	/* 120 failures: a wait of 4 seconds, then the office is in */
	sleep(5);
	assert_int_equal(http_login(t.port, "admin", TEST_ADMIN_PASSWORD, &l), 0);
	assert_int_equal(server_stop(&t), 0);
}

/* A login is refused at the door when its name or body is too long; the
 * name is not kept anywhere. */
static void test_login_size_at_the_door(void **state)
{
	size_t n = 200 * 1024;
	char *body = malloc(n + 64);
	strcpy(body, "user=");
	memset(body + 5, 'x', n);
	strcpy(body + 5 + n, "&password=whatever-123");
	Response r;
	assert_int_equal(http_request(srv.port, "POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n",
	                              body, strlen(body), &r), 0);
	assert_int_equal(r.status, 413);
	response_free(&r);
	snprintf(body, n, "{\"user\":\"%0200d\",\"password\":\"whatever-123\"}", 7);
	assert_int_equal(http_request(srv.port, "POST", "/api/v1/session", "Content-Type: application/json\r\n", body,
	                              strlen(body), &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "用户名过长"));
	response_free(&r);
	free(body);
	char *c = sql_text(srv.db, "SELECT count(*) FROM login_failure WHERE length(key) > 64");
	assert_string_equal(c, "0");
	free(c);
	c = sql_text(srv.db, "SELECT count(*) FROM audit WHERE length(record_id) > 64 OR length(user_name) > 64");
	assert_string_equal(c, "0");
	free(c);
}

/* A generated password must be changed before anything else. */
static void test_generated_password_must_change(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "env -u HATCHERY_PASSWORD '%s' user add --db '%s' newbie --role area --scope xianjiang",
	         getenv("HATCHERY_BIN"), srv.db);
	int st;
	char *line = run(cmd, &st);
	assert_int_equal(st, 0);
	char pw[32] = {0};
	const char *p = strstr(line, "password ");
	assert_non_null(p);
	sscanf(p + 9, "%31s", pw);
	free(line);
	assert_int_equal(strlen(pw), 16);
	Login l;
	assert_int_equal(http_login(srv.port, "newbie", pw, &l), 0);
	Response r;
	assert_int_equal(http_as(srv.port, &l, "GET", "/", NULL, &r), 0);
	assert_int_equal(r.status, 303);
	char *loc = response_header(&r, "Location");
	assert_string_equal(loc, "/password");
	free(loc);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &l, "GET", "/api/v1/bases/13", NULL, &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "password_change_required"));
	response_free(&r);
	/* rules: too short, contains the name, wrong old password */
	char body[256];
	snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"short\"}", pw);
	assert_int_equal(http_as(srv.port, &l, "PUT", "/api/v1/session/password", body, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "10 个字符"));
	response_free(&r);
	snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"my-newbie-password\"}", pw);
	assert_int_equal(http_as(srv.port, &l, "PUT", "/api/v1/session/password", body, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "用户名"));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &l, "PUT", "/api/v1/session/password",
	                         "{\"old_password\":\"wrong\",\"new_password\":\"A-good-long-password-9\"}", &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"old_password\""));
	response_free(&r);
	snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"A-good-long-password-9\"}", pw);
	assert_int_equal(http_as(srv.port, &l, "PUT", "/api/v1/session/password", body, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &l, "GET", "/api/v1/bases/13", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	Login again;
	assert_int_equal(http_login(srv.port, "newbie", "A-good-long-password-9", &again), 0);
}

/* A password given in $HATCHERY_PASSWORD must be changed at first login
 * too, as the help says; --keep-password keeps it (accounts for scripts). */
static void test_env_password_must_change(void **state)
{
	char cmd[512];
	int st;
	snprintf(cmd, sizeof cmd, "HATCHERY_PASSWORD='Given-by-office-31' '%s' user add --db '%s' envuser --role viewer",
	         getenv("HATCHERY_BIN"), srv.db);
	char *line = run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(line, "must be changed at first login"));
	free(line);
	Login l;
	assert_int_equal(http_login(srv.port, "envuser", "Given-by-office-31", &l), 0);
	Response r;
	assert_int_equal(http_as(srv.port, &l, "GET", "/api/v1/bases/13", NULL, &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "password_change_required"));
	response_free(&r);
	/* kept on request, for a script's account */
	snprintf(cmd, sizeof cmd,
	         "HATCHERY_PASSWORD='Given-by-office-31' '%s' user add --db '%s' scriptuser --role viewer --keep-password",
	         getenv("HATCHERY_BIN"), srv.db);
	line = run(cmd, &st);
	assert_int_equal(st, 0);
	free(line);
	assert_int_equal(http_login(srv.port, "scriptuser", "Given-by-office-31", &l), 0);
	assert_int_equal(http_as(srv.port, &l, "GET", "/api/v1/bases/13", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	/* --keep-password without a password to keep is a usage mistake */
	snprintf(cmd, sizeof cmd, "env -u HATCHERY_PASSWORD '%s' user add --db '%s' nokeep --role viewer --keep-password 2>&1",
	         getenv("HATCHERY_BIN"), srv.db);
	line = run(cmd, &st);
	assert_int_equal(WEXITSTATUS(st), 2);
	free(line);
	/* and a weak password is refused by the CLI too */
	snprintf(cmd, sizeof cmd, "HATCHERY_PASSWORD=aaaaaaaaaa '%s' user add --db '%s' weakling --role viewer 2>&1",
	         getenv("HATCHERY_BIN"), srv.db);
	line = run(cmd, &st);
	assert_int_not_equal(WEXITSTATUS(st), 0);
	assert_non_null(strstr(line, "不同的字符太少"));
	free(line);
}

/* The password rule at the door of a password change: common passwords,
 * runs and one repeated character are refused with a Chinese reason. */
static void test_password_rule_over_api(void **state)
{
	Login l;
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &l), 0);
	static const char *const weak[][2] = {
		{"aaaaaaaaaa", "不同的字符太少"},
		{"abcdefghijk", "连续的字母或数字"},
		{"Password2024!", "常见密码"},
		{"春眠不觉晓", "10 个字符"},
	};
	for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
		char body[256];
		snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"%s\"}", TEST_USER_PASSWORD,
		         weak[i][0]);
		Response r;
		assert_int_equal(http_as(srv.port, &l, "PUT", "/api/v1/session/password", body, &r), 0);
		assert_int_equal(r.status, 400);
		if (!strstr(r.body, weak[i][1]))
			fail_msg("%s: %s", weak[i][0], r.body);
		response_free(&r);
	}
}

/* State changes need the session's token, and a same-origin Origin when sent. */
static void test_csrf_and_origin(void **state)
{
	Login l;
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &l), 0);
	char headers[512];
	const char *body = "{\"contact\":\"csrf\"}";
	Response r;
	/* no token */
	snprintf(headers, sizeof headers, "%sContent-Type: application/json\r\n", l.cookie);
	assert_int_equal(http_request(srv.port, "PATCH", "/api/v1/bases/10", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "\"csrf\""));
	response_free(&r);
	/* wrong token */
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: application/json\r\n", l.cookie,
	         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_equal(http_request(srv.port, "PATCH", "/api/v1/bases/10", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);
	/* right token, foreign origin */
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nOrigin: http://evil.example\r\nContent-Type: application/json\r\n",
	         l.cookie, l.csrf);
	assert_int_equal(http_request(srv.port, "PATCH", "/api/v1/bases/10", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "\"cross_origin\""));
	response_free(&r);
	/* right token, same origin */
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nOrigin: http://127.0.0.1:%d\r\nContent-Type: application/json\r\n",
	         l.cookie, l.csrf, srv.port);
	assert_int_equal(http_request(srv.port, "PATCH", "/api/v1/bases/10", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 202); /* a reporter's change to an approved base waits for review */
	response_free(&r);
	/* a form POST without the token field */
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", l.cookie);
	assert_int_equal(http_request(srv.port, "POST", "/logout", headers, "x=1", 3, &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);
}

static void test_logout_and_session_storage(void **state)
{
	Login l;
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &l), 0);
	/* only a hash of the token is stored */
	const char *tok = strchr(l.cookie, '=') + 1;
	char token[80];
	sscanf(tok, "%79[^\r;]", token);
	assert_true(strlen(token) >= 43);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM session WHERE token_hash = '%s'", token);
	char *n = sql_text(srv.db, sql);
	assert_string_equal(n, "0");
	free(n);
	char *len = sql_text(srv.db, "SELECT min(length(token_hash)) FROM session");
	assert_string_equal(len, "64");
	free(len);
	Response r;
	assert_int_equal(http_as(srv.port, &l, "DELETE", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &l, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_free(&r);
}

/* Sessions end after 2 idle hours, or 12 hours after login. */
static void test_timeouts(void **state)
{
	Login idle, old;
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &idle), 0);
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE session SET last_seen = %lld", (long long)time(NULL) - 3 * 3600);
	sql_exec(srv.db, sql);
	Response r;
	assert_int_equal(http_as(srv.port, &idle, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_free(&r);
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &old), 0);
	snprintf(sql, sizeof sql, "UPDATE session SET created_at = %lld", (long long)time(NULL) - 13 * 3600);
	sql_exec(srv.db, sql);
	assert_int_equal(http_as(srv.port, &old, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_free(&r);
}

/* The office ends a user's sessions, or disables the user. */
static void test_admin_ends_sessions_and_disables(void **state)
{
	Login admin, user;
	assert_int_equal(http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin), 0);
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &user), 0);
	char *id = sql_text(srv.db, "SELECT id FROM user WHERE name = 'feiyun_reporter'");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/users/%s/sessions", id);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"sessions_ended\""));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &user, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_free(&r);

	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &user), 0);
	snprintf(path, sizeof path, "/api/v1/users/%s", id);
	assert_int_equal(http_as(srv.port, &admin, "PATCH", path, "{\"disabled\":true}", &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	assert_int_equal(http_as(srv.port, &user, "GET", "/api/v1/session", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_free(&r);
	Login again;
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &again), -1);
	assert_int_equal(again.status, 401);
	assert_int_equal(http_as(srv.port, &admin, "PATCH", path, "{\"disabled\":false}", &r), 0);
	response_free(&r);
	assert_int_equal(http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &again), 0);
	/* both changes are in the audit trail, with who did them */
	snprintf(path, sizeof path, "/api/v1/audit?kind=user&id=%s", id);
	assert_int_equal(http_as(srv.port, &admin, "GET", path, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"action\":\"disable\""));
	assert_non_null(strstr(r.body, "\"action\":\"enable\""));
	assert_non_null(strstr(r.body, "\"user\":\"admin\""));
	response_free(&r);
	free(id);
}

/* Behind HTTPS the cookie is Secure. */
static void test_secure_cookie_behind_https(void **state)
{
	TestServer t;
	const char *args[] = {"--behind-https", NULL};
	server_start(&t, args);
	Response r = form_login(t.port, "admin", TEST_ADMIN_PASSWORD);
	char *cookie = response_header(&r, "Set-Cookie");
	assert_non_null(cookie);
	assert_non_null(strstr(cookie, "; Secure"));
	free(cookie);
	response_free(&r);
	/* the client address is the one the proxy appended last */
	const char *body = "{\"user\":\"admin\",\"password\":\"" TEST_ADMIN_PASSWORD "\"}";
	assert_int_equal(http_request(t.port, "POST", "/api/v1/session",
	                              "Content-Type: application/json\r\nX-Forwarded-For: 198.51.100.7, 203.0.113.9\r\n", body,
	                              strlen(body), &r), 0);
	assert_int_equal(r.status, 200);
	response_free(&r);
	char *addr = sql_text(t.db, "SELECT addr FROM audit WHERE action = 'login' ORDER BY id DESC LIMIT 1");
	assert_string_equal(addr, "203.0.113.9");
	free(addr);
	assert_int_equal(server_stop(&t), 0);
}

/* No page has inline script or style (the CSP allows neither): every
 * script tag loads one of our files and holds nothing, no element has an
 * event handler or a style attribute. */
static void test_no_inline_script(void **state)
{
	Login admin;
	assert_int_equal(http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin), 0);
	const char *pages[] = {"/", "/areas", "/plan", "/login", "/areas/feiyun", "/admin/users", "/admin/audit", "/bases/10"};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		Response r;
		/* /login is for visitors: a logged-in user is sent on */
		assert_int_equal(http_as(srv.port, strcmp(pages[i], "/login") ? &admin : NULL, "GET", pages[i], NULL, &r), 0);
		char *csp = response_header(&r, "Content-Security-Policy");
		if (!csp)
			fail_msg("%s: status %d without a Content-Security-Policy", pages[i], r.status);
		if (!strstr(csp, "script-src 'self';") || !strstr(csp, "style-src 'self';") || strstr(csp, "unsafe-inline"))
			fail_msg("%s: CSP allows more than our own files: %s", pages[i], csp);
		int scripts = 0;
		for (const char *p = strstr(r.body, "<script"); p; p = strstr(p + 1, "<script")) {
			const char *close = strstr(p, ">");
			if (strncmp(p, "<script src=\"/static/", 21) != 0 || !close || strncmp(close, "></script>", 10) != 0)
				fail_msg("%s: an inline script: %.60s", pages[i], p);
			scripts++;
		}
		assert_true(scripts >= 1);
		assert_null(strstr(r.body, " onclick="));
		assert_null(strstr(r.body, " onload="));
		assert_null(strstr(r.body, " style=\""));
		assert_null(strstr(r.body, "<style"));
		free(csp);
		response_free(&r);
	}
}

/* The user and audit commands of the CLI. */
static void test_cli_user_and_audit(void **state)
{
	char cmd[512];
	int st;
	snprintf(cmd, sizeof cmd, "'%s' user list --db '%s'", getenv("HATCHERY_BIN"), srv.db);
	FILE *p = popen(cmd, "r");
	char all[8192] = {0};
	size_t n = fread(all, 1, sizeof all - 1, p);
	all[n] = 0;
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(all, "feiyun_reporter"));
	assert_non_null(strstr(all, "area"));
	snprintf(cmd, sizeof cmd, "'%s' user add --db '%s' bad_scope --role area --scope nowhere 2>&1", getenv("HATCHERY_BIN"),
	         srv.db);
	char *line = run(cmd, &st);
	assert_int_not_equal(st, 0);
	assert_non_null(strstr(line, "--scope"));
	free(line);
	snprintf(cmd, sizeof cmd, "'%s' user add --db '%s' x --role wizard 2>&1", getenv("HATCHERY_BIN"), srv.db);
	line = run(cmd, &st);
	assert_int_not_equal(st, 0);
	free(line);
	snprintf(cmd, sizeof cmd, "'%s' audit --db '%s' --kind session --json", getenv("HATCHERY_BIN"), srv.db);
	line = run(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(line, "login"));
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_is_argon2id),
		cmocka_unit_test(test_old_hash_rehashed_at_login),
		cmocka_unit_test(test_login_does_not_reveal_users),
		cmocka_unit_test(test_throttle_per_account_and_address),
		cmocka_unit_test(test_throttle_per_address),
		cmocka_unit_test(test_login_size_at_the_door),
		cmocka_unit_test(test_generated_password_must_change),
		cmocka_unit_test(test_env_password_must_change),
		cmocka_unit_test(test_password_rule_over_api),
		cmocka_unit_test(test_csrf_and_origin),
		cmocka_unit_test(test_logout_and_session_storage),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_admin_ends_sessions_and_disables),
		cmocka_unit_test(test_secure_cookie_behind_https),
		cmocka_unit_test(test_no_inline_script),
		cmocka_unit_test(test_cli_user_and_audit),
	};
	return cmocka_run_group_tests_name("accounts", tests, setup, teardown);
}
