/*
 * page_targets_xlsx.c — the pages and API of the areas' targets as
 * spreadsheets, in the shape of the grid of /targets (the work is
 * targets.c's):
 *
 *   GET  /targets/template.xlsx  the grid empty, the city's row for
 *        reference, and a 说明 sheet;
 *   GET  /targets/export.xlsx    the same, filled with the current targets;
 *   GET  /targets/import         the office's upload page (web/app.js's
 *        upload script, the same markup as the registry's import page);
 *   POST /api/v1/targets/import?mode=check|all  the .xlsx (or CSV of the
 *        same shape) as the body.
 */
#include <stdio.h>
#include <string.h>

#include "page.h"
#include "session.h"
#include "upload.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define SHEET "目标分解"

/* The grid as a workbook: empty (template) or with the stored targets. */
static void send_grid(Req *r, int filled)
{
	Actor who = req_actor(r);
	Buf out = {0};
	DomResult res = targets_grid(r->store, &who, filled, &out);
	if (res.code != DOM_OK) {
		buf_free(&out);
		page_refuse(r, res);
		return;
	}
	buf_free(&r->out);
	r->out = out;
	r->content_type = XLSX_MIME;
	char day[11];
	date_today(day);
	if (filled)
		http_attachment(r, arena_printf(&r->arena, "targets-%s.xlsx", day), arena_printf(&r->arena, "目标分解-%s.xlsx", day));
	else
		http_attachment(r, "targets-template.xlsx", "目标分解-导入模板.xlsx");
}

/* WEBPAGE: GET /targets/template.xlsx — the grid's shape, empty, with 说明. */
void page_targets_template(Req *r)
{
	send_grid(r, 0);
}

/* WEBPAGE: GET /targets/export.xlsx — the grid with the current targets. */
void page_targets_export(Req *r)
{
	send_grid(r, 1);
}

/* ---- the upload page ---- */

/* WEBPAGE: GET /targets/import — choose a file, upload with progress, see every error, then import. */
void page_targets_import(Req *r)
{
	Buf *b = &r->out;
	page_begin(r, "导入目标分解", "targets");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/targets\">目标分解</a> › 导入</p><h1>从 Excel 导入目标分解</h1>\n");
	html_printf(b, "<section class=\"card\"><h2>1. 准备文件</h2>"
	               "<p>先<a href=\"/targets/export.xlsx\" download>导出现有目标（Excel）</a>修改后导回，"
	               "或下载<a href=\"/targets/template.xlsx\" download>导入模板</a>，按其中“说明”工作表填写。</p>"
	               "<ul class=\"hint\"><li>每行一个区域，每列一个指标的一个年度；目标为自 %h 起的累计值。</li>"
	               "<li>填写不小于 0 的数字（可带千分位逗号，或写作“5万”）；<strong>留空表示不设目标，会删除已有目标</strong>;"
	               "文件中没有的行和列保持不变。</li>"
	               "<li>全市目标来自规划，最后一行仅供参考，导入时忽略。</li>"
	               "<li>全部格子无误才能导入，一次写入；每个改动的目标都记入审计日志。可以上传 .xlsx，或同样格式的 .csv。</li></ul></section>\n",
	            r->plan->start);
	/* The markup of the registry's import page (page_transfer.c), which
	 * web/app.js drives. Targets import all or nothing: the script's
	 * "只导入无误的行" button is kept (the script needs it) inside a hidden
	 * element, so it never shows. */
	html_printf(b, "<section class=\"card\"><h2>2. 上传并检查</h2>"
	               "<form id=\"import-form\" class=\"import\" data-api=\"/api/v1/targets/import\" data-csrf=\"%h\" data-list=\"/targets\" novalidate>"
	               "<div class=\"field\"><label for=\"import-file\">选择文件（.xlsx 或 .csv）</label>"
	               "<input id=\"import-file\" name=\"file\" type=\"file\" accept=\".xlsx,.csv,%s,text/csv\" required></div>"
	               "<button type=\"submit\" id=\"import-check\">上传并检查</button> "
	               "<progress id=\"import-progress\" max=\"100\" value=\"0\" hidden></progress> "
	               "<span id=\"import-status\" role=\"status\" aria-live=\"polite\"></span></form>"
	               "<noscript><p class=\"form-error\">上传需要启用浏览器的 JavaScript。</p></noscript></section>\n",
	            r->session && r->session->csrf ? r->session->csrf : "", XLSX_MIME);
	html_printf(b, "<section id=\"import-result\" class=\"card\" hidden><h2>3. 检查结果</h2>"
	               "<p id=\"import-summary\"></p>"
	               "<div class=\"table-wrap\" id=\"import-errors-wrap\" hidden><table class=\"data\" id=\"import-errors\"><thead><tr>"
	               "<th scope=\"col\">行号</th><th scope=\"col\">列</th><th scope=\"col\">原因</th></tr></thead><tbody></tbody></table></div>"
	               "<p class=\"actions\"><button type=\"button\" id=\"import-all\" disabled>全部导入</button>"
	               "<span hidden><button type=\"button\" id=\"import-good\" class=\"secondary\" hidden>只导入无误的行</button></span></p>"
	               "<p id=\"import-done\" class=\"form-ok\" role=\"status\" hidden></p></section>\n");
	page_end(r);
}

/* API: POST /api/v1/targets/import?mode=check|all — the .xlsx or CSV as the body. */
void api_targets_import(Req *r)
{
	ImportMode mode;
	if (!import_mode_parse(req_query(r, "mode"), &mode) || mode == IMPORT_GOOD) {
		http_error(r, 400, "bad_mode", "mode 应为 check（只检查）或 all（全部无误才导入，一次写入）。");
		return;
	}
	if (!r->body.len) {
		http_error(r, 400, "empty_file", "没有收到文件内容；请选择要导入的 .xlsx 或 .csv 文件。");
		return;
	}
	char err[512] = "";
	const char *format = "xlsx";
	XlsxSheet *sh = upload_sheet(&r->arena, r->body.data, r->body.len, req_header(r, "Content-Type"), SHEET, &format, err,
	                             sizeof err);
	if (!sh) {
		http_error(r, 400, "bad_file", err[0] ? err : "无法读取该文件；请选择 Excel 的 .xlsx 文件或 .csv 文件。");
		return;
	}
	Actor who = req_actor(r);
	json_t *answer = NULL;
	DomResult res = targets_import(r->store, &who, sh, mode, &answer);
	if (!answer) {
		page_refuse(r, res);
		return;
	}
	json_object_set_new(answer, "format", json_string(format));
	http_json(r, res.code == DOM_OK ? 200 : dom_http_status(res.code), answer);
}
