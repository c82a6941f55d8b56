/*
 * rules.h — rule-set files (docs/RULES-FORMAT.md): the embedded ones and
 * loading one into a database.
 */
#ifndef HATCHERY_RULES_H
#define HATCHERY_RULES_H

#include "plan.h"
#include "store.h"

typedef struct EmbeddedRules {
	const char *name;            /* as in the source tree: rules/x.json */
	const char *data;
	const unsigned long *len;
} EmbeddedRules;

extern const EmbeddedRules embedded_rules[];
extern const int embedded_rules_count;

/* Checks a rules file and saves its set (replacing one of the same code),
 * with an audit row, inside the caller's transaction. A broken file is
 * refused with the place and the reason in err, and nothing is written. */
int rules_load(Store *s, Arena *a, const char *text, size_t len, const char *origin, const char *actor, char *err,
               size_t errsz);

#endif
