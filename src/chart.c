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
		"<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-title\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">"
		"<title id=\"chart-title\">%h</title>",
		width, height, c->title);
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
