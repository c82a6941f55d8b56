/*
 * eval.c — the measures rules read from a base, and rule evaluation with
 * gaps. See eval.h. The SQL that gathers a base's facts is in store_eval.c.
 */
#include "eval.h"
#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

const FigureField figure_fields[] = {
	{"statistics_years", "连续报送火炬统计年数", "年"},
	{"staff_total", "机构总人数", "人"},
	{"staff_professional", "专业孵化服务人员", "人"},
	{"fulltime_staff", "全职服务人员", "人"},
	{"mentors", "创业导师", "人"},
	{"firms_financed", "获得投融资的在孵企业", "家"},
	{"firms_patent_applied", "申请专利的在孵企业", "家"},
	{"firms_with_ip", "拥有有效知识产权的在孵企业", "家"},
	{"graduated_firms", "累计毕业企业", "家"},
	{"seed_fund_yuan", "自有种子资金或合作孵化资金", "元"},
	{"workstations", "工位数", "个"},
	{"resident_teams_year", "年度入驻团队和企业", "家"},
	{"new_companies_year", "年度新注册企业", "家"},
	{"financed_teams_year", "年度获投融资的团队和企业", "家"},
	{"typical_cases_year", "年度典型案例", "个"},
	{"events_year", "年度创新创业活动", "场"},
	{"lease_years", "场地租期", "年"},
	{"premises_owned", "场地自有产权（是填 1）", "是/否"},
	{"evaluation_grade", "年度考核评价等级（优秀 4、良好 3、合格 2、不合格 1）", "级"},
};
const int figure_field_count = (int)(sizeof figure_fields / sizeof figure_fields[0]);

/* The measures rules may name (docs/RULES-FORMAT.md), and "judged". */
static const char *const measures[] = {
	"judged", "base.total_area_m2", "base.incubation_area_m2", "base.operator_count", "base.leading_industry_share",
	"base.has_public_platform", "base.funds_inside_yuan", "base.seed_angel_leading_yuan", "base.facilities_count",
	"base.years_operating", "base.months_operating", "base.statistics_years", "base.incubation_share",
	"base.seed_fund_yuan", "base.financed_share", "base.financed_firms", "base.professional_staff_share",
	"base.professionals_per_10_firms", "base.mentors_per_10_firms", "base.patent_applied_share", "base.ip_firms_share",
	"base.firms_count", "base.firms_per_1000m2", "base.graduated_firms", "base.workstations",
	"base.resident_teams_year", "base.new_companies_year", "base.financed_teams_year", "base.typical_cases_year",
	"base.fulltime_staff", "base.mentors", "base.events_year", "base.lease_years",
	"base.incubation_only_share", "base.own_fund_cases", "base.premises_owned",
	/* read by the support measures' conditions (policies/, docs/POLICY-FORMAT.md) */
	"base.level_rank", "base.demonstration", "base.area_added_year_m2", "base.evaluation_grade",
};

int eval_measure_known(const char *m)
{
	for (size_t i = 0; m && i < ARRAY_LEN(measures); i++)
		if (strcmp(measures[i], m) == 0)
			return 1;
	return 0;
}

const FigureField *figure_field(const char *code)
{
	for (int i = 0; code && i < figure_field_count; i++)
		if (strcmp(figure_fields[i].code, code) == 0)
			return &figure_fields[i];
	return NULL;
}

/* The newest reported value of a figure field (figures come newest first). */
static Measured figure(Arena *a, const BaseFacts *f, const char *field)
{
	Measured m = {0};
	for (int i = 0; i < f->nfigures; i++)
		if (strcmp(f->figures[i].field, field) == 0) {
			m.known = 1;
			m.value = f->figures[i].value;
			m.source = arena_printf(a, "%d 年度数据", f->figures[i].year);
			return m;
		}
	return m;
}

/* Where the base's stated counts and its firm records disagree. The
 * records are the truth (each firm named, with its USCC and dates, so that
 * a past date can be judged); the stated counts are what the base declares
 * today. When the base says it has more firms than it has registered, the
 * registry is incomplete and the value cannot decide a rule (doubt). */
static void firm_conflict(Arena *a, const BaseFacts *f, Measured *m)
{
	/* the stated counts are today's: held against the records of today */
	if (f->firm_ever == 0 || f->reported_firms < 0)
		return;
	int lead_differs = f->reported_leading >= 0 && f->reported_leading != f->firm_leading_now;
	if (f->reported_firms == f->firm_now && !lead_differs)
		return;
	m->conflict = arena_printf(a, "两个来源不一致：基地当前填报在孵企业 %d 家（主导产业 %d 家），当前在孵企业登记 %d 家（主导产业 %d 家）",
	                           f->reported_firms, f->reported_leading < 0 ? 0 : f->reported_leading, f->firm_now,
	                           f->firm_leading_now);
	if (f->reported_firms > f->firm_now) {
		m->doubt = 1;
		m->conflict = arena_printf(a, "%s。登记少于填报，企业登记不全：补全登记或更正填报后再判定", m->conflict);
	} else {
		m->conflict = arena_printf(a, "%s。以企业登记为准，请更正基地填报数", m->conflict);
	}
}

/* The number of firms in incubation as of the date: firm records when the
 * base has any, else the count it stated. */
static Measured firms(Arena *a, const BaseFacts *f)
{
	Measured m = {0};
	if (f->firm_ever > 0) {
		m.known = 1;
		m.value = f->firm_records;
		m.source = arena_printf(a, "在孵企业登记：评价日在孵 %d 家（不含已毕业 %d 家）", f->firm_records, f->firm_graduated);
		firm_conflict(a, f, &m);
	} else if (f->reported_firms >= 0) {
		m.known = 1;
		m.value = f->reported_firms;
		m.source = "基地填报的在孵企业数（无企业登记）";
	}
	return m;
}

static Measured known(double v, const char *source)
{
	Measured m = {1, v, source, NULL, 0};
	return m;
}

static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

void eval_add_months(const char *from, int n, char out[11])
{
	int y = digits_value(from, 4), m = digits_value(from + 5, 2), d = digits_value(from + 8, 2);
	int k = y * 12 + (m - 1) + n;
	y = k / 12;
	m = k % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m); /* 没有对应日的,月末日为期间的最后一日 */
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	memcpy(out, tmp, 10);
	out[10] = 0;
}

int eval_months_between(const char *from, const char *to)
{
	int n = (digits_value(to, 4) - digits_value(from, 4)) * 12 + (digits_value(to + 5, 2) - digits_value(from + 5, 2));
	char end[11];
	if (n < 0)
		return 0;
	eval_add_months(from, n, end);
	if (strcmp(end, to) > 0)
		n--;
	return n < 0 ? 0 : n;
}

double eval_years_between(const char *from, const char *to)
{
	int full = eval_months_between(from, to) / 12;
	char anniv[11], next[11];
	eval_add_months(from, full * 12, anniv);
	eval_add_months(from, (full + 1) * 12, next);
	double span = (double)(date_days(next) - date_days(anniv));
	double frac = (double)(date_days(to) - date_days(anniv)) / span;
	return full + (frac < 0 ? 0 : frac);
}

/* A ratio of two measured values; unknown when either is, or b is 0. */
static Measured ratio(Arena *a, Measured x, Measured y, double scale, const char *what)
{
	Measured m = {0};
	if (x.known && y.known && y.value > 0) {
		m.known = 1;
		m.value = x.value / y.value * scale;
		m.source = arena_printf(a, "%s:%g / %g%s%s%s", what, x.value, y.value, x.source ? "(" : "", x.source ? x.source : "",
		                        x.source ? ")" : "");
		m.conflict = x.conflict ? x.conflict : y.conflict;
		m.doubt = x.doubt || y.doubt;
	}
	return m;
}

Measured eval_measure(Arena *a, const BaseFacts *f, const char *m)
{
	Measured none = {0};
	if (!strcmp(m, "base.total_area_m2"))
		return known(f->total_area_m2, "基地登记的总面积");
	if (!strcmp(m, "base.incubation_area_m2"))
		return known(f->incubation_area_m2, "基地登记的孵化面积");
	if (!strcmp(m, "base.operator_count"))
		return known(f->operator_count, f->operator_count ? "已关联运营机构" : "未关联运营机构");
	if (!strcmp(m, "base.has_public_platform"))
		return known(f->has_public_platform, "基地登记");
	if (!strcmp(m, "base.facilities_count"))
		return known(f->facilities_count, "功能配套清单");
	if (!strcmp(m, "base.funds_inside_yuan"))
		return known(f->funds_inside_yuan, "登记的设在孵化器内部的基金规模合计");
	if (!strcmp(m, "base.seed_angel_leading_yuan"))
		return known(f->seed_angel_leading_yuan, "登记的针对主导产业的种子、天使基金规模合计");
	if (!strcmp(m, "base.leading_industry_share")) {
		/* 占在孵企业总数: firms in incubation only, graduates left out */
		if (f->firm_ever > 0) {
			if (f->firm_records == 0)
				return none;
			Measured v = known((double)f->firm_leading / f->firm_records,
			                   arena_printf(a, "在孵企业登记：主导产业 %d / 在孵 %d 家（不含已毕业）", f->firm_leading,
			                                f->firm_records));
			firm_conflict(a, f, &v);
			return v;
		}
		if (f->reported_firms > 0 && f->reported_leading >= 0)
			return known((double)f->reported_leading / f->reported_firms,
			             arena_printf(a, "基地填报的企业数：%d / %d 家（无企业登记）", f->reported_leading, f->reported_firms));
		return none;
	}
	if (!strcmp(m, "base.years_operating") || !strcmp(m, "base.months_operating")) {
		if (!f->opened_on || !date_valid(f->opened_on) || strcmp(f->opened_on, f->as_of) > 0)
			return none;
		const char *src = arena_printf(a, "开业日期 %s 至 %s（按民法典第二百零一、二百零二条计算期间）", f->opened_on, f->as_of);
		return known(m[5] == 'y' ? eval_years_between(f->opened_on, f->as_of)
		                         : eval_months_between(f->opened_on, f->as_of), src);
	}
	if (!strcmp(m, "base.incubation_share")) {
		/* national: 在孵企业使用面积(含公共服务面积) */
		if (f->total_area_m2 <= 0)
			return none;
		return known((f->incubation_area_m2 + f->public_service_area_m2) / f->total_area_m2,
		             arena_printf(a, "（孵化面积 %g + 公共服务面积 %g） / 总面积 %g", f->incubation_area_m2,
		                          f->public_service_area_m2, f->total_area_m2));
	}
	if (!strcmp(m, "base.incubation_only_share")) {
		/* Wenzhou: 直接用于在孵企业的场地面积, public service not counted */
		if (f->total_area_m2 <= 0)
			return none;
		return known(f->incubation_area_m2 / f->total_area_m2,
		             arena_printf(a, "孵化面积 %g / 总面积 %g（不含公共服务面积）", f->incubation_area_m2, f->total_area_m2));
	}
	if (!strcmp(m, "base.own_fund_cases"))
		return known(f->own_fund_cases, "本基地基金对本基地在孵企业的投资（按被投企业计）");
	if (!strcmp(m, "base.firms_count"))
		return firms(a, f);
	if (!strcmp(m, "base.firms_per_1000m2")) {
		Measured n = firms(a, f);
		return ratio(a, n, known(f->total_area_m2, NULL), 1000.0, "在孵企业数 / 总面积 × 1000");
	}
	if (!strcmp(m, "base.graduated_firms")) {
		if (f->firm_graduated > 0)
			return known(f->firm_graduated, "在孵企业登记中有毕业日期的企业");
		return figure(a, f, "graduated_firms");
	}
	if (!strcmp(m, "base.seed_fund_yuan")) {
		Measured rep = figure(a, f, "seed_fund_yuan");
		if (f->seed_angel_yuan > 0 && (!rep.known || f->seed_angel_yuan >= rep.value))
			return known(f->seed_angel_yuan, "登记的本基地种子、天使基金规模合计");
		return rep;
	}
	if (!strcmp(m, "base.financed_firms"))
		return figure(a, f, "firms_financed");
	if (!strcmp(m, "base.premises_owned"))
		return figure(a, f, "premises_owned");
	if (!strcmp(m, "base.evaluation_grade"))
		return figure(a, f, "evaluation_grade");
	if (!strcmp(m, "base.level_rank"))
		return known(f->level_rank, f->level_rank == 3 ? "已认定国家级" : f->level_rank == 2 ? "已认定省级"
		                          : f->level_rank == 1 ? "已认定市级" : "评价日尚无国家、省、市级认定");
	if (!strcmp(m, "base.demonstration"))
		return known(f->demonstration, f->demonstration ? "已备案为示范大孵化器" : "评价日尚未备案为示范大孵化器");
	if (!strcmp(m, "base.area_added_year_m2"))
		return known(f->area_added_year_m2, arena_printf(a, "%.4s 年 1 月 1 日至 %s 的面积变化（含开业）", f->as_of, f->as_of));
	if (!strcmp(m, "base.financed_share"))
		return ratio(a, figure(a, f, "firms_financed"), firms(a, f), 1, "获投融资企业 / 在孵企业");
	if (!strcmp(m, "base.professional_staff_share"))
		return ratio(a, figure(a, f, "staff_professional"), figure(a, f, "staff_total"), 1, "专业人员 / 总人数");
	if (!strcmp(m, "base.professionals_per_10_firms"))
		return ratio(a, figure(a, f, "staff_professional"), firms(a, f), 10, "专业人员 / 在孵企业 × 10");
	if (!strcmp(m, "base.mentors_per_10_firms"))
		return ratio(a, figure(a, f, "mentors"), firms(a, f), 10, "创业导师 / 在孵企业 × 10");
	if (!strcmp(m, "base.patent_applied_share"))
		return ratio(a, figure(a, f, "firms_patent_applied"), firms(a, f), 1, "申请专利企业 / 在孵企业");
	if (!strcmp(m, "base.ip_firms_share"))
		return ratio(a, figure(a, f, "firms_with_ip"), firms(a, f), 1, "拥有知识产权企业 / 在孵企业");
	/* the remaining measures are annual figures of the same name */
	static const char *const direct[] = {"statistics_years", "workstations", "resident_teams_year", "new_companies_year",
	                                     "financed_teams_year", "typical_cases_year", "fulltime_staff", "mentors",
	                                     "events_year", "lease_years"};
	for (size_t i = 0; i < ARRAY_LEN(direct); i++)
		if (!strncmp(m, "base.", 5) && !strcmp(m + 5, direct[i]))
			return figure(a, f, direct[i]);
	return none;
}

int eval_set_applies(const RuleSet *rs, const char *kind, int specialised, const char **why)
{
	if (rs->kinds && kind) {
		size_t kl = strlen(kind);
		const char *p = rs->kinds;
		int found = 0;
		while (*p && !found) {
			const char *c = strchr(p, ',');
			size_t l = c ? (size_t)(c - p) : strlen(p);
			found = l == kl && !strncmp(p, kind, l);
			p = c ? c + 1 : p + l;
		}
		if (!found) {
			*why = "基地类型不适用";
			return 0;
		}
	}
	if (rs->specialised == 1 && !specialised) {
		*why = "仅适用于专业孵化器";
		return 0;
	}
	if (rs->specialised == 0 && specialised) {
		*why = "专业孵化器适用专业孵化器条件";
		return 0;
	}
	*why = NULL;
	return 1;
}

int eval_set_in_force(const RuleSet *rs, const char *as_of, const char **why)
{
	if (rs->valid_from && strcmp(as_of, rs->valid_from) < 0) {
		*why = "评价日尚未施行";
		return 0;
	}
	if (rs->valid_to && strcmp(as_of, rs->valid_to) > 0) {
		*why = "评价日已失效（已被新办法替代）";
		return 0;
	}
	*why = NULL;
	return 1;
}

int eval_set_for(const RuleSet *rs, const BaseFacts *f, const char **why)
{
	return eval_set_applies(rs, f->kind, f->specialised, why) && eval_set_in_force(rs, f->as_of, why);
}

const RuleSet *eval_set_for_level(const RuleSet *sets, int n, const BaseFacts *f, const char *level)
{
	const char *why;
	for (int i = 0; level && i < n; i++)
		if (sets[i].level && !strcmp(sets[i].level, level) && eval_set_for(&sets[i], f, &why))
			return &sets[i];
	return NULL;
}

const char *eval_level_zh(const char *level)
{
	if (!level)
		return "—";
	return !strcmp(level, "demonstration") ? "示范" : !strcmp(level, "national") ? "国家级"
	     : !strcmp(level, "provincial") ? "省级" : !strcmp(level, "municipal") ? "市级" : level;
}

void eval_default_as_of(const Plan *p, char out[11])
{
	date_today(out);
	if (p && p->nyears > 0) {
		char end[32];
		snprintf(end, sizeof end, "%04d-12-31", p->years[p->nyears - 1] % 10000);
		if (strcmp(out, end) > 0)
			memcpy(out, end, 11);
	}
}

int eval_compare(double a, const char *op, double b)
{
	/* Thresholds and values both come through doubles: treat values within
	 * a relative 1e-12 as equal, so that 2/3 computed two ways compares equal. */
	double tol = 1e-12 * fmax(1.0, fmax(fabs(a), fabs(b)));
	int eq = fabs(a - b) <= tol;
	if (!strcmp(op, ">="))
		return a > b || eq;
	if (!strcmp(op, ">"))
		return a > b && !eq;
	if (!strcmp(op, "<="))
		return a < b || eq;
	if (!strcmp(op, "<"))
		return a < b && !eq;
	return eq;
}

EvalResult eval_rule(const Rule *r, Measured v, Measured alt)
{
	if (!r->has_threshold)
		return EV_UNKNOWN;
	/* a doubtful value (two sources disagree) decides nothing */
	int vk = v.known && !v.doubt, ak = r->or_measure && alt.known && !alt.doubt;
	int pass = vk && eval_compare(v.value, r->op, r->threshold);
	int alt_pass = ak && eval_compare(alt.value, r->or_op, r->or_threshold);
	if (pass || alt_pass)
		return EV_PASS;
	/* a fail needs every way of passing measured */
	if (vk && (!r->or_measure || ak))
		return EV_FAIL;
	return EV_UNKNOWN;
}

const char *eval_gap(Arena *a, const Rule *r, Measured v)
{
	if (!v.known || !r->has_threshold || eval_compare(v.value, r->op, r->threshold))
		return NULL;
	const char *unit = r->unit ? r->unit : "";
	double d = fabs(r->threshold - v.value);
	int strict = !strcmp(r->op, ">") || !strcmp(r->op, "<");
	const char *more = r->op[0] == '<' ? "超出" : "还差";
	char num[64];
	if (!strcmp(unit, "是/否"))
		return r->threshold >= 1 ? "尚不具备" : "须不具备";
	if (!strcmp(unit, "%")) {
		snprintf(num, sizeof num, "%.1f", d * 100);
		return arena_printf(a, "%s %s 个百分点%s", more, num, strict ? "（且须超过）" : "");
	}
	if (!strcmp(unit, "元") || !strcmp(unit, "㎡")) /* by size, as everywhere: "还差 1 亿元", "还差 1.2 万㎡" */
		return arena_printf(a, "%s %s%s", more, fmt_quantity(a, d, unit), strict ? "（且须超过）" : "");
	fmt_number(num, sizeof num, d, d == floor(d) ? 0 : 2);
	return arena_printf(a, "%s %s %s%s", more, num, unit, strict ? "（且须超过）" : "");
}

int eval_set(Store *s, Arena *a, const BaseFacts *f, const RuleSet *set, SetOutcome *out)
{
	memset(out, 0, sizeof *out);
	out->set = set;
	out->rules = arena_alloc(a, sizeof *out->rules * (size_t)(set->nrules + 1));
	Verdict *vs;
	int nv = store_verdicts(s, a, f->id, set->code, &vs);
	if (nv < 0)
		return H_ERR;
	for (int i = 0; i < set->nrules; i++) {
		const Rule *r = &set->rules[i];
		RuleOutcome *o = &out->rules[out->n++];
		o->rule = r;
		if (!strcmp(r->measure, "judged")) {
			o->result = EV_UNKNOWN;
			for (int k = 0; k < nv; k++)
				if (!strcmp(vs[k].rule_id, r->id)) {
					o->result = !strcmp(vs[k].verdict, "pass") ? EV_PASS : EV_FAIL;
					o->verdict_note = vs[k].note;
					o->verdict_by = vs[k].by;
				}
		} else {
			o->value = eval_measure(a, f, r->measure);
			if (r->or_measure)
				o->or_value = eval_measure(a, f, r->or_measure);
			o->result = eval_rule(r, o->value, o->or_value);
			if (o->result == EV_FAIL)
				o->gap = eval_gap(a, r, o->value);
			/* a period: say the day it is complete (民法典 第二百零二条) */
			int months = !strcmp(r->measure, "base.months_operating") ? (int)r->threshold
			           : !strcmp(r->measure, "base.years_operating") ? (int)(r->threshold * 12) : 0;
			if (o->result == EV_FAIL && months > 0 && f->opened_on && date_valid(f->opened_on) &&
			    (double)months == (!strcmp(r->measure, "base.months_operating") ? r->threshold : r->threshold * 12)) {
				char end[11];
				eval_add_months(f->opened_on, months, end);
				o->gap = arena_printf(a, "%s；%s 期满", o->gap ? o->gap : "", end);
			}
		}
		out->passed += o->result == EV_PASS;
		out->failed += o->result == EV_FAIL;
		out->unknown += o->result == EV_UNKNOWN;
		if (r->has_score) {
			out->has_score = 1;
			out->max_score += r->score;
			if (o->result == EV_PASS)
				out->score += r->score;
		}
	}
	return H_OK;
}

const char *eval_result_code(EvalResult r)
{
	return r == EV_PASS ? "pass" : r == EV_FAIL ? "fail" : "unknown";
}

const char *eval_result_zh(EvalResult r)
{
	return r == EV_PASS ? "达标" : r == EV_FAIL ? "未达标" : "待核实";
}

int eval_load_facts(Store *s, Arena *a, long long id, const char *as_of, BaseFacts *f)
{
	char today[11];
	if (!as_of) {
		date_today(today);
		as_of = today;
	}
	memset(f, 0, sizeof *f);
	f->as_of = arena_strdup(a, as_of);
	int found = store_eval_facts(s, a, id, f);
	if (found != 1)
		return found;
	f->nfigures = store_base_figures(s, a, id, digits_value(as_of, 4), &f->figures);
	return f->nfigures < 0 ? -1 : 1;
}

static json_t *num_or_null(int known, double v)
{
	return known ? json_real(v) : json_null();
}

json_t *eval_set_json(const SetOutcome *o)
{
	json_t *rules = json_array();
	for (int k = 0; k < o->n; k++) {
		const RuleOutcome *ro = &o->rules[k];
		const Rule *r = ro->rule;
		json_t *x = json_pack("{s:s,s:i,s:s,s:s?,s:s,s:s?,s:o,s:s?,s:o,s:s?,s:s,s:s?}", "id", r->id, "item", r->item, "text",
		                      r->text, "wording", r->wording, "measure", r->measure, "op", r->op, "threshold",
		                      num_or_null(r->has_threshold, r->threshold), "unit", r->unit, "value",
		                      num_or_null(ro->value.known, ro->value.value), "source", ro->value.source, "result",
		                      eval_result_code(ro->result), "gap", ro->gap);
		if (r->or_measure)
			json_object_set_new(x, "or", json_pack("{s:s,s:s,s:f,s:o,s:s?}", "measure", r->or_measure, "op", r->or_op,
			                                       "threshold", r->or_threshold, "value",
			                                       num_or_null(ro->or_value.known, ro->or_value.value), "source",
			                                       ro->or_value.source));
		if (ro->verdict_note)
			json_object_set_new(x, "verdict", json_pack("{s:s,s:s?}", "note", ro->verdict_note, "by", ro->verdict_by));
		if (r->has_score)
			json_object_set_new(x, "score", json_real(r->score));
		if (r->article)
			json_object_set_new(x, "article", json_string(r->article));
		if (r->wording)
			json_object_set_new(x, "verbatim", json_boolean(r->verbatim));
		if (ro->value.conflict)
			json_object_set_new(x, "conflict", json_string(ro->value.conflict));
		json_array_append_new(rules, x);
	}
	json_t *j = json_pack("{s:s,s:s,s:s?,s:i,s:i,s:i,s:o}", "rule_set", o->set->code, "name", o->set->name, "citation",
	                      o->set->citation, "passed", o->passed, "failed", o->failed, "unknown", o->unknown, "rules", rules);
	if (o->has_score) {
		json_object_set_new(j, "score", json_real(o->score));
		json_object_set_new(j, "max_score", json_real(o->max_score));
	}
	const RuleSet *rs = o->set;
	json_object_set_new(j, "source", rs->source ? json_string(rs->source) : json_null());
	json_object_set_new(j, "level", rs->level ? json_string(rs->level) : json_null());
	json_object_set_new(j, "valid_from", rs->valid_from ? json_string(rs->valid_from) : json_null());
	json_object_set_new(j, "valid_to", rs->valid_to ? json_string(rs->valid_to) : json_null());
	return j;
}
