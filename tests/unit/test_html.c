/*
 * test_html.c — the escaping writer (html.c): every conversion escapes for
 * its place, and numbers and plain text pass through as printf would.
 * Also the small formatters of util.c that pages rely on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "html.h"

static const char *render(Buf *b, const char *fmt, ...)
{
	va_list ap;
	buf_reset(b);
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
	return buf_str(b);
}

static void test_h_escapes_markup_and_quotes(void **state)
{
	Buf b = {0};
	assert_string_equal(render(&b, "<td>%h</td>", "<script>alert(\"x\")</script>&'"),
	                    "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</td>");
	assert_string_equal(render(&b, "<a title=\"%h\">", "\" onmouseover=\"x"), "<a title=\"&quot; onmouseover=&quot;x\">");
	assert_string_equal(render(&b, "%h|%h", "瑞安市", NULL), "瑞安市|");
	buf_free(&b);
}

static void test_u_percent_encodes(void **state)
{
	Buf b = {0};
	assert_string_equal(render(&b, "/areas/%u", "a b/c?d=e&f"), "/areas/a%20b%2Fc%3Fd%3De%26f");
	assert_string_equal(render(&b, "%u", "飞云"), "%E9%A3%9E%E4%BA%91");
	assert_string_equal(render(&b, "%u", "safe-_.~9"), "safe-_.~9");
	buf_free(&b);
}

static void test_j_escapes_for_json_in_script(void **state)
{
	Buf b = {0};
	assert_string_equal(render(&b, "\"%j\"", "a\"b\\c\n</script>&"), "\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0026\"");
	assert_string_equal(render(&b, "%j", "\x01"), "\\u0001");
	assert_string_equal(render(&b, "%j", "x\xe2\x80\xa8y"), "x\\u2028y");
	buf_free(&b);
}

static void test_numbers_and_raw(void **state)
{
	Buf b = {0};
	assert_string_equal(render(&b, "%d|%5d|%lld|%zu|%.2f|%%|%s", 42, 7, 1234567890123LL, (size_t)9, 3.14159, "<b>"),
	                    "42|    7|1234567890123|9|3.14|%|<b>");
	assert_string_equal(render(&b, "%.*f", 1, 2.25), "2.2");
	buf_free(&b);
}

static void test_url_decode(void **state)
{
	char s[] = "a+b%20c%2Fd%zz";
	url_decode(s);
	assert_string_equal(s, "a b c/d%zz");
}

static void test_fmt_number_and_dates(void **state)
{
	char out[64];
	fmt_number(out, sizeof out, 1234567.891, 2);
	assert_string_equal(out, "1,234,567.89");
	fmt_number(out, sizeof out, -1000, 0);
	assert_string_equal(out, "-1,000");
	fmt_number(out, sizeof out, 999, 0);
	assert_string_equal(out, "999");
	assert_true(date_valid("2024-02-29"));
	assert_false(date_valid("2023-02-29"));
	assert_false(date_valid("2023-13-01"));
	assert_false(date_valid("2023-1-01"));
	assert_false(date_valid(NULL));
	assert_int_equal(date_days("1970-01-01"), 0);
	assert_int_equal(date_days("2023-01-01") - date_days("2022-01-01"), 365);
	char d[11];
	date_from_days(date_days("2024-02-29"), d);
	assert_string_equal(d, "2024-02-29");
}

static void test_arena_push_grows(void **state)
{
	Arena a = {0};
	int *v = NULL, n = 0, cap = 0;
	for (int i = 0; i < 1000; i++)
		*(int *)arena_push(&a, &v, &n, &cap, sizeof *v) = i;
	assert_int_equal(n, 1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h_escapes_markup_and_quotes),
		cmocka_unit_test(test_u_percent_encodes),
		cmocka_unit_test(test_j_escapes_for_json_in_script),
		cmocka_unit_test(test_numbers_and_raw),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_fmt_number_and_dates),
		cmocka_unit_test(test_arena_push_grows),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
