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

const char *auth_password_problem(const char *user, const char *password)
{
	if (strlen(password) < AUTH_MIN_PASSWORD)
		return "密码至少需要 10 个字符 (at least 10 characters)";
	if (user && *user && strcasestr(password, user))
		return "密码不能包含用户名 (must not contain the user name)";
	return NULL;
}
