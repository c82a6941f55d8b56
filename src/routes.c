/*
 * routes.c — every URL of the server in one table (STYLE.md 2): method,
 * pattern, handler, the roles allowed, how the scope is read, and a line
 * saying what it is. A reader finds a URL's handler by searching here.
 * http.c enforces roles before any handler runs; no handler checks by itself.
 */
#include "http.h"

void page_home(Req *r);
void page_areas(Req *r);
void page_area(Req *r);
void page_plan(Req *r);
void page_static(Req *r);
void page_healthz(Req *r);
void api_plan(Req *r);
void api_areas(Req *r);
void api_area(Req *r);
void api_progress(Req *r);

const Route routes[] = {
	/* pages */
	{"GET", "/", page_home, ALLOW_ALL, SCOPE_NONE, "总览: targets and progress"},
	{"GET", "/areas", page_areas, ALLOW_ALL, SCOPE_NONE, "区域: the areas and their groups"},
	{"GET", "/areas/{code}", page_area, ALLOW_ALL, SCOPE_AREA_PARAM, "one area: figures and bases"},
	{"GET", "/plan", page_plan, ALLOW_ALL, SCOPE_NONE, "规划与标准: targets, 七个一, work items"},
	/* infrastructure */
	{"GET", "/healthz", page_healthz, ALLOW_ALL, SCOPE_NONE, "liveness: 200 ok"},
	{"GET", "/static/{name}", page_static, ALLOW_ALL, SCOPE_NONE, "embedded CSS and JS"},
	/* API v1 */
	{"GET", "/api/v1/plan", api_plan, ALLOW_ALL, SCOPE_NONE, "the loaded plan"},
	{"GET", "/api/v1/areas", api_areas, ALLOW_ALL, SCOPE_NONE, "areas (org units)"},
	{"GET", "/api/v1/areas/{code}", api_area, ALLOW_ALL, SCOPE_AREA_PARAM, "one area with its bases"},
	{"GET", "/api/v1/progress", api_progress, ALLOW_ALL, SCOPE_NONE, "progress ?year=&area=&as_of="},
};
const int route_count = (int)(sizeof routes / sizeof routes[0]);
