/*
 * page_records.h — what the registry's pages (page_records.c), their review
 * parts (page_review.c) and the spreadsheet pages (page_transfer.c) share:
 * showing records. Saving them is the domain's (domain.h).
 */
#ifndef HATCHERY_PAGE_RECORDS_H
#define HATCHERY_PAGE_RECORDS_H

#include "http.h"
#include "domain.h"
#include "registry.h"

const char *record_path(const Kind *k);                      /* "/bases" */
json_t *record_load(Req *r, const Kind *k, long long id);     /* new reference or NULL */
const char *record_display(Req *r, const Field *f, json_t *val, json_t *rec);
/* The fields that differ between two JSON versions, for people. */
const char *record_diff(Req *r, const Kind *k, const char *before, const char *after);
/* Reads a list's filters from the query (?area=&q=&from=&to=&<kind filters>&sort=&desc=&limit=&offset=);
 * answers 400/403 itself and returns 0 when one is bad. */
int record_read_filter(Req *r, const Kind *k, RecordFilter *f, int *page);

/* page_review.c */
void review_change_card(Req *r, const PendingChange *c);
void review_record_form(Req *r, const Kind *k, long long id);
void record_history(Req *r, const Kind *k, long long id);

/* page_events.c: on an investment's or a project's page, the event whose
 * roadshow brought it (nothing for other kinds or when none did). */
void record_event_origin(Req *r, const Kind *k, long long id);

#endif
