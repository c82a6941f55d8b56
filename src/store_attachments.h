/*
 * store_attachments.h — the SQL of evidence files (store_attachments.c);
 * the checks and the audit are attachments.c's.
 */
#ifndef HATCHERY_STORE_ATTACHMENTS_H
#define HATCHERY_STORE_ATTACHMENTS_H

#include "store.h"

typedef struct Attachment {
	long long id, owner_id, size;
	const char *owner_kind, *name, *mime, *sha256, *created_by, *created_at;
	const unsigned char *data; /* read only by store_attachment_get with data 1 */
} Attachment;

long long store_attachment_insert(Store *s, const Attachment *f);
/* 1 found, 0 none, -1 error; with_data reads the bytes too. */
int store_attachment_get(Store *s, Arena *a, long long id, int with_data, Attachment *out);
/* An owner's files (without their bytes), oldest first. Count or -1. */
int store_attachments(Store *s, Arena *a, const char *owner_kind, long long owner_id, Attachment **out);
/* How many files an owner has, or -1. */
int store_attachment_count(Store *s, const char *owner_kind, long long owner_id);
/* Whose a file is: its owner's kind and id and, for the tasks' kinds (a
 * task, a 督办单, a task update), the task they belong to (*task_id 0 for
 * an owner of another kind, e.g. "policy_application"). 1 found, 0 no such
 * file, -1 error. */
int store_attachment_owner(Store *s, Arena *a, long long id, const char **kind, long long *owner_id, long long *task_id);

#endif
