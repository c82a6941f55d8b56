/*
 * test_fmt.c — the formatters and the figure reader of fmt.c at their
 * edges: 北京时间 across midnight and month ends, ㎡/万㎡ at 10,000, 元/万元/
 * 亿元 at their thresholds (never "10,000 万元"), percentages with one
 * decimal, and what people type into area and money fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fmt.h"

static Arena A;

static void test_time_is_beijing(void **state)
{
	assert_string_equal(fmt_time(&A, "2026-12-02T01:59:31Z"), "2026-12-02 09:59");
	assert_string_equal(fmt_time(&A, "2026-12-02 01:59:31"), "2026-12-02 09:59");
	/* across midnight, a month end and a year end */
	assert_string_equal(fmt_time(&A, "2026-12-31T16:00:00Z"), "2027-01-01 00:00");
	assert_string_equal(fmt_time(&A, "2024-02-28T20:30:00Z"), "2024-02-29 04:30");
	assert_string_equal(fmt_time(&A, "2026-12-02T15:59:59Z"), "2026-12-02 23:59");
	/* already Beijing time, or another offset */
	assert_string_equal(fmt_time(&A, "2026-12-02T09:59:31+08:00"), "2026-12-02 09:59");
	assert_string_equal(fmt_time(&A, "2026-12-02T09:59:31+00:00"), "2026-12-02 17:59");
	assert_string_equal(fmt_time_sec(&A, "2026-12-02T01:59:31Z"), "2026-12-02 09:59:31");
	/* what is no time comes back as it was */
	assert_string_equal(fmt_time(&A, "2026-12-02"), "2026-12-02");
	assert_string_equal(fmt_time(&A, "yesterday"), "yesterday");
	assert_string_equal(fmt_time(&A, "2026-13-02T01:59:31Z"), "2026-13-02T01:59:31Z");
	assert_string_equal(fmt_time(&A, NULL), "");
	const char *now = fmt_now(&A);
	assert_int_equal(strlen(now), 16);
	assert_null(strchr(now, 'T'));
}

static void test_dates(void **state)
{
	assert_string_equal(fmt_date_cn(&A, "2026-12-02"), "2026年12月2日");
	assert_string_equal(fmt_date_cn(&A, "2024-01-31"), "2024年1月31日");
	assert_string_equal(fmt_date_cn(&A, "2024-02-30"), "2024-02-30");
}

static void test_area_switches_at_ten_thousand(void **state)
{
	assert_string_equal(fmt_area(&A, 0), "0 ㎡");
	assert_string_equal(fmt_area(&A, 4000), "4,000 ㎡");
	assert_string_equal(fmt_area(&A, 9999), "9,999 ㎡");
	assert_string_equal(fmt_area(&A, 3500.5), "3,500.5 ㎡");
	assert_string_equal(fmt_area(&A, 10000), "1 万㎡");
	assert_string_equal(fmt_area(&A, 14000), "1.4 万㎡");
	assert_string_equal(fmt_area(&A, 123456), "12.35 万㎡");
	assert_string_equal(fmt_area(&A, 12345678), "1,234.57 万㎡");
	assert_string_equal(fmt_quantity(&A, 14000, "㎡"), "1.4 万㎡");
}

static void test_money_by_size(void **state)
{
	assert_string_equal(fmt_money(&A, 8000), "8,000 元");
	assert_string_equal(fmt_money(&A, 9999.5), "9,999.5 元");
	assert_string_equal(fmt_money(&A, 10000), "1 万元");
	assert_string_equal(fmt_money(&A, 35000), "3.5 万元");
	assert_string_equal(fmt_money(&A, 12345678), "1,234.6 万元");
	assert_string_equal(fmt_money(&A, 1e8), "1 亿元");
	/* never "10,000 万元": just below one 亿 it is 1 亿元 already */
	assert_string_equal(fmt_money(&A, 99999990), "1 亿元");
	assert_string_equal(fmt_money(&A, 120000000), "1.2 亿元");
	assert_string_equal(fmt_gap(&A, 1e8, "元"), "还差 1 亿元");
	assert_string_equal(fmt_gap(&A, 2500, "㎡"), "还差 2,500 ㎡");
	assert_string_equal(fmt_quantity(&A, 3.5, "万元"), "3.5 万元");
}

static void test_percent_and_counts(void **state)
{
	assert_string_equal(fmt_percent(&A, 0.875), "87.5%");
	assert_string_equal(fmt_percent(&A, 1), "100.0%");
	assert_string_equal(fmt_percent(&A, 0), "0.0%");
	assert_string_equal(fmt_percent(&A, -0.0001), "0.0%");
	assert_string_equal(fmt_percent(&A, 0.33333), "33.3%");
	assert_string_equal(fmt_quantity(&A, 1250, "家"), "1,250 家");
	assert_string_equal(fmt_quantity(&A, 2.26, "个"), "2.3 个");
	assert_string_equal(fmt_quantity(&A, 12, ""), "12");
}

static void test_notes_periods_deltas(void **state)
{
	assert_string_equal(fmt_note(&A, "开业 opening"), "开业");
	assert_string_equal(fmt_note(&A, "扩建 expansion"), "扩建");
	assert_string_equal(fmt_note(&A, "扩建"), "扩建");
	assert_string_equal(fmt_note(&A, "扩建 2 号楼"), "扩建 2 号楼");
	assert_string_equal(fmt_note(&A, "plain"), "plain");
	assert_string_equal(fmt_period(&A, "2022-Q1"), "2022年第1季度");
	assert_string_equal(fmt_period(&A, "2023-H2"), "2023年下半年");
	assert_string_equal(fmt_period(&A, "2024-06"), "2024年6月");
	assert_string_equal(fmt_period(&A, "2024"), "2024年");
	assert_string_equal(fmt_period(&A, "2024-Q9"), "2024-Q9");
	assert_string_equal(fmt_delta(&A, 14000, "㎡"), "+1.4 万㎡");
	assert_string_equal(fmt_delta(&A, -800, "㎡"), "-800 ㎡");
	assert_string_equal(fmt_delta(&A, 0, "㎡"), "0 ㎡");
}

/* One unit per column: chosen by the largest value, every value in it. */
static void test_column_unit(void **state)
{
	Arena a = {0};
	assert_string_equal(fmt_column_unit(14000, "㎡"), "万㎡");
	assert_string_equal(fmt_column_unit(9999, "㎡"), "㎡");
	assert_string_equal(fmt_column_unit(-20000, "㎡"), "万㎡");
	assert_string_equal(fmt_in(&a, 4000, "㎡", "万㎡"), "0.4 万㎡");
	assert_string_equal(fmt_in(&a, 14000, "㎡", "万㎡"), "1.4 万㎡");
	assert_string_equal(fmt_in(&a, 40, "㎡", "万㎡"), "0.004 万㎡"); /* never "0 万㎡" for 40 ㎡ */
	assert_string_equal(fmt_in(&a, 0, "㎡", "万㎡"), "0 万㎡");
	assert_string_equal(fmt_in(&a, 4000, "㎡", "㎡"), "4,000 ㎡");
	assert_string_equal(fmt_column_unit(1.2e8, "元"), "亿元");
	assert_string_equal(fmt_in(&a, 3.5e7, "元", "亿元"), "0.35 亿元");
	assert_string_equal(fmt_column_unit(50000, "万元"), "亿元");
	assert_string_equal(fmt_in(&a, 5000, "万元", "亿元"), "0.5 亿元");
	assert_string_equal(fmt_column_unit(12, "家"), "家");
	assert_string_equal(fmt_in(&a, 1250, "家", "家"), "1,250 家");
	assert_string_equal(fmt_in_number(&a, 180000, "㎡", "万㎡"), "18");
	assert_string_equal(fmt_in(&a, 87.5, "%", "%"), "87.5%");
	arena_free(&a);
}

static void test_parse_amount_reads_what_people_type(void **state)
{
	double v = -1;
	assert_null(parse_amount("8000", &v));
	assert_true(v == 8000);
	assert_null(parse_amount("8,000", &v));
	assert_true(v == 8000);
	assert_null(parse_amount("0.8万", &v));
	assert_true(v == 8000);
	assert_null(parse_amount("１２，０００", &v)); /* full-width */
	assert_true(v == 12000);
	assert_null(parse_amount("３．５万", &v));
	assert_true(v == 35000);
	assert_null(parse_amount(" 1.2亿 ", &v));
	assert_true(v == 120000000);
	assert_null(parse_amount("5000万元", &v));
	assert_true(v == 50000000);
	assert_null(parse_amount("4,000 ㎡", &v));
	assert_true(v == 4000);
	assert_null(parse_amount("1.4万㎡", &v));
	assert_true(v == 14000);
	assert_null(parse_amount("1,234,567.5", &v));
	assert_true(v == 1234567.5);
	assert_null(parse_amount("0", &v));
	assert_true(v == 0);
	/* not numbers */
	assert_non_null(parse_amount("", &v));
	assert_non_null(parse_amount("万", &v));
	assert_non_null(parse_amount("8,00", &v));
	assert_non_null(parse_amount("80,00.5", &v));
	assert_non_null(parse_amount("1.2.3", &v));
	assert_non_null(parse_amount("abc", &v));
	assert_non_null(parse_amount("inf", &v));
	assert_non_null(parse_amount("0x10", &v));
	assert_non_null(parse_amount("1e400", &v));
	assert_non_null(parse_amount(NULL, &v));
	assert_non_null(parse_amount("12 个", &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_is_beijing),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_area_switches_at_ten_thousand),
		cmocka_unit_test(test_money_by_size),
		cmocka_unit_test(test_percent_and_counts),
		cmocka_unit_test(test_notes_periods_deltas),
		cmocka_unit_test(test_column_unit),
		cmocka_unit_test(test_parse_amount_reads_what_people_type),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&A);
	return rc;
}
