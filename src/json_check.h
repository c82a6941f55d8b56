/*
 * json_check.h — checking a data file read as JSON (the plan, the forms,
 * a policy): the first problem found, said with the file and the place in
 * it ("plans/x.json: areas[3].code: ..."), and members outside the ones a
 * reader knows refused (a typo in a key is an error, not a silent default).
 * The readers (plan.c, forms.c, policy.c) add their own member readers.
 */
#ifndef HATCHERY_JSON_CHECK_H
#define HATCHERY_JSON_CHECK_H

#include <stddef.h>

#include <jansson.h>

#include "util.h"

typedef struct JsonCheck {
	Arena *a;           /* what the reader keeps lives here */
	char *err;          /* the first problem, "ORIGIN: PATH: MESSAGE" */
	size_t errsz;
	const char *origin; /* the file's name or another word for where it came from */
	int failed;         /* set by the first json_fail */
} JsonCheck;

/* Records the first problem only (later ones are usually its echoes): at
 * path (a member's place, "areas[3]"), the message fmt. */
void json_fail(JsonCheck *ck, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Fails at path when obj has a member not named in allowed ("a,b,c"). */
void json_check_keys(JsonCheck *ck, json_t *obj, const char *path, const char *allowed);
/* 1 when s is one of the comma-separated words of list. */
int json_in_list(const char *list, const char *s);

#endif
