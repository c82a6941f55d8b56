/*
 * test_domain.c — the rules the write workflows (domain.h) keep whoever
 * calls them, over the real server: a base user changes only its own base's
 * records and never moves one to another base or area (its own base
 * included); an application for recognition is endorsed by someone else
 * than its applicant; a 统一社会信用代码 already taken is a field error, never a 500,
 * and an import's check names it (against the database and within the
 * file); a list's page far out of range is a 400, not an overflow; and
 * `hatchery import` / `export` do what the import API and the export pages
 * do, through the same workflows: the same row-exact errors, check writes
 * nothing, all or nothing, an export imports back unchanged, audited as
 * "cli" or the user named by --as, exit 0 only when everything was written.
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
#include <sys/wait.h>

#include "client.h"
#include "registry.h"

static TestServer srv;
static Login admin, anyang, base1, clerk;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "anyang_reporter", "area", "anyang-center");
	server_add_user(&srv, "base1_user", "base", "1");
	server_add_user(&srv, "anyang_clerk", "area", "anyang-center");
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "anyang_clerk", TEST_USER_PASSWORD, &clerk) ||
	    http_login(srv.port, "anyang_reporter", TEST_USER_PASSWORD, &anyang) ||
	    http_login(srv.port, "base1_user", TEST_USER_PASSWORD, &base1))
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
	json_t *j = json_loads(r.body, 0, NULL);
	response_free(&r);
	return j;
}

/* A string of the database, read by this process (malloc'd; NULL when none). */
static char *db_text(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	char *out = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static long long db_num(const char *sql)
{
	char *t = db_text(sql);
	long long n = t ? atoll(t) : -1;
	free(t);
	return n;
}

static const char *error_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

static const char *error_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

/* A valid 统一社会信用代码 that no record has: 17 characters from seed and its check digit. */
static void new_uscc(int seed, char out[19])
{
	snprintf(out, 19, "91330381MA%07dX", seed);
	const char *digits = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	for (const char *d = digits; *d; d++) {
		out[17] = *d;
		if (uscc_valid(out))
			return;
	}
	fail_msg("no check digit for %s", out);
}

/* M2: a base user moved a pending firm to another base and area by PATCH. */
static void test_base_user_cannot_move_records(void **state)
{
	int st;
	/* the area reporter registers a firm in base 1: it waits for review */
	json_t *j = call(&anyang, "POST", "/api/v1/firms",
	                 "{\"name\":\"示例·迁移测试企业\",\"base_id\":1,\"area\":\"anyang-center\"}", &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[64], sql[128];
	snprintf(path, sizeof path, "/api/v1/firms/%lld", id);

	/* base 1's user may not move it to base 2 in 塘下 */
	j = call(&base1, "PATCH", path, "{\"base_id\":2,\"area\":\"tangxia\"}", &st);
	assert_int_equal(st, 400);
	char *said = json_dumps(json_object_get(j, "error"), 0);
	assert_non_null(strstr(said, "孵化基地"));
	free(said);
	json_decref(j);
	snprintf(sql, sizeof sql, "SELECT base_id || area FROM firm WHERE id = %lld", id);
	char *where = db_text(sql);
	assert_string_equal(where, "1anyang-center");
	free(where);
	/* nor only its area: a firm's area is its base's, whatever is typed (issue 14, item 12) */
	j = call(&base1, "PATCH", path, "{\"area\":\"tangxia\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	where = db_text(sql);
	assert_string_equal(where, "1anyang-center");
	free(where);
	/* nor by PUT, leaving the base out */
	j = call(&base1, "PUT", path, "{\"name\":\"示例·迁移测试企业\",\"area\":\"anyang-center\"}", &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* but it may change what is its to change */
	j = call(&base1, "PATCH", path, "{\"industry\":\"生物医药\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);

	/* nor propose moving its own base to another area */
	long long changes = db_num("SELECT count(*) FROM pending_change");
	j = call(&base1, "PATCH", "/api/v1/bases/1", "{\"area\":\"tangxia\"}", &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "area");
	json_decref(j);
	assert_int_equal(db_num("SELECT count(*) FROM pending_change"), changes);
	/* a change of its own base's other fields is still proposed */
	j = call(&base1, "PATCH", "/api/v1/bases/1", "{\"address\":\"东新路 1 号\"}", &st);
	assert_int_equal(st, 202);
	json_decref(j);
	/* another base is not its own */
	j = call(&base1, "PATCH", "/api/v1/bases/2", "{\"address\":\"x\"}", &st);
	assert_int_equal(st, 403);
	json_decref(j);
}

/* A reporter saving an approved record twice before the office reviews it
 * leaves one proposal, holding both saves (the second PATCH adds to the
 * first, it does not undo it); someone else's save is a proposal of its
 * own; every save is audited; approving applies both. The record does not
 * move until then. */
static void test_second_save_merges_the_proposal(void **state)
{
	const char *mine = "SELECT count(*) FROM pending_change WHERE kind = 'bases' AND record_id = 9 AND status = 'pending' "
	                   "AND submitted_by = 'anyang_reporter'";
	const char *all = "SELECT count(*) FROM pending_change WHERE kind = 'bases' AND record_id = 9 AND status = 'pending'";
	char *area = db_text("SELECT area || review_status FROM base WHERE id = 9");
	assert_string_equal(area, "anyang-centerapproved");
	free(area);
	char *contact0 = db_text("SELECT coalesce(contact, '') FROM base WHERE id = 9");
	long long audits0 = db_num("SELECT count(*) FROM audit WHERE action = 'propose' AND record_kind = 'bases' AND record_id = '9'");
	int st;
	json_t *j = call(&anyang, "PATCH", "/api/v1/bases/9", "{\"contact\":\"李四\"}", &st);
	assert_int_equal(st, 202);
	json_decref(j);
	assert_int_equal(db_num(mine), 1);
	j = call(&anyang, "PATCH", "/api/v1/bases/9", "{\"address\":\"安阳路 8 号\"}", &st);
	assert_int_equal(st, 202);
	char *said = json_dumps(j, 0);
	assert_non_null(strstr(said, "合并"));
	free(said);
	json_decref(j);
	assert_int_equal(db_num(mine), 1);
	char *payload = db_text("SELECT payload FROM pending_change WHERE kind = 'bases' AND record_id = 9 AND status = 'pending' "
	                        "AND submitted_by = 'anyang_reporter'");
	json_t *p = json_loads(payload, 0, NULL);
	free(payload);
	assert_string_equal(json_string_value(json_object_get(p, "contact")), "李四");
	assert_string_equal(json_string_value(json_object_get(p, "address")), "安阳路 8 号");
	json_decref(p);
	/* the record is as it was */
	char *contact = db_text("SELECT coalesce(contact, '') FROM base WHERE id = 9");
	assert_string_equal(contact, contact0);
	free(contact);
	assert_int_equal(db_num("SELECT count(*) FROM audit WHERE action = 'propose' AND record_kind = 'bases' AND record_id = '9'"),
	                 audits0 + 2);
	/* the second audit row holds the proposal before and after */
	char *before = db_text("SELECT before_json FROM audit WHERE action = 'propose' AND record_kind = 'bases' "
	                       "AND record_id = '9' ORDER BY id DESC LIMIT 1");
	assert_non_null(strstr(before, "李四"));
	assert_null(strstr(before, "安阳路 8 号"));
	free(before);
	/* a colleague's save is a proposal of its own */
	j = call(&clerk, "PATCH", "/api/v1/bases/9", "{\"contact\":\"王五\"}", &st);
	assert_int_equal(st, 202);
	json_decref(j);
	assert_int_equal(db_num(all), 2);
	/* approving the reporter's applies both of its saves */
	long long cid = db_num("SELECT id FROM pending_change WHERE kind = 'bases' AND record_id = 9 AND status = 'pending' "
	                       "AND submitted_by = 'anyang_reporter'");
	char path[96];
	snprintf(path, sizeof path, "/api/v1/review/changes/%lld", cid);
	j = call(&admin, "POST", path, "{\"action\":\"approve\"}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	char *now = db_text("SELECT contact || '|' || address FROM base WHERE id = 9");
	assert_string_equal(now, "李四|安阳路 8 号");
	free(now);
	free(contact0);
	assert_int_equal(db_num(all), 1);
}

/* L5: a 统一社会信用代码 already taken answered 500 (and the check said the row was good). */
static void test_duplicate_uscc(void **state)
{
	char *taken = db_text("SELECT uscc FROM firm WHERE id = 1");
	assert_non_null(taken);
	char body[512];
	int st;
	snprintf(body, sizeof body, "{\"name\":\"示例·重复代码企业\",\"uscc\":\"%s\",\"base_id\":1,\"area\":\"anyang-center\"}", taken);
	json_t *j = call(&admin, "POST", "/api/v1/firms", body, &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "uscc");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "编号 1"));
	json_decref(j);
	/* a change to another firm taking it */
	snprintf(body, sizeof body, "{\"uscc\":\"%s\"}", taken);
	j = call(&admin, "PATCH", "/api/v1/firms/2", body, &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_field(j), "uscc");
	json_decref(j);
	/* its own code is no duplicate */
	j = call(&admin, "PATCH", "/api/v1/firms/1", body, &st);
	assert_int_equal(st, 200);
	json_decref(j);

	/* an import's check names it: against the database, and within the file */
	char fresh[19];
	new_uscc(4242, fresh);
	char csv[1024];
	snprintf(csv, sizeof csv,
	         "企业名称,统一社会信用代码,孵化基地编号,所属区域\r\n"
	         "示例·甲,%s,1,anyang-center\r\n"
	         "示例·乙,%s,1,anyang-center\r\n"
	         "示例·丙,%s,1,anyang-center\r\n",
	         taken, fresh, fresh);
	char headers[512];
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: text/csv\r\n", admin.cookie, admin.csrf);
	long long firms = db_num("SELECT count(*) FROM firm");
	for (int pass = 0; pass < 2; pass++) {
		Response r;
		assert_int_equal(http_request(srv.port, "POST", pass ? "/api/v1/firms/import?mode=all" : "/api/v1/firms/import?mode=check",
		                              headers, csv, strlen(csv), &r), 0);
		assert_int_equal(r.status, pass ? 422 : 200);
		j = json_loads(r.body, 0, NULL);
		response_free(&r);
		assert_non_null(j);
		/* the code of firm 1 names firm 1: that row updates it (issue 14, item 11) */
		assert_int_equal(json_integer_value(json_object_get(j, "good")), 2);
		json_t *errs = json_object_get(j, "errors");
		assert_int_equal(json_array_size(errs), 1);
		json_t *e1 = json_array_get(errs, 0);
		if (!pass) {
			json_t *r0 = json_array_get(json_object_get(j, "results"), 0);
			assert_int_equal(json_integer_value(json_object_get(r0, "row")), 2);
			assert_int_equal(json_integer_value(json_object_get(r0, "id")), 1);
			assert_non_null(strstr(json_string_value(json_object_get(r0, "message")), "已存在"));
		}
		assert_int_equal(json_integer_value(json_object_get(e1, "row")), 4);
		assert_string_equal(json_string_value(json_object_get(e1, "cell")), "B4");
		assert_non_null(strstr(json_string_value(json_object_get(e1, "message")), "第 3 行"));
		json_decref(j);
	}
	assert_int_equal(db_num("SELECT count(*) FROM firm"), firms);
	free(taken);
}

/* Issue 12: an area reporter endorsed its own application. */
static void test_no_self_endorsement(void **state)
{
	int st;
	json_t *j = call(&anyang, "POST", "/api/v1/bases/1/recognitions", "{\"level\":\"municipal\"}", &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	char path[96], sql[128];
	snprintf(path, sizeof path, "/api/v1/recognitions/%lld/endorse", id);
	snprintf(sql, sizeof sql, "SELECT status FROM recognition WHERE id = %lld", id);
	long long audit = db_num("SELECT count(*) FROM audit");
	j = call(&anyang, "POST", path, "{}", &st);
	assert_int_equal(st, 409);
	assert_string_equal(error_code(j), "self_endorsement");
	json_decref(j);
	char *status = db_text(sql);
	assert_string_equal(status, "applied");
	free(status);
	assert_int_equal(db_num("SELECT count(*) FROM audit"), audit);
	/* the page offers the applicant no 推荐 */
	Response r;
	assert_int_equal(http_as(srv.port, &anyang, "GET", "/recognitions", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	char action[64];
	snprintf(action, sizeof action, "/recognitions/%lld/endorse", id);
	assert_null(strstr(r.body, action));
	response_free(&r);
	/* the base's operator applies; its area endorses */
	j = call(&base1, "POST", "/api/v1/bases/1/recognitions", "{\"level\":\"national\"}", &st);
	assert_int_equal(st, 201);
	long long id2 = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	assert_int_equal(http_as(srv.port, &anyang, "GET", "/recognitions", NULL, &r), 0);
	snprintf(action, sizeof action, "/recognitions/%lld/endorse", id2);
	assert_non_null(strstr(r.body, action));
	response_free(&r);
	snprintf(path, sizeof path, "/api/v1/recognitions/%lld/endorse", id2);
	j = call(&anyang, "POST", path, "{}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	/* and the office may endorse the reporter's own */
	snprintf(path, sizeof path, "/api/v1/recognitions/%lld/endorse", id);
	j = call(&admin, "POST", path, "{}", &st);
	assert_int_equal(st, 200);
	json_decref(j);
	status = db_text(sql);
	assert_string_equal(status, "endorsed");
	free(status);
}

/* L7: ?page=2147483647 made (page - 1) * limit overflow. */
static void test_paging_out_of_range(void **state)
{
	int st;
	json_t *j = call(&admin, "GET", "/api/v1/firms?page=2147483647", NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(error_code(j), "bad_paging");
	json_decref(j);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/firms?page=2147483647&limit=1", NULL, &r), 0);
	assert_int_equal(r.status, 200); /* the last page that can be: empty */
	response_free(&r);
	j = call(&admin, "GET", "/api/v1/firms?limit=1000&page=3000000", NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	j = call(&admin, "GET", "/api/v1/firms?page=2&limit=5", NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "offset")), 5);
	json_decref(j);
}

/* Runs `hatchery ARGS` (a shell fragment); its stdout and stderr into out.
 * Returns the exit status. */
static int run(char *out, size_t outsz, const char *fmt, ...)
{
	char args[1536], cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	const char *b = getenv("HATCHERY_BIN");
	snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", b && *b ? b : "build/hatchery", args);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, outsz - 1, p);
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static json_t *upload_csv(const char *kind, const char *mode, const char *csv, int *status)
{
	char path[128], headers[512];
	snprintf(path, sizeof path, "/api/v1/%s/import?mode=%s", kind, mode);
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: text/csv\r\n", admin.cookie, admin.csrf);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", path, headers, csv, strlen(csv), &r), 0);
	*status = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	response_free(&r);
	assert_non_null(j);
	return j;
}

#define BASES_HEADER "名称,类型,所属区域,运营状态,开业日期,总面积(㎡),孵化面积(㎡)\r\n"

/* Issue 13: the command line imports and exports as the API does. */
static void test_cli_import_export(void **state)
{
	static char out[65536];
	char file[256], file2[256];
	snprintf(file, sizeof file, "%s/bases.csv", srv.dir);
	const char *mixed = BASES_HEADER "示例·命令行基地甲,incubator,feiyun,运营中,2024-01-01,5000,3000\r\n"
	                    "示例·命令行基地乙,incubator,feiyun,运营中,2024-02-01,五千,100\r\n";
	write_text(file, mixed);
	long long bases = db_num("SELECT count(*) FROM base"), audit = db_num("SELECT count(*) FROM audit");
	long long stamp = db_num("SELECT n FROM data_stamp");

	/* the same row-exact errors as the API's check */
	int st;
	json_t *api = upload_csv("bases", "check", mixed, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(api, "bad")), 1);
	int rc = run(out, sizeof out, "import bases '%s' --db '%s' --mode check", file, srv.db);
	assert_int_not_equal(rc, 0);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(api, "errors"), i, e) {
		char where[64];
		snprintf(where, sizeof where, "第 %lld 行,%s", (long long)json_integer_value(json_object_get(e, "row")),
		         json_string_value(json_object_get(e, "cell")));
		if (!strstr(out, where) || !strstr(out, json_string_value(json_object_get(e, "message"))))
			fail_msg("the CLI does not say %s %s:\n%s", where, json_string_value(json_object_get(e, "message")), out);
	}
	assert_non_null(strstr(out, "第 3 行,F3"));
	json_decref(api);
	/* check writes nothing; all writes nothing while a row is bad (exit ≠ 0) */
	rc = run(out, sizeof out, "import bases '%s' --db '%s'", file, srv.db);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "未导入任何记录"));
	assert_int_equal(db_num("SELECT count(*) FROM base"), bases);
	assert_int_equal(db_num("SELECT count(*) FROM audit"), audit);
	assert_int_equal(db_num("SELECT n FROM data_stamp"), stamp);

	/* good rows go in, audited as the command line */
	write_text(file, BASES_HEADER "示例·命令行基地甲,incubator,feiyun,运营中,2024-01-01,5000,3000\r\n");
	rc = run(out, sizeof out, "import bases '%s' --db '%s'", file, srv.db);
	if (rc != 0)
		fail_msg("import: exit %d: %s", rc, out);
	assert_int_equal(db_num("SELECT count(*) FROM base"), bases + 1);
	char *who = db_text("SELECT user_name || '@' || addr || ':' || action FROM audit WHERE record_kind = 'bases' ORDER BY id DESC LIMIT 1");
	assert_string_equal(who, "cli@cli:create");
	free(who);
	assert_int_equal(db_num("SELECT count(*) FROM base WHERE name = '示例·命令行基地甲' AND review_status = 'approved'"), 1);
	/* and from the API the same */
	api = upload_csv("bases", "all", BASES_HEADER "示例·接口基地丙,incubator,feiyun,运营中,2024-01-01,5000,3000\r\n", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(api, "created")), 1);
	json_decref(api);
	assert_int_equal(db_num("SELECT count(*) FROM base"), bases + 2);

	/* an export imports back unchanged, as .xlsx and as .csv */
	const char *exts[] = {"xlsx", "csv"};
	for (int k = 0; k < 2; k++) {
		snprintf(file2, sizeof file2, "%s/export.%s", srv.dir, exts[k]);
		rc = run(out, sizeof out, "export bases --db '%s' -o '%s'", srv.db, file2);
		if (rc != 0)
			fail_msg("export: exit %d: %s", rc, out);
		audit = db_num("SELECT count(*) FROM audit");
		stamp = db_num("SELECT n FROM data_stamp");
		rc = run(out, sizeof out, "import bases '%s' --db '%s'", file2, srv.db);
		if (rc != 0)
			fail_msg("re-import: exit %d: %s", rc, out);
		char said[128];
		snprintf(said, sizeof said, "新增 0 条，修改 0 条，未改动 %lld 条", bases + 2);
		if (!strstr(out, said))
			fail_msg("re-import of the .%s export: %s", exts[k], out);
		assert_int_equal(db_num("SELECT count(*) FROM audit"), audit);
		assert_int_equal(db_num("SELECT n FROM data_stamp"), stamp);
	}
	/* one area's export holds that area's records only */
	rc = run(out, sizeof out, "export bases --db '%s' -o '%s/feiyun.csv' --area feiyun", srv.db, srv.dir);
	assert_int_equal(rc, 0);
	char said[64];
	snprintf(said, sizeof said, "共 %lld 条", db_num("SELECT count(*) FROM base WHERE area = 'feiyun'"));
	assert_non_null(strstr(out, said));

	/* as a named user: its scope and its name in the audit trail */
	write_text(file, BASES_HEADER "示例·命令行基地丁,incubator,feiyun,运营中,2024-01-01,5000,3000\r\n");
	rc = run(out, sizeof out, "import bases '%s' --db '%s' --as anyang_reporter", file, srv.db);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "只能登记本辖区的记录"));
	write_text(file, BASES_HEADER "示例·命令行基地丁,incubator,anyang-center,运营中,2024-01-01,5000,3000\r\n");
	rc = run(out, sizeof out, "import bases '%s' --db '%s' --as anyang_reporter", file, srv.db);
	if (rc != 0)
		fail_msg("import --as: exit %d: %s", rc, out);
	who = db_text("SELECT user_name || ':' || action FROM audit WHERE record_kind = 'bases' ORDER BY id DESC LIMIT 1");
	assert_string_equal(who, "anyang_reporter:create");
	free(who);
	assert_int_equal(db_num("SELECT count(*) FROM base WHERE name = '示例·命令行基地丁' AND review_status = 'pending'"), 1);
	rc = run(out, sizeof out, "import bases '%s' --db '%s' --as nobody", file, srv.db);
	assert_int_not_equal(rc, 0);

	/* the targets grid: exported, imported back with nothing changed */
	snprintf(file2, sizeof file2, "%s/targets.xlsx", srv.dir);
	rc = run(out, sizeof out, "export targets --db '%s' -o '%s'", srv.db, file2);
	assert_int_equal(rc, 0);
	audit = db_num("SELECT count(*) FROM audit");
	rc = run(out, sizeof out, "import targets '%s' --db '%s'", file2, srv.db);
	if (rc != 0)
		fail_msg("targets: exit %d: %s", rc, out);
	assert_non_null(strstr(out, "改动 0 个目标"));
	assert_int_equal(db_num("SELECT count(*) FROM audit"), audit);
	/* an unknown kind is a usage mistake */
	assert_int_equal(run(out, sizeof out, "import widgets '%s' --db '%s'", file, srv.db), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_user_cannot_move_records),
		cmocka_unit_test(test_duplicate_uscc),
		cmocka_unit_test(test_second_save_merges_the_proposal),
		cmocka_unit_test(test_no_self_endorsement),
		cmocka_unit_test(test_paging_out_of_range),
		cmocka_unit_test(test_cli_import_export),
	};
	return cmocka_run_group_tests_name("domain", tests, setup, teardown);
}
