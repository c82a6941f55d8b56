/*
 * session.h — login sessions, login throttling, CSRF and same-origin checks,
 * and the one place where a route's roles and scope are enforced.
 */
#ifndef HATCHERY_SESSION_H
#define HATCHERY_SESSION_H

#include "http.h"

#define SESSION_COOKIE "hatchery_session"
#define SESSION_IDLE_SECONDS (2 * 3600)      /* ended after 2 hours without a request */
#define SESSION_ABSOLUTE_SECONDS (12 * 3600) /* and 12 hours after login in any case */
#define LOGIN_WINDOW_SECONDS (15 * 60)
#define LOGIN_MAX_PER_USER 5                 /* failures per user name per window */
#define LOGIN_MAX_PER_ADDR 20                /* failures per client address per window */

/* Reads the session cookie and, when it names a live session, sets
 * r->session and r->role. Expired sessions are deleted. */
void session_authenticate(Req *r);

typedef enum { LOGIN_OK, LOGIN_BAD, LOGIN_THROTTLED, LOGIN_ERROR } LoginResult;
/* Checks name and password with throttling; on LOGIN_OK fills *out. The
 * caller shows the same message for an unknown user and a wrong password. */
LoginResult session_check_login(Req *r, const char *name, const char *password, User *out);
/* Starts a session for u (inside the caller's transaction), sets the
 * cookie; returns the session's CSRF token (in r->arena) or NULL. */
const char *session_start(Req *r, const User *u);
/* Ends the request's session and clears the cookie. */
int session_end(Req *r);
/* Logging in and out as whole changes: the session started (or ended)
 * with its audit row, in one transaction. login: the CSRF token or NULL. */
const char *session_login(Req *r, const User *u);
int session_logout(Req *r);

/* Runs every check a route declares before its handler: login, password
 * change pending, role, CSRF and origin for state changes, scope. Returns 1
 * when the handler may run, 0 when the request has been answered. */
int authz_check(Req *r);

/* Whether the user sees an area's or a base's records in full (pending and
 * returned ones too), not only what is public. */
int req_sees_area_fully(const Req *r, const char *area);
int req_sees_base_fully(const Req *r, long long base_id, const char *area);

const char *role_code(Role role);      /* admin, area, ... ; "anonymous" */
const char *role_zh(Role role);        /* 市专班办公室, 镇街/功能区填报员, ... */
Role role_from_code(const char *code); /* ROLE_ANON when unknown */

#endif
