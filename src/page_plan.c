/*
 * page_plan.c — 规划与标准: the plan's targets as it states them, the
 * 七个一 standard with each threshold read from its wording, the layout,
 * the code lists, and the work items with their responsible units.
 */
#include <string.h>

#include "page.h"

/* "≥ 50,000 ㎡" from a rule's op, threshold and unit. */
static const char *rule_threshold(Req *r, const Rule *ru)
{
	if (!ru->has_threshold)
		return "由评审人判定";
	const char *op = strcmp(ru->op, ">=") == 0 ? "≥" : strcmp(ru->op, ">") == 0 ? ">"
	               : strcmp(ru->op, "<=") == 0 ? "≤" : strcmp(ru->op, "<") == 0 ? "<" : "=";
	if (ru->unit && strcmp(ru->unit, "%") == 0)
		return arena_printf(&r->arena, "%s %s", op, fmt_percent(&r->arena, ru->threshold));
	if (ru->unit && strcmp(ru->unit, "是/否") == 0)
		return ru->threshold >= 1 ? "须具备" : "不具备";
	return arena_printf(&r->arena, "%s %s", op, fmt_quantity(&r->arena, ru->threshold, ru->unit));
}

static const char *op_reading(const char *op)
{
	if (!op)
		return "";
	if (strcmp(op, ">=") == 0)
		return "含本数（以上/达到）";
	if (strcmp(op, ">") == 0)
		return "不含本数（超/超过）";
	return "";
}

static void write_vocab(Req *r, const char *list, const char *title)
{
	const Plan *p = r->plan;
	html_printf(&r->out, "<h3>%h</h3><ul class=\"chips\">", title);
	for (int i = 0; i < p->nvocab; i++)
		if (strcmp(p->vocab[i].list, list) == 0)
			html_printf(&r->out, "<li>%h</li>", p->vocab[i].name);
	html_printf(&r->out, "</ul>\n");
}

/* WEBPAGE: /plan — the plan and the standards. */
void page_plan(Req *r)
{
	const Plan *p = r->plan;
	Target *t;
	int nt = store_targets(r->store, &r->arena, p->city.code, &t);
	if (nt < 0) {
		http_error(r, 500, "store_error", "规划数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "规划与标准", "plan");
	html_printf(b, "<h1>%h</h1>\n<p class=\"lead\">%h · 印发 %h · 统计起点 %h</p>\n", p->name,
	            p->document ? p->document : "", p->issued_on ? p->issued_on : "", p->start);

	html_printf(b, "<h2 id=\"targets\">主要目标（全市，累计）</h2>\n<div class=\"table-wrap\"><table class=\"data\">"
	               "<thead><tr><th scope=\"col\">指标</th>");
	for (int k = 0; k < p->nyears; k++)
		html_printf(b, "<th scope=\"col\" class=\"num\">到 %d 年底</th>", p->years[k]);
	html_printf(b, "</tr></thead><tbody>");
	for (int i = 0; i < p->nindicators; i++) {
		const Indicator *in = &p->indicators[i];
		if (strcmp(in->kind, "plan") != 0)
			continue;
		html_printf(b, "<tr><th scope=\"row\">%h<br><small class=\"muted\">%h</small></th>", in->name,
		            in->measure_zh ? in->measure_zh : "");
		for (int k = 0; k < p->nyears; k++) {
			const Target *hit = NULL;
			for (int j = 0; j < nt; j++)
				if (t[j].year == p->years[k] && strcmp(t[j].indicator, in->code) == 0)
					hit = &t[j];
			if (hit)
				html_printf(b, "<td class=\"num\">%s %h<br><small class=\"muted\">“%h”</small></td>",
				            strcmp(hit->op, ">") == 0 ? "&gt;" : "≥", fmt_quantity(&r->arena, hit->value, in->unit),
				            hit->wording ? hit->wording : "");
			else
				html_printf(b, "<td class=\"num muted\">规划未提出</td>");
		}
		html_printf(b, "</tr>");
	}
	html_printf(b, "</tbody></table></div>\n<p class=\"muted\">“以上”含本数，“超”不含本数；规划未提出的目标不计为 0。"
	               "附件 1、2（目标分解表）与附件 3（部门任务清单）原文缺失，需由市专班录入。</p>\n");

	html_printf(b, "<h2 id=\"race\">“六比竞赛”指标</h2>\n<ol>");
	for (int i = 0; i < p->nindicators; i++)
		if (strcmp(p->indicators[i].kind, "competition") == 0)
			html_printf(b, "<li><strong>%h</strong>(%h):%h</li>", p->indicators[i].name, p->indicators[i].unit,
			            p->indicators[i].measure_zh ? p->indicators[i].measure_zh : "");
	html_printf(b, "</ol>\n<p>每个指标和每条认定规则的出处（文件、条款、日期、原文或转述）见<a href=\"/sources\">标准出处</a>。</p>\n");

	for (int s = 0; s < p->nrule_sets; s++) {
		const RuleSet *rs = &p->rule_sets[s];
		html_printf(b, "<h2 id=\"rules-%h\">%h</h2>\n<p class=\"muted\">来源：%h %h</p>\n"
		               "<div class=\"table-wrap\"><table class=\"data rules\"><thead><tr><th scope=\"col\">条</th>"
		               "<th scope=\"col\">要求</th><th scope=\"col\">原文</th><th scope=\"col\">门槛</th>"
		               "<th scope=\"col\">读法</th></tr></thead><tbody>",
		            rs->code, rs->name, rs->source ? rs->source : "", rs->citation ? rs->citation : "");
		for (int i = 0; i < rs->nrules; i++) {
			const Rule *ru = &rs->rules[i];
			html_printf(b, "<tr data-rule=\"%h\"><td>%d</td><td>%h</td><td>“%h”</td><td class=\"threshold\">%h</td><td>%h</td></tr>",
			            ru->id, ru->item, ru->text, ru->wording ? ru->wording : "", rule_threshold(r, ru),
			            op_reading(ru->op));
		}
		html_printf(b, "</tbody></table></div>\n");
	}

	html_printf(b, "<h2 id=\"layout\">空间布局“一芯两群三带五区”</h2>\n<ul class=\"chips\">");
	for (int i = 0; i < p->nlayout_units; i++)
		html_printf(b, "<li>%h</li>", p->layout_units[i].name);
	html_printf(b, "</ul>\n<h2 id=\"lists\">分类与代码</h2>\n");
	write_vocab(r, "base_kind", "孵化基地类型");
	write_vocab(r, "base_level", "认定级别");
	write_vocab(r, "space_source", "空间来源");
	write_vocab(r, "facility", "功能配套");
	write_vocab(r, "operator_capability", "运营机构“五种能力”");
	write_vocab(r, "fund_kind", "基金类型");

	html_printf(b, "<h2 id=\"work\">重点工作与责任单位</h2>\n");
	for (int i = 0; i < p->nwork_items; i++) {
		const WorkItem *w = &p->work_items[i];
		html_printf(b, "<section class=\"work\"><h3>%h %h</h3><p>%h</p><p><span class=\"label\">责任单位</span>",
		            w->no ? w->no : "", w->title, w->summary ? w->summary : "");
		for (int k = 0; k < w->nunits; k++)
			html_printf(b, "%s%h", k ? "、" : "", department_name(p, w->units[k]));
		html_printf(b, "</p></section>\n");
	}
	page_end(r);
}
