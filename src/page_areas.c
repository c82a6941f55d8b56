/*
 * page_areas.c — 区域: the areas of the city with their group, focus and
 * block (三(一)), and one area's page with its bases and figures.
 */
#include <stdio.h>
#include <string.h>

#include "page.h"
#include "page_parts.h"
#include "progress.h"
#include "page_records.h"
#include "session.h"

/* WEBPAGE: /areas — every area, grouped as the plan groups them. */
void page_areas(Req *r)
{
	const Plan *p = r->plan;
	AreaStat *st;
	int ns = store_area_stats(r->store, &r->arena, &st);
	if (ns < 0) {
		http_error(r, 500, "store_error", "区域数据读取失败，请稍后再试。");
		return;
	}
	Buf *b = &r->out;
	page_begin(r, "区域", "areas");
	html_printf(b, "<h1>区域</h1>\n<p class=\"lead\">%h下辖 %d 个功能区、街道和镇，按规划“三（一）统筹布局孵化集群”分为 %d 组，"
	               "各有定位与所属区块。</p>\n",
	            p->city.name, p->nareas, p->ngroups);
	for (int g = 0; g < p->ngroups; g++) {
		const AreaGroup *grp = &p->groups[g];
		html_printf(b, "<section class=\"group\" id=\"group-%h\"><h2>%h</h2>\n"
		               "<p><span class=\"label\">定位</span>%h</p><p><span class=\"label\">区块</span>%h</p>\n",
		            grp->code, grp->name, grp->focus ? grp->focus : "", grp->block ? grp->block : "");
		html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">区域</th>"
		               "<th scope=\"col\" class=\"num\">孵化基地</th><th scope=\"col\" class=\"num\">已审核场地面积</th>"
		               "</tr></thead><tbody>");
		double most = 0; /* the 场地面积 column's one unit */
		for (int i = 0; i < p->nareas; i++)
			for (int k = 0; k < ns; k++)
				if (p->areas[i].group && !strcmp(p->areas[i].group, grp->code) && !strcmp(st[k].area, p->areas[i].code))
					most = st[k].total_area_m2 > most ? st[k].total_area_m2 : most;
		const char *cu = fmt_column_unit(most, "㎡");
		for (int i = 0; i < p->nareas; i++) {
			const Area *a = &p->areas[i];
			if (!a->group || strcmp(a->group, grp->code) != 0)
				continue;
			const AreaStat *x = NULL;
			for (int k = 0; k < ns; k++)
				if (strcmp(st[k].area, a->code) == 0)
					x = &st[k];
			html_printf(b, "<tr><th scope=\"row\"><a href=\"/areas/%u\">%h</a>%s%h%s</th>"
			               "<td class=\"num\">%d</td><td class=\"num\">%h</td></tr>",
			            a->code, a->name, a->note ? " <small class=\"muted\">" : "", a->note ? a->note : "",
			            a->note ? "</small>" : "", x ? x->bases : 0,
			            fmt_in(&r->arena, x ? x->total_area_m2 : 0, "㎡", cu));
		}
		html_printf(b, "</tbody></table></div></section>\n");
	}
	page_end(r);
}

/* "national:2024-11-15,provincial:2023-06-30" → "国家级(2024-11-15)、省级(2023-06-30)" */
static const char *levels_zh(Req *r, const char *levels)
{
	if (!levels || !*levels)
		return "—";
	Buf out = {0};
	char *copy = arena_strdup(&r->arena, levels), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		if (colon)
			*colon = 0;
		if (out.len)
			buf_puts(&out, "、");
		buf_printf(&out, "%s(%s)", vocab_name(r->plan, "base_level", tok), colon ? colon + 1 : "");
	}
	const char *s = arena_strdup(&r->arena, buf_str(&out));
	buf_free(&out);
	return s;
}

/* WEBPAGE: /areas/{code} — one area: focus, figures, bases. */
void page_area(Req *r)
{
	const Plan *p = r->plan;
	const Area *a = plan_area(p, req_param(r, "code"));
	if (!a || strcmp(a->level, "city") == 0) {
		http_error(r, 404, "unknown_area", "没有这个区域，请从区域列表中选择。");
		return;
	}
	int year;
	const char *as_of;
	if (!read_year_as_of(r, &year, &as_of))
		return;
	/* figures and bases of the area and the areas under it (and the plan,
	 * targets, operators: in no area): kept while another area changes */
	req_depends_on_area(r, a->code);
	/* The same for every reader who sees the area as much: kept for all
	 * sessions while neither the area nor what is in no area changes. */
	int full = req_sees_area_fully(r, a->code);
	Buf *b = &r->out;
	page_begin(r, a->name, "areas");
	PagePart part;
	if (page_part_begin(r, &part, a->code, "area|%s|%d|%s|%d", a->code, year, as_of, full)) {
		page_end(r);
		return;
	}
	Progress *g;
	int n = progress_compute(r->store, p, &r->arena, a->code, year, as_of, NULL, &g);
	Base *bases;
	int nb = store_bases(r->store, &r->arena, a->code, &bases);
	if (n < 0 || nb < 0) {
		http_error(r, 500, "store_error", "区域数据读取失败，请稍后再试。");
		return;
	}
	/* Records waiting for review are shown only to those who see the area in full. */
	if (!full) {
		int k = 0;
		for (int i = 0; i < nb; i++)
			if (strcmp(bases[i].review_status, "approved") == 0)
				bases[k++] = bases[i];
		nb = k;
	}
	const AreaGroup *grp = NULL;
	for (int i = 0; i < p->ngroups; i++)
		if (a->group && strcmp(p->groups[i].code, a->group) == 0)
			grp = &p->groups[i];
	html_printf(b, "<p class=\"crumbs\"><a href=\"/areas\">区域</a> › %h</p>\n<h1>%h</h1>\n", a->name, a->name);
	if (grp)
		html_printf(b, "<dl class=\"facts\"><dt>分组</dt><dd>%h</dd><dt>定位</dt><dd>%h</dd><dt>区块</dt><dd>%h</dd></dl>\n",
		            grp->name, grp->focus ? grp->focus : "", grp->block ? grp->block : "");
	if (a->note)
		html_printf(b, "<p class=\"muted\">%h</p>\n", a->note);

	char url[160];
	Buf esc = {0};
	url_escape(&esc, a->code);
	snprintf(url, sizeof url, "/areas/%s", buf_str(&esc));
	buf_free(&esc);
	write_year_tabs(r, url, year);
	html_printf(b, "<h2>累计完成（截至 %d 年，数据日期 %h）</h2>\n", year, as_of);
	int any_target = 0;
	for (int i = 0; i < n; i++)
		any_target |= g[i].has_target;
	write_progress_table(r, g, n, any_target, a->code);
	if (!any_target)
		html_printf(b, "<p class=\"muted\">本区域尚未分解目标（规划附件 1、2 的分解表由市专班在<a href=\"/targets\">目标分解</a>中录入）。</p>\n");

	html_printf(b, "<h2>孵化基地（%d）</h2>\n", nb);
	if (nb == 0) {
		html_printf(b, "<p class=\"muted\">本区域暂无登记的孵化基地。</p>\n");
	} else {
		html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"bases\"><thead><tr>"
		               "<th scope=\"col\">名称</th><th scope=\"col\">类型</th><th scope=\"col\">主导产业</th>"
		               "<th scope=\"col\">开业</th><th scope=\"col\" class=\"num\">总面积</th>"
		               "<th scope=\"col\" class=\"num\">孵化面积</th><th scope=\"col\">运营机构</th>"
		               "<th scope=\"col\">认定</th><th scope=\"col\">审核</th></tr></thead><tbody>");
		double most_total = 0, most_inc = 0; /* one unit per column */
		for (int i = 0; i < nb; i++) {
			most_total = bases[i].total_area_m2 > most_total ? bases[i].total_area_m2 : most_total;
			most_inc = bases[i].incubation_area_m2 > most_inc ? bases[i].incubation_area_m2 : most_inc;
		}
		const char *cu_total = fmt_column_unit(most_total, "㎡"), *cu_inc = fmt_column_unit(most_inc, "㎡");
		for (int i = 0; i < nb; i++) {
			const Base *x = &bases[i];
			html_printf(b, "<tr><th scope=\"row\"><a href=\"/bases/%lld\">%h</a></th><td>%h</td><td>%h</td><td>%h</td>"
			               "<td class=\"num\">%h</td><td class=\"num\">%h</td><td>%h</td><td>%h</td>"
			               "<td><span class=\"review %h\">%h</span></td></tr>",
			            x->id, x->name, vocab_name(p, "base_kind", x->kind), x->leading_industry ? x->leading_industry : "—",
			            x->opened_on ? x->opened_on : "—", fmt_in(&r->arena, x->total_area_m2, "㎡", cu_total),
			            fmt_in(&r->arena, x->incubation_area_m2, "㎡", cu_inc),
			            x->operator_name ? x->operator_name : "—", levels_zh(r, x->levels), x->review_status,
			            review_status_zh(x->review_status));
		}
		html_printf(b, "</tbody></table></div>\n");
	}
	page_part_end(r, &part);
	page_end(r);
}
