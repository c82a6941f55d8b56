/*
 * page_reports.c — 填报: the reporter's side of periodic reports and what
 * the other 填报 files share. Parse what came in, call the workflows of
 * reports.c, render what they answer; no rule and no SQL here.
 *   /reports                               forms, periods, what waits for me
 *   /reports/{form}/{period}/{org}         one report: entry (cards, phone first) or review,
 *                                          and its posts (save, submit, approve, return, unlock)
 *   工作台                                  the provider "reports": what is due
 * The office's page of a period (completeness, 催报, batch approval) is
 * page_reports_period.c; the JSON API page_reports_api.c; the workbook
 * page_reports_xlsx.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_reports.h"
#include "reports.h"

/* ---- shared by the 填报 files (page_reports.h) ---- */

const char *reports_page_iso(Arena *a, time_t t)
{
	char b[26];
	beijing_iso(t, b);
	return arena_strdup(a, b);
}

const char *reports_page_iso_text(Arena *a, const char *utc)
{
	time_t t = time_parse(utc);
	return t < 0 ? NULL : reports_page_iso(a, t);
}

/* The last minute a time window includes, for people: "2024-12-05 23:59". */
const char *reports_page_until(Arena *a, time_t t)
{
	char b[20];
	beijing_format(t - 60, b);
	return arena_strdup(a, b);
}

const char *reports_page_state(const char *st)
{
	return !strcmp(st, "not_open") ? "未开始" : !strcmp(st, "open") ? "填报中" : !strcmp(st, "overdue") ? "已过截止日" : "已关闭";
}

const char *reports_page_status_class(const char *st)
{
	return !strcmp(st, "accepted") ? "done" : !strcmp(st, "submitted") || !strcmp(st, "approved") ? "on_track"
	     : !strcmp(st, "returned") ? "at_risk" : "behind";
}

const char *reports_page_url(Arena *a, const char *form, const char *period, const char *org)
{
	Buf b = {0};
	html_printf(&b, "/reports/%u/%u/%u", form, period, org);
	const char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* What was just done, by code (?done=CODE&n=N): no text from the address is
 * ever shown. NULL when the code is not one. */
const char *reports_page_done(Req *r, const Form *f)
{
	const char *d = req_query(r, "done"), *n = req_query(r, "n"), *k = req_query(r, "k");
	long long count = 0, skipped = 0;
	if (n)
		parse_int(n, 0, 100000, &count);
	if (k)
		parse_int(k, 0, 100000, &skipped);
	if (!d)
		return NULL;
	if (!strcmp(d, "saved"))
		return "草稿已保存。";
	if (!strcmp(d, "saved_issues"))
		return "草稿已保存。报送前请处理标出的问题。";
	if (!strcmp(d, "submitted"))
		return f && f->napproval > 1 ? "已报送，等待所在镇街、功能区审核。" : "已报送，等待市专班办公室确认。";
	if (!strcmp(d, "approve"))
		return "已审核通过，报送市专班办公室确认。";
	if (!strcmp(d, "accept"))
		return "已确认，数据计入进展。";
	if (!strcmp(d, "return"))
		return "已退回，填报单位会在工作台看到退回原因。";
	if (!strcmp(d, "unlock_request"))
		return "解锁申请已提交，等待市专班办公室处理。";
	if (!strcmp(d, "unlock"))
		return "已解锁，报表退回草稿，重新报送确认前不计入进展。";
	if (!strcmp(d, "uploaded"))
		return "表格已读入并保存。";
	if (!strcmp(d, "exception"))
		return "已开放补报，操作已记入审计日志。";
	if (!strcmp(d, "reminded"))
		return count > 0 ? arena_printf(&r->arena, "已向 %lld 个单位发送催报提醒。", count) : "本期应报单位均已报送，无需催报。";
	if (!strcmp(d, "batch"))
		return skipped > 0 ? arena_printf(&r->arena, "已审核 %lld 份；%lld 份不在您的审核环节，未处理。", count, skipped)
		                   : arena_printf(&r->arena, "已审核 %lld 份。", count);
	return NULL;
}

/* The issues of a check as JSON: [{field, message, soft, explained}]. */
json_t *reports_page_issues_json(const Issues *is)
{
	json_t *arr = json_array();
	for (int i = 0; i < is->n; i++)
		json_array_append_new(arr, json_pack("{s:s?,s:s,s:b,s:b}", "field", is->v[i].field, "message", is->v[i].message,
		                                     "soft", is->v[i].soft, "explained", is->v[i].explained));
	return arr;
}

/* An answer of a workflow: JSON for the API (with the issues), an error page otherwise. */
void reports_page_refuse(Req *r, const ReportOutcome *o)
{
	if (req_is_api(r)) {
		json_t *issues = reports_page_issues_json(&o->issues);
		http_json(r, o->status, json_pack("{s:{s:s,s:s,s:o}}", "error", "code", o->code, "message",
		                                  o->message ? o->message : "", "issues", issues));
		return;
	}
	http_error(r, o->status, o->code, o->message ? o->message : "出错了，请稍后再试。");
}

int reports_page_view(Req *r, time_t now, ReportView *v, ReportOutcome *o)
{
	Actor actor = req_actor(r);
	if (report_view(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], now, v, o) == 200)
		return 1;
	reports_page_refuse(r, o);
	return 0;
}

/* ---- the list of forms and periods ---- */

/* The latest periods of a form that have opened by now, newest first (at most max). */
static int periods_recent(const Form *f, time_t now, Period *out, int max)
{
	char today[20];
	beijing_format(now, today);
	today[10] = 0;
	Period p;
	period_containing(f, today, &p);
	int n = 0;
	for (int k = 0; k < 40 && n < max; k++) {
		if (p.opens <= now)
			out[n++] = p;
		Period prev;
		period_step(f, &p, -1, &prev);
		p = prev;
	}
	return n;
}

/* The periods of a form to list for year y: those that have opened by now, newest first. */
static int periods_of_year(const Form *f, int y, time_t now, Period *out, int max)
{
	int n = 0;
	Period p;
	char first[24];
	snprintf(first, sizeof first, "%04d-01-01", y % 10000);
	period_containing(f, first, &p);
	for (int k = 0; k < 12 && digits_value(p.key, 4) == y; k++) {
		if (p.opens <= now && n < max)
			out[n++] = p;
		Period next;
		period_step(f, &p, 1, &next);
		p = next;
	}
	for (int i = 0; i < n / 2; i++) {
		Period t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}

static const char *own_org(Req *r)
{
	if (!r->session || !r->session->user.scope)
		return NULL;
	if (r->role == ROLE_AREA)
		return r->session->user.scope;
	if (r->role == ROLE_BASE)
		return arena_printf(&r->arena, "base-%s", r->session->user.scope);
	if (r->role == ROLE_DEPARTMENT)
		return arena_printf(&r->arena, "dept-%s", r->session->user.scope);
	return NULL;
}

static void todo_section(Req *r, const ReportTodo *t, const FormSet *fs)
{
	Buf *b = &r->out;
	if (t->nreturned) {
		html_printf(b, "<section class=\"card\" id=\"my-returned\"><h2>我的退回与草稿</h2><ul>");
		for (int i = 0; i < t->nreturned; i++) {
			const ReportRec *x = &t->returned[i];
			const Form *f = forms_find(fs, x->form);
			Period p;
			if (!f || !period_parse(f, x->period, &p))
				continue;
			html_printf(b, "<li><a href=\"%h\">%h《%h》</a> <span class=\"status %h\">%h</span>%s%h</li>",
			            reports_page_url(&r->arena, x->form, x->period, x->org), period_label(&r->arena, f, &p), f->short_name,
			            reports_page_status_class(x->status), report_status_zh(f, x->status, x->stage),
			            x->return_reason ? " 退回原因：" : "", x->return_reason ? x->return_reason : "");
		}
		html_printf(b, "</ul></section>\n");
	}
	if (t->nreminders) {
		html_printf(b, "<section class=\"card\" id=\"my-reminders\"><h2>催报提醒</h2><ul>");
		for (int i = 0; i < t->nreminders; i++)
			html_printf(b, "<li>%h <span class=\"muted\">（%h，北京时间 %h）</span></li>", t->reminders[i].text,
			            t->reminders[i].sent_by, fmt_time(&r->arena, t->reminders[i].sent_at));
		html_printf(b, "</ul></section>\n");
	}
	if (t->nwaiting) {
		html_printf(b, "<section class=\"card\" id=\"waiting\"><h2>待我审核（%d 份）</h2><ul>", t->nwaiting);
		for (int i = 0; i < t->nwaiting && i < 50; i++) {
			const ReportRec *x = &t->waiting[i];
			const Form *f = forms_find(fs, x->form);
			Period p;
			if (!f || !period_parse(f, x->period, &p))
				continue;
			ReportOrg o;
			const char *msg;
			const char *name = report_org(r->store, &r->arena, r->plan, f, x->org, &o, &msg) == 1 ? o.name : x->org;
			html_printf(b, "<li><a href=\"%h\">%h · %h《%h》</a> <span class=\"status %h\">%h</span></li>",
			            reports_page_url(&r->arena, x->form, x->period, x->org), name, period_label(&r->arena, f, &p),
			            f->short_name, reports_page_status_class(x->status), report_status_zh(f, x->status, x->stage));
		}
		html_printf(b, "</ul></section>\n");
	}
	if (t->nunlocks) {
		html_printf(b, "<section class=\"card\" id=\"unlocks\"><h2>解锁申请（%d 份）</h2><ul>", t->nunlocks);
		for (int i = 0; i < t->nunlocks; i++) {
			const ReportRec *x = &t->unlocks[i];
			html_printf(b, "<li><a href=\"%h\">%h %h %h</a>：%h</li>", reports_page_url(&r->arena, x->form, x->period, x->org),
			            x->org, x->form, x->period, x->unlock_reason);
		}
		html_printf(b, "</ul></section>\n");
	}
}

/* WEBPAGE: GET /reports — the forms, their periods of a year, what waits for me */
void page_reports(Req *r)
{
	const FormSet *fs = reports_forms(r->store, r->plan);
	if (!fs) {
		http_error(r, 500, "no_forms", "报表定义无法读取，请联系系统管理员。");
		return;
	}
	time_t now = report_now();
	char today[20];
	beijing_format(now, today);
	int year = digits_value(today, 4), this_year = year, by_year = 0;
	const char *qy = req_query(r, "year");
	if (qy && *qy) {
		by_year = 1;
		long long y;
		year = parse_int(qy, 2000, 2099, &y) ? (int)y : 0;
		if (!year) {
			http_error(r, 400, "bad_year", "年份应为四位数字，如 2024。");
			return;
		}
	}
	Actor actor = req_actor(r);
	ReportTodo todo;
	if (report_todo(r->store, &r->arena, r->plan, &actor, &todo) != H_OK) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "填报", "reports");
	html_printf(b, "<h1>定期填报</h1><p class=\"lead\">各镇街、功能区每月报送大孵化集群建设月报，孵化基地每年报送火炬统计报表，市直部门每季度报送工作季报；"
	               "逐级审核、市专班确认后计入进展。时间均为北京时间。</p>\n");
	todo_section(r, &todo, fs);
	int start = r->plan && r->plan->nyears ? r->plan->years[0] : year;
	html_printf(b, "<nav class=\"tabs\" aria-label=\"年份\"><a href=\"/reports\"%s>最近</a>", by_year ? "" : " aria-current=\"true\"");
	for (int y = start; y <= this_year && y - start < 10; y++)
		html_printf(b, "<a href=\"/reports?year=%d\"%s>%d年</a>", y, by_year && y == year ? " aria-current=\"true\"" : "", y);
	html_printf(b, "</nav>\n");
	const char *own = own_org(r);
	for (int k = 0; k < fs->nforms; k++) {
		const Form *f = &fs->forms[k];
		ReportOrg o;
		const char *msg;
		int mine = own && report_org(r->store, &r->arena, r->plan, f, own, &o, &msg) == 1;
		if ((r->role == ROLE_BASE || r->role == ROLE_DEPARTMENT) && !mine)
			continue;
		if (r->role == ROLE_AREA && !mine && strcmp(f->reporter, "base"))
			continue;
		Period ps[12];
		int np = by_year ? periods_of_year(f, year, now, ps, 12) : periods_recent(f, now, ps, f->period == PERIOD_MONTHLY ? 6 : 3);
		html_printf(b, "<section class=\"card form-card\" data-form=\"%h\"><h2>%h</h2>", f->code, f->name);
		if (f->note)
			html_printf(b, "<p class=\"muted\">%h</p>", f->note);
		if (!np) {
			html_printf(b, "<p class=\"muted\">%h尚无开始填报的期次。</p></section>\n",
			            by_year ? arena_printf(&r->arena, "%d年", year) : "近期");
			continue;
		}
		html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">期次</th>"
		               "<th scope=\"col\">状态</th><th scope=\"col\">截止（北京时间）</th><th scope=\"col\">%s</th>"
		               "<th scope=\"col\">操作</th></tr></thead><tbody>",
		            mine ? "本单位" : "报送率");
		for (int i = 0; i < np; i++) {
			const Period *p = &ps[i];
			html_printf(b, "<tr><th scope=\"row\">%h</th><td>%h</td><td>%h</td>", period_label(&r->arena, f, p),
			            reports_page_state(period_state(p, now)), reports_page_until(&r->arena, p->due));
			if (mine) {
				ReportRec rec;
				int found = store_report_get(r->store, &r->arena, f->code, p->key, own, &rec);
				const char *st = found == 1 ? rec.status : "none";
				html_printf(b, "<td><span class=\"status %h\">%h</span></td><td><a class=\"button\" href=\"%h\">%h</a></td></tr>",
				            reports_page_status_class(st), report_status_zh(f, st, found == 1 ? rec.stage : 0),
				            reports_page_url(&r->arena, f->code, p->key, own),
				            !strcmp(st, "none") || !strcmp(st, "draft") || !strcmp(st, "returned") ? "填写" : "查看");
			} else {
				Completeness c;
				ReportOutcome o2;
				int ok = report_completeness(r->store, &r->arena, r->plan, f->code, p->key,
				                             r->role == ROLE_AREA ? r->session->user.scope : NULL, now, &c, &o2) == 200;
				html_printf(b, "<td>%d/%d（%h）</td><td><a href=\"/reports/%u/%u\">完成情况</a></td></tr>", ok ? c.reported : 0,
				            ok ? c.expected : 0, fmt_percent(&r->arena, ok && c.expected ? (double)c.reported / c.expected : 0),
				            f->code, p->key);
			}
		}
		html_printf(b, "</tbody></table></div></section>\n");
	}
	page_end(r);
}

/* ---- one report ---- */

/* The text a box shows: what was typed (after a refused POST) or the stored value in the box's unit. */
static const char *box_text(Req *r, const ReportView *v, int i, int from_post)
{
	const FormItem *fd = &v->form->fields[i];
	if (from_post) {
		const char *t = req_form(r, arena_printf(&r->arena, "v_%s", fd->code));
		return t ? t : "";
	}
	if (!v->data->text[i])
		return "";
	if (fd->type == FK_CHOICE || fd->type == FK_TEXT || fd->type == FK_DATE)
		return v->data->text[i];
	return form_value_text(&r->arena, fd, v->data->text[i], v->data->num[i], 0);
}

static const Issue *issue_for(const Issues *is, const char *field, int soft)
{
	for (int i = 0; i < is->n; i++)
		if (is->v[i].field && !strcmp(is->v[i].field, field) && is->v[i].soft == soft)
			return &is->v[i];
	return NULL;
}

/* One scalar field as a labelled box with its unit, last period's value and its messages. */
static void write_field(Req *r, const ReportView *v, const Issues *is, int i, int from_post, int edit)
{
	Buf *b = &r->out;
	const FormItem *fd = &v->form->fields[i];
	const Issue *hard = issue_for(is, fd->code, 0), *soft = issue_for(is, fd->code, 1);
	const char *last = v->last->text[i] && fd->type != FK_TEXT ? form_value_text(&r->arena, fd, v->last->text[i], v->last->num[i], 1) : NULL;
	html_printf(b, "<div class=\"field report-field%s%s\" data-field=\"%h\">", hard ? " has-error" : "",
	            soft ? " has-warning" : "", fd->code);
	html_printf(b, "<label for=\"f-%h\">%h%s</label>", fd->code, fd->label, fd->required ? "<span class=\"req\">*</span>" : "");
	if (!edit) {
		html_printf(b, "<p class=\"value\" id=\"f-%h\">%h</p>", fd->code,
		            v->data->text[i] ? form_value_text(&r->arena, fd, v->data->text[i], v->data->num[i], 1) : "—");
	} else if (fd->type == FK_TEXT) {
		html_printf(b, "<textarea id=\"f-%h\" name=\"v_%h\" rows=\"4\" maxlength=\"%d\" aria-label=\"%h\"%s>%h</textarea>",
		            fd->code, fd->code, fd->max_chars, fd->label, hard ? " aria-invalid=\"true\"" : "", box_text(r, v, i, from_post));
	} else if (fd->type == FK_CHOICE) {
		const char *cur = box_text(r, v, i, from_post);
		html_printf(b, "<select id=\"f-%h\" name=\"v_%h\" aria-label=\"%h\"><option value=\"\">请选择</option>", fd->code,
		            fd->code, fd->label);
		for (int k = 0; k < fd->noptions; k++)
			html_printf(b, "<option value=\"%h\"%s>%h</option>", fd->options[k].code,
			            !strcmp(cur, fd->options[k].code) ? " selected" : "", fd->options[k].label);
		html_printf(b, "</select>");
	} else {
		html_printf(b, "<span class=\"box\"><input id=\"f-%h\" name=\"v_%h\" type=\"%s\" value=\"%h\" aria-label=\"%h\"%s%s>"
		               "<span class=\"unit\">%h</span></span>",
		            fd->code, fd->code, fd->type == FK_DATE ? "date" : "text", box_text(r, v, i, from_post), fd->label,
		            fd->type == FK_DATE ? "" : " inputmode=\"decimal\" autocomplete=\"off\"",
		            hard ? " aria-invalid=\"true\"" : "", fd->unit ? fd->unit : "");
	}
	if (last)
		html_printf(b, "<p class=\"hint last\">上期：%h</p>", last);
	else if (edit && fd->hint)
		html_printf(b, "<p class=\"hint\">%h</p>", fd->hint);
	for (int k = 0; k < is->n; k++)
		if (is->v[k].field && !strcmp(is->v[k].field, fd->code))
			html_printf(b, "<p class=\"%s\">%h</p>", is->v[k].soft ? "field-warning" : "field-error", is->v[k].message);
	const char *note = from_post ? req_form(r, arena_printf(&r->arena, "n_%s", fd->code)) : v->data->note[i];
	if (edit && (soft || (note && *note)))
		html_printf(b, "<label for=\"n-%h\" class=\"note-label\">说明（超出常规的原因）</label>"
		               "<textarea id=\"n-%h\" name=\"n_%h\" rows=\"2\" maxlength=\"2000\">%h</textarea>",
		            fd->code, fd->code, fd->code, note ? note : "");
	else if (!edit && note && *note)
		html_printf(b, "<p class=\"hint note\">说明：%h</p>", note);
	html_printf(b, "</div>\n");
}

/* A list of named rows: a small table (cards on a phone), with blank rows to add. */
static void write_list(Req *r, const ReportView *v, const Issues *is, int i, int from_post, int edit)
{
	Buf *b = &r->out;
	const FormItem *fd = &v->form->fields[i];
	int rows = v->data->nrows[i];
	if (from_post) {
		const char *n = req_form(r, arena_printf(&r->arena, "rows_%s", fd->code));
		long long nr = 0;
		if (n)
			parse_int(n, 0, 100000, &nr);
		rows = (int)nr;
		if (req_form(r, arena_printf(&r->arena, "more_%s", fd->code)))
			rows += 5;
	}
	int shown = edit ? rows + 3 : rows;
	if (shown > fd->max_rows)
		shown = fd->max_rows;
	html_printf(b, "<fieldset class=\"report-list\" data-field=\"%h\"><legend>%h</legend>", fd->code, fd->label);
	for (int k = 0; k < is->n; k++)
		if (is->v[k].field && !strncmp(is->v[k].field, fd->code, strlen(fd->code)))
			html_printf(b, "<p class=\"%s\">%h</p>", is->v[k].soft ? "field-warning" : "field-error", is->v[k].message);
	if (!shown) {
		html_printf(b, "<p class=\"muted\">无。</p></fieldset>\n");
		return;
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data list-rows\"><thead><tr><th scope=\"col\">序号</th>");
	for (int c = 0; c < fd->ncolumns; c++)
		html_printf(b, "<th scope=\"col\">%h</th>", fd->columns[c].label);
	html_printf(b, "</tr></thead><tbody>");
	for (int row = 0; row < shown; row++) {
		html_printf(b, "<tr><th scope=\"row\">%d</th>", row + 1);
		for (int c = 0; c < fd->ncolumns; c++) {
			const FormItem *col = &fd->columns[c];
			const char *name = arena_printf(&r->arena, "l_%s_%d_%s", fd->code, row + 1, col->code);
			const char *val = from_post ? req_form(r, name)
			                : row < v->data->nrows[i] ? v->data->cells[i][row * fd->ncolumns + c] : NULL;
			if (!val)
				val = "";
			if (!edit) {
				const char *shown_val = val;
				if (col->type == FK_CHOICE)
					for (int k = 0; k < col->noptions; k++)
						if (!strcmp(col->options[k].code, val))
							shown_val = col->options[k].label;
				html_printf(b, "<td data-label=\"%h\">%h</td>", col->label, shown_val);
			} else if (col->type == FK_CHOICE) {
				html_printf(b, "<td data-label=\"%h\"><select name=\"%h\" aria-label=\"第%d行%h\"><option value=\"\"></option>",
				            col->label, name, row + 1, col->label);
				for (int k = 0; k < col->noptions; k++)
					html_printf(b, "<option value=\"%h\"%s>%h</option>", col->options[k].code,
					            !strcmp(val, col->options[k].code) ? " selected" : "", col->options[k].label);
				html_printf(b, "</select></td>");
			} else {
				html_printf(b, "<td data-label=\"%h\"><input name=\"%h\" type=\"%s\" value=\"%h\" aria-label=\"第%d行%h\"></td>",
				            col->label, name, col->type == FK_DATE ? "date" : "text", val, row + 1, col->label);
			}
		}
		html_printf(b, "</tr>");
	}
	html_printf(b, "</tbody></table></div>");
	if (edit) {
		html_printf(b, "<input type=\"hidden\" name=\"rows_%h\" value=\"%d\">", fd->code, shown);
		if (shown < fd->max_rows)
			html_printf(b, "<button type=\"submit\" name=\"more_%h\" value=\"1\" class=\"secondary\" formnovalidate>增加 5 行</button>",
			            fd->code);
	}
	html_printf(b, "</fieldset>\n");
}

/* The whole report page; from_post: show what was typed, with issues. */
static void render_report(Req *r, ReportView *v, const Issues *is, int from_post, const char *flash)
{
	Buf *b = &r->out;
	const Form *f = v->form;
	const char *label = period_label(&r->arena, f, &v->period);
	const char *status = v->exists ? v->rec.status : "none";
	time_t now = report_now();
	page_begin(r, arena_printf(&r->arena, "%s · %s%s", v->org.name, label, f->short_name), "reports");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/reports\">填报</a> › <a href=\"/reports/%u/%u\">%h%h</a> › %h</p>",
	            f->code, v->period.key, label, f->short_name, v->org.name);
	html_printf(b, "<h1>%h</h1><p class=\"lead\">%h · %h · <span class=\"status %h\" id=\"report-status\">%h</span></p>\n",
	            f->name, v->org.name, label, reports_page_status_class(status), report_status_zh(f, status, v->exists ? v->rec.stage : 0));
	if (flash)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>", flash);
	html_printf(b, "<p class=\"muted\" id=\"window\">截止：北京时间 %h；%h关闭。当前：%h。</p>", reports_page_until(&r->arena, v->period.due),
	            reports_page_until(&r->arena, v->period.closes), reports_page_state(v->state));
	if (v->exception_until && time_parse(v->exception_until) > now)
		html_printf(b, "<p class=\"form-ok\">市专班办公室已开放补报，截至北京时间 %h。</p>",
		            reports_page_until(&r->arena, time_parse(v->exception_until)));
	if (v->exists && !strcmp(status, "returned") && v->rec.return_reason)
		html_printf(b, "<p class=\"form-error\" id=\"return-reason\" role=\"alert\">退回原因：%h（%h，北京时间 %h）</p>",
		            v->rec.return_reason, v->rec.returned_by ? v->rec.returned_by : "",
		            fmt_time(&r->arena, v->rec.returned_at));
	else if (v->exists && v->rec.return_reason && !strcmp(status, "draft"))
		html_printf(b, "<p class=\"form-error\" id=\"return-reason\">%h</p>", v->rec.return_reason);
	if (v->exists && v->rec.unlock_reason)
		html_printf(b, "<p class=\"form-error\" id=\"unlock-request\">解锁申请：%h（%h）</p>", v->rec.unlock_reason,
		            v->rec.unlock_by ? v->rec.unlock_by : "");
	for (int i = 0; i < v->nreminders && i < 3; i++)
		html_printf(b, "<p class=\"muted reminder\">催报：%h（北京时间 %h）</p>", v->reminders[i].text,
		            fmt_time(&r->arena, v->reminders[i].sent_at));
	if (is->n && (is->hard || is->soft_open))
		html_printf(b, "<div class=\"form-error\" role=\"alert\" id=\"issues\"><p>请处理以下问题：</p><ul>");
	for (int k = 0; is->hard + is->soft_open && k < is->n; k++)
		if (!is->v[k].soft || !is->v[k].explained)
			html_printf(b, "<li>%h</li>", is->v[k].message);
	if (is->n && (is->hard || is->soft_open))
		html_printf(b, "</ul></div>\n");
	int edit = v->rights.edit;
	if (!edit && v->rights.why_not_edit && (r->role == ROLE_ADMIN || own_org(r)))
		html_printf(b, "<p class=\"muted\" id=\"why-locked\">%h</p>", v->rights.why_not_edit);
	if (edit) {
		html_printf(b, "<form method=\"post\" action=\"%h\" id=\"report-form\" novalidate>",
		            reports_page_url(&r->arena, f->code, v->period.key, v->org.org));
		form_csrf(r);
	}
	for (int s = 0; s < f->nsections; s++) {
		html_printf(b, "<section class=\"card report-section\"><h2>%h</h2>\n", f->sections[s]);
		for (int i = 0; i < f->nfields; i++) {
			if (f->fields[i].section != s)
				continue;
			if (f->fields[i].type == FK_LIST)
				write_list(r, v, is, i, from_post, edit);
			else
				write_field(r, v, is, i, from_post, edit);
		}
		html_printf(b, "</section>\n");
	}
	if (edit)
		html_printf(b, "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">保存草稿</button> "
		               "<button type=\"submit\" name=\"action\" value=\"submit\">报送</button></p></form>\n");
	const char *url = reports_page_url(&r->arena, f->code, v->period.key, v->org.org);
	/* the same report as a fill-in workbook, and uploading it back (web/app.js posts the file) */
	html_printf(b, "<section class=\"card\" id=\"workbook\"><h2>用表格填报</h2><p><a class=\"button secondary\" href=\"%h/fill.xlsx\">"
	               "下载填报表格（.xlsx）</a></p>",
	            url);
	if (edit && r->session) {
		html_printf(b, "<form id=\"report-upload\" data-api=\"/api/v1%h/upload\" data-csrf=\"%h\" data-back=\"%h\">"
		               "<div class=\"field\"><label for=\"upload-file\">上传填好的表格</label>"
		               "<input id=\"upload-file\" type=\"file\" accept=\".xlsx\"></div>"
		               "<p class=\"actions\"><button type=\"button\" id=\"upload-save\" class=\"secondary\">读入并保存草稿</button> "
		               "<button type=\"button\" id=\"upload-submit\">读入并报送</button></p>"
		               "<p id=\"upload-status\" role=\"status\"></p><ul id=\"upload-errors\" class=\"form-error\"></ul></form>",
		            url, r->session->csrf, url);
	}
	html_printf(b, "</section>\n");
	if (v->rights.approve || v->rights.accept) {
		html_printf(b, "<section class=\"card\" id=\"review\"><h2>审核</h2><form method=\"post\" action=\"%h/review\">", url);
		form_csrf(r);
		html_printf(b, "<button type=\"submit\" name=\"action\" value=\"%s\">%s</button></form>",
		            v->rights.accept ? "accept" : "approve", v->rights.accept ? "确认（计入进展）" : "审核通过");
		html_printf(b, "<form method=\"post\" action=\"%h/review\">", url);
		form_csrf(r);
		form_input(r, "reason", "退回原因", "text", NULL, NULL, " required maxlength=\"500\"");
		html_printf(b, "<button type=\"submit\" name=\"action\" value=\"return\" class=\"danger\">退回</button></form></section>\n");
	}
	if (v->rights.request_unlock || v->rights.grant_unlock) {
		html_printf(b, "<section class=\"card\" id=\"unlock\"><h2>%s</h2><form method=\"post\" action=\"%h/unlock\">",
		            v->rights.grant_unlock ? "解锁" : "申请解锁", url);
		form_csrf(r);
		form_input(r, "reason", v->rights.grant_unlock ? "解锁原因" : "需要修改的原因", "text", v->rec.unlock_reason, NULL,
		           " required maxlength=\"500\"");
		html_printf(b, "<button type=\"submit\" name=\"action\" value=\"%s\">%s</button></form></section>\n",
		            v->rights.grant_unlock ? "unlock" : "unlock_request", v->rights.grant_unlock ? "同意解锁" : "提交解锁申请");
	}
	if (v->exists) {
		html_printf(b, "<p class=\"muted\" id=\"trail\">");
		if (v->rec.first_submitted_at)
			html_printf(b, "首次报送：北京时间 %h。", fmt_time(&r->arena, v->rec.first_submitted_at));
		if (v->rec.approved_by)
			html_printf(b, "区域审核：%h，北京时间 %h。", v->rec.approved_by, fmt_time(&r->arena, v->rec.approved_at));
		if (v->rec.accepted_by)
			html_printf(b, "市专班确认：%h，北京时间 %h。", v->rec.accepted_by, fmt_time(&r->arena, v->rec.accepted_at));
		html_printf(b, "</p>");
	}
	page_end(r);
}

/* WEBPAGE: GET /reports/{form}/{period}/{org} — one report: entry or review */
void page_report(Req *r)
{
	ReportView v;
	ReportOutcome o = {0};
	if (!reports_page_view(r, report_now(), &v, &o))
		return;
	Issues none = {0};
	render_report(r, &v, v.rights.edit || !v.exists ? &v.issues : &none, 0, reports_page_done(r, v.form));
}

/* Reads the page's boxes (v_CODE, n_CODE, l_LIST_ROW_COL) into d. */
static void read_page_form(Req *r, const Form *f, const Period *p, ReportData *d, Issues *is)
{
	for (int i = 0; i < f->nfields; i++) {
		const FormItem *fd = &f->fields[i];
		if (fd->type == FK_LIST) {
			const char *n = req_form(r, arena_printf(&r->arena, "rows_%s", fd->code));
			long long nr = 0;
			if (n)
				parse_int(n, 0, 100000, &nr);
			int rows = (int)nr;
			if (rows > fd->max_rows)
				rows = fd->max_rows;
			for (int row = 0; row < rows; row++)
				for (int c = 0; c < fd->ncolumns; c++)
					report_set_cell(&r->arena, f, d, i, row, c,
					                req_form(r, arena_printf(&r->arena, "l_%s_%d_%s", fd->code, row + 1, fd->columns[c].code)),
					                p, is);
			continue;
		}
		report_set_typed(&r->arena, f, d, i, req_form(r, arena_printf(&r->arena, "v_%s", fd->code)), 1, is);
		const char *note = req_form(r, arena_printf(&r->arena, "n_%s", fd->code));
		d->note[i] = note && *note ? note : NULL;
	}
}

/* WEBPAGE: POST /reports/{form}/{period}/{org} — action=save|submit, the boxes */
void page_report_post(Req *r)
{
	Actor actor = req_actor(r);
	time_t now = report_now();
	ReportView v;
	ReportOutcome o = {0};
	if (!reports_page_view(r, now, &v, &o))
		return;
	ReportData *d = report_data_new(&r->arena, v.form);
	read_page_form(r, v.form, &v.period, d, &o.issues);
	const char *action = req_form(r, "action");
	int more = 0;
	for (int i = 0; i < v.form->nfields; i++)
		more |= req_form(r, arena_printf(&r->arena, "more_%s", v.form->fields[i].code)) != NULL;
	if (more) {
		/* "增加 5 行": show the form again with what was typed, nothing saved */
		Issues none = {0};
		render_report(r, &v, &none, 1, NULL);
		return;
	}
	int submit = action && !strcmp(action, "submit");
	if (report_save(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], d, submit, now, &o) ==
	    200) {
		Buf u = {0};
		html_printf(&u, "%h?done=%h", reports_page_url(&r->arena, r->params[0], r->params[1], r->params[2]),
		            submit ? "submitted" : o.issues.hard || o.issues.soft_open ? "saved_issues" : "saved");
		http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
		buf_free(&u);
		return;
	}
	if (o.status != 422) {
		reports_page_refuse(r, &o);
		return;
	}
	r->status = 422;
	render_report(r, &v, &o.issues, 1, NULL);
	r->status = 422;
}

static void page_act(Req *r, const char *action)
{
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	if (report_act(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], action,
	               req_form(r, "reason"), report_now(), &o) != 200) {
		reports_page_refuse(r, &o);
		return;
	}
	Buf u = {0};
	html_printf(&u, "%h?done=%u", reports_page_url(&r->arena, r->params[0], r->params[1], r->params[2]), action);
	http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
	buf_free(&u);
}

/* WEBPAGE: POST /reports/{form}/{period}/{org}/review — action=approve|accept|return, reason */
void page_report_review(Req *r)
{
	const char *a = req_form(r, "action");
	if (!a || (strcmp(a, "approve") && strcmp(a, "accept") && strcmp(a, "return"))) {
		http_error(r, 400, "bad_input", "请选择审核通过、确认或退回。");
		return;
	}
	page_act(r, a);
}

/* WEBPAGE: POST /reports/{form}/{period}/{org}/unlock — action=unlock_request|unlock, reason */
void page_report_unlock(Req *r)
{
	const char *a = req_form(r, "action");
	if (!a || (strcmp(a, "unlock_request") && strcmp(a, "unlock"))) {
		http_error(r, 400, "bad_input", "请选择申请解锁或同意解锁。");
		return;
	}
	page_act(r, a);
}

/* ---- 工作台 (page_workbench.c's provider "reports") ---- */

/* The reporter's own reports due now: periods open (or reopened for it)
 * and not yet submitted. Up to max into out; returns how many. */
typedef struct DueItem {
	const Form *form;
	Period period;
	const char *status;
} DueItem;
static int reports_due(Req *r, const FormSet *fs, DueItem *out, int max)
{
	const char *own = own_org(r);
	if (!own || !fs)
		return 0;
	time_t now = report_now();
	int n = 0;
	for (int k = 0; k < fs->nforms && n < max; k++) {
		const Form *f = &fs->forms[k];
		ReportOrg o;
		const char *msg;
		if (report_org(r->store, &r->arena, r->plan, f, own, &o, &msg) != 1)
			continue;
		Period ps[4];
		int np = periods_recent(f, now, ps, 4);
		for (int i = 0; i < np && n < max; i++) {
			ReportRec rec;
			int found = store_report_get(r->store, &r->arena, f->code, ps[i].key, own, &rec);
			const char *st = found == 1 ? rec.status : "none";
			if (strcmp(st, "none") && strcmp(st, "draft"))
				continue;
			const char *until = store_report_exception_until(r->store, &r->arena, f->code, ps[i].key, own);
			if (now >= ps[i].closes && !(until && time_parse(until) > now))
				continue;
			out[n++] = (DueItem){f, ps[i], st};
		}
	}
	return n;
}

/* How many reports wait for r's user: to fill, to correct, to approve or accept, unlock requests. */
long long reports_work_count(Req *r)
{
	Actor who = req_actor(r);
	ReportTodo t;
	if (report_todo(r->store, &r->arena, r->plan, &who, &t) != H_OK)
		return -1;
	DueItem due[16];
	int nd = reports_due(r, reports_forms(r->store, r->plan), due, 16);
	int returned = 0;
	for (int i = 0; i < t.nreturned; i++)
		returned += !strcmp(t.returned[i].status, "returned");
	return nd + returned + t.nwaiting + t.nunlocks;
}

/* The 工作台 section: reports due with their deadline, returned ones with the reason, reminders, what waits for approval. */
void reports_work_write(Req *r)
{
	Buf *b = &r->out;
	Actor who = req_actor(r);
	const FormSet *fs = reports_forms(r->store, r->plan);
	ReportTodo t;
	if (!fs || report_todo(r->store, &r->arena, r->plan, &who, &t) != H_OK) {
		html_printf(b, "<section class=\"work\" id=\"work-reports\"><h2>填报</h2>"
		               "<p class=\"form-error\">报表暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	DueItem due[16];
	int nd = reports_due(r, fs, due, 16);
	html_printf(b, "<section class=\"work\" id=\"work-reports\"><h2>填报</h2>\n");
	if (nd) {
		html_printf(b, "<h3>待报送（%d）</h3><ul class=\"due\">", nd);
		for (int i = 0; i < nd; i++)
			html_printf(b, "<li><a href=\"%h\">%h《%h》</a> 截止：北京时间 %h%h</li>",
			            reports_page_url(&r->arena, due[i].form->code, due[i].period.key, own_org(r)),
			            period_label(&r->arena, due[i].form, &due[i].period), due[i].form->short_name,
			            reports_page_until(&r->arena, due[i].period.due), !strcmp(due[i].status, "draft") ? "（已存草稿）" : "");
		html_printf(b, "</ul>");
	}
	todo_section(r, &t, fs);
	if (!nd && !t.nreturned && !t.nwaiting && !t.nunlocks && !t.nreminders)
		html_printf(b, "<p class=\"muted\">没有待办的报表。各期报表见<a href=\"/reports\">填报</a>。</p>");
	html_printf(b, "</section>\n");
}
