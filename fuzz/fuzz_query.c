/*
 * fuzz_query.c — query strings as the pages and the API read them: the
 * input is split and decoded into fields (as libmicrohttpd does for a
 * request), then read by the shared readers of a list's filters and paging
 * (record_read_filter, for every kind) and of ?year=&as_of=
 * (read_year_as_of), on a request without a connection (req_query then
 * reads r->query). A refusal is a 400 with a JSON error, never a crash.
 */
#include <jansson.h>

#include "fuzz.h"
#include "http.h"
#include "page.h"
#include "page_records.h"
#include "registry.h"

/* A request of role to an API URL whose query is text. */
static void request(Req *r, Role role, const char *text)
{
	memset(r, 0, sizeof *r);
	r->method = "GET";
	r->url = "/api/v1/fuzz";
	r->plan = fuzz_plan();
	r->role = role;
	r->status = 200;
	r->nquery = http_form_parse(&r->arena, text, &r->query);
}

/* Checks the answer (when one was given) and frees the request. */
static void done(Req *r)
{
	if (r->out.len) {
		FUZZ_CHECK(r->status == 400 || r->status == 403);
		json_error_t e;
		json_t *j = json_loadb(r->out.data, r->out.len, 0, &e);
		FUZZ_CHECK(j && json_is_string(json_object_get(json_object_get(j, "error"), "message")));
		json_decref(j);
	}
	buf_free(&r->out);
	arena_free(&r->arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Arena a = {0};
	const char *text = fuzz_cstr(&a, data, size);
	Role role = size && (data[0] & 1) ? ROLE_AREA : ROLE_ADMIN; /* an area user without a session sees approved only */
	Req r;
	for (int k = 0; k < registry_kind_count; k++) {
		request(&r, role, text);
		RecordFilter f;
		int page = 0;
		if (record_read_filter(&r, registry_kinds[k], &f, &page)) {
			FUZZ_CHECK(!r.out.len);
			FUZZ_CHECK(page >= 1 && f.limit >= 1 && f.limit <= 1000 && f.offset >= 0);
		}
		done(&r);
	}
	request(&r, role, text);
	int year = 0;
	const char *as_of = NULL;
	if (read_year_as_of(&r, &year, &as_of)) {
		FUZZ_CHECK(as_of && strlen(as_of) == 10);
		FUZZ_CHECK(year >= r.plan->years[0] && year <= r.plan->years[r.plan->nyears - 1]);
	}
	done(&r);
	arena_free(&a);
	return 0;
}
