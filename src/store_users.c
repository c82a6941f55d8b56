/*
 * store_users.c — user accounts, login sessions, failed-login counts for
 * throttling, and the append-only audit trail.
 */
#include "store_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW_ISO "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define USER_COLUMNS "u.id, u.name, u.role, u.scope, u.password_hash, u.must_change, u.disabled, " \
                     "u.created_at, u.last_login_at"

long long store_user_insert(Store *s, const char *name, const char *role, const char *scope,
                            const char *password_hash, int must_change)
{
	static const char sql[] =
		"INSERT INTO user(name, role, scope, password_hash, must_change, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, " NOW_ISO ", " NOW_ISO ")";
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

/* Reads the USER_COLUMNS starting at column i. */
static void read_user(Arena *a, sqlite3_stmt *st, int i, User *u)
{
	u->id = sqlite3_column_int64(st, i);
	u->name = col_text(a, st, i + 1);
	u->role = col_text(a, st, i + 2);
	u->scope = col_text(a, st, i + 3);
	u->password_hash = col_text(a, st, i + 4);
	u->must_change = sqlite3_column_int(st, i + 5);
	u->disabled = sqlite3_column_int(st, i + 6);
	u->created_at = col_text(a, st, i + 7);
	u->last_login_at = col_text(a, st, i + 8);
}

/* Runs a one-row user query; 1 found, 0 not, -1 error. */
static int user_one(Store *s, Arena *a, sqlite3_stmt *st, User *out)
{
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW) {
		read_user(a, st, 0, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		store_fail(s, "read user");
		found = -1;
	}
	sqlite3_reset(st);
	return found;
}

int store_user_by_name(Store *s, Arena *a, const char *name, User *out)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM user u WHERE u.name = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, name);
	return user_one(s, a, st, out);
}

int store_user_by_id(Store *s, Arena *a, long long id, User *out)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM user u WHERE u.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return user_one(s, a, st, out);
}

int store_users(Store *s, Arena *a, User **out)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM user u ORDER BY u.role, u.name";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 0;
	User *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		read_user(a, st, 0, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	*out = v;
	return n;
}

int store_user_set_password(Store *s, long long id, const char *hash, int must_change)
{
	static const char sql[] =
		"UPDATE user SET password_hash = ?2, must_change = ?3, updated_at = " NOW_ISO " WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, hash);
	sqlite3_bind_int(st, 3, must_change);
	return store_step_done(s, st, "change password");
}

int store_user_set_disabled(Store *s, long long id, int disabled)
{
	static const char sql[] = "UPDATE user SET disabled = ?2, updated_at = " NOW_ISO " WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, disabled);
	return store_step_done(s, st, "disable user");
}

int store_user_logged_in(Store *s, long long id)
{
	static const char sql[] = "UPDATE user SET last_login_at = " NOW_ISO " WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, "record login");
}

const char *store_user_json(Store *s, Arena *a, long long id)
{
	static const char sql[] =
		"SELECT json_object('id', id, 'name', name, 'role', role, 'scope', scope, "
		"'must_change', must_change, 'disabled', disabled) FROM user WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	const char *j = sqlite3_step(st) == SQLITE_ROW ? col_text(a, st, 0) : NULL;
	sqlite3_reset(st);
	return j;
}

/* ---- sessions ---- */

int store_session_insert(Store *s, const char *token_hash, long long user_id, const char *csrf,
                         const char *addr, long long now)
{
	static const char sql[] =
		"INSERT INTO session(token_hash, user_id, csrf, addr, created_at, last_seen) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, user_id);
	bind_text(st, 3, csrf);
	bind_text(st, 4, addr);
	sqlite3_bind_int64(st, 5, now);
	return store_step_done(s, st, "save session");
}

int store_session_lookup(Store *s, Arena *a, const char *token_hash, Session *out)
{
	static const char sql[] =
		"SELECT s.token_hash, s.csrf, s.addr, s.created_at, s.last_seen, "
		"(SELECT n FROM data_stamp WHERE id = 1), " USER_COLUMNS
		" FROM session s JOIN user u ON u.id = s.user_id WHERE s.token_hash = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, token_hash);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		out->token_hash = col_text(a, st, 0);
		out->csrf = col_text(a, st, 1);
		out->addr = col_text(a, st, 2);
		out->created_at = sqlite3_column_int64(st, 3);
		out->last_seen = sqlite3_column_int64(st, 4);
		out->data_stamp = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 5);
		read_user(a, st, 6, &out->user);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		store_fail(s, "read session");
		found = -1;
	}
	sqlite3_reset(st);
	return found;
}

int store_session_touch(Store *s, const char *token_hash, long long now)
{
	static const char sql[] = "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, now);
	return store_step_done(s, st, "touch session");
}

int store_session_delete(Store *s, const char *token_hash)
{
	static const char sql[] = "DELETE FROM session WHERE token_hash = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, token_hash);
	return store_step_done(s, st, "end session");
}

int store_sessions_delete_user(Store *s, long long user_id)
{
	static const char sql[] = "DELETE FROM session WHERE user_id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	if (store_step_done(s, st, "end sessions") != H_OK)
		return -1;
	return sqlite3_changes(s->db);
}

int store_sessions_delete_user_except(Store *s, long long user_id, const char *keep_token_hash)
{
	static const char sql[] = "DELETE FROM session WHERE user_id = ?1 AND token_hash <> ?2";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, user_id);
	bind_text(st, 2, keep_token_hash);
	if (store_step_done(s, st, "end other sessions") != H_OK)
		return -1;
	return sqlite3_changes(s->db);
}

int store_sessions_expire(Store *s, long long idle_before, long long created_before)
{
	static const char sql[] = "DELETE FROM session WHERE last_seen < ?1 OR created_at < ?2";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, created_before);
	return store_step_done(s, st, "expire sessions");
}

int store_sessions(Store *s, Arena *a, Session **out)
{
	static const char sql[] =
		"SELECT s.token_hash, s.csrf, s.addr, s.created_at, s.last_seen, " USER_COLUMNS
		" FROM session s JOIN user u ON u.id = s.user_id ORDER BY s.last_seen DESC";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 0;
	Session *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		Session *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->token_hash = col_text(a, st, 0);
		x->csrf = NULL; /* never leaves the store in a list */
		x->addr = col_text(a, st, 2);
		x->created_at = sqlite3_column_int64(st, 3);
		x->last_seen = sqlite3_column_int64(st, 4);
		read_user(a, st, 5, &x->user);
	}
	sqlite3_reset(st);
	*out = v;
	return n;
}

/* ---- failed logins ---- */

int store_login_failure_add(Store *s, const char *key, long long now)
{
	static const char prune[] = "DELETE FROM login_failure WHERE at < ?1";
	static const char sql[] = "INSERT INTO login_failure(key, at) VALUES (?1, ?2)";
	sqlite3_stmt *st = store_stmt(s, prune);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, now - 24 * 3600);
	if (store_step_done(s, st, "prune login failures") != H_OK || !(st = store_stmt(s, sql)))
		return H_ERR;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, now);
	return store_step_done(s, st, "count login failure");
}

int store_login_failures(Store *s, const char *key, long long since, int *count, long long *last)
{
	static const char sql[] = "SELECT count(*), coalesce(max(at), 0) FROM login_failure WHERE key = ?1 AND at >= ?2";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, since);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(st, 0);
		*last = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, "read login failures"), H_ERR;
	return H_OK;
}

int store_login_failures_clear(Store *s, const char *key)
{
	static const char sql[] = "DELETE FROM login_failure WHERE key = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, key);
	return store_step_done(s, st, "clear login failures");
}

/* ---- audit ---- */

/* An audit row at time at (ISO 8601 UTC; NULL: now). */
static int audit_insert(Store *s, const char *at, const char *user, const char *addr, const char *action,
                        const char *record_kind, const char *record_id, const char *before_json,
                        const char *after_json)
{
	static const char sql[] =
		"INSERT INTO audit(at, user_name, addr, action, record_kind, record_id, before_json, after_json) "
		"VALUES (coalesce(?8, " NOW_ISO "), ?1, ?2, ?3, ?4, ?5, ?6, ?7)";
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
	bind_text(st, 8, at);
	return store_step_done(s, st, "write audit");
}

int store_audit(Store *s, const char *user, const char *addr, const char *action,
                const char *record_kind, const char *record_id,
                const char *before_json, const char *after_json)
{
	return audit_insert(s, NULL, user, addr, action, record_kind, record_id, before_json, after_json);
}

int store_audit_json_at(Store *s, const char *at, const char *user, const char *addr, const char *action,
                        const char *record_kind, const char *record_id, json_t *before, json_t *after)
{
	char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT) : NULL;
	int rc;
	if ((before && !b) || (after && !a)) {
		snprintf(s->err, sizeof s->err, "write audit: a value is not JSON");
		rc = H_ERR;
	} else
		rc = audit_insert(s, at, user, addr, action, record_kind, record_id, b, a);
	free(b);
	free(a);
	json_decref(before);
	json_decref(after);
	return rc;
}

int store_audit_json(Store *s, const char *user, const char *addr, const char *action,
                     const char *record_kind, const char *record_id,
                     json_t *before, json_t *after)
{
	return store_audit_json_at(s, NULL, user, addr, action, record_kind, record_id, before, after);
}
