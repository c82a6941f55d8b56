/*
 * test_authz.c — the whole route table × every role × own and foreign
 * scope: each request is either allowed (any answer but a refusal) or
 * refused (403; for anonymous visitors 401 or a redirect to /login), as the
 * table below says. A route of src/routes.c without a row here fails the
 * test, and so does a row whose expectation the server does not keep.
 *
 * Scope placeholders in paths: {own_base} / {foreign_base} and
 * {own_area} / {foreign_area} are filled per role: for the 飞云街道
 * reporter, own is a 飞云 base and foreign a 仙降 one; for the base user,
 * own is its base and foreign another base of the same street.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "http.h"

/* Demo base ids (demo.c's fixed table, in order): 10 飞云青年创业加速器 and
 * 11 飞云电商科创园 are in feiyun, 13 仙降鞋业智造加速器 in xianjiang. */
#define FEIYUN_BASE "10"
#define FEIYUN_BASE_2 "11"
#define XIANJIANG_BASE "13"
/* The sample's tasks (seeded from the plan in order): 12 is w5-3 (市科技局
 * leads, 各镇街、功能区 co-responsible), 7 w3-2 (市委组织部、市人力社保局);
 * evidence file 1 is on w5-3's first 督办单, 2 on w2-2 (市经信局 alone). */
#define OWN_TASK "12"
#define FOREIGN_TASK "7"
#define OWN_FILE "1"
#define FOREIGN_FILE "2"

enum { R_ANON, R_ADMIN, R_VIEWER, R_AREA, R_DEPT, R_BASE, NROLES };
static const char *const role_names[NROLES] = {"anon", "admin", "viewer", "area", "department", "base"};
static const char *const role_users[NROLES] = {NULL, "admin", "leader", "feiyun_reporter", "kjj_clerk", "base10"};

typedef struct Access {
	const char *method, *pattern, *path;
	const char *body;      /* JSON body, or NULL */
	const char *allowed;   /* roles allowed: names, "name:own" for own scope only, "users", "all" */
	int ends_session;      /* the request logs the caller out */
} Access;

static const Access table[] = {
	{"GET", "/", "/", NULL, "all", 0},
	{"GET", "/areas", "/areas", NULL, "all", 0},
	{"GET", "/plan", "/plan", NULL, "all", 0},
	{"GET", "/healthz", "/healthz", NULL, "all", 0},
	{"GET", "/compare", "/compare", NULL, "all", 0},
	{"GET", "/competition", "/competition", NULL, "users", 0},
	{"GET", "/api/v1/competition", "/api/v1/competition", NULL, "users", 0},
	{"GET", "/competition.xlsx", "/competition.xlsx", NULL, "users", 0},
	{"GET", "/assessment", "/assessment", NULL, "admin", 0},
	{"GET", "/assessment.xlsx", "/assessment.xlsx", NULL, "admin", 0},
	{"GET", "/api/v1/assessment", "/api/v1/assessment", NULL, "admin", 0},
	{"GET", "/targets", "/targets", NULL, "all", 0},
	{"POST", "/targets", "/targets", NULL, "admin", 0},
	{"GET", "/targets/template.xlsx", "/targets/template.xlsx", NULL, "all", 0},
	{"GET", "/targets/export.xlsx", "/targets/export.xlsx", NULL, "all", 0},
	{"GET", "/targets/import", "/targets/import", NULL, "admin", 0},
	{"POST", "/api/v1/targets/import", "/api/v1/targets/import?mode=check", "{}", "admin", 0},
	{"GET", "/progress/{indicator:indicator}", "/progress/area_added", NULL, "admin viewer area department", 0},
	{"GET", "/api/v1/targets", "/api/v1/targets", NULL, "all", 0},
	{"GET", "/evaluation", "/evaluation", NULL, "admin viewer area department", 0},
	{"GET", "/rules", "/rules", NULL, "users", 0},
	{"GET", "/sources", "/sources", NULL, "users", 0},
	{"GET", "/rules/{set:code}", "/rules/qigeyi", NULL, "users", 0},
	{"POST", "/rules/{set:code}", "/rules/qigeyi", NULL, "admin", 0},
	{"PUT", "/api/v1/rules/{set:code}/scores", "/api/v1/rules/qigeyi/scores", "{}", "admin", 0},
	{"GET", "/bases/{id:int}/recognitions", "/bases/{base}/recognitions", NULL, "admin viewer area department base:own", 0},
	{"POST", "/bases/{id:int}/recognitions", "/bases/{base}/recognitions", NULL, "admin area:own base:own", 0},
	{"GET", "/recognitions", "/recognitions", NULL, "admin viewer area department", 0},
	{"POST", "/recognitions/{id:int}/endorse", "/recognitions/{app}/endorse", NULL, "admin area:own", 0},
	{"POST", "/recognitions/{id:int}/file", "/recognitions/{app}/file", NULL, "admin", 0},
	{"POST", "/recognitions/{id:int}/return", "/recognitions/{app}/return", NULL, "admin area:own", 0},
	{"POST", "/api/v1/bases/{id:int}/recognitions", "/api/v1/bases/{base}/recognitions", "{}", "admin area:own base:own", 0},
	{"GET", "/api/v1/recognitions", "/api/v1/recognitions", NULL, "admin viewer area department", 0},
	{"POST", "/api/v1/recognitions/{id:int}/endorse", "/api/v1/recognitions/{app}/endorse", "{}", "admin area:own", 0},
	{"POST", "/api/v1/recognitions/{id:int}/file", "/api/v1/recognitions/{app}/file", "{}", "admin", 0},
	{"POST", "/api/v1/recognitions/{id:int}/return", "/api/v1/recognitions/{app}/return", "{}", "admin area:own", 0},
	{"GET", "/bases/{id:int}/evaluation", "/bases/{base}/evaluation", NULL, "admin viewer area department base:own", 0},
	{"POST", "/bases/{id:int}/verdicts", "/bases/{base}/verdicts", NULL, "admin", 0},
	{"GET", "/bases/{id:int}/figures", "/bases/{base}/figures", NULL, "admin viewer area department base:own", 0},
	{"POST", "/bases/{id:int}/figures", "/bases/{base}/figures", NULL, "admin area:own base:own", 0},
	{"GET", "/api/v1/evaluation", "/api/v1/evaluation", NULL, "admin viewer area department", 0},
	{"GET", "/api/v1/bases/{id:int}/evaluation", "/api/v1/bases/{base}/evaluation", NULL, "admin viewer area department base:own", 0},
	{"POST", "/api/v1/bases/{id:int}/verdicts", "/api/v1/bases/{base}/verdicts", "{}", "admin", 0},
	{"GET", "/api/v1/bases/{id:int}/figures", "/api/v1/bases/{base}/figures", NULL, "admin viewer area department base:own", 0},
	{"PUT", "/api/v1/bases/{id:int}/figures", "/api/v1/bases/{base}/figures", "{\"year\":2024,\"figures\":{}}", "admin area:own base:own", 0},
	{"PUT", "/api/v1/targets", "/api/v1/targets", "{\"targets\":[]}", "admin", 0},
	{"GET", "/static/{name:file}", "/static/app.js", NULL, "all", 0},
	{"GET", "/login", "/login", NULL, "all", 0},
	{"POST", "/login", "/login", NULL, "all", 0},
	{"POST", "/logout", "/logout", NULL, "users", 1},
	{"GET", "/password", "/password", NULL, "users", 0},
	{"POST", "/password", "/password", NULL, "users", 0},
	{"GET", "/areas/{code:area}", "/areas/{area}", NULL, "admin viewer area department", 0},
	{"GET", "/{K}", "/{K}", NULL, "admin viewer area department", 0},
	{"GET", "/{K}/new", "/{K}/new", NULL, "admin area", 0},
	{"POST", "/{K}/new", "/{K}/new", NULL, "admin area", 0},
	{"GET", "/{K}/import", "/{K}/import", NULL, "admin area", 0},
	{"GET", "/{K}/template.xlsx", "/{K}/template.xlsx", NULL, "admin area", 0},
	{"GET", "/{K}/export.xlsx", "/{K}/export.xlsx", NULL, "admin viewer area department", 0},
	{"GET", "/{K}/export.csv", "/{K}/export.csv", NULL, "admin viewer area department", 0},
	{"GET", "/{K}/{id:int}", "/{K}/{rec}", NULL, "admin viewer area department base:own", 0},
	{"GET", "/{K}/{id:int}/edit", "/{K}/{rec}/edit", NULL, "admin area:own base:own", 0},
	{"POST", "/{K}/{id:int}/edit", "/{K}/{rec}/edit", NULL, "admin area:own base:own", 0},
	{"GET", "/{K}/{id:int}/delete", "/{K}/{rec}/delete", NULL, "admin area:own base:own", 0},
	{"POST", "/{K}/{id:int}/review", "/{K}/{rec}/review", NULL, "admin", 0},
	{"GET", "/review", "/review", NULL, "admin", 0},
	{"GET", "/workbench", "/workbench", NULL, "users", 0},
	{"POST", "/review/changes/{id:int}", "/review/changes/999", NULL, "admin", 0},
	{"POST", "/review/batch", "/review/batch", NULL, "admin", 0},
	{"GET", "/admin/users", "/admin/users", NULL, "admin", 0},
	{"POST", "/admin/users", "/admin/users", NULL, "admin", 0},
	{"GET", "/admin/users/{id:int}", "/admin/users/2", NULL, "admin", 0},
	{"POST", "/admin/users/{id:int}", "/admin/users/2", NULL, "admin", 0},
	{"GET", "/admin/sessions", "/admin/sessions", NULL, "admin", 0},
	{"GET", "/admin/audit", "/admin/audit", NULL, "admin", 0},
	{"GET", "/admin/webhook", "/admin/webhook", NULL, "admin", 0},
	{"POST", "/admin/webhook", "/admin/webhook", NULL, "admin", 0},
	{"POST", "/admin/webhook/test", "/admin/webhook/test", NULL, "admin", 0},
	{"GET", "/api/v1/plan", "/api/v1/plan", NULL, "all", 0},
	{"GET", "/api/v1/areas", "/api/v1/areas", NULL, "all", 0},
	{"GET", "/api/v1/areas/{code:area}", "/api/v1/areas/{area}", NULL, "admin viewer area department", 0},
	{"GET", "/api/v1/progress", "/api/v1/progress?year=2023", NULL, "all", 0},
	{"POST", "/api/v1/session", "/api/v1/session", "{\"user\":\"dummy\",\"password\":\"" TEST_USER_PASSWORD "\"}", "all", 0},
	{"GET", "/api/v1/session", "/api/v1/session", NULL, "users", 0},
	{"DELETE", "/api/v1/session", "/api/v1/session", NULL, "users", 1},
	{"PUT", "/api/v1/session/password", "/api/v1/session/password", "{\"old_password\":\"wrong\",\"new_password\":\"x\"}", "users", 0},
	{"GET", "/api/v1/{K}", "/api/v1/{K}", NULL, "admin viewer area department", 0},
	{"POST", "/api/v1/{K}", "/api/v1/{K}", "{}", "admin area", 0},
	{"POST", "/api/v1/{K}/import", "/api/v1/{K}/import?mode=check", "{}", "admin area", 0},
	{"GET", "/api/v1/{K}/{id:int}", "/api/v1/{K}/{rec}", NULL, "admin viewer area department base:own", 0},
	{"PUT", "/api/v1/{K}/{id:int}", "/api/v1/{K}/{rec}", "{\"contact\":\"授权测试\"}", "admin area:own base:own", 0},
	{"PATCH", "/api/v1/{K}/{id:int}", "/api/v1/{K}/{rec}", "{\"name\":\"授权测试\"}", "admin area:own base:own", 0},
	{"POST", "/api/v1/{K}/{id:int}/review", "/api/v1/{K}/{rec}/review", "{\"action\":\"approve\"}", "admin", 0},
	{"GET", "/api/v1/review", "/api/v1/review", NULL, "admin", 0},
	{"POST", "/api/v1/review/changes/{id:int}", "/api/v1/review/changes/999", "{\"action\":\"approve\"}", "admin", 0},
	{"GET", "/api/v1/users", "/api/v1/users", NULL, "admin", 0},
	{"POST", "/api/v1/users", "/api/v1/users", "{}", "admin", 0},
	{"PATCH", "/api/v1/users/{id:int}", "/api/v1/users/2", "{\"disabled\":false}", "admin", 0},
	{"DELETE", "/api/v1/users/{id:int}/sessions", "/api/v1/users/2/sessions", NULL, "admin", 0},
	{"GET", "/api/v1/audit", "/api/v1/audit", NULL, "admin", 0},
	/* bulletins: the office makes, edits and publishes; every user reads the published ones (999: none such) */
	{"GET", "/bulletins", "/bulletins", NULL, "users", 0},
	{"POST", "/bulletins", "/bulletins", NULL, "admin", 0},
	{"GET", "/bulletins/{id:int}", "/bulletins/1", NULL, "users", 0},
	{"GET", "/bulletins/{id:int}/edit", "/bulletins/2/edit", NULL, "admin", 0},
	{"POST", "/bulletins/{id:int}/edit", "/bulletins/999/edit", NULL, "admin", 0},
	{"POST", "/bulletins/{id:int}/publish", "/bulletins/999/publish", NULL, "admin", 0},
	{"POST", "/bulletins/{id:int}/refresh", "/bulletins/999/refresh", NULL, "admin", 0},
	{"POST", "/bulletins/{id:int}/delete", "/bulletins/999/delete", NULL, "admin", 0},
	{"POST", "/bulletins/{id:int}/correct", "/bulletins/999/correct", NULL, "admin", 0},
	{"GET", "/bulletins/{id:int}/file/{format:code}", "/bulletins/1/file/xlsx", NULL, "users", 0},
	{"GET", "/api/v1/bulletins", "/api/v1/bulletins", NULL, "users", 0},
	{"POST", "/api/v1/bulletins", "/api/v1/bulletins", "{\"period\":\"2024-99\"}", "admin", 0},
	{"GET", "/api/v1/bulletins/{id:int}", "/api/v1/bulletins/1", NULL, "users", 0},
	{"PATCH", "/api/v1/bulletins/{id:int}", "/api/v1/bulletins/999", "{\"paragraphs\":{}}", "admin", 0},
	{"POST", "/api/v1/bulletins/{id:int}/publish", "/api/v1/bulletins/999/publish", NULL, "admin", 0},
	/* periodic reports: {area} is the area's own monthly report, base-{base} a base's yearly one */
	{"GET", "/reports", "/reports", NULL, "admin viewer area base department", 0},
	{"GET", "/reports/{form:code}/{period:code}", "/reports/area-monthly/2024-12", NULL, "admin viewer area", 0},
	{"POST", "/reports/{form:code}/{period:code}/approve", "/reports/area-monthly/2024-12/approve", NULL, "admin area", 0},
	{"POST", "/reports/{form:code}/{period:code}/remind", "/reports/torch-incubator/2024/remind", NULL, "admin area", 0},
	{"POST", "/reports/{form:code}/{period:code}/exception", "/reports/area-monthly/2024-12/exception", NULL, "admin", 0},
	{"GET", "/reports/{form:code}/{period:code}/completeness.xlsx", "/reports/area-monthly/2024-12/completeness.xlsx", NULL, "admin viewer area", 0},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}", "/reports/area-monthly/2024-12/{area}", NULL, "admin viewer area:own", 0},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}", "/reports/torch-incubator/2024/base-{base}", NULL, "admin viewer area:own base:own", 0},
	/* a department's quarterly report: its own (the department user is kjj's) and another department's */
	{"GET", "/reports/{form:code}/{period:code}/{org:code}", "/reports/dept-quarterly/2024-Q4/dept-kjj", NULL, "admin viewer department", 0},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}", "/reports/dept-quarterly/2024-Q4/dept-fgj", NULL, "admin viewer", 0},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}", "/reports/dept-quarterly/2024-Q4/dept-kjj", NULL, "admin department", 0},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}", "/reports/dept-quarterly/2024-Q4/dept-fgj", NULL, "admin", 0},
	{"GET", "/api/v1/reports/{form:code}/{period:code}/{org:code}", "/api/v1/reports/dept-quarterly/2024-Q4/dept-kjj", NULL, "admin viewer department", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/approve", "/api/v1/reports/dept-quarterly/2024-Q4/dept-kjj/approve", "{}", "admin", 0},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}", "/reports/area-monthly/2024-12/{area}", NULL, "admin area:own", 0},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}", "/reports/torch-incubator/2024/base-{base}", NULL, "admin base:own", 0},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}/fill.xlsx", "/reports/torch-incubator/2024/base-{base}/fill.xlsx", NULL, "admin viewer area:own base:own", 0},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}/review", "/reports/torch-incubator/2024/base-{base}/review", NULL, "admin area:own", 0},
	{"POST", "/reports/{form:code}/{period:code}/{org:code}/unlock", "/reports/torch-incubator/2024/base-{base}/unlock", NULL, "admin area:own base:own", 0},
	{"GET", "/api/v1/reports", "/api/v1/reports", NULL, "users", 0},
	{"GET", "/api/v1/reports/{form:code}/{period:code}", "/api/v1/reports/area-monthly/2024-12", NULL, "admin viewer area", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/remind", "/api/v1/reports/torch-incubator/2024/remind", "{\"orgs\":[]}", "admin area", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/approve", "/api/v1/reports/area-monthly/2024-12/approve", "{\"orgs\":[]}", "admin area", 0},
	{"GET", "/api/v1/reports/{form:code}/{period:code}/{org:code}", "/api/v1/reports/area-monthly/2024-12/{area}", NULL, "admin viewer area:own", 0},
	{"GET", "/api/v1/reports/{form:code}/{period:code}/{org:code}", "/api/v1/reports/torch-incubator/2024/base-{base}", NULL, "admin viewer area:own base:own", 0},
	{"PUT", "/api/v1/reports/{form:code}/{period:code}/{org:code}", "/api/v1/reports/torch-incubator/2024/base-{base}", "{}", "admin base:own", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/submit", "/api/v1/reports/torch-incubator/2024/base-{base}/submit", "{}", "admin base:own", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/upload", "/api/v1/reports/torch-incubator/2024/base-{base}/upload", "{}", "admin area:own base:own", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/approve", "/api/v1/reports/torch-incubator/2024/base-{base}/approve", "{}", "admin area:own", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/accept", "/api/v1/reports/torch-incubator/2024/base-{base}/accept", "{}", "admin", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/return", "/api/v1/reports/torch-incubator/2024/base-{base}/return", "{\"reason\":\"授权测试\"}", "admin area:own", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/unlock-request", "/api/v1/reports/torch-incubator/2024/base-{base}/unlock-request", "{\"reason\":\"授权测试\"}", "base:own", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/unlock", "/api/v1/reports/torch-incubator/2024/base-{base}/unlock", "{\"reason\":\"授权测试\"}", "admin", 0},
	{"POST", "/api/v1/reports/{form:code}/{period:code}/{org:code}/exception", "/api/v1/reports/torch-incubator/2024/base-{base}/exception", "{\"days\":3,\"reason\":\"授权测试\"}", "admin", 0},
	/* events: every user reads; the office, an area its own and a base the events it hosts change them */
	{"GET", "/events", "/events", NULL, "users", 0},
	{"GET", "/events/new", "/events/new", NULL, "admin area base", 0},
	{"POST", "/events/new", "/events/new", NULL, "admin area base", 0},
	{"GET", "/events/{id:int}", "/events/{ev}", NULL, "users", 0},
	{"GET", "/events/{id:int}/edit", "/events/{ev}/edit", NULL, "admin area:own base:own", 0},
	{"POST", "/events/{id:int}/edit", "/events/{ev}/edit", NULL, "admin area:own base:own", 0},
	{"POST", "/events/{id:int}/projects", "/events/{ev}/projects", NULL, "admin area:own base:own", 0},
	{"POST", "/events/{id:int}/projects/{pid:int}/step", "/events/{ev}/projects/{evp}/step", NULL, "admin area:own base:own", 0},
	{"POST", "/events/{id:int}/tasks", "/events/{ev}/tasks", NULL, "admin", 0},
	{"POST", "/events/{id:int}/photos", "/events/{ev}/photos", NULL, "admin area:own base:own", 0},
	{"GET", "/roadshows", "/roadshows", NULL, "users", 0},
	{"GET", "/api/v1/events", "/api/v1/events", NULL, "users", 0},
	{"POST", "/api/v1/events", "/api/v1/events", "{}", "admin area base", 0},
	{"GET", "/api/v1/events/{id:int}", "/api/v1/events/{ev}", NULL, "users", 0},
	{"PATCH", "/api/v1/events/{id:int}", "/api/v1/events/{ev}", "{}", "admin area:own base:own", 0},
	{"POST", "/api/v1/events/{id:int}/projects", "/api/v1/events/{ev}/projects", "{}", "admin area:own base:own", 0},
	{"POST", "/api/v1/events/{id:int}/projects/{pid:int}/steps", "/api/v1/events/{ev}/projects/{evp}/steps", "{}", "admin area:own base:own", 0},
	{"POST", "/api/v1/events/{id:int}/tasks", "/api/v1/events/{ev}/tasks", "{}", "admin", 0},
	{"POST", "/api/v1/events/{id:int}/attachments", "/api/v1/events/{ev}/attachments", "{}", "admin area:own base:own", 0},
	/* the policy system: {papp} an application of a 飞云 base (own: the base user's base 10) or of a 仙降 base */
	{"GET", "/policies", "/policies", NULL, "users", 0},
	{"GET", "/api/v1/policies", "/api/v1/policies", NULL, "users", 0},
	{"GET", "/policy-applications", "/policy-applications", NULL, "admin viewer area base", 0},
	{"GET", "/policy-applications/new", "/policy-applications/new", NULL, "admin area base", 0},
	{"POST", "/policy-applications", "/policy-applications", NULL, "admin area base", 0},
	{"GET", "/policy-applications/{id:int}", "/policy-applications/{papp}", NULL, "admin viewer area:own base:own", 0},
	{"POST", "/policy-applications/{id:int}/endorse", "/policy-applications/{papp}/endorse", NULL, "admin area:own", 0},
	{"POST", "/policy-applications/{id:int}/approve", "/policy-applications/{papp}/approve", NULL, "admin", 0},
	{"POST", "/policy-applications/{id:int}/pay", "/policy-applications/{papp}/pay", NULL, "admin", 0},
	{"POST", "/policy-applications/{id:int}/return", "/policy-applications/{papp}/return", NULL, "admin area:own", 0},
	{"POST", "/policy-applications/{id:int}/resubmit", "/policy-applications/{papp}/resubmit", NULL, "admin area:own base:own", 0},
	{"POST", "/policy-applications/{id:int}/attachments", "/policy-applications/{papp}/attachments", NULL, "admin area:own base:own", 0},
	{"GET", "/api/v1/policy-applications", "/api/v1/policy-applications", NULL, "admin viewer area base", 0},
	{"POST", "/api/v1/policy-applications", "/api/v1/policy-applications", "{}", "admin area base", 0},
	{"GET", "/api/v1/policy-applications/{id:int}", "/api/v1/policy-applications/{papp}", NULL, "admin viewer area:own base:own", 0},
	{"POST", "/api/v1/policy-applications/{id:int}/endorse", "/api/v1/policy-applications/{papp}/endorse", "{}", "admin area:own", 0},
	{"POST", "/api/v1/policy-applications/{id:int}/approve", "/api/v1/policy-applications/{papp}/approve", "{}", "admin", 0},
	{"POST", "/api/v1/policy-applications/{id:int}/pay", "/api/v1/policy-applications/{papp}/pay", "{}", "admin", 0},
	{"POST", "/api/v1/policy-applications/{id:int}/return", "/api/v1/policy-applications/{papp}/return", "{}", "admin area:own", 0},
	{"POST", "/api/v1/policy-applications/{id:int}/resubmit", "/api/v1/policy-applications/{papp}/resubmit", "{}", "admin area:own base:own", 0},
	{"POST", "/api/v1/policy-applications/{id:int}/attachments", "/api/v1/policy-applications/{papp}/attachments", "{}", "admin area:own base:own", 0},
	{"GET", "/policy-results", "/policy-results", NULL, "admin viewer area department", 0},
	{"GET", "/policy-results.xlsx", "/policy-results.xlsx", NULL, "admin viewer area department", 0},
	{"GET", "/api/v1/policy-results", "/api/v1/policy-results", NULL, "admin viewer area department", 0},
	{"GET", "/finance", "/finance", NULL, "admin viewer area department", 0},
	{"POST", "/finance/products", "/finance/products", NULL, "admin", 0},
	{"POST", "/finance/grants", "/finance/grants", NULL, "admin area", 0},
	{"GET", "/api/v1/finance", "/api/v1/finance", NULL, "admin viewer area department", 0},
	/* the work system: {task} is 市科技局's w5-3 (own for the department; co-owned by 各镇街、功能区,
	 * so read-only for the area) or w3-2 (foreign to both); {file} evidence on the one or on w2-2 */
	{"GET", "/tasks", "/tasks", NULL, "admin viewer area department", 0},
	{"GET", "/tasks/new", "/tasks/new", NULL, "admin", 0},
	{"POST", "/tasks/new", "/tasks/new", NULL, "admin", 0},
	{"GET", "/tasks/{id:int}", "/tasks/{task}", NULL, "admin viewer area:own department:own", 0},
	{"POST", "/tasks/{id:int}/updates", "/tasks/{task}/updates", NULL, "admin department:own", 0},
	{"POST", "/tasks/{id:int}/milestones", "/tasks/{task}/milestones", NULL, "admin", 0},
	{"POST", "/tasks/{id:int}/milestones/{mid:int}/reached", "/tasks/{task}/milestones/1/reached", NULL, "admin department:own", 0},
	{"POST", "/tasks/{id:int}/set", "/tasks/{task}/set", NULL, "admin", 0},
	{"POST", "/tasks/{id:int}/supervisions", "/tasks/{task}/supervisions", NULL, "admin", 0},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/sign", "/tasks/{task}/supervisions/2/sign", NULL, "department:own", 0},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/answer", "/tasks/{task}/supervisions/2/answer", NULL, "department:own", 0},
	{"POST", "/tasks/{id:int}/attachments", "/tasks/{task}/attachments", NULL, "admin department:own", 0},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/accept", "/tasks/{task}/supervisions/2/accept", NULL, "admin", 0},
	{"POST", "/tasks/{id:int}/supervisions/{sid:int}/press", "/tasks/{task}/supervisions/2/press", NULL, "admin", 0},
	{"GET", "/supervision", "/supervision", NULL, "admin viewer", 0},
	{"GET", "/supervision.xlsx", "/supervision.xlsx", NULL, "admin viewer", 0},
	{"GET", "/agenda", "/agenda", NULL, "admin viewer", 0},
	{"POST", "/agenda", "/agenda", NULL, "admin", 0},
	{"GET", "/agenda/{id:int}", "/agenda/2", NULL, "admin viewer", 0},
	{"POST", "/agenda/{id:int}/decisions", "/agenda/2/decisions", NULL, "admin", 0},
	{"POST", "/agenda/{id:int}/held", "/agenda/2/held", NULL, "admin", 0},
	{"GET", "/attachments/{id:int}", "/attachments/{file}", NULL, "admin viewer area:own department:own", 0},
	/* {pfile}: evidence on a policy application, read as the application is ({papp}) */
	{"GET", "/attachments/{id:int}", "/attachments/{pfile}", NULL, "admin viewer area:own base:own", 0},
	{"GET", "/api/v1/tasks", "/api/v1/tasks", NULL, "admin viewer area department", 0},
	{"POST", "/api/v1/tasks", "/api/v1/tasks", "{}", "admin", 0},
	{"GET", "/api/v1/tasks/{id:int}", "/api/v1/tasks/{task}", NULL, "admin viewer area:own department:own", 0},
	{"POST", "/api/v1/tasks/{id:int}/updates", "/api/v1/tasks/{task}/updates", "{}", "admin department:own", 0},
	{"POST", "/api/v1/tasks/{id:int}/attachments", "/api/v1/tasks/{task}/attachments", "{}", "admin department:own", 0},
	{"POST", "/api/v1/tasks/{id:int}/supervisions", "/api/v1/tasks/{task}/supervisions", "{}", "admin", 0},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/sign", "/api/v1/tasks/{task}/supervisions/2/sign", "{}", "department:own", 0},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/answer", "/api/v1/tasks/{task}/supervisions/2/answer", "{}", "department:own", 0},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/accept", "/api/v1/tasks/{task}/supervisions/2/accept", "{}", "admin", 0},
	{"POST", "/api/v1/tasks/{id:int}/supervisions/{sid:int}/press", "/api/v1/tasks/{task}/supervisions/2/press", "{}", "admin", 0},
	{"GET", "/api/v1/supervision", "/api/v1/supervision", NULL, "admin viewer", 0},
	{"GET", "/api/v1/agendas", "/api/v1/agendas", NULL, "admin viewer", 0},
	{"POST", "/api/v1/agendas", "/api/v1/agendas", "{}", "admin", 0},
	{"GET", "/api/v1/agendas/{id:int}", "/api/v1/agendas/2", NULL, "admin viewer", 0},
	{"POST", "/api/v1/agendas/{id:int}/decisions", "/api/v1/agendas/2/decisions", "{}", "admin", 0},
	/* deletes last, so that the office's deletes do not take away what the other rows read */
	{"POST", "/{K}/{id:int}/delete", "/{K}/{rec}/delete", NULL, "admin area:own base:own", 0},
	{"DELETE", "/api/v1/{K}/{id:int}", "/api/v1/{K}/{rec}", NULL, "admin area:own base:own", 0},
};

static TestServer srv;
static Login logins[NROLES];

/* The registry's kinds, and per kind the records the matrix touches: in
 * 飞云 at base 10 (own for the reporter and the base user), in 飞云 at base
 * 11 (foreign for the base user) and in 仙降 (foreign for the reporter). */
static const char *const kinds[] = {"bases", "operators", "funds", "investments", "projects", "firms"};
#define NKINDS 6
static long long rec_own[NKINDS], rec_other_base[NKINDS], rec_other_area[NKINDS];
/* Applications for recognition: of a 飞云 base (own) and of a 仙降 base. */
static long long app_own, app_foreign;
/* Events hosted by base 10 in 飞云 (own for the reporter and the base user),
 * by base 11 in 飞云 (foreign for the base user) and in 仙降 (foreign for
 * the reporter), each with one registered project. */
static long long ev_own, ev_other_base, ev_other_area, evp_own, evp_other_base, evp_other_area;
/* Applications for policy support (demo data): 16 of base 10 (飞云), 9 of base 13 (仙降). */
static const long long papp_own = 16, papp_foreign = 9;
/* Evidence files on those two (inserted by setup). */
static long long pfile_own, pfile_foreign;

static void login_role(int role)
{
	if (role == R_ANON)
		return;
	const char *pw = role == R_ADMIN ? TEST_ADMIN_PASSWORD : TEST_USER_PASSWORD;
	if (http_login(srv.port, role_users[role], pw, &logins[role]) != 0)
		fail_msg("cannot log in as %s (status %d)", role_users[role], logins[role].status);
}

/* Creates one record as the office; returns its id. */
static long long create(const char *kind, const char *json)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/%s", kind);
	Response r;
	if (http_as(srv.port, &logins[R_ADMIN], "POST", path, json, &r) != 0 || r.status != 201) {
		fprintf(stderr, "cannot create %s: %d %s\n", kind, r.status, r.body ? r.body : "");
		exit(1);
	}
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	long long id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	response_free(&r);
	return id;
}

/* A PNG's head as evidence on a policy application, straight into the
 * database (the demo's applications are paid: no more uploads); its id. */
static long long policy_file(long long app)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(srv.db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO attachment(owner_kind, owner_id, name, mime, size, sha256, data, created_by, created_at) "
	         "VALUES ('policy_application', %lld, '授权测试.png', 'image/png', 16, 'x', x'89504E470D0A1A0A0000000D49484452', "
	         "'admin', '2025-01-01T00:00:00Z')", app);
	char *err = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s", err);
	long long id = sqlite3_last_insert_rowid(h);
	sqlite3_close(h);
	return id;
}

static void create_records(void)
{
	pfile_own = policy_file(papp_own);
	pfile_foreign = policy_file(papp_foreign);
	long long *evs[3][2] = {{&ev_own, &evp_own}, {&ev_other_base, &evp_other_base}, {&ev_other_area, &evp_other_area}};
	const char *hosts[3][2] = {{"feiyun", FEIYUN_BASE}, {"feiyun", FEIYUN_BASE_2}, {"xianjiang", XIANJIANG_BASE}};
	for (int w = 0; w < 3; w++) {
		char json[384], path[64];
		snprintf(json, sizeof json, "{\"kind\":\"roadshow\",\"name\":\"授权测试路演%d\",\"organiser\":\"市科技局\","
		         "\"area\":\"%s\",\"base_id\":%s,\"starts_on\":\"2024-06-20\"}", w, hosts[w][0], hosts[w][1]);
		*evs[w][0] = create("events", json);
		snprintf(path, sizeof path, "events/%lld/projects", *evs[w][0]);
		*evs[w][1] = create(path, "{\"name\":\"授权测试项目\",\"registered_on\":\"2024-06-01\"}");
	}
	app_own = create("bases/" FEIYUN_BASE "/recognitions", "{\"level\":\"provincial\"}");
	app_foreign = create("bases/" XIANJIANG_BASE "/recognitions", "{\"level\":\"provincial\"}");
	rec_own[0] = atoll(FEIYUN_BASE);
	rec_other_base[0] = atoll(FEIYUN_BASE_2);
	rec_other_area[0] = atoll(XIANJIANG_BASE);
	const char *where[3][2] = {{"feiyun", FEIYUN_BASE}, {"feiyun", FEIYUN_BASE_2}, {"xianjiang", XIANJIANG_BASE}};
	long long *slots[3] = {rec_own, rec_other_base, rec_other_area};
	char json[512];
	for (int w = 0; w < 3; w++) {
		const char *area = where[w][0], *base = where[w][1];
		snprintf(json, sizeof json, "{\"name\":\"授权测试机构%d\",\"area\":\"%s\",\"introduced_on\":\"2024-01-05\"}", w, area);
		slots[w][1] = create("operators", json);
		snprintf(json, sizeof json, "{\"name\":\"授权测试基金%d\",\"stage\":\"seed\",\"size_yuan\":1000000,\"origin\":\"new\","
		         "\"established_on\":\"2024-01-05\",\"area\":\"%s\",\"base_id\":%s}", w, area, base);
		slots[w][2] = create("funds", json);
		snprintf(json, sizeof json, "{\"fund_id\":%lld,\"investee\":\"授权测试企业%d\",\"base_id\":%s,\"area\":\"%s\","
		         "\"amount_yuan\":100000,\"invested_on\":\"2024-02-01\"}", slots[w][2], w, base, area);
		slots[w][3] = create("investments", json);
		snprintf(json, sizeof json, "{\"name\":\"授权测试项目%d\",\"kind\":\"team\",\"base_id\":%s,\"area\":\"%s\","
		         "\"arrived_on\":\"2024-03-01\"}", w, base, area);
		slots[w][4] = create("projects", json);
		snprintf(json, sizeof json, "{\"name\":\"授权测试企业%d\",\"base_id\":%s,\"area\":\"%s\"}", w, base, area);
		slots[w][5] = create("firms", json);
	}
}

static int setup(void **state)
{
	server_start(&srv, NULL);
	server_add_user(&srv, "dummy", "viewer", NULL);        /* user 2: the target of admin actions */
	server_add_user(&srv, "leader", "viewer", NULL);
	server_add_user(&srv, "feiyun_reporter", "area", "feiyun");
	server_add_user(&srv, "kjj_clerk", "department", "kjj");
	server_add_user(&srv, "base10", "base", FEIYUN_BASE);
	for (int r = 0; r < NROLES; r++)
		login_role(r);
	create_records();
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

/* Whether role may call the row, for the own (1) or foreign (0) path. */
static int expect_allowed(const Access *a, int role, int own)
{
	if (strcmp(a->allowed, "all") == 0)
		return 1;
	if (strcmp(a->allowed, "users") == 0)
		return role != R_ANON;
	char want[64], want_own[64];
	snprintf(want, sizeof want, " %s ", role_names[role]);
	snprintf(want_own, sizeof want_own, " %s:own ", role_names[role]);
	char list[128];
	snprintf(list, sizeof list, " %s ", a->allowed);
	return strstr(list, want) != NULL || (own && strstr(list, want_own) != NULL);
}

/* Fills {K} with the kind, {rec} with the record for role and own/foreign,
 * {base} and {area} likewise. */
static void fill_path(const char *path, int kind, int role, int own, char *out, size_t outsz)
{
	const char *base = role == R_BASE ? (own ? FEIYUN_BASE : FEIYUN_BASE_2) : (own ? FEIYUN_BASE : XIANJIANG_BASE);
	const char *area = own ? "feiyun" : "xianjiang";
	long long rec = own ? rec_own[kind] : role == R_BASE ? rec_other_base[kind] : rec_other_area[kind];
	size_t o = 0;
	for (const char *p = path; *p && o + 24 < outsz;) {
		if (strncmp(p, "{base}", 6) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%s", base);
			p += 6;
		} else if (strncmp(p, "{area}", 6) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%s", area);
			p += 6;
		} else if (strncmp(p, "{K}", 3) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%s", kinds[kind]);
			p += 3;
		} else if (strncmp(p, "{ev}", 4) == 0) {
			long long ev = own ? ev_own : role == R_BASE ? ev_other_base : ev_other_area;
			o += (size_t)snprintf(out + o, outsz - o, "%lld", ev);
			p += 4;
		} else if (strncmp(p, "{evp}", 5) == 0) {
			long long evp = own ? evp_own : role == R_BASE ? evp_other_base : evp_other_area;
			o += (size_t)snprintf(out + o, outsz - o, "%lld", evp);
			p += 5;
		} else if (strncmp(p, "{app}", 5) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%lld", own ? app_own : app_foreign);
			p += 5;
		} else if (strncmp(p, "{papp}", 6) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%lld", own ? papp_own : papp_foreign);
			p += 6;
		} else if (strncmp(p, "{task}", 6) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%s", own ? OWN_TASK : FOREIGN_TASK);
			p += 6;
		} else if (strncmp(p, "{pfile}", 7) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%lld", own ? pfile_own : pfile_foreign);
			p += 7;
		} else if (strncmp(p, "{file}", 6) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%s", own ? OWN_FILE : FOREIGN_FILE);
			p += 6;
		} else if (strncmp(p, "{rec}", 5) == 0) {
			o += (size_t)snprintf(out + o, outsz - o, "%lld", rec);
			p += 5;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = 0;
}

static int is_refusal(const Response *r, int role)
{
	if (r->status == 403)
		return r->body == NULL || strstr(r->body, "forbidden_approved") == NULL;
	if (role != R_ANON)
		return 0;
	if (r->status == 401)
		return 1;
	if (r->status == 303) {
		char *loc = response_header(r, "Location");
		int to_login = loc && strncmp(loc, "/login", 6) == 0;
		free(loc);
		return to_login;
	}
	return 0;
}

static void test_every_route_has_a_row(void **state)
{
	for (int i = 0; i < route_count; i++) {
		int found = 0;
		for (size_t k = 0; k < sizeof table / sizeof table[0] && !found; k++) {
			if (strcmp(table[k].method, routes[i].method) != 0)
				continue;
			for (int kd = -1; kd < NKINDS && !found; kd++) {
				char pat[128];
				if (kd < 0)
					snprintf(pat, sizeof pat, "%s", table[k].pattern);
				else
					fill_path(table[k].pattern, kd, R_ADMIN, 1, pat, sizeof pat);
				found = strcmp(pat, routes[i].pattern) == 0;
			}
		}
		if (!found)
			fail_msg("route %s %s has no row in tests/http/test_authz.c", routes[i].method, routes[i].pattern);
	}
}

/* The roles in the order the matrix asks them: the office last, so that
 * what it deletes is gone only after the others were refused it. */
static const int role_order[NROLES] = {R_ANON, R_VIEWER, R_DEPT, R_AREA, R_BASE, R_ADMIN};

static int is_delete_row(const Access *a)
{
	return strcmp(a->method, "DELETE") == 0 || (strcmp(a->method, "POST") == 0 && strstr(a->path, "/delete"));
}

/* Asks one row for one kind as one role, own or foreign, and checks the answer. */
static void check_one(const Access *a, int kind, int role, int own, int *checked)
{
	int per_kind = strstr(a->path, "{K}") != NULL;
	char path[256];
	fill_path(a->path, kind, role, own, path, sizeof path);
	Response r;
	assert_int_equal(http_as(srv.port, role == R_ANON ? NULL : &logins[role], a->method, path, a->body, &r), 0);
	int refused = is_refusal(&r, role);
	int want = expect_allowed(a, role, own);
	/* An operator belongs to an area, never to a base: base users own none. */
	if (role == R_BASE && per_kind && strcmp(kinds[kind], "operators") == 0 && strstr(a->path, "{rec}"))
		want = 0;
	if (refused == want)
		fail_msg("%s %s as %s: status %d, expected %s", a->method, path, role_names[role], r.status,
		         want ? "allowed" : "refused");
	response_free(&r);
	(*checked)++;
	if (a->ends_session && !refused)
		login_role(role);
}

static int is_scoped(const Access *a)
{
	return strstr(a->path, "{base}") || strstr(a->path, "{area}") || strstr(a->path, "{rec}") || strstr(a->path, "{app}") ||
	       strstr(a->path, "{ev}") ||
	       strstr(a->path, "{task}") || strstr(a->path, "{file}") || strstr(a->path, "{papp}") ||
	       strstr(a->path, "{pfile}");
}

static void test_matrix(void **state)
{
	int checked = 0;
	const size_t nrows = sizeof table / sizeof table[0];
	for (size_t t = 0; t < nrows; t++) {
		const Access *a = &table[t];
		if (is_delete_row(a))
			continue;
		int per_kind = strstr(a->path, "{K}") != NULL;
		for (int kind = 0; kind < (per_kind ? NKINDS : 1); kind++)
			for (int ri = 0; ri < NROLES; ri++)
				for (int own = 1; own >= (is_scoped(a) ? 0 : 1); own--)
					check_one(a, kind, role_order[ri], own, &checked);
	}
	/* Deletes: every role but the office first, then the office, whose
	 * deletes succeed and would otherwise leave nothing to refuse. */
	for (int kind = 0; kind < NKINDS; kind++)
		for (int ri = 0; ri < NROLES; ri++)
			for (size_t t = 0; t < nrows; t++)
				if (is_delete_row(&table[t]))
					for (int own = 1; own >= 0; own--)
						check_one(&table[t], kind, role_order[ri], own, &checked);
	assert_true(checked > 1000);
}

/* A refused change leaves the record as it was. */
static void test_foreign_change_writes_nothing(void **state)
{
	Response before, r, after;
	assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "GET", "/api/v1/bases/" XIANJIANG_BASE, NULL, &before), 0);
	assert_int_equal(http_as(srv.port, &logins[R_AREA], "PATCH", "/api/v1/bases/" XIANJIANG_BASE,
	                         "{\"contact\":\"越权修改\"}", &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "\"forbidden_scope\""));
	assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "GET", "/api/v1/bases/" XIANJIANG_BASE, NULL, &after), 0);
	assert_string_equal(before.body, after.body);
	assert_null(strstr(after.body, "越权修改"));
	response_free(&before);
	response_free(&r);
	response_free(&after);
}

/* The 飞云 reporter changes a 飞云 base through the API and the page: the
 * changes wait for the office, which approves them; all of it audited. */
static void test_own_change_over_page_and_api(void **state)
{
	Response r;
	assert_int_equal(http_as(srv.port, &logins[R_AREA], "PATCH", "/api/v1/bases/" FEIYUN_BASE,
	                         "{\"contact\":\"飞云联系人 13800000000\"}", &r), 0);
	assert_int_equal(r.status, 202);
	assert_non_null(strstr(r.body, "\"proposed\""));
	response_free(&r);
	/* the approved record is unchanged until the office approves */
	assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "GET", "/api/v1/bases/" FEIYUN_BASE, NULL, &r), 0);
	assert_null(strstr(r.body, "飞云联系人 13800000000"));
	response_free(&r);

	char headers[512], body[1024];
	snprintf(headers, sizeof headers, "%sContent-Type: application/x-www-form-urlencoded\r\n", logins[R_AREA].cookie);
	snprintf(body, sizeof body,
	         "csrf=%s&name=%%E7%%A4%%BA%%E4%%BE%%8B%%C2%%B7%%E9%%A3%%9E%%E4%%BA%%91%%E9%%9D%%92%%E5%%B9%%B4%%E5%%88%%9B%%E4%%B8%%9A%%E5%%8A%%A0%%E9%%80%%9F%%E5%%99%%A8"
	         "&kind=accelerator&area=feiyun&status=operating&opened_on=2022-07-01&total_area_m2=28000&incubation_area_m2=19000"
	         "&address=%%E9%%A3%%9E%%E4%%BA%%91%%E8%%B7%%AF1%%E5%%8F%%B7"
	         "&contact=%%E7%%A4%%BA%%E4%%BE%%8B%%E8%%81%%94%%E7%%B3%%BB%%E4%%BA%%BA", /* 示例联系人: the record's, as the form shows it */
	         logins[R_AREA].csrf);
	assert_int_equal(http_request(srv.port, "POST", "/bases/" FEIYUN_BASE "/edit", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 303);
	char *loc = response_header(&r, "Location");
	/* the page's save joins the API's: one proposal of this reporter's */
	assert_non_null(strstr(loc, "saved=merged"));
	free(loc);
	response_free(&r);
	/* the office sees both saves in it, approves it */
	assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "GET", "/api/v1/review", NULL, &r), 0);
	assert_non_null(strstr(r.body, "飞云联系人 13800000000"));
	assert_non_null(strstr(r.body, "飞云路1号"));
	response_free(&r);
	/* approve every open change, oldest first (the matrix above proposed some too) */
	assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "GET", "/api/v1/review", NULL, &r), 0);
	json_error_t e;
	json_t *queue = json_loads(r.body, 0, &e);
	response_free(&r);
	size_t i;
	json_t *c;
	int approved = 0;
	json_array_foreach(json_object_get(queue, "changes"), i, c) {
		char path[64];
		snprintf(path, sizeof path, "/api/v1/review/changes/%lld", (long long)json_integer_value(json_object_get(c, "id")));
		assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "POST", path, "{\"action\":\"approve\"}", &r), 0);
		assert_int_equal(r.status, 200);
		response_free(&r);
		approved++;
	}
	json_decref(queue);
	assert_true(approved >= 2);
	assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "GET", "/api/v1/bases/" FEIYUN_BASE, NULL, &r), 0);
	assert_non_null(strstr(r.body, "飞云路1号"));
	response_free(&r);
	assert_int_equal(http_as(srv.port, &logins[R_ADMIN], "GET", "/api/v1/audit?kind=bases&id=" FEIYUN_BASE, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"user\":\"feiyun_reporter\""));
	assert_non_null(strstr(r.body, "\"action\":\"approve\""));
	assert_non_null(strstr(r.body, "\"before\":{"));
	response_free(&r);

	/* the same form on a 仙降 base is refused */
	assert_int_equal(http_request(srv.port, "POST", "/bases/" XIANJIANG_BASE "/edit", headers, body, strlen(body), &r), 0);
	assert_int_equal(r.status, 403);
	response_free(&r);
}

/* A viewer changes nothing: every state-changing route refuses it. */
static void test_viewer_changes_nothing(void **state)
{
	for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
		const Access *a = &table[k];
		if (strcmp(a->method, "GET") == 0 || strstr(a->allowed, "all") || strstr(a->allowed, "users"))
			continue; /* login, logout and one's own password are not changes to records */
		char path[256];
		fill_path(a->path, 0, R_VIEWER, 1, path, sizeof path);
		Response r;
		assert_int_equal(http_as(srv.port, &logins[R_VIEWER], a->method, path, a->body, &r), 0);
		if (r.status != 403)
			fail_msg("viewer %s %s: status %d", a->method, path, r.status);
		response_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_has_a_row),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_foreign_change_writes_nothing),
		cmocka_unit_test(test_own_change_over_page_and_api),
		cmocka_unit_test(test_viewer_changes_nothing),
	};
	return cmocka_run_group_tests_name("authz", tests, setup, teardown);
}
