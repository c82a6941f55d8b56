/*
 * demo_policy.c — the sample's policy system (示例数据): the example policy
 * file (policies/ruian-support-example.json), the bases' 2023 and 2024
 * evaluation grades, one year (2024) of applications — paid, approved at
 * another amount with a reason, endorsed, applied, returned — with their
 * assessments computed as the program computes them, and the talent loans
 * and insurance (人才创业贷、人才创业险) granted to firms in the bases.
 * Called by demo_load inside its transaction; deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "policy.h"

/* One application of the sample: base, measure code, claim, and how far it went. */
typedef struct DemoApp {
	long long base;
	const char *measure;
	double claim;          /* 0: none */
	const char *status;    /* applied, endorsed, approved, paid, returned */
	double approved;       /* < 0: as entitled */
	const char *reason;    /* approval reason (another amount) or return reason */
	const char *applied_at, *paid_on, *voucher;
	const char *by;        /* applicant */
} DemoApp;

static const DemoApp apps[] = {
	{1, "operating-subsidy", 0, "paid", -1, NULL, "2025-01-10T02:00:00Z", "2025-03-20", "示例财拨〔2025〕011号", "demo"},
	{2, "operating-subsidy", 0, "paid", -1, NULL, "2025-01-12T02:00:00Z", "2025-03-20", "示例财拨〔2025〕012号", "demo"},
	{17, "operating-subsidy", 0, "approved", 250000, "考核材料中运营台账缺两个月，按测算金额的八成三核定", "2025-01-15T03:00:00Z", NULL, NULL,
	 "demo"},
	{20, "operating-subsidy", 0, "endorsed", -1, NULL, "2025-01-18T03:00:00Z", NULL, NULL, "demo"},
	{23, "operating-subsidy", 0, "applied", -1, NULL, "2025-02-01T03:00:00Z", NULL, NULL, "demo"},
	{18, "operating-subsidy", 0, "returned", -1, "请补充 2024 年度考核结果通知书（盖章扫描件）后重新提交", "2025-01-20T03:00:00Z", NULL, NULL,
	 "demo"},
	{7, "space-subsidy", 0, "paid", -1, NULL, "2024-12-10T02:00:00Z", "2025-02-28", "示例财拨〔2025〕007号", "demo"},
	{36, "space-subsidy", 0, "approved", -1, NULL, "2024-12-12T02:00:00Z", NULL, NULL, "demo"},
	{13, "space-subsidy", 0, "paid", -1, NULL, "2024-12-15T02:00:00Z", "2025-02-28", "示例财拨〔2025〕008号", "demo"},
	{40, "space-subsidy", 0, "paid", -1, NULL, "2024-12-18T02:00:00Z", "2025-02-28", "示例财拨〔2025〕009号", "demo"},
	{4, "recognition-award", 0, "paid", -1, NULL, "2024-11-20T02:00:00Z", "2025-01-25", "示例财拨〔2025〕002号", "demo"},
	{20, "recognition-award", 0, "approved", -1, NULL, "2024-12-01T02:00:00Z", NULL, NULL, "demo"},
	{23, "recognition-award", 0, "paid", -1, NULL, "2024-08-01T02:00:00Z", "2024-10-15", "示例财拨〔2024〕031号", "demo"},
	{17, "rent-reduction", 800000, "paid", -1, NULL, "2024-07-05T02:00:00Z", "2024-09-10", "示例财拨〔2024〕021号", "demo"},
	{20, "rent-reduction", 1200000, "paid", -1, NULL, "2024-07-08T02:00:00Z", "2024-09-10", "示例财拨〔2024〕022号", "demo"},
	{10, "talent-loan-interest", 120000, "paid", -1, NULL, "2024-12-20T02:00:00Z", "2025-02-10", "示例财拨〔2025〕005号", "demo"},
	{1, "seed-cofunding", 2000000, "paid", -1, NULL, "2024-06-18T02:00:00Z", "2024-08-30", "示例财拨〔2024〕018号", "demo"},
};

/* Evaluation grades (4 优秀 … 1 不合格) by base: 2023, 2024 (0: none). */
static const struct {
	long long base;
	int g2023, g2024;
} grades[] = {
	{1, 3, 4}, {2, 3, 3}, {10, 3, 3}, {17, 4, 4}, {18, 2, 3}, {20, 4, 4}, {23, 2, 2}, {9, 3, 0}, {5, 3, 3},
};

static const struct {
	const char *kind, *name, *provider, *note;
} products[] = {
	{"loan", "示例·人才创业贷", "示例·瑞安农商银行", "示例：人才企业信用贷款，最高 300 万元，市级贴息 50%"},
	{"loan", "示例·科创人才贷", "示例·温州银行瑞安支行", "示例：知识产权质押与信用结合"},
	{"insurance", "示例·人才创业险", "示例·人保财险瑞安支公司", "示例：创业失败费用损失和研发中断保障"},
};

static const struct {
	int product;
	long long base;
	const char *firm;
	double amount;
	const char *on;
} grants[] = {
	{0, 1, "示例·东新智算科技有限公司", 2000000, "2024-03-12"}, {0, 1, "示例·云江数据科技有限公司", 1000000, "2024-06-05"},
	{0, 10, "示例·飞云青创智能科技有限公司", 500000, "2024-04-18"}, {1, 17, "示例·安阳芯联科技有限公司", 3000000, "2024-05-20"},
	{1, 20, "示例·锦湖康瑞生物科技有限公司", 2500000, "2024-08-08"}, {0, 23, "示例·上望新材科技有限公司", 1500000, "2024-09-16"},
	{0, 2, "示例·塘下精工智能科技有限公司", 800000, "2024-10-09"}, {2, 1, "示例·东新智算科技有限公司", 500000, "2024-03-20"},
	{2, 10, "示例·飞云青创智能科技有限公司", 300000, "2024-04-25"}, {2, 20, "示例·锦湖康瑞生物科技有限公司", 600000, "2024-08-15"},
	{2, 4, "示例·江南瑞康医疗科技有限公司", 400000, "2024-11-02"}, {1, 4, "示例·江南瑞康医疗科技有限公司", 1200000, "2024-11-20"},
};

static const char *dump(Arena *a, json_t *j)
{
	char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *o = arena_strdup(a, t);
	free(t);
	return o;
}

int demo_policy_load(Store *s, const Plan *p, char *err, size_t errsz)
{
	(void)p;
	if (store_version(s) < 9)
		return H_OK; /* a database from before the policy system (schema step 9): the tests of its upgrade */
	Arena a = {0};
	const char *fail_what = NULL;
	for (int i = 0; i < embedded_policy_count && !fail_what; i++)
		if (policy_load(s, &a, embedded_policies[i].data, *embedded_policies[i].len, embedded_policies[i].name, "demo", err,
		                errsz) != H_OK) {
			arena_free(&a);
			return H_ERR;
		}
	for (size_t i = 0; i < ARRAY_LEN(grades) && !fail_what; i++) {
		if (grades[i].g2023 && store_base_figure_set(s, grades[i].base, 2023, "evaluation_grade", grades[i].g2023, 1, "demo") != H_OK)
			fail_what = "grade";
		if (grades[i].g2024 && store_base_figure_set(s, grades[i].base, 2024, "evaluation_grade", grades[i].g2024, 1, "demo") != H_OK)
			fail_what = "grade";
	}
	PolicyMeasureRow *ms;
	int nm = fail_what ? 0 : store_policy_measures(s, &a, NULL, &ms);
	if (nm < 0)
		fail_what = "measures";
	for (size_t i = 0; i < ARRAY_LEN(apps) && !fail_what; i++) {
		const DemoApp *d = &apps[i];
		long long mid = 0;
		for (int k = 0; k < nm; k++)
			if (!strcmp(ms[k].code, d->measure))
				mid = ms[k].id;
		const PolicyDoc *doc;
		const PolicyMeasure *m;
		const char *area;
		PolicyAssessment pa;
		if (!mid || policy_measure_get(s, &a, mid, &doc, &m) != 1 || store_base_area(s, &a, d->base, &area) != 1 ||
		    policy_assess(s, &a, m, mid, d->base, 2024, d->claim, 0, &pa) != H_OK) {
			fail_what = "application";
			break;
		}
		PolicyApp x = {
			.measure_id = mid, .base_id = d->base, .area = area, .year = 2024, .claim = d->claim, .has_claim = d->claim > 0,
			.entitled = pa.entitled, .assessment = dump(&a, policy_assessment_json(&pa)), .applied_by = d->by,
			.applied_at = d->applied_at, .status = d->status,
		};
		x.id = store_policy_app_insert(s, &x);
		if (x.id <= 0) {
			fail_what = "application";
			break;
		}
		int st = !strcmp(d->status, "endorsed") ? 1 : !strcmp(d->status, "approved") ? 2 : !strcmp(d->status, "paid") ? 3 : 0;
		if (st >= 1) {
			x.endorsed_by = "demo";
			x.endorsed_at = "2025-01-22T02:00:00Z";
		}
		if (st >= 2) {
			x.approved_by = "admin";
			x.approved_at = "2025-02-15T02:00:00Z";
			x.approved = d->approved >= 0 ? d->approved : pa.entitled;
			x.has_approved = 1;
			x.approve_reason = d->approved >= 0 ? d->reason : NULL;
		}
		if (st >= 3) {
			x.paid_on = d->paid_on;
			x.paid = x.approved;
			x.has_paid = 1;
			x.voucher_no = d->voucher;
			x.paid_by = "admin";
		}
		if (!strcmp(d->status, "returned")) {
			x.returned_by = "demo";
			x.returned_at = "2025-01-25T02:00:00Z";
			x.return_reason = d->reason;
		}
		if (store_policy_app_update(s, &x) != H_OK)
			fail_what = "application";
	}
	long long pid[ARRAY_LEN(products)];
	for (size_t i = 0; i < ARRAY_LEN(products) && !fail_what; i++)
		if ((pid[i] = store_finance_product_insert(s, products[i].kind, products[i].name, products[i].provider, products[i].note,
		                                           "demo")) <= 0)
			fail_what = "finance product";
	for (size_t i = 0; i < ARRAY_LEN(grants) && !fail_what; i++) {
		const char *area;
		if (store_base_area(s, &a, grants[i].base, &area) != 1) {
			fail_what = "finance grant";
			break;
		}
		FinanceGrant g = {.product_id = pid[grants[i].product], .base_id = grants[i].base, .area = area, .firm = grants[i].firm,
		                  .amount = grants[i].amount, .granted_on = grants[i].on, .created_by = "demo"};
		if (store_finance_grant_insert(s, &g) <= 0)
			fail_what = "finance grant";
	}
	if (fail_what)
		snprintf(err, errsz, "demo data (%s): %s", fail_what, store_errmsg(s));
	arena_free(&a);
	return fail_what ? H_ERR : H_OK;
}
