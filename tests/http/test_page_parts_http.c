/*
 * test_page_parts_http.c — the parts of pages every session shares
 * (src/page_parts.c) over the real server, with the page cache off
 * (serve --page-cache 0) so that every answer is made: a part is written
 * from memory (X-Page-Part: hit) with the same bytes while what it shows
 * is unchanged; a change in its area, in no area (a target) or, for the
 * pages of the whole plan, anywhere is in the next answer; a change in
 * another area keeps an area's part; a reader never gets a part kept for
 * a wider scope (a reporter's list of another area, the office's
 * evaluation with its forms); --page-parts 0 turns them off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

static TestServer srv;
static Login admin;

static int setup(void **state)
{
	(void)state;
	const char *args[] = {"--page-cache", "0", NULL};
	server_start(&srv, args);
	server_add_user(&srv, "parts-feiyun", "area", "feiyun");
	server_add_user(&srv, "parts-tangxia", "area", "tangxia");
	server_add_user(&srv, "parts-viewer", "viewer", NULL);
	return http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

/* GET path as l (200 expected): the body (malloc'd), and in *hit whether
 * a kept part was in it. */
static char *get(const Login *l, const char *path, int *hit)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, "GET", path, NULL, &r), 0);
	if (r.status != 200)
		fail_msg("%s: status %d", path, r.status);
	char *h = response_header(&r, "X-Page-Part");
	*hit = h && strcmp(h, "hit") == 0;
	free(h);
	assert_null(response_header(&r, "X-Page-Cache")); /* the page cache is off */
	char *body = strdup(r.body);
	response_free(&r);
	return body;
}

/* Fails with the first place where a and b differ (the bodies are long). */
static void same_bytes(const char *what, const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	if (a[i] || b[i])
		fail_msg("%s differs at byte %zu: \"%.80s\" vs \"%.80s\"", what, i, a + i, b + i);
}

/* Asks for path twice: the second answer has the kept part and the same bytes. */
static char *kept(const Login *l, const char *path)
{
	int hit;
	char *a = get(l, path, &hit), *b = get(l, path, &hit);
	if (!hit)
		fail_msg("%s: no part kept", path);
	same_bytes(path, a, b);
	free(a);
	return b;
}

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

/* The pages of the whole plan (the overview, the country's progress, the
 * list of every base) are kept until any change, wherever it is; what
 * changed is in the next answer. */
static void test_whole_plan_parts(void **state)
{
	(void)state;
	/* (a login is a change: both first) */
	Login v = http_login_user(srv.port, "parts-viewer"), w = http_login_user(srv.port, "parts-viewer");
	const char *paths[] = {"/", "/api/v1/progress", "/bases", "/api/v1/progress?year=2023"};
	char *was[4];
	for (int i = 0; i < 4; i++)
		was[i] = kept(&v, paths[i]);
	/* another session gets the same parts */
	int hit;
	char *body = get(&w, "/api/v1/progress", &hit);
	assert_true(hit);
	assert_string_equal(body, was[1]);
	free(body);

	/* a fund in tangxia: every page of the whole plan is made again and counts it */
	server_db_exec(&srv, "INSERT INTO fund(name, area, established_on, created_at, updated_at) "
	               "VALUES ('部件测试基金', 'tangxia', '2023-05-05', 'x', 'x')");
	for (int i = 0; i < 4; i++) {
		body = get(&v, paths[i], &hit);
		if (hit)
			fail_msg("%s kept after a change in tangxia", paths[i]);
		free(body);
	}
	body = get(&v, "/api/v1/progress", &hit);
	assert_true(hit); /* kept again */
	assert_string_not_equal(body, was[1]);
	free(body);

	/* a base renamed: the list shows the new name at once */
	char *list = kept(&v, "/bases"), sql[160];
	const char *row = strstr(list, "<tbody><tr>");
	assert_non_null(row);
	row = strstr(row, "<a href=\"/bases/");
	assert_non_null(row);
	long long id = atoll(row + strlen("<a href=\"/bases/"));
	free(list);
	assert_true(id > 0);
	snprintf(sql, sizeof sql, "UPDATE base SET name = '部件改名的基地' WHERE id = %lld", id);
	server_db_exec(&srv, sql);
	body = get(&v, "/bases", &hit);
	assert_false(hit);
	assert_non_null(strstr(body, "部件改名的基地"));
	free(body);

	/* a target of the plan (in no area): the overview's figures move */
	free(kept(&v, "/"));
	server_db_exec(&srv, "UPDATE target SET value = value + 1000 WHERE scope = (SELECT code FROM area WHERE parent IS NULL)");
	body = get(&v, "/", &hit);
	assert_false(hit);
	assert_string_not_equal(body, was[0]);
	free(body);
	for (int i = 0; i < 4; i++)
		free(was[i]);
}

/* An area's parts (its page, its progress, a base's evaluation, its list)
 * stay while another area changes, and go when their own area, or what is
 * in no area, changes. */
static void test_area_parts(void **state)
{
	(void)state;
	Login v = http_login_user(srv.port, "parts-viewer");
	char fe_eval[64], tx_eval[64];
	snprintf(fe_eval, sizeof fe_eval, "/bases/%lld/evaluation", base_of("feiyun"));
	snprintf(tx_eval, sizeof tx_eval, "/bases/%lld/evaluation", base_of("tangxia"));
	const char *paths[] = {"/areas/feiyun", "/areas/tangxia", "/api/v1/progress?area=feiyun",
	                       "/api/v1/progress?area=tangxia", fe_eval, tx_eval, "/bases?area=feiyun",
	                       "/bases?area=tangxia"};
	enum { N = 8 };
	char *was[N];
	for (int i = 0; i < N; i++)
		was[i] = kept(&v, paths[i]);

	server_db_exec(&srv, "INSERT INTO fund(name, area, established_on, created_at, updated_at) "
	               "VALUES ('部件测试基金二', 'tangxia', '2023-06-06', 'x', 'x')");
	const int still[N] = {1, 0, 1, 0, 1, 0, 1, 0};
	for (int i = 0; i < N; i++) {
		int hit;
		char *body = get(&v, paths[i], &hit);
		if (hit != still[i])
			fail_msg("%s after a change in tangxia: %s", paths[i], hit ? "kept" : "made again");
		if (hit)
			same_bytes(paths[i], body, was[i]);
		free(body);
	}
	/* what changed is there: tangxia's figures moved */
	int hit;
	char *body = get(&v, "/api/v1/progress?area=tangxia", &hit);
	assert_string_not_equal(body, was[3]);
	free(body);

	/* a tangxia base renamed over the API: its evaluation and list show it, feiyun's stay */
	char path[64], *eval_before = kept(&v, tx_eval);
	snprintf(path, sizeof path, "/api/v1/bases/%lld", base_of("tangxia"));
	Response p;
	assert_int_equal(http_as(srv.port, &admin, "PATCH", path, "{\"name\":\"部件改名的塘下基地\"}", &p), 0);
	assert_int_equal(p.status, 200);
	response_free(&p);
	body = get(&v, tx_eval, &hit);
	assert_false(hit);
	assert_non_null(strstr(body, "部件改名的塘下基地"));
	assert_null(strstr(eval_before, "部件改名的塘下基地"));
	free(body);
	free(eval_before);
	body = get(&v, "/bases?area=tangxia", &hit);
	assert_false(hit);
	assert_non_null(strstr(body, "部件改名的塘下基地"));
	free(body);
	body = get(&v, fe_eval, &hit);
	assert_true(hit);
	free(body);

	/* a target (in no area) drops every area's parts */
	server_db_exec(&srv, "UPDATE target SET value = value + 1 WHERE scope = 'feiyun'");
	body = get(&v, "/areas/feiyun", &hit);
	assert_false(hit);
	free(body);
	body = get(&v, fe_eval, &hit);
	assert_false(hit);
	free(body);
	for (int i = 0; i < N; i++)
		free(was[i]);
}

/* A reader never gets what was kept for a wider view: records waiting for
 * review in tangxia are in the office's list and the tangxia reporter's,
 * never in the feiyun reporter's, whoever asked first; the office's
 * evaluation (its verdict forms carry its CSRF token) is never kept; a
 * reporter's city-wide list (with notices of its own records) is made
 * every time. */
static void test_scope_of_parts(void **state)
{
	(void)state;
	server_db_exec(&srv, "INSERT INTO base(name, kind, area, review_status, created_at, updated_at) "
	               "VALUES ('部件待审基地', 'incubator', 'tangxia', 'pending', 'x', 'x')");
	Login fe = http_login_user(srv.port, "parts-feiyun"), tx = http_login_user(srv.port, "parts-tangxia"), v = http_login_user(srv.port, "parts-viewer");
	int hit;
	char *office = kept(&admin, "/bases?area=tangxia");
	assert_non_null(strstr(office, "部件待审基地"));
	char *mine = get(&tx, "/bases?area=tangxia", &hit);
	assert_non_null(strstr(mine, "部件待审基地"));
	char *other = get(&fe, "/bases?area=tangxia", &hit);
	assert_false(hit);
	assert_null(strstr(other, "部件待审基地"));
	free(other);
	other = get(&fe, "/bases?area=tangxia", &hit);
	assert_true(hit); /* kept for the approved-only view */
	assert_null(strstr(other, "部件待审基地"));
	free(other);
	/* the area page too: pending bases only for those who see the area in full */
	char *tx_area = get(&tx, "/areas/tangxia", &hit);
	free(tx_area);
	tx_area = get(&tx, "/areas/tangxia", &hit);
	assert_true(hit);
	assert_non_null(strstr(tx_area, "部件待审基地"));
	char *fe_area = get(&fe, "/areas/tangxia", &hit);
	assert_null(strstr(fe_area, "部件待审基地"));
	free(fe_area);
	free(tx_area);
	free(office);
	free(mine);

	/* the feiyun reporter's city-wide list: made every time */
	free(get(&fe, "/bases", &hit));
	free(get(&fe, "/bases", &hit));
	assert_false(hit);

	/* the office's evaluation: never kept, its forms carry its token */
	char tx_eval[64];
	snprintf(tx_eval, sizeof tx_eval, "/bases/%lld/evaluation", base_of("tangxia"));
	free(get(&admin, tx_eval, &hit));
	char *e = get(&admin, tx_eval, &hit);
	assert_false(hit);
	assert_non_null(strstr(e, admin.csrf));
	free(e);
	free(get(&v, tx_eval, &hit));
	e = get(&v, tx_eval, &hit);
	assert_true(hit);
	assert_null(strstr(e, admin.csrf));
	free(e);
}

/* The area filter's options, made once per plan: the chosen one is marked. */
static void test_area_options(void **state)
{
	(void)state;
	Login v = http_login_user(srv.port, "parts-viewer");
	int hit;
	char *all = get(&v, "/bases", &hit), *one = get(&v, "/bases?area=feiyun", &hit);
	assert_non_null(strstr(all, "<option value=\"feiyun\">"));
	assert_null(strstr(all, "<option value=\"feiyun\" selected>"));
	assert_non_null(strstr(one, "<option value=\"feiyun\" selected>"));
	assert_non_null(strstr(one, "<option value=\"tangxia\">"));
	free(all);
	free(one);
}

/* serve --page-parts 0: every page made whole. */
static void test_parts_off(void **state)
{
	(void)state;
	TestServer t;
	const char *args[] = {"--page-cache", "0", "--page-parts", "0", NULL};
	server_start(&t, args);
	Login a;
	assert_int_equal(http_login(t.port, "admin", TEST_ADMIN_PASSWORD, &a), 0);
	for (int i = 0; i < 3; i++) {
		Response r;
		assert_int_equal(http_as(t.port, &a, "GET", "/api/v1/progress", NULL, &r), 0);
		assert_int_equal(r.status, 200);
		char *h = response_header(&r, "X-Page-Part");
		assert_null(h);
		response_free(&r);
	}
	server_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_plan_parts),
		cmocka_unit_test(test_area_parts),
		cmocka_unit_test(test_scope_of_parts),
		cmocka_unit_test(test_area_options),
		cmocka_unit_test(test_parts_off),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
