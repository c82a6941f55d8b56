/*
 * xlsx_stream.h — one table written as an .xlsx workbook while its rows are
 * read, piece by piece, in memory that does not grow with the rows: for
 * exports too large to hold (xlsx_write.h holds every cell, then the file).
 *
 * The workbook is what xlsx_write_table makes of one table (a bold frozen
 * header row, typed cells, real dates shown yyyy-mm-dd, the drop-downs and
 * notes of XlsxColumn, long lists on a hidden sheet "_选项", and a 说明
 * sheet after the table), written by hand: strings inline (no shared
 * strings table to keep), the zip deflated as it goes with data
 * descriptors (zip_write.h's ZipStream). Column widths are fitted to the
 * header and the first XLSX_STREAM_FIT_ROWS rows. A stream deflates in a
 * thread of its own (started by xlsx_stream_new, joined by
 * xlsx_stream_free) while the caller's thread makes the rows; next_row and
 * instructions are called in the caller's thread only.
 *
 *   XlsxStreamSpec spec = {.name = "在孵企业", .cols = cols, .ncols = n,
 *                          .next_row = next, .instructions = lines, .cls = ctx};
 *   XlsxStream *x = xlsx_stream_new(&spec);
 *   long got;
 *   while ((got = xlsx_stream_read(x, buf, sizeof buf)) > 0)
 *       fwrite(buf, 1, got, f);
 *   if (got < 0) ... xlsx_stream_error(x) ...
 *   xlsx_stream_free(x);
 */
#ifndef HATCHERY_XLSX_STREAM_H
#define HATCHERY_XLSX_STREAM_H

#include "xlsx_write.h"

#define XLSX_STREAM_FIT_ROWS 100

typedef struct XlsxStreamSpec {
	const char *name;        /* the sheet's name (checked as xlsx_write_table checks it) */
	const XlsxColumn *cols;
	int ncols;
	/* Fills cells[0..ncols) with the next row (as XlsxTable.cells): 1; 0 at
	 * the end; -1 when it failed (the stream fails: the file is not
	 * finished, so no reader takes it for whole). The texts need to live
	 * until the next call only. */
	int (*next_row)(void *cls, XlsxCell *cells);
	/* The 说明 sheet's lines (NULL-terminated), asked for after the last
	 * row, with the number of rows written; NULL: no 说明 sheet. */
	const char *const *(*instructions)(void *cls, int nrows);
	void *cls;
	int max_rows;            /* rows after which the table ends (0: Excel's limit) */
	int level;               /* deflate level, 1..9 (0: 1, the fastest) */
} XlsxStreamSpec;

typedef struct XlsxStream XlsxStream;

/* A stream, or NULL with the reason in err when the spec is refused. */
XlsxStream *xlsx_stream_new(const XlsxStreamSpec *spec, char *err, size_t errsz);
/* Up to max bytes of the file into buf: how many (> 0), 0 once the file is
 * complete, -1 when it failed (xlsx_stream_error says why). */
long xlsx_stream_read(XlsxStream *x, void *buf, size_t max);
const char *xlsx_stream_error(const XlsxStream *x);
/* Rows written so far. */
int xlsx_stream_rows(const XlsxStream *x);
void xlsx_stream_free(XlsxStream *x);

/* Appends v as short as it reads back exactly (12, 3500.5, 0.1): as a
 * number cell holds it, and as CSV writes it. */
void xlsx_put_number(Buf *b, double v);

/* The Excel serial day of "YYYY-MM-DD" (1900 system, with its phantom
 * 1900-02-29); 0 for text that is no date from 1900 on. */
long xlsx_date_serial(const char *iso);

#endif
