/*
 * store_checkpoint.h — the server's WAL checkpoints, in a thread of their own
 * (see store_checkpoint.c).
 */
#ifndef HATCHERY_STORE_CHECKPOINT_H
#define HATCHERY_STORE_CHECKPOINT_H

#include <stddef.h>

#include "store.h"

typedef struct Checkpointer Checkpointer;

/* Opens its own connection to the database and starts the thread; NULL
 * with err set when the database cannot be opened. */
Checkpointer *checkpointer_start(const char *db_path, char *err, size_t errsz);
/* Hands s's checkpoints to c: s no longer checkpoints when it commits, it
 * wakes c once the WAL has grown past SQLite's usual 1,000 pages. */
void checkpointer_watch(Checkpointer *c, Store *s);
/* A last checkpoint, then the thread ends and its connection closes. Call
 * once the watched connections are closed. */
void checkpointer_stop(Checkpointer *c);

/* How many checkpoints have run, and how many WAL frames they copied. */
void checkpointer_counts(Checkpointer *c, long long *runs, long long *frames);

#endif
