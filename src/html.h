/*
 * html.h — the escaping writer every page uses (STYLE.md 3).
 *
 * html_printf() is printf with three extra conversions that escape for the
 * place the value lands:
 *   %h  a string escaped for HTML text and quoted attributes (& < > " ')
 *   %u  a string percent-encoded for a URL path segment or query value
 *   %j  a string escaped for the inside of a JSON string (also safe inside
 *       <script>: < > & and U+2028/2029 become \uXXXX)
 * %s writes a string as it is: only for markup the program itself made.
 * Its argument is a string literal, a ?: between literals, or wrapped in
 * SAFE_HTML() below; tools/fmtcheck.c (a test of `make test`) refuses
 * anything else, counts every call's arguments against its conversions,
 * and refuses JSON built with a format.
 * NULL strings print as "" for %h %u %j and %s. Width and precision are
 * ignored for strings (%.4s prints it all): cut the string first.
 * Numeric conversions %d %ld %lld %zu %lu %llu %x %f %g %c and %% work as
 * in printf; a bare %u is the URL escape, never an unsigned int.
 */
#ifndef HATCHERY_HTML_H
#define HATCHERY_HTML_H

#include "util.h"

/* Marks a string as markup the program made itself (every value in it
 * written with %h %u %j, or a constant) so that a %s may take it; an
 * identity. `grep -n SAFE_HTML src/` lists every such place to review. */
#define SAFE_HTML(s) (s)

void html_printf(Buf *b, const char *fmt, ...);
void html_vprintf(Buf *b, const char *fmt, va_list ap);

void html_escape(Buf *b, const char *s);       /* %h */
void url_escape(Buf *b, const char *s);        /* %u */
void json_escape(Buf *b, const char *s);       /* %j */

/* Decodes %XX and '+' in place (query strings and form bodies); returns
 * the decoded length (more than strlen(s) when %00 put a NUL inside). */
size_t url_decode(char *s);

#endif
