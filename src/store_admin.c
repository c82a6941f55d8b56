/*
 * store_admin.c — operations on the database as a whole: the online backup,
 * restoring a backup, and listing the audit trail for `hatchery audit`.
 *
 * Backup and restore work on raw sqlite3 connections besides the Store's
 * (the copy, the file being checked), so their few PRAGMA texts are
 * prepared here directly; they are still fixed texts with nothing spliced in.
 */
#include "store_admin.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_internal.h"

#define APPLICATION_ID 0x48415443 /* "HATC": the same as store.c's */

/* A busy or locked database is retried this often, this long apart (10 s in all). */
enum { BUSY_RETRIES = 100, BUSY_SLEEP_MS = 100 };

/* Removes path and the journal files SQLite may have left beside it. */
static void remove_db_files(const char *path)
{
	static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
	char side[PATH_MAX + 16];
	for (size_t i = 0; i < ARRAY_LEN(suffixes); i++) {
		snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
		unlink(side);
	}
}

/* Runs a one-value PRAGMA (a static text) on db. Returns the SQLite result
 * code; on SQLITE_OK the value is in *num and, when text is not NULL, in
 * text (truncated to textsz). */
static int pragma_value(sqlite3 *db, const char *sql, long long *num, char *text, size_t textsz)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (num)
			*num = sqlite3_column_int64(st, 0);
		if (text) {
			const unsigned char *t = sqlite3_column_text(st, 0);
			snprintf(text, textsz, "%s", t ? (const char *)t : "");
		}
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_ERROR; /* a pragma that answers nothing: treat as unknown */
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Runs PRAGMA integrity_check on db (the file at path). H_OK when SQLite's
 * answer is the single row "ok"; otherwise err names the first problem
 * (on one line) followed by advice, which says what to do.
 */
static int check_integrity(sqlite3 *db, const char *path, const char *advice, char *err, size_t errsz)
{
	static const char sql[] = "PRAGMA integrity_check";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot check %s: %s (%s)", path, sqlite3_errmsg(db), advice);
		return H_ERR;
	}
	int rc = sqlite3_step(st), ok = 0;
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		ok = t && strcmp((const char *)t, "ok") == 0;
		if (!ok) {
			char problem[256];
			snprintf(problem, sizeof problem, "%s", t ? (const char *)t : "(no answer)");
			for (char *p = problem; *p; p++)
				if (*p == '\n')
					*p = ' ';
			snprintf(err, errsz, "%s is damaged (integrity check: %s): %s", path, problem, advice);
		}
	} else {
		snprintf(err, errsz, "cannot check %s: %s (%s)", path, sqlite3_errmsg(db), advice);
	}
	sqlite3_finalize(st);
	return ok ? H_OK : H_ERR;
}

/*
 * Copies the main database of src over the main database of dst in one
 * backup step (one read transaction on src: a consistent snapshot even
 * while other processes write; one write transaction on dst: all or
 * nothing). Retries while either side is busy or locked. Returns the SQLite
 * result code; on failure sqlite3_errmsg(dst) says why.
 */
static int copy_database(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return sqlite3_errcode(dst);
	int rc;
	for (int tries = 0;; tries++) {
		rc = sqlite3_backup_step(b, -1);
		int primary = rc & 0xff;
		if ((primary == SQLITE_BUSY || primary == SQLITE_LOCKED) && tries < BUSY_RETRIES) {
			sqlite3_sleep(BUSY_SLEEP_MS);
			continue;
		}
		break;
	}
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return rc == SQLITE_OK ? SQLITE_ERROR : rc;
	return frc;
}

/* Explains a failed copy: busy databases get advice, the rest SQLite's words. */
static void copy_error(char *err, size_t errsz, const char *what, int rc, sqlite3 *dst)
{
	int primary = rc & 0xff;
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		snprintf(err, errsz, "%s: the database stayed locked for %d s: try again when it is quieter", what,
		         BUSY_RETRIES * BUSY_SLEEP_MS / 1000);
	else
		snprintf(err, errsz, "%s: %s", what, sqlite3_errmsg(dst));
}

/*
 * Moves from to to, failing with EEXIST when to exists: atomically with
 * renameat2(RENAME_NOREPLACE) where the file system supports it, else by a
 * check then rename (a race only with someone creating the same name).
 */
static int rename_new(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
#endif
	if (access(to, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/* Flushes the directory holding path, so a rename survives a power cut. */
static void sync_parent_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int store_backup_to(Store *s, const char *out_path, char *err, size_t errsz)
{
	struct stat sb;
	if (lstat(out_path, &sb) == 0) {
		snprintf(err, errsz, "%s already exists: choose another name", out_path);
		return H_ERR;
	}
	if (errno != ENOENT) {
		snprintf(err, errsz, "cannot use %s: %s", out_path, strerror(errno));
		return H_ERR;
	}
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", out_path) >= (int)sizeof tmp) {
		snprintf(err, errsz, "the backup path is too long: choose a shorter one");
		return H_ERR;
	}
	remove_db_files(tmp); /* what an interrupted earlier backup may have left */

	sqlite3 *dst = NULL;
	int rc;
	char mode[16];
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot create %s: %s (does its directory exist, and may I write there?)", tmp,
		         dst ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	rc = copy_database(dst, s->db);
	if (rc != SQLITE_OK) {
		copy_error(err, errsz, "backup failed", rc, dst);
		goto fail;
	}
	/* The pages carry the source's WAL mark; make the copy one self-contained file. */
	static const char sql_journal[] = "PRAGMA journal_mode = DELETE";
	if (pragma_value(dst, sql_journal, NULL, mode, sizeof mode) != SQLITE_OK || strcmp(mode, "delete") != 0) {
		snprintf(err, errsz, "cannot finish the copy %s: %s", tmp, sqlite3_errmsg(dst));
		goto fail;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		snprintf(err, errsz, "cannot close the copy %s: %s", tmp, sqlite3_errmsg(dst));
		goto fail;
	}
	dst = NULL;

	/* Check the file as it is on disk, through a fresh read-only connection. */
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot reopen the copy %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if (check_integrity(dst, tmp,
	                    "the database itself may be damaged; check it with sqlite3's PRAGMA integrity_check",
	                    err, errsz) != H_OK)
		goto fail;
	sqlite3_close(dst);
	dst = NULL;

	if (rename_new(tmp, out_path) != 0) {
		if (errno == EEXIST)
			snprintf(err, errsz, "%s already exists: choose another name", out_path);
		else
			snprintf(err, errsz, "cannot rename %s to %s: %s", tmp, out_path, strerror(errno));
		goto fail;
	}
	sync_parent_dir(out_path);
	return H_OK;

fail:
	if (dst)
		sqlite3_close(dst);
	remove_db_files(tmp);
	return H_ERR;
}

/*
 * Checks that the open connection src (the file in_path) is a hatchery
 * database this program can use: hatchery's application_id, a schema
 * version from 1 to the last migration's, and a clean integrity check.
 */
static int check_backup(sqlite3 *src, const char *in_path, char *err, size_t errsz)
{
	static const char sql_app[] = "PRAGMA application_id";
	static const char sql_version[] = "PRAGMA user_version";
	long long app = 0, version = 0;
	if (pragma_value(src, sql_app, &app, NULL, 0) != SQLITE_OK ||
	    pragma_value(src, sql_version, &version, NULL, 0) != SQLITE_OK) {
		snprintf(err, errsz, "cannot use %s as a backup: %s (name a file made by `hatchery backup`)", in_path,
		         sqlite3_errmsg(src));
		return H_ERR;
	}
	if (app != APPLICATION_ID) {
		snprintf(err, errsz,
		         "%s is an SQLite database but not a hatchery one (application_id %#llx): "
		         "name a file made by `hatchery backup`", in_path, (unsigned long long)app);
		return H_ERR;
	}
	int latest = store_migrations[store_migration_count - 1].version;
	if (version > latest) {
		snprintf(err, errsz,
		         "%s has schema version %lld, newer than this program's %d: restore it with a newer hatchery",
		         in_path, version, latest);
		return H_ERR;
	}
	if (version < 1) {
		snprintf(err, errsz, "%s holds no hatchery schema (version 0): name a file made by `hatchery backup`",
		         in_path);
		return H_ERR;
	}
	return check_integrity(src, in_path, "restore another backup", err, errsz);
}

/*
 * Checks that dst (the existing file db_path) may be overwritten: an empty
 * file or a hatchery database, and not in use by another process. Switching
 * it out of WAL mode needs every other connection closed, so a server that
 * has the database open is caught here (an idle server that has not opened
 * it yet is not: the help says to stop the server first).
 */
static int check_target(sqlite3 *dst, const char *db_path, char *err, size_t errsz)
{
	static const char sql_pages[] = "PRAGMA page_count";
	static const char sql_app[] = "PRAGMA application_id";
	static const char sql_journal[] = "PRAGMA journal_mode = DELETE";
	long long pages = 0, app = 0;
	if (pragma_value(dst, sql_pages, &pages, NULL, 0) != SQLITE_OK ||
	    pragma_value(dst, sql_app, &app, NULL, 0) != SQLITE_OK) {
		int primary = sqlite3_errcode(dst) & 0xff;
		if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
			snprintf(err, errsz, "%s is in use (is `hatchery serve` running?): stop the server, then restore",
			         db_path);
		else
			snprintf(err, errsz, "refusing to overwrite %s: it is not a hatchery database (%s): name one with --db",
			         db_path, sqlite3_errmsg(dst));
		return H_ERR;
	}
	if (pages > 0 && app != APPLICATION_ID) {
		snprintf(err, errsz, "refusing to overwrite %s: it is not a hatchery database: name one with --db",
		         db_path);
		return H_ERR;
	}
	char mode[16];
	int rc = pragma_value(dst, sql_journal, NULL, mode, sizeof mode);
	if (rc != SQLITE_OK || strcmp(mode, "delete") != 0) {
		int primary = rc & 0xff;
		if (rc == SQLITE_OK || primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
			snprintf(err, errsz, "%s is in use (is `hatchery serve` running?): stop the server, then restore",
			         db_path);
		else
			snprintf(err, errsz, "cannot prepare %s for the restore: %s", db_path, sqlite3_errmsg(dst));
		return H_ERR;
	}
	return H_OK;
}

/* Opens the restored db_path the ordinary way: WAL again, and migrated up
 * when the backup is older. */
static int reopen_restored(const char *db_path, const char *in_path, char *err, size_t errsz)
{
	char why[512];
	Store *s = store_open(db_path, 0, why, sizeof why);
	if (!s) {
		snprintf(err, errsz, "%s was restored from %s but does not open: %s", db_path, in_path, why);
		return H_ERR;
	}
	store_close(s);
	return H_OK;
}

int store_restore_from(const char *db_path, const char *in_path, char *err, size_t errsz)
{
	struct stat in_sb, db_sb;
	if (stat(in_path, &in_sb) != 0) {
		snprintf(err, errsz, "cannot read %s: %s", in_path, strerror(errno));
		return H_ERR;
	}
	if (!S_ISREG(in_sb.st_mode)) {
		snprintf(err, errsz, "%s is not a file: name a backup made by `hatchery backup`", in_path);
		return H_ERR;
	}
	int existed = stat(db_path, &db_sb) == 0;
	if (existed && db_sb.st_dev == in_sb.st_dev && db_sb.st_ino == in_sb.st_ino) {
		snprintf(err, errsz, "%s is the database itself: name a backup file to restore from", in_path);
		return H_ERR;
	}

	/* Check the input completely before the target is touched. */
	sqlite3 *src = NULL, *dst = NULL;
	int created = 0, rc;
	if (sqlite3_open_v2(in_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open %s: %s", in_path, src ? sqlite3_errmsg(src) : "out of memory");
		goto fail;
	}
	if (check_backup(src, in_path, err, errsz) != H_OK)
		goto fail;

	if (sqlite3_open_v2(db_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open %s: %s (does its directory exist, and may I write there?)", db_path,
		         dst ? sqlite3_errmsg(dst) : "out of memory");
		created = !existed;
		goto fail;
	}
	created = !existed;
	sqlite3_busy_timeout(dst, 2000);
	if (existed && check_target(dst, db_path, err, errsz) != H_OK)
		goto fail;
	rc = copy_database(dst, src);
	if (rc != SQLITE_OK) {
		copy_error(err, errsz, "restore failed, the database is unchanged", rc, dst);
		goto fail;
	}
	sqlite3_close(src);
	sqlite3_close(dst);
	return reopen_restored(db_path, in_path, err, errsz);

fail:
	if (src)
		sqlite3_close(src);
	if (dst)
		sqlite3_close(dst);
	if (created)
		remove_db_files(db_path);
	return H_ERR;
}

/* ---- the audit trail ---- */

/* The filter both audit queries share: ?1 user, ?2 kind, ?3 record id,
 * ?4 since, ?5 until (inclusive: before the next day). */
#define AUDIT_WHERE                                                              \
	"WHERE (?1 IS NULL OR user_name = ?1) AND (?2 IS NULL OR record_kind = ?2) " \
	"AND (?3 IS NULL OR record_id = ?3) AND (?4 IS NULL OR at >= ?4) "           \
	"AND (?5 IS NULL OR at < date(?5, '+1 day')) "

/* Binds the filter's ?1..?5 on st. */
static void bind_audit_filter(sqlite3_stmt *st, const AuditFilter *f)
{
	bind_text(st, 1, f->user);
	bind_text(st, 2, f->kind);
	bind_text(st, 3, f->record_id);
	bind_text(st, 4, f->since);
	bind_text(st, 5, f->until);
}

int store_audit_list(Store *s, Arena *a, const AuditFilter *filter, AuditRow **out, long long *total)
{
	static const char sql_count[] = "SELECT count(*) FROM audit " AUDIT_WHERE;
	static const char sql[] =
		"SELECT id, at, user_name, addr, action, record_kind, record_id, before_json, after_json "
		"FROM audit " AUDIT_WHERE "ORDER BY at DESC, id DESC LIMIT ?6 OFFSET ?7";
	AuditFilter none = {0};
	const AuditFilter *f = filter ? filter : &none;
	*out = NULL;
	if (total)
		*total = 0;
	if ((f->since && !date_valid(f->since)) || (f->until && !date_valid(f->until))) {
		const char *bad = f->since && !date_valid(f->since) ? f->since : f->until;
		snprintf(s->err, sizeof s->err, "%s date \"%s\" is not a date YYYY-MM-DD",
		         bad == f->since ? "since" : "until", bad);
		return -1;
	}
	int limit = f->limit <= 0 ? 50 : f->limit > 1000 ? 1000 : f->limit;
	int offset = f->offset < 0 ? 0 : f->offset;

	if (total) {
		sqlite3_stmt *st = store_stmt(s, sql_count);
		if (!st)
			return -1;
		bind_audit_filter(st, f);
		if (sqlite3_step(st) != SQLITE_ROW) {
			store_fail(s, "count audit rows");
			sqlite3_reset(st);
			return -1;
		}
		*total = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}

	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_audit_filter(st, f);
	sqlite3_bind_int(st, 6, limit);
	sqlite3_bind_int(st, 7, offset);
	AuditRow *rows = NULL;
	int n = 0, cap = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		AuditRow *r = arena_push(a, &rows, &n, &cap, sizeof *rows);
		r->id = sqlite3_column_int64(st, 0);
		r->at = col_text(a, st, 1);
		r->user_name = col_text(a, st, 2);
		r->addr = col_text(a, st, 3);
		r->action = col_text(a, st, 4);
		r->record_kind = col_text(a, st, 5);
		r->record_id = col_text(a, st, 6);
		r->before_json = col_text(a, st, 7);
		r->after_json = store_audit_after(a, r->record_kind, r->action, r->record_id, r->user_name, r->at,
		                                  col_text(a, st, 8));
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, "list audit rows");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	*out = rows;
	return n;
}
