/*
 * page_bases.c — one base: its page, and the profile a reporter keeps
 * (address, contact, source of space, leading industry, public platform),
 * over the page and the API. The full registry (every field, create,
 * delete, review, import) builds on this file.
 *
 * Scope is enforced by session.c from routes.c (SCOPE_BASE): an area
 * reporter reaches only its area's bases, a base user only its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "session.h"

/* Loads the base named by {id}; answers 404 itself. Records not yet
 * approved are shown only to those who see the area or base in full. */
static int load_base(Req *r, Base *b)
{
	long long id = atoll(r->params[0]);
	int found = store_base_get(r->store, &r->arena, id, b);
	if (found < 0) {
		http_error(r, 500, "store_error", "数据读取失败,请稍后再试。");
		return 0;
	}
	if (!found || (strcmp(b->review_status, "approved") != 0 && !req_sees_base_fully(r, b->id, b->area))) {
		http_error(r, 404, "not_found", "没有这个孵化基地,请从区域页面中选择。");
		return 0;
	}
	return 1;
}

static int can_edit(const Req *r, const Base *b)
{
	if (r->role == ROLE_ADMIN)
		return 1;
	const char *scope = r->session ? r->session->user.scope : NULL;
	return scope && ((r->role == ROLE_AREA && strcmp(scope, b->area) == 0) ||
	                 (r->role == ROLE_BASE && atoll(scope) == b->id));
}

static void fact(Req *r, const char *label, const char *value)
{
	html_printf(&r->out, "<dt>%h</dt><dd>%h</dd>", label, value && *value ? value : "—");
}

/* WEBPAGE: GET /bases/{id} */
void page_base(Req *r)
{
	Base b;
	if (!load_base(r, &b))
		return;
	const Plan *p = r->plan;
	page_begin(r, b.name, "areas");
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/areas\">区域</a> › <a href=\"/areas/%u\">%h</a> › %h</p>\n"
	                     "<h1>%h</h1>\n",
	            b.area, area_name(p, b.area), b.name, b.name);
	if (can_edit(r, &b))
		html_printf(&r->out, "<p><a class=\"button\" href=\"/bases/%lld/edit\">编辑基本信息</a></p>\n", b.id);
	html_printf(&r->out, "<dl class=\"facts\">");
	fact(r, "类型", vocab_name(p, "base_kind", b.kind));
	fact(r, "区域", area_name(p, b.area));
	fact(r, "主导产业", b.leading_industry);
	fact(r, "开业日期", b.opened_on);
	fact(r, "总面积", fmt_quantity(&r->arena, b.total_area_m2, "㎡"));
	fact(r, "孵化面积", fmt_quantity(&r->arena, b.incubation_area_m2, "㎡"));
	fact(r, "运营机构", b.operator_name);
	fact(r, "专业技术公共平台", b.has_public_platform ? (b.public_platform ? b.public_platform : "有") : "无");
	fact(r, "空间来源", b.space_source ? vocab_name(p, "space_source", b.space_source) : NULL);
	fact(r, "地址", b.address);
	fact(r, "联系人", b.contact);
	fact(r, "审核状态", strcmp(b.review_status, "approved") == 0 ? "已通过" : strcmp(b.review_status, "pending") == 0
	                                                                  ? "待审核" : b.review_status);
	html_printf(&r->out, "</dl>\n");
	page_end(r);
}

/* The profile fields, read from a form or a JSON object; NULL when absent. */
typedef struct Profile {
	const char *address, *contact, *space_source, *leading_industry, *public_platform;
} Profile;

/* Checks a profile; returns the first problem and its field, or NULL. */
static const char *profile_problem(Req *r, const Profile *pf, const char **field)
{
	static const struct {
		const char *name;
		size_t max;
	} limits[] = {{"address", 200}, {"contact", 100}, {"leading_industry", 60}, {"public_platform", 500}};
	const char *vals[] = {pf->address, pf->contact, pf->leading_industry, pf->public_platform};
	for (size_t i = 0; i < ARRAY_LEN(limits); i++) {
		if (vals[i] && strlen(vals[i]) > limits[i].max) {
			*field = limits[i].name;
			return arena_printf(&r->arena, "内容过长:最多 %zu 个字节(约 %zu 个汉字),请精简。", limits[i].max,
			                    limits[i].max / 3);
		}
	}
	if (pf->space_source && *pf->space_source) {
		int known = 0;
		for (int i = 0; i < r->plan->nvocab; i++)
			known |= strcmp(r->plan->vocab[i].list, "space_source") == 0 &&
			         strcmp(r->plan->vocab[i].code, pf->space_source) == 0;
		if (!known) {
			*field = "space_source";
			return "空间来源不在规划列出的选项中,请从下拉列表选择。";
		}
	}
	return NULL;
}

/* Saves a profile with its audit row in one transaction. */
static int save_profile(Req *r, const Base *b, const Profile *pf)
{
	Base upd = *b;
	upd.address = pf->address && *pf->address ? pf->address : NULL;
	upd.contact = pf->contact && *pf->contact ? pf->contact : NULL;
	upd.space_source = pf->space_source && *pf->space_source ? pf->space_source : NULL;
	upd.leading_industry = pf->leading_industry && *pf->leading_industry ? pf->leading_industry : NULL;
	upd.public_platform = pf->public_platform && *pf->public_platform ? pf->public_platform : NULL;
	char id[24];
	snprintf(id, sizeof id, "%lld", b->id);
	const char *before = store_base_json(r->store, &r->arena, b->id);
	if (store_begin(r->store) == H_OK && store_base_update_profile(r->store, b->id, &upd) == H_OK &&
	    store_audit(r->store, r->session->user.name, r->client_addr, "update", "base", id, before,
	                store_base_json(r->store, &r->arena, b->id)) == H_OK &&
	    store_commit(r->store) == H_OK)
		return 1;
	store_rollback(r->store);
	http_error(r, 500, "store_error", "保存失败,请稍后再试。");
	return 0;
}

static void edit_form(Req *r, const Base *b, const Profile *pf, const char *error, const char *field)
{
	const Plan *p = r->plan;
	page_begin(r, "编辑孵化基地", "areas");
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/bases/%lld\">%h</a> › 编辑</p><h1>编辑基本信息</h1>\n", b->id,
	            b->name);
	if (error)
		html_printf(&r->out, "<p class=\"form-error\" role=\"alert\">保存失败:请按提示修改标红的字段。</p>\n");
	html_printf(&r->out, "<form method=\"post\" action=\"/bases/%lld/edit\" class=\"card\">", b->id);
	form_csrf(r);
#define ERR_FOR(f) (field && strcmp(field, f) == 0 ? error : NULL)
	form_input(r, "address", "地址", "text", pf->address, ERR_FOR("address"), NULL);
	form_input(r, "contact", "联系人及电话", "text", pf->contact, ERR_FOR("contact"), NULL);
	form_input(r, "leading_industry", "主导产业", "text", pf->leading_industry, ERR_FOR("leading_industry"), NULL);
	form_input(r, "public_platform", "专业技术公共平台(说明)", "text", pf->public_platform, ERR_FOR("public_platform"),
	           NULL);
	const char *se = ERR_FOR("space_source");
#undef ERR_FOR
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-space_source\">空间来源</label>"
	                     "<select id=\"f-space_source\" name=\"space_source\"%s><option value=\"\">(未填)</option>",
	            se ? " has-error" : "", se ? " aria-invalid=\"true\" aria-describedby=\"e-space_source\"" : "");
	for (int i = 0; i < p->nvocab; i++)
		if (strcmp(p->vocab[i].list, "space_source") == 0)
			html_printf(&r->out, "<option value=\"%h\"%s>%h</option>", p->vocab[i].code,
			            pf->space_source && strcmp(pf->space_source, p->vocab[i].code) == 0 ? " selected" : "",
			            p->vocab[i].name);
	html_printf(&r->out, "</select>");
	if (se)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-space_source\">%h</p>", se);
	html_printf(&r->out, "</div><button type=\"submit\">保存</button> <a href=\"/bases/%lld\">取消</a></form>\n", b->id);
	page_end(r);
}

/* WEBPAGE: GET /bases/{id}/edit */
void page_base_edit(Req *r)
{
	Base b;
	if (!load_base(r, &b))
		return;
	Profile pf = {b.address, b.contact, b.space_source, b.leading_industry, b.public_platform};
	edit_form(r, &b, &pf, NULL, NULL);
}

/* WEBPAGE: POST /bases/{id}/edit */
void page_base_edit_post(Req *r)
{
	Base b;
	if (!load_base(r, &b))
		return;
	Profile pf = {req_form(r, "address"), req_form(r, "contact"), req_form(r, "space_source"),
	              req_form(r, "leading_industry"), req_form(r, "public_platform")};
	const char *field = NULL;
	const char *err = profile_problem(r, &pf, &field);
	if (err) {
		r->status = 400;
		edit_form(r, &b, &pf, err, field);
		return;
	}
	if (save_profile(r, &b, &pf)) {
		char loc[48];
		snprintf(loc, sizeof loc, "/bases/%lld", b.id);
		http_redirect(r, loc);
	}
}

static json_t *base_json(Req *r, long long id)
{
	json_error_t e;
	const char *text = store_base_json(r->store, &r->arena, id);
	return text ? json_loads(text, 0, &e) : NULL;
}

/* API: GET /api/v1/bases/{id} */
void api_base_get(Req *r)
{
	Base b;
	if (!load_base(r, &b))
		return;
	json_t *j = base_json(r, b.id);
	if (!j) {
		http_error(r, 500, "store_error", "数据读取失败,请稍后再试。");
		return;
	}
	http_json(r, 200, j);
}

/* API: PATCH /api/v1/bases/{id} — the profile fields; others are refused. */
void api_base_patch(Req *r)
{
	Base b;
	if (!load_base(r, &b))
		return;
	json_t *j = req_json(r);
	if (!j)
		return;
	Profile pf = {b.address, b.contact, b.space_source, b.leading_industry, b.public_platform};
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		const char **slot = strcmp(key, "address") == 0            ? &pf.address
		                    : strcmp(key, "contact") == 0          ? &pf.contact
		                    : strcmp(key, "space_source") == 0     ? &pf.space_source
		                    : strcmp(key, "leading_industry") == 0 ? &pf.leading_industry
		                    : strcmp(key, "public_platform") == 0  ? &pf.public_platform
		                                                           : NULL;
		if (!slot) {
			json_t *e = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_field", "field", key, "message",
			                      "此字段不存在或不能在此修改(可修改:address, contact, space_source, leading_industry, public_platform)。");
			http_json(r, 400, e);
			return;
		}
		if (!json_is_string(v) && !json_is_null(v)) {
			http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "bad_value", "field", key, "message",
			                            "字段值应为字符串或 null。"));
			return;
		}
		*slot = json_string_value(v);
	}
	const char *field = NULL;
	const char *err = profile_problem(r, &pf, &field);
	if (err) {
		http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "bad_value", "field", field, "message", err));
		return;
	}
	if (!save_profile(r, &b, &pf))
		return;
	json_t *out = base_json(r, b.id);
	http_json(r, 200, out ? out : json_object());
}
