/*
 * store_competition.c — the SQL the yearly assessment reads besides the
 * progress measures (store_competition.h): report returns, from the audit
 * trail, where every return of a report is a row (reports.c writes them;
 * the report's own header keeps only the last one).
 */
#include "store_internal.h"
#include "store_competition.h"

#include <string.h>

int store_report_returns(Store *s, Arena *a, const char *form, const char *prefix, const char *before,
                         ReportReturn **out)
{
	/* record_id is "form/period/org"; the period's key begins with its
	 * year. A report whose header says it was returned but that has no
	 * return in the audit trail (written by the sample data, or before the
	 * trail kept them) counts its header's return. */
	static const char sql[] =
		"SELECT record_id, at FROM audit WHERE record_kind = 'reports' AND action = 'return' "
		"AND substr(record_id, 1, length(?1) + 1) = ?1 || '/' "
		"AND substr(record_id, length(?1) + 2, length(?2)) = ?2 AND at < ?3 "
		"UNION ALL "
		"SELECT r.form || '/' || r.period || '/' || r.org, r.returned_at FROM report r "
		"WHERE r.form = ?1 AND substr(r.period, 1, length(?2)) = ?2 AND r.returned_at IS NOT NULL AND r.returned_at < ?3 "
		"AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.record_kind = 'reports' AND a.action = 'return' "
		"AND a.record_id = r.form || '/' || r.period || '/' || r.org) "
		"ORDER BY 2, 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, form);
	bind_text(st, 2, prefix);
	bind_text(st, 3, before);
	int n = 0, cap = 0, rc;
	ReportReturn *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = col_text(a, st, 0);
		const char *p1 = id ? strchr(id, '/') : NULL, *p2 = p1 ? strchr(p1 + 1, '/') : NULL;
		if (!p2)
			continue;
		ReportReturn *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->form = arena_printf(a, "%.*s", (int)(p1 - id), id);
		x->period = arena_printf(a, "%.*s", (int)(p2 - p1 - 1), p1 + 1);
		x->org = arena_strdup(a, p2 + 1);
		x->at = col_text(a, st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, "report returns");
	*out = v;
	return n;
}
