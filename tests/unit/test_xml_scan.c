/*
 * test_xml_scan.c — the streaming XML scanner (xml_scan.c) that reads the
 * sheets and shared strings of imported workbooks: what the handlers see
 * (names without prefixes, xmlns left out, references decoded, line ends
 * as XML makes them, CDATA), the same events however the bytes are cut,
 * and every refusal with its reason and position (never a crash).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"
#include "xml_scan.h"

/* The events as text: <name a=v ...> for a start, </name>, [text] for text
 * (adjacent pieces joined). stop_at: xml_scan_stop at this start tag. */
typedef struct Trace {
	Buf out;
	int in_text;
	XmlScan *x;
	const char *stop_at;
} Trace;

static void on_start(void *ud, const char *name, const char **atts)
{
	Trace *t = ud;
	if (t->in_text)
		buf_puts(&t->out, "]");
	t->in_text = 0;
	buf_printf(&t->out, "<%s", name);
	for (int i = 0; atts[i]; i += 2)
		buf_printf(&t->out, " %s=%s", atts[i], atts[i + 1]);
	buf_puts(&t->out, ">");
	if (t->stop_at && strcmp(name, t->stop_at) == 0)
		xml_scan_stop(t->x);
}

static void on_end(void *ud, const char *name)
{
	Trace *t = ud;
	if (t->in_text)
		buf_puts(&t->out, "]");
	t->in_text = 0;
	buf_printf(&t->out, "</%s>", name);
}

static void on_text(void *ud, const char *s, int len)
{
	Trace *t = ud;
	if (!t->in_text)
		buf_puts(&t->out, "[");
	t->in_text = 1;
	buf_append(&t->out, s, (size_t)len);
}

/* Scans doc in pieces of step bytes (0: whole); returns the code, the trace in *trace (malloc'd). */
static int scan(const char *doc, size_t len, size_t step, char **trace, unsigned long *line, unsigned long *col,
                const char **why, const char *stop_at)
{
	Trace t = {.stop_at = stop_at};
	XmlScan *x = xml_scan_new(&t, on_start, on_end, on_text);
	t.x = x;
	int rc = XML_SCAN_OK;
	size_t off = 0;
	do {
		size_t n = step && len - off > step ? step : len - off;
		memcpy(xml_scan_buffer(x, n), doc + off, n);
		off += n;
		rc = xml_scan_parse(x, n, off == len);
	} while (rc == XML_SCAN_OK && off < len);
	if (t.in_text)
		buf_puts(&t.out, "]");
	const char *w = xml_scan_error(x, line, col);
	if (why)
		*why = w;
	*trace = xstrdup(buf_str(&t.out));
	buf_free(&t.out);
	xml_scan_free(x);
	return rc;
}

/* Asserts the trace of doc, whole and cut at every byte. */
static void assert_trace(const char *doc, const char *want)
{
	size_t len = strlen(doc);
	for (size_t step = 0; step <= 7; step++) {
		char *got;
		int rc = scan(doc, len, step, &got, NULL, NULL, NULL, NULL);
		if (rc != XML_SCAN_OK)
			fail_msg("step %zu: code %d for %s", step, rc, doc);
		if (strcmp(got, want) != 0)
			fail_msg("step %zu:\n got  %s\n want %s", step, got, want);
		free(got);
	}
}

/* Asserts that doc is refused (code), whole and cut at every byte, at line:col when given. */
static void assert_refused(const char *doc, int code, unsigned long want_line, unsigned long want_col)
{
	for (size_t step = 0; step <= 5; step++) {
		char *got;
		unsigned long line, col;
		const char *why;
		int rc = scan(doc, strlen(doc), step, &got, &line, &col, &why, NULL);
		free(got);
		if (rc != code)
			fail_msg("step %zu: code %d, want %d for %s", step, rc, code, doc);
		if (code == XML_SCAN_BAD) {
			assert_true(why[0] != 0);
			if (want_line && (line != want_line || col != want_col))
				fail_msg("step %zu: at %lu:%lu, want %lu:%lu (%s) for %s", step, line, col, want_line, want_col, why,
				         doc);
		}
	}
}

static void test_names_attributes_prefixes(void **state)
{
	assert_trace("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
	             "<x:worksheet xmlns:x=\"urn:x\" xmlns=\"urn:y\"><x:sheetData>"
	             "<x:row r=\"1\"><x:c r='A1' t = \"s\" s=\"3\"><x:v>12</x:v></x:c><c/></x:row>"
	             "</x:sheetData></x:worksheet>",
	             "<worksheet><sheetData><row r=1><c r=A1 t=s s=3><v>[12]</v></c><c></c></row></sheetData></worksheet>");
	/* a byte-order mark, comments, processing instructions, white space in tags */
	assert_trace("\xEF\xBB\xBF<!-- a -- comment --><a\n  b=\"1\"\t><?pi x?><!--c--></a >\n",
	             "<a b=1></a>");
}

static void test_text_references_line_ends_cdata(void **state)
{
	assert_trace("<t>&lt;&amp;&gt;&quot;&apos; &#65;&#x42;&#x4e2d;&#x1F600;</t>",
	             "<t>[<&>\"' AB中\xF0\x9F\x98\x80]</t>");
	/* CR LF and CR are LF; a CR written as a reference stays */
	assert_trace("<t>a\r\nb\rc\nd&#13;&#10;e</t>", "<t>[a\nb\nc\nd\r\ne]</t>");
	/* rich text runs: the handler sees each run's text */
	assert_trace("<si><r><rPr><b/></rPr><t>飞云</t></r><r><t xml:space=\"preserve\"> 江</t></r><rPh><t>x</t></rPh></si>",
	             "<si><r><rPr><b></b></rPr><t>[飞云]</t></r><r><t space=preserve>[ 江]</t></r><rPh><t>[x]</t></rPh></si>");
	assert_trace("<t><![CDATA[<b>&amp;\r\n]]>x</t>", "<t>[<b>&amp;\nx]</t>");
	/* references and white space in attribute values */
	assert_trace("<a v=\"&lt;1&#x3e;\t2\r\n3\" w='\"'/>", "<a v=<1> 2 3 w=\"></a>");
	assert_trace("<t></t>", "<t></t>");
	/* a long text passed on in pieces, a reference never cut */
	Buf doc = {0}, want = {0};
	buf_puts(&doc, "<t>");
	buf_puts(&want, "<t>[");
	for (int i = 0; i < 40000; i++) {
		buf_puts(&doc, "ab&amp;");
		buf_puts(&want, "ab&");
	}
	buf_puts(&doc, "</t>");
	buf_puts(&want, "]</t>");
	for (size_t step = 0; step < 80000; step += 65537) {
		char *got;
		assert_int_equal(scan(doc.data, doc.len, step, &got, NULL, NULL, NULL, NULL), XML_SCAN_OK);
		assert_string_equal(got, want.data);
		free(got);
	}
	buf_free(&doc);
	buf_free(&want);
}

static void test_refusals(void **state)
{
	assert_refused("<a><b></a></b>", XML_SCAN_BAD, 1, 7);   /* mismatched */
	assert_refused("<a>\n<b>\n", XML_SCAN_BAD, 0, 0);        /* not closed */
	assert_refused("<a>&nbsp;</a>", XML_SCAN_BAD, 1, 4);      /* undefined entity */
	assert_refused("<a>&#0;</a>", XML_SCAN_BAD, 1, 4);        /* no such character */
	assert_refused("<a>&#xD800;</a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a>&#99999999999;</a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a>& b</a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a>&amp</a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a v=\"&bogus;\"/>", XML_SCAN_BAD, 0, 0);
	assert_refused("x<a/>", XML_SCAN_BAD, 1, 1);              /* text outside the root */
	assert_refused("<a/>\n\n  <b/>", XML_SCAN_BAD, 3, 3);     /* a second root */
	assert_refused("<a/>junk", XML_SCAN_BAD, 1, 5);
	assert_refused("", XML_SCAN_BAD, 0, 0);                   /* no element */
	assert_refused("<!-- only -->", XML_SCAN_BAD, 0, 0);
	assert_refused("<a b=\"1\"", XML_SCAN_BAD, 0, 0);         /* cut short */
	assert_refused("<a b=\"1></a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a b></a>", XML_SCAN_BAD, 0, 0);          /* an attribute without a value */
	assert_refused("<a b=1></a>", XML_SCAN_BAD, 0, 0);        /* unquoted */
	assert_refused("<a b=\"<\"></a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a b=\"1\"c=\"2\"></a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a></ a>", XML_SCAN_BAD, 0, 0);
	assert_refused("</a>", XML_SCAN_BAD, 1, 1);
	assert_refused("< a/>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a/ >", XML_SCAN_BAD, 0, 0);
	assert_refused("<a><!-- not closed </a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a><![CDATA[ not closed </a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<![CDATA[x]]><a/>", XML_SCAN_BAD, 0, 0);
	assert_refused("<a><!ELEMENT a ANY></a>", XML_SCAN_BAD, 0, 0);
	assert_refused("<x:>a</x:>", XML_SCAN_BAD, 1, 1);            /* a prefix without a name */
	assert_refused("<a x:=\"1\"/>", XML_SCAN_BAD, 1, 4);
	/* a NUL in a name or a value */
	static const char nul_name[] = "<a><\0b/></a>", nul_value[] = "<a b=\"1\0\"/>";
	char *got;
	assert_int_equal(scan(nul_name, sizeof nul_name - 1, 0, &got, NULL, NULL, NULL, NULL), XML_SCAN_BAD);
	free(got);
	assert_int_equal(scan(nul_value, sizeof nul_value - 1, 0, &got, NULL, NULL, NULL, NULL), XML_SCAN_BAD);
	free(got);
	/* never read */
	assert_refused("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", XML_SCAN_DTD, 0, 0);
	assert_refused("\xFF\xFE<\0a\0/\0>\0", XML_SCAN_ENCODING, 0, 0);
	assert_refused("<?xml version=\"1.0\" encoding=\"GB18030\"?><a/>", XML_SCAN_ENCODING, 0, 0);
	assert_trace("<?xml version='1.0' encoding='utf-8'?><a/>", "<a></a>");

	/* nesting and attributes are bounded */
	Buf deep = {0};
	for (int i = 0; i < XML_SCAN_MAX_DEPTH; i++)
		buf_puts(&deep, "<a>");
	for (int i = 0; i < XML_SCAN_MAX_DEPTH; i++)
		buf_puts(&deep, "</a>");
	assert_int_equal(scan(deep.data, deep.len, 0, &got, NULL, NULL, NULL, NULL), XML_SCAN_OK);
	free(got);
	buf_reset(&deep);
	for (int i = 0; i <= XML_SCAN_MAX_DEPTH; i++)
		buf_puts(&deep, "<a>");
	const char *why;
	assert_int_equal(scan(deep.data, deep.len, 0, &got, NULL, NULL, &why, NULL), XML_SCAN_BAD);
	assert_contains(why, "nested too deep");
	free(got);
	buf_reset(&deep);
	buf_puts(&deep, "<a");
	for (int i = 0; i <= XML_SCAN_MAX_ATTS; i++)
		buf_printf(&deep, " a%d=\"\"", i);
	buf_puts(&deep, "/>");
	assert_int_equal(scan(deep.data, deep.len, 0, &got, NULL, NULL, &why, NULL), XML_SCAN_BAD);
	assert_contains(why, "too many attributes");
	free(got);
	/* one item is bounded: a 5 MiB attribute value is refused, a 3 MiB CDATA section read */
	buf_reset(&deep);
	buf_puts(&deep, "<a b=\"");
	for (int i = 0; i < 5 * 1024 * 1024; i++)
		buf_putc(&deep, 'x');
	buf_puts(&deep, "\"/>");
	assert_int_equal(scan(deep.data, deep.len, 65536, &got, NULL, NULL, &why, NULL), XML_SCAN_BAD);
	assert_contains(why, "too long");
	free(got);
	buf_reset(&deep);
	buf_puts(&deep, "<a><![CDATA[");
	for (int i = 0; i < 3 * 1024 * 1024; i++)
		buf_putc(&deep, 'x');
	buf_puts(&deep, "]]></a>");
	assert_int_equal(scan(deep.data, deep.len, 65536, &got, NULL, NULL, NULL, NULL), XML_SCAN_OK);
	assert_int_equal(strlen(got), 3 * 1024 * 1024 + 9);
	free(got);
	buf_free(&deep);
}

static void test_stop_from_a_handler(void **state)
{
	char *got;
	assert_int_equal(scan("<a><b/><c/><d/></a>", 19, 0, &got, NULL, NULL, NULL, "c"), XML_SCAN_STOPPED);
	assert_string_equal(got, "<a><b></b><c>"); /* nothing after the stop, not even c's end */
	free(got);
}

static void test_garbage_never_crashes(void **state)
{
	/* mutations of a sheet: every byte changed to each of a few bytes that matter */
	const char *doc = "<?xml version=\"1.0\"?><w><d><r r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lt;甲&#x4e59;</t>"
	                  "</is></c><c><v>1</v></c></r></d><![CDATA[x]]><!--z--></w>";
	size_t len = strlen(doc);
	const char subs[] = "<>/&;\"'=!?-[] \r\nx\0";
	char *m = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		for (size_t k = 0; k < sizeof subs; k++) {
			memcpy(m, doc, len);
			m[i] = subs[k];
			for (size_t step = 0; step <= 3; step += 3) {
				char *got;
				int rc = scan(m, len, step, &got, NULL, NULL, NULL, NULL);
				assert_true(rc == XML_SCAN_OK || rc == XML_SCAN_BAD || rc == XML_SCAN_DTD || rc == XML_SCAN_ENCODING);
				free(got);
			}
			/* and cut short there */
			char *got;
			assert_int_not_equal(scan(doc, i, 0, &got, NULL, NULL, NULL, NULL), XML_SCAN_OK);
			free(got);
		}
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_attributes_prefixes),
		cmocka_unit_test(test_text_references_line_ends_cdata),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_stop_from_a_handler),
		cmocka_unit_test(test_garbage_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
