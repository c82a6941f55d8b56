/*
 * fuzz_form.c — form bodies (application/x-www-form-urlencoded) as the
 * registry's pages read them: split and decoded by http_form_parse (what
 * req_form uses), read into each kind's fields (registry_from_lookup) and
 * checked against the plan (registry_check, without the checks that read
 * the database). When every decoded value is valid UTF-8, the errors must
 * be writable as JSON too.
 *
 * multipart/form-data (a plain form's photo) is fuzz_multipart's.
 */
#include <jansson.h>

#include "fuzz.h"
#include "http.h"
#include "registry.h"

typedef struct Fields {
	FormField *f;
	int n;
} Fields;

/* req_form's lookup over the parsed fields. */
static const char *get(void *ctx, const char *key)
{
	Fields *fs = ctx;
	for (int i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].key, key) == 0)
			return fs->f[i].value;
	return NULL;
}

/* 1 when s is a string jansson takes (valid UTF-8). */
static int json_text(const char *s)
{
	json_t *j = json_string(s);
	json_decref(j);
	return j != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Arena a = {0};
	const Plan *p = fuzz_plan();
	const char *text = fuzz_cstr(&a, data, size);
	Fields fs;
	fs.n = http_form_parse(&a, text, &fs.f);
	FUZZ_CHECK(fs.n >= 0 && fs.n <= (int)size);
	int utf8 = 1;
	for (int i = 0; i < fs.n; i++) {
		FUZZ_CHECK(fs.f[i].key && fs.f[i].value);
		FUZZ_CHECK(strlen(fs.f[i].key) + strlen(fs.f[i].value) <= size);
		utf8 &= json_text(fs.f[i].key) && json_text(fs.f[i].value);
	}
	for (int k = 0; k < registry_kind_count; k++) {
		Values v;
		registry_from_lookup(registry_kinds[k], get, &fs, &v);
		registry_check(&v, &a, p, NULL, size & 1);
		for (int i = 0; i < v.kind->nfields; i++)
			if (v.err[i] && utf8)
				FUZZ_CHECK(json_text(v.err[i]));
	}
	arena_free(&a);
	return 0;
}
