/*
 * xlsx_write.c — tables to .xlsx with libxlsxwriter (see xlsx_write.h).
 *
 * Two things libxlsxwriter 1.1.4 (Debian 12) does not do for us:
 *  - an in-cell list longer than 255 *bytes* overflows a fixed buffer inside
 *    the library (it checks 255 characters, and Chinese takes 3 bytes each),
 *    so longer lists go to a hidden sheet and the validation refers to it;
 *  - a literal "_x0041_" in a string is written as is, and Excel (and
 *    xlsx_read.c) would read it back as "A": it is escaped as "_x005F_x0041_".
 * And one thing it does wrong that we cannot avoid: a list validation whose
 * values come from a range (LXW_VALIDATION_TYPE_LIST_FORMULA) loses its copy
 * of the formula (strlen + 1 bytes, ~25, once per such column per workbook;
 * no pointer to it is left to free). Sanitizer builds do not report that one
 * allocation (LeakSanitizer is paused, on this thread only, for that call).
 */
#include "xlsx_write.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#if defined(__SANITIZE_ADDRESS__)
#define HATCHERY_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HATCHERY_LSAN 1
#endif
#endif
#ifdef HATCHERY_LSAN
#include <sanitizer/lsan_interface.h>
#define LIBRARY_LEAK_BEGIN() __lsan_disable()
#define LIBRARY_LEAK_END() __lsan_enable()
#else
#define LIBRARY_LEAK_BEGIN() ((void)0)
#define LIBRARY_LEAK_END() ((void)0)
#endif

#define INSTRUCTIONS_SHEET "说明"
#define LISTS_SHEET "_选项"
#define DEFAULT_INPUT_ROWS 1000
#define INLINE_LIST_MAX 255 /* bytes of "a,b,c" kept in the validation itself */

typedef struct Writer {
	lxw_workbook *wb;
	char *err;
	size_t errsz;
	int failed;
	lxw_format *header, *date, *text, *wrap;
	lxw_worksheet *lists; /* the hidden sheet of long drop-down lists */
	int nlists;           /* columns used in it */
	Buf scratch;
} Writer;

static void wfail(Writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wfail(Writer *w, const char *fmt, ...)
{
	if (w->failed)
		return;
	w->failed = 1;
	if (w->err && w->errsz) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(w->err, w->errsz, fmt, ap);
		va_end(ap);
	}
}

/* The first max characters of s (in w->scratch). */
static const char *utf8_prefix(Writer *w, const char *s, size_t max)
{
	buf_reset(&w->scratch);
	buf_append(&w->scratch, s, utf8_prefix_len(s, max));
	return buf_str(&w->scratch);
}

/* Display width in Excel's units, near enough: CJK and other wide
 * characters count 2, ASCII 1. */
static double text_width(const char *s)
{
	double wdt = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80)
			wdt += 1;
		else if ((*p & 0xC0) == 0xC0)
			wdt += 2;
	}
	return wdt;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* s with every literal "_xHHHH_" escaped as "_x005F_xHHHH_" (OOXML's escape
 * of "_"), or s itself when it has none. Invalid UTF-8 bytes become U+FFFD so
 * that the file stays valid XML. Uses w->scratch. */
static const char *ooxml_escape(Writer *w, const char *s)
{
	int plain = 1;
	for (const unsigned char *p = (const unsigned char *)s; *p && plain; p++)
		if (*p >= 0x80 || (*p == '_' && p[1] == 'x'))
			plain = 0;
	if (plain)
		return s;
	buf_reset(&w->scratch);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (p[0] == '_' && p[1] == 'x' && is_hex((char)p[2]) && is_hex((char)p[3]) && is_hex((char)p[4]) &&
		    is_hex((char)p[5]) && p[6] == '_') {
			buf_puts(&w->scratch, "_x005F");
			buf_putc(&w->scratch, '_');
			p++;
			continue;
		}
		if (*p < 0x80) {
			buf_putc(&w->scratch, (char)*p++);
			continue;
		}
		/* one UTF-8 sequence, checked */
		int n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
		int ok = n > 0 && !(n == 2 && *p < 0xC2);
		for (int k = 1; ok && k < n; k++)
			ok = (p[k] & 0xC0) == 0x80;
		if (ok && n == 3) {
			unsigned c = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			ok = c >= 0x800 && (c < 0xD800 || c > 0xDFFF) && c != 0xFFFE && c != 0xFFFF;
		} else if (ok && n == 4) {
			unsigned c = (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12 |
			             (unsigned)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
			ok = c >= 0x10000 && c <= 0x10FFFF;
		}
		if (ok) {
			buf_append(&w->scratch, p, (size_t)n);
			p += n;
		} else {
			buf_puts(&w->scratch, "\xEF\xBF\xBD");
			p++;
		}
	}
	return buf_str(&w->scratch);
}

void xlsx_col_name(int col, char out[4])
{
	char tmp[4];
	int n = 0;
	col++;
	while (col > 0 && n < 3) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

/* Checks a sheet name as Excel would; H_ERR with the reason. */
static int check_sheet_name(Writer *w, const char *name)
{
	if (!name || !*name) {
		wfail(w, "工作表名称不能为空");
		return H_ERR;
	}
	if (utf8_chars(name) > 31) {
		wfail(w, "工作表名称“%s”超过 31 个字符（Excel 的上限），请改短", name);
		return H_ERR;
	}
	if (strpbrk(name, "[]:*?/\\")) {
		wfail(w, "工作表名称“%s”含有 Excel 不允许的字符（[ ] : * ? / \\），请去掉", name);
		return H_ERR;
	}
	if (name[0] == '\'' || name[strlen(name) - 1] == '\'') {
		wfail(w, "工作表名称“%s”不能以单引号开头或结尾", name);
		return H_ERR;
	}
	return H_OK;
}

static const char *lxw_reason(lxw_error e)
{
	switch (e) {
	case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
		return "文字超过 32767 个字符（Excel 单元格的上限）";
	case LXW_ERROR_CREATING_XLSX_FILE:
		return "无法创建文件（目录不存在或没有写权限）";
	case LXW_ERROR_CREATING_TMPFILE:
	case LXW_ERROR_READING_TMPFILE:
		return "无法使用临时文件（磁盘已满或临时目录不可写）";
	default:
		return lxw_strerror(e);
	}
}

static void write_string(Writer *w, lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	if (!s || !*s)
		return;
	lxw_error e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, ooxml_escape(w, s), f);
	if (e != LXW_NO_ERROR)
		wfail(w, "第 %d 行第 %d 列无法写入：%s", row + 1, col + 1, lxw_reason(e));
}

/* Writes "YYYY-MM-DD" as a real date; anything else (or before 1900, which
 * Excel cannot show) as text. */
static void write_date(Writer *w, lxw_worksheet *ws, int row, int col, const char *iso)
{
	if (!iso || !*iso)
		return;
	if (!date_valid(iso) || digits_value(iso, 4) < 1900) {
		write_string(w, ws, row, col, iso, NULL);
		return;
	}
	lxw_datetime dt = {.year = digits_value(iso, 4), .month = digits_value(iso + 5, 2), .day = digits_value(iso + 8, 2)};
	lxw_error e = worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt, w->date);
	if (e != LXW_NO_ERROR)
		wfail(w, "第 %d 行第 %d 列的日期无法写入：%s", row + 1, col + 1, lxw_reason(e));
}

static void write_cell(Writer *w, lxw_worksheet *ws, int row, int col, const XlsxCell *c,
                       lxw_format *colfmt)
{
	lxw_error e = LXW_NO_ERROR;
	switch (c->type) {
	case XLSX_STRING:
	case XLSX_ERROR:
		write_string(w, ws, row, col, c->text, colfmt == w->text ? w->text : NULL);
		break;
	case XLSX_NUMBER:
		if (isfinite(c->number))
			e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->number, NULL);
		break;
	case XLSX_BOOL:
		e = worksheet_write_boolean(ws, (lxw_row_t)row, (lxw_col_t)col, c->number != 0, NULL);
		break;
	case XLSX_DATE:
		write_date(w, ws, row, col, c->text);
		break;
	default:
		break;
	}
	if (e != LXW_NO_ERROR)
		wfail(w, "第 %d 行第 %d 列无法写入：%s", row + 1, col + 1, lxw_reason(e));
}

/* The width of column c: given, or fitted to the header and the cells. */
static double column_width(const XlsxTable *t, int c)
{
	const XlsxColumn *col = &t->cols[c];
	if (col->width > 0)
		return col->width;
	double wdt = col->header ? text_width(col->header) + 2 : 0; /* bold, and room for the filter */
	if (col->type == XLSX_DATE && wdt < 12)
		wdt = 12;
	for (int r = 0; r < t->nrows && wdt < 50; r++) {
		const XlsxCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
		double cw = 0;
		if (cell->type == XLSX_DATE)
			cw = 11;
		else if (cell->type == XLSX_NUMBER)
			cw = 12;
		else if (cell->text)
			cw = text_width(cell->text);
		if (cw + 1 > wdt)
			wdt = cw + 1;
	}
	return wdt < 8 ? 8 : wdt > 50 ? 50 : wdt;
}

/* The drop-down of column c over rows 1..last. */
static void add_dropdown(Writer *w, lxw_worksheet *ws, const XlsxColumn *col, int c, int last)
{
	const char *const *v = col->choices;
	int n = 0;
	size_t bytes = 0;
	int inline_ok = 1;
	for (; v[n]; n++) {
		bytes += strlen(v[n]) + (n ? 1 : 0);
		if (strchr(v[n], ',') || strchr(v[n], '"') || !*v[n])
			inline_ok = 0;
	}
	if (n == 0)
		return;
	if (bytes > INLINE_LIST_MAX)
		inline_ok = 0;

	lxw_data_validation dv = {0};
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
	char formula[64];
	if (inline_ok)
		dv.value_list = (char **)v;
	else {
		if (!w->lists) {
			w->failed = 1; /* cannot happen: the sheet is made up front */
			return;
		}
		int lc = w->nlists++;
		int k = 0;
		for (int i = 0; i < n && !w->failed; i++)
			if (*v[i])
				write_string(w, w->lists, k++, lc, v[i], w->text);
		char letters[4];
		xlsx_col_name(lc, letters);
		snprintf(formula, sizeof formula, "='" LISTS_SHEET "'!$%s$1:$%s$%d", letters, letters, k ? k : 1);
		dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
		dv.value_formula = formula;
	}
	dv.error_title = "输入有误";
	Buf msg = {0};
	buf_puts(&msg, "请从下拉列表中选择：");
	for (int i = 0; i < n && utf8_chars(buf_str(&msg)) < 200; i++)
		buf_printf(&msg, "%s%s", i ? "、" : "", v[i]);
	dv.error_message = (char *)utf8_prefix(w, buf_str(&msg), 250);
	char *message = xstrdup(dv.error_message);
	dv.error_message = message;
	char *title = NULL, *note = NULL;
	if (col->note && *col->note) {
		title = xstrdup(utf8_prefix(w, col->header ? col->header : "", 30));
		note = xstrdup(utf8_prefix(w, col->note, 250));
		dv.input_title = title;
		dv.input_message = note;
	}
	if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA)
		LIBRARY_LEAK_BEGIN(); /* libxlsxwriter 1.1.4 loses its copy of value_formula */
	lxw_error e = worksheet_data_validation_range(ws, 1, (lxw_col_t)c, (lxw_row_t)last, (lxw_col_t)c, &dv);
	if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA)
		LIBRARY_LEAK_END();
	if (e != LXW_NO_ERROR)
		wfail(w, "第 %d 列的下拉列表无法写入：%s", c + 1, lxw_reason(e));
	free(message);
	free(title);
	free(note);
	buf_free(&msg);
}

/* A note without a drop-down: a validation that accepts anything. */
static void add_note(Writer *w, lxw_worksheet *ws, const XlsxColumn *col, int c, int last)
{
	lxw_data_validation dv = {0};
	dv.validate = LXW_VALIDATION_TYPE_ANY;
	char *title = xstrdup(utf8_prefix(w, col->header ? col->header : "", 30));
	char *note = xstrdup(utf8_prefix(w, col->note, 250));
	dv.input_title = title;
	dv.input_message = note;
	lxw_error e = worksheet_data_validation_range(ws, 1, (lxw_col_t)c, (lxw_row_t)last, (lxw_col_t)c, &dv);
	if (e != LXW_NO_ERROR)
		wfail(w, "第 %d 列的说明无法写入：%s", c + 1, lxw_reason(e));
	free(title);
	free(note);
}

static void write_table(Writer *w, lxw_worksheet *ws, const XlsxTable *t)
{
	int last = t->input_rows > 0 ? t->input_rows : (t->nrows > DEFAULT_INPUT_ROWS ? t->nrows : DEFAULT_INPUT_ROWS);
	if (last > XLSX_MAX_ROWS - 1)
		last = XLSX_MAX_ROWS - 1;
	for (int c = 0; c < t->ncols && !w->failed; c++) {
		const XlsxColumn *col = &t->cols[c];
		lxw_format *colfmt = col->type == XLSX_DATE ? w->date : col->type == XLSX_STRING ? w->text : NULL;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, column_width(t, c), colfmt);
		write_string(w, ws, 0, c, col->header ? col->header : "", w->header);
		if (col->choices)
			add_dropdown(w, ws, col, c, last);
		else if (col->note && *col->note)
			add_note(w, ws, col, c, last);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (int r = 0; r < t->nrows && !w->failed; r++)
		for (int c = 0; c < t->ncols && !w->failed; c++) {
			const XlsxColumn *col = &t->cols[c];
			lxw_format *colfmt = col->type == XLSX_STRING ? w->text : NULL;
			write_cell(w, ws, r + 1, c, &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c], colfmt);
		}
}

static void write_instructions(Writer *w, lxw_worksheet *ws, const char *const *lines)
{
	worksheet_set_column(ws, 0, 0, 100, w->wrap);
	for (int i = 0; lines[i] && !w->failed; i++)
		write_string(w, ws, i, 0, lines[i], w->wrap);
}

static int list_needs_sheet(const XlsxColumn *col)
{
	size_t bytes = 0;
	int n = 0;
	for (; col->choices && col->choices[n]; n++) {
		bytes += strlen(col->choices[n]) + (n ? 1 : 0);
		if (strchr(col->choices[n], ',') || strchr(col->choices[n], '"') || !*col->choices[n])
			return 1;
	}
	return n > 0 && bytes > INLINE_LIST_MAX;
}

/* Checks the book; H_ERR with the reason. */
static int check_book(Writer *w, const XlsxBook *book, int *need_lists)
{
	*need_lists = 0;
	if (!book || book->ntables < 0 || (book->ntables > 0 && !book->tables) ||
	    (book->ntables == 0 && !book->instructions)) {
		wfail(w, "没有要写入的表格");
		return H_ERR;
	}
	for (int i = 0; i < book->ntables; i++) {
		const XlsxTable *t = &book->tables[i];
		if (check_sheet_name(w, t->name) != H_OK)
			return H_ERR;
		for (int k = 0; k < i; k++)
			if (strcasecmp(book->tables[k].name, t->name) == 0) {
				wfail(w, "工作表名称“%s”重复，请为每个表格取不同的名称", t->name);
				return H_ERR;
			}
		if ((book->instructions && strcmp(t->name, INSTRUCTIONS_SHEET) == 0) ||
		    strcmp(t->name, LISTS_SHEET) == 0) {
			wfail(w, "工作表名称“%s”已留作他用，请换一个名称", t->name);
			return H_ERR;
		}
		if (t->ncols < 0 || t->ncols > XLSX_MAX_COLS || t->nrows < 0 || t->nrows > XLSX_MAX_ROWS - 1 ||
		    (t->ncols > 0 && !t->cols) || (t->nrows > 0 && t->ncols > 0 && !t->cells)) {
			wfail(w, "表格“%s”的行数或列数超出 Excel 的范围（最多 %d 行、%d 列）", t->name,
			      XLSX_MAX_ROWS - 1, XLSX_MAX_COLS);
			return H_ERR;
		}
		for (int c = 0; c < t->ncols; c++)
			if (list_needs_sheet(&t->cols[c]))
				(*need_lists)++;
	}
	if (*need_lists > XLSX_MAX_COLS) {
		wfail(w, "下拉列表过多");
		return H_ERR;
	}
	return H_OK;
}

static int write_book(Writer *w, const char *path, const XlsxBook *book)
{
	int need_lists;
	if (check_book(w, book, &need_lists) != H_OK)
		return H_ERR;
	lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	w->wb = workbook_new_opt(path, &opts);
	if (!w->wb) {
		wfail(w, "无法创建 Excel 文件");
		return H_ERR;
	}
	w->header = workbook_add_format(w->wb);
	format_set_bold(w->header);
	format_set_bg_color(w->header, 0xDDEBF7);
	format_set_border(w->header, LXW_BORDER_THIN);
	format_set_align(w->header, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(w->header);
	w->date = workbook_add_format(w->wb);
	format_set_num_format(w->date, "yyyy-mm-dd");
	w->text = workbook_add_format(w->wb);
	format_set_num_format(w->text, "@");
	w->wrap = workbook_add_format(w->wb);
	format_set_text_wrap(w->wrap);
	format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);

	/* Sheets in their final order: 说明 (first or last), the tables, the
	 * hidden lists. */
	lxw_worksheet *instr = NULL;
	lxw_worksheet **sheets = xcalloc((size_t)(book->ntables ? book->ntables : 1), sizeof *sheets);
	if (book->instructions && book->instructions_first)
		instr = workbook_add_worksheet(w->wb, INSTRUCTIONS_SHEET);
	for (int i = 0; i < book->ntables; i++)
		sheets[i] = workbook_add_worksheet(w->wb, book->tables[i].name);
	if (book->instructions && !book->instructions_first)
		instr = workbook_add_worksheet(w->wb, INSTRUCTIONS_SHEET);
	if (need_lists) {
		w->lists = workbook_add_worksheet(w->wb, LISTS_SHEET);
		if (w->lists)
			worksheet_hide(w->lists);
	}
	int ok = (!book->instructions || instr) && (!need_lists || w->lists);
	for (int i = 0; i < book->ntables; i++)
		ok = ok && sheets[i];
	if (!ok)
		wfail(w, "无法创建工作表（名称不被 Excel 接受）");
	for (int i = 0; i < book->ntables && !w->failed; i++)
		write_table(w, sheets[i], &book->tables[i]);
	if (instr && !w->failed)
		write_instructions(w, instr, book->instructions);
	free(sheets);
	lxw_error e = workbook_close(w->wb); /* writes the file; frees the workbook */
	w->wb = NULL;
	if (e != LXW_NO_ERROR)
		wfail(w, "写入 Excel 文件失败：%s", lxw_reason(e));
	return w->failed ? H_ERR : H_OK;
}

int xlsx_write_table(const char *path, Buf *out, const XlsxBook *book, char *err, size_t errsz)
{
	Writer w = {.err = err, .errsz = errsz};
	if (err && errsz)
		err[0] = 0;
	if (!path && !out) {
		wfail(&w, "没有指定写入的位置");
		return H_ERR;
	}
	if (path) {
		int rc = write_book(&w, path, book);
		if (rc != H_OK)
			unlink(path);
		buf_free(&w.scratch);
		return rc;
	}
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s/hatchery-xlsx-XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		wfail(&w, "无法创建临时文件（临时目录 %s 不可写或磁盘已满）", dir);
		return H_ERR;
	}
	close(fd);
	int rc = write_book(&w, tmp, book);
	if (rc == H_OK) {
		size_t n = 0;
		char *bytes = file_read(tmp, &n);
		if (!bytes) {
			wfail(&w, "无法读回生成的 Excel 文件（临时目录 %s）", dir);
			rc = H_ERR;
		} else {
			buf_append(out, bytes, n);
			free(bytes);
		}
	}
	unlink(tmp);
	buf_free(&w.scratch);
	return rc;
}
