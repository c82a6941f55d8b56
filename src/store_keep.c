/*
 * store_keep.c — what the pages of every area (工作台, 六比竞赛) keep of
 * each area's row between requests, per connection (store.h, StoreWatch):
 * the stamps tell which areas a commit may have changed (schema step 7:
 * a record's change moves the stamp of its area and of every area above
 * it; a change to what is in no area — the plan, targets, operators,
 * users — moves n - area_n), so a reporter's change in one area makes
 * only that area's rows (and those above it) again.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

int store_watch(Store *s, StoreWatch *w, Arena *a, int *all, const char ***areas, int *n)
{
	static const char q_stamp[] = "SELECT n, n - area_n FROM data_stamp WHERE id = 1";
	static const char q_areas[] = "SELECT area FROM area_stamp WHERE n > ?1";
	*all = 0;
	*areas = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q_stamp);
	if (!st) {
		w->known = 0;
		return -1;
	}
	long long dn = -1, g = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		dn = sqlite3_column_int64(st, 0);
		g = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (dn < 0) {
		w->known = 0;
		return store_fail(s, "the data stamp"), -1;
	}
	if (w->known && dn == w->n && g == w->global)
		return 1;
	if (!w->known || g != w->global || dn < w->n) {
		/* dn < w->n: a restored or replaced database; nothing kept holds */
		*all = 1;
	} else {
		/* read after the stamp: an area changed meanwhile is listed too
		 * (made again once more than needed, never once less) */
		if (!(st = store_stmt(s, q_areas))) {
			w->known = 0;
			return -1;
		}
		sqlite3_bind_int64(st, 1, w->n);
		int cap = 0, rc;
		const char **v = NULL;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			*(const char **)arena_push(a, (void **)&v, n, &cap, sizeof *v) = col_text(a, st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			w->known = 0;
			return store_fail(s, "the area stamps"), -1;
		}
		*areas = v;
	}
	w->known = 1;
	w->n = dn;
	w->global = g;
	return 0;
}

void *store_kept(Store *s, const void *tag, void *(*make)(void), void (*drop)(void *))
{
	for (int i = 0; i < STORE_KEPT_SLOTS; i++) {
		if (s->kept[i].tag == tag)
			return s->kept[i].p;
		if (!s->kept[i].tag) {
			void *p = make();
			if (!p)
				return NULL;
			s->kept[i].tag = tag;
			s->kept[i].p = p;
			s->kept[i].drop = drop;
			return p;
		}
	}
	return NULL;
}
