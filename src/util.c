/*
 * util.c — allocation that never returns NULL, growable buffers, arenas,
 * date helpers. See util.h for the policies.
 */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hatchery: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void buf_grow(Buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(Buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_puts(Buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(Buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = 0;
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(Buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

void buf_free(Buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *buf_detach(Buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

long buf_pull(Buf *b, size_t *taken, int (*more)(void *cls, Buf *b), void *cls, void *dst, size_t max)
{
	while (b->len == *taken) {
		buf_reset(b);
		*taken = 0;
		int rc = more(cls, b);
		if (rc < 0)
			return -1;
		if (rc == 0 && !b->len)
			return 0;
	}
	size_t n = b->len - *taken;
	if (n > max)
		n = max;
	if (n)
		memcpy(dst, b->data + *taken, n);
	*taken += n;
	return (long)n;
}

uint32_t hash_fnv1a(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

const char *buf_str(const Buf *b)
{
	return b->data ? b->data : "";
}

/* ---- arena ---- */

struct ArenaBlock {
	ArenaBlock *next;
	size_t used, size;
	_Alignas(16) unsigned char mem[];
};

void *arena_alloc(Arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	ArenaBlock *b = a->head;
	if (!b || b->used + n > b->size) {
		size_t size = n > 8192 ? n : 8192;
		b = xmalloc(sizeof *b + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->mem + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strdup(Arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n + 1);
	return p;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	if (n > 0)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *arena_push(Arena *a, void *arr, int *n, int *cap, size_t elem)
{
	void **parr = arr;
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 16;
		void *grown = arena_alloc(a, elem * (size_t)ncap);
		if (*n)
			memcpy(grown, *parr, elem * (size_t)*n);
		*parr = grown;
		*cap = ncap;
	}
	return (char *)*parr + elem * (size_t)(*n)++;
}

struct ArenaOwned {
	ArenaOwned *next;
	void *p;
};

void arena_own(Arena *a, void *p)
{
	if (!p)
		return;
	ArenaOwned *o = arena_alloc(a, sizeof *o);
	o->p = p;
	o->next = a->owned;
	a->owned = o;
}

void arena_free(Arena *a)
{
	for (ArenaOwned *o = a->owned; o; o = o->next) /* the nodes live in the blocks */
		free(o->p);
	a->owned = NULL;
	ArenaBlock *b = a->head;
	while (b) {
		ArenaBlock *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ---- UTF-8 ---- */

/* The length of the well-formed UTF-8 sequence that starts s[0..n), or 0
 * when none does; then *bad gets the length (at least 1) of its maximal
 * ill-formed subpart, the bytes one U+FFFD stands for (Unicode 3.9, table
 * 3-7: the second byte's range depends on the first). */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong below U+0800 */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates U+D800..DFFF */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong below U+10000 */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		*bad = 1; /* 80..C1 (a continuation, or an overlong lead), F5..FF */
		return 0;
	}
	size_t k = 1;
	for (; k < len && k < n; k++) {
		unsigned char x = s[k];
		if (k == 1 ? (x < lo || x > hi) : (x & 0xC0) != 0x80)
			break;
	}
	if (k == len)
		return len;
	*bad = k;
	return 0;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

size_t utf8_prefix_len(const char *s, size_t max)
{
	const char *p = s;
	size_t n = 0;
	while (*p) {
		if (((unsigned char)*p & 0xC0) != 0x80 && n++ == max)
			break;
		p++;
	}
	return (size_t)(p - s);
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, bad;
	while (i < n) {
		if (p[i] < 0x80) { /* ASCII runs, the common case */
			i++;
			continue;
		}
		size_t len = utf8_seq(p + i, n - i, &bad);
		if (!len)
			return 0;
		i += len;
	}
	return 1;
}

size_t utf8_text_bad(const char *s, size_t n, int *what)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, bad;
	while (i < n) {
		unsigned char c = p[i];
		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
			if (what)
				*what = UTF8_BAD_CONTROL;
			return i;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_seq(p + i, n - i, &bad);
		if (!len) {
			if (what)
				*what = UTF8_BAD_ENCODING;
			return i;
		}
		i += len;
	}
	return n;
}

const char *utf8_sanitize(Arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	if (utf8_valid(s, n))
		return s;
	const unsigned char *p = (const unsigned char *)s;
	/* at most 3 bytes out (U+FFFD) for each byte in */
	char *out = arena_alloc(a, n * 3 + 1), *o = out;
	size_t i = 0, bad;
	while (i < n) {
		size_t len = utf8_seq(p + i, n - i, &bad);
		if (len) {
			memcpy(o, p + i, len);
			o += len;
			i += len;
		} else {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			i += bad;
		}
	}
	*o = 0;
	return out;
}

/* ---- dates ---- */

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int year_valid(int y)
{
	return y >= 1900 && y <= 2200;
}

int parse_int(const char *s, long long min, long long max, long long *out)
{
	if (!s)
		return 0;
	const char *p = s;
	int neg = *p == '-';
	if (neg)
		p++;
	if (!*p)
		return 0;
	unsigned long long v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		unsigned d = (unsigned)(*p - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
	}
	long long x;
	if (neg) {
		if (v > (unsigned long long)LLONG_MAX + 1)
			return 0;
		x = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
	} else {
		if (v > (unsigned long long)LLONG_MAX)
			return 0;
		x = (long long)v;
	}
	if (x < min || x > max)
		return 0;
	*out = x;
	return 1;
}

int parse_real(const char *s, double *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return 0;
	for (const char *p = s; *p; p++) /* decimal only: no hex, inf or nan */
		if (!strchr("0123456789+-.eE", *p))
			return 0;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

long long id_or_zero(const char *s)
{
	long long v;
	return parse_int(s, 1, LLONG_MAX, &v) ? v : 0;
}

long long int_or_zero(const char *s)
{
	long long v;
	return parse_int(s, LLONG_MIN, LLONG_MAX, &v) ? v : 0;
}

double real_or_zero(const char *s)
{
	double v;
	return parse_real(s, &v) ? v : 0;
}

int digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
	if (!year_valid(y) || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
long date_days(const char *s)
{
	long y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_from_days(long z, char out[11])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999; /* outside ISO's four digits: clamp */
	char tmp[80];
	snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = 0;
}

void date_today(char out[11])
{
	const char *fake = getenv("HATCHERY_TODAY"); /* tests pin "today" */
	if (fake && date_valid(fake)) {
		memcpy(out, fake, 11);
		return;
	}
	time_t t = time(NULL) + 8 * 3600; /* China Standard Time, no DST */
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void time_now_iso(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	Buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	int err = ferror(f);
	fclose(f);
	if (err) {
		buf_free(&b);
		errno = EIO;
		return NULL;
	}
	if (len)
		*len = b.len;
	return buf_detach(&b);
}

void fmt_number(char *out, size_t outsz, double n, int decimals)
{
	char tmp[64];
	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	snprintf(tmp, sizeof tmp, "%.*f", decimals, n < 0 ? -n : n);
	char *dot = strchr(tmp, '.');
	size_t intlen = dot ? (size_t)(dot - tmp) : strlen(tmp);
	char res[96];
	size_t o = 0;
	if (n < 0 && strspn(tmp, "0.") != strlen(tmp))
		res[o++] = '-';
	for (size_t i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			res[o++] = ',';
		res[o++] = tmp[i];
	}
	if (dot) {
		size_t rest = strlen(dot);
		memcpy(res + o, dot, rest);
		o += rest;
	}
	res[o] = 0;
	snprintf(out, outsz, "%s", res);
}
