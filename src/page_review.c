/*
 * page_review.c — the pages and API of 审核: the office approves or returns
 * (with a reason) the new records and the proposed changes that area and
 * base users submit (the work is review.c's). Pages: /review and the review
 * parts of a record's page; API: /api/v1/review, /api/v1/{kind}/{id}/review,
 * /api/v1/review/changes/{id}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_records.h"
#include "session.h"
#include "store_admin.h"

/* WEBPAGE: GET /review — everything waiting for the office. */
void page_review(Req *r)
{
	ReviewItem *items;
	PendingChange *changes;
	int n = store_review_queue(r->store, &r->arena, NULL, &items);
	int nc = store_changes(r->store, &r->arena, NULL, NULL, 0, &changes);
	if (n < 0 || nc < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "审核", "review");
	html_printf(b, "<h1>审核</h1><p class=\"lead\">镇街、功能区和运营机构提交的新记录与修改，通过后才计入统计。</p>\n");
	const char *done = req_query(r, "done");
	if (done)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>\n", done);
	/* Batch actions: the checkboxes below belong to this form (form="batch"). */
	if (n + nc > 0) {
		html_printf(b, "<form method=\"post\" action=\"/review/batch\" id=\"batch\" class=\"card batch\">"
		               "<p class=\"hint\">勾选下方的记录或修改，再选择批量操作；退回时请填写原因。</p>");
		form_csrf(r);
		form_input(r, "batch-note", "退回原因（批量退回时必填）", "text", NULL, NULL, " maxlength=\"200\"");
		html_printf(b, "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"approve\">批量通过</button> "
		               "<button type=\"submit\" name=\"action\" value=\"return\" class=\"danger\">批量退回</button></p></form>\n");
	}
	html_printf(b, "<h2>新登记（%d）</h2>\n", n);
	if (!n)
		html_printf(b, "<p class=\"muted\">没有待审核的新登记。</p>\n");
	else {
		html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"queue\"><thead><tr><th scope=\"col\">名称</th>"
		               "<th scope=\"col\">选择</th><th scope=\"col\">类型</th><th scope=\"col\">区域</th><th scope=\"col\">提交人</th>"
		               "<th scope=\"col\">时间</th></tr></thead><tbody>");
		for (int i = 0; i < n; i++) {
			const Kind *k = kind_by_name(items[i].kind);
			html_printf(b, "<tr><th scope=\"row\"><a href=\"%h/%lld\">%h</a></th>"
			               "<td><label class=\"pick\"><input type=\"checkbox\" name=\"item\" value=\"%h:%lld\" form=\"batch\"> 选择</label></td>"
			               "<td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>",
			            k ? record_path(k) : "", items[i].id, items[i].name, items[i].kind, items[i].id,
			            k ? k->label : items[i].kind, area_name(r->plan, items[i].area), items[i].by ? items[i].by : "",
			            fmt_time(&r->arena, items[i].at));
		}
		html_printf(b, "</tbody></table></div>\n");
	}
	html_printf(b, "<h2>修改申请（%d）</h2>\n", nc);
	if (!nc)
		html_printf(b, "<p class=\"muted\">没有待审核的修改。</p>\n");
	for (int i = 0; i < nc; i++) {
		html_printf(b, "<p class=\"pick\"><label><input type=\"checkbox\" name=\"item\" value=\"change:%lld\" form=\"batch\"> "
		               "选择下面这项修改</label></p>", changes[i].id);
		review_change_card(r, &changes[i]);
	}
	page_end(r);
}

/* Back to the queue with the outcome, or the refusal as a page. */
static void page_review_answer(Req *r, DomResult res)
{
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	Buf u = {0};
	buf_puts(&u, "/review?done=");
	url_escape(&u, res.message);
	http_redirect(r, arena_strdup(&r->arena, buf_str(&u)));
	buf_free(&u);
}

/* WEBPAGE: POST /bases/{id}/review — action=approve|return, note */
void page_record_review(Req *r)
{
	Actor who = req_actor(r);
	page_review_answer(r, review_record(r->store, &who, r->route->kind, req_param_int(r, "id"), req_form(r, "action"),
	                                    req_form(r, "note")));
}

/* WEBPAGE: POST /review/changes/{id} — action=approve|return, note */
void page_change_review(Req *r)
{
	Actor who = req_actor(r);
	page_review_answer(r, review_change(r->store, &who, req_param_int(r, "id"), req_form(r, "action"), req_form(r, "note")));
}

/* WEBPAGE: POST /review/batch — item=<kind>:<id> | change:<id> (repeated),
 * action=approve|return, batch-note. Each item goes through review.c as if
 * approved or returned alone (its own transaction and audit); the answer
 * says how many were done and why any was not. */
void page_review_batch(Req *r)
{
	const char **items;
	int n = req_form_all(r, "item", &items);
	const char *action = req_form(r, "action"), *note = req_form(r, "batch-note");
	if (n == 0) {
		http_error(r, 400, "nothing_chosen", "请先勾选要审核的记录或修改，再选择批量操作。");
		return;
	}
	if (n > 500) {
		http_error(r, 400, "too_many", "一次最多批量审核 500 项，请分批处理。");
		return;
	}
	if (!action || (strcmp(action, "approve") && strcmp(action, "return"))) {
		http_error(r, 400, "review_refused", "请选择“批量通过”或“批量退回”。");
		return;
	}
	if (strcmp(action, "return") == 0 && (!note || !*note)) {
		http_error(r, 400, "review_refused", "批量退回时请填写退回原因，以便填报人修改。");
		return;
	}
	Actor who = req_actor(r);
	int done = 0, failed = 0;
	const char *first_error = NULL;
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(items[i], ':');
		char *end = NULL;
		long long id = colon ? strtoll(colon + 1, &end, 10) : 0;
		DomResult res;
		if (!colon || !end || *end || id <= 0) {
			res = dom_result(DOM_INVALID, "bad_item", "所选的项目无法识别，请刷新页面后重试。");
		} else if (strncmp(items[i], "change:", 7) == 0) {
			res = review_change(r->store, &who, id, action, note);
		} else {
			char kind[32];
			size_t klen = (size_t)(colon - items[i]);
			snprintf(kind, sizeof kind, "%.*s", (int)(klen < sizeof kind ? klen : sizeof kind - 1), items[i]);
			const Kind *k = kind_by_name(kind);
			res = k ? review_record(r->store, &who, k, id, action, note)
			        : dom_result(DOM_INVALID, "bad_item", "所选的项目无法识别，请刷新页面后重试。");
		}
		if (res.code == DOM_OK) {
			done++;
		} else {
			failed++;
			if (!first_error)
				first_error = res.message;
		}
	}
	int approve = strcmp(action, "approve") == 0;
	const char *msg = failed ? arena_printf(&r->arena, "已%s %d 项；%d 项未处理：%s", approve ? "通过" : "退回", done, failed,
	                                        first_error ? first_error : "")
	                         : arena_printf(&r->arena, "已%s %d 项。", approve ? "通过" : "退回", done);
	page_review_answer(r, dom_result(DOM_OK, NULL, msg));
}

/* API: GET /api/v1/review — new records and proposed changes waiting */
void api_review(Req *r)
{
	ReviewItem *items;
	PendingChange *changes;
	int n = store_review_queue(r->store, &r->arena, NULL, &items);
	int nc = store_changes(r->store, &r->arena, NULL, NULL, 0, &changes);
	if (n < 0 || nc < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
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

static void api_review_answer(Req *r, DomResult res)
{
	if (res.code != DOM_OK)
		page_refuse(r, res);
	else
		http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", res.message));
}

/* API: POST /api/v1/bases/{id}/review {"action":"approve"|"return","note"} */
void api_record_review(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor who = req_actor(r);
	api_review_answer(r, review_record(r->store, &who, r->route->kind, req_param_int(r, "id"),
	                                   json_string_value(json_object_get(j, "action")),
	                                   json_string_value(json_object_get(j, "note"))));
}

/* API: POST /api/v1/review/changes/{id} {"action","note"} */
void api_change_review(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor who = req_actor(r);
	api_review_answer(r, review_change(r->store, &who, req_param_int(r, "id"), json_string_value(json_object_get(j, "action")),
	                                   json_string_value(json_object_get(j, "note"))));
}
