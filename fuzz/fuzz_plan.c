/*
 * fuzz_plan.c — the plan parser and checker (plan.c's plan_parse) on any
 * text: it either refuses with a message naming the place, or gives a plan
 * whose every area and indicator can be looked up again.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Arena a = {0};
	char err[512] = "";
	Plan *p = plan_parse(&a, (const char *)data, size, "fuzz.json", err, sizeof err);
	if (!p) {
		FUZZ_CHECK(strncmp(err, "fuzz.json", 9) == 0);
	} else {
		for (int i = 0; i < p->nareas; i++) {
			FUZZ_CHECK(plan_area(p, p->areas[i].code) != NULL);
			if (p->areas[i].name)
				(void)plan_area_by_name(p, p->areas[i].name);
		}
		for (int i = 0; i < p->nindicators; i++)
			FUZZ_CHECK(plan_indicator(p, p->indicators[i].code) != NULL);
		(void)plan_area(p, "no-such-area");
		(void)plan_area_by_name(p, "没有这个区域");
	}
	arena_free(&a);
	return 0;
}
