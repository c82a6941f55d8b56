/*
 * upload.h — reading uploaded spreadsheets and answering downloads (upload.c).
 */
#ifndef HATCHERY_UPLOAD_H
#define HATCHERY_UPLOAD_H

#include "http.h"
#include "xlsx_read.h"

#define TRANSFER_MAX_ROWS 100000   /* data rows of an export or an import */
#define TRANSFER_BULK_ROWS 500     /* above this, an import suspends the stamp's row triggers */
#define CSV_MAX_COLS 1000          /* columns of a CSV line */
#define CSV_MAX_CELLS 5000000      /* cells of a CSV file */

/* CSV text (RFC 4180; the delimiter the header line uses: comma, tab or
 * semicolon; UTF-8 with or without BOM, or GB18030) as a sheet of text
 * cells, in a. NULL with a Chinese message in err. */
XlsxSheet *upload_csv_sheet(Arena *a, const char *data, size_t len, char *err, size_t errsz);
/* Excel's column letters of a 0-based column (0 → "A", 27 → "AB"). */
const char *sheet_col_letters(Arena *a, int col);
/* Content-Disposition: attachment with an ASCII name and the UTF-8 one (RFC 6266, 5987). */
void http_attachment(Req *r, const char *ascii, const char *utf8);

#endif
