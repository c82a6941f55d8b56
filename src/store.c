/*
 * store.c — opening the database, pragmas, migrations, transactions, the
 * per-connection statement cache and settings.
 */
#include "store_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APPLICATION_ID 0x48415443 /* "HATC" */

/* ---- fault injection (store_fault_set) ---- */

static long fault_countdown; /* operations left before the failure; 0: disarmed */
static long fault_ops;       /* operations counted since store_fault_set */
static int fault_kind, fault_fired;
static _Thread_local int fault_last; /* this thread's last operation was the injected failure: its code */
/* The connection (of this thread) in whose transaction a statement failed
 * (other than by a constraint, which is an answer): nothing more runs in
 * that transaction and it cannot commit (store_fault_step, store_commit). */
static _Thread_local sqlite3 *tx_failed;
/* Statements of this thread that failed (store_failures). */
static _Thread_local unsigned long failures;
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;

void store_fault_set(long n, int kind)
{
	pthread_mutex_lock(&fault_lock);
	__atomic_store_n(&fault_countdown, n > 0 ? n : 0, __ATOMIC_RELAXED);
	fault_kind = kind;
	fault_fired = 0;
	fault_ops = 0;
	pthread_mutex_unlock(&fault_lock);
}

long store_fault_ops(void)
{
	pthread_mutex_lock(&fault_lock);
	long n = fault_ops;
	pthread_mutex_unlock(&fault_lock);
	return n;
}

int store_fault_fired(void)
{
	pthread_mutex_lock(&fault_lock);
	int f = fault_fired;
	pthread_mutex_unlock(&fault_lock);
	return f;
}

/* Counts one operation; returns the error code when it is the one to fail, else 0.
 * Disarmed, this is one relaxed load. */
static int fault_hit(void)
{
	fault_last = 0;
	if (!__atomic_load_n(&fault_countdown, __ATOMIC_RELAXED))
		return 0;
	int rc = 0;
	pthread_mutex_lock(&fault_lock);
	if (fault_countdown > 0)
		fault_ops++;
	/* stored atomically: another thread may be reading it unlocked, above
	 * (an import's saver and checker fail in turn) */
	if (fault_countdown > 0 && __atomic_sub_fetch(&fault_countdown, 1, __ATOMIC_RELAXED) == 0) {
		fault_fired = 1;
		rc = fault_kind;
	}
	pthread_mutex_unlock(&fault_lock);
	fault_last = rc;
	return rc;
}

/* A full or failing disk is said in the server's log at once, with what
 * was being written, and remembered for the answer (store_disk_error). */
static void note_disk_error(Store *s, const char *what, const char *msg)
{
	int code = fault_last ? fault_last : sqlite3_extended_errcode(s->db);
	if ((code & 0xff) != SQLITE_FULL && (code & 0xff) != SQLITE_IOERR)
		return;
	s->disk_error = code;
	fprintf(stderr, "hatchery: store: %s failed: %s (SQLite error %d: %s)\n", what, msg, code,
	        (code & 0xff) == SQLITE_FULL ? "the disk is full" : "the disk could not be written or read");
}

int store_fail(Store *s, const char *what)
{
	if (fault_last == SQLITE_ABORT)
		snprintf(s->err, sizeof s->err, "%s: not run: an earlier statement of the transaction failed", what);
	else if (fault_last) /* the connection's own message is from before: say what failed */
		snprintf(s->err, sizeof s->err, "%s: %s (injected)", what, sqlite3_errstr(fault_last));
	else
		snprintf(s->err, sizeof s->err, "%s: %s", what, sqlite3_errmsg(s->db));
	note_disk_error(s, what, fault_last ? sqlite3_errstr(fault_last) : sqlite3_errmsg(s->db));
	return H_ERR;
}

int store_disk_error(Store *s)
{
	return s->disk_error;
}

void store_disk_error_clear(Store *s)
{
	s->disk_error = 0;
}

const char *store_errmsg(Store *s)
{
	return s->err;
}

int store_constraint_failed(Store *s)
{
	if (fault_last)
		return 0;
	return (sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT;
}

sqlite3 *store_db(Store *s)
{
	return s->db;
}

static unsigned stmt_bucket(const char *sql)
{
	uint64_t h = (uint64_t)(uintptr_t)sql >> 3;
	h *= 0x9E3779B97F4A7C15ull;
	return (unsigned)(h >> 32) & (STMT_CACHE_BUCKETS - 1);
}

/* A slot to fill: the next free one, else the clock's victim (unlinked
 * from its bucket and finalized); -1 when every statement is being
 * stepped. */
static int stmt_slot(Store *s)
{
	if (s->ncache < STMT_CACHE_SLOTS)
		return s->ncache++;
	for (int turns = 0; turns < 2 * STMT_CACHE_SLOTS + 1; turns++) {
		int k = s->hand;
		s->hand = (s->hand + 1) % STMT_CACHE_SLOTS;
		if (s->cache[k].used) {
			s->cache[k].used = 0;
			continue;
		}
		if (sqlite3_stmt_busy(s->cache[k].stmt))
			continue; /* a caller is reading its rows */
		int *pp = &s->bucket[stmt_bucket(s->cache[k].sql)];
		while (*pp && *pp != k + 1)
			pp = &s->cache[*pp - 1].next;
		if (*pp)
			*pp = s->cache[k].next;
		sqlite3_finalize(s->cache[k].stmt);
		s->cache[k].sql = NULL;
		s->cache[k].stmt = NULL;
		s->cache[k].next = 0;
		s->evicted++;
		return k;
	}
	return -1;
}

sqlite3_stmt *store_stmt(Store *s, const char *sql)
{
	unsigned b = stmt_bucket(sql);
	for (int i = s->bucket[b]; i; i = s->cache[i - 1].next)
		if (s->cache[i - 1].sql == sql) {
			sqlite3_stmt *st = s->cache[i - 1].stmt;
			s->cache[i - 1].used = 1;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		failures++;
		store_fail(s, "prepare");
		return NULL;
	}
	int k = stmt_slot(s);
	if (k < 0)
		fatal("statement cache: all %d statements are being stepped at once", STMT_CACHE_SLOTS);
	s->cache[k].sql = sql;
	s->cache[k].stmt = st;
	s->cache[k].used = 1;
	s->cache[k].next = s->bucket[b];
	s->bucket[b] = k + 1;
	return st;
}

long long store_stmt_evictions(Store *s)
{
	return s->evicted;
}

void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void bind_id_or_null(sqlite3_stmt *st, int i, long long v)
{
	if (v > 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

void bind_int_or_null(sqlite3_stmt *st, int i, int v)
{
	if (v >= 0)
		sqlite3_bind_int(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Every text the store reads comes through here: bytes that are not UTF-8
 * (a database from before the doors checked, a hand edit in the sqlite3
 * shell) are read with U+FFFD in their place, so that no page or JSON
 * answer ever meets them (jansson refuses them; a list would lose the row). */
const char *col_text(Arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	int n = sqlite3_column_bytes(st, i);
	if (utf8_valid((const char *)t, (size_t)n))
		return arena_strdup(a, (const char *)t);
	return utf8_sanitize(a, arena_strdup(a, (const char *)t));
}

int col_int_or(sqlite3_stmt *st, int i, int dflt)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? dflt : sqlite3_column_int(st, i);
}

int store_step_done(Store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(s, what);
		sqlite3_reset(st);
		return H_ERR;
	}
	sqlite3_reset(st);
	return H_OK;
}

/* Runs SQL text that needs no binding (pragmas, schema steps). */
static int exec(Store *s, const char *sql, const char *what)
{
	if ((!strncmp(sql, "BEGIN", 5) || !strcmp(sql, "COMMIT")) && fault_hit()) {
		snprintf(s->err, sizeof s->err, "%s: %s (injected)", what, sqlite3_errstr(fault_last));
		note_disk_error(s, what, sqlite3_errstr(fault_last));
		return H_ERR;
	}
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
		note_disk_error(s, what, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return H_ERR;
	}
	return H_OK;
}

int store_version(Store *s)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA user_version");
	int v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

/*
 * Steps numbered ahead of time. Helpers working at once are given fixed
 * step numbers, and one may land step 16 before another lands 14 and 15. A
 * database migrated across such a gap (its user_version jumps from 13 to
 * 16) keeps the numbers it passed over in schema_step_skipped, in the
 * transaction of the step that jumped; a later program that has those steps
 * applies them then, each in its own transaction with the removal of its
 * number, and drops the table once it is empty. A step that fills a gap
 * thus runs after the steps above it, so it must not depend on them (they
 * were written without it). A database that never crossed a gap has no
 * such table.
 */
/* How many numbers the database holds in schema_step_skipped (0 when the
 * table is missing), in *has whether version is among them, in *exists
 * whether the table is there; -1 on error with s->err set. */
static int skipped_count(Store *s, int version, int *has, int *exists)
{
	*has = *exists = 0;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db,
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_step_skipped'",
		-1, &st, NULL);
	int tables = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (tables <= 0) {
		if (tables < 0)
			snprintf(s->err, sizeof s->err, "read the skipped schema steps: %s", sqlite3_errmsg(s->db));
		return tables;
	}
	*exists = 1;
	rc = sqlite3_prepare_v2(s->db,
		"SELECT count(*), count(*) FILTER (WHERE version = ?1) FROM schema_step_skipped", -1, &st, NULL);
	int n = -1;
	if (rc == SQLITE_OK) {
		sqlite3_bind_int(st, 1, version);
		if (sqlite3_step(st) == SQLITE_ROW) {
			n = sqlite3_column_int(st, 0);
			*has = sqlite3_column_int(st, 1) > 0;
		}
	}
	sqlite3_finalize(st);
	if (n < 0)
		snprintf(s->err, sizeof s->err, "read the skipped schema steps: %s", sqlite3_errmsg(s->db));
	return n;
}

/* Runs one step in its own transaction: before it, sql_before (the
 * numbers it jumps over, or NULL); after it, sql_after (the user_version
 * bump, or the removal of a skipped step's number). */
static int migrate_step(Store *s, const StoreMigration *m, const char *sql_before, const char *sql_after,
                        char *err, size_t errsz)
{
	if (exec(s, "BEGIN IMMEDIATE", "begin migration") != H_OK ||
	    (sql_before && exec(s, sql_before, "note the skipped schema steps") != H_OK) ||
	    exec(s, m->sql, "migration") != H_OK ||
	    exec(s, sql_after, "set schema version") != H_OK) {
		snprintf(err, errsz, "migration to schema version %d failed: %s", m->version, s->err);
		exec(s, "ROLLBACK", "rollback");
		return H_ERR;
	}
	if (exec(s, "COMMIT", "commit migration") != H_OK) {
		snprintf(err, errsz, "migration to schema version %d failed: %s", m->version, s->err);
		exec(s, "ROLLBACK", "rollback");
		return H_ERR;
	}
	return H_OK;
}

int store_migrate(Store *s, const StoreMigration *migs, int n, char *err, size_t errsz)
{
	int have = store_version(s);
	if (have < 0) {
		snprintf(err, errsz, "cannot read the schema version: %s", s->err);
		return H_ERR;
	}
	int latest = n > 0 ? migs[n - 1].version : 0;
	if (have > latest) {
		snprintf(err, errsz,
		         "the database has schema version %d, newer than this program's %d: "
		         "use a newer hatchery", have, latest);
		return H_ERR;
	}
	/* the steps below the version that the database passed over */
	int has, exists, left = skipped_count(s, 0, &has, &exists);
	for (int i = 0; i < n && left > 0 && migs[i].version < have; i++) {
		left = skipped_count(s, migs[i].version, &has, &exists);
		if (left < 0)
			break;
		if (!has)
			continue;
		char after[96];
		snprintf(after, sizeof after, "DELETE FROM schema_step_skipped WHERE version = %d", migs[i].version);
		if (migrate_step(s, &migs[i], NULL, after, err, errsz) != H_OK)
			return H_ERR;
		left--;
	}
	if (left < 0) {
		snprintf(err, errsz, "cannot read the skipped schema steps: %s", s->err);
		return H_ERR;
	}
	if (exists && left == 0 && skipped_count(s, 0, &has, &exists) == 0 && exists &&
	    exec(s, "DROP TABLE schema_step_skipped", "drop the empty list of skipped schema steps") != H_OK) {
		snprintf(err, errsz, "%s", s->err);
		return H_ERR;
	}
	/* the steps above it */
	for (int i = 0; i < n; i++) {
		if (migs[i].version <= have)
			continue;
		/* the numbers between the step before (or the database's
		 * version) and this one, for which this program has no step */
		int lo = (i > 0 && migs[i - 1].version > have ? migs[i - 1].version : have) + 1;
		char before[320];
		snprintf(before, sizeof before,
		         "CREATE TABLE IF NOT EXISTS schema_step_skipped(version INTEGER PRIMARY KEY); "
		         "WITH RECURSIVE v(x) AS (SELECT %d UNION ALL SELECT x + 1 FROM v WHERE x + 1 < %d) "
		         "INSERT OR IGNORE INTO schema_step_skipped(version) SELECT x FROM v",
		         lo, migs[i].version);
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", migs[i].version);
		if (migrate_step(s, &migs[i], lo < migs[i].version ? before : NULL, pragma, err, errsz) != H_OK)
			return H_ERR;
		have = migs[i].version;
	}
	return H_OK;
}

/* Before SQLite's first use: no memory statistics, which SQLite would
 * otherwise keep under one global mutex taken by every allocation of every
 * connection (the server's threads contend on it). */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Refuses an SQLite file that belongs to another program: one with another
 * application_id, or with tables but neither our id nor a schema version. */
static int check_ownership(Store *s, const char *path, int *app_out, char *err, size_t errsz)
{
	sqlite3_stmt *st;
	int app = 0, tables = 0, version = 0;
	static const char q[] =
		"SELECT (SELECT application_id FROM pragma_application_id), "
		"(SELECT count(*) FROM sqlite_master), (SELECT user_version FROM pragma_user_version)";
	if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot use %s as a hatchery database: %s", path, sqlite3_errmsg(s->db));
		return H_ERR;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		app = sqlite3_column_int(st, 0);
		tables = sqlite3_column_int(st, 1);
		version = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		snprintf(err, errsz, "cannot use %s as a hatchery database: %s", path, sqlite3_errmsg(s->db));
		return H_ERR;
	}
	if ((app != 0 && app != APPLICATION_ID) || (app == 0 && tables > 0 && version == 0)) {
		snprintf(err, errsz, "%s is an SQLite database of another program, not hatchery's: choose another file",
		         path);
		return H_ERR;
	}
	*app_out = app;
	return H_OK;
}

Store *store_open(const char *path, int flags, char *err, size_t errsz)
{
	Store *s = xcalloc(1, sizeof *s);
	pthread_once(&sqlite_configured, configure_sqlite);
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open database %s: %s", path,
		         s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	int app = 0;
	if (check_ownership(s, path, &app, err, errsz) != H_OK) {
		store_close(s);
		return NULL;
	}
	/* Only a new file is stamped: opening an existing database writes nothing. */
	char pragmas[256];
	/* temp_store in memory: statement journals (every insert that fires a
	 * trigger has one) and sorts never go to a temp file — an import of
	 * 100,000 rows made 2.5 million small writes to one otherwise. */
	snprintf(pragmas, sizeof pragmas, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
	                                  "PRAGMA temp_store = MEMORY;");
	if (app == 0)
		snprintf(pragmas + strlen(pragmas), sizeof pragmas - strlen(pragmas), " PRAGMA application_id = %d;",
		         APPLICATION_ID);
	/* A file that is not SQLite fails here, with sqlite's own words. */
	if (exec(s, pragmas, "set pragmas") != H_OK) {
		snprintf(err, errsz, "cannot use %s as a hatchery database: %s", path, s->err);
		store_close(s);
		return NULL;
	}
	if (!(flags & STORE_NO_MIGRATE) &&
	    store_migrate(s, store_migrations, store_migration_count, err, errsz) != H_OK) {
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(Store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < STMT_CACHE_SLOTS; i++)
		if (s->cache[i].stmt)
			sqlite3_finalize(s->cache[i].stmt);
	for (int i = 0; i < STORE_KEPT_SLOTS; i++)
		if (s->kept[i].p && s->kept[i].drop)
			s->kept[i].drop(s->kept[i].p);
	store_memo_end(s);
	free(s->targets);
	for (size_t i = 0; i < s->strings_cap; i++)
		free(s->strings[i]);
	free(s->strings);
	if (s->db)
		sqlite3_close(s->db);
	free(s);
}

int store_begin(Store *s)
{
	if (tx_failed == s->db)
		tx_failed = NULL;
	return exec(s, "BEGIN IMMEDIATE", "begin");
}

Store *store_open_reader(Store *s)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	char err[256];
	Store *r = path && *path ? store_open(path, STORE_NO_MIGRATE, err, sizeof err) : NULL;
	/* a deferred transaction takes its snapshot at its first read */
	if (r && exec(r, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master", "begin a read") != H_OK) {
		store_close(r);
		r = NULL;
	}
	return r;
}

int store_tx_failed(Store *s)
{
	return tx_failed == s->db;
}

/* Refuses a transaction in which a statement failed: whatever the caller
 * made of that failure (a read it took for "absent", an audit row without
 * its "after"), half of a change is never committed. Such a transaction is
 * rolled back here. */
int store_commit(Store *s)
{
	if (tx_failed == s->db) {
		store_rollback(s);
		snprintf(s->err, sizeof s->err, "commit: refused, a statement of the transaction failed; rolled back");
		return H_ERR;
	}
	int rc = exec(s, "COMMIT", "commit");
	store_memo_end(s); /* what an import kept holds inside its transaction only */
	return rc;
}

void store_rollback(Store *s)
{
	if (tx_failed == s->db)
		tx_failed = NULL;
	if (!sqlite3_get_autocommit(s->db))
		exec(s, "ROLLBACK", "rollback");
	store_memo_end(s);
}

long long store_data_stamp(Store *s)
{
	static const char sql[] = "SELECT n FROM data_stamp WHERE id = 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

int store_area_stamps(Store *s, const char *area, long long *n, long long *global, long long *area_n)
{
	static const char sql[] = "SELECT n, n - area_n, coalesce((SELECT n FROM area_stamp WHERE area = ?1), 0) "
	                          "FROM data_stamp WHERE id = 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, area);
	int rc = sqlite3_step(st) == SQLITE_ROW ? H_OK : H_ERR;
	if (rc == H_OK) {
		*n = sqlite3_column_int64(st, 0);
		*global = sqlite3_column_int64(st, 1);
		*area_n = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc;
}

int store_stamp_hold(Store *s, StampHold *h)
{
	static const char sql[] = "SELECT n, area_n FROM data_stamp WHERE id = 1";
	h->n = h->area_n = -1;
	if (!store_writing(s))
		return H_ERR; /* read outside the write, it could be older than the change */
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	int rc = sqlite3_step(st) == SQLITE_ROW ? H_OK : store_fail(s, "read the data stamp");
	if (rc == H_OK) {
		h->n = sqlite3_column_int64(st, 0);
		h->area_n = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc;
}

int store_stamp_put_back(Store *s, const StampHold *h)
{
	/* both back (the audit's triggers move area_n with n, touching no
	 * area), only when no area's stamp was moved meanwhile (a record of an
	 * area changed in the same transaction): else the stamp stays moved */
	static const char sql[] = "UPDATE data_stamp SET n = ?1, area_n = ?2 WHERE id = 1 AND n >= ?1 "
	                          "AND NOT EXISTS (SELECT 1 FROM area_stamp WHERE n > ?1)";
	if (h->n < 0 || !store_writing(s))
		return H_ERR;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, h->n);
	sqlite3_bind_int64(st, 2, h->area_n);
	return store_step_done(s, st, "put the data stamp back");
}

int store_stamps_move_all(Store *s)
{
	return exec(s, "UPDATE data_stamp SET n = n + 1;"
	               "INSERT INTO area_stamp(area, n) SELECT code, (SELECT n FROM data_stamp WHERE id = 1) FROM area "
	               "WHERE true ON CONFLICT(area) DO UPDATE SET n = excluded.n;",
	            "move the data stamp");
}

int store_triggers_suspend(Store *s, const char *counted, Buf *saved)
{
	static const char q[] =
		"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
		"AND (name GLOB '*_stamp_*' OR (name GLOB '*_count_*' AND (?1 = '*' OR tbl_name = ?1)) "
		"OR (name GLOB '*_measure_*' AND (?2 = '*' OR instr(?2, ',' || tbl_name || ',') > 0))) ORDER BY name";
	if (sqlite3_get_autocommit(s->db)) {
		snprintf(s->err, sizeof s->err, "triggers are suspended only inside a write transaction");
		return H_ERR;
	}
	const char *table = counted && strcmp(counted, "*") == 0 ? "*" : "";
	for (const StoreRecount *c = store_recounts; counted && c->kind; c++)
		if (strcmp(counted, c->kind) == 0)
			table = c->table;
	sqlite3_stmt *st = store_stmt(s, q);
	if (!st)
		return H_ERR;
	bind_text(st, 1, table);
	bind_text(st, 2, store_measure_tables(counted));
	Buf drops = {0};
	buf_reset(saved);
	while (sqlite3_step(st) == SQLITE_ROW) {
		buf_printf(saved, "%s;\n", (const char *)sqlite3_column_text(st, 1));
		buf_printf(&drops, "DROP TRIGGER \"%s\";\n", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	int rc = exec(s, buf_str(&drops), "suspend triggers");
	buf_free(&drops);
	return rc;
}

int store_triggers_restore(Store *s, const char *counted, Buf *saved)
{
	int rc = H_OK;
	for (const StoreRecount *c = store_recounts; counted && c->kind && rc == H_OK; c++)
		if (strcmp(counted, "*") == 0 || strcmp(counted, c->kind) == 0)
			rc = exec(s, c->sql, "count records");
	if (rc == H_OK)
		rc = store_measures_rebuild(s, counted);
	if (rc == H_OK) /* the rows of any area may have changed: every area's stamp moves */
		rc = store_stamps_move_all(s);
	if (rc == H_OK)
		rc = exec(s, buf_str(saved), "restore triggers");
	buf_free(saved);
	return rc;
}

const char *store_setting_get(Store *s, Arena *a, const char *key)
{
	static const char sql[] = "SELECT value FROM setting WHERE key = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return NULL;
	bind_text(st, 1, key);
	const char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = col_text(a, st, 0);
	sqlite3_reset(st);
	return v;
}

int store_setting_set(Store *s, const char *key, const char *value)
{
	static const char sql[] =
		"INSERT INTO setting(key, value) VALUES (?1, ?2) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return store_step_done(s, st, "save setting");
}

/* The store's sqlite3_step (store_internal.h routes every call here): the
 * injected failure, or the real step. A statement that fails inside a
 * transaction (not by a constraint) marks it failed: later statements of
 * it are not run (SQLITE_ABORT) — SQLite may itself have rolled it back on
 * an I/O error, and they would then each commit alone — and it cannot
 * commit (store_commit). */
#undef sqlite3_step
int store_fault_step(sqlite3_stmt *st)
{
	sqlite3 *db = sqlite3_db_handle(st);
	if (tx_failed == db) {
		fault_last = SQLITE_ABORT;
		return SQLITE_ABORT;
	}
	int in_tx = !sqlite3_get_autocommit(db);
	int rc = fault_hit();
	if (!rc)
		rc = sqlite3_step(st);
	if (in_tx && rc != SQLITE_ROW && rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
		tx_failed = db;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		failures++;
	return rc;
}

unsigned long store_failures(void)
{
	return failures;
}

int store_writing(Store *s)
{
	return sqlite3_txn_state(s->db, NULL) == SQLITE_TXN_WRITE;
}

int store_in_transaction(Store *s)
{
	return !sqlite3_get_autocommit(s->db);
}
