/*
 * store_memo.c — the answers of the lookups an import repeats, kept on its
 * connection while its transaction runs (issue 20).
 *
 * Checking an import's row asks the database the same things several times
 * (a firm's base: its area when the area is derived, once more when the
 * row is checked, whether it exists; the 统一社会信用代码: which record has
 * it, as the natural key and again as a duplicate; the natural key again
 * before saving) and many rows ask about the same bases. Between
 * store_memo_begin() and store_memo_end(), inside one write transaction,
 * store_records.c answers these from here after the first time: nothing
 * else writes meanwhile (the transaction holds the write lock), and any
 * write of this connection through store_records.c forgets everything
 * (store_memo_forget), so an answer is never older than the last write.
 * Outside begin/end nothing is kept.
 *
 * The page cache too is sized to the import while it runs: a transaction
 * of 100,000 new firms dirties some 20,000 pages of the table, its indexes
 * and the audit trail's, most of the indexes' at random, and SQLite's
 * default cache of 2 MB spills them into the WAL one page at a time and
 * reads them back (a fifth of the import's time at national scale); the
 * cache is given MEMO_CACHE_KIB_PER_ROW per row, at most
 * MEMO_CACHE_KIB_MAX, and back to its size and its memory released when
 * the transaction ends.
 *
 * The memory: open addressing over key texts ("b\x1f<id>" a base,
 * "u\x1f<uscc>" a firm's code, "k\x1f<kind>\x1f<key>\x1f<values...>" a
 * natural key), each slot owning its key and texts; about 100 bytes per
 * distinct key, freed by store_memo_end or the first write.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct MemoSlot {
	char *key; /* NULL: empty */
	StoreMemoValue v;
} MemoSlot;

#define MEMO_CACHE_KIB_PER_ROW 0.33 /* national: 32 MB took 0.6 s of 4 off 98,921 firms, 64 MB 0.2 s more */
#define MEMO_CACHE_KIB_MAX 32768

struct StoreMemo {
	MemoSlot *slots;
	size_t cap, used;
};

void store_memo_begin(Store *s, int rows)
{
	store_memo_end(s);
	s->memo = xcalloc(1, sizeof *s->memo);
	double kib = rows * MEMO_CACHE_KIB_PER_ROW;
	if (kib > MEMO_CACHE_KIB_MAX)
		kib = MEMO_CACHE_KIB_MAX;
	sqlite3_stmt *st = store_stmt(s, "PRAGMA cache_size");
	int was = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	if (st)
		sqlite3_reset(st);
	/* a size in pages (positive) or KiB (negative): compared as KiB of 4 KiB pages */
	if (was && kib > (was < 0 ? -was : was * 4.0)) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", -(int)kib);
		if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
			s->memo_cache_was = was;
	}
}

static void memo_free(struct StoreMemo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key) {
			free(m->slots[i].key);
			free(m->slots[i].v.text);
			free(m->slots[i].v.text2);
		}
	free(m->slots);
	free(m);
}

void store_memo_end(Store *s)
{
	memo_free(s->memo);
	s->memo = NULL;
	if (s->memo_cache_was) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", s->memo_cache_was);
		sqlite3_exec(s->db, sql, NULL, NULL, NULL);
		sqlite3_db_release_memory(s->db);
		s->memo_cache_was = 0;
	}
}

void store_memo_forget(Store *s)
{
	if (s->memo && s->memo->used) {
		memo_free(s->memo);
		s->memo = xcalloc(1, sizeof *s->memo);
	}
}

static MemoSlot *memo_slot(struct StoreMemo *m, const char *key)
{
	size_t i = hash_fnv1a(key, strlen(key)) & (m->cap - 1);
	while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

int store_memo_get(Store *s, const char *key, StoreMemoValue *out)
{
	struct StoreMemo *m = s->memo;
	if (!m || !m->cap)
		return 0;
	MemoSlot *slot = memo_slot(m, key);
	if (!slot->key)
		return 0;
	*out = slot->v;
	return 1;
}

static char *dup_or_null(const char *t)
{
	return t ? xstrdup(t) : NULL;
}

void store_memo_put(Store *s, const char *key, const StoreMemoValue *v)
{
	struct StoreMemo *m = s->memo;
	if (!m)
		return;
	if ((m->used + 1) * 2 > m->cap) { /* at most half full */
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct StoreMemo grown = {xcalloc(cap, sizeof *grown.slots), cap, m->used};
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].key)
				*memo_slot(&grown, m->slots[i].key) = m->slots[i];
		free(m->slots);
		*m = grown;
	}
	MemoSlot *slot = memo_slot(m, key);
	if (slot->key) {
		free(slot->v.text);
		free(slot->v.text2);
	} else {
		slot->key = xstrdup(key);
		m->used++;
	}
	slot->v = (StoreMemoValue){v->id, v->id2, dup_or_null(v->text), dup_or_null(v->text2)};
}
