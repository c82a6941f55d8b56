/*
 * store.h — the one module that talks SQL (DESIGN.md "One store module").
 *
 * A Store is one SQLite connection (WAL, foreign keys on, busy timeout) with
 * its own cache of prepared statements. The server gives each thread its own
 * Store; the CLI opens one. Every statement is a fixed SQL text in a store*.c
 * file, prepared once per connection, with all values bound.
 *
 * Results are allocated in the caller's Arena and live as long as it does.
 * Functions returning int answer H_OK / H_ERR (util.h) unless they say
 * otherwise; on H_ERR store_errmsg() tells why.
 */
#ifndef HATCHERY_STORE_H
#define HATCHERY_STORE_H

#include "model.h"
#include "plan.h"
#include "util.h"

typedef struct Store Store;

typedef struct StoreMigration {
	int version;          /* user_version after this step */
	const char *sql;
} StoreMigration;

extern const StoreMigration store_migrations[];
extern const int store_migration_count;

enum {
	STORE_CREATE = 1,     /* create the file when missing */
	STORE_NO_MIGRATE = 2, /* open only; the caller migrates (tests) */
};

/* Opens path, applies the pragmas and the migrations. NULL with err set on failure. */
Store *store_open(const char *path, int flags, char *err, size_t errsz);
void store_close(Store *s);
const char *store_errmsg(Store *s);
struct sqlite3 *store_db(Store *s);
int store_version(Store *s);

/* Applies the steps of migs whose version is above the database's, each in
 * its own transaction; refuses a database newer than the last step. */
int store_migrate(Store *s, const StoreMigration *migs, int n, char *err, size_t errsz);

/* Transactions. begin is BEGIN IMMEDIATE, so writers queue on the busy timeout. */
int store_begin(Store *s);
int store_commit(Store *s);
void store_rollback(Store *s);

/* Settings (key/value). get returns NULL when absent. */
const char *store_setting_get(Store *s, Arena *a, const char *key);
int store_setting_set(Store *s, const char *key, const char *value);

/* ---- the plan (store_plan.c) ---- */

/* Writes every table of the plan. The caller holds a transaction. Refuses a
 * database that already holds a plan. */
int store_plan_save(Store *s, const Plan *p);
/* The loaded plan's JSON text, NULL when the database has no plan. */
const char *store_plan_json(Store *s, Arena *a);
int store_targets(Store *s, Arena *a, const char *scope, Target **out); /* scope NULL: all; returns count or -1 */

/* ---- the registry (store_registry.c) ---- */

/* Inserts; each returns the new id, or 0 with store_errmsg() set. */
long long store_operator_insert(Store *s, const Operator *o);
long long store_base_insert(Store *s, const Base *b);
int store_base_area_change(Store *s, long long base_id, const char *on,
                           double total_delta_m2, double incubation_delta_m2, const char *note);
int store_base_level_set(Store *s, long long base_id, const char *level, const char *on,
                         const char *document);
long long store_fund_insert(Store *s, const Fund *f);
long long store_investment_insert(Store *s, const Investment *i);
long long store_project_insert(Store *s, const Project *p);
long long store_report_figure_insert(Store *s, const ReportFigure *r);

/* Bases of one area (NULL: all), by name. Returns count or -1. */
int store_bases(Store *s, Arena *a, const char *area, Base **out);

/* Per-area counts for the areas page. */
typedef struct AreaStat {
	const char *area;
	int bases, bases_approved;
	double total_area_m2;
} AreaStat;
int store_area_stats(Store *s, Arena *a, AreaStat **out);

/* Counts of each registry table, for init's summary and tests. */
typedef struct RegistryCounts {
	long long bases, operators, funds, investments, projects, firms, report_figures, users, audit;
} RegistryCounts;
int store_registry_counts(Store *s, RegistryCounts *c);

/* ---- progress measures (store_progress.c) ---- */

/* 1 when measure names one of the measures of docs/PLAN-FORMAT.md. */
int store_measure_known(const char *measure);
/* The value of a measure over approved records dated in [from, to], for one
 * area or (area NULL) the whole city. *ok is 0 when the measure is unknown
 * or the query failed. */
double store_measure(Store *s, const char *measure, const char *level, const char *area,
                     const char *from, const char *to, int *ok);

/* ---- users and audit (store_users.c) ---- */

long long store_user_insert(Store *s, const char *name, const char *role, const char *scope,
                            const char *password_hash, int must_change);
/* Appends an audit row. user NULL means "system". */
int store_audit(Store *s, const char *user, const char *addr, const char *action,
                const char *record_kind, const char *record_id,
                const char *before_json, const char *after_json);

#endif
