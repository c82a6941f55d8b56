/*
 * routes.c — every URL of the server in one table (STYLE.md 2): method,
 * pattern, handler, the roles allowed, how the scope is read, flags, and a
 * line saying what it is. A reader finds a URL's handler by searching here.
 * session.c's authz_check() enforces roles, scope, CSRF and origin before
 * any handler runs; no handler checks by itself.
 *
 * Who sees what (DOMAIN.md, issue "Accounts"): anonymous visitors see the
 * login page and the public summary (overview, plan, list of areas and
 * their API mirrors: the plan is a public document and progress is
 * published); every logged-in role sees public data; area reporters edit
 * their own area's records, base users their own base; viewers read all;
 * admins do everything.
 */
#include "http.h"

void page_home(Req *r);
void page_areas(Req *r);
void page_area(Req *r);
void page_plan(Req *r);
void page_static(Req *r);
void page_healthz(Req *r);
void page_login(Req *r);
void page_login_post(Req *r);
void page_logout(Req *r);
void page_password(Req *r);
void page_password_post(Req *r);
void page_base(Req *r);
void page_base_edit(Req *r);
void page_base_edit_post(Req *r);
void page_users(Req *r);
void page_users_post(Req *r);
void page_user(Req *r);
void page_user_post(Req *r);
void page_sessions(Req *r);
void page_audit(Req *r);
void api_plan(Req *r);
void api_areas(Req *r);
void api_area(Req *r);
void api_progress(Req *r);
void api_session_create(Req *r);
void api_session_get(Req *r);
void api_session_password(Req *r);
void api_base_get(Req *r);
void api_base_patch(Req *r);
void api_users(Req *r);
void api_users_create(Req *r);
void api_user_patch(Req *r);
void api_user_sessions_delete(Req *r);
void api_audit(Req *r);

#define ADMIN ALLOW(ROLE_ADMIN)
#define READERS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_AREA) | ALLOW(ROLE_DEPARTMENT))
#define BASE_EDITORS (ALLOW(ROLE_ADMIN) | ALLOW(ROLE_AREA) | ALLOW(ROLE_BASE))
#define PRE ROUTE_BEFORE_PASSWORD_CHANGE

const Route routes[] = {
	/* public summary */
	{"GET", "/", page_home, ALLOW_ALL, SCOPE_NONE, 0, "总览: targets and progress"},
	{"GET", "/areas", page_areas, ALLOW_ALL, SCOPE_NONE, 0, "区域: the areas and their groups"},
	{"GET", "/plan", page_plan, ALLOW_ALL, SCOPE_NONE, 0, "规划与标准: targets, 七个一, work items"},
	/* infrastructure */
	{"GET", "/healthz", page_healthz, ALLOW_ALL, SCOPE_NONE, PRE, "liveness: 200 ok"},
	{"GET", "/static/{name}", page_static, ALLOW_ALL, SCOPE_NONE, PRE, "embedded CSS and JS"},
	/* accounts */
	{"GET", "/login", page_login, ALLOW_ALL, SCOPE_NONE, PRE, "登录 form"},
	{"POST", "/login", page_login_post, ALLOW_ALL, SCOPE_NONE, PRE | ROUTE_NO_CSRF, "log in (form)"},
	{"POST", "/logout", page_logout, ALLOW_USERS, SCOPE_NONE, PRE, "log out"},
	{"GET", "/password", page_password, ALLOW_USERS, SCOPE_NONE, PRE, "修改密码 form"},
	{"POST", "/password", page_password_post, ALLOW_USERS, SCOPE_NONE, PRE, "change one's password"},
	/* areas and bases */
	{"GET", "/areas/{code}", page_area, READERS, SCOPE_NONE, 0, "one area: figures and bases"},
	{"GET", "/bases/{id}", page_base, ALLOW_USERS, SCOPE_BASE_READ, 0, "one base"},
	{"GET", "/bases/{id}/edit", page_base_edit, BASE_EDITORS, SCOPE_BASE, 0, "edit a base's profile (form)"},
	{"POST", "/bases/{id}/edit", page_base_edit_post, BASE_EDITORS, SCOPE_BASE, 0, "save a base's profile"},
	/* administration */
	{"GET", "/admin/users", page_users, ADMIN, SCOPE_NONE, 0, "用户管理: users and the add form"},
	{"POST", "/admin/users", page_users_post, ADMIN, SCOPE_NONE, 0, "add a user"},
	{"GET", "/admin/users/{id}", page_user, ADMIN, SCOPE_NONE, 0, "one user and its actions"},
	{"POST", "/admin/users/{id}", page_user_post, ADMIN, SCOPE_NONE, 0, "reset password, end sessions, disable"},
	{"GET", "/admin/sessions", page_sessions, ADMIN, SCOPE_NONE, 0, "在线会话"},
	{"GET", "/admin/audit", page_audit, ADMIN, SCOPE_NONE, 0, "审计日志 with filters"},
	/* API v1 */
	{"GET", "/api/v1/plan", api_plan, ALLOW_ALL, SCOPE_NONE, 0, "the loaded plan"},
	{"GET", "/api/v1/areas", api_areas, ALLOW_ALL, SCOPE_NONE, 0, "areas (org units)"},
	{"GET", "/api/v1/areas/{code}", api_area, READERS, SCOPE_NONE, 0, "one area with its bases"},
	{"GET", "/api/v1/progress", api_progress, ALLOW_ALL, SCOPE_NONE, 0, "progress ?year=&area=&as_of="},
	{"POST", "/api/v1/session", api_session_create, ALLOW_ALL, SCOPE_NONE, PRE | ROUTE_NO_CSRF, "log in → cookie, csrf_token"},
	{"GET", "/api/v1/session", api_session_get, ALLOW_USERS, SCOPE_NONE, PRE, "who is logged in"},
	{"DELETE", "/api/v1/session", page_logout, ALLOW_USERS, SCOPE_NONE, PRE, "log out"},
	{"PUT", "/api/v1/session/password", api_session_password, ALLOW_USERS, SCOPE_NONE, PRE, "change one's password"},
	{"GET", "/api/v1/bases/{id}", api_base_get, ALLOW_USERS, SCOPE_BASE_READ, 0, "one base"},
	{"PATCH", "/api/v1/bases/{id}", api_base_patch, BASE_EDITORS, SCOPE_BASE, 0, "update a base's profile"},
	{"GET", "/api/v1/users", api_users, ADMIN, SCOPE_NONE, 0, "users"},
	{"POST", "/api/v1/users", api_users_create, ADMIN, SCOPE_NONE, 0, "add a user → initial_password"},
	{"PATCH", "/api/v1/users/{id}", api_user_patch, ADMIN, SCOPE_NONE, 0, "disable/enable, reset password"},
	{"DELETE", "/api/v1/users/{id}/sessions", api_user_sessions_delete, ADMIN, SCOPE_NONE, 0, "end a user's sessions"},
	{"GET", "/api/v1/audit", api_audit, ADMIN, SCOPE_NONE, 0, "the audit trail, filtered"},
};
const int route_count = (int)(sizeof routes / sizeof routes[0]);
