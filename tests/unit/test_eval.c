/*
 * test_eval.c — evaluation: every automatic rule of every rule set (the
 * plan's 七个一 and every embedded rules file) at its threshold's edge:
 * exactly on, just below and just above, following its comparison (以上
 * counts the number itself, 超 does not); missing data is unknown, never a
 * pass; alternatives (或); gaps in the rule's unit; the measures read from
 * a base's facts; broken rules files refused with their place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval.h"
#include "plan.h"
#include "rules.h"

/* Every rule set the binary carries: the plan's and the rules files'. */
static int all_sets(Arena *a, RuleSet **out)
{
	char err[512];
	Plan *p = plan_parse(a, plan_embedded_ruian, plan_embedded_ruian_len, "plan", err, sizeof err);
	assert_non_null(p);
	RuleSet *v = arena_alloc(a, sizeof *v * (size_t)(p->nrule_sets + embedded_rules_count));
	int n = 0;
	for (int i = 0; i < p->nrule_sets; i++)
		v[n++] = p->rule_sets[i];
	for (int i = 0; i < embedded_rules_count; i++) {
		RuleSet *rs = rules_parse(a, embedded_rules[i].data, *embedded_rules[i].len, embedded_rules[i].name, err, sizeof err);
		if (!rs)
			fail_msg("%s", err);
		v[n++] = *rs;
	}
	*out = v;
	return n;
}

static Measured at(double v)
{
	Measured m = {1, v, NULL, NULL, 0};
	return m;
}

static void test_every_rule_at_its_edges(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	assert_int_equal(n, 1 + embedded_rules_count);
	assert_true(n >= 11);
	Measured none = {0};
	int checked = 0;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < sets[i].nrules; k++) {
			const Rule *r = &sets[i].rules[k];
			if (!r->has_threshold) {
				assert_string_equal(r->measure, "judged");
				assert_int_equal(eval_rule(r, none, none), EV_UNKNOWN);
				continue;
			}
			double t = r->threshold, eps = fmax(fabs(t) * 1e-6, 1e-6);
			int ge = !strcmp(r->op, ">="), gt = !strcmp(r->op, ">"), eq = !strcmp(r->op, "==");
			assert_true(ge || gt || eq);
			/* exactly on the threshold: 以上 passes, 超 does not */
			EvalResult on = eval_rule(r, at(t), none);
			EvalResult below = eval_rule(r, at(t - eps), none);
			EvalResult above = eval_rule(r, at(t + eps), none);
			if (ge || eq)
				assert_int_equal(on, EV_PASS);
			else
				assert_int_equal(on, r->or_measure ? EV_UNKNOWN : EV_FAIL);
			/* below fails outright, unless an unmeasured alternative might still pass */
			assert_int_equal(below, r->or_measure ? EV_UNKNOWN : EV_FAIL);
			if (!eq)
				assert_int_equal(above, EV_PASS);
			/* missing data is unknown, never pass */
			assert_int_equal(eval_rule(r, none, none), EV_UNKNOWN);
			if (r->or_measure) {
				/* the alternative alone passes; both measured and short fails */
				assert_int_equal(eval_rule(r, at(t - eps), at(r->or_threshold)), EV_PASS);
				assert_int_equal(eval_rule(r, at(t - eps), at(r->or_threshold - 1e-3)), EV_FAIL);
			}
			checked++;
		}
	assert_true(checked >= 40);
	arena_free(&a);
}

/* The plan's wording decides the comparison: 5万平方米以上 ≥, 超1亿元 >. */
static void test_wording_decides(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	const RuleSet *q = NULL;
	for (int i = 0; i < n; i++)
		if (!strcmp(sets[i].code, "qigeyi"))
			q = &sets[i];
	assert_non_null(q);
	for (int k = 0; k < q->nrules; k++) {
		const Rule *r = &q->rules[k];
		if (!strcmp(r->id, "qigeyi-1a")) {
			assert_string_equal(r->op, ">=");
			assert_int_equal(eval_rule(r, at(50000), at(0)), EV_PASS);
			assert_int_equal(eval_rule(r, at(49999), at(0)), EV_FAIL);
		}
		if (!strcmp(r->id, "qigeyi-6a")) {
			assert_string_equal(r->op, ">");
			assert_int_equal(eval_rule(r, at(1e8), at(0)), EV_FAIL);
			assert_int_equal(eval_rule(r, at(1e8 + 1), at(0)), EV_PASS);
		}
	}
	arena_free(&a);
}

static void test_gaps_in_the_rules_unit(void **state)
{
	Arena a = {0};
	Rule area = {.id = "a", .op = ">=", .threshold = 50000, .has_threshold = 1, .unit = "㎡"};
	assert_string_equal(eval_gap(&a, &area, at(38000)), "还差 1.2 万㎡");
	assert_null(eval_gap(&a, &area, at(50000)));
	Rule money = {.id = "m", .op = ">", .threshold = 1e8, .has_threshold = 1, .unit = "元"};
	assert_string_equal(eval_gap(&a, &money, at(7e7)), "还差 3,000 万元（且须超过）");
	assert_string_equal(eval_gap(&a, &money, at(0)), "还差 1 亿元（且须超过）"); /* never "10,000 万元" */
	assert_string_equal(eval_gap(&a, &area, at(36000)), "还差 1.4 万㎡");
	Rule share = {.id = "s", .op = ">=", .threshold = 0.75, .has_threshold = 1, .unit = "%"};
	assert_string_equal(eval_gap(&a, &share, at(0.7)), "还差 5.0 个百分点");
	Rule yes = {.id = "y", .op = "==", .threshold = 1, .has_threshold = 1, .unit = "是/否"};
	assert_string_equal(eval_gap(&a, &yes, at(0)), "尚不具备");
	Measured none = {0};
	assert_null(eval_gap(&a, &area, none));
	arena_free(&a);
}

/* The measures read from a base's facts, and say where from. */
static void test_measures_from_facts(void **state)
{
	Arena a = {0};
	BaseFacts f = {0};
	f.as_of = "2024-06-01";
	f.opened_on = "2021-06-01";
	f.total_area_m2 = 12000;
	f.incubation_area_m2 = 8000;
	f.public_service_area_m2 = 1000;
	f.reported_firms = 40;
	f.reported_leading = 30;
	/* no firm records: the reported counts, said so */
	Measured m = eval_measure(&a, &f, "base.leading_industry_share");
	assert_true(m.known && m.value == 0.75);
	assert_non_null(strstr(m.source, "基地填报"));
	/* firm records win over the reported counts: 20 registered, 4 of them
	 * graduated, 16 in incubation of which 10 in the leading industry */
	f.firm_ever = 20;
	f.firm_records = 16;
	f.firm_leading = 10;
	f.firm_graduated = 4;
	f.firm_now = 16;
	f.firm_leading_now = 10;
	f.reported_firms = 16;
	f.reported_leading = 10;
	m = eval_measure(&a, &f, "base.leading_industry_share");
	assert_true(m.value == 10.0 / 16.0); /* 占在孵企业总数: graduates left out */
	assert_non_null(strstr(m.source, "在孵企业登记"));
	assert_null(m.conflict);
	m = eval_measure(&a, &f, "base.firms_count");
	assert_true(m.value == 16);
	assert_true(fabs(eval_measure(&a, &f, "base.firms_per_1000m2").value - 16.0 / 12.0) < 1e-12);
	assert_true(eval_measure(&a, &f, "base.incubation_share").value == 0.75);
	assert_true(fabs(eval_measure(&a, &f, "base.incubation_only_share").value - 8000.0 / 12000.0) < 1e-12);
	/* 2021-06-01 to 2024-06-01: three full years, on the day */
	assert_true(fabs(eval_measure(&a, &f, "base.years_operating").value - 3.0) < 1e-12);
	f.opened_on = "2021-06-02";
	assert_true(eval_measure(&a, &f, "base.years_operating").value < 3.0);
	assert_true(eval_measure(&a, &f, "base.months_operating").value == 35);
	/* figures: newest year wins; missing is unknown */
	assert_false(eval_measure(&a, &f, "base.mentors").known);
	BaseFigure figs[] = {{2024, "mentors", NULL, NULL, 4}, {2023, "mentors", NULL, NULL, 9}, {2023, "staff_total", NULL, NULL, 10}};
	f.figures = figs;
	f.nfigures = 3;
	m = eval_measure(&a, &f, "base.mentors");
	assert_true(m.known && m.value == 4);
	assert_non_null(strstr(m.source, "2024"));
	assert_true(fabs(eval_measure(&a, &f, "base.mentors_per_10_firms").value - 2.5) < 1e-12);
	assert_false(eval_measure(&a, &f, "base.professional_staff_share").known); /* no professionals reported */
	assert_false(eval_measure(&a, &f, "base.no_such_measure").known);
	arena_free(&a);
}

/* A rule of a set by code and id, from the sets the binary carries. */
static const Rule *rule_in(RuleSet *sets, int n, const char *set, const char *id)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; !strcmp(sets[i].code, set) && k < sets[i].nrules; k++)
			if (!strcmp(sets[i].rules[k].id, id))
				return &sets[i].rules[k];
	fail_msg("no rule %s/%s", set, id);
	return NULL;
}

static const RuleSet *set_in(RuleSet *sets, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(sets[i].code, code))
			return &sets[i];
	fail_msg("no rule set %s", code);
	return NULL;
}

/* A rule judged on a base's facts, as eval_set does. */
static EvalResult judge(Arena *a, const Rule *r, const BaseFacts *f)
{
	Measured alt = {0};
	if (r->or_measure)
		alt = eval_measure(a, f, r->or_measure);
	return eval_rule(r, eval_measure(a, f, r->measure), alt);
}

/* Issue 14, item 1: Wenzhou's "直接用于在孵企业的场地面积占2/3以上" is the
 * incubation area over the total, public-service area not counted. */
static void test_wenzhou_area_share(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	const char *codes[] = {"wenzhou-incubator-2018", "wenzhou-incubator-2018-specialised"};
	for (int c = 0; c < 2; c++) {
		const Rule *r = rule_in(sets, n, codes[c], "area-share");
		BaseFacts f = {0};
		f.total_area_m2 = 62000;
		f.incubation_area_m2 = 41000; /* 66.1% */
		f.public_service_area_m2 = 4960;
		assert_int_equal(judge(&a, r, &f), EV_FAIL);
		f.total_area_m2 = 3000; /* on 2/3, one m² under, one over */
		f.incubation_area_m2 = 2000;
		assert_int_equal(judge(&a, r, &f), EV_PASS);
		f.incubation_area_m2 = 1999;
		assert_int_equal(judge(&a, r, &f), EV_FAIL);
		f.public_service_area_m2 = 500; /* public service does not lift it */
		assert_int_equal(judge(&a, r, &f), EV_FAIL);
		f.incubation_area_m2 = 2001;
		assert_int_equal(judge(&a, r, &f), EV_PASS);
	}
	/* the national rule does count public service (含公共服务面积) */
	const Rule *nat = rule_in(sets, n, "national-incubator-2018", "area-share");
	BaseFacts g = {0};
	g.total_area_m2 = 10000;
	g.incubation_area_m2 = 7000;
	g.public_service_area_m2 = 500;
	assert_int_equal(judge(&a, nat, &g), EV_PASS);
	g.public_service_area_m2 = 499;
	assert_int_equal(judge(&a, nat, &g), EV_FAIL);
	/* Wenzhou's premises: owned, or leased 5 years (含) */
	const Rule *prem = rule_in(sets, n, "wenzhou-incubator-2018", "premises");
	BaseFigure owned[] = {{2024, "premises_owned", NULL, NULL, 1}};
	BaseFigure lease[] = {{2024, "premises_owned", NULL, NULL, 0}, {2024, "lease_years", NULL, NULL, 5}};
	BaseFigure short_lease[] = {{2024, "premises_owned", NULL, NULL, 0}, {2024, "lease_years", NULL, NULL, 4}};
	g.figures = owned;
	g.nfigures = 1;
	assert_int_equal(judge(&a, prem, &g), EV_PASS);
	g.figures = lease;
	g.nfigures = 2;
	assert_int_equal(judge(&a, prem, &g), EV_PASS);
	g.figures = short_lease;
	assert_int_equal(judge(&a, prem, &g), EV_FAIL);
	arena_free(&a);
}

/* Item 2: the specialised set keeps items 1–5 (staff, IP, ...). */
static void test_specialised_keeps_items_1_to_5(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	const RuleSet *gen = set_in(sets, n, "national-incubator-2018");
	const char *ids[] = {"legal-person", "operating", "statistics", "area", "area-share", "seed-fund", "financed-share",
	                     "financed-cases", "staff-share", "staff-per-10", "mentors-per-10", "ip"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		const Rule *g = rule_in(sets, n, gen->code, ids[i]);
		const Rule *sp = rule_in(sets, n, "national-incubator-2018-specialised", ids[i]);
		assert_string_equal(g->measure, sp->measure);
		assert_true(g->threshold == sp->threshold);
	}
	assert_true(rule_in(sets, n, "national-incubator-2018-specialised", "firms")->threshold == 30);
	assert_true(rule_in(sets, n, "national-incubator-2018-specialised", "graduates")->threshold == 15);
	arena_free(&a);
}

/* Items 3 and 4: the leading industry over firms in incubation; the
 * financed cases are the base's own fund's investments into its firms. */
static void test_leading_share_and_cases(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	const Rule *q4 = rule_in(sets, n, "qigeyi", "qigeyi-4");
	BaseFacts f = {0};
	f.reported_firms = f.reported_leading = -1;
	f.firm_ever = 10; /* 2 graduated: 8 in incubation */
	f.firm_graduated = 2;
	f.firm_records = 8;
	f.firm_leading = 6; /* 75%: on it */
	assert_int_equal(judge(&a, q4, &f), EV_PASS);
	f.firm_leading = 5;
	assert_int_equal(judge(&a, q4, &f), EV_FAIL);
	f.firm_records = 7; /* 5/7 = 71%, although 7 of all 10 would be 70% and 8 of 10 80% */
	f.firm_leading = 6; /* 6/7 = 86% */
	assert_int_equal(judge(&a, q4, &f), EV_PASS);
	const Rule *cases = rule_in(sets, n, "national-incubator-2018", "financed-cases");
	assert_string_equal(cases->measure, "base.own_fund_cases");
	for (int k = 2; k <= 4; k++) {
		f.own_fund_cases = k;
		assert_int_equal(judge(&a, cases, &f), k >= 3 ? EV_PASS : EV_FAIL);
	}
	arena_free(&a);
}

/* Item 9: periods counted as the Civil Code does (第二百零一、二百零二条). */
static void test_civil_code_periods(void **state)
{
	char end[11];
	eval_add_months("2022-08-31", 18, end);
	assert_string_equal(end, "2024-02-29"); /* no 31 February: the month's last day (a leap year) */
	eval_add_months("2022-08-31", 6, end);
	assert_string_equal(end, "2023-02-28");
	eval_add_months("2020-02-29", 36, end);
	assert_string_equal(end, "2023-02-28");
	eval_add_months("2020-02-29", 48, end);
	assert_string_equal(end, "2024-02-29");
	eval_add_months("2023-01-31", 1, end);
	assert_string_equal(end, "2023-02-28");
	eval_add_months("2021-12-31", 36, end);
	assert_string_equal(end, "2024-12-31");
	/* 18 months from 31 August: full on 29 February 2024, not a day later */
	assert_int_equal(eval_months_between("2022-08-31", "2024-02-28"), 17);
	assert_int_equal(eval_months_between("2022-08-31", "2024-02-29"), 18);
	assert_int_equal(eval_months_between("2022-08-31", "2024-03-01"), 18);
	assert_int_equal(eval_months_between("2023-08-31", "2025-02-28"), 18); /* not a leap year */
	assert_int_equal(eval_months_between("2023-08-31", "2025-02-27"), 17);
	/* 3 years from 29 February: full on 28 February three years on */
	assert_true(eval_years_between("2020-02-29", "2023-02-27") < 3);
	assert_true(fabs(eval_years_between("2020-02-29", "2023-02-28") - 3) < 1e-12);
	assert_true(eval_years_between("2020-02-29", "2023-03-01") > 3);
	assert_int_equal(eval_months_between("2024-06-01", "2024-05-31"), 0);
	/* through the rules: 运营时间满18个月, 运营满3年 */
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	BaseFacts f = {0};
	f.opened_on = "2022-08-31";
	const Rule *ms = rule_in(sets, n, "national-makerspace-2017", "operating");
	const char *days[] = {"2024-02-28", "2024-02-29", "2024-03-01"};
	for (int i = 0; i < 3; i++) {
		f.as_of = days[i];
		assert_int_equal(judge(&a, ms, &f), i == 0 ? EV_FAIL : EV_PASS);
	}
	f.opened_on = "2020-02-29";
	const Rule *ni = rule_in(sets, n, "national-incubator-2018", "operating");
	const char *leap[] = {"2023-02-27", "2023-02-28", "2023-03-01"};
	for (int i = 0; i < 3; i++) {
		f.as_of = leap[i];
		assert_int_equal(judge(&a, ni, &f), i == 0 ? EV_FAIL : EV_PASS);
	}
	arena_free(&a);
}

/* Item 10: the stated counts against the records; the records are the
 * truth, and fewer records than stated decide nothing. */
static void test_two_sources(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	const Rule *q4 = rule_in(sets, n, "qigeyi", "qigeyi-4");
	BaseFacts f = {0};
	f.reported_firms = 103;
	f.reported_leading = 59;
	f.firm_ever = f.firm_records = f.firm_now = 7;
	f.firm_leading = f.firm_leading_now = 6;
	Measured m = eval_measure(&a, &f, "base.leading_industry_share");
	assert_non_null(m.conflict);
	assert_true(m.doubt);
	assert_non_null(strstr(m.conflict, "103"));
	assert_int_equal(judge(&a, q4, &f), EV_UNKNOWN); /* not 达标 on 6 of 7 */
	/* the base states fewer than it registered: the records decide, flagged */
	f.reported_firms = 6;
	f.reported_leading = 5;
	m = eval_measure(&a, &f, "base.firms_count");
	assert_non_null(m.conflict);
	assert_false(m.doubt);
	assert_int_equal(judge(&a, q4, &f), EV_PASS);
	/* agreeing sources: nothing to flag */
	f.reported_firms = 7;
	f.reported_leading = 6;
	assert_null(eval_measure(&a, &f, "base.firms_count").conflict);
	arena_free(&a);
}

/* Item 8: sets chosen by kind, specialised and the date they are in force. */
static void test_which_sets_apply(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	const char *why;
	BaseFacts maker = {0}, inc = {0}, spec = {0};
	maker.kind = "maker_space";
	maker.as_of = "2024-12-31";
	inc.kind = "incubator";
	inc.as_of = "2024-12-31";
	spec = inc;
	spec.specialised = 1;
	assert_false(eval_set_for(set_in(sets, n, "qigeyi"), &maker, &why));
	assert_false(eval_set_for(set_in(sets, n, "national-incubator-2018"), &maker, &why));
	assert_true(eval_set_for(set_in(sets, n, "national-makerspace-2017"), &maker, &why));
	assert_string_equal(eval_set_for_level(sets, n, &maker, "national")->code, "national-makerspace-2017");
	assert_string_equal(eval_set_for_level(sets, n, &maker, "provincial")->code, "zhejiang-makerspace-2021");
	assert_null(eval_set_for_level(sets, n, &maker, "demonstration"));
	assert_string_equal(eval_set_for_level(sets, n, &inc, "national")->code, "national-incubator-2018");
	assert_string_equal(eval_set_for_level(sets, n, &spec, "national")->code, "national-incubator-2018-specialised");
	assert_string_equal(eval_set_for_level(sets, n, &inc, "demonstration")->code, "qigeyi");
	assert_string_equal(eval_set_for_level(sets, n, &inc, "provincial")->code, "zhejiang-incubator-2021");
	/* in force: the last day of the old rules and the first of the new */
	inc.as_of = "2021-10-30";
	assert_string_equal(eval_set_for_level(sets, n, &inc, "municipal")->code, "wenzhou-incubator-2018");
	inc.as_of = "2021-10-31";
	assert_string_equal(eval_set_for_level(sets, n, &inc, "municipal")->code, "wenzhou-incubator-2021");
	inc.as_of = "2025-06-12";
	assert_string_equal(eval_set_for_level(sets, n, &inc, "national")->code, "national-incubator-2018");
	inc.as_of = "2025-06-13";
	assert_string_equal(eval_set_for_level(sets, n, &inc, "national")->code, "national-incubator-2025");
	assert_false(eval_set_in_force(set_in(sets, n, "national-incubator-2018"), "2025-06-13", &why));
	assert_non_null(why);
	arena_free(&a);
}

/* Every quotation says whether it is word for word; a file that does not
 * is refused. */
static void test_quotations_marked(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	int verbatim = 0, paraphrase = 0;
	for (int i = 0; i < n; i++) {
		assert_non_null(sets[i].citation);
		for (int k = 0; k < sets[i].nrules; k++)
			if (sets[i].rules[k].wording) {
				assert_non_null(sets[i].rules[k].article);
				verbatim += sets[i].rules[k].verbatim;
				paraphrase += !sets[i].rules[k].verbatim;
			}
	}
	assert_true(verbatim > 40);
	assert_true(paraphrase >= 2); /* the specialised set's definition is not quoted */
	const char *unmarked = "{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"id\":\"a\","
	                       "\"text\":\"t\",\"wording\":\"w\",\"measure\":\"judged\"}]}";
	char err[512];
	assert_null(rules_parse(&a, unmarked, strlen(unmarked), "rules/x.json", err, sizeof err));
	assert_non_null(strstr(err, "verbatim"));
	arena_free(&a);
}

/* 2/3 computed from areas compares equal to the threshold written as 0.666…6. */
static void test_two_thirds(void **state)
{
	Rule r = {.id = "x", .op = ">=", .threshold = 0.6666666666666666, .has_threshold = 1};
	Measured none = {0};
	assert_int_equal(eval_rule(&r, at(2000.0 / 3000.0), none), EV_PASS);
	assert_int_equal(eval_rule(&r, at(1999.0 / 3000.0), none), EV_FAIL);
}

static void test_broken_rules_files(void **state)
{
	struct {
		const char *json, *says;
	} cases[] = {
		{"{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"id\":\"a\",\"text\":\"t\",\"measure\":\"base.nothing\",\"op\":\">=\",\"threshold\":1}]}",
		 "rules[0].measure: unknown measure"},
		{"{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"id\":\"a\",\"text\":\"t\",\"measure\":\"base.total_area_m2\",\"op\":\">=\"}]}",
		 "rules[0].threshold: missing"},
		{"{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"id\":\"a\",\"text\":\"t\",\"measure\":\"base.total_area_m2\",\"op\":\"=>\",\"threshold\":1}]}",
		 "rules[0].op"},
		{"{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"id\":\"a\",\"text\":\"t\",\"measure\":\"judged\",\"op\":\">=\",\"threshold\":1}]}",
		 "judged rule takes no op"},
		{"{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"id\":\"a\",\"text\":\"t\",\"measure\":\"base.total_area_m2\",\"op\":\">=\",\"threshold\":1,\"or\":{\"measure\":\"base.workstations\",\"op\":\">=\"}}]}",
		 "rules[0].or.threshold"},
		{"{\"format\":\"hatchery-plan/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[]}", "format"},
		{"{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[]}", "at least one rule"},
		{"{\"format\":\"hatchery-rules/1\",\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"id\":\"a\",\"text\":\"t\",\"measure\":\"judged\"},{\"id\":\"a\",\"text\":\"t\",\"measure\":\"judged\"}]}",
		 "duplicate code \"a\""},
		{"not json", "not valid JSON"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		Arena a = {0};
		char err[512];
		RuleSet *rs = rules_parse(&a, cases[i].json, strlen(cases[i].json), "rules/x.json", err, sizeof err);
		if (rs || !strstr(err, cases[i].says) || strncmp(err, "rules/x.json: ", 14) != 0)
			fail_msg("case %zu: %s", i, rs ? "accepted" : err);
		arena_free(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rule_at_its_edges),
		cmocka_unit_test(test_wording_decides),
		cmocka_unit_test(test_gaps_in_the_rules_unit),
		cmocka_unit_test(test_measures_from_facts),
		cmocka_unit_test(test_two_thirds),
		cmocka_unit_test(test_wenzhou_area_share),
		cmocka_unit_test(test_specialised_keeps_items_1_to_5),
		cmocka_unit_test(test_leading_share_and_cases),
		cmocka_unit_test(test_civil_code_periods),
		cmocka_unit_test(test_two_sources),
		cmocka_unit_test(test_which_sets_apply),
		cmocka_unit_test(test_quotations_marked),
		cmocka_unit_test(test_broken_rules_files),
	};
	return cmocka_run_group_tests_name("eval", tests, NULL, NULL);
}
