/*
 * test_fmtcheck.c — the format checker (tools/fmtcheck.c) on the real
 * sources and on planted fixtures (tests/fmtcheck/): the tree passes; a %s
 * taking a variable, a wrong argument count, JSON made with snprintf, a
 * wrapper's caller, html_vprintf outside a wrapper, a page writing a
 * variable into its response and an atoi each fail with the finding named at its line;
 * the good fixture, with every accepted form, passes.
 * The checker is found next to $HATCHERY_BIN (build/fmtcheck).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Runs the checker on path (relative to $HATCHERY_SRC); returns its exit
 * status and its output (both streams) in out. */
static int run_check(const char *path, char *out, size_t cap)
{
	const char *bin = getenv("HATCHERY_BIN"), *src = getenv("HATCHERY_SRC");
	assert_non_null(bin);
	assert_non_null(src);
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", bin);
	char *slash = strrchr(dir, '/');
	assert_non_null(slash);
	*slash = 0;
	char cmd[3072];
	snprintf(cmd, sizeof cmd, "'%s/fmtcheck' '%s/%s' 2>&1", dir, src, path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = 0;
	int st = pclose(p);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_the_sources_pass(void **state)
{
	char out[65536];
	int rc = run_check("src", out, sizeof out);
	if (rc != 0)
		fail_msg("fmtcheck src:\n%s", out);
	assert_non_null(strstr(out, "no findings"));
}

static void test_good_fixture_passes(void **state)
{
	char out[8192];
	int rc = run_check("tests/fmtcheck/good.c", out, sizeof out);
	if (rc != 0)
		fail_msg("good.c:\n%s", out);
}

/* Each planted fixture fails with exactly one finding, at its line, saying what. */
static void expect_one(const char *fixture, int line, const char *what)
{
	char out[8192], where[256];
	assert_int_equal(run_check(fixture, out, sizeof out), 1);
	snprintf(where, sizeof where, "%s:%d: ", fixture, line);
	if (!strstr(out, where) || !strstr(out, what) || !strstr(out, "1 finding in 1 file"))
		fail_msg("%s: want one finding at line %d with \"%s\", got:\n%s", fixture, line, what, out);
}

static void test_planted_s_with_a_variable_fails(void **state)
{
	expect_one("tests/fmtcheck/bad_s.c", 4, "%s takes `name`");
}

static void test_argument_count_fails(void **state)
{
	expect_one("tests/fmtcheck/bad_count.c", 5, "take 4 arguments, the call gives 3");
}

static void test_json_by_snprintf_fails(void **state)
{
	expect_one("tests/fmtcheck/bad_json.c", 5, "builds JSON with a format");
}

static void test_wrapper_caller_fails(void **state)
{
	expect_one("tests/fmtcheck/bad_wrapper.c", 14, "say: %s takes `name`");
}

static void test_vprintf_outside_wrapper_fails(void **state)
{
	expect_one("tests/fmtcheck/bad_vprintf.c", 6, "html_vprintf outside a printf-like wrapper");
}

static void test_atoi_fails(void **state)
{
	expect_one("tests/fmtcheck/bad_atoi.c", 4, "atoi reads");
}

static void test_page_writing_into_response_fails(void **state)
{
	expect_one("tests/fmtcheck/page_bad_out.c", 5, "buf_puts writes into the response");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_sources_pass),
		cmocka_unit_test(test_good_fixture_passes),
		cmocka_unit_test(test_planted_s_with_a_variable_fails),
		cmocka_unit_test(test_argument_count_fails),
		cmocka_unit_test(test_json_by_snprintf_fails),
		cmocka_unit_test(test_wrapper_caller_fails),
		cmocka_unit_test(test_vprintf_outside_wrapper_fails),
		cmocka_unit_test(test_page_writing_into_response_fails),
		cmocka_unit_test(test_atoi_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
