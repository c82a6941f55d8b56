/*
 * store_attachments.c — the SQL of evidence files (store_attachments.h).
 */
#include "store_internal.h"
#include "store_attachments.h"

#include <string.h>

long long store_attachment_insert(Store *s, const Attachment *f)
{
	static const char sql[] =
		"INSERT INTO attachment(owner_kind, owner_id, name, mime, size, sha256, data, created_by, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, f->owner_kind);
	sqlite3_bind_int64(st, 2, f->owner_id);
	bind_text(st, 3, f->name);
	bind_text(st, 4, f->mime);
	sqlite3_bind_int64(st, 5, f->size);
	bind_text(st, 6, f->sha256);
	sqlite3_bind_blob64(st, 7, f->data, (sqlite3_uint64)f->size, SQLITE_STATIC);
	bind_text(st, 8, f->created_by);
	bind_text(st, 9, f->created_at);
	if (store_step_done(s, st, "save attachment") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

#define FILE_COLS "id, owner_kind, owner_id, name, mime, size, sha256, created_by, created_at"

static void read_file(Arena *a, sqlite3_stmt *st, Attachment *f)
{
	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(st, 0);
	f->owner_kind = col_text(a, st, 1);
	f->owner_id = sqlite3_column_int64(st, 2);
	f->name = col_text(a, st, 3);
	f->mime = col_text(a, st, 4);
	f->size = sqlite3_column_int64(st, 5);
	f->sha256 = col_text(a, st, 6);
	f->created_by = col_text(a, st, 7);
	f->created_at = col_text(a, st, 8);
}

int store_attachment_get(Store *s, Arena *a, long long id, int with_data, Attachment *out)
{
	static const char sql[] = "SELECT " FILE_COLS ", data FROM attachment WHERE id = ?1";
	static const char meta[] = "SELECT " FILE_COLS " FROM attachment WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, with_data ? sql : meta);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_file(a, st, out);
		if (with_data) {
			int n = sqlite3_column_bytes(st, 9);
			unsigned char *d = arena_alloc(a, (size_t)n + 1);
			if (n)
				memcpy(d, sqlite3_column_blob(st, 9), (size_t)n);
			out->data = d;
			out->size = n;
		}
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read attachment");
	}
	sqlite3_reset(st);
	return found;
}

int store_attachments(Store *s, Arena *a, const char *owner_kind, long long owner_id, Attachment **out)
{
	static const char sql[] = "SELECT " FILE_COLS " FROM attachment WHERE owner_kind = ?1 AND owner_id = ?2 "
	                          "ORDER BY id LIMIT 100";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, owner_kind);
	sqlite3_bind_int64(st, 2, owner_id);
	int n = 0, cap = 4, rc;
	Attachment *v = arena_alloc(a, sizeof *v * (size_t)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			Attachment *w = arena_alloc(a, sizeof *w * (size_t)cap * 2);
			memcpy(w, v, sizeof *v * (size_t)cap);
			v = w;
			cap *= 2;
		}
		read_file(a, st, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list attachments"), -1;
	*out = v;
	return n;
}

int store_attachment_count(Store *s, const char *owner_kind, long long owner_id)
{
	static const char sql[] = "SELECT count(*) FROM attachment WHERE owner_kind = ?1 AND owner_id = ?2";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, owner_kind);
	sqlite3_bind_int64(st, 2, owner_id);
	int rc = sqlite3_step(st), n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	if (n < 0)
		store_fail(s, "count attachments");
	sqlite3_reset(st);
	return n;
}

int store_attachment_owner(Store *s, Arena *a, long long id, const char **kind, long long *owner_id, long long *task_id)
{
	static const char sql[] =
		"SELECT f.owner_kind, f.owner_id, CASE f.owner_kind "
		"  WHEN 'task' THEN f.owner_id "
		"  WHEN 'supervision' THEN (SELECT task_id FROM supervision WHERE id = f.owner_id) "
		"  WHEN 'task_update' THEN (SELECT task_id FROM task_update WHERE id = f.owner_id) END "
		"FROM attachment f WHERE f.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), res;
	if (rc == SQLITE_ROW) {
		*kind = col_text(a, st, 0);
		*owner_id = sqlite3_column_int64(st, 1);
		*task_id = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 2);
		res = 1;
	} else if (rc == SQLITE_DONE) {
		res = 0;
	} else {
		res = -1;
		store_fail(s, "read attachment");
	}
	sqlite3_reset(st);
	return res;
}
