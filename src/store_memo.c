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
 * The memory: open addressing over key texts ("b\x1f<id>" a base,
 * "u\x1f<uscc>" a firm's code, "k\x1f<kind>\x1f<key>\x1f<values...>" a
 * natural key), each slot owning its key and texts; about 100 bytes per
 * distinct key, freed by store_memo_end or the first write.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct MemoSlot {
	char *key; /* NULL: empty */
	StoreMemoValue v;
} MemoSlot;

struct StoreMemo {
	MemoSlot *slots;
	size_t cap, used;
};

void store_memo_begin(Store *s)
{
	store_memo_end(s);
	s->memo = xcalloc(1, sizeof *s->memo);
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
