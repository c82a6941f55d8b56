/*
 * store_measures.c — the kept progress totals (measure_total, schema step
 * 6, store_measures_sql.h) and record_count made afresh from the records
 * (`hatchery rebuild`, and the bulk writes that suspend the row triggers),
 * and compared with a full recomputation (`hatchery check`, the tests).
 */
#include "store_internal.h"
#include "store_measures_sql.h"

#include <stdio.h>
#include <string.h>

/* What a bulk write of one record kind suspends and makes again: the
 * measure triggers of its tables and its series. */
typedef struct MeasureKind {
	const char *kind;
	const char *tables;  /* ",table,...," */
	const char *rebuild; /* SQL */
} MeasureKind;

/* The records' rows (m, l, ar, d, v) summed per day and area in a temp
 * table, then spread to the areas above and '*' and by month: each record
 * table is read once. */
#define MT_SRC_TEMP(SRC)                                                                                           \
	"DROP TABLE IF EXISTS temp.mt_src;\n"                                                                          \
	"CREATE TEMP TABLE mt_src(m TEXT, l TEXT, ar TEXT, d TEXT, v INTEGER);\n"                                      \
	"INSERT INTO temp.mt_src SELECT m, l, ar, d, sum(v) FROM (" SRC ") GROUP BY m, l, ar, d;\n"
#define MT_REBUILD(MEASURES, SRC)                                                                                  \
	MT_SRC_TEMP(SRC)                                                                                               \
	"DELETE FROM measure_total WHERE measure IN (" MEASURES ");\n"                                                 \
	"INSERT INTO measure_total(measure, level, scope, g, key, v, hi) "                                             \
	MT_GROUPED("SELECT m, l, ar, d, v FROM temp.mt_src") ";\n"                                                     \
	"DROP TABLE temp.mt_src;\n"

static const MeasureKind kinds[] = {
	{"operators", ",operator,",
	 MT_REBUILD("'operators_introduced', 'operating_teams_introduced'", MT_ALL_OPERATOR(MT_EVERY))},
	{"funds", ",fund,", MT_REBUILD("'funds_established'", MT_ALL_FUND(MT_EVERY))},
	{"projects", ",project,", MT_REBUILD("'projects_arrived'", MT_ALL_PROJECT(MT_EVERY))},
	{"investments", ",investment,", MT_REBUILD("'investments_yuan'", MT_ALL_INVESTMENT(MT_EVERY))},
	{"bases", ",base,base_area_change,base_level,", MT_REBUILD("'area_added_m2', 'base_level'", MT_ALL_BASE(MT_EVERY))},
	{"*", "*",
	 MT_SRC_TEMP(MT_ALL(MT_EVERY)) "DELETE FROM measure_total;\n"
	 "INSERT INTO measure_total(measure, level, scope, g, key, v, hi) "
	 MT_GROUPED("SELECT m, l, ar, d, v FROM temp.mt_src") ";\n"
	 "DROP TABLE temp.mt_src;\n"},
};

static const MeasureKind *kind_of(const char *kind)
{
	for (size_t i = 0; kind && i < ARRAY_LEN(kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

const char *store_measure_tables(const char *kind)
{
	const MeasureKind *k = kind_of(kind);
	return k ? k->tables : "";
}

static int run(Store *s, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return H_ERR;
	}
	return H_OK;
}

int store_measures_rebuild(Store *s, const char *kind)
{
	const MeasureKind *k = kind_of(kind);
	if (!k)
		return H_OK;
	/* what the rows held before may be kept by a connection's memory
	 * (store_totals.c) or a kept page: every stamp moves */
	int rc = run(s, k->rebuild, "rebuild the progress totals");
	return rc == H_OK ? store_stamps_move_all(s) : rc;
}

/* record_count as counting the tables gives it */
#define RC_ONE(kind, t) "SELECT '" kind "' AS kind, area, review_status, count(*) AS n FROM " t " GROUP BY area, review_status"
#define RC_ALL                                                                                                     \
	RC_ONE("bases", "base") " UNION ALL " RC_ONE("operators", "operator") " UNION ALL " RC_ONE("funds", "fund")    \
	" UNION ALL " RC_ONE("investments", "investment") " UNION ALL " RC_ONE("projects", "project")                  \
	" UNION ALL " RC_ONE("firms", "firm")

int store_counts_rebuild(Store *s)
{
	return run(s, "DELETE FROM record_count;\n"
	              "INSERT INTO record_count(kind, area, review_status, n) " RC_ALL ";\n",
	           "count the records");
}

int store_measures_check(Store *s, Arena *a, int max_lines, char ***lines_out, long long *rows_out)
{
	/* the recomputation, then every row that differs: kept against counted */
	static const char make[] =
		MT_SRC_TEMP(MT_ALL(MT_EVERY))
		"DROP TABLE IF EXISTS temp.mt_check;\n"
		"CREATE TEMP TABLE mt_check AS " MT_GROUPED("SELECT m, l, ar, d, v FROM temp.mt_src") ";\n"
		"CREATE INDEX temp.mt_check_key ON mt_check(m, l, sc, g, k);\n"
		"DROP TABLE temp.mt_src;\n";
	static const char diff[] =
		"SELECT 'measure_total ' || c.m || coalesce(nullif(':' || c.l, ':'), '') || ' ' || c.sc || ' ' || c.g || ' ' || c.k "
		"|| ': kept ' || coalesce(t.v, 0) || ', counted ' || c.v "
		"|| CASE WHEN t.v = c.v THEN ' (its month''s last day ' || c.hi || ' is after the kept bound ' "
		"|| coalesce(t.hi, 'NULL') || ')' ELSE '' END "
		"FROM temp.mt_check c LEFT JOIN measure_total t "
		"ON t.measure = c.m AND t.level = c.l AND t.scope = c.sc AND t.g = c.g AND t.key = c.k "
		"WHERE t.v IS NOT c.v OR (c.g = 'm' AND (t.hi IS NULL OR t.hi < c.hi)) "
		"UNION ALL "
		"SELECT 'measure_total ' || t.measure || coalesce(nullif(':' || t.level, ':'), '') || ' ' || t.scope || ' ' "
		"|| t.g || ' ' || t.key || ': kept ' || t.v || ', counted 0' FROM measure_total t "
		"WHERE t.v <> 0 AND NOT EXISTS (SELECT 1 FROM temp.mt_check c "
		"WHERE c.m = t.measure AND c.l = t.level AND c.sc = t.scope AND c.g = t.g AND c.k = t.key) "
		"UNION ALL "
		"SELECT 'record_count ' || c.kind || ' ' || c.area || ' ' || c.review_status || ': kept ' || coalesce(r.n, 0) "
		"|| ', counted ' || c.n FROM (" RC_ALL ") c LEFT JOIN record_count r "
		"ON r.kind = c.kind AND r.area = c.area AND r.review_status = c.review_status WHERE r.n IS NOT c.n "
		"UNION ALL "
		"SELECT 'record_count ' || r.kind || ' ' || r.area || ' ' || r.review_status || ': kept ' || r.n "
		"|| ', counted 0' FROM record_count r WHERE r.n <> 0 AND NOT EXISTS (SELECT 1 FROM (" RC_ALL ") c "
		"WHERE c.kind = r.kind AND c.area = r.area AND c.review_status = r.review_status)";
	static const char rows[] = "SELECT count(*) FROM temp.mt_check";
	*lines_out = NULL;
	if (rows_out)
		*rows_out = 0;
	int own_tx = sqlite3_get_autocommit(s->db);
	/* one snapshot for the recomputation and the comparison */
	if (own_tx && run(s, "BEGIN", "check") != H_OK)
		return -1;
	long long n = 0;
	int cap = 0, nlines = 0;
	char **lines = NULL;
	sqlite3_stmt *st = NULL;
	if (run(s, make, "recount the progress totals") != H_OK) {
		n = -1;
	} else if (sqlite3_prepare_v2(s->db, rows, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, "count the progress totals");
		n = -1;
	} else {
		if (rows_out)
			*rows_out = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
		int rc = SQLITE_DONE;
		if (sqlite3_prepare_v2(s->db, diff, -1, &st, NULL) != SQLITE_OK) {
			n = -1;
			store_fail(s, "compare the progress totals");
		} else {
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				if (nlines < max_lines)
					*(const char **)arena_push(a, &lines, &nlines, &cap, sizeof *lines) = col_text(a, st, 0);
				n++;
			}
			if (rc != SQLITE_DONE) {
				store_fail(s, "compare the progress totals");
				n = -1;
			}
		}
	}
	sqlite3_finalize(st);
	run(s, "DROP TABLE IF EXISTS temp.mt_check", "check");
	if (own_tx)
		run(s, "ROLLBACK", "check");
	*lines_out = lines;
	return n < 0 ? -1 : (int)(n > 2147483647 ? 2147483647 : n);
}
