/*
 * page_kept.h — pieces of HTML a page keeps on its connection between
 * requests, by a key that names everything the piece was written from
 * (page_kept.c). The pages of every area (工作台, 六比竞赛, a published
 * bulletin) write their long lists once per state of the figures: the key
 * holds the generation of the kept figures (competition_kept, area_lags)
 * or a frozen document's hash, so a piece found is what writing it again
 * would give.
 */
#ifndef HATCHERY_PAGE_KEPT_H
#define HATCHERY_PAGE_KEPT_H

#include "store.h"

/* Appends the piece kept under (tag, key) to out and returns 1; 0 when
 * none is kept. tag: a static object's address, one per kind of piece. */
int page_kept_get(Store *s, const void *tag, const char *key, Buf *out);
/* The piece kept under (tag, key) without copying it: 1 with *data and
 * *len set (valid until the next page_kept_put of tag on s), 0 when none. */
int page_kept_find(Store *s, const void *tag, const char *key, const char **data, size_t *len);
/* Keeps len bytes at data under (tag, key) (a copy), making room by
 * dropping the least recently used pieces of tag: at most 8 pieces and
 * max_bytes per tag. */
void page_kept_put(Store *s, const void *tag, const char *key, const char *data, size_t len, size_t max_bytes);

#endif
