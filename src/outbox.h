/*
 * outbox.h — messages out to the configured webhook (outbox.c): one post,
 * one pass over the due messages, and the server's sender thread.
 */
#ifndef HATCHERY_OUTBOX_H
#define HATCHERY_OUTBOX_H

#include <time.h>

#include "store.h"

/* POSTs body (JSON) to url (http://HOST[:PORT]/PATH) with the header
 * Idempotency-Key: key. Returns the HTTP status, or -1 with err set. */
int outbox_post(const char *url, const char *key, const char *body, char *err, size_t errsz);

/* Posts up to max pending messages due at now, each marked sent, retried
 * later or failed in its own transaction. H_OK or H_ERR (store). */
int outbox_send_due(Store *s, const char *url, time_t now, int max, int *sent, int *failed);

/* The sender thread: every 5 s, the due messages to the setting webhook_url. */
typedef struct Outbox Outbox;
Outbox *outbox_start(const char *db_path); /* NULL when the thread cannot start */
void outbox_stop(Outbox *o);               /* wakes it, waits for it */

#endif
