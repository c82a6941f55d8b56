/*
 * page_parts.h — parts of pages kept below the page cache and shared by
 * every session: the costly middle of a page (its figures, charts and
 * tables), made once and written again into each request's page while
 * what it shows is unchanged (see page_parts.c).
 */
#ifndef HATCHERY_PAGE_PARTS_H
#define HATCHERY_PAGE_PARTS_H

#include "http.h"

typedef struct PagePart {
	char key[512];        /* what the part is of: the page, its parameters, what the reader may see */
	size_t keylen;
	const char *area;     /* the one area it shows (NULL: every area) */
	long long stamp, g, a; /* the stamps read before it was made */
	size_t start;         /* where it begins in r->out */
	int keep;             /* 1 when page_part_end keeps it */
} PagePart;

/*
 * Looks for the part named by the printf-style key (plain %s, %d, %lld;
 * the caller puts in every parameter of what it shows, and who sees what:
 * a kept part is written for any session with the same key) that shows
 * area (NULL: the whole plan — every record, and what is in no area).
 * When one made at the database's present state is kept, writes it at the
 * end of r->out and returns 1: the caller writes nothing of it. Else
 * returns 0: the caller writes the part into r->out and then calls
 * page_part_end() (or nothing, when it answered an error instead).
 *
 * The stamps are read first: the whole plan's part is kept under the data
 * stamp (any change drops it), an area's under the stamps of what is in
 * no area and of the area (store_area_stamps: a change in another area
 * keeps it) — the dependencies the page cache trusts for req_depends_on_area.
 */
int page_part_begin(Req *r, PagePart *pp, const char *area, const char *keyfmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Keeps what the caller wrote since page_part_begin() (a 200 answer only). */
void page_part_end(Req *r, PagePart *pp);

#endif
