/*
 * chart.c — SVG charts. Text goes through html_printf's %h; colours come
 * from a fixed palette with enough contrast on white.
 */
#include "chart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#include <math.h>
#include "html.h"

static const char *const palette[] = {"#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b"};

/* One entry of the legend of colours, as HTML above a chart (it wraps on
 * a phone); cls names the swatch's colour in style.css (CSP: no inline
 * styles). */
static void legend_item(Buf *out, const char *cls, const char *label)
{
	html_printf(out, "<li><span class=\"swatch %h\"></span>%h</li>", cls, label);
}

/*
 * Every chart is drawn 360 units wide, so that on a 390 px phone (about
 * 360 px for the figure) one unit is about one pixel and the 13-unit text
 * is at least 12 px; wider screens draw it larger, up to the CSS limit.
 * Labels go on their own line above the bars and values in a column right
 * of the plot, so no text crosses a bar, a target mark or the 100% line.
 */
#define CHART_W 360

void chart_ratio_bars(Buf *out, const ChartRatios *c)
{
	const int plot_w = 250, bar_h = 14, gap = 4, label_h = 18, group_gap = 10, top = 4;
	const double max_ratio = 1.5; /* bars beyond 150% are cut, the figure is printed */
	int group_h = label_h + c->nser * (bar_h + gap) + group_gap;
	int height = top + c->ncat * group_h + 4;
	html_printf(out, "<ul class=\"legend\">");
	for (int s = 0; s < c->nser; s++)
		legend_item(out, (const char *[]){"s0", "s1", "s2", "s3", "s4"}[s % 5], c->series[s]);
	legend_item(out, "line", "虚线为 100% 完成");
	html_printf(out, "</ul>");
	html_printf(out,
		"<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%h\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">"
		"<title>%h</title>",
		CHART_W, height, c->title, c->title);
	int x100 = (int)(plot_w / max_ratio);
	for (int k = 0; k < c->ncat; k++) {
		int y0 = top + k * group_h;
		/* the 100% line beside each group's bars, never through its label */
		html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>", x100,
		            y0 + label_h - 1, x100, y0 + label_h + c->nser * (bar_h + gap) - gap + 1);
		html_printf(out, "<text x=\"0\" y=\"%d\" fill=\"#222\" font-weight=\"600\">%h</text>", y0 + 13, c->categories[k]);
		for (int s = 0; s < c->nser; s++) {
			double v = c->ratios[k * c->nser + s];
			int y = y0 + label_h + s * (bar_h + gap);
			if (v < 0) {
				html_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"#555\" text-anchor=\"end\">%h 无目标</text>", CHART_W,
				            y + bar_h - 2, c->series[s]);
				continue;
			}
			double shown = v > max_ratio ? max_ratio : v;
			int w = (int)(plot_w * shown / max_ratio);
			html_printf(out,
				"<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%h\"><title>%h：%.1f%%</title></rect>"
				"<text x=\"%d\" y=\"%d\" fill=\"#222\" text-anchor=\"end\">%h %.1f%%</text>",
				y, w < 1 ? 1 : w, bar_h, palette[s % 5], c->series[s], v * 100.0, CHART_W, y + bar_h - 2,
				c->series[s], v * 100.0);
		}
	}
	html_printf(out, "</svg>");
}

static int bar_cmp(const void *a, const void *b)
{
	const ChartBar *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->label, y->label);
}

void chart_sort_bars(ChartBar *bars, int n)
{
	qsort(bars, (size_t)n, sizeof *bars, bar_cmp);
}

/* Completion rate of a bar; bars without a target last. */
static double bar_ratio(const ChartBar *b)
{
	return b->has_mark && b->mark > 0 ? b->value / b->mark : -1;
}

static int ratio_cmp(const void *a, const void *b)
{
	const ChartBar *x = a, *y = b;
	double rx = bar_ratio(x), ry = bar_ratio(y);
	if (rx != ry)
		return rx < ry ? 1 : -1;
	return bar_cmp(a, b);
}

void chart_sort_bars_by_ratio(ChartBar *bars, int n)
{
	qsort(bars, (size_t)n, sizeof *bars, ratio_cmp);
}

static const char *status_colour(const char *status)
{
	if (!status)
		return "#1f5fa8";
	if (!strcmp(status, "done"))
		return "#2e8b57";
	if (!strcmp(status, "behind"))
		return "#b86e00";
	if (!strcmp(status, "at_risk"))
		return "#c0392b";
	return "#1f5fa8";
}

const char *chart_bars_unit(const ChartBars *c)
{
	double max = 0;
	for (int i = 0; i < c->n; i++) {
		if (fabs(c->bars[i].value) > max)
			max = fabs(c->bars[i].value);
		if (c->bars[i].has_mark && fabs(c->bars[i].mark) > max)
			max = fabs(c->bars[i].mark);
	}
	return fmt_column_unit(max, c->unit);
}

void chart_bars(Buf *out, const ChartBars *c)
{
	const char *cu = chart_bars_unit(c);
	const int plot_w = CHART_W - 4, row_h = 40, bar_h = 12, top = 4;
	double max = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->bars[i].value > max)
			max = c->bars[i].value;
		if (c->bars[i].has_mark && c->bars[i].mark > max)
			max = c->bars[i].mark;
	}
	if (max <= 0)
		max = 1;
	Arena a = {0};
	html_printf(out, "<ul class=\"legend\">");
	legend_item(out, "done", "已完成");
	legend_item(out, "on_track", "正常");
	legend_item(out, "behind", "滞后");
	legend_item(out, "at_risk", "严重滞后");
	legend_item(out, "mark", "竖线为目标");
	html_printf(out, "</ul>");
	int height = top + c->n * row_h + 4;
	html_printf(out,
		"<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%h\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\"><title>%h</title>",
		CHART_W, height, c->title, c->title);
	for (int i = 0; i < c->n; i++) {
		const ChartBar *b = &c->bars[i];
		int y = top + i * row_h;
		int w = (int)(plot_w * b->value / max);
		const char *val = fmt_in(&a, b->value, c->unit, cu);
		const char *what = b->has_mark && b->mark > 0
		                       ? arena_printf(&a, "%s（%s）%s", val, fmt_percent(&a, b->value / b->mark), b->status_zh ? b->status_zh : "")
		                       : arena_printf(&a, "%s 未分解目标", val);
		if (b->href)
			html_printf(out, "<a href=\"%h\">", b->href);
		html_printf(out, "<text x=\"0\" y=\"%d\" fill=\"#222\">%h</text>"
		                 "<text x=\"%d\" y=\"%d\" fill=\"#222\" text-anchor=\"end\">%h</text>"
		                 "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%h\"><title>%h：%h</title></rect>",
		            y + 13, b->label, CHART_W, y + 13, what, y + 20, w < 1 ? 1 : w, bar_h, status_colour(b->status), b->label,
		            what);
		if (b->has_mark) {
			int mx = (int)(plot_w * b->mark / max);
			html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#111\" stroke-width=\"2\"/>", mx,
			            y + 17, mx, y + 20 + bar_h + 3);
		}
		if (b->href)
			html_printf(out, "</a>");
	}
	html_printf(out, "</svg>");
	arena_free(&a);
}

/* Appends v in decimal, as %d writes it (a line's points: 120 numbers a
 * chart, six charts on the overview). */
static void put_int(Buf *b, int v)
{
	char t[12];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do
		t[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		buf_putc(b, '-');
	while (n)
		buf_putc(b, t[--n]);
}

void chart_line(Buf *out, const ChartLine *c)
{
	const int w = 300, h = 160, left = 64, bottom = 22, top = 12, right = 8;
	double max = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->actual[i] > max)
			max = c->actual[i];
		if (c->expected && c->expected[i] > max)
			max = c->expected[i];
	}
	if (max <= 0)
		max = 1;
	int pw = w - left - right, ph = h - top - bottom;
	html_printf(out, "<svg class=\"chart line\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%h\" "
	                 "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\"><title>%h</title>",
	            w, h, c->title, c->title);
	Arena a = {0};
	const char *num = fmt_quantity(&a, max, c->unit); /* in the unit the tables use */
	html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>"
	                 "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%h</text>"
	                 "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">0</text>",
	            left, top + ph, left + pw, top + ph, left - 4, top + 10, num, left - 4, top + ph);
	for (int i = 0; i < c->n; i++) /* a tick and the year under each January */
		if (c->dates[i][5] == '0' && c->dates[i][6] == '1') {
			int x = left + (c->n > 1 ? pw * i / (c->n - 1) : 0);
			char year[5];
			memcpy(year, c->dates[i], 4);
			year[4] = 0;
			html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
			                 "<text x=\"%d\" y=\"%d\" fill=\"#555\">%h</text>",
			            x, top, x, top + ph, x + 2, h - 5, year);
		}
	for (int s = 0; s < 2; s++) {
		const double *v = s == 0 ? c->expected : c->actual;
		if (!v)
			continue;
		Buf pts = {0}; /* "x,y x,y …": digits, '-', ',' and ' ' only */
		for (int i = 0; i < c->n; i++) {
			int x = left + (c->n > 1 ? pw * i / (c->n - 1) : 0);
			int y = top + ph - (int)(ph * v[i] / max);
			if (i)
				buf_putc(&pts, ' ');
			put_int(&pts, x);
			buf_putc(&pts, ',');
			put_int(&pts, y);
		}
		html_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>",
		            s == 0 ? "#888" : "#1f5fa8", s == 0 ? " stroke-dasharray=\"4 3\"" : "", SAFE_HTML(buf_str(&pts)));
		buf_free(&pts);
	}
	html_printf(out, "</svg>");
	arena_free(&a);
}
