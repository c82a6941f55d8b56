/*
 * good.c — a fixture for tools/fmtcheck.c (tests/unit/test_fmtcheck.c):
 * every printf-like call here is one the checker must accept. Never
 * compiled.
 */
#define KIND_LABEL "基地"

void page_good(Req *r, const char *name, int n, const char *row_markup)
{
	Buf *b = &r->out;
	html_printf(b, "<p>%h</p>", name);                                  /* escaped */
	html_printf(b, "<a href=\"/x/%u\">%h</a>", name, name);             /* URL and HTML escapes */
	html_printf(b, "<script>var s = \"%j\";</script>", name);           /* JSON-in-script escape */
	html_printf(b, "<p%s>%d 个</p>", n > 1 ? " class=\"many\"" : "", n); /* a ?: between literals */
	html_printf(b, "<p>%s</p>", "<b>literal</b>");                      /* a literal */
	html_printf(b, "<p>%s</p>", KIND_LABEL);                            /* a name #defined as a literal */
	html_printf(b, "<tr>%s</tr>", SAFE_HTML(row_markup));                /* marked markup */
	html_printf(b, "%*d|%.2f|%zu|%lu|%lld|%%", 4, n, 1.5, (size_t)n, 1ul, 2ll);
	page_note(r, "<p>%h · %s</p>", name, n ? "有" : "无");               /* a wrapper of html_vprintf */
	char t[32];
	snprintf(t, sizeof t, "%d-%s", n, name);                            /* not JSON, right count */
	buf_puts(&r->out, "<hr>");                                          /* a literal into the page */
	fatal("no %s here", name);
}

/* A printf-like wrapper: the checker finds it and checks its callers. */
void page_note(Req *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(&r->out, fmt, ap);
	va_end(ap);
}
