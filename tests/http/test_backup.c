/*
 * test_backup.c — backup, restore and the audit listing (store_admin.c,
 * cli_admin.c). A real `hatchery serve` runs on a demo database while a
 * child process sends it a bounded burst of requests and appends audit rows
 * through its own SQLite connection; the backups taken meanwhile must each
 * be one consistent snapshot that restores to the same records. Also: a
 * backup never overwrites, a bad backup file changes nothing on restore,
 * store_audit_list filters and orders as documented, and `hatchery audit`.
 * The CLI cases run `$HATCHERY_BIN backup|restore|audit` (cli_admin.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "store.h"
#include "store_admin.h"

enum { BURST_ROWS = 200, BURST_MAX_REQUESTS = 2000 };
#define BURST_SECONDS 3.0

static TestServer srv;
static char dir[128];       /* this test's own temp dir */

static const char *bin(void)
{
	const char *b = getenv("HATCHERY_BIN");
	return b && *b ? b : "build/hatchery";
}

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* dir/name into out. */
static const char *in_dir(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
	return out;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The whole file, malloc'd (NUL-terminated); *len its size. */
static char *slurp(const char *path, size_t *len)
{
	char *t = file_read(path, len);
	if (!t)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	return t;
}

/* ---- reading a database file through its own connection ---- */

static sqlite3 *db_open_flags(const char *path, int flags)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK)
		fail_msg("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static sqlite3 *db_open(const char *path)
{
	return db_open_flags(path, SQLITE_OPEN_READWRITE);
}

/* The first column of the first row of sql (a number) on the file path. */
static long long query_num(const char *path, const char *sql)
{
	sqlite3 *db = db_open(path);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s on %s: %s", sql, path, sqlite3_errmsg(db));
	long long v = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* 1 when PRAGMA integrity_check answers "ok" for the file. */
static int integrity_ok(const char *path)
{
	sqlite3 *db = db_open(path);
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return ok;
}

/* Runs sql on the file path, creating it when missing. */
static void db_exec(const char *path, const char *sql)
{
	sqlite3 *db = db_open_flags(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s on %s: %s", sql, path, msg ? msg : "?");
	sqlite3_close(db);
}

static RegistryCounts counts_of(const char *path)
{
	char err[512];
	Store *s = store_open(path, STORE_NO_MIGRATE, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	RegistryCounts c;
	assert_int_equal(store_registry_counts(s, &c), H_OK);
	store_close(s);
	return c;
}

static void remove_db(const char *path)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal", ".tmp"};
	char p[512];
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}

/* ---- the CLI ---- */

/*
 * Runs `$HATCHERY_BIN NAME ARGS...` (args NULL-terminated) through
 * system(), returns its exit status and puts its stdout and stderr
 * (malloc'd) in *out.
 */
static int run_cli(const char *name, const char *const *args, char **out)
{
	char log[256], cmd[4096];
	in_dir(log, sizeof log, "cli.log");
	int n = snprintf(cmd, sizeof cmd, "'%s' %s", bin(), name);
	for (int i = 0; args[i]; i++) {
		assert_null(strchr(args[i], '\''));
		n += snprintf(cmd + n, sizeof cmd - (size_t)n, " '%s'", args[i]);
	}
	snprintf(cmd + n, sizeof cmd - (size_t)n, " >'%s' 2>&1", log);
	int st = system(cmd);
	assert_true(WIFEXITED(st));
	size_t len;
	*out = slurp(log, &len);
	unlink(log);
	return WEXITSTATUS(st);
}

/* ---- group setup ---- */

static int setup(void **state)
{
	server_start(&srv, NULL);
	snprintf(dir, sizeof dir, "/tmp/hatchery-backup-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	server_stop(&srv);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- backup while serving ---- */

/*
 * The child's work: requests to the server, at most BURST_SECONDS or
 * BURST_MAX_REQUESTS, while appending BURST_ROWS audit rows numbered 1..N
 * (paced over two seconds) through its own connection. Writes one byte to
 * ready_fd after the first row. Returns the exit status: 0 when every
 * request was answered without a server error (pages may come to need a
 * login; /healthz must say 200) and every row was written.
 */
static int burst(int ready_fd)
{
	static const char *const paths[] = {"/", "/api/v1/areas", "/healthz", "/areas", "/api/v1/progress"};
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return 10;
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *ins;
	if (sqlite3_prepare_v2(db,
	                       "INSERT INTO audit(at, user_name, addr, action, record_kind, record_id, after_json) "
	                       "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'burst', '127.0.0.1', 'create', "
	                       "'burst', ?1, json_object('n', ?1))",
	                       -1, &ins, NULL) != SQLITE_OK)
		return 11;
	int inserted = 0, requests = 0, failures = 0;
	double start = now_mono();
	for (;;) {
		double t = now_mono() - start;
		int done = requests >= BURST_MAX_REQUESTS || t >= BURST_SECONDS;
		/* Rows keep pace with the requests or the clock, whichever runs ahead; the rest at the end. */
		while (inserted < BURST_ROWS &&
		       (done || t >= inserted * 0.01 || requests >= inserted * (BURST_MAX_REQUESTS / BURST_ROWS))) {
			sqlite3_reset(ins);
			sqlite3_bind_int(ins, 1, inserted + 1);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				fprintf(stderr, "burst: insert %d: %s\n", inserted + 1, sqlite3_errmsg(db));
				failures++;
			}
			if (++inserted == 1) {
				if (write(ready_fd, "r", 1) != 1)
					failures++;
				close(ready_fd);
			}
		}
		if (done)
			break;
		Response r;
		const char *p = paths[requests % (int)(sizeof paths / sizeof paths[0])];
		if (http_request(srv.port, "GET", p, NULL, NULL, 0, &r) != 0) {
			fprintf(stderr, "burst: GET %s: no answer\n", p);
			failures++;
		} else {
			if (r.status >= 500 || (strcmp(p, "/healthz") == 0 && r.status != 200)) {
				fprintf(stderr, "burst: GET %s: %d\n", p, r.status);
				failures++;
			}
			response_free(&r);
		}
		requests++;
	}
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return failures ? 1 : 0;
}

/*
 * A backup file is one self-contained, intact snapshot: no side files,
 * not in WAL mode, the demo's bases and schema version, and of the burst's
 * numbered rows exactly a prefix 1..k. Returns k.
 */
static long long check_snapshot(const char *path, long long bases, long long version)
{
	char side[512];
	snprintf(side, sizeof side, "%s.tmp", path);
	assert_false(exists(side));
	snprintf(side, sizeof side, "%s-wal", path);
	assert_false(exists(side));
	size_t len;
	unsigned char *head = (unsigned char *)slurp(path, &len);
	assert_true(len >= 100);
	assert_int_equal(head[18], 1); /* legacy (rollback journal) file format, not WAL */
	assert_int_equal(head[19], 1);
	free(head);
	assert_true(integrity_ok(path));
	assert_int_equal(query_num(path, "SELECT count(*) FROM base"), bases);
	assert_int_equal(query_num(path, "PRAGMA user_version"), version);
	long long n = query_num(path, "SELECT count(*) FROM audit WHERE record_kind = 'burst'");
	long long top = query_num(path, "SELECT coalesce(max(CAST(record_id AS INTEGER)), 0) FROM audit "
	                                "WHERE record_kind = 'burst'");
	assert_int_equal(n, top);
	return n;
}

static void test_backup_while_serving(void **state)
{
	long long bases = query_num(srv.db, "SELECT count(*) FROM base");
	long long version = query_num(srv.db, "PRAGMA user_version");
	assert_true(bases > 0);
	assert_int_equal(version, store_migrations[store_migration_count - 1].version);

	int ready[2];
	assert_int_equal(pipe(ready), 0);
	fflush(NULL);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(ready[0]);
		_exit(burst(ready[1]));
	}
	close(ready[1]);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);

	/* Back up over and over while the burst runs: the API, then the CLI, alternately. */
	char err[512], path[256], first_api[256] = "", first_cli[256] = "";
	Store *s = store_open(srv.db, 0, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	int taken = 0, mid_burst = 0, status = -1;
	for (int k = 0; k < 12; k++) {
		snprintf(path, sizeof path, "%s/backup-%d.db", dir, k);
		if (k % 2 == 0) {
			if (store_backup_to(s, path, err, sizeof err) != H_OK)
				fail_msg("backup %d: %s", k, err);
			if (!*first_api)
				snprintf(first_api, sizeof first_api, "%s", path);
		} else {
			char *out;
			const char *args[] = {"--db", srv.db, path, NULL};
			int rc = run_cli("backup", args, &out);
			if (rc != 0 || !strstr(out, "integrity ok"))
				fail_msg("hatchery backup exited %d: %s", rc, out);
			free(out);
			if (!*first_cli)
				snprintf(first_cli, sizeof first_cli, "%s", path);
		}
		long long rows = check_snapshot(path, bases, version);
		mid_burst |= rows > 0 && rows < BURST_ROWS;
		taken++;
		if (k >= 1 && waitpid(child, &status, WNOHANG) == child)
			break;
		sleep_ms(100);
	}
	store_close(s);
	if (status == -1)
		assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(taken >= 2);
	assert_true(mid_burst); /* at least one snapshot fell inside the burst */
	assert_int_equal(query_num(srv.db, "SELECT count(*) FROM audit WHERE record_kind = 'burst'"), BURST_ROWS);

	/* Restore each kind of backup into a new database. */
	char restored[256];
	in_dir(restored, sizeof restored, "restored.db");
	if (store_restore_from(restored, first_api, err, sizeof err) != H_OK)
		fail_msg("restore: %s", err);
	assert_true(integrity_ok(restored));
	assert_int_equal(query_num(restored, "SELECT count(*) FROM base"), bases);
	assert_int_equal(query_num(restored, "PRAGMA user_version"), version);
	RegistryCounts want = counts_of(first_api), got = counts_of(restored);
	assert_memory_equal(&want, &got, sizeof want);
	assert_int_equal(query_num(restored, "PRAGMA application_id"), 0x48415443);

	char restored_cli[256], *out;
	in_dir(restored_cli, sizeof restored_cli, "restored-cli.db");
	const char *args[] = {"--db", restored_cli, first_cli, NULL};
	int rc = run_cli("restore", args, &out);
	char want_version[32];
	snprintf(want_version, sizeof want_version, "schema version %lld", (long long)version);
	if (rc != 0 || !strstr(out, want_version) || !strstr(out, "bases"))
		fail_msg("hatchery restore exited %d: %s", rc, out);
	free(out);
	assert_true(integrity_ok(restored_cli));
	assert_int_equal(query_num(restored_cli, "SELECT count(*) FROM base"), bases);
	assert_int_equal(query_num(restored_cli, "PRAGMA user_version"), version);
	/* The CLI notes the restore in the restored database's audit trail. */
	assert_int_equal(query_num(restored_cli, "SELECT count(*) FROM audit"),
	                 query_num(first_cli, "SELECT count(*) FROM audit") + 1);
	assert_int_equal(query_num(restored_cli, "SELECT count(*) FROM audit WHERE action = 'restore'"), 1);

	/* Restoring over an existing database replaces it. */
	if (store_restore_from(restored_cli, first_api, err, sizeof err) != H_OK)
		fail_msg("restore over: %s", err);
	got = counts_of(restored_cli);
	assert_memory_equal(&want, &got, sizeof want);
	assert_true(integrity_ok(restored_cli));

	for (int k = 0; k < taken; k++) {
		snprintf(path, sizeof path, "%s/backup-%d.db", dir, k);
		remove_db(path);
	}
	remove_db(restored);
	remove_db(restored_cli);
}

/* ---- refusals ---- */

/* A backup never replaces a file, and a failed one leaves nothing behind. */
static void test_backup_refuses_existing(void **state)
{
	char taken[256], side[300], err[512];
	in_dir(taken, sizeof taken, "taken.db");
	write_file(taken, "keep me\n");
	Store *s = store_open(srv.db, 0, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(store_backup_to(s, taken, err, sizeof err), H_ERR);
	assert_non_null(strstr(err, "already exists: choose another name"));
	size_t len;
	char *text = slurp(taken, &len);
	assert_string_equal(text, "keep me\n");
	free(text);
	snprintf(side, sizeof side, "%s.tmp", taken);
	assert_false(exists(side));

	/* A directory that does not exist: an error, and no file anywhere. */
	char nowhere[256];
	in_dir(nowhere, sizeof nowhere, "missing-dir/b.db");
	assert_int_equal(store_backup_to(s, nowhere, err, sizeof err), H_ERR);
	assert_non_null(strstr(err, "directory"));
	assert_false(exists(nowhere));
	store_close(s);

	char *out;
	const char *args[] = {"--db", srv.db, taken, NULL};
	assert_int_equal(run_cli("backup", args, &out), 1);
	assert_non_null(strstr(out, "already exists"));
	free(out);
	text = slurp(taken, &len);
	assert_string_equal(text, "keep me\n");
	free(text);

	const char *no_out[] = {"--db", srv.db, NULL};
	assert_int_equal(run_cli("backup", no_out, &out), 2);
	free(out);
	unlink(taken);
}

/* restore from in must fail with a message holding want, leaving target
 * exactly as it was (bytes, counts, integrity) and creating no side files. */
static void restore_must_fail(const char *target, const char *in, const char *want)
{
	size_t before_len, after_len;
	RegistryCounts c0 = counts_of(target); /* store_open writes the header: read the bytes after */
	char *before = slurp(target, &before_len);
	char err[1024];
	assert_int_equal(store_restore_from(target, in, err, sizeof err), H_ERR);
	if (!strstr(err, want))
		fail_msg("restore from %s: error \"%s\" lacks \"%s\"", in, err, want);
	char *after = slurp(target, &after_len);
	assert_int_equal(before_len, after_len);
	assert_memory_equal(before, after, before_len);
	free(before);
	free(after);
	RegistryCounts c1 = counts_of(target);
	assert_memory_equal(&c0, &c1, sizeof c0);
	assert_true(integrity_ok(target));
}

/* A bad backup file changes nothing: text, a foreign SQLite file, a newer
 * schema, a damaged file, a missing file, the database itself. */
static void test_restore_rejects_bad_input(void **state)
{
	char target[256], good[256], text[256], foreign[256], newer[256], damaged[256], missing[256], err[512];
	in_dir(target, sizeof target, "target.db");
	in_dir(good, sizeof good, "good.db");
	in_dir(text, sizeof text, "notes.txt");
	in_dir(foreign, sizeof foreign, "foreign.db");
	in_dir(newer, sizeof newer, "newer.db");
	in_dir(damaged, sizeof damaged, "damaged.db");
	in_dir(missing, sizeof missing, "missing.db");

	Store *s = store_open(srv.db, 0, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(store_backup_to(s, good, err, sizeof err), H_OK);
	assert_int_equal(store_backup_to(s, newer, err, sizeof err), H_OK);
	assert_int_equal(store_backup_to(s, damaged, err, sizeof err), H_OK);
	store_close(s);
	assert_int_equal(store_restore_from(target, good, err, sizeof err), H_OK);

	write_file(text, "this is a text file, not a database\n");
	restore_must_fail(target, text, "not a database");

	db_exec(foreign, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
	restore_must_fail(target, foreign, "not a hatchery one");

	db_exec(newer, "PRAGMA user_version = 999");
	restore_must_fail(target, newer, "newer than this program's");

	/* Overwrite the second page (a table's root) with garbage. */
	long long page = query_num(damaged, "PRAGMA page_size");
	FILE *f = fopen(damaged, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, (long)page, SEEK_SET), 0);
	for (long long i = 0; i < page; i++)
		fputc(0x5a, f);
	assert_int_equal(fclose(f), 0);
	restore_must_fail(target, damaged, damaged);

	restore_must_fail(target, missing, "cannot read");
	restore_must_fail(target, target, "the database itself");

	/* Through the CLI: exit 1, and the same guarantee. */
	char *out;
	const char *args[] = {"--db", target, text, NULL};
	assert_int_equal(run_cli("restore", args, &out), 1);
	assert_non_null(strstr(out, "not a database"));
	free(out);
	assert_true(integrity_ok(target));

	/* A --db that is not a hatchery database is not overwritten. */
	assert_int_equal(store_restore_from(text, good, err, sizeof err), H_ERR);
	assert_non_null(strstr(err, "not a hatchery database"));
	size_t len;
	char *still = slurp(text, &len);
	assert_string_equal(still, "this is a text file, not a database\n");
	free(still);

	/* Nothing is created for a new target when the input is bad. */
	char fresh[256];
	in_dir(fresh, sizeof fresh, "fresh.db");
	assert_int_equal(store_restore_from(fresh, text, err, sizeof err), H_ERR);
	assert_false(exists(fresh));

	const char *files[] = {target, good, text, foreign, newer, damaged};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		remove_db(files[i]);
}

/* A database the running server has open is not overwritten: the restore
 * says to stop the server, and the server's records stay as they were. */
static void test_restore_refuses_live_database(void **state)
{
	char good[256], err[512];
	in_dir(good, sizeof good, "live-backup.db");
	Store *s = store_open(srv.db, 0, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(store_backup_to(s, good, err, sizeof err), H_OK);
	store_close(s);
	/* The server opens its per-thread connections on first use: make it use them. */
	for (int i = 0; i < 8; i++) {
		Response r;
		assert_int_equal(http_request(srv.port, "GET", "/api/v1/areas", NULL, NULL, 0, &r), 0);
		assert_int_equal(r.status, 200);
		response_free(&r);
	}
	RegistryCounts c0 = counts_of(srv.db);
	assert_int_equal(store_restore_from(srv.db, good, err, sizeof err), H_ERR);
	if (!strstr(err, "stop the server"))
		fail_msg("restore onto the live database: %s", err);
	RegistryCounts c1 = counts_of(srv.db);
	assert_memory_equal(&c0, &c1, sizeof c0);
	assert_true(integrity_ok(srv.db));

	char *out;
	const char *args[] = {"--db", srv.db, good, NULL};
	assert_int_equal(run_cli("restore", args, &out), 1);
	assert_non_null(strstr(out, "is in use"));
	free(out);
	remove_db(good);
}

/* ---- the audit listing ---- */

static void assert_newest_first(const AuditRow *rows, int n)
{
	for (int i = 0; i + 1 < n; i++) {
		int c = strcmp(rows[i].at, rows[i + 1].at);
		if (c < 0 || (c == 0 && rows[i].id <= rows[i + 1].id))
			fail_msg("row %d (%s #%lld) before row %d (%s #%lld)", i, rows[i].at, rows[i].id, i + 1,
			         rows[i + 1].at, rows[i + 1].id);
	}
}

/* Lists with f; checks the count returned and the total. */
static AuditRow *list(Store *s, Arena *a, const AuditFilter *f, int want_n, long long want_total)
{
	AuditRow *rows;
	long long total = -1;
	int n = store_audit_list(s, a, f, &rows, &total);
	if (n != want_n || total != want_total)
		fail_msg("audit list: %d rows of %lld, want %d of %lld (%s)", n, total, want_n, want_total,
		         n < 0 ? store_errmsg(s) : "");
	assert_newest_first(rows, n);
	return rows;
}

static void test_audit_list(void **state)
{
	char path[256], err[512];
	in_dir(path, sizeof path, "audit.db");
	Store *s = store_open(path, STORE_CREATE, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_audit(s, "alice", "10.0.0.1", "update", "base", "1", "{\"a\":1}", "{\"a\":2}"),
		                 H_OK);
	for (int i = 0; i < 2; i++)
		assert_int_equal(store_audit(s, "bob", NULL, "create", "fund", "7", NULL, "{\"name\":\"基金\"}"), H_OK);
	assert_int_equal(store_audit(s, NULL, NULL, "load", "plan", "ruian", NULL, NULL), H_OK);
	/* Rows of known dates (store_audit stamps "now"), around the May 2023 edges. */
	char *msg = NULL;
	if (sqlite3_exec(store_db(s),
	                 "INSERT INTO audit(at, user_name, action, record_kind, record_id) VALUES "
	                 "('2023-04-30T23:59:59Z', 'carol', 'update', 'base', '9'),"
	                 "('2023-05-01T00:00:00Z', 'carol', 'update', 'base', '9'),"
	                 "('2023-05-31T23:59:59Z', 'carol', 'update', 'base', '9'),"
	                 "('2023-06-01T00:00:00Z', 'carol', 'update', 'fund', '9')",
	                 NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("insert: %s", msg);
	Arena a = {0};

	AuditRow *r = list(s, &a, NULL, 10, 10);
	assert_string_equal(r[9].at, "2023-04-30T23:59:59Z"); /* oldest last */
	assert_string_equal(r[6].at, "2023-06-01T00:00:00Z");

	r = list(s, &a, &(AuditFilter){.user = "alice"}, 3, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(r[i].user_name, "alice");
		assert_string_equal(r[i].addr, "10.0.0.1");
		assert_string_equal(r[i].before_json, "{\"a\":1}");
		assert_string_equal(r[i].after_json, "{\"a\":2}");
	}
	assert_true(r[0].id > r[1].id && r[1].id > r[2].id);
	r = list(s, &a, &(AuditFilter){.user = "system"}, 1, 1);
	assert_string_equal(r[0].action, "load");
	assert_null(r[0].addr);
	assert_null(r[0].before_json);
	list(s, &a, &(AuditFilter){.kind = "fund"}, 3, 3);
	r = list(s, &a, &(AuditFilter){.user = "carol", .kind = "base"}, 3, 3);
	assert_string_equal(r[0].at, "2023-05-31T23:59:59Z");
	list(s, &a, &(AuditFilter){.record_id = "9"}, 4, 4);
	list(s, &a, &(AuditFilter){.kind = "base", .record_id = "1"}, 3, 3);
	list(s, &a, &(AuditFilter){.user = "nobody"}, 0, 0);

	/* Dates: both ends included, compared with the UTC `at`. */
	r = list(s, &a, &(AuditFilter){.since = "2023-05-01", .until = "2023-05-31"}, 2, 2);
	assert_string_equal(r[0].at, "2023-05-31T23:59:59Z");
	assert_string_equal(r[1].at, "2023-05-01T00:00:00Z");
	list(s, &a, &(AuditFilter){.since = "2023-06-01", .until = "2023-06-01"}, 1, 1);
	list(s, &a, &(AuditFilter){.until = "2023-05-31"}, 3, 3);
	list(s, &a, &(AuditFilter){.since = "2023-05-02", .until = "2023-05-30"}, 0, 0);
	char now[21], today[11];
	time_now_iso(now);
	snprintf(today, sizeof today, "%.10s", now);
	list(s, &a, &(AuditFilter){.since = today}, 6, 6);
	list(s, &a, &(AuditFilter){.since = today, .kind = "fund"}, 2, 2);

	/* Limit and offset page through the newest-first order. */
	AuditRow *all = list(s, &a, &(AuditFilter){0}, 10, 10);
	r = list(s, &a, &(AuditFilter){.limit = 2}, 2, 10);
	assert_true(r[0].id == all[0].id && r[1].id == all[1].id);
	r = list(s, &a, &(AuditFilter){.limit = 3, .offset = 3}, 3, 10);
	assert_true(r[0].id == all[3].id && r[2].id == all[5].id);
	r = list(s, &a, &(AuditFilter){.limit = 2, .offset = 9}, 1, 10);
	assert_string_equal(r[0].at, "2023-04-30T23:59:59Z");
	list(s, &a, &(AuditFilter){.offset = 10}, 0, 10);

	/* Bad dates are refused, saying which. */
	AuditRow *none;
	long long total;
	assert_int_equal(store_audit_list(s, &a, &(AuditFilter){.since = "2023-02-30"}, &none, &total), -1);
	assert_non_null(strstr(store_errmsg(s), "since"));
	assert_int_equal(store_audit_list(s, &a, &(AuditFilter){.until = "yesterday"}, &none, &total), -1);
	assert_non_null(strstr(store_errmsg(s), "until"));

	/* 0 means 50; more than 1000 means 1000. */
	assert_int_equal(store_begin(s), H_OK);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(store_audit(s, "bulk", NULL, "create", "project", NULL, NULL, NULL), H_OK);
	assert_int_equal(store_commit(s), H_OK);
	list(s, &a, NULL, 50, 1010);
	list(s, &a, &(AuditFilter){.limit = 5000}, 1000, 1010);
	list(s, &a, &(AuditFilter){.limit = 1000, .offset = 1000}, 10, 1010);
	list(s, &a, &(AuditFilter){.user = "bulk", .limit = 1}, 1, 1000);

	arena_free(&a);
	store_close(s);
	remove_db(path);
}

/* `hatchery audit`: the table, --json, and the usage errors. */
static void test_cli_audit(void **state)
{
	char *out;
	const char *plan[] = {"--db", srv.db, "--kind", "plan", NULL};
	assert_int_equal(run_cli("audit", plan, &out), 0);
	if (!strstr(out, "load") || !strstr(out, "ACTION") || !strstr(out, "system"))
		fail_msg("hatchery audit --kind plan: %s", out);
	free(out);

	/* The change column: before → after as compact JSON. */
	const char *user[] = {"--db", srv.db, "--kind", "user", "--user", "system", "--limit", "5", NULL};
	assert_int_equal(run_cli("audit", user, &out), 0);
	if (!strstr(out, "- → {\"") || !strstr(out, "\"name\":\"admin\""))
		fail_msg("hatchery audit --kind user: %s", out);
	free(out);

	const char *json[] = {"--db", srv.db, "--kind", "plan", "--json", NULL};
	assert_int_equal(run_cli("audit", json, &out), 0);
	int lines = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
		json_error_t e;
		json_t *j = json_loads(line, 0, &e);
		if (!j)
			fail_msg("not JSON: %s (%s)", line, e.text);
		assert_string_equal(json_string_value(json_object_get(j, "action")), "load");
		assert_string_equal(json_string_value(json_object_get(j, "kind")), "plan");
		assert_true(json_is_integer(json_object_get(j, "id")));
		json_decref(j);
	}
	assert_true(lines >= 1);
	free(out);

	/* Usage mistakes exit 2 and name the flag. */
	static const struct {
		const char *flag, *value, *says;
	} bad[] = {
		{"--since", "2023-02-30", "--since"},
		{"--until", "31/05/2023", "--until"},
		{"--limit", "0", "--limit"},
		{"--limit", "1001", "--limit"},
		{"--offset", "-1", "--offset"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *args[] = {"--db", srv.db, bad[i].flag, bad[i].value, NULL};
		int rc = run_cli("audit", args, &out);
		if (rc != 2 || !strstr(out, bad[i].says))
			fail_msg("audit %s %s: exit %d, %s", bad[i].flag, bad[i].value, rc, out);
		free(out);
	}
	const char *order[] = {"--db", srv.db, "--since", "2024-02-01", "--until", "2024-01-01", NULL};
	assert_int_equal(run_cli("audit", order, &out), 2);
	assert_non_null(strstr(out, "is after"));
	free(out);
	const char *nodb[] = {"--kind", "plan", NULL};
	assert_int_equal(run_cli("audit", nodb, &out), 2);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_while_serving),
		cmocka_unit_test(test_backup_refuses_existing),
		cmocka_unit_test(test_restore_rejects_bad_input),
		cmocka_unit_test(test_restore_refuses_live_database),
		cmocka_unit_test(test_audit_list),
		cmocka_unit_test(test_cli_audit),
	};
	return cmocka_run_group_tests_name("backup", tests, setup, teardown);
}
