/*
 * xlsx_write.h — writes tables as an .xlsx workbook with libxlsxwriter:
 * one sheet per table with a bold, frozen header row of Chinese column
 * names, typed cells (text, numbers, real Excel dates shown yyyy-mm-dd),
 * column widths, optional drop-down lists for coded columns, and an
 * optional instructions sheet (说明). To a file, or into a Buf for a
 * download (libxlsxwriter only writes files: a mkstemp file in $TMPDIR or
 * /tmp is written, read back and removed).
 *
 *   static const char *const kinds[] = {"新建", "续建", NULL};
 *   XlsxColumn cols[] = {
 *       {.header = "项目名称"},
 *       {.header = "类型", .choices = kinds},
 *       {.header = "开工日期", .type = XLSX_DATE},
 *       {.header = "投资(万元)", .type = XLSX_NUMBER},
 *   };
 *   XlsxCell cells[] = {xlsx_str("滨海大道"), xlsx_str("新建"), xlsx_date("2024-03-01"), xlsx_num(1200)};
 *   XlsxTable t = {.name = "项目", .cols = cols, .ncols = 4, .cells = cells, .nrows = 1};
 *   XlsxBook book = {.tables = &t, .ntables = 1, .instructions = lines};
 *   Buf out = {0};
 *   if (xlsx_write_table(NULL, &out, &book, err, sizeof err) != H_OK) ...
 */
#ifndef HATCHERY_XLSX_WRITE_H
#define HATCHERY_XLSX_WRITE_H

#include "util.h"
#include "xlsx_read.h" /* XlsxCell and the XLSX_* cell types */

/* One column of a table. */
typedef struct XlsxColumn {
	const char *header;  /* the header text (Chinese is fine) */
	/* The format of the column's blank cells, where users type:
	 * XLSX_EMPTY (0) general; XLSX_STRING text ("@": codes keep their
	 * leading zeros, long numbers are not shown as 1.2E+17); XLSX_NUMBER
	 * general; XLSX_DATE yyyy-mm-dd. */
	int type;
	double width;        /* in characters; 0 = fit the header and the cells (8..50) */
	/* NULL-terminated allowed values: the column gets an in-cell drop-down
	 * and refuses other input. Short lists are kept in the validation
	 * itself; long ones (over 255 characters, or with a comma or quote in a
	 * value) go to a hidden sheet "_选项" and are referenced from there. */
	const char *const *choices;
	const char *note;    /* shown when a cell of the column is selected; NULL = none */
} XlsxColumn;

/* One sheet: a header row and nrows rows of ncols cells. */
typedef struct XlsxTable {
	const char *name;    /* sheet name: at most 31 characters, none of []:*?/\ */
	const XlsxColumn *cols;
	int ncols;
	/* nrows * ncols cells, row by row (row/col members are ignored). Types:
	 * XLSX_EMPTY nothing; XLSX_STRING text; XLSX_NUMBER number (NaN and
	 * infinities are left empty); XLSX_BOOL number != 0; XLSX_DATE text
	 * "YYYY-MM-DD" written as a real date (an invalid date is written as
	 * its text); XLSX_ERROR is written as its text. */
	const XlsxCell *cells;
	int nrows;
	/* Data rows below the header that get the drop-downs and the column
	 * formats; 0 = max(nrows, 1000). */
	int input_rows;
} XlsxTable;

typedef struct XlsxBook {
	const XlsxTable *tables;
	int ntables;
	/* NULL-terminated lines of the instructions sheet "说明" (one line per
	 * row, wrapped); NULL = no instructions sheet. */
	const char *const *instructions;
	int instructions_first; /* 1: 说明 is the first sheet; 0: after the tables */
} XlsxBook;

/* Writes book to path, or, when path is NULL, appends the file's bytes to
 * *out. Returns H_OK, or H_ERR with a Chinese message in err (nothing is
 * left at path). */
int xlsx_write_table(const char *path, Buf *out, const XlsxBook *book, char *err, size_t errsz);

/* Cell constructors for XlsxTable.cells. */
static inline XlsxCell xlsx_str(const char *s)
{
	return (XlsxCell){.type = s ? XLSX_STRING : XLSX_EMPTY, .text = s};
}
static inline XlsxCell xlsx_num(double n)
{
	return (XlsxCell){.type = XLSX_NUMBER, .number = n};
}
static inline XlsxCell xlsx_date(const char *iso)
{
	return (XlsxCell){.type = iso ? XLSX_DATE : XLSX_EMPTY, .text = iso};
}
static inline XlsxCell xlsx_empty(void)
{
	return (XlsxCell){.type = XLSX_EMPTY};
}

/* Excel's column letters (A … XFD) of 0-based col. */
void xlsx_col_name(int col, char out[4]);

#endif
