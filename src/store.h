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
#include "util.h"

typedef struct Store Store;

typedef struct StoreMigration {
	int version;          /* user_version after this step */
	const char *sql;
} StoreMigration;

extern const StoreMigration store_migrations[];
extern const int store_migration_count;
/* SQL that counts record_count afresh for one kind of record ("firms",
 * table firm); the list ends with {NULL, NULL, NULL}. */
typedef struct StoreRecount {
	const char *kind, *table, *sql;
} StoreRecount;
extern const StoreRecount store_recounts[];

enum {
	STORE_CREATE = 1,     /* create the file when missing */
	STORE_NO_MIGRATE = 2, /* open only; the caller migrates (tests) */
};

/* Opens path, applies the pragmas and the migrations. NULL with err set on failure. */
Store *store_open(const char *path, int flags, char *err, size_t errsz);
void store_close(Store *s);
const char *store_errmsg(Store *s);
/* The SQLite error code (SQLITE_FULL, SQLITE_IOERR_*) of a failed write or
 * read of the disk since the last clear, or 0; such failures are also
 * logged to stderr when they happen. */
int store_disk_error(Store *s);
void store_disk_error_clear(Store *s);
/* 1 when the last failure was a constraint (a UNIQUE value taken, a reference missing). */
int store_constraint_failed(Store *s);
struct sqlite3 *store_db(Store *s);
int store_version(Store *s);

/* Applies the steps of migs whose version is above the database's, each in
 * its own transaction; refuses a database newer than the last step. migs is
 * in ascending order and may have gaps (step numbers given out ahead of
 * time): the numbers a database passes over are kept in
 * schema_step_skipped, and their steps applied by a later program that has
 * them (store.c). */
int store_migrate(Store *s, const StoreMigration *migs, int n, char *err, size_t errsz);

/*
 * Fault injection, as SQLite's own tests do it (for tests only: nothing in
 * the server or the command line arms it). store_fault_set(n, kind) makes
 * the n-th store operation from now fail once, as SQLite would with kind
 * (SQLITE_IOERR or SQLITE_FULL); the operations counted are every
 * sqlite3_step of the store*.c files and every BEGIN and COMMIT. n = 0
 * disarms. store_fault_fired() says whether it has failed since it was set,
 * store_fault_ops() how many operations were counted since (while armed).
 */
void store_fault_set(long n, int kind);
int store_fault_fired(void);
long store_fault_ops(void);

/* Transactions. begin is BEGIN IMMEDIATE, so writers queue on the busy timeout. */
int store_begin(Store *s);
int store_commit(Store *s);
void store_rollback(Store *s);
/* A second connection to s's database file, in a read transaction whose
 * snapshot is taken now: what commits later is not seen until
 * store_rollback ends it; store_close closes it. NULL when there is none
 * to be had (a database in memory, a failure). */
Store *store_open_reader(Store *s);
/* 1 when a statement of s's transaction failed on this thread, so that
 * store_commit would refuse it: a thread that wrote on s for another says so. */
int store_tx_failed(Store *s);
/* 1 while a write transaction is open on s (what it wrote may yet be
 * rolled back: nothing read now may be kept past it). */
int store_writing(Store *s);
/* 1 while any transaction is open on s (a read in it sees its snapshot,
 * not the database as of now). */
int store_in_transaction(Store *s);
/* How many statements failed on this thread so far (prepared or stepped:
 * anything but a row or the end): a caller that keeps what it made
 * compares it before and after, and keeps nothing made with a failure. */
unsigned long store_failures(void);

/* The data stamp: a number that moves with every committed change to any
 * table but the sessions' (schema step 2's triggers); -1 on error. Read
 * in its own statement, so it is the database's as of now. */
long long store_data_stamp(Store *s);
/*
 * A write that changes nothing a page shows — a session begun or ended
 * (the user's last login, the throttle's failures, a rehashed password)
 * and the audit rows that say so — need not drop every page kept under the
 * data stamp: a login would otherwise make every page of every session
 * again. Inside its write transaction, store_stamp_hold() reads the stamp
 * before the first write and store_stamp_put_back() sets it back just
 * before the commit, so that readers never see it move (the triggers of
 * user and audit moved it meanwhile; no other reader sees the transaction).
 * Only for such writes: no page that is kept (page cache, parts, what a
 * connection keeps) may show last_login_at, the password hash or an audit
 * row of kind "session" (the users', sessions' and audit pages are never
 * kept). The stamp stays moved when a record of an area was changed in
 * between. Both return H_ERR outside a write transaction.
 */
typedef struct StampHold {
	long long n, area_n;
} StampHold;
int store_stamp_hold(Store *s, StampHold *h);
int store_stamp_put_back(Store *s, const StampHold *h);
/* In one read: the data stamp (n), the stamp of what is in no area
 * (global: it moves with a change to the plan, targets, rules, operators,
 * users, settings, ...), and the stamp of area (area_n: it moves with a
 * change to a record of the area or of an area under it; schema step 7).
 * A page that shows one area's data only is unchanged while global and
 * area_n are. */
int store_area_stamps(Store *s, const char *area, long long *n, long long *global, long long *area_n);
/*
 * What a page of every area keeps between requests (store_keep.c): each
 * area's row of figures, valid while that area's stamp and the stamp of
 * what is in no area stand. A StoreWatch remembers the stamps its rows
 * are valid at; store_watch() brings it to the database's state now.
 */
typedef struct StoreWatch {
	int known;          /* 0: nothing kept yet (or dropped) */
	long long n, global;/* data_stamp.n and n - area_n the rows are valid at */
} StoreWatch;
/* Returns 1 when nothing was committed since w's stamps (keep every row);
 * 0 when something was: *all is 1 when every row must be made again (w
 * knew nothing, or what is in no area changed: the plan, targets, ...),
 * else *areas (in a) holds the *n areas whose stamp moved — a record's
 * change moves its area's and every area's above it. w then stands at the
 * stamps read, so a row made from now on is valid at them (a commit made
 * meanwhile is seen at the next call). -1 on a store error (w forgets). */
int store_watch(Store *s, StoreWatch *w, Arena *a, int *all, const char ***areas, int *n);
/* The memory of tag (a static object's address: one per kind of thing
 * kept) on this connection, made by make() on first use and given to
 * drop() when the connection closes; NULL when make fails or every slot
 * is taken. */
void *store_kept(Store *s, const void *tag, void *(*make)(void), void (*drop)(void *));

/* Moves the data stamp as a change in no area does, and every area's stamp:
 * after writes no row trigger saw (a bulk load, a rebuild of the totals),
 * so that no kept page or kept totals survive them. In the caller's
 * transaction. */
int store_stamps_move_all(Store *s);

/* For a bulk write, inside its write transaction: drops the triggers that
 * move the data stamp row by row, and those that keep record_count for
 * the record kind `counted` ("firms"; "*": every kind; NULL: none), keeping their
 * SQL in saved. store_triggers_restore(), in the same transaction, counts
 * record_count afresh for `counted`, moves the stamp once and makes the
 * triggers again. Other connections never see them missing: the DDL
 * commits or rolls back with the rows. */
int store_triggers_suspend(Store *s, const char *counted, Buf *saved);
int store_triggers_restore(Store *s, const char *counted, Buf *saved);

/* ---- the kept progress totals (store_measures.c, schema step 6) ---- */

/* The tables whose measure triggers a bulk write of kind suspends, as
 * ",table,...,"; "*" for every one (kind "*"); "" when the kind counts in
 * no measure (firms). store_triggers_suspend/_restore use it: the restore
 * makes the kind's totals afresh. */
const char *store_measure_tables(const char *kind);
/* Makes measure_total afresh from the records for the series of kind
 * ("*": all), in the caller's transaction or in one statement list. */
int store_measures_rebuild(Store *s, const char *kind);
/* Counts record_count afresh from the record tables. */
int store_counts_rebuild(Store *s);
/* Compares measure_total and record_count with a full recomputation, in
 * one read snapshot: returns how many rows differ (0: all exact) with the
 * first max_lines described in *lines (in a), and the number of totals
 * rows the records make in *rows; -1 on error. */
int store_measures_check(Store *s, Arena *a, int max_lines, char ***lines, long long *rows);

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
/* Every target, grouped by scope in the scopes' order (for pages of many
 * areas: store_targets_of_scope finds one area's by bisection); count or
 * -1. Within a scope the order is none in particular. Outside a
 * transaction the connection keeps them while nothing in no area changes
 * (targets_memo in store_plan.c): a call copies the array, not the text. */
int store_targets_by_scope(Store *s, Arena *a, Target **out);
/* The targets of scope as store_targets gives them but in no particular
 * order, from the connection's memory of every target (kept while nothing
 * in no area changes); count or -1. */
int store_targets_in_scope(Store *s, Arena *a, const char *scope, Target **out);
/* The targets of scope in t (grouped as store_targets_by_scope gives):
 * *first and their count. */
int store_targets_of_scope(const Target *t, int nt, const char *scope, const Target **first);
/* Sets (inserts or replaces) one target; the caller holds the transaction. */
int store_target_set(Store *s, const char *indicator, const char *scope, int year, double value, const char *op,
                     const char *source);
int store_target_delete(Store *s, const char *indicator, const char *scope, int year);

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
long long store_firm_insert(Store *s, const char *name, const char *uscc, long long base_id, const char *area,
                            const char *entered_on, const char *founded_on, const char *industry,
                            int in_leading_industry, int high_tech, const char *graduated_on);

/* The area of base id: 1 found (*area set), 0 not found, -1 error. */
int store_base_area(Store *s, Arena *a, long long id, const char **area);
/* The same with the base's name (name may be NULL); 1 found, 0 none, -1 on a store error. */
int store_base_name_area(Store *s, Arena *a, long long id, const char **name, const char **area);

/* A base's floor-area changes, oldest first. Returns count or -1. */
typedef struct AreaChange {
	const char *on, *note;
	double total_delta, incubation_delta;
} AreaChange;
int store_base_area_changes(Store *s, Arena *a, long long base_id, AreaChange **out);

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

/* ---- registry records by kind (store_records.c) ---- */

/* Filters of a list; NULL: no filter. extra1/extra2 are the kind's own
 * (bases: kind, level). sort names a whitelisted field. */
typedef struct RecordFilter {
	const char *area, *review_status, *q, *from, *to, *extra1, *extra2, *sort;
	int desc, limit, offset;
} RecordFilter;

/* A proposed change to an approved record, waiting for the office. */
typedef struct PendingChange {
	long long id, record_id;
	const char *kind, *area, *payload, *status, *submitted_by, *submitted_at, *reviewed_by, *reviewed_at, *note;
} PendingChange;

/* A new record waiting for review. */
typedef struct ReviewItem {
	const char *kind, *name, *area, *review_status, *by, *at;
	long long id;
} ReviewItem;

/* Inserts/updates with values in the order of the kind's writable fields. */
long long store_record_insert(Store *s, const char *kind, const char *const *values, int n,
                              const char *review_status, const char *actor);
int store_record_update(Store *s, const char *kind, long long id, const char *const *values, int n,
                        const char *review_status);
/* The record as a JSON object (field names as keys); NULL when absent or
 * on a store error. store_record_json_get tells the two apart: 1 found
 * (*out set), 0 absent, -1 a store error. */
const char *store_record_json(Store *s, Arena *a, const char *kind, long long id);
int store_record_json_get(Store *s, Arena *a, const char *kind, long long id, const char **out);
/* An import's repeated lookups (a base's area and existence, a firm by
 * its 统一社会信用代码 or natural key) answered from memory after the first
 * time, from store_memo_begin to store_memo_end, inside one write
 * transaction; any write of the records on this connection forgets them;
 * the page cache sized for rows rows meanwhile (store_memo.c). The
 * transaction's commit or rollback ends them. */
void store_memo_begin(Store *s, int rows);
void store_memo_end(Store *s);
/* Inserts the n new records of kind whose writable values are values[r]
 * (the kind's order, as store_record_insert takes them), as review_status
 * by actor, with one audit row each ("create", by actor from addr, before
 * NULL, after compact: store_audit_after), the records' created_at and
 * updated_at and the audit rows' at one time; in the caller's transaction,
 * by a statement per 64 rows. ids[r]: the new ids. H_OK, or H_ERR with
 * *failed_at the row the database refused (-1: no row's fault). */
int store_records_insert_run(Store *s, const char *kind, const char *const *const *values, int n,
                             const char *review_status, const char *actor, const char *addr, long long *ids,
                             int *failed_at);
/* An audit row's after as people and the API read it: a run's compact
 * after (a JSON array, store_records_insert_run) as the record's JSON
 * object (id, the columns inserted, created_by, created_at, updated_at;
 * without the names store_record_json looks up); any other after as it is.
 * In a. */
const char *store_audit_after(Arena *a, const char *kind, const char *action, const char *record_id,
                              const char *user, const char *at, const char *after);
/* One page of records as JSON texts; returns the count or -1; *total matches the filter. */
int store_record_list(Store *s, Arena *a, const char *kind, const RecordFilter *f, const char ***rows,
                      long long *total);
/* The SQL texts store_record_list and store_record_cursor run for f: the
 * list's (ids in order, ?10 limit, ?11 offset; with export the cursor's
 * rows of columns) and, in *count, the count's when the filters go beyond
 * area and review status (which are counted from record_count); static for
 * the process's life. For EXPLAIN in tests. NULL for an unknown kind. */
const char *store_record_list_sql(const char *kind, const RecordFilter *f, const char **count, int export);
/* The records of kind matching f, in the list's order (f->limit > 0: at
 * most that many; no offset), read one at a time in one read transaction
 * begun here (the snapshot of an export: see store_records.c), each as the
 * values of the columns of the kind's fields (registry.c; named by
 * store_record_cursor_columns); *total: how many match. NULL on failure
 * (store_errmsg). */
typedef struct RecordCursor RecordCursor;
RecordCursor *store_record_cursor(Store *s, const char *kind, const RecordFilter *f, long long *total);
/* The cursor's columns: how many, and their names (the fields', "id",
 * "name", ...) in *names, as long as the cursor. */
int store_record_cursor_columns(const RecordCursor *c, const char *const **names);
/* One value of a record as a cursor reads it: as its JSON
 * (store_record_json) has it. */
enum { SV_NULL, SV_NUM, SV_TEXT };
typedef struct StoreValue {
	int type;         /* SV_NULL, SV_NUM (integers and reals), SV_TEXT */
	double num;       /* SV_NUM: a real to 15 significant digits */
	const char *text; /* SV_TEXT: as stored (a NUL or a byte not UTF-8 as U+FFFD), until the next row */
} StoreValue;
/* The next record's values into v[0..columns): 1; 0 at the end; -1 when
 * the read failed (store_errmsg). */
int store_record_cursor_next(RecordCursor *c, StoreValue *v);
/* Ends the read transaction. */
void store_record_cursor_close(RecordCursor *c);
int store_record_scope(Store *s, Arena *a, const char *kind, long long id, const char **area, long long *base_id);
/* As store_record_scope, with the record's review status (approved, pending, ...). */
int store_record_visibility(Store *s, Arena *a, const char *kind, long long id, const char **area,
                            long long *base_id, const char **review_status);
int store_record_set_review(Store *s, const char *kind, long long id, const char *status, const char *note);
int store_record_delete(Store *s, const char *kind, long long id);
/* What depends on the record, in Chinese ("3 支基金、12 家在孵企业"); "" when nothing, NULL on error. */
const char *store_record_dependents(Store *s, Arena *a, const char *kind, long long id);
/* The record of kind whose natural key (registry_natural_key: field names)
 * has these values, other than except_id: id, 0 none, -1 error. */
long long store_record_by_key(Store *s, const char *kind, const char *const *key, const char *const *vals,
                              long long except_id);
/* The id of another record of kind (only "firms" has one) with this 统一社会信用代码
 * than except_id; 0 none, -1 error. */
long long store_record_uscc_owner(Store *s, const char *kind, const char *uscc, long long except_id);
/* 1 when a row with id exists in table (operator, base, fund); 0 not; -1 error. */
int store_record_exists(Store *s, const char *table, long long id);
/* A record another refers to (operator, base, fund), as a picker shows it. */
typedef struct RefChoice {
	long long id;
	const char *name, *area;
} RefChoice;
/* The records of table (operator, base, fund) named exactly name, at most
 * max, by id: their count, -1 on error. */
int store_ref_named(Store *s, Arena *a, const char *table, const char *name, int max, RefChoice **out);
/* The records of table whose name contains q ("" all), those of area first
 * (NULL none), by name, at most limit: their count, -1 on error. */
int store_ref_choices(Store *s, Arena *a, const char *table, const char *q, const char *area, int limit, RefChoice **out);
/* The record of table with id: 1 found, 0 not, -1 error. */
int store_ref_get(Store *s, Arena *a, const char *table, long long id, RefChoice *out);

long long store_change_propose(Store *s, const char *kind, long long record_id, const char *area,
                               const char *payload, const char *by);
/* The open change `by` proposed for record_id of kind (the newest when
 * there are several): 1 found, 0 none, -1 error. */
int store_change_open_by(Store *s, Arena *a, const char *kind, long long record_id, const char *by, PendingChange *c);
/* Replaces an open change's proposed values (and area), dated now: the
 * same proposer saving again. H_ERR when it is no longer open. */
int store_change_replace(Store *s, long long id, const char *area, const char *payload);
/* Open proposed changes (area, kind, record_id 0 = any). */
int store_changes(Store *s, Arena *a, const char *area, const char *kind, long long record_id, PendingChange **out);
int store_change_get(Store *s, Arena *a, long long id, PendingChange *c); /* 1, 0, -1 */
/* Marks an open change approved or returned; H_ERR when it is not open. */
int store_change_close(Store *s, long long id, const char *status, const char *by, const char *note);
/* What the office's review queue shows: an area (with the areas under it)
 * or NULL for all, a kind ("bases", ...) or NULL, at most limit (0: all)
 * from offset. The new records waiting, oldest first; *total: how many
 * match (total may be NULL). */
typedef struct ReviewFilter {
	const char *area, *kind;
	int limit, offset;
} ReviewFilter;
int store_review_queue(Store *s, Arena *a, const ReviewFilter *f, ReviewItem **out, int *total);
/* Open proposed changes as the queue shows them (by submission, oldest
 * first); *total: how many match (total may be NULL). */
int store_changes_waiting(Store *s, Arena *a, const ReviewFilter *f, PendingChange **out, int *total);

/* ---- what waits for someone (store_workbench.c) ---- */

/* A record returned to its reporter (status "returned"), a draft ("draft"),
 * or a proposed change returned ("change_returned", change_id its id). */
typedef struct WaitingItem {
	const char *kind, *name, *status, *note, *at;
	long long id, change_id;
} WaitingItem;
/* Those of an area (NULL: any) and/or by a user (NULL: anyone), newest
 * first, at most 200. Count or -1. */
int store_work_returned(Store *s, Arena *a, const char *area, const char *by, WaitingItem **out);
/* New records and proposed changes waiting for the office; -1 on error. */
long long store_review_waiting(Store *s);

/* ---- progress measures (store_progress.c) ---- */

/* 1 when measure names one of the measures of docs/PLAN-FORMAT.md. */
int store_measure_known(const char *measure);
/* The value of a measure over approved records dated in [from, to], for one
 * area or (area NULL) the whole city. *ok is 0 when the measure is unknown
 * or the query failed. */
double store_measure(Store *s, const char *measure, const char *level, const char *area,
                     const char *from, const char *to, int *ok);

/* The same for every area at once (a page of every area made in full):
 * one statement over the kept totals, one snapshot. Returns the number of
 * areas (their codes and values in a, in no particular order; each value
 * what store_measure gives for that area), 0 when the caller must ask
 * store_measure per area (the totals are off or a date is not one; or no
 * area), -1 on a store error. */
int store_measure_every_area(Store *s, Arena *a, const char *measure, const char *level, const char *from,
                             const char *to, const char ***codes, double **values);

/* One record behind a progress figure: what it adds and when. */
typedef struct MeasureRow {
	const char *kind, *name, *on, *note;
	long long id;
	double value;
} MeasureRow;
/* The records a measure counts in the window (same rules as store_measure). */
int store_measure_records(Store *s, Arena *a, const char *measure, const char *level, const char *area,
                          const char *from, const char *to, MeasureRow **out);

/* ---- evaluation (store_eval.c) ---- */


typedef struct Verdict {
	const char *rule_set, *rule_id, *verdict, *note, *by, *at;
} Verdict;

/* Replaces (or adds) a rule set with its rules; the caller holds the transaction. */
int store_rule_set_save(Store *s, const RuleSet *rs, const char *origin, int sort);
/* Every rule set with its rules (the plan's first). Returns the count or -1. */
int store_rule_sets(Store *s, Arena *a, RuleSet **out);
/* Sets (has 1) or clears a rule's points in its set's rubric; H_ERR for an unknown rule. */
int store_rule_score_set(Store *s, const char *set, const char *rule_id, double score, int has);
/* The facts of a base the measures read (eval.h): 1 found, 0 not, -1 error. */
int store_eval_facts(Store *s, Arena *a, long long id, BaseFacts *f);
int store_base_reported_firms_set(Store *s, long long base_id, int total, int leading);
/* A base's annual figures up to year_max, newest year first. Count or -1. */
int store_base_figures(Store *s, Arena *a, long long base_id, int year_max, BaseFigure **out);
/* Sets (has 1) or removes one annual figure. */
int store_base_figure_set(Store *s, long long base_id, int year, const char *field, double value, int has,
                          const char *by);
/* Verdicts on judged rules of a base (set NULL: all sets). Count or -1. */
int store_verdicts(Store *s, Arena *a, long long base_id, const char *set, Verdict **out);
/* Records (verdict "pass"/"fail") or, with verdict NULL, removes a verdict. */
int store_verdict_set(Store *s, long long base_id, const char *set, const char *rule_id, const char *verdict,
                      const char *note, const char *by);
/* An application for recognition (成熟一个、备案一个). */
typedef struct Recognition {
	long long id, base_id;
	const char *base_name, *area, *level, *status, *applied_by, *applied_at, *endorsed_by, *endorsed_at;
	const char *filed_by, *filed_on, *document, *note;
} Recognition;
long long store_recognition_insert(Store *s, long long base_id, const char *area, const char *level, const char *by);
/* Applications (base_id 0, status NULL, area NULL: any), newest first. Count or -1. */
int store_recognitions(Store *s, Arena *a, long long base_id, const char *status, const char *area, Recognition **out);
int store_recognition_get(Store *s, Arena *a, long long id, Recognition *out); /* 1, 0, -1 */
/* Moves an application to status; NULL arguments keep what is there. */
int store_recognition_update(Store *s, long long id, const char *status, const char *by, const char *filed_on,
                             const char *document, const char *note, const char *evaluation);

/* The ids of approved bases, by area and name. Count or -1. */
int store_approved_base_ids(Store *s, Arena *a, long long **out);

/* ---- users, sessions and audit (store_users.c) ---- */

long long store_user_insert(Store *s, const char *name, const char *role, const char *scope,
                            const char *password_hash, int must_change);
/* One user: 1 found, 0 not found, -1 error. */
int store_user_by_name(Store *s, Arena *a, const char *name, User *out);
int store_user_by_id(Store *s, Arena *a, long long id, User *out);
int store_users(Store *s, Arena *a, User **out); /* count or -1 */
int store_user_set_password(Store *s, long long id, const char *hash, int must_change);
int store_user_set_disabled(Store *s, long long id, int disabled);
int store_user_logged_in(Store *s, long long id);
/* The user as audit JSON (never the password hash); NULL when absent. */
const char *store_user_json(Store *s, Arena *a, long long id);

int store_session_insert(Store *s, const char *token_hash, long long user_id, const char *csrf,
                         const char *addr, long long now);
int store_session_lookup(Store *s, Arena *a, const char *token_hash, Session *out); /* 1, 0, -1 */
int store_session_touch(Store *s, const char *token_hash, long long now);
int store_session_delete(Store *s, const char *token_hash);
int store_sessions_delete_user(Store *s, long long user_id); /* sessions ended, or -1 */
/* Ends a user's sessions but the one of keep_token_hash; the number ended, or -1. */
int store_sessions_delete_user_except(Store *s, long long user_id, const char *keep_token_hash);
int store_sessions_expire(Store *s, long long idle_before, long long created_before);
int store_sessions(Store *s, Arena *a, Session **out); /* count or -1; csrf left NULL */

/* Failed logins by key ("pair:" and a hash of name and address, "addr:IP"), for throttling. */
int store_login_failure_add(Store *s, const char *key, long long now);
/* The failures of key at or after since: their number and the time of the last (0: none). */
int store_login_failures(Store *s, const char *key, long long since, int *count, long long *last);
int store_login_failures_clear(Store *s, const char *key);

/* Appends an audit row. user NULL means "system". */
int store_audit(Store *s, const char *user, const char *addr, const char *action,
                const char *record_kind, const char *record_id,
                const char *before_json, const char *after_json);
/* The same with before and after as JSON values (either NULL: none), written
 * with jansson so that no text in them is cut or left unescaped; takes both
 * references. H_ERR also when a value cannot be written as JSON. Audit rows
 * are never built with printf (tools/fmtcheck.c refuses it). */
struct json_t;
int store_audit_json(Store *s, const char *user, const char *addr, const char *action,
                     const char *record_kind, const char *record_id,
                     struct json_t *before, struct json_t *after);
/* The same at a given time (ISO 8601 UTC), for steps the sample data dates
 * in the past; NULL: now. */
int store_audit_json_at(Store *s, const char *at, const char *user, const char *addr, const char *action,
                        const char *record_kind, const char *record_id, struct json_t *before,
                        struct json_t *after);

#endif
