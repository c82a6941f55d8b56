/*
 * http_cache.c — answers a repeated GET of the same page from memory while
 * the database is unchanged (http_cache.h).
 *
 * A page is a function of who asks, the address, today's date and the
 * database. http.c makes the key from the first three (the session token's
 * hash — so a page with a user's name, scope and CSRF token is only ever
 * served to that session — or "-" for visitors; the method; the path and
 * every query parameter; today's date, UTC+8, because pages say what is
 * expected by today) and reads the database's data stamp: data_stamp.n,
 * which triggers on every table except the sessions' bump in the same
 * transaction as any change, whoever makes it (this server, the CLI, the
 * sqlite3 shell). An entry is served only while the stamp read at the start
 * of the request is the one it was made at. So the answer is always what
 * the handler would say now.
 *
 * A page that said it shows one area's data only (req_depends_on_area:
 * the records of the area and the areas under it, and what belongs to no
 * area — the plan, targets, rules, users) also keeps the two stamps that
 * cover those (store_area_stamps): when the data stamp has moved, http.c
 * reads them and the page is served again (page_cache_confirm) if neither
 * moved: a change in another area keeps it.
 *
 * Threads race: a request that read the stamp before another committed may
 * reach the cache after one that read the newer stamp. Such a request is
 * behind: it is neither served nor kept, and drops nothing (the entries
 * made at the newer stamp are right for every request after it). A data
 * stamp that really went back (a database restored under the server) is
 * told apart by the caller, which reads the stamp again outside any
 * transaction and calls page_cache_went_back(): that drops every entry.
 *
 * Only routes flagged ROUTE_CACHED, only 200 answers without extra headers.
 * Bounded by bytes (keys, bodies and their gzip forms); the least recently
 * used entries go first. Entries are reference-counted: an answer still
 * being sent keeps its bytes alive after the entry has left the table.
 */
#include "http_cache.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 1024 /* a power of two */

struct PageCacheEntry {
	PageCacheEntry *next_in_bucket;
	PageCacheEntry *lru_prev, *lru_next; /* most recent at the head */
	unsigned refs;                       /* the table's one, and one per answer being sent */
	uint32_t hash;
	char *key;
	size_t keylen;
	char *body;
	size_t len;
	unsigned char *gz; /* gzip form, made on first use */
	size_t gzlen;
	int gz_tried;
	char content_type[64];
	long long made;    /* the data stamp it was made at, or last confirmed at */
	char area[64];     /* the one area it depends on; "" every area */
	long long g, a;    /* then: the stamps of what is in no area and of the area */
};

struct PageCache {
	pthread_mutex_t lock;
	size_t max_bytes, bytes, entries;
	long long stamp; /* the highest data stamp seen since the last went-back; -1 none yet */
	PageCacheEntry *buckets[BUCKETS];
	PageCacheEntry *lru_head, *lru_tail;
	unsigned long long hits, misses, drops;
};

static size_t entry_bytes(const PageCacheEntry *e)
{
	return sizeof *e + e->keylen + e->len + e->gzlen;
}

static void entry_free(PageCacheEntry *e)
{
	free(e->key);
	free(e->body);
	free(e->gz);
	free(e);
}

void page_cache_release(PageCacheEntry *e)
{
	if (e && __atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL) == 0)
		entry_free(e);
}

PageCache *page_cache_new(size_t max_bytes)
{
	if (max_bytes == 0)
		return NULL;
	PageCache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	c->max_bytes = max_bytes;
	c->stamp = -1;
	return c;
}

static void lru_unlink(PageCache *c, PageCacheEntry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		c->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push_head(PageCache *c, PageCacheEntry *e)
{
	e->lru_prev = NULL;
	e->lru_next = c->lru_head;
	if (c->lru_head)
		c->lru_head->lru_prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

/* Takes e out of the table (under the lock) and drops the table's reference. */
static void remove_entry(PageCache *c, PageCacheEntry *e)
{
	PageCacheEntry **pp = &c->buckets[e->hash & (BUCKETS - 1)];
	while (*pp && *pp != e)
		pp = &(*pp)->next_in_bucket;
	if (*pp)
		*pp = e->next_in_bucket;
	lru_unlink(c, e);
	c->bytes -= entry_bytes(e);
	c->entries--;
	page_cache_release(e);
}

/* Drops the entries that depend on every area (all: every entry). */
static void drop_all(PageCache *c, int all)
{
	for (PageCacheEntry *e = c->lru_head, *next; e; e = next) {
		next = e->lru_next;
		if (all || !e->area[0])
			remove_entry(c, e);
	}
	c->drops++;
}

/* Brings the cache to the request's stamp; 1 when entries made at it may be
 * used or kept. A new stamp drops the pages of every area (the others wait
 * for page_cache_confirm); an older one is a request behind another
 * (0: it gets nothing and changes nothing). */
static int at_stamp(PageCache *c, long long stamp)
{
	if (stamp < 0 || stamp < c->stamp)
		return 0;
	if (stamp != c->stamp) {
		drop_all(c, 0);
		c->stamp = stamp;
	}
	return 1;
}

int page_cache_behind(PageCache *c, long long stamp)
{
	if (!c || stamp < 0)
		return 0;
	pthread_mutex_lock(&c->lock);
	int behind = stamp < c->stamp;
	pthread_mutex_unlock(&c->lock);
	return behind;
}

void page_cache_went_back(PageCache *c, long long stamp)
{
	if (!c || stamp < 0)
		return;
	pthread_mutex_lock(&c->lock);
	if (stamp < c->stamp) {
		drop_all(c, 1);
		c->stamp = stamp;
	}
	pthread_mutex_unlock(&c->lock);
}

static PageCacheEntry *find(PageCache *c, const char *key, size_t keylen, uint32_t h)
{
	for (PageCacheEntry *e = c->buckets[h & (BUCKETS - 1)]; e; e = e->next_in_bucket)
		if (e->hash == h && e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			return e;
	return NULL;
}

static void hit(PageCache *c, PageCacheEntry *e)
{
	__atomic_add_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
	lru_unlink(c, e);
	lru_push_head(c, e);
	c->hits++;
}

PageCacheEntry *page_cache_get_area(PageCache *c, const char *key, size_t keylen, long long stamp, char *area,
                                    size_t areasz)
{
	if (area && areasz)
		area[0] = 0;
	if (!c)
		return NULL;
	uint32_t h = hash_fnv1a(key, keylen);
	pthread_mutex_lock(&c->lock);
	PageCacheEntry *e = at_stamp(c, stamp) ? find(c, key, keylen, h) : NULL;
	if (e && e->made != stamp) {
		/* made before a change: an area's page may still stand */
		if (area && areasz > strlen(e->area))
			strcpy(area, e->area);
		e = NULL;
	}
	if (e)
		hit(c, e);
	else if (!area || !area[0])
		c->misses++;
	pthread_mutex_unlock(&c->lock);
	return e;
}

PageCacheEntry *page_cache_confirm(PageCache *c, const char *key, size_t keylen, long long stamp, long long g,
                                   long long a)
{
	if (!c)
		return NULL;
	uint32_t h = hash_fnv1a(key, keylen);
	pthread_mutex_lock(&c->lock);
	PageCacheEntry *e = at_stamp(c, stamp) ? find(c, key, keylen, h) : NULL;
	if (e && e->made != stamp) {
		if (e->area[0] && e->g == g && e->a == a) {
			e->made = stamp; /* nothing it shows has changed */
		} else {
			remove_entry(c, e);
			e = NULL;
		}
	}
	if (e)
		hit(c, e);
	else
		c->misses++;
	pthread_mutex_unlock(&c->lock);
	return e;
}

PageCacheEntry *page_cache_get(PageCache *c, const char *key, size_t keylen, long long stamp)
{
	if (!c)
		return NULL;
	uint32_t h = hash_fnv1a(key, keylen);
	pthread_mutex_lock(&c->lock);
	PageCacheEntry *e = at_stamp(c, stamp) ? find(c, key, keylen, h) : NULL;
	if (e && e->made != stamp)
		e = NULL;
	if (e) {
		__atomic_add_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
		lru_unlink(c, e);
		lru_push_head(c, e);
		c->hits++;
	} else {
		c->misses++;
	}
	pthread_mutex_unlock(&c->lock);
	return e;
}

void page_cache_put(PageCache *c, const char *key, size_t keylen, long long stamp, const char *content_type,
                    const char *body, size_t len)
{
	page_cache_put_area(c, key, keylen, stamp, NULL, 0, 0, content_type, body, len);
}

void page_cache_put_area(PageCache *c, const char *key, size_t keylen, long long stamp, const char *area,
                         long long g, long long a, const char *content_type, const char *body, size_t len)
{
	if (!c || !content_type || strlen(content_type) >= sizeof ((PageCacheEntry *)0)->content_type ||
	    len + keylen > c->max_bytes / 4 || (area && strlen(area) >= sizeof ((PageCacheEntry *)0)->area))
		return;
	/* Copied before taking the lock. */
	PageCacheEntry *e = xcalloc(1, sizeof *e);
	e->refs = 1;
	e->hash = hash_fnv1a(key, keylen);
	e->key = xmalloc(keylen);
	memcpy(e->key, key, keylen);
	e->keylen = keylen;
	e->body = xmalloc(len ? len : 1);
	memcpy(e->body, body, len);
	e->len = len;
	strcpy(e->content_type, content_type);
	e->made = stamp;
	if (area) {
		strcpy(e->area, area);
		e->g = g;
		e->a = a;
	}
	pthread_mutex_lock(&c->lock);
	/* A stamp other than the cache's: the database moved on while the page
	 * was made (or the request was behind another), and the page may be of
	 * either state. */
	if (stamp != c->stamp && c->stamp >= 0) {
		pthread_mutex_unlock(&c->lock);
		entry_free(e);
		return;
	}
	at_stamp(c, stamp);
	PageCacheEntry *old = find(c, key, keylen, e->hash);
	if (old)
		remove_entry(c, old);
	while (c->lru_tail && c->bytes + entry_bytes(e) > c->max_bytes)
		remove_entry(c, c->lru_tail);
	PageCacheEntry **b = &c->buckets[e->hash & (BUCKETS - 1)];
	e->next_in_bucket = *b;
	*b = e;
	lru_push_head(c, e);
	c->bytes += entry_bytes(e);
	c->entries++;
	pthread_mutex_unlock(&c->lock);
}

const char *page_cache_body(const PageCacheEntry *e, size_t *len)
{
	*len = e->len;
	return e->body;
}

const char *page_cache_content_type(const PageCacheEntry *e)
{
	return e->content_type;
}

const char *page_cache_gzip(PageCache *c, PageCacheEntry *e, size_t *len, int *tried)
{
	pthread_mutex_lock(&c->lock);
	const char *z = (const char *)e->gz;
	*len = e->gzlen;
	*tried = e->gz_tried;
	pthread_mutex_unlock(&c->lock);
	return z;
}

void page_cache_set_gzip(PageCache *c, PageCacheEntry *e, unsigned char *z, size_t zlen)
{
	pthread_mutex_lock(&c->lock);
	if (e->gz_tried) {
		pthread_mutex_unlock(&c->lock);
		free(z);
		return;
	}
	/* Counted in the cache's bytes only while the entry is in the table. */
	int in_table = find(c, e->key, e->keylen, e->hash) == e;
	e->gz = z;
	e->gzlen = z ? zlen : 0;
	e->gz_tried = 1;
	if (in_table)
		c->bytes += e->gzlen;
	pthread_mutex_unlock(&c->lock);
}

void page_cache_stats(PageCache *c, PageCacheStats *out)
{
	memset(out, 0, sizeof *out);
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	out->hits = c->hits;
	out->misses = c->misses;
	out->drops = c->drops;
	out->entries = c->entries;
	out->bytes = c->bytes;
	pthread_mutex_unlock(&c->lock);
}

void page_cache_free(PageCache *c)
{
	if (!c)
		return;
	while (c->lru_head)
		remove_entry(c, c->lru_head);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
