/*
 * page_recognition.c — 认定与备案 (成熟一个、备案一个): a base applies for
 * demonstration status or a level; its area endorses; the office reviews
 * it with the evaluation attached and files it with a date — from that date
 * the recognition counts toward the plan's targets (base_level). Levels
 * recognised elsewhere are recorded directly by the office.
 * Pages /bases/{id}/recognitions, /recognitions; API under /api/v1/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "page.h"
#include "page_records.h"
#include "session.h"

static const char *status_zh(const char *st)
{
	return !strcmp(st, "applied") ? "已申请,待区域推荐" : !strcmp(st, "endorsed") ? "区域已推荐,待市专班备案"
	     : !strcmp(st, "filed") ? "已备案" : !strcmp(st, "returned") ? "已退回" : st;
}

static int level_known(const Plan *p, const char *level)
{
	for (int i = 0; level && i < p->nvocab; i++)
		if (!strcmp(p->vocab[i].list, "base_level") && !strcmp(p->vocab[i].code, level))
			return 1;
	return 0;
}

/* Applies for a level; returns the HTTP status and the message. */
static int apply(Req *r, long long base_id, const char *level, const char **msg, long long *new_id)
{
	if (!level_known(r->plan, level)) {
		*msg = "认定级别应为规划中的级别之一(示范、国家级、省级、市级)。";
		return 400;
	}
	Recognition *open;
	int n = store_recognitions(r->store, &r->arena, base_id, NULL, NULL, &open);
	for (int i = 0; i < n; i++)
		if (!strcmp(open[i].level, level) && (!strcmp(open[i].status, "applied") || !strcmp(open[i].status, "endorsed"))) {
			*msg = "该级别已有一份在办的申请,请等待办结。";
			return 409;
		}
	const char *area;
	long long unused;
	if (store_record_scope(r->store, &r->arena, "bases", base_id, &area, &unused) != 1) {
		*msg = "没有这个孵化基地。";
		return 404;
	}
	int ok = store_begin(r->store) == H_OK &&
	         (*new_id = store_recognition_insert(r->store, base_id, area, level, r->session->user.name)) > 0;
	if (ok) {
		char rid[32];
		snprintf(rid, sizeof rid, "%lld", *new_id);
		ok = store_audit_json(r->store, r->session->user.name, r->client_addr, "apply", "recognitions", rid, NULL,
		                      json_pack("{s:I, s:s}", "base_id", (json_int_t)base_id, level)) == H_OK &&
		     store_commit(r->store) == H_OK;
	}
	if (!ok) {
		store_rollback(r->store);
		*msg = "保存失败,请稍后再试。";
		return 500;
	}
	*msg = "申请已提交,等待区域推荐。";
	return 200;
}

/* endorse (the area or the office), file (the office, with a date) or
 * return (either, with a reason). */
static int act(Req *r, long long id, const char *action, const char *filed_on, const char *document, const char *note,
               const char **msg)
{
	Recognition rec;
	if (store_recognition_get(r->store, &r->arena, id, &rec) != 1) {
		*msg = "没有这份申请。";
		return 404;
	}
	int open = !strcmp(rec.status, "applied") || !strcmp(rec.status, "endorsed");
	if (!action || (strcmp(action, "endorse") && strcmp(action, "file") && strcmp(action, "return"))) {
		*msg = "操作应为 endorse(推荐)、file(备案)或 return(退回)。";
		return 400;
	}
	if (!open) {
		*msg = "这份申请已经办结。";
		return 409;
	}
	if (!strcmp(action, "endorse") && strcmp(rec.status, "applied")) {
		*msg = "这份申请已推荐过了。";
		return 409;
	}
	if (!strcmp(action, "file")) {
		if (strcmp(rec.status, "endorsed")) {
			*msg = "须先由区域推荐,才能备案。";
			return 409;
		}
		if (!filed_on || !date_valid(filed_on)) {
			*msg = "请填写备案日期(YYYY-MM-DD);认定自该日起计入目标。";
			return 400;
		}
	}
	if (!strcmp(action, "return") && (!note || !*note)) {
		*msg = "退回时请写明原因。";
		return 400;
	}
	const char *evaluation = NULL;
	if (!strcmp(action, "file")) {
		/* attach the evaluation the office filed it on */
		/* the set that judges this base (kind, specialised) for this level
		 * in force on the filing date */
		BaseFacts f;
		RuleSet *sets;
		int ns = store_rule_sets(r->store, &r->arena, &sets);
		const RuleSet *want = NULL;
		if (ns >= 0 && eval_load_facts(r->store, &r->arena, rec.base_id, filed_on, &f) == 1 &&
		    (want = eval_set_for_level(sets, ns, &f, rec.level))) {
			SetOutcome o;
			if (eval_set(r->store, &r->arena, &f, want, &o) == H_OK) {
				json_t *j = eval_set_json(&o);
				char *t = json_dumps(j, JSON_COMPACT);
				evaluation = arena_strdup(&r->arena, t);
				free(t);
				json_decref(j);
			}
		}
	}
	const char *status = !strcmp(action, "endorse") ? "endorsed" : !strcmp(action, "file") ? "filed" : "returned";
	char rid[32];
	snprintf(rid, sizeof rid, "%lld", id);
	int ok = store_begin(r->store) == H_OK &&
	         store_recognition_update(r->store, id, status, r->session->user.name, !strcmp(action, "file") ? filed_on : NULL,
	                                  document && *document ? document : NULL, note && *note ? note : NULL, evaluation) == H_OK &&
	         (strcmp(action, "file") || store_base_level_set(r->store, rec.base_id, rec.level, filed_on, document) == H_OK) &&
	         store_audit_json(r->store, r->session->user.name, r->client_addr, action, "recognitions", rid,
	                          json_pack("{s:s}", "status", rec.status), json_pack("{s:s}", "status", status)) == H_OK &&
	         store_commit(r->store) == H_OK;
	if (!ok) {
		store_rollback(r->store);
		*msg = "保存失败,请稍后再试。";
		return 500;
	}
	*msg = !strcmp(action, "endorse") ? "已推荐,等待市专班备案。" : !strcmp(action, "file") ? "已备案,自备案日期起计入目标。" : "已退回。";
	return 200;
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
		            x->note ? ":" : "", x->note ? x->note : "", x->applied_by, x->applied_at, x->filed_on ? x->filed_on : "—");
		int open = !strcmp(x->status, "applied") || !strcmp(x->status, "endorsed");
		int can_endorse = !strcmp(x->status, "applied") &&
		                  (r->role == ROLE_ADMIN || (r->role == ROLE_AREA && r->session->user.scope &&
		                                             !strcmp(r->session->user.scope, x->area)));
		int can_file = !strcmp(x->status, "endorsed") && r->role == ROLE_ADMIN;
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
			html_printf(b, "<li>%h(%h 起)</li>", vocab_name(r->plan, "base_level", json_string_value(json_object_get(l, "level"))),
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
	long long id = req_param_int(r, "id"), nid;
	const char *msg;
	int st = apply(r, id, req_form(r, "level"), &msg, &nid);
	if (st != 200) {
		http_error(r, st, "apply_refused", msg);
		return;
	}
	http_redirect(r, arena_printf(&r->arena, "/bases/%lld/recognitions", id));
}

/* WEBPAGE: GET /recognitions — open applications (an area reporter sees its area's) */
void page_recognitions(Req *r)
{
	Recognition *v;
	const char *area = r->role == ROLE_AREA && r->session ? r->session->user.scope : NULL;
	const char *status = req_query(r, "status");
	int n = store_recognitions(r->store, &r->arena, 0, status && *status ? status : NULL, area, &v);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败,请稍后再试。");
		return;
	}
	page_begin(r, "认定申请", "recognitions");
	html_printf(&r->out, "<h1>认定申请</h1><p class=\"lead\">成熟一个、备案一个:基地申请,区域推荐,市专班对照评价后备案;"
	                     "备案日期起计入规划目标。</p>\n");
	recognition_rows(r, v, n, 1);
	page_end(r);
}

/* The page actions: each its own route, so routes.c says who may do what. */
static void page_act(Req *r, const char *action)
{
	const char *msg;
	int st = act(r, req_param_int(r, "id"), action, req_form(r, "filed_on"), req_form(r, "document"), req_form(r, "note"), &msg);
	if (st != 200) {
		http_error(r, st, "recognition_refused", msg);
		return;
	}
	http_redirect(r, "/recognitions");
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
	const char *msg;
	int st = apply(r, req_param_int(r, "id"), json_string_value(json_object_get(j, "level")), &msg, &nid);
	if (st != 200)
		http_error(r, st, "apply_refused", msg);
	else
		http_json(r, 201, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)nid, "status", "applied", "message", msg));
}

/* API: GET /api/v1/recognitions?status= */
void api_recognitions(Req *r)
{
	Recognition *v;
	const char *area = r->role == ROLE_AREA && r->session ? r->session->user.scope : NULL;
	const char *status = req_query(r, "status");
	int n = store_recognitions(r->store, &r->arena, 0, status && *status ? status : NULL, area, &v);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败,请稍后再试。");
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
	const char *msg;
	int st = act(r, req_param_int(r, "id"), action, json_string_value(json_object_get(j, "filed_on")),
	             json_string_value(json_object_get(j, "document")), json_string_value(json_object_get(j, "note")), &msg);
	if (st != 200)
		http_error(r, st, "recognition_refused", msg);
	else
		http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", msg));
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
