/*
 * page_eval.c — 评价: a base against every rule set (七个一, national,
 * provincial, Wenzhou), each rule's measured value and where it came from,
 * the threshold read from the wording, the result and the gap; reviewers'
 * verdicts on judged rules; the base's annual figures that the rules read;
 * the city's matrix of bases × rule sets with the "one or two rules away"
 * filter; a rule set's rubric. Pages under /bases/{id}/..., /evaluation,
 * /rules/{set}; API under /api/v1/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "page.h"
#include "page_parts.h"
#include "page_records.h"
#include "session.h"

static const char *shown_value(Req *r, const Rule *ru, Measured m, const char *unit)
{
	if (!m.known)
		return "—";
	char num[64];
	if (unit && !strcmp(unit, "%"))
		return fmt_percent(&r->arena, m.value);
	if (unit && !strcmp(unit, "是/否"))
		return m.value >= 1 ? "是" : "否";
	(void)ru;
	if (unit && (!strcmp(unit, "㎡") || !strcmp(unit, "元")))
		return fmt_quantity(&r->arena, m.value, unit);
	fmt_number(num, sizeof num, m.value, m.value == (long long)m.value ? 0 : 2);
	return arena_printf(&r->arena, "%s %s", num, unit ? unit : "");
}

static const char *shown_threshold(Req *r, const Rule *ru)
{
	if (!ru->has_threshold)
		return "由评审人判定";
	const char *op = !strcmp(ru->op, ">=") ? "≥" : !strcmp(ru->op, ">") ? ">" : !strcmp(ru->op, "<=") ? "≤"
	               : !strcmp(ru->op, "<") ? "<" : "=";
	Measured t = {1, ru->threshold, NULL, NULL, 0};
	const char *s = arena_printf(&r->arena, "%s %s", op, shown_value(r, ru, t, ru->unit));
	if (ru->or_measure) {
		/* the other measure by its Chinese name, never its code */
		static const struct { const char *code, *zh; } shares[] = {
			{"ip_firms_share", "拥有有效知识产权的在孵企业占比"}, {"patent_applied_share", "申请专利的在孵企业占比"},
			{"financed_share", "获得投融资的在孵企业占比"}, {"incubation_share", "孵化面积占比"},
			{"professional_staff_share", "专业人员占比"}, {"leading_industry_share", "主导产业企业占比"}};
		const char *code = ru->or_measure + 5, *zh = NULL;
		const FigureField *ff = figure_field(code);
		if (ff)
			zh = ff->label;
		for (size_t i = 0; !zh && i < ARRAY_LEN(shares); i++)
			if (!strcmp(shares[i].code, code))
				zh = shares[i].zh;
		s = arena_printf(&r->arena, "%s；或%s %s %g", s, zh ? zh : "另一项指标", ru->or_op, ru->or_threshold);
	}
	return s;
}

/* Loads the facts and the rule sets; answers errors itself. */
static int load(Req *r, long long id, BaseFacts *f, RuleSet **sets, int *nsets)
{
	char def[11];
	eval_default_as_of(r->plan, def);
	const char *as_of;
	if (!req_query_date(r, "as_of", def, &as_of))
		return 0;
	int found = eval_load_facts(r->store, &r->arena, id, as_of, f);
	*nsets = found == 1 ? store_rule_sets(r->store, &r->arena, sets) : 0;
	if (found < 0 || *nsets < 0) {
		http_error(r, 500, "store_error", "评价数据读取失败，请稍后再试。");
		return 0;
	}
	if (!found) {
		http_error(r, 404, "not_found", "没有这个孵化基地。");
		return 0;
	}
	return 1;
}

static void verdict_form(Req *r, long long id, const RuleSet *set, const RuleOutcome *o)
{
	Buf *b = &r->out;
	html_printf(b, "<form method=\"post\" action=\"/bases/%lld/verdicts\" class=\"verdict no-print\">", id);
	form_csrf(r);
	html_printf(b, "<input type=\"hidden\" name=\"rule_set\" value=\"%h\"><input type=\"hidden\" name=\"rule_id\" value=\"%h\">"
	               "<label for=\"n-%h-%h\">评审意见</label><input id=\"n-%h-%h\" name=\"note\" value=\"%h\" required>"
	               "<button type=\"submit\" name=\"verdict\" value=\"pass\">达标</button> "
	               "<button type=\"submit\" name=\"verdict\" value=\"fail\" class=\"danger\">未达标</button></form>",
	            set->code, o->rule->id, set->code, o->rule->id, set->code, o->rule->id, o->verdict_note ? o->verdict_note : "");
}

/* "2018-12-14 至 2025-06-12", "2021-10-31 起", "未限定". */
static const char *validity_zh(Req *r, const RuleSet *rs)
{
	if (rs->valid_from && rs->valid_to)
		return arena_printf(&r->arena, "%s 至 %s", rs->valid_from, rs->valid_to);
	if (rs->valid_from)
		return arena_printf(&r->arena, "%s 起", rs->valid_from);
	if (rs->valid_to)
		return arena_printf(&r->arena, "至 %s", rs->valid_to);
	return "未限定（施行日期未核实）";
}

/* "第七条第2项 · 原文" or "· 转述（非原文）": where a rule's words come from. */
static const char *provenance(Req *r, const Rule *ru)
{
	if (!ru->wording)
		return ru->article ? ru->article : "";
	return arena_printf(&r->arena, "%s%s%s", ru->article ? ru->article : "", ru->article ? " · " : "",
	                    ru->verbatim ? "原文" : "转述，非原文");
}

/* One set's table on the evaluation page. */
static int evaluation_set(Req *r, long long id, const BaseFacts *f, const RuleSet *set)
{
	Buf *b = &r->out;
	SetOutcome o;
	if (eval_set(r->store, &r->arena, f, set, &o) != H_OK)
		return H_ERR;
	html_printf(b, "<section class=\"rule-set\" id=\"set-%h\"><h2>%h</h2><p class=\"muted\">%h · %h%h · 认定级别：%h · 有效期：%h</p>",
	            set->code, set->name, set->source ? set->source : "", set->citation ? set->citation : "",
	            set->issued_on ? arena_printf(&r->arena, "（%s）", set->issued_on) : "", eval_level_zh(set->level),
	            validity_zh(r, set));
	if (set->note)
		html_printf(b, "<p class=\"muted\">%h</p>", set->note);
	html_printf(b, "<p class=\"summary\"><span class=\"status done\">达标 %d</span> <span class=\"status at_risk\">未达标 %d</span> "
	               "<span class=\"status behind\">待核实 %d</span>",
	            o.passed, o.failed, o.unknown);
	if (o.has_score)
		html_printf(b, " 得分 <strong>%g</strong> / %g", o.score, o.max_score);
	html_printf(b, "</p><div class=\"table-wrap\"><table class=\"data rules\"><thead><tr><th scope=\"col\">条</th>"
	               "<th scope=\"col\">要求</th><th scope=\"col\">实测</th><th scope=\"col\">门槛</th><th scope=\"col\">结果</th>"
	               "<th scope=\"col\">差距 / 说明</th></tr></thead><tbody>");
	for (int k = 0; k < o.n; k++) {
		const RuleOutcome *ro = &o.rules[k];
		const char *cls = ro->result == EV_PASS ? "done" : ro->result == EV_FAIL ? "at_risk" : "behind";
		html_printf(b, "<tr data-rule=\"%h\" data-result=\"%h\"><td>%d</td><td>%h", ro->rule->id, eval_result_code(ro->result),
		            ro->rule->item, ro->rule->text);
		if (ro->rule->wording)
			html_printf(b, "<br><small class=\"muted\">“%h”（%h）</small>", ro->rule->wording, provenance(r, ro->rule));
		html_printf(b, "</td><td>%h<br><small class=\"muted\">%h</small>", shown_value(r, ro->rule, ro->value, ro->rule->unit),
		            ro->value.source ? ro->value.source : "");
		if (ro->value.conflict)
			html_printf(b, "<br><strong class=\"conflict\" role=\"note\">⚠ %h</strong>", ro->value.conflict);
		html_printf(b, "</td><td>%h</td><td><span class=\"status %h\">%h</span></td><td>", shown_threshold(r, ro->rule), cls,
		            eval_result_zh(ro->result));
		/* the records behind the measure, where a list can show them */
		const char *m = ro->rule->measure;
		if (strstr(m, "firms") || !strcmp(m, "base.leading_industry_share") || !strcmp(m, "base.own_fund_cases"))
			html_printf(b, "<a class=\"no-print\" href=\"/%s?base_id=%lld\">%s</a> ",
			            !strcmp(m, "base.own_fund_cases") ? "investments" : "firms", id,
			            !strcmp(m, "base.own_fund_cases") ? "基金投资" : "在孵企业");
		else if (strstr(m, "area_m2") || strstr(m, "incubation_"))
			html_printf(b, "<a class=\"no-print\" href=\"/bases/%lld#area-history\">面积记录</a> ", id);
		if (ro->gap)
			html_printf(b, "<strong class=\"gap\">%h</strong>", ro->gap);
		else if (!strcmp(ro->rule->measure, "judged")) {
			if (ro->verdict_note)
				html_printf(b, "评审意见：%h（%h）", ro->verdict_note, ro->verdict_by ? ro->verdict_by : "");
			else
				html_printf(b, "需评审人判定");
			if (!strcmp(ro->rule->id, "qigeyi-7"))
				html_printf(b, "<br><small class=\"muted\">功能配套清单已登记 %d 项</small>", f->facilities_count);
			if (r->role == ROLE_ADMIN)
				verdict_form(r, id, set, ro);
		} else if (ro->result == EV_UNKNOWN && ro->value.doubt)
			html_printf(b, "两个来源不一致，暂不判定");
		else if (ro->result == EV_UNKNOWN)
			html_printf(b, "缺少数据：请在<a href=\"/bases/%lld/figures\">年度数据</a>或登记中补充", id);
		html_printf(b, "</td></tr>");
	}
	html_printf(b, "</tbody></table></div></section>\n");
	return H_OK;
}

/* WEBPAGE: GET /bases/{id}/evaluation?as_of= — printable. The sets that
 * judge this base on the date (its kind, specialised, the set in force),
 * then the names of the others and why they do not apply. */
void page_evaluation(Req *r)
{
	long long id = req_param_int(r, "id");
	char def[11];
	eval_default_as_of(r->plan, def);
	const char *as_of, *name, *area;
	if (!req_query_date(r, "as_of", def, &as_of))
		return;
	int found = store_base_name_area(r->store, &r->arena, id, &name, &area);
	if (found < 0) {
		http_error(r, 500, "store_error", "评价数据读取失败，请稍后再试。");
		return;
	}
	if (!found) {
		http_error(r, 404, "not_found", "没有这个孵化基地。");
		return;
	}
	/* the base's own records, its funds' investments, the rule sets: kept
	 * while another area changes (schema step 7 touches the base's area) */
	req_depends_on_area(r, area);
	Buf *b = &r->out;
	page_begin(r, arena_printf(&r->arena, "%s · 评价", name), "evaluation");
	/* Below the frame the page is the same for every reader but the office,
	 * whose verdict forms carry its session's CSRF token: kept for all the
	 * others while neither the base's area nor what is in no area changes. */
	PagePart part = {0};
	if (r->role != ROLE_ADMIN && page_part_begin(r, &part, area, "evaluation|%lld|%s", id, as_of)) {
		page_end(r);
		return;
	}
	BaseFacts f;
	RuleSet *sets;
	int nsets;
	if (!load(r, id, &f, &sets, &nsets))
		return;
	html_printf(b, "<p class=\"crumbs no-print\"><a href=\"/bases/%lld\">%h</a> › 评价</p><h1>%h · 对照标准评价</h1>\n"
	               "<p class=\"lead\">评价日期 %h（所有数据取该日为止：面积按变更记录、企业按入孵和毕业日期、基金按设立日期；"
	               "规则集取该日有效的版本）。基地类型：%h%s。实测值均来自登记记录和年度数据（见“来源”）；数据缺失的规则为“待核实”，"
	               "不计为达标。“以上/不低于”含本数，“超/超过”不含本数。各条出处见<a href=\"/sources\">标准出处</a>。</p>\n"
	               "<form method=\"get\" class=\"filters no-print\"><div class=\"field\"><label for=\"as-of\">评价日期</label>"
	               "<input id=\"as-of\" name=\"as_of\" type=\"date\" value=\"%h\"></div><button type=\"submit\">重新评价</button></form>\n"
	               "<p class=\"no-print\"><a class=\"button secondary\" href=\"/bases/%lld/figures\">年度数据</a> "
	               "<a class=\"button secondary\" href=\"/bases/%lld/recognitions\">认定申请</a> "
	               "<button type=\"button\" class=\"print-page\">打印</button></p>\n",
	            id, f.name, f.name, f.as_of, vocab_name(r->plan, "base_kind", f.kind), f.specialised ? "（专业孵化器）" : "",
	            f.as_of, id, id);
	html_printf(b, "<nav class=\"tabs no-print\" aria-label=\"规则集\">");
	const char *why;
	for (int i = 0; i < nsets; i++)
		if (eval_set_for(&sets[i], &f, &why))
			html_printf(b, "<a href=\"#set-%h\">%h</a>", sets[i].code, sets[i].name);
	html_printf(b, "</nav>\n");
	int shown = 0;
	for (int i = 0; i < nsets; i++) {
		if (!eval_set_for(&sets[i], &f, &why))
			continue;
		shown++;
		if (evaluation_set(r, id, &f, &sets[i]) != H_OK) {
			http_error(r, 500, "store_error", "评价失败，请稍后再试。");
			return;
		}
	}
	if (!shown)
		html_printf(b, "<p class=\"empty\">评价日没有适用于该基地的规则集。</p>");
	html_printf(b, "<section class=\"no-print\"><h2>不适用的规则集</h2><ul class=\"muted\" id=\"not-applied\">");
	for (int i = 0; i < nsets; i++)
		if (!eval_set_for(&sets[i], &f, &why))
			html_printf(b, "<li><a href=\"/rules/%u\">%h</a>:%h</li>", sets[i].code, sets[i].name, why);
	html_printf(b, "</ul></section>\n");
	page_part_end(r, &part);
	page_end(r);
}

/* WEBPAGE: POST /bases/{id}/verdicts — rule_set, rule_id, verdict=pass|fail|clear, note */
void page_verdict_post(Req *r)
{
	long long id = req_param_int(r, "id");
	Actor who = req_actor(r);
	DomResult res = assessment_verdict(r->store, &who, id, req_form(r, "rule_set"), req_form(r, "rule_id"),
	                                   req_form(r, "verdict"), req_form(r, "note"));
	page_done(r, res, arena_printf(&r->arena, "/bases/%lld/evaluation#set-%s", id, req_form(r, "rule_set")));
}

/* ---- annual figures ---- */

/* The years a base's annual figures may have: the page, its form and the API take the same. */
enum { FIGURE_YEAR_MIN = 2000, FIGURE_YEAR_MAX = 2100 };

/* Last year: the figures a base reports first. */
static int figure_default_year(void)
{
	char today[11];
	date_today(today);
	return digits_value(today, 4) - 1;
}

static void figures_form(Req *r, long long id, const char *name, int year, const char **typed, const char **errs, int status)
{
	BaseFigure *fig;
	int n = store_base_figures(r->store, &r->arena, id, 9999, &fig);
	r->status = status;
	Buf *b = &r->out;
	page_begin(r, arena_printf(&r->arena, "%s · 年度数据", name), "evaluation");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/bases/%lld\">%h</a> › <a href=\"/bases/%lld/evaluation\">评价</a> › 年度数据</p>"
	               "<h1>%h · 年度数据</h1><p class=\"lead\">国家级、省级和温州的认定条件所需、登记中没有的数字，按年度填写；"
	               "评价取不晚于评价年份的最近一年。</p>\n", id, name, id, name);
	html_printf(b, "<form method=\"get\" action=\"/bases/%lld/figures\" class=\"filters\">", id);
	form_input(r, "year", "年度", "text", arena_printf(&r->arena, "%d", year), NULL, " inputmode=\"numeric\"");
	html_printf(b, "<button type=\"submit\">切换年度</button></form>\n");
	int editor = r->role == ROLE_ADMIN || r->role == ROLE_AREA || r->role == ROLE_BASE;
	if (editor) {
		html_printf(b, "<form method=\"post\" action=\"/bases/%lld/figures\" class=\"card\">", id);
		form_csrf(r);
		html_printf(b, "<input type=\"hidden\" name=\"year\" value=\"%d\">", year);
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"figures\"><thead><tr><th scope=\"col\">项目</th>"
	               "<th scope=\"col\" class=\"num\">%d 年</th><th scope=\"col\">单位</th></tr></thead><tbody>", year);
	for (int i = 0; i < figure_field_count; i++) {
		const FigureField *ff = &figure_fields[i];
		const char *cur = "";
		for (int k = 0; k < n; k++)
			if (fig[k].year == year && !strcmp(fig[k].field, ff->code))
				cur = arena_printf(&r->arena, "%g", fig[k].value);
		const char *val = typed && typed[i] ? typed[i] : cur;
		if (editor)
			html_printf(b, "<tr><th scope=\"row\"><label for=\"g-%h\">%h</label></th><td class=\"num%s\"><input id=\"g-%h\" name=\"%h\" "
			               "value=\"%h\" inputmode=\"decimal\"%s>%s%h%s</td><td>%h</td></tr>",
			            ff->code, ff->label, errs && errs[i] ? " has-error" : "", ff->code, ff->code, val,
			            errs && errs[i] ? " aria-invalid=\"true\"" : "", errs && errs[i] ? "<span class=\"field-error\">" : "",
			            errs && errs[i] ? errs[i] : "", errs && errs[i] ? "</span>" : "", ff->unit);
		else
			html_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">%h</td><td>%h</td></tr>", ff->label, *cur ? cur : "—",
			            ff->unit);
	}
	html_printf(b, "</tbody></table></div>");
	if (editor)
		html_printf(b, "<p><button type=\"submit\">保存 %d 年数据</button></p></form>", year);
	page_end(r);
}

static const char *base_name(Req *r, long long id)
{
	json_t *rec = record_load(r, &kind_base, id);
	const char *name = rec ? arena_strdup(&r->arena, json_string_value(json_object_get(rec, "name"))) : NULL;
	json_decref(rec);
	return name;
}

/* WEBPAGE: GET /bases/{id}/figures?year= */
void page_figures(Req *r)
{
	long long id = req_param_int(r, "id"), year;
	if (!req_query_int(r, "year", FIGURE_YEAR_MIN, FIGURE_YEAR_MAX, figure_default_year(), &year))
		return;
	const char *name = base_name(r, id);
	if (!name) {
		http_error(r, 404, "not_found", "没有这个孵化基地。");
		return;
	}
	figures_form(r, id, name, (int)year, NULL, NULL, 200);
}

/* WEBPAGE: POST /bases/{id}/figures */
void page_figures_post(Req *r)
{
	long long id = req_param_int(r, "id"), y;
	const char *yf = req_form(r, "year");
	int year = !yf || !*yf ? figure_default_year() : parse_int(yf, FIGURE_YEAR_MIN, FIGURE_YEAR_MAX, &y) ? (int)y : 0;
	const char *name = base_name(r, id);
	if (!name || !year) {
		http_error(r, name ? 400 : 404, name ? "bad_year" : "not_found", name ? "年度应为 2000–2100 的年份。" : "没有这个孵化基地。");
		return;
	}
	const char *vals[64], *errs[64];
	for (int i = 0; i < figure_field_count; i++)
		vals[i] = req_form(r, figure_fields[i].code);
	Actor who = req_actor(r);
	DomResult res = assessment_figures(r->store, &who, id, year, vals, errs);
	if (res.code == DOM_INVALID) {
		figures_form(r, id, name, year, vals, errs, 400);
		return;
	}
	page_done(r, res, arena_printf(&r->arena, "/bases/%lld/figures?year=%d", id, year));
}

/* ---- the city's matrix ---- */

/* The matrix's query, read the same by its page and its API: ?as_of= a
 * date (default: eval_default_as_of), ?rules= a loaded rule set (empty:
 * all), ?away= 0–5 failed rules (0: every base). Answers 400 itself and
 * returns 0 when one is bad. */
static int read_matrix_query(Req *r, const RuleSet *sets, int nsets, char as_of[11], const char **only, int *away)
{
	char def[11];
	const char *q;
	long long aw;
	eval_default_as_of(r->plan, def);
	if (!req_query_date(r, "as_of", def, &q) || !req_query_int(r, "away", 0, 5, 0, &aw))
		return 0;
	snprintf(as_of, 11, "%s", q);
	*away = (int)aw;
	*only = req_query(r, "rules");
	if (*only && !**only)
		*only = NULL;
	int known = 0;
	for (int i = 0; *only && i < nsets; i++)
		known |= !strcmp(sets[i].code, *only);
	if (*only && !known) {
		http_error(r, 400, "bad_rules", "rules 应为已载入的规则集代码之一（见“规则集”页），或留空表示全部。");
		return 0;
	}
	return 1;
}

/* A set in force on the date, and chosen by ?rules= when given. */
static int matrix_column(const RuleSet *rs, const char *only, const char *as_of)
{
	const char *why;
	return (!only || !*only || !strcmp(only, rs->code)) && eval_set_in_force(rs, as_of, &why);
}

/* What the matrix's page and API read: the rule sets, the approved bases'
 * ids and the query (read_matrix_query); 1, or 0 after answering. */
static int matrix_read(Req *r, RuleSet **sets, int *nsets, long long **ids, int *nb, char as_of[11], const char **only,
                       int *away)
{
	*nsets = store_rule_sets(r->store, &r->arena, sets);
	*nb = store_approved_base_ids(r->store, &r->arena, ids);
	if (*nsets < 0 || *nb < 0) {
		http_error(r, 500, "store_error", "评价数据读取失败，请稍后再试。");
		return 0;
	}
	return read_matrix_query(r, *sets, *nsets, as_of, only, away);
}

/* WEBPAGE: GET /evaluation?rules=&away=&as_of= — bases × the rule sets in
 * force on the date; each base judged only by the sets that apply to it
 * (others "不适用"); away=1|2 keeps the bases one or two failed rules short
 * of a set (and none unknown). */
void page_evaluation_matrix(Req *r)
{
	RuleSet *sets;
	long long *ids;
	int nsets, nb, away;
	char as_of[11];
	const char *only;
	if (!matrix_read(r, &sets, &nsets, &ids, &nb, as_of, &only, &away))
		return;
	Buf *b = &r->out;
	page_begin(r, "对照评价", "evaluation");
	html_printf(b, "<h1>对照评价</h1><p class=\"lead\">已审核的孵化基地对照 %h 有效的各规则集的结果：达标 / 未达标 / 待核实 条数；"
	               "每个基地只按适用于其类型（众创空间、孵化器等）和是否专业孵化器的规则集评价，其余为“不适用”。"
	               "<a href=\"/recognitions\">认定申请 →</a> <a href=\"/rules\">规则集 →</a> <a href=\"/sources\">标准出处 →</a></p>\n"
	               "<form method=\"get\" action=\"/evaluation\" class=\"filters\"><div class=\"field\"><label for=\"f-as-of\">评价日期</label>"
	               "<input id=\"f-as-of\" name=\"as_of\" type=\"date\" value=\"%h\"></div>"
	               "<div class=\"field\"><label for=\"f-rules\">规则集</label>"
	               "<select id=\"f-rules\" name=\"rules\"><option value=\"\">全部</option>", as_of, as_of);
	for (int i = 0; i < nsets; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", sets[i].code, only && !strcmp(only, sets[i].code) ? " selected" : "",
		            sets[i].name);
	html_printf(b, "</select></div><div class=\"field\"><label for=\"f-away\">筛选</label><select id=\"f-away\" name=\"away\">"
	               "<option value=\"\">全部基地</option><option value=\"1\"%s>只差 1 条</option><option value=\"2\"%s>只差 1–2 条</option>"
	               "</select></div><button type=\"submit\">筛选</button></form>\n",
	            away == 1 ? " selected" : "", away == 2 ? " selected" : "");
	html_printf(b, "<p class=\"legend\" id=\"matrix-legend\"><span class=\"verdict v-pass\">达标</span> 各条件均已达到 "
	               "<span class=\"verdict v-fail\">未达标</span> 有条件未达到 <span class=\"verdict v-wait\">待判定</span> "
	               "无未达到的条件，但有条件待核实 <span class=\"verdict v-na\">不适用</span> 该标准不评价此类基地</p>\n");
	html_printf(b, "<div class=\"table-wrap cards\"><table class=\"data cards\" id=\"matrix\"><thead><tr><th scope=\"col\">孵化基地</th>");
	for (int i = 0; i < nsets; i++)
		if (matrix_column(&sets[i], only, as_of))
			html_printf(b, "<th scope=\"col\">%h</th>", sets[i].name);
	html_printf(b, "</tr></thead><tbody>");
	int shown = 0;
	for (int j = 0; j < nb; j++) {
		BaseFacts f;
		if (eval_load_facts(r->store, &r->arena, ids[j], as_of, &f) != 1)
			continue;
		Buf row = {0};
		int keep = away == 0, applied = 0;
		for (int i = 0; i < nsets; i++) {
			if (!matrix_column(&sets[i], only, as_of))
				continue;
			const char *why;
			if (!eval_set_applies(&sets[i], f.kind, f.specialised, &why)) {
				html_printf(&row, "<td class=\"cell na minor\" title=\"%h\" data-label=\"%h\"><span class=\"verdict v-na\">不适用</span></td>",
				            why, sets[i].name);
				continue;
			}
			applied++;
			SetOutcome o;
			if (eval_set(r->store, &r->arena, &f, &sets[i], &o) != H_OK)
				continue;
			int near = o.failed > 0 && o.failed <= away && o.unknown == 0;
			keep |= near;
			/* the set's verdict in colour and in words, then its counts */
			const char *cls = o.failed > 0 ? "v-fail" : o.unknown > 0 ? "v-wait" : "v-pass";
			const char *word = o.failed > 0 ? "未达标" : o.unknown > 0 ? "待判定" : "达标";
			html_printf(&row, "<td class=\"cell %h%s\" data-label=\"%h\"><a href=\"/bases/%lld/evaluation?as_of=%u#set-%h\">"
			                  "<span class=\"verdict %h\">%h</span> <small class=\"counts\"><span>达标 %d</span> · <span>未达标 %d</span> · <span>待核实 %d</span></small></a></td>",
			            cls, near ? " near" : o.failed == 0 && o.unknown == 0 ? " all-pass" : "", sets[i].name, f.id, as_of, sets[i].code,
			            cls, word, o.passed, o.failed, o.unknown);
		}
		if (keep && (applied || !only || !*only)) {
			html_printf(b, "<tr><th scope=\"row\"><a href=\"/bases/%lld\">%h</a><br><small class=\"muted\">%h</small></th>%s</tr>", f.id,
			            f.name, area_name(r->plan, f.area), SAFE_HTML(buf_str(&row)));
			shown++;
		}
		buf_free(&row);
	}
	html_printf(b, "</tbody></table></div><p class=\"result-count\">共 <strong id=\"total\">%d</strong> 个基地</p>\n", shown);
	page_end(r);
}

/* ---- API ---- */

/* API: GET /api/v1/bases/{id}/evaluation?rules=&as_of= */
void api_evaluation(Req *r)
{
	long long id = req_param_int(r, "id");
	BaseFacts f;
	RuleSet *sets;
	int nsets;
	if (!load(r, id, &f, &sets, &nsets))
		return;
	const char *only = req_query(r, "rules");
	json_t *arr = json_array(), *not_applied = json_array();
	for (int i = 0; i < nsets; i++) {
		if (only && *only && strcmp(only, sets[i].code))
			continue;
		/* without ?rules= only the sets that judge this base on the date;
		 * a set asked for by name is evaluated and says whether it applies */
		const char *why;
		int applies = eval_set_for(&sets[i], &f, &why);
		if (!applies && !(only && *only)) {
			json_array_append_new(not_applied, json_pack("{s:s,s:s,s:s}", "rule_set", sets[i].code, "name", sets[i].name,
			                                             "why", why));
			continue;
		}
		SetOutcome o;
		if (eval_set(r->store, &r->arena, &f, &sets[i], &o) != H_OK) {
			json_decref(arr);
			json_decref(not_applied);
			http_error(r, 500, "store_error", "评价失败，请稍后再试。");
			return;
		}
		json_t *j = eval_set_json(&o);
		json_object_set_new(j, "applies", json_boolean(applies));
		if (!applies)
			json_object_set_new(j, "why_not", json_string(why));
		json_array_append_new(arr, j);
	}
	if (only && *only && json_array_size(arr) == 0) {
		json_decref(arr);
		json_decref(not_applied);
		http_error(r, 400, "unknown_rules", "rules 不是已加载的规则集代码，可不带 rules 参数查看全部。");
		return;
	}
	http_json(r, 200, json_pack("{s:I,s:s,s:s,s:s,s:b,s:o,s:o}", "base_id", (json_int_t)id, "name", f.name, "kind", f.kind,
	                            "as_of", f.as_of, "specialised", f.specialised, "rule_sets", arr, "not_applied", not_applied));
}

/* API: POST /api/v1/bases/{id}/verdicts {"rule_set","rule_id","verdict","note"} */
void api_verdict(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor who = req_actor(r);
	DomResult res = assessment_verdict(r->store, &who, req_param_int(r, "id"), json_string_value(json_object_get(j, "rule_set")),
	                                   json_string_value(json_object_get(j, "rule_id")),
	                                   json_string_value(json_object_get(j, "verdict")),
	                                   json_string_value(json_object_get(j, "note")));
	if (res.code != DOM_OK)
		page_refuse(r, res);
	else
		http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", res.message));
}

/* API: GET /api/v1/bases/{id}/figures */
void api_figures(Req *r)
{
	BaseFigure *fig;
	int n = store_base_figures(r->store, &r->arena, req_param_int(r, "id"), 9999, &fig);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:i,s:s,s:f}", "year", fig[i].year, "field", fig[i].field, "value", fig[i].value));
	json_t *fields = json_array();
	for (int i = 0; i < figure_field_count; i++)
		json_array_append_new(fields, json_pack("{s:s,s:s,s:s}", "code", figure_fields[i].code, "label", figure_fields[i].label,
		                                        "unit", figure_fields[i].unit));
	http_json(r, 200, json_pack("{s:o,s:o}", "items", arr, "fields", fields));
}

/* API: PUT /api/v1/bases/{id}/figures {"year": 2024, "figures": {"mentors": 12, "staff_total": null}} */
void api_figures_put(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	json_t *yv = json_object_get(j, "year"), *figs = json_object_get(j, "figures");
	if (!json_is_integer(yv) || json_integer_value(yv) < FIGURE_YEAR_MIN || json_integer_value(yv) > FIGURE_YEAR_MAX ||
	    !json_is_object(figs)) {
		http_error(r, 400, "bad_body", "请求体应为 {\"year\": 2024, \"figures\": {\"字段\"：数值或 null}}。");
		return;
	}
	const char *vals[64] = {0}, *errs[64];
	const char *key;
	json_t *v;
	json_object_foreach(figs, key, v) {
		const FigureField *ff = figure_field(key);
		if (!ff) {
			http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_field", "field", key, "message",
			                            "没有这个年度数据项；可用的项见 GET /api/v1/bases/{id}/figures 的 fields。"));
			return;
		}
		int i = (int)(ff - figure_fields);
		vals[i] = json_is_null(v) ? "" : json_is_number(v) ? arena_printf(&r->arena, "%.17g", json_number_value(v)) : "x";
	}
	Actor who = req_actor(r);
	DomResult res = assessment_figures(r->store, &who, req_param_int(r, "id"), (int)json_integer_value(yv), vals, errs);
	if (res.code == DOM_INVALID) {
		for (int i = 0; i < figure_field_count; i++)
			if (errs[i]) {
				http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid", "field", figure_fields[i].code,
				                            "message", errs[i]));
				return;
			}
	}
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	api_figures(r);
}

/* API: GET /api/v1/evaluation?rules=&away= — the matrix as data */
void api_evaluation_matrix(Req *r)
{
	RuleSet *sets;
	long long *ids;
	int nsets, nb, away;
	char as_of[11];
	const char *only;
	if (!matrix_read(r, &sets, &nsets, &ids, &nb, as_of, &only, &away))
		return;
	json_t *items = json_array();
	for (int j = 0; j < nb; j++) {
		BaseFacts f;
		if (eval_load_facts(r->store, &r->arena, ids[j], as_of, &f) != 1)
			continue;
		json_t *res = json_object();
		int keep = away == 0, applied = 0;
		for (int i = 0; i < nsets; i++) {
			const char *why;
			if (!matrix_column(&sets[i], only, as_of) || !eval_set_applies(&sets[i], f.kind, f.specialised, &why))
				continue;
			applied++;
			SetOutcome o;
			if (eval_set(r->store, &r->arena, &f, &sets[i], &o) != H_OK)
				continue;
			keep |= o.failed > 0 && o.failed <= away && o.unknown == 0;
			json_object_set_new(res, sets[i].code, json_pack("{s:i,s:i,s:i}", "passed", o.passed, "failed", o.failed,
			                                                 "unknown", o.unknown));
		}
		if (keep && (applied || !only || !*only))
			json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:o}", "base_id", (json_int_t)f.id, "name", f.name, "area",
			                                       f.area, "kind", f.kind, "results", res));
		else
			json_decref(res);
	}
	http_json(r, 200, json_pack("{s:o,s:i,s:s}", "items", items, "total", (int)json_array_size(items), "as_of", as_of));
}

/* ---- rule sets and their rubric ---- */

static const RuleSet *find_set(RuleSet *sets, int n, const char *code)
{
	for (int i = 0; code && i < n; i++)
		if (!strcmp(sets[i].code, code))
			return &sets[i];
	return NULL;
}

/* WEBPAGE: GET /rules — the loaded rule sets */
void page_rule_sets(Req *r)
{
	RuleSet *sets;
	int n = store_rule_sets(r->store, &r->arena, &sets);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "规则集", "evaluation");
	html_printf(b, "<h1>规则集</h1><p class=\"lead\">评价孵化基地所依据的标准；如需增加或更新标准，请联系市专班办公室。"
	               "每条规则的出处见<a href=\"/sources\">标准出处</a>。</p><ul>");
	for (int i = 0; i < n; i++)
		html_printf(b, "<li><a href=\"/rules/%u\">%h</a>（%d 条）<br><small class=\"muted\">%h %h</small></li>", sets[i].code,
		            sets[i].name, sets[i].nrules, sets[i].source ? sets[i].source : "", sets[i].citation ? sets[i].citation : "");
	html_printf(b, "</ul>\n");
	page_end(r);
}

/* "big_incubator,incubator" as "大孵化器、科技企业孵化器". */
static const char *kinds_zh(Req *r, const char *kinds)
{
	Buf b = {0};
	char *copy = arena_strdup(&r->arena, kinds), *save = NULL;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
		buf_printf(&b, "%s%s", b.len ? "、" : "", vocab_name(r->plan, "base_kind", t));
	const char *out = arena_strdup(&r->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

/* WEBPAGE: GET /sources — 标准出处: the plan's indicators with the plan's
 * own words, then every rule set with its document, number, date, the
 * period it is in force, whom it judges and what could not be verified,
 * and every rule with its article and whether its words are the text's. */
void page_sources(Req *r)
{
	RuleSet *sets;
	int n = store_rule_sets(r->store, &r->arena, &sets);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	const Plan *p = r->plan;
	Buf *b = &r->out;
	page_begin(r, "标准出处", "evaluation");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/plan\">规划与标准</a> › 标准出处</p><h1>标准出处</h1>"
	               "<p class=\"lead\">每个指标和每条规则所依据的文件、条款和日期。“原文”表示引文与文件逐字一致（“…”为省略）；"
	               "“转述”表示不是原文，须对照文件核实。各规则集只在其有效期内用于评价；门槛未能核实的条款由评审人对照原文判定，"
	               "系统不作自动判定。</p>\n");
	html_printf(b, "<section id=\"indicators\"><h2>规划指标</h2><p class=\"muted\">%h（%h,%h印发）二、主要目标和四（三）"
	               "“六比竞赛”。</p><div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">指标</th>"
	               "<th scope=\"col\">出处</th><th scope=\"col\">原文</th><th scope=\"col\">计算口径</th></tr></thead><tbody>",
	            p->name, p->document ? p->document : "", p->issued_on ? p->issued_on : "");
	for (int i = 0; i < p->nindicators; i++) {
		const Indicator *in = &p->indicators[i];
		int plan = !strcmp(in->kind, "plan");
		html_printf(b, "<tr><th scope=\"row\">%h</th><td>%h %h</td><td>", in->name, p->document ? p->document : "",
		            plan ? "二、主要目标" : "四（三）“六比竞赛”");
		int any = 0;
		for (int k = 0; plan && k < p->ntargets; k++)
			if (!strcmp(p->targets[k].indicator, in->code) && p->targets[k].wording)
				html_printf(b, "%s“%h”（%d 年）", any++ ? "<br>" : "", p->targets[k].wording, p->targets[k].year);
		if (!plan)
			html_printf(b, "“%h”", in->name);
		html_printf(b, "<br><small class=\"muted\">原文</small></td><td>%h</td></tr>", in->measure_zh ? in->measure_zh : "");
	}
	html_printf(b, "</tbody></table></div></section>\n");
	for (int i = 0; i < n; i++) {
		const RuleSet *rs = &sets[i];
		html_printf(b, "<section class=\"rule-set\" id=\"src-%h\"><h2>%h</h2><dl class=\"facts\">"
		               "<dt>文件</dt><dd>%h</dd><dt>文号</dt><dd>%h</dd><dt>印发日期</dt><dd>%h</dd>"
		               "<dt>有效期</dt><dd>%h</dd><dt>认定级别</dt><dd>%h</dd><dt>适用基地类型</dt><dd>%h</dd>",
		            rs->code, rs->name, rs->source ? rs->source : "—", rs->citation ? rs->citation : "—",
		            rs->issued_on ? rs->issued_on : "未核实", validity_zh(r, rs), eval_level_zh(rs->level),
		            rs->kinds ? kinds_zh(r, rs->kinds) : "全部");
		if (rs->specialised >= 0)
			html_printf(b, "<dt>专业孵化器</dt><dd>%s</dd>", rs->specialised ? "仅专业孵化器" : "仅综合孵化器");
		if (rs->source_url)
			html_printf(b, "<dt>原文网页</dt><dd><a href=\"%h\" rel=\"noopener\">打开原文网页</a></dd>", rs->source_url);
		if (rs->note)
			html_printf(b, "<dt>说明</dt><dd>%h</dd>", rs->note);
		html_printf(b, "</dl><div class=\"table-wrap\"><table class=\"data rules\"><thead><tr><th scope=\"col\">规则</th>"
		               "<th scope=\"col\">条款</th><th scope=\"col\">文件用语</th><th scope=\"col\">原文或转述</th>"
		               "<th scope=\"col\">门槛</th></tr></thead><tbody>");
		for (int k = 0; k < rs->nrules; k++) {
			const Rule *ru = &rs->rules[k];
			html_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%s</td><td>%h</td></tr>", ru->text,
			            ru->article ? ru->article : "—", ru->wording ? arena_printf(&r->arena, "“%s”", ru->wording) : "—",
			            !ru->wording ? "无引文（门槛未核实，评审人对照原文判定）" : ru->verbatim ? "原文" : "<strong>转述，非原文</strong>",
			            shown_threshold(r, ru));
		}
		html_printf(b, "</tbody></table></div></section>\n");
	}
	page_end(r);
}

/* WEBPAGE: GET /rules/{set} — its rules; the office enters the rubric's points */
void page_rule_set(Req *r)
{
	RuleSet *sets;
	int n = store_rule_sets(r->store, &r->arena, &sets);
	const RuleSet *rs = find_set(sets, n, req_param(r, "set"));
	if (!rs) {
		http_error(r, 404, "not_found", "没有这个规则集。");
		return;
	}
	Buf *b = &r->out;
	int edit = r->role == ROLE_ADMIN;
	page_begin(r, rs->name, "evaluation");
	html_printf(b, "<p class=\"crumbs\"><a href=\"/rules\">规则集</a> › %h</p><h1>%h</h1><p class=\"muted\">%h %h</p>", rs->name,
	            rs->name, rs->source ? rs->source : "", rs->citation ? rs->citation : "");
	if (rs->note)
		html_printf(b, "<p>%h</p>", rs->note);
	if (req_query(r, "saved"))
		html_printf(b, "<p class=\"form-ok\" role=\"status\">评分标准已保存。</p>");
	if (edit) {
		html_printf(b, "<form method=\"post\" action=\"/rules/%u\">", rs->code);
		form_csrf(r);
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data rules\"><thead><tr><th scope=\"col\">条</th><th scope=\"col\">要求</th>"
	               "<th scope=\"col\">门槛</th><th scope=\"col\" class=\"num\">分值</th></tr></thead><tbody>");
	for (int k = 0; k < rs->nrules; k++) {
		const Rule *ru = &rs->rules[k];
		html_printf(b, "<tr><td>%d</td><td>%h<br><small class=\"muted\">“%h”</small></td><td>%h</td>", ru->item, ru->text,
		            ru->wording ? ru->wording : "", shown_threshold(r, ru));
		const char *score = ru->has_score ? arena_printf(&r->arena, "%g", ru->score) : "";
		if (edit)
			html_printf(b, "<td class=\"num\"><input name=\"score:%h\" value=\"%h\" inputmode=\"decimal\" aria-label=\"%h 分值\"></td></tr>",
			            ru->id, score, ru->text);
		else
			html_printf(b, "<td class=\"num\">%h</td></tr>", *score ? score : "—");
	}
	html_printf(b, "</tbody></table></div>");
	if (edit)
		html_printf(b, "<p class=\"hint\">温州赋分标准未公开：由市专班录入本地评分；留空表示该条不计分。</p>"
		               "<button type=\"submit\">保存评分标准</button></form>");
	page_end(r);
}

/* WEBPAGE: POST /rules/{set} — score:<rule id> fields */
void page_rule_set_post(Req *r)
{
	RuleSet *sets;
	int n = store_rule_sets(r->store, &r->arena, &sets);
	const RuleSet *rs = find_set(sets, n, req_param(r, "set"));
	if (!rs) {
		http_error(r, 404, "not_found", "没有这个规则集。");
		return;
	}
	const char *vals[256] = {0};
	for (int k = 0; k < rs->nrules && k < 256; k++)
		vals[k] = req_form(r, arena_printf(&r->arena, "score:%s", rs->rules[k].id));
	Actor who = req_actor(r);
	DomResult res = assessment_scores(r->store, &who, rs, vals);
	page_done(r, res, arena_printf(&r->arena, "/rules/%s?saved=1", rs->code));
}

/* API: PUT /api/v1/rules/{set}/scores {"<rule id>": points|null, ...} */
void api_rule_scores(Req *r)
{
	RuleSet *sets;
	int n = store_rule_sets(r->store, &r->arena, &sets);
	const RuleSet *rs = find_set(sets, n, req_param(r, "set"));
	if (!rs) {
		http_error(r, 404, "not_found", "没有这个规则集。");
		return;
	}
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *vals[256] = {0};
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		int k = -1;
		for (int i = 0; i < rs->nrules && i < 256; i++)
			if (!strcmp(rs->rules[i].id, key))
				k = i;
		if (k < 0 || (!json_is_number(v) && !json_is_null(v))) {
			http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "bad_score", "field", key, "message",
			                            k < 0 ? "没有这条规则。" : "分值应为数字或 null。"));
			return;
		}
		vals[k] = json_is_null(v) ? "" : arena_printf(&r->arena, "%.17g", json_number_value(v));
	}
	Actor who = req_actor(r);
	DomResult res = assessment_scores(r->store, &who, rs, vals);
	if (res.code != DOM_OK)
		page_refuse(r, res);
	else
		http_json(r, 200, json_pack("{s:b}", "ok", 1));
}
