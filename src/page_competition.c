/*
 * page_competition.c — the 六比竞赛 for people and programs:
 *   /competition              the ranking, phone first for leaders: one card
 *                             per area (rank, arrow for the change since the
 *                             previous period, score, the six figures each
 *                             opening its records), level or progress
 *                             ranking, per group (功能区, 镇街) or all; the
 *                             city's six figures; the method in words;
 *   /api/v1/competition       the same as JSON (competition_json);
 *   /competition.xlsx         the ranking as a workbook (a sheet per group, one of all);
 * and the 工作台 row of an area (its rank this month).
 * The computation is competition.c's; this file reads the query and renders.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "competition.h"
#include "page.h"
#include "page_kept.h"
#include "workbench.h"
#include "xlsx_write.h"

/* The latest complete month of the plan as of as_of (the month before
 * as_of's, unless as_of is a month's last day or past the plan); the
 * plan's first month when none is complete yet. In a. */
static const char *default_period(const Plan *p, const char *as_of, Arena *a)
{
	char end[32];
	snprintf(end, sizeof end, "%04d-12-31", p->years[p->nyears - 1]);
	if (strcmp(as_of, end) >= 0)
		return arena_printf(a, "%.7s", end);
	int y = digits_value(as_of, 4), m = digits_value(as_of + 5, 2);
	char next[32], last[11];
	snprintf(next, sizeof next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	date_from_days(date_days(next) - 1, last);
	if (strcmp(as_of, last) != 0) { /* the month before */
		y = m == 1 ? y - 1 : y;
		m = m == 1 ? 12 : m - 1;
	}
	const char *key = arena_printf(a, "%04d-%02d", y, m);
	if (strcmp(arena_printf(a, "%s-31", key), p->start) < 0)
		return arena_printf(a, "%.7s", p->start);
	return key;
}

/* Reads ?period= and ?as_of= (answers 400 itself and returns 0 when bad)
 * and computes. 1 with *c filled (the caller frees it), 0 answered. */
static int compute(Req *r, Competition *c)
{
	char today[11];
	date_today(today);
	const char *as_of, *period = req_query(r, "period");
	if (!req_query_date(r, "as_of", today, &as_of))
		return 0;
	if (!period || !*period)
		period = default_period(r->plan, as_of, &r->arena);
	DomResult res = competition_compute(r->store, r->plan, period, as_of, c);
	if (!dom_done(res)) {
		competition_free(c);
		page_refuse(r, res);
		return 0;
	}
	return 1;
}

/* The same from the figures kept on the connection (competition_kept):
 * *c valid until the next call on r's store, not freed. 1 with *c and
 * *gen set, 0 answered. */
static int compute_kept(Req *r, const Competition **c, unsigned long long *gen)
{
	char today[11];
	date_today(today);
	const char *as_of, *period = req_query(r, "period");
	if (!req_query_date(r, "as_of", today, &as_of))
		return 0;
	if (!period || !*period)
		period = default_period(r->plan, as_of, &r->arena);
	DomResult res = competition_kept(r->store, r->plan, period, as_of, c, gen);
	if (!dom_done(res)) {
		page_refuse(r, res);
		return 0;
	}
	return 1;
}

/* WEBPAGE: GET /api/v1/competition?period=&as_of= */
void api_competition(Req *r)
{
	const Competition *c;
	unsigned long long gen;
	if (!compute_kept(r, &c, &gen))
		return;
	http_json(r, 200, competition_json(c));
}

/* ---- the page ---- */

/* The arrow of a rank change: up, down, level, or no previous period. */
static void write_move(Req *r, int has_prev, int change)
{
	Buf *b = &r->out;
	if (!has_prev)
		html_printf(b, "<span class=\"move none\" title=\"上期无排名\">新</span>");
	else if (change > 0)
		html_printf(b, "<span class=\"move up\" title=\"比上期上升 %d 位\">↑%d</span>", change, change);
	else if (change < 0)
		html_printf(b, "<span class=\"move down\" title=\"比上期下降 %d 位\">↓%d</span>", -change, -change);
	else
		html_printf(b, "<span class=\"move same\" title=\"与上期持平\">→</span>");
}

/* The records behind a figure over the period's window. */
static const char *records_href(Req *r, const Competition *c, const Indicator *in, const char *area)
{
	return arena_printf(&r->arena, "/progress/%s?year=%.4s&from=%s&as_of=%s%s%s", in->code, c->period.to, c->period.from,
	                    c->period.to, area ? "&area=" : "", area ? area : "");
}

static int can_open_records(const Req *r)
{
	return r->role == ROLE_ADMIN || r->role == ROLE_VIEWER || r->role == ROLE_AREA || r->role == ROLE_DEPARTMENT;
}

/* One figure: its value (a link to its records), target, completion, rank. */
static void write_cell(Req *r, const Competition *c, int k, const CompCell *cl, const char *area, int all)
{
	Buf *b = &r->out;
	const Indicator *in = c->ind[k];
	const CompItem *it = &c->method->items[k];
	html_printf(b, "<li><span class=\"ind\">%h</span> ", in->name);
	if (can_open_records(r))
		html_printf(b, "<a class=\"fig\" href=\"%h\">%h</a>", records_href(r, c, in, area),
		            fmt_quantity(&r->arena, cl->value, in->unit));
	else
		html_printf(b, "<span class=\"fig\">%h</span>", fmt_quantity(&r->arena, cl->value, in->unit));
	if (cl->has_target)
		html_printf(b, "<span class=\"muted\">，目标 %h，完成 %h</span>", fmt_quantity(&r->arena, cl->target, in->unit),
		            fmt_percent(&r->arena, cl->rate));
	else if (strcmp(it->by, "completion") == 0)
		html_printf(b, "<span class=\"muted\">，无目标</span>");
	int rank = all ? cl->rank_all : cl->rank_group;
	if (area && rank)
		html_printf(b, "<span class=\"cell-rank\">，%s第 %d 名</span>", all ? "全市" : "组内", rank);
	else if (area)
		html_printf(b, "<span class=\"cell-rank muted\">，不参与排名</span>");
	html_printf(b, "</li>");
}

typedef struct Order {
	const CompRow *row;
	int key, seq;
} Order;

static int by_key(const void *x, const void *y)
{
	const Order *a = x, *b = y;
	int ka = a->key ? a->key : 1 << 30, kb = b->key ? b->key : 1 << 30;
	return ka != kb ? (ka < kb ? -1 : 1) : a->seq - b->seq;
}

/* One area's card. */
static void write_card(Req *r, const Competition *c, const CompRow *w, int all, int progress, const char *mine)
{
	Buf *b = &r->out;
	int rank = progress ? (all ? w->progress_rank_all : w->progress_rank_group) : all ? w->rank_all : w->rank_group;
	int is_mine = mine && strcmp(mine, w->area->code) == 0;
	html_printf(b, "<li class=\"card-item rank-card%s\" id=\"area-%h\" data-area=\"%h\">", is_mine ? " mine" : "",
	            w->area->code, w->area->code);
	html_printf(b, "<p class=\"title\"><span class=\"rank-no\" aria-label=\"%s第 %d 名\">%h</span> "
	               "<a href=\"/areas/%u\">%h</a>%s ",
	            progress ? "进步" : all ? "全市" : "组内", rank, rank ? arena_printf(&r->arena, "%d", rank) : "—",
	            w->area->code, w->area->name, is_mine ? "<span class=\"mine-tag\">本区域</span>" : "");
	write_move(r, w->has_prev, all ? w->change_all : w->change_group);
	html_printf(b, "</p>");
	if (!w->has_score) {
		html_printf(b, "<p class=\"muted\">本期各项均无可比目标，不参与综合排名。</p>");
	} else if (progress) {
		if (w->has_progress)
			html_printf(b, "<p>综合得分较上期 <strong class=\"progress\">%h</strong> 分（%h → %h），水平排名%s第 %d 名</p>",
			            arena_printf(&r->arena, "%+.1f", w->progress), arena_printf(&r->arena, "%.1f", w->prev_score),
			            arena_printf(&r->arena, "%.1f", w->score), all ? "全市" : "组内", all ? w->rank_all : w->rank_group);
		else
			html_printf(b, "<p>综合得分 %h，上期无得分，不参与进步排名。</p>", arena_printf(&r->arena, "%.1f", w->score));
	} else {
		html_printf(b, "<p>综合得分 <strong class=\"score\">%h</strong>", arena_printf(&r->arena, "%.1f", w->score));
		if (!all)
			html_printf(b, " · 全市第 %d 名", w->rank_all);
		if (w->has_progress)
			html_printf(b, " · 进步%s第 %d 名（%h 分）", all ? "全市" : "组内",
			            all ? w->progress_rank_all : w->progress_rank_group, arena_printf(&r->arena, "%+.1f", w->progress));
		html_printf(b, "</p>");
	}
	html_printf(b, "<details%s><summary>六项指标</summary><ul class=\"rank-cells\">", is_mine ? " open" : "");
	for (int k = 0; k < c->nitems; k++)
		write_cell(r, c, k, &w->cells[k], w->area->code, all);
	html_printf(b, "</ul></details></li>");
}

/* The period choices: the plan to date, each year, then quarters and
 * months up to as_of, newest first. */
static void write_period_select(Req *r, const Competition *c)
{
	Buf *b = &r->out;
	const Plan *p = r->plan;
	const char *cur = c->period.key;
	html_printf(b, "<label>期间 <select name=\"period\">");
	html_printf(b, "<option value=\"plan\"%s>规划以来</option>", strcmp(cur, "plan") == 0 ? " selected" : "");
	for (int i = p->nyears - 1; i >= 0; i--) {
		const char *k = arena_printf(&r->arena, "%d", p->years[i]);
		if (strcmp(arena_printf(&r->arena, "%s-01-01", k), c->as_of) <= 0)
			html_printf(b, "<option value=\"%h\"%s>%d 年</option>", k, strcmp(cur, k) == 0 ? " selected" : "", p->years[i]);
	}
	html_printf(b, "<optgroup label=\"季度\">");
	for (int i = p->nyears - 1; i >= 0; i--)
		for (int q = 4; q >= 1; q--) {
			const char *k = arena_printf(&r->arena, "%d-Q%d", p->years[i], q);
			const char *first = arena_printf(&r->arena, "%d-%02d-01", p->years[i], q * 3 - 2);
			if (strcmp(first, c->as_of) <= 0 && strcmp(arena_printf(&r->arena, "%d-%02d-31", p->years[i], q * 3), p->start) >= 0)
				html_printf(b, "<option value=\"%h\"%s>%d 年第 %d 季度</option>", k, strcmp(cur, k) == 0 ? " selected" : "",
				            p->years[i], q);
		}
	html_printf(b, "</optgroup><optgroup label=\"月份\">");
	for (int i = p->nyears - 1; i >= 0; i--)
		for (int m = 12; m >= 1; m--) {
			const char *k = arena_printf(&r->arena, "%d-%02d", p->years[i], m);
			if (strcmp(arena_printf(&r->arena, "%s-01", k), c->as_of) <= 0 &&
			    strcmp(arena_printf(&r->arena, "%s-31", k), p->start) >= 0)
				html_printf(b, "<option value=\"%h\"%s>%d 年 %d 月</option>", k, strcmp(cur, k) == 0 ? " selected" : "",
				            p->years[i], m);
		}
	html_printf(b, "</optgroup></select></label> ");
}

/* A tab link keeping the other choices. */
static void write_tab(Req *r, const Competition *c, const char *group, const char *view, const char *label, int current)
{
	html_printf(&r->out, "<a href=\"/competition?period=%u&amp;as_of=%u&amp;group=%u&amp;view=%u\"%s>%h</a>",
	            c->period.key, c->as_of, group, view, current ? " aria-current=\"true\"" : "", label);
}

/* The ranking's cards kept per connection (page_kept.h): a few views of
 * the kept figures, at most this much. */
static char cards_tag, select_tag, method_tag;
#define KEPT_CARDS_BYTES (2u << 20)

/* WEBPAGE: GET /competition?period=&as_of=&group=&view=level|progress */
void page_competition(Req *r)
{
	const Competition *cp;
	unsigned long long gen;
	if (!compute_kept(r, &cp, &gen))
		return;
	const Competition c = *cp; /* kept on the connection: read only, never freed here */
	const CompMethod *m = c.method;
	const char *view = req_query(r, "view"), *group = req_query(r, "group");
	int progress = view && strcmp(view, "progress") == 0;
	if (view && *view && !progress && strcmp(view, "level") != 0) {
		http_error(r, 400, "bad_view", "view 应为 level（水平排名）或 progress（进步排名）。");
		return;
	}
	const char *mine = r->role == ROLE_AREA && r->session ? r->session->user.scope : NULL;
	const CompRow *mine_row = mine ? competition_row(&c, mine) : NULL;
	int g = -1, all = 0;
	if (group && *group) {
		all = strcmp(group, "all") == 0;
		for (int i = 0; i < m->ngroups && !all; i++)
			if (strcmp(m->groups[i].code, group) == 0)
				g = i;
		if (!all && g < 0) {
			http_error(r, 400, "bad_group", "group 应为竞赛分组的代码或 all（全市）。");
			return;
		}
	} else {
		g = mine_row && mine_row->group >= 0 ? mine_row->group : 0;
		all = m->ngroups == 0;
	}
	const char *gcode = all ? "all" : m->groups[g].code;
	r->as_of = arena_strdup(&r->arena, c.period.to);
	Buf *b = &r->out;
	page_begin(r, "六比竞赛", "competition");
	html_printf(b, "<h1>六比竞赛排名</h1>\n<p class=\"lead\">%h · 数据截至 %h%h</p>\n", c.period.label, c.period.to,
	            c.has_prev ? arena_printf(&r->arena, " · 与%s相比", c.prev.label) : "");
	html_printf(b, "<form class=\"filters rank-filters\" method=\"get\" action=\"/competition\">");
	/* the period choices (sixty-odd options) depend on the period and
	 * as_of only: written once per connection and pair */
	const char *skey = arena_printf(&r->arena, "%p|%s|%s", (const void *)r->plan, c.period.key, c.as_of);
	if (!page_kept_get(r->store, &select_tag, skey, b)) {
		size_t start = b->len;
		write_period_select(r, &c);
		page_kept_put(r->store, &select_tag, skey, b->data + start, b->len - start, KEPT_CARDS_BYTES);
	}
	html_printf(b, "<label>数据截至 <input type=\"date\" name=\"as_of\" value=\"%h\"></label> "
	               "<input type=\"hidden\" name=\"group\" value=\"%h\"><input type=\"hidden\" name=\"view\" value=\"%h\">"
	               "<button type=\"submit\">查看</button></form>\n",
	            c.as_of, gcode, progress ? "progress" : "level");
	if (mine_row && mine_row->has_score)
		html_printf(b, "<p class=\"mine-note\" role=\"status\">%h：%h第 %d 名，全市第 %d 名%h。</p>\n", mine_row->area->name,
		            mine_row->group >= 0 ? m->groups[mine_row->group].name : "", mine_row->rank_group, mine_row->rank_all,
		            mine_row->has_prev ? (mine_row->change_group > 0   ? arena_printf(&r->arena, "，比上期上升 %d 位", mine_row->change_group)
		                                  : mine_row->change_group < 0 ? arena_printf(&r->arena, "，比上期下降 %d 位", -mine_row->change_group)
		                                                               : "，与上期持平")
		                               : "");
	html_printf(b, "<nav class=\"tabs\" aria-label=\"分组\">");
	for (int i = 0; i < m->ngroups; i++)
		write_tab(r, &c, m->groups[i].code, progress ? "progress" : "level", m->groups[i].name, !all && i == g);
	write_tab(r, &c, "all", progress ? "progress" : "level", "全市", all);
	html_printf(b, "</nav><nav class=\"tabs\" aria-label=\"排名方式\">");
	write_tab(r, &c, gcode, "level", "水平排名", !progress);
	write_tab(r, &c, gcode, "progress", "进步排名", progress);
	html_printf(b, "</nav>\n");
	html_printf(b, "<p class=\"actions no-print\"><a class=\"button secondary\" href=\"/competition.xlsx?period=%u&amp;as_of=%u\" "
	               "download>导出 Excel</a></p>\n",
	            c.period.key, c.as_of);
	if (progress && !c.has_prev)
		html_printf(b, "<p class=\"muted\">本期没有可比的上一期，暂无进步排名。</p>\n");

	/* The cards and the city's figures: written once per state of the kept
	 * figures (gen) and what they are written for; the same key writes the
	 * same bytes. */
	const char *key = arena_printf(&r->arena, "%llu|%s|%s|%s|%d|%d|%s|%d", gen, c.period.key, c.period.to, c.as_of,
	                               all ? -1 : g, progress, mine ? mine : "", can_open_records(r));
	if (!gen || !page_kept_get(r->store, &cards_tag, key, b)) {
		size_t start = b->len;
		Order *o = arena_alloc(&r->arena, sizeof *o * (size_t)(c.nrows + 1));
		int n = 0;
		for (int i = 0; i < c.nrows; i++) {
			const CompRow *w = &c.rows[i];
			if (!all && w->group != g)
				continue;
			o[n].row = w;
			o[n].seq = i;
			o[n].key = progress ? (all ? w->progress_rank_all : w->progress_rank_group) : all ? w->rank_all : w->rank_group;
			n++;
		}
		qsort(o, (size_t)n, sizeof *o, by_key);
		html_printf(b, "<h2>%h%h（%d 个）</h2>\n<ul class=\"cards rank-list\" id=\"ranking\">", all ? "全市" : m->groups[g].name,
		            progress ? "进步排名" : "水平排名", n);
		for (int i = 0; i < n; i++)
			write_card(r, &c, o[i].row, all, progress, mine);
		html_printf(b, "</ul>\n");
		html_printf(b, "<h2>全市六项指标（%h）</h2>\n<ul class=\"cards\"><li class=\"card-item\"><ul class=\"rank-cells\" id=\"city\">",
		            c.period.label);
		for (int k = 0; k < c.nitems; k++)
			write_cell(r, &c, k, &c.city[k], NULL, 0);
		html_printf(b, "</ul></li></ul>\n");
		if (gen)
			page_kept_put(r->store, &cards_tag, key, b->data + start, b->len - start, KEPT_CARDS_BYTES);
	}

	/* the method in words: the plan's, the same for every request */
	const char *mkey = arena_printf(&r->arena, "%p", (const void *)r->plan);
	if (!page_kept_get(r->store, &method_tag, mkey, b)) {
		size_t start = b->len;
		html_printf(b, "<details class=\"method\" id=\"method\"><summary>排名办法</summary>");
		const char *words = competition_method_zh(m, r->plan, &r->arena);
		while (*words) {
			const char *nl = strchr(words, '\n');
			size_t len = nl ? (size_t)(nl - words) : strlen(words);
			html_printf(b, "<p>%h</p>", arena_printf(&r->arena, "%.*s", (int)len, words));
			words += len + (nl ? 1 : 0);
		}
		if (m->note)
			html_printf(b, "<p>%h</p>", m->note);
		html_printf(b, "<p class=\"muted\">数据来源：已审核的登记记录和已确认的月报；点击数字可查看其背后的记录。</p></details>\n");
		page_kept_put(r->store, &method_tag, mkey, b->data + start, b->len - start, KEPT_CARDS_BYTES);
	}
	page_end(r);
}

/* ---- the ranking as .xlsx ---- */

/* WEBPAGE: GET /competition.xlsx?period=&as_of= — one sheet per group and
 * one of all, as the page ranks them, with the six figures, and a 说明 sheet
 * with the method in words. */
void page_competition_xlsx(Req *r)
{
	Competition c;
	if (!compute(r, &c))
		return;
	const CompMethod *m = c.method;
	Arena *a = &r->arena;
	int ncols = 7 + 4 * c.nitems;
	XlsxColumn *cols = arena_alloc(a, sizeof *cols * (size_t)ncols);
	int k = 0;
	cols[k++] = (XlsxColumn){.header = "名次", .type = XLSX_NUMBER, .width = 6};
	cols[k++] = (XlsxColumn){.header = "区域", .width = 14};
	cols[k++] = (XlsxColumn){.header = "综合得分", .type = XLSX_NUMBER};
	cols[k++] = (XlsxColumn){.header = "名次变化（正为上升）", .type = XLSX_NUMBER};
	cols[k++] = (XlsxColumn){.header = "全市名次", .type = XLSX_NUMBER};
	cols[k++] = (XlsxColumn){.header = "进步分", .type = XLSX_NUMBER};
	cols[k++] = (XlsxColumn){.header = "进步名次", .type = XLSX_NUMBER};
	for (int i = 0; i < c.nitems; i++) {
		const Indicator *in = c.ind[i];
		cols[k++] = (XlsxColumn){.header = arena_printf(a, "%s（%s）", in->name, in->unit), .type = XLSX_NUMBER};
		cols[k++] = (XlsxColumn){.header = arena_printf(a, "%s目标（%s）", in->name, in->unit), .type = XLSX_NUMBER};
		cols[k++] = (XlsxColumn){.header = arena_printf(a, "%s完成率", in->name)};
		cols[k++] = (XlsxColumn){.header = arena_printf(a, "%s名次", in->name), .type = XLSX_NUMBER};
	}
	XlsxTable *tables = arena_alloc(a, sizeof *tables * (size_t)(m->ngroups + 2));
	int nt = 0;
	for (int g = 0; g <= m->ngroups; g++) {
		int all = g == m->ngroups;
		Order *o = arena_alloc(a, sizeof *o * (size_t)(c.nrows + 1));
		int n = 0;
		for (int i = 0; i < c.nrows; i++)
			if (all || c.rows[i].group == g) {
				o[n].row = &c.rows[i];
				o[n].seq = i;
				o[n].key = all ? c.rows[i].rank_all : c.rows[i].rank_group;
				n++;
			}
		qsort(o, (size_t)n, sizeof *o, by_key);
		XlsxCell *cells = arena_alloc(a, sizeof *cells * (size_t)(n * ncols + 1));
		for (int i = 0; i < n; i++) {
			const CompRow *w = o[i].row;
			XlsxCell *v = &cells[i * ncols];
			int q = 0;
			int rank = all ? w->rank_all : w->rank_group, change = all ? w->change_all : w->change_group;
			int prank = all ? w->progress_rank_all : w->progress_rank_group;
			v[q++] = rank ? xlsx_num(rank) : xlsx_empty();
			v[q++] = xlsx_str(w->area->name);
			v[q++] = w->has_score ? xlsx_num(w->score) : xlsx_empty();
			v[q++] = w->has_prev && w->has_score ? xlsx_num(change) : xlsx_empty();
			v[q++] = w->rank_all ? xlsx_num(w->rank_all) : xlsx_empty();
			v[q++] = w->has_progress ? xlsx_num(w->progress) : xlsx_empty();
			v[q++] = prank ? xlsx_num(prank) : xlsx_empty();
			for (int j = 0; j < c.nitems; j++) {
				const CompCell *cl = &w->cells[j];
				int cr = all ? cl->rank_all : cl->rank_group;
				v[q++] = xlsx_num(cl->value);
				v[q++] = cl->has_target ? xlsx_num(cl->target) : xlsx_str("无目标");
				v[q++] = xlsx_str(cl->has_target ? fmt_percent(a, cl->rate) : "—");
				v[q++] = cr ? xlsx_num(cr) : xlsx_str("不参与");
			}
		}
		tables[nt++] = (XlsxTable){.name = all ? "全市" : m->groups[g].name, .cols = cols, .ncols = ncols,
		                           .cells = cells, .nrows = n};
	}
	const char **lines = arena_alloc(a, sizeof *lines * 40);
	int nl = 0;
	lines[nl++] = arena_printf(a, "%s排名，%s，数据截至 %s%s。", m->name, c.period.label, c.period.to,
	                           c.has_prev ? arena_printf(a, "，名次变化与%s相比", c.prev.label) : "");
	const char *words = competition_method_zh(m, r->plan, a);
	while (*words && nl < 38) {
		const char *e = strchr(words, '\n');
		size_t len = e ? (size_t)(e - words) : strlen(words);
		lines[nl++] = arena_printf(a, "%.*s", (int)len, words);
		words += len + (e ? 1 : 0);
	}
	lines[nl] = NULL;
	XlsxBook book = {.tables = tables, .ntables = nt, .instructions = lines};
	page_send_xlsx(r, &book, arena_printf(a, "competition-%s.xlsx", c.period.key),
	               arena_printf(a, "六比竞赛排名-%s.xlsx", c.period.label));
	competition_free(&c);
}

/* ---- 工作台: an area's rank ---- */

void competition_work_write(Req *r)
{
	if (!r->session || !r->session->user.scope)
		return;
	const Competition *cp = NULL;
	unsigned long long gen;
	char today[11];
	date_today(today);
	DomResult res = competition_kept(r->store, r->plan, default_period(r->plan, today, &r->arena), today, &cp, &gen);
	const CompRow *w = dom_done(res) ? competition_row(cp, r->session->user.scope) : NULL;
	Buf *b = &r->out;
	html_printf(b, "<section class=\"work\" id=\"work-competition\"><h2>六比竞赛</h2>");
	if (!w || !w->has_score) {
		html_printf(b, "<p class=\"muted\">%h暂无排名。</p>", dom_done(res) ? cp->period.label : "");
	} else {
		html_printf(b, "<p>%h：%h第 <strong>%d</strong> 名，全市第 %d 名", cp->period.label,
		            w->group >= 0 ? cp->method->groups[w->group].name : "", w->rank_group, w->rank_all);
		write_move(r, w->has_prev, w->change_group);
		html_printf(b, "</p>");
	}
	html_printf(b, "<p><a href=\"/competition\">查看排名 →</a></p></section>\n");
}
