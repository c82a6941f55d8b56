/*
 * fuzz_route.c — route matching (http.c's http_route_find) on any path:
 * the first byte picks the method, the rest is the URL as libmicrohttpd
 * hands it over. A match fills at most four decoded {name} parameters and
 * its route has the method asked (HEAD is GET); no match with the path
 * matched lists the methods that exist.
 */
#include "fuzz.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "POST", "PATCH", "DELETE", "HEAD", "PUT", "OPTIONS"};
	if (size < 1)
		return 0;
	Req r;
	memset(&r, 0, sizeof r);
	r.method = methods[data[0] % ARRAY_LEN(methods)];
	r.url = fuzz_cstr(&r.arena, data + 1, size - 1);
	int path_matched = 0;
	Buf allow = {0};
	const Route *rt = http_route_find(&r, &path_matched, &allow);
	if (rt) {
		FUZZ_CHECK(path_matched);
		FUZZ_CHECK(strcmp(rt->method, strcmp(r.method, "HEAD") == 0 ? "GET" : r.method) == 0);
		FUZZ_CHECK(r.nparams >= 0 && r.nparams <= 4);
		for (int i = 0; i < r.nparams; i++)
			FUZZ_CHECK(r.params[i] && strlen(r.params[i]) < size);
	} else if (path_matched) {
		FUZZ_CHECK(allow.len > 0);
	} else {
		FUZZ_CHECK(allow.len == 0);
	}
	buf_free(&allow);
	arena_free(&r.arena);
	return 0;
}
