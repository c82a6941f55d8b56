/*
 * page_appraisal.c — the yearly assessment (考核) for the office:
 *   /assessment               the table of every area's score (points per
 *                             indicator, deductions for late and returned
 *                             reports, total, ranks), the rules in words;
 *   /assessment.xlsx          the same for the city's assessment office (考绩办);
 *   /api/v1/assessment        as JSON.
 * The computation is appraisal.c's; this file reads the query and renders.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appraisal.h"
#include "page.h"
#include "progress.h"

/* Reads ?year= (a plan year; default the plan year of as_of) and ?as_of=
 * (default today) and computes; 0 when it answered (400 or an error). */
static int compute(Req *r, Appraisal *x)
{
	char today[11];
	date_today(today);
	const char *as_of;
	int year;
	if (!req_query_date(r, "as_of", today, &as_of))
		return 0;
	if (!req_query_plan_year(r, "year", progress_default_year(r->plan, as_of), &year))
		return 0;
	DomResult res = appraisal_compute(r->store, r->plan, year, as_of, x);
	if (!dom_done(res)) {
		appraisal_free(x);
		page_refuse(r, res);
		return 0;
	}
	return 1;
}

/* WEBPAGE: GET /api/v1/assessment?year=&as_of= */
void api_assessment(Req *r)
{
	Appraisal x;
	if (!compute(r, &x))
		return;
	http_json(r, 200, appraisal_json(&x));
	appraisal_free(&x);
}

/* WEBPAGE: GET /assessment.xlsx?year=&as_of= — the table for the 考绩办 */
void page_assessment_xlsx(Req *r)
{
	Appraisal x;
	if (!compute(r, &x))
		return;
	char err[256];
	Buf out = {0};
	if (appraisal_xlsx(&x, NULL, &out, err, sizeof err) != H_OK) {
		buf_free(&out);
		appraisal_free(&x);
		http_error(r, 500, "xlsx_failed", err);
		return;
	}
	buf_free(&r->out);
	r->out = out;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_attachment(r, arena_printf(&r->arena, "assessment-%d.xlsx", x.year),
	                arena_printf(&r->arena, "大孵化集群建设考核得分-%d年度-截至%s.xlsx", x.year, x.to));
	appraisal_free(&x);
}

static const char *num1(Req *r, double v)
{
	return arena_printf(&r->arena, "%.1f", v);
}

/* WEBPAGE: GET /assessment?year=&as_of= */
void page_assessment(Req *r)
{
	Appraisal x;
	if (!compute(r, &x))
		return;
	const Plan *p = r->plan;
	const CompMethod *m = &x.rules->m;
	r->as_of = arena_strdup(&r->arena, x.to);
	Buf *b = &r->out;
	page_begin(r, "年度考核", "assessment");
	html_printf(b, "<h1>%h（%d 年度）</h1>\n<p class=\"lead\">统计期 %h 至 %h · 数据截至 %h · 满分 %h 分</p>\n", m->name,
	            x.year, x.from, x.to, x.as_of, arena_printf(&r->arena, "%g", x.rules->total));
	html_printf(b, "<form class=\"filters rank-filters\" method=\"get\" action=\"/assessment\"><label>年度 <select name=\"year\">");
	for (int i = 0; i < p->nyears; i++)
		html_printf(b, "<option value=\"%d\"%s>%d 年</option>", p->years[i], p->years[i] == x.year ? " selected" : "",
		            p->years[i]);
	html_printf(b, "</select></label> <label>数据截至 <input type=\"date\" name=\"as_of\" value=\"%h\"></label> "
	               "<button type=\"submit\">查看</button></form>\n",
	            x.as_of);
	html_printf(b, "<p class=\"actions\"><a class=\"button secondary\" href=\"/assessment.xlsx?year=%d&amp;as_of=%u\" "
	               "download>导出 Excel（报市考绩办）</a></p>\n",
	            x.year, x.as_of);
	if (x.warning)
		html_printf(b, "<p class=\"form-error\" role=\"alert\">%h</p>\n", x.warning);
	for (int g = -1; g < x.groups->ngroups; g++) {
		int count = 0;
		for (int i = 0; i < x.nrows; i++)
			count += x.rows[i].group == g;
		if (!count)
			continue;
		html_printf(b, "<h2>%h（%d 个）</h2>\n", g >= 0 ? x.groups->groups[g].name : "未分组", count);
		html_printf(b, "<div class=\"table-wrap cards\"><table class=\"data cards\" id=\"assess-%h\"><thead><tr>"
		               "<th scope=\"col\">区域</th><th scope=\"col\" class=\"num\">组内名次</th>"
		               "<th scope=\"col\" class=\"num\">总分</th>",
		            g >= 0 ? x.groups->groups[g].code : "none");
		for (int k = 0; k < x.nitems; k++)
			html_printf(b, "<th scope=\"col\" class=\"num wrap\">%h（%h 分）</th>", x.ind[k]->name,
			            arena_printf(&r->arena, "%g", m->items[k].points));
		html_printf(b, "<th scope=\"col\" class=\"num\">扣分</th><th scope=\"col\" class=\"num\">全市名次</th></tr></thead><tbody>");
		for (int rank = 1; rank <= x.nrows; rank++)
			for (int i = 0; i < x.nrows; i++) {
				const AppraisalRow *w = &x.rows[i];
				if (w->group != g || (g >= 0 ? w->rank_group : w->rank_all) != rank)
					continue;
				html_printf(b, "<tr data-area=\"%h\"><th scope=\"row\"><a href=\"/areas/%u\">%h</a></th>"
				               "<td class=\"num status-cell\" data-label=\"组内名次\">第 %d 名</td>"
				               "<td class=\"num score\" data-label=\"总分\"><strong>%h</strong></td>",
				            w->area->code, w->area->code, w->area->name, g >= 0 ? w->rank_group : w->rank_all,
				            num1(r, w->score));
				for (int k = 0; k < x.nitems; k++) {
					const AppraisalItem *it = &w->items[k];
					const char *detail = it->has_target
					                         ? arena_printf(&r->arena, "%s，目标 %s，完成 %s",
					                                        fmt_quantity(&r->arena, it->value, x.ind[k]->unit),
					                                        fmt_quantity(&r->arena, it->target, x.ind[k]->unit),
					                                        fmt_percent(&r->arena, it->rate))
					                         : fmt_quantity(&r->arena, it->value, x.ind[k]->unit);
					html_printf(b, "<td class=\"num\" data-label=\"%h\" title=\"%h\">%h<br><span class=\"muted small\">%h</span></td>",
					            x.ind[k]->name, detail, it->counted ? num1(r, it->earned) : "不计", detail);
				}
				Buf why = {0};
				if (w->late) {
					buf_printf(&why, "迟报漏报 %d 期（", w->late);
					for (int q = 0; q < w->late; q++)
						buf_printf(&why, "%s%s", q ? "、" : "", w->late_periods[q]);
					buf_printf(&why, "）扣 %.1f 分", w->deduct_late);
				}
				if (w->returned) {
					buf_printf(&why, "%s被退回 %d 次（", w->late ? "；" : "", w->returned);
					for (int q = 0; q < w->returned; q++)
						buf_printf(&why, "%s%s", q ? "、" : "", w->returned_periods[q]);
					buf_printf(&why, "）扣 %.1f 分", w->deduct_returned);
				}
				html_printf(b, "<td class=\"num\" data-label=\"扣分\">%h%s%h%s</td><td class=\"num minor\" data-label=\"全市名次\">%d</td></tr>",
				            w->deducted > 0 ? arena_printf(&r->arena, "−%.1f", w->deducted) : "0",
				            why.len ? "<br><span class=\"muted\">" : "", why.len ? arena_strdup(&r->arena, buf_str(&why)) : "",
				            why.len ? "</span>" : "", w->rank_all);
				buf_free(&why);
			}
		html_printf(b, "</tbody></table></div>\n");
	}
	html_printf(b, "<details class=\"method\" id=\"rules\" open><summary>考核细则</summary>");
	const char *words = appraisal_rules_zh(x.rules, p, &r->arena);
	while (*words) {
		const char *nl = strchr(words, '\n');
		size_t len = nl ? (size_t)(nl - words) : strlen(words);
		html_printf(b, "<p>%h</p>", arena_printf(&r->arena, "%.*s", (int)len, words));
		words += len + (nl ? 1 : 0);
	}
	if (m->note)
		html_printf(b, "<p>%h</p>", m->note);
	html_printf(b, "<p class=\"muted\">指标数据与六比竞赛同源（已审核的登记记录和已确认的月报）；迟报、退回取自填报记录和审计日志。</p></details>\n");
	appraisal_free(&x);
	page_end(r);
}
