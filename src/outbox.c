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
 * With a secret set, each post is signed as DingTalk robots are (timestamp
 * and sign on the address). The office sets the address, the secret and
 * on/off on /admin/webhook (page_webhook.c), audited, and can send a test.
 *
 * The server runs the sender in a thread of its own (outbox_start); the
 * command line sends once (`hatchery outbox send`).
 */
#include "outbox.h"

#include <errno.h>
#include <jansson.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <sodium.h>

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

/* url with the gateway's signature appended (DingTalk robots' scheme, which
 * 浙政钉 follows): timestamp = Unix milliseconds, sign = URL-encoded
 * base64(HMAC-SHA256(key = secret, text = timestamp "\n" secret)). */
static char *signed_url(const char *url, const char *secret)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	char ts[32];
	snprintf(ts, sizeof ts, "%lld", (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000);
	Buf text = {0};
	buf_printf(&text, "%s\n%s", ts, secret);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)text.data, text.len);
	crypto_auth_hmacsha256_final(&st, mac);
	buf_free(&text);
	char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
	Buf u = {0};
	buf_printf(&u, "%s%stimestamp=%s&sign=", url, strchr(url, '?') ? "&" : "?", ts);
	for (const char *p = b64; *p; p++)
		if (*p == '+' || *p == '/' || *p == '=')
			buf_printf(&u, "%%%02X", (unsigned)(unsigned char)*p);
		else
			buf_printf(&u, "%c", *p);
	char *res = xstrdup(buf_str(&u));
	buf_free(&u);
	return res;
}

int outbox_post_signed(const char *url, const char *secret, const char *key, const char *body, char *err, size_t errsz)
{
	if (!secret || !*secret)
		return outbox_post(url, key, body, err, errsz);
	char *su = signed_url(url, secret);
	int st = outbox_post(su, key, body, err, errsz);
	free(su);
	return st;
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
		const char *secret = store_setting_get(s, &a, "webhook_secret");
		int st = outbox_post_signed(url, secret && *secret ? secret : NULL, m.key, m.body, err, sizeof err);
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

/* ---- the settings (the office's page /admin/webhook, the CLI) ---- */

const char *webhook_url_problem(const char *url)
{
	if (!url || !*url)
		return NULL;
	size_t n = strlen(url);
	if (n > 500)
		return "网关地址最多 500 个字符。";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' || (unsigned char)url[i] >= 0x7f)
			return "网关地址中不能有空格、中文或其他特殊字符，请填写形如 http://10.1.2.3:8080/robot/send 的地址。";
	if (!strncmp(url, "https://", 8))
		return "目前只支持以 http://开头的政务内网网关地址；加密连接请由网关或前置代理转接。";
	char host[256], port[8];
	const char *path;
	if (!parse_url(url, host, sizeof host, port, sizeof port, &path))
		return "网关地址应为以 http:// 开头的地址（可带端口和路径），如 http://10.1.2.3:8080/robot/send。";
	if (strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(host) || host[0] == '-' ||
	    host[0] == '.')
		return "网关地址的主机名只能由字母、数字、“.”和“-”组成。";
	long long p;
	if (!parse_int(port, 1, 65535, &p))
		return "网关地址的端口应为 1 至 65535。";
	return NULL;
}

/* A secret's problem in Chinese, NULL when it may be kept. */
static const char *secret_problem(const char *secret)
{
	size_t n = strlen(secret);
	if (n < 8 || n > 200)
		return "签名密钥应为 8 至 200 个字符（从网关的机器人设置中复制）。";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)secret[i] <= ' ' || (unsigned char)secret[i] >= 0x7f)
			return "签名密钥只能由字母、数字和符号组成，不能有空格或中文。";
	return NULL;
}

int webhook_settings_read(Store *s, Arena *a, WebhookSettings *out)
{
	memset(out, 0, sizeof *out);
	const char *url = store_setting_get(s, a, "webhook_url");
	const char *on = store_setting_get(s, a, "webhook_enabled");
	const char *secret = store_setting_get(s, a, "webhook_secret");
	out->url = url && *url ? url : NULL;
	/* a URL set before the switch existed (the command line) is on */
	out->enabled = out->url && (!on || strcmp(on, "0"));
	out->has_secret = secret && *secret;
	out->pending = store_outbox_count(s, "pending");
	out->sent = store_outbox_count(s, "sent");
	out->failed = store_outbox_count(s, "failed");
	return out->pending < 0 || out->sent < 0 || out->failed < 0 ? H_ERR : H_OK;
}

const char *webhook_active_url(Store *s, Arena *a)
{
	const char *url = store_setting_get(s, a, "webhook_url");
	const char *on = store_setting_get(s, a, "webhook_enabled");
	return url && *url && (!on || strcmp(on, "0")) ? url : NULL;
}

/* The settings as audit JSON: the secret never, only whether there is one. */
static char *settings_json(const char *url, int enabled, int has_secret)
{
	json_t *o = json_pack("{s:s?,s:b,s:b}", "webhook_url", url && *url ? url : NULL, "enabled", enabled, "secret_set",
	                      has_secret);
	char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return t;
}

DomResult webhook_settings_save(Store *s, const Actor *who, const char *url, int enabled, const char *secret,
                                int clear_secret)
{
	if (!who || who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden", "只有市专班办公室可以设置消息推送。");
	const char *bad = webhook_url_problem(url);
	if (bad)
		return dom_result(DOM_INVALID, "bad_url", bad);
	if (secret && *secret && (bad = secret_problem(secret)))
		return dom_result(DOM_INVALID, "bad_secret", bad);
	if (enabled && (!url || !*url))
		return dom_result(DOM_INVALID, "no_url", "开启推送前请先填写网关地址。");
	Arena a = {0};
	WebhookSettings before;
	if (webhook_settings_read(s, &a, &before) != H_OK) {
		arena_free(&a);
		return dom_store_failed();
	}
	int has_secret = secret && *secret ? 1 : clear_secret ? 0 : before.has_secret;
	char *bj = settings_json(before.url, before.enabled, before.has_secret);
	char *aj = settings_json(url, enabled, has_secret);
	int ok = store_begin(s) == H_OK && store_setting_set(s, "webhook_url", url ? url : "") == H_OK &&
	         store_setting_set(s, "webhook_enabled", enabled ? "1" : "0") == H_OK &&
	         (!(secret && *secret) || store_setting_set(s, "webhook_secret", secret) == H_OK) &&
	         (!(clear_secret && !(secret && *secret)) || store_setting_set(s, "webhook_secret", "") == H_OK) &&
	         store_audit(s, who->name, who->addr, "update", "settings", "webhook", bj, aj) == H_OK && store_commit(s) == H_OK;
	free(bj);
	free(aj);
	arena_free(&a);
	if (!ok) {
		store_rollback(s);
		return dom_store_failed();
	}
	return dom_result(DOM_OK, NULL, "设置已保存。");
}

DomResult webhook_test_send(Store *s, const Actor *who)
{
	if (!who || who->role != ROLE_ADMIN)
		return dom_result(DOM_FORBIDDEN, "forbidden", "只有市专班办公室可以测试消息推送。");
	Arena *a = who->arena;
	const char *url = store_setting_get(s, a, "webhook_url");
	const char *secret = store_setting_get(s, a, "webhook_secret");
	if (!url || !*url)
		return dom_result(DOM_CONFLICT, "no_url", "尚未设置网关地址。");
	time_t now = time(NULL);
	char key[48];
	snprintf(key, sizeof key, "test-%lld", (long long)now);
	json_t *o = json_pack("{s:s,s:{s:s},s:s}", "msgtype", "text", "text", "content",
	                      "【测试】大孵化集群平台的催报消息推送测试：收到这条消息，说明催报提醒可以送达。", "idempotency_key", key);
	char *body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	char err[256] = "";
	int st = outbox_post_signed(url, secret && *secret ? secret : NULL, key, body, err, sizeof err);
	free(body);
	int ok = st >= 200 && st < 300;
	json_t *after = json_pack("{s:s,s:i,s:s?}", "webhook_url", url, "status", st, "error", ok ? NULL : err);
	char *t = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(after);
	int audited = store_begin(s) == H_OK && store_audit(s, who->name, who->addr, "test", "settings", "webhook", NULL, t) == H_OK &&
	              store_commit(s) == H_OK;
	free(t);
	if (!audited) {
		store_rollback(s);
		return dom_store_failed();
	}
	if (ok)
		return dom_result(DOM_OK, NULL, arena_printf(a, "测试消息已送达，网关答复 %d。", st));
	if (st > 0)
		return dom_result(DOM_CONFLICT, "gateway_refused",
		                  arena_printf(a, "网关拒收了测试消息（答复 %d），请核对地址和签名密钥。", st));
	return dom_result(DOM_CONFLICT, "gateway_unreachable",
	                  arena_printf(a, "无法连接网关，请核对地址、端口和网络（%s）。", err));
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
		const char *url = webhook_active_url(s, &a);
		if (url) {
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
