/*
 * auth.c — password hashing and checking, random passwords.
 */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

int auth_init(void)
{
	return sodium_init() < 0 ? H_ERR : H_OK;
}

/* Made on first use, not at start-up: an argon2id hash costs ~60 ms and 32 MiB. */
static void make_dummy_hash(void)
{
	char pw[24];
	auth_random_password(pw, sizeof pw);
	if (auth_hash_password(pw, dummy_hash) != H_OK)
		fatal("cannot compute a password hash (out of memory)");
}

const char *auth_dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy_hash);
	return dummy_hash;
}

/* argon2id with 32 MiB and 3 passes: above both of OWASP's minimum
 * settings (19 MiB × 2 passes, 46 MiB × 1), about as slow as libsodium's
 * "interactive" 64 MiB × 2, and with half its memory, so that a login does
 * not take the server's memory past 64 MB (docs/BENCHMARKS.md). */
#define HASH_OPSLIMIT 3
#define HASH_MEMLIMIT (32u * 1024 * 1024)

int auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
	_Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password), HASH_OPSLIMIT, HASH_MEMLIMIT,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return H_ERR;
	return H_OK;
}

int auth_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, HASH_OPSLIMIT, HASH_MEMLIMIT) != 0;
}

int auth_verify_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_random_password(char *out, size_t n)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i + 1 < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	if (n)
		out[n - 1] = 0;
}

/* ---- the password rule ---- */

extern const char common_passwords[];
extern const unsigned long common_passwords_len;

static const char **common_list;
static size_t common_count;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Splits the embedded list (data/common-passwords.txt) into a sorted
 * array, once; it lives as long as the process. */
static void load_common(void)
{
	char *text = xmalloc(common_passwords_len + 1);
	memcpy(text, common_passwords, common_passwords_len + 1);
	size_t cap = 4096;
	common_list = xmalloc(cap * sizeof *common_list);
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || !line[0])
			continue;
		if (common_count == cap)
			common_list = xrealloc(common_list, (cap *= 2) * sizeof *common_list);
		common_list[common_count++] = line;
	}
	qsort(common_list, common_count, sizeof *common_list, cmp_str);
}

static int is_common(const char *lower)
{
	pthread_once(&common_once, load_common);
	return bsearch(&lower, common_list, common_count, sizeof *common_list, cmp_str) != NULL;
}

int auth_password_is_common(const char *password)
{
	char lower[AUTH_MAX_PASSWORD + 1];
	size_t n = strlen(password);
	if (n > AUTH_MAX_PASSWORD)
		return 0;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)((password[i] >= 'A' && password[i] <= 'Z') ? password[i] + 32 : password[i]);
	if (is_common(lower))
		return 1;
	/* the word within: digits and symbols before and after taken away */
	char *b = lower, *e = lower + n;
	while (*b && !(*b >= 'a' && *b <= 'z') && (unsigned char)*b < 0x80)
		b++;
	while (e > b && !(e[-1] >= 'a' && e[-1] <= 'z') && (unsigned char)e[-1] < 0x80)
		e--;
	*e = 0;
	return e - b >= 4 && is_common(b);
}

/* The code points of a UTF-8 string (at most max of them); their number.
 * A byte that starts no valid sequence counts as one character. */
static size_t code_points(const char *s, unsigned *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p) {
		unsigned cp = *p;
		int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 1;
		if (len > 1) {
			cp = *p & (0x7fu >> len);
			for (int i = 1; i < len; i++) {
				if ((p[i] & 0xc0) != 0x80) {
					cp = *p;
					len = 1;
					break;
				}
				cp = cp << 6 | (p[i] & 0x3fu);
			}
		}
		if (n < max)
			out[n] = cp;
		n++;
		p += len;
	}
	return n;
}

/* "abcdefghij", "9876543210", "3456789012": each character the one
 * after (or before) the last, digits going round. */
static int is_sequence(const unsigned *cp, size_t n)
{
	for (int step = -1; step <= 1; step += 2) {
		size_t i = 1;
		for (; i < n; i++) {
			unsigned c = cp[i - 1];
			unsigned want = step == 1 && c == '9' ? '0' : step == -1 && c == '0' ? '9' : c + (unsigned)step;
			if (cp[i] != want)
				break;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

const char *auth_password_problem(const char *user, const char *password)
{
	unsigned cp[AUTH_MAX_PASSWORD];
	size_t nbytes = strlen(password);
	if (nbytes > AUTH_MAX_PASSWORD)
		return "密码过长，请缩短后再试。";
	size_t n = code_points(password, cp, AUTH_MAX_PASSWORD);
	if (n < AUTH_MIN_PASSWORD)
		return "密码至少需要 10 个字符，请加长，例如用几个词和数字组成一句只有您知道的话。";
	size_t distinct = 0;
	for (size_t i = 0; i < n && distinct < 4; i++) {
		size_t j = 0;
		while (j < i && cp[j] != cp[i])
			j++;
		distinct += j == i;
	}
	if (distinct < 4)
		return "密码中不同的字符太少（如 aaaaaaaaaa、abcabcabca），请换一个更难猜的密码。";
	if (is_sequence(cp, n))
		return "密码不能是连续的字母或数字（如 abcdefghij、1234567890），请换一个更难猜的密码。";
	if (user && *user && strcasestr(password, user))
		return "密码不能包含用户名，请换一个。";
	if (auth_password_is_common(password))
		return "这是常见密码（或常见密码加上数字、符号），很容易被猜中，请换一个更难猜的密码。";
	return NULL;
}
