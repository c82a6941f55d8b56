/*
 * outbox.c — messages out (催报 reminders) to the city's messaging gateway
 * (e.g. 浙政钉) through a webhook. The workflows write a message into the
 * outbox table in the same transaction as the action (reports.c); here a
 * sender posts each due message to the URL of the setting webhook_url
 * (plain http://, the gateway inside the government network), with the
 * header Idempotency-Key (also in the body): a crash between the post and
 * marking it sent repeats the post with the same key, which the gateway
 * drops, so a message is neither lost nor doubled. A refused or failed post
 * is tried again after 30 s, 1 min, 2 min, ... (at most an hour), and
 * marked failed after 8 tries.
 *
 * The server runs the sender in a thread of its own (outbox_start); the
 * command line sends once (`hatchery outbox send`).
 */
#include "outbox.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "forms.h"
#include "store_reports.h"

#define OUTBOX_MAX_TRIES 8
#define OUTBOX_TIMEOUT_S 5

/* Splits http://HOST[:PORT]/PATH; 0 when it is not such a URL. */
static int parse_url(const char *url, char *host, size_t hostsz, char *port, size_t portsz, const char **path)
{
	if (!url || strncmp(url, "http://", 7))
		return 0;
	const char *h = url + 7, *slash = strchr(h, '/');
	size_t hl = slash ? (size_t)(slash - h) : strlen(h);
	const char *colon = memchr(h, ':', hl);
	size_t nl = colon ? (size_t)(colon - h) : hl;
	if (nl == 0 || nl >= hostsz)
		return 0;
	memcpy(host, h, nl);
	host[nl] = 0;
	if (colon) {
		size_t pl = hl - nl - 1;
		if (pl == 0 || pl >= portsz || strspn(colon + 1, "0123456789") < pl)
			return 0;
		memcpy(port, colon + 1, pl);
		port[pl] = 0;
	} else {
		snprintf(port, portsz, "80");
	}
	*path = slash ? slash : "/";
	return 1;
}

int outbox_post(const char *url, const char *key, const char *body, char *err, size_t errsz)
{
	char host[256], port[8];
	const char *path;
	if (!parse_url(url, host, sizeof host, port, sizeof port, &path)) {
		snprintf(err, errsz, "webhook_url is not http://HOST[:PORT]/PATH");
		return -1;
	}
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int gai = getaddrinfo(host, port, &hints, &res);
	if (gai != 0) {
		snprintf(err, errsz, "cannot resolve %s: %s", host, gai_strerror(gai));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		struct timeval tv = {OUTBOX_TIMEOUT_S, 0};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errsz, "cannot connect to %s:%s", host, port);
		return -1;
	}
	Buf req = {0};
	buf_printf(&req,
	           "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json; charset=utf-8\r\n"
	           "Idempotency-Key: %s\r\nContent-Length: %zu\r\nConnection: close\r\nUser-Agent: hatchery\r\n\r\n%s",
	           path, host, key, strlen(body), body);
	size_t off = 0;
	int status = -1;
	while (off < req.len) {
		ssize_t k = send(fd, req.data + off, req.len - off, MSG_NOSIGNAL);
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	if (off == req.len) {
		char line[64];
		size_t n = 0;
		while (n < sizeof line - 1) {
			ssize_t k = recv(fd, line + n, 1, 0);
			if (k <= 0 || line[n] == '\n')
				break;
			n++;
		}
		line[n] = 0;
		if (!strncmp(line, "HTTP/1.", 7) && strlen(line) >= 12)
			status = digits_value(line + 9, 3);
		if (status < 100)
			snprintf(err, errsz, "no HTTP answer from %s:%s", host, port);
	} else {
		snprintf(err, errsz, "sending to %s:%s failed: %s", host, port, strerror(errno));
	}
	buf_free(&req);
	close(fd);
	return status;
}

static void iso(time_t t, char out[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int outbox_send_due(Store *s, const char *url, time_t now, int max, int *sent, int *failed)
{
	*sent = *failed = 0;
	char nowiso[21];
	iso(now, nowiso);
	for (int i = 0; i < max; i++) {
		Arena a = {0};
		OutboxRec m;
		int found = store_outbox_next(s, &a, nowiso, &m);
		if (found <= 0) {
			arena_free(&a);
			return found < 0 ? H_ERR : H_OK;
		}
		char err[256] = "";
		int st = outbox_post(url, m.key, m.body, err, sizeof err);
		int ok = st >= 200 && st < 300;
		int tries = m.attempts + 1;
		char next[21];
		long wait = 30L << (tries - 1 < 7 ? tries - 1 : 7);
		iso(now + (wait > 3600 ? 3600 : wait), next);
		if (!ok && !*err)
			snprintf(err, sizeof err, "the gateway answered %d", st);
		const char *status = ok ? "sent" : tries >= OUTBOX_MAX_TRIES ? "failed" : "pending";
		int rc = store_begin(s) == H_OK &&
		         store_outbox_result(s, m.id, status, tries, ok ? NULL : next, ok ? NULL : err, nowiso) == H_OK &&
		         store_commit(s) == H_OK;
		if (!rc)
			store_rollback(s);
		arena_free(&a);
		if (!rc)
			return H_ERR;
		if (ok)
			(*sent)++;
		else
			(*failed)++;
	}
	return H_OK;
}

/* ---- the sender thread ---- */

struct Outbox {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	char *db_path;
};

static void *sender(void *arg)
{
	Outbox *o = arg;
	char err[256];
	Store *s = store_open(o->db_path, 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hatchery: outbox: %s\n", err);
		return NULL;
	}
	pthread_mutex_lock(&o->lock);
	while (!o->stop) {
		pthread_mutex_unlock(&o->lock);
		Arena a = {0};
		const char *url = store_setting_get(s, &a, "webhook_url");
		if (url && *url) {
			int sent, failed;
			if (outbox_send_due(s, url, time(NULL), 100, &sent, &failed) != H_OK)
				fprintf(stderr, "hatchery: outbox: %s\n", store_errmsg(s));
		}
		arena_free(&a);
		pthread_mutex_lock(&o->lock);
		if (o->stop)
			break;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		pthread_cond_timedwait(&o->wake, &o->lock, &until);
	}
	pthread_mutex_unlock(&o->lock);
	store_close(s);
	return NULL;
}

Outbox *outbox_start(const char *db_path)
{
	Outbox *o = xcalloc(1, sizeof *o);
	o->db_path = xstrdup(db_path);
	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->wake, NULL);
	if (pthread_create(&o->thread, NULL, sender, o) != 0) {
		free(o->db_path);
		free(o);
		return NULL;
	}
	return o;
}

void outbox_stop(Outbox *o)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->lock);
	o->stop = 1;
	pthread_cond_signal(&o->wake);
	pthread_mutex_unlock(&o->lock);
	pthread_join(o->thread, NULL);
	pthread_mutex_destroy(&o->lock);
	pthread_cond_destroy(&o->wake);
	free(o->db_path);
	free(o);
}
