/*
 * store_totals.c — the progress measures read from measure_total (schema
 * step 6, store_measures_sql.h), which triggers keep exact in the
 * transaction of every change (store_totals.h).
 *
 * A window [from, to] is what the months from from's month up to to's
 * month add (g 'm' rows), plus the days of to's month up to to, minus the
 * days of from's month before from (g 'd' rows). Dates compare as text as
 * in the records' own SQL, so the answer is what that SQL counts, whatever
 * the dates hold.
 *
 * Pages ask for one series over many windows (a year's figure, the
 * forecast, sixty monthly points), so outside a transaction a connection
 * keeps each series' months it has read (their running sums and the upper
 * bound of their days) while the database is unchanged: a window ending
 * on or after its month's bound is two array reads, else one more read of
 * that month's days. Every read is checked against the connection's data
 * version: when another connection committed meanwhile, the series are
 * dropped and the window is answered by one statement, which is one
 * snapshot. Inside a transaction (the connection's own writes are not yet
 * committed) only that statement is used. HATCHERY_MEASURE_CACHE=0 turns
 * the totals off: store_progress.c then counts the records (the benchmarks
 * time that SQL with it).
 */
#include "store_internal.h"
#include "store_totals.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SERIES_SLOTS 512 /* a power of two; direct-mapped by the key's hash */

typedef struct Month {
	char key[8];  /* the month row's key (a date's first seven characters) */
	char hi[12];  /* no day of the row is after this */
	long long v;  /* the month's total, in hundredths */
	long long cum; /* the months up to and including this one */
} Month;

typedef struct Series {
	int used;
	char key[160]; /* series \x1f level \x1f scope */
	int nmonths;
	Month *m;
	int lt_known;  /* the last answer of "before from" for lt_from */
	char lt_from[11];
	long long lt;
} Series;

typedef struct TotalsCache {
	sqlite3 *db;
	int fresh;
	long long data_version, changes, checked_us;
	unsigned int pager_version;
	Series slot[SERIES_SLOTS];
	struct TotalsCache *next;
} TotalsCache;

static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;
static TotalsCache *caches;

static void cache_drop(TotalsCache *c)
{
	for (int i = 0; i < SERIES_SLOTS; i++) {
		free(c->slot[i].m);
		memset(&c->slot[i], 0, sizeof c->slot[i]);
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

static int enabled = -1;

static int totals_enabled(void)
{
	if (enabled < 0) {
		const char *v = getenv("HATCHERY_MEASURE_CACHE");
		enabled = !(v && strcmp(v, "0") == 0);
	}
	return enabled;
}

void store_totals_set_enabled(int on)
{
	enabled = on ? 1 : 0;
}

/* The connection's memory, created on first use. It lives as long as the
 * connection: a function registered on it carries the destructor, so a
 * later connection at the same address never sees it. */
static TotalsCache *cache_of(Store *s)
{
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

static unsigned int pager_version(Store *s)
{
	unsigned int v = 0;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	return v;
}

/* Drops the memory when the database may have changed since it was read;
 * 0 on error.
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
	unsigned int pv = pager_version(s);
	long long ch = sqlite3_total_changes64(s->db), t = now_us();
	if (c->fresh && pv == c->pager_version && ch == c->changes && t - c->checked_us < RECHECK_US)
		return 1;
	sqlite3_stmt *st = store_stmt(s, q_version);
	if (!st)
		return 0;
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (v < 0)
		return 0;
	/* the PRAGMA's read may itself have moved the pager's version */
	pv = pager_version(s);
	c->checked_us = t;
	if (c->fresh && v == c->data_version && pv == c->pager_version && ch == c->changes)
		return 1;
	cache_drop(c);
	c->data_version = v;
	c->pager_version = pv;
	c->changes = ch;
	c->fresh = 1;
	return 1;
}

/* 1 while nothing has committed since the memory was checked: what a read
 * just gave belongs to the same state as the rest. */
static int still_same(Store *s, TotalsCache *c)
{
	if (pager_version(s) == c->pager_version && sqlite3_total_changes64(s->db) == c->changes)
		return 1;
	cache_drop(c);
	c->fresh = 0;
	return 0;
}

/* The window in one statement (one snapshot): ?1 series, ?2 level, ?3
 * scope, ?4 from's month, ?5 to's month, ?6 from, ?7 to. */
static int window_sql(Store *s, const char *series, const char *level, const char *scope, const char *from,
                      const char *to, long long *out)
{
	static const char sql[] =
		"SELECT (SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 AND scope = ?3 "
		"AND g = 'm' AND key >= ?4 AND key < ?5) "
		"+ (SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 AND scope = ?3 "
		"AND g = 'd' AND key >= ?5 AND key <= ?7) "
		"- (SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 AND scope = ?3 "
		"AND g = 'd' AND key >= ?4 AND key < ?6)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	char mf[8], mt[8];
	snprintf(mf, sizeof mf, "%.7s", from);
	snprintf(mt, sizeof mt, "%.7s", to);
	bind_text(st, 1, series);
	bind_text(st, 2, level);
	bind_text(st, 3, scope);
	bind_text(st, 4, mf);
	bind_text(st, 5, mt);
	bind_text(st, 6, from);
	bind_text(st, 7, to);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? H_OK : store_fail(s, "progress totals");
}

/* The days of month (a 7-character key) in [month, day] (or [month, day)
 * when before): one index range. */
static int days_sql(Store *s, const char *series, const char *level, const char *scope, const char *month,
                    const char *day, int before, long long *out)
{
	static const char upto[] = "SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 "
	                           "AND scope = ?3 AND g = 'd' AND key >= ?4 AND key <= ?5";
	static const char below[] = "SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 "
	                            "AND scope = ?3 AND g = 'd' AND key >= ?4 AND key < ?5";
	sqlite3_stmt *st = store_stmt(s, before ? below : upto);
	if (!st)
		return H_ERR;
	bind_text(st, 1, series);
	bind_text(st, 2, level);
	bind_text(st, 3, scope);
	bind_text(st, 4, month);
	bind_text(st, 5, day);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? H_OK : store_fail(s, "progress totals by day");
}

/* Reads a series' months into slot x; H_ERR on a store error. */
static int series_load(Store *s, Series *x, const char *key, const char *series, const char *level,
                       const char *scope)
{
	static const char sql[] = "SELECT key, v, hi FROM measure_total WHERE measure = ?1 AND level = ?2 "
	                          "AND scope = ?3 AND g = 'm' ORDER BY key";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, series);
	bind_text(st, 2, level);
	bind_text(st, 3, scope);
	free(x->m);
	memset(x, 0, sizeof *x);
	int cap = 0, rc;
	long long cum = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *hi = (const char *)sqlite3_column_text(st, 2);
		if (x->nmonths == cap) {
			cap = cap ? cap * 2 : 64;
			Month *m = realloc(x->m, (size_t)cap * sizeof *m);
			if (!m) {
				sqlite3_reset(st);
				free(x->m);
				x->m = NULL;
				x->nmonths = 0;
				return store_fail(s, "progress totals: out of memory");
			}
			x->m = m;
		}
		Month *m = &x->m[x->nmonths++];
		/* a key or bound too long for the row: "z" sorts after every
		 * date, so such a month is always read by day */
		snprintf(m->key, sizeof m->key, "%s", k && strlen(k) < sizeof m->key ? k : "");
		snprintf(m->hi, sizeof m->hi, "%s", hi && strlen(hi) < sizeof m->hi ? hi : "z");
		m->v = sqlite3_column_int64(st, 1);
		cum += m->v;
		m->cum = cum;
		if (!k || strlen(k) >= sizeof m->key) {
			/* a month key of eight characters or more cannot come from a
			 * date's first seven: keep none of this series */
			rc = SQLITE_MISUSE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(x->m);
		memset(x, 0, sizeof *x);
		return rc == SQLITE_MISUSE ? H_OK : store_fail(s, "progress totals by month");
	}
	x->used = 1;
	snprintf(x->key, sizeof x->key, "%s", key);
	return H_OK;
}

/* The index of the first month whose key is not below k. */
static int months_below(const Series *x, const char *k)
{
	int lo = 0, hi = x->nmonths;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (strcmp(x->m[mid].key, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* What the series holds on days up to `day` (before: strictly before):
 * the months before day's month, and of day's month the whole row when its
 * days end by then, else its days read. 0: ask window_sql. */
static int series_upto(Store *s, TotalsCache *c, Series *x, const char *series, const char *level,
                       const char *scope, const char *day, int before, long long *out)
{
	char month[8];
	snprintf(month, sizeof month, "%.7s", day);
	int i = months_below(x, month);
	long long v = i > 0 ? x->m[i - 1].cum : 0;
	if (i < x->nmonths && strcmp(x->m[i].key, month) == 0) {
		int cmp = strcmp(x->m[i].hi, day);
		if (before ? cmp < 0 : cmp <= 0) {
			v += x->m[i].v;
		} else {
			long long d = 0;
			if (days_sql(s, series, level, scope, month, day, before, &d) != H_OK)
				return -1;
			if (!still_same(s, c))
				return 0;
			v += d;
		}
	}
	*out = v;
	return 1;
}

int store_totals_lookup(Store *s, const char *series, const char *level, const char *area, const char *from,
                        const char *to, double *out)
{
	if (!totals_enabled() || !from || !to || strlen(from) != 10 || strlen(to) != 10 || !date_valid(from) ||
	    !date_valid(to))
		return 0;
	if (!level) {
		*out = 0; /* a level compared with NULL matches no row */
		return 1;
	}
	if (strcmp(from, to) > 0) {
		*out = 0;
		return 1;
	}
	const char *scope = area ? area : "*";
	char key[160];
	if ((size_t)snprintf(key, sizeof key, "%s\x1f%s\x1f%s", series, level, scope) >= sizeof key)
		return 0;
	TotalsCache *c = sqlite3_get_autocommit(s->db) ? cache_of(s) : NULL;
	long long le = 0, lt = 0;
	if (c && cache_check(s, c)) {
		Series *x = &c->slot[hash_fnv1a(key, strlen(key)) & (SERIES_SLOTS - 1)];
		if (!x->used || strcmp(x->key, key) != 0) {
			if (series_load(s, x, key, series, level, scope) != H_OK)
				return -1;
			if (!still_same(s, c) || !x->used)
				goto one_statement;
		}
		int r = series_upto(s, c, x, series, level, scope, to, 0, &le);
		if (r < 0)
			return -1;
		if (r == 0)
			goto one_statement;
		if (x->lt_known && strcmp(x->lt_from, from) == 0) {
			lt = x->lt;
		} else {
			if ((r = series_upto(s, c, x, series, level, scope, from, 1, &lt)) < 0)
				return -1;
			if (r == 0)
				goto one_statement;
			x->lt_known = 1;
			snprintf(x->lt_from, sizeof x->lt_from, "%s", from);
			x->lt = lt;
		}
		*out = (double)(le - lt) / 100.0;
		return 1;
	}
one_statement:
	if (window_sql(s, series, level, scope, from, to, &le) != H_OK)
		return -1;
	*out = (double)le / 100.0;
	return 1;
}
