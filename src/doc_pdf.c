/*
 * doc_pdf.c — a Doc (doc.h) as a PDF made by the program itself with cairo
 * and pango and the Noto CJK fonts (fonts-noto-cjk), in the layout of
 * 党政机关公文格式 (GB/T 9704-2012) where it applies:
 *   A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a text
 *   block of 156 × 225 mm, 22 lines of body text per page);
 *   the issuing unit in red bold serif over the document number and a red
 *   rule (红头); the title in bold serif (小标宋-like: Noto Serif CJK Bold),
 *   二号 22 pt; body in Noto Serif CJK 三号 16 pt (for 仿宋), first lines
 *   indented two characters; headings 一、 in Noto Sans CJK Bold (黑体),
 *   （一） in Noto Serif CJK Bold (for 楷体);
 *   tables in 五号-ish type that break across pages with their header rows
 *   repeated; charts as horizontal bars;
 *   the issuing unit and date at the end; page numbers "— 1 —" in 四号
 *   7 mm under the text block, odd pages right and even pages left, one
 *   character in from the edge.
 * Glyphs that no font has are counted (pango's unknown glyphs) so a test
 * can insist there are none.
 */
#include "doc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

/* fontconfig, pango and cairo keep caches for the life of the process (the
 * font list, patterns, scaled fonts, each thread's font map) that
 * LeakSanitizer reports when the process or a server thread ends. Sanitizer
 * builds do not report what is allocated while a document is drawn (paused
 * on this thread only; the drawing code itself frees what it makes, see
 * g_object_unref next to each layout). */
#if defined(__SANITIZE_ADDRESS__)
#define DOC_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOC_LSAN 1
#endif
#endif
#ifdef DOC_LSAN
#include <sanitizer/lsan_interface.h>
#define FONT_CACHES_BEGIN() __lsan_disable()
#define FONT_CACHES_END() __lsan_enable()
#else
#define FONT_CACHES_BEGIN() ((void)0)
#define FONT_CACHES_END() ((void)0)
#endif

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define M_TOP (37 * MM)
#define M_BOTTOM (35 * MM)
#define M_LEFT (28 * MM)
#define M_RIGHT (26 * MM)
#define TEXT_W (PAGE_W - M_LEFT - M_RIGHT)
#define TEXT_H (PAGE_H - M_TOP - M_BOTTOM)
#define BODY_PT 16.0
#define BODY_PITCH (TEXT_H / 22.0) /* 22 lines a page */
#define CELL_PT 10.5
#define CELL_PAD 3.0
#define HEAD_PT 9.0 /* header cells: long indicator names stay a few lines high */

#define F_SERIF "Noto Serif CJK SC"
#define F_SANS "Noto Sans CJK SC"

typedef struct R {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *ctx;
	double y;        /* the next free line's top */
	int page;        /* pages begun */
	int unknown;     /* glyphs no font had */
	int page_open;
} R;

/* A layout of text in font (a pango description string) at width (pt; ≤ 0:
 * no wrapping); the caller unrefs it. Unknown glyphs are counted. */
static PangoLayout *layout(R *r, const char *font, double size, const char *text, double width, PangoAlignment al)
{
	PangoLayout *l = pango_layout_new(r->ctx);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, al);
	pango_layout_set_text(l, text ? text : "", -1);
	r->unknown += pango_layout_get_unknown_glyphs_count(l);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* The page number of the page being finished: "— n —" in 四号, 7 mm under
 * the text block; odd pages at the right, even at the left, one character in. */
static void page_number(R *r)
{
	/* "—", the number and "—" drawn apart, half a character between them,
	 * so that text extraction reads the spaces ("— 1 —"). */
	char num[16];
	snprintf(num, sizeof num, "%d", r->page);
	const char *part[3] = {"—", num, "—"};
	PangoLayout *l[3];
	double w[3], total = 0, gap = 7;
	for (int i = 0; i < 3; i++) {
		int pw, ph;
		l[i] = layout(r, F_SERIF, 14, part[i], 0, PANGO_ALIGN_LEFT);
		pango_layout_get_size(l[i], &pw, &ph);
		w[i] = (double)pw / PANGO_SCALE;
		total += w[i] + (i ? gap : 0);
	}
	double x = r->page % 2 ? M_LEFT + TEXT_W - 14 - total : M_LEFT + 14;
	cairo_set_source_rgb(r->cr, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		cairo_move_to(r->cr, x, M_TOP + TEXT_H + 7 * MM);
		pango_cairo_show_layout(r->cr, l[i]);
		x += w[i] + gap;
		g_object_unref(l[i]);
	}
}

static void page_end(R *r)
{
	if (!r->page_open)
		return;
	page_number(r);
	cairo_show_page(r->cr);
	r->page_open = 0;
}

static void page_begin(R *r)
{
	page_end(r);
	r->page++;
	r->page_open = 1;
	r->y = M_TOP;
}

/* Begins a new page when h points do not fit under y (and something is on this page). */
static void need(R *r, double h)
{
	if (!r->page_open)
		page_begin(r);
	else if (r->y + h > M_TOP + TEXT_H + 0.5 && r->y > M_TOP + 0.5)
		page_begin(r);
}

/* Draws l line by line at x from r->y, each line at least pitch high,
 * going to the next page where a line does not fit. */
static void flow(R *r, PangoLayout *l, double x, double pitch)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle lr;
		pango_layout_iter_get_line_extents(it, NULL, &lr);
		int baseline = pango_layout_iter_get_baseline(it);
		double lh = (double)lr.height / PANGO_SCALE;
		double h = lh > pitch ? lh : pitch;
		need(r, h);
		cairo_move_to(r->cr, x + (double)lr.x / PANGO_SCALE,
		              r->y + (h - lh) / 2 + (double)(baseline - lr.y) / PANGO_SCALE);
		pango_cairo_show_layout_line(r->cr, pango_layout_iter_get_line_readonly(it));
		r->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* The red header: the issuing unit (fitted to the width), the document
 * number, the red rule. */
static void red_head(R *r, const Doc *d)
{
	if (!d->issuer)
		return;
	double size = 30;
	PangoLayout *l;
	for (;;) {
		l = layout(r, F_SERIF " Bold", size, d->issuer, 0, PANGO_ALIGN_LEFT);
		int w, h;
		pango_layout_get_size(l, &w, &h);
		if ((double)w / PANGO_SCALE <= TEXT_W || size <= 14) {
			cairo_set_source_rgb(r->cr, 0.86, 0.08, 0.09);
			cairo_move_to(r->cr, M_LEFT + (TEXT_W - (double)w / PANGO_SCALE) / 2, r->y);
			pango_cairo_show_layout(r->cr, l);
			r->y += (double)h / PANGO_SCALE + 10;
			g_object_unref(l);
			break;
		}
		g_object_unref(l);
		size -= 1;
	}
	cairo_set_source_rgb(r->cr, 0, 0, 0);
	if (d->number) {
		l = layout(r, F_SERIF, BODY_PT, d->number, TEXT_W, PANGO_ALIGN_CENTER);
		flow(r, l, M_LEFT, BODY_PITCH);
		g_object_unref(l);
	}
	r->y += 4 * MM - (BODY_PITCH - BODY_PT) / 2;
	cairo_set_source_rgb(r->cr, 0.86, 0.08, 0.09);
	cairo_set_line_width(r->cr, 1.0);
	cairo_move_to(r->cr, M_LEFT, r->y);
	cairo_line_to(r->cr, M_LEFT + TEXT_W, r->y);
	cairo_stroke(r->cr);
	cairo_set_source_rgb(r->cr, 0, 0, 0);
	r->y += BODY_PITCH;
}

/* ---- tables ---- */

/* The row's cells as layouts (into ls) and the row's height. */
static double row_layouts(R *r, const DocTable *t, int row, const double *cw, PangoLayout **ls)
{
	double h = 0;
	int header = row < t->header_rows;
	for (int c = 0; c < t->ncols; c++) {
		const DocCell *cell = &t->cells[row * t->ncols + c];
		PangoAlignment al = header ? PANGO_ALIGN_CENTER : t->right && t->right[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
		ls[c] = layout(r, header ? F_SANS " Bold" : F_SERIF, header ? HEAD_PT : CELL_PT, cell->text, cw[c] - 2 * CELL_PAD, al);
		double ch = layout_height(ls[c]) + 2 * CELL_PAD;
		if (ch > h)
			h = ch;
	}
	return h;
}

static void row_draw(R *r, const DocTable *t, const double *cx, const double *cw, PangoLayout **ls, double h)
{
	cairo_set_line_width(r->cr, 0.6);
	for (int c = 0; c < t->ncols; c++) {
		cairo_rectangle(r->cr, cx[c], r->y, cw[c], h);
		cairo_stroke(r->cr);
		double lh = layout_height(ls[c]);
		cairo_move_to(r->cr, cx[c] + CELL_PAD, r->y + (h - lh) / 2);
		pango_cairo_show_layout(r->cr, ls[c]);
	}
	r->y += h;
}

static void draw_header(R *r, const DocTable *t, const double *cx, const double *cw)
{
	PangoLayout **ls = g_new0(PangoLayout *, t->ncols);
	for (int row = 0; row < t->header_rows; row++) {
		double h = row_layouts(r, t, row, cw, ls);
		row_draw(r, t, cx, cw, ls, h);
		for (int c = 0; c < t->ncols; c++)
			g_object_unref(ls[c]);
	}
	g_free(ls);
}

static void table(R *r, const DocTable *t)
{
	double *cw = g_new0(double, t->ncols), *cx = g_new0(double, t->ncols), sum = 0;
	for (int c = 0; c < t->ncols; c++)
		sum += t->widths && t->widths[c] > 0 ? t->widths[c] : 1;
	double x = M_LEFT;
	for (int c = 0; c < t->ncols; c++) {
		cw[c] = TEXT_W * (t->widths && t->widths[c] > 0 ? t->widths[c] : 1) / sum;
		cx[c] = x;
		x += cw[c];
	}
	PangoLayout **ls = g_new0(PangoLayout *, t->ncols);
	/* The caption, the header and the first row stay together. */
	double head_h = 0;
	for (int row = 0; row < t->header_rows; row++) {
		head_h += row_layouts(r, t, row, cw, ls);
		for (int c = 0; c < t->ncols; c++)
			g_object_unref(ls[c]);
	}
	double first_h = 0;
	if (t->nrows > t->header_rows) {
		first_h = row_layouts(r, t, t->header_rows, cw, ls);
		for (int c = 0; c < t->ncols; c++)
			g_object_unref(ls[c]);
	}
	PangoLayout *cap = t->caption ? layout(r, F_SANS " Bold", 12, t->caption, TEXT_W, PANGO_ALIGN_CENTER) : NULL;
	double cap_h = cap ? layout_height(cap) + 4 : 0;
	need(r, cap_h + head_h + first_h + 4);
	r->y += 4;
	if (cap) {
		cairo_move_to(r->cr, M_LEFT, r->y);
		pango_cairo_show_layout(r->cr, cap);
		r->y += cap_h;
		g_object_unref(cap);
	}
	draw_header(r, t, cx, cw);
	for (int row = t->header_rows; row < t->nrows; row++) {
		double h = row_layouts(r, t, row, cw, ls);
		if (r->y + h > M_TOP + TEXT_H + 0.5) {
			page_begin(r);
			draw_header(r, t, cx, cw);
		}
		row_draw(r, t, cx, cw, ls, h);
		for (int c = 0; c < t->ncols; c++)
			g_object_unref(ls[c]);
	}
	if (t->note) {
		PangoLayout *l = layout(r, F_SERIF, CELL_PT, t->note, TEXT_W, PANGO_ALIGN_LEFT);
		r->y += 2;
		flow(r, l, M_LEFT, CELL_PT * 1.5);
		g_object_unref(l);
	}
	r->y += 8;
	g_free(ls);
	g_free(cw);
	g_free(cx);
}

/* ---- charts ---- */

#define BAR_ROW 15.0
#define CHART_FONT 9.0

static double chart_height(const DocChart *c)
{
	return 20 + BAR_ROW * (c->n ? c->n : 1) + 18;
}

/* The bars' scale: the largest value or mark, at least 1. */
static double chart_max(const DocChart *c)
{
	if (c->max > 0)
		return c->max;
	double m = c->has_mark ? c->mark : 0;
	for (int i = 0; i < c->n; i++)
		if (c->values[i] > m)
			m = c->values[i];
	return m > 0 ? m : 1;
}

static void fmt_value(char *out, size_t n, double v, const char *unit)
{
	if (fabs(v - round(v)) < 1e-9)
		snprintf(out, n, "%.0f%s", v, unit ? unit : "");
	else
		snprintf(out, n, "%.1f%s", v, unit ? unit : "");
}

/* Draws c with its top left at (x, y), w wide; returns its height. */
static double chart_draw(R *r, const DocChart *c, double x, double y, double w)
{
	cairo_t *cr = r->cr;
	double label_w = w * 0.22, value_w = 48, bar_w = w - label_w - value_w - 8;
	double max = chart_max(c);
	cairo_set_source_rgb(cr, 0, 0, 0);
	if (c->caption) {
		PangoLayout *l = layout(r, F_SANS " Bold", 11, c->caption, w, PANGO_ALIGN_CENTER);
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	double top = y + 20;
	for (int i = 0; i < c->n; i++) {
		double ry = top + i * BAR_ROW;
		PangoLayout *l = layout(r, F_SANS, CHART_FONT, c->labels[i], label_w - 4, PANGO_ALIGN_RIGHT);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, x, ry + (BAR_ROW - layout_height(l)) / 2);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
		double v = c->values[i] > 0 ? c->values[i] : 0;
		double bw = bar_w * v / max;
		cairo_set_source_rgb(cr, 0.16, 0.38, 0.65);
		cairo_rectangle(cr, x + label_w, ry + 2.5, bw, BAR_ROW - 5);
		cairo_fill(cr);
		char num[64];
		fmt_value(num, sizeof num, c->values[i], c->unit);
		l = layout(r, F_SANS, CHART_FONT, num, 0, PANGO_ALIGN_LEFT);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, x + label_w + bw + 3, ry + (BAR_ROW - layout_height(l)) / 2);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	double bottom = top + BAR_ROW * (c->n ? c->n : 1);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, x + label_w, top);
	cairo_line_to(cr, x + label_w, bottom);
	cairo_stroke(cr);
	if (c->has_mark) {
		double mx = x + label_w + bar_w * c->mark / max;
		double dash[] = {3, 2};
		cairo_set_dash(cr, dash, 2, 0);
		cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
		cairo_move_to(cr, mx, top - 2);
		cairo_line_to(cr, mx, bottom + 2);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		char num[64];
		fmt_value(num, sizeof num, c->mark, c->unit);
		char words[96];
		snprintf(words, sizeof words, "目标线 %s", num);
		PangoLayout *l = layout(r, F_SANS, CHART_FONT, words, 0, PANGO_ALIGN_LEFT);
		int lw, lh;
		pango_layout_get_size(l, &lw, &lh);
		cairo_move_to(cr, mx - (double)lw / PANGO_SCALE / 2, bottom + 3);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	return chart_height(c);
}

static void chart(R *r, const DocChart *c)
{
	double h = chart_height(c);
	need(r, h + 8);
	r->y += 4;
	r->y += chart_draw(r, c, M_LEFT, r->y, TEXT_W) + 4;
}

/* ---- the document ---- */

static void body_para(R *r, const char *text, const char *font, double indent_chars)
{
	PangoLayout *l = layout(r, font, BODY_PT, text, TEXT_W, PANGO_ALIGN_LEFT);
	pango_layout_set_indent(l, (int)(indent_chars * BODY_PT * PANGO_SCALE));
	flow(r, l, M_LEFT, BODY_PITCH);
	g_object_unref(l);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void render(R *r, const Doc *d)
{
	page_begin(r);
	red_head(r, d);
	if (d->title) {
		PangoLayout *l = layout(r, F_SERIF " Bold", 22, d->title, TEXT_W - 2 * BODY_PT, PANGO_ALIGN_CENTER);
		flow(r, l, M_LEFT + BODY_PT, 22 * 1.45);
		g_object_unref(l);
		r->y += BODY_PITCH * 0.6;
	}
	if (d->addressee)
		body_para(r, d->addressee, F_SERIF, 0);
	for (int i = 0; i < d->nblocks; i++) {
		const DocBlock *b = &d->blocks[i];
		switch (b->kind) {
		case DOC_PARA:
			body_para(r, b->text, F_SERIF, 2);
			break;
		case DOC_HEADING:
			/* a heading does not stay alone at a page's foot */
			need(r, BODY_PITCH * 2);
			body_para(r, b->text, b->level == 1 ? F_SANS " Bold" : F_SERIF " Bold", 2);
			break;
		case DOC_TABLE:
			table(r, b->table);
			break;
		case DOC_CHART:
			chart(r, b->chart);
			break;
		}
	}
	/* The issuing unit and the date, right, four characters in. */
	const char *signer = d->signer ? d->signer : d->issuer;
	need(r, BODY_PITCH * 4);
	r->y += BODY_PITCH;
	if (signer) {
		PangoLayout *l = layout(r, F_SERIF, BODY_PT, signer, TEXT_W - 4 * BODY_PT, PANGO_ALIGN_RIGHT);
		flow(r, l, M_LEFT, BODY_PITCH);
		g_object_unref(l);
	}
	if (d->date && strlen(d->date) == 10) {
		char cn[64];
		snprintf(cn, sizeof cn, "%d年%d月%d日", digits_value(d->date, 4), digits_value(d->date + 5, 2),
		         digits_value(d->date + 8, 2));
		PangoLayout *l = layout(r, F_SERIF, BODY_PT, cn, TEXT_W - 4 * BODY_PT, PANGO_ALIGN_RIGHT);
		flow(r, l, M_LEFT, BODY_PITCH);
		g_object_unref(l);
	}
	if (d->footnote) {
		r->y += BODY_PITCH / 2;
		PangoLayout *l = layout(r, F_SERIF, 12, d->footnote, TEXT_W, PANGO_ALIGN_LEFT);
		cairo_set_source_rgb(r->cr, 0.3, 0.3, 0.3);
		flow(r, l, M_LEFT, 18);
		cairo_set_source_rgb(r->cr, 0, 0, 0);
		g_object_unref(l);
	}
	page_end(r);
}

/* Hinting off: the PDF's metrics are the fonts' own. */
static PangoContext *new_context(cairo_t *cr)
{
	PangoContext *ctx = pango_cairo_create_context(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	PangoLanguage *zh = pango_language_from_string("zh-cn");
	pango_context_set_language(ctx, zh);
	return ctx;
}

int doc_pdf(const Doc *d, Buf *out, DocPdfInfo *info, char *err, size_t errsz)
{
	R r = {0};
	FONT_CACHES_BEGIN();
	r.surface = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
	if (d->title)
		cairo_pdf_surface_set_metadata(r.surface, CAIRO_PDF_METADATA_TITLE, d->title);
	if (d->issuer)
		cairo_pdf_surface_set_metadata(r.surface, CAIRO_PDF_METADATA_AUTHOR, d->issuer);
	cairo_pdf_surface_set_metadata(r.surface, CAIRO_PDF_METADATA_CREATOR, "hatchery");
	/* Dated by the document, not the clock: the same bulletin renders to the
	 * same bytes (cairo would write the time of rendering). */
	char created[40];
	if (d->date && strlen(d->date) == 10) {
		snprintf(created, sizeof created, "%sT00:00:00+08:00", d->date);
		cairo_pdf_surface_set_metadata(r.surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
	}
	r.cr = cairo_create(r.surface);
	r.ctx = new_context(r.cr);
	render(&r, d);
	g_object_unref(r.ctx);
	cairo_destroy(r.cr);
	cairo_surface_finish(r.surface);
	cairo_status_t st = cairo_surface_status(r.surface);
	cairo_surface_destroy(r.surface);
	FONT_CACHES_END();
	if (info) {
		info->pages = r.page;
		info->unknown_glyphs = r.unknown;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errsz, "生成 PDF 失败：%s。", cairo_status_to_string(st));
		return H_ERR;
	}
	return H_OK;
}

int doc_chart_png(const DocChart *c, double width_pt, Buf *out, double *height_pt)
{
	double h = chart_height(c), scale = 2;
	FONT_CACHES_BEGIN();
	cairo_surface_t *s =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(width_pt * scale), (int)ceil(h * scale));
	R r = {0};
	r.cr = cairo_create(s);
	r.ctx = new_context(r.cr);
	cairo_scale(r.cr, scale, scale);
	pango_cairo_update_context(r.cr, r.ctx);
	cairo_set_source_rgb(r.cr, 1, 1, 1);
	cairo_paint(r.cr);
	chart_draw(&r, c, 0, 2, width_pt);
	g_object_unref(r.ctx);
	cairo_destroy(r.cr);
	cairo_status_t st = cairo_surface_write_to_png_stream(s, write_buf, out);
	cairo_surface_destroy(s);
	FONT_CACHES_END();
	if (height_pt)
		*height_pt = h;
	return st == CAIRO_STATUS_SUCCESS ? H_OK : H_ERR;
}
