/* bad_count.c — a fixture for tools/fmtcheck.c: arguments that do not
 * match the conversions (%h %u %j each take one). */
void page_bad(Req *r, const char *name, int n)
{
	html_printf(&r->out, "<a href=\"/x/%u\">%h</a> %j %d", name, name, n);
}
