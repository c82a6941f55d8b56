/*
 * test_export.c — the streamed export (page_transfer.c, transfer.c,
 * xlsx_stream.c) on a database of `hatchery gen --scale city` (3,000
 * firms): the file as python3-openpyxl reads it holds exactly the firms
 * of the database, in the list's order; the CSV has a line per firm; an
 * export read while another connection writes is the state of its start
 * (one read snapshot), although the writes came after most of its rows
 * were still to be read; clients that go away midway leave the server
 * answering, with every export slot free again (a 5th, 6th, 7th export
 * would be refused if the streams were not freed) and, in the ASan build,
 * nothing leaked (the server must stop with status 0 and a clean log);
 * text with XML's and OOXML's specials, a tab and a line break comes back
 * as stored; a filtered export and the list's API (the same statements)
 * give the firms the filters match, applied here by hand, in the list's
 * order (boundary dates, no date, a town user's scope, filters combined),
 * read from the index on 入孵日期 (EXPLAIN QUERY PLAN); an export's rows
 * read in the table's order; every kind's export, cell by cell, as the
 * API has the records; an export whose first piece is slower than the
 * idle timeout is not cut.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "domain.h"
#include "plan.h"
#include "store.h"
#include "xlsx_read.h"

static TestServer srv, slow;
static Login admin, town, slow_admin;

static int setup(void **state)
{
	(void)state;
	server_start_gen(&srv, "city", 1);
	server_add_user(&srv, "anyang_reporter", "area", "anyang");
	/* test_slow_first_piece_not_cut's: an idle timeout of 1 s, each
	 * export's first piece made in 2.5 s */
	static const char *const args[] = {"--idle-timeout", "1", NULL};
	setenv("HATCHERY_TEST_EXPORT_DELAY_MS", "2500", 1);
	server_start(&slow, args);
	unsetenv("HATCHERY_TEST_EXPORT_DELAY_MS");
	return http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) ||
	       http_login(srv.port, "anyang_reporter", TEST_USER_PASSWORD, &town) ||
	       http_login(slow.port, "admin", TEST_ADMIN_PASSWORD, &slow_admin);
}

static int teardown(void **state)
{
	(void)state;
	/* 0: stopped cleanly; the ASan build exits 23 on a leak, and a
	 * sanitizer's report in the log fails it too */
	assert_int_equal(server_stop(&srv), 0);
	assert_int_equal(server_stop(&slow), 0);
	return 0;
}

static Response get(const char *path)
{
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", path, NULL, &r), 0);
	return r;
}

/* The firms as the export lists them: id, name, uscc, base, three dates. */
static char *db_firms(const char *db, int *n)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h,
	                                    "SELECT id, name, coalesce(uscc, ''), base_id, coalesce(entered_on, ''), "
	                                    "coalesce(founded_on, ''), coalesce(graduated_on, '') FROM firm ORDER BY base_id, name",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	Buf b = {0};
	*n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		buf_printf(&b, "%lld\t%s\t%s\t%lld\t%s\t%s\t%s\n", (long long)sqlite3_column_int64(st, 0),
		           sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), (long long)sqlite3_column_int64(st, 3),
		           sqlite3_column_text(st, 4), sqlite3_column_text(st, 5), sqlite3_column_text(st, 6));
		(*n)++;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return buf_detach(&b);
}

static const char openpyxl_py[] =
	"import sys, openpyxl\n"
	"wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
	"assert wb.sheetnames[:2] == ['在孵企业', '说明'], wb.sheetnames\n"
	"rows = wb['在孵企业'].iter_rows(values_only=True)\n"
	"head = next(rows)\n"
	"assert head[:7] == ('编号', '企业名称', '统一社会信用代码', '孵化基地编号', '所属区域', '入孵日期', '成立日期'), head\n"
	"col = {h: i for i, h in enumerate(head)}\n"
	"def day(v):\n"
	"    return '' if v is None else v.date().isoformat()\n"
	"out = []\n"
	"for r in rows:\n"
	"    if r[0] is None: continue\n"
	"    out.append('%d\\t%s\\t%s\\t%d\\t%s\\t%s\\t%s\\n' % (r[0], r[1], r[2] or '', r[3], day(r[col['入孵日期']]),\n"
	"               day(r[col['成立日期']]), day(r[col['毕业日期']])))\n"
	"first = next(wb['说明'].iter_rows(values_only=True))[0]\n"
	"sys.stdout.write('%s\\n' % first)\n"
	"sys.stdout.write(''.join(out))\n";

/* What openpyxl, an independent reader, finds in the downloaded file:
 * every firm of the database with its values, nothing else. */
static void test_openpyxl_reads_the_database(void **state)
{
	(void)state;
	Response r = get("/firms/export.xlsx");
	assert_int_equal(r.status, 200);
	assert_false(r.incomplete);
	char *total = response_header(&r, "X-Total-Count");
	assert_string_equal(total, "3000");
	free(total);
	char path[300], py[300], cmd[700];
	snprintf(path, sizeof path, "%s/firms.xlsx", srv.dir);
	snprintf(py, sizeof py, "%s/read.py", srv.dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r.body, 1, r.body_len, f), r.body_len);
	fclose(f);
	response_free(&r);
	f = fopen(py, "w");
	assert_non_null(f);
	fputs(openpyxl_py, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s 2>&1", py, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	Buf got = {0};
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&got, chunk, k);
	int rc = pclose(p);
	if (rc != 0)
		fail_msg("openpyxl: %.2000s", buf_str(&got));
	int n;
	char *want = db_firms(srv.db, &n);
	assert_int_equal(n, 3000);
	const char *nl = strchr(buf_str(&got), '\n');
	assert_non_null(nl);
	/* 说明's first line: the count, written after the rows */
	assert_true(strncmp(got.data, "在孵企业导出，共 3000 条", strlen("在孵企业导出，共 3000 条")) == 0);
	if (strcmp(nl + 1, want) != 0) {
		size_t i = 0;
		while (nl[1 + i] && nl[1 + i] == want[i])
			i++;
		fail_msg("the file differs from the database at byte %zu: file \"%.120s\" database \"%.120s\"", i, nl + 1 + i,
		         want + i);
	}
	free(want);
	buf_free(&got);

	/* the CSV the same way: a line per firm and the header */
	r = get("/firms/export.csv");
	assert_int_equal(r.status, 200);
	assert_false(r.incomplete);
	int lines = 0;
	for (size_t i = 0; i + 1 < r.body_len; i++)
		lines += r.body[i] == '\r' && r.body[i + 1] == '\n';
	assert_int_equal(lines, 3001);
	response_free(&r);
}

/* An export read while another connection commits is the state at its
 * start: the writes land when most rows are still to be read. */
static void test_export_is_one_snapshot(void **state)
{
	(void)state;
	Arena a = {0};
	char err[512];
	Store *s = store_open(srv.db, STORE_NO_MIGRATE, err, sizeof err);
	assert_non_null(s);
	const char *json = store_plan_json(s, &a);
	assert_non_null(json);
	Plan *plan = plan_parse(&a, json, strlen(json), "plan", err, sizeof err);
	assert_non_null(plan);
	Actor who = {.name = "test", .role = ROLE_ADMIN, .addr = "test", .plan = plan, .arena = &a};
	RecordFilter f = {0};
	TransferExport *e;
	long long total = 0;
	assert_int_equal(transfer_export_open(s, &who, kind_by_name("firms"), &f, EXPORT_XLSX, &e, &total).code, DOM_OK);
	assert_int_equal(total, 3000);
	Buf file = {0};
	char piece[4096];
	long n = transfer_export_read(e, piece, sizeof piece);
	assert_true(n > 0);
	buf_append(&file, piece, (size_t)n);
	long long read_before = transfer_export_rows(e);
	assert_true(read_before > 0 && read_before < 1500); /* most rows are still to come */

	/* another connection: the last firm of the list renamed, one firm more */
	sqlite3 *w;
	assert_int_equal(sqlite3_open(srv.db, &w), SQLITE_OK);
	sqlite3_busy_timeout(w, 5000);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(w, "SELECT id, name FROM firm ORDER BY base_id DESC, name DESC LIMIT 1", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long last = sqlite3_column_int64(st, 0);
	char *old_name = strdup((const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	char sql[512];
	snprintf(sql, sizeof sql,
	         "UPDATE firm SET name = name || '（改名）' WHERE id = %lld;"
	         "INSERT INTO firm(name, uscc, base_id, area, entered_on, review_status, created_at, updated_at) "
	         "SELECT name || '（新）', NULL, base_id, area, entered_on, 'approved', created_at, updated_at FROM firm WHERE id = %lld;",
	         last, last);
	char *msg = NULL;
	if (sqlite3_exec(w, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("write: %s", msg);
	sqlite3_close(w);

	while ((n = transfer_export_read(e, piece, sizeof piece)) > 0)
		buf_append(&file, piece, (size_t)n);
	assert_int_equal(n, 0);
	assert_int_equal(transfer_export_rows(e), 3000);
	transfer_export_close(e);
	store_close(s);

	XlsxSheet *sh = xlsx_read_sheet(&a, file.data, file.len, "在孵企业", err, sizeof err);
	if (!sh)
		fail_msg("%s", err);
	assert_int_equal(sh->nrows, 3001);
	/* the last row: the firm as it was when the export began */
	const XlsxCell *id = xlsx_cell(sh, 3000, 0);
	assert_non_null(id);
	assert_int_equal((long long)id->number, last);
	assert_string_equal(xlsx_cell_text(sh, 3000, 1), old_name);
	free(old_name);
	buf_free(&file);
	arena_free(&a);
}

/* A client that reads a little of an export and goes away (RST). */
static void abandon_export(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	int small = 4096; /* before connect: a small window, so the server cannot send it all at once */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	char req[512];
	int len = snprintf(req, sizeof req, "GET /firms/export.xlsx HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", admin.cookie);
	assert_int_equal(send(fd, req, (size_t)len, 0), len);
	char buf[2048];
	size_t got = 0;
	while (got < 3000) {
		ssize_t k = recv(fd, buf, sizeof buf, 0);
		assert_true(k > 0);
		if (got == 0)
			assert_memory_equal(buf, "HTTP/1.1 200", 12);
		got += (size_t)k;
	}
	struct linger l = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

static int count_in_file(const char *path, const char *a, const char *b)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024];
	int n = 0;
	while (fgets(line, sizeof line, f))
		n += strstr(line, a) && strstr(line, b);
	fclose(f);
	return n;
}

/* The access log gives a streamed answer's size as sent (it said 0): the
 * line of a whole export carries the bytes the client received. */
static void test_access_log_counts_streamed_bytes(void **state)
{
	(void)state;
	Response r = get("/firms/export.xlsx?q=%E6%A8%A1%E6%8B%9F");
	assert_int_equal(r.status, 200);
	assert_false(r.incomplete);
	assert_true(r.body_len > 1000);
	char want[64];
	snprintf(want, sizeof want, " 200 %zu ", r.body_len);
	response_free(&r);
	int n = 0;
	for (int i = 0; i < 200 && n == 0; i++) { /* the line is written as the request ends */
		n = count_in_file(srv.log, "/firms/export.xlsx", want);
		if (n == 0)
			usleep(10000);
	}
	assert_int_equal(n, 1);
}

/* Seven clients go away midway (more than the 4 exports that may run at
 * once): each stream is freed, the server answers, a whole export follows. */
static void test_client_gone_midway(void **state)
{
	(void)state;
	int before = count_in_file(srv.log, "/firms/export.xlsx", " 200 "); /* the earlier tests' */
	int aborted_before = count_in_file(srv.log, "/firms/export.xlsx", "(aborted)");
	for (int i = 0; i < 7; i++)
		abandon_export();
	/* the access log has a line for each, ended (a busy machine may have
	 * let the kernel's buffers take a whole file before the reset: that one
	 * is logged as sent, not cut short); most were cut short */
	int ended = 0, aborted = 0;
	for (int i = 0; i < 300 && ended < 7; i++) {
		ended = count_in_file(srv.log, "/firms/export.xlsx", " 200 ") - before;
		if (ended < 7)
			nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	}
	aborted = count_in_file(srv.log, "/firms/export.xlsx", "(aborted)") - aborted_before;
	assert_int_equal(ended, 7);
	assert_true(aborted >= 1);
	Response r = get("/healthz");
	assert_int_equal(r.status, 200);
	response_free(&r);
	for (int i = 0; i < 5; i++) { /* a slot left taken would make one of these 503 */
		r = get("/firms/export.xlsx");
		assert_int_equal(r.status, 200);
		assert_false(r.incomplete);
		Arena a = {0};
		char err[256];
		XlsxSheet *sh = xlsx_read_sheet(&a, r.body, r.body_len, "在孵企业", err, sizeof err);
		if (!sh)
			fail_msg("%s", err);
		assert_true(sh->nrows >= 3001);
		arena_free(&a);
		response_free(&r);
	}
}

/* Text as it is stored, whatever it holds: XML's specials, OOXML's own
 * escape written literally, a tab, a line break, spaces at the ends; read
 * back by xlsx_read.c as Excel reads it. */
static void test_text_as_stored(void **state)
{
	(void)state;
	static const char name[] = " 甲&乙<丙>\"丁\" _x0041_ ' 戊\t尾\n末 ";
	sqlite3 *w;
	assert_int_equal(sqlite3_open(srv.db, &w), SQLITE_OK);
	sqlite3_busy_timeout(w, 5000);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(w, "UPDATE firm SET name = ?1 WHERE id = (SELECT min(id) FROM firm) RETURNING id", -1,
	                                    &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(w);
	Response r = get("/firms/export.xlsx");
	assert_int_equal(r.status, 200);
	Arena a = {0};
	char err[256];
	XlsxSheet *sh = xlsx_read_sheet(&a, r.body, r.body_len, "在孵企业", err, sizeof err);
	if (!sh)
		fail_msg("%s", err);
	int found = 0;
	for (int row = 1; row < sh->nrows; row++) {
		const XlsxCell *c = xlsx_cell(sh, row, 0);
		if (c && (long long)c->number == id) {
			assert_string_equal(xlsx_cell_text(sh, row, 1), name);
			found = 1;
		}
	}
	assert_true(found);
	arena_free(&a);
	response_free(&r);
}

/* An export whose first piece takes longer than the server's idle timeout
 * (as a million rows sorted under load do) arrives whole: libmicrohttpd
 * counted the server's own time as the client's idleness and closed the
 * connection before the first byte (http.c's idle_clock_restart). The
 * piece is made slow on purpose (HATCHERY_TEST_EXPORT_DELAY_MS, 2.5 s)
 * on a server whose idle timeout is 1 s (setup). */
static void test_slow_first_piece_not_cut(void **state)
{
	(void)state;
	Login l = slow_admin;
	Response r;
	assert_int_equal(http_as(slow.port, &l, "GET", "/bases/export.xlsx", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	Arena a = {0};
	char err[256];
	XlsxSheet *sh = xlsx_read_sheet(&a, r.body, r.body_len, "孵化基地", err, sizeof err);
	if (!sh)
		fail_msg("the file after a slow first piece: %s (%zu bytes)", err, r.body_len);
	response_free(&r);
	assert_int_equal(http_as(slow.port, &l, "GET", "/api/v1/bases?limit=1", NULL, &r), 0);
	json_t *j = json_loads(r.body, 0, NULL);
	assert_int_equal(sh->nrows - 1, json_integer_value(json_object_get(j, "total")));
	json_decref(j);
	response_free(&r);
	arena_free(&a);
}

/* ---- every kind's export against the API's records ---- */

/* The cells of a CSV (RFC 4180, as transfer_export.c writes it) as rows
 * of strings; the BOM dropped. Allocates in a. */
static char ***csv_rows(Arena *a, const char *p, size_t len, int *nrows, int ncols)
{
	const char *end = p + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	char ***rows = NULL;
	int n = 0, cap = 0;
	while (p < end) {
		char **cells = arena_alloc(a, sizeof *cells * (size_t)ncols);
		int c = 0;
		for (;;) {
			Buf b = {0};
			if (*p == '"') {
				for (p++; p < end; p++) {
					if (*p == '"' && p + 1 < end && p[1] == '"')
						buf_putc(&b, *p++);
					else if (*p == '"')
						break;
					else
						buf_putc(&b, *p);
				}
				p++;
			} else {
				while (p < end && *p != ',' && *p != '\r')
					buf_putc(&b, *p++);
			}
			assert_true(c < ncols);
			cells[c++] = arena_strdup(a, buf_str(&b));
			buf_free(&b);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			break;
		}
		assert_true(p + 1 < end + 1 && *p == '\r' && p[1] == '\n');
		p += 2;
		assert_int_equal(c, ncols);
		*(char ***)arena_push(a, &rows, &n, &cap, sizeof *rows) = cells;
	}
	*nrows = n;
	return rows;
}

/* A number as the export writes it: as short as it reads back exactly. */
static const char *num_cell(char *buf, size_t n, double d)
{
	if (d == (double)(long long)d && d > -1e15 && d < 1e15) {
		snprintf(buf, n, "%lld", (long long)d);
		return buf;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return buf;
}

/* Every kind's CSV export, cell by cell, against the API's record (the
 * record's JSON, which the export read before it took the columns from
 * the list's statement): every field in its column; numbers, texts and
 * dates as the API has them (a real of 17 digits at the 15 the API shows,
 * a NUL byte and a byte that is not UTF-8 as U+FFFD, a formula-like text
 * with its guard); 是/否; the review status in Chinese; coded values as a
 * label where the API has a code. */
static void test_every_kind_as_the_api(void **state)
{
	(void)state;
	server_db_exec(&srv,
	               "UPDATE base SET total_area_m2 = 0.1 + 0.2, public_platform = 'a' || CAST(X'00' AS TEXT) || 'b', "
	               "address = 'x' || CAST(X'FF' AS TEXT) || 'y' WHERE id = (SELECT min(id) FROM base);"
	               "UPDATE fund SET size_yuan = 1.0000000000000002, manager = '=1+2' WHERE id = (SELECT min(id) FROM fund);"
	               "UPDATE investment SET amount_yuan = 12345.678 WHERE id = (SELECT min(id) FROM investment);"
	               "UPDATE firm SET graduated_on = NULL, industry = '-x' WHERE id = (SELECT max(id) FROM firm);");
	for (int ki = 0; ki < registry_kind_count; ki++) {
		const Kind *k = registry_kinds[ki];
		Arena a = {0};
		json_t *byid = http_records_by_id(srv.port, &admin, k->name); /* the API's records */
		char path[96];
		snprintf(path, sizeof path, "/%s/export.csv", k->name);
		Response r = get(path);
		assert_int_equal(r.status, 200);
		int nrows;
		char ***rows = csv_rows(&a, r.body, r.body_len, &nrows, k->nfields);
		response_free(&r);
		assert_int_equal(nrows - 1, (int)json_object_size(byid));
		for (int i = 0; i < k->nfields; i++)
			assert_string_equal(rows[0][i], k->fields[i].label);
		for (int row = 1; row < nrows; row++) {
			json_t *rec = json_object_get(byid, rows[row][0]);
			if (!rec)
				fail_msg("%s: row %d: id %s is not in the list", k->name, row, rows[row][0]);
			for (int i = 0; i < k->nfields; i++) {
				const Field *f = &k->fields[i];
				const char *cell = rows[row][i];
				json_t *v = json_object_get(rec, f->name);
				char want[64];
				const char *w = NULL;
				if (!v || json_is_null(v))
					w = "";
				else if (strcmp(f->name, "review_status") == 0)
					w = review_status_zh(json_string_value(v));
				else if (json_is_number(v) && f->type == FT_BOOL)
					w = json_number_value(v) != 0 ? "是" : "否";
				else if (json_is_number(v))
					w = num_cell(want, sizeof want, json_number_value(v));
				else if (json_is_string(v) && (f->type == FT_CODE || f->type == FT_AREA || f->type == FT_LAYOUT)) {
					if (!*cell)
						fail_msg("%s %s: %s: no label for %s", k->name, rows[row][0], f->name, json_string_value(v));
					continue;
				} else if (json_is_string(v)) {
					const char *t = json_string_value(v);
					w = t;
					if (f->type == FT_TEXT && *t && strchr("=+-@", *t)) {
						snprintf(want, sizeof want, "'%s", t);
						w = want;
					}
				} else if (json_is_array(v)) {
					if ((json_array_size(v) > 0) != (*cell != 0))
						fail_msg("%s %s: %s: %zu codes, cell \"%s\"", k->name, rows[row][0], f->name, json_array_size(v), cell);
					continue;
				}
				if (!w || strcmp(w, cell) != 0)
					fail_msg("%s %s: %s: the API has %s, the export \"%s\"", k->name, rows[row][0], f->name,
					         json_dumps(v, JSON_ENCODE_ANY), cell);
			}
		}
		json_decref(byid);
		arena_free(&a);
	}
}

/* ---- the filtered export and list, against the filters applied by hand ---- */

typedef struct Firm {
	long long id, base_id;
	char name[256], area[64], entered_on[16], status[16];
	int high_tech, entered_null;
} Firm;

static Firm *firms_of(const char *db, int *n)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h,
	                                    "SELECT id, base_id, name, area, entered_on, review_status, high_tech FROM firm",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	Firm *v = NULL;
	int cap = 0;
	*n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			v = realloc(v, sizeof *v * (size_t)cap);
			assert_non_null(v);
		}
		Firm *f = &v[(*n)++];
		memset(f, 0, sizeof *f);
		f->id = sqlite3_column_int64(st, 0);
		f->base_id = sqlite3_column_int64(st, 1);
		snprintf(f->name, sizeof f->name, "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(f->area, sizeof f->area, "%s", (const char *)sqlite3_column_text(st, 3));
		f->entered_null = sqlite3_column_type(st, 4) == SQLITE_NULL;
		if (!f->entered_null)
			snprintf(f->entered_on, sizeof f->entered_on, "%s", (const char *)sqlite3_column_text(st, 4));
		snprintf(f->status, sizeof f->status, "%s", (const char *)sqlite3_column_text(st, 5));
		f->high_tech = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* The list's default order: base, name (bytes), id. */
static int by_list_order(const void *pa, const void *pb)
{
	const Firm *a = pa, *b = pb;
	if (a->base_id != b->base_id)
		return a->base_id < b->base_id ? -1 : 1;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* sort=entered_on&desc=1: 入孵日期 descending (no date last), then the default order. */
static int by_entered_desc(const void *pa, const void *pb)
{
	const Firm *a = pa, *b = pb;
	if (a->entered_null != b->entered_null)
		return a->entered_null ? 1 : -1;
	int c = strcmp(b->entered_on, a->entered_on);
	return c ? c : by_list_order(pa, pb);
}

typedef struct Want {
	const char *area, *status, *from, *to; /* NULL: not filtered on */
	long long base_id;                     /* 0: any */
	int high_tech;                         /* -1: any */
} Want;

/* The ids (one a line) of the firms w matches, in order cmp. */
static char *by_hand(Firm *v, int n, const Want *w, int (*cmp)(const void *, const void *), int *count)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	Buf b = {0};
	*count = 0;
	for (int i = 0; i < n; i++) {
		const Firm *f = &v[i];
		/* a date filter passes no firm without 入孵日期 (NULL compares false) */
		if ((w->area && strcmp(f->area, w->area) != 0) || (w->status && strcmp(f->status, w->status) != 0) ||
		    (w->from && (f->entered_null || strcmp(f->entered_on, w->from) < 0)) ||
		    (w->to && (f->entered_null || strcmp(f->entered_on, w->to) > 0)) || (w->base_id && f->base_id != w->base_id) ||
		    (w->high_tech >= 0 && f->high_tech != w->high_tech))
			continue;
		buf_printf(&b, "%lld\n", f->id);
		(*count)++;
	}
	return buf_detach(&b);
}

/* The ids in the first column of the workbook at path, as l downloads it. */
static char *export_ids(const Login *l, const char *path, long long *total)
{
	Response r;
	assert_int_equal(http_as(srv.port, l, "GET", path, NULL, &r), 0);
	if (r.status != 200)
		fail_msg("%s: %d %.300s", path, r.status, r.body);
	assert_false(r.incomplete);
	char *t = response_header(&r, "X-Total-Count");
	assert_non_null(t);
	*total = atoll(t);
	free(t);
	Arena a = {0};
	char err[256];
	XlsxSheet *sh = xlsx_read_sheet(&a, r.body, r.body_len, "在孵企业", err, sizeof err);
	if (!sh)
		fail_msg("%s: %s", path, err);
	Buf b = {0};
	for (int row = 1; row < sh->nrows; row++) {
		const XlsxCell *c = xlsx_cell(sh, row, 0);
		if (c)
			buf_printf(&b, "%lld\n", (long long)c->number);
	}
	arena_free(&a);
	response_free(&r);
	return buf_detach(&b);
}

/* The ids the list's API gives, page by page (the list page's statements). */
static char *api_ids(const Login *l, const char *query, long long *total)
{
	Buf b = {0};
	for (int offset = 0;; offset += 1000) {
		char path[512];
		snprintf(path, sizeof path, "/api/v1/firms?%s%slimit=1000&offset=%d", query, *query ? "&" : "", offset);
		Response r;
		assert_int_equal(http_as(srv.port, l, "GET", path, NULL, &r), 0);
		if (r.status != 200)
			fail_msg("%s: %d %.300s", path, r.status, r.body);
		json_error_t e;
		json_t *j = json_loadb(r.body, r.body_len, 0, &e);
		assert_non_null(j);
		*total = json_integer_value(json_object_get(j, "total"));
		json_t *items = json_object_get(j, "items");
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
			buf_printf(&b, "%lld\n", (long long)json_integer_value(json_object_get(it, "id")));
		size_t got = json_array_size(items);
		json_decref(j);
		response_free(&r);
		if (got < 1000)
			break;
	}
	return buf_detach(&b);
}

static void check_filter(const Login *l, const char *query, const Want *w, int (*cmp)(const void *, const void *),
                         int min_rows)
{
	int n, want_n;
	Firm *v = firms_of(srv.db, &n);
	char *want = by_hand(v, n, w, cmp, &want_n);
	free(v);
	if (want_n < min_rows)
		fail_msg("%s: the case is meant to match at least %d firms, the database has %d", query, min_rows, want_n);
	char path[512];
	snprintf(path, sizeof path, "/firms/export.xlsx?%s", query);
	long long total;
	char *got = export_ids(l, path, &total);
	if (strcmp(got, want) != 0 || total != want_n)
		fail_msg("%s: the export (%lld) differs from the filter by hand (%d): export \"%.80s\" by hand \"%.80s\"", path,
		         total, want_n, got, want);
	free(got);
	got = api_ids(l, query, &total);
	if (strcmp(got, want) != 0 || total != want_n)
		fail_msg("/api/v1/firms?%s: the list (%lld) differs from the filter by hand (%d)", query, total, want_n);
	free(got);
	free(want);
}

static void db_write(const char *sql)
{
	sqlite3 *w;
	assert_int_equal(sqlite3_open(srv.db, &w), SQLITE_OK);
	sqlite3_busy_timeout(w, 5000);
	char *msg = NULL;
	if (sqlite3_exec(w, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(w);
}

static void test_filtered_as_by_hand(void **state)
{
	(void)state;
	/* firms without 入孵日期, waiting for review and returned, in the town
	 * and elsewhere, some on the window's first and last days */
	db_write("UPDATE firm SET entered_on = NULL WHERE id % 97 = 0;"
	         "UPDATE firm SET review_status = 'pending' WHERE id % 31 = 0;"
	         "UPDATE firm SET review_status = 'returned' WHERE id % 53 = 0;"
	         "UPDATE firm SET entered_on = '2023-03-01' WHERE id % 89 = 1;"
	         "UPDATE firm SET entered_on = '2023-08-31' WHERE id % 89 = 2;"
	         "UPDATE firm SET entered_on = '2023-02-28' WHERE id % 89 = 3;"
	         "UPDATE firm SET entered_on = '2023-09-01' WHERE id % 89 = 4;"
	         "UPDATE firm SET high_tech = 1 - high_tech WHERE id % 5 = 0;");
	const char *from = "2023-03-01", *to = "2023-08-31";
	long long base = 0;
	{ /* a base of the town with firms in the window */
		sqlite3 *h;
		assert_int_equal(sqlite3_open_v2(srv.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(h,
		                                    "SELECT base_id FROM firm WHERE area = 'anyang' AND entered_on BETWEEN "
		                                    "'2023-03-01' AND '2023-08-31' GROUP BY base_id ORDER BY count(*) DESC LIMIT 1",
		                                    -1, &st, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		base = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	char q[256];
	/* the window, its first and last days in it, the days around them not */
	snprintf(q, sizeof q, "from=%s&to=%s", from, to);
	check_filter(&admin, q, &(Want){.from = from, .to = to, .high_tech = -1}, by_list_order, 100);
	check_filter(&admin, "from=2023-03-01&to=2023-03-01", &(Want){.from = from, .to = from, .high_tech = -1},
	             by_list_order, 20);
	check_filter(&admin, "from=2023-08-31", &(Want){.from = to, .high_tech = -1}, by_list_order, 20);
	check_filter(&admin, "to=2023-02-28", &(Want){.to = "2023-02-28", .high_tech = -1}, by_list_order, 20);
	check_filter(&admin, "from=2023-09-01&to=2023-08-31", &(Want){.from = "2023-09-01", .to = to, .high_tech = -1},
	             by_list_order, 0);
	/* no filter: the firms without a date too */
	check_filter(&admin, "", &(Want){.high_tech = -1}, by_list_order, 3000);
	/* combined: area, review status, window, base, 高新技术企业 */
	snprintf(q, sizeof q, "area=anyang&review_status=approved&from=%s&to=%s&high_tech=1", from, to);
	check_filter(&admin, q, &(Want){.area = "anyang", .status = "approved", .from = from, .to = to, .high_tech = 1},
	             by_list_order, 1);
	snprintf(q, sizeof q, "from=%s&to=%s&base_id=%lld&high_tech=0", from, to, base);
	check_filter(&admin, q, &(Want){.from = from, .to = to, .base_id = base, .high_tech = 0}, by_list_order, 1);
	snprintf(q, sizeof q, "review_status=pending&from=%s", from);
	check_filter(&admin, q, &(Want){.status = "pending", .from = from, .high_tech = -1}, by_list_order, 5);
	/* sorted by 入孵日期, newest first, within the window */
	snprintf(q, sizeof q, "from=%s&to=%s&sort=entered_on&desc=1", from, to);
	check_filter(&admin, q, &(Want){.from = from, .to = to, .high_tech = -1}, by_entered_desc, 100);

	/* a town's user: its own area in full (pending and returned too) ... */
	snprintf(q, sizeof q, "area=anyang&from=%s&to=%s", from, to);
	check_filter(&town, q, &(Want){.area = "anyang", .from = from, .to = to, .high_tech = -1}, by_list_order, 10);
	snprintf(q, sizeof q, "area=anyang&review_status=returned&from=2020-01-01");
	check_filter(&town, q, &(Want){.area = "anyang", .status = "returned", .from = "2020-01-01", .high_tech = -1},
	             by_list_order, 1);
	/* ... elsewhere, and with no area chosen, what is approved only */
	snprintf(q, sizeof q, "from=%s&to=%s", from, to);
	check_filter(&town, q, &(Want){.status = "approved", .from = from, .to = to, .high_tech = -1}, by_list_order, 100);
	snprintf(q, sizeof q, "area=binhai&from=%s&to=%s", from, to);
	check_filter(&town, q, &(Want){.area = "binhai", .status = "approved", .from = from, .to = to, .high_tech = -1},
	             by_list_order, 1);
}

/* What SQLite plans for the lists' statements (store_record_list_sql) on
 * the analysed database: the window on 入孵日期 from the index firm_entered
 * (alone, with the forced review status, sorted by the date), the list as
 * it opens from the index kept in its order; an export's rows picked by
 * the same index in a subquery and read by rowid (in the table's order,
 * then sorted), or the whole table read in its order, never in an index's
 * (each row a read of a page at random). */
static void test_filtered_uses_the_index(void **state)
{
	(void)state;
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(srv.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	struct {
		RecordFilter f;
		int count;  /* the count's statement, not the list's */
		int export; /* the export's statement */
		const char *want, *also, *never;
	} cases[] = {
		{{.from = "2023-03-01", .to = "2023-08-31"}, 0, 0, "firm_entered", NULL, "SCAN c\n"},
		{{.from = "2023-03-01", .to = "2023-08-31"}, 1, 0, "firm_entered", NULL, "SCAN c\n"},
		{{.review_status = "approved", .from = "2023-03-01", .to = "2023-08-31"}, 0, 0, "firm_entered", NULL, "SCAN c\n"},
		{{.from = "2023-03-01", .sort = "entered_on", .desc = 1}, 0, 0, "firm_entered", NULL, "SCAN c\n"},
		{{0}, 0, 0, "firm_base_name", NULL, "SCAN c\n"},
		{{.from = "2023-03-01", .to = "2023-08-31"}, 0, 1, "INDEX firm_entered", "SEARCH c USING INTEGER PRIMARY KEY",
		 "SCAN c"},
		{{.review_status = "approved", .from = "2023-03-01", .to = "2023-08-31"}, 0, 1, "INDEX firm_entered",
		 "SEARCH c USING INTEGER PRIMARY KEY", "SCAN c"},
		{{.area = "anyang", .sort = "name"}, 0, 1, "INDEX firm_area_review", "SEARCH c USING INTEGER PRIMARY KEY", "SCAN c"},
		{{0}, 0, 1, "SCAN c\n", "TEMP B-TREE FOR ORDER BY", "INDEX"},
		{{.sort = "entered_on"}, 0, 1, "SCAN c\n", "TEMP B-TREE FOR ORDER BY", "INDEX"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *count = NULL;
		const char *sql = store_record_list_sql("firms", &cases[i].f, &count, cases[i].export);
		assert_non_null(sql);
		if (cases[i].count)
			sql = count;
		char eqp[2048];
		snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(h, eqp, -1, &st, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(h));
		Buf plan = {0};
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_printf(&plan, "%s\n", (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		const char *p = buf_str(&plan);
		if (!strstr(p, cases[i].want) || (cases[i].also && !strstr(p, cases[i].also)) || strstr(p, cases[i].never))
			fail_msg("case %zu: %s\nplanned as:\n%s(wanted %s%s%s, never %s)", i, sql, p, cases[i].want,
			         cases[i].also ? " and " : "", cases[i].also ? cases[i].also : "", cases[i].never);
		buf_free(&plan);
	}
	sqlite3_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openpyxl_reads_the_database),
		cmocka_unit_test(test_export_is_one_snapshot),
		cmocka_unit_test(test_access_log_counts_streamed_bytes),
		cmocka_unit_test(test_client_gone_midway),
		cmocka_unit_test(test_text_as_stored),
		cmocka_unit_test(test_every_kind_as_the_api),
		cmocka_unit_test(test_slow_first_piece_not_cut),
		cmocka_unit_test(test_filtered_uses_the_index),
		cmocka_unit_test(test_filtered_as_by_hand),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
