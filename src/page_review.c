/*
 * page_review.c — 审核: the office approves or returns (with a reason) the
 * new records and the proposed changes that area and base users submit.
 * Only approved records count in progress. Pages: /review and the review
 * parts of a record's page; API: /api/v1/review, /api/v1/{kind}/{id}/review,
 * /api/v1/review/changes/{id}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "records.h"
#include "session.h"
#include "store_admin.h"

const Kind *kind_by_name(const char *name)
{
	for (int i = 0; i < registry_kind_count; i++)
		if (name && strcmp(registry_kinds[i]->name, name) == 0)
			return registry_kinds[i];
	return NULL;
}

/* One proposed change: what it changes, and for the office the buttons. */
void review_change_card(Req *r, const PendingChange *c)
{
	Buf *b = &r->out;
	const Kind *k = kind_by_name(c->kind);
	json_t *cur = k ? record_load(r, k, c->record_id) : NULL;
	const char *diff = k ? record_diff(r, k, k ? store_record_json(r->store, &r->arena, k->name, c->record_id) : NULL,
	                                   c->payload) : "";
	html_printf(b, "<section class=\"card change\" id=\"change-%lld\"><p>%h 于 %h 提交对 <a href=\"%h/%lld\">%h</a> 的修改:</p>"
	               "<p class=\"diff\">%h</p>",
	            c->id, c->submitted_by, c->submitted_at, k ? record_path(k) : "", c->record_id,
	            cur ? json_string_value(json_object_get(cur, "name")) : "", diff && *diff ? diff : "(与现值相同)");
	if (r->role == ROLE_ADMIN) {
		html_printf(b, "<form method=\"post\" action=\"/review/changes/%lld\" class=\"review-actions\">", c->id);
		form_csrf(r);
		form_input(r, "note", "退回原因(退回时必填)", "text", NULL, NULL, NULL);
		html_printf(b, "<button type=\"submit\" name=\"action\" value=\"approve\">通过</button> "
		               "<button type=\"submit\" name=\"action\" value=\"return\" class=\"danger\">退回</button></form>");
	}
	html_printf(b, "</section>\n");
	json_decref(cur);
}

void review_record_form(Req *r, const Kind *k, long long id)
{
	Buf *b = &r->out;
	html_printf(b, "<section class=\"card\"><h2>审核</h2><form method=\"post\" action=\"%h/%lld/review\" class=\"review-actions\">",
	            record_path(k), id);
	form_csrf(r);
	form_input(r, "note", "退回原因(退回时必填)", "text", NULL, NULL, NULL);
	html_printf(b, "<button type=\"submit\" name=\"action\" value=\"approve\">审核通过</button> "
	               "<button type=\"submit\" name=\"action\" value=\"return\" class=\"danger\">退回修改</button></form></section>\n");
}

void record_history(Req *r, const Kind *k, long long id)
{
	AuditFilter f = {0};
	f.kind = k->name;
	f.record_id = arena_printf(&r->arena, "%lld", id);
	f.limit = 50;
	AuditRow *rows;
	long long total;
	int n = store_audit_list(r->store, &r->arena, &f, &rows, &total);
	Buf *b = &r->out;
	html_printf(b, "<h2>变更历史</h2>");
	if (n <= 0) {
		html_printf(b, "<p class=\"muted\">暂无变更记录。</p>\n");
		return;
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"history\"><thead><tr><th scope=\"col\">时间(UTC)</th>"
	               "<th scope=\"col\">用户</th><th scope=\"col\">操作</th><th scope=\"col\">变更内容</th></tr></thead><tbody>");
	static const struct {
		const char *code, *zh;
	} actions[] = {{"create", "登记"}, {"update", "修改"}, {"delete", "删除"}, {"propose", "提交修改"},
	               {"approve", "审核通过"}, {"return", "退回"}};
	for (int i = 0; i < n; i++) {
		const char *act = rows[i].action;
		for (size_t j = 0; j < ARRAY_LEN(actions); j++)
			if (strcmp(actions[j].code, act) == 0)
				act = actions[j].zh;
		const char *what = rows[i].before_json && rows[i].after_json
		                       ? record_diff(r, k, rows[i].before_json, rows[i].after_json)
		                       : NULL;
		html_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", rows[i].at, rows[i].user_name, act,
		            what && *what ? what : "");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* ---- actions ---- */

/* Approves or returns a new record; returns an HTTP status and *msg. */
static int review_record(Req *r, const Kind *k, long long id, const char *action, const char *note, const char **msg)
{
	json_t *rec = record_load(r, k, id);
	const char *st = rec ? json_string_value(json_object_get(rec, "review_status")) : NULL;
	int status = 200;
	if (!rec) {
		*msg = "没有这条记录。";
		status = 404;
	} else if (strcmp(st, "pending") != 0) {
		*msg = "这条记录不在待审核状态。";
		status = 409;
	} else if (!action || (strcmp(action, "approve") && strcmp(action, "return"))) {
		*msg = "操作应为 approve(通过)或 return(退回)。";
		status = 400;
	} else if (strcmp(action, "return") == 0 && (!note || !*note)) {
		*msg = "退回时请填写原因,以便填报人修改。";
		status = 400;
	}
	json_decref(rec);
	if (status != 200)
		return status;
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	const char *before = store_record_json(r->store, &r->arena, k->name, id);
	int approve = strcmp(action, "approve") == 0;
	if (store_begin(r->store) != H_OK ||
	    store_record_set_review(r->store, k->name, id, approve ? "approved" : "returned", approve ? NULL : note) != H_OK ||
	    store_audit(r->store, r->session->user.name, r->client_addr, approve ? "approve" : "return", k->name, rid, before,
	                store_record_json(r->store, &r->arena, k->name, id)) != H_OK ||
	    store_commit(r->store) != H_OK) {
		store_rollback(r->store);
		*msg = "保存失败,请稍后再试。";
		return 500;
	}
	*msg = approve ? "已审核通过,记录开始计入统计。" : "已退回,填报人修改后可再次提交。";
	return 200;
}

/* Approves (applies) or returns a proposed change. */
static int review_change(Req *r, long long cid, const char *action, const char *note, const char **msg)
{
	PendingChange c;
	int found = store_change_get(r->store, &r->arena, cid, &c);
	const Kind *k = found == 1 ? kind_by_name(c.kind) : NULL;
	if (!k) {
		*msg = "没有这项待审核的修改。";
		return 404;
	}
	if (strcmp(c.status, "pending") != 0) {
		*msg = "这项修改已经审核过了。";
		return 409;
	}
	if (!action || (strcmp(action, "approve") && strcmp(action, "return"))) {
		*msg = "操作应为 approve(通过)或 return(退回)。";
		return 400;
	}
	if (strcmp(action, "return") == 0 && (!note || !*note)) {
		*msg = "退回时请填写原因,以便填报人修改。";
		return 400;
	}
	int approve = strcmp(action, "approve") == 0;
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", c.record_id);
	if (store_begin(r->store) != H_OK) {
		*msg = "保存失败,请稍后再试。";
		return 500;
	}
	int ok = store_change_close(r->store, cid, approve ? "approved" : "returned", r->session->user.name, note) == H_OK;
	if (ok && approve) {
		/* Re-check against today's plan and registry before applying. */
		json_error_t e;
		json_t *pay = json_loads(c.payload, 0, &e);
		Values v;
		registry_from_json(&r->arena, k, pay, &v);
		const char *on = arena_strdup(&r->arena, json_string_value(json_object_get(pay, "area_changed_on")));
		json_decref(pay);
		if (registry_check(&v, &r->arena, r->plan, r->store, 1) > 0) {
			store_rollback(r->store);
			*msg = "该修改已不符合当前的校验规则(例如引用的记录已删除),请退回并请填报人重新提交。";
			return 409;
		}
		ok = record_apply(r, k, c.record_id, &v, "approved", on && date_valid(on) ? on : c.submitted_at, c.submitted_by) == H_OK;
	}
	ok = ok && store_audit(r->store, r->session->user.name, r->client_addr, approve ? "approve" : "return", k->name, rid,
	                       NULL, arena_printf(&r->arena, "{\"change\":%lld}", cid)) == H_OK;
	if (!ok || store_commit(r->store) != H_OK) {
		store_rollback(r->store);
		*msg = "保存失败,请稍后再试。";
		return 500;
	}
	*msg = approve ? "修改已通过并生效。" : "修改已退回。";
	return 200;
}

/* WEBPAGE: GET /review — everything waiting for the office. */
void page_review(Req *r)
{
	ReviewItem *items;
	PendingChange *changes;
	int n = store_review_queue(r->store, &r->arena, NULL, &items);
	int nc = store_changes(r->store, &r->arena, NULL, NULL, 0, &changes);
	if (n < 0 || nc < 0) {
		http_error(r, 500, "store_error", "数据读取失败,请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "审核", "review");
	html_printf(b, "<h1>审核</h1><p class=\"lead\">镇街、功能区和运营机构提交的新记录与修改,通过后才计入统计。</p>\n");
	const char *done = req_query(r, "done");
	if (done)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>\n", done);
	html_printf(b, "<h2>新登记(%d)</h2>\n", n);
	if (!n)
		html_printf(b, "<p class=\"muted\">没有待审核的新登记。</p>\n");
	else {
		html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"queue\"><thead><tr><th scope=\"col\">类型</th>"
		               "<th scope=\"col\">名称</th><th scope=\"col\">区域</th><th scope=\"col\">提交人</th>"
		               "<th scope=\"col\">时间</th></tr></thead><tbody>");
		for (int i = 0; i < n; i++) {
			const Kind *k = kind_by_name(items[i].kind);
			html_printf(b, "<tr><td>%h</td><th scope=\"row\"><a href=\"%h/%lld\">%h</a></th><td>%h</td><td>%h</td><td>%h</td></tr>",
			            k ? k->label : items[i].kind, k ? record_path(k) : "", items[i].id, items[i].name,
			            area_name(r->plan, items[i].area), items[i].by ? items[i].by : "", items[i].at);
		}
		html_printf(b, "</tbody></table></div>\n");
	}
	html_printf(b, "<h2>修改申请(%d)</h2>\n", nc);
	if (!nc)
		html_printf(b, "<p class=\"muted\">没有待审核的修改。</p>\n");
	for (int i = 0; i < nc; i++)
		review_change_card(r, &changes[i]);
	page_end(r);
}

/* Back to the queue with the outcome, or the refusal as a page. */
static void page_review_answer(Req *r, int st, const char *msg)
{
	if (st != 200) {
		http_error(r, st, "review_refused", msg);
		return;
	}
	Buf u = {0};
	buf_puts(&u, "/review?done=");
	url_escape(&u, msg);
	http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
	buf_free(&u);
}

/* WEBPAGE: POST /bases/{id}/review — action=approve|return, note */
void page_record_review(Req *r)
{
	const Kind *k = r->route->kind;
	long long id = atoll(r->params[0]);
	const char *msg;
	int st = review_record(r, k, id, req_form(r, "action"), req_form(r, "note"), &msg);
	page_review_answer(r, st, msg);
}

/* WEBPAGE: POST /review/changes/{id} — action=approve|return, note */
void page_change_review(Req *r)
{
	const char *msg;
	int st = review_change(r, atoll(r->params[0]), req_form(r, "action"), req_form(r, "note"), &msg);
	page_review_answer(r, st, msg);
}

/* API: GET /api/v1/review — new records and proposed changes waiting */
void api_review(Req *r)
{
	ReviewItem *items;
	PendingChange *changes;
	int n = store_review_queue(r->store, &r->arena, NULL, &items);
	int nc = store_changes(r->store, &r->arena, NULL, NULL, 0, &changes);
	if (n < 0 || nc < 0) {
		http_error(r, 500, "store_error", "数据读取失败,请稍后再试。");
		return;
	}
	json_t *recs = json_array(), *chs = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(recs, json_pack("{s:s,s:I,s:s,s:s,s:s?,s:s}", "kind", items[i].kind, "id", (json_int_t)items[i].id,
		                                      "name", items[i].name, "area", items[i].area, "submitted_by", items[i].by,
		                                      "at", items[i].at));
	for (int i = 0; i < nc; i++) {
		json_error_t e;
		json_t *pay = json_loads(changes[i].payload, 0, &e);
		json_array_append_new(chs, json_pack("{s:I,s:s,s:I,s:s,s:o,s:s,s:s}", "id", (json_int_t)changes[i].id, "kind",
		                                     changes[i].kind, "record_id", (json_int_t)changes[i].record_id, "area",
		                                     changes[i].area, "payload", pay ? pay : json_null(), "submitted_by",
		                                     changes[i].submitted_by, "submitted_at", changes[i].submitted_at));
	}
	http_json(r, 200, json_pack("{s:o,s:o}", "records", recs, "changes", chs));
}

static void api_review_answer(Req *r, int st, const char *msg)
{
	if (st != 200)
		http_error(r, st, "review_refused", msg);
	else
		http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", msg));
}

/* API: POST /api/v1/bases/{id}/review {"action":"approve"|"return","note"} */
void api_record_review(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *msg;
	int st = review_record(r, r->route->kind, atoll(r->params[0]), json_string_value(json_object_get(j, "action")),
	                       json_string_value(json_object_get(j, "note")), &msg);
	api_review_answer(r, st, msg);
}

/* API: POST /api/v1/review/changes/{id} {"action","note"} */
void api_change_review(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *msg;
	int st = review_change(r, atoll(r->params[0]), json_string_value(json_object_get(j, "action")),
	                       json_string_value(json_object_get(j, "note")), &msg);
	api_review_answer(r, st, msg);
}
