/*
 * records.h — shared by the registry's pages (page_records.c) and the
 * review of records (page_review.c).
 */
#ifndef HATCHERY_RECORDS_H
#define HATCHERY_RECORDS_H

#include "http.h"
#include "registry.h"

const char *record_path(const Kind *k);                      /* "/bases" */
int record_writable(const Kind *k, const Values *v, const char **out);
json_t *record_load(Req *r, const Kind *k, long long id);     /* new reference or NULL */
const char *record_display(Req *r, const Field *f, json_t *val, json_t *rec);
const char *review_status_zh(const char *st);
const Kind *kind_by_name(const char *name);
/* The fields that differ between two JSON versions, for people. */
const char *record_diff(Req *r, const Kind *k, const char *before, const char *after);
/* Applies checked values to a record with its audit row (and, for a base,
 * the dated floor-area change); inside the caller's transaction. */
int record_apply(Req *r, const Kind *k, long long id, Values *v, const char *status, const char *area_on,
                 const char *actor);

typedef enum { SAVED, SAVED_PENDING, PROPOSED, SAVE_FAILED } SaveResult;
/* Creates (id 0) or changes a checked record as the caller's role allows:
 * the office's at once, others' as pending records or proposed changes
 * (page_records.c). The caller holds the transaction. */
SaveResult record_save_in_tx(Req *r, const Kind *k, long long id, Values *v, const char *area_on, long long *new_id);
/* Marks an area error when an area reporter names another area. */
void record_own_area_only(Req *r, Values *v);
/* Reads a list's filters from the query (?area=&q=&from=&to=&<kind filters>&sort=&desc=&limit=&offset=);
 * answers 400/403 itself and returns 0 when one is bad. */
int record_read_filter(Req *r, const Kind *k, RecordFilter *f, int *page);

/* page_review.c */
void review_change_card(Req *r, const PendingChange *c);
void review_record_form(Req *r, const Kind *k, long long id);
void record_history(Req *r, const Kind *k, long long id);

#endif
