/*
 * page_policy_results.c — what the money bought (政策成效), for the office
 * and the leadership group: support paid per measure, area and base against
 * what the supported bases delivered (new floor area, firms in incubation,
 * new firms, funds, recognitions) and the ratios 元/新增㎡, 元/在孵企业,
 * 元/认定; as a page, JSON and an .xlsx workbook. And the finance products
 * (人才创业贷、人才创业险, 三(三)) with the loans and policies granted to
 * firms in the bases, per base and area. The work is policy_results.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "policy.h"
#include "xlsx_write.h"

/* "1,234 元/㎡" or "—" when there is nothing to divide by. */
static const char *per(Req *r, double paid, double by, const char *unit)
{
	if (by <= 0)
		return "—";
	return arena_printf(&r->arena, "%s/%s", fmt_money(&r->arena, paid / by), unit);
}

static int read_results(Req *r, PolicyResults *res)
{
	int year;
	if (!req_query_plan_year(r, "year", 0, &year))
		return 0;
	if (policy_results(r->store, &r->arena, r->plan, year, res) != H_OK) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return 0;
	}
	return 1;
}

static void results_table(Req *r, const char *id, const char *caption, const char *first, const PolicyResultRow *rows, int n,
                          const PolicyResultRow *total)
{
	Buf *b = &r->out;
	Arena *a = &r->arena;
	html_printf(b, "<h2>%h</h2><div class=\"table-wrap\"><table class=\"data\" id=\"%h\"><thead><tr><th scope=\"col\">%h</th>"
	               "<th scope=\"col\">已拨付</th><th scope=\"col\">受支持基地</th><th scope=\"col\">新增面积</th><th scope=\"col\">元/新增㎡</th>"
	               "<th scope=\"col\">在孵企业</th><th scope=\"col\">元/在孵企业</th><th scope=\"col\">新入孵企业</th>"
	               "<th scope=\"col\">新设基金规模</th><th scope=\"col\">认定</th><th scope=\"col\">元/认定</th></tr></thead><tbody>",
	            caption, id, first);
	for (int i = 0; i <= n; i++) {
		const PolicyResultRow *x = i < n ? &rows[i] : total;
		if (i == n && !total)
			break;
		html_printf(b, "<tr%s><th scope=\"row\">%h</th><td>%h</td><td>%d</td><td>%h</td><td>%h</td><td>%g</td><td>%h</td><td>%g</td>"
		               "<td>%h</td><td>%g</td><td>%h</td></tr>",
		            i == n ? " class=\"total\"" : "", x->name ? x->name : "", fmt_money(a, x->paid), x->bases, fmt_area(a, x->new_area_m2),
		            per(r, x->paid, x->new_area_m2, "㎡"), x->firms, per(r, x->paid, x->firms, "家"), x->new_firms,
		            fmt_money(a, x->funds_yuan), x->recognitions, per(r, x->paid, x->recognitions, "项"));
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* WEBPAGE: GET /policy-results?year= — what each measure paid and what it bought */
void page_policy_results(Req *r)
{
	PolicyResults res;
	if (!read_results(r, &res))
		return;
	Buf *b = &r->out;
	page_begin(r, "政策成效", "policy-results");
	html_printf(b, "<h1>政策成效：钱花在哪里，换来了什么</h1>");
	html_printf(b, "<p class=\"filters\"><a href=\"/policy-results\"%s>规划期合计</a>", res.year ? "" : " aria-current=\"page\"");
	for (int i = 0; i < r->plan->nyears; i++)
		html_printf(b, " · <a href=\"/policy-results?year=%d\"%s>%d 年</a>", r->plan->years[i],
		            res.year == r->plan->years[i] ? " aria-current=\"page\"" : "", r->plan->years[i]);
	html_printf(b, " · <a href=\"/policy-results.xlsx%h\" download>导出 Excel</a></p>",
	            res.year ? arena_printf(&r->arena, "?year=%d", res.year) : "");
	html_printf(b, "<p class=\"lead\">已拨付 <strong id=\"paid-total\">%h</strong>（%d 笔），支持 %d 个基地；这些基地同期新增面积 %h，"
	               "期末在孵企业 %g 家，获认定 %g 项。</p>",
	            fmt_money(&r->arena, res.total.paid), res.total.applications, res.total.bases, fmt_area(&r->arena, res.total.new_area_m2),
	            res.total.firms, res.total.recognitions);
	html_printf(b, "<p class=\"muted\">口径：只计已登记拨付的申请（按申请年度）；成效为受支持基地在同一期间的新增孵化面积（含开业）、期末在孵企业、"
	               "新入孵企业、在该基地设立的基金规模和获得的认定，整体归于支持它的每一项措施——同一基地受多项措施支持时，各措施行会重复计入其成效，"
	               "合计行不重复。比值是支出与成效之比，不是因果测算。</p>");
	results_table(r, "by-measure", "按措施", "措施", res.by_measure, res.nmeasure, &res.total);
	results_table(r, "by-area", "按区域", "区域", res.by_area, res.narea, &res.total);
	results_table(r, "by-base", "按基地", "孵化基地", res.by_base, res.nbase, NULL);
	html_printf(b, "<p><a href=\"/finance\">人才创业贷、人才创业险的发放情况</a> · <a href=\"/policies\">支持政策</a></p>");
	page_end(r);
}

static json_t *row_json(const PolicyResultRow *x)
{
	return json_pack("{s:s,s:s,s:i,s:i,s:f,s:f,s:f,s:f,s:f,s:f,s:o,s:o,s:o}", "key", x->key ? x->key : "", "name", x->name ? x->name : "",
	                 "applications", x->applications, "bases", x->bases, "paid_yuan", x->paid, "new_area_m2", x->new_area_m2, "firms",
	                 x->firms, "new_firms", x->new_firms, "funds_yuan", x->funds_yuan, "recognitions", x->recognitions,
	                 "yuan_per_new_m2", x->new_area_m2 > 0 ? json_real(x->paid / x->new_area_m2) : json_null(), "yuan_per_firm",
	                 x->firms > 0 ? json_real(x->paid / x->firms) : json_null(), "yuan_per_recognition",
	                 x->recognitions > 0 ? json_real(x->paid / x->recognitions) : json_null());
}

/* API: GET /api/v1/policy-results?year= */
void api_policy_results(Req *r)
{
	PolicyResults res;
	if (!read_results(r, &res))
		return;
	json_t *m = json_array(), *ar = json_array(), *bs = json_array();
	for (int i = 0; i < res.nmeasure; i++)
		json_array_append_new(m, row_json(&res.by_measure[i]));
	for (int i = 0; i < res.narea; i++)
		json_array_append_new(ar, row_json(&res.by_area[i]));
	for (int i = 0; i < res.nbase; i++)
		json_array_append_new(bs, row_json(&res.by_base[i]));
	http_json(r, 200, json_pack("{s:o,s:o,s:o,s:o,s:o}", "year", res.year ? json_integer(res.year) : json_null(), "total",
	                            row_json(&res.total), "by_measure", m, "by_area", ar, "by_base", bs));
}

static XlsxCell *sheet_cells(Req *r, const PolicyResultRow *rows, int n, const PolicyResultRow *total)
{
	int nr = n + (total ? 1 : 0);
	XlsxCell *c = arena_alloc(&r->arena, sizeof *c * (size_t)(nr + 1) * 12);
	for (int i = 0; i < nr; i++) {
		const PolicyResultRow *x = i < n ? &rows[i] : total;
		XlsxCell *row = &c[i * 12];
		row[0] = xlsx_str(x->name ? x->name : "");
		row[1] = xlsx_num(x->paid);
		row[2] = xlsx_num(x->applications);
		row[3] = xlsx_num(x->bases);
		row[4] = xlsx_num(x->new_area_m2);
		row[5] = x->new_area_m2 > 0 ? xlsx_num(round(x->paid / x->new_area_m2 * 100) / 100) : xlsx_str(NULL);
		row[6] = xlsx_num(x->firms);
		row[7] = x->firms > 0 ? xlsx_num(round(x->paid / x->firms * 100) / 100) : xlsx_str(NULL);
		row[8] = xlsx_num(x->new_firms);
		row[9] = xlsx_num(x->funds_yuan);
		row[10] = xlsx_num(x->recognitions);
		row[11] = x->recognitions > 0 ? xlsx_num(round(x->paid / x->recognitions * 100) / 100) : xlsx_str(NULL);
	}
	return c;
}

/* WEBPAGE: GET /policy-results.xlsx?year= — the three tables as sheets, with 说明 */
void page_policy_results_xlsx(Req *r)
{
	PolicyResults res;
	if (!read_results(r, &res))
		return;
	static const XlsxColumn cols[] = {
		{.header = "名称"}, {.header = "已拨付（元）", .type = XLSX_NUMBER}, {.header = "笔数", .type = XLSX_NUMBER},
		{.header = "受支持基地", .type = XLSX_NUMBER}, {.header = "新增面积（㎡）", .type = XLSX_NUMBER},
		{.header = "元/新增㎡", .type = XLSX_NUMBER}, {.header = "期末在孵企业（家）", .type = XLSX_NUMBER},
		{.header = "元/在孵企业", .type = XLSX_NUMBER}, {.header = "新入孵企业（家）", .type = XLSX_NUMBER},
		{.header = "新设基金规模（元）", .type = XLSX_NUMBER}, {.header = "认定（项）", .type = XLSX_NUMBER},
		{.header = "元/认定", .type = XLSX_NUMBER},
	};
	XlsxTable t[3] = {
		{.name = "按措施", .cols = cols, .ncols = 12, .cells = sheet_cells(r, res.by_measure, res.nmeasure, &res.total),
		 .nrows = res.nmeasure + 1, .input_rows = res.nmeasure + 2},
		{.name = "按区域", .cols = cols, .ncols = 12, .cells = sheet_cells(r, res.by_area, res.narea, &res.total), .nrows = res.narea + 1,
		 .input_rows = res.narea + 2},
		{.name = "按基地", .cols = cols, .ncols = 12, .cells = sheet_cells(r, res.by_base, res.nbase, NULL), .nrows = res.nbase,
		 .input_rows = res.nbase + 1},
	};
	const char *period = res.year ? arena_printf(&r->arena, "%d 年", res.year) : "规划期合计";
	const char *lines[] = {
		arena_printf(&r->arena, "政策成效（%s）：已拨付的支持与受支持基地同期的成效。", period),
		"只计已登记拨付的申请（按申请年度）；金额单位为元，面积为平方米。",
		"成效为受支持基地在同一期间的新增孵化面积（含开业）、期末在孵企业、新入孵企业、在该基地设立的基金规模和获得的认定。",
		"同一基地受多项措施支持时，其成效计入每一项措施；合计行不重复。比值是支出与成效之比，不是因果测算。",
		NULL,
	};
	XlsxBook book = {.tables = t, .ntables = 3, .instructions = lines};
	page_send_xlsx(r, &book, res.year ? arena_printf(&r->arena, "policy-results-%d.xlsx", res.year) : "policy-results.xlsx",
	                arena_printf(&r->arena, "政策成效（%s）.xlsx", period));
}

/* ---- finance products ---- */

typedef struct Sum {
	const char *key, *name;
	int loans, policies;
	double loan_yuan, insured_yuan;
} Sum;

static Sum *sum_for(Arena *a, Sum **v, int *n, int *cap, const char *key, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*v)[i].key, key))
			return &(*v)[i];
	Sum *s = arena_push(a, v, n, cap, sizeof **v);
	s->key = key;
	s->name = name;
	return s;
}

static void add_grant(Sum *s, const FinanceGrant *g)
{
	if (!strcmp(g->kind, "loan")) {
		s->loans++;
		s->loan_yuan += g->amount;
	} else {
		s->policies++;
		s->insured_yuan += g->amount;
	}
}

static void sums_table(Req *r, const char *id, const char *first, const Sum *v, int n)
{
	Buf *b = &r->out;
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"%h\"><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">人才创业贷（笔）</th>"
	               "<th scope=\"col\">贷款金额</th><th scope=\"col\">人才创业险（单）</th><th scope=\"col\">保额</th></tr></thead><tbody>",
	            id, first);
	for (int i = 0; i < n; i++)
		html_printf(b, "<tr><th scope=\"row\">%h</th><td>%d</td><td>%h</td><td>%d</td><td>%h</td></tr>", v[i].name, v[i].loans,
		            fmt_money(&r->arena, v[i].loan_yuan), v[i].policies, fmt_money(&r->arena, v[i].insured_yuan));
	if (!n)
		html_printf(b, "<tr><td colspan=\"5\" class=\"muted\">暂无。</td></tr>");
	html_printf(b, "</tbody></table></div>\n");
}

/* WEBPAGE: GET /finance — 人才创业贷、人才创业险: products, per area and base, the grants */
void page_finance(Req *r)
{
	FinanceProduct *ps;
	FinanceGrant *gs;
	const char *area = r->role == ROLE_AREA ? r->session->user.scope : NULL;
	int np = store_finance_products(r->store, &r->arena, &ps), ng = store_finance_grants(r->store, &r->arena, NULL, 0, &gs);
	if (np < 0 || ng < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Sum *areas = NULL, *bases = NULL;
	int na = 0, ca = 0, nb = 0, cb = 0;
	for (int i = 0; i < ng; i++) {
		add_grant(sum_for(&r->arena, &areas, &na, &ca, gs[i].area, area_name(r->plan, gs[i].area)), &gs[i]);
		add_grant(sum_for(&r->arena, &bases, &nb, &cb, arena_printf(&r->arena, "%lld", gs[i].base_id), gs[i].base_name), &gs[i]);
	}
	Buf *b = &r->out;
	Arena *a = &r->arena;
	page_begin(r, "人才创业贷、人才创业险", "policy-results");
	html_printf(b, "<h1>人才创业贷、人才创业险</h1><p class=\"lead\">行动计划三（三）：银行保险机构为孵化基地内企业提供的“人才创业贷”“人才创业险”，"
	               "按产品、区域和基地汇总。</p>");
	html_printf(b, "<h2>产品</h2><ul class=\"cards\" id=\"products\">");
	for (int i = 0; i < np; i++)
		html_printf(b, "<li class=\"card-item\"><p class=\"title\">%h <span class=\"muted\">%h</span></p><p>%h · %d %s，合计 %h</p>%s%h%s</li>",
		            ps[i].name, !strcmp(ps[i].kind, "loan") ? "人才创业贷" : "人才创业险", ps[i].provider, ps[i].grants,
		            !strcmp(ps[i].kind, "loan") ? "笔" : "单", fmt_money(a, ps[i].amount), ps[i].note ? "<p class=\"muted\">" : "",
		            ps[i].note ? ps[i].note : "", ps[i].note ? "</p>" : "");
	if (!np)
		html_printf(b, "<li class=\"muted\">尚未登记产品。</li>");
	html_printf(b, "</ul><h2>按区域</h2>");
	sums_table(r, "finance-areas", "区域", areas, na);
	html_printf(b, "<h2>按基地</h2>");
	sums_table(r, "finance-bases", "孵化基地", bases, nb);
	html_printf(b, "<h2>最近的放款和承保</h2><ul class=\"cards\" id=\"grants\">");
	for (int i = 0; i < ng && i < 50; i++)
		html_printf(b, "<li class=\"card-item\"><p class=\"title\">%h · %h</p><p>%h（%h）%h · %h</p><p class=\"muted\">%h · %h</p></li>",
		            gs[i].firm, fmt_money(a, gs[i].amount), gs[i].product, gs[i].provider,
		            !strcmp(gs[i].kind, "loan") ? "放款" : "承保", gs[i].granted_on, gs[i].base_name, area_name(r->plan, gs[i].area));
	html_printf(b, "</ul>");
	if (r->role == ROLE_ADMIN) {
		html_printf(b, "<form method=\"post\" action=\"/finance/products\" class=\"card\"><h3>登记产品</h3>");
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"f-kind\">类型</label><select id=\"f-kind\" name=\"kind\">"
		               "<option value=\"loan\">人才创业贷</option><option value=\"insurance\">人才创业险</option></select></div>");
		form_input(r, "name", "产品名称", "text", NULL, NULL, " required maxlength=\"100\"");
		form_input(r, "provider", "银行或保险机构", "text", NULL, NULL, " required maxlength=\"100\"");
		form_input(r, "note", "说明", "text", NULL, NULL, " maxlength=\"500\"");
		html_printf(b, "<button type=\"submit\">登记</button></form>");
	}
	if ((r->role == ROLE_ADMIN || r->role == ROLE_AREA) && np > 0) {
		Base *bs;
		int nbs = store_bases(r->store, a, area, &bs);
		html_printf(b, "<form method=\"post\" action=\"/finance/grants\" class=\"card\"><h3>登记放款或承保</h3>");
		form_csrf(r);
		html_printf(b, "<div class=\"field\"><label for=\"f-product\">产品</label><select id=\"f-product\" name=\"product\">");
		for (int i = 0; i < np; i++)
			html_printf(b, "<option value=\"%lld\">%h（%h）</option>", ps[i].id, ps[i].name, ps[i].provider);
		html_printf(b, "</select></div><div class=\"field\"><label for=\"f-base\">孵化基地</label><select id=\"f-base\" name=\"base\">");
		for (int i = 0; i < nbs; i++)
			html_printf(b, "<option value=\"%lld\">%h</option>", bs[i].id, bs[i].name);
		html_printf(b, "</select></div>");
		form_input(r, "firm", "企业名称", "text", NULL, NULL, " required maxlength=\"100\"");
		form_input(r, "amount", "金额（元：贷款额或保额）", "text", NULL, NULL, " required inputmode=\"decimal\"");
		char today[11];
		date_today(today);
		form_input(r, "granted_on", "放款或承保日期", "date", today, NULL, " required");
		html_printf(b, "<button type=\"submit\">登记</button></form>");
	}
	page_end(r);
}

/* WEBPAGE: POST /finance/products — kind, name, provider, note */
void page_finance_product_post(Req *r)
{
	Actor who = req_actor(r);
	DomResult res = finance_product_add(r->store, &who, req_form(r, "kind"), req_form(r, "name"), req_form(r, "provider"),
	                                    req_form(r, "note"), NULL);
	page_done(r, res, "/finance");
}

/* WEBPAGE: POST /finance/grants — product, base, firm, amount, granted_on, note */
void page_finance_grant_post(Req *r)
{
	long long product, base;
	double amount = 0;
	const char *at = req_form(r, "amount");
	if (!parse_int(req_form(r, "product"), 1, 1LL << 62, &product) || !parse_int(req_form(r, "base"), 1, 1LL << 62, &base)) {
		http_error(r, 400, "invalid", "请选择产品和孵化基地。");
		return;
	}
	if (!at || parse_amount(at, &amount)) {
		http_error(r, 400, "bad_amount", "金额读不懂：请填写数字（元），如 500000 或 50万。");
		return;
	}
	Actor who = req_actor(r);
	DomResult res = finance_grant_add(r->store, &who, product, base, req_form(r, "firm"), amount, req_form(r, "granted_on"),
	                                  req_form(r, "note"), NULL);
	page_done(r, res, "/finance");
}

/* API: GET /api/v1/finance — products and grants (an area user: its area's grants) */
void api_finance(Req *r)
{
	FinanceProduct *ps;
	FinanceGrant *gs;
	const char *area = r->role == ROLE_AREA ? r->session->user.scope : NULL;
	int np = store_finance_products(r->store, &r->arena, &ps), ng = store_finance_grants(r->store, &r->arena, area, 0, &gs);
	if (np < 0 || ng < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *pj = json_array(), *gj = json_array();
	for (int i = 0; i < np; i++)
		json_array_append_new(pj, json_pack("{s:I,s:s,s:s,s:s,s:i,s:f}", "id", (json_int_t)ps[i].id, "kind", ps[i].kind, "name", ps[i].name,
		                                    "provider", ps[i].provider, "grants", ps[i].grants, "amount_yuan", ps[i].amount));
	for (int i = 0; i < ng; i++)
		json_array_append_new(gj, json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:f,s:s}", "id", (json_int_t)gs[i].id, "product_id",
		                                    (json_int_t)gs[i].product_id, "kind", gs[i].kind, "base_id", (json_int_t)gs[i].base_id,
		                                    "base_name", gs[i].base_name, "area", gs[i].area, "firm", gs[i].firm, "amount_yuan",
		                                    gs[i].amount, "granted_on", gs[i].granted_on));
	http_json(r, 200, json_pack("{s:o,s:o}", "products", pj, "grants", gj));
}
