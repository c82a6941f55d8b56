/*
 * test_xlsx.c — the .xlsx reader (xlsx_read.c) and writer (xlsx_write.c):
 * a round trip through both; the hand-made fixtures of tests/fixtures/xlsx
 * (made by make_fixtures.py there), read correctly or refused with a
 * Chinese message that says what is wrong; zip bombs and an archive of 2000
 * entries made here at run time (too large to commit); mutated files that
 * must never crash the reader; the streamed writer (xlsx_stream.c) read in
 * pieces of any size, and freed midway.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "testutil.h"
#include "xlsx_read.h"
#include "xlsx_stream.h"
#include "xlsx_write.h"

/* ---- helpers ---- */

/* Reads tests/fixtures/xlsx/name (under $HATCHERY_SRC, else "."). */
static char *fixture(const char *name, size_t *len)
{
	const char *src = getenv("HATCHERY_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/fixtures/xlsx/%s", src && *src ? src : ".", name);
	char *data = file_read(path, len);
	if (!data)
		fail_msg("cannot read fixture %s (set HATCHERY_SRC to the source tree)", path);
	return data;
}

/* Reads a fixture's sheet; err gets the message. */
static XlsxSheet *read_fixture(Arena *a, const char *name, const char *sheet, char *err, size_t errsz)
{
	size_t len;
	char *data = fixture(name, &len);
	XlsxSheet *s = xlsx_read_sheet(a, data, len, sheet, err, errsz);
	free(data);
	return s;
}

/* Asserts that a fixture is refused with a message containing each of the
 * NULL-terminated needles. */
static void assert_refused(const char *name, ...)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = read_fixture(&a, name, NULL, err, sizeof err);
	if (s)
		fail_msg("%s was read, expected a refusal", name);
	va_list ap;
	va_start(ap, name);
	for (const char *needle; (needle = va_arg(ap, const char *));)
		assert_contains(err, needle);
	va_end(ap);
	arena_free(&a);
}

static void assert_cell(const XlsxSheet *s, int row, int col, int type, const char *text)
{
	const XlsxCell *c = xlsx_cell(s, row, col);
	int t = c ? c->type : XLSX_EMPTY;
	if (t != type)
		fail_msg("cell (%d,%d): type %d, expected %d (text \"%s\")", row, col, t, type,
		         c && c->text ? c->text : "(null)");
	if (text)
		assert_string_equal(xlsx_cell_text(s, row, col), text);
	else
		assert_null(xlsx_cell_text(s, row, col));
	if (c) {
		assert_int_equal(c->row, row);
		assert_int_equal(c->col, col);
	}
}

/* One part of an .xlsx in memory, as text (via libzip directly). */
static char *zip_part(const Buf *xlsx, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(xlsx->data, xlsx->len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_stat_t st;
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	char *text = xcalloc(1, st.size + 1);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(z);
	zip_error_fini(&ze);
	return text;
}

/* ---- a zip writer of our own, for archives libzip would not make ---- */

typedef struct ZEntry {
	const char *name;
	const char *data; /* stored as is, or when zeros > 0 the start of ... */
	size_t zeros;     /* ... this many bytes of fill (0 = '\0'), deflated */
	long long claim;  /* > 0: the uncompressed size written in the headers */
	char fill;
} ZEntry;

static void put16(Buf *b, unsigned v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_append(b, x, 2);
}

static void put32(Buf *b, unsigned long v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	buf_append(b, x, 4);
}

/* Raw deflate of head and n bytes of fill into out; returns their CRC-32. */
static unsigned long deflate_fill(const char *head, char fill, size_t n, Buf *out)
{
	enum { CH = 1 << 20 };
	unsigned char *in = xcalloc(1, CH), *obuf = xmalloc(CH);
	z_stream zs = {0};
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
	unsigned long crc = crc32(0, NULL, 0);
	size_t hlen = head ? strlen(head) : 0;
	size_t left = hlen + n;
	int flush;
	memset(in, fill, CH);
	if (hlen)
		memcpy(in, head, hlen);
	do {
		size_t k = left < CH ? left : CH;
		crc = crc32(crc, in, (uInt)k);
		left -= k;
		zs.next_in = in;
		zs.avail_in = (uInt)k;
		flush = left ? Z_NO_FLUSH : Z_FINISH;
		do {
			zs.next_out = obuf;
			zs.avail_out = CH;
			deflate(&zs, flush);
			buf_append(out, obuf, CH - zs.avail_out);
		} while (zs.avail_out == 0);
	} while (flush != Z_FINISH);
	deflateEnd(&zs);
	memset(in, fill, hlen); /* later chunks: fill only */
	free(in);
	free(obuf);
	return crc;
}

static void zip_build(Buf *out, const ZEntry *e, int n)
{
	unsigned long *offs = xcalloc((size_t)n, sizeof *offs), *crcs = xcalloc((size_t)n, sizeof *crcs);
	unsigned long *csz = xcalloc((size_t)n, sizeof *csz), *usz = xcalloc((size_t)n, sizeof *usz);
	for (int i = 0; i < n; i++) {
		Buf data = {0};
		if (e[i].zeros) {
			crcs[i] = deflate_fill(e[i].data, e[i].fill, e[i].zeros, &data);
			usz[i] = (unsigned long)(e[i].zeros + (e[i].data ? strlen(e[i].data) : 0));
		} else {
			buf_puts(&data, e[i].data);
			crcs[i] = crc32(0, (const Bytef *)data.data, (uInt)data.len);
			usz[i] = (unsigned long)data.len;
		}
		if (e[i].claim > 0)
			usz[i] = (unsigned long)e[i].claim;
		csz[i] = (unsigned long)data.len;
		offs[i] = (unsigned long)out->len;
		put32(out, 0x04034b50);
		put16(out, 20);
		put16(out, 0);
		put16(out, e[i].zeros ? 8 : 0);
		put16(out, 0);
		put16(out, 0x5821);
		put32(out, crcs[i]);
		put32(out, csz[i]);
		put32(out, usz[i]);
		put16(out, (unsigned)strlen(e[i].name));
		put16(out, 0);
		buf_puts(out, e[i].name);
		buf_append(out, data.data ? data.data : "", data.len);
		buf_free(&data);
	}
	size_t cd = out->len;
	for (int i = 0; i < n; i++) {
		put32(out, 0x02014b50);
		put16(out, 20);
		put16(out, 20);
		put16(out, 0);
		put16(out, e[i].zeros ? 8 : 0);
		put16(out, 0);
		put16(out, 0x5821);
		put32(out, crcs[i]);
		put32(out, csz[i]);
		put32(out, usz[i]);
		put16(out, (unsigned)strlen(e[i].name));
		put16(out, 0);
		put16(out, 0);
		put16(out, 0);
		put16(out, 0);
		put32(out, 0);
		put32(out, offs[i]);
		buf_puts(out, e[i].name);
	}
	size_t cdlen = out->len - cd;
	put32(out, 0x06054b50);
	put16(out, 0);
	put16(out, 0);
	put16(out, (unsigned)n);
	put16(out, (unsigned)n);
	put32(out, (unsigned long)cdlen);
	put32(out, (unsigned long)cd);
	put16(out, 0);
	free(offs);
	free(crcs);
	free(csz);
	free(usz);
}

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
static const char ROOT_RELS[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_NS "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char WORKBOOK[] = "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheets>"
                               "<sheet name=\"数据\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB_RELS[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_NS "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char SHEET[] = "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
                            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c><c r=\"B1\"><v>2.5</v></c></row>"
                            "<row r=\"2\"><c r=\"A2\" t=\"b\"><v>0</v></c><c r=\"C2\" t=\"e\"><v>#REF!</v></c></row>"
                            "</sheetData></worksheet>";

/* A small stored (uncompressed) workbook: mutations reach the XML. */
static void stored_book(Buf *out)
{
	ZEntry e[] = {{.name = "_rels/.rels", .data = ROOT_RELS},
	              {.name = "xl/workbook.xml", .data = WORKBOOK},
	              {.name = "xl/_rels/workbook.xml.rels", .data = WB_RELS},
	              {.name = "xl/worksheets/sheet1.xml", .data = SHEET}};
	zip_build(out, e, (int)ARRAY_LEN(e));
}

/* ---- round trip ---- */

static const char *const kinds[] = {"新建", "续建", "改扩建", NULL};
static char town_names[40][16];
static const char *towns[41];

static void make_towns(void)
{
	for (int i = 0; i < 40; i++) {
		snprintf(town_names[i], sizeof town_names[i], "第%02d镇街", i + 1);
		towns[i] = town_names[i];
	}
	towns[40] = NULL;
}

static XlsxCell bool_cell(int on)
{
	return (XlsxCell){.type = XLSX_BOOL, .number = on};
}

#define NCOLS 8
#define NROWS 6

/* Checks that read cell c equals written cell w. */
static void assert_same(const XlsxSheet *s, int row, int col, const XlsxCell *w)
{
	const XlsxCell *c = xlsx_cell(s, row, col);
	int rt = c ? c->type : XLSX_EMPTY;
	int wt = w->type;
	if ((wt == XLSX_STRING || wt == XLSX_DATE) && (!w->text || !*w->text))
		wt = XLSX_EMPTY;
	if (wt == XLSX_DATE && !date_valid(w->text))
		wt = XLSX_STRING; /* invalid dates are written as their text */
	if (rt != wt)
		fail_msg("cell (%d,%d): read type %d, wrote %d (\"%s\")", row, col, rt, wt,
		         c && c->text ? c->text : "");
	switch (wt) {
	case XLSX_STRING:
	case XLSX_DATE:
		assert_string_equal(c->text, w->text);
		break;
	case XLSX_NUMBER:
	case XLSX_BOOL:
		assert_near(c->number, w->number, 1e-9);
		break;
	default:
		break;
	}
}

static void test_round_trip(void **state)
{
	make_towns();
	const XlsxColumn cols[NCOLS] = {
		{.header = "项目名称"},
		{.header = "类型", .choices = kinds, .note = "请选择项目类型"},
		{.header = "所属镇街", .choices = towns},
		{.header = "开工日期", .type = XLSX_DATE},
		{.header = "总投资(万元)", .type = XLSX_NUMBER},
		{.header = "统一编码", .type = XLSX_STRING, .width = 20},
		{.header = "备注", .note = "可填写补充说明"},
		{.header = "是否完工"},
	};
	const XlsxCell cells[NROWS * NCOLS] = {
		xlsx_str("滨海大道改造"), xlsx_str("新建"), xlsx_str("第03镇街"), xlsx_date("2024-02-29"),
		xlsx_num(1200.5), xlsx_str("007"), xlsx_str("含\"引号\"与<尖括号>&"), bool_cell(1),

		xlsx_str("飞云江大桥"), xlsx_str("续建"), xlsx_str("第40镇街"), xlsx_date("1900-03-01"),
		xlsx_num(-3), xlsx_str("330381"), xlsx_str("多行\n文本\t制表"), bool_cell(0),

		xlsx_empty(), xlsx_str(""), xlsx_empty(), xlsx_date(NULL),
		xlsx_empty(), xlsx_empty(), xlsx_str(NULL), xlsx_empty(),

		xlsx_str("字面 _x0041_ 不转义"), xlsx_empty(), xlsx_empty(), xlsx_date("2099-12-31"),
		xlsx_num(123456789012.0), xlsx_str("0"), xlsx_str("控制符 \r 结束"), xlsx_empty(),

		xlsx_str("无效日期"), xlsx_empty(), xlsx_empty(), xlsx_date("2024-13-01"),
		xlsx_num(0.125), xlsx_empty(), xlsx_empty(), xlsx_empty(),

		xlsx_str("最后一行"), xlsx_str("改扩建"), xlsx_str("第01镇街"), xlsx_empty(),
		xlsx_num(1e-4), xlsx_empty(), xlsx_str("末尾"), bool_cell(1),
	};
	const XlsxColumn fcols[2] = {{.header = "年份", .type = XLSX_NUMBER}, {.header = "金额(万元)"}};
	const XlsxCell fcells[] = {xlsx_num(2022), xlsx_num(10.5), xlsx_num(2023), xlsx_empty(),
	                           xlsx_num(2024), xlsx_num(0)};
	const XlsxTable tables[2] = {
		{.name = "项目", .cols = cols, .ncols = NCOLS, .cells = cells, .nrows = NROWS},
		{.name = "资金", .cols = fcols, .ncols = 2, .cells = fcells, .nrows = 3, .input_rows = 10},
	};
	static const char *const lines[] = {"填写说明", "1. 每行一个项目。", "", "2. 日期写成 2024-03-01。", NULL};
	XlsxBook book = {.tables = tables, .ntables = 2, .instructions = lines};

	Buf out = {0};
	char err[512] = "";
	if (xlsx_write_table(NULL, &out, &book, err, sizeof err) != H_OK)
		fail_msg("xlsx_write_table: %s", err);
	assert_true(out.len > 1000);
	assert_memory_equal(out.data, "PK", 2);

	Arena a = {0};
	const char **names;
	assert_int_equal(xlsx_sheet_names(&a, out.data, out.len, &names, err, sizeof err), 4);
	assert_string_equal(names[0], "项目");
	assert_string_equal(names[1], "资金");
	assert_string_equal(names[2], "说明");
	assert_string_equal(names[3], "_选项");

	/* The first sheet, every cell. */
	XlsxSheet *s = xlsx_read_sheet(&a, out.data, out.len, NULL, err, sizeof err);
	if (!s)
		fail_msg("read back: %s", err);
	assert_string_equal(s->name, "项目");
	assert_int_equal(s->nrows, NROWS + 1);
	assert_int_equal(s->ncols, NCOLS);
	for (int c = 0; c < NCOLS; c++)
		assert_cell(s, 0, c, XLSX_STRING, cols[c].header);
	for (int r = 0; r < NROWS; r++)
		for (int c = 0; c < NCOLS; c++)
			assert_same(s, r + 1, c, &cells[r * NCOLS + c]);
	assert_int_equal(s->rowlen[3], 0); /* the empty row */
	assert_string_equal(xlsx_cell_text(s, 1, 4), "1200.5");
	assert_string_equal(xlsx_cell_text(s, 2, 4), "-3");
	assert_string_equal(xlsx_cell_text(s, 4, 4), "123456789012");
	assert_string_equal(xlsx_cell_text(s, 6, 4), "0.0001");
	assert_string_equal(xlsx_cell_text(s, 1, 7), "TRUE");
	assert_near(xlsx_cell(s, 1, 3)->number, 45351, 0); /* 2024-02-29 as Excel's serial */
	assert_near(xlsx_cell(s, 2, 3)->number, 61, 0);    /* 1900-03-01, after the phantom 02-29 */

	/* The second by name, with an empty cell. */
	XlsxSheet *f = xlsx_read_sheet(&a, out.data, out.len, "资金", err, sizeof err);
	assert_non_null(f);
	assert_int_equal(f->nrows, 4);
	for (int r = 0; r < 3; r++)
		for (int c = 0; c < 2; c++)
			assert_same(f, r + 1, c, &fcells[r * 2 + c]);

	/* The instructions, line by line. */
	XlsxSheet *ins = xlsx_read_sheet(&a, out.data, out.len, "说明", err, sizeof err);
	assert_non_null(ins);
	assert_int_equal(ins->nrows, 4);
	for (int i = 0; lines[i]; i++)
		assert_cell(ins, i, 0, *lines[i] ? XLSX_STRING : XLSX_EMPTY, *lines[i] ? lines[i] : NULL);

	/* The long list went to the hidden sheet, in order. */
	XlsxSheet *l = xlsx_read_sheet(&a, out.data, out.len, "_选项", err, sizeof err);
	assert_non_null(l);
	assert_int_equal(l->nrows, 40);
	for (int i = 0; i < 40; i++)
		assert_cell(l, i, 0, XLSX_STRING, towns[i]);

	/* What the reader does not see: frozen bold header, drop-downs, widths,
	 * formats, the hidden sheet. */
	char *sheet1 = zip_part(&out, "xl/worksheets/sheet1.xml");
	assert_contains(sheet1, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>");
	assert_contains(sheet1, "<dataValidation type=\"list\"");
	assert_contains(sheet1, "<formula1>\"新建,续建,改扩建\"</formula1>");
	assert_contains(sheet1, "<formula1>'_选项'!$A$1:$A$40</formula1>");
	assert_contains(sheet1, "sqref=\"B2:B1001\"");
	assert_contains(sheet1, "promptTitle=\"类型\" prompt=\"请选择项目类型\"");
	assert_contains(sheet1, "prompt=\"可填写补充说明\"");
	assert_contains(sheet1, "<col min=\"6\" max=\"6\" width=\"20.7109375\"");
	char *sheet2 = zip_part(&out, "xl/worksheets/sheet2.xml");
	assert_contains(sheet2, "<pane ySplit=\"1\"");
	char *styles = zip_part(&out, "xl/styles.xml");
	assert_contains(styles, "<b/>");
	assert_contains(styles, "formatCode=\"yyyy-mm-dd\"");
	char *wb = zip_part(&out, "xl/workbook.xml");
	assert_contains(wb, "name=\"_选项\" sheetId=\"4\" state=\"hidden\"");
	free(sheet1);
	free(sheet2);
	free(styles);
	free(wb);

	arena_free(&a);
	buf_free(&out);
}

static void test_write_to_path_and_template(void **state)
{
	char path[] = "/tmp/hatchery-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	const XlsxColumn cols[] = {{.header = "编码", .type = XLSX_STRING, .choices = kinds}, {.header = "日期", .type = XLSX_DATE}};
	XlsxTable t = {.name = "模板", .cols = cols, .ncols = 2, .nrows = 0};
	static const char *const lines[] = {"请按表头填写", NULL};
	XlsxBook book = {.tables = &t, .ntables = 1, .instructions = lines, .instructions_first = 1};
	char err[512] = "";
	if (xlsx_write_table(path, NULL, &book, err, sizeof err) != H_OK)
		fail_msg("xlsx_write_table: %s", err);
	size_t len;
	char *data = file_read(path, &len);
	assert_non_null(data);
	unlink(path);
	Arena a = {0};
	XlsxSheet *s = xlsx_read_sheet(&a, data, len, NULL, err, sizeof err);
	assert_non_null(s);
	assert_string_equal(s->name, "说明"); /* first, as asked */
	assert_cell(s, 0, 0, XLSX_STRING, "请按表头填写");
	s = xlsx_read_sheet(&a, data, len, "模板", err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->nrows, 1);
	assert_cell(s, 0, 0, XLSX_STRING, "编码");
	assert_cell(s, 0, 1, XLSX_STRING, "日期");
	Buf b = {.data = data, .len = len, .cap = len + 1};
	char *sheet2 = zip_part(&b, "xl/worksheets/sheet2.xml");
	assert_contains(sheet2, "sqref=\"A2:A1001\""); /* drop-downs on 1000 rows of a template */
	free(sheet2);
	free(data);
	arena_free(&a);
}

static void test_writer_refusals(void **state)
{
	const XlsxColumn cols[] = {{.header = "名称"}};
	XlsxCell cell = xlsx_str("x");
	XlsxTable t = {.name = "数据/2024", .cols = cols, .ncols = 1, .cells = &cell, .nrows = 1};
	XlsxBook book = {.tables = &t, .ntables = 1};
	Buf out = {0};
	char err[512] = "";
	assert_int_equal(xlsx_write_table(NULL, &out, &book, err, sizeof err), H_ERR);
	assert_contains(err, "不允许的字符");
	t.name = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二";
	assert_int_equal(xlsx_write_table(NULL, &out, &book, err, sizeof err), H_ERR);
	assert_contains(err, "31 个字符");
	XlsxTable two[2] = {t, t};
	two[0].name = two[1].name = "数据";
	book.tables = two;
	book.ntables = 2;
	assert_int_equal(xlsx_write_table(NULL, &out, &book, err, sizeof err), H_ERR);
	assert_contains(err, "重复");

	/* A string longer than Excel's cell limit: refused, no file left. */
	char *big = xmalloc(40001);
	memset(big, 'a', 40000);
	big[40000] = 0;
	XlsxCell bigcell = xlsx_str(big);
	XlsxTable tb = {.name = "数据", .cols = cols, .ncols = 1, .cells = &bigcell, .nrows = 1};
	book.tables = &tb;
	book.ntables = 1;
	char path[] = "/tmp/hatchery-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	assert_int_equal(xlsx_write_table(path, NULL, &book, err, sizeof err), H_ERR);
	assert_contains(err, "第 2 行第 1 列");
	assert_contains(err, "32767");
	assert_int_equal(access(path, F_OK), -1);
	free(big);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

/* ---- fixtures read correctly ---- */

static void test_shared_strings_and_rich_text(void **state)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = read_fixture(&a, "shared_rich.xlsx", NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(s->name, "Sheet1");
	assert_int_equal(s->nrows, 4);
	assert_int_equal(s->ncols, 4);
	assert_cell(s, 0, 0, XLSX_STRING, "瑞安市");
	assert_cell(s, 0, 1, XLSX_STRING, "飞云 江"); /* two runs, the space kept */
	assert_cell(s, 0, 2, XLSX_STRING, "重庆");    /* the phonetic run left out */
	assert_cell(s, 0, 3, XLSX_STRING, "第一行\r\n第二行");
	assert_cell(s, 1, 0, XLSX_STRING, "a_x0041_b");
	assert_cell(s, 1, 1, XLSX_EMPTY, NULL); /* an empty shared string */
	assert_cell(s, 1, 2, XLSX_STRING, "<&>");
	assert_cell(s, 1, 3, XLSX_NUMBER, "3.5");
	assert_cell(s, 2, 0, XLSX_BOOL, "TRUE");
	assert_cell(s, 2, 1, XLSX_ERROR, "#N/A");
	assert_cell(s, 2, 2, XLSX_STRING, "瑞安市");
	assert_cell(s, 2, 3, XLSX_DATE, "2024-01-01");
	assert_near(xlsx_cell(s, 2, 3)->number, 45292, 0);
	assert_cell(s, 3, 0, XLSX_NUMBER, "0.001");
	assert_cell(s, 3, 1, XLSX_NUMBER, "1234567890123");
	assert_cell(s, 3, 2, XLSX_NUMBER, "-0.5");
	assert_cell(s, 3, 3, XLSX_NUMBER, "123.456");
	assert_null(xlsx_cell_text(s, 4, 0));
	assert_null(xlsx_cell_text(s, 0, 4));
	assert_null(xlsx_cell_text(s, -1, 0));
	assert_null(xlsx_cell_text(NULL, 0, 0));
	arena_free(&a);
}

static void test_inline_strings_prefixed_xml(void **state)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = read_fixture(&a, "inline.xlsx", NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nrows, 2);
	assert_cell(s, 0, 0, XLSX_STRING, "项目名称");
	assert_cell(s, 0, 1, XLSX_STRING, "富文本");
	assert_cell(s, 1, 0, XLSX_STRING, "第二行"); /* row and cells without r="" */
	assert_cell(s, 1, 1, XLSX_NUMBER, "42");
	arena_free(&a);
}

static void test_named_sheets_out_of_order(void **state)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = read_fixture(&a, "named_order.xlsx", NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(s->name, "汇总"); /* first visible: the hidden one is skipped */
	assert_cell(s, 0, 0, XLSX_STRING, "汇总表");
	s = read_fixture(&a, "named_order.xlsx", "数据", err, sizeof err);
	assert_non_null(s);
	assert_cell(s, 0, 0, XLSX_STRING, "数据表");
	s = read_fixture(&a, "named_order.xlsx", "隐藏表", err, sizeof err);
	assert_non_null(s);
	assert_cell(s, 0, 0, XLSX_STRING, "隐藏表内容");
	s = read_fixture(&a, "named_order.xlsx", "不存在", err, sizeof err);
	assert_null(s);
	assert_contains(err, "没有名为“不存在”的工作表");
	assert_contains(err, "“汇总”");
	assert_contains(err, "“数据”");
	size_t len;
	char *data = fixture("named_order.xlsx", &len);
	const char **names;
	assert_int_equal(xlsx_sheet_names(&a, data, len, &names, err, sizeof err), 3);
	assert_string_equal(names[0], "隐藏表");
	assert_string_equal(names[2], "数据");
	free(data);
	arena_free(&a);
}

static void test_date1904(void **state)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = read_fixture(&a, "date1904.xlsx", NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_true(s->date1904);
	assert_cell(s, 0, 0, XLSX_DATE, "1904-01-01");
	assert_cell(s, 1, 0, XLSX_DATE, "2020-01-01");
	assert_cell(s, 2, 0, XLSX_NUMBER, "42369"); /* no date style: a number */
	arena_free(&a);
}

static void test_custom_date_formats(void **state)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = read_fixture(&a, "custom_date.xlsx", NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_cell(s, 0, 0, XLSX_DATE, "2024-01-01");  /* yyyy"年"m"月"d"日" */
	assert_cell(s, 0, 1, XLSX_NUMBER, "45292");     /* 0.0"d": d only in quotes */
	assert_cell(s, 0, 2, XLSX_DATE, "2024-01-01");  /* [$-804]yyyy/m/d;@, a time of day dropped */
	assert_near(xlsx_cell(s, 0, 2)->number, 45292.75, 1e-9);
	assert_cell(s, 0, 3, XLSX_NUMBER, "5");         /* "h"0 */
	assert_cell(s, 0, 4, XLSX_NUMBER, "1.5");       /* [Red]#,##0.00 */
	assert_cell(s, 0, 5, XLSX_DATE, "2024-01-01");  /* built-in 31 (Chinese date) */
	assert_cell(s, 0, 6, XLSX_NUMBER, "7");         /* \d0: an escaped d */
	assert_cell(s, 0, 7, XLSX_DATE, "2024-01-01");  /* [h]:mm */
	assert_cell(s, 1, 0, XLSX_DATE, "1900-02-28");
	assert_cell(s, 1, 1, XLSX_DATE, "1900-02-28");  /* Excel's phantom 1900-02-29 */
	assert_cell(s, 1, 2, XLSX_DATE, "1900-03-01");
	assert_cell(s, 1, 3, XLSX_DATE, "1900-01-01");
	assert_cell(s, 1, 4, XLSX_NUMBER, "0.5");       /* a time alone has no date */
	assert_cell(s, 1, 5, XLSX_DATE, "2024-02-29");  /* t="d" */
	assert_near(xlsx_cell(s, 1, 5)->number, 45351, 0);
	char out[11];
	assert_int_equal(xlsx_serial_to_date(2958465, 0, out), H_OK);
	assert_string_equal(out, "9999-12-31");
	assert_int_equal(xlsx_serial_to_date(2958466, 0, out), H_ERR);
	assert_int_equal(xlsx_serial_to_date(-1, 0, out), H_ERR);
	arena_free(&a);
}

static void test_gaps(void **state)
{
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = read_fixture(&a, "gaps.xlsx", NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nrows, 3);
	assert_int_equal(s->ncols, 3);
	assert_int_equal(s->rowlen[0], 3);
	assert_int_equal(s->rowlen[1], 0);
	assert_null(s->cells[1]);
	assert_int_equal(s->ncells[0], 2); /* the gap B1 is not kept */
	assert_int_equal(s->rowlen[2], 1);
	assert_cell(s, 0, 0, XLSX_STRING, "甲");
	assert_cell(s, 0, 1, XLSX_EMPTY, NULL);
	assert_cell(s, 0, 2, XLSX_STRING, "丙");
	assert_cell(s, 2, 0, XLSX_NUMBER, "1");
	assert_null(xlsx_cell(s, 1, 0));
	assert_null(xlsx_cell_text(s, 4, 4)); /* the styled blank cell */
	arena_free(&a);
}

/* ---- fixtures refused ---- */

static void test_refuses_broken_files(void **state)
{
	assert_refused("truncated.xlsx", "文件已损坏或不完整", "请重新上传", NULL);
	assert_refused("not_xlsx.xlsx", "文件不是有效的 .xlsx（无法作为 zip 打开）", "另存为 .xlsx", NULL);
	assert_refused("old_xls.xlsx", "旧版 .xls", "另存为 .xlsx", NULL);
	assert_refused("no_workbook.xlsx", "缺少 xl/workbook.xml", NULL);
	assert_refused("bad_sst.xlsx", "不存在的共享字符串", "已损坏", NULL);
	assert_refused("dtd.xlsx", "xl/workbook.xml 含有 DTD", "已拒绝", NULL);
	assert_refused("too_many_rows.xlsx", "超过 1048576 行", NULL);
	assert_refused("too_many_cols.xlsx", "超过 16384 列", NULL);

	Arena a = {0};
	char err[512] = "";
	assert_null(xlsx_read_sheet(&a, NULL, 0, NULL, err, sizeof err));
	assert_contains(err, "文件是空的");
	assert_null(xlsx_read_sheet(&a, "PK", 2, NULL, NULL, 0)); /* no room for a message: fine */
	arena_free(&a);
}

static void test_refuses_ratio_bomb(void **state)
{
	assert_refused("ratio_bomb.xlsx", "xl/worksheets/sheet1.xml 压缩比异常", "zip 炸弹", NULL);
}

/* A workbook whose sheet is head then n bytes of fill, deflated (claim:
 * the size in the headers, 0 for the true one). */
static void bomb(Buf *out, const char *head, char fill, size_t n, long long claim)
{
	ZEntry e[] = {{.name = "_rels/.rels", .data = ROOT_RELS},
	              {.name = "xl/workbook.xml", .data = WORKBOOK},
	              {.name = "xl/_rels/workbook.xml.rels", .data = WB_RELS},
	              {.name = "xl/worksheets/sheet1.xml", .data = head, .zeros = n, .claim = claim, .fill = fill}};
	zip_build(out, e, (int)ARRAY_LEN(e));
}

/* Written to /tmp and read back, as an upload would be stored. */
static char *via_tmp(const Buf *b, size_t *len)
{
	char path[] = "/tmp/hatchery-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
	close(fd);
	char *data = file_read(path, len);
	unlink(path);
	assert_non_null(data);
	return data;
}

static void test_refuses_zip_bomb_200mb(void **state)
{
	Buf b = {0};
	bomb(&b, NULL, 0, 200u * 1024 * 1024, 0);
	assert_true(b.len < 1024 * 1024); /* small on disk */
	size_t len;
	char *data = via_tmp(&b, &len);
	Arena a = {0};
	char err[512] = "";
	assert_null(xlsx_read_sheet(&a, data, len, NULL, err, sizeof err));
	assert_contains(err, "xl/worksheets/sheet1.xml 解压后超过 64 MiB");
	assert_contains(err, "已拒绝");
	free(data);
	arena_free(&a);
	buf_free(&b);
}

static void test_refuses_zip_bomb_lying_header(void **state)
{
	/* Well-formed XML (a sheet, then 200 MB of spaces) whose headers say
	 * 2 MiB, a plausible ratio: libzip inflates past the recorded size, the
	 * reader counts the bytes and stops. */
	Buf b = {0};
	bomb(&b, "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>", ' ', 200u * 1024 * 1024, 2ll * 1024 * 1024);
	Arena a = {0};
	char err[512] = "";
	assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
	assert_contains(err, "xl/worksheets/sheet1.xml 解压后的大小与记录不符（超过记录的 2097152 字节）");
	assert_contains(err, "已拒绝");
	buf_reset(&b);
	/* The headers say 60 MiB, under the size limit: the ratio refuses. */
	bomb(&b, NULL, 0, 200u * 1024 * 1024, 60ll * 1024 * 1024);
	assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
	assert_contains(err, "压缩比异常");
	arena_free(&a);
	buf_free(&b);
}

static void test_refuses_2000_entries(void **state)
{
	enum { N = 2000 };
	ZEntry *e = xcalloc(N, sizeof *e);
	char(*names)[32] = xcalloc(N, sizeof *names);
	e[0] = (ZEntry){.name = "_rels/.rels", .data = ROOT_RELS};
	e[1] = (ZEntry){.name = "xl/workbook.xml", .data = WORKBOOK};
	e[2] = (ZEntry){.name = "xl/_rels/workbook.xml.rels", .data = WB_RELS};
	e[3] = (ZEntry){.name = "xl/worksheets/sheet1.xml", .data = SHEET};
	for (int i = 4; i < N; i++) {
		snprintf(names[i], sizeof names[i], "xl/media/image%d.png", i);
		e[i] = (ZEntry){.name = names[i], .data = "x"};
	}
	Buf b = {0};
	zip_build(&b, e, N);
	size_t len;
	char *data = via_tmp(&b, &len);
	Arena a = {0};
	char err[512] = "";
	assert_null(xlsx_read_sheet(&a, data, len, NULL, err, sizeof err));
	assert_contains(err, "条目过多（2000 个");
	assert_contains(err, "已拒绝");
	/* The same workbook with 1000 entries is read. */
	buf_reset(&b);
	zip_build(&b, e, 1000);
	XlsxSheet *s = xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_cell(s, 0, 0, XLSX_STRING, "名称");
	assert_cell(s, 1, 2, XLSX_ERROR, "#REF!");
	free(data);
	free(e);
	free(names);
	arena_free(&a);
	buf_free(&b);
}

/* A sheet whose XML is rows (stored, not compressed). */
static void sheet_book(Buf *out, const char *rows)
{
	Buf sheet = {0};
	buf_printf(&sheet, "<worksheet xmlns=\"%s\"><sheetData>%s</sheetData></worksheet>", MAIN_NS, rows);
	ZEntry e[] = {{.name = "_rels/.rels", .data = ROOT_RELS},
	              {.name = "xl/workbook.xml", .data = WORKBOOK},
	              {.name = "xl/_rels/workbook.xml.rels", .data = WB_RELS},
	              {.name = "xl/worksheets/sheet1.xml", .data = sheet.data}};
	zip_build(out, e, (int)ARRAY_LEN(e));
	buf_free(&sheet);
}

/* Excel's letters of a 0-based column. */
static void col_name(int c, char out[4])
{
	char tmp[4];
	int n = c + 1, k = 0;
	while (n > 0) {
		tmp[k++] = (char)('A' + (n - 1) % 26);
		n = (n - 1) / 26;
	}
	for (int i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	out[k] = 0;
}

/* A workbook of one sheet (whole XML) and its shared strings (NULL: none), stored. */
static void sst_book(Buf *out, const char *sheet, const char *sst)
{
	ZEntry e[] = {{.name = "_rels/.rels", .data = ROOT_RELS},
	              {.name = "xl/workbook.xml", .data = WORKBOOK},
	              {.name = "xl/_rels/workbook.xml.rels", .data = WB_RELS},
	              {.name = "xl/worksheets/sheet1.xml", .data = sheet},
	              {.name = "xl/sharedStrings.xml", .data = sst}};
	zip_build(out, e, sst ? 5 : 4);
}

/* The sheet and shared strings are read by xml_scan.c, not expat: what
 * Excel, WPS and hand-made files put there reads as before. */
static void test_scanner_reads_sheets(void **state)
{
	Arena a = {0};
	char err[512] = "";
	Buf b = {0};
	sst_book(&b,
	         "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
	         "<worksheet xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><dimension ref=\"A1:F3\"/><sheetData>"
	         "<row r=\"1\" spans=\"1:6\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	         "<c r=\"C1\" s=\"2\"/><c r=\"D1\" t=\"s\"><v>2</v></c><c r=\"F1\" t=\"s\"><v>3</v></c></row>"
	         "<row r=\"2\"><c t=\"inlineStr\"><is><r><t>甲</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> &amp; 乙</t></r>"
	         "<rPh sb=\"0\" eb=\"1\"><t>jia</t></rPh></is></c><c/><c t=\"inlineStr\"><is><t>a&lt;b&#x3e;c&#20013;</t></is></c>"
	         "<c><f>1+1</f><v>2</v></c><c t=\"str\"><f>A1</f><v>&quot;x&quot;</v></c></row>"
	         "<row r=\"3\"><c r=\"E3\" t=\"inlineStr\"><is><t><![CDATA[<原样>]]></t></is></c></row>"
	         "</sheetData></worksheet>",
	         "<sst xmlns=\"" MAIN_NS "\" count=\"4\" uniqueCount=\"4\"><si><t>名称</t></si>"
	         "<si><r><t>飞云</t></r><r><rPr><sz val=\"11\"/></rPr><t xml:space=\"preserve\"> 江</t></r><rPh><t>x</t></rPh></si>"
	         "<si><t/></si><si><t>&lt;&amp;&gt; 第一行\r\n第二行</t></si></sst>");
	XlsxSheet *s = xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nrows, 3);
	assert_cell(s, 0, 0, XLSX_STRING, "名称");
	assert_cell(s, 0, 1, XLSX_STRING, "飞云 江"); /* runs joined, the phonetic run left out */
	assert_cell(s, 0, 2, XLSX_EMPTY, NULL);      /* a styled blank */
	assert_cell(s, 0, 3, XLSX_EMPTY, NULL);      /* an empty shared string */
	assert_cell(s, 0, 4, XLSX_EMPTY, NULL);      /* a skipped column */
	assert_cell(s, 0, 5, XLSX_STRING, "<&> 第一行\n第二行");
	assert_cell(s, 1, 0, XLSX_STRING, "甲 & 乙");
	assert_cell(s, 1, 1, XLSX_EMPTY, NULL);
	assert_cell(s, 1, 2, XLSX_STRING, "a<b>c中"); /* cells without r count on */
	assert_cell(s, 1, 3, XLSX_NUMBER, "2");      /* a formula's cached value */
	assert_cell(s, 1, 4, XLSX_STRING, "\"x\"");
	assert_cell(s, 2, 4, XLSX_STRING, "<原样>");

	/* a sheet in another encoding is read by expat */
	buf_reset(&b);
	sst_book(&b,
	         "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
	         "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>caf\xE9</t></is></c></row></sheetData></worksheet>",
	         NULL);
	s = xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_cell(s, 0, 0, XLSX_STRING, "caf\xC3\xA9");

	/* bad XML: refused with where and what to do */
	static const char *const bad_sheets[] = {
		"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row></sheetData></worksheet>",
		"<worksheet><sheetData>\n<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row></sheetData></worksheet>",
		"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>",
		"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad_sheets); i++) {
		buf_reset(&b);
		sst_book(&b, bad_sheets[i], NULL);
		err[0] = 0;
		assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
		assert_contains(err, "xl/worksheets/sheet1.xml 不是有效的 XML（第 ");
		assert_contains(err, "另存为 .xlsx");
	}
	buf_reset(&b);
	sst_book(&b, bad_sheets[1], NULL);
	assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
	assert_contains(err, "（第 2 行第 43 列出错）");
	/* a DTD in the sheet or the shared strings */
	buf_reset(&b);
	sst_book(&b, "<!DOCTYPE x [<!ENTITY e \"1\">]><worksheet><sheetData/></worksheet>", NULL);
	assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
	assert_contains(err, "xl/worksheets/sheet1.xml 含有 DTD");
	buf_reset(&b);
	sst_book(&b, SHEET, "<!DOCTYPE sst><sst/>");
	assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
	assert_contains(err, "xl/sharedStrings.xml 含有 DTD");
	buf_free(&b);
	arena_free(&a);
}

static void test_rows_out_of_order_stay_linear(void **state)
{
	/* 200,000 cells bouncing between two rows at the last readable column,
	 * then one row repeated 256 times, a column longer each time, then
	 * rows and columns backwards: read in linear time, the later of two
	 * cells at one place wins. */
	Buf rows = {0}, b = {0};
	char col[4];
	col_name(XLSX_READ_COLS - 1, col);
	assert_string_equal(col, "IV");
	for (int i = 0; i < 200000; i++)
		buf_printf(&rows, "<c r=\"IV%d\"><v>%d</v></c>", 1 + i % 2, i);
	for (int c = 0; c < XLSX_READ_COLS; c++) {
		col_name(c, col);
		buf_printf(&rows, "<row r=\"3\"><c r=\"%s3\"><v>%d</v></c></row>", col, c);
	}
	for (int r = 10; r >= 5; r--)
		for (int c = 9; c >= 0; c--) {
			col_name(c, col);
			buf_printf(&rows, "<c r=\"%s%d\"><v>%d</v></c>", col, r, r * 100 + c);
		}
	sheet_book(&b, rows.data);
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nrows, 10);
	assert_int_equal(s->ncols, XLSX_READ_COLS);
	assert_cell(s, 0, XLSX_READ_COLS - 1, XLSX_NUMBER, "199998");
	assert_cell(s, 1, XLSX_READ_COLS - 1, XLSX_NUMBER, "199999");
	assert_int_equal(s->ncells[0], 1);
	assert_cell(s, 0, 0, XLSX_EMPTY, NULL);
	for (int c = 0; c < XLSX_READ_COLS; c += 10)
		assert_near(xlsx_cell(s, 2, c)->number, c, 0);
	assert_cell(s, 2, XLSX_READ_COLS - 1, XLSX_NUMBER, "255");
	assert_int_equal(s->ncells[2], XLSX_READ_COLS);
	assert_cell(s, 4, 0, XLSX_NUMBER, "500");
	assert_cell(s, 9, 9, XLSX_NUMBER, "1009");
	assert_int_equal(s->rowlen[9], 10);
	arena_free(&a);

	/* Past 2 million cells with a value is refused: rows of 256 cells
	 * without references, the smallest XML a cell can have. */
	buf_reset(&rows);
	buf_reset(&b);
	int nrows = XLSX_MAX_CELLS / XLSX_READ_COLS + 1;
	for (int r = 1; r <= nrows; r++) {
		buf_puts(&rows, "<row>");
		for (int c = 0; c < XLSX_READ_COLS; c++)
			buf_puts(&rows, "<c><v>1</v></c>");
		buf_puts(&rows, "</row>");
	}
	sheet_book(&b, rows.data);
	assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
	assert_contains(err, "单元格过多（超过 200 万个）");
	arena_free(&a);
	buf_free(&rows);
	buf_free(&b);
}

/* ---- issue 12: text and memory ---- */

static void test_refuses_control_characters(void **state)
{
	/* _x0001_ in an inline string, _x0007_ in a shared string: named by
	 * cell and header; tab, CR and LF (A2) are text */
	assert_refused("control_inline.xlsx", "工作表“Sheet1”第 3 行 B 列（地址）含有无法识别的字符（不可见的控制字符）",
	               "请删除这些字符后重新上传", NULL);
	assert_refused("control_shared.xlsx", "第 2 行 C 列（备注）含有无法识别的字符", NULL);
	/* the same shared string, unused, is no problem; tab, CR, LF read as text */
	Buf b = {0};
	sheet_book(&b, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>甲_x0009_乙_x000D__x000A_丙</t></is></c></row>");
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s = xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_cell(s, 0, 0, XLSX_STRING, "甲\t乙\r\n丙");
	/* a formula's string result is text from the file too */
	buf_reset(&b);
	sheet_book(&b, "<row r=\"1\"><c r=\"A1\" t=\"str\"><f>B1</f><v>x_x0002_</v></c></row>");
	assert_null(xlsx_read_sheet(&a, b.data, b.len, NULL, err, sizeof err));
	assert_contains(err, "第 1 行 A 列含有无法识别的字符");
	arena_free(&a);
	buf_free(&b);
}

/* What reading data[0..len) adds to the process's peak size, in KiB; *s
 * gets the sheet (in a) or NULL with err set. */
static long read_peak_kib(Arena *a, const char *data, size_t len, XlsxSheet **s, char *err, size_t errsz)
{
	long before = tu_peak_reset();
	*s = xlsx_read_sheet(a, data, len, NULL, err, errsz);
	return tu_status_kib("VmHWM") - before;
}

static void test_memory_follows_the_bytes(void **state)
{
	/* Issue 12 H2: 4.7 KB, 610 rows each holding one cell at column XFC,
	 * cost 300 MB per request (gaps filled densely up to 10 M cells). It
	 * is refused at its first cell now. */
	size_t len;
	char *data = fixture("far_column.xlsx", &len);
	Arena a = {0};
	char err[512] = "";
	XlsxSheet *s;
	long kib = read_peak_kib(&a, data, len, &s, err, sizeof err);
	print_message("far_column.xlsx (%zu bytes): +%ld KiB at peak\n", len, kib);
	assert_null(s);
	assert_contains(err, "XFC1 单元格有内容，超出了可以读取的 256 列（A 到 IV 列）");
	if (kib > 8 * 1024)
		fail_msg("far_column.xlsx took %ld KiB more (more than 8 MiB)", kib);
	free(data);
	arena_free(&a);

	/* 100,000 rows each holding one cell at IV, the last readable column:
	 * 25.6 million cells if gaps were kept, 100,000 as kept. */
	Buf rows = {0}, b = {0};
	for (int r = 1; r <= 100000; r++)
		buf_printf(&rows, "<row r=\"%d\"><c r=\"IV%d\"><v>%d</v></c></row>", r, r, r);
	sheet_book(&b, rows.data);
	buf_free(&rows);
	kib = read_peak_kib(&a, b.data, b.len, &s, err, sizeof err);
	print_message("100,000 rows with a value at IV (%zu bytes of XML): +%ld KiB at peak\n", b.len, kib);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nrows, 100000);
	assert_int_equal(s->ncols, 256);
	assert_int_equal(s->ncells[99999], 1);
	assert_cell(s, 99999, 255, XLSX_NUMBER, "100000");
	assert_null(xlsx_cell(s, 99999, 254));
	if (kib > 48 * 1024)
		fail_msg("100,000 sparse cells took %ld KiB more (more than 48 MiB)", kib);
	arena_free(&a);
	buf_free(&b);
}

/* ---- the streamed writer (xlsx_stream.c, deflating in its own thread) ---- */

typedef struct Gen {
	int n, at;
	char text[64];
} Gen;

static int gen_row(void *cls, XlsxCell *cells)
{
	Gen *g = cls;
	if (g->at >= g->n)
		return 0;
	g->at++;
	snprintf(g->text, sizeof g->text, "第%d行 <&> 文本", g->at);
	cells[0] = xlsx_num(g->at);
	cells[1] = xlsx_str(g->text);
	cells[2] = xlsx_date("2024-06-30");
	return 1;
}

/* A stream of 30,000 rows read in pieces of every size (1 byte, 7, 64 kB)
 * gives the same file, which reads back whole; a stream freed after a few
 * pieces (its deflater busy, jobs queued) and one never read leave nothing
 * behind (ASan, valgrind). */
static void test_stream_in_pieces(void **state)
{
	(void)state;
	static const XlsxColumn cols[] = {{.header = "编号", .type = XLSX_NUMBER}, {.header = "名称", .type = XLSX_STRING},
	                                   {.header = "日期", .type = XLSX_DATE}};
	static const size_t sizes[] = {65536, 7, 1};
	Buf first = {0};
	for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
		Gen g = {.n = sizes[si] == 1 ? 3000 : 30000};
		XlsxStreamSpec spec = {.name = "表", .cols = cols, .ncols = 3, .next_row = gen_row, .cls = &g};
		char err[256];
		XlsxStream *x = xlsx_stream_new(&spec, err, sizeof err);
		assert_non_null(x);
		Buf file = {0};
		char piece[65536];
		long got;
		while ((got = xlsx_stream_read(x, piece, sizes[si])) > 0) {
			assert_true((size_t)got <= sizes[si]);
			buf_append(&file, piece, (size_t)got);
		}
		assert_int_equal(got, 0);
		assert_int_equal(xlsx_stream_rows(x), g.n);
		xlsx_stream_free(x);
		Arena a = {0};
		XlsxSheet *sh = xlsx_read_sheet(&a, file.data, file.len, "表", err, sizeof err);
		if (!sh)
			fail_msg("%zu-byte pieces: %s", sizes[si], err);
		assert_int_equal(sh->nrows, g.n + 1);
		char want[64];
		snprintf(want, sizeof want, "第%d行 <&> 文本", g.n);
		assert_string_equal(xlsx_cell_text(sh, g.n, 1), want);
		assert_int_equal((int)xlsx_cell(sh, g.n, 0)->number, g.n);
		arena_free(&a);
		if (si == 0)
			first = file;
		else if (g.n == 30000) {
			assert_int_equal(file.len, first.len);
			assert_memory_equal(file.data, first.data, file.len);
		}
		if (si != 0)
			buf_free(&file);
	}
	buf_free(&first);
	/* freed midway, and never read */
	Gen g = {.n = 200000};
	XlsxStreamSpec spec = {.name = "表", .cols = cols, .ncols = 3, .next_row = gen_row, .cls = &g};
	XlsxStream *x = xlsx_stream_new(&spec, NULL, 0);
	char piece[4096];
	for (int i = 0; i < 5; i++)
		assert_true(xlsx_stream_read(x, piece, sizeof piece) > 0);
	xlsx_stream_free(x);
	xlsx_stream_free(xlsx_stream_new(&spec, NULL, 0));
}

/* ---- garbage never crashes ---- */

static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static void mutate_and_read(const char *orig, size_t len, int rounds)
{
	char *buf = xmalloc(len);
	char err[512];
	for (int i = 0; i < rounds; i++) {
		memcpy(buf, orig, len);
		size_t n = len;
		int kind = (int)(next_rand() % 4);
		if (kind == 0)
			n = next_rand() % len; /* truncated */
		int flips = 1 + (int)(next_rand() % 8);
		for (int k = 0; k < flips && n > 0; k++) {
			size_t at = next_rand() % n;
			if (kind == 1)
				buf[at] = (char)next_rand();
			else if (kind == 2)
				buf[at] = "<>&\"/=x0 "[next_rand() % 9];
			else
				buf[at] ^= (char)(1u << (next_rand() % 8));
		}
		Arena a = {0};
		err[0] = 0;
		XlsxSheet *s = xlsx_read_sheet(&a, buf, n, NULL, err, sizeof err);
		if (!s && !err[0])
			fail_msg("refused without a message (round %d)", i);
		if (s)
			for (int r = 0; r < s->nrows; r++)
				for (int c = 0; c < s->rowlen[r]; c++) {
					const char *t = xlsx_cell_text(s, r, c);
					/* whatever is read is cell text */
					if (t && utf8_text_bad(t, strlen(t), NULL) != strlen(t))
						fail_msg("cell (%d,%d) read with bytes that are not text", r, c);
				}
		arena_free(&a);
	}
	free(buf);
}

static void test_garbage_never_crashes(void **state)
{
	Buf b = {0};
	stored_book(&b);
	mutate_and_read(b.data, b.len, 3000);
	buf_free(&b);
	const char *files[] = {"shared_rich.xlsx", "custom_date.xlsx", "inline.xlsx", "named_order.xlsx"};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		size_t len;
		char *data = fixture(files[i], &len);
		mutate_and_read(data, len, 500);
		free(data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_stream_in_pieces),
		cmocka_unit_test(test_write_to_path_and_template),
		cmocka_unit_test(test_writer_refusals),
		cmocka_unit_test(test_shared_strings_and_rich_text),
		cmocka_unit_test(test_inline_strings_prefixed_xml),
		cmocka_unit_test(test_named_sheets_out_of_order),
		cmocka_unit_test(test_date1904),
		cmocka_unit_test(test_custom_date_formats),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_refuses_broken_files),
		cmocka_unit_test(test_refuses_ratio_bomb),
		cmocka_unit_test(test_refuses_zip_bomb_200mb),
		cmocka_unit_test(test_refuses_zip_bomb_lying_header),
		cmocka_unit_test(test_refuses_2000_entries),
		cmocka_unit_test(test_scanner_reads_sheets),
		cmocka_unit_test(test_rows_out_of_order_stay_linear),
		cmocka_unit_test(test_refuses_control_characters),
		cmocka_unit_test(test_memory_follows_the_bytes),
		cmocka_unit_test(test_garbage_never_crashes),
	};
	return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
