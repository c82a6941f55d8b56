/*
 * fuzz_xlsx.c — the .xlsx reader (xlsx_read.c) on any bytes: the sheet
 * list, then each sheet it names (and the first visible one), its cells
 * read back through xlsx_cell and xlsx_cell_text (the first 200 rows and
 * 300 columns): each cell is where it says it is, has text exactly when
 * it has a value, and nothing lies outside the sheet's size.
 */
#include "fuzz.h"
#include "xlsx_read.h"

/* Reads a sheet and walks it through the accessors of xlsx_read.h. */
static void read_one(Arena *a, const uint8_t *data, size_t size, const char *name)
{
	char err[512] = "";
	XlsxSheet *s = xlsx_read_sheet(a, data, size, name, err, sizeof err);
	if (!s) {
		FUZZ_CHECK(err[0]); /* a refusal always says why */
		return;
	}
	FUZZ_CHECK(s->nrows >= 0 && s->ncols >= 0 && s->nrows <= XLSX_MAX_ROWS && s->ncols <= XLSX_MAX_COLS);
	int rows = s->nrows < 200 ? s->nrows : 200, cols = s->ncols < 300 ? s->ncols : 300;
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			const XlsxCell *cell = xlsx_cell(s, r, c);
			const char *t = xlsx_cell_text(s, r, c);
			if (!cell || cell->type == XLSX_EMPTY) {
				FUZZ_CHECK(t == NULL);
				continue;
			}
			FUZZ_CHECK(cell->row == r && cell->col == c);
			FUZZ_CHECK(cell->text != NULL && t != NULL);
			(void)strlen(t);
		}
	FUZZ_CHECK(xlsx_cell_text(s, s->nrows, 0) == NULL);
	FUZZ_CHECK(xlsx_cell_text(s, 0, s->ncols) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Arena a = {0};
	char err[512] = "";
	const char **names;
	int n = xlsx_sheet_names(&a, data, size, &names, err, sizeof err);
	if (n < 0)
		FUZZ_CHECK(err[0]);
	for (int i = 0; i < n && i < 4; i++)
		read_one(&a, data, size, names[i]);
	read_one(&a, data, size, NULL);
	arena_free(&a);
	return 0;
}
