/*
 * page_layout.c — the frame around every page (head, navigation, demo
 * banner, footer), the error page, the embedded static assets, and the
 * small formatters pages share.
 */
#include "page.h"
#include "session.h"
#include "workbench.h"
#include "xlsx_write.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char asset_style_css[], asset_app_js[];
extern const unsigned long asset_style_css_len, asset_app_js_len;

typedef struct Asset {
	const char *name, *type;
	const char *data;
	const unsigned long *len;
} Asset;

static const Asset assets[] = {
	{"style.css", "text/css; charset=utf-8", asset_style_css, &asset_style_css_len},
	{"app.js", "text/javascript; charset=utf-8", asset_app_js, &asset_app_js_len},
};

/* FNV-1a of an asset: its ETag and the ?v= that busts caches on upgrade. */
static const char *asset_version(const Asset *a)
{
	static _Thread_local char hex[ARRAY_LEN(assets)][17];
	size_t i = (size_t)(a - assets);
	if (!hex[i][0]) {
		unsigned long long h = 1469598103934665603ULL;
		for (unsigned long k = 0; k < *a->len; k++)
			h = (h ^ (unsigned char)a->data[k]) * 1099511628211ULL;
		snprintf(hex[i], sizeof hex[i], "%016llx", h);
	}
	return hex[i];
}

static const Asset *asset_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(assets); i++)
		if (strcmp(assets[i].name, name) == 0)
			return &assets[i];
	return NULL;
}

/* WEBPAGE: /static/{name} — embedded CSS and JS, cached by version. */
void page_static(Req *r)
{
	const Asset *a = asset_find(req_param(r, "name"));
	if (!a) {
		http_error(r, 404, "not_found", "找不到该静态文件。");
		return;
	}
	char etag[24];
	snprintf(etag, sizeof etag, "\"%s\"", asset_version(a));
	req_add_header(r, "ETag", etag);
	r->cacheable = 1;
	req_add_header(r, "Cache-Control", req_query(r, "v") ? "public, max-age=31536000, immutable"
	                                                     : "public, max-age=3600");
	const char *inm = req_header(r, "If-None-Match");
	r->content_type = a->type;
	if (inm && strcmp(inm, etag) == 0) {
		r->status = 304;
		return;
	}
	buf_append(&r->out, SAFE_HTML(a->data), *a->len); /* our own embedded file */
}

/* WEBPAGE: /healthz — liveness for load balancers and tests. */
void page_healthz(Req *r)
{
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->out, "ok");
}

/* The navigation: one row per section, with the roles that see it; later
 * features add theirs here. A section's badge counts what waits there
 * (workbench_nav_count: the providers of 工作台 that name its key). */
static const struct {
	const char *key, *href, *label;
	unsigned roles;
} nav[] = {
	{"workbench", "/workbench", "工作台", ALLOW_USERS},
	{"home", "/", "总览", ALLOW_ALL},
	{"areas", "/areas", "区域", ALLOW_ALL},
	{"plan", "/plan", "规划与标准", ALLOW_ALL},
	{"targets", "/targets", "目标", ALLOW_ALL},
	{"compare", "/compare", "比较", ALLOW_ALL},
	{"competition", "/competition", "竞赛", ALLOW_USERS},
	{"assessment", "/assessment", "考核", ALLOW(ROLE_ADMIN)},
	{"registry", "/bases", "登记库", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT)},
	{"evaluation", "/evaluation", "评价", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT)},
	{"recognitions", "/recognitions", "认定", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA)},
	{"reports", "/reports", "填报", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE) | ALLOW(ROLE_DEPARTMENT)},
	{"events", "/events", "活动", ALLOW_USERS},
	{"bulletins", "/bulletins", "通报", ALLOW_USERS},
	{"policy", "/policy-applications", "政策", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE)},
	{"policy-results", "/policy-results", "政策成效", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER)},
	{"tasks", "/tasks", "督办", ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT)},
	{"review", "/review", "审核", ALLOW(ROLE_ADMIN)},
	{"users", "/admin/users", "用户", ALLOW(ROLE_ADMIN)},
	{"sessions", "/admin/sessions", "会话", ALLOW(ROLE_ADMIN)},
	{"audit", "/admin/audit", "审计", ALLOW(ROLE_ADMIN)},
};

/* A base user's base by name ("孵化基地" when it cannot be read). */
static const char *base_label(Req *r, const char *id)
{
	const char *j = store_record_json(r->store, &r->arena, "bases", id_or_zero(id));
	json_t *rec = j ? json_loads(j, 0, NULL) : NULL;
	const char *name = rec ? json_string_value(json_object_get(rec, "name")) : NULL;
	const char *out = name ? arena_strdup(&r->arena, name) : "孵化基地";
	json_decref(rec);
	return out;
}

/* "张三 · 镇街/功能区填报员 · 飞云街道", or the login link. */
static void write_who(Req *r)
{
	Buf *b = &r->out;
	if (!r->session) {
		html_printf(b, "<div class=\"who\"><a href=\"/login\">登录</a></div>");
		return;
	}
	const User *u = &r->session->user;
	const char *scope = NULL;
	if (u->scope && r->plan)
		scope = r->role == ROLE_AREA ? area_name(r->plan, u->scope)
		      : r->role == ROLE_DEPARTMENT ? department_name(r->plan, u->scope)
		      : base_label(r, u->scope);
	html_printf(b, "<div class=\"who\"><span class=\"user\">%h</span><span class=\"sep\"> · </span><span class=\"role\">%h</span>",
	            u->name, role_zh(r->role));
	if (scope)
		html_printf(b, "<span class=\"sep\"> · </span><span class=\"scope\">%h</span>", scope);
	html_printf(b, " <a class=\"pw\" href=\"/password\">修改密码</a> <form method=\"post\" action=\"/logout\" class=\"inline\">");
	form_csrf(r);
	html_printf(b, "<button type=\"submit\" class=\"link\">退出</button></form></div>");
}

void page_begin(Req *r, const char *title, const char *active)
{
	Buf *b = &r->out;
	r->content_type = "text/html; charset=utf-8";
	const Asset *css = asset_find("style.css");
	const char *city = r->plan ? r->plan->city.name : "";
	int demo = req_demo(r);
	html_printf(b,
		"<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>%h · %h大孵化集群</title>\n"
		"<link rel=\"icon\" href=\"data:,\">\n"
		"<link rel=\"stylesheet\" href=\"/static/style.css?v=%h\">\n</head>\n<body>\n"
		"<a class=\"skip\" href=\"#main\">跳到正文</a>\n"
		"<header class=\"top\"><a class=\"brand\" href=\"%h\">%h大孵化集群</a>",
		title, city, asset_version(css), r->session ? "/workbench" : "/", city);
	if (demo)
		html_printf(b, "<span class=\"demo-tag\" title=\"本库中的记录均为虚构，仅供演示\">示例数据</span>");
	write_who(r);
	html_printf(b, "\n<nav aria-label=\"主导航\"><ul>");
	for (size_t i = 0; i < ARRAY_LEN(nav); i++) {
		if (!(nav[i].roles & ALLOW(r->role)))
			continue;
		html_printf(b, "<li><a href=\"%h\"%s>%h", nav[i].href,
		            active && strcmp(active, nav[i].key) == 0 ? " aria-current=\"page\"" : "", nav[i].label);
		long long n = workbench_nav_count(r, nav[i].key);
		if (n > 0)
			html_printf(b, " <span class=\"count\" title=\"待处理 %lld 项\">%lld</span>", n, n);
		html_printf(b, "</a></li>");
	}
	html_printf(b, "</ul></nav></header>\n");
	if (demo)
		html_printf(b, "<p class=\"demo-banner\" role=\"note\"><strong>示例数据</strong>："
		               "本库中的孵化基地、运营机构、基金、项目等均为虚构，仅供演示。</p>\n");
	/* The print frame (shown on paper only): issuing unit, title, dates. */
	char today[11];
	date_today(today);
	const char *office = r->plan && r->plan->office ? r->plan->office
	                   : arena_printf(&r->arena, "%s大孵化集群工作专班办公室", city);
	html_printf(b, "<div class=\"print-head\"><p class=\"issuer\">%h</p><p class=\"print-title\">%h</p>"
	               "<p class=\"print-meta\">数据截至 %h　打印时间 <time class=\"printed-at\">%h</time>%s</p></div>\n",
	            office, title, fmt_date_cn(&r->arena, r->as_of ? r->as_of : today), fmt_now(&r->arena),
	            demo ? "　<strong>示例数据（虚构，仅供演示）</strong>" : "");
	html_printf(b, "<main id=\"main\" tabindex=\"-1\">\n");
}

void page_end(Req *r)
{
	const Asset *js = asset_find("app.js");
	html_printf(&r->out,
		"</main>\n<footer><p>%h大孵化集群 · %h · <a href=\"/api/v1/plan\">数据接口</a></p></footer>\n"
		"<script src=\"/static/app.js?v=%h\"></script>\n</body>\n</html>\n",
		r->plan ? r->plan->city.name : "", r->plan ? r->plan->document : "", asset_version(js));
}

void form_input(Req *r, const char *name, const char *label, const char *type, const char *value,
                const char *error, const char *extra_attrs)
{
	html_printf(&r->out,
		"<div class=\"field%s\"><label for=\"f-%h\">%h</label>"
		"<input id=\"f-%h\" name=\"%h\" type=\"%h\" value=\"%h\"%s%h%s%s>",
		error ? " has-error" : "", name, label, name, name, type, value ? value : "",
		error ? " aria-invalid=\"true\" aria-describedby=\"e-" : "", error ? name : "", error ? "\"" : "",
		SAFE_HTML(extra_attrs)); /* attributes the calling page wrote */
	if (error)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-%h\">%h</p>", name, error);
	html_printf(&r->out, "</div>\n");
}

void form_csrf(Req *r)
{
	if (r->session && r->session->csrf)
		html_printf(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%h\">", r->session->csrf);
}

void http_redirect(Req *r, const char *location)
{
	r->status = 303;
	req_add_header(r, "Location", location);
	r->content_type = "text/plain; charset=utf-8";
	buf_reset(&r->out);
	buf_puts(&r->out, SAFE_HTML(location)); /* text/plain: never read as markup */
}

void page_error(Req *r, int status, const char *code, const char *message)
{
	r->status = status;
	const char *title = status == 404 ? "页面不存在" : status == 403 || status == 401 ? "无权访问"
	                  : status >= 500 ? "服务器错误" : "请求有误";
	page_begin(r, title, NULL);
	html_printf(&r->out, "<section class=\"error\" data-code=\"%h\"><h1>%h</h1><p>%h</p><p><a href=\"/\">返回总览</a></p></section>\n",
	            code, title, message);
	page_end(r);
}

Actor req_actor(Req *r)
{
	Actor a = {.name = r->session ? r->session->user.name : NULL,
	           .role = r->role,
	           .scope = r->session ? r->session->user.scope : NULL,
	           .addr = r->client_addr,
	           .plan = r->plan,
	           .arena = &r->arena};
	return a;
}

int dom_http_status(DomCode code)
{
	switch (code) {
	case DOM_OK:
	case DOM_PENDING:
		return 200;
	case DOM_PROPOSED:
		return 202;
	case DOM_INVALID:
		return 400;
	case DOM_FORBIDDEN:
		return 403;
	case DOM_NOT_FOUND:
		return 404;
	case DOM_CONFLICT:
		return 409;
	case DOM_REFUSED:
		return 422;
	case DOM_BUSY:
		return 503;
	default:
		return 500;
	}
}

void page_refuse(Req *r, DomResult res)
{
	http_error(r, dom_http_status(res.code), res.error ? res.error : "error",
	           res.message ? res.message : "操作失败，请稍后再试。");
}

void page_done(Req *r, DomResult res, const char *url)
{
	if (res.code != DOM_OK)
		page_refuse(r, res);
	else
		http_redirect(r, url);
}

int page_found(Req *r, int found, const char *missing)
{
	if (found > 0)
		return 1;
	if (found < 0)
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
	else
		http_error(r, 404, "not_found", missing);
	return 0;
}

void api_created(Req *r, DomResult res, long long id)
{
	http_json(r, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "message", res.message));
}

void page_send_xlsx(Req *r, const XlsxBook *book, const char *ascii_name, const char *zh_name)
{
	Buf out = {0};
	char err[256];
	if (xlsx_write_table(NULL, &out, book, err, sizeof err) != H_OK) {
		buf_free(&out);
		http_error(r, 500, "export_failed", err);
		return;
	}
	buf_free(&r->out);
	r->out = out;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_attachment(r, ascii_name, zh_name);
}

/* Content-Disposition with an ASCII name and the Chinese one (RFC 6266, RFC 5987). */
void http_attachment(Req *r, const char *ascii, const char *utf8)
{
	Buf b = {0};
	buf_printf(&b, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
	static const char attr[] = "!#$&+-.^_`|~";
	for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
		if (isalnum(*p) || (*p && strchr(attr, *p)))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	req_add_header(r, "Content-Disposition", buf_str(&b));
	buf_free(&b);
}


