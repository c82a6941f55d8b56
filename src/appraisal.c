/*
 * appraisal.c — the yearly assessment (考核) of the areas (see appraisal.h):
 * points per indicator by the plan's scoring rules, deductions for late and
 * returned periodic reports, the score and its ranks, as JSON and as the
 * .xlsx the office hands to the city's assessment office (考绩办).
 */
#include "appraisal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "competition.h"
#include "fmt.h"
#include "reports.h"
#include "store_competition.h"
#include "xlsx_write.h"

const AssessRules *appraisal_rules(const Plan *p, Arena *a)
{
	if (p->assessment)
		return p->assessment;
	/* the default: the competition's indicators sharing 100 points */
	const CompMethod *cm = competition_method(p, a);
	AssessRules *r = arena_alloc(a, sizeof *r);
	r->m.name = "大孵化集群建设年度考核";
	r->m.prorate = 1;
	r->m.cap = 1.0;
	r->m.ties = "shared";
	r->m.missing_target = "skip";
	r->m.items = arena_alloc(a, sizeof *r->m.items * (size_t)(cm->nitems + 1));
	for (int k = 0; k < cm->nitems; k++) {
		r->m.items[k] = cm->items[k];
		r->m.items[k].points = 100.0 / cm->nitems;
	}
	r->m.nitems = cm->nitems;
	r->total = cm->nitems ? 100 : 0;
	return r;
}

static int group_of(const CompMethod *m, const Area *ar)
{
	if (!ar->group)
		return -1;
	for (int g = 0; g < m->ngroups; g++)
		for (int k = 0; k < m->groups[g].narea_groups; k++)
			if (strcmp(m->groups[g].area_groups[k], ar->group) == 0)
				return g;
	return -1;
}

static void push_period(Arena *a, const char ***v, int *n, int *cap, const char *key)
{
	const char **slot = arena_push(a, v, n, cap, sizeof *slot);
	*slot = arena_strdup(a, key);
}

/* Late and returned reports of deduction d's form in the year, per area:
 * a period's report is late when first submitted at or after its due time,
 * or not reported once the due time passed, by the end of as_of (Beijing
 * time, which may be after the year: its last reports fall due in the
 * next); each return up to then counts. Base reporters count for their
 * area. */
static DomResult count_reports(Store *s, Appraisal *x, const CompDeduction *d, int *late_cap, int *ret_cap)
{
	Arena *a = &x->arena;
	const FormSet *fs = reports_forms(s, x->plan);
	const Form *f = fs ? forms_find(fs, d->form) : NULL;
	if (!f) {
		x->warning = arena_printf(a, "扣分项所指的报表“%s”不在本规划的报表中，未计扣分。", d->form);
		return dom_result(DOM_OK, NULL, NULL);
	}
	char next[11];
	date_from_days(date_days(x->as_of) + 1, next);
	time_t now = beijing_midnight(next); /* the end of as_of: a year's last reports fall due in the next */
	char jan1[32];
	snprintf(jan1, sizeof jan1, "%04d-01-01", x->year);
	/* org → area of every reporter seen, for the returns */
	const char **orgs = NULL, **org_area = NULL;
	int norgs = 0, ocap = 0, acap = 0, nareas_dummy = 0;
	Period per;
	period_containing(f, jan1, &per);
	while (digits_value(per.start, 4) == x->year && strcmp(per.start, x->to) <= 0) {
		Completeness c;
		ReportOutcome o = {0};
		if (report_completeness(s, a, x->plan, f->code, per.key, NULL, now, &c, &o) != 200)
			return o.status == 500 ? dom_store_failed() : dom_result(DOM_OK, NULL, NULL);
		for (int i = 0; i < c.nrows; i++) {
			const CompletenessRow *w = &c.rows[i];
			int found = 0;
			for (int k = 0; k < norgs && !found; k++)
				found = strcmp(orgs[k], w->org.org) == 0;
			if (!found) {
				push_period(a, &orgs, &norgs, &ocap, w->org.org);
				push_period(a, &org_area, &nareas_dummy, &acap, w->org.area);
			}
			if (strcmp(d->kind, "late") != 0 || !(w->late || (w->reported && !w->on_time)))
				continue;
			for (int r = 0; r < x->nrows; r++)
				if (strcmp(x->rows[r].area->code, w->org.area) == 0) {
					AppraisalRow *row = &x->rows[r];
					row->late++;
					push_period(a, &row->late_periods, &(int){row->late - 1}, &late_cap[r], per.key);
				}
		}
		Period nx;
		period_step(f, &per, 1, &nx);
		per = nx;
	}
	if (strcmp(d->kind, "returned") != 0)
		return dom_result(DOM_OK, NULL, NULL);
	char before[32];
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
	ReportReturn *rr;
	int nr = store_report_returns(s, a, f->code, arena_printf(a, "%04d", x->year % 10000), before, &rr);
	if (nr < 0)
		return dom_store_failed();
	for (int i = 0; i < nr; i++) {
		const char *area = NULL;
		for (int k = 0; k < norgs && !area; k++)
			if (strcmp(orgs[k], rr[i].org) == 0)
				area = org_area[k];
		if (!area && plan_area(x->plan, rr[i].org))
			area = rr[i].org;
		for (int r = 0; area && r < x->nrows; r++)
			if (strcmp(x->rows[r].area->code, area) == 0) {
				AppraisalRow *row = &x->rows[r];
				row->returned++;
				push_period(a, &row->returned_periods, &(int){row->returned - 1}, &ret_cap[r], rr[i].period);
			}
	}
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult appraisal_compute(Store *s, const Plan *p, int year, const char *as_of, Appraisal *out)
{
	memset(out, 0, sizeof *out);
	char today[11];
	if (!as_of) {
		date_today(today);
		as_of = today;
	}
	out->plan = p;
	if (!date_valid(as_of))
		return dom_result(DOM_INVALID, "bad_as_of", "数据截至日期应为 YYYY-MM-DD 格式的日期。");
	int known = 0;
	for (int i = 0; i < p->nyears; i++)
		known |= p->years[i] == year;
	if (!known)
		return dom_result(DOM_INVALID, "bad_year", "考核年度应为规划年度之一。");
	out->year = year;
	memcpy(out->as_of, as_of, 11);
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04d-01-01", year);
	memcpy(out->from, tmp, 11);
	snprintf(tmp, sizeof tmp, "%04d-12-31", year);
	memcpy(out->to, tmp, 11);
	if (strcmp(out->from, p->start) < 0)
		memcpy(out->from, p->start, 10);
	if (strcmp(as_of, out->to) < 0)
		memcpy(out->to, as_of, 11);
	if (strcmp(out->to, out->from) < 0)
		return dom_result(DOM_INVALID, "not_begun", "该考核年度在数据截至日期时尚未开始。");
	Arena *a = &out->arena;
	const AssessRules *ru = out->rules = appraisal_rules(p, a);
	const CompMethod *gm = out->groups = competition_method(p, a);
	const CompMethod *m = &ru->m;
	out->nitems = m->nitems;
	out->ind = arena_alloc(a, sizeof *out->ind * (size_t)(m->nitems + 1));
	for (int k = 0; k < m->nitems; k++)
		if (!(out->ind[k] = plan_indicator(p, m->items[k].indicator)))
			return dom_result(DOM_FAILED, "bad_rules", "考核细则中的指标不在规划中，请联系管理员。");
	int n = out->nrows = p->nareas;
	out->rows = arena_alloc(a, sizeof *out->rows * (size_t)(n + 1));
	Target *t;
	int nt = store_targets(s, a, NULL, &t);
	if (nt < 0)
		return dom_store_failed();
	for (int i = 0; i < n; i++) {
		AppraisalRow *w = &out->rows[i];
		w->area = &p->areas[i];
		w->group = group_of(gm, w->area);
		w->items = arena_alloc(a, sizeof *w->items * (size_t)(m->nitems + 1));
		for (int k = 0; k < m->nitems; k++) {
			AppraisalItem *it = &w->items[k];
			int ok = 1;
			it->value = store_measure(s, out->ind[k]->measure, out->ind[k]->level, w->area->code, out->from, out->to, &ok);
			if (!ok)
				return dom_store_failed();
			it->has_target = competition_target(p, t, nt, m->items[k].target, w->area->code, out->from, out->to,
			                                    m->prorate, &it->target);
			if (it->has_target)
				it->rate = it->target > 0 ? it->value / it->target : it->value > 0 ? m->cap : 1;
		}
	}
	/* points */
	for (int k = 0; k < m->nitems; k++) {
		const CompItem *ci = &m->items[k];
		int completion = strcmp(ci->by, "completion") == 0;
		for (int i = 0; i < n; i++) {
			AppraisalItem *it = &out->rows[i].items[k];
			if (completion) {
				if (it->has_target) {
					double r = it->rate < 0 ? 0 : it->rate > m->cap ? m->cap : it->rate;
					it->counted = 1;
					it->earned = ci->points * r;
				} else if (strcmp(m->missing_target, "skip") != 0) {
					it->counted = 1;
					it->earned = strcmp(m->missing_target, "full") == 0 ? ci->points : 0;
				}
			} else {
				double best = 0;
				for (int j = 0; j < n; j++)
					if (out->rows[j].group == out->rows[i].group && out->rows[j].items[k].value > best)
						best = out->rows[j].items[k].value;
				it->counted = 1;
				it->earned = best > 0 && it->value > 0 ? ci->points * it->value / best : 0;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		AppraisalRow *w = &out->rows[i];
		for (int k = 0; k < m->nitems; k++)
			if (w->items[k].counted) {
				w->earned += w->items[k].earned;
				w->possible += m->items[k].points;
			}
		w->base = w->possible > 0 ? w->earned / w->possible * ru->total : 0;
	}
	/* deductions */
	int *late_cap = arena_alloc(a, sizeof *late_cap * (size_t)(n + 1));
	int *ret_cap = arena_alloc(a, sizeof *ret_cap * (size_t)(n + 1));
	for (int d = 0; d < ru->ndeductions; d++) {
		const CompDeduction *cd = &ru->deductions[d];
		int *before = arena_alloc(a, sizeof *before * (size_t)(n + 1));
		for (int i = 0; i < n; i++)
			before[i] = strcmp(cd->kind, "late") == 0 ? out->rows[i].late : out->rows[i].returned;
		DomResult r = count_reports(s, out, cd, late_cap, ret_cap);
		if (!dom_done(r))
			return r;
		for (int i = 0; i < n; i++) {
			AppraisalRow *w = &out->rows[i];
			int cases = (strcmp(cd->kind, "late") == 0 ? w->late : w->returned) - before[i];
			double pts = cases * cd->points;
			if (cd->max > 0 && pts > cd->max)
				pts = cd->max;
			if (strcmp(cd->kind, "late") == 0)
				w->deduct_late += pts;
			else
				w->deduct_returned += pts;
		}
	}
	double *key = arena_alloc(a, sizeof *key * (size_t)(n + 1));
	int *valid = arena_alloc(a, sizeof *valid * (size_t)(n + 1));
	int *rank = arena_alloc(a, sizeof *rank * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		AppraisalRow *w = &out->rows[i];
		w->deducted = w->deduct_late + w->deduct_returned;
		w->score = w->base - w->deducted < 0 ? 0 : w->base - w->deducted;
		key[i] = w->score;
		valid[i] = 1;
	}
	int dense = strcmp(m->ties, "dense") == 0;
	competition_rank(key, valid, n, dense, rank);
	for (int i = 0; i < n; i++)
		out->rows[i].rank_all = rank[i];
	double *k2 = arena_alloc(a, sizeof *k2 * (size_t)(n + 1));
	int *at = arena_alloc(a, sizeof *at * (size_t)(n + 1));
	for (int g = 0; g < gm->ngroups; g++) {
		int c = 0;
		for (int i = 0; i < n; i++)
			if (out->rows[i].group == g) {
				k2[c] = key[i];
				at[c++] = i;
			}
		competition_rank(k2, valid, c, dense, rank);
		for (int i = 0; i < c; i++)
			out->rows[at[i]].rank_group = rank[i];
	}
	return dom_result(DOM_OK, NULL, NULL);
}

void appraisal_free(Appraisal *x)
{
	arena_free(&x->arena);
	memset(x, 0, sizeof *x);
}

const char *appraisal_rules_zh(const AssessRules *r, const Plan *p, Arena *a)
{
	Buf b = {0};
	const CompMethod *m = &r->m;
	buf_printf(&b, "满分 %g 分。", r->total);
	for (int k = 0; k < m->nitems; k++) {
		const Indicator *in = plan_indicator(p, m->items[k].indicator);
		buf_printf(&b, "%s%s %g 分", k ? "；" : "", in ? in->name : m->items[k].indicator, m->items[k].points);
	}
	buf_printf(&b, "。\n");
	buf_printf(&b, "按完成率计分的指标：得分 = 分值 × 完成率（最高按 %g%% 计）；目标为年度新增目标%s。\n", m->cap * 100,
	           m->prorate ? "按截至日期的天数折算（序时进度）" : "（全年）");
	buf_printf(&b, "按数量计分的指标：得分 = 分值 × 本区域数值 ÷ 同组最高值。\n");
	buf_printf(&b, "未设目标：%s\n", strcmp(m->missing_target, "full") == 0 ? "该项得满分。"
	                                 : strcmp(m->missing_target, "zero") == 0 ? "该项不得分。"
	                                                                           : "该项不计分，其余各项得分按满分折算。");
	for (int d = 0; d < r->ndeductions; d++) {
		const CompDeduction *cd = &r->deductions[d];
		if (strcmp(cd->kind, "late") == 0)
			buf_printf(&b, "迟报、漏报：每期扣 %g 分", cd->points);
		else
			buf_printf(&b, "报表被退回：每次扣 %g 分", cd->points);
		if (cd->max > 0)
			buf_printf(&b, "，最多扣 %g 分", cd->max);
		buf_printf(&b, "。\n");
	}
	buf_printf(&b, "总分 = 指标得分 − 扣分，最低 0 分；分数相同者名次相同。");
	const char *res = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return res;
}

static json_t *periods_json(const char **v, int n)
{
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_string(v[i]));
	return arr;
}

json_t *appraisal_json(const Appraisal *x)
{
	const CompMethod *m = &x->rules->m;
	Arena tmp = {0};
	json_t *items = json_array();
	for (int k = 0; k < x->nitems; k++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:f}", "indicator", m->items[k].indicator, "name",
		                                       x->ind[k]->name, "unit", x->ind[k]->unit, "by", m->items[k].by, "target",
		                                       m->items[k].target, "points", m->items[k].points));
	json_t *areas = json_array();
	for (int i = 0; i < x->nrows; i++) {
		const AppraisalRow *w = &x->rows[i];
		json_t *cells = json_array();
		for (int k = 0; k < x->nitems; k++) {
			const AppraisalItem *it = &w->items[k];
			json_t *o = json_pack("{s:s,s:f,s:b,s:f}", "indicator", m->items[k].indicator, "value", it->value, "counted",
			                      it->counted, "points", it->earned);
			json_object_set_new(o, "target", it->has_target ? json_real(it->target) : json_null());
			json_object_set_new(o, "rate", it->has_target ? json_real(it->rate) : json_null());
			json_array_append_new(cells, o);
		}
		json_t *o = json_pack("{s:s,s:s,s:o,s:f,s:f,s:f,s:i,s:o,s:i,s:o,s:f,s:f,s:f,s:i,s:i}", "code", w->area->code,
		                      "name", w->area->name, "indicators", cells, "earned", w->earned, "possible", w->possible,
		                      "base", w->base, "late", w->late, "late_periods", periods_json(w->late_periods, w->late),
		                      "returned", w->returned, "returned_periods",
		                      periods_json(w->returned_periods, w->returned), "deduct_late", w->deduct_late,
		                      "deduct_returned", w->deduct_returned, "score", w->score, "rank_all", w->rank_all,
		                      "rank_group", w->rank_group);
		json_object_set_new(o, "group", w->group >= 0 ? json_string(x->groups->groups[w->group].code) : json_null());
		json_array_append_new(areas, o);
	}
	json_t *res = json_pack("{s:i,s:s,s:s,s:s,s:{s:s,s:f,s:f,s:b,s:s,s:o,s:s},s:o}", "year", x->year, "as_of", x->as_of,
	                        "from", x->from, "to", x->to, "rules", "name", m->name, "total", x->rules->total, "cap", m->cap,
	                        "prorate", m->prorate, "missing_target", m->missing_target, "indicators", items, "text_zh",
	                        appraisal_rules_zh(x->rules, x->plan, &tmp), "areas", areas);
	json_object_set_new(res, "warning", x->warning ? json_string(x->warning) : json_null());
	arena_free(&tmp);
	return res;
}

int appraisal_xlsx(const Appraisal *x, const char *path, Buf *out, char *err, size_t errsz)
{
	Arena a = {0};
	const CompMethod *m = &x->rules->m;
	int ncols = 3 + 4 * x->nitems + 8;
	XlsxColumn *cols = arena_alloc(&a, sizeof *cols * (size_t)ncols);
	int c = 0;
	cols[c++] = (XlsxColumn){.header = "序号", .type = XLSX_NUMBER, .width = 6};
	cols[c++] = (XlsxColumn){.header = "区域", .width = 14};
	cols[c++] = (XlsxColumn){.header = "分组", .width = 8};
	for (int k = 0; k < x->nitems; k++) {
		const Indicator *in = x->ind[k];
		cols[c++] = (XlsxColumn){.header = arena_printf(&a, "%s（%s）", in->name, in->unit), .type = XLSX_NUMBER};
		cols[c++] = (XlsxColumn){.header = arena_printf(&a, "%s目标（%s）", in->name, in->unit), .type = XLSX_NUMBER};
		cols[c++] = (XlsxColumn){.header = arena_printf(&a, "%s完成率", in->name), .type = XLSX_STRING};
		cols[c++] = (XlsxColumn){.header = arena_printf(&a, "%s得分（满分 %g）", in->name, m->items[k].points),
		                         .type = XLSX_NUMBER};
	}
	cols[c++] = (XlsxColumn){.header = "指标得分（折算）", .type = XLSX_NUMBER};
	cols[c++] = (XlsxColumn){.header = "迟报漏报（期）", .type = XLSX_NUMBER};
	cols[c++] = (XlsxColumn){.header = "被退回（次）", .type = XLSX_NUMBER};
	cols[c++] = (XlsxColumn){.header = "扣分", .type = XLSX_NUMBER};
	cols[c++] = (XlsxColumn){.header = "总分", .type = XLSX_NUMBER};
	cols[c++] = (XlsxColumn){.header = "组内名次", .type = XLSX_NUMBER};
	cols[c++] = (XlsxColumn){.header = "全市名次", .type = XLSX_NUMBER};
	cols[c++] = (XlsxColumn){.header = "说明", .width = 30};
	/* rows by group, then by score */
	int n = x->nrows;
	XlsxCell *cells = arena_alloc(&a, sizeof *cells * (size_t)(n * ncols + 1));
	int row = 0;
	for (int g = -1; g < x->groups->ngroups; g++)
		for (int rank = 1; rank <= n; rank++)
			for (int i = 0; i < n; i++) {
				const AppraisalRow *w = &x->rows[i];
				if (w->group != g || (g >= 0 ? w->rank_group : w->rank_all) != rank)
					continue;
				XlsxCell *v = &cells[row * ncols];
				int k = 0;
				v[k++] = xlsx_num(row + 1);
				v[k++] = xlsx_str(w->area->name);
				v[k++] = xlsx_str(g >= 0 ? x->groups->groups[g].name : "");
				for (int j = 0; j < x->nitems; j++) {
					const AppraisalItem *it = &w->items[j];
					v[k++] = xlsx_num(it->value);
					v[k++] = it->has_target ? xlsx_num(it->target) : xlsx_str("未设");
					v[k++] = xlsx_str(it->has_target ? fmt_percent(&a, it->rate) : "—");
					v[k++] = it->counted ? xlsx_num(it->earned) : xlsx_str("不计");
				}
				v[k++] = xlsx_num(w->base);
				v[k++] = xlsx_num(w->late);
				v[k++] = xlsx_num(w->returned);
				v[k++] = xlsx_num(w->deducted);
				v[k++] = xlsx_num(w->score);
				v[k++] = w->rank_group ? xlsx_num(w->rank_group) : xlsx_empty();
				v[k++] = xlsx_num(w->rank_all);
				Buf note = {0};
				if (w->late) {
					buf_printf(&note, "迟报漏报：");
					for (int q = 0; q < w->late; q++)
						buf_printf(&note, "%s%s", q ? "、" : "", w->late_periods[q]);
					buf_printf(&note, "。");
				}
				if (w->returned) {
					buf_printf(&note, "被退回：");
					for (int q = 0; q < w->returned; q++)
						buf_printf(&note, "%s%s", q ? "、" : "", w->returned_periods[q]);
					buf_printf(&note, "。");
				}
				v[k++] = xlsx_str(note.len ? arena_strdup(&a, buf_str(&note)) : NULL);
				buf_free(&note);
				row++;
			}
	XlsxTable t = {.name = "考核得分", .cols = cols, .ncols = ncols, .cells = cells, .nrows = row};
	/* 说明: what the table is and the rules, line by line */
	const char *words = appraisal_rules_zh(x->rules, x->plan, &a);
	const char **lines = arena_alloc(&a, sizeof *lines * 64);
	int nl = 0;
	lines[nl++] = arena_printf(&a, "%s（%d年度），统计期 %s 至 %s，数据截至 %s。", m->name, x->year, x->from, x->to, x->as_of);
	lines[nl++] = x->plan->office ? arena_printf(&a, "制表单位：%s。", x->plan->office) : "制表单位：市大孵化集群工作专班办公室。";
	while (*words && nl < 60) {
		const char *e = strchr(words, '\n');
		size_t len = e ? (size_t)(e - words) : strlen(words);
		lines[nl++] = arena_printf(&a, "%.*s", (int)len, words);
		words += len + (e ? 1 : 0);
	}
	if (x->warning)
		lines[nl++] = x->warning;
	lines[nl] = NULL;
	XlsxBook book = {.tables = &t, .ntables = 1, .instructions = lines};
	int rc = xlsx_write_table(path, out, &book, err, errsz);
	arena_free(&a);
	return rc;
}
