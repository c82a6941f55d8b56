/*
 * test_checkpoint.c — the server's checkpoint thread (src/store_checkpoint.c): a
 * watched connection's large commit wakes it and it copies the WAL into the
 * database; the data stays whole; it stops cleanly (ASan: no leak).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_checkpoint.h"
#include "store.h"
#include "testutil.h"

static void temp_db(char path[64])
{
	snprintf(path, 64, "/tmp/hatchery-ckpt-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path); /* store_open makes it */
}


/* Commits about n_pages pages of new rows in one transaction. */
static void big_commit(Store *s, int n_pages, int tag)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "BEGIN; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d) "
	         "INSERT INTO setting(key, value) SELECT 'k%d-' || i, randomblob(3000) FROM c; COMMIT;",
	         n_pages, tag);
	char *err = NULL;
	if (sqlite3_exec(store_db(s), sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s", err);
}

static void test_large_commit_is_checkpointed_by_the_thread(void **state)
{
	(void)state;
	char path[64], err[256];
	temp_db(path);
	Store *s = store_open(path, STORE_CREATE, err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	Checkpointer *c = checkpointer_start(path, err, sizeof err);
	if (!c)
		fail_msg("%s", err);
	checkpointer_watch(c, s);
	long long runs0, frames0;
	checkpointer_counts(c, &runs0, &frames0);
	big_commit(s, 1500, 1);
	long long runs = 0, frames = 0;
	for (int i = 0; i < 300 && frames == frames0; i++) {
		usleep(10 * 1000);
		checkpointer_counts(c, &runs, &frames);
	}
	assert_true(runs > runs0);
	assert_true(frames >= 1500); /* the commit's pages, copied by the thread */
	/* a small commit does not wake it (it runs again within seconds anyway) */
	big_commit(s, 10, 2);
	checkpointer_stop(c);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT count(*) FROM setting WHERE key GLOB 'k*'", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1510);
	sqlite3_finalize(st);
	store_close(s);
	tu_remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_commit_is_checkpointed_by_the_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
