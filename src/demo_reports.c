/*
 * demo_reports.c — the sample's periodic reports (示例数据): two years of
 * the areas' monthly reports (2023-01 to 2024-12), most accepted and on
 * time, a few late, one returned with its reason, one whose soft warning
 * is explained, and the last month still being chased (some waiting for
 * their area's sign-off, some for the office); the bases' Torch
 * statistics for 2023 (accepted) and 2024 (one waiting for its area).
 * Deterministic: the same database every time.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "reports.h"

static unsigned long long demo_rng = 20230105ULL;
static int rnd(int lo, int hi)
{
	unsigned long long z = (demo_rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return lo + (int)(z % (unsigned long long)(hi - lo + 1));
}

/* A UTC time `days` after a date at hh:00 Beijing time. */
static const char *at(Arena *a, const char *date, int days, int hh)
{
	char d[11];
	date_from_days(date_days(date) + days, d);
	time_t t = beijing_midnight(d) + hh * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char out[21];
	strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, out);
}

static int put_num(Store *s, long long id, const char *field, double v, const char *note)
{
	char t[32];
	snprintf(t, sizeof t, "%.0f", v);
	return store_report_value_put(s, id, field, t, 1, v, note);
}

static const char *const surnames[] = {"陈", "林", "黄", "周", "吴", "郑", "王", "李", "张", "潘"};
static const char *const given[] = {"思远", "晓航", "若琳", "志强", "一鸣", "欣怡", "浩然", "雨桐", "嘉豪", "梦洁"};
static const char *const fields[] = {"智能装备", "新能源", "生物医药", "新材料", "电子商务", "数字经济"};
static const char *const degrees[] = {"phd", "master", "master", "bachelor", "bachelor", "other"};

/* One area's monthly report. status: accepted, approved (by the area), submitted, returned, draft. */
static int monthly(Store *s, Arena *a, const Form *f, const Area *ar, const Period *p, int talents, const char *status,
                   int late, const char *note, const char *reason)
{
	ReportRec r = {0};
	r.form = f->code;
	r.period = p->key;
	r.period_end = p->end;
	r.org = ar->code;
	r.area = ar->code;
	r.status = status;
	r.created_by = "demo";
	int submitted = strcmp(status, "draft") != 0;
	if (submitted) {
		r.submitted_by = r.first_submitted_at = NULL;
		r.submitted_by = arena_printf(a, "%s_reporter", ar->code);
		r.submitted_at = r.first_submitted_at = at(a, p->end, late ? 7 + rnd(0, 3) : 2 + rnd(0, 2), 10);
	}
	if (f->napproval > 1 && (!strcmp(status, "approved") || !strcmp(status, "accepted"))) {
		/* the area's sign-off, by another account of the area than the reporter's */
		r.stage = 1;
		r.approved_by = arena_printf(a, "%s_leader", ar->code);
		r.approved_at = at(a, p->end, late ? 11 : 6, 11);
	}
	if (!strcmp(status, "accepted")) {
		r.stage = f->napproval;
		r.accepted_by = "admin";
		r.accepted_at = at(a, p->end, late ? 12 : 8, 15);
	}
	if (!strcmp(status, "returned")) {
		r.returned_by = "admin";
		r.returned_at = at(a, p->end, 6, 16);
		r.return_reason = reason;
	}
	long long id = store_report_insert(s, &r, r.accepted_at ? r.accepted_at : r.submitted_at ? r.submitted_at : at(a, p->end, 1, 9));
	if (id <= 0)
		return H_ERR;
	r.id = id;
	int phd = talents ? rnd(0, talents / 3) : 0;
	int teams = rnd(0, 2), projects = rnd(0, 3), events = rnd(1, 4);
	if (put_num(s, id, "talents_new", talents, note) != H_OK || put_num(s, id, "talents_master_phd", phd, NULL) != H_OK ||
	    put_num(s, id, "projects_new", projects, NULL) != H_OK || put_num(s, id, "teams_new", teams, NULL) != H_OK ||
	    put_num(s, id, "team_members_new", teams * rnd(3, 8), NULL) != H_OK ||
	    put_num(s, id, "events", events, NULL) != H_OK ||
	    put_num(s, id, "event_participants", events * rnd(20, 120), NULL) != H_OK ||
	    store_report_value_put(s, id, "narrative", arena_printf(a, "%s本月推进孵化载体建设，走访在孵企业 %d 家，组织路演与对接活动。",
	                                                          ar->name, rnd(3, 15)),
	                           0, 0, NULL) != H_OK)
		return H_ERR;
	/* the talent list, for some of the reports */
	for (int i = 0; i < talents && i < 3 && (strcmp(ar->code, "feiyun") == 0 || rnd(0, 3) == 0); i++) {
		char day[11];
		date_from_days(date_days(p->start) + rnd(0, 27), day);
		const char *degree = degrees[rnd(0, 5)], *field = fields[rnd(0, 5)];
		const char *name = arena_printf(a, "%s%s", surnames[rnd(0, 9)], given[rnd(0, 9)]);
		json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "arrived_on", day, "degree", degree, "field", field, "name", name);
		char *row = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		int rc = store_report_row_put(s, id, "talent_list", i + 1, row);
		free(row);
		json_decref(o);
		if (rc != H_OK)
			return H_ERR;
	}
	if (!strcmp(status, "accepted") &&
	    store_report_figure_add(s, id, ar->code, 0, p->key, p->end, "talents_new", talents, "admin") != H_OK)
		return H_ERR;
	const char *key = arena_printf(a, "%s/%s/%s", f->code, p->key, ar->code);
	if (store_audit_json_at(s, submitted ? r.submitted_at : NULL, "demo", NULL, submitted ? "submit" : "save", "reports", key,
	                        NULL, NULL) != H_OK)
		return H_ERR;
	/* the office's step after it, as the review would have written it */
	if (r.returned_by)
		return store_audit_json_at(s, r.returned_at, r.returned_by, NULL, "return", "reports", key, json_pack("{s:s}", "status", "submitted"),
		                        json_pack("{s:s,s:s?}", "status", "returned", "reason", r.return_reason));
	if (r.accepted_by)
		return store_audit_json_at(s, r.accepted_at, r.accepted_by, NULL, "accept", "reports", key, json_pack("{s:s}", "status", "approved"),
		                        json_pack("{s:s}", "status", "accepted"));
	return H_OK;
}

/* A base's Torch statistics for a year, consistent with the Torch checks. */
static int torch(Store *s, Arena *a, const Form *f, long long base_id, const char *area, const char *year,
                 const char *status, int stage)
{
	Period p;
	if (!period_parse(f, year, &p))
		return H_ERR;
	ReportRec r = {0};
	r.form = f->code;
	r.period = p.key;
	r.period_end = p.end;
	r.org = arena_printf(a, "base-%lld", base_id);
	r.area = area;
	r.base_id = base_id;
	r.status = status;
	r.stage = stage;
	r.created_by = "demo";
	r.submitted_by = arena_printf(a, "base%lld", base_id);
	r.submitted_at = r.first_submitted_at = at(a, p.end, 40 + rnd(0, 30), 10);
	if (stage >= 1) {
		r.approved_by = arena_printf(a, "%s_reporter", area);
		r.approved_at = at(a, p.end, 75, 11);
	}
	if (!strcmp(status, "accepted")) {
		r.accepted_by = "admin";
		r.accepted_at = at(a, p.end, 85, 15);
	}
	long long id = store_report_insert(s, &r, r.accepted_at ? r.accepted_at : r.submitted_at);
	if (id <= 0)
		return H_ERR;
	double service = rnd(800, 3000), property = rnd(1000, 6000), invest = rnd(0, 800), other = rnd(0, 300);
	int staff = rnd(8, 30), firms = rnd(20, 70);
	double area_total = rnd(8, 40) * 1000.0;
	const struct {
		const char *field;
		double v;
	} vals[] = {
		{"income_total_yuan", (service + property + invest + other) * 1000}, {"income_service_yuan", service * 1000},
		{"income_property_yuan", property * 1000}, {"income_investment_yuan", invest * 1000},
		{"income_other_yuan", other * 1000}, {"grants_yuan", rnd(100, 900) * 1000.0},
		{"incubation_fund_yuan", rnd(2000, 9000) * 1000.0}, {"staff_total", staff},
		{"staff_professional", staff - rnd(1, 4)}, {"mentors", rnd(3, 12)}, {"area_total_m2", area_total},
		{"area_firms_m2", area_total * 0.7}, {"area_public_m2", area_total * 0.1}, {"firms_incubated", firms},
		{"firms_employees", firms * rnd(6, 20)}, {"firms_new", rnd(3, firms / 3)}, {"firms_graduated", rnd(1, 4)},
		{"firms_graduated_total", rnd(5, 25)}, {"firms_income_yuan", rnd(20000, 90000) * 1000.0},
		{"firms_rd_yuan", rnd(2000, 9000) * 1000.0}, {"firms_financed", rnd(2, 8)},
		{"firms_financing_yuan", rnd(5000, 40000) * 1000.0}, {"ip_applied", rnd(20, 90)}, {"ip_granted", rnd(10, 40)},
		{"invention_patents", rnd(1, 9)},
	};
	for (size_t i = 0; i < ARRAY_LEN(vals); i++)
		if (put_num(s, id, vals[i].field, vals[i].v, NULL) != H_OK)
			return H_ERR;
	return store_audit(s, "demo", NULL, "submit", "reports", arena_printf(a, "%s/%s/%s", f->code, p.key, r.org), NULL,
	                   NULL);
}

int demo_reports_load(Store *s, const Plan *p, char *err, size_t errsz)
{
	demo_rng = 20230105ULL;
	if (store_version(s) < 4)
		return H_OK; /* a database from before reporting (schema step 4): the tests of its upgrade */
	const FormSet *fs = reports_forms(s, p);
	const Form *m = forms_find(fs, "area-monthly"), *t = forms_find(fs, "torch-incubator");
	if (!m || !t) {
		snprintf(err, errsz, "demo reports: the plan's forms lack area-monthly or torch-incubator");
		return H_ERR;
	}
	Arena a = {0};
	int rc = H_OK;
	Period per;
	period_parse(m, "2023-01", &per);
	for (int month = 0; month < 24 && rc == H_OK; month++) {
		int last = month == 23;
		for (int i = 0; i < p->nareas && rc == H_OK; i++) {
			const Area *ar = &p->areas[i];
			int zone = ar->group && !strcmp(ar->group, "zone");
			int talents = rnd(0, zone ? 16 : 4);
			const char *status = "accepted", *note = NULL, *reason = NULL;
			int late = rnd(0, 29) == 0;
			if (!strcmp(ar->code, "tangxia") && !strcmp(per.key, "2024-06")) {
				talents = 60; /* the soft warning, explained */
				note = "本月举办塘下新区人才招聘专场，集中引进 60 名技术人才，另附名单。";
			}
			if (last) {
				/* December 2024: being chased; one returned; some still waiting */
				int k = i % 6;
				if (!strcmp(ar->code, "feiyun")) {
					status = "returned";
					reason = "新增人才数与人才名单人数不一致，请核对后重新报送。";
				} else if (k == 1 || k == 4) {
					continue; /* not reported: on the 催报 list */
				} else if (k == 2) {
					status = i / 6 % 2 ? "approved" : "submitted"; /* waiting for the office, or for the area's sign-off */
				}
			}
			rc = monthly(s, &a, m, ar, &per, talents, status, late, note, reason);
		}
		Period next;
		period_step(m, &per, 1, &next);
		per = next;
	}
	/* Torch statistics of the first incubators and accelerators: 2023 accepted, 2024 one waiting for its area */
	ReportBase *b;
	int nb = rc == H_OK ? store_report_bases(s, &a, "2023-12-31", &b) : 0;
	int done = 0;
	for (int i = 0; i < nb && rc == H_OK && done < 6; i++) {
		int kind_ok = 0;
		for (int k = 0; k < t->nbase_kinds; k++)
			kind_ok |= !strcmp(t->base_kinds[k], b[i].kind);
		if (!kind_ok || b[i].id == 10)
			continue; /* base 10 fills its own in the journeys */
		rc = torch(s, &a, t, b[i].id, b[i].area, "2023", "accepted", 2);
		if (rc == H_OK && done == 0)
			rc = torch(s, &a, t, b[i].id, b[i].area, "2024", "submitted", 0);
		done++;
	}
	if (nb < 0)
		rc = H_ERR;
	if (rc != H_OK)
		snprintf(err, errsz, "demo reports: %s", store_errmsg(s));
	arena_free(&a);
	return rc;
}
