/*
 * fmt.h — the one place where figures, dates and times are written for
 * people (UI.md "Time", "Numbers and units"), and where the figures people
 * type are read back. Pages, charts, messages and exports all call these,
 * so a quantity reads the same everywhere:
 *   times   北京时间 "2026-12-02 09:59" (stored times are UTC ISO 8601)
 *   dates   "2026-12-02" in tables, "2026年12月2日" in bulletins and print
 *   area    "4,000 ㎡" below 10,000, "1.4 万㎡" from there
 *   money   "8,000 元", "3.5 万元", "1.2 亿元"; gaps "还差 1 亿元"
 *   ratios  "87.5%" (always one decimal)
 * Every function returns an arena string and never fails: a value it cannot
 * read is given back as it came.
 */
#ifndef HATCHERY_FMT_H
#define HATCHERY_FMT_H

#include "util.h"

/* A stored UTC time ("2026-12-02T01:59:31Z", "2026-12-02 01:59:31", or with
 * an explicit "+08:00") as 北京时间 "2026-12-02 09:59". NULL gives "". */
const char *fmt_time(Arena *a, const char *utc);
/* The same with seconds: "2026-12-02 09:59:31" (where they matter: the audit). */
const char *fmt_time_sec(Arena *a, const char *utc);
/* The current 北京时间 as "2026-12-02 09:59". */
const char *fmt_now(Arena *a);
/* "2026-12-02" → "2026年12月2日" (bulletins, printed pages). */
const char *fmt_date_cn(Arena *a, const char *ymd);

/* Floor area in ㎡: "4,000 ㎡", "1.4 万㎡", "12.35 万㎡". */
const char *fmt_area(Arena *a, double m2);
/* Money in 元: "8,000 元", "3.5 万元", "1.2 亿元". */
const char *fmt_money(Arena *a, double yuan);
/* A ratio as a percentage with one decimal: 0.875 → "87.5%", 1 → "100.0%". */
const char *fmt_percent(Arena *a, double ratio);
/* Any figure by its unit: ㎡ and 元 as above, others with thousands
 * separators and one decimal when not whole ("12 个", "1,250 家"). */
const char *fmt_quantity(Arena *a, double v, const char *unit);
/* One unit for a column (UI.md: "One column of a table uses one unit"):
 * the unit fmt_quantity picks for the column's largest value, "㎡" or
 * "万㎡", "元", "万元" or "亿元"; other units as they are. A chart over a
 * table uses the table's. */
const char *fmt_column_unit(double max_abs, const char *unit);
/* v (in unit) written in the column's unit shown (from fmt_column_unit):
 * "0.4 万㎡" in a 万㎡ column; with two decimals, more when a value would
 * read 0; thousands separated. */
const char *fmt_in(Arena *a, double v, const char *unit, const char *shown);
/* The same without the unit (a chart's labels, a cell under a header that
 * names the unit): "0.4". */
const char *fmt_in_number(Arena *a, double v, const char *unit, const char *shown);
/* What is missing to reach a target, in the unit's formatter: "还差 1 亿元". */
const char *fmt_gap(Arena *a, double missing, const char *unit);

/* A signed change in the quantity's formatter: "+1.4 万㎡", "-800 ㎡". */
const char *fmt_delta(Arena *a, double v, const char *unit);
/* A stored note as shown to people: an English gloss after the Chinese
 * words of older data is dropped ("开业 opening" → "开业"). */
const char *fmt_note(Arena *a, const char *note);
/* A period of the reports ("2022-Q1", "2022-H1", "2022-06", "2022") in
 * Chinese: "2022年第1季度", "2022年上半年", "2022年6月", "2022年". */
const char *fmt_period(Arena *a, const char *period);

/*
 * Reads a figure as people type it: "8,000", "8000", "0.8万", "1.2亿",
 * full-width digits and punctuation ("８，０００"), spaces, and a trailing
 * unit of the field ("㎡", "平方米", "元", "万元", "万㎡"). The value is in the
 * field's base unit (㎡ or 元: "0.8万" → 8000). Returns NULL and sets *out
 * when it is a number, else a Chinese message saying what to type.
 */
const char *parse_amount(const char *s, double *out);

#endif
