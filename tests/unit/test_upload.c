/*
 * test_upload.c — text at the doors (issue 12): the strict UTF-8 check and
 * its repair for output (util.c), and the CSV reader (upload.c): text that
 * is not UTF-8 or holds control characters refused naming the row, the
 * column and its header (tests/fixtures/csv, made by make_fixtures.py
 * there); memory that follows the bytes received, not the rows and columns
 * a file claims, measured as the process's peak size; and the JSON writer
 * (http.c), which answers 500 instead of stopping the server when a value
 * cannot be written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "http.h"
#include "multipart.h"
#include "testutil.h"
#include "upload.h"

/* ---- UTF-8 ---- */

static void test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		int valid;
	} cases[] = {
		{"", 1},
		{"plain ASCII\t\r\n", 1},
		{"\x7F", 1},                  /* DEL: ASCII */
		{"\xC2\x80", 1},              /* U+0080, the first of two bytes */
		{"\xDF\xBF", 1},              /* U+07FF */
		{"\xE0\xA0\x80", 1},          /* U+0800, the first of three */
		{"\xED\x9F\xBF", 1},          /* U+D7FF, just below the surrogates */
		{"\xEE\x80\x80", 1},          /* U+E000, just above */
		{"\xEF\xBF\xBF", 1},          /* U+FFFF */
		{"\xF0\x90\x80\x80", 1},      /* U+10000, the first of four */
		{"\xF4\x8F\xBF\xBF", 1},      /* U+10FFFF, the last */
		{"瑞安市飞云江", 1},
		{"\x80", 0},                  /* a continuation byte alone */
		{"\xBF", 0},
		{"\xC0\xAF", 0},              /* "/" overlong in two bytes */
		{"\xC1\xBF", 0},              /* U+007F overlong */
		{"\xE0\x80\xAF", 0},          /* "/" overlong in three */
		{"\xE0\x9F\xBF", 0},          /* U+07FF overlong in three */
		{"\xED\xA0\x80", 0},          /* U+D800, a surrogate (issue 12's example) */
		{"\xED\xBF\xBF", 0},          /* U+DFFF */
		{"\xED\xA0\x80\xED\xB0\x80", 0}, /* a surrogate pair written as UTF-8 (CESU-8) */
		{"\xF0\x80\x80\xAF", 0},      /* "/" overlong in four */
		{"\xF0\x8F\xBF\xBF", 0},      /* U+FFFF overlong in four */
		{"\xF4\x90\x80\x80", 0},      /* U+110000, past the last code point */
		{"\xF5\x80\x80\x80", 0},
		{"\xF8\x88\x80\x80\x80", 0},  /* five bytes (old RFC 2279) */
		{"\xFE", 0},
		{"\xFF", 0},
		{"\xE4\xB8", 0},              /* 中 cut short */
		{"\xF0\x9F\x98", 0},          /* an emoji cut short */
		{"a\xE4\xB8" "b", 0},
		{"\xE4\xB8\xAD\xC3", 0},      /* good, then a lead byte at the end */
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (utf8_valid(cases[i].s, strlen(cases[i].s)) != cases[i].valid)
			fail_msg("case %zu: utf8_valid should be %d", i, cases[i].valid);
	/* the length is what counts, not a NUL */
	assert_true(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\xE4\xB8\xAD", 2));
}

static void test_utf8_text_bad(void **state)
{
	int what = 0;
	assert_int_equal(utf8_text_bad("甲\t乙\r\n丙", strlen("甲\t乙\r\n丙"), &what), strlen("甲\t乙\r\n丙"));
	assert_int_equal(utf8_text_bad("ab\x01" "c", 4, &what), 2);
	assert_int_equal(what, UTF8_BAD_CONTROL);
	assert_int_equal(utf8_text_bad("ab\x1F", 3, &what), 2);
	assert_int_equal(utf8_text_bad("a\0b", 3, &what), 1); /* NUL */
	assert_int_equal(what, UTF8_BAD_CONTROL);
	assert_int_equal(utf8_text_bad("中\xED\xA0\x80", 6, &what), 3);
	assert_int_equal(what, UTF8_BAD_ENCODING);
	assert_int_equal(utf8_text_bad("\x7F", 1, NULL), 1); /* DEL is not C0 */
	assert_int_equal(utf8_text_bad("", 0, NULL), 0);
}

static void test_utf8_sanitize(void **state)
{
	Arena a = {0};
	const char *good = "瑞安 ok";
	assert_ptr_equal(utf8_sanitize(&a, good), good); /* no copy when valid */
	assert_null(utf8_sanitize(&a, NULL));
	/* one U+FFFD per maximal ill-formed subpart (Unicode 3.9, U+FFFD substitution) */
	assert_string_equal(utf8_sanitize(&a, "a\xED\xA0\x80" "b"), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b");
	assert_string_equal(utf8_sanitize(&a, "\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_string_equal(utf8_sanitize(&a, "x\xE4\xB8"), "x\xEF\xBF\xBD");
	assert_string_equal(utf8_sanitize(&a, "\xF0\x9F\x98z"), "\xEF\xBF\xBDz");
	assert_string_equal(utf8_sanitize(&a, "\xFF中"), "\xEF\xBF\xBD中");
	/* whatever comes in, what comes out is valid */
	unsigned char buf[64];
	unsigned long long x = 88172645463325252ull;
	for (int round = 0; round < 20000; round++) {
		size_t n = 1 + round % 60;
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[i] = (unsigned char)(x % 255 + 1);
		}
		buf[n] = 0;
		const char *out = utf8_sanitize(&a, (const char *)buf);
		if (!utf8_valid(out, strlen(out)))
			fail_msg("round %d: sanitized text is not UTF-8", round);
		if (round % 1000 == 999)
			arena_free(&a);
	}
	arena_free(&a);
}

/* ---- CSV ---- */

/* Reads tests/fixtures/csv/name (under $HATCHERY_SRC, else "."). */
static char *fixture(const char *name, size_t *len)
{
	const char *src = getenv("HATCHERY_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/fixtures/csv/%s", src && *src ? src : ".", name);
	char *data = file_read(path, len);
	if (!data)
		fail_msg("cannot read fixture %s (set HATCHERY_SRC to the source tree)", path);
	return data;
}

/* Reads a CSV fixture; NULL with err set when refused. */
static XlsxSheet *read_csv(Arena *a, const char *name, char *err, size_t errsz)
{
	size_t len;
	char *data = fixture(name, &len);
	err[0] = 0;
	XlsxSheet *s = upload_csv_sheet(a, data, len, err, errsz);
	free(data);
	return s;
}

static void assert_csv_refused(const char *name, const char *says, const char *advice)
{
	Arena a = {0};
	char err[512];
	if (read_csv(&a, name, err, sizeof err))
		fail_msg("%s was read, expected a refusal", name);
	assert_contains(err, says);
	assert_contains(err, advice);
	arena_free(&a);
}

static void test_csv_refuses_what_is_not_text(void **state)
{
	/* after a BOM the check used to be skipped */
	assert_csv_refused("bom_surrogate.csv", "第 3 行 B 列（地址）含有无法识别的字符（无效的文字编码）",
	                   "请以 UTF-8 或 GB18030 编码另存后重新导入");
	assert_csv_refused("bom_overlong.csv", "第 3 行 A 列（名称）含有无法识别的字符（无效的文字编码）", "UTF-8 或 GB18030");
	/* neither UTF-8 nor GB18030: the first field that is not says where */
	assert_csv_refused("neither.csv", "第 3 行 B 列（地址）含有无法识别的字符", "UTF-8 或 GB18030");
	assert_csv_refused("control.csv", "第 2 行 B 列（地址）含有无法识别的字符（不可见的控制字符）", "请删除这些字符后重新导入");
	/* in the header itself: no header to name */
	Arena a = {0};
	char err[512];
	assert_null(upload_csv_sheet(&a, "\xEF\xBB\xBF名\x01称,b\n", strlen("\xEF\xBB\xBF名\x01称,b\n"), err, sizeof err));
	assert_contains(err, "第 1 行 A 列含有无法识别的字符");
	arena_free(&a);
}

static void test_csv_reads_text(void **state)
{
	Arena a = {0};
	char err[512];
	XlsxSheet *s = read_csv(&a, "gb18030.csv", err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(xlsx_cell_text(s, 1, 1), "飞云江");
	/* tab, CR and LF inside quotes are text */
	const char *csv = "名称,地址\n\"庚\t辛\r\n壬\",癸\n";
	s = upload_csv_sheet(&a, csv, strlen(csv), err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(xlsx_cell_text(s, 1, 0), "庚\t辛\r\n壬");
	/* Excel's trailing delimiters up to a far column: ignored */
	s = read_csv(&a, "trailing_commas.csv", err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->nrows, 2);
	assert_int_equal(s->ncols, 2);
	assert_string_equal(xlsx_cell_text(s, 1, 1), "乙");
	/* empty fields are gaps, kept sparsely */
	csv = "a,,,d\n\n,,g\n";
	s = upload_csv_sheet(&a, csv, strlen(csv), err, sizeof err);
	assert_non_null(s);
	assert_int_equal(s->nrows, 3);
	assert_int_equal(s->ncells[0], 2);
	assert_int_equal(s->rowlen[0], 4);
	assert_int_equal(s->rowlen[1], 0);
	assert_null(xlsx_cell(s, 0, 1));
	assert_string_equal(xlsx_cell_text(s, 0, 3), "d");
	assert_string_equal(xlsx_cell_text(s, 2, 2), "g");
	arena_free(&a);
}

static void test_csv_limits(void **state)
{
	Arena a = {0};
	char err[512];
	assert_null(read_csv(&a, "wide_value.csv", err, sizeof err));
	assert_contains(err, "第 2 行 KO 列有内容，超出了可以读取的 256 列");
	/* blank lines count as rows: a value past the row limit is refused */
	size_t n = TRANSFER_MAX_ROWS + 5;
	char *csv = xmalloc(n + 16);
	memcpy(csv, "a\n", 2);
	memset(csv + 2, '\n', n);
	memcpy(csv + 2 + n, "b\n", 2);
	assert_null(upload_csv_sheet(&a, csv, n + 4, err, sizeof err));
	assert_contains(err, "文件超过 100000 行");
	free(csv);
	arena_free(&a);
}

/* What reading data[0..len) as CSV adds to the process's peak size, in KiB. */
static long csv_peak_kib(const char *data, size_t len, int *ok)
{
	Arena a = {0};
	char err[512];
	long before = tu_peak_reset();
	*ok = upload_csv_sheet(&a, data, len, err, sizeof err) != NULL;
	long peak = tu_status_kib("VmHWM");
	arena_free(&a);
	return peak - before;
}

static void test_csv_memory_follows_the_bytes(void **state)
{
	/* Issue 12 H2: 10 MiB of newlines took the server from 231 MB to
	 * 2.8 GB (a row allocated per blank line). 4 MiB of them now cost
	 * about the 4 MiB they are (one copy of the text). */
	size_t len = 4u << 20;
	char *data = xmalloc(len);
	memset(data, '\n', len);
	int ok;
	long kib = csv_peak_kib(data, len, &ok);
	print_message("4 MiB of blank lines: +%ld KiB at peak\n", kib);
	assert_true(ok);
	if (kib > 16 * 1024)
		fail_msg("reading 4 MiB of blank lines took %ld KiB more (more than 16 MiB)", kib);
	/* 4 MiB of delimiters: a million empty fields, no cells */
	memset(data, ',', len);
	data[len - 1] = '\n';
	kib = csv_peak_kib(data, len, &ok);
	print_message("4 MiB of commas: +%ld KiB at peak\n", kib);
	assert_true(ok);
	if (kib > 16 * 1024)
		fail_msg("reading 4 MiB of commas took %ld KiB more (more than 16 MiB)", kib);
	free(data);
}

/* ---- the JSON writer ---- */

static void test_http_json_never_aborts(void **state)
{
	Req r = {.method = "GET", .url = "/api/v1/x"};
	/* what json_pack() gives when a value is not UTF-8 */
	assert_null(json_pack("{s:s}", "name", "\xED\xA0\x80"));
	http_json(&r, 200, json_pack("{s:s}", "name", "\xED\xA0\x80"));
	assert_int_equal(r.status, 500);
	json_t *j = json_loads(buf_str(&r.out), 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "internal");
	assert_contains(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "服务器无法生成这份数据");
	json_decref(j);
	/* a value that got in unchecked: json_dumps() refuses it */
	json_t *o = json_object();
	json_object_set_new(o, "name", json_stringn_nocheck("\xC0\xAF", 2));
	r.status = 0;
	http_json(&r, 200, o);
	assert_int_equal(r.status, 500);
	assert_contains(buf_str(&r.out), "\"internal\"");
	/* and a good one is written */
	http_json(&r, 201, json_pack("{s:s}", "name", "瑞安"));
	assert_int_equal(r.status, 201);
	assert_string_equal(buf_str(&r.out), "{\"name\":\"瑞安\"}");
	buf_free(&r.out);
	arena_free(&r.arena);
}

/* ---- multipart/form-data (a plain form's photo) ---- */

static void test_multipart_boundary(void **state)
{
	(void)state;
	Arena a = {0};
	assert_string_equal(multipart_boundary(&a, "multipart/form-data; boundary=----WebKitFormBoundaryAbC123"),
	                    "----WebKitFormBoundaryAbC123");
	assert_string_equal(multipart_boundary(&a, "Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b'c\""), "a b'c");
	assert_null(multipart_boundary(&a, "multipart/form-data"));                  /* none */
	assert_null(multipart_boundary(&a, "multipart/form-data; boundary="));       /* empty */
	assert_null(multipart_boundary(&a, "multipart/form-data; boundary=\"abc"));  /* unterminated */
	assert_null(multipart_boundary(&a, "multipart/form-data; boundary=a<b"));    /* not a bchar */
	assert_null(multipart_boundary(&a, "multipart/mixed; boundary=abc"));        /* another type */
	assert_null(multipart_boundary(&a, "multipart/form-dataX; boundary=abc"));
	assert_null(multipart_boundary(&a, "application/x-www-form-urlencoded"));
	assert_null(multipart_boundary(&a, NULL));
	char longer[128] = "multipart/form-data; boundary=";
	memset(longer + strlen(longer), 'x', 71); /* 71 characters: one too many */
	assert_null(multipart_boundary(&a, longer));
	longer[strlen(longer) - 1] = 0;
	assert_non_null(multipart_boundary(&a, longer));
	arena_free(&a);
}

#define CRLF "\r\n"

static void test_multipart_reads_a_form(void **state)
{
	(void)state;
	Arena a = {0};
	/* a browser's body: two text fields, a photo with bytes that look like
	 * delimiters and NULs, an empty file input, and an epilogue */
	static const char body[] =
		"--XyZ" CRLF "Content-Disposition: form-data; name=\"csrf\"" CRLF CRLF "tok" CRLF
		"--XyZ" CRLF "Content-Disposition: form-data; name=\"answer-7\"" CRLF CRLF "已补充。\r\n第二行" CRLF
		"--XyZ" CRLF "Content-Disposition: form-data; name=\"evidence\"; filename=\"现场 \\\"1\\\".jpg\"" CRLF
		"Content-Type: image/jpeg" CRLF CRLF "\xff\xd8\xff\0--XyZ\r\n-\0\xff\xd9" CRLF
		"--XyZ" CRLF "content-disposition: form-data; filename=\"\"; name=other" CRLF
		"Content-Type: application/octet-stream" CRLF CRLF CRLF
		"--XyZ--" CRLF "epilogue, ignored";
	MultipartPart *p;
	const char *err;
	int n = multipart_parse(&a, "XyZ", body, sizeof body - 1, &p, &err);
	assert_int_equal(n, 4);
	assert_null(err);
	assert_string_equal(p[0].name, "csrf");
	assert_null(p[0].filename);
	assert_string_equal(p[0].data, "tok");
	assert_string_equal(p[1].name, "answer-7");
	assert_string_equal(p[1].data, "已补充。\r\n第二行");
	assert_string_equal(p[2].name, "evidence");
	assert_string_equal(p[2].filename, "现场 \"1\".jpg");
	assert_string_equal(p[2].content_type, "image/jpeg");
	assert_int_equal(p[2].len, 15);
	assert_memory_equal(p[2].data, "\xff\xd8\xff\0--XyZ\r\n-\0\xff\xd9", 15);
	assert_string_equal(p[3].name, "other");
	assert_string_equal(p[3].filename, "");
	assert_int_equal(p[3].len, 0);
	/* a preamble before the first delimiter is skipped; no parts at all is fine */
	static const char pre[] = "preamble" CRLF "--XyZ" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF "--XyZ--";
	n = multipart_parse(&a, "XyZ", pre, sizeof pre - 1, &p, &err);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].data, "1");
	n = multipart_parse(&a, "XyZ", "--XyZ--", 7, &p, &err);
	assert_int_equal(n, 0);
	arena_free(&a);
}

static void test_multipart_refuses_bad_bodies(void **state)
{
	(void)state;
	Arena a = {0};
	static const struct {
		const char *why, *body;
	} bad[] = {
		{"empty", ""},
		{"no delimiter", "just text, no parts"},
		{"another boundary", "--Other" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF "--Other--"},
		{"cut after the delimiter", "--XyZ"},
		{"garbage after the delimiter", "--XyZ!!" CRLF},
		{"cut in the headers", "--XyZ" CRLF "Content-Disposition: form-data; name=a"},
		{"cut in the data (an interrupted upload)", "--XyZ" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "\xff\xd8\xff"},
		{"no closing delimiter", "--XyZ" CRLF "Content-Disposition: form-data; name=a" CRLF CRLF "1" CRLF "--XyZ"},
		{"a part without a name", "--XyZ" CRLF "Content-Disposition: form-data; filename=\"a.jpg\"" CRLF CRLF "1" CRLF "--XyZ--"},
		{"a part without headers", "--XyZ" CRLF CRLF "1" CRLF "--XyZ--"},
		{"not form-data", "--XyZ" CRLF "Content-Disposition: attachment; name=a" CRLF CRLF "1" CRLF "--XyZ--"},
		{"an unterminated quote", "--XyZ" CRLF "Content-Disposition: form-data; name=\"a" CRLF CRLF "1" CRLF "--XyZ--"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		MultipartPart *p = (MultipartPart *)1;
		const char *err = NULL;
		int n = multipart_parse(&a, "XyZ", bad[i].body, strlen(bad[i].body), &p, &err);
		if (n != -1)
			fail_msg("%s: %d parts", bad[i].why, n);
		assert_non_null(err);
		assert_non_null(strstr(err, "请")); /* says what to do */
	}
	/* a NUL in a name's quoted value */
	static const char nul[] = "--XyZ" CRLF "Content-Disposition: form-data; name=\"a\0b\"" CRLF CRLF "1" CRLF "--XyZ--";
	MultipartPart *p;
	const char *err;
	assert_int_equal(multipart_parse(&a, "XyZ", nul, sizeof nul - 1, &p, &err), -1);
	/* no boundary, or one too long */
	assert_int_equal(multipart_parse(&a, "", "--", 2, &p, &err), -1);
	char b71[72];
	memset(b71, 'b', 71);
	b71[71] = 0;
	assert_int_equal(multipart_parse(&a, b71, "--", 2, &p, &err), -1);
	/* headers longer than the bound are refused before they are read */
	Buf big = {0};
	buf_puts(&big, "--XyZ" CRLF "Content-Disposition: form-data; name=a" CRLF "X-Pad: ");
	for (int i = 0; i < MULTIPART_MAX_HEADER; i++)
		buf_putc(&big, 'x');
	buf_puts(&big, CRLF CRLF "1" CRLF "--XyZ--");
	assert_int_equal(multipart_parse(&a, "XyZ", big.data, big.len, &p, &err), -1);
	assert_non_null(strstr(err, "过长"));
	/* too many parts */
	buf_reset(&big);
	for (int i = 0; i <= MULTIPART_MAX_PARTS; i++)
		buf_printf(&big, "--XyZ" CRLF "Content-Disposition: form-data; name=f%d" CRLF CRLF "v" CRLF, i);
	buf_puts(&big, "--XyZ--");
	assert_int_equal(multipart_parse(&a, "XyZ", big.data, big.len, &p, &err), -1);
	assert_non_null(strstr(err, "过多"));
	/* every prefix of a good body is refused, never read past its end */
	static const char good[] = "--XyZ" CRLF "Content-Disposition: form-data; name=\"e\"; filename=\"p.jpg\"" CRLF CRLF
	                           "\xff\xd8\xff\xd9" CRLF "--XyZ--";
	for (size_t cut = 0; cut + 2 < sizeof good - 1; cut++) {
		char *copy = malloc(cut ? cut : 1); /* exactly cut bytes: ASan sees any read past them */
		memcpy(copy, good, cut);
		int n = multipart_parse(&a, "XyZ", copy, cut, &p, &err);
		free(copy);
		if (n != -1)
			fail_msg("a body cut at %zu bytes gave %d parts", cut, n);
	}
	buf_free(&big);
	arena_free(&a);
}

/* Mutated bodies (a fixed-seed generator: the same inputs every run):
 * bytes flipped, cut, duplicated; each copied to exactly its length so
 * that ASan sees any read past it. The parser answers -1 with a reason or
 * parts that lie inside the body, never more than the bound. */
static void test_multipart_mutations(void **state)
{
	(void)state;
	static const char seed[] = "--XyZ" CRLF "Content-Disposition: form-data; name=\"csrf\"" CRLF CRLF "tok" CRLF
	                           "--XyZ" CRLF "Content-Disposition: form-data; name=\"e\"; filename=\"a \\\"b\\\".jpg\"" CRLF
	                           "Content-Type: image/jpeg" CRLF CRLF "\xff\xd8\xff\0\r\n--Xy\xff\xd9" CRLF "--XyZ--" CRLF;
	const size_t n0 = sizeof seed - 1;
	unsigned long long x = 88172645463325252ULL;
	int ok = 0, refused = 0;
	for (int iter = 0; iter < 20000; iter++) {
		Arena a = {0};
		char buf[2 * sizeof seed];
		size_t n = n0;
		memcpy(buf, seed, n0);
		int edits = 1 + (int)(x % 4);
		for (int e = 0; e < edits; e++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t at = (size_t)(x % n);
			switch ((x >> 20) % 4) {
			case 0: buf[at] = (char)(x >> 32); break;                          /* a byte changed */
			case 1: n = at; break;                                              /* cut */
			case 2: if (n + 8 < sizeof buf) { memmove(buf + at + 8, buf + at, n - at); n += 8; } break; /* grown */
			default: buf[at] = "\r\n-\"; =\\"[(x >> 40) % 8]; break;            /* a delimiter's byte */
			}
			if (!n)
				break;
		}
		char *body = malloc(n ? n : 1);
		memcpy(body, buf, n);
		MultipartPart *p;
		const char *err;
		int k = multipart_parse(&a, "XyZ", body, n, &p, &err);
		assert_true(k >= -1 && k <= MULTIPART_MAX_PARTS);
		assert_true((k < 0) == (err != NULL));
		for (int i = 0; i < k; i++) {
			assert_non_null(p[i].name);
			if (p[i].filename)
				assert_true(p[i].data >= body && p[i].data + p[i].len <= body + n);
			else
				assert_int_equal(p[i].data[p[i].len], 0);
		}
		k < 0 ? refused++ : ok++;
		free(body);
		arena_free(&a);
	}
	/* the mutations reach both answers */
	assert_true(ok > 100 && refused > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_text_bad),
		cmocka_unit_test(test_utf8_sanitize),
		cmocka_unit_test(test_csv_refuses_what_is_not_text),
		cmocka_unit_test(test_csv_reads_text),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_csv_memory_follows_the_bytes),
		cmocka_unit_test(test_http_json_never_aborts),
		cmocka_unit_test(test_multipart_boundary),
		cmocka_unit_test(test_multipart_reads_a_form),
		cmocka_unit_test(test_multipart_refuses_bad_bodies),
		cmocka_unit_test(test_multipart_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
