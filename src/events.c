/*
 * events.c — events and the roadshow pipeline (the rules are in events.h):
 * who may create and change an event, the checks of its fields, the order
 * of a project's steps and the links to the registry's investments and
 * projects. Each workflow runs in one transaction with its audit rows
 * ("events", "event_projects"). Pages and API: page_events.c.
 */
#include "events.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "attachments.h"
#include "plan.h"
#include "tasks.h"

const char *const event_kinds[] = {"summit", "contest", "activity_week", "pro_contest", "roadshow", "site_meeting",
                                   "other", NULL};

const char *event_kind_zh(const char *kind)
{
	static const char *const zh[] = {"峰会", "创新创业大赛", "双创活动周", "专业赛事", "路演", "现场会", "其他活动"};
	for (int i = 0; kind && event_kinds[i]; i++)
		if (!strcmp(kind, event_kinds[i]))
			return zh[i];
	return "活动";
}

const char *event_mode_zh(const char *mode)
{
	return !mode ? "" : !strcmp(mode, "online") ? "线上" : !strcmp(mode, "both") ? "线上线下结合" : "线下";
}

const char *event_status_zh(const char *status)
{
	return !status ? "" : !strcmp(status, "held") ? "已举办" : !strcmp(status, "cancelled") ? "已取消" : "筹备中";
}

static const char *const step_codes[EVENT_STEP_COUNT] = {"registered", "presented", "interest", "diligence",
                                                         "invested",   "settled",   "dropped"};
static const char *const step_names[EVENT_STEP_COUNT] = {"报名", "路演", "投资意向", "尽职调查", "获得投资", "落地入驻", "终止"};

int event_step_parse(const char *code)
{
	for (int i = 0; code && i < EVENT_STEP_COUNT; i++)
		if (!strcmp(code, step_codes[i]))
			return i;
	return -1;
}

const char *event_step_code(int step)
{
	return step >= 0 && step < EVENT_STEP_COUNT ? step_codes[step] : "";
}

const char *event_step_zh(int step)
{
	return step >= 0 && step < EVENT_STEP_COUNT ? step_names[step] : "";
}

/* The date of step k of row p (NULL: not recorded). */
static const char *step_date(const PipelineRec *p, int k)
{
	switch (k) {
	case EVENT_STEP_REGISTERED: return p->registered_on;
	case EVENT_STEP_PRESENTED: return p->presented_on;
	case EVENT_STEP_INTEREST: return p->interest_on;
	case EVENT_STEP_DILIGENCE: return p->diligence_on;
	case EVENT_STEP_INVESTED: return p->invested_on;
	case EVENT_STEP_SETTLED: return p->settled_on;
	case EVENT_STEP_DROPPED: return p->dropped_on;
	default: return NULL;
	}
}

int event_stage(const PipelineRec *p)
{
	if (p->dropped_on)
		return EVENT_STEP_DROPPED;
	for (int k = EVENT_STEP_SETTLED; k > EVENT_STEP_REGISTERED; k--)
		if (step_date(p, k))
			return k;
	return EVENT_STEP_REGISTERED;
}

double event_conversion(const EventFunnel *f)
{
	return f->presented > 0 ? (double)f->converted / (double)f->presented : 0;
}

const char *event_error(const EventErrors *e, const char *field)
{
	for (int i = 0; e && i < e->n; i++)
		if (!strcmp(e->field[i], field))
			return e->message[i];
	return NULL;
}

static void add_error(EventErrors *e, const char *field, const char *message)
{
	if (e->n < EVENT_MAX_ERRORS && !event_error(e, field)) {
		e->field[e->n] = field;
		e->message[e->n] = message;
		e->n++;
	}
}


static int blank(const char *s)
{
	return !s || !*s;
}

static DomResult busy(void)
{
	return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
}

static DomResult invalid(void)
{
	return dom_result(DOM_INVALID, "invalid", "填写有误，请按提示修改后重新提交。");
}

int event_may_create(const Actor *who)
{
	return who->role == ROLE_ADMIN || (who->role == ROLE_AREA && who->scope) || (who->role == ROLE_BASE && who->scope);
}

const char *event_refusal(const Actor *who, const EventRec *ev)
{
	if (who->role == ROLE_ADMIN)
		return NULL;
	if (who->role == ROLE_AREA && who->scope && ev->area && !strcmp(who->scope, ev->area))
		return NULL;
	if (who->role == ROLE_BASE && who->scope && ev->base_id > 0 && id_or_zero(who->scope) == ev->base_id)
		return NULL;
	if (who->role == ROLE_AREA || who->role == ROLE_BASE)
		return "这项活动不属于您的辖区或孵化基地，只能查看，不能修改。";
	return "只有市专班办公室、镇街和功能区、孵化基地可以办理活动。";
}

/* ---- audit texts ---- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *event_record_json(const EventRec *e, int api)
{
	json_t *j = json_object();
	if (api)
		json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "kind", jstr(e->kind));
	if (api)
		json_object_set_new(j, "kind_name", jstr(event_kind_zh(e->kind)));
	json_object_set_new(j, "name", jstr(e->name));
	json_object_set_new(j, "organiser", jstr(e->organiser));
	json_object_set_new(j, "area", jstr(e->area));
	json_object_set_new(j, "base_id", e->base_id > 0 ? json_integer(e->base_id) : json_null());
	if (api)
		json_object_set_new(j, "base_name", jstr(e->base_name));
	json_object_set_new(j, "starts_on", jstr(e->starts_on));
	json_object_set_new(j, "ends_on", jstr(e->ends_on));
	json_object_set_new(j, "place", jstr(e->place));
	json_object_set_new(j, "mode", jstr(e->mode));
	json_object_set_new(j, "participants", e->participants >= 0 ? json_integer(e->participants) : json_null());
	json_object_set_new(j, "attendees", jstr(e->attendees));
	json_object_set_new(j, "summary", jstr(e->summary));
	json_object_set_new(j, "status", jstr(e->status));
	return j;
}

static json_t *event_json(const EventRec *e)
{
	return event_record_json(e, 0);
}

static json_t *pipeline_json(const PipelineRec *p)
{
	json_t *j = json_object();
	json_object_set_new(j, "event_id", json_integer(p->event_id));
	json_object_set_new(j, "name", jstr(p->name));
	json_object_set_new(j, "team", jstr(p->team));
	json_object_set_new(j, "field", jstr(p->field));
	for (int k = 0; k < EVENT_STEP_COUNT; k++) {
		char key[24];
		snprintf(key, sizeof key, "%s_on", step_codes[k]);
		json_object_set_new(j, key, jstr(step_date(p, k)));
	}
	json_object_set_new(j, "investor", jstr(p->investor));
	json_object_set_new(j, "investment_id", p->investment_id > 0 ? json_integer(p->investment_id) : json_null());
	json_object_set_new(j, "project_id", p->project_id > 0 ? json_integer(p->project_id) : json_null());
	json_object_set_new(j, "settled_base_id", p->settled_base_id > 0 ? json_integer(p->settled_base_id) : json_null());
	json_object_set_new(j, "drop_reason", jstr(p->drop_reason));
	return j;
}

/* Writes the audit row and commits; rolls back and answers the failure otherwise. */
static DomResult audit_commit(Store *s, const Actor *who, const char *action, const char *kind, long long id,
                              json_t *before, json_t *after, const char *message)
{
	char rid[32];
	snprintf(rid, sizeof rid, "%lld", id);
	if (store_audit_json(s, who->name, who->addr, action, kind, rid, before, after) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, message);
}

/* ---- events ---- */

/* Copies the given fields of in over e (NULL: kept; "": cleared) and checks
 * the whole; errors to errs. Reads the base (its area) from the store:
 * -1 when that fails. */
static int event_apply_input(Store *s, const Actor *who, EventRec *e, const EventInput *in, EventErrors *errs)
{
#define TAKE(f) \
	if (in->f) \
		e->f = *in->f ? in->f : NULL
	TAKE(kind);
	TAKE(name);
	TAKE(organiser);
	TAKE(starts_on);
	TAKE(ends_on);
	TAKE(place);
	TAKE(mode);
	TAKE(attendees);
	TAKE(summary);
	TAKE(status);
#undef TAKE
	int kind_ok = 0;
	for (int i = 0; e->kind && event_kinds[i]; i++)
		kind_ok |= !strcmp(e->kind, event_kinds[i]);
	if (!kind_ok)
		add_error(errs, "kind", "请选择活动类型（峰会、创新创业大赛、双创活动周、专业赛事、路演、现场会或其他活动）。");
	static const struct {
		const char *field, *label;
		int max, required;
	} texts[] = {
		{"name", "活动名称", 100, 1}, {"organiser", "主办单位", 100, 1}, {"place", "地点", 100, 0},
		{"attendees", "参会单位和人员", 1000, 0}, {"summary", "活动简介", 2000, 0},
	};
	const char *vals[] = {e->name, e->organiser, e->place, e->attendees, e->summary};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (texts[i].required && blank(vals[i]))
			add_error(errs, texts[i].field, arena_printf(who->arena, "请填写%s。", texts[i].label));
		else if (vals[i] && utf8_chars(vals[i]) > (size_t)texts[i].max)
			add_error(errs, texts[i].field, arena_printf(who->arena, "%s最多 %d 个字，现在是 %d 个字。", texts[i].label,
			                                             texts[i].max, (int)utf8_chars(vals[i])));
	}
	if (!e->starts_on || !date_valid(e->starts_on))
		add_error(errs, "starts_on", e->starts_on ? arena_printf(who->arena, "开始日期“%s”不是有效日期，请按 2024-05-18 的格式填写。", e->starts_on)
		                                          : "请填写开始日期。");
	if (e->ends_on && !date_valid(e->ends_on))
		add_error(errs, "ends_on", arena_printf(who->arena, "结束日期“%s”不是有效日期，请按 2024-05-19 的格式填写。", e->ends_on));
	else if (e->ends_on && e->starts_on && date_valid(e->starts_on) && strcmp(e->ends_on, e->starts_on) < 0)
		add_error(errs, "ends_on", "结束日期不能早于开始日期。");
	if (!e->mode)
		e->mode = "offline";
	if (strcmp(e->mode, "offline") && strcmp(e->mode, "online") && strcmp(e->mode, "both"))
		add_error(errs, "mode", "举办方式应为线下、线上或线上线下结合。");
	if (!e->status)
		e->status = "planned";
	if (strcmp(e->status, "planned") && strcmp(e->status, "held") && strcmp(e->status, "cancelled"))
		add_error(errs, "status", "状态应为筹备中、已举办或已取消。");
	if (in->participants) {
		long long n;
		if (!*in->participants)
			e->participants = -1;
		else if (parse_int(in->participants, 0, 1000000, &n))
			e->participants = n;
		else
			add_error(errs, "participants", arena_printf(who->arena, "参与人数“%s”应为 0 到 1000000 之间的整数。",
			                                             in->participants));
	}
	/* where: the area (or the city), and the hosting base, which must lie in it */
	if (in->area) {
		const Area *ar = *in->area ? plan_area(who->plan, in->area) : NULL;
		if (*in->area && (!ar || !ar->parent))
			add_error(errs, "area", "所属区域应为本市的镇街或功能区；全市性的活动不选区域。");
		else
			e->area = ar ? ar->code : NULL;
	}
	if (in->base_id) {
		long long id = 0;
		if (*in->base_id && !parse_int(in->base_id, 1, 1LL << 62, &id))
			add_error(errs, "base_id", "承办孵化基地应从列表中选择。");
		e->base_id = id;
	}
	if (e->base_id > 0) {
		const char *base_area;
		long long unused;
		int found = store_record_scope(s, who->arena, "bases", e->base_id, &base_area, &unused);
		if (found < 0)
			return -1;
		if (!found)
			add_error(errs, "base_id", "没有这个孵化基地，请从列表中选择。");
		else if (!e->area && in->base_id && !in->area)
			e->area = base_area; /* a base's event is its area's unless the office says the city's */
		else if (e->area && strcmp(e->area, base_area))
			add_error(errs, "base_id", "承办孵化基地不在所选区域内，请核对区域或基地。");
	}
	/* whose it may be: an area reporter's own area, a base user's own base */
	if (who->role == ROLE_AREA && (!e->area || !who->scope || strcmp(e->area, who->scope)))
		add_error(errs, "area", "镇街、功能区只能登记本辖区的活动。");
	if (who->role == ROLE_BASE && (!who->scope || e->base_id != id_or_zero(who->scope)))
		add_error(errs, "base_id", "孵化基地只能登记本基地承办的活动。");
	return errs->n;
}

DomResult event_create(Store *s, const Actor *who, const EventInput *in, EventErrors *errs, long long *new_id)
{
	memset(errs, 0, sizeof *errs);
	if (!event_may_create(who))
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室、镇街和功能区、孵化基地可以登记活动。");
	EventRec e = {.participants = -1};
	/* defaults: an area reporter's area, a base user's base */
	EventInput x = *in;
	if (who->role == ROLE_AREA && !x.area)
		x.area = who->scope;
	if (who->role == ROLE_BASE && blank(x.base_id))
		x.base_id = who->scope;
	if (store_begin(s) != H_OK)
		return busy();
	int n = event_apply_input(s, who, &e, &x, errs);
	if (n != 0) {
		store_rollback(s);
		return n < 0 ? dom_store_failed() : invalid();
	}
	long long id = store_event_insert(s, &e, who->name);
	if (!id) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (new_id)
		*new_id = id;
	return audit_commit(s, who, "create", "events", id, NULL, event_json(&e), "活动已登记。");
}

/* The name of the first project presented outside [from, to] (NULL: none);
 * *presented: how many were presented at all, -1 when the store failed. */
static const char *presented_outside(Store *s, const Actor *who, long long id, const char *from, const char *to,
                                     int *presented)
{
	PipelineRec *v;
	int n = store_pipeline(s, who->arena, id, &v);
	const char *out = NULL;
	*presented = n < 0 ? -1 : 0;
	for (int i = 0; i < n; i++)
		if (v[i].presented_on) {
			(*presented)++;
			if (!out && (strcmp(v[i].presented_on, from) < 0 || strcmp(v[i].presented_on, to) > 0))
				out = v[i].name;
		}
	return out;
}

DomResult event_update(Store *s, const Actor *who, long long id, const EventInput *in, EventErrors *errs)
{
	memset(errs, 0, sizeof *errs);
	if (store_begin(s) != H_OK)
		return busy();
	EventRec e;
	int found = store_event_get(s, who->arena, id, &e);
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	const char *no;
	if (found < 0)
		res = dom_store_failed();
	else if (!found)
		res = dom_result(DOM_NOT_FOUND, "not_found", "没有这项活动。");
	else if ((no = event_refusal(who, &e)) != NULL)
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", no);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	EventRec before = e;
	int n = event_apply_input(s, who, &e, in, errs);
	if (n == 0 && date_valid(e.starts_on)) {
		/* the projects presented stay on days of the event, and it is not cancelled under them */
		int presented;
		const char *out = presented_outside(s, who, id, e.starts_on, e.ends_on ? e.ends_on : e.starts_on, &presented);
		if (presented < 0) {
			n = -1;
		} else if (out) {
			add_error(errs, "starts_on", arena_printf(who->arena, "项目“%s”的路演日期不在新的活动日期内，请先核对活动日期。", out));
			n = 1;
		} else if (presented > 0 && !strcmp(e.status, "cancelled")) {
			add_error(errs, "status", "已有项目在本活动路演，不能改为已取消。");
			n = 1;
		}
	}
	if (n != 0) {
		store_rollback(s);
		return n < 0 ? dom_store_failed() : invalid();
	}
	if (store_event_update(s, &e) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return audit_commit(s, who, "update", "events", id, event_json(&before), event_json(&e), "活动已保存。");
}

/* ---- the pipeline ---- */

/* The last day of ev. */
static const char *event_last_day(const EventRec *ev)
{
	return ev->ends_on ? ev->ends_on : ev->starts_on;
}

/* Why a presentation on `on` does not fit ev and a row registered on
 * `registered` (NULL: it fits). */
static const char *presentation_refusal(const Actor *who, const EventRec *ev, const char *registered, const char *on)
{
	if (!on || !date_valid(on))
		return "请填写路演日期（如 2024-05-18）。";
	if (!strcmp(ev->status, "cancelled"))
		return "这项活动已取消，不能记录路演。";
	if (strcmp(on, ev->starts_on) < 0 || strcmp(on, event_last_day(ev)) > 0)
		return ev->ends_on && strcmp(ev->ends_on, ev->starts_on)
		           ? arena_printf(who->arena, "路演日期应在活动期间（%s 至 %s）。", ev->starts_on, ev->ends_on)
		           : arena_printf(who->arena, "路演日期应为活动当天（%s）。", ev->starts_on);
	if (registered && strcmp(on, registered) < 0)
		return "路演日期不能早于报名日期。";
	return NULL;
}

DomResult event_project_add(Store *s, const Actor *who, long long event_id, const PipelineInput *in, EventErrors *errs,
                            long long *new_id)
{
	memset(errs, 0, sizeof *errs);
	if (store_begin(s) != H_OK)
		return busy();
	EventRec ev;
	int found = store_event_get(s, who->arena, event_id, &ev);
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	const char *no;
	if (found < 0)
		res = dom_store_failed();
	else if (!found)
		res = dom_result(DOM_NOT_FOUND, "not_found", "没有这项活动。");
	else if ((no = event_refusal(who, &ev)) != NULL)
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", no);
	else if (!strcmp(ev.kind, "site_meeting"))
		res = dom_result(DOM_INVALID, "no_pipeline", "现场会不登记路演项目；会上议定的事项请作为后续任务办理。");
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	PipelineRec p = {.event_id = event_id};
	p.name = blank(in->name) ? NULL : in->name;
	p.team = blank(in->team) ? NULL : in->team;
	p.field = blank(in->field) ? NULL : in->field;
	p.note = blank(in->note) ? NULL : in->note;
	p.registered_on = blank(in->registered_on) ? NULL : in->registered_on;
	p.presented_on = blank(in->presented_on) ? NULL : in->presented_on;
	if (!p.name)
		add_error(errs, "name", "请填写项目名称。");
	else if (utf8_chars(p.name) > 100)
		add_error(errs, "name", "项目名称最多 100 个字。");
	if (p.team && utf8_chars(p.team) > 60)
		add_error(errs, "team", "负责人或团队最多 60 个字。");
	if (p.field && utf8_chars(p.field) > 30)
		add_error(errs, "field", "领域最多 30 个字。");
	if (p.note && utf8_chars(p.note) > 500)
		add_error(errs, "note", "备注最多 500 个字。");
	if (!p.registered_on || !date_valid(p.registered_on))
		add_error(errs, "registered_on", p.registered_on ? arena_printf(who->arena, "报名日期“%s”不是有效日期，请按 2024-05-10 的格式填写。", p.registered_on)
		                                                : "请填写报名日期。");
	else if (strcmp(p.registered_on, event_last_day(&ev)) > 0)
		add_error(errs, "registered_on", "报名日期不能晚于活动结束日期。");
	if (p.presented_on && (no = presentation_refusal(who, &ev, p.registered_on, p.presented_on)) != NULL)
		add_error(errs, "presented_on", no);
	if (p.name && !errs->n) {
		PipelineRec *v;
		int n = store_pipeline(s, who->arena, event_id, &v);
		if (n < 0) {
			store_rollback(s);
			return dom_store_failed();
		}
		for (int i = 0; i < n; i++)
			if (!strcmp(v[i].name, p.name)) {
				store_rollback(s);
				return dom_result(DOM_CONFLICT, "duplicate", arena_printf(who->arena, "本活动已登记项目“%s”，请勿重复登记。", p.name));
			}
	}
	if (errs->n) {
		store_rollback(s);
		return invalid();
	}
	long long id = store_pipeline_insert(s, &p, who->name);
	if (!id) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (new_id)
		*new_id = id;
	return audit_commit(s, who, "register", "event_projects", id, NULL, pipeline_json(&p), "项目已登记。");
}

/* The bounds a date of step k must keep in row p: not before any step
 * recorded before it in the order, not after any recorded after it
 * (investment and settlement are each other's peers). */
static void step_bounds(const PipelineRec *p, int k, const char **lo, int *lo_step, const char **hi, int *hi_step)
{
	*lo = *hi = NULL;
	*lo_step = *hi_step = -1;
	int peer = k == EVENT_STEP_INVESTED ? EVENT_STEP_SETTLED : k == EVENT_STEP_SETTLED ? EVENT_STEP_INVESTED : -1;
	for (int j = EVENT_STEP_REGISTERED; j <= EVENT_STEP_SETTLED; j++) {
		const char *d = step_date(p, j);
		if (j == k || j == peer || !d)
			continue;
		if (j < k && (!*lo || strcmp(d, *lo) > 0)) {
			*lo = d;
			*lo_step = j;
		}
		if (j > k && (!*hi || strcmp(d, *hi) < 0)) {
			*hi = d;
			*hi_step = j;
		}
	}
}

/* Checks and fills the outcome step (invested, settled) from the linked
 * record; DOM_OK when it may be written. */
static DomResult link_outcome(Store *s, const Actor *who, PipelineRec *p, int k, long long link)
{
	const char *kind = k == EVENT_STEP_INVESTED ? "investments" : "projects";
	const char *what = k == EVENT_STEP_INVESTED ? "投资" : "项目";
	if (link <= 0)
		return dom_result(DOM_INVALID, "link_required",
		                  k == EVENT_STEP_INVESTED ? "请选择登记库中的这笔投资（先在登记库登记投资，再在此关联）。"
		                                           : "请选择登记库中落地的项目（先在登记库登记项目，再在此关联）。");
	LinkRec l;
	int found = store_link_get(s, who->arena, kind, link, &l);
	if (found < 0)
		return dom_store_failed();
	if (!found)
		return dom_result(DOM_NOT_FOUND, "not_found", arena_printf(who->arena, "登记库中没有这个%s，请从列表中选择。", what));
	if ((who->role == ROLE_AREA && (!who->scope || !l.area || strcmp(l.area, who->scope))) ||
	    (who->role == ROLE_BASE && (!who->scope || l.base_id != id_or_zero(who->scope))))
		return dom_result(DOM_FORBIDDEN, "forbidden_scope",
		                  arena_printf(who->arena, "这个%s不属于您的辖区或孵化基地，不能关联为本活动的成果。", what));
	PipelineRec other;
	found = store_pipeline_by_link(s, who->arena, kind, link, &other);
	if (found < 0)
		return dom_store_failed();
	if (found)
		return dom_result(DOM_CONFLICT, "already_linked",
		                  arena_printf(who->arena, "这个%s已记为活动“%s”中项目“%s”的成果，一个%s只能由一场活动带来。", what,
		                               other.event_name, other.name, what));
	const char *lo, *hi;
	int lo_step, hi_step;
	step_bounds(p, k, &lo, &lo_step, &hi, &hi_step);
	if (lo && strcmp(l.on, lo) < 0)
		return dom_result(DOM_INVALID, "before_presentation",
		                  arena_printf(who->arena,
		                               "这个%s登记的日期是 %s，早于本项目的“%s”（%s），不能算作本活动带来的成果；"
		                               "活动之前的%s请直接在登记库登记，不计入路演转化。",
		                               what, l.on, event_step_zh(lo_step), lo, what));
	if (k == EVENT_STEP_INVESTED) {
		p->invested_on = l.on;
		p->investment_id = l.id;
	} else {
		p->settled_on = l.on;
		p->project_id = l.id;
		p->settled_base_id = l.base_id;
	}
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult event_step(Store *s, const Actor *who, long long event_id, long long pid, const StepInput *in)
{
	int k = event_step_parse(in->step);
	if (k <= EVENT_STEP_REGISTERED)
		return dom_result(DOM_INVALID, "bad_step",
		                  "进展应为路演（presented）、投资意向（interest）、尽职调查（diligence）、获得投资（invested）、"
		                  "落地入驻（settled）或终止（dropped）。");
	if (store_begin(s) != H_OK)
		return busy();
	EventRec ev;
	PipelineRec p;
	int found = store_event_get(s, who->arena, event_id, &ev);
	int found_p = found > 0 ? store_pipeline_get(s, who->arena, pid, &p) : 0;
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	const char *no;
	if (found < 0 || found_p < 0)
		res = dom_store_failed();
	else if (!found)
		res = dom_result(DOM_NOT_FOUND, "not_found", "没有这项活动。");
	else if (!found_p || p.event_id != event_id)
		res = dom_result(DOM_NOT_FOUND, "not_found", "本活动没有这个项目。");
	else if ((no = event_refusal(who, &ev)) != NULL)
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", no);
	else if (p.dropped_on)
		res = dom_result(DOM_CONFLICT, "dropped", arena_printf(who->arena, "该项目已于 %s 终止，不能再记录进展。", p.dropped_on));
	else if (step_date(&p, k))
		res = dom_result(DOM_CONFLICT, "step_recorded",
		                 arena_printf(who->arena, "该项目已记录“%s”（%s），不能重复记录。", event_step_zh(k), step_date(&p, k)));
	else if (k == EVENT_STEP_DROPPED && (p.invested_on || p.settled_on))
		res = dom_result(DOM_CONFLICT, "converted", "该项目已获得投资或落地入驻，不能再记为终止。");
	else if (k > EVENT_STEP_PRESENTED && k != EVENT_STEP_DROPPED && !p.presented_on)
		res = dom_result(DOM_CONFLICT, "not_presented",
		                 arena_printf(who->arena, "项目尚未在本活动路演，不能记录“%s”；请先记录路演。", event_step_zh(k)));
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	PipelineRec before = p;
	const char *on = blank(in->on) ? NULL : in->on;
	if (k == EVENT_STEP_INVESTED || k == EVENT_STEP_SETTLED) {
		res = link_outcome(s, who, &p, k, in->link);
	} else if (k == EVENT_STEP_PRESENTED) {
		no = presentation_refusal(who, &ev, p.registered_on, on);
		if (no)
			res = dom_result(DOM_INVALID, "bad_date", no);
		else
			p.presented_on = on;
	} else if (!on || !date_valid(on)) {
		res = dom_result(DOM_INVALID, "bad_date",
		                 on ? arena_printf(who->arena, "日期“%s”不是有效日期，请按 2024-06-01 的格式填写。", on) : "请填写日期。");
	} else if (k == EVENT_STEP_DROPPED) {
		if (blank(in->reason))
			res = dom_result(DOM_INVALID, "reason_required", "终止时请写明原因。");
		else if (utf8_chars(in->reason) > 200)
			res = dom_result(DOM_INVALID, "reason_too_long", "终止原因最多 200 个字。");
		else {
			const char *last = p.registered_on;
			for (int j = EVENT_STEP_PRESENTED; j <= EVENT_STEP_SETTLED; j++)
				if (step_date(&p, j) && strcmp(step_date(&p, j), last) > 0)
					last = step_date(&p, j);
			if (strcmp(on, last) < 0)
				res = dom_result(DOM_INVALID, "bad_order", arena_printf(who->arena, "终止日期不能早于该项目最近一步的日期（%s）。", last));
			p.dropped_on = on;
			p.drop_reason = in->reason;
		}
	} else {
		if (k == EVENT_STEP_INTEREST) {
			if (in->investor && utf8_chars(in->investor) > 100)
				res = dom_result(DOM_INVALID, "investor_too_long", "意向投资方最多 100 个字。");
			p.investor = blank(in->investor) ? NULL : in->investor;
			p.interest_on = on;
		} else {
			p.diligence_on = on;
		}
	}
	/* the step's date between its neighbours */
	if (res.code == DOM_OK && k != EVENT_STEP_DROPPED) {
		const char *lo, *hi, *d = step_date(&p, k);
		int lo_step, hi_step;
		step_bounds(&p, k, &lo, &lo_step, &hi, &hi_step);
		if (lo && strcmp(d, lo) < 0)
			res = dom_result(DOM_INVALID, "bad_order", arena_printf(who->arena, "“%s”的日期（%s）不能早于“%s”（%s）。",
			                                                        event_step_zh(k), d, event_step_zh(lo_step), lo));
		else if (hi && strcmp(d, hi) > 0)
			res = dom_result(DOM_INVALID, "bad_order", arena_printf(who->arena, "“%s”的日期（%s）不能晚于“%s”（%s）。",
			                                                        event_step_zh(k), d, event_step_zh(hi_step), hi));
	}
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	if (store_pipeline_update(s, &p) != H_OK) {
		int dup = store_constraint_failed(s);
		store_rollback(s);
		return dup ? dom_result(DOM_CONFLICT, "already_linked", "这条登记库记录已是另一场活动的成果。") : dom_store_failed();
	}
	char action[32];
	snprintf(action, sizeof action, "step_%s", step_codes[k]);
	return audit_commit(s, who, action, "event_projects", pid, pipeline_json(&before), pipeline_json(&p),
	                    arena_printf(who->arena, "已记录“%s”。", event_step_zh(k)));
}

/* ---- follow-up tasks and photos ---- */

const char *event_task_ref(Arena *a, long long id)
{
	return arena_printf(a, "event/%lld", id);
}

/* Reads event id inside the transaction for a change by who. */
static DomResult event_for_change(Store *s, const Actor *who, long long id, EventRec *ev)
{
	int found = store_event_get(s, who->arena, id, ev);
	const char *no;
	if (found < 0)
		return dom_store_failed();
	if (!found)
		return dom_result(DOM_NOT_FOUND, "not_found", "没有这项活动。");
	if ((no = event_refusal(who, ev)) != NULL)
		return dom_result(DOM_FORBIDDEN, "forbidden_scope", no);
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult event_followup_add(Store *s, const Actor *who, long long event_id, const TaskInput *in, long long *task_id)
{
	if (who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以派发活动、现场会的后续任务。");
	if (store_begin(s) != H_OK)
		return busy();
	EventRec ev;
	DomResult r = event_for_change(s, who, event_id, &ev);
	if (r.code == DOM_OK && !strcmp(ev.status, "cancelled"))
		r = dom_result(DOM_CONFLICT, "cancelled", "这项活动已取消，不能派发后续任务。");
	long long tid = 0;
	if (r.code == DOM_OK) {
		TaskInput x = *in;
		x.source = "event";
		x.source_ref = event_task_ref(who->arena, event_id);
		if (!x.detail || !*x.detail)
			x.detail = arena_printf(who->arena, "%s（%s）议定的后续任务。", ev.name, ev.starts_on);
		r = task_create_in_tx(s, who, &x, &tid);
	}
	if (r.code != DOM_OK) {
		store_rollback(s);
		return r;
	}
	if (task_id)
		*task_id = tid;
	return audit_commit(s, who, "followup", "events", event_id, NULL,
	                    json_pack("{s:I,s:s}", "task_id", (json_int_t)tid, "title", in->title ? in->title : ""),
	                    "后续任务已派发，牵头单位会在工作台看到。");
}

DomResult event_attach(Store *s, const Actor *who, long long event_id, const EvidenceFile *files, int nfiles,
                       long long *file_id)
{
	if (nfiles < 1)
		return dom_result(DOM_INVALID, "no_file", "请先选择照片或 PDF 文件，再点“上传”。");
	if (store_begin(s) != H_OK)
		return busy();
	EventRec ev;
	DomResult r = event_for_change(s, who, event_id, &ev);
	for (int i = 0; i < nfiles && r.code == DOM_OK; i++)
		r = attachment_add_in_tx(s, who, "event", event_id, files[i].name, files[i].data, files[i].len, file_id);
	if (r.code != DOM_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return r.code == DOM_OK ? dom_store_failed() : r;
	}
	return dom_result(DOM_OK, NULL, "照片已上传。");
}
