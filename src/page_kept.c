/*
 * page_kept.c — pieces of HTML kept per connection (page_kept.h): a few per
 * kind, each under the key its writer gives, the least recently used
 * dropped first. Memory: at most 8 pieces and the caller's bound per kind.
 */
#include <stdlib.h>
#include <string.h>

#include "page_kept.h"

#define PIECES 8

typedef struct Piece {
	char *key, *data;
	size_t len;
	unsigned long long used;
} Piece;

typedef struct Pieces {
	Piece p[PIECES];
	unsigned long long clock;
	size_t bytes;
} Pieces;

static void *pieces_make(void)
{
	return calloc(1, sizeof(Pieces));
}

static void pieces_drop(void *v)
{
	Pieces *ps = v;
	for (int i = 0; i < PIECES; i++) {
		free(ps->p[i].key);
		free(ps->p[i].data);
	}
	free(ps);
}

int page_kept_find(Store *s, const void *tag, const char *key, const char **data, size_t *len)
{
	Pieces *ps = store_kept(s, tag, pieces_make, pieces_drop);
	if (!ps)
		return 0;
	for (int i = 0; i < PIECES; i++)
		if (ps->p[i].key && strcmp(ps->p[i].key, key) == 0) {
			ps->p[i].used = ++ps->clock;
			*data = ps->p[i].data;
			*len = ps->p[i].len;
			return 1;
		}
	return 0;
}

int page_kept_get(Store *s, const void *tag, const char *key, Buf *out)
{
	Pieces *ps = store_kept(s, tag, pieces_make, pieces_drop);
	if (!ps)
		return 0;
	for (int i = 0; i < PIECES; i++)
		if (ps->p[i].key && strcmp(ps->p[i].key, key) == 0) {
			ps->p[i].used = ++ps->clock;
			buf_append(out, ps->p[i].data, ps->p[i].len);
			return 1;
		}
	return 0;
}

static void piece_free(Pieces *ps, Piece *x)
{
	if (!x->key)
		return;
	ps->bytes -= x->len;
	free(x->key);
	free(x->data);
	memset(x, 0, sizeof *x);
}

void page_kept_put(Store *s, const void *tag, const char *key, const char *data, size_t len, size_t max_bytes)
{
	Pieces *ps = store_kept(s, tag, pieces_make, pieces_drop);
	if (!ps || len > max_bytes)
		return;
	for (int i = 0; i < PIECES; i++)
		if (ps->p[i].key && strcmp(ps->p[i].key, key) == 0)
			piece_free(ps, &ps->p[i]);
	for (;;) {
		Piece *lru = NULL, *empty = NULL;
		for (int i = 0; i < PIECES; i++) {
			Piece *x = &ps->p[i];
			if (!x->key)
				empty = empty ? empty : x;
			else if (!lru || x->used < lru->used)
				lru = x;
		}
		if (empty && ps->bytes + len <= max_bytes) {
			empty->key = strdup(key);
			empty->data = malloc(len ? len : 1);
			if (!empty->key || !empty->data) {
				free(empty->key);
				free(empty->data);
				empty->key = empty->data = NULL;
				return;
			}
			memcpy(empty->data, data, len);
			empty->len = len;
			empty->used = ++ps->clock;
			ps->bytes += len;
			return;
		}
		if (!lru)
			return;
		piece_free(ps, lru);
	}
}
