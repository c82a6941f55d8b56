/*
 * chart.c — SVG charts. Text goes through html_printf's %h; colours come
 * from a fixed palette with enough contrast on white.
 */
#include "chart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

static const char *const palette[] = {"#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b"};

/* Byte offset after n UTF-8 code points of s (or its end). */
static size_t utf8_prefix(const char *s, int n)
{
	size_t i = 0;
	while (s[i] && n > 0) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return i;
}

/* A right-aligned label; one longer than 10 characters wraps onto two
 * lines (at a full-width or ASCII bracket when there is one). */
static void write_label(Buf *out, int x, int y, const char *label)
{
	size_t cut = utf8_prefix(label, 10);
	if (!label[cut]) {
		html_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">%h</text>", x, y, label);
		return;
	}
	const char *br = strstr(label, "(");
	if (!br)
		br = strstr(label, "\xef\xbc\x88"); /* （ */
	if (br && br > label)
		cut = (size_t)(br - label);
	char *first = xstrndup(label, cut);
	html_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">%h"
	                 "<tspan x=\"%d\" dy=\"15\">%h</tspan></text>",
	            x, y - 8, first, x, label + cut);
	free(first);
}

void chart_ratio_bars(Buf *out, const ChartRatios *c)
{
	const int label_w = 150, plot_w = 300, right = 56, bar_h = 14, gap = 4, group_gap = 14, top = 34;
	const double max_ratio = 1.5; /* bars beyond 150% are cut, the figure is printed */
	int group_h = c->nser * (bar_h + gap) + group_gap;
	int height = top + c->ncat * group_h + 10;
	int width = label_w + plot_w + right;
	html_printf(out,
		"<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%h\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">"
		"<title>%h</title>",
		width, height, c->title, c->title);
	/* legend */
	for (int s = 0; s < c->nser; s++) {
		int x = label_w + s * 70;
		html_printf(out, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		                 "<text x=\"%d\" y=\"16\" fill=\"#222\">%h</text>",
		            x, palette[s % 5], x + 16, c->series[s]);
	}
	/* 100% line */
	int x100 = label_w + (int)(plot_w / max_ratio);
	html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
	                 "<text x=\"%d\" y=\"%d\" fill=\"#555\" text-anchor=\"middle\">100%%</text>",
	            x100, top - 2, x100, height - 6, x100 + 18, top - 4);
	for (int k = 0; k < c->ncat; k++) {
		int y0 = top + k * group_h;
		write_label(out, label_w - 8, y0 + (c->nser * (bar_h + gap)) / 2 + 4, c->categories[k]);
		for (int s = 0; s < c->nser; s++) {
			double v = c->ratios[k * c->nser + s];
			int y = y0 + s * (bar_h + gap);
			if (v < 0) {
				html_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"#666\">无目标</text>", label_w + 4,
				            y + bar_h - 2);
				continue;
			}
			double shown = v > max_ratio ? max_ratio : v;
			int w = (int)(plot_w * shown / max_ratio);
			html_printf(out,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%h: %.1f%%</title></rect>"
				"<text x=\"%d\" y=\"%d\" fill=\"#222\">%.1f%%</text>",
				label_w, y, w < 1 ? 1 : w, bar_h, palette[s % 5], c->series[s], v * 100.0,
				label_w + w + 4, y + bar_h - 2, v * 100.0);
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

static const char *status_colour(const char *status)
{
	if (!status)
		return "#1f5fa8";
	if (!strcmp(status, "done"))
		return "#2e8b57";
	if (!strcmp(status, "behind"))
		return "#d9822b";
	if (!strcmp(status, "at_risk"))
		return "#c0392b";
	return "#1f5fa8";
}

void chart_bars(Buf *out, const ChartBars *c)
{
	const int label_w = 110, plot_w = 330, right = 70, bar_h = 16, gap = 8, top = 8;
	double max = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->bars[i].value > max)
			max = c->bars[i].value;
		if (c->bars[i].has_mark && c->bars[i].mark > max)
			max = c->bars[i].mark;
	}
	if (max <= 0)
		max = 1;
	int height = top + c->n * (bar_h + gap) + 6;
	html_printf(out,
		"<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%h\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\"><title>%h</title>",
		label_w + plot_w + right, height, c->title, c->title);
	for (int i = 0; i < c->n; i++) {
		const ChartBar *b = &c->bars[i];
		int y = top + i * (bar_h + gap);
		int w = (int)(plot_w * b->value / max);
		if (b->href)
			html_printf(out, "<a href=\"%h\">", b->href);
		html_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">%h</text>"
		                 "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%h: %.0f %h</title></rect>",
		            label_w - 6, y + bar_h - 3, b->label, label_w, y, w < 1 ? 1 : w, bar_h, status_colour(b->status),
		            b->label, b->value, c->unit ? c->unit : "");
		if (b->has_mark) {
			int mx = label_w + (int)(plot_w * b->mark / max);
			html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#111\" stroke-width=\"2\"/>", mx,
			            y - 3, mx, y + bar_h + 3);
		}
		char num[48];
		fmt_number(num, sizeof num, b->value, 0);
		html_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"#222\">%h</text>", label_w + w + 4, y + bar_h - 3, num);
		if (b->href)
			html_printf(out, "</a>");
	}
	html_printf(out, "</svg>");
}

void chart_line(Buf *out, const ChartLine *c)
{
	const int w = 300, h = 150, left = 48, bottom = 20, top = 10, right = 8;
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
	                 "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\"><title>%h</title>",
	            w, h, c->title, c->title);
	char num[48];
	fmt_number(num, sizeof num, max, 0);
	html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>"
	                 "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%h</text>"
	                 "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">0</text>",
	            left, top + ph, left + pw, top + ph, left - 4, top + 8, num, left - 4, top + ph);
	for (int i = 0; i < c->n; i++) /* a tick and the year under each January */
		if (c->dates[i][5] == '0' && c->dates[i][6] == '1') {
			int x = left + (c->n > 1 ? pw * i / (c->n - 1) : 0);
			char year[5];
			memcpy(year, c->dates[i], 4);
			year[4] = 0;
			html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
			                 "<text x=\"%d\" y=\"%d\" fill=\"#555\">%h</text>",
			            x, top, x, top + ph, x + 2, h - 6, year);
		}
	for (int s = 0; s < 2; s++) {
		const double *v = s == 0 ? c->expected : c->actual;
		if (!v)
			continue;
		Buf pts = {0};
		for (int i = 0; i < c->n; i++) {
			int x = left + (c->n > 1 ? pw * i / (c->n - 1) : 0);
			int y = top + ph - (int)(ph * v[i] / max);
			buf_printf(&pts, "%s%d,%d", i ? " " : "", x, y);
		}
		html_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%h\"/>",
		            s == 0 ? "#888" : "#1f5fa8", s == 0 ? " stroke-dasharray=\"4 3\"" : "", buf_str(&pts));
		buf_free(&pts);
	}
	html_printf(out, "</svg>");
}
