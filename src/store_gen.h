/*
 * store_gen.h — bulk inserts for `hatchery gen` (the synthetic data set of
 * the benchmarks, docs/BENCHMARKS.md). Each insert is one prepared
 * statement bound and stepped; the caller holds one transaction around the
 * whole load. Timestamps are given (not "now") so that the same seed makes
 * the same database.
 */
#ifndef HATCHERY_STORE_GEN_H
#define HATCHERY_STORE_GEN_H

#include "store.h"

/* Settings for a bulk load on this connection: a large page cache so the
 * indexes stay in memory while a million rows go in. */
int store_gen_bulk_begin(Store *s);

/* Each returns the new id, or 0 with store_errmsg() set. `at` is the
 * created_at/updated_at timestamp. */
long long store_gen_operator(Store *s, const char *name, const char *area, const char *introduced_on,
                             const char *review_status, const char *at);
long long store_gen_base(Store *s, const Base *b, const char *at);
long long store_gen_fund(Store *s, const Fund *f, const char *at);
long long store_gen_investment(Store *s, const Investment *i, const char *at);
long long store_gen_project(Store *s, const Project *p, const char *at);
long long store_gen_firm(Store *s, const char *name, const char *uscc, long long base_id, const char *area,
                         const char *entered_on, const char *founded_on, const char *industry,
                         int in_leading_industry, int high_tech, const char *at);
long long store_gen_report(Store *s, const char *area, const char *period, const char *period_end, double value,
                           const char *at);

/* Refreshes the planner's statistics after the load (ANALYZE). */
int store_gen_analyze(Store *s);

#endif
