/*
 * store_totals.c — exact running totals per day behind the progress
 * measures (store_totals.h).
 *
 * Pages ask for the same measure over many windows that all start on the
 * plan's first day: a year's figure, the year-end forecast, sixty monthly
 * points of a line. The first such call reads the measure's records once,
 * by day (store_progress.c's days_* statements), into a running
 * total per day from `from` to the plan's last day; later windows are one
 * array read. Sums are added day by day in date order.
 *
 * The totals belong to one connection (a Store) and live while the
 * database is unchanged: they are dropped when another connection has
 * committed, when this one wrote, and are neither read nor made while a
 * transaction is open (see cache_check). So each answer is what the
 * measure's SQL says of the database as it stands. At most TOTAL_SLOTS
 * totals (about 15 kB each for five plan years) per connection, the least
 * recently used replaced. HATCHERY_MEASURE_CACHE=0 turns them off (the
 * benchmarks time the SQL alone with it).
 */
#include "store_internal.h"
#include "store_totals.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOTAL_SLOTS 32

typedef struct DayTotals {
	int used;
	const char *sql;      /* the grouped statement: which measure and scope */
	char level[32], area[64], from[11];
	long from_day;
	int ndays;
	double *cum;          /* cum[d]: the measure over [from, from + d days] */
	unsigned long last_use;
} DayTotals;

typedef struct TotalsCache {
	sqlite3 *db;
	int fresh;
	long long data_version, changes, checked_us;
	unsigned int pager_version;
	long end_day;         /* the plan's last day; 0 when the database has no plan years */
	unsigned long clock;
	DayTotals t[TOTAL_SLOTS];
	struct TotalsCache *next;
} TotalsCache;

static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;
static TotalsCache *caches;

static void cache_drop(TotalsCache *c)
{
	for (int i = 0; i < TOTAL_SLOTS; i++) {
		free(c->t[i].cum);
		memset(&c->t[i], 0, sizeof c->t[i]);
	}
}

/* Called by SQLite when the connection closes (or registration fails). */
static void cache_destroy(void *p)
{
	TotalsCache *c = p;
	pthread_mutex_lock(&caches_lock);
	for (TotalsCache **pp = &caches; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pthread_mutex_unlock(&caches_lock);
	cache_drop(c);
	free(c);
}

static void cache_tag(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_null(ctx);
}

static int cache_enabled(void)
{
	static int enabled = -1;
	if (enabled < 0) {
		const char *v = getenv("HATCHERY_MEASURE_CACHE");
		enabled = !(v && strcmp(v, "0") == 0);
	}
	return enabled;
}

/* The connection's cache, created on first use; NULL when off. The cache
 * lives as long as the connection: a function registered on it carries the
 * destructor, so a later connection at the same address never sees it. */
static TotalsCache *cache_of(Store *s)
{
	if (!cache_enabled())
		return NULL;
	pthread_mutex_lock(&caches_lock);
	TotalsCache *c = caches;
	while (c && c->db != s->db)
		c = c->next;
	pthread_mutex_unlock(&caches_lock);
	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->db = s->db;
	if (sqlite3_create_function_v2(s->db, "hatchery_measure_totals", 0, SQLITE_UTF8, c, cache_tag, NULL, NULL,
	                               cache_destroy) != SQLITE_OK)
		return NULL; /* cache_destroy has freed it */
	pthread_mutex_lock(&caches_lock);
	c->next = caches;
	caches = c;
	pthread_mutex_unlock(&caches_lock);
	return c;
}

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Drops the totals when the database may have changed since they were
 * read; 0 when the cache must not be used now (a transaction is open).
 *
 * The pager's data version (SQLITE_FCNTL_DATA_VERSION, a memory read)
 * moves whenever a statement of this connection finds a commit of another
 * connection, and at this connection's own commits; every caller runs a
 * read (the targets) before its measures, so a commit made before the
 * request is always seen. PRAGMA data_version asks the WAL itself; it runs
 * when more than RECHECK_US have passed since it last ran, so a commit made
 * while no statement ran on this connection is seen within that time. */
#define RECHECK_US 1000
static int cache_check(Store *s, TotalsCache *c)
{
	static const char q_version[] = "PRAGMA data_version";
	static const char q_end[] = "SELECT max(year) FROM plan_year";
	if (!sqlite3_get_autocommit(s->db))
		return 0;
	unsigned int pager_version = 0;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &pager_version) != SQLITE_OK)
		return 0;
	long long ch = sqlite3_total_changes64(s->db), t = now_us();
	if (c->fresh && pager_version == c->pager_version && ch == c->changes && t - c->checked_us < RECHECK_US)
		return 1;
	sqlite3_stmt *st = store_stmt(s, q_version);
	if (!st)
		return 0;
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (v < 0)
		return 0;
	/* the PRAGMA's read may itself have moved the pager's version */
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &pager_version);
	c->checked_us = t;
	if (c->fresh && v == c->data_version && pager_version == c->pager_version && ch == c->changes)
		return 1;
	cache_drop(c);
	c->fresh = 0;
	c->end_day = 0;
	if (!(st = store_stmt(s, q_end)))
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		char dec31[24];
		snprintf(dec31, sizeof dec31, "%04d-12-31", sqlite3_column_int(st, 0));
		c->end_day = date_days(dec31);
	}
	sqlite3_reset(st);
	c->data_version = v;
	c->pager_version = pager_version;
	c->changes = ch;
	c->fresh = 1;
	return 1;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Reads the measure grouped by day into running totals; NULL when a day
 * is not an ISO date (then the caller asks SQL for the window itself). */
static DayTotals *totals_build(Store *s, TotalsCache *c, const char *sql, const char *level, const char *area,
                               const char *from)
{
	if (strlen(from) != 10 || !date_valid(from) || strlen(area ? area : "") >= 64 || strlen(level ? level : "") >= 32)
		return NULL;
	long from_day = date_days(from);
	if (c->end_day < from_day)
		return NULL;
	int ndays = (int)(c->end_day - from_day + 1);
	char end[11];
	date_from_days(c->end_day, end);
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return NULL;
	bind_text(st, 1, area);
	bind_text(st, 2, from);
	bind_text(st, 3, end);
	if (sqlite3_bind_parameter_count(st) >= 4)
		bind_text(st, 4, level);
	double *cum = calloc((size_t)ndays, sizeof *cum);
	if (!cum) {
		sqlite3_reset(st);
		return NULL;
	}
	int rc, bad = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *day = (const char *)sqlite3_column_text(st, 0);
		long d = day && strlen(day) == 10 && date_valid(day) ? date_days(day) - from_day : -1;
		if (d < 0 || d >= ndays) {
			bad = 1;
			break;
		}
		cum[d] += sqlite3_column_double(st, 1);
	}
	sqlite3_reset(st);
	if (bad || rc != SQLITE_DONE) {
		free(cum);
		return NULL;
	}
	for (int d = 1; d < ndays; d++)
		cum[d] += cum[d - 1];
	/* the least recently used slot */
	DayTotals *t = &c->t[0];
	for (int i = 0; i < TOTAL_SLOTS; i++) {
		if (!c->t[i].used) {
			t = &c->t[i];
			break;
		}
		if (c->t[i].last_use < t->last_use)
			t = &c->t[i];
	}
	free(t->cum);
	memset(t, 0, sizeof *t);
	t->used = 1;
	t->sql = sql;
	snprintf(t->level, sizeof t->level, "%s", level ? level : "");
	snprintf(t->area, sizeof t->area, "%s", area ? area : "");
	snprintf(t->from, sizeof t->from, "%s", from);
	t->from_day = from_day;
	t->ndays = ndays;
	t->cum = cum;
	return t;
}

int store_totals_lookup(Store *s, const char *sql, const char *level, const char *area, const char *from,
                        const char *to, double *out)
{
	TotalsCache *c = cache_of(s);
	if (!c || !cache_check(s, c) || !c->end_day || !from || !to || strlen(to) != 10 || !date_valid(to))
		return 0;
	long to_day = date_days(to);
	if (to_day > c->end_day)
		return 0;
	DayTotals *t = NULL;
	for (int i = 0; i < TOTAL_SLOTS && !t; i++) {
		DayTotals *x = &c->t[i];
		if (x->used && x->sql == sql && strcmp(x->from, from) == 0 && same(x->area[0] ? x->area : NULL, area) &&
		    strcmp(x->level, level ? level : "") == 0)
			t = x;
	}
	if (!t && !(t = totals_build(s, c, sql, level, area, from)))
		return 0;
	t->last_use = ++c->clock;
	long d = to_day - t->from_day;
	*out = d < 0 ? 0 : t->cum[d];
	return 1;
}
