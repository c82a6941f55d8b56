/*
 * page_records.c — the registry's records, generic over the kinds that
 * registry.c describes: list (filters, search, sort, paging), detail with
 * history, create and edit forms that keep what was typed and put each
 * error next to its field, delete refused while others depend on the
 * record, and the same over the JSON API.
 *
 * Saving, with the review and scope rules, is records.c's (domain.h);
 * these handlers read the input and show the outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>
#include <pthread.h>

#include "page.h"
#include "page_parts.h"
#include "page_records.h"
#include "session.h"

/* The date a change of floor area counts from: the form's or API's
 * area_changed_on, else today. */
static const char *area_changed_on(Req *r, const char *given)
{
	if (given && date_valid(given))
		return given;
	char today[11];
	date_today(today);
	return arena_strdup(&r->arena, today);
}

/* ---- forms ---- */

/* A field of the form; a repeated one (the checkboxes of a 多选 field,
 * after their empty hidden twin) as its values joined by ",". */
static const char *form_get(void *ctx, const char *key)
{
	Req *r = ctx;
	const char **vals;
	int n = req_form_all(r, key, &vals);
	if (n <= 1)
		return n ? vals[0] : NULL;
	Buf b = {0};
	for (int i = 0; i < n; i++)
		if (*vals[i])
			buf_printf(&b, "%s%s", b.len ? "," : "", vals[i]);
	const char *out = arena_strdup(&r->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

/* Whether code is among the chosen ones of val (a JSON array or codes joined by ","). */
static int code_chosen(const char *val, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = val; (p = strstr(p, code)); p += n) {
		char before = p == val ? ',' : p[-1], after = p[n];
		if ((before == ',' || before == '"' || before == '[' || before == ' ') &&
		    (after == ',' || after == '"' || after == ']' || after == 0))
			return 1;
	}
	return 0;
}

/* A reference field's label without "编号": people choose by name. */
static const char *ref_label(Req *r, const Field *f)
{
	size_t n = strlen(f->label), sl = strlen("编号");
	if (f->type == FT_REF && n > sl && !strcmp(f->label + n - sl, "编号"))
		return arena_printf(&r->arena, "%.*s", (int)(n - sl), f->label);
	return f->label;
}

/* How a record appears in a picker: its name, with its area where another
 * record of the table has the same name (the name alone would not say which). */
static const char *ref_text(Req *r, const char *table, const RefChoice *c)
{
	RefChoice *same;
	int n = store_ref_named(r->store, &r->arena, table, c->name, 2, &same);
	return n > 1 ? arena_printf(&r->arena, "%s（%s）", c->name, area_name(r->plan, c->area)) : c->name;
}

/* ref_text for the i-th of n choices: the name repeated among them is what
 * asks for the area (one query for the list, not one per record). */
static const char *ref_text_among(Req *r, const RefChoice *c, int n, int i)
{
	for (int j = 0; j < n; j++)
		if (j != i && !strcmp(c[j].name, c[i].name))
			return arena_printf(&r->arena, "%s（%s）", c[i].name, area_name(r->plan, c[i].area));
	return c[i].name;
}

/* The records a picker offers (datalist or select): those of the user's own
 * area first; at most 300, app.js asks the list API for the rest as one types. */
static int ref_choices(Req *r, const char *table, RefChoice **out)
{
	const char *mine = r->role == ROLE_AREA ? r->session->user.scope : NULL;
	return store_ref_choices(r->store, &r->arena, table, "", mine, 300, out);
}

/* A reference field: a text box searched as one types (a datalist of names),
 * never an id to type; the server takes the name (registry_check). */
static void write_ref_picker(Req *r, const Field *f, const char *val, const char *aria)
{
	Buf *b = &r->out;
	const char *shown = val;
	char *end;
	long long id = strtoll(val, &end, 10);
	RefChoice cur;
	if (*val && !*end && id > 0 && store_ref_get(r->store, &r->arena, f->list, id, &cur) == 1)
		shown = ref_text(r, f->list, &cur);
	html_printf(b, "<input id=\"f-%h\" name=\"%h\" type=\"search\" value=\"%h\" list=\"dl-%h\" autocomplete=\"off\" "
	               "placeholder=\"输入名称查找\" data-ref=\"/api/v1/%hs\"%s><datalist id=\"dl-%h\">",
	            f->name, f->name, shown, f->name, f->list, SAFE_HTML(aria), f->name);
	RefChoice *c;
	int n = ref_choices(r, f->list, &c);
	for (int i = 0; i < n; i++)
		html_printf(b, "<option value=\"%h\">%h</option>", ref_text_among(r, c, n, i), area_name(r->plan, c[i].area));
	html_printf(b, "</datalist>");
}

static void write_field(Req *r, const Field *f, int idx, const Values *v)
{
	Buf *b = &r->out;
	const char *val = v->v[idx] ? v->v[idx] : "";
	const char *err = v->err[idx];
	const Plan *p = r->plan;
	html_printf(b, "<div class=\"field%s\"><label for=\"f-%h\">%h%s</label>", err ? " has-error" : "", f->name, ref_label(r, f),
	            f->flags & FF_REQUIRED ? " <span class=\"req\" aria-label=\"必填\">*</span>" : "");
	/* markup made here from the registry's field name (a constant) */
	const char *aria = err ? arena_printf(&r->arena, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", f->name) : "";
	switch (f->type) {
	case FT_CODE:
	case FT_AREA:
	case FT_LAYOUT:
	case FT_BOOL:
		html_printf(b, "<select id=\"f-%h\" name=\"%h\"%s><option value=\"\">（请选择）</option>", f->name, f->name, SAFE_HTML(aria));
		if (f->type == FT_BOOL) {
			html_printf(b, "<option value=\"1\"%s>是</option><option value=\"0\"%s>否</option>",
			            strcmp(val, "1") == 0 ? " selected" : "", strcmp(val, "0") == 0 ? " selected" : "");
		} else if (f->type == FT_AREA) {
			for (int i = 0; i < p->nareas; i++) {
				if (r->role == ROLE_AREA && r->session->user.scope && strcmp(p->areas[i].code, r->session->user.scope))
					continue; /* a reporter registers in its own area only */
				html_printf(b, "<option value=\"%h\"%s>%h</option>", p->areas[i].code,
				            strcmp(val, p->areas[i].code) == 0 ? " selected" : "", p->areas[i].name);
			}
		} else if (f->type == FT_LAYOUT) {
			for (int i = 0; i < p->nlayout_units; i++)
				html_printf(b, "<option value=\"%h\"%s>%h</option>", p->layout_units[i].code,
				            strcmp(val, p->layout_units[i].code) == 0 ? " selected" : "", p->layout_units[i].name);
		} else if (f->list[0] == '=') {
			const char *codes[32];
			int nc = registry_fixed_codes(f->list, codes, 32);
			for (int i = 0; i < nc; i++)
				html_printf(b, "<option value=\"%h\"%s>%h</option>", codes[i], strcmp(val, codes[i]) == 0 ? " selected" : "",
				            registry_fixed_label(f->list, codes[i], &r->arena));
		} else {
			for (int i = 0; i < p->nvocab; i++)
				if (strcmp(p->vocab[i].list, f->list) == 0)
					html_printf(b, "<option value=\"%h\"%s>%h</option>", p->vocab[i].code,
					            strcmp(val, p->vocab[i].code) == 0 ? " selected" : "", p->vocab[i].name);
		}
		html_printf(b, "</select>");
		break;
	case FT_CODES: {
		/* 多选: a checkbox per code; the empty hidden twin makes "none chosen" a value */
		html_printf(b, "<input type=\"hidden\" name=\"%h\" value=\"\"><div class=\"checks\" id=\"f-%h\" role=\"group\"%s>",
		            f->name, f->name, SAFE_HTML(aria));
		for (int i = 0; i < p->nvocab; i++)
			if (strcmp(p->vocab[i].list, f->list) == 0)
				html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" value=\"%h\"%s> %h</label>", f->name,
				            p->vocab[i].code, code_chosen(val, p->vocab[i].code) ? " checked" : "", p->vocab[i].name);
		html_printf(b, "</div>");
		break;
	}
	case FT_REF:
		write_ref_picker(r, f, val, aria);
		break;
	default: {
		const char *type = f->type == FT_DATE ? "date" : "text";
		const char *mode = f->type == FT_REAL ? " inputmode=\"decimal\"" : f->type == FT_INT ? " inputmode=\"numeric\"" : "";
		html_printf(b, "<input id=\"f-%h\" name=\"%h\" type=\"%h\" value=\"%h\"%s%s>", f->name, f->name, type, val, SAFE_HTML(aria),
		            SAFE_HTML(mode));
	}
	}
	if (err) {
		html_printf(b, "<p class=\"field-error\" id=\"e-%h\">%h", f->name, err);
		if (v->dup_id > 0 && v->dup_field == idx)
			html_printf(b, " <a class=\"dup\" href=\"%h/%lld\">查看已有记录（编号 %lld）</a>", record_path(v->kind),
			            v->dup_id, v->dup_id);
		html_printf(b, "</p>");
	} else if (f->hint)
		html_printf(b, "<p class=\"hint\">%h</p>", f->hint);
	html_printf(b, "</div>\n");
}

/* The form of a new record (id 0) or of record id with values v. over: the
 * user's own open proposal the values show (0: none), named in a hidden
 * field so that the save replaces it (records_save_over); over_at: when it
 * was submitted (NULL: not shown). */
static void record_form(Req *r, const Kind *k, long long id, const Values *v, const char *area_on, long long over,
                        const char *over_at)
{
	Buf *b = &r->out;
	const char *path = record_path(k);
	page_begin(r, id ? "编辑" : "登记", "registry");
	if (id)
	{
		/* the record by its name, not its number */
		int ni = registry_field_index(k, "name");
		const char *name = ni >= 0 && v->v[ni] && *v->v[ni] ? v->v[ni] : k->label;
		html_printf(b, "<p class=\"crumbs\"><a href=\"%h\">%h</a> › <a href=\"%h/%lld\">%h</a> › 编辑</p><h1>编辑%h</h1>\n",
		            path, k->label, path, id, name, k->label);
	}
	else
		html_printf(b, "<p class=\"crumbs\"><a href=\"%h\">%h</a> › 登记</p><h1>登记%h</h1>\n", path, k->label, k->label);
	if (v->nerr)
		html_printf(b, "<p class=\"form-error\" role=\"alert\">有 %d 处需要修改，请按标红字段旁的提示改正后再提交。</p>\n", v->nerr);
	if (over)
		html_printf(b, "<p class=\"hint\" role=\"status\" id=\"own-proposal\">您%s%h%s提交的修改尚待审核，表单中是您提出的值；"
		               "再次提交将替换那次修改。</p>\n",
		            over_at ? "于北京时间 " : "", over_at ? fmt_time(&r->arena, over_at) : "", over_at ? " " : "");
	if (r->role != ROLE_ADMIN)
		html_printf(b, "<p class=\"hint\">提交后由市专班办公室审核；审核通过前，%s</p>\n",
		            id ? "已通过的原记录继续计入统计。" : "新记录不计入统计。");
	if (id)
		html_printf(b, "<form method=\"post\" action=\"%h/%lld/edit\" class=\"card\" novalidate>", path, id);
	else
		html_printf(b, "<form method=\"post\" action=\"%h/new\" class=\"card\" novalidate>", path);
	form_csrf(r);
	if (over)
		html_printf(b, "<input type=\"hidden\" name=\"over\" value=\"%lld\">", over);
	for (int i = 0; i < k->nfields; i++) {
		if (k->fields[i].flags & FF_READONLY)
			continue;
		if (k == &kind_firm && !strcmp(k->fields[i].name, "area")) {
			/* a firm's area is its base's (records_derive): shown, never typed */
			html_printf(b, "<div class=\"field\"><span class=\"label\">%h</span><p class=\"hint\">%h%s</p></div>\n",
			            k->fields[i].label, v->v[i] && *v->v[i] ? area_name(r->plan, v->v[i]) : "",
			            "（自动取所在孵化基地的区域，无须填写）");
			continue;
		}
		write_field(r, &k->fields[i], i, v);
	}
	if (id && k == &kind_base)
		form_input(r, "area_changed_on", "面积变更日期（面积有变化时填写）", "date", area_on, NULL, NULL);
	html_printf(b, "<button type=\"submit\">%s</button> <a href=\"%h%h\">取消</a></form>\n", r->role == ROLE_ADMIN ? "保存" : "提交审核",
	            path, id ? arena_printf(&r->arena, "/%lld", id) : "");
	page_end(r);
}

static long long param_id(Req *r)
{
	return req_param_int(r, "id");
}

/* WEBPAGE: GET /bases/new */
void page_record_new(Req *r)
{
	const Kind *k = r->route->kind;
	Values v = {.kind = k};
	if (r->role == ROLE_AREA)
		v.v[registry_field_index(k, "area")] = r->session->user.scope;
	record_form(r, k, 0, &v, NULL, 0, NULL);
}

/* WEBPAGE: POST /bases/new */
void page_record_create(Req *r)
{
	const Kind *k = r->route->kind;
	Values v;
	registry_from_lookup(k, form_get, r, &v);
	Actor who = req_actor(r);
	long long id = 0;
	DomResult res = records_save(r->store, &who, k, 0, &v, NULL, &id);
	if (res.code == DOM_INVALID && v.nerr) {
		r->status = 400;
		record_form(r, k, 0, &v, NULL, 0, NULL);
		return;
	}
	if (!dom_done(res)) {
		page_refuse(r, res);
		return;
	}
	http_redirect(r, arena_printf(&r->arena, "%s/%lld?saved=%s", record_path(k), id, res.code == DOM_OK ? "1" : "pending"));
}

/* WEBPAGE: GET /bases/{id}/edit */
void page_record_edit(Req *r)
{
	const Kind *k = r->route->kind;
	long long id = param_id(r);
	Values v;
	registry_from_record_json(&r->arena, k, store_record_json(r->store, &r->arena, k->name, id), &v);
	const char *on = area_changed_on(r, NULL);
	/* the user's own proposal waiting for review: the form shows what it
	 * said (saving again replaces it), not the record it would change */
	PendingChange mine;
	Actor who = req_actor(r);
	if (r->role != ROLE_ADMIN && store_change_open_by(r->store, &r->arena, k->name, id, who.name, &mine) == 1) {
		json_t *p = json_loads(mine.payload, 0, NULL);
		Values pv;
		registry_from_record_json(&r->arena, k, mine.payload, &pv);
		for (int i = 0; p && i < k->nfields; i++)
			if (json_object_get(p, k->fields[i].name))
				v.v[i] = pv.v[i];
		const char *pon = json_string_value(json_object_get(p, "area_changed_on"));
		if (pon && date_valid(pon))
			on = arena_strdup(&r->arena, pon);
		json_decref(p);
		record_form(r, k, id, &v, on, mine.id, mine.submitted_at);
		return;
	}
	record_form(r, k, id, &v, on, 0, NULL);
}

/* The field errors of v without saving (the form is shown again for another reason). */
static void check_only(Req *r, const Kind *k, long long id, Values *v)
{
	Actor who = req_actor(r);
	Values cur;
	registry_from_record_json(&r->arena, k, store_record_json(r->store, &r->arena, k->name, id), &cur);
	records_check(r->store, &who, k, id, v, &cur, NULL);
}

/* WEBPAGE: POST /bases/{id}/edit */
void page_record_update(Req *r)
{
	const Kind *k = r->route->kind;
	long long id = param_id(r);
	Values v;
	registry_from_lookup(k, form_get, r, &v);
	const char *on = req_form(r, "area_changed_on"), *over_text = req_form(r, "over");
	long long over = 0;
	if (over_text && *over_text && !parse_int(over_text, 1, 1LL << 62, &over))
		over = 0; /* not a number: saved as an ordinary change */
	if (on && *on && !date_valid(on)) {
		check_only(r, k, id, &v);
		r->status = 400;
		record_form(r, k, id, &v, on, over, NULL);
		return;
	}
	Actor who = req_actor(r);
	DomResult res = records_save_over(r->store, &who, k, id, &v, area_changed_on(r, on), over);
	if (res.code == DOM_INVALID && v.nerr) {
		r->status = 400;
		record_form(r, k, id, &v, on, over, NULL);
		return;
	}
	if (!dom_done(res)) {
		page_refuse(r, res);
		return;
	}
	http_redirect(r, arena_printf(&r->arena, "%s/%lld?saved=%s", record_path(k), id,
	                              res.code == DOM_OK ? "1"
	                              : res.code == DOM_PROPOSED ? (res.message == records_merged_message ? "merged" : "proposed")
	                                                         : "pending"));
}

/* ---- detail ---- */

/* WEBPAGE: GET /bases/{id} — every field, recognitions, floor-area history,
 * proposed changes, review actions and the change history. */
void page_record(Req *r)
{
	const Kind *k = r->route->kind;
	long long id = param_id(r);
	json_t *rec = record_load(r, k, id);
	if (!rec) {
		http_error(r, 404, "not_found", "没有这条记录。");
		return;
	}
	const char *st = json_string_value(json_object_get(rec, "review_status"));
	const char *area = json_string_value(json_object_get(rec, "area"));
	if (strcmp(st, "approved") != 0 && !req_sees_base_fully(r, k == &kind_base ? id : 0, area)) {
		json_decref(rec);
		http_error(r, 404, "not_found", "没有这条记录，或它尚未通过审核。");
		return;
	}
	Buf *b = &r->out;
	const char *name = json_string_value(json_object_get(rec, "name"));
	page_begin(r, name ? name : k->label, "registry");
	html_printf(b, "<p class=\"crumbs\"><a href=\"%h\">%h</a> › %h</p><h1>%h</h1>\n", record_path(k), k->label, name, name);
	const char *saved = req_query(r, "saved");
	if (saved)
		html_printf(b, "<p class=\"form-ok\" role=\"status\">%h</p>\n",
		            strcmp(saved, "1") == 0          ? "已保存。"
		            : strcmp(saved, "proposed") == 0 ? "修改已提交，等待市专班审核；审核通过前原记录不变。"
		            : strcmp(saved, "merged") == 0   ? records_merged_message
		                                             : "已提交，等待市专班审核。");
	html_printf(b, "<p><span class=\"review %h\">%h</span>", st, review_status_zh(st));
	const char *note = json_string_value(json_object_get(rec, "review_note"));
	if (note && strcmp(st, "returned") == 0)
		html_printf(b, " 退回原因：%h", note);
	int editor = r->role == ROLE_ADMIN || (r->session && r->session->user.scope &&
	             ((r->role == ROLE_AREA && strcmp(r->session->user.scope, area) == 0) ||
	              (r->role == ROLE_BASE && k == &kind_base && id_or_zero(r->session->user.scope) == id)));
	if (editor)
		html_printf(b, " <a class=\"button\" href=\"%h/%lld/edit\">编辑</a>", record_path(k), id);
	if (k == &kind_base)
		html_printf(b, " <a class=\"button secondary\" href=\"/bases/%lld/evaluation\">对照标准评价</a>", id);
	if (editor && (r->role == ROLE_ADMIN || strcmp(st, "approved") != 0))
		html_printf(b, " <a class=\"button secondary\" href=\"%h/%lld/delete\">删除</a>", record_path(k), id);
	html_printf(b, "</p>\n<dl class=\"facts\">");
	for (int i = 0; i < k->nfields; i++) {
		const Field *f = &k->fields[i];
		if (strcmp(f->name, "review_status") == 0)
			continue;
		const char *shown = record_display(r, f, json_object_get(rec, f->name), rec);
		html_printf(b, "<dt>%h</dt><dd data-field=\"%h\">%h</dd>", f->label, f->name, *shown ? shown : "—");
	}
	html_printf(b, "</dl>\n");
	if (k == &kind_base) {
		json_t *levels = json_object_get(rec, "levels");
		html_printf(b, "<h2>认定</h2>");
		if (!json_array_size(levels))
			html_printf(b, "<p class=\"muted\">暂无认定记录。</p>");
		else {
			html_printf(b, "<ul>");
			size_t i;
			json_t *l;
			json_array_foreach(levels, i, l)
				html_printf(b, "<li>%h（%h）</li>", vocab_name(r->plan, "base_level", json_string_value(json_object_get(l, "level"))),
				            json_string_value(json_object_get(l, "recognised_on")));
			html_printf(b, "</ul>\n");
		}
		AreaChange *ch;
		int nc = store_base_area_changes(r->store, &r->arena, id, &ch);
		html_printf(b, "<h2>面积变化</h2><div class=\"table-wrap\"><table class=\"data\" id=\"area-history\"><thead><tr>"
		               "<th scope=\"col\">日期</th><th scope=\"col\" class=\"num\">总面积变化</th>"
		               "<th scope=\"col\" class=\"num\">孵化面积变化</th><th scope=\"col\">说明</th></tr></thead><tbody>");
		double most_t = 0, most_i = 0; /* one unit per column */
		for (int i = 0; i < nc; i++) {
			most_t = fabs(ch[i].total_delta) > most_t ? fabs(ch[i].total_delta) : most_t;
			most_i = fabs(ch[i].incubation_delta) > most_i ? fabs(ch[i].incubation_delta) : most_i;
		}
		const char *cu_t = fmt_column_unit(most_t, "㎡"), *cu_i = fmt_column_unit(most_i, "㎡");
		for (int i = 0; i < nc; i++)
			html_printf(b, "<tr><td>%h</td><td class=\"num\">%h%h</td><td class=\"num\">%h%h</td><td>%h</td></tr>", ch[i].on,
			            ch[i].total_delta > 0 ? "+" : ch[i].total_delta < 0 ? "-" : "",
			            fmt_in(&r->arena, fabs(ch[i].total_delta), "㎡", cu_t),
			            ch[i].incubation_delta > 0 ? "+" : ch[i].incubation_delta < 0 ? "-" : "",
			            fmt_in(&r->arena, fabs(ch[i].incubation_delta), "㎡", cu_i),
			            fmt_note(&r->arena, ch[i].note));
		html_printf(b, "</tbody></table></div>\n");
	}
	json_t *runs = json_object_get(rec, "bases");
	if (k == &kind_operator) {
		html_printf(b, "<h2>运营的孵化基地（%zu）</h2>", json_array_size(runs));
		if (!json_array_size(runs))
			html_printf(b, "<p class=\"muted\">暂无。</p>\n");
		else {
			html_printf(b, "<ul>");
			size_t i;
			json_t *x;
			json_array_foreach(runs, i, x)
				html_printf(b, "<li><a href=\"/bases/%lld\">%h</a></li>", (long long)json_integer_value(json_object_get(x, "id")),
				            json_string_value(json_object_get(x, "name")));
			html_printf(b, "</ul>\n");
		}
	}
	record_event_origin(r, k, id);
	PendingChange *pc;
	int npc = store_changes(r->store, &r->arena, NULL, k->name, id, &pc);
	if (npc > 0 && (r->role == ROLE_ADMIN || editor)) {
		html_printf(b, "<h2>待审核的修改</h2>");
		for (int i = 0; i < npc; i++)
			review_change_card(r, &pc[i]);
	}
	if (r->role == ROLE_ADMIN && strcmp(st, "pending") == 0)
		review_record_form(r, k, id);
	if (r->role == ROLE_ADMIN || r->role == ROLE_VIEWER || editor)
		record_history(r, k, id);
	json_decref(rec);
	page_end(r);
}

/* ---- delete ---- */

/* WEBPAGE: GET /bases/{id}/delete — asks for confirmation, says what blocks it. */
void page_record_delete_confirm(Req *r)
{
	const Kind *k = r->route->kind;
	long long id = param_id(r);
	Actor who = req_actor(r);
	DomResult may = records_may_delete(r->store, &who, k, id);
	if (may.code != DOM_OK && may.code != DOM_CONFLICT) {
		page_refuse(r, may);
		return;
	}
	json_t *rec = record_load(r, k, id);
	Buf *b = &r->out;
	page_begin(r, "删除", "registry");
	html_printf(b, "<section class=\"card narrow\"><h1>删除%h</h1><p>确定要删除“%h”吗？删除后不可恢复（审计日志保留记录）。</p>",
	            k->label, json_string_value(json_object_get(rec, "name")));
	if (may.code == DOM_CONFLICT)
		html_printf(b, "<p class=\"form-error\" role=\"alert\">%h</p>", may.message);
	else {
		html_printf(b, "<form method=\"post\" action=\"%h/%lld/delete\">", record_path(k), id);
		form_csrf(r);
		html_printf(b, "<button type=\"submit\" class=\"danger\">确认删除</button></form>");
	}
	html_printf(b, "<p><a href=\"%h/%lld\">返回</a></p></section>\n", record_path(k), id);
	page_end(r);
	json_decref(rec);
}

/* Deletes with its audit row; returns 0 after answering when refused. */
static int do_delete(Req *r, const Kind *k, long long id)
{
	Actor who = req_actor(r);
	DomResult res = records_delete(r->store, &who, k, id);
	if (res.code != DOM_OK) {
		page_refuse(r, res);
		return 0;
	}
	return 1;
}

/* WEBPAGE: POST /bases/{id}/delete */
void page_record_delete(Req *r)
{
	const Kind *k = r->route->kind;
	if (do_delete(r, k, param_id(r)))
		http_redirect(r, arena_printf(&r->arena, "%s?deleted=1", record_path(k)));
}

/* ---- list ---- */

/* Reads the list's filters from the query; answers 400 itself on a bad one. */
int record_read_filter(Req *r, const Kind *k, RecordFilter *f, int *page)
{
	memset(f, 0, sizeof *f);
	const char *keys[] = {"area", "review_status", "q", "from", "to", k->filter1, k->filter2, "sort"};
	const char **slots[] = {&f->area, &f->review_status, &f->q, &f->from, &f->to, &f->extra1, &f->extra2, &f->sort};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const char *v = req_query(r, keys[i]);
		*slots[i] = v && *v ? v : NULL;
	}
	if (!req_query_date(r, "from", NULL, &f->from) || !req_query_date(r, "to", NULL, &f->to))
		return 0;
	const char *desc = req_query(r, "desc");
	f->desc = desc && strcmp(desc, "1") == 0;
	if (!req_paging(r, 20, &f->limit, &f->offset, page))
		return 0;
	/* What is not approved is shown only to those who see its area in full. */
	if (!req_sees_area_fully(r, f->area) && !(f->review_status && strcmp(f->review_status, "approved") == 0)) {
		if (f->review_status) {
			http_error(r, 403, "forbidden_scope", "只能查看本辖区待审核或退回的记录；请在“区域”筛选中选择本辖区。");
			return 0;
		}
		f->review_status = "approved";
	}
	return 1;
}

/* The list URL with the current filters and one parameter changed. */
static const char *list_url(Req *r, const Kind *k, const char *key, const char *value)
{
	Buf u = {0};
	buf_puts(&u, record_path(k));
	const char *keys[] = {"area", "review_status", "q", "from", "to", k->filter1, k->filter2, "sort", "desc", "page"};
	char sep = '?';
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const char *v = strcmp(keys[i], key) == 0 ? value : req_query(r, keys[i]);
		if (strcmp(key, "sort") == 0 && strcmp(keys[i], "page") == 0)
			v = NULL;
		if (!v || !*v)
			continue;
		buf_putc(&u, sep);
		sep = '&';
		buf_puts(&u, keys[i]);
		buf_putc(&u, '=');
		url_escape(&u, v);
	}
	const char *s = arena_strdup(&r->arena, buf_str(&u));
	buf_free(&u);
	return s;
}

/* The options of every area of the plan, in its order, none selected:
 * made once per plan (a server loads its plan once and never changes it)
 * and copied into each page; 381 options at national scale. */
static pthread_mutex_t area_options_lock = PTHREAD_MUTEX_INITIALIZER;
static const Plan *area_options_plan;
static Buf area_options;

/* Writes the area options with cur (may be NULL) selected. */
static void write_area_options(Req *r, const char *cur)
{
	const Plan *p = r->plan;
	Buf *b = &r->out;
	size_t at = b->len;
	pthread_mutex_lock(&area_options_lock);
	if (area_options_plan != p || !area_options.len) {
		buf_reset(&area_options);
		for (int i = 0; i < p->nareas; i++)
			html_printf(&area_options, "<option value=\"%h\">%h</option>", p->areas[i].code, p->areas[i].name);
		area_options_plan = p;
	}
	buf_append(b, area_options.data, area_options.len);
	pthread_mutex_unlock(&area_options_lock);
	if (!cur || !*cur)
		return;
	/* the chosen one: " selected" after its value */
	Buf needle = {0};
	html_printf(&needle, "<option value=\"%h\"", cur);
	buf_putc(b, 0); /* a terminator for strstr, taken off below */
	char *hit = strstr(b->data + at, buf_str(&needle));
	b->len--;
	if (hit) {
		size_t off = (size_t)(hit - b->data) + needle.len;
		static const char sel[] = " selected";
		buf_grow(b, sizeof sel - 1);
		memmove(b->data + off + sizeof sel - 1, b->data + off, b->len - off + 1); /* and the terminator */
		memcpy(b->data + off, sel, sizeof sel - 1);
		b->len += sizeof sel - 1;
	}
	buf_free(&needle);
}

static void filter_select(Req *r, const char *name, const char *label, const char *list, const char *cur)
{
	const Plan *p = r->plan;
	Buf *b = &r->out;
	html_printf(b, "<div class=\"field\"><label for=\"q-%h\">%h</label><select id=\"q-%h\" name=\"%h\"><option value=\"\">全部</option>",
	            name, label, name, name);
	if (strcmp(list, "@areas") == 0) {
		write_area_options(r, cur);
	} else if (strcmp(list, "@review") == 0) {
		static const char *const st[] = {"approved", "pending", "returned"};
		for (size_t i = 0; i < ARRAY_LEN(st); i++)
			html_printf(b, "<option value=\"%h\"%s>%h</option>", st[i], cur && strcmp(cur, st[i]) == 0 ? " selected" : "",
			            review_status_zh(st[i]));
	} else {
		for (int i = 0; i < p->nvocab; i++)
			if (strcmp(p->vocab[i].list, list) == 0)
				html_printf(b, "<option value=\"%h\"%s>%h</option>", p->vocab[i].code,
				            cur && strcmp(cur, p->vocab[i].code) == 0 ? " selected" : "", p->vocab[i].name);
	}
	html_printf(b, "</select></div>");
}

/* Reads the filters and one page of records; answers errors itself and
 * returns -1 then. Shared by the list page and the list API. */
static int load_list(Req *r, const Kind *k, RecordFilter *f, int *page, const char ***rows, long long *total)
{
	if (!record_read_filter(r, k, f, page))
		return -1;
	int n = store_record_list(r->store, &r->arena, k->name, f, rows, total);
	if (n < 0)
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
	return n;
}

/* A filter of the kind's own: a select for codes and yes/no, a number box for ids. */
static void kind_filter(Req *r, const Kind *k, const char *name, const char *cur)
{
	if (!name)
		return;
	if (strcmp(name, "level") == 0) {
		filter_select(r, "level", "认定级别", "base_level", cur);
		return;
	}
	const Field *f = &k->fields[registry_field_index(k, name)];
	Buf *b = &r->out;
	if (f->type == FT_REF) {
		/* a select of names, never an id to type */
		html_printf(b, "<div class=\"field\"><label for=\"q-%h\">%h</label><select id=\"q-%h\" name=\"%h\"><option value=\"\">全部</option>",
		            name, ref_label(r, f), name, name);
		RefChoice *c;
		int n = ref_choices(r, f->list, &c), shown = 0;
		long long want = cur && *cur ? strtoll(cur, NULL, 10) : 0;
		for (int i = 0; i < n; i++) {
			shown |= c[i].id == want;
			html_printf(b, "<option value=\"%lld\"%s>%h</option>", c[i].id, c[i].id == want ? " selected" : "",
			            ref_text_among(r, c, n, i));
		}
		RefChoice one;
		if (want > 0 && !shown && store_ref_get(r->store, &r->arena, f->list, want, &one) == 1)
			html_printf(b, "<option value=\"%lld\" selected>%h</option>", one.id, ref_text(r, f->list, &one));
		html_printf(b, "</select></div>");
		return;
	}
	if (f->type == FT_CODE && f->list[0] != '=') {
		filter_select(r, name, f->label, f->list, cur);
		return;
	}
	if (f->type == FT_CODES) {
		filter_select(r, name, f->label, f->list, cur);
		return;
	}
	html_printf(b, "<div class=\"field\"><label for=\"q-%h\">%h</label><select id=\"q-%h\" name=\"%h\"><option value=\"\">全部</option>",
	            name, f->label, name, name);
	if (f->type == FT_BOOL) {
		html_printf(b, "<option value=\"1\"%s>是</option><option value=\"0\"%s>否</option>", cur && !strcmp(cur, "1") ? " selected" : "",
		            cur && !strcmp(cur, "0") ? " selected" : "");
	} else {
		const char *codes[32];
		int nc = registry_fixed_codes(f->list, codes, 32);
		for (int i = 0; i < nc; i++)
			html_printf(b, "<option value=\"%h\"%s>%h</option>", codes[i], cur && strcmp(cur, codes[i]) == 0 ? " selected" : "",
			            registry_fixed_label(f->list, codes[i], &r->arena));
	}
	html_printf(b, "</select></div>");
}

/* Tabs to the registry's kinds. */
static void kind_tabs(Req *r, const Kind *cur)
{
	html_printf(&r->out, "<nav class=\"tabs\" aria-label=\"登记类别\">");
	for (int i = 0; i < registry_kind_count; i++)
		html_printf(&r->out, "<a href=\"/%h\"%s>%h</a>", registry_kinds[i]->name,
		            registry_kinds[i] == cur ? " aria-current=\"true\"" : "", registry_kinds[i]->label);
	html_printf(&r->out, "</nav>\n");
}

/* WEBPAGE: GET /bases (and /operators, /funds, ...) — the list with filters, search, sort and paging. */
/* The key of a list page's kept rows (page_parts.h): the kind, the filter
 * as the store is asked (after the reader's scope made it approved-only),
 * the paging, and every parameter the table's sort and page links repeat;
 * each value with its length, so no value can pass for another. NULL when
 * it is too long to keep. */
static const char *list_part_key(Req *r, const Kind *k, const RecordFilter *f, int page)
{
	Buf key = {0};
	buf_printf(&key, "list|%s|%d|%d|%d", k->name, f->limit, f->offset, page);
	const char *resolved[] = {f->area, f->review_status, f->q, f->from, f->to, f->extra1, f->extra2, f->sort};
	for (size_t i = 0; i < ARRAY_LEN(resolved); i++)
		buf_printf(&key, "|%zu:%s", resolved[i] ? strlen(resolved[i]) : (size_t)0, resolved[i] ? resolved[i] : "");
	buf_printf(&key, "|%d", f->desc);
	const char *keys[] = {"area", "review_status", "q", "from", "to", k->filter1, k->filter2, "sort", "desc", "page"};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const char *v = keys[i] ? req_query(r, keys[i]) : NULL;
		buf_printf(&key, "|%zu:%s", v ? strlen(v) : (size_t)0, v ? v : "");
	}
	const char *out = key.len < sizeof ((PagePart *)0)->key ? arena_strdup(&r->arena, buf_str(&key)) : NULL;
	buf_free(&key);
	return out;
}

void page_records(Req *r)
{
	const Kind *k = r->route->kind;
	RecordFilter f;
	int page;
	const char **rows = NULL;
	long long total = 0;
	if (!record_read_filter(r, k, &f, &page))
		return;
	/* The count, the rows and the pager are the same for every reader whose
	 * scope asks the store the same (the filter is in the key): kept for
	 * all sessions while what they show is unchanged — the records of the
	 * filtered area (of every area without one) and what is in no area
	 * (operators' names). A reporter's city-wide list, with its notices
	 * between the count and the rows, is made every time. */
	const char *mine = r->role == ROLE_AREA && r->session ? r->session->user.scope : NULL;
	const char *pkey = mine && !f.area ? NULL : list_part_key(r, k, &f, page);
	Buf *b = &r->out;
	page_begin(r, k->label, "registry");
	kind_tabs(r, k);
	html_printf(b, "<h1>%h</h1>\n", k->label);
	if (req_query(r, "deleted"))
		html_printf(b, "<p class=\"form-ok\" role=\"status\">已删除。</p>\n");
	html_printf(b, "<p class=\"actions\">");
	if (r->role == ROLE_ADMIN || r->role == ROLE_AREA)
		html_printf(b, "<a class=\"button\" href=\"%h/new\">登记%h</a> <a class=\"button secondary\" href=\"%h/import\">从 Excel 导入</a> ",
		            record_path(k), k->label, record_path(k));
	/* The export takes the list's filters: what is shown is what is exported. */
	const char *q = strchr(list_url(r, k, "page", NULL), '?');
	html_printf(b, "<a class=\"button secondary\" href=\"%h/export.xlsx%h\" download>导出 Excel</a> "
	               "<a class=\"button secondary\" href=\"%h/export.csv%h\" download>导出 CSV</a></p>\n",
	            record_path(k), q ? q : "", record_path(k), q ? q : "");
	html_printf(b, "<form method=\"get\" action=\"%h\" class=\"filters\">", record_path(k));
	form_input(r, "q", "搜索名称或产业", "search", f.q, NULL, NULL);
	filter_select(r, "area", "区域", "@areas", f.area);
	kind_filter(r, k, k->filter1, f.extra1);
	kind_filter(r, k, k->filter2, f.extra2);
	if (req_sees_area_fully(r, f.area))
		filter_select(r, "review_status", "审核状态", "@review", req_query(r, "review_status"));
	const Field *df = &k->fields[registry_field_index(k, k->date_field)];
	form_input(r, "from", arena_printf(&r->arena, "%s不早于", df->label), "date", f.from, NULL, NULL);
	form_input(r, "to", arena_printf(&r->arena, "%s不晚于", df->label), "date", f.to, NULL, NULL);
	html_printf(b, "<button type=\"submit\">筛选</button></form>\n");
	PagePart part = {0};
	if (pkey && page_part_begin(r, &part, f.area, "%s", pkey)) {
		page_end(r);
		return;
	}
	int n = store_record_list(r->store, &r->arena, k->name, &f, &rows, &total);
	if (n < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return;
	}
	html_printf(b, "<p class=\"result-count\">共 <strong id=\"total\">%lld</strong> 条</p>\n", total);
	/* A reporter's city-wide list shows approved records only: say what of
	 * their own waits (returned to fix, or with the office) and link to it. */
	if (mine && !f.area) {
		static const char *const st[] = {"returned", "pending"}, *const zh[] = {"被退回待修改", "待市专班审核"};
		for (int i = 0; i < 2; i++) {
			RecordFilter w = {.area = mine, .review_status = st[i], .limit = 1};
			const char **wr;
			long long waiting = 0;
			if (store_record_list(r->store, &r->arena, k->name, &w, &wr, &waiting) >= 0 && waiting > 0)
				html_printf(b, "<p class=\"notice\" id=\"mine-%h\">本辖区有 %lld 条%h的%h（不在上面的全市列表中）：<a href=\"%h?area=%u&amp;review_status=%u\">查看</a></p>\n",
				            st[i], waiting, zh[i], k->label, record_path(k), mine, st[i]);
		}
	}
	html_printf(b, "<div class=\"table-wrap\"><table class=\"data\" id=\"records\"><thead><tr>");
	for (int i = 0; i < k->nfields; i++) {
		const Field *fl = &k->fields[i];
		if (!(fl->flags & FF_LIST))
			continue;
		int sorted = f.sort && strcmp(f.sort, fl->name) == 0;
		html_printf(b, "<th scope=\"col\"%s><a href=\"%h\">%h%s</a></th>", sorted ? (f.desc ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : "",
		            list_url(r, k, "sort", fl->name), fl->label, sorted ? (f.desc ? " ↓" : " ↑") : "");
	}
	html_printf(b, "</tr></thead><tbody>");
	for (int j = 0; j < n; j++) {
		json_error_t e;
		json_t *rec = json_loads(rows[j], 0, &e);
		long long id = json_integer_value(json_object_get(rec, "id"));
		html_printf(b, "<tr>");
		for (int i = 0; i < k->nfields; i++) {
			const Field *fl = &k->fields[i];
			if (!(fl->flags & FF_LIST))
				continue;
			json_t *val = json_object_get(rec, fl->name);
			if (strcmp(fl->name, "name") == 0)
				html_printf(b, "<th scope=\"row\"><a href=\"%h/%lld\">%h</a></th>", record_path(k), id, json_string_value(val));
			else if (strcmp(fl->name, "id") == 0)
				html_printf(b, "<td class=\"num\"><a href=\"%h/%lld\">%lld</a></td>", record_path(k), id, id);
			else if (strcmp(fl->name, "review_status") == 0)
				html_printf(b, "<td><span class=\"review %h\">%h</span></td>", json_string_value(val),
				            review_status_zh(json_string_value(val)));
			else
				html_printf(b, "<td%s>%h</td>", fl->type == FT_REAL || fl->type == FT_INT ? " class=\"num\"" : "",
				            record_display(r, fl, val, rec));
		}
		html_printf(b, "</tr>");
		json_decref(rec);
	}
	html_printf(b, "</tbody></table></div>\n<nav class=\"pager\" aria-label=\"分页\">");
	long long pages = (total + f.limit - 1) / f.limit;
	if (page > 1)
		html_printf(b, "<a href=\"%h\" rel=\"prev\">‹ 上一页</a> ", list_url(r, k, "page", arena_printf(&r->arena, "%d", page - 1)));
	html_printf(b, "<span>第 %d / %lld 页</span>", page, pages ? pages : 1);
	if (page < pages)
		html_printf(b, " <a href=\"%h\" rel=\"next\">下一页 ›</a>", list_url(r, k, "page", arena_printf(&r->arena, "%d", page + 1)));
	html_printf(b, "</nav>\n");
	page_part_end(r, &part);
	page_end(r);
}

/* ---- API ---- */

/* The 400 answer for input with errors: the first field, and all of them. */
static void api_invalid(Req *r, const Values *v)
{
	json_t *fields = json_object();
	const char *first = NULL, *msg = NULL;
	for (int i = 0; i < v->kind->nfields; i++)
		if (v->err[i]) {
			json_object_set_new(fields, v->kind->fields[i].name, json_string(v->err[i]));
			if (!first) {
				first = v->kind->fields[i].name;
				msg = arena_printf(&r->arena, "%s:%s", v->kind->fields[i].label, v->err[i]);
			}
		}
	json_t *j = json_pack("{s:{s:s,s:s,s:s,s:o}}", "error", "code", v->dup_id > 0 ? "duplicate" : "invalid", "field", first,
	                      "message", msg, "fields", fields);
	if (v->dup_id > 0)
		json_object_set_new(json_object_get(j, "error"), "existing",
		                    json_pack("{s:I,s:s}", "id", (json_int_t)v->dup_id, "href",
		                              arena_printf(&r->arena, "%s/%lld", record_path(v->kind), v->dup_id)));
	http_json(r, 400, j);
}

/* Reads a JSON body into v; answers 400 on an unknown field. */
static int api_values(Req *r, const Kind *k, Values *v)
{
	json_t *j = req_json(r);
	if (!j)
		return 0;
	registry_from_json(&r->arena, k, j, v);
	json_t *on = json_object_get(j, "area_changed_on");
	if (v->unknown && !(on && strcmp(v->unknown, "area_changed_on") == 0 && k == &kind_base)) {
		http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "unknown_field", "field", v->unknown, "message",
		                            arena_printf(&r->arena, "没有字段“%s”，或该字段不能修改；字段名见 API 文档。", v->unknown)));
		return 0;
	}
	return 1;
}

static void api_answer_saved(Req *r, const Kind *k, long long id, DomResult res, int created)
{
	json_t *rec = record_load(r, k, id);
	if (res.code == DOM_PROPOSED) {
		http_json(r, 202, json_pack("{s:s,s:s,s:o}", "status", "proposed", "message", res.message, "record",
		                            rec ? rec : json_null()));
		return;
	}
	http_json(r, created ? 201 : 200, rec ? rec : json_object());
}

/* API: GET /api/v1/bases */
void api_records(Req *r)
{
	const Kind *k = r->route->kind;
	RecordFilter f;
	int page;
	const char **rows;
	long long total;
	int n = load_list(r, k, &f, &page, &rows, &total);
	if (n < 0)
		return;
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_error_t e;
		json_array_append_new(items, json_loads(rows[i], 0, &e));
	}
	http_json(r, 200, json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "limit", f.limit,
	                            "offset", f.offset));
}

/* API: POST /api/v1/bases */
void api_record_create(Req *r)
{
	const Kind *k = r->route->kind;
	Values v;
	if (!api_values(r, k, &v))
		return;
	Actor who = req_actor(r);
	long long id = 0;
	DomResult res = records_save(r->store, &who, k, 0, &v, NULL, &id);
	if (res.code == DOM_INVALID && v.nerr) {
		api_invalid(r, &v);
		return;
	}
	if (!dom_done(res)) {
		page_refuse(r, res);
		return;
	}
	api_answer_saved(r, k, id, res, 1);
}

/* API: GET /api/v1/bases/{id} */
void api_record_get(Req *r)
{
	const Kind *k = r->route->kind;
	json_t *rec = record_load(r, k, param_id(r));
	const char *st = rec ? json_string_value(json_object_get(rec, "review_status")) : NULL;
	const char *area = rec ? json_string_value(json_object_get(rec, "area")) : NULL;
	if (!rec || (strcmp(st, "approved") != 0 && !req_sees_base_fully(r, k == &kind_base ? param_id(r) : 0, area))) {
		json_decref(rec);
		http_error(r, 404, "not_found", "没有这条记录，或它尚未通过审核。");
		return;
	}
	http_json(r, 200, rec);
}

/* API: PUT (replace: every required field) and PATCH (the fields given). */
static void api_record_write(Req *r, int replace)
{
	const Kind *k = r->route->kind;
	long long id = param_id(r);
	Values v;
	if (!api_values(r, k, &v))
		return;
	const char *on = json_string_value(json_object_get(req_json(r), "area_changed_on"));
	if (!replace) {
		Values cur;
		registry_from_record_json(&r->arena, k, store_record_json(r->store, &r->arena, k->name, id), &cur);
		registry_merge(&v, &cur);
	}
	if (on && !date_valid(on)) {
		http_json(r, 400, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", "invalid", "field", "area_changed_on", "message",
		                            "area_changed_on 应为日期 年-月-日。"));
		return;
	}
	Actor who = req_actor(r);
	DomResult res = records_save(r->store, &who, k, id, &v, area_changed_on(r, on), NULL);
	if (res.code == DOM_INVALID && v.nerr) {
		api_invalid(r, &v);
		return;
	}
	if (!dom_done(res)) {
		page_refuse(r, res);
		return;
	}
	api_answer_saved(r, k, id, res, 0);
}

void api_record_put(Req *r)
{
	api_record_write(r, 1);
}

void api_record_patch(Req *r)
{
	api_record_write(r, 0);
}

/* API: DELETE /api/v1/bases/{id} */
void api_record_delete(Req *r)
{
	if (do_delete(r, r->route->kind, param_id(r)))
		http_json(r, 200, json_pack("{s:b}", "deleted", 1));
}

