/*
 * http.h — the built-in web server: requests, responses, the route table
 * and the server's limits.
 *
 * libmicrohttpd runs a thread pool; each request gets a Req with its own
 * arena (freed when the response is sent) and the thread's own Store.
 * Handlers never queue responses themselves: they fill req->out, status and
 * content type, or call http_error(); http.c does the rest (headers, gzip,
 * CSP, the page cache, access log).
 */
#ifndef HATCHERY_HTTP_H
#define HATCHERY_HTTP_H

#include <jansson.h>

#include "plan.h"
#include "store.h"
#include "util.h"

/* Roles (Role, model.h). A route lists the roles allowed to call it. */
#define ALLOW(r) (1u << (r))
#define ALLOW_ALL (ALLOW(ROLE_ANON) | ALLOW(ROLE_BASE) | ALLOW(ROLE_DEPARTMENT) | \
                   ALLOW(ROLE_AREA) | ALLOW(ROLE_VIEWER) | ALLOW(ROLE_ADMIN))
#define ALLOW_USERS (ALLOW_ALL & ~ALLOW(ROLE_ANON))

/* How a route's scope is read: which area, department or base the record
 * it touches belongs to. SCOPE_NONE: public data, no scope check. */
typedef enum {
	SCOPE_NONE = 0,    /* public to the route's roles */
	SCOPE_AREA,        /* {code} is an area: area users only their own */
	SCOPE_RECORD,      /* {id} is a record of the route's kind to change: area users their area's,
	                      base users their base's */
	SCOPE_RECORD_READ, /* {id} is a record of the route's kind to read: base users their base's only */
	SCOPE_RECOGNITION, /* {id} is an application for recognition: area users their area's */
	SCOPE_REPORT,      /* {org} (the third parameter) is a reporter (area code or base-ID) of a
	                      periodic report: area users their area and its bases, base users their base */
	SCOPE_EVENT,       /* {id} is an event (events.h) to change: area users their area's, base users
	                      the events their base hosts */
	SCOPE_POLICY_APP,  /* {id} is an application for policy support: area users their area's,
	                      base users their base's, viewers any */
	SCOPE_TASK,        /* {id} is a task to read: department and area users the tasks their unit leads
	                      or co-owns (an area those of 各镇街、功能区 too); leaders all */
	SCOPE_TASK_LEAD,   /* {id} is a task to answer: department and area users only where their unit leads */
	SCOPE_ATTACHMENT,  /* {id} is an evidence file: as its owner's task reads (SCOPE_TASK), as its
	                      policy application reads (SCOPE_POLICY_APP); an event's photos to every
	                      user (as the event); files of other owners only to the office and leaders */
} ScopeRule;

/* Route flags. */
enum {
	ROUTE_NO_CSRF = 1,                 /* login: no session yet (origin still checked) */
	ROUTE_BEFORE_PASSWORD_CHANGE = 2,  /* reachable while a generated password awaits change */
	ROUTE_CACHED = 4,                  /* GET whose answer depends only on the session, the address,
	                                      today and the database: kept in the page cache (http_cache.c) */
	ROUTE_SMALL_BODY = 8,              /* anyone may call it (login): body at most SMALL_BODY_BYTES */
};
#define SMALL_BODY_BYTES (8 * 1024)

typedef struct Server Server;

/* One decoded field of a form body or a query string. */
typedef struct FormField {
	const char *key, *value;
	size_t klen, vlen; /* decoded lengths: a %00 inside shows as more than strlen */
} FormField;

/* A file of a multipart/form-data body (multipart.h): its bytes point into
 * the request's body; filename "" when the file input was left empty. */
typedef struct FormFile {
	const char *key, *filename, *content_type;
	const unsigned char *data;
	size_t len;
} FormFile;

typedef struct Req {
	struct MHD_Connection *conn;
	Server *srv;
	const char *method;     /* GET, POST, ... (HEAD is served as GET) */
	const char *url;        /* the path, without the query string */
	Arena arena;            /* everything of this request; freed after the response */
	Store *store;           /* this thread's connection */
	const Plan *plan;       /* the loaded plan, shared and read-only */
	Role role;
	struct Session *session; /* NULL when not logged in */
	const char *params[4];  /* {name:type} parts of the matched route, in order, decoded and
	                           checked against their type (read them with req_param*) */
	int nparams;
	const char *param_names[4]; /* their names, in the route's pattern (not terminated) */
	int param_name_lens[4];
	long long param_nums[4];    /* the value of an {x:int} part */
	Buf body;               /* the request body */
	int body_too_big;
	size_t max_body;        /* this route's body limit (cfg.max_body_bytes, or SMALL_BODY_BYTES) */
	FormField *form;        /* the urlencoded body, or a multipart body's text parts, parsed on first use */
	int nform, form_parsed;
	FormFile *files;        /* a multipart body's files */
	int nfiles;
	const char *form_error; /* a multipart body that could not be read: why (input_check answers 400) */
	FormField *query;       /* conn NULL (a request made by fuzz/): the query's fields */
	int nquery;
	json_t *json_body;      /* the JSON body, parsed on first use; freed with the request */

	/* response */
	int status;
	const char *content_type;
	Buf out;
	const char *extra_headers[8][2];
	int nextra;
	int cacheable;          /* static assets: no "no-store" */
	struct PageCacheEntry *cached; /* the answer, from the page cache */
	const char *depends_area; /* the page shows this area's data only (req_depends_on_area) */
	int depends_all;          /* ... or it said it shows more */
	int parts_kept;           /* parts of the page written from memory (page_parts.c) */
	void *work_kept;          /* 工作台's memory of this user on this connection, once found (page_workbench.c) */
	const char *client_addr;

	/* a body made while it is sent (http_stream) */
	long (*stream_read)(void *cls, void *buf, size_t max);
	void (*stream_free)(void *cls);
	void *stream_cls;
	size_t streamed; /* bytes of a streamed answer sent so far, for the access log */

	const char *as_of;      /* pages: the 数据截至 date printed in the print frame (NULL: today) */
	double started;         /* monotonic seconds */
	const struct Route *route;
} Req;

typedef void (*Handler)(Req *r);

typedef struct Route {
	const char *method;     /* "GET", "POST", ... */
	const char *pattern;    /* "/areas/{code:area}": {name:type} matches one path segment of
	                           that type (http.c's param_types: int, area, indicator, code, file) */
	Handler handler;
	unsigned roles;         /* ALLOW(...) bits */
	ScopeRule scope;
	unsigned flags;         /* ROUTE_... */
	const char *summary;    /* one line for `hatchery help routes` */
	const struct Kind *kind; /* registry routes: the record kind they serve */
} Route;

extern const Route routes[];
extern const int route_count;

typedef struct ServerConfig {
	const char *db_path;
	const char *host;       /* numeric IPv4, e.g. 127.0.0.1 */
	int port;               /* 0: any free port */
	int threads;
	int max_connections;    /* beyond this, 503 */
	int timeout_seconds;    /* a connection idle this long is closed */
	int request_timeout_seconds; /* a request's headers and body must arrive within this, in all */
	int max_per_address;    /* connections at once from one client address; 0: no limit */
	size_t max_header_bytes;
	size_t max_body_bytes;
	int quiet;              /* no access log */
	int behind_https;       /* a TLS proxy in front: cookies get Secure */
	size_t page_cache_bytes; /* the page cache's bound; 0 turns it off */
	size_t page_parts_bytes; /* the kept parts of pages (page_parts.c); 0 turns them off */
} ServerConfig;

void server_config_defaults(ServerConfig *c);
/* Starts, prints "listening on http://HOST:PORT", blocks until SIGTERM or
 * SIGINT, then stops cleanly. Returns the process exit code. */
int server_run(const ServerConfig *c);

/* Request helpers. */
const char *req_query(Req *r, const char *key);        /* NULL when absent */

/* Typed values, the one place request numbers are read (no atoi on input).
 * Route parameters are checked against the type their pattern declares
 * before the route counts as matched: a value that fails is a 404 like an
 * unknown address. req_param_int gives an {x:int}'s value, already checked
 * (1 … 2^63−1); req_param the decoded text of any part. Asking for a name
 * the route does not declare is a programming error (fatal). */
long long req_param_int(const Req *r, const char *name);
const char *req_param(const Req *r, const char *name);
/* Query readers: absent or empty gives def. A value that is not a whole
 * decimal number in [min, max] (a real date; a year of the plan) answers 400
 * itself — the Chinese page or the API's error object, naming the parameter
 * and what it takes — and returns 0; 1 otherwise. The page and the API of a
 * feature call the same reader with the same range. */
int req_query_int(Req *r, const char *key, long long min, long long max, long long def, long long *out);
int req_query_date(Req *r, const char *key, const char *def, const char **out);
int req_query_plan_year(Req *r, const char *key, int def, int *out);
/* The paging of a list from ?limit=&offset=&page= (offset wins over page):
 * limit 1–1000 (default_limit when absent), offset from 0, page from 1 (0
 * reads as 1); an offset past 2^31−1 (?page=2147483647) is refused, never
 * an overflow. Answers 400 "bad_paging" itself and returns 0 when one is
 * bad. page may be NULL. */
int req_paging(Req *r, int default_limit, int *limit, int *offset, int *page);
const char *req_header(Req *r, const char *name);
/* The path with its query string as sent ("/progress/x?year=2023"), in the arena. */
const char *req_path_and_query(Req *r);
int req_is_api(const Req *r);
int req_demo(const Req *r);                            /* database holds demo data */
int req_behind_https(const Req *r);
/* A field of an application/x-www-form-urlencoded body; NULL when absent. */
const char *req_form(Req *r, const char *key);
/* The first file of a multipart/form-data body sent as field key; NULL when
 * none was sent or the input was left empty (no name, no bytes). */
const FormFile *req_file(Req *r, const char *key);
/* Splits urlencoded text ("a=1&b=%E4%B8%AD") into decoded fields in a;
 * returns their number. req_form's parser, callable alone (fuzz/). */
int http_form_parse(Arena *a, const char *text, FormField **fields);
/* Every value of a repeated field (checkboxes), in order; the count (the
 * array in the request's arena). */
int req_form_all(Req *r, const char *key, const char ***out);
/* The JSON object of the body; NULL after answering 400 when it is not one. */
json_t *req_json(Req *r);
void req_add_header(Req *r, const char *name, const char *value);
/* A handler says what its page shows, for the page cache (http_cache.c):
 * only the data of one area and the areas under it, and what is in no area
 * (the plan, targets, rules, operators, users) — a change elsewhere keeps
 * the page; it must show no audit row. Called again with another area, or
 * req_depends_on_all (anything, the default), the page depends on all. */
void req_depends_on_area(Req *r, const char *area);
void req_depends_on_all(Req *r);
/* The memory of page parts every session shares (page_parts.h); NULL when off. */
struct PageCache *req_page_parts(Req *r);
/* After a miss of cache c at stamp: when the stamp is older than the
 * newest c has seen, reads it again (outside a transaction) and, when the
 * database went back, drops what c holds (page_cache_went_back). */
void req_cache_behind(Req *r, struct PageCache *c, long long stamp);
/* The route for r->method and r->url (r->params filled); NULL when none,
 * *path_matched telling a 405 (allow lists the methods) from a 404. */
const Route *http_route_find(Req *r, int *path_matched, Buf *allow);

/* Responses. */
void http_json(Req *r, int status, json_t *body);      /* takes the reference */
/* An error in the shape the caller expects: {"error":{code,message}} for
 * the API, a Chinese page otherwise. message is Chinese and says what to do. */
void http_error(Req *r, int status, const char *code, const char *message);
/* The page for such an error: the page layer registers its renderer
 * (page_error) before server_run, so the server writes no HTML itself;
 * without one, errors for people are plain text. */
/* A body too large to hold, made while it is sent: libmicrohttpd asks
 * read(cls, buf, max) for the next bytes as the client takes them
 * (chunked), until it answers 0 (the end) or -1 (failed: the connection is
 * closed, so the client sees an incomplete answer, never a whole one).
 * free(cls) is called once in every case: after the end, after a failure,
 * when the client goes away midway, or when the answer is never sent. The
 * status, content type and headers are the request's as usual; cls must
 * not use the request's memory (it may outlive the request). */
void http_stream(Req *r, long (*read)(void *cls, void *buf, size_t max), void (*free)(void *cls), void *cls);
/* The database file the server serves (for a connection of one's own). */
const char *http_db_path(const Req *r);
/* Counts the streams of a kind running at once: 1 and counted when fewer
 * than max run, 0 when not (answer 503); http_stream_slot_release in the
 * stream's free. */
int http_stream_slot_take(int *counter, int max);
void http_stream_slot_release(int *counter);

typedef void (*ErrorPage)(Req *r, int status, const char *code, const char *message);
void http_set_error_page(ErrorPage render);

#endif
