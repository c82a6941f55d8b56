/*
 * reports.c — the periodic reporting workflows (see reports.h). Who may do
 * what is decided here, from the actor and the report's state; every
 * change runs in one transaction with its audit rows.
 */
#include "reports.h"

#include "outbox.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the forms of the plan ---- */

static pthread_mutex_t forms_lock = PTHREAD_MUTEX_INITIALIZER;
static Arena forms_arena;
static const FormSet *forms_cached;
static const char *forms_cached_name;

const FormSet *reports_forms(Store *s, const Plan *p)
{
	(void)s;
	const char *name = p && p->forms ? p->forms : NULL;
	pthread_mutex_lock(&forms_lock);
	if (!forms_cached || (name && strcmp(name, forms_cached_name))) {
		const EmbeddedForms *e = forms_embedded(name);
		char err[400];
		forms_cached = e ? forms_parse(&forms_arena, e->data, *e->len, e->name, err, sizeof err) : NULL;
		forms_cached_name = e ? e->name : "";
		if (e && !forms_cached)
			fprintf(stderr, "hatchery: %s\n", err);
	}
	const FormSet *fs = forms_cached;
	pthread_mutex_unlock(&forms_lock);
	return fs;
}

/* ---- small helpers ---- */

static int set_out(ReportOutcome *o, int status, const char *code, const char *message)
{
	o->status = status;
	o->code = code;
	o->message = message;
	return status;
}

static void iso_utc(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int is_role(const Actor *a, Role role)
{
	return a && a->role == role;
}

static int is_reporter(const Actor *a, const ReportOrg *o)
{
	if (!a->scope)
		return 0;
	if (!strcmp(o->kind, "area"))
		return is_role(a, ROLE_AREA) && !strcmp(a->scope, o->org);
	if (!strcmp(o->kind, "department"))
		return is_role(a, ROLE_DEPARTMENT) && !strcmp(a->scope, o->org + 5);
	long long id;
	return is_role(a, ROLE_BASE) && parse_int(a->scope, 1, 1LL << 62, &id) && id == o->base_id;
}

static int may_view(const Actor *a, const ReportOrg *o)
{
	if (is_role(a, ROLE_ADMIN) || is_role(a, ROLE_VIEWER))
		return 1;
	if (is_role(a, ROLE_AREA))
		return a->scope && !strcmp(a->scope, o->area);
	return is_reporter(a, o);
}

/* The Chinese of who fills a form, for the messages that refuse another. */
static const char *reporter_zh(const Form *f)
{
	return !strcmp(f->reporter, "base") ? "孵化基地" : !strcmp(f->reporter, "department") ? "市直部门" : "镇街、功能区";
}

int report_org(Store *s, Arena *a, const Plan *p, const Form *f, const char *org, ReportOrg *out, const char **msg)
{
	memset(out, 0, sizeof *out);
	out->org = org;
	if (!org || !*org) {
		*msg = "请指定填报单位。";
		return 0;
	}
	if (!strncmp(org, "dept-", 5)) {
		/* a department of the plan (dept-CODE); the form may name which fill it */
		const Department *d = NULL;
		for (int i = 0; i < p->ndepartments && !d; i++)
			if (!strcmp(p->departments[i].code, org + 5))
				d = &p->departments[i];
		if (!d) {
			*msg = "没有这个市直部门。";
			return 0;
		}
		if (strcmp(f->reporter, "department")) {
			*msg = arena_printf(a, "《%s》由%s填报，不由市直部门填报。", f->name, reporter_zh(f));
			return 0;
		}
		int listed = f->ndepartments == 0;
		for (int i = 0; i < f->ndepartments; i++)
			listed |= !strcmp(f->departments[i], d->code);
		if (!listed) {
			*msg = arena_printf(a, "%s不填报《%s》。", d->name, f->name);
			return 0;
		}
		out->kind = "department";
		out->name = d->name;
		out->area = p->city.code; /* a department reports for the whole city */
		return 1;
	}
	if (!strncmp(org, "base-", 5)) {
		char *end;
		long long id = strtoll(org + 5, &end, 10);
		ReportBase b;
		int found = *end || id <= 0 ? 0 : store_report_base(s, a, id, &b);
		if (found < 0)
			return -1;
		if (!found) {
			*msg = "没有这个孵化基地。";
			return 0;
		}
		if (strcmp(f->reporter, "base")) {
			*msg = arena_printf(a, "《%s》由%s填报，不由孵化基地填报。", f->name, reporter_zh(f));
			return 0;
		}
		int kind_ok = f->nbase_kinds == 0;
		for (int i = 0; i < f->nbase_kinds; i++)
			kind_ok |= !strcmp(f->base_kinds[i], b.kind);
		if (!kind_ok) {
			*msg = arena_printf(a, "「%s」不填报《%s》（该表由其他类型的孵化基地填报）。", b.name, f->name);
			return 0;
		}
		out->kind = "base";
		out->base_id = id;
		out->name = b.name;
		out->area = b.area;
		out->base_kind = b.kind;
		out->opened_on = b.opened_on;
		return 1;
	}
	const Area *ar = plan_area(p, org);
	if (!ar || !ar->parent) {
		*msg = "没有这个镇街或功能区。";
		return 0;
	}
	if (strcmp(f->reporter, "area")) {
		*msg = arena_printf(a, "《%s》由%s填报。", f->name, reporter_zh(f));
		return 0;
	}
	out->kind = "area";
	out->name = ar->name;
	out->area = ar->code;
	return 1;
}

const char *report_status_zh(const Form *f, const char *status, int stage)
{
	if (!status || !strcmp(status, "none"))
		return "未填报";
	if (!strcmp(status, "draft"))
		return "草稿";
	if (!strcmp(status, "submitted"))
		return f && f->napproval > 1 && stage == 0 ? "已报送，待区域审核" : "已报送，待市专班确认";
	if (!strcmp(status, "approved"))
		return "区域已审核，待市专班确认";
	if (!strcmp(status, "accepted"))
		return "已确认";
	if (!strcmp(status, "returned"))
		return "已退回";
	return status;
}

const char *report_action_zh(const char *action)
{
	static const struct {
		const char *code, *zh;
	} t[] = {{"save", "保存草稿"}, {"submit", "报送"}, {"approve", "审核通过"}, {"accept", "确认"}, {"return", "退回"},
	         {"unlock_request", "申请解锁"}, {"unlock", "同意解锁"}, {"exception", "开放补报"}, {"remind", "催报"}};
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		if (!strcmp(t[i].code, action))
			return t[i].zh;
	return action;
}

/* ---- values in and out ---- */

/* Fills d from the stored values and rows of report id. */
static int load_data(Store *s, Arena *a, const Form *f, long long id, ReportData *d)
{
	ReportValueRow *v;
	int n = store_report_values(s, a, id, &v);
	if (n < 0)
		return H_ERR;
	for (int k = 0; k < n; k++) {
		int i = form_field_index(f, v[k].field);
		if (i < 0)
			continue; /* a field the form no longer has */
		d->text[i] = v[k].text;
		d->num[i] = v[k].num;
		d->note[i] = v[k].note;
	}
	ReportRowRec *r;
	n = store_report_rows(s, a, id, &r);
	if (n < 0)
		return H_ERR;
	for (int k = 0; k < n; k++) {
		int i = form_field_index(f, r[k].list);
		if (i < 0 || f->fields[i].type != FK_LIST || r[k].row_no < 1 || r[k].row_no > f->fields[i].max_rows)
			continue;
		const FormItem *fd = &f->fields[i];
		int row = r[k].row_no - 1;
		if (row >= d->nrows[i]) {
			const char **c = arena_alloc(a, sizeof *c * (size_t)(row + 1) * (size_t)fd->ncolumns);
			if (d->nrows[i])
				memcpy(c, d->cells[i], sizeof *c * (size_t)d->nrows[i] * (size_t)fd->ncolumns);
			d->cells[i] = c;
			d->nrows[i] = row + 1;
		}
		json_t *o = json_loads(r[k].data, 0, NULL);
		for (int c = 0; c < fd->ncolumns; c++) {
			json_t *x = json_object_get(o, fd->columns[c].code);
			d->cells[i][row * fd->ncolumns + c] = json_is_string(x) ? arena_strdup(a, json_string_value(x)) : NULL;
		}
		json_decref(o);
	}
	return H_OK;
}

json_t *report_data_json(const Form *f, const ReportData *d, int with_notes)
{
	json_t *vals = json_object(), *notes = json_object();
	for (int i = 0; i < f->nfields; i++) {
		const FormItem *fd = &f->fields[i];
		if (fd->type == FK_LIST) {
			json_t *arr = json_array();
			for (int r = 0; r < d->nrows[i]; r++) {
				json_t *o = json_object();
				int any = 0;
				for (int c = 0; c < fd->ncolumns; c++) {
					const char *t = d->cells[i][r * fd->ncolumns + c];
					if (t) {
						json_object_set_new(o, fd->columns[c].code, json_string(t));
						any = 1;
					}
				}
				if (any)
					json_array_append_new(arr, o);
				else
					json_decref(o);
			}
			json_object_set_new(vals, fd->code, arr);
			continue;
		}
		if (!d->text[i])
			json_object_set_new(vals, fd->code, json_null());
		else if (fd->type == FK_INTEGER)
			json_object_set_new(vals, fd->code, json_integer((json_int_t)d->num[i]));
		else if (fd->type == FK_NUMBER || fd->type == FK_MONEY || fd->type == FK_AREA)
			json_object_set_new(vals, fd->code, json_real(d->num[i]));
		else
			json_object_set_new(vals, fd->code, json_string(d->text[i]));
		if (d->note[i] && *d->note[i])
			json_object_set_new(notes, fd->code, json_string(d->note[i]));
	}
	if (!with_notes) {
		json_decref(notes);
		return vals;
	}
	json_t *o = json_object();
	json_object_set_new(o, "values", vals);
	json_object_set_new(o, "notes", notes);
	return o;
}

void report_data_from_json(Arena *a, const Form *f, const Period *p, json_t *body, ReportData *d, Issues *is)
{
	json_t *vals = json_object_get(body, "values"), *notes = json_object_get(body, "notes");
	if (vals && !json_is_object(vals)) {
		issues_add(a, is, NULL, 0, "values 应为对象，键为字段代码，值为数值。");
		is->format_errors++;
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(vals, key, v) {
		int i = form_field_index(f, key);
		if (i < 0) {
			issues_add(a, is, arena_strdup(a, key), 0, "《%s》没有字段 %s。", f->name, key);
			is->format_errors++;
			continue;
		}
		const FormItem *fd = &f->fields[i];
		if (fd->type == FK_LIST) {
			if (!json_is_array(v)) {
				issues_add(a, is, fd->code, 0, "%s应为列表，每行一个对象，键为列代码。", fd->label);
				is->format_errors++;
				continue;
			}
			size_t r;
			json_t *row;
			json_array_foreach(v, r, row) {
				if (!json_is_object(row) || r >= (size_t)fd->max_rows + 1) {
					if (!json_is_object(row)) {
						issues_add(a, is, fd->code, 0, "%s第 %zu 行应为对象，键为列代码。", fd->label, r + 1);
						is->format_errors++;
					} else {
						report_set_cell(a, f, d, i, (int)r, 0, "x", p, is);
					}
					continue;
				}
				const char *ck;
				json_t *cv;
				json_object_foreach(row, ck, cv) {
					int c;
					for (c = 0; c < fd->ncolumns && strcmp(fd->columns[c].code, ck); c++)
						;
					if (c == fd->ncolumns) {
						issues_add(a, is, fd->code, 0, "%s没有列 %s。", fd->label, ck);
						is->format_errors++;
						continue;
					}
					char num[64];
					const char *t = json_is_string(cv) ? json_string_value(cv) : NULL;
					if (json_is_number(cv)) {
						snprintf(num, sizeof num, "%.15g", json_number_value(cv));
						t = num;
					}
					report_set_cell(a, f, d, i, (int)r, c, t, p, is);
				}
				if (!json_object_size(row))
					report_set_cell(a, f, d, i, (int)r, 0, NULL, p, is);
			}
			continue;
		}
		char num[64];
		const char *t = NULL;
		if (json_is_number(v)) {
			snprintf(num, sizeof num, "%.15g", json_number_value(v));
			t = num;
		} else if (json_is_string(v)) {
			t = json_string_value(v);
		} else if (!json_is_null(v)) {
			issues_add(a, is, fd->code, 0, "%s应为数值或文字。", fd->label);
			is->format_errors++;
			continue;
		}
		report_set_typed(a, f, d, i, t, 0, is);
	}
	json_object_foreach(notes, key, v) {
		int i = form_field_index(f, key);
		if (i < 0 || !json_is_string(v)) {
			issues_add(a, is, arena_strdup(a, key), 0, "说明应为文字，且对应表中的字段（%s）。", key);
			is->format_errors++;
			continue;
		}
		if (strlen(json_string_value(v)) > 2000 * 3) {
			issues_add(a, is, f->fields[i].code, 0, "%s的说明过长，最多 2000 个字。", f->fields[i].label);
			is->format_errors++;
			continue;
		}
		d->note[i] = arena_strdup(a, json_string_value(v));
	}
}

/* The earlier values the soft rules compare with: of the same reporter, in
 * the rule's last `periods` periods (a period not reported is missing, not
 * replaced by an older one), each report submitted and not sent back
 * (submitted, approved or accepted: the issue's "last six periods" are the
 * figures reported, not only those the office has accepted yet). */
static int load_history(Store *s, Arena *a, const Form *f, const char *org, const char *before, History **out)
{
	Period cur;
	if (!period_parse(f, before, &cur))
		return -1;
	int n = 0, cap = 0;
	History *h = NULL;
	for (int k = 0; k < f->nrules; k++) {
		const FormRule *r = &f->rules[k];
		if (r->kind != FR_SPIKE && r->kind != FR_ZERO_AFTER)
			continue;
		for (int j = 0; j < r->nfields; j++) {
			History *x = arena_push(a, &h, &n, &cap, sizeof *x);
			x->field = r->fields[j];
			Period from = cur, prev;
			for (int k2 = 0; k2 < r->periods; k2++) {
				period_step(f, &from, -1, &prev);
				from = prev;
			}
			x->n = store_report_history_since(s, a, f->code, org, x->field, from.key, before, r->periods, &x->v);
			if (x->n < 0)
				return -1;
		}
	}
	*out = h;
	return n;
}

/* Whether the actor approves at the "area" level of this report: an account
 * of the report's area; for an area's own report, not the account that
 * submitted it (the area's sign-off is a second pair of eyes). */
static int area_approver(const Actor *actor, const ReportView *v)
{
	const char *area = v->exists ? v->rec.area : v->org.area;
	if (!is_role(actor, ROLE_AREA) || !actor->scope || !area || strcmp(actor->scope, area))
		return 0;
	if (!strcmp(v->org.kind, "base"))
		return 1;
	return !strcmp(v->org.kind, "area") && v->form->napproval > 1 && v->exists && v->rec.submitted_by && actor->name &&
	       strcmp(v->rec.submitted_by, actor->name);
}

/* What the actor may do with the report now. */
static void compute_rights(const Actor *actor, ReportView *v, time_t now)
{
	ReportRights *r = &v->rights;
	memset(r, 0, sizeof *r);
	const Form *f = v->form;
	int office = is_role(actor, ROLE_ADMIN), reporter = is_reporter(actor, &v->org);
	r->view = may_view(actor, &v->org);
	const char *st = v->exists ? v->rec.status : "none";
	int editable = !v->exists || !strcmp(st, "draft") || !strcmp(st, "returned");
	time_t until = v->exception_until ? time_parse(v->exception_until) : -1;
	int open = now >= v->period.opens && (now < v->period.closes || (until > 0 && now < until));
	if (!(office || reporter))
		r->why_not_edit = "只有填报单位本身可以填写这张报表。";
	else if (!editable)
		r->why_not_edit = !strcmp(st, "submitted") || !strcmp(st, "approved")
		                    ? "报表已报送，正在审核，不能修改；如有错误，请联系审核单位退回。"
		                    : "报表已确认并锁定；如需修改，请申请解锁并写明原因。";
	else if (!office && now < v->period.opens)
		r->why_not_edit = "本期尚未开始填报。";
	else if (!office && !open)
		r->why_not_edit = "本期填报已关闭；如需补报，请联系市专班办公室开放补报。";
	else
		r->edit = r->submit = 1;
	if (v->exists && (!strcmp(st, "submitted") || !strcmp(st, "approved"))) {
		int last = v->rec.stage >= f->napproval - 1;
		const char *level = f->approval[v->rec.stage < f->napproval ? v->rec.stage : f->napproval - 1];
		int area_here = !strcmp(level, "area") && area_approver(actor, v);
		r->approve = !last && (office || area_here);
		r->accept = last && office;
		r->ret = office || area_here;
	}
	if (v->exists && (!strcmp(st, "approved") || !strcmp(st, "accepted"))) {
		r->request_unlock = reporter && !v->rec.unlock_reason;
		r->grant_unlock = office;
	}
}

int report_view(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
                const char *org, time_t now, ReportView *v, ReportOutcome *out)
{
	memset(v, 0, sizeof *v);
	set_out(out, 200, "ok", NULL);
	const FormSet *fs = reports_forms(s, p);
	const Form *f = forms_find(fs, form);
	if (!f)
		return set_out(out, 404, "not_found", "没有这张报表，请从“填报”页面选择。");
	v->form = f;
	if (!period_parse(f, period, &v->period))
		return set_out(out, 404, "not_found",
		               f->period == PERIOD_MONTHLY ? "报表期次应为年月，如 2024-11。"
		               : f->period == PERIOD_QUARTERLY ? "报表期次应为季度，如 2024-Q4。"
		                                              : "报表期次应为年份，如 2024。");
	period_step(f, &v->period, -1, &v->prev);
	const char *msg;
	int found = report_org(s, a, p, f, org, &v->org, &msg);
	if (found < 0)
		return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
	if (!found)
		return set_out(out, 404, "not_found", msg);
	if (!may_view(actor, &v->org))
		return set_out(out, 403, "forbidden_scope", "这张报表不属于您的辖区或账号，无权查看。");
	found = store_report_get(s, a, f->code, v->period.key, org, &v->rec);
	if (found < 0)
		return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
	v->exists = found;
	v->data = report_data_new(a, f);
	v->last = report_data_new(a, f);
	if (found && load_data(s, a, f, v->rec.id, v->data) != H_OK)
		return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
	ReportRec prev;
	found = store_report_get(s, a, f->code, v->prev.key, org, &prev);
	if (found > 0 && load_data(s, a, f, prev.id, v->last) != H_OK)
		return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
	History *h;
	int nh = load_history(s, a, f, org, v->period.key, &h);
	if (nh < 0)
		return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
	if (v->exists)
		report_check(a, f, &v->period, v->data, h, nh, &v->issues);
	v->state = period_state(&v->period, now);
	v->exception_until = store_report_exception_until(s, a, f->code, v->period.key, org);
	compute_rights(actor, v, now);
	v->nreminders = store_report_reminders(s, a, org, f->code, v->period.key, 20, &v->reminders);
	if (v->nreminders < 0)
		v->nreminders = 0;
	return 200;
}

/* The header as audit JSON (status and values). */
static const char *audit_json(Arena *a, const ReportRec *r, const Form *f, const ReportData *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "form", json_string(r->form));
	json_object_set_new(o, "period", json_string(r->period));
	json_object_set_new(o, "org", json_string(r->org));
	json_object_set_new(o, "status", json_string(r->status));
	json_object_set_new(o, "stage", json_integer(r->stage));
	if (r->return_reason)
		json_object_set_new(o, "return_reason", json_string(r->return_reason));
	if (r->unlock_reason)
		json_object_set_new(o, "unlock_reason", json_string(r->unlock_reason));
	if (d)
		json_object_set_new(o, "data", report_data_json(f, d, 1));
	char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	const char *res = arena_strdup(a, t);
	free(t);
	return res;
}

static int audit(Store *s, Arena *a, const Actor *actor, const char *action, const ReportRec *r,
                 const char *before, const char *after)
{
	return store_audit(s, actor->name, actor->addr, action, "reports",
	                   arena_printf(a, "%s/%s/%s", r->form, r->period, r->org), before, after);
}

/* Writes d as the report's values and rows (inside a transaction). */
static int write_data(Store *s, Arena *a, const Form *f, long long id, const ReportData *d)
{
	if (store_report_values_clear(s, id) != H_OK)
		return H_ERR;
	for (int i = 0; i < f->nfields; i++) {
		const FormItem *fd = &f->fields[i];
		if (fd->type == FK_LIST) {
			int row_no = 0;
			for (int r = 0; r < d->nrows[i]; r++) {
				json_t *o = json_object();
				for (int c = 0; c < fd->ncolumns; c++) {
					const char *t = d->cells[i][r * fd->ncolumns + c];
					if (t)
						json_object_set_new(o, fd->columns[c].code, json_string(t));
				}
				int rc = H_OK;
				if (json_object_size(o)) {
					char *t = json_dumps(o, JSON_COMPACT);
					rc = store_report_row_put(s, id, fd->code, ++row_no, t);
					free(t);
				}
				json_decref(o);
				if (rc != H_OK)
					return H_ERR;
			}
			continue;
		}
		int numeric = fd->type == FK_INTEGER || fd->type == FK_NUMBER || fd->type == FK_MONEY || fd->type == FK_AREA;
		const char *note = d->note[i] && *d->note[i] ? d->note[i] : NULL;
		if ((d->text[i] || note) &&
		    store_report_value_put(s, id, fd->code, d->text[i], numeric && d->text[i], d->num[i], note) != H_OK)
			return H_ERR;
	}
	(void)a;
	return H_OK;
}

int report_save(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
                const char *org, ReportData *d, int submit, time_t now, ReportOutcome *out)
{
	Issues typed = out->issues;
	ReportView v;
	if (report_view(s, a, p, actor, form, period, org, now, &v, out) != 200)
		return out->status;
	out->issues = typed;
	const Form *f = v.form;
	if (!v.rights.edit)
		return set_out(out, !is_role(actor, ROLE_ADMIN) && !is_reporter(actor, &v.org) ? 403 : 409,
		               !is_role(actor, ROLE_ADMIN) && !is_reporter(actor, &v.org) ? "forbidden_scope"
		               : now >= v.period.closes || now < v.period.opens                ? "closed"
		                                                                              : "locked",
		               v.rights.why_not_edit);
	if (out->issues.format_errors)
		return set_out(out, 422, "invalid",
		               arena_printf(a, "有 %d 处填写无法识别，请按提示修改后重新保存。", out->issues.format_errors));
	History *h;
	int nh = load_history(s, a, f, org, v.period.key, &h);
	if (nh < 0)
		return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
	report_check(a, f, &v.period, d, h, nh, &out->issues);
	if (submit && (out->issues.hard || out->issues.soft_open)) {
		if (out->issues.hard)
			return set_out(out, 422, "invalid",
			               arena_printf(a, "有 %d 处不符合填报要求，请修改后再报送（可先保存草稿）。", out->issues.hard));
		return set_out(out, 422, "explain",
		               arena_printf(a, "有 %d 处数值需要说明，请在对应栏目的说明中写明原因后再报送。",
		                            out->issues.soft_open));
	}
	char nowiso[21];
	iso_utc(now, nowiso);
	ReportRec r = v.rec;
	const char *before = v.exists ? audit_json(a, &v.rec, f, v.data) : NULL;
	if (!v.exists) {
		memset(&r, 0, sizeof r);
		r.form = f->code;
		r.period = v.period.key;
		r.period_end = v.period.end;
		r.org = org;
		r.area = v.org.area;
		r.base_id = v.org.base_id;
		r.status = "draft";
		r.created_by = actor->name;
	}
	if (submit) {
		r.status = "submitted";
		r.stage = 0;
		r.submitted_by = actor->name;
		r.submitted_at = arena_strdup(a, nowiso);
		if (!r.first_submitted_at)
			r.first_submitted_at = r.submitted_at;
		r.returned_by = r.returned_at = r.return_reason = NULL;
	}
	int ok = store_begin(s) == H_OK;
	if (ok && !v.exists)
		ok = (r.id = store_report_insert(s, &r, nowiso)) > 0;
	else if (ok)
		ok = store_report_update(s, &r, nowiso) == H_OK;
	ok = ok && write_data(s, a, f, r.id, d) == H_OK &&
	     audit(s, a, actor, submit ? "submit" : "save", &r, before, audit_json(a, &r, f, d)) == H_OK &&
	     store_commit(s) == H_OK;
	if (!ok) {
		store_rollback(s);
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	}
	if (submit)
		return set_out(out, 200, "ok",
		               f->napproval > 1 ? "已报送，等待所在镇街、功能区审核。" : "已报送，等待市专班办公室确认。");
	return set_out(out, 200, "ok", out->issues.hard || out->issues.soft_open
	                                   ? "草稿已保存。报送前请处理下面标出的问题。"
	                                   : "草稿已保存。");
}

/* Writes the figures an accepted report counts as. */
static int write_figures(Store *s, const Form *f, const ReportRec *r, const ReportData *d, const char *by)
{
	if (store_report_figures_delete(s, r->id) != H_OK)
		return H_ERR;
	for (int i = 0; i < f->nfields; i++)
		if (f->fields[i].counts_as && d->text[i] &&
		    store_report_figure_add(s, r->id, r->area, r->base_id, r->period, r->period_end, f->fields[i].counts_as,
		                            d->num[i], by) != H_OK)
			return H_ERR;
	return H_OK;
}

/* One action on a loaded report, inside the caller's transaction. */
static int act_in(Store *s, Arena *a, const Actor *actor, ReportView *v, const char *action, const char *reason,
                  const char *nowiso, ReportOutcome *out)
{
	const Form *f = v->form;
	ReportRights *rt = &v->rights;
	ReportRec r = v->rec;
	const char *before = audit_json(a, &v->rec, f, NULL);
	/* who may act on this report at some stage: the office, and for a base's
	 * report the area it belongs to; the others are refused (403), while
	 * an approver at the wrong moment hears it is not waiting (409) */
	int approver = is_role(actor, ROLE_ADMIN) || area_approver(actor, v);
	int refuse = approver ? 409 : 403;
	const char *refuse_code = approver ? "not_waiting" : "forbidden";
	if ((!strcmp(action, "approve") || !strcmp(action, "return")) && !approver)
		return set_out(out, 403, "forbidden",
		               v->exists && is_reporter(actor, &v->org) && !strcmp(v->org.kind, "area") && f->napproval > 1
		                 ? "报送人不能审核自己报送的报表，请由本单位另一位审核人员审核。"
		                 : "这张报表不由您审核（镇街、功能区只审核本辖区孵化基地的报表和本单位他人报送的报表）。");
	if ((!strcmp(action, "accept") || !strcmp(action, "unlock")) && !is_role(actor, ROLE_ADMIN))
		return set_out(out, 403, "forbidden", "只有市专班办公室可以确认或解锁报表。");
	if (!strcmp(action, "unlock_request") && !is_reporter(actor, &v->org))
		return set_out(out, 403, "forbidden", "只有填报单位本身可以申请解锁。");
	if (!v->exists)
		return set_out(out, 409, "not_submitted", "这张报表尚未填报。");
	int needs_reason = !strcmp(action, "return") || !strcmp(action, "unlock_request") || !strcmp(action, "unlock");
	if (needs_reason && (!reason || !*(reason + strspn(reason, " \t\r\n"))))
		return set_out(out, 400, "bad_input",
		               !strcmp(action, "return") ? "退回时请写明原因，填报单位会在工作台看到。" : "请写明解锁的原因。");
	if (reason && strlen(reason) > 500 * 3)
		return set_out(out, 400, "bad_input", "原因最多 500 个字，请精简。");
	if (!strcmp(action, "approve")) {
		if (!rt->approve)
			return set_out(out, rt->accept ? 409 : refuse, rt->accept ? "wrong_level" : refuse_code,
			               rt->accept ? "这张报表已到市专班确认环节，请使用“确认”。"
			                          : "这张报表现在不等待您审核（镇街、功能区只审核本辖区孵化基地的报表）。");
		r.stage++;
		r.status = "approved";
		r.approved_by = actor->name;
		r.approved_at = nowiso;
	} else if (!strcmp(action, "accept")) {
		if (!rt->accept)
			return set_out(out, is_role(actor, ROLE_ADMIN) ? 409 : 403, is_role(actor, ROLE_ADMIN) ? "not_waiting" : "forbidden",
			               rt->approve ? "这张报表须先经所在镇街、功能区审核。" : "这张报表现在不等待您确认。");
		r.stage = f->napproval;
		r.status = "accepted";
		r.accepted_by = actor->name;
		r.accepted_at = nowiso;
		r.unlock_reason = r.unlock_by = r.unlock_at = NULL;
		if (write_figures(s, f, &r, v->data, actor->name) != H_OK)
			return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	} else if (!strcmp(action, "return")) {
		if (!rt->ret)
			return set_out(out, refuse, refuse_code, "这张报表现在不等待您审核，不能退回。");
		r.status = "returned";
		r.stage = 0;
		r.returned_by = actor->name;
		r.returned_at = nowiso;
		r.return_reason = reason;
	} else if (!strcmp(action, "unlock_request")) {
		if (!is_reporter(actor, &v->org))
			return set_out(out, 403, "forbidden", "只有填报单位本身可以申请解锁。");
		if (!rt->request_unlock)
			return set_out(out, 409, "not_locked",
			               v->rec.unlock_reason ? "已提交过解锁申请，请等待市专班办公室处理。"
			                                    : "只有已审核或已确认的报表需要申请解锁，且须由填报单位申请。");
		r.unlock_reason = reason;
		r.unlock_by = actor->name;
		r.unlock_at = nowiso;
	} else if (!strcmp(action, "unlock")) {
		if (!rt->grant_unlock)
			return set_out(out, is_role(actor, ROLE_ADMIN) ? 409 : 403, is_role(actor, ROLE_ADMIN) ? "not_locked" : "forbidden",
			               is_role(actor, ROLE_ADMIN) ? "只有已审核或已确认的报表需要解锁。" : "只有市专班办公室可以解锁已审核的报表。");
		r.status = "draft";
		r.stage = 0;
		r.accepted_by = r.accepted_at = r.approved_by = r.approved_at = NULL;
		r.unlock_reason = r.unlock_by = r.unlock_at = NULL;
		r.return_reason = arena_printf(a, "已解锁：%s", reason);
		if (store_report_figures_delete(s, r.id) != H_OK)
			return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	} else {
		return set_out(out, 400, "bad_input", "操作应为 approve（审核通过）、accept（确认）、return（退回）、"
		                                      "unlock_request（申请解锁）或 unlock（同意解锁）。");
	}
	if (store_report_update(s, &r, nowiso) != H_OK ||
	    audit(s, a, actor, action, &r, before, audit_json(a, &r, f, NULL)) != H_OK)
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	v->rec = r;
	static const struct {
		const char *action, *msg;
	} done[] = {{"approve", "已审核通过，报送市专班办公室确认。"}, {"accept", "已确认，数据计入进展。"},
	            {"return", "已退回，填报单位会在工作台看到退回原因。"}, {"unlock_request", "解锁申请已提交，等待市专班办公室处理。"},
	            {"unlock", "已解锁，报表退回草稿，重新报送确认前不计入进展。"}};
	for (size_t i = 0; i < ARRAY_LEN(done); i++)
		if (!strcmp(done[i].action, action))
			return set_out(out, 200, "ok", done[i].msg);
	return set_out(out, 200, "ok", "已完成。");
}

int report_act(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
               const char *org, const char *action, const char *reason, time_t now, ReportOutcome *out)
{
	ReportView v;
	if (report_view(s, a, p, actor, form, period, org, now, &v, out) != 200)
		return out->status;
	memset(&out->issues, 0, sizeof out->issues);
	char nowiso[21];
	iso_utc(now, nowiso);
	if (store_begin(s) != H_OK)
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	if (act_in(s, a, actor, &v, action ? action : "", reason, arena_strdup(a, nowiso), out) != 200) {
		store_rollback(s);
		return out->status;
	}
	if (store_commit(s) != H_OK) {
		store_rollback(s);
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	}
	return 200;
}

int report_grant_exception(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form,
                           const char *period, const char *org, int days, const char *reason, time_t now,
                           ReportOutcome *out)
{
	if (!is_role(actor, ROLE_ADMIN))
		return set_out(out, 403, "forbidden", "只有市专班办公室可以开放补报。");
	ReportView v;
	if (report_view(s, a, p, actor, form, period, org, now, &v, out) != 200)
		return out->status;
	if (days < 1 || days > 30)
		return set_out(out, 400, "bad_input", "补报天数应为 1 至 30 天。");
	if (!reason || !*(reason + strspn(reason, " \t\r\n")) || strlen(reason) > 1500)
		return set_out(out, 400, "bad_input", "请写明开放补报的原因（最多 500 个字）。");
	char nowiso[21], until[21];
	iso_utc(now, nowiso);
	/* until the end of the last day, Beijing time */
	char today[20], last[11];
	beijing_format(now, today);
	today[10] = 0;
	date_from_days(date_days(today) + days + 1, last); /* through the end of today + days */
	iso_utc(beijing_midnight(last), until);
	char id[32];
	long long eid;
	int ok = store_begin(s) == H_OK &&
	         (eid = store_report_exception_add(s, v.form->code, v.period.key, org, until, reason, actor->name, nowiso)) > 0;
	if (ok) {
		snprintf(id, sizeof id, "%lld", eid);
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "form", v.form->code, "period", v.period.key, "org", org,
		                      "until", until, "reason", reason);
		char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		ok = store_audit(s, actor->name, actor->addr, "exception", "reports",
		                 arena_printf(a, "%s/%s/%s", v.form->code, v.period.key, org), NULL, t) == H_OK &&
		     store_commit(s) == H_OK;
		free(t);
		json_decref(o);
	}
	if (!ok) {
		store_rollback(s);
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	}
	char shown[20];
	beijing_format(time_parse(until) - 60, shown);
	return set_out(out, 200, "ok", arena_printf(a, "已为%s开放补报，截至北京时间 %s。", v.org.name, shown));
}

/* ---- completeness ---- */

static int in_area(const Plan *p, const char *area, const char *within)
{
	for (const Area *x = plan_area(p, area); x; x = x->parent ? plan_area(p, x->parent) : NULL)
		if (!strcmp(x->code, within))
			return 1;
	return 0;
}

int report_completeness(Store *s, Arena *a, const Plan *p, const char *form, const char *period, const char *area,
                        time_t now, Completeness *c, ReportOutcome *out)
{
	memset(c, 0, sizeof *c);
	set_out(out, 200, "ok", NULL);
	const Form *f = forms_find(reports_forms(s, p), form);
	if (!f)
		return set_out(out, 404, "not_found", "没有这张报表，请从“填报”页面选择。");
	c->form = f;
	if (!period_parse(f, period, &c->period))
		return set_out(out, 404, "not_found", "报表期次不对，请从“填报”页面选择。");
	c->state = period_state(&c->period, now);
	/* who was expected: every area; or the bases of the form's kinds that were open during the period */
	int cap = 0;
	if (!strcmp(f->reporter, "department")) {
		/* the plan's departments (those the form names); they belong to the city, not to an area */
		for (int i = 0; i < p->ndepartments && (!area || !strcmp(area, p->city.code)); i++) {
			ReportOrg o;
			const char *msg;
			if (report_org(s, a, p, f, arena_printf(a, "dept-%s", p->departments[i].code), &o, &msg) != 1)
				continue;
			CompletenessRow *r = arena_push(a, &c->rows, &c->nrows, &cap, sizeof *r);
			r->org = o;
		}
	} else if (!strcmp(f->reporter, "area")) {
		for (int i = 0; i < p->nareas; i++) {
			if (area && !in_area(p, p->areas[i].code, area))
				continue;
			CompletenessRow *r = arena_push(a, &c->rows, &c->nrows, &cap, sizeof *r);
			r->org.org = r->org.area = p->areas[i].code;
			r->org.kind = "area";
			r->org.name = p->areas[i].name;
		}
	} else {
		ReportBase *b;
		int nb = store_report_bases(s, a, c->period.end, &b);
		if (nb < 0)
			return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
		for (int i = 0; i < nb; i++) {
			int kind_ok = f->nbase_kinds == 0;
			for (int k = 0; k < f->nbase_kinds; k++)
				kind_ok |= !strcmp(f->base_kinds[k], b[i].kind);
			if (!kind_ok || (area && !in_area(p, b[i].area, area)))
				continue;
			/* a closed base was active during the period only when it closed after the period began;
			 * closed on a day the trail does not tell: not expected */
			if (b[i].status && !strcmp(b[i].status, "closed") &&
			    (!b[i].closed_on || strcmp(b[i].closed_on, c->period.start) < 0))
				continue;
			CompletenessRow *r = arena_push(a, &c->rows, &c->nrows, &cap, sizeof *r);
			r->org.org = arena_printf(a, "base-%lld", b[i].id);
			r->org.kind = "base";
			r->org.name = b[i].name;
			r->org.area = b[i].area;
			r->org.base_id = b[i].id;
			r->org.base_kind = b[i].kind;
			r->org.opened_on = b[i].opened_on;
		}
	}
	ReportRec *recs;
	int nr = store_reports_of_period(s, a, f->code, c->period.key, area, &recs);
	ReminderRec *rem;
	int nrem = store_report_reminders(s, a, NULL, f->code, c->period.key, 100000, &rem);
	if (nr < 0 || nrem < 0)
		return set_out(out, 500, "store_error", "数据读取失败，请稍后再试。");
	char due[21];
	iso_utc(c->period.due, due);
	int acap = 0;
	for (int i = 0; i < c->nrows; i++) {
		CompletenessRow *r = &c->rows[i];
		r->status = "none";
		for (int k = 0; k < nr; k++) {
			if (strcmp(recs[k].org, r->org.org))
				continue;
			r->status = recs[k].status;
			r->stage = recs[k].stage;
			r->submitted_at = recs[k].first_submitted_at;
			r->return_reason = recs[k].return_reason;
			break;
		}
		for (int k = 0; k < nrem; k++)
			r->reminders += !strcmp(rem[k].org, r->org.org);
		r->reported = !strcmp(r->status, "submitted") || !strcmp(r->status, "approved") || !strcmp(r->status, "accepted");
		r->on_time = r->reported && r->submitted_at && strcmp(r->submitted_at, due) < 0;
		r->late = !r->reported && now >= c->period.due;
		c->expected++;
		c->reported += r->reported;
		c->on_time += r->on_time;
		c->late += r->late;
		c->accepted += !strcmp(r->status, "accepted");
		c->waiting += !strcmp(r->status, "submitted") || !strcmp(r->status, "approved");
		AreaCompleteness *ac = NULL;
		for (int k = 0; k < c->nareas && !ac; k++)
			if (!strcmp(c->areas[k].area, r->org.area))
				ac = &c->areas[k];
		if (!ac) {
			ac = arena_push(a, &c->areas, &c->nareas, &acap, sizeof *ac);
			ac->area = r->org.area;
			const Area *ar = plan_area(p, r->org.area);
			ac->name = ar ? ar->name : r->org.area;
		}
		ac->expected++;
		ac->reported += r->reported;
		ac->on_time += r->on_time;
	}
	return 200;
}

/* ---- reminders ---- */

static int remind_one(Store *s, Arena *a, const Plan *p, const Actor *actor, const Form *f, const Period *per,
                      const CompletenessRow *row, const char *webhook, const char *nowiso, time_t now)
{
	char due[20];
	beijing_format(per->due - 60, due);
	const char *label = period_label(a, f, per);
	ReminderRec r = {
		.form = f->code, .period = per->key, .org = row->org.org, .area = row->org.area, .sent_by = actor->name,
		.sent_at = nowiso,
		.text = now >= per->due
		          ? arena_printf(a, "%s：%s《%s》已逾期（应于北京时间 %s 前报送），请尽快填报。", row->org.name, label,
		                         f->name, due)
		          : arena_printf(a, "%s：请于北京时间 %s 前报送%s《%s》。", row->org.name, due, label, f->name),
	};
	long long id = store_report_reminder_add(s, &r);
	if (id <= 0)
		return H_ERR;
	if (webhook && *webhook) {
		/* the gateway's message: its key makes a repeated delivery harmless */
		char *key = arena_printf(a, "reminder-%lld", id);
		json_t *o = json_pack("{s:s,s:{s:s},s:s,s:s,s:s,s:s,s:s}", "msgtype", "text", "text", "content", r.text,
		                      "idempotency_key", key, "org", r.org, "area", r.area, "form", r.form, "period", r.period);
		char *t = json_dumps(o, JSON_COMPACT);
		long long ob = store_outbox_add(s, key, "reminder", t, nowiso);
		free(t);
		json_decref(o);
		if (ob <= 0)
			return H_ERR;
	}
	(void)p;
	json_t *after = json_pack("{s:I,s:s}", "reminder", (json_int_t)id, "text", r.text);
	char *t = json_dumps(after, JSON_COMPACT);
	int rc = store_audit(s, actor->name, actor->addr, "remind", "reports",
	                     arena_printf(a, "%s/%s/%s", f->code, per->key, row->org.org), NULL, t);
	free(t);
	json_decref(after);
	return rc;
}

int report_remind(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form, const char *period,
                  const char *const *orgs, int norgs, time_t now, int *sent, ReportOutcome *out)
{
	*sent = 0;
	int office = is_role(actor, ROLE_ADMIN), area = is_role(actor, ROLE_AREA);
	if (!office && !area)
		return set_out(out, 403, "forbidden", "只有市专班办公室和镇街、功能区可以催报。");
	Completeness c;
	if (report_completeness(s, a, p, form, period, office ? NULL : actor->scope, now, &c, out) != 200)
		return out->status;
	if (area && strcmp(c.form->reporter, "base"))
		return set_out(out, 403, "forbidden", arena_printf(a, "%s的报表由市专班办公室催报。", reporter_zh(c.form)));
	if (now < c.period.opens)
		return set_out(out, 409, "not_open", "本期尚未开始填报，暂不需要催报。");
	const char *webhook = webhook_active_url(s, a);
	char nowiso[21];
	iso_utc(now, nowiso);
	if (store_begin(s) != H_OK)
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	for (int k = 0; k < (orgs ? norgs : 1); k++) {
		int matched = 0;
		for (int i = 0; i < c.nrows; i++) {
			const CompletenessRow *row = &c.rows[i];
			if (orgs ? strcmp(orgs[k], row->org.org) : row->reported)
				continue;
			matched = 1;
			if (row->reported)
				continue; /* named but already reported: nothing to chase */
			if (remind_one(s, a, p, actor, c.form, &c.period, row, webhook, nowiso, now) != H_OK) {
				store_rollback(s);
				return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
			}
			(*sent)++;
		}
		if (orgs && !matched) {
			store_rollback(s);
			*sent = 0;
			return set_out(out, 404, "not_found", arena_printf(a, "%s不是本期应报单位，或不在您的辖区。", orgs[k]));
		}
	}
	if (store_commit(s) != H_OK) {
		store_rollback(s);
		*sent = 0;
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	}
	return set_out(out, 200, "ok", *sent ? arena_printf(a, "已向 %d 个单位发送催报提醒。", *sent)
	                                     : "本期应报单位均已报送，无需催报。");
}

int report_batch_approve(Store *s, Arena *a, const Plan *p, const Actor *actor, const char *form,
                         const char *period, const char *const *orgs, int norgs, time_t now, int *done, int *skipped,
                         ReportOutcome *out)
{
	*done = *skipped = 0;
	if (norgs < 1)
		return set_out(out, 400, "bad_input", "请勾选要审核的报表。");
	char nowiso[21];
	iso_utc(now, nowiso);
	if (store_begin(s) != H_OK)
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	for (int k = 0; k < norgs; k++) {
		ReportView v;
		ReportOutcome o = {0};
		if (report_view(s, a, p, actor, form, period, orgs[k], now, &v, &o) != 200) {
			if (o.status == 500) {
				store_rollback(s);
				return set_out(out, 500, o.code, o.message);
			}
			(*skipped)++;
			continue;
		}
		const char *action = v.rights.approve ? "approve" : v.rights.accept ? "accept" : NULL;
		if (!action) {
			(*skipped)++;
			continue;
		}
		if (act_in(s, a, actor, &v, action, NULL, arena_strdup(a, nowiso), &o) != 200) {
			store_rollback(s);
			*done = 0;
			return set_out(out, o.status, o.code, o.message);
		}
		(*done)++;
	}
	if (store_commit(s) != H_OK) {
		store_rollback(s);
		*done = 0;
		return set_out(out, 500, "store_error", "保存失败，请稍后再试。");
	}
	return set_out(out, 200, "ok",
	               *skipped ? arena_printf(a, "已审核 %d 份；%d 份不在您的审核环节，未处理。", *done, *skipped)
	                        : arena_printf(a, "已审核 %d 份。", *done));
}

int report_todo(Store *s, Arena *a, const Plan *p, const Actor *actor, ReportTodo *t)
{
	memset(t, 0, sizeof *t);
	const FormSet *fs = reports_forms(s, p);
	ReportRec *w;
	int n = 0;
	if (is_role(actor, ROLE_ADMIN) || is_role(actor, ROLE_AREA)) {
		int office = is_role(actor, ROLE_ADMIN);
		n = store_reports_find(s, a, office ? NULL : actor->scope, NULL, "submitted,approved", 500, &w);
		if (n < 0)
			return H_ERR;
		int cap = 0;
		for (int i = 0; i < n; i++) {
			const Form *f = forms_find(fs, w[i].form);
			if (!f || w[i].stage >= f->napproval)
				continue;
			const char *level = f->approval[w[i].stage];
			/* an area approves its bases' reports and its own submitted by another account */
			int area_level = !office && actor->scope && !strcmp(level, "area") &&
			                 (!strncmp(w[i].org, "base-", 5) ||
			                  (!strcmp(w[i].org, actor->scope) && w[i].submitted_by && actor->name &&
			                   strcmp(w[i].submitted_by, actor->name)));
			if (office ? !strcmp(level, "office") : area_level)
				*(ReportRec *)arena_push(a, &t->waiting, &t->nwaiting, &cap, sizeof *w) = w[i];
		}
	}
	if (is_role(actor, ROLE_ADMIN)) {
		n = store_reports_find(s, a, NULL, NULL, "approved,accepted", 500, &w);
		if (n < 0)
			return H_ERR;
		int cap = 0;
		for (int i = 0; i < n; i++)
			if (w[i].unlock_reason)
				*(ReportRec *)arena_push(a, &t->unlocks, &t->nunlocks, &cap, sizeof *w) = w[i];
	}
	const char *own = is_role(actor, ROLE_AREA) ? actor->scope
	                  : is_role(actor, ROLE_BASE) && actor->scope       ? arena_printf(a, "base-%s", actor->scope)
	                  : is_role(actor, ROLE_DEPARTMENT) && actor->scope ? arena_printf(a, "dept-%s", actor->scope)
	                                                                    : NULL;
	if (own) {
		t->nreturned = store_reports_find(s, a, NULL, own, "returned,draft", 50, &t->returned);
		t->nreminders = store_report_reminders(s, a, own, NULL, NULL, 10, &t->reminders);
		if (t->nreturned < 0 || t->nreminders < 0)
			return H_ERR;
	}
	return H_OK;
}
