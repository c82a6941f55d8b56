/*
 * fuzz_csv.c — the CSV reader of imports (upload.c's upload_csv_sheet) on
 * any bytes: UTF-8 with or without BOM, GB18030, quotes, delimiters. The
 * sheet it makes is read back through the accessors of xlsx_read.h (the
 * first 200 rows and 300 columns): each cell where it says it is, within
 * the import's column limit, its text no longer than the input could make.
 */
#include "fuzz.h"
#include "upload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = upload_csv_sheet(&a, (const char *)data, size, err, sizeof err);
	if (!s) {
		FUZZ_CHECK(err[0]);
	} else {
		FUZZ_CHECK(s->nrows >= 0 && s->ncols >= 0 && s->ncols <= CSV_MAX_COLS);
		int rows = s->nrows < 200 ? s->nrows : 200, cols = s->ncols < 300 ? s->ncols : 300;
		for (int r = 0; r < rows; r++)
			for (int c = 0; c < cols; c++) {
				const XlsxCell *cell = xlsx_cell(s, r, c);
				const char *t = xlsx_cell_text(s, r, c);
				if (cell && cell->type != XLSX_EMPTY)
					FUZZ_CHECK(cell->row == r && cell->col == c);
				if (t)
					FUZZ_CHECK(strlen(t) <= 2 * size); /* GB18030 grows by half at most */
			}
		FUZZ_CHECK(xlsx_cell_text(s, s->nrows, 0) == NULL);
	}
	arena_free(&a);
	return 0;
}
