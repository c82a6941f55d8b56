/*
 * page_account.c — logging in and out, changing one's password: the pages
 * (/login, /logout, /password) and their API (/api/v1/session).
 *
 * An unknown user and a wrong password get the same answer, and so does a
 * throttled one whichever it is, so the answers never tell whether a user
 * exists.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "page.h"
#include "session.h"
#include "users.h"

#define MSG_BAD_LOGIN "用户名或密码错误。"

/* Only a local path may follow a login: one "/" then no "//", no
 * backslash, no control character or space anywhere (browsers drop tabs
 * and newlines from a URL, so "/\t/evil" would become "//evil", another
 * host). Anything else goes to 工作台, the home. next is already decoded. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || strstr(next, "//"))
		return "/workbench"; /* every role's home */
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '\\')
			return "/workbench"; /* every role's home */
	return next;
}

static void login_form(Req *r, int status, const char *user, const char *next, const char *error)
{
	r->status = status;
	page_begin(r, "登录", NULL);
	html_printf(&r->out, "<section class=\"card narrow\"><h1>登录</h1>\n");
	if (error)
		html_printf(&r->out, "<p class=\"form-error\" role=\"alert\">%h</p>\n", error);
	html_printf(&r->out, "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"next\" value=\"%h\">\n",
	            safe_next(next));
	form_input(r, "user", "用户名", "text", user, NULL, " autocomplete=\"username\" required autofocus");
	form_input(r, "password", "密码", "password", NULL, NULL, " autocomplete=\"current-password\" required");
	html_printf(&r->out, "<button type=\"submit\">登录</button></form>\n"
	                     "<p class=\"muted\">账号由市专班办公室分配；忘记密码请联系管理员重置。</p></section>\n");
	page_end(r);
}

/* WEBPAGE: GET /login */
void page_login(Req *r)
{
	if (r->session) {
		http_redirect(r, safe_next(req_query(r, "next")));
		return;
	}
	login_form(r, 200, NULL, req_query(r, "next"), NULL);
}

/* Checks the credentials and starts a session; answers errors itself
 * (through bad(), which knows the page or API shape). Returns the CSRF
 * token on success, NULL when answered. */
static const char *do_login(Req *r, const char *user, const char *password,
                            void (*bad)(Req *, int, const char *))
{
	if (!user || !*user || !password || !*password) {
		bad(r, 400, "请输入用户名和密码。");
		return NULL;
	}
	/* At the door: no user name is this long, and nothing of it is kept. */
	if (strlen(user) > LOGIN_MAX_NAME_BYTES) {
		bad(r, 400, "用户名过长（最多 40 个字），请检查后重新输入。");
		return NULL;
	}
	if (strlen(password) > LOGIN_MAX_PASSWORD_BYTES) {
		bad(r, 400, "密码过长，请检查后重新输入。");
		return NULL;
	}
	User u;
	long long wait;
	switch (session_check_login(r, user, password, &u, &wait)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		bad(r, 401, MSG_BAD_LOGIN);
		return NULL;
	case LOGIN_THROTTLED:
		req_add_header(r, "Retry-After", arena_printf(&r->arena, "%lld", wait));
		bad(r, 429, wait >= 120 ? arena_printf(&r->arena, "登录失败次数过多，请 %lld 分钟后再试。", (wait + 59) / 60)
		                        : arena_printf(&r->arena, "登录失败次数过多，请 %lld 秒后再试。", wait));
		return NULL;
	default:
		http_error(r, 500, "store_error", "登录暂时无法完成，请稍后再试。");
		return NULL;
	}
	const char *csrf = session_login(r, &u);
	if (!csrf)
		http_error(r, 500, "store_error", "登录暂时无法完成，请稍后再试。");
	return csrf;
}

static void login_page_bad(Req *r, int status, const char *msg)
{
	login_form(r, status, req_form(r, "user"), req_form(r, "next"), msg);
}

/* WEBPAGE: POST /login */
void page_login_post(Req *r)
{
	const char *csrf = do_login(r, req_form(r, "user"), req_form(r, "password"), login_page_bad);
	if (!csrf)
		return;
	http_redirect(r, r->session->user.must_change ? "/password" : safe_next(req_form(r, "next")));
}

/* WEBPAGE: POST /logout */
void page_logout(Req *r)
{
	if (session_logout(r) != H_OK) {
		http_error(r, 500, "store_error", "退出暂时无法完成，请稍后再试。");
		return;
	}
	if (req_is_api(r))
		http_json(r, 200, json_pack("{s:b}", "ok", 1));
	else
		http_redirect(r, "/login");
}

/* Checks and applies a password change; returns NULL on success, else the
 * Chinese reason (and *field, the field it belongs to). */
static const char *change_password(Req *r, const char *old_pw, const char *new_pw, const char *again,
                                   const char **field)
{
	const User *u = &r->session->user;
	*field = "old";
	if (!old_pw || !*old_pw)
		return "请输入当前密码。";
	if (!auth_verify_password(u->password_hash, old_pw))
		return "当前密码不正确。";
	*field = "new";
	if (!new_pw || !*new_pw)
		return "请输入新密码。";
	const char *problem = auth_password_problem(u->name, new_pw);
	if (problem)
		return problem;
	if (strcmp(new_pw, old_pw) == 0)
		return "新密码不能与当前密码相同。";
	*field = "again";
	if (again && strcmp(again, new_pw) != 0)
		return "两次输入的新密码不一致。";
	char hash[AUTH_HASH_MAX];
	*field = NULL;
	if (auth_hash_password(new_pw, hash) != H_OK)
		return "服务器暂时无法处理，请稍后再试。";
	/* the other sessions end (users.c); this one stays */
	Actor who = req_actor(r);
	DomResult res = users_set_own_password(r->store, &who, u->id, hash, r->session->token_hash);
	if (res.code != DOM_OK)
		return res.message;
	r->session->user.must_change = 0;
	return NULL;
}

static void password_form(Req *r, int status, const char *error, const char *field, int done)
{
	r->status = status;
	page_begin(r, "修改密码", NULL);
	html_printf(&r->out, "<section class=\"card narrow\"><h1>修改密码</h1>\n");
	if (done)
		html_printf(&r->out, "<p class=\"form-ok\" role=\"status\">密码已修改。<a href=\"/\">返回总览</a></p>\n");
	else if (r->session->user.must_change)
		html_printf(&r->out, "<p class=\"form-error\" role=\"alert\">这是系统生成的初始密码，请先设置您自己的密码。</p>\n");
	html_printf(&r->out, "<form method=\"post\" action=\"/password\">");
	form_csrf(r);
	int e_old = field && strcmp(field, "old") == 0, e_new = field && strcmp(field, "new") == 0,
	    e_again = field && strcmp(field, "again") == 0;
	form_input(r, "old", "当前密码", "password", NULL, e_old ? error : NULL, " autocomplete=\"current-password\" required");
	form_input(r, "new", "新密码（至少 10 个字符，不含用户名）", "password", NULL, e_new ? error : NULL,
	           " autocomplete=\"new-password\" required minlength=\"10\"");
	form_input(r, "again", "再次输入新密码", "password", NULL, e_again ? error : NULL,
	           " autocomplete=\"new-password\" required");
	if (error && !field)
		html_printf(&r->out, "<p class=\"form-error\" role=\"alert\">%h</p>", error);
	html_printf(&r->out, "<button type=\"submit\">保存</button></form></section>\n");
	page_end(r);
}

/* WEBPAGE: GET /password */
void page_password(Req *r)
{
	password_form(r, 200, NULL, NULL, 0);
}

/* WEBPAGE: POST /password */
void page_password_post(Req *r)
{
	const char *field;
	const char *err = change_password(r, req_form(r, "old"), req_form(r, "new"), req_form(r, "again"), &field);
	if (!err) { /* on to the home, not a blank form */
		http_redirect(r, "/workbench?done=password");
		return;
	}
	password_form(r, 400, err, field, 0);
}

/* ---- API ---- */

static json_t *session_json(Req *r, const char *csrf)
{
	const User *u = &r->session->user;
	json_t *o = json_pack("{s:{s:s,s:s,s:s,s:o,s:b}}", "user", "name", u->name, "role", u->role, "role_zh",
	                      role_zh(r->role), "scope", u->scope ? json_string(u->scope) : json_null(), "must_change",
	                      u->must_change);
	if (csrf)
		json_object_set_new(o, "csrf_token", json_string(csrf));
	return o;
}

static void api_bad(Req *r, int status, const char *msg)
{
	http_error(r, status, status == 401 ? "bad_credentials" : status == 429 ? "throttled" : "bad_request", msg);
}

/* API: POST /api/v1/session {"user","password"} → cookie and csrf_token */
void api_session_create(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *csrf = do_login(r, json_string_value(json_object_get(j, "user")),
	                            json_string_value(json_object_get(j, "password")), api_bad);
	if (csrf)
		http_json(r, 200, session_json(r, csrf));
}

/* API: GET /api/v1/session — who is logged in, with the CSRF token */
void api_session_get(Req *r)
{
	http_json(r, 200, session_json(r, r->session->csrf));
}

/* API: PUT /api/v1/session/password {"old_password","new_password"} */
void api_session_password(Req *r)
{
	json_t *j = req_json(r);
	if (!j)
		return;
	const char *field;
	const char *err = change_password(r, json_string_value(json_object_get(j, "old_password")),
	                                  json_string_value(json_object_get(j, "new_password")), NULL, &field);
	if (err) {
		json_t *e = json_pack("{s:{s:s,s:s}}", "error", "code", "bad_password", "message", err);
		if (field)
			json_object_set_new(json_object_get(e, "error"), "field",
			                    json_string(strcmp(field, "old") == 0 ? "old_password" : "new_password"));
		http_json(r, 400, e);
		return;
	}
	http_json(r, 200, json_pack("{s:b}", "ok", 1));
}
