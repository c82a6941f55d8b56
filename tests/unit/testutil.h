/*
 * testutil.h — small helpers shared by the cmocka unit tests (header-only):
 * comparing doubles, parsing the embedded Ruian plan, opening a store
 * that holds it (in memory, or a file with the demo data), running SQL.
 *
 * Include after <cmocka.h>. Every helper is static inline so that a test
 * file using only some of them compiles cleanly with -Wall -Wextra.
 */
#ifndef HATCHERY_TESTUTIL_H
#define HATCHERY_TESTUTIL_H

#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "demo.h"
#include "plan.h"
#include "store.h"
#include "util.h"

/* cmocka 1.1.5 has no assert_float_equal: fail with both values shown. */
#define assert_near(actual, expected, eps)                                          \
	do {                                                                        \
		double a_ = (actual), e_ = (expected);                              \
		if (!(fabs(a_ - e_) <= (eps)))                                      \
			fail_msg("%s = %.9g, expected %.9g (eps %g)", #actual, a_, e_, \
			         (double)(eps));                                    \
	} while (0)

/* Asserts that the string hay contains needle, showing both when not. */
#define assert_contains(hay, needle)                                                \
	do {                                                                        \
		const char *h_ = (hay), *n_ = (needle);                             \
		if (!h_ || !strstr(h_, n_))                                         \
			fail_msg("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
	} while (0)

/* Parses the embedded plan into a; fails the test when it does not parse. */
static inline Plan *tu_embedded_plan(Arena *a)
{
	char err[512] = "";
	Plan *p = plan_parse(a, plan_embedded_ruian, plan_embedded_ruian_len, "embedded", err, sizeof err);
	if (!p)
		fail_msg("embedded plan refused: %s", err);
	return p;
}

/* Opens a new in-memory store (migrated). */
static inline Store *tu_store_memory(void)
{
	char err[512] = "";
	Store *s = store_open(":memory:", STORE_CREATE, err, sizeof err);
	if (!s)
		fail_msg("store_open(:memory:): %s", err);
	return s;
}

/* Saves plan p into s in its own transaction. */
static inline void tu_save_plan(Store *s, const Plan *p)
{
	assert_int_equal(store_begin(s), H_OK);
	if (store_plan_save(s, p) != H_OK) {
		store_rollback(s);
		fail_msg("store_plan_save: %s", store_errmsg(s));
	}
	assert_int_equal(store_commit(s), H_OK);
}

/* Removes a database file and its -wal, -shm and -journal files. */
static inline void tu_remove_db(const char *path)
{
	char side[300];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

/* Loads the demo data into s, which holds plan p, in its own transaction. */
static inline void tu_load_demo(Store *s, const Plan *p)
{
	char err[512] = "";
	assert_int_equal(store_begin(s), H_OK);
	if (demo_load(s, p, err, sizeof err) != H_OK)
		fail_msg("demo_load: %s %s", err, store_errmsg(s));
	assert_int_equal(store_commit(s), H_OK);
}

/* A new database file at path (what was there removed) holding plan p and
 * the demo data: for tests that open a second connection to it. */
static inline Store *tu_store_demo_file(const char *path, const Plan *p)
{
	char err[512] = "";
	tu_remove_db(path);
	Store *s = store_open(path, STORE_CREATE, err, sizeof err);
	if (!s)
		fail_msg("store_open(%s): %s", path, err);
	tu_save_plan(s, p);
	tu_load_demo(s, p);
	return s;
}

/* Runs sql (one statement or several) on s; fails the test with SQLite's message. */
static inline void tu_exec(Store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(s), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* A field of /proc/self/status in KiB ("VmHWM": the peak size, "VmRSS":
 * the size now); -1 when there is none. */
static inline long tu_status_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = atol(line + n + 1);
	if (f)
		fclose(f);
	return v;
}

/* Gives freed memory back, sets the peak size back to the size now (Linux
 * 4.0: 5 into clear_refs) and returns that size in KiB: VmHWM later minus
 * this is what was added. */
static inline long tu_peak_reset(void)
{
	malloc_trim(0); /* memory freed before is given back: it must not hide what comes */
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (!f || fputs("5", f) < 0)
		fail_msg("cannot reset the peak size through /proc/self/clear_refs");
	fclose(f);
	return tu_status_kib("VmRSS");
}

#endif
