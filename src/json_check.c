/*
 * json_check.c — see json_check.h: the first problem of a data file read
 * as JSON, and its members checked against the ones a reader knows.
 */
#include "json_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void json_fail(JsonCheck *ck, const char *path, const char *fmt, ...)
{
	if (ck->failed)
		return;
	ck->failed = 1;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(ck->err, ck->errsz, "%s: %s: %s", ck->origin, path, msg);
}

int json_in_list(const char *list, const char *s)
{
	size_t sl = strlen(s);
	for (const char *p = list; *p;) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		if (l == sl && !strncmp(p, s, l))
			return 1;
		p = c ? c + 1 : p + l;
	}
	return 0;
}

void json_check_keys(JsonCheck *ck, json_t *obj, const char *path, const char *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (!json_in_list(allowed, key)) {
			json_fail(ck, path, "unknown key \"%s\" (allowed: %s)", key, allowed);
			return;
		}
	}
}
