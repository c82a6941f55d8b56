/*
 * attachments.h — evidence files (photos, PDFs, scans) attached to a record
 * of any kind: a task, a 督办单's answer, a policy application. A file is
 * checked by its content (magic bytes: JPEG, PNG, WebP, PDF), never by its
 * name: a renamed executable, an SVG, HTML or anything else is refused.
 * Stored in the database with its SHA-256 and size (at most
 * ATTACHMENT_MAX_BYTES); served only as a download, or inline for images,
 * never as HTML (page_attachments.c). Who may attach to what is decided by
 * the owner's workflow, which calls attachment_add_in_tx inside its own
 * transaction; who may download is authz_check's (SCOPE_ATTACHMENT:
 * the owner's scope, store_attachment_owner).
 */
#ifndef HATCHERY_ATTACHMENTS_H
#define HATCHERY_ATTACHMENTS_H

#include <stddef.h>

#include "domain.h"
#include "store_attachments.h"

#define ATTACHMENT_MAX_BYTES (8 * 1024 * 1024)
#define ATTACHMENT_MAX_PER_OWNER 20

/* The type of the bytes by their content: "image/jpeg", "image/png",
 * "image/webp", "application/pdf"; NULL when none of these. */
const char *attachment_sniff(const unsigned char *data, size_t len);
/* Checks a file before storing: a name (valid text, at most 200
 * characters; NULL or "" gets a default), a size within 1 byte ..
 * ATTACHMENT_MAX_BYTES, one of the accepted types by content and nothing of
 * markup in its head. NULL when fine (*mime set, *clean_name the name
 * without any path), else the Chinese reason; *code the API's error code. */
const char *attachment_check(Arena *a, const char *name, const unsigned char *data, size_t len, const char **mime,
                             const char **clean_name, const char **code);
/* Stores a checked file for (owner_kind, owner_id) with its audit row, inside
 * the caller's transaction. DOM_OK with *id; DOM_INVALID with the reason;
 * DOM_CONFLICT when the owner already has ATTACHMENT_MAX_PER_OWNER files. */
DomResult attachment_add_in_tx(Store *s, const Actor *who, const char *owner_kind, long long owner_id, const char *name,
                               const unsigned char *data, size_t len, long long *id);
/* A file handed to a workflow with other input (a 督办单's answer, an
 * event's photos): its name as sent and its bytes, not yet checked. */
typedef struct EvidenceFile {
	const char *name;
	const unsigned char *data;
	size_t len;
} EvidenceFile;

/* "图片", "PDF" for a stored type. */
const char *attachment_type_zh(const char *mime);

#endif
