/*
 * http_cache.h — the server's memory of the pages it has just answered,
 * served again while the database is unchanged (see http_cache.c).
 */
#ifndef HATCHERY_HTTP_CACHE_H
#define HATCHERY_HTTP_CACHE_H

#include <stddef.h>

typedef struct PageCache PageCache;
typedef struct PageCacheEntry PageCacheEntry;

/* A cache holding at most max_bytes of keys and bodies; NULL (no cache)
 * when max_bytes is 0. */
PageCache *page_cache_new(size_t max_bytes);
void page_cache_free(PageCache *c);

/* The entry for key made at data stamp `stamp`, with a reference the
 * caller gives back with page_cache_release(); NULL when there is none.
 * A stamp newer than the cache's drops the entries of every area first:
 * the database has changed since they were made. A stamp older than the
 * newest the cache has seen (a request that read it before another
 * thread's newer one) finds nothing and drops nothing. */
PageCacheEntry *page_cache_get(PageCache *c, const char *key, size_t keylen, long long stamp);
/* The same; when the entry was made before `stamp` but shows one area
 * only, NULL with that area's code in area (else area ""): the caller
 * reads the area's stamps (store_area_stamps) and asks
 * page_cache_confirm(), which serves the entry when neither moved since it
 * was made (and drops it otherwise). */
PageCacheEntry *page_cache_get_area(PageCache *c, const char *key, size_t keylen, long long stamp, char *area,
                                    size_t areasz);
PageCacheEntry *page_cache_confirm(PageCache *c, const char *key, size_t keylen, long long stamp, long long g,
                                   long long a);
/* 1 when stamp is older than the newest the cache has seen: the request
 * read it before another thread read a newer one — or the database went
 * back. The caller tells them apart by reading the stamp again outside
 * any transaction: when that is still older, page_cache_went_back(). */
int page_cache_behind(PageCache *c, long long stamp);
/* The database's stamp went back (a restored database): every entry goes,
 * and stamp is the cache's from now on. Nothing when stamp is not older. */
void page_cache_went_back(PageCache *c, long long stamp);

/* Keeps a copy of a 200 answer made at data stamp `stamp`. Nothing is
 * kept when the stamp is no longer the cache's (the database changed
 * while the page was made) or the body is larger than a quarter of the
 * cache. */
void page_cache_put(PageCache *c, const char *key, size_t keylen, long long stamp, const char *content_type,
                    const char *body, size_t len);
/* The same for a page that shows one area only (the area and the areas
 * under it, and what is in no area), with those two stamps (g, a) as they
 * were when stamp was read. */
void page_cache_put_area(PageCache *c, const char *key, size_t keylen, long long stamp, const char *area,
                         long long g, long long a, const char *content_type, const char *body, size_t len);

/* The entry's body, and its gzip form: NULL with *tried 0 until
 * page_cache_set_gzip() has been called (by the first request that
 * accepts gzip), NULL with *tried 1 when it did not shrink. */
const char *page_cache_body(const PageCacheEntry *e, size_t *len);
const char *page_cache_gzip(PageCache *c, PageCacheEntry *e, size_t *len, int *tried);
/* Gives the entry its gzip form (z: malloc'd, taken over; NULL: does not
 * shrink). When another request was first, z is freed. */
void page_cache_set_gzip(PageCache *c, PageCacheEntry *e, unsigned char *z, size_t zlen);
const char *page_cache_content_type(const PageCacheEntry *e);
void page_cache_release(PageCacheEntry *e);

/* Counters for tests and the log: hits, misses, entries, bytes. */
typedef struct PageCacheStats {
	unsigned long long hits, misses, drops;
	size_t entries, bytes;
} PageCacheStats;
void page_cache_stats(PageCache *c, PageCacheStats *out);

#endif
