/* bad_s.c — a fixture for tools/fmtcheck.c: a %s taking a variable. */
void page_bad(Req *r, const char *name)
{
	html_printf(&r->out, "<p>%s</p>", name);
}
