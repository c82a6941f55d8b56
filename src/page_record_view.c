/*
 * page_record_view.c — showing a record, shared by the registry's pages
 * (page_records.c), the review pages (page_review.c) and the spreadsheet
 * pages (page_transfer.c): its path, its fields as people read them, what
 * changed between two versions, its history, and the review cards and
 * forms. Nothing here writes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_records.h"
#include "session.h"
#include "store_admin.h"

const char *record_path(const Kind *k)
{
	static _Thread_local char path[64];
	snprintf(path, sizeof path, "/%s", k->name);
	return path;
}

json_t *record_load(Req *r, const Kind *k, long long id)
{
	const char *text = store_record_json(r->store, &r->arena, k->name, id);
	json_error_t e;
	return text ? json_loads(text, 0, &e) : NULL;
}

/* A field's value as people read it. */
const char *record_display(Req *r, const Field *f, json_t *val, json_t *rec)
{
	if (!val || json_is_null(val))
		return "";
	const Plan *p = r->plan;
	switch (f->type) {
	case FT_BOOL:
		return json_is_true(val) || json_integer_value(val) ? "是" : "否";
	case FT_CODE:
		if (f->list[0] == '=') {
			const char *l = registry_fixed_label(f->list, json_string_value(val) ? json_string_value(val) : "", &r->arena);
			return l ? l : json_string_value(val);
		}
		return vocab_name(p, f->list, json_string_value(val));
	case FT_AREA:
		return area_name(p, json_string_value(val));
	case FT_LAYOUT:
		for (int i = 0; i < p->nlayout_units; i++)
			if (json_string_value(val) && strcmp(p->layout_units[i].code, json_string_value(val)) == 0)
				return p->layout_units[i].name;
		return json_string_value(val);
	case FT_CODES: {
		Buf b = {0};
		size_t i;
		json_t *x;
		json_array_foreach(val, i, x) {
			if (b.len)
				buf_puts(&b, "、");
			buf_puts(&b, vocab_name(p, f->list, json_string_value(x)));
		}
		const char *s = arena_strdup(&r->arena, buf_str(&b));
		buf_free(&b);
		return s;
	}
	case FT_REF: {
		/* operator_id → operator_name, base_id → base_name, fund_id → fund_name */
		char key[64];
		snprintf(key, sizeof key, "%.*s_name", (int)(strlen(f->name) > 3 ? strlen(f->name) - 3 : 0), f->name);
		const char *name = json_string_value(json_object_get(rec, key));
		return name ? arena_strdup(&r->arena, name) : arena_printf(&r->arena, "编号 %lld", (long long)json_integer_value(val));
	}
	case FT_REAL:
	case FT_INT: {
		char num[64];
		double d = json_number_value(val);
		fmt_number(num, sizeof num, d, d == (long long)d ? 0 : 2);
		return arena_strdup(&r->arena, num);
	}
	default:
		return json_is_string(val) ? json_string_value(val) : "";
	}
}

/* "总面积(㎡):28,000 → 40,000;地址:— → 飞云路1号": the fields that differ
 * between two JSON versions of a record (either may be NULL). */
const char *record_diff(Req *r, const Kind *k, const char *before, const char *after)
{
	Values a, b;
	registry_from_record_json(&r->arena, k, before, &a);
	registry_from_record_json(&r->arena, k, after, &b);
	json_error_t e;
	json_t *ja = before ? json_loads(before, 0, &e) : NULL, *jb = after ? json_loads(after, 0, &e) : NULL;
	Buf out = {0};
	for (int i = 0; i < k->nfields; i++) {
		const Field *f = &k->fields[i];
		if (f->flags & FF_READONLY)
			continue;
		const char *x = a.v[i] ? a.v[i] : "", *y = b.v[i] ? b.v[i] : "";
		if (!after || !json_object_get(jb, f->name))
			continue; /* not part of the new version */
		int same = strcmp(x, y) == 0 ||
		           ((f->type == FT_REAL || f->type == FT_INT || f->type == FT_REF || f->type == FT_BOOL) && *x && *y &&
		            fabs(real_or_zero(x) - real_or_zero(y)) < 1e-9);
		if (same)
			continue;
		/* Typed JSON shows through record_display; text of a proposal as it is. */
		json_t *va = json_object_get(ja, f->name), *vb = json_object_get(jb, f->name);
		const char *sa = va && !json_is_string(va) ? record_display(r, f, va, ja) : *x ? x : "—";
		const char *sb = vb && !json_is_string(vb) ? record_display(r, f, vb, jb) : *y ? y : "—";
		if ((f->type == FT_REAL || f->type == FT_INT) && (*x || *y)) {
			char na[64], nb[64];
			fmt_number(na, sizeof na, real_or_zero(x), fmod(real_or_zero(x), 1) ? 2 : 0);
			fmt_number(nb, sizeof nb, real_or_zero(y), fmod(real_or_zero(y), 1) ? 2 : 0);
			sa = *x ? arena_strdup(&r->arena, na) : "—";
			sb = *y ? arena_strdup(&r->arena, nb) : "—";
		}
		if (f->type == FT_CODE || f->type == FT_AREA || f->type == FT_CODES) {
			json_t *tx = json_string(x), *ty = json_string(y);
			if (*x)
				sa = record_display(r, f, f->type == FT_CODES ? va : tx, ja);
			if (*y)
				sb = record_display(r, f, f->type == FT_CODES && !json_is_string(vb) ? vb : ty, jb);
			json_decref(tx);
			json_decref(ty);
		}
		if (out.len)
			buf_puts(&out, ";");
		buf_printf(&out, "%s:%s → %s", f->label, sa && *sa ? sa : "—", sb && *sb ? sb : "—");
	}
	json_decref(ja);
	json_decref(jb);
	const char *res = arena_strdup(&r->arena, buf_str(&out));
	buf_free(&out);
	return res;
}

/* One proposed change: what it changes, and for the office the buttons. */
void review_change_card(Req *r, const PendingChange *c)
{
	Buf *b = &r->out;
	const Kind *k = kind_by_name(c->kind);
	json_t *cur = k ? record_load(r, k, c->record_id) : NULL;
	const char *diff = k ? record_diff(r, k, k ? store_record_json(r->store, &r->arena, k->name, c->record_id) : NULL,
	                                   c->payload) : "";
	html_printf(b, "<section class=\"card change\" id=\"change-%lld\"><p>%h 于 %h 提交对 <a href=\"%h/%lld\">%h</a> 的修改：</p>"
	               "<p class=\"diff\">%h</p>",
	            c->id, c->submitted_by, fmt_time(&r->arena, c->submitted_at), k ? record_path(k) : "", c->record_id,
	            cur ? json_string_value(json_object_get(cur, "name")) : "", diff && *diff ? diff : "（与现值相同）");
	if (r->role == ROLE_ADMIN) {
		html_printf(b, "<form method=\"post\" action=\"/review/changes/%lld\" class=\"review-actions\">", c->id);
		form_csrf(r);
		form_input(r, "note", "退回原因（退回时必填）", "text", NULL, NULL, NULL);
		html_printf(b, "<button type=\"submit\" name=\"action\" value=\"approve\">通过</button> "
		               "<button type=\"submit\" name=\"action\" value=\"return\" class=\"danger\">退回</button></form>");
	}
	html_printf(b, "</section>\n");
	json_decref(cur);
}

void review_record_form(Req *r, const Kind *k, long long id)
{
	Buf *b = &r->out;
	html_printf(b, "<section class=\"card\"><h2>审核</h2><form method=\"post\" action=\"%h/%lld/review\" class=\"review-actions\">",
	            record_path(k), id);
	form_csrf(r);
	form_input(r, "note", "退回原因（退回时必填）", "text", NULL, NULL, NULL);
	html_printf(b, "<button type=\"submit\" name=\"action\" value=\"approve\">审核通过</button> "
	               "<button type=\"submit\" name=\"action\" value=\"return\" class=\"danger\">退回修改</button></form></section>\n");
}

void record_history(Req *r, const Kind *k, long long id)
{
	AuditFilter f = {0};
	f.kind = k->name;
	f.record_id = arena_printf(&r->arena, "%lld", id);
	f.limit = 50;
	AuditRow *rows;
	long long total;
	int n = store_audit_list(r->store, &r->arena, &f, &rows, &total);
	Buf *b = &r->out;
	html_printf(b, "<h2>变更历史</h2>");
	if (n <= 0) {
		html_printf(b, "<p class=\"muted\">暂无变更记录。</p>\n");
		return;
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"history\"><thead><tr><th scope=\"col\">时间</th>"
	               "<th scope=\"col\">用户</th><th scope=\"col\">操作</th><th scope=\"col\">变更内容</th></tr></thead><tbody>");
	static const struct {
		const char *code, *zh;
	} actions[] = {{"create", "登记"}, {"update", "修改"}, {"delete", "删除"}, {"propose", "提交修改"},
	               {"approve", "审核通过"}, {"return", "退回"}, {"verdict", "评价结论"}, {"apply", "提出申请"}};
	for (int i = 0; i < n; i++) {
		const char *act = rows[i].action;
		for (size_t j = 0; j < ARRAY_LEN(actions); j++)
			if (strcmp(actions[j].code, act) == 0)
				act = actions[j].zh;
		const char *what = rows[i].before_json && rows[i].after_json
		                       ? record_diff(r, k, rows[i].before_json, rows[i].after_json)
		                       : NULL;
		html_printf(b, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", fmt_time(&r->arena, rows[i].at), rows[i].user_name, act,
		            what && *what ? what : "");
	}
	html_printf(b, "</tbody></table></div>\n");
}
