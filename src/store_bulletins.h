/*
 * store_bulletins.h — the SQL of bulletins (通报, schema step 8): insert a
 * draft, change its content, publish it (freeze: content, hash, stamp),
 * read one, list them, the next number of a year. The callers (bulletins.c)
 * own the transactions.
 */
#ifndef HATCHERY_STORE_BULLETINS_H
#define HATCHERY_STORE_BULLETINS_H

#include "store.h"

typedef struct BulletinRec {
	long long id;
	const char *number;
	int year, seq;
	const char *period, *as_of, *title, *status;
	const char *content;         /* the document, JSON (doc.h) */
	const char *content_sha256;  /* published only */
	long long data_stamp;
	long long corrects_id;       /* 0: none */
	const char *correction_note;
	const char *corrects_number; /* the number of the corrected one (read) */
	long long corrected_by_id;   /* a correction naming this one (read; 0: none) */
	const char *corrected_by_number;
	const char *created_by, *created_at, *updated_at, *published_by, *published_at;
} BulletinRec;

/* Inserts a draft; *id the new row. A number or (year, seq) already used
 * is a constraint failure: H_ERR with store_constraint_failed() true. */
int store_bulletin_insert(Store *s, const BulletinRec *b, long long *id);
/* A draft's content (and updated_at); 0 rows changed when it is not a draft. */
int store_bulletin_update_content(Store *s, long long id, const char *content, long long data_stamp, const char *now);
/* Freezes a draft: content, its hash, by and at. */
int store_bulletin_publish(Store *s, long long id, const char *content, const char *sha256, const char *by,
                           const char *now);
/* 1 found, 0 not, -1 error. */
int store_bulletin_get(Store *s, Arena *a, long long id, BulletinRec *out);
/* The same without its content (NULL): a published one's page kept. */
int store_bulletin_head(Store *s, Arena *a, long long id, BulletinRec *out);
/* Every bulletin (published only when drafts is 0), newest number first,
 * without content. Count or -1. */
int store_bulletins_list(Store *s, Arena *a, int drafts, BulletinRec **out);
/* The next free sequence number of year (1 when none). -1 on error. */
int store_bulletin_next_seq(Store *s, int year);
/* A published bulletin's kept file (schema step 12) of format, made from
 * the content whose hash is content_sha256: appended to out, its SHA-256
 * in sha256. 1 found, 0 none, -1 error. */
int store_bulletin_file_get(Store *s, long long id, const char *format, const char *content_sha256, Buf *out,
                            char sha256[65]);
/* Keeps one (a row already there stays: the first made wins). */
int store_bulletin_file_put(Store *s, long long id, const char *format, const char *content_sha256, const void *data,
                            size_t len, const char *sha256, const char *now);
/* Deletes a draft (1 deleted, 0 none such). */
int store_bulletin_delete_draft(Store *s, long long id);

#endif
