/*
 * page_recognition.c — the pages and API of 认定与备案 (成熟一个、备案一个):
 * a base applies for demonstration status or a level; its area endorses;
 * the office files it with a date — from that date the recognition counts
 * toward the plan's targets (base_level). The work is recognition.c's.
 * Pages /bases/{id}/recognitions, /recognitions; API under /api/v1/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_records.h"
#include "session.h"

static const char *status_zh(const char *st)
{
	return !strcmp(st, "applied") ? "已申请，待区域推荐" : !strcmp(st, "endorsed") ? "区域已推荐，待市专班备案"
	     : !strcmp(st, "filed") ? "已备案" : !strcmp(st, "returned") ? "已退回" : st;
}

static void recognition_rows(Req *r, Recognition *v, int n, int actions)
{
	Buf *b = &r->out;
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"recognitions\"><thead><tr><th scope=\"col\">孵化基地</th>"
	               "<th scope=\"col\">级别</th><th scope=\"col\">状态</th><th scope=\"col\">申请</th><th scope=\"col\">备案日期</th>"
	               "<th scope=\"col\">操作</th></tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		const Recognition *x = &v[i];
		html_printf(b, "<tr><th scope=\"row\"><a href=\"/bases/%lld/evaluation\">%h</a></th><td>%h</td><td>%h%s%h</td>"
		               "<td>%h %h</td><td>%h</td><td>",
		            x->base_id, x->base_name, vocab_name(r->plan, "base_level", x->level), status_zh(x->status),
		            x->note ? ":" : "", x->note ? x->note : "", x->applied_by, fmt_time(&r->arena, x->applied_at), x->filed_on ? x->filed_on : "—");
		int open = !strcmp(x->status, "applied") || !strcmp(x->status, "endorsed");
		Actor who = req_actor(r);
		int can_endorse = !strcmp(x->status, "applied") && !recognition_refusal(&who, x, "endorse");
		int can_file = !strcmp(x->status, "endorsed") && !recognition_refusal(&who, x, "file");
		if (actions && open && (can_endorse || can_file)) {
			html_printf(b, "<form method=\"post\" action=\"/recognitions/%lld/%s\" class=\"review-actions\">", x->id,
			            can_file ? "file" : "endorse");
			form_csrf(r);
			if (can_file) {
				char today[11];
				date_today(today);
				form_input(r, "filed_on", "备案日期", "date", today, NULL, NULL);
				form_input(r, "document", "备案文号", "text", NULL, NULL, NULL);
			}
			html_printf(b, "<button type=\"submit\">%s</button></form>", can_file ? "备案" : "推荐");
			html_printf(b, "<form method=\"post\" action=\"/recognitions/%lld/return\" class=\"review-actions\">", x->id);
			form_csrf(r);
			form_input(r, "note", "退回原因", "text", NULL, NULL, " required");
			html_printf(b, "<button type=\"submit\" class=\"danger\">退回</button></form>");
		}
		html_printf(b, "</td></tr>");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* WEBPAGE: GET /bases/{id}/recognitions */
void page_base_recognitions(Req *r)
{
	long long id = req_param_int(r, "id");
	json_t *rec = record_load(r, &kind_base, id);
	if (!rec) {
		http_error(r, 404, "not_found", "没有这个孵化基地。");
		return;
	}
	Recognition *v;
	int n = store_recognitions(r->store, &r->arena, id, NULL, NULL, &v);
	Buf *b = &r->out;
	const char *name = arena_strdup(&r->arena, json_string_value(json_object_get(rec, "name")));
	page_begin(r, arena_printf(&r->arena, "%s · 认定", name), "evaluation");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/bases/%lld\">%h</a> › 认定</p><h1>%h · 认定与备案</h1>\n", id, name, name);
	html_printf(b, "<h2>已认定</h2>");
	json_t *levels = json_object_get(rec, "levels");
	if (!json_array_size(levels))
		html_printf(b, "<p class=\"muted\">暂无。</p>");
	else {
		html_printf(b, "<ul id=\"levels\">");
		size_t i;
		json_t *l;
		json_array_foreach(levels, i, l)
			html_printf(b, "<li>%h（%h 起）</li>", vocab_name(r->plan, "base_level", json_string_value(json_object_get(l, "level"))),
			            json_string_value(json_object_get(l, "recognised_on")));
		html_printf(b, "</ul>");
	}
	json_decref(rec);
	html_printf(b, "<h2>申请</h2>");
	recognition_rows(r, v, n > 0 ? n : 0, 1);
	if (r->role == ROLE_ADMIN || r->role == ROLE_AREA || r->role == ROLE_BASE) {
		html_printf(b, "<form method=\"post\" action=\"/bases/%lld/recognitions\" class=\"card\"><h3>申请认定</h3>", id);
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"f-level\">级别</label><select id=\"f-level\" name=\"level\">");
		for (int i = 0; i < r->plan->nvocab; i++)
			if (!strcmp(r->plan->vocab[i].list, "base_level"))
				html_printf(b, "<option value=\"%h\">%h</option>", r->plan->vocab[i].code, r->plan->vocab[i].name);
		html_printf(b, "</select></div><button type=\"submit\">提交申请</button> "
		               "<a href=\"/bases/%lld/evaluation\">先看对照评价</a></form>\n", id);
	}
	page_end(r);
}

/* WEBPAGE: POST /bases/{id}/recognitions — level */
void page_apply_post(Req *r)
{
	long long id = req_param_int(r, "id");
	Actor who = req_actor(r);
	DomResult res = recognition_apply(r->store, &who, id, req_form(r, "level"), NULL);
	page_done(r, res, arena_printf(&r->arena, "/bases/%lld/recognitions", id));
}

/* WEBPAGE: GET /recognitions — open applications (an area reporter sees its area's) */
void page_recognitions(Req *r)
{
	Recognition *v;
	const char *area = r->role == ROLE_AREA && r->session ? r->session->user.scope : NULL;
	const char *status = req_query(r, "status");
	int n = store_recognitions(r->store, &r->arena, 0, status && *status ? status : NULL, area, &v);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	page_begin(r, "认定申请", "recognitions");
	html_printf(&r->out, "<h1>认定申请</h1><p class=\"lead\">成熟一个、备案一个：基地申请，区域推荐，市专班对照评价后备案；"
	                     "备案日期起计入规划目标。</p>\n");
	if (n == 0) /* an empty state that says what to do next */
		html_printf(&r->out, "<p class=\"empty\">暂无%s申请。申请从孵化基地的“对照评价”页发起：打开<a href=\"/bases\">登记库</a>中的孵化基地，"
		                     "在其评价页点击“认定申请”。</p>\n", status && *status ? "该状态的" : "");
	else
		recognition_rows(r, v, n, 1);
	page_end(r);
}

/* The page actions: each its own route, so routes.c says who may do what. */
static void page_act(Req *r, const char *action)
{
	Actor who = req_actor(r);
	DomResult res = recognition_act(r->store, &who, req_param_int(r, "id"), action, req_form(r, "filed_on"),
	                                req_form(r, "document"), req_form(r, "note"));
	page_done(r, res, "/recognitions");
}

/* WEBPAGE: POST /recognitions/{id}/endorse — the area recommends */
void page_recognition_endorse(Req *r)
{
	page_act(r, "endorse");
}

/* WEBPAGE: POST /recognitions/{id}/file — the office files: filed_on, document */
void page_recognition_file(Req *r)
{
	page_act(r, "file");
}

/* WEBPAGE: POST /recognitions/{id}/return — note */
void page_recognition_return(Req *r)
{
	page_act(r, "return");
}

/* API: POST /api/v1/bases/{id}/recognitions {"level"} */
void api_apply(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	long long nid = 0;
	Actor who = req_actor(r);
	DomResult res = recognition_apply(r->store, &who, req_param_int(r, "id"), json_string_value(json_object_get(j, "level")), &nid);
	if (res.code != DOM_OK)
		page_refuse(r, res);
	else
		http_json(r, 201, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)nid, "status", "applied", "message", res.message));
}

/* API: GET /api/v1/recognitions?status= */
void api_recognitions(Req *r)
{
	Recognition *v;
	const char *area = r->role == ROLE_AREA && r->session ? r->session->user.scope : NULL;
	const char *status = req_query(r, "status");
	int n = store_recognitions(r->store, &r->arena, 0, status && *status ? status : NULL, area, &v);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?}", "id", (json_int_t)v[i].id, "base_id",
		                                     (json_int_t)v[i].base_id, "base_name", v[i].base_name, "area", v[i].area, "level",
		                                     v[i].level, "status", v[i].status, "filed_on", v[i].filed_on, "document",
		                                     v[i].document, "note", v[i].note));
	http_json(r, 200, json_pack("{s:o}", "items", arr));
}

static void api_act(Req *r, const char *action)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor who = req_actor(r);
	DomResult res = recognition_act(r->store, &who, req_param_int(r, "id"), action, json_string_value(json_object_get(j, "filed_on")),
	                                json_string_value(json_object_get(j, "document")),
	                                json_string_value(json_object_get(j, "note")));
	if (res.code != DOM_OK)
		page_refuse(r, res);
	else
		http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", res.message));
}

/* API: POST /api/v1/recognitions/{id}/endorse {} */
void api_recognition_endorse(Req *r)
{
	api_act(r, "endorse");
}

/* API: POST /api/v1/recognitions/{id}/file {"filed_on","document"} */
void api_recognition_file(Req *r)
{
	api_act(r, "file");
}

/* API: POST /api/v1/recognitions/{id}/return {"note"} */
void api_recognition_return(Req *r)
{
	api_act(r, "return");
}
