/*
 * test_reports.c — periodic reports: the forms file, period windows at
 * their first and last minute in Beijing time, reading typed numbers, the
 * rules at their edges, and the workflows over an in-memory store: the
 * approval chain and its scopes, locking and unlocking, exceptions after
 * closing, completeness with reporters added mid-period, timeliness, and
 * the talents figure counted from accepted reports only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "testutil.h"

static const FormSet *forms(Arena *a)
{
	const EmbeddedForms *e = forms_embedded("forms/ruian-2022-2024.json");
	assert_non_null(e);
	char err[400] = "";
	FormSet *fs = forms_parse(a, e->data, *e->len, e->name, err, sizeof err);
	if (!fs)
		fail_msg("embedded forms refused: %s", err);
	return fs;
}

static void test_forms_file(void **state)
{
	Arena a = {0};
	const FormSet *fs = forms(&a);
	assert_int_equal(fs->nforms, 4);
	const Form *m = forms_find(fs, "area-monthly");
	assert_non_null(m);
	assert_string_equal(m->reporter, "area");
	/* the levels come from the forms file, per form: the area's sign-off, then the office */
	assert_int_equal(m->napproval, 2);
	assert_string_equal(m->approval[0], "area");
	const Form *dq = forms_find(fs, "dept-quarterly");
	assert_non_null(dq);
	assert_string_equal(dq->reporter, "department");
	assert_int_equal(dq->napproval, 1);
	assert_string_equal(dq->approval[0], "office");
	const FormItem *t = form_field(m, "talents_new");
	assert_string_equal(t->counts_as, "talents_new");
	const Form *inc = forms_find(fs, "torch-incubator");
	assert_int_equal(inc->napproval, 2);
	assert_near(form_field(inc, "income_total_yuan")->scale, 1000, 0);
	assert_string_equal(form_field(inc, "income_total_yuan")->unit, "千元");
	/* a broken file names the place */
	char err[400];
	static const char bad[] = "{\"format\":\"hatchery-forms/1\",\"code\":\"x\",\"name\":\"x\",\"forms\":[{\"code\":\"f\","
	                          "\"name\":\"f\",\"period\":\"monthly\",\"reporter\":\"area\",\"approval\":[\"office\"],"
	                          "\"window\":{\"opens_from\":\"start\"},\"sections\":[{\"title\":\"t\",\"fields\":"
	                          "[{\"code\":\"a\",\"label\":\"a\",\"type\":\"weight\"}]}]}]}";
	assert_null(forms_parse(&a, bad, strlen(bad), "t.json", err, sizeof err));
	assert_contains(err, "forms[0].sections[0].fields[0]");
	assert_contains(err, "unknown type \"weight\"");
	static const char bad_rule[] = "{\"format\":\"hatchery-forms/1\",\"code\":\"x\",\"name\":\"x\",\"forms\":[{\"code\":\"f\","
	                               "\"name\":\"f\",\"period\":\"monthly\",\"reporter\":\"area\",\"approval\":[\"office\"],"
	                               "\"window\":{\"opens_from\":\"start\"},\"sections\":[{\"title\":\"t\",\"fields\":"
	                               "[{\"code\":\"a\",\"label\":\"a\",\"type\":\"integer\"}]}],"
	                               "\"rules\":[{\"kind\":\"le\",\"a\":\"a\",\"b\":\"zz\",\"message\":\"m\"}]}]}";
	assert_null(forms_parse(&a, bad_rule, strlen(bad_rule), "t.json", err, sizeof err));
	assert_contains(err, "rules[0].b: unknown field \"zz\"");
	/* who fills and who approves: a department may fill a form; its report goes to the office */
	static const char head[] = "{\"format\":\"hatchery-forms/1\",\"code\":\"x\",\"name\":\"x\",\"forms\":[{\"code\":\"f\","
	                           "\"name\":\"f\",\"period\":\"quarterly\",";
	static const char tail[] = "\"window\":{\"opens_from\":\"start\"},\"sections\":[{\"title\":\"t\",\"fields\":"
	                           "[{\"code\":\"a\",\"label\":\"a\",\"type\":\"integer\"}]}]}]}";
	static const struct {
		const char *who, *error; /* error NULL: accepted */
	} cases[] = {
		{"\"reporter\":\"department\",\"approval\":[\"office\"],", NULL},
		{"\"reporter\":\"department\",\"departments\":[\"kjj\"],\"approval\":[\"office\"],", NULL},
		{"\"reporter\":\"area\",\"approval\":[\"area\",\"office\"],", NULL},
		{"\"reporter\":\"base\",\"approval\":[\"area\",\"office\"],", NULL},
		{"\"reporter\":\"department\",\"approval\":[\"area\",\"office\"],", "a department's report goes to the office"},
		{"\"reporter\":\"area\",\"departments\":[\"kjj\"],\"approval\":[\"office\"],", "\"departments\" is for a form departments fill"},
		{"\"reporter\":\"town\",\"approval\":[\"office\"],", "must be area, base or department"},
		{"\"reporter\":\"base\",\"approval\":[\"office\",\"area\"],", "must be [\"office\"] or [\"area\", \"office\"]"},
		{"\"reporter\":\"base\",\"approval\":[\"city\",\"office\"],", "can only be \"area\""},
		{"\"reporter\":\"base\",\"approval\":[\"area\",\"area\",\"office\"],", "must be [\"office\"]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = arena_printf(&a, "%s%s%s", head, cases[i].who, tail);
		err[0] = 0;
		FormSet *x = forms_parse(&a, text, strlen(text), "t.json", err, sizeof err);
		if (!cases[i].error && !x)
			fail_msg("case %zu refused: %s", i, err);
		if (cases[i].error) {
			if (x)
				fail_msg("case %zu accepted", i);
			assert_contains(err, cases[i].error);
		}
	}
	arena_free(&a);
}

static void test_period_windows(void **state)
{
	Arena a = {0};
	const FormSet *fs = forms(&a);
	const Form *m = forms_find(fs, "area-monthly"), *y = forms_find(fs, "torch-incubator");
	Period p;
	assert_true(period_parse(m, "2024-11", &p));
	assert_string_equal(p.start, "2024-11-01");
	assert_string_equal(p.end, "2024-11-30");
	/* opens at 00:00 Beijing time on the 1st (16:00 UTC the day before) */
	assert_int_equal(p.opens, time_parse("2024-10-31T16:00:00Z"));
	assert_string_equal(period_state(&p, time_parse("2024-10-31T23:59:59+08:00")), "not_open");
	assert_string_equal(period_state(&p, time_parse("2024-11-01T00:00:00+08:00")), "open");
	/* due the 5th of the next month: its last minute is on time, the next is not */
	assert_string_equal(period_state(&p, time_parse("2024-12-05T23:59:00+08:00")), "open");
	assert_string_equal(period_state(&p, time_parse("2024-12-06T00:00:00+08:00")), "overdue");
	/* closes after the 10th */
	assert_string_equal(period_state(&p, time_parse("2024-12-10T23:59:00+08:00")), "overdue");
	assert_string_equal(period_state(&p, time_parse("2024-12-11T00:00:00+08:00")), "closed");
	assert_string_equal(period_state(&p, time_parse("2024-12-10T16:00:00Z")), "closed");
	/* February of a leap year, and the step across a year */
	assert_true(period_parse(m, "2024-02", &p));
	assert_string_equal(p.end, "2024-02-29");
	Period q;
	assert_true(period_parse(m, "2024-12", &p));
	period_step(m, &p, 1, &q);
	assert_string_equal(q.key, "2025-01");
	period_step(m, &p, -1, &q);
	assert_string_equal(q.key, "2024-11");
	/* the yearly Torch form opens on 1 January after its year */
	assert_true(period_parse(y, "2024", &p));
	assert_string_equal(period_state(&p, time_parse("2024-12-31T23:59:00+08:00")), "not_open");
	assert_string_equal(period_state(&p, time_parse("2025-01-01T00:00:00+08:00")), "open");
	assert_string_equal(period_state(&p, time_parse("2025-03-31T23:59:00+08:00")), "open");
	assert_string_equal(period_state(&p, time_parse("2025-04-01T00:00:00+08:00")), "overdue");
	/* keys of the wrong shape or type */
	assert_false(period_parse(m, "2024-13", &p));
	assert_false(period_parse(m, "2024-1", &p));
	assert_false(period_parse(m, "2024", &p));
	assert_false(period_parse(y, "2024-11", &p));
	assert_false(period_parse(m, "2024-11x", &p));
	assert_false(period_parse(m, NULL, &p));
	assert_string_equal(period_label(&a, m, &(Period){.key = "2024-03"}), "2024年3月");
	/* times: a zone is required to be Z, +HH:MM, or none (Beijing) */
	assert_int_equal(time_parse("2024-11-01T00:00"), time_parse("2024-10-31T16:00:00Z"));
	assert_int_equal(time_parse("2024-11-01T08:00:00Z"), time_parse("2024-11-01T16:00:00+08:00"));
	assert_int_equal(time_parse("2024-11-01 00:00"), -1);
	assert_int_equal(time_parse("2024-02-30T00:00Z"), -1);
	char out[20];
	beijing_format(time_parse("2024-10-31T16:00:00Z"), out);
	assert_string_equal(out, "2024-11-01 00:00");
	arena_free(&a);
}

/* Sets a field of d from what a person types into the page's box. */
static void typed(Arena *a, const Form *f, ReportData *d, const char *field, const char *text, Issues *is)
{
	int i = form_field_index(f, field);
	assert_true(i >= 0);
	report_set_typed(a, f, d, i, text, 1, is);
}

static void test_reading_numbers(void **state)
{
	Arena a = {0};
	const FormSet *fs = forms(&a);
	const Form *m = forms_find(fs, "area-monthly"), *y = forms_find(fs, "torch-incubator");
	ReportData *d = report_data_new(&a, m);
	Issues is = {0};
	typed(&a, m, d, "event_participants", "8,000", &is);
	assert_near(d->num[form_field_index(m, "event_participants")], 8000, 0);
	typed(&a, m, d, "event_participants", "\xef\xbc\x98\xef\xbc\x90\xef\xbc\x90", &is); /* ８００ */
	assert_near(d->num[form_field_index(m, "event_participants")], 800, 0);
	typed(&a, m, d, "investment_unregistered_yuan", "12.5", &is); /* 万元 box */
	assert_near(d->num[form_field_index(m, "investment_unregistered_yuan")], 125000, 0);
	typed(&a, m, d, "investment_unregistered_yuan", "0.8万", &is);
	assert_near(d->num[form_field_index(m, "investment_unregistered_yuan")], 8000, 0);
	assert_int_equal(is.format_errors, 0);
	typed(&a, m, d, "talents_new", "1.5", &is);
	assert_int_equal(is.format_errors, 1);
	assert_contains(is.v[0].message, "整数");
	typed(&a, m, d, "talents_new", "-1", &is);
	assert_int_equal(is.format_errors, 2);
	assert_contains(is.v[1].message, "不能为负数");
	typed(&a, m, d, "talents_new", "十二", &is);
	assert_int_equal(is.format_errors, 3);
	assert_contains(is.v[2].message, "十二");
	/* a 千元 box keeps yuan */
	ReportData *t = report_data_new(&a, y);
	Issues it = {0};
	typed(&a, y, t, "income_total_yuan", "1,234.5", &it);
	assert_near(t->num[form_field_index(y, "income_total_yuan")], 1234500, 0);
	assert_string_equal(form_value_text(&a, form_field(y, "income_total_yuan"), "1234500", 1234500, 1), "1,234.5 千元");
	arena_free(&a);
}

/* A valid monthly report's values (talents, of which master/PhD, teams, members). */
static ReportData *monthly_values(Arena *a, const Form *m, const char *talents, const char *phd, const char *teams,
                                  const char *members)
{
	ReportData *d = report_data_new(a, m);
	Issues is = {0};
	typed(a, m, d, "talents_new", talents, &is);
	typed(a, m, d, "talents_master_phd", phd, &is);
	typed(a, m, d, "projects_new", "1", &is);
	typed(a, m, d, "teams_new", teams, &is);
	typed(a, m, d, "team_members_new", members, &is);
	typed(a, m, d, "events", "2", &is);
	typed(a, m, d, "event_participants", "80", &is);
	typed(a, m, d, "narrative", "本月工作正常推进。", &is);
	assert_int_equal(is.format_errors, 0);
	return d;
}

static int has_issue(const Issues *is, const char *field, int soft)
{
	for (int i = 0; i < is->n; i++)
		if (is->v[i].field && !strcmp(is->v[i].field, field) && is->v[i].soft == soft)
			return 1;
	return 0;
}

static void test_rules_at_edges(void **state)
{
	Arena a = {0};
	const FormSet *fs = forms(&a);
	const Form *m = forms_find(fs, "area-monthly"), *y = forms_find(fs, "torch-incubator");
	Period p;
	period_parse(m, "2024-11", &p);
	Issues is = {0};
	/* a part equal to its whole passes; one more does not */
	report_check(&a, m, &p, monthly_values(&a, m, "5", "5", "2", "2"), NULL, 0, &is);
	assert_int_equal(is.hard, 0);
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, monthly_values(&a, m, "5", "6", "2", "2"), NULL, 0, &is);
	assert_int_equal(is.hard, 1);
	assert_true(has_issue(&is, "talents_master_phd", 0));
	/* paired figures: members not fewer than teams; neither without the other */
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, monthly_values(&a, m, "5", "0", "2", "1"), NULL, 0, &is);
	assert_true(has_issue(&is, "team_members_new", 0));
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, monthly_values(&a, m, "5", "0", "0", "3"), NULL, 0, &is);
	assert_true(has_issue(&is, "team_members_new", 0));
	/* a required field left empty */
	ReportData *d = monthly_values(&a, m, "5", "0", "0", "0");
	d->text[form_field_index(m, "events")] = NULL;
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, d, NULL, 0, &is);
	assert_true(has_issue(&is, "events", 0));
	/* list dates inside the period: its first and last day pass, the day after does not */
	d = monthly_values(&a, m, "5", "0", "0", "0");
	int li = form_field_index(m, "talent_list");
	memset(&is, 0, sizeof is);
	const char *dates[] = {"2024-11-01", "2024-11-30", "2024-12-01"};
	for (int r = 0; r < 3; r++) {
		report_set_cell(&a, m, d, li, r, 0, "张三", &p, &is);
		report_set_cell(&a, m, d, li, r, 1, "博士", &p, &is);
		report_set_cell(&a, m, d, li, r, 3, dates[r], &p, &is);
	}
	assert_int_equal(is.hard, 1);
	assert_string_equal(is.v[0].field, "talent_list.3.arrived_on");
	/* more named rows than talents reported */
	memset(&is, 0, sizeof is);
	d = monthly_values(&a, m, "1", "0", "0", "0");
	report_set_cell(&a, m, d, li, 0, 0, "张三", &p, &is);
	report_set_cell(&a, m, d, li, 0, 1, "phd", &p, &is);
	report_set_cell(&a, m, d, li, 0, 3, "2024-11-02", &p, &is);
	report_set_cell(&a, m, d, li, 1, 0, "李四", &p, &is);
	report_set_cell(&a, m, d, li, 1, 1, "phd", &p, &is);
	report_set_cell(&a, m, d, li, 1, 3, "2024-11-03", &p, &is);
	report_check(&a, m, &p, d, NULL, 0, &is);
	assert_true(has_issue(&is, "talent_list", 0));
	/* spike: three times the median of the last six is allowed, above it needs a note */
	double six[] = {4, 4, 4, 5, 3, 4};
	History h = {"talents_new", six, 6};
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, monthly_values(&a, m, "12", "0", "0", "0"), &h, 1, &is);
	assert_false(has_issue(&is, "talents_new", 1));
	memset(&is, 0, sizeof is);
	d = monthly_values(&a, m, "13", "0", "0", "0");
	report_check(&a, m, &p, d, &h, 1, &is);
	assert_true(has_issue(&is, "talents_new", 1));
	assert_int_equal(is.soft_open, 1);
	assert_int_equal(is.hard, 0);
	d->note[form_field_index(m, "talents_new")] = "本月举办招聘专场。";
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, d, &h, 1, &is);
	assert_int_equal(is.soft_open, 0);
	assert_true(is.n == 1 && is.v[0].explained);
	/* fewer than three earlier periods: no comparison */
	History h2 = {"talents_new", six, 2};
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, monthly_values(&a, m, "90", "0", "0", "0"), &h2, 1, &is);
	assert_int_equal(is.n, 0);
	/* zero after three periods that were not */
	double three[] = {1, 2, 3}, with_zero[] = {1, 0, 3};
	History hz = {"talents_new", three, 3}, hz0 = {"talents_new", with_zero, 3};
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, monthly_values(&a, m, "0", "0", "0", "0"), &hz, 1, &is);
	assert_true(has_issue(&is, "talents_new", 1));
	memset(&is, 0, sizeof is);
	report_check(&a, m, &p, monthly_values(&a, m, "0", "0", "0", "0"), &hz0, 1, &is);
	assert_false(has_issue(&is, "talents_new", 1));
	/* the Torch sum: parts adding up to the total within half a yuan */
	Period yp;
	period_parse(y, "2024", &yp);
	ReportData *t = report_data_new(&a, y);
	Issues ti = {0};
	typed(&a, y, t, "income_total_yuan", "100", &ti);
	typed(&a, y, t, "income_service_yuan", "40", &ti);
	typed(&a, y, t, "income_property_yuan", "50", &ti);
	typed(&a, y, t, "income_investment_yuan", "9.9996", &ti); /* 9,999.6 yuan: 0.4 short */
	typed(&a, y, t, "income_other_yuan", "0", &ti);
	report_check(&a, y, &yp, t, NULL, 0, &ti);
	assert_false(has_issue(&ti, "income_total_yuan", 0));
	typed(&a, y, t, "income_investment_yuan", "9.999", &ti); /* 1 yuan short */
	memset(&ti, 0, sizeof ti);
	report_check(&a, y, &yp, t, NULL, 0, &ti);
	assert_true(has_issue(&ti, "income_total_yuan", 0));
	arena_free(&a);
}

/* ---- workflows over a store ---- */

typedef struct Fx {
	Arena a;
	Plan *p;
	Store *s;
	long long base_fy, base_xj, base_late;
} Fx;

static long long add_base(Store *s, const char *name, const char *kind, const char *area, const char *opened)
{
	Base b = {.name = name, .kind = kind, .area = area, .opened_on = opened, .total_area_m2 = 1000,
	          .firms_total = -1, .firms_leading_industry = -1, .talents = -1, .teams = -1, .created_by = "test"};
	long long id = store_base_insert(s, &b);
	assert_true(id > 0);
	return id;
}

static int setup(void **state)
{
	Fx *f = calloc(1, sizeof *f);
	f->p = tu_embedded_plan(&f->a);
	f->s = tu_store_memory();
	tu_save_plan(f->s, f->p);
	assert_int_equal(store_begin(f->s), H_OK);
	f->base_fy = add_base(f->s, "飞云测试孵化器", "incubator", "feiyun", "2020-01-01");
	f->base_xj = add_base(f->s, "仙降测试加速器", "accelerator", "xianjiang", "2024-06-15"); /* mid-year */
	f->base_late = add_base(f->s, "飞云新开孵化器", "incubator", "feiyun", "2025-01-10");   /* after the year */
	add_base(f->s, "飞云众创空间", "maker_space", "feiyun", "2020-01-01");                  /* another form */
	assert_int_equal(store_commit(f->s), H_OK);
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

static const Actor office = {.name = "admin", .role = ROLE_ADMIN};
static const Actor feiyun = {.name = "feiyun_reporter", .role = ROLE_AREA, .scope = "feiyun"};
static const Actor xianjiang = {.name = "xianjiang_reporter", .role = ROLE_AREA, .scope = "xianjiang"};
/* another account of 飞云: the area's sign-off of its own monthly report */
static const Actor feiyun_leader = {.name = "feiyun_leader", .role = ROLE_AREA, .scope = "feiyun"};

static time_t at(const char *t)
{
	time_t x = time_parse(t);
	assert_true(x > 0);
	return x;
}

/* A complete, valid Torch report. */
static ReportData *torch_values(Arena *a, const Form *y)
{
	ReportData *t = report_data_new(a, y);
	Issues is = {0};
	for (int i = 0; i < y->nfields; i++)
		report_set_typed(a, y, t, i, "1", 1, &is);
	typed(a, y, t, "income_total_yuan", "4", &is);
	typed(a, y, t, "staff_total", "10", &is);
	typed(a, y, t, "area_total_m2", "5000", &is);
	typed(a, y, t, "firms_incubated", "30", &is);
	typed(a, y, t, "firms_employees", "200", &is);
	typed(a, y, t, "firms_graduated_total", "5", &is);
	typed(a, y, t, "ip_granted", "5", &is);
	assert_int_equal(is.format_errors, 0);
	return t;
}

static void test_approval_chain_and_scopes(void **state)
{
	Fx *f = *state;
	const Form *y = forms_find(reports_forms(f->s, f->p), "torch-incubator");
	char org[32];
	snprintf(org, sizeof org, "base-%lld", f->base_fy);
	char scope[24];
	snprintf(scope, sizeof scope, "%lld", f->base_fy);
	Actor base = {.name = "base_user", .role = ROLE_BASE, .scope = scope};
	time_t now = at("2025-02-10T10:00:00+08:00");
	ReportOutcome o = {0};
	/* the area cannot fill a base's form; the base can */
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "torch-incubator", "2024", org, torch_values(&f->a, y), 1,
	                             now, &o),
	                 403);
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &base, "torch-incubator", "2024", org, torch_values(&f->a, y), 1, now, &o),
	                 200);
	/* another town does not approve it; the base's own town does, once */
	assert_int_equal(report_act(f->s, &f->a, f->p, &xianjiang, "torch-incubator", "2024", org, "approve", NULL, now, &o), 403);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "torch-incubator", "2024", org, "accept", NULL, now, &o), 403);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "torch-incubator", "2024", org, "accept", NULL, now, &o), 409);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "torch-incubator", "2024", org, "approve", NULL, now, &o), 200);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "torch-incubator", "2024", org, "approve", NULL, now, &o), 409);
	ReportRec rec;
	assert_int_equal(store_report_get(f->s, &f->a, "torch-incubator", "2024", org, &rec), 1);
	assert_string_equal(rec.status, "approved");
	assert_string_equal(rec.approved_by, "feiyun_reporter");
	/* the office returns it with a reason; a return without one is refused */
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "torch-incubator", "2024", org, "return", "  ", now, &o), 400);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "torch-incubator", "2024", org, "return", "孵化面积请核对", now, &o),
	                 200);
	ReportTodo todo;
	assert_int_equal(report_todo(f->s, &f->a, f->p, &base, &todo), H_OK);
	assert_int_equal(todo.nreturned, 1);
	assert_string_equal(todo.returned[0].return_reason, "孵化面积请核对");
	/* resubmitted, approved and accepted; the first submission stays the one timeliness reads */
	assert_int_equal(report_save(f->s, &f->a, f->p, &base, "torch-incubator", "2024", org, torch_values(&f->a, y), 1,
	                             now + 3600, &o),
	                 200);
	assert_int_equal(report_todo(f->s, &f->a, f->p, &feiyun, &todo), H_OK);
	assert_int_equal(todo.nwaiting, 1);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "torch-incubator", "2024", org, "approve", NULL, now, &o), 200);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "torch-incubator", "2024", org, "accept", NULL, now, &o), 200);
	assert_int_equal(store_report_get(f->s, &f->a, "torch-incubator", "2024", org, &rec), 1);
	assert_string_equal(rec.status, "accepted");
	assert_int_equal(time_parse(rec.first_submitted_at), now);
	/* each step audited */
	sqlite3 *db = store_db(f->s);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(action, ',') FROM (SELECT action FROM audit "
	                                        "WHERE record_kind = 'reports' ORDER BY id)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "submit,approve,return,submit,approve,accept");
	sqlite3_finalize(st);
}

static void test_area_report_counts_once_accepted(void **state)
{
	Fx *f = *state;
	const Form *m = forms_find(reports_forms(f->s, f->p), "area-monthly");
	time_t now = at("2024-12-03T09:00:00+08:00");
	ReportOutcome o = {0};
	int ok;
	double before = store_measure(f->s, "talents_reported", NULL, "feiyun", "2024-01-01", "2024-12-31", &ok);
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun",
	                             monthly_values(&f->a, m, "7", "2", "1", "4"), 1, now, &o),
	                 200);
	/* the reporter does not approve what it submitted, nor does another town; another account of the town does */
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun", "approve", NULL, now, &o),
	                 403);
	assert_contains(o.message, "报送人不能审核自己报送的报表");
	assert_int_equal(report_act(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-11", "feiyun", "approve", NULL, now,
	                            &o),
	                 403);
	ReportTodo todo;
	assert_int_equal(report_todo(f->s, &f->a, f->p, &feiyun, &todo), H_OK);
	assert_int_equal(todo.nwaiting, 0);
	assert_int_equal(report_todo(f->s, &f->a, f->p, &feiyun_leader, &todo), H_OK);
	assert_int_equal(todo.nwaiting, 1);
	/* the office accepts only after the area's sign-off; submitted and approved are not counted */
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "area-monthly", "2024-11", "feiyun", "accept", NULL, now, &o),
	                 409);
	assert_near(store_measure(f->s, "talents_reported", NULL, "feiyun", "2024-01-01", "2024-12-31", &ok), before, 0);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun_leader, "area-monthly", "2024-11", "feiyun", "approve", NULL, now,
	                            &o),
	                 200);
	assert_near(store_measure(f->s, "talents_reported", NULL, "feiyun", "2024-01-01", "2024-12-31", &ok), before, 0);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun_leader, "area-monthly", "2024-11", "feiyun", "accept", NULL, now,
	                            &o),
	                 403);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "area-monthly", "2024-11", "feiyun", "accept", NULL, now, &o),
	                 200);
	assert_near(store_measure(f->s, "talents_reported", NULL, "feiyun", "2024-01-01", "2024-12-31", &ok), before + 7, 0);
	assert_near(store_measure(f->s, "talents_reported", NULL, NULL, "2024-01-01", "2024-12-31", &ok), before + 7, 0);
	/* locked: no change without an unlock */
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun",
	                             monthly_values(&f->a, m, "9", "2", "1", "4"), 0, now, &o),
	                 409);
	assert_string_equal(o.code, "locked");
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun", "unlock_request", "", now,
	                            &o),
	                 400);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun", "unlock_request",
	                            "人才数漏报两人", now, &o),
	                 200);
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun", "unlock", "x", now, &o), 403);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "area-monthly", "2024-11", "feiyun", "unlock", "同意", now, &o),
	                 200);
	/* unlocked: no longer counted until accepted again */
	assert_near(store_measure(f->s, "talents_reported", NULL, "feiyun", "2024-01-01", "2024-12-31", &ok), before, 0);
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun",
	                             monthly_values(&f->a, m, "9", "2", "1", "4"), 1, now, &o),
	                 200);
	/* the office may approve for the area (and then accept) */
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "area-monthly", "2024-11", "feiyun", "approve", NULL, now, &o),
	                 200);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "area-monthly", "2024-11", "feiyun", "accept", NULL, now, &o),
	                 200);
	assert_near(store_measure(f->s, "talents_reported", NULL, "feiyun", "2024-01-01", "2024-12-31", &ok), before + 9, 0);
	/* a hard rule blocks submission, a draft is kept */
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-11", "xianjiang",
	                             monthly_values(&f->a, m, "3", "4", "0", "0"), 1, now, &o),
	                 422);
	ReportRec rec;
	assert_int_equal(store_report_get(f->s, &f->a, "area-monthly", "2024-11", "xianjiang", &rec), 0);
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-11", "xianjiang",
	                             monthly_values(&f->a, m, "3", "4", "0", "0"), 0, now, &o),
	                 200);
	assert_int_equal(store_report_get(f->s, &f->a, "area-monthly", "2024-11", "xianjiang", &rec), 1);
	assert_string_equal(rec.status, "draft");
}

static void test_closing_and_exceptions(void **state)
{
	Fx *f = *state;
	const Form *m = forms_find(reports_forms(f->s, f->p), "area-monthly");
	ReportOutcome o = {0};
	/* before the period opens and after it closes, the reporter cannot enter */
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-10", "xianjiang",
	                             monthly_values(&f->a, m, "1", "0", "0", "0"), 0, at("2024-09-30T23:59:00+08:00"), &o),
	                 409);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-10", "xianjiang",
	                             monthly_values(&f->a, m, "1", "0", "0", "0"), 0, at("2024-11-10T23:59:00+08:00"), &o),
	                 200);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-10", "xianjiang",
	                             monthly_values(&f->a, m, "1", "0", "0", "0"), 1, at("2024-11-11T00:00:00+08:00"), &o),
	                 409);
	assert_string_equal(o.code, "closed");
	/* the office grants three days; the reporter submits; after them it is closed again */
	time_t granted = at("2024-11-12T09:00:00+08:00");
	assert_int_equal(report_grant_exception(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-10", "xianjiang", 3, "系统故障",
	                                        granted, &o),
	                 403);
	assert_int_equal(report_grant_exception(f->s, &f->a, f->p, &office, "area-monthly", "2024-10", "xianjiang", 3, "",
	                                        granted, &o),
	                 400);
	assert_int_equal(report_grant_exception(f->s, &f->a, f->p, &office, "area-monthly", "2024-10", "xianjiang", 3,
	                                        "系统故障未能按时报送", granted, &o),
	                 200);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-10", "xianjiang",
	                             monthly_values(&f->a, m, "1", "0", "0", "0"), 0, at("2024-11-15T23:59:00+08:00"), &o),
	                 200);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-10", "xianjiang",
	                             monthly_values(&f->a, m, "1", "0", "0", "0"), 0, at("2024-11-16T00:00:00+08:00"), &o),
	                 409);
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-10", "xianjiang",
	                             monthly_values(&f->a, m, "1", "0", "0", "0"), 1, at("2024-11-14T10:00:00+08:00"), &o),
	                 200);
	/* late: counted as reported, not as on time */
	Completeness c;
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "area-monthly", "2024-10", "xianjiang",
	                                     at("2024-11-20T10:00:00+08:00"), &c, &o),
	                 200);
	assert_int_equal(c.expected, 1);
	assert_int_equal(c.reported, 1);
	assert_int_equal(c.on_time, 0);
}

static void test_completeness_and_reminders(void **state)
{
	Fx *f = *state;
	const Form *y = forms_find(reports_forms(f->s, f->p), "torch-incubator");
	char fy[32], xj[32], late[32];
	snprintf(fy, sizeof fy, "base-%lld", f->base_fy);
	snprintf(xj, sizeof xj, "base-%lld", f->base_xj);
	snprintf(late, sizeof late, "base-%lld", f->base_late);
	ReportOutcome o = {0};
	/* the base opened after the year is not expected, even when it reports */
	char scope[24];
	snprintf(scope, sizeof scope, "%lld", f->base_late);
	Actor late_user = {.name = "late_user", .role = ROLE_BASE, .scope = scope};
	assert_int_equal(report_save(f->s, &f->a, f->p, &late_user, "torch-incubator", "2023", late, torch_values(&f->a, y), 1,
	                             at("2024-02-01T10:00:00+08:00"), &o),
	                 200);
	snprintf(scope, sizeof scope, "%lld", f->base_fy);
	Actor fy_user = {.name = "fy_user", .role = ROLE_BASE, .scope = scope};
	/* due the 90th day after the year: its last second is on time */
	assert_int_equal(report_save(f->s, &f->a, f->p, &fy_user, "torch-incubator", "2023", fy, torch_values(&f->a, y), 1,
	                             at("2024-03-30T23:59:59+08:00"), &o),
	                 200);
	Completeness c;
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "torch-incubator", "2023", NULL, at("2024-04-05T10:00:00+08:00"),
	                                     &c, &o),
	                 200);
	/* 2023: only the 飞云 incubator existed (仙降 opened mid-2024, the other in 2025; the maker space files another form) */
	assert_int_equal(c.expected, 1);
	assert_int_equal(c.reported, 1);
	assert_int_equal(c.on_time, 1);
	/* 2024: the one opened mid-year is expected and late */
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "torch-incubator", "2024", NULL, at("2025-04-05T10:00:00+08:00"),
	                                     &c, &o),
	                 200);
	assert_int_equal(c.expected, 2);
	assert_true(c.reported <= c.expected);
	int found_xj = 0;
	for (int i = 0; i < c.nrows; i++)
		if (!strcmp(c.rows[i].org.org, xj)) {
			found_xj = 1;
			assert_true(c.rows[i].late);
		}
	assert_true(found_xj);
	/* 催报: the office reminds who is late; a town only its own bases */
	int sent;
	assert_int_equal(report_remind(f->s, &f->a, f->p, &feiyun, "torch-incubator", "2024", (const char *[]){xj}, 1,
	                               at("2025-04-05T10:00:00+08:00"), &sent, &o),
	                 404);
	assert_int_equal(store_setting_set(f->s, "webhook_url", "http://127.0.0.1:9/hook"), H_OK);
	assert_int_equal(report_remind(f->s, &f->a, f->p, &office, "torch-incubator", "2024", NULL, 0,
	                               at("2025-04-05T10:00:00+08:00"), &sent, &o),
	                 200);
	assert_int_equal(sent, c.expected - c.reported);
	ReminderRec *rem;
	assert_int_equal(store_report_reminders(f->s, &f->a, xj, "torch-incubator", "2024", 10, &rem), 1);
	assert_contains(rem[0].text, "已逾期");
	assert_int_equal(store_outbox_count(f->s, "pending"), sent);
	ReportTodo todo;
	snprintf(scope, sizeof scope, "%lld", f->base_xj);
	Actor xj_user = {.name = "xj_user", .role = ROLE_BASE, .scope = scope};
	assert_int_equal(report_todo(f->s, &f->a, f->p, &xj_user, &todo), H_OK);
	assert_int_equal(todo.nreminders, 1);
}

/* A closed base is expected only for the periods it was open in: the day it
 * closed is read from the audit trail; closed on a day nobody recorded, it
 * is not expected at all (completeness never counts a base that was not there). */
static void test_completeness_closed_bases(void **state)
{
	Fx *f = *state;
	ReportOutcome o = {0};
	Completeness c;
	time_t now = at("2025-04-05T10:00:00+08:00");
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "torch-incubator", "2024", NULL, now, &c, &o), 200);
	int before = c.expected;
	assert_int_equal(store_begin(f->s), H_OK);
	Base b1 = {.name = "飞云停办孵化器", .kind = "incubator", .area = "feiyun", .opened_on = "2019-05-01", .status = "closed",
	           .total_area_m2 = 1000, .firms_total = -1, .firms_leading_industry = -1, .talents = -1, .teams = -1,
	           .created_by = "test"};
	long long unknown = store_base_insert(f->s, &b1);
	Base b2 = b1;
	b2.name = "飞云年中停办孵化器";
	long long mid = store_base_insert(f->s, &b2);
	assert_true(unknown > 0 && mid > 0);
	/* the second was closed on 20 June 2024 (as the record's change says in the trail) */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->s),
	                                    "INSERT INTO audit(at, user_name, action, record_kind, record_id, before_json, after_json) "
	                                    "VALUES ('2024-06-20T02:00:00Z', 'feiyun_reporter', 'update', 'bases', ?1, "
	                                    "'{\"status\":\"operating\"}', '{\"status\":\"closed\"}')",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, arena_printf(&f->a, "%lld", mid), -1, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(store_commit(f->s), H_OK);
	char mid_org[32], unknown_org[32];
	snprintf(mid_org, sizeof mid_org, "base-%lld", mid);
	snprintf(unknown_org, sizeof unknown_org, "base-%lld", unknown);
	/* 2024: the one closed mid-year was there for half of it, expected; the other not */
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "torch-incubator", "2024", NULL, now, &c, &o), 200);
	assert_int_equal(c.expected, before + 1);
	int seen_mid = 0, seen_unknown = 0;
	for (int i = 0; i < c.nrows; i++) {
		seen_mid |= !strcmp(c.rows[i].org.org, mid_org);
		seen_unknown |= !strcmp(c.rows[i].org.org, unknown_org);
	}
	assert_true(seen_mid);
	assert_false(seen_unknown);
	assert_true(c.reported <= c.expected);
	/* 2025: closed before the year began, not expected */
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "torch-incubator", "2025", NULL, at("2026-04-05T10:00:00+08:00"),
	                                     &c, &o),
	                 200);
	for (int i = 0; i < c.nrows; i++)
		assert_string_not_equal(c.rows[i].org.org, mid_org);
}

/* A department fills its quarterly form; its report goes to the office.
 * Another department, an area and a base neither fill nor see it. */
static void test_department_reports(void **state)
{
	Fx *f = *state;
	const Form *q = forms_find(reports_forms(f->s, f->p), "dept-quarterly");
	assert_non_null(q);
	Actor kjj = {.name = "kjj_clerk", .role = ROLE_DEPARTMENT, .scope = "kjj"};
	Actor fgj = {.name = "fgj_clerk", .role = ROLE_DEPARTMENT, .scope = "fgj"};
	time_t now = at("2025-01-06T10:00:00+08:00");
	ReportData *d = report_data_new(&f->a, q);
	Issues is = {0};
	typed(&f->a, q, d, "policies_issued", "2", &is);
	typed(&f->a, q, d, "funds_paid_yuan", "350", &is); /* 万元 */
	typed(&f->a, q, d, "bases_supported", "6", &is);
	typed(&f->a, q, d, "firms_supported", "48", &is);
	typed(&f->a, q, d, "services", "3", &is);
	typed(&f->a, q, d, "narrative", "兑现第四季度孵化载体扶持资金。", &is);
	assert_int_equal(is.format_errors, 0);
	assert_near(d->num[form_field_index(q, "funds_paid_yuan")], 3500000, 0);
	ReportOutcome o = {0};
	/* another department, an area: refused; the department itself: submitted, waiting for the office */
	assert_int_equal(report_save(f->s, &f->a, f->p, &fgj, "dept-quarterly", "2024-Q4", "dept-kjj", d, 1, now, &o), 403);
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "dept-quarterly", "2024-Q4", "dept-kjj", d, 1, now, &o), 403);
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &kjj, "dept-quarterly", "2024-Q4", "dept-kjj", d, 1, now, &o), 200);
	assert_contains(o.message, "等待市专班办公室确认");
	ReportView v;
	assert_int_equal(report_view(f->s, &f->a, f->p, &feiyun, "dept-quarterly", "2024-Q4", "dept-kjj", now, &v, &o), 403);
	assert_int_equal(report_view(f->s, &f->a, f->p, &fgj, "dept-quarterly", "2024-Q4", "dept-kjj", now, &v, &o), 403);
	assert_int_equal(report_view(f->s, &f->a, f->p, &kjj, "dept-quarterly", "2024-Q4", "dept-kjj", now, &v, &o), 200);
	assert_string_equal(v.org.kind, "department");
	assert_string_equal(v.org.name, "市科技局");
	assert_string_equal(v.org.area, f->p->city.code);
	/* no area approves a department's report; the office accepts it directly */
	assert_int_equal(report_act(f->s, &f->a, f->p, &feiyun, "dept-quarterly", "2024-Q4", "dept-kjj", "approve", NULL, now, &o),
	                 403);
	assert_int_equal(report_act(f->s, &f->a, f->p, &kjj, "dept-quarterly", "2024-Q4", "dept-kjj", "approve", NULL, now, &o),
	                 403);
	ReportTodo todo;
	assert_int_equal(report_todo(f->s, &f->a, f->p, &office, &todo), H_OK);
	int waits = 0;
	for (int i = 0; i < todo.nwaiting; i++)
		waits += !strcmp(todo.waiting[i].org, "dept-kjj");
	assert_int_equal(waits, 1);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "dept-quarterly", "2024-Q4", "dept-kjj", "accept", NULL, now, &o),
	                 200);
	/* locked for the department; it asks to unlock */
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &kjj, "dept-quarterly", "2024-Q4", "dept-kjj", d, 0, now, &o), 409);
	assert_int_equal(report_act(f->s, &f->a, f->p, &kjj, "dept-quarterly", "2024-Q4", "dept-kjj", "unlock_request",
	                            "资金数据需更正", now, &o),
	                 200);
	/* completeness: every department of the plan is expected; one reported, on time (due the 10th) */
	Completeness c;
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "dept-quarterly", "2024-Q4", NULL, now, &c, &o), 200);
	assert_int_equal(c.expected, f->p->ndepartments);
	assert_int_equal(c.reported, 1);
	assert_int_equal(c.on_time, 1);
	assert_int_equal(c.late, 0);
	/* an area sees none of them, and does not chase departments */
	assert_int_equal(report_completeness(f->s, &f->a, f->p, "dept-quarterly", "2024-Q4", "feiyun", now, &c, &o), 200);
	assert_int_equal(c.expected, 0);
	int sent;
	assert_int_equal(report_remind(f->s, &f->a, f->p, &feiyun, "dept-quarterly", "2024-Q4", NULL, 0, now, &sent, &o), 403);
	assert_int_equal(report_remind(f->s, &f->a, f->p, &office, "dept-quarterly", "2024-Q4", NULL, 0, now, &sent, &o), 200);
	assert_int_equal(sent, f->p->ndepartments - 1);
	/* who fills which form */
	assert_int_equal(report_view(f->s, &f->a, f->p, &office, "dept-quarterly", "2024-Q4", "feiyun", now, &v, &o), 404);
	assert_contains(o.message, "由市直部门填报");
	assert_int_equal(report_view(f->s, &f->a, f->p, &office, "area-monthly", "2024-11", "dept-kjj", now, &v, &o), 404);
	assert_int_equal(report_view(f->s, &f->a, f->p, &office, "dept-quarterly", "2024-Q4", "dept-nope", now, &v, &o), 404);
	assert_int_equal(report_todo(f->s, &f->a, f->p, &kjj, &todo), H_OK);
	assert_int_equal(todo.nreminders, 0); /* it had reported: not chased */
}

/* Submits org's monthly report of period with `talents` (and as many events), two days after the month. */
static void submit_month(Fx *f, const Actor *who, const char *org, const char *period, const char *talents)
{
	const Form *m = forms_find(reports_forms(f->s, f->p), "area-monthly");
	Period p;
	assert_true(period_parse(m, period, &p));
	ReportOutcome o = {0};
	if (report_save(f->s, &f->a, f->p, who, "area-monthly", period, org, monthly_values(&f->a, m, talents, "0", "0", "0"), 1,
	                p.due - 3 * 86400, &o) != 200)
		fail_msg("%s %s: %d %s", org, period, o.status, o.message ? o.message : "");
}

/* The soft rules read the reporter's last six (three) periods as reported:
 * submitted, approved or accepted, not only accepted; a returned report is
 * not a figure to compare with, and a period not reported is missing, not
 * replaced by an older one. */
static void test_soft_rules_compare_reported_periods(void **state)
{
	Fx *f = *state;
	const Form *m = forms_find(reports_forms(f->s, f->p), "area-monthly");
	time_t nov = at("2024-12-03T09:00:00+08:00");
	ReportOutcome o = {0};
	/* 飞云: three months of 100 long ago, then nothing for five months, then 4, 4, 4 (submitted, never accepted) */
	const char *old[] = {"2023-12", "2024-01", "2024-02"}, *recent[] = {"2024-08", "2024-09", "2024-10"};
	for (int i = 0; i < 3; i++)
		submit_month(f, &feiyun, "feiyun", old[i], "100");
	for (int i = 0; i < 3; i++)
		submit_month(f, &feiyun, "feiyun", recent[i], "4");
	/* 13 is above three times the median of the last six months (4; the 100s are older than six months) */
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun",
	                             monthly_values(&f->a, m, "13", "0", "0", "0"), 0, nov, &o),
	                 200);
	assert_true(has_issue(&o.issues, "talents_new", 1));
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun",
	                             monthly_values(&f->a, m, "12", "0", "0", "0"), 0, nov, &o),
	                 200);
	assert_false(has_issue(&o.issues, "talents_new", 1));
	/* zero after three months that were not: a warning, whatever their approval stage */
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &feiyun, "area-monthly", "2024-11", "feiyun",
	                             monthly_values(&f->a, m, "0", "0", "0", "0"), 0, nov, &o),
	                 200);
	assert_true(has_issue(&o.issues, "talents_new", 1));

	/* 仙降: 1, 1, 1 sent back by the office, then 4, 4, 4 submitted: the returned ones are not compared with */
	const char *back[] = {"2024-05", "2024-06", "2024-07"};
	for (int i = 0; i < 3; i++) {
		submit_month(f, &xianjiang, "xianjiang", back[i], "1");
		assert_int_equal(report_act(f->s, &f->a, f->p, &office, "area-monthly", back[i], "xianjiang", "return", "请核对",
		                            nov, &o),
		                 200);
	}
	for (int i = 0; i < 3; i++)
		submit_month(f, &xianjiang, "xianjiang", recent[i], "4");
	/* 11 is within three times 4 (the median of 1, 1, 1, 4, 4, 4 would be 2.5) */
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-11", "xianjiang",
	                             monthly_values(&f->a, m, "11", "0", "0", "0"), 0, nov, &o),
	                 200);
	assert_false(has_issue(&o.issues, "talents_new", 1));
	/* a month missing among the last three: no "zero after" comparison */
	memset(&o, 0, sizeof o);
	assert_int_equal(report_act(f->s, &f->a, f->p, &office, "area-monthly", "2024-09", "xianjiang", "return", "请核对", nov,
	                            &o),
	                 200);
	memset(&o, 0, sizeof o);
	assert_int_equal(report_save(f->s, &f->a, f->p, &xianjiang, "area-monthly", "2024-11", "xianjiang",
	                             monthly_values(&f->a, m, "0", "0", "0", "0"), 0, nov, &o),
	                 200);
	assert_false(has_issue(&o.issues, "talents_new", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms_file),
		cmocka_unit_test(test_period_windows),
		cmocka_unit_test(test_reading_numbers),
		cmocka_unit_test(test_rules_at_edges),
		cmocka_unit_test_setup_teardown(test_approval_chain_and_scopes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_area_report_counts_once_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closing_and_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_completeness_and_reminders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_rules_compare_reported_periods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_department_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_completeness_closed_bases, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
