/*
 * review.c — 审核: the office approves or returns (with a reason) the new
 * records and the proposed changes that area and base users submit. Only
 * approved records count in progress. Pages and API: page_review.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

/* The action is approve or return, and a return says why; else a refusal. */
static DomResult check_action(const char *action, const char *note)
{
	if (!action || (strcmp(action, "approve") && strcmp(action, "return")))
		return dom_result(DOM_INVALID, "review_refused", "操作应为 approve（通过）或 return（退回）。");
	if (strcmp(action, "return") == 0 && (!note || !*note))
		return dom_result(DOM_INVALID, "review_refused", "退回时请填写原因，以便填报人修改。");
	return dom_result(DOM_OK, NULL, NULL);
}

static DomResult office_only(const Actor *who)
{
	if (who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以审核。");
	return dom_result(DOM_OK, NULL, NULL);
}

DomResult review_record(Store *s, const Actor *who, const Kind *k, long long id, const char *action, const char *note)
{
	DomResult res = office_only(who);
	if (res.code != DOM_OK)
		return res;
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	const char *before;
	int found = store_record_json_get(s, who->arena, k->name, id, &before);
	Values cur;
	registry_from_record_json(who->arena, k, before, &cur);
	const char *st = cur.v[registry_field_index(k, "review_status")];
	if (found < 0)
		res = dom_store_failed();
	else if (!found)
		res = dom_result(DOM_NOT_FOUND, "review_refused", "没有这条记录。");
	else if (!st || strcmp(st, "pending") != 0)
		res = dom_result(DOM_CONFLICT, "review_refused", "这条记录不在待审核状态。");
	else
		res = check_action(action, note);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	int approve = strcmp(action, "approve") == 0;
	if (store_record_set_review(s, k->name, id, approve ? "approved" : "returned", approve ? NULL : note) != H_OK ||
	    store_audit(s, who->name, who->addr, approve ? "approve" : "return", k->name, rid, before,
	                store_record_json(s, who->arena, k->name, id)) != H_OK ||
	    store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, approve ? "已审核通过，记录开始计入统计。" : "已退回，填报人修改后可再次提交。");
}

DomResult review_change(Store *s, const Actor *who, long long cid, const char *action, const char *note)
{
	DomResult res = office_only(who);
	if (res.code != DOM_OK)
		return res;
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	PendingChange c;
	int found = store_change_get(s, who->arena, cid, &c);
	const Kind *k = found == 1 ? kind_by_name(c.kind) : NULL;
	if (!k)
		res = dom_result(DOM_NOT_FOUND, "review_refused", "没有这项待审核的修改。");
	else if (strcmp(c.status, "pending") != 0)
		res = dom_result(DOM_CONFLICT, "review_refused", "这项修改已经审核过了。");
	else
		res = check_action(action, note);
	if (res.code != DOM_OK) {
		store_rollback(s);
		return res;
	}
	int approve = strcmp(action, "approve") == 0;
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", c.record_id);
	int ok = store_change_close(s, cid, approve ? "approved" : "returned", who->name, note) == H_OK;
	if (ok && approve) {
		/* Re-check against today's plan and registry before applying. */
		json_error_t e;
		json_t *pay = json_loads(c.payload, 0, &e);
		Values v;
		registry_from_json(who->arena, k, pay, &v);
		const char *on = arena_strdup(who->arena, json_string_value(json_object_get(pay, "area_changed_on")));
		json_decref(pay);
		if (registry_check(&v, who->arena, who->plan, s, 1) > 0) {
			store_rollback(s);
			return dom_result(DOM_CONFLICT, "review_refused",
			                  "该修改已不符合当前的校验规则（例如引用的记录已删除），请退回并请填报人重新提交。");
		}
		ok = records_apply_in_tx(s, who, k, c.record_id, &v, "approved", on && date_valid(on) ? on : c.submitted_at,
		                         c.submitted_by) == H_OK;
	}
	json_t *after = json_pack("{s:I}", "change", (json_int_t)cid);
	char *after_text = json_dumps(after, JSON_COMPACT);
	json_decref(after);
	ok = ok && after_text &&
	     store_audit(s, who->name, who->addr, approve ? "approve" : "return", k->name, rid, NULL, after_text) == H_OK;
	free(after_text);
	if (!ok || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, approve ? "修改已通过并生效。" : "修改已退回。");
}
