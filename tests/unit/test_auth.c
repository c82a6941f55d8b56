/*
 * test_auth.c — the password rule (auth_password_problem): length in
 * characters, too few different characters, runs, the user name, and the
 * list of common passwords with digits and symbols around them; and the
 * login throttle's waits (login_pair_delay, login_addr_delay).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "auth.h"
#include "session.h"

static void refused(const char *user, const char *pw, const char *words)
{
	const char *p = auth_password_problem(user, pw);
	if (!p)
		fail_msg("\"%s\" was accepted", pw);
	if (!strstr(p, words))
		fail_msg("\"%s\": \"%s\" does not say \"%s\"", pw, p, words);
}

static void accepted(const char *user, const char *pw)
{
	const char *p = auth_password_problem(user, pw);
	if (p)
		fail_msg("\"%s\" was refused: %s", pw, p);
}

static void test_length_in_characters(void **state)
{
	refused("u1", "Xk7-mq2Lp", "至少需要 10 个字符");
	accepted("u1", "Xk7-mq2Lpz");
	/* five Chinese characters are fifteen bytes but five characters */
	refused("u1", "春眠不觉晓", "至少需要 10 个字符");
	accepted("u1", "春眠不觉晓处处闻啼鸟");
}

static void test_repeats_and_runs(void **state)
{
	refused("u1", "aaaaaaaaaa", "不同的字符太少");
	refused("u1", "ababababababab", "不同的字符太少");
	refused("u1", "abcabcabcabc", "不同的字符太少");
	refused("u1", "abcdefghij", "连续的字母或数字");
	refused("u1", "9876543210", "连续的字母或数字");
	refused("u1", "4567890123", "连续的字母或数字");
	refused("u1", "ABCDEFGHIJKL", "连续的字母或数字");
}

static void test_user_name(void **state)
{
	refused("feiyun_reporter", "my-Feiyun_Reporter-9", "用户名");
	accepted("feiyun_reporter", "river-lamp-quiet-42");
}

static void test_common_passwords(void **state)
{
	refused("u1", "1234567890", "连续"); /* a run first */
	refused("u1", "qwertyuiop", "常见密码");
	refused("u1", "Password2024!", "常见密码");
	refused("u1", "!!iloveyou!!", "常见密码");
	refused("u1", "woaini1314520", "常见密码");
	refused("u1", "1qaz2wsx3edc", "常见密码");
	refused("u1", "Qazwsx123456", "常见密码");
	assert_true(auth_password_is_common("PASSWORD"));
	assert_false(auth_password_is_common("Reporter-pass-2024"));
	accepted("u1", "Reporter-pass-2024");
	accepted("u1", "correct horse battery staple");
}

static void test_throttle_waits(void **state)
{
	assert_int_equal(login_pair_delay(0), 0);
	assert_int_equal(login_pair_delay(LOGIN_PAIR_FREE - 1), 0);
	assert_int_equal(login_pair_delay(LOGIN_PAIR_FREE), 15);
	assert_int_equal(login_pair_delay(LOGIN_PAIR_FREE + 1), 30);
	assert_int_equal(login_pair_delay(LOGIN_PAIR_FREE + 5), 480);
	assert_int_equal(login_pair_delay(LOGIN_PAIR_FREE + 6), 900);
	assert_int_equal(login_pair_delay(1000000), 900);
	assert_int_equal(login_addr_delay(LOGIN_ADDR_FREE - 1), 0);
	assert_int_equal(login_addr_delay(LOGIN_ADDR_FREE), 1);
	assert_int_equal(login_addr_delay(LOGIN_ADDR_FREE + 10), 2);
	assert_int_equal(login_addr_delay(1000000), 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length_in_characters),
		cmocka_unit_test(test_repeats_and_runs),
		cmocka_unit_test(test_user_name),
		cmocka_unit_test(test_common_passwords),
		cmocka_unit_test(test_throttle_waits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
