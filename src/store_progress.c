/*
 * store_progress.c — the SQL behind each progress measure of the plan
 * format (docs/PLAN-FORMAT.md, "Indicators"). Each counts approved records
 * only, dated inside [from, to] (ISO dates compare as text), for one area
 * or, with area NULL, the whole city.
 */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>

/* One statement per measure; ?1 area or NULL, ?2 from, ?3 to, ?4 level. */
static const struct {
	const char *measure;
	const char *sql;
} measures[] = {
	{"area_added_m2",
	 "SELECT coalesce(sum(c.total_delta_m2), 0) FROM base_area_change c JOIN base b ON b.id = c.base_id "
	 "WHERE b.review_status = 'approved' AND (?1 IS NULL OR b.area = ?1) "
	 "AND c.changed_on BETWEEN ?2 AND ?3"},
	{"operators_introduced",
	 "SELECT count(*) FROM operator WHERE review_status = 'approved' AND (?1 IS NULL OR area = ?1) "
	 "AND introduced_on BETWEEN ?2 AND ?3"},
	{"funds_established",
	 "SELECT count(*) FROM fund WHERE review_status = 'approved' AND (?1 IS NULL OR area = ?1) "
	 "AND established_on BETWEEN ?2 AND ?3"},
	{"demo_bases",
	 "SELECT count(*) FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND (?1 IS NULL OR b.area = ?1) "
	 "AND l.level = 'demonstration' AND l.recognised_on BETWEEN ?2 AND ?3"},
	{"bases_recognised",
	 "SELECT count(*) FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND (?1 IS NULL OR b.area = ?1) "
	 "AND l.level = ?4 AND l.recognised_on BETWEEN ?2 AND ?3"},
	{"projects_arrived",
	 "SELECT count(*) FROM project WHERE review_status = 'approved' AND (?1 IS NULL OR area = ?1) "
	 "AND arrived_on BETWEEN ?2 AND ?3"},
	{"talents_reported",
	 "SELECT coalesce(sum(value), 0) FROM report_figure WHERE review_status = 'approved' "
	 "AND field = 'talents_new' AND (?1 IS NULL OR area = ?1) AND period_end BETWEEN ?2 AND ?3"},
	{"investments_yuan",
	 "SELECT coalesce(sum(amount_yuan), 0) FROM investment WHERE review_status = 'approved' "
	 "AND base_id IS NOT NULL AND (?1 IS NULL OR area = ?1) AND invested_on BETWEEN ?2 AND ?3"},
};

int store_measure_known(const char *measure)
{
	for (size_t i = 0; i < ARRAY_LEN(measures); i++)
		if (strcmp(measures[i].measure, measure) == 0)
			return 1;
	return 0;
}

double store_measure(Store *s, const char *measure, const char *level, const char *area,
                     const char *from, const char *to, int *ok)
{
	*ok = 0;
	for (size_t i = 0; i < ARRAY_LEN(measures); i++) {
		if (strcmp(measures[i].measure, measure) != 0)
			continue;
		sqlite3_stmt *st = store_stmt(s, measures[i].sql);
		if (!st)
			return 0;
		bind_text(st, 1, area);
		bind_text(st, 2, from);
		bind_text(st, 3, to);
		if (sqlite3_bind_parameter_count(st) >= 4)
			bind_text(st, 4, level);
		double v = 0;
		if (sqlite3_step(st) == SQLITE_ROW) {
			v = sqlite3_column_double(st, 0);
			*ok = 1;
		} else {
			store_fail(s, measure);
		}
		sqlite3_reset(st);
		return v;
	}
	return 0;
}

/* The records behind each measure: same filters as `measures`, one row per
 * record (or per dated change), newest last. Columns: kind, id, name, date,
 * value (what the row adds), note. */
static const struct {
	const char *measure;
	const char *sql;
} behind[] = {
	{"area_added_m2",
	 "SELECT 'bases', b.id, b.name, c.changed_on, c.total_delta_m2, c.note FROM base_area_change c "
	 "JOIN base b ON b.id = c.base_id WHERE b.review_status = 'approved' AND (?1 IS NULL OR b.area = ?1) "
	 "AND c.changed_on BETWEEN ?2 AND ?3 ORDER BY c.changed_on, b.id"},
	{"operators_introduced",
	 "SELECT 'operators', id, name, introduced_on, 1, CASE leading_firm WHEN 1 THEN '龙头企业' END FROM operator "
	 "WHERE review_status = 'approved' AND (?1 IS NULL OR area = ?1) AND introduced_on BETWEEN ?2 AND ?3 "
	 "ORDER BY introduced_on, id"},
	{"funds_established",
	 "SELECT 'funds', id, name, established_on, 1, printf('%.0f 元', size_yuan) FROM fund WHERE review_status = 'approved' "
	 "AND (?1 IS NULL OR area = ?1) AND established_on BETWEEN ?2 AND ?3 ORDER BY established_on, id"},
	{"demo_bases",
	 "SELECT 'bases', b.id, b.name, l.recognised_on, 1, l.document FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND (?1 IS NULL OR b.area = ?1) AND l.level = 'demonstration' "
	 "AND l.recognised_on BETWEEN ?2 AND ?3 ORDER BY l.recognised_on, b.id"},
	{"bases_recognised",
	 "SELECT 'bases', b.id, b.name, l.recognised_on, 1, l.document FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND (?1 IS NULL OR b.area = ?1) AND l.level = ?4 "
	 "AND l.recognised_on BETWEEN ?2 AND ?3 ORDER BY l.recognised_on, b.id"},
	{"projects_arrived",
	 "SELECT 'projects', id, name, arrived_on, 1, field FROM project WHERE review_status = 'approved' "
	 "AND (?1 IS NULL OR area = ?1) AND arrived_on BETWEEN ?2 AND ?3 ORDER BY arrived_on, id"},
	{"talents_reported",
	 "SELECT 'reports', id, area || ' ' || period, period_end, value, NULL FROM report_figure "
	 "WHERE review_status = 'approved' AND field = 'talents_new' AND (?1 IS NULL OR area = ?1) "
	 "AND period_end BETWEEN ?2 AND ?3 ORDER BY period_end, area"},
	{"investments_yuan",
	 "SELECT 'investments', i.id, i.investee, i.invested_on, i.amount_yuan, f.name FROM investment i "
	 "JOIN fund f ON f.id = i.fund_id WHERE i.review_status = 'approved' AND i.base_id IS NOT NULL "
	 "AND (?1 IS NULL OR i.area = ?1) AND i.invested_on BETWEEN ?2 AND ?3 ORDER BY i.invested_on, i.id"},
};

int store_measure_records(Store *s, Arena *a, const char *measure, const char *level, const char *area,
                          const char *from, const char *to, MeasureRow **out)
{
	for (size_t i = 0; i < ARRAY_LEN(behind); i++) {
		if (strcmp(behind[i].measure, measure) != 0)
			continue;
		sqlite3_stmt *st = store_stmt(s, behind[i].sql);
		if (!st)
			return -1;
		bind_text(st, 1, area);
		bind_text(st, 2, from);
		bind_text(st, 3, to);
		if (sqlite3_bind_parameter_count(st) >= 4)
			bind_text(st, 4, level);
		int n = 0, cap = 0, rc;
		MeasureRow *v = NULL;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			MeasureRow *m = arena_push(a, &v, &n, &cap, sizeof *m);
			m->kind = col_text(a, st, 0);
			m->id = sqlite3_column_int64(st, 1);
			m->name = col_text(a, st, 2);
			m->on = col_text(a, st, 3);
			m->value = sqlite3_column_double(st, 4);
			m->note = col_text(a, st, 5);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_fail(s, "records behind a figure");
		*out = v;
		return n;
	}
	snprintf(s->err, sizeof s->err, "unknown measure %s", measure);
	return -1;
}
