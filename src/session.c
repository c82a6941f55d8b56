/*
 * session.c — who is calling and what they may do.
 *
 * A session token is 32 random bytes (base64url) in an HttpOnly,
 * SameSite=Lax cookie (Secure behind HTTPS); the database keeps only its
 * SHA-256. Each session has its own CSRF token, required with every
 * state-changing request as the form field "csrf" or the X-CSRF-Token
 * header, together with a same-origin Origin/Referer when the browser sends
 * one. Login itself (no session yet) is exempt from the token but not from
 * the origin check.
 *
 * authz_check() is the only place that enforces a route's roles and scope
 * (routes.c declares them); handlers never check by themselves.
 */
#include "session.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "auth.h"
#include "html.h"
#include "registry.h"
#include "store_events.h"
#include "store_policy.h"
#include "store_attachments.h"
#include "store_tasks.h"

static const struct {
	Role role;
	const char *code, *zh;
} role_names[] = {
	{ROLE_ANON, "anonymous", "访客"},
	{ROLE_BASE, "base", "孵化基地运营机构"},
	{ROLE_DEPARTMENT, "department", "市直部门"},
	{ROLE_AREA, "area", "镇街、功能区填报员"},
	{ROLE_VIEWER, "viewer", "领导小组（只读）"},
	{ROLE_ADMIN, "admin", "市专班办公室（管理员）"},
};

const char *role_code(Role role)
{
	for (size_t i = 0; i < ARRAY_LEN(role_names); i++)
		if (role_names[i].role == role)
			return role_names[i].code;
	return "anonymous";
}

const char *role_zh(Role role)
{
	for (size_t i = 0; i < ARRAY_LEN(role_names); i++)
		if (role_names[i].role == role)
			return role_names[i].zh;
	return "访客";
}

Role role_from_code(const char *code)
{
	for (size_t i = 1; code && i < ARRAY_LEN(role_names); i++)
		if (strcmp(role_names[i].code, code) == 0)
			return role_names[i].role;
	return ROLE_ANON;
}

/* Hex SHA-256 of a token, in the arena. */
static const char *token_hash(Arena *a, const char *token)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	char *hex = arena_alloc(a, sizeof h * 2 + 1);
	sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
	return hex;
}

static const char *random_token(Arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	size_t n = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, n);
	sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* The value of one cookie from the Cookie header, in the arena. */
static const char *cookie_value(Req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
	return v ? arena_strdup(&r->arena, v) : NULL;
}

void session_authenticate(Req *r)
{
	const char *token = cookie_value(r, SESSION_COOKIE);
	if (!token || strlen(token) < 40 || strlen(token) > 64)
		return;
	Session *s = arena_alloc(&r->arena, sizeof *s);
	const char *hash = token_hash(&r->arena, token);
	if (store_session_lookup(r->store, &r->arena, hash, s) != 1)
		return;
	long long now = (long long)time(NULL);
	if (s->user.disabled || now - s->last_seen > SESSION_IDLE_SECONDS ||
	    now - s->created_at > SESSION_ABSOLUTE_SECONDS) {
		store_session_delete(r->store, hash);
		return;
	}
	/* Write last_seen at most once a minute: reads stay reads. */
	if (now - s->last_seen >= 60)
		store_session_touch(r->store, hash, now);
	r->session = s;
	r->role = role_from_code(s->user.role);
}

long long login_pair_delay(int failures)
{
	if (failures < LOGIN_PAIR_FREE)
		return 0;
	int doublings = failures - LOGIN_PAIR_FREE;
	if (doublings > 20)
		return LOGIN_PAIR_MAX_DELAY;
	long long d = (long long)LOGIN_PAIR_FIRST_DELAY << doublings;
	return d < LOGIN_PAIR_MAX_DELAY ? d : LOGIN_PAIR_MAX_DELAY;
}

long long login_addr_delay(int failures)
{
	if (failures < LOGIN_ADDR_FREE)
		return 0;
	int doublings = (failures - LOGIN_ADDR_FREE) / 10;
	if (doublings > 20)
		return LOGIN_ADDR_MAX_DELAY;
	long long d = 1LL << doublings;
	return d < LOGIN_ADDR_MAX_DELAY ? d : LOGIN_ADDR_MAX_DELAY;
}

/* The throttle's key of a (name, address) pair: a hash, so that the
 * table holds no user name, known or not, and its rows have one size. */
static const char *pair_key(Req *r, const char *name)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)r->client_addr, strlen(r->client_addr) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name));
	crypto_hash_sha256_final(&st, h);
	char hex[41];
	sodium_bin2hex(hex, sizeof hex, h, 20);
	return arena_printf(&r->arena, "pair:%s", hex);
}

/* A tried user name as the audit trail may keep it: at most 64 bytes,
 * whole UTF-8 characters, anything else (a control byte, a broken
 * sequence) as "?". */
static const char *name_for_audit(Arena *a, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	char *out = arena_alloc(a, LOGIN_MAX_NAME_BYTES + 1), *o = out;
	while (*p && o - out < LOGIN_MAX_NAME_BYTES) {
		int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		int ok = n > 0 && (n == 1 ? *p >= 0x20 && *p != 0x7f : 1);
		for (int i = 1; ok && i < n; i++)
			ok = (p[i] & 0xc0) == 0x80;
		if (ok && n > 1) {
			unsigned cp = n == 2 ? (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu)
			              : n == 3 ? (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu)
			                       : (p[0] & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
			ok = cp >= (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u) && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
		}
		if (!ok) {
			*o++ = '?';
			p++;
			continue;
		}
		if (o - out + n > LOGIN_MAX_NAME_BYTES)
			break;
		memcpy(o, p, (size_t)n);
		o += n;
		p += n;
	}
	*o = 0;
	return out;
}

/* Counts a failed login of the pair and the address, and audits it when
 * it makes a wait; one transaction. */
static int count_failure(Req *r, const char *name, const char *pkey, const char *akey, int pair_n, int addr_n,
                         long long now)
{
	long long pw = login_pair_delay(pair_n + 1), aw = login_addr_delay(addr_n + 1);
	const char *after = NULL;
	if (pw || aw) {
		json_t *j = json_pack("{s:i,s:i,s:I,s:s}", "pair_failures", pair_n + 1, "address_failures", addr_n + 1,
		                      "wait_seconds", (json_int_t)(pw > aw ? pw : aw), "by",
		                      pw >= aw ? "account_and_address" : "address");
		char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		if (!text)
			return H_ERR;
		after = arena_strdup(&r->arena, text);
		free(text);
	}
	StampHold hold;
	if (store_begin(r->store) != H_OK)
		return H_ERR;
	if (store_stamp_hold(r->store, &hold) != H_OK ||
	    store_login_failure_add(r->store, pkey, now) != H_OK || store_login_failure_add(r->store, akey, now) != H_OK ||
	    (after && store_audit(r->store, NULL, r->client_addr, "login_throttled", "session",
	                          name_for_audit(&r->arena, name), NULL, after) != H_OK) ||
	    store_stamp_put_back(r->store, &hold) != H_OK || store_commit(r->store) != H_OK) {
		store_rollback(r->store);
		return H_ERR;
	}
	return H_OK;
}

LoginResult session_check_login(Req *r, const char *name, const char *password, User *out, long long *wait)
{
	long long now = (long long)time(NULL), pair_last, addr_last;
	int pair_n, addr_n;
	const char *pkey = pair_key(r, name);
	const char *akey = arena_printf(&r->arena, "addr:%s", r->client_addr);
	*wait = 0;
	if (store_login_failures(r->store, pkey, now - LOGIN_PAIR_WINDOW, &pair_n, &pair_last) != H_OK ||
	    store_login_failures(r->store, akey, now - LOGIN_ADDR_WINDOW, &addr_n, &addr_last) != H_OK)
		return LOGIN_ERROR;
	long long pw = pair_last + login_pair_delay(pair_n) - now, aw = addr_last + login_addr_delay(addr_n) - now;
	if (pw > 0 || aw > 0) {
		/* not counted: a wait is not made longer by asking during it */
		*wait = pw > aw ? pw : aw;
		return LOGIN_THROTTLED;
	}
	int found = store_user_by_name(r->store, &r->arena, name, out);
	if (found < 0)
		return LOGIN_ERROR;
	/* Verify even for an unknown user, so timing does not tell them apart. */
	int ok = auth_verify_password(found ? out->password_hash : auth_dummy_hash(), password);
	if (!found || !ok || out->disabled)
		return count_failure(r, name, pkey, akey, pair_n, addr_n, now) == H_OK ? LOGIN_BAD : LOGIN_ERROR;
	store_login_failures_clear(r->store, pkey);
	/* A hash made with older settings is made again now that the password
	 * is at hand (same password; the audit trail notes it). */
	char rehashed[AUTH_HASH_MAX];
	StampHold hold;
	if (auth_needs_rehash(out->password_hash) && auth_hash_password(password, rehashed) == H_OK &&
	    store_begin(r->store) == H_OK) {
		if (store_stamp_hold(r->store, &hold) == H_OK &&
		    store_user_set_password(r->store, out->id, rehashed, out->must_change) == H_OK &&
		    store_audit(r->store, out->name, r->client_addr, "rehash", "user",
		                arena_printf(&r->arena, "%lld", out->id), NULL, NULL) == H_OK &&
		    store_stamp_put_back(r->store, &hold) == H_OK && store_commit(r->store) == H_OK)
			out->password_hash = arena_strdup(&r->arena, rehashed);
		else
			store_rollback(r->store);
	}
	return LOGIN_OK;
}

static void set_cookie(Req *r, const char *value, int clear)
{
	const char *v = arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", SESSION_COOKIE, value,
	                             req_behind_https(r) ? "; Secure" : "", clear ? "; Max-Age=0" : "");
	req_add_header(r, "Set-Cookie", v);
}

const char *session_start(Req *r, const User *u)
{
	const char *token = random_token(&r->arena);
	const char *csrf = random_token(&r->arena);
	long long now = (long long)time(NULL);
	store_sessions_expire(r->store, now - SESSION_IDLE_SECONDS, now - SESSION_ABSOLUTE_SECONDS);
	if (store_session_insert(r->store, token_hash(&r->arena, token), u->id, csrf, r->client_addr, now) != H_OK ||
	    store_user_logged_in(r->store, u->id) != H_OK)
		return NULL;
	set_cookie(r, token, 0);
	Session *s = arena_alloc(&r->arena, sizeof *s);
	s->token_hash = token_hash(&r->arena, token);
	s->csrf = csrf;
	s->created_at = s->last_seen = now;
	s->user = *u;
	r->session = s;
	r->role = role_from_code(u->role);
	return csrf;
}

int session_end(Req *r)
{
	set_cookie(r, "", 1);
	if (!r->session)
		return H_OK;
	int rc = store_session_delete(r->store, r->session->token_hash);
	r->session = NULL;
	r->role = ROLE_ANON;
	return rc;
}

/* A login, a logout and a failed login write a session, the user's last
 * login, the throttle and their audit rows: nothing a kept page shows, so
 * the data stamp is put back before the commit (store_stamp_hold) and no
 * page kept for anyone is made again for them. */
const char *session_login(Req *r, const User *u)
{
	const char *csrf = NULL;
	StampHold hold;
	if (store_begin(r->store) == H_OK && store_stamp_hold(r->store, &hold) == H_OK && (csrf = session_start(r, u)) &&
	    store_audit(r->store, u->name, r->client_addr, "login", "session", u->name, NULL, NULL) == H_OK &&
	    store_stamp_put_back(r->store, &hold) == H_OK && store_commit(r->store) == H_OK)
		return csrf;
	store_rollback(r->store);
	return NULL;
}

int session_logout(Req *r)
{
	const char *name = r->session ? arena_strdup(&r->arena, r->session->user.name) : NULL;
	StampHold hold;
	if (store_begin(r->store) != H_OK || store_stamp_hold(r->store, &hold) != H_OK || session_end(r) != H_OK ||
	    store_audit(r->store, name, r->client_addr, "logout", "session", name, NULL, NULL) != H_OK ||
	    store_stamp_put_back(r->store, &hold) != H_OK || store_commit(r->store) != H_OK) {
		store_rollback(r->store);
		return H_ERR;
	}
	return H_OK;
}

/* ---- checks ---- */

static int is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/* The Origin (or else Referer) header, when present, must name this host. */
static int same_origin(Req *r)
{
	const char *host = req_header(r, "Host");
	const char *o = req_header(r, "Origin");
	if (!o || !*o || strcmp(o, "null") == 0)
		o = req_header(r, "Referer");
	if (!o || !*o)
		return 1;
	if (!host)
		return 0;
	const char *p = strstr(o, "://");
	if (!p)
		return 0;
	p += 3;
	size_t hl = strlen(host);
	return strncasecmp(p, host, hl) == 0 && (p[hl] == 0 || p[hl] == '/');
}

static int csrf_matches(Req *r)
{
	const char *t = req_header(r, "X-CSRF-Token");
	if (!t)
		t = req_form(r, "csrf");
	if (!t || !r->session || !r->session->csrf)
		return 0;
	size_t n = strlen(r->session->csrf);
	return strlen(t) == n && sodium_memcmp(t, r->session->csrf, n) == 0;
}

int req_sees_area_fully(const Req *r, const char *area)
{
	if (r->role == ROLE_ADMIN || r->role == ROLE_VIEWER)
		return 1;
	return r->role == ROLE_AREA && area && r->session && r->session->user.scope &&
	       strcmp(r->session->user.scope, area) == 0;
}

int req_sees_base_fully(const Req *r, long long base_id, const char *area)
{
	if (req_sees_area_fully(r, area))
		return 1;
	return r->role == ROLE_BASE && r->session && r->session->user.scope &&
	       id_or_zero(r->session->user.scope) == base_id;
}

/* Answers a refusal: anonymous page visitors go to the login page. */
static int refuse(Req *r, int status, const char *code, const char *message)
{
	if (r->role == ROLE_ANON && status == 401 && !req_is_api(r) && is_safe_method(r->method)) {
		r->status = 303;
		Buf loc = {0};
		buf_puts(&loc, "/login?next=");
		url_escape(&loc, req_path_and_query(r)); /* back to the same figure, year and all */
		req_add_header(r, "Location", buf_str(&loc));
		buf_free(&loc);
		r->content_type = "text/plain; charset=utf-8";
		buf_puts(&r->out, "请先登录。");
		return 0;
	}
	http_error(r, status, code, message);
	return 0;
}

/* The record a scoped route touches must belong to the user's scope. */
/* An application for policy support (policy.h): area users their area's,
 * base users their base's, leaders any; file: asked for one of its files. */
static int policy_app_scope(Req *r, long long id, const char *scope, int file)
{
	PolicyApp app;
	int found = store_policy_app_get(r->store, &r->arena, id, &app);
	if (found < 0) {
		http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
		return 0;
	}
	if (!found) {
		http_error(r, 404, "not_found", file ? "没有这个文件。" : "没有这份申请。");
		return 0;
	}
	if (r->role == ROLE_VIEWER || (r->role == ROLE_AREA && scope && !strcmp(scope, app.area)) ||
	    (r->role == ROLE_BASE && scope && id_or_zero(scope) == app.base_id))
		return 1;
	return refuse(r, 403, "forbidden_scope",
	              file ? "这个文件属于其他辖区或基地的政策申请，无权查看。" : "这份申请不属于您的辖区或账号，无权查看或办理。");
}

static int scope_check(Req *r)
{
	const Route *rt = r->route;
	if (rt->scope == SCOPE_NONE || r->role == ROLE_ADMIN)
		return 1;
	const char *scope = r->session ? r->session->user.scope : NULL;
	switch (rt->scope) {
	case SCOPE_RECORD_READ:
	case SCOPE_RECORD: {
		long long id = req_param_int(r, "id");
		const char *area = NULL, *status = NULL;
		long long base_id = 0;
		int found = store_record_visibility(r->store, &r->arena, rt->kind->name, id, &area, &base_id, &status);
		if (found < 0) {
			http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
			return 0;
		}
		if (!found) {
			http_error(r, 404, "not_found", "没有这条记录，请从列表中选择。");
			return 0;
		}
		int own = (r->role == ROLE_AREA && scope && strcmp(scope, area) == 0) ||
		          (r->role == ROLE_BASE && scope && base_id > 0 && id_or_zero(scope) == base_id);
		if (!own && !(rt->scope == SCOPE_RECORD_READ && r->role != ROLE_BASE))
			return refuse(r, 403, "forbidden_scope", "该记录不属于您的辖区或账号，无权访问或修改。");
		/* What is read about a record (the record, a base's evaluation,
		 * figures, recognitions) is public once approved; before that only
		 * to those who see its area or base in full, and to others it is
		 * not there at all, on every route alike. */
		if (rt->scope == SCOPE_RECORD_READ && strcmp(status, "approved") != 0 &&
		    !req_sees_base_fully(r, strcmp(rt->kind->name, "bases") == 0 ? id : 0, area)) {
			http_error(r, 404, "not_found", "没有这条记录，或它尚未通过审核。");
			return 0;
		}
		return 1;
	}
	case SCOPE_RECOGNITION: {
		Recognition rec;
		int found = store_recognition_get(r->store, &r->arena, req_param_int(r, "id"), &rec);
		if (found < 0) {
			http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
			return 0;
		}
		if (!found) {
			http_error(r, 404, "not_found", "没有这份申请。");
			return 0;
		}
		if (r->role == ROLE_AREA && scope && strcmp(scope, rec.area) == 0)
			return 1;
		return refuse(r, 403, "forbidden_scope", "这份申请不属于您的辖区。");
	}
	case SCOPE_REPORT: {
		const char *org = r->nparams >= 3 ? r->params[2] : "";
		const char *area = org;
		if (!strncmp(org, "dept-", 5)) {
			/* a department's report: the department itself and the leaders (the office passed above) */
			if (r->role == ROLE_VIEWER || (r->role == ROLE_DEPARTMENT && scope && strcmp(scope, org + 5) == 0))
				return 1;
			return refuse(r, 403, "forbidden_scope", "这张报表不属于您的部门，无权查看或办理。");
		}
		if (!strncmp(org, "base-", 5)) {
			char *end;
			long long id = strtoll(org + 5, &end, 10), base_id = 0;
			int found = *end || id <= 0 ? 0 : store_record_scope(r->store, &r->arena, "bases", id, &area, &base_id);
			if (found < 0) {
				http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
				return 0;
			}
			if (!found) {
				http_error(r, 404, "not_found", "没有这个填报单位。");
				return 0;
			}
			long long own;
			if (r->role == ROLE_BASE && scope && parse_int(scope, 1, 1LL << 62, &own) && own == id)
				return 1;
		}
		if (r->role == ROLE_VIEWER || (r->role == ROLE_AREA && scope && area && strcmp(scope, area) == 0))
			return 1;
		return refuse(r, 403, "forbidden_scope", "这张报表不属于您的辖区或账号，无权查看或办理。");
	}
	case SCOPE_EVENT: {
		EventRec ev;
		int found = store_event_get(r->store, &r->arena, req_param_int(r, "id"), &ev);
		if (found < 0) {
			http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
			return 0;
		}
		if (!found) {
			http_error(r, 404, "not_found", "没有这项活动。");
			return 0;
		}
		if ((r->role == ROLE_AREA && scope && ev.area && strcmp(scope, ev.area) == 0) ||
		    (r->role == ROLE_BASE && scope && ev.base_id > 0 && id_or_zero(scope) == ev.base_id))
			return 1;
		return refuse(r, 403, "forbidden_scope", "这项活动不属于您的辖区或孵化基地，只能查看，不能修改。");
	}
	case SCOPE_POLICY_APP:
		return policy_app_scope(r, req_param_int(r, "id"), scope, 0);
	case SCOPE_TASK:
	case SCOPE_TASK_LEAD:
	case SCOPE_ATTACHMENT: {
		long long task_id = req_param_int(r, "id");
		if (rt->scope == SCOPE_ATTACHMENT) {
			/* a file is read as its owner is: a task's as the task, an
			 * application's for policy support as the application */
			const char *kind = NULL;
			long long owner_id = 0;
			int t = store_attachment_owner(r->store, &r->arena, task_id, &kind, &owner_id, &task_id);
			if (t == -1) {
				http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
				return 0;
			}
			if (t == 0) {
				http_error(r, 404, "not_found", "没有这个文件。");
				return 0;
			}
			if (!strcmp(kind, "policy_application"))
				return policy_app_scope(r, owner_id, scope, 1);
			/* an event's photos: whoever reads the event (every user) */
			if (!strcmp(kind, "event"))
				return 1;
			if (!task_id)
				return r->role == ROLE_VIEWER ? 1 : refuse(r, 403, "forbidden_scope", "这个文件不属于您的单位，无权查看。");
		}
		if (r->role == ROLE_VIEWER && rt->scope != SCOPE_TASK_LEAD)
			return 1;
		int own = r->role == ROLE_DEPARTMENT || r->role == ROLE_AREA
		              ? store_task_role(r->store, task_id, scope, r->role == ROLE_AREA) : 0;
		if (own == -1) {
			http_error(r, 500, "store_error", "数据读取失败，请稍后再试。");
			return 0;
		}
		if (own == -2) {
			http_error(r, 404, "not_found", "没有这项任务。");
			return 0;
		}
		if (own >= (rt->scope == SCOPE_TASK_LEAD ? 2 : 1))
			return 1;
		if (own == 1)
			return refuse(r, 403, "not_lead", "您的单位是这项任务的配合单位，只能查看；进展和督办反馈由牵头单位填报。");
		return refuse(r, 403, "forbidden_scope", "这项任务不属于您单位的责任范围，无权查看或办理。");
	}
	case SCOPE_AREA: {
		if (r->role == ROLE_AREA && scope && strcmp(scope, req_param(r, "code")) == 0)
			return 1;
		if (r->role == ROLE_VIEWER)
			return 1;
		return refuse(r, 403, "forbidden_scope", "该区域不属于您的辖区，无权访问。");
	}
	default:
		return refuse(r, 403, "forbidden", "无权访问。");
	}
}

int authz_check(Req *r)
{
	const Route *rt = r->route;
	if (!(rt->roles & ALLOW(r->role))) {
		if (r->role == ROLE_ANON)
			return refuse(r, 401, "login_required", "请先登录后再访问。");
		return refuse(r, 403, "forbidden_role", "您的账号角色无权进行此操作。");
	}
	/* A generated password must be changed before anything else. */
	if (r->session && r->session->user.must_change && !(rt->flags & ROUTE_BEFORE_PASSWORD_CHANGE)) {
		if (!req_is_api(r) && is_safe_method(r->method)) {
			r->status = 303;
			req_add_header(r, "Location", "/password");
			r->content_type = "text/plain; charset=utf-8";
			buf_puts(&r->out, "请先修改初始密码。");
			return 0;
		}
		http_error(r, 403, "password_change_required", "请先修改初始密码（PUT /api/v1/session/password）。");
		return 0;
	}
	if (!is_safe_method(r->method)) {
		if (!same_origin(r))
			return refuse(r, 403, "cross_origin", "请求来源与本站不一致，已拒绝。请从本站页面提交。");
		if (!(rt->flags & ROUTE_NO_CSRF) && !csrf_matches(r))
			return refuse(r, 403, "csrf", "表单已过期或缺少安全令牌（CSRF），请刷新页面后重新提交。");
	}
	return scope_check(r);
}
