/*
 * client.h — a small HTTP/1.1 client and server launcher for the HTTP
 * tests: starts the real `hatchery serve` on a free loopback port and talks
 * to it over plain sockets.
 */
#ifndef HATCHERY_TEST_CLIENT_H
#define HATCHERY_TEST_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

typedef struct TestServer {
	pid_t pid;
	int port;
	char db[256];
	char dir[128];
	char log[192];    /* server_start_logged: the server's stderr (access log) */
} TestServer;

typedef struct Response {
	int status;
	char *headers;    /* raw header block, lines "Name: value\r\n" */
	char *body;       /* NUL-terminated (decompressed when gzip) */
	size_t body_len;
	int gzipped;
	int incomplete;   /* chunked, and the last chunk never came */
} Response;

/* Creates a fresh demo database in a temp dir and starts the server on it
 * with extra serve arguments (NULL-terminated); aborts the test run on failure. */
void server_start(TestServer *t, const char *const *extra_args);
/* As server_start, but without --quiet and with the server's stderr (the
 * access log and error lines) in t->log; server_stop() copies any
 * sanitizer report found there to the test's stderr. */
void server_start_logged(TestServer *t, const char *const *extra_args);
/* The same on a database made by `hatchery gen --scale scale` (city: 3,000
 * firms), the access log kept when logged. */
void server_start_gen(TestServer *t, const char *scale, int logged);
/* SIGTERM, then waits; returns the exit status (or -1). */
int server_stop(TestServer *t);

/* Sends a request (method, path, extra header lines each ending \r\n, body)
 * on a new connection with Connection: close, and reads the whole answer. */
int http_request(int port, const char *method, const char *path, const char *headers,
                 const char *body, size_t body_len, Response *out);
void response_free(Response *r);
/* The value of header name (case-insensitive), malloc'd, or NULL. */
char *response_header(const Response *r, const char *name);

/* The admin password of every test server's database. */
#define TEST_ADMIN_PASSWORD "Test-office-pass-1"
#define TEST_USER_PASSWORD "Reporter-pass-2024"

/* Adds a user with `hatchery user add --keep-password` and TEST_USER_PASSWORD
 * (no change required at first login; scope may be NULL). */
void server_add_user(TestServer *t, const char *name, const char *role, const char *scope);

/* A logged-in client: its cookie header line and CSRF token. */
typedef struct Login {
	char cookie[160];     /* "Cookie: hatchery_session=...\r\n" */
	char csrf[96];
	int status;           /* of the login request */
} Login;

/* Logs in over the API; returns 0 and fills l, or -1 (l->status tells). */
int http_login(int port, const char *user, const char *password, Login *l);
/* A request as the logged-in user (l NULL: anonymous). For methods other
 * than GET it sends the CSRF token and, when body is not NULL, JSON. */
int http_as(int port, const Login *l, const char *method, const char *path, const char *body, Response *out);

/* The loopback address the following requests come from (NULL or
 * "127.0.0.1": the default); e.g. "127.0.0.2" to act as another client. */
void http_set_source(const char *addr);

/* Logs in name with TEST_USER_PASSWORD (server_add_user's); fails the test when refused. */
Login http_login_user(int port, const char *name);

/* The server's database file from this process, as another process (the
 * CLI, the sqlite3 shell) would use it; an SQL error fails the test.
 * server_db_exec runs sql (one statement or several; busy timeout 5 s);
 * server_db_num answers the first column of sql's first row (-1: no row). */
void server_db_exec(const TestServer *t, const char *sql);
long long server_db_num(const TestServer *t, const char *sql);

/* Every record of kind ("bases", ...) as the API's list gives them to l,
 * as a JSON object keyed by the id (new reference, jansson's json_t);
 * fails the test when the API does not answer. */
struct json_t *http_records_by_id(int port, const Login *l, const char *kind);

/* Connects to 127.0.0.1:port; returns the socket or -1. */
int http_connect(int port);
/* Reads one response from an open keep-alive socket (needs Content-Length). */
int http_read_response(int fd, Response *out);

#endif
