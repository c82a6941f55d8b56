/*
 * policy_results.c — what the money bought (policy.h): support paid per
 * measure, area and base against what the supported bases delivered in the
 * same period (new floor area, firms in incubation, new firms, funds set up
 * at the base, recognitions); and the finance products (人才创业贷、人才创业险)
 * with the loans and policies granted to firms in the bases, audited.
 */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* The row of key in *rows (added when missing). */
static PolicyResultRow *row_for(Arena *a, PolicyResultRow **rows, int *n, int *cap, const char *key, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*rows)[i].key, key))
			return &(*rows)[i];
	PolicyResultRow *r = arena_push(a, rows, n, cap, sizeof **rows);
	r->key = key;
	r->name = name;
	return r;
}

static void add_delivery(PolicyResultRow *r, const BaseDelivery *d)
{
	r->bases++;
	r->new_area_m2 += d->new_area_m2;
	r->firms += d->firms;
	r->new_firms += d->new_firms;
	r->funds_yuan += d->funds_yuan;
	r->recognitions += d->recognitions;
}

int policy_results(Store *s, Arena *a, const Plan *p, int year, PolicyResults *out)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	char from[16], to[16];
	int y0 = p && p->nyears ? p->years[0] : 2022, y1 = p && p->nyears ? p->years[p->nyears - 1] : 2024;
	snprintf(from, sizeof from, "%04d-01-01", (year ? year : y0) % 10000);
	snprintf(to, sizeof to, "%04d-12-31", (year ? year : y1) % 10000);
	PaidRow *paid;
	int n = store_policy_paid(s, a, year, &paid);
	PolicyMeasureRow *ms;
	int nm = store_policy_measures(s, a, NULL, &ms);
	if (n < 0 || nm < 0)
		return H_ERR;
	/* what each supported base delivered, read once per base */
	BaseDelivery *del = arena_alloc(a, sizeof *del * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		int seen = -1;
		for (int k = 0; k < i && seen < 0; k++)
			if (paid[k].base_id == paid[i].base_id)
				seen = k;
		if (seen >= 0)
			del[i] = del[seen];
		else if (store_policy_delivery(s, paid[i].base_id, from, to, &del[i]) != H_OK)
			return H_ERR;
	}
	int cm = 0, ca = 0, cb = 0;
	for (int i = 0; i < n; i++) {
		const char *mcode = "", *mname = "";
		for (int k = 0; k < nm; k++)
			if (ms[k].id == paid[i].measure_id) {
				mcode = arena_printf(a, "%lld", ms[k].id);
				mname = ms[k].title;
			}
		const char *bkey = arena_printf(a, "%lld", paid[i].base_id);
		PolicyResultRow *rm = row_for(a, &out->by_measure, &out->nmeasure, &cm, mcode, mname);
		PolicyResultRow *ra = row_for(a, &out->by_area, &out->narea, &ca, paid[i].area, p ? area_name(p, paid[i].area) : paid[i].area);
		PolicyResultRow *rb = row_for(a, &out->by_base, &out->nbase, &cb, bkey, paid[i].base_name);
		/* a base counts once per row, however many of its payments fall there */
		int first_in_measure = 1, first_in_area = 1, first_base = 1;
		for (int k = 0; k < i; k++)
			if (paid[k].base_id == paid[i].base_id) {
				first_base = 0;
				first_in_area = 0;
				if (paid[k].measure_id == paid[i].measure_id)
					first_in_measure = 0;
			}
		PolicyResultRow *rows[] = {rm, ra, rb, &out->total};
		int firsts[] = {first_in_measure, first_in_area, first_base, first_base};
		for (int k = 0; k < 4; k++) {
			rows[k]->paid += paid[i].paid;
			rows[k]->applications += paid[i].applications;
			if (firsts[k])
				add_delivery(rows[k], &del[i]);
		}
	}
	out->total.key = "total";
	out->total.name = "合计";
	return H_OK;
}

/* ---- finance products ---- */

static const char *dump(Arena *a, json_t *j)
{
	char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *o = arena_strdup(a, t);
	free(t);
	return o;
}

/* 1 when t is text of 1..max characters. */
static int text_ok(const char *t, size_t max)
{
	if (!t || !*t)
		return 0;
	size_t n = 0;
	for (const char *p = t; *p; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	return n <= max;
}

DomResult finance_product_add(Store *s, const Actor *who, const char *kind, const char *name, const char *provider,
                              const char *note, long long *new_id)
{
	if (who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以登记金融产品。");
	if (!kind || (strcmp(kind, "loan") && strcmp(kind, "insurance")))
		return dom_result(DOM_INVALID, "bad_kind", "产品类型应为人才创业贷（loan）或人才创业险（insurance）。");
	if (!text_ok(name, 100))
		return dom_result(DOM_INVALID, "name_required", "请填写产品名称（最多 100 字）。");
	if (!text_ok(provider, 100))
		return dom_result(DOM_INVALID, "provider_required", "请填写提供产品的银行或保险机构（最多 100 字）。");
	if (note && *note && !text_ok(note, 500))
		return dom_result(DOM_INVALID, "too_long", "说明最多 500 字。");
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	long long id = store_finance_product_insert(s, kind, name, provider, note && *note ? note : NULL, who->name);
	if (id <= 0 && store_constraint_failed(s)) {
		store_rollback(s);
		return dom_result(DOM_CONFLICT, "duplicate", "这家机构已有同名产品。");
	}
	const char *after = dump(who->arena, json_pack("{s:s,s:s,s:s}", "kind", kind, "name", name, "provider", provider));
	if (id <= 0 || !after ||
	    store_audit(s, who->name, who->addr, "create", "finance_products", arena_printf(who->arena, "%lld", id), NULL, after) !=
	        H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (new_id)
		*new_id = id;
	return dom_result(DOM_OK, NULL, "金融产品已登记。");
}

DomResult finance_grant_add(Store *s, const Actor *who, long long product_id, long long base_id, const char *firm,
                            double amount, const char *granted_on, const char *note, long long *new_id)
{
	Arena *a = who->arena;
	if (who->role != ROLE_ADMIN && who->role != ROLE_AREA)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室和镇街、功能区可以登记放款和承保。");
	if (!text_ok(firm, 100))
		return dom_result(DOM_INVALID, "firm_required", "请填写获得贷款或保险的企业名称（最多 100 字）。");
	if (!(amount > 0) || amount > 1e12)
		return dom_result(DOM_INVALID, "bad_amount", "请填写金额（元，大于 0）。");
	if (!granted_on || !date_valid(granted_on))
		return dom_result(DOM_INVALID, "bad_date", "请填写放款或承保日期（YYYY-MM-DD）。");
	if (note && *note && !text_ok(note, 500))
		return dom_result(DOM_INVALID, "too_long", "说明最多 500 字。");
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	FinanceProduct prod;
	const char *area = NULL, *status = NULL;
	long long unused;
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	int found = store_finance_product_get(s, a, product_id, &prod);
	if (found < 0)
		res = dom_store_failed();
	else if (!found)
		res = dom_result(DOM_NOT_FOUND, "no_product", "没有这个金融产品，请先登记产品。");
	else if ((found = store_record_visibility(s, a, "bases", base_id, &area, &unused, &status)) < 0)
		res = dom_store_failed();
	else if (!found || strcmp(status, "approved"))
		res = dom_result(DOM_NOT_FOUND, "no_base", "没有这个孵化基地（或它尚未通过审核）。");
	else if (who->role == ROLE_AREA && (!who->scope || strcmp(who->scope, area)))
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", "只能登记本辖区孵化基地内企业的贷款和保险。");
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	FinanceGrant g = {.product_id = product_id, .base_id = base_id, .area = area, .firm = firm, .amount = amount,
	                  .granted_on = granted_on, .note = note && *note ? note : NULL, .created_by = who->name};
	long long id = store_finance_grant_insert(s, &g);
	const char *after = dump(a, json_pack("{s:I,s:I,s:s,s:f,s:s}", "product_id", (json_int_t)product_id, "base_id",
	                                      (json_int_t)base_id, "firm", firm, "amount_yuan", amount, "granted_on", granted_on));
	if (id <= 0 || !after ||
	    store_audit(s, who->name, who->addr, "create", "finance_grants", arena_printf(a, "%lld", id), NULL, after) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (new_id)
		*new_id = id;
	return dom_result(DOM_OK, NULL, !strcmp(prod.kind, "loan") ? "放款已登记。" : "承保已登记。");
}
