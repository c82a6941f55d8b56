/* page_bad_out.c — a fixture for tools/fmtcheck.c: a page file writing a
 * variable into the response without html_printf. */
void page_bad(Req *r, const char *name)
{
	buf_puts(&r->out, name);
}
