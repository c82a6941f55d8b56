/*
 * page_reports_api.c — 填报 as JSON: the forms, a period's completeness, one
 * report (read, save, submit, approve, accept, return, unlock, a late
 * report allowed), 催报 and batch approval. The same workflows as the pages
 * (reports.c); a refusal answers {"error": {code, message, issues}}. The
 * workbook upload is page_reports_xlsx.c's.
 *   /api/v1/reports
 *   /api/v1/reports/{form}/{period}[/remind|/approve]
 *   /api/v1/reports/{form}/{period}/{org}[/submit|/approve|/accept|/return|/unlock-request|/unlock|/exception]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_reports.h"
#include "reports.h"

static json_t *view_json(Req *r, const ReportView *v)
{
	const Form *f = v->form;
	const char *status = v->exists ? v->rec.status : "none";
	json_t *data = report_data_json(f, v->data, 1), *last = report_data_json(f, v->last, 0);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "form", f->code, "period", v->period.key, "org",
	                      v->org.org, "name", v->org.name, "area", v->org.area, "status", status, "status_zh",
	                      report_status_zh(f, status, v->exists ? v->rec.stage : 0), "stage", v->exists ? v->rec.stage : 0);
	json_object_set(o, "values", json_object_get(data, "values"));
	json_object_set(o, "notes", json_object_get(data, "notes"));
	json_decref(data);
	json_object_set_new(o, "last_values", last);
	json_object_set_new(o, "issues", reports_page_issues_json(&v->issues));
	json_object_set_new(o, "window", json_pack("{s:s,s:s,s:s,s:s}", "opens", reports_page_iso(&r->arena, v->period.opens), "due",
	                                           reports_page_iso(&r->arena, v->period.due - 1), "closes",
	                                           reports_page_iso(&r->arena, v->period.closes - 1), "state", v->state));
	if (v->exists) {
		const ReportRec *x = &v->rec;
		json_object_set_new(o, "submitted_at", x->submitted_at ? json_string(reports_page_iso_text(&r->arena, x->submitted_at)) : json_null());
		json_object_set_new(o, "first_submitted_at",
		                    x->first_submitted_at ? json_string(reports_page_iso_text(&r->arena, x->first_submitted_at)) : json_null());
		json_object_set_new(o, "approved_by", x->approved_by ? json_string(x->approved_by) : json_null());
		json_object_set_new(o, "accepted_by", x->accepted_by ? json_string(x->accepted_by) : json_null());
		json_object_set_new(o, "accepted_at", x->accepted_at ? json_string(reports_page_iso_text(&r->arena, x->accepted_at)) : json_null());
		json_object_set_new(o, "return_reason", x->return_reason ? json_string(x->return_reason) : json_null());
		json_object_set_new(o, "unlock_reason", x->unlock_reason ? json_string(x->unlock_reason) : json_null());
	}
	if (v->exception_until)
		json_object_set_new(o, "exception_until", json_string(reports_page_iso_text(&r->arena, v->exception_until)));
	const ReportRights *rt = &v->rights;
	json_object_set_new(o, "can", json_pack("{s:b,s:b,s:b,s:b,s:b,s:b}", "edit", rt->edit, "approve", rt->approve, "accept",
	                                        rt->accept, "return", rt->ret, "request_unlock", rt->request_unlock, "unlock",
	                                        rt->grant_unlock));
	return o;
}

static json_t *field_json(const FormItem *fd)
{
	static const char *const types[] = {"integer", "number", "money", "area", "text", "choice", "date", "list"};
	json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "code", fd->code, "label", fd->label, "type", types[fd->type], "required",
	                      fd->required);
	if (fd->unit)
		json_object_set_new(o, "unit", json_string(fd->unit));
	if (fd->type == FK_MONEY)
		json_object_set_new(o, "api_unit", json_string("元"));
	if (fd->counts_as)
		json_object_set_new(o, "counts_as", json_string(fd->counts_as));
	if (fd->noptions) {
		json_t *opts = json_array();
		for (int i = 0; i < fd->noptions; i++)
			json_array_append_new(opts, json_pack("{s:s,s:s}", "code", fd->options[i].code, "label", fd->options[i].label));
		json_object_set_new(o, "options", opts);
	}
	if (fd->ncolumns) {
		json_t *cols = json_array();
		for (int i = 0; i < fd->ncolumns; i++)
			json_array_append_new(cols, field_json(&fd->columns[i]));
		json_object_set_new(o, "columns", cols);
	}
	return o;
}

/* API: GET /api/v1/reports — the forms with their fields, periods and approval levels */
void api_report_forms(Req *r)
{
	const FormSet *fs = reports_forms(r->store, r->plan);
	if (!fs) {
		http_error(r, 500, "no_forms", "报表定义无法读取。");
		return;
	}
	static const char *const per[] = {"monthly", "quarterly", "yearly"};
	json_t *arr = json_array();
	for (int k = 0; k < fs->nforms; k++) {
		const Form *f = &fs->forms[k];
		json_t *fields = json_array(), *appr = json_array();
		for (int i = 0; i < f->nfields; i++)
			json_array_append_new(fields, field_json(&f->fields[i]));
		for (int i = 0; i < f->napproval; i++)
			json_array_append_new(appr, json_string(f->approval[i]));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o,s:{s:s,s:i,s:i,s:i},s:o}", "code", f->code, "name", f->name,
		                                     "period", per[f->period], "reporter", f->reporter, "approval", appr, "window",
		                                     "opens_from", f->opens_from_end ? "end" : "start", "opens_days", f->opens_days,
		                                     "due_days", f->due_days, "closes_days", f->closes_days, "fields", fields));
	}
	http_json(r, 200, json_pack("{s:o}", "forms", arr));
}

/* API: GET /api/v1/reports/{form}/{period}?area= — completeness and timeliness */
void api_report_period(Req *r)
{
	Completeness c;
	ReportOutcome o = {0};
	time_t now = report_now();
	const char *area = r->role == ROLE_AREA ? r->session->user.scope : req_query(r, "area");
	if (area && !*area)
		area = NULL;
	if (area && !plan_area(r->plan, area)) {
		http_error(r, 400, "bad_area", "没有这个区域。");
		return;
	}
	if (report_completeness(r->store, &r->arena, r->plan, r->params[0], r->params[1], area, now, &c, &o) != 200) {
		reports_page_refuse(r, &o);
		return;
	}
	json_t *items = json_array(), *areas = json_array();
	for (int i = 0; i < c.nrows; i++) {
		const CompletenessRow *x = &c.rows[i];
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s?,s:b,s:b,s:b,s:i}", "org", x->org.org, "name", x->org.name,
		                                       "area", x->org.area, "status", x->status, "first_submitted_at",
		                                       x->submitted_at ? reports_page_iso_text(&r->arena, x->submitted_at) : NULL, "reported",
		                                       x->reported, "on_time", x->on_time, "late", x->late, "reminders", x->reminders));
	}
	for (int i = 0; i < c.nareas; i++)
		json_array_append_new(areas, json_pack("{s:s,s:s,s:i,s:i,s:i}", "area", c.areas[i].area, "name", c.areas[i].name,
		                                       "expected", c.areas[i].expected, "reported", c.areas[i].reported, "on_time",
		                                       c.areas[i].on_time));
	json_t *res = json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:s},s:i,s:i,s:i,s:i,s:i,s:i,s:f,s:f,s:o,s:o}", "form", c.form->code,
	                        "period", c.period.key, "state", c.state, "window", "opens", reports_page_iso(&r->arena, c.period.opens),
	                        "due", reports_page_iso(&r->arena, c.period.due - 1), "closes", reports_page_iso(&r->arena, c.period.closes - 1), "expected",
	                        c.expected, "reported", c.reported, "on_time", c.on_time, "accepted", c.accepted, "waiting",
	                        c.waiting, "late", c.late, "completeness", c.expected ? (double)c.reported / c.expected : 0.0,
	                        "timeliness", c.expected ? (double)c.on_time / c.expected : 0.0, "items", items, "areas", areas);
	http_json(r, 200, res);
}

/* API: GET /api/v1/reports/{form}/{period}/{org} */
void api_report_get(Req *r)
{
	ReportView v;
	ReportOutcome o = {0};
	if (!reports_page_view(r, report_now(), &v, &o))
		return;
	http_json(r, 200, view_json(r, &v));
}

/* Saves (and with submit, submits) the body's values; answers the report. */
static void api_save(Req *r, int submit)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor actor = req_actor(r);
	time_t now = report_now();
	ReportView v;
	ReportOutcome o = {0};
	if (!reports_page_view(r, now, &v, &o))
		return;
	ReportData *d = v.data;
	if (!submit || json_object_get(j, "values")) {
		d = report_data_new(&r->arena, v.form);
		report_data_from_json(&r->arena, v.form, &v.period, j, d, &o.issues);
	} else if (json_object_get(j, "notes")) {
		json_t *only = json_pack("{s:O}", "notes", json_object_get(j, "notes"));
		report_data_from_json(&r->arena, v.form, &v.period, only, d, &o.issues);
		json_decref(only);
	}
	if (report_save(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], d, submit, now, &o) !=
	    200) {
		reports_page_refuse(r, &o);
		return;
	}
	const char *msg = o.message;
	if (!reports_page_view(r, now, &v, &o))
		return;
	json_t *res = view_json(r, &v);
	json_object_set_new(res, "message", json_string(msg ? msg : ""));
	http_json(r, 200, res);
}

/* API: PUT /api/v1/reports/{form}/{period}/{org} {"values":{...},"notes":{...}} — save a draft */
void api_report_put(Req *r)
{
	api_save(r, 0);
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/submit {["values"], ["notes"]} */
void api_report_submit(Req *r)
{
	api_save(r, 1);
}

static void api_act(Req *r, const char *action)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	if (report_act(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2], action,
	               json_string_value(json_object_get(j, "reason")), report_now(), &o) != 200) {
		reports_page_refuse(r, &o);
		return;
	}
	ReportView v;
	const char *msg = o.message;
	if (!reports_page_view(r, report_now(), &v, &o))
		return;
	json_t *res = view_json(r, &v);
	json_object_set_new(res, "message", json_string(msg ? msg : ""));
	http_json(r, 200, res);
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/approve {} */
void api_report_approve(Req *r)
{
	api_act(r, "approve");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/accept {} */
void api_report_accept(Req *r)
{
	api_act(r, "accept");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/return {"reason"} */
void api_report_return(Req *r)
{
	api_act(r, "return");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/unlock-request {"reason"} */
void api_report_unlock_request(Req *r)
{
	api_act(r, "unlock_request");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/unlock {"reason"} */
void api_report_unlock(Req *r)
{
	api_act(r, "unlock");
}

/* API: POST /api/v1/reports/{form}/{period}/{org}/exception {"days","reason"} */
void api_report_exception(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	json_t *days = json_object_get(j, "days");
	if (report_grant_exception(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], r->params[2],
	                           json_is_integer(days) ? (int)json_integer_value(days) : 0,
	                           json_string_value(json_object_get(j, "reason")), report_now(), &o) != 200) {
		reports_page_refuse(r, &o);
		return;
	}
	http_json(r, 200, json_pack("{s:b,s:s}", "ok", 1, "message", o.message));
}

/* Reads {"orgs": ["feiyun", "base-10"]} (at most 2000). NULL after answering 400. */
static const char **body_orgs(Req *r, json_t *j, int *n, int required)
{
	json_t *arr = json_object_get(j, "orgs");
	*n = 0;
	if (!arr && !required)
		return NULL;
	if (!json_is_array(arr) || json_array_size(arr) > 2000) {
		http_error(r, 400, "bad_input", "orgs 应为填报单位的列表，如 [\"feiyun\", \"base-10\"]。");
		return (const char **)-1;
	}
	const char **v = arena_alloc(&r->arena, sizeof *v * (json_array_size(arr) + 1));
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		if (!json_is_string(x)) {
			http_error(r, 400, "bad_input", "orgs 中的每一项应为文字。");
			return (const char **)-1;
		}
		v[(*n)++] = json_string_value(x);
	}
	return v;
}

/* API: POST /api/v1/reports/{form}/{period}/remind {["orgs"]} — 催报 (all not reported when orgs is absent) */
void api_report_remind(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	int n;
	const char **orgs = body_orgs(r, j, &n, 0);
	if (orgs == (const char **)-1)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	int sent;
	if (report_remind(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], orgs, n, report_now(), &sent, &o) !=
	    200) {
		reports_page_refuse(r, &o);
		return;
	}
	http_json(r, 200, json_pack("{s:i,s:s}", "sent", sent, "message", o.message));
}

/* API: POST /api/v1/reports/{form}/{period}/approve {"orgs"} — batch approval */
void api_report_batch(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	int n;
	const char **orgs = body_orgs(r, j, &n, 1);
	if (orgs == (const char **)-1)
		return;
	Actor actor = req_actor(r);
	ReportOutcome o = {0};
	int done, skipped;
	if (report_batch_approve(r->store, &r->arena, r->plan, &actor, r->params[0], r->params[1], orgs, n, report_now(), &done,
	                         &skipped, &o) != 200) {
		reports_page_refuse(r, &o);
		return;
	}
	http_json(r, 200, json_pack("{s:i,s:i,s:s}", "done", done, "skipped", skipped, "message", o.message));
}

