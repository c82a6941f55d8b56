/*
 * xlsx_read.h — a small reader of .xlsx workbooks (Office Open XML
 * spreadsheets) from memory, on libzip, expat and xml_scan.c (the sheet and
 * the shared strings). Uploads arrive as a buffer;
 * one sheet is read into an Arena as rows of cells.
 *
 * What it understands: the sheet list of xl/workbook.xml and the parts it
 * points to through the relationships (never assumes sheet1.xml); shared
 * strings (rich text runs concatenated, phonetic runs left out), inline
 * strings, numbers, booleans, errors, formula results (the cached value),
 * ISO dates (t="d"), and numbers whose cell style has a date format, which
 * become "YYYY-MM-DD" in the 1900 or the 1904 date system.
 *
 * What it refuses, with a Chinese message saying what is wrong and what to
 * do (never a crash): anything that is not a zip, archives of more than
 * XLSX_MAX_ENTRIES entries, a needed part inflating past XLSX_MAX_PART bytes
 * or at a ratio over XLSX_MAX_RATIO:1 (past XLSX_RATIO_FROM bytes) — counted
 * while inflating, the sizes in the zip headers are not trusted — XML with
 * a DTD, more than XLSX_MAX_ROWS rows or XLSX_MAX_COLS columns, a value
 * past column XLSX_READ_COLS, more than XLSX_MAX_CELLS cells holding a value
 * or shared strings, and text that is not UTF-8 or holds control characters
 * other than tab, CR and LF (naming the cell).
 *
 * Memory follows what the file holds, not what it claims: a sheet is kept
 * sparsely (only cells with a value), so a cell far to the right or a row
 * far down costs what its few bytes of XML cost.
 */
#ifndef HATCHERY_XLSX_READ_H
#define HATCHERY_XLSX_READ_H

#include <stddef.h>

#include "util.h"

/* Cell types (shared with xlsx_write.h). */
enum {
	XLSX_EMPTY = 0, /* no value: a gap, a styled blank cell, an empty string */
	XLSX_STRING,    /* text: shared, inline or a formula's string result */
	XLSX_NUMBER,    /* number; text is its display form: "12", "0.25", "1e+20" */
	XLSX_BOOL,      /* number 1 or 0; text "TRUE" or "FALSE" */
	XLSX_DATE,      /* number is the Excel serial (with any time of day);
	                   text is the day "YYYY-MM-DD" */
	XLSX_ERROR,     /* a formula error; text is its code: "#N/A", "#DIV/0!" */
};

/* Limits against zip bombs and abuse. */
#define XLSX_MAX_ENTRIES 1000              /* entries in the zip archive */
#define XLSX_MAX_PART (64u * 1024 * 1024)  /* uncompressed bytes of one part */
#define XLSX_MAX_RATIO 100                 /* uncompressed : compressed ... */
#define XLSX_RATIO_FROM (1u * 1024 * 1024) /* ... checked past this size */
#define XLSX_MAX_ROWS 1048576              /* Excel's own limits (of a cell reference) */
#define XLSX_MAX_COLS 16384
#define XLSX_READ_COLS 256                 /* a value past column IV: refused (no template
                                              is that wide; callers loop over columns) */
#define XLSX_MAX_CELLS 2000000             /* cells holding a value: 100 000 rows x 20 */

/* One cell. row and col are 0-based (A1 is row 0, col 0). text is NULL for
 * XLSX_EMPTY and set for every other type (see the enum). */
typedef struct XlsxCell {
	int row, col;
	int type;
	const char *text;
	double number;
} XlsxCell;

/* One sheet, kept sparsely: cells[r] holds the ncells[r] cells of row r
 * that have a value, in column order (NULL and 0 for a row without), and
 * rowlen[r] is 1 + the column of the row's last value (0 for none). Read a
 * cell with xlsx_cell() or xlsx_cell_text(). nrows is 1 + the last row that
 * has a value, ncols the largest rowlen (0 and 0 for an empty sheet).
 * Everything lives in the arena given to the reader. */
typedef struct XlsxSheet {
	const char *name;
	int nrows, ncols;
	XlsxCell **cells;
	int *ncells;
	int *rowlen;
	int date1904; /* 1 when the workbook uses the 1904 date system */
} XlsxSheet;

/* Reads the sheet called sheet_name (exact match) or, when NULL, the first
 * visible sheet in the workbook's order, from the .xlsx bytes data[0..len).
 * Returns NULL with a Chinese message in err on any failure. */
XlsxSheet *xlsx_read_sheet(Arena *a, const void *data, size_t len, const char *sheet_name,
                           char *err, size_t errsz);

/* The sheet names in workbook order (hidden sheets included) into *names
 * (in a); returns their count, or -1 with a Chinese message in err. */
int xlsx_sheet_names(Arena *a, const void *data, size_t len, const char ***names, char *err,
                     size_t errsz);

/* The cell at (row, col) as text: strings as they are, numbers without a
 * trailing ".0", dates as "YYYY-MM-DD", booleans "TRUE"/"FALSE"; NULL for an
 * empty cell or one outside the sheet. */
const char *xlsx_cell_text(const XlsxSheet *s, int row, int col);

/* The cell at (row, col), or NULL when it holds no value (or is outside
 * the sheet). */
const XlsxCell *xlsx_cell(const XlsxSheet *s, int row, int col);

/* A sheet named name of the n cells, all holding a value and inside the
 * limits above, in (row, col) order when sorted is 1 (else they are sorted
 * here, and of two cells at one place the later wins). cells (malloc'd)
 * becomes the arena's. For readers of other formats (upload.c's CSV). */
XlsxSheet *xlsx_sheet_from_cells(Arena *a, const char *name, XlsxCell *cells, size_t n, int sorted);

/* Converts an Excel date serial to "YYYY-MM-DD" (1900 system with its
 * phantom 1900-02-29, or 1904 system); H_ERR outside 1900..9999. */
int xlsx_serial_to_date(double serial, int date1904, char out[11]);

#endif
