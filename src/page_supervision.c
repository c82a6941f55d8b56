/*
 * page_supervision.c — 督办 in the work system (督查督办): the 督办单's steps
 * from the task page's forms (issue, sign, answer with its photo, accept,
 * 催办) and over /api/v1/tasks/{id}/supervisions...; the supervision table
 * by responsible unit (督办一览, /supervision), its .xlsx and
 * /api/v1/supervision. The 督办单 cards themselves are drawn on the task's
 * page (page_tasks.c); the work is tasks.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_tasks.h"
#include "tasks.h"
#include "xlsx_write.h"

/* ---- the 督办单's steps from the task page ---- */

/* POST /tasks/{id}/supervisions */
void page_supervision_issue(Req *r)
{
	Actor who = req_actor(r);
	tasks_page_after(r, supervision_issue(r->store, &who, req_param_int(r, "id"), req_form(r, "unit"), req_form(r, "demand"),
	                                      req_form(r, "due_on"), NULL),
	                 "issued", "supervision");
}

/* The 督办单's card on the task's page. */
static const char *sup_anchor(Req *r)
{
	return tasks_page_sup_anchor(r, req_param_int(r, "sid"));
}

/* POST /tasks/{id}/supervisions/{sid}/sign */
void page_supervision_sign(Req *r)
{
	Actor who = req_actor(r);
	tasks_page_after(r, supervision_sign(r->store, &who, req_param_int(r, "id"), req_param_int(r, "sid")), "signed", sup_anchor(r));
}

/* POST /tasks/{id}/supervisions/{sid}/answer — answer-{sid} (or answer), and
 * from a plain form (multipart) the photo as evidence, in one transaction */
void page_supervision_answer(Req *r)
{
	Actor who = req_actor(r);
	long long sid = req_param_int(r, "sid");
	const char *text = req_form(r, arena_printf(&r->arena, "answer-%lld", sid));
	if (!text)
		text = req_form(r, "answer");
	EvidenceFile f;
	int nf = tasks_page_form_evidence(r, "evidence", &f);
	tasks_page_after(r, supervision_answer_with(r->store, &who, req_param_int(r, "id"), sid, text, &f, nf), "answered", sup_anchor(r));
}

/* POST /tasks/{id}/supervisions/{sid}/accept */
void page_supervision_accept(Req *r)
{
	Actor who = req_actor(r);
	tasks_page_after(r, supervision_accept(r->store, &who, req_param_int(r, "id"), req_param_int(r, "sid"), req_form(r, "note")),
	                 "accepted", sup_anchor(r));
}

/* POST /tasks/{id}/supervisions/{sid}/press */
void page_supervision_press(Req *r)
{
	Actor who = req_actor(r);
	tasks_page_after(r, supervision_press(r->store, &who, req_param_int(r, "id"), req_param_int(r, "sid"), req_form(r, "note"),
	                                      req_form(r, "due_on"), NULL),
	                 "pressed", "supervision");
}

/* ---- the supervision table ---- */

/* A unit's lamp in words: 逾期, 临期, 正常, 已完成, 无任务. */
static const char *unit_lamp_zh(Lamp l)
{
	return l == LAMP_NONE ? "无任务" : lamp_zh(l);
}

/* WEBPAGE: GET /supervision — every unit's lamps, for the leadership group. */
void page_supervision(Req *r)
{
	const char *today = tasks_page_today(r);
	UnitLamps *u;
	int n = supervision_table(r->store, &r->arena, r->plan, today, &u);
	Buf *b = &r->out;
	page_begin(r, "督办一览", "tasks");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/tasks\">督查督办</a> › 督办一览</p><h1>督办一览（按责任单位）</h1>"
	               "<p class=\"lead\">各单位牵头任务的灯和督办单办理情况，截至北京时间 %h。"
	               "<a href=\"/supervision.xlsx\" download>导出 Excel</a></p>\n"
	               "<p class=\"muted\" id=\"supervision-scope\">列出规划中的全部市直部门（没有牵头任务的显示“无任务”），"
	               "以及牵头过任务或收到过督办单的镇街、功能区；其余镇街、功能区共同承担的任务计入“各镇街、功能区”一行。"
	               "状态：有任务或督办单逾期为“逾期”，7 天内到期为“临期”，牵头任务全部办结为“已完成”。</p>\n",
	            today);
	if (n < 0) {
		html_printf(b, "<p class=\"form-error\">数据暂时无法读取，请稍后刷新。</p>");
		page_end(r);
		return;
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"supervision-table\"><thead><tr><th scope=\"col\">责任单位</th>"
	               "<th scope=\"col\">状态</th><th scope=\"col\">牵头任务</th><th scope=\"col\">逾期</th><th scope=\"col\">临期</th>"
	               "<th scope=\"col\">正常</th><th scope=\"col\">已完成</th><th scope=\"col\">最长逾期</th><th scope=\"col\">督办在办</th>"
	               "<th scope=\"col\">未签收</th><th scope=\"col\">逾期未反馈</th><th scope=\"col\">待审核</th></tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		Lamp l = unit_lamp(&u[i]);
		html_printf(b, "<tr class=\"unit-%h\"><th scope=\"row\"><a href=\"/tasks?unit=%u&amp;status=all\">%h</a></th>"
		               "<td class=\"status-cell\"><span class=\"lamp %h\">%h</span></td><td class=\"num\">%d</td><td class=\"num%s\">%d</td>"
		               "<td class=\"num%s\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td>%h</td>"
		               "<td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num%s\">%d</td><td class=\"num\">%d</td></tr>",
		            u[i].unit, u[i].unit, u[i].name, lamp_code(l), unit_lamp_zh(l), u[i].tasks, u[i].red ? " red" : "", u[i].red,
		            u[i].amber ? " amber" : "", u[i].amber, u[i].green, u[i].done,
		            u[i].max_over ? arena_printf(&r->arena, "%d 天", u[i].max_over) : "—", u[i].sup_open,
		            u[i].sup_unsigned, u[i].sup_overdue ? " red" : "", u[i].sup_overdue, u[i].sup_answered);
	}
	html_printf(b, "</tbody></table></div>\n");
	page_end(r);
}

/* GET /supervision.xlsx */
void page_supervision_xlsx(Req *r)
{
	const char *today = tasks_page_today(r);
	UnitLamps *u;
	int n = supervision_table(r->store, &r->arena, r->plan, today, &u);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	static const XlsxColumn cols[] = {
		{.header = "责任单位"}, {.header = "状态"}, {.header = "牵头任务", .type = XLSX_NUMBER}, {.header = "逾期", .type = XLSX_NUMBER},
		{.header = "临期", .type = XLSX_NUMBER}, {.header = "正常", .type = XLSX_NUMBER}, {.header = "已完成", .type = XLSX_NUMBER},
		{.header = "最长逾期（天）", .type = XLSX_NUMBER}, {.header = "督办在办", .type = XLSX_NUMBER},
		{.header = "未签收", .type = XLSX_NUMBER}, {.header = "逾期未反馈", .type = XLSX_NUMBER},
		{.header = "待审核", .type = XLSX_NUMBER},
	};
	enum { NC = 12 };
	XlsxCell *cells = arena_alloc(&r->arena, sizeof *cells * (size_t)(n + 1) * NC);
	for (int i = 0; i < n; i++) {
		XlsxCell *row = &cells[i * NC];
		row[0] = xlsx_str(u[i].name);
		row[1] = xlsx_str(unit_lamp_zh(unit_lamp(&u[i])));
		row[2] = xlsx_num(u[i].tasks);
		row[3] = xlsx_num(u[i].red);
		row[4] = xlsx_num(u[i].amber);
		row[5] = xlsx_num(u[i].green);
		row[6] = xlsx_num(u[i].done);
		row[7] = xlsx_num(u[i].max_over);
		row[8] = xlsx_num(u[i].sup_open);
		row[9] = xlsx_num(u[i].sup_unsigned);
		row[10] = xlsx_num(u[i].sup_overdue);
		row[11] = xlsx_num(u[i].sup_answered);
	}
	XlsxTable t = {.name = "督办一览", .cols = cols, .ncols = NC, .cells = cells, .nrows = n};
	const char *lines[] = {
		arena_printf(&r->arena, "督办一览（按责任单位），截至北京时间 %s。", today),
		"逾期：完成时限或督办单办理时限已过；临期：7 天内到期（含当天）；正常：7 天以后到期；无任务：该单位没有牵头任务。",
		"列出规划中的全部市直部门，以及牵头过任务或收到过督办单的镇街、功能区；其余镇街、功能区共同承担的任务计入“各镇街、功能区”一行。",
		"逾期未反馈：督办单已过办理时限而收件单位尚未反馈；待审核：已反馈，等待市专班办公室审核。",
		NULL,
	};
	XlsxBook book = {.tables = &t, .ntables = 1, .instructions = lines};
	page_send_xlsx(r, &book, arena_printf(&r->arena, "supervision-%s.xlsx", today),
	                arena_printf(&r->arena, "督办一览-%s.xlsx", today));
}

/* ---- the API ---- */

/* API: POST /api/v1/tasks/{id}/supervisions {unit, demand, due_on} */
void api_supervision_issue(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor who = req_actor(r);
	long long sid = 0;
	DomResult res = supervision_issue(r->store, &who, req_param_int(r, "id"), json_string_value(json_object_get(j, "unit")),
	                                  json_string_value(json_object_get(j, "demand")),
	                                  json_string_value(json_object_get(j, "due_on")), &sid);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	http_json(r, 201, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)sid, "status", "issued", "message", res.message));
}

/* One step on a 督办单 over the API: {answer} / {note} / {note, due_on}. */
static void api_sup_step(Req *r, const char *step)
{
	json_t *j = r->body.len ? req_json(r) : NULL;
	if (r->body.len && !j)
		return;
	if (!j)
		j = json_object(); /* no body: read as {} */
	else
		json_incref(j);
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id"), sid = req_param_int(r, "sid"), nid = 0;
	DomResult res;
	if (!strcmp(step, "sign"))
		res = supervision_sign(r->store, &who, id, sid);
	else if (!strcmp(step, "answer"))
		res = supervision_answer(r->store, &who, id, sid, json_string_value(json_object_get(j, "answer")));
	else if (!strcmp(step, "accept"))
		res = supervision_accept(r->store, &who, id, sid, json_string_value(json_object_get(j, "note")));
	else
		res = supervision_press(r->store, &who, id, sid, json_string_value(json_object_get(j, "note")),
		                        json_string_value(json_object_get(j, "due_on")), &nid);
	json_decref(j);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	Supervision v;
	if (store_supervision_get(r->store, &r->arena, sid, &v) != 1) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *o = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)sid, "status", v.status, "message", res.message);
	if (nid)
		json_object_set_new(o, "next_id", json_integer(nid));
	http_json(r, 200, o);
}

/* API: POST /api/v1/tasks/{id}/supervisions/{sid}/sign */
void api_supervision_sign(Req *r)
{
	api_sup_step(r, "sign");
}

/* API: POST /api/v1/tasks/{id}/supervisions/{sid}/answer {answer} */
void api_supervision_answer(Req *r)
{
	api_sup_step(r, "answer");
}

/* API: POST /api/v1/tasks/{id}/supervisions/{sid}/accept {note?} */
void api_supervision_accept(Req *r)
{
	api_sup_step(r, "accept");
}

/* API: POST /api/v1/tasks/{id}/supervisions/{sid}/press {note, due_on} */
void api_supervision_press(Req *r)
{
	api_sup_step(r, "press");
}

/* API: GET /api/v1/supervision — the table by unit */
void api_supervision(Req *r)
{
	const char *today = tasks_page_today(r);
	UnitLamps *u;
	int n = supervision_table(r->store, &r->arena, r->plan, today, &u);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "unit", u[i].unit, "name",
		                                     u[i].name, "lamp", lamp_code(unit_lamp(&u[i])), "tasks", u[i].tasks, "red", u[i].red, "amber", u[i].amber, "green",
		                                     u[i].green, "done", u[i].done, "max_days_overdue", u[i].max_over,
		                                     "supervisions_open", u[i].sup_open, "unsigned", u[i].sup_unsigned,
		                                     "overdue_unanswered", u[i].sup_overdue, "awaiting_review", u[i].sup_answered));
	http_json(r, 200, json_pack("{s:s,s:o}", "today", today, "units", arr));
}
