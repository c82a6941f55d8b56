/*
 * fmt.c — figures, dates and times written for people, and figures read
 * back as people type them (fmt.h says which form each takes). Pages,
 * charts, messages and exports call these so one quantity reads the same
 * everywhere; tests/unit/test_fmt.c holds them at their edges.
 */
#include "fmt.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "12.50" → "12.5", "3.00" → "3" (in place). */
static void trim_zeros(char *s)
{
	char *dot = strchr(s, '.');
	if (!dot)
		return;
	char *e = s + strlen(s) - 1;
	while (e > dot && *e == '0')
		*e-- = 0;
	if (e == dot)
		*e = 0;
}

/* Reads "YYYY-MM-DD[T ]HH:MM[:SS][Z|±HH:MM]" into 北京时间 parts; 0 when it
 * is no such time. */
static int beijing_parts(const char *t, char date[11], int *hh, int *mm, int *ss)
{
	if (!t || strlen(t) < 16 || (t[10] != 'T' && t[10] != ' '))
		return 0;
	char d[11];
	memcpy(d, t, 10);
	d[10] = 0;
	if (!date_valid(d) || !isdigit((unsigned char)t[11]) || !isdigit((unsigned char)t[12]) || t[13] != ':' ||
	    !isdigit((unsigned char)t[14]) || !isdigit((unsigned char)t[15]))
		return 0;
	int h = (t[11] - '0') * 10 + (t[12] - '0'), m = (t[14] - '0') * 10 + (t[15] - '0'), s = 0;
	const char *rest = t + 16;
	if (rest[0] == ':' && isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2])) {
		s = (rest[1] - '0') * 10 + (rest[2] - '0');
		rest += 3;
		while (*rest == '.' || isdigit((unsigned char)*rest))
			rest++; /* fractions of a second */
	}
	if (h > 23 || m > 59 || s > 60)
		return 0;
	/* The offset of the stored time: none or Z is UTC. */
	int off = 0;
	if ((rest[0] == '+' || rest[0] == '-') && strlen(rest) >= 6 && rest[3] == ':') {
		off = ((rest[1] - '0') * 10 + (rest[2] - '0')) * 60 + (rest[4] - '0') * 10 + (rest[5] - '0');
		if (rest[0] == '-')
			off = -off;
	} else if (rest[0] && strcmp(rest, "Z") != 0) {
		return 0;
	}
	long minutes = date_days(d) * 1440L + h * 60L + m + (8 * 60 - off);
	long days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
	long mins = minutes - days * 1440;
	date_from_days(days, date);
	*hh = (int)(mins / 60);
	*mm = (int)(mins % 60);
	*ss = s;
	return 1;
}

const char *fmt_time(Arena *a, const char *utc)
{
	char d[11];
	int h, m, s;
	if (!utc)
		return "";
	if (!beijing_parts(utc, d, &h, &m, &s))
		return arena_strdup(a, utc);
	return arena_printf(a, "%s %02d:%02d", d, h, m);
}

const char *fmt_time_sec(Arena *a, const char *utc)
{
	char d[11];
	int h, m, s;
	if (!utc)
		return "";
	if (!beijing_parts(utc, d, &h, &m, &s))
		return arena_strdup(a, utc);
	return arena_printf(a, "%s %02d:%02d:%02d", d, h, m, s);
}

const char *fmt_now(Arena *a)
{
	char now[21];
	time_now_iso(now);
	return fmt_time(a, now);
}

const char *fmt_date_cn(Arena *a, const char *ymd)
{
	if (!ymd)
		return "";
	char d[11];
	snprintf(d, sizeof d, "%s", ymd);
	if (strlen(ymd) < 10 || !date_valid(d))
		return arena_strdup(a, ymd);
	return arena_printf(a, "%.4s年%d月%d日", ymd, digits_value(ymd + 5, 2), digits_value(ymd + 8, 2));
}

/* v / scale with at most `decimals` decimals, zeros trimmed, thousands separated. */
static const char *scaled(Arena *a, double v, double scale, int decimals, const char *unit)
{
	char num[64];
	fmt_number(num, sizeof num, v / scale, decimals);
	trim_zeros(num);
	if (strcmp(num, "-0") == 0)
		strcpy(num, "0");
	return arena_printf(a, "%s %s", num, unit);
}

const char *fmt_area(Arena *a, double m2)
{
	if (fabs(m2) >= 1e4)
		return scaled(a, m2, 1e4, 2, "万㎡");
	return scaled(a, m2, 1, fabs(m2 - round(m2)) < 1e-9 ? 0 : 1, "㎡");
}

const char *fmt_money(Arena *a, double yuan)
{
	/* 9,999.96 万 would round to "10,000 万元": such values are written in 亿元. */
	if (fabs(yuan) >= 1e8 - 500)
		return scaled(a, yuan, 1e8, 2, "亿元");
	if (fabs(yuan) >= 1e4)
		return scaled(a, yuan, 1e4, 1, "万元");
	return scaled(a, yuan, 1, fabs(yuan - round(yuan)) < 1e-9 ? 0 : 2, "元");
}

const char *fmt_percent(Arena *a, double ratio)
{
	double p = ratio * 100.0;
	if (!isfinite(p))
		return "—";
	if (fabs(p) < 0.05)
		p = 0; /* no "-0.0%" */
	return arena_printf(a, "%.1f%%", p);
}

const char *fmt_quantity(Arena *a, double v, const char *unit)
{
	if (unit && (strcmp(unit, "㎡") == 0 || strcmp(unit, "平方米") == 0))
		return fmt_area(a, v);
	if (unit && strcmp(unit, "元") == 0)
		return fmt_money(a, v);
	if (unit && strcmp(unit, "万元") == 0)
		return fmt_money(a, v * 1e4);
	if (unit && strcmp(unit, "%") == 0)
		return fmt_percent(a, v / 100.0);
	char num[64];
	fmt_number(num, sizeof num, v, fabs(v - round(v)) < 1e-9 ? 0 : 1);
	if (!unit || !*unit)
		return arena_strdup(a, num);
	return arena_printf(a, "%s %s", num, unit);
}

/* The base unit's scale of a shown unit: 万㎡ 1e4, 亿元 1e8, ...; 1 else. */
static double unit_scale(const char *unit, const char *shown)
{
	int yuan_base = unit && !strcmp(unit, "万元") ? 0 : 1; /* "万元" figures are already in 万 */
	if (!shown)
		return 1;
	if (!strcmp(shown, "万㎡"))
		return 1e4;
	if (!strcmp(shown, "万元"))
		return yuan_base ? 1e4 : 1;
	if (!strcmp(shown, "亿元"))
		return yuan_base ? 1e8 : 1e4;
	if (!strcmp(shown, "元"))
		return yuan_base ? 1 : 1e-4;
	return 1;
}

const char *fmt_column_unit(double max_abs, const char *unit)
{
	max_abs = fabs(max_abs);
	if (unit && (!strcmp(unit, "㎡") || !strcmp(unit, "平方米")))
		return max_abs >= 1e4 ? "万㎡" : "㎡";
	if (unit && (!strcmp(unit, "元") || !strcmp(unit, "万元"))) {
		double yuan = !strcmp(unit, "万元") ? max_abs * 1e4 : max_abs;
		return yuan >= 1e8 - 500 ? "亿元" : yuan >= 1e4 ? "万元" : "元";
	}
	return unit ? unit : "";
}

const char *fmt_in_number(Arena *a, double v, const char *unit, const char *shown)
{
	if (!unit || !shown || (strcmp(shown, "万㎡") && strcmp(shown, "万元") && strcmp(shown, "亿元") &&
	                        strcmp(shown, "㎡") && strcmp(shown, "元"))) {
		/* not a scaled unit: as fmt_quantity writes it, without the unit */
		char num[64];
		if (unit && !strcmp(unit, "%"))
			return arena_printf(a, "%.1f", v);
		fmt_number(num, sizeof num, v, fabs(v - round(v)) < 1e-9 ? 0 : 1);
		return arena_strdup(a, num);
	}
	double x = v / unit_scale(unit, shown);
	int decimals = unit_scale(unit, shown) > 1 ? 2 : fabs(x - round(x)) < 1e-9 ? 0 : 1;
	/* a small value in a big unit: enough decimals not to read 0 */
	while (decimals < 6 && x != 0 && fabs(x) * pow(10, decimals) < 0.5)
		decimals++;
	char num[64];
	fmt_number(num, sizeof num, x, decimals);
	trim_zeros(num);
	if (strcmp(num, "-0") == 0)
		strcpy(num, "0");
	return arena_strdup(a, num);
}

const char *fmt_in(Arena *a, double v, const char *unit, const char *shown)
{
	const char *num = fmt_in_number(a, v, unit, shown);
	if (!shown || !*shown)
		return num;
	if (!strcmp(shown, "%"))
		return arena_printf(a, "%s%%", num);
	return arena_printf(a, "%s %s", num, shown);
}

const char *fmt_gap(Arena *a, double missing, const char *unit)
{
	return arena_printf(a, "还差 %s", fmt_quantity(a, missing < 0 ? -missing : missing, unit));
}

const char *fmt_delta(Arena *a, double v, const char *unit)
{
	return arena_printf(a, "%s%s", v > 0 ? "+" : v < 0 ? "-" : "", fmt_quantity(a, v < 0 ? -v : v, unit));
}

const char *fmt_note(Arena *a, const char *note)
{
	if (!note)
		return "";
	/* The Chinese part, when the rest is only Latin letters and spaces. */
	const char *p = note;
	while (*p && (unsigned char)*p >= 0x80)
		p++;
	if (p == note || !*p)
		return arena_strdup(a, note);
	for (const char *q = p; *q; q++)
		if (!(*q == ' ' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
			return arena_strdup(a, note);
	return arena_printf(a, "%.*s", (int)(p - note), note);
}

const char *fmt_period(Arena *a, const char *period)
{
	if (!period || strlen(period) < 4)
		return period ? arena_strdup(a, period) : "";
	const char *rest = period + 4;
	if (!*rest)
		return arena_printf(a, "%.4s年", period);
	if (rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' && rest[2] <= '4' && !rest[3])
		return arena_printf(a, "%.4s年第%c季度", period, rest[2]);
	if (rest[0] == '-' && rest[1] == 'H' && (rest[2] == '1' || rest[2] == '2') && !rest[3])
		return arena_printf(a, "%.4s年%s", period, rest[2] == '1' ? "上半年" : "下半年");
	if (rest[0] == '-' && isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2]) && !rest[3])
		return arena_printf(a, "%.4s年%d月", period, digits_value(rest + 1, 2));
	return arena_strdup(a, period);
}

/* ---- reading figures ---- */

/* Removes suffix from the end of s (length *n) when it is there; 1 if so. */
static int strip_suffix(char *s, size_t *n, const char *suffix)
{
	size_t k = strlen(suffix);
	if (*n < k || memcmp(s + *n - k, suffix, k) != 0)
		return 0;
	*n -= k;
	s[*n] = 0;
	return 1;
}

const char *parse_amount(const char *s, double *out)
{
	static const char bad[] = "应为数字，例如 8000、8,000 或 0.8万。";
	if (!s)
		return bad;
	/* Full-width digits and punctuation to ASCII, spaces dropped. */
	char buf[96];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (n + 4 >= sizeof buf)
			return "数字太长，请核对后重新填写。";
		if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) { /* ０-９ */
			buf[n++] = (char)('0' + (p[2] - 0x90));
			p += 3;
		} else if (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x8E || p[2] == 0x8C || p[2] == 0x8D || p[2] == 0x8B)) {
			buf[n++] = p[2] == 0x8E ? '.' : p[2] == 0x8C ? ',' : p[2] == 0x8D ? '-' : '+'; /* ．，－＋ */
			p += 3;
		} else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* ideographic space */
			p += 3;
		} else if (*p == ' ' || *p == '\t') {
			p++;
		} else {
			buf[n++] = (char)*p++;
		}
	}
	buf[n] = 0;
	/* The field's unit, then a 万 or 亿. */
	(void)(strip_suffix(buf, &n, "平方米") || strip_suffix(buf, &n, "平米") || strip_suffix(buf, &n, "㎡") ||
	       strip_suffix(buf, &n, "m2") || strip_suffix(buf, &n, "元"));
	double mult = 1;
	if (strip_suffix(buf, &n, "万"))
		mult = 1e4;
	else if (strip_suffix(buf, &n, "亿"))
		mult = 1e8;
	/* What is left: [sign] digits with commas between groups of three [. digits]. */
	const char *p = buf;
	if (*p == '-' || *p == '+')
		p++;
	int digits = 0, since_comma = -1, dot = 0;
	char clean[96];
	size_t c = 0;
	if (buf[0] == '-')
		clean[c++] = '-';
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			digits++;
			if (since_comma >= 0 && !dot)
				since_comma++;
			clean[c++] = *p;
		} else if (*p == ',' && !dot && digits > 0) {
			if (since_comma >= 0 && since_comma != 3)
				return bad;
			since_comma = 0;
		} else if (*p == '.' && !dot) {
			if (since_comma >= 0 && since_comma != 3)
				return bad;
			since_comma = -1;
			dot = 1;
			clean[c++] = '.';
		} else {
			return bad;
		}
	}
	if (since_comma >= 0 && since_comma != 3)
		return bad;
	clean[c] = 0;
	if (!digits)
		return bad;
	double d = strtod(clean, NULL) * mult;
	if (!isfinite(d))
		return bad;
	*out = d;
	return NULL;
}
