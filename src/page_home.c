/*
 * page_home.c — 总览, the overview: the plan's yearly targets against what
 * the approved records add up to, as tables and a chart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "page.h"
#include "page_parts.h"
#include "progress.h"

/* Reads ?year= and ?as_of=, answering 400 itself when one is bad.
 * Returns 0 when the request has been answered. Shared with the API. */
int read_year_as_of(Req *r, int *year, const char **as_of)
{
	char today[11];
	date_today(today);
	if (!req_query_date(r, "as_of", arena_strdup(&r->arena, today), as_of) ||
	    !req_query_plan_year(r, "year", progress_default_year(r->plan, *as_of), year))
		return 0;
	r->as_of = *as_of; /* the print frame's 数据截至 */
	return 1;
}

static const char *status_class(ProgressStatus st)
{
	return progress_status_code(st);
}

/* The table of one year's figures for a scope. */
void write_progress_table(Req *r, const Progress *g, int n, int show_targets, const char *scope_area)
{
	Buf *b = &r->out;
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">指标</th>");
	if (show_targets)
		html_printf(b, "<th scope=\"col\" class=\"num\">目标</th>");
	html_printf(b, "<th scope=\"col\" class=\"num\">实际</th>");
	if (show_targets)
		html_printf(b, "<th scope=\"col\" class=\"num\">完成率</th><th scope=\"col\" class=\"num minor\">应达进度</th>"
		               "<th scope=\"col\">状态</th><th scope=\"col\" class=\"num minor\">年底预计</th>");
	html_printf(b, "</tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		const Progress *x = &g[i];
		html_printf(b, "<tr data-indicator=\"%h\"><th scope=\"row\">%h</th>", x->ind->code, x->ind->name);
		if (show_targets) {
			if (x->has_target)
				html_printf(b, "<td class=\"num\" title=\"%h\">%h</td>", x->wording ? x->wording : "",
				            fmt_quantity(&r->arena, x->target, x->ind->unit));
			else
				html_printf(b, "<td class=\"num muted\">—</td>");
		}
		/* Every figure opens the records behind it. */
		Buf link = {0};
		html_printf(&link, "/progress/%u?year=%d&as_of=%u%s%u", x->ind->code, x->year, x->to, scope_area ? "&area=" : "",
		            scope_area ? scope_area : "");
		html_printf(b, "<td class=\"num actual\"><a href=\"%h\">%h</a></td>", buf_str(&link),
		            fmt_quantity(&r->arena, x->actual, x->ind->unit));
		buf_free(&link);
		if (show_targets) {
			if (x->has_target)
				html_printf(b, "<td class=\"num\">%h</td><td class=\"num\">%h</td>",
				            fmt_percent(&r->arena, x->ratio), fmt_quantity(&r->arena, x->expected, x->ind->unit));
			else
				html_printf(b, "<td class=\"num muted\">—</td><td class=\"num muted\">—</td>");
			html_printf(b, "<td><span class=\"status %h\">%h</span></td>", status_class(x->status),
			            progress_status_zh(x->status));
			if (x->has_forecast)
				html_printf(b, "<td class=\"num forecast\">%h</td>", fmt_quantity(&r->arena, x->forecast, x->ind->unit));
			else
				html_printf(b, "<td class=\"num muted\">—</td>");
		}
		html_printf(b, "</tr>");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* Links to the plan years, the current one marked. */
void write_year_tabs(Req *r, const char *base_url, int year)
{
	html_printf(&r->out, "<nav class=\"tabs\" aria-label=\"年度\">");
	for (int i = 0; i < r->plan->nyears; i++) {
		int y = r->plan->years[i];
		html_printf(&r->out, "<a href=\"%h?year=%d\"%s>%d 年</a>", base_url, y,
		            y == year ? " aria-current=\"true\"" : "", y);
	}
	html_printf(&r->out, "</nav>\n");
}

/* WEBPAGE: / — the overview. */
void page_home(Req *r)
{
	int year;
	const char *as_of;
	if (!read_year_as_of(r, &year, &as_of))
		return;
	const Plan *p = r->plan;
	Buf *b = &r->out;
	page_begin(r, "总览", "home");
	/* Everything below the frame is the same for every reader: kept once
	 * for all sessions until any change (page_parts.h). */
	PagePart part;
	if (page_part_begin(r, &part, NULL, "home|%d|%s", year, as_of)) {
		page_end(r);
		return;
	}
	/* Every plan year, for the chart and the year-by-year table; the chosen
	 * year's figures are one of them. */
	int ny = p->nyears, ncat = 0;
	const char **series = arena_alloc(&r->arena, sizeof *series * (size_t)ny);
	Progress **per_year = arena_alloc(&r->arena, sizeof *per_year * (size_t)ny);
	Progress *g = NULL;
	for (int k = 0; k < ny; k++) {
		series[k] = arena_printf(&r->arena, "%d", p->years[k]);
		ncat = progress_compute(r->store, p, &r->arena, p->city.code, p->years[k], as_of, "plan", &per_year[k]);
		if (ncat < 0) {
			http_error(r, 500, "store_error", "统计数据读取失败，请稍后再试。");
			return;
		}
		if (p->years[k] == year)
			g = per_year[k];
	}
	html_printf(b, "<p class=\"no-print actions\"><button type=\"button\" class=\"print-page secondary\">打印本页</button></p>\n");
	html_printf(b, "<h1>%h大孵化集群 · 总览</h1>\n<p class=\"lead\">%h（%h）。数据截至 <time>%h</time>,"
	               "累计自 %h 起，仅统计已审核通过的记录。</p>\n",
	            p->city.name, p->name, p->document ? p->document : "", as_of, p->start);
	write_year_tabs(r, "/", year);
	html_printf(b, "<h2>%d 年度目标完成情况</h2>\n", year);
	write_progress_table(r, g, g ? ncat : 0, 1, NULL);

	const char **cats = arena_alloc(&r->arena, sizeof *cats * (size_t)(ncat + 1));
	double *ratios = arena_alloc(&r->arena, sizeof *ratios * (size_t)(ncat * ny + 1));
	for (int i = 0; i < ncat; i++) {
		cats[i] = per_year[0][i].ind->name;
		for (int k = 0; k < ny; k++)
			ratios[i * ny + k] = per_year[k][i].has_target ? per_year[k][i].ratio : -1;
	}
	html_printf(b, "<h2>逐年完成率</h2>\n<figure class=\"chart-box\">");
	ChartRatios ch = {"各指标逐年目标完成率", cats, ncat, series, ny, ratios};
	chart_ratio_bars(b, &ch);
	html_printf(b, "<figcaption>每条表示截至该年年底（或截至 %h）累计完成量占该年累计目标的比例；虚线为 100%%。</figcaption></figure>\n",
	            as_of);

	/* The monthly lines: actual (solid) against what the targets expected (dashed). */
	html_printf(b, "<h2>逐月累计</h2>\n<p class=\"muted\">实线为累计完成，虚线为按目标应达到的进度。</p><div class=\"lines\">");
	for (int i = 0; i < p->nindicators; i++) {
		const Indicator *in = &p->indicators[i];
		if (strcmp(in->kind, "plan") != 0)
			continue;
		SeriesPoint *pt;
		int np = progress_series(r->store, p, &r->arena, p->city.code, in, as_of, &pt);
		if (np < 0)
			part.keep = 0; /* shown without the line this time, never kept so */
		if (np <= 0)
			continue;
		const char **dates = arena_alloc(&r->arena, sizeof *dates * (size_t)np);
		double *act = arena_alloc(&r->arena, sizeof *act * (size_t)np), *exp = arena_alloc(&r->arena, sizeof *exp * (size_t)np);
		for (int k = 0; k < np; k++) {
			dates[k] = pt[k].date;
			act[k] = pt[k].actual;
			exp[k] = pt[k].expected;
		}
		html_printf(b, "<figure class=\"chart-box small\"><figcaption>%h(%h)</figcaption>", in->name, in->unit);
		ChartLine line = {arena_printf(&r->arena, "%s逐月累计", in->name), in->unit, np, dates, act, pt[0].has_expected ? exp : NULL};
		chart_line(b, &line);
		html_printf(b, "</figure>");
	}
	html_printf(b, "</div>\n");

	html_printf(b, "<h2>规划目标与累计完成</h2>\n<div class=\"table-wrap\"><table class=\"data\" id=\"years\">"
	               "<thead><tr><th scope=\"col\">指标</th>");
	for (int k = 0; k < ny; k++)
		html_printf(b, "<th scope=\"col\" class=\"num\">%d 年目标</th><th scope=\"col\" class=\"num\">%d 年完成</th>",
		            p->years[k], p->years[k]);
	html_printf(b, "</tr></thead><tbody>");
	for (int i = 0; i < ncat; i++) {
		html_printf(b, "<tr><th scope=\"row\">%h</th>", cats[i]);
		for (int k = 0; k < ny; k++) {
			const Progress *x = &per_year[k][i];
			if (x->has_target)
				html_printf(b, "<td class=\"num\" title=\"%h\">%h</td>", x->wording ? x->wording : "",
				            fmt_quantity(&r->arena, x->target, x->ind->unit));
			else
				html_printf(b, "<td class=\"num muted\" title=\"规划未提出该年目标\">未设</td>");
			html_printf(b, "<td class=\"num\"><span class=\"status %h\">%h</span></td>",
			            x->has_target ? status_class(x->status) : "no_target",
			            fmt_quantity(&r->arena, x->actual, x->ind->unit));
		}
		html_printf(b, "</tr>");
	}
	html_printf(b, "</tbody></table></div>\n");

	Progress *race;
	int nr = progress_compute(r->store, p, &r->arena, p->city.code, year, as_of, "competition", &race);
	if (nr < 0)
		part.keep = 0;
	if (nr > 0) {
		html_printf(b, "<h2>“六比竞赛”指标（全市累计，截至 %d 年）</h2>\n", year);
		write_progress_table(r, race, nr, 0, NULL);
		html_printf(b, "<p><a href=\"/compare?year=%d\">各区域比较 →</a> <a href=\"/areas\">区域列表 →</a></p>\n", year);
	}
	page_part_end(r, &part);
	page_end(r);
}
