/*
 * page_reports.c — 填报: the pages and the API of periodic reports. Parse
 * what came in, call the workflows of reports.c, render what they answer;
 * no rule and no SQL here.
 *   /reports                               forms, periods, what waits for me
 *   /reports/{form}/{period}               completeness and timeliness, 催报, batch approval
 *   /reports/{form}/{period}/{org}         one report: entry (cards, phone first) or review
 *   /api/v1/reports/...                    the same as JSON
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "page.h"
#include "reports.h"
#include "session.h"
#include "upload.h"
#include "xlsx_write.h"

/* A stored UTC time for people: 北京时间 "2024-12-05 10:00" (fmt.c). */
static const char *time_bj(Arena *a, const char *utc)
{
	return fmt_time(a, utc);
}

static const char *iso_bj(Arena *a, time_t t)
{
	char b[26];
	beijing_iso(t, b);
	return arena_strdup(a, b);
}

static const char *iso_bj_text(Arena *a, const char *utc)
{
	time_t t = time_parse(utc);
	return t < 0 ? NULL : iso_bj(a, t);
}

/* The last minute a time window includes, for people: "2024-12-05 23:59". */
static const char *until_bj(Arena *a, time_t t)
{
	char b[20];
	beijing_format(t - 60, b);
	return arena_strdup(a, b);
}

static const char *state_zh(const char *st)
{
	return !strcmp(st, "not_open") ? "未开始" : !strcmp(st, "open") ? "填报中" : !strcmp(st, "overdue") ? "已过截止日" : "已关闭";
}

static const char *status_class(const char *st)
{
	return !strcmp(st, "accepted") ? "done" : !strcmp(st, "submitted") || !strcmp(st, "approved") ? "on_track"
	     : !strcmp(st, "returned") ? "at_risk" : "behind";
}

static const char *report_url(Arena *a, const char *form, const char *period, const char *org)
{
	Buf b = {0};
	html_printf(&b, "/reports/%u/%u/%u", form, period, org);
	const char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* What was just done, by code (?done=CODE&n=N): no text from the address is
 * ever shown. NULL when the code is not one. */
static const char *done_text(Req *r, const Form *f)
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

/* An answer of a workflow: JSON for the API (with the issues), an error page otherwise. */
static void send_outcome_error(Req *r, const ReportOutcome *o)
{
	if (req_is_api(r)) {
		json_t *issues = json_array();
		for (int i = 0; i < o->issues.n; i++)
			json_array_append_new(issues, json_pack("{s:s?,s:s,s:b,s:b}", "field", o->issues.v[i].field, "message",
			                                        o->issues.v[i].message, "soft", o->issues.v[i].soft, "explained",
			                                        o->issues.v[i].explained));
		http_json(r, o->status, json_pack("{s:{s:s,s:s,s:o}}", "error", "code", o->code, "message",
		                                  o->message ? o->message : "", "issues", issues));
		return;
	}
	http_error(r, o->status, o->code, o->message ? o->message : "出错了，请稍后再试。");
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
			            report_url(&r->arena, x->form, x->period, x->org), period_label(&r->arena, f, &p), f->short_name,
			            status_class(x->status), report_status_zh(f, x->status, x->stage),
			            x->return_reason ? " 退回原因：" : "", x->return_reason ? x->return_reason : "");
		}
		html_printf(b, "</ul></section>\n");
	}
	if (t->nreminders) {
		html_printf(b, "<section class=\"card\" id=\"my-reminders\"><h2>催报提醒</h2><ul>");
		for (int i = 0; i < t->nreminders; i++)
			html_printf(b, "<li>%h <span class=\"muted\">（%h，北京时间 %h）</span></li>", t->reminders[i].text,
			            t->reminders[i].sent_by, time_bj(&r->arena, t->reminders[i].sent_at));
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
			            report_url(&r->arena, x->form, x->period, x->org), name, period_label(&r->arena, f, &p),
			            f->short_name, status_class(x->status), report_status_zh(f, x->status, x->stage));
		}
		html_printf(b, "</ul></section>\n");
	}
	if (t->nunlocks) {
		html_printf(b, "<section class=\"card\" id=\"unlocks\"><h2>解锁申请（%d 份）</h2><ul>", t->nunlocks);
		for (int i = 0; i < t->nunlocks; i++) {
			const ReportRec *x = &t->unlocks[i];
			html_printf(b, "<li><a href=\"%h\">%h %h %h</a>：%h</li>", report_url(&r->arena, x->form, x->period, x->org),
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
			            state_zh(period_state(p, now)), until_bj(&r->arena, p->due));
			if (mine) {
				ReportRec rec;
				int found = store_report_get(r->store, &r->arena, f->code, p->key, own, &rec);
				const char *st = found == 1 ? rec.status : "none";
				html_printf(b, "<td><span class=\"status %h\">%h</span></td><td><a class=\"button\" href=\"%h\">%h</a></td></tr>",
				            status_class(st), report_status_zh(f, st, found == 1 ? rec.stage : 0),
				            report_url(&r->arena, f->code, p->key, own),
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

/* ---- completeness ---- */

/* WEBPAGE: GET /reports/{form}/{period} — completeness, timeliness, 催报, batch approval */
void page_report_period(Req *r)
{
	Actor actor = req_actor(r);
	time_t now = report_now();
	Completeness c;
	ReportOutcome o = {0};
	const char *area = r->role == ROLE_AREA ? r->session->user.scope : NULL;
	const char *qa = req_query(r, "area");
	if (!area && qa && *qa) {
		if (!plan_area(r->plan, qa)) {
			http_error(r, 400, "bad_area", "没有这个区域，请从列表中选择。");
			return;
		}
		area = qa;
	}
	if (report_completeness(r->store, &r->arena, r->plan, r->params[0], r->params[1], area, now, &c, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	const Form *f = c.form;
	Buf *b = &r->out;
	const char *label = period_label(&r->arena, f, &c.period);
	page_begin(r, arena_printf(&r->arena, "%s · %s", label, f->short_name), "reports");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/reports\">填报</a> › %h</p><h1>%h《%h》完成情况</h1>\n", f->short_name, label,
	            f->name);
	const char *done = done_text(r, f);
	if (done)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>", done);
	html_printf(b, "<p>开始填报：%h；截止：%h；关闭：%h（北京时间）。当前：<strong>%h</strong>。</p>\n",
	            until_bj(&r->arena, c.period.opens + 60), until_bj(&r->arena, c.period.due),
	            until_bj(&r->arena, c.period.closes), state_zh(c.state));
	double rate = c.expected ? (double)c.reported / c.expected : 0, timely = c.expected ? (double)c.on_time / c.expected : 0;
	html_printf(b, "<dl class=\"facts\" id=\"summary\"><dt>应报</dt><dd>%d</dd><dt>已报</dt><dd>%d（报送率 %h）</dd>"
	               "<dt>按时报送</dt><dd>%d（及时率 %h）</dd><dt>已确认</dt><dd>%d</dd><dt>待审核</dt><dd>%d</dd>"
	               "<dt>逾期未报</dt><dd>%d</dd></dl>\n",
	            c.expected, c.reported, fmt_percent(&r->arena, rate), c.on_time, fmt_percent(&r->arena, timely), c.accepted,
	            c.waiting, c.late);
	if (!strcmp(f->reporter, "base") && c.nareas > 1) {
		html_printf(b, "<h2>各区域</h2><div class=\"table-wrap\"><table class=\"data\" id=\"by-area\"><thead><tr>"
		               "<th scope=\"col\">区域</th><th scope=\"col\" class=\"num\">应报</th><th scope=\"col\" class=\"num\">已报</th>"
		               "<th scope=\"col\" class=\"num\">报送率</th><th scope=\"col\" class=\"num\">及时率</th></tr></thead><tbody>");
		for (int i = 0; i < c.nareas; i++) {
			const AreaCompleteness *x = &c.areas[i];
			html_printf(b, "<tr><th scope=\"row\"><a href=\"/reports/%u/%u?area=%u\">%h</a></th><td class=\"num\">%d</td>"
			               "<td class=\"num\">%d</td><td class=\"num\">%h</td><td class=\"num\">%h</td></tr>",
			            f->code, c.period.key, x->area, x->name, x->expected, x->reported,
			            fmt_percent(&r->arena, x->expected ? (double)x->reported / x->expected : 0),
			            fmt_percent(&r->arena, x->expected ? (double)x->on_time / x->expected : 0));
		}
		html_printf(b, "</tbody></table></div>\n");
	}
	/* 催报: who has not reported */
	int can_remind = (r->role == ROLE_ADMIN || (r->role == ROLE_AREA && !strcmp(f->reporter, "base"))) &&
	                 now >= c.period.opens;
	int missing = c.expected - c.reported;
	html_printf(b, "<section id=\"chase\"><h2>催报</h2>");
	if (missing <= 0) {
		html_printf(b, "<p class=\"muted\">应报单位均已报送。</p>");
	} else {
		html_printf(b, "<p>%s未报送 %d 个单位：", now >= c.period.due ? "已过截止日，" : "", missing);
		int first = 1;
		for (int i = 0; i < c.nrows; i++)
			if (!c.rows[i].reported) {
				html_printf(b, "%s<span class=\"late\">%h</span>", first ? "" : "、", c.rows[i].org.name);
				first = 0;
			}
		html_printf(b, "。</p>");
		if (can_remind) {
			html_printf(b, "<form method=\"post\" action=\"/reports/%u/%u/remind\" class=\"inline\">", f->code, c.period.key);
			form_csrf(r);
			html_printf(b, "<button type=\"submit\" id=\"remind-all\">一键催报（%d 个单位）</button></form>", missing);
		}
	}
	if (r->role == ROLE_ADMIN)
		html_printf(b, "<p class=\"muted\">催报提醒显示在填报单位的工作台上；推送到浙政钉等消息网关，见"
		               "<a href=\"/admin/webhook\">消息推送设置</a>。</p>");
	html_printf(b, "</section>\n");
	/* the reporters, with batch approval */
	int can_batch = r->role == ROLE_ADMIN || r->role == ROLE_AREA;
	html_printf(b, "<h2>报送明细</h2><p><a class=\"button secondary\" href=\"/reports/%u/%u/completeness.xlsx\" download>导出 Excel</a></p>",
	            f->code, c.period.key);
	if (can_batch) {
		html_printf(b, "<form method=\"post\" action=\"/reports/%u/%u/approve\" id=\"batch\">", f->code, c.period.key);
		form_csrf(r);
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"completeness\"><thead><tr>%s"
	               "<th scope=\"col\">填报单位</th><th scope=\"col\">状态</th><th scope=\"col\">所属区域</th>"
	               "<th scope=\"col\">首次报送（北京时间）</th><th scope=\"col\">按时</th><th scope=\"col\" class=\"num\">催报</th>"
	               "</tr></thead><tbody>",
	            can_batch ? "<th scope=\"col\">选择</th>" : "");
	for (int i = 0; i < c.nrows; i++) {
		const CompletenessRow *x = &c.rows[i];
		html_printf(b, "<tr data-org=\"%h\" data-status=\"%h\">", x->org.org, x->status);
		if (can_batch) {
			int waits = !strcmp(x->status, "submitted") || !strcmp(x->status, "approved");
			if (waits)
				html_printf(b, "<td><input type=\"checkbox\" name=\"sel_%h\" value=\"1\" aria-label=\"选择%h\"></td>",
				            x->org.org, x->org.name);
			else
				html_printf(b, "<td></td>");
		}
		const Area *ar = plan_area(r->plan, x->org.area);
		html_printf(b, "<th scope=\"row\"><a href=\"%h\">%h</a></th><td><span class=\"status %h\">%h</span>%s%h</td>"
		               "<td>%h</td><td>%h</td><td>%h</td><td class=\"num\">%d</td></tr>",
		            report_url(&r->arena, f->code, c.period.key, x->org.org), x->org.name, status_class(x->status),
		            report_status_zh(f, x->status, x->stage), x->late ? " · 逾期" : "", "", ar ? ar->name : x->org.area,
		            x->submitted_at ? time_bj(&r->arena, x->submitted_at) : "—",
		            x->reported ? (x->on_time ? "是" : "否（迟报）") : "—", x->reminders);
	}
	if (!c.nrows)
		html_printf(b, "<tr><td colspan=\"7\" class=\"muted\">本期没有应报单位。</td></tr>");
	html_printf(b, "</tbody></table></div>");
	if (can_batch)
		html_printf(b, "<button type=\"submit\">批量审核通过所选</button></form>\n");
	if (r->role == ROLE_ADMIN && missing > 0 && now >= c.period.closes) {
		html_printf(b, "<form method=\"post\" action=\"/reports/%u/%u/exception\" class=\"card narrow\" id=\"exception\">"
		               "<h2>开放补报</h2><p class=\"muted\">本期已关闭。为一个单位开放几天补报，操作会记入审计日志。</p>",
		            f->code, c.period.key);
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"f-org\">单位</label><select id=\"f-org\" name=\"org\">");
		for (int i = 0; i < c.nrows; i++)
			if (!c.rows[i].reported)
				html_printf(b, "<option value=\"%h\">%h</option>", c.rows[i].org.org, c.rows[i].org.name);
		html_printf(b, "</select></div>");
		form_input(r, "days", "开放天数", "number", "3", NULL, " min=\"1\" max=\"30\" required");
		form_input(r, "reason", "原因", "text", NULL, NULL, " required maxlength=\"500\"");
		html_printf(b, "<button type=\"submit\">开放补报</button></form>\n");
	}
	(void)actor;
	page_end(r);
}

/* WEBPAGE: GET /reports/{form}/{period}/completeness.xlsx — the completeness table as a workbook */
void page_report_completeness_xlsx(Req *r)
{
	Completeness c;
	ReportOutcome o = {0};
	const char *area = r->role == ROLE_AREA ? r->session->user.scope : NULL;
	if (report_completeness(r->store, &r->arena, r->plan, r->params[0], r->params[1], area, report_now(), &c, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	static const XlsxColumn cols[] = {
		{.header = "填报单位"}, {.header = "所属区域"}, {.header = "状态"}, {.header = "首次报送（北京时间）"},
		{.header = "是否按时"}, {.header = "催报次数", .type = XLSX_NUMBER},
	};
	XlsxCell *cells = arena_alloc(&r->arena, sizeof *cells * (size_t)(c.nrows + 1) * 6);
	for (int i = 0; i < c.nrows; i++) {
		const CompletenessRow *x = &c.rows[i];
		XlsxCell *row = &cells[i * 6];
		row[0] = xlsx_str(x->org.name);
		row[1] = xlsx_str(area_name(r->plan, x->org.area));
		row[2] = xlsx_str(arena_printf(&r->arena, "%s%s", report_status_zh(c.form, x->status, x->stage), x->late ? "（逾期）" : ""));
		row[3] = xlsx_str(x->submitted_at ? time_bj(&r->arena, x->submitted_at) : NULL);
		row[4] = xlsx_str(x->reported ? (x->on_time ? "是" : "否") : NULL);
		row[5] = xlsx_num(x->reminders);
	}
	static const XlsxColumn acols[] = {
		{.header = "区域"}, {.header = "应报", .type = XLSX_NUMBER}, {.header = "已报", .type = XLSX_NUMBER},
		{.header = "按时", .type = XLSX_NUMBER}, {.header = "报送率"}, {.header = "及时率"},
	};
	XlsxCell *acells = arena_alloc(&r->arena, sizeof *acells * (size_t)(c.nareas + 2) * 6);
	for (int i = 0; i <= c.nareas; i++) {
		int all = i == c.nareas;
		const char *name = all ? "合计" : c.areas[i].name;
		int e = all ? c.expected : c.areas[i].expected, rp = all ? c.reported : c.areas[i].reported,
		    ot = all ? c.on_time : c.areas[i].on_time;
		XlsxCell *row = &acells[i * 6];
		row[0] = xlsx_str(name);
		row[1] = xlsx_num(e);
		row[2] = xlsx_num(rp);
		row[3] = xlsx_num(ot);
		row[4] = xlsx_str(fmt_percent(&r->arena, e ? (double)rp / e : 0));
		row[5] = xlsx_str(fmt_percent(&r->arena, e ? (double)ot / e : 0));
	}
	XlsxTable t[2] = {
		{.name = "报送明细", .cols = cols, .ncols = 6, .cells = cells, .nrows = c.nrows, .input_rows = c.nrows + 1},
		{.name = "各区域", .cols = acols, .ncols = 6, .cells = acells, .nrows = c.nareas + 1, .input_rows = c.nareas + 2},
	};
	const char *label = period_label(&r->arena, c.form, &c.period);
	const char *lines[] = {
		arena_printf(&r->arena, "%s《%s》完成情况", label, c.form->name),
		arena_printf(&r->arena, "截止：北京时间 %s；应报单位为本期内已存在并在运营的单位。", until_bj(&r->arena, c.period.due)),
		"按时：首次报送在截止时间之前。",
		NULL,
	};
	XlsxBook book = {.tables = t, .ntables = 2, .instructions = lines};
	Buf out = {0};
	char err[256];
	if (xlsx_write_table(NULL, &out, &book, err, sizeof err) != H_OK) {
		buf_free(&out);
		http_error(r, 500, "export_failed", err);
		return;
	}
	buf_free(&r->out);
	r->out = out;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_attachment(r, arena_printf(&r->arena, "completeness-%s-%s.xlsx", c.form->code, c.period.key),
	                arena_printf(&r->arena, "%s%s完成情况.xlsx", label, c.form->short_name));
}

/* Reads the orgs ticked (sel_ORG=1) among a period's expected reporters. */
static int ticked_orgs(Req *r, const Completeness *c, const char ***out)
{
	const char **v = arena_alloc(&r->arena, sizeof *v * (size_t)(c->nrows + 1));
	int n = 0;
	for (int i = 0; i < c->nrows; i++) {
		const char *x = req_form(r, arena_printf(&r->arena, "sel_%s", c->rows[i].org.org));
		if (x && *x)
			v[n++] = c->rows[i].org.org;
	}
	*out = v;
	return n;
}

/* WEBPAGE: POST /reports/{form}/{period}/approve — batch approval (sel_ORG=1 ...) */
void page_report_batch(Req *r)
{
	Actor actor = req_actor(r);
	time_t now = report_now();
	Completeness c;
	ReportOutcome o = {0};
	if (report_completeness(r->store, &r->arena, r->plan, r->params[0], r->params[1],
	                        r->role == ROLE_AREA ? r->session->user.scope : NULL, now, &c, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	const char **orgs;
	int n = ticked_orgs(r, &c, &orgs), done, skipped;
	if (report_batch_approve(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], orgs, n, now, &done,
	                         &skipped, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	Buf u = {0};
	html_printf(&u, "/reports/%u/%u?done=batch&n=%d&k=%d", r->params[0], r->params[1], done, skipped);
	http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
	buf_free(&u);
}

/* WEBPAGE: POST /reports/{form}/{period}/remind — reminds every reporter not yet reported */
void page_report_remind(Req *r)
{
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	int sent;
	if (report_remind(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], NULL, 0, report_now(), &sent,
	                  &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	Buf u = {0};
	html_printf(&u, "/reports/%u/%u?done=reminded&n=%d#chase", r->params[0], r->params[1], sent);
	http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
	buf_free(&u);
}

/* WEBPAGE: POST /reports/{form}/{period}/exception — org, days, reason */
void page_report_exception(Req *r)
{
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	const char *days = req_form(r, "days");
	long long nd = 0;
	if (days)
		parse_int(days, 0, 1000, &nd);
	if (report_grant_exception(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], req_form(r, "org"),
	                           (int)nd, req_form(r, "reason"), report_now(), &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	Buf u = {0};
	html_printf(&u, "/reports/%u/%u?done=exception", r->params[0], r->params[1]);
	http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
	buf_free(&u);
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
	            f->name, v->org.name, label, status_class(status), report_status_zh(f, status, v->exists ? v->rec.stage : 0));
	if (flash)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>", flash);
	html_printf(b, "<p class=\"muted\" id=\"window\">截止：北京时间 %h；%h关闭。当前：%h。</p>", until_bj(&r->arena, v->period.due),
	            until_bj(&r->arena, v->period.closes), state_zh(v->state));
	if (v->exception_until && time_parse(v->exception_until) > now)
		html_printf(b, "<p class=\"form-ok\">市专班办公室已开放补报，截至北京时间 %h。</p>",
		            until_bj(&r->arena, time_parse(v->exception_until)));
	if (v->exists && !strcmp(status, "returned") && v->rec.return_reason)
		html_printf(b, "<p class=\"form-error\" id=\"return-reason\" role=\"alert\">退回原因：%h（%h，北京时间 %h）</p>",
		            v->rec.return_reason, v->rec.returned_by ? v->rec.returned_by : "",
		            time_bj(&r->arena, v->rec.returned_at));
	else if (v->exists && v->rec.return_reason && !strcmp(status, "draft"))
		html_printf(b, "<p class=\"form-error\" id=\"return-reason\">%h</p>", v->rec.return_reason);
	if (v->exists && v->rec.unlock_reason)
		html_printf(b, "<p class=\"form-error\" id=\"unlock-request\">解锁申请：%h（%h）</p>", v->rec.unlock_reason,
		            v->rec.unlock_by ? v->rec.unlock_by : "");
	for (int i = 0; i < v->nreminders && i < 3; i++)
		html_printf(b, "<p class=\"muted reminder\">催报：%h（北京时间 %h）</p>", v->reminders[i].text,
		            time_bj(&r->arena, v->reminders[i].sent_at));
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
		            report_url(&r->arena, f->code, v->period.key, v->org.org));
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
	const char *url = report_url(&r->arena, f->code, v->period.key, v->org.org);
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
			html_printf(b, "首次报送：北京时间 %h。", time_bj(&r->arena, v->rec.first_submitted_at));
		if (v->rec.approved_by)
			html_printf(b, "区域审核：%h，北京时间 %h。", v->rec.approved_by, time_bj(&r->arena, v->rec.approved_at));
		if (v->rec.accepted_by)
			html_printf(b, "市专班确认：%h，北京时间 %h。", v->rec.accepted_by, time_bj(&r->arena, v->rec.accepted_at));
		html_printf(b, "</p>");
	}
	page_end(r);
}

/* WEBPAGE: GET /reports/{form}/{period}/{org} — one report: entry or review */
void page_report(Req *r)
{
	Actor actor = req_actor(r);
	ReportView v;
	ReportOutcome o = {0};
	if (report_view(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], report_now(), &v, &o) !=
	    200) {
		send_outcome_error(r, &o);
		return;
	}
	Issues none = {0};
	render_report(r, &v, v.rights.edit || !v.exists ? &v.issues : &none, 0, done_text(r, v.form));
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
	if (report_view(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], now, &v, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
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
		html_printf(&u, "%h?done=%h", report_url(&r->arena, r->params[0], r->params[1], r->params[2]),
		            submit ? "submitted" : o.issues.hard || o.issues.soft_open ? "saved_issues" : "saved");
		http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
		buf_free(&u);
		return;
	}
	if (o.status != 422) {
		send_outcome_error(r, &o);
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
		send_outcome_error(r, &o);
		return;
	}
	Buf u = {0};
	html_printf(&u, "%h?done=%u", report_url(&r->arena, r->params[0], r->params[1], r->params[2]), action);
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

/* ---- the API ---- */

static json_t *issues_json(const Issues *is)
{
	json_t *arr = json_array();
	for (int i = 0; i < is->n; i++)
		json_array_append_new(arr, json_pack("{s:s?,s:s,s:b,s:b}", "field", is->v[i].field, "message", is->v[i].message,
		                                     "soft", is->v[i].soft, "explained", is->v[i].explained));
	return arr;
}

static json_t *view_json(Req *r, const ReportView *v)
{
	const Form *f = v->form;
	const char *status = v->exists ? v->rec.status : "none";
	json_t *data = report_data_json(f, v->data, 1), *last = report_data_json(f, v->last, 0);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "form", f->code, "period", v->period.key, "org",
	                      v->org.org, "name", v->org.name, "area", v->org.area, "status", status, "status_zh",
	                      report_status_zh(f, status, v->exists ? v->rec.stage : 0), "stage", v->exists ? v->rec.stage : 0);
	json_object_set(o, "values", json_object_get(data, "values"));
	json_object_set(o, "notes", json_object_get(data, "notes"));
	json_decref(data);
	json_object_set_new(o, "last_values", last);
	json_object_set_new(o, "issues", issues_json(&v->issues));
	json_object_set_new(o, "window", json_pack("{s:s,s:s,s:s,s:s}", "opens", iso_bj(&r->arena, v->period.opens), "due",
	                                           iso_bj(&r->arena, v->period.due - 1), "closes",
	                                           iso_bj(&r->arena, v->period.closes - 1), "state", v->state));
	if (v->exists) {
		const ReportRec *x = &v->rec;
		json_object_set_new(o, "submitted_at", x->submitted_at ? json_string(iso_bj_text(&r->arena, x->submitted_at)) : json_null());
		json_object_set_new(o, "first_submitted_at",
		                    x->first_submitted_at ? json_string(iso_bj_text(&r->arena, x->first_submitted_at)) : json_null());
		json_object_set_new(o, "approved_by", x->approved_by ? json_string(x->approved_by) : json_null());
		json_object_set_new(o, "accepted_by", x->accepted_by ? json_string(x->accepted_by) : json_null());
		json_object_set_new(o, "accepted_at", x->accepted_at ? json_string(iso_bj_text(&r->arena, x->accepted_at)) : json_null());
		json_object_set_new(o, "return_reason", x->return_reason ? json_string(x->return_reason) : json_null());
		json_object_set_new(o, "unlock_reason", x->unlock_reason ? json_string(x->unlock_reason) : json_null());
	}
	if (v->exception_until)
		json_object_set_new(o, "exception_until", json_string(iso_bj_text(&r->arena, v->exception_until)));
	const ReportRights *rt = &v->rights;
	json_object_set_new(o, "can", json_pack("{s:b,s:b,s:b,s:b,s:b,s:b}", "edit", rt->edit, "approve", rt->approve, "accept",
	                                        rt->accept, "return", rt->ret, "request_unlock", rt->request_unlock, "unlock",
	                                        rt->grant_unlock));
	return o;
}

static json_t *field_json(const FormItem *fd)
{
	static const char *const types[] = {"integer", "number", "money", "area", "text", "choice", "date", "list"};
	json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "code", fd->code, "label", fd->label, "type", types[fd->type], "required",
	                      fd->required);
	if (fd->unit)
		json_object_set_new(o, "unit", json_string(fd->unit));
	if (fd->type == FK_MONEY)
		json_object_set_new(o, "api_unit", json_string("元"));
	if (fd->counts_as)
		json_object_set_new(o, "counts_as", json_string(fd->counts_as));
	if (fd->noptions) {
		json_t *opts = json_array();
		for (int i = 0; i < fd->noptions; i++)
			json_array_append_new(opts, json_pack("{s:s,s:s}", "code", fd->options[i].code, "label", fd->options[i].label));
		json_object_set_new(o, "options", opts);
	}
	if (fd->ncolumns) {
		json_t *cols = json_array();
		for (int i = 0; i < fd->ncolumns; i++)
			json_array_append_new(cols, field_json(&fd->columns[i]));
		json_object_set_new(o, "columns", cols);
	}
	return o;
}

/* API: GET /api/v1/reports — the forms with their fields, periods and approval levels */
void api_report_forms(Req *r)
{
	const FormSet *fs = reports_forms(r->store, r->plan);
	if (!fs) {
		http_error(r, 500, "no_forms", "报表定义无法读取。");
		return;
	}
	static const char *const per[] = {"monthly", "quarterly", "yearly"};
	json_t *arr = json_array();
	for (int k = 0; k < fs->nforms; k++) {
		const Form *f = &fs->forms[k];
		json_t *fields = json_array(), *appr = json_array();
		for (int i = 0; i < f->nfields; i++)
			json_array_append_new(fields, field_json(&f->fields[i]));
		for (int i = 0; i < f->napproval; i++)
			json_array_append_new(appr, json_string(f->approval[i]));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:{s:s,s:i,s:i,s:i},s:o}", "code", f->code, "name", f->name,
		                                     "period", per[f->period], "reporter", f->reporter, "approval", appr, "window",
		                                     "opens_from", f->opens_from_end ? "end" : "start", "opens_days", f->opens_days,
		                                     "due_days", f->due_days, "closes_days", f->closes_days, "fields", fields));
	}
	http_json(r, 200, json_pack("{s:o}", "forms", arr));
}

/* API: GET /api/v1/reports/{form}/{period}?area= — completeness and timeliness */
void api_report_period(Req *r)
{
	Completeness c;
	ReportOutcome o = {0};
	time_t now = report_now();
	const char *area = r->role == ROLE_AREA ? r->session->user.scope : req_query(r, "area");
	if (area && !*area)
		area = NULL;
	if (area && !plan_area(r->plan, area)) {
		http_error(r, 400, "bad_area", "没有这个区域。");
		return;
	}
	if (report_completeness(r->store, &r->arena, r->plan, r->params[0], r->params[1], area, now, &c, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	json_t *items = json_array(), *areas = json_array();
	for (int i = 0; i < c.nrows; i++) {
		const CompletenessRow *x = &c.rows[i];
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s?,s:b,s:b,s:b,s:i}", "org", x->org.org, "name", x->org.name,
		                                       "area", x->org.area, "status", x->status, "first_submitted_at",
		                                       x->submitted_at ? iso_bj_text(&r->arena, x->submitted_at) : NULL, "reported",
		                                       x->reported, "on_time", x->on_time, "late", x->late, "reminders", x->reminders));
	}
	for (int i = 0; i < c.nareas; i++)
		json_array_append_new(areas, json_pack("{s:s,s:s,s:i,s:i,s:i}", "area", c.areas[i].area, "name", c.areas[i].name,
		                                       "expected", c.areas[i].expected, "reported", c.areas[i].reported, "on_time",
		                                       c.areas[i].on_time));
	json_t *res = json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:s},s:i,s:i,s:i,s:i,s:i,s:i,s:f,s:f,s:o,s:o}", "form", c.form->code,
	                        "period", c.period.key, "state", c.state, "window", "opens", iso_bj(&r->arena, c.period.opens),
	                        "due", iso_bj(&r->arena, c.period.due - 1), "closes", iso_bj(&r->arena, c.period.closes - 1), "expected",
	                        c.expected, "reported", c.reported, "on_time", c.on_time, "accepted", c.accepted, "waiting",
	                        c.waiting, "late", c.late, "completeness", c.expected ? (double)c.reported / c.expected : 0.0,
	                        "timeliness", c.expected ? (double)c.on_time / c.expected : 0.0, "items", items, "areas", areas);
	http_json(r, 200, res);
}

/* API: GET /api/v1/reports/{form}/{period}/{org} */
void api_report_get(Req *r)
{
	Actor actor = req_actor(r);
	ReportView v;
	ReportOutcome o = {0};
	if (report_view(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], report_now(), &v, &o) !=
	    200) {
		send_outcome_error(r, &o);
		return;
	}
	http_json(r, 200, view_json(r, &v));
}

/* Saves (and with submit, submits) the body's values; answers the report. */
static void api_save(Req *r, int submit)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor actor = req_actor(r);
	time_t now = report_now();
	ReportView v;
	ReportOutcome o = {0};
	if (report_view(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], now, &v, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	ReportData *d = v.data;
	if (!submit || json_object_get(j, "values")) {
		d = report_data_new(&r->arena, v.form);
		report_data_from_json(&r->arena, v.form, &v.period, j, d, &o.issues);
	} else if (json_object_get(j, "notes")) {
		json_t *only = json_pack("{s:O}", "notes", json_object_get(j, "notes"));
		report_data_from_json(&r->arena, v.form, &v.period, only, d, &o.issues);
		json_decref(only);
	}
	if (report_save(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], d, submit, now, &o) !=
	    200) {
		send_outcome_error(r, &o);
		return;
	}
	const char *msg = o.message;
	if (report_view(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], now, &v, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	json_t *res = view_json(r, &v);
	json_object_set_new(res, "message", json_string(msg ? msg : ""));
	http_json(r, 200, res);
}

/* API: PUT /api/v1/reports/{form}/{period}/{org} {"values":{...},"notes":{...}} — save a draft */
void api_report_put(Req *r)
{
	api_save(r, 0);
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/submit {["values"], ["notes"]} */
void api_report_submit(Req *r)
{
	api_save(r, 1);
}

static void api_act(Req *r, const char *action)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	if (report_act(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], action,
	               json_string_value(json_object_get(j, "reason")), report_now(), &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	ReportView v;
	const char *msg = o.message;
	if (report_view(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], report_now(), &v, &o) !=
	    200) {
		send_outcome_error(r, &o);
		return;
	}
	json_t *res = view_json(r, &v);
	json_object_set_new(res, "message", json_string(msg ? msg : ""));
	http_json(r, 200, res);
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/approve {} */
void api_report_approve(Req *r)
{
	api_act(r, "approve");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/accept {} */
void api_report_accept(Req *r)
{
	api_act(r, "accept");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/return {"reason"} */
void api_report_return(Req *r)
{
	api_act(r, "return");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/unlock-request {"reason"} */
void api_report_unlock_request(Req *r)
{
	api_act(r, "unlock_request");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/unlock {"reason"} */
void api_report_unlock(Req *r)
{
	api_act(r, "unlock");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/exception {"days","reason"} */
void api_report_exception(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	json_t *days = json_object_get(j, "days");
	if (report_grant_exception(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2],
	                           json_is_integer(days) ? (int)json_integer_value(days) : 0,
	                           json_string_value(json_object_get(j, "reason")), report_now(), &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", o.message));
}

/* Reads {"orgs": ["feiyun", "base-10"]} (at most 2000). NULL after answering 400. */
static const char **body_orgs(Req *r, json_t *j, int *n, int required)
{
	json_t *arr = json_object_get(j, "orgs");
	*n = 0;
	if (!arr && !required)
		return NULL;
	if (!json_is_array(arr) || json_array_size(arr) > 2000) {
		http_error(r, 400, "bad_input", "orgs 应为填报单位的列表，如 [\"feiyun\", \"base-10\"]。");
		return (const char **)-1;
	}
	const char **v = arena_alloc(&r->arena, sizeof *v * (json_array_size(arr) + 1));
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		if (!json_is_string(x)) {
			http_error(r, 400, "bad_input", "orgs 中的每一项应为文字。");
			return (const char **)-1;
		}
		v[(*n)++] = json_string_value(x);
	}
	return v;
}

/* API: POST /api/v1/reports/{form}/{period}/remind {["orgs"]} — 催报 (all not reported when orgs is absent) */
void api_report_remind(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	int n;
	const char **orgs = body_orgs(r, j, &n, 0);
	if (orgs == (const char **)-1)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	int sent;
	if (report_remind(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], orgs, n, report_now(), &sent, &o) !=
	    200) {
		send_outcome_error(r, &o);
		return;
	}
	http_json(r, 200, json_pack("{s:i,s:s}", "sent", sent, "message", o.message));
}

/* API: POST /api/v1/reports/{form}/{period}/approve {"orgs"} — batch approval */
void api_report_batch(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	int n;
	const char **orgs = body_orgs(r, j, &n, 1);
	if (orgs == (const char **)-1)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	int done, skipped;
	if (report_batch_approve(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], orgs, n, report_now(), &done,
	                         &skipped, &o) != 200) {
		send_outcome_error(r, &o);
		return;
	}
	http_json(r, 200, json_pack("{s:i,s:i,s:s}", "done", done, "skipped", skipped, "message", o.message));
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
			            report_url(&r->arena, due[i].form->code, due[i].period.key, own_org(r)),
			            period_label(&r->arena, due[i].form, &due[i].period), due[i].form->short_name,
			            until_bj(&r->arena, due[i].period.due), !strcmp(due[i].status, "draft") ? "（已存草稿）" : "");
		html_printf(b, "</ul>");
	}
	todo_section(r, &t, fs);
	if (!nd && !t.nreturned && !t.nwaiting && !t.nunlocks && !t.nreminders)
		html_printf(b, "<p class=\"muted\">没有待办的报表。各期报表见<a href=\"/reports\">填报</a>。</p>");
	html_printf(b, "</section>\n");
}
