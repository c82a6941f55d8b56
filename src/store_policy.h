/*
 * store_policy.h — the SQL of the policy system (store_policy.c): policy
 * documents and their measures, applications for support, what the
 * supported bases delivered, finance products and their grants. No rules
 * here: policy.c decides, this reads and writes. The callers own the
 * transactions.
 */
#ifndef HATCHERY_STORE_POLICY_H
#define HATCHERY_STORE_POLICY_H

#include "store.h"

/* A loaded document (its file's text in json). */
typedef struct PolicyDocRow {
	const char *code, *name, *document_no, *valid_from, *valid_to, *json, *loaded_by, *loaded_at;
	int example;
} PolicyDocRow;

/* A measure as stored: its id (applications name it), document and code. */
typedef struct PolicyMeasureRow {
	long long id;
	const char *policy, *code, *title, *kind, *article;
	int active;
} PolicyMeasureRow;

/* An application for support. */
typedef struct PolicyApp {
	long long id, measure_id, base_id;
	const char *policy, *measure, *measure_title, *kind, *base_name, *area, *status;
	int year;
	double claim, entitled, approved, paid;
	int has_claim, has_approved, has_paid;
	const char *assessment;     /* JSON at the last (re)submission */
	const char *note, *applied_by, *applied_at, *endorsed_by, *endorsed_at, *approved_by, *approved_at, *approve_reason;
	const char *paid_on, *voucher_no, *paid_by, *returned_by, *returned_at, *return_reason, *updated_at;
} PolicyApp;

/* Saves a document (insert or replace by code). */
int store_policy_doc_save(Store *s, const PolicyDocRow *d, const char *by);
/* Documents by code. Count or -1. */
int store_policy_docs(Store *s, Arena *a, PolicyDocRow **out);
/* One document: 1, 0, -1. */
int store_policy_doc_get(Store *s, Arena *a, const char *code, PolicyDocRow *out);
/* Marks every measure of a document inactive (before saving its measures again). */
int store_policy_measures_retire(Store *s, const char *policy);
/* Inserts or updates (active again) a measure by (policy, code); its id or 0. */
long long store_policy_measure_save(Store *s, const char *policy, const char *code, const char *title, const char *kind,
                                    const char *article);
/* Measures (policy NULL: all), active first, in document order. Count or -1. */
int store_policy_measures(Store *s, Arena *a, const char *policy, PolicyMeasureRow **out);
int store_policy_measure_get(Store *s, Arena *a, long long id, PolicyMeasureRow *out); /* 1, 0, -1 */

/* What applications other than except_id commit of a measure: of one base
 * in a year (year 0: every year; base 0: every base). A returned one commits
 * nothing; an open one its entitlement; an approved one its approved amount,
 * a paid one what was paid. -1 on error (*out untouched). */
int store_policy_committed(Store *s, long long measure_id, long long base_id, int year, long long except_id, double *out);
/* Open or granted applications (not returned) of a base for a measure
 * (year 0: any), other than except_id: count or -1. */
int store_policy_open_count(Store *s, long long measure_id, long long base_id, int year, long long except_id);

long long store_policy_app_insert(Store *s, const PolicyApp *p);
/* Writes the workflow columns (status ... return_reason, claim, entitled, assessment). */
int store_policy_app_update(Store *s, const PolicyApp *p);
int store_policy_app_get(Store *s, Arena *a, long long id, PolicyApp *out); /* 1, 0, -1 */
/* Applications: of a base (0 any), an area (NULL any), statuses (comma
 * list, NULL any), a year (0 any); newest first, at most limit (0: 500). Count or -1. */
int store_policy_apps(Store *s, Arena *a, long long base_id, const char *area, const char *statuses, int year, int limit,
                      PolicyApp **out);

/* The highest recognition a base got in a year (national, provincial,
 * municipal, demonstration; as code list "national,demonstration"), NULL
 * when none; *err set on error. */
const char *store_policy_levels_in_year(Store *s, Arena *a, long long base_id, int year, int *err);

/* What one base delivered in [from, to]: new floor area, firms in
 * incubation at the end, firms entered, funds set up at the base (size),
 * recognitions. H_OK / H_ERR. */
typedef struct BaseDelivery {
	double new_area_m2, firms, new_firms, funds_yuan, recognitions;
} BaseDelivery;
int store_policy_delivery(Store *s, long long base_id, const char *from, const char *to, BaseDelivery *out);
/* Paid sums in [from, to] by (measure, base): rows of measure_id, base_id,
 * area, paid, applications. Count or -1. */
typedef struct PaidRow {
	long long measure_id, base_id;
	const char *area, *base_name;
	double paid;
	int applications;
} PaidRow;
int store_policy_paid(Store *s, Arena *a, int year, PaidRow **out);

/* Finance products and grants. */
typedef struct FinanceProduct {
	long long id;
	const char *kind, *name, *provider, *note;
	int grants;
	double amount;
} FinanceProduct;
typedef struct FinanceGrant {
	long long id, product_id, base_id;
	const char *product, *kind, *provider, *base_name, *area, *firm, *granted_on, *note, *created_by;
	double amount;
} FinanceGrant;
long long store_finance_product_insert(Store *s, const char *kind, const char *name, const char *provider,
                                       const char *note, const char *by);
int store_finance_products(Store *s, Arena *a, FinanceProduct **out); /* count or -1 */
int store_finance_product_get(Store *s, Arena *a, long long id, FinanceProduct *out); /* 1, 0, -1 */
long long store_finance_grant_insert(Store *s, const FinanceGrant *g);
/* Grants (area NULL: all; base 0: any), newest first. Count or -1. */
int store_finance_grants(Store *s, Arena *a, const char *area, long long base_id, FinanceGrant **out);

#endif
