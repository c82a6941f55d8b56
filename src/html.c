/*
 * html.c — the escaping printf behind every page, and the URL and JSON
 * string escapers. The conversions are documented in html.h.
 */
#include "html.h"

#include <stdio.h>
#include <string.h>

void html_escape(Buf *b, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, run, (size_t)(s - run));
		buf_puts(b, rep);
		run = s + 1;
	}
	buf_append(b, run, (size_t)(s - run));
}

void url_escape(Buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 3);
		}
	}
}

void json_escape(Buf *b, const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		switch (c) {
		case '"': buf_puts(b, "\\\""); continue;
		case '\\': buf_puts(b, "\\\\"); continue;
		case '\n': buf_puts(b, "\\n"); continue;
		case '\r': buf_puts(b, "\\r"); continue;
		case '\t': buf_puts(b, "\\t"); continue;
		case '<': case '>': case '&':
			buf_printf(b, "\\u%04x", c);
			continue;
		}
		if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
		} else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			buf_puts(b, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
			p += 2;
		} else {
			buf_putc(b, (char)c);
		}
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

size_t url_decode(char *s)
{
	char *start = s, *o = s;
	for (; *s; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
	return (size_t)(o - start);
}

/* Walks fmt, handing %h %u %j to the escapers and every other conversion,
 * with its flags, width, precision and length, to vsnprintf one at a time. */
void html_vprintf(Buf *b, const char *fmt, va_list ap)
{
	const char *run = fmt;
	while (*fmt) {
		if (*fmt != '%') {
			fmt++;
			continue;
		}
		buf_append(b, run, (size_t)(fmt - run));
		const char *start = fmt++;
		if (*fmt == '%') {
			buf_putc(b, '%');
			run = ++fmt;
			continue;
		}
		while (*fmt && strchr("-+ #0", *fmt))
			fmt++;
		int star_w = 0, star_p = 0;
		if (*fmt == '*') { star_w = 1; fmt++; }
		while (*fmt >= '0' && *fmt <= '9') fmt++;
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') { star_p = 1; fmt++; }
			while (*fmt >= '0' && *fmt <= '9') fmt++;
		}
		int lng = 0, size_t_len = 0;
		while (*fmt == 'l') { lng++; fmt++; }
		if (*fmt == 'z') { size_t_len = 1; fmt++; }
		char conv = *fmt;
		if (!conv)
			break;
		fmt++;
		run = fmt;
		int w = star_w ? va_arg(ap, int) : 0;
		int pr = star_p ? va_arg(ap, int) : 0;
		char spec[32];
		size_t speclen = (size_t)(fmt - start);
		if (speclen >= sizeof spec)
			fatal("html_printf: conversion too long");
		memcpy(spec, start, speclen);
		spec[speclen] = 0;
		char tmp[128];
		int n = 0;
		/* %u alone is the URL escape; %zu, %lu and %llu stay unsigned numbers. */
		int numeric_u = conv == 'u' && (size_t_len || lng);
		switch (numeric_u ? 'd' : conv) {
		case 'h': html_escape(b, va_arg(ap, const char *)); continue;
		case 'u': url_escape(b, va_arg(ap, const char *)); continue;
		case 'j': json_escape(b, va_arg(ap, const char *)); continue;
		case 's': {
			const char *s = va_arg(ap, const char *);
			buf_puts(b, s ? s : "");
			continue;
		}
		case 'd': case 'i': case 'x': case 'X': case 'o': case 'c':
			if (size_t_len) {
				size_t v = va_arg(ap, size_t);
				n = star_w ? snprintf(tmp, sizeof tmp, spec, w, v) : snprintf(tmp, sizeof tmp, spec, v);
			} else if (lng >= 2) {
				long long v = va_arg(ap, long long);
				n = star_w ? snprintf(tmp, sizeof tmp, spec, w, v) : snprintf(tmp, sizeof tmp, spec, v);
			} else if (lng == 1) {
				long v = va_arg(ap, long);
				n = star_w ? snprintf(tmp, sizeof tmp, spec, w, v) : snprintf(tmp, sizeof tmp, spec, v);
			} else {
				int v = va_arg(ap, int);
				n = star_w ? snprintf(tmp, sizeof tmp, spec, w, v) : snprintf(tmp, sizeof tmp, spec, v);
			}
			break;
		case 'f': case 'g': case 'e': case 'F': case 'G': case 'E': {
			double v = va_arg(ap, double);
			if (star_w && star_p)
				n = snprintf(tmp, sizeof tmp, spec, w, pr, v);
			else if (star_w)
				n = snprintf(tmp, sizeof tmp, spec, w, v);
			else if (star_p)
				n = snprintf(tmp, sizeof tmp, spec, pr, v);
			else
				n = snprintf(tmp, sizeof tmp, spec, v);
			break;
		}
		default:
			fatal("html_printf: unsupported conversion %%%c", conv);
		}
		if (n > 0)
			buf_append(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
	}
	buf_append(b, run, (size_t)(fmt - run));
}

void html_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}
