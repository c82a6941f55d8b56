/*
 * page_policy.c — the pages and API of the policy system (政策体系): the
 * loaded documents and their measures (/policies), applications for support
 * (/policy-applications: apply with the conditions and the amount shown as
 * the evaluation shows rules, endorse, approve another amount with a
 * reason, record the payment, return with a reason, resubmit), and the
 * 工作台 provider "policy". The work is policy.c's; what the money bought
 * and the finance products are page_policy_results.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "page.h"
#include "policy.h"
#include "session.h"
#include "workbench.h"

/* ---- shared pieces ---- */

/* A condition's value or threshold as people read it, in its unit. */
static const char *shown(Req *r, double v, const char *unit)
{
	if (unit && !strcmp(unit, "%"))
		return fmt_percent(&r->arena, v);
	if (unit && !strcmp(unit, "是/否"))
		return v >= 1 ? "是" : "否";
	if (unit && (!strcmp(unit, "㎡") || !strcmp(unit, "元")))
		return fmt_quantity(&r->arena, v, unit);
	char num[64];
	fmt_number(num, sizeof num, v, v == floor(v) ? 0 : 2);
	return arena_printf(&r->arena, "%s %s", num, unit ? unit : "");
}

static const char *op_sign(const char *op)
{
	return !op ? "" : !strcmp(op, ">=") ? "≥" : !strcmp(op, ">") ? ">" : !strcmp(op, "<=") ? "≤" : !strcmp(op, "<") ? "<" : "=";
}

/* The amount's rule in words: "新增面积每平方米 20 元", "优秀 30 万元 · 良好 …". */
static const char *amount_zh(Req *r, const PolicyMeasure *m)
{
	Arena *a = &r->arena;
	if (!strcmp(m->basis, "fixed"))
		return arena_printf(a, "定额 %s", fmt_money(a, m->fixed));
	if (!strcmp(m->basis, "per_new_m2"))
		return arena_printf(a, "当年新增面积每平方米 %g 元", m->rate);
	if (!strcmp(m->basis, "share_of_claim"))
		return arena_printf(a, "%s的 %g%%", m->claim_label, m->rate * 100);
	Buf b = {0};
	for (int i = 0; i < m->ntiers; i++) {
		const char *k = m->tiers[i].key;
		const char *name = !strcmp(k, "A") ? "优秀" : !strcmp(k, "B") ? "良好" : !strcmp(k, "C") ? "合格" : !strcmp(k, "D") ? "不合格"
		                 : !strcmp(k, "demonstration") ? "示范大孵化器" : eval_level_zh(k);
		buf_printf(&b, "%s%s %s", i ? " · " : "", name, fmt_money(a, m->tiers[i].yuan));
	}
	const char *t = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return t;
}

static const char *caps_zh(Req *r, const PolicyMeasure *m)
{
	Arena *a = &r->arena;
	Buf b = {0};
	if (m->cap_application >= 0)
		buf_printf(&b, "单次最高 %s；", fmt_money(a, m->cap_application));
	if (m->cap_base_year >= 0)
		buf_printf(&b, "每个基地每年最高 %s；", fmt_money(a, m->cap_base_year));
	if (m->cap_base_total >= 0)
		buf_printf(&b, "每个基地累计最高 %s；", fmt_money(a, m->cap_base_total));
	if (m->cap_measure_year >= 0)
		buf_printf(&b, "全市每年总额 %s；", fmt_money(a, m->cap_measure_year));
	if (m->once)
		buf_printf(&b, "%s；", !strcmp(m->once, "year") ? "每个基地每年限申请一次" : "每个基地限申请一次");
	const char *t = arena_strdup(a, b.len ? buf_str(&b) : "不设上限");
	buf_free(&b);
	return t;
}

static int is_applicant_role(Req *r)
{
	return r->role == ROLE_ADMIN || r->role == ROLE_AREA || r->role == ROLE_BASE;
}

/* The assessment (policy_assessment_json's object) as the evaluation shows
 * rules: each condition with its measured value and source, threshold,
 * result and gap; then the formula, the caps and the entitlement. */
static void write_assessment(Req *r, json_t *as)
{
	Buf *b = &r->out;
	Arena *a = &r->arena;
	const char *elig = json_string_value(json_object_get(as, "eligible"));
	const char *na = json_string_value(json_object_get(as, "not_applicable"));
	json_t *amount = json_object_get(as, "amount");
	double entitled = json_number_value(json_object_get(as, "entitled"));
	html_printf(b, "<section class=\"assessment\" id=\"assessment\"><h2>测算：可获支持 <strong id=\"entitled\">%h</strong></h2>",
	            fmt_money(a, entitled));
	html_printf(b, "<p class=\"muted\">按 %h 的数据测算（申请年度的 12 月 31 日，或今天）。</p>",
	            json_string_value(json_object_get(as, "as_of")));
	if (na)
		html_printf(b, "<p class=\"form-error\" id=\"verdict\">%h。</p>", na);
	else
		html_printf(b, "<p id=\"verdict\" class=\"%s\">%s</p>",
		            elig && !strcmp(elig, "yes") ? "status done" : elig && !strcmp(elig, "no") ? "status at_risk" : "status behind",
		            elig && !strcmp(elig, "yes") ? "符合全部条件" : elig && !strcmp(elig, "no") ? "不符合条件（见下方未达标项）"
		                                                                           : "部分条件待核实，由区域和市专班核实");
	json_t *cond = json_object_get(as, "conditions");
	json_t *rules = json_object_get(cond, "rules");
	if (json_array_size(rules)) {
		html_printf(b, "<h3>条件</h3><ul class=\"cards conditions\">");
		size_t i;
		json_t *x;
		json_array_foreach(rules, i, x) {
			const char *res = json_string_value(json_object_get(x, "result"));
			const char *unit = json_string_value(json_object_get(x, "unit"));
			json_t *v = json_object_get(x, "value"), *th = json_object_get(x, "threshold");
			const char *cls = !strcmp(res, "pass") ? "done" : !strcmp(res, "fail") ? "at_risk" : "behind";
			const char *zh = !strcmp(res, "pass") ? "达标" : !strcmp(res, "fail") ? "未达标" : "待核实";
			html_printf(b, "<li class=\"card-item\" data-rule=\"%h\" data-result=\"%h\"><p class=\"title\"><span class=\"status %h\">%h</span> %h</p>",
			            json_string_value(json_object_get(x, "id")), res, cls, zh, json_string_value(json_object_get(x, "text")));
			html_printf(b, "<p>实测：%h；门槛：%h %h</p>", json_is_number(v) ? shown(r, json_number_value(v), unit) : "—",
			            op_sign(json_string_value(json_object_get(x, "op"))),
			            json_is_number(th) ? shown(r, json_number_value(th), unit) : "由评审人判定");
			const char *src = json_string_value(json_object_get(x, "source"));
			if (src)
				html_printf(b, "<p class=\"muted\">来源：%h</p>", src);
			const char *gap = json_string_value(json_object_get(x, "gap"));
			if (gap)
				html_printf(b, "<p><strong class=\"gap\">%h</strong></p>", gap);
			const char *conflict = json_string_value(json_object_get(x, "conflict"));
			if (conflict)
				html_printf(b, "<p><strong class=\"conflict\" role=\"note\">⚠ %h</strong></p>", conflict);
			html_printf(b, "</li>");
		}
		html_printf(b, "</ul>");
	}
	html_printf(b, "<h3>金额</h3><ul class=\"amount\">");
	const char *formula = json_string_value(json_object_get(amount, "formula"));
	const char *missing = json_string_value(json_object_get(amount, "missing"));
	if (formula)
		html_printf(b, "<li id=\"formula\">按公式：%h</li>", formula);
	if (missing)
		html_printf(b, "<li class=\"form-error\">%h</li>", missing);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(amount, "caps"), i, c)
		html_printf(b, "<li>%h：上限 %h，已占用 %h，剩余 %h</li>", json_string_value(json_object_get(c, "name")),
		            fmt_money(a, json_number_value(json_object_get(c, "cap"))), fmt_money(a, json_number_value(json_object_get(c, "used"))),
		            fmt_money(a, json_number_value(json_object_get(c, "left"))));
	const char *lim = json_string_value(json_object_get(amount, "limited_by"));
	if (lim)
		html_printf(b, "<li id=\"limited\"><strong>受“%h”限制</strong></li>", lim);
	html_printf(b, "<li>可获支持：<strong>%h</strong>%s</li></ul></section>\n", fmt_money(a, entitled),
	            elig && !strcmp(elig, "no") ? "（不符合条件，不予支持）" : "");
}

/* The measures the user may pick, with their ids. */
static int active_measures(Req *r, PolicyMeasureRow **out)
{
	PolicyMeasureRow *v;
	int n = store_policy_measures(r->store, &r->arena, NULL, &v), k = 0;
	for (int i = 0; i < n; i++)
		if (v[i].active)
			v[k++] = v[i];
	*out = v;
	return n < 0 ? n : k;
}

/* ---- /policies ---- */

static json_t *measure_json(const PolicyMeasure *m, long long id)
{
	json_t *conds = json_array();
	for (int i = 0; m->conditions && i < m->conditions->nrules; i++) {
		const Rule *ru = &m->conditions->rules[i];
		json_array_append_new(conds, json_pack("{s:s,s:s,s:s,s:s?,s:o,s:s?}", "id", ru->id, "text", ru->text, "measure", ru->measure,
		                                       "op", ru->op, "threshold", ru->has_threshold ? json_real(ru->threshold) : json_null(),
		                                       "unit", ru->unit));
	}
	json_t *tiers = json_object();
	for (int i = 0; i < m->ntiers; i++)
		json_object_set_new(tiers, m->tiers[i].key, json_real(m->tiers[i].yuan));
	json_t *caps = json_object();
	if (m->cap_application >= 0)
		json_object_set_new(caps, "per_application", json_real(m->cap_application));
	if (m->cap_base_year >= 0)
		json_object_set_new(caps, "per_base_year", json_real(m->cap_base_year));
	if (m->cap_base_total >= 0)
		json_object_set_new(caps, "per_base", json_real(m->cap_base_total));
	if (m->cap_measure_year >= 0)
		json_object_set_new(caps, "per_measure_year", json_real(m->cap_measure_year));
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:o,s:{s:s,s:f,s:f,s:o,s:s?},s:o,s:s?}", "id", (json_int_t)id, "code",
	                 m->code, "article", m->article, "title", m->title, "kind", m->kind, "text", m->text, "plan_clause",
	                 m->plan_clause, "valid_from", m->valid_from, "valid_to", m->valid_to, "conditions", conds, "amount", "basis",
	                 m->basis, "rate", m->rate < 0 ? 0 : m->rate, "yuan", m->fixed < 0 ? 0 : m->fixed, "tiers", tiers,
	                 "claim_label", m->claim_label, "caps", caps, "once", m->once);
}

/* Every loaded document parsed, with the ids of its measures. */
static int load_docs(Req *r, PolicyDocRow **rows, PolicyDoc ***docs, PolicyMeasureRow **ms, int *nm)
{
	int n = store_policy_docs(r->store, &r->arena, rows);
	*nm = store_policy_measures(r->store, &r->arena, NULL, ms);
	if (n < 0 || *nm < 0)
		return -1;
	*docs = arena_alloc(&r->arena, sizeof **docs * (size_t)(n + 1));
	char err[512];
	for (int i = 0; i < n; i++)
		(*docs)[i] = policy_parse(&r->arena, (*rows)[i].json, strlen((*rows)[i].json), (*rows)[i].code, err, sizeof err);
	return n;
}

static long long measure_id(const PolicyMeasureRow *ms, int nm, const char *policy, const char *code)
{
	for (int i = 0; i < nm; i++)
		if (!strcmp(ms[i].policy, policy) && !strcmp(ms[i].code, code))
			return ms[i].id;
	return 0;
}

/* WEBPAGE: GET /policies — the loaded policy documents and their measures */
void page_policies(Req *r)
{
	PolicyDocRow *rows;
	PolicyDoc **docs;
	PolicyMeasureRow *ms;
	int nm, n = load_docs(r, &rows, &docs, &ms, &nm);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "支持政策", "policy");
	html_printf(b, "<h1>支持政策</h1><p class=\"lead\">行动计划四（二）“强化政策支撑”的措施：条件、金额与上限。"
	               "<a href=\"/policy-applications\">申请与办理</a> · <a href=\"/policy-results\">政策成效</a> · "
	               "<a href=\"/finance\">人才创业贷、人才创业险</a></p>\n");
	if (n == 0)
		html_printf(b, "<p class=\"muted\">尚未载入政策文件：由市专班办公室用命令行工具载入。</p>");
	for (int i = 0; i < n; i++) {
		const PolicyDoc *d = docs[i];
		if (!d)
			continue;
		html_printf(b, "<section class=\"policy-doc\" id=\"doc-%h\"><h2>%h</h2>", d->code, d->name);
		if (d->example)
			html_printf(b, "<p class=\"demo-label\" role=\"note\">示例文件：条款、金额均为虚构，仅供演示；正式政策以市专班载入的文件为准。</p>");
		html_printf(b, "<p class=\"muted\">%h%h%h · 有效期 %h 至 %h</p>", d->document, d->document_no ? " " : "",
		            d->document_no ? d->document_no : "", d->valid_from ? d->valid_from : "不限", d->valid_to ? d->valid_to : "不限");
		if (d->note)
			html_printf(b, "<p class=\"muted\">%h</p>", d->note);
		html_printf(b, "<ul class=\"cards measures\">");
		for (int k = 0; k < d->nmeasures; k++) {
			const PolicyMeasure *m = &d->measures[k];
			long long mid = measure_id(ms, nm, d->code, m->code);
			html_printf(b, "<li class=\"card-item\" id=\"measure-%h\"><p class=\"title\">%h %h <span class=\"muted\">%h</span></p><p>%h</p>",
			            m->code, m->article, m->title, policy_kind_zh(m->kind), m->text);
			if (m->conditions && m->conditions->nrules) {
				html_printf(b, "<p>条件：</p><ul>");
				for (int c = 0; c < m->conditions->nrules; c++) {
					const Rule *ru = &m->conditions->rules[c];
					html_printf(b, "<li>%h（%h %h）</li>", ru->text, op_sign(ru->op),
					            ru->has_threshold ? shown(r, ru->threshold, ru->unit) : "由评审人判定");
				}
				html_printf(b, "</ul>");
			}
			html_printf(b, "<p>金额：%h</p><p>上限：%h</p>", amount_zh(r, m), caps_zh(r, m));
			if (m->plan_clause)
				html_printf(b, "<p class=\"muted\">依据：%h</p>", m->plan_clause);
			if (is_applicant_role(r) && mid)
				html_printf(b, "<p><a class=\"button\" href=\"/policy-applications/new?measure=%lld\">申请</a></p>", mid);
			html_printf(b, "</li>");
		}
		html_printf(b, "</ul></section>\n");
	}
	page_end(r);
}

/* API: GET /api/v1/policies — documents with their measures */
void api_policies(Req *r)
{
	PolicyDocRow *rows;
	PolicyDoc **docs;
	PolicyMeasureRow *ms;
	int nm, n = load_docs(r, &rows, &docs, &ms, &nm);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		const PolicyDoc *d = docs[i];
		if (!d)
			continue;
		json_t *mj = json_array();
		for (int k = 0; k < d->nmeasures; k++)
			json_array_append_new(mj, measure_json(&d->measures[k], measure_id(ms, nm, d->code, d->measures[k].code)));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:b,s:s?,s:o}", "code", d->code, "name", d->name,
		                                     "document", d->document, "document_no", d->document_no, "valid_from", d->valid_from,
		                                     "valid_to", d->valid_to, "example", d->example, "loaded_at", rows[i].loaded_at,
		                                     "measures", mj));
	}
	http_json(r, 200, json_pack("{s:o}", "items", arr));
}

/* ---- applications ---- */

/* What the user sees of the list: a base user its base, an area user its area. */
static void list_scope(Req *r, long long *base, const char **area)
{
	*base = 0;
	*area = NULL;
	if (r->role == ROLE_BASE)
		*base = id_or_zero(r->session->user.scope);
	else if (r->role == ROLE_AREA)
		*area = r->session->user.scope;
}

static const char *const status_list = "applied,endorsed,approved,paid,returned";

/* ?status= (one of the statuses) and ?year= (a plan year); 0 when answered. */
static int read_filters(Req *r, const char **status, int *year)
{
	*status = req_query(r, "status");
	if (*status && !**status)
		*status = NULL;
	if (*status && (strchr(*status, ',') || !strstr(status_list, *status))) {
		http_error(r, 400, "bad_status", "status 应为 applied、endorsed、approved、paid、returned 之一。");
		return 0;
	}
	return req_query_plan_year(r, "year", 0, year);
}

static const char *amount_cell(Req *r, const PolicyApp *p)
{
	if (p->has_paid)
		return arena_printf(&r->arena, "已拨付 %s", fmt_money(&r->arena, p->paid));
	if (p->has_approved)
		return arena_printf(&r->arena, "核定 %s", fmt_money(&r->arena, p->approved));
	return arena_printf(&r->arena, "测算 %s", fmt_money(&r->arena, p->entitled));
}

/* WEBPAGE: GET /policy-applications?status=&year= */
void page_policy_applications(Req *r)
{
	const char *status;
	int year;
	if (!read_filters(r, &status, &year))
		return;
	long long base;
	const char *area;
	list_scope(r, &base, &area);
	PolicyApp *v;
	int n = store_policy_apps(r->store, &r->arena, base, area, status, year, 500, &v);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "政策申请", "policy");
	html_printf(b, "<h1>政策申请</h1><p class=\"lead\">基地（或所在区域）申请，区域推荐，市专班核定并登记拨付。"
	               "<a href=\"/policies\">支持政策</a> · <a href=\"/policy-results\">政策成效</a></p>");
	if (is_applicant_role(r))
		html_printf(b, "<p><a class=\"button\" href=\"/policy-applications/new\">新的申请</a></p>");
	html_printf(b, "<p class=\"filters\">");
	static const char *const sts[] = {"applied", "endorsed", "approved", "paid", "returned"};
	html_printf(b, "<a href=\"/policy-applications\"%s>全部</a>", status ? "" : " aria-current=\"page\"");
	for (size_t i = 0; i < ARRAY_LEN(sts); i++)
		html_printf(b, " · <a href=\"/policy-applications?status=%u\"%s>%h</a>", sts[i],
		            status && !strcmp(status, sts[i]) ? " aria-current=\"page\"" : "", policy_status_zh(sts[i]));
	html_printf(b, "</p>");
	if (n == 0)
		html_printf(b, "<p class=\"muted\">暂无申请。%s</p>",
		            is_applicant_role(r) ? "点“新的申请”，选择支持措施和年度，先测算可获支持的金额再提交。" : "基地或区域提交申请后在此显示。");
	html_printf(b, "<ul class=\"cards\" id=\"applications\">");
	for (int i = 0; i < n; i++) {
		const PolicyApp *p = &v[i];
		html_printf(b, "<li class=\"card-item\" data-status=\"%h\"><p class=\"title\"><a href=\"/policy-applications/%lld\">%h · %d 年 · %h</a></p>"
		               "<p><span class=\"review %h\">%h</span> %h</p><p class=\"muted\">%h · 申请人 %h · %h</p>",
		            p->status, p->id, p->base_name, p->year, p->measure_title, p->status, policy_status_zh(p->status),
		            amount_cell(r, p), area_name(r->plan, p->area), p->applied_by, fmt_time(&r->arena, p->applied_at));
		if (p->return_reason && !strcmp(p->status, "returned"))
			html_printf(b, "<p class=\"reason\"><span class=\"label\">退回原因</span>%h</p>", p->return_reason);
		html_printf(b, "</li>");
	}
	html_printf(b, "</ul>\n");
	page_end(r);
}

/* The bases the user may apply for: its own (base), its area's, or all. */
static int applicable_bases(Req *r, Base **out)
{
	int n = store_bases(r->store, &r->arena, r->role == ROLE_AREA ? r->session->user.scope : NULL, out);
	if (n < 0 || r->role != ROLE_BASE)
		return n;
	long long own = id_or_zero(r->session->user.scope);
	int k = 0;
	for (int i = 0; i < n; i++)
		if ((*out)[i].id == own)
			(*out)[k++] = (*out)[i];
	return k;
}

/* WEBPAGE: GET /policy-applications/new?measure=&base=&year=&claim= — the
 * form; with a measure, a base and a year it also shows the assessment
 * (nothing is saved until 提交申请). */
void page_policy_apply_form(Req *r)
{
	long long mid = 0, base = 0, year = 0;
	if (!req_query_int(r, "measure", 0, 1LL << 62, 0, &mid) || !req_query_int(r, "base", 0, 1LL << 62, 0, &base) ||
	    !req_query_int(r, "year", 0, 2100, 0, &year))
		return;
	const char *claim_text = req_query(r, "claim");
	PolicyMeasureRow *ms;
	Base *bases;
	int nm = active_measures(r, &ms), nb = applicable_bases(r, &bases);
	if (nm < 0 || nb < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	if (r->role == ROLE_BASE && nb == 1)
		base = bases[0].id;
	char today[11];
	date_today(today);
	int last = r->plan->years[r->plan->nyears - 1], this_year = digits_value(today, 4);
	if (!year)
		year = this_year > last ? last : this_year;
	Buf *b = &r->out;
	page_begin(r, "申请政策支持", "policy");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/policy-applications\">政策申请</a> › 新的申请</p><h1>申请政策支持</h1>");
	html_printf(b, "<form method=\"get\" action=\"/policy-applications/new\" class=\"card\" id=\"apply-check\">"
	               "<div class=\"field\"><label for=\"f-measure\">支持措施</label><select id=\"f-measure\" name=\"measure\" required>"
	               "<option value=\"\">请选择</option>");
	for (int i = 0; i < nm; i++)
		html_printf(b, "<option value=\"%lld\"%s>%h %h（%h）</option>", ms[i].id, ms[i].id == mid ? " selected" : "",
		            ms[i].article ? ms[i].article : "", ms[i].title, policy_kind_zh(ms[i].kind));
	html_printf(b, "</select></div><div class=\"field\"><label for=\"f-base\">孵化基地</label><select id=\"f-base\" name=\"base\" required>");
	if (nb != 1)
		html_printf(b, "<option value=\"\">请选择</option>");
	for (int i = 0; i < nb; i++)
		if (!strcmp(bases[i].review_status ? bases[i].review_status : "approved", "approved"))
			html_printf(b, "<option value=\"%lld\"%s>%h</option>", bases[i].id, bases[i].id == base ? " selected" : "", bases[i].name);
	html_printf(b, "</select></div>");
	html_printf(b, "<div class=\"field\"><label for=\"f-year\">申请年度</label><select id=\"f-year\" name=\"year\">");
	for (int i = 0; i < r->plan->nyears; i++)
		html_printf(b, "<option value=\"%d\"%s>%d 年</option>", r->plan->years[i], r->plan->years[i] == year ? " selected" : "",
		            r->plan->years[i]);
	html_printf(b, "</select></div>");
	form_input(r, "claim", "申报金额（元；租金减免、贴息、跟投类措施填写）", "text", claim_text, NULL, " inputmode=\"decimal\"");
	html_printf(b, "<button type=\"submit\">测算</button></form>\n");
	if (!mid || !base)
		goto done;
	double claim = 0;
	int has_claim = claim_text && *claim_text;
	if (has_claim && parse_amount(claim_text, &claim)) {
		html_printf(b, "<p class=\"form-error\">申报金额读不懂：请填写数字（元），如 185000 或 18.5万。</p>");
		goto done;
	}
	PolicyAssessment pa;
	Actor who = req_actor(r);
	PolicyApplyInput in = {.measure_id = mid, .base_id = base, .year = (int)year, .claim = claim, .has_claim = has_claim};
	DomResult res = policy_apply(r->store, &who, &in, 1, NULL, &pa);
	if (res.code != DOM_OK) {
		html_printf(b, "<p class=\"form-error\" role=\"alert\">%h</p>", res.message);
		goto done;
	}
	json_t *as = policy_assessment_json(&pa);
	write_assessment(r, as);
	json_decref(as);
	html_printf(b, "<form method=\"post\" action=\"/policy-applications\" class=\"card\" id=\"apply-submit\">");
	form_csrf(r);
	html_printf(b, "<input type=\"hidden\" name=\"measure\" value=\"%lld\"><input type=\"hidden\" name=\"base\" value=\"%lld\">"
	               "<input type=\"hidden\" name=\"year\" value=\"%lld\"><input type=\"hidden\" name=\"claim\" value=\"%h\">",
	            mid, base, year, claim_text ? claim_text : "");
	form_input(r, "note", "说明（可不填）", "text", NULL, NULL, " maxlength=\"500\"");
	html_printf(b, "<button type=\"submit\"%s>提交申请</button></form>", pa.eligible == 0 || pa.entitled <= 0 ? " disabled" : "");
done:
	page_end(r);
}

/* Reads the apply form or JSON into in; a Chinese message when wrong. */
static const char *read_apply(Req *r, json_t *j, PolicyApplyInput *in)
{
	memset(in, 0, sizeof *in);
	long long v;
	if (j) {
		json_t *m = json_object_get(j, "measure_id"), *b = json_object_get(j, "base_id"), *y = json_object_get(j, "year"),
		       *c = json_object_get(j, "claim_yuan");
		if (!json_is_integer(m) || !json_is_integer(b) || !json_is_integer(y))
			return "请给出 measure_id、base_id 和 year（整数）。";
		in->measure_id = json_integer_value(m);
		in->base_id = json_integer_value(b);
		in->year = json_integer_value(y) > 0 && json_integer_value(y) < 10000 ? (int)json_integer_value(y) : 0;
		if (c && !json_is_null(c)) {
			if (!json_is_number(c))
				return "claim_yuan 应为数字（元）。";
			in->claim = json_number_value(c);
			in->has_claim = 1;
		}
		in->note = json_string_value(json_object_get(j, "note"));
		return NULL;
	}
	if (!parse_int(req_form(r, "measure"), 1, 1LL << 62, &v))
		return "请选择支持措施。";
	in->measure_id = v;
	if (!parse_int(req_form(r, "base"), 1, 1LL << 62, &v))
		return "请选择孵化基地。";
	in->base_id = v;
	if (!parse_int(req_form(r, "year"), 2000, 2100, &v))
		return "请选择申请年度。";
	in->year = (int)v;
	const char *c = req_form(r, "claim");
	if (c && *c) {
		if (parse_amount(c, &in->claim))
			return "申报金额读不懂：请填写数字（元），如 185000 或 18.5万。";
		in->has_claim = 1;
	}
	in->note = req_form(r, "note");
	return NULL;
}

/* WEBPAGE: POST /policy-applications — measure, base, year, claim, note */
void page_policy_apply_post(Req *r)
{
	PolicyApplyInput in;
	const char *bad = read_apply(r, NULL, &in);
	if (bad) {
		http_error(r, 400, "invalid", bad);
		return;
	}
	Actor who = req_actor(r);
	long long id = 0;
	DomResult res = policy_apply(r->store, &who, &in, 0, &id, NULL);
	page_done(r, res, arena_printf(&r->arena, "/policy-applications/%lld", id));
}

/* The application of {id}, visible to the user (the route's scope checked
 * it); answers itself and returns 0 when it cannot be read. */
static int load_app(Req *r, PolicyApp *p)
{
	int found = store_policy_app_get(r->store, &r->arena, req_param_int(r, "id"), p);
	if (found < 0)
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
	else if (!found)
		http_error(r, 404, "not_found", "没有这份申请。");
	return found == 1;
}

static void action_form(Req *r, const PolicyApp *p, const char *action, const char *label, int danger)
{
	Buf *b = &r->out;
	html_printf(b, "<form method=\"post\" action=\"/policy-applications/%lld/%h\" class=\"card review-actions\" id=\"form-%h\"><h3>%h</h3>",
	            p->id, action, action, label);
	form_csrf(r);
	if (!strcmp(action, "approve")) {
		char num[64];
		snprintf(num, sizeof num, "%.2f", p->entitled);
		form_input(r, "amount", "核定金额（元）", "text", num, NULL, " inputmode=\"decimal\" required");
		form_input(r, "reason", "理由（金额与测算不同时必填）", "text", NULL, NULL, " maxlength=\"500\"");
	} else if (!strcmp(action, "pay")) {
		char today[11], num[64];
		date_today(today);
		snprintf(num, sizeof num, "%.2f", p->approved);
		form_input(r, "paid_on", "拨付日期", "date", today, NULL, " required");
		form_input(r, "amount", "拨付金额（元）", "text", num, NULL, " inputmode=\"decimal\" required");
		form_input(r, "voucher", "凭证号", "text", NULL, NULL, " maxlength=\"64\" required");
	} else if (!strcmp(action, "return")) {
		form_input(r, "reason", "退回原因", "text", NULL, NULL, " maxlength=\"500\" required");
	}
	html_printf(b, "<button type=\"submit\"%s>%h</button></form>", danger ? " class=\"danger\"" : "", label);
}

/* Whether the applicant's side may still add evidence: applied or returned. */
static int files_open(const PolicyApp *p)
{
	return !strcmp(p->status, "applied") || !strcmp(p->status, "returned");
}

/* The application's evidence (证明材料) with the upload form for the
 * applicant's side: a plain form (multipart/form-data, POST
 * /policy-applications/{id}/attachments) that works without a script;
 * with one, app.js sends the chosen file as the body of POST
 * /api/v1/policy-applications/{id}/attachments, as the tasks' evidence does. */
static void write_files(Req *r, const PolicyApp *p, const Actor *who)
{
	Attachment *f;
	int n = store_attachments(r->store, &r->arena, POLICY_ATTACHMENT_OWNER, p->id, &f);
	int may = files_open(p) && !policy_refusal(who, p, "resubmit"); /* the applicant's side */
	if (n <= 0 && !may)
		return;
	Buf *b = &r->out;
	html_printf(b, "<section class=\"card\" id=\"evidence\"><h2>证明材料</h2>");
	if (n < 0)
		html_printf(b, "<p class=\"form-error\">证明材料读取失败，请稍后刷新。</p>");
	else if (n == 0)
		html_printf(b, "<p class=\"muted\">暂无证明材料。可上传运营台账、考核结果、合同或票据的照片或 PDF。</p>");
	else {
		html_printf(b, "<ul class=\"files\" id=\"files\">");
		for (int i = 0; i < n; i++)
			html_printf(b, "<li><a href=\"/attachments/%lld\">%h</a> <span class=\"muted\">%h，%lld KB，%h 上传于 %h</span></li>",
			            f[i].id, f[i].name, attachment_type_zh(f[i].mime), (f[i].size + 1023) / 1024, f[i].created_by,
			            fmt_time(&r->arena, f[i].created_at));
		html_printf(b, "</ul>");
	}
	if (may) {
		html_printf(b, "<form class=\"evidence-upload\" id=\"ev-app\" method=\"post\" action=\"/policy-applications/%lld/attachments\" "
		               "enctype=\"multipart/form-data\" data-api=\"/api/v1/policy-applications/%lld/attachments\" "
		               "data-csrf=\"%h\" data-back=\"/policy-applications/%lld?done=attached#evidence\">",
		            p->id, p->id, r->session ? r->session->csrf : "", p->id);
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"ev-app-file\">选择文件（照片或 PDF，%d MB 以内）</label>"
		               "<input id=\"ev-app-file\" name=\"file\" type=\"file\" accept=\"image/jpeg,image/png,image/webp,application/pdf\"></div>"
		               "<button type=\"submit\">上传</button> <span class=\"upload-status\" role=\"status\"></span></form>",
		            ATTACHMENT_MAX_BYTES / (1024 * 1024));
	}
	html_printf(b, "</section>");
}

/* WEBPAGE: GET /policy-applications/{id} — the application, its assessment, its steps and what may be done */
void page_policy_application(Req *r)
{
	PolicyApp p;
	if (!load_app(r, &p))
		return;
	Buf *b = &r->out;
	Arena *a = &r->arena;
	page_begin(r, arena_printf(a, "%s · %s", p.base_name, p.measure_title), "policy");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/policy-applications\">政策申请</a> › 申请详情</p><h1>%h</h1>"
	               "<p class=\"lead\">%h · %d 年 · <a href=\"/policies#measure-%h\">%h</a>（%h）</p>",
	            p.base_name, area_name(r->plan, p.area), p.year, p.measure, p.measure_title, policy_kind_zh(p.kind));
	const char *done = req_query(r, "done");
	if (done && !strcmp(done, "attached"))
		html_printf(b, "<p class=\"form-ok\" role=\"status\">证明材料已上传。</p>");
	html_printf(b, "<p id=\"status\"><span class=\"review %h\">%h</span></p><dl class=\"facts\">", p.status, policy_status_zh(p.status));
	html_printf(b, "<dt>测算金额</dt><dd id=\"entitled-yuan\">%h</dd>", fmt_money(a, p.entitled));
	if (p.has_claim)
		html_printf(b, "<dt>申报金额</dt><dd>%h</dd>", fmt_money(a, p.claim));
	html_printf(b, "<dt>申请</dt><dd>%h · %h</dd>", p.applied_by, fmt_time(a, p.applied_at));
	if (p.note)
		html_printf(b, "<dt>说明</dt><dd>%h</dd>", p.note);
	if (p.endorsed_by)
		html_printf(b, "<dt>区域推荐</dt><dd>%h · %h</dd>", p.endorsed_by, fmt_time(a, p.endorsed_at));
	if (p.has_approved)
		html_printf(b, "<dt>核定金额</dt><dd id=\"approved-yuan\">%h（%h · %h）</dd>", fmt_money(a, p.approved), p.approved_by,
		            fmt_time(a, p.approved_at));
	if (p.approve_reason)
		html_printf(b, "<dt>核定理由</dt><dd id=\"approve-reason\">%h</dd>", p.approve_reason);
	if (p.has_paid)
		html_printf(b, "<dt>拨付</dt><dd id=\"payment\">%h · %h · 凭证号 %h（%h）</dd>", fmt_money(a, p.paid), p.paid_on, p.voucher_no,
		            p.paid_by);
	if (p.return_reason)
		html_printf(b, "<dt>退回原因</dt><dd class=\"reason\">%h（%h · %h）</dd>", p.return_reason, p.returned_by ? p.returned_by : "",
		            fmt_time(a, p.returned_at));
	html_printf(b, "</dl>");
	Actor who = req_actor(r);
	int open = !strcmp(p.status, "applied") || !strcmp(p.status, "endorsed") || !strcmp(p.status, "approved");
	if (!strcmp(p.status, "applied") && !policy_refusal(&who, &p, "endorse"))
		action_form(r, &p, "endorse", "推荐", 0);
	if (!strcmp(p.status, "endorsed") && !policy_refusal(&who, &p, "approve"))
		action_form(r, &p, "approve", "核定", 0);
	if (!strcmp(p.status, "approved") && !policy_refusal(&who, &p, "pay"))
		action_form(r, &p, "pay", "登记拨付", 0);
	if (!strcmp(p.status, "returned") && !policy_refusal(&who, &p, "resubmit"))
		action_form(r, &p, "resubmit", "按现有数据重新测算并提交", 0);
	if (open && !policy_refusal(&who, &p, "return") && (who.role == ROLE_ADMIN || !strcmp(p.status, "applied")))
		action_form(r, &p, "return", "退回", 1);
	write_files(r, &p, &who);
	json_t *as = p.assessment ? json_loads(p.assessment, 0, NULL) : NULL;
	if (as) {
		html_printf(b, "<p class=\"muted\">以下为提交时的测算（条件按评价规则判定）。</p>");
		write_assessment(r, as);
		json_decref(as);
	}
	if (r->role == ROLE_ADMIN)
		html_printf(b, "<p><a href=\"/admin/audit?kind=policy_applications&amp;id=%lld\" class=\"no-print\" id=\"audit-link\">操作记录</a></p>",
		            p.id);
	page_end(r);
}

/* The action's input from the form (amount typed as people type it). */
static void read_act_form(Req *r, const char *action, PolicyActInput *in)
{
	memset(in, 0, sizeof *in);
	in->action = action;
	in->reason = req_form(r, "reason");
	in->paid_on = req_form(r, "paid_on");
	in->voucher = req_form(r, "voucher");
	in->amount_text = req_form(r, "amount");
	if (in->amount_text && *in->amount_text && !parse_amount(in->amount_text, &in->amount))
		in->has_amount = 1;
}

static void page_act(Req *r, const char *action)
{
	PolicyActInput in;
	read_act_form(r, action, &in);
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	DomResult res = policy_act(r->store, &who, id, &in);
	page_done(r, res, arena_printf(&r->arena, "/policy-applications/%lld", id));
}

/* WEBPAGE: POST /policy-applications/{id}/endorse */
void page_policy_endorse(Req *r)
{
	page_act(r, "endorse");
}
/* WEBPAGE: POST /policy-applications/{id}/approve — amount, reason */
void page_policy_approve(Req *r)
{
	page_act(r, "approve");
}
/* WEBPAGE: POST /policy-applications/{id}/pay — paid_on, amount, voucher */
void page_policy_pay(Req *r)
{
	page_act(r, "pay");
}
/* WEBPAGE: POST /policy-applications/{id}/return — reason */
void page_policy_return(Req *r)
{
	page_act(r, "return");
}
/* WEBPAGE: POST /policy-applications/{id}/attachments — the plain form's file (multipart/form-data): file */
void page_policy_attach_post(Req *r)
{
	const FormFile *f = req_file(r, "file");
	if (!f) {
		http_error(r, 400, "no_file", "请先选择照片或 PDF 文件，再点“上传”。");
		return;
	}
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	DomResult res = policy_attach(r->store, &who, id, f->filename, f->data, f->len, NULL);
	page_done(r, res, arena_printf(&r->arena, "/policy-applications/%lld?done=attached#evidence", id));
}

/* WEBPAGE: POST /policy-applications/{id}/resubmit */
void page_policy_resubmit(Req *r)
{
	page_act(r, "resubmit");
}

/* ---- the API ---- */

static json_t *app_json(const PolicyApp *p, int full)
{
	json_t *j = json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:i,s:s,s:f,s:o,s:o,s:o,s:s?,s:s?,s:s?,s:s,s:s}", "id", (json_int_t)p->id,
	                      "measure_id", (json_int_t)p->measure_id, "policy", p->policy, "measure", p->measure, "measure_title",
	                      p->measure_title, "base_id", (json_int_t)p->base_id, "base_name", p->base_name, "area", p->area, "year",
	                      p->year, "status", p->status, "entitled_yuan", p->entitled, "claim_yuan",
	                      p->has_claim ? json_real(p->claim) : json_null(), "approved_yuan",
	                      p->has_approved ? json_real(p->approved) : json_null(), "paid_yuan",
	                      p->has_paid ? json_real(p->paid) : json_null(), "approve_reason", p->approve_reason, "return_reason",
	                      p->return_reason, "note", p->note, "applied_by", p->applied_by, "applied_at", p->applied_at);
	if (p->paid_on)
		json_object_set_new(j, "payment", json_pack("{s:s,s:s?,s:s?}", "paid_on", p->paid_on, "voucher_no", p->voucher_no, "paid_by",
		                                            p->paid_by));
	if (p->endorsed_by)
		json_object_set_new(j, "endorsed", json_pack("{s:s,s:s?}", "by", p->endorsed_by, "at", p->endorsed_at));
	if (p->approved_by)
		json_object_set_new(j, "approved", json_pack("{s:s,s:s?}", "by", p->approved_by, "at", p->approved_at));
	if (full && p->assessment) {
		json_t *as = json_loads(p->assessment, 0, NULL);
		if (as)
			json_object_set_new(j, "assessment", as);
	}
	return j;
}

/* API: GET /api/v1/policy-applications?status=&year= — a base user its base's, an area user its area's */
void api_policy_applications(Req *r)
{
	const char *status;
	int year;
	if (!read_filters(r, &status, &year))
		return;
	long long base;
	const char *area;
	list_scope(r, &base, &area);
	PolicyApp *v;
	int n = store_policy_apps(r->store, &r->arena, base, area, status, year, 1000, &v);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, app_json(&v[i], 0));
	http_json(r, 200, json_pack("{s:o,s:i}", "items", arr, "total", n));
}

/* API: POST /api/v1/policy-applications {measure_id, base_id, year, claim_yuan?, note?, dry_run?} */
void api_policy_apply(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	PolicyApplyInput in;
	const char *bad = read_apply(r, j, &in);
	if (bad) {
		http_error(r, 400, "invalid", bad);
		return;
	}
	int dry = json_is_true(json_object_get(j, "dry_run"));
	Actor who = req_actor(r);
	long long id = 0;
	PolicyAssessment pa;
	memset(&pa, 0, sizeof pa);
	DomResult res = policy_apply(r->store, &who, &in, dry, &id, &pa);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	if (dry) {
		http_json(r, 200, json_pack("{s:b,s:o,s:s}", "dry_run", 1, "assessment", policy_assessment_json(&pa), "message", res.message));
		return;
	}
	PolicyApp p;
	if (store_policy_app_get(r->store, &r->arena, id, &p) != 1) {
		http_error(r, 500, "store_error", "申请已提交，但读取失败，请刷新。");
		return;
	}
	json_t *out = app_json(&p, 1);
	json_object_set_new(out, "message", json_string(res.message));
	http_json(r, 201, out);
}

/* API: GET /api/v1/policy-applications/{id} — with its assessment */
void api_policy_application(Req *r)
{
	PolicyApp p;
	if (!load_app(r, &p))
		return;
	json_t *j = app_json(&p, 1);
	json_object_set_new(j, "attachments", api_attachments_json(r, POLICY_ATTACHMENT_OWNER, p.id));
	http_json(r, 200, j);
}

/* API: POST /api/v1/policy-applications/{id}/attachments?name= — the file (PDF or image) as the body */
void api_policy_attach(Req *r)
{
	if (!api_attachment_size_ok(r))
		return;
	Actor who = req_actor(r);
	long long fid = 0;
	DomResult res = policy_attach(r->store, &who, req_param_int(r, "id"), req_query(r, "name"), (const unsigned char *)r->body.data,
	                              r->body.len, &fid);
	api_attachment_answer(r, res, fid);
}

static void api_act(Req *r, const char *action)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	PolicyActInput in = {.action = action};
	in.reason = json_string_value(json_object_get(j, "reason"));
	in.paid_on = json_string_value(json_object_get(j, "paid_on"));
	in.voucher = json_string_value(json_object_get(j, "voucher_no"));
	json_t *amt = json_object_get(j, "amount_yuan");
	if (amt && !json_is_number(amt)) {
		http_error(r, 400, "bad_amount", "amount_yuan 应为数字（元）。");
		return;
	}
	if (json_is_number(amt)) {
		in.amount = json_number_value(amt);
		in.has_amount = isfinite(in.amount);
	}
	Actor who = req_actor(r);
	long long id = req_param_int(r, "id");
	DomResult res = policy_act(r->store, &who, id, &in);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	PolicyApp p;
	if (store_policy_app_get(r->store, &r->arena, id, &p) != 1) {
		http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", res.message));
		return;
	}
	json_t *out = app_json(&p, 0);
	json_object_set_new(out, "message", json_string(res.message));
	http_json(r, 200, out);
}

/* API: POST /api/v1/policy-applications/{id}/endorse {} */
void api_policy_endorse(Req *r)
{
	api_act(r, "endorse");
}
/* API: POST /api/v1/policy-applications/{id}/approve {amount_yuan, reason} */
void api_policy_approve(Req *r)
{
	api_act(r, "approve");
}
/* API: POST /api/v1/policy-applications/{id}/pay {paid_on, amount_yuan, voucher_no} */
void api_policy_pay(Req *r)
{
	api_act(r, "pay");
}
/* API: POST /api/v1/policy-applications/{id}/return {reason} */
void api_policy_return(Req *r)
{
	api_act(r, "return");
}
/* API: POST /api/v1/policy-applications/{id}/resubmit {} */
void api_policy_resubmit(Req *r)
{
	api_act(r, "resubmit");
}

/* ---- 工作台 ---- */

/* What waits for the user: an area its area's applications to endorse (not
 * its own), the office those to approve and to pay, a base its own open and
 * returned ones. */
static int work_items(Req *r, PolicyApp **out)
{
	if (r->role == ROLE_ADMIN)
		return store_policy_apps(r->store, &r->arena, 0, NULL, "endorsed,approved", 0, 50, out);
	if (r->role == ROLE_BASE)
		return store_policy_apps(r->store, &r->arena, id_or_zero(r->session->user.scope), NULL, "applied,endorsed,approved,returned", 0,
		                         50, out);
	int n = store_policy_apps(r->store, &r->arena, 0, r->session->user.scope, "applied", 0, 50, out);
	Actor who = req_actor(r);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!policy_refusal(&who, &(*out)[i], "endorse"))
			(*out)[k++] = (*out)[i];
	return n < 0 ? n : k;
}

long long policy_work_count(Req *r)
{
	PolicyApp *v;
	int n = work_items(r, &v);
	if (n <= 0 || r->role != ROLE_BASE)
		return n;
	int returned = 0; /* a base acts only on returned ones */
	for (int i = 0; i < n; i++)
		returned += !strcmp(v[i].status, "returned");
	return returned;
}

void policy_work_write(Req *r)
{
	PolicyApp *v;
	int n = work_items(r, &v);
	if (n <= 0)
		return;
	Buf *b = &r->out;
	const char *title = r->role == ROLE_ADMIN ? "待核定、待拨付的政策申请" : r->role == ROLE_AREA ? "待推荐的政策申请" : "本基地的政策申请";
	html_printf(b, "<section class=\"work\" id=\"work-policy\"><h2>%h（%d）</h2><ul class=\"cards\">", title, n);
	for (int i = 0; i < n; i++) {
		const PolicyApp *p = &v[i];
		html_printf(b, "<li class=\"card-item%s\"><p class=\"title\"><a href=\"/policy-applications/%lld\">%h · %h</a></p>"
		               "<p><span class=\"review %h\">%h</span> %h</p>",
		            !strcmp(p->status, "returned") ? " returned" : "", p->id, p->base_name, p->measure_title, p->status,
		            policy_status_zh(p->status), amount_cell(r, p));
		if (!strcmp(p->status, "returned") && p->return_reason)
			html_printf(b, "<p class=\"reason\"><span class=\"label\">退回原因</span>%h</p>", p->return_reason);
		html_printf(b, "</li>");
	}
	html_printf(b, "</ul><p><a class=\"button\" href=\"/policy-applications\">去处理</a></p></section>\n");
}
