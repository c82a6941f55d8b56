/*
 * test_transfer.c — spreadsheet import and export over the real server
 * (page_transfer.c): a 1,000-row workbook with three bad rows is refused
 * whole and names exactly those rows as Excel numbers them; fixed, it
 * imports in one go; mode=good takes only the good rows; export → import
 * leaves every record of every kind as it was; CSV with its BOM, one line
 * per record, and CSV imports; an area reporter's rows of another area are
 * refused one by one; the template's 说明 sheet and headers; an unreadable
 * file is a 400 in Chinese; viewers cannot import.
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
#include <time.h>

#include "client.h"
#include "xlsx_read.h"
#include "xlsx_write.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static TestServer srv;
static Login admin, reporter, viewer;

static const char *const kinds[] = {"bases", "operators", "funds", "investments", "projects", "firms"};

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "leader", "viewer", NULL);
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "feiyun_reporter", TEST_USER_PASSWORD, &reporter) ||
	    http_login(srv.port, "leader", TEST_USER_PASSWORD, &viewer))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* POSTs a file to /api/v1/{kind}/import?mode=...; returns the parsed answer. */
static json_t *upload(const Login *l, const char *kind, const char *mode, const char *ctype, const void *body, size_t len,
                      int *status)
{
	char path[128], headers[512];
	snprintf(path, sizeof path, "/api/v1/%s/import?mode=%s", kind, mode);
	snprintf(headers, sizeof headers, "%sX-CSRF-Token: %s\r\nContent-Type: %s\r\n", l->cookie, l->csrf, ctype);
	Response r;
	assert_int_equal(http_request(srv.port, "POST", path, headers, body, len, &r), 0);
	*status = r.status;
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	if (!j)
		fail_msg("%s: status %d, not JSON: %.300s", path, r.status, r.body);
	response_free(&r);
	return j;
}

static Response get(const Login *l, const char *path)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, "GET", path, NULL, &r), 0);
	return r;
}

static json_t *get_json(const Login *l, const char *path)
{
	Response r = get(l, path);
	if (r.status != 200)
		fail_msg("%s: status %d", path, r.status);
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	response_free(&r);
	assert_non_null(j);
	return j;
}

/* A number from the server's database, read by this process. */
static long long db_num(const char *sql)
{
	return server_db_num(&srv, sql);
}

/* A JSON request as l; *status set. */
static json_t *call_json(const Login *l, const char *method, const char *path, const char *body, int *status)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, method, path, body, &r), 0);
	*status = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	response_free(&r);
	return j;
}

/* How many records of a kind the office sees. */
static long long count(const char *kind)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/%s?limit=1", kind);
	json_t *j = get_json(&admin, path);
	long long n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

/* Every record of a kind as the API shows it, by id, without updated_at. */
static json_t *all_records(const char *kind)
{
	json_t *out = http_records_by_id(srv.port, &admin, kind), *x;
	const char *id;
	json_object_foreach(out, id, x)
		json_object_del(x, "updated_at");
	return out;
}

static const char *msg_of(json_t *j)
{
	const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
	return m ? m : "";
}

/* Whether the answer lists an error for Excel row `row` in column `column`. */
static int has_error(json_t *j, int row, const char *column, const char *says)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(j, "errors"), i, e)
		if (json_integer_value(json_object_get(e, "row")) == row &&
		    strcmp(json_string_value(json_object_get(e, "column")), column) == 0 &&
		    (!says || strstr(json_string_value(json_object_get(e, "message")), says)))
			return 1;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* ---- a workbook of new bases, built with the project's writer ---- */

enum { NBASES = 1000, BAD_DATE = 99, BAD_AREA = 499, BAD_SIZE = 899 }; /* data rows: Excel rows 101, 501, 901 */

/* with_bad: 1 the rows BAD_DATE, BAD_AREA and BAD_SIZE wrong, 2 the last row's date. */
static void bases_workbook(Buf *out, int with_bad, const char *tag)
{
	static const XlsxColumn cols[] = {
		{.header = "编号"}, {.header = "名称"}, {.header = "类型"}, {.header = "所属区域"}, {.header = "运营状态"},
		{.header = "开业日期", .type = XLSX_DATE}, {.header = "总面积(㎡)", .type = XLSX_NUMBER},
		{.header = "孵化面积(㎡)", .type = XLSX_NUMBER}, {.header = "专业孵化器"}, {.header = "功能配套"},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	static const char *const areas[] = {"飞云街道", "仙降街道", "塘下新区", "马屿镇"};
	static const char *const types[] = {"众创空间", "科技企业孵化器", "maker_space"}; /* labels, or a code */
	XlsxCell *cells = calloc((size_t)NBASES * NC, sizeof *cells);
	char (*names)[64] = calloc(NBASES, 64);
	char (*dates)[16] = calloc(NBASES, 16);
	for (int i = 0; i < NBASES; i++) {
		XlsxCell *c = &cells[(size_t)i * NC];
		snprintf(names[i], 64, "%s导入测试基地%04d", tag, i);
		snprintf(dates[i], 16, "2024-%02d-%02d", i % 12 + 1, i % 28 + 1);
		c[0] = xlsx_empty();
		c[1] = xlsx_str(names[i]);
		c[2] = xlsx_str(types[i % 3]);
		c[3] = xlsx_str(areas[i % 4]);
		c[4] = xlsx_str("运营中");
		c[5] = xlsx_date(dates[i]);
		c[6] = xlsx_num(1000 + i);
		c[7] = xlsx_num(500 + i / 2);
		c[8] = xlsx_str(i % 2 ? "是" : "否");
		c[9] = xlsx_str(i % 5 ? "会议室、停车场" : NULL);
		if (with_bad == 1 && i == BAD_DATE)
			c[5] = xlsx_str("2024-02-30");
		if (with_bad == 1 && i == BAD_AREA)
			c[3] = xlsx_str("火星街道");
		if (with_bad == 1 && i == BAD_SIZE)
			c[7] = xlsx_num(99999);
		if (with_bad == 2 && i == NBASES - 1) /* the last row only */
			c[5] = xlsx_str("2024-02-30");
	}
	XlsxTable t = {.name = "孵化基地", .cols = cols, .ncols = NC, .cells = cells, .nrows = NBASES};
	XlsxBook book = {.tables = &t, .ntables = 1};
	char err[256];
	assert_int_equal(xlsx_write_table(NULL, out, &book, err, sizeof err), H_OK);
	free(cells);
	free(names);
	free(dates);
}

/* The three bad rows refuse the whole file and are named; nothing is written. */
static void test_thousand_rows_all_or_nothing(void **state)
{
	long long before = count("bases");
	Buf book = {0};
	bases_workbook(&book, 1, "甲");
	int st;
	json_t *j = upload(&admin, "bases", "check", XLSX_MIME, book.data, book.len, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), NBASES);
	assert_int_equal(json_integer_value(json_object_get(j, "good")), NBASES - 3);
	json_decref(j);

	j = upload(&admin, "bases", "all", XLSX_MIME, book.data, book.len, &st);
	assert_int_equal(st, 422);
	assert_int_equal(json_integer_value(json_object_get(j, "imported")), 0);
	json_t *errors = json_object_get(j, "errors");
	if (json_array_size(errors) != 3)
		fail_msg("want exactly 3 errors, got %s", json_dumps(errors, 0));
	assert_true(has_error(j, BAD_DATE + 2, "开业日期", "年-月-日"));
	assert_true(has_error(j, BAD_AREA + 2, "所属区域", NULL));
	assert_true(has_error(j, BAD_SIZE + 2, "孵化面积（㎡）", "不能大于总面积"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "cell")), "F101");
	assert_non_null(strstr(msg_of(j), "未导入"));
	json_decref(j);
	assert_int_equal(count("bases"), before);
	buf_free(&book);

	/* fixed, it goes in whole: one transaction; as a bulk import (over
	 * TRANSFER_BULK_ROWS) it suspends the stamp's and the counts' row
	 * triggers and puts them back */
	long long triggers = db_num("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'");
	long long stamp = db_num("SELECT n FROM data_stamp");
	bases_workbook(&book, 0, "甲");
	double t0 = now_ms();
	j = upload(&admin, "bases", "all", XLSX_MIME, book.data, book.len, &st);
	double ms = now_ms() - t0;
	print_message("1,000-row import (mode=all, %zu bytes): %.0f ms\n", book.len, ms);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "imported")), NBASES);
	assert_int_equal(json_integer_value(json_object_get(j, "created")), NBASES);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 0);
	json_decref(j);
	assert_int_equal(count("bases"), before + NBASES); /* the kept count, and no stale page */
	assert_int_equal(db_num("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), triggers);
	assert_true(db_num("SELECT n FROM data_stamp") > stamp);
	assert_int_equal(db_num("SELECT count(*) FROM (SELECT area, review_status, count(*) FROM base GROUP BY 1, 2 "
	                        "EXCEPT SELECT area, review_status, n FROM record_count WHERE kind = 'bases')"), 0);
	assert_int_equal(db_num("SELECT sum(n) FROM record_count WHERE kind = 'bases'"), db_num("SELECT count(*) FROM base"));
	buf_free(&book);
	/* the triggers work again after it: one more base by the API moves both */
	stamp = db_num("SELECT n FROM data_stamp");
	int cst;
	json_t *one = call_json(&admin, "POST", "/api/v1/bases",
	                        "{\"name\":\"批量导入后的基地\",\"kind\":\"incubator\",\"area\":\"feiyun\",\"status\":\"operating\","
	                        "\"opened_on\":\"2024-03-15\",\"total_area_m2\":100,\"incubation_area_m2\":80}", &cst);
	assert_int_equal(cst, 201);
	json_decref(one);
	assert_true(db_num("SELECT n FROM data_stamp") > stamp);
	assert_int_equal(count("bases"), before + NBASES + 1);

	/* labels became codes, 是 became 1, the list became an array */
	j = get_json(&admin, "/api/v1/bases?q=%E7%94%B2%E5%AF%BC%E5%85%A5%E6%B5%8B%E8%AF%95%E5%9F%BA%E5%9C%B00001"); /* 甲导入测试基地0001 */
	json_t *rec = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(rec, "kind")), "incubator");
	assert_string_equal(json_string_value(json_object_get(rec, "area")), "xianjiang");
	assert_string_equal(json_string_value(json_object_get(rec, "opened_on")), "2024-02-02");
	assert_int_equal(json_integer_value(json_object_get(rec, "specialised")), 1);
	assert_int_equal(json_array_size(json_object_get(rec, "facilities")), 2);
	assert_string_equal(json_string_value(json_object_get(rec, "review_status")), "approved");
	json_decref(j);
	/* and each has its audit row */
	j = get_json(&admin, "/api/v1/audit?kind=bases&limit=1");
	assert_true(json_integer_value(json_object_get(j, "total")) >= NBASES);
	json_decref(j);
}

/* mode=good takes the good rows only, explicitly. */
static void test_good_rows_only(void **state)
{
	long long before = count("bases");
	Buf book = {0};
	bases_workbook(&book, 1, "乙");
	int st;
	json_t *j = upload(&admin, "bases", "good", XLSX_MIME, book.data, book.len, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "imported")), NBASES - 3);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 3);
	json_decref(j);
	assert_int_equal(count("bases"), before + NBASES - 3);
	buf_free(&book);
	/* the bad ones are not there */
	j = get_json(&admin, "/api/v1/bases?q=%E4%B9%99%E5%AF%BC%E5%85%A5%E6%B5%8B%E8%AF%95%E5%9F%BA%E5%9C%B00499"); /* 乙…0499 */
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
}

/* A large import saves the rows pass 1 has passed while it checks the rest
 * (transfer.c, pass 2 beside pass 1): an error in the very last row still
 * refuses the whole file, and whatever was saved meanwhile goes with it —
 * no record, no audit row, the stamp and the triggers as they were. The
 * same file with mode=good saves every other row, in the sheet's order. */
static void test_late_error_undoes_saved_rows(void **state)
{
	long long before = count("bases"), audit = db_num("SELECT count(*) FROM audit");
	long long stamp = db_num("SELECT n FROM data_stamp");
	long long triggers = db_num("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'");
	Buf book = {0};
	bases_workbook(&book, 2, "丙");
	int st;
	json_t *j = upload(&admin, "bases", "all", XLSX_MIME, book.data, book.len, &st);
	assert_int_equal(st, 422);
	assert_int_equal(json_integer_value(json_object_get(j, "good")), NBASES - 1);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 1);
	assert_true(has_error(j, NBASES + 1, "开业日期", "年-月-日"));
	assert_int_equal(json_integer_value(json_object_get(j, "imported")), 0);
	json_decref(j);
	assert_int_equal(count("bases"), before);
	assert_int_equal(db_num("SELECT count(*) FROM base WHERE name GLOB '丙*'"), 0);
	assert_int_equal(db_num("SELECT count(*) FROM audit"), audit);
	assert_int_equal(db_num("SELECT n FROM data_stamp"), stamp);
	assert_int_equal(db_num("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), triggers);

	j = upload(&admin, "bases", "good", XLSX_MIME, book.data, book.len, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "created")), NBASES - 1);
	json_t *results = json_object_get(j, "results");
	assert_int_equal(json_array_size(results), NBASES - 1);
	for (size_t i = 0; i < json_array_size(results); i++) /* Excel's rows 2.., in order */
		assert_int_equal(json_integer_value(json_object_get(json_array_get(results, i), "row")), (long long)i + 2);
	json_decref(j);
	buf_free(&book);
	assert_int_equal(count("bases"), before + NBASES - 1);
	assert_int_equal(db_num("SELECT count(*) FROM audit WHERE action = 'create' AND record_kind = 'bases'"
	                        " AND CAST(record_id AS INTEGER) IN (SELECT id FROM base WHERE name GLOB '丙*')"), NBASES - 1);
	/* saved in the sheet's order: the names ascend with the rows, and so do the ids */
	assert_int_equal(db_num("SELECT count(*) FROM base a JOIN base b ON a.name < b.name AND a.id > b.id"
	                        " WHERE a.name GLOB '丙*' AND b.name GLOB '丙*'"), 0);
}

/* Export → import changes nothing, for every kind; an exported file imports back whole. */
static void test_round_trip_every_kind(void **state)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		json_t *before = all_records(kinds[k]);
		assert_true(json_object_size(before) > 0);
		char path[96];
		snprintf(path, sizeof path, "/%s/export.xlsx", kinds[k]);
		Response r = get(&admin, path);
		assert_int_equal(r.status, 200);
		assert_true(r.body_len > 4 && memcmp(r.body, "PK", 2) == 0);
		int st;
		json_t *j = upload(&admin, kinds[k], "all", XLSX_MIME, r.body, r.body_len, &st);
		response_free(&r);
		if (st != 200)
			fail_msg("%s: status %d %s", kinds[k], st, json_dumps(json_object_get(j, "errors"), 0));
		assert_int_equal(json_integer_value(json_object_get(j, "rows")), (long long)json_object_size(before));
		assert_int_equal(json_integer_value(json_object_get(j, "imported")), (long long)json_object_size(before));
		/* every row read back exactly as stored: nothing to write */
		assert_int_equal(json_integer_value(json_object_get(j, "unchanged")), (long long)json_object_size(before));
		json_decref(j);
		json_t *after = all_records(kinds[k]);
		if (!json_equal(before, after))
			fail_msg("%s: records changed by the round trip", kinds[k]);
		json_decref(before);
		json_decref(after);
	}
}

/* A file whose 编号 names a record changes that record; only the changed row is written. */
static void test_update_by_id(void **state)
{
	Response r = get(&admin, "/operators/export.csv");
	assert_int_equal(r.status, 200);
	/* change 备注 of the first data row: the last-but-one column is 备注, the last 审核状态 */
	char *csv = strdup(r.body);
	response_free(&r);
	char *line2 = strstr(csv, "\r\n") + 2;
	char *eol = strstr(line2, "\r\n");
	char *comma = eol;
	while (*--comma != ',')
		;
	char *prev = comma;
	while (*--prev != ',')
		;
	long long id = atoll(line2);
	Buf b = {0};
	buf_append(&b, csv, (size_t)(prev + 1 - csv));
	buf_puts(&b, "\"导入修改的备注, 含逗号\"");
	buf_puts(&b, comma);
	free(csv);
	int st;
	json_t *j = upload(&admin, "operators", "all", "text/csv", b.data, b.len, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "updated")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 0);
	json_decref(j);
	buf_free(&b);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/operators/%lld", id);
	j = get_json(&admin, path);
	assert_string_equal(json_string_value(json_object_get(j, "note")), "导入修改的备注, 含逗号");
	json_decref(j);
	/* an 编号 that names nothing is the row's error */
	const char *bad = "编号,名称,所属区域,引进日期\r\n999999,无此机构,飞云街道,2024-01-01\r\n";
	j = upload(&admin, "operators", "check", "text/csv", bad, strlen(bad), &st);
	assert_true(has_error(j, 2, "编号", "没有编号为 999999"));
	json_decref(j);
}

/* CSV: BOM, one line per record (and the header), the list's filters; and CSV imports. */
static void test_csv(void **state)
{
	Response r = get(&admin, "/bases/export.csv?area=feiyun");
	assert_int_equal(r.status, 200);
	char *ct = response_header(&r, "Content-Type");
	assert_non_null(strstr(ct, "text/csv"));
	free(ct);
	char *cd = response_header(&r, "Content-Disposition");
	assert_non_null(strstr(cd, "filename*=UTF-8''%E5%AD%B5%E5%8C%96%E5%9F%BA%E5%9C%B0-")); /* 孵化基地- */
	assert_non_null(strstr(cd, ".csv"));
	free(cd);
	assert_memory_equal(r.body, "\xEF\xBB\xBF\xE7\xBC\x96\xE5\x8F\xB7,", 10); /* BOM, 编号, */
	int lines = 0, inq = 0;
	for (size_t i = 0; i < r.body_len; i++) {
		if (r.body[i] == '"')
			inq = !inq;
		else if (!inq && r.body[i] == '\r' && r.body[i + 1] == '\n')
			lines++;
	}
	response_free(&r);
	json_t *j = get_json(&admin, "/api/v1/bases?area=feiyun&limit=1");
	assert_int_equal(lines, json_integer_value(json_object_get(j, "total")) + 1);
	json_decref(j);

	/* the export of every kind: as many lines as the list has records */
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		char path[96];
		snprintf(path, sizeof path, "/%s/export.csv", kinds[k]);
		r = get(&admin, path);
		assert_int_equal(r.status, 200);
		lines = 0;
		inq = 0;
		for (size_t i = 0; i < r.body_len; i++) {
			if (r.body[i] == '"')
				inq = !inq;
			else if (!inq && r.body[i] == '\n')
				lines++;
		}
		response_free(&r);
		assert_int_equal(lines, count(kinds[k]) + 1);
	}

	/* a CSV import: labels, a date written the Chinese way, quotes */
	long long before = count("projects");
	const char *csv = "\xEF\xBB\xBF名称,类别,所属区域,落地日期,来源,领域\r\n"
	                  "CSV项目一,团队,飞云街道,2024/3/1,赛事,\"新材料, 涂层\"\r\n"
	                  "CSV项目二,项目,塘下新区,2024年3月2日,招引,\"说\"\"明\"\"\"\r\n"
	                  "\r\n"
	                  "CSV项目三,project,tangxia,2024-03-03,,\r\n";
	int st;
	j = upload(&admin, "projects", "all", "text/csv", csv, strlen(csv), &st);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 3);
	json_decref(j);
	assert_int_equal(count("projects"), before + 3);
	j = get_json(&admin, "/api/v1/projects?q=CSV%E9%A1%B9%E7%9B%AE%E4%B8%80"); /* CSV项目一 */
	json_t *rec = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(rec, "kind")), "team");
	assert_string_equal(json_string_value(json_object_get(rec, "arrived_on")), "2024-03-01");
	assert_string_equal(json_string_value(json_object_get(rec, "source")), "contest");
	assert_string_equal(json_string_value(json_object_get(rec, "field")), "新材料, 涂层");
	json_decref(j);
	/* the same CSV from a Chinese Excel: GB18030 without a BOM */
	const char *gbk = "\xC3\xFB\xB3\xC6,\xC0\xE0\xB1\xF0,\xCB\xF9\xCA\xF4\xC7\xF8\xD3\xF2,\xC2\xE4\xB5\xD8\xC8\xD5\xC6\xDA\r\n" /* 名称,类别,所属区域,落地日期 */
	                  "GBK\xCF\xEE\xC4\xBF,\xCD\xC5\xB6\xD3,\xB7\xC9\xD4\xC6\xBD\xD6\xB5\xC0,2024-04-01\r\n"; /* GBK项目,团队,飞云街道 */
	j = upload(&admin, "projects", "all", "text/csv", gbk, strlen(gbk), &st);
	if (st != 200)
		fail_msg("GB18030: status %d: %s", st, json_dumps(j, 0));
	json_decref(j);
	j = get_json(&admin, "/api/v1/projects?q=GBK%E9%A1%B9%E7%9B%AE"); /* GBK项目 */
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
}

/* A firm's base given by its name, as a spreadsheet has it: the firm is
 * saved in that base and its area (the import's save uses the values its
 * check found; the check resolves the name). */
static void test_base_by_name(void **state)
{
	(void)state;
	json_t *j = get_json(&admin, "/api/v1/bases?limit=1");
	json_t *b = json_array_get(json_object_get(j, "items"), 0);
	long long base_id = json_integer_value(json_object_get(b, "id"));
	char name[512], area[128];
	snprintf(name, sizeof name, "%s", json_string_value(json_object_get(b, "name")));
	snprintf(area, sizeof area, "%s", json_string_value(json_object_get(b, "area")));
	json_decref(j);
	char csv[1024];
	snprintf(csv, sizeof csv, "企业名称,孵化基地编号,入孵日期,成立日期,行业\r\n按名称导入的企业,%s,2025-06-22,2024-12-08,主导产业\r\n", name);
	int st;
	j = upload(&admin, "firms", "all", "text/csv", csv, strlen(csv), &st);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 1);
	json_decref(j);
	j = get_json(&admin, "/api/v1/firms?q=%E6%8C%89%E5%90%8D%E7%A7%B0%E5%AF%BC%E5%85%A5"); /* 按名称导入 */
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_t *rec = json_array_get(json_object_get(j, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(rec, "base_id")), base_id);
	assert_string_equal(json_string_value(json_object_get(rec, "area")), area);
	json_decref(j);
}

/* A run's compact audit row of a firm as the database holds it
 * (store_records_insert_run): the columns inserted, in order, at the
 * record's created_at (firm c, audit a). */
#define FIRM_AUDIT_ROW                                                                                           \
	"a.action = 'create' AND a.before_json IS NULL AND a.at = c.created_at AND a.at = c.updated_at "          \
	"AND a.user_name = c.created_by AND a.after_json = json_array(c.name, c.uscc, c.base_id, c.area, "       \
	"c.entered_on, c.founded_on, c.industry, c.in_leading_industry, c.graduated_on, c.high_tech, c.review_status)"

/* The audit API's "after" of a firm's creation is the firm as the API
 * shows it, but for the names it looks up (base_name) and review_note
 * (none yet); the audit page names the firm and says it was created. */
static void assert_created_audit_shows(long long id)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/audit?kind=firms&id=%lld", id);
	json_t *j = get_json(&admin, path);
	json_t *items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *after = json_object_get(json_array_get(items, 0), "after");
	snprintf(path, sizeof path, "/api/v1/firms/%lld", id);
	json_t *rec = get_json(&admin, path);
	json_t *r = json_object_get(rec, "record") ? json_object_get(rec, "record") : rec;
	const char *key;
	json_t *v;
	json_object_foreach(r, key, v) {
		if (!strcmp(key, "base_name") || !strcmp(key, "review_note") || (!json_object_get(after, key) && json_is_null(v)))
			continue;
		if (!json_equal(json_object_get(after, key), v))
			fail_msg("firm %lld, %s: audit %s, record %s", id, key, json_dumps(json_object_get(after, key), JSON_ENCODE_ANY),
			         json_dumps(v, JSON_ENCODE_ANY));
	}
	json_object_foreach(after, key, v) if (!json_object_get(r, key)) fail_msg("firm %lld: audit has %s", id, key);
	Response page;
	snprintf(path, sizeof path, "/admin/audit?kind=firms&id=%lld", id);
	page = get(&admin, path);
	assert_int_equal(page.status, 200);
	assert_non_null(strstr(page.body, "新建记录"));
	assert_non_null(strstr(page.body, json_string_value(json_object_get(r, "name"))));
	response_free(&page);
	json_decref(rec);
	json_decref(j);
}

/* The import saves new records in runs (records_create_many_in_tx, a
 * statement per 64 rows) with their audit rows written together: each new
 * firm has exactly one "create" row by the importer, compact (the columns
 * inserted, at the record's created_at), which the audit API and page show
 * as the record; a change between two runs keeps its own audit row; an
 * area reporter's new firms wait for review. */
static void test_created_in_runs(void **state)
{
	(void)state;
	long long base = db_num("SELECT id FROM base WHERE area = 'feiyun' ORDER BY id LIMIT 1");
	long long firm = db_num("SELECT id FROM firm ORDER BY id LIMIT 1");
	long long audits = db_num("SELECT count(*) FROM audit");
	assert_true(base > 0 && firm > 0);
	Buf csv = {0};
	buf_puts(&csv, "编号,企业名称,孵化基地编号,入孵日期,成立日期,行业\r\n");
	for (int i = 0; i < 600; i++) {
		if (i == 300)
			buf_printf(&csv, "%lld,批量导入改名的企业,%lld,2025-01-02,2024-01-02,主导产业\r\n", firm, base);
		buf_printf(&csv, ",批量导入企业%04d,%lld,2025-06-22,2024-12-08,主导产业\r\n", i, base);
	}
	int st;
	json_t *j = upload(&admin, "firms", "all", "text/csv", csv.data, csv.len, &st);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 600);
	assert_int_equal(json_integer_value(json_object_get(j, "updated")), 1);
	/* each result names the firm made from its row */
	json_t *res = json_object_get(j, "results");
	assert_int_equal(json_array_size(res), 601);
	for (size_t i = 0; i < json_array_size(res); i++) {
		json_t *r = json_array_get(res, i);
		int row = (int)json_integer_value(json_object_get(r, "row"));
		long long id = json_integer_value(json_object_get(r, "id"));
		char sql[256];
		if (row == 302) {
			assert_int_equal(id, firm);
			continue;
		}
		snprintf(sql, sizeof sql, "SELECT count(*) FROM firm WHERE id = %lld AND name = '批量导入企业%04d'", id,
		         row - 2 - (row > 302));
		if (db_num(sql) != 1)
			fail_msg("row %d: id %lld is not its firm", row, id);
	}
	json_decref(j);
	assert_int_equal(db_num("SELECT count(*) FROM audit"), audits + 601);
	assert_int_equal(db_num("SELECT count(*) FROM firm c JOIN audit a ON a.record_kind = 'firms' AND a.record_id = CAST(c.id AS TEXT) "
	                        "AND a.user_name = 'admin' AND " FIRM_AUDIT_ROW
	                        " WHERE c.name LIKE '批量导入企业%' AND c.review_status = 'approved' AND c.area = 'feiyun'"),
	                 600);
	/* the first, one inside a statement of 64 and the last, as the audit shows them */
	assert_created_audit_shows(db_num("SELECT min(id) FROM firm WHERE name LIKE '批量导入企业%'"));
	assert_created_audit_shows(db_num("SELECT id FROM firm WHERE name = '批量导入企业0100'"));
	assert_created_audit_shows(db_num("SELECT max(id) FROM firm WHERE name LIKE '批量导入企业%'"));
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE record_kind = 'firms' AND record_id = '%lld' AND action = 'update' "
	                          "AND after_json LIKE '%%批量导入改名的企业%%'", firm);
	assert_int_equal(db_num(sql), 1);

	/* an area reporter's: pending, audited as the reporter */
	buf_reset(&csv);
	buf_puts(&csv, "企业名称,孵化基地编号,入孵日期,成立日期,行业\r\n");
	for (int i = 0; i < 260; i++)
		buf_printf(&csv, "填报员导入企业%04d,%lld,2025-06-22,2024-12-08,主导产业\r\n", i, base);
	j = upload(&reporter, "firms", "all", "text/csv", csv.data, csv.len, &st);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 260);
	assert_int_equal(json_integer_value(json_object_get(j, "pending")), 260);
	json_decref(j);
	assert_created_audit_shows(db_num("SELECT max(id) FROM firm WHERE name LIKE '填报员导入企业%'"));
	assert_int_equal(db_num("SELECT count(*) FROM firm c JOIN audit a ON a.record_kind = 'firms' AND a.record_id = CAST(c.id AS TEXT) "
	                        "AND a.user_name = 'feiyun_reporter' AND " FIRM_AUDIT_ROW " "
	                        "AND json_extract(a.after_json, '$[10]') = 'pending' "
	                        "WHERE c.name LIKE '填报员导入企业%' AND c.review_status = 'pending'"),
	                 260);
	buf_free(&csv);
}

/* What an import's rows look up again and again (a base, a 统一社会信用代码)
 * is kept for that import only (store_memo.c): a base missing in one
 * import and made after it is found by the next; a firm one import creates
 * is found by the next, which leaves it as it is. */
static void test_lookups_kept_per_import(void **state)
{
	(void)state;
	long long next = db_num("SELECT max(id) + 1 FROM base");
	char firms[512];
	snprintf(firms, sizeof firms,
	         "企业名称,孵化基地编号,入孵日期,成立日期,统一社会信用代码\r\n"
	         "记忆测试企业甲,%lld,2025-03-01,2024-01-02,91330381MA2MEM0T1M\r\n"
	         "记忆测试企业乙,%lld,2025-03-02,2024-01-02,\r\n", next, next);
	int st;
	json_t *j = upload(&admin, "firms", "all", "text/csv", firms, strlen(firms), &st);
	assert_int_equal(st, 422);
	assert_int_equal(json_integer_value(json_object_get(j, "bad")), 2);
	json_decref(j);

	const char *base = "编号,名称,类型,所属区域,运营状态,开业日期,总面积(㎡),孵化面积(㎡)\n"
	                   ",记忆测试空间,众创空间,飞云街道,运营中,2024-05-01,1000,800\n";
	j = upload(&admin, "bases", "all", "text/csv", base, strlen(base), &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 1);
	json_decref(j);
	assert_int_equal(db_num("SELECT id FROM base WHERE name = '记忆测试空间'"), next);

	j = upload(&admin, "firms", "all", "text/csv", firms, strlen(firms), &st);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 2);
	json_decref(j);
	assert_int_equal(db_num("SELECT count(*) FROM firm WHERE name LIKE '记忆测试企业%' AND area = 'feiyun'"), 2);

	j = upload(&admin, "firms", "all", "text/csv", firms, strlen(firms), &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "unchanged")), 2);
	json_decref(j);
	assert_int_equal(db_num("SELECT count(*) FROM firm WHERE name LIKE '记忆测试企业%'"), 2);
}

/* An area reporter: rows of another area are refused one by one; its new rows wait for review. */
static void test_area_reporter(void **state)
{
	long long before = count("bases");
	const char *csv = "编号,名称,类型,所属区域,运营状态,开业日期,总面积(㎡),孵化面积(㎡)\n"
	                  ",飞云导入测试空间,众创空间,飞云街道,运营中,2024-05-01,1000,800\n"
	                  ",仙降导入测试空间,众创空间,仙降街道,运营中,2024-05-01,1000,800\n"
	                  "13,改名,众创空间,仙降街道,运营中,2024-05-01,1000,800\n";
	int st;
	json_t *j = upload(&reporter, "bases", "check", "text/csv", csv, strlen(csv), &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "good")), 1);
	assert_true(has_error(j, 3, "所属区域", "本辖区"));
	assert_true(has_error(j, 4, "编号", "本辖区"));
	assert_false(has_error(j, 2, "所属区域", NULL));
	json_decref(j);
	j = upload(&reporter, "bases", "all", "text/csv", csv, strlen(csv), &st);
	assert_int_equal(st, 422);
	json_decref(j);
	assert_int_equal(count("bases"), before);
	j = upload(&reporter, "bases", "good", "text/csv", csv, strlen(csv), &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "imported")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "pending")), 1);
	json_decref(j);
	assert_int_equal(count("bases"), before + 1);
	j = get_json(&admin, "/api/v1/bases?q=%E9%A3%9E%E4%BA%91%E5%AF%BC%E5%85%A5%E6%B5%8B%E8%AF%95%E7%A9%BA%E9%97%B4"); /* 飞云导入测试空间 */
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "review_status")), "pending");
	json_decref(j);
	j = get_json(&admin, "/api/v1/bases/13");
	assert_string_not_equal(json_string_value(json_object_get(j, "name")), "改名");
	json_decref(j);
}

/* The template: 说明 first, then the kind's sheet with its headers; for the office and reporters. */
static void test_template(void **state)
{
	Response r = get(&admin, "/bases/template.xlsx");
	assert_int_equal(r.status, 200);
	char *ct = response_header(&r, "Content-Type");
	assert_string_equal(ct, XLSX_MIME);
	free(ct);
	char *cd = response_header(&r, "Content-Disposition");
	assert_non_null(strstr(cd, "attachment;"));
	assert_non_null(strstr(cd, "filename*=UTF-8''"));
	free(cd);
	Arena a = {0};
	char err[256];
	const char **names;
	int n = xlsx_sheet_names(&a, r.body, r.body_len, &names, err, sizeof err);
	assert_true(n >= 2);
	assert_string_equal(names[0], "说明");
	assert_string_equal(names[1], "孵化基地");
	XlsxSheet *s = xlsx_read_sheet(&a, r.body, r.body_len, "孵化基地", err, sizeof err);
	assert_non_null(s);
	assert_string_equal(xlsx_cell_text(s, 0, 0), "编号");
	assert_string_equal(xlsx_cell_text(s, 0, 1), "名称");
	assert_string_equal(xlsx_cell_text(s, 0, 3), "所属区域");
	assert_int_equal(s->nrows, 1);
	XlsxSheet *ins = xlsx_read_sheet(&a, r.body, r.body_len, "说明", err, sizeof err);
	assert_non_null(ins);
	int said_required = 0, said_new = 0, said_values = 0;
	for (int i = 0; i < ins->nrows; i++) {
		const char *t = xlsx_cell_text(ins, i, 0);
		if (!t)
			continue;
		said_required |= strstr(t, "名称（必填）") != NULL;
		said_new |= strstr(t, "留空表示新增") != NULL;
		said_values |= strstr(t, "科技企业孵化器") != NULL && strstr(t, "类型") == t;
	}
	assert_true(said_required && said_new && said_values);
	/* the empty template imports as "no rows", not as an error of its 说明 */
	int st;
	json_t *j = upload(&admin, "bases", "check", XLSX_MIME, r.body, r.body_len, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 0);
	json_decref(j);
	arena_free(&a);
	response_free(&r);
	r = get(&reporter, "/firms/template.xlsx");
	assert_int_equal(r.status, 200);
	response_free(&r);
	r = get(&viewer, "/firms/template.xlsx");
	assert_int_equal(r.status, 403);
	response_free(&r);
}

/* Unreadable files and unknown columns are said in Chinese; nothing is written. */
static void test_bad_files(void **state)
{
	const char *text = "这不是工作簿,只是一段文字。\n";
	int st;
	json_t *j = upload(&admin, "funds", "check", XLSX_MIME, text, strlen(text), &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "bad_file");
	assert_true((unsigned char)msg_of(j)[0] >= 0x80); /* Chinese */
	assert_non_null(strstr(msg_of(j), "xlsx"));
	json_decref(j);
	j = upload(&admin, "funds", "check", XLSX_MIME, "", 0, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	const char *open_quote = "\"名称\n";
	j = upload(&admin, "funds", "all", "text/csv", open_quote, strlen(open_quote), &st);
	assert_int_equal(st, 400);
	assert_non_null(strstr(msg_of(j), "引号"));
	json_decref(j);
	j = upload(&admin, "funds", "sideways", "text/csv", "a", 1, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	/* an unknown column names itself, and blocks every mode that writes */
	long long before = count("funds");
	const char *csv = "名称,颜色,基金类型\n某基金,红,天使投资基金\n";
	j = upload(&admin, "funds", "check", "text/csv", csv, strlen(csv), &st);
	assert_int_equal(st, 200);
	assert_true(has_error(j, 1, "颜色", "没有“颜色”这一列"));
	json_decref(j);
	j = upload(&admin, "funds", "good", "text/csv", csv, strlen(csv), &st);
	assert_int_equal(st, 422);
	json_decref(j);
	assert_int_equal(count("funds"), before);
}

/* Who may: viewers read exports but cannot import; the import page is for the office and reporters. */
static void test_roles(void **state)
{
	const char *csv = "名称\n某机构\n";
	int st;
	json_t *j = upload(&viewer, "operators", "check", "text/csv", csv, strlen(csv), &st);
	assert_int_equal(st, 403);
	json_decref(j);
	Response r = get(&viewer, "/operators/export.xlsx");
	assert_int_equal(r.status, 200);
	response_free(&r);
	r = get(&viewer, "/operators/import");
	assert_int_equal(r.status, 403);
	response_free(&r);
	r = get(NULL, "/operators/export.csv");
	assert_int_equal(r.status, 303);
	response_free(&r);
	r = get(&reporter, "/operators/import");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "id=\"import-form\""));
	assert_non_null(strstr(r.body, "data-api=\"/api/v1/operators/import\""));
	assert_non_null(strstr(r.body, reporter.csrf));
	assert_non_null(strstr(r.body, "/operators/template.xlsx"));
	assert_non_null(strstr(r.body, "/operators/export.xlsx"));
	assert_non_null(strstr(r.body, "/operators/export.csv"));
	assert_non_null(strstr(r.body, "飞云街道"));
	response_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_kind),
		cmocka_unit_test(test_thousand_rows_all_or_nothing),
		cmocka_unit_test(test_good_rows_only),
		cmocka_unit_test(test_late_error_undoes_saved_rows),
		cmocka_unit_test(test_update_by_id),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_base_by_name),
		cmocka_unit_test(test_created_in_runs),
		cmocka_unit_test(test_lookups_kept_per_import),
		cmocka_unit_test(test_area_reporter),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests_name("transfer", tests, setup, teardown);
}
