/*
 * test_page_cache.c — the page cache (src/http_cache.c) on its own: an
 * answer is found again only under its key and data stamp; a newer stamp
 * drops everything, an older one (a request behind another thread's)
 * nothing; a page made while the stamp moved is not kept; the
 * byte bound drops the least recently used; an entry being sent outlives
 * its removal; the gzip form is made once. The server's use of it (keys,
 * sessions, writes by other processes) is tested in
 * tests/http/test_page_cache_http.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http_cache.h"

#define KEY(s) s, strlen(s)

static void put(PageCache *c, const char *key, long long stamp, const char *body)
{
	page_cache_put(c, KEY(key), stamp, "text/html; charset=utf-8", body, strlen(body));
}

/* The body found under key at stamp, copied (NULL when none). */
static char *found(PageCache *c, const char *key, long long stamp)
{
	PageCacheEntry *e = page_cache_get(c, KEY(key), stamp);
	if (!e)
		return NULL;
	size_t n;
	const char *b = page_cache_body(e, &n);
	char *out = strndup(b, n);
	page_cache_release(e);
	return out;
}

static void assert_found(PageCache *c, const char *key, long long stamp, const char *want)
{
	char *got = found(c, key, stamp);
	if (!got)
		fail_msg("%s at stamp %lld: not found, expected \"%s\"", key, stamp, want);
	assert_string_equal(got, want);
	free(got);
}

static void test_off(void **state)
{
	(void)state;
	assert_null(page_cache_new(0));
	put(NULL, "k", 1, "x"); /* a NULL cache takes nothing and finds nothing */
	assert_null(page_cache_get(NULL, KEY("k"), 1));
}

static void test_key_and_stamp(void **state)
{
	(void)state;
	PageCache *c = page_cache_new(1 << 20);
	put(c, "s1\nGET /bases\n2026-11-28\n", 7, "list for s1");
	put(c, "s2\nGET /bases\n2026-11-28\n", 7, "list for s2");
	assert_found(c, "s1\nGET /bases\n2026-11-28\n", 7, "list for s1");
	assert_found(c, "s2\nGET /bases\n2026-11-28\n", 7, "list for s2");
	/* another key: another session, another day, another query */
	assert_null(found(c, "s3\nGET /bases\n2026-11-28\n", 7));
	assert_null(found(c, "s1\nGET /bases\n2026-11-29\n", 7));
	assert_null(found(c, "s1\nGET /bases\n2026-11-28\n4:page=1:2&", 7));
	/* the same key again replaces the answer */
	put(c, "s1\nGET /bases\n2026-11-28\n", 7, "list for s1, again");
	assert_found(c, "s1\nGET /bases\n2026-11-28\n", 7, "list for s1, again");
	PageCacheStats st;
	page_cache_stats(c, &st);
	assert_int_equal(st.entries, 2);

	/* the database changed: nothing made before is found, under any key */
	assert_null(found(c, "s2\nGET /bases\n2026-11-28\n", 8));
	page_cache_stats(c, &st);
	assert_int_equal(st.entries, 0);
	/* an older stamp (a request that read it before another thread read
	 * the newer one) finds nothing and drops nothing */
	put(c, "s2\nGET /bases\n2026-11-28\n", 8, "at 8");
	assert_true(page_cache_behind(c, 5));
	assert_false(page_cache_behind(c, 8));
	assert_null(found(c, "s2\nGET /bases\n2026-11-28\n", 5));
	assert_found(c, "s2\nGET /bases\n2026-11-28\n", 8, "at 8");
	/* a stamp that really went back (a restored database) drops them */
	page_cache_went_back(c, 9); /* not older: nothing */
	assert_found(c, "s2\nGET /bases\n2026-11-28\n", 8, "at 8");
	page_cache_went_back(c, 5);
	assert_false(page_cache_behind(c, 5));
	assert_null(found(c, "s2\nGET /bases\n2026-11-28\n", 8));
	page_cache_stats(c, &st);
	assert_int_equal(st.entries, 0);
	/* no stamp (the read failed): never served, never kept */
	put(c, "k", -1, "x");
	assert_null(found(c, "k", -1));
	page_cache_free(c);
}

/* A request that read stamp 7, then another read 8 (a change committed
 * while the first made its page): the first page may mix both states and
 * is not kept. */
static void test_page_made_across_a_change(void **state)
{
	(void)state;
	PageCache *c = page_cache_new(1 << 20);
	assert_null(found(c, "a", 7));   /* first request, at 7 */
	assert_null(found(c, "b", 8));   /* second, after the change */
	put(c, "a", 7, "made at 7");     /* the first finishes */
	assert_null(found(c, "a", 8));
	put(c, "b", 8, "made at 8");
	assert_found(c, "b", 8, "made at 8");
	page_cache_free(c);
}

/* A page of one area (page_cache_put_area) outlives a change elsewhere:
 * at a new stamp it is not served by itself, the caller is told its area
 * and page_cache_confirm serves it when the area's stamps are the ones it
 * was made at, and drops it when they moved. Pages of every area go at
 * once; a stamp going back drops the area's page too. */
static void test_area_pages(void **state)
{
	(void)state;
	PageCache *c = page_cache_new(1 << 20);
	char area[64];
	page_cache_put_area(c, KEY("a"), 7, "feiyun", 3, 5, "text/html", "feiyun at 7", 11);
	page_cache_put_area(c, KEY("b"), 7, "tangxia", 3, 6, "text/html", "tangxia at 7", 12);
	put(c, "all", 7, "city at 7");
	PageCacheEntry *e = page_cache_get_area(c, KEY("a"), 7, area, sizeof area);
	assert_non_null(e);
	assert_string_equal(area, "");
	page_cache_release(e);
	/* a change in tangxia: stamp 8, tangxia's stamp 8, feiyun's still 5 */
	assert_null(page_cache_get_area(c, KEY("all"), 8, area, sizeof area));
	assert_string_equal(area, "");
	assert_null(page_cache_get_area(c, KEY("a"), 8, area, sizeof area));
	assert_string_equal(area, "feiyun");
	e = page_cache_confirm(c, KEY("a"), 8, 3, 5);
	assert_non_null(e);
	size_t n;
	assert_memory_equal(page_cache_body(e, &n), "feiyun at 7", 11);
	page_cache_release(e);
	assert_found(c, "a", 8, "feiyun at 7"); /* confirmed at 8 */
	assert_null(page_cache_get_area(c, KEY("b"), 8, area, sizeof area));
	assert_string_equal(area, "tangxia");
	assert_null(page_cache_confirm(c, KEY("b"), 8, 3, 8));
	assert_null(page_cache_get_area(c, KEY("b"), 8, area, sizeof area)); /* dropped */
	assert_string_equal(area, "");
	/* what is in no area moved: not confirmed */
	assert_null(page_cache_get_area(c, KEY("a"), 9, area, sizeof area));
	assert_null(page_cache_confirm(c, KEY("a"), 9, 4, 5));
	/* a request behind gets nothing, and the page stays */
	page_cache_put_area(c, KEY("a"), 9, "feiyun", 4, 5, "text/html", "feiyun at 9", 11);
	assert_null(page_cache_get_area(c, KEY("a"), 6, area, sizeof area));
	assert_string_equal(area, "");
	assert_null(page_cache_confirm(c, KEY("a"), 6, 4, 5));
	assert_found(c, "a", 9, "feiyun at 9");
	/* a stamp that went back drops an area's page as well */
	page_cache_went_back(c, 6);
	PageCacheStats st;
	page_cache_stats(c, &st);
	assert_int_equal(st.entries, 0);
	page_cache_free(c);
}

/* Two threads: one read stamp 7, then another read 8 after a commit and
 * answered first. The first one reaching the cache late is behind: it is
 * neither served what was kept at 8 nor lets it go, and what it made is
 * not kept; the pages kept at 8 (of every area and of one area) stay for
 * every request after it. */
static void test_request_behind_keeps_newer(void **state)
{
	(void)state;
	PageCache *c = page_cache_new(1 << 20);
	char area[64];
	put(c, "city", 7, "city at 7");
	page_cache_put_area(c, KEY("feiyun"), 7, "feiyun", 3, 5, "text/html", "feiyun at 7", 11);
	/* the second thread, at 8 */
	assert_null(found(c, "city", 8));
	put(c, "city", 8, "city at 8");
	assert_null(page_cache_get_area(c, KEY("feiyun"), 8, area, sizeof area));
	assert_string_equal(area, "feiyun");
	PageCacheEntry *e = page_cache_confirm(c, KEY("feiyun"), 8, 3, 5);
	assert_non_null(e);
	page_cache_release(e);
	/* the first thread, at 7, late */
	assert_true(page_cache_behind(c, 7));
	assert_null(found(c, "city", 7));
	assert_null(page_cache_get_area(c, KEY("feiyun"), 7, area, sizeof area));
	assert_string_equal(area, "");
	put(c, "other", 7, "made at 7");
	page_cache_put_area(c, KEY("tangxia"), 7, "tangxia", 3, 6, "text/html", "tangxia at 7", 12);
	/* the next requests, at 8, find what was kept at 8 */
	assert_found(c, "city", 8, "city at 8");
	assert_found(c, "feiyun", 8, "feiyun at 7");
	assert_null(found(c, "other", 8));
	assert_null(page_cache_get_area(c, KEY("tangxia"), 8, area, sizeof area));
	assert_string_equal(area, "");
	PageCacheStats st;
	page_cache_stats(c, &st);
	assert_int_equal(st.entries, 2);
	page_cache_free(c);
}

static void test_bound_drops_least_recent(void **state)
{
	(void)state;
	char body[1000];
	memset(body, 'x', sizeof body - 1);
	body[sizeof body - 1] = 0;
	/* room for a few entries of about 1.1 kB each */
	PageCache *c = page_cache_new(4500);
	put(c, "a", 1, body);
	put(c, "b", 1, body);
	put(c, "c", 1, body);
	char *x = found(c, "a", 1); /* a is now more recent than b */
	assert_non_null(x);
	free(x);
	put(c, "d", 1, body);
	PageCacheStats st;
	page_cache_stats(c, &st);
	assert_true(st.bytes <= 4500);
	assert_null(found(c, "b", 1));
	assert_non_null((x = found(c, "a", 1)));
	free(x);
	assert_non_null((x = found(c, "d", 1)));
	free(x);
	/* a body over a quarter of the bound is not kept at all */
	char big[1200];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = 0;
	put(c, "big", 1, big);
	assert_null(found(c, "big", 1));
	page_cache_free(c);
}

/* An answer still being sent keeps its bytes after the table lets go. */
static void test_entry_outlives_removal(void **state)
{
	(void)state;
	PageCache *c = page_cache_new(1 << 20);
	put(c, "k", 1, "being sent");
	PageCacheEntry *e = page_cache_get(c, KEY("k"), 1);
	assert_non_null(e);
	assert_null(found(c, "k", 2)); /* dropped from the table */
	size_t n;
	const char *b = page_cache_body(e, &n);
	assert_int_equal(n, strlen("being sent"));
	assert_memory_equal(b, "being sent", n);
	page_cache_release(e); /* freed now (ASan would tell otherwise) */
	page_cache_free(c);
}

static void test_gzip_made_once(void **state)
{
	(void)state;
	PageCache *c = page_cache_new(1 << 20);
	put(c, "k", 1, "body");
	PageCacheEntry *e = page_cache_get(c, KEY("k"), 1);
	size_t zlen;
	int tried;
	assert_null(page_cache_gzip(c, e, &zlen, &tried));
	assert_int_equal(tried, 0);
	unsigned char *z = malloc(3);
	memcpy(z, "gz1", 3);
	page_cache_set_gzip(c, e, z, 3);
	/* a second request that made it too: its copy is dropped */
	unsigned char *z2 = malloc(3);
	memcpy(z2, "gz2", 3);
	page_cache_set_gzip(c, e, z2, 3);
	const char *got = page_cache_gzip(c, e, &zlen, &tried);
	assert_int_equal(tried, 1);
	assert_int_equal(zlen, 3);
	assert_memory_equal(got, "gz1", 3);
	PageCacheStats st;
	page_cache_stats(c, &st);
	page_cache_release(e);
	/* counted in the bound */
	PageCache *c2 = page_cache_new(1 << 20);
	put(c2, "k", 1, "body");
	PageCacheStats st2;
	page_cache_stats(c2, &st2);
	assert_int_equal(st.bytes, st2.bytes + 3);
	page_cache_free(c2);
	page_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off),
		cmocka_unit_test(test_key_and_stamp),
		cmocka_unit_test(test_page_made_across_a_change),
		cmocka_unit_test(test_area_pages),
		cmocka_unit_test(test_request_behind_keeps_newer),
		cmocka_unit_test(test_bound_drops_least_recent),
		cmocka_unit_test(test_entry_outlives_removal),
		cmocka_unit_test(test_gzip_made_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
