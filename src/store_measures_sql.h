/*
 * store_measures_sql.h — the SQL of the kept progress totals (measure_total,
 * schema step 6), as string macros shared by the schema step's triggers
 * (store_schema.c) and the rebuild and check (store_measures.c). Included by
 * those two files only.
 *
 * measure_total holds, for every series (measure, level) and scope (an
 * area code: its records and those of every area under it; '*': the whole
 * plan), what the approved records add up to per day (g 'd', key the
 * record's date as stored) and per month (g 'm', key the date's first
 * seven characters), in hundredths (a count adds 100, an amount
 * round(x * 100)), so additions and subtractions stay exact integers. hi is
 * an upper bound of the day keys counted in a month row (it only grows
 * until a rebuild): a window ending on or after hi takes the month whole.
 * A series is what store_progress.c's statements count: the same filters,
 * written once per record here as (m, l, ar, d, v) rows — measure, level
 * ('' but for base_level), the record's area, its date, its value times a
 * sign.
 */
#ifndef HATCHERY_STORE_MEASURES_SQL_H
#define HATCHERY_STORE_MEASURES_SQL_H

/* A date counts when it is text (BETWEEN with text bounds never matches a
 * NULL or a blob). */
#define MT_DAY(c) "typeof(" c ") = 'text'"
#define MT_CENTS(x) "CAST(round(" x " * 100) AS INTEGER)"

/* ---- one row R (NEW or OLD) of a table, its value times S ("1", "-1") ---- */
#define MT_ROW_OPERATOR(R, S)                                                                                      \
	"SELECT 'operators_introduced' AS m, '' AS l, " R ".area AS ar, " R ".introduced_on AS d, " S " * 100 AS v "   \
	"WHERE " R ".review_status = 'approved' AND " MT_DAY(R ".introduced_on") " "                                   \
	"UNION ALL SELECT 'operating_teams_introduced', '', " R ".area, " R ".introduced_on, " S " * 100 "             \
	"WHERE " R ".review_status = 'approved' AND " MT_DAY(R ".introduced_on") " AND NOT " R ".leading_firm"
#define MT_ROW_FUND(R, S)                                                                                          \
	"SELECT 'funds_established' AS m, '' AS l, " R ".area AS ar, " R ".established_on AS d, " S " * 100 AS v "     \
	"WHERE " R ".review_status = 'approved' AND " MT_DAY(R ".established_on")
#define MT_ROW_PROJECT(R, S)                                                                                       \
	"SELECT 'projects_arrived' AS m, '' AS l, " R ".area AS ar, " R ".arrived_on AS d, " S " * 100 AS v "          \
	"WHERE " R ".review_status = 'approved' AND " MT_DAY(R ".arrived_on")
#define MT_ROW_INVESTMENT(R, S)                                                                                    \
	"SELECT 'investments_yuan' AS m, '' AS l, " R ".area AS ar, " R ".invested_on AS d, "                          \
	S " * " MT_CENTS(R ".amount_yuan") " AS v "                                                                    \
	"WHERE " R ".review_status = 'approved' AND " R ".base_id IS NOT NULL AND " MT_DAY(R ".invested_on")
#define MT_ROW_REPORT_FIGURE(R, S)                                                                                 \
	"SELECT 'talents_reported' AS m, '' AS l, " R ".area AS ar, " R ".period_end AS d, "                           \
	S " * " MT_CENTS(R ".value") " AS v "                                                                          \
	"WHERE " R ".review_status = 'approved' AND " R ".field = 'talents_new' AND " MT_DAY(R ".period_end")
/* a base's floor-area change and recognition count while their base is approved, in its area */
#define MT_ROW_AREA_CHANGE(R, S)                                                                                   \
	"SELECT 'area_added_m2' AS m, '' AS l, b.area AS ar, " R ".changed_on AS d, "                                  \
	S " * " MT_CENTS(R ".total_delta_m2") " AS v FROM base b "                                                     \
	"WHERE b.id = " R ".base_id AND b.review_status = 'approved' AND " MT_DAY(R ".changed_on")
#define MT_ROW_BASE_LEVEL(R, S)                                                                                    \
	"SELECT 'base_level' AS m, " R ".level AS l, b.area AS ar, " R ".recognised_on AS d, " S " * 100 AS v "        \
	"FROM base b WHERE b.id = " R ".base_id AND b.review_status = 'approved' AND " MT_DAY(R ".recognised_on")
/* a base row R: what its changes and recognitions add while it stands as R */
#define MT_ROW_BASE(R, S)                                                                                          \
	"SELECT 'area_added_m2' AS m, '' AS l, " R ".area AS ar, c.changed_on AS d, "                                  \
	S " * " MT_CENTS("c.total_delta_m2") " AS v FROM base_area_change c "                                          \
	"WHERE c.base_id = " R ".id AND " R ".review_status = 'approved' AND " MT_DAY("c.changed_on") " "              \
	"UNION ALL SELECT 'base_level', l.level, " R ".area, l.recognised_on, " S " * 100 FROM base_level l "         \
	"WHERE l.base_id = " R ".id AND " R ".review_status = 'approved' AND " MT_DAY("l.recognised_on")

/* Adds the rows of SRC (m, l, ar, d, v) to the record's area, every area
 * above it and '*', by day and by month. */
#define MT_APPLY(SRC)                                                                                              \
	"INSERT INTO measure_total(measure, level, scope, g, key, v, hi) "                                             \
	"SELECT m, l, sc, g, k, sum(v), max(d) FROM ("                                                                 \
	"SELECT s.m, s.l, a.ancestor AS sc, 'd' AS g, s.d AS k, s.v, s.d FROM (" SRC ") s "                            \
	"JOIN area_ancestor a ON a.area = s.ar "                                                                       \
	"UNION ALL SELECT s.m, s.l, '*', 'd', s.d, s.v, s.d FROM (" SRC ") s "                                         \
	"UNION ALL SELECT s.m, s.l, a.ancestor, 'm', substr(s.d, 1, 7), s.v, s.d FROM (" SRC ") s "                     \
	"JOIN area_ancestor a ON a.area = s.ar "                                                                       \
	"UNION ALL SELECT s.m, s.l, '*', 'm', substr(s.d, 1, 7), s.v, s.d FROM (" SRC ") s"                            \
	") WHERE true GROUP BY m, l, sc, g, k HAVING sum(v) <> 0 "                                                     \
	"ON CONFLICT(measure, level, scope, g, key) DO UPDATE SET v = v + excluded.v, hi = max(hi, excluded.hi);"
/* The same for one scope only (an area_ancestor row: SC above the records of the area). */
#define MT_APPLY_SCOPE(SRC, SC)                                                                                    \
	"INSERT INTO measure_total(measure, level, scope, g, key, v, hi) "                                             \
	"SELECT m, l, " SC ", g, k, sum(v), max(d) FROM ("                                                             \
	"SELECT s.m, s.l, 'd' AS g, s.d AS k, s.v, s.d FROM (" SRC ") s "                                              \
	"UNION ALL SELECT s.m, s.l, 'm', substr(s.d, 1, 7), s.v, s.d FROM (" SRC ") s"                                 \
	") WHERE true GROUP BY m, l, g, k HAVING sum(v) <> 0 "                                                         \
	"ON CONFLICT(measure, level, scope, g, key) DO UPDATE SET v = v + excluded.v, hi = max(hi, excluded.hi);"

/* The three triggers of a table whose rows count by themselves; UPD lists
 * the columns whose change moves a total. */
#define MT_TRIGGERS(t, ROW, UPD)                                                                                   \
	"CREATE TRIGGER " t "_measure_insert AFTER INSERT ON " t " BEGIN " MT_APPLY(ROW("NEW", "1")) " END;\n"        \
	"CREATE TRIGGER " t "_measure_delete AFTER DELETE ON " t " BEGIN " MT_APPLY(ROW("OLD", "-1")) " END;\n"       \
	"CREATE TRIGGER " t "_measure_update AFTER UPDATE OF " UPD " ON " t " BEGIN "                                  \
	MT_APPLY(ROW("OLD", "-1") " UNION ALL " ROW("NEW", "1")) " END;\n"

/* ---- every record at once, for a rebuild and the check; F(col) filters
 * by the record's area column ("1" for all) ---- */
#define MT_ALL_OPERATOR(F)                                                                                         \
	"SELECT 'operators_introduced' AS m, '' AS l, area AS ar, introduced_on AS d, 100 AS v FROM operator "         \
	"WHERE review_status = 'approved' AND " MT_DAY("introduced_on") " AND " F("area") " "                          \
	"UNION ALL SELECT 'operating_teams_introduced', '', area, introduced_on, 100 FROM operator "                  \
	"WHERE review_status = 'approved' AND " MT_DAY("introduced_on") " AND NOT leading_firm AND " F("area")
#define MT_ALL_FUND(F)                                                                                             \
	"SELECT 'funds_established' AS m, '' AS l, area AS ar, established_on AS d, 100 AS v FROM fund "               \
	"WHERE review_status = 'approved' AND " MT_DAY("established_on") " AND " F("area")
#define MT_ALL_PROJECT(F)                                                                                          \
	"SELECT 'projects_arrived' AS m, '' AS l, area AS ar, arrived_on AS d, 100 AS v FROM project "                 \
	"WHERE review_status = 'approved' AND " MT_DAY("arrived_on") " AND " F("area")
#define MT_ALL_INVESTMENT(F)                                                                                       \
	"SELECT 'investments_yuan' AS m, '' AS l, area AS ar, invested_on AS d, " MT_CENTS("amount_yuan") " AS v "     \
	"FROM investment WHERE review_status = 'approved' AND base_id IS NOT NULL AND " MT_DAY("invested_on")          \
	" AND " F("area")
#define MT_ALL_REPORT_FIGURE(F)                                                                                    \
	"SELECT 'talents_reported' AS m, '' AS l, area AS ar, period_end AS d, " MT_CENTS("value") " AS v "            \
	"FROM report_figure WHERE review_status = 'approved' AND field = 'talents_new' AND " MT_DAY("period_end")      \
	" AND " F("area")
#define MT_ALL_BASE(F)                                                                                             \
	"SELECT 'area_added_m2' AS m, '' AS l, b.area AS ar, c.changed_on AS d, " MT_CENTS("c.total_delta_m2")        \
	" AS v FROM base b JOIN base_area_change c ON c.base_id = b.id "                                               \
	"WHERE b.review_status = 'approved' AND " MT_DAY("c.changed_on") " AND " F("b.area") " "                       \
	"UNION ALL SELECT 'base_level', l.level, b.area, l.recognised_on, 100 FROM base b "                           \
	"JOIN base_level l ON l.base_id = b.id "                                                                       \
	"WHERE b.review_status = 'approved' AND " MT_DAY("l.recognised_on") " AND " F("b.area")
#define MT_ALL(F)                                                                                                  \
	MT_ALL_OPERATOR(F) " UNION ALL " MT_ALL_FUND(F) " UNION ALL " MT_ALL_PROJECT(F) " UNION ALL "                 \
	MT_ALL_INVESTMENT(F) " UNION ALL " MT_ALL_REPORT_FIGURE(F) " UNION ALL " MT_ALL_BASE(F)
#define MT_EVERY(c) "1"
#define MT_OF_NEW(c) c " = NEW.area"
#define MT_OF_OLD(c) c " = OLD.area"

/* The rows SRC makes, grouped as measure_total holds them (nonzero only):
 * measure, level, scope, g, key, v, hi. */
#define MT_GROUPED(SRC)                                                                                            \
	"SELECT m, l, sc, g, k, sum(v) AS v, max(d) AS hi FROM ("                                                      \
	"SELECT s.m, s.l, a.ancestor AS sc, 'd' AS g, s.d AS k, s.v, s.d FROM (" SRC ") s "                            \
	"JOIN area_ancestor a ON a.area = s.ar "                                                                       \
	"UNION ALL SELECT s.m, s.l, '*', 'd', s.d, s.v, s.d FROM (" SRC ") s "                                         \
	"UNION ALL SELECT s.m, s.l, a.ancestor, 'm', substr(s.d, 1, 7), s.v, s.d FROM (" SRC ") s "                     \
	"JOIN area_ancestor a ON a.area = s.ar "                                                                       \
	"UNION ALL SELECT s.m, s.l, '*', 'm', substr(s.d, 1, 7), s.v, s.d FROM (" SRC ") s"                            \
	") GROUP BY m, l, sc, g, k HAVING sum(v) <> 0"

#endif
