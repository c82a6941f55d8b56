/*
 * auth.h — passwords (argon2id through libsodium) and random secrets.
 * Sessions, roles and scopes are built on these by the accounts issue.
 */
#ifndef HATCHERY_AUTH_H
#define HATCHERY_AUTH_H

#include <stddef.h>

#define AUTH_HASH_MAX 128   /* crypto_pwhash_STRBYTES */
#define AUTH_MIN_PASSWORD 10    /* characters, not bytes */
#define AUTH_MAX_PASSWORD 1024  /* bytes */

/* Must be called once before any other auth_ function; H_OK or H_ERR. */
int auth_init(void);
/* A real argon2id hash of a random password, made on first use: verifying
 * against it costs what a real check costs. */
const char *auth_dummy_hash(void);
/* Writes an "$argon2id$..." string into out. H_ERR only when out of memory. */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);
/* 1 when hash was made with other settings than auth_hash_password's
 * (an older hash: made again at the next login). */
int auth_needs_rehash(const char *hash);
/* 1 when password matches hash. */
int auth_verify_password(const char *hash, const char *password);
/* A random password of n-1 characters from an alphabet without look-alikes. */
void auth_random_password(char *out, size_t n);
/* Checks a chosen password: at least 10 characters (not bytes), at least 4
 * different ones, not a run like "abcdefghij", not containing the user
 * name, not a common password (data/common-passwords.txt) with or without
 * digits and symbols around it. NULL when acceptable, else the reason in
 * Chinese, saying what to do. */
const char *auth_password_problem(const char *user, const char *password);
/* 1 when password is a common one, in any letter case, or a common one
 * with digits or symbols before or after it. */
int auth_password_is_common(const char *password);

#endif
