/*
 * client.c — see client.h. Plain POSIX sockets and zlib; no libcurl.
 */
#include "client.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <sqlite3.h>
#include <zlib.h>

static void die(const char *what)
{
	fprintf(stderr, "test harness: %s: %s\n", what, strerror(errno));
	exit(1);
}

static const char *bin(void)
{
	const char *b = getenv("HATCHERY_BIN");
	return b && *b ? b : "build/hatchery";
}

static void start_on(TestServer *t, const char *const *extra_args, int logged, const char *scale)
{
	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/hatchery-http-XXXXXX");
	if (!mkdtemp(t->dir))
		die("mkdtemp");
	snprintf(t->db, sizeof t->db, "%s/test.db", t->dir);
	if (logged)
		snprintf(t->log, sizeof t->log, "%s/server.log", t->dir);
	char cmd[1024];
	if (scale)
		snprintf(cmd, sizeof cmd, "HATCHERY_ADMIN_PASSWORD=%s '%s' gen --db '%s' --scale %s >/dev/null", TEST_ADMIN_PASSWORD,
		         bin(), t->db, scale);
	else
		snprintf(cmd, sizeof cmd, "HATCHERY_ADMIN_PASSWORD=%s '%s' init --db '%s' --demo >/dev/null", TEST_ADMIN_PASSWORD,
		         bin(), t->db);
	if (system(cmd) != 0)
		die(scale ? "hatchery gen" : "hatchery init --demo");
	int fds[2];
	if (pipe(fds) != 0)
		die("pipe");
	t->pid = fork();
	if (t->pid < 0)
		die("fork");
	if (t->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		if (logged) {
			int lf = open(t->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (lf < 0)
				_exit(126);
			dup2(lf, 2);
			close(lf);
		}
		const char *argv[32] = {bin(), "serve", "--db", t->db, "--listen", "127.0.0.1:0", "--quiet"};
		int n = logged ? 6 : 7;
		for (int i = 0; extra_args && extra_args[i] && n < 30; i++)
			argv[n++] = extra_args[i];
		argv[n] = NULL;
		execv(bin(), (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	/* The first line says where it listens: "... listening on http://127.0.0.1:PORT". */
	char line[256];
	size_t len = 0;
	while (len < sizeof line - 1) {
		ssize_t k = read(fds[0], line + len, 1);
		if (k <= 0)
			break;
		if (line[len++] == '\n')
			break;
	}
	line[len] = 0;
	close(fds[0]);
	const char *colon = strrchr(line, ':');
	t->port = colon ? atoi(colon + 1) : 0;
	if (t->port <= 0) {
		fprintf(stderr, "test harness: server did not say where it listens: \"%s\"\n", line);
		exit(1);
	}
}

static void start(TestServer *t, const char *const *extra_args, int logged)
{
	start_on(t, extra_args, logged, NULL);
}

void server_start_gen(TestServer *t, const char *scale, int logged)
{
	start_on(t, NULL, logged, scale);
}

void server_start(TestServer *t, const char *const *extra_args)
{
	start(t, extra_args, 0);
}

void server_start_logged(TestServer *t, const char *const *extra_args)
{
	start(t, extra_args, 1);
}

void server_add_user(TestServer *t, const char *name, const char *role, const char *scope)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "HATCHERY_PASSWORD='%s' '%s' user add --db '%s' '%s' --keep-password --role %s%s%s >/dev/null",
	         TEST_USER_PASSWORD, bin(), t->db, name, role, scope ? " --scope " : "", scope ? scope : "");
	if (system(cmd) != 0) {
		fprintf(stderr, "test harness: %s\n", cmd);
		exit(1);
	}
}

int server_stop(TestServer *t)
{
	int st = 0, rc = -1;
	if (t->pid > 0) {
		kill(t->pid, SIGTERM);
		for (int i = 0; i < 100; i++) {
			pid_t w = waitpid(t->pid, &st, WNOHANG);
			if (w == t->pid) {
				rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
				break;
			}
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (rc == -1) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &st, 0);
		}
	}
	char cmd[512];
	if (t->log[0]) {
		/* a sanitizer's report in the server's log must not go unseen */
		snprintf(cmd, sizeof cmd, "grep -A40 -E 'Sanitizer|runtime error' '%s' >&2", t->log);
		if (system(cmd) == 0)
			rc = -1;
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test harness: could not remove %s\n", t->dir);
	return rc;
}

static char source_addr[INET_ADDRSTRLEN];

void http_set_source(const char *addr)
{
	snprintf(source_addr, sizeof source_addr, "%s", addr ? addr : "");
}

int http_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (source_addr[0]) {
		struct sockaddr_in src = {0};
		src.sin_family = AF_INET;
		if (inet_pton(AF_INET, source_addr, &src.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
			close(fd);
			return -1;
		}
	}
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

char *response_header(const Response *r, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = r->headers; p && *p;) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			break;
		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			return strndup(v, (size_t)(eol - v));
		}
		p = eol + 2;
	}
	return NULL;
}

static int gunzip(const char *in, size_t n, char **out, size_t *outlen)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return -1;
	size_t cap = n * 8 + 1024, len = 0;
	char *buf = malloc(cap);
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)n;
	int rc;
	do {
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		zs.next_out = (unsigned char *)buf + len;
		zs.avail_out = (uInt)(cap - len - 1);
		rc = inflate(&zs, Z_NO_FLUSH);
		len = zs.total_out;
	} while (rc == Z_OK);
	inflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	buf[len] = 0;
	*out = buf;
	*outlen = len;
	return 0;
}

/* Splits raw bytes into status, headers and body; gunzips when marked. */
static int parse_response(char *raw, size_t n, Response *out)
{
	memset(out, 0, sizeof *out);
	char *end = strstr(raw, "\r\n\r\n");
	if (!end || sscanf(raw, "HTTP/1.%*d %d", &out->status) != 1)
		return -1;
	char *first_eol = strstr(raw, "\r\n");
	out->headers = strndup(first_eol + 2, (size_t)(end + 2 - (first_eol + 2)));
	const char *body = end + 4;
	size_t blen = n - (size_t)(body - raw);
	/* a body sent while it was made (chunked): joined; out->incomplete when
	 * the last (empty) chunk never came, as when the server gave up midway */
	char *te = response_header(out, "Transfer-Encoding");
	char *joined = NULL;
	if (te && strcasecmp(te, "chunked") == 0) {
		joined = malloc(blen + 1);
		size_t jn = 0, at = 0;
		out->incomplete = 1;
		while (at < blen) {
			char *eol = strstr(body + at, "\r\n");
			if (!eol)
				break;
			size_t size = strtoul(body + at, NULL, 16);
			at = (size_t)(eol + 2 - body);
			if (size == 0) {
				out->incomplete = 0;
				break;
			}
			if (at + size + 2 > blen)
				break;
			memcpy(joined + jn, body + at, size);
			jn += size;
			at += size + 2;
		}
		body = joined;
		blen = jn;
	}
	free(te);
	char *enc = response_header(out, "Content-Encoding");
	if (enc && strcmp(enc, "gzip") == 0) {
		out->gzipped = 1;
		if (gunzip(body, blen, &out->body, &out->body_len) != 0) {
			free(enc);
			free(joined);
			return -1;
		}
	} else {
		out->body = malloc(blen + 1);
		memcpy(out->body, body, blen);
		out->body[blen] = 0;
		out->body_len = blen;
	}
	free(enc);
	free(joined);
	return 0;
}

int http_request(int port, const char *method, const char *path, const char *headers,
                 const char *body, size_t body_len, Response *out)
{
	int fd = http_connect(port);
	if (fd < 0)
		return -1;
	size_t hcap = 256 + strlen(method) + strlen(path) + (headers ? strlen(headers) : 0);
	char *head = malloc(hcap);
	int hl = snprintf(head, hcap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s", method,
	                  path, port, headers ? headers : "");
	if (body)
		hl += snprintf(head + hl, hcap - (size_t)hl, "Content-Length: %zu\r\n", body_len);
	hl += snprintf(head + hl, hcap - (size_t)hl, "\r\n");
	/* The server may answer and close before taking a large request: ignore send errors. */
	if (send_all(fd, head, (size_t)hl) == 0 && body)
		send_all(fd, body, body_len);
	free(head);
	size_t cap = 65536, n = 0;
	char *raw = malloc(cap);
	for (;;) {
		if (cap - n < 4096) {
			cap *= 2;
			raw = realloc(raw, cap);
		}
		ssize_t k = recv(fd, raw + n, cap - n - 1, 0);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	raw[n] = 0;
	int rc = parse_response(raw, n, out);
	free(raw);
	return rc;
}

int http_read_response(int fd, Response *out)
{
	size_t cap = 65536, n = 0;
	char *raw = malloc(cap);
	size_t need = 0;
	for (;;) {
		if (cap - n < 4096) {
			cap *= 2;
			raw = realloc(raw, cap);
		}
		ssize_t k = recv(fd, raw + n, cap - n - 1, 0);
		if (k <= 0)
			break;
		n += (size_t)k;
		raw[n] = 0;
		char *end = strstr(raw, "\r\n\r\n");
		if (end && !need) {
			char *cl = strcasestr(raw, "\r\nContent-Length:");
			if (!cl || cl > end)
				break;
			need = (size_t)(end + 4 - raw) + (size_t)strtoul(cl + 17, NULL, 10);
		}
		if (need && n >= need)
			break;
	}
	raw[n] = 0;
	int rc = parse_response(raw, n, out);
	free(raw);
	return rc;
}

void response_free(Response *r)
{
	free(r->headers);
	free(r->body);
	memset(r, 0, sizeof *r);
}

int http_login(int port, const char *user, const char *password, Login *l)
{
	memset(l, 0, sizeof *l);
	char body[256];
	snprintf(body, sizeof body, "{\"user\":\"%s\",\"password\":\"%s\"}", user, password);
	Response r;
	if (http_request(port, "POST", "/api/v1/session", "Content-Type: application/json\r\n", body, strlen(body), &r) != 0)
		return -1;
	l->status = r.status;
	char *cookie = response_header(&r, "Set-Cookie");
	const char *tok = r.body ? strstr(r.body, "\"csrf_token\":\"") : NULL;
	int ok = r.status == 200 && cookie && tok;
	if (ok) {
		char *semi = strchr(cookie, ';');
		if (semi)
			*semi = 0;
		snprintf(l->cookie, sizeof l->cookie, "Cookie: %s\r\n", cookie);
		sscanf(tok + 14, "%95[^\"]", l->csrf);
	}
	free(cookie);
	response_free(&r);
	return ok ? 0 : -1;
}

int http_as(int port, const Login *l, const char *method, const char *path, const char *body, Response *out)
{
	char headers[512];
	int safe = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	snprintf(headers, sizeof headers, "%s%s%s%s%s", l ? l->cookie : "", l && !safe ? "X-CSRF-Token: " : "",
	         l && !safe ? l->csrf : "", l && !safe ? "\r\n" : "", body ? "Content-Type: application/json\r\n" : "");
	return http_request(port, method, path, headers, body, body ? strlen(body) : 0, out);
}

Login http_login_user(int port, const char *name)
{
	Login l;
	if (http_login(port, name, TEST_USER_PASSWORD, &l) != 0)
		fail_msg("login %s: status %d", name, l.status);
	return l;
}

void server_db_exec(const TestServer *t, const char *sql)
{
	sqlite3 *db;
	if (sqlite3_open(t->db, &db) != SQLITE_OK)
		fail_msg("open %s: %s", t->db, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
	sqlite3_close(db);
}

long long server_db_num(const TestServer *t, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("open %s: %s", t->db, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

json_t *http_records_by_id(int port, const Login *l, const char *kind)
{
	json_t *out = json_object();
	for (long long offset = 0;; offset += 1000) {
		char path[128];
		snprintf(path, sizeof path, "/api/v1/%s?limit=1000&offset=%lld", kind, offset);
		Response r;
		if (http_as(port, l, "GET", path, NULL, &r) != 0 || r.status != 200)
			fail_msg("%s: status %d", path, r.status);
		json_t *j = json_loads(r.body, 0, NULL);
		response_free(&r);
		if (!j)
			fail_msg("%s: not JSON", path);
		json_t *items = json_object_get(j, "items"), *x;
		size_t i;
		json_array_foreach(items, i, x) {
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(x, "id")));
			json_object_set(out, id, x);
		}
		size_t n = json_array_size(items);
		json_decref(j);
		if (n < 1000)
			return out;
	}
}
