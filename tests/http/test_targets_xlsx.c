/*
 * test_targets_xlsx.c — the areas' targets in and out of spreadsheets over
 * the real server (page_targets_xlsx.c): the template's and the export's
 * shape (区域, indicator × year columns, the city's row, 说明); export →
 * import changes nothing; a workbook with two bad cells is refused whole,
 * naming exactly those two cells, and writes nothing; fixed, it imports in
 * one go, the targets and the sum check show it and each change has its
 * audit row; CSV, unknown areas and headers, the city's row ignored;
 * unreadable files are a 400 in Chinese; only the office imports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "xlsx_read.h"
#include "xlsx_write.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define SHEET "目标分解"
#define H_AREA_2022 "新增孵化场地面积(㎡) 2022"
#define H_AREA_2023 "新增孵化场地面积(㎡) 2023"
#define H_AREA_2024 "新增孵化场地面积(㎡) 2024"
#define H_OPS_2023 "专业孵化运营团队(个) 2023"
#define NAREAS 25
#define NCOLS 18 /* 6 plan indicators x 3 years */

static TestServer srv;
static Login admin, viewer;

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "leader", "viewer", NULL);
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	    http_login(srv.port, "leader", TEST_USER_PASSWORD, &viewer))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* POSTs a file to /api/v1/targets/import?mode=...; returns the parsed answer. */
static json_t *upload(const Login *l, const char *mode, const char *ctype, const void *body, size_t len, int *status)
{
	char path[128], headers[512];
	snprintf(path, sizeof path, "/api/v1/targets/import?mode=%s", mode);
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

static json_t *get_json(const char *path)
{
	Response r = get(&admin, path);
	if (r.status != 200)
		fail_msg("%s: status %d", path, r.status);
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	response_free(&r);
	assert_non_null(j);
	return j;
}

static const char *msg_of(json_t *j)
{
	const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
	return m ? m : "";
}

static long long num(json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
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

/* Every target as "indicator/scope/year" → value. */
static json_t *all_targets(void)
{
	json_t *j = get_json("/api/v1/targets");
	json_t *out = json_object();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "items"), i, x) {
		char key[128];
		snprintf(key, sizeof key, "%s/%s/%lld", json_string_value(json_object_get(x, "indicator")),
		         json_string_value(json_object_get(x, "scope")), (long long)json_integer_value(json_object_get(x, "year")));
		json_object_set(out, key, json_object_get(x, "value"));
	}
	json_decref(j);
	return out;
}

/* One target's value, or NAN when there is none. */
static double target(json_t *all, const char *ind, const char *scope, int year)
{
	char key[128];
	snprintf(key, sizeof key, "%s/%s/%d", ind, scope, year);
	json_t *v = json_object_get(all, key);
	return v ? json_number_value(v) : NAN;
}

static long long audit_total(void)
{
	json_t *j = get_json("/api/v1/audit?kind=targets&limit=1");
	long long n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

/* ---- a workbook: the export read back, to change and write again ---- */

typedef struct Book {
	Arena arena;
	int nrows, ncols;   /* data rows (below the header) and columns */
	XlsxColumn *cols;
	XlsxCell *cells;
} Book;

static void book_from(Book *b, const void *data, size_t len)
{
	char err[256];
	memset(b, 0, sizeof *b);
	XlsxSheet *s = xlsx_read_sheet(&b->arena, data, len, SHEET, err, sizeof err);
	if (!s)
		fail_msg("reading the export: %s", err);
	b->ncols = s->ncols;
	b->nrows = s->nrows - 1;
	b->cols = arena_alloc(&b->arena, sizeof *b->cols * (size_t)b->ncols);
	for (int c = 0; c < b->ncols; c++)
		b->cols[c].header = xlsx_cell_text(s, 0, c);
	b->cells = arena_alloc(&b->arena, sizeof *b->cells * (size_t)(b->nrows * b->ncols));
	for (int r = 0; r < b->nrows; r++)
		for (int c = 0; c < b->ncols; c++) {
			const XlsxCell *x = xlsx_cell(s, r + 1, c);
			if (x && x->type != XLSX_EMPTY)
				b->cells[r * b->ncols + c] = *x;
		}
}

static void book_export(Book *b)
{
	Response r = get(&admin, "/targets/export.xlsx");
	assert_int_equal(r.status, 200);
	book_from(b, r.body, r.body_len);
	response_free(&r);
}

static int book_col(const Book *b, const char *header)
{
	for (int c = 0; c < b->ncols; c++)
		if (b->cols[c].header && strcmp(b->cols[c].header, header) == 0)
			return c;
	fail_msg("no column %s", header);
	return -1;
}

/* The data row of an area (0-based below the header); its Excel row is +2. */
static int book_row(const Book *b, const char *area)
{
	for (int r = 0; r < b->nrows; r++)
		if (b->cells[r * b->ncols].text && strcmp(b->cells[r * b->ncols].text, area) == 0)
			return r;
	fail_msg("no row %s", area);
	return -1;
}

static XlsxCell *book_cell(Book *b, const char *area, const char *header)
{
	return &b->cells[book_row(b, area) * b->ncols + book_col(b, header)];
}

static void book_write(const Book *b, Buf *out)
{
	XlsxTable t = {.name = SHEET, .cols = b->cols, .ncols = b->ncols, .cells = b->cells, .nrows = b->nrows};
	XlsxBook book = {.tables = &t, .ntables = 1};
	char err[256];
	buf_reset(out);
	if (xlsx_write_table(NULL, out, &book, err, sizeof err) != H_OK)
		fail_msg("writing the workbook: %s", err);
}

/* ---- tests ---- */

/* The template and the export: the grid's shape, the city's row, 说明; public like /targets. */
static void test_shape(void **state)
{
	Response r = get(NULL, "/targets/template.xlsx");
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
	assert_int_equal(n, 2);
	assert_string_equal(names[0], SHEET);
	assert_string_equal(names[1], "说明");
	XlsxSheet *s = xlsx_read_sheet(&a, r.body, r.body_len, SHEET, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->ncols, 1 + NCOLS);
	assert_string_equal(xlsx_cell_text(s, 0, 0), "区域");
	assert_string_equal(xlsx_cell_text(s, 0, 1), "示范孵化基地(个) 2022");
	assert_string_equal(xlsx_cell_text(s, 0, 4), H_AREA_2022);
	assert_string_equal(xlsx_cell_text(s, 0, 5), H_AREA_2023);
	assert_string_equal(xlsx_cell_text(s, 1, 0), "安阳中心城区");
	assert_string_equal(xlsx_cell_text(s, NAREAS, 0), "平阳坑镇");
	assert_null(xlsx_cell_text(s, 1, 4)); /* the template is empty... */
	/* ...but for the city's row at the bottom */
	const char *city = xlsx_cell_text(s, s->nrows - 1, 0);
	assert_non_null(strstr(city, "全市目标"));
	assert_non_null(strstr(city, "导入时忽略"));
	assert_string_equal(xlsx_cell_text(s, s->nrows - 1, 4), "250000");
	XlsxSheet *ins = xlsx_read_sheet(&a, r.body, r.body_len, "说明", err, sizeof err);
	assert_non_null(ins);
	int cumulative = 0, empty = 0, city_row = 0, units = 0;
	for (int i = 0; i < ins->nrows; i++) {
		const char *t = xlsx_cell_text(ins, i, 0);
		if (!t)
			continue;
		cumulative |= strstr(t, "累计") && strstr(t, "2022-01-01");
		empty |= strstr(t, "留空") && strstr(t, "不设目标");
		city_row |= strstr(t, "全市目标") && strstr(t, "规划") && strstr(t, "忽略");
		units |= strstr(t, "新增孵化场地面积：单位 ㎡") != NULL;
	}
	assert_true(cumulative && empty && city_row && units);
	arena_free(&a);
	response_free(&r);

	/* the export: the same shape, filled; anyone may download it */
	json_t *all = all_targets();
	Book b;
	r = get(NULL, "/targets/export.xlsx");
	assert_int_equal(r.status, 200);
	book_from(&b, r.body, r.body_len);
	response_free(&r);
	assert_int_equal(b.ncols, 1 + NCOLS);
	XlsxCell *c = book_cell(&b, "塘下新区", H_AREA_2023);
	assert_int_equal(c->type, XLSX_NUMBER);
	assert_true(c->number == target(all, "area_added", "tangxia", 2023));
	arena_free(&b.arena);
	json_decref(all);

	/* the grid links to them; the import only for the office */
	r = get(NULL, "/targets");
	assert_non_null(strstr(r.body, "/targets/export.xlsx"));
	assert_non_null(strstr(r.body, "/targets/template.xlsx"));
	assert_null(strstr(r.body, "/targets/import"));
	response_free(&r);
	r = get(&admin, "/targets");
	assert_non_null(strstr(r.body, "href=\"/targets/import\""));
	response_free(&r);
}

/* Export → import: nothing changes, no audit row. */
static void test_round_trip(void **state)
{
	json_t *before = all_targets();
	long long audits = audit_total();
	Response r = get(&admin, "/targets/export.xlsx");
	assert_int_equal(r.status, 200);
	int st;
	json_t *j = upload(&admin, "all", XLSX_MIME, r.body, r.body_len, &st);
	response_free(&r);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	assert_int_equal(num(j, "changed"), 0);
	assert_int_equal(num(j, "cells"), NAREAS * NCOLS);
	assert_int_equal(num(j, "rows"), NAREAS);
	assert_int_equal(num(j, "ignored_rows"), 1); /* the city */
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 0);
	json_decref(j);
	json_t *after = all_targets();
	assert_true(json_equal(before, after));
	assert_int_equal(audit_total(), audits);
	json_decref(before);
	json_decref(after);
}

/* Two bad cells refuse the whole workbook, named exactly; fixed, it goes in whole. */
static void test_bad_cells_then_fixed(void **state)
{
	json_t *before = all_targets();
	long long audits = audit_total();
	json_t *sum = get_json("/api/v1/targets?indicator=area_added&year=2023");
	double sum_before = json_number_value(json_object_get(json_array_get(json_object_get(sum, "sum_check"), 0), "areas_sum"));
	json_decref(sum);

	Book b;
	book_export(&b);
	/* good changes: 12,000 typed as text, 5万, a removal, a new target */
	*book_cell(&b, "仙降街道", H_AREA_2023) = xlsx_str("12,000");
	*book_cell(&b, "云周街道", H_AREA_2023) = xlsx_str("5万");
	*book_cell(&b, "塘下新区", H_AREA_2022) = xlsx_empty();
	*book_cell(&b, "陶山镇", H_OPS_2023) = xlsx_num(2);
	/* two bad cells */
	*book_cell(&b, "飞云街道", H_AREA_2023) = xlsx_str("很多");
	*book_cell(&b, "马屿镇", H_AREA_2024) = xlsx_num(-5);
	int feiyun_row = book_row(&b, "飞云街道") + 2, mayu_row = book_row(&b, "马屿镇") + 2;
	Buf file = {0};
	book_write(&b, &file);

	int st;
	json_t *j = upload(&admin, "check", XLSX_MIME, file.data, file.len, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 2);
	json_decref(j);
	j = upload(&admin, "all", XLSX_MIME, file.data, file.len, &st);
	assert_int_equal(st, 422);
	json_t *errors = json_object_get(j, "errors");
	if (json_array_size(errors) != 2)
		fail_msg("want exactly 2 errors, got %s", json_dumps(errors, 0));
	assert_true(has_error(j, feiyun_row, H_AREA_2023, "应为数字"));
	assert_true(has_error(j, mayu_row, H_AREA_2024, "不能为负数"));
	assert_non_null(strstr(msg_of(j), "未导入"));
	json_decref(j);
	/* nothing was written */
	json_t *now = all_targets();
	assert_true(json_equal(before, now));
	json_decref(now);
	assert_int_equal(audit_total(), audits);

	/* fixed: every cell good, one transaction, one audit row per change */
	*book_cell(&b, "飞云街道", H_AREA_2023) = xlsx_num(20000);
	*book_cell(&b, "马屿镇", H_AREA_2024) = xlsx_str("3.5万");
	book_write(&b, &file);
	j = upload(&admin, "all", XLSX_MIME, file.data, file.len, &st);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	int want_changed = 0;
	want_changed += target(before, "area_added", "xianjiang", 2023) != 12000;
	want_changed += target(before, "area_added", "yunzhou", 2023) != 50000;
	want_changed += !isnan(target(before, "area_added", "tangxia", 2022));
	want_changed += target(before, "operators", "taoshan", 2023) != 2;
	want_changed += target(before, "area_added", "feiyun", 2023) != 20000;
	want_changed += target(before, "area_added", "mayu", 2024) != 35000;
	assert_int_equal(want_changed, 6);
	assert_int_equal(num(j, "changed"), want_changed);
	assert_int_equal(num(j, "removed"), 1);
	assert_int_equal(num(j, "added"), 1);
	assert_int_equal(num(j, "modified"), 4);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 0);
	json_decref(j);
	assert_int_equal(audit_total(), audits + want_changed);

	json_t *after = all_targets();
	assert_true(target(after, "area_added", "xianjiang", 2023) == 12000);
	assert_true(target(after, "area_added", "yunzhou", 2023) == 50000);
	assert_true(isnan(target(after, "area_added", "tangxia", 2022)));
	assert_true(target(after, "operators", "taoshan", 2023) == 2);
	assert_true(target(after, "area_added", "feiyun", 2023) == 20000);
	assert_true(target(after, "area_added", "mayu", 2024) == 35000);
	/* the rest as it was, the city's too */
	assert_true(target(after, "area_added", "binhai", 2023) == target(before, "area_added", "binhai", 2023));
	assert_true(target(after, "area_added", "ruian", 2022) == 250000);
	assert_int_equal(json_object_size(after), json_object_size(before)); /* one removed, one added */
	json_decref(after);

	/* the sum check reflects them */
	double delta = (12000 - target(before, "area_added", "xianjiang", 2023)) +
	               (50000 - target(before, "area_added", "yunzhou", 2023)) +
	               (20000 - target(before, "area_added", "feiyun", 2023));
	sum = get_json("/api/v1/targets?indicator=area_added&year=2023");
	json_t *check = json_array_get(json_object_get(sum, "sum_check"), 0);
	double sum_after = json_number_value(json_object_get(check, "areas_sum"));
	assert_true(fabs(sum_after - (sum_before + delta)) < 1e-6);
	assert_true(json_number_value(json_object_get(check, "shortfall")) ==
	            (sum_after >= 600000 ? 0 : 600000 - sum_after));
	json_decref(sum);
	sum = get_json("/api/v1/targets?indicator=area_added&year=2022");
	check = json_array_get(json_object_get(sum, "sum_check"), 0);
	assert_int_equal(json_integer_value(json_object_get(check, "areas_with_target")), NAREAS - 1);
	json_decref(sum);

	/* and the same file again changes nothing */
	j = upload(&admin, "all", XLSX_MIME, file.data, file.len, &st);
	assert_int_equal(st, 200);
	assert_int_equal(num(j, "changed"), 0);
	json_decref(j);
	buf_free(&file);
	arena_free(&b.arena);
	json_decref(before);
}

/* CSV of the same shape; unknown areas and headers name their row and column; the city's row is ignored. */
static void test_csv_and_names(void **state)
{
	json_t *before = all_targets();
	const char *bad = "\xEF\xBB\xBF区域," H_AREA_2024 ",颜色 2024\r\n"
	                  "陶山镇,\"70,000\",红\r\n"
	                  "火星街道,1,\r\n"
	                  "陶山镇,2,\r\n";
	int st;
	json_t *j = upload(&admin, "check", "text/csv", bad, strlen(bad), &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "format")), "csv");
	assert_true(has_error(j, 1, "颜色 2024", "没有“颜色 2024”这一列"));
	assert_true(has_error(j, 3, "区域", "没有“火星街道”这个区域"));
	assert_true(has_error(j, 4, "区域", "与第 2 行重复"));
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 3);
	json_decref(j);
	j = upload(&admin, "all", "text/csv", bad, strlen(bad), &st);
	assert_int_equal(st, 422);
	json_decref(j);
	json_t *now = all_targets();
	assert_true(json_equal(before, now));
	json_decref(now);

	/* headers as people retype them (full-width parentheses, no space, 年; the
	 * indicator's code); the city's row ignored */
	const char *good = "区域,新增孵化场地面积\xEF\xBC\x88㎡\xEF\xBC\x89 2024年,national 2024\n"
	                   "陶山镇,\"70,000\",\n"
	                   "\"全市目标(规划,仅供参考,导入时忽略)\",1,5\n";
	j = upload(&admin, "all", "text/csv", good, strlen(good), &st);
	if (st != 200)
		fail_msg("status %d: %s", st, json_dumps(j, 0));
	assert_int_equal(num(j, "cells"), 2);
	assert_int_equal(num(j, "ignored_rows"), 1);
	assert_int_equal(num(j, "changed"), 1 + !isnan(target(before, "national", "taoshan", 2024)));
	json_decref(j);
	json_t *after = all_targets();
	assert_true(target(after, "area_added", "taoshan", 2024) == 70000);
	assert_true(target(after, "area_added", "ruian", 2024) == 1000000);
	assert_true(target(after, "national", "ruian", 2024) == 1);
	json_decref(after);
	json_decref(before);
}

/* Unreadable files are a 400 with the reader's Chinese message; nothing is written. */
static void test_bad_files(void **state)
{
	json_t *before = all_targets();
	const char *text = "这不是工作簿,只是一段文字。\n";
	int st;
	json_t *j = upload(&admin, "all", XLSX_MIME, text, strlen(text), &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "bad_file");
	assert_true((unsigned char)msg_of(j)[0] >= 0x80); /* Chinese */
	assert_non_null(strstr(msg_of(j), "xlsx"));
	json_decref(j);
	j = upload(&admin, "all", "text/plain", text, strlen(text), &st);
	assert_int_equal(st, 400);
	assert_non_null(strstr(msg_of(j), "不是目标分解表"));
	json_decref(j);
	j = upload(&admin, "all", XLSX_MIME, "", 0, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	const char *open_quote = "区域,\"" H_AREA_2024 "\n";
	j = upload(&admin, "all", "text/csv", open_quote, strlen(open_quote), &st);
	assert_int_equal(st, 400);
	assert_non_null(strstr(msg_of(j), "引号"));
	json_decref(j);
	j = upload(&admin, "good", "text/csv", "区域\n", 7, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	json_t *after = all_targets();
	assert_true(json_equal(before, after));
	json_decref(after);
	json_decref(before);
}

/* Only the office imports; everyone reads the export. */
static void test_roles(void **state)
{
	json_t *before = all_targets();
	Response r = get(&admin, "/targets/export.xlsx");
	int st;
	json_t *j = upload(&viewer, "all", XLSX_MIME, r.body, r.body_len, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	response_free(&r);
	json_t *after = all_targets();
	assert_true(json_equal(before, after));
	json_decref(after);
	json_decref(before);
	r = get(&viewer, "/targets/import");
	assert_int_equal(r.status, 403);
	response_free(&r);
	r = get(&viewer, "/targets/export.xlsx");
	assert_int_equal(r.status, 200);
	response_free(&r);
	r = get(&admin, "/targets/import");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "id=\"import-form\""));
	assert_non_null(strstr(r.body, "data-api=\"/api/v1/targets/import\""));
	assert_non_null(strstr(r.body, admin.csrf));
	assert_non_null(strstr(r.body, "id=\"import-good\"")); /* the script needs it, hidden */
	response_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_cells_then_fixed),
		cmocka_unit_test(test_csv_and_names),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests_name("targets_xlsx", tests, setup, teardown);
}
