/*
 * page_events.c — the pages and API of events (三(七)) and the roadshow
 * pipeline (常态化路演机制): /events (the list with each event's funnel),
 * /events/new, /events/{id} (the event, its projects and their steps, the
 * forms to register a project and record a step), /events/{id}/edit,
 * /roadshows (what each roadshow brought: the projects and investments,
 * the funnel and the conversion), and /api/v1/events. The work is
 * events.c's; this parses, calls and renders. Phone first: lists are
 * table.cards, which become cards at 390 px.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "events.h"
#include "page.h"
#include "page_records.h"
#include "plan.h"
#include "session.h"
#include "tasks.h"
#include "workbench.h"

/* ---- shared pieces ---- */

static const char *area_label(Req *r, const char *area)
{
	return area ? area_name(r->plan, area) : "全市";
}

static const char *event_dates(Req *r, const EventRec *e)
{
	if (e->ends_on && strcmp(e->ends_on, e->starts_on))
		return arena_printf(&r->arena, "%s 至 %s", e->starts_on, e->ends_on);
	return e->starts_on;
}

/* The funnel as one line of steps with their counts. */
static void write_funnel(Req *r, const EventFunnel *f)
{
	html_printf(&r->out,
	            "<p class=\"funnel\">报名 <strong>%lld</strong> → 路演 <strong>%lld</strong> → 投资意向 <strong>%lld</strong> → "
	            "尽职调查 <strong>%lld</strong> → 获得投资 <strong>%lld</strong>（%h）· 落地入驻 <strong>%lld</strong>"
	            "；终止 %lld；转化率 <strong>%h</strong></p>\n",
	            f->registered, f->presented, f->interest, f->diligence, f->invested, fmt_money(&r->arena, f->invested_yuan),
	            f->settled, f->dropped, f->presented ? fmt_percent(&r->arena, event_conversion(f)) : "—");
}

/* The funnel of one event's rows (as store_events counts it). */
static void funnel_of(const PipelineRec *ps, int np, EventFunnel *f)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < np; i++) {
		f->registered++;
		f->presented += ps[i].presented_on != NULL;
		f->interest += ps[i].interest_on != NULL;
		f->diligence += ps[i].diligence_on != NULL;
		f->invested += ps[i].invested_on != NULL;
		f->settled += ps[i].settled_on != NULL;
		f->dropped += ps[i].dropped_on != NULL;
		f->converted += ps[i].invested_on || ps[i].settled_on;
		f->invested_yuan += ps[i].investment_id > 0 ? ps[i].amount_yuan : 0;
	}
}

/* ?kind= ?year= ?area= of a list, checked; 0 after answering 400. */
static int read_filter(Req *r, EventFilter *f, int *year)
{
	memset(f, 0, sizeof *f);
	const char *kind = req_query(r, "kind");
	if (kind && *kind) {
		int ok = 0;
		for (int i = 0; event_kinds[i]; i++)
			ok |= !strcmp(kind, event_kinds[i]);
		if (!ok) {
			http_error(r, 400, "bad_kind", "活动类型应为 summit、contest、activity_week、pro_contest、roadshow、site_meeting 或 other。");
			return 0;
		}
		f->kind = kind;
	}
	const char *area = req_query(r, "area");
	if (area && *area) {
		const Area *ar = plan_area(r->plan, area);
		if (!ar || !ar->parent) {
			http_error(r, 400, "bad_area", "区域应为本市的镇街或功能区代码。");
			return 0;
		}
		f->area = ar->code;
	}
	long long y;
	if (!req_query_int(r, "year", 2000, 2100, 0, &y))
		return 0;
	*year = (int)y;
	if (y) {
		f->from = arena_printf(&r->arena, "%04lld-01-01", y);
		f->to = arena_printf(&r->arena, "%04lld-12-31", y);
	}
	return 1;
}

/* ---- the list ---- */

/* WEBPAGE: GET /events — every event with its funnel ?kind=&year=&area= */
void page_events(Req *r)
{
	EventFilter f;
	int year = 0, limit, offset, page;
	if (!read_filter(r, &f, &year) || !req_paging(r, 50, &limit, &offset, &page))
		return;
	f.limit = limit;
	f.offset = offset;
	EventRow *rows;
	long long total = 0;
	EventFunnel sum;
	int n = store_events(r->store, &r->arena, &f, &rows, &total, &sum);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	Actor who = req_actor(r);
	page_begin(r, "活动与路演", "events");
	html_printf(b, "<h1>活动与路演</h1><p class=\"lead\">峰会、创新创业大赛、双创活动周、专业赛事、路演和现场会；"
	               "每场活动带来的项目从报名到获得投资或落地入驻逐步记录。</p>\n");
	html_printf(b, "<ul class=\"links\"><li><a href=\"/roadshows\">路演转化</a></li>%s</ul>\n",
	            event_may_create(&who) ? "<li><a href=\"/events/new\">登记活动</a></li>" : "");
	html_printf(b, "<form method=\"get\" action=\"/events\" class=\"filters\"><div class=\"field\"><label for=\"f-kind\">类型</label>"
	               "<select id=\"f-kind\" name=\"kind\"><option value=\"\">全部</option>");
	for (int i = 0; event_kinds[i]; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", event_kinds[i], f.kind && !strcmp(f.kind, event_kinds[i]) ? " selected" : "",
		            event_kind_zh(event_kinds[i]));
	html_printf(b, "</select></div>");
	form_input(r, "year", "年份", "number", year ? arena_printf(&r->arena, "%d", year) : "", NULL, " min=\"2000\" max=\"2100\"");
	html_printf(b, "<button type=\"submit\">查询</button> <a href=\"/events\">重置</a></form>\n");
	html_printf(b, "<p>共 %lld 场。</p>", total);
	write_funnel(r, &sum);
	if (n == 0) {
		html_printf(b, "<p class=\"muted\">暂无活动。%s</p>", event_may_create(&who) ? "点“登记活动”登记一场。" : "");
		page_end(r);
		return;
	}
	html_printf(b, "<div class=\"table-wrap cards\"><table class=\"data cards\" id=\"events\"><thead><tr><th scope=\"col\">活动</th>"
	               "<th scope=\"col\">状态</th><th scope=\"col\">类型</th><th scope=\"col\">日期</th><th scope=\"col\">主办单位</th>"
	               "<th scope=\"col\">区域</th><th scope=\"col\" class=\"num\">路演项目</th><th scope=\"col\" class=\"num\">获得投资</th>"
	               "<th scope=\"col\" class=\"num\">落地</th><th scope=\"col\" class=\"num\">转化率</th></tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		const EventRec *e = &rows[i].e;
		const EventFunnel *fu = &rows[i].f;
		html_printf(b, "<tr><th scope=\"row\"><a href=\"/events/%lld\">%h</a></th><td class=\"status-cell\">%h</td>"
		               "<td data-label=\"类型\">%h</td><td data-label=\"日期\">%h</td><td data-label=\"主办\" class=\"minor\">%h</td>"
		               "<td data-label=\"区域\">%h</td><td data-label=\"路演项目\" class=\"num\">%lld</td>"
		               "<td data-label=\"获得投资\" class=\"num\">%lld</td><td data-label=\"落地\" class=\"num\">%lld</td>"
		               "<td data-label=\"转化率\" class=\"num\">%h</td></tr>\n",
		            e->id, e->name, event_status_zh(e->status), event_kind_zh(e->kind), event_dates(r, e), e->organiser,
		            area_label(r, e->area), fu->presented, fu->invested, fu->settled,
		            fu->presented ? fmt_percent(&r->arena, event_conversion(fu)) : "—");
	}
	html_printf(b, "</tbody></table></div>\n");
	if (total > offset + n)
		html_printf(b, "<nav class=\"pager\"><a href=\"/events?kind=%u&amp;year=%u&amp;offset=%d\">下一页 →</a></nav>", f.kind ? f.kind : "",
		            year ? arena_printf(&r->arena, "%d", year) : "", offset + n);
	page_end(r);
}

/* ---- the form ---- */

static void write_select_open(Req *r, const char *name, const char *label, const char *error)
{
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\">",
	            error ? " has-error" : "", name, label, name, name);
}

static void write_select_close(Req *r, const char *name, const char *error)
{
	html_printf(&r->out, "</select>");
	if (error)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-%h\">%h</p>", name, error);
	html_printf(&r->out, "</div>\n");
}

static void write_option(Req *r, const char *value, const char *label, const char *current)
{
	html_printf(&r->out, "<option value=\"%h\"%s>%h</option>", value,
	            current && !strcmp(current, value) ? " selected" : "", label);
}

static void write_textarea(Req *r, const char *name, const char *label, const char *value, const char *error)
{
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%h\">%h</label><textarea id=\"f-%h\" name=\"%h\" rows=\"3\">%h</textarea>",
	            error ? " has-error" : "", name, label, name, name, value ? value : "");
	if (error)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-%h\">%h</p>", name, error);
	html_printf(&r->out, "</div>\n");
}

/* The event form, filled from v (what was typed or stored), with errors. */
static void write_event_form(Req *r, const char *action, const EventInput *v, const EventErrors *errs, const char *title)
{
	Buf *b = &r->out;
	Actor who = req_actor(r);
	html_printf(b, "<form method=\"post\" action=\"%h\" class=\"card\" id=\"event-form\"><h2>%h</h2>", action, title);
	form_csrf(r);
	if (errs && errs->n)
		html_printf(b, "<p class=\"form-error\" role=\"alert\">填写有误，请按提示修改后重新提交。</p>");
	write_select_open(r, "kind", "活动类型", event_error(errs, "kind"));
	for (int i = 0; event_kinds[i]; i++)
		write_option(r, event_kinds[i], event_kind_zh(event_kinds[i]), v->kind);
	write_select_close(r, "kind", event_error(errs, "kind"));
	form_input(r, "name", "活动名称", "text", v->name, event_error(errs, "name"), " maxlength=\"100\" required");
	form_input(r, "organiser", "主办单位", "text", v->organiser, event_error(errs, "organiser"),
	           " maxlength=\"100\" required placeholder=\"如：市科协、市科技局\"");
	form_input(r, "starts_on", "开始日期", "date", v->starts_on, event_error(errs, "starts_on"), " required");
	form_input(r, "ends_on", "结束日期（一天的活动不填）", "date", v->ends_on, event_error(errs, "ends_on"), NULL);
	form_input(r, "place", "地点", "text", v->place, event_error(errs, "place"), " maxlength=\"100\"");
	write_select_open(r, "mode", "举办方式", event_error(errs, "mode"));
	write_option(r, "offline", "线下", v->mode);
	write_option(r, "online", "线上", v->mode);
	write_option(r, "both", "线上线下结合", v->mode);
	write_select_close(r, "mode", event_error(errs, "mode"));
	if (who.role == ROLE_ADMIN) {
		write_select_open(r, "area", "所属区域", event_error(errs, "area"));
		write_option(r, "", "全市", v->area);
		for (int i = 0; i < r->plan->nareas; i++)
			if (r->plan->areas[i].parent)
				write_option(r, r->plan->areas[i].code, r->plan->areas[i].name, v->area);
		write_select_close(r, "area", event_error(errs, "area"));
	}
	if (who.role != ROLE_BASE) {
		Base *bases;
		int nb = store_bases(r->store, &r->arena, who.role == ROLE_AREA ? who.scope : NULL, &bases);
		write_select_open(r, "base_id", "承办孵化基地", event_error(errs, "base_id"));
		write_option(r, "", "无", v->base_id);
		for (int i = 0; i < nb; i++)
			write_option(r, arena_printf(&r->arena, "%lld", bases[i].id), bases[i].name, v->base_id);
		write_select_close(r, "base_id", event_error(errs, "base_id"));
	}
	form_input(r, "participants", "参与人数", "number", v->participants, event_error(errs, "participants"),
	           " min=\"0\" max=\"1000000\" inputmode=\"numeric\"");
	write_select_open(r, "status", "状态", event_error(errs, "status"));
	write_option(r, "planned", "筹备中", v->status);
	write_option(r, "held", "已举办", v->status);
	write_option(r, "cancelled", "已取消", v->status);
	write_select_close(r, "status", event_error(errs, "status"));
	write_textarea(r, "attendees", "参会单位和人员（现场会必填）", v->attendees, event_error(errs, "attendees"));
	write_textarea(r, "summary", "活动简介", v->summary, event_error(errs, "summary"));
	html_printf(b, "<p class=\"actions\"><button type=\"submit\">保存</button></p></form>\n");
}

/* What the form posted (a field left out stays NULL). */
static EventInput form_event_input(Req *r)
{
	EventInput in = {
		.kind = req_form(r, "kind"), .name = req_form(r, "name"), .organiser = req_form(r, "organiser"),
		.area = req_form(r, "area"), .base_id = req_form(r, "base_id"), .starts_on = req_form(r, "starts_on"),
		.ends_on = req_form(r, "ends_on"), .place = req_form(r, "place"), .mode = req_form(r, "mode"),
		.participants = req_form(r, "participants"), .attendees = req_form(r, "attendees"),
		.summary = req_form(r, "summary"), .status = req_form(r, "status"),
	};
	return in;
}

/* WEBPAGE: GET /events/new */
void page_event_new(Req *r)
{
	EventInput v = {.kind = "roadshow", .mode = "offline", .status = "planned"};
	page_begin(r, "登记活动", "events");
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/events\">活动与路演</a> › 登记活动</p><h1>登记活动</h1>\n");
	write_event_form(r, "/events/new", &v, NULL, "活动信息");
	page_end(r);
}

/* WEBPAGE: POST /events/new */
void page_event_create(Req *r)
{
	Actor who = req_actor(r);
	EventInput in = form_event_input(r);
	EventErrors errs;
	long long id = 0;
	DomResult res = event_create(r->store, &who, &in, &errs, &id);
	if (res.code == DOM_INVALID && errs.n) {
		r->status = 400;
		page_begin(r, "登记活动", "events");
		html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/events\">活动与路演</a> › 登记活动</p><h1>登记活动</h1>\n");
		write_event_form(r, "/events/new", &in, &errs, "活动信息");
		page_end(r);
		return;
	}
	page_done(r, res, arena_printf(&r->arena, "/events/%lld", id));
}

/* The stored event as form values. */
static EventInput event_as_input(Req *r, const EventRec *e)
{
	EventInput v = {
		.kind = e->kind, .name = e->name, .organiser = e->organiser, .area = e->area ? e->area : "",
		.base_id = e->base_id > 0 ? arena_printf(&r->arena, "%lld", e->base_id) : "", .starts_on = e->starts_on,
		.ends_on = e->ends_on, .place = e->place, .mode = e->mode,
		.participants = e->participants >= 0 ? arena_printf(&r->arena, "%lld", e->participants) : "",
		.attendees = e->attendees, .summary = e->summary, .status = e->status,
	};
	return v;
}

/* The event of the route's {id}; NULL after answering 404/500. */
static EventRec *load_event(Req *r)
{
	EventRec *e = arena_alloc(&r->arena, sizeof *e);
	int found = store_event_get(r->store, &r->arena, req_param_int(r, "id"), e);
	if (found < 0)
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
	else if (!found)
		http_error(r, 404, "not_found", "没有这项活动。");
	return found == 1 ? e : NULL;
}

/* WEBPAGE: GET /events/{id}/edit */
void page_event_edit(Req *r)
{
	EventRec *e = load_event(r);
	if (!e)
		return;
	EventInput v = event_as_input(r, e);
	page_begin(r, arena_printf(&r->arena, "%s · 修改", e->name), "events");
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/events\">活动与路演</a> › <a href=\"/events/%lld\">%h</a> › 修改</p>"
	                     "<h1>修改活动</h1>\n", e->id, e->name);
	write_event_form(r, arena_printf(&r->arena, "/events/%lld/edit", e->id), &v, NULL, "活动信息");
	page_end(r);
}

/* WEBPAGE: POST /events/{id}/edit */
void page_event_update(Req *r)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	EventInput in = form_event_input(r);
	EventErrors errs;
	DomResult res = event_update(r->store, &who, id, &in, &errs);
	if (res.code == DOM_INVALID && errs.n) {
		r->status = 400;
		page_begin(r, "修改活动", "events");
		html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/events\">活动与路演</a> › 修改</p><h1>修改活动</h1>\n");
		write_event_form(r, arena_printf(&r->arena, "/events/%lld/edit", id), &in, &errs, "活动信息");
		page_end(r);
		return;
	}
	page_done(r, res, arena_printf(&r->arena, "/events/%lld", id));
}

/* ---- one event ---- */

/* What a row brought, as links into the registry. */
static void write_outcome(Req *r, const PipelineRec *p)
{
	Buf *b = &r->out;
	int any = 0;
	if (p->invested_on) {
		if (p->investment_id > 0)
			html_printf(b, "<a href=\"/investments/%lld\">获得投资 %h</a>（%h，%h）", p->investment_id,
			            fmt_money(&r->arena, p->amount_yuan), p->fund_name ? p->fund_name : "", p->invested_on);
		else
			html_printf(b, "获得投资（%h，登记库记录已删除）", p->invested_on);
		any = 1;
	}
	if (p->settled_on) {
		html_printf(b, "%s", any ? "；" : "");
		if (p->project_id > 0)
			html_printf(b, "<a href=\"/projects/%lld\">落地入驻</a>%h（%h）", p->project_id,
			            p->settled_base_name ? arena_printf(&r->arena, "「%s」", p->settled_base_name) : "", p->settled_on);
		else
			html_printf(b, "落地入驻（%h，登记库记录已删除）", p->settled_on);
		any = 1;
	}
	if (p->dropped_on)
		html_printf(b, "终止（%h：%h）", p->dropped_on, p->drop_reason ? p->drop_reason : "");
	else if (!any)
		html_printf(b, "—");
}

/* The form recording the next step of row p (only steps not yet recorded). */
static void write_step_form(Req *r, const EventRec *e, const PipelineRec *p, const LinkRec *inv, int ninv,
                            const LinkRec *proj, int nproj)
{
	Buf *b = &r->out;
	if (p->dropped_on)
		return;
	html_printf(b, "<details class=\"step\"><summary>记录进展</summary><form method=\"post\" action=\"/events/%lld/projects/%lld/step\">",
	            e->id, p->id);
	form_csrf(r);
	html_printf(b, "<div class=\"field\"><label for=\"f-step-%lld\">进展</label><select id=\"f-step-%lld\" name=\"step\">", p->id, p->id);
	for (int k = EVENT_STEP_PRESENTED; k < EVENT_STEP_COUNT; k++) {
		int done = (k == EVENT_STEP_PRESENTED && p->presented_on) || (k == EVENT_STEP_INTEREST && p->interest_on) ||
		           (k == EVENT_STEP_DILIGENCE && p->diligence_on) || (k == EVENT_STEP_INVESTED && p->invested_on) ||
		           (k == EVENT_STEP_SETTLED && p->settled_on);
		if (!done && (k == EVENT_STEP_PRESENTED || p->presented_on || k == EVENT_STEP_DROPPED))
			html_printf(b, "<option value=\"%h\">%h</option>", event_step_code(k), event_step_zh(k));
	}
	html_printf(b, "</select></div>");
	char today[11];
	date_today(today);
	html_printf(b, "<div class=\"field\"><label for=\"f-on-%lld\">日期（获得投资、落地入驻以登记库日期为准）</label>"
	               "<input id=\"f-on-%lld\" name=\"on\" type=\"date\" value=\"%h\"></div>",
	            p->id, p->id, p->presented_on ? today : e->starts_on);
	html_printf(b, "<div class=\"field\"><label for=\"f-investor-%lld\">意向投资方（投资意向时填写）</label>"
	               "<input id=\"f-investor-%lld\" name=\"investor\" type=\"text\" maxlength=\"100\"></div>", p->id, p->id);
	if (!p->invested_on && p->presented_on) {
		html_printf(b, "<div class=\"field\"><label for=\"f-inv-%lld\">登记库中的投资（获得投资时选择）</label>"
		               "<select id=\"f-inv-%lld\" name=\"investment_id\"><option value=\"\">请选择</option>", p->id, p->id);
		for (int i = 0; i < ninv; i++)
			if (strcmp(inv[i].on, p->presented_on) >= 0)
				html_printf(b, "<option value=\"%lld\">%h · %h · %h（%h）</option>", inv[i].id, inv[i].name,
				            inv[i].extra ? inv[i].extra : "", fmt_money(&r->arena, inv[i].amount), inv[i].on);
		html_printf(b, "</select></div>");
	}
	if (!p->settled_on && p->presented_on) {
		html_printf(b, "<div class=\"field\"><label for=\"f-proj-%lld\">登记库中的项目（落地入驻时选择）</label>"
		               "<select id=\"f-proj-%lld\" name=\"project_id\"><option value=\"\">请选择</option>", p->id, p->id);
		for (int i = 0; i < nproj; i++)
			if (strcmp(proj[i].on, p->presented_on) >= 0)
				html_printf(b, "<option value=\"%lld\">%h · %h（%h）</option>", proj[i].id, proj[i].name,
				            proj[i].extra ? proj[i].extra : "未入驻基地", proj[i].on);
		html_printf(b, "</select></div>");
	}
	html_printf(b, "<div class=\"field\"><label for=\"f-reason-%lld\">终止原因（终止时填写）</label>"
	               "<input id=\"f-reason-%lld\" name=\"reason\" type=\"text\" maxlength=\"200\"></div>", p->id, p->id);
	html_printf(b, "<button type=\"submit\">记录</button></form></details>");
}

/* The event's follow-up tasks with their lamps (a 现场会's always; another
 * event's when it has some or the office may add one), and the office's
 * form to add one. A task links to its page for those who may read it. */
static void write_follow_up(Req *r, const EventRec *e, int always)
{
	Buf *b = &r->out;
	TaskFilter f = {.source = "event", .source_ref = event_task_ref(&r->arena, e->id)};
	TaskRec *t;
	int n = store_tasks(r->store, &r->arena, &f, &t);
	int office = r->role == ROLE_ADMIN;
	if (n == 0 && !always && !office)
		return;
	html_printf(b, "<section id=\"follow-up\"><h2>后续任务（%d）</h2>", n < 0 ? 0 : n);
	if (n < 0) {
		html_printf(b, "<p class=\"form-error\">后续任务暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	if (n == 0)
		html_printf(b, "<p class=\"muted\">暂无后续任务。%s</p>",
		            office ? "会上议定的事项，在下方派发给牵头单位，作为督办任务跟进。" : "会上议定的事项由市专班办公室派发后在此列出。");
	char today[11];
	tasks_today(today);
	Actor who = req_actor(r);
	if (n > 0) {
		html_printf(b, "<ul class=\"cards\" id=\"follow-up-tasks\">");
		for (int i = 0; i < n; i++) {
			int over;
			const char *due;
			Lamp l = task_lamp(&t[i], today, &over, &due);
			int reads = task_access(r->store, &who, t[i].id) > 0;
			html_printf(b, "<li class=\"card-item task\"><p class=\"title\">");
			if (reads)
				html_printf(b, "<a href=\"/tasks/%lld\">%h</a>", t[i].id, t[i].title);
			else
				html_printf(b, "%h", t[i].title);
			html_printf(b, "</p><p><span class=\"lamp %h\">", lamp_code(l));
			if (l == LAMP_RED)
				html_printf(b, "逾期 %d 天", over);
			else
				html_printf(b, "%h", lamp_zh(l));
			html_printf(b, "</span> <span class=\"muted\">牵头单位：%h · 时限 %h</span></p></li>", unit_name(r->plan, t[i].lead),
			            due ? due : t[i].due_on ? t[i].due_on : "—");
		}
		html_printf(b, "</ul>");
	}
	if (office && strcmp(e->status, "cancelled")) {
		html_printf(b, "<details class=\"card\" id=\"add-follow-up\"%s><summary>派发后续任务</summary>"
		               "<form method=\"post\" action=\"/events/%lld/tasks\" class=\"stack\">", n ? "" : " open", e->id);
		form_csrf(r);
		form_input(r, "title", "任务名称（会上议定的事项）", "text", NULL, NULL, " required maxlength=\"200\"");
		tasks_unit_select(r, "lead", "牵头单位", NULL, 1, 1);
		tasks_unit_checks(r, "co", "配合单位（可多选，可不选）");
		form_input(r, "due_on", "完成时限", "date", NULL, NULL, NULL);
		write_textarea(r, "detail", "任务说明（可空）", NULL, NULL);
		html_printf(b, "<button type=\"submit\">派发</button></form></details>\n");
	}
	html_printf(b, "</section>\n");
}

/* The event's photos and scans (现场照片, 签到表): images shown small, each
 * a link to the file; the plain upload form for whoever may change it. */
static void write_photos(Req *r, const EventRec *e, int may)
{
	Buf *b = &r->out;
	Attachment *f;
	int n = store_attachments(r->store, &r->arena, "event", e->id, &f);
	if (n <= 0 && !may)
		return;
	html_printf(b, "<section id=\"photos\"><h2>现场照片和材料（%d）</h2>", n < 0 ? 0 : n);
	if (n > 0) {
		html_printf(b, "<ul class=\"photos\">");
		for (int i = 0; i < n; i++) {
			int image = strcmp(f[i].mime, "application/pdf") != 0;
			html_printf(b, "<li><a href=\"/attachments/%lld\">", f[i].id);
			if (image)
				html_printf(b, "<img src=\"/attachments/%lld\" alt=\"%h\" loading=\"lazy\" width=\"160\" height=\"120\">", f[i].id,
				            f[i].name);
			html_printf(b, "<span>%h</span></a><span class=\"muted\">%h，%lld KB，%h 上传于 %h</span></li>", f[i].name,
			            attachment_type_zh(f[i].mime), (f[i].size + 1023) / 1024, f[i].created_by, fmt_time(&r->arena, f[i].created_at));
		}
		html_printf(b, "</ul>");
	} else {
		html_printf(b, "<p class=\"muted\">暂无照片。可上传现场照片、签到表扫描件等。</p>");
	}
	if (may) {
		html_printf(b, "<form method=\"post\" action=\"/events/%lld/photos\" enctype=\"multipart/form-data\" class=\"stack\" "
		               "id=\"photo-upload\">", e->id);
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"f-photo\">照片或 PDF（8 MB 以内）</label>"
		               "<input id=\"f-photo\" name=\"file\" type=\"file\" accept=\"image/*,application/pdf\"></div>"
		               "<button type=\"submit\">上传</button></form>");
	}
	html_printf(b, "</section>\n");
}

/* WEBPAGE: POST /events/{id}/tasks — title, lead, co (checkboxes), due_on, detail */
void page_event_task_add(Req *r)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	const char **co;
	int nco = tasks_form_units(r, "co", &co);
	TaskInput in = {.title = req_form(r, "title"), .detail = req_form(r, "detail"), .lead = req_form(r, "lead"),
	                .co = co, .nco = nco, .due_on = req_form(r, "due_on")};
	DomResult res = event_followup_add(r->store, &who, id, &in, NULL);
	page_done(r, res, arena_printf(&r->arena, "/events/%lld#follow-up", id));
}

/* WEBPAGE: POST /events/{id}/photos — a plain form's file (multipart) */
void page_event_photos(Req *r)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	const FormFile *ff = req_file(r, "file");
	EvidenceFile f = {0};
	if (ff) {
		f.name = ff->filename;
		f.data = ff->data;
		f.len = ff->len;
	}
	DomResult res = event_attach(r->store, &who, id, &f, ff ? 1 : 0, NULL);
	page_done(r, res, arena_printf(&r->arena, "/events/%lld#photos", id));
}

/* The route's event with its projects (*ps, *np) and their funnel (*f), as
 * its page and the API show them; NULL after answering 404 or 500. */
static EventRec *load_event_pipeline(Req *r, PipelineRec **ps, int *np, EventFunnel *f)
{
	EventRec *e = load_event(r);
	if (!e)
		return NULL;
	*np = store_pipeline(r->store, &r->arena, e->id, ps);
	if (*np < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return NULL;
	}
	funnel_of(*ps, *np, f);
	return e;
}

/* WEBPAGE: GET /events/{id} — the event, its funnel and projects */
void page_event(Req *r)
{
	PipelineRec *ps;
	int np;
	EventFunnel f;
	EventRec *e = load_event_pipeline(r, &ps, &np, &f);
	if (!e)
		return;
	Actor who = req_actor(r);
	int may = event_refusal(&who, e) == NULL;
	Buf *b = &r->out;
	page_begin(r, e->name, "events");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/events\">活动与路演</a> › %h</p><h1>%h</h1>\n", event_kind_zh(e->kind), e->name);
	html_printf(b, "<dl class=\"facts\" id=\"event-facts\"><dt>类型</dt><dd>%h</dd><dt>状态</dt><dd>%h</dd><dt>日期</dt><dd>%h</dd>"
	               "<dt>主办单位</dt><dd>%h</dd><dt>所属区域</dt><dd>%h</dd>",
	            event_kind_zh(e->kind), event_status_zh(e->status), event_dates(r, e), e->organiser, area_label(r, e->area));
	if (e->base_id > 0)
		html_printf(b, "<dt>承办基地</dt><dd><a href=\"/bases/%lld\">%h</a></dd>", e->base_id, e->base_name ? e->base_name : "");
	html_printf(b, "<dt>地点</dt><dd>%h</dd><dt>举办方式</dt><dd>%h</dd>", e->place ? e->place : "—", event_mode_zh(e->mode));
	if (e->participants >= 0)
		html_printf(b, "<dt>参与人数</dt><dd>%lld 人</dd>", e->participants);
	if (e->attendees)
		html_printf(b, "<dt>参会单位和人员</dt><dd>%h</dd>", e->attendees);
	if (e->summary)
		html_printf(b, "<dt>简介</dt><dd>%h</dd>", e->summary);
	html_printf(b, "</dl>\n");
	if (may)
		html_printf(b, "<p><a href=\"/events/%lld/edit\">修改活动信息</a></p>", e->id);
	if (r->role == ROLE_ADMIN)
		html_printf(b, "<p><a href=\"/admin/audit?kind=events&amp;id=%lld\" class=\"no-print\" id=\"audit-link\">操作记录</a></p>",
		            e->id);
	int site = !strcmp(e->kind, "site_meeting");
	write_follow_up(r, e, site);
	write_photos(r, e, may);
	if (site) {
		page_end(r);
		return;
	}
	html_printf(b, "<h2>路演项目</h2>");
	write_funnel(r, &f);
	if (np == 0)
		html_printf(b, "<p class=\"muted\">暂无项目。%s</p>", may ? "在下方登记报名的项目。" : "");
	LinkRec *inv = NULL, *proj = NULL;
	int ninv = 0, nproj = 0;
	if (may && np > 0) {
		const char *scope_area = who.role == ROLE_ADMIN ? NULL : e->area;
		ninv = store_link_candidates(r->store, &r->arena, "investments", scope_area, e->starts_on, 200, &inv);
		nproj = store_link_candidates(r->store, &r->arena, "projects", scope_area, e->starts_on, 200, &proj);
		if (ninv < 0 || nproj < 0)
			ninv = nproj = 0;
		if (who.role == ROLE_BASE) {
			/* a base links its own base's records only */
			long long own = id_or_zero(who.scope);
			int k = 0;
			for (int i = 0; i < ninv; i++)
				if (inv[i].base_id == own)
					inv[k++] = inv[i];
			ninv = k;
			k = 0;
			for (int i = 0; i < nproj; i++)
				if (proj[i].base_id == own)
					proj[k++] = proj[i];
			nproj = k;
		}
	}
	if (np > 0) {
		html_printf(b, "<div class=\"table-wrap cards\"><table class=\"data cards\" id=\"pipeline\"><thead><tr><th scope=\"col\">项目</th>"
		               "<th scope=\"col\">阶段</th><th scope=\"col\">报名</th><th scope=\"col\">路演</th><th scope=\"col\">投资意向</th>"
		               "<th scope=\"col\">尽职调查</th><th scope=\"col\">成果</th>%s</tr></thead><tbody>",
		            may ? "<th scope=\"col\">操作</th>" : "");
		for (int i = 0; i < np; i++) {
			const PipelineRec *p = &ps[i];
			html_printf(b, "<tr data-project=\"%h\"><th scope=\"row\">%h<span class=\"muted\">%h</span></th>"
			               "<td class=\"status-cell\">%h</td><td data-label=\"报名\">%h</td><td data-label=\"路演\">%h</td>"
			               "<td data-label=\"投资意向\">%h%h</td><td data-label=\"尽职调查\">%h</td><td data-label=\"成果\" class=\"outcome\">",
			            p->name, p->name, p->team ? arena_printf(&r->arena, "（%s）", p->team) : "", event_step_zh(event_stage(p)),
			            p->registered_on, p->presented_on ? p->presented_on : "—", p->interest_on ? p->interest_on : "—",
			            p->investor ? arena_printf(&r->arena, " %s", p->investor) : "", p->diligence_on ? p->diligence_on : "—");
			write_outcome(r, p);
			html_printf(b, "</td>");
			if (may) {
				html_printf(b, "<td data-label=\"操作\" class=\"actions\">");
				write_step_form(r, e, p, inv, ninv, proj, nproj);
				html_printf(b, "</td>");
			}
			html_printf(b, "</tr>\n");
		}
		html_printf(b, "</tbody></table></div>\n");
	}
	if (may) {
		char today[11];
		date_today(today);
		html_printf(b, "<details class=\"card\" id=\"add-project\"%s><summary>登记报名项目</summary>"
		               "<form method=\"post\" action=\"/events/%lld/projects\">", np ? "" : " open", e->id);
		form_csrf(r);
		form_input(r, "name", "项目名称", "text", NULL, NULL, " maxlength=\"100\" required");
		form_input(r, "team", "负责人或团队", "text", NULL, NULL, " maxlength=\"60\"");
		form_input(r, "field", "领域", "text", NULL, NULL, " maxlength=\"30\"");
		form_input(r, "registered_on", "报名日期", "date", strcmp(today, e->starts_on) < 0 ? today : e->starts_on, NULL, " required");
		form_input(r, "presented_on", "路演日期（已路演时填写）", "date", NULL, NULL, NULL);
		html_printf(b, "<button type=\"submit\">登记</button></form></details>\n");
	}
	page_end(r);
}

/* WEBPAGE: POST /events/{id}/projects — name, team, field, registered_on, presented_on */
void page_event_project_add(Req *r)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	PipelineInput in = {.name = req_form(r, "name"), .team = req_form(r, "team"), .field = req_form(r, "field"),
	                    .registered_on = req_form(r, "registered_on"), .presented_on = req_form(r, "presented_on"),
	                    .note = req_form(r, "note")};
	EventErrors errs;
	DomResult res = event_project_add(r->store, &who, id, &in, &errs, NULL);
	if (res.code == DOM_INVALID && errs.n)
		res.message = arena_printf(&r->arena, "%s请返回修改。", errs.message[0]);
	page_done(r, res, arena_printf(&r->arena, "/events/%lld#pipeline", id));
}

/* The link of a step from a form or JSON text: the id written, 0 none, -1 not a number. */
static long long link_id(const char *s)
{
	long long v;
	if (!s || !*s)
		return 0;
	return parse_int(s, 1, 1LL << 62, &v) ? v : -1;
}

/* WEBPAGE: POST /events/{id}/projects/{pid}/step — step, on, investor, investment_id, project_id, reason */
void page_event_step(Req *r)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	const char *st = req_form(r, "step");
	int k = event_step_parse(st);
	long long link = link_id(req_form(r, k == EVENT_STEP_SETTLED ? "project_id" : "investment_id"));
	if (link < 0) {
		http_error(r, 400, "bad_link", "请从列表中选择登记库中的记录。");
		return;
	}
	StepInput in = {.step = st, .on = req_form(r, "on"), .investor = req_form(r, "investor"), .reason = req_form(r, "reason"),
	                .link = link};
	DomResult res = event_step(r->store, &who, id, req_param_int(r, "pid"), &in);
	page_done(r, res, arena_printf(&r->arena, "/events/%lld#pipeline", id));
}

/* ---- the roadshow page ---- */

/* WEBPAGE: GET /roadshows — what each roadshow brought ?year=&kind= */
void page_roadshows(Req *r)
{
	EventFilter f;
	int year = 0;
	if (!read_filter(r, &f, &year))
		return;
	if (!f.kind)
		f.kind = "roadshow";
	EventRow *rows;
	long long total = 0;
	EventFunnel sum;
	PipelineRec *ps;
	int n = store_events(r->store, &r->arena, &f, &rows, &total, &sum);
	int np = n < 0 ? -1 : store_pipeline(r->store, &r->arena, 0, &ps);
	if (n < 0 || np < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "路演转化", "events");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/events\">活动与路演</a> › 路演转化</p><h1>路演转化</h1>"
	               "<p class=\"lead\">常态化路演机制：每场%h带来的项目，从报名、路演、投资意向、尽职调查到获得投资或落地入驻；"
	               "投资和项目链接到登记库中的记录。</p>\n", event_kind_zh(f.kind));
	html_printf(b, "<nav class=\"tabs\" aria-label=\"活动类型\">");
	static const char *const tabs[] = {"roadshow", "contest", "summit", "pro_contest", "activity_week"};
	for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++)
		html_printf(b, "<a href=\"/roadshows?kind=%u%h\"%s>%h</a>", tabs[i], year ? arena_printf(&r->arena, "&year=%d", year) : "",
		            !strcmp(f.kind, tabs[i]) ? " aria-current=\"true\"" : "", event_kind_zh(tabs[i]));
	html_printf(b, "</nav>\n<section class=\"card\" id=\"roadshow-total\"><h2>合计（%lld 场）</h2>", total);
	write_funnel(r, &sum);
	html_printf(b, "</section>\n");
	if (n == 0)
		html_printf(b, "<p class=\"muted\">暂无%h。</p>", event_kind_zh(f.kind));
	for (int i = 0; i < n; i++) {
		const EventRec *e = &rows[i].e;
		html_printf(b, "<section class=\"card roadshow\" data-event=\"%lld\"><h2><a href=\"/events/%lld\">%h</a></h2>"
		               "<p class=\"muted\">%h · %h · %h%h</p>",
		            e->id, e->id, e->name, event_dates(r, e), area_label(r, e->area), event_status_zh(e->status),
		            e->place ? arena_printf(&r->arena, " · %s", e->place) : "");
		write_funnel(r, &rows[i].f);
		int inv = 0, set = 0;
		for (int k = 0; k < np; k++) {
			if (ps[k].event_id != e->id || !ps[k].invested_on)
				continue;
			if (!inv++)
				html_printf(b, "<h3>带来的投资</h3><ul class=\"cards brought-investments\">");
			html_printf(b, "<li class=\"card-item\"><p class=\"title\">%h</p><p>", ps[k].name);
			if (ps[k].investment_id > 0)
				html_printf(b, "<a href=\"/investments/%lld\">%h</a> · %h · %h", ps[k].investment_id,
				            fmt_money(&r->arena, ps[k].amount_yuan), ps[k].fund_name ? ps[k].fund_name : "", ps[k].invested_on);
			else
				html_printf(b, "%h（登记库记录已删除）", ps[k].invested_on);
			html_printf(b, "</p></li>");
		}
		if (inv)
			html_printf(b, "</ul>");
		for (int k = 0; k < np; k++) {
			if (ps[k].event_id != e->id || !ps[k].settled_on)
				continue;
			if (!set++)
				html_printf(b, "<h3>落地的项目</h3><ul class=\"cards brought-projects\">");
			html_printf(b, "<li class=\"card-item\"><p class=\"title\">%h</p><p>", ps[k].name);
			if (ps[k].project_id > 0)
				html_printf(b, "<a href=\"/projects/%lld\">%h</a>%h · %h", ps[k].project_id,
				            ps[k].project_name ? ps[k].project_name : ps[k].name,
				            ps[k].settled_base_name ? arena_printf(&r->arena, " · 入驻「%s」", ps[k].settled_base_name) : "",
				            ps[k].settled_on);
			else
				html_printf(b, "%h（登记库记录已删除）", ps[k].settled_on);
			html_printf(b, "</p></li>");
		}
		if (set)
			html_printf(b, "</ul>");
		if (!inv && !set)
			html_printf(b, "<p class=\"muted\">尚无获得投资或落地入驻的项目。</p>");
		html_printf(b, "</section>\n");
	}
	page_end(r);
}

/* ---- the registry's side ---- */

void record_event_origin(Req *r, const Kind *k, long long id)
{
	int inv = !strcmp(k->name, "investments");
	if (!inv && strcmp(k->name, "projects"))
		return;
	PipelineRec p;
	if (store_pipeline_by_link(r->store, &r->arena, k->name, id, &p) != 1)
		return;
	html_printf(&r->out, "<section class=\"card\" id=\"event-origin\"><h2>来源活动</h2><p>由%h<a href=\"/events/%lld\">「%h」</a>带来："
	                     "项目“%h”%h报名，%h路演，%h%h。</p></section>\n",
	            event_kind_zh(p.event_kind), p.event_id, p.event_name, p.name, p.registered_on,
	            p.presented_on ? p.presented_on : "", inv ? p.invested_on : p.settled_on, inv ? "获得投资" : "落地入驻");
}

/* ---- API ---- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *funnel_json(const EventFunnel *f)
{
	json_t *j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "registered", (json_int_t)f->registered, "presented",
	                      (json_int_t)f->presented, "interest", (json_int_t)f->interest, "diligence", (json_int_t)f->diligence,
	                      "invested", (json_int_t)f->invested, "settled", (json_int_t)f->settled, "dropped",
	                      (json_int_t)f->dropped, "converted", (json_int_t)f->converted, "invested_yuan", f->invested_yuan);
	json_object_set_new(j, "conversion", f->presented ? json_real(event_conversion(f)) : json_null());
	return j;
}

static json_t *event_api_json(const EventRec *e)
{
	return event_record_json(e, 1);
}

static json_t *pipeline_api_json(const PipelineRec *p)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "event_id", json_integer(p->event_id));
	json_object_set_new(j, "name", jstr(p->name));
	json_object_set_new(j, "team", jstr(p->team));
	json_object_set_new(j, "field", jstr(p->field));
	json_object_set_new(j, "stage", jstr(event_step_code(event_stage(p))));
	json_object_set_new(j, "registered_on", jstr(p->registered_on));
	json_object_set_new(j, "presented_on", jstr(p->presented_on));
	json_object_set_new(j, "interest_on", jstr(p->interest_on));
	json_object_set_new(j, "investor", jstr(p->investor));
	json_object_set_new(j, "diligence_on", jstr(p->diligence_on));
	json_object_set_new(j, "invested_on", jstr(p->invested_on));
	json_object_set_new(j, "investment",
	                    p->investment_id > 0 ? json_pack("{s:I,s:s?,s:s?,s:f}", "id", (json_int_t)p->investment_id, "investee",
	                                                     p->investee, "fund", p->fund_name, "amount_yuan", p->amount_yuan)
	                                         : json_null());
	json_object_set_new(j, "settled_on", jstr(p->settled_on));
	json_object_set_new(j, "project", p->project_id > 0 ? json_pack("{s:I,s:s?}", "id", (json_int_t)p->project_id, "name",
	                                                                p->project_name)
	                                                    : json_null());
	json_object_set_new(j, "settled_base",
	                    p->settled_base_id > 0 ? json_pack("{s:I,s:s?}", "id", (json_int_t)p->settled_base_id, "name",
	                                                       p->settled_base_name)
	                                           : json_null());
	json_object_set_new(j, "dropped_on", jstr(p->dropped_on));
	json_object_set_new(j, "drop_reason", jstr(p->drop_reason));
	return j;
}

/* API: GET /api/v1/events ?kind=&year=&area=&limit=&offset= */
void api_events(Req *r)
{
	EventFilter f;
	int year = 0, limit, offset;
	if (!read_filter(r, &f, &year) || !req_paging(r, 100, &limit, &offset, NULL))
		return;
	f.limit = limit;
	f.offset = offset;
	EventRow *rows;
	long long total = 0;
	EventFunnel sum;
	int n = store_events(r->store, &r->arena, &f, &rows, &total, &sum);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *j = event_api_json(&rows[i].e);
		json_object_set_new(j, "funnel", funnel_json(&rows[i].f));
		json_array_append_new(items, j);
	}
	http_json(r, 200, json_pack("{s:o,s:I,s:i,s:i,s:o}", "items", items, "total", (json_int_t)total, "limit", limit, "offset",
	                            offset, "funnel", funnel_json(&sum)));
}

/* API: GET /api/v1/events/{id} — the event, its funnel and its pipeline */
void api_event_get(Req *r)
{
	PipelineRec *ps;
	int np;
	EventFunnel f;
	EventRec *e = load_event_pipeline(r, &ps, &np, &f);
	if (!e)
		return;
	json_t *arr = json_array();
	for (int i = 0; i < np; i++)
		json_array_append_new(arr, pipeline_api_json(&ps[i]));
	json_t *j = event_api_json(e);
	json_object_set_new(j, "funnel", funnel_json(&f));
	json_object_set_new(j, "projects", arr);
	/* the follow-up tasks with their lamps, and the photos */
	TaskFilter tf = {.source = "event", .source_ref = event_task_ref(&r->arena, e->id)};
	TaskRec *t;
	int nt = store_tasks(r->store, &r->arena, &tf, &t);
	char today[11];
	tasks_today(today);
	json_t *tasks = json_array();
	for (int i = 0; i < nt; i++) {
		int over;
		const char *due;
		Lamp l = task_lamp(&t[i], today, &over, &due);
		json_array_append_new(tasks, json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s,s:i}", "id", (json_int_t)t[i].id, "title", t[i].title,
		                                       "lead", t[i].lead, "due_on", due, "status", t[i].status, "lamp", lamp_code(l),
		                                       "days_overdue", over));
	}
	json_object_set_new(j, "follow_up_tasks", tasks);
	Attachment *fl;
	int nf = store_attachments(r->store, &r->arena, "event", e->id, &fl);
	json_t *files = json_array();
	for (int i = 0; i < nf; i++)
		json_array_append_new(files, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s}", "id", (json_int_t)fl[i].id, "name", fl[i].name, "mime",
		                                       fl[i].mime, "size", (json_int_t)fl[i].size, "sha256", fl[i].sha256, "url",
		                                       arena_printf(&r->arena, "/attachments/%lld", fl[i].id)));
	json_object_set_new(j, "files", files);
	http_json(r, 200, j);
}

/* The text of JSON field key: NULL when absent, "" for null, numbers as
 * decimal text; *bad set when it is of another type. */
static const char *json_text(Req *r, json_t *j, const char *key, const char **bad)
{
	json_t *v = json_object_get(j, key);
	if (!v)
		return NULL;
	if (json_is_null(v))
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(&r->arena, "%lld", (long long)json_integer_value(v));
	*bad = key;
	return NULL;
}

/* The body's fields as an event input; 0 after answering 400 for an
 * unknown field or a value of the wrong type. */
static int api_event_input(Req *r, json_t *j, EventInput *in)
{
	static const char *const known[] = {"kind", "name", "organiser", "area", "base_id", "starts_on", "ends_on", "place",
	                                    "mode", "participants", "attendees", "summary", "status", NULL};
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		int ok = 0;
		for (int i = 0; known[i]; i++)
			ok |= !strcmp(key, known[i]);
		if (!ok) {
			http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_field", "field", key, "message",
			                            arena_printf(&r->arena, "没有“%s”这个字段。", key)));
			return 0;
		}
	}
	const char *bad = NULL;
	EventInput x = {
		.kind = json_text(r, j, "kind", &bad), .name = json_text(r, j, "name", &bad),
		.organiser = json_text(r, j, "organiser", &bad), .area = json_text(r, j, "area", &bad),
		.base_id = json_text(r, j, "base_id", &bad), .starts_on = json_text(r, j, "starts_on", &bad),
		.ends_on = json_text(r, j, "ends_on", &bad), .place = json_text(r, j, "place", &bad),
		.mode = json_text(r, j, "mode", &bad), .participants = json_text(r, j, "participants", &bad),
		.attendees = json_text(r, j, "attendees", &bad), .summary = json_text(r, j, "summary", &bad),
		.status = json_text(r, j, "status", &bad),
	};
	if (bad) {
		http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "bad_type", "field", bad, "message",
		                            arena_printf(&r->arena, "“%s”应为文字或整数。", bad)));
		return 0;
	}
	*in = x;
	return 1;
}

/* Answers a refused workflow: field errors as {"error":{code, field, message, fields}}. */
static void api_refuse(Req *r, DomResult res, const EventErrors *errs)
{
	if (res.code == DOM_INVALID && errs && errs->n) {
		json_t *fields = json_object();
		for (int i = 0; i < errs->n; i++)
			json_object_set_new(fields, errs->field[i], json_string(errs->message[i]));
		http_json(r, 400, json_pack("{s:{s:s,s:s,s:s,s:o}}", "error", "code", "invalid", "field", errs->field[0], "message",
		                            errs->message[0], "fields", fields));
		return;
	}
	page_refuse(r, res);
}

/* API: POST /api/v1/events {kind, name, organiser, area, base_id, starts_on, ...} → 201 {id} */
void api_event_create(Req *r)
{
	json_t *j = req_json(r);
	EventInput in;
	if (!j || !api_event_input(r, j, &in))
		return;
	Actor who = req_actor(r);
	EventErrors errs;
	long long id = 0;
	DomResult res = event_create(r->store, &who, &in, &errs, &id);
	if (res.code != DOM_OK) {
		api_refuse(r, res, &errs);
		return;
	}
	api_created(r, res, id);
}

/* API: PATCH /api/v1/events/{id} — the fields given */
void api_event_patch(Req *r)
{
	json_t *j = req_json(r);
	EventInput in;
	if (!j || !api_event_input(r, j, &in))
		return;
	Actor who = req_actor(r);
	EventErrors errs;
	DomResult res = event_update(r->store, &who, req_param_int(r, "id"), &in, &errs);
	if (res.code != DOM_OK) {
		api_refuse(r, res, &errs);
		return;
	}
	http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", res.message));
}

/* API: POST /api/v1/events/{id}/projects {name, team, field, registered_on, presented_on, note} → 201 {id} */
void api_event_project_add(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *bad = NULL;
	PipelineInput in = {.name = json_text(r, j, "name", &bad), .team = json_text(r, j, "team", &bad),
	                    .field = json_text(r, j, "field", &bad), .registered_on = json_text(r, j, "registered_on", &bad),
	                    .presented_on = json_text(r, j, "presented_on", &bad), .note = json_text(r, j, "note", &bad)};
	if (bad) {
		http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "bad_type", "field", bad, "message",
		                            arena_printf(&r->arena, "“%s”应为文字。", bad)));
		return;
	}
	Actor who = req_actor(r);
	EventErrors errs;
	long long id = 0;
	DomResult res = event_project_add(r->store, &who, req_param_int(r, "id"), &in, &errs, &id);
	if (res.code != DOM_OK) {
		api_refuse(r, res, &errs);
		return;
	}
	api_created(r, res, id);
}

/* API: POST /api/v1/events/{id}/projects/{pid}/steps {step, on, investor, investment_id | project_id, reason} */
void api_event_step(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *bad = NULL;
	const char *st = json_text(r, j, "step", &bad);
	int k = event_step_parse(st);
	long long link = link_id(json_text(r, j, k == EVENT_STEP_SETTLED ? "project_id" : "investment_id", &bad));
	StepInput in = {.step = st, .on = json_text(r, j, "on", &bad), .investor = json_text(r, j, "investor", &bad),
	                .reason = json_text(r, j, "reason", &bad), .link = link};
	if (bad || link < 0) {
		http_json(r, 400, json_pack("{s:{s:s,s:s}}", "error", "code", "bad_type", "message",
		                            "字段类型有误：step、on、investor、reason 应为文字，investment_id、project_id 应为登记库记录的编号。"));
		return;
	}
	Actor who = req_actor(r);
	DomResult res = event_step(r->store, &who, req_param_int(r, "id"), req_param_int(r, "pid"), &in);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	PipelineRec p;
	int found = store_pipeline_get(r->store, &r->arena, req_param_int(r, "pid"), &p);
	http_json(r, 200, found == 1 ? json_pack("{s:b,s:s,s:o}", "ok", 1, "message", res.message, "project", pipeline_api_json(&p))
	                             : json_pack("{s:b,s:s}", "ok", 1, "message", res.message));
}

/* API: POST /api/v1/events/{id}/tasks {title, lead, co?, due_on?, detail?} → 201 {task_id} */
void api_event_task_add(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	json_t *coj = json_object_get(j, "co");
	size_t nco = json_is_array(coj) ? json_array_size(coj) : 0;
	if ((coj && !json_is_array(coj)) || nco > 60) {
		http_error(r, 400, "bad_co", "co 应为单位代码的数组（最多 60 个）。");
		return;
	}
	const char **co = arena_alloc(&r->arena, sizeof *co * (nco + 1));
	for (size_t i = 0; i < nco; i++) {
		const char *c = json_string_value(json_array_get(coj, i));
		co[i] = c ? c : "";
	}
	TaskInput in = {.title = json_string_value(json_object_get(j, "title")),
	                .detail = json_string_value(json_object_get(j, "detail")),
	                .lead = json_string_value(json_object_get(j, "lead")), .co = co, .nco = (int)nco,
	                .due_on = json_string_value(json_object_get(j, "due_on"))};
	Actor who = req_actor(r);
	long long tid = 0;
	DomResult res = event_followup_add(r->store, &who, req_param_int(r, "id"), &in, &tid);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	http_json(r, 201, json_pack("{s:I,s:s,s:s}", "task_id", (json_int_t)tid, "source_ref",
	                            event_task_ref(&r->arena, req_param_int(r, "id")), "message", res.message));
}

/* API: POST /api/v1/events/{id}/attachments?name= — the file as the body → 201 {id, url} */
void api_event_attach(Req *r)
{
	if (!api_attachment_size_ok(r))
		return;
	EvidenceFile f = {.name = req_query(r, "name"), .data = (const unsigned char *)r->body.data, .len = r->body.len};
	Actor who = req_actor(r);
	long long fid = 0;
	DomResult res = event_attach(r->store, &who, req_param_int(r, "id"), &f, 1, &fid);
	api_attachment_answer(r, res, fid);
}

/* ---- 工作台: events ---- */

/* 1 when text names the unit: its name, or (an area) 各镇街、功能区. */
static int names_unit(const char *text, const char *name, int area)
{
	return text && ((name && *name && strstr(text, name)) || (area && strstr(text, "各镇街、功能区")));
}

/* A department's or an area's upcoming events: those it organises (an
 * area's own, or its name among the organisers) or attends (its name, or
 * for an area 各镇街、功能区, among the attendees), the soonest first. */
static void unit_events_write(Req *r, const char *unit)
{
	Buf *b = &r->out;
	int area = r->role == ROLE_AREA;
	const char *name = unit_name(r->plan, unit);
	char today[11];
	tasks_today(today);
	EventRec *e;
	int n = store_events_upcoming(r->store, &r->arena, today, 200, &e), shown = 0;
	if (n < 0) {
		html_printf(b, "<section class=\"work\" id=\"work-events\"><h2>近期活动</h2>"
		               "<p class=\"form-error\">活动暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	for (int i = 0; i < n && shown < 5; i++) {
		int organises = (area && e[i].area && !strcmp(e[i].area, unit)) || names_unit(e[i].organiser, name, 0);
		int attends = names_unit(e[i].attendees, name, area);
		if (!organises && !attends)
			continue;
		if (!shown++)
			html_printf(b, "<section class=\"work\" id=\"work-events\"><h2>近期活动</h2><ul class=\"cards\">");
		html_printf(b, "<li class=\"card-item event\"><p class=\"title\"><a href=\"/events/%lld\">%h</a></p>"
		               "<p>%h · %h%h · <strong>%h</strong></p></li>",
		            e[i].id, e[i].name, event_kind_zh(e[i].kind), event_dates(r, &e[i]),
		            e[i].place ? arena_printf(&r->arena, " · %s", e[i].place) : "", organises ? "本单位主办" : "本单位参加");
	}
	if (shown)
		html_printf(b, "</ul><p><a href=\"/events\">全部活动 →</a></p></section>\n");
}

/* The office: events with follow-up tasks still open, with how many and how
 * many are overdue. */
static void office_events_write(Req *r)
{
	Buf *b = &r->out;
	TaskFilter f = {.source = "event", .status = "open"};
	TaskRec *t;
	int n = store_tasks(r->store, &r->arena, &f, &t);
	if (n <= 0)
		return; /* nothing open (or unreadable: the tasks section says so) */
	char today[11];
	tasks_today(today);
	html_printf(b, "<section class=\"work\" id=\"work-events\"><h2>活动、现场会的后续任务</h2><ul class=\"cards\">");
	for (int i = 0; i < n; i++) {
		const char *ref = t[i].source_ref;
		int seen = 0;
		for (int k = 0; k < i && !seen; k++)
			seen = ref && t[k].source_ref && !strcmp(ref, t[k].source_ref);
		long long id;
		if (seen || !ref || strncmp(ref, "event/", 6) || !parse_int(ref + 6, 1, 1LL << 62, &id))
			continue;
		int open = 0, red = 0;
		for (int k = i; k < n; k++)
			if (t[k].source_ref && !strcmp(ref, t[k].source_ref)) {
				open++;
				red += task_lamp(&t[k], today, NULL, NULL) == LAMP_RED;
			}
		EventRec e;
		if (store_event_get(r->store, &r->arena, id, &e) != 1)
			continue;
		html_printf(b, "<li class=\"card-item event\"><p class=\"title\"><a href=\"/events/%lld#follow-up\">%h</a></p>"
		               "<p>%h · 在办后续任务 %d 项", e.id, e.name, e.starts_on, open);
		if (red)
			html_printf(b, "，<span class=\"lamp red\">逾期 %d 项</span>", red);
		html_printf(b, "</p></li>");
	}
	html_printf(b, "</ul></section>\n");
}

void events_work_write(Req *r)
{
	if (r->role == ROLE_ADMIN) {
		office_events_write(r);
		return;
	}
	Actor who = req_actor(r);
	const char *unit = actor_unit(&who);
	if (unit)
		unit_events_write(r, unit);
}
