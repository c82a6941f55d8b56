/*
 * page_reports_period.c — 填报: the office's (and an area's) page of one
 * form and period: who has reported, on time or late, 催报 to those who
 * have not, batch approval of what waits for the viewer's level, a late
 * report allowed for one organisation, and the table as a workbook. The
 * work is reports.c's; shared helpers are page_reports.c's.
 *   GET  /reports/{form}/{period}                    completeness and timeliness
 *   GET  /reports/{form}/{period}/completeness.xlsx  the same as a workbook
 *   POST /reports/{form}/{period}/approve|remind|exception
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_reports.h"
#include "reports.h"
#include "xlsx_write.h"

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
		reports_page_refuse(r, &o);
		return;
	}
	const Form *f = c.form;
	Buf *b = &r->out;
	const char *label = period_label(&r->arena, f, &c.period);
	page_begin(r, arena_printf(&r->arena, "%s · %s", label, f->short_name), "reports");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/reports\">填报</a> › %h</p><h1>%h《%h》完成情况</h1>\n", f->short_name, label,
	            f->name);
	const char *done = reports_page_done(r, f);
	if (done)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>", done);
	html_printf(b, "<p>开始填报：%h；截止：%h；关闭：%h（北京时间）。当前：<strong>%h</strong>。</p>\n",
	            reports_page_until(&r->arena, c.period.opens + 60), reports_page_until(&r->arena, c.period.due),
	            reports_page_until(&r->arena, c.period.closes), reports_page_state(c.state));
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
		            reports_page_url(&r->arena, f->code, c.period.key, x->org.org), x->org.name, reports_page_status_class(x->status),
		            report_status_zh(f, x->status, x->stage), x->late ? " · 逾期" : "", "", ar ? ar->name : x->org.area,
		            x->submitted_at ? fmt_time(&r->arena, x->submitted_at) : "—",
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
		reports_page_refuse(r, &o);
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
		row[3] = xlsx_str(x->submitted_at ? fmt_time(&r->arena, x->submitted_at) : NULL);
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
		arena_printf(&r->arena, "截止：北京时间 %s；应报单位为本期内已存在并在运营的单位。", reports_page_until(&r->arena, c.period.due)),
		"按时：首次报送在截止时间之前。",
		NULL,
	};
	XlsxBook book = {.tables = t, .ntables = 2, .instructions = lines};
	page_send_xlsx(r, &book, arena_printf(&r->arena, "completeness-%s-%s.xlsx", c.form->code, c.period.key),
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
		reports_page_refuse(r, &o);
		return;
	}
	const char **orgs;
	int n = ticked_orgs(r, &c, &orgs), done, skipped;
	if (report_batch_approve(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], orgs, n, now, &done,
	                         &skipped, &o) != 200) {
		reports_page_refuse(r, &o);
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
		reports_page_refuse(r, &o);
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
		reports_page_refuse(r, &o);
		return;
	}
	Buf u = {0};
	html_printf(&u, "/reports/%u/%u?done=exception", r->params[0], r->params[1]);
	http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
	buf_free(&u);
}

