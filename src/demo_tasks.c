/*
 * demo_tasks.c — the sample's work system (示例数据): the plan's tasks
 * (seeded at init) given dates around the day the sample is made, most of
 * the 2022-2024 ones done, a few open and overdue; two rounds of 督办 on
 * 市科技局's mentor task (answered, pressed again, the second round not yet
 * signed), a 督办单 to 塘下新区 overdue and unsigned, one accepted with
 * its evidence, updates and milestones. Dated from "today" in Beijing
 * ($HATCHERY_NOW pins it), so the lamps show a mix whenever it is made.
 */
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "store_attachments.h"
#include "store_events.h"
#include "store_reports.h"
#include "store_tasks.h"
#include "tasks.h"

/* The day n days from today (negative: before), and a UTC time on it at hh Beijing time. */
static void day_at(const char *today, int n, char out[11])
{
	date_from_days(date_days(today) + n, out);
}

static void time_at(const char *today, int n, int hh, char out[32])
{
	char d[11];
	day_at(today, n - (hh < 8), d);
	snprintf(out, 32, "%sT%02d:%02d:00Z", d, (hh + 16) % 24, 7 * (n & 3));
}

/* A tiny PNG (1×1) as the sample's evidence photo. */
static const unsigned char demo_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
	0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x60, 0xf8, 0x0f, 0x00, 0x01, 0x04, 0x01, 0x00, 0x5f, 0xe5, 0xc3, 0x4b,
	0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

typedef struct DemoSet {
	const char *code;
	int due;        /* days from today; 0 with done: leave */
	int done;       /* done on the plan's last day */
} DemoSet;

/* Open ones with their due day from today; the rest done at the end of 2024. */
static const DemoSet demo_open[] = {
	{"w5-3", -12, 0}, /* 市科技局: mentors; two rounds of 督办 */
	{"w2-2", 5, 0},   /* 市经信局: leading firms' idle factories; amber */
	{"w3-3", -40, 0}, /* 市金融工作服务中心: 人才创业贷; red, never supervised */
	{"w6-1", 3, 0},   /* 市财政局: the fund system; amber */
	{"w7-4", 60, 0},  /* 市科技局: the roadshow mechanism; green */
	{"w8-1", -8, 0},  /* 市发改局: amenities; red */
	{"w8-2", 30, 0},  /* 各镇街、功能区: base facilities; a 督办单 to 塘下新区 */
	{"w5-2", 20, 0},  /* 市投资促进服务中心: second 招商局 */
};

static int set_task(Store *s, Arena *a, const char *code, const char *due, const char *status, const char *done_on,
                    const char *now, long long *id)
{
	*id = store_task_by_code(s, code);
	if (*id <= 0)
		return *id < 0 ? H_ERR : H_OK;
	TaskRec t;
	if (store_task_get(s, a, *id, &t) != 1)
		return H_ERR;
	t.due_on = due;
	t.status = status;
	t.done_on = done_on;
	return store_task_update(s, &t, now);
}

static long long sup(Store *s, long long task, int round, long long prev, const char *unit, const char *demand,
                     const char *due, const char *issued_at)
{
	Supervision v = {.task_id = task, .round = round, .previous_id = prev, .unit = unit, .demand = demand,
	                 .due_on = due, .status = "issued", .issued_by = "admin", .issued_at = issued_at};
	return store_supervision_insert(s, &v);
}

static int update(Store *s, long long task, const char *unit, const char *text, int pct, const char *by, const char *at)
{
	TaskUpdate u = {.task_id = task, .unit = unit, .text = text, .percent = pct, .by_user = by, .at = at};
	return store_task_update_insert(s, &u) ? H_OK : H_ERR;
}

static int evidence(Store *s, const char *kind, long long owner, const char *name, const char *by, const char *at)
{
	Attachment f = {.owner_kind = kind, .owner_id = owner, .name = name, .mime = "image/png",
	                .size = (long long)sizeof demo_png, .data = demo_png,
	                .sha256 = "f3041abf66c8f86cb98174c81cfb53fd97a18be4fbae2673838aaa93b33b7d27", .created_by = by,
	                .created_at = at};
	return store_attachment_insert(s, &f) ? H_OK : H_ERR;
}

int demo_tasks_load(Store *s, const Plan *p, char *err, size_t errsz)
{
	if (store_version(s) < 11)
		return H_OK; /* a database from before the work system (schema step 11): the tests of its upgrade */
	Arena a = {0};
	char today[11], now[32];
	tasks_today(today);
	time_at(today, 0, 9, now);
	const char *fail = NULL;
	char end[11];
	snprintf(end, sizeof end, "%04d-12-31", p->nyears ? p->years[p->nyears - 1] : 2024);

	/* every plan task done at the plan's end, but the open ones */
	TaskRec *all;
	int n = store_tasks(s, &a, NULL, &all);
	if (n < 0)
		fail = "tasks";
	for (int i = 0; i < n && !fail; i++) {
		if (!all[i].code)
			continue;
		int open = 0;
		for (size_t k = 0; k < sizeof demo_open / sizeof demo_open[0]; k++)
			open |= !strcmp(demo_open[k].code, all[i].code);
		if (open)
			continue;
		long long id;
		if (set_task(s, &a, all[i].code, end, "done", end, now, &id) != H_OK)
			fail = "task done";
	}
	long long ids[sizeof demo_open / sizeof demo_open[0]] = {0};
	for (size_t k = 0; k < sizeof demo_open / sizeof demo_open[0] && !fail; k++) {
		char due[11];
		day_at(today, demo_open[k].due, due);
		if (set_task(s, &a, demo_open[k].code, due, "open", NULL, now, &ids[k]) != H_OK)
			fail = "task dates";
	}
	long long mentors = ids[0], factories = ids[1], amenities = ids[5], facilities = ids[6], roadshow = ids[4];
	char t1[32], t2[32], t3[32], t4[32], t5[32], d1[11], d2[11], d3[11];

	/* 市科技局's mentors: round 1 issued, signed, answered, pressed; round 2 issued, not signed */
	if (!fail && mentors > 0) {
		time_at(today, -30, 9, t1);
		time_at(today, -29, 10, t2);
		time_at(today, -17, 16, t3);
		time_at(today, -15, 11, t4);
		day_at(today, -16, d1);
		day_at(today, -3, d2);
		long long s1 = sup(s, mentors, 1, 0, "kjj", "报送孵化基地专业化导师队伍名单和 2024 年服务记录。", d1, t1);
		Supervision v;
		if (!s1 || store_supervision_get(s, &a, s1, &v) != 1)
			fail = "supervision";
		else {
			v.status = "pressed";
			v.signed_by = "市科技局·王敏";
			v.signed_at = t2;
			v.answer = "已汇总 12 家孵化基地导师名单共 86 人，服务记录见附件。";
			v.answered_by = "市科技局·王敏";
			v.answered_at = t3;
			v.verdict = "名单缺少塘下、滨海两家大孵化器的服务记录，请补充。";
			v.verdict_by = "admin";
			v.verdict_at = t4;
			if (store_supervision_update(s, &v) != H_OK ||
			    evidence(s, "supervision", s1, "导师名单.png", "市科技局·王敏", t3) != H_OK)
				fail = "supervision";
			else if (!sup(s, mentors, 2, s1, "kjj", "（第2轮催办）名单缺少塘下、滨海两家大孵化器的服务记录，请补充。", d2, t4))
				fail = "supervision";
		}
		if (!fail && (update(s, mentors, "kjj", "已组织 12 家孵化基地建立导师队伍，正在汇总服务记录。", 60, "市科技局·王敏", t2) != H_OK ||
		              store_milestone_insert(s, mentors, "导师队伍名单汇总", d1) == 0 ||
		              store_milestone_insert(s, mentors, "导师服务记录归档", d2) == 0))
			fail = "updates";
	}
	/* 市经信局: a 督办单 signed, due in 5 days */
	if (!fail && factories > 0) {
		time_at(today, -6, 9, t1);
		time_at(today, -5, 15, t2);
		day_at(today, 5, d3);
		long long s1 = sup(s, factories, 1, 0, "jxj", "梳理全市龙头企业闲置厂房清单，提出改造为专业孵化基地的建议名单。", d3, t1);
		Supervision v;
		if (!s1 || store_supervision_get(s, &a, s1, &v) != 1)
			fail = "supervision";
		else {
			v.status = "signed";
			v.signed_by = "市经信局·李强";
			v.signed_at = t2;
			if (store_supervision_update(s, &v) != H_OK)
				fail = "supervision";
		}
	}
	/* 市经信局's own evidence on the task */
	if (!fail && factories > 0) {
		time_at(today, -4, 10, t1);
		if (evidence(s, "task", factories, "闲置厂房摸排表.png", "市经信局·李强", t1) != H_OK)
			fail = "evidence";
	}
	/* 塘下新区: a 督办单 on base facilities, overdue and unsigned */
	if (!fail && facilities > 0) {
		time_at(today, -14, 9, t1);
		day_at(today, -2, d1);
		if (!sup(s, facilities, 1, 0, "tangxia", "完善塘下汽摩配智造大孵化器路演厅、充电桩等公共设施，报送建设进度照片。", d1, t1))
			fail = "supervision";
	}
	/* 市发改局: accepted once, with evidence; still overdue on the task's own day */
	if (!fail && amenities > 0) {
		time_at(today, -50, 9, t1);
		time_at(today, -49, 9, t2);
		time_at(today, -41, 17, t3);
		time_at(today, -40, 10, t5);
		day_at(today, -42, d1);
		long long s1 = sup(s, amenities, 1, 0, "fgj", "报送东新科创大孵化器周边人才公寓和公交线路配套方案。", d1, t1);
		Supervision v;
		if (!s1 || store_supervision_get(s, &a, s1, &v) != 1)
			fail = "supervision";
		else {
			v.status = "accepted";
			v.signed_by = "市发改局·陈洁";
			v.signed_at = t2;
			v.answer = "配套方案已经市政府专题会议研究，公交 B8 线延伸至孵化器。";
			v.answered_by = "市发改局·陈洁";
			v.answered_at = t3;
			v.verdict = "同意办结。";
			v.verdict_by = "admin";
			v.verdict_at = t5;
			if (store_supervision_update(s, &v) != H_OK || evidence(s, "supervision", s1, "配套方案批复.png", "市发改局·陈洁", t3) != H_OK)
				fail = "supervision";
		}
	}
	if (!fail && roadshow > 0) {
		time_at(today, -20, 14, t1);
		if (update(s, roadshow, "kjj", "“云江路演”每月一期，已举办 3 期，18 个项目路演。", 40, "市科技局·王敏", t1) != H_OK)
			fail = "updates";
	}
	/* an office task from the beginning of the year */
	if (!fail) {
		day_at(today, 20, d1);
		day_at(today, -10, d2);
		TaskRec t = {.title = "编制大孵化集群年度工作要点", .detail = "市专班办公室交办：梳理三年行动完成情况，编制下一年度工作要点。",
		             .lead = "kjj", .start_on = d2, .due_on = d1, .source = "office", .created_by = "admin"};
		long long id = store_task_insert(s, &t, now);
		if (!id || store_task_unit_add(s, id, "kjj", 1, 0) != H_OK || store_task_unit_add(s, id, "fgj", 0, 1) != H_OK ||
		    store_task_unit_add(s, id, "tjj", 0, 2) != H_OK)
			fail = "office task";
	}
	/* an office task measured by a count of records: projects over the plan, done at its end */
	if (!fail) {
		TaskRec t = {.title = "三年行动期间新引进科创项目（团队）150 个", .detail = "市专班办公室交办：以登记库中通过审核的项目计。",
		             .lead = "tcz", .start_on = p->start, .due_on = end, .status = "done", .done_on = end,
		             .record_kind = "projects", .target = 150, .has_target = 1, .source = "office", .created_by = "admin"};
		long long id = store_task_insert(s, &t, now);
		if (!id || store_task_unit_add(s, id, "tcz", 1, 0) != H_OK || store_task_unit_add(s, id, "@areas", 0, 1) != H_OK)
			fail = "office task";
	}
	/* the 现场会: its follow-up tasks (one overdue, one done), a photo, and
	 * the next one planned in ten days with the departments and areas invited */
	Actor office0 = {.name = "admin", .role = ROLE_ADMIN, .addr = "demo", .plan = p, .arena = &a};
	if (!fail && store_events_ready(s) == 1) {
		EventFilter ef = {.kind = "site_meeting"};
		EventRow *ev;
		int ne = store_events(s, &a, &ef, &ev, NULL, NULL);
		if (ne < 0)
			fail = "events";
		for (int i = 0; i < ne && !fail; i++) {
			if (strcmp(ev[i].e.status, "held"))
				continue;
			const char *ref = arena_printf(&a, "event/%lld", ev[i].e.id);
			day_at(today, -5, d1);
			day_at(today, -20, d2);
			TaskInput f1 = {.title = "完善塘下智造孵化园路演厅、共享会议室等公共配套", .lead = "tangxia",
			                .co = (const char *const[]){"kjj"}, .nco = 1, .due_on = d1, .source = "event", .source_ref = ref,
			                .detail = "大孵化集群建设现场会议定：现场察看发现公共配套不足，限期完善并报送照片。"};
			TaskInput f2 = {.title = "通报“六比竞赛”上半年进展", .lead = "kjj", .due_on = d2, .source = "event",
			                .source_ref = ref, .detail = "大孵化集群建设现场会议定。"};
			long long t1id = 0, t2id = 0;
			TaskRec done;
			snprintf(t1, sizeof t1, "%sT08:30:00Z", ev[i].e.starts_on); /* the photo: the meeting's day, 16:30 */
			if (task_create_in_tx(s, &office0, &f1, &t1id).code != DOM_OK ||
			    task_create_in_tx(s, &office0, &f2, &t2id).code != DOM_OK || store_task_get(s, &a, t2id, &done) != 1)
				fail = "event follow-up";
			else {
				done.status = "done";
				done.done_on = d2;
				if (store_task_update(s, &done, now) != H_OK || evidence(s, "event", ev[i].e.id, "现场会照片.png", "admin", t1) != H_OK)
					fail = "event follow-up";
			}
			break;
		}
		if (!fail) {
			day_at(today, 10, d3);
			EventRec next = {.kind = "site_meeting", .name = "示例·大孵化集群建设现场会（第二次）",
			                 .organiser = "市大孵化集群工作专班办公室", .area = "binhai", .starts_on = d3,
			                 .place = "滨海新能源大孵化器", .mode = "offline", .participants = -1,
			                 .attendees = "市科技局、市财政局、市经信局，各镇街、功能区分管负责人",
			                 .summary = "察看中试平台建设，推进“六比竞赛”下半年工作。", .status = "planned"};
			if (!store_event_insert(s, &next, "demo"))
				fail = "event";
		}
	}
	/* requests for help in the areas' latest monthly reports */
	static const struct { const char *org, *text; } help[] = {
		{"tangxia", "塘下汽摩配智造大孵化器二期用地指标尚未落实，请求市自然资源和规划局协调。"},
		{"binhai", "滨海新能源大孵化器缺少中试平台建设资金，请求市财政局研究支持。"},
		{"feiyun", "青年创业人才公寓房源不足，请求市住建局协调。"},
	};
	static const char *const periods[] = {"2024-12", "2024-11"};
	for (size_t k = 0; k < sizeof help / sizeof help[0] && !fail; k++)
		for (size_t q = 0; q < 2; q++) {
			ReportRec rep;
			int got = store_report_get(s, &a, "area-monthly", periods[q], help[k].org, &rep);
			if (got < 0)
				fail = "report";
			if (got != 1 || !strcmp(rep.status, "draft") || !strcmp(rep.status, "returned"))
				continue;
			if (store_report_value_put(s, rep.id, "problems", help[k].text, 0, 0, NULL) != H_OK)
				fail = "report";
			break;
		}
	/* the leadership group: a meeting held two months ago whose decision
	 * became a task, and the next one's agenda gathered as of today */
	Actor office = {.name = "admin", .role = ROLE_ADMIN, .addr = "demo", .plan = p, .arena = &a};
	if (!fail) {
		time_at(today, -60, 15, t1);
		day_at(today, -60, d1);
		day_at(today, -30, d2);
		AgendaRec g = {.title = "市委科技强市建设领导小组大孵化集群专题会议（第一次）", .meeting_on = d1, .created_by = "admin",
		               .created_at = t1};
		long long held = store_agenda_insert(s, &g);
		AgendaItem it = {.agenda_id = held, .ord = 1, .kind = "indicator", .ref = "provincial",
		                 .title = "省级科技企业孵化器（众创空间）创建进度滞后", .figures = "会议当时：目标 5 家，已创成 3 家。"};
		long long item = held ? store_agenda_item_insert(s, &it) : 0;
		TaskInput in = {.title = "市科技局牵头制定省级孵化器创建培育清单", .lead = "kjj", .co = (const char *const[]){"@areas"},
		                .nco = 1, .due_on = d2, .source = "meeting", .source_ref = arena_printf(&a, "agenda/%lld", held),
		                .detail = "领导小组专题会议决定。"};
		long long tid = 0;
		if (!held || !item || store_agenda_held(s, held, "admin", t1) != H_OK ||
		    task_create_in_tx(s, &office, &in, &tid).code != DOM_OK)
			fail = "agenda";
		AgendaDecision dec = {.agenda_id = held, .item_id = item, .text = in.title, .task_id = tid, .created_by = "admin",
		                      .created_at = t1};
		if (!fail && !store_agenda_decision_insert(s, &dec))
			fail = "agenda";
	}
	if (!fail) {
		day_at(today, 7, d1);
		AgendaRec g = {.title = "市委科技强市建设领导小组大孵化集群专题会议（第二次）", .meeting_on = d1, .created_by = "admin",
		               .created_at = now};
		long long next = store_agenda_insert(s, &g);
		if (!next || agenda_gather_in_tx(s, &office, next, today) != H_OK)
			fail = "agenda";
	}
	if (fail)
		snprintf(err, errsz, "demo tasks (%s): %s", fail, store_errmsg(s));
	arena_free(&a);
	return fail ? H_ERR : H_OK;
}
