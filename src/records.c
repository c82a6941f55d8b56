/*
 * records.c — saving the registry's records, for every kind registry.c
 * describes, whoever asks (pages, API, imports, the command line).
 *
 * Review rules: the office's (admin's) own records are approved at once. A
 * new record from an area user waits as 待审核; a change an area or base
 * user makes to an approved record is kept as a proposed change while the
 * record keeps counting as it was, until the office approves it (review.c
 * applies it) or returns it with a reason.
 *
 * Scope rules (one place, records_check): an area reporter registers and
 * changes its own area's records only; a base user changes only the records
 * of its own base, never moves one to another base or area (its own base
 * included), and registers nothing new.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

int dom_done(DomResult r)
{
	return r.code == DOM_OK || r.code == DOM_PENDING || r.code == DOM_PROPOSED;
}

DomResult dom_result(DomCode code, const char *error, const char *message)
{
	return (DomResult){code, error, message};
}

DomResult dom_store_failed(void)
{
	return dom_result(DOM_FAILED, "store_error", "保存失败，请稍后再试。");
}

static DomResult failed(const char *message)
{
	return dom_result(DOM_FAILED, "store_error", message ? message : dom_store_failed().message);
}

const char *review_status_zh(const char *st)
{
	if (!st)
		return "";
	if (strcmp(st, "approved") == 0) return "已通过";
	if (strcmp(st, "pending") == 0) return "待审核";
	if (strcmp(st, "returned") == 0) return "已退回";
	if (strcmp(st, "draft") == 0) return "草稿";
	return st;
}

/* The writable fields' values, in the kind's order (what the store binds). */
static int writable(const Kind *k, const Values *v, const char **out)
{
	int n = 0;
	for (int i = 0; i < k->nfields; i++)
		if (!(k->fields[i].flags & FF_READONLY))
			out[n++] = v->v[i];
	return n;
}

static const char *text_or_empty(const char *s)
{
	return s ? s : "";
}

static void field_error(Values *v, int i, const char *msg)
{
	if (i < 0 || v->err[i])
		return;
	v->err[i] = msg;
	v->nerr++;
}

/* Why the actor may not touch record id at all (NULL: it may). cur: the stored record. */
static const char *owner_refusal(const Actor *who, const Kind *k, long long id, const Values *cur)
{
	int ai = registry_field_index(k, "area"), bi = registry_field_index(k, "base_id");
	switch (who->role) {
	case ROLE_ADMIN:
		return NULL;
	case ROLE_AREA:
		if (!who->scope)
			return "您的账号没有绑定辖区，不能登记或修改记录。";
		if (id && cur && ai >= 0 && strcmp(text_or_empty(cur->v[ai]), who->scope) != 0)
			return "该记录不属于您的辖区，无权修改。";
		return NULL;
	case ROLE_BASE: {
		if (!id)
			return "运营机构账号不能登记新记录；请联系所在镇街、功能区或市专班办公室登记。";
		long long own = id_or_zero(who->scope);
		long long of = k == &kind_base ? id : bi >= 0 && cur ? id_or_zero(cur->v[bi]) : 0;
		if (own <= 0 || of != own)
			return "该记录不属于您的孵化基地，无权修改。";
		return NULL;
	}
	default:
		return "您的账号角色无权登记或修改记录。";
	}
}

void records_derive(Store *s, const Actor *who, const Kind *k, Values *v)
{
	/* a firm sits in its base's area: never typed, never different */
	if (k != &kind_firm)
		return;
	int ai = registry_field_index(k, "area"), bi = registry_field_index(k, "base_id");
	const char *area = NULL;
	long long unused;
	long long base = id_or_zero(v->v[bi]);
	if (s && base > 0 && store_record_scope(s, who->arena, "bases", base, &area, &unused) == 1 && area)
		v->v[ai] = area;
}

/* The record with the same natural key as v (other than id): its id, 0. */
static long long same_key(Store *s, const Actor *who, const Kind *k, long long id, const Values *v,
                          const char *const **key_out)
{
	const char *const *key = registry_natural_key(k, v);
	*key_out = key;
	if (!s || !key)
		return 0;
	const char *vals[8];
	int n = 0;
	for (; key[n] && n < 8; n++) {
		int fi = registry_field_index(k, key[n]);
		if (v->err[fi])
			return 0; /* a wrong value names nothing */
		vals[n] = v->v[fi];
	}
	(void)who;
	return store_record_by_key(s, k->name, key, vals, id);
}

long long records_find_by_key(Store *s, const Actor *who, const Kind *k, const Values *v)
{
	const char *const *key;
	return same_key(s, who, k, 0, v, &key);
}

int records_check(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const Values *cur,
                  const char **refusal)
{
	const char *no = owner_refusal(who, k, id, cur);
	if (refusal)
		*refusal = no;
	if (no)
		return -1;
	records_derive(s, who, k, v);
	int bi = registry_field_index(k, "base_id");
	long long base_in = bi >= 0 ? id_or_zero(v->v[bi]) : 0;
	registry_check(v, who->arena, who->plan, s, 1);
	/* a base named, not numbered (an import's 孵化基地 column): its area once it is found */
	if (bi >= 0 && !v->err[bi] && id_or_zero(v->v[bi]) != base_in)
		records_derive(s, who, k, v);
	int ai = registry_field_index(k, "area");
	if (who->role == ROLE_AREA && ai >= 0 && v->v[ai] && *v->v[ai] && strcmp(v->v[ai], who->scope) != 0)
		field_error(v, k == &kind_firm ? bi : ai,
		            k == &kind_firm ? "该孵化基地不在您的辖区；只能登记本辖区基地的在孵企业。" : "只能登记本辖区的记录。");
	if (who->role == ROLE_BASE && cur) {
		if (ai >= 0 && strcmp(text_or_empty(v->v[ai]), text_or_empty(cur->v[ai])) != 0)
			field_error(v, ai, "运营机构不能更改记录的所属区域；如需调整，请联系市专班办公室。");
		if (bi >= 0 && id_or_zero(v->v[bi]) != id_or_zero(cur->v[bi]))
			field_error(v, bi, "运营机构不能把记录移到其他孵化基地；如需调整，请联系市专班办公室。");
	}
	/* 统一社会信用代码 names one firm: a second record with it would be refused by the database. */
	int ui = registry_field_index(k, "uscc");
	if (s && ui >= 0 && v->v[ui] && *v->v[ui] && !v->err[ui]) {
		long long other = store_record_uscc_owner(s, k->name, v->v[ui], id);
		if (other > 0) {
			field_error(v, ui, arena_printf(who->arena, "该统一社会信用代码已由编号 %lld 的%s使用；同一企业只能登记一次，"
			                                            "请核对代码，或修改编号 %lld 的记录。", other, k->label, other));
			v->dup_id = other;
			v->dup_field = ui;
		}
	}
	/* one record per natural key: a second one entered by hand is refused
	 * with the way to the existing one (imports update it instead) */
	const char *const *key;
	long long other = v->nerr ? 0 : same_key(s, who, k, id, v, &key);
	if (other > 0) {
		int fi = registry_field_index(k, key[0]);
		field_error(v, fi, arena_printf(who->arena, "已有%s相同的%s（编号 %lld），同一%s不能重复登记；请打开编号 %lld 的记录修改。",
		                                registry_key_words(k, key, who->arena), k->label, other, k->label, other));
		v->dup_id = other;
		v->dup_field = fi;
	}
	return v->nerr;
}

/* The base's floor area moved: a dated change, so growth counts when it happens. */
static int area_change(Store *s, const Kind *k, long long id, json_t *before, const Values *v, const char *on)
{
	double tb = json_number_value(json_object_get(before, "total_area_m2"));
	double ib = json_number_value(json_object_get(before, "incubation_area_m2"));
	const char *ta = v->v[registry_field_index(k, "total_area_m2")];
	const char *ia = v->v[registry_field_index(k, "incubation_area_m2")];
	double dt = real_or_zero(ta) - tb, di = real_or_zero(ia) - ib;
	if (dt == 0 && di == 0)
		return H_OK;
	return store_base_area_change(s, id, on, dt, di, "面积变更 area changed");
}

int records_apply_in_tx(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *status,
                        const char *area_on, const char *as_user)
{
	const char *vals[REG_MAX_FIELDS];
	int n = writable(k, v, vals);
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	const char *before_text = store_record_json(s, who->arena, k->name, id);
	json_error_t e;
	json_t *before = before_text ? json_loads(before_text, 0, &e) : NULL;
	int ok = store_record_update(s, k->name, id, vals, n, status) == H_OK &&
	         (k != &kind_base || area_change(s, k, id, before, v, area_on) == H_OK) &&
	         store_audit(s, as_user, who->addr, "update", k->name, rid, before_text,
	                     store_record_json(s, who->arena, k->name, id)) == H_OK;
	json_decref(before);
	return ok ? H_OK : H_ERR;
}

/* A write the database refused as a duplicate is the user's to fix, not a failure. */
static DomResult write_failed(Store *s)
{
	if (store_constraint_failed(s))
		return dom_result(DOM_CONFLICT, "duplicate",
		                  "与已有记录重复（例如统一社会信用代码已被其他记录使用），未保存；请核对后再提交。");
	return failed(NULL);
}

static const char *today_text(Arena *a)
{
	char today[11];
	date_today(today);
	return arena_strdup(a, today);
}

const char records_merged_message[] =
	"修改已提交：与您此前提交、尚待审核的修改合并为一条，等待市专班审核；审核通过前原记录不变。";

/* Proposes v as the new values of the approved record id (cur_text: the
 * record as JSON, in `area`), audited. The same proposer saving again while
 * the office has not reviewed the first keeps one proposal, not two: the
 * fields this save leaves as they are in the record keep what the earlier
 * proposal said, the rest take the new values (a PATCH of one field adds to
 * what was proposed before) — unless over names that proposal (the form
 * showed it): then v replaces it whole. The audit row holds the proposal
 * before and after. */
static DomResult propose_change(Store *s, const Actor *who, const Kind *k, long long id, const Values *v,
                                const char *area_on, const char *cur_text, const char *area, long long over)
{
	Arena *a = who->arena;
	PendingChange open;
	int found = store_change_open_by(s, a, k->name, id, who->name, &open);
	if (found < 0)
		return failed(NULL);
	json_t *before = found && open.id != over ? json_loads(open.payload, 0, NULL) : NULL;
	Values was;
	registry_from_record_json(a, k, cur_text, &was);
	json_t *payload = json_object();
	for (int i = 0; i < k->nfields; i++) {
		if (k->fields[i].flags & FF_READONLY)
			continue;
		const char *name = k->fields[i].name;
		json_t *earlier = before ? json_object_get(before, name) : NULL;
		int untouched = strcmp(v->v[i] ? v->v[i] : "", was.v[i] ? was.v[i] : "") == 0;
		if (untouched && earlier)
			json_object_set(payload, name, earlier);
		else
			json_object_set_new(payload, name, v->v[i] ? json_string(v->v[i]) : json_null());
	}
	json_object_set_new(payload, "area_changed_on", json_string(area_on));
	char *text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(payload);
	json_decref(before);
	if (!text)
		return failed(NULL);
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	int ok = found ? store_change_replace(s, open.id, area, text) == H_OK &&
	                     store_audit(s, who->name, who->addr, "propose", k->name, rid, open.payload, text) == H_OK
	               : store_change_propose(s, k->name, id, area, text, who->name) > 0 &&
	                     store_audit(s, who->name, who->addr, "propose", k->name, rid, cur_text, text) == H_OK;
	free(text);
	if (!ok)
		return failed(NULL);
	return dom_result(DOM_PROPOSED, NULL, found ? records_merged_message : "修改已提交，等待市专班审核；审核通过前原记录不变。");
}

static DomResult save_in_tx(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *area_on,
                            long long *new_id, long long over)
{
	const char *actor = who->name;
	int office = who->role == ROLE_ADMIN;
	Arena *a = who->arena;
	if (!area_on)
		area_on = today_text(a);
	if (!id) {
		const char *vals[REG_MAX_FIELDS];
		int n = writable(k, v, vals);
		long long nid = store_record_insert(s, k->name, vals, n, office ? "approved" : "pending", actor);
		if (nid <= 0)
			return write_failed(s);
		char rid[24];
		snprintf(rid, sizeof rid, "%lld", nid);
		int ok = 1;
		if (k == &kind_base) {
			const char *opened = v->v[registry_field_index(k, "opened_on")];
			const char *ta = v->v[registry_field_index(k, "total_area_m2")];
			const char *ia = v->v[registry_field_index(k, "incubation_area_m2")];
			ok = store_base_area_change(s, nid, opened, real_or_zero(ta), real_or_zero(ia), "开业 opening") == H_OK;
		}
		ok = ok && store_audit(s, actor, who->addr, "create", k->name, rid, NULL,
		                       store_record_json(s, a, k->name, nid)) == H_OK;
		if (!ok)
			return failed(NULL);
		if (new_id)
			*new_id = nid;
		return office ? dom_result(DOM_OK, NULL, "已保存。") : dom_result(DOM_PENDING, NULL, "已提交，等待市专班审核。");
	}
	const char *cur_text;
	int found = store_record_json_get(s, a, k->name, id, &cur_text);
	if (found <= 0)
		return found < 0 ? failed(NULL) : dom_result(DOM_NOT_FOUND, "not_found", "没有这条记录。");
	json_error_t e;
	json_t *cur = json_loads(cur_text, 0, &e);
	const char *st = json_string_value(json_object_get(cur, "review_status"));
	DomResult res;
	if (office) {
		res = records_apply_in_tx(s, who, k, id, v, "approved", area_on, actor) == H_OK ? dom_result(DOM_OK, NULL, "已保存。")
		                                                                          : write_failed(s);
	} else if (st && strcmp(st, "approved") == 0) {
		/* Keep the approved record counting; propose the change. */
		res = propose_change(s, who, k, id, v, area_on, cur_text, json_string_value(json_object_get(cur, "area")), over);
	} else {
		res = records_apply_in_tx(s, who, k, id, v, "pending", area_on, actor) == H_OK
		          ? dom_result(DOM_PENDING, NULL, "已提交，等待市专班审核。")
		          : write_failed(s);
	}
	json_decref(cur);
	return res;
}

DomResult records_create_many_in_tx(Store *s, const Actor *who, const Kind *k, const char *const *const *rows, int n,
                                    long long *ids, int *failed_at)
{
	assert(k != &kind_base);
	int office = who->role == ROLE_ADMIN;
	int nw = 0;
	for (int i = 0; i < k->nfields; i++)
		nw += !(k->fields[i].flags & FF_READONLY);
	const char **vals = xmalloc(sizeof *vals * (size_t)(n * nw + 1));
	const char *const **values = xmalloc(sizeof *values * (size_t)n);
	for (int r = 0; r < n; r++) {
		const char **w = vals + (size_t)r * nw;
		int m = 0;
		for (int i = 0; i < k->nfields; i++)
			if (!(k->fields[i].flags & FF_READONLY))
				w[m++] = rows[r][i];
		values[r] = w;
	}
	int rc = store_records_insert_run(s, k->name, values, n, office ? "approved" : "pending", who->name, who->addr, ids,
	                                  failed_at);
	free(vals);
	free(values);
	if (rc != H_OK)
		return *failed_at >= 0 ? write_failed(s) : failed(NULL);
	return office ? dom_result(DOM_OK, NULL, "已保存。") : dom_result(DOM_PENDING, NULL, "已提交，等待市专班审核。");
}

DomResult records_save_in_tx(Store *s, const Actor *who, const Kind *k, long long id, Values *v,
                             const char *area_on, long long *new_id)
{
	return save_in_tx(s, who, k, id, v, area_on, new_id, 0);
}

static DomResult save(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *area_on,
                      long long *new_id, long long over)
{
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	Values cur;
	if (id) {
		const char *json;
		int found = store_record_json_get(s, who->arena, k->name, id, &json);
		if (found <= 0) {
			store_rollback(s);
			return found < 0 ? failed(NULL) : dom_result(DOM_NOT_FOUND, "not_found", "没有这条记录。");
		}
		registry_from_record_json(who->arena, k, json, &cur);
	}
	const char *refusal;
	int nerr = records_check(s, who, k, id, v, id ? &cur : NULL, &refusal);
	if (nerr != 0) {
		store_rollback(s);
		if (nerr < 0)
			return dom_result(DOM_FORBIDDEN, "forbidden_scope", refusal);
		return dom_result(DOM_INVALID, "invalid",
		                  arena_printf(who->arena, "有 %d 处需要修改，请按各字段的提示改正后再提交。", nerr));
	}
	DomResult res = save_in_tx(s, who, k, id, v, area_on, new_id, over);
	if (!dom_done(res)) {
		store_rollback(s);
		return res;
	}
	if (store_commit(s) != H_OK) {
		store_rollback(s);
		return failed(NULL);
	}
	return res;
}

DomResult records_save(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *area_on,
                       long long *new_id)
{
	return save(s, who, k, id, v, area_on, new_id, 0);
}

DomResult records_save_over(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *area_on,
                            long long over)
{
	return save(s, who, k, id, v, area_on, NULL, over);
}

DomResult records_may_delete(Store *s, const Actor *who, const Kind *k, long long id)
{
	const char *json;
	int found = store_record_json_get(s, who->arena, k->name, id, &json);
	if (found <= 0)
		return found < 0 ? failed(NULL) : dom_result(DOM_NOT_FOUND, "not_found", "没有这条记录。");
	Values cur;
	registry_from_record_json(who->arena, k, json, &cur);
	const char *no = owner_refusal(who, k, id, &cur);
	if (no)
		return dom_result(DOM_FORBIDDEN, "forbidden_scope", no);
	const char *st = cur.v[registry_field_index(k, "review_status")];
	if (who->role != ROLE_ADMIN && (!st || strcmp(st, "approved") == 0))
		return dom_result(DOM_FORBIDDEN, "forbidden_approved",
		                  "已审核通过的记录只能由市专班办公室删除；如需删除请联系市专班。");
	const char *deps = store_record_dependents(s, who->arena, k->name, id);
	if (!deps)
		return failed("数据读取失败，请稍后再试。");
	if (*deps)
		return dom_result(DOM_CONFLICT, "has_dependents",
		                  arena_printf(who->arena, "不能删除：仍有 %s 关联此记录，请先处理这些记录。", deps));
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult records_delete(Store *s, const Actor *who, const Kind *k, long long id)
{
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	DomResult res = records_may_delete(s, who, k, id);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	const char *before = store_record_json(s, who->arena, k->name, id);
	if (store_record_delete(s, k->name, id) != H_OK ||
	    store_audit(s, who->name, who->addr, "delete", k->name, rid, before, NULL) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return failed("删除失败，请稍后再试。");
	}
	return dom_result(DOM_OK, NULL, "已删除。");
}
