/*
 * page_tasks.c — the tasks of the work system (督查督办): the task list
 * with lamps, a new task, one task with its units, milestones, updates,
 * evidence and its 督办单 cards, the task's form posts; /api/v1/tasks...;
 * the 工作台 provider "tasks" (my tasks, 督办单 to sign and answer); and the
 * pieces the work system's pages share (page_tasks.h). The 督办单's steps
 * and the supervision table are page_supervision.c's, the leadership
 * group's agendas page_agenda.c's. The work is tasks.c's; these files
 * parse, call and render.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "events.h"
#include "page.h"
#include "page_tasks.h"
#include "progress.h"
#include "registry.h"
#include "tasks.h"
#include "workbench.h"
#include "xlsx_write.h"

/* ---- small pieces ---- */

const char *tasks_page_today(Req *r)
{
	char d[11];
	tasks_today(d);
	return arena_strdup(&r->arena, d);
}

/* The lamp as people read it: "逾期 3 天", "临期：5 天后到期", "今天到期". */
static const char *lamp_text(Req *r, Lamp l, int over, const char *due, const char *today)
{
	if (l == LAMP_RED)
		return arena_printf(&r->arena, "逾期 %d 天", over);
	if (l == LAMP_AMBER) {
		long left = date_days(due) - date_days(today);
		return left == 0 ? "临期：今天到期" : arena_printf(&r->arena, "临期：%ld 天后到期", left);
	}
	return lamp_zh(l);
}

static void lamp_html(Req *r, Lamp l, int over, const char *due, const char *today)
{
	html_printf(&r->out, "<span class=\"lamp %h\">%h</span>", lamp_code(l), lamp_text(r, l, over, due, today));
}

/* The responsible units: the lead(s), then the co-responsible. */
static const char *units_text(Req *r, const TaskRec *t, int lead)
{
	Buf b = {0};
	for (int i = 0; i < t->nunits; i++) {
		if (t->unit_lead[i] != lead)
			continue;
		if (b.len)
			buf_puts(&b, "、");
		buf_puts(&b, unit_name(r->plan, t->units[i]));
	}
	const char *s = arena_strdup(&r->arena, b.len ? buf_str(&b) : "—");
	buf_free(&b);
	return s;
}

/* What was just done, by code (?done=CODE): no text from the address is shown. */
static const char *done_text(Req *r)
{
	static const struct { const char *code, *text; } done[] = {
		{"created", "任务已创建。"},
		{"update", "进展已报送。"},
		{"milestone", "节点已添加。"},
		{"reached", "节点已标记完成。"},
		{"set", "任务已更新。"},
		{"issued", "督办单已下发，收件单位会在工作台看到。"},
		{"signed", "已签收。请在办理时限前上传证明材料并提交反馈。"},
		{"answered", "反馈已提交，等待市专班办公室审核。"},
		{"accepted", "督办单已办结。"},
		{"pressed", "已催办，新一轮督办单已下发。"},
		{"attached", "证明材料已上传。"},
		{"drafted", "议题已汇总（草稿），请核对后提交会议。"},
		{"decided", "会议决定已记录，并已转为任务。"},
		{"held", "已标记为已召开。"},
	};
	const char *d = req_query(r, "done");
	for (size_t i = 0; d && i < ARRAY_LEN(done); i++)
		if (!strcmp(done[i].code, d))
			return done[i].text;
	return NULL;
}

void tasks_page_flash(Req *r)
{
	const char *d = done_text(r);
	if (d)
		html_printf(&r->out, "<p class=\"form-ok\" role=\"status\">%h</p>", d);
}

/* A <select> of units: departments, then areas, then 各镇街、功能区 (with_all). */
void tasks_unit_select(Req *r, const char *name, const char *label, const char *selected, int with_all, int blank)
{
	const Plan *p = r->plan;
	Buf *b = &r->out;
	html_printf(b, "<div class=\"field\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\">", name, label, name,
	            name);
	if (blank)
		html_printf(b, "<option value=\"\">（请选择）</option>");
	html_printf(b, "<optgroup label=\"市直部门\">");
	for (int i = 0; i < p->ndepartments; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", p->departments[i].code,
		            selected && !strcmp(selected, p->departments[i].code) ? " selected" : "", p->departments[i].name);
	html_printf(b, "</optgroup><optgroup label=\"镇街、功能区\">");
	if (with_all)
		html_printf(b, "<option value=\"@areas\"%s>各镇街、功能区</option>", selected && !strcmp(selected, "@areas") ? " selected" : "");
	for (int i = 0; i < p->nareas; i++)
		if (!strcmp(p->areas[i].level, "area"))
			html_printf(b, "<option value=\"%h\"%s>%h</option>", p->areas[i].code,
			            selected && !strcmp(selected, p->areas[i].code) ? " selected" : "", p->areas[i].name);
	html_printf(b, "</optgroup></select></div>\n");
}

/* Checkboxes of units (co-responsible, 多选), in a collapsed group. */
void tasks_unit_checks(Req *r, const char *name, const char *label)
{
	const Plan *p = r->plan;
	Buf *b = &r->out;
	html_printf(b, "<details class=\"field unit-checks\"><summary>%h</summary><fieldset><legend>市直部门</legend>", label);
	for (int i = 0; i < p->ndepartments; i++)
		html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" value=\"%h\"> %h</label>", name,
		            p->departments[i].code, p->departments[i].name);
	html_printf(b, "</fieldset><fieldset><legend>镇街、功能区</legend><label class=\"check\"><input type=\"checkbox\" name=\"%h\" "
	               "value=\"@areas\"> 各镇街、功能区</label>", name);
	for (int i = 0; i < p->nareas; i++)
		if (!strcmp(p->areas[i].level, "area"))
			html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" value=\"%h\"> %h</label>", name,
			            p->areas[i].code, p->areas[i].name);
	html_printf(b, "</fieldset></details>\n");
}

static void textarea(Req *r, const char *name, const char *label, int required)
{
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-%h\">%h</label><textarea id=\"f-%h\" name=\"%h\" rows=\"3\"%s>"
	                     "</textarea></div>\n",
	            name, label, name, name, required ? " required" : "");
}

/* The actor's unit, or NULL (office, leaders). */
static const char *my_unit(Req *r)
{
	Actor who = req_actor(r);
	return actor_unit(&who);
}

/* ---- the list ---- */

static void task_rows(Req *r, TaskRec *t, int n, const char *today, const char *lamp_filter, const char *id)
{
	Buf *b = &r->out;
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"%h\"><thead><tr><th scope=\"col\">任务</th>"
	               "<th scope=\"col\">牵头单位</th><th scope=\"col\">配合单位</th><th scope=\"col\">完成时限</th>"
	               "<th scope=\"col\">状态</th><th scope=\"col\">督办</th></tr></thead><tbody>",
	            id);
	int shown = 0;
	for (int i = 0; i < n; i++) {
		int over;
		const char *due;
		Lamp l = task_lamp(&t[i], today, &over, &due);
		if (lamp_filter && *lamp_filter && strcmp(lamp_code(l), lamp_filter))
			continue;
		shown++;
		html_printf(b, "<tr><th scope=\"row\"><a href=\"/tasks/%lld\">%h</a>%s%h%s</th><td>%h</td><td>%h</td><td>%h</td><td>",
		            t[i].id, t[i].title, t[i].code ? " <span class=\"muted\">" : "", t[i].code ? t[i].code : "",
		            t[i].code ? "</span>" : "", units_text(r, &t[i], 1), units_text(r, &t[i], 0),
		            due ? due : "—");
		lamp_html(r, l, over, due, today);
		html_printf(b, "</td><td>%h</td></tr>", t[i].open_sup_id ? supervision_status_zh(t[i].open_sup_status) : "—");
	}
	if (!shown)
		html_printf(b, "<tr><td colspan=\"6\" class=\"muted\">没有符合条件的任务。</td></tr>");
	html_printf(b, "</tbody></table></div>\n");
}

/* WEBPAGE: GET /tasks — the tasks with their lamps; a unit's own (leading, then co-responsible). */
void page_tasks(Req *r)
{
	const char *status = req_query(r, "status"), *lamp = req_query(r, "lamp"), *q = req_query(r, "q");
	const char *unit_q = req_query(r, "unit");
	if (!status || !*status)
		status = "open";
	const char *today = tasks_page_today(r);
	const char *unit = my_unit(r);
	Buf *b = &r->out;
	page_begin(r, "督查督办", "tasks");
	html_printf(b, "<h1>督查督办</h1><p class=\"lead\">规划“重点工作”的每一项分工任务（牵头单位在前），以及市专班办公室交办、领导小组会议决定和现场会形成的任务。"
	               "灯：<span class=\"lamp green\">正常</span> <span class=\"lamp amber\">临期（7 天内到期）</span> "
	               "<span class=\"lamp red\">逾期</span>，按北京时间 %h 计。</p>\n",
	            today);
	tasks_page_flash(r);
	if (r->role == ROLE_ADMIN || r->role == ROLE_VIEWER)
		html_printf(b, "<p class=\"actions\">%s<a href=\"/supervision\">督办一览（按单位）</a> · <a href=\"/agenda\">领导小组议题</a></p>",
		            r->role == ROLE_ADMIN ? "<a class=\"button\" href=\"/tasks/new\">新建任务</a> " : "");
	html_printf(b, "<form method=\"get\" action=\"/tasks\" class=\"filters\"><div class=\"field\"><label for=\"f-status\">状态</label>"
	               "<select id=\"f-status\" name=\"status\"><option value=\"open\"%s>在办</option><option value=\"done\"%s>已办结</option>"
	               "<option value=\"all\"%s>全部</option></select></div>"
	               "<div class=\"field\"><label for=\"f-lamp\">灯</label><select id=\"f-lamp\" name=\"lamp\"><option value=\"\">全部</option>"
	               "<option value=\"red\"%s>逾期</option><option value=\"amber\"%s>临期</option><option value=\"green\"%s>正常</option></select></div>",
	            !strcmp(status, "open") ? " selected" : "", !strcmp(status, "done") ? " selected" : "",
	            !strcmp(status, "all") ? " selected" : "", lamp && !strcmp(lamp, "red") ? " selected" : "",
	            lamp && !strcmp(lamp, "amber") ? " selected" : "", lamp && !strcmp(lamp, "green") ? " selected" : "");
	if (!unit)
		tasks_unit_select(r, "unit", "责任单位", unit_q, 1, 1);
	form_input(r, "q", "任务名称含", "search", q, NULL, NULL);
	html_printf(b, "<button type=\"submit\">筛选</button></form>\n");
	TaskFilter f = {.status = strcmp(status, "all") ? status : NULL, .q = q};
	if (unit) {
		f.unit = unit;
		f.unit_is_area = r->role == ROLE_AREA;
	} else if (unit_q && *unit_q) {
		f.unit = unit_q;
		f.unit_is_area = plan_area(r->plan, unit_q) != NULL;
	}
	TaskRec *t;
	int n = store_tasks(r->store, &r->arena, &f, &t);
	if (n < 0) {
		html_printf(b, "<p class=\"form-error\">任务暂时无法读取，请稍后刷新。</p>");
		page_end(r);
		return;
	}
	if (unit) {
		/* a unit: the tasks it leads (answers), then those it co-owns (reads) */
		TaskRec *lead = arena_alloc(&r->arena, sizeof *lead * (size_t)(n + 1));
		TaskRec *co = arena_alloc(&r->arena, sizeof *co * (size_t)(n + 1));
		int nl = 0, nc = 0;
		for (int i = 0; i < n; i++) {
			int leads = 0;
			for (int u = 0; u < t[i].nunits; u++)
				leads |= t[i].unit_lead[u] && (!strcmp(t[i].units[u], unit) ||
				                               (r->role == ROLE_AREA && !strcmp(t[i].units[u], "@areas")));
			if (leads)
				lead[nl++] = t[i];
			else
				co[nc++] = t[i];
		}
		html_printf(b, "<h2>本单位牵头（%d）</h2>", nl);
		task_rows(r, lead, nl, today, lamp, "tasks-lead");
		html_printf(b, "<h2>本单位配合（%d，只读）</h2>", nc);
		task_rows(r, co, nc, today, lamp, "tasks-co");
	} else {
		html_printf(b, "<h2>任务（%d）</h2>", n);
		task_rows(r, t, n, today, lamp, "tasks");
	}
	page_end(r);
}

/* ---- a new task (the office) ---- */

static void indicator_select(Req *r)
{
	Buf *b = &r->out;
	html_printf(b, "<div class=\"field\"><label for=\"f-indicator\">量化指标（可选）</label><select id=\"f-indicator\" name=\"indicator\">"
	               "<option value=\"\">（无）</option>");
	for (int i = 0; i < r->plan->nindicators; i++)
		html_printf(b, "<option value=\"%h\">%h</option>", r->plan->indicators[i].code, r->plan->indicators[i].name);
	html_printf(b, "</select></div>\n");
}

/* WEBPAGE: GET /tasks/new */
void page_task_new(Req *r)
{
	Buf *b = &r->out;
	page_begin(r, "新建任务", "tasks");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/tasks\">督查督办</a> › 新建任务</p><h1>新建任务</h1>"
	               "<form method=\"post\" action=\"/tasks/new\" class=\"stack\">");
	form_csrf(r);
	form_input(r, "title", "任务名称", "text", NULL, NULL, " required maxlength=\"200\"");
	textarea(r, "detail", "任务说明", 0);
	tasks_unit_select(r, "lead", "牵头单位", NULL, 1, 1);
	tasks_unit_checks(r, "co", "配合单位（可多选，可不选）");
	form_input(r, "due_on", "完成时限", "date", NULL, NULL, NULL);
	indicator_select(r);
	html_printf(b, "<button type=\"submit\">创建</button></form>");
	page_end(r);
}

/* Splits "a, b，c" into codes. */
static int split_codes(Req *r, const char *text, const char ***out)
{
	int n = 0;
	const char **v = arena_alloc(&r->arena, sizeof *v * 64);
	const char *p = text ? text : "";
	while (*p && n < 63) {
		while (*p == ',' || *p == ' ' || !strncmp(p, "，", 3) || !strncmp(p, "、", 3))
			p += (*p == ',' || *p == ' ') ? 1 : 3;
		const char *s = p;
		while (*p && *p != ',' && *p != ' ' && strncmp(p, "，", 3) && strncmp(p, "、", 3))
			p++;
		if (p > s)
			{
			char *c = arena_alloc(&r->arena, (size_t)(p - s) + 1);
			memcpy(c, s, (size_t)(p - s));
			c[p - s] = 0;
			v[n++] = c;
		}
	}
	*out = v;
	return n;
}

int tasks_form_units(Req *r, const char *name, const char ***out)
{
	const char **vals;
	int nv = req_form_all(r, name, &vals), n = 0;
	const char **all = arena_alloc(&r->arena, sizeof *all * 64);
	for (int i = 0; i < nv && n < 63; i++) {
		const char **part;
		int np = split_codes(r, vals[i], &part);
		for (int k = 0; k < np && n < 63; k++)
			all[n++] = part[k];
	}
	*out = all;
	return n;
}

/* POST /tasks/new */
void page_task_create(Req *r)
{
	Actor who = req_actor(r);
	const char **co;
	int nco = tasks_form_units(r, "co", &co);
	TaskInput in = {.title = req_form(r, "title"), .detail = req_form(r, "detail"), .lead = req_form(r, "lead"),
	                .co = co, .nco = nco, .due_on = req_form(r, "due_on"), .indicator = req_form(r, "indicator")};
	long long id = 0;
	DomResult res = task_create(r->store, &who, &in, &id);
	page_done(r, res, arena_printf(&r->arena, "/tasks/%lld?done=created", id));
}

/* ---- one task ---- */

static void files_list(Req *r, Attachment *f, int n)
{
	if (!n)
		return;
	html_printf(&r->out, "<ul class=\"files\">");
	for (int i = 0; i < n; i++)
		html_printf(&r->out, "<li><a href=\"/attachments/%lld\">%h</a> <span class=\"muted\">%h，%lld KB，%h 上传于 %h</span></li>",
		            f[i].id, f[i].name, attachment_type_zh(f[i].mime), (f[i].size + 1023) / 1024, f[i].created_by,
		            fmt_time(&r->arena, f[i].created_at));
	html_printf(&r->out, "</ul>");
}

/* The evidence upload: a plain form (multipart/form-data) that works
 * without a script, posted to /tasks/{id}/attachments; with a script,
 * app.js sends the chosen file as the body of the API call instead and
 * shows the server's reason in place. */
static void upload_form(Req *r, long long task_id, const char *owner, long long sid)
{
	const char *fid = sid ? arena_printf(&r->arena, "ev-%lld", sid) : "ev-task";
	html_printf(&r->out,
	            "<form class=\"evidence-upload\" id=\"%h\" method=\"post\" action=\"/tasks/%lld/attachments\" "
	            "enctype=\"multipart/form-data\" data-api=\"/api/v1/tasks/%lld/attachments?owner=%h&amp;sid=%lld\" "
	            "data-csrf=\"%h\" data-back=\"/tasks/%lld?done=attached#%h\">",
	            fid, task_id, task_id, owner, sid, r->session ? r->session->csrf : "", task_id,
	            sid ? arena_printf(&r->arena, "sup-%lld", sid) : "evidence");
	form_csrf(r);
	html_printf(&r->out,
	            "<input type=\"hidden\" name=\"owner\" value=\"%h\"><input type=\"hidden\" name=\"sid\" value=\"%lld\">"
	            "<div class=\"field\"><label for=\"%h-file\">证明材料（照片或 PDF，8 MB 以内）</label>"
	            "<input id=\"%h-file\" name=\"file\" type=\"file\" accept=\"image/jpeg,image/png,image/webp,application/pdf\"></div>"
	            "<button type=\"submit\">上传</button> <span class=\"upload-status\" role=\"status\"></span></form>",
	            owner, sid, fid, fid);
}

static void step_line(Req *r, const char *what, const char *by, const char *at)
{
	if (at)
		html_printf(&r->out, "<li>%h：%h，北京时间 %h</li>", what, by ? by : "", fmt_time(&r->arena, at));
}

static void supervision_card(Req *r, const TaskRec *t, const Supervision *v, const char *today, int office,
                             const char *unit)
{
	Buf *b = &r->out;
	int open = !strcmp(v->status, "issued") || !strcmp(v->status, "signed");
	int over;
	Lamp l = open ? lamp_of(v->due_on, today, &over) : !strcmp(v->status, "answered") ? LAMP_GREEN : LAMP_DONE;
	if (!open)
		over = 0;
	html_printf(b, "<li class=\"card-item supervision %h\" id=\"sup-%lld\"><p class=\"title\">督办单 第 %d 轮 · 致 %h "
	               "<span class=\"sup-status\">%h</span></p>",
	            v->status, v->id, v->round, unit_name(r->plan, v->unit), supervision_status_zh(v->status));
	html_printf(b, "<p><span class=\"label\">督办事项</span>%h</p><p><span class=\"label\">办理时限</span>%h ", v->demand,
	            v->due_on);
	if (open)
		lamp_html(r, l, over, v->due_on, today);
	html_printf(b, "</p><ol class=\"steps\">");
	step_line(r, "下发", v->issued_by, v->issued_at);
	step_line(r, "签收", v->signed_by, v->signed_at);
	step_line(r, "反馈", v->answered_by, v->answered_at);
	step_line(r, !strcmp(v->status, "pressed") ? "催办" : "办结", v->verdict_by, v->verdict_at);
	html_printf(b, "</ol>");
	if (v->answer)
		html_printf(b, "<p class=\"answer\"><span class=\"label\">办理情况</span>%h</p>", v->answer);
	if (v->verdict)
		html_printf(b, "<p><span class=\"label\">%h</span>%h</p>", !strcmp(v->status, "pressed") ? "催办意见" : "审核意见", v->verdict);
	Attachment *f;
	int nf = store_attachments(r->store, &r->arena, "supervision", v->id, &f);
	if (nf > 0) {
		html_printf(b, "<p class=\"label\">证明材料</p>");
		files_list(r, f, nf);
	}
	int mine = unit && !strcmp(unit, v->unit);
	if (mine && !strcmp(v->status, "issued")) {
		html_printf(b, "<form method=\"post\" action=\"/tasks/%lld/supervisions/%lld/sign\">", t->id, v->id);
		form_csrf(r);
		html_printf(b, "<button type=\"submit\" class=\"primary\">签收</button></form>");
	}
	if (mine && open) {
		upload_form(r, t->id, "supervision", v->id);
		html_printf(b, "<form method=\"post\" action=\"/tasks/%lld/supervisions/%lld/answer\" class=\"stack answer-form\" "
		               "enctype=\"multipart/form-data\">", t->id, v->id);
		form_csrf(r);
		textarea(r, arena_printf(&r->arena, "answer-%lld", v->id), "办理情况", 1);
		html_printf(b, "<div class=\"field\"><label for=\"f-evidence-%lld\">%h</label>"
		               "<input id=\"f-evidence-%lld\" name=\"evidence\" type=\"file\" accept=\"image/*,application/pdf\"></div>",
		            v->id, nf > 0 ? "再附一份证明材料（可不附）" : "证明材料（拍照或选择照片、PDF，8 MB 以内）", v->id);
		html_printf(b, "<p class=\"muted\">反馈须附至少一份证明材料：可在这里随反馈一并提交，也可先在上方上传。</p>"
		               "<button type=\"submit\">提交反馈</button></form>");
	}
	if (office && !strcmp(v->status, "answered")) {
		html_printf(b, "<form method=\"post\" action=\"/tasks/%lld/supervisions/%lld/accept\" class=\"stack\">", t->id, v->id);
		form_csrf(r);
		form_input(r, "note", "审核意见（可空）", "text", NULL, NULL, NULL);
		html_printf(b, "<button type=\"submit\">同意办结</button></form>");
	}
	if (office && (open || !strcmp(v->status, "answered"))) {
		html_printf(b, "<form method=\"post\" action=\"/tasks/%lld/supervisions/%lld/press\" class=\"stack\">", t->id, v->id);
		form_csrf(r);
		form_input(r, "note", "催办意见", "text", NULL, NULL, " required");
		form_input(r, "due_on", "新的办理时限", "date", NULL, NULL, " required");
		html_printf(b, "<button type=\"submit\" class=\"danger\">催办（下发下一轮）</button></form>");
	}
	html_printf(b, "</li>");
}

/* The measurable result: the indicator's figure for the city this year. */
static void measure_html(Req *r, const TaskRec *t, const char *today)
{
	if (t->record_kind) {
		const Kind *k = kind_by_name(t->record_kind);
		long long n = store_task_record_count(r->store, t->record_kind, t->start_on, today);
		if (k && n >= 0) {
			html_printf(&r->out, "<p><span class=\"label\">量化结果</span>%h以来登记并通过审核的%h %lld 条", t->start_on ? t->start_on : "开始",
			            k->label, n);
			if (t->has_target)
				html_printf(&r->out, "，目标 %h 条", fmt_quantity(&r->arena, t->target, ""));
			html_printf(&r->out, "</p>");
		}
	}
	if (!t->indicator)
		return;
	const Indicator *ind = plan_indicator(r->plan, t->indicator);
	if (!ind)
		return;
	int year = progress_default_year(r->plan, today);
	Progress *g;
	int n = progress_compute(r->store, r->plan, &r->arena, r->plan->city.code, year, today, NULL, &g);
	for (int i = 0; i < n; i++) {
		if (g[i].ind != ind)
			continue;
		html_printf(&r->out, "<p><span class=\"label\">量化指标</span><a href=\"/progress/%h\">%h</a>：%d 年完成 %h",
		            ind->code, ind->name, year, fmt_quantity(&r->arena, g[i].actual, ind->unit));
		if (g[i].has_target)
			html_printf(&r->out, "，目标 %h（%h），%h", fmt_quantity(&r->arena, g[i].target, ind->unit),
			            fmt_percent(&r->arena, g[i].ratio), progress_status_zh(g[i].status));
		html_printf(&r->out, "</p>");
	}
}

/* Where a task came from, with a link back: the plan's work item, the
 * leadership group's meeting (for those who read the agenda), the event or
 * 现场会 whose follow-up it is (every user reads events). */
static void source_html(Req *r, const TaskRec *t)
{
	Buf *b = &r->out;
	long long ref = 0;
	const char *rs = t->source_ref;
	html_printf(b, "<p id=\"task-source\"><span class=\"label\">来源</span>");
	if (!strcmp(t->source, "event") && rs && !strncmp(rs, "event/", 6) && parse_int(rs + 6, 1, 1LL << 62, &ref)) {
		EventRec e;
		if (store_event_get(r->store, &r->arena, ref, &e) == 1)
			html_printf(b, "%h<a href=\"/events/%lld\">「%h」</a>（%h）的后续任务", event_kind_zh(e.kind), e.id, e.name, e.starts_on);
		else
			html_printf(b, "活动、现场会（已删除）");
	} else if (!strcmp(t->source, "meeting") && rs && !strncmp(rs, "agenda/", 7) && parse_int(rs + 7, 1, 1LL << 62, &ref) &&
	           (r->role == ROLE_ADMIN || r->role == ROLE_VIEWER)) {
		html_printf(b, "<a href=\"/agenda/%lld\">领导小组会议决定</a>", ref);
	} else {
		html_printf(b, "%h%h%h",
		            !strcmp(t->source, "plan") ? "行动计划“重点工作”" : !strcmp(t->source, "meeting") ? "领导小组会议决定" : "活动、现场会",
		            t->work_item ? " " : "", t->work_item ? t->work_item : "");
	}
	html_printf(b, "</p>");
}

/* WEBPAGE: GET /tasks/{id} */
void page_task(Req *r)
{
	long long id = req_param_int(r, "id");
	TaskRec t;
	if (!page_found(r, store_task_get(r->store, &r->arena, id, &t), "没有这项任务，请从任务列表中选择。"))
		return;
	Actor who = req_actor(r);
	int acc = task_access(r->store, &who, id);
	int office = acc == 3, lead = acc >= 2 && !office;
	const char *unit = my_unit(r);
	const char *today = tasks_page_today(r);
	Supervision *sv;
	int ns = store_supervisions(r->store, &r->arena, id, NULL, NULL, &sv);
	for (int i = 0; i < ns; i++)
		if (!strcmp(sv[i].status, "issued") || !strcmp(sv[i].status, "signed") || !strcmp(sv[i].status, "answered")) {
			if (!t.open_sup_due || strcmp(sv[i].due_on, t.open_sup_due) < 0) {
				t.open_sup_due = sv[i].due_on;
				t.open_sup_status = sv[i].status;
			}
		}
	Buf *b = &r->out;
	page_begin(r, t.title, "tasks");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/tasks\">督查督办</a> › %h</p><h1>%h</h1>\n", t.code ? t.code : "任务", t.title);
	tasks_page_flash(r);
	int over;
	const char *due;
	Lamp l = task_lamp(&t, today, &over, &due);
	html_printf(b, "<div class=\"task-head\"><p><span class=\"label\">状态</span>");
	lamp_html(r, l, over, due, today);
	html_printf(b, "</p><p><span class=\"label\">牵头单位</span>%h</p><p><span class=\"label\">配合单位</span>%h</p>"
	               "<p><span class=\"label\">完成时限</span>%h</p>",
	            units_text(r, &t, 1), units_text(r, &t, 0), t.due_on ? t.due_on : "—");
	if (t.source && strcmp(t.source, "office"))
		source_html(r, &t);
	measure_html(r, &t, today);
	if (t.detail)
		html_printf(b, "<p class=\"detail\">%h</p>", t.detail);
	if (!office && acc == 1 && unit)
		html_printf(b, "<p class=\"muted\">本单位是这项任务的配合单位：可以查看，进展和督办反馈由牵头单位填报。</p>");
	html_printf(b, "</div>\n");

	/* 督办单, the newest round first */
	html_printf(b, "<section id=\"supervision\"><h2>督办单（%d）</h2>", ns < 0 ? 0 : ns);
	if (ns > 0) {
		html_printf(b, "<ul class=\"cards\">");
		for (int i = ns - 1; i >= 0; i--)
			supervision_card(r, &t, &sv[i], today, office, unit);
		html_printf(b, "</ul>");
	} else {
		html_printf(b, "<p class=\"muted\">尚无督办单。</p>");
	}
	if (office && !strcmp(t.status, "open")) {
		html_printf(b, "<details><summary>下发督办单</summary><form method=\"post\" action=\"/tasks/%lld/supervisions\" class=\"stack\">", id);
		form_csrf(r);
		tasks_unit_select(r, "unit", "发给（牵头单位）", t.lead && strcmp(t.lead, "@areas") ? t.lead : NULL, 0, 1);
		textarea(r, "demand", "督办事项", 1);
		form_input(r, "due_on", "办理时限", "date", NULL, NULL, " required");
		html_printf(b, "<button type=\"submit\">下发</button></form></details>");
	}
	html_printf(b, "</section>\n");

	/* updates */
	TaskUpdate *u;
	int nu = store_task_updates(r->store, &r->arena, id, &u);
	html_printf(b, "<section id=\"updates\"><h2>工作进展（%d）</h2>", nu < 0 ? 0 : nu);
	if (nu > 0) {
		html_printf(b, "<ul class=\"cards\">");
		for (int i = 0; i < nu; i++) {
			html_printf(b, "<li class=\"card-item\"><p>%h</p><p class=\"muted\">%h · %h · 北京时间 %h", u[i].text,
			            unit_name(r->plan, u[i].unit), u[i].by_user, fmt_time(&r->arena, u[i].at));
			if (u[i].percent >= 0)
				html_printf(b, " · 完成 %d%%", u[i].percent);
			html_printf(b, "</p></li>");
		}
		html_printf(b, "</ul>");
	}
	if (lead || office) {
		html_printf(b, "<form method=\"post\" action=\"/tasks/%lld/updates\" class=\"stack\">", id);
		form_csrf(r);
		textarea(r, "text", "报送进展", 1);
		form_input(r, "percent", "完成比例（%，可空）", "number", NULL, NULL, " min=\"0\" max=\"100\"");
		html_printf(b, "<button type=\"submit\">报送</button></form>");
	}
	html_printf(b, "</section>\n");

	/* milestones */
	Milestone *m;
	int nm = store_milestones(r->store, &r->arena, id, &m);
	html_printf(b, "<section id=\"milestones\"><h2>节点（%d）</h2>", nm < 0 ? 0 : nm);
	if (nm > 0) {
		html_printf(b, "<ul class=\"cards\">");
		for (int i = 0; i < nm; i++) {
			int mo;
			Lamp ml = m[i].done_on ? LAMP_DONE : lamp_of(m[i].due_on, today, &mo);
			html_printf(b, "<li class=\"card-item\"><p class=\"title\">%h</p><p>%h ", m[i].title, m[i].due_on);
			lamp_html(r, ml, m[i].done_on ? 0 : mo, m[i].due_on, today);
			if (m[i].done_on)
				html_printf(b, " <span class=\"muted\">%h 完成</span>", m[i].done_on);
			html_printf(b, "</p>");
			if (!m[i].done_on && (lead || office)) {
				html_printf(b, "<form method=\"post\" action=\"/tasks/%lld/milestones/%lld/reached\">", id, m[i].id);
				form_csrf(r);
				html_printf(b, "<button type=\"submit\">标记完成</button></form>");
			}
			html_printf(b, "</li>");
		}
		html_printf(b, "</ul>");
	}
	if (office) {
		html_printf(b, "<details><summary>添加节点</summary><form method=\"post\" action=\"/tasks/%lld/milestones\" class=\"stack\">", id);
		form_csrf(r);
		form_input(r, "title", "节点名称", "text", NULL, NULL, " required");
		form_input(r, "due_on", "节点日期", "date", NULL, NULL, " required");
		html_printf(b, "<button type=\"submit\">添加</button></form></details>");
	}
	html_printf(b, "</section>\n");

	/* the task's own evidence */
	Attachment *f;
	int nf = store_attachments(r->store, &r->arena, "task", id, &f);
	html_printf(b, "<section id=\"evidence\"><h2>佐证材料（%d）</h2>", nf < 0 ? 0 : nf);
	files_list(r, f, nf < 0 ? 0 : nf);
	if (lead || office)
		upload_form(r, id, "task", 0);
	html_printf(b, "</section>\n");

	if (office) {
		html_printf(b, "<section id=\"office\"><h2>办公室操作</h2><form method=\"post\" action=\"/tasks/%lld/set\" class=\"stack\">", id);
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"f-status\">状态</label><select id=\"f-status\" name=\"status\">"
		               "<option value=\"\">（不变）</option><option value=\"done\">办结</option><option value=\"open\">重新打开</option>"
		               "<option value=\"cancelled\">撤销</option></select></div>");
		form_input(r, "due_on", "调整完成时限", "date", NULL, NULL, NULL);
		html_printf(b, "<button type=\"submit\">保存</button></form></section>");
	}
	if (r->role == ROLE_ADMIN)
		html_printf(&r->out, "<p><a href=\"/admin/audit?kind=tasks&amp;id=%lld\" class=\"no-print\" id=\"audit-link\">操作记录</a></p>",
		            id);
	page_end(r);
}

/* ---- the task's form posts ---- */

void tasks_page_after(Req *r, DomResult res, const char *done, const char *anchor)
{
	page_done(r, res, arena_printf(&r->arena, "/tasks/%lld?done=%s%s%s", req_param_int(r, "id"), done, anchor ? "#" : "",
	                               anchor ? anchor : ""));
}

/* POST /tasks/{id}/updates */
void page_task_update_post(Req *r)
{
	Actor who = req_actor(r);
	const char *p = req_form(r, "percent");
	long long pct = -1;
	if (p && *p && !parse_int(p, 0, 100, &pct)) {
		http_error(r, 400, "bad_percent", "完成比例应为 0 到 100 之间的整数。");
		return;
	}
	tasks_page_after(r, task_post_update(r->store, &who, req_param_int(r, "id"), req_form(r, "text"), (int)pct, NULL), "update",
	                 "updates");
}

/* POST /tasks/{id}/milestones */
void page_task_milestone_post(Req *r)
{
	Actor who = req_actor(r);
	tasks_page_after(r, task_add_milestone(r->store, &who, req_param_int(r, "id"), req_form(r, "title"), req_form(r, "due_on")),
	                 "milestone", "milestones");
}

/* POST /tasks/{id}/milestones/{mid}/reached */
void page_task_milestone_reached(Req *r)
{
	Actor who = req_actor(r);
	tasks_page_after(r, task_milestone_reached(r->store, &who, req_param_int(r, "id"), req_param_int(r, "mid")), "reached",
	                 "milestones");
}

/* POST /tasks/{id}/set */
void page_task_set(Req *r)
{
	Actor who = req_actor(r);
	const char *st = req_form(r, "status");
	tasks_page_after(r, task_set(r->store, &who, req_param_int(r, "id"), st && *st ? st : NULL, req_form(r, "due_on")), "set", NULL);
}

const char *tasks_page_sup_anchor(Req *r, long long sid)
{
	return arena_printf(&r->arena, "sup-%lld", sid);
}

/* The file of a plain form's field key as evidence (n 0: none chosen). */
int tasks_page_form_evidence(Req *r, const char *key, EvidenceFile *f)
{
	const FormFile *ff = req_file(r, key);
	if (!ff)
		return 0;
	f->name = ff->filename;
	f->data = ff->data;
	f->len = ff->len;
	return 1;
}

/* POST /tasks/{id}/attachments — the plain form's file (multipart): owner=task|supervision, sid */
void page_task_attach_post(Req *r)
{
	const char *owner = req_form(r, "owner");
	if (!owner || !*owner)
		owner = "task";
	long long sid = 0;
	const char *st = req_form(r, "sid");
	if (st && *st && !parse_int(st, 0, 1LL << 62, &sid)) {
		http_error(r, 400, "bad_sid", "请从任务页面上传证明材料。");
		return;
	}
	if (!strcmp(owner, "supervision") && sid <= 0) {
		http_error(r, 400, "bad_sid", "请指明督办单。");
		return;
	}
	EvidenceFile f;
	if (!tasks_page_form_evidence(r, "file", &f)) {
		http_error(r, 400, "no_file", "请先选择照片或 PDF 文件，再点“上传”。");
		return;
	}
	Actor who = req_actor(r);
	tasks_page_after(r, task_attach(r->store, &who, req_param_int(r, "id"), owner, sid, f.name, f.data, f.len, NULL), "attached",
	                 strcmp(owner, "supervision") ? "evidence" : tasks_page_sup_anchor(r, sid));
}

/* ---- the API ---- */

static json_t *task_json(Req *r, const TaskRec *t, const char *today)
{
	int over;
	const char *due;
	Lamp l = task_lamp(t, today, &over, &due);
	json_t *lead = json_array(), *co = json_array();
	for (int i = 0; i < t->nunits; i++)
		json_array_append_new(t->unit_lead[i] ? lead : co,
		                      json_pack("{s:s,s:s}", "code", t->units[i], "name", unit_name(r->plan, t->units[i])));
	json_t *o = json_pack("{s:I,s:s?,s:s?,s:s,s:s?,s:o,s:o,s:s?,s:s,s:s,s:i,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)t->id,
	                      "code", t->code, "work_item", t->work_item, "title", t->title, "detail", t->detail, "lead", lead,
	                      "co", co, "due_on", t->due_on, "status", t->status, "lamp", lamp_code(l), "days_overdue", over,
	                      "lamp_due_on", due, "indicator", t->indicator, "source", t->source, "source_ref", t->source_ref);
	if (t->record_kind) {
		long long n = store_task_record_count(r->store, t->record_kind, t->start_on, today);
		json_object_set_new(o, "record_kind", json_string(t->record_kind));
		if (n >= 0)
			json_object_set_new(o, "record_count", json_integer(n));
		if (t->has_target)
			json_object_set_new(o, "target", json_real(t->target));
	}
	if (t->open_sup_id)
		json_object_set_new(o, "open_supervision", json_pack("{s:I,s:s,s:s?,s:s?}", "id", (json_int_t)t->open_sup_id, "status",
		                                                     t->open_sup_status, "due_on", t->open_sup_due, "unit", t->open_sup_unit));
	return o;
}

/* API: GET /api/v1/tasks ?status=open|done|all&lamp=&unit=&q= (a unit: its own and co-owned) */
void api_tasks(Req *r)
{
	const char *status = req_query(r, "status"), *lamp = req_query(r, "lamp"), *unit_q = req_query(r, "unit");
	if (status && *status && strcmp(status, "open") && strcmp(status, "done") && strcmp(status, "all") &&
	    strcmp(status, "cancelled")) {
		http_error(r, 400, "bad_status", "status 应为 open、done、cancelled 或 all。");
		return;
	}
	if (lamp && *lamp && strcmp(lamp, "red") && strcmp(lamp, "amber") && strcmp(lamp, "green") && strcmp(lamp, "done") &&
	    strcmp(lamp, "none")) {
		http_error(r, 400, "bad_lamp", "lamp 应为 red、amber、green、done 或 none。");
		return;
	}
	const char *unit = my_unit(r);
	TaskFilter f = {.status = status && *status ? (strcmp(status, "all") ? status : NULL) : "open", .q = req_query(r, "q")};
	if (unit) {
		f.unit = unit;
		f.unit_is_area = r->role == ROLE_AREA;
	} else if (unit_q && *unit_q) {
		f.unit = unit_q;
		f.unit_is_area = plan_area(r->plan, unit_q) != NULL;
	}
	TaskRec *t;
	int n = store_tasks(r->store, &r->arena, &f, &t);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	const char *today = tasks_page_today(r);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = task_json(r, &t[i], today);
		if (lamp && *lamp && strcmp(json_string_value(json_object_get(o, "lamp")), lamp)) {
			json_decref(o);
			continue;
		}
		json_array_append_new(arr, o);
	}
	http_json(r, 200, json_pack("{s:s,s:I,s:o}", "today", today, "count", (json_int_t)json_array_size(arr), "tasks", arr));
}

/* The strings of a JSON array (codes), in the arena. */
static int json_codes(Req *r, json_t *arr, const char ***out)
{
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	const char **v = arena_alloc(&r->arena, sizeof *v * (n + 1));
	int k = 0;
	for (size_t i = 0; i < n && i < 64; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		v[k++] = s ? arena_strdup(&r->arena, s) : "";
	}
	*out = v;
	return k;
}

/* API: POST /api/v1/tasks {title, detail?, lead, co?, start_on?, due_on?, indicator?, record_kind?, target?, source?, source_ref?} */
void api_task_create(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char **co;
	int nco = json_codes(r, json_object_get(j, "co"), &co);
	json_t *target = json_object_get(j, "target");
	TaskInput in = {
		.title = json_string_value(json_object_get(j, "title")), .detail = json_string_value(json_object_get(j, "detail")),
		.lead = json_string_value(json_object_get(j, "lead")), .co = co, .nco = nco,
		.start_on = json_string_value(json_object_get(j, "start_on")), .due_on = json_string_value(json_object_get(j, "due_on")),
		.indicator = json_string_value(json_object_get(j, "indicator")),
		.record_kind = json_string_value(json_object_get(j, "record_kind")), .target = json_number_value(target),
		.has_target = json_is_number(target), .source = json_string_value(json_object_get(j, "source")),
		.source_ref = json_string_value(json_object_get(j, "source_ref")),
	};
	Actor who = req_actor(r);
	long long id = 0;
	DomResult res = task_create(r->store, &who, &in, &id);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	api_created(r, res, id);
}

/* API: GET /api/v1/tasks/{id} — with milestones, updates, 督办单 and files */
void api_task(Req *r)
{
	long long id = req_param_int(r, "id");
	TaskRec t;
	if (!page_found(r, store_task_get(r->store, &r->arena, id, &t), "没有这项任务。"))
		return;
	const char *today = tasks_page_today(r);
	Supervision *sv;
	int ns = store_supervisions(r->store, &r->arena, id, NULL, NULL, &sv);
	json_t *sups = json_array();
	for (int i = 0; i < ns; i++) {
		int open = !strcmp(sv[i].status, "issued") || !strcmp(sv[i].status, "signed"), over = 0;
		Lamp l = open ? lamp_of(sv[i].due_on, today, &over) : LAMP_DONE;
		if (open || !strcmp(sv[i].status, "answered")) {
			if (!t.open_sup_due || strcmp(sv[i].due_on, t.open_sup_due) < 0) {
				t.open_sup_id = sv[i].id;
				t.open_sup_due = sv[i].due_on;
				t.open_sup_status = sv[i].status;
				t.open_sup_unit = sv[i].unit;
			}
		}
		json_array_append_new(sups, json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:o}",
		                                       "id", (json_int_t)sv[i].id, "round", sv[i].round, "unit", sv[i].unit,
		                                       "demand", sv[i].demand, "due_on", sv[i].due_on, "status", sv[i].status,
		                                       "lamp", lamp_code(l), "days_overdue", over, "issued_by", sv[i].issued_by,
		                                       "issued_at", sv[i].issued_at, "signed_by", sv[i].signed_by, "signed_at",
		                                       sv[i].signed_at, "answer", sv[i].answer, "answered_by", sv[i].answered_by,
		                                       "answered_at", sv[i].answered_at, "verdict", sv[i].verdict, "verdict_by",
		                                       sv[i].verdict_by, "verdict_at", sv[i].verdict_at, "files",
		                                       api_attachments_json(r, "supervision", sv[i].id)));
	}
	json_t *o = task_json(r, &t, today);
	Actor who = req_actor(r);
	int acc = task_access(r->store, &who, id);
	json_object_set_new(o, "may_answer", json_boolean(acc >= 2));
	json_object_set_new(o, "supervisions", sups);
	Milestone *m;
	int nm = store_milestones(r->store, &r->arena, id, &m);
	json_t *ms = json_array();
	for (int i = 0; i < nm; i++)
		json_array_append_new(ms, json_pack("{s:I,s:s,s:s,s:s?}", "id", (json_int_t)m[i].id, "title", m[i].title, "due_on",
		                                    m[i].due_on, "done_on", m[i].done_on));
	json_object_set_new(o, "milestones", ms);
	TaskUpdate *u;
	int nu = store_task_updates(r->store, &r->arena, id, &u);
	json_t *us = json_array();
	for (int i = 0; i < nu; i++) {
		json_t *x = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)u[i].id, "unit", u[i].unit, "text", u[i].text, "by",
		                      u[i].by_user, "at", u[i].at);
		if (u[i].percent >= 0)
			json_object_set_new(x, "percent", json_integer(u[i].percent));
		json_array_append_new(us, x);
	}
	json_object_set_new(o, "updates", us);
	json_object_set_new(o, "files", api_attachments_json(r, "task", id));
	http_json(r, 200, o);
}

/* API: POST /api/v1/tasks/{id}/updates {text, percent?} */
void api_task_update(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	json_t *pct = json_object_get(j, "percent");
	if (pct && !json_is_null(pct) && !json_is_integer(pct)) {
		http_error(r, 400, "bad_percent", "完成比例应为 0 到 100 之间的整数。");
		return;
	}
	json_int_t p = json_is_integer(pct) ? json_integer_value(pct) : -1;
	if (p < -1 || p > 100) {
		http_error(r, 400, "bad_percent", "完成比例应为 0 到 100 之间的整数。");
		return;
	}
	Actor who = req_actor(r);
	long long uid = 0;
	DomResult res = task_post_update(r->store, &who, req_param_int(r, "id"), json_string_value(json_object_get(j, "text")),
	                                 (int)p, &uid);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	http_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)uid, "message", res.message));
}

/* API: POST /api/v1/tasks/{id}/attachments?owner=task|supervision&sid=&name= — the file as the body */
void api_task_attach(Req *r)
{
	const char *owner = req_query(r, "owner");
	if (!owner || !*owner)
		owner = "task";
	long long sid = 0;
	if (!req_query_int(r, "sid", 0, 1LL << 62, 0, &sid))
		return;
	if (!strcmp(owner, "supervision") && sid <= 0) {
		http_error(r, 400, "bad_sid", "请指明督办单（sid）。");
		return;
	}
	if (!api_attachment_size_ok(r))
		return;
	Actor who = req_actor(r);
	long long fid = 0;
	DomResult res = task_attach(r->store, &who, req_param_int(r, "id"), owner, sid, req_query(r, "name"),
	                            (const unsigned char *)r->body.data, r->body.len, &fid);
	api_attachment_answer(r, res, fid);
}

/* ---- 工作台: my tasks ---- */

typedef struct MyWork {
	Supervision *sup;  /* 督办单 to my unit not yet answered (or, for the office, answered) */
	int nsup;
	TaskRec *lead;     /* tasks I lead, red and amber first */
	int nlead, nurgent, nco;
} MyWork;

static int my_work(Req *r, MyWork *w, const char *today)
{
	memset(w, 0, sizeof *w);
	const char *unit = my_unit(r);
	if (r->role == ROLE_ADMIN) {
		w->nsup = store_supervisions(r->store, &r->arena, 0, NULL, "answered", &w->sup);
		return w->nsup < 0 ? -1 : 0;
	}
	if (!unit)
		return 0;
	w->nsup = store_supervisions(r->store, &r->arena, 0, unit, "issued,signed", &w->sup);
	if (w->nsup < 0)
		return -1;
	TaskFilter f = {.unit = unit, .unit_is_area = r->role == ROLE_AREA, .status = "open"};
	TaskRec *t;
	int n = store_tasks(r->store, &r->arena, &f, &t);
	if (n < 0)
		return -1;
	w->lead = arena_alloc(&r->arena, sizeof *w->lead * (size_t)(n + 1));
	for (int pass = 0; pass < 3; pass++)
		for (int i = 0; i < n; i++) {
			int leads = 0;
			for (int u = 0; u < t[i].nunits; u++)
				leads |= t[i].unit_lead[u] && (!strcmp(t[i].units[u], unit) ||
				                               (r->role == ROLE_AREA && !strcmp(t[i].units[u], "@areas")));
			if (!leads) {
				w->nco += pass == 0;
				continue;
			}
			Lamp l = task_lamp(&t[i], today, NULL, NULL);
			int rank = l == LAMP_RED ? 0 : l == LAMP_AMBER ? 1 : 2;
			if (rank != pass)
				continue;
			w->lead[w->nlead++] = t[i];
			w->nurgent += rank < 2;
		}
	return 0;
}

long long tasks_work_count(Req *r)
{
	MyWork w;
	if (my_work(r, &w, tasks_page_today(r)) < 0)
		return -1;
	return w.nsup + w.nurgent;
}

void tasks_work_write(Req *r)
{
	Buf *b = &r->out;
	const char *today = tasks_page_today(r);
	MyWork w;
	html_printf(b, "<section class=\"work\" id=\"work-tasks\"><h2>督查督办</h2>\n");
	if (my_work(r, &w, today) < 0) {
		html_printf(b, "<p class=\"form-error\">任务暂时无法读取，请稍后刷新。</p></section>\n");
		return;
	}
	if (r->role == ROLE_VIEWER) {
		UnitLamps *u;
		int n = supervision_table(r->store, &r->arena, r->plan, today, &u), red = 0, amber = 0, units = 0, sup = 0;
		for (int i = 0; i < n; i++) {
			red += u[i].red;
			amber += u[i].amber;
			units += u[i].red > 0 || u[i].sup_overdue > 0;
			sup += u[i].sup_overdue;
		}
		html_printf(b, "<p>截至北京时间 %h：逾期任务 <span class=\"lamp red\">%d 项</span>，临期任务 <span class=\"lamp amber\">%d 项</span>，"
		               "逾期未反馈的督办单 %d 份，涉及 %d 个单位。</p>"
		               "<p><a href=\"/supervision\">督办一览（各单位的灯）→</a> · <a href=\"/agenda\">领导小组议题 →</a></p></section>\n",
		            today, red, amber, sup, units);
		return;
	}
	if (r->role == ROLE_ADMIN) {
		html_printf(b, "<h3>待审核的督办反馈（%d）</h3>", w.nsup);
		if (w.nsup) {
			html_printf(b, "<ul class=\"cards\">");
			for (int i = 0; i < w.nsup; i++)
				html_printf(b, "<li class=\"card-item\"><p class=\"title\"><a href=\"/tasks/%lld#sup-%lld\">%h</a></p>"
				               "<p class=\"muted\">%h 反馈于北京时间 %h</p></li>",
				            w.sup[i].task_id, w.sup[i].id, w.sup[i].task_title, unit_name(r->plan, w.sup[i].unit),
				            fmt_time(&r->arena, w.sup[i].answered_at));
			html_printf(b, "</ul>");
		}
		html_printf(b, "<p><a href=\"/supervision\">督办一览（各单位的灯）→</a> · <a href=\"/agenda\">领导小组议题 →</a></p></section>\n");
		return;
	}
	if (w.nsup) {
		html_printf(b, "<h3>待签收、待反馈的督办单（%d）</h3><ul class=\"cards\">", w.nsup);
		for (int i = 0; i < w.nsup; i++) {
			int over;
			Lamp l = lamp_of(w.sup[i].due_on, today, &over);
			html_printf(b, "<li class=\"card-item supervision\"><p class=\"title\"><a href=\"/tasks/%lld#sup-%lld\">%h</a></p>"
			               "<p>%h</p><p>办理时限 %h ",
			            w.sup[i].task_id, w.sup[i].id, w.sup[i].task_title, w.sup[i].demand, w.sup[i].due_on);
			lamp_html(r, l, over, w.sup[i].due_on, today);
			html_printf(b, " · %h</p><p><a class=\"button\" href=\"/tasks/%lld#sup-%lld\">%h</a></p></li>",
			            supervision_status_zh(w.sup[i].status), w.sup[i].task_id, w.sup[i].id,
			            !strcmp(w.sup[i].status, "issued") ? "签收" : "反馈");
		}
		html_printf(b, "</ul>");
	}
	html_printf(b, "<h3>本单位牵头的在办任务（%d）</h3>", w.nlead);
	if (w.nlead) {
		html_printf(b, "<ul class=\"cards\">");
		int shown = w.nlead < 8 ? w.nlead : 8;
		for (int i = 0; i < shown; i++) {
			int over;
			const char *due;
			Lamp l = task_lamp(&w.lead[i], today, &over, &due);
			html_printf(b, "<li class=\"card-item task\"><p class=\"title\"><a href=\"/tasks/%lld\">%h</a></p><p>", w.lead[i].id,
			            w.lead[i].title);
			lamp_html(r, l, over, due, today);
			html_printf(b, " <span class=\"muted\">时限 %h</span></p></li>", due ? due : "—");
		}
		html_printf(b, "</ul>");
	}
	html_printf(b, "<p><a href=\"/tasks\">全部任务（含配合的 %d 项）→</a></p></section>\n", w.nco);
}
