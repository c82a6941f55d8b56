/*
 * store_progress.c — the SQL behind each progress measure of the plan
 * format (docs/PLAN-FORMAT.md, "Indicators"). Each counts approved records
 * only, dated inside [from, to] (ISO dates compare as text), for one area
 * or, with area NULL, the whole city.
 */
#include "store_internal.h"

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
