/*
 * domain.h — the write workflows of hatchery, under the pages, the API and
 * the command line: saving, proposing and applying changes to records
 * (records.c), reviewing them (review.c), recognitions (recognition.c),
 * targets (targets.c), imports and exports (transfer.c).
 *
 * Each workflow is a function over (Store *, const Actor *, input). It
 * checks who may do it, owns its transaction (all or nothing), writes its
 * audit rows as the actor, and answers a DomResult: a code and a Chinese
 * message saying what happened or what to do. It knows no HTTP: the pages
 * and the API map the code to a status and a page (page_layout.c), the
 * command line to an exit status.
 */
#ifndef HATCHERY_DOMAIN_H
#define HATCHERY_DOMAIN_H

#include <jansson.h>

#include "registry.h"
#include "store.h"
#include "xlsx_read.h"

/* Who acts, and with what: the user the audit trail names, the role and
 * scope the rules read, the plan in force and where results are allocated. */
typedef struct Actor {
	const char *name;   /* the audit trail's user ("cli" for the command line's default) */
	Role role;
	const char *scope;  /* the area code (area), base id (base), department code; NULL */
	const char *addr;   /* where from: the client's address, or "cli" */
	const Plan *plan;
	Arena *arena;       /* messages and results live here */
} Actor;

typedef enum {
	DOM_OK = 0,     /* done (saved and counting, applied, filed) */
	DOM_PENDING,    /* saved; waits for the office's review */
	DOM_PROPOSED,   /* a change proposed; the record is unchanged until approved */
	DOM_INVALID,    /* the input is wrong: the message (and field or row errors) say what to fix */
	DOM_FORBIDDEN,  /* not this actor's to do */
	DOM_NOT_FOUND,
	DOM_CONFLICT,   /* the state of the data does not allow it (now) */
	DOM_REFUSED,    /* an import refused as a whole because of its rows or header */
	DOM_BUSY,       /* the database is busy: try again */
	DOM_FAILED,     /* the store failed; nothing was written */
} DomCode;

typedef struct DomResult {
	DomCode code;
	const char *error;    /* a short code for programs ("has_dependents"); NULL when done */
	const char *message;  /* Chinese, for people */
} DomResult;

/* 1 when the result means the work was done (OK, PENDING, PROPOSED). */
int dom_done(DomResult r);
DomResult dom_result(DomCode code, const char *error, const char *message);
/* The one answer when the store failed (DOM_FAILED, "store_error"). */
DomResult dom_store_failed(void);

/* ---- records (records.c) ---- */

/* The review status in Chinese (已通过, 待审核, 已退回, 草稿). */
const char *review_status_zh(const char *st);

/*
 * Checks values for saving record id (0: a new one) as the actor may:
 * the registry's rules (registry_check; s NULL leaves out what reads the
 * database), a unique 统一社会信用代码, and scope: an area reporter
 * registers in its own area only; a base user changes only the records of
 * its own base and never their base or area. cur: the stored record (NULL
 * for a new one). Errors go to v->err by field; returns v->nerr, or -1
 * with *refusal set when the actor may not touch the record at all.
 */
int records_check(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const Values *cur,
                  const char **refusal);

/* Fills what a record's values derive from other records (a firm's area
 * is its base's); the checks and imports call it before checking. */
void records_derive(Store *s, const Actor *who, const Kind *k, Values *v);
/* The record with the same natural key as v (registry_natural_key), 0 when
 * none or v does not fill the key, -1 on error. */
long long records_find_by_key(Store *s, const Actor *who, const Kind *k, const Values *v);

/*
 * Creates (id 0) or changes a record as the actor's role allows, in its own
 * transaction: the office's at once (DOM_OK), a new record of others as
 * pending (DOM_PENDING), their change to an approved record as a proposed
 * change (DOM_PROPOSED). Checks first (records_check): DOM_INVALID with
 * v->err set. area_on: the day a base's floor-area change counts from
 * (NULL: today). *new_id: the created record.
 */
/* records_save's message when a save was merged into the same proposer's
 * open proposal (DOM_PROPOSED): compare the pointer. */
extern const char records_merged_message[];
DomResult records_save(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *area_on,
                       long long *new_id);
/* records_save from a form that showed the actor's own open proposal
 * `over` (pending_change id) in place of the record: while that proposal is
 * still open, v replaces it whole, so a field set back to the record's
 * value is set back (records_save keeps what an earlier proposal said for
 * the fields a save leaves as in the record: a PATCH of one field). */
DomResult records_save_over(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *area_on,
                            long long over);
/* The same inside the caller's transaction, values already checked (imports). */
DomResult records_save_in_tx(Store *s, const Actor *who, const Kind *k, long long id, Values *v,
                             const char *area_on, long long *new_id);
/* records_save_in_tx for n new records of kind k (not bases: their opening
 * floor area is a change of its own) whose values are rows[r][field]
 * (checked), by store_records_insert_run: a statement per 64 rows, then
 * one audit row per record, compact (the columns inserted; the audit page
 * and API show it as the record, store_audit_after). ids[r]: the new ids.
 * On a refusal *failed_at is the row the database refused (or -1). */
DomResult records_create_many_in_tx(Store *s, const Actor *who, const Kind *k, const char *const *const *rows, int n,
                                    long long *ids, int *failed_at);
/* Whether the actor may delete the record, and what blocks it (NULL when nothing). */
DomResult records_may_delete(Store *s, const Actor *who, const Kind *k, long long id);
/* Deletes with its audit row, in its own transaction. */
DomResult records_delete(Store *s, const Actor *who, const Kind *k, long long id);

/* Applies checked values to a record with its audit row as as_user (and,
 * for a base, the dated floor-area change); inside the caller's transaction. */
int records_apply_in_tx(Store *s, const Actor *who, const Kind *k, long long id, Values *v, const char *status,
                        const char *area_on, const char *as_user);

/* ---- review (review.c) ---- */

/* The office approves (action "approve") or returns ("return", note
 * required) a new record waiting for review. */
DomResult review_record(Store *s, const Actor *who, const Kind *k, long long id, const char *action, const char *note);
/* The same for a proposed change; approving re-checks and applies it. */
DomResult review_change(Store *s, const Actor *who, long long change_id, const char *action, const char *note);

/* ---- imports and exports of the registry (transfer.c) ---- */

typedef enum { IMPORT_CHECK, IMPORT_ALL, IMPORT_GOOD } ImportMode;
/* "check" (also empty or NULL), "all", "good"; 0 for anything else. */
int import_mode_parse(const char *text, ImportMode *mode);

/*
 * Imports the records of kind k from sh (upload_sheet, upload.c) as the
 * actor: every row checked as the forms check it, every error named by its
 * row and cell. IMPORT_CHECK writes nothing; IMPORT_ALL writes only when
 * every row is good, IMPORT_GOOD the good rows; either in one transaction.
 * *answer (new reference, also when refused): {rows, good, bad, errors:
 * [{row, column, field, cell, message}], error_count, errors_truncated,
 * mode, sheet, imported, created, updated, unchanged, pending, proposed,
 * and on refusal error {code, message}}. DOM_OK when checked or written,
 * DOM_REFUSED when the rows or the header forbid writing, DOM_INVALID when
 * the file holds no rows or too many (no answer then).
 */
DomResult transfer_import(Store *s, const Actor *who, const Kind *k, const XlsxSheet *sh, ImportMode mode,
                          json_t **answer);

typedef enum { EXPORT_XLSX, EXPORT_CSV } ExportFormat;
/* An export of the records of kind k matching f (up to
 * TRANSFER_MAX_EXPORT_ROWS; paging is ignored) as a workbook with a 说明
 * sheet or as CSV (UTF-8 with BOM), written while it is read: open it,
 * read its bytes, close it. It reads s in one read transaction (one
 * consistent state of the records) until closed, so s should be a
 * connection of its own when it is read over many calls (an HTTP
 * response). *total: how many match. Records not approved only for those
 * who see their area in full. Memory does not grow with the rows. */
typedef struct TransferExport TransferExport;
DomResult transfer_export_open(Store *s, const Actor *who, const Kind *k, const RecordFilter *f, ExportFormat format,
                               TransferExport **e, long long *total);
/* Up to max bytes into buf: how many; 0 at the end; -1 when it failed
 * (transfer_export_error says why; the file is not whole). */
long transfer_export_read(TransferExport *e, void *buf, size_t max);
const char *transfer_export_error(const TransferExport *e);
long long transfer_export_rows(const TransferExport *e); /* data rows written so far */
void transfer_export_close(TransferExport *e);
/* The whole export appended to out (for small ones and tests). */
DomResult transfer_export(Store *s, const Actor *who, const Kind *k, const RecordFilter *f, ExportFormat format,
                          Buf *out, long long *total);
/* The import template of kind k: headers, drop-downs and a 说明 sheet. */
DomResult transfer_template(const Actor *who, const Kind *k, Buf *out);

/* ---- targets (targets.c) ---- */

/* One target to set: value ≥ 0 (has 1) or none (has 0: removed). */
typedef struct TargetChange {
	const char *indicator, *scope;
	int year;
	double value;
	int has;
} TargetChange;

/* Parses a target value as people type it: "" (no target) or a number ≥ 0
 * (commas and a 万 suffix accepted). NULL when fine (*has 0 for empty),
 * else the Chinese reason. */
const char *target_parse_value(const char *s, double *v, int *has);
/* What is wrong with one change (its field in *field), NULL when nothing:
 * a plan indicator, an area (not the city) or a department, a plan year. */
const char *target_check(const Plan *p, const TargetChange *c, const char **field);
/* The office sets targets: all or nothing, one audit row per changed target. */
DomResult targets_set(Store *s, const Actor *who, const TargetChange *c, int n);
/* The grid as a workbook: empty (filled 0: the import template) or with
 * the stored targets; appended to out. */
DomResult targets_grid(Store *s, const Actor *who, int filled, Buf *out);
/* Imports the grid from sh (IMPORT_CHECK or IMPORT_ALL: all or nothing);
 * *answer as transfer_import's, with cells, changed, added, modified,
 * removed and ignored_rows. */
DomResult targets_import(Store *s, const Actor *who, const XlsxSheet *sh, ImportMode mode, json_t **answer);

/* ---- recognitions (recognition.c) ---- */

/* A base applies for a level (the office, the base's area or its operator). */
DomResult recognition_apply(Store *s, const Actor *who, long long base_id, const char *level, long long *new_id);
/* action "endorse" (the area or the office, never the applicant), "file"
 * (the office, filed_on required, document optional) or "return" (the area
 * or the office, note required). */
DomResult recognition_act(Store *s, const Actor *who, long long id, const char *action, const char *filed_on,
                          const char *document, const char *note);
/* Why the actor may not take the action on rec (NULL: it may, as far as who
 * it is goes; the application's state is checked when acting). */
const char *recognition_refusal(const Actor *who, const Recognition *rec, const char *action);

/* ---- what people enter for an evaluation (assessment.c) ---- */

/* The office's verdict ("pass", "fail" with a note; "clear") on a judged rule of a base. */
DomResult assessment_verdict(Store *s, const Actor *who, long long base_id, const char *set, const char *rule_id,
                             const char *verdict, const char *note);
/* One year's figures of a base (eval.h's figure_fields order; NULL: left
 * alone, "": removed); errs[i] says what is wrong with vals[i] (DOM_INVALID). */
DomResult assessment_figures(Store *s, const Actor *who, long long base_id, int year, const char **vals, const char **errs);
/* A rubric's points per rule of rs (rule order; NULL: left alone, "": none). */
DomResult assessment_scores(Store *s, const Actor *who, const RuleSet *rs, const char **vals);

#endif
