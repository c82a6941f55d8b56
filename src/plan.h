/*
 * plan.h — the plan file (docs/PLAN-FORMAT.md): parsing, checking, and the
 * embedded Ruian plan.
 */
#ifndef HATCHERY_PLAN_H
#define HATCHERY_PLAN_H

#include "model.h"
#include "util.h"

/* Plan, the parsed plan file: model.h. */

/* The plan compiled into the binary (plans/ruian-2022-2024.json). */
extern const char plan_embedded_ruian[];
extern const unsigned long plan_embedded_ruian_len;

/*
 * Parses and checks a plan. On success returns a Plan allocated in arena.
 * On failure returns NULL and writes into err one line naming the place in
 * the file and what is wrong, prefixed by origin ("plans/x.json: targets[3].scope: ...").
 */
Plan *plan_parse(Arena *arena, const char *text, size_t len, const char *origin,
                 char *err, size_t errsz);

/* Parses and checks a rules file (docs/RULES-FORMAT.md): one rule set. NULL
 * with err naming the place ("rules/x.json: (top).rules[3].op: ...") when broken. */
RuleSet *rules_parse(Arena *arena, const char *text, size_t len, const char *origin, char *err, size_t errsz);

/* Lookups in a parsed plan; NULL when absent. */
const Indicator *plan_indicator(const Plan *p, const char *code);
const Area *plan_area(const Plan *p, const char *code);
/* The area (not the city) with this name; NULL when none. */
const Area *plan_area_by_name(const Plan *p, const char *name);

/* Names for codes, from the plan (the code itself when unknown; "" for NULL). */
const char *vocab_name(const Plan *p, const char *list, const char *code);
const char *area_name(const Plan *p, const char *code);
const char *department_name(const Plan *p, const char *code);
const char *group_name(const Plan *p, const char *code);

#endif
