/*
 * outbox.h — messages out to the configured webhook (outbox.c): one post,
 * one pass over the due messages, and the server's sender thread.
 */
#ifndef HATCHERY_OUTBOX_H
#define HATCHERY_OUTBOX_H

#include <time.h>

#include "domain.h"
#include "store.h"

/* POSTs body (JSON) to url (http://HOST[:PORT]/PATH) with the header
 * Idempotency-Key: key. Returns the HTTP status, or -1 with err set. */
int outbox_post(const char *url, const char *key, const char *body, char *err, size_t errsz);

/* The same, signed with secret (NULL: unsigned): timestamp (Unix ms) and
 * sign = base64(HMAC-SHA256(secret, timestamp "\n" secret)) on the address,
 * as DingTalk (浙政钉) robots check it. */
int outbox_post_signed(const char *url, const char *secret, const char *key, const char *body, char *err,
                       size_t errsz);

/* The webhook's settings (setting rows webhook_url, webhook_enabled,
 * webhook_secret) and the outbox's counts, for the office's page. */
typedef struct WebhookSettings {
	const char *url;   /* NULL when none */
	int enabled;       /* messages are queued and posted only when on (a URL without the switch: on) */
	int has_secret;    /* the secret itself is never shown */
	int pending, sent, failed;
} WebhookSettings;
int webhook_settings_read(Store *s, Arena *a, WebhookSettings *out); /* H_OK or H_ERR */
/* The URL to post to: NULL when none is set or the office turned it off. */
const char *webhook_active_url(Store *s, Arena *a);
/* What is wrong with a gateway address, in Chinese; NULL when it is one
 * (http://HOST[:PORT]/PATH, at most 500 ASCII characters) or empty (none). */
const char *webhook_url_problem(const char *url);
/* The office saves the settings: url ("" none), on/off, secret (NULL or ""
 * keeps it, else replaces it), clear_secret removes it. Checked, one
 * transaction, audited (the secret only as "set"). */
DomResult webhook_settings_save(Store *s, const Actor *who, const char *url, int enabled, const char *secret,
                                int clear_secret);
/* The office posts a test message now (signed when a secret is set);
 * audited with the gateway's answer. DOM_OK when it took it, DOM_CONFLICT
 * (with what it answered or why it could not be reached) otherwise. */
DomResult webhook_test_send(Store *s, const Actor *who);

/* Posts up to max pending messages due at now, each marked sent, retried
 * later or failed in its own transaction. H_OK or H_ERR (store). */
int outbox_send_due(Store *s, const char *url, time_t now, int max, int *sent, int *failed);

/* The sender thread: every 5 s, the due messages to the setting webhook_url. */
typedef struct Outbox Outbox;
Outbox *outbox_start(const char *db_path); /* NULL when the thread cannot start */
void outbox_stop(Outbox *o);               /* wakes it, waits for it */

#endif
