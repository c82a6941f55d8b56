/* bad_vprintf.c — a fixture for tools/fmtcheck.c: html_vprintf called by
 * a function that is not a printf-like wrapper (its callers' formats could
 * not be checked). */
static void say_list(Buf *b, const char *fmt, va_list ap)
{
	html_vprintf(b, fmt, ap);
}
