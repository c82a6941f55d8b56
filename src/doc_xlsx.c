/*
 * doc_xlsx.c — a Doc's tables (doc.h) as an .xlsx workbook through
 * xlsx_write.c: one sheet per table with the same columns as the document
 * (numbers as numbers where the cell is one), one sheet per chart with its
 * figures, and a 说明 sheet first with the title, number, date and note.
 */
#include "doc.h"
#include "xlsx_write.h"

#include <string.h>

/* A sheet name from the table's name or caption: at most 31 characters,
 * none of []:*?/\ and unique among names[0..n). */
static const char *sheet_name(Arena *a, const char *want, int index, const char **names, int n)
{
	Buf b = {0};
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)(want ? want : ""); *p && chars < 28;) {
		int len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		if (!strchr("[]:*?/\\'", *p))
			buf_append(&b, p, (size_t)len);
		p += len;
		chars++;
	}
	const char *name = b.len ? arena_strdup(a, b.data) : arena_printf(a, "表%d", index + 1);
	buf_free(&b);
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return arena_printf(a, "%s_%d", name, index + 1);
	return name;
}

int doc_xlsx(const Doc *d, Buf *out, char *err, size_t errsz)
{
	Arena *a = d->arena;
	int ntab = 0;
	for (int i = 0; i < d->nblocks; i++)
		ntab += d->blocks[i].kind == DOC_TABLE || d->blocks[i].kind == DOC_CHART;
	XlsxTable *tabs = arena_alloc(a, sizeof *tabs * (size_t)(ntab ? ntab : 1));
	const char **names = arena_alloc(a, sizeof *names * (size_t)(ntab ? ntab : 1));
	int k = 0;
	for (int i = 0; i < d->nblocks; i++) {
		const DocBlock *b = &d->blocks[i];
		XlsxTable *x = &tabs[k];
		if (b->kind == DOC_TABLE) {
			const DocTable *t = b->table;
			XlsxColumn *cols = arena_alloc(a, sizeof *cols * (size_t)t->ncols);
			for (int c = 0; c < t->ncols; c++) {
				/* several header rows: their texts joined, each once */
				Buf h = {0};
				for (int r = 0; r < t->header_rows; r++) {
					const char *s = t->cells[r * t->ncols + c].text;
					if (s && *s && !(h.len && strstr(h.data, s))) {
						if (h.len)
							buf_puts(&h, " ");
						buf_puts(&h, s);
					}
				}
				cols[c].header = arena_strdup(a, h.len ? h.data : " ");
				buf_free(&h);
			}
			int nrows = t->nrows - t->header_rows;
			XlsxCell *cells = arena_alloc(a, sizeof *cells * (size_t)(t->ncols * (nrows ? nrows : 1)));
			for (int r = 0; r < nrows; r++)
				for (int c = 0; c < t->ncols; c++) {
					const DocCell *cell = &t->cells[(r + t->header_rows) * t->ncols + c];
					cells[r * t->ncols + c] = cell->is_num ? xlsx_num(cell->num) : xlsx_str(cell->text);
				}
			x->cols = cols;
			x->ncols = t->ncols;
			x->cells = cells;
			x->nrows = nrows;
			x->input_rows = nrows ? nrows : 1;
			x->name = sheet_name(a, t->name ? t->name : t->caption, k, names, k);
		} else if (b->kind == DOC_CHART) {
			const DocChart *c = b->chart;
			XlsxColumn *cols = arena_alloc(a, sizeof *cols * 2);
			cols[0].header = "名称";
			cols[1].header = c->unit && !strcmp(c->unit, "%") ? "数值（%）" : "数值";
			cols[1].type = XLSX_NUMBER;
			XlsxCell *cells = arena_alloc(a, sizeof *cells * (size_t)(2 * (c->n ? c->n : 1)));
			for (int r = 0; r < c->n; r++) {
				cells[2 * r] = xlsx_str(c->labels[r]);
				cells[2 * r + 1] = xlsx_num(c->values[r]);
			}
			x->cols = cols;
			x->ncols = 2;
			x->cells = cells;
			x->nrows = c->n;
			x->input_rows = c->n ? c->n : 1;
			x->name = sheet_name(a, c->caption, k, names, k);
		} else {
			continue;
		}
		names[k] = x->name;
		k++;
	}
	const char *lines[8];
	int nl = 0;
	if (d->title)
		lines[nl++] = d->title;
	if (d->number)
		lines[nl++] = d->number;
	if (d->signer || d->issuer)
		lines[nl++] = d->signer ? d->signer : d->issuer;
	if (d->date)
		lines[nl++] = arena_printf(a, "日期：%s", d->date);
	if (d->footnote)
		lines[nl++] = d->footnote;
	if (!nl)
		lines[nl++] = "本工作簿为文档中的表格。";
	lines[nl] = NULL;
	XlsxBook book = {.tables = tabs, .ntables = k, .instructions = lines, .instructions_first = 1};
	return xlsx_write_table(NULL, out, &book, err, errsz);
}
