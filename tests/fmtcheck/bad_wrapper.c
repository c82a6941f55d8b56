/* bad_wrapper.c — a fixture for tools/fmtcheck.c: a wrapper of
 * html_vprintf is found, and its caller's %s with a variable refused. */
static void say(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}

void page_bad(Req *r, const char *name)
{
	say(&r->out, "<p>%h</p>", name);
	say(&r->out, "<p>%s</p>", name);
}
