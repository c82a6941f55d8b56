/*
 * page_agenda.c — the leadership group's agendas (领导小组议题) in the work
 * system: the office gathers a draft of what to put to the next meeting
 * (lagging indicators, overdue tasks, areas' requests, pending
 * recognitions, with their figures), records the meeting's decisions,
 * each of which becomes a task, and marks the meeting held; /agenda... and
 * /api/v1/agendas.... The work is tasks.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_tasks.h"
#include "tasks.h"

/* ---- the pages ---- */

/* WEBPAGE: GET /agenda — the leadership group's meetings; the office drafts the next one. */
void page_agendas(Req *r)
{
	AgendaRec *g;
	int n = store_agendas(r->store, &r->arena, &g);
	Buf *b = &r->out;
	page_begin(r, "领导小组议题", "tasks");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/tasks\">督查督办</a> › 议题</p><h1>领导小组议题</h1>"
	               "<p class=\"lead\">办公室定期梳理汇总提交领导小组研究审议的议题：滞后指标、逾期任务、各地月报提请协调的事项和待办的认定，附数据。</p>");
	tasks_page_flash(r);
	if (r->role == ROLE_ADMIN) {
		html_printf(b, "<form method=\"post\" action=\"/agenda\" class=\"stack\"><h2>汇总下次会议议题</h2>");
		form_csrf(r);
		form_input(r, "title", "会议名称", "text", "市委科技强市建设领导小组大孵化集群专题会议", NULL, " required");
		form_input(r, "meeting_on", "会议日期", "date", NULL, NULL, NULL);
		html_printf(b, "<button type=\"submit\">汇总议题（草稿）</button></form>");
	}
	html_printf(b, "<h2>会议（%d）</h2><ul class=\"cards\">", n < 0 ? 0 : n);
	for (int i = 0; i < n; i++)
		html_printf(b, "<li class=\"card-item\"><p class=\"title\"><a href=\"/agenda/%lld\">%h</a></p><p class=\"muted\">%h · %h</p></li>",
		            g[i].id, g[i].title, g[i].meeting_on ? g[i].meeting_on : "日期待定",
		            !strcmp(g[i].status, "held") ? "已召开" : "草稿");
	html_printf(b, "</ul>");
	page_end(r);
}

/* POST /agenda */
void page_agenda_post(Req *r)
{
	Actor who = req_actor(r);
	long long id = 0;
	DomResult res = agenda_draft(r->store, &who, req_form(r, "title"), req_form(r, "meeting_on"), &id);
	page_done(r, res, arena_printf(&r->arena, "/agenda/%lld?done=drafted", id));
}

/* Agenda id with its items and decisions, as its page and the API show it:
 * 1, or 0 after answering 404 or 500. */
static int agenda_read(Req *r, long long id, AgendaRec *g, AgendaItem **it, int *ni, AgendaDecision **d, int *nd)
{
	int found = store_agenda_get(r->store, &r->arena, id, g);
	if (found > 0) {
		*ni = store_agenda_items(r->store, &r->arena, id, it);
		*nd = *ni < 0 ? -1 : store_agenda_decisions(r->store, &r->arena, id, d);
		if (*nd < 0)
			found = -1;
	}
	return page_found(r, found, "没有这次会议的议题。");
}

/* WEBPAGE: GET /agenda/{id} */
void page_agenda(Req *r)
{
	long long id = req_param_int(r, "id");
	AgendaRec g;
	AgendaItem *it;
	AgendaDecision *d;
	int ni, nd;
	if (!agenda_read(r, id, &g, &it, &ni, &d, &nd))
		return;
	Buf *b = &r->out;
	page_begin(r, g.title, "tasks");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/agenda\">领导小组议题</a> › %h</p><h1>%h</h1><p class=\"lead\">%h · %h · 汇总于北京时间 %h</p>",
	            g.meeting_on ? g.meeting_on : "日期待定", g.title, g.meeting_on ? g.meeting_on : "日期待定",
	            !strcmp(g.status, "held") ? "已召开" : "草稿", fmt_time(&r->arena, g.created_at));
	tasks_page_flash(r);
	static const char *const kinds[] = {"indicator", "task", "help", "recognition", "other"};
	int no = 0;
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		int count = 0;
		for (int i = 0; i < ni; i++)
			count += !strcmp(it[i].kind, kinds[k]);
		if (!count)
			continue;
		html_printf(b, "<section class=\"agenda-%h\"><h2>%h（%d）</h2><ol class=\"agenda-items\">", kinds[k],
		            agenda_kind_zh(kinds[k]), count);
		for (int i = 0; i < ni; i++) {
			if (strcmp(it[i].kind, kinds[k]))
				continue;
			no++;
			html_printf(b, "<li id=\"item-%lld\"><p class=\"title\">%h</p><p class=\"figures\">%h</p>", it[i].id, it[i].title,
			            it[i].figures ? it[i].figures : "");
			if (!strcmp(it[i].kind, "task") && it[i].ref)
				html_printf(b, "<p><a href=\"/tasks/%h\">任务详情 →</a></p>", it[i].ref);
			html_printf(b, "</li>");
		}
		html_printf(b, "</ol></section>");
	}
	if (!no)
		html_printf(b, "<p class=\"muted\">没有需要提交会议的事项。</p>");
	html_printf(b, "<section id=\"decisions\"><h2>会议决定（%d）</h2><ul class=\"cards\">", nd < 0 ? 0 : nd);
	for (int i = 0; i < nd; i++)
		html_printf(b, "<li class=\"card-item\"><p class=\"title\">%h</p><p><a href=\"/tasks/%lld\">已转为任务 →</a></p></li>",
		            d[i].text, d[i].task_id);
	html_printf(b, "</ul>");
	if (r->role == ROLE_ADMIN) {
		html_printf(b, "<form method=\"post\" action=\"/agenda/%lld/decisions\" class=\"stack\"><h3>记录会议决定（转为任务）</h3>", id);
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"f-item\">针对议题</label><select id=\"f-item\" name=\"item\"><option value=\"0\">（综合）</option>");
		for (int i = 0; i < ni; i++)
			html_printf(b, "<option value=\"%lld\">%h</option>", it[i].id, it[i].title);
		html_printf(b, "</select></div>");
		form_input(r, "text", "决定事项（任务名称）", "text", NULL, NULL, " required maxlength=\"200\"");
		tasks_unit_select(r, "lead", "牵头单位", NULL, 1, 1);
		form_input(r, "due_on", "完成时限", "date", NULL, NULL, NULL);
		html_printf(b, "<button type=\"submit\">记录并转为任务</button></form>");
		if (strcmp(g.status, "held")) {
			html_printf(b, "<form method=\"post\" action=\"/agenda/%lld/held\">", id);
			form_csrf(r);
			html_printf(b, "<button type=\"submit\">标记会议已召开</button></form>");
		}
	}
	html_printf(b, "</section>");
	page_end(r);
}

/* POST /agenda/{id}/decisions */
void page_agenda_decide(Req *r)
{
	Actor who = req_actor(r);
	long long item = 0;
	const char *it = req_form(r, "item");
	if (it && *it && !parse_int(it, 0, 1LL << 62, &item)) {
		http_error(r, 400, "bad_item", "请从列表中选择议题。");
		return;
	}
	long long id = req_param_int(r, "id");
	DomResult res = agenda_decide(r->store, &who, id, item, req_form(r, "text"), req_form(r, "lead"), req_form(r, "due_on"), NULL);
	page_done(r, res, arena_printf(&r->arena, "/agenda/%lld?done=decided#decisions", id));
}

/* POST /agenda/{id}/held */
void page_agenda_held(Req *r)
{
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	DomResult res = agenda_held(r->store, &who, id);
	page_done(r, res, arena_printf(&r->arena, "/agenda/%lld?done=held", id));
}

/* ---- the API ---- */

/* API: GET /api/v1/agendas */
void api_agendas(Req *r)
{
	AgendaRec *g;
	int n = store_agendas(r->store, &r->arena, &g);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s?,s:s,s:s}", "id", (json_int_t)g[i].id, "title", g[i].title,
		                                     "meeting_on", g[i].meeting_on, "status", g[i].status, "created_at", g[i].created_at));
	http_json(r, 200, json_pack("{s:o}", "agendas", arr));
}

/* API: POST /api/v1/agendas {title, meeting_on?} — gathers a draft */
void api_agenda_create(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor who = req_actor(r);
	long long id = 0;
	DomResult res = agenda_draft(r->store, &who, json_string_value(json_object_get(j, "title")),
	                             json_string_value(json_object_get(j, "meeting_on")), &id);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	api_created(r, res, id);
}

/* API: GET /api/v1/agendas/{id} — items with their figures, decisions */
void api_agenda(Req *r)
{
	long long id = req_param_int(r, "id");
	AgendaRec g;
	AgendaItem *it;
	AgendaDecision *d;
	int ni, nd;
	if (!agenda_read(r, id, &g, &it, &ni, &d, &nd))
		return;
	json_t *items = json_array(), *decs = json_array();
	for (int i = 0; i < ni; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s?,s:s,s:s?}", "id", (json_int_t)it[i].id, "kind", it[i].kind,
		                                       "kind_zh", agenda_kind_zh(it[i].kind), "ref", it[i].ref, "title", it[i].title,
		                                       "figures", it[i].figures));
	for (int i = 0; i < nd; i++)
		json_array_append_new(decs, json_pack("{s:I,s:s,s:I}", "id", (json_int_t)d[i].id, "text", d[i].text, "task_id",
		                                      (json_int_t)d[i].task_id));
	http_json(r, 200, json_pack("{s:I,s:s,s:s?,s:s,s:o,s:o}", "id", (json_int_t)g.id, "title", g.title, "meeting_on",
	                            g.meeting_on, "status", g.status, "items", items, "decisions", decs));
}

/* API: POST /api/v1/agendas/{id}/decisions {text, lead, due_on?, item?} — becomes a task */
void api_agenda_decide(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	json_t *item = json_object_get(j, "item");
	Actor who = req_actor(r);
	long long tid = 0;
	DomResult res = agenda_decide(r->store, &who, req_param_int(r, "id"), json_is_integer(item) ? json_integer_value(item) : 0,
	                              json_string_value(json_object_get(j, "text")), json_string_value(json_object_get(j, "lead")),
	                              json_string_value(json_object_get(j, "due_on")), &tid);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	http_json(r, 201, json_pack("{s:I,s:s}", "task_id", (json_int_t)tid, "message", res.message));
}
