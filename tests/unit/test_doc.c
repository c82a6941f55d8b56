/*
 * test_doc.c — the document model and its renderers (doc.h): a document
 * with a long table (it must break across pages) and a chart, through its
 * JSON and back; the PDF read back with pdftotext (title, every row, the
 * header repeated on the next page, page numbers "— 1 —" and "— 2 —", no
 * glyph without a font); the .docx read by python3-docx (paragraphs, the
 * table with its repeated header row, the footers' page field, the styles)
 * and the zip checked by Python's zipfile; the .xlsx by python3-openpyxl.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"
#include "render_child.h"
#include "testutil.h"
#include "zip_write.h"

#define NROWS 60

static const char *area_names[] = {"安阳街道", "玉海街道", "锦湖街道", "东山街道", "上望街道", "莘塍街道",
                                   "汀田街道", "飞云街道", "仙降街道", "南滨街道", "云周街道", "塘下镇"};

/* A bulletin-like document: header, number, title, paragraphs, headings,
 * a table of NROWS rows and a chart. */
static Doc *sample(Arena *a)
{
	Doc *d = doc_new(a);
	d->issuer = "瑞安市大孵化集群工作专班办公室";
	d->number = "瑞孵办〔2024〕11号";
	d->title = "关于2024年11月全市大孵化集群建设进展情况的通报";
	d->addressee = "各镇（街道）、功能区：";
	d->date = "2024-12-05";
	d->footnote = "数据截至2024年11月30日。";
	doc_heading(d, 1, "一、总体情况");
	doc_para(d, "截至11月底，全市新增孵化面积12.35万㎡，完成年度目标的87.5%；新设基金3支，规模1.2亿元。"
	            "安阳街道、玉海街道、锦湖街道综合排名前三，仙降街道、南滨街道、云周街道排名靠后。");
	doc_heading(d, 2, "（一）分指标情况");
	DocTable *t = doc_table(d, "表1 各镇街综合排名", 4, 1, NROWS + 1);
	t->widths[0] = 0.6;
	t->widths[1] = 2;
	t->right[2] = t->right[3] = 1;
	doc_cell(t, 0, 0, "排名");
	doc_cell(t, 0, 1, "镇街");
	doc_cell(t, 0, 2, "得分");
	doc_cell(t, 0, 3, "完成率");
	for (int r = 1; r <= NROWS; r++) {
		doc_cell_num(t, r, 0, arena_printf(a, "%d", r), r);
		doc_cell(t, r, 1, arena_printf(a, "%s第%d行", area_names[(r - 1) % 12], r));
		doc_cell_num(t, r, 2, arena_printf(a, "%.1f", 100.0 - r), 100.0 - r);
		doc_cell(t, r, 3, arena_printf(a, "%.1f%%", 120.0 - r));
	}
	t->note = "注：得分为六项指标完成率的加权和。";
	DocChart *c = doc_chart(d, "图1 各镇街目标完成率", "%", 12);
	c->has_mark = 1;
	c->mark = 100;
	for (int i = 0; i < 12; i++) {
		c->labels[i] = area_names[i];
		c->values[i] = 130 - i * 10;
	}
	doc_heading(d, 1, "二、下步工作要求");
	doc_para(d, "各地要对照目标任务，倒排时间节点，确保完成全年目标。");
	return d;
}

/* Writes n bytes to a new temporary file with suffix; returns its path (malloc'd). */
static char *write_temp(const char *suffix, const char *data, size_t n)
{
	char *path = NULL;
	if (asprintf(&path, "/tmp/test_doc_%d%s", (int)getpid(), suffix) < 0)
		fail();
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

/* With $TEST_DOC_KEEP set (a directory), the files made are left there to look at. */
static void keep(const char *name, const Buf *b)
{
	const char *dir = getenv("TEST_DOC_KEEP");
	if (!dir || !*dir)
		return;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(b->data, 1, b->len, f);
		fclose(f);
	}
}

/* Runs cmd; returns its standard output (malloc'd) and its exit status in *rc. */
static char *run(const char *cmd, int *rc)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	Buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&b, chunk, n);
	int st = pclose(p);
	*rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return b.data ? buf_detach(&b) : xstrdup("");
}

/* Checks the file made (data, with suffix) with a Python script: fails
 * with what (the check's name) and the script's output unless it exits 0;
 * returns that output (malloc'd). */
static char *python_check(const char *what, const char *suffix, const Buf *data, const char *script, size_t script_len)
{
	char *path = write_temp(suffix, data->data, data->len);
	char *py = write_temp("_check.py", script, script_len);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s 2>&1", py, path);
	int rc;
	char *res = run(cmd, &rc);
	unlink(py);
	unlink(path);
	free(py);
	free(path);
	if (rc != 0)
		fail_msg("%s: %s", what, res);
	return res;
}

/* s without line breaks (pdftotext breaks a title where the page wraps it). */
static char *joined(const char *s)
{
	char *j = xstrdup(s), *o = j;
	for (const char *p = s; *p; p++)
		if (*p != '\n')
			*o++ = *p;
	*o = 0;
	return j;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_json_round_trip(void **state)
{
	(void)state;
	Arena a = {0};
	Doc *d = sample(&a);
	json_t *j = doc_to_json(d);
	char err[256] = "";
	Doc *back = doc_from_json(&a, j, err, sizeof err);
	assert_non_null(back);
	json_t *j2 = doc_to_json(back);
	char *s1 = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT), *s2 = json_dumps(j2, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(s1, s2);
	assert_contains(s1, "瑞孵办〔2024〕11号");
	free(s1);
	free(s2);
	json_decref(j);
	json_decref(j2);
	/* not a document */
	json_t *bad = json_pack("{s:s}", "title", "x");
	assert_null(doc_from_json(&a, bad, err, sizeof err));
	assert_contains(err, "正文");
	json_decref(bad);
	bad = json_pack("{s:[{s:s}]}", "blocks", "kind", "video");
	assert_null(doc_from_json(&a, bad, err, sizeof err));
	json_decref(bad);
	arena_free(&a);
}

static void test_pdf(void **state)
{
	(void)state;
	Arena a = {0};
	Doc *d = sample(&a);
	Buf out = {0};
	char err[256] = "";
	DocPdfInfo info = {0};
	assert_int_equal(doc_pdf(d, &out, &info, err, sizeof err), H_OK);
	assert_true(out.len > 1000);
	assert_memory_equal(out.data, "%PDF-", 5);
	assert_int_equal(info.unknown_glyphs, 0);
	assert_true(info.pages >= 3);
	char *path = write_temp(".pdf", out.data, out.len);
	keep("sample.pdf", &out);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", path);
	int rc;
	char *text = run(cmd, &rc);
	assert_int_equal(rc, 0);
	char *flat = joined(text);
	assert_contains(flat, "关于2024年11月全市大孵化集群建设进展情况的通报");
	free(flat);
	assert_contains(text, "瑞安市大孵化集群工作专班办公室");
	assert_contains(text, "瑞孵办〔2024〕11号");
	assert_contains(text, "— 1 —");
	assert_contains(text, "— 2 —");
	assert_contains(text, "2024年12月5日");
	for (int r = 1; r <= NROWS; r++) {
		char row[64];
		snprintf(row, sizeof row, "第%d行", r);
		assert_contains(text, row);
	}
	for (size_t i = 0; i < ARRAY_LEN(area_names); i++)
		assert_contains(text, area_names[i]);
	/* the header row is repeated where the table goes on to the next page */
	if (count_of(text, "完成率") < 3)
		fail_msg("the table's header is not repeated:\n%s", text);
	assert_null(strstr(text, "\xEF\xBF\xBD")); /* U+FFFD */
	/* the pages, as pdfinfo counts them */
	snprintf(cmd, sizeof cmd, "pdfinfo -isodates %s | grep -E '^(Pages|Page size|Title|CreationDate):'", path);
	char *meta = run(cmd, &rc);
	char pages[32];
	snprintf(pages, sizeof pages, "%d", info.pages);
	assert_contains(meta, pages);
	assert_contains(meta, "595.276 x 841.89"); /* A4 */
	assert_contains(meta, "关于2024年11月");
	/* dated by the document, not the clock: rendered again, the same bytes */
	assert_contains(meta, "2024-12-05T00:00:00+08");
	Buf again = {0};
	assert_int_equal(doc_pdf(d, &again, &info, err, sizeof err), H_OK);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.data, out.data, out.len);
	buf_free(&again);
	/* the fonts are the Noto CJK faces, embedded */
	snprintf(cmd, sizeof cmd, "pdffonts %s", path);
	char *fonts = run(cmd, &rc);
	assert_contains(fonts, "NotoSerifCJK");
	assert_contains(fonts, "NotoSansCJK");
	free(fonts);
	free(meta);
	free(text);
	unlink(path);
	free(path);
	buf_free(&out);
	arena_free(&a);
}

/* A glyph that no font has is counted, not silently dropped. */
static void test_pdf_unknown_glyph(void **state)
{
	(void)state;
	Arena a = {0};
	Doc *d = doc_new(&a);
	d->title = "测试";
	doc_para(d, "私用区字符：\xEE\x80\x80。"); /* U+E000 */
	Buf out = {0};
	char err[256];
	DocPdfInfo info = {0};
	assert_int_equal(doc_pdf(d, &out, &info, err, sizeof err), H_OK);
	assert_true(info.unknown_glyphs > 0);
	buf_free(&out);
	arena_free(&a);
}

static const char docx_check_py[] =
    "import sys, zipfile, docx\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "assert z.testzip() is None\n"
    "names = z.namelist()\n"
    "assert names[0] == '[Content_Types].xml', names\n"
    "for n in ['word/document.xml','word/styles.xml','word/footer1.xml','word/footer2.xml','docProps/core.xml',"
    "'word/media/chart1.png']:\n"
    "    assert n in names, n\n"
    "doc = docx.Document(sys.argv[1])\n"
    "text = '\\n'.join(p.text for p in doc.paragraphs)\n"
    "for s in ['瑞安市大孵化集群工作专班办公室','瑞孵办〔2024〕11号','关于2024年11月全市大孵化集群建设进展情况的通报',"
    "'各镇（街道）、功能区：','一、总体情况','2024年12月5日','表1 各镇街综合排名']:\n"
    "    assert s in text, s\n"
    "assert doc.core_properties.title.startswith('关于2024年11月')\n"
    "t = doc.tables[0]\n"
    "assert len(t.rows) == 61, len(t.rows)\n"
    "assert [c.text for c in t.rows[0].cells] == ['排名','镇街','得分','完成率']\n"
    "assert t.rows[60].cells[1].text.endswith('第60行')\n"
    "ns = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'\n"
    "assert t.rows[0]._tr.find(ns+'trPr').find(ns+'tblHeader') is not None\n"
    "assert t.rows[1]._tr.find(ns+'trPr').find(ns+'tblHeader') is None\n"
    "sec = doc.sections[0]\n"
    "assert abs(sec.page_width.mm - 210) < 0.5 and abs(sec.page_height.mm - 297) < 0.5\n"
    "assert abs(sec.top_margin.mm - 37) < 0.5 and abs(sec.left_margin.mm - 28) < 0.5\n"
    "ft = sec.footer.paragraphs[0]._p.xml\n"
    "assert 'PAGE' in ft and '— ' in ft, ft\n"
    "assert doc.settings.odd_and_even_pages_header_footer\n"
    "assert 'PAGE' in sec.even_page_footer.paragraphs[0]._p.xml\n"
    "assert doc.styles['Title'].font.size.pt == 22\n"
    "body = doc.styles['Normal']\n"
    "st = z.read('word/styles.xml').decode()\n"
    "assert '仿宋_GB2312' in st and '方正小标宋简体' in st and '黑体' in st\n"
    "print('ok')\n";

static void test_docx(void **state)
{
	(void)state;
	Arena a = {0};
	Doc *d = sample(&a);
	Buf out = {0};
	char err[256] = "";
	assert_int_equal(doc_docx(d, &out, err, sizeof err), H_OK);
	assert_memory_equal(out.data, "PK\x03\x04", 4);
	keep("sample.docx", &out);
	char *res = python_check("python3-docx", ".docx", &out, docx_check_py, sizeof docx_check_py - 1);
	assert_contains(res, "ok");
	/* the same document gives the same bytes (fixed zip times) */
	Buf again = {0};
	assert_int_equal(doc_docx(d, &again, err, sizeof err), H_OK);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.data, out.data, out.len);
	buf_free(&again);
	free(res);
	buf_free(&out);
	arena_free(&a);
}

static const char xlsx_check_py[] =
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "names = wb.sheetnames\n"
    "assert names[0] == '说明', names\n"
    "assert '表1 各镇街综合排名' in names, names\n"
    "ws = wb['表1 各镇街综合排名']\n"
    "rows = list(ws.iter_rows(values_only=True))\n"
    "assert rows[0][:4] == ('排名','镇街','得分','完成率'), rows[0]\n"
    "assert len([r for r in rows if r[1]]) == 61, len(rows)\n"
    "assert rows[1][0] == 1 and rows[1][2] == 99, rows[1]\n"
    "assert rows[60][1].endswith('第60行')\n"
    "ws = wb['图1 各镇街目标完成率']\n"
    "rows = list(ws.iter_rows(values_only=True))\n"
    "assert rows[1][0] == '安阳街道' and rows[1][1] == 130, rows[1]\n"
    "s = [r[0] for r in wb['说明'].iter_rows(values_only=True)]\n"
    "assert '关于2024年11月全市大孵化集群建设进展情况的通报' in s, s\n"
    "print('ok')\n";

static void test_xlsx(void **state)
{
	(void)state;
	Arena a = {0};
	Doc *d = sample(&a);
	Buf out = {0};
	char err[256] = "";
	assert_int_equal(doc_xlsx(d, &out, err, sizeof err), H_OK);
	free(python_check("openpyxl", ".xlsx", &out, xlsx_check_py, sizeof xlsx_check_py - 1));
	buf_free(&out);
	arena_free(&a);
}

/* The zip writer alone: Python's zipfile reads back what went in. */
static void test_zip(void **state)
{
	(void)state;
	ZipWriter z = {0};
	Buf big = {0};
	for (int i = 0; i < 20000; i++)
		buf_printf(&big, "行%d,", i);
	zip_add(&z, "a.txt", "hello", 5);
	zip_add(&z, "dir/中文.txt", big.data, big.len);
	zip_add(&z, "empty", "", 0);
	Buf out = {0};
	assert_int_equal(zip_finish(&z, &out), H_OK);
	char *path = write_temp(".zip", out.data, out.len);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "/usr/bin/python3 -c \"import zipfile,sys; z=zipfile.ZipFile('%s'); assert z.testzip() is None; "
	         "assert z.read('a.txt')==b'hello'; assert z.read('empty')==b''; "
	         "d=z.read('dir/中文.txt').decode(); assert d.startswith('行0,') and d.endswith('行19999,'); "
	         "print(len(d))\" 2>&1",
	         path);
	int rc;
	char *res = run(cmd, &rc);
	if (rc != 0)
		fail_msg("zipfile: %s", res);
	free(res);
	unlink(path);
	free(path);
	buf_free(&out);
	buf_free(&big);
}


static const char docx_parts_py[] =
    "import sys, zipfile, struct\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "pngs = sorted(n for n in z.namelist() if n.startswith('word/media/'))\n"
    "assert pngs == ['word/media/chart%d.png' % i for i in (1, 2, 3)], pngs\n"
    "for n in pngs:\n"
    "    d = z.read(n)\n"
    "    w, h = struct.unpack('>II', d[16:24])\n"
    "    assert h <= 2 * 638, (n, w, h)\n"
    "doc = z.read('word/document.xml').decode()\n"
    "assert doc.count('<w:drawing>') == 3\n"
    "print('ok')\n";

/* A chart of 100 bars in a .docx: three pictures (36 + 36 + 28 bars), each
 * within a page's height (one picture of all was 3,076 pixels tall). */
static void test_docx_tall_chart(void **state)
{
	(void)state;
	Arena a = {0};
	Doc *d = doc_new(&a);
	d->title = "图表";
	DocChart *c = doc_chart(d, "图1 得分", "分", 100);
	for (int i = 0; i < 100; i++) {
		c->labels[i] = arena_printf(&a, "区域%d", i + 1);
		c->values[i] = 100 - i;
	}
	Buf out = {0};
	char err[256] = "";
	assert_int_equal(doc_docx(d, &out, err, sizeof err), H_OK);
	free(python_check("the pictures", ".docx", &out, docx_parts_py, sizeof docx_parts_py - 1));
	buf_free(&out);
	arena_free(&a);
}


/* The renderer child (render_child.c): the document made by the binary
 * (HATCHERY_BIN) from its JSON on stdin; a document it cannot read is an
 * error with the child's status and stderr; a child that takes too long
 * or writes too much is killed (a script in its place, with small limits);
 * at most RENDER_CHILDREN_MAX at once. */
static void test_render_child(void **state)
{
	(void)state;
	const char *bin = getenv("HATCHERY_BIN");
	assert_non_null(bin);
	render_child_exe = bin;
	Arena a = {0};
	json_t *j = doc_to_json(sample(&a));
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	Buf out = {0};
	char err[1400];
	assert_int_equal(render_child("pdf", 0, text, strlen(text), &out, err, sizeof err), H_OK);
	assert_true(out.len > 1000);
	assert_memory_equal(out.data, "%PDF-", 5);
	buf_reset(&out);
	assert_int_equal(render_child("docx", 1, text, strlen(text), &out, err, sizeof err), H_OK);
	assert_memory_equal(out.data, "PK\x03\x04", 4);
	buf_reset(&out);
	free(text);

	assert_int_equal(render_child("pdf", 0, "{\"blocks\": 7", 12, &out, err, sizeof err), H_ERR);
	assert_int_equal(out.len, 0);
	assert_contains(err, "exited with status 1");
	assert_contains(err, "not JSON");

	static const char slow[] = "#!/bin/sh\nexec sleep 20\n";
	char *script = write_temp(".sh", slow, sizeof slow - 1);
	assert_int_equal(chmod(script, 0700), 0);
	render_child_exe = script;
	render_child_seconds = 0.3;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(render_child("pdf", 0, "{}", 2, &out, err, sizeof err), H_ERR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_contains(err, "took too long");
	assert_true((t1.tv_sec - t0.tv_sec) < 3);
	unlink(script);
	free(script);

	static const char chatty[] = "#!/bin/sh\nexec yes hatchery\n";
	script = write_temp(".sh", chatty, sizeof chatty - 1);
	assert_int_equal(chmod(script, 0700), 0);
	render_child_exe = script;
	render_child_seconds = 20;
	render_child_max_bytes = 1 << 20;
	assert_int_equal(render_child("pdf", 0, "{}", 2, &out, err, sizeof err), H_ERR);
	assert_contains(err, "size limit");
	assert_int_equal(out.len, 0);
	unlink(script);
	free(script);
	render_child_exe = "/proc/self/exe";
	render_child_seconds = RENDER_SECONDS;
	render_child_max_bytes = RENDER_MAX_BYTES;

	for (int i = 0; i < RENDER_CHILDREN_MAX; i++)
		assert_true(render_slot_take(0));
	assert_false(render_slot_take(0.1));
	render_slot_release();
	assert_true(render_slot_take(0.1));
	for (int i = 0; i < RENDER_CHILDREN_MAX; i++)
		render_slot_release();
	buf_free(&out);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_round_trip),
	    cmocka_unit_test(test_zip),
	    cmocka_unit_test(test_pdf),
	    cmocka_unit_test(test_pdf_unknown_glyph),
	    cmocka_unit_test(test_docx),
	    cmocka_unit_test(test_docx_tall_chart),
	    cmocka_unit_test(test_render_child),
	    cmocka_unit_test(test_xlsx),
	};
	return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
