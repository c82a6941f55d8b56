/*
 * fuzz_rules.c — the rule-set parser (plan.c's rules_parse) on any text;
 * a set it accepts is evaluated rule by rule on a few measured values
 * (eval_rule, eval_gap), as a base's evaluation page does.
 */
#include "eval.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Arena a = {0};
	char err[512] = "";
	RuleSet *rs = rules_parse(&a, (const char *)data, size, "fuzz.json", err, sizeof err);
	if (!rs) {
		FUZZ_CHECK(strncmp(err, "fuzz.json", 9) == 0);
	} else {
		static const double values[] = {0, 1, -1, 0.5, 1e9, -1e300};
		for (int i = 0; i < rs->nrules; i++) {
			const Rule *r = &rs->rules[i];
			Measured unknown = {0};
			FUZZ_CHECK(eval_rule(r, unknown, unknown) == EV_UNKNOWN); /* missing is never pass or fail */
			for (size_t k = 0; k < ARRAY_LEN(values); k++) {
				Measured v = {.known = 1, .value = values[k], .source = "fuzz"};
				(void)eval_rule(r, v, unknown);
				(void)eval_rule(r, v, v);
				const char *gap = eval_gap(&a, r, v);
				if (gap)
					(void)strlen(gap);
			}
		}
	}
	arena_free(&a);
	return 0;
}
