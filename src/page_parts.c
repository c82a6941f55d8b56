/*
 * page_parts.c — parts of pages kept below the page cache (page_parts.h).
 *
 * The page cache keeps whole answers per session; with it off (serve
 * --page-cache 0), or for the first view of each session, a page is made
 * afresh. Most of that work is the same for every reader: the country's
 * figures, its charts, a list's rows. These are kept here once for all
 * sessions, in a second PageCache (http_cache.c) whose entries are parts,
 * not answers: the same stamps, the same rules for dropping them (a change
 * anywhere drops the parts of the whole plan; a change in another area
 * keeps an area's part), the same bound in bytes with the least recently
 * used going first (serve --page-parts MB, 8 by default; 0: off).
 *
 * What a part may hold: only what its key names. The page frame (the
 * user's name, navigation counts, CSRF tokens) is never in a part; a part
 * that differs by reader (pending records shown to those who see the area
 * in full) has that in its key.
 */
#include "page_parts.h"

#include "html.h"
#include "http_cache.h"
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PART_TYPE "part"

/* Copies the kept part to the end of r->out and gives the entry back. */
static int write_kept(Req *r, PageCacheEntry *e)
{
	size_t len;
	const char *body = page_cache_body(e, &len);
	/* written by html_printf when the part was made (and JSON for the API) */
	buf_append(&r->out, SAFE_HTML(body), len);
	page_cache_release(e);
	r->parts_kept++;
	return 1;
}

int page_part_begin(Req *r, PagePart *pp, const char *area, const char *keyfmt, ...)
{
	memset(pp, 0, sizeof *pp);
	PageCache *c = req_page_parts(r);
	if (!c)
		return 0;
	va_list ap;
	va_start(ap, keyfmt);
	int n = vsnprintf(pp->key, sizeof pp->key, keyfmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof pp->key)
		return 0; /* a key too long to keep: made every time */
	pp->keylen = (size_t)n;
	if (!area) {
		long long stamp = store_data_stamp(r->store);
		if (stamp < 0)
			return 0;
		PageCacheEntry *e = page_cache_get(c, pp->key, pp->keylen, stamp);
		if (e)
			return write_kept(r, e);
		req_cache_behind(r, c, stamp);
		pp->stamp = stamp;
	} else {
		long long now, g, a;
		if (store_area_stamps(r->store, area, &now, &g, &a) != H_OK)
			return 0;
		char made_in[64];
		PageCacheEntry *e = page_cache_get_area(c, pp->key, pp->keylen, now, made_in, sizeof made_in);
		if (!e && made_in[0] && strcmp(made_in, area) == 0)
			e = page_cache_confirm(c, pp->key, pp->keylen, now, g, a);
		if (e)
			return write_kept(r, e);
		req_cache_behind(r, c, now);
		pp->area = area;
		pp->stamp = now;
		pp->g = g;
		pp->a = a;
	}
	pp->start = r->out.len;
	pp->keep = 1;
	return 0;
}

void page_part_end(Req *r, PagePart *pp)
{
	PageCache *c = req_page_parts(r);
	if (!c || !pp->keep || r->status != 200 || r->out.len < pp->start)
		return;
	const char *body = r->out.data ? r->out.data + pp->start : "";
	size_t len = r->out.len - pp->start;
	if (pp->area)
		page_cache_put_area(c, pp->key, pp->keylen, pp->stamp, pp->area, pp->g, pp->a, PART_TYPE, body, len);
	else
		page_cache_put(c, pp->key, pp->keylen, pp->stamp, PART_TYPE, body, len);
	pp->keep = 0;
}
