/*
 * users.c — account rules and the audited changes to accounts.
 */
#include "users.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

static int valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n < 2 || n > 40)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x80 && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		                   *p == '_' || *p == '.' || *p == '-'))
			return 0;
	return 1;
}

const char *user_check(Store *s, const Plan *p, Arena *a, const char *name, const char *role,
                       const char *scope, const char **field)
{
	*field = "name";
	if (!name || !*name)
		return "请填写用户名。";
	if (!valid_name(name))
		return "用户名需 2–40 个字符，只能包含字母、数字、汉字和 _ . -。";
	User existing;
	int found = store_user_by_name(s, a, name, &existing);
	if (found < 0)
		return "数据读取失败，请稍后再试。";
	if (found)
		return "该用户名已被使用，请换一个。";
	*field = "role";
	static const char *const roles[] = {"admin", "area", "department", "base", "viewer"};
	int known = 0;
	for (size_t i = 0; role && i < ARRAY_LEN(roles); i++)
		known |= strcmp(roles[i], role) == 0;
	if (!known)
		return "角色应为 admin、area、department、base 或 viewer 之一。";
	*field = "scope";
	int has_scope = scope && *scope;
	if (strcmp(role, "admin") == 0 || strcmp(role, "viewer") == 0)
		return has_scope ? "管理员和领导小组账号不绑定范围，请留空。" : NULL;
	if (!has_scope)
		return strcmp(role, "area") == 0       ? "镇街/功能区账号需绑定一个区域代码。"
		       : strcmp(role, "department") == 0 ? "部门账号需绑定一个部门代码。"
		                                           : "运营机构账号需绑定一个孵化基地编号。";
	if (strcmp(role, "area") == 0) {
		const Area *ar = plan_area(p, scope);
		return ar && strcmp(ar->level, "area") == 0 ? NULL : "没有这个区域代码，请从区域列表中选择。";
	}
	if (strcmp(role, "department") == 0) {
		for (int i = 0; i < p->ndepartments; i++)
			if (strcmp(p->departments[i].code, scope) == 0)
				return NULL;
		return "没有这个部门代码，请从规划的部门列表中选择。";
	}
	char *end;
	long long id = strtoll(scope, &end, 10);
	const char *area;
	if (*end || id <= 0 || store_base_area(s, a, id, &area) != 1)
		return "没有这个孵化基地编号。";
	return NULL;
}

long long user_create(Store *s, Arena *a, const char *name, const char *role, const char *scope,
                      const char *password, int keep_password, char generated[USER_GENERATED_LEN],
                      const char *actor, const char *addr)
{
	char hash[AUTH_HASH_MAX];
	int must_change = password == NULL || !keep_password;
	if (!password) {
		auth_random_password(generated, USER_GENERATED_LEN);
		password = generated;
	}
	if (auth_hash_password(password, hash) != H_OK)
		return 0;
	long long id = store_user_insert(s, name, role, scope && *scope ? scope : NULL, hash, must_change);
	if (!id)
		return 0;
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	if (store_audit(s, actor, addr, "create", "user", rid, NULL, store_user_json(s, a, id)) != H_OK)
		return 0;
	return id;
}

int user_reset_password(Store *s, Arena *a, long long id, char generated[USER_GENERATED_LEN],
                        const char *actor, const char *addr)
{
	char hash[AUTH_HASH_MAX], rid[24];
	auth_random_password(generated, USER_GENERATED_LEN);
	if (auth_hash_password(generated, hash) != H_OK)
		return H_ERR;
	snprintf(rid, sizeof rid, "%lld", id);
	const char *before = store_user_json(s, a, id);
	if (store_user_set_password(s, id, hash, 1) != H_OK || store_sessions_delete_user(s, id) < 0)
		return H_ERR;
	return store_audit(s, actor, addr, "reset_password", "user", rid, before, store_user_json(s, a, id));
}

int user_set_disabled(Store *s, Arena *a, long long id, int disabled, const char *actor, const char *addr)
{
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	const char *before = store_user_json(s, a, id);
	if (store_user_set_disabled(s, id, disabled) != H_OK || (disabled && store_sessions_delete_user(s, id) < 0))
		return H_ERR;
	return store_audit(s, actor, addr, disabled ? "disable" : "enable", "user", rid, before,
	                   store_user_json(s, a, id));
}

int user_end_sessions(Store *s, Arena *a, long long id, const char *actor, const char *addr)
{
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", id);
	int n = store_sessions_delete_user(s, id);
	if (n < 0)
		return -1;
	if (store_audit_json(s, actor, addr, "end_sessions", "user", rid, NULL, json_pack("{s:i}", "sessions_ended", n)) != H_OK)
		return -1;
	return n;
}

/* ---- the same as whole workflows (domain.h): checked, one transaction each ---- */

static DomResult office_only(const Actor *who)
{
	if (who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden_role", "只有市专班办公室可以管理用户。");
	return dom_result(DOM_OK, NULL, NULL);
}

/* Runs one change of users in a transaction: begin, ok, commit. */
static DomResult finish(Store *s, int ok, const char *done)
{
	if (!ok || store_commit(s) != H_OK) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, done);
}

DomResult users_add(Store *s, const Actor *who, const char *name, const char *role, const char *scope,
                    char generated[USER_GENERATED_LEN], long long *id, const char **field)
{
	DomResult res = office_only(who);
	if (res.code != DOM_OK)
		return res;
	const char *err = user_check(s, who->plan, who->arena, name, role, scope, field);
	if (err)
		return dom_result(DOM_INVALID, "bad_value", err);
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	long long nid = user_create(s, who->arena, name, role, scope, NULL, 0, generated, who->name, who->addr);
	if (id)
		*id = nid;
	return finish(s, nid > 0, "已添加用户。");
}

DomResult users_reset_password(Store *s, const Actor *who, long long id, char generated[USER_GENERATED_LEN])
{
	DomResult res = office_only(who);
	if (res.code != DOM_OK)
		return res;
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	return finish(s, user_reset_password(s, who->arena, id, generated, who->name, who->addr) == H_OK,
	              "已重置密码，该用户的会话已结束。");
}

DomResult users_set_disabled(Store *s, const Actor *who, long long id, int disabled)
{
	DomResult res = office_only(who);
	if (res.code != DOM_OK)
		return res;
	User u;
	if (disabled && store_user_by_id(s, who->arena, id, &u) == 1 && who->name && !strcmp(u.name, who->name))
		return dom_result(DOM_INVALID, "self_disable", "不能停用自己正在使用的账号。");
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	return finish(s, user_set_disabled(s, who->arena, id, disabled, who->name, who->addr) == H_OK,
	              disabled ? "账号已停用，其会话已结束。" : "账号已启用。");
}

DomResult users_end_sessions(Store *s, const Actor *who, long long id, int *ended)
{
	DomResult res = office_only(who);
	if (res.code != DOM_OK)
		return res;
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	int n = user_end_sessions(s, who->arena, id, who->name, who->addr);
	if (ended)
		*ended = n;
	return finish(s, n >= 0, arena_printf(who->arena, "已结束 %d 个会话。", n));
}

DomResult users_set_own_password(Store *s, const Actor *who, long long id, const char *hash, const char *keep_token_hash)
{
	if (store_begin(s) != H_OK)
		return dom_result(DOM_BUSY, "busy", "数据库忙，请稍后再试。");
	/* The other sessions of this user end (one of them may be whoever
	 * learnt the old password); the one asking stays. */
	int ended = -1;
	int ok = store_user_set_password(s, id, hash, 0) == H_OK &&
	         (ended = store_sessions_delete_user_except(s, id, keep_token_hash)) >= 0;
	json_t *after = json_pack("{s:s,s:i}", "password", "(changed)", "other_sessions_ended", ended < 0 ? 0 : ended);
	char *after_text = after ? json_dumps(after, JSON_COMPACT) : NULL;
	json_decref(after);
	ok = ok && after_text &&
	     store_audit(s, who->name, who->addr, "update", "user", who->name, "{\"password\":\"(old)\"}", after_text) == H_OK;
	free(after_text);
	DomResult res = finish(s, ok, "密码已修改。");
	if (res.code != DOM_OK)
		res.message = "服务器暂时无法保存，请稍后再试。";
	return res;
}
