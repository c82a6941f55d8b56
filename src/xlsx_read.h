/*
 * xlsx_read.h — a small reader of .xlsx workbooks (Office Open XML
 * spreadsheets) from memory, on libzip + expat. Uploads arrive as a buffer;
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
 * a DTD, more than XLSX_MAX_ROWS rows or XLSX_MAX_COLS columns, or more than
 * XLSX_MAX_CELLS cells once gaps are filled in.
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
#define XLSX_MAX_ROWS 1048576              /* Excel's own limits */
#define XLSX_MAX_COLS 16384
#define XLSX_MAX_CELLS 10000000            /* rows x columns after gaps are filled */

/* One cell. row and col are 0-based (A1 is row 0, col 0). text is NULL for
 * XLSX_EMPTY and set for every other type (see the enum). */
typedef struct XlsxCell {
	int row, col;
	int type;
	const char *text;
	double number;
} XlsxCell;

/* One sheet: rows[r] holds rowlen[r] cells, and rows[r][c] is the cell of
 * column c (gaps are XLSX_EMPTY cells), so a row is dense from column 0 to
 * its last cell that has a value. A row without values has rowlen 0 and
 * rows[r] NULL. nrows is 1 + the last row that has a value, ncols the
 * largest rowlen (0 and 0 for an empty sheet). Everything lives in the
 * arena given to xlsx_read_sheet(). */
typedef struct XlsxSheet {
	const char *name;
	int nrows, ncols;
	XlsxCell **rows;
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

/* The cell at (row, col), or NULL outside the sheet's rows. */
const XlsxCell *xlsx_cell(const XlsxSheet *s, int row, int col);

/* Converts an Excel date serial to "YYYY-MM-DD" (1900 system with its
 * phantom 1900-02-29, or 1904 system); H_ERR outside 1900..9999. */
int xlsx_serial_to_date(double serial, int date1904, char out[11]);

#endif
