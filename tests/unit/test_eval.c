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
	Measured m = {1, v, NULL};
	return m;
}

static void test_every_rule_at_its_edges(void **state)
{
	Arena a = {0};
	RuleSet *sets;
	int n = all_sets(&a, &sets);
	assert_int_equal(n, 6);
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
	assert_string_equal(eval_gap(&a, &area, at(38000)), "还差 12,000 ㎡");
	assert_null(eval_gap(&a, &area, at(50000)));
	Rule money = {.id = "m", .op = ">", .threshold = 1e8, .has_threshold = 1, .unit = "元"};
	assert_string_equal(eval_gap(&a, &money, at(7e7)), "还差 3,000 万元(且须超过)");
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
	/* firm records win over the reported counts */
	f.firm_records = 20;
	f.firm_leading = 10;
	f.firm_graduated = 4;
	m = eval_measure(&a, &f, "base.leading_industry_share");
	assert_true(m.value == 0.5);
	assert_non_null(strstr(m.source, "在孵企业登记"));
	m = eval_measure(&a, &f, "base.firms_count");
	assert_true(m.value == 16);
	assert_true(fabs(eval_measure(&a, &f, "base.firms_per_1000m2").value - 16.0 / 12.0) < 1e-12);
	assert_true(eval_measure(&a, &f, "base.incubation_share").value == 0.75);
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
		cmocka_unit_test(test_broken_rules_files),
	};
	return cmocka_run_group_tests_name("eval", tests, NULL, NULL);
}
