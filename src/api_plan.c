/*
 * api_plan.c — the JSON mirrors of the plan, area and overview pages:
 * /api/v1/plan, /api/v1/areas, /api/v1/areas/{code}, /api/v1/progress.
 */
#include <string.h>

#include "page.h"
#include "page_parts.h"
#include "progress.h"
#include "session.h"

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* API: GET /api/v1/plan — the plan as loaded: its areas, indicators, its
 * own targets exactly as it states them, rule sets, work items. The areas'
 * and departments' targets are at /api/v1/targets. */
void api_plan(Req *r)
{
	json_error_t jerr;
	json_t *plan = json_loads(r->plan->json, 0, &jerr);
	if (!plan) {
		http_error(r, 500, "store_error", "规划数据读取失败，请稍后再试。");
		return;
	}
	http_json(r, 200, plan);
}

static json_t *area_json(Req *r, const Area *a, const AreaStat *st)
{
	const AreaGroup *g = NULL;
	for (int i = 0; i < r->plan->ngroups; i++)
		if (a->group && strcmp(r->plan->groups[i].code, a->group) == 0)
			g = &r->plan->groups[i];
	json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "code", a->code, "name", a->name,
	                      "name_en", jstr_or_null(a->name_en), "group", jstr_or_null(a->group),
	                      "group_name", jstr_or_null(g ? g->name : NULL), "focus", jstr_or_null(g ? g->focus : NULL),
	                      "block", jstr_or_null(g ? g->block : NULL), "parent", jstr_or_null(a->parent));
	if (a->note)
		json_object_set_new(o, "note", json_string(a->note));
	if (st) {
		json_object_set_new(o, "bases", json_integer(st->bases));
		json_object_set_new(o, "approved_total_area_m2", json_real(st->total_area_m2));
	}
	return o;
}

/* API: GET /api/v1/areas — the areas with their group, focus and block. */
void api_areas(Req *r)
{
	AreaStat *st;
	int ns = store_area_stats(r->store, &r->arena, &st);
	if (ns < 0) {
		http_error(r, 500, "store_error", "区域数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < r->plan->nareas; i++) {
		const Area *a = &r->plan->areas[i];
		const AreaStat *x = NULL;
		for (int k = 0; k < ns; k++)
			if (strcmp(st[k].area, a->code) == 0)
				x = &st[k];
		json_array_append_new(arr, area_json(r, a, x));
	}
	http_json(r, 200, json_pack("{s:o,s:i}", "items", arr, "total", r->plan->nareas));
}

/* API: GET /api/v1/areas/{code} — one area and its bases. */
void api_area(Req *r)
{
	const Area *a = plan_area(r->plan, req_param(r, "code"));
	if (!a || strcmp(a->level, "city") == 0) {
		http_error(r, 404, "unknown_area", "没有这个区域代码，可从 /api/v1/areas 查询。");
		return;
	}
	req_depends_on_area(r, a->code); /* kept while another area changes */
	Base *b;
	int nb = store_bases(r->store, &r->arena, a->code, &b);
	if (nb < 0) {
		http_error(r, 500, "store_error", "区域数据读取失败，请稍后再试。");
		return;
	}
	json_t *o = area_json(r, a, NULL);
	json_t *arr = json_array();
	int full = req_sees_area_fully(r, a->code);
	for (int i = 0; i < nb; i++)
		if (full || strcmp(b[i].review_status, "approved") == 0)
			json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:o,s:o,s:f,s:f,s:s}", "id", (json_int_t)b[i].id,
		                                     "name", b[i].name, "kind", b[i].kind,
		                                     "leading_industry", jstr_or_null(b[i].leading_industry),
		                                     "opened_on", jstr_or_null(b[i].opened_on),
		                                     "total_area_m2", b[i].total_area_m2,
		                                     "incubation_area_m2", b[i].incubation_area_m2,
		                                     "review_status", b[i].review_status));
	json_object_set_new(o, "bases", arr);
	http_json(r, 200, o);
}

/* API: GET /api/v1/progress?year=&area=&as_of= — per indicator target,
 * actual, ratio and status, for the city or one area. */
void api_progress(Req *r)
{
	int year;
	const char *as_of;
	if (!read_year_as_of(r, &year, &as_of))
		return;
	const char *scope = req_query(r, "area");
	if (!scope || !*scope)
		scope = r->plan->city.code;
	if (!plan_area(r->plan, scope)) {
		http_error(r, 400, "unknown_area", "area 不是已知的区域代码，可从 /api/v1/areas 查询。");
		return;
	}
	const char *area_param = strcmp(scope, r->plan->city.code) == 0 ? NULL : scope;
	if (area_param)
		req_depends_on_area(r, area_param); /* kept while another area changes */
	/* the same answer for everyone: kept for all sessions (page_parts.h) */
	PagePart part;
	if (page_part_begin(r, &part, area_param, "progress|%s|%d|%s", scope, year, as_of)) {
		r->content_type = "application/json; charset=utf-8";
		return;
	}
	Progress *g;
	int n = progress_compute(r->store, r->plan, &r->arena, scope, year, as_of, NULL, &g);
	if (n < 0) {
		http_error(r, 500, "store_error", "统计数据读取失败，请稍后再试。");
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		const Progress *x = &g[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:f,s:s,s:s}", "indicator", x->ind->code, "name", x->ind->name,
		                      "unit", x->ind->unit, "kind", x->ind->kind, "actual", x->actual,
		                      "status", progress_status_code(x->status), "status_zh", progress_status_zh(x->status));
		json_object_set_new(o, "forecast", x->has_forecast ? json_real(x->forecast) : json_null());
		json_object_set_new(o, "records", json_string(arena_printf(&r->arena, "/progress/%s?year=%d&as_of=%s%s%s",
		                                                            x->ind->code, year, x->to, area_param ? "&area=" : "",
		                                                            area_param ? area_param : "")));
		if (x->has_target) {
			json_object_set_new(o, "target", json_real(x->target));
			json_object_set_new(o, "op", json_string(x->op));
			json_object_set_new(o, "ratio", json_real(x->ratio));
			json_object_set_new(o, "expected", json_real(x->expected));
			json_object_set_new(o, "wording", jstr_or_null(x->wording));
		} else {
			json_object_set_new(o, "target", json_null());
			json_object_set_new(o, "ratio", json_null());
		}
		json_array_append_new(arr, o);
	}
	http_json(r, 200, json_pack("{s:s,s:i,s:s,s:s,s:s,s:o}", "scope", scope, "year", year, "as_of", as_of,
	                            "from", r->plan->start, "to", n > 0 ? g[0].to : as_of, "indicators", arr));
	page_part_end(r, &part);
}
