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

/* The queue's filters from ?kind=&area= (both may be empty: all), checked
 * against the registry's kinds and the plan's areas, and its paging;
 * answers 400 itself and returns 0 when one is not known. */
static int review_read_filter(Req *r, ReviewFilter *f, int default_limit, int *page)
{
	memset(f, 0, sizeof *f);
	const char *kind = req_query(r, "kind"), *area = req_query(r, "area");
	if (kind && *kind) {
		if (!kind_by_name(kind)) {
			http_error(r, 400, "bad_kind", "kind 应为登记类别之一（bases、operators、funds、investments、projects、firms），或留空表示全部。");
			return 0;
		}
		f->kind = kind;
	}
	if (area && *area) {
		if (!plan_area(r->plan, area)) {
			http_error(r, 400, "bad_area", arena_printf(&r->arena, "没有代码为“%s”的区域；请在区域列表中选择。", area));
			return 0;
		}
		f->area = area;
	}
	return req_paging(r, default_limit, &f->limit, &f->offset, page);
}

/* The queue's address with its filters and one part changed: the tab
 * (show), the page, and the page size limit when the user chose one (0: the
 * tab's own, 50 or 20). */
static const char *review_url(Req *r, const ReviewFilter *f, int limit, const char *show, int page)
{
	Buf u = {0};
	buf_printf(&u, "/review?show=%s", show);
	if (f->kind)
		buf_printf(&u, "&kind=%s", f->kind);
	if (f->area) {
		buf_puts(&u, "&area=");
		url_escape(&u, f->area);
	}
	if (limit > 0)
		buf_printf(&u, "&limit=%d", limit);
	if (page > 1)
		buf_printf(&u, "&page=%d", page);
	const char *out = arena_strdup(&r->arena, buf_str(&u));
	buf_free(&u);
	return out;
}

/* ‹ 上一页  第 p / n 页  下一页 › of one tab. */
static void review_pager(Req *r, const ReviewFilter *f, int limit, const char *show, int page, int total)
{
	int pages = (total + f->limit - 1) / f->limit;
	if (pages <= 1)
		return;
	Buf *b = &r->out;
	html_printf(b, "<nav class=\"pager\" aria-label=\"分页\">");
	if (page > 1)
		html_printf(b, "<a href=\"%h\" rel=\"prev\">‹ 上一页</a> ", review_url(r, f, limit, show, page - 1));
	html_printf(b, "<span>第 %d / %d 页</span>", page, pages);
	if (page < pages)
		html_printf(b, " <a href=\"%h\" rel=\"next\">下一页 ›</a>", review_url(r, f, limit, show, page + 1));
	html_printf(b, "</nav>\n");
}

/* WEBPAGE: GET /review?show=records|changes&kind=&area=&limit=&page= — what
 * waits for the office: new records (50 a page) and proposed changes (20 a
 * page, or limit a page in either) in two tabs, oldest first, filtered by
 * kind and by area (with the areas under it). The tabs, the pager and the
 * batch's way back keep the filters and a chosen page size. */
void page_review(Req *r)
{
	const char *show = req_query(r, "show");
	int want_changes = show && strcmp(show, "changes") == 0;
	if (show && *show && !want_changes && strcmp(show, "records") != 0) {
		http_error(r, 400, "bad_show", "show 应为 records（新登记）或 changes（修改申请）。");
		return;
	}
	ReviewFilter f;
	int page;
	if (!review_read_filter(r, &f, want_changes ? 20 : 50, &page))
		return;
	const char *limit_q = req_query(r, "limit");
	int limit = limit_q && *limit_q ? f.limit : 0; /* the size chosen, 0: each tab's own */
	ReviewItem *items = NULL;
	PendingChange *changes = NULL;
	int nr_total, nc_total, n = 0;
	ReviewFilter none = f;
	none.limit = 1; /* the other tab: its count only */
	if (want_changes) {
		n = store_changes_waiting(r->store, &r->arena, &f, &changes, &nc_total);
		if (n >= 0 && store_review_queue(r->store, &r->arena, &none, &items, &nr_total) < 0)
			n = -1;
	} else {
		n = store_review_queue(r->store, &r->arena, &f, &items, &nr_total);
		if (n >= 0 && store_changes_waiting(r->store, &r->arena, &none, &changes, &nc_total) < 0)
			n = -1;
		/* nothing new to register but changes waiting: show those */
		if (n == 0 && !show && nr_total == 0 && nc_total > 0) {
			want_changes = 1;
			f.limit = limit ? limit : 20;
			n = store_changes_waiting(r->store, &r->arena, &f, &changes, &nc_total);
		}
	}
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "审核", "review");
	html_printf(b, "<h1>审核</h1><p class=\"lead\">镇街、功能区和运营机构提交的新记录与修改，通过后才计入统计。</p>\n");
	const char *done = req_query(r, "done");
	if (done)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>\n", done);
	/* filters: a kind and an area, kept across the tabs and pages */
	html_printf(b, "<form method=\"get\" action=\"/review\" class=\"filters\"><input type=\"hidden\" name=\"show\" "
	               "value=\"%s\"><div class=\"field\"><label for=\"q-kind\">类别</label><select id=\"q-kind\" name=\"kind\">"
	               "<option value=\"\">全部</option>",
	            want_changes ? "changes" : "records");
	for (int i = 0; i < registry_kind_count; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", registry_kinds[i]->name,
		            f.kind && strcmp(f.kind, registry_kinds[i]->name) == 0 ? " selected" : "", registry_kinds[i]->label);
	html_printf(b, "</select></div><div class=\"field\"><label for=\"q-area\">区域</label><select id=\"q-area\" name=\"area\">"
	               "<option value=\"\">全部</option>");
	for (int i = 0; i < r->plan->nareas; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", r->plan->areas[i].code,
		            f.area && strcmp(f.area, r->plan->areas[i].code) == 0 ? " selected" : "", r->plan->areas[i].name);
	html_printf(b, "</select></div><div class=\"field\"><label for=\"q-limit\">每页</label><select id=\"q-limit\" name=\"limit\">"
	               "<option value=\"\">默认（%d 项）</option>", want_changes ? 20 : 50);
	static const int sizes[] = {20, 50, 100, 200};
	int listed = 0;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		if (limit && !listed && limit < sizes[i]) {
			html_printf(b, "<option value=\"%d\" selected>%d 项</option>", limit, limit);
			listed = 1;
		}
		listed |= limit == sizes[i];
		html_printf(b, "<option value=\"%d\"%s>%d 项</option>", sizes[i], limit == sizes[i] ? " selected" : "", sizes[i]);
	}
	if (limit && !listed)
		html_printf(b, "<option value=\"%d\" selected>%d 项</option>", limit, limit);
	html_printf(b, "</select></div><button type=\"submit\">筛选</button></form>\n");
	html_printf(b, "<nav class=\"tabs\" aria-label=\"审核类别\"><a href=\"%h\"%s>新登记（%d）</a> <a href=\"%h\"%s>修改申请（%d）</a></nav>\n",
	            review_url(r, &f, limit, "records", 1), want_changes ? "" : " aria-current=\"true\"", nr_total,
	            review_url(r, &f, limit, "changes", 1), want_changes ? " aria-current=\"true\"" : "", nc_total);
	/* Batch actions: the checkboxes below belong to this form (form="batch"). */
	if (n > 0) {
		html_printf(b, "<form method=\"post\" action=\"/review/batch\" id=\"batch\" class=\"card batch\">"
		               "<p class=\"hint\">勾选下方的记录或修改，再选择批量操作；退回时请填写原因。</p>");
		form_csrf(r);
		/* back to this tab, filter and page after the batch */
		html_printf(b, "<input type=\"hidden\" name=\"back\" value=\"%h\">",
		            review_url(r, &f, limit, want_changes ? "changes" : "records", page));
		form_input(r, "batch-note", "退回原因（批量退回时必填）", "text", NULL, NULL, " maxlength=\"200\"");
		html_printf(b, "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"approve\">批量通过</button> "
		               "<button type=\"submit\" name=\"action\" value=\"return\" class=\"danger\">批量退回</button></p></form>\n");
	}
	int total = want_changes ? nc_total : nr_total;
	if (n > 0)
		html_printf(b, "<h2>%s（共 %d 项，第 %d–%d 项）</h2>\n", want_changes ? "修改申请" : "新登记", total, f.offset + 1,
		            f.offset + n);
	else
		html_printf(b, "<h2>%s（%d）</h2>\n", want_changes ? "修改申请" : "新登记", total);
	if (!want_changes) {
		if (!n)
			html_printf(b, "<p class=\"muted\">%s</p>\n", total ? "这一页没有记录，请返回第 1 页。" : "没有待审核的新登记。");
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
	} else {
		if (!n)
			html_printf(b, "<p class=\"muted\">%s</p>\n", total ? "这一页没有修改，请返回第 1 页。" : "没有待审核的修改。");
		for (int i = 0; i < n; i++) {
			html_printf(b, "<p class=\"pick\"><label><input type=\"checkbox\" name=\"item\" value=\"change:%lld\" form=\"batch\"> "
			               "选择下面这项修改</label></p>", changes[i].id);
			review_change_card(r, &changes[i]);
		}
	}
	review_pager(r, &f, limit, want_changes ? "changes" : "records", page, total);
	page_end(r);
}

/* Back to the queue with the outcome, or the refusal as a page. The batch
 * form names the tab, filters and page it came from (back: the queue's own
 * address, nothing else is followed). */
static void page_review_answer(Req *r, DomResult res)
{
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	const char *back = req_form(r, "back");
	Buf u = {0};
	if (back && strncmp(back, "/review?show=", 13) == 0 && strlen(back) < 400 && !strpbrk(back, "\r\n\\\"<>#"))
		buf_printf(&u, "%s&done=", back);
	else
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

/* API: GET /api/v1/review?kind=&area=&limit=&offset= — new records and
 * proposed changes waiting, oldest first: at most limit of each (default
 * 200), with how many there are in all (records_total, changes_total). */
void api_review(Req *r)
{
	ReviewFilter f;
	if (!review_read_filter(r, &f, 200, NULL))
		return;
	ReviewItem *items;
	PendingChange *changes;
	int nr_total, nc_total;
	int n = store_review_queue(r->store, &r->arena, &f, &items, &nr_total);
	int nc = n < 0 ? -1 : store_changes_waiting(r->store, &r->arena, &f, &changes, &nc_total);
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
	http_json(r, 200, json_pack("{s:o,s:o,s:i,s:i,s:i,s:i}", "records", recs, "changes", chs, "records_total", nr_total,
	                            "changes_total", nc_total, "limit", f.limit, "offset", f.offset));
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
