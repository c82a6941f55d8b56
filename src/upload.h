/*
 * upload.h — reading uploaded spreadsheets (upload.c): what imports read,
 * whoever hands them the bytes (the server or the command line).
 */
#ifndef HATCHERY_UPLOAD_H
#define HATCHERY_UPLOAD_H

#include "xlsx_read.h"

#define TRANSFER_MAX_ROWS 100000   /* data rows of an import */
#define TRANSFER_MAX_EXPORT_ROWS 1048575 /* data rows of an export: Excel's sheet less its header */
#define TRANSFER_EXPORT_SECONDS 900   /* an export not read to its end by then is stopped */
#define TRANSFER_BULK_ROWS 500     /* above this, an import suspends the stamp's row triggers */
#define CSV_MAX_COLS XLSX_READ_COLS   /* a value past this column is refused */
#define CSV_MAX_CELLS XLSX_MAX_CELLS  /* fields holding a value */

/* CSV text (RFC 4180; the delimiter the header line uses: comma, tab or
 * semicolon; UTF-8 with or without BOM, or GB18030) as a sheet of text
 * cells, in a. Every field must be text (utf8_text_bad). NULL with a
 * Chinese message in err, naming the row and column of a bad field. */
XlsxSheet *upload_csv_sheet(Arena *a, const char *data, size_t len, char *err, size_t errsz);
/* Excel's column letters of a 0-based column (0 → "A", 27 → "AB"). */
const char *sheet_col_letters(Arena *a, int col);
#define UPLOAD_INSTRUCTIONS "说明"  /* the instructions sheet of our templates: never imported */

/* The bytes of an upload as a sheet: an .xlsx workbook (its sheet named
 * prefer when there is one, else its first that is not 说明) or CSV text;
 * *format says which ("xlsx", "csv"). content_type may be NULL. NULL with a
 * Chinese message in err. */
XlsxSheet *upload_sheet(Arena *a, const char *data, size_t len, const char *content_type, const char *prefer,
                        const char **format, char *err, size_t errsz);

#endif
