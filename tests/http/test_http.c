/*
 * test_http.c — HTTP tests against the real binary: `hatchery init --demo`
 * then `hatchery serve` on a free loopback port. Checks status, content
 * type and content of every route (the table below must cover the server's
 * route table, or a test fails), the limits, the error shapes, gzip,
 * keep-alive, escaping of stored values, and the clean stop on SIGTERM.
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
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "registry.h"

static TestServer srv;
static Login admin;

/* One row per GET route: an example path, who asks (NULL: anonymous,
 * "admin": the office) and what the answer must hold. */
typedef struct RouteCase {
	const char *method, *pattern, *path, *as;
	int status;
	const char *ctype;      /* prefix of Content-Type */
	const char *contains[4];
} RouteCase;

static const RouteCase cases[] = {
	{"GET", "/", "/", NULL, 200, "text/html", {"总览", "新增孵化场地面积", "示例数据", "<svg"}},
	{"GET", "/", "/?year=2022", NULL, 200, "text/html", {"2022 年度目标完成情况", "已完成", NULL}},
	{"GET", "/areas", "/areas", NULL, 200, "text/html", {"飞云街道", "平阳坑镇", "云江区块", "原文作"}},
	{"GET", "/areas/{code:area}", "/areas/feiyun", "admin", 200, "text/html", {"飞云街道", "示例·飞云青年创业加速器", "科技企业加速器", NULL}},
	{"GET", "/plan", "/plan", NULL, 200, "text/html", {"七个一", "总孵化空间面积5万平方米以上", "规划未提出", "市科技局"}},
	{"GET", "/healthz", "/healthz", NULL, 200, "text/plain", {"ok", NULL}},
	{"GET", "/static/{name:file}", "/static/style.css", NULL, 200, "text/css", {"table.data", NULL}},
	{"GET", "/static/{name:file}", "/static/app.js", NULL, 200, "text/javascript", {"use strict", NULL}},
	{"GET", "/api/v1/plan", "/api/v1/plan", NULL, 200, "application/json", {"\"areas\"", "\"targets\"", "qigeyi", "\"work_items\""}},
	{"GET", "/api/v1/areas", "/api/v1/areas", NULL, 200, "application/json", {"\"feiyun\"", "\"items\"", NULL}},
	{"GET", "/api/v1/areas/{code:area}", "/api/v1/areas/tangxia", "admin", 200, "application/json", {"塘下新区", "\"bases\"", NULL}},
	{"GET", "/api/v1/progress", "/api/v1/progress?year=2023", NULL, 200, "application/json", {"\"area_added\"", "\"status\"", NULL}},
	{"GET", "/login", "/login", NULL, 200, "text/html", {"登录", "name=\"password\"", NULL}},
	{"GET", "/password", "/password", "admin", 200, "text/html", {"修改密码", "name=\"csrf\"", NULL}},
	{"GET", "/bases", "/bases?area=feiyun", "admin", 200, "text/html", {"示例·飞云青年创业加速器", "共 <strong id=\"total\">2</strong> 条", NULL}},
	{"GET", "/bases/new", "/bases/new", "admin", 200, "text/html", {"登记孵化基地", "name=\"total_area_m2\"", "type=\"checkbox\" name=\"facilities\"", NULL}},
	{"GET", "/bases/import", "/bases/import", "admin", 200, "text/html", {"从 Excel 导入孵化基地", "id=\"import-form\"", "/bases/template.xlsx", NULL}},
	{"GET", "/bases/template.xlsx", "/bases/template.xlsx", "admin", 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"PK", NULL}},
	{"GET", "/bases/export.xlsx", "/bases/export.xlsx?area=feiyun", "admin", 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"PK", NULL}},
	{"GET", "/bases/export.csv", "/bases/export.csv?area=feiyun", "admin", 200, "text/csv", {"\xEF\xBB\xBF编号,名称", "示例·飞云青年创业加速器", NULL}},
	{"GET", "/bases/{id:int}", "/bases/10", "admin", 200, "text/html", {"示例·飞云青年创业加速器", "面积变化", "变更历史", NULL}},
	{"GET", "/bases/{id:int}/edit", "/bases/10/edit", "admin", 200, "text/html", {"空间来源", "name=\"csrf\"", "area_changed_on", NULL}},
	{"GET", "/bases/{id:int}/delete", "/bases/10/delete", "admin", 200, "text/html", {"不能删除", "个项目（团队）", NULL}},
	{"GET", "/review", "/review", "admin", 200, "text/html", {"审核", "示例·南滨科创园", NULL}},
	{"GET", "/workbench", "/workbench", "admin", 200, "text/html", {"工作台", "id=\"work-review\"", "落后区域", NULL}},
	{"GET", "/api/v1/bases", "/api/v1/bases?kind=big_incubator", "admin", 200, "application/json", {"\"total\":4", "\"items\"", NULL}},
	{"GET", "/api/v1/review", "/api/v1/review", "admin", 200, "application/json", {"\"records\"", "\"changes\"", NULL}},
	{"GET", "/admin/users", "/admin/users", "admin", 200, "text/html", {"用户管理", "添加用户", "<optgroup label=\"市直部门\">", "<option value=\"feiyun\">飞云街道</option>"}},
	{"GET", "/admin/users/{id:int}", "/admin/users/1", "admin", 200, "text/html", {"重置密码", "停用账号", NULL}},
	{"GET", "/admin/sessions", "/admin/sessions", "admin", 200, "text/html", {"在线会话", "admin", NULL}},
	{"GET", "/admin/audit", "/admin/audit?kind=plan", "admin", 200, "text/html", {"审计日志", "载入 · 规划", NULL}},
	{"GET", "/admin/webhook", "/admin/webhook", "admin", 200, "text/html", {"消息推送设置", "id=\"webhook-form\"", "name=\"csrf\"", NULL}},
	{"GET", "/api/v1/session", "/api/v1/session", "admin", 200, "application/json", {"\"csrf_token\"", "\"admin\"", NULL}},
	{"GET", "/api/v1/bases/{id:int}", "/api/v1/bases/10", "admin", 200, "application/json", {"\"feiyun\"", "\"total_area_m2\"", "\"levels\"", NULL}},
	{"GET", "/api/v1/users", "/api/v1/users", "admin", 200, "application/json", {"\"items\"", "\"admin\"", NULL}},
	{"GET", "/api/v1/audit", "/api/v1/audit?kind=plan", "admin", 200, "application/json", {"\"load\"", "\"total\"", NULL}},
	{"GET", "/compare", "/compare?indicator=area_added&year=2024", NULL, 200, "text/html", {"区域比较", "<svg", "塘下新区", NULL}},
	{"GET", "/competition", "/competition?period=2024-11&as_of=2024-11-30", "admin", 200, "text/html", {"六比竞赛排名", "塘下新区", "排名办法", NULL}},
	{"GET", "/competition.xlsx", "/competition.xlsx?period=2024-11&as_of=2024-11-30", "admin", 200, "application/vnd.openxmlformats", {"PK", NULL}},
	{"GET", "/api/v1/competition", "/api/v1/competition?period=2024-11&as_of=2024-11-30", "admin", 200, "application/json", {"\"rank_group\"", "\"race_funds\"", "\"text_zh\"", NULL}},
	{"GET", "/assessment", "/assessment?year=2024&as_of=2024-12-31", "admin", 200, "text/html", {"年度考核", "考核细则", "总分", NULL}},
	{"GET", "/assessment.xlsx", "/assessment.xlsx?year=2024", "admin", 200, "application/vnd.openxmlformats", {"PK", NULL}},
	{"GET", "/api/v1/assessment", "/api/v1/assessment?year=2024", "admin", 200, "application/json", {"\"score\"", "\"deduct_late\"", NULL}},
	{"GET", "/targets", "/targets", NULL, 200, "text/html", {"目标分解", "各区域合计", "全市目标（规划）", "少 "}},
	{"GET", "/progress/{indicator:indicator}", "/progress/area_added?year=2022", "admin", 200, "text/html", {"新增孵化场地面积", "示例·东新科创大孵化器", "35.55 万㎡", NULL}},
	{"GET", "/api/v1/targets", "/api/v1/targets?year=2023", NULL, 200, "application/json", {"\"sum_check\"", "\"shortfall\"", NULL}},
	{"GET", "/targets/template.xlsx", "/targets/template.xlsx", NULL, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"PK", NULL}},
	{"GET", "/targets/export.xlsx", "/targets/export.xlsx", NULL, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"PK", NULL}},
	{"GET", "/targets/import", "/targets/import", "admin", 200, "text/html", {"从 Excel 导入目标分解", "id=\"import-form\"", "data-api=\"/api/v1/targets/import\"", "/targets/template.xlsx"}},
	{"GET", "/policies", "/policies", "admin", 200, "text/html", {"支持政策", "示例文件", "专业运营补助（按年度考核等级）", "优秀 30 万元"}},
	{"GET", "/api/v1/policies", "/api/v1/policies", "admin", 200, "application/json", {"\"example\":true", "\"operating-subsidy\"", "\"per_base_year\"", NULL}},
	{"GET", "/policy-applications", "/policy-applications", "admin", 200, "text/html", {"政策申请", "示例·东新科创大孵化器", "已拨付 30 万元", NULL}},
	{"GET", "/policy-applications/new", "/policy-applications/new?measure=3&base=10&year=2024", "admin", 200, "text/html", {"可获支持 <strong id=\"entitled\">20 万元</strong>", "年度考核评价合格以上", "提交申请", NULL}},
	{"GET", "/policy-applications/{id:int}", "/policy-applications/3", "admin", 200, "text/html", {"核定理由", "按测算金额的八成三核定", "登记拨付", NULL}},
	{"GET", "/api/v1/policy-applications", "/api/v1/policy-applications?status=paid&year=2024", "admin", 200, "application/json", {"\"items\"", "\"voucher_no\"", NULL}},
	{"GET", "/api/v1/policy-applications/{id:int}", "/api/v1/policy-applications/6", "admin", 200, "application/json", {"\"status\":\"returned\"", "\"assessment\"", "考核结果通知书", NULL}},
	{"GET", "/policy-results", "/policy-results?year=2024", "admin", 200, "text/html", {"政策成效", "元/新增㎡", "专业运营补助（按年度考核等级）", "id=\"by-area\""}},
	{"GET", "/policy-results.xlsx", "/policy-results.xlsx?year=2024", "admin", 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"PK", NULL}},
	{"GET", "/api/v1/policy-results", "/api/v1/policy-results", "admin", 200, "application/json", {"\"by_measure\"", "\"yuan_per_new_m2\"", NULL}},
	{"GET", "/finance", "/finance", "admin", 200, "text/html", {"人才创业贷、人才创业险", "示例·瑞安农商银行", "示例·锦湖生物医药孵化器", "登记放款或承保"}},
	{"GET", "/api/v1/finance", "/api/v1/finance", "admin", 200, "application/json", {"\"products\"", "\"insurance\"", NULL}},
	{NULL, NULL, "/policy-results?year=2031", "admin", 400, "text/html", {"规划年份", NULL}},
	{NULL, NULL, "/api/v1/policy-applications?status=nope", "admin", 400, "application/json", {"\"bad_status\"", NULL}},
	{NULL, NULL, "/api/v1/policy-applications/999", "admin", 404, "application/json", {"没有这份申请", NULL}},
	{NULL, NULL, "/progress/nothing", "admin", 404, "text/html", {"没有这个指标", NULL}},
	{"GET", "/tasks", "/tasks?status=all", "admin", 200, "text/html", {"督查督办", "lamp red", "新建任务", NULL}},
	{"GET", "/tasks/new", "/tasks/new", "admin", 200, "text/html", {"新建任务", "牵头单位", NULL}},
	{"GET", "/tasks/{id:int}", "/tasks/12", "admin", 200, "text/html", {"督办单 第 2 轮", "lamp red", "催办（下发下一轮）", "导师名单.png"}},
	{"GET", "/supervision", "/supervision", "admin", 200, "text/html", {"督办一览", "塘下新区", "市金融工作服务中心", NULL}},
	{"GET", "/supervision.xlsx", "/supervision.xlsx", "admin", 200, "application/vnd.openxmlformats", {"PK", NULL}},
	{"GET", "/agenda", "/agenda", "admin", 200, "text/html", {"领导小组议题", "（第二次）", "汇总议题", NULL}},
	{"GET", "/agenda/{id:int}", "/agenda/2", "admin", 200, "text/html", {"逾期任务", "已逾期", "滞后指标", "协调事项"}},
	{"GET", "/attachments/{id:int}", "/attachments/1", "admin", 200, "image/png", {"PNG", NULL}},
	{"GET", "/api/v1/tasks", "/api/v1/tasks", "admin", 200, "application/json", {"\"tasks\"", "\"lamp\":\"red\"", NULL}},
	{"GET", "/api/v1/tasks/{id:int}", "/api/v1/tasks/12", "admin", 200, "application/json", {"\"supervisions\"", "\"round\":2", "\"sha256\"", NULL}},
	{"GET", "/api/v1/supervision", "/api/v1/supervision", "admin", 200, "application/json", {"\"units\"", "\"tangxia\"", NULL}},
	{"GET", "/api/v1/agendas", "/api/v1/agendas", "admin", 200, "application/json", {"\"agendas\"", "\"held\"", NULL}},
	{"GET", "/api/v1/agendas/{id:int}", "/api/v1/agendas/2", "admin", 200, "application/json", {"\"items\"", "\"figures\"", NULL}},
	{NULL, NULL, "/tasks/99999", "admin", 404, "text/html", {"没有这项任务", NULL}},
	{NULL, NULL, "/api/v1/tasks?lamp=purple", "admin", 400, "application/json", {"\"bad_lamp\"", NULL}},
	{"GET", "/evaluation", "/evaluation?rules=qigeyi", "admin", 200, "text/html", {"对照评价", "示例·东新科创大孵化器", "达标", NULL}},
	{"GET", "/bases/{id:int}/evaluation", "/bases/1/evaluation", "admin", 200, "text/html", {"七个一", "总孵化空间面积", "待核实", "温州"}},
	{"GET", "/bases/{id:int}/figures", "/bases/1/figures?year=2024", "admin", 200, "text/html", {"年度数据", "创业导师", "2024 年", NULL}},
	{"GET", "/api/v1/evaluation", "/api/v1/evaluation?rules=qigeyi", "admin", 200, "application/json", {"\"results\"", "\"qigeyi\"", NULL}},
	{"GET", "/api/v1/bases/{id:int}/evaluation", "/api/v1/bases/1/evaluation?rules=qigeyi", "admin", 200, "application/json", {"\"rule_set\":\"qigeyi\"", "\"result\":\"pass\"", "\"threshold\"", NULL}},
	{"GET", "/api/v1/bases/{id:int}/figures", "/api/v1/bases/1/figures", "admin", 200, "application/json", {"\"fields\"", "mentors", NULL}},
	{"GET", "/bases/{id:int}/recognitions", "/bases/1/recognitions", "admin", 200, "text/html", {"认定与备案", "示范大孵化器", "申请认定", NULL}},
	{"GET", "/recognitions", "/recognitions", "admin", 200, "text/html", {"认定申请", "成熟一个、备案一个", NULL}},
	{"GET", "/api/v1/recognitions", "/api/v1/recognitions", "admin", 200, "application/json", {"\"items\"", NULL}},
	{"GET", "/rules", "/rules", "admin", 200, "text/html", {"规则集", "国家级科技企业孵化器认定条件", "温州市", NULL}},
	{"GET", "/sources", "/sources", "admin", 200, "text/html", {"标准出处", "国科发区〔2018〕300号", "原文", "转述"}},
	{"GET", "/rules/{set:code}", "/rules/wenzhou-incubator-2018", "admin", 200, "text/html", {"分值", "5000", "评分标准", NULL}},
	{"GET", "/bulletins", "/bulletins", "admin", 200, "text/html", {"生成通报草稿", "瑞孵办〔2024〕11号", "已印发", NULL}},
	{"GET", "/bulletins/{id:int}", "/bulletins/1", "admin", 200, "text/html", {"关于2024年11月全市大孵化集群建设进展情况的通报", "内容校验码", "b-issuer", NULL}},
	{"GET", "/bulletins/{id:int}/edit", "/bulletins/2/edit", "admin", 200, "text/html", {"修改办公室撰写的段落", "office-1", NULL}},
	{"GET", "/bulletins/{id:int}/file/{format:code}", "/bulletins/1/file/xlsx", "admin", 200, "application/vnd.openxmlformats", {"PK", NULL}},
	{"GET", "/api/v1/bulletins", "/api/v1/bulletins", "admin", 200, "application/json", {"\"bulletins\"", "瑞孵办〔2024〕12号", NULL}},
	{"GET", "/api/v1/bulletins/{id:int}", "/api/v1/bulletins/1", "admin", 200, "application/json", {"\"content_sha256\"", "\"blocks\"", NULL}},
	{"GET", "/reports", "/reports?year=2024", "admin", 200, "text/html", {"定期填报", "镇街、功能区大孵化集群建设月报", "2024年12月", NULL}},
	{"GET", "/reports/{form:code}/{period:code}", "/reports/area-monthly/2024-12", "admin", 200, "text/html", {"完成情况", "一键催报", "开放补报", NULL}},
	{"GET", "/reports/{form:code}/{period:code}/completeness.xlsx", "/reports/area-monthly/2024-12/completeness.xlsx", "admin", 200, "application/vnd.openxmlformats", {"PK", NULL}},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}/fill.xlsx", "/reports/area-monthly/2024-12/feiyun/fill.xlsx", "admin", 200, "application/vnd.openxmlformats", {"PK", NULL}},
	{"GET", "/reports/{form:code}/{period:code}/{org:code}", "/reports/area-monthly/2024-12/feiyun", "admin", 200, "text/html", {"退回原因", "上期：", "新增人才数", NULL}},
	{"GET", "/api/v1/reports", "/api/v1/reports", "admin", 200, "application/json", {"\"forms\"", "\"area-monthly\"", "\"torch-makerspace\"", NULL}},
	{"GET", "/api/v1/reports/{form:code}/{period:code}", "/api/v1/reports/area-monthly/2024-12", "admin", 200, "application/json", {"\"expected\":25", "\"completeness\"", NULL}},
	{"GET", "/api/v1/reports/{form:code}/{period:code}/{org:code}", "/api/v1/reports/area-monthly/2024-12/feiyun", "admin", 200, "application/json", {"\"status\":\"returned\"", "\"last_values\"", NULL}},
	{"GET", "/events", "/events", "admin", 200, "text/html", {"活动与路演", "示例·大孵化集群常态化路演（第一期）", "转化率", NULL}},
	{"GET", "/events/new", "/events/new", "admin", 200, "text/html", {"登记活动", "活动类型", "主办单位", NULL}},
	{"GET", "/events/{id:int}", "/events/2", "admin", 200, "text/html", {"路演项目", "获得投资", "记录进展", NULL}},
	{"GET", "/events/{id:int}/edit", "/events/2/edit", "admin", 200, "text/html", {"修改活动", "示例·大孵化集群常态化路演（第一期）", NULL}},
	{"GET", "/roadshows", "/roadshows", "admin", 200, "text/html", {"路演转化", "带来的投资", "落地的项目", NULL}},
	{"GET", "/api/v1/events", "/api/v1/events?kind=roadshow", "admin", 200, "application/json", {"\"items\"", "\"funnel\"", "\"conversion\"", NULL}},
	{"GET", "/api/v1/events/{id:int}", "/api/v1/events/2", "admin", 200, "application/json", {"\"projects\"", "\"investment\"", "\"stage\"", NULL}},
	/* errors and refusals */
	{NULL, NULL, "/events/999999", "admin", 404, "text/html", {"没有这项活动", NULL}},
	{NULL, NULL, "/api/v1/events?kind=party", "admin", 400, "application/json", {"\"bad_kind\"", NULL}},
	{NULL, NULL, "/api/v1/events?year=abc", "admin", 400, "application/json", {"year", NULL}},
	{NULL, NULL, "/api/v1/events?area=nowhere", "admin", 400, "application/json", {"\"bad_area\"", NULL}},
	{NULL, NULL, "/events", NULL, 303, "text/plain", {"请先登录", NULL}},
	{NULL, NULL, "/areas/feiyun", NULL, 303, "text/plain", {"请先登录", NULL}},
	{NULL, NULL, "/api/v1/areas/feiyun", NULL, 401, "application/json", {"\"login_required\"", NULL}},
	{NULL, NULL, "/admin/users", NULL, 303, "text/plain", {NULL}},
	{NULL, NULL, "/bases/999999", "admin", 404, "text/html", {"没有这条记录", NULL}},
	{NULL, NULL, "/admin/audit?since=2024-13-01", "admin", 400, "text/html", {"年-月-日", NULL}},
	{NULL, NULL, "/nope", NULL, 404, "text/html", {"页面不存在", NULL}},
	{NULL, NULL, "/areas/nowhere", "admin", 404, "text/html", {"没有这个区域", NULL}},
	{NULL, NULL, "/api/v1/nope", NULL, 404, "application/json", {"\"error\"", "\"not_found\"", NULL}},
	{NULL, NULL, "/api/v1/areas/nowhere", "admin", 404, "application/json", {"\"unknown_area\"", NULL}},
	{NULL, NULL, "/api/v1/progress?year=2030", NULL, 400, "application/json", {"\"bad_year\"", "2022", NULL}},
	{NULL, NULL, "/api/v1/progress?as_of=2023-02-30", NULL, 400, "application/json", {"\"bad_as_of\"", "年-月-日", NULL}},
	{NULL, NULL, "/api/v1/progress?area=nowhere", NULL, 400, "application/json", {"\"unknown_area\"", NULL}},
	{NULL, NULL, "/?year=abc", NULL, 400, "text/html", {"year", NULL}},
	{NULL, NULL, "/static/missing.css", NULL, 404, "text/html", {NULL}},
	{NULL, NULL, "/api/v1/reports/nope/2024-12/feiyun", "admin", 404, "application/json", {"\"not_found\"", "没有这张报表", NULL}},
	{NULL, NULL, "/api/v1/reports/area-monthly/2024-13/feiyun", "admin", 404, "application/json", {"2024-11", NULL}},
	{NULL, NULL, "/reports/area-monthly/2024-12/base-10", "admin", 404, "text/html", {"由镇街、功能区填报", NULL}},
	{NULL, NULL, "/api/v1/reports/area-monthly/2024-12?area=nowhere", "admin", 400, "application/json", {"\"bad_area\"", NULL}},
};

static int setup(void **state)
{
	server_start(&srv, NULL);
	if (http_login(srv.port, "admin", TEST_ADMIN_PASSWORD, &admin) != 0) {
		fprintf(stderr, "cannot log in as admin (status %d)\n", admin.status);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	return 0;
}

static Response get(const char *path, const char *headers)
{
	Response r;
	assert_int_equal(http_request(srv.port, "GET", path, headers, NULL, 0, &r), 0);
	return r;
}

static void test_every_case(void **state)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const RouteCase *c = &cases[i];
		Response r;
		assert_int_equal(http_as(srv.port, c->as ? &admin : NULL, "GET", c->path, NULL, &r), 0);
		char *ct = response_header(&r, "Content-Type");
		if (r.status != c->status || !ct || strncmp(ct, c->ctype, strlen(c->ctype)) != 0)
			fail_msg("%s: status %d content-type %s, want %d %s", c->path, r.status, ct ? ct : "(none)", c->status,
			         c->ctype);
		for (int k = 0; k < 4 && c->contains[k]; k++)
			if (!strstr(r.body, c->contains[k]))
				fail_msg("%s: body lacks \"%s\"", c->path, c->contains[k]);
		free(ct);
		response_free(&r);
	}
}

/* Every GET route of the server has a case above: a new page without a test
 * fails here (tests/http/test_authz.c covers every route for every role). */
static void test_route_table_covered(void **state)
{
	for (int i = 0; i < route_count; i++) {
		if (strcmp(routes[i].method, "GET") != 0)
			continue;
		/* The registry's kinds share their pages: a case for /bases/... covers
		 * /funds/... too (test_registry_kinds visits each). */
		char pat[128];
		snprintf(pat, sizeof pat, "%s", routes[i].pattern);
		if (routes[i].kind) {
			const char *kn = routes[i].kind->name;
			char *at = strstr(pat, kn);
			if (at) {
				char rest[128];
				snprintf(rest, sizeof rest, "%s", at + strlen(kn));
				snprintf(at, sizeof pat - (size_t)(at - pat), "bases%s", rest);
			}
		}
		int found = 0;
		for (size_t k = 0; k < sizeof cases / sizeof cases[0] && !found; k++)
			found = cases[k].pattern && strcmp(cases[k].pattern, pat) == 0 &&
			        strcmp(cases[k].method, routes[i].method) == 0;
		if (!found)
			fail_msg("route %s %s has no case in tests/http/test_http.c", routes[i].method, routes[i].pattern);
	}
}

static json_t *get_json_as(const char *path)
{
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	response_free(&r);
	assert_non_null(j);
	return j;
}

static json_t *get_json(const char *path)
{
	Response r = get(path, NULL);
	assert_int_equal(r.status, 200);
	json_error_t e;
	json_t *j = json_loads(r.body, 0, &e);
	response_free(&r);
	assert_non_null(j);
	return j;
}

/* The plan as the API returns it: 25 areas, 15 targets, exactly as stated. */
static void test_api_plan_targets(void **state)
{
	json_t *plan = get_json("/api/v1/plan");
	assert_int_equal(json_array_size(json_object_get(plan, "areas")), 25);
	json_t *targets = json_object_get(plan, "targets");
	assert_int_equal(json_array_size(targets), 15);
	int seen_area_2024 = 0, seen_ops_2024 = 0, seen_national_2022 = 0;
	size_t i;
	json_t *t;
	json_array_foreach(targets, i, t) {
		const char *ind = json_string_value(json_object_get(t, "indicator"));
		int year = (int)json_integer_value(json_object_get(t, "year"));
		double v = json_number_value(json_object_get(t, "value"));
		if (strcmp(ind, "area_added") == 0 && year == 2024) {
			seen_area_2024 = 1;
			assert_true(v == 1000000);
		}
		if (strcmp(ind, "operators") == 0 && year == 2024)
			seen_ops_2024 = 1;
		if (strcmp(ind, "national") == 0 && year == 2022)
			seen_national_2022 = 1;
	}
	assert_true(seen_area_2024);
	assert_false(seen_ops_2024);      /* not stated: absent, not zero */
	assert_false(seen_national_2022);
	json_decref(plan);
}

/* The progress API agrees with the records, and as_of moves the window. */
static void test_api_progress_matches_records(void **state)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT sum(c.total_delta_m2) FROM base_area_change c JOIN base b ON b.id = c.base_id "
		"WHERE b.review_status = 'approved' AND c.changed_on BETWEEN '2022-01-01' AND ?1", -1, &st, NULL), SQLITE_OK);
	const char *ends[] = {"2023-12-31", "2022-06-30"};
	const char *paths[] = {"/api/v1/progress?year=2023", "/api/v1/progress?year=2022&as_of=2022-06-30"};
	for (int k = 0; k < 2; k++) {
		sqlite3_bind_text(st, 1, ends[k], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		double want = sqlite3_column_double(st, 0);
		sqlite3_reset(st);
		json_t *j = get_json(paths[k]);
		assert_string_equal(json_string_value(json_object_get(j, "to")), ends[k]);
		size_t i;
		json_t *x;
		int found = 0;
		json_array_foreach(json_object_get(j, "indicators"), i, x) {
			if (strcmp(json_string_value(json_object_get(x, "indicator")), "area_added") != 0)
				continue;
			found = 1;
			assert_true(json_number_value(json_object_get(x, "actual")) == want);
			assert_non_null(json_string_value(json_object_get(x, "status")));
		}
		assert_true(found);
		json_decref(j);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* An area's progress counts only its own records. */
static void test_api_progress_area(void **state)
{
	json_t *city = get_json("/api/v1/progress?year=2024");
	json_t *area = get_json("/api/v1/progress?year=2024&area=feiyun");
	assert_string_equal(json_string_value(json_object_get(area, "scope")), "feiyun");
	double c = json_number_value(json_object_get(json_array_get(json_object_get(city, "indicators"), 1), "actual"));
	double a = json_number_value(json_object_get(json_array_get(json_object_get(area, "indicators"), 1), "actual"));
	assert_true(a > 0 && a < c);
	json_decref(city);
	json_decref(area);
}

/* Stored values come back escaped on pages and intact in JSON. */
static void test_escaping_of_stored_names(void **state)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO base(name, kind, area, leading_industry, total_area_m2, created_at, updated_at) VALUES "
		"('<script>alert(\"x\")</script>&''q', 'incubator', 'xianjiang', '<b>bold</b>', 10, 'now', 'now')",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/areas/xianjiang", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;q"));
	assert_null(strstr(r.body, "<script>alert"));
	assert_non_null(strstr(r.body, "&lt;b&gt;bold&lt;/b&gt;"));
	response_free(&r);
	Response jr;
	assert_int_equal(http_as(srv.port, &admin, "GET", "/api/v1/areas/xianjiang", NULL, &jr), 0);
	json_error_t err;
	json_t *j = json_loads(jr.body, 0, &err);
	response_free(&jr);
	assert_non_null(j);
	int found = 0;
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(j, "bases"), i, b)
		found |= strcmp(json_string_value(json_object_get(b, "name")), "<script>alert(\"x\")</script>&'q") == 0;
	assert_true(found);
	json_decref(j);
}

/* CSP allows scripts from our own files only (no inline script, no
 * nonce: a kept page stays valid), and the other security headers. */
static void test_security_headers(void **state)
{
	Response r = get("/", NULL);
	char *csp = response_header(&r, "Content-Security-Policy");
	char *nosniff = response_header(&r, "X-Content-Type-Options");
	char *ref = response_header(&r, "Referrer-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_non_null(strstr(csp, "script-src 'self';"));
	assert_null(strstr(csp, "unsafe-inline"));
	assert_null(strstr(csp, "nonce"));
	assert_non_null(strstr(r.body, "<script src=\"/static/app.js?v="));
	assert_string_equal(nosniff, "nosniff");
	assert_string_equal(ref, "same-origin");
	Response r2 = get("/", NULL);
	char *csp2 = response_header(&r2, "Content-Security-Policy");
	assert_string_equal(csp, csp2);
	free(csp);
	free(csp2);
	free(nosniff);
	free(ref);
	response_free(&r);
	response_free(&r2);
}

static void test_gzip(void **state)
{
	Response r = get("/plan", "Accept-Encoding: gzip, deflate\r\n");
	assert_int_equal(r.status, 200);
	assert_true(r.gzipped);
	assert_non_null(strstr(r.body, "七个一"));
	response_free(&r);
	Response plain = get("/plan", NULL);
	assert_false(plain.gzipped);
	response_free(&plain);
}

static void test_static_cache(void **state)
{
	Response r = get("/static/style.css", NULL);
	char *etag = response_header(&r, "ETag");
	char *cc = response_header(&r, "Cache-Control");
	assert_non_null(etag);
	assert_non_null(strstr(cc, "max-age"));
	char hdr[128];
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
	Response r2 = get("/static/style.css", hdr);
	assert_int_equal(r2.status, 304);
	assert_int_equal(r2.body_len, 0);
	free(etag);
	free(cc);
	response_free(&r);
	response_free(&r2);
}

static void test_method_not_allowed(void **state)
{
	Response r;
	assert_int_equal(http_as(srv.port, &admin, "POST", "/api/v1/areas", "{}", &r), 0);
	assert_int_equal(r.status, 405);
	char *allow = response_header(&r, "Allow");
	assert_non_null(allow);
	assert_non_null(strstr(allow, "GET"));
	assert_non_null(strstr(r.body, "method_not_allowed"));
	free(allow);
	response_free(&r);
}

static void test_body_too_large(void **state)
{
	Response r;
	/* Announce 100 MB; the server refuses from the header without reading it. */
	assert_int_equal(http_request(srv.port, "POST", "/api/v1/areas", "Content-Length: 104857600\r\n", NULL, 0, &r), 0);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "body_too_large"));
	response_free(&r);
}

static void test_header_too_large(void **state)
{
	size_t n = 64 * 1024;
	char *big = malloc(n + 32);
	strcpy(big, "X-Big: ");
	memset(big + 7, 'a', n);
	strcpy(big + 7 + n, "\r\n");
	Response r;
	int rc = http_request(srv.port, "GET", "/", big, NULL, 0, &r);
	free(big);
	assert_int_equal(rc, 0);
	assert_true(r.status == 431 || r.status == 413 || r.status == 400);
	response_free(&r);
	/* and the server still answers */
	Response ok = get("/healthz", NULL);
	assert_int_equal(ok.status, 200);
	response_free(&ok);
}

/* Two requests on one connection: keep-alive holds. */
static void test_keep_alive(void **state)
{
	int fd = http_connect(srv.port);
	assert_true(fd >= 0);
	for (int i = 0; i < 2; i++) {
		char req[128];
		int n = snprintf(req, sizeof req, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
		assert_int_equal(write(fd, req, (size_t)n), n);
		Response r;
		assert_int_equal(http_read_response(fd, &r), 0);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.body, "ok");
		response_free(&r);
	}
	close(fd);
}

/* A server limited to one connection answers a second one with 503. */
static void test_connection_limit(void **state)
{
	TestServer small;
	const char *args[] = {"--max-connections", "1", NULL};
	server_start(&small, args);
	int idle = http_connect(small.port);
	assert_true(idle >= 0);
	usleep(100 * 1000);
	Response r;
	assert_int_equal(http_request(small.port, "GET", "/api/v1/areas", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 503);
	char *ra = response_header(&r, "Retry-After");
	assert_non_null(ra);
	free(ra);
	response_free(&r);
	close(idle);
	assert_int_equal(server_stop(&small), 0);
}

/* SIGTERM stops the server cleanly, with exit status 0. */
static void test_clean_stop(void **state)
{
	TestServer t;
	server_start(&t, NULL);
	Response r;
	assert_int_equal(http_request(t.port, "GET", "/", NULL, NULL, 0, &r), 0);
	response_free(&r);
	assert_int_equal(server_stop(&t), 0);
}

/* Every kind's list, form, record and API answer, with what they must show. */
static void test_registry_kinds(void **state)
{
	static const struct {
		const char *kind, *label, *record_shows;
	} kinds[] = {
		{"bases", "孵化基地", "面积变化"}, {"operators", "运营机构", "运营的孵化基地"}, {"funds", "基金", "规模（元）"},
		{"investments", "基金投资", "基金编号"}, {"projects", "科创项目（团队）", "落地日期"}, {"firms", "在孵企业", "统一社会信用代码"},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char path[96];
		const char *suffix[] = {"", "/new", "/1", "/1/edit"};
		const char *shows[] = {"共 <strong id=\"total\">", "登记", kinds[i].record_shows, "name=\"csrf\""};
		for (int k = 0; k < 4; k++) {
			snprintf(path, sizeof path, "/%s%s", kinds[i].kind, suffix[k]);
			Response r;
			assert_int_equal(http_as(srv.port, &admin, "GET", path, NULL, &r), 0);
			if (r.status != 200 || !strstr(r.body, kinds[i].label) || !strstr(r.body, shows[k]))
				fail_msg("%s: status %d, or lacks \"%s\" / \"%s\"", path, r.status, kinds[i].label, shows[k]);
			response_free(&r);
		}
		snprintf(path, sizeof path, "/api/v1/%s?limit=1", kinds[i].kind);
		json_t *j = get_json_as(path);
		assert_true(json_integer_value(json_object_get(j, "total")) > 0);
		assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
		json_decref(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_table_covered),
		cmocka_unit_test(test_every_case),
		cmocka_unit_test(test_api_plan_targets),
		cmocka_unit_test(test_api_progress_matches_records),
		cmocka_unit_test(test_api_progress_area),
		cmocka_unit_test(test_escaping_of_stored_names),
		cmocka_unit_test(test_security_headers),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_static_cache),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_body_too_large),
		cmocka_unit_test(test_header_too_large),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_connection_limit),
		cmocka_unit_test(test_clean_stop),
		cmocka_unit_test(test_registry_kinds),
	};
	return cmocka_run_group_tests_name("http", tests, setup, teardown);
}
