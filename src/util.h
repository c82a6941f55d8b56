/*
 * util.h — memory, growable buffers, arenas, dates and small helpers shared by
 * every part of hatchery.
 *
 * Out-of-memory policy (STYLE.md 7): application code never sees NULL from an
 * allocation; xmalloc() and friends print a message and abort().
 */
#ifndef HATCHERY_UTIL_H
#define HATCHERY_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define HATCHERY_VERSION "0.1.0"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Error vocabulary returned by every I/O-ish call (STYLE.md 10). */
enum { H_OK = 0, H_ERR = -1 };

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated. Zero-initialise to use;
 * buf_free() releases it, buf_detach() hands the bytes to the caller. */
typedef struct Buf {
	char *data;
	size_t len;
	size_t cap;
} Buf;

void buf_grow(Buf *b, size_t extra);
void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_reset(Buf *b);
void buf_free(Buf *b);
char *buf_detach(Buf *b); /* caller frees; the Buf is left empty */
const char *buf_str(const Buf *b); /* "" when empty */
/* The reader's side of a stream that fills b a piece at a time
 * (xlsx_stream.c, transfer_export.c): copies to dst at most max of b's
 * bytes from *taken on and moves *taken past them; when all are taken, b
 * is emptied and more(cls, b) makes the next piece (1: made one, maybe
 * empty; 0: there is no more; -1: failed). Returns how many bytes (> 0), 0
 * at the end, -1 when more failed. */
long buf_pull(Buf *b, size_t *taken, int (*more)(void *cls, Buf *b), void *cls, void *dst, size_t max);

/* FNV-1a over n bytes: the hash of the page cache's keys and the plan's
 * area tables (not for anything an attacker must not predict). */
uint32_t hash_fnv1a(const void *p, size_t n);

/* An arena: many allocations, one free. Each request and each CLI command
 * owns one (STYLE.md 8); store queries allocate their results in it. */
typedef struct ArenaBlock ArenaBlock;
typedef struct ArenaOwned ArenaOwned;
typedef struct Arena {
	ArenaBlock *head;
	ArenaOwned *owned; /* malloc'd memory handed over with arena_own() */
} Arena;

void *arena_alloc(Arena *a, size_t n); /* zeroed, 16-byte aligned */
char *arena_strdup(Arena *a, const char *s); /* NULL stays NULL */
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(Arena *a);
/* Hands p (from xmalloc/xrealloc) to the arena: freed by arena_free(). For
 * an array grown with realloc that ends up belonging to the arena, without
 * a copy. NULL is ignored. */
void arena_own(Arena *a, void *p);
/* Appends one zeroed element to a growing array kept in the arena and
 * returns it: *arr, *n and *cap describe the array (all zero to start). */
void *arena_push(Arena *a, void *arr, int *n, int *cap, size_t elem);

/* Strict number reading: the whole string or nothing (no atoi/atof, which
 * take "12abc" as 12, "" as 0 and overflow silently; tools/fmtcheck.c
 * refuses them in src/). parse_int: an optional '-' and decimal digits, the
 * value in [min, max]. parse_real: a finite number in strtod's decimal
 * syntax, nothing before or after. Both return 1 and set *out, or 0. */
int parse_int(const char *s, long long min, long long max, long long *out);
int parse_real(const char *s, double *out);
/* The id written in s (a positive decimal number), or 0 when s is not one
 * (NULL, empty, text): a base user's scope, a stored reference. */
long long id_or_zero(const char *s);
/* A number already checked (a record's field): its value, or 0 when s is
 * NULL, empty or not a number. */
long long int_or_zero(const char *s);
double real_or_zero(const char *s);
/* The value of the n decimal digits at s (0 when one is not a digit): the
 * year, month and day of a date already checked. */
int digits_value(const char *s, int n);
/* Text at the doors (STYLE: input checked where it enters). UTF-8 as RFC
 * 3629 defines it, strictly: no overlong forms, no surrogates (U+D800 to
 * U+DFFF), nothing above U+10FFFF, no sequence cut short. */
int utf8_valid(const char *s, size_t n);
/* The characters (not bytes) of a valid UTF-8 text: limits are told in 字. */
size_t utf8_chars(const char *s);
/* The bytes of s's first max characters (all of s when it is shorter). */
size_t utf8_prefix_len(const char *s, size_t max);
/* The offset of the first byte that makes s[0..n) unfit as the text of a
 * field: an ill-formed UTF-8 sequence, NUL, or a C0 control character other
 * than tab, CR and LF; n when there is none. *what (may be NULL) gets
 * UTF8_BAD_ENCODING or UTF8_BAD_CONTROL. */
enum { UTF8_BAD_ENCODING = 1, UTF8_BAD_CONTROL = 2 };
size_t utf8_text_bad(const char *s, size_t n, int *what);
/* s as well-formed UTF-8 for output (JSON, HTML): s itself when it is,
 * else a copy in a with each ill-formed sequence replaced by U+FFFD (one
 * per maximal ill-formed subpart, as Unicode recommends). NULL stays NULL. */
const char *utf8_sanitize(Arena *a, const char *s);

/* Dates are ISO 8601 strings "YYYY-MM-DD" everywhere. */
int date_valid(const char *s); /* 1 when s is a real calendar date */
void date_today(char out[11]); /* UTC+8, the users' calendar day */
void time_now_iso(char out[21]); /* "YYYY-MM-DDTHH:MM:SSZ" UTC */
int year_valid(int y);
/* Days from 1970-01-01 to a valid date (negative before). */
long date_days(const char *s);
/* The date n days after 1970-01-01, as YYYY-MM-DD. */
void date_from_days(long n, char out[11]);

/* Reads a whole file; returns malloc'd bytes (NUL-terminated) or NULL with errno set. */
char *file_read(const char *path, size_t *len);

/* Formats n with thousands separators (12,345.6) into out; decimals 0..3. */
void fmt_number(char *out, size_t outsz, double n, int decimals);

#endif
