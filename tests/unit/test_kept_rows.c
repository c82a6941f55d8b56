/*
 * test_kept_rows.c — what the pages of every area keep per connection
 * (store_keep.c): the competition (competition_kept) and 工作台's lagging
 * areas (progress_lags_kept), on the demo data with a second connection
 * writing as another server thread or the reporter would. After each kind
 * of change the kept figures equal a full recomputation (competition_compute,
 * progress_lags and progress_compute), a change in one area makes only
 * that area's rows (and those above it) again while the other areas' rows
 * are reused, a change that moves no figure leaves the generation (and so
 * the kept HTML) as it was, and a change to what is in no area (targets,
 * an operator) makes every row again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "competition.h"
#include "demo.h"
#include "progress.h"
#include "testutil.h"

#define DB "/tmp/hatchery-test-kept-rows.db"

typedef struct Fx {
	Arena a;
	Plan *p;
	Store *s, *other;
} Fx;

static int setup(void **state)
{
	Fx *f = xcalloc(1, sizeof *f);
	f->p = tu_embedded_plan(&f->a);
	f->s = tu_store_demo_file(DB, f->p);
	char err[512] = "";
	f->other = store_open(DB, 0, err, sizeof err);
	assert_non_null(f->other);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fx *f = *state;
	store_close(f->other);
	store_close(f->s);
	arena_free(&f->a);
	free(f);
	tu_remove_db(DB);
	return 0;
}

/* The areas at or above area (its ancestors and itself). */
static int above(const Plan *p, const char *area)
{
	int n = 0;
	for (const Area *a = plan_area(p, area); a && strcmp(a->code, p->city.code) != 0;
	     a = a->parent ? plan_area(p, a->parent) : NULL)
		n++;
	return n;
}

static void same_cell(const CompCell *x, const CompCell *y, const char *what)
{
	if (x->value != y->value || x->has_target != y->has_target || x->target != y->target || x->rate != y->rate ||
	    x->scored != y->scored || x->score != y->score || x->rank_group != y->rank_group || x->rank_all != y->rank_all)
		fail_msg("%s: kept %.4f (rank %d/%d), computed %.4f (rank %d/%d)", what, x->value, x->rank_group, x->rank_all,
		         y->value, y->rank_group, y->rank_all);
}

static void same_row(const CompRow *x, const CompRow *y, int nitems)
{
	assert_ptr_equal(x->area, y->area);
	assert_int_equal(x->group, y->group);
	for (int k = 0; k < nitems; k++)
		same_cell(&x->cells[k], &y->cells[k], x->area->code);
	if (x->has_score != y->has_score || x->score != y->score || x->rank_group != y->rank_group ||
	    x->rank_all != y->rank_all || x->has_prev != y->has_prev || x->prev_score != y->prev_score ||
	    x->prev_rank_group != y->prev_rank_group || x->prev_rank_all != y->prev_rank_all ||
	    x->change_group != y->change_group || x->change_all != y->change_all || x->has_progress != y->has_progress ||
	    x->progress != y->progress || x->progress_rank_group != y->progress_rank_group ||
	    x->progress_rank_all != y->progress_rank_all)
		fail_msg("%s: kept score %.4f rank %d/%d progress %d, computed %.4f rank %d/%d progress %d", x->area->code,
		         x->score, x->rank_group, x->rank_all, x->progress_rank_all, y->score, y->rank_group, y->rank_all,
		         y->progress_rank_all);
}

/* The kept competition equals one computed afresh; returns its gen. */
static unsigned long long comp_exact(Fx *f, const char *period, const char *as_of, const Competition **kept)
{
	unsigned long long gen;
	DomResult r = competition_kept(f->s, f->p, period, as_of, kept, &gen);
	if (!dom_done(r))
		fail_msg("competition_kept: %s", r.message ? r.message : "");
	Competition c;
	r = competition_compute(f->s, f->p, period, as_of, &c);
	assert_true(dom_done(r));
	const Competition *k = *kept;
	assert_string_equal(k->period.key, c.period.key);
	assert_int_equal(k->has_prev, c.has_prev);
	assert_int_equal(k->nrows, c.nrows);
	assert_int_equal(k->nitems, c.nitems);
	for (int j = 0; j < c.nitems; j++)
		same_cell(&k->city[j], &c.city[j], "city");
	for (int i = 0; i < c.nrows; i++)
		same_row(&k->rows[i], &c.rows[i], c.nitems);
	competition_free(&c);
	return gen;
}

/* The kept value of indicator measure in area's row. */
static double comp_value(const Competition *c, const char *area, const char *measure)
{
	const CompRow *w = competition_row(c, area);
	assert_non_null(w);
	for (int k = 0; k < c->nitems; k++)
		if (strcmp(c->ind[k]->measure, measure) == 0)
			return w->cells[k].value;
	fail_msg("no item of %s", measure);
	return 0;
}

static void test_competition_kept(void **state)
{
	Fx *f = *state;
	static const struct {
		const char *period, *as_of;
	} views[] = {{"2024-06", "2024-12-31"}, {"plan", "2024-11-15"}, {"2024-Q2", "2024-12-31"}};
	const Plan *p = f->p;
	const Area *leaf = NULL;
	for (int i = 0; i < p->nareas && !leaf; i++)
		if (p->areas[i].parent && plan_area(p, p->areas[i].parent))
			leaf = &p->areas[i];
	if (!leaf)
		leaf = &p->areas[0];
	int nabove = above(p, leaf->code);
	char sql[512];
	for (size_t v = 0; v < ARRAY_LEN(views); v++) {
		const char *period = views[v].period, *as_of = views[v].as_of;
		const Competition *c;
		long long made0 = competition_kept_rows_made(f->s);
		unsigned long long g0 = comp_exact(f, period, as_of, &c);
		assert_int_equal(competition_kept_rows_made(f->s) - made0, p->nareas); /* first: every row */

		/* nothing changed: nothing made, the same generation */
		unsigned long long gen;
		const Competition *again;
		assert_true(dom_done(competition_kept(f->s, p, period, as_of, &again, &gen)));
		assert_ptr_equal(again, c);
		assert_true(gen == g0);
		assert_int_equal(competition_kept_rows_made(f->s) - made0, p->nareas);

		/* a project arrived in one area: its row and those above it only */
		const char *measure = "projects_arrived";
		int has_projects = 0;
		for (int k = 0; k < c->nitems; k++)
			has_projects |= strcmp(c->ind[k]->measure, measure) == 0;
		if (!has_projects)
			measure = c->ind[0]->measure;
		double before = comp_value(c, leaf->code, measure);
		if (strcmp(measure, "projects_arrived") == 0)
			snprintf(sql, sizeof sql,
			         "INSERT INTO project(name, area, arrived_on, created_at, updated_at) "
			         "VALUES ('kept %zu', '%s', '%.8s15', 'x', 'x')", v, leaf->code, c->period.from);
		else
			snprintf(sql, sizeof sql,
			         "INSERT INTO fund(name, area, established_on, created_at, updated_at) "
			         "VALUES ('kept %zu', '%s', '%.8s15', 'x', 'x')", v, leaf->code, c->period.from);
		tu_exec(f->other, sql);
		long long made1 = competition_kept_rows_made(f->s);
		unsigned long long g1 = comp_exact(f, period, as_of, &c);
		assert_int_equal(competition_kept_rows_made(f->s) - made1, nabove);
		assert_true(g1 != g0);
		if (strcmp(measure, "projects_arrived") == 0)
			assert_true(comp_value(c, leaf->code, measure) == before + 1);

		/* a change that moves no figure (a firm's name in another area):
		 * that area's row made again, equal, the generation kept */
		const Area *elsewhere = &p->areas[p->nareas - 1];
		snprintf(sql, sizeof sql, "UPDATE base SET name = name || '·' WHERE id = (SELECT min(id) FROM base WHERE area = '%s')",
		         elsewhere->code);
		tu_exec(f->other, sql);
		long long made2 = competition_kept_rows_made(f->s);
		unsigned long long g2 = comp_exact(f, period, as_of, &c);
		assert_true(competition_kept_rows_made(f->s) - made2 <= above(p, elsewhere->code));
		assert_true(g2 == g1);

		/* a target (in no area): every row again */
		snprintf(sql, sizeof sql, "UPDATE target SET value = value + 3 WHERE scope = '%s'", leaf->code);
		tu_exec(f->other, sql);
		long long made3 = competition_kept_rows_made(f->s);
		comp_exact(f, period, as_of, &c);
		assert_int_equal(competition_kept_rows_made(f->s) - made3, p->nareas);

		/* a record deleted: equal again */
		tu_exec(f->other, "DELETE FROM project WHERE id = (SELECT max(id) FROM project)");
		comp_exact(f, period, as_of, &c);
	}
}

static void same_lags(Fx *f, int year, const char *as_of, unsigned long long *gen)
{
	const Progress *city;
	const AreaLag *kept;
	int ncity;
	int n = progress_lags_kept(f->s, f->p, year, as_of, &city, &ncity, &kept, gen);
	assert_true(n > 0);
	Arena a = {0};
	AreaLag *fresh;
	assert_int_equal(progress_lags(f->s, f->p, &a, year, as_of, &fresh), n);
	for (int i = 0; i < n; i++)
		if (kept[i].area != fresh[i].area || kept[i].at_risk != fresh[i].at_risk || kept[i].behind != fresh[i].behind ||
		    kept[i].worst != fresh[i].worst)
			fail_msg("%s: kept %d/%d, computed %d/%d", fresh[i].area->code, kept[i].at_risk, kept[i].behind,
			         fresh[i].at_risk, fresh[i].behind);
	Progress *g;
	assert_int_equal(progress_compute(f->s, f->p, &a, f->p->city.code, year, as_of, "plan", &g), ncity);
	for (int i = 0; i < ncity; i++) {
		assert_ptr_equal(city[i].ind, g[i].ind);
		if (city[i].actual != g[i].actual || city[i].status != g[i].status || city[i].forecast != g[i].forecast ||
		    city[i].target != g[i].target)
			fail_msg("city %s: kept %.4f, computed %.4f", g[i].ind->code, city[i].actual, g[i].actual);
	}
	arena_free(&a);
}

static void test_lags_kept(void **state)
{
	Fx *f = *state;
	const Plan *p = f->p;
	const char *as_of = "2024-09-30";
	unsigned long long g0, g1, g2;
	long long m0 = progress_lags_rows_made(f->s);
	same_lags(f, 2024, as_of, &g0);
	long long all = progress_lags_rows_made(f->s) - m0;
	assert_true(all > 0);
	same_lags(f, 2024, as_of, &g1);
	assert_true(g1 == g0);
	assert_int_equal(progress_lags_rows_made(f->s) - m0, all); /* nothing changed: nothing made */

	/* a hundred funds in one area: its row (and those above it) only,
	 * and the city's figures move */
	const Area *ar = &p->areas[0];
	for (int i = 0; i < p->nareas; i++)
		if (!strcmp(p->areas[i].level, "area")) {
			ar = &p->areas[i];
			break;
		}
	char sql[512];
	snprintf(sql, sizeof sql,
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
	         "INSERT INTO fund(name, area, established_on, created_at, updated_at) "
	         "SELECT 'lag ' || i, '%s', '2024-03-01', 'x', 'x' FROM n", ar->code);
	tu_exec(f->other, sql);
	long long m1 = progress_lags_rows_made(f->s);
	same_lags(f, 2024, as_of, &g2);
	assert_true(progress_lags_rows_made(f->s) - m1 <= above(p, ar->code));
	assert_true(progress_lags_rows_made(f->s) - m1 >= 1);
	assert_true(g2 != g1); /* the city's projects moved */

	/* a target in no area: every row again, equal */
	snprintf(sql, sizeof sql, "UPDATE target SET value = value * 2 WHERE scope = '%s'", ar->code);
	tu_exec(f->other, sql);
	long long m2 = progress_lags_rows_made(f->s);
	same_lags(f, 2024, as_of, &g2);
	assert_int_equal(progress_lags_rows_made(f->s) - m2, all);

	/* another day: every row again */
	long long m3 = progress_lags_rows_made(f->s);
	same_lags(f, 2024, "2024-10-01", &g2);
	assert_int_equal(progress_lags_rows_made(f->s) - m3, all);
}

/* The values of every area read in one statement equal store_measure's
 * for each area, for every measure of the plan and windows of a month, a
 * year, from the plan's start, one that ends before it begins and within
 * a month. */
static void test_every_area_equals_each(void **state)
{
	Fx *f = *state;
	static const char *const win[][2] = {{"2024-06-01", "2024-06-30"}, {"2024-01-01", "2024-11-15"},
	                                     {"2022-01-01", "2024-12-31"}, {"2024-05-10", "2024-05-20"},
	                                     {"2024-03-01", "2024-02-01"}, {"2023-02-28", "2023-03-01"}};
	int compared = 0;
	for (int i = 0; i < f->p->nindicators; i++) {
		const Indicator *in = &f->p->indicators[i];
		for (size_t w = 0; w < ARRAY_LEN(win); w++) {
			Arena a = {0};
			const char **codes;
			double *v;
			int n = store_measure_every_area(f->s, &a, in->measure, in->level, win[w][0], win[w][1], &codes, &v);
			assert_true(n >= f->p->nareas);
			for (int j = 0; j < n; j++) {
				int ok = 0;
				double one = store_measure(f->s, in->measure, in->level, codes[j], win[w][0], win[w][1], &ok);
				assert_true(ok);
				if (one != v[j])
					fail_msg("%s %s %s..%s: every area %.2f, one area %.2f", in->measure, codes[j], win[w][0],
					         win[w][1], v[j], one);
				compared++;
			}
			arena_free(&a);
		}
	}
	assert_true(compared > 100);
	/* a date that is not one: asked per area */
	Arena a = {0};
	const char **codes;
	double *v;
	assert_int_equal(store_measure_every_area(f->s, &a, "funds_established", NULL, "2024-02-30", "2024-03-31", &codes, &v), 0);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_competition_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lags_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_area_equals_each, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
