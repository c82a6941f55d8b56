/*
 * store_bulletins.c — the SQL of bulletins (see store_bulletins.h).
 * Fixed statement texts, values bound; the callers own the transactions.
 */
#include "store_bulletins.h"
#include "store_internal.h"

#include <string.h>

static void read_bulletin(Arena *a, sqlite3_stmt *st, BulletinRec *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(st, 0);
	b->number = col_text(a, st, 1);
	b->year = sqlite3_column_int(st, 2);
	b->seq = sqlite3_column_int(st, 3);
	b->period = col_text(a, st, 4);
	b->as_of = col_text(a, st, 5);
	b->title = col_text(a, st, 6);
	b->status = col_text(a, st, 7);
	b->content = col_text(a, st, 8);
	b->content_sha256 = col_text(a, st, 9);
	b->data_stamp = sqlite3_column_int64(st, 10);
	b->corrects_id = sqlite3_column_int64(st, 11);
	b->correction_note = col_text(a, st, 12);
	b->corrects_number = col_text(a, st, 13);
	b->corrected_by_id = sqlite3_column_int64(st, 14);
	b->corrected_by_number = col_text(a, st, 15);
	b->created_by = col_text(a, st, 16);
	b->created_at = col_text(a, st, 17);
	b->updated_at = col_text(a, st, 18);
	b->published_by = col_text(a, st, 19);
	b->published_at = col_text(a, st, 20);
}

int store_bulletin_insert(Store *s, const BulletinRec *b, long long *id)
{
	static const char sql[] =
	    "INSERT INTO bulletin(number, year, seq, period, as_of, title, status, content, data_stamp, corrects_id, "
	    "correction_note, created_by, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, b->number);
	sqlite3_bind_int(st, 2, b->year);
	sqlite3_bind_int(st, 3, b->seq);
	bind_text(st, 4, b->period);
	bind_text(st, 5, b->as_of);
	bind_text(st, 6, b->title);
	bind_text(st, 7, b->content);
	sqlite3_bind_int64(st, 8, b->data_stamp);
	bind_id_or_null(st, 9, b->corrects_id);
	bind_text(st, 10, b->correction_note);
	bind_text(st, 11, b->created_by);
	bind_text(st, 12, b->created_at);
	if (store_step_done(s, st, "insert bulletin") != H_OK)
		return H_ERR;
	*id = sqlite3_last_insert_rowid(s->db);
	return H_OK;
}

int store_bulletin_update_content(Store *s, long long id, const char *content, long long data_stamp, const char *now)
{
	static const char sql[] =
	    "UPDATE bulletin SET content = ?2, data_stamp = ?3, updated_at = ?4 WHERE id = ?1 AND status = 'draft'";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, content);
	sqlite3_bind_int64(st, 3, data_stamp);
	bind_text(st, 4, now);
	if (store_step_done(s, st, "update bulletin") != H_OK)
		return -1;
	return sqlite3_changes(s->db);
}

int store_bulletin_publish(Store *s, long long id, const char *content, const char *sha256, const char *by,
                           const char *now)
{
	static const char sql[] =
	    "UPDATE bulletin SET status = 'published', content = ?2, content_sha256 = ?3, published_by = ?4, "
	    "published_at = ?5, updated_at = ?5 WHERE id = ?1 AND status = 'draft'";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, content);
	bind_text(st, 3, sha256);
	bind_text(st, 4, by);
	bind_text(st, 5, now);
	if (store_step_done(s, st, "publish bulletin") != H_OK)
		return -1;
	return sqlite3_changes(s->db);
}

/* The columns read_bulletin reads, the content's being `content`. */
#define BULLETIN_BY_ID(content) \
	"SELECT b.id, b.number, b.year, b.seq, b.period, b.as_of, b.title, b.status, " content ", " \
	"b.content_sha256, b.data_stamp, b.corrects_id, b.correction_note, c.number, " \
	"(SELECT x.id FROM bulletin x WHERE x.corrects_id = b.id AND x.status = 'published' ORDER BY x.id DESC LIMIT 1), " \
	"(SELECT x.number FROM bulletin x WHERE x.corrects_id = b.id AND x.status = 'published' ORDER BY x.id DESC LIMIT 1), " \
	"b.created_by, b.created_at, b.updated_at, b.published_by, b.published_at " \
	"FROM bulletin b LEFT JOIN bulletin c ON c.id = b.corrects_id WHERE b.id = ?1"

/* Bulletin id read by sql (a BULLETIN_BY_ID): 1 found, 0 not, -1 error. */
static int bulletin_by_id(Store *s, Arena *a, long long id, const char *sql, const char *what, BulletinRec *out)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_bulletin(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, what);
	}
	sqlite3_reset(st);
	return found;
}

int store_bulletin_get(Store *s, Arena *a, long long id, BulletinRec *out)
{
	return bulletin_by_id(s, a, id, BULLETIN_BY_ID("b.content"), "read bulletin", out);
}

int store_bulletin_head(Store *s, Arena *a, long long id, BulletinRec *out)
{
	return bulletin_by_id(s, a, id, BULLETIN_BY_ID("NULL"), "read bulletin head", out);
}

int store_bulletins_list(Store *s, Arena *a, int drafts, BulletinRec **out)
{
	static const char sql[] = "SELECT b.id, b.number, b.year, b.seq, b.period, b.as_of, b.title, b.status, NULL, "
	                          "b.content_sha256, b.data_stamp, b.corrects_id, b.correction_note, c.number, "
	                          "(SELECT x.id FROM bulletin x WHERE x.corrects_id = b.id AND x.status = 'published' ORDER BY x.id DESC LIMIT 1), "
	                          "(SELECT x.number FROM bulletin x WHERE x.corrects_id = b.id AND x.status = 'published' ORDER BY x.id DESC LIMIT 1), "
	                          "b.created_by, b.created_at, b.updated_at, b.published_by, b.published_at "
	                          "FROM bulletin b LEFT JOIN bulletin c ON c.id = b.corrects_id "
	                          "WHERE ?1 OR b.status = 'published' ORDER BY b.year DESC, b.seq DESC LIMIT 1000";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, drafts ? 1 : 0);
	int n = 0, cap = 0, rc;
	*out = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_bulletin(a, st, arena_push(a, out, &n, &cap, sizeof **out));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "list bulletins"), -1;
	return n;
}

int store_bulletin_next_seq(Store *s, int year)
{
	static const char sql[] = "SELECT coalesce(max(seq), 0) + 1 FROM bulletin WHERE year = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, year);
	int n = -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	else
		store_fail(s, "next bulletin number");
	sqlite3_reset(st);
	return n;
}

int store_bulletin_delete_draft(Store *s, long long id)
{
	static const char sql[] = "DELETE FROM bulletin WHERE id = ?1 AND status = 'draft'";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (store_step_done(s, st, "delete bulletin") != H_OK)
		return -1;
	return sqlite3_changes(s->db);
}

int store_bulletin_file_get(Store *s, long long id, const char *format, const char *content_sha256, Buf *out,
                            char sha256[65])
{
	static const char sql[] =
	    "SELECT data, sha256 FROM bulletin_file WHERE bulletin_id = ?1 AND format = ?2 AND content_sha256 = ?3";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, format);
	bind_text(st, 3, content_sha256);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		const void *d = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		if (d && n > 0 && h && strlen(h) == 64) {
			buf_append(out, d, (size_t)n);
			memcpy(sha256, h, 65);
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		found = -1;
		store_fail(s, "read bulletin file");
	}
	sqlite3_reset(st);
	return found;
}

int store_bulletin_file_put(Store *s, long long id, const char *format, const char *content_sha256, const void *data,
                            size_t len, const char *sha256, const char *now)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO bulletin_file(bulletin_id, format, content_sha256, size, sha256, data, made_at) "
	    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 FROM bulletin WHERE id = ?1 AND status = 'published' AND content_sha256 = ?3";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, format);
	bind_text(st, 3, content_sha256);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
	bind_text(st, 5, sha256);
	sqlite3_bind_blob64(st, 6, data, (sqlite3_uint64)len, SQLITE_STATIC);
	bind_text(st, 7, now);
	int rc = store_step_done(s, st, "keep bulletin file");
	sqlite3_clear_bindings(st);
	return rc;
}
