/*
 * upload.c — reading uploaded spreadsheets, the one reader of the
 * registry's and the targets' imports (pages, API and command line): an
 * .xlsx workbook's data sheet or CSV (UTF-8, or the GB18030 that a Chinese
 * Excel writes) as a sheet, and Excel's column letters.
 */
#include "upload.h"

#include <ctype.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2 : (c & 0xF0) == 0xE0 ? 3
		        : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4 : 0;
		if (!len || i + (size_t)len > n)
			return 0;
		for (int k = 1; k < len; k++)
			if ((s[i + (size_t)k] & 0xC0) != 0x80)
				return 0;
		i += (size_t)len;
	}
	return 1;
}

/* GB18030 (what Excel writes for a Chinese "CSV") to UTF-8; NULL when it is not. */
static char *gb18030_to_utf8(Arena *a, const char *in, size_t n, size_t *outn)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 2 + 16;
	char *out = arena_alloc(a, cap);
	char *src = (char *)in, *dst = out;
	size_t inleft = n, outleft = cap - 1;
	size_t rc = iconv(cd, &src, &inleft, &dst, &outleft);
	iconv_close(cd);
	if (rc == (size_t)-1 || inleft)
		return NULL;
	*dst = 0;
	*outn = (size_t)(dst - out);
	return out;
}

/* Parses CSV text (RFC 4180; the delimiter of the header line: comma, tab
 * or semicolon) into a sheet of text cells. NULL with a message on error. */
XlsxSheet *upload_csv_sheet(Arena *a, const char *data, size_t len, char *err, size_t errsz)
{
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	} else if (!utf8_valid((const unsigned char *)data, len)) {
		size_t n;
		char *conv = gb18030_to_utf8(a, data, len, &n);
		if (!conv) {
			snprintf(err, errsz, "无法识别文件的文字编码;请在 Excel 中另存为 .xlsx,或 UTF-8 编码的 CSV 后再导入。");
			return NULL;
		}
		data = conv;
		len = n;
	}
	if (memchr(data, 0, len)) {
		snprintf(err, errsz, "文件不是 CSV 文本,也不是 .xlsx 工作簿;请选择 Excel 的 .xlsx 文件或 .csv 文件。");
		return NULL;
	}
	/* the delimiter: the most frequent of , \t ; on the first line, outside quotes */
	int counts[3] = {0, 0, 0}, inq = 0;
	for (size_t i = 0; i < len && (inq || (data[i] != '\n' && data[i] != '\r')); i++) {
		if (data[i] == '"')
			inq = !inq;
		else if (!inq && data[i] == ',')
			counts[0]++;
		else if (!inq && data[i] == '\t')
			counts[1]++;
		else if (!inq && data[i] == ';')
			counts[2]++;
	}
	char delim = counts[1] > counts[0] && counts[1] >= counts[2] ? '\t' : counts[2] > counts[0] ? ';' : ',';

	XlsxSheet *s = arena_alloc(a, sizeof *s);
	s->name = "CSV";
	int rows_n = 0, rows_cap = 0, lens_n = 0, lens_cap = 0;
	Buf field = {0};
	size_t i = 0;
	int line = 1;
	long cells = 0;
	while (i < len) {
		/* one record */
		XlsxCell *row = NULL;
		int nrow = 0, ncap = 0;
		int end_of_record = 0;
		while (!end_of_record) {
			buf_reset(&field);
			if (i < len && data[i] == '"') {
				i++;
				int start_line = line;
				for (;;) {
					if (i >= len) {
						snprintf(err, errsz, "CSV 第 %d 行的引号没有闭合;请检查该行的双引号。", start_line);
						buf_free(&field);
						return NULL;
					}
					if (data[i] == '"') {
						if (i + 1 < len && data[i + 1] == '"') {
							buf_putc(&field, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (data[i] == '\n')
						line++;
					buf_putc(&field, data[i++]);
				}
			}
			/* unquoted text, or what follows a closing quote, up to the delimiter */
			while (i < len && data[i] != delim && data[i] != '\n' && data[i] != '\r')
				buf_putc(&field, data[i++]);
			if (nrow >= CSV_MAX_COLS || ++cells > CSV_MAX_CELLS) {
				if (nrow >= CSV_MAX_COLS)
					snprintf(err, errsz, "CSV 第 %d 行的列数过多(超过 %d 列);请检查分隔符或改用 .xlsx。", line, CSV_MAX_COLS);
				else
					snprintf(err, errsz, "CSV 文件过大(第 %d 行起超过单元格上限);请拆分后分批导入。", line);
				buf_free(&field);
				return NULL;
			}
			XlsxCell *c = arena_push(a, &row, &nrow, &ncap, sizeof *c);
			c->row = rows_n;
			c->col = nrow - 1;
			if (field.len) {
				c->type = XLSX_STRING;
				c->text = arena_strdup(a, buf_str(&field));
			}
			if (i < len && data[i] == delim) {
				i++;
				continue;
			}
			end_of_record = 1;
			if (i < len && data[i] == '\r')
				i++;
			if (i < len && data[i] == '\n')
				i++;
			line++;
		}
		/* dense up to the last value */
		while (nrow > 0 && row[nrow - 1].type == XLSX_EMPTY)
			nrow--;
		if (rows_n > TRANSFER_MAX_ROWS + 1 && nrow) {
			snprintf(err, errsz, "文件超过 %d 行,请拆分后分批导入。", TRANSFER_MAX_ROWS);
			buf_free(&field);
			return NULL;
		}
		*(XlsxCell **)arena_push(a, &s->rows, &rows_n, &rows_cap, sizeof(XlsxCell *)) = nrow ? row : NULL;
		*(int *)arena_push(a, &s->rowlen, &lens_n, &lens_cap, sizeof(int)) = nrow;
		if (nrow > s->ncols)
			s->ncols = nrow;
	}
	buf_free(&field);
	/* nrows: 1 + the last row with a value */
	s->nrows = rows_n;
	while (s->nrows > 0 && s->rowlen[s->nrows - 1] == 0)
		s->nrows--;
	return s;
}

/* Excel's column letters of 0-based col. */
const char *sheet_col_letters(Arena *a, int col)
{
	char tmp[8];
	int n = 0;
	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	char *out = arena_alloc(a, (size_t)n + 1);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return out;
}

XlsxSheet *upload_sheet(Arena *a, const char *data, size_t len, const char *content_type, const char *prefer,
                        const char **format, char *err, size_t errsz)
{
	if (len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0) {
		snprintf(err, errsz, "这是旧版 Excel(.xls)文件;请在 Excel 中“另存为” .xlsx 格式后再导入。");
		return NULL;
	}
	/* a zip, or said to be a workbook (then the reader says why it is not one) */
	int xlsx = (len >= 2 && data[0] == 'P' && data[1] == 'K') ||
	           (content_type && (strstr(content_type, "spreadsheetml") || strstr(content_type, "ms-excel")));
	*format = xlsx ? "xlsx" : "csv";
	if (!xlsx)
		return upload_csv_sheet(a, data, len, err, errsz);
	const char **names;
	int n = xlsx_sheet_names(a, data, len, &names, err, errsz);
	if (n < 0)
		return NULL;
	const char *pick = NULL;
	for (int i = 0; prefer && i < n && !pick; i++)
		if (strcmp(names[i], prefer) == 0)
			pick = names[i];
	for (int i = 0; i < n && !pick; i++)
		if (strcmp(names[i], UPLOAD_INSTRUCTIONS) != 0 && strcmp(names[i], "_选项") != 0)
			pick = names[i];
	if (!pick) {
		snprintf(err, errsz, "工作簿中没有可导入的工作表(只有“说明”);请把数据填在模板的%s%s%s工作表中。",
		         prefer ? "“" : "", prefer ? prefer : "数据", prefer ? "”" : "");
		return NULL;
	}
	return xlsx_read_sheet(a, data, len, pick, err, errsz);
}
