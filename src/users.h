/*
 * users.h — creating and checking user accounts, shared by the CLI
 * (`hatchery user ...`) and the admin pages and API.
 */
#ifndef HATCHERY_USERS_H
#define HATCHERY_USERS_H

#include "domain.h"
#include "plan.h"
#include "store.h"

#define USER_GENERATED_LEN 17 /* 16 characters and the NUL */

/* Checks a new user's name, role and scope against the plan and the
 * registry. NULL when acceptable; else the reason in Chinese, and *field
 * names the field ("name", "role" or "scope"). */
const char *user_check(Store *s, const Plan *p, Arena *a, const char *name, const char *role,
                       const char *scope, const char **field);

/* Creates the user inside the caller's transaction, with its audit row.
 * password NULL: a random one is written into generated. Either way the
 * password must be changed at first login, unless a password is given and
 * keep_password is set (the first admin, accounts for scripts). Returns
 * the id, or 0 (store_errmsg tells why). */
long long user_create(Store *s, Arena *a, const char *name, const char *role, const char *scope,
                      const char *password, int keep_password, char generated[USER_GENERATED_LEN],
                      const char *actor, const char *addr);

/* Sets a new random password (must be changed at first login), ends the
 * user's sessions, audits; inside the caller's transaction. */
int user_reset_password(Store *s, Arena *a, long long id, char generated[USER_GENERATED_LEN],
                        const char *actor, const char *addr);
/* Disables or enables a user (disabling ends their sessions); audited. */
int user_set_disabled(Store *s, Arena *a, long long id, int disabled, const char *actor, const char *addr);
/* Ends every session of a user; audited. Returns the number ended or -1. */
int user_end_sessions(Store *s, Arena *a, long long id, const char *actor, const char *addr);

/* The same changes as whole workflows (domain.h), for the admin pages and
 * API: the office only, each in its own transaction, audited as the actor. */
DomResult users_add(Store *s, const Actor *who, const char *name, const char *role, const char *scope,
                    char generated[USER_GENERATED_LEN], long long *id, const char **field);
DomResult users_reset_password(Store *s, const Actor *who, long long id, char generated[USER_GENERATED_LEN]);
/* Refuses to disable the actor's own account. */
DomResult users_set_disabled(Store *s, const Actor *who, long long id, int disabled);
DomResult users_end_sessions(Store *s, const Actor *who, long long id, int *ended);
/* A user sets a new password (hash made by auth.c) for their own account
 * (id): the other sessions end, the one of keep_token_hash stays; audited. */
DomResult users_set_own_password(Store *s, const Actor *who, long long id, const char *hash, const char *keep_token_hash);

#endif
