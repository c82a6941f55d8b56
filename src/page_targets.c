/*
 * page_targets.c — targets and the figures behind them (the targets issue):
 *   /targets                the grid: areas as rows, plan indicators × years as
 *                           columns; the office edits it; a sum check shows,
 *                           per indicator and year, whether the areas' targets
 *                           add up to the city's, and the shortfall;
 *   /progress/{indicator}   the records behind one figure (a click on
 *                           "已新增 31.2 万㎡" lands here);
 *   /compare                all areas on one indicator: bars sorted, target marks;
 * and /api/v1/targets (GET, PUT).
 * The city's targets come from the plan file and are not edited here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "page.h"
#include "progress.h"
#include "page_records.h"
#include "session.h"

/* A target cell of the grid: key "t:indicator:scope:year". */
typedef struct Cell {
	const Indicator *ind;
	const char *scope;
	int year;
	const char *typed;  /* what the form sent */
	const char *err;
} Cell;

static const Target *target_of(const Target *t, int n, const char *ind, const char *scope, int year)
{
	for (int i = 0; i < n; i++)
		if (t[i].year == year && strcmp(t[i].indicator, ind) == 0 && strcmp(t[i].scope, scope) == 0)
			return &t[i];
	return NULL;
}

/* The one unit of the grid's column of indicator and year (fmt_column_unit):
 * from the largest of its targets, the areas' sum among them. */
static const char *grid_unit(const Plan *p, const Target *t, int n, const Indicator *in, int year)
{
	double max = 0, sum = 0;
	for (int i = 0; i < n; i++)
		if (t[i].year == year && strcmp(t[i].indicator, in->code) == 0) {
			max = fabs(t[i].value) > max ? fabs(t[i].value) : max;
			if (strcmp(t[i].scope, p->city.code) != 0)
				sum += t[i].value;
		}
	return fmt_column_unit(fabs(sum) > max ? fabs(sum) : max, in->unit);
}

/* The sum of the areas' targets for indicator and year, and how many set one. */
static double area_sum(const Plan *p, const Target *t, int n, const char *ind, int year, int *count)
{
	double sum = 0;
	*count = 0;
	for (int i = 0; i < p->nareas; i++) {
		const Target *x = target_of(t, n, ind, p->areas[i].code, year);
		if (x) {
			sum += x->value;
			(*count)++;
		}
	}
	return sum;
}

static void targets_page(Req *r, int status, Cell *cells, int ncells, int nerr, const char *notice)
{
	const Plan *p = r->plan;
	Target *t;
	int nt = store_targets(r->store, &r->arena, NULL, &t);
	if (nt < 0) {
		http_error(r, 500, "store_error", "目标数据读取失败，请稍后再试。");
		return;
	}
	int edit = r->role == ROLE_ADMIN;
	r->status = status;
	Buf *b = &r->out;
	page_begin(r, "目标分解", "targets");
	html_printf(b, "<h1>目标分解</h1><p class=\"lead\">全市目标来自规划；各镇街、功能区的分解目标（规划附件 1、2）由市专班录入。"
	               "目标为自 %h 起的累计值；留空表示未设目标。</p>\n", p->start);
	if (notice)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>\n", notice);
	html_printf(b, "<p class=\"actions\">");
	if (edit)
		html_printf(b, "<a class=\"button secondary\" href=\"/targets/import\">从 Excel 导入</a> ");
	html_printf(b, "<a class=\"button secondary\" href=\"/targets/export.xlsx\" download>导出 Excel</a> "
	               "<a class=\"button secondary\" href=\"/targets/template.xlsx\" download>下载模板</a></p>\n");
	if (nerr)
		html_printf(b, "<p class=\"form-error\" role=\"alert\">有 %d 个格子需要修改（已标红），其他内容已保留，改正后再保存。</p>\n", nerr);
	if (edit)
		html_printf(b, "<form method=\"post\" action=\"/targets\">");
	if (edit)
		form_csrf(r);
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data grid\" id=\"targets\"><thead><tr><th scope=\"col\" rowspan=\"2\">区域</th>");
	int nplan = 0;
	for (int i = 0; i < p->nindicators; i++)
		if (strcmp(p->indicators[i].kind, "plan") == 0) {
			html_printf(b, "<th scope=\"colgroup\" colspan=\"%d\">%h(%h)</th>", p->nyears, p->indicators[i].name,
			            p->indicators[i].unit);
			nplan++;
		}
	html_printf(b, "</tr><tr>");
	for (int i = 0; i < nplan; i++)
		for (int y = 0; y < p->nyears; y++)
			html_printf(b, "<th scope=\"col\" class=\"num\">%d</th>", p->years[y]);
	html_printf(b, "</tr></thead><tbody>");
	for (int a = 0; a < p->nareas; a++) {
		const Area *ar = &p->areas[a];
		html_printf(b, "<tr><th scope=\"row\"><a href=\"/areas/%u\">%h</a></th>", ar->code, ar->name);
		for (int i = 0; i < p->nindicators; i++) {
			const Indicator *in = &p->indicators[i];
			if (strcmp(in->kind, "plan") != 0)
				continue;
			for (int y = 0; y < p->nyears; y++) {
				const Target *x = target_of(t, nt, in->code, ar->code, p->years[y]);
				const Cell *c = NULL;
				for (int k = 0; k < ncells; k++)
					if (cells[k].ind == in && cells[k].year == p->years[y] && strcmp(cells[k].scope, ar->code) == 0)
						c = &cells[k];
				char num[64] = "";
				if (x)
					snprintf(num, sizeof num, "%g", x->value);
				const char *val = c && c->typed ? c->typed : num;
				if (edit)
					html_printf(b, "<td class=\"num%s\"><input name=\"t:%h:%h:%d\" value=\"%h\" inputmode=\"decimal\" "
					               "aria-label=\"%h %h %d 年目标\"%s>%s%h%s</td>",
					            c && c->err ? " has-error" : "", in->code, ar->code, p->years[y], val, ar->name, in->name,
					            p->years[y], c && c->err ? " aria-invalid=\"true\"" : "",
					            c && c->err ? "<span class=\"field-error\">" : "", c && c->err ? c->err : "",
					            c && c->err ? "</span>" : "");
				else
					html_printf(b, "<td class=\"num\">%h</td>",
					            x ? fmt_in(&r->arena, x->value, in->unit, grid_unit(p, t, nt, in, p->years[y])) : "—");
			}
		}
		html_printf(b, "</tr>");
	}
	/* The sum check. */
	const char *rows[] = {"各区域合计", "全市目标（规划）", "差额"};
	for (int row = 0; row < 3; row++) {
		html_printf(b, "<tr class=\"sum\"><th scope=\"row\">%h</th>", rows[row]);
		for (int i = 0; i < p->nindicators; i++) {
			const Indicator *in = &p->indicators[i];
			if (strcmp(in->kind, "plan") != 0)
				continue;
			for (int y = 0; y < p->nyears; y++) {
				int cnt;
				double sum = area_sum(p, t, nt, in->code, p->years[y], &cnt);
				const Target *city = target_of(t, nt, in->code, p->city.code, p->years[y]);
				const char *cu = grid_unit(p, t, nt, in, p->years[y]);
				if (row == 0)
					html_printf(b, "<td class=\"num\">%h</td>", cnt ? fmt_in(&r->arena, sum, in->unit, cu) : "—");
				else if (row == 1)
					html_printf(b, "<td class=\"num\">%h</td>", city ? fmt_in(&r->arena, city->value, in->unit, cu) : "未设");
				else if (!city)
					html_printf(b, "<td class=\"num muted\">—</td>");
				else if (sum >= city->value)
					html_printf(b, "<td class=\"num\"><span class=\"status done\">已分解完</span></td>");
				else
					html_printf(b, "<td class=\"num\" data-shortfall=\"%h-%d\"><span class=\"status at_risk\">少 %h</span></td>",
					            in->code, p->years[y], fmt_in(&r->arena, city->value - sum, in->unit, cu));
			}
		}
		html_printf(b, "</tr>");
	}
	html_printf(b, "</tbody></table></div>\n");
	if (edit)
		html_printf(b, "<p><button type=\"submit\">保存分解目标</button></p></form>\n");
	page_end(r);
}

/* WEBPAGE: GET /targets */
void page_targets(Req *r)
{
	targets_page(r, 200, NULL, 0, 0, req_query(r, "saved") ? "已保存。" : NULL);
}

/* WEBPAGE: POST /targets — the office saves the grid. */
void page_targets_post(Req *r)
{
	const Plan *p = r->plan;
	int max = p->nareas * p->nindicators * p->nyears;
	Cell *cells = arena_alloc(&r->arena, sizeof *cells * (size_t)(max + 1));
	int n = 0, nerr = 0;
	for (int a = 0; a < p->nareas; a++)
		for (int i = 0; i < p->nindicators; i++) {
			if (strcmp(p->indicators[i].kind, "plan") != 0)
				continue;
			for (int y = 0; y < p->nyears; y++) {
				char key[160];
				snprintf(key, sizeof key, "t:%s:%s:%d", p->indicators[i].code, p->areas[a].code, p->years[y]);
				const char *v = req_form(r, key);
				if (!v)
					continue;
				Cell *c = &cells[n++];
				c->ind = &p->indicators[i];
				c->scope = p->areas[a].code;
				c->year = p->years[y];
				c->typed = v;
				double d;
				int has;
				c->err = target_parse_value(v, &d, &has);
				nerr += c->err != NULL;
			}
		}
	if (nerr) {
		targets_page(r, 400, cells, n, nerr, NULL);
		return;
	}
	TargetChange *ch = arena_alloc(&r->arena, sizeof *ch * (size_t)(n + 1));
	for (int k = 0; k < n; k++) {
		ch[k] = (TargetChange){.indicator = cells[k].ind->code, .scope = cells[k].scope, .year = cells[k].year};
		target_parse_value(cells[k].typed, &ch[k].value, &ch[k].has);
	}
	Actor who = req_actor(r);
	DomResult res = targets_set(r->store, &who, ch, n);
	page_done(r, res, "/targets?saved=1");
}

/* ---- API ---- */

static json_t *target_json(const Target *t)
{
	return json_pack("{s:s,s:s,s:i,s:f,s:s,s:s?,s:s}", "indicator", t->indicator, "scope", t->scope, "year", t->year,
	                 "value", t->value, "op", t->op, "wording", t->wording, "source", t->source);
}

/* API: GET /api/v1/targets?scope=&year=&indicator= — targets and the sum check */
void api_targets(Req *r)
{
	const Plan *p = r->plan;
	const char *scope = req_query(r, "scope"), *ind = req_query(r, "indicator");
	int year; /* 0: every year */
	if (!req_query_plan_year(r, "year", 0, &year))
		return;
	Target *t;
	int nt = store_targets(r->store, &r->arena, NULL, &t);
	if (nt < 0) {
		http_error(r, 500, "store_error", "目标数据读取失败，请稍后再试。");
		return;
	}
	json_t *items = json_array(), *check = json_array();
	for (int i = 0; i < nt; i++)
		if ((!scope || strcmp(scope, t[i].scope) == 0) && (!ind || strcmp(ind, t[i].indicator) == 0) &&
		    (!year || year == t[i].year))
			json_array_append_new(items, target_json(&t[i]));
	for (int i = 0; i < p->nindicators; i++)
		for (int y = 0; y < p->nyears; y++) {
			const Target *city = target_of(t, nt, p->indicators[i].code, p->city.code, p->years[y]);
			if (!city || (ind && strcmp(ind, city->indicator)) || (year && year != city->year))
				continue;
			int cnt;
			double sum = area_sum(p, t, nt, city->indicator, city->year, &cnt);
			json_array_append_new(check, json_pack("{s:s,s:i,s:f,s:f,s:i,s:f,s:b}", "indicator", city->indicator, "year",
			                                       city->year, "city", city->value, "areas_sum", sum, "areas_with_target",
			                                       cnt, "shortfall", sum >= city->value ? 0.0 : city->value - sum,
			                                       "covered", sum >= city->value));
		}
	http_json(r, 200, json_pack("{s:o,s:o}", "items", items, "sum_check", check));
}

static void api_target_error(Req *r, size_t index, const char *field, const char *msg)
{
	http_json(r, 400, json_pack("{s:{s:s,s:s,s:I,s:s}}", "error", "code", "invalid", "field", field, "index",
	                            (json_int_t)index, "message", msg));
}

/* API: PUT /api/v1/targets {"targets":[{indicator, scope, year, value|null}]} —
 * all or nothing; value null removes a target. The city's come from the plan. */
void api_targets_put(Req *r)
{
	const Plan *p = r->plan;
	json_t *j = req_json(r);
	if (!j)
		return;
	json_t *arr = json_object_get(j, "targets");
	if (!json_is_array(arr) || json_object_size(j) != 1) {
		http_error(r, 400, "bad_body", "请求体应为 {\"targets\": [{\"indicator\",\"scope\",\"year\",\"value\"}, ...]}。");
		return;
	}
	size_t n = json_array_size(arr), i;
	TargetChange *ch = arena_alloc(&r->arena, sizeof *ch * (n + 1));
	json_t *x;
	json_array_foreach(arr, i, x) {
		json_t *yv = json_object_get(x, "year"), *vv = json_object_get(x, "value");
		ch[i] = (TargetChange){.indicator = json_string_value(json_object_get(x, "indicator")),
		                       .scope = json_string_value(json_object_get(x, "scope")),
		                       .year = json_is_integer(yv) && json_integer_value(yv) > 0 && json_integer_value(yv) < 10000
		                                   ? (int)json_integer_value(yv) : 0,
		                       .value = json_number_value(vv),
		                       .has = !json_is_null(vv)};
		const char *field, *why = !json_is_null(vv) && !json_is_number(vv)
		                              ? (field = "value", "目标应为不小于 0 的数字，或 null 表示不设目标。")
		                              : target_check(p, &ch[i], &field);
		if (why) {
			api_target_error(r, i, field, why);
			return;
		}
	}
	Actor who = req_actor(r);
	DomResult res = targets_set(r->store, &who, ch, (int)n);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return;
	}
	api_targets(r);
}

/* ---- the records behind a figure ---- */

/* WEBPAGE: GET /progress/{indicator}?area=&year=&as_of=&from= */
void page_progress_records(Req *r)
{
	const Plan *p = r->plan;
	const Indicator *in = plan_indicator(p, req_param(r, "indicator"));
	if (!in) {
		http_error(r, 404, "unknown_indicator", "没有这个指标。");
		return;
	}
	int year;
	const char *as_of;
	if (!read_year_as_of(r, &year, &as_of))
		return;
	const char *area = req_query(r, "area");
	if (area && !*area)
		area = NULL;
	if (area && (!plan_area(p, area) || strcmp(plan_area(p, area)->level, "city") == 0)) {
		http_error(r, 400, "unknown_area", "area 不是本市的区域代码。");
		return;
	}
	char dec31[24];
	snprintf(dec31, sizeof dec31, "%04d-12-31", year);
	const char *to = strcmp(as_of, dec31) < 0 ? as_of : arena_strdup(&r->arena, dec31);
	/* ?from= narrows the window to a period (the competition's figures link here) */
	const char *from;
	if (!req_query_date(r, "from", p->start, &from))
		return;
	if (strcmp(from, p->start) < 0)
		from = p->start;
	MeasureRow *rows;
	int n = store_measure_records(r->store, &r->arena, in->measure, in->level, area, from, to, &rows);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	double total = 0, most = 0;
	for (int i = 0; i < n; i++) {
		total += rows[i].value;
		most = fabs(rows[i].value) > most ? fabs(rows[i].value) : most;
	}
	const char *cu = fmt_column_unit(most, in->unit); /* the 计入 column's one unit */
	Buf *b = &r->out;
	page_begin(r, in->name, "home");
	html_printf(b, "<p class=\"crumbs\"><a href=\"%h\">%h</a> › %h</p><h1>%h:%h</h1>\n", area ? arena_printf(&r->arena, "/areas/%s", area) : "/",
	            area ? area_name(p, area) : "总览", in->name, area ? area_name(p, area) : p->city.name, in->name);
	html_printf(b, "<p class=\"lead\">%h 至 %h，已审核记录合计 <strong id=\"total\">%h</strong>。%h</p>\n", from, to,
	            fmt_quantity(&r->arena, total, in->unit), in->measure_zh ? in->measure_zh : "");
	write_year_tabs(r, arena_printf(&r->arena, "/progress/%s", in->code), year);
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"behind\"><thead><tr><th scope=\"col\">日期</th>"
	               "<th scope=\"col\">记录</th><th scope=\"col\" class=\"num\">计入</th><th scope=\"col\">说明</th></tr></thead><tbody>");
	for (int i = 0; i < n; i++) {
		int linkable = strcmp(rows[i].kind, "reports") != 0;
		html_printf(b, "<tr><td>%h</td><td>", rows[i].on);
		if (!strncmp(rows[i].kind, "reports/", 8)) { /* a figure of an accepted report: its path */
			html_printf(b, "<a href=\"/%h\">%h</a>", rows[i].kind, rows[i].name);
		} else if (linkable) {
			html_printf(b, "<a href=\"/%h/%lld\">%h</a>", rows[i].kind, rows[i].id, rows[i].name);
		} else {
			/* a report: "<area code> <period>" as "飞云街道 2022年第1季度报表" */
			const char *sp = rows[i].name ? strchr(rows[i].name, ' ') : NULL;
			const char *code = sp ? arena_printf(&r->arena, "%.*s", (int)(sp - rows[i].name), rows[i].name) : rows[i].name;
			html_printf(b, "%h %h报表", area_name(p, code), sp ? fmt_period(&r->arena, sp + 1) : "");
		}
		html_printf(b, "</td><td class=\"num\">%h</td><td>%h</td></tr>", fmt_in(&r->arena, rows[i].value, in->unit, cu),
		            fmt_note(&r->arena, rows[i].note));
	}
	html_printf(b, "</tbody></table></div>\n");
	page_end(r);
}

/* ---- comparison of the areas ---- */

/* WEBPAGE: GET /compare?indicator=&year=&as_of= — all areas on one indicator */
void page_compare(Req *r)
{
	const Plan *p = r->plan;
	const char *code = req_query(r, "indicator");
	const Indicator *in = plan_indicator(p, code && *code ? code : "area_added");
	if (!in) {
		http_error(r, 400, "unknown_indicator", "indicator 不是规划中的指标代码。");
		return;
	}
	int year;
	const char *as_of;
	if (!read_year_as_of(r, &year, &as_of))
		return;
	ChartBar *bars = arena_alloc(&r->arena, sizeof *bars * (size_t)p->nareas);
	for (int a = 0; a < p->nareas; a++) {
		Progress *g;
		int n = progress_compute(r->store, p, &r->arena, p->areas[a].code, year, as_of, in->kind, &g);
		if (n < 0) {
			http_error(r, 500, "store_error", "统计数据读取失败，请稍后再试。");
			return;
		}
		bars[a].label = p->areas[a].name;
		bars[a].href = arena_printf(&r->arena, "/areas/%s?year=%d", p->areas[a].code, year);
		for (int i = 0; i < n; i++)
			if (g[i].ind == in || strcmp(g[i].ind->code, in->code) == 0) {
				bars[a].value = g[i].actual;
				bars[a].has_mark = g[i].has_target;
				bars[a].mark = g[i].target;
				bars[a].status = g[i].has_target ? progress_status_code(g[i].status) : NULL;
				bars[a].status_zh = progress_status_zh(g[i].status);
			}
	}
	chart_sort_bars_by_ratio(bars, p->nareas); /* a ranking: by completion rate */
	Buf *b = &r->out;
	page_begin(r, "区域比较", "compare");
	html_printf(b, "<h1>区域比较</h1><form method=\"get\" action=\"/compare\" class=\"filters\"><div class=\"field\">"
	               "<label for=\"f-indicator\">指标</label><select id=\"f-indicator\" name=\"indicator\">");
	for (int i = 0; i < p->nindicators; i++)
		html_printf(b, "<option value=\"%h\"%s>%h</option>", p->indicators[i].code, &p->indicators[i] == in ? " selected" : "",
		            p->indicators[i].name);
	html_printf(b, "</select></div><div class=\"field\"><label for=\"f-year\">年度</label><select id=\"f-year\" name=\"year\">");
	for (int y = 0; y < p->nyears; y++)
		html_printf(b, "<option value=\"%d\"%s>%d</option>", p->years[y], p->years[y] == year ? " selected" : "", p->years[y]);
	html_printf(b, "</select></div><button type=\"submit\">比较</button></form>\n"
	               "<p class=\"lead\">%h，截至 %d 年（数据日期 %h）各区域累计完成；竖线为该区域目标。点击区域查看详情。</p>\n",
	            in->name, year, as_of);
	ChartBars ch = {arena_printf(&r->arena, "各区域%s", in->name), in->unit, bars, p->nareas};
	html_printf(b, "<figure class=\"chart-box\">");
	chart_bars(b, &ch);
	/* The table in the chart's order: status first after the name, then the rate it is ranked by. */
	html_printf(b, "</figure>\n<div class=\"table-wrap\"><table class=\"data\" id=\"compare\"><thead><tr><th scope=\"col\">区域</th>"
	               "<th scope=\"col\">状态</th><th scope=\"col\" class=\"num\">完成率</th><th scope=\"col\" class=\"num\">完成</th>"
	               "<th scope=\"col\" class=\"num\">目标</th></tr></thead><tbody>");
	/* 完成 and 目标 in one unit, the chart's (chart_bars_unit) */
	const char *cu = chart_bars_unit(&ch);
	for (int a = 0; a < p->nareas; a++) {
		html_printf(b, "<tr><th scope=\"row\"><a href=\"%h\">%h</a></th>", bars[a].href, bars[a].label);
		if (bars[a].status)
			html_printf(b, "<td><span class=\"status %h\">%h</span></td>", bars[a].status, bars[a].status_zh);
		else
			html_printf(b, "<td class=\"muted\">未分解目标</td>");
		html_printf(b, "<td class=\"num rate\">%h</td><td class=\"num\">%h</td><td class=\"num\">%h</td></tr>",
		            bars[a].has_mark && bars[a].mark > 0 ? fmt_percent(&r->arena, bars[a].value / bars[a].mark) : "—",
		            fmt_in(&r->arena, bars[a].value, in->unit, cu),
		            bars[a].has_mark ? fmt_in(&r->arena, bars[a].mark, in->unit, cu) : "—");
	}
	html_printf(b, "</tbody></table></div>\n");
	page_end(r);
}
