/*
 * http.c — the server around libmicrohttpd: limits, routing, per-thread
 * stores, security headers, gzip, the access log and clean shutdown.
 *
 * Limits and how each is answered:
 *   header size  MHD_OPTION_CONNECTION_MEMORY_LIMIT: libmicrohttpd answers
 *                431 (or 414 for a long URI) itself;
 *   body size    413 with the error object, from Content-Length or while reading;
 *   connections  above max_connections, 503 with Retry-After; libmicrohttpd's
 *                own hard limit (max + 32) refuses further sockets;
 *   per address  MHD_OPTION_PER_IP_CONNECTION_LIMIT: a client address may
 *                hold max_per_address connections at once; libmicrohttpd
 *                closes any more at once (slowloris from one address);
 *   idle clients MHD_OPTION_CONNECTION_TIMEOUT closes a connection idle
 *                that long;
 *   slow clients a request's headers and body must all arrive within
 *                request_timeout_seconds of its start (or of the previous
 *                answer on a kept-alive connection), however steadily they
 *                trickle: the watchdog thread shuts such sockets down.
 */
#include "http.h"
#include "html.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "store_checkpoint.h"
#include "http_cache.h"
#include "http_input.h"
#include "html.h"
#include "registry.h"
#include "outbox.h"
#include "session.h"

struct Server {
	ServerConfig cfg;
	struct MHD_Daemon *daemon;
	Arena plan_arena;
	const Plan *plan;
	int demo;
	pthread_key_t store_key;
	atomic_int open_connections;
	PageCache *page_cache;  /* NULL when turned off */
	PageCache *page_parts;  /* parts of pages every session shares (page_parts.c); NULL: off */
	/* The watchdog over slow requests: every connection, and when what it
	 * is receiving started (see ConnWatch). */
	pthread_mutex_t watch_lock;
	struct ConnWatch *watching;
	pthread_t watchdog;
	int watchdog_stop;
	pthread_cond_t watchdog_wake;
	Checkpointer *checkpointer; /* the WAL checkpoints, off the requests */
};

void server_config_defaults(ServerConfig *c)
{
	memset(c, 0, sizeof *c);
	c->host = "127.0.0.1";
	c->port = 8080;
	c->threads = 4;
	c->max_connections = 1000;
	c->timeout_seconds = 30;
	c->request_timeout_seconds = 120;
	c->max_per_address = 64;
	c->max_header_bytes = 32 * 1024;
	c->max_body_bytes = 16 * 1024 * 1024;
	c->page_cache_bytes = 16 * 1024 * 1024;
	c->page_parts_bytes = 8 * 1024 * 1024;
}

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- request helpers ---- */


int req_is_api(const Req *r)
{
	return strncmp(r->url, "/api/", 5) == 0;
}

int req_demo(const Req *r)
{
	return r->srv->demo;
}

int req_behind_https(const Req *r)
{
	return r->srv->cfg.behind_https;
}

void req_depends_on_area(Req *r, const char *area)
{
	if (!area || (r->depends_area && strcmp(r->depends_area, area) != 0))
		r->depends_all = 1;
	else if (!r->depends_area)
		r->depends_area = arena_strdup(&r->arena, area);
}

void req_depends_on_all(Req *r)
{
	r->depends_all = 1;
}

void req_cache_behind(Req *r, struct PageCache *c, long long stamp)
{
	if (!page_cache_behind(c, stamp) || store_in_transaction(r->store))
		return;
	/* read again now: a request behind another reads a newer one; a
	 * database that went back reads an older one than the cache has seen
	 * (a commit between this read and the call below makes the cache drop
	 * everything once more than needed, never keep a page too long) */
	page_cache_went_back(c, store_data_stamp(r->store));
}

struct PageCache *req_page_parts(Req *r)
{
	return r->srv ? r->srv->page_parts : NULL;
}

void req_add_header(Req *r, const char *name, const char *value)
{
	if (r->nextra >= (int)ARRAY_LEN(r->extra_headers))
		fatal("too many response headers");
	r->extra_headers[r->nextra][0] = arena_strdup(&r->arena, name);
	r->extra_headers[r->nextra][1] = arena_strdup(&r->arena, value);
	r->nextra++;
}

/* A JSON answer. body NULL (a json_pack() or json_string() that refused a
 * value: text that is not UTF-8) or a body json_dumps() cannot write is an
 * error of ours, answered 500 with the error object and logged — never an
 * abort: a value in the data must not stop the server. */
void http_json(Req *r, int status, json_t *body)
{
	int refused = !body;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	buf_reset(&r->out);
	r->content_type = "application/json; charset=utf-8";
	if (!text) {
		/* the route's pattern, not the URL: nothing the client wrote reaches the log */
		fprintf(stderr, "hatchery: %s %s: the answer could not be written as JSON (%s)\n", r->method,
		        r->route ? r->route->pattern : "-", refused ? "a value was refused" : "json_dumps failed");
		buf_puts(&r->out, "{\"error\":{\"code\":\"internal\",\"message\":"
		                  "\"服务器无法生成这份数据，已记录该问题；请稍后再试，或联系管理员。\"}}");
		r->status = 500;
		return;
	}
	buf_puts(&r->out, text);
	free(text);
	r->status = status;
}

/* The page layer's error page (http_set_error_page); NULL: plain text. */
static ErrorPage error_page;

void http_set_error_page(ErrorPage render)
{
	error_page = render;
}

void http_error(Req *r, int status, const char *code, const char *message)
{
	if (req_is_api(r)) {
		http_json(r, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
		return;
	}
	buf_reset(&r->out);
	if (error_page) {
		error_page(r, status, code, message);
		return;
	}
	r->status = status;
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->out, message);
}

/* ---- per-thread store ---- */

static void store_key_destroy(void *p)
{
	store_close(p);
}

/* The calling thread's Store, opened on its first request. */
static Store *thread_store(Server *srv, char *err, size_t errsz)
{
	Store *s = pthread_getspecific(srv->store_key);
	if (!s) {
		s = store_open(srv->cfg.db_path, 0, err, errsz);
		if (s) {
			checkpointer_watch(srv->checkpointer, s);
			pthread_setspecific(srv->store_key, s);
		}
	}
	return s;
}

/* ---- typed values ---- */

/* Finds the route part called name; -1 when the route has none. */
static int param_index(const Req *r, const char *name)
{
	size_t len = strlen(name);
	for (int i = 0; i < r->nparams; i++)
		if ((size_t)r->param_name_lens[i] == len && !strncmp(r->param_names[i], name, len))
			return i;
	return -1;
}

long long req_param_int(const Req *r, const char *name)
{
	int i = param_index(r, name);
	if (i < 0 || r->param_nums[i] < 1)
		fatal("route %s has no {%s:int}", r->route ? r->route->pattern : "?", name);
	return r->param_nums[i];
}

const char *req_param(const Req *r, const char *name)
{
	int i = param_index(r, name);
	if (i < 0)
		fatal("route %s has no {%s}", r->route ? r->route->pattern : "?", name);
	return r->params[i];
}

/* ?key= as a whole number in [min, max] (def when absent or empty): 1, or
 * -1 when it is something else (nothing answered yet). */
static int query_int(Req *r, const char *key, long long min, long long max, long long def, long long *out)
{
	const char *v = req_query(r, key);
	if (!v || !*v) {
		*out = def;
		return 1;
	}
	return parse_int(v, min, max, out) ? 1 : -1;
}

int req_query_int(Req *r, const char *key, long long min, long long max, long long def, long long *out)
{
	if (query_int(r, key, min, max, def, out) > 0)
		return 1;
	char msg[256];
	snprintf(msg, sizeof msg, "%s 应为 %lld 到 %lld 之间的整数。", key, min, max);
	http_error(r, 400, arena_printf(&r->arena, "bad_%s", key), msg);
	return 0;
}

int req_paging(Req *r, int default_limit, int *limit, int *offset, int *page)
{
	long long lim, off, pg;
	if (query_int(r, "limit", 1, 1000, default_limit, &lim) < 0 || query_int(r, "offset", 0, INT_MAX, -1, &off) < 0 ||
	    query_int(r, "page", 0, INT_MAX, 1, &pg) < 0) {
		http_error(r, 400, "bad_paging", "limit 应为 1–1000，offset 不能为负，page 应为正整数。");
		return 0;
	}
	if (pg < 1)
		pg = 1;
	if (off < 0)
		off = (pg - 1) * lim; /* at most INT_MAX × 1000: no overflow in long long */
	if (off > INT_MAX) {
		http_error(r, 400, "bad_paging", "页码超出范围，请返回第 1 页。");
		return 0;
	}
	*limit = (int)lim;
	*offset = (int)off;
	if (page)
		*page = (int)pg;
	return 1;
}

int req_query_date(Req *r, const char *key, const char *def, const char **out)
{
	const char *v = req_query(r, key);
	if (!v || !*v) {
		*out = def;
		return 1;
	}
	if (date_valid(v)) {
		*out = arena_strdup(&r->arena, v);
		return 1;
	}
	char msg[256];
	snprintf(msg, sizeof msg, "%s 应为日期，格式 年-月-日，例如 2023-06-30。", key);
	http_error(r, 400, arena_printf(&r->arena, "bad_%s", key), msg);
	return 0;
}

int req_query_plan_year(Req *r, const char *key, int def, int *out)
{
	const char *v = req_query(r, key);
	long long y;
	if (!v || !*v) {
		*out = def;
		return 1;
	}
	if (parse_int(v, 1900, 2200, &y))
		for (int i = 0; i < r->plan->nyears; i++)
			if (r->plan->years[i] == y) {
				*out = (int)y;
				return 1;
			}
	char msg[256];
	snprintf(msg, sizeof msg, "%s 应为规划年份之一（%d–%d）。", key, r->plan->years[0],
	         r->plan->years[r->plan->nyears - 1]);
	http_error(r, 400, arena_printf(&r->arena, "bad_%s", key), msg);
	return 0;
}

/* The types a route part may declare ("{id:int}"), each a check of the
 * decoded value; a value that fails makes the route not match. */
static int type_code(const Plan *plan, const char *v, long long *num);

static int type_int(const Plan *plan, const char *v, long long *num)
{
	(void)plan;
	return v[0] != '0' && parse_int(v, 1, LLONG_MAX, num); /* no sign, no leading zero: one URL per record */
}

/* Without a plan (a request made by fuzz/), any code passes. */
static int type_area(const Plan *plan, const char *v, long long *num)
{
	return plan ? plan_area(plan, v) != NULL : type_code(plan, v, num);
}

static int type_indicator(const Plan *plan, const char *v, long long *num)
{
	return plan ? plan_indicator(plan, v) != NULL : type_code(plan, v, num);
}

/* A code of the program's own making: letters, digits, '-', '_'; 1–64 bytes. */
static int type_code(const Plan *plan, const char *v, long long *num)
{
	(void)plan;
	(void)num;
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
	return n >= 1 && n <= 64 && !v[n];
}

/* A file name of the embedded assets: a code with dots, not starting with one. */
static int type_file(const Plan *plan, const char *v, long long *num)
{
	(void)plan;
	(void)num;
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
	return n >= 1 && n <= 64 && !v[n] && v[0] != '.';
}

/* Each type with the 404 it answers when a value fails it and no other
 * route takes the address. */
static const struct {
	const char *name;
	int (*check)(const Plan *plan, const char *v, long long *num);
	const char *code, *message;
} param_types[] = {
	{"int", type_int, "not_found", "地址中的编号应为正整数，请从列表中选择。"},
	{"area", type_area, "unknown_area", "没有这个区域，请从区域列表中选择（代码见 /api/v1/areas）。"},
	{"indicator", type_indicator, "unknown_indicator", "没有这个指标，请从规划中的指标选择。"},
	{"code", type_code, "not_found", "找不到该页面或资源，请检查地址是否正确。"},
	{"file", type_file, "not_found", "找不到该页面或资源，请检查地址是否正确。"},
};

/* The type named in "{name:type}" (p at '{', pend at '}'), or -1. */
static int param_type(const char *p, const char *pend, const char **name, int *name_len)
{
	const char *colon = memchr(p, ':', (size_t)(pend - p));
	if (!colon)
		return -1;
	*name = p + 1;
	*name_len = (int)(colon - p - 1);
	size_t tl = (size_t)(pend - colon - 1);
	for (int i = 0; i < (int)ARRAY_LEN(param_types); i++)
		if (strlen(param_types[i].name) == tl && !strncmp(param_types[i].name, colon + 1, tl))
			return i;
	return -1;
}

/* Every route part declares a known type: checked once when the server starts. */
static void routes_check_types(void)
{
	for (int i = 0; i < route_count; i++)
		for (const char *p = strchr(routes[i].pattern, '{'); p; p = strchr(p + 1, '{')) {
			const char *pend = strchr(p, '}'), *name;
			int len;
			if (!pend || param_type(p, pend, &name, &len) < 0 || len < 1)
				fatal("routes.c: %s %s: each {name:type} part needs a type of http.c's param_types",
				      routes[i].method, routes[i].pattern);
		}
}

static const char *log_escape(Arena *a, const char *s);

/* ---- routing ---- */

/* Matches url against pattern, each {name:type} part against its type; on
 * success (1) fills r->params (decoded), their names and the numbers of
 * ints. 0: no match; -1 - t: the address has the pattern's shape but a part
 * fails type t. */
static int route_match(Req *r, const char *pattern, const char *url)
{
	const char *p = pattern, *u = url;
	int np = 0, bad_type = -1;
	const char *params[4], *names[4];
	int name_lens[4];
	long long nums[4];
	while (*p && *u) {
		if (*p == '{') {
			const char *pend = strchr(p, '}');
			const char *uend = strchr(u, '/');
			if (!pend)
				return 0;
			size_t len = uend ? (size_t)(uend - u) : strlen(u);
			if (len == 0 || np >= 4)
				return 0;
			/* libmicrohttpd has decoded the path already: decoding again
			 * would read "%2531" as "1" */
			char *v = arena_alloc(&r->arena, len + 1);
			memcpy(v, u, len);
			int t = param_type(p, pend, &names[np], &name_lens[np]);
			nums[np] = 0;
			if (t < 0)
				return 0;
			if (bad_type < 0 && !param_types[t].check(r->plan, v, &nums[np]))
				bad_type = t;
			params[np++] = v;
			p = pend + 1;
			u += len;
		} else if (*p == *u) {
			p++;
			u++;
		} else {
			return 0;
		}
	}
	if (*p || *u)
		return 0;
	if (bad_type >= 0)
		return -1 - bad_type;
	memcpy(r->params, params, sizeof params);
	memcpy(r->param_names, names, sizeof names);
	memcpy(r->param_name_lens, name_lens, sizeof name_lens);
	memcpy(r->param_nums, nums, sizeof nums);
	r->nparams = np;
	return 1;
}

/* Finds the route; *path_matched tells a 405 from a 404, *bad_type (or -1)
 * the type a part of an address of a route's shape failed. */
static const Route *route_find(Req *r, int *path_matched, int *bad_type, Buf *allow)
{
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	*path_matched = 0;
	*bad_type = -1;
	for (int i = 0; i < route_count; i++) {
		int m = route_match(r, routes[i].pattern, r->url);
		if (m < 0 && *bad_type < 0)
			*bad_type = -1 - m;
		if (m <= 0)
			continue;
		*path_matched = 1;
		if (allow->len)
			buf_puts(allow, ", ");
		buf_puts(allow, routes[i].method);
		if (strcmp(routes[i].method, method) == 0)
			return &routes[i];
	}
	return NULL;
}

const Route *http_route_find(Req *r, int *path_matched, Buf *allow)
{
	int bad_type;
	return route_find(r, path_matched, &bad_type, allow);
}

/* One query parameter into the page cache's key, length-prefixed so that
 * no two different queries give the same key. */
static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	(void)kind;
	if (v)
		buf_printf(cls, "%zu:%s=%zu:%s&", strlen(k), k, strlen(v), v);
	else
		buf_printf(cls, "%zu:%s&", strlen(k), k);
	return MHD_YES;
}

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	Buf *b = cls;
	buf_putc(b, b->len && strchr(buf_str(b), '?') ? '&' : '?');
	url_escape(b, k);
	if (v) {
		buf_putc(b, '=');
		url_escape(b, v);
	}
	return MHD_YES;
}

const char *req_path_and_query(Req *r)
{
	Buf b = {0};
	buf_puts(&b, r->url);
	if (r->conn)
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_arg, &b);
	const char *out = arena_strdup(&r->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

/* The page cache's key: who asks (the session's token hash; "-" for a
 * visitor), the method, the path, every query parameter in the order sent,
 * and today's date (UTC+8). */
static void page_cache_key(Req *r, Buf *key)
{
	char today[11];
	date_today(today);
	buf_printf(key, "%s\n%s %s\n%s\n", r->session ? r->session->token_hash : "-", r->method, r->url, today);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, key);
}

/* After the handler: a write refused by a full or failing disk is
 * answered as such, whichever write it was and whatever the handler made
 * of it (mostly a 500); and every 5xx names its cause in the server's log. */
static void answer_store_trouble(Req *r)
{
	if (r->status < 500)
		return;
	if (store_disk_error(r->store)) {
		r->nextra = 0; /* no cookie or redirect of what did not happen */
		req_add_header(r, "Retry-After", "60");
		http_error(r, 507, "disk_full",
		           "服务器无法写入数据（磁盘已满或出错），刚才的操作没有保存。请稍后再试；若一再出现，请联系管理员检查服务器磁盘空间。");
	}
	fprintf(stderr, "hatchery: %s %s answered %d: %s\n", log_escape(&r->arena, r->method),
	        log_escape(&r->arena, r->url), r->status, store_errmsg(r->store));
}

static void dispatch(Req *r)
{
	Buf allow = {0};
	int path_matched, bad_type;
	r->plan = r->srv->plan; /* the route parts' types read it */
	const Route *rt = route_find(r, &path_matched, &bad_type, &allow);
	if (!rt) {
		if (path_matched) {
			req_add_header(r, "Allow", buf_str(&allow));
			http_error(r, 405, "method_not_allowed", "该地址不支持此请求方法。");
		} else if (bad_type >= 0) {
			/* a part of the address fails the type its route declares */
			http_error(r, 404, param_types[bad_type].code, param_types[bad_type].message);
		} else {
			http_error(r, 404, "not_found", "找不到该页面或资源，请检查地址是否正确。");
		}
		buf_free(&allow);
		return;
	}
	buf_free(&allow);
	r->route = rt;
	char err[512];
	r->store = thread_store(r->srv, err, sizeof err);
	if (!r->store) {
		fprintf(stderr, "hatchery: %s\n", err);
		http_error(r, 500, "store_unavailable", "数据库暂时无法打开，请稍后再试或联系管理员。");
		return;
	}
	r->plan = r->srv->plan;
	r->status = 200;
	store_disk_error_clear(r->store);
	/* Who is calling: a live session (checked on every request), or a visitor. */
	session_authenticate(r);
	/* A page this session was answered since the database last changed is
	 * answered again from memory (http_cache.c). Only 200 answers are kept,
	 * made after authz_check() let this session have this address at this
	 * data stamp; what that check reads — the session's user (role, scope,
	 * password to change), the route, the record's area or base — is the
	 * same while the session lives and the stamp stands, so it would let
	 * the request through again. */
	Buf key = {0};
	long long stamp = -1;
	int use_cache = r->srv->page_cache && (rt->flags & ROUTE_CACHED) && strcmp(r->method, "GET") == 0;
	if (use_cache) {
		page_cache_key(r, &key);
		/* read in the session's own statement: one read of the database */
		stamp = r->session ? r->session->data_stamp : store_data_stamp(r->store);
		char area[64];
		r->cached = page_cache_get_area(r->srv->page_cache, key.data, key.len, stamp, area, sizeof area);
		if (!r->cached && area[0]) {
			/* kept before a change, showing one area: served again when
			 * neither that area nor what is in no area has changed since */
			long long now, g, a;
			if (store_area_stamps(r->store, area, &now, &g, &a) == H_OK)
				r->cached = page_cache_confirm(r->srv->page_cache, key.data, key.len, stamp, g, a);
		}
		if (!r->cached)
			req_cache_behind(r, r->srv->page_cache, stamp);
		if (r->cached) {
			r->content_type = page_cache_content_type(r->cached);
			buf_free(&key);
			return;
		}
	}
	/* Whether the route lets them: one place (session.c). */
	if (!authz_check(r)) {
		buf_free(&key);
		return;
	}
	/* Text that is not UTF-8 goes no further (input_check). */
	if (!http_input_check(r)) {
		buf_free(&key);
		return;
	}
	rt->handler(r);
	store_rollback(r->store); /* a handler never leaves a transaction open */
	answer_store_trouble(r);
	if (use_cache && r->status == 200 && r->nextra == 0 && !r->cacheable) {
		long long now = -1, g = 0, a = 0;
		if (r->depends_area && !r->depends_all &&
		    store_area_stamps(r->store, r->depends_area, &now, &g, &a) == H_OK && now == stamp)
			/* nothing changed while the page was made: it shows the state
			 * these stamps stand for */
			page_cache_put_area(r->srv->page_cache, key.data, key.len, stamp, r->depends_area, g, a,
			                    r->content_type, r->out.data, r->out.len);
		else if (now < 0)
			page_cache_put(r->srv->page_cache, key.data, key.len, stamp, r->content_type, r->out.data, r->out.len);
	}
	buf_free(&key);
}

/* ---- responses ---- */

static int is_compressible(const char *ctype)
{
	return ctype && (strncmp(ctype, "text/", 5) == 0 || strstr(ctype, "json") ||
	                 strstr(ctype, "javascript") || strstr(ctype, "svg"));
}

/* gzip-compresses in into a malloc'd buffer; NULL when it does not shrink. */
static unsigned char *gzip_bytes(const char *in, size_t n, size_t *outlen)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&zs, n);
	unsigned char *out = xmalloc(cap);
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	int rc = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.total_out >= n) {
		free(out);
		return NULL;
	}
	*outlen = zs.total_out;
	return out;
}

static int accepts_gzip(Req *r)
{
	const char *ae = req_header(r, "Accept-Encoding");
	return ae && strstr(ae, "gzip") != NULL;
}

/* libmicrohttpd is done with an answer from the page cache. */
static void release_cached(void *entry)
{
	page_cache_release(entry);
}

/* The answer from the page cache: its bytes are sent as they are (their
 * gzip form made once, by the first request that accepts it); the entry
 * lives until libmicrohttpd has sent them. */
static struct MHD_Response *cached_response(Req *r, int *gz)
{
	PageCache *c = r->srv->page_cache;
	PageCacheEntry *e = r->cached;
	size_t len;
	const char *body = page_cache_body(e, &len);
	*gz = 0;
	if (len > 512 && is_compressible(page_cache_content_type(e)) && accepts_gzip(r)) {
		size_t zlen;
		int tried;
		const char *z = page_cache_gzip(c, e, &zlen, &tried);
		if (!tried) {
			unsigned char *made = gzip_bytes(body, len, &zlen);
			page_cache_set_gzip(c, e, made, zlen);
			z = page_cache_gzip(c, e, &zlen, &tried);
		}
		if (z) {
			body = z;
			len = zlen;
			*gz = 1;
		}
	}
	r->out.len = len;
	r->cached = NULL; /* the response holds the reference now */
	struct MHD_Response *resp =
		MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)body, release_cached, e);
	if (!resp)
		page_cache_release(e);
	return resp;
}

void http_stream(Req *r, long (*read)(void *cls, void *buf, size_t max), void (*free_fn)(void *cls), void *cls)
{
	if (r->stream_free)
		r->stream_free(r->stream_cls);
	r->stream_read = read;
	r->stream_free = free_fn;
	r->stream_cls = cls;
	buf_reset(&r->out);
}

const char *http_db_path(const Req *r)
{
	return r->srv->cfg.db_path;
}

int http_stream_slot_take(int *counter, int max)
{
	if (__atomic_add_fetch(counter, 1, __ATOMIC_SEQ_CST) <= max)
		return 1;
	__atomic_sub_fetch(counter, 1, __ATOMIC_SEQ_CST);
	return 0;
}

void http_stream_slot_release(int *counter)
{
	__atomic_sub_fetch(counter, 1, __ATOMIC_SEQ_CST);
}

/* A stream's reader and its end, as libmicrohttpd calls them. */
typedef struct StreamCtx {
	long (*read)(void *cls, void *buf, size_t max);
	void (*free)(void *cls);
	void *cls;
	size_t *sent; /* the request's count: read only while the request lives */
	struct MHD_Connection *conn;
	unsigned idle_timeout; /* the server's --idle-timeout */
} StreamCtx;

/* Restarts the connection's idle clock. libmicrohttpd counts a connection
 * idle from the last byte it moved and checks that right after the handler
 * or a stream's reader returns, before it sends what they made: a piece of
 * a stream made in longer than --idle-timeout (an export's first piece is
 * its whole sort: a million rows take seconds, a minute under load) had
 * the connection closed before a byte of it was sent. The server's own
 * time is not the client's idleness; a client that takes nothing is still
 * cut (the reader is not called while the socket is full). libmicrohttpd
 * restarts the clock when a connection without a timeout is given one. */
static void idle_clock_restart(struct MHD_Connection *conn, unsigned timeout)
{
	if (!conn || !timeout)
		return;
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, timeout);
}

static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	StreamCtx *c = cls;
	long n = c->read(c->cls, buf, max);
	idle_clock_restart(c->conn, c->idle_timeout);
	if (n > 0) {
		*c->sent += (size_t)n;
		return (ssize_t)n;
	}
	return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
	StreamCtx *c = cls;
	c->free(c->cls);
	free(c);
}

static enum MHD_Result send_response(Req *r)
{
	size_t len = r->out.len;
	int gz = 0;
	struct MHD_Response *resp;
	if (r->stream_read && !r->cached) {
		StreamCtx *c = xcalloc(1, sizeof *c);
		c->read = r->stream_read;
		c->free = r->stream_free;
		c->cls = r->stream_cls;
		c->sent = &r->streamed;
		c->conn = r->conn;
		c->idle_timeout = (unsigned)r->srv->cfg.timeout_seconds;
		idle_clock_restart(c->conn, c->idle_timeout); /* the handler's time (an export's count) */
		r->stream_read = NULL;
		r->stream_free = NULL; /* the response owns it now */
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_reader, c, stream_free);
		if (!resp) {
			stream_free(c);
			return MHD_NO;
		}
		len = 0;
	} else if (r->cached) {
		if (!(resp = cached_response(r, &gz)))
			return MHD_NO;
		len = r->out.len;
		MHD_add_response_header(resp, "X-Page-Cache", "hit");
	} else {
		void *data = buf_detach(&r->out);
		if (len > 512 && is_compressible(r->content_type) && accepts_gzip(r)) {
			size_t zlen;
			unsigned char *z = gzip_bytes(data, len, &zlen);
			if (z) {
				free(data);
				data = z;
				len = zlen;
				gz = 1;
			}
		}
		resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		if (!resp) {
			free(data);
			return MHD_NO;
		}
	}
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	if (gz)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (is_compressible(r->content_type))
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (!r->cacheable)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	/* Scripts only from our own files: the pages have no inline script or
	 * style at all, so no nonce is needed (and a kept page stays valid). */
	if (r->content_type && strncmp(r->content_type, "text/html", 9) == 0)
		MHD_add_response_header(resp, "Content-Security-Policy",
		                        "default-src 'self'; script-src 'self'; style-src 'self'; "
		                        "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
		                        "form-action 'self'; frame-ancestors 'none'");
	for (int i = 0; i < r->nextra; i++)
		MHD_add_response_header(resp, r->extra_headers[i][0], r->extra_headers[i][1]);
	if (r->parts_kept && !r->cached) /* made with a kept part (page_parts.c): for the tests and the curious */
		MHD_add_response_header(resp, "X-Page-Part", "hit");
	r->out.len = len; /* remembered for the access log */
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* ---- the watchdog over slow requests ---- */

/* One per connection (its socket context), in Server.watching while open.
 * receiving: the connection is taking in a request (headers or body) and
 * has been since `since`; not while its answer is made and sent. */
typedef struct ConnWatch {
	struct MHD_Connection *conn;
	double since;
	int receiving, cut;
	struct ConnWatch *prev, *next;
} ConnWatch;

static ConnWatch *conn_watch(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The connection starts (receiving = 1) or stops (0) taking in a request. */
static void watch_receiving(Server *srv, struct MHD_Connection *conn, int receiving)
{
	ConnWatch *w = conn_watch(conn);
	if (!w)
		return;
	pthread_mutex_lock(&srv->watch_lock);
	w->receiving = receiving;
	w->since = now_mono();
	pthread_mutex_unlock(&srv->watch_lock);
}

/* Once a second, shuts down the sockets whose request has been arriving
 * for longer than the limit; libmicrohttpd then sees the end of the
 * stream and closes the connection itself. The lock is the one the
 * connection's CLOSED notice takes before the socket is closed, so a
 * socket shut down here is still this connection's. */
static void *watchdog_main(void *arg)
{
	Server *srv = arg;
	pthread_mutex_lock(&srv->watch_lock);
	while (!srv->watchdog_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&srv->watchdog_wake, &srv->watch_lock, &until);
		double now = now_mono(), limit = srv->cfg.request_timeout_seconds;
		for (ConnWatch *w = srv->watching; w && !srv->watchdog_stop; w = w->next) {
			if (!w->receiving || w->cut || now - w->since <= limit)
				continue;
			const union MHD_ConnectionInfo *ci = MHD_get_connection_info(w->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
			if (!ci)
				continue;
			w->cut = 1;
			shutdown(ci->connect_fd, SHUT_RDWR);
			if (!srv->cfg.quiet)
				fprintf(stderr, "hatchery: http: closed a connection whose request took over %d s to arrive\n",
				        srv->cfg.request_timeout_seconds);
		}
	}
	pthread_mutex_unlock(&srv->watch_lock);
	return NULL;
}

static void watchdog_end(Server *srv)
{
	pthread_mutex_lock(&srv->watch_lock);
	srv->watchdog_stop = 1;
	pthread_cond_signal(&srv->watchdog_wake);
	pthread_mutex_unlock(&srv->watch_lock);
	pthread_join(srv->watchdog, NULL);
}

/* ---- libmicrohttpd callbacks ---- */

static Req *req_new(Server *srv, struct MHD_Connection *conn, const char *url, const char *method)
{
	Req *r = xcalloc(1, sizeof *r);
	r->srv = srv;
	r->conn = conn;
	r->started = now_mono();
	r->url = arena_strdup(&r->arena, url);
	r->method = arena_strdup(&r->arena, method);
	r->role = ROLE_ANON;
	r->status = 200;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, addr, sizeof addr);
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, addr, sizeof addr);
	}
	r->client_addr = arena_strdup(&r->arena, addr);
	/* Behind the HTTPS proxy (a trusted hop on this machine), the client is
	 * the address the proxy appended last to X-Forwarded-For. */
	const char *xff = srv->cfg.behind_https ? req_header(r, "X-Forwarded-For") : NULL;
	if (xff && *xff) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		if (*last && strlen(last) < INET6_ADDRSTRLEN)
			r->client_addr = arena_strdup(&r->arena, last);
	}
	return r;
}

static const char *body_too_large_message(Req *r)
{
	return arena_printf(&r->arena, "请求内容过大，上限为 %zu 字节；请拆分后再提交。", r->max_body);
}

/* The body limit of the route the request is for: small for the routes
 * anyone may call (login), the server's limit otherwise. */
static size_t body_limit(Req *r)
{
	int matched;
	Buf allow = {0};
	const Route *rt = http_route_find(r, &matched, &allow);
	buf_free(&allow);
	return rt && (rt->flags & ROUTE_SMALL_BODY) ? SMALL_BODY_BYTES : r->srv->cfg.max_body_bytes;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	Server *srv = cls;
	Req *r = *con_cls;
	if (!r) {
		/* First call: headers only. Answer on a later call, so keep-alive holds. */
		r = req_new(srv, conn, url, method);
		*con_cls = r;
		r->max_body = body_limit(r);
		const char *cl = req_header(r, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->max_body) {
			/* Refuse before reading the body; libmicrohttpd closes the connection after. */
			watch_receiving(srv, conn, 0);
			r->body_too_big = 1;
			http_error(r, 413, "body_too_large", body_too_large_message(r));
			return send_response(r);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->body_too_big && r->body.len + *upload_data_size > r->max_body)
			r->body_too_big = 1;
		if (!r->body_too_big)
			buf_append(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	watch_receiving(srv, conn, 0); /* all of it is in: the answer is not timed */
	if (r->body_too_big) {
		http_error(r, 413, "body_too_large", body_too_large_message(r));
	} else if (atomic_load(&srv->open_connections) > srv->cfg.max_connections) {
		req_add_header(r, "Retry-After", "5");
		http_error(r, 503, "busy", "服务器繁忙，请稍后再试。");
	} else {
		dispatch(r);
	}
	return send_response(r);
}

/* A request's method or path for the access log: control characters,
 * quotes and backslashes as \xHH, so that a path cannot end the line or
 * the quoted field and forge another entry. At most 2,000 bytes of it. */
static const char *log_escape(Arena *a, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	if (n > 2000)
		n = 2000;
	char *out = arena_alloc(a, n * 4 + 4), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	if (n < strlen(s))
		*o++ = '.', *o++ = '.', *o++ = '.';
	*o = 0;
	return out;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	Server *srv = cls;
	Req *r = *con_cls;
	if (!r)
		return;
	if (!srv->cfg.quiet) {
		char when[21];
		time_now_iso(when);
		/* One line per request; a single fprintf keeps lines whole. */
		fprintf(stderr, "%s %s \"%s %s\" %d %zu %.1fms%s\n", when, log_escape(&r->arena, r->client_addr),
		        log_escape(&r->arena, r->method), log_escape(&r->arena, r->url),
		        r->status, r->out.len + r->streamed, (now_mono() - r->started) * 1000.0,
		        toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	}
	watch_receiving(srv, conn, 1); /* the next request on this connection, from now */
	page_cache_release(r->cached); /* answered otherwise (an error while sending) */
	if (r->stream_free)
		r->stream_free(r->stream_cls); /* a stream that never became a response */
	buf_free(&r->body);
	buf_free(&r->out);
	json_decref(r->json_body);
	arena_free(&r->arena);
	free(r);
	*con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	Server *srv = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add(&srv->open_connections, 1);
		ConnWatch *w = xcalloc(1, sizeof *w);
		w->conn = conn;
		w->since = now_mono();
		w->receiving = 1;
		pthread_mutex_lock(&srv->watch_lock);
		w->next = srv->watching;
		if (w->next)
			w->next->prev = w;
		srv->watching = w;
		pthread_mutex_unlock(&srv->watch_lock);
		*socket_context = w;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		atomic_fetch_sub(&srv->open_connections, 1);
		ConnWatch *w = *socket_context;
		if (w) {
			pthread_mutex_lock(&srv->watch_lock);
			if (w->prev)
				w->prev->next = w->next;
			else
				srv->watching = w->next;
			if (w->next)
				w->next->prev = w->prev;
			pthread_mutex_unlock(&srv->watch_lock);
			free(w);
			*socket_context = NULL;
		}
	}
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	fputs("hatchery: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- start and stop ---- */

int server_run(const ServerConfig *c)
{
	routes_check_types();
	Server *srv = xcalloc(1, sizeof *srv);
	srv->cfg = *c;
	char err[512];

	/* Check the database and load its plan once, before serving. */
	Store *s = store_open(c->db_path, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	const char *json = store_plan_json(s, &srv->plan_arena);
	if (!json) {
		fprintf(stderr, "hatchery: %s holds no plan: run `hatchery init --db %s` first\n", c->db_path,
		        c->db_path);
		store_close(s);
		return 1;
	}
	srv->plan = plan_parse(&srv->plan_arena, json, strlen(json), "stored plan", err, sizeof err);
	const char *demo = store_setting_get(s, &srv->plan_arena, "demo");
	srv->demo = demo && strcmp(demo, "1") == 0;
	store_close(s);
	if (!srv->plan) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)c->port);
	if (inet_pton(AF_INET, c->host, &addr.sin_addr) != 1) {
		fprintf(stderr, "hatchery: --listen: \"%s\" is not a numeric IPv4 address\n", c->host);
		return 2;
	}
	pthread_key_create(&srv->store_key, store_key_destroy);
	srv->page_cache = page_cache_new(c->page_cache_bytes);
	srv->page_parts = page_cache_new(c->page_parts_bytes);

	/* SIGINT and SIGTERM are taken by sigwait below; the pool threads
	 * inherit the blocked mask and never see them. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit (ulimit -f, systemd's LimitFSIZE) makes a write fail
	 * with an error that is answered and logged, not end the server. */
	signal(SIGXFSZ, SIG_IGN);
	/* after the mask: its thread must not take the signals either */
	if (!(srv->checkpointer = checkpointer_start(c->db_path, err, sizeof err))) {
		fprintf(stderr, "hatchery: %s\n", err);
		return 1;
	}
	Outbox *outbox = outbox_start(c->db_path); /* reminders to the webhook, when one is set */
	if (!outbox)
		fprintf(stderr, "hatchery: the outbox sender did not start; reminders wait in the outbox\n");

	pthread_mutex_init(&srv->watch_lock, NULL);
	pthread_cond_init(&srv->watchdog_wake, NULL);
	if (pthread_create(&srv->watchdog, NULL, watchdog_main, srv) != 0) {
		fprintf(stderr, "hatchery: cannot start a thread\n");
		checkpointer_stop(srv->checkpointer);
		return 1;
	}
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG, (uint16_t)c->port, NULL, NULL,
		on_request, srv,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)(c->max_connections + 32),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->timeout_seconds,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)c->max_per_address,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->max_header_bytes,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		MHD_OPTION_END);
	if (!srv->daemon) {
		fprintf(stderr, "hatchery: cannot listen on %s:%d: %s\n", c->host, c->port,
		        errno ? strerror(errno) : "the address may be in use");
		watchdog_end(srv);
		checkpointer_stop(srv->checkpointer);
		outbox_stop(outbox);
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	printf("hatchery %s: listening on http://%s:%u\n", HATCHERY_VERSION, c->host,
	       di ? (unsigned)di->port : (unsigned)c->port);
	fflush(stdout);

	int sig = 0;
	sigwait(&sigs, &sig);
	fprintf(stderr, "hatchery: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	watchdog_end(srv); /* before the connections go */
	MHD_stop_daemon(srv->daemon); /* waits for the pool threads; their stores close */
	checkpointer_stop(srv->checkpointer);
	outbox_stop(outbox);
	pthread_key_delete(srv->store_key);
	page_cache_free(srv->page_cache);
	page_cache_free(srv->page_parts);
	arena_free(&srv->plan_arena);
	free(srv);
	printf("hatchery: stopped\n");
	return 0;
}
