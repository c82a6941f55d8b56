/*
 * test_cli.c — the commands as a user types them: usage mistakes exit 2
 * with a usage line, a broken plan is refused with its place and writes
 * nothing, init refuses to overwrite, help and version answer, `check`
 * and `rebuild` find and mend kept totals, the policy commands check, load
 * (audited) and list, and the
 * server writes one access-log line per request and stops on SIGINT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"

static char dir[128];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/hatchery-cli-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs `hatchery ARGS` with stderr folded into stdout; returns the exit
 * status and the output (malloc'd) in *out. */
static int hatchery(const char *args, char **out)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "HATCHERY_ADMIN_PASSWORD=%s '%s' %s 2>&1", TEST_ADMIN_PASSWORD, getenv("HATCHERY_BIN"), args);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, p);
	buf[n] = 0;
	int st = pclose(p);
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect(const char *args, int status, const char *contains)
{
	char *out;
	int st = hatchery(args, &out);
	if (st != status || (contains && !strstr(out, contains)))
		fail_msg("hatchery %s: exit %d (want %d), output:\n%s", args, st, status, out);
	free(out);
}

static void test_usage_mistakes(void **state)
{
	expect("", 2, "commands:");
	expect("frobnicate", 2, "unknown command");
	expect("init", 2, "usage: hatchery init");
	expect("init --db", 2, "--db needs a value");
	expect("init --db x.db --bogus", 2, "unknown option --bogus");
	expect("serve", 2, "--db FILE is required");
	expect("serve --db /nonexistent.db --listen nowhere", 2, "HOST:PORT");
	expect("plan check", 2, "usage: hatchery plan check");
	expect("user add --db x.db", 2, "usage: hatchery user add");
	expect("help nothing-like-this", 2, "no command");
}

static void test_help_and_version(void **state)
{
	expect("version", 0, "hatchery 0.");
	expect("help", 0, "hatchery init --db FILE");
	expect("help init", 0, "HATCHERY_ADMIN_PASSWORD");
	expect("help plan check", 0, "first problem");
	expect("help routes", 0, "/recognitions/{id:int}/endorse");
	expect("help user", 0, "hatchery user add"); /* a group: all its commands */
	expect("help user", 0, "hatchery user passwd");
	/* a group: its commands, not "no command" */
	expect("help report", 0, "hatchery report status --db FILE");
	expect("help report", 0, "hatchery report remind");
	expect("help outbox", 0, "hatchery outbox webhook");
	expect("report", 2, "hatchery report status --db FILE");
	expect("report frobnicate", 2, "hatchery report remind");
}

static void test_broken_plan_writes_nothing(void **state)
{
	char plan[256], db[256], args[600];
	snprintf(plan, sizeof plan, "%s/broken.json", dir);
	snprintf(db, sizeof db, "%s/never.db", dir);
	/* the embedded plan with one target's scope changed to an unknown area */
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "python3 -c \"import json,sys; d=json.load(open('%s/plans/ruian-2022-2024.json')); "
	         "d['targets'][2]['scope']='atlantis'; json.dump(d, open('%s','w'), ensure_ascii=False)\"",
	         getenv("HATCHERY_SRC") ? getenv("HATCHERY_SRC") : ".", plan);
	assert_int_equal(system(cmd), 0);
	snprintf(args, sizeof args, "plan check '%s'", plan);
	expect(args, 1, "targets[2].scope: unknown area or department \"atlantis\"");
	snprintf(args, sizeof args, "init --db '%s' --plan '%s' --demo", db, plan);
	expect(args, 1, "targets[2].scope");
	assert_int_not_equal(access(db, F_OK), 0); /* nothing written */
	/* not JSON at all */
	FILE *f = fopen(plan, "w");
	fputs("{\"format\": \"hatchery-plan/1\",\n  oops }", f);
	fclose(f);
	snprintf(args, sizeof args, "plan check '%s'", plan);
	expect(args, 1, "line 2");
	/* the embedded plan checks */
	snprintf(args, sizeof args, "plan check '%s/plans/ruian-2022-2024.json'", getenv("HATCHERY_SRC") ? getenv("HATCHERY_SRC") : ".");
	expect(args, 0, "25 areas");
}

static void test_init_once(void **state)
{
	char db[256], args[600];
	snprintf(db, sizeof db, "%s/once.db", dir);
	snprintf(args, sizeof args, "init --db '%s' --demo", db);
	expect(args, 0, "40 bases");
	expect(args, 1, "already holds a plan");
	/* the area codes --scope takes, with their names */
	snprintf(args, sizeof args, "areas --db '%s'", db);
	expect(args, 0, "feiyun");
	expect(args, 0, "飞云街道 (云江区块街道)");
	/* a generated admin password is printed when none is given */
	snprintf(db, sizeof db, "%s/gen.db", dir);
	char cmd[700], *out;
	snprintf(cmd, sizeof cmd, "env -u HATCHERY_ADMIN_PASSWORD '%s' init --db '%s'", getenv("HATCHERY_BIN"), db);
	FILE *p = popen(cmd, "r");
	out = calloc(1, 4096);
	size_t n = fread(out, 1, 4095, p);
	out[n] = 0;
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, "user admin (admin): password "));
	assert_non_null(strstr(out, "must be changed"));
	free(out);
}

/* One access-log line per request; SIGINT stops the server cleanly. */
/* `check` finds a kept total that differs from the records (exit 1, the
 * row named), `rebuild` makes them afresh (audited), then `check` is clean. */
static void test_check_and_rebuild(void **state)
{
	char db[256], args[600], cmd[1024];
	snprintf(db, sizeof db, "%s/totals.db", dir);
	snprintf(args, sizeof args, "init --db '%s' --demo", db);
	expect(args, 0, "40 bases");
	snprintf(args, sizeof args, "check --db '%s'", db);
	expect(args, 0, "exact");
	snprintf(cmd, sizeof cmd,
	         "sqlite3 '%s' \"UPDATE measure_total SET v = v + 100 WHERE measure = 'funds_established' AND scope = '*' "
	         "AND g = 'd' AND rowid = (SELECT min(rowid) FROM measure_total WHERE measure = 'funds_established' "
	         "AND scope = '*' AND g = 'd')\"",
	         db);
	assert_int_equal(system(cmd), 0);
	expect(args, 1, "measure_total funds_established * d ");
	snprintf(args, sizeof args, "rebuild --db '%s'", db);
	expect(args, 0, "1 rows differed before");
	snprintf(args, sizeof args, "check --db '%s'", db);
	expect(args, 0, "exact");
	snprintf(args, sizeof args, "audit --db '%s' --kind totals", db);
	expect(args, 0, "rebuild");
	expect("check", 2, "--db FILE is required");
}

/* `policy check` names a broken file's first problem by its place (exit
 * 1) and passes the example; `policy load` refuses a broken file and
 * changes nothing, loads a good one with its audit row (the file's SHA-256,
 * the document it replaced); `policy applications` lists them. */
static void test_policy_commands(void **state)
{
	char db[256], bad[256], args[800], *out;
	const char *src = getenv("HATCHERY_SRC") ? getenv("HATCHERY_SRC") : ".";
	snprintf(db, sizeof db, "%s/policy.db", dir);
	snprintf(bad, sizeof bad, "%s/bad-policy.json", dir);
	FILE *f = fopen(bad, "w");
	fputs("{\"format\":\"hatchery-policy/1\",\"code\":\"t\",\"name\":\"t\",\"document\":\"d\",\"measures\":[{\"code\":\"m\","
	      "\"article\":\"1\",\"title\":\"t\",\"kind\":\"gift\",\"text\":\"x\",\"amount\":{\"basis\":\"fixed\",\"yuan\":1}}]}",
	      f);
	fclose(f);
	snprintf(args, sizeof args, "policy check '%s'", bad);
	expect(args, 1, "measures[0].kind: \"gift\" is not one of");
	snprintf(args, sizeof args, "policy check '%s/policies/ruian-support-example.json'", src);
	expect(args, 0, "6 measures");
	expect("policy check", 2, "name the policy file");
	snprintf(args, sizeof args, "policy load --db '%s' '%s/policies/ruian-support-example.json'", db, src);
	expect(args, 1, "does not exist");
	snprintf(args, sizeof args, "init --db '%s' --demo", db);
	expect(args, 0, "40 bases");
	/* a broken file: refused, no audit row */
	snprintf(args, sizeof args, "policy load --db '%s' '%s'", db, bad);
	expect(args, 1, "measures[0].kind");
	snprintf(args, sizeof args, "audit --db '%s' --kind policies", db);
	assert_int_equal(hatchery(args, &out), 0);
	assert_null(strstr(out, "cli   cli"));
	free(out);
	snprintf(args, sizeof args, "policy load --db '%s' '%s/policies/ruian-support-example.json'", db, src);
	expect(args, 0, "replacing the document of the same code");
	snprintf(args, sizeof args, "audit --db '%s' --kind policies", db);
	assert_int_equal(hatchery(args, &out), 0);
	char *row = strstr(out, "cli   cli   load");
	if (!row || !strstr(row, "\"sha256\":\"") || !strstr(row, "\"loaded_at\"") || !strstr(row, "ruian-support-example.json"))
		fail_msg("no audit row of the load with its file, hash and the replaced document:\n%s", out);
	free(out);
	/* the demo's year of applications, listed */
	snprintf(args, sizeof args, "policy applications --db '%s' --year 2024", db);
	expect(args, 0, "17 applications");
	expect(args, 0, "paid in all 486 万元");
	snprintf(args, sizeof args, "policy applications --db '%s' --status returned --json", db);
	expect(args, 0, "\"status\":\"returned\"");
	snprintf(args, sizeof args, "policy applications --db '%s' --status nope", db);
	expect(args, 2, "not one of applied");
}

static void test_access_log_and_sigint(void **state)
{
	char db[256], log[256], args[600];
	snprintf(db, sizeof db, "%s/log.db", dir);
	snprintf(log, sizeof log, "%s/access.log", dir);
	snprintf(args, sizeof args, "init --db '%s' --demo", db);
	expect(args, 0, NULL);
	int out[2];
	assert_int_equal(pipe(out), 0);
	pid_t pid = fork();
	if (pid == 0) {
		FILE *lf = freopen(log, "w", stderr);
		(void)lf;
		dup2(out[1], 1);
		close(out[0]);
		execl(getenv("HATCHERY_BIN"), "hatchery", "serve", "--db", db, "--listen", "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char line[256] = {0};
	size_t k = 0;
	while (k < sizeof line - 1 && read(out[0], line + k, 1) == 1 && line[k] != '\n')
		k++;
	int port = atoi(strrchr(line, ':') + 1);
	assert_true(port > 0);
	Response r;
	assert_int_equal(http_request(port, "GET", "/healthz", NULL, NULL, 0, &r), 0);
	response_free(&r);
	assert_int_equal(http_request(port, "GET", "/nope", NULL, NULL, 0, &r), 0);
	response_free(&r);
	kill(pid, SIGINT);
	int st;
	waitpid(pid, &st, 0);
	close(out[0]);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	FILE *f = fopen(log, "r");
	assert_non_null(f);
	char buf[8192] = {0};
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	assert_non_null(strstr(buf, "127.0.0.1 \"GET /healthz\" 200 2 "));
	assert_non_null(strstr(buf, "\"GET /nope\" 404 "));
	assert_non_null(strstr(buf, "SIGINT: stopping"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_mistakes),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_broken_plan_writes_nothing),
		cmocka_unit_test(test_init_once),
		cmocka_unit_test(test_check_and_rebuild),
		cmocka_unit_test(test_policy_commands),
		cmocka_unit_test(test_access_log_and_sigint),
	};
	return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
