/*
 * test_page_cache_http.c — the page cache over the real server (src/http_cache.c,
 * http.c): a repeated GET is answered from memory (X-Page-Cache: hit) with
 * the same bytes; any change — over the API, or by another process on the
 * database file as the sqlite3 shell would — is seen by the next request;
 * a change in one area keeps another area's pages and drops its own and the
 * city's; an ended or disabled session gets nothing kept; two users asking for the
 * same address each get their own page; a changed scope is refused what
 * was kept for the old one; the query is part of the key;
 * errors are never kept; a database whose stamp went back drops what was
 * kept; --page-cache 0 turns it off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static TestServer srv;
static Login admin;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "cache-feiyun", "area", "feiyun");
	server_add_user(&srv, "cache-tangxia", "area", "tangxia");
	server_add_user(&srv, "cache-viewer", "viewer", NULL);
	return http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin);
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* GET path as l; *hit says whether it came from the page cache. */
static Response get_as(const Login *l, const char *path, int *hit)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, "GET", path, NULL, &r), 0);
	char *h = response_header(&r, "X-Page-Cache");
	*hit = h && strcmp(h, "hit") == 0;
	free(h);
	return r;
}

/* Asked twice, the second answer is the first one's bytes, from memory;
 * a change over the API is in the next answer. */
static void test_hit_then_change_over_api(void **state)
{
	int hit;
	Response a = get_as(&admin, "/api/v1/bases/1", &hit);
	assert_int_equal(a.status, 200);
	Response b = get_as(&admin, "/api/v1/bases/1", &hit);
	assert_true(hit);
	assert_int_equal(b.status, 200);
	assert_string_equal(a.body, b.body);
	response_free(&b);

	Response p;
	assert_int_equal(http_as(srv.port, &admin, "PATCH", "/api/v1/bases/1", "{\"contact\":\"缓存测试 0577-1\"}", &p), 0);
	assert_int_equal(p.status, 200);
	response_free(&p);
	Response c = get_as(&admin, "/api/v1/bases/1", &hit);
	assert_false(hit);
	assert_non_null(strstr(c.body, "缓存测试 0577-1"));
	assert_null(strstr(a.body, "缓存测试 0577-1"));
	response_free(&c);
	/* and the list page, kept before, shows it too */
	response_free(&a);
}

/* A change made by another process on the database file (the CLI, the
 * sqlite3 shell) is seen by the next request: the triggers move the stamp. */
static void test_change_by_another_process(void **state)
{
	Login v = http_login_user(srv.port, "cache-viewer");
	int hit;
	Response a = get_as(&v, "/bases/2", &hit);
	assert_int_equal(a.status, 200);
	response_free(&a);
	Response b = get_as(&v, "/bases/2", &hit);
	assert_true(hit);
	response_free(&b);
	Response o = get_as(&v, "/", &hit);
	response_free(&o);

	server_db_exec(&srv, "UPDATE base SET name = '手工改名的基地' WHERE id = 2");
	Response c = get_as(&v, "/bases/2", &hit);
	assert_false(hit);
	assert_non_null(strstr(c.body, "手工改名的基地"));
	response_free(&c);

	/* a target changed by hand moves the overview's figures */
	Response o1 = get_as(&v, "/api/v1/progress", &hit);
	Response o2 = get_as(&v, "/api/v1/progress", &hit);
	assert_true(hit);
	response_free(&o2);
	server_db_exec(&srv, "UPDATE target SET value = value + 1000 WHERE source = 'plan'");
	Response o3 = get_as(&v, "/api/v1/progress", &hit);
	assert_false(hit);
	assert_string_not_equal(o1.body, o3.body);
	response_free(&o1);
	response_free(&o3);
}

/* The id of the first approved base of area, read from the database. */
static long long base_of(const char *area)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT min(id) FROM base WHERE area = ?1 AND review_status = 'approved'",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, area, -1, SQLITE_STATIC);
	long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_true(id > 0);
	return id;
}

/* Asks for path twice: the second answer comes from the page cache. */
static char *kept(const Login *l, const char *path)
{
	int hit;
	Response a = get_as(l, path, &hit);
	assert_int_equal(a.status, 200);
	Response b = get_as(l, path, &hit);
	if (!hit)
		fail_msg("%s: not kept", path);
	char *body = strdup(b.body);
	response_free(&a);
	response_free(&b);
	return body;
}

/* Whether path comes from the page cache now (its body in *body). */
static int hit_now(const Login *l, const char *path, char **body)
{
	int hit;
	Response r = get_as(l, path, &hit);
	assert_int_equal(r.status, 200);
	*body = strdup(r.body);
	response_free(&r);
	return hit;
}

/* A change in one area drops the pages of that area and of the whole
 * city, and keeps another area's (its page, a base's evaluation, its
 * progress): schema step 7's stamps. What is in no area (a target) drops
 * them all. */
static void test_change_in_one_area(void **state)
{
	Login v = http_login_user(srv.port, "cache-viewer");
	char fe_eval[64], tx_eval[64], *body, *before;
	snprintf(fe_eval, sizeof fe_eval, "/bases/%lld/evaluation", base_of("feiyun"));
	snprintf(tx_eval, sizeof tx_eval, "/bases/%lld/evaluation", base_of("tangxia"));
	/* the 工作台 and the competition show every area: any area's change
	 * drops them */
	const char *paths[] = {"/areas/feiyun", "/areas/tangxia", "/", "/api/v1/progress?area=feiyun",
	                       "/api/v1/progress?area=tangxia", "/api/v1/progress", fe_eval, tx_eval,
	                       "/workbench", "/competition"};
	char *was[10];
	for (int i = 0; i < 10; i++)
		was[i] = kept(&v, paths[i]);

	/* another process adds a fund in tangxia: its figure moves */
	server_db_exec(&srv, "INSERT INTO fund(name, area, established_on, created_at, updated_at) "
	               "VALUES ('缓存测试基金', 'tangxia', '2023-05-05', 'x', 'x')");
	const int kept_after[10] = {1, 0, 0, 1, 0, 0, 1, 0, 0, 0};
	for (int i = 0; i < 10; i++) {
		int hit = hit_now(&v, paths[i], &body);
		if (hit != kept_after[i])
			fail_msg("%s after a change in tangxia: %s", paths[i], hit ? "kept" : "made again");
		if (hit)
			assert_string_equal(body, was[i]);
		free(body);
	}
	assert_int_equal(hit_now(&v, "/api/v1/progress?area=tangxia", &body), 1); /* kept again */
	assert_string_not_equal(body, was[4]);
	free(body);

	/* over the API: the office changes a tangxia base; feiyun's pages stay */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/bases/%lld", base_of("tangxia"));
	Response p;
	assert_int_equal(http_as(srv.port, &admin, "PATCH", path, "{\"contact\":\"区域缓存 0577-2\"}", &p), 0);
	assert_int_equal(p.status, 200);
	response_free(&p);
	assert_int_equal(hit_now(&v, "/areas/feiyun", &body), 1);
	free(body);
	assert_int_equal(hit_now(&v, fe_eval, &body), 1);
	free(body);
	assert_int_equal(hit_now(&v, tx_eval, &body), 0);
	free(body);

	/* a target (in no area) drops every area's page */
	before = kept(&v, "/areas/feiyun");
	server_db_exec(&srv, "UPDATE target SET value = value + 1 WHERE scope = 'feiyun'");
	assert_int_equal(hit_now(&v, "/areas/feiyun", &body), 0);
	free(body);
	free(before);
	for (int i = 0; i < 10; i++)
		free(was[i]);
}

/* A published bulletin's page and the archive are kept; publishing another
 * (a change in no area) is in the next answer. */
static void test_bulletin_kept(void **state)
{
	Login v = http_login_user(srv.port, "cache-viewer");
	Response p;
	assert_int_equal(http_as(srv.port, &admin, "POST", "/api/v1/bulletins", "{\"period\":\"2024-10\"}", &p), 0);
	assert_true(p.status == 200 || p.status == 201);
	long long id = atoll(strstr(p.body, "\"id\":") + 5);
	response_free(&p);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/bulletins/%lld/publish", id);
	assert_int_equal(http_as(srv.port, &admin, "POST", path, NULL, &p), 0);
	assert_int_equal(p.status, 200);
	response_free(&p);
	snprintf(path, sizeof path, "/bulletins/%lld", id);
	char *page = kept(&v, path), *list = kept(&v, "/bulletins"), *body;
	assert_non_null(strstr(page, "2024年10月"));
	assert_int_equal(hit_now(&v, path, &body), 1);
	assert_string_equal(body, page);
	free(body);
	assert_int_equal(http_as(srv.port, &admin, "POST", "/api/v1/bulletins", "{\"period\":\"2024-09\"}", &p), 0);
	long long id2 = atoll(strstr(p.body, "\"id\":") + 5);
	response_free(&p);
	snprintf(path, sizeof path, "/api/v1/bulletins/%lld/publish", id2);
	assert_int_equal(http_as(srv.port, &admin, "POST", path, NULL, &p), 0);
	assert_int_equal(p.status, 200);
	response_free(&p);
	assert_int_equal(hit_now(&v, "/bulletins", &body), 0);
	assert_non_null(strstr(body, "2024年9月"));
	assert_null(strstr(list, "2024年9月"));
	free(body);
	free(page);
	free(list);
}

/* A database whose data stamp went back (restored under the running
 * server, with other content): what was kept goes, the next answer shows
 * the database as it is, and is kept again from there. */
static void test_stamp_went_back(void **state)
{
	Login v = http_login_user(srv.port, "cache-viewer");
	char *a = kept(&v, "/bases/3"), *b = kept(&v, "/api/v1/progress"), *body;
	assert_null(strstr(a, "恢复后的基地"));
	/* as a restore would leave it: other rows, an older stamp */
	server_db_exec(&srv, "UPDATE base SET name = '恢复后的基地' WHERE id = 3;"
	              "UPDATE data_stamp SET n = n - 50, area_n = area_n - 50");
	assert_int_equal(hit_now(&v, "/bases/3", &body), 0);
	assert_non_null(strstr(body, "恢复后的基地"));
	free(body);
	assert_int_equal(hit_now(&v, "/bases/3", &body), 1);
	free(body);
	assert_int_equal(hit_now(&v, "/api/v1/progress", &body), 0);
	free(body);
	free(a);
	free(b);
}

/* After logout, or once the user is disabled, the old cookie gets nothing
 * that was kept for it. */
static void test_ended_session_gets_nothing(void **state)
{
	Login v = http_login_user(srv.port, "cache-viewer");
	int hit;
	Response a = get_as(&v, "/bases", &hit);
	Response b = get_as(&v, "/bases", &hit);
	assert_true(hit);
	assert_int_equal(b.status, 200);
	response_free(&a);
	response_free(&b);
	Response out;
	assert_int_equal(http_as(srv.port, &v, "DELETE", "/api/v1/session", NULL, &out), 0);
	response_free(&out);
	Response c = get_as(&v, "/bases", &hit);
	assert_false(hit);
	assert_true(c.status == 302 || c.status == 303 || c.status == 401);
	response_free(&c);

	Login w = http_login_user(srv.port, "cache-viewer");
	Response d = get_as(&w, "/bases", &hit);
	Response e = get_as(&w, "/bases", &hit);
	assert_true(hit);
	response_free(&d);
	response_free(&e);
	json_t *users = NULL;
	Response ul;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/api/v1/users", NULL, &ul), 0);
	users = json_loads(ul.body, 0, NULL);
	response_free(&ul);
	long long id = 0;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(users, "items"), i, u)
		if (strcmp(json_string_value(json_object_get(u, "name")), "cache-viewer") == 0)
			id = json_integer_value(json_object_get(u, "id"));
	json_decref(users);
	assert_true(id > 0);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", id);
	Response p;
	assert_int_equal(http_as(srv.port, &admin, "PATCH", path, "{\"disabled\":true}", &p), 0);
	assert_int_equal(p.status, 200);
	response_free(&p);
	Response f = get_as(&w, "/bases", &hit);
	assert_false(hit);
	assert_int_not_equal(f.status, 200);
	response_free(&f);
	assert_int_equal(http_as(srv.port, &admin, "PATCH", path, "{\"disabled\":false}", &p), 0);
	response_free(&p);
}

/* Two area reporters ask for the same address: each gets the page of their
 * own scope (feiyun's pending record only to feiyun's reporter), also when
 * the other's page is kept. */
static void test_each_user_their_own_page(void **state)
{
	Login fy = http_login_user(srv.port, "cache-feiyun"), tx = http_login_user(srv.port, "cache-tangxia");
	Response cr;
	assert_int_equal(http_as(srv.port, &fy, "POST", "/api/v1/bases",
	                         "{\"name\":\"飞云待审核缓存基地\",\"kind\":\"incubator\",\"area\":\"feiyun\","
	                         "\"status\":\"operating\",\"opened_on\":\"2024-03-15\",\"total_area_m2\":100,"
	                         "\"incubation_area_m2\":80}", &cr), 0);
	assert_int_equal(cr.status, 201);
	response_free(&cr);
	int hit;
	for (int round = 0; round < 2; round++) {
		Response a = get_as(&fy, "/bases?area=feiyun", &hit);
		assert_int_equal(hit, round == 1);
		assert_non_null(strstr(a.body, "飞云待审核缓存基地"));
		response_free(&a);
		Response b = get_as(&tx, "/bases?area=feiyun", &hit);
		assert_int_equal(hit, round == 1);
		assert_int_equal(b.status, 200);
		assert_null(strstr(b.body, "飞云待审核缓存基地"));
		response_free(&b);
		Response c = get_as(NULL, "/", &hit);
		assert_int_equal(hit, round == 1);
		assert_null(strstr(c.body, "cache-feiyun"));
		response_free(&c);
	}
}

/* A kept page skips the role and scope checks only while nothing they read
 * has changed: a base user moved to another base (by hand, in the
 * database) is refused the page kept for it a moment before. */
static void test_scope_change_refuses_kept_page(void **state)
{
	server_add_user(&srv, "cache-base", "base", "3");
	Login b = http_login_user(srv.port, "cache-base");
	int hit;
	Response a = get_as(&b, "/bases/3/evaluation", &hit);
	assert_int_equal(a.status, 200);
	response_free(&a);
	Response a2 = get_as(&b, "/bases/3/evaluation", &hit);
	assert_true(hit);
	response_free(&a2);
	Response other = get_as(&b, "/bases/4/evaluation", &hit);
	assert_int_equal(other.status, 403);
	assert_false(hit);
	response_free(&other);
	server_db_exec(&srv, "UPDATE user SET scope = '4' WHERE name = 'cache-base'");
	Response c = get_as(&b, "/bases/3/evaluation", &hit);
	assert_false(hit);
	assert_int_equal(c.status, 403);
	response_free(&c);
	Response d = get_as(&b, "/bases/4/evaluation", &hit);
	assert_int_equal(d.status, 200);
	response_free(&d);
}

/* The query is part of the key; errors are not kept. */
static void test_query_and_errors(void **state)
{
	int hit;
	Response p1 = get_as(&admin, "/bases?page=1", &hit);
	Response p2 = get_as(&admin, "/bases?page=2", &hit);
	assert_false(hit);
	assert_string_not_equal(p1.body, p2.body);
	Response p1b = get_as(&admin, "/bases?page=1", &hit);
	assert_true(hit);
	assert_string_equal(p1.body, p1b.body);
	Response q = get_as(&admin, "/bases?page=1&q=", &hit);
	assert_false(hit);
	response_free(&p1);
	response_free(&p2);
	response_free(&p1b);
	response_free(&q);
	for (int i = 0; i < 2; i++) {
		Response e = get_as(&admin, "/bases/999999", &hit);
		assert_int_equal(e.status, 404);
		assert_false(hit);
		response_free(&e);
	}
}

/* A kept page is sent gzip'd to who accepts it, and whole to who does not. */
static void test_gzip_of_kept_page(void **state)
{
	int hit;
	Response a = get_as(&admin, "/plan", &hit);
	Response b;
	char headers[400];
	snprintf(headers, sizeof headers, "%sAccept-Encoding: gzip\r\n", admin.cookie);
	assert_int_equal(http_request(srv.port, "GET", "/plan", headers, NULL, 0, &b), 0);
	char *h = response_header(&b, "X-Page-Cache");
	assert_non_null(h);
	free(h);
	assert_true(b.gzipped);
	assert_string_equal(a.body, b.body); /* the client inflates it */
	Response c = get_as(&admin, "/plan", &hit);
	assert_true(hit);
	assert_false(c.gzipped);
	assert_string_equal(a.body, c.body);
	response_free(&a);
	response_free(&b);
	response_free(&c);
}

static void test_off(void **state)
{
	TestServer t;
	const char *args[] = {"--page-cache", "0", NULL};
	server_start(&t, args);
	for (int i = 0; i < 3; i++) {
		Response r;
		assert_int_equal(http_request(t.port, "GET", "/", "", NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		assert_null(response_header(&r, "X-Page-Cache"));
		response_free(&r);
	}
	assert_int_equal(server_stop(&t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_then_change_over_api),
		cmocka_unit_test(test_change_by_another_process),
		cmocka_unit_test(test_change_in_one_area),
		cmocka_unit_test(test_bulletin_kept),
		cmocka_unit_test(test_stamp_went_back),
		cmocka_unit_test(test_ended_session_gets_nothing),
		cmocka_unit_test(test_each_user_their_own_page),
		cmocka_unit_test(test_scope_change_refuses_kept_page),
		cmocka_unit_test(test_query_and_errors),
		cmocka_unit_test(test_gzip_of_kept_page),
		cmocka_unit_test(test_off),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
