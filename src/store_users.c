/*
 * store_users.c — user accounts and the append-only audit trail.
 * Sessions, throttling and the user pages come with the accounts issue.
 */
#include "store_internal.h"

long long store_user_insert(Store *s, const char *name, const char *role, const char *scope,
                            const char *password_hash, int must_change)
{
	static const char sql[] =
		"INSERT INTO user(name, role, scope, password_hash, must_change, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
		"strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, name);
	bind_text(st, 2, role);
	bind_text(st, 3, scope);
	bind_text(st, 4, password_hash);
	sqlite3_bind_int(st, 5, must_change);
	if (store_step_done(s, st, "save user") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_audit(Store *s, const char *user, const char *addr, const char *action,
                const char *record_kind, const char *record_id,
                const char *before_json, const char *after_json)
{
	static const char sql[] =
		"INSERT INTO audit(at, user_name, addr, action, record_kind, record_id, before_json, after_json) "
		"VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, user ? user : "system");
	bind_text(st, 2, addr);
	bind_text(st, 3, action);
	bind_text(st, 4, record_kind);
	bind_text(st, 5, record_id);
	bind_text(st, 6, before_json);
	bind_text(st, 7, after_json);
	return store_step_done(s, st, "write audit");
}
