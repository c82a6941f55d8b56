/*
 * store_internal.h — shared by the store*.c files only: the connection
 * struct, the statement cache and binding helpers.
 */
#ifndef HATCHERY_STORE_INTERNAL_H
#define HATCHERY_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* Every sqlite3_step of the store*.c files goes through store_fault_step,
 * which makes the one chosen by store_fault_set fail (store.c). */
int store_fault_step(sqlite3_stmt *st);
#define sqlite3_step(st) store_fault_step(st)

/* The statements a connection keeps prepared: when all slots are taken,
 * the least recently used one that is not in use is finalized (a clock:
 * each use sets a slot's bit, the hand clears bits until it finds one
 * clear), so any number of distinct statements can be asked for. */
#define STMT_CACHE_SLOTS 512
#define STORE_KEPT_SLOTS 16
#define STMT_CACHE_BUCKETS 1024 /* a power of two: the hash index over the slots */

struct Store {
	sqlite3 *db;
	struct {
		const char *sql;  /* key: the address of a static SQL text */
		sqlite3_stmt *stmt;
		int next;         /* the next slot of the same bucket + 1; 0: none */
		unsigned char used; /* the clock's bit: used since the hand last passed */
	} cache[STMT_CACHE_SLOTS];
	int bucket[STMT_CACHE_BUCKETS]; /* the first slot of each bucket + 1; 0: none */
	int ncache;       /* slots filled so far */
	int hand;         /* the clock's hand */
	long long evicted; /* statements finalized to make room (store_stmt_evictions) */
	/* every target, grouped by scope (store_targets_by_scope), kept while
	 * the stamp of what is in no area stays at targets_global; their
	 * strings are interned in strings, which lives as long as the
	 * connection (at most STRINGS_MAX_BYTES, past which nothing is kept) */
	struct Target *targets;
	int ntargets, targets_kept;
	long long targets_global;
	char **strings;    /* open addressing over strings_cap slots */
	size_t strings_cap, strings_used, strings_bytes;
	void *totals;     /* store_totals.c's memory of this connection (freed with it) */
	struct {          /* what the pages of every area keep on this connection (store_kept) */
		const void *tag;
		void *p;
		void (*drop)(void *);
	} kept[STORE_KEPT_SLOTS];
	struct StoreMemo *memo; /* the lookups an import repeats (store_memo.c); NULL outside one */
	int memo_cache_was;     /* the page cache's size before an import raised it (store_memo.c); 0: not raised */
	char err[512];
	int disk_error;   /* SQLITE_FULL or SQLITE_IOERR seen since store_disk_error_clear() */
};

/* A lookup's answer kept by store_memo.c: what each lookup keeps is its own
 * (store_records.c). The texts are copied in and owned by the memo. */
typedef struct StoreMemoValue {
	long long id, id2;
	char *text, *text2;
} StoreMemoValue;
/* The answer kept for key: 1 (in *out, valid until the next put or
 * forget), 0 when none is kept or no import runs. */
int store_memo_get(Store *s, const char *key, StoreMemoValue *out);
/* Keeps v for key while an import runs (else nothing). */
void store_memo_put(Store *s, const char *key, const StoreMemoValue *v);
/* Forgets every answer: called by each write of the records. */
void store_memo_forget(Store *s);

/*
 * Returns the prepared statement for sql, preparing it on first use on this
 * connection. sql must be a string with static storage: its address is the
 * cache key. The statement comes back reset with its bindings cleared.
 * Returns NULL (and sets s->err) when SQLite refuses the text. A statement
 * stays valid until the connection closes or, once STMT_CACHE_SLOTS others
 * have been asked for since its last use, it is made room for; one being
 * stepped (sqlite3_stmt_busy) is never finalized under its caller.
 */
sqlite3_stmt *store_stmt(Store *s, const char *sql);

/* How many statements this connection finalized to make room (tests). */
long long store_stmt_evictions(Store *s);

/* Records sqlite's current message in s->err and returns H_ERR. */
int store_fail(Store *s, const char *what);

/* Binding helpers: NULL strings bind NULL; *_or_null bind NULL for 0 / negatives. */
void bind_text(sqlite3_stmt *st, int i, const char *v);
void bind_id_or_null(sqlite3_stmt *st, int i, long long v);
void bind_int_or_null(sqlite3_stmt *st, int i, int v);

/* Column helpers copying into the arena (NULL stays NULL). */
const char *col_text(Arena *a, sqlite3_stmt *st, int i);
int col_int_or(sqlite3_stmt *st, int i, int dflt);

/* Runs a statement that returns no rows; H_OK on SQLITE_DONE. */
int store_step_done(Store *s, sqlite3_stmt *st, const char *what);

#endif
