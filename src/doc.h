/*
 * doc.h — a small model of an official document (公文) and its renderers:
 * the issuing unit's header (红头), the document number line, a title, an
 * addressee, paragraphs, headings, tables with header rows, simple bar
 * charts, and the issuing unit and date at the end. A bulletin (通报) is
 * built as a Doc, frozen as its JSON (doc_to_json / doc_from_json), and
 * rendered from that JSON only:
 *   doc_pdf.c   PDF with cairo and pango (A4, GB/T 9704-2012's layout)
 *   doc_docx.c  WordprocessingML (.docx) through zip_write.c
 *   doc_xlsx.c  its tables as an .xlsx workbook (xlsx_write.c)
 * The HTML page is written by the page that shows it (page_bulletins.c).
 *
 * Every string is UTF-8 and lives in the Doc's arena (or is static).
 */
#ifndef HATCHERY_DOC_H
#define HATCHERY_DOC_H

#include <jansson.h>

#include "util.h"

typedef enum { DOC_PARA = 1, DOC_HEADING, DOC_TABLE, DOC_CHART } DocKind;

/* One cell: its text as shown; a number too where the cell is one (a rank,
 * a count), so that the workbook has numbers, not text. */
typedef struct DocCell {
	const char *text;
	double num;
	int is_num;
} DocCell;

typedef struct DocTable {
	const char *caption;  /* above the table ("表1 ……"); NULL: none */
	const char *name;     /* the workbook's sheet name (≤ 31 characters); NULL: from the caption */
	int ncols;
	int header_rows;      /* the first rows of cells that repeat on every page */
	int nrows;            /* all rows, header rows included */
	DocCell *cells;       /* nrows * ncols, row by row */
	double *widths;       /* ncols relative widths (NULL: equal) */
	unsigned char *right; /* ncols flags: 1 = right-aligned (figures); NULL: none */
	const char *note;     /* a line under the table ("注：……"); NULL: none */
} DocTable;

/* Horizontal bars, one per item, with an optional mark (100% line). */
typedef struct DocChart {
	const char *caption;
	const char *unit;     /* of the values ("%" for completion rates) */
	int n;
	const char **labels;
	double *values;
	int has_mark;
	double mark;          /* a reference line (100 for completion rates) */
	double max;           /* the bars' full scale; 0: the largest value or mark (a part of a
	                         chart drawn as several pictures keeps the whole one's) */
} DocChart;

typedef struct DocBlock {
	DocKind kind;
	int level;            /* headings: 1 (一、 黑体) or 2 (（一） 楷体-like) */
	const char *text;     /* paragraphs and headings */
	const char *id;       /* a stable name (an editable paragraph's key); NULL: none */
	DocTable *table;
	DocChart *chart;
} DocBlock;

typedef struct Doc {
	Arena *arena;
	const char *issuer;     /* the header's unit, in red: "瑞安市大孵化集群工作专班办公室" */
	const char *number;     /* "瑞孵办〔2024〕11号"; NULL: none */
	const char *title;      /* "关于2024年11月全市大孵化集群建设进展情况的通报" */
	const char *addressee;  /* "各镇（街道）、功能区：" ; NULL: none */
	const char *signer;     /* the unit at the end (defaults to issuer) */
	const char *date;       /* the date at the end, "2024-12-05" (written 2024年12月5日) */
	const char *footnote;   /* a last small line ("数据截至……", "示例数据"); NULL: none */
	DocBlock *blocks;
	int nblocks, cap;
} Doc;

/* An empty document whose strings and blocks live in a. */
Doc *doc_new(Arena *a);
/* Appends a paragraph / heading (text copied into the arena); returns the block. */
DocBlock *doc_para(Doc *d, const char *text);
DocBlock *doc_heading(Doc *d, int level, const char *text);
/* Appends a table of nrows rows (header rows included) × ncols, every cell
 * empty; fill it with doc_cell / doc_cell_num. */
DocTable *doc_table(Doc *d, const char *caption, int ncols, int header_rows, int nrows);
void doc_cell(DocTable *t, int row, int col, const char *text);
void doc_cell_num(DocTable *t, int row, int col, const char *text, double num);
/* Appends a bar chart of n items (labels and values to fill). */
DocChart *doc_chart(Doc *d, const char *caption, const char *unit, int n);

/* The document as one JSON object (a new reference), and back. doc_from_json
 * returns NULL, with a reason in err, when j is not one doc_to_json wrote. */
json_t *doc_to_json(const Doc *d);
Doc *doc_from_json(Arena *a, const json_t *j, char *err, size_t errsz);

/* ---- renderers: each appends a file's bytes to out ---- */

/* What a PDF took: pages written, and glyphs no font had (must stay 0). */
typedef struct DocPdfInfo {
	int pages;
	int unknown_glyphs;
} DocPdfInfo;

/* PDF, A4, official layout (doc_pdf.c). H_OK, or H_ERR with a message. */
int doc_pdf(const Doc *d, Buf *out, DocPdfInfo *info, char *err, size_t errsz);
/* .docx (doc_docx.c). H_OK, or H_ERR with a message. */
int doc_docx(const Doc *d, Buf *out, char *err, size_t errsz);
/* .xlsx of the tables and charts' figures, with a 说明 sheet of the
 * title, number, date and footnote (doc_xlsx.c). */
int doc_xlsx(const Doc *d, Buf *out, char *err, size_t errsz);

/* A chart as a PNG picture (doc_pdf.c's drawing), width × height pixels at
 * 2× (for the .docx). H_OK or H_ERR. */
int doc_chart_png(const DocChart *c, double width_pt, Buf *out, double *height_pt);

#endif
