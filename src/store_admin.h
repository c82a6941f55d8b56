/*
 * store_admin.h — operations on the database as a whole: online backup,
 * restore from a backup, and reading the audit trail (store_admin.c).
 *
 * Functions returning int answer H_OK / H_ERR (util.h) unless they say
 * otherwise; the ones taking err fill it with what is wrong and what to do.
 */
#ifndef HATCHERY_STORE_ADMIN_H
#define HATCHERY_STORE_ADMIN_H

#include <stddef.h>

#include "store.h"

/*
 * Copies the database of s into a new file out_path with SQLite's online
 * backup API: one consistent snapshot, safe while a server writes to the
 * same database (WAL). Refuses an out_path that exists. Writes
 * out_path + ".tmp" (replacing one an interrupted backup left), checks it
 * with PRAGMA integrity_check, then renames it without replacing anything,
 * so a failed backup leaves nothing behind. The copy is a single file
 * (rollback-journal mode); store_open turns it back to WAL when used.
 */
int store_backup_to(Store *s, const char *out_path, char *err, size_t errsz);

/*
 * Replaces the database at db_path (created when missing) by the backup
 * in_path. in_path is checked first — an SQLite file that passes
 * integrity_check, with hatchery's application_id and a schema version this
 * program knows — so a bad input changes nothing. Then it is copied with
 * the backup API and db_path is opened with store_open, which migrates it
 * up when older. The server must be stopped; a database visibly in use by
 * another process is refused.
 */
int store_restore_from(const char *db_path, const char *in_path, char *err, size_t errsz);

/* Which audit rows to list. NULL strings mean no filter; since and until are
 * dates YYYY-MM-DD, both inclusive, compared with `at` (UTC). limit 0 means
 * 50, and at most 1000 rows come back; offset skips rows for paging. */
typedef struct AuditFilter {
	const char *user, *kind, *record_id, *since, *until;
	int limit, offset;
} AuditFilter;

typedef struct AuditRow {
	long long id;
	const char *at, *user_name, *addr, *action, *record_kind, *record_id, *before_json, *after_json;
} AuditRow;

/* The audit rows matching f (NULL: no filter), newest first, in the arena.
 * Returns how many came back, or -1 (store_errmsg() says why, e.g. a date
 * that is not YYYY-MM-DD). *total (when not NULL) is the number of rows
 * matching the filter, regardless of limit and offset. */
int store_audit_list(Store *s, Arena *a, const AuditFilter *f, AuditRow **out, long long *total);

#endif
