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

/* The header of column col (its text in the first row that has values),
 * cut to a readable length; NULL when row is that row or there is none. */
static const char *csv_header_of(const XlsxCell *cells, size_t n, int row, int col, char *out, size_t outsz)
{
	if (!n || cells[0].row == row)
		return NULL;
	for (size_t i = 0; i < n && cells[i].row == cells[0].row; i++) {
		if (cells[i].col != col)
			continue;
		size_t k = strlen(cells[i].text);
		if (k >= outsz) { /* cut at a character's start */
			k = outsz - 1;
			while (k > 0 && ((unsigned char)cells[i].text[k] & 0xC0) == 0x80)
				k--;
		}
		memcpy(out, cells[i].text, k);
		out[k] = 0;
		return out;
	}
	return NULL;
}

/* Parses CSV text (RFC 4180; the delimiter of the header line: comma, tab
 * or semicolon) into a sheet of text cells. NULL with a message on error.
 *
 * Memory follows the bytes received: the texts of all fields share one
 * copy of the input, and only fields with a value become cells, so blank
 * lines, empty fields and trailing delimiters cost nothing. */
XlsxSheet *upload_csv_sheet(Arena *a, const char *data, size_t len, char *err, size_t errsz)
{
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3; /* said to be UTF-8: each field is checked below */
		len -= 3;
	} else if (!utf8_valid(data, len)) {
		size_t n;
		char *conv = gb18030_to_utf8(a, data, len, &n);
		if (conv && utf8_valid(conv, n)) {
			data = conv;
			len = n;
		} /* else neither: read as UTF-8, and the first field that is not says where */
	}
	if (memchr(data, 0, len)) {
		snprintf(err, errsz, "文件不是 CSV 文本，也不是 .xlsx 工作簿；请选择 Excel 的 .xlsx 文件或 .csv 文件。");
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

	/* every field's text, unquoted, NUL-terminated: never longer than the input */
	char *text = arena_alloc(a, len + 1);
	size_t tp = 0;
	XlsxCell *cells = NULL;
	size_t ncells = 0, ccells = 0;
	size_t i = 0;
	int line = 1, row = 0;
	char head[64];
	while (i < len) {
		/* one record */
		int col = 0, end_of_record = 0;
		while (!end_of_record) {
			size_t start = tp;
			if (i < len && data[i] == '"') {
				i++;
				int start_line = line;
				for (;;) {
					if (i >= len) {
						snprintf(err, errsz, "CSV 第 %d 行的引号没有闭合；请检查该行的双引号。", start_line);
						goto fail;
					}
					if (data[i] == '"') {
						if (i + 1 < len && data[i + 1] == '"') {
							text[tp++] = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (data[i] == '\n')
						line++;
					text[tp++] = data[i++];
				}
			}
			/* unquoted text, or what follows a closing quote, up to the delimiter */
			while (i < len && data[i] != delim && data[i] != '\n' && data[i] != '\r')
				text[tp++] = data[i++];
			if (tp > start) {
				/* a value: checked, then kept */
				size_t n = tp - start;
				int what = 0;
				if (col >= CSV_MAX_COLS) {
					snprintf(err, errsz, "第 %d 行 %s 列有内容，超出了可以读取的 %d 列；请检查分隔符，或删除多余的列后重新导入。",
					         row + 1, sheet_col_letters(a, col), CSV_MAX_COLS);
					goto fail;
				}
				if (row > TRANSFER_MAX_ROWS + 1) {
					snprintf(err, errsz, "文件超过 %d 行，请拆分后分批导入。", TRANSFER_MAX_ROWS);
					goto fail;
				}
				if (ncells >= CSV_MAX_CELLS) {
					snprintf(err, errsz, "文件中有内容的单元格过多（超过 %d 万个）；请拆分后分批导入。", CSV_MAX_CELLS / 10000);
					goto fail;
				}
				if (utf8_text_bad(text + start, n, &what) != n) {
					const char *h = csv_header_of(cells, ncells, row, col, head, sizeof head);
					snprintf(err, errsz, "第 %d 行 %s 列%s%s%s含有无法识别的字符（%s）；%s", row + 1,
					         sheet_col_letters(a, col), h ? "（" : "", h ? h : "", h ? "）" : "",
					         what == UTF8_BAD_CONTROL ? "不可见的控制字符" : "无效的文字编码",
					         what == UTF8_BAD_CONTROL ? "请删除这些字符后重新导入。"
					                                  : "请以 UTF-8 或 GB18030 编码另存后重新导入。");
					goto fail;
				}
				text[tp++] = 0;
				if (ncells == ccells) {
					ccells = ccells ? ccells * 2 : 1024;
					cells = xrealloc(cells, sizeof *cells * ccells);
				}
				cells[ncells++] = (XlsxCell){.row = row, .col = col, .type = XLSX_STRING, .text = text + start};
			}
			col++;
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
		row++;
	}
	XlsxSheet *s = xlsx_sheet_from_cells(a, "CSV", cells, ncells, 1);
	return s;
fail:
	free(cells);
	return NULL;
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
		snprintf(err, errsz, "这是旧版 Excel（.xls）文件；请在 Excel 中“另存为” .xlsx 格式后再导入。");
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
		snprintf(err, errsz, "工作簿中没有可导入的工作表（只有“说明”）；请把数据填在模板的%s%s%s工作表中。",
		         prefer ? "“" : "", prefer ? prefer : "数据", prefer ? "”" : "");
		return NULL;
	}
	return xlsx_read_sheet(a, data, len, pick, err, errsz);
}
