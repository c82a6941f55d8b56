/*
 * test_competition.c — the 六比竞赛 (src/competition.c) over an in-memory
 * database holding the embedded Ruian plan and a few hand-made records:
 * ranks with ties (shared and dense), period specs and their windows,
 * groups (功能区 against 功能区, 镇街 against 镇街, and all), completion
 * against prorated targets, missing targets (skip and zero), the overall
 * score, the previous period's ranks and the progress rank; and the plan
 * checker's refusals of a broken method.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "competition.h"
#include "testutil.h"

typedef struct Fx {
	Arena a;
	Plan *p;
	Store *s;
} Fx;

static int setup(void **state)
{
	Fx *f = xcalloc(1, sizeof *f);
	f->p = tu_embedded_plan(&f->a);
	f->s = tu_store_memory();
	tu_save_plan(f->s, f->p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fx *f = *state;
	store_close(f->s);
	arena_free(&f->a);
	free(f);
	return 0;
}

static void fund(Fx *f, const char *area, const char *on)
{
	Fund fd = {.name = arena_printf(&f->a, "基金%s%s", area, on), .area = area, .origin = "new", .established_on = on};
	assert_true(store_fund_insert(f->s, &fd) > 0);
}

static void project(Fx *f, const char *area, const char *on)
{
	Project pr = {.name = arena_printf(&f->a, "项目%s%s", area, on), .area = area, .arrived_on = on};
	assert_true(store_project_insert(f->s, &pr) > 0);
}

static void target(Fx *f, const char *ind, const char *area, int year, double v)
{
	assert_int_equal(store_target_set(f->s, ind, area, year, v, ">=", "entered"), H_OK);
}

/* The index of a method item by indicator code. */
static int item(const Competition *c, const char *ind)
{
	for (int k = 0; k < c->nitems; k++)
		if (strcmp(c->ind[k]->code, ind) == 0)
			return k;
	fail_msg("no item %s", ind);
	return -1;
}

static const CompRow *row(const Competition *c, const char *area)
{
	const CompRow *r = competition_row(c, area);
	if (!r)
		fail_msg("no row %s", area);
	return r;
}

static void compute(Fx *f, const char *period, const char *as_of, Competition *c)
{
	DomResult r = competition_compute(f->s, f->p, period, as_of, c);
	if (r.code != DOM_OK)
		fail_msg("competition_compute(%s, %s): %s", period, as_of, r.message ? r.message : "?");
}

/* ---- ranks ---- */

static void test_rank_ties(void **state)
{
	(void)state;
	double k[] = {5, 3, 3, 1, 7, 3.0000000000001};
	int v[] = {1, 1, 1, 1, 0, 1};
	int r[6];
	competition_rank(k, v, 6, 0, r);
	/* shared: 1, 2, 2, 2 (rounding ties), then 5; the invalid one is 0 */
	assert_int_equal(r[0], 1);
	assert_int_equal(r[1], 2);
	assert_int_equal(r[2], 2);
	assert_int_equal(r[5], 2);
	assert_int_equal(r[3], 5);
	assert_int_equal(r[4], 0);
	competition_rank(k, v, 6, 1, r);
	/* dense: the next after a tie is the next number */
	assert_int_equal(r[0], 1);
	assert_int_equal(r[1], 2);
	assert_int_equal(r[5], 2);
	assert_int_equal(r[3], 3);
	assert_int_equal(r[4], 0);
	double z[] = {0, 0, 0};
	int all[] = {1, 1, 1};
	competition_rank(z, all, 3, 0, r);
	assert_int_equal(r[0], 1);
	assert_int_equal(r[2], 1);
}

/* The shared ranks as first written: every key against every other. */
static void rank_quadratic(const double *key, const int *valid, int n, int *rank)
{
	for (int i = 0; i < n; i++) {
		rank[i] = 0;
		if (!valid[i])
			continue;
		int r = 1;
		for (int j = 0; j < n; j++) {
			double m = fabs(key[i]) > fabs(key[j]) ? fabs(key[i]) : fabs(key[j]);
			int same = fabs(key[i] - key[j]) <= 1e-9 * (m > 1 ? m : 1);
			if (valid[j] && !same && key[j] >= key[i])
				r++;
		}
		rank[i] = r;
	}
}

/* Many areas (the sorted path): the same ranks as the quadratic loop, with
 * exact ties, ties up to rounding, near-ties just outside the rounding,
 * negatives, zeros, invalid rows and an infinity. */
static void test_rank_many(void **state)
{
	(void)state;
	enum { N = 400 };
	double k[N];
	int v[N], r[N], want[N];
	unsigned long long x = 42;
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < N; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			unsigned u = (unsigned)(x >> 33);
			double base = (double)(u % 37) * (round % 2 ? 1000.5 : 0.37) - (round == 4 ? 5 : 0);
			switch (u % 5) {
			case 0: k[i] = base; break;
			case 1: k[i] = base * (1 + 5e-10); break;  /* the same up to rounding */
			case 2: k[i] = base + 3e-9 * (fabs(base) > 1 ? fabs(base) : 1); break; /* just not */
			case 3: k[i] = base * (1 - 9e-10); break;
			default: k[i] = (double)(u % 1000) / 7; break;
			}
			v[i] = u % 11 != 0;
		}
		if (round == 5)
			k[3] = INFINITY;
		competition_rank(k, v, N, 0, r);
		rank_quadratic(k, v, N, want);
		for (int i = 0; i < N; i++)
			if (r[i] != want[i])
				fail_msg("round %d, key %d (%.17g): rank %d, the quadratic loop %d", round, i, k[i], r[i], want[i]);
	}
}

/* ---- periods ---- */

static void test_periods(void **state)
{
	Fx *f = *state;
	CompPeriod p;
	assert_int_equal(competition_period(f->p, "2024-11", "2024-12-05", &p).code, DOM_OK);
	assert_string_equal(p.from, "2024-11-01");
	assert_string_equal(p.to, "2024-11-30");
	assert_string_equal(p.label, "2024年11月");
	assert_int_equal(competition_period(f->p, "2024-Q4", "2024-11-15", &p).code, DOM_OK);
	assert_string_equal(p.from, "2024-10-01");
	assert_string_equal(p.end, "2024-12-31");
	assert_string_equal(p.to, "2024-11-15");
	assert_string_equal(p.label, "2024年10月1日至11月15日");
	assert_int_equal(competition_period(f->p, "2024-Q4", "2025-01-15", &p).code, DOM_OK);
	assert_string_equal(p.label, "2024年第四季度");
	assert_int_equal(competition_period(f->p, "ytd", "2024-11-30", &p).code, DOM_OK);
	assert_string_equal(p.from, "2024-01-01");
	assert_string_equal(p.to, "2024-11-30");
	assert_string_equal(p.label, "2024年1—11月");
	assert_int_equal(competition_period(f->p, "2023", "2024-11-30", &p).code, DOM_OK);
	assert_string_equal(p.label, "2023年全年");
	assert_int_equal(competition_period(f->p, "plan", "2024-11-30", &p).code, DOM_OK);
	assert_string_equal(p.from, "2022-01-01");
	assert_contains(p.label, "规划以来");
	/* refused, with a Chinese reason */
	DomResult r = competition_period(f->p, "2021-05", "2024-11-30", &p);
	assert_int_equal(r.code, DOM_INVALID);
	assert_string_equal(r.error, "outside_plan");
	assert_int_equal(competition_period(f->p, "2025-01", "2025-02-01", &p).code, DOM_INVALID);
	assert_int_equal(competition_period(f->p, "2024-13", "2024-11-30", &p).code, DOM_INVALID);
	assert_int_equal(competition_period(f->p, "2024-Q5", "2024-11-30", &p).code, DOM_INVALID);
	assert_int_equal(competition_period(f->p, "24-11", "2024-11-30", &p).code, DOM_INVALID);
	assert_int_equal(competition_period(f->p, "", "2024-11-30", &p).code, DOM_INVALID);
	r = competition_period(f->p, "2024-12", "2024-11-30", &p);
	assert_int_equal(r.code, DOM_INVALID);
	assert_string_equal(r.error, "not_begun");
	assert_int_equal(competition_period(f->p, "2024-11", "2024-02-30", &p).code, DOM_INVALID);
}

/* ---- groups, completion, missing targets ---- */

static void test_groups_and_targets(void **state)
{
	Fx *f = *state;
	/* 功能区: tangxia 2 of 2, binhai 1 of 2, jiangnan 1 with no target;
	 * 镇街: feiyun 1 of 1, yunzhou 0 of 1 */
	target(f, "funds", "tangxia", 2024, 2);
	target(f, "funds", "binhai", 2024, 2);
	target(f, "funds", "feiyun", 2024, 1);
	target(f, "funds", "yunzhou", 2024, 1);
	fund(f, "tangxia", "2024-03-01");
	fund(f, "tangxia", "2024-05-01");
	fund(f, "binhai", "2024-06-01");
	fund(f, "jiangnan", "2024-06-01");
	fund(f, "feiyun", "2024-07-01");
	Competition c;
	compute(f, "2024", "2024-12-31", &c);
	int k = item(&c, "race_funds");
	const CompRow *tx = row(&c, "tangxia"), *bh = row(&c, "binhai"), *jn = row(&c, "jiangnan");
	const CompRow *fy = row(&c, "feiyun"), *yz = row(&c, "yunzhou");
	assert_string_equal(c.method->groups[tx->group].name, "功能区");
	assert_string_equal(c.method->groups[fy->group].name, "镇街");
	assert_near(tx->cells[k].value, 2, 0);
	assert_true(tx->cells[k].has_target);
	assert_near(tx->cells[k].target, 2, 1e-9);
	assert_near(tx->cells[k].rate, 1, 1e-9);
	assert_near(bh->cells[k].rate, 0.5, 1e-9);
	/* within the group: tangxia first, binhai second; jiangnan has no target: not ranked */
	assert_int_equal(tx->cells[k].rank_group, 1);
	assert_int_equal(bh->cells[k].rank_group, 2);
	assert_int_equal(jn->cells[k].rank_group, 0);
	assert_false(jn->cells[k].scored);
	/* feiyun heads the towns, tied with tangxia across all; binhai third, yunzhou fourth */
	assert_int_equal(fy->cells[k].rank_group, 1);
	assert_int_equal(yz->cells[k].rank_group, 2);
	assert_int_equal(tx->cells[k].rank_all, 1);
	assert_int_equal(fy->cells[k].rank_all, 1);
	assert_int_equal(bh->cells[k].rank_all, 3);
	assert_int_equal(yz->cells[k].rank_all, 4);
	/* the overall score: race_funds is the only completion item with a
	 * target; the amount items are all 0 (scored 0) */
	assert_near(tx->score, 100.0 * 1 / 4, 1e-9);
	assert_near(bh->score, 100.0 * 0.5 / 4, 1e-9);
	assert_near(jn->score, 0, 1e-9);
	assert_int_equal(tx->rank_group, 1);
	assert_int_equal(bh->rank_group, 2);
	/* the city: 5 funds against the plan's 12 − 8 for 2024 */
	assert_near(c.city[k].value, 5, 0);
	assert_true(c.city[k].has_target);
	assert_near(c.city[k].target, 4, 1e-9);
	competition_free(&c);

	/* missing targets counted as zero: jiangnan is ranked, last with the others at 0 */
	CompMethod m = *f->p->competition;
	m.missing_target = "zero";
	const CompMethod *keep = f->p->competition;
	f->p->competition = &m;
	compute(f, "2024", "2024-12-31", &c);
	jn = row(&c, "jiangnan");
	assert_true(jn->cells[k].scored);
	assert_near(jn->cells[k].score, 0, 0);
	assert_int_equal(jn->cells[k].rank_group, 3); /* tangxia 1, binhai 0.5, then the 0s */
	assert_int_equal(row(&c, "anyang-center")->cells[k].rank_group, 3);
	competition_free(&c);
	f->p->competition = keep;
}

/* A month's target is the year's increment by the month's share of days. */
static void test_prorate(void **state)
{
	Fx *f = *state;
	target(f, "funds", "tangxia", 2023, 1);
	target(f, "funds", "tangxia", 2024, 3); /* 2024's increment: 2 */
	fund(f, "tangxia", "2024-11-11");
	Competition c;
	compute(f, "2024-11", "2024-11-30", &c);
	int k = item(&c, "race_funds");
	const CompRow *tx = row(&c, "tangxia");
	assert_near(tx->cells[k].target, 2.0 * 30 / 366, 1e-9);
	assert_near(tx->cells[k].rate, 1 / (2.0 * 30 / 366), 1e-9);
	/* its score is capped (1.5 in the plan) */
	assert_near(tx->cells[k].score, 1.5, 1e-9);
	competition_free(&c);
	/* not prorated: the whole year's increment */
	CompMethod m = *f->p->competition;
	m.prorate = 0;
	const CompMethod *keep = f->p->competition;
	f->p->competition = &m;
	compute(f, "2024-11", "2024-11-30", &c);
	assert_near(row(&c, "tangxia")->cells[k].target, 2, 1e-9);
	competition_free(&c);
	f->p->competition = keep;
}

/* Rank change since the previous month and the progress rank. */
static void test_previous_and_progress(void **state)
{
	Fx *f = *state;
	/* October: binhai 2 projects, tangxia 1; November: tangxia 2, binhai 0 */
	project(f, "binhai", "2024-10-03");
	project(f, "binhai", "2024-10-09");
	project(f, "tangxia", "2024-10-20");
	project(f, "tangxia", "2024-11-02");
	project(f, "tangxia", "2024-11-05");
	Competition c;
	compute(f, "2024-11", "2024-11-30", &c);
	assert_true(c.has_prev);
	assert_string_equal(c.prev.key, "2024-10");
	int k = item(&c, "race_projects");
	const CompRow *tx = row(&c, "tangxia"), *bh = row(&c, "binhai"), *jn = row(&c, "jiangnan");
	assert_near(tx->cells[k].value, 2, 0);
	assert_int_equal(tx->cells[k].rank_group, 1);
	assert_int_equal(tx->rank_group, 1);
	assert_int_equal(tx->prev_rank_group, 2);
	assert_int_equal(tx->change_group, 1);  /* up one */
	assert_int_equal(bh->prev_rank_group, 1);
	assert_int_equal(bh->rank_group, 2);    /* tied second with every 0 */
	assert_int_equal(bh->change_group, -1);
	assert_int_equal(jn->prev_rank_group, 3);
	assert_int_equal(jn->change_group, 1);  /* third to tied second: up one without moving */
	/* progress: tangxia gained most, binhai lost most */
	assert_true(tx->has_progress);
	assert_int_equal(tx->progress_rank_group, 1);
	assert_int_equal(bh->progress_rank_group, 5);
	competition_free(&c);
	/* the year to date compares with itself at the end of October */
	compute(f, "ytd", "2024-11-30", &c);
	assert_true(c.has_prev);
	assert_string_equal(c.prev.to, "2024-10-31");
	competition_free(&c);
	/* January's year to date has nothing before it in the year */
	compute(f, "ytd", "2024-01-20", &c);
	assert_false(c.has_prev);
	competition_free(&c);
	/* the plan's first month has no previous month */
	compute(f, "2022-01", "2022-01-31", &c);
	assert_false(c.has_prev);
	competition_free(&c);
}

static void test_method_words(void **state)
{
	Fx *f = *state;
	const char *w = competition_method_zh(f->p->competition, f->p, &f->a);
	assert_contains(w, "功能区");
	assert_contains(w, "附件2");
	assert_contains(w, "按目标完成率排名");
	assert_contains(w, "名次相同，其后名次顺延");
	assert_contains(w, "不参与排名");
	assert_contains(w, "序时进度");
}

/* ---- the plan checker ---- */

/* The embedded plan with its "competition" section replaced by section. */
static const char *plan_with(Arena *a, const char *key, const char *section)
{
	json_t *root = json_loadb(plan_embedded_ruian, plan_embedded_ruian_len, 0, NULL);
	assert_non_null(root);
	json_t *v = json_loads(section, 0, NULL);
	if (!v)
		fail_msg("bad test JSON %s", section);
	json_object_set_new(root, key, v);
	char *t = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	const char *res = arena_strdup(a, t);
	free(t);
	return res;
}

static void refused(Arena *a, const char *key, const char *section, const char *expect)
{
	const char *text = plan_with(a, key, section);
	char err[512] = "";
	Plan *p = plan_parse(a, text, strlen(text), "t", err, sizeof err);
	assert_null(p);
	assert_contains(err, expect);
}

static void test_plan_checks(void **state)
{
	Fx *f = *state;
	const char *items = "\"indicators\":[{\"indicator\":\"race_funds\"}]";
	refused(&f->a, "competition", "{\"name\":\"x\",\"groups\":[{\"code\":\"g\",\"name\":\"g\",\"area_groups\":[\"nope\"]}],"
	        "\"indicators\":[{\"indicator\":\"race_funds\"}]}", "competition.groups[0].area_groups[0]");
	refused(&f->a, "competition", "{\"name\":\"x\",\"groups\":[{\"code\":\"g\",\"name\":\"g\",\"area_groups\":[\"zone\"]},"
	        "{\"code\":\"h\",\"name\":\"h\",\"area_groups\":[\"zone\"]}],\"indicators\":[{\"indicator\":\"race_funds\"}]}",
	        "competition.groups[1].area_groups[0]");
	refused(&f->a, "competition", arena_printf(&f->a, "{\"name\":\"x\",\"ties\":\"random\",\"groups\":[{\"code\":\"g\","
	        "\"name\":\"g\",\"area_groups\":[\"zone\"]}],%s}", items), "competition.ties");
	refused(&f->a, "competition", "{\"name\":\"x\",\"groups\":[{\"code\":\"g\",\"name\":\"g\",\"area_groups\":[\"zone\"]}],"
	        "\"indicators\":[{\"indicator\":\"race_nope\"}]}", "competition.indicators[0].indicator");
	refused(&f->a, "competition", "{\"name\":\"x\",\"groups\":[{\"code\":\"g\",\"name\":\"g\",\"area_groups\":[\"zone\"]}],"
	        "\"indicators\":[{\"indicator\":\"race_funds\",\"weight\":-1}]}", "competition.indicators[0].weight");
	refused(&f->a, "competition", "{\"name\":\"x\",\"groups\":[{\"code\":\"g\",\"name\":\"g\",\"area_groups\":[\"zone\"]}],"
	        "\"indicators\":[{\"indicator\":\"race_funds\",\"by\":\"size\"}]}", "competition.indicators[0].by");
	refused(&f->a, "assessment", "{\"name\":\"x\",\"indicators\":[{\"indicator\":\"race_funds\",\"points\":10}],"
	        "\"deductions\":[{\"kind\":\"absent\",\"form\":\"area-monthly\",\"points\":1}]}", "assessment.deductions[0].kind");
	refused(&f->a, "assessment", "{\"name\":\"x\",\"indicators\":[{\"indicator\":\"race_funds\",\"weight\":10}]}",
	        "assessment.indicators[0]");
	/* the embedded plan's own sections */
	assert_non_null(f->p->competition);
	assert_int_equal(f->p->competition->ngroups, 2);
	assert_int_equal(f->p->competition->nitems, 6);
	assert_non_null(f->p->assessment);
	assert_near(f->p->assessment->total, 100, 1e-9);
}

/* Without a "competition" section the default ranks every competition
 * indicator by amount within each area group. */
static void test_default_method(void **state)
{
	Fx *f = *state;
	const CompMethod *m = competition_method(&(Plan){.ngroups = f->p->ngroups, .groups = f->p->groups,
	                                                 .nindicators = f->p->nindicators, .indicators = f->p->indicators},
	                                         &f->a);
	assert_int_equal(m->ngroups, f->p->ngroups);
	assert_int_equal(m->nitems, 6);
	assert_string_equal(m->items[0].by, "amount");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_ties),
		cmocka_unit_test(test_rank_many),
		cmocka_unit_test_setup_teardown(test_periods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_groups_and_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prorate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_previous_and_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_method, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
