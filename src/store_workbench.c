/*
 * store_workbench.c — what waits for someone, for 工作台 and the counts in
 * the navigation (page_workbench.c): records returned to their reporters
 * (with the office's reason) or left as drafts, proposed changes returned,
 * and how much waits for the office's review.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* Records returned or drafted in an area (?1, NULL: any) or by a user (?2,
 * NULL: anyone), and proposed changes returned in that area or to that user
 * that no later change of the same record has replaced. */
static const char returned_sql[] =
	"SELECT kind, id, name, status, note, at, change_id FROM ("
	"SELECT 'bases' AS kind, id, name, area, created_by AS who, review_status AS status, review_note AS note, updated_at AS at, 0 AS change_id FROM base WHERE review_status IN ('returned', 'draft') "
	"UNION ALL SELECT 'operators', id, name, area, created_by, review_status, review_note, updated_at, 0 FROM operator WHERE review_status IN ('returned', 'draft') "
	"UNION ALL SELECT 'funds', id, name, area, created_by, review_status, review_note, updated_at, 0 FROM fund WHERE review_status IN ('returned', 'draft') "
	"UNION ALL SELECT 'investments', id, investee, area, created_by, review_status, review_note, updated_at, 0 FROM investment WHERE review_status IN ('returned', 'draft') "
	"UNION ALL SELECT 'projects', id, name, area, created_by, review_status, review_note, updated_at, 0 FROM project WHERE review_status IN ('returned', 'draft') "
	"UNION ALL SELECT 'firms', id, name, area, created_by, review_status, review_note, updated_at, 0 FROM firm WHERE review_status IN ('returned', 'draft') "
	"UNION ALL SELECT c.kind, c.record_id, COALESCE(CASE c.kind "
	"  WHEN 'bases' THEN (SELECT name FROM base WHERE id = c.record_id) "
	"  WHEN 'operators' THEN (SELECT name FROM operator WHERE id = c.record_id) "
	"  WHEN 'funds' THEN (SELECT name FROM fund WHERE id = c.record_id) "
	"  WHEN 'investments' THEN (SELECT investee FROM investment WHERE id = c.record_id) "
	"  WHEN 'projects' THEN (SELECT name FROM project WHERE id = c.record_id) "
	"  WHEN 'firms' THEN (SELECT name FROM firm WHERE id = c.record_id) END, ''), "
	"  c.area, c.submitted_by, 'change_returned', c.note, c.reviewed_at, c.id FROM pending_change c "
	"  WHERE c.status = 'returned' AND NOT EXISTS (SELECT 1 FROM pending_change l WHERE l.kind = c.kind "
	"    AND l.record_id = c.record_id AND l.id > c.id)"
	") WHERE (?1 IS NULL OR area = ?1) AND (?2 IS NULL OR who = ?2) ORDER BY at DESC, kind, id LIMIT 200";

int store_work_returned(Store *s, Arena *a, const char *area, const char *by, WaitingItem **out)
{
	sqlite3_stmt *st = store_stmt(s, returned_sql);
	if (!st)
		return -1;
	bind_text(st, 1, area);
	bind_text(st, 2, by);
	int n = 0, cap = 0, rc;
	WaitingItem *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		WaitingItem *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->kind = col_text(a, st, 0);
		x->id = sqlite3_column_int64(st, 1);
		x->name = col_text(a, st, 2);
		x->status = col_text(a, st, 3);
		x->note = col_text(a, st, 4);
		x->at = col_text(a, st, 5);
		x->change_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	*out = v;
	return n;
}

/* The records waiting come from record_count (kept by triggers in the
 * transaction of every change, checked by `hatchery check`): a few hundred
 * rows, where counting the tables read a million firms' index. The office
 * sees the count on every page (the navigation's badge): the connection
 * keeps it with the data stamp it was read at, which moves with every
 * commit, so it is read again only after a change. */
typedef struct ReviewKept {
	long long stamp, n;
} ReviewKept;

static char review_tag;

static void *review_make(void)
{
	ReviewKept *k = calloc(1, sizeof *k);
	if (k)
		k->stamp = -1;
	return k;
}

long long store_review_waiting(Store *s)
{
	static const char sql[] =
		"SELECT coalesce((SELECT sum(n) FROM record_count WHERE review_status = 'pending' "
		"AND kind IN ('bases', 'operators', 'funds', 'investments', 'projects', 'firms')), 0) "
		"+ (SELECT count(*) FROM pending_change WHERE status = 'pending')";
	/* inside a transaction its own writes are not in the stamp yet */
	ReviewKept *k = sqlite3_get_autocommit(s->db) ? store_kept(s, &review_tag, review_make, free) : NULL;
	long long stamp = k ? store_data_stamp(s) : -1;
	if (k && stamp >= 0 && stamp == k->stamp)
		return k->n;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (k) {
		/* read after the stamp: a commit made meanwhile moves it past
		 * k->stamp, and the next call reads the count again */
		k->stamp = n >= 0 ? stamp : -1;
		k->n = n;
	}
	return n;
}
