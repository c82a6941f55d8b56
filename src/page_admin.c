/*
 * page_admin.c — the office's administration: users (add, disable, reset a
 * password, end sessions), the active sessions, and the audit trail; the
 * pages under /admin and their API (/api/v1/users, /api/v1/audit).
 * Every route here is admin-only (routes.c); every change is audited.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "page.h"
#include "page_records.h"
#include "events.h"
#include "policy.h"
#include "session.h"
#include "store_admin.h"
#include "tasks.h"
#include "users.h"

static const char *scope_label(Req *r, const User *u)
{
	if (!u->scope)
		return "—";
	if (strcmp(u->role, "area") == 0)
		return area_name(r->plan, u->scope);
	if (strcmp(u->role, "department") == 0)
		return department_name(r->plan, u->scope);
	long long id = 0;
	const char *j = parse_int(u->scope, 1, LLONG_MAX, &id) ? store_record_json(r->store, &r->arena, "bases", id) : NULL;
	json_t *rec = j ? json_loads(j, 0, NULL) : NULL;
	const char *name = rec ? json_string_value(json_object_get(rec, "name")) : NULL;
	const char *out = name ? arena_strdup(&r->arena, name) : "孵化基地（已删除）";
	json_decref(rec);
	return out;
}

static void fmt_epoch(long long t, char out[20])
{
	time_t tt = (time_t)t + 8 * 3600; /* shown in China Standard Time */
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}

/* The list of users and the form to add one (values kept on error). */
static void users_page(Req *r, int status, const char *error, const char *field, const char *created_name,
                       const char *generated)
{
	User *u;
	int n = store_users(r->store, &r->arena, &u);
	if (n < 0) {
		http_error(r, 500, "store_error", "用户数据读取失败，请稍后再试。");
		return;
	}
	r->status = status;
	Buf *b = &r->out;
	page_begin(r, "用户管理", "users");
	html_printf(b, "<h1>用户管理</h1>\n");
	if (generated)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">已创建用户 <strong>%h</strong>，初始密码 "
		               "<code class=\"secret\">%h</code>（只显示这一次，请当面或电话告知；首次登录须修改）。</p>\n",
		            created_name, generated);
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"users\"><thead><tr><th scope=\"col\">用户名</th>"
	               "<th scope=\"col\">角色</th><th scope=\"col\">范围</th><th scope=\"col\">状态</th>"
	               "<th scope=\"col\">最近登录</th></tr></thead><tbody>");
	for (int i = 0; i < n; i++)
		html_printf(b, "<tr><th scope=\"row\"><a href=\"/admin/users/%lld\">%h</a></th><td>%h</td><td>%h</td>"
		               "<td>%s</td><td>%h</td></tr>",
		            u[i].id, u[i].name, role_zh(role_from_code(u[i].role)), scope_label(r, &u[i]),
		            u[i].disabled ? "已停用" : u[i].must_change ? "待改初始密码" : "正常",
		            u[i].last_login_at ? fmt_time(&r->arena, u[i].last_login_at) : "—");
	html_printf(b, "</tbody></table></div>\n<h2>添加用户</h2>\n<form method=\"post\" action=\"/admin/users\" class=\"card\">");
	form_csrf(r);
#define ERR_FOR(f) (field && strcmp(field, f) == 0 ? error : NULL)
	form_input(r, "name", "用户名", "text", created_name ? NULL : req_form(r, "name"), ERR_FOR("name"), " required");
	const char *role = created_name ? NULL : req_form(r, "role");
	const char *re = ERR_FOR("role");
	html_printf(b, "<div class=\"field%s\"><label for=\"f-role\">角色</label><select id=\"f-role\" name=\"role\">",
	            re ? " has-error" : "");
	static const char *const roles[] = {"area", "department", "base", "viewer", "admin"};
	for (size_t i = 0; i < ARRAY_LEN(roles); i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", roles[i], role && strcmp(role, roles[i]) == 0 ? " selected" : "",
		            role_zh(role_from_code(roles[i])));
	html_printf(b, "</select>");
	if (re)
		html_printf(b, "<p class=\"field-error\">%h</p>", re);
	html_printf(b, "</div>");
	/* the scope chosen by name: areas by their group, departments, bases */
	const char *scope = created_name ? NULL : req_form(r, "scope"), *se = ERR_FOR("scope");
#undef ERR_FOR
	const Plan *p = r->plan;
	html_printf(b, "<div class=\"field%s\"><label for=\"f-scope\">范围</label><select id=\"f-scope\" name=\"scope\"%s>"
	               "<option value=\"\">（不限：管理员、领导小组）</option>",
	            se ? " has-error" : "", se ? " aria-invalid=\"true\" aria-describedby=\"e-scope\"" : "");
#define SEL(code) (scope && strcmp(scope, code) == 0 ? " selected" : "")
	for (int g = 0; g < p->ngroups; g++) {
		html_printf(b, "<optgroup label=\"%h\">", p->groups[g].name);
		for (int i = 0; i < p->nareas; i++)
			if (p->areas[i].group && strcmp(p->areas[i].group, p->groups[g].code) == 0)
				html_printf(b, "<option value=\"%h\"%s>%h</option>", p->areas[i].code, SAFE_HTML(SEL(p->areas[i].code)), p->areas[i].name);
		html_printf(b, "</optgroup>");
	}
	html_printf(b, "<optgroup label=\"市直部门\">");
	for (int i = 0; i < p->ndepartments; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", p->departments[i].code, SAFE_HTML(SEL(p->departments[i].code)),
		            p->departments[i].name);
	html_printf(b, "</optgroup>");
	RecordFilter bf = {.limit = 1000, .sort = "name"};
	const char **rows;
	long long total;
	int nb = store_record_list(r->store, &r->arena, "bases", &bf, &rows, &total);
	if (nb > 0) {
		html_printf(b, "<optgroup label=\"孵化基地（运营机构账号）\">");
		for (int i = 0; i < nb; i++) {
			json_t *j = json_loads(rows[i], 0, NULL);
			const char *id = j ? arena_printf(&r->arena, "%lld", (long long)json_integer_value(json_object_get(j, "id"))) : "";
			const char *nm = j ? json_string_value(json_object_get(j, "name")) : NULL;
			if (nm)
				html_printf(b, "<option value=\"%h\"%s>%h</option>", id, SAFE_HTML(SEL(id)), nm);
			json_decref(j);
		}
		html_printf(b, "</optgroup>");
	}
#undef SEL
	html_printf(b, "</select><p class=\"hint\">镇街、功能区填报员选其区域；市直部门账号选部门；运营机构账号选其孵化基地。</p>");
	if (se)
		html_printf(b, "<p class=\"field-error\" id=\"e-scope\">%h</p>", se);
	html_printf(b, "</div>");
	html_printf(b, "<button type=\"submit\">添加并生成初始密码</button></form>\n");
	page_end(r);
}

/* WEBPAGE: GET /admin/users */
void page_users(Req *r)
{
	users_page(r, 200, NULL, NULL, NULL, NULL);
}

/* WEBPAGE: POST /admin/users */
void page_users_post(Req *r)
{
	const char *name = req_form(r, "name"), *role = req_form(r, "role"), *scope = req_form(r, "scope");
	const char *field = NULL;
	char generated[USER_GENERATED_LEN];
	Actor who = req_actor(r);
	DomResult res = users_add(r->store, &who, name, role, scope, generated, NULL, &field);
	if (res.code == DOM_INVALID) {
		users_page(r, 400, res.message, field, NULL, NULL);
		return;
	}
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	users_page(r, 200, NULL, NULL, name, generated);
}

static int load_user(Req *r, User *u)
{
	int found = store_user_by_id(r->store, &r->arena, req_param_int(r, "id"), u);
	if (found < 0)
		http_error(r, 500, "store_error", "用户数据读取失败，请稍后再试。");
	else if (!found)
		http_error(r, 404, "not_found", "没有这个用户。");
	return found == 1;
}

/* WEBPAGE: GET /admin/users/{id} */
static void user_page(Req *r, const User *u, const char *notice)
{
	Buf *b = &r->out;
	page_begin(r, u->name, "users");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/admin/users\">用户管理</a> › %h</p><h1>%h</h1>\n", u->name, u->name);
	if (notice)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%s</p>\n", SAFE_HTML(notice)); /* built with %h by callers */
	html_printf(b, "<dl class=\"facts\"><dt>角色</dt><dd>%h</dd><dt>范围</dt><dd>%h</dd><dt>状态</dt><dd>%s</dd>"
	               "<dt>创建</dt><dd>%h</dd><dt>最近登录</dt><dd>%h</dd></dl>\n",
	            role_zh(role_from_code(u->role)), scope_label(r, u), u->disabled ? "已停用" : "正常", fmt_time(&r->arena, u->created_at),
	            u->last_login_at ? fmt_time(&r->arena, u->last_login_at) : "—");
	static const struct {
		const char *action, *label;
	} actions[] = {{"reset_password", "重置密码"}, {"end_sessions", "结束全部会话"}};
	for (size_t i = 0; i < ARRAY_LEN(actions); i++) {
		html_printf(b, "<form method=\"post\" action=\"/admin/users/%lld\" class=\"inline\">", u->id);
		form_csrf(r);
		html_printf(b, "<input type=\"hidden\" name=\"action\" value=\"%h\"><button type=\"submit\">%h</button></form>\n",
		            actions[i].action, actions[i].label);
	}
	html_printf(b, "<form method=\"post\" action=\"/admin/users/%lld\" class=\"inline\">", u->id);
	form_csrf(r);
	html_printf(b, "<input type=\"hidden\" name=\"action\" value=\"%s\"><button type=\"submit\" class=\"%s\">%s</button></form>\n",
	            u->disabled ? "enable" : "disable", u->disabled ? "" : "danger", u->disabled ? "启用账号" : "停用账号");
	html_printf(b, "<p><a href=\"/admin/audit?kind=user&amp;id=%lld\">查看该账号的变更记录</a></p>\n", u->id);
	page_end(r);
}

void page_user(Req *r)
{
	User u;
	if (load_user(r, &u))
		user_page(r, &u, NULL);
}

/* WEBPAGE: POST /admin/users/{id} — action=reset_password|end_sessions|disable|enable */
void page_user_post(Req *r)
{
	User u;
	if (!load_user(r, &u))
		return;
	const char *action = req_form(r, "action");
	char generated[USER_GENERATED_LEN];
	Buf notice = {0};
	Actor who = req_actor(r);
	DomResult res;
	if (action && strcmp(action, "reset_password") == 0) {
		res = users_reset_password(r->store, &who, u.id, generated);
		if (res.code == DOM_OK)
			html_printf(&notice, "已重置密码，新初始密码 <code class=\"secret\">%h</code>（只显示这一次），该用户的会话已结束。", generated);
	} else if (action && strcmp(action, "end_sessions") == 0) {
		int n = 0;
		res = users_end_sessions(r->store, &who, u.id, &n);
		html_printf(&notice, "已结束 %d 个会话。", n);
	} else if (action && (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0)) {
		int dis = strcmp(action, "disable") == 0;
		res = users_set_disabled(r->store, &who, u.id, dis);
		html_printf(&notice, "%s", dis ? "账号已停用，其会话已结束。" : "账号已启用。");
	} else {
		res = dom_result(DOM_INVALID, "bad_action", "未知的操作。");
	}
	if (res.code != DOM_OK) {
		buf_free(&notice);
		page_refuse(r, res);
		return;
	}
	store_user_by_id(r->store, &r->arena, u.id, &u);
	user_page(r, &u, arena_strdup(&r->arena, buf_str(&notice)));
	buf_free(&notice);
}

/* WEBPAGE: GET /admin/sessions */
void page_sessions(Req *r)
{
	Session *s;
	int n = store_sessions(r->store, &r->arena, &s);
	if (n < 0) {
		http_error(r, 500, "store_error", "会话数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "在线会话", "sessions");
	html_printf(b, "<h1>在线会话</h1><p class=\"lead\">空闲 %d 小时或登录 %d 小时后会话自动结束。</p>\n"
	               "<div class=\"table-wrap\"><table class=\"data\" id=\"sessions\"><thead><tr><th scope=\"col\">用户</th>"
	               "<th scope=\"col\">角色</th><th scope=\"col\">来源地址</th><th scope=\"col\">登录</th>"
	               "<th scope=\"col\">最近活动</th><th scope=\"col\">操作</th></tr></thead><tbody>",
	            SESSION_IDLE_SECONDS / 3600, SESSION_ABSOLUTE_SECONDS / 3600);
	for (int i = 0; i < n; i++) {
		char c[20], l[20];
		fmt_epoch(s[i].created_at, c);
		fmt_epoch(s[i].last_seen, l);
		html_printf(b, "<tr><th scope=\"row\"><a href=\"/admin/users/%lld\">%h</a></th><td>%h</td><td>%h</td><td>%h</td>"
		               "<td>%h</td><td><form method=\"post\" action=\"/admin/users/%lld\" class=\"inline\">",
		            s[i].user.id, s[i].user.name, role_zh(role_from_code(s[i].user.role)), s[i].addr ? s[i].addr : "",
		            c, l, s[i].user.id);
		form_csrf(r);
		html_printf(b, "<input type=\"hidden\" name=\"action\" value=\"end_sessions\"><button type=\"submit\">结束该用户会话</button>"
		               "</form></td></tr>");
	}
	html_printf(b, "</tbody></table></div>\n");
	page_end(r);
}

/* Reads the audit filters from the query; answers 400 on a bad date. */
static int audit_filter(Req *r, AuditFilter *f)
{
	memset(f, 0, sizeof *f);
	f->user = req_query(r, "user");
	f->kind = req_query(r, "kind");
	f->record_id = req_query(r, "id");
	const char **all[] = {&f->user, &f->kind, &f->record_id};
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		if (*all[i] && !**all[i])
			*all[i] = NULL;
	if (!req_query_date(r, "since", NULL, &f->since) || !req_query_date(r, "until", NULL, &f->until))
		return 0;
	if (!req_paging(r, 50, &f->limit, &f->offset, NULL))
		return 0;
	return 1;
}

/* The audit trail in words (UI.md: no table names or JSON on a page):
 * operations and record kinds in Chinese, the record by its name. */
static const struct {
	const char *code, *zh;
} audit_actions[] = {
	{"create", "新建"}, {"update", "修改"}, {"delete", "删除"}, {"propose", "提交修改"}, {"approve", "审核通过"},
	{"return", "退回"}, {"apply", "提出申请"}, {"endorse", "推荐"}, {"file", "备案"}, {"verdict", "评价结论"},
	{"load", "载入"}, {"login", "登录"}, {"logout", "退出登录"}, {"reset_password", "重置密码"},
	{"end_sessions", "结束会话"}, {"disable", "停用账号"}, {"enable", "启用账号"}, {"rehash", "更新密码存储"},
	{"restore", "恢复备份"}, {"import", "导入"},
	{"register", "登记报名项目"}, {"step_presented", "记录路演"}, {"step_interest", "记录投资意向"},
	{"step_diligence", "记录尽职调查"}, {"step_invested", "记录获得投资"}, {"step_settled", "记录落地入驻"},
	{"step_dropped", "记录终止"},
	{"bulletin_make", "生成通报草稿"}, {"bulletin_edit", "修改通报段落"}, {"bulletin_refresh", "重新生成通报"},
	{"bulletin_publish", "印发通报"}, {"bulletin_delete", "删除通报草稿"},
	{"pay", "登记拨付"}, {"resubmit", "重新提交"}, {"attach", "上传证明材料"},
	{"save", "保存草稿"}, {"submit", "报送"}, {"accept", "确认"}, {"unlock_request", "申请解锁"},
	{"unlock", "同意解锁"}, {"exception", "开放补报"}, {"remind", "催报催办"},
	{"milestone", "添加节点"}, {"milestone_done", "节点完成"}, {"set", "调整任务"}, {"issue", "下发督办单"},
	{"sign", "签收"}, {"answer", "反馈"}, {"press", "催办"}, {"draft", "汇总议题"}, {"decide", "议定事项"},
	{"held", "会议召开"}, {"followup", "交办后续任务"}, {"test", "测试推送"}, {"rebuild", "重算汇总"},
}, audit_kinds[] = {
	{"user", "用户账号"}, {"session", "登录会话"}, {"plan", "规划"}, {"targets", "目标分解"}, {"rule_sets", "规则集"},
	{"rule_verdicts", "评价结论"}, {"recognitions", "认定申请"}, {"base_figures", "年度数据"}, {"database", "数据库"},
	{"demo", "示例数据"}, {"synthetic", "生成数据"}, {"bulletin", "通报"}, {"events", "活动"}, {"event_projects", "路演项目"},
	{"policies", "支持政策"}, {"policy_applications", "政策申请"}, {"finance_products", "金融产品"},
	{"finance_grants", "贷款和保险发放"}, {"attachments", "证明材料"},
	{"reports", "填报"}, {"tasks", "任务"}, {"supervisions", "督办单"}, {"agendas", "领导小组议题"},
	{"settings", "系统设置"}, {"totals", "汇总数据"},
};

static const char *audit_action_zh(const char *code)
{
	for (size_t i = 0; code && i < ARRAY_LEN(audit_actions); i++)
		if (strcmp(audit_actions[i].code, code) == 0)
			return audit_actions[i].zh;
	return "其他操作";
}

static const char *audit_kind_zh(const char *code)
{
	const Kind *k = kind_by_name(code);
	if (k)
		return k->label;
	for (size_t i = 0; code && i < ARRAY_LEN(audit_kinds); i++)
		if (strcmp(audit_kinds[i].code, code) == 0)
			return audit_kinds[i].zh;
	return "记录";
}

/* The name a record's JSON gives it (name, investee, or the user's name). */
static const char *audit_record_name(Req *r, const AuditRow *x)
{
	const char *texts[2] = {x->after_json, x->before_json};
	for (int i = 0; i < 2; i++) {
		json_t *j = texts[i] ? json_loads(texts[i], 0, NULL) : NULL;
		const char *n = j ? json_string_value(json_object_get(j, "name")) : NULL;
		if (!n && j)
			n = json_string_value(json_object_get(j, "investee"));
		const char *out = n ? arena_strdup(&r->arena, n) : NULL;
		json_decref(j);
		if (out)
			return out;
	}
	if (x->record_kind && strcmp(x->record_kind, "user") == 0 && x->record_id)
		return x->record_id; /* user rows are keyed by the user's name */
	return NULL;
}

/* "审核通过 · 孵化基地「示例·南滨科创园」"; an application for policy support is 核定, not 审核通过 */
static const char *audit_what(Req *r, const AuditRow *x)
{
	const char *name = audit_record_name(r, x);
	int policy = x->record_kind && !strcmp(x->record_kind, "policy_applications");
	const char *act = policy && x->action && !strcmp(x->action, "approve") ? "核定" : audit_action_zh(x->action);
	return arena_printf(&r->arena, "%s · %s%s%s%s", act, audit_kind_zh(x->record_kind), name ? "「" : "", name ? name : "",
	                    name ? "」" : "");
}

/* A value of an application's audit row in words ("" when absent). */
static const char *policy_value(Req *r, json_t *j, const char *key, char type)
{
	json_t *v = j ? json_object_get(j, key) : NULL;
	if (!v || json_is_null(v))
		return "";
	if (type == 'm' && json_is_number(v))
		return fmt_money(&r->arena, json_number_value(v));
	if (type == 's' && json_is_string(v))
		return policy_status_zh(json_string_value(v));
	if (type == 'n' && json_is_integer(v))
		return arena_printf(&r->arena, "%lld 个", (long long)json_integer_value(v));
	if (json_is_string(v))
		return arena_strdup(&r->arena, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(&r->arena, "%lld", (long long)json_integer_value(v));
	return "";
}

/* What a step of an application for policy support changed:
 * "状态：已申请，待区域推荐 → 区域已推荐，待市专班核定；核定金额：15 万元". */
static const char *policy_change(Req *r, const AuditRow *x)
{
	static const struct {
		const char *key, *zh;
		char type;
	} fields[] = {
		{"year", "年度", 'i'}, {"status", "状态", 's'}, {"claim_yuan", "申报金额", 'm'}, {"entitled_yuan", "测算金额", 'm'},
		{"approved_yuan", "核定金额", 'm'}, {"approve_reason", "核定理由", 't'}, {"paid_yuan", "拨付金额", 'm'},
		{"paid_on", "拨付日期", 't'}, {"voucher_no", "凭证号", 't'}, {"return_reason", "退回原因", 't'},
		{"attachments", "证明材料", 'n'},
	};
	json_t *b = x->before_json ? json_loads(x->before_json, 0, NULL) : NULL;
	json_t *a = x->after_json ? json_loads(x->after_json, 0, NULL) : NULL;
	Buf out = {0};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
		const char *was = policy_value(r, b, fields[i].key, fields[i].type);
		const char *now = policy_value(r, a, fields[i].key, fields[i].type);
		if (!strcmp(was, now))
			continue;
		if (*was)
			buf_printf(&out, "%s%s：%s → %s", out.len ? "；" : "", fields[i].zh, was, *now ? now : "（无）");
		else
			buf_printf(&out, "%s%s：%s", out.len ? "；" : "", fields[i].zh, now);
	}
	json_t *file = a ? json_object_get(a, "file") : NULL;
	const char *fname = json_is_object(file) ? json_string_value(json_object_get(file, "name")) : NULL;
	if (fname)
		buf_printf(&out, "%s文件“%s”", out.len ? "；" : "", fname);
	json_decref(b);
	json_decref(a);
	const char *t = arena_strdup(&r->arena, out.len ? buf_str(&out) : "（内容未变）");
	buf_free(&out);
	return t;
}

/* What changed, for people: a registry record's fields that differ. */
/* The work system's rows (tasks, 督办单, agendas, events) in words: the
 * fields people wrote, and a 督办单's or an event's status, as
 * "名称：前 → 后" when both sides have it, else "名称：后". Unit codes and
 * other codes stay out (they are shown on the record's own page). */
static const char *work_change(Req *r, const AuditRow *x)
{
	static const struct {
		const char *key, *zh;
	} fields[] = {{"status", "状态"}, {"title", "标题"}, {"demand", "督办事项"}, {"due_on", "办理时限"},
	              {"answer", "反馈"}, {"text", "进展"}, {"percent", "进度"}, {"note", "说明"},
	              {"reason", "理由"}, {"meeting_on", "会议日期"}, {"name", "名称"}};
	json_t *before = x->before_json ? json_loads(x->before_json, 0, NULL) : NULL;
	json_t *after = x->after_json ? json_loads(x->after_json, 0, NULL) : NULL;
	Buf out = {0};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
		const char *v[2] = {NULL, NULL};
		json_t *side[2] = {before, after};
		for (int k = 0; k < 2; k++) {
			json_t *j = side[k] ? json_object_get(side[k], fields[i].key) : NULL;
			if (json_is_string(j))
				v[k] = json_string_value(j);
			else if (json_is_integer(j))
				v[k] = arena_printf(&r->arena, "%lld%s", (long long)json_integer_value(j),
				                    !strcmp(fields[i].key, "percent") ? "%" : "");
			if (v[k] && !strcmp(fields[i].key, "status")) {
				if (!strcmp(x->record_kind, "supervisions"))
					v[k] = supervision_status_zh(v[k]);
				else if (!strcmp(x->record_kind, "events"))
					v[k] = event_status_zh(v[k]);
				else
					v[k] = NULL; /* a task's or an agenda's status code has no words here */
			}
		}
		if (!v[1] || (v[0] && !strcmp(v[0], v[1])))
			continue;
		buf_printf(&out, "%s%s：%s%s%s", out.len ? "；" : "", fields[i].zh, v[0] ? v[0] : "", v[0] ? " → " : "", v[1]);
	}
	json_decref(before);
	json_decref(after);
	const char *res = arena_strdup(&r->arena, out.len ? out.data : "");
	buf_free(&out);
	return res;
}

static const char *audit_change(Req *r, const AuditRow *x)
{
	if (x->record_kind && (!strcmp(x->record_kind, "tasks") || !strcmp(x->record_kind, "supervisions") ||
	                       !strcmp(x->record_kind, "agendas") || !strcmp(x->record_kind, "events")))
		return work_change(r, x);
	if (x->record_kind && !strcmp(x->record_kind, "policy_applications"))
		return policy_change(r, x);
	const Kind *k = kind_by_name(x->record_kind);
	if (k && x->before_json && x->after_json) {
		const char *d = record_diff(r, k, x->before_json, x->after_json);
		return d && *d ? d : "（内容未变）";
	}
	if (k && x->after_json && !x->before_json)
		return "新建记录";
	if (k && x->before_json && !x->after_json)
		return "删除记录";
	return "";
}

/* WEBPAGE: GET /admin/audit?user=&kind=&id=&since=&until=&offset= */
void page_audit(Req *r)
{
	AuditFilter f;
	if (!audit_filter(r, &f))
		return;
	AuditRow *rows;
	long long total;
	int n = store_audit_list(r->store, &r->arena, &f, &rows, &total);
	if (n < 0) {
		http_error(r, 500, "store_error", "审计记录读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "审计日志", "audit");
	html_printf(b, "<h1>审计日志</h1><p class=\"lead\">每一次数据变更：谁、何时、从哪里、改了什么（变更前后）。记录只增不改。</p>\n"
	               "<form method=\"get\" action=\"/admin/audit\" class=\"filters\">");
	/* the user picked from the accounts by name (typing narrows the list) */
	form_input(r, "user", "用户", "text", f.user, NULL, " list=\"audit-users\" autocomplete=\"off\"");
	User *users;
	int nu = store_users(r->store, &r->arena, &users);
	html_printf(b, "<datalist id=\"audit-users\">");
	for (int i = 0; i < nu; i++)
		html_printf(b, "<option value=\"%h\">%h</option>", users[i].name, role_zh(role_from_code(users[i].role)));
	html_printf(b, "</datalist>");
	/* the record kinds as a select of their Chinese names */
	html_printf(b, "<div class=\"field\"><label for=\"f-kind\">记录类型</label><select id=\"f-kind\" name=\"kind\">"
	               "<option value=\"\">全部</option>");
	for (int i = 0; i < registry_kind_count; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", registry_kinds[i]->name,
		            f.kind && strcmp(f.kind, registry_kinds[i]->name) == 0 ? " selected" : "", registry_kinds[i]->label);
	for (size_t i = 0; i < ARRAY_LEN(audit_kinds); i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", audit_kinds[i].code,
		            f.kind && strcmp(f.kind, audit_kinds[i].code) == 0 ? " selected" : "", audit_kinds[i].zh);
	html_printf(b, "</select></div>");
	/* one record's trail is reached from its page (操作记录), never by typing its number */
	if (f.record_id)
		html_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%h\">", f.record_id);
	form_input(r, "since", "起始日期", "date", f.since, NULL, NULL);
	form_input(r, "until", "截止日期", "date", f.until, NULL, NULL);
	html_printf(b, "<button type=\"submit\">筛选</button> <a href=\"/admin/audit\">重置</a></form>\n");
	if (f.record_id) {
		const char *name = NULL;
		for (int i = 0; i < n && !name; i++)
			name = audit_record_name(r, &rows[i]);
		html_printf(b, "<p id=\"audit-record\">只显示一条记录的操作：%h%s%h%s。<a href=\"/admin/audit?user=%u&amp;kind=%u&amp;since=%u&amp;until=%u\">显示全部记录</a></p>\n",
		            f.kind ? audit_kind_zh(f.kind) : "记录", name ? "「" : "", name ? name : "", name ? "」" : "",
		            f.user ? f.user : "", f.kind ? f.kind : "", f.since ? f.since : "", f.until ? f.until : "");
	}
	html_printf(b, "<p>共 %lld 条，显示第 %d–%d 条。</p>\n", total, n ? f.offset + 1 : 0, f.offset + n);
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"audit\"><thead><tr><th scope=\"col\">时间</th>"
	               "<th scope=\"col\">操作</th><th scope=\"col\">用户</th><th scope=\"col\" class=\"minor\">地址</th>"
	               "<th scope=\"col\">变更内容</th></tr></thead><tbody>");
	for (int i = 0; i < n; i++)
		html_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", fmt_time_sec(&r->arena, rows[i].at),
		            audit_what(r, &rows[i]), rows[i].user_name, rows[i].addr ? rows[i].addr : "", audit_change(r, &rows[i]));
	html_printf(b, "</tbody></table></div>\n");
	if (f.offset + n < total) {
		html_printf(b, "<p><a href=\"/admin/audit?user=%u&amp;kind=%u&amp;id=%u&amp;since=%u&amp;until=%u&amp;offset=%d\">下一页 →</a></p>\n",
		            f.user ? f.user : "", f.kind ? f.kind : "", f.record_id ? f.record_id : "", f.since ? f.since : "",
		            f.until ? f.until : "", f.offset + n);
	}
	page_end(r);
}

/* ---- API ---- */

static json_t *user_json(const User *u)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:b,s:b,s:s,s:o}", "id", (json_int_t)u->id, "name", u->name, "role", u->role,
	                 "scope", u->scope ? json_string(u->scope) : json_null(), "must_change", u->must_change,
	                 "disabled", u->disabled, "created_at", u->created_at,
	                 "last_login_at", u->last_login_at ? json_string(u->last_login_at) : json_null());
}

/* API: GET /api/v1/users */
void api_users(Req *r)
{
	User *u;
	int n = store_users(r->store, &r->arena, &u);
	if (n < 0) {
		http_error(r, 500, "store_error", "用户数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, user_json(&u[i]));
	http_json(r, 200, json_pack("{s:o,s:i}", "items", arr, "total", n));
}

/* API: POST /api/v1/users {"name","role","scope"} → the user and its initial password */
void api_users_create(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		if (strcmp(key, "name") && strcmp(key, "role") && strcmp(key, "scope")) {
			http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_field", "field", key, "message",
			                            "未知字段；可用字段：name, role, scope。"));
			return;
		}
	}
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *role = json_string_value(json_object_get(j, "role"));
	const char *scope = json_string_value(json_object_get(j, "scope"));
	const char *field = NULL;
	char generated[USER_GENERATED_LEN];
	long long id = 0;
	Actor who = req_actor(r);
	DomResult res = users_add(r->store, &who, name, role, scope, generated, &id, &field);
	if (res.code == DOM_INVALID) {
		http_json(r, 400, json_pack("{s:{s:s,s:s?,s:s}}", "error", "code", "bad_value", "field", field, "message", res.message));
		return;
	}
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	User u;
	store_user_by_id(r->store, &r->arena, id, &u);
	json_t *o = user_json(&u);
	json_object_set_new(o, "initial_password", json_string(generated));
	http_json(r, 201, o);
}

/* API: PATCH /api/v1/users/{id} {"disabled": bool} or {"reset_password": true} */
void api_user_patch(Req *r)
{
	User u;
	if (!load_user(r, &u))
		return;
	json_t *j = req_json(r);
	if (!j)
		return;
	json_t *dis = json_object_get(j, "disabled"), *reset = json_object_get(j, "reset_password");
	if (json_object_size(j) != 1 || (!json_is_boolean(dis) && !json_is_true(reset))) {
		http_error(r, 400, "bad_value", "请求体应为 {\"disabled\": true|false} 或 {\"reset_password\": true}。");
		return;
	}
	char generated[USER_GENERATED_LEN];
	Actor who = req_actor(r);
	DomResult res = dis ? users_set_disabled(r->store, &who, u.id, json_is_true(dis))
	                    : users_reset_password(r->store, &who, u.id, generated);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	store_user_by_id(r->store, &r->arena, u.id, &u);
	json_t *o = user_json(&u);
	if (!dis)
		json_object_set_new(o, "initial_password", json_string(generated));
	http_json(r, 200, o);
}

/* API: DELETE /api/v1/users/{id}/sessions */
void api_user_sessions_delete(Req *r)
{
	User u;
	if (!load_user(r, &u))
		return;
	int n = -1;
	Actor who = req_actor(r);
	DomResult res = users_end_sessions(r->store, &who, u.id, &n);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	http_json(r, 200, json_pack("{s:i}", "sessions_ended", n));
}

/* API: GET /api/v1/audit?user=&kind=&id=&since=&until=&limit=&offset= */
void api_audit(Req *r)
{
	AuditFilter f;
	if (!audit_filter(r, &f))
		return;
	AuditRow *rows;
	long long total;
	int n = store_audit_list(r->store, &r->arena, &f, &rows, &total);
	if (n < 0) {
		http_error(r, 500, "store_error", "审计记录读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_error_t e;
		json_t *before = rows[i].before_json ? json_loads(rows[i].before_json, 0, &e) : NULL;
		json_t *after = rows[i].after_json ? json_loads(rows[i].after_json, 0, &e) : NULL;
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)rows[i].id,
		                                     "at", rows[i].at, "user", rows[i].user_name, "addr",
		                                     rows[i].addr ? json_string(rows[i].addr) : json_null(), "action",
		                                     rows[i].action, "record_kind", rows[i].record_kind, "record_id",
		                                     rows[i].record_id ? json_string(rows[i].record_id) : json_null(),
		                                     "before", before ? before : json_null(), "after",
		                                     after ? after : json_null()));
	}
	http_json(r, 200, json_pack("{s:o,s:I,s:i,s:i}", "items", arr, "total", (json_int_t)total, "limit", f.limit,
	                            "offset", f.offset));
}
