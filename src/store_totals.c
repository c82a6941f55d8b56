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

/* A connection keeps at most this much of the series it has read; past
 * it, everything is dropped and read again as asked (a plan of 381 areas
 * and 12 indicators keeps about 4,000 series in about 5 MB). */
#define TOTALS_MAX_BYTES (16u << 20)

typedef struct Month {
	char key[8];  /* the month row's key (a date's first seven characters) */
	char hi[12];  /* no day of the row is after this */
	long long v;  /* the month's total, in hundredths */
	long long cum; /* the months up to and including this one */
} Month;

typedef struct Series {
	char *key;     /* series \x1f level \x1f scope (malloc'd) */
	const char *scope; /* in key, after its second \x1f */
	uint32_t hash; /* of key */
	int nmonths;
	Month *m;
	int lt_known;  /* the last answer of "before from" for lt_from */
	char lt_from[11];
	long long lt;
	struct {       /* the last days read of a month (days_sql), by day */
		char day[11];
		int before;
		long long v;
	} days[4];
	int ndays, days_next;
} Series;

/* The series read, by key: open addressing with linear probing over a
 * power-of-two table kept at most half full. */
typedef struct TotalsCache {
	sqlite3 *db;
	int fresh;     /* the series are known to be valid at stamp */
	int recheck;   /* a read found a commit: ask the stamps before the next use */
	long long data_version, changes, checked_us;
	unsigned int pager_version;
	long long stamp;  /* data_stamp.n the series are valid at */
	long long global; /* data_stamp.n - area_n then: moves with what is in no area */
	Series **slot;
	size_t cap, used, bytes;
	long long loads; /* series read from the table (store_totals_loads) */
	struct TotalsCache *next;
} TotalsCache;

static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;
static TotalsCache *caches;

static void series_free(Series *x)
{
	if (!x)
		return;
	free(x->key);
	free(x->m);
	free(x);
}

static void cache_drop(TotalsCache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		series_free(c->slot[i]);
	free(c->slot);
	c->slot = NULL;
	c->cap = c->used = c->bytes = 0;
}

/* Keeps the series for which keep(x, arg) says so; the table is made again
 * (linear probing has no cheap delete). */
static void cache_filter(TotalsCache *c, int (*keep)(const Series *, void *), void *arg)
{
	size_t cap = c->cap;
	Series **old = c->slot;
	if (!old)
		return;
	Series **slot = calloc(cap, sizeof *slot);
	if (!slot) {
		cache_drop(c);
		return;
	}
	c->used = 0;
	for (size_t i = 0; i < cap; i++) {
		Series *x = old[i];
		if (!x)
			continue;
		if (!keep(x, arg)) {
			c->bytes -= sizeof *x + strlen(x->key) + 1 + (size_t)x->nmonths * sizeof *x->m;
			series_free(x);
			continue;
		}
		size_t k = x->hash & (cap - 1);
		while (slot[k])
			k = (k + 1) & (cap - 1);
		slot[k] = x;
		c->used++;
	}
	free(old);
	c->slot = slot;
}

/* The series of key (hash h), or NULL. */
static Series *cache_find(const TotalsCache *c, const char *key, uint32_t h)
{
	if (!c->cap)
		return NULL;
	for (size_t k = h & (c->cap - 1);; k = (k + 1) & (c->cap - 1)) {
		Series *x = c->slot[k];
		if (!x)
			return NULL;
		if (x->hash == h && strcmp(x->key, key) == 0)
			return x;
	}
}

/* Adds x (not in the table); 0 when out of memory (x is then not kept). */
static int cache_add(TotalsCache *c, Series *x)
{
	size_t bytes = sizeof *x + strlen(x->key) + 1 + (size_t)x->nmonths * sizeof *x->m;
	if (c->bytes + bytes > TOTALS_MAX_BYTES)
		cache_drop(c);
	if ((c->used + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		Series **slot = calloc(cap, sizeof *slot);
		if (!slot)
			return 0;
		for (size_t i = 0; i < c->cap; i++) {
			Series *y = c->slot[i];
			if (!y)
				continue;
			size_t k = y->hash & (cap - 1);
			while (slot[k])
				k = (k + 1) & (cap - 1);
			slot[k] = y;
		}
		free(c->slot);
		c->slot = slot;
		c->cap = cap;
	}
	size_t k = x->hash & (c->cap - 1);
	while (c->slot[k])
		k = (k + 1) & (c->cap - 1);
	c->slot[k] = x;
	c->used++;
	c->bytes += bytes;
	return 1;
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
static TotalsCache *cache_find_of(Store *s)
{
	pthread_mutex_lock(&caches_lock);
	TotalsCache *c = caches;
	while (c && c->db != s->db)
		c = c->next;
	pthread_mutex_unlock(&caches_lock);
	return c;
}

static TotalsCache *cache_of(Store *s)
{
	if (s->totals) /* this Store's own connection: no lookup, no lock */
		return s->totals;
	TotalsCache *c = cache_find_of(s);
	if (c)
		return s->totals = c;
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
	return s->totals = c;
}

long long store_totals_loads(Store *s)
{
	TotalsCache *c = cache_find_of(s);
	return c ? c->loads : 0;
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

/* The scopes whose series a commit may have changed: those areas (and the
 * whole plan when there is any). */
typedef struct Changed {
	char **areas;
	int n, cap;
} Changed;

static int keep_unchanged(const Series *x, void *arg)
{
	const Changed *ch = arg;
	if (!ch->n)
		return 1;
	if (strcmp(x->scope, "*") == 0)
		return 0;
	for (int i = 0; i < ch->n; i++)
		if (strcmp(ch->areas[i], x->scope) == 0)
			return 0;
	return 1;
}

/* After commits made since the series were valid at c->stamp: drops the
 * series those commits may have changed, by the stamps (schema step 7):
 * measure_total's rows of a scope change only in a transaction that moves
 * that area's area_stamp (a record's triggers touch its area and every
 * area above), or moves n - area_n (what is in no area: the plan and its
 * areas, operators, a bulk load or a rebuild, which move every stamp).
 * The stamps are read in one statement, one snapshot; the series kept are
 * then valid at it. H_ERR on a store error (the caller drops everything). */
static int cache_refresh(Store *s, TotalsCache *c)
{
	static const char sql[] = "SELECT d.n, d.n - d.area_n, a.area FROM data_stamp d "
	                          "LEFT JOIN area_stamp a ON a.n > ?1 WHERE d.id = 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, c->fresh ? c->stamp : (long long)1 << 62);
	Changed ch = {0};
	long long n = -1, global = -1;
	int rc, ok = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		global = sqlite3_column_int64(st, 1);
		const char *area = (const char *)sqlite3_column_text(st, 2);
		if (!area || !ok)
			continue;
		if (ch.n == ch.cap) {
			int cap = ch.cap ? ch.cap * 2 : 16;
			char **v = realloc(ch.areas, (size_t)cap * sizeof *v);
			if (!v) {
				ok = 0;
				continue;
			}
			ch.areas = v;
			ch.cap = cap;
		}
		if (!(ch.areas[ch.n] = strdup(area)))
			ok = 0;
		else
			ch.n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || n < 0)
		ok = 0;
	if (ok && c->fresh && global == c->global)
		cache_filter(c, keep_unchanged, &ch);
	else
		cache_drop(c);
	for (int i = 0; i < ch.n; i++)
		free(ch.areas[i]);
	free(ch.areas);
	if (!ok)
		return rc != SQLITE_DONE ? store_fail(s, "progress totals: the data stamps") : H_ERR;
	c->stamp = n;
	c->global = global;
	return H_OK;
}

/* Brings the memory up to date when the database may have changed since
 * it was read; 0 on error (the caller then asks the table directly).
 *
 * The pager's data version (SQLITE_FCNTL_DATA_VERSION, a memory read)
 * moves whenever a statement of this connection finds a commit of another
 * connection, and at this connection's own commits; every caller runs a
 * read (the targets) before its measures, so a commit made before the
 * request is always seen. PRAGMA data_version asks the WAL itself; it runs
 * when more than RECHECK_US have passed since it last ran, so a commit made
 * while no statement ran on this connection is seen within that time.
 * When something was committed, the stamps say which series it may have
 * changed (cache_refresh): a reporter's change in one area keeps every
 * other area's series. */
#define RECHECK_US 1000
static int cache_check(Store *s, TotalsCache *c)
{
	static const char q_version[] = "PRAGMA data_version";
	unsigned int pv = pager_version(s);
	long long ch = sqlite3_total_changes64(s->db), t = now_us();
	if (c->fresh && !c->recheck && pv == c->pager_version && ch == c->changes && t - c->checked_us < RECHECK_US)
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
	if (c->fresh && !c->recheck && v == c->data_version && pv == c->pager_version && ch == c->changes)
		return 1;
	/* the versions are taken before the stamps: a commit after them is
	 * seen at the next check, and the stamps tell what it changed */
	c->data_version = v;
	c->pager_version = pv;
	c->changes = ch;
	if (cache_refresh(s, c) != H_OK) {
		cache_drop(c);
		c->fresh = 0;
		return 0;
	}
	/* the stamps' read may itself have found a later commit: that one is
	 * asked about at the next check */
	c->pager_version = pager_version(s);
	c->changes = sqlite3_total_changes64(s->db);
	if (c->pager_version != pv || c->changes != ch)
		c->recheck = 1;
	else
		c->recheck = 0;
	c->fresh = 1;
	return 1;
}

/* 1 while nothing has committed since the memory was checked: what a read
 * just gave belongs to the same state as the rest. Else the stamps are
 * asked before the memory is used again. */
static int still_same(Store *s, TotalsCache *c)
{
	if (pager_version(s) == c->pager_version && sqlite3_total_changes64(s->db) == c->changes)
		return 1;
	c->recheck = 1;
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

/* Reads a series' months into a new Series (*out; NULL when the series
 * cannot be kept: a month key that is no date's month); H_ERR on a store
 * error or out of memory. */
static int series_load(Store *s, TotalsCache *c, const char *key, uint32_t h, const char *series,
                       const char *level, const char *scope, Series **out)
{
	static const char sql[] = "SELECT key, v, hi FROM measure_total WHERE measure = ?1 AND level = ?2 "
	                          "AND scope = ?3 AND g = 'm' ORDER BY key";
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	Series *x = calloc(1, sizeof *x);
	size_t klen = strlen(key);
	if (!x || !(x->key = malloc(klen + 1))) {
		free(x);
		return store_fail(s, "progress totals: out of memory");
	}
	memcpy(x->key, key, klen + 1);
	const char *sep = strchr(x->key, '\x1f');
	sep = sep ? strchr(sep + 1, '\x1f') : NULL;
	x->scope = sep ? sep + 1 : x->key + klen;
	x->hash = h;
	c->loads++;
	bind_text(st, 1, series);
	bind_text(st, 2, level);
	bind_text(st, 3, scope);
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
				series_free(x);
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
		series_free(x);
		return rc == SQLITE_MISUSE ? H_OK : store_fail(s, "progress totals by month");
	}
	if (x->nmonths < cap) { /* keep what it holds only */
		Month *m = realloc(x->m, (size_t)(x->nmonths ? x->nmonths : 1) * sizeof *m);
		if (m)
			x->m = m;
	}
	*out = x;
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
	char month[8]; /* day's first seven characters (store_totals_lookup checked its ten) */
	memcpy(month, day, 7);
	month[7] = 0;
	int i = months_below(x, month);
	long long v = i > 0 ? x->m[i - 1].cum : 0;
	if (i < x->nmonths && strcmp(x->m[i].key, month) == 0) {
		int cmp = strcmp(x->m[i].hi, day);
		if (before ? cmp < 0 : cmp <= 0) {
			v += x->m[i].v;
		} else {
			long long d = 0;
			int k = 0;
			while (k < x->ndays && !(x->days[k].before == before && strcmp(x->days[k].day, day) == 0))
				k++;
			if (k < x->ndays) {
				d = x->days[k].v;
			} else {
				if (days_sql(s, series, level, scope, month, day, before, &d) != H_OK)
					return -1;
				if (!still_same(s, c))
					return 0;
				/* kept with the series: valid as long as its months are */
				k = x->ndays < (int)ARRAY_LEN(x->days) ? x->ndays++ : x->days_next++ % (int)ARRAY_LEN(x->days);
				snprintf(x->days[k].day, sizeof x->days[k].day, "%s", day);
				x->days[k].before = before;
				x->days[k].v = d;
			}
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
	size_t l1 = strlen(series), l2 = strlen(level), l3 = strlen(scope);
	if (l1 + l2 + l3 + 3 > sizeof key)
		return 0;
	memcpy(key, series, l1); /* series \x1f level \x1f scope */
	key[l1] = '\x1f';
	memcpy(key + l1 + 1, level, l2);
	key[l1 + 1 + l2] = '\x1f';
	memcpy(key + l1 + l2 + 2, scope, l3 + 1);
	TotalsCache *c = sqlite3_get_autocommit(s->db) ? cache_of(s) : NULL;
	long long le = 0, lt = 0;
	if (c && cache_check(s, c)) {
		uint32_t h = hash_fnv1a(key, l1 + l2 + l3 + 2);
		Series *x = cache_find(c, key, h);
		if (!x) {
			if (series_load(s, c, key, h, series, level, scope, &x) != H_OK)
				return -1;
			if (!x)
				goto one_statement;
			if (!still_same(s, c)) { /* read after a commit: kept, the stamps tell */
				if (!cache_add(c, x))
					series_free(x);
				goto one_statement;
			}
			if (!cache_add(c, x)) {
				series_free(x);
				goto one_statement;
			}
		}
		/* x stays in the table until the next cache_check: a read below
		 * that finds a commit only marks the memory for a recheck */
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

int store_totals_every_area(Store *s, Arena *a, const char *series, const char *level, const char *from,
                            const char *to, const char ***codes, double **values)
{
	/* window_sql's three ranges, per area: each an index range of
	 * (measure, level, scope, g, key) */
	static const char sql[] =
		"SELECT a.code, (SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 "
		"AND scope = a.code AND g = 'm' AND key >= ?3 AND key < ?4) "
		"+ (SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 AND scope = a.code "
		"AND g = 'd' AND key >= ?4 AND key <= ?6) "
		"- (SELECT coalesce(sum(v), 0) FROM measure_total WHERE measure = ?1 AND level = ?2 AND scope = a.code "
		"AND g = 'd' AND key >= ?3 AND key < ?5) FROM area a";
	static const char q_count[] = "SELECT count(*) FROM area";
	*codes = NULL;
	*values = NULL;
	if (!totals_enabled() || !from || !to || strlen(from) != 10 || strlen(to) != 10 || !date_valid(from) ||
	    !date_valid(to))
		return 0;
	int zero = !level || strcmp(from, to) > 0; /* store_totals_lookup's answers of 0 */
	sqlite3_stmt *st = store_stmt(s, zero ? q_count : sql);
	if (!st)
		return -1;
	if (zero) {
		long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		sqlite3_reset(st);
		if (n < 0)
			return store_fail(s, "areas"), -1;
		st = store_stmt(s, "SELECT code FROM area");
	}
	if (!st)
		return -1;
	char mf[8], mt[8];
	if (!zero) {
		snprintf(mf, sizeof mf, "%.7s", from);
		snprintf(mt, sizeof mt, "%.7s", to);
		bind_text(st, 1, series);
		bind_text(st, 2, level);
		bind_text(st, 3, mf);
		bind_text(st, 4, mt);
		bind_text(st, 5, from);
		bind_text(st, 6, to);
	}
	int n = 0, cap = 0, vcap = 0, vn = 0, rc;
	const char **c = NULL;
	double *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*(const char **)arena_push(a, (void *)&c, &n, &cap, sizeof *c) = col_text(a, st, 0);
		*(double *)arena_push(a, (void *)&v, &vn, &vcap, sizeof *v) =
			zero ? 0 : (double)sqlite3_column_int64(st, 1) / 100.0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "progress totals of every area"), -1;
	*codes = c;
	*values = v;
	return n;
}
