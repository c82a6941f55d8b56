/*
 * store_eval.c — the SQL of evaluation: rule sets and their rules, the
 * facts of a base that rules measure, annual figures, reviewers' verdicts
 * and recognitions.
 */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>


#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

int store_rule_set_save(Store *s, const RuleSet *rs, const char *origin, int sort)
{
	static const char del[] = "DELETE FROM rule_set WHERE code = ?1";
	static const char q_set[] =
		"INSERT INTO rule_set(code, name, name_en, source, citation, note, origin, sort, level, kinds, specialised, "
		"valid_from, valid_to, issued_on, source_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
	static const char q_rule[] =
		"INSERT INTO rule(rule_set, id, item, text, wording, measure, op, threshold, unit, or_measure, or_op, "
		"or_threshold, score, sort, article, verbatim) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
	sqlite3_stmt *st = store_stmt(s, del);
	if (!st)
		return H_ERR;
	bind_text(st, 1, rs->code);
	if (store_step_done(s, st, "replace rule set") != H_OK || !(st = store_stmt(s, q_set)))
		return H_ERR;
	bind_text(st, 1, rs->code);
	bind_text(st, 2, rs->name);
	bind_text(st, 3, rs->name_en);
	bind_text(st, 4, rs->source);
	bind_text(st, 5, rs->citation);
	bind_text(st, 6, rs->note);
	bind_text(st, 7, origin);
	sqlite3_bind_int(st, 8, sort);
	bind_text(st, 9, rs->level);
	bind_text(st, 10, rs->kinds);
	sqlite3_bind_int(st, 11, rs->specialised);
	bind_text(st, 12, rs->valid_from);
	bind_text(st, 13, rs->valid_to);
	bind_text(st, 14, rs->issued_on);
	bind_text(st, 15, rs->source_url);
	if (store_step_done(s, st, "save rule set") != H_OK)
		return H_ERR;
	for (int j = 0; j < rs->nrules; j++) {
		const Rule *r = &rs->rules[j];
		if (!(st = store_stmt(s, q_rule)))
			return H_ERR;
		bind_text(st, 1, rs->code);
		bind_text(st, 2, r->id);
		sqlite3_bind_int(st, 3, r->item);
		bind_text(st, 4, r->text);
		bind_text(st, 5, r->wording);
		bind_text(st, 6, r->measure);
		bind_text(st, 7, r->op);
		if (r->has_threshold)
			sqlite3_bind_double(st, 8, r->threshold);
		bind_text(st, 9, r->unit);
		bind_text(st, 10, r->or_measure);
		bind_text(st, 11, r->or_op);
		if (r->or_measure)
			sqlite3_bind_double(st, 12, r->or_threshold);
		if (r->has_score)
			sqlite3_bind_double(st, 13, r->score);
		sqlite3_bind_int(st, 14, j);
		bind_text(st, 15, r->article);
		sqlite3_bind_int(st, 16, r->verbatim);
		if (store_step_done(s, st, "save rule") != H_OK)
			return H_ERR;
	}
	return H_OK;
}

int store_rule_sets(Store *s, Arena *a, RuleSet **out)
{
	static const char q_sets[] =
		"SELECT code, name, name_en, source, citation, note, (SELECT count(*) FROM rule r WHERE r.rule_set = rs.code), "
		"level, kinds, specialised, valid_from, valid_to, issued_on, source_url "
		"FROM rule_set rs ORDER BY origin <> 'plan', sort, code";
	static const char q_rules[] =
		"SELECT id, item, text, wording, measure, op, threshold, unit, or_measure, or_op, or_threshold, score, "
		"article, verbatim FROM rule WHERE rule_set = ?1 ORDER BY sort";
	sqlite3_stmt *st = store_stmt(s, q_sets);
	if (!st)
		return -1;
	int n = 0, cap = 0;
	RuleSet *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		RuleSet *rs = arena_push(a, &v, &n, &cap, sizeof *rs);
		rs->code = col_text(a, st, 0);
		rs->name = col_text(a, st, 1);
		rs->name_en = col_text(a, st, 2);
		rs->source = col_text(a, st, 3);
		rs->citation = col_text(a, st, 4);
		rs->note = col_text(a, st, 5);
		rs->rules = arena_alloc(a, sizeof *rs->rules * (size_t)(sqlite3_column_int(st, 6) + 1));
		rs->level = col_text(a, st, 7);
		rs->kinds = col_text(a, st, 8);
		rs->specialised = sqlite3_column_int(st, 9);
		rs->valid_from = col_text(a, st, 10);
		rs->valid_to = col_text(a, st, 11);
		rs->issued_on = col_text(a, st, 12);
		rs->source_url = col_text(a, st, 13);
	}
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		if (!(st = store_stmt(s, q_rules)))
			return -1;
		bind_text(st, 1, v[i].code);
		while (sqlite3_step(st) == SQLITE_ROW) {
			Rule *r = &v[i].rules[v[i].nrules++];
			r->id = col_text(a, st, 0);
			r->item = sqlite3_column_int(st, 1);
			r->text = col_text(a, st, 2);
			r->wording = col_text(a, st, 3);
			r->measure = col_text(a, st, 4);
			r->op = col_text(a, st, 5);
			r->has_threshold = sqlite3_column_type(st, 6) != SQLITE_NULL;
			r->threshold = sqlite3_column_double(st, 6);
			r->unit = col_text(a, st, 7);
			r->or_measure = col_text(a, st, 8);
			r->or_op = col_text(a, st, 9);
			r->or_threshold = sqlite3_column_double(st, 10);
			r->has_score = sqlite3_column_type(st, 11) != SQLITE_NULL;
			r->score = sqlite3_column_double(st, 11);
			r->article = col_text(a, st, 12);
			r->verbatim = sqlite3_column_int(st, 13);
		}
		sqlite3_reset(st);
	}
	*out = v;
	return n;
}

int store_rule_score_set(Store *s, const char *set, const char *rule_id, double score, int has)
{
	static const char sql[] = "UPDATE rule SET score = ?3 WHERE rule_set = ?1 AND id = ?2";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, set);
	bind_text(st, 2, rule_id);
	if (has)
		sqlite3_bind_double(st, 3, score);
	if (store_step_done(s, st, "save score") != H_OK)
		return H_ERR;
	return sqlite3_changes(s->db) == 1 ? H_OK : H_ERR;
}

/* A base's facts as of ?2 (docs/RULES-FORMAT.md, "As of a date"): floor
 * area from its dated changes up to that day (the record's figure when it
 * has none), firms entered by then and not yet graduated, funds set up by
 * then, investments made by then, an operator brought in by then. */
int store_eval_facts(Store *s, Arena *a, long long id, BaseFacts *f)
{
	static const char sql[] =
		"SELECT b.id, b.name, b.area, b.kind, b.opened_on, b.leading_industry, "
		"CASE WHEN EXISTS (SELECT 1 FROM base_area_change c WHERE c.base_id = b.id) "
		" THEN (SELECT coalesce(sum(total_delta_m2), 0) FROM base_area_change c WHERE c.base_id = b.id AND c.changed_on <= ?2) "
		" ELSE b.total_area_m2 END, "
		"CASE WHEN EXISTS (SELECT 1 FROM base_area_change c WHERE c.base_id = b.id) "
		" THEN (SELECT coalesce(sum(incubation_delta_m2), 0) FROM base_area_change c WHERE c.base_id = b.id "
		"       AND c.changed_on <= ?2) "
		" ELSE b.incubation_area_m2 END, "
		"b.public_service_area_m2, b.has_public_platform, "
		"b.operator_id IS NOT NULL AND coalesce((SELECT o.introduced_on <= ?2 OR o.introduced_on IS NULL FROM operator o "
		" WHERE o.id = b.operator_id), 1), "
		"json_array_length(b.facilities), "
		/* firms: ever registered by then; in incubation; of them in the leading industry; graduated by then */
		"(SELECT count(*) FROM firm c WHERE c.base_id = b.id AND c.review_status = 'approved' "
		" AND (c.entered_on IS NULL OR c.entered_on <= ?2)), "
		"(SELECT count(*) FROM firm c WHERE c.base_id = b.id AND c.review_status = 'approved' "
		" AND (c.entered_on IS NULL OR c.entered_on <= ?2) AND (c.graduated_on IS NULL OR c.graduated_on > ?2)), "
		"(SELECT count(*) FROM firm c WHERE c.base_id = b.id AND c.review_status = 'approved' AND c.in_leading_industry "
		" AND (c.entered_on IS NULL OR c.entered_on <= ?2) AND (c.graduated_on IS NULL OR c.graduated_on > ?2)), "
		"(SELECT count(*) FROM firm c WHERE c.base_id = b.id AND c.review_status = 'approved' AND c.graduated_on <= ?2), "
		"coalesce(b.firms_total, -1), coalesce(b.firms_leading_industry, -1), "
		"(SELECT coalesce(sum(size_yuan), 0) FROM fund f WHERE f.base_id = b.id AND f.review_status = 'approved' "
		" AND f.inside_base AND f.established_on <= ?2), "
		"(SELECT coalesce(sum(size_yuan), 0) FROM fund f WHERE f.base_id = b.id AND f.review_status = 'approved' "
		" AND f.stage IN ('seed', 'angel') AND f.targets_leading_industry AND f.established_on <= ?2), "
		"(SELECT coalesce(sum(size_yuan), 0) FROM fund f WHERE f.base_id = b.id AND f.review_status = 'approved' "
		" AND f.stage IN ('seed', 'angel') AND f.established_on <= ?2), "
		/* 资金使用案例: firms of this base its own funds invested in by then */
		"(SELECT count(DISTINCT i.investee) FROM investment i JOIN fund f ON f.id = i.fund_id "
		" WHERE f.base_id = b.id AND i.base_id = b.id AND i.review_status = 'approved' AND f.review_status = 'approved' "
		" AND i.invested_on <= ?2), "
		"b.specialised, "
		/* in incubation today, to hold against the counts the base states today */
		"(SELECT count(*) FROM firm c WHERE c.base_id = b.id AND c.review_status = 'approved' "
		" AND (c.entered_on IS NULL OR c.entered_on <= ?3) AND (c.graduated_on IS NULL OR c.graduated_on > ?3)), "
		"(SELECT count(*) FROM firm c WHERE c.base_id = b.id AND c.review_status = 'approved' AND c.in_leading_industry "
		" AND (c.entered_on IS NULL OR c.entered_on <= ?3) AND (c.graduated_on IS NULL OR c.graduated_on > ?3)), "
		/* recognitions held by then, and the floor area added in its year */
		"coalesce((SELECT max(CASE l.level WHEN 'national' THEN 3 WHEN 'provincial' THEN 2 WHEN 'municipal' THEN 1 ELSE 0 END) "
		" FROM base_level l WHERE l.base_id = b.id AND l.recognised_on <= ?2), 0), "
		"EXISTS (SELECT 1 FROM base_level l WHERE l.base_id = b.id AND l.level = 'demonstration' AND l.recognised_on <= ?2), "
		"(SELECT coalesce(sum(total_delta_m2), 0) FROM base_area_change c WHERE c.base_id = b.id "
		" AND c.changed_on >= substr(?2, 1, 4) || '-01-01' AND c.changed_on <= ?2) "
		"FROM base b WHERE b.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	char today[11];
	date_today(today);
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, f->as_of);
	bind_text(st, 3, today);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		f->id = sqlite3_column_int64(st, 0);
		f->name = col_text(a, st, 1);
		f->area = col_text(a, st, 2);
		f->kind = col_text(a, st, 3);
		f->opened_on = col_text(a, st, 4);
		f->leading_industry = col_text(a, st, 5);
		f->total_area_m2 = sqlite3_column_double(st, 6);
		f->incubation_area_m2 = sqlite3_column_double(st, 7);
		f->public_service_area_m2 = sqlite3_column_double(st, 8);
		f->has_public_platform = sqlite3_column_int(st, 9);
		f->operator_count = sqlite3_column_int(st, 10);
		f->facilities_count = sqlite3_column_int(st, 11);
		f->firm_ever = sqlite3_column_int(st, 12);
		f->firm_records = sqlite3_column_int(st, 13);
		f->firm_leading = sqlite3_column_int(st, 14);
		f->firm_graduated = sqlite3_column_int(st, 15);
		f->reported_firms = sqlite3_column_int(st, 16);
		f->reported_leading = sqlite3_column_int(st, 17);
		f->funds_inside_yuan = sqlite3_column_double(st, 18);
		f->seed_angel_leading_yuan = sqlite3_column_double(st, 19);
		f->seed_angel_yuan = sqlite3_column_double(st, 20);
		f->own_fund_cases = sqlite3_column_int(st, 21);
		f->specialised = sqlite3_column_int(st, 22);
		f->firm_now = sqlite3_column_int(st, 23);
		f->firm_leading_now = sqlite3_column_int(st, 24);
		f->level_rank = sqlite3_column_int(st, 25);
		f->demonstration = sqlite3_column_int(st, 26);
		f->area_added_year_m2 = sqlite3_column_double(st, 27);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read base facts");
	}
	sqlite3_reset(st);
	return found;
}

/* The base's stated firm counts (firms_total, firms_leading_industry): set
 * to the given numbers, or with total < 0 to its approved firm records in
 * incubation today (the demo keeps most bases consistent this way). */
int store_base_reported_firms_set(Store *s, long long base_id, int total, int leading)
{
	static const char set[] = "UPDATE base SET firms_total = ?2, firms_leading_industry = ?3 WHERE id = ?1";
	static const char sync[] =
		"UPDATE base SET "
		"firms_total = (SELECT count(*) FROM firm c WHERE c.base_id = base.id AND c.review_status = 'approved' "
		" AND c.graduated_on IS NULL), "
		"firms_leading_industry = (SELECT count(*) FROM firm c WHERE c.base_id = base.id AND c.review_status = 'approved' "
		" AND c.graduated_on IS NULL AND c.in_leading_industry) WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, total < 0 ? sync : set);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, base_id);
	if (total >= 0) {
		sqlite3_bind_int(st, 2, total);
		sqlite3_bind_int(st, 3, leading);
	}
	return store_step_done(s, st, "set stated firm counts");
}

int store_base_figures(Store *s, Arena *a, long long base_id, int year_max, BaseFigure **out)
{
	static const char sql[] =
		"SELECT year, field, value, updated_by, updated_at FROM base_figure WHERE base_id = ?1 AND year <= ?2 "
		"ORDER BY year DESC, field";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, base_id);
	sqlite3_bind_int(st, 2, year_max);
	int n = 0, cap = 0;
	BaseFigure *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		BaseFigure *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->year = sqlite3_column_int(st, 0);
		x->field = col_text(a, st, 1);
		x->value = sqlite3_column_double(st, 2);
		x->updated_by = col_text(a, st, 3);
		x->updated_at = col_text(a, st, 4);
	}
	sqlite3_reset(st);
	*out = v;
	return n;
}

int store_base_figure_set(Store *s, long long base_id, int year, const char *field, double value, int has,
                          const char *by)
{
	static const char set[] =
		"INSERT INTO base_figure(base_id, year, field, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, " NOW ") "
		"ON CONFLICT(base_id, year, field) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, "
		"updated_at = excluded.updated_at";
	static const char del[] = "DELETE FROM base_figure WHERE base_id = ?1 AND year = ?2 AND field = ?3";
	sqlite3_stmt *st = store_stmt(s, has ? set : del);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, base_id);
	sqlite3_bind_int(st, 2, year);
	bind_text(st, 3, field);
	if (has) {
		sqlite3_bind_double(st, 4, value);
		bind_text(st, 5, by);
	}
	return store_step_done(s, st, "save annual figure");
}

int store_verdicts(Store *s, Arena *a, long long base_id, const char *set, Verdict **out)
{
	static const char sql[] =
		"SELECT rule_set, rule_id, verdict, note, by_user, at FROM rule_verdict WHERE base_id = ?1 "
		"AND (?2 IS NULL OR rule_set = ?2)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, set);
	int n = 0, cap = 0;
	Verdict *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		Verdict *x = arena_push(a, &v, &n, &cap, sizeof *x);
		x->rule_set = col_text(a, st, 0);
		x->rule_id = col_text(a, st, 1);
		x->verdict = col_text(a, st, 2);
		x->note = col_text(a, st, 3);
		x->by = col_text(a, st, 4);
		x->at = col_text(a, st, 5);
	}
	sqlite3_reset(st);
	*out = v;
	return n;
}

int store_verdict_set(Store *s, long long base_id, const char *set, const char *rule_id, const char *verdict,
                      const char *note, const char *by)
{
	static const char put[] =
		"INSERT INTO rule_verdict(base_id, rule_set, rule_id, verdict, note, by_user, at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, " NOW ") ON CONFLICT(base_id, rule_set, rule_id) DO UPDATE SET "
		"verdict = excluded.verdict, note = excluded.note, by_user = excluded.by_user, at = excluded.at";
	static const char del[] = "DELETE FROM rule_verdict WHERE base_id = ?1 AND rule_set = ?2 AND rule_id = ?3";
	sqlite3_stmt *st = store_stmt(s, verdict ? put : del);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, set);
	bind_text(st, 3, rule_id);
	if (verdict) {
		bind_text(st, 4, verdict);
		bind_text(st, 5, note);
		bind_text(st, 6, by);
	}
	return store_step_done(s, st, "save verdict");
}

int store_approved_base_ids(Store *s, Arena *a, long long **out)
{
	static const char sql[] = "SELECT id FROM base WHERE review_status = 'approved' ORDER BY area, name";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 0;
	long long *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		*(long long *)arena_push(a, &v, &n, &cap, sizeof *v) = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*out = v;
	return n;
}

/* ---- recognitions ---- */

#define RECOGNITION_COLUMNS \
	"r.id, r.base_id, b.name, r.area, r.level, r.status, r.applied_by, r.applied_at, r.endorsed_by, r.endorsed_at, " \
	"r.filed_by, r.filed_on, r.document, r.note"

static void read_recognition(Arena *a, sqlite3_stmt *st, Recognition *x)
{
	x->id = sqlite3_column_int64(st, 0);
	x->base_id = sqlite3_column_int64(st, 1);
	x->base_name = col_text(a, st, 2);
	x->area = col_text(a, st, 3);
	x->level = col_text(a, st, 4);
	x->status = col_text(a, st, 5);
	x->applied_by = col_text(a, st, 6);
	x->applied_at = col_text(a, st, 7);
	x->endorsed_by = col_text(a, st, 8);
	x->endorsed_at = col_text(a, st, 9);
	x->filed_by = col_text(a, st, 10);
	x->filed_on = col_text(a, st, 11);
	x->document = col_text(a, st, 12);
	x->note = col_text(a, st, 13);
}

long long store_recognition_insert(Store *s, long long base_id, const char *area, const char *level, const char *by)
{
	static const char sql[] =
		"INSERT INTO recognition(base_id, area, level, status, applied_by, applied_at) VALUES (?1, ?2, ?3, 'applied', ?4, "
		NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, area);
	bind_text(st, 3, level);
	bind_text(st, 4, by);
	if (store_step_done(s, st, "save application") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_recognitions(Store *s, Arena *a, long long base_id, const char *status, const char *area, Recognition **out)
{
	static const char sql[] =
		/* the applications first (CROSS JOIN keeps that order), not every base */
		"SELECT " RECOGNITION_COLUMNS " FROM recognition r CROSS JOIN base b ON b.id = r.base_id "
		"WHERE (?1 = 0 OR r.base_id = ?1) AND (?2 IS NULL OR r.status = ?2) AND (?3 IS NULL OR r.area = ?3) "
		"ORDER BY r.applied_at DESC, r.id DESC";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, status);
	bind_text(st, 3, area);
	int n = 0, cap = 0;
	Recognition *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW)
		read_recognition(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	*out = v;
	return n;
}

int store_recognition_get(Store *s, Arena *a, long long id, Recognition *out)
{
	static const char sql[] = "SELECT " RECOGNITION_COLUMNS " FROM recognition r JOIN base b ON b.id = r.base_id WHERE r.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_recognition(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read recognition");
	}
	sqlite3_reset(st);
	return found;
}

int store_recognition_update(Store *s, long long id, const char *status, const char *by, const char *filed_on,
                             const char *document, const char *note, const char *evaluation)
{
	static const char sql[] =
		"UPDATE recognition SET status = ?2, "
		"endorsed_by = CASE WHEN ?2 = 'endorsed' THEN ?3 ELSE endorsed_by END, "
		"endorsed_at = CASE WHEN ?2 = 'endorsed' THEN " NOW " ELSE endorsed_at END, "
		"filed_by = CASE WHEN ?2 = 'filed' THEN ?3 ELSE filed_by END, filed_on = coalesce(?4, filed_on), "
		"document = coalesce(?5, document), note = coalesce(?6, note), evaluation = coalesce(?7, evaluation) "
		"WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, status);
	bind_text(st, 3, by);
	bind_text(st, 4, filed_on);
	bind_text(st, 5, document);
	bind_text(st, 6, note);
	bind_text(st, 7, evaluation);
	return store_step_done(s, st, "update application");
}
