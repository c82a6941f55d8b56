/*
 * rules.c — loading rule-set files into a database (see rules.h).
 */
#include "rules.h"

#include <stdio.h>

int rules_load(Store *s, Arena *a, const char *text, size_t len, const char *origin, const char *actor, char *err,
               size_t errsz)
{
	RuleSet *rs = rules_parse(a, text, len, origin, err, errsz);
	if (!rs)
		return H_ERR;
	RuleSet *all;
	int n = store_rule_sets(s, a, &all);
	if (n < 0 || store_rule_set_save(s, rs, origin, n) != H_OK ||
	    store_audit(s, actor, NULL, "load", "rule_sets", rs->code, NULL, NULL) != H_OK) {
		snprintf(err, errsz, "%s: %s", origin, store_errmsg(s));
		return H_ERR;
	}
	return H_OK;
}
