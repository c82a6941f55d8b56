/*
 * page_transfer.c — the registry's spreadsheet pages and API, for every
 * kind registry.c describes (the work is transfer.c's):
 *
 *   GET  /bases/export.xlsx, /bases/export.csv  what the list shows (its
 *        filters, every matching row up to TRANSFER_MAX_ROWS);
 *   GET  /bases/template.xlsx  the headers, drop-downs and a 说明 sheet;
 *   GET  /bases/import         the upload page (web/app.js does the upload);
 *   POST /api/v1/bases/import?mode=check|all|good  the file as the body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "page.h"
#include "page_records.h"
#include "session.h"
#include "upload.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const char *file_day(void)
{
	static _Thread_local char today[11];
	date_today(today);
	return today;
}

/* Exports streaming at once; each holds a connection, zlib's state and a
 * read snapshot, about 3 MB (the server's memory goal is 64 MB). */
#define MAX_EXPORTS 4
static int exports_running;

/* A streamed export: its own connection (its read transaction must not be
 * the thread's, which serves other requests meanwhile). */
typedef struct ExportStream {
	Store *s;
	TransferExport *e;
	int begun;
} ExportStream;

static long export_read(void *cls, void *buf, size_t max)
{
	ExportStream *x = cls;
	if (!x->begun) {
		x->begun = 1;
		/* tests only: a first piece as slow as a million rows sorted under
		 * load (http.c must not take it for the client's idleness) */
		long long ms;
		if (parse_int(getenv("HATCHERY_TEST_EXPORT_DELAY_MS"), 1, 60000, &ms))
			usleep((useconds_t)ms * 1000);
	}
	long n = transfer_export_read(x->e, buf, max);
	if (n < 0)
		fprintf(stderr, "hatchery: export stopped after %lld rows: %s\n", transfer_export_rows(x->e),
		        transfer_export_error(x->e));
	return n;
}

static void export_free(void *cls)
{
	ExportStream *x = cls;
	transfer_export_close(x->e);
	store_close(x->s);
	free(x);
	http_stream_slot_release(&exports_running);
}

/* Answers the export of what the list's filters match, as a file made
 * while it is sent: the rows are read, written and deflated a piece at a
 * time as the client takes them, so a million rows take the memory of a
 * few (page_transfer.c's streams, transfer.c's TransferExport). */
static void export(Req *r, ExportFormat format)
{
	const Kind *k = r->route->kind;
	RecordFilter f;
	int page;
	if (!record_read_filter(r, k, &f, &page))
		return;
	Actor who = req_actor(r);
	if (!http_stream_slot_take(&exports_running, MAX_EXPORTS)) {
		req_add_header(r, "Retry-After", "10");
		http_error(r, 503, "busy", "正在进行的导出较多，请稍后再试。");
		return;
	}
	char err[512];
	ExportStream *x = xcalloc(1, sizeof *x);
	x->s = store_open(http_db_path(r), STORE_NO_MIGRATE, err, sizeof err);
	if (!x->s) {
		fprintf(stderr, "hatchery: export: %s\n", err);
		free(x);
		http_stream_slot_release(&exports_running);
		http_error(r, 500, "store_unavailable", "数据库暂时无法打开，请稍后再试或联系管理员。");
		return;
	}
	long long total = 0;
	DomResult res = transfer_export_open(x->s, &who, k, &f, format, &x->e, &total);
	if (res.code != DOM_OK) {
		store_close(x->s);
		free(x);
		http_stream_slot_release(&exports_running);
		page_refuse(r, res);
		return;
	}
	http_stream(r, export_read, export_free, x);
	req_add_header(r, "X-Total-Count", arena_printf(&r->arena, "%lld", total));
	const char *ext = format == EXPORT_CSV ? "csv" : "xlsx";
	r->content_type = format == EXPORT_CSV ? "text/csv; charset=utf-8" : XLSX_MIME;
	http_attachment(r, arena_printf(&r->arena, "%s-%s.%s", k->name, file_day(), ext),
	                arena_printf(&r->arena, "%s-%s.%s", k->label, file_day(), ext));
}

/* WEBPAGE: GET /bases/export.xlsx — the list's records as a workbook. */
void page_transfer_export_xlsx(Req *r)
{
	export(r, EXPORT_XLSX);
}

/* WEBPAGE: GET /bases/export.csv — the same columns as CSV (UTF-8 with BOM). */
void page_transfer_export_csv(Req *r)
{
	export(r, EXPORT_CSV);
}

/* WEBPAGE: GET /bases/template.xlsx — headers, drop-downs, and 说明. */
void page_transfer_template(Req *r)
{
	const Kind *k = r->route->kind;
	Actor who = req_actor(r);
	Buf out = {0};
	DomResult res = transfer_template(&who, k, &out);
	if (res.code != DOM_OK) {
		buf_free(&out);
		page_refuse(r, res);
		return;
	}
	buf_free(&r->out);
	r->out = out;
	r->content_type = XLSX_MIME;
	http_attachment(r, arena_printf(&r->arena, "%s-template.xlsx", k->name),
	                arena_printf(&r->arena, "%s-导入模板.xlsx", k->label));
}

/* WEBPAGE: GET /bases/import — choose a file, upload with progress, see every error, then import. */
void page_transfer_import(Req *r)
{
	const Kind *k = r->route->kind;
	const char *path = record_path(k);
	Buf *b = &r->out;
	page_begin(r, arena_printf(&r->arena, "导入%s", k->label), "registry");
	html_printf(b, "<p class=\"crumbs\"><a href=\"%h\">%h</a> › 导入</p><h1>从 Excel 导入%h</h1>\n", path, k->label, k->label);
	html_printf(b, "<section class=\"card\"><h2>1. 准备文件</h2>"
	               "<p>下载<a href=\"%h/template.xlsx\" download>导入模板（Excel）</a>，按其中“说明”工作表填写；"
	               "或先导出现有记录修改后导回：<a href=\"%h/export.xlsx\" download>导出 Excel</a> · "
	               "<a href=\"%h/export.csv\" download>导出 CSV</a>。</p>"
	               "<ul class=\"hint\"><li>“编号”留空表示新增，填写已有编号表示修改该记录；未改动的行不会写入。</li>"
	               "<li>编号留空时按记录的识别项找已有记录（在孵企业：统一社会信用代码；孵化基地：名称和所属区域；运营机构：名称；基金：名称和设立日期；基金投资：基金、被投企业和投资日期；科创项目：名称、所属区域和落地日期）：已有的更新，未变化的跳过，同一文件导入两次不会重复新增。</li>"
	               "<li>可以上传 .xlsx，或 UTF-8 / GB18030 编码的 .csv；每次最多 %d 行。</li>",
	            path, path, path, TRANSFER_MAX_ROWS);
	if (r->role == ROLE_AREA)
		html_printf(b, "<li>只能导入本辖区（%h）的记录；新增记录需市专班办公室审核，通过后才计入统计。</li>",
		            area_name(r->plan, r->session->user.scope));
	html_printf(b, "</ul></section>\n");
	html_printf(b, "<section class=\"card\"><h2>2. 上传并检查</h2>"
	               "<form id=\"import-form\" class=\"import\" data-api=\"/api/v1/%h/import\" data-csrf=\"%h\" data-list=\"%h\" novalidate>"
	               "<div class=\"field\"><label for=\"import-file\">选择文件（.xlsx 或 .csv）</label>"
	               "<input id=\"import-file\" name=\"file\" type=\"file\" accept=\".xlsx,.csv,%s,text/csv\" required></div>"
	               "<button type=\"submit\" id=\"import-check\">上传并检查</button> "
	               "<progress id=\"import-progress\" max=\"100\" value=\"0\" hidden></progress> "
	               "<span id=\"import-status\" role=\"status\" aria-live=\"polite\"></span></form>"
	               "<noscript><p class=\"form-error\">上传需要启用浏览器的 JavaScript。</p></noscript></section>\n",
	            k->name, r->session && r->session->csrf ? r->session->csrf : "", path, XLSX_MIME);
	html_printf(b, "<section id=\"import-result\" class=\"card\" hidden><h2>3. 检查结果</h2>"
	               "<p id=\"import-summary\"></p>"
	               "<div class=\"table-wrap\" id=\"import-errors-wrap\" hidden><table class=\"data\" id=\"import-errors\"><thead><tr>"
	               "<th scope=\"col\">行号</th><th scope=\"col\">列</th><th scope=\"col\">填写的值</th><th scope=\"col\">原因</th>"
	               "</tr></thead><tbody></tbody></table></div>"
	               "<p class=\"actions\"><button type=\"button\" id=\"import-rejected\" class=\"secondary\" hidden>"
	               "下载有误的行（CSV，含错误说明列）</button></p>"
	               "<p class=\"actions\"><button type=\"button\" id=\"import-all\" disabled>全部导入</button> "
	               "<button type=\"button\" id=\"import-good\" class=\"secondary\" hidden>只导入无误的行</button></p>"
	               "<p id=\"import-done\" class=\"form-ok\" role=\"status\" hidden></p>"
	               "<ul id=\"import-results\" class=\"import-results\" hidden></ul></section>\n");
	page_end(r);
}

/* API: POST /api/v1/bases/import?mode=check|all|good — the file's bytes as the body. */
void api_transfer_import(Req *r)
{
	const Kind *k = r->route->kind;
	ImportMode mode;
	if (!import_mode_parse(req_query(r, "mode"), &mode)) {
		http_error(r, 400, "bad_mode", "mode 应为 check（只检查）、all（全部无误才导入）或 good（只导入无误的行）。");
		return;
	}
	if (!r->body.len) {
		http_error(r, 400, "empty_file", "没有收到文件内容；请选择要导入的 .xlsx 或 .csv 文件。");
		return;
	}
	char err[512] = "";
	const char *format = "xlsx";
	XlsxSheet *sh = upload_sheet(&r->arena, r->body.data, r->body.len, req_header(r, "Content-Type"), NULL, &format, err,
	                             sizeof err);
	if (!sh) {
		http_error(r, 400, "bad_file", err[0] ? err : "无法读取该文件；请选择 Excel 的 .xlsx 文件或 .csv 文件。");
		return;
	}
	Actor who = req_actor(r);
	json_t *answer = NULL;
	DomResult res = transfer_import(r->store, &who, k, sh, mode, &answer);
	if (!answer) {
		page_refuse(r, res);
		return;
	}
	json_object_set_new(answer, "format", json_string(format));
	http_json(r, res.code == DOM_OK ? 200 : dom_http_status(res.code), answer);
}
