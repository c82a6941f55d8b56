/*
 * tasks.c — the work system's workflows (tasks.h): tasks, milestones,
 * updates, 督办单, lamps, the supervision table, 催办 through the outbox,
 * and the leadership group's agendas. Each workflow checks who may, holds
 * its transaction and writes its audit rows ("tasks", "supervisions",
 * "agendas"); the store (store_tasks.c) only reads and writes.
 */
#include "tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "fmt.h"
#include "forms.h"
#include "progress.h"
#include "registry.h"
#include "store_events.h"
#include "store_reports.h"

/* ---- days and lamps ---- */

void beijing_day(time_t t, char out[11])
{
	long days = (long)((t + 8 * 3600) / 86400);
	if ((t + 8 * 3600) < 0 && (t + 8 * 3600) % 86400)
		days--;
	date_from_days(days, out);
}

void tasks_today(char out[11])
{
	const char *pinned = getenv("HATCHERY_NOW");
	if (pinned && *pinned) {
		time_t t = time_parse(pinned);
		if (t >= 0) {
			beijing_day(t, out);
			return;
		}
	}
	date_today(out);
}

Lamp lamp_of(const char *due, const char *today, int *days_over)
{
	if (days_over)
		*days_over = 0;
	if (!due || !date_valid(due) || !today || !date_valid(today))
		return LAMP_NONE;
	long d = date_days(due), t = date_days(today);
	if (t > d) {
		if (days_over)
			*days_over = (int)(t - d);
		return LAMP_RED;
	}
	return d - t <= LAMP_AMBER_DAYS ? LAMP_AMBER : LAMP_GREEN;
}

const char *lamp_code(Lamp l)
{
	static const char *const c[] = {"none", "done", "green", "amber", "red"};
	return c[l];
}

const char *lamp_zh(Lamp l)
{
	static const char *const c[] = {"无期限", "已完成", "正常", "临期", "逾期"};
	return c[l];
}

Lamp task_lamp(const TaskRec *t, const char *today, int *days_over, const char **due)
{
	if (days_over)
		*days_over = 0;
	if (due)
		*due = NULL;
	if (t->status && strcmp(t->status, "open") != 0)
		return LAMP_DONE;
	const char *d = t->due_on;
	/* an open 督办单 not yet answered sets an earlier day */
	if (t->open_sup_due && t->open_sup_status && strcmp(t->open_sup_status, "answered") != 0 &&
	    (!d || strcmp(t->open_sup_due, d) < 0))
		d = t->open_sup_due;
	if (due)
		*due = d;
	return lamp_of(d, today, days_over);
}

/* ---- units and who may ---- */

const char *unit_name(const Plan *p, const char *code)
{
	if (!code)
		return "";
	if (!strcmp(code, "@areas"))
		return "各镇街、功能区";
	const char *d = department_name(p, code);
	if (d && strcmp(d, code) != 0)
		return d;
	const Area *a = plan_area(p, code);
	return a ? a->name : code;
}

static int is_department(const Plan *p, const char *code)
{
	for (int i = 0; code && i < p->ndepartments; i++)
		if (!strcmp(p->departments[i].code, code))
			return 1;
	return 0;
}

static int is_area(const Plan *p, const char *code)
{
	const Area *a = code ? plan_area(p, code) : NULL;
	return a && !strcmp(a->level, "area");
}

static int unit_known(const Plan *p, const char *code)
{
	return code && (!strcmp(code, "@areas") || is_department(p, code) || is_area(p, code));
}

const char *actor_unit(const Actor *who)
{
	if ((who->role == ROLE_DEPARTMENT || who->role == ROLE_AREA) && who->scope && *who->scope)
		return who->scope;
	return NULL;
}

int task_access(Store *s, const Actor *who, long long task_id)
{
	if (who->role == ROLE_ADMIN || who->role == ROLE_VIEWER) {
		int r = store_task_role(s, task_id, "", 0);
		if (r < 0)
			return r;
		return who->role == ROLE_ADMIN ? 3 : 1;
	}
	const char *unit = actor_unit(who);
	if (!unit)
		return 0;
	return store_task_role(s, task_id, unit, who->role == ROLE_AREA);
}

static DomResult busy(void)
{
	return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
}

/* The refusal for an access level below need (2: lead, 1: read). */
static DomResult access_refusal(int acc, int need)
{
	if (acc == -2)
		return dom_result(DOM_NOT_FOUND, "not_found", "没有这项任务。");
	if (acc < 0)
		return dom_store_failed();
	if (acc == 0)
		return dom_result(DOM_FORBIDDEN, "forbidden_scope", "这项任务不属于您单位的责任范围。");
	if (acc < need)
		return dom_result(DOM_FORBIDDEN, "not_lead", "您的单位是这项任务的配合单位，只能查看；进展和反馈由牵头单位填报。");
	return dom_result(DOM_OK, NULL, NULL);
}

static int is_office(const Actor *who)
{
	return who->role == ROLE_ADMIN;
}

static const char *idtext(Arena *a, long long id)
{
	return arena_printf(a, "%lld", id);
}

/* Writes an audit row with before and after as JSON objects (either may be NULL). */
static int audit(Store *s, const Actor *who, const char *action, const char *kind, long long id, json_t *before,
                 json_t *after)
{
	return store_audit_json(s, who->name, who->addr, action, kind, idtext(who->arena, id), before, after);
}

static json_t *task_json_brief(const TaskRec *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "title", json_string(t->title ? t->title : ""));
	json_object_set_new(o, "status", json_string(t->status ? t->status : "open"));
	if (t->due_on)
		json_object_set_new(o, "due_on", json_string(t->due_on));
	if (t->done_on)
		json_object_set_new(o, "done_on", json_string(t->done_on));
	return o;
}

static json_t *sup_json(const Supervision *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "task_id", json_integer(v->task_id));
	json_object_set_new(o, "round", json_integer(v->round));
	json_object_set_new(o, "unit", json_string(v->unit));
	json_object_set_new(o, "demand", json_string(v->demand));
	json_object_set_new(o, "due_on", json_string(v->due_on));
	json_object_set_new(o, "status", json_string(v->status));
	if (v->signed_at)
		json_object_set_new(o, "signed_at", json_string(v->signed_at));
	if (v->answer)
		json_object_set_new(o, "answer", json_string(v->answer));
	if (v->verdict)
		json_object_set_new(o, "verdict", json_string(v->verdict));
	return o;
}

/* Text a person typed: trimmed of spaces; NULL when empty. */
static const char *trimmed(Arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (!n)
		return NULL;
	char *t = arena_alloc(a, n + 1);
	memcpy(t, s, n);
	t[n] = 0;
	return t;
}

static size_t chars_of(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* ---- tasks ---- */

/* What is wrong with a new task, NULL when nothing. */
static const char *task_input_bad(const Actor *who, const TaskInput *in, const char **field)
{
	const Plan *p = who->plan;
	*field = "title";
	if (!in->title || !*in->title)
		return "请填写任务名称。";
	if (chars_of(in->title) > 200)
		return "任务名称最多 200 个字。";
	*field = "detail";
	if (in->detail && chars_of(in->detail) > 4000)
		return "任务说明最多 4000 个字。";
	*field = "lead";
	if (!unit_known(p, in->lead))
		return "请选择牵头单位（市直部门、镇街或功能区，或“各镇街、功能区”）。";
	*field = "co";
	for (int i = 0; i < in->nco; i++) {
		if (!unit_known(p, in->co[i]))
			return arena_printf(who->arena, "配合单位“%s”不是规划中的单位。", in->co[i] ? in->co[i] : "");
		if (!strcmp(in->co[i], in->lead))
			return "配合单位不能与牵头单位相同。";
		for (int k = 0; k < i; k++)
			if (!strcmp(in->co[k], in->co[i]))
				return "配合单位重复。";
	}
	*field = "start_on";
	if (in->start_on && *in->start_on && !date_valid(in->start_on))
		return "开始日期应为 YYYY-MM-DD 格式的有效日期。";
	*field = "due_on";
	if (in->due_on && *in->due_on && !date_valid(in->due_on))
		return "完成时限应为 YYYY-MM-DD 格式的有效日期。";
	if (in->start_on && *in->start_on && in->due_on && *in->due_on && strcmp(in->due_on, in->start_on) < 0)
		return "完成时限不能早于开始日期。";
	*field = "indicator";
	if (in->indicator && *in->indicator && !plan_indicator(p, in->indicator))
		return "量化指标应为规划中的指标。";
	*field = "record_kind";
	if (in->record_kind && *in->record_kind && !kind_by_name(in->record_kind))
		return "计数的登记类别不存在。";
	*field = "target";
	if (in->has_target && !(in->target >= 0 && in->target < 1e15))
		return "目标值应为不小于 0 的数。";
	*field = "source";
	if (in->source && strcmp(in->source, "office") && strcmp(in->source, "meeting") && strcmp(in->source, "event") &&
	    strcmp(in->source, "plan"))
		return "任务来源应为 office、meeting、event 或 plan。";
	*field = NULL;
	return NULL;
}

DomResult task_create_in_tx(Store *s, const Actor *who, const TaskInput *in, long long *id)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以新建任务。");
	const char *field;
	const char *bad = task_input_bad(who, in, &field);
	if (bad)
		return dom_result(DOM_INVALID, field ? arena_printf(who->arena, "bad_%s", field) : "invalid", bad);
	/* an event's follow-up names an event that is there */
	long long ev_id;
	if (in->source && !strcmp(in->source, "event") && in->source_ref) {
		EventRec ev;
		int found = strncmp(in->source_ref, "event/", 6) || !parse_int(in->source_ref + 6, 1, 1LL << 62, &ev_id)
		                ? 0 : store_event_get(s, who->arena, ev_id, &ev);
		if (found < 0)
			return dom_store_failed();
		if (!found)
			return dom_result(DOM_INVALID, "bad_source_ref", "来源活动应写作“event/活动编号”，且活动须已登记。");
	}
	char now[21];
	time_now_iso(now);
	TaskRec t = {
		.code = in->code, .work_item = in->work_item, .title = in->title, .detail = in->detail && *in->detail ? in->detail : NULL,
		.lead = in->lead, .start_on = in->start_on && *in->start_on ? in->start_on : NULL,
		.due_on = in->due_on && *in->due_on ? in->due_on : NULL,
		.indicator = in->indicator && *in->indicator ? in->indicator : NULL,
		.record_kind = in->record_kind && *in->record_kind ? in->record_kind : NULL, .target = in->target,
		.has_target = in->has_target, .source = in->source ? in->source : "office", .source_ref = in->source_ref,
		.created_by = who->name,
	};
	long long tid = store_task_insert(s, &t, now);
	if (!tid)
		return store_constraint_failed(s) ? dom_result(DOM_CONFLICT, "duplicate", "已有同一编号的任务。")
		                                   : dom_store_failed();
	if (store_task_unit_add(s, tid, in->lead, 1, 0) != H_OK)
		return dom_store_failed();
	for (int i = 0; i < in->nco; i++)
		if (store_task_unit_add(s, tid, in->co[i], 0, i + 1) != H_OK)
			return dom_store_failed();
	json_t *after = task_json_brief(&t);
	json_object_set_new(after, "lead", json_string(in->lead));
	json_t *co = json_array();
	for (int i = 0; i < in->nco; i++)
		json_array_append_new(co, json_string(in->co[i]));
	json_object_set_new(after, "co", co);
	json_object_set_new(after, "source", json_string(t.source));
	if (t.source_ref)
		json_object_set_new(after, "source_ref", json_string(t.source_ref));
	if (t.indicator)
		json_object_set_new(after, "indicator", json_string(t.indicator));
	if (audit(s, who, "create", "tasks", tid, NULL, after) != H_OK)
		return dom_store_failed();
	if (id)
		*id = tid;
	return dom_result(DOM_OK, NULL, "任务已创建。");
}

DomResult task_create(Store *s, const Actor *who, const TaskInput *in, long long *id)
{
	if (store_begin(s) != H_OK)
		return busy();
	DomResult r = task_create_in_tx(s, who, in, id);
	if (r.code != DOM_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return r.code == DOM_OK ? dom_store_failed() : r;
	}
	return r;
}

int tasks_seed_plan(Store *s, const Plan *p, const char *now)
{
	char due[11] = "";
	if (p->nyears > 0)
		snprintf(due, sizeof due, "%04d-12-31", p->years[p->nyears - 1]);
	for (int i = 0; i < p->nwork_items; i++) {
		const WorkItem *w = &p->work_items[i];
		for (int c = 0; c < w->nclauses; c++) {
			const WorkClause *wc = &w->clauses[c];
			long long have = store_task_by_code(s, wc->code);
			if (have < 0)
				return H_ERR;
			if (have > 0)
				continue;
			TaskRec t = {
				.code = wc->code, .work_item = w->code, .title = wc->title, .detail = wc->text, .lead = wc->units[0],
				.start_on = p->start, .due_on = due[0] ? due : NULL, .indicator = wc->indicator, .source = "plan",
				.created_by = "plan",
			};
			long long id = store_task_insert(s, &t, now);
			if (!id)
				return H_ERR;
			for (int u = 0; u < wc->nunits; u++)
				if (store_task_unit_add(s, id, wc->units[u], u == 0, u) != H_OK)
					return H_ERR;
		}
	}
	return H_OK;
}

DomResult task_post_update(Store *s, const Actor *who, long long task_id, const char *text, int percent,
                           long long *update_id)
{
	text = trimmed(who->arena, text);
	if (!text)
		return dom_result(DOM_INVALID, "bad_text", "请填写进展情况。");
	if (chars_of(text) > 4000)
		return dom_result(DOM_INVALID, "bad_text", "进展情况最多 4000 个字。");
	if (percent < -1 || percent > 100)
		return dom_result(DOM_INVALID, "bad_percent", "完成比例应为 0 到 100 之间的整数。");
	if (store_begin(s) != H_OK)
		return busy();
	int acc = task_access(s, who, task_id);
	DomResult r = access_refusal(acc, 2);
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	char now[21];
	time_now_iso(now);
	TaskUpdate u = {.task_id = task_id, .unit = actor_unit(who) ? actor_unit(who) : "office", .text = text,
	                .percent = percent, .by_user = who->name, .at = now};
	long long uid = store_task_update_insert(s, &u);
	json_t *after = uid ? json_pack("{s:s,s:s}", "unit", u.unit, "text", text) : NULL;
	if (after && percent >= 0)
		json_object_set_new(after, "percent", json_integer(percent));
	if (!uid || audit(s, who, "update", "tasks", task_id, NULL, after) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (update_id)
		*update_id = uid;
	return dom_result(DOM_OK, NULL, "进展已报送。");
}

DomResult task_add_milestone(Store *s, const Actor *who, long long task_id, const char *title, const char *due_on)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以设置节点。");
	title = trimmed(who->arena, title);
	if (!title || chars_of(title) > 200)
		return dom_result(DOM_INVALID, "bad_title", "请填写节点名称（最多 200 个字）。");
	if (!due_on || !date_valid(due_on))
		return dom_result(DOM_INVALID, "bad_due_on", "节点日期应为 YYYY-MM-DD 格式的有效日期。");
	if (store_begin(s) != H_OK)
		return busy();
	int acc = task_access(s, who, task_id);
	DomResult r = access_refusal(acc, 2);
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	long long mid = store_milestone_insert(s, task_id, title, due_on);
	if (!mid || audit(s, who, "milestone", "tasks", task_id, NULL,
	                  json_pack("{s:I,s:s,s:s}", "milestone", (json_int_t)mid, "title", title, "due_on", due_on)) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "节点已添加。");
}

DomResult task_milestone_reached(Store *s, const Actor *who, long long task_id, long long milestone_id)
{
	if (store_begin(s) != H_OK)
		return busy();
	int acc = task_access(s, who, task_id);
	DomResult r = access_refusal(acc, 2);
	Milestone m;
	int found = r.code == DOM_OK ? store_milestone_get(s, who->arena, milestone_id, &m) : 0;
	if (r.code == DOM_OK && (found < 0))
		r = dom_store_failed();
	else if (r.code == DOM_OK && (!found || m.task_id != task_id))
		r = dom_result(DOM_NOT_FOUND, "not_found", "这项任务没有这个节点。");
	else if (r.code == DOM_OK && m.done_on)
		r = dom_result(DOM_CONFLICT, "already_done", "这个节点已经完成。");
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	char today[11];
	tasks_today(today);
	if (store_milestone_done(s, milestone_id, today, who->name) != H_OK ||
	    audit(s, who, "milestone_done", "tasks", task_id, NULL,
	          json_pack("{s:I,s:s}", "milestone", (json_int_t)milestone_id, "done_on", today)) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "节点已标记完成。");
}

DomResult task_set(Store *s, const Actor *who, long long task_id, const char *status, const char *due_on)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以办结任务或调整时限。");
	if (status && strcmp(status, "done") && strcmp(status, "open") && strcmp(status, "cancelled"))
		return dom_result(DOM_INVALID, "bad_status", "状态应为 done（办结）、open（重新打开）或 cancelled（撤销）。");
	if (due_on && *due_on && !date_valid(due_on))
		return dom_result(DOM_INVALID, "bad_due_on", "完成时限应为 YYYY-MM-DD 格式的有效日期。");
	if (store_begin(s) != H_OK)
		return busy();
	TaskRec t;
	int found = store_task_get(s, who->arena, task_id, &t);
	if (found <= 0) {
		store_rollback(s);
		return found < 0 ? dom_store_failed() : dom_result(DOM_NOT_FOUND, "not_found", "没有这项任务。");
	}
	json_t *before = task_json_brief(&t);
	char today[11];
	tasks_today(today);
	if (status) {
		t.status = status;
		t.done_on = strcmp(status, "open") ? arena_strdup(who->arena, today) : NULL;
	}
	if (due_on && *due_on)
		t.due_on = due_on;
	char now[21];
	time_now_iso(now);
	if (store_task_update(s, &t, now) != H_OK) {
		json_decref(before);
		store_rollback(s);
		return dom_store_failed();
	}
	if (audit(s, who, "set", "tasks", task_id, before, task_json_brief(&t)) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, status && !strcmp(status, "done") ? "任务已办结。" : "任务已更新。");
}

DomResult task_attach(Store *s, const Actor *who, long long task_id, const char *owner_kind, long long owner_id,
                      const char *name, const unsigned char *data, size_t len, long long *file_id)
{
	if (strcmp(owner_kind, "task") && strcmp(owner_kind, "supervision"))
		return dom_result(DOM_INVALID, "bad_owner", "证明材料只能附在任务或督办单上。");
	if (store_begin(s) != H_OK)
		return busy();
	int acc = task_access(s, who, task_id);
	DomResult r = access_refusal(acc, 2);
	if (r.code == DOM_OK && !strcmp(owner_kind, "task"))
		owner_id = task_id;
	if (r.code == DOM_OK && !strcmp(owner_kind, "supervision")) {
		Supervision v;
		int found = store_supervision_get(s, who->arena, owner_id, &v);
		const char *unit = actor_unit(who);
		if (found < 0)
			r = dom_store_failed();
		else if (!found || v.task_id != task_id)
			r = dom_result(DOM_NOT_FOUND, "not_found", "这项任务没有这份督办单。");
		else if (!is_office(who) && (!unit || strcmp(unit, v.unit)))
			r = dom_result(DOM_FORBIDDEN, "forbidden_scope", "这份督办单不是发给您单位的。");
		else if (!strcmp(v.status, "accepted") || !strcmp(v.status, "pressed"))
			r = dom_result(DOM_CONFLICT, "closed", "这份督办单已办结，不能再补充材料。");
	}
	if (r.code == DOM_OK)
		r = attachment_add_in_tx(s, who, owner_kind, owner_id, name, data, len, file_id);
	if (r.code != DOM_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return r.code == DOM_OK ? dom_store_failed() : r;
	}
	return r;
}

/* ---- 督办单 ---- */

Lamp unit_lamp(const UnitLamps *u)
{
	if (u->red || u->sup_overdue)
		return LAMP_RED;
	if (u->amber)
		return LAMP_AMBER;
	if (u->green || u->none || u->sup_open)
		return LAMP_GREEN;
	return u->tasks ? LAMP_DONE : LAMP_NONE;
}

const char *supervision_status_zh(const char *st)
{
	if (!st)
		return "";
	if (!strcmp(st, "issued")) return "待签收";
	if (!strcmp(st, "signed")) return "已签收，待反馈";
	if (!strcmp(st, "answered")) return "已反馈，待审核";
	if (!strcmp(st, "accepted")) return "已办结";
	if (!strcmp(st, "pressed")) return "已催办（转下一轮）";
	return st;
}

/* Whether unit may receive a 督办单 on task t: its lead, or any area when
 * 各镇街、功能区 lead. */
static int may_receive(const Plan *p, const TaskRec *t, const char *unit)
{
	for (int i = 0; i < t->nunits; i++) {
		if (!t->unit_lead[i])
			continue;
		if (!strcmp(t->units[i], unit))
			return 1;
		if (!strcmp(t->units[i], "@areas") && is_area(p, unit))
			return 1;
	}
	return 0;
}

static const char *due_bad(const char *due_on, const char *today)
{
	if (!due_on || !date_valid(due_on))
		return "办理时限应为 YYYY-MM-DD 格式的有效日期。";
	if (strcmp(due_on, today) < 0)
		return "办理时限不能早于今天（北京时间）。";
	return NULL;
}

DomResult supervision_issue(Store *s, const Actor *who, long long task_id, const char *unit, const char *demand,
                            const char *due_on, long long *id)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以下发督办单。");
	demand = trimmed(who->arena, demand);
	if (!demand || chars_of(demand) > 2000)
		return dom_result(DOM_INVALID, "bad_demand", "请写明督办事项（最多 2000 个字）。");
	char today[11];
	tasks_today(today);
	const char *bad = due_bad(due_on, today);
	if (bad)
		return dom_result(DOM_INVALID, "bad_due_on", bad);
	if (store_begin(s) != H_OK)
		return busy();
	TaskRec t;
	int found = store_task_get(s, who->arena, task_id, &t);
	DomResult r = dom_result(DOM_OK, NULL, NULL);
	if (found < 0)
		r = dom_store_failed();
	else if (!found)
		r = dom_result(DOM_NOT_FOUND, "not_found", "没有这项任务。");
	else if (strcmp(t.status, "open"))
		r = dom_result(DOM_CONFLICT, "task_closed", "任务已办结，不能再下发督办单。");
	else if (!unit || !may_receive(who->plan, &t, unit))
		r = dom_result(DOM_INVALID, "bad_unit", "督办单应发给这项任务的牵头单位（由各镇街、功能区牵头的，发给具体的镇街或功能区）。");
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	char now[21];
	time_now_iso(now);
	Supervision v = {.task_id = task_id, .round = 1, .unit = unit, .demand = demand, .due_on = due_on,
	                 .status = "issued", .issued_by = who->name, .issued_at = now};
	long long sid = store_supervision_insert(s, &v);
	if (!sid || audit(s, who, "issue", "supervisions", sid, NULL, sup_json(&v)) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (id)
		*id = sid;
	return dom_result(DOM_OK, NULL, "督办单已下发。");
}

/* Reads 督办单 sup_id of task_id for a step by the unit it is addressed to
 * (or the office when office_ok), inside the transaction. */
static DomResult sup_for(Store *s, const Actor *who, long long task_id, long long sup_id, int office_step,
                         Supervision *v)
{
	int found = store_supervision_get(s, who->arena, sup_id, v);
	if (found < 0)
		return dom_store_failed();
	if (!found || v->task_id != task_id)
		return dom_result(DOM_NOT_FOUND, "not_found", "这项任务没有这份督办单。");
	if (office_step)
		return is_office(who) ? dom_result(DOM_OK, NULL, NULL)
		                      : dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以审核反馈或催办。");
	const char *unit = actor_unit(who);
	if (!unit || strcmp(unit, v->unit))
		return dom_result(DOM_FORBIDDEN, "forbidden_scope", "这份督办单不是发给您单位的，由收件单位签收和反馈。");
	return dom_result(DOM_OK, NULL, NULL);
}

static DomResult sup_write(Store *s, const Actor *who, const char *action, Supervision *v, json_t *before,
                           const char *done)
{
	if (store_supervision_update(s, v) != H_OK) {
		json_decref(before);
		store_rollback(s);
		return dom_store_failed();
	}
	if (audit(s, who, action, "supervisions", v->id, before, sup_json(v)) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, done);
}

DomResult supervision_sign(Store *s, const Actor *who, long long task_id, long long sup_id)
{
	if (store_begin(s) != H_OK)
		return busy();
	Supervision v;
	DomResult r = sup_for(s, who, task_id, sup_id, 0, &v);
	if (r.code == DOM_OK && strcmp(v.status, "issued"))
		r = dom_result(DOM_CONFLICT, "already_signed", "这份督办单已经签收。");
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	json_t *before = sup_json(&v);
	char now[21];
	time_now_iso(now);
	v.status = "signed";
	v.signed_by = who->name;
	v.signed_at = arena_strdup(who->arena, now);
	return sup_write(s, who, "sign", &v, before, "已签收。请在办理时限前反馈办理情况并附证明材料。");
}

DomResult supervision_answer(Store *s, const Actor *who, long long task_id, long long sup_id, const char *text)
{
	return supervision_answer_with(s, who, task_id, sup_id, text, NULL, 0);
}

DomResult supervision_answer_with(Store *s, const Actor *who, long long task_id, long long sup_id, const char *text,
                                  const EvidenceFile *files, int nfiles)
{
	text = trimmed(who->arena, text);
	if (!text || chars_of(text) > 4000)
		return dom_result(DOM_INVALID, "bad_answer", "请填写办理情况（最多 4000 个字）。");
	if (store_begin(s) != H_OK)
		return busy();
	Supervision v;
	DomResult r = sup_for(s, who, task_id, sup_id, 0, &v);
	if (r.code == DOM_OK && strcmp(v.status, "issued") && strcmp(v.status, "signed"))
		r = dom_result(DOM_CONFLICT, "already_answered", "这份督办单已经反馈或办结。");
	for (int i = 0; i < nfiles && r.code == DOM_OK; i++)
		r = attachment_add_in_tx(s, who, "supervision", sup_id, files[i].name, files[i].data, files[i].len, NULL);
	int files_n = r.code == DOM_OK ? store_attachment_count(s, "supervision", sup_id) : 0;
	if (r.code == DOM_OK && files_n < 0)
		r = dom_store_failed();
	else if (r.code == DOM_OK && files_n == 0)
		r = dom_result(DOM_INVALID, "evidence_required", "请先上传至少一份证明材料（照片或 PDF），再提交反馈。");
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	json_t *before = sup_json(&v);
	char now[21];
	time_now_iso(now);
	if (!v.signed_at) {
		v.signed_by = who->name;
		v.signed_at = arena_strdup(who->arena, now);
	}
	v.status = "answered";
	v.answer = text;
	v.answered_by = who->name;
	v.answered_at = arena_strdup(who->arena, now);
	return sup_write(s, who, "answer", &v, before, "反馈已提交，等待市专班办公室审核。");
}

DomResult supervision_accept(Store *s, const Actor *who, long long task_id, long long sup_id, const char *note)
{
	note = trimmed(who->arena, note);
	if (note && chars_of(note) > 2000)
		return dom_result(DOM_INVALID, "bad_note", "审核意见最多 2000 个字。");
	if (store_begin(s) != H_OK)
		return busy();
	Supervision v;
	DomResult r = sup_for(s, who, task_id, sup_id, 1, &v);
	if (r.code == DOM_OK && strcmp(v.status, "answered"))
		r = dom_result(DOM_CONFLICT, "not_answered", "收件单位尚未反馈，不能办结；可以催办。");
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	json_t *before = sup_json(&v);
	char now[21];
	time_now_iso(now);
	v.status = "accepted";
	v.verdict = note ? note : "同意办结。";
	v.verdict_by = who->name;
	v.verdict_at = arena_strdup(who->arena, now);
	return sup_write(s, who, "accept", &v, before, "督办单已办结。");
}

DomResult supervision_press(Store *s, const Actor *who, long long task_id, long long sup_id, const char *note,
                            const char *due_on, long long *new_id)
{
	note = trimmed(who->arena, note);
	if (!note || chars_of(note) > 2000)
		return dom_result(DOM_INVALID, "bad_note", "请写明催办的理由和要求（最多 2000 个字）。");
	char today[11];
	tasks_today(today);
	const char *bad = due_bad(due_on, today);
	if (bad)
		return dom_result(DOM_INVALID, "bad_due_on", bad);
	if (store_begin(s) != H_OK)
		return busy();
	Supervision v;
	DomResult r = sup_for(s, who, task_id, sup_id, 1, &v);
	if (r.code == DOM_OK && (!strcmp(v.status, "accepted") || !strcmp(v.status, "pressed")))
		r = dom_result(DOM_CONFLICT, "closed", "这份督办单已办结或已催办。");
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	json_t *before = sup_json(&v);
	char now[21];
	time_now_iso(now);
	v.status = "pressed";
	v.verdict = note;
	v.verdict_by = who->name;
	v.verdict_at = arena_strdup(who->arena, now);
	Supervision next = {.task_id = task_id, .previous_id = v.id, .round = v.round + 1, .unit = v.unit,
	                    .demand = arena_printf(who->arena, "（第%d轮催办）%s", v.round + 1, note), .due_on = due_on,
	                    .status = "issued", .issued_by = who->name, .issued_at = now};
	long long nid = store_supervision_insert(s, &next);
	if (!nid || store_supervision_update(s, &v) != H_OK) {
		json_decref(before);
		store_rollback(s);
		return dom_store_failed();
	}
	if (audit(s, who, "press", "supervisions", v.id, before, sup_json(&v)) != H_OK ||
	    audit(s, who, "issue", "supervisions", nid, NULL, sup_json(&next)) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (new_id)
		*new_id = nid;
	return dom_result(DOM_OK, NULL, "已催办，新一轮督办单已下发。");
}

/* ---- the supervision table ---- */

static UnitLamps *row_for(Arena *a, UnitLamps **rows, int *n, int *cap, const Plan *p, const char *unit)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*rows)[i].unit, unit))
			return &(*rows)[i];
	if (*n == *cap) {
		UnitLamps *w = arena_alloc(a, sizeof *w * (size_t)*cap * 2);
		memcpy(w, *rows, sizeof *w * (size_t)*cap);
		*rows = w;
		*cap *= 2;
	}
	UnitLamps *r = &(*rows)[(*n)++];
	memset(r, 0, sizeof *r);
	r->unit = unit;
	r->name = unit_name(p, unit);
	return r;
}

/* Departments in the plan's order, then areas in the plan's, then 各镇街、功能区. */
static int unit_rank(const Plan *p, const char *u)
{
	for (int i = 0; i < p->ndepartments; i++)
		if (!strcmp(p->departments[i].code, u))
			return i;
	for (int i = 0; i < p->nareas; i++)
		if (!strcmp(p->areas[i].code, u))
			return 1000 + i;
	return 5000;
}

static const Plan *sort_plan;
static int unit_cmp(const void *x, const void *y)
{
	return unit_rank(sort_plan, ((const UnitLamps *)x)->unit) - unit_rank(sort_plan, ((const UnitLamps *)y)->unit);
}

int supervision_table(Store *s, Arena *a, const Plan *p, const char *today, UnitLamps **out)
{
	TaskRec *t;
	int nt = store_tasks(s, a, NULL, &t);
	if (nt < 0)
		return -1;
	Supervision *v;
	int nv = store_supervisions(s, a, 0, NULL, "issued,signed,answered", &v);
	if (nv < 0)
		return -1;
	int n = 0, cap = 32;
	UnitLamps *rows = arena_alloc(a, sizeof *rows * (size_t)cap);
	/* every department of the plan, with tasks or none */
	for (int i = 0; i < p->ndepartments; i++)
		row_for(a, &rows, &n, &cap, p, p->departments[i].code);
	for (int i = 0; i < nt; i++) {
		if (!strcmp(t[i].status, "cancelled"))
			continue;
		for (int u = 0; u < t[i].nunits; u++) {
			if (!t[i].unit_lead[u])
				continue;
			UnitLamps *r = row_for(a, &rows, &n, &cap, p, t[i].units[u]);
			int over;
			Lamp l = task_lamp(&t[i], today, &over, NULL);
			r->tasks++;
			switch (l) {
			case LAMP_DONE: r->done++; break;
			case LAMP_GREEN: r->green++; break;
			case LAMP_AMBER: r->amber++; break;
			case LAMP_RED: r->red++; break;
			default: r->none++; break;
			}
			if (over > r->max_over)
				r->max_over = over;
		}
	}
	for (int i = 0; i < nv; i++) {
		UnitLamps *r = row_for(a, &rows, &n, &cap, p, v[i].unit);
		r->sup_open++;
		if (!strcmp(v[i].status, "issued"))
			r->sup_unsigned++;
		if (!strcmp(v[i].status, "answered"))
			r->sup_answered++;
		else if (lamp_of(v[i].due_on, today, NULL) == LAMP_RED)
			r->sup_overdue++;
	}
	sort_plan = p;
	qsort(rows, (size_t)n, sizeof *rows, unit_cmp);
	*out = rows;
	return n;
}

/* ---- 催办 through the outbox ---- */

DomResult tasks_remind(Store *s, const Actor *who, const char *today, int *sent)
{
	*sent = 0;
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以催办。");
	if (store_begin(s) != H_OK)
		return busy();
	Supervision *v;
	int nv = store_supervisions(s, who->arena, 0, NULL, "issued,signed", &v);
	if (nv < 0) {
		store_rollback(s);
		return dom_store_failed();
	}
	char now[21];
	time_now_iso(now);
	for (int i = 0; i < nv; i++) {
		int over;
		if (lamp_of(v[i].due_on, today, &over) != LAMP_RED)
			continue;
		const char *key = arena_printf(who->arena, "task-remind-%lld-%s", v[i].id, today);
		const char *text = arena_printf(who->arena, "【督办提醒】%s：督办单“%s”（任务：%s）已逾期 %d 天（办理时限 %s），请尽快%s并反馈。",
		                                unit_name(who->plan, v[i].unit), v[i].demand, v[i].task_title, over,
		                                v[i].due_on, strcmp(v[i].status, "issued") ? "办理" : "签收、办理");
		json_t *o = json_pack("{s:s,s:{s:s},s:s,s:s,s:I,s:I,s:i}", "msgtype", "text", "text", "content", text,
		                      "idempotency_key", key, "unit", v[i].unit, "task_id", (json_int_t)v[i].task_id,
		                      "supervision_id", (json_int_t)v[i].id, "days_overdue", over);
		char *body = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		/* once a day: a key already there means today's message is queued */
		long long ob = store_outbox_add(s, key, "task_reminder", body, now);
		free(body);
		if (ob <= 0) {
			if (store_constraint_failed(s))
				continue;
			store_rollback(s);
			return dom_store_failed();
		}
		if (audit(s, who, "remind", "supervisions", v[i].id, NULL,
		          json_pack("{s:s,s:i}", "text", text, "days_overdue", over)) != H_OK) {
			store_rollback(s);
			return dom_store_failed();
		}
		(*sent)++;
	}
	if (store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, arena_printf(who->arena, "已催办 %d 份逾期督办单。", *sent));
}

/* ---- the agenda ---- */

const char *agenda_kind_zh(const char *kind)
{
	if (!kind)
		return "";
	if (!strcmp(kind, "indicator")) return "滞后指标";
	if (!strcmp(kind, "task")) return "逾期任务";
	if (!strcmp(kind, "help")) return "协调事项";
	if (!strcmp(kind, "recognition")) return "待办认定";
	return "其他";
}

static int add_item(Store *s, long long agenda_id, int *ord, const char *kind, const char *ref, const char *title,
                    const char *figures)
{
	AgendaItem it = {.agenda_id = agenda_id, .ord = ++*ord, .kind = kind, .ref = ref, .title = title, .figures = figures};
	return store_agenda_item_insert(s, &it) ? H_OK : H_ERR;
}

int agenda_gather_in_tx(Store *s, const Actor *who, long long id, const char *today)
{
	Arena *a = who->arena;
	const Plan *p = who->plan;
	int ord = 0;
	/* 1. the plan's indicators behind, the city's, with figures */
	int year = progress_default_year(p, today);
	Progress *g;
	int ng = progress_compute(s, p, a, p->city.code, year, today, "plan", &g);
	if (ng < 0)
		return H_ERR;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < ng; i++) {
			if (!g[i].has_target || g[i].status != (pass ? PS_BEHIND : PS_AT_RISK))
				continue;
			const char *unit = g[i].ind->unit;
			const char *fig = arena_printf(a, "%d 年目标 %s，截至 %s 完成 %s（%s），按进度应达 %s；%s，%s",
			                               year, fmt_quantity(a, g[i].target, unit), today,
			                               fmt_quantity(a, g[i].actual, unit), fmt_percent(a, g[i].ratio),
			                               fmt_quantity(a, g[i].expected, unit), progress_status_zh(g[i].status),
			                               fmt_gap(a, g[i].expected - g[i].actual, unit));
			if (add_item(s, id, &ord, "indicator", g[i].ind->code,
			             arena_printf(a, "%s%s", g[i].ind->name, pass ? "进度滞后" : "严重滞后"), fig) != H_OK)
				return H_ERR;
		}
	/* 2. overdue tasks, the most overdue first */
	TaskFilter f = {.status = "open"};
	TaskRec *t;
	int nt = store_tasks(s, a, &f, &t);
	if (nt < 0)
		return H_ERR;
	int *over = arena_alloc(a, sizeof *over * (size_t)(nt + 1));
	for (int i = 0; i < nt; i++)
		if (task_lamp(&t[i], today, &over[i], NULL) != LAMP_RED)
			over[i] = 0;
	for (int k = 0; k < 30; k++) {
		int best = -1;
		for (int i = 0; i < nt; i++)
			if (over[i] > 0 && (best < 0 || over[i] > over[best]))
				best = i;
		if (best < 0)
			break;
		const char *due;
		int d;
		task_lamp(&t[best], today, &d, &due);
		const char *fig = arena_printf(a, "牵头单位：%s；时限 %s，已逾期 %d 天%s", unit_name(p, t[best].lead), due, d,
		                               t[best].open_sup_id ? arena_printf(a, "；督办单%s", supervision_status_zh(t[best].open_sup_status)) : "");
		if (add_item(s, id, &ord, "task", idtext(a, t[best].id), t[best].title, fig) != H_OK)
			return H_ERR;
		over[best] = 0;
	}
	/* 3. requests for help from the latest monthly reports */
	HelpRequest *h;
	int nh = store_help_requests(s, a, "area-monthly", "problems", &h);
	if (nh < 0)
		return H_ERR;
	for (int i = 0; i < nh; i++) {
		const char *fig = arena_printf(a, "%s %s 月报：%s", unit_name(p, h[i].org), h[i].period, h[i].text);
		if (add_item(s, id, &ord, "help", arena_printf(a, "area-monthly/%s/%s", h[i].period, h[i].org),
		             arena_printf(a, "%s提请协调的事项", unit_name(p, h[i].org)), fig) != H_OK)
			return H_ERR;
	}
	/* 4. recognitions waiting (applied or endorsed) */
	static const char *const waiting[] = {"applied", "endorsed"};
	for (int w = 0; w < 2; w++) {
		Recognition *rec;
		int nr = store_recognitions(s, a, 0, waiting[w], NULL, &rec);
		if (nr < 0)
			return H_ERR;
		for (int i = 0; i < nr; i++) {
			const char *name = rec[i].base_name ? rec[i].base_name : idtext(a, rec[i].base_id);
			const char *fig = arena_printf(a, "%s，%s申请%s认定，%s", unit_name(p, rec[i].area), name,
			                               vocab_name(p, "base_level", rec[i].level),
			                               w ? "镇街、功能区已推荐，待备案" : "待镇街、功能区推荐");
			if (add_item(s, id, &ord, "recognition", idtext(a, rec[i].id), arena_printf(a, "%s认定申请", name), fig) != H_OK)
				return H_ERR;
		}
	}
	return H_OK;
}

DomResult agenda_draft(Store *s, const Actor *who, const char *title, const char *meeting_on, long long *id)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以汇总议题。");
	title = trimmed(who->arena, title);
	if (!title || chars_of(title) > 200)
		return dom_result(DOM_INVALID, "bad_title", "请填写会议名称（最多 200 个字）。");
	if (meeting_on && *meeting_on && !date_valid(meeting_on))
		return dom_result(DOM_INVALID, "bad_meeting_on", "会议日期应为 YYYY-MM-DD 格式的有效日期。");
	if (store_begin(s) != H_OK)
		return busy();
	char now[21], today[11];
	time_now_iso(now);
	tasks_today(today);
	AgendaRec g = {.title = title, .meeting_on = meeting_on && *meeting_on ? meeting_on : NULL, .created_by = who->name,
	               .created_at = now};
	long long aid = store_agenda_insert(s, &g);
	if (!aid || agenda_gather_in_tx(s, who, aid, today) != H_OK ||
	    audit(s, who, "draft", "agendas", aid, NULL, json_pack("{s:s,s:s?}", "title", title, "meeting_on", g.meeting_on)) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (id)
		*id = aid;
	return dom_result(DOM_OK, NULL, "议题已汇总（草稿）。");
}

DomResult agenda_decide(Store *s, const Actor *who, long long agenda_id, long long item_id, const char *text,
                        const char *lead, const char *due_on, long long *task_id)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以记录会议决定。");
	text = trimmed(who->arena, text);
	if (!text || chars_of(text) > 200)
		return dom_result(DOM_INVALID, "bad_text", "请填写会议决定（最多 200 个字，作为任务名称）。");
	if (store_begin(s) != H_OK)
		return busy();
	AgendaRec g;
	int found = store_agenda_get(s, who->arena, agenda_id, &g);
	DomResult r = dom_result(DOM_OK, NULL, NULL);
	if (found < 0)
		r = dom_store_failed();
	else if (!found)
		r = dom_result(DOM_NOT_FOUND, "not_found", "没有这次会议的议题。");
	if (r.code == DOM_OK && item_id > 0) {
		AgendaItem *items;
		int ni = store_agenda_items(s, who->arena, agenda_id, &items), ok = 0;
		for (int i = 0; i < ni; i++)
			ok |= items[i].id == item_id;
		if (ni < 0)
			r = dom_store_failed();
		else if (!ok)
			r = dom_result(DOM_INVALID, "bad_item", "这次会议没有这个议题。");
	}
	long long tid = 0;
	if (r.code == DOM_OK) {
		TaskInput in = {.title = text, .lead = lead, .due_on = due_on, .source = "meeting",
		                .source_ref = arena_printf(who->arena, "agenda/%lld", agenda_id),
		                .detail = arena_printf(who->arena, "%s会议决定。", g.title)};
		r = task_create_in_tx(s, who, &in, &tid);
	}
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	char now[21];
	time_now_iso(now);
	AgendaDecision d = {.agenda_id = agenda_id, .item_id = item_id, .text = text, .task_id = tid,
	                    .created_by = who->name, .created_at = now};
	long long did = store_agenda_decision_insert(s, &d);
	if (!did ||
	    audit(s, who, "decide", "agendas", agenda_id, NULL,
	          json_pack("{s:I,s:s,s:I}", "decision", (json_int_t)did, "text", text, "task_id", (json_int_t)tid)) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (task_id)
		*task_id = tid;
	return dom_result(DOM_OK, NULL, "会议决定已记录，并已转为任务。");
}

DomResult agenda_held(Store *s, const Actor *who, long long agenda_id)
{
	if (!is_office(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以办理议题。");
	if (store_begin(s) != H_OK)
		return busy();
	AgendaRec g;
	int found = store_agenda_get(s, who->arena, agenda_id, &g);
	DomResult r = dom_result(DOM_OK, NULL, NULL);
	if (found < 0)
		r = dom_store_failed();
	else if (!found)
		r = dom_result(DOM_NOT_FOUND, "not_found", "没有这次会议的议题。");
	else if (!strcmp(g.status, "held"))
		r = dom_result(DOM_CONFLICT, "already_held", "这次会议已标记为已召开。");
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	char now[21];
	time_now_iso(now);
	if (store_agenda_held(s, agenda_id, who->name, now) != H_OK ||
	    audit(s, who, "held", "agendas", agenda_id, json_pack("{s:s}", "status", "draft"),
	          json_pack("{s:s}", "status", "held")) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "已标记为已召开。");
}
