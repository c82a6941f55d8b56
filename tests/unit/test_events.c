/*
 * test_events.c — events and the roadshow pipeline over an in-memory
 * store: who may create and change an event (the office, an area its own,
 * a base its own; departments and leaders never), the checks of the fields
 * with their Chinese messages, the order of a project's steps (no
 * interest, investment or settlement before presentation; no investment
 * dated before the roadshow; a step once; none after dropping), the links
 * to the registry (one pipeline row per record, own scope only), the
 * funnel counts and conversion per event and over many, and the audit rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "events.h"
#include "tasks.h"
#include "testutil.h"

typedef struct Fx {
	Arena a;
	Plan *p;
	Store *s;
	long long base_fy, base_xj, fund, inv_early, inv_late, inv_xj, proj_fy, proj_xj;
} Fx;

static long long add_base(Store *s, const char *name, const char *area)
{
	Base b = {.name = name, .kind = "incubator", .area = area, .opened_on = "2020-01-01", .total_area_m2 = 1000,
	          .firms_total = -1, .firms_leading_industry = -1, .talents = -1, .teams = -1, .created_by = "test"};
	long long id = store_base_insert(s, &b);
	assert_true(id > 0);
	return id;
}

static long long add_investment(Store *s, long long fund, const char *investee, long long base, const char *area,
                                const char *on, double yuan)
{
	Investment i = {.fund_id = fund, .investee = investee, .base_id = base, .area = area, .amount_yuan = yuan,
	                .invested_on = on, .created_by = "test"};
	long long id = store_investment_insert(s, &i);
	assert_true(id > 0);
	return id;
}

static long long add_project(Store *s, const char *name, long long base, const char *area, const char *on)
{
	Project p = {.name = name, .kind = "project", .base_id = base, .area = area, .source = "roadshow", .arrived_on = on,
	             .created_by = "test"};
	long long id = store_project_insert(s, &p);
	assert_true(id > 0);
	return id;
}

static int setup(void **state)
{
	Fx *f = calloc(1, sizeof *f);
	f->p = tu_embedded_plan(&f->a);
	f->s = tu_store_memory();
	tu_save_plan(f->s, f->p);
	assert_int_equal(store_begin(f->s), H_OK);
	f->base_fy = add_base(f->s, "飞云测试孵化器", "feiyun");
	f->base_xj = add_base(f->s, "仙降测试加速器", "xianjiang");
	Fund fd = {.name = "测试天使基金", .stage = "angel", .origin = "new", .established_on = "2023-01-01", .size_yuan = 5e7,
	           .area = "feiyun", .base_id = f->base_fy, .created_by = "test"};
	f->fund = store_fund_insert(f->s, &fd);
	assert_true(f->fund > 0);
	f->inv_early = add_investment(f->s, f->fund, "早投科技有限公司", f->base_fy, "feiyun", "2024-03-01", 1e6);
	f->inv_late = add_investment(f->s, f->fund, "路演科技有限公司", f->base_fy, "feiyun", "2024-07-15", 3e6);
	f->inv_xj = add_investment(f->s, f->fund, "仙降鞋业科技有限公司", f->base_xj, "xianjiang", "2024-08-01", 2e6);
	f->proj_fy = add_project(f->s, "飞云智能装备项目", f->base_fy, "feiyun", "2024-09-01");
	f->proj_xj = add_project(f->s, "仙降新材料项目", f->base_xj, "xianjiang", "2024-09-10");
	assert_int_equal(store_commit(f->s), H_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fx *f = *state;
	store_close(f->s);
	arena_free(&f->a);
	free(f);
	return 0;
}

static Actor actor(Fx *f, const char *name, Role role, const char *scope)
{
	Actor a = {.name = name, .role = role, .scope = scope, .addr = "test", .plan = f->p, .arena = &f->a};
	return a;
}

static long long q_num(Store *s, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A roadshow of area (NULL: the city's) on day. */
static long long roadshow(Fx *f, const Actor *who, const char *area, const char *day)
{
	EventInput in = {.kind = "roadshow", .name = "测试路演", .organiser = "市科技局", .area = area, .starts_on = day,
	                 .status = "held", .mode = "both", .participants = "120"};
	EventErrors e;
	long long id = 0;
	DomResult r = event_create(f->s, who, &in, &e, &id);
	if (r.code != DOM_OK)
		fail_msg("roadshow not created: %s %s", r.message, e.n ? e.message[0] : "");
	return id;
}

static long long register_project(Fx *f, const Actor *who, long long ev, const char *name, const char *reg,
                                  const char *presented)
{
	PipelineInput in = {.name = name, .team = "张三团队", .field = "智能装备", .registered_on = reg, .presented_on = presented};
	EventErrors e;
	long long id = 0;
	DomResult r = event_project_add(f->s, who, ev, &in, &e, &id);
	if (r.code != DOM_OK)
		fail_msg("project not registered: %s %s", r.message, e.n ? e.message[0] : "");
	return id;
}

static DomResult step(Fx *f, const Actor *who, long long ev, long long pid, const char *code, const char *on, long long link)
{
	StepInput in = {.step = code, .on = on, .link = link, .investor = code && !strcmp(code, "interest") ? "测试创投" : NULL,
	                .reason = code && !strcmp(code, "dropped") ? "团队解散" : NULL};
	return event_step(f->s, who, ev, pid, &in);
}

static void test_scopes(void **state)
{
	Fx *f = *state;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL), fy = actor(f, "fy", ROLE_AREA, "feiyun"),
	      xj = actor(f, "xj", ROLE_AREA, "xianjiang"), dept = actor(f, "kjj", ROLE_DEPARTMENT, "kjj"),
	      leader = actor(f, "leader", ROLE_VIEWER, NULL);
	char own[24], other[24];
	snprintf(own, sizeof own, "%lld", f->base_fy);
	snprintf(other, sizeof other, "%lld", f->base_xj);
	Actor base = actor(f, "base", ROLE_BASE, own);
	EventInput in = {.kind = "summit", .name = "世界青年科学家峰会云江科创大会", .organiser = "市科协、市科技局",
	                 .starts_on = "2024-05-18", .ends_on = "2024-05-19", .participants = "800"};
	EventErrors e;
	long long city = 0, id = 0;
	/* the office: the city's event */
	assert_int_equal(event_create(f->s, &office, &in, &e, &city).code, DOM_OK);
	EventRec ev;
	assert_int_equal(store_event_get(f->s, &f->a, city, &ev), 1);
	assert_null(ev.area);
	assert_int_equal(ev.participants, 800);
	/* departments and leaders create nothing */
	assert_int_equal(event_create(f->s, &dept, &in, &e, &id).code, DOM_FORBIDDEN);
	assert_int_equal(event_create(f->s, &leader, &in, &e, &id).code, DOM_FORBIDDEN);
	/* an area: its own (the default), never another's nor the city's */
	EventInput a_in = {.kind = "contest", .name = "飞云创新创业大赛", .organiser = "飞云街道", .starts_on = "2024-06-01"};
	long long fy_ev = 0;
	assert_int_equal(event_create(f->s, &fy, &a_in, &e, &fy_ev).code, DOM_OK);
	assert_int_equal(store_event_get(f->s, &f->a, fy_ev, &ev), 1);
	assert_string_equal(ev.area, "feiyun");
	a_in.area = "xianjiang";
	assert_int_equal(event_create(f->s, &fy, &a_in, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "area"), "本辖区");
	a_in.area = "";
	assert_int_equal(event_create(f->s, &fy, &a_in, &e, &id).code, DOM_INVALID);
	/* an area may name a base of its own, not one elsewhere */
	a_in.area = NULL;
	a_in.base_id = other;
	assert_int_equal(event_create(f->s, &fy, &a_in, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "base_id"), "不在所选区域");
	/* a base: its own base (the default), its area derived */
	EventInput b_in = {.kind = "pro_contest", .name = "智能装备专业赛", .organiser = "飞云测试孵化器", .starts_on = "2024-07-01"};
	long long b_ev = 0;
	assert_int_equal(event_create(f->s, &base, &b_in, &e, &b_ev).code, DOM_OK);
	assert_int_equal(store_event_get(f->s, &f->a, b_ev, &ev), 1);
	assert_int_equal(ev.base_id, f->base_fy);
	assert_string_equal(ev.area, "feiyun");
	b_in.base_id = other;
	assert_int_equal(event_create(f->s, &base, &b_in, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "base_id"), "本基地");
	/* changing: the office any; an area its own only; a base the one it hosts */
	EventInput ch = {.place = "云江科创大厦"};
	assert_int_equal(event_update(f->s, &xj, fy_ev, &ch, &e).code, DOM_FORBIDDEN);
	assert_int_equal(event_update(f->s, &fy, city, &ch, &e).code, DOM_FORBIDDEN);
	assert_int_equal(event_update(f->s, &base, fy_ev, &ch, &e).code, DOM_FORBIDDEN);
	assert_int_equal(event_update(f->s, &dept, fy_ev, &ch, &e).code, DOM_FORBIDDEN);
	assert_int_equal(event_update(f->s, &fy, fy_ev, &ch, &e).code, DOM_OK);
	assert_int_equal(event_update(f->s, &fy, b_ev, &ch, &e).code, DOM_OK); /* a base's event is its area's too */
	assert_int_equal(event_update(f->s, &base, b_ev, &ch, &e).code, DOM_OK);
	assert_int_equal(event_update(f->s, &office, fy_ev, &ch, &e).code, DOM_OK);
	/* an area cannot move its event away */
	EventInput away = {.area = "xianjiang"};
	assert_int_equal(event_update(f->s, &fy, fy_ev, &away, &e).code, DOM_INVALID);
	assert_int_equal(store_event_get(f->s, &f->a, fy_ev, &ev), 1);
	assert_string_equal(ev.area, "feiyun");
	assert_string_equal(ev.place, "云江科创大厦");
	/* a project in another area's event: refused */
	PipelineInput pin = {.name = "越权项目", .registered_on = "2024-05-01"};
	assert_int_equal(event_project_add(f->s, &xj, fy_ev, &pin, &e, &id).code, DOM_FORBIDDEN);
	/* audited: three creations, four changes (the refused ones leave nothing) */
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit WHERE record_kind = 'events' AND action = 'create'"), 3);
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit WHERE record_kind = 'events' AND action = 'update'"), 4);
}

static void test_bad_input(void **state)
{
	Fx *f = *state;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL);
	EventErrors e;
	long long id = 0;
	EventInput in = {.kind = "party", .name = "", .organiser = NULL, .starts_on = "2024-02-30", .ends_on = "2024-01-01",
	                 .mode = "radio", .participants = "-3", .status = "done", .area = "nowhere", .base_id = "abc"};
	assert_int_equal(event_create(f->s, &office, &in, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "kind"), "活动类型");
	assert_contains(event_error(&e, "name"), "请填写活动名称");
	assert_contains(event_error(&e, "organiser"), "请填写主办单位");
	assert_contains(event_error(&e, "starts_on"), "“2024-02-30”不是有效日期");
	assert_contains(event_error(&e, "mode"), "线上线下结合");
	assert_contains(event_error(&e, "participants"), "“-3”");
	assert_contains(event_error(&e, "status"), "已取消");
	assert_contains(event_error(&e, "area"), "镇街或功能区");
	assert_contains(event_error(&e, "base_id"), "从列表中选择");
	/* a name too long is told in characters; an end before the start */
	char longname[400] = "";
	for (int i = 0; i < 101; i++)
		strcat(longname, "路");
	EventInput in2 = {.kind = "roadshow", .name = longname, .organiser = "市科技局", .starts_on = "2024-05-02",
	                  .ends_on = "2024-05-01"};
	assert_int_equal(event_create(f->s, &office, &in2, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "name"), "最多 100 个字，现在是 101 个字");
	assert_contains(event_error(&e, "ends_on"), "不能早于开始日期");
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM event"), 0);
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit"), 0);
	/* projects: no name, no date, a day outside the event, twice the same, at a 现场会 */
	long long ev = roadshow(f, &office, "feiyun", "2024-06-20");
	PipelineInput p = {.name = "", .registered_on = "2024-13-01"};
	assert_int_equal(event_project_add(f->s, &office, ev, &p, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "name"), "请填写项目名称");
	assert_contains(event_error(&e, "registered_on"), "“2024-13-01”");
	PipelineInput p2 = {.name = "甲项目", .registered_on = "2024-06-01", .presented_on = "2024-06-21"};
	assert_int_equal(event_project_add(f->s, &office, ev, &p2, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "presented_on"), "活动当天（2024-06-20）");
	PipelineInput p3 = {.name = "甲项目", .registered_on = "2024-06-25"};
	assert_int_equal(event_project_add(f->s, &office, ev, &p3, &e, &id).code, DOM_INVALID);
	assert_contains(event_error(&e, "registered_on"), "不能晚于活动结束日期");
	register_project(f, &office, ev, "甲项目", "2024-06-01", NULL);
	PipelineInput again = {.name = "甲项目", .registered_on = "2024-06-02"};
	assert_int_equal(event_project_add(f->s, &office, ev, &again, &e, &id).code, DOM_CONFLICT);
	EventInput meet = {.kind = "site_meeting", .name = "大孵化集群建设现场会", .organiser = "市专班办公室",
	                   .starts_on = "2024-09-10", .place = "塘下新区", .attendees = "各镇街、功能区分管领导"};
	long long m = 0;
	assert_int_equal(event_create(f->s, &office, &meet, &e, &m).code, DOM_OK);
	assert_int_equal(event_project_add(f->s, &office, m, &p3, &e, &id).code, DOM_INVALID);
	/* a step that is none */
	assert_int_equal(step(f, &office, ev, 1, "registered", "2024-06-20", 0).code, DOM_INVALID);
	assert_int_equal(step(f, &office, ev, 1, "won", "2024-06-20", 0).code, DOM_INVALID);
	assert_int_equal(step(f, &office, ev, 999, "presented", "2024-06-20", 0).code, DOM_NOT_FOUND);
	assert_int_equal(step(f, &office, m, 1, "presented", "2024-06-20", 0).code, DOM_NOT_FOUND); /* not that event's */
}

static void test_step_order(void **state)
{
	Fx *f = *state;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL);
	long long ev = roadshow(f, &office, "feiyun", "2024-06-20");
	long long pid = register_project(f, &office, ev, "路演科技", "2024-06-01", NULL);
	/* nothing before presentation, not even an investment made later */
	DomResult r = step(f, &office, ev, pid, "interest", "2024-06-25", 0);
	assert_int_equal(r.code, DOM_CONFLICT);
	assert_contains(r.message, "请先记录路演");
	assert_int_equal(step(f, &office, ev, pid, "invested", NULL, f->inv_late).code, DOM_CONFLICT);
	/* presented on the day of the event only */
	r = step(f, &office, ev, pid, "presented", "2024-06-21", 0);
	assert_int_equal(r.code, DOM_INVALID);
	assert_contains(r.message, "活动当天（2024-06-20）");
	assert_int_equal(step(f, &office, ev, pid, "presented", "2024-06-20", 0).code, DOM_OK);
	assert_int_equal(step(f, &office, ev, pid, "presented", "2024-06-20", 0).code, DOM_CONFLICT); /* once */
	/* interest not before the roadshow; due diligence not before interest */
	r = step(f, &office, ev, pid, "interest", "2024-06-19", 0);
	assert_int_equal(r.code, DOM_INVALID);
	assert_contains(r.message, "不能早于“路演”（2024-06-20）");
	assert_int_equal(step(f, &office, ev, pid, "interest", "2024-06-28", 0).code, DOM_OK);
	r = step(f, &office, ev, pid, "diligence", "2024-06-27", 0);
	assert_int_equal(r.code, DOM_INVALID);
	assert_contains(r.message, "不能早于“投资意向”");
	/* an investment dated before the roadshow is not its doing: recorded directly in the registry */
	r = step(f, &office, ev, pid, "invested", NULL, f->inv_early);
	assert_int_equal(r.code, DOM_INVALID);
	assert_string_equal(r.error, "before_presentation");
	assert_contains(r.message, "2024-03-01");
	assert_contains(r.message, "直接在登记库登记");
	/* due diligence skipped: the outcome may be recorded directly after interest */
	assert_int_equal(step(f, &office, ev, pid, "invested", "1999-01-01", f->inv_late).code, DOM_OK);
	PipelineRec p;
	assert_int_equal(store_pipeline_get(f->s, &f->a, pid, &p), 1);
	assert_string_equal(p.invested_on, "2024-07-15"); /* the registry's date, not the one typed */
	assert_int_equal(p.investment_id, f->inv_late);
	assert_null(p.diligence_on);
	/* back-filled due diligence must sit between interest and the investment */
	r = step(f, &office, ev, pid, "diligence", "2024-07-20", 0);
	assert_int_equal(r.code, DOM_INVALID);
	assert_contains(r.message, "不能晚于“获得投资”（2024-07-15）");
	assert_int_equal(step(f, &office, ev, pid, "diligence", "2024-07-01", 0).code, DOM_OK);
	/* an invested project is not dropped; a settlement may follow */
	assert_int_equal(step(f, &office, ev, pid, "dropped", "2024-08-01", 0).code, DOM_CONFLICT);
	assert_int_equal(step(f, &office, ev, pid, "settled", NULL, f->proj_fy).code, DOM_OK);
	assert_int_equal(store_pipeline_get(f->s, &f->a, pid, &p), 1);
	assert_int_equal(p.settled_base_id, f->base_fy);
	assert_string_equal(p.settled_on, "2024-09-01");
	assert_int_equal(event_stage(&p), EVENT_STEP_SETTLED);
	/* a dropped project takes no more steps; a drop needs its reason */
	long long q = register_project(f, &office, ev, "终止项目", "2024-06-02", "2024-06-20");
	StepInput no_reason = {.step = "dropped", .on = "2024-07-01"};
	assert_int_equal(event_step(f->s, &office, ev, q, &no_reason).code, DOM_INVALID);
	assert_int_equal(step(f, &office, ev, q, "dropped", "2024-06-19", 0).code, DOM_INVALID); /* before its roadshow */
	assert_int_equal(step(f, &office, ev, q, "dropped", "2024-07-01", 0).code, DOM_OK);
	r = step(f, &office, ev, q, "interest", "2024-07-02", 0);
	assert_int_equal(r.code, DOM_CONFLICT);
	assert_contains(r.message, "已于 2024-07-01 终止");
	/* a cancelled event takes no presentations, and is not cancelled under one */
	EventErrors e;
	EventInput cancel = {.status = "cancelled"};
	r = event_update(f->s, &office, ev, &cancel, &e);
	assert_int_equal(r.code, DOM_INVALID);
	assert_contains(event_error(&e, "status"), "不能改为已取消");
	EventInput move = {.starts_on = "2024-06-21"};
	assert_int_equal(event_update(f->s, &office, ev, &move, &e).code, DOM_INVALID);
	assert_contains(event_error(&e, "starts_on"), "路演日期不在新的活动日期内");
	/* every step audited, with before and after */
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit WHERE record_kind = 'event_projects' AND action LIKE 'step_%'"), 6);
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit WHERE action = 'step_invested' AND before_json LIKE "
	                             "'%\"invested_on\":null%' AND after_json LIKE '%\"invested_on\":\"2024-07-15\"%'"),
	                 1);
}

static void test_links(void **state)
{
	Fx *f = *state;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL), fy = actor(f, "fy", ROLE_AREA, "feiyun");
	char own[24];
	snprintf(own, sizeof own, "%lld", f->base_fy);
	Actor base = actor(f, "base", ROLE_BASE, own);
	long long ev = roadshow(f, &fy, NULL, "2024-06-20");
	long long a = register_project(f, &fy, ev, "甲", "2024-06-01", "2024-06-20");
	long long b = register_project(f, &fy, ev, "乙", "2024-06-01", "2024-06-20");
	/* a base does not work in an event it does not host */
	assert_int_equal(step(f, &base, ev, a, "interest", "2024-06-21", 0).code, DOM_FORBIDDEN);
	/* an area links its own area's records only; the office any */
	DomResult r = step(f, &fy, ev, a, "invested", NULL, f->inv_xj);
	assert_int_equal(r.code, DOM_FORBIDDEN);
	assert_contains(r.message, "不属于您的辖区");
	assert_int_equal(step(f, &fy, ev, a, "invested", NULL, 0).code, DOM_INVALID);
	assert_int_equal(step(f, &fy, ev, a, "invested", NULL, 99999).code, DOM_NOT_FOUND);
	assert_int_equal(step(f, &fy, ev, a, "invested", NULL, f->inv_late).code, DOM_OK);
	/* one record, one event: the second claim names the first */
	r = step(f, &office, ev, b, "invested", NULL, f->inv_late);
	assert_int_equal(r.code, DOM_CONFLICT);
	assert_contains(r.message, "测试路演");
	assert_contains(r.message, "“甲”");
	assert_int_equal(step(f, &office, ev, b, "invested", NULL, f->inv_xj).code, DOM_OK);
	/* traced back: the investment names its event */
	PipelineRec back;
	assert_int_equal(store_pipeline_by_link(f->s, &f->a, "investments", f->inv_xj, &back), 1);
	assert_int_equal(back.event_id, ev);
	assert_string_equal(back.name, "乙");
	assert_string_equal(back.fund_name, "测试天使基金");
	/* a base hosts its contest and links its own base's project only */
	EventInput in = {.kind = "pro_contest", .name = "智能装备专业赛", .organiser = "飞云测试孵化器", .starts_on = "2024-08-20"};
	EventErrors e;
	long long mine = 0;
	assert_int_equal(event_create(f->s, &base, &in, &e, &mine).code, DOM_OK);
	long long c = register_project(f, &base, mine, "丙", "2024-08-01", "2024-08-20");
	assert_int_equal(step(f, &base, mine, c, "settled", NULL, f->proj_xj).code, DOM_FORBIDDEN);
	assert_int_equal(step(f, &base, mine, c, "settled", NULL, f->proj_fy).code, DOM_OK);
	assert_int_equal(store_pipeline_by_link(f->s, &f->a, "projects", f->proj_fy, &back), 1);
	assert_int_equal(back.event_id, mine);
	/* candidates: what is not linked yet, from the day of the event */
	LinkRec *cand;
	int n = store_link_candidates(f->s, &f->a, "investments", NULL, "2024-01-01", 50, &cand);
	assert_int_equal(n, 1);
	assert_int_equal(cand[0].id, f->inv_early);
	assert_int_equal(store_link_candidates(f->s, &f->a, "projects", "feiyun", "2024-01-01", 50, &cand), 0);
	/* deleting the registry record keeps the row and its dates, without the link */
	assert_int_equal(sqlite3_exec(store_db(f->s), "DELETE FROM investment WHERE investee = '仙降鞋业科技有限公司'", NULL, NULL, NULL),
	                 SQLITE_OK);
	PipelineRec p;
	assert_int_equal(store_pipeline_get(f->s, &f->a, b, &p), 1);
	assert_int_equal(p.investment_id, 0);
	assert_string_equal(p.invested_on, "2024-08-01");
}

static void test_funnel(void **state)
{
	Fx *f = *state;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL);
	long long one = roadshow(f, &office, "feiyun", "2024-06-20");
	long long two = roadshow(f, &office, NULL, "2024-05-10");
	/* one: two presented, both converted (one invested, one settled) */
	long long a = register_project(f, &office, one, "甲", "2024-06-01", "2024-06-20");
	long long b = register_project(f, &office, one, "乙", "2024-06-01", "2024-06-20");
	assert_int_equal(step(f, &office, one, a, "interest", "2024-06-22", 0).code, DOM_OK);
	assert_int_equal(step(f, &office, one, a, "diligence", "2024-07-01", 0).code, DOM_OK);
	assert_int_equal(step(f, &office, one, a, "invested", NULL, f->inv_late).code, DOM_OK);
	assert_int_equal(step(f, &office, one, b, "settled", NULL, f->proj_fy).code, DOM_OK);
	/* two: four registered, three presented, one invested, one dropped */
	long long c = register_project(f, &office, two, "丙", "2024-05-01", "2024-05-10");
	long long d = register_project(f, &office, two, "丁", "2024-05-01", "2024-05-10");
	register_project(f, &office, two, "戊", "2024-05-01", "2024-05-10");
	register_project(f, &office, two, "己", "2024-05-02", NULL);
	assert_int_equal(step(f, &office, two, c, "interest", "2024-05-20", 0).code, DOM_OK);
	assert_int_equal(step(f, &office, two, c, "invested", NULL, f->inv_xj).code, DOM_OK);
	assert_int_equal(step(f, &office, two, d, "dropped", "2024-06-01", 0).code, DOM_OK);
	EventRow *rows;
	long long total = 0;
	EventFunnel sum;
	EventFilter flt = {.kind = "roadshow"};
	int n = store_events(f->s, &f->a, &flt, &rows, &total, &sum);
	assert_int_equal(n, 2);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].e.id, one); /* newest first */
	const EventFunnel *f1 = &rows[0].f, *f2 = &rows[1].f;
	assert_int_equal(f1->registered, 2);
	assert_int_equal(f1->presented, 2);
	assert_int_equal(f1->interest, 1);
	assert_int_equal(f1->diligence, 1);
	assert_int_equal(f1->invested, 1);
	assert_int_equal(f1->settled, 1);
	assert_int_equal(f1->converted, 2);
	assert_near(f1->invested_yuan, 3e6, 0.01);
	assert_near(event_conversion(f1), 1.0, 1e-9);
	assert_int_equal(f2->registered, 4);
	assert_int_equal(f2->presented, 3);
	assert_int_equal(f2->interest, 1);
	assert_int_equal(f2->diligence, 0); /* skipped, not invented */
	assert_int_equal(f2->invested, 1);
	assert_int_equal(f2->dropped, 1);
	assert_int_equal(f2->converted, 1);
	assert_near(f2->invested_yuan, 2e6, 0.01);
	assert_near(event_conversion(f2), 1.0 / 3.0, 1e-9);
	/* over both */
	assert_int_equal(sum.registered, 6);
	assert_int_equal(sum.presented, 5);
	assert_int_equal(sum.converted, 3);
	assert_near(sum.invested_yuan, 5e6, 0.01);
	/* filters: the area's, a window of dates, paging */
	flt.area = "feiyun";
	assert_int_equal(store_events(f->s, &f->a, &flt, &rows, &total, &sum), 1);
	assert_int_equal(sum.registered, 2);
	EventFilter window = {.from = "2024-05-01", .to = "2024-05-31"};
	assert_int_equal(store_events(f->s, &f->a, &window, &rows, &total, NULL), 1);
	assert_int_equal(rows[0].e.id, two);
	EventFilter page = {.limit = 1, .offset = 1};
	assert_int_equal(store_events(f->s, &f->a, &page, &rows, &total, NULL), 1);
	assert_int_equal(total, 2);
	assert_int_equal(rows[0].e.id, two);
	/* an event with no projects converts nothing, and says 0 */
	EventFunnel none = {0};
	assert_near(event_conversion(&none), 0, 0);
}

/* A 现场会's follow-up tasks: the office only, the task's source and
 * source_ref set by the workflow (not by the caller), its checks kept (a
 * known lead), none for a cancelled event, one audit row on the event
 * and one on the task; the event's photos: by whoever may change it,
 * checked by content, a refused file keeps nothing, audited. */
static void test_follow_up_and_photos(void **state)
{
	Fx *f = *state;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL), fy = actor(f, "fy", ROLE_AREA, "feiyun"),
	      xj = actor(f, "xj", ROLE_AREA, "xianjiang"), dept = actor(f, "kjj", ROLE_DEPARTMENT, "kjj");
	EventInput in = {.kind = "site_meeting", .name = "飞云孵化器现场会", .organiser = "市专班办公室", .area = "feiyun",
	                 .starts_on = "2024-07-05", .place = "飞云测试孵化器", .attendees = "市科技局，各镇街、功能区", .status = "held"};
	EventErrors e;
	long long ev = 0;
	assert_int_equal(event_create(f->s, &fy, &in, &e, &ev).code, DOM_OK);
	/* the caller's source is not kept: it is the event's follow-up */
	TaskInput t = {.title = "完善路演厅", .lead = "feiyun", .co = (const char *const[]){"kjj"}, .nco = 1, .due_on = "2024-08-01",
	               .source = "office", .source_ref = "agenda/1"};
	long long tid = 0;
	assert_int_equal(event_followup_add(f->s, &fy, ev, &t, &tid).code, DOM_FORBIDDEN);
	assert_int_equal(event_followup_add(f->s, &dept, ev, &t, &tid).code, DOM_FORBIDDEN);
	assert_int_equal(event_followup_add(f->s, &office, ev + 100, &t, &tid).code, DOM_NOT_FOUND);
	TaskInput bad = t;
	bad.lead = "nowhere";
	DomResult r = event_followup_add(f->s, &office, ev, &bad, &tid);
	assert_int_equal(r.code, DOM_INVALID);
	assert_string_equal(r.error, "bad_lead");
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM task WHERE source = 'event'"), 0);
	assert_int_equal(event_followup_add(f->s, &office, ev, &t, &tid).code, DOM_OK);
	TaskRec got;
	assert_int_equal(store_task_get(f->s, &f->a, tid, &got), 1);
	assert_string_equal(got.source, "event");
	assert_string_equal(got.source_ref, event_task_ref(&f->a, ev));
	assert_non_null(strstr(got.detail, "飞云孵化器现场会"));
	assert_int_equal(got.nunits, 2);
	TaskFilter flt = {.source = "event", .source_ref = event_task_ref(&f->a, ev)};
	TaskRec *list;
	assert_int_equal(store_tasks(f->s, &f->a, &flt, &list), 1);
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit WHERE record_kind = 'events' AND action = 'followup'"), 1);
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit WHERE record_kind = 'tasks' AND action = 'create'"), 1);
	/* a cancelled event takes none */
	EventInput cancel = {.status = "cancelled"};
	assert_int_equal(event_update(f->s, &office, ev, &cancel, &e).code, DOM_OK);
	assert_int_equal(event_followup_add(f->s, &office, ev, &t, &tid).code, DOM_CONFLICT);
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM task WHERE source = 'event'"), 1);

	/* photos */
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
	EvidenceFile good = {.name = "现场.png", .data = png, .len = sizeof png};
	EvidenceFile two[] = {good, {.name = "x.png", .data = (const unsigned char *)svg, .len = sizeof svg - 1}};
	long long fid = 0;
	assert_int_equal(event_attach(f->s, &xj, ev, &good, 1, &fid).code, DOM_FORBIDDEN); /* another town's */
	assert_int_equal(event_attach(f->s, &dept, ev, &good, 1, &fid).code, DOM_FORBIDDEN);
	assert_int_equal(event_attach(f->s, &fy, ev, two, 2, &fid).code, DOM_INVALID);    /* one refused: none kept */
	assert_int_equal(event_attach(f->s, &fy, ev, NULL, 0, &fid).code, DOM_INVALID);
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM attachment WHERE owner_kind = 'event'"), 0);
	assert_int_equal(event_attach(f->s, &fy, ev, &good, 1, &fid).code, DOM_OK);
	Attachment *files;
	assert_int_equal(store_attachments(f->s, &f->a, "event", ev, &files), 1);
	assert_int_equal(files[0].id, fid);
	assert_string_equal(files[0].mime, "image/png");
	assert_int_equal(q_num(f->s, "SELECT count(*) FROM audit WHERE record_kind = 'attachments' AND action = 'attach'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scopes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_funnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_up_and_photos, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
