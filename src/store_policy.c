/*
 * store_policy.c — the SQL of the policy system (see store_policy.h).
 * Fixed statement texts, values bound; the callers own the transactions.
 */
#include "store_internal.h"
#include "store_policy.h"

#include <string.h>

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* Steps a statement that returns nothing; resets it. */
static int done(Store *s, sqlite3_stmt *st, const char *what)
{
	return store_step_done(s, st, what);
}

int store_policy_doc_save(Store *s, const PolicyDocRow *d, const char *by)
{
	static const char sql[] =
		"INSERT INTO policy_doc(code, name, document_no, valid_from, valid_to, example, json, loaded_by, loaded_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " NOW ") "
		"ON CONFLICT(code) DO UPDATE SET name = ?2, document_no = ?3, valid_from = ?4, valid_to = ?5, example = ?6, "
		"json = ?7, loaded_by = ?8, loaded_at = " NOW;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, d->code);
	bind_text(st, 2, d->name);
	bind_text(st, 3, d->document_no);
	bind_text(st, 4, d->valid_from);
	bind_text(st, 5, d->valid_to);
	sqlite3_bind_int(st, 6, d->example);
	bind_text(st, 7, d->json);
	bind_text(st, 8, by);
	return done(s, st, "save policy");
}

static void read_doc(Arena *a, sqlite3_stmt *st, PolicyDocRow *d)
{
	d->code = col_text(a, st, 0);
	d->name = col_text(a, st, 1);
	d->document_no = col_text(a, st, 2);
	d->valid_from = col_text(a, st, 3);
	d->valid_to = col_text(a, st, 4);
	d->example = sqlite3_column_int(st, 5);
	d->json = col_text(a, st, 6);
	d->loaded_by = col_text(a, st, 7);
	d->loaded_at = col_text(a, st, 8);
}

#define DOC_COLS "code, name, document_no, valid_from, valid_to, example, json, loaded_by, loaded_at"

int store_policy_docs(Store *s, Arena *a, PolicyDocRow **out)
{
	static const char sql[] = "SELECT " DOC_COLS " FROM policy_doc ORDER BY example, valid_from DESC, code";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 0, rc;
	PolicyDocRow *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_doc(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? n : store_fail(s, "read policies");
}

int store_policy_doc_get(Store *s, Arena *a, const char *code, PolicyDocRow *out)
{
	static const char sql[] = "SELECT " DOC_COLS " FROM policy_doc WHERE code = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, code);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_doc(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read policy");
	}
	sqlite3_reset(st);
	return found;
}

int store_policy_measures_retire(Store *s, const char *policy)
{
	static const char sql[] = "UPDATE policy_measure SET active = 0 WHERE policy = ?1 AND active = 1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	bind_text(st, 1, policy);
	return done(s, st, "retire measures");
}

long long store_policy_measure_save(Store *s, const char *policy, const char *code, const char *title, const char *kind,
                                    const char *article)
{
	static const char sql[] =
		"INSERT INTO policy_measure(policy, code, title, kind, article, active) VALUES (?1, ?2, ?3, ?4, ?5, 1) "
		"ON CONFLICT(policy, code) DO UPDATE SET title = ?3, kind = ?4, article = ?5, active = 1";
	static const char id_sql[] = "SELECT id FROM policy_measure WHERE policy = ?1 AND code = ?2";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, policy);
	bind_text(st, 2, code);
	bind_text(st, 3, title);
	bind_text(st, 4, kind);
	bind_text(st, 5, article);
	if (done(s, st, "save measure") != H_OK)
		return 0;
	st = store_stmt(s, id_sql);
	if (!st)
		return 0;
	bind_text(st, 1, policy);
	bind_text(st, 2, code);
	long long id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else
		store_fail(s, "read measure id");
	sqlite3_reset(st);
	return id;
}

#define MEASURE_COLS "id, policy, code, title, kind, article, active"

static void read_measure(Arena *a, sqlite3_stmt *st, PolicyMeasureRow *m)
{
	m->id = sqlite3_column_int64(st, 0);
	m->policy = col_text(a, st, 1);
	m->code = col_text(a, st, 2);
	m->title = col_text(a, st, 3);
	m->kind = col_text(a, st, 4);
	m->article = col_text(a, st, 5);
	m->active = sqlite3_column_int(st, 6);
}

int store_policy_measures(Store *s, Arena *a, const char *policy, PolicyMeasureRow **out)
{
	static const char sql[] =
		"SELECT " MEASURE_COLS " FROM policy_measure WHERE (?1 IS NULL OR policy = ?1) ORDER BY active DESC, policy, id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, policy);
	int n = 0, cap = 0, rc;
	PolicyMeasureRow *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_measure(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? n : store_fail(s, "read measures");
}

int store_policy_measure_get(Store *s, Arena *a, long long id, PolicyMeasureRow *out)
{
	static const char sql[] = "SELECT " MEASURE_COLS " FROM policy_measure WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_measure(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read measure");
	}
	sqlite3_reset(st);
	return found;
}

int store_policy_committed(Store *s, long long measure_id, long long base_id, int year, long long except_id, double *out)
{
	static const char sql[] =
		"SELECT coalesce(sum(CASE status WHEN 'paid' THEN coalesce(paid_yuan, approved_yuan) "
		"  WHEN 'approved' THEN approved_yuan WHEN 'returned' THEN 0 ELSE entitled_yuan END), 0) "
		"FROM policy_application WHERE measure_id = ?1 AND (?2 = 0 OR base_id = ?2) AND (?3 = 0 OR year = ?3) AND id <> ?4";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, measure_id);
	sqlite3_bind_int64(st, 2, base_id);
	sqlite3_bind_int(st, 3, year);
	sqlite3_bind_int64(st, 4, except_id);
	int rc = sqlite3_step(st), ok = rc == SQLITE_ROW;
	if (ok)
		*out = sqlite3_column_double(st, 0);
	else
		store_fail(s, "read committed");
	sqlite3_reset(st);
	return ok ? 0 : -1;
}

int store_policy_open_count(Store *s, long long measure_id, long long base_id, int year, long long except_id)
{
	static const char sql[] =
		"SELECT count(*) FROM policy_application WHERE measure_id = ?1 AND base_id = ?2 AND (?3 = 0 OR year = ?3) "
		"AND status <> 'returned' AND id <> ?4";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, measure_id);
	sqlite3_bind_int64(st, 2, base_id);
	sqlite3_bind_int(st, 3, year);
	sqlite3_bind_int64(st, 4, except_id);
	int rc = sqlite3_step(st), n = -1;
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	else
		store_fail(s, "count applications");
	sqlite3_reset(st);
	return n;
}

static void bind_real_if(sqlite3_stmt *st, int i, int has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

long long store_policy_app_insert(Store *s, const PolicyApp *p)
{
	static const char sql[] =
		"INSERT INTO policy_application(measure_id, base_id, area, year, status, claim_yuan, entitled_yuan, assessment, "
		"note, applied_by, applied_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'applied', ?5, ?6, ?7, ?8, ?9, " NOW ", " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, p->measure_id);
	sqlite3_bind_int64(st, 2, p->base_id);
	bind_text(st, 3, p->area);
	sqlite3_bind_int(st, 4, p->year);
	bind_real_if(st, 5, p->has_claim, p->claim);
	sqlite3_bind_double(st, 6, p->entitled);
	bind_text(st, 7, p->assessment);
	bind_text(st, 8, p->note);
	bind_text(st, 9, p->applied_by);
	if (done(s, st, "insert application") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_policy_app_update(Store *s, const PolicyApp *p)
{
	static const char sql[] =
		"UPDATE policy_application SET status = ?2, claim_yuan = ?3, entitled_yuan = ?4, assessment = ?5, "
		"endorsed_by = ?6, endorsed_at = ?7, approved_by = ?8, approved_at = ?9, approved_yuan = ?10, approve_reason = ?11, "
		"paid_on = ?12, paid_yuan = ?13, voucher_no = ?14, paid_by = ?15, returned_by = ?16, returned_at = ?17, "
		"return_reason = ?18, applied_by = ?19, applied_at = ?20, updated_at = " NOW " WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, p->id);
	bind_text(st, 2, p->status);
	bind_real_if(st, 3, p->has_claim, p->claim);
	sqlite3_bind_double(st, 4, p->entitled);
	bind_text(st, 5, p->assessment);
	bind_text(st, 6, p->endorsed_by);
	bind_text(st, 7, p->endorsed_at);
	bind_text(st, 8, p->approved_by);
	bind_text(st, 9, p->approved_at);
	bind_real_if(st, 10, p->has_approved, p->approved);
	bind_text(st, 11, p->approve_reason);
	bind_text(st, 12, p->paid_on);
	bind_real_if(st, 13, p->has_paid, p->paid);
	bind_text(st, 14, p->voucher_no);
	bind_text(st, 15, p->paid_by);
	bind_text(st, 16, p->returned_by);
	bind_text(st, 17, p->returned_at);
	bind_text(st, 18, p->return_reason);
	bind_text(st, 19, p->applied_by);
	bind_text(st, 20, p->applied_at);
	return done(s, st, "update application");
}

#define APP_COLS \
	"p.id, p.measure_id, p.base_id, m.policy, m.code, m.title, m.kind, b.name, p.area, p.status, p.year, " \
	"p.claim_yuan, p.entitled_yuan, p.approved_yuan, p.paid_yuan, p.assessment, p.note, p.applied_by, p.applied_at, " \
	"p.endorsed_by, p.endorsed_at, p.approved_by, p.approved_at, p.approve_reason, p.paid_on, p.voucher_no, p.paid_by, " \
	"p.returned_by, p.returned_at, p.return_reason, p.updated_at"
/* the applications first (CROSS JOIN keeps that order): with few or none,
 * the planner would otherwise walk all of a country's bases to find them */
#define APP_FROM                                                                                                   \
	" FROM policy_application p CROSS JOIN policy_measure m ON m.id = p.measure_id CROSS JOIN base b ON b.id = p.base_id "

static void read_app(Arena *a, sqlite3_stmt *st, PolicyApp *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->measure_id = sqlite3_column_int64(st, 1);
	p->base_id = sqlite3_column_int64(st, 2);
	p->policy = col_text(a, st, 3);
	p->measure = col_text(a, st, 4);
	p->measure_title = col_text(a, st, 5);
	p->kind = col_text(a, st, 6);
	p->base_name = col_text(a, st, 7);
	p->area = col_text(a, st, 8);
	p->status = col_text(a, st, 9);
	p->year = sqlite3_column_int(st, 10);
	p->has_claim = sqlite3_column_type(st, 11) != SQLITE_NULL;
	p->claim = sqlite3_column_double(st, 11);
	p->entitled = sqlite3_column_double(st, 12);
	p->has_approved = sqlite3_column_type(st, 13) != SQLITE_NULL;
	p->approved = sqlite3_column_double(st, 13);
	p->has_paid = sqlite3_column_type(st, 14) != SQLITE_NULL;
	p->paid = sqlite3_column_double(st, 14);
	p->assessment = col_text(a, st, 15);
	p->note = col_text(a, st, 16);
	p->applied_by = col_text(a, st, 17);
	p->applied_at = col_text(a, st, 18);
	p->endorsed_by = col_text(a, st, 19);
	p->endorsed_at = col_text(a, st, 20);
	p->approved_by = col_text(a, st, 21);
	p->approved_at = col_text(a, st, 22);
	p->approve_reason = col_text(a, st, 23);
	p->paid_on = col_text(a, st, 24);
	p->voucher_no = col_text(a, st, 25);
	p->paid_by = col_text(a, st, 26);
	p->returned_by = col_text(a, st, 27);
	p->returned_at = col_text(a, st, 28);
	p->return_reason = col_text(a, st, 29);
	p->updated_at = col_text(a, st, 30);
}

int store_policy_app_get(Store *s, Arena *a, long long id, PolicyApp *out)
{
	static const char sql[] = "SELECT " APP_COLS APP_FROM "WHERE p.id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_app(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read application");
	}
	sqlite3_reset(st);
	return found;
}

int store_policy_apps(Store *s, Arena *a, long long base_id, const char *area, const char *statuses, int year, int limit,
                      PolicyApp **out)
{
	static const char sql[] =
		"SELECT " APP_COLS APP_FROM
		"WHERE (?1 = 0 OR p.base_id = ?1) AND (?2 IS NULL OR p.area = ?2) "
		"AND (?3 IS NULL OR instr(',' || ?3 || ',', ',' || p.status || ',') > 0) AND (?4 = 0 OR p.year = ?4) "
		"ORDER BY p.updated_at DESC, p.id DESC LIMIT ?5";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, area);
	bind_text(st, 3, statuses);
	sqlite3_bind_int(st, 4, year);
	sqlite3_bind_int(st, 5, limit > 0 ? limit : 500);
	int n = 0, cap = 0, rc;
	PolicyApp *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_app(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? n : store_fail(s, "read applications");
}

const char *store_policy_levels_in_year(Store *s, Arena *a, long long base_id, int year, int *err)
{
	static const char sql[] =
		"SELECT group_concat(level, ',') FROM (SELECT level FROM base_level WHERE base_id = ?1 "
		"AND substr(recognised_on, 1, 4) = printf('%04d', ?2) ORDER BY CASE level WHEN 'national' THEN 0 "
		"WHEN 'provincial' THEN 1 WHEN 'municipal' THEN 2 ELSE 3 END)";
	*err = 0;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st) {
		*err = 1;
		return NULL;
	}
	sqlite3_bind_int64(st, 1, base_id);
	sqlite3_bind_int(st, 2, year);
	const char *v = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = col_text(a, st, 0);
	else {
		*err = 1;
		store_fail(s, "read levels");
	}
	sqlite3_reset(st);
	return v;
}

int store_policy_delivery(Store *s, long long base_id, const char *from, const char *to, BaseDelivery *out)
{
	static const char sql[] =
		"SELECT "
		"(SELECT coalesce(sum(total_delta_m2), 0) FROM base_area_change c WHERE c.base_id = ?1 "
		" AND c.changed_on >= ?2 AND c.changed_on <= ?3), "
		"(SELECT count(*) FROM firm f WHERE f.base_id = ?1 AND f.review_status = 'approved' "
		" AND (f.entered_on IS NULL OR f.entered_on <= ?3) AND (f.graduated_on IS NULL OR f.graduated_on > ?3)), "
		"(SELECT count(*) FROM firm f WHERE f.base_id = ?1 AND f.review_status = 'approved' "
		" AND f.entered_on >= ?2 AND f.entered_on <= ?3), "
		"(SELECT coalesce(sum(size_yuan), 0) FROM fund u WHERE u.base_id = ?1 AND u.review_status = 'approved' "
		" AND u.established_on >= ?2 AND u.established_on <= ?3), "
		"(SELECT count(*) FROM base_level l WHERE l.base_id = ?1 AND l.recognised_on >= ?2 AND l.recognised_on <= ?3)";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return H_ERR;
	sqlite3_bind_int64(st, 1, base_id);
	bind_text(st, 2, from);
	bind_text(st, 3, to);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->new_area_m2 = sqlite3_column_double(st, 0);
		out->firms = sqlite3_column_double(st, 1);
		out->new_firms = sqlite3_column_double(st, 2);
		out->funds_yuan = sqlite3_column_double(st, 3);
		out->recognitions = sqlite3_column_double(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? H_OK : store_fail(s, "read delivery");
}

int store_policy_paid(Store *s, Arena *a, int year, PaidRow **out)
{
	static const char sql[] =
		"SELECT p.measure_id, p.base_id, p.area, b.name, sum(coalesce(p.paid_yuan, 0)), count(*) "
		"FROM policy_application p JOIN base b ON b.id = p.base_id "
		"WHERE p.status = 'paid' AND (?1 = 0 OR p.year = ?1) GROUP BY p.measure_id, p.base_id ORDER BY p.area, p.base_id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, year);
	int n = 0, cap = 0, rc;
	PaidRow *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		PaidRow *x = arena_push(a, &v, &n, &cap, sizeof *v);
		x->measure_id = sqlite3_column_int64(st, 0);
		x->base_id = sqlite3_column_int64(st, 1);
		x->area = col_text(a, st, 2);
		x->base_name = col_text(a, st, 3);
		x->paid = sqlite3_column_double(st, 4);
		x->applications = sqlite3_column_int(st, 5);
	}
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? n : store_fail(s, "read payments");
}

long long store_finance_product_insert(Store *s, const char *kind, const char *name, const char *provider,
                                       const char *note, const char *by)
{
	static const char sql[] = "INSERT INTO finance_product(kind, name, provider, note, created_by, created_at) "
	                          "VALUES (?1, ?2, ?3, ?4, ?5, " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	bind_text(st, 1, kind);
	bind_text(st, 2, name);
	bind_text(st, 3, provider);
	bind_text(st, 4, note);
	bind_text(st, 5, by);
	if (done(s, st, "insert product") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

#define PRODUCT_SQL \
	"SELECT p.id, p.kind, p.name, p.provider, p.note, count(g.id), coalesce(sum(g.amount_yuan), 0) " \
	"FROM finance_product p LEFT JOIN finance_grant g ON g.product_id = p.id "

static void read_product(Arena *a, sqlite3_stmt *st, FinanceProduct *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->kind = col_text(a, st, 1);
	p->name = col_text(a, st, 2);
	p->provider = col_text(a, st, 3);
	p->note = col_text(a, st, 4);
	p->grants = sqlite3_column_int(st, 5);
	p->amount = sqlite3_column_double(st, 6);
}

int store_finance_products(Store *s, Arena *a, FinanceProduct **out)
{
	static const char sql[] = PRODUCT_SQL "GROUP BY p.id ORDER BY p.kind, p.provider, p.name";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	int n = 0, cap = 0, rc;
	FinanceProduct *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_product(a, st, arena_push(a, &v, &n, &cap, sizeof *v));
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? n : store_fail(s, "read products");
}

int store_finance_product_get(Store *s, Arena *a, long long id, FinanceProduct *out)
{
	static const char sql[] = PRODUCT_SQL "WHERE p.id = ?1 GROUP BY p.id";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		read_product(a, st, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_fail(s, "read product");
	}
	sqlite3_reset(st);
	return found;
}

long long store_finance_grant_insert(Store *s, const FinanceGrant *g)
{
	static const char sql[] =
		"INSERT INTO finance_grant(product_id, base_id, area, firm, amount_yuan, granted_on, note, created_by, created_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " NOW ")";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, g->product_id);
	sqlite3_bind_int64(st, 2, g->base_id);
	bind_text(st, 3, g->area);
	bind_text(st, 4, g->firm);
	sqlite3_bind_double(st, 5, g->amount);
	bind_text(st, 6, g->granted_on);
	bind_text(st, 7, g->note);
	bind_text(st, 8, g->created_by);
	if (done(s, st, "insert grant") != H_OK)
		return 0;
	return sqlite3_last_insert_rowid(s->db);
}

int store_finance_grants(Store *s, Arena *a, const char *area, long long base_id, FinanceGrant **out)
{
	static const char sql[] =
		"SELECT g.id, g.product_id, g.base_id, p.name, p.kind, p.provider, b.name, g.area, g.firm, g.granted_on, g.note, "
		"g.created_by, g.amount_yuan FROM finance_grant g JOIN finance_product p ON p.id = g.product_id "
		"JOIN base b ON b.id = g.base_id WHERE (?1 IS NULL OR g.area = ?1) AND (?2 = 0 OR g.base_id = ?2) "
		"ORDER BY g.granted_on DESC, g.id DESC LIMIT 2000";
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return -1;
	bind_text(st, 1, area);
	sqlite3_bind_int64(st, 2, base_id);
	int n = 0, cap = 0, rc;
	FinanceGrant *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		FinanceGrant *g = arena_push(a, &v, &n, &cap, sizeof *v);
		g->id = sqlite3_column_int64(st, 0);
		g->product_id = sqlite3_column_int64(st, 1);
		g->base_id = sqlite3_column_int64(st, 2);
		g->product = col_text(a, st, 3);
		g->kind = col_text(a, st, 4);
		g->provider = col_text(a, st, 5);
		g->base_name = col_text(a, st, 6);
		g->area = col_text(a, st, 7);
		g->firm = col_text(a, st, 8);
		g->granted_on = col_text(a, st, 9);
		g->note = col_text(a, st, 10);
		g->created_by = col_text(a, st, 11);
		g->amount = sqlite3_column_double(st, 12);
	}
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? n : store_fail(s, "read grants");
}
