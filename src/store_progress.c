/*
 * store_progress.c — the SQL behind each progress measure of the plan
 * format (docs/PLAN-FORMAT.md, "Indicators"). Each counts approved records
 * only, dated inside [from, to] (ISO dates compare as text), for one area
 * and every area under it (area_ancestor, the closure of area.parent) or,
 * with area NULL, the whole plan.
 *
 * Speed (docs/BENCHMARKS.md): a measure is read from the totals kept as
 * the records change (measure_total, store_totals.c); the statements here
 * count the records themselves, with HATCHERY_MEASURE_CACHE=0 (the
 * benchmarks' reference) — one for the whole plan and one for an area (an
 * `?1 IS NULL OR area = ?1` filter cannot use an index). The records'
 * rules are written a second time, per record, in store_measures_sql.h:
 * a change here goes there too (tests/unit/test_measures.c compares them).
 */
#include "store_internal.h"
#include "store_totals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per measure: the whole plan (?2 from, ?3 to, ?4 level), and one area and
 * the areas under it (?1 the area). */
typedef struct MeasureSql {
	const char *measure;
	const char *all, *area;
} MeasureSql;

#define UNDER(col) col " IN (SELECT area FROM area_ancestor WHERE ancestor = ?1)"
/* The bases of ?1 and the areas under it, joined in this order (CROSS JOIN
 * fixes it: the planner would otherwise walk a whole date index). */
#define AREA_BASES "(SELECT area FROM area_ancestor WHERE ancestor = ?1) x CROSS JOIN base b ON b.area = x.area"
/* The same for a table with its own area: its (area, review_status, date)
 * index is searched once per area under ?1. */
#define AREA_ROWS(t) "(SELECT area FROM area_ancestor WHERE ancestor = ?1) x CROSS JOIN " t " ON " t ".area = x.area"

static const MeasureSql measures[] = {
	{"area_added_m2",
	 "SELECT coalesce(sum(c.total_delta_m2), 0) FROM base b CROSS JOIN base_area_change c "
	 "WHERE c.base_id = b.id AND b.review_status = 'approved' AND c.changed_on BETWEEN ?2 AND ?3",
	 "SELECT coalesce(sum(c.total_delta_m2), 0) FROM " AREA_BASES " CROSS JOIN base_area_change c "
	 "WHERE c.base_id = b.id AND b.review_status = 'approved' AND c.changed_on BETWEEN ?2 AND ?3"},
	{"operators_introduced",
	 "SELECT count(*) FROM operator WHERE review_status = 'approved' AND introduced_on BETWEEN ?2 AND ?3",
	 "SELECT count(*) FROM " AREA_ROWS("operator") " WHERE review_status = 'approved'"
	 " AND introduced_on BETWEEN ?2 AND ?3"},
	/* the plan's 专业孵化运营团队: operators only, 龙头企业 left out (they
	 * count in the 六比 indicator above) */
	{"operating_teams_introduced",
	 "SELECT count(*) FROM operator WHERE review_status = 'approved' AND NOT leading_firm "
	 "AND introduced_on BETWEEN ?2 AND ?3",
	 "SELECT count(*) FROM " AREA_ROWS("operator") " WHERE review_status = 'approved' AND NOT leading_firm"
	 " AND introduced_on BETWEEN ?2 AND ?3"},
	{"funds_established",
	 "SELECT count(*) FROM fund WHERE review_status = 'approved' AND established_on BETWEEN ?2 AND ?3",
	 "SELECT count(*) FROM " AREA_ROWS("fund") " WHERE review_status = 'approved'"
	 " AND established_on BETWEEN ?2 AND ?3"},
	{"demo_bases",
	 "SELECT count(*) FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND l.level = 'demonstration' AND l.recognised_on BETWEEN ?2 AND ?3",
	 "SELECT count(*) FROM " AREA_BASES " CROSS JOIN base_level l "
	 "WHERE l.base_id = b.id AND b.review_status = 'approved' "
	 "AND l.level = 'demonstration' AND l.recognised_on BETWEEN ?2 AND ?3"},
	{"bases_recognised",
	 "SELECT count(*) FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND l.level = ?4 AND l.recognised_on BETWEEN ?2 AND ?3",
	 "SELECT count(*) FROM " AREA_BASES " CROSS JOIN base_level l "
	 "WHERE l.base_id = b.id AND b.review_status = 'approved' "
	 "AND l.level = ?4 AND l.recognised_on BETWEEN ?2 AND ?3"},
	{"projects_arrived",
	 "SELECT count(*) FROM project WHERE review_status = 'approved' AND arrived_on BETWEEN ?2 AND ?3",
	 "SELECT count(*) FROM " AREA_ROWS("project") " WHERE review_status = 'approved'"
	 " AND arrived_on BETWEEN ?2 AND ?3"},
	{"talents_reported",
	 "SELECT coalesce(sum(value), 0) FROM report_figure WHERE review_status = 'approved' "
	 "AND field = 'talents_new' AND period_end BETWEEN ?2 AND ?3",
	 "SELECT coalesce(sum(value), 0) FROM " AREA_ROWS("report_figure") " WHERE review_status = 'approved' "
	 "AND field = 'talents_new' AND period_end BETWEEN ?2 AND ?3"},
	{"investments_yuan",
	 "SELECT coalesce(sum(amount_yuan), 0) FROM investment WHERE review_status = 'approved' "
	 "AND base_id IS NOT NULL AND invested_on BETWEEN ?2 AND ?3",
	 "SELECT coalesce(sum(amount_yuan), 0) FROM " AREA_ROWS("investment") " WHERE review_status = 'approved' "
	 "AND base_id IS NOT NULL AND invested_on BETWEEN ?2 AND ?3"},
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
		double v = 0;
		/* the totals kept as the records change (store_totals.c): the
		 * recognitions are one series by level */
		const char *series = measure, *lv = "";
		if (strcmp(measure, "demo_bases") == 0)
			series = "base_level", lv = "demonstration";
		else if (strcmp(measure, "bases_recognised") == 0)
			series = "base_level", lv = level;
		int got = store_totals_lookup(s, series, lv, area, from, to, &v);
		if (got < 0)
			return 0;
		if (got) {
			*ok = 1;
			return v;
		}
		sqlite3_stmt *st = store_stmt(s, area ? measures[i].area : measures[i].all);
		if (!st)
			return 0;
		bind_text(st, 1, area);
		bind_text(st, 2, from);
		bind_text(st, 3, to);
		if (sqlite3_bind_parameter_count(st) >= 4)
			bind_text(st, 4, level);
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

int store_measure_every_area(Store *s, Arena *a, const char *measure, const char *level, const char *from,
                             const char *to, const char ***codes, double **values)
{
	*codes = NULL;
	*values = NULL;
	if (!store_measure_known(measure))
		return 0;
	/* the series as store_measure names it */
	const char *series = measure, *lv = "";
	if (strcmp(measure, "demo_bases") == 0)
		series = "base_level", lv = "demonstration";
	else if (strcmp(measure, "bases_recognised") == 0)
		series = "base_level", lv = level;
	return store_totals_every_area(s, a, series, lv, from, to, codes, values);
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
	 "JOIN base b ON b.id = c.base_id WHERE b.review_status = 'approved' "
	 "AND (?1 IS NULL OR " UNDER("b.area") ") "
	 "AND c.changed_on BETWEEN ?2 AND ?3 ORDER BY c.changed_on, b.id"},
	{"operators_introduced",
	 "SELECT 'operators', id, name, introduced_on, 1, CASE leading_firm WHEN 1 THEN '龙头企业' END FROM operator "
	 "WHERE review_status = 'approved' AND (?1 IS NULL OR " UNDER("area") ") AND introduced_on BETWEEN ?2 AND ?3 "
	 "ORDER BY introduced_on, id"},
	{"operating_teams_introduced",
	 "SELECT 'operators', id, name, introduced_on, 1, NULL FROM operator "
	 "WHERE review_status = 'approved' AND NOT leading_firm AND (?1 IS NULL OR " UNDER("area") ") "
	 "AND introduced_on BETWEEN ?2 AND ?3 ORDER BY introduced_on, id"},
	{"funds_established",
	 "SELECT 'funds', id, name, established_on, 1, printf('%.0f 元', size_yuan) FROM fund WHERE review_status = 'approved' "
	 "AND (?1 IS NULL OR " UNDER("area") ") AND established_on BETWEEN ?2 AND ?3 ORDER BY established_on, id"},
	{"demo_bases",
	 "SELECT 'bases', b.id, b.name, l.recognised_on, 1, l.document FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND (?1 IS NULL OR " UNDER("b.area") ") AND l.level = 'demonstration' "
	 "AND l.recognised_on BETWEEN ?2 AND ?3 ORDER BY l.recognised_on, b.id"},
	{"bases_recognised",
	 "SELECT 'bases', b.id, b.name, l.recognised_on, 1, l.document FROM base_level l JOIN base b ON b.id = l.base_id "
	 "WHERE b.review_status = 'approved' AND (?1 IS NULL OR " UNDER("b.area") ") AND l.level = ?4 "
	 "AND l.recognised_on BETWEEN ?2 AND ?3 ORDER BY l.recognised_on, b.id"},
	{"projects_arrived",
	 "SELECT 'projects', id, name, arrived_on, 1, field FROM project WHERE review_status = 'approved' "
	 "AND (?1 IS NULL OR " UNDER("area") ") AND arrived_on BETWEEN ?2 AND ?3 ORDER BY arrived_on, id"},
	/* a figure from an accepted report (report_id) links to it: kind is its path */
	{"talents_reported",
	 "SELECT CASE WHEN r.id IS NULL THEN 'reports' ELSE 'reports/' || r.form || '/' || r.period || '/' || r.org END, "
	 "f.id, coalesce(a.name, f.area) || ' ' || f.period, f.period_end, f.value, "
	 "CASE WHEN r.id IS NOT NULL THEN '已确认的报表' END FROM report_figure f "
	 "LEFT JOIN report r ON r.id = f.report_id LEFT JOIN area a ON a.code = f.area "
	 "WHERE f.review_status = 'approved' AND f.field = 'talents_new' AND (?1 IS NULL OR " UNDER("f.area") ") "
	 "AND f.period_end BETWEEN ?2 AND ?3 ORDER BY f.period_end, f.area"},
	{"investments_yuan",
	 "SELECT 'investments', i.id, i.investee, i.invested_on, i.amount_yuan, f.name FROM investment i "
	 "JOIN fund f ON f.id = i.fund_id WHERE i.review_status = 'approved' AND i.base_id IS NOT NULL "
	 "AND (?1 IS NULL OR " UNDER("i.area") ") AND i.invested_on BETWEEN ?2 AND ?3 ORDER BY i.invested_on, i.id"},
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
