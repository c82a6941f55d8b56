/*
 * bulletins.h — the office's monthly bulletins (通报, issue #17): made as
 * drafts from the data as of a date (the city's totals against the year's
 * targets, the three areas ahead and behind on the whole and on each
 * indicator, what lags and by how much, the ranking tables and charts of
 * the competition by group, the late reporters, the office's own
 * paragraphs), edited, published (frozen: the document as it was, with the
 * data stamp and its SHA-256, never recomputed), corrected by a new
 * bulletin that names the one it corrects; rendered as PDF, .docx and .xlsx
 * from the stored document only (doc.h).
 *
 * Each workflow is a function over (Store *, const Actor *, input) that
 * checks who may, owns its transaction and writes its audit row.
 */
#ifndef HATCHERY_BULLETINS_H
#define HATCHERY_BULLETINS_H

#include "doc.h"
#include "domain.h"
#include "store_bulletins.h"

/* The office's paragraphs are the document's blocks whose id starts so. */
#define BULLETIN_EDITABLE "office-"
#define BULLETIN_PARA_MAX 2000 /* characters of one paragraph */

typedef struct BulletinInput {
	const char *period;          /* "2024-11" */
	const char *as_of;           /* YYYY-MM-DD; NULL or "": the period's last day (today at most) */
	const char *number;          /* "瑞孵办〔2024〕11号"; NULL or "": the next of the year */
	long long corrects_id;       /* a published bulletin this one corrects (0: none) */
	const char *correction_note; /* what it corrects (required with corrects_id) */
} BulletinInput;

/* The office makes a draft; *new_id is it. */
DomResult bulletin_make(Store *s, const Actor *who, const BulletinInput *in, long long *new_id);
/* The document a bulletin made from in would have now, without saving it
 * (the command line's preview): dated today, marked as a draft. */
DomResult bulletin_preview(Store *s, const Actor *who, const BulletinInput *in, Doc **out);
/* The office changes a draft's own paragraphs: keys[i] (an editable
 * block's id) gets texts[i]. */
DomResult bulletin_edit(Store *s, const Actor *who, long long id, const char *const *keys, const char *const *texts,
                        int n);
/* The office makes a draft's figures again from today's data (its own
 * paragraphs are kept). */
DomResult bulletin_refresh(Store *s, const Actor *who, long long id);
/* The office publishes a draft: frozen from now on. */
DomResult bulletin_publish(Store *s, const Actor *who, long long id);
/* The office deletes a draft (a published bulletin stays forever). */
DomResult bulletin_delete(Store *s, const Actor *who, long long id);

/* The same three inside the caller's transaction (the demo data). */
DomResult bulletin_make_in_tx(Store *s, const Actor *who, const BulletinInput *in, long long *new_id);
DomResult bulletin_edit_in_tx(Store *s, const Actor *who, long long id, const char *const *keys,
                              const char *const *texts, int n);
DomResult bulletin_publish_in_tx(Store *s, const Actor *who, long long id);

/* One bulletin as the actor may see it (drafts: the office and leaders). */
DomResult bulletin_get(Store *s, const Actor *who, long long id, BulletinRec *out);
/* The same without the content (content NULL): what a published one's page
 * needs besides its document when the document's HTML is kept. */
DomResult bulletin_get_head(Store *s, const Actor *who, long long id, BulletinRec *out);
/* What the actor may see, newest first. */
DomResult bulletin_list(Store *s, const Actor *who, BulletinRec **out, int *n);
/* Whether the actor sees drafts. */
int bulletin_sees_drafts(const Actor *who);

/* The stored document of b, in the actor's arena; NULL when it cannot be read. */
Doc *bulletin_doc(const Actor *who, const BulletinRec *b);

typedef enum { BULLETIN_PDF, BULLETIN_DOCX, BULLETIN_XLSX } BulletinFormat;
/* "pdf", "docx", "xlsx"; 0 when none of them. */
int bulletin_format_parse(const char *s, BulletinFormat *f);
/* b rendered as f, appended to out; *info (may be NULL) for a PDF. */
DomResult bulletin_render(const Actor *who, const BulletinRec *b, BulletinFormat f, Buf *out, DocPdfInfo *info);
/* A stored document (content, len bytes of JSON) rendered as f, appended
 * to out, marked as a draft when draft: H_OK, or H_ERR with why in err
 * (the child of render_child.h runs this). */
int bulletin_render_content(Arena *a, const char *content, size_t len, int draft, BulletinFormat f, Buf *out,
                            DocPdfInfo *info, char *err, size_t errsz);
/* A file name for b in format f: ASCII ("bulletin-2024-11.pdf") and Chinese. */
void bulletin_filename(const Actor *who, const BulletinRec *b, BulletinFormat f, const char **ascii, const char **utf8);

/* The SHA-256 of text as 64 hex digits (in a). */
const char *bulletin_sha256(Arena *a, const char *text);

#endif
