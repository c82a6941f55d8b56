/*
 * fuzz_json.c — JSON request bodies as the registry's API reads them:
 * parsed as req_json does, read into each kind's fields
 * (registry_from_json), checked against the plan (registry_check, without
 * the checks that read the database), and the 400 answer built as the API
 * builds it. Text that came in as valid JSON must go out as JSON again:
 * a NULL from jansson there is what made http_json abort the server.
 */
#include <jansson.h>

#include "fuzz.h"
#include "registry.h"

/* The API's answer for v's errors (page_records.c's api_invalid); checks it can be written. */
static void answer(Arena *a, const Values *v)
{
	json_t *fields = json_object();
	const char *first = NULL, *msg = NULL;
	for (int i = 0; i < v->kind->nfields; i++)
		if (v->err[i]) {
			json_t *e = json_string(v->err[i]);
			FUZZ_CHECK(e != NULL);
			json_object_set_new(fields, v->kind->fields[i].name, e);
			if (!first) {
				first = v->kind->fields[i].name;
				msg = arena_printf(a, "%s:%s", v->kind->fields[i].label, v->err[i]);
			}
		}
	json_t *o = json_pack("{s:{s:s,s:s*,s:s*,s:o}}", "error", "code", "invalid", "field", first, "message", msg,
	                      "fields", fields);
	FUZZ_CHECK(o != NULL);
	char *text = json_dumps(o, JSON_COMPACT);
	FUZZ_CHECK(text != NULL);
	free(text);
	json_decref(o);
	/* the normalised values as the record's JSON would carry them */
	for (int i = 0; i < v->kind->nfields; i++)
		if (v->v[i] && strcmp(v->v[i], "\x01") != 0) {
			json_t *s = json_string(v->v[i]);
			FUZZ_CHECK(s != NULL);
			json_decref(s);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t e;
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		return 0;
	if (json_is_object(j)) {
		const Plan *p = fuzz_plan();
		Arena a = {0};
		for (int k = 0; k < registry_kind_count; k++) {
			Values v;
			registry_from_json(&a, registry_kinds[k], j, &v);
			if (v.unknown) { /* named in the unknown_field answer */
				json_t *u = json_pack("{s:s}", "field", v.unknown);
				FUZZ_CHECK(u != NULL);
				json_decref(u);
			}
			for (int creating = 0; creating <= 1; creating++) {
				Values c = v;
				registry_check(&c, &a, p, NULL, creating);
				answer(&a, &c);
			}
		}
		arena_free(&a);
	}
	json_decref(j);
	return 0;
}
