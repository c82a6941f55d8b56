/*
 * fuzz.h — what the fuzz targets share. Each fuzz/fuzz_<name>.c defines
 * LLVMFuzzerTestOneInput; it is linked twice: with libFuzzer under clang
 * (`make fuzz`, build-fuzz/fuzz_<name>) and with fuzz/replay.c under gcc
 * (build/test_fuzz_<name>, run by `make test`: every committed input of
 * fuzz/corpus/<name>/ once, so a known crash fails the tests).
 *
 * A target aborts (FUZZ_CHECK) when an invariant of the code it drives does
 * not hold; the sanitizers catch the rest.
 */
#ifndef HATCHERY_FUZZ_H
#define HATCHERY_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the failed condition: a finding. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                                   \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                       \
		}                                                                                  \
	} while (0)

/* The input as a NUL-terminated string (in a); text stops at an inner NUL
 * as it does for a request's body or URL. */
static inline char *fuzz_cstr(Arena *a, const uint8_t *data, size_t size)
{
	char *s = arena_alloc(a, size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

/* The embedded Ruian plan, parsed once (what the server checks input against). */
static inline const Plan *fuzz_plan(void)
{
	static Arena arena;
	static const Plan *plan;
	if (!plan) {
		char err[512];
		plan = plan_parse(&arena, plan_embedded_ruian, plan_embedded_ruian_len, "ruian", err, sizeof err);
		if (!plan) {
			fprintf(stderr, "fuzz: the embedded plan does not parse: %s\n", err);
			abort();
		}
	}
	return plan;
}

#endif
