/*
 * test_tasks.c — the work system's rules (tasks.c, attachments.c): the
 * lamp at its day edges in Beijing time, the plan's sub-clauses as tasks
 * with their lead and co-responsible units, who may read and answer, the
 * 督办单's steps (sign, answer with evidence, accept, press again) with
 * their audit rows, the supervision table, and evidence files refused by
 * content (too large, wrong type, a renamed executable, an SVG with script).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "testutil.h"

#include "attachments.h"
#include "forms.h"
#include "tasks.h"

/* A moment given as text ("2025-01-03T15:59:59Z"). */
static time_t at(const char *t)
{
	time_t v = time_parse(t);
	assert_true(v >= 0);
	return v;
}

static void test_beijing_day_edges(void **state)
{
	(void)state;
	char d[11];
	beijing_day(at("2025-01-03T15:59:59Z"), d); /* 23:59:59 in Beijing */
	assert_string_equal(d, "2025-01-03");
	beijing_day(at("2025-01-03T16:00:00Z"), d); /* midnight in Beijing */
	assert_string_equal(d, "2025-01-04");
	beijing_day(at("2024-12-31T16:00:00Z"), d);
	assert_string_equal(d, "2025-01-01");
	beijing_day(at("2024-02-28T16:30:00Z"), d); /* a leap day */
	assert_string_equal(d, "2024-02-29");
	setenv("HATCHERY_NOW", "2025-01-03T23:59:59+08:00", 1);
	tasks_today(d);
	assert_string_equal(d, "2025-01-03");
	setenv("HATCHERY_NOW", "2025-01-04T00:00:00+08:00", 1);
	tasks_today(d);
	assert_string_equal(d, "2025-01-04");
	unsetenv("HATCHERY_NOW");
}

static void test_lamp_edges(void **state)
{
	(void)state;
	int over = -1;
	/* due today: amber, not red; the day after: red, one day over */
	assert_int_equal(lamp_of("2025-01-10", "2025-01-10", &over), LAMP_AMBER);
	assert_int_equal(over, 0);
	assert_int_equal(lamp_of("2025-01-10", "2025-01-11", &over), LAMP_RED);
	assert_int_equal(over, 1);
	assert_int_equal(lamp_of("2024-12-31", "2025-01-03", &over), LAMP_RED);
	assert_int_equal(over, 3);
	/* 7 days ahead is amber, 8 is green */
	assert_int_equal(lamp_of("2025-01-17", "2025-01-10", &over), LAMP_AMBER);
	assert_int_equal(lamp_of("2025-01-18", "2025-01-10", &over), LAMP_GREEN);
	assert_int_equal(over, 0);
	/* across a month and a leap day */
	assert_int_equal(lamp_of("2024-03-01", "2024-02-23", &over), LAMP_AMBER);
	assert_int_equal(lamp_of("2024-03-01", "2024-02-22", &over), LAMP_GREEN);
	assert_int_equal(lamp_of("2024-02-29", "2024-03-01", &over), LAMP_RED);
	assert_int_equal(over, 1);
	assert_int_equal(lamp_of(NULL, "2025-01-10", &over), LAMP_NONE);
	assert_int_equal(lamp_of("2025-02-30", "2025-01-10", &over), LAMP_NONE);

	/* the same due day read at 23:59:59 and at 00:00:00 Beijing time */
	char d[11];
	beijing_day(at("2025-01-10T15:59:59Z"), d);
	assert_int_equal(lamp_of("2025-01-10", d, &over), LAMP_AMBER);
	beijing_day(at("2025-01-10T16:00:00Z"), d);
	assert_int_equal(lamp_of("2025-01-10", d, &over), LAMP_RED);
	assert_int_equal(over, 1);

	/* a task: done is done; an open 督办单 due earlier sets the day */
	TaskRec t = {.status = "open", .due_on = "2025-06-30"};
	const char *due;
	assert_int_equal(task_lamp(&t, "2025-01-10", &over, &due), LAMP_GREEN);
	t.open_sup_due = "2025-01-05";
	t.open_sup_status = "signed";
	assert_int_equal(task_lamp(&t, "2025-01-10", &over, &due), LAMP_RED);
	assert_string_equal(due, "2025-01-05");
	assert_int_equal(over, 5);
	t.open_sup_status = "answered"; /* the unit has answered: waits for the office */
	assert_int_equal(task_lamp(&t, "2025-01-10", &over, &due), LAMP_GREEN);
	t.status = "done";
	assert_int_equal(task_lamp(&t, "2025-01-10", &over, &due), LAMP_DONE);
}

/* ---- files ---- */

static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                                     0xff, 0xd9};
static const unsigned char pngf[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                     0, 0, 0, 1};

static void test_file_checks(void **state)
{
	(void)state;
	Arena a = {0};
	const char *mime, *name, *code;
	assert_null(attachment_check(&a, "现场照片.jpg", jpeg, sizeof jpeg, &mime, &name, &code));
	assert_string_equal(mime, "image/jpeg");
	assert_string_equal(name, "现场照片.jpg");
	assert_null(attachment_check(&a, "C:\\fakepath\\scan.png", pngf, sizeof pngf, &mime, &name, &code));
	assert_string_equal(mime, "image/png");
	assert_string_equal(name, "scan.png");
	static const char pdf[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
	assert_null(attachment_check(&a, "报告.pdf", (const unsigned char *)pdf, sizeof pdf - 1, &mime, &name, &code));
	assert_string_equal(mime, "application/pdf");

	/* a renamed executable */
	unsigned char exe[64] = {'M', 'Z', 0x90, 0};
	const char *why = attachment_check(&a, "photo.jpg", exe, sizeof exe, &mime, &name, &code);
	assert_non_null(why);
	assert_string_equal(code, "bad_file_type");
	assert_contains(why, "可执行程序");
	unsigned char elf[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	assert_non_null(attachment_check(&a, "photo.png", elf, sizeof elf, &mime, &name, &code));
	/* an SVG with script, HTML */
	static const char svg[] = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
	why = attachment_check(&a, "chart.svg", (const unsigned char *)svg, sizeof svg - 1, &mime, &name, &code);
	assert_non_null(why);
	assert_contains(why, "SVG");
	static const char html[] = "<!DOCTYPE html><html><script>alert(1)</script></html>";
	why = attachment_check(&a, "photo.jpg", (const unsigned char *)html, sizeof html - 1, &mime, &name, &code);
	assert_non_null(why);
	assert_contains(why, "HTML");
	/* a JPEG head carrying markup (a polyglot) */
	unsigned char poly[64];
	memcpy(poly, jpeg, 4);
	memcpy(poly + 4, "<script>alert(1)</script>", 25);
	memset(poly + 29, 0, sizeof poly - 29);
	assert_non_null(attachment_check(&a, "x.jpg", poly, sizeof poly, &mime, &name, &code));
	/* empty, too large */
	assert_non_null(attachment_check(&a, "x.jpg", jpeg, 0, &mime, &name, &code));
	assert_string_equal(code, "empty_file");
	size_t big = ATTACHMENT_MAX_BYTES + 1;
	unsigned char *b = calloc(1, big);
	memcpy(b, jpeg, 4);
	why = attachment_check(&a, "big.jpg", b, big, &mime, &name, &code);
	assert_non_null(why);
	assert_string_equal(code, "file_too_large");
	assert_null(attachment_check(&a, "ok.jpg", b, big - 1, &mime, &name, &code));
	free(b);
	/* a GIF or WebP by content */
	static const char gif[] = "GIF89a\x01\x00\x01\x00";
	assert_non_null(attachment_check(&a, "x.gif", (const unsigned char *)gif, sizeof gif - 1, &mime, &name, &code));
	static const unsigned char webp[] = {'R', 'I', 'F', 'F', 30, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ', 0, 0};
	assert_null(attachment_check(&a, "x.webp", webp, sizeof webp, &mime, &name, &code));
	assert_string_equal(mime, "image/webp");
	arena_free(&a);
}

/* ---- workflows over a store ---- */

typedef struct Fixture {
	Arena a;
	Store *s;
	Plan *p;
} Fixture;

static int setup(void **state)
{
	Fixture *f = calloc(1, sizeof *f);
	f->p = tu_embedded_plan(&f->a);
	f->s = tu_store_memory();
	tu_save_plan(f->s, f->p);
	assert_int_equal(store_begin(f->s), H_OK);
	assert_int_equal(tasks_seed_plan(f->s, f->p, "2024-01-01T00:00:00Z"), H_OK);
	assert_int_equal(store_commit(f->s), H_OK);
	setenv("HATCHERY_NOW", "2025-01-03T10:00:00+08:00", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fixture *f = *state;
	unsetenv("HATCHERY_NOW");
	store_close(f->s);
	arena_free(&f->a);
	free(f);
	return 0;
}

static Actor actor(Fixture *f, const char *name, Role role, const char *scope)
{
	return (Actor){.name = name, .role = role, .scope = scope, .addr = "test", .plan = f->p, .arena = &f->a};
}

static long long audit_rows(Store *s, const char *action)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(store_db(s), "SELECT count(*) FROM audit WHERE action = ?1", -1, &st, NULL);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	sqlite3_step(st);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_plan_tasks_and_scopes(void **state)
{
	Fixture *f = *state;
	Store *s = f->s;
	/* every sub-clause is its own task, its lead first as the plan states */
	TaskRec *t;
	int n = store_tasks(s, &f->a, NULL, &t);
	int clauses = 0;
	for (int i = 0; i < f->p->nwork_items; i++)
		clauses += f->p->work_items[i].nclauses;
	assert_int_equal(n, clauses);
	long long w52 = store_task_by_code(s, "w5-3"), w82 = store_task_by_code(s, "w8-2"), w32 = store_task_by_code(s, "w3-2");
	TaskRec x;
	assert_int_equal(store_task_get(s, &f->a, w52, &x), 1);
	assert_string_equal(x.lead, "kjj"); /* 市科技局,市经信局、市人力社保局、市金融工作服务中心,各镇街、功能区 */
	assert_int_equal(x.nunits, 5);
	assert_int_equal(x.unit_lead[0], 1);
	assert_string_equal(x.units[1], "jxj");
	assert_int_equal(x.unit_lead[1], 0);
	assert_string_equal(x.units[4], "@areas");
	assert_int_equal(store_task_get(s, &f->a, w82, &x), 1);
	assert_string_equal(x.lead, "@areas");

	Actor kjj = actor(f, "kjj_clerk", ROLE_DEPARTMENT, "kjj"), jxj = actor(f, "jxj_clerk", ROLE_DEPARTMENT, "jxj");
	Actor feiyun = actor(f, "feiyun_reporter", ROLE_AREA, "feiyun"), leader = actor(f, "leader", ROLE_VIEWER, NULL);
	Actor base = actor(f, "base10", ROLE_BASE, "10");
	assert_int_equal(task_access(s, &kjj, w52), 2);
	assert_int_equal(task_access(s, &jxj, w52), 1);    /* co-responsible: reads */
	assert_int_equal(task_access(s, &feiyun, w52), 1); /* 各镇街、功能区 co-responsible */
	assert_int_equal(task_access(s, &feiyun, w82), 2); /* 各镇街、功能区 lead: each area for its own */
	assert_int_equal(task_access(s, &kjj, w32), 0);    /* 人才新政: 市委组织部、市人力社保局 */
	assert_int_equal(task_access(s, &leader, w32), 1);
	assert_int_equal(task_access(s, &base, w52), 0);
	assert_int_equal(task_access(s, &kjj, 999999), -2);

	/* updates: the lead only; a co-responsible unit is read-only */
	assert_int_equal(task_post_update(s, &kjj, w52, "已组建导师队伍 32 人。", 40, NULL).code, DOM_OK);
	DomResult r = task_post_update(s, &jxj, w52, "配合单位写的进展", -1, NULL);
	assert_int_equal(r.code, DOM_FORBIDDEN);
	assert_string_equal(r.error, "not_lead");
	assert_int_equal(task_post_update(s, &kjj, w32, "不是本单位的任务", -1, NULL).code, DOM_FORBIDDEN);
	assert_int_equal(task_post_update(s, &leader, w52, "领导小组只读", -1, NULL).code, DOM_FORBIDDEN);
	assert_int_equal(task_post_update(s, &kjj, w52, "   ", -1, NULL).code, DOM_INVALID);
	assert_int_equal(task_post_update(s, &kjj, w52, "x", 101, NULL).code, DOM_INVALID);
	assert_int_equal(audit_rows(s, "update"), 1);

	/* lists by unit: its own and the co-owned; lead_only narrows */
	TaskFilter fl = {.unit = "jxj"};
	int all = store_tasks(s, &f->a, &fl, &t);
	fl.lead_only = 1;
	int led = store_tasks(s, &f->a, &fl, &t);
	assert_true(all > led);
	assert_true(led >= 1); /* 支持龙头企业利用自有闲置厂房 */
	for (int i = 0; i < led; i++)
		assert_string_equal(t[i].lead, "jxj");

	/* only the office creates tasks; a bad lead is named */
	TaskInput in = {.title = "办公室交办的任务", .lead = "kjj", .due_on = "2025-01-20"};
	assert_int_equal(task_create(s, &kjj, &in, NULL).code, DOM_FORBIDDEN);
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL);
	in.lead = "nowhere";
	r = task_create(s, &office, &in, NULL);
	assert_int_equal(r.code, DOM_INVALID);
	assert_string_equal(r.error, "bad_lead");
	in.lead = "kjj";
	const char *co[] = {"jxj", "feiyun"};
	in.co = co;
	in.nco = 2;
	long long id = 0;
	assert_int_equal(task_create(s, &office, &in, &id).code, DOM_OK);
	assert_int_equal(task_access(s, &feiyun, id), 1);
	Actor xianjiang = actor(f, "x", ROLE_AREA, "xianjiang");
	assert_int_equal(task_access(s, &xianjiang, id), 0);
}

static void test_supervision_steps(void **state)
{
	Fixture *f = *state;
	Store *s = f->s;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL), kjj = actor(f, "kjj_clerk", ROLE_DEPARTMENT, "kjj");
	Actor jxj = actor(f, "jxj_clerk", ROLE_DEPARTMENT, "jxj");
	long long w52 = store_task_by_code(s, "w5-3"), w82 = store_task_by_code(s, "w8-2");
	long long sid = 0;
	/* to whom: the lead; an area where 各镇街、功能区 lead */
	assert_int_equal(supervision_issue(s, &office, w52, "jxj", "报送导师队伍名单", "2025-01-10", &sid).code, DOM_INVALID);
	assert_int_equal(supervision_issue(s, &office, w52, "kjj", "报送导师队伍名单", "2025-01-02", &sid).code, DOM_INVALID);
	assert_int_equal(supervision_issue(s, &kjj, w52, "kjj", "自己督办自己", "2025-01-10", &sid).code, DOM_FORBIDDEN);
	assert_int_equal(supervision_issue(s, &office, w82, "tangxia", "完善路演厅等公共设施", "2025-01-20", NULL).code, DOM_OK);
	assert_int_equal(supervision_issue(s, &office, w52, "kjj", "报送导师队伍名单及服务记录", "2025-01-03", &sid).code,
	                 DOM_OK);

	/* a co-responsible unit may not sign it; the addressee signs once */
	assert_int_equal(supervision_sign(s, &jxj, w52, sid).code, DOM_FORBIDDEN);
	assert_int_equal(supervision_sign(s, &kjj, w52 + 1, sid).code, DOM_NOT_FOUND);
	assert_int_equal(supervision_sign(s, &kjj, w52, sid).code, DOM_OK);
	assert_int_equal(supervision_sign(s, &kjj, w52, sid).code, DOM_CONFLICT);

	/* the answer needs evidence; a wrong file is refused and nothing stored */
	DomResult r = supervision_answer(s, &kjj, w52, sid, "已报送名单。");
	assert_int_equal(r.code, DOM_INVALID);
	assert_string_equal(r.error, "evidence_required");
	unsigned char exe[32] = {'M', 'Z'};
	r = task_attach(s, &kjj, w52, "supervision", sid, "名单.jpg", exe, sizeof exe, NULL);
	assert_int_equal(r.code, DOM_INVALID);
	assert_int_equal(store_attachment_count(s, "supervision", sid), 0);
	assert_int_equal(task_attach(s, &jxj, w52, "supervision", sid, "名单.jpg", jpeg, sizeof jpeg, NULL).code,
	                 DOM_FORBIDDEN);
	long long fid = 0;
	assert_int_equal(task_attach(s, &kjj, w52, "supervision", sid, "名单.jpg", jpeg, sizeof jpeg, &fid).code, DOM_OK);
	Attachment file;
	assert_int_equal(store_attachment_get(s, &f->a, fid, 1, &file), 1);
	assert_int_equal(file.size, (long long)sizeof jpeg);
	assert_int_equal(strlen(file.sha256), 64);
	assert_memory_equal(file.data, jpeg, sizeof jpeg);
	assert_int_equal(supervision_answer(s, &kjj, w52, sid, "已报送名单，见附件。").code, DOM_OK);
	assert_int_equal(supervision_answer(s, &kjj, w52, sid, "再答一次").code, DOM_CONFLICT);

	/* the office presses again: a second round, due later */
	assert_int_equal(supervision_accept(s, &kjj, w52, sid, NULL).code, DOM_FORBIDDEN);
	long long sid2 = 0;
	assert_int_equal(supervision_press(s, &office, w52, sid, "", "2025-01-15", &sid2).code, DOM_INVALID);
	assert_int_equal(supervision_press(s, &office, w52, sid, "名单缺少服务记录，请补充。", "2025-01-15", &sid2).code,
	                 DOM_OK);
	Supervision v;
	assert_int_equal(store_supervision_get(s, &f->a, sid, &v), 1);
	assert_string_equal(v.status, "pressed");
	assert_int_equal(store_supervision_get(s, &f->a, sid2, &v), 1);
	assert_int_equal(v.round, 2);
	assert_string_equal(v.status, "issued");
	assert_int_equal(v.previous_id, sid);
	assert_int_equal(supervision_accept(s, &office, w52, sid2, NULL).code, DOM_CONFLICT); /* not answered */
	assert_int_equal(task_attach(s, &kjj, w52, "supervision", sid2, "服务记录.png", pngf, sizeof pngf, NULL).code, DOM_OK);
	assert_int_equal(supervision_answer(s, &kjj, w52, sid2, "已补充服务记录。").code, DOM_OK); /* signs too */
	assert_int_equal(store_supervision_get(s, &f->a, sid2, &v), 1);
	assert_non_null(v.signed_at);
	assert_int_equal(supervision_accept(s, &office, w52, sid2, "同意办结。").code, DOM_OK);
	assert_int_equal(audit_rows(s, "issue"), 3);
	assert_int_equal(audit_rows(s, "sign"), 1);
	assert_int_equal(audit_rows(s, "answer"), 2);
	assert_int_equal(audit_rows(s, "press"), 1);
	assert_int_equal(audit_rows(s, "accept"), 1);
	assert_int_equal(audit_rows(s, "attach"), 2);

	/* the table: every leading unit with its lamps (today 2025-01-03; the
	 * plan's tasks were due 2024-12-31: red, 3 days) */
	UnitLamps *rows;
	int n = supervision_table(s, &f->a, f->p, "2025-01-03", &rows);
	assert_true(n > 5);
	int seen_kjj = 0, seen_areas = 0, seen_tangxia = 0;
	for (int i = 0; i < n; i++) {
		if (!strcmp(rows[i].unit, "kjj")) {
			seen_kjj = 1;
			assert_true(rows[i].red > 0);
			assert_int_equal(rows[i].max_over, 3);
			assert_int_equal(rows[i].sup_open, 0);
		}
		if (!strcmp(rows[i].unit, "@areas"))
			seen_areas = 1;
		if (!strcmp(rows[i].unit, "tangxia")) {
			seen_tangxia = 1;
			assert_int_equal(rows[i].sup_open, 1);
			assert_int_equal(rows[i].sup_unsigned, 1);
		}
	}
	assert_true(seen_kjj && seen_areas && seen_tangxia);
}

static void test_agenda_and_decisions(void **state)
{
	Fixture *f = *state;
	Store *s = f->s;
	Actor office = actor(f, "admin", ROLE_ADMIN, NULL);
	long long aid = 0;
	assert_int_equal(agenda_draft(s, &office, "", NULL, &aid).code, DOM_INVALID);
	assert_int_equal(agenda_draft(s, &office, "领导小组第一次会议", "2025-01-10", &aid).code, DOM_OK);
	AgendaItem *items;
	int n = store_agenda_items(s, &f->a, aid, &items);
	assert_true(n > 0);
	int overdue = 0, indicators = 0;
	for (int i = 0; i < n; i++) {
		overdue += !strcmp(items[i].kind, "task");
		indicators += !strcmp(items[i].kind, "indicator");
		assert_non_null(items[i].figures);
	}
	assert_true(overdue > 0);   /* the plan's tasks were due 2024-12-31 */
	assert_true(indicators > 0); /* nothing recorded: every indicator is behind */
	long long tid = 0;
	DomResult r = agenda_decide(s, &office, aid, items[0].id, "市经信局牵头梳理闲置厂房清单", "jxj", "2025-02-28", &tid);
	assert_int_equal(r.code, DOM_OK);
	TaskRec t;
	assert_int_equal(store_task_get(s, &f->a, tid, &t), 1);
	assert_string_equal(t.source, "meeting");
	assert_string_equal(t.lead, "jxj");
	assert_int_equal(agenda_decide(s, &office, aid, 0, "x", "nowhere", NULL, &tid).code, DOM_INVALID);
	AgendaDecision *d;
	assert_int_equal(store_agenda_decisions(s, &f->a, aid, &d), 1); /* the refused one wrote nothing */
	assert_int_equal(agenda_held(s, &office, aid).code, DOM_OK);
	assert_int_equal(agenda_held(s, &office, aid).code, DOM_CONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beijing_day_edges),
		cmocka_unit_test(test_lamp_edges),
		cmocka_unit_test(test_file_checks),
		cmocka_unit_test_setup_teardown(test_plan_tasks_and_scopes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_supervision_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agenda_and_decisions, setup, teardown),
	};
	return cmocka_run_group_tests_name("tasks", tests, NULL, NULL);
}
