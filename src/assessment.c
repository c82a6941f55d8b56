/*
 * assessment.c — what people enter for an evaluation (eval.c computes it):
 * a reviewer's verdict on a rule the data cannot judge, a base's annual
 * figures, a rubric's points. Each checked, in one transaction, audited.
 * Pages and API: page_eval.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "fmt.h"
#include "eval.h"

static DomResult failed(void)
{
	return dom_store_failed();
}

/* A JSON object as audit text, in the arena (the reference is taken). */
static const char *audit_json(Arena *a, json_t *j)
{
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
	json_decref(j);
	const char *out = arena_strdup(a, t);
	free(t);
	return out;
}

DomResult assessment_verdict(Store *s, const Actor *who, long long base_id, const char *set, const char *rule_id,
                             const char *verdict, const char *note)
{
	if (who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以填写评审意见。");
	RuleSet *sets;
	int n = store_rule_sets(s, who->arena, &sets);
	const Rule *rule = NULL;
	for (int i = 0; i < n; i++)
		for (int k = 0; set && rule_id && k < sets[i].nrules && !strcmp(sets[i].code, set); k++)
			if (!strcmp(sets[i].rules[k].id, rule_id))
				rule = &sets[i].rules[k];
	if (!rule)
		return dom_result(DOM_NOT_FOUND, "verdict_refused", "没有这条规则。");
	if (strcmp(rule->measure, "judged"))
		return dom_result(DOM_INVALID, "verdict_refused", "这条规则由数据自动判定，不需要评审意见。");
	int clear = verdict && !strcmp(verdict, "clear");
	if (!clear && (!verdict || (strcmp(verdict, "pass") && strcmp(verdict, "fail"))))
		return dom_result(DOM_INVALID, "verdict_refused", "评审结论应为 pass（达标）、fail（未达标）或 clear（清除）。");
	if (!clear && (!note || !*note))
		return dom_result(DOM_INVALID, "verdict_refused", "请写明评审意见（依据、核查情况），便于追溯。");
	const char *rid = arena_printf(who->arena, "%lld/%s/%s", base_id, set, rule_id);
	const char *after = audit_json(who->arena, json_pack("{s:s,s:s}", "verdict", clear ? "clear" : verdict, "note",
	                                                     note ? note : ""));
	if (!after)
		return failed();
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	if (store_verdict_set(s, base_id, set, rule_id, clear ? NULL : verdict, note, who->name) != H_OK ||
	    store_audit(s, who->name, who->addr, "verdict", "rule_verdicts", rid, NULL, after) != H_OK || store_commit(s) != H_OK) {
		store_rollback(s);
		return failed();
	}
	return dom_result(DOM_OK, NULL, "评审意见已保存。");
}

/* Whether the actor may enter figures for base_id (of area): the office,
 * the base's area, the base's operator. */
static int may_enter_figures(const Actor *who, long long base_id, const char *area)
{
	return who->role == ROLE_ADMIN || (who->role == ROLE_AREA && who->scope && area && !strcmp(who->scope, area)) ||
	       (who->role == ROLE_BASE && who->scope && id_or_zero(who->scope) == base_id);
}

DomResult assessment_figures(Store *s, const Actor *who, long long base_id, int year, const char **vals, const char **errs)
{
	int nerr = 0;
	double v[64];
	for (int i = 0; i < figure_field_count; i++) {
		errs[i] = NULL;
		if (!vals[i] || !*vals[i])
			continue;
		/* as people type it: "8,000", "0.8万", "1.2亿", full-width digits */
		if (parse_amount(vals[i], &v[i]) || v[i] < 0) {
			errs[i] = arena_printf(who->arena, "“%s”应为不小于 0 的数字，例如 8000、8,000 或 0.8万；没有数据请留空。", vals[i]);
			nerr++;
		}
	}
	if (nerr)
		return dom_result(DOM_INVALID, "invalid", arena_printf(who->arena, "有 %d 项需要修改。", nerr));
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	const char *area;
	long long unused;
	int found = store_record_scope(s, who->arena, "bases", base_id, &area, &unused);
	DomResult res = dom_result(DOM_OK, NULL, "已保存。");
	if (found <= 0)
		res = found < 0 ? failed() : dom_result(DOM_NOT_FOUND, "not_found", "没有这个孵化基地。");
	else if (!may_enter_figures(who, base_id, area))
		res = dom_result(DOM_FORBIDDEN, "forbidden_scope", "只能填写本辖区或本机构运营的孵化基地的年度数据。");
	BaseFigure *old = NULL;
	int n = res.code == DOM_OK ? store_base_figures(s, who->arena, base_id, year, &old) : 0;
	if (n < 0)
		res = failed();
	int ok = res.code == DOM_OK;
	for (int i = 0; ok && i < figure_field_count; i++) {
		if (!vals[i])
			continue;
		const BaseFigure *was = NULL;
		for (int k = 0; k < n; k++)
			if (old[k].year == year && !strcmp(old[k].field, figure_fields[i].code))
				was = &old[k];
		int has = *vals[i] != 0;
		if ((!has && !was) || (has && was && was->value == v[i]))
			continue;
		const char *rid = arena_printf(who->arena, "%lld/%d/%s", base_id, year, figure_fields[i].code);
		const char *before = was ? audit_json(who->arena, json_pack("{s:f}", "value", was->value)) : NULL;
		const char *after = has ? audit_json(who->arena, json_pack("{s:f}", "value", v[i])) : NULL;
		ok = (!was || before) && (!has || after) &&
		     store_base_figure_set(s, base_id, year, figure_fields[i].code, has ? v[i] : 0, has, who->name) == H_OK &&
		     store_audit(s, who->name, who->addr, has ? "update" : "delete", "base_figures", rid, before, after) == H_OK;
		if (!ok)
			res = failed();
	}
	if (!ok || store_commit(s) != H_OK) {
		store_rollback(s);
		return res.code == DOM_OK ? failed() : res;
	}
	return res;
}

DomResult assessment_scores(Store *s, const Actor *who, const RuleSet *rs, const char **vals)
{
	if (who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以设定评分标准。");
	double v[256];
	for (int k = 0; k < rs->nrules && k < 256; k++) {
		if (!vals[k] || !*vals[k])
			continue;
		if (!parse_real(vals[k], &v[k]) || !(v[k] >= 0 && v[k] <= 1000))
			return dom_result(DOM_INVALID, "bad_score",
			                  arena_printf(who->arena, "第 %d 条（%s）的分值应为 0–1000 的数字；不计分请留空。", rs->rules[k].item,
			                               rs->rules[k].id));
	}
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	int ok = 1;
	for (int k = 0; ok && k < rs->nrules && k < 256; k++)
		if (vals[k])
			ok = store_rule_score_set(s, rs->code, rs->rules[k].id, *vals[k] ? v[k] : 0, *vals[k] != 0) == H_OK;
	ok = ok && store_audit(s, who->name, who->addr, "update", "rule_sets", rs->code, NULL, "{\"scores\":\"updated\"}") == H_OK;
	if (!ok || store_commit(s) != H_OK) {
		store_rollback(s);
		return failed();
	}
	return dom_result(DOM_OK, NULL, "评分标准已保存。");
}
