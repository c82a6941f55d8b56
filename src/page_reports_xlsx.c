/*
 * page_reports_xlsx.c — a report as a fill-in workbook and back: the
 * reporter downloads its report pre-filled (sheet 填报: one row per figure
 * with its unit, last period's value and this period's; one sheet per list
 * of named rows with drop-downs; 说明), fills it in Excel or WPS, and
 * uploads it: every value is read as the page reads it, and each problem
 * names its sheet and row as Excel numbers them. Saving and submitting are
 * reports.c's; this file only writes and reads the workbook.
 *   GET  /reports/{form}/{period}/{org}/fill.xlsx
 *   POST /api/v1/reports/{form}/{period}/{org}/upload?submit=0|1   (body: the .xlsx)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_reports.h"
#include "reports.h"
#include "upload.h"
#include "xlsx_read.h"
#include "xlsx_write.h"

#define FILL_SHEET "填报"

enum { C_CODE, C_SECTION, C_LABEL, C_UNIT, C_LAST, C_VALUE, C_NOTE, NCOLS };
static const char *const fill_headers[NCOLS] = {"代码", "栏目", "项目", "单位", "上期", "本期", "说明"};

/* A sheet name for a list: its label, at most 31 characters, none of []:*?/\ . */
static const char *list_sheet_name(Arena *a, const FormItem *fd)
{
	Buf b = {0};
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)fd->label; *p && chars < 31;) {
		int k = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		if (k == 1 && strchr("[]:*?/\\", *p))
			buf_putc(&b, '_');
		else
			buf_append(&b, p, (size_t)k);
		p += k;
		chars++;
	}
	const char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* WEBPAGE: GET /reports/{form}/{period}/{org}/fill.xlsx — the report as a fill-in workbook */
void page_report_fill_xlsx(Req *r)
{
	ReportView v;
	ReportOutcome o = {0};
	if (!reports_page_view(r, report_now(), &v, &o))
		return;
	const Form *f = v.form;
	int nscalar = 0, nlists = 0;
	for (int i = 0; i < f->nfields; i++)
		if (f->fields[i].type == FK_LIST)
			nlists++;
		else
			nscalar++;
	XlsxColumn cols[NCOLS];
	memset(cols, 0, sizeof cols);
	for (int c = 0; c < NCOLS; c++)
		cols[c].header = fill_headers[c];
	cols[C_CODE].width = 10;
	cols[C_CODE].note = "请勿修改本列：它标明每一行是哪一项。";
	cols[C_LABEL].width = 28;
	cols[C_VALUE].note = "在此列填写本期数值；金额按“单位”列填写（如千元）。";
	cols[C_NOTE].width = 30;
	cols[C_NOTE].note = "数值超出常规时，在此写明原因。";
	XlsxCell *cells = arena_alloc(&r->arena, sizeof *cells * (size_t)(nscalar + 1) * NCOLS);
	int row = 0;
	for (int i = 0; i < f->nfields; i++) {
		const FormItem *fd = &f->fields[i];
		if (fd->type == FK_LIST)
			continue;
		XlsxCell *x = &cells[row++ * NCOLS];
		x[C_CODE] = xlsx_str(fd->code);
		x[C_SECTION] = xlsx_str(f->sections[fd->section]);
		x[C_LABEL] = xlsx_str(arena_printf(&r->arena, "%s%s", fd->label, fd->required ? "（必填）" : ""));
		x[C_UNIT] = xlsx_str(fd->unit);
		int numeric = fd->type == FK_INTEGER || fd->type == FK_NUMBER || fd->type == FK_MONEY || fd->type == FK_AREA;
		if (v.last->text[i])
			x[C_LAST] = numeric ? xlsx_num(fd->type == FK_MONEY ? v.last->num[i] / fd->scale : v.last->num[i])
			                    : xlsx_str(form_value_text(&r->arena, fd, v.last->text[i], 0, 0));
		if (v.data->text[i])
			x[C_VALUE] = numeric ? xlsx_num(fd->type == FK_MONEY ? v.data->num[i] / fd->scale : v.data->num[i])
			                     : fd->type == FK_DATE ? xlsx_date(v.data->text[i])
			                                           : xlsx_str(form_value_text(&r->arena, fd, v.data->text[i], 0, 0));
		if (v.data->note[i])
			x[C_NOTE] = xlsx_str(v.data->note[i]);
	}
	XlsxTable *tables = arena_alloc(&r->arena, sizeof *tables * (size_t)(1 + nlists));
	tables[0] = (XlsxTable){.name = FILL_SHEET, .cols = cols, .ncols = NCOLS, .cells = cells, .nrows = row, .input_rows = row};
	int nt = 1;
	for (int i = 0; i < f->nfields; i++) {
		const FormItem *fd = &f->fields[i];
		if (fd->type != FK_LIST)
			continue;
		XlsxColumn *lc = arena_alloc(&r->arena, sizeof *lc * (size_t)fd->ncolumns);
		for (int c = 0; c < fd->ncolumns; c++) {
			const FormItem *col = &fd->columns[c];
			lc[c].header = arena_printf(&r->arena, "%s%s", col->label, col->required ? "（必填）" : "");
			lc[c].type = col->type == FK_DATE ? XLSX_DATE : XLSX_EMPTY;
			if (col->type == FK_CHOICE) {
				const char **ch = arena_alloc(&r->arena, sizeof *ch * (size_t)(col->noptions + 1));
				for (int k = 0; k < col->noptions; k++)
					ch[k] = col->options[k].label;
				lc[c].choices = ch;
			}
		}
		int nr = v.data->nrows[i];
		XlsxCell *lcells = arena_alloc(&r->arena, sizeof *lcells * (size_t)(nr + 1) * (size_t)fd->ncolumns);
		for (int rr = 0; rr < nr; rr++)
			for (int c = 0; c < fd->ncolumns; c++) {
				const char *t = v.data->cells[i][rr * fd->ncolumns + c];
				const FormItem *col = &fd->columns[c];
				lcells[rr * fd->ncolumns + c] = !t ? xlsx_str(NULL)
				                                : col->type == FK_DATE ? xlsx_date(t)
				                                                       : xlsx_str(form_value_text(&r->arena, col, t, 0, 0));
			}
		tables[nt++] = (XlsxTable){.name = list_sheet_name(&r->arena, fd), .cols = lc, .ncols = fd->ncolumns,
		                           .cells = lcells, .nrows = nr, .input_rows = fd->max_rows};
	}
	const char *label = period_label(&r->arena, f, &v.period);
	char due[20];
	beijing_format(v.period.due - 60, due);
	const char *lines[] = {
		arena_printf(&r->arena, "《%s》%s · %s", f->name, label, v.org.name),
		arena_printf(&r->arena, "报送截止：北京时间 %s。", due),
		"在“填报”表的“本期”列填写数值，“单位”列是该数值的单位（金额常为千元或万元）；“上期”列供对照。",
		"请勿修改“代码”列和表头；数值超出常规的，在“说明”列写明原因。",
		"名单类表格每行一人（一项），学历等列请从下拉列表中选择；日期应在本期之内。",
		"填好后在报表页面“上传填好的表格”，系统逐行检查，有误之处会指出工作表和行号。",
		NULL,
	};
	XlsxBook book = {.tables = tables, .ntables = nt, .instructions = lines, .instructions_first = 1};
	page_send_xlsx(r, &book, arena_printf(&r->arena, "report-%s-%s-%s.xlsx", f->code, v.period.key, v.org.org),
	                arena_printf(&r->arena, "%s-%s%s.xlsx", v.org.name, label, f->short_name));
}

/* The text of a cell as a person would have typed it ("" when empty). */
static const char *cell_text(Arena *a, const XlsxSheet *sh, int row, int col)
{
	const XlsxCell *c = xlsx_cell(sh, row, col);
	if (!c)
		return "";
	if (c->type == XLSX_NUMBER || c->type == XLSX_BOOL)
		return arena_printf(a, "%.15g", c->number);
	return c->text ? c->text : "";
}

/* Column index of a header (without a "（必填）" tail); -1 when absent. */
static int header_col(const XlsxSheet *sh, const char *name)
{
	for (int c = 0; sh->nrows > 0 && c < sh->rowlen[0]; c++) {
		const XlsxCell *hc = xlsx_cell(sh, 0, c);
		const char *t = hc ? hc->text : NULL;
		if (t && !strncmp(t, name, strlen(name)) && (!t[strlen(name)] || !strcmp(t + strlen(name), "（必填）")))
			return c;
	}
	return -1;
}

/* Prefixes the issues added since `from` with the sheet and row. */
static void place_issues(Arena *a, Issues *is, int from, const char *sheet, int excel_row)
{
	for (int k = from; k < is->n; k++)
		is->v[k].message = arena_printf(a, "「%s」第 %d 行：%s", sheet, excel_row, is->v[k].message);
}

/* Reads an uploaded workbook into d; problems into is with their places. 0 when it is not one of ours. */
static int read_workbook(Arena *a, const Form *f, const Period *p, const char *data, size_t len, ReportData *d, Issues *is,
                         char *err, size_t errsz)
{
	XlsxSheet *sh = xlsx_read_sheet(a, data, len, FILL_SHEET, err, errsz);
	if (!sh)
		return 0;
	int cc = header_col(sh, "代码"), cv = header_col(sh, "本期"), cn = header_col(sh, "说明");
	if (cc < 0 || cv < 0) {
		snprintf(err, errsz, "“填报”表缺少“代码”或“本期”列：请使用从报表页面下载的表格。");
		return 0;
	}
	for (int row = 1; row < sh->nrows; row++) {
		const char *code = cell_text(a, sh, row, cc);
		if (!*code)
			continue;
		int i = form_field_index(f, code);
		int from = is->n;
		if (i < 0 || f->fields[i].type == FK_LIST) {
			issues_add(a, is, NULL, 0, "代码 %s 不是本表的栏目，请勿修改“代码”列。", code);
			is->format_errors++;
		} else {
			report_set_typed(a, f, d, i, cell_text(a, sh, row, cv), 1, is);
			const char *note = cn >= 0 ? cell_text(a, sh, row, cn) : "";
			d->note[i] = *note ? note : NULL;
		}
		place_issues(a, is, from, FILL_SHEET, row + 1);
	}
	for (int i = 0; i < f->nfields; i++) {
		const FormItem *fd = &f->fields[i];
		if (fd->type != FK_LIST)
			continue;
		const char *name = list_sheet_name(a, fd);
		char lerr[256];
		XlsxSheet *ls = xlsx_read_sheet(a, data, len, name, lerr, sizeof lerr);
		if (!ls)
			continue; /* a workbook without the list: no rows */
		int *map = arena_alloc(a, sizeof *map * (size_t)fd->ncolumns);
		for (int c = 0; c < fd->ncolumns; c++)
			map[c] = header_col(ls, fd->columns[c].label);
		int out_row = 0;
		for (int row = 1; row < ls->nrows; row++) {
			int any = 0;
			for (int c = 0; c < fd->ncolumns; c++)
				any |= map[c] >= 0 && *cell_text(a, ls, row, map[c]);
			if (!any)
				continue;
			int from = is->n;
			for (int c = 0; c < fd->ncolumns; c++)
				report_set_cell(a, f, d, i, out_row, c, map[c] >= 0 ? cell_text(a, ls, row, map[c]) : "", p, is);
			place_issues(a, is, from, name, row + 1);
			out_row++;
		}
	}
	return 1;
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/upload?submit=0|1 — the filled workbook as the body */
void api_report_upload(Req *r)
{
	Actor who = req_actor(r);
	time_t now = report_now();
	ReportView v;
	ReportOutcome o = {0};
	if (!reports_page_view(r, now, &v, &o))
		return;
	if (!r->body.len) {
		http_error(r, 400, "empty", "请上传填好的 .xlsx 表格。");
		return;
	}
	ReportData *d = report_data_new(&r->arena, v.form);
	char err[256];
	if (!read_workbook(&r->arena, v.form, &v.period, r->body.data, r->body.len, d, &o.issues, err, sizeof err)) {
		http_error(r, 400, "bad_workbook", err);
		return;
	}
	const char *submit = req_query(r, "submit");
	int st = report_save(r->store, &r->arena, r->plan, &who, r->params[0], r->params[1], r->params[2], d,
	                     submit && !strcmp(submit, "1"), now, &o);
	json_t *issues = json_array();
	for (int i = 0; i < o.issues.n; i++)
		json_array_append_new(issues, json_pack("{s:s?,s:s,s:b,s:b}", "field", o.issues.v[i].field, "message",
		                                        o.issues.v[i].message, "soft", o.issues.v[i].soft, "explained",
		                                        o.issues.v[i].explained));
	if (st != 200) {
		http_json(r, st, json_pack("{s:{s:s,s:s,s:o}}", "error", "code", o.code, "message", o.message ? o.message : "",
		                           "issues", issues));
		return;
	}
	http_json(r, 200, json_pack("{s:s,s:s,s:o}", "status", submit && !strcmp(submit, "1") ? "submitted" : "draft",
	                            "message", o.message ? o.message : "", "issues", issues));
}
