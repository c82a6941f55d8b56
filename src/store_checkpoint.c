/*
 * store_checkpoint.c — the server's WAL checkpoints, in a thread of their own
 * (store_checkpoint.h).
 *
 * SQLite copies the WAL back into the database file (a checkpoint) in
 * whichever connection commits the transaction that takes the WAL past
 * 1,000 pages, so one request waits for it: 0.15 s of a 100,000-row import,
 * and now and then a few milliseconds of an ordinary save. The server's
 * connections hand that to this thread instead: their WAL hook (which
 * replaces SQLite's automatic checkpoint) wakes it, and it runs a PASSIVE
 * checkpoint on its own connection — which never waits for readers or
 * writers and copies what it can. It also runs every few seconds whatever
 * happens, and once more when the server stops. Other programs on the same
 * database (the CLI) keep SQLite's automatic checkpoints.
 */
#include "store_checkpoint.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define WAKE_PAGES 1000   /* as SQLite's wal_autocheckpoint */
#define EVERY_SECONDS 5

struct Checkpointer {
	Store *store;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int pending, stopping;
	long long runs, frames;
};

/* One PASSIVE checkpoint; counts what it copied. */
static void checkpoint_once(Checkpointer *c)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(store_db(c->store), "main", SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	pthread_mutex_lock(&c->lock);
	c->runs++;
	if (rc == SQLITE_OK && done > 0)
		c->frames += done;
	pthread_mutex_unlock(&c->lock);
}

static void *run(void *arg)
{
	Checkpointer *c = arg;
	pthread_mutex_lock(&c->lock);
	while (!c->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += EVERY_SECONDS;
		while (!c->pending && !c->stopping)
			if (pthread_cond_timedwait(&c->wake, &c->lock, &until) == ETIMEDOUT)
				break;
		c->pending = 0;
		pthread_mutex_unlock(&c->lock);
		checkpoint_once(c);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

Checkpointer *checkpointer_start(const char *db_path, char *err, size_t errsz)
{
	Store *s = store_open(db_path, 0, err, errsz);
	if (!s)
		return NULL;
	Checkpointer *c = xcalloc(1, sizeof *c);
	c->store = s;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, run, c) != 0) {
		snprintf(err, errsz, "cannot start the checkpoint thread");
		store_close(s);
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		free(c);
		return NULL;
	}
	return c;
}

/* The watched connections' WAL hook: runs after each commit, with the
 * WAL's size in pages. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	Checkpointer *c = arg;
	if (pages >= WAKE_PAGES) {
		pthread_mutex_lock(&c->lock);
		c->pending = 1;
		pthread_cond_signal(&c->wake);
		pthread_mutex_unlock(&c->lock);
	}
	return SQLITE_OK;
}

void checkpointer_watch(Checkpointer *c, Store *s)
{
	if (c && s)
		sqlite3_wal_hook(store_db(s), on_commit, c);
}

void checkpointer_stop(Checkpointer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	checkpoint_once(c);
	store_close(c->store);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void checkpointer_counts(Checkpointer *c, long long *runs, long long *frames)
{
	pthread_mutex_lock(&c->lock);
	*runs = c->runs;
	*frames = c->frames;
	pthread_mutex_unlock(&c->lock);
}
