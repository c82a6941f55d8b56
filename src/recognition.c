/*
 * recognition.c — 认定与备案 (成熟一个、备案一个), whoever asks: a base (its
 * operator, its area or the office) applies for demonstration status or a
 * level; the base's area (or the office) endorses — never the one who
 * applied; the office files it with a date, the evaluation attached, and
 * from that date the recognition counts toward the plan's targets
 * (base_level); the area or the office may return it with a reason.
 * Pages and API: page_recognition.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "eval.h"

static int level_known(const Plan *p, const char *level)
{
	for (int i = 0; level && i < p->nvocab; i++)
		if (!strcmp(p->vocab[i].list, "base_level") && !strcmp(p->vocab[i].code, level))
			return 1;
	return 0;
}

static DomResult busy(void)
{
	return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
}

static DomResult failed(void)
{
	return dom_store_failed();
}

/* {"key": value} as audit text (in the arena; NULL when out of memory). */
static const char *status_json(Arena *a, const char *status)
{
	json_t *j = json_pack("{s:s}", "status", status);
	char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *out = arena_strdup(a, t);
	free(t);
	return out;
}

DomResult recognition_apply(Store *s, const Actor *who, long long base_id, const char *level, long long *new_id)
{
	if (!level_known(who->plan, level))
		return dom_result(DOM_INVALID, "apply_refused", "认定级别应为规划中的级别之一（示范、国家级、省级、市级）。");
	if (store_begin(s) != H_OK)
		return busy();
	const char *area;
	long long unused;
	int found = store_record_scope(s, who->arena, "bases", base_id, &area, &unused);
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	if (found < 0)
		res = failed();
	else if (!found)
		res = dom_result(DOM_NOT_FOUND, "apply_refused", "没有这个孵化基地。");
	else if (!(who->role == ROLE_ADMIN || (who->role == ROLE_AREA && who->scope && !strcmp(who->scope, area)) ||
	           (who->role == ROLE_BASE && who->scope && id_or_zero(who->scope) == base_id)))
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", "只能为本辖区或本机构运营的孵化基地申请认定。");
	if (res.code == DOM_OK) {
		Recognition *open;
		int n = store_recognitions(s, who->arena, base_id, NULL, NULL, &open);
		for (int i = 0; i < n; i++)
			if (!strcmp(open[i].level, level) && (!strcmp(open[i].status, "applied") || !strcmp(open[i].status, "endorsed")))
				res = dom_result(DOM_CONFLICT, "apply_refused", "该级别已有一份在办的申请，请等待办结。");
		if (n < 0)
			res = failed();
	}
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	long long id = store_recognition_insert(s, base_id, area, level, who->name);
	json_t *after = json_pack("{s:I,s:s}", "base_id", (json_int_t)base_id, "level", level);
	char *after_text = after ? json_dumps(after, JSON_COMPACT) : NULL;
	json_decref(after);
	char rid[32];
	snprintf(rid, sizeof rid, "%lld", id);
	int ok = id > 0 && after_text &&
	         store_audit(s, who->name, who->addr, "apply", "recognitions", rid, NULL, after_text) == H_OK &&
	         store_commit(s) == H_OK;
	free(after_text);
	if (!ok) {
		store_rollback(s);
		return failed();
	}
	if (new_id)
		*new_id = id;
	return dom_result(DOM_OK, NULL, "申请已提交，等待区域推荐。");
}

/* Whether the actor would endorse its own application. */
static int self_endorsement(const Actor *who, const Recognition *rec, const char *action)
{
	return !strcmp(action, "endorse") && rec->applied_by && who->name && !strcmp(rec->applied_by, who->name);
}

/* Who may: the office anything; the application's area endorses and
 * returns; the endorser is never the applicant. NULL: the actor may. */
static const char *rights_refusal(const Actor *who, const Recognition *rec, const char *action)
{
	int own_area = who->role == ROLE_AREA && who->scope && rec->area && !strcmp(who->scope, rec->area);
	if (!strcmp(action, "file"))
		return who->role == ROLE_ADMIN ? NULL : "只有市专班办公室可以备案。";
	if (who->role != ROLE_ADMIN && !own_area)
		return "这份申请不属于您的辖区。";
	return NULL;
}

static const char *const self_message =
	"这份申请是您本人提交的，不能由您推荐；请由所在区域的其他人员或市专班办公室推荐。";

const char *recognition_refusal(const Actor *who, const Recognition *rec, const char *action)
{
	const char *no = rights_refusal(who, rec, action);
	return no ? no : self_endorsement(who, rec, action) ? self_message : NULL;
}

/* The evaluation the office files a recognition on: the rule set that
 * judges this base (kind, specialised) for this level in force on the
 * filing date, as JSON text; NULL when there is none. */
static const char *filed_evaluation(Store *s, const Actor *who, const Recognition *rec, const char *filed_on)
{
	BaseFacts f;
	RuleSet *sets;
	int ns = store_rule_sets(s, who->arena, &sets);
	const RuleSet *want = NULL;
	if (ns < 0 || eval_load_facts(s, who->arena, rec->base_id, filed_on, &f) != 1 ||
	    !(want = eval_set_for_level(sets, ns, &f, rec->level)))
		return NULL;
	SetOutcome o;
	if (eval_set(s, who->arena, &f, want, &o) != H_OK)
		return NULL;
	json_t *j = eval_set_json(&o);
	char *t = json_dumps(j, JSON_COMPACT);
	const char *out = arena_strdup(who->arena, t);
	free(t);
	json_decref(j);
	return out;
}

/* Why the application in its state cannot take the action now; NULL when it can. */
static DomResult state_refusal(const Recognition *rec, const char *action, const char *filed_on, const char *note)
{
	int open = !strcmp(rec->status, "applied") || !strcmp(rec->status, "endorsed");
	if (!open)
		return dom_result(DOM_CONFLICT, "recognition_refused", "这份申请已经办结。");
	if (!strcmp(action, "endorse") && strcmp(rec->status, "applied"))
		return dom_result(DOM_CONFLICT, "recognition_refused", "这份申请已推荐过了。");
	if (!strcmp(action, "file")) {
		if (strcmp(rec->status, "endorsed"))
			return dom_result(DOM_CONFLICT, "recognition_refused", "须先由区域推荐，才能备案。");
		if (!filed_on || !date_valid(filed_on))
			return dom_result(DOM_INVALID, "recognition_refused", "请填写备案日期（年-月-日）；认定自该日起计入目标。");
	}
	if (!strcmp(action, "return") && (!note || !*note))
		return dom_result(DOM_INVALID, "recognition_refused", "退回时请写明原因。");
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult recognition_act(Store *s, const Actor *who, long long id, const char *action, const char *filed_on,
                          const char *document, const char *note)
{
	if (!action || (strcmp(action, "endorse") && strcmp(action, "file") && strcmp(action, "return")))
		return dom_result(DOM_INVALID, "recognition_refused", "操作应为 endorse（推荐）、file（备案）或 return（退回）。");
	if (store_begin(s) != H_OK)
		return busy();
	Recognition rec;
	int found = store_recognition_get(s, who->arena, id, &rec);
	DomResult res = dom_result(DOM_OK, NULL, NULL);
	const char *no;
	if (found < 0)
		res = failed();
	else if (!found)
		res = dom_result(DOM_NOT_FOUND, "recognition_refused", "没有这份申请。");
	else if ((no = rights_refusal(who, &rec, action)) != NULL)
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", no);
	else if (self_endorsement(who, &rec, action))
		/* a matter of the application (who applied), not of the actor's rights */
		res = dom_result(DOM_CONFLICT, "self_endorsement", self_message);
	else
		res = state_refusal(&rec, action, filed_on, note);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	int file = !strcmp(action, "file");
	const char *evaluation = file ? filed_evaluation(s, who, &rec, filed_on) : NULL;
	const char *status = !strcmp(action, "endorse") ? "endorsed" : file ? "filed" : "returned";
	char rid[32];
	snprintf(rid, sizeof rid, "%lld", id);
	const char *before = status_json(who->arena, rec.status), *after = status_json(who->arena, status);
	int ok = before && after &&
	         store_recognition_update(s, id, status, who->name, file ? filed_on : NULL, document && *document ? document : NULL,
	                                  note && *note ? note : NULL, evaluation) == H_OK &&
	         (!file || store_base_level_set(s, rec.base_id, rec.level, filed_on, document) == H_OK) &&
	         store_audit(s, who->name, who->addr, action, "recognitions", rid, before, after) == H_OK &&
	         store_commit(s) == H_OK;
	if (!ok) {
		store_rollback(s);
		return failed();
	}
	return dom_result(DOM_OK, NULL, !strcmp(action, "endorse") ? "已推荐，等待市专班备案。"
	                                : file ? "已备案，自备案日期起计入目标。" : "已退回。");
}
