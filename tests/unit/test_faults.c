/*
 * test_faults.c — fault injection as SQLite's own tests do it: each write
 * workflow (domain.h) is run again and again on a fresh copy of a demo
 * database, with the N-th store operation (a sqlite3_step, BEGIN or
 * COMMIT: store_fault_set) failing as SQLITE_IOERR and then as SQLITE_FULL,
 * for N = 1, 2, 3, ... until the workflow completes without reaching the
 * fault. After every attempt the fault reached:
 *   - the workflow said it was not done, with a Chinese message (the pages
 *     and the API show it as an error; a DOM_OK there would be a 200), or it
 *     was done and everything it writes is there (a failed read it may
 *     tolerate); never "not found" (DOM_NOT_FOUND: a 404 where the store
 *     failed);
 *   - the connection holds no open transaction;
 *   - when not done, the database is exactly as before: integrity_check ok,
 *     every table with the same rows (counted and hashed: audit rows
 *     included).
 * A workflow of more than FULL_WALK operations (an import of 600 rows,
 * which takes the bulk path) is walked over its first and last 25
 * operations one by one and every STRIDE-th between.
 * Needs HATCHERY_BIN (init --demo makes the database).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulletins.h"
#include "domain.h"
#include "tasks.h"
#include "events.h"
#include "policy.h"
#include "testutil.h"
#include "upload.h"

#define MAX_STEPS 100000 /* a workflow taking more operations than this fails the test */
#define FULL_WALK 400    /* workflows of up to this many operations are walked one by one */
#define EDGE 25          /* longer ones: their first and last EDGE one by one ... */
#define STRIDE 211       /* ... and every STRIDE-th between */

static char dir[64], template_db[128], work_db[128];
static const int kinds[] = {SQLITE_IOERR, SQLITE_FULL};

/* ---- the database as data ---- */

/* One table's row count and an order-free hash of its rows. */
typedef struct TableSum {
	char name[64];
	long long rows;
	unsigned long long hash;
} TableSum;

typedef struct Snapshot {
	TableSum t[96];
	int n;
	char integrity[64];
} Snapshot;

/* FNV-1a over n bytes, continuing from h. */
static unsigned long long fnv(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* Every table of path: its rows counted and hashed (the sum of each row's
 * hash, so the order rows come in does not matter), and integrity_check. */
static void snapshot(const char *path, Snapshot *s)
{
	memset(s, 0, sizeof *s);
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(s->integrity, sizeof s->integrity, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1,
	                                    &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && s->n < (int)ARRAY_LEN(s->t))
		snprintf(s->t[s->n++].name, sizeof s->t[0].name, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (int i = 0; i < s->n; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", s->t[i].name);
		sqlite3_stmt *rows;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
		while (sqlite3_step(rows) == SQLITE_ROW) {
			unsigned long long h = 1469598103934665603ULL;
			for (int c = 0; c < sqlite3_column_count(rows); c++) {
				int type = sqlite3_column_type(rows, c);
				h = fnv(h, &type, sizeof type);
				const void *v = sqlite3_column_blob(rows, c);
				h = fnv(h, v ? v : "", (size_t)sqlite3_column_bytes(rows, c));
			}
			s->t[i].rows++;
			s->t[i].hash += h;
		}
		sqlite3_finalize(rows);
	}
	sqlite3_close(db);
}

/* Fails naming the first difference between two snapshots. */
static void assert_same(const Snapshot *before, const Snapshot *after, const char *what, long n, int kind)
{
	if (strcmp(after->integrity, "ok") != 0)
		fail_msg("%s, fault %ld (%s): integrity_check says %s", what, n, sqlite3_errstr(kind), after->integrity);
	if (before->n != after->n)
		fail_msg("%s, fault %ld (%s): %d tables, was %d", what, n, sqlite3_errstr(kind), after->n, before->n);
	for (int i = 0; i < before->n; i++)
		if (before->t[i].rows != after->t[i].rows || before->t[i].hash != after->t[i].hash)
			fail_msg("%s, fault %ld (%s): table %s changed (%lld rows, was %lld) though nothing was done", what, n,
			         sqlite3_errstr(kind), before->t[i].name, after->t[i].rows, before->t[i].rows);
}

/* 1 when s holds a Chinese character (a CJK ideograph, U+4E00..U+9FFF). */
static int has_chinese(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if (*p >= 0xE4 && *p <= 0xE9 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
			return 1;
	return 0;
}

static long long db_count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Fails unless the query counts exactly one row; shows the last audit row when not. */
static void assert_one(const char *path, const char *query)
{
	long long n = db_count(path, query);
	if (n == 1)
		return;
	sqlite3 *db;
	sqlite3_stmt *st;
	char last[600] = "";
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, "SELECT action || ' ' || record_kind || ' ' || coalesce(record_id, '-') || ' after ' || "
	                           "coalesce(after_json, 'NULL') FROM audit ORDER BY id DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(last, sizeof last, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	fail_msg("%lld rows for %s; the last audit row: %s", n, query, last);
}

/* ---- running a workflow under faults ---- */

/* What a workflow gets: an open store on the work copy and an actor of the office. */
typedef struct Ctx {
	Store *s;
	Actor admin, area;
	Plan *plan;
	Arena arena;
} Ctx;

/* Runs the workflow; returns its result. Must check nothing itself. */
typedef DomResult (*Workflow)(Ctx *c);
/* After a run that was done: checks that all it writes is there (path: the work copy). */
typedef void (*DoneCheck)(const char *path, const Snapshot *before);

static void copy_file(const char *from, const char *to)
{
	tu_remove_db(to);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
}

/* Opens the work copy as the server would and makes the actors. */
static void ctx_open(Ctx *c)
{
	memset(c, 0, sizeof *c);
	char err[512] = "";
	c->s = store_open(work_db, 0, err, sizeof err);
	if (!c->s)
		fail_msg("store_open: %s", err);
	const char *json = store_plan_json(c->s, &c->arena);
	assert_non_null(json);
	c->plan = plan_parse(&c->arena, json, strlen(json), "stored plan", err, sizeof err);
	assert_non_null(c->plan);
	c->admin = (Actor){.name = "admin", .role = ROLE_ADMIN, .addr = "127.0.0.1", .plan = c->plan, .arena = &c->arena};
	c->area = (Actor){.name = "anyang_reporter", .role = ROLE_AREA, .scope = "anyang-center", .addr = "127.0.0.1",
	                  .plan = c->plan, .arena = &c->arena};
}

static void ctx_close(Ctx *c)
{
	store_close(c->s);
	arena_free(&c->arena);
}

/* One attempt with the n-th operation failing as kind (n 0: none): on a
 * fresh copy of the template, checked as the file's comment says.
 * Returns 1 when the fault was reached. */
static int attempt(const char *what, Workflow run, DoneCheck done_check, long n, int kind)
{
	copy_file(template_db, work_db);
	Snapshot before, after;
	snapshot(work_db, &before);
	Ctx c;
	ctx_open(&c);
	store_fault_set(n, kind);
	DomResult r = run(&c);
	int fired = store_fault_fired();
	store_fault_set(0, 0);
	if (!sqlite3_get_autocommit(store_db(c.s)))
		fail_msg("%s, fault %ld (%s): the workflow left its transaction open", what, n, sqlite3_errstr(kind));
	int done = dom_done(r);
	const char *msg = r.message ? r.message : "";
	if (!fired && !done)
		fail_msg("%s without a fault: not done (%d): %s", what, r.code, msg);
	if (fired && !done && !has_chinese(msg))
		fail_msg("%s, fault %ld (%s): the answer is not a Chinese message: \"%s\"", what, n, sqlite3_errstr(kind), msg);
	if (fired && r.code == DOM_NOT_FOUND)
		fail_msg("%s, fault %ld (%s): a failed read answered as not found: \"%s\"", what, n, sqlite3_errstr(kind), msg);
	ctx_close(&c);
	if (done) {
		done_check(work_db, &before); /* all it writes is there */
	} else {
		snapshot(work_db, &after);
		assert_same(&before, &after, what, n, kind);
	}
	return fired;
}

/* The number of operations the workflow takes without a fault. */
static long count_ops(Workflow run)
{
	copy_file(template_db, work_db);
	Ctx c;
	ctx_open(&c);
	store_fault_set(MAX_STEPS + 1, SQLITE_IOERR);
	run(&c);
	long ops = store_fault_ops();
	store_fault_set(0, 0);
	ctx_close(&c);
	return ops;
}

/*
 * Walks N = 1, 2, ... with each kind of failure over the workflow (every N
 * up to FULL_WALK operations, else the edges and a stride), each time on a
 * fresh copy of the template, until a run completes without reaching the
 * fault. Returns the number of operations the workflow takes.
 */
static long walk(const char *what, Workflow run, DoneCheck done_check)
{
	long ops = count_ops(run);
	if (ops < 1 || ops > MAX_STEPS)
		fail_msg("%s: %ld operations", what, ops);
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		int tried = 0;
		long n = 1;
		while (attempt(what, run, done_check, n, kinds[k])) {
			tried++;
			if (ops <= FULL_WALK || n < EDGE || n >= ops - EDGE)
				n++;
			else
				n = n + STRIDE < ops - EDGE ? n + STRIDE : ops - EDGE;
			if (n > ops + 1)
				fail_msg("%s: still reaching the fault after %ld operations (counted %ld)", what, n, ops);
		}
		if (n != ops + 1)
			fail_msg("%s: completed at fault %ld, counted %ld operations", what, n, ops);
		print_message("%s: %ld operations; %d of them failed as %s, one at a time: nothing half-written\n", what, ops,
		              tried, sqlite3_errstr(kinds[k]));
	}
	return ops;
}

/* ---- the workflows ---- */

static long long pending_base_id;

/* The office registers a base (approved at once). */
static DomResult wf_record_create(Ctx *c)
{
	Values v;
	memset(&v, 0, sizeof v);
	v.kind = &kind_base;
	const char *in[][2] = {{"name", "示例·故障注入孵化器"}, {"kind", "maker_space"}, {"area", "anyang-center"},
	                       {"status", "operating"}, {"opened_on", "2023-05-01"}, {"total_area_m2", "1200"},
	                       {"incubation_area_m2", "800"}};
	for (size_t i = 0; i < ARRAY_LEN(in); i++)
		v.v[registry_field_index(&kind_base, in[i][0])] = in[i][1];
	long long id = 0;
	return records_save(c->s, &c->admin, &kind_base, 0, &v, NULL, &id);
}

static void check_record_created(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM base WHERE name = '示例·故障注入孵化器'");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'bases' AND action = 'create' AND after_json "
	                 "LIKE '%故障注入%'");
}

/* The office approves a base an area reporter registered. */
static DomResult wf_review_approve(Ctx *c)
{
	return review_record(c->s, &c->admin, &kind_base, pending_base_id, "approve", NULL);
}

static void check_review_approved(const char *path, const Snapshot *before)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM base WHERE id = %lld AND review_status = 'approved'", pending_base_id);
	assert_one(path, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE record_kind = 'bases' AND action = 'approve' AND record_id = "
	                          "'%lld' AND before_json IS NOT NULL AND after_json LIKE '%%approved%%'", pending_base_id);
	assert_one(path, sql);
}

/* A CSV text as an upload's sheet, in the context's arena. */
static XlsxSheet *csv_sheet(Ctx *c, const char *text)
{
	char err[300] = "";
	XlsxSheet *sh = upload_csv_sheet(&c->arena, text, strlen(text), err, sizeof err);
	if (!sh)
		fail_msg("CSV refused: %s", err);
	return sh;
}

static int import_rows;
static char *import_csv; /* import_rows projects named 示例·故障导入-i */

static void make_import(int rows)
{
	Buf b = {0};
	buf_puts(&b, "名称,类别,所属区域,落地日期\r\n");
	for (int i = 0; i < rows; i++)
		buf_printf(&b, "示例·故障导入-%d,project,tangxia,2024-03-03\r\n", i);
	free(import_csv);
	import_csv = strdup(buf_str(&b));
	buf_free(&b);
	import_rows = rows;
}

/* The office imports projects, all or nothing. */
static DomResult wf_import(Ctx *c)
{
	json_t *answer = NULL;
	DomResult r = transfer_import(c->s, &c->admin, &kind_project, csv_sheet(c, import_csv), IMPORT_ALL, &answer);
	json_decref(answer);
	return r;
}

static void check_imported(const char *path, const Snapshot *before)
{
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT count(*) = %d FROM project WHERE name LIKE '示例·故障导入-%%'", import_rows);
	assert_one(path, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) = %d FROM audit WHERE record_kind = 'projects' AND action = 'create' "
	                          "AND after_json LIKE '%%故障导入%%'", import_rows);
	assert_one(path, sql);
	/* the counts kept by triggers (suspended in bulk) agree with the rows */
	assert_one(path, "SELECT (SELECT count(*) FROM project) = (SELECT sum(n) FROM record_count WHERE kind = 'projects')");
}

/* The office imports the targets grid: two areas, two years. */
static DomResult wf_targets_import(Ctx *c)
{
	json_t *answer = NULL;
	DomResult r = targets_import(c->s, &c->admin,
	                             csv_sheet(c, "区域,national 2024,national 2023\r\n陶山镇,7,6\r\n塘下新区,5,4\r\n"),
	                             IMPORT_ALL, &answer);
	json_decref(answer);
	return r;
}

static void check_targets_imported(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM target WHERE indicator = 'national' AND scope = 'taoshan' AND year = 2024 "
	                 "AND value = 7");
	assert_one(path, "SELECT count(*) FROM target WHERE indicator = 'national' AND scope = 'tangxia' AND year = 2023 "
	                 "AND value = 4");
	assert_one(path, "SELECT count(*) = 4 FROM audit WHERE record_kind = 'targets' AND after_json IS NOT NULL");
}

static long long recognition_id; /* base 1's application, endorsed by its area */

/* The office files base 1's endorsed application: it counts from the filing date. */
static DomResult wf_recognition_file(Ctx *c)
{
	return recognition_act(c->s, &c->admin, recognition_id, "file", "2024-06-30", "瑞科〔2024〕1号", NULL);
}

static void check_recognition_filed(const char *path, const Snapshot *before)
{
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM recognition WHERE id = %lld AND status = 'filed' AND filed_on = "
	                          "'2024-06-30' AND evaluation IS NOT NULL", recognition_id);
	assert_one(path, sql);
	assert_one(path, "SELECT count(*) FROM base_level WHERE base_id = 1 AND level = 'provincial' AND recognised_on = "
	                 "'2024-06-30'");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE record_kind = 'recognitions' AND action = 'file' AND "
	                          "record_id = '%lld' AND after_json LIKE '%%filed%%'", recognition_id);
	assert_one(path, sql);
}

/* The office holds a roadshow (events.c). */
static DomResult wf_event_create(Ctx *c)
{
	EventInput in = {.kind = "roadshow", .name = "示例·故障注入路演", .organiser = "市科技局", .area = "tangxia",
	                 .starts_on = "2024-11-08", .participants = "40", .status = "held"};
	EventErrors e;
	long long id = 0;
	return event_create(c->s, &c->admin, &in, &e, &id);
}

static void check_event_created(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM event WHERE name = '示例·故障注入路演' AND area = 'tangxia' AND participants = 40");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'events' AND action = 'create' AND after_json LIKE "
	                 "'%故障注入路演%'");
}

static long long step_event_id, step_pid; /* a project the demo's first roadshow presented, no interest yet */

/* The office records an investor's interest in it. */
static DomResult wf_event_step(Ctx *c)
{
	StepInput in = {.step = "interest", .on = "2023-07-01", .investor = "示例·故障注入创投"};
	return event_step(c->s, &c->admin, step_event_id, step_pid, &in);
}

static void check_event_step(const char *path, const Snapshot *before)
{
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM event_project WHERE id = %lld AND interest_on = '2023-07-01' AND "
	                          "investor = '示例·故障注入创投'", step_pid);
	assert_one(path, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE record_kind = 'event_projects' AND action = "
	                          "'step_interest' AND record_id = '%lld'", step_pid);
	assert_one(path, sql);
}

/* The office publishes the demo's draft bulletin (December 2024, id 2). */
static DomResult wf_bulletin_publish(Ctx *c)
{
	return bulletin_publish(c->s, &c->admin, 2);
}

static void check_bulletin_published(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM bulletin WHERE id = 2 AND status = 'published' AND length(content_sha256) = 64");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'bulletin' AND action = 'bulletin_publish' AND "
	                 "record_id = '2'");
}

/* The office makes October 2024's bulletin from the data (many reads, one write). */
static DomResult wf_bulletin_make(Ctx *c)
{
	BulletinInput in = {"2024-10", NULL, NULL, 0, NULL};
	long long id = 0;
	return bulletin_make(c->s, &c->admin, &in, &id);
}

static void check_bulletin_made(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM bulletin WHERE period = '2024-10' AND status = 'draft' AND "
	                 "number = '瑞孵办〔2024〕13号'");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'bulletin' AND action = 'bulletin_make' AND record_id = '3'");
}

/* A base applies for the operating subsidy (demo measure 3) for 2024: the
 * conditions are evaluated and the amount computed in the transaction. */
static DomResult wf_policy_apply(Ctx *c)
{
	PolicyApplyInput in = {.measure_id = 3, .base_id = 10, .year = 2024};
	long long id = 0;
	return policy_apply(c->s, &c->admin, &in, 0, &id, NULL);
}

static void check_policy_applied(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM policy_application WHERE base_id = 10 AND measure_id = 3 AND year = 2024 "
	                 "AND status = 'applied' AND entitled_yuan = 200000 AND assessment LIKE '%\"conditions\"%'");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'policy_applications' AND action = 'apply' AND after_json "
	                 "LIKE '%operating-subsidy%'");
}

/* The office approves the demo's endorsed application 4 at another amount. */
static DomResult wf_policy_approve(Ctx *c)
{
	PolicyActInput in = {.action = "approve", .amount = 250000, .has_amount = 1, .reason = "故障注入：按八成三核定"};
	return policy_act(c->s, &c->admin, 4, &in);
}

static void check_policy_approved(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM policy_application WHERE id = 4 AND status = 'approved' AND approved_yuan = 250000 "
	                 "AND approve_reason LIKE '故障注入%'");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'policy_applications' AND action = 'approve' AND "
	                 "record_id = '4' AND before_json LIKE '%endorsed%' AND after_json LIKE '%approved%'");
}

/* The work system (tasks.c), on the sample's tasks: 市科技局's clerk adds a
 * photo to the second round of the 督办单 on task 12 (w5-3, 督办单 2) and
 * answers it; the office presses the 督办单 to 塘下新区 again (督办单 4) and
 * gathers an agenda (reads the progress of every indicator, every task, the
 * monthly reports' requests for help and the recognitions waiting). */
static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                                     0xff, 0xd9};

/* 市经信局's clerk adds a photo to its 督办单 (3, on task 4: w2-2). */
static DomResult wf_evidence(Ctx *c)
{
	Actor jxj = {.name = "jxj_clerk", .role = ROLE_DEPARTMENT, .scope = "jxj", .addr = "127.0.0.1", .plan = c->plan,
	             .arena = &c->arena};
	return task_attach(c->s, &jxj, 4, "supervision", 3, "故障注入.jpg", jpeg, sizeof jpeg, NULL);
}

static void check_evidence(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM attachment WHERE owner_kind = 'supervision' AND owner_id = 3 AND name = "
	                 "'故障注入.jpg' AND length(data) = 22 AND length(sha256) = 64");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'attachments' AND action = 'attach' AND after_json "
	                 "LIKE '%故障注入%'");
}

/* 市科技局's clerk answers the second round (督办单 2, its photo in the template). */
static DomResult wf_answer(Ctx *c)
{
	Actor kjj = {.name = "kjj_clerk", .role = ROLE_DEPARTMENT, .scope = "kjj", .addr = "127.0.0.1", .plan = c->plan,
	             .arena = &c->arena};
	return supervision_answer(c->s, &kjj, 12, 2, "已补充，见照片（故障注入）。");
}

static void check_answer(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM supervision WHERE id = 2 AND status = 'answered' AND signed_at IS NOT NULL");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'supervisions' AND action = 'answer' AND record_id = '2'");
}

static DomResult wf_press(Ctx *c)
{
	return supervision_press(c->s, &c->admin, 20, 4, "请于一周内报送照片（故障注入）。", "2099-01-10", NULL);
}

static void check_pressed(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM supervision WHERE id = 4 AND status = 'pressed'");
	assert_one(path, "SELECT count(*) FROM supervision WHERE previous_id = 4 AND round = 2 AND status = 'issued' AND "
	                 "due_on = '2099-01-10'");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'supervisions' AND action = 'press' AND record_id = '4'");
}

static DomResult wf_agenda(Ctx *c)
{
	return agenda_draft(c->s, &c->admin, "故障注入专题会议", "2099-01-10", NULL);
}

static void check_agenda(const char *path, const Snapshot *before)
{
	assert_one(path, "SELECT count(*) FROM agenda WHERE title = '故障注入专题会议' AND status = 'draft'");
	assert_one(path, "SELECT count(*) > 3 FROM agenda_item WHERE agenda_id = (SELECT id FROM agenda WHERE title = "
	                 "'故障注入专题会议')");
	assert_one(path, "SELECT count(*) FROM audit WHERE record_kind = 'agendas' AND action = 'draft'");
}

/* ---- tests ---- */

static void test_bulletin_publish(void **state)
{
	assert_true(walk("publishing a bulletin", wf_bulletin_publish, check_bulletin_published) > 2);
}

static void test_bulletin_make(void **state)
{
	assert_true(walk("making a bulletin", wf_bulletin_make, check_bulletin_made) > 10);
}

static void test_policy_apply(void **state)
{
	assert_true(walk("applying for policy support", wf_policy_apply, check_policy_applied) > 10);
}

static void test_policy_approve(void **state)
{
	assert_true(walk("approving a policy application", wf_policy_approve, check_policy_approved) > 5);
}

static void test_evidence(void **state)
{
	assert_true(walk("evidence for a 督办单", wf_evidence, check_evidence) > 4);
}

static void test_supervision_answer(void **state)
{
	assert_true(walk("answering a 督办单", wf_answer, check_answer) > 4);
}

static void test_supervision_press(void **state)
{
	assert_true(walk("催办 of a 督办单", wf_press, check_pressed) > 4);
}

static void test_agenda_draft(void **state)
{
	assert_true(walk("gathering an agenda", wf_agenda, check_agenda) > 10);
}

static void test_record_create(void **state)
{
	assert_true(walk("registering a base", wf_record_create, check_record_created) > 3);
}

static void test_review_approval(void **state)
{
	assert_true(walk("approving a base", wf_review_approve, check_review_approved) > 3);
}

static void test_import(void **state)
{
	make_import(5);
	assert_true(walk("importing 5 projects", wf_import, check_imported) > 5);
}

static void test_import_bulk(void **state)
{
	make_import(TRANSFER_BULK_ROWS + 100); /* past the bulk threshold: row triggers suspended */
	assert_true(walk("importing 600 projects", wf_import, check_imported) > FULL_WALK);
}

static void test_recognition_filing(void **state)
{
	assert_true(walk("filing a recognition", wf_recognition_file, check_recognition_filed) > 4);
}

static void test_event_create(void **state)
{
	assert_true(walk("holding an event", wf_event_create, check_event_created) > 3);
}

static void test_event_step(void **state)
{
	assert_true(step_pid > 0);
	assert_true(walk("recording a roadshow step", wf_event_step, check_event_step) > 3);
}

static void test_targets_import(void **state)
{
	assert_true(walk("importing targets", wf_targets_import, check_targets_imported) > 4);
}

/* The template: the demo database, and a base an area reporter registered (pending). */
static int setup(void **state)
{
	/* in memory where there is a tmpfs: each attempt copies and syncs the database */
	snprintf(dir, sizeof dir, "%s/hatchery-faults-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(template_db, sizeof template_db, "%s/template.db", dir);
	snprintf(work_db, sizeof work_db, "%s/work.db", dir);
	const char *bin = getenv("HATCHERY_BIN");
	char cmd[512];
	snprintf(cmd, sizeof cmd, "HATCHERY_ADMIN_PASSWORD=fault-test-Passw0rd '%s' init --db '%s' --demo >/dev/null",
	         bin && *bin ? bin : "build/hatchery", template_db);
	if (system(cmd) != 0)
		return -1;
	copy_file(template_db, work_db);
	Ctx c;
	ctx_open(&c);
	Values v;
	memset(&v, 0, sizeof v);
	v.kind = &kind_base;
	const char *in[][2] = {{"name", "示例·待审核孵化器"}, {"kind", "maker_space"}, {"area", "anyang-center"},
	                       {"status", "operating"}, {"opened_on", "2023-05-01"}, {"total_area_m2", "1000"},
	                       {"incubation_area_m2", "600"}};
	for (size_t i = 0; i < ARRAY_LEN(in); i++)
		v.v[registry_field_index(&kind_base, in[i][0])] = in[i][1];
	DomResult r = records_save(c.s, &c.area, &kind_base, 0, &v, NULL, &pending_base_id);
	/* base 1 (安阳中心城区) applies for provincial recognition; its area endorses */
	DomResult ra = recognition_apply(c.s, &c.admin, 1, "provincial", &recognition_id);
	DomResult re = ra.code == DOM_OK || ra.code == DOM_PENDING
	                   ? recognition_act(c.s, &c.area, recognition_id, "endorse", NULL, NULL, NULL) : ra;
	/* a project of the demo's first roadshow, presented and no more */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(c.s), "SELECT id, event_id FROM event_project WHERE name = '示例·跨境电商数据项目'", -1,
	                       &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		step_pid = sqlite3_column_int64(st, 0);
		step_event_id = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	/* the photo for the 督办单 to 市科技局 that the answer needs */
	Actor kjj = {.name = "kjj_clerk", .role = ROLE_DEPARTMENT, .scope = "kjj", .addr = "127.0.0.1", .plan = c.plan,
	             .arena = &c.arena};
	DomResult rp = task_attach(c.s, &kjj, 12, "supervision", 2, "模板.jpg", jpeg, sizeof jpeg, NULL);
	ctx_close(&c);
	if (rp.code != DOM_OK) {
		fprintf(stderr, "setup: evidence: %s\n", rp.message);
		return -1;
	}
	if (!dom_done(ra) || !dom_done(re)) {
		fprintf(stderr, "setup: recognition: %s / %s\n", ra.message, re.message);
		return -1;
	}
	if (r.code != DOM_PENDING) {
		fprintf(stderr, "setup: %s\n", r.message);
		for (int i = 0; i < kind_base.nfields; i++)
			if (v.err[i])
				fprintf(stderr, "  %s: %s\n", kind_base.fields[i].name, v.err[i]);
		return -1;
	}
	/* the work copy becomes the template: the database as the server leaves it */
	copy_file(work_db, template_db);
	return 0;
}

static int teardown(void **state)
{
	tu_remove_db(template_db);
	tu_remove_db(work_db);
	rmdir(dir);
	free(import_csv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_create),
		cmocka_unit_test(test_review_approval),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_import_bulk),
		cmocka_unit_test(test_targets_import),
		cmocka_unit_test(test_recognition_filing),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_supervision_answer),
		cmocka_unit_test(test_supervision_press),
		cmocka_unit_test(test_agenda_draft),
		cmocka_unit_test(test_event_create),
		cmocka_unit_test(test_event_step),
		cmocka_unit_test(test_bulletin_publish),
		cmocka_unit_test(test_bulletin_make),
		cmocka_unit_test(test_policy_apply),
		cmocka_unit_test(test_policy_approve),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
