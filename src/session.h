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
/* Login throttling (OWASP: slow the guesser, never lock the account out).
 * Failures are counted per (user name, client address) pair and per
 * address. A pair gets LOGIN_PAIR_FREE failures, then must wait 15 s, 30 s,
 * 60 s, ... up to 15 minutes after its last failure before it may try
 * again; the right password from another address still works at once. An
 * address (an office behind one NAT) gets LOGIN_ADDR_FREE failures within
 * LOGIN_ADDR_WINDOW over all names, then 1 s, 2 s, 4 s ... at most 60 s
 * between tries. A success clears its pair. */
#define LOGIN_PAIR_WINDOW (24 * 3600)
#define LOGIN_PAIR_FREE 3
#define LOGIN_PAIR_FIRST_DELAY 15
#define LOGIN_PAIR_MAX_DELAY (15 * 60)
#define LOGIN_ADDR_WINDOW (15 * 60)
#define LOGIN_ADDR_FREE 100
#define LOGIN_ADDR_MAX_DELAY 60
/* Logins are refused at the door beyond these (no user name is longer). */
#define LOGIN_MAX_NAME_BYTES 64
#define LOGIN_MAX_PASSWORD_BYTES 1024

/* The wait (seconds after the last failure) that n failures of a pair, or
 * of an address, impose on the next try; 0 when none. */
long long login_pair_delay(int failures);
long long login_addr_delay(int failures);

/* Reads the session cookie and, when it names a live session, sets
 * r->session and r->role. Expired sessions are deleted. */
void session_authenticate(Req *r);

typedef enum { LOGIN_OK, LOGIN_BAD, LOGIN_THROTTLED, LOGIN_ERROR } LoginResult;
/* Checks name and password with throttling; on LOGIN_OK fills *out, on
 * LOGIN_THROTTLED sets *wait to the seconds to wait. The caller shows the
 * same message for an unknown user and a wrong password. Failures that
 * start or lengthen a wait are audited ("login_throttled"). */
LoginResult session_check_login(Req *r, const char *name, const char *password, User *out, long long *wait);
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
