/* bad_atoi.c — a fixture for tools/fmtcheck.c: atoi on request input. */
void page_bad(Req *r)
{
	int page = atoi(req_query(r, "page"));
	(void)page;
}
